/*
 * fib_tool: drives src/fib from a line protocol on stdin, for the
 * integration test (tests/integ/fib_kernel.sh) and the benchmark. Run
 * it inside a network namespace. Every command line gets exactly one
 * reply line, "ok ..." or "err ...".
 *
 *   fib_tool [-p proto] [-m metric] [-t min-max] [-H hold_ms] [-s] [-A]
 *   (-s: set the multipath hash policy; -A: NLM_F_ACK on every message)
 *
 *   route TABLE PREFIX NH...   NH: GW | GW@IFNAME | @IFNAME, optional *WEIGHT
 *   del TABLE PREFIX
 *   rule TABLE IFNAME PRIO     unrule TABLE IFNAME PRIO
 *   sync                       wait until the kernel ACKed everything
 *   show TABLE PREFIX          our view of one route
 *   stats | resync | overrun | ready | events | lasterr
 *   neigh IFNAME | link IFNAME
 *   bench N TABLE NH...        install N /32s (100.64.0.0 + i), timed
 *   benchdel N TABLE           delete them again, timed
 *   quit                       clean exit: flush our routes
 *   quit-noflush               exit leaving the routes
 */
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fib/fib.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"

struct tool {
	struct ev_loop	*loop;
	struct fib	*fib;
	char		 in[65536];
	size_t		 inlen;
	bool		 blocked;	/* waiting for idle */
	bool		 eof;
	uint64_t	 t0;
	size_t		 bench_n;
	struct ev_io	 io;
	struct ev_defer	 more;
	char		 events[4096];
	char		 lasterr[512];
	uint64_t	 nerr;
};

static void	tool_lines(struct tool *);

static void
reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int
parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || end == s || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int
parse_nh(const char *s, struct fib_nexthop *nh)
{
	char buf[128], *at, *star;

	memset(nh, 0, sizeof(*nh));
	snprintf(buf, sizeof(buf), "%s", s);
	if ((star = strchr(buf, '*')) != NULL) {
		*star++ = '\0';
		nh->weight = (uint8_t)atoi(star);
	}
	if ((at = strchr(buf, '@')) != NULL) {
		*at++ = '\0';
		if ((nh->ifindex = if_nametoindex(at)) == 0)
			return -1;
	}
	if (buf[0] != '\0' && addr_parse(buf, &nh->gw) == -1)
		return -1;
	return 0;
}

static int
parse_nhs(char **av, int ac, struct fib_nexthop *nh, size_t *n)
{
	int i;

	if (ac > FIB_NH_MAX)
		return -1;
	for (i = 0; i < ac; i++)
		if (parse_nh(av[i], &nh[i]) == -1)
			return -1;
	*n = (size_t)ac;
	return 0;
}

static void
idle_sync(void *arg)
{
	struct tool *t = arg;
	struct fib_stats st;

	fib_get_stats(t->fib, &st);
	reply("ok adds=%llu dels=%llu errors=%llu", (unsigned long long)st.adds,
	    (unsigned long long)st.dels, (unsigned long long)st.errors);
	t->blocked = false;
	ev_defer_schedule(t->loop, &t->more);
}

static void
idle_bench(void *arg)
{
	struct tool *t = arg;

	reply("ok n=%zu ms=%.1f", t->bench_n,
	    (double)(mono_us() - t->t0) / 1000.0);
	t->blocked = false;
	ev_defer_schedule(t->loop, &t->more);
}

static void
wait_idle(struct tool *t, void (*cb)(void *))
{
	t->blocked = true;
	fib_on_idle(t->fib, cb, t);
}

static void
cmd_show(struct tool *t, uint32_t table, const struct prefix *p)
{
	struct fib_route_info info;
	char out[1024], a[ADDR_STRLEN];
	size_t i, used;

	if (fib_route_find(t->fib, table, p, &info) == -1) {
		reply("ok absent");
		return;
	}
	used = (size_t)snprintf(out, sizeof(out),
	    "ok desired=%d installed=%d pending=%d err=%d nh=", info.desired,
	    info.installed, info.pending, info.err);
	for (i = 0; i < info.nnh && used < sizeof(out); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used,
		    "%s%s@%u", i ? "," : "", info.nh[i].gw.af ?
		    addr_ntop(&info.nh[i].gw, a, sizeof(a)) : "",
		    info.nh[i].ifindex);
	reply("%s", out);
}

static void
cmd_stats(struct tool *t)
{
	struct fib_stats s;

	fib_get_stats(t->fib, &s);
	reply("ok routes=%zu queued=%zu inflight=%zu nhsets=%zu adds=%llu "
	    "dels=%llu rule_msgs=%llu batches=%llu acks=%llu errors=%llu "
	    "resyncs=%llu overruns=%llu fixes=%llu hash_policy=%d",
	    s.routes, s.queued, s.inflight, s.nhsets,
	    (unsigned long long)s.adds, (unsigned long long)s.dels,
	    (unsigned long long)s.rule_msgs, (unsigned long long)s.batches,
	    (unsigned long long)s.acks, (unsigned long long)s.errors,
	    (unsigned long long)s.resyncs, (unsigned long long)s.overruns,
	    (unsigned long long)s.resync_fixes, s.hash_policy_set);
}

struct neigh_out {
	char	 buf[4096];
	size_t	 used;
	int	 n;
};

static int
neigh_cb(void *arg, const struct fib_neigh *n)
{
	struct neigh_out *o = arg;
	char a[ADDR_STRLEN], mac[3 * FIB_LLADDR_MAX + 1] = "-";
	size_t i, used = 0;

	for (i = 0; i < n->maclen; i++)
		used += (size_t)snprintf(mac + used, sizeof(mac) - used,
		    "%s%02x", i ? ":" : "", n->mac[i]);
	o->n++;
	if (o->used < sizeof(o->buf))
		o->used += (size_t)snprintf(o->buf + o->used,
		    sizeof(o->buf) - o->used, " | %s %s %s %u",
		    addr_ntop(&n->ip, a, sizeof(a)), mac,
		    fib_neigh_state_name(n->state), n->age_sec);
	return 0;
}

static void
cmd_neigh(const char *ifname)
{
	struct neigh_out o = { .used = 0 };

	o.buf[0] = '\0';
	if (fib_neigh_dump(ifname, 0, neigh_cb, &o) == -1) {
		reply("err neigh %s: %s", ifname, strerror(errno));
		return;
	}
	reply("ok n=%d%s", o.n, o.buf);
}

static void
cmd_link(const char *ifname)
{
	struct fib_link l;
	char mac[3 * FIB_LLADDR_MAX + 1] = "";
	size_t i, used = 0;

	if (fib_link_info(ifname, &l) == -1) {
		reply("err link %s: %s", ifname, strerror(errno));
		return;
	}
	for (i = 0; i < l.maclen; i++)
		used += (size_t)snprintf(mac + used, sizeof(mac) - used,
		    "%s%02x", i ? ":" : "", l.mac[i]);
	reply("ok ifindex=%u oper=%s admin=%d mac=%s mtu=%u rx_bytes=%llu "
	    "tx_bytes=%llu rx_packets=%llu tx_packets=%llu", l.ifindex,
	    fib_oper_name(l.operstate), l.admin_up, mac, l.mtu,
	    (unsigned long long)l.stats.rx_bytes,
	    (unsigned long long)l.stats.tx_bytes,
	    (unsigned long long)l.stats.rx_packets,
	    (unsigned long long)l.stats.tx_packets);
}

static void
bench_prefix(size_t i, struct prefix *p)
{
	uint32_t a = 0x64400000u + (uint32_t)i;	/* 100.64.0.0 + i */
	uint8_t b[4] = { a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff };

	prefix_make(p, AF_INET, b, 32);
}

static void
cmd_bench(struct tool *t, char **av, int ac, bool del)
{
	struct fib_nexthop nh[FIB_NH_MAX];
	struct prefix p;
	uint32_t n, table;
	size_t nnh = 0, i;

	if (ac < 3 || parse_u32(av[1], &n) == -1 ||
	    parse_u32(av[2], &table) == -1 ||
	    (!del && parse_nhs(av + 3, ac - 3, nh, &nnh) == -1)) {
		reply("err usage: bench N TABLE NH... | benchdel N TABLE");
		return;
	}
	t->t0 = mono_us();
	t->bench_n = n;
	for (i = 0; i < n; i++) {
		bench_prefix(i, &p);
		if (del)
			fib_route_del(t->fib, table, &p);
		else
			fib_route_set(t->fib, table, &p, nh, nnh);
	}
	wait_idle(t, idle_bench);
}

static void
cmd_route(struct tool *t, char **av, int ac)
{
	struct fib_nexthop nh[FIB_NH_MAX];
	struct prefix p;
	uint32_t table;
	size_t n;

	if (ac < 4 || parse_u32(av[1], &table) == -1 ||
	    prefix_parse(av[2], &p, true) == -1 ||
	    parse_nhs(av + 3, ac - 3, nh, &n) == -1) {
		reply("err usage: route TABLE PREFIX NH...");
		return;
	}
	if (fib_route_set(t->fib, table, &p, nh, n) == -1)
		reply("err %s", strerror(errno));
	else
		reply("ok");
}

static void
cmd_rule(struct tool *t, char **av, int ac, bool del)
{
	uint32_t table, prio;
	int rc;

	if (ac != 4 || parse_u32(av[1], &table) == -1 ||
	    parse_u32(av[3], &prio) == -1) {
		reply("err usage: rule|unrule TABLE IFNAME PRIO");
		return;
	}
	rc = del ? fib_rule_del(t->fib, table, av[2], prio) :
	    fib_rule_set(t->fib, table, av[2], prio);
	if (rc == -1)
		reply("err %s", strerror(errno));
	else
		reply("ok");
}

static void
cmd_quit(struct tool *t, bool flush)
{
	fib_free(t->fib, flush);
	t->fib = NULL;
	reply("ok bye");
	ev_break(t->loop);
}

static void
tool_cmd(struct tool *t, char **av, int ac)
{
	struct prefix p;
	uint32_t table;

	if (strcmp(av[0], "route") == 0)
		cmd_route(t, av, ac);
	else if (strcmp(av[0], "del") == 0 || strcmp(av[0], "show") == 0) {
		if (ac != 3 || parse_u32(av[1], &table) == -1 ||
		    prefix_parse(av[2], &p, true) == -1)
			reply("err usage: %s TABLE PREFIX", av[0]);
		else if (av[0][0] == 's')
			cmd_show(t, table, &p);
		else {
			fib_route_del(t->fib, table, &p);
			reply("ok");
		}
	} else if (strcmp(av[0], "rule") == 0 || strcmp(av[0], "unrule") == 0)
		cmd_rule(t, av, ac, av[0][0] == 'u');
	else if (strcmp(av[0], "sync") == 0)
		wait_idle(t, idle_sync);
	else if (strcmp(av[0], "stats") == 0)
		cmd_stats(t);
	else if (strcmp(av[0], "resync") == 0) {
		fib_resync(t->fib);
		reply("ok");
	} else if (strcmp(av[0], "overrun") == 0) {
		fib_overrun(t->fib);
		reply("ok");
	} else if (strcmp(av[0], "ready") == 0) {
		fib_ready(t->fib);
		reply("ok");
	} else if (strcmp(av[0], "events") == 0) {
		reply("ok%s", t->events);
		t->events[0] = '\0';
	} else if (strcmp(av[0], "lasterr") == 0)
		reply("ok n=%llu %s", (unsigned long long)t->nerr, t->lasterr);
	else if (strcmp(av[0], "neigh") == 0 && ac == 2)
		cmd_neigh(av[1]);
	else if (strcmp(av[0], "link") == 0 && ac == 2)
		cmd_link(av[1]);
	else if (strcmp(av[0], "bench") == 0 || strcmp(av[0], "benchdel") == 0)
		cmd_bench(t, av, ac, av[0][5] == 'd');
	else if (strcmp(av[0], "quit") == 0)
		cmd_quit(t, true);
	else if (strcmp(av[0], "quit-noflush") == 0)
		cmd_quit(t, false);
	else
		reply("err unknown command '%s'", av[0]);
}

/* Run complete lines until one blocks (sync, bench) or input runs out. */
static void
tool_lines(struct tool *t)
{
	char *nl, *av[FIB_NH_MAX + 8], *tok, *save;
	int ac;

	while (!t->blocked && t->fib != NULL &&
	    (nl = memchr(t->in, '\n', t->inlen)) != NULL) {
		char line[sizeof(t->in)];
		size_t len = (size_t)(nl - t->in);

		memcpy(line, t->in, len);
		line[len] = '\0';
		memmove(t->in, nl + 1, t->inlen - len - 1);
		t->inlen -= len + 1;
		ac = 0;
		for (tok = strtok_r(line, " \t", &save); tok &&
		    ac < (int)(sizeof(av) / sizeof(av[0]));
		    tok = strtok_r(NULL, " \t", &save))
			av[ac++] = tok;
		if (ac > 0)
			tool_cmd(t, av, ac);
	}
	/* End of input without quit: behave like a clean shutdown. */
	if (t->eof && !t->blocked && t->fib != NULL && t->inlen == 0)
		cmd_quit(t, true);
}

static void
tool_more(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	tool_lines(arg);
}

static void
tool_read(struct ev_loop *l, int fd, uint32_t ev, void *arg)
{
	struct tool *t = arg;
	ssize_t n;

	n = read(fd, t->in + t->inlen, sizeof(t->in) - t->inlen - 1);
	if (n <= 0) {
		t->eof = true;
		ev_io_del(l, &t->io);
	} else
		t->inlen += (size_t)n;
	tool_lines(t);
}

static void
on_route_err(void *arg, uint32_t table, const struct prefix *p, int err,
    const char *msg)
{
	struct tool *t = arg;
	char b[PREFIX_STRLEN];

	t->nerr++;
	snprintf(t->lasterr, sizeof(t->lasterr), "table=%u prefix=%s err=%s "
	    "msg=%s", table, prefix_ntop(p, b, sizeof(b)), strerror(err),
	    msg[0] ? msg : "-");
}

static void
on_link(void *arg, const struct fib_link *l)
{
	struct tool *t = arg;
	size_t used = strlen(t->events);

	snprintf(t->events + used, sizeof(t->events) - used, " %s:%s", l->name,
	    l->deleted ? "deleted" : l->oper_up ? "up" : "down");
}

static int
parse_conf(int argc, char **argv, struct fib_conf *c)
{
	uint32_t v;
	int ch;

	while ((ch = getopt(argc, argv, "p:m:t:H:sA")) != -1) {
		switch (ch) {
		case 'p':
			if (parse_u32(optarg, &v) == -1 || v == 0 || v > 255)
				return -1;
			c->protocol = (uint8_t)v;
			break;
		case 'm':
			if (parse_u32(optarg, &c->metric) == -1)
				return -1;
			break;
		case 't':
			if (sscanf(optarg, "%u-%u", &c->table_min,
			    &c->table_max) != 2)
				return -1;
			break;
		case 'H':
			if (parse_u32(optarg, &c->restart_hold_ms) == -1)
				return -1;
			break;
		case 's':
			c->set_hash_policy = true;
			break;
		case 'A':
			c->ack_each = true;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct tool t;
	struct fib_conf conf = { .flush_on_exit = true };

	log_init("fib_tool", true, getenv("FIB_TOOL_DEBUG") ? LOG_LVL_DEBUG :
	    LOG_LVL_INFO);
	hash_init();
	if (parse_conf(argc, argv, &conf) == -1) {
		fprintf(stderr, "usage: fib_tool [-p proto] [-m metric] "
		    "[-t min-max] [-H hold_ms] [-s] [-A]\n");
		return 64;
	}
	conf.route_err = on_route_err;
	conf.link_cb = on_link;
	conf.arg = &t;
	if ((t.loop = ev_loop_new()) == NULL ||
	    (t.fib = fib_new(t.loop, &conf)) == NULL)
		return 1;
	ev_defer_init(&t.more, tool_more, &t);
	reply("ok ready protocol=%u", fib_protocol(t.fib));
	if (ev_io_add(t.loop, &t.io, 0, EPOLLIN, tool_read, &t) == -1) {
		/* A regular file cannot be polled: read it all now. */
		ssize_t n;

		while ((n = read(0, t.in + t.inlen, sizeof(t.in) - t.inlen -
		    1)) > 0)
			t.inlen += (size_t)n;
		t.eof = true;
		ev_defer_schedule(t.loop, &t.more);
	}
	ev_run(t.loop);
	if (t.fib != NULL)
		fib_free(t.fib, false);
	ev_loop_free(t.loop);
	return 0;
}
