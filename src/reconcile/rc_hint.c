/*
 * A hint in the status of a session that is not Established, in the
 * words of Azure's troubleshooting guide (spec 9.2: "BGP state Active or
 * Idle means check subnets, VLAN, AzureASN/PeerASN, MD5"), sharpened by
 * what this edge can see: a TCP segment whose RFC 2385 digest is wrong,
 * missing or unexpected is dropped silently by the kernel, which only
 * counts it (TcpExt TCPMD5Failure, TCPMD5NotFound, TCPMD5Unexpected in
 * /proc/net/netstat, per network namespace). The counters are not per
 * socket, so the hint says "on this edge".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile/reconcile.h"
#include "session/sess.h"

/* Sum of the three counters in this namespace; -1 if unreadable. */
int64_t
rc_md5_failures(void)
{
	static const char *const want[] = { "TCPMD5NotFound",
	    "TCPMD5Unexpected", "TCPMD5Failure" };
	FILE *f = fopen("/proc/net/netstat", "r");
	char hdr[8192], val[8192], *hs, *vs, *h, *v;
	int64_t sum = -1;
	size_t i;

	if (f == NULL)
		return -1;
	while (fgets(hdr, sizeof(hdr), f) != NULL &&
	    fgets(val, sizeof(val), f) != NULL) {
		if (strncmp(hdr, "TcpExt:", 7) != 0 ||
		    strncmp(val, "TcpExt:", 7) != 0)
			continue;
		sum = 0;
		h = strtok_r(hdr + 7, " \n", &hs);
		v = strtok_r(val + 7, " \n", &vs);
		for (; h != NULL && v != NULL; h = strtok_r(NULL, " \n", &hs),
		    v = strtok_r(NULL, " \n", &vs))
			for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
				if (strcmp(h, want[i]) == 0)
					sum += strtoll(v, NULL, 10);
		break;
	}
	fclose(f);
	return sum;
}

const char *
rc_hint(const struct sess_info *i, bool md5_failing)
{
	if (i->state == SESS_ESTABLISHED || i->admin_down || i->idle_restart)
		return NULL;
	switch (i->state) {
	case SESS_OPENSENT:
	case SESS_OPENCONFIRM:
		return "BGP OPEN exchange not completing: check peerASN and "
		    "that the router peers with AS 12076";
	default:
		if (md5_failing)
			return "TCP-MD5 segments rejected on this edge: the "
			    "router's key and sharedKey differ (or one side "
			    "has none)";
		return "no BGP connection: check the link subnets, the VLAN, "
		    "and that the router peers with this edge's address";
	}
}
