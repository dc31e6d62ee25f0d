/*
 * UPDATE messages (RFC 4271 4.3, 6.3 as revised by RFC 7606): framing of
 * the withdrawn routes, path attributes and NLRI sections; NLRI syntax
 * (RFC 7606 5.3); MP_REACH/MP_UNREACH for IPv4 and IPv6 unicast (RFC 4760
 * 3-4, RFC 2545 section 3 for the 16- or 32-byte next hop); 4-octet AS
 * reconstruction for 2-octet peers (RFC 6793 4.2.3); End-of-RIB (RFC 4724
 * section 2); and packing many prefixes behind one pre-encoded attribute
 * set, message after message.
 *
 * Hot paths: decoding walks each NLRI section once to validate it and
 * allocates nothing; packing copies prefixes in a plain loop into memory
 * reserved once per message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

#define TYPE_BIT(t)	((uint64_t)1 << (t))

void
bgp_update_raise(struct bgp_update *u, enum bgp_7606 a, const char *fmt, ...)
{
	va_list ap;

	if (a <= u->action)
		return;
	u->action = a;
	va_start(ap, fmt);
	vsnprintf(u->reason, sizeof(u->reason), fmt, ap);
	va_end(ap);
}

int
bgp_nlri_check(const uint8_t *p, size_t len, unsigned maxbits)
{
	size_t pos = 0;
	unsigned l;

	while (pos < len) {
		l = p[pos];
		if (l > maxbits)
			return -1;
		pos += 1 + ((l + 7) >> 3);
	}
	return pos == len ? 0 : -1;
}

int
bgp_nlri_next(struct rbuf *r, enum bgp_fam fam, struct prefix *p)
{
	const uint8_t *q;
	size_t left = rbuf_left(r);
	unsigned l, n;

	if (left == 0)
		return 0;
	q = rbuf_cur(r);
	l = q[0];
	n = (l + 7) >> 3;
	if (l > (fam == BGP_FAM_V6U ? 128u : 32u) || left - 1 < n)
		return -1;
	p->af = fam == BGP_FAM_V6U ? AF_INET6 : AF_INET;
	p->len = (uint8_t)l;
	memset(p->b, 0, sizeof(p->b));
	memcpy(p->b, q + 1, n);
	/* host bits on the wire carry no meaning (RFC 4271 4.3) */
	if (l & 7)
		p->b[n - 1] &= (uint8_t)(0xff << (8 - (l & 7)));
	rbuf_skip(r, 1 + n);
	return 1;
}

static int
upd_reset(struct bgp_update *u, struct bgp_err *err, uint8_t sub,
    const char *why)
{
	bgp_err_set(err, BGP_ERR_UPDATE, sub, NULL, 0);
	bgp_update_raise(u, BGP_7606_SESSION_RESET, "%s", why);
	return -1;
}

/*
 * A 2-octet speaker's AS_PATH is widened, and rebuilt with AS4_PATH and
 * AS4_AGGREGATOR when the AGGREGATOR rule allows (RFC 6793 4.2.3).
 */
static void
upd_as4_finish(struct bgp_adec *d)
{
	struct bgp_pattrs *a = &d->u->attrs;
	bool use4 = d->has_as4path;
	size_t need, n;
	uint8_t *out;

	if (d->ctx->as4 || !d->has_aspath2 ||
	    !BGP_ATTR_HAS(a, BGP_ATTR_AS_PATH))
		return;
	if (BGP_ATTR_HAS(a, BGP_ATTR_AGGREGATOR)) {
		if (a->aggr_as != BGP_AS_TRANS)
			use4 = false;
		else if (d->has_as4aggr) {
			a->aggr_as = d->as4aggr_as;
			a->aggr_id = d->as4aggr_id;
		}
	}
	need = 2 * (size_t)d->aspath2_len + (use4 ? d->as4path_len : 0);
	if (d->ctx->scratch == NULL ||
	    d->ctx->scratch_len - d->scratch_used < need) {
		a->present &= ~TYPE_BIT(BGP_ATTR_AS_PATH);
		bgp_update_raise(d->u, BGP_7606_WITHDRAW,
		    "AS_PATH too long to widen to 4-octet ASes");
		return;
	}
	out = d->ctx->scratch + d->scratch_used;
	if (use4)
		n = bgp_aspath_merge(d->aspath2, d->aspath2_len, d->as4path,
		    d->as4path_len, out);
	else
		n = bgp_aspath_widen(d->aspath2, d->aspath2_len, out);
	if (n > 0xffff) {
		a->present &= ~TYPE_BIT(BGP_ATTR_AS_PATH);
		bgp_update_raise(d->u, BGP_7606_WITHDRAW,
		    "AS_PATH too long to widen to 4-octet ASes");
		return;
	}
	d->scratch_used += n;
	a->aspath = out;
	a->aspath_len = (uint16_t)n;
}

/* RFC 7606 3.d: missing well-known mandatory attributes withdraw. */
static void
upd_mandatory(struct bgp_update *u)
{
	static const uint8_t need[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
	    BGP_ATTR_NEXT_HOP };
	size_t i, n = 2;

	if (u->action >= BGP_7606_WITHDRAW)
		return;
	/* NEXT_HOP only goes with NLRI outside MP_REACH (RFC 4760 3) */
	if (rbuf_left(&u->nlri) > 0)
		n = 3;
	else if (rbuf_left(&u->mp_reach) == 0)
		return;
	for (i = 0; i < n; i++) {
		if (!BGP_ATTR_HAS(&u->attrs, need[i])) {
			bgp_update_raise(u, BGP_7606_WITHDRAW,
			    "missing well-known attribute %s",
			    bgp_attr_name(need[i]));
			return;
		}
	}
}

/* End-of-RIB: an empty UPDATE, or one MP_UNREACH with nothing in it. */
static void
upd_eor(struct bgp_adec *d, size_t len)
{
	struct bgp_update *u = d->u;
	unsigned i, nseen = 0;

	if (len == 4) {
		u->eor = true;
		u->eor_fam = BGP_FAM_V4U;
		return;
	}
	for (i = 0; i < 4; i++)
		nseen += (unsigned)__builtin_popcountll(d->seen[i]);
	if (nseen == 1 && u->attrs.present == TYPE_BIT(BGP_ATTR_MP_UNREACH) &&
	    rbuf_left(&u->mp_unreach) == 0 && rbuf_left(&u->withdrawn) == 0 &&
	    rbuf_left(&u->nlri) == 0 && u->action == BGP_7606_NONE) {
		u->eor = true;
		u->eor_fam = u->mp_unreach_fam;
	}
}

int
bgp_update_decode(const uint8_t *body, size_t len,
    const struct bgp_decode_ctx *ctx, struct bgp_update *u,
    struct bgp_err *err)
{
	struct bgp_adec d;
	struct rbuf r, attrs;
	uint16_t wlen, alen;

	memset(u, 0, sizeof(*u));
	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.u = u;
	d.err = err;
	rbuf_init(&r, body, len);
	/* RFC 4271 6.3 / RFC 7606 5.3: framing errors reset the session */
	if (rbuf_get_u16(&r, &wlen) == -1 ||
	    rbuf_sub(&r, wlen, &u->withdrawn) == -1)
		return upd_reset(u, err, BGP_UPD_ATTRLIST,
		    "withdrawn routes length overruns the message");
	if (bgp_nlri_check(rbuf_cur(&u->withdrawn), wlen, 32) == -1)
		return upd_reset(u, err, BGP_UPD_NETWORK,
		    "withdrawn routes malformed");
	if (rbuf_get_u16(&r, &alen) == -1 || rbuf_sub(&r, alen, &attrs) == -1)
		return upd_reset(u, err, BGP_UPD_ATTRLIST,
		    "path attribute length overruns the message");
	rbuf_sub(&r, rbuf_left(&r), &u->nlri);
	if (bgp_nlri_check(rbuf_cur(&u->nlri), rbuf_left(&u->nlri), 32) == -1)
		return upd_reset(u, err, BGP_UPD_NETWORK, "NLRI malformed");
	u->has_attrs = alen > 0;
	if (bgp_attrs_decode(&d, &attrs) == -1) {
		u->action = BGP_7606_SESSION_RESET;
		return -1;
	}
	upd_as4_finish(&d);
	upd_mandatory(u);
	upd_eor(&d, len);
	return 0;
}

/* --- encoding -------------------------------------------------------------- */

static size_t
pack_max(const struct wbuf *w, const struct bgp_encode_ctx *e)
{
	size_t max = e->ext_msg ? BGP_MAX_EXT_MSG : BGP_MAX_MSG;

	return wbuf_room(w) < max ? wbuf_room(w) : max;
}

static void
put_hdr(uint8_t *o, uint8_t type, size_t len)
{
	memset(o, 0xff, BGP_MARKER_LEN);
	bgp_put16(o + 16, (uint16_t)len);
	o[18] = type;
}

/* How many of pfx[0..n) fit in 'room' bytes, and how many bytes they take */
static size_t
nlri_fit(const struct prefix *pfx, size_t n, size_t room, size_t *bytes)
{
	size_t i, b = 0, need;

	for (i = 0; i < n; i++) {
		need = 1 + (((size_t)pfx[i].len + 7) >> 3);
		if (b + need > room)
			break;
		b += need;
	}
	*bytes = b;
	return i;
}

/*
 * Copy prefixes as length byte + significant bytes. With 'fast', each copy
 * is a fixed 4 or 16 bytes (one or two stores, no memcpy call) that may
 * spill up to 15 bytes past the end, into room the caller reserved.
 */
static uint8_t *
nlri_put(uint8_t *q, const struct prefix *pfx, size_t n, enum bgp_fam fam,
    bool fast)
{
	size_t i, nb;

	if (fast && fam == BGP_FAM_V4U) {
		for (i = 0; i < n; i++) {
			*q = pfx[i].len;
			memcpy(q + 1, pfx[i].b, 4);
			q += 1 + (((size_t)pfx[i].len + 7) >> 3);
		}
		return q;
	}
	if (fast) {
		for (i = 0; i < n; i++) {
			*q = pfx[i].len;
			memcpy(q + 1, pfx[i].b, 16);
			q += 1 + (((size_t)pfx[i].len + 7) >> 3);
		}
		return q;
	}
	for (i = 0; i < n; i++) {
		nb = ((size_t)pfx[i].len + 7) >> 3;
		*q++ = pfx[i].len;
		memcpy(q, pfx[i].b, nb);
		q += nb;
	}
	return q;
}

/* Make room for a message of 'len' bytes, plus spill room if there is any */
static int
pack_room(struct wbuf *w, size_t len, bool *fast)
{
	*fast = wbuf_room(w) >= len + 16;
	return wbuf_ensure(w, len + (*fast ? 16 : 0));
}

int
bgp_update_pack(struct wbuf *w, const struct bgp_encode_ctx *e,
    enum bgp_fam fam, const uint8_t *attrs, size_t attrs_len,
    const struct addr *nh, const struct addr *nh_ll,
    const struct prefix *pfx, size_t n)
{
	size_t max = pack_max(w, e), fixed, nbytes, k, nhlen = 0, mplen;
	uint8_t *o, *q;
	bool fast;
	uint16_t afi;
	uint8_t safi;

	if (fam == BGP_FAM_V6U) {
		if (nh == NULL)
			return -1;
		nhlen = nh_ll && nh_ll->af ? 32 : 16;
		/* MP_REACH: 4 header, AFI/SAFI/nhlen 4, next hop, reserved 1 */
		fixed = BGP_HDR_LEN + 4 + 4 + 4 + nhlen + 1 + attrs_len;
	} else
		fixed = BGP_HDR_LEN + 4 + attrs_len;
	if (n == 0 || fixed >= max)
		return -1;
	k = nlri_fit(pfx, n, max - fixed, &nbytes);
	if (k == 0 || pack_room(w, fixed + nbytes, &fast) == -1)
		return -1;
	o = w->p + w->len;
	put_hdr(o, BGP_UPDATE, fixed + nbytes);
	bgp_put16(o + 19, 0);
	q = o + 23;
	if (fam == BGP_FAM_V6U) {
		mplen = 4 + nhlen + 1 + nbytes;
		bgp_put16(o + 21, (uint16_t)(4 + mplen + attrs_len));
		/* MP_REACH goes first so the NLRI are found (RFC 7606 5.1) */
		*q++ = BGP_AF_OPTIONAL | BGP_AF_EXTLEN;
		*q++ = BGP_ATTR_MP_REACH;
		bgp_put16(q, (uint16_t)mplen);
		bgp_fam_to_afi(fam, &afi, &safi);
		bgp_put16(q + 2, afi);
		q[4] = safi;
		q[5] = (uint8_t)nhlen;
		memcpy(q + 6, nh->b, 16);
		if (nhlen == 32)
			memcpy(q + 22, nh_ll->b, 16);
		q += 6 + nhlen;
		*q++ = 0;
		q = nlri_put(q, pfx, k, fam, fast);
		memcpy(q, attrs, attrs_len);
	} else {
		bgp_put16(o + 21, (uint16_t)attrs_len);
		memcpy(q, attrs, attrs_len);
		nlri_put(q + attrs_len, pfx, k, fam, fast);
	}
	w->len += fixed + nbytes;
	return (int)k;
}

int
bgp_withdraw_pack(struct wbuf *w, const struct bgp_encode_ctx *e,
    enum bgp_fam fam, const struct prefix *pfx, size_t n)
{
	size_t max = pack_max(w, e), fixed, nbytes, k;
	uint8_t *o, *q;
	bool fast;
	uint16_t afi;
	uint8_t safi;

	/* IPv6: an MP_UNREACH with a 2-byte length and AFI/SAFI */
	fixed = BGP_HDR_LEN + 4 + (fam == BGP_FAM_V6U ? 4 + 3 : 0);
	if (n == 0 || fixed >= max)
		return -1;
	k = nlri_fit(pfx, n, max - fixed, &nbytes);
	if (k == 0 || pack_room(w, fixed + nbytes, &fast) == -1)
		return -1;
	o = w->p + w->len;
	put_hdr(o, BGP_UPDATE, fixed + nbytes);
	if (fam == BGP_FAM_V6U) {
		bgp_put16(o + 19, 0);
		bgp_put16(o + 21, (uint16_t)(4 + 3 + nbytes));
		q = o + 23;
		q[0] = BGP_AF_OPTIONAL | BGP_AF_EXTLEN;
		q[1] = BGP_ATTR_MP_UNREACH;
		bgp_put16(q + 2, (uint16_t)(3 + nbytes));
		bgp_fam_to_afi(fam, &afi, &safi);
		bgp_put16(q + 4, afi);
		q[6] = safi;
		nlri_put(q + 7, pfx, k, fam, fast);
	} else {
		bgp_put16(o + 19, (uint16_t)nbytes);
		/* the attribute length goes after: no spill past it */
		q = nlri_put(o + 21, pfx, k, fam, false);
		bgp_put16(q, 0);
	}
	w->len += fixed + nbytes;
	return (int)k;
}

int
bgp_eor_encode(struct wbuf *w, enum bgp_fam fam)
{
	uint16_t afi;
	uint8_t safi;
	long off;

	off = bgp_msg_begin(w, BGP_UPDATE);
	wbuf_put_u16(w, 0);
	if (fam == BGP_FAM_V4U)
		wbuf_put_u16(w, 0);
	else {
		bgp_fam_to_afi(fam, &afi, &safi);
		wbuf_put_u16(w, 6);
		wbuf_put_u8(w, BGP_AF_OPTIONAL);
		wbuf_put_u8(w, BGP_ATTR_MP_UNREACH);
		wbuf_put_u8(w, 3);
		wbuf_put_u16(w, afi);
		wbuf_put_u8(w, safi);
	}
	return bgp_msg_finish(w, off);
}
