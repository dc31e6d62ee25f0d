/*
 * rtnetlink request builders: routes (single next hop or RTA_MULTIPATH),
 * policy rules, and the dump requests the resync and the troubleshooting
 * helpers send. libmnl's _check put functions refuse to pass the end of
 * the caller's buffer; the capacity is rounded down to a multiple of 4
 * first, because they test the unpadded length but write the padding.
 */
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "fib/nl.h"

static struct nlmsghdr *
nl_hdr(void *buf, size_t cap, uint16_t type, uint16_t flags, uint32_t seq,
    size_t extra)
{
	struct nlmsghdr *nlh;

	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra) || cap > UINT32_MAX)
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

static size_t
nl_cap(size_t cap)
{
	return cap & ~(size_t)3;
}

/* RTA_GATEWAY for a next hop of the route's family, RTA_VIA otherwise. */
static bool
nl_put_gw(struct nlmsghdr *nlh, size_t cap, int family,
    const struct fib_nexthop *nh)
{
	uint8_t via[2 + 16];
	uint16_t fam = nh->gw.af;
	size_t alen = addr_bytes(nh->gw.af);

	if (nh->gw.af == 0)
		return true;
	if (nh->gw.af == family)
		return mnl_attr_put_check(nlh, cap, RTA_GATEWAY, alen,
		    nh->gw.b);
	memcpy(via, &fam, sizeof(fam));
	memcpy(via + 2, nh->gw.b, alen);
	return mnl_attr_put_check(nlh, cap, RTA_VIA, 2 + alen, via);
}

static bool
nl_put_multipath(struct nlmsghdr *nlh, size_t cap, const struct nl_route *rt)
{
	struct nlattr *nest;
	struct rtnexthop *rtnh;
	size_t i;

	if ((nest = mnl_attr_nest_start_check(nlh, cap, RTA_MULTIPATH)) == NULL)
		return false;
	/* libmnl marks nests NLA_F_NESTED; RTA_MULTIPATH holds rtnexthop
	 * records, not attributes, and the kernel and iproute2 never set
	 * the flag on it. */
	nest->nla_type = RTA_MULTIPATH;
	for (i = 0; i < rt->nnh; i++) {
		const struct fib_nexthop *nh = &rt->nh[i];

		if (nlh->nlmsg_len + RTNH_ALIGN(sizeof(*rtnh)) > cap)
			return false;
		rtnh = mnl_nlmsg_get_payload_tail(nlh);
		memset(rtnh, 0, sizeof(*rtnh));
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		rtnh->rtnh_ifindex = (int)nh->ifindex;
		rtnh->rtnh_hops = nh->weight > 1 ? (uint8_t)(nh->weight - 1) : 0;
		if (!nl_put_gw(nlh, cap, rt->family, nh))
			return false;
		rtnh->rtnh_len = (unsigned short)((uint8_t *)
		    mnl_nlmsg_get_payload_tail(nlh) - (uint8_t *)rtnh);
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int
nl_route_build(void *buf, size_t cap, uint16_t type, uint16_t flags,
    uint32_t seq, const struct nl_route *rt)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	bool ok;

	cap = nl_cap(cap);
	if ((rt->family != AF_INET && rt->family != AF_INET6) ||
	    rt->dst.af != rt->family || rt->nnh > FIB_NH_MAX)
		return -1;
	if ((nlh = nl_hdr(buf, cap, type, flags, seq, sizeof(*rtm))) == NULL)
		return -1;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = rt->family;
	rtm->rtm_dst_len = rt->dst.len;
	rtm->rtm_tos = rt->tos;
	rtm->rtm_table = rt->table < 256 ? (uint8_t)rt->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->scope;
	rtm->rtm_type = rt->type;
	rtm->rtm_flags = rt->rtm_flags;
	ok = mnl_attr_put_u32_check(nlh, cap, RTA_TABLE, rt->table);
	if (ok && rt->dst.len > 0)
		ok = mnl_attr_put_check(nlh, cap, RTA_DST,
		    addr_bytes(rt->family), rt->dst.b);
	if (ok && rt->has_priority)
		ok = mnl_attr_put_u32_check(nlh, cap, RTA_PRIORITY,
		    rt->priority);
	if (ok && rt->nnh == 1) {
		ok = nl_put_gw(nlh, cap, rt->family, &rt->nh[0]);
		if (ok && rt->nh[0].ifindex != 0)
			ok = mnl_attr_put_u32_check(nlh, cap, RTA_OIF,
			    rt->nh[0].ifindex);
	} else if (ok && rt->nnh > 1)
		ok = nl_put_multipath(nlh, cap, rt);
	return ok ? (int)nlh->nlmsg_len : -1;
}

int
nl_rule_build(void *buf, size_t cap, uint16_t type, uint16_t flags,
    uint32_t seq, const struct nl_rule *ru)
{
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *h;
	bool ok;

	cap = nl_cap(cap);
	if (ru->family != AF_INET && ru->family != AF_INET6)
		return -1;
	if ((nlh = nl_hdr(buf, cap, type, flags, seq, sizeof(*h))) == NULL)
		return -1;
	h = mnl_nlmsg_get_payload(nlh);
	h->family = ru->family;
	h->action = ru->action;
	h->table = ru->table < 256 ? (uint8_t)ru->table : RT_TABLE_UNSPEC;
	ok = mnl_attr_put_u32_check(nlh, cap, FRA_TABLE, ru->table);
	if (ok && ru->has_priority)
		ok = mnl_attr_put_u32_check(nlh, cap, FRA_PRIORITY,
		    ru->priority);
	if (ok && ru->iif[0] != '\0')
		ok = strnlen(ru->iif, sizeof(ru->iif)) < sizeof(ru->iif) &&
		    mnl_attr_put_strz_check(nlh, cap, FRA_IIFNAME, ru->iif);
	if (ok && ru->protocol != 0)
		ok = mnl_attr_put_u8_check(nlh, cap, FRA_PROTOCOL,
		    ru->protocol);
	return ok ? (int)nlh->nlmsg_len : -1;
}

int
nl_route_dump_build(void *buf, size_t cap, uint32_t seq, uint8_t family,
    uint8_t protocol)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = nl_hdr(buf, nl_cap(cap), RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP,
	    seq, sizeof(*rtm));
	if (nlh == NULL)
		return -1;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = family;
	/* Honoured as a filter with NETLINK_GET_STRICT_CHK (Linux 4.20+);
	 * the reader filters again for older kernels. */
	rtm->rtm_protocol = protocol;
	return (int)nlh->nlmsg_len;
}

int
nl_rule_dump_build(void *buf, size_t cap, uint32_t seq, uint8_t family)
{
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *h;

	nlh = nl_hdr(buf, nl_cap(cap), RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP,
	    seq, sizeof(*h));
	if (nlh == NULL)
		return -1;
	h = mnl_nlmsg_get_payload(nlh);
	h->family = family;
	return (int)nlh->nlmsg_len;
}

int
nl_neigh_dump_build(void *buf, size_t cap, uint32_t seq, uint32_t ifindex)
{
	struct nlmsghdr *nlh;

	cap = nl_cap(cap);
	nlh = nl_hdr(buf, cap, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, seq,
	    sizeof(struct ndmsg));
	if (nlh == NULL)
		return -1;
	if (ifindex != 0 &&
	    !mnl_attr_put_u32_check(nlh, cap, NDA_IFINDEX, ifindex))
		return -1;
	return (int)nlh->nlmsg_len;
}

int
nl_link_dump_build(void *buf, size_t cap, uint32_t seq)
{
	struct nlmsghdr *nlh;

	nlh = nl_hdr(buf, nl_cap(cap), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
	    seq, sizeof(struct ifinfomsg));
	return nlh ? (int)nlh->nlmsg_len : -1;
}

int
nl_link_get_build(void *buf, size_t cap, uint32_t seq, const char *ifname)
{
	struct nlmsghdr *nlh;

	cap = nl_cap(cap);
	if (strnlen(ifname, FIB_IFNAMSIZ) >= FIB_IFNAMSIZ || ifname[0] == '\0')
		return -1;
	nlh = nl_hdr(buf, cap, RTM_GETLINK, NLM_F_REQUEST, seq,
	    sizeof(struct ifinfomsg));
	if (nlh == NULL || !mnl_attr_put_strz_check(nlh, cap, IFLA_IFNAME,
	    ifname))
		return -1;
	return (int)nlh->nlmsg_len;
}
