/*
 * The resource model's view of the store: JSON documents in, JSON
 * documents out, with the indexed columns (parent, subscription, unique
 * key, secondary index) derived from the document and its type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

json_t *
er_get(struct er_ctx *ctx, const char *id)
{
	struct store_rec r;
	json_t *doc;

	if (id == NULL || store_get(ctx->st, id, &r) != STORE_OK)
		return NULL;
	doc = json_loads(r.doc, 0, NULL);
	store_rec_free(&r);
	return doc;
}

int
er_save(struct er_ctx *ctx, const struct er_rtype *rt, json_t *doc,
    struct er_err *err)
{
	struct store_rec r;
	struct er_path p;
	char parent[ER_ID_MAX];
	const char *id = er_jstr(doc, "id");
	int rc;

	memset(&r, 0, sizeof(r));
	if (id == NULL)
		return er_fail(err, ER_E_STORE, "document without id");
	r.id = (char *)id;
	r.type = (char *)rt->type;
	if (er_id_parent(rt, id, parent, sizeof(parent)) == 0 &&
	    parent[0] != '\0')
		r.parent = parent;
	if (er_path_parse(id, &p) == 0 && p.sub[0] != '\0')
		r.sub = p.sub;
	r.ukey = rt->ukey ? (char *)rt->ukey(doc) : NULL;
	r.idx = rt->idx ? rt->idx(doc) : NULL;
	r.doc = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (r.doc == NULL) {
		free(r.idx);
		return er_fail(err, ER_E_STORE, "cannot encode document");
	}
	rc = store_put(ctx->st, &r);
	free(r.doc);
	free(r.idx);
	if (rc != STORE_OK)
		return er_fail(err, ER_E_STORE, ctx->st->errmsg);
	return 0;
}

int
er_remove(struct er_ctx *ctx, const char *id, struct er_err *err)
{
	int rc = store_del(ctx->st, id);

	if (rc == STORE_OK || rc == STORE_NOTFOUND)
		return 0;
	return er_fail(err, ER_E_STORE, ctx->st->errmsg);
}

static int
collect(const struct store_rec *r, void *arg)
{
	json_t *doc = json_loads(r->doc, 0, NULL);

	if (doc != NULL)
		json_array_append_new((json_t *)arg, doc);
	return 0;
}

json_t *
er_children(struct er_ctx *ctx, const char *parent, const struct er_rtype *rt)
{
	json_t *a = json_array();

	store_list_children(ctx->st, parent, rt ? rt->type : NULL, collect, a);
	return a;
}

json_t *
er_by_type(struct er_ctx *ctx, const struct er_rtype *rt, const char *sub)
{
	json_t *a = json_array();

	store_list_type(ctx->st, rt->type, sub, collect, a);
	return a;
}

json_t *
er_by_ukey(struct er_ctx *ctx, const struct er_rtype *rt, const char *k)
{
	struct store_rec r;
	json_t *doc;

	if (k == NULL || store_find_ukey(ctx->st, rt->type, k, &r) != STORE_OK)
		return NULL;
	doc = json_loads(r.doc, 0, NULL);
	store_rec_free(&r);
	return doc;
}

json_t *
er_by_idx(struct er_ctx *ctx, const struct er_rtype *rt, const char *k)
{
	json_t *a = json_array();

	store_list_idx(ctx->st, rt->type, k, collect, a);
	return a;
}

/* A reference from a request body: the referenced resource must exist,
 * be of the expected type and be visible to the caller (a tenant sees
 * only its subscription, so another tenant's resource looks absent). */
json_t *
er_ref(struct er_ctx *ctx, const char *id, const struct er_rtype *rt)
{
	struct er_path p;
	json_t *doc;

	if (id == NULL || er_id_parse(id, &p) == -1 || p.rt != rt)
		return NULL;
	if (ctx->who.role != ER_ROLE_ADMIN && !er_streq(p.sub, ctx->who.sub))
		return NULL;
	if ((doc = er_get(ctx, id)) == NULL)
		return NULL;
	return doc;
}

json_t *
er_render(struct er_ctx *ctx, const struct er_rtype *rt, json_t *doc)
{
	json_t *out = json_deep_copy(doc);

	if (out == NULL)
		return NULL;
	if (rt->schema != NULL)
		er_schema_strip_wo(rt->schema, out);
	if (rt->render != NULL)
		rt->render(ctx, out);
	return out;
}

json_t *
er_ref_check(struct er_op *op, const char *id, const struct er_rtype *rt,
    const char *path)
{
	struct er_path p;
	json_t *d;

	if (id == NULL || er_id_parse(id, &p) == -1) {
		er_fail(op->err, ER_E_LINKED_ID_INVALID, id ? id : "", path);
		return NULL;
	}
	if ((d = er_ref(op->ctx, id, rt)) == NULL)
		er_fail(op->err, ER_E_REF_INVALID, id, op->p->id);
	return d;
}
