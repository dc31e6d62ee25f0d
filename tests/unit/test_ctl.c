/*
 * Control protocol: command parsing (with bgpctl-style abbreviations and
 * the errors users see), text rendering of fixed JSON replies, and one
 * round trip through a real control socket (the client in a child
 * process, the server in this process's event loop).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "session/sess.h"
#include "t.h"

static int
parse(const char *line, struct ctl_req *r, char *err, size_t errlen)
{
	char buf[512], *argv[32];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = ctl_split(buf, argv, 32);
	return ctl_cmd_parse(argc, argv, r, err, errlen);
}

static void
test_parse(void)
{
	struct ctl_req r;
	char err[256], buf[PREFIX_STRLEN];

	T_EQ(parse("show bgp summary", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_SUMMARY);
	T_EQ(parse("s b s", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_SUMMARY);
	T_EQ(parse("sh summ", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_SUMMARY);
	/* FRR's and Cisco's "show bgp neighbors [X]" */
	memset(&r, 0, sizeof(r));
	T_EQ(parse("show bgp neighbor 10.0.0.2", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NEIGHBOR);
	T_CHECK(r.has_nbr);
	T_STREQ(addr_ntop(&r.nbr, buf, sizeof(buf)), "10.0.0.2");
	memset(&r, 0, sizeof(r));
	T_EQ(parse("s b neighbors", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NEIGHBOR);
	T_CHECK(!r.has_nbr);
	T_EQ(parse("s b n 2001:db8::1", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NEIGHBOR);
	T_CHECK(r.has_nbr);
	T_EQ(parse("show route c1 10.1.0.0/16", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_ROUTE);
	T_STREQ(r.ctx, "c1");
	T_CHECK(r.has_prefix && !r.lpm);
	T_STREQ(prefix_ntop(&r.prefix, buf, sizeof(buf)), "10.1.0.0/16");
	T_EQ(r.table, RIB_LOC);
	T_EQ(r.limit, CTL_ROUTE_LIMIT);
	T_EQ(parse("s r c1 --lim 0 --adv 10.0.0.2", &r, err, sizeof(err)), 0);
	T_EQ(r.limit, 0);
	T_EQ(r.table, RIB_ADJ_OUT);
	/* a context name with a slash (the reconciler's) is not a prefix */
	T_EQ(parse("show route 96e6c82e-d8ea-404d-b361-73468c0a759e/"
	    "MicrosoftPeering 10.1.0.0/16 --filtered 10.0.0.1", &r, err,
	    sizeof(err)), 0);
	T_STREQ(r.ctx, "96e6c82e-d8ea-404d-b361-73468c0a759e/"
	    "MicrosoftPeering");
	T_CHECK(r.has_prefix && r.filtered && r.has_nbr);
	T_EQ(parse("s r --limit 25", &r, err, sizeof(err)), 0);
	T_EQ(r.limit, 25);
	T_EQ(parse("s r --lim 5 --aft 10.1.0.0/16", &r, err, sizeof(err)), 0);
	T_CHECK(r.has_after && r.after.len == 16 && r.after.b[1] == 1);
	T_EQ(parse("s r 10.1.2.3", &r, err, sizeof(err)), 0);
	T_CHECK(r.lpm);
	T_STREQ(r.ctx, "");
	T_STREQ(prefix_ntop(&r.prefix, buf, sizeof(buf)), "10.1.2.3/32");
	T_EQ(parse("show route c1 --adv 10.0.0.2", &r, err, sizeof(err)), 0);
	T_EQ(r.table, RIB_ADJ_OUT);
	T_CHECK(r.has_nbr);
	T_EQ(parse("show route --filtered", &r, err, sizeof(err)), 0);
	T_EQ(r.table, RIB_ADJ_IN);
	T_CHECK(r.filtered && !r.has_nbr);
	T_EQ(parse("show route --pre-policy 10.0.0.2", &r, err,
	    sizeof(err)), 0);
	T_CHECK(!r.filtered && r.has_nbr && r.table == RIB_ADJ_IN);
	T_EQ(parse("show neighbor 2001:db8::1", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NEIGHBOR);
	T_EQ(r.nbr.af, AF_INET6);
	T_EQ(parse("neighbour 10.0.0.2 down \"planned work\" now", &r, err,
	    sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NBR_DOWN);
	T_STREQ(r.reason, "planned work now");
	T_EQ(parse("n 10.0.0.2 c soft", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_NBR_CLEAR);
	T_CHECK(r.soft);
	T_EQ(parse("rel", &r, err, sizeof(err)), 0);
	T_EQ(r.op, CTL_OP_RELOAD);
	T_CHECK(ctl_cmd_is_ours("sh"));
	T_CHECK(ctl_cmd_is_ours("help"));
	T_CHECK(!ctl_cmd_is_ours("circuit"));
}

static void
test_parse_errors(void)
{
	static const struct { const char *in, *msg; } cases[] = {
		{ "show bogus", "unknown word 'bogus' after show (expected "
		  "bgp, summary, route, neighbor, neighbour)" },
		{ "show", "show what? (bgp summary, route, neighbor)" },
		{ "s n 10.0.0", "neighbor 10.0.0 is not an IP address "
		  "(IPv4 or IPv6)" },
		{ "show route --adv", "--advertised needs a NEIGHBOR address" },
		{ "show route --filtered --adv 1.1.1.1", "give only one of "
		  "--pre-policy, --filtered, --advertised" },
		{ "show route c1 c2", "unexpected 'c2' (show route [CONTEXT] "
		  "[PREFIX] [--pre-policy|--filtered|--advertised NEIGHBOR] "
		  "[--limit N] [--after PREFIX])" },
		{ "show route --limit x", "--limit needs a number of prefixes "
		  "(0 for all, at most 10000000)" },
		{ "show route --limit", "--limit needs a number of prefixes "
		  "(0 for all, at most 10000000)" },
		{ "show route --after x", "--after needs the PREFIX to "
		  "resume after (the \"next\" of a reply)" },
		{ "show route 10.0.0.0/33", "10.0.0.0/33 is not a prefix "
		  "(a.b.c.d/len or IPv6/len)" },
		{ "neighbor 10.0.0.2 sideways", "unknown word 'sideways' after "
		  "neighbor ADDRESS (expected up, down, clear)" },
		{ "neighbor 10.0.0.2", "usage: neighbor ADDRESS up|down|clear "
		  "[soft] [REASON]" },
		{ "neighbor 10.0.0.2 up now", "unexpected 'now' (neighbor "
		  "ADDRESS up takes no reason)" },
		{ "reload now", "unexpected 'now' (reload takes no arguments)" },
		{ "show bgp neighbor 10.0.0.2 x", "unexpected 'x'" },
		{ "show bgp nonsense", "unknown word 'nonsense' after show bgp "
		  "(expected summary, neighbor, neighbors, neighbour)" },
		{ "s r --x", "unknown word '--x' after show route (expected "
		  "--pre-policy, --filtered, --advertised, --limit, --after)" },
	};
	struct ctl_req r;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		T_EQ(parse(cases[i].in, &r, err, sizeof(err)), -1);
		T_STREQ(err, cases[i].msg);
	}
}

static void
test_split(void)
{
	char line[] = "  neighbor 10.0.0.2 down \"a \\\"quoted\\\" reason\" x ";
	char bad[] = "show \"unterminated";
	char *argv[8];

	T_EQ(ctl_split(line, argv, 8), 5);
	T_STREQ(argv[0], "neighbor");
	T_STREQ(argv[3], "a \"quoted\" reason");
	T_STREQ(argv[4], "x");
	T_EQ(ctl_split(bad, argv, 8), -1);
}

static void
test_updown(void)
{
	char buf[32];

	ctl_fmt_updown(62 * 1000, buf, sizeof(buf));
	T_STREQ(buf, "00:01:02");
	ctl_fmt_updown((26ULL * 3600 + 3 * 60) * 1000, buf, sizeof(buf));
	T_STREQ(buf, "1d02h03m");
	ctl_fmt_updown((23ULL * 24 * 3600 + 4 * 3600) * 1000, buf,
	    sizeof(buf));
	T_STREQ(buf, "3w2d04h");
}

static char *
render(const char *kind, const char *json)
{
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	T_CHECK(j != NULL);
	T_EQ(ctl_render_text(f, kind, j), 0);
	fclose(f);
	json_decref(j);
	return out;
}

static void
test_render_summary(void)
{
	char *s = render("bgp-summary", "{\"schemaVersion\":1,"
	    "\"routerId\":\"192.0.2.1\",\"localAs\":12076,\"contexts\":{"
	    "\"c1\":{\"localAs\":12076,\"ribEntries\":3,\"peers\":{"
	    "\"10.0.0.2\":{\"remoteAs\":65001,\"version\":4,\"msgRcvd\":12,"
	    "\"msgSent\":13,\"inq\":0,\"outq\":0,\"peerUptimeMsec\":62000,"
	    "\"upDown\":\"00:01:02\",\"state\":\"Established\",\"pfxRcd\":2,"
	    "\"pfxSnt\":3,\"description\":\"cust\"},"
	    "\"10.0.0.6\":{\"remoteAs\":65002,\"version\":4,\"msgRcvd\":0,"
	    "\"msgSent\":0,\"inq\":0,\"outq\":0,\"upDown\":\"never\","
	    "\"state\":\"Idle\",\"adminDown\":true,\"description\":\"\"}}}}}");

	T_STREQ(s,
	    "Context c1: BGP router identifier 192.0.2.1, local AS number "
	    "12076, RIB entries 3\n"
	    "\n"
	    "Neighbor        V         AS   MsgRcvd   MsgSent   InQ  OutQ  "
	    "Up/Down State/PfxRcd\n"
	    "10.0.0.2        4      65001        12        13     0     0 "
	    "00:01:02            2 cust\n"
	    "10.0.0.6        4      65002         0         0     0     0    "
	    "never Idle (Admin)\n");
	free(s);
}

static void
test_render_routes(void)
{
	char *s = render("route", "{\"schemaVersion\":1,\"context\":\"c1\","
	    "\"table\":\"loc-rib\",\"routes\":[{\"network\":\"10.1.0.0/16\","
	    "\"nextHop\":\"10.0.0.2\",\"locPrf\":\"100\",\"weight\":0,"
	    "\"path\":\"65001 65002\",\"origin\":\"i\"},"
	    "{\"network\":\"10.9.0.0/16\",\"nextHop\":\"0.0.0.0\","
	    "\"locPrf\":\"\",\"weight\":32768,\"path\":\"\",\"origin\":\"?\"}"
	    "]}");

	T_STREQ(s,
	    "Context c1, loc-rib\n"
	    "Origin codes: i - IGP, e - EGP, ? - incomplete\n"
	    "\n"
	    "Network                  NextHop              LocPrf Weight  Path\n"
	    "10.1.0.0/16              10.0.0.2                100      0  "
	    "65001 65002 i\n"
	    "10.9.0.0/16              0.0.0.0                      32768  ?\n"
	    "\n"
	    "2 routes\n");
	free(s);
}

static void
test_render_action(void)
{
	char *s = render("neighbor-action", "{\"neighbor\":\"10.0.0.2\","
	    "\"action\":\"down\",\"soft\":false,\"message\":\"bye\","
	    "\"contexts\":[\"c1\",\"c2\"]}");

	T_STREQ(s, "neighbor 10.0.0.2: down (\"bye\") in context c1, c2\n");
	free(s);
}

/* --- a round trip through the socket ----------------------------------- */

static int
fake_reload(void *arg, char *err, size_t errlen)
{
	snprintf(err, errlen, "x.conf:3: reload refused by test");
	return -1;
}

static void
test_socket_roundtrip(void)
{
	char path[] = "/tmp/xr-ctl-test.sock", err[256];
	struct ctl_env env = { .router_id = 0xc0000201, .local_as = 12076,
	    .reload = fake_reload };
	struct ev_loop *loop = ev_loop_new();
	struct ctl_server *srv;
	struct sess_conf sc;
	int pfd[2], status = -1;
	char out[8192] = "";
	uint64_t end;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	env.rib = rib_new(loop);
	env.sm = sess_mgr_new(loop, env.rib);
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.ctx, sizeof(sc.ctx), "c1");
	addr_parse("127.0.0.1", &sc.remote);
	sc.remote_port = 9;		/* discard: nobody listens */
	sc.local_as = 12076;
	sc.remote_as = 65001;
	sc.hold = 180;
	sc.connect_retry = 30;
	sc.shutdown = true;
	snprintf(sc.descr, sizeof(sc.descr), "customer");
	T_CHECK(sess_new(env.sm, rib_ctx_get(env.rib, "c1"), &sc) != NULL);
	srv = ctl_server_new(loop, path, &env, err, sizeof(err));
	T_CHECK(srv != NULL);
	if (srv == NULL)
		return;
	T_EQ(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		char *a1[] = { "s", "b", "s" }, *a2[] = { "reload" };
		char *a3[] = { "show", "neighbor", "127.0.0.1" };
		json_t *rep;
		FILE *f = fdopen(pfd[1], "w");

		close(pfd[0]);
		ctl_call(path, 3, a1, &rep, err, sizeof(err));
		json_dumpf(rep, f, JSON_SORT_KEYS | JSON_COMPACT);
		fputc('\n', f);
		ctl_call(path, 1, a2, &rep, err, sizeof(err));
		json_dumpf(rep, f, JSON_SORT_KEYS | JSON_COMPACT);
		fputc('\n', f);
		ctl_call(path, 3, a3, &rep, err, sizeof(err));
		fprintf(f, "%s %s\n", json_string_value(json_object_get(
		    json_array_get(json_object_get(json_object_get(rep,
		    "result"), "neighbors"), 0), "state")),
		    json_is_true(json_object_get(json_array_get(
		    json_object_get(json_object_get(rep, "result"),
		    "neighbors"), 0), "adminDown")) ? "admin" : "up");
		fclose(f);
		_exit(0);
	}
	close(pfd[1]);
	end = mono_us() + 5000000;
	while (mono_us() < end && waitpid(pid, &status, WNOHANG) == 0)
		ev_run_once(loop, 10000);
	while ((n = read(pfd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pfd[0]);
	T_EQ(status, 0);
	T_CHECK(strstr(out, "{\"kind\":\"bgp-summary\",\"ok\":true,\"result\":"
	    "{\"contexts\":{\"c1\":{") != NULL);
	T_CHECK(strstr(out, "\"127.0.0.1\":{\"adminDown\":true,"
	    "\"bfdState\":null,\"description\":\"customer\"") != NULL);
	T_CHECK(strstr(out, "\"routerId\":\"192.0.2.1\",\"schemaVersion\":1}")
	    != NULL);
	T_CHECK(strstr(out, "{\"error\":\"x.conf:3: reload refused by test\","
	    "\"ok\":false}\n") != NULL);
	T_CHECK(strstr(out, "Idle admin\n") != NULL);
	if (t_fail_cur)
		printf("# output: %s\n", out);
	ctl_server_free(srv);
	sess_mgr_free(env.sm);
	rib_free(env.rib);
	ev_loop_free(loop);
	T_CHECK(access(path, F_OK) == -1);	/* removed on free */
}

int
main(void)
{
	log_init("test", true, LOG_LVL_ERR);
	hash_init();
	T_RUN(test_parse);
	T_RUN(test_parse_errors);
	T_RUN(test_split);
	T_RUN(test_updown);
	T_RUN(test_render_summary);
	T_RUN(test_render_routes);
	T_RUN(test_render_action);
	T_RUN(test_socket_roundtrip);
	return t_done();
}
