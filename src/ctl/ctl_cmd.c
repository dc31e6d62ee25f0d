/*
 * Command words to requests, shared by xrctl (to catch usage errors
 * without a daemon) and the control socket (which gets raw words): one
 * parser, so both accept exactly the same language, including bgpctl-style
 * unique prefixes of keywords ("xrctl s b s").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

static const char *const top_kw[] = { "show", "neighbor", "neighbour",
	"reload", "dump", NULL };
static const char *const show_kw[] = { "bgp", "summary", "route",
	"neighbor", "neighbour", NULL };
/* "show bgp neighbors X" as FRR and Cisco spell it */
static const char *const bgp_kw[] = { "summary", "neighbor", "neighbors",
	"neighbour", NULL };
static const char *const nbr_kw[] = { "up", "down", "clear", NULL };
static const char *const opt_kw[] = { "--pre-policy", "--filtered",
	"--advertised", "--limit", "--after", NULL };

static void
kw_list(const char *const *kws, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; kws[i] != NULL && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
		    kws[i]);
}

/*
 * Index of the keyword 'w' names: exact, or the only one it is a prefix
 * of ("neighbor" and "neighbour" count as one). -1 with a message.
 */
static int
kw_match(const char *w, const char *const *kws, const char *after, char *err,
    size_t errlen)
{
	char list[256];
	int i, found = -1, n = 0;
	size_t wl = strlen(w);

	for (i = 0; kws[i] != NULL; i++)
		if (strcmp(w, kws[i]) == 0)
			return i;
	for (i = 0; kws[i] != NULL; i++) {
		if (wl == 0 || strncmp(w, kws[i], wl) != 0)
			continue;
		if (found != -1 && strncmp(kws[found], "neighbo", 7) == 0 &&
		    strncmp(kws[i], "neighbo", 7) == 0)
			continue;
		found = i;
		n++;
	}
	if (n == 1)
		return found;
	kw_list(kws, list, sizeof(list));
	if (n > 1)
		snprintf(err, errlen, "'%s'%s%s is ambiguous (%s)", w,
		    after ? " after " : "", after ? after : "", list);
	else
		snprintf(err, errlen, "unknown word '%s'%s%s (expected %s)", w,
		    after ? " after " : "", after ? after : "", list);
	return -1;
}

bool
ctl_cmd_is_ours(const char *w)
{
	char err[256];

	if (strcmp(w, "help") == 0)
		return true;
	return kw_match(w, top_kw, NULL, err, sizeof(err)) >= 0;
}

const char *
ctl_op_kind(enum ctl_op op)
{
	switch (op) {
	case CTL_OP_SUMMARY:	return "bgp-summary";
	case CTL_OP_ROUTE:	return "route";
	case CTL_OP_NEIGHBOR:	return "neighbor";
	case CTL_OP_NBR_UP:
	case CTL_OP_NBR_DOWN:
	case CTL_OP_NBR_CLEAR:	return "neighbor-action";
	case CTL_OP_RELOAD:	return "reload";
	case CTL_OP_DUMP_MRT:	return "mrt-dump";
	}
	return "unknown";
}

static int
parse_addr(const char *w, struct addr *a, const char *what, char *err,
    size_t errlen)
{
	if (addr_parse(w, a) == 0)
		return 0;
	snprintf(err, errlen, "%s %s is not an IP address (IPv4 or IPv6)",
	    what, w);
	return -1;
}

static int
join_reason(int argc, char *const *argv, int i, struct ctl_req *r, char *err,
    size_t errlen)
{
	size_t n = 0, wl;

	for (; i < argc; i++) {
		wl = strlen(argv[i]);
		if (n + wl + (n ? 1 : 0) > 255) {
			snprintf(err, errlen, "reason is longer than 255 "
			    "bytes (RFC 9003 limit)");
			return -1;
		}
		if (n)
			r->reason[n++] = ' ';
		memcpy(r->reason + n, argv[i], wl);
		n += wl;
	}
	r->reason[n] = '\0';
	return 0;
}

/* --limit N: 0 (everything) to 10000000 prefixes. */
static int
parse_limit(int argc, char *const *argv, int *i, struct ctl_req *r,
    char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	if (*i + 1 >= argc || argv[*i + 1][0] < '0' || argv[*i + 1][0] > '9' ||
	    (v = strtoul(argv[*i + 1], &end, 10), *end != '\0') ||
	    v > 10000000) {
		snprintf(err, errlen, "--limit needs a number of prefixes "
		    "(0 for all, at most 10000000)");
		return -1;
	}
	r->limit = (uint32_t)v;
	(*i)++;
	return 0;
}

static int
parse_route_opt(int argc, char *const *argv, int *i, struct ctl_req *r,
    char *err, size_t errlen)
{
	int k = kw_match(argv[*i], opt_kw, "show route", err, errlen);

	if (k < 0)
		return -1;
	if (k == 3)
		return parse_limit(argc, argv, i, r, err, errlen);
	if (k == 4) {
		if (*i + 1 >= argc || prefix_parse(argv[*i + 1], &r->after,
		    false) == -1) {
			snprintf(err, errlen, "--after needs the PREFIX to "
			    "resume after (the \"next\" of a reply)");
			return -1;
		}
		r->has_after = true;
		(*i)++;
		return 0;
	}
	if (r->table != RIB_LOC || r->filtered) {
		snprintf(err, errlen, "give only one of --pre-policy, "
		    "--filtered, --advertised");
		return -1;
	}
	r->table = k == 2 ? RIB_ADJ_OUT : RIB_ADJ_IN;
	r->filtered = k == 1;
	if (*i + 1 < argc && addr_parse(argv[*i + 1], &r->nbr) == 0) {
		r->has_nbr = true;
		(*i)++;
	} else if (k == 2) {
		snprintf(err, errlen, "--advertised needs a NEIGHBOR address");
		return -1;
	}
	return 0;
}

/* ADDRESS/... is meant as a prefix; anything else with a slash is a
 * context name (the reconciler's are "<serviceKey>/<peering type>"). */
static bool
looks_prefix(const char *w)
{
	char a[INET6_ADDRSTRLEN];
	struct addr x;
	size_t n = strcspn(w, "/");

	if (n >= sizeof(a))
		return false;
	memcpy(a, w, n);
	a[n] = '\0';
	return addr_parse(a, &x) == 0;
}

static int
parse_route(int argc, char *const *argv, int i, struct ctl_req *r, char *err,
    size_t errlen)
{
	struct addr a;

	r->op = CTL_OP_ROUTE;
	for (; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] == '-') {
			if (parse_route_opt(argc, argv, &i, r, err, errlen))
				return -1;
		} else if (strchr(w, '/') != NULL && looks_prefix(w)) {
			if (r->has_prefix ||
			    prefix_parse(w, &r->prefix, false) == -1) {
				snprintf(err, errlen, "%s is not a prefix "
				    "(a.b.c.d/len or IPv6/len)", w);
				return -1;
			}
			r->has_prefix = true;
		} else if (addr_parse(w, &a) == 0) {
			if (r->has_prefix) {
				snprintf(err, errlen, "give one PREFIX or "
				    "address, not two");
				return -1;
			}
			prefix_make(&r->prefix, a.af, a.b,
			    (uint8_t)(addr_bytes(a.af) * 8));
			r->has_prefix = r->lpm = true;
		} else if (r->ctx[0] == '\0' && strlen(w) < sizeof(r->ctx))
			snprintf(r->ctx, sizeof(r->ctx), "%s", w);
		else {
			snprintf(err, errlen, "unexpected '%s' (show route "
			    "[CONTEXT] [PREFIX] [--pre-policy|--filtered|"
			    "--advertised NEIGHBOR] [--limit N] "
			    "[--after PREFIX])", w);
			return -1;
		}
	}
	return 0;
}


/* show [bgp] neighbor [ADDRESS]: the address, if any, is argv[at]. */
static int
parse_show_neighbor(int argc, char *const *argv, int at, struct ctl_req *r,
    char *err, size_t errlen)
{
	r->op = CTL_OP_NEIGHBOR;
	if (argc > at + 1) {
		snprintf(err, errlen, "unexpected '%s'", argv[at + 1]);
		return -1;
	}
	if (argc == at + 1) {
		if (parse_addr(argv[at], &r->nbr, "neighbor", err,
		    errlen) == -1)
			return -1;
		r->has_nbr = true;
	}
	return 0;
}

static int
parse_show(int argc, char *const *argv, struct ctl_req *r, char *err,
    size_t errlen)
{
	int k;

	if (argc < 2) {
		snprintf(err, errlen, "show what? (bgp summary, route, "
		    "neighbor)");
		return -1;
	}
	if ((k = kw_match(argv[1], show_kw, "show", err, errlen)) < 0)
		return -1;
	switch (k) {
	case 0:		/* bgp [summary | neighbor [ADDRESS]] */
		if (argc > 2 && (k = kw_match(argv[2], bgp_kw, "show bgp", err,
		    errlen)) < 0)
			return -1;
		if (argc > 2 && k > 0)
			return parse_show_neighbor(argc, argv, 3, r, err,
			    errlen);
		if (argc > 3) {
			snprintf(err, errlen, "unexpected '%s'", argv[3]);
			return -1;
		}
		r->op = CTL_OP_SUMMARY;
		return 0;
	case 1:
		if (argc > 2) {
			snprintf(err, errlen, "unexpected '%s'", argv[2]);
			return -1;
		}
		r->op = CTL_OP_SUMMARY;
		return 0;
	case 2:
		return parse_route(argc, argv, 2, r, err, errlen);
	default:
		return parse_show_neighbor(argc, argv, 2, r, err, errlen);
	}
}

static int
parse_neighbor(int argc, char *const *argv, struct ctl_req *r, char *err,
    size_t errlen)
{
	int k, i = 3;

	if (argc < 3) {
		snprintf(err, errlen, "usage: neighbor ADDRESS up|down|clear "
		    "[soft] [REASON]");
		return -1;
	}
	if (parse_addr(argv[1], &r->nbr, "neighbor", err, errlen) == -1)
		return -1;
	r->has_nbr = true;
	if ((k = kw_match(argv[2], nbr_kw, "neighbor ADDRESS", err,
	    errlen)) < 0)
		return -1;
	r->op = k == 0 ? CTL_OP_NBR_UP : k == 1 ? CTL_OP_NBR_DOWN :
	    CTL_OP_NBR_CLEAR;
	if (r->op == CTL_OP_NBR_UP) {
		if (argc > 3) {
			snprintf(err, errlen, "unexpected '%s' (neighbor "
			    "ADDRESS up takes no reason)", argv[3]);
			return -1;
		}
		return 0;
	}
	if (r->op == CTL_OP_NBR_CLEAR && i < argc &&
	    strcmp(argv[i], "soft") == 0) {
		r->soft = true;
		i++;
	}
	return join_reason(argc, argv, i, r, err, errlen);
}

/* dump mrt table FILE [--context NAME] */
static int
parse_dump(int argc, char *const *argv, struct ctl_req *r, char *err,
    size_t errlen)
{
	static const char *const dump_kw[] = { "mrt", NULL };
	static const char *const mrt_kw[] = { "table", NULL };
	int i;

	if (argc < 4) {
		snprintf(err, errlen, "usage: dump mrt table FILE "
		    "[--context NAME]");
		return -1;
	}
	if (kw_match(argv[1], dump_kw, "dump", err, errlen) < 0 ||
	    kw_match(argv[2], mrt_kw, "dump mrt", err, errlen) < 0)
		return -1;
	if (argv[3][0] != '/' || strlen(argv[3]) >= sizeof(r->path)) {
		snprintf(err, errlen, "FILE %s must be an absolute path of "
		    "at most %zu bytes (the daemon writes it)", argv[3],
		    sizeof(r->path) - 1);
		return -1;
	}
	snprintf(r->path, sizeof(r->path), "%s", argv[3]);
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--context") != 0 || i + 1 >= argc ||
		    strlen(argv[i + 1]) >= sizeof(r->ctx)) {
			snprintf(err, errlen, "unexpected '%s' (dump mrt table "
			    "FILE [--context NAME])", argv[i]);
			return -1;
		}
		snprintf(r->ctx, sizeof(r->ctx), "%s", argv[++i]);
	}
	r->op = CTL_OP_DUMP_MRT;
	return 0;
}

int
ctl_cmd_parse(int argc, char *const *argv, struct ctl_req *r, char *err,
    size_t errlen)
{
	int k;

	memset(r, 0, sizeof(*r));
	r->table = RIB_LOC;
	r->limit = CTL_ROUTE_LIMIT;
	if (argc < 1) {
		snprintf(err, errlen, "no command (show, neighbor, reload, "
		    "dump)");
		return -1;
	}
	if ((k = kw_match(argv[0], top_kw, NULL, err, errlen)) < 0)
		return -1;
	if (k == 0)
		return parse_show(argc, argv, r, err, errlen);
	if (k == 3) {
		if (argc > 1) {
			snprintf(err, errlen, "unexpected '%s' (reload takes "
			    "no arguments)", argv[1]);
			return -1;
		}
		r->op = CTL_OP_RELOAD;
		return 0;
	}
	if (k == 4)
		return parse_dump(argc, argv, r, err, errlen);
	return parse_neighbor(argc, argv, r, err, errlen);
}

int
ctl_split(char *line, char **argv, int max)
{
	char *p = line, *o;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		argv[n++] = o = p;
		if (*p == '"') {
			argv[n - 1] = o = ++p;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				*o++ = *p++;
			}
			if (*p != '"')
				return -1;
			p++;
		} else
			while (*p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '\r' && *p != '\n')
				*o++ = *p++;
		if (*p != '\0')
			p++;
		*o = '\0';
	}
}
