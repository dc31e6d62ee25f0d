/*
 * Path attributes: one descriptor per known type (RFC 4271 5.1, RFC 1997,
 * RFC 4360, RFC 4456, RFC 4760, RFC 6793, RFC 8092) giving its flags, its
 * length rule, how to decode and encode it, and what RFC 7606 says to do
 * when it is malformed (section 7, per attribute; section 3 for flags,
 * duplicates and unknown types; section 4 for overrunning lengths).
 *
 * Decoding never allocates: values point into the message. Unknown
 * optional transitive attributes are copied, with the Partial bit set
 * (RFC 4271 5), to the front of the caller's scratch area so they can be
 * passed on as one block.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

enum { ALEN_ANY, ALEN_FIXED, ALEN_MULT };

/* What a decoder says: keep the attribute, drop it quietly, or malformed. */
enum { ADEC_KEEP = 0, ADEC_IGNORE = 1, ADEC_BAD = -1 };

typedef int	attr_dec_fn(struct bgp_adec *, struct rbuf *);
typedef void	attr_enc_fn(struct wbuf *, const struct bgp_pattrs *,
		    enum bgp_fam, const struct bgp_encode_ctx *);

struct bgp_attr_desc {
	const char	*name;
	uint8_t		 flags;		/* required Optional|Transitive */
	uint8_t		 len_rule;	/* ALEN_* */
	uint8_t		 len;		/* the fixed length or the multiple */
	uint8_t		 subcode;	/* NOTIFICATION subcode on reset */
	enum bgp_7606	 on_error;	/* RFC 7606 section 7 */
	bool		 ebgp_discard;	/* never accepted from eBGP */
	attr_dec_fn	*decode;
	attr_enc_fn	*encode;
};

#define AF_WK		BGP_AF_TRANSITIVE
#define AF_OPT		BGP_AF_OPTIONAL
#define AF_OPTTR	(BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)
#define TYPE_BIT(t)	(t < 64 ? (uint64_t)1 << (t) : 0)

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

/* --- the parse loop -------------------------------------------------------- */

/*
 * Apply the attribute's RFC 7606 action for a malformation; -1 when that
 * is a session reset (err carries the attribute, RFC 4271 6.3).
 */
static int
attr_malformed(struct bgp_adec *d, const struct bgp_attr_desc *a,
    uint8_t type, uint8_t subcode, const char *why)
{
	struct bgp_update *u = d->u;

	u->attrs.present &= ~TYPE_BIT(type);
	switch (a->on_error) {
	case BGP_7606_ATTR_DISCARD:
		u->discarded |= TYPE_BIT(type);
		if (type == BGP_ATTR_AS4_PATH)
			d->has_as4path = false;
		else if (type == BGP_ATTR_AS4_AGGREGATOR)
			d->has_as4aggr = false;
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "%s discarded: %s", a->name, why);
		return 0;
	case BGP_7606_SESSION_RESET:
		bgp_err_set(d->err, BGP_ERR_UPDATE, subcode, d->attr,
		    d->attr_len);
		bgp_update_raise(u, BGP_7606_SESSION_RESET, "%s malformed: %s",
		    a->name, why);
		return -1;
	default:
		bgp_update_raise(u, BGP_7606_WITHDRAW, "%s malformed: %s",
		    a->name, why);
		return 0;
	}
}

/* Keep an unknown optional transitive attribute, Partial set (4271 5). */
static void
attr_unknown_keep(struct bgp_adec *d)
{
	struct bgp_pattrs *a = &d->u->attrs;
	uint8_t *dst;

	if (d->ctx->scratch == NULL ||
	    d->ctx->scratch_len - d->scratch_used < d->attr_len ||
	    a->unknown_len + d->attr_len > 0xffff) {
		bgp_update_raise(d->u, BGP_7606_ATTR_DISCARD,
		    "unknown attribute %u dropped: no room to pass it on",
		    d->attr[1]);
		return;
	}
	dst = d->ctx->scratch + d->scratch_used;
	memcpy(dst, d->attr, d->attr_len);
	dst[0] |= BGP_AF_PARTIAL;
	if (a->unknown == NULL)
		a->unknown = dst;
	a->unknown_len += (uint16_t)d->attr_len;
	d->scratch_used += d->attr_len;
}

static bool
attr_len_ok(const struct bgp_attr_desc *a, size_t len)
{
	switch (a->len_rule) {
	case ALEN_FIXED:
		return len == a->len;
	case ALEN_MULT:
		return len > 0 && len % a->len == 0;
	default:
		return true;
	}
}

/* One attribute whose header and value were read whole. */
static int
attr_one(struct bgp_adec *d, uint8_t flags, uint8_t type, struct rbuf *v)
{
	const struct bgp_attr_desc *a = &bgp_attr_tab[type];
	struct bgp_update *u = d->u;
	char why[48];
	int rc;

	if (d->seen[type / 64] & (uint64_t)1 << (type % 64)) {
		/* RFC 7606 3.g */
		if (type == BGP_ATTR_MP_REACH || type == BGP_ATTR_MP_UNREACH) {
			bgp_err_set(d->err, BGP_ERR_UPDATE, BGP_UPD_ATTRLIST,
			    NULL, 0);
			bgp_update_raise(u, BGP_7606_SESSION_RESET,
			    "%s appears twice", a->name);
			return -1;
		}
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "duplicate %s (type %u) discarded", bgp_attr_name(type),
		    type);
		return 0;
	}
	d->seen[type / 64] |= (uint64_t)1 << (type % 64);
	if (a->name == NULL) {
		if (!(flags & BGP_AF_OPTIONAL)) {
			bgp_err_set(d->err, BGP_ERR_UPDATE, BGP_UPD_UNKWN_WK,
			    d->attr, d->attr_len);
			bgp_update_raise(u, BGP_7606_SESSION_RESET,
			    "unrecognized well-known attribute %u", type);
			return -1;
		}
		if (flags & BGP_AF_TRANSITIVE)
			attr_unknown_keep(d);
		return 0;
	}
	if (a->ebgp_discard && d->ctx->ebgp) {
		u->discarded |= TYPE_BIT(type);
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "%s from an external peer discarded", a->name);
		return 0;
	}
	/* RFC 7606 3.c: wrong Optional/Transitive bits are a malformation */
	if ((flags & AF_OPTTR) != a->flags) {
		snprintf(why, sizeof(why), "flags 0x%02x, want 0x%02x",
		    flags & AF_OPTTR, a->flags);
		return attr_malformed(d, a, type, BGP_UPD_ATTRFLAGS, why);
	}
	if (!attr_len_ok(a, rbuf_left(v))) {
		snprintf(why, sizeof(why), "length %zu", rbuf_left(v));
		return attr_malformed(d, a, type, BGP_UPD_ATTRLEN, why);
	}
	d->why = "bad value";
	d->subcode = a->subcode;
	rc = a->decode(d, v);
	if (rc == ADEC_BAD)
		return attr_malformed(d, a, type, d->subcode, d->why);
	if (rc == ADEC_KEEP)
		u->attrs.present |= TYPE_BIT(type);
	return 0;
}

int
bgp_attrs_decode(struct bgp_adec *d, struct rbuf *r)
{
	const uint8_t *start;
	struct rbuf v;
	uint16_t len16;
	uint8_t flags, type, len8;

	while (rbuf_left(r) > 0) {
		start = rbuf_cur(r);
		if (rbuf_get_u8(r, &flags) == -1 || rbuf_get_u8(r, &type) == -1)
			goto overrun;
		if (flags & BGP_AF_EXTLEN) {
			if (rbuf_get_u16(r, &len16) == -1)
				goto overrun;
		} else {
			if (rbuf_get_u8(r, &len8) == -1)
				goto overrun;
			len16 = len8;
		}
		if (rbuf_sub(r, len16, &v) == -1)
			goto overrun;
		d->attr = start;
		d->attr_len = (size_t)(rbuf_cur(r) - start);
		d->flags = flags;
		if (attr_one(d, flags, type, &v) == -1)
			return -1;
	}
	return 0;
overrun:
	/*
	 * RFC 7606 section 4: the attribute section's own length still
	 * locates the NLRI, so this is treat-as-withdraw, not a reset.
	 */
	bgp_update_raise(d->u, BGP_7606_WITHDRAW,
	    "attribute overruns the path attribute section");
	return 0;
}

/* --- encoding -------------------------------------------------------------- */

/* Copy the passed-on unknown attributes with a type below 'below'. */
static const uint8_t *
unknown_flush(struct wbuf *w, const uint8_t *p, const uint8_t *end,
    unsigned below)
{
	size_t n;

	while (end - p >= 3 && p[1] < below) {
		n = (p[0] & BGP_AF_EXTLEN) ? 4 + (size_t)bgp_get16(p + 2) :
		    3 + (size_t)p[2];
		if (n > (size_t)(end - p))
			return end;
		wbuf_put_bytes(w, p, n);
		p += n;
	}
	return p;
}

int
bgp_attrs_encode(struct wbuf *w, const struct bgp_pattrs *a,
    enum bgp_fam fam, const struct bgp_encode_ctx *e)
{
	const uint8_t *up = a->unknown, *uend = a->unknown + a->unknown_len;
	const struct bgp_attr_desc *d;
	unsigned t;
	bool always;

	if (a->unknown == NULL)
		up = uend = NULL;
	for (t = 1; t < 256; t++) {
		d = &bgp_attr_tab[t];
		if (d->encode == NULL)
			continue;
		/* AS4_* are derived from AS_PATH and AGGREGATOR */
		always = t == BGP_ATTR_AS4_PATH || t == BGP_ATTR_AS4_AGGREGATOR;
		if (!always && !BGP_ATTR_HAS(a, t))
			continue;
		up = unknown_flush(w, up, uend, t);
		d->encode(w, a, fam, e);
	}
	unknown_flush(w, up, uend, 256);
	return w->err ? -1 : 0;
}
