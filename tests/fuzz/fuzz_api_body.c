/*
 * libFuzzer target for HTTP request bodies as the API sees them: the body
 * bytes are parsed the way src/api/api_http.c parses them (jansson, strict:
 * duplicate keys rejected) and handed to er_handle() as a PUT (or PATCH) on
 * one resource, so the schema check, the per-type validation rules in
 * src/er/ and their store lookups all run on fuzz input.
 *
 * The store is a real SQLite store in memory, set up once with a tenant
 * subscription holding a provisioned circuit with a private peering and an
 * authorization, a route filter with its rule, a virtual network with a
 * GatewaySubnet and an ExpressRoute gateway. Each input runs in its own
 * transaction that is rolled back, so every input sees the same state and
 * a run costs one request.
 *
 * Input: the first byte selects the target (method and path, table
 * below), the rest is the body. Invariants checked: the answer has a
 * status the API can send; an error carries an ARM error body with a code
 * and a non-empty message; a successful PUT creates a resource that a GET
 * in the same transaction returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"
#include "lib/log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SUB	"00000000-0000-0000-0000-0000000000f1"
#define PSUB	"00000000-0000-0000-0000-0000000000f2"
#define RGP	"/subscriptions/" SUB "/resourceGroups/rg/providers/" \
		"Microsoft.Network"
#define CKT	RGP "/expressRouteCircuits/"
#define VN	RGP "/virtualNetworks/hub"
#define GW	RGP "/virtualNetworkGateways/g1"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

static struct store *st;
static struct er_cat cat;
static struct er_config cfg = { 0, 0, ER_API_VERSION, 0 };
static int64_t clock_ms = 1700000000000LL;
static char xconn[512];
static bool verbose;		/* XR_FUZZ_VERBOSE: print each answer */		/* the provider's view of circuit c1 */

static const struct target {
	const char	*method;
	const char	*path;		/* NULL: the cross-connection */
	enum er_role	 role;
} targets[] = {
	{ "PUT", CKT "c1", ER_ROLE_TENANT },
	{ "PUT", CKT "cn", ER_ROLE_TENANT },
	{ "PUT", CKT "c1/peerings/AzurePrivatePeering", ER_ROLE_TENANT },
	{ "PUT", CKT "c1/peerings/MicrosoftPeering", ER_ROLE_TENANT },
	{ "PUT", CKT "c1/authorizations/an", ER_ROLE_TENANT },
	{ "PUT", RGP "/routeFilters/rf1", ER_ROLE_TENANT },
	{ "PUT", RGP "/routeFilters/rf1/routeFilterRules/AcceptedRoutes",
	    ER_ROLE_TENANT },
	{ "PUT", RGP "/routeFilters/rfn", ER_ROLE_TENANT },
	{ "PUT", RGP "/connections/cx", ER_ROLE_TENANT },
	{ "PUT", RGP "/virtualNetworks/vn", ER_ROLE_TENANT },
	{ "PUT", VN, ER_ROLE_TENANT },
	{ "PUT", RGP "/virtualNetworkGateways/gn", ER_ROLE_TENANT },
	{ "PATCH", CKT "c1", ER_ROLE_TENANT },
	{ "PUT", NULL, ER_ROLE_PROVIDER },
};
#define NTARGETS	(sizeof(targets) / sizeof(targets[0]))

/* One request in the current transaction; the response stays in *r. */
static int
req(enum er_role role, const char *m, const char *path, json_t *body,
    struct er_resp *r)
{
	struct er_ctx ctx = { .st = st, .cat = &cat, .cfg = &cfg };
	struct er_req q = { .method = m, .path = path,
	    .api_version = ER_API_VERSION, .body = body };

	ctx.who.role = role;
	snprintf(ctx.who.sub, sizeof(ctx.who.sub), "%s",
	    role == ER_ROLE_PROVIDER ? PSUB : role == ER_ROLE_TENANT ? SUB : "");
	snprintf(ctx.who.provider, sizeof(ctx.who.provider), "Equinix");
	ctx.now_ms = clock_ms;
	memset(r, 0, sizeof(*r));
	er_handle(&ctx, &q, r);
	return r->status;
}

/* Setup: one committed request that must succeed. */
static void
must(enum er_role role, const char *m, const char *path, const char *body)
{
	struct er_ctx ctx = { .st = st, .cat = &cat, .cfg = &cfg };
	struct er_resp r;
	json_t *b = body ? json_loads(body, 0, NULL) : NULL;
	int64_t next;

	CHECK(body == NULL || b != NULL);
	CHECK(store_begin(st) == STORE_OK);
	if (req(role, m, path, b, &r) >= 300) {
		fprintf(stderr, "setup %s %s: %d %s\n", m, path, r.status,
		    er_jstr(r.body, "error.message") ?: "");
		abort();
	}
	CHECK(store_commit(st) == STORE_OK);
	if (strstr(path, "/expressRouteCircuits/c1") != NULL &&
	    strchr(path + strlen(CKT), '/') == NULL)
		snprintf(xconn, sizeof(xconn), "/subscriptions/" PSUB
		    "/resourceGroups/x/providers/Microsoft.Network/"
		    "expressRouteCrossConnections/%s",
		    er_jstr(r.body, "properties.serviceKey") ?: "none");
	er_resp_clear(&r);
	json_decref(b);
	clock_ms += 1000;
	ctx.now_ms = clock_ms;
	CHECK(store_begin(st) == STORE_OK);
	er_ops_complete(&ctx, &next);
	CHECK(store_commit(st) == STORE_OK);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *data = getenv("XR_DATADIR") ?: "data";
	char err[256];

	verbose = getenv("XR_FUZZ_VERBOSE") != NULL;
	log_init("fuzz_api_body", true, LOG_LVL_ERR);
	if (store_open_sqlite(":memory:", &st) != STORE_OK ||
	    er_cat_load(&cat, data, err, sizeof(err)) == -1 ||
	    er_cat_seed(st, &cat) == -1) {
		fprintf(stderr, "fuzz_api_body: setup failed (run from the "
		    "repository root or set XR_DATADIR)\n");
		exit(1);
	}
	must(ER_ROLE_ADMIN, "PUT", "/subscriptions/" SUB,
	    "{\"properties\":{\"office365Authorized\":true}}");
	must(ER_ROLE_ADMIN, "PUT", "/subscriptions/" PSUB, "{\"properties\":{}}");
	must(ER_ROLE_TENANT, "PUT", "/subscriptions/" SUB "/resourceGroups/rg",
	    "{\"location\":\"westus\"}");
	must(ER_ROLE_TENANT, "PUT", CKT "c1", "{\"location\":\"westus\","
	    "\"sku\":{\"tier\":\"Premium\",\"family\":\"MeteredData\"},"
	    "\"properties\":{\"serviceProviderProperties\":{"
	    "\"serviceProviderName\":\"Equinix\",\"peeringLocation\":"
	    "\"Silicon Valley\",\"bandwidthInMbps\":200}}}");
	must(ER_ROLE_PROVIDER, "PUT", xconn, "{\"properties\":{"
	    "\"serviceProviderProvisioningState\":\"Provisioned\"}}");
	must(ER_ROLE_TENANT, "PUT", CKT "c1/peerings/AzurePrivatePeering",
	    "{\"properties\":{\"peerASN\":65001,\"primaryPeerAddressPrefix\":"
	    "\"10.0.0.0/30\",\"secondaryPeerAddressPrefix\":\"10.0.0.4/30\","
	    "\"vlanId\":10}}");
	must(ER_ROLE_TENANT, "PUT", CKT "c1/authorizations/a1", "{}");
	must(ER_ROLE_TENANT, "PUT", RGP "/routeFilters/rf1",
	    "{\"location\":\"westus\"}");
	must(ER_ROLE_TENANT, "PUT", RGP "/routeFilters/rf1/routeFilterRules/"
	    "AcceptedRoutes", "{\"properties\":{\"access\":\"Allow\","
	    "\"routeFilterRuleType\":\"Community\",\"communities\":"
	    "[\"12076:51004\"]}}");
	must(ER_ROLE_TENANT, "PUT", VN, "{\"location\":\"westus\","
	    "\"properties\":{\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.10.0.0/16\"]},\"subnets\":[{\"name\":\"GatewaySubnet\","
	    "\"properties\":{\"addressPrefix\":\"10.10.255.0/27\"}}]}}");
	must(ER_ROLE_TENANT, "PUT", GW, "{\"location\":\"westus\","
	    "\"properties\":{\"gatewayType\":\"ExpressRoute\",\"sku\":{"
	    "\"name\":\"Standard\"},\"ipConfigurations\":[{\"name\":\"ipc\","
	    "\"properties\":{\"subnet\":{\"id\":\"" VN
	    "/subnets/GatewaySubnet\"}}}]}}");
	return 0;
}

static void
check_resp(const struct target *t, const char *path, const struct er_resp *r)
{
	struct er_resp g;
	const char *code, *msg;

	CHECK(r->status >= 200 && r->status <= 599);
	if (r->status >= 400) {
		code = er_jstr(r->body, "error.code");
		msg = er_jstr(r->body, "error.message");
		CHECK(code != NULL && code[0] != '\0');
		CHECK(msg != NULL && msg[0] != '\0');
		return;
	}
	CHECK(r->body != NULL && json_is_object(r->body));
	if (strcmp(t->method, "PUT") == 0) {
		CHECK(r->status == 200 || r->status == 201);
		CHECK(req(t->role, "GET", path, NULL, &g) == 200);
		er_resp_clear(&g);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct target *t;
	struct er_resp r;
	json_t *body;
	const char *path;

	if (size < 1 || size - 1 > ER_MAX_BODY)
		return 0;
	t = &targets[data[0] % NTARGETS];
	path = t->path ? t->path : xconn;
	/* as api_http.c: an unparsable body never reaches er_handle */
	body = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES, NULL);
	if (size > 1 && body == NULL)
		return 0;
	CHECK(store_begin(st) == STORE_OK);
	req(t->role, t->method, path, body, &r);
	if (verbose)
		fprintf(stderr, "%s %s: %d %s\n", t->method, path, r.status,
		    er_jstr(r.body, "error.message") ?: "");
	check_resp(t, path, &r);
	store_rollback(st);
	er_resp_clear(&r);
	json_decref(body);
	return 0;
}
