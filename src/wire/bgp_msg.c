/*
 * BGP message framing (RFC 4271 section 4.1, 6.1): the 19-byte header with
 * its all-ones marker, length and type, checked once before any body is
 * dispatched; per-type length limits (RFC 4271 4.2-4.5, RFC 2918 section 3,
 * RFC 8654 for extended messages); KEEPALIVE; address family helpers.
 */
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

/* Smallest and largest total length per message type (0 = unknown type). */
static const struct {
	uint16_t	 min, max;
} bgp_type_len[] = {
	[BGP_OPEN] = { 29, BGP_MAX_MSG },	/* RFC 8654 section 4 */
	[BGP_UPDATE] = { 23, BGP_MAX_EXT_MSG },
	[BGP_NOTIFICATION] = { 21, BGP_MAX_EXT_MSG },
	[BGP_KEEPALIVE] = { 19, 19 },
	/*
	 * RFC 2918 fixes ROUTE-REFRESH at 23 bytes; RFC 7313 section 5
	 * moves a wrong length to its own error (ROUTE-REFRESH Message
	 * Error / Invalid Message Length), checked in bgp_rrefresh_decode.
	 */
	[BGP_ROUTE_REFRESH] = { 23, BGP_MAX_EXT_MSG },
};

void
bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode,
    const void *data, size_t datalen)
{
	if (err == NULL)
		return;
	err->code = code;
	err->subcode = subcode;
	if (datalen > sizeof(err->data))
		datalen = sizeof(err->data);
	err->datalen = (uint16_t)datalen;
	if (datalen)
		memcpy(err->data, data, datalen);
}

int
bgp_hdr_check(const uint8_t *hdr, size_t maxlen, uint8_t *type,
    uint16_t *len, struct bgp_err *err)
{
	uint16_t l;
	uint8_t t;
	int i;

	for (i = 0; i < BGP_MARKER_LEN; i++) {
		if (hdr[i] != 0xff) {
			bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_SYNC, NULL, 0);
			return -1;
		}
	}
	l = bgp_get16(hdr + 16);
	t = hdr[18];
	if (maxlen > BGP_MAX_EXT_MSG)
		maxlen = BGP_MAX_EXT_MSG;
	/* RFC 4271 6.1: the data of a length error is the length field */
	if (l < BGP_HDR_LEN || l > maxlen) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADLEN, hdr + 16, 2);
		return -1;
	}
	if (t >= sizeof(bgp_type_len) / sizeof(bgp_type_len[0]) ||
	    bgp_type_len[t].min == 0) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADTYPE, hdr + 18, 1);
		return -1;
	}
	if (l < bgp_type_len[t].min || l > bgp_type_len[t].max) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADLEN, hdr + 16, 2);
		return -1;
	}
	*type = t;
	*len = l;
	return 0;
}

long
bgp_msg_begin(struct wbuf *w, enum bgp_msg_type type)
{
	long off;

	off = wbuf_reserve(w, BGP_HDR_LEN);
	if (off == -1)
		return -1;
	memset(w->p + off, 0xff, BGP_MARKER_LEN);
	w->p[off + 18] = (uint8_t)type;
	return off;
}

int
bgp_msg_finish(struct wbuf *w, long off)
{
	size_t len;

	if (off < 0 || w->err || (size_t)off + BGP_HDR_LEN > w->len)
		return -1;
	len = w->len - (size_t)off;
	if (len > BGP_MAX_EXT_MSG) {
		w->err = true;
		return -1;
	}
	return wbuf_set_u16(w, (size_t)off + 16, (uint16_t)len);
}

int
bgp_keepalive_encode(struct wbuf *w)
{
	return bgp_msg_finish(w, bgp_msg_begin(w, BGP_KEEPALIVE));
}

int
bgp_fam_from_afi(uint16_t afi, uint8_t safi, enum bgp_fam *fam)
{
	if (safi != BGP_SAFI_UNICAST)
		return -1;
	if (afi == BGP_AFI_IPV4)
		*fam = BGP_FAM_V4U;
	else if (afi == BGP_AFI_IPV6)
		*fam = BGP_FAM_V6U;
	else
		return -1;
	return 0;
}

void
bgp_fam_to_afi(enum bgp_fam fam, uint16_t *afi, uint8_t *safi)
{
	*afi = fam == BGP_FAM_V6U ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	*safi = BGP_SAFI_UNICAST;
}

const char *
bgp_fam_name(enum bgp_fam fam)
{
	switch (fam) {
	case BGP_FAM_V4U:
		return "ipv4-unicast";
	case BGP_FAM_V6U:
		return "ipv6-unicast";
	default:
		return "unknown";
	}
}
