/*
 * Synchronous rtnetlink: the helpers the troubleshooting views call
 * (neighbour table, link state and counters) and the blocking request
 * and dump primitives the rest of src/fib uses at start and shutdown.
 * Each call opens its own socket, so it never disturbs the FIB's
 * asynchronous sockets, and waits at most FIB_SYNC_TIMEOUT_S.
 */
#include <errno.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "fib/fib_int.h"

#define FIB_SYNC_TIMEOUT_S	5

struct mnl_socket *
fib_nl_open(bool nonblock, bool strict, bool *strict_ok)
{
	struct mnl_socket *nl;
	int one = 1;

	nl = mnl_socket_open2(NETLINK_ROUTE,
	    SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0));
	if (nl == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(nl);
		return NULL;
	}
	/* Short ACKs, and the kernel's reason text with a refusal; both
	 * optional (older kernels). */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (strict) {
		bool ok = mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK,
		    &one, sizeof(one)) == 0;

		if (strict_ok != NULL)
			*strict_ok = ok;
	}
	if (!nonblock) {
		struct timeval tv = { .tv_sec = FIB_SYNC_TIMEOUT_S };

		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
	}
	return nl;
}

/* The sequence number and flags of a request we built ourselves. */
static void
fib_req_hdr(const void *req, size_t len, uint32_t *seq, uint16_t *flags)
{
	struct nlmsghdr h;

	memset(&h, 0, sizeof(h));
	memcpy(&h, req, len < sizeof(h) ? len : sizeof(h));
	*seq = h.nlmsg_seq;
	*flags = h.nlmsg_flags;
}

/* Process one received buffer: 1 finished, 0 more to come, -1 error. */
static int
fib_nl_replies(const uint8_t *buf, size_t n, uint32_t seq, bool dump,
    int (*cb)(const struct nl_msg *, void *), void *arg)
{
	struct rbuf r;
	struct nl_msg m;
	int rc, err;

	rbuf_init(&r, buf, n);
	while ((rc = nl_msg_next(&r, &m)) == 1) {
		if (m.seq != seq)
			continue;
		if (m.type == NLMSG_DONE)
			return 1;
		if (m.type == NLMSG_ERROR) {
			if (nl_err_parse(&m, &err, NULL, 0) != NL_OK)
				err = EPROTO;
			if (err == 0)
				return 1;
			errno = err;
			return -1;
		}
		if (cb(&m, arg) != 0 || !dump)
			return 1;
	}
	if (rc == NL_BAD) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int
fib_nl_dump(const void *req, size_t len,
    int (*cb)(const struct nl_msg *, void *), void *arg)
{
	struct mnl_socket *nl;
	uint8_t *buf;
	uint32_t seq;
	uint16_t flags;
	ssize_t n;
	int rc = -1, e;

	fib_req_hdr(req, len, &seq, &flags);
	if ((buf = malloc(FIB_RBUF)) == NULL)
		return -1;
	if ((nl = fib_nl_open(false, true, NULL)) == NULL) {
		free(buf);
		return -1;
	}
	if (mnl_socket_sendto(nl, req, len) == (ssize_t)len)
		for (;;) {
			if ((n = mnl_socket_recvfrom(nl, buf, FIB_RBUF)) < 0) {
				if (errno == EAGAIN)
					errno = ETIMEDOUT;
				break;
			}
			rc = fib_nl_replies(buf, (size_t)n, seq,
			    (flags & NLM_F_DUMP) == NLM_F_DUMP, cb, arg);
			if (rc != 0)
				break;
			rc = -1;
		}
	e = errno;
	mnl_socket_close(nl);
	free(buf);
	errno = e;
	return rc == 1 ? 0 : -1;
}

int
fib_nl_batch(struct mnl_socket *nl, const void *buf, size_t len,
    uint32_t first_seq, size_t nmsgs,
    void (*cb)(void *, uint32_t, int, const char *), void *arg)
{
	static uint8_t rb[FIB_RBUF];
	struct rbuf r;
	struct nl_msg m;
	char msg[256];
	size_t got = 0;
	ssize_t n;
	int err;

	if (mnl_socket_sendto(nl, buf, len) != (ssize_t)len)
		return -1;
	while (got < nmsgs) {
		if ((n = mnl_socket_recvfrom(nl, rb, sizeof(rb))) < 0) {
			if (errno == EAGAIN)
				errno = ETIMEDOUT;
			return -1;
		}
		rbuf_init(&r, rb, (size_t)n);
		while (nl_msg_next(&r, &m) == 1) {
			if (m.type != NLMSG_ERROR ||
			    m.seq - first_seq >= nmsgs ||
			    nl_err_parse(&m, &err, msg, sizeof(msg)) != NL_OK)
				continue;
			cb(arg, m.seq, err, msg);
			got++;
		}
	}
	return 0;
}

/* --- neighbours ----------------------------------------------------------- */

struct fib_neigh_ctx {
	uint32_t	 ifindex;
	long		 hz;
	fib_neigh_cb	*cb;
	void		*arg;
};

static int
fib_neigh_one(const struct nl_msg *m, void *arg)
{
	struct fib_neigh_ctx *c = arg;
	struct fib_neigh n;

	if (nl_neigh_parse(m, &n, c->hz) != NL_OK)
		return 0;
	if (c->ifindex != 0 && n.ifindex != c->ifindex)
		return 0;
	return c->cb(c->arg, &n);
}

int
fib_neigh_dump(const char *ifname, uint32_t ifindex, fib_neigh_cb *cb,
    void *arg)
{
	struct fib_neigh_ctx c = { .ifindex = ifindex, .cb = cb, .arg = arg };
	uint8_t req[64];
	int n;

	if (ifname != NULL && (c.ifindex = if_nametoindex(ifname)) == 0) {
		errno = ENODEV;
		return -1;
	}
	c.hz = sysconf(_SC_CLK_TCK);
	if ((n = nl_neigh_dump_build(req, sizeof(req), 1, c.ifindex)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return fib_nl_dump(req, (size_t)n, fib_neigh_one, &c);
}

const char *
fib_neigh_state_name(uint16_t s)
{
	if (s & NUD_PERMANENT)
		return "permanent";
	if (s & NUD_NOARP)
		return "noarp";
	if (s & NUD_REACHABLE)
		return "reachable";
	if (s & NUD_STALE)
		return "stale";
	if (s & NUD_DELAY)
		return "delay";
	if (s & NUD_PROBE)
		return "probe";
	if (s & NUD_INCOMPLETE)
		return "incomplete";
	if (s & NUD_FAILED)
		return "failed";
	return "none";
}

/* --- links ---------------------------------------------------------------- */

static int
fib_link_one(const struct nl_msg *m, void *arg)
{
	struct fib_link *l = arg;

	if (nl_link_parse(m, l) != NL_OK)
		return 0;
	return 1;
}

int
fib_link_info(const char *ifname, struct fib_link *l)
{
	uint8_t req[64];
	int n;

	memset(l, 0, sizeof(*l));
	if ((n = nl_link_get_build(req, sizeof(req), 1, ifname)) < 0) {
		errno = ENODEV;
		return -1;
	}
	if (fib_nl_dump(req, (size_t)n, fib_link_one, l) == -1)
		return -1;
	if (l->ifindex == 0) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

int
fib_link_stats(const char *ifname, struct fib_link_stats *s)
{
	struct fib_link l;

	if (fib_link_info(ifname, &l) == -1)
		return -1;
	if (!l.has_stats) {
		errno = EOPNOTSUPP;
		return -1;
	}
	*s = l.stats;
	return 0;
}

const char *
fib_oper_name(uint8_t st)
{
	static const char *names[] = {
		[IF_OPER_UNKNOWN] = "unknown",
		[IF_OPER_NOTPRESENT] = "notpresent",
		[IF_OPER_DOWN] = "down",
		[IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
		[IF_OPER_TESTING] = "testing",
		[IF_OPER_DORMANT] = "dormant",
		[IF_OPER_UP] = "up",
	};

	if (st < sizeof(names) / sizeof(names[0]) && names[st] != NULL)
		return names[st];
	return "unknown";
}
