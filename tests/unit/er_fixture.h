/*
 * The resource-model fixture of the er unit tests: a real SQLite store
 * with the catalogue seeded, two subscriptions and a resource group, and
 * er_handle() called as the API role would (one transaction per request,
 * due long-running operations completed after each). Include once per
 * test program.
 */
#ifndef XR_TESTS_ER_FIXTURE_H
#define XR_TESTS_ER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "er/er_int.h"

#define SUB	"00000000-0000-0000-0000-0000000000a1"
#define SUB2	"00000000-0000-0000-0000-0000000000a2"
#define RGP	"/subscriptions/" SUB "/resourceGroups/rg/providers/" \
		"Microsoft.Network"
#define CKT	RGP "/expressRouteCircuits/"

static struct store *st;
static struct er_cat cat;
static struct er_config cfg = { 0, 0, "2025-07-01", 0 };
static struct er_resp R;
static char dbpath[64];
static int64_t clock_ms = 1700000000000LL;

static inline int
call_as(enum er_role role, const char *sub, const char *m, const char *path,
    const char *body)
{
	struct er_ctx ctx = { .st = st, .cat = &cat, .cfg = &cfg };
	struct er_req req = { .method = m, .path = path,
	    .api_version = "2025-07-01" };
	int64_t next;

	ctx.who.role = role;
	snprintf(ctx.who.sub, sizeof(ctx.who.sub), "%s", sub ? sub : "");
	snprintf(ctx.who.provider, sizeof(ctx.who.provider), "Equinix");
	ctx.now_ms = clock_ms++;
	er_resp_clear(&R);
	if (body != NULL)
		req.body = json_loads(body, 0, NULL);
	store_begin(st);
	er_handle(&ctx, &req, &R);
	if (R.status < 400 && R.write)
		store_commit(st);
	else
		store_rollback(st);
	json_decref(req.body);
	/* complete due long-running operations, as the API worker does */
	store_begin(st);
	er_ops_complete(&ctx, &next);
	store_commit(st);
	return R.status;
}

static inline int
call(const char *m, const char *path, const char *body)
{
	return call_as(ER_ROLE_TENANT, SUB, m, path, body);
}

static inline int
admin(const char *m, const char *path, const char *body)
{
	return call_as(ER_ROLE_ADMIN, NULL, m, path, body);
}

static inline const char *
msg(void)
{
	const char *s = er_jstr(R.body, "error.message");

	return s ? s : "(no error)";
}

static inline const char *
skey(const char *circuit)
{
	static char k[64];
	char p[256];

	snprintf(p, sizeof(p), CKT "%s", circuit);
	call("GET", p, NULL);
	snprintf(k, sizeof(k), "%s", er_jstr(R.body,
	    "properties.serviceKey") ?: "");
	return k;
}

static inline void
circuit(const char *name, const char *tier, const char *loc, int bw)
{
	char p[256], b[512];

	snprintf(p, sizeof(p), CKT "%s", name);
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"sku\":{\"tier\":"
	    "\"%s\",\"family\":\"MeteredData\"},\"properties\":{"
	    "\"serviceProviderProperties\":{\"serviceProviderName\":"
	    "\"Equinix\",\"peeringLocation\":\"%s\",\"bandwidthInMbps\":%d}}}",
	    tier, loc, bw);
	T_EQ(call("PUT", p, b), 201);
}

static inline void
provision(const char *name, const char *state)
{
	char p[512], b[128];

	snprintf(p, sizeof(p), "/subscriptions/" SUB2 "/resourceGroups/x/"
	    "providers/Microsoft.Network/expressRouteCrossConnections/%s",
	    skey(name));
	snprintf(b, sizeof(b), "{\"properties\":{"
	    "\"serviceProviderProvisioningState\":\"%s\"}}", state);
	T_EQ(call_as(ER_ROLE_PROVIDER, SUB2, "PUT", p, b), 200);
}

static inline int
peering(const char *c, const char *type, const char *props)
{
	char p[256], b[2048];

	snprintf(p, sizeof(p), CKT "%s/peerings/%s", c, type);
	snprintf(b, sizeof(b), "{\"properties\":{%s}}", props);
	return call("PUT", p, b);
}

static inline void
setup(void)
{
	char err[256];

	snprintf(dbpath, sizeof(dbpath), "/tmp/xr-test-er-%d.db", getpid());
	T_EQ(store_open_sqlite(dbpath, &st), STORE_OK);
	T_EQ(er_cat_load(&cat, "data", err, sizeof(err)), 0);
	T_EQ(er_cat_seed(st, &cat), 0);
	T_EQ(admin("PUT", "/subscriptions/" SUB, "{\"properties\":{}}"), 201);
	T_EQ(admin("PUT", "/subscriptions/" SUB2,
	    "{\"properties\":{\"office365Authorized\":true}}"), 201);
	T_EQ(call("PUT", "/subscriptions/" SUB "/resourceGroups/rg",
	    "{\"location\":\"westus\"}"), 201);
}

static inline void
teardown(void)
{
	char p[80];

	er_resp_clear(&R);
	store_close(st);
	er_cat_free(&cat);
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

#endif
