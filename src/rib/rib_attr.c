/*
 * Interned path attributes (hash-consing with reference counts). The
 * decoder's struct bgp_pattrs points into a message; the RIB keeps one
 * shared copy of every distinct AS path, community list and whole
 * attribute set, so a million prefixes announced with a handful of
 * attribute sets cost a handful of sets. Tables are keyed by SipHash with
 * the process key (lib/hash.h): peers fill them and must not be able to
 * choose collisions.
 *
 * Attribute sets are named by a 32-bit id (paths and Adj-RIB-Out store
 * ids, half the size of pointers).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "rib/rib_priv.h"

/* --- the open-addressing set ------------------------------------------------ */

static int
itab_grow(struct rib_itab *t)
{
	uint32_t nsize = t->slots ? (t->mask + 1) * 2 : 64, i, j;
	void **ns = calloc(nsize, sizeof(void *));
	uint64_t h;

	if (ns == NULL)
		return -1;
	for (i = 0; t->slots && i <= t->mask; i++) {
		if (t->slots[i] == NULL)
			continue;
		memcpy(&h, t->slots[i], sizeof(h));
		for (j = (uint32_t)h & (nsize - 1); ns[j];
		    j = (j + 1) & (nsize - 1))
			;
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->mask = nsize - 1;
	return 0;
}

static uint64_t
obj_hash(const void *o)
{
	uint64_t h;

	memcpy(&h, o, sizeof(h));
	return h;
}

/* Slot holding an object equal to 'key' under eq(), or the empty slot. */
static uint32_t
itab_slot(const struct rib_itab *t, uint64_t h,
    bool (*eq)(const void *, const void *), const void *key)
{
	uint32_t i;

	for (i = (uint32_t)h & t->mask; t->slots[i];
	    i = (i + 1) & t->mask)
		if (obj_hash(t->slots[i]) == h && eq(t->slots[i], key))
			return i;
	return i;
}

static int
itab_insert(struct rib_itab *t, void *o)
{
	uint32_t i;

	if ((t->count + 1) * 4 > (t->mask + 1) * 3 || t->slots == NULL)
		if (itab_grow(t) == -1)
			return -1;
	for (i = (uint32_t)obj_hash(o) & t->mask; t->slots[i];
	    i = (i + 1) & t->mask)
		;
	t->slots[i] = o;
	t->count++;
	return 0;
}

/* Remove by identity, closing the gap (backward shift, no tombstones). */
static void
itab_remove(struct rib_itab *t, const void *o)
{
	uint32_t i, j, k;

	for (i = (uint32_t)obj_hash(o) & t->mask; t->slots[i] != o;
	    i = (i + 1) & t->mask)
		if (t->slots[i] == NULL)
			fatal_bug("rib: interned object not in its table");
	j = i;
	for (;;) {
		t->slots[i] = NULL;
		for (;;) {
			j = (j + 1) & t->mask;
			if (t->slots[j] == NULL) {
				t->count--;
				return;
			}
			k = (uint32_t)obj_hash(t->slots[j]) & t->mask;
			/* move j back to i unless its home lies in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		t->slots[i] = t->slots[j];
		i = j;
	}
}

/* --- blobs ----------------------------------------------------------------- */

struct blob_key {
	const uint8_t	*p;
	size_t		 len;
};

static bool
blob_eq(const void *o, const void *k)
{
	const struct rib_blob *b = o;
	const struct blob_key *bk = k;

	return b->len == bk->len && memcmp(b->data, bk->p, bk->len) == 0;
}

static struct rib_blob *
blob_intern(struct rib *r, const uint8_t *p, size_t len)
{
	struct blob_key k = { p, len };
	struct rib_blob *b;
	uint64_t h;
	uint32_t i;

	if (len == 0 || p == NULL)
		return NULL;
	h = hash_bytes(p, len);
	if (r->blobs.slots != NULL) {
		i = itab_slot(&r->blobs, h, blob_eq, &k);
		if ((b = r->blobs.slots[i]) != NULL) {
			b->refcnt++;
			return b;
		}
	}
	if ((b = malloc(sizeof(*b) + len)) == NULL)
		return NULL;
	b->hash = h;
	b->refcnt = 1;
	b->len = (uint16_t)len;
	memcpy(b->data, p, len);
	if (itab_insert(&r->blobs, b) == -1) {
		free(b);
		return NULL;
	}
	return b;
}

static void
blob_unref(struct rib *r, struct rib_blob *b)
{
	if (b == NULL || --b->refcnt > 0)
		return;
	itab_remove(&r->blobs, b);
	free(b);
}

/* --- attribute sets -------------------------------------------------------- */

static bool
attrs_eq(const void *o, const void *k)
{
	const struct rib_attrs *a = o;

	return memcmp(&a->k, k, sizeof(a->k)) == 0;
}

static uint32_t
attr_id_alloc(struct rib *r, struct rib_attrs *a)
{
	struct rib_attrs **n;
	uint32_t id, ncap;

	if (r->attr_free != 0) {
		id = r->attr_free;
		r->attr_free = (uint32_t)((uintptr_t)r->attr_by_id[id] >> 1);
	} else {
		if (r->attr_hwm > RIB_OK_ID_MASK)
			return 0;
		if (r->attr_hwm >= r->attr_cap) {
			ncap = r->attr_cap ? r->attr_cap * 2 : 256;
			n = realloc(r->attr_by_id, ncap * sizeof(*n));
			if (n == NULL)
				return 0;
			r->attr_by_id = n;
			r->attr_cap = ncap;
		}
		id = r->attr_hwm++;
	}
	r->attr_by_id[id] = a;
	return id;
}

static void
attr_id_free(struct rib *r, uint32_t id)
{
	r->attr_by_id[id] = (struct rib_attrs *)(((uintptr_t)r->attr_free << 1)
	    | 1);
	r->attr_free = id;
}

static uint8_t
comm_wk(const uint8_t *c, size_t len)
{
	uint8_t wk = 0;
	uint32_t v;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		v = (uint32_t)c[i] << 24 | (uint32_t)c[i + 1] << 16 |
		    (uint32_t)c[i + 2] << 8 | c[i + 3];
		if (v == BGP_COMM_NO_EXPORT)
			wk |= RIB_WK_NO_EXPORT;
		else if (v == BGP_COMM_NO_ADVERTISE)
			wk |= RIB_WK_NO_ADVERTISE;
		else if (v == BGP_COMM_NO_EXPORT_SUBCONFED)
			wk |= RIB_WK_NO_EXPORT_SUB;
	}
	return wk;
}

/* Attribute types whose presence is meaningful in a stored set. */
#define KEY_TYPES	(~((1ull << BGP_ATTR_MP_REACH) | \
	(1ull << BGP_ATTR_MP_UNREACH) | (1ull << BGP_ATTR_AS4_PATH) | \
	(1ull << BGP_ATTR_AS4_AGGREGATOR)))

static void
akey_unref(struct rib *r, struct rib_akey *k)
{
	blob_unref(r, k->aspath);
	blob_unref(r, k->comm);
	blob_unref(r, k->ext);
	blob_unref(r, k->large);
	blob_unref(r, k->cluster);
	blob_unref(r, k->unknown);
}

/* Fill a key from decoded attributes, interning the variable parts. */
static int
akey_fill(struct rib *r, struct rib_akey *k, const struct bgp_pattrs *p,
    uint8_t flags)
{
	memset(k, 0, sizeof(*k));
	k->present = p->present & KEY_TYPES;
	k->origin = p->origin;
	k->flags = flags;
	k->nexthop = p->nexthop;
	if (BGP_ATTR_HAS(p, BGP_ATTR_MED))
		k->med = p->med;
	if (BGP_ATTR_HAS(p, BGP_ATTR_LOCAL_PREF))
		k->local_pref = p->local_pref;
	if (BGP_ATTR_HAS(p, BGP_ATTR_AGGREGATOR)) {
		k->aggr_as = p->aggr_as;
		k->aggr_id = p->aggr_id;
	}
	if (BGP_ATTR_HAS(p, BGP_ATTR_ORIGINATOR_ID))
		k->originator_id = p->originator_id;
	if (p->mp_nexthop.af != 0)
		k->mp_nh = p->mp_nexthop;
	if (p->mp_nexthop_ll.af != 0)
		k->mp_nh_ll = p->mp_nexthop_ll;
	k->aspath = blob_intern(r, p->aspath, p->aspath_len);
	k->comm = blob_intern(r, p->comm, p->comm_len);
	k->ext = blob_intern(r, p->ext, p->ext_len);
	k->large = blob_intern(r, p->large, p->large_len);
	k->cluster = blob_intern(r, p->cluster, p->cluster_len);
	k->unknown = blob_intern(r, p->unknown, p->unknown_len);
	if ((p->aspath_len && !k->aspath) || (p->comm_len && !k->comm) ||
	    (p->ext_len && !k->ext) || (p->large_len && !k->large) ||
	    (p->cluster_len && !k->cluster) ||
	    (p->unknown_len && !k->unknown)) {
		akey_unref(r, k);
		return -1;
	}
	return 0;
}

struct rib_attrs *
rib_attrs_intern(struct rib *r, const struct bgp_pattrs *p, uint8_t flags)
{
	struct rib_akey k;
	struct rib_attrs *a;
	uint64_t h;
	uint32_t i;

	if (akey_fill(r, &k, p, flags) == -1)
		return NULL;
	h = hash_bytes(&k, sizeof(k));
	if (r->attrs.slots != NULL) {
		i = itab_slot(&r->attrs, h, attrs_eq, &k);
		if ((a = r->attrs.slots[i]) != NULL) {
			/* the key's blob references were taken twice */
			akey_unref(r, &k);
			a->refcnt++;
			return a;
		}
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		goto fail;
	a->hash = h;
	a->refcnt = 1;
	a->k = k;
	if (k.aspath) {
		a->first_as = bgp_aspath_first(k.aspath->data, k.aspath->len);
		a->aspath_count = (uint16_t)bgp_aspath_count(k.aspath->data,
		    k.aspath->len);
	}
	if (k.comm)
		a->wk = comm_wk(k.comm->data, k.comm->len);
	if ((a->id = attr_id_alloc(r, a)) == 0)
		goto fail;
	if (itab_insert(&r->attrs, a) == -1) {
		attr_id_free(r, a->id);
		goto fail;
	}
	return a;
fail:
	free(a);
	akey_unref(r, &k);
	return NULL;
}

static bool
blob_is(const struct rib_blob *b, const uint8_t *p, size_t len)
{
	if (b == NULL)
		return len == 0 || p == NULL;
	return p != NULL && b->len == len && memcmp(b->data, p, len) == 0;
}

/*
 * Would interning p with flags give a? Lets callers skip hashing when a
 * hook produced the same attributes as for the previous prefix.
 */
bool
rib_attrs_match(const struct rib_attrs *a, const struct bgp_pattrs *p,
    uint8_t flags)
{
	const struct rib_akey *k = &a->k;
	struct addr z;

	memset(&z, 0, sizeof(z));
	if (k->present != (p->present & KEY_TYPES) || k->origin != p->origin ||
	    k->flags != flags || k->nexthop != p->nexthop)
		return false;
	if ((BGP_ATTR_HAS(p, BGP_ATTR_MED) && k->med != p->med) ||
	    (BGP_ATTR_HAS(p, BGP_ATTR_LOCAL_PREF) &&
	    k->local_pref != p->local_pref) ||
	    (BGP_ATTR_HAS(p, BGP_ATTR_AGGREGATOR) && (k->aggr_as != p->aggr_as ||
	    k->aggr_id != p->aggr_id)) ||
	    (BGP_ATTR_HAS(p, BGP_ATTR_ORIGINATOR_ID) &&
	    k->originator_id != p->originator_id))
		return false;
	if (memcmp(&k->mp_nh, p->mp_nexthop.af ? &p->mp_nexthop : &z,
	    sizeof(z)) != 0 || memcmp(&k->mp_nh_ll, p->mp_nexthop_ll.af ?
	    &p->mp_nexthop_ll : &z, sizeof(z)) != 0)
		return false;
	return blob_is(k->aspath, p->aspath, p->aspath_len) &&
	    blob_is(k->comm, p->comm, p->comm_len) &&
	    blob_is(k->ext, p->ext, p->ext_len) &&
	    blob_is(k->large, p->large, p->large_len) &&
	    blob_is(k->cluster, p->cluster, p->cluster_len) &&
	    blob_is(k->unknown, p->unknown, p->unknown_len);
}

void
rib_attrs_ref(struct rib *r, uint32_t id)
{
	if (id != 0)
		r->attr_by_id[id]->refcnt++;
}

void
rib_attrs_unref(struct rib *r, uint32_t id)
{
	struct rib_attrs *a;

	if (id == 0)
		return;
	a = r->attr_by_id[id];
	if (--a->refcnt > 0)
		return;
	itab_remove(&r->attrs, a);
	akey_unref(r, &a->k);
	attr_id_free(r, id);
	free(a);
}

/* A decoder-shaped view of an interned set; pointers into the blobs. */
void
rib_attrs_pattrs(const struct rib_attrs *a, struct bgp_pattrs *p)
{
	const struct rib_akey *k = &a->k;

	memset(p, 0, sizeof(*p));
	p->present = k->present;
	p->origin = k->origin;
	p->nexthop = k->nexthop;
	p->med = k->med;
	p->local_pref = k->local_pref;
	p->aggr_as = k->aggr_as;
	p->aggr_id = k->aggr_id;
	p->originator_id = k->originator_id;
	p->mp_nexthop = k->mp_nh;
	p->mp_nexthop_ll = k->mp_nh_ll;
#define BLOB(f, l, b) do { if (b) { p->f = (b)->data; p->l = (b)->len; } \
	} while (0)
	BLOB(aspath, aspath_len, k->aspath);
	BLOB(comm, comm_len, k->comm);
	BLOB(ext, ext_len, k->ext);
	BLOB(large, large_len, k->large);
	BLOB(cluster, cluster_len, k->cluster);
	BLOB(unknown, unknown_len, k->unknown);
#undef BLOB
}

/* LOCAL_PREF for best-path selection: 100 when absent (eBGP, local). */
uint32_t
rib_attrs_lp(const struct rib_attrs *a)
{
	return (a->k.present >> BGP_ATTR_LOCAL_PREF) & 1 ? a->k.local_pref :
	    100;
}

void
rib_attr_init(struct rib *r)
{
	memset(&r->blobs, 0, sizeof(r->blobs));
	memset(&r->attrs, 0, sizeof(r->attrs));
	r->attr_hwm = 1;	/* id 0 = none */
	r->attr_free = 0;
}

/* Free every set still interned (rib_free: references die with the rib). */
void
rib_attr_fini(struct rib *r)
{
	uint32_t i;
	struct rib_attrs *a;

	for (i = 1; r->attr_by_id != NULL && i < r->attr_hwm; i++) {
		a = r->attr_by_id[i];
		if (((uintptr_t)a & 1) != 0)
			continue;
		free(a);
	}
	for (i = 0; r->blobs.slots && i <= r->blobs.mask; i++)
		free(r->blobs.slots[i]);
	free(r->blobs.slots);
	free(r->attrs.slots);
	free(r->attr_by_id);
	r->attr_by_id = NULL;
	r->attr_cap = r->attr_hwm = 0;
	memset(&r->blobs, 0, sizeof(r->blobs));
	memset(&r->attrs, 0, sizeof(r->attrs));
}
