/*
 * The FIB's sockets: batched requests with per-message ACKs, and the
 * notification socket.
 *
 * Requests (routes, rules) go out once per loop turn from a deferred
 * job, many messages per sendmsg, each with NLM_F_ACK and its own
 * sequence number. A ring indexed by sequence number finds the entry
 * an ACK or refusal belongs to (netlink answers in order on one
 * socket). The window of messages in flight is bounded by the receive
 * buffer, so the kernel never has to drop an ACK; if it does anyway
 * (ENOBUFS), the lost outcomes are learnt from a full resync.
 *
 * Notifications (RTNLGRP_IPV4_ROUTE, IPV6_ROUTE, LINK, NEIGH) arrive on
 * a second socket, as BIRD separates them, so they never interleave
 * with ACKs. A route of ours deleted behind our back is put back; a
 * route of our protocol nobody wants is removed; a link changing state
 * triggers a resync (IPv4 drops routes over a downed link without a
 * notification). An overrun schedules a full resync.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fib/fib_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define FIB_SBUF_MAX	(128 * 1024)	/* bytes per sendmsg */
#define FIB_REQ_RCVBUF	(8 << 20)
#define FIB_EVT_RCVBUF	(32 << 20)
/* recv calls per callback: netlink returns one datagram per call, and
 * a full window of ACKs or notifications must be read in one go or the
 * socket falls behind. */
#define FIB_EVT_BUDGET	(2 * FIB_RING)

static void	fib_req_read(struct ev_loop *, int, uint32_t, void *);
static void	fib_evt_read(struct ev_loop *, int, uint32_t, void *);

/* --- setup ---------------------------------------------------------------- */

/* Ask for 'want' bytes (root may pass the sysctl cap); returns what the
 * kernel granted. */
static size_t
fib_sockbuf(struct mnl_socket *nl, int opt, int force, int want)
{
	int fd = mnl_socket_get_fd(nl), got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, force, &want, sizeof(want)) == -1)
		setsockopt(fd, SOL_SOCKET, opt, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) == -1 || got < 0)
		return 0;
	return (size_t)got;
}

static int
fib_sysctl(const char *path, const char *val)
{
	int fd, rc = -1;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
		rc = 0;
	close(fd);
	return rc;
}

/* Per-flow hashing over L4 ports. /proc/sys/net belongs to the network
 * namespace of the process that opens it, so this acts on the edge's
 * namespace only. */
static void
fib_hash_policy(struct fib *f)
{
	static const char *paths[] = {
		"/proc/sys/net/ipv4/fib_multipath_hash_policy",
		"/proc/sys/net/ipv6/fib_multipath_hash_policy",
	};
	size_t i, ok = 0;

	for (i = 0; i < 2; i++) {
		if (fib_sysctl(paths[i], "1") == 0)
			ok++;
		else
			log_warn("fib: cannot set %s to 1 (L4 multipath "
			    "hashing): %s", paths[i], strerror(errno));
	}
	f->st.hash_policy_set = ok == 2;
}

static struct fib_linkstate *fib_link_add(struct fib *, uint32_t);

/* The links there at start: their state only, no callback (the caller
 * does not even have its struct fib yet). */
static int
fib_link_seed(const struct nl_msg *m, void *arg)
{
	struct fib *f = arg;
	struct fib_linkstate *s;
	struct fib_link l;

	if (nl_link_parse(m, &l) == NL_OK &&
	    (s = fib_link_add(f, l.ifindex)) != NULL) {
		s->admin_up = l.admin_up;
		s->oper_up = l.oper_up;
	}
	return 0;
}

/*
 * Every route we add comes back as an RTM_NEWROUTE notification, which
 * we ignore (see fib_route_event); 100k of them cost 100k recv calls
 * and can overrun the socket. A classic BPF filter drops them in the
 * kernel. Loads are big-endian, hence htons() on the host-order type.
 */
static void
fib_evt_filter(struct mnl_socket *nl, uint8_t proto)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
		    offsetof(struct nlmsghdr, nlmsg_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWROUTE), 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS,
		    NLMSG_HDRLEN + offsetof(struct rtmsg, rtm_protocol)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_ATTACH_FILTER,
	    &prog, sizeof(prog)) == -1)
		log_debug("fib: no notification filter: %s", strerror(errno));
}

static int
fib_subscribe(struct mnl_socket *nl)
{
	static const int groups[] = { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
	    RTNLGRP_LINK, RTNLGRP_NEIGH };
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int g = groups[i];

		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &g,
		    sizeof(g)) == -1)
			return -1;
	}
	return 0;
}

int
fib_io_open(struct fib *f)
{
	uint8_t req[64];
	size_t rcv, snd;
	int n;

	f->ring = calloc(FIB_RING, sizeof(*f->ring));
	f->rbuf = malloc(FIB_RBUF);
	f->req = fib_nl_open(true, false, NULL);
	f->evt = fib_nl_open(true, false, NULL);
	f->dump = fib_nl_open(true, true, &f->strict);
	if (f->ring == NULL || f->rbuf == NULL || f->req == NULL ||
	    f->evt == NULL || f->dump == NULL) {
		log_err("fib: cannot open netlink sockets: %s", strerror(errno));
		return -1;
	}
	/* An ACK costs well under 1 KiB of receive buffer. */
	rcv = fib_sockbuf(f->req, SO_RCVBUF, SO_RCVBUFFORCE, FIB_REQ_RCVBUF);
	f->window = rcv / 1024;
	if (f->window > FIB_RING)
		f->window = FIB_RING;
	if (f->window < 16)
		f->window = 16;
	snd = fib_sockbuf(f->req, SO_SNDBUF, SO_SNDBUFFORCE, FIB_SBUF_MAX * 2);
	f->sbuf_len = snd > 4096 + 64 ? snd - 64 : 4096;
	if (f->sbuf_len > FIB_SBUF_MAX)
		f->sbuf_len = FIB_SBUF_MAX;
	if ((f->sbuf = malloc(f->sbuf_len)) == NULL)
		return -1;
	fib_sockbuf(f->evt, SO_RCVBUF, SO_RCVBUFFORCE, FIB_EVT_RCVBUF);
	fib_evt_filter(f->evt, f->conf.protocol);
	if (fib_subscribe(f->evt) == -1) {
		log_err("fib: cannot join rtnetlink groups: %s",
		    strerror(errno));
		return -1;
	}
	f->seq = (uint32_t)mono_us();
	f->ack_seq = f->seq + 1;
	if (ev_io_add(f->loop, &f->req_io, mnl_socket_get_fd(f->req), EPOLLIN,
	    fib_req_read, f) == -1 ||
	    ev_io_add(f->loop, &f->evt_io, mnl_socket_get_fd(f->evt), EPOLLIN,
	    fib_evt_read, f) == -1 ||
	    ev_io_add(f->loop, &f->dump_io, mnl_socket_get_fd(f->dump),
	    EPOLLIN, fib_dump_read, f) == -1)
		return -1;
	if (f->conf.set_hash_policy)
		fib_hash_policy(f);
	/* Know every link's state, so later events report changes only. */
	if ((n = nl_link_dump_build(req, sizeof(req), 1)) > 0 &&
	    fib_nl_dump(req, (size_t)n, fib_link_seed, f) == -1)
		log_warn("fib: cannot list links: %s", strerror(errno));
	log_debug("fib: protocol %u, window %zu, batch %zu bytes, strict "
	    "dumps %s", f->conf.protocol, f->window, f->sbuf_len,
	    f->strict ? "yes" : "no");
	return 0;
}

static void
fib_sock_close(struct fib *f, struct mnl_socket **nl, struct ev_io *io)
{
	if (*nl == NULL)
		return;
	ev_io_del(f->loop, io);
	mnl_socket_close(*nl);
	*nl = NULL;
}

void
fib_io_close(struct fib *f)
{
	fib_sock_close(f, &f->req, &f->req_io);
	fib_sock_close(f, &f->evt, &f->evt_io);
	fib_sock_close(f, &f->dump, &f->dump_io);
	free(f->ring);
	free(f->rbuf);
	free(f->sbuf);
	f->ring = NULL;
	f->rbuf = f->sbuf = NULL;
}

/* --- building the batch --------------------------------------------------- */

void
fib_rt_to_nl(const struct fib *f, const struct fib_route *r, bool del,
    struct nl_route *nr)
{
	memset(nr, 0, sizeof(*nr));
	nr->family = r->pfx.af;
	nr->dst = r->pfx;
	nr->tos = r->tos;
	nr->table = r->table;
	nr->protocol = f->conf.protocol;
	nr->priority = r->metric;
	nr->has_priority = true;
	if (del) {
		/* Match any scope and type; the protocol must be ours. */
		nr->scope = RT_SCOPE_NOWHERE;
		return;
	}
	nr->type = RTN_UNICAST;
	nr->scope = RT_SCOPE_UNIVERSE;
	nr->nnh = r->nh->n;
	memcpy(nr->nh, r->nh->nh, r->nh->n * sizeof(r->nh->nh[0]));
	if (r->nh->n == 1 && r->nh->nh[0].gw.af == 0)
		nr->scope = RT_SCOPE_LINK;	/* on-link, no gateway */
}

static void
fib_pend_add(struct fib *f, uint8_t kind, uint8_t op, void *obj)
{
	uint32_t seq = ++f->seq;
	struct fib_pending *p = &f->ring[seq & (FIB_RING - 1)];

	XR_ASSERT(p->kind == FIB_P_NONE);
	p->seq = seq;
	p->kind = kind;
	p->op = op;
	p->obj = obj;
	f->inflight++;
}

static uint16_t
fib_ackflag(const struct fib *f)
{
	return f->conf.ack_each ? NLM_F_ACK : 0;
}

static int
fib_rule_msg(struct fib *f, struct fib_rule *ru, uint8_t *buf, size_t cap)
{
	bool del = !ru->desired;
	int n;

	n = nl_rule_build(buf, cap, del ? RTM_DELRULE : RTM_NEWRULE,
	    NLM_F_REQUEST | fib_ackflag(f) |
	    (del ? 0 : NLM_F_CREATE | NLM_F_EXCL), f->seq + 1, &ru->r);
	if (n < 0)
		return -1;
	ru->queued = false;
	f->rules_queued--;
	ru->inflight++;
	f->st.rule_msgs++;
	fib_pend_add(f, FIB_P_RULE, del ? FIB_OP_DEL : FIB_OP_ADD, ru);
	return n;
}

static int
fib_rt_msg(struct fib *f, struct fib_route *r, uint8_t *buf, size_t cap)
{
	struct nl_route nr;
	bool del = !r->desired;
	int n;

	fib_rt_to_nl(f, r, del, &nr);
	n = nl_route_build(buf, cap, del ? RTM_DELROUTE : RTM_NEWROUTE,
	    NLM_F_REQUEST | fib_ackflag(f) |
	    (del ? 0 : NLM_F_CREATE | NLM_F_REPLACE), f->seq + 1, &nr);
	if (n < 0)
		return -1;
	fib_rt_dequeue(f, r);
	r->inflight++;
	if (del)
		f->st.dels++;
	else
		f->st.adds++;
	fib_pend_add(f, FIB_P_ROUTE, del ? FIB_OP_DEL : FIB_OP_ADD, r);
	return n;
}

/* Encode the next queued change into buf: its length, 0 if nothing is
 * left, -1 if it does not fit (it stays queued). */
static int
fib_next_msg(struct fib *f, uint8_t *buf, size_t cap)
{
	struct fib_rule *ru, *rnext;
	struct fib_route *r;

	if (f->rules_queued > 0)
		for (ru = TAILQ_FIRST(&f->rules); ru; ru = rnext) {
			rnext = TAILQ_NEXT(ru, link);
			if (!ru->queued)
				continue;
			if (!ru->desired && ru->kstate == FIB_K_ABSENT &&
			    ru->inflight == 0) {
				ru->queued = false;
				f->rules_queued--;
				fib_rule_release(f, ru);
				continue;
			}
			return fib_rule_msg(f, ru, buf, cap);
		}
	while ((r = TAILQ_FIRST(&f->queue)) != NULL) {
		if (!r->desired && r->kstate == FIB_K_ABSENT &&
		    r->inflight == 0) {
			fib_rt_dequeue(f, r);
			fib_rt_release(f, r);
			continue;
		}
		return fib_rt_msg(f, r, buf, cap);
	}
	return 0;
}

static void fib_ack(struct fib *, uint32_t, int, const char *);

/*
 * The last message of every sendmsg carries NLM_F_ACK: the kernel
 * handles one socket's messages in order and answers a failing message
 * with an error even without NLM_F_ACK, so the barrier's ACK proves
 * that every earlier message without an error reply succeeded. One ACK
 * per batch instead of one per route (conf.ack_each asks for them all).
 */
static void
fib_send(struct fib *f, size_t len, size_t last_off, uint32_t first,
    uint32_t last)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(f->sbuf + last_off);
	int err;

	nlh->nlmsg_flags |= NLM_F_ACK;
	f->st.batches++;
	if (mnl_socket_sendto(f->req, f->sbuf, len) == (ssize_t)len)
		return;
	err = errno;
	log_err("fib: sending %u netlink messages failed: %s; retrying "
	    "after a resync", last - first + 1, strerror(err));
	for (; first != last + 1; first++)
		fib_ack(f, first, err, "");
	if (!ev_timer_armed(&f->rs_timer))
		ev_timer_start(f->loop, &f->rs_timer, USEC_PER_SEC);
}

static void
fib_flush_send(struct fib *f)
{
	size_t used = 0, last_off = 0;
	uint32_t first = f->seq + 1;
	int n;

	while (f->inflight < f->window) {
		n = fib_next_msg(f, f->sbuf + used, f->sbuf_len - used);
		if (n == 0)
			break;
		if (n > 0) {
			last_off = used;
			used += NLMSG_ALIGN((size_t)n);
			continue;
		}
		if (used == 0)
			fatal_bug("fib: a message larger than %zu bytes",
			    f->sbuf_len);
		fib_send(f, used, last_off, first, f->seq);
		used = 0;
		first = f->seq + 1;
	}
	if (used > 0)
		fib_send(f, used, last_off, first, f->seq);
}

void
fib_flush_job(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct fib *f = arg;

	if (f->rs_wanted && f->rs_state == FIB_RS_IDLE) {
		f->rs_wanted = false;
		f->rs_state = FIB_RS_DRAIN;
	}
	/* A resync compares the kernel with settled state: let the ACKs
	 * of what is in flight come back first, and send nothing new. */
	if (f->rs_state == FIB_RS_DRAIN && f->inflight == 0)
		fib_resync_begin(f);
	if (f->rs_state != FIB_RS_IDLE)
		return;
	fib_flush_send(f);
	fib_check_idle(f);
}

/* --- ACKs ----------------------------------------------------------------- */

static void
fib_rt_acked(struct fib *f, struct fib_route *r, uint8_t op, int err,
    const char *msg)
{
	r->inflight--;
	if (op == FIB_OP_ADD) {
		if (err == 0) {
			r->kstate = FIB_K_PRESENT;
			r->err = 0;
		} else {
			r->err = err;
			fib_report_err(f, "route add", r->table, &r->pfx, err,
			    msg);
		}
	} else {
		/* Already gone is what we wanted. */
		if (err == 0 || err == ESRCH || err == ENOENT) {
			r->kstate = FIB_K_ABSENT;
			r->err = 0;
		} else {
			r->err = err;
			fib_report_err(f, "route delete", r->table, &r->pfx,
			    err, msg);
		}
	}
	fib_rt_release(f, r);
}

static void
fib_rule_acked(struct fib *f, struct fib_rule *ru, uint8_t op, int err,
    const char *msg)
{
	char what[64];

	ru->inflight--;
	if (op == FIB_OP_ADD && (err == 0 || err == EEXIST)) {
		ru->kstate = FIB_K_PRESENT;
		ru->err = 0;
	} else if (op == FIB_OP_DEL && (err == 0 || err == ENOENT ||
	    err == ESRCH)) {
		ru->kstate = FIB_K_ABSENT;
		ru->err = 0;
	} else {
		ru->err = err;
		snprintf(what, sizeof(what), "IPv%d rule iif %s %s",
		    ru->r.family == AF_INET ? 4 : 6, ru->r.iif,
		    op == FIB_OP_ADD ? "add" : "delete");
		fib_report_err(f, what, ru->r.table, NULL, err, msg);
	}
	fib_rule_release(f, ru);
}

static void
fib_ack(struct fib *f, uint32_t seq, int err, const char *msg)
{
	struct fib_pending *p = &f->ring[seq & (FIB_RING - 1)];
	struct fib_pending c = *p;

	if (p->kind == FIB_P_NONE || p->seq != seq)
		return;		/* from before a loss; already accounted */
	memset(p, 0, sizeof(*p));
	f->inflight--;
	f->st.acks++;
	if (c.kind == FIB_P_ROUTE)
		fib_rt_acked(f, c.obj, c.op, err, msg);
	else
		fib_rule_acked(f, c.obj, c.op, err, msg);
}

/* A reply for seq: every earlier message still unanswered succeeded
 * (replies come in order, and a failure always answers). */
static void
fib_reply(struct fib *f, uint32_t seq, int err, const char *msg)
{
	if ((int32_t)(seq - f->ack_seq) < 0 ||
	    (int32_t)(seq - f->seq) > 0)
		return;		/* before a loss, or not ours */
	for (; f->ack_seq != seq; f->ack_seq++)
		fib_ack(f, f->ack_seq, 0, "");
	fib_ack(f, seq, err, msg);
	f->ack_seq = seq + 1;
}

void
fib_pending_lost(struct fib *f)
{
	struct fib_pending *p;
	size_t i;

	for (i = 0; i < FIB_RING; i++) {
		p = &f->ring[i];
		if (p->kind == FIB_P_ROUTE) {
			struct fib_route *r = p->obj;

			r->inflight--;
			r->kstate = FIB_K_UNKNOWN;
		} else if (p->kind == FIB_P_RULE) {
			struct fib_rule *ru = p->obj;

			ru->inflight--;
			ru->kstate = FIB_K_UNKNOWN;
		}
		memset(p, 0, sizeof(*p));
	}
	f->inflight = 0;
	f->ack_seq = f->seq + 1;
	f->st.overruns++;
	log_warn("fib: ACKs lost (ENOBUFS on the request socket); full resync");
	fib_resync(f);
}

static void
fib_req_read(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct fib *f = arg;
	struct rbuf r;
	struct nl_msg m;
	char msg[256];
	ssize_t n;
	int i, err, rc;

	for (i = 0; i < (int)FIB_RING && f->inflight > 0; i++) {
		if ((n = mnl_socket_recvfrom(f->req, f->rbuf, FIB_RBUF)) < 0) {
			if (errno == ENOBUFS)
				fib_pending_lost(f);
			else if (errno != EAGAIN && errno != EINTR)
				log_err("fib: netlink receive: %s",
				    strerror(errno));
			break;
		}
		rbuf_init(&r, f->rbuf, (size_t)n);
		while ((rc = nl_msg_next(&r, &m)) == 1)
			if (m.type == NLMSG_ERROR &&
			    nl_err_parse(&m, &err, msg, sizeof(msg)) == NL_OK)
				fib_reply(f, m.seq, err, msg);
		if (rc == NL_BAD)
			log_err("fib: malformed netlink reply dropped");
	}
	/* Drain a stray reply even when nothing is in flight. */
	if (f->inflight == 0)
		while (recv(fd, f->rbuf, FIB_RBUF, MSG_DONTWAIT) > 0)
			;
	fib_kick(f);
}

/* --- notifications -------------------------------------------------------- */

/*
 * Only deletions are acted on. Notifications lag behind ACKs (another
 * socket), so a NEWROUTE may describe a state we have already moved
 * past; acting on it would churn. Routes of ours that someone added by
 * hand are found by the next resync instead.
 */
static void
fib_route_event(struct fib *f, const struct nl_msg *m)
{
	struct nl_route nr;
	struct fib_route *r;

	if (m->type != RTM_DELROUTE || nl_route_parse(m, &nr) != NL_OK ||
	    nr.protocol != f->conf.protocol || !fib_table_ours(f, nr.table))
		return;
	r = fib_rt_find(f, nr.table, &nr.dst,
	    nr.has_priority ? nr.priority : 0, nr.tos);
	if (r == NULL || r->queued || r->inflight > 0)
		return;		/* our own change, or about to be */
	r->kstate = FIB_K_ABSENT;
	if (r->desired) {
		/* Someone removed a route we want: put it back. */
		f->st.resync_fixes++;
		fib_rt_queue(f, r);
	} else {
		r->stale_hold = false;
		fib_rt_release(f, r);
	}
}

static struct fib_linkstate *
fib_link_find(struct fib *f, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < f->nlinks; i++)
		if (f->links[i].ifindex == ifindex)
			return &f->links[i];
	return NULL;
}

static struct fib_linkstate *
fib_link_add(struct fib *f, uint32_t ifindex)
{
	struct fib_linkstate *n;

	if (f->nlinks == f->links_cap) {
		size_t cap = f->links_cap ? f->links_cap * 2 : 16;

		if ((n = realloc(f->links, cap * sizeof(*n))) == NULL)
			return NULL;
		f->links = n;
		f->links_cap = cap;
	}
	n = &f->links[f->nlinks++];
	memset(n, 0, sizeof(*n));
	n->ifindex = ifindex;
	return n;
}

void
fib_link_event(struct fib *f, const struct fib_link *l)
{
	struct fib_linkstate *s = fib_link_find(f, l->ifindex);
	bool oper_changed;

	if (l->deleted) {
		if (s == NULL)
			return;
		*s = f->links[--f->nlinks];
		oper_changed = true;
	} else if (s == NULL) {
		if ((s = fib_link_add(f, l->ifindex)) == NULL)
			return;
		s->admin_up = l->admin_up;
		s->oper_up = l->oper_up;
		oper_changed = false;
	} else {
		if (s->admin_up == l->admin_up && s->oper_up == l->oper_up)
			return;
		oper_changed = s->oper_up != l->oper_up;
		s->admin_up = l->admin_up;
		s->oper_up = l->oper_up;
	}
	f->st.link_events++;
	if (f->conf.link_cb != NULL)
		f->conf.link_cb(f->conf.arg, l);
	/* IPv4 flushes routes over a dead link without telling anyone,
	 * and they must come back when it returns: compare with the
	 * kernel once the flapping settles. */
	if (oper_changed && !ev_timer_armed(&f->rs_timer))
		ev_timer_start(f->loop, &f->rs_timer, 200 * USEC_PER_MSEC);
}

static void
fib_evt_msg(struct fib *f, const struct nl_msg *m)
{
	struct fib_link l;

	f->st.events++;
	switch (m->type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		fib_route_event(f, m);
		break;
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nl_link_parse(m, &l) == NL_OK)
			fib_link_event(f, &l);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		f->st.neigh_events++;
		break;
	}
}

static void
fib_evt_read(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct fib *f = arg;
	struct rbuf r;
	struct nl_msg m;
	ssize_t n;
	int i, rc;

	for (i = 0; i < FIB_EVT_BUDGET; i++) {
		if ((n = mnl_socket_recvfrom(f->evt, f->rbuf, FIB_RBUF)) < 0) {
			if (errno == ENOBUFS) {
				fib_overrun(f);
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				log_err("fib: netlink notification receive: "
				    "%s", strerror(errno));
			break;
		}
		rbuf_init(&r, f->rbuf, (size_t)n);
		while ((rc = nl_msg_next(&r, &m)) == 1)
			fib_evt_msg(f, &m);
		if (rc == NL_BAD)
			log_err("fib: malformed netlink notification dropped");
	}
	fib_check_idle(f);
}
