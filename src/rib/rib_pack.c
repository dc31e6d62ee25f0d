/*
 * Packing Adj-RIB-Out changes into UPDATE messages (RFC 4271 4.3, MP-BGP
 * RFC 4760 3-4). A batch collects prefixes by (family, attribute key,
 * member targeting); each bucket's attributes are encoded once and then
 * bgp_update_pack() fills message after message with its prefixes, so a
 * table announced with a handful of attribute sets leaves in a few
 * thousand full-size UPDATEs. Withdrawals go first.
 *
 * Each message is stored behind a struct rib_rec header that says which
 * members take it and where the next-hop-self bytes are, to be patched
 * per member when copied out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "rib/rib_priv.h"

#define MAPSIZE		(4 * RIB_BATCH)

void
rib_batch_reset(struct rib_batch *b)
{
	uint32_t i;

	for (i = 0; i < b->nb; i++)
		b->map[b->b[i].slot] = 0;
	b->nb = 0;
	b->ni = 0;
}

void
rib_batch_free(struct rib_batch *b)
{
	free(b->b);
	free(b->map);
	free(b->items);
	free(b->pfx);
	memset(b, 0, sizeof(*b));
}

static int
grow(void **p, uint32_t *cap, size_t elsize, uint32_t want)
{
	uint32_t n = *cap ? *cap : 256;
	void *np;

	if (want <= *cap)
		return 0;
	while (n < want)
		n *= 2;
	if ((np = realloc(*p, (size_t)n * elsize)) == NULL)
		return -1;
	*p = np;
	*cap = n;
	return 0;
}

static bool
bucket_is(const struct rib_bucket *bk, enum bgp_fam fam, bool wd,
    uint32_t key, uint16_t except, uint16_t only)
{
	return bk->key == key && bk->fam == fam && bk->wd == wd &&
	    bk->except == except && bk->only == only;
}

int
rib_batch_add(struct rib_batch *b, enum bgp_fam fam, bool wd, uint32_t key,
    uint16_t except, uint16_t only, const struct prefix *p)
{
	struct rib_bucket *bk;
	uint32_t slot, bi;
	uint64_t h;

	if (b->map == NULL) {
		if ((b->map = calloc(MAPSIZE, sizeof(uint32_t))) == NULL)
			return -1;
		b->mapmask = MAPSIZE - 1;
	}
	if (b->nb * 2 >= MAPSIZE)
		return -1;	/* callers stay below RIB_BATCH items */
	h = hash_u64((uint64_t)key << 32 | (uint64_t)except << 16 | only) ^
	    ((uint64_t)fam << 1 | wd);
	for (slot = (uint32_t)h & b->mapmask; (bi = b->map[slot]) != 0;
	    slot = (slot + 1) & b->mapmask)
		if (bucket_is(&b->b[bi - 1], fam, wd, key, except, only))
			break;
	if (bi == 0) {
		if (grow((void **)&b->b, &b->capb, sizeof(*b->b), b->nb + 1))
			return -1;
		bk = &b->b[b->nb++];
		memset(bk, 0, sizeof(*bk));
		bk->key = key;
		bk->fam = (uint8_t)fam;
		bk->wd = wd;
		bk->except = except;
		bk->only = only;
		bk->slot = slot;
		b->map[slot] = b->nb;
	} else
		bk = &b->b[bi - 1];
	if (grow((void **)&b->items, &b->capi, sizeof(*b->items), b->ni + 1))
		return -1;
	b->items[b->ni].p = *p;
	b->items[b->ni].next = 0;
	if (bk->n == 0)
		bk->first = b->ni;
	else
		b->items[bk->last].next = b->ni;
	bk->last = b->ni++;
	bk->n++;
	return 0;
}

/*
 * Where the next hop sits in an UPDATE we just built: the NEXT_HOP value
 * (IPv4) or the MP_REACH_NLRI next hop (IPv6). Our own bytes, but read
 * through the bounded reader all the same.
 */
static int
msg_nh_off(const uint8_t *m, size_t len, enum bgp_fam fam, uint16_t *off,
    uint8_t *nlen)
{
	struct rbuf r, attrs, v;
	uint16_t wl, al, alen;
	uint8_t flags, type, l8;

	rbuf_init(&r, m, len);
	if (rbuf_skip(&r, BGP_HDR_LEN) || rbuf_get_u16(&r, &wl) ||
	    rbuf_skip(&r, wl) || rbuf_get_u16(&r, &al) ||
	    rbuf_sub(&r, al, &attrs))
		return -1;
	while (rbuf_left(&attrs) > 0) {
		if (rbuf_get_u8(&attrs, &flags) || rbuf_get_u8(&attrs, &type))
			return -1;
		if (flags & BGP_AF_EXTLEN) {
			if (rbuf_get_u16(&attrs, &alen))
				return -1;
		} else {
			if (rbuf_get_u8(&attrs, &l8))
				return -1;
			alen = l8;
		}
		if (rbuf_sub(&attrs, alen, &v))
			return -1;
		if (fam == BGP_FAM_V4U && type == BGP_ATTR_NEXT_HOP &&
		    alen == 4) {
			*off = (uint16_t)(v.p - m);
			*nlen = 4;
			return 0;
		}
		if (fam == BGP_FAM_V6U && type == BGP_ATTR_MP_REACH &&
		    alen >= 4 + 16 && v.p[3] >= 16) {
			*off = (uint16_t)(v.p + 4 - m);
			*nlen = 16;
			return 0;
		}
	}
	return -1;
}

static long
rec_begin(struct wbuf *w)
{
	return wbuf_reserve(w, sizeof(struct rib_rec));
}

static void
rec_end(struct wbuf *w, long off, struct rib_rec *rec)
{
	rec->len = (uint32_t)(w->len - (size_t)off - sizeof(*rec));
	memcpy(w->p + off, rec, sizeof(*rec));
}

static void
gather(struct rib_batch *b, const struct rib_bucket *bk)
{
	uint32_t i, k = 0;

	for (i = bk->first; k < bk->n; i = b->items[i].next)
		b->pfx[k++] = b->items[i].p;
}

static int
encode_wd(struct rib_group *g, struct rib_batch *b,
    const struct rib_bucket *bk, struct wbuf *w)
{
	struct rib_rec rec;
	uint32_t i = 0;
	long off;
	int n;

	while (i < bk->n) {
		if ((off = rec_begin(w)) < 0)
			return -1;
		n = bgp_withdraw_pack(w, &g->enc, bk->fam, b->pfx + i,
		    bk->n - i);
		if (n <= 0) {
			wbuf_truncate(w, (size_t)off);
			return -1;
		}
		memset(&rec, 0, sizeof(rec));
		rec.except = bk->except;
		rec.only = bk->only;
		rec.nwd = (uint32_t)n;
		rec_end(w, off, &rec);
		i += (uint32_t)n;
	}
	return 0;
}

static int
encode_ann(struct rib_group *g, struct rib_batch *b,
    const struct rib_bucket *bk, struct wbuf *w)
{
	static const struct addr none;
	const struct rib_xattr *x;
	struct rib_rec rec;
	uint32_t i = 0;
	long off;
	int n;

	if ((x = rib_export_enc(g, bk->fam, bk->key)) == NULL)
		return -1;
	while (i < bk->n) {
		if ((off = rec_begin(w)) < 0)
			return -1;
		n = bgp_update_pack(w, &g->enc, bk->fam, x->bytes, x->len,
		    &x->nh, &none, b->pfx + i, bk->n - i);
		if (n <= 0) {
			/* attributes too large for any message: not sendable */
			wbuf_truncate(w, (size_t)off);
			log_warn("rib: attributes of %u bytes do not fit an "
			    "UPDATE; %u prefixes not sent", x->len, bk->n - i);
			return 0;
		}
		memset(&rec, 0, sizeof(rec));
		rec.except = bk->except;
		rec.only = bk->only;
		rec.nann = (uint32_t)n;
		if (x->nh_self && msg_nh_off(w->p + off + sizeof(rec),
		    w->len - (size_t)off - sizeof(rec), bk->fam, &rec.nh_off,
		    &rec.nh_len) == -1)
			fatal_bug("rib: no next hop in an UPDATE we built");
		rec_end(w, off, &rec);
		i += (uint32_t)n;
	}
	return 0;
}

/* Append the batch's messages, each behind its record header, to w. */
int
rib_batch_encode(struct rib_group *g, struct rib_batch *b, struct wbuf *w)
{
	const struct rib_bucket *bk;
	uint32_t i, maxn = 0;
	int pass;

	for (i = 0; i < b->nb; i++)
		if (b->b[i].n > maxn)
			maxn = b->b[i].n;
	if (grow((void **)&b->pfx, &b->cappfx, sizeof(*b->pfx), maxn))
		return -1;
	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < b->nb; i++) {
			bk = &b->b[i];
			if (bk->wd != (pass == 1))
				continue;
			gather(b, bk);
			if ((bk->wd ? encode_wd(g, b, bk, w) :
			    encode_ann(g, b, bk, w)) == -1)
				return -1;
		}
	}
	return w->err ? -1 : 0;
}
