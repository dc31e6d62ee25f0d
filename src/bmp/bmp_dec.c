/*
 * A small BMP reader (RFC 7854 4.1-4.10): splits a stream into messages,
 * reads the per-peer header, Information TLVs and Peer Up. Used by the
 * unit tests to check the encoders byte by byte and by the fuzzer.
 */
#include <string.h>
#include <sys/socket.h>

#include "bmp/bmp.h"

static bool
has_peer_hdr(uint8_t type)
{
	return type <= BMP_PEER_UP;
}

static int
peer_hdr(struct rbuf *r, struct bmp_peer *p)
{
	static const uint8_t v4mapped[12];
	uint8_t a[16];

	memset(p, 0, sizeof(*p));
	if (rbuf_get_u8(r, &p->type) == -1 || rbuf_get_u8(r, &p->flags) == -1 ||
	    rbuf_get_u64(r, &p->distinguisher) == -1 ||
	    rbuf_get_bytes(r, a, 16) == -1 || rbuf_get_u32(r, &p->as) == -1 ||
	    rbuf_get_u32(r, &p->bgp_id) == -1 ||
	    rbuf_get_u32(r, &p->ts_sec) == -1 ||
	    rbuf_get_u32(r, &p->ts_usec) == -1)
		return -1;
	if (p->flags & BMP_PF_V) {
		p->addr.af = AF_INET6;
		memcpy(p->addr.b, a, 16);
	} else {
		if (memcmp(a, v4mapped, 12) != 0)
			return -1;
		p->addr.af = AF_INET;
		memcpy(p->addr.b, a + 12, 4);
	}
	return 0;
}

int
bmp_msg_next(struct rbuf *r, struct bmp_msg *m)
{
	struct rbuf all;
	uint32_t len;
	size_t save = r->pos;

	memset(m, 0, sizeof(*m));
	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_u8(r, &m->version) == -1 || rbuf_get_u32(r, &len) == -1 ||
	    rbuf_get_u8(r, &m->type) == -1 || m->version != BMP_VERSION ||
	    len < BMP_HDR_LEN ||
	    rbuf_sub(r, len - BMP_HDR_LEN, &all) == -1)
		goto bad;
	if (has_peer_hdr(m->type)) {
		if (peer_hdr(&all, &m->peer) == -1)
			goto bad;
		m->has_peer = true;
	}
	rbuf_init(&m->body, rbuf_cur(&all), rbuf_left(&all));
	return 1;
bad:
	r->pos = save;
	return -1;
}

int
bmp_tlv_walk(struct rbuf r, int (*cb)(uint16_t, const uint8_t *, uint16_t,
    void *), void *arg)
{
	uint16_t type, len;
	const uint8_t *v;

	while (rbuf_left(&r) > 0) {
		if (rbuf_get_u16(&r, &type) == -1 ||
		    rbuf_get_u16(&r, &len) == -1 ||
		    (v = rbuf_peek(&r, len)) == NULL)
			return -1;
		rbuf_skip(&r, len);
		if (cb(type, v, len, arg) != 0)
			return 1;
	}
	return 0;
}

/* A BGP message at the reader: its length from its header. */
static int
bgp_pdu(struct rbuf *r, const uint8_t **p, size_t *len)
{
	const uint8_t *h = rbuf_peek(r, BGP_HDR_LEN);
	size_t l;

	if (h == NULL)
		return -1;
	l = (size_t)(h[16] << 8 | h[17]);
	if (l < BGP_HDR_LEN || (*p = rbuf_peek(r, l)) == NULL)
		return -1;
	*len = l;
	return rbuf_skip(r, l);
}

int
bmp_peer_up_decode(const struct bmp_msg *m, struct bmp_peer_up *u)
{
	struct rbuf r = m->body;
	uint8_t a[16];

	memset(u, 0, sizeof(*u));
	if (m->type != BMP_PEER_UP || rbuf_get_bytes(&r, a, 16) == -1 ||
	    rbuf_get_u16(&r, &u->lport) == -1 ||
	    rbuf_get_u16(&r, &u->rport) == -1 ||
	    bgp_pdu(&r, &u->open_sent, &u->slen) == -1 ||
	    bgp_pdu(&r, &u->open_rcvd, &u->rlen) == -1)
		return -1;
	if (m->peer.flags & BMP_PF_V) {
		u->local.af = AF_INET6;
		memcpy(u->local.b, a, 16);
	} else {
		u->local.af = AF_INET;
		memcpy(u->local.b, a + 12, 4);
	}
	return 0;
}
