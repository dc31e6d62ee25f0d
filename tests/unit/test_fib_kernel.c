/*
 * Unit tests of src/fib against the real kernel, in a private network
 * namespace this process unshares first (it needs root; without it the
 * tests print a SKIP line with the reason). Routes go over the loopback
 * device, which every namespace has.
 *
 * Covers: desired state to kernel, per-route refusals, next-hop set
 * interning, the overrun handler (fib_overrun → full resync repairs a
 * deleted route and removes a hand-made route of our protocol while
 * leaving another protocol's route alone), lost ACKs, clean flush.
 */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "t.h"
#include "fib/fib_int.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define TABLE	1001

static const char	*skip_reason;
static struct ev_loop	*loop;
static struct fib	*fib;
static int		 nerr_cb;
static int		 last_err;

static void
skip(const char *name)
{
	t_num++;
	printf("ok %d - %s # SKIP %s\n", t_num, name, skip_reason);
}

#define K_RUN(fn) do { if (skip_reason) skip(#fn); else T_RUN(fn); } while (0)

static int
lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (fd != -1 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd != -1)
		close(fd);
	return rc;
}

static void
on_err(void *arg, uint32_t table, const struct prefix *p, int err,
    const char *msg)
{
	nerr_cb++;
	last_err = err;
}

/* Run the loop until the FIB is idle (or 5 s pass). */
static bool
settle(void)
{
	uint64_t deadline = mono_us() + 5 * USEC_PER_SEC;

	do {
		ev_run_once(loop, 10000);
		if (fib_idle(fib))
			return true;
	} while (mono_us() < deadline);
	return false;
}

/* --- what the kernel has, from our own dump helper -------------------------- */

struct kview {
	const char	*want;		/* prefix */
	int		 found;
	uint8_t		 proto;
	size_t		 nnh;
};

static int
kview_cb(const struct nl_msg *m, void *arg)
{
	struct kview *v = arg;
	struct nl_route rt;
	char b[PREFIX_STRLEN];

	if (nl_route_parse(m, &rt) != NL_OK || rt.table != TABLE)
		return 0;
	if (strcmp(prefix_ntop(&rt.dst, b, sizeof(b)), v->want) != 0)
		return 0;
	v->found++;
	v->proto = rt.protocol;
	v->nnh = rt.nnh;
	return 0;
}

static struct kview
kernel_has(const char *pfx)
{
	struct kview v = { .want = pfx };
	uint8_t req[64];
	int n;

	n = nl_route_dump_build(req, sizeof(req), 1,
	    strchr(pfx, ':') ? AF_INET6 : AF_INET, 0);
	if (fib_nl_dump(req, (size_t)n, kview_cb, &v) == -1)
		v.found = -1;
	return v;
}

static void
ack_ignore(void *arg, uint32_t seq, int err, const char *msg)
{
	*(int *)arg = err;
}

/* Change the kernel behind the FIB's back. */
static int
kernel_route(uint16_t type, const char *pfx, uint8_t proto)
{
	struct nl_route rt;
	struct mnl_socket *nl;
	uint8_t buf[256];
	int n, err = -1;

	memset(&rt, 0, sizeof(rt));
	prefix_parse(pfx, &rt.dst, true);
	rt.family = rt.dst.af;
	rt.table = TABLE;
	rt.protocol = proto;
	rt.priority = FIB_METRIC_DEFAULT;
	rt.has_priority = true;
	if (type == RTM_NEWROUTE) {
		rt.type = RTN_UNICAST;
		rt.scope = RT_SCOPE_LINK;
		rt.nnh = 1;
		rt.nh[0].ifindex = if_nametoindex("lo");
	} else
		rt.scope = RT_SCOPE_NOWHERE;
	n = nl_route_build(buf, sizeof(buf), type, NLM_F_REQUEST | NLM_F_ACK |
	    (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0), 42, &rt);
	if ((nl = fib_nl_open(false, false, NULL)) == NULL)
		return -1;
	if (fib_nl_batch(nl, buf, (size_t)n, 42, 1, ack_ignore, &err) == -1)
		err = -1;
	mnl_socket_close(nl);
	return err;
}

static int
set_lo(const char *pfx)
{
	struct fib_nexthop nh = { .ifindex = if_nametoindex("lo") };
	struct prefix p;

	prefix_parse(pfx, &p, true);
	return fib_route_set(fib, TABLE, &p, &nh, 1);
}

/* --- tests -------------------------------------------------------------------- */

static void
test_install(void)
{
	struct fib_route_info info;
	struct fib_stats st;
	struct prefix p;

	T_EQ(set_lo("10.1.0.0/16"), 0);
	T_EQ(set_lo("10.2.0.0/16"), 0);
	T_EQ(set_lo("2001:db8:1::/48"), 0);
	T_CHECK(settle());
	T_EQ(kernel_has("10.1.0.0/16").found, 1);
	T_EQ(kernel_has("10.1.0.0/16").proto, FIB_PROTO_XROUTE);
	T_EQ(kernel_has("2001:db8:1::/48").found, 1);
	prefix_parse("10.2.0.0/16", &p, true);
	T_EQ(fib_route_find(fib, TABLE, &p, &info), 0);
	T_CHECK(info.installed);
	T_EQ(info.err, 0);
	fib_get_stats(fib, &st);
	T_EQ(st.routes, 3);
	T_EQ(st.adds, 3);
	T_EQ(st.errors, 0);
	/* The same set again sends nothing. */
	T_EQ(set_lo("10.2.0.0/16"), 0);
	T_CHECK(settle());
	fib_get_stats(fib, &st);
	T_EQ(st.adds, 3);
}

/* Bare gateways (the RIB's view): two on-link ones make one ECMP route. */
static void
test_install_gws(void)
{
	struct addr gw[2];
	struct prefix p;
	struct kview v;

	addr_parse("127.0.0.2", &gw[0]);
	addr_parse("127.0.0.3", &gw[1]);
	prefix_parse("10.7.0.0/16", &p, true);
	T_EQ(fib_route_set_gws(fib, TABLE, &p, gw, 2), 0);
	T_CHECK(settle());
	v = kernel_has("10.7.0.0/16");
	T_EQ(v.found, 1);
	T_EQ(v.nnh, 2);
	T_EQ(fib_route_del(fib, TABLE, &p), 0);
	T_CHECK(settle());
	T_EQ(kernel_has("10.7.0.0/16").found, 0);
}

static void
test_refusal_per_route(void)
{
	struct fib_nexthop nh;
	struct fib_route_info info;
	struct prefix p;

	/* 192.0.2.1 is not on any link here: the kernel refuses, and the
	 * refusal is pinned on this route, not its neighbours. */
	memset(&nh, 0, sizeof(nh));
	addr_parse("192.0.2.1", &nh.gw);
	prefix_parse("10.3.0.0/16", &p, true);
	nerr_cb = 0;
	T_EQ(fib_route_set(fib, TABLE, &p, &nh, 1), 0);
	T_EQ(set_lo("10.4.0.0/16"), 0);
	T_CHECK(settle());
	T_EQ(nerr_cb, 1);
	T_EQ(last_err, ENETUNREACH);
	T_EQ(fib_route_find(fib, TABLE, &p, &info), 0);
	T_CHECK(!info.installed);
	T_EQ(info.err, ENETUNREACH);
	prefix_parse("10.4.0.0/16", &p, true);
	T_EQ(fib_route_find(fib, TABLE, &p, &info), 0);
	T_CHECK(info.installed);
	prefix_parse("10.3.0.0/16", &p, true);
	T_EQ(fib_route_del(fib, TABLE, &p), 0);
	prefix_parse("10.4.0.0/16", &p, true);
	T_EQ(fib_route_del(fib, TABLE, &p), 0);
	T_CHECK(settle());
	T_EQ(kernel_has("10.4.0.0/16").found, 0);
}

static void
test_bad_arguments(void)
{
	struct fib_nexthop nh[FIB_NH_MAX + 1];
	struct prefix p;

	memset(nh, 0, sizeof(nh));
	prefix_parse("2001:db8:2::/48", &p, true);
	addr_parse("10.0.0.1", &nh[0].gw);
	errno = 0;
	T_EQ(fib_route_set(fib, TABLE, &p, nh, 1), -1);
	T_EQ(errno, EINVAL);
	prefix_parse("10.5.0.0/16", &p, true);
	T_EQ(fib_route_set(fib, TABLE, &p, nh, FIB_NH_MAX + 1), -1);
	memset(&nh[0], 0, sizeof(nh[0]));	/* neither gateway nor device */
	T_EQ(fib_route_set(fib, TABLE, &p, nh, 1), -1);
	T_EQ(fib_rule_set(fib, TABLE, "a-name-much-too-long", 100), -1);
	T_EQ(fib_rule_set(fib, 0, "lo", 100), -1);
}

/* Permuted next hops intern to one set; ifindex 0 matches any. */
static void
test_nhset(void)
{
	struct fib_nexthop a[2], b[2];
	struct fib_nhset *x, *y;

	memset(a, 0, sizeof(a));
	addr_parse("10.0.1.2", &a[0].gw);
	addr_parse("10.0.2.2", &a[1].gw);
	a[1].weight = 1;	/* 0 and 1 mean the same */
	b[0] = a[1];
	b[1] = a[0];
	b[0].weight = 0;
	x = fib_nhset_get(fib, a, 2);
	y = fib_nhset_get(fib, b, 2);
	T_CHECK(x == y);
	T_EQ(x->refcnt, 2);
	fib_nhset_unref(fib, y);
	b[0].ifindex = 5;
	b[1].ifindex = 6;
	y = fib_nhset_get(fib, b, 2);
	T_CHECK(x != y);
	T_CHECK(fib_nhset_match(x, y));		/* wildcard ifindex */
	T_CHECK(!fib_nhset_match(y, x));	/* not the other way */
	fib_nhset_unref(fib, x);
	fib_nhset_unref(fib, y);
}

static void
test_overrun_resyncs(void)
{
	struct fib_stats before, after;

	/* Behind our back: one of our routes goes, a stale one of our
	 * protocol and a foreign (static) one appear. */
	T_EQ(kernel_route(RTM_DELROUTE, "10.1.0.0/16", FIB_PROTO_XROUTE), 0);
	T_EQ(kernel_route(RTM_NEWROUTE, "10.9.0.0/16", FIB_PROTO_XROUTE), 0);
	T_EQ(kernel_route(RTM_NEWROUTE, "10.8.0.0/16", RTPROT_STATIC), 0);
	T_EQ(kernel_has("10.1.0.0/16").found, 0);
	fib_get_stats(fib, &before);
	fib_overrun(fib);
	fib_get_stats(fib, &after);
	T_EQ(after.overruns, before.overruns + 1);
	/* The resync is coalesced: it starts ~100 ms later. */
	for (int i = 0; i < 100 && after.resyncs == before.resyncs; i++) {
		ev_run_once(loop, 10000);
		fib_get_stats(fib, &after);
	}
	T_EQ(after.resyncs, before.resyncs + 1);
	T_CHECK(settle());
	T_EQ(kernel_has("10.1.0.0/16").found, 1);
	T_EQ(kernel_has("10.9.0.0/16").found, 0);
	T_EQ(kernel_has("10.8.0.0/16").found, 1);
	T_EQ(kernel_has("10.8.0.0/16").proto, RTPROT_STATIC);
	T_EQ(kernel_has("2001:db8:1::/48").found, 1);
	fib_get_stats(fib, &after);
	T_CHECK(after.resync_fixes >= before.resync_fixes + 1);
}

/* ACKs lost between send and receive: the state is relearnt. */
static void
test_lost_acks(void)
{
	struct fib_route_info info;
	struct fib_stats st;
	struct prefix p;

	T_EQ(set_lo("10.6.0.0/16"), 0);
	fib_flush_job(loop, &fib->flush_job, fib);	/* sends it */
	fib_get_stats(fib, &st);
	T_EQ(st.inflight, 1);
	fib_pending_lost(fib);
	fib_get_stats(fib, &st);
	T_EQ(st.inflight, 0);
	T_CHECK(settle());
	prefix_parse("10.6.0.0/16", &p, true);
	T_EQ(fib_route_find(fib, TABLE, &p, &info), 0);
	T_CHECK(info.installed);
	T_EQ(kernel_has("10.6.0.0/16").found, 1);
}

static void
test_clean_flush(void)
{
	fib_free(fib, true);
	fib = NULL;
	T_EQ(kernel_has("10.1.0.0/16").found, 0);
	T_EQ(kernel_has("10.6.0.0/16").found, 0);
	T_EQ(kernel_has("2001:db8:1::/48").found, 0);
	T_EQ(kernel_has("10.8.0.0/16").found, 1);	/* not ours */
}

static void
setup(void)
{
	struct fib_conf conf = { .table_min = TABLE, .table_max = TABLE,
	    .route_err = on_err };

	if (geteuid() != 0) {
		skip_reason = "needs root to unshare a network namespace";
		return;
	}
	if (unshare(CLONE_NEWNET) == -1) {
		skip_reason = "unshare(CLONE_NEWNET) failed";
		return;
	}
	if (lo_up() == -1) {
		skip_reason = "cannot bring lo up";
		return;
	}
	loop = ev_loop_new();
	if ((fib = fib_new(loop, &conf)) == NULL || !settle())
		skip_reason = "fib_new failed";
}

int
main(void)
{
	log_init("test_fib_kernel", true, LOG_LVL_ERR);
	hash_init();
	setup();
	K_RUN(test_install);
	K_RUN(test_install_gws);
	K_RUN(test_refusal_per_route);
	K_RUN(test_bad_arguments);
	K_RUN(test_nhset);
	K_RUN(test_overrun_resyncs);
	K_RUN(test_lost_acks);
	K_RUN(test_clean_flush);
	if (loop != NULL)
		ev_loop_free(loop);
	return t_done();
}
