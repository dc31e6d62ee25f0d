/*
 * OPEN messages (RFC 4271 4.2, 6.2) and the capabilities they carry
 * (RFC 5492): multiprotocol (RFC 4760 section 8), route refresh (RFC 2918,
 * and the pre-standard code 128), enhanced route refresh (RFC 7313),
 * extended messages (RFC 8654), graceful restart (RFC 4724 section 3),
 * 4-octet AS (RFC 6793 section 3). Extended optional parameter lengths
 * (RFC 9072) are accepted and used when the capabilities need them.
 * Unknown capabilities are ignored, as RFC 5492 section 3 asks.
 */
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

enum {
	CAPA_MP = 1,
	CAPA_RR = 2,
	CAPA_EXT_MSG = 6,
	CAPA_GR = 64,
	CAPA_AS4 = 65,
	CAPA_ERR = 70,
	CAPA_RR_OLD = 128,
};
#define OPT_PARAM_CAPA		2
#define OPT_PARAM_EXT		255	/* RFC 9072 marker */

static int
open_fail(struct bgp_err *err, uint8_t sub)
{
	bgp_err_set(err, BGP_ERR_OPEN, sub, NULL, 0);
	return -1;
}

/* A known capability whose value has the wrong shape: 2/0 (RFC 5492 3). */
static int
capa_decode_one(uint8_t code, struct rbuf *v, struct bgp_caps *c)
{
	uint16_t afi = 0, t = 0;
	uint8_t safi = 0, res = 0, fl = 0;
	enum bgp_fam fam;

	switch (code) {
	case CAPA_MP:
		if (rbuf_left(v) != 4)
			return -1;
		rbuf_get_u16(v, &afi);
		rbuf_get_u8(v, &res);
		rbuf_get_u8(v, &safi);
		c->mp_present = true;
		if (bgp_fam_from_afi(afi, safi, &fam) == 0)
			c->fams |= BGP_FAM_BIT(fam);
		return 0;
	case CAPA_RR:
	case CAPA_RR_OLD:
		if (rbuf_left(v) != 0)
			return -1;
		c->route_refresh = true;
		return 0;
	case CAPA_ERR:
		if (rbuf_left(v) != 0)
			return -1;
		c->enhanced_rr = true;
		return 0;
	case CAPA_EXT_MSG:
		if (rbuf_left(v) != 0)
			return -1;
		c->ext_msg = true;
		return 0;
	case CAPA_AS4:
		if (rbuf_left(v) != 4)
			return -1;
		rbuf_get_u32(v, &c->as4_asn);
		c->as4 = true;
		return 0;
	case CAPA_GR:
		if (rbuf_left(v) < 2 || (rbuf_left(v) - 2) % 4 != 0)
			return -1;
		rbuf_get_u16(v, &t);
		c->gr = true;
		c->gr_flags_time = t;
		c->gr_fams = 0;
		while (rbuf_left(v) >= 4) {
			rbuf_get_u16(v, &afi);
			rbuf_get_u8(v, &safi);
			rbuf_get_u8(v, &fl);
			if (bgp_fam_from_afi(afi, safi, &fam) == 0) {
				c->gr_fams |= BGP_FAM_BIT(fam);
				c->gr_fam_flags[fam] = fl;
			}
		}
		return 0;
	default:
		return 0;	/* unknown: ignored */
	}
}

static int
capa_decode(struct rbuf *p, struct bgp_caps *c)
{
	struct rbuf v;
	uint8_t code, len;

	while (rbuf_left(p) > 0) {
		if (rbuf_get_u8(p, &code) == -1 || rbuf_get_u8(p, &len) == -1 ||
		    rbuf_sub(p, len, &v) == -1)
			return -1;
		if (capa_decode_one(code, &v, c) == -1)
			return -1;
	}
	return 0;
}

/* The optional parameters, plain (RFC 4271) or extended (RFC 9072). */
static int
open_params_decode(struct rbuf *r, struct bgp_open *o, size_t msglen,
    struct bgp_err *err)
{
	struct rbuf params, v;
	uint16_t plen16, optlen;
	uint8_t optlen8, type, plen8;
	const uint8_t *peek;
	bool ext = false;

	if (rbuf_get_u8(r, &optlen8) == -1)
		goto badlen;
	optlen = optlen8;
	peek = rbuf_peek(r, 1);
	if (optlen8 == 255 && peek != NULL && peek[0] == OPT_PARAM_EXT) {
		rbuf_skip(r, 1);
		if (rbuf_get_u16(r, &optlen) == -1)
			goto badlen;
		ext = true;
	}
	if (rbuf_left(r) != optlen)
		goto badlen;
	rbuf_sub(r, optlen, &params);
	while (rbuf_left(&params) > 0) {
		if (rbuf_get_u8(&params, &type) == -1)
			return open_fail(err, 0);
		if (ext) {
			if (rbuf_get_u16(&params, &plen16) == -1)
				return open_fail(err, 0);
		} else {
			if (rbuf_get_u8(&params, &plen8) == -1)
				return open_fail(err, 0);
			plen16 = plen8;
		}
		if (rbuf_sub(&params, plen16, &v) == -1)
			return open_fail(err, 0);
		if (type != OPT_PARAM_CAPA)
			return open_fail(err, BGP_OPEN_OPTPARAM);
		if (capa_decode(&v, &o->caps) == -1)
			return open_fail(err, 0);
	}
	return 0;
badlen:
	/* the parameter lengths disagree with the message length */
	{
		uint8_t l[2];

		bgp_put16(l, (uint16_t)(msglen > 0xffff ? 0xffff : msglen));
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADLEN, l, 2);
	}
	return -1;
}

int
bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *o,
    struct bgp_err *err)
{
	static const uint8_t version[2] = { 0, BGP_VERSION };
	struct rbuf r;

	memset(o, 0, sizeof(*o));
	rbuf_init(&r, body, len);
	if (rbuf_get_u8(&r, &o->version) == -1 ||
	    rbuf_get_u16(&r, &o->my_as) == -1 ||
	    rbuf_get_u16(&r, &o->hold) == -1 ||
	    rbuf_get_u32(&r, &o->bgp_id) == -1) {
		uint8_t l[2];

		bgp_put16(l, (uint16_t)(len + BGP_HDR_LEN));
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADLEN, l, 2);
		return -1;
	}
	/* RFC 4271 6.2: the data is the largest version we support */
	if (o->version != BGP_VERSION) {
		bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_VERSION, version, 2);
		return -1;
	}
	if (o->my_as == 0)			/* RFC 7607 */
		return open_fail(err, BGP_OPEN_BADAS);
	if (o->hold == 1 || o->hold == 2)
		return open_fail(err, BGP_OPEN_HOLD);
	if (o->bgp_id == 0)			/* RFC 6286 */
		return open_fail(err, BGP_OPEN_BADID);
	if (open_params_decode(&r, o, len + BGP_HDR_LEN, err) == -1)
		return -1;
	if (o->caps.as4 && o->caps.as4_asn == 0)	/* RFC 7607 */
		return open_fail(err, BGP_OPEN_BADAS);
	return 0;
}

uint32_t
bgp_open_asn(const struct bgp_open *o)
{
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

static void
capa_put(struct wbuf *w, uint8_t code, const void *v, uint8_t len)
{
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, len);
	wbuf_put_bytes(w, v, len);
}

static void
capa_encode(struct wbuf *w, const struct bgp_caps *c)
{
	uint8_t v[4 + 4 * BGP_FAM_MAX];
	uint16_t afi;
	uint8_t safi;
	size_t n;
	int f;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		if (!(c->fams & BGP_FAM_BIT(f)))
			continue;
		bgp_fam_to_afi(f, &afi, &safi);
		bgp_put16(v, afi);
		v[2] = 0;
		v[3] = safi;
		capa_put(w, CAPA_MP, v, 4);
	}
	if (c->route_refresh)
		capa_put(w, CAPA_RR, NULL, 0);
	if (c->enhanced_rr)
		capa_put(w, CAPA_ERR, NULL, 0);
	if (c->ext_msg)
		capa_put(w, CAPA_EXT_MSG, NULL, 0);
	if (c->gr) {
		bgp_put16(v, c->gr_flags_time);
		n = 2;
		for (f = 0; f < BGP_FAM_MAX; f++) {
			if (!(c->gr_fams & BGP_FAM_BIT(f)))
				continue;
			bgp_fam_to_afi(f, &afi, &safi);
			bgp_put16(v + n, afi);
			v[n + 2] = safi;
			v[n + 3] = c->gr_fam_flags[f];
			n += 4;
		}
		capa_put(w, CAPA_GR, v, (uint8_t)n);
	}
	if (c->as4) {
		bgp_put32(v, c->as4_asn);
		capa_put(w, CAPA_AS4, v, 4);
	}
}

int
bgp_open_encode(struct wbuf *w, const struct bgp_open *o)
{
	uint8_t cbuf[256];
	struct wbuf caps;
	long off;

	wbuf_init_fixed(&caps, cbuf, sizeof(cbuf));
	capa_encode(&caps, &o->caps);
	if (caps.err)
		return -1;
	off = bgp_msg_begin(w, BGP_OPEN);
	wbuf_put_u8(w, BGP_VERSION);
	wbuf_put_u16(w, o->my_as);
	wbuf_put_u16(w, o->hold);
	wbuf_put_u32(w, o->bgp_id);
	if (caps.len == 0)
		wbuf_put_u8(w, 0);
	else if (caps.len + 2 <= 255) {
		wbuf_put_u8(w, (uint8_t)(caps.len + 2));
		wbuf_put_u8(w, OPT_PARAM_CAPA);
		wbuf_put_u8(w, (uint8_t)caps.len);
	} else {
		/* RFC 9072: one capability parameter with a 2-byte length */
		wbuf_put_u8(w, 255);
		wbuf_put_u8(w, OPT_PARAM_EXT);
		wbuf_put_u16(w, (uint16_t)(caps.len + 3));
		wbuf_put_u8(w, OPT_PARAM_CAPA);
		wbuf_put_u16(w, (uint16_t)caps.len);
	}
	wbuf_put_bytes(w, cbuf, caps.len);
	return bgp_msg_finish(w, off);
}
