/*
 * rtnetlink reply parsers: framing, attributes with a policy table per
 * message type, routes (RTA_MULTIPATH included), rules, neighbours,
 * links and NLMSG_ERROR with extended ACK (RFC 3549 describes the
 * message layout; the attribute set is the kernel's uapi).
 *
 * Everything is read through struct rbuf; a value is accepted only if
 * its length matches the policy, so a short or oversized attribute can
 * never be read past. See nl.h.
 */
#include <net/if.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "fib/nl.h"

int
nl_msg_next(struct rbuf *r, struct nl_msg *m)
{
	struct nlmsghdr h;
	size_t pad;

	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_bytes(r, &h, sizeof(h)) == -1 ||
	    h.nlmsg_len < sizeof(h) ||
	    rbuf_sub(r, h.nlmsg_len - sizeof(h), &m->body) == -1)
		return NL_BAD;
	/* The last message of a buffer may come without its padding. */
	pad = NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len;
	rbuf_skip(r, pad < rbuf_left(r) ? pad : rbuf_left(r));
	m->type = h.nlmsg_type;
	m->flags = h.nlmsg_flags;
	m->seq = h.nlmsg_seq;
	m->pid = h.nlmsg_pid;
	return 1;
}

static int
nl_pol_check(const struct nl_pol *p, const struct rbuf *v)
{
	switch (p->kind) {
	case NLP_EXACT:
		return v->len == p->len ? 0 : -1;
	case NLP_MIN:
		return v->len >= p->len ? 0 : -1;
	case NLP_MAX:
		return v->len <= p->len ? 0 : -1;
	case NLP_STR:
		if (v->len == 0 || v->len > p->len)
			return -1;
		return memchr(rbuf_peek(v, v->len), '\0', v->len) ? 0 : -1;
	case NLP_NEST:
		return 0;
	}
	return -1;
}

int
nl_attr_parse(struct rbuf *r, const struct nl_pol *pol, size_t npol,
    struct rbuf *tb)
{
	struct nlattr a;
	struct rbuf v;
	size_t pad;
	uint16_t t;

	memset(tb, 0, npol * sizeof(*tb));
	while (rbuf_left(r) > 0) {
		if (rbuf_get_bytes(r, &a, sizeof(a)) == -1 ||
		    a.nla_len < sizeof(a) ||
		    rbuf_sub(r, a.nla_len - sizeof(a), &v) == -1)
			return NL_BAD;
		pad = NLA_ALIGN(a.nla_len) - a.nla_len;
		rbuf_skip(r, pad < rbuf_left(r) ? pad : rbuf_left(r));
		t = a.nla_type & NLA_TYPE_MASK;
		if (t >= npol || pol[t].kind == NLP_IGNORE)
			continue;
		if (nl_pol_check(&pol[t], &v) == -1)
			return NL_BAD;
		tb[t] = v;
	}
	return NL_OK;
}

static bool
nl_has(const struct rbuf *v)
{
	return v->p != NULL;
}

static uint32_t
nl_u32(const struct rbuf *v)
{
	struct rbuf c = *v;
	uint32_t x = 0;

	rbuf_get_bytes(&c, &x, sizeof(x));	/* length checked by policy */
	return x;
}

static uint8_t
nl_u8(const struct rbuf *v)
{
	struct rbuf c = *v;
	uint8_t x = 0;

	rbuf_get_u8(&c, &x);
	return x;
}

/* An address attribute of family af: exactly 4 or 16 bytes. */
static int
nl_addr(const struct rbuf *v, int af, struct addr *a)
{
	struct rbuf c = *v;

	memset(a, 0, sizeof(*a));
	if (v->len != addr_bytes(af))
		return NL_BAD;
	a->af = (uint8_t)af;
	return rbuf_get_bytes(&c, a->b, v->len) == 0 ? NL_OK : NL_BAD;
}

static void
nl_str(const struct rbuf *v, char *dst, size_t len)
{
	struct rbuf c = *v;
	size_t n = v->len < len ? v->len : len - 1;

	memset(dst, 0, len);
	rbuf_get_bytes(&c, dst, n);
	dst[len - 1] = '\0';
}

/* --- routes --------------------------------------------------------------- */

static const struct nl_pol rta_pol[RTA_MAX + 1] = {
	[RTA_DST] =		{ NLP_MAX, 16 },
	[RTA_GATEWAY] =		{ NLP_MAX, 16 },
	[RTA_OIF] =		{ NLP_EXACT, 4 },
	[RTA_PRIORITY] =	{ NLP_EXACT, 4 },
	[RTA_TABLE] =		{ NLP_EXACT, 4 },
	[RTA_MULTIPATH] =	{ NLP_NEST, 0 },
	[RTA_VIA] =		{ NLP_MIN, 2 },
};

/* RTA_VIA (an IPv4 route through an IPv6 next hop, RFC 5549 style). */
static int
nl_via(const struct rbuf *v, struct addr *a)
{
	struct rbuf c = *v, rest;
	uint16_t fam;

	if (rbuf_get_bytes(&c, &fam, sizeof(fam)) == -1)
		return NL_BAD;
	if (fam != AF_INET && fam != AF_INET6)
		return NL_BAD;
	rbuf_sub(&c, rbuf_left(&c), &rest);
	return nl_addr(&rest, fam, a);
}

static int
nl_nexthop(const struct rbuf *tb, int family, uint32_t ifindex,
    uint8_t weight, struct nl_route *rt)
{
	struct fib_nexthop *nh;

	if (rt->nnh == FIB_NH_MAX) {
		rt->nh_truncated = true;
		return NL_OK;
	}
	nh = &rt->nh[rt->nnh++];
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = ifindex;
	nh->weight = weight;
	if (nl_has(&tb[RTA_GATEWAY]))
		return nl_addr(&tb[RTA_GATEWAY], family, &nh->gw);
	if (nl_has(&tb[RTA_VIA]))
		return nl_via(&tb[RTA_VIA], &nh->gw);
	return NL_OK;
}

static int
nl_multipath(struct rbuf r, int family, struct nl_route *rt)
{
	struct rtnexthop h;
	struct rbuf body, tb[RTA_MAX + 1];
	size_t pad;

	while (rbuf_left(&r) > 0) {
		if (rbuf_get_bytes(&r, &h, sizeof(h)) == -1 ||
		    h.rtnh_len < sizeof(h) ||
		    rbuf_sub(&r, h.rtnh_len - sizeof(h), &body) == -1)
			return NL_BAD;
		pad = RTNH_ALIGN(h.rtnh_len) - h.rtnh_len;
		rbuf_skip(&r, pad < rbuf_left(&r) ? pad : rbuf_left(&r));
		if (nl_attr_parse(&body, rta_pol, RTA_MAX + 1, tb) != NL_OK)
			return NL_BAD;
		if (h.rtnh_ifindex < 0)
			return NL_BAD;
		if (nl_nexthop(tb, family, (uint32_t)h.rtnh_ifindex,
		    (uint8_t)(h.rtnh_hops + 1), rt) != NL_OK)
			return NL_BAD;
	}
	return NL_OK;
}

int
nl_route_parse(const struct nl_msg *m, struct nl_route *rt)
{
	struct rtmsg rtm;
	struct rbuf r = m->body, tb[RTA_MAX + 1];
	struct addr dst;

	memset(rt, 0, sizeof(*rt));
	if (m->type != RTM_NEWROUTE && m->type != RTM_DELROUTE)
		return NL_SKIP;
	if (rbuf_get_bytes(&r, &rtm, sizeof(rtm)) == -1)
		return NL_BAD;
	if (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6)
		return NL_SKIP;
	if (nl_attr_parse(&r, rta_pol, RTA_MAX + 1, tb) != NL_OK)
		return NL_BAD;
	if (rtm.rtm_dst_len > addr_bytes(rtm.rtm_family) * 8)
		return NL_BAD;
	memset(&dst, 0, sizeof(dst));
	if (nl_has(&tb[RTA_DST])) {
		if (nl_addr(&tb[RTA_DST], rtm.rtm_family, &dst) != NL_OK)
			return NL_BAD;
	} else if (rtm.rtm_dst_len != 0)
		return NL_BAD;
	prefix_make(&rt->dst, rtm.rtm_family, dst.b, rtm.rtm_dst_len);
	rt->family = rtm.rtm_family;
	rt->tos = rtm.rtm_tos;
	rt->protocol = rtm.rtm_protocol;
	rt->scope = rtm.rtm_scope;
	rt->type = rtm.rtm_type;
	rt->rtm_flags = rtm.rtm_flags;
	rt->table = nl_has(&tb[RTA_TABLE]) ? nl_u32(&tb[RTA_TABLE]) :
	    rtm.rtm_table;
	if (nl_has(&tb[RTA_PRIORITY])) {
		rt->priority = nl_u32(&tb[RTA_PRIORITY]);
		rt->has_priority = true;
	}
	if (nl_has(&tb[RTA_MULTIPATH]))
		return nl_multipath(tb[RTA_MULTIPATH], rtm.rtm_family, rt);
	if (nl_has(&tb[RTA_GATEWAY]) || nl_has(&tb[RTA_VIA]) ||
	    nl_has(&tb[RTA_OIF]))
		return nl_nexthop(tb, rtm.rtm_family, nl_has(&tb[RTA_OIF]) ?
		    nl_u32(&tb[RTA_OIF]) : 0, 1, rt);
	return NL_OK;
}

/* --- rules ---------------------------------------------------------------- */

static const struct nl_pol fra_pol[FRA_MAX + 1] = {
	[FRA_IIFNAME] =		{ NLP_STR, FIB_IFNAMSIZ },
	[FRA_TABLE] =		{ NLP_EXACT, 4 },
	[FRA_PRIORITY] =	{ NLP_EXACT, 4 },
	[FRA_PROTOCOL] =	{ NLP_EXACT, 1 },
};

int
nl_rule_parse(const struct nl_msg *m, struct nl_rule *ru)
{
	struct fib_rule_hdr h;
	struct rbuf r = m->body, tb[FRA_MAX + 1];

	memset(ru, 0, sizeof(*ru));
	if (m->type != RTM_NEWRULE && m->type != RTM_DELRULE)
		return NL_SKIP;
	if (rbuf_get_bytes(&r, &h, sizeof(h)) == -1)
		return NL_BAD;
	if (h.family != AF_INET && h.family != AF_INET6)
		return NL_SKIP;
	if (nl_attr_parse(&r, fra_pol, FRA_MAX + 1, tb) != NL_OK)
		return NL_BAD;
	ru->family = h.family;
	ru->action = h.action;
	ru->table = nl_has(&tb[FRA_TABLE]) ? nl_u32(&tb[FRA_TABLE]) : h.table;
	if (nl_has(&tb[FRA_PRIORITY])) {
		ru->priority = nl_u32(&tb[FRA_PRIORITY]);
		ru->has_priority = true;
	}
	if (nl_has(&tb[FRA_PROTOCOL]))
		ru->protocol = nl_u8(&tb[FRA_PROTOCOL]);
	if (nl_has(&tb[FRA_IIFNAME]))
		nl_str(&tb[FRA_IIFNAME], ru->iif, sizeof(ru->iif));
	return NL_OK;
}

/* --- neighbours ----------------------------------------------------------- */

static const struct nl_pol nda_pol[NDA_MAX + 1] = {
	[NDA_DST] =		{ NLP_MAX, 16 },
	[NDA_LLADDR] =		{ NLP_MAX, FIB_LLADDR_MAX },
	[NDA_CACHEINFO] =	{ NLP_MIN, sizeof(struct nda_cacheinfo) },
};

static uint32_t
nl_ticks(uint32_t ticks, long hz)
{
	return hz > 0 ? (uint32_t)(ticks / (unsigned long)hz) : ticks;
}

int
nl_neigh_parse(const struct nl_msg *m, struct fib_neigh *n, long user_hz)
{
	struct ndmsg h;
	struct nda_cacheinfo ci;
	struct rbuf r = m->body, tb[NDA_MAX + 1], c;

	memset(n, 0, sizeof(*n));
	if (m->type != RTM_NEWNEIGH && m->type != RTM_DELNEIGH)
		return NL_SKIP;
	if (rbuf_get_bytes(&r, &h, sizeof(h)) == -1)
		return NL_BAD;
	if (h.ndm_family != AF_INET && h.ndm_family != AF_INET6)
		return NL_SKIP;
	if (nl_attr_parse(&r, nda_pol, NDA_MAX + 1, tb) != NL_OK)
		return NL_BAD;
	if (!nl_has(&tb[NDA_DST]) ||
	    nl_addr(&tb[NDA_DST], h.ndm_family, &n->ip) != NL_OK)
		return NL_BAD;
	if (h.ndm_ifindex < 0)
		return NL_BAD;
	n->ifindex = (uint32_t)h.ndm_ifindex;
	n->state = h.ndm_state;
	n->flags = h.ndm_flags;
	if (nl_has(&tb[NDA_LLADDR])) {
		c = tb[NDA_LLADDR];
		n->maclen = (uint8_t)c.len;
		rbuf_get_bytes(&c, n->mac, c.len);
	}
	n->age_sec = n->confirmed_sec = n->used_sec = UINT32_MAX;
	if (nl_has(&tb[NDA_CACHEINFO])) {
		c = tb[NDA_CACHEINFO];
		rbuf_get_bytes(&c, &ci, sizeof(ci));
		n->age_sec = nl_ticks(ci.ndm_updated, user_hz);
		n->confirmed_sec = nl_ticks(ci.ndm_confirmed, user_hz);
		n->used_sec = nl_ticks(ci.ndm_used, user_hz);
	}
	return NL_OK;
}

/* --- links ---------------------------------------------------------------- */

/* The first eight counters of struct rtnl_link_stats64, in its order;
 * later kernels append fields, so only a minimum length is required. */
#define NL_STATS64_MIN	(8 * sizeof(uint64_t))

static const struct nl_pol ifla_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] =		{ NLP_STR, FIB_IFNAMSIZ },
	[IFLA_ADDRESS] =	{ NLP_MAX, FIB_LLADDR_MAX },
	[IFLA_MTU] =		{ NLP_EXACT, 4 },
	[IFLA_OPERSTATE] =	{ NLP_EXACT, 1 },
	[IFLA_STATS64] =	{ NLP_MIN, NL_STATS64_MIN },
};

static void
nl_stats64(const struct rbuf *v, struct fib_link_stats *s)
{
	uint64_t x[8];
	struct rbuf c = *v;

	rbuf_get_bytes(&c, x, sizeof(x));
	s->rx_packets = x[0];
	s->tx_packets = x[1];
	s->rx_bytes = x[2];
	s->tx_bytes = x[3];
	s->rx_errors = x[4];
	s->tx_errors = x[5];
	s->rx_dropped = x[6];
	s->tx_dropped = x[7];
}

int
nl_link_parse(const struct nl_msg *m, struct fib_link *l)
{
	struct ifinfomsg h;
	struct rbuf r = m->body, tb[IFLA_MAX + 1], c;

	memset(l, 0, sizeof(*l));
	if (m->type != RTM_NEWLINK && m->type != RTM_DELLINK)
		return NL_SKIP;
	if (rbuf_get_bytes(&r, &h, sizeof(h)) == -1)
		return NL_BAD;
	if (nl_attr_parse(&r, ifla_pol, IFLA_MAX + 1, tb) != NL_OK)
		return NL_BAD;
	if (h.ifi_index <= 0)
		return NL_BAD;
	l->ifindex = (uint32_t)h.ifi_index;
	l->flags = h.ifi_flags;
	l->deleted = m->type == RTM_DELLINK;
	l->admin_up = (h.ifi_flags & IFF_UP) != 0;
	if (nl_has(&tb[IFLA_IFNAME]))
		nl_str(&tb[IFLA_IFNAME], l->name, sizeof(l->name));
	if (nl_has(&tb[IFLA_MTU]))
		l->mtu = nl_u32(&tb[IFLA_MTU]);
	if (nl_has(&tb[IFLA_ADDRESS])) {
		c = tb[IFLA_ADDRESS];
		l->maclen = (uint8_t)c.len;
		rbuf_get_bytes(&c, l->mac, c.len);
	}
	l->operstate = nl_has(&tb[IFLA_OPERSTATE]) ?
	    nl_u8(&tb[IFLA_OPERSTATE]) : IF_OPER_UNKNOWN;
	/* Loopback and some virtual devices never leave "unknown". */
	l->oper_up = l->operstate == IF_OPER_UP ||
	    (l->operstate == IF_OPER_UNKNOWN && l->admin_up &&
	    (h.ifi_flags & IFF_RUNNING));
	if (nl_has(&tb[IFLA_STATS64])) {
		nl_stats64(&tb[IFLA_STATS64], &l->stats);
		l->has_stats = true;
	}
	return NL_OK;
}

/* --- errors and ACKs ------------------------------------------------------ */

static const struct nl_pol ext_pol[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] =	{ NLP_STR, 4096 },
};

int
nl_err_parse(const struct nl_msg *m, int *err, char *msg, size_t msglen)
{
	struct rbuf r = m->body, tb[NLMSGERR_ATTR_MAX + 1];
	struct nlmsghdr orig;
	int32_t e;

	if (msglen > 0)
		msg[0] = '\0';
	if (m->type != NLMSG_ERROR)
		return NL_SKIP;
	if (rbuf_get_bytes(&r, &e, sizeof(e)) == -1 || e > 0 ||
	    e < -4095 || rbuf_get_bytes(&r, &orig, sizeof(orig)) == -1)
		return NL_BAD;
	*err = -e;
	if (!(m->flags & NLM_F_ACK_TLVS))
		return NL_OK;
	/* Without NETLINK_CAP_ACK the request's payload is echoed first. */
	if (!(m->flags & NLM_F_CAPPED) && (orig.nlmsg_len < sizeof(orig) ||
	    rbuf_skip(&r, NLMSG_ALIGN(orig.nlmsg_len) - sizeof(orig)) == -1))
		return NL_BAD;
	if (nl_attr_parse(&r, ext_pol, NLMSGERR_ATTR_MAX + 1, tb) != NL_OK)
		return NL_BAD;
	if (nl_has(&tb[NLMSGERR_ATTR_MSG]) && msglen > 0)
		nl_str(&tb[NLMSGERR_ATTR_MSG], msg, msglen);
	return NL_OK;
}
