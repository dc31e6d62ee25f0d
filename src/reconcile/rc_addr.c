/*
 * The edge's side of a peering link: the second usable address of the
 * path's /30 (and /126) on the interface the VLAN maps to
 * (--interface-map; the lab kernel has no 802.1Q, so one veth per peering
 * path). RTM_NEWADDR with NLM_F_REPLACE is idempotent, so the reconciler
 * simply states it on every pass; RTM_DELADDR takes it away when the
 * peering goes (rtnetlink(7)). IPv6 addresses skip duplicate address
 * detection (IFA_F_NODAD): the link is point-to-point and the address
 * is ours by the addressing rule, and a tentative address could not be
 * bound for the BGP session for a second or two.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "reconcile/reconcile.h"

static int
addr_msg(uint16_t type, uint16_t flags, const char *ifname,
    const struct addr *a, uint8_t plen, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned int idx, seq = (unsigned int)time(NULL), portid;
	ssize_t n;
	int rc = -1;

	if ((idx = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "interface '%s': %s", ifname,
		    strerror(errno));
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->af;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
	if (a->af == AF_INET6 && type == RTM_NEWADDR)
		ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(nlh, IFA_LOCAL, addr_bytes(a->af), a->b);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_bytes(a->af), a->b);
	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		snprintf(err, errlen, "netlink: %s", strerror(errno));
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    (n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) < 0 ||
	    mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL) < 0) {
		if (type == RTM_DELADDR && errno == EADDRNOTAVAIL)
			rc = 0;		/* gone already */
		else
			snprintf(err, errlen, "%s address on %s: %s",
			    type == RTM_NEWADDR ? "add" : "remove", ifname,
			    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (nl != NULL)
		mnl_socket_close(nl);
	return rc;
}

int
rc_addr_ensure(const char *ifname, const struct addr *a, uint8_t plen,
    char *err, size_t errlen)
{
	return addr_msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifname, a,
	    plen, err, errlen);
}

int
rc_addr_del(const char *ifname, const struct addr *a, uint8_t plen,
    char *err, size_t errlen)
{
	return addr_msg(RTM_DELADDR, 0, ifname, a, plen, err, errlen);
}
