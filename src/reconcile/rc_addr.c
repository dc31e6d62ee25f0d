/*
 * The edge's side of a peering link: the second usable address of the
 * path's /30 on the interface the VLAN maps to (--interface-map; the lab
 * kernel has no 802.1Q, so one veth per peering path). RTM_NEWADDR with
 * NLM_F_REPLACE is idempotent, so the reconciler simply states it on every
 * pass (rtnetlink(7)).
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

int
rc_addr_ensure(const char *ifname, const struct addr *a, uint8_t plen,
    char *err, size_t errlen)
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
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->af;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
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
		snprintf(err, errlen, "add address on %s: %s", ifname,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (nl != NULL)
		mnl_socket_close(nl);
	return rc;
}
