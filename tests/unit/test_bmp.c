/*
 * BMP encoders (RFC 7854) checked byte by byte: common header, per-peer
 * header, Initiation, Peer Up, Route Monitoring, Peer Down, Stats Report,
 * Termination; then read back with the decoder.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "bmp/bmp.h"
#include "t.h"

#define MARKER	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff

static const uint8_t eor[23] = { MARKER, 0x00, 0x17, 0x02, 0, 0, 0, 0 };
static const uint8_t open1[29] = { MARKER, 0x00, 0x1d, 0x01, 0x04, 0xfd,
	0xe9, 0x00, 0xb4, 10, 0, 0, 2, 0x00 };
static const uint8_t open2[29] = { MARKER, 0x00, 0x1d, 0x01, 0x04, 0x2f,
	0x2c, 0x00, 0xb4, 10, 0, 0, 1, 0x00 };

/* Per-peer header of 10.0.0.2, AS 65001, id 10.0.0.2, at 0x5f000000.5 */
static const uint8_t want_peer[42] = {
	0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	0x00, 0x00, 0xfd, 0xe9, 10, 0, 0, 2,
	0x5f, 0, 0, 0, 0, 0, 0, 5,
};

static void
peer(struct bmp_peer *p)
{
	memset(p, 0, sizeof(*p));
	T_EQ(addr_parse("10.0.0.2", &p->addr), 0);
	p->as = 65001;
	p->bgp_id = 0x0a000002;
	p->ts_sec = 0x5f000000;
	p->ts_usec = 5;
}

static int
tlv_cb(uint16_t type, const uint8_t *v, uint16_t len, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 64 - strlen(out), "%u=%.*s;", type,
	    (int)len, (const char *)v);
	return 0;
}

static void
test_initiation(void)
{
	static const uint8_t want[] = { 3, 0, 0, 0, 16, 4,
		0, 1, 0, 1, 'd', 0, 2, 0, 1, 'n' };
	struct bmp_msg m;
	struct rbuf r;
	struct wbuf w;
	char seen[64] = "";

	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(bmp_initiation_encode(&w, "d", "n"), 0);
	T_EQ(w.len, sizeof(want));
	T_MEMEQ(w.p, want, sizeof(want));
	rbuf_init(&r, w.p, w.len);
	T_EQ(bmp_msg_next(&r, &m), 1);
	T_EQ(m.type, BMP_INITIATION);
	T_CHECK(!m.has_peer);
	T_EQ(bmp_tlv_walk(m.body, tlv_cb, seen), 0);
	T_STREQ(seen, "1=d;2=n;");
	wbuf_free(&w);
}

static void
test_route_mon(void)
{
	static const uint8_t want_hdr[] = { 3, 0, 0, 0, 71, 0 };
	struct bmp_peer p;
	struct bmp_msg m;
	struct rbuf r;
	struct wbuf w;

	peer(&p);
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(bmp_route_mon_encode(&w, &p, eor, sizeof(eor)), 0);
	T_EQ(w.len, 71);
	T_MEMEQ(w.p, want_hdr, sizeof(want_hdr));
	T_MEMEQ(w.p + 6, want_peer, sizeof(want_peer));
	T_MEMEQ(w.p + 48, eor, sizeof(eor));
	rbuf_init(&r, w.p, w.len);
	T_EQ(bmp_msg_next(&r, &m), 1);
	T_CHECK(m.has_peer);
	T_EQ(m.peer.as, 65001);
	T_EQ(m.peer.ts_usec, 5);
	T_EQ(rbuf_left(&m.body), sizeof(eor));
	/* An IPv6 peer sets V; a 2-octet session sets A (4.2). */
	wbuf_reset(&w);
	T_EQ(addr_parse("2001:db8::2", &p.addr), 0);
	p.flags = BMP_PF_A;
	T_EQ(bmp_route_mon_encode(&w, &p, eor, sizeof(eor)), 0);
	T_EQ(w.p[7], BMP_PF_V | BMP_PF_A);
	T_EQ(w.p[16], 0x20);
	wbuf_free(&w);
}

static void
test_peer_up(void)
{
	static const uint8_t want_hdr[] = { 3, 0, 0, 0, 126, 3 };
	static const uint8_t want_local[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 10, 0, 0, 1, 0x00, 0xb3, 0x9c, 0x40 };
	struct bmp_peer_up u;
	struct bmp_peer p;
	struct bmp_msg m;
	struct addr local;
	struct rbuf r;
	struct wbuf w;

	peer(&p);
	T_EQ(addr_parse("10.0.0.1", &local), 0);
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(bmp_peer_up_encode(&w, &p, &local, 179, 40000, open2,
	    sizeof(open2), open1, sizeof(open1)), 0);
	T_EQ(w.len, 126);
	T_MEMEQ(w.p, want_hdr, sizeof(want_hdr));
	T_MEMEQ(w.p + 6, want_peer, sizeof(want_peer));
	T_MEMEQ(w.p + 48, want_local, sizeof(want_local));
	T_MEMEQ(w.p + 68, open2, sizeof(open2));
	T_MEMEQ(w.p + 97, open1, sizeof(open1));
	rbuf_init(&r, w.p, w.len);
	T_EQ(bmp_msg_next(&r, &m), 1);
	T_EQ(bmp_peer_up_decode(&m, &u), 0);
	T_EQ(u.lport, 179);
	T_EQ(u.rport, 40000);
	T_EQ(addr_cmp(&u.local, &local), 0);
	T_EQ(u.rlen, sizeof(open1));
	T_MEMEQ(u.open_rcvd, open1, sizeof(open1));
	/* No OPEN to show: refused, nothing written. */
	wbuf_reset(&w);
	T_EQ(bmp_peer_up_encode(&w, &p, &local, 179, 1, open2, 0, open1,
	    sizeof(open1)), -1);
	T_EQ(w.len, 0);
	wbuf_free(&w);
}

static void
test_down_stats_term(void)
{
	static const uint8_t want_term[] = { 3, 0, 0, 0, 12, 5,
		0, 1, 0, 2, 0, 0 };
	static const uint8_t want_stats[] = { 0, 0, 0, 3,
		0, 7, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5,
		0, 9, 0, 11, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 3,
		0, 9, 0, 11, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 2 };
	static const uint8_t ev[2] = { 0, 0 };
	uint64_t adj[BGP_FAM_MAX] = { 3, 2 };
	struct bmp_peer p;
	struct wbuf w;

	peer(&p);
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(bmp_peer_down_encode(&w, &p, BMP_DOWN_LOCAL_NONOTIF, ev, 2), 0);
	T_EQ(w.len, 6 + 42 + 1 + 2);
	T_EQ(w.p[5], BMP_PEER_DOWN);
	T_EQ(w.p[48], BMP_DOWN_LOCAL_NONOTIF);
	wbuf_reset(&w);
	T_EQ(bmp_stats_encode(&w, &p, adj), 0);
	T_EQ(w.len, 6 + 42 + sizeof(want_stats));
	T_MEMEQ(w.p + 48, want_stats, sizeof(want_stats));
	wbuf_reset(&w);
	T_EQ(bmp_termination_encode(&w, BMP_TERM_ADMIN_CLOSE), 0);
	T_EQ(w.len, sizeof(want_term));
	T_MEMEQ(w.p, want_term, sizeof(want_term));
	wbuf_free(&w);
}

static void
test_decode_bad(void)
{
	static const uint8_t badver[] = { 2, 0, 0, 0, 6, 4 };
	static const uint8_t short_len[] = { 3, 0, 0, 0, 5, 4 };
	static const uint8_t trunc[] = { 3, 0, 0, 0, 60, 0, 0 };
	struct bmp_msg m;
	struct rbuf r;

	rbuf_init(&r, badver, sizeof(badver));
	T_EQ(bmp_msg_next(&r, &m), -1);
	rbuf_init(&r, short_len, sizeof(short_len));
	T_EQ(bmp_msg_next(&r, &m), -1);
	rbuf_init(&r, trunc, sizeof(trunc));
	T_EQ(bmp_msg_next(&r, &m), -1);
	T_EQ(r.pos, 0);
}

int
main(void)
{
	T_RUN(test_initiation);
	T_RUN(test_route_mon);
	T_RUN(test_peer_up);
	T_RUN(test_down_stats_term);
	T_RUN(test_decode_bad);
	return t_done();
}
