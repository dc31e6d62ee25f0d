/*
 * Reconciling with the kernel: the full resync (at start, after an
 * overrun or lost ACKs, after a link changes state) and the flush of
 * everything ours on a clean shutdown.
 *
 * Resync: wait until nothing is in flight, dump the routes of our
 * protocol (IPv4 then IPv6; the kernel filters by protocol when strict
 * checking is on, and we filter again), then the rules; mark every entry
 * seen; queue a replace for a desired route the kernel has differently,
 * a delete for a route of ours nobody wants (unless the restart hold
 * keeps it), an add for a desired route the kernel lacks. The dump runs
 * on its own socket and is read in budgeted slices from the loop.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "fib/fib_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define FIB_DUMP_STEPS	4
#define FIB_DUMP_BUDGET	64

static const struct {
	bool	 rule;
	uint8_t	 af;
} fib_steps[FIB_DUMP_STEPS] = {
	{ false, AF_INET }, { false, AF_INET6 },
	{ true, AF_INET }, { true, AF_INET6 },
};

static void	fib_resync_end(struct fib *);

static void
fib_dump_step(struct fib *f)
{
	uint8_t req[64];
	int n;

	if (f->rs_step == FIB_DUMP_STEPS) {
		fib_resync_end(f);
		return;
	}
	f->rs_seq++;
	if (fib_steps[f->rs_step].rule)
		n = nl_rule_dump_build(req, sizeof(req), f->rs_seq,
		    fib_steps[f->rs_step].af);
	else
		n = nl_route_dump_build(req, sizeof(req), f->rs_seq,
		    fib_steps[f->rs_step].af, f->conf.protocol);
	if (n < 0 || mnl_socket_sendto(f->dump, req, (size_t)n) != n) {
		log_err("fib: resync dump request failed: %s", strerror(errno));
		f->rs_failed = true;
		fib_resync_end(f);
	}
}

void
fib_resync_begin(struct fib *f)
{
	f->st.resyncs++;
	f->gen++;
	f->rs_state = FIB_RS_DUMP;
	f->rs_step = 0;
	f->rs_intr = false;
	f->rs_failed = false;
	fib_dump_step(f);
}

static void
fib_dump_route(struct fib *f, const struct nl_msg *m)
{
	struct nl_route nr;
	struct fib_route *r;
	struct fib_nhset *kn;
	int rc;

	if ((rc = nl_route_parse(m, &nr)) == NL_BAD)
		log_err("fib: malformed route in the kernel's dump skipped");
	if (rc != NL_OK || nr.protocol != f->conf.protocol ||
	    !fib_table_ours(f, nr.table) || (nr.rtm_flags & RTM_F_CLONED))
		return;
	r = fib_rt_get(f, nr.table, &nr.dst,
	    nr.has_priority ? nr.priority : 0, nr.tos);
	kn = fib_nhset_get(f, nr.nh, nr.nnh);
	r->seen_gen = f->gen;
	r->kstate = FIB_K_PRESENT;
	if (r->desired) {
		if (nr.nh_truncated || !fib_nhset_match(r->nh, kn)) {
			if (!r->queued) {
				f->st.resync_fixes++;
				fib_rt_queue(f, r);
			}
		} else {
			/* Nothing is in flight during a dump, so the kernel
			 * has exactly this: a queued change is moot (a
			 * restart that wants what survived sends nothing). */
			r->err = 0;
			fib_rt_dequeue(f, r);
		}
		fib_nhset_unref(f, kn);
		return;
	}
	/* Ours, but nobody wants it (yet): remember what the kernel has,
	 * so an identical fib_route_set adopts it without a message. */
	fib_nhset_unref(f, r->nh);
	r->nh = kn;
	if (r->queued)
		return;
	if (f->hold)
		r->stale_hold = true;
	else {
		f->st.resync_fixes++;
		fib_rt_queue(f, r);
	}
}

static struct fib_rule *
fib_rule_match(struct fib *f, const struct nl_rule *k)
{
	struct fib_rule *ru;

	TAILQ_FOREACH(ru, &f->rules, link)
		if (ru->r.family == k->family && ru->r.table == k->table &&
		    ru->r.priority == k->priority &&
		    strcmp(ru->r.iif, k->iif) == 0)
			return ru;
	return NULL;
}

static void
fib_dump_rule(struct fib *f, const struct nl_msg *m)
{
	struct nl_rule k;
	struct fib_rule *ru;

	if (nl_rule_parse(m, &k) != NL_OK || k.protocol != f->conf.protocol ||
	    !fib_table_ours(f, k.table))
		return;
	if ((ru = fib_rule_match(f, &k)) == NULL) {
		if ((ru = calloc(1, sizeof(*ru))) == NULL)
			fatal_bug("fib: out of memory for a rule");
		ru->r = k;
		ru->r.has_priority = true;
		TAILQ_INSERT_TAIL(&f->rules, ru, link);
	}
	ru->seen_gen = f->gen;
	ru->kstate = FIB_K_PRESENT;
	if (ru->desired) {
		ru->err = 0;
		if (ru->queued) {
			ru->queued = false;
			f->rules_queued--;
		}
	} else if (!ru->queued && !f->hold) {
		f->st.resync_fixes++;
		fib_rule_queue(f, ru);
	}
}

static void
fib_sweep_cb(struct fib *f, struct fib_route *r, void *arg)
{
	bool thought = r->kstate != FIB_K_ABSENT || r->err != 0;

	if (r->seen_gen == f->gen)
		return;
	r->kstate = FIB_K_ABSENT;
	if (r->desired) {
		if (!r->queued) {
			if (thought)
				f->st.resync_fixes++;
			fib_rt_queue(f, r);
		}
		return;
	}
	/* Not desired and not in the kernel: nothing left to do. */
	fib_rt_dequeue(f, r);
	r->stale_hold = false;
	fib_rt_release(f, r);
}

static void
fib_rule_sweep(struct fib *f)
{
	struct fib_rule *ru, *next;

	for (ru = TAILQ_FIRST(&f->rules); ru; ru = next) {
		next = TAILQ_NEXT(ru, link);
		if (ru->seen_gen == f->gen)
			continue;
		ru->kstate = FIB_K_ABSENT;
		if (ru->desired) {
			if (!ru->queued) {
				f->st.resync_fixes++;
				fib_rule_queue(f, ru);
			}
		} else {
			if (ru->queued) {
				ru->queued = false;
				f->rules_queued--;
			}
			fib_rule_release(f, ru);
		}
	}
}

static void
fib_resync_end(struct fib *f)
{
	if (!f->rs_failed) {
		fib_rt_walk(f, fib_sweep_cb, NULL);
		fib_rule_sweep(f);
	}
	f->rs_state = FIB_RS_IDLE;
	log_debug("fib: resync %llu %s: %zu routes wanted, %zu changes "
	    "queued", (unsigned long long)f->st.resyncs,
	    f->rs_failed ? "failed" : "done", f->rt_desired, f->nqueued);
	if (f->rs_intr)
		f->rs_wanted = true;	/* the dump was inconsistent */
	else if (f->rs_failed && !ev_timer_armed(&f->rs_timer))
		ev_timer_start(f->loop, &f->rs_timer, USEC_PER_SEC);
	fib_kick(f);
}

/* One message of the running dump; false once this step is over. */
static bool
fib_dump_msg(struct fib *f, const struct nl_msg *m)
{
	int err;
	char msg[256];

	if (m->seq != f->rs_seq)
		return true;	/* left over from an abandoned dump */
	if (m->flags & NLM_F_DUMP_INTR)
		f->rs_intr = true;
	switch (m->type) {
	case NLMSG_DONE:
		break;
	case NLMSG_ERROR:
		if (nl_err_parse(m, &err, msg, sizeof(msg)) != NL_OK)
			err = EPROTO;
		/* No IPv6 in this kernel is not a failure. */
		if (err != 0 && err != EAFNOSUPPORT) {
			log_err("fib: resync dump refused: %s %s",
			    strerror(err), msg);
			f->rs_failed = true;
		}
		break;
	case RTM_NEWROUTE:
		fib_dump_route(f, m);
		return true;
	case RTM_NEWRULE:
		fib_dump_rule(f, m);
		return true;
	default:
		return true;
	}
	if (f->rs_failed) {
		fib_resync_end(f);
		return false;
	}
	f->rs_step++;
	fib_dump_step(f);
	return false;
}

void
fib_dump_read(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct fib *f = arg;
	struct rbuf r;
	struct nl_msg m;
	ssize_t n;
	int i, rc;

	for (i = 0; i < FIB_DUMP_BUDGET; i++) {
		if ((n = mnl_socket_recvfrom(f->dump, f->rbuf, FIB_RBUF)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			log_err("fib: resync dump receive: %s",
			    strerror(errno));
			if (f->rs_state == FIB_RS_DUMP) {
				f->rs_failed = true;
				fib_resync_end(f);
			}
			break;
		}
		if (f->rs_state != FIB_RS_DUMP)
			continue;
		rbuf_init(&r, f->rbuf, (size_t)n);
		while ((rc = nl_msg_next(&r, &m)) == 1)
			if (!fib_dump_msg(f, &m))
				break;
		if (rc == NL_BAD) {
			log_err("fib: malformed netlink dump; resync again");
			f->rs_failed = true;
			fib_resync_end(f);
		}
	}
	fib_check_idle(f);
}

/* --- clean shutdown: remove everything of ours ---------------------------- */

struct fib_flush {
	struct fib	*f;
	struct nl_route	*routes;
	size_t		 nroutes, cap;
	struct nl_rule	 rules[64];
	size_t		 nrules;
	size_t		 failed;
};

static int
fib_flush_route_cb(const struct nl_msg *m, void *arg)
{
	struct fib_flush *x = arg;
	struct nl_route nr;

	if (nl_route_parse(m, &nr) != NL_OK ||
	    nr.protocol != x->f->conf.protocol ||
	    !fib_table_ours(x->f, nr.table) || (nr.rtm_flags & RTM_F_CLONED))
		return 0;
	if (x->nroutes == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct nl_route *n = realloc(x->routes, cap * sizeof(*n));

		if (n == NULL)
			return 1;
		x->routes = n;
		x->cap = cap;
	}
	/* Delete by key only: any next hops, any scope and type. */
	nr.nnh = 0;
	nr.type = 0;
	nr.scope = RT_SCOPE_NOWHERE;
	nr.has_priority = true;
	x->routes[x->nroutes++] = nr;
	return 0;
}

static int
fib_flush_rule_cb(const struct nl_msg *m, void *arg)
{
	struct fib_flush *x = arg;
	struct nl_rule k;

	if (nl_rule_parse(m, &k) != NL_OK || k.protocol != x->f->conf.protocol ||
	    !fib_table_ours(x->f, k.table) ||
	    x->nrules == sizeof(x->rules) / sizeof(x->rules[0]))
		return 0;
	x->rules[x->nrules++] = k;
	return 0;
}

static void
fib_flush_ack(void *arg, uint32_t seq, int err, const char *msg)
{
	struct fib_flush *x = arg;

	if (err != 0 && err != ENOENT && err != ESRCH) {
		x->failed++;
		log_warn("fib: shutdown delete refused: %s %s", strerror(err),
		    msg);
	}
}

static int
fib_flush_dels(struct fib_flush *x, struct mnl_socket *nl)
{
	static uint8_t buf[65536];
	const size_t per = 128;		/* ACKs fit the default rcvbuf */
	size_t i = 0, total = x->nroutes + x->nrules, used, cnt;
	uint32_t seq = (uint32_t)mono_us(), first;
	int n;

	while (i < total) {
		used = cnt = 0;
		first = seq;
		for (; i < total && cnt < per; i++, cnt++, seq++) {
			if (i < x->nroutes)
				n = nl_route_build(buf + used, sizeof(buf) - used,
				    RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, seq,
				    &x->routes[i]);
			else
				n = nl_rule_build(buf + used, sizeof(buf) - used,
				    RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK, seq,
				    &x->rules[i - x->nroutes]);
			if (n < 0)
				break;
			used += NLMSG_ALIGN((size_t)n);
		}
		if (cnt == 0 || fib_nl_batch(nl, buf, used, first, cnt,
		    fib_flush_ack, x) == -1)
			return -1;
	}
	return 0;
}

int
fib_flush_kernel(struct fib *f)
{
	struct fib_flush x = { .f = f };
	struct mnl_socket *nl;
	uint8_t req[64];
	size_t i;
	int n, rc = -1;

	for (i = 0; i < FIB_DUMP_STEPS; i++) {
		if (fib_steps[i].rule)
			n = nl_rule_dump_build(req, sizeof(req), 1,
			    fib_steps[i].af);
		else
			n = nl_route_dump_build(req, sizeof(req), 1,
			    fib_steps[i].af, f->conf.protocol);
		if (n < 0 || fib_nl_dump(req, (size_t)n, fib_steps[i].rule ?
		    fib_flush_rule_cb : fib_flush_route_cb, &x) == -1) {
			if (errno == EAFNOSUPPORT)
				continue;
			log_err("fib: shutdown flush: dump failed: %s",
			    strerror(errno));
			goto out;
		}
	}
	if ((nl = fib_nl_open(false, false, NULL)) == NULL)
		goto out;
	rc = fib_flush_dels(&x, nl);
	mnl_socket_close(nl);
	log_info("fib: shutdown: removed %zu routes and %zu rules of protocol "
	    "%u (%zu refused)%s", x.nroutes, x.nrules, f->conf.protocol,
	    x.failed, rc == -1 ? "; incomplete" : "");
out:
	free(x.routes);
	return rc;
}
