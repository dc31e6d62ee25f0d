/*
 * xrctl: talk to a running xrouted over its control socket and print the
 * answer as text (default) or as the daemon's JSON (-j). Exit status:
 * 0 ok, 1 the daemon refused the request, 64 usage, 69 daemon unreachable.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "xrctl.h"
#include "ctl/ctl.h"

#define EX_ERR		1
#define EX_USAGE	64
#define EX_UNAVAILABLE	69

/* The daemon renames a dump into place once written: wait for it. */
static int
dump_wait(const char *path)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct stat st;
	char tmp[sizeof(((struct ctl_req *)0)->path) + 8];
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	for (i = 0; i < 1200; i++) {
		if (stat(tmp, &st) == -1 && stat(path, &st) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

static const char help_text[] =
"NAME\n"
"     xrctl - control and inspect a running xrouted\n"
"\n"
"SYNOPSIS\n"
"     xrctl [-j] [-s socket] command [argument ...]\n"
"\n"
"DESCRIPTION\n"
"     xrctl sends one command to xrouted(8) over its control socket and\n"
"     prints the reply. The daemon answers with JSON data; xrctl renders it\n"
"     as text, or prints the JSON itself with -j. Keywords may be shortened\n"
"     to any unique prefix, so \"xrctl s b s\" is \"xrctl show bgp summary\".\n"
"\n"
"OPTIONS\n"
"     -j         Print the reply as JSON (keys camelCase, \"schemaVersion\"\n"
"                at the top; fields are only ever added).\n"
"     -s socket  Use this control socket instead of " CTL_DEFAULT_SOCKET ".\n"
"     -h, --help Print this text.\n"
"\n"
"COMMANDS\n"
"     lab up [--control api|config] [--edge xrouted|bird] [--bfd MS|off]\n"
"            [--hold S]\n"
"     lab status | fail primary|secondary [--mode drop|link] |\n"
"         restore [primary|secondary] | down\n"
"             The lab: one ExpressRoute circuit in network namespaces\n"
"             (on-premises host, two BIRD customer routers, two xrouted\n"
"             edges, an xrouted gateway, a VNet host). By default (--control\n"
"             api) it is built through the REST API: an API role on\n"
"             loopback, xrctl creating circuit, peering, VNet, gateway and\n"
"             connection, edges and gateway following the store; --control\n"
"             config writes daemon configuration files. 'up' prints the\n"
"             sessions, prefixes, BFD and pings through both paths; 'fail'\n"
"             cuts a link silently (frames dropped, only BFD notices) or\n"
"             with --mode link takes it down; 'down' removes every\n"
"             namespace and process the lab made. Needs root.\n"
"\n"
"     show bgp summary\n"
"             One line per neighbour and routing context: address, BGP\n"
"             version, remote AS, messages received and sent, input and\n"
"             output queues, time since the session last went up or down,\n"
"             and the state, or the accepted prefix count when Established.\n"
"\n"
"     show route [context] [prefix | address]\n"
"                [--pre-policy [neighbor] | --filtered [neighbor] |\n"
"                 --advertised neighbor] [--limit n] [--after prefix]\n"
"             Routes of a routing context (it may be omitted when there is\n"
"             only one; an edge's are serviceKey/PeeringType): the Loc-RIB\n"
"             by default, a neighbour's routes as received before import\n"
"             policy (--pre-policy), only those the import policy refused\n"
"             (--filtered), or what is sent to it (--advertised). A prefix\n"
"             selects that prefix exactly; an address selects the longest\n"
"             match. Columns: Network, NextHop, LocPrf, Weight, Path (the AS\n"
"             path, ending in the origin code: i IGP, e EGP, ? incomplete).\n"
"             At most n prefixes, in address order (default 10000, 0 for\n"
"             all), fetched in pages of 10000 so the daemon is never held\n"
"             up; --after gives one page, the prefixes after the given one\n"
"             (a reply's \"next\").\n"
"\n"
"     show neighbor [address]   (also: show bgp neighbors [address])\n"
"             Details of every neighbour, or of one: state and why it last\n"
"             went down, timers, capabilities advertised, received and\n"
"             negotiated, message counters, prefix counts and limits, the\n"
"             last NOTIFICATION sent and received (with its RFC 8203\n"
"             shutdown message), the last 32 state changes with the\n"
"             NOTIFICATION behind each, and filtered routes by reason.\n"
"\n"
"     neighbor address up\n"
"     neighbor address down [reason ...]\n"
"     neighbor address clear [soft] [reason ...]\n"
"             Administratively enable or disable a neighbour (down sends\n"
"             Cease/Administrative Shutdown with the reason as shutdown\n"
"             communication, at most 255 bytes), or reset its session\n"
"             (Cease/Administrative Reset). A soft clear keeps the session:\n"
"             it asks the peer to resend its routes (ROUTE-REFRESH) and\n"
"             sends ours again. The address may match one neighbour in\n"
"             several contexts: all are affected.\n"
"\n"
"     dump mrt table file [--context name]\n"
"             Dump the Loc-RIB (every context, or one) to file in MRT\n"
"             format (RFC 6396 TABLE_DUMP_V2), for bgpdump -m file. The\n"
"             daemon writes file.tmp and renames it when complete, so file\n"
"             must be an absolute path it can write; xrctl prints the\n"
"             counts and waits up to 60 s for the file.\n"
"\n"
"     reload  Re-read the daemon's configuration file. Unchanged neighbours\n"
"             keep their sessions; an invalid file changes nothing and its\n"
"             error (FILE:LINE: message) is printed.\n"
"\n"
"     help    Print this text.\n"
"\n"
"     Other commands (resource commands) are handled by the resource\n"
"     client when it is built in.\n"
"\n"
"EXIT STATUS\n"
"     0   success\n"
"     1   the daemon refused the request (the reason is printed)\n"
"     64  usage error\n"
"     69  the daemon could not be reached\n"
"\n"
"EXAMPLES\n"
"     xrctl show bgp summary\n"
"     xrctl -j show neighbor 10.0.0.2\n"
"     xrctl show route c1 10.1.0.0/16\n"
"     xrctl show route c1 --advertised 10.0.0.2\n"
"     xrctl neighbor 10.0.0.2 down planned maintenance until 14:00 UTC\n"
"     xrctl neighbor 10.0.0.2 clear soft\n"
"\n"
"SEE ALSO\n"
"     xrouted(8), xrouted.conf(5)\n";

static void
usage(void)
{
	fprintf(stderr, "usage: xrctl [-j] [-s socket] command [argument ...]"
	    "\n       (xrctl --help for the commands)\n");
}

static int
print_reply(json_t *reply, bool json)
{
	json_t *res = json_object_get(reply, "result");
	const char *kind = json_string_value(json_object_get(reply, "kind"));

	if (!json_is_true(json_object_get(reply, "ok"))) {
		fprintf(stderr, "xrctl: %s\n", json_string_value(
		    json_object_get(reply, "error")) ?: "request failed");
		return EX_ERR;
	}
	if (json) {
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
		return 0;
	}
	if (kind == NULL || ctl_render_text(stdout, kind, res) == -1) {
		/* A newer daemon: show what it said rather than nothing. */
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	return 0;
}

/*
 * "show route" without a prefix, page by page (CTL_ROUTE_PAGE prefixes
 * per request, each resumed --after the previous reply's "next") until
 * --limit prefixes (0: all) have been read; the pages are joined into
 * one reply, so the output is the same as one big answer would be.
 */
static int
call_routes(const char *sock, int argc, char **argv, uint32_t want,
    json_t **reply, char *err, size_t errlen)
{
	char **av, lim[16], after[PREFIX_STRLEN + 1];
	json_t *page, *res, *all = NULL;
	uint64_t got = 0;
	uint32_t n;
	const char *next = NULL;
	int ac, rc = -1;

	if ((av = calloc((size_t)argc + 5, sizeof(*av))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(av, argv, (size_t)argc * sizeof(*av));
	for (;;) {
		n = want == 0 || want - got > CTL_ROUTE_PAGE ? CTL_ROUTE_PAGE :
		    (uint32_t)(want - got);
		snprintf(lim, sizeof(lim), "%u", n);
		ac = argc;
		av[ac++] = "--limit";
		av[ac++] = lim;
		if (next != NULL) {
			av[ac++] = "--after";
			av[ac++] = after;
		}
		if (ctl_call(sock, ac, av, &page, err, errlen) == -1)
			break;
		res = json_object_get(page, "result");
		next = json_string_value(json_object_get(res, "next"));
		snprintf(after, sizeof(after), "%s", next ? next : "");
		got += (uint64_t)json_integer_value(json_object_get(res,
		    "prefixesVisited"));
		if (all == NULL || !json_is_true(json_object_get(page, "ok")) ||
		    !json_is_object(res)) {
			json_decref(all);
			all = page;
		} else {
			/* keep the routes so far, take the rest from the page */
			json_t *acc = json_incref(json_object_get(
			    json_object_get(all, "result"), "routes"));

			json_array_extend(acc, json_object_get(res, "routes"));
			json_object_del(res, "routes");
			json_object_del(json_object_get(all, "result"), "next");
			json_object_update(json_object_get(all, "result"), res);
			json_object_set_new(json_object_get(all, "result"),
			    "routes", acc);
			json_decref(page);
		}
		res = json_object_get(all, "result");
		next = next != NULL ? after : NULL;
		if (!json_is_true(json_object_get(all, "ok")) || next == NULL ||
		    (want != 0 && got >= want)) {
			if (json_is_object(res)) {
				json_object_set_new(res, "limit",
				    json_integer(want));
				json_object_set_new(res, "prefixesVisited",
				    json_integer((json_int_t)got));
			}
			*reply = all;
			all = NULL;
			rc = 0;
			break;
		}
	}
	json_decref(all);
	free(av);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = getenv("XROUTE_SOCKET");
	char err[512];
	struct ctl_req req;
	json_t *reply;
	bool json = false;
	int ch, rc;

	if (sock == NULL || *sock == '\0')
		sock = CTL_DEFAULT_SOCKET;
	/* '+': stop at the command, whose own options start with "--". */
	while ((ch = getopt_long(argc, argv, "+js:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 's':
			sock = optarg;
			break;
		case 'h':
			fputs(help_text, stdout);
			return 0;
		default:
			usage();
			return EX_USAGE;
		}
	}
	if (optind == argc) {
		usage();
		return EX_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0) {
		fputs(help_text, stdout);
		return 0;
	}
	if (strcmp(argv[optind], "lab") == 0)
		return lab_cmd(argc - optind, argv + optind);
	if (strcmp(argv[optind], "failover-test") == 0)
		return lab_cmd(argc - optind + 1, argv + optind - 1);
	if (!ctl_cmd_is_ours(argv[optind])) {
		if (res_main != NULL)
			return res_main(argc, argv);
		fprintf(stderr, "xrctl: unknown command '%s'\n", argv[optind]);
		return EX_USAGE;
	}
	if (ctl_cmd_parse(argc - optind, argv + optind, &req, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "xrctl: %s\n", err);
		usage();
		return EX_USAGE;
	}
	if (req.op == CTL_OP_ROUTE && !req.has_prefix && !req.has_after)
		rc = call_routes(sock, argc - optind, argv + optind,
		    req.limit, &reply, err, sizeof(err));
	else
		rc = ctl_call(sock, argc - optind, argv + optind, &reply, err,
		    sizeof(err));
	if (rc == -1) {
		fprintf(stderr, "xrctl: %s\n", err);
		return EX_UNAVAILABLE;
	}
	rc = print_reply(reply, json);
	json_decref(reply);
	if (rc == 0 && req.op == CTL_OP_DUMP_MRT && dump_wait(req.path) == -1) {
		fprintf(stderr, "xrctl: %s did not appear within 60 s (see the "
		    "daemon's log)\n", req.path);
		return EX_ERR;
	}
	return rc;
}
