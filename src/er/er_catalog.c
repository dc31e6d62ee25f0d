/*
 * The catalogue: peering locations (with their geopolitical region, Metro
 * pair and local regions), Azure regions, BGP service communities and the
 * seed list of service providers, read from data/catalogue.json and
 * data/bgp-service-communities.json. Providers live in the store once
 * seeded, so an admin can change them at run time
 * (/providers/Microsoft.Network/expressRouteServiceProviders/{name}).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

static void
norm_region(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in != '\0' && n + 1 < len; in++)
		if (!isspace((unsigned char)*in))
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

static json_t *
load(const char *dir, const char *file, char *err, size_t errlen)
{
	char path[1024];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL)
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
	return j;
}

int
er_cat_load(struct er_cat *cat, const char *dir, char *err, size_t errlen)
{
	json_t *c, *s, *v, *bc, *e;
	size_t i, j;
	char key[64];

	memset(cat, 0, sizeof(*cat));
	if ((c = load(dir, "catalogue.json", err, errlen)) == NULL)
		return -1;
	if ((s = load(dir, "bgp-service-communities.json", err, errlen)) ==
	    NULL) {
		json_decref(c);
		return -1;
	}
	cat->locations = json_object();
	cat->regions = json_object();
	cat->communities = json_object();
	json_array_foreach(json_object_get(c, "peeringLocations"), i, v)
		json_object_set(cat->locations, er_jstr(v, "name"), v);
	json_array_foreach(json_object_get(c, "regions"), i, v) {
		norm_region(er_jstr(v, "name"), key, sizeof(key));
		json_object_set(cat->regions, key, v);
	}
	cat->providers = json_incref(json_object_get(c, "providers"));
	cat->services = json_incref(json_object_get(s, "services"));
	json_array_foreach(cat->services, i, v) {
		bc = json_object_get(v, "bgpCommunities");
		json_array_foreach(bc, j, e)
			json_object_set_new(cat->communities,
			    er_jstr(e, "communityValue"), json_pack("{s:s,s:b}",
			    "service", er_jstr(v, "serviceName"), "office365",
			    er_jbool(v, "office365", false)));
	}
	json_decref(c);
	json_decref(s);
	if (json_object_size(cat->regions) == 0 || cat->providers == NULL ||
	    cat->services == NULL) {
		snprintf(err, errlen, "%s: catalogue has no regions, providers "
		    "or services", dir);
		er_cat_free(cat);
		return -1;
	}
	return 0;
}

void
er_cat_free(struct er_cat *cat)
{
	json_decref(cat->locations);
	json_decref(cat->regions);
	json_decref(cat->services);
	json_decref(cat->providers);
	json_decref(cat->communities);
	memset(cat, 0, sizeof(*cat));
}

static json_t *
provider_doc(json_t *seed)
{
	char id[ER_ID_MAX], etag[40];
	const char *name = er_jstr(seed, "name");

	snprintf(id, sizeof(id), "/providers/Microsoft.Network/"
	    "expressRouteServiceProviders/%s", name);
	er_etag(etag);
	return json_pack("{s:s,s:s,s:s,s:s,s:{s:O,s:O,s:s}}", "id", id,
	    "name", name, "type", er_rt_provider.type, "etag", etag,
	    "properties", "peeringLocations", json_object_get(seed,
	    "peeringLocations"), "bandwidthsOffered", json_object_get(seed,
	    "bandwidthsOffered"), "provisioningState", "Succeeded");
}

int
er_cat_seed(struct store *st, const struct er_cat *cat)
{
	struct er_ctx ctx = { .st = st, .cat = cat };
	struct er_err err;
	json_t *have, *v, *doc;
	size_t i;
	int rc = 0;

	if (store_begin(st) != STORE_OK)
		return -1;
	have = er_by_type(&ctx, &er_rt_provider, NULL);
	if (json_array_size(have) == 0) {
		json_array_foreach(cat->providers, i, v) {
			doc = provider_doc(v);
			if (er_save(&ctx, &er_rt_provider, doc, &err) == -1)
				rc = -1;
			json_decref(doc);
		}
	}
	json_decref(have);
	if (rc == -1) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st) == STORE_OK ? 0 : -1;
}

json_t *
er_cat_provider(struct er_ctx *ctx, const char *name)
{
	char id[ER_ID_MAX];

	snprintf(id, sizeof(id), "/providers/Microsoft.Network/"
	    "expressRouteServiceProviders/%s", name);
	return er_get(ctx, id);
}

const char *
er_cat_geo_of_location(const struct er_cat *cat, const char *ploc)
{
	json_t *l = json_object_get(cat->locations, ploc);

	return l ? er_jstr(l, "geo") : NULL;
}

const char *
er_cat_geo_of_region(const struct er_cat *cat, const char *region)
{
	char key[64];

	norm_region(region, key, sizeof(key));
	return er_jstr(json_object_get(cat->regions, key), "geo");
}

bool
er_cat_region_local(const struct er_cat *cat, const char *ploc,
    const char *region)
{
	json_t *lr = er_jget(json_object_get(cat->locations, ploc),
	    "localRegions"), *v;
	size_t i;

	json_array_foreach(lr, i, v)
		if (er_streq(json_string_value(v), region))
			return true;
	return false;
}

const char *
er_cat_region_norm(const struct er_cat *cat, const char *in)
{
	char key[64];
	void *it;

	norm_region(in, key, sizeof(key));
	if ((it = json_object_iter_at(cat->regions, key)) == NULL)
		return NULL;
	return json_object_iter_key(it);
}

void
er_cat_region_list(const struct er_cat *cat, char *out, size_t len)
{
	er_join(cat->regions, out, len);
}

json_t *
er_cat_community(const struct er_cat *cat, const char *value)
{
	return json_object_get(cat->communities, value);
}

bool
er_cat_community_o365(const struct er_cat *cat, const char *value)
{
	return er_jbool(er_cat_community(cat, value), "office365", false);
}

bool
er_sub_o365(struct er_ctx *ctx, const char *sub)
{
	char id[ER_ID_MAX];
	json_t *d;
	bool ok;

	er_id_sub(id, sizeof(id), sub);
	d = er_get(ctx, id);
	ok = er_jbool(d, "properties.office365Authorized", false);
	json_decref(d);
	return ok;
}

/* GET /subscriptions/{s}/providers/Microsoft.Network/bgpServiceCommunities:
 * isAuthorizedToUse shows the Microsoft 365 gate for this subscription. */
int
er_communities_get(struct er_op *op, struct er_resp *resp)
{
	struct er_ctx *ctx = op->ctx;
	bool o365 = er_sub_o365(ctx, op->p->sub);
	json_t *out = json_array(), *v, *bc, *e, *c;
	size_t i, j;
	char id[ER_ID_MAX];

	if (strcmp(op->req->method, "GET") != 0)
		return er_fail(op->err, ER_E_METHOD, op->req->method);
	json_array_foreach(ctx->cat->services, i, v) {
		bc = json_array();
		json_array_foreach(json_object_get(v, "bgpCommunities"), j, e) {
			c = json_deep_copy(e);
			json_object_set_new(c, "isAuthorizedToUse",
			    json_boolean(!er_jbool(v, "office365", false) ||
			    o365));
			json_array_append_new(bc, c);
		}
		snprintf(id, sizeof(id), "/subscriptions/%s/providers/"
		    "Microsoft.Network/bgpServiceCommunities/%s", op->p->sub,
		    er_jstr(v, "name"));
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:{s:s,s:o}}",
		    "id", id, "name", er_jstr(v, "name"), "type",
		    "Microsoft.Network/bgpServiceCommunities", "properties",
		    "serviceName", er_jstr(v, "serviceName"), "bgpCommunities",
		    bc));
	}
	resp->status = 200;
	resp->body = json_pack("{s:o}", "value", out);
	return 0;
}
