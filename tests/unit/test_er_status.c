/*
 * The live state the edges write back, as GET shows it (src/er/
 * er_peering.c peering_render, er_circuit.c session_summary): status
 * records put in the store the way rc_run.c writes them; GET on the
 * peering turns upSinceMs into upSince and uptimeSeconds (also for the
 * IPv6 session under "ipv6"); GET on the circuit counts the enabled
 * sessions per path and names the state Up, Degraded, Down or
 * NotConfigured.
 */
#include "er_fixture.h"
#include "lib/log.h"

#define PP	CKT "s1/peerings/AzurePrivatePeering"

static void
status(const char *path, const char *doc)
{
	struct store_rec r;
	char id[512];

	snprintf(id, sizeof(id), "%s/status/%s", PP, path);
	memset(&r, 0, sizeof(r));
	r.id = id;
	r.type = (char *)ER_PEERING_STATUS_TYPE;
	r.parent = (char *)PP;
	r.doc = (char *)doc;
	store_begin(st);
	T_EQ(store_put(st, &r), STORE_OK);
	store_commit(st);
}

static const char *
summary(void)
{
	static char b[128];

	T_EQ(call("GET", CKT "s1", NULL), 200);
	snprintf(b, sizeof(b), "%s %lld/%lld %lld/%lld",
	    er_jstr(R.body, "properties.sessionSummary.state") ?: "-",
	    (long long)er_jint(R.body,
	    "properties.sessionSummary.primary.established", -1),
	    (long long)er_jint(R.body,
	    "properties.sessionSummary.primary.configured", -1),
	    (long long)er_jint(R.body,
	    "properties.sessionSummary.secondary.established", -1),
	    (long long)er_jint(R.body,
	    "properties.sessionSummary.secondary.configured", -1));
	return b;
}

#define EST(since) "{\"state\":\"Established\",\"upSinceMs\":" #since
#define V6(st) ",\"ipv6\":{\"state\":\"" st "\",\"upSinceMs\":" \
	"1699999990000}}"

static void
test_summary(void)
{
	circuit("s1", "Standard", "Silicon Valley", 200);
	T_STREQ(summary(), "NotConfigured 0/0 0/0");	/* not provisioned */
	provision("s1", "Provisioned");
	T_STREQ(summary(), "NotConfigured 0/0 0/0");	/* no peering */
	T_EQ(peering("s1", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10"), 201);
	T_STREQ(summary(), "Down 0/1 0/1");		/* no report yet */
	status("primary", EST(1699999000000) "}");
	T_STREQ(summary(), "Degraded 1/1 0/1");
	status("secondary", "{\"state\":\"Active\",\"upSinceMs\":0}");
	T_STREQ(summary(), "Degraded 1/1 0/1");
	status("secondary", EST(1699999500000) "}");
	T_STREQ(summary(), "Up 1/1 1/1");
	/* the embedded peering carries the rendered status too */
	T_STREQ(er_jstr(json_array_get(json_object_get(json_object_get(
	    R.body, "properties"), "peerings"), 0),
	    "properties.primaryStatus.state"), "Established");

	/* dual stack: two sessions per path */
	T_EQ(peering("s1", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10,"
	    "\"ipv6PeeringConfig\":{\"primaryPeerAddressPrefix\":"
	    "\"fd00:1::/125\"}"), 200);
	T_STREQ(summary(), "Degraded 1/2 1/2");
	status("primary", EST(1699999000000) V6("Established"));
	status("secondary", EST(1699999500000) V6("Idle"));
	T_STREQ(summary(), "Degraded 2/2 1/2");
	status("secondary", EST(1699999500000) V6("Established"));
	T_STREQ(summary(), "Up 2/2 2/2");

	/* GET peering: times rendered, upSinceMs gone, at both levels */
	T_EQ(call("GET", PP, NULL), 200);
	T_STREQ(er_jstr(R.body, "properties.primaryStatus.upSince"),
	    "2023-11-14T21:56:40.000Z");
	T_CHECK(er_jint(R.body, "properties.primaryStatus.uptimeSeconds",
	    -1) >= 1000);
	T_STREQ(er_jstr(R.body, "properties.primaryStatus.ipv6.upSince"),
	    "2023-11-14T22:13:10.000Z");
	T_CHECK(er_jint(R.body, "properties.primaryStatus.ipv6."
	    "uptimeSeconds", -1) >= 10);
	T_CHECK(json_object_get(json_object_get(json_object_get(R.body,
	    "properties"), "primaryStatus"), "upSinceMs") == NULL);

	/* an admin-disabled address family is not expected up */
	T_EQ(peering("s1", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10,"
	    "\"state\":\"Disabled\",\"ipv6PeeringConfig\":{"
	    "\"primaryPeerAddressPrefix\":\"fd00:1::/125\"}"), 200);
	T_STREQ(summary(), "Up 1/1 1/1");
	status("primary", "{\"state\":\"Idle\"" V6("Active"));
	T_STREQ(summary(), "Degraded 0/1 1/1");
	status("secondary", "{\"state\":\"Idle\"" V6("Connect"));
	T_STREQ(summary(), "Down 0/1 0/1");
}

int
main(void)
{
	log_init("test_er_status", true, LOG_LVL_ERR);
	setup();
	T_RUN(test_summary);
	teardown();
	return t_done();
}
