/*
 * Live views of a peering (spec section 9.1): the ARP table, the route
 * table and the route table summary of one device path, the byte counters
 * of both paths, and the connectivity test (er_conntest.c), answered by
 * the edge that owns the path.
 *
 * The API role and the edges share nothing but the store, so the question
 * travels through it (er.h, ER_VIEW_REQ_TYPE): the POST writes a request
 * record per device path in the same transaction as its long-running
 * operation, and answers 202 with Location and Azure-AsyncOperation as
 * ARM's ListArpTable/ListRoutesTable do ("final-state-via: location").
 * The edge serving that path sees the record through the change counter,
 * answers in place, and the operation worker (er_ops_complete, every
 * ER_VIEW_POLL_MS while a view is pending) completes the operation with
 * the answer. A request nobody answers within view_timeout_ms fails with
 * an error that names the path, the peering location and the edge
 * command line that should be serving it: a missing edge is the most
 * likely cause, and "empty table" would hide it.
 *
 * GET .../stats is synchronous in ARM, so it cannot wait for an edge
 * inside the API's write transaction: the edges publish their interface
 * byte counters per peering and path every few seconds
 * (ER_PEERING_STATS_TYPE) and GET sums what they published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const view_kinds[][2] = {
	{ "arpTable", "ARP table" },
	{ "routeTable", "route table" },
	{ "routeTableSummary", "route table summary" },
	{ "conntestStart", "connectivity test (start)" },
	{ "conntestResults", "connectivity test results" },
	{ "conntestStop", "connectivity test (stop)" },
};

bool
er_type_not_desired(const char *type)
{
	static const char *const t[] = { ER_PEERING_STATUS_TYPE,
	    ER_CONN_STATUS_TYPE,
	    ER_PEERING_STATS_TYPE, ER_VIEW_REQ_TYPE, ER_CONNTEST_TYPE,
	    "Microsoft.Network/locations/operations", NULL };

	for (int i = 0; type != NULL && t[i] != NULL; i++)
		if (strcmp(type, t[i]) == 0)
			return true;
	return false;
}

static const char *
kind_what(const char *kind)
{
	for (size_t i = 0; i < sizeof(view_kinds) / sizeof(view_kinds[0]);
	    i++)
		if (kind != NULL && strcmp(kind, view_kinds[i][0]) == 0)
			return view_kinds[i][1];
	return "view";
}

/* POST .../peerings/{p}/arpTables|routeTables|routeTablesSummary/{path} */
int
er_view_list(struct er_op *op, const char *kind)
{
	if (strcmp(op->req->method, "POST") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if (strcmp(op->p->arg, "primary") != 0 &&
	    strcmp(op->p->arg, "secondary") != 0)
		return er_fail(op->err, ER_E_DEVICE_PATH, op->p->arg);
	op->view = json_pack("{s:s,s:[s]}", "kind", kind, "paths",
	    op->p->arg);
	return 0;
}

static int
put_request(struct er_ctx *ctx, const char *id, const char *pid,
    const char *sub, const char *path, json_t *doc, struct er_err *err)
{
	struct store_rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.id = (char *)id;
	r.type = (char *)ER_VIEW_REQ_TYPE;
	r.parent = (char *)pid;		/* goes with the peering */
	r.sub = (char *)sub;
	r.idx = (char *)path;		/* what that path's edge lists */
	if ((r.doc = json_dumps(doc, JSON_COMPACT)) == NULL)
		return er_fail(err, ER_E_STORE, "cannot encode a view request");
	rc = store_put(ctx->st, &r);
	free(r.doc);
	if (rc != STORE_OK)
		return er_fail(err, ER_E_STORE, ctx->st->errmsg);
	return 0;
}

/* After an action set op->view: the operation, one request per path. */
int
er_view_start(struct er_op *op, struct er_resp *resp)
{
	struct er_ctx *ctx = op->ctx;
	const char *pid = er_jstr(op->old, "id"), *path;
	json_t *paths = json_object_get(op->view, "paths"), *args, *reqs, *v;
	json_t *rec, *doc;
	uint64_t tmo = ctx->cfg->view_timeout_ms ? ctx->cfg->view_timeout_ms :
	    ER_VIEW_TIMEOUT_MS;
	char guid[37], rid[ER_ID_MAX + 64];
	size_t i;
	int rc = 0;

	if (er_op_start(op, pid, op->old, ER_VIEW_POLL_MS, false, resp) == -1)
		return -1;
	args = json_object_get(op->view, "args");
	reqs = json_array();
	er_guid(guid);
	json_array_foreach(paths, i, v) {
		path = json_string_value(v);
		snprintf(rid, sizeof(rid), "%s/viewRequests/%s-%s", pid, guid,
		    path);
		doc = json_pack("{s:s,s:s,s:s,s:s,s:I}", "kind",
		    er_jstr(op->view, "kind"), "path", path, "peering", pid,
		    "operation", resp->async_op, "createdMs",
		    (json_int_t)ctx->now_ms);
		if (args != NULL)
			json_object_set(doc, "args", args);
		rc = put_request(ctx, rid, pid, op->p->sub, path, doc, op->err);
		json_decref(doc);
		if (rc == -1)
			break;
		json_array_append_new(reqs, json_string(rid));
	}
	if (rc == -1) {
		json_decref(reqs);
		return -1;
	}
	rec = er_get(ctx, resp->async_op);
	json_object_set(op->view, "requests", reqs);
	json_decref(reqs);
	json_object_set_new(op->view, "deadlineMs", json_integer(ctx->now_ms +
	    (json_int_t)tmo));
	json_object_set_new(op->view, "timeoutMs", json_integer((json_int_t)
	    tmo));
	json_object_set_new(op->view, "peeringName", json_string(er_jstr(
	    op->old, "name") ?: op->p->cname));
	json_object_set_new(op->view, "serviceKey", json_string(er_jstr(
	    op->parent, "properties.serviceKey") ?: ""));
	json_object_set_new(op->view, "peeringLocation", json_string(er_jstr(
	    op->parent, "properties.serviceProviderProperties."
	    "peeringLocation") ?: ""));
	json_object_set(rec, "view", op->view);
	rc = er_save(ctx, &er_rt_operation, rec, op->err);
	json_decref(rec);
	if (rc == -1)
		return -1;
	er_op_result_location(resp);
	resp->status = 202;
	resp->write = true;
	return 0;
}

/* The answers so far (path -> request doc); the number still pending. */
static json_t *
gather(struct er_ctx *ctx, json_t *reqs, int *pending)
{
	json_t *answers = json_object(), *doc, *v;
	struct store_rec r;
	size_t i;

	*pending = 0;
	json_array_foreach(reqs, i, v) {
		if (store_get(ctx->st, json_string_value(v), &r) != STORE_OK) {
			(*pending)++;	/* gone with its peering */
			continue;
		}
		doc = json_loads(r.doc, 0, NULL);
		store_rec_free(&r);
		if (json_object_get(doc, "answer") != NULL ||
		    json_object_get(doc, "error") != NULL)
			json_object_set(answers, er_jstr(doc, "path"), doc);
		else
			(*pending)++;
		json_decref(doc);
	}
	return answers;
}

static int
single(json_t *view, json_t *answers, json_t **result, struct er_err *err)
{
	const char *path, *kind;
	json_t *paths = json_object_get(view, "paths"), *a;

	path = json_string_value(json_array_get(paths, 0));
	kind = er_jstr(view, "kind");
	a = json_object_get(answers, path ? path : "");
	if (a == NULL)
		return er_fail(err, ER_E_VIEW_NO_EDGE, kind_what(kind), path,
		    er_jstr(view, "peeringName"), er_jstr(view, "serviceKey"),
		    (long long)er_jint(view, "timeoutMs", 0), path,
		    er_jstr(view, "peeringLocation"));
	if (json_object_get(a, "error") != NULL)
		return er_fail(err, ER_E_VIEW_EDGE_FAILED, path,
		    kind_what(kind), er_jstr(view, "peeringName"),
		    er_jstr(a, "error"));
	*result = json_pack("{s:O,s:n}", "value", json_object_get(a,
	    "answer"), "nextLink");
	return 0;
}

/*
 * One step of a pending view operation: 0 still waiting, 1 done with
 * *result, -1 failed with err. Answered or expired requests are removed.
 */
int
er_view_collect(struct er_ctx *ctx, json_t *rec, json_t **result,
    struct er_err *err)
{
	json_t *view = json_object_get(rec, "view");
	json_t *reqs = json_object_get(view, "requests"), *answers, *v;
	const char *kind = er_jstr(view, "kind");
	int pending, rc;
	size_t i;

	*result = NULL;
	answers = gather(ctx, reqs, &pending);
	if (pending > 0 && ctx->now_ms < er_jint(view, "deadlineMs", 0)) {
		json_decref(answers);
		return 0;
	}
	json_array_foreach(reqs, i, v)
		store_del(ctx->st, json_string_value(v));
	if (kind != NULL && strncmp(kind, "conntest", 8) == 0)
		rc = er_conntest_result(view, answers, result, err);
	else
		rc = single(view, answers, result, err);
	json_decref(answers);
	return rc == -1 ? -1 : 1;
}

/* --- byte counters ------------------------------------------------------- */

static void
add_counters(struct er_ctx *ctx, const char *pid, json_int_t sum[4])
{
	static const char *const paths[] = { "primary", "secondary" };
	struct store_rec r;
	char id[ER_ID_MAX + 32];
	json_t *doc;

	for (int i = 0; i < 2; i++) {
		snprintf(id, sizeof(id), "%s/stats/%s", pid, paths[i]);
		if (store_get(ctx->st, id, &r) != STORE_OK)
			continue;
		doc = json_loads(r.doc, 0, NULL);
		store_rec_free(&r);
		sum[i * 2] += er_jint(doc, "bytesIn", 0);
		sum[i * 2 + 1] += er_jint(doc, "bytesOut", 0);
		json_decref(doc);
	}
}

/* GET .../stats of a circuit (every peering) or of one peering. */
int
er_view_stats(struct er_op *op, const char *circuit_id, json_t *peering)
{
	json_int_t sum[4] = { 0, 0, 0, 0 };
	json_t *list, *pe;
	size_t i;

	if (strcmp(op->req->method, "GET") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if (peering != NULL)
		add_counters(op->ctx, er_jstr(peering, "id"), sum);
	else {
		list = er_children(op->ctx, circuit_id, &er_rt_peering);
		json_array_foreach(list, i, pe)
			add_counters(op->ctx, er_jstr(pe, "id"), sum);
		json_decref(list);
	}
	op->result = json_pack("{s:I,s:I,s:I,s:I}", "primarybytesIn", sum[0],
	    "primarybytesOut", sum[1], "secondarybytesIn", sum[2],
	    "secondarybytesOut", sum[3]);
	return 0;
}
