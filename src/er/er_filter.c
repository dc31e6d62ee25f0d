/*
 * Route filters (spec section 4): an allow-list of BGP service communities
 * with exactly one rule (access Allow, type Community), attached from the
 * Microsoft peering side. The Microsoft 365 gates: communities of Office
 * 365 services need the subscription to be authorised, and the circuit to
 * be Premium; the two messages users paste into search engines are
 * reproduced word for word. A filter can be deleted only when detached.
 *
 * Rules are stored as child resources (.../routeFilterRules/{rule}); a
 * filter PUT that carries "rules" replaces them, one without keeps them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const accesses[] = { "Allow", "Deny", NULL };
static const char *const rtypes_[] = { "Community", NULL };
static const struct er_field comm_elem = { "", FT_STR, 0, 1, 128, NULL,
    NULL, NULL };
static const struct er_field rule_props[] = {
	{ "access", FT_ENUM, ERF_REQ, 0, 0, accesses, NULL,
	  "only Allow is supported" },
	{ "routeFilterRuleType", FT_ENUM, ERF_REQ, 0, 0, rtypes_, NULL, NULL },
	{ "communities", FT_ARR, ERF_REQ, 0, 0, NULL, &comm_elem,
	  "community values such as 12076:5010" },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field rule_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, 0, 0, 64, NULL, NULL, "ignored; the filter's" },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, rule_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field inline_rule_fields[] = {
	{ "id", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "name", FT_STR, ERF_REQ, 1, 80, NULL, NULL, NULL },
	{ "type", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "etag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "location", FT_STR, 0, 0, 64, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, rule_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field inline_rule = { "", FT_OBJ, 0, 0, 0, NULL,
    inline_rule_fields, NULL };
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field filter_props[] = {
	{ "rules", FT_ARR, 0, 0, 0, NULL, &inline_rule,
	  "at most one rule; replaces the rules when given" },
	{ "peerings", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem,
	  "peerings the filter is attached to" },
	{ "ipv6Peerings", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field filter_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, 0, 0, 0, NULL, filter_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

/* Peerings (IPv4 attachment, or IPv6 when only that) using the filter. */
json_t *
er_filter_attached(struct er_ctx *ctx, const char *filter_id)
{
	char *k = er_strdup_lower(filter_id);
	json_t *a = er_by_idx(ctx, &er_rt_peering, k);

	free(k);
	return a;
}

static bool
comms_o365(struct er_ctx *ctx, json_t *comms)
{
	json_t *v;
	size_t i;

	json_array_foreach(comms, i, v)
		if (er_cat_community_o365(ctx->cat, json_string_value(v)))
			return true;
	return false;
}

bool
er_filter_has_o365(struct er_ctx *ctx, json_t *filter, const char **rule)
{
	json_t *rules = er_children(ctx, er_jstr(filter, "id"), &er_rt_rule);
	json_t *r;
	size_t i;
	bool yes = false;

	*rule = NULL;
	json_array_foreach(rules, i, r)
		if (comms_o365(ctx, er_jget(r, "properties.communities")))
			yes = true;
	json_decref(rules);
	return yes;
}

int
er_filter_attach_check(struct er_ctx *ctx, json_t *filter, json_t *circuit,
    const char *sub, struct er_err *err)
{
	const char *rule;

	if (!er_filter_has_o365(ctx, filter, &rule))
		return 0;
	if (!er_sub_o365(ctx, sub))
		return er_fail(err, ER_E_RF_O365_UNAUTH, sub);
	if (!er_circuit_is_premium(circuit))
		return er_fail(err, ER_E_RF_O365_PREMIUM_ATTACH,
		    er_jstr(circuit, "name"));
	return 0;
}

static bool
community_syntax(const char *s)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long a, b;

	if (colon == NULL || colon == s || strchr(colon + 1, ':') != NULL)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ':')
			return false;
	a = strtoul(s, &end, 10);
	if (end != colon || a > 65535)
		return false;
	b = strtoul(colon + 1, &end, 10);
	return *end == '\0' && end != colon + 1 && b <= 65535;
}

/* The checks one rule gets, inline or as a child resource. */
static int
rule_check(struct er_ctx *ctx, json_t *filter_doc, const char *sub,
    const char *rule_id, const char *rule_name, json_t *props,
    struct er_err *err)
{
	json_t *comms = json_object_get(props, "communities"), *v, *att, *p;
	json_t *c;
	const char *s;
	char cid[ER_ID_MAX], *slash;
	size_t i;
	int rc = 0;

	if (!er_streq(er_jstr(props, "access"), "Allow"))
		return er_fail(err, ER_E_RF_ACCESS, er_jstr(props, "access"));
	if (json_array_size(comms) == 0)
		return er_fail(err, ER_E_RF_EMPTY, rule_name);
	json_array_foreach(comms, i, v) {
		s = json_string_value(v);
		if (!community_syntax(s))
			return er_fail(err, ER_E_RF_COMMUNITY_COLON, s,
			    rule_id);
		if (er_cat_community(ctx->cat, s) == NULL)
			return er_fail(err, ER_E_RF_COMMUNITY_UNKNOWN, s,
			    rule_name);
	}
	if (!comms_o365(ctx, comms))
		return 0;
	if (!er_sub_o365(ctx, sub))
		return er_fail(err, ER_E_RF_O365_UNAUTH, sub);
	att = er_filter_attached(ctx, er_jstr(filter_doc, "id"));
	json_array_foreach(att, i, p) {
		snprintf(cid, sizeof(cid), "%s", er_jstr(p, "id"));
		if ((slash = strstr(cid, "/peerings/")) != NULL)
			*slash = '\0';
		c = er_get(ctx, cid);
		if (c != NULL && !er_circuit_is_premium(c))
			rc = er_fail(err, ER_E_RF_O365_PREMIUM_RULE, rule_name,
			    er_jstr(c, "name"));
		json_decref(c);
		if (rc == -1)
			break;
	}
	json_decref(att);
	return rc;
}

static int
rule_put(struct er_op *op)
{
	json_t *rules = er_children(op->ctx, op->p->parent_id, &er_rt_rule);
	json_t *r;
	size_t i;
	int rc = 0;

	json_array_foreach(rules, i, r)
		if (!er_streq(er_jstr(r, "name"), op->p->cname)) {
			rc = er_fail(op->err, ER_E_RF_RULE_LIMIT, op->p->name,
			    er_jstr(r, "name"));
			break;
		}
	json_decref(rules);
	if (rc == -1)
		return -1;
	return rule_check(op->ctx, op->parent, op->p->sub,
	    er_jstr(op->doc, "id"), op->p->cname,
	    json_object_get(op->doc, "properties"), op->err);
}

const struct er_rtype er_rt_rule = {
	.seg = "routeFilterRules",
	.type = "Microsoft.Network/routeFilters/routeFilterRules",
	.parent = &er_rt_filter,
	.schema = rule_schema,
	.flags = RT_LRO,
	.put = rule_put,
};

/* Inline rules of a filter PUT become the filter's child rules. */
static int
filter_rules(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties");
	json_t *rules = json_object_get(pr, "rules"), *r, *old, *o, *doc;
	const char *fid = er_jstr(op->doc, "id"), *name;
	char rid[ER_ID_MAX], etag[40];
	size_t i;

	if (rules == NULL)
		return 0;
	if (json_array_size(rules) > 1)
		return er_fail(op->err, ER_E_RF_RULE_LIMIT, op->p->name,
		    er_jstr(json_array_get(rules, 0), "name"));
	json_array_foreach(rules, i, r) {
		name = er_jstr(r, "name");
		snprintf(rid, sizeof(rid), "%s/routeFilterRules/%s", fid, name);
		if (!er_name_valid(name))
			return er_fail(op->err, ER_E_NAME_INVALID, name);
		if (rule_check(op->ctx, op->doc, op->p->sub, rid, name,
		    json_object_get(r, "properties"), op->err) == -1)
			return -1;
	}
	/* the filter must exist before its children (foreign key) */
	if (er_save(op->ctx, op->rt, op->doc, op->err) == -1)
		return -1;
	old = er_children(op->ctx, fid, &er_rt_rule);
	json_array_foreach(old, i, o)
		if (json_array_size(rules) == 0 || !er_streq(er_jstr(o, "name"),
		    er_jstr(json_array_get(rules, 0), "name")))
			er_remove(op->ctx, er_jstr(o, "id"), op->err);
	json_decref(old);
	json_array_foreach(rules, i, r) {
		name = er_jstr(r, "name");
		snprintf(rid, sizeof(rid), "%s/routeFilterRules/%s", fid, name);
		er_etag(etag);
		doc = json_pack("{s:s,s:s,s:s,s:s,s:O,s:O}", "id", rid, "name",
		    name, "type", er_rt_rule.type, "etag", etag, "location",
		    json_object_get(op->doc, "location"), "properties",
		    json_object_get(r, "properties"));
		json_object_set_new(json_object_get(doc, "properties"),
		    "provisioningState", json_string("Succeeded"));
		if (er_save(op->ctx, &er_rt_rule, doc, op->err) == -1) {
			json_decref(doc);
			return -1;
		}
		json_decref(doc);
	}
	json_object_del(pr, "rules");
	return 0;
}

static int
filter_put(struct er_op *op)
{
	return filter_rules(op);
}

static int
filter_del(struct er_op *op)
{
	json_t *att = er_filter_attached(op->ctx, er_jstr(op->old, "id"));
	char list[1024];
	json_t *ids = json_array(), *p;
	size_t i;
	int rc = 0;

	json_array_foreach(att, i, p)
		json_array_append_new(ids, json_string(er_jstr(p, "id")));
	if (json_array_size(ids) > 0) {
		er_join(ids, list, sizeof(list));
		rc = er_fail(op->err, ER_E_RF_IN_USE, er_jstr(op->old, "name"),
		    list);
	}
	json_decref(ids);
	json_decref(att);
	return rc;
}

static void
filter_render(struct er_ctx *ctx, json_t *doc)
{
	json_t *pr = json_object_get(doc, "properties"), *kids, *k, *out;
	json_t *att, *v4 = json_array(), *v6 = json_array();
	size_t i;

	kids = er_children(ctx, er_jstr(doc, "id"), &er_rt_rule);
	out = json_array();
	json_array_foreach(kids, i, k)
		json_array_append_new(out, er_render(ctx, &er_rt_rule, k));
	json_decref(kids);
	json_object_set_new(pr, "rules", out);
	att = er_filter_attached(ctx, er_jstr(doc, "id"));
	json_array_foreach(att, i, k) {
		if (er_streq(er_jstr(k, "properties.routeFilter.id"),
		    er_jstr(doc, "id")))
			json_array_append_new(v4, json_pack("{s:s}", "id",
			    er_jstr(k, "id")));
		if (er_streq(er_jstr(k, "properties.ipv6PeeringConfig."
		    "routeFilter.id"), er_jstr(doc, "id")))
			json_array_append_new(v6, json_pack("{s:s}", "id",
			    er_jstr(k, "id")));
	}
	json_decref(att);
	json_object_set_new(pr, "peerings", v4);
	json_object_set_new(pr, "ipv6Peerings", v6);
}

const struct er_rtype er_rt_filter = {
	.seg = "routeFilters",
	.type = "Microsoft.Network/routeFilters",
	.schema = filter_schema,
	.flags = RT_LOCATION | RT_LRO,
	.put = filter_put,
	.del = filter_del,
	.render = filter_render,
};
