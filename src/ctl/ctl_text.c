/*
 * Text rendering of control-socket replies for xrctl. Input is only the
 * JSON the daemon sent (the same that "xrctl -j" prints), so the text and
 * JSON views cannot disagree. Layouts follow what operators know: the
 * summary as FRR/Cisco print it, routes as Azure's route table.
 */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static long long
jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static bool
jbool(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

void
ctl_fmt_updown(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24, w = d / 7;

	if (d == 0)
		snprintf(buf, len, "%02u:%02u:%02u", (unsigned)h,
		    (unsigned)(m % 60), (unsigned)(s % 60));
	else if (w == 0)
		snprintf(buf, len, "%ud%02uh%02um", (unsigned)d,
		    (unsigned)(h % 24), (unsigned)(m % 60));
	else
		snprintf(buf, len, "%uw%ud%02uh", (unsigned)w,
		    (unsigned)(d % 7), (unsigned)(h % 24));
}

/* --- show bgp summary ------------------------------------------------------ */

static void
summary_peer(FILE *f, const char *addr, json_t *p)
{
	char st[32];

	if (strcmp(jstr(p, "state"), "Established") == 0)
		snprintf(st, sizeof(st), "%lld", jint(p, "pfxRcd"));
	else if (jbool(p, "adminDown"))
		snprintf(st, sizeof(st), "Idle (Admin)");
	else
		snprintf(st, sizeof(st), "%s", jstr(p, "state"));
	fprintf(f, "%-15s %1lld %10lld %9lld %9lld %5lld %5lld %8s %12s",
	    addr, jint(p, "version"), jint(p, "remoteAs"), jint(p, "msgRcvd"),
	    jint(p, "msgSent"), jint(p, "inq"), jint(p, "outq"),
	    jstr(p, "upDown"), st);
	if (jstr(p, "description")[0] != '\0')
		fprintf(f, " %s", jstr(p, "description"));
	fputc('\n', f);
}

static void
render_summary(FILE *f, json_t *r)
{
	json_t *ctxs = json_object_get(r, "contexts"), *c, *peers, *p;
	const char *name, *addr;
	bool first = true;

	if (json_object_size(ctxs) == 0) {
		fprintf(f, "BGP router identifier %s, local AS number %lld\n"
		    "No routing contexts configured.\n", jstr(r, "routerId"),
		    jint(r, "localAs"));
		return;
	}
	json_object_foreach(ctxs, name, c) {
		if (!first)
			fputc('\n', f);
		first = false;
		fprintf(f, "Context %s: BGP router identifier %s, local AS "
		    "number %lld, RIB entries %lld\n", name, jstr(r, "routerId"),
		    jint(c, "localAs"), jint(c, "ribEntries"));
		peers = json_object_get(c, "peers");
		if (json_object_size(peers) == 0) {
			fprintf(f, "No neighbors.\n");
			continue;
		}
		fprintf(f, "\n%-15s %1s %10s %9s %9s %5s %5s %8s %12s\n",
		    "Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "InQ", "OutQ",
		    "Up/Down", "State/PfxRcd");
		json_object_foreach(peers, addr, p)
			summary_peer(f, addr, p);
	}
}

/* --- show route ------------------------------------------------------------ */

static void
render_routes(FILE *f, json_t *r)
{
	json_t *routes = json_object_get(r, "routes"), *rt;
	const char *path;
	size_t i;

	fprintf(f, "Context %s, %s%s%s\n", jstr(r, "context"),
	    jstr(r, "table"), jstr(r, "neighbor")[0] ? ", neighbor " : "",
	    jstr(r, "neighbor"));
	fprintf(f, "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n");
	if (json_array_size(routes) == 0) {
		fprintf(f, "No routes.\n");
		return;
	}
	fprintf(f, "%-24s %-20s %6s %6s  %s\n", "Network", "NextHop", "LocPrf",
	    "Weight", "Path");
	json_array_foreach(routes, i, rt) {
		path = jstr(rt, "path");
		fprintf(f, "%-24s %-20s %6s %6lld  %s%s%s", jstr(rt, "network"),
		    jstr(rt, "nextHop"), jstr(rt, "locPrf"), jint(rt, "weight"),
		    path, path[0] ? " " : "", jstr(rt, "origin"));
		if (jbool(rt, "filtered"))
			fprintf(f, "  (filtered: %s)", jstr(rt, "reason"));
		fputc('\n', f);
	}
	fprintf(f, "\n%zu route%s\n", json_array_size(routes),
	    json_array_size(routes) == 1 ? "" : "s");
	if (jbool(r, "truncated"))
		fprintf(f, "(only the first %lld shown; --limit N for more, "
		    "--limit 0 for all)\n", jint(r, "limit"));
}

/* --- show neighbor --------------------------------------------------------- */

static void
render_caps(FILE *f, const char *what, json_t *c)
{
	json_t *fams, *v;
	size_t i;

	if (!json_is_object(c))
		return;
	fprintf(f, "    %-11s", what);
	fams = json_object_get(c, "multiprotocol");
	json_array_foreach(fams, i, v)
		fprintf(f, " %s", json_string_value(v));
	if (jbool(c, "as4"))
		fprintf(f, " as4");
	if (jbool(c, "routeRefresh"))
		fprintf(f, " route-refresh");
	if (jbool(c, "extendedMessage"))
		fprintf(f, " extended-message");
	if (jbool(c, "gracefulRestart"))
		fprintf(f, " graceful-restart(time %lld)",
		    jint(c, "gracefulRestartTime"));
	fputc('\n', f);
}

static void
render_err(FILE *f, const char *what, json_t *e)
{
	if (!json_is_object(e))
		return;
	fprintf(f, "  Last NOTIFICATION %s: %lld/%lld %s/%s", what,
	    jint(e, "code"), jint(e, "subcode"), jstr(e, "codeName"),
	    jstr(e, "subcodeName"));
	if (jstr(e, "message")[0] != '\0')
		fprintf(f, " \"%s\"", jstr(e, "message"));
	fprintf(f, " at %s\n", jstr(e, "time"));
}

static void
render_msgs(FILE *f, json_t *n)
{
	static const char *const rows[][2] = { { "Opens", "opens" },
	    { "Updates", "updates" }, { "Notifications", "notifications" },
	    { "Keepalives", "keepalives" },
	    { "Route Refresh", "routeRefreshes" }, { "Total", "total" } };
	json_t *s = json_object_get(n, "messagesSent");
	json_t *r = json_object_get(n, "messagesReceived");
	size_t i;

	fprintf(f, "  Message statistics: %10s %10s\n", "Sent", "Rcvd");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, "    %-16s %10lld %10lld\n", rows[i][0],
		    jint(s, rows[i][1]), jint(r, rows[i][1]));
}

/* Oldest first; a NOTIFICATION that caused the change on its own line. */
static void
render_history(FILE *f, json_t *hist)
{
	json_t *h, *e;
	size_t i;

	fprintf(f, "  State history (%zu):\n", json_array_size(hist));
	json_array_foreach(hist, i, h) {
		fprintf(f, "    %s %s -> %s (%s%s%s)", jstr(h, "time"),
		    jstr(h, "from"), jstr(h, "to"), jstr(h, "event"),
		    jstr(h, "reason")[0] ? ": " : "", jstr(h, "reason"));
		if (jint(h, "count") > 1)
			fprintf(f, " x%lld, last %s", jint(h, "count"),
			    jstr(h, "lastTime"));
		fputc('\n', f);
		e = json_object_get(h, "notification");
		if (!json_is_object(e))
			continue;
		fprintf(f, "      NOTIFICATION %s %lld/%lld %s/%s",
		    jstr(e, "direction"), jint(e, "code"), jint(e, "subcode"),
		    jstr(e, "codeName"), jstr(e, "subcodeName"));
		if (jstr(e, "message")[0] != '\0')
			fprintf(f, " \"%s\"", jstr(e, "message"));
		fputc('\n', f);
	}
}

static void
render_neighbor(FILE *f, json_t *n)
{
	json_t *t = json_object_get(n, "timers"), *caps, *pf, *p;
	const char *fam;
	char ud[32];

	fprintf(f, "BGP neighbor is %s, context %s, remote AS %lld, local AS "
	    "%lld, %s link\n", jstr(n, "address"), jstr(n, "context"),
	    jint(n, "remoteAs"), jint(n, "localAs"), jbool(n, "ebgp") ?
	    "external" : "internal");
	if (jstr(n, "description")[0] != '\0')
		fprintf(f, "  Description: %s\n", jstr(n, "description"));
	fprintf(f, "  BGP state = %s", jstr(n, "state"));
	if (jbool(n, "adminDown"))
		fprintf(f, " (administratively down%s%s%s)",
		    jstr(n, "shutdownMessage")[0] ? ": \"" : "",
		    jstr(n, "shutdownMessage"),
		    jstr(n, "shutdownMessage")[0] ? "\"" : "");
	if (strcmp(jstr(n, "state"), "Established") == 0) {
		ctl_fmt_updown((uint64_t)jint(n, "uptimeMsec"), ud, sizeof(ud));
		fprintf(f, ", up for %s", ud);
	}
	fprintf(f, ", %lld flap%s\n", jint(n, "flaps"),
	    jint(n, "flaps") == 1 ? "" : "s");
	if (jstr(n, "lastDownReason")[0] != '\0')
		fprintf(f, "  Last down: %s\n", jstr(n, "lastDownReason"));
	if (jstr(n, "remoteRouterId")[0] != '\0')
		fprintf(f, "  Remote router ID %s\n", jstr(n, "remoteRouterId"));
	if (jstr(n, "localAddress")[0] != '\0')
		fprintf(f, "  Local address %s port %lld, remote port %lld\n",
		    jstr(n, "localAddress"), jint(n, "localPort"),
		    jint(n, "remotePort"));
	fprintf(f, "  Hold time %lld s, keepalive %lld s (configured hold "
	    "%lld, keepalive %lld, connect-retry %lld)\n", jint(t, "holdTime"),
	    jint(t, "keepalive"), jint(t, "configuredHoldTime"),
	    jint(t, "configuredKeepalive"), jint(t, "connectRetry"));
	if (json_object_get(t, "restartInMsec") != NULL)
		fprintf(f, "  Restart in %lld ms\n", jint(t, "restartInMsec"));
	fprintf(f, "  TCP-MD5 %s, TTL security %s%s\n", jbool(n, "md5") ?
	    "on" : "off", jbool(n, "ttlSecurity") ? "on" : "off",
	    jbool(n, "passive") ? ", passive" : "");
	caps = json_object_get(n, "capabilities");
	fprintf(f, "  Capabilities:\n");
	render_caps(f, "advertised", json_object_get(caps, "advertised"));
	render_caps(f, "received", json_object_get(caps, "received"));
	render_caps(f, "negotiated", json_object_get(caps, "negotiated"));
	render_msgs(f, n);
	pf = json_object_get(n, "prefixes");
	json_object_foreach(pf, fam, p)
		fprintf(f, "  %s: received %lld, accepted %lld, filtered %lld, "
		    "sent %lld, limit %lld\n", fam, jint(p, "received"),
		    jint(p, "accepted"), jint(p, "filtered"), jint(p, "sent"),
		    jint(p, "limit"));
	json_object_foreach(json_object_get(n, "filteredReasons"), fam, p)
		fprintf(f, "  Filtered (%s): %lld\n", fam,
		    (long long)json_integer_value(p));
	if (jint(n, "prefixLimitEvents") > 0)
		fprintf(f, "  Prefix limit reached %lld time%s\n",
		    jint(n, "prefixLimitEvents"),
		    jint(n, "prefixLimitEvents") == 1 ? "" : "s");
	render_err(f, "sent", json_object_get(n, "lastErrorSent"));
	render_err(f, "received", json_object_get(n, "lastErrorReceived"));
	render_history(f, json_object_get(n, "history"));
}

static void
render_neighbors(FILE *f, json_t *r)
{
	json_t *arr = json_object_get(r, "neighbors"), *n;
	size_t i;

	if (json_array_size(arr) == 0)
		fprintf(f, "No neighbors.\n");
	json_array_foreach(arr, i, n) {
		if (i > 0)
			fputc('\n', f);
		render_neighbor(f, n);
	}
}

static void
render_action(FILE *f, json_t *r)
{
	json_t *c;
	size_t i;

	fprintf(f, "neighbor %s: %s%s", jstr(r, "neighbor"), jstr(r, "action"),
	    jbool(r, "soft") ? " soft" : "");
	if (jstr(r, "message")[0] != '\0')
		fprintf(f, " (\"%s\")", jstr(r, "message"));
	fprintf(f, " in context");
	json_array_foreach(json_object_get(r, "contexts"), i, c)
		fprintf(f, "%s %s", i ? "," : "", json_string_value(c));
	fputc('\n', f);
}

int
ctl_render_text(FILE *f, const char *kind, json_t *r)
{
	if (strcmp(kind, "bgp-summary") == 0)
		render_summary(f, r);
	else if (strcmp(kind, "route") == 0)
		render_routes(f, r);
	else if (strcmp(kind, "neighbor") == 0)
		render_neighbors(f, r);
	else if (strcmp(kind, "neighbor-action") == 0)
		render_action(f, r);
	else if (strcmp(kind, "reload") == 0)
		fprintf(f, "configuration reloaded\n");
	else if (strcmp(kind, "mrt-dump") == 0)
		fprintf(f, "%s: %lld prefixes, %lld paths in %lld contexts "
		    "(TABLE_DUMP_V2)\n", jstr(r, "path"),
		    (long long)json_integer_value(json_object_get(r,
		    "prefixes")), (long long)json_integer_value(
		    json_object_get(r, "paths")), (long long)
		    json_integer_value(json_object_get(r, "contexts")));
	else
		return -1;
	return 0;
}
