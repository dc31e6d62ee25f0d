/*
 * NOTIFICATION (RFC 4271 4.5) with the Cease subcodes of RFC 4486 and
 * RFC 9384 (BFD down), the shutdown communication of RFC 8203 / RFC 9003
 * (a length byte and up to 255 bytes of UTF-8 after Administrative
 * Shutdown or Reset), names of codes and subcodes for logs and output,
 * and ROUTE-REFRESH (RFC 2918 section 3, RFC 7313 sections 3 and 5).
 */
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

/*
 * Copy a shutdown communication for display: control characters become
 * '?', so a peer cannot put terminal escapes or newlines into our logs.
 */
static void
shutdown_copy(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? '?' : (char)src[i];
	dst[n] = '\0';
}

int
bgp_notification_decode(const uint8_t *body, size_t len,
    struct bgp_notification *n)
{
	uint8_t slen;

	memset(n, 0, sizeof(*n));
	if (len < 2)
		return -1;
	n->code = body[0];
	n->subcode = body[1];
	n->data = len > 2 ? body + 2 : NULL;
	n->datalen = (uint16_t)(len - 2 > 0xffff ? 0xffff : len - 2);
	if (n->code == BGP_ERR_CEASE && n->datalen > 0 &&
	    (n->subcode == BGP_CEASE_ADMIN_DOWN ||
	    n->subcode == BGP_CEASE_ADMIN_RESET)) {
		slen = n->data[0];
		/* a length that overruns the data is not a communication */
		if ((size_t)slen + 1 <= n->datalen)
			shutdown_copy(n->shutdown_msg, n->data + 1, slen);
	}
	return 0;
}

int
bgp_notification_encode(struct wbuf *w, const struct bgp_err *e)
{
	long off;

	off = bgp_msg_begin(w, BGP_NOTIFICATION);
	wbuf_put_u8(w, e->code);
	wbuf_put_u8(w, e->subcode);
	wbuf_put_bytes(w, e->data, e->datalen > sizeof(e->data) ?
	    sizeof(e->data) : e->datalen);
	return bgp_msg_finish(w, off);
}

int
bgp_shutdown_encode(struct wbuf *w, uint8_t subcode, const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;
	long off;

	if (n > 255) {
		/* cut at a UTF-8 character boundary */
		n = 255;
		while (n > 0 && ((uint8_t)msg[n] & 0xc0) == 0x80)
			n--;
	}
	off = bgp_msg_begin(w, BGP_NOTIFICATION);
	wbuf_put_u8(w, BGP_ERR_CEASE);
	wbuf_put_u8(w, subcode);
	wbuf_put_u8(w, (uint8_t)n);
	wbuf_put_bytes(w, msg, n);
	return bgp_msg_finish(w, off);
}

static const char *const bgp_code_names[] = {
	[BGP_ERR_HEADER] = "Message Header Error",
	[BGP_ERR_OPEN] = "OPEN Message Error",
	[BGP_ERR_UPDATE] = "UPDATE Message Error",
	[BGP_ERR_HOLD] = "Hold Timer Expired",
	[BGP_ERR_FSM] = "Finite State Machine Error",
	[BGP_ERR_CEASE] = "Cease",
	[BGP_ERR_RREFRESH] = "ROUTE-REFRESH Message Error",
};

static const char *const bgp_hdr_names[] = {
	[BGP_HDR_SYNC] = "Connection Not Synchronized",
	[BGP_HDR_BADLEN] = "Bad Message Length",
	[BGP_HDR_BADTYPE] = "Bad Message Type",
};

static const char *const bgp_open_names[] = {
	[BGP_OPEN_VERSION] = "Unsupported Version Number",
	[BGP_OPEN_BADAS] = "Bad Peer AS",
	[BGP_OPEN_BADID] = "Bad BGP Identifier",
	[BGP_OPEN_OPTPARAM] = "Unsupported Optional Parameter",
	[BGP_OPEN_HOLD] = "Unacceptable Hold Time",
	[BGP_OPEN_CAPA] = "Unsupported Capability",
	[BGP_OPEN_ROLE] = "Role Mismatch",
};

static const char *const bgp_upd_names[] = {
	[BGP_UPD_ATTRLIST] = "Malformed Attribute List",
	[BGP_UPD_UNKWN_WK] = "Unrecognized Well-known Attribute",
	[BGP_UPD_MISS_WK] = "Missing Well-known Attribute",
	[BGP_UPD_ATTRFLAGS] = "Attribute Flags Error",
	[BGP_UPD_ATTRLEN] = "Attribute Length Error",
	[BGP_UPD_ORIGIN] = "Invalid ORIGIN Attribute",
	[BGP_UPD_NEXTHOP] = "Invalid NEXT_HOP Attribute",
	[BGP_UPD_OPTATTR] = "Optional Attribute Error",
	[BGP_UPD_NETWORK] = "Invalid Network Field",
	[BGP_UPD_ASPATH] = "Malformed AS_PATH",
};

static const char *const bgp_fsm_names[] = {
	[1] = "Receive Unexpected Message in OpenSent State",
	[2] = "Receive Unexpected Message in OpenConfirm State",
	[3] = "Receive Unexpected Message in Established State",
};

static const char *const bgp_cease_names[] = {
	[BGP_CEASE_MAXPFX] = "Maximum Number of Prefixes Reached",
	[BGP_CEASE_ADMIN_DOWN] = "Administrative Shutdown",
	[BGP_CEASE_PEER_UNCONF] = "Peer De-configured",
	[BGP_CEASE_ADMIN_RESET] = "Administrative Reset",
	[BGP_CEASE_REJECT] = "Connection Rejected",
	[BGP_CEASE_CONFCHG] = "Other Configuration Change",
	[BGP_CEASE_COLLISION] = "Connection Collision Resolution",
	[BGP_CEASE_RESOURCES] = "Out of Resources",
	[BGP_CEASE_HARDRESET] = "Hard Reset",
	[BGP_CEASE_BFD_DOWN] = "BFD Down",
};

static const char *const bgp_rr_names[] = {
	[1] = "Invalid Message Length",
};

#define NAME(tab, i) ((i) < sizeof(tab) / sizeof(tab[0]) && tab[i] ? \
	tab[i] : NULL)

const char *
bgp_err_code_name(uint8_t code)
{
	const char *s = NAME(bgp_code_names, code);

	return s ? s : "Unknown Error";
}

const char *
bgp_err_subcode_name(uint8_t code, uint8_t sub)
{
	const char *s = NULL;

	if (sub == 0)
		return "Unspecific";
	switch (code) {
	case BGP_ERR_HEADER:
		s = NAME(bgp_hdr_names, sub);
		break;
	case BGP_ERR_OPEN:
		s = NAME(bgp_open_names, sub);
		break;
	case BGP_ERR_UPDATE:
		s = NAME(bgp_upd_names, sub);
		break;
	case BGP_ERR_FSM:
		s = NAME(bgp_fsm_names, sub);
		break;
	case BGP_ERR_CEASE:
		s = NAME(bgp_cease_names, sub);
		break;
	case BGP_ERR_RREFRESH:
		s = NAME(bgp_rr_names, sub);
		break;
	}
	return s ? s : "Unknown Subcode";
}

int
bgp_rrefresh_decode(const uint8_t *body, size_t len, enum bgp_fam *fam,
    uint8_t *subtype, struct bgp_err *err)
{
	uint8_t msg[64];
	size_t n;

	if (len < 4) {
		uint8_t l[2];

		bgp_put16(l, (uint16_t)(len + BGP_HDR_LEN));
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_BADLEN, l, 2);
		return -1;
	}
	*subtype = body[2];
	/* unknown subtype: ignore the message (RFC 7313 section 5) */
	if (*subtype > 2)
		return 1;
	/*
	 * RFC 7313 section 5: a wrong length is its own error, and the
	 * data is the whole message (we rebuild its header).
	 */
	if (len != 4) {
		n = len + BGP_HDR_LEN;
		memset(msg, 0xff, BGP_MARKER_LEN);
		bgp_put16(msg + 16, (uint16_t)(n > 0xffff ? 0xffff : n));
		msg[18] = BGP_ROUTE_REFRESH;
		memcpy(msg + BGP_HDR_LEN, body,
		    len > sizeof(msg) - BGP_HDR_LEN ?
		    sizeof(msg) - BGP_HDR_LEN : len);
		bgp_err_set(err, BGP_ERR_RREFRESH, 1, msg,
		    n > sizeof(msg) ? sizeof(msg) : n);
		return -1;
	}
	/* a family we do not know was not negotiated: ignore (RFC 2918 4) */
	if (bgp_fam_from_afi(bgp_get16(body), body[3], fam) == -1)
		return 1;
	return 0;
}

int
bgp_rrefresh_encode(struct wbuf *w, enum bgp_fam fam, uint8_t subtype)
{
	uint16_t afi;
	uint8_t safi;
	long off;

	bgp_fam_to_afi(fam, &afi, &safi);
	off = bgp_msg_begin(w, BGP_ROUTE_REFRESH);
	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, subtype);
	wbuf_put_u8(w, safi);
	return bgp_msg_finish(w, off);
}
