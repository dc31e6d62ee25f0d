/*
 * Unit tests for the pure rtnetlink codecs of src/fib (nl_build.c,
 * nl_parse.c): messages are compared byte by byte, and hand-made
 * fixtures (good and broken) go through the parsers. Netlink is host
 * endian; the literal byte arrays below are little-endian.
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include "t.h"
#include "fib/nl.h"

/* --- a tiny fixture writer (host order, like the kernel) ------------------- */

struct fx {
	uint8_t	 b[1024];
	size_t	 len;
};

static void
fx_put(struct fx *x, const void *p, size_t n)
{
	memcpy(x->b + x->len, p, n);
	x->len += n;
}

static void
fx_u8(struct fx *x, uint8_t v)
{
	fx_put(x, &v, 1);
}

static void
fx_u16(struct fx *x, uint16_t v)
{
	fx_put(x, &v, 2);
}

static void
fx_u32(struct fx *x, uint32_t v)
{
	fx_put(x, &v, 4);
}

static void
fx_pad(struct fx *x)
{
	while (x->len % 4)
		x->b[x->len++] = 0;
}

/* An attribute with a declared length that may lie. */
static void
fx_attr_len(struct fx *x, uint16_t type, const void *p, size_t n,
    uint16_t declared)
{
	fx_u16(x, declared);
	fx_u16(x, type);
	fx_put(x, p, n);
	fx_pad(x);
}

static void
fx_attr(struct fx *x, uint16_t type, const void *p, size_t n)
{
	fx_attr_len(x, type, p, n, (uint16_t)(4 + n));
}

static size_t
fx_hdr(struct fx *x, uint16_t type, uint16_t flags, uint32_t seq)
{
	size_t off = x->len;

	fx_u32(x, 0);		/* patched by fx_end */
	fx_u16(x, type);
	fx_u16(x, flags);
	fx_u32(x, seq);
	fx_u32(x, 0);
	return off;
}

static void
fx_end(struct fx *x, size_t off)
{
	uint32_t len = (uint32_t)(x->len - off);

	memcpy(x->b + off, &len, 4);
}

static void
fx_rtmsg(struct fx *x, uint8_t family, uint8_t dst_len, uint8_t proto)
{
	struct rtmsg r = { .rtm_family = family, .rtm_dst_len = dst_len,
	    .rtm_table = RT_TABLE_UNSPEC, .rtm_protocol = proto,
	    .rtm_type = RTN_UNICAST };

	fx_put(x, &r, sizeof(r));
}

static int
fx_first(const struct fx *x, struct nl_msg *m)
{
	struct rbuf r;

	rbuf_init(&r, x->b, x->len);
	return nl_msg_next(&r, m);
}

static bool
little_endian(void)
{
	uint16_t one = 1;

	return *(uint8_t *)&one == 1;
}

/* --- builders --------------------------------------------------------------- */

static void
mp_route(struct nl_route *rt)
{
	static const uint8_t dst[4] = { 198, 51, 100, 0 };

	memset(rt, 0, sizeof(*rt));
	rt->family = AF_INET;
	prefix_make(&rt->dst, AF_INET, dst, 24);
	rt->table = 1001;
	rt->protocol = 200;
	rt->type = RTN_UNICAST;
	rt->scope = RT_SCOPE_UNIVERSE;
	rt->priority = 20;
	rt->has_priority = true;
	rt->nnh = 2;
	addr_parse("10.0.1.2", &rt->nh[0].gw);
	rt->nh[0].weight = 1;
	addr_parse("10.0.2.2", &rt->nh[1].gw);
	rt->nh[1].ifindex = 7;
	rt->nh[1].weight = 3;
}

static void
test_build_multipath_v4(void)
{
	static const uint8_t want[] = {
		88, 0, 0, 0,		/* nlmsg_len */
		24, 0,			/* RTM_NEWROUTE */
		0x05, 0x05,		/* REQUEST|ACK|REPLACE|CREATE */
		0x39, 0x30, 0, 0,	/* seq 12345 */
		0, 0, 0, 0,		/* pid */
		2, 24, 0, 0,		/* AF_INET /24 src 0 tos 0 */
		0, 200, 0, 1,		/* table UNSPEC, proto 200, scope, unicast */
		0, 0, 0, 0,		/* rtm_flags */
		8, 0, 15, 0, 0xe9, 0x03, 0, 0,	/* RTA_TABLE 1001 */
		8, 0, 1, 0, 198, 51, 100, 0,	/* RTA_DST */
		8, 0, 6, 0, 20, 0, 0, 0,	/* RTA_PRIORITY 20 */
		36, 0, 9, 0,			/* RTA_MULTIPATH */
		16, 0, 0, 0, 0, 0, 0, 0,	/* rtnh: len 16, hops 0, if 0 */
		8, 0, 5, 0, 10, 0, 1, 2,	/*   RTA_GATEWAY 10.0.1.2 */
		16, 0, 0, 2, 7, 0, 0, 0,	/* rtnh: len 16, hops 2, if 7 */
		8, 0, 5, 0, 10, 0, 2, 2,	/*   RTA_GATEWAY 10.0.2.2 */
	};
	struct nl_route rt, back;
	struct nl_msg m;
	uint8_t buf[256];
	struct fx x;
	int n;

	if (!little_endian()) {
		printf("# big-endian host: byte fixture skipped\n");
		return;
	}
	mp_route(&rt);
	n = nl_route_build(buf, sizeof(buf), RTM_NEWROUTE, NLM_F_REQUEST |
	    NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, 12345, &rt);
	T_EQ(n, sizeof(want));
	T_MEMEQ(buf, want, sizeof(want));

	/* And it parses back to the same route. */
	memcpy(x.b, buf, (size_t)n);
	x.len = (size_t)n;
	T_EQ(fx_first(&x, &m), 1);
	T_EQ(nl_route_parse(&m, &back), NL_OK);
	T_EQ(back.table, 1001);
	T_EQ(back.protocol, 200);
	T_EQ(back.priority, 20);
	T_EQ(prefix_cmp(&back.dst, &rt.dst), 0);
	T_EQ(back.nnh, 2);
	T_EQ(back.nh[1].ifindex, 7);
	T_EQ(back.nh[1].weight, 3);
	T_EQ(addr_cmp(&back.nh[0].gw, &rt.nh[0].gw), 0);
}

static void
test_build_v6_single_and_delete(void)
{
	static const uint8_t gw6[16] = { 0xfd, 0, 0, 1, [15] = 2 };
	struct nl_route rt;
	uint8_t buf[256];
	uint32_t u32;
	uint16_t u16;
	int n;

	memset(&rt, 0, sizeof(rt));
	rt.family = AF_INET6;
	prefix_parse("2001:db8:9::/48", &rt.dst, true);
	rt.table = 7;
	rt.protocol = 200;
	rt.type = RTN_UNICAST;
	rt.nnh = 1;
	addr_parse("fd00:1::2", &rt.nh[0].gw);
	rt.nh[0].ifindex = 5;
	n = nl_route_build(buf, sizeof(buf), RTM_NEWROUTE, NLM_F_REQUEST, 1,
	    &rt);
	/* hdr 16 + rtmsg 12 + TABLE 8 + DST 20 + GATEWAY 20 + OIF 8 */
	T_EQ(n, 84);
	T_EQ(buf[16], AF_INET6);
	T_EQ(buf[17], 48);
	T_EQ(buf[20], 7);		/* table < 256 also in the header */
	memcpy(&u16, buf + 36 + 2, 2);
	T_EQ(u16, RTA_DST);
	memcpy(&u16, buf + 56 + 2, 2);
	T_EQ(u16, RTA_GATEWAY);
	T_MEMEQ(buf + 60, gw6, 16);
	memcpy(&u16, buf + 76 + 2, 2);
	T_EQ(u16, RTA_OIF);
	memcpy(&u32, buf + 80, 4);
	T_EQ(u32, 5);

	/* A delete names the key only: no next hops, any scope. */
	rt.nnh = 0;
	rt.type = 0;
	rt.scope = RT_SCOPE_NOWHERE;
	n = nl_route_build(buf, sizeof(buf), RTM_DELROUTE, NLM_F_REQUEST, 2,
	    &rt);
	T_EQ(n, 56);
	T_EQ(buf[22], RT_SCOPE_NOWHERE);
	T_EQ(buf[23], 0);
}

/* Every capacity short of the full message fails and never writes past
 * the capacity (libmnl's checks test the unpadded length). */
static void
test_build_bounds(void)
{
	struct nl_route rt;
	uint8_t buf[256];
	int full, n;
	size_t cap, i;
	bool clean = true;

	mp_route(&rt);
	full = nl_route_build(buf, sizeof(buf), RTM_NEWROUTE, 0, 1, &rt);
	T_EQ(full, 88);
	for (cap = 0; cap < (size_t)full; cap++) {
		memset(buf, 0xAA, sizeof(buf));
		n = nl_route_build(buf, cap, RTM_NEWROUTE, 0, 1, &rt);
		if (n != -1)
			clean = false;
		for (i = cap; i < sizeof(buf); i++)
			if (buf[i] != 0xAA)
				clean = false;
	}
	T_CHECK(clean);
	rt.nnh = FIB_NH_MAX + 1;
	T_EQ(nl_route_build(buf, sizeof(buf), RTM_NEWROUTE, 0, 1, &rt), -1);
}

static void
test_build_rule(void)
{
	struct nl_rule ru = { .family = AF_INET6, .action = FR_ACT_TO_TBL,
	    .protocol = 200, .table = 1001, .priority = 1000,
	    .has_priority = true };
	struct nl_rule back;
	struct nl_msg m;
	struct fx x;
	uint8_t buf[128];
	int n;

	strcpy(ru.iif, "c1");
	n = nl_rule_build(buf, sizeof(buf), RTM_NEWRULE, NLM_F_REQUEST, 9, &ru);
	/* hdr 16 + frh 12 + TABLE 8 + PRIORITY 8 + IIFNAME 8 + PROTOCOL 8 */
	T_EQ(n, 60);
	T_EQ(buf[16], AF_INET6);
	T_EQ(buf[20], RT_TABLE_UNSPEC);	/* 1001 does not fit the header */
	T_EQ(buf[23], FR_ACT_TO_TBL);
	memcpy(x.b, buf, (size_t)n);
	x.len = (size_t)n;
	T_EQ(fx_first(&x, &m), 1);
	T_EQ(nl_rule_parse(&m, &back), NL_OK);
	T_EQ(back.table, 1001);
	T_EQ(back.priority, 1000);
	T_EQ(back.protocol, 200);
	T_STREQ(back.iif, "c1");
	strcpy(ru.iif, "");
	memset(ru.iif, 'x', sizeof(ru.iif));	/* no NUL: refused */
	T_EQ(nl_rule_build(buf, sizeof(buf), RTM_NEWRULE, 0, 1, &ru), -1);
}

static void
test_build_dumps(void)
{
	uint8_t buf[64];
	uint16_t flags;
	int n;

	n = nl_route_dump_build(buf, sizeof(buf), 3, AF_INET6, 200);
	T_EQ(n, 28);
	memcpy(&flags, buf + 6, 2);
	T_EQ(flags, NLM_F_REQUEST | NLM_F_DUMP);
	T_EQ(buf[16], AF_INET6);
	T_EQ(buf[21], 200);		/* rtm_protocol filter */
	T_EQ(nl_neigh_dump_build(buf, sizeof(buf), 1, 4), 36);
	T_EQ(nl_link_get_build(buf, sizeof(buf), 1, "veth0"), 44);
	T_EQ(nl_link_get_build(buf, sizeof(buf), 1, ""), -1);
	T_EQ(nl_link_get_build(buf, sizeof(buf), 1,
	    "a-name-much-too-long"), -1);
	T_EQ(nl_rule_dump_build(buf, 10, 1, AF_INET), -1);
}

/* --- parsers ---------------------------------------------------------------- */

static void
test_parse_framing(void)
{
	struct fx x = { .len = 0 };
	struct rbuf r;
	struct nl_msg m;
	size_t off;

	off = fx_hdr(&x, NLMSG_NOOP, 0, 1);
	fx_u8(&x, 0xee);		/* 17 bytes, padded to 20 */
	fx_end(&x, off);
	fx_pad(&x);
	off = fx_hdr(&x, NLMSG_DONE, 0, 2);
	fx_u8(&x, 0xdd);		/* last one: no padding */
	fx_end(&x, off);
	rbuf_init(&r, x.b, x.len);
	T_EQ(nl_msg_next(&r, &m), 1);
	T_EQ(m.seq, 1);
	T_EQ(m.body.len, 1);
	T_EQ(nl_msg_next(&r, &m), 1);
	T_EQ(m.type, NLMSG_DONE);
	T_EQ(m.seq, 2);
	T_EQ(nl_msg_next(&r, &m), 0);

	/* nlmsg_len below the header, or past the buffer */
	x.len = 0;
	off = fx_hdr(&x, NLMSG_DONE, 0, 1);
	memcpy(x.b, &(uint32_t){ 12 }, 4);
	rbuf_init(&r, x.b, x.len);
	T_EQ(nl_msg_next(&r, &m), NL_BAD);
	memcpy(x.b, &(uint32_t){ 17 }, 4);
	rbuf_init(&r, x.b, x.len);
	T_EQ(nl_msg_next(&r, &m), NL_BAD);
	rbuf_init(&r, x.b, 15);		/* short header */
	T_EQ(nl_msg_next(&r, &m), NL_BAD);
}

/* A kernel-style IPv4 multipath route with a third next hop over IPv6
 * (RTA_VIA). */
static void
test_parse_route_fixture(void)
{
	static const uint8_t dst[4] = { 203, 0, 113, 0 };
	static const uint8_t gw1[4] = { 10, 0, 1, 2 };
	static const uint8_t via[18] = { 10, 0, 0xfd, 0, 0, 1, [17] = 9 };
	struct fx x = { .len = 0 };
	struct nl_route rt;
	struct nl_msg m;
	size_t off, mp;
	char b[ADDR_STRLEN];

	off = fx_hdr(&x, RTM_NEWROUTE, NLM_F_MULTI, 5);
	fx_rtmsg(&x, AF_INET, 24, 200);
	fx_attr(&x, RTA_TABLE, &(uint32_t){ 70000 }, 4);
	fx_attr(&x, RTA_DST, dst, 4);
	fx_attr(&x, RTA_PRIORITY, &(uint32_t){ 20 }, 4);
	mp = x.len;
	fx_u32(&x, 0);			/* RTA_MULTIPATH header, patched */
	fx_u16(&x, 16); fx_u8(&x, 0); fx_u8(&x, 0); fx_u32(&x, 3);
	fx_attr(&x, RTA_GATEWAY, gw1, 4);
	fx_u16(&x, 8 + 24); fx_u8(&x, 0); fx_u8(&x, 4); fx_u32(&x, 4);
	fx_attr(&x, RTA_VIA, via, sizeof(via));
	memcpy(x.b + mp, &(uint16_t){ (uint16_t)(x.len - mp) }, 2);
	memcpy(x.b + mp + 2, &(uint16_t){ RTA_MULTIPATH }, 2);
	fx_end(&x, off);
	T_EQ(fx_first(&x, &m), 1);
	T_EQ(nl_route_parse(&m, &rt), NL_OK);
	T_EQ(rt.table, 70000);
	T_EQ(rt.dst.len, 24);
	T_EQ(rt.nnh, 2);
	T_EQ(rt.nh[0].ifindex, 3);
	T_STREQ(addr_ntop(&rt.nh[0].gw, b, sizeof(b)), "10.0.1.2");
	T_EQ(rt.nh[1].ifindex, 4);
	T_EQ(rt.nh[1].weight, 5);
	T_EQ(rt.nh[1].gw.af, AF_INET6);
	T_STREQ(addr_ntop(&rt.nh[1].gw, b, sizeof(b)), "fd00:1::9");
}

/* One broken detail each: the whole message is refused. */
static void
test_parse_route_broken(void)
{
	static const uint8_t dst5[5] = { 1, 2, 3, 4, 5 };
	struct fx x;
	struct nl_route rt;
	struct nl_msg m;
	size_t off;
	int i;

	for (i = 0; i < 6; i++) {
		x.len = 0;
		off = fx_hdr(&x, RTM_NEWROUTE, 0, 1);
		fx_rtmsg(&x, AF_INET, 24, 200);
		switch (i) {
		case 0:		/* RTA_OIF of 3 bytes */
			fx_attr(&x, RTA_OIF, dst5, 3);
			break;
		case 1:		/* 5-byte IPv4 destination */
			fx_attr(&x, RTA_DST, dst5, 5);
			break;
		case 2:		/* nla_len past the message */
			fx_attr_len(&x, RTA_PRIORITY, dst5, 4, 40);
			break;
		case 3:		/* rtnh_len below its own header */
			fx_u16(&x, 12); fx_u16(&x, RTA_MULTIPATH);
			fx_u16(&x, 4); fx_u16(&x, 0); fx_u32(&x, 1);
			break;
		case 4:		/* /24 without RTA_DST */
			break;
		case 5:		/* 2 stray bytes after the attributes */
			fx_attr(&x, RTA_DST, dst5, 4);
			fx_u16(&x, 0);
			break;
		}
		fx_end(&x, off);
		T_EQ(fx_first(&x, &m), 1);
		T_EQ(nl_route_parse(&m, &rt), NL_BAD);
	}
	/* Another family (say, AF_BRIDGE or IPMR) is skipped, not bad. */
	x.len = 0;
	off = fx_hdr(&x, RTM_NEWROUTE, 0, 1);
	fx_rtmsg(&x, RTNL_FAMILY_IPMR, 0, 200);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_route_parse(&m, &rt), NL_SKIP);
	/* More next hops than we keep: the first 16 and a flag. */
	x.len = 0;
	off = fx_hdr(&x, RTM_NEWROUTE, 0, 1);
	fx_rtmsg(&x, AF_INET, 0, 200);
	fx_u16(&x, (uint16_t)(4 + 20 * 8)); fx_u16(&x, RTA_MULTIPATH);
	for (i = 0; i < 20; i++) {
		fx_u16(&x, 8); fx_u16(&x, 0); fx_u32(&x, (uint32_t)i + 1);
	}
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_route_parse(&m, &rt), NL_OK);
	T_EQ(rt.nnh, FIB_NH_MAX);
	T_CHECK(rt.nh_truncated);
}

static void
test_parse_neigh(void)
{
	static const uint8_t ip[4] = { 10, 0, 1, 2 };
	static const uint8_t mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	struct nda_cacheinfo ci = { .ndm_confirmed = 250, .ndm_used = 100,
	    .ndm_updated = 350 };
	struct ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = 4,
	    .ndm_state = NUD_REACHABLE };
	struct fx x = { .len = 0 };
	struct fib_neigh n;
	struct nl_msg m;
	size_t off;

	off = fx_hdr(&x, RTM_NEWNEIGH, 0, 1);
	fx_put(&x, &nd, sizeof(nd));
	fx_attr(&x, NDA_DST, ip, 4);
	fx_attr(&x, NDA_LLADDR, mac, 6);
	fx_attr(&x, NDA_CACHEINFO, &ci, sizeof(ci));
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_neigh_parse(&m, &n, 100), NL_OK);
	T_EQ(n.ifindex, 4);
	T_EQ(n.maclen, 6);
	T_MEMEQ(n.mac, mac, 6);
	T_EQ(n.age_sec, 3);
	T_EQ(n.confirmed_sec, 2);
	T_STREQ(fib_neigh_state_name(n.state), "reachable");
	T_STREQ(fib_neigh_state_name(NUD_STALE), "stale");
	T_STREQ(fib_neigh_state_name(NUD_INCOMPLETE), "incomplete");
	T_STREQ(fib_neigh_state_name(NUD_FAILED), "failed");
	/* NDA_CACHEINFO cut short, then an address of the wrong size */
	x.len = 0;
	off = fx_hdr(&x, RTM_NEWNEIGH, 0, 1);
	fx_put(&x, &nd, sizeof(nd));
	fx_attr(&x, NDA_DST, ip, 4);
	fx_attr(&x, NDA_CACHEINFO, &ci, 8);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_neigh_parse(&m, &n, 100), NL_BAD);
	x.len = 0;
	off = fx_hdr(&x, RTM_NEWNEIGH, 0, 1);
	fx_put(&x, &nd, sizeof(nd));
	fx_attr(&x, NDA_DST, mac, 6);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_neigh_parse(&m, &n, 100), NL_BAD);
}

static void
test_parse_link(void)
{
	static const uint8_t mac[6] = { 0x02, 1, 2, 3, 4, 5 };
	uint64_t st[24] = { 11, 22, 3300, 4400, 0, 0, 1, 2 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 9,
	    .ifi_flags = IFF_UP | IFF_RUNNING };
	struct fx x = { .len = 0 };
	struct fib_link l;
	struct nl_msg m;
	size_t off;

	off = fx_hdr(&x, RTM_NEWLINK, 0, 1);
	fx_put(&x, &ifi, sizeof(ifi));
	fx_attr(&x, IFLA_IFNAME, "a1", 3);
	fx_attr(&x, IFLA_ADDRESS, mac, 6);
	fx_attr(&x, IFLA_MTU, &(uint32_t){ 1500 }, 4);
	fx_attr(&x, IFLA_OPERSTATE, &(uint8_t){ IF_OPER_UP }, 1);
	fx_attr(&x, IFLA_STATS64, st, sizeof(st));
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_link_parse(&m, &l), NL_OK);
	T_EQ(l.ifindex, 9);
	T_STREQ(l.name, "a1");
	T_CHECK(l.admin_up && l.oper_up);
	T_EQ(l.mtu, 1500);
	T_MEMEQ(l.mac, mac, 6);
	T_CHECK(l.has_stats);
	T_EQ(l.stats.rx_packets, 11);
	T_EQ(l.stats.tx_bytes, 4400);
	T_EQ(l.stats.tx_dropped, 2);
	T_STREQ(fib_oper_name(l.operstate), "up");
	/* A name without its NUL, and counters cut short */
	x.len = 0;
	off = fx_hdr(&x, RTM_NEWLINK, 0, 1);
	fx_put(&x, &ifi, sizeof(ifi));
	fx_attr(&x, IFLA_IFNAME, "a1", 2);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_link_parse(&m, &l), NL_BAD);
	x.len = 0;
	off = fx_hdr(&x, RTM_DELLINK, 0, 1);
	fx_put(&x, &ifi, sizeof(ifi));
	fx_attr(&x, IFLA_STATS64, st, 32);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_link_parse(&m, &l), NL_BAD);
}

static void
test_parse_error_ack(void)
{
	static const char text[] = "Nexthop has invalid gateway";
	struct fx x = { .len = 0 };
	struct nl_msg m;
	char msg[64];
	size_t off;
	int err = 0;

	/* Capped error with extended ACK text */
	off = fx_hdr(&x, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 77);
	fx_u32(&x, (uint32_t)-ENETUNREACH);
	fx_hdr(&x, RTM_NEWROUTE, NLM_F_REQUEST, 77);	/* echoed header */
	memcpy(x.b + 20, &(uint32_t){ 88 }, 4);
	fx_attr(&x, NLMSGERR_ATTR_MSG, text, sizeof(text));
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_err_parse(&m, &err, msg, sizeof(msg)), NL_OK);
	T_EQ(m.seq, 77);
	T_EQ(err, ENETUNREACH);
	T_STREQ(msg, text);
	/* Not capped: the request's body is echoed before the TLVs */
	x.len = 0;
	off = fx_hdr(&x, NLMSG_ERROR, NLM_F_ACK_TLVS, 78);
	fx_u32(&x, (uint32_t)-EEXIST);
	fx_hdr(&x, RTM_NEWRULE, NLM_F_REQUEST, 78);
	memcpy(x.b + 20, &(uint32_t){ 16 + 8 }, 4);
	fx_u32(&x, 0xdeadbeef);
	fx_u32(&x, 0xdeadbeef);
	fx_attr(&x, NLMSGERR_ATTR_MSG, "dup", 4);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_err_parse(&m, &err, msg, sizeof(msg)), NL_OK);
	T_EQ(err, EEXIST);
	T_STREQ(msg, "dup");
	/* A plain ACK */
	x.len = 0;
	off = fx_hdr(&x, NLMSG_ERROR, NLM_F_CAPPED, 79);
	fx_u32(&x, 0);
	fx_hdr(&x, RTM_NEWROUTE, 0, 79);
	fx_end(&x, off);
	fx_first(&x, &m);
	T_EQ(nl_err_parse(&m, &err, msg, sizeof(msg)), NL_OK);
	T_EQ(err, 0);
	T_STREQ(msg, "");
	/* A positive error code is nonsense; a short body too */
	memcpy(x.b + 16, &(int32_t){ 5 }, 4);
	fx_first(&x, &m);
	T_EQ(nl_err_parse(&m, &err, msg, sizeof(msg)), NL_BAD);
	memcpy(x.b + 16, &(int32_t){ 0 }, 4);
	memcpy(x.b, &(uint32_t){ 24 }, 4);
	x.len = 24;
	fx_first(&x, &m);
	T_EQ(nl_err_parse(&m, &err, msg, sizeof(msg)), NL_BAD);
}

int
main(void)
{
	T_RUN(test_build_multipath_v4);
	T_RUN(test_build_v6_single_and_delete);
	T_RUN(test_build_bounds);
	T_RUN(test_build_rule);
	T_RUN(test_build_dumps);
	T_RUN(test_parse_framing);
	T_RUN(test_parse_route_fixture);
	T_RUN(test_parse_route_broken);
	T_RUN(test_parse_neigh);
	T_RUN(test_parse_link);
	T_RUN(test_parse_error_ack);
	return t_done();
}
