/*
 * Path attributes one by one: a descriptor per known type (RFC 4271 5.1,
 * RFC 1997, RFC 4360, RFC 4456, RFC 4760, RFC 6793, RFC 8092, RFC 7607)
 * giving its flags, its length rule, how to decode and encode its value,
 * and what RFC 7606 section 7 says to do when it is malformed. The walk
 * over a whole attribute section is in bgp_attrs.c.
 *
 * Decoders never allocate: values point into the message.
 */
#include <string.h>
#include <sys/socket.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

#define AF_WK		BGP_AF_TRANSITIVE
#define AF_OPT		BGP_AF_OPTIONAL
#define AF_OPTTR	(BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)

/* --- decoders -------------------------------------------------------------- */

static int
dec_origin(struct bgp_adec *d, struct rbuf *v)
{
	uint8_t o = 0;

	rbuf_get_u8(v, &o);
	if (o > BGP_ORIGIN_INCOMPLETE) {
		d->why = "undefined value";
		return ADEC_BAD;
	}
	d->u->attrs.origin = o;
	return ADEC_KEEP;
}

static int
dec_aspath(struct bgp_adec *d, struct rbuf *v)
{
	unsigned asz = d->ctx->as4 ? 4 : 2;

	if (bgp_aspath_check(rbuf_cur(v), rbuf_left(v), asz, d->ctx->ebgp,
	    &d->why) == -1)
		return ADEC_BAD;
	if (d->ctx->as4) {
		d->u->attrs.aspath = rbuf_cur(v);
		d->u->attrs.aspath_len = (uint16_t)rbuf_left(v);
	} else {
		/* widened, and merged with AS4_PATH, once all are seen */
		d->aspath2 = rbuf_cur(v);
		d->aspath2_len = (uint16_t)rbuf_left(v);
		d->has_aspath2 = true;
	}
	return ADEC_KEEP;
}

/* 0/8, 127/8, class D and E: never a next hop (RFC 7606 7.3, 4271 6.3) */
static bool
v4_martian(const uint8_t *a)
{
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

/* ::, ::1, IPv4-mapped, multicast */
static bool
v6_martian(const uint8_t *a)
{
	static const uint8_t zero[10];

	if (a[0] == 0xff)
		return true;
	if (memcmp(a, zero, 10) != 0)
		return false;
	if (a[10] == 0xff && a[11] == 0xff)
		return true;
	if (a[10] || a[11] || a[12] || a[13] || a[14])
		return false;
	return a[15] <= 1;
}

static int
dec_nexthop(struct bgp_adec *d, struct rbuf *v)
{
	const uint8_t *a = rbuf_cur(v);

	if (v4_martian(a)) {
		d->why = "martian address";
		return ADEC_BAD;
	}
	memcpy(&d->u->attrs.nexthop, a, 4);
	return ADEC_KEEP;
}

static int
dec_med(struct bgp_adec *d, struct rbuf *v)
{
	rbuf_get_u32(v, &d->u->attrs.med);
	return ADEC_KEEP;
}

static int
dec_local_pref(struct bgp_adec *d, struct rbuf *v)
{
	rbuf_get_u32(v, &d->u->attrs.local_pref);
	return ADEC_KEEP;
}

static int
dec_atomic(struct bgp_adec *d, struct rbuf *v)
{
	return ADEC_KEEP;
}

static int
dec_aggregator(struct bgp_adec *d, struct rbuf *v)
{
	uint16_t as2 = 0;

	if (rbuf_left(v) != (d->ctx->as4 ? 8u : 6u)) {
		d->why = "bad length";
		return ADEC_BAD;
	}
	if (d->ctx->as4)
		rbuf_get_u32(v, &d->u->attrs.aggr_as);
	else {
		rbuf_get_u16(v, &as2);
		d->u->attrs.aggr_as = as2;
	}
	rbuf_get_u32(v, &d->u->attrs.aggr_id);
	if (d->u->attrs.aggr_as == 0) {		/* RFC 7607 section 2 */
		d->why = "AS 0";
		return ADEC_BAD;
	}
	return ADEC_KEEP;
}

static int
dec_comm(struct bgp_adec *d, struct rbuf *v)
{
	d->u->attrs.comm = rbuf_cur(v);
	d->u->attrs.comm_len = (uint16_t)rbuf_left(v);
	return ADEC_KEEP;
}

static int
dec_originator(struct bgp_adec *d, struct rbuf *v)
{
	rbuf_get_u32(v, &d->u->attrs.originator_id);
	return ADEC_KEEP;
}

static int
dec_cluster(struct bgp_adec *d, struct rbuf *v)
{
	d->u->attrs.cluster = rbuf_cur(v);
	d->u->attrs.cluster_len = (uint16_t)rbuf_left(v);
	return ADEC_KEEP;
}

static int
dec_ext(struct bgp_adec *d, struct rbuf *v)
{
	d->u->attrs.ext = rbuf_cur(v);
	d->u->attrs.ext_len = (uint16_t)rbuf_left(v);
	return ADEC_KEEP;
}

static int
dec_large(struct bgp_adec *d, struct rbuf *v)
{
	d->u->attrs.large = rbuf_cur(v);
	d->u->attrs.large_len = (uint16_t)rbuf_left(v);
	return ADEC_KEEP;
}

/* The families this session takes; no MP negotiated means IPv4 only. */
static int
mp_family(struct bgp_adec *d, uint16_t afi, uint8_t safi, enum bgp_fam *fam)
{
	uint8_t fams = d->ctx->fams ? d->ctx->fams : BGP_FAM_BIT(BGP_FAM_V4U);

	/* unknown or not negotiated: ignore (RFC 4760 7, RFC 7606 7.11) */
	if (bgp_fam_from_afi(afi, safi, fam) == -1 ||
	    !(fams & BGP_FAM_BIT(*fam)))
		return -1;
	return 0;
}

static int
mp_nlri(struct bgp_adec *d, enum bgp_fam fam, struct rbuf *nlri)
{
	if (bgp_nlri_check(rbuf_cur(nlri), rbuf_left(nlri),
	    fam == BGP_FAM_V6U ? 128 : 32) == -1) {
		d->why = "NLRI malformed";
		d->subcode = BGP_UPD_NETWORK;
		return ADEC_BAD;
	}
	return ADEC_KEEP;
}

static int
dec_mp_reach(struct bgp_adec *d, struct rbuf *v)
{
	struct bgp_pattrs *a = &d->u->attrs;
	struct rbuf nh;
	uint16_t afi;
	uint8_t safi, nhlen, res;
	enum bgp_fam fam;

	d->mp_seen = true;
	if (rbuf_get_u16(v, &afi) == -1 || rbuf_get_u8(v, &safi) == -1 ||
	    rbuf_get_u8(v, &nhlen) == -1 || rbuf_sub(v, nhlen, &nh) == -1 ||
	    rbuf_get_u8(v, &res) == -1) {
		d->why = "next hop overruns attribute";
		return ADEC_BAD;
	}
	if (mp_family(d, afi, safi, &fam) == -1)
		return ADEC_IGNORE;
	/*
	 * RFC 7606 7.11: a next hop length wrong for the family hides
	 * where the NLRI start, so the session must reset.
	 */
	if (fam == BGP_FAM_V4U ? nhlen != 4 : nhlen != 16 && nhlen != 32) {
		d->why = "bad next hop length";
		return ADEC_BAD;
	}
	if (mp_nlri(d, fam, v) == ADEC_BAD)
		return ADEC_BAD;
	d->u->mp_reach_fam = fam;
	rbuf_init(&d->u->mp_reach, rbuf_cur(v), rbuf_left(v));
	memset(&a->mp_nexthop, 0, sizeof(a->mp_nexthop));
	memset(&a->mp_nexthop_ll, 0, sizeof(a->mp_nexthop_ll));
	a->mp_nexthop.af = fam == BGP_FAM_V4U ? AF_INET : AF_INET6;
	memcpy(a->mp_nexthop.b, rbuf_cur(&nh), nhlen > 16 ? 16 : nhlen);
	if (nhlen == 32) {
		a->mp_nexthop_ll.af = AF_INET6;
		memcpy(a->mp_nexthop_ll.b, rbuf_cur(&nh) + 16, 16);
	}
	if (fam == BGP_FAM_V4U ? v4_martian(a->mp_nexthop.b) :
	    v6_martian(a->mp_nexthop.b))
		bgp_update_raise(d->u, BGP_7606_WITHDRAW,
		    "MP_REACH_NLRI next hop is a martian address");
	return ADEC_KEEP;
}

static int
dec_mp_unreach(struct bgp_adec *d, struct rbuf *v)
{
	uint16_t afi;
	uint8_t safi;
	enum bgp_fam fam;

	d->mp_seen = true;
	if (rbuf_get_u16(v, &afi) == -1 || rbuf_get_u8(v, &safi) == -1) {
		d->why = "too short";
		return ADEC_BAD;
	}
	if (mp_family(d, afi, safi, &fam) == -1)
		return ADEC_IGNORE;
	if (mp_nlri(d, fam, v) == ADEC_BAD)
		return ADEC_BAD;
	d->u->mp_unreach_fam = fam;
	rbuf_init(&d->u->mp_unreach, rbuf_cur(v), rbuf_left(v));
	return ADEC_KEEP;
}

/*
 * AS4_PATH and AS4_AGGREGATOR only mean something from a 2-octet speaker;
 * a 4-octet speaker's are discarded (RFC 6793 4.2.2 and 4.2.3).
 */
static int
dec_as4path(struct bgp_adec *d, struct rbuf *v)
{
	if (d->ctx->as4)
		return ADEC_IGNORE;
	if (bgp_aspath_check(rbuf_cur(v), rbuf_left(v), 4, true,
	    &d->why) == -1)
		return ADEC_BAD;
	d->as4path = rbuf_cur(v);
	d->as4path_len = (uint16_t)rbuf_left(v);
	d->has_as4path = true;
	return ADEC_IGNORE;
}

static int
dec_as4aggr(struct bgp_adec *d, struct rbuf *v)
{
	if (d->ctx->as4)
		return ADEC_IGNORE;
	rbuf_get_u32(v, &d->as4aggr_as);
	rbuf_get_u32(v, &d->as4aggr_id);
	if (d->as4aggr_as == 0) {
		d->why = "AS 0";
		return ADEC_BAD;
	}
	d->has_as4aggr = true;
	return ADEC_IGNORE;
}

/* --- encoders -------------------------------------------------------------- */

static void
put_hdr(struct wbuf *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		wbuf_put_u8(w, flags | BGP_AF_EXTLEN);
		wbuf_put_u8(w, type);
		wbuf_put_u16(w, (uint16_t)len);
	} else {
		wbuf_put_u8(w, flags);
		wbuf_put_u8(w, type);
		wbuf_put_u8(w, (uint8_t)len);
	}
}

static void
put_attr(struct wbuf *w, uint8_t flags, uint8_t type, const void *v,
    size_t len)
{
	put_hdr(w, flags, type, len);
	wbuf_put_bytes(w, v, len);
}

static void
put_attr32(struct wbuf *w, uint8_t flags, uint8_t type, uint32_t v)
{
	put_hdr(w, flags, type, 4);
	wbuf_put_u32(w, v);
}

static void
enc_origin(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_hdr(w, AF_WK, BGP_ATTR_ORIGIN, 1);
	wbuf_put_u8(w, a->origin);
}

/* Bytes the path takes with 2-octet ASes. */
static size_t
aspath_len2(const uint8_t *p, size_t len)
{
	size_t pos = 0, o = 0, seg;

	while (len - pos >= 2) {
		seg = (size_t)p[pos + 1] * 4;
		if (seg > len - pos - 2)
			break;
		o += 2 + seg / 2;
		pos += 2 + seg;
	}
	return o;
}

static void
enc_aspath(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	size_t n;
	bool wide;

	if (e->as4) {
		put_attr(w, AF_WK, BGP_ATTR_AS_PATH, a->aspath, a->aspath_len);
		return;
	}
	n = aspath_len2(a->aspath, a->aspath_len);
	put_hdr(w, AF_WK, BGP_ATTR_AS_PATH, n);
	if (wbuf_ensure(w, n) == -1)
		return;
	w->len += bgp_aspath_narrow(a->aspath, a->aspath_len, w->p + w->len,
	    &wide);
}

static void
enc_nexthop(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	if (f == BGP_FAM_V4U)
		put_attr(w, AF_WK, BGP_ATTR_NEXT_HOP, &a->nexthop, 4);
}

static void
enc_med(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr32(w, AF_OPT, BGP_ATTR_MED, a->med);
}

static void
enc_local_pref(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr32(w, AF_WK, BGP_ATTR_LOCAL_PREF, a->local_pref);
}

static void
enc_atomic(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_hdr(w, AF_WK, BGP_ATTR_ATOMIC_AGGR, 0);
}

static void
enc_aggregator(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	if (e->as4) {
		put_hdr(w, AF_OPTTR, BGP_ATTR_AGGREGATOR, 8);
		wbuf_put_u32(w, a->aggr_as);
	} else {
		put_hdr(w, AF_OPTTR, BGP_ATTR_AGGREGATOR, 6);
		wbuf_put_u16(w, a->aggr_as > 0xffff ? BGP_AS_TRANS :
		    (uint16_t)a->aggr_as);
	}
	wbuf_put_u32(w, a->aggr_id);
}

static void
enc_comm(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr(w, AF_OPTTR, BGP_ATTR_COMMUNITIES, a->comm, a->comm_len);
}

static void
enc_originator(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr32(w, AF_OPT, BGP_ATTR_ORIGINATOR_ID, a->originator_id);
}

static void
enc_cluster(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr(w, AF_OPT, BGP_ATTR_CLUSTER_LIST, a->cluster, a->cluster_len);
}

static void
enc_ext(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr(w, AF_OPTTR, BGP_ATTR_EXT_COMMUNITIES, a->ext, a->ext_len);
}

static void
enc_large(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	put_attr(w, AF_OPTTR, BGP_ATTR_LARGE_COMMUNITIES, a->large,
	    a->large_len);
}

/* AS4_PATH goes to a 2-octet speaker when some AS does not fit (6793 4.2.2) */
static void
enc_as4path(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	size_t n;

	if (e->as4 || !BGP_ATTR_HAS(a, BGP_ATTR_AS_PATH) ||
	    !bgp_aspath_wide(a->aspath, a->aspath_len))
		return;
	n = bgp_aspath_noconfed(a->aspath, a->aspath_len, NULL);
	put_hdr(w, AF_OPTTR, BGP_ATTR_AS4_PATH, n);
	if (wbuf_ensure(w, n) == -1)
		return;
	w->len += bgp_aspath_noconfed(a->aspath, a->aspath_len,
	    w->p + w->len);
}

static void
enc_as4aggr(struct wbuf *w, const struct bgp_pattrs *a, enum bgp_fam f,
    const struct bgp_encode_ctx *e)
{
	if (e->as4 || !BGP_ATTR_HAS(a, BGP_ATTR_AGGREGATOR) ||
	    a->aggr_as <= 0xffff)
		return;
	put_hdr(w, AF_OPTTR, BGP_ATTR_AS4_AGGREGATOR, 8);
	wbuf_put_u32(w, a->aggr_as);
	wbuf_put_u32(w, a->aggr_id);
}

/* --- the table ------------------------------------------------------------- */

#define W	BGP_7606_WITHDRAW
#define D	BGP_7606_ATTR_DISCARD
#define R	BGP_7606_SESSION_RESET

static const struct bgp_attr_desc bgp_attr_tab[256] = {
	[BGP_ATTR_ORIGIN] = { "ORIGIN", AF_WK, ALEN_FIXED, 1,
	    BGP_UPD_ORIGIN, W, false, dec_origin, enc_origin },
	[BGP_ATTR_AS_PATH] = { "AS_PATH", AF_WK, ALEN_ANY, 0,
	    BGP_UPD_ASPATH, W, false, dec_aspath, enc_aspath },
	[BGP_ATTR_NEXT_HOP] = { "NEXT_HOP", AF_WK, ALEN_FIXED, 4,
	    BGP_UPD_NEXTHOP, W, false, dec_nexthop, enc_nexthop },
	[BGP_ATTR_MED] = { "MULTI_EXIT_DISC", AF_OPT, ALEN_FIXED, 4,
	    BGP_UPD_OPTATTR, W, false, dec_med, enc_med },
	[BGP_ATTR_LOCAL_PREF] = { "LOCAL_PREF", AF_WK, ALEN_FIXED, 4,
	    BGP_UPD_ATTRLEN, W, true, dec_local_pref, enc_local_pref },
	[BGP_ATTR_ATOMIC_AGGR] = { "ATOMIC_AGGREGATE", AF_WK, ALEN_FIXED, 0,
	    BGP_UPD_ATTRLEN, D, false, dec_atomic, enc_atomic },
	[BGP_ATTR_AGGREGATOR] = { "AGGREGATOR", AF_OPTTR, ALEN_ANY, 0,
	    BGP_UPD_OPTATTR, D, false, dec_aggregator, enc_aggregator },
	[BGP_ATTR_COMMUNITIES] = { "COMMUNITIES", AF_OPTTR, ALEN_MULT, 4,
	    BGP_UPD_OPTATTR, W, false, dec_comm, enc_comm },
	[BGP_ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", AF_OPT, ALEN_FIXED, 4,
	    BGP_UPD_OPTATTR, W, true, dec_originator, enc_originator },
	[BGP_ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", AF_OPT, ALEN_MULT, 4,
	    BGP_UPD_OPTATTR, W, true, dec_cluster, enc_cluster },
	[BGP_ATTR_MP_REACH] = { "MP_REACH_NLRI", AF_OPT, ALEN_ANY, 0,
	    BGP_UPD_OPTATTR, R, false, dec_mp_reach, NULL },
	[BGP_ATTR_MP_UNREACH] = { "MP_UNREACH_NLRI", AF_OPT, ALEN_ANY, 0,
	    BGP_UPD_OPTATTR, R, false, dec_mp_unreach, NULL },
	[BGP_ATTR_EXT_COMMUNITIES] = { "EXTENDED_COMMUNITIES", AF_OPTTR,
	    ALEN_MULT, 8, BGP_UPD_OPTATTR, W, false, dec_ext, enc_ext },
	[BGP_ATTR_AS4_PATH] = { "AS4_PATH", AF_OPTTR, ALEN_ANY, 0,
	    BGP_UPD_OPTATTR, D, false, dec_as4path, enc_as4path },
	[BGP_ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", AF_OPTTR, ALEN_FIXED,
	    8, BGP_UPD_OPTATTR, D, false, dec_as4aggr, enc_as4aggr },
	[BGP_ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITY", AF_OPTTR,
	    ALEN_MULT, 12, BGP_UPD_OPTATTR, W, false, dec_large, enc_large },
};

#undef W
#undef D
#undef R

const char *
bgp_attr_name(uint8_t type)
{
	return bgp_attr_tab[type].name ? bgp_attr_tab[type].name : "unknown";
}

const struct bgp_attr_desc *
bgp_attr_desc(uint8_t type)
{
	return &bgp_attr_tab[type];
}
