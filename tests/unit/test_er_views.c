/*
 * Unit tests for the live views' exchange through the store
 * (src/er/er_views.c, er_conntest.c): the POST leaves one request per
 * device path and a pending operation; this test plays the edge (answers
 * the request records as rc_views.c does); the operation then completes
 * with the answer, or fails with the "no edge answered" error after the
 * timeout. Also the connectivity test's lines and verdicts and GET stats
 * summing what the edges published.
 */
#include "er_fixture.h"
#include "lib/log.h"

#define PP	CKT "v1/peerings/AzurePrivatePeering"

static char loc[768];

static int
pending_cb(const struct store_rec *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s}", "id", r->id,
	    "parent", r->parent, "doc", r->doc));
	return 0;
}

/* Be the edge of 'path': answer every pending request with fn(kind). */
static int
edge(const char *path, json_t *(*fn)(const char *kind))
{
	json_t *reqs = json_array(), *q, *doc;
	struct store_rec r;
	size_t i;
	int n = 0;

	store_list_idx(st, ER_VIEW_REQ_TYPE, path, pending_cb, reqs);
	store_begin(st);
	json_array_foreach(reqs, i, q) {
		doc = json_loads(er_jstr(q, "doc"), 0, NULL);
		json_object_set_new(doc, "answer", fn(er_jstr(doc, "kind")));
		memset(&r, 0, sizeof(r));
		r.id = (char *)er_jstr(q, "id");
		r.parent = (char *)er_jstr(q, "parent");
		r.type = (char *)ER_VIEW_REQ_TYPE;
		r.doc = json_dumps(doc, JSON_COMPACT);
		T_EQ(store_put(st, &r), STORE_OK);
		free(r.doc);
		json_decref(doc);
		n++;
	}
	store_commit(st);
	json_decref(reqs);
	return n;
}

static int
count_cb(const struct store_rec *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
count_type(const char *type)
{
	int n = 0;

	store_list_type(st, type, NULL, count_cb, &n);
	return n;
}

/* The operationResults path of the last 202. */
static void
keep_location(void)
{
	snprintf(loc, sizeof(loc), "%s", R.location);
}

static json_t *
arp_answer(const char *kind)
{
	T_STREQ(kind, "arpTable");
	return json_pack("[{s:i,s:s,s:s,s:s}]", "age", 3, "interface",
	    "On-Prem", "ipAddress", "172.16.0.1", "macAddress",
	    "0a1b.2c3d.4e5f");
}

static void
test_list_answered(void)
{
	circuit("v1", "Standard", "Silicon Valley", 200);
	provision("v1", "Provisioned");
	T_EQ(peering("v1", "AzurePrivatePeering", "\"peerASN\":65010,"
	    "\"primaryPeerAddressPrefix\":\"172.16.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"172.16.0.4/30\","
	    "\"vlanId\":200"), 201);
	T_EQ(call("POST", PP "/arpTables/primary", NULL), 202);
	keep_location();
	T_CHECK(strstr(loc, "/operationResults/") != NULL);
	T_CHECK(R.async_op[0] != '\0');
	/* nobody answered yet: the result is still pending */
	T_EQ(call("GET", loc, NULL), 202);
	T_EQ(edge("secondary", arp_answer), 0);	/* not that path's */
	T_EQ(edge("primary", arp_answer), 1);
	T_EQ(edge("primary", arp_answer), 0);	/* answered: no longer listed */
	call("GET", loc, NULL);			/* the worker runs after */
	T_EQ(call("GET", loc, NULL), 200);
	T_EQ(json_array_size(json_object_get(R.body, "value")), 1);
	T_STREQ(er_jstr(json_array_get(json_object_get(R.body, "value"), 0),
	    "macAddress"), "0a1b.2c3d.4e5f");
	T_CHECK(json_is_null(json_object_get(R.body, "nextLink")));
	T_EQ(count_type(ER_VIEW_REQ_TYPE), 0);
}

static void
test_list_no_edge(void)
{
	const char *m;

	T_EQ(call("POST", PP "/routeTablesSummary/secondary", NULL), 202);
	keep_location();
	clock_ms += ER_VIEW_TIMEOUT_MS + 1;
	call("GET", loc, NULL);
	T_EQ(call("GET", loc, NULL), 504);
	m = msg();
	T_CHECK(strstr(m, "No edge answered the route table summary request "
	    "for the secondary path of peering AzurePrivatePeering") != NULL);
	T_CHECK(strstr(m, "within 10000 ms") != NULL);
	T_CHECK(strstr(m, "--path secondary") != NULL);
	T_CHECK(strstr(m, "peering location 'Silicon Valley'") != NULL);
	T_STREQ(er_jstr(R.body, "error.code"), "EdgeDidNotAnswer");
	T_EQ(count_type(ER_VIEW_REQ_TYPE), 0);
	T_EQ(call("POST", PP "/arpTables/tertiary", NULL), 400);
	T_STREQ(msg(), "Device path 'tertiary' is invalid. Allowed values: "
	    "primary, secondary.");
}

static json_int_t ans_rx[2], ans_tx[2];
static int ans_path;

static json_t *
ct_answer(const char *kind)
{
	T_CHECK(strncmp(kind, "conntest", 8) == 0);
	return json_pack("{s:s,s:I,s:I}", "state", "Running", "received",
	    ans_rx[ans_path], "sent", ans_tx[ans_path]);
}

/* results with the given per-path counts; the verdict code */
static const char *
ct_round(json_int_t prx, json_int_t ptx, json_int_t srx, json_int_t stx)
{
	ans_rx[0] = prx, ans_tx[0] = ptx, ans_rx[1] = srx, ans_tx[1] = stx;
	T_EQ(call("POST", PP "/connectivityTestResults", NULL), 202);
	keep_location();
	ans_path = 0;
	edge("primary", ct_answer);
	ans_path = 1;
	edge("secondary", ct_answer);
	call("GET", loc, NULL);
	T_EQ(call("GET", loc, NULL), 200);
	return er_jstr(R.body, "verdict.code") ?: "";
}

static void
test_conntest(void)
{
	json_t *v;

	T_EQ(call("POST", PP "/connectivityTestResults", NULL), 400);
	T_STREQ(er_jstr(R.body, "error.code"), "ConnectivityTestNotRunning");
	T_EQ(call("POST", PP "/startConnectivityTest", "{\"sourceIpAddress\":"
	    "\"10.0.0.0\",\"destinationIpAddress\":\"20.0.0.0\","
	    "\"protocol\":\"ICMP\",\"destinationPort\":3389}"), 400);
	T_STREQ(msg(), "Ports need protocol TCP or UDP; protocol is ICMP.");
	T_EQ(call("POST", PP "/startConnectivityTest", "{\"sourceIpAddress\":"
	    "\"10.0.0.300\",\"destinationIpAddress\":\"20.0.0.0\"}"), 400);
	T_CHECK(strstr(msg(), "sourceIpAddress") != NULL &&
	    strstr(msg(), "10.0.0.300") != NULL);
	T_EQ(call("POST", PP "/startConnectivityTest", "{\"sourceIpAddress\":"
	    "\"10.0.0.0\",\"destinationIpAddress\":\"2001:db8::1\"}"), 400);
	T_STREQ(er_jstr(R.body, "error.code"), "InvalidConnectivityTest");
	T_EQ(call("POST", PP "/startConnectivityTest", "{\"sourceIpAddress\":"
	    "\"10.0.0.0\",\"destinationIpAddress\":\"20.0.0.0\","
	    "\"protocol\":\"tcp\",\"destinationPort\":3389}"), 202);
	T_CHECK(R.location[0] != '\0');
	/* the seed's example, both edges healthy */
	T_STREQ(ct_round(120, 120, 80, 80), "Healthy");
	v = json_array_get(json_object_get(R.body, "value"), 0);
	T_STREQ(er_jstr(v, "path"), "primary");
	T_STREQ(json_string_value(json_array_get(json_object_get(v, "lines"),
	    0)), "src 10.0.0.0 dst 20.0.0.0 dstport 3389 (received): "
	    "120 matches");
	T_STREQ(json_string_value(json_array_get(json_object_get(v, "lines"),
	    1)), "src 20.0.0.0 srcport 3389 dst 10.0.0.0 (sent): 120 matches");
	T_STREQ(er_jstr(R.body, "protocol"), "TCP");
	T_STREQ(ct_round(5, 0, 7, 0), "NoReturnTraffic");
	T_CHECK(strstr(er_jstr(R.body, "verdict.message") ?: "", "traffic reaches "
	    "the edge but does not return: check return-path routing") !=
	    NULL);
	T_STREQ(ct_round(5, 5, 4, 0), "NoReturnTrafficOnPath");
	T_CHECK(strstr(er_jstr(R.body, "verdict.message") ?: "", "reaches "
	    "the secondary edge") != NULL);
	T_STREQ(ct_round(5, 0, 0, 5), "Healthy");	/* asymmetric */
	T_STREQ(ct_round(0, 4, 0, 0), "OnePathSilent");
	T_CHECK(strstr(er_jstr(R.body, "verdict.message") ?: "", "the secondary "
	    "edge shows no matches") != NULL);
	T_STREQ(ct_round(0, 4, 0, 4), "NoInboundTraffic");
	T_STREQ(ct_round(0, 0, 0, 0), "NoMatches");
	/* stop: final counts, the definition is gone */
	T_EQ(call("POST", PP "/stopConnectivityTest", NULL), 202);
	keep_location();
	ans_path = 0;
	edge("primary", ct_answer);
	clock_ms += ER_VIEW_TIMEOUT_MS + 1;	/* the secondary never answers */
	call("GET", loc, NULL);
	T_EQ(call("GET", loc, NULL), 200);
	T_STREQ(er_jstr(R.body, "state"), "Stopped");
	v = json_array_get(json_object_get(R.body, "value"), 1);
	T_STREQ(er_jstr(v, "state"), "NoAnswer");
	T_EQ(call("POST", PP "/connectivityTestResults", NULL), 400);
}

static void
put_stats(const char *path, json_int_t in, json_int_t out)
{
	struct store_rec r;
	char id[800], pid[700];
	json_t *doc = json_pack("{s:I,s:I}", "bytesIn", in, "bytesOut", out);

	snprintf(pid, sizeof(pid), "%s", PP);
	snprintf(id, sizeof(id), "%s/stats/%s", pid, path);
	memset(&r, 0, sizeof(r));
	r.id = id;
	r.parent = pid;
	r.type = (char *)ER_PEERING_STATS_TYPE;
	r.doc = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	store_begin(st);
	T_EQ(store_put(st, &r), STORE_OK);
	store_commit(st);
	free(r.doc);
}

static void
test_stats(void)
{
	T_EQ(call("GET", CKT "v1/stats", NULL), 200);
	T_EQ(er_jint(R.body, "primarybytesIn", -1), 0);
	put_stats("primary", 1000, 2000);
	put_stats("secondary", 30, 40);
	T_EQ(call("GET", PP "/stats", NULL), 200);
	T_EQ(er_jint(R.body, "primarybytesIn", -1), 1000);
	T_EQ(er_jint(R.body, "primarybytesOut", -1), 2000);
	T_EQ(er_jint(R.body, "secondarybytesIn", -1), 30);
	T_EQ(er_jint(R.body, "secondarybytesOut", -1), 40);
	T_EQ(call("GET", CKT "v1/stats", NULL), 200);
	T_EQ(er_jint(R.body, "secondarybytesOut", -1), 40);
	T_CHECK(er_type_not_desired(ER_PEERING_STATS_TYPE));
	T_CHECK(er_type_not_desired(ER_VIEW_REQ_TYPE));
	T_CHECK(!er_type_not_desired("Microsoft.Network/expressRouteCircuits"));
	/* deleting the peering drops what hung on it */
	T_EQ(call("DELETE", PP, NULL), 202);
	T_EQ(count_type(ER_PEERING_STATS_TYPE), 0);
}

int
main(void)
{
	log_init("test_er_views", true, LOG_LVL_ERR);
	setup();
	T_RUN(test_list_answered);
	T_RUN(test_list_no_edge);
	T_RUN(test_conntest);
	T_RUN(test_stats);
	teardown();
	return t_done();
}
