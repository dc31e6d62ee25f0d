/*
 * Request dispatch: who may touch which path, and the generic ARM verbs
 * (PUT create-or-update, GET, LIST, PATCH tags, DELETE) with ETag
 * preconditions. Type-specific rules live in the per-type put/del hooks.
 *
 * Isolation: a tenant token is bound to one subscription; a path in any
 * other subscription answers exactly what an absent resource answers, so
 * a tenant cannot even learn that another subscription exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

static const char *const role_names[] = { "none", "tenant", "provider",
    "admin" };

bool
er_is_write(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

void
er_resp_clear(struct er_resp *r)
{
	json_decref(r->body);
	memset(r, 0, sizeof(*r));
}

static void
fail_resp(struct er_resp *resp, const struct er_err *err)
{
	json_decref(resp->body);
	resp->status = err->status;
	er_err_body(err, &resp->body);
	resp->etag[0] = resp->async_op[0] = resp->location[0] = '\0';
	resp->write = false;
}

static bool
sees_sub(struct er_ctx *ctx, const char *sub)
{
	if (ctx->who.role == ER_ROLE_ADMIN)
		return true;
	return er_streq(ctx->who.sub, sub);
}

static bool
is_xconn(const struct er_rtype *rt)
{
	return rt == &er_rt_xconn || rt == &er_rt_xconn_peering;
}

/* The error an absent resource gets, also used to hide foreign ones. */
static int
not_found(struct er_op *op)
{
	struct er_path *p = op->p;
	char t[256];

	if (p->kind == P_SUB)
		return er_fail(op->err, ER_E_SUB_NOT_FOUND, p->sub);
	if (p->kind == P_RG)
		return er_fail(op->err, ER_E_RG_NOT_FOUND, p->rg);
	if (op->rt != NULL && op->rt->parent != NULL)
		return er_fail(op->err, ER_E_CHILD_NOT_FOUND, p->id);
	if (op->rt == NULL || p->rg[0] == '\0')
		return er_fail(op->err, ER_E_CHILD_NOT_FOUND, p->id);
	snprintf(t, sizeof(t), "%s", op->rt->type);
	return er_fail(op->err, ER_E_NOT_FOUND, t, p->name, p->rg);
}

static int
forbid(struct er_op *op)
{
	return er_fail(op->err, ER_E_FORBIDDEN, role_names[op->ctx->who.role],
	    op->req->method, op->req->path);
}

/* Access rules by path kind and role; also existence of the
 * subscription and resource group the path lives in. */
static int
check_access(struct er_op *op)
{
	struct er_ctx *ctx = op->ctx;
	struct er_path *p = op->p;
	enum er_role role = ctx->who.role;
	bool write = er_is_write(op->req->method);
	json_t *d;
	char id[ER_ID_MAX];

	switch (p->kind) {
	case P_TOKENS: case P_TOKEN: case P_CHANGES:
		return role == ER_ROLE_ADMIN ? 0 : forbid(op);
	case P_CAT_PROVIDER:
	case P_CAT_PROVIDERS:
		if (write && role != ER_ROLE_ADMIN)
			return forbid(op);
		if (p->sub[0] == '\0' || role == ER_ROLE_ADMIN)
			return 0;
		break;
	case P_SUB:
		if (write && role != ER_ROLE_ADMIN)
			return forbid(op);
		if (!sees_sub(ctx, p->sub))
			return er_fail(op->err, ER_E_SUB_NOT_FOUND, p->sub);
		return 0;
	default:
		break;
	}
	if (!sees_sub(ctx, p->sub))
		return p->kind == P_RES || p->kind == P_ACTION ?
		    not_found(op) : er_fail(op->err, ER_E_SUB_NOT_FOUND, p->sub);
	if (role == ER_ROLE_PROVIDER && p->kind != P_OPERATION &&
	    p->kind != P_COMMUNITIES && p->kind != P_CAT_PROVIDERS &&
	    !is_xconn(p->rt))
		return forbid(op);
	if (role == ER_ROLE_TENANT && p->rt != NULL && is_xconn(p->rt))
		return forbid(op);
	er_id_sub(id, sizeof(id), p->sub);
	if ((d = er_get(ctx, id)) == NULL)
		return er_fail(op->err, ER_E_SUB_NOT_FOUND, p->sub);
	json_decref(d);
	if (p->rg[0] == '\0' || p->kind == P_RG || is_xconn(p->rt))
		return 0;
	er_id_rg(id, sizeof(id), p->sub, p->rg);
	if ((d = er_get(ctx, id)) == NULL)
		return er_fail(op->err, ER_E_RG_NOT_FOUND, p->rg);
	json_decref(d);
	return 0;
}

static int
preconditions(struct er_op *op)
{
	const char *im = op->req->if_match, *inm = op->req->if_none_match;
	const char *etag = op->old ? er_jstr(op->old, "etag") : NULL;
	char why[256];

	if (im != NULL && *im != '\0') {
		if (op->old == NULL) {
			snprintf(why, sizeof(why), "If-Match %s but the "
			    "resource does not exist", im);
			return er_fail(op->err, ER_E_PRECONDITION, why);
		}
		if (strcmp(im, "*") != 0 && (etag == NULL ||
		    strcmp(im, etag) != 0)) {
			snprintf(why, sizeof(why), "If-Match %s but the "
			    "current ETag is %s", im, etag ? etag : "none");
			return er_fail(op->err, ER_E_PRECONDITION, why);
		}
	}
	if (inm != NULL && strcmp(inm, "*") == 0 && op->old != NULL) {
		snprintf(why, sizeof(why), "If-None-Match * but the resource "
		    "exists with ETag %s", etag ? etag : "none");
		return er_fail(op->err, ER_E_PRECONDITION, why);
	}
	return 0;
}

static int
load_parent(struct er_op *op)
{
	struct er_path pp;

	if (op->rt->parent == NULL)
		return 0;
	if ((op->parent = er_get(op->ctx, op->p->parent_id)) != NULL)
		return 0;
	pp = *op->p;
	pp.kind = P_RES;
	snprintf(pp.id, sizeof(pp.id), "%s", op->p->parent_id);
	if (op->rt->parent->parent == NULL)
		return er_fail(op->err, ER_E_NOT_FOUND, op->rt->parent->type,
		    op->p->name, op->p->rg);
	return er_fail(op->err, ER_E_CHILD_NOT_FOUND, pp.id);
}

/* name/id/type/etag in a body are read-only; a name that contradicts
 * the URI is refused rather than silently ignored. */
static int
body_ident(struct er_op *op, json_t *body)
{
	const char *n = er_jstr(body, "name");
	const char *want = er_last_seg(op->p->id);

	if (n != NULL && !er_streq(n, want))
		return er_fail(op->err, ER_E_NAME_MISMATCH, n, want);
	json_object_del(body, "name");
	json_object_del(body, "id");
	json_object_del(body, "type");
	json_object_del(body, "etag");
	return 0;
}

static int
put_location(struct er_op *op, json_t *body)
{
	const char *loc = er_jstr(body, "location"), *norm;
	char list[2048];

	if (!(op->rt->flags & RT_LOCATION))
		return 0;
	if (loc == NULL)
		return er_fail(op->err, ER_E_MISSING_PROP, "location");
	if ((norm = er_cat_region_norm(op->ctx->cat, loc)) == NULL) {
		er_cat_region_list(op->ctx->cat, list, sizeof(list));
		return er_fail(op->err, ER_E_LOCATION_INVALID, loc,
		    op->rt->type, list);
	}
	json_object_set_new(op->doc, "location", json_string(norm));
	return 0;
}

static int
put_tags(struct er_op *op, json_t *tags)
{
	if (tags == NULL)
		tags = json_object();
	else
		json_incref(tags);
	if (json_object_size(tags) > 50) {
		json_decref(tags);
		return er_fail(op->err, ER_E_TOO_MANY_TAGS,
		    (long long)json_object_size(tags));
	}
	json_object_set_new(op->doc, "tags", tags);
	return 0;
}

static void
ok_resp(struct er_op *op, struct er_resp *resp, int status, json_t *doc)
{
	const char *etag = er_jstr(doc, "etag");

	resp->status = status;
	resp->body = er_render(op->ctx, op->rt, doc);
	if (etag != NULL)
		snprintf(resp->etag, sizeof(resp->etag), "%s", etag);
}

/* Run the type's completion and store the finished document. */
static int
op_finish_inline(struct er_op *op)
{
	struct er_err cerr = { 0 };
	bool ok = op->rt->complete == NULL ||
	    op->rt->complete(op->ctx, op->doc, &cerr) == 0;

	json_object_set_new(json_object_get(op->doc, "properties"),
	    "provisioningState", json_string(ok ? "Succeeded" : "Failed"));
	return er_save(op->ctx, op->rt, op->doc, op->err);
}

static int
do_put(struct er_op *op, struct er_resp *resp)
{
	json_t *body = op->req->body;
	const char *id;
	char etag[40];
	bool lro = op->rt->flags & RT_LRO;
	uint64_t delay = 0;

	if (op->rt->put == NULL)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if ((op->p->kind == P_RES || op->p->kind == P_RG) &&
	    !er_name_valid(er_last_seg(op->p->id)))
		return er_fail(op->err, ER_E_NAME_INVALID,
		    er_last_seg(op->p->id));
	if (body == NULL || !json_is_object(body))
		return er_fail(op->err, ER_E_BODY_REQUIRED);
	if (load_parent(op) == -1)
		return -1;
	op->old = er_get(op->ctx, op->p->id);
	if (preconditions(op) == -1 || body_ident(op, body) == -1)
		return -1;
	if (er_schema_check(op->rt->schema, body, "", op->err) == -1)
		return -1;
	op->doc = json_object();
	id = op->old ? er_jstr(op->old, "id") : op->p->id;
	json_object_set_new(op->doc, "id", json_string(id));
	json_object_set_new(op->doc, "name", json_string(er_last_seg(id)));
	json_object_set_new(op->doc, "type", json_string(op->rt->type));
	json_object_set_new(op->doc, "etag", json_string(""));
	if (put_location(op, body) == -1)
		return -1;
	if (op->rt->parent == NULL && put_tags(op, json_object_get(body,
	    "tags")) == -1)
		return -1;
	if (json_object_get(body, "sku"))
		json_object_set(op->doc, "sku", json_object_get(body, "sku"));
	if (json_object_get(body, "properties"))
		json_object_set(op->doc, "properties",
		    json_object_get(body, "properties"));
	else
		json_object_set_new(op->doc, "properties", json_object());
	if (op->rt->put(op) == -1)
		return -1;
	er_etag(etag);
	json_object_set_new(op->doc, "etag", json_string(etag));
	json_object_set_new(json_object_get(op->doc, "properties"),
	    "provisioningState", json_string(lro ? "Updating" : "Succeeded"));
	if (lro)
		delay = op->rt == &er_rt_gateway ?
		    op->ctx->cfg->gateway_delay_ms :
		    op->ctx->cfg->default_delay_ms;
	if (lro && delay == 0) {
		/* Nothing to wait for: answer with the accepted state
		 * (Updating) and store the completed one, in one write;
		 * the operation record is born Succeeded. */
		ok_resp(op, resp, op->old ? 200 : 201, op->doc);
		if (op_finish_inline(op) == -1 ||
		    er_op_start(op, id, op->doc, 0, true, resp) == -1)
			return -1;
		resp->write = true;
	} else {
		if (er_save(op->ctx, op->rt, op->doc, op->err) == -1)
			return -1;
		resp->write = true;
		if (lro && er_op_start(op, id, op->doc, delay, false,
		    resp) == -1)
			return -1;
		ok_resp(op, resp, op->old ? 200 : 201, op->doc);
	}
	if (op->rt == &er_rt_token && json_is_string(op->result))
		json_object_set(json_object_get(resp->body, "properties"),
		    "token", op->result);
	return 0;
}

static int
do_patch(struct er_op *op, struct er_resp *resp)
{
	json_t *body = op->req->body, *v;
	const char *k;
	char etag[40];

	if (op->rt->parent != NULL || op->rt == &er_rt_token ||
	    op->rt == &er_rt_provider)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	if (body == NULL || !json_is_object(body))
		return er_fail(op->err, ER_E_BODY_REQUIRED);
	json_object_foreach(body, k, v)
		if (strcmp(k, "tags") != 0)
			return er_fail(op->err, ER_E_PATCH_TAGS_ONLY, k);
	if ((op->old = er_get(op->ctx, op->p->id)) == NULL)
		return op->rt->absent ? op->rt->absent(op) : not_found(op);
	if (preconditions(op) == -1)
		return -1;
	v = json_object_get(body, "tags");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_object(v))
			return er_fail(op->err, ER_E_BAD_VALUE, "tags", "",
			    "an object whose values are strings");
		json_object_foreach(v, k, body)
			if (!json_is_string(body))
				return er_fail(op->err, ER_E_BAD_VALUE, "tags",
				    k, "an object whose values are strings");
	}
	op->doc = json_deep_copy(op->old);
	op->err->status = 0;
	if (put_tags(op, v && !json_is_null(v) ? v : NULL) == -1)
		return -1;
	er_etag(etag);
	json_object_set_new(op->doc, "etag", json_string(etag));
	if (er_save(op->ctx, op->rt, op->doc, op->err) == -1)
		return -1;
	resp->write = true;
	ok_resp(op, resp, 200, op->doc);
	return 0;
}

static int
do_delete(struct er_op *op, struct er_resp *resp)
{
	if ((op->old = er_get(op->ctx, op->p->id)) == NULL) {
		if (op->req->if_match && *op->req->if_match)
			return preconditions(op);
		resp->status = 204;
		return 0;
	}
	if (preconditions(op) == -1)
		return -1;
	if (op->rt->parent != NULL)
		op->parent = er_get(op->ctx, op->p->parent_id);
	if (op->rt->del != NULL && op->rt->del(op) == -1)
		return -1;
	if (er_remove(op->ctx, op->p->id, op->err) == -1)
		return -1;
	resp->write = true;
	if (op->rt->flags & RT_LRO) {
		if (er_op_start(op, op->p->id, op->old, 0, true, resp) == -1)
			return -1;
		resp->status = 202;
		return 0;
	}
	resp->status = 200;
	return 0;
}

static int
do_get(struct er_op *op, struct er_resp *resp)
{
	if ((op->old = er_get(op->ctx, op->p->id)) == NULL)
		return op->rt->absent ? op->rt->absent(op) : not_found(op);
	ok_resp(op, resp, 200, op->old);
	return 0;
}

static void
list_resp(struct er_op *op, struct er_resp *resp, json_t *docs)
{
	json_t *out = json_array(), *d;
	size_t i;

	json_array_foreach(docs, i, d)
		json_array_append_new(out, er_render(op->ctx, op->rt, d));
	json_decref(docs);
	resp->status = 200;
	resp->body = json_pack("{s:o}", "value", out);
}

static int
do_list(struct er_op *op, struct er_resp *resp)
{
	struct er_path *p = op->p;
	json_t *docs;

	if (strcmp(op->req->method, "GET") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	switch (p->kind) {
	case P_RG_LIST:
	case P_RG_TYPE_LIST:
		docs = er_children(op->ctx, p->parent_id, op->rt);
		break;
	case P_CHILD_LIST:
		if ((op->parent = er_get(op->ctx, p->parent_id)) == NULL)
			return er_fail(op->err, ER_E_NOT_FOUND,
			    op->rt->parent->type, p->name, p->rg);
		docs = er_children(op->ctx, p->parent_id, op->rt);
		break;
	case P_TOKENS:
	case P_CAT_PROVIDERS:
		docs = er_by_type(op->ctx, op->rt, NULL);
		break;
	default:
		docs = er_by_type(op->ctx, op->rt, p->sub);
		break;
	}
	list_resp(op, resp, docs);
	return 0;
}

static int
do_resource(struct er_op *op, struct er_resp *resp)
{
	const char *m = op->req->method;

	if (strcmp(m, "PUT") == 0)
		return do_put(op, resp);
	if (strcmp(m, "GET") == 0)
		return do_get(op, resp);
	if (strcmp(m, "DELETE") == 0)
		return do_delete(op, resp);
	if (strcmp(m, "PATCH") == 0)
		return do_patch(op, resp);
	return er_fail(op->err, ER_E_METHOD, m);
}

static int
do_action(struct er_op *op, struct er_resp *resp)
{
	if (op->rt->action == NULL)
		return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
	if ((op->old = er_get(op->ctx, op->p->id)) == NULL)
		return op->rt->absent ? op->rt->absent(op) : not_found(op);
	if (op->rt->parent != NULL)
		op->parent = er_get(op->ctx, op->p->parent_id);
	op->status = 200;
	if (op->rt->action(op) == -1)
		return -1;
	if (op->view != NULL)		/* the edges answer (er_views.c) */
		return er_view_start(op, resp);
	if (op->status == 202) {
		/* long-running POST: the answer is fetched from Location */
		if (er_op_result(op, op->p->id, op->result, resp) == -1)
			return -1;
		resp->body = NULL;
		return 0;
	}
	resp->status = op->status;
	resp->body = op->result;
	op->result = NULL;
	if (er_is_write(op->req->method))
		resp->write = true;
	return 0;
}


static int
dispatch(struct er_op *op, struct er_resp *resp)
{
	struct er_path *p = op->p;

	if (check_access(op) == -1)
		return -1;
	if (p->rt != NULL && is_xconn(p->rt))
		return er_xconn_handle(op, resp);
	switch (p->kind) {
	case P_SUB: case P_RG: case P_RES: case P_CAT_PROVIDER: case P_TOKEN:
		return do_resource(op, resp);
	case P_RG_LIST: case P_SUB_TYPE_LIST: case P_RG_TYPE_LIST:
	case P_CHILD_LIST: case P_TOKENS: case P_CAT_PROVIDERS:
		return do_list(op, resp);
	case P_ACTION:
		return do_action(op, resp);
	case P_OPERATION:
		return er_ops_get(op, resp);
	case P_COMMUNITIES:
		return er_communities_get(op, resp);
	case P_CHANGES:
		return er_changes_get(op, resp);
	case P_BAD:
		break;
	}
	return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
}

static int
check_api_version(struct er_ctx *ctx, const char *v, struct er_err *err)
{
	const char *list = ctx->cfg->api_versions, *s;
	size_t n;

	if (v == NULL || *v == '\0')
		return er_fail(err, ER_E_MISSING_API_VERSION);
	n = strlen(v);
	for (s = list; s != NULL && *s != '\0';) {
		if (strncmp(s, v, n) == 0 && (s[n] == ',' || s[n] == '\0'))
			return 0;
		s = strchr(s, ',');
		s = s ? s + 1 : NULL;
	}
	return er_fail(err, ER_E_INVALID_API_VERSION, v, list);
}

void
er_handle(struct er_ctx *ctx, const struct er_req *req, struct er_resp *resp)
{
	struct er_path p;
	struct er_err err = { 0 };
	struct er_op op;

	memset(resp, 0, sizeof(*resp));
	memset(&op, 0, sizeof(op));
	op.ctx = ctx;
	op.req = req;
	op.p = &p;
	op.err = &err;
	ctx->ops_started = 0;
	if (check_api_version(ctx, req->api_version, &err) == -1) {
		fail_resp(resp, &err);
		return;
	}
	if (er_path_parse(req->path, &p) == -1) {
		er_fail(&err, ER_E_BAD_PATH, req->path);
		fail_resp(resp, &err);
		return;
	}
	op.rt = p.rt;
	if (dispatch(&op, resp) == -1)
		fail_resp(resp, &err);
	json_decref(op.old);
	json_decref(op.doc);
	json_decref(op.parent);
	json_decref(op.result);
	json_decref(op.view);
}
