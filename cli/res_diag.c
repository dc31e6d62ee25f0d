/*
 * xrctl express-route: the troubleshooting views of a circuit peering
 * (spec section 9), named as az names them so runbooks carry over:
 *
 *   list-arp-tables | list-route-tables | list-route-tables-summary
 *       -g RG -n CIRCUIT --peering-name P --path primary|secondary
 *   get-stats -g RG -n CIRCUIT [--peering-name P]
 *   start-connectivity-test | show-connectivity-test |
 *   stop-connectivity-test -g RG -n CIRCUIT [--peering-name P]
 *       [--source-ip S --destination-ip D [--protocol P]
 *        [--source-port N] [--destination-port N]]
 *
 * The lists are long-running POSTs: the answer is polled from Location
 * (202 while the edge has not answered). Text output is what the
 * troubleshooting guide prints: the ARP table and the route summary as
 * tables, the route table as PowerShell's "Name : value" blocks, the
 * stats as four right-aligned counters, the connectivity test as the
 * guide's "src .. dst .. (received): N matches" lines per edge plus a
 * verdict. -o json gives the API's body, -o table columns throughout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "res_int.h"

#define DIAG_WAIT_S	60

static int
diag_path(struct res_ctx *c, const char *tail, char *p, size_t len)
{
	char b[512];
	const char *n = need(c, "name"), *pe = opt(c->o, "peering-name");

	need(c, "resource-group");
	if (c->usage_error)
		return -1;
	base_path(c, b, sizeof(b));
	if (pe == NULL && tail[0] != '\0' && strcmp(tail, "stats") != 0)
		pe = "AzurePrivatePeering";
	if (pe != NULL)
		snprintf(p, len, "%s/expressRouteCircuits/%s/peerings/%s%s%s",
		    b, n, pe, tail[0] ? "/" : "", tail);
	else
		snprintf(p, len, "%s/expressRouteCircuits/%s%s%s", b, n,
		    tail[0] ? "/" : "", tail);
	return 0;
}

/* POST, then poll Location until the edges have answered. */
static int
post_wait(struct res_ctx *c, const char *path, json_t *body, json_t **out)
{
	struct res_http_resp r;
	char loc[1024];
	time_t end = time(NULL) + DIAG_WAIT_S;
	int rc;

	*out = NULL;
	rc = req(c, "POST", path, body, &r);
	json_decref(body);
	if (rc != 0) {
		json_decref(r.body);
		return rc;
	}
	snprintf(loc, sizeof(loc), "%s", r.location);
	json_decref(r.body);
	if (loc[0] == '\0') {
		fprintf(stderr, "xrctl: the server gave no Location to poll\n");
		return 1;
	}
	while (time(NULL) < end) {
		if ((rc = req(c, "GET", loc, NULL, &r)) != 0) {
			json_decref(r.body);
			return rc;
		}
		if (r.status == 200) {
			*out = r.body;
			return 0;
		}
		json_decref(r.body);
		usleep(100 * 1000);
	}
	fprintf(stderr, "xrctl: no answer within %d s from %s\n", DIAG_WAIT_S,
	    loc);
	return 1;
}

static bool
want(struct res_ctx *c, const char *fmt)
{
	const char *o = opt(c->o, "output");

	return o != NULL && strcmp(o, fmt) == 0;
}

static void
route_blocks(json_t *rows)
{
	static const char *const k[] = { "Network", "NextHop", "LocPrf",
	    "Weight", "Path" };
	static const char *const f[] = { "network", "nextHop", "locPrf",
	    "weight", "path" };
	json_t *row, *v;
	size_t i;
	char s[512];

	json_array_foreach(rows, i, row) {
		if (i > 0)
			printf("\n");
		for (int j = 0; j < 5; j++) {
			v = json_object_get(row, f[j]);
			if (json_is_integer(v))
				snprintf(s, sizeof(s), "%lld", (long long)
				    json_integer_value(v));
			else
				snprintf(s, sizeof(s), "%s", json_is_string(v) ?
				    json_string_value(v) : "");
			printf("%-7s :%s%s\n", k[j], s[0] ? " " : "", s);
		}
	}
}

static int
diag_list(struct res_ctx *c)
{
	static const char *const ac[] = { "Age", "InterfaceProperty",
	    "IpAddress", "MacAddress", NULL };
	static const char *const ap[] = { "age", "interface", "ipAddress",
	    "macAddress", NULL };
	static const char *const rc_[] = { "Network", "NextHop", "LocPrf",
	    "Weight", "Path", NULL };
	static const char *const rp[] = { "network", "nextHop", "locPrf",
	    "weight", "path", NULL };
	static const char *const sc[] = { "Neighbor", "V", "AS", "UpDown",
	    "StatePfxRcd", NULL };
	static const char *const sp[] = { "neighbor", "v", "as", "upDown",
	    "statePfxRcd", NULL };
	const char *seg, *path = need(c, "path");
	char tail[128], p[1024];
	json_t *res, *rows;
	int rc;

	need(c, "peering-name");
	if (strcmp(c->verb, "list-arp-tables") == 0)
		seg = "arpTables";
	else if (strcmp(c->verb, "list-route-tables") == 0)
		seg = "routeTables";
	else
		seg = "routeTablesSummary";
	snprintf(tail, sizeof(tail), "%s/%s", seg, path ? path : "");
	if (diag_path(c, tail, p, sizeof(p)) == -1)
		return 64;
	if ((rc = post_wait(c, p, NULL, &res)) != 0)
		return rc;
	rows = json_object_get(res, "value");
	if (want(c, "json"))
		res_print_json(res);
	else if (seg[0] == 'a')
		res_print_table(rows, ac, ap);
	else if (strcmp(seg, "routeTables") == 0 && !want(c, "table"))
		route_blocks(rows);
	else if (strcmp(seg, "routeTables") == 0)
		res_print_table(rows, rc_, rp);
	else
		res_print_table(rows, sc, sp);
	json_decref(res);
	return 0;
}

static int
diag_stats(struct res_ctx *c)
{
	static const char *const h[] = { "PrimaryBytesIn", "PrimaryBytesOut",
	    "SecondaryBytesIn", "SecondaryBytesOut" };
	static const char *const f[] = { "primarybytesIn", "primarybytesOut",
	    "secondarybytesIn", "secondarybytesOut" };
	struct res_http_resp r;
	char p[1024];
	int rc;

	if (diag_path(c, "stats", p, sizeof(p)) == -1)
		return 64;
	if ((rc = req(c, "GET", p, NULL, &r)) != 0) {
		json_decref(r.body);
		return rc;
	}
	if (want(c, "json"))
		res_print_json(r.body);
	else {
		for (int i = 0; i < 4; i++)
			printf("%s%s", h[i], i < 3 ? " " : "\n");
		for (int i = 0; i < 4; i++)
			printf("%.*s%s", (int)strlen(h[i]),
			    "------------------", i < 3 ? " " : "\n");
		for (int i = 0; i < 4; i++)
			printf("%*lld%s", (int)strlen(h[i]), (long long)
			    json_integer_value(json_object_get(r.body, f[i])),
			    i < 3 ? " " : "\n");
	}
	json_decref(r.body);
	return 0;
}

/* --- connectivity test --------------------------------------------------- */

static json_t *
test_body(struct res_ctx *c)
{
	const char *s = need(c, "source-ip"), *d = need(c, "destination-ip");
	json_t *b;

	if (c->usage_error)
		return NULL;
	b = json_pack("{s:s,s:s}", "sourceIpAddress", s,
	    "destinationIpAddress", d);
	if (opt(c->o, "protocol"))
		json_object_set_new(b, "protocol", json_string(opt(c->o,
		    "protocol")));
	if (opt(c->o, "source-port"))
		json_object_set_new(b, "sourcePort", json_integer(atoi(opt(c->o,
		    "source-port"))));
	if (opt(c->o, "destination-port"))
		json_object_set_new(b, "destinationPort", json_integer(atoi(
		    opt(c->o, "destination-port"))));
	return b;
}

static void
test_text(json_t *res)
{
	json_t *row, *l;
	const char *path, *st;
	size_t i, k;

	json_array_foreach(json_object_get(res, "value"), i, row) {
		path = json_string_value(json_object_get(row, "path"));
		st = json_string_value(json_object_get(row, "state"));
		printf("%s%c%s edge (%s):\n", i ? "\n" : "", path && path[0] ?
		    path[0] - 32 : '?', path && path[0] ? path + 1 : "",
		    st ? st : "");
		json_array_foreach(json_object_get(row, "lines"), k, l)
			printf("%s\n", json_string_value(l));
		if (json_object_get(row, "error") != NULL)
			printf("error: %s\n", json_string_value(json_object_get(
			    row, "error")));
	}
	if (json_object_get(res, "verdict") != NULL)
		printf("\nVerdict (%s): %s\n", json_string_value(
		    json_object_get(json_object_get(res, "verdict"), "code")),
		    json_string_value(json_object_get(json_object_get(res,
		    "verdict"), "message")));
}

static int
diag_test(struct res_ctx *c)
{
	const char *act;
	json_t *body = NULL, *res;
	char p[1024];
	int rc;

	if (strcmp(c->verb, "start-connectivity-test") == 0) {
		act = "startConnectivityTest";
		if ((body = test_body(c)) == NULL)
			return 64;
	} else if (strcmp(c->verb, "stop-connectivity-test") == 0)
		act = "stopConnectivityTest";
	else
		act = "connectivityTestResults";
	if (diag_path(c, act, p, sizeof(p)) == -1) {
		json_decref(body);
		return 64;
	}
	if ((rc = post_wait(c, p, body, &res)) != 0)
		return rc;
	if (want(c, "json"))
		res_print_json(res);
	else
		test_text(res);
	json_decref(res);
	return 0;
}

int
res_diag(struct res_ctx *c)
{
	if (strncmp(c->verb, "list-", 5) == 0)
		return diag_list(c);
	if (strcmp(c->verb, "get-stats") == 0)
		return diag_stats(c);
	return diag_test(c);
}
