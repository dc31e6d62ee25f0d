/*
 * "Test private peering connectivity" (spec section 9.3): a counting ACL
 * on both edges for one source and destination (optional protocol and
 * ports), reporting per edge how many packets matched in each direction,
 * in the troubleshooting guide's words:
 *
 *   src 10.0.0.0 dst 20.0.0.0 dstport 3389 (received): 120 matches
 *   src 20.0.0.0 srcport 3389 dst 10.0.0.0 (sent): 120 matches
 *
 * "received" counts source -> destination packets arriving from the
 * customer on the peering's link; "sent" counts the replies leaving
 * towards the customer. Azure offers this only in the portal; here it is
 * three POST actions on the private peering, long-running operations
 * answered by both edges through the store (er_views.c):
 *
 *   startConnectivityTest    body {sourceIpAddress, destinationIpAddress,
 *                            protocol?, sourcePort?, destinationPort?}
 *   connectivityTestResults  the counters so far, and a verdict
 *   stopConnectivityTest     the final counters; the edges remove the ACL
 *
 * The verdict follows the guide's interpretation table: matches both
 * ways on both edges is healthy; received but never sent means the return
 * path is wrong (also per path, when the other path does not carry the
 * missing replies: active-active asymmetry is not a fault); sent but
 * never received means on-premises does not route back over the circuit;
 * one edge silent means that link is down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const protos[] = { "Any", "TCP", "UDP", "ICMP", NULL };

static const struct er_field test_fields[] = {
	{ "sourceIpAddress", FT_STR, ERF_REQ, 1, 64, NULL, NULL,
	  "on-premises address or prefix" },
	{ "destinationIpAddress", FT_STR, ERF_REQ, 1, 64, NULL, NULL,
	  "Azure-side address or prefix" },
	{ "protocol", FT_ENUM, 0, 0, 0, protos, NULL, "default Any" },
	{ "sourcePort", FT_INT, 0, 1, 65535, NULL, NULL, "TCP or UDP only" },
	{ "destinationPort", FT_INT, 0, 1, 65535, NULL, NULL,
	  "TCP or UDP only" },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

json_t *
er_conntest_schema(void)
{
	return er_schema_openapi(test_fields);
}

/* "10.0.0.1" for a host, "10.0.0.0/24" otherwise (host bits cleared). */
static int
norm_addr(struct er_op *op, json_t *b, const char *key, struct prefix *p)
{
	const char *s = er_jstr(b, key);
	char buf[PREFIX_STRLEN], *slash;

	if (s == NULL || prefix_parse(s, p, false) == -1)
		return er_fail(op->err, ER_E_BAD_VALUE, key, s ? s : "null",
		    "an IPv4 or IPv6 address or prefix, e.g. 10.2.20.1 or "
		    "10.2.20.0/25");
	prefix_ntop(p, buf, sizeof(buf));
	if (p->len == addr_bytes(p->af) * 8 &&
	    (slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	json_object_set_new(b, key, json_string(buf));
	return 0;
}

static int
check_body(struct er_op *op, json_t *b)
{
	struct prefix s, d;
	const char *proto;

	if (!json_is_object(b))
		return er_fail(op->err, ER_E_BODY_REQUIRED);
	if (er_schema_check(test_fields, b, "", op->err) == -1 ||
	    norm_addr(op, b, "sourceIpAddress", &s) == -1 ||
	    norm_addr(op, b, "destinationIpAddress", &d) == -1)
		return -1;
	if (s.af != d.af)
		return er_fail(op->err, ER_E_CONNTEST_FAMILY,
		    er_jstr(b, "sourceIpAddress"),
		    er_jstr(b, "destinationIpAddress"));
	if ((proto = er_jstr(b, "protocol")) == NULL) {
		proto = "Any";
		json_object_set_new(b, "protocol", json_string(proto));
	}
	if ((json_object_get(b, "sourcePort") != NULL ||
	    json_object_get(b, "destinationPort") != NULL) &&
	    strcmp(proto, "TCP") != 0 && strcmp(proto, "UDP") != 0)
		return er_fail(op->err, ER_E_CONNTEST_PORTS, proto);
	return 0;
}

static int
save_test(struct er_op *op, const char *tid, json_t *def)
{
	struct store_rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.id = (char *)tid;
	r.type = (char *)ER_CONNTEST_TYPE;
	r.parent = (char *)er_jstr(op->old, "id");
	r.sub = op->p->sub;
	if ((r.doc = json_dumps(def, JSON_COMPACT)) == NULL)
		return er_fail(op->err, ER_E_STORE, "cannot encode the test");
	rc = store_put(op->ctx->st, &r);
	free(r.doc);
	if (rc != STORE_OK)
		return er_fail(op->err, ER_E_STORE, op->ctx->st->errmsg);
	return 0;
}

int
er_conntest_action(struct er_op *op)
{
	const char *a = op->p->action, *kind;
	char tid[ER_ID_MAX + 32], when[32];
	struct store_rec r;
	json_t *def = NULL;

	if (strcmp(a, "startConnectivityTest") == 0)
		kind = "conntestStart";
	else if (strcmp(a, "connectivityTestResults") == 0)
		kind = "conntestResults";
	else if (strcmp(a, "stopConnectivityTest") == 0)
		kind = "conntestStop";
	else
		return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
	if (strcmp(op->req->method, "POST") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if (!er_streq(er_jstr(op->old, "properties.peeringType"),
	    "AzurePrivatePeering"))
		return er_fail(op->err, ER_E_CONNTEST_PEERING, op->p->cname);
	snprintf(tid, sizeof(tid), "%s/connectivityTest", er_jstr(op->old,
	    "id"));
	if (strcmp(kind, "conntestStart") == 0) {
		def = json_deep_copy(op->req->body);
		if (check_body(op, def) == -1) {
			json_decref(def);
			return -1;
		}
		er_time_iso(op->ctx->now_ms, when);
		json_object_set_new(def, "startTime", json_string(when));
		if (save_test(op, tid, def) == -1) {
			json_decref(def);
			return -1;
		}
	} else {
		if (store_get(op->ctx->st, tid, &r) != STORE_OK)
			return er_fail(op->err, ER_E_CONNTEST_NONE,
			    op->p->cname, op->p->name);
		def = json_loads(r.doc, 0, NULL);
		store_rec_free(&r);
		if (strcmp(kind, "conntestStop") == 0)
			store_del(op->ctx->st, tid);
	}
	op->view = json_pack("{s:s,s:[s,s],s:o}", "kind", kind, "paths",
	    "primary", "secondary", "args", def);
	return 0;
}

/* --- results ------------------------------------------------------------- */

static void
port_part(char *buf, size_t len, const char *word, json_t *port)
{
	if (port != NULL)
		snprintf(buf, len, " %s %lld", word,
		    (long long)json_integer_value(port));
	else
		buf[0] = '\0';
}

/* The guide's two lines for one edge. */
static json_t *
lines(json_t *def, json_int_t rx, json_int_t tx)
{
	const char *s = er_jstr(def, "sourceIpAddress"),
	    *d = er_jstr(def, "destinationIpAddress");
	json_t *sp = json_object_get(def, "sourcePort"),
	    *dp = json_object_get(def, "destinationPort");
	char a[32], b[32], c[32], e[32], l1[256], l2[256];

	port_part(a, sizeof(a), "srcport", sp);
	port_part(b, sizeof(b), "dstport", dp);
	port_part(c, sizeof(c), "srcport", dp);
	port_part(e, sizeof(e), "dstport", sp);
	snprintf(l1, sizeof(l1), "src %s%s dst %s%s (received): %lld matches",
	    s, a, d, b, (long long)rx);
	snprintf(l2, sizeof(l2), "src %s%s dst %s%s (sent): %lld matches",
	    d, c, s, e, (long long)tx);
	return json_pack("[s,s]", l1, l2);
}

static json_t *
verdict(json_t *rows)
{
	json_int_t rx = 0, tx = 0, r, t;
	const char *silent = NULL, *busy = NULL, *oneway = NULL, *code, *p;
	char msg[512];
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		r = er_jint(row, "received", 0);
		t = er_jint(row, "sent", 0);
		p = er_jstr(row, "path");
		rx += r;
		tx += t;
		if (r + t == 0)
			silent = p;
		else
			busy = p;
		if (r > 0 && t == 0)
			oneway = p;
	}
	if (rx + tx == 0) {
		code = "NoMatches";
		snprintf(msg, sizeof(msg), "no matching packets on either "
		    "edge: is traffic running between these addresses while "
		    "the test runs? Check the addresses, protocol and ports");
	} else if (silent != NULL && busy != NULL) {
		code = "OnePathSilent";
		snprintf(msg, sizeof(msg), "the %s edge shows no matches while "
		    "the %s edge does: that link is not receiving or passing "
		    "traffic (BGP or ARP down?); advertise a unique /32 on "
		    "that path and test again", silent, busy);
	} else if (tx == 0) {
		code = "NoReturnTraffic";
		snprintf(msg, sizeof(msg), "traffic reaches the edge but does "
		    "not return: check return-path routing (are the right "
		    "prefixes advertised? does a user-defined route override "
		    "them?)");
	} else if (oneway != NULL && tx < rx) {
		/* replies missing, and not carried by the other path either
		 * (active-active asymmetry would show them there) */
		code = "NoReturnTrafficOnPath";
		snprintf(msg, sizeof(msg), "traffic reaches the %s edge but "
		    "does not return over it, and the other path does not "
		    "carry the missing replies: check return-path routing "
		    "for that path", oneway);
	} else if (rx == 0) {
		code = "NoInboundTraffic";
		snprintf(msg, sizeof(msg), "traffic leaves the edge towards "
		    "on-premises but does not come back: work with your "
		    "provider to find why it is not routed to the edge over "
		    "this circuit");
	} else {
		code = "Healthy";
		snprintf(msg, sizeof(msg), "matches received and sent on both "
		    "edges: traffic flows both ways; any loss is downstream "
		    "of the edges");
	}
	return json_pack("{s:s,s:s}", "code", code, "message", msg);
}

/* One row per path from the edges' answers {state, received, sent}. */
int
er_conntest_result(json_t *view, json_t *answers, json_t **result,
    struct er_err *err)
{
	json_t *def = json_object_get(view, "args"), *rows = json_array();
	json_t *paths = json_object_get(view, "paths"), *v, *a, *row;
	const char *path, *kind = er_jstr(view, "kind");
	json_int_t rx, tx;
	size_t i;

	if (json_object_size(answers) == 0) {
		json_decref(rows);
		return er_fail(err, ER_E_VIEW_NO_EDGE, "connectivity test",
		    "primary or secondary", er_jstr(view, "peeringName"),
		    er_jstr(view, "serviceKey"), (long long)er_jint(view,
		    "timeoutMs", 0), "primary|secondary",
		    er_jstr(view, "peeringLocation"));
	}
	json_array_foreach(paths, i, v) {
		path = json_string_value(v);
		a = json_object_get(answers, path);
		rx = er_jint(a, "answer.received", 0);
		tx = er_jint(a, "answer.sent", 0);
		row = json_pack("{s:s,s:s,s:I,s:I,s:o}", "path", path, "state",
		    a == NULL ? "NoAnswer" : json_object_get(a, "error") ?
		    "Failed" : er_jstr(a, "answer.state") ?: "Running",
		    "received", rx, "sent", tx, "lines", lines(def, rx, tx));
		if (json_object_get(a, "error") != NULL)
			json_object_set(row, "error", json_object_get(a,
			    "error"));
		json_array_append_new(rows, row);
	}
	*result = json_deep_copy(def);
	json_object_set_new(*result, "state", json_string(strcmp(kind,
	    "conntestStop") == 0 ? "Stopped" : "Running"));
	if (strcmp(kind, "conntestStart") != 0)
		json_object_set_new(*result, "verdict", verdict(rows));
	json_object_set_new(*result, "value", rows);
	return 0;
}
