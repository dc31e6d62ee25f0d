/*
 * Per-family prefix tables: dests in a slab (12 bytes for an IPv4 prefix,
 * 24 for IPv6), found through an open-addressing index of 32-bit slab
 * indices. Keyed by SipHash of address and length, because peers choose
 * the prefixes. Deletion leaves a tombstone (one lookup, no rehashing of
 * neighbours); the index is rebuilt from the dest slab, in memory order,
 * when tombstones pile up, and shrinks when the table does.
 *
 * Ordered output (rib_walk) sorts on demand: it is rare, and a hash keeps
 * the per-UPDATE path at one probe per prefix.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "rib/rib_priv.h"

void
rib_table_init(struct rib_tab *t, enum bgp_fam fam)
{
	memset(t, 0, sizeof(*t));
	t->fam = (uint8_t)fam;
	t->af = fam == BGP_FAM_V6U ? AF_INET6 : AF_INET;
	t->alen = (uint8_t)addr_bytes(t->af);
	rib_slab_init(&t->dests, (uint32_t)(sizeof(struct rib_dest) +
	    (t->alen == 4 ? 4 : 16)));
}

void
rib_table_fini(struct rib_tab *t)
{
	rib_slab_free(&t->dests);
	if (t->slots != NULL)
		rib_big_free(t->slots, ((size_t)t->mask + 1) * sizeof(uint32_t));
	t->slots = NULL;
	t->mask = 0;
	t->count = 0;
	t->nbest = 0;
}

size_t
rib_table_mem(const struct rib_tab *t)
{
	return rib_vec_mem(&t->dests.v) +
	    (t->slots ? (size_t)(t->mask + 1) * sizeof(uint32_t) : 0);
}

/*
 * A slot holds the dest index (25 bits) and 7 bits of the key's hash, so
 * probing past other keys rarely has to read their dest.
 */
#define IDX_BITS	25
#define IDX_MASK	((1u << IDX_BITS) - 1)
#define SLOT(di, h)	((uint32_t)((h) >> 57) << IDX_BITS | (di))
#define TOMB		UINT32_MAX	/* idx IDX_MASK is never handed out */
#define TAG_OK(s, h)	(((s) >> IDX_BITS) == (uint32_t)((h) >> 57))

static uint64_t
key_hash(const struct rib_tab *t, const uint8_t *a, uint8_t len)
{
	uint8_t k[17];

	memcpy(k, a, t->alen);
	k[t->alen] = len;
	return hash_bytes(k, (size_t)t->alen + 1);
}

static uint64_t
dest_hash(const struct rib_tab *t, const struct rib_dest *d)
{
	return key_hash(t, d->key, d->len);
}

static bool
dest_is(const struct rib_tab *t, const struct rib_dest *d,
    const struct prefix *p)
{
	return d->len == p->len && memcmp(d->key, p->b, t->alen) == 0;
}

uint32_t
rib_table_find(const struct rib_tab *t, const struct prefix *p)
{
	return rib_table_find_h(t, p, key_hash(t, p->b, p->len));
}

uint32_t
rib_table_find_h(const struct rib_tab *t, const struct prefix *p, uint64_t h)
{
	uint32_t i, s, di;

	if (t->slots == NULL || p->af != t->af)
		return 0;
	for (i = (uint32_t)h & t->mask; (s = t->slots[i]) != 0;
	    i = (i + 1) & t->mask) {
		di = s & IDX_MASK;
		if (s != TOMB && TAG_OK(s, h) &&
		    dest_is(t, rib_dest_at(t, di), p))
			return di;
	}
	return 0;
}

/*
 * Rebuild the index at nsize slots (growing, shrinking, or dropping
 * tombstones). Dests are read in slab order (sequential memory), not in
 * slot order, so this costs one hash and one random write per prefix.
 */
static int
index_rebuild(struct rib_tab *t, uint32_t nsize)
{
	uint32_t *ns = rib_big_alloc((size_t)nsize * sizeof(uint32_t)), i, j;
	const struct rib_dest *d;
	uint64_t h;

	if (ns == NULL)
		return -1;
	for (i = 1; t->slots && i < t->dests.hwm; i++) {
		d = rib_dest_at(t, i);
		if (d->flags & RIB_DF_FREE)
			continue;
		h = dest_hash(t, d);
		for (j = (uint32_t)h & (nsize - 1); ns[j];
		    j = (j + 1) & (nsize - 1))
			;
		ns[j] = SLOT(i, h);
	}
	if (t->slots != NULL)
		rib_big_free(t->slots, ((size_t)t->mask + 1) * sizeof(uint32_t));
	t->slots = ns;
	t->mask = nsize - 1;
	t->tombs = 0;
	return 0;
}

/* Make room for one more entry: grow, or just sweep the tombstones. */
static int
index_room(struct rib_tab *t)
{
	uint32_t size = t->slots ? t->mask + 1 : 0;

	if (t->slots != NULL && (t->count + t->tombs + 1) * 10 <= size * 7)
		return 0;
	if (t->slots == NULL)
		return index_rebuild(t, 16);
	return index_rebuild(t, (t->count + 1) * 2 > size ? size * 2 : size);
}

uint64_t
rib_table_hash(const struct rib_tab *t, const struct prefix *p)
{
	return key_hash(t, p->b, p->len);
}

/* Start loading the slot of hash h: lookups of a batch then overlap. */
void
rib_table_prefetch(const struct rib_tab *t, uint64_t h)
{
	if (t->slots != NULL)
		__builtin_prefetch(&t->slots[(uint32_t)h & t->mask]);
}

uint32_t
rib_table_get(struct rib_tab *t, const struct prefix *p)
{
	return rib_table_get_h(t, p, key_hash(t, p->b, p->len));
}

/* Find or create the dest of prefix p (hash h); 0 on ENOMEM. */
uint32_t
rib_table_get_h(struct rib_tab *t, const struct prefix *p, uint64_t h)
{
	struct rib_dest *d;
	uint32_t i, s, di, tomb = UINT32_MAX;

	if (p->af != t->af)
		return 0;
	if (index_room(t) == -1)
		return 0;
	for (i = (uint32_t)h & t->mask; (s = t->slots[i]) != 0;
	    i = (i + 1) & t->mask) {
		if (s == TOMB) {
			if (tomb == UINT32_MAX)
				tomb = i;
			continue;
		}
		di = s & IDX_MASK;
		if (TAG_OK(s, h) && dest_is(t, rib_dest_at(t, di), p))
			return di;
	}
	if (t->dests.hwm >= IDX_MASK && t->dests.freelist == 0)
		return 0;	/* 32M prefixes in one family of one context */
	if ((di = rib_slab_alloc(&t->dests)) == 0)
		return 0;
	d = rib_dest_at(t, di);
	d->len = p->len;
	memcpy(d->key, p->b, t->alen);
	if (tomb != UINT32_MAX) {
		i = tomb;
		t->tombs--;
	}
	t->slots[i] = SLOT(di, h);
	t->count++;
	return di;
}

/* Drop a dest nobody uses any more (no path, no group reference). */
void
rib_table_release(struct rib_tab *t, uint32_t di)
{
	struct rib_dest *d = rib_dest_at(t, di);
	uint32_t i, size = t->mask + 1;

	if (d->paths != 0 || d->refs != 0 || (d->flags & RIB_DF_FREE))
		fatal_bug("rib: releasing a dest still in use");
	for (i = (uint32_t)dest_hash(t, d) & t->mask;
	    t->slots[i] == TOMB || (t->slots[i] & IDX_MASK) != di;
	    i = (i + 1) & t->mask)
		if (t->slots[i] == 0)
			fatal_bug("rib: dest not in its index");
	t->slots[i] = TOMB;
	t->tombs++;
	t->count--;
	rib_slab_put(&t->dests, di);
	d->flags = RIB_DF_FREE;
	/* shrink a table that emptied; sweep one full of tombstones */
	if (size > 64 && t->count * 8 < size)
		(void)index_rebuild(t, size / 2);
	else if (t->tombs * 4 > size)
		(void)index_rebuild(t, size);
}

void
rib_dest_prefix(const struct rib_tab *t, const struct rib_dest *d,
    struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->af = t->af;
	p->len = d->len;
	memcpy(p->b, d->key, t->alen);
}

static int
dest_cmp(const void *a, const void *b, void *arg)
{
	const struct rib_tab *t = arg;
	const struct rib_dest *x = rib_dest_at(t, *(const uint32_t *)a);
	const struct rib_dest *y = rib_dest_at(t, *(const uint32_t *)b);
	int c = memcmp(x->key, y->key, t->alen);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Is dest i after the prefix (same family), in address order? */
static bool
dest_after(const struct rib_tab *t, uint32_t i, const struct prefix *after)
{
	const struct rib_dest *d = rib_dest_at(t, i);
	int c = memcmp(d->key, after->b, t->alen);

	return c > 0 || (c == 0 && d->len > after->len);
}

/* Max-heap on address order: the root is the largest kept so far. */
static void
heap_down(uint32_t *h, size_t n, size_t i, const struct rib_tab *t)
{
	size_t l, m;
	uint32_t x;

	for (;;) {
		l = 2 * i + 1;
		if (l >= n)
			return;
		m = l + 1 < n && dest_cmp(&h[l + 1], &h[l], (void *)t) > 0 ?
		    l + 1 : l;
		if (dest_cmp(&h[m], &h[i], (void *)t) <= 0)
			return;
		x = h[i], h[i] = h[m], h[m] = x;
		i = m;
	}
}

static void
heap_up(uint32_t *h, size_t i, const struct rib_tab *t)
{
	uint32_t x;

	while (i > 0 && dest_cmp(&h[i], &h[(i - 1) / 2], (void *)t) > 0) {
		x = h[i], h[i] = h[(i - 1) / 2], h[(i - 1) / 2] = x;
		i = (i - 1) / 2;
	}
}

/*
 * The first 'max' live dests after 'after' (NULL: from the start), in
 * address order. One pass over the table keeping the smallest 'max' in a
 * heap: O(n log max), so a page of "show route" costs the event loop a
 * scan, not a sort of the whole table.
 */
uint32_t *
rib_table_page(const struct rib_tab *t, const struct prefix *after,
    size_t max, size_t *n)
{
	uint32_t *h, i;
	size_t k = 0, seen = 0;
	bool all;

	*n = 0;
	all = max == 0 || max >= t->count;
	if (all)
		max = t->count;
	if ((h = malloc((max + 1) * sizeof(*h))) == NULL)
		return NULL;
	for (i = 1; i < t->dests.hwm && seen < t->count; i++) {
		if (rib_dest_at(t, i)->flags & RIB_DF_FREE)
			continue;
		seen++;
		if (after != NULL && !dest_after(t, i, after))
			continue;
		if (all)
			h[k++] = i;		/* sorted once below */
		else if (k < max) {
			h[k] = i;
			heap_up(h, k++, t);
		} else if (k > 0 && dest_cmp(&i, &h[0], (void *)t) < 0) {
			h[0] = i;
			heap_down(h, k, 0, t);
		}
	}
	qsort_r(h, k, sizeof(*h), dest_cmp, (void *)t);
	*n = k;
	return h;
}
