/*
 * Long-running operations, ARM style. A PUT that changes a resource stores
 * it with provisioningState "Updating" and, in the same transaction, an
 * operation record that the Azure-AsyncOperation header points at. The API
 * role completes due operations in later transactions (er_ops_complete):
 * the type's completion hook runs (e.g. Microsoft-peering prefix
 * validation), and the resource turns "Succeeded" (or "Failed"). Pending
 * operations are found through the store's secondary index, so a restart
 * after a crash picks them up again.
 *
 * Also here: the operation-status GET and the change feed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static char *
op_idx(json_t *doc)
{
	const char *s = er_jstr(doc, "status");

	return s != NULL && strcmp(s, "InProgress") == 0 ?
	    strdup("InProgress") : NULL;
}

int
er_op_start(struct er_op *op, const char *resource_id, json_t *doc,
    uint64_t delay_ms, bool done, struct er_resp *resp)
{
	struct er_ctx *ctx = op->ctx;
	struct er_path p;
	char guid[37], when[32], id[ER_ID_MAX];
	const char *loc = er_jstr(doc, "location");
	json_t *rec;
	int rc;

	if (loc == NULL && op->parent != NULL)
		loc = er_jstr(op->parent, "location");

	if (er_path_parse(resource_id, &p) == -1 || p.sub[0] == '\0')
		return 0;	/* global resources complete at once */
	er_guid(guid);
	er_time_iso(ctx->now_ms, when);
	snprintf(id, sizeof(id), "/subscriptions/%s/providers/"
	    "Microsoft.Network/locations/%s/operations/%s", p.sub,
	    loc ? loc : "global", guid);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "id", id, "name", guid,
	    "status", done ? "Succeeded" : "InProgress", "startTime", when,
	    "resourceId", resource_id, "dueMs",
	    (json_int_t)(ctx->now_ms + (int64_t)delay_ms));
	if (done) {
		json_object_set_new(rec, "endTime", json_string(when));
		json_object_set_new(rec, "endMs", json_integer(ctx->now_ms));
	}
	rc = er_save(ctx, &er_rt_operation, rec, op->err);
	json_decref(rec);
	if (rc == -1)
		return -1;
	snprintf(resp->async_op, sizeof(resp->async_op), "%s", id);
	snprintf(resp->location, sizeof(resp->location), "%s", id);
	ctx->ops_started++;
	return 0;
}

static void
op_finish(struct er_ctx *ctx, json_t *rec, const char *status,
    const struct er_err *failure)
{
	char when[32];
	struct er_err err;

	er_time_iso(ctx->now_ms, when);
	json_object_set_new(rec, "status", json_string(status));
	json_object_set_new(rec, "endTime", json_string(when));
	json_object_set_new(rec, "endMs", json_integer(ctx->now_ms));
	if (failure != NULL) {
		json_object_set_new(rec, "error", json_pack("{s:s,s:s}",
		    "code", failure->code, "message", failure->msg));
		json_object_set_new(rec, "httpStatus",
		    json_integer(failure->status));
	}
	er_save(ctx, &er_rt_operation, rec, &err);
}

static void
op_complete_one(struct er_ctx *ctx, json_t *rec)
{
	const char *rid = er_jstr(rec, "resourceId");
	const struct er_rtype *rt;
	struct er_err err = { 0 };
	json_t *doc = er_get(ctx, rid);
	const char *st;
	char etag[40];
	bool ok = true;

	if (doc == NULL) {	/* deleted meanwhile */
		op_finish(ctx, rec, "Canceled", NULL);
		return;
	}
	st = er_props_state(doc);
	rt = er_rtype_by_type(er_jstr(doc, "type"));
	if (rt != NULL && st != NULL && strcmp(st, "Updating") == 0) {
		if (rt->complete != NULL && rt->complete(ctx, doc, &err) == -1)
			ok = false;
		er_etag(etag);
		json_object_set_new(doc, "etag", json_string(etag));
		json_object_set_new(json_object_get(doc, "properties"),
		    "provisioningState", json_string(ok ? "Succeeded" :
		    "Failed"));
		if (er_save(ctx, rt, doc, &err) == -1)
			ok = false;
	}
	op_finish(ctx, rec, ok ? "Succeeded" : "Failed", ok ? NULL : &err);
	json_decref(doc);
}

void
er_op_result_location(struct er_resp *resp)
{
	char id[ER_ID_MAX], *slash;

	snprintf(id, sizeof(id), "%s", resp->async_op);
	if ((slash = strstr(id, "/operations/")) != NULL)
		snprintf(resp->location, sizeof(resp->location),
		    "%.*s/operationResults/%s", (int)(slash - id), id,
		    slash + 12);
}

/* A long-running POST whose answer is ready at once (diagnostic lists):
 * 202 with Azure-AsyncOperation (status) and Location (result), as ARM's
 * "final-state-via: location" operations answer. */
int
er_op_result(struct er_op *op, const char *resource_id, json_t *result,
    struct er_resp *resp)
{
	json_t *rec;

	if (er_op_start(op, resource_id, op->old, 0, true, resp) == -1)
		return -1;
	rec = er_get(op->ctx, resp->async_op);
	json_object_set(rec, "result", result);
	if (er_save(op->ctx, &er_rt_operation, rec, op->err) == -1) {
		json_decref(rec);
		return -1;
	}
	json_decref(rec);
	er_op_result_location(resp);
	resp->status = 202;
	resp->write = true;
	return 0;
}

/* A view operation: 1 finished (either way), 0 still waiting. */
static int
view_step(struct er_ctx *ctx, json_t *rec)
{
	struct er_err err = { 0 };
	json_t *result;
	int rc = er_view_collect(ctx, rec, &result, &err);

	if (rc == 0)
		return 0;
	if (rc == 1)
		json_object_set_new(rec, "result", result);
	op_finish(ctx, rec, rc == 1 ? "Succeeded" : "Failed",
	    rc == 1 ? NULL : &err);
	return 1;
}

int
er_op_complete_id(struct er_ctx *ctx, const char *op_id)
{
	json_t *rec = er_get(ctx, op_id);

	if (rec == NULL)
		return -1;
	op_complete_one(ctx, rec);
	json_decref(rec);
	return 0;
}

int
er_ops_complete(struct er_ctx *ctx, int64_t *next_ms)
{
	json_t *recs = er_by_idx(ctx, &er_rt_operation, "InProgress"), *rec;
	size_t i;
	int64_t due;
	int n = 0;

	*next_ms = 0;
	json_array_foreach(recs, i, rec) {
		if (json_object_get(rec, "view") != NULL) {
			/* waiting for edges: look again soon, write nothing */
			if (view_step(ctx, rec) == 1) {
				n++;
				continue;
			}
			due = ctx->now_ms + ER_VIEW_POLL_MS;
			if (*next_ms == 0 || due < *next_ms)
				*next_ms = due;
			continue;
		}
		due = er_jint(rec, "dueMs", 0);
		if (due > ctx->now_ms) {
			if (*next_ms == 0 || due < *next_ms)
				*next_ms = due;
			continue;
		}
		op_complete_one(ctx, rec);
		n++;
	}
	json_decref(recs);
	return n;
}

/* Finished operation records are kept ER_OPS_KEEP_MS for pollers, then
 * deleted (pending ones are indexed and never purged). */
int64_t
er_ops_purge(struct er_ctx *ctx)
{
	return store_purge(ctx->st, er_rt_operation.type, "$.endMs",
	    ctx->now_ms - ER_OPS_KEEP_MS);
}

/* operationResults as ARM answers it: 202 (and Location again) while the
 * operation runs, the error with its status when it failed. */
static bool
result_pending(json_t *rec, struct er_resp *resp)
{
	const char *st = er_jstr(rec, "status");

	if (st != NULL && strcmp(st, "InProgress") == 0) {
		resp->status = 202;
		snprintf(resp->async_op, sizeof(resp->async_op), "%s",
		    er_jstr(rec, "id"));
		er_op_result_location(resp);
		json_decref(rec);
		return true;
	}
	if (st != NULL && strcmp(st, "Failed") == 0 &&
	    json_object_get(rec, "error") != NULL) {
		resp->status = (int)er_jint(rec, "httpStatus", 500);
		resp->body = json_pack("{s:O}", "error",
		    json_object_get(rec, "error"));
		json_decref(rec);
		return true;
	}
	return false;
}

int
er_ops_get(struct er_op *op, struct er_resp *resp)
{
	json_t *rec;

	if (strcmp(op->req->method, "GET") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if ((rec = er_get(op->ctx, op->p->id)) == NULL)
		return er_fail(op->err, ER_E_CHILD_NOT_FOUND, op->p->id);
	json_object_del(rec, "dueMs");
	json_object_del(rec, "endMs");
	json_object_del(rec, "view");
	resp->status = 200;
	if (strcmp(op->p->action, "result") == 0 &&
	    result_pending(rec, resp))
		return 0;
	json_object_del(rec, "httpStatus");
	if (strcmp(op->p->action, "result") == 0 &&
	    json_object_get(rec, "result") != NULL) {
		resp->body = json_incref(json_object_get(rec, "result"));
		json_decref(rec);
		return 0;
	}
	json_object_del(rec, "result");
	resp->body = rec;
	return 0;
}

struct feed {
	json_t		*arr;
	int64_t		 last;
};

static int
feed_cb(const struct store_change *c, void *arg)
{
	struct feed *f = arg;

	json_array_append_new(f->arr, json_pack("{s:I,s:s,s:s,s:s}", "seq",
	    (json_int_t)c->seq, "op", c->op == 'D' ? "delete" : "put", "id",
	    c->id, "type", c->type));
	f->last = c->seq;
	return 0;
}

int
er_changes_get(struct er_op *op, struct er_resp *resp)
{
	struct feed f;
	long long since = 0;

	if (strcmp(op->req->method, "GET") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if (op->req->since != NULL) {
		char *end;

		since = strtoll(op->req->since, &end, 10);
		if (*end != '\0' || since < 0)
			return er_fail(op->err, ER_E_BAD_VALUE, "since",
			    op->req->since, "a non-negative integer");
	}
	f.arr = json_array();
	f.last = since;
	store_changes(op->ctx->st, since, 1000, feed_cb, &f);
	resp->status = 200;
	resp->body = json_pack("{s:o,s:I,s:I}", "value", f.arr, "nextSince",
	    (json_int_t)f.last, "counter",
	    (json_int_t)store_counter(op->ctx->st));
	return 0;
}

const struct er_rtype er_rt_operation = {
	.seg = "operations",
	.type = "Microsoft.Network/locations/operations",
	.flags = RT_NOSTORE,
	.idx = op_idx,
};
