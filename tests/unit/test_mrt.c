/*
 * MRT encoders (RFC 6396) checked byte by byte against hand-written
 * records, then read back with the decoder.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "mrt/mrt.h"
#include "rib/rib.h"
#include "t.h"

#define TS	0x5f000000u

static const uint8_t keepalive[19] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x04,
};

static void
addr4(struct addr *a, const char *s)
{
	T_EQ(addr_parse(s, a), 0);
}

static void
test_peer_index(void)
{
	static const uint8_t want[] = {
		0x5f, 0, 0, 0, 0x00, 0x0d, 0x00, 0x01, 0, 0, 0, 50,
		10, 0, 0, 1,			/* collector */
		0x00, 0x04, 'c', 't', 'x', '1',	/* view */
		0x00, 0x02,			/* peers */
		0x02, 10, 0, 0, 2, 10, 0, 0, 2, 0x00, 0x00, 0xfd, 0xe9,
		0x03, 10, 0, 0, 3, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 3, 0xfa, 0x56, 0xea, 0x01,
	};
	struct mrt_peer p[2] = {
		{ .bgp_id = 0x0a000002, .as = 65001 },
		{ .bgp_id = 0x0a000003, .as = 4200000001u },
	};
	struct mrt_peer_index pi;
	struct mrt_rec rec;
	struct rbuf r;
	struct wbuf w;

	addr4(&p[0].addr, "10.0.0.2");
	addr4(&p[1].addr, "2001:db8::3");
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(mrt_peer_index_encode(&w, TS, 0x0a000001, "ctx1", p, 2), 0);
	T_EQ(w.len, sizeof(want));
	T_MEMEQ(w.p, want, sizeof(want));
	rbuf_init(&r, w.p, w.len);
	T_EQ(mrt_rec_next(&r, &rec), 1);
	T_EQ(mrt_peer_index_decode(&rec, &pi), 0);
	T_EQ(pi.collector, 0x0a000001);
	T_STREQ(pi.view, "ctx1");
	T_EQ(pi.npeers, 2);
	T_EQ(pi.peers[1].as, 4200000001u);
	T_EQ(addr_cmp(&pi.peers[1].addr, &p[1].addr), 0);
	T_EQ(mrt_rec_next(&r, &rec), 0);
	wbuf_free(&w);
}

static void
test_rib_ipv4(void)
{
	static const uint8_t path[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
	static const uint8_t want[] = {
		0x5f, 0, 0, 0, 0x00, 0x0d, 0x00, 0x02, 0, 0, 0, 37,
		0, 0, 0, 7,			/* sequence */
		16, 10, 20,			/* 10.20.0.0/16 */
		0x00, 0x01,			/* one entry */
		0x00, 0x01, 0x5f, 0, 0, 0, 0x00, 20,
		0x40, 1, 1, 0,			/* ORIGIN IGP */
		0x40, 2, 6, 2, 1, 0, 0, 0xfd, 0xe9,	/* AS_PATH 65001 */
		0x40, 3, 4, 10, 0, 0, 2,	/* NEXT_HOP */
	};
	struct bgp_pattrs a;
	struct mrt_rib rib;
	struct mrt_rec rec;
	struct prefix p;
	struct rbuf r;
	struct wbuf w;
	long off;

	memset(&a, 0, sizeof(a));
	a.present = 1u << BGP_ATTR_ORIGIN | 1u << BGP_ATTR_AS_PATH |
	    1u << BGP_ATTR_NEXT_HOP;
	a.origin = BGP_ORIGIN_IGP;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop = htonl(0x0a000002);
	T_EQ(prefix_parse("10.20.0.0/16", &p, true), 0);
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	off = mrt_rib_begin(&w, TS, 7, &p);
	T_EQ(off, 0);
	T_EQ(mrt_rib_entry(&w, 1, TS, &a, BGP_FAM_V4U), 0);
	T_EQ(mrt_rib_finish(&w, off, 1), 0);
	T_EQ(w.len, sizeof(want));
	T_MEMEQ(w.p, want, sizeof(want));
	rbuf_init(&r, w.p, w.len);
	T_EQ(mrt_rec_next(&r, &rec), 1);
	T_EQ(mrt_rib_decode(&rec, &rib), 0);
	T_EQ(rib.seq, 7);
	T_EQ(prefix_cmp(&rib.prefix, &p), 0);
	T_EQ(rib.nentries, 1);
	T_EQ(rib.entries[0].peer_idx, 1);
	T_EQ(rib.entries[0].attrs_len, 20);
	wbuf_free(&w);
}

/* IPv6: the next hop goes into an abbreviated MP_REACH_NLRI (4.3.4). */
static void
test_rib_ipv6(void)
{
	static const uint8_t want_mp[] = { 0x80, 14, 17, 16, 0x20, 0x01,
		0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct bgp_pattrs a;
	struct mrt_rib rib;
	struct mrt_rec rec;
	struct prefix p;
	struct rbuf r;
	struct wbuf w;
	long off;

	memset(&a, 0, sizeof(a));
	a.present = 1u << BGP_ATTR_ORIGIN;
	a.origin = BGP_ORIGIN_INCOMPLETE;
	T_EQ(addr_parse("2001:db8::1", &a.mp_nexthop), 0);
	T_EQ(prefix_parse("2001:db8:20::/48", &p, true), 0);
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	off = mrt_rib_begin(&w, TS, 0, &p);
	T_EQ(mrt_rib_entry(&w, 0, TS, &a, BGP_FAM_V6U), 0);
	T_EQ(mrt_rib_finish(&w, off, 1), 0);
	T_EQ(w.p[7], MRT_RIB_IPV6_UNICAST);
	rbuf_init(&r, w.p, w.len);
	T_EQ(mrt_rec_next(&r, &rec), 1);
	T_EQ(mrt_rib_decode(&rec, &rib), 0);
	T_EQ(prefix_cmp(&rib.prefix, &p), 0);
	/* ORIGIN (4 bytes), then MP_REACH with only the next hop. */
	T_EQ(rib.entries[0].attrs_len, 4 + sizeof(want_mp));
	T_MEMEQ(rib.entries[0].attrs + 4, want_mp, sizeof(want_mp));
	wbuf_free(&w);
}

static void
test_bgp4mp(void)
{
	static const uint8_t want_hdr[] = {
		0x5f, 0, 0, 0, 0x00, 0x10, 0x00, 0x04, 0, 0, 0, 39,
		0x00, 0x00, 0xfd, 0xe9,		/* peer AS */
		0x00, 0x00, 0x2f, 0x2c,		/* local AS 12076 */
		0x00, 0x00, 0x00, 0x01,		/* ifindex, AFI IPv4 */
		10, 0, 0, 2, 10, 0, 0, 1,
	};
	static const uint8_t want_state[] = {
		0x5f, 0, 0, 0, 0x00, 0x10, 0x00, 0x05, 0, 0, 0, 24,
		0x00, 0x00, 0xfd, 0xe9, 0x00, 0x00, 0x2f, 0x2c,
		0x00, 0x00, 0x00, 0x01, 10, 0, 0, 2, 10, 0, 0, 1,
		0x00, 0x05, 0x00, 0x06,		/* OpenConfirm -> Established */
	};
	struct mrt_bgp4mp e = { .peer_as = 65001, .local_as = 12076 };
	struct mrt_bgp4mp_rec m;
	struct mrt_rec rec;
	struct rbuf r;
	struct wbuf w;

	addr4(&e.peer, "10.0.0.2");
	addr4(&e.local, "10.0.0.1");
	T_EQ(wbuf_init(&w, 16, 4096), 0);
	T_EQ(mrt_bgp4mp_msg_encode(&w, TS, &e, false, keepalive,
	    sizeof(keepalive)), 0);
	T_EQ(w.len, sizeof(want_hdr) + sizeof(keepalive));
	T_MEMEQ(w.p, want_hdr, sizeof(want_hdr));
	T_MEMEQ(w.p + sizeof(want_hdr), keepalive, sizeof(keepalive));
	/* Sent by us: the _LOCAL subtype, same layout. */
	T_EQ(mrt_bgp4mp_msg_encode(&w, TS, &e, true, keepalive,
	    sizeof(keepalive)), 0);
	T_EQ(w.p[w.len - 39 - 12 + 7], MRT_BGP4MP_MESSAGE_AS4_LOCAL);
	wbuf_reset(&w);
	T_EQ(mrt_bgp4mp_state_encode(&w, TS, &e, MRT_ST_OPENCONFIRM,
	    MRT_ST_ESTABLISHED), 0);
	T_EQ(w.len, sizeof(want_state));
	T_MEMEQ(w.p, want_state, sizeof(want_state));
	rbuf_init(&r, w.p, w.len);
	T_EQ(mrt_rec_next(&r, &rec), 1);
	T_EQ(mrt_bgp4mp_decode(&rec, &m), 0);
	T_EQ(m.new_state, MRT_ST_ESTABLISHED);
	T_EQ(m.ends.local_as, 12076);
	/* Mixed families are refused, nothing is written. */
	wbuf_reset(&w);
	addr4(&e.local, "2001:db8::1");
	T_EQ(mrt_bgp4mp_state_encode(&w, TS, &e, 1, 2), -1);
	T_EQ(w.len, 0);
	wbuf_free(&w);
}

static void
test_truncated(void)
{
	static const uint8_t bad[] = { 0, 0, 0, 0, 0, 13, 0, 1, 0, 0, 0, 9, 1 };
	struct mrt_rec rec;
	struct rbuf r;

	rbuf_init(&r, bad, sizeof(bad));
	T_EQ(mrt_rec_next(&r, &rec), -1);
	T_EQ(r.pos, 0);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = malloc(1 << 20);

	*len = f != NULL && p != NULL ? fread(p, 1, 1 << 20, f) : 0;
	if (f != NULL)
		fclose(f);
	return p;
}

/*
 * A RIB of 2,500 originated IPv4 prefixes and one IPv6 prefix, dumped by
 * the daemon's job: more than one page (several loop turns), the file
 * appears only when complete, and holds the index (one peer: ourselves)
 * and every prefix in address order with consecutive sequence numbers.
 */
static void
test_dump_rib(void)
{
	struct rib_orig o = { .origin = BGP_ORIGIN_IGP };
	char dir[] = "/tmp/xr-test-mrt.XXXXXX", path[64], tmp[80];
	struct ev_loop *l = ev_loop_new();
	struct rib *r = rib_new(l);
	struct rib_ctx *c = rib_ctx_get(r, "c1");
	struct mrt_dump_info info;
	struct mrt_peer_index pi;
	struct prefix p, prev;
	struct mrt_rib rib;
	struct mrt_rec rec;
	struct rbuf rb;
	struct mrt *m;
	uint8_t b[16] = { 10, 0, 0, 0 };
	size_t len, n = 0;
	uint8_t *data;
	int i, turns = 0;
	char err[256];

	T_CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/rib.mrt", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rib_set_router_id(r, 0x0a000001);
	for (i = 0; i < 2500; i++) {
		b[1] = (uint8_t)(i >> 8);
		b[2] = (uint8_t)i;
		prefix_make(&p, AF_INET, b, 24);
		T_EQ(rib_originate(c, &p, &o), 0);
	}
	T_EQ(prefix_parse("2001:db8::/32", &p, true), 0);
	T_EQ(rib_originate(c, &p, &o), 0);
	m = mrt_new(l, r, NULL);
	mrt_set_ids(m, 0x0a000001, 65001);
	T_EQ(mrt_dump_table(m, path, "c1", &info, err, sizeof(err)), 0);
	T_EQ(info.prefixes, 2501);
	T_EQ(info.contexts, 1);
	T_EQ(access(path, F_OK), -1);
	while (mrt_busy(m) > 0 && turns++ < 100) {
		T_EQ(access(path, F_OK), -1);
		ev_run_once(l, 0);
	}
	T_CHECK(turns >= 2);
	T_EQ(access(tmp, F_OK), -1);
	data = slurp(path, &len);
	rbuf_init(&rb, data, len);
	T_EQ(mrt_rec_next(&rb, &rec), 1);
	T_EQ(mrt_peer_index_decode(&rec, &pi), 0);
	T_STREQ(pi.view, "c1");
	T_EQ(pi.npeers, 1);
	T_EQ(pi.peers[0].as, 65001);
	T_EQ(pi.peers[0].bgp_id, 0x0a000001);
	while (mrt_rec_next(&rb, &rec) == 1) {
		T_EQ(mrt_rib_decode(&rec, &rib), 0);
		T_EQ(rib.seq, n);
		T_EQ(rib.nentries, 1);
		if (n > 0)
			T_CHECK(prefix_cmp(&prev, &rib.prefix) < 0);
		prev = rib.prefix;
		n++;
	}
	T_EQ(n, 2501);
	T_EQ(rec.subtype, MRT_RIB_IPV6_UNICAST);
	/* A context that does not exist: nothing is started. */
	T_EQ(mrt_dump_table(m, path, "nope", &info, err, sizeof(err)), -1);
	T_STREQ(err, "no context nope");
	free(data);
	unlink(path);
	rmdir(dir);
	mrt_free(m);
	rib_free(r);
	ev_loop_free(l);
}

int
main(void)
{
	T_RUN(test_dump_rib);
	T_RUN(test_peer_index);
	T_RUN(test_rib_ipv4);
	T_RUN(test_rib_ipv6);
	T_RUN(test_bgp4mp);
	T_RUN(test_truncated);
	return t_done();
}
