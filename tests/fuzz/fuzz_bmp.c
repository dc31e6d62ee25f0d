/*
 * libFuzzer target for the BMP codec (RFC 7854). The input is read as a
 * BMP stream: every message goes through the decoders without reading out
 * of bounds; a message with a per-peer header re-encodes (header and body
 * verbatim) to the same bytes, and a Peer Up the decoder accepts
 * re-encodes exactly from its decoded parts.
 */
#include <stdlib.h>
#include <string.h>

#include "bmp/bmp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[1 << 17];

static int
tlv_cb(uint16_t type, const uint8_t *v, uint16_t len, void *arg)
{
	size_t *n = arg;

	if (len > 0 && v == NULL)
		abort();
	*n += len;
	return 0;
}

static void
check_peer_msg(const struct bmp_msg *m, const uint8_t *raw, size_t len)
{
	struct bmp_peer_up u;
	struct wbuf w;
	long off;

	/* The IPv4 form has zeros before the address; V says which. */
	wbuf_init_fixed(&w, out, sizeof(out));
	off = bmp_begin(&w, (enum bmp_type)m->type);
	if (bmp_peer_hdr(&w, &m->peer) == -1)
		abort();
	wbuf_put_bytes(&w, rbuf_cur(&m->body), rbuf_left(&m->body));
	if (bmp_finish(&w, off) == -1 || w.len != len ||
	    memcmp(w.p, raw, len) != 0)
		abort();
	if (m->type != BMP_PEER_UP || bmp_peer_up_decode(m, &u) == -1)
		return;
	/* Peer Up from its parts: only when nothing trails the OPENs. */
	if (BMP_HDR_LEN + BMP_PEER_HDR_LEN + 20 + u.slen + u.rlen != len ||
	    (u.local.af == 10) != ((m->peer.flags & BMP_PF_V) != 0))
		return;
	wbuf_init_fixed(&w, out, sizeof(out));
	if (bmp_peer_up_encode(&w, &m->peer, &u.local, u.lport, u.rport,
	    u.open_sent, u.slen, u.open_rcvd, u.rlen) == -1)
		abort();
	/* IPv4 local addresses: the 12 leading bytes are not kept. */
	if (w.len != len || memcmp(w.p, raw, BMP_HDR_LEN + BMP_PEER_HDR_LEN))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bmp_msg m;
	struct rbuf r;
	size_t start, n;
	int k = 0;

	rbuf_init(&r, data, size);
	for (;;) {
		start = r.pos;
		if (k++ == 64 || bmp_msg_next(&r, &m) != 1)
			break;
		if (m.has_peer)
			check_peer_msg(&m, data + start, r.pos - start);
		else {
			n = 0;
			bmp_tlv_walk(m.body, tlv_cb, &n);
		}
	}
	return 0;
}
