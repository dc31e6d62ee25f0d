/* Unit tests for src/reconcile/rc_msft.c: which catalogue prefixes a
 * route filter selects for a Microsoft peering (with the service and
 * regional communities on each), the reach of a Standard vs a Premium
 * circuit, and the neighbour and routes rc_build() makes from a real
 * SQLite store (held down until the prefixes are Configured, the filter
 * read through its rules). The catalogue is the repository's data/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "reconcile/reconcile.h"

#define C(v)	(12076u << 16 | (v))
#define SUBP	"/subscriptions/s1/resourceGroups/rg/providers/" \
		"Microsoft.Network/"
#define CT	"Microsoft.Network/expressRouteCircuits"
#define PT	"Microsoft.Network/expressRouteCircuits/peerings"
#define FT	"Microsoft.Network/routeFilters"
#define RT	"Microsoft.Network/routeFilters/routeFilterRules"

static struct er_cat	cat;
static char		dbpath[64];

static json_t *
rule(const char *access, const char *comms_json)
{
	json_t *r = json_pack("{s:{s:s,s:s,s:o}}", "properties", "access",
	    access, "routeFilterRuleType", "Community", "communities",
	    json_loads(comms_json, 0, NULL));

	return json_pack("[o]", r);
}

static void
free_routes(struct conf_route *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].communities);
	free(r);
}

static const char *
pfx(const struct conf_route *r)
{
	static char buf[PREFIX_STRLEN];

	return prefix_ntop(&r->prefix, buf, sizeof(buf));
}

static const struct rc_msft_scope westus_std = { "westus", "Silicon Valley",
    false, AF_INET };

static void
test_two_services(void)
{
	json_t *rules = rule("Allow", "[\"12076:5060\",\"12076:5040\"]");
	struct conf_route *r;
	size_t n;

	T_EQ(rc_msft_routes(&cat, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 2);
	if (n == 2) {
		/* sorted by prefix; service community, then West US 51006 */
		T_STREQ(pfx(&r[0]), "192.0.2.24/29");
		T_EQ(r[0].ncommunities, 2);
		T_EQ(r[0].communities[0], C(5040));
		T_EQ(r[0].communities[1], C(51006));
		T_EQ(r[0].origin, BGP_ORIGIN_IGP);
		T_EQ(r[0].nexthop.af, 0);	/* next-hop self */
		T_STREQ(pfx(&r[1]), "192.0.2.40/29");
		T_EQ(r[1].communities[0], C(5060));
		T_EQ(r[1].communities[1], C(51006));
	}
	free_routes(r, n);
	json_decref(rules);
}

static void
test_ipv6_family(void)
{
	json_t *rules = rule("Allow", "[\"12076:5040\",\"12076:5060\"]");
	struct rc_msft_scope sc = westus_std;
	struct conf_route *r;
	size_t n;

	sc.af = AF_INET6;
	T_EQ(rc_msft_routes(&cat, rules, &sc, &r, &n), 0);
	T_EQ(n, 2);
	if (n == 2) {
		T_STREQ(pfx(&r[0]), "2001:db8:5004::/48");
		T_STREQ(pfx(&r[1]), "2001:db8:5006::/48");
	}
	free_routes(r, n);
	json_decref(rules);
}

static void
test_one_community_less(void)
{
	json_t *rules = rule("Allow", "[\"12076:5040\"]");
	struct conf_route *r;
	size_t n;

	T_EQ(rc_msft_routes(&cat, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 1);
	if (n == 1)
		T_STREQ(pfx(&r[0]), "192.0.2.24/29");
	free_routes(r, n);
	json_decref(rules);
}

static void
test_regional_reach(void)
{
	json_t *rules = rule("Allow", "[\"12076:51002\",\"12076:51006\"]");
	struct rc_msft_scope sc = westus_std;
	struct conf_route *r;
	size_t n;

	/* Standard at Silicon Valley (North America): West US only, whose
	 * regional community is its only tag */
	T_EQ(rc_msft_routes(&cat, rules, &sc, &r, &n), 0);
	T_EQ(n, 1);
	if (n == 1) {
		T_STREQ(pfx(&r[0]), "192.0.2.112/29");
		T_EQ(r[0].ncommunities, 1);
		T_EQ(r[0].communities[0], C(51006));
	}
	free_routes(r, n);
	/* Premium: West Europe too, tagged with its own region */
	sc.premium = true;
	T_EQ(rc_msft_routes(&cat, rules, &sc, &r, &n), 0);
	T_EQ(n, 2);
	if (n == 2) {
		T_STREQ(pfx(&r[0]), "192.0.2.80/29");
		T_EQ(r[0].ncommunities, 1);
		T_EQ(r[0].communities[0], C(51002));
		T_STREQ(pfx(&r[1]), "192.0.2.112/29");
	}
	free_routes(r, n);
	json_decref(rules);
}

static void
test_nothing_selected(void)
{
	json_t *rules;
	struct conf_route *r;
	size_t n = 99;

	/* no filter */
	rules = json_array();
	T_EQ(rc_msft_routes(&cat, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 0);
	T_CHECK(r == NULL);
	json_decref(rules);
	/* a Deny rule selects nothing */
	rules = rule("Deny", "[\"12076:5040\"]");
	T_EQ(rc_msft_routes(&cat, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 0);
	json_decref(rules);
	/* a community the catalogue does not have, a malformed one */
	rules = rule("Allow", "[\"12076:9999\",\"12076-5040\"]");
	T_EQ(rc_msft_routes(&cat, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 0);
	json_decref(rules);
	/* no catalogue at all */
	rules = rule("Allow", "[\"12076:5040\"]");
	T_EQ(rc_msft_routes(NULL, rules, &westus_std, &r, &n), 0);
	T_EQ(n, 0);
	json_decref(rules);
}

static void
test_region_fallback(void)
{
	json_t *rules = rule("Allow", "[\"12076:5070\"]");
	struct rc_msft_scope sc = westus_std;
	struct conf_route *r;
	size_t n;

	sc.region = "nowhere";
	T_EQ(rc_msft_routes(&cat, rules, &sc, &r, &n), 0);
	T_EQ(n, 1);
	if (n == 1) {
		T_STREQ(pfx(&r[0]), "192.0.2.48/29");
		T_EQ(r[0].communities[1], C(51002));
	}
	free_routes(r, n);
	json_decref(rules);
}

/* --- from the store ------------------------------------------------------ */

static void
put(struct store *s, const char *type, const char *id, const char *parent,
    const char *doc)
{
	struct store_rec r = { .id = (char *)id, .type = (char *)type,
	    .parent = (char *)parent, .sub = (char *)"s1", .doc = (char *)doc };

	T_EQ(store_put(s, &r), STORE_OK);
}

static void
circuit(struct store *s, const char *name, const char *skey)
{
	char id[256], doc[1024];

	snprintf(id, sizeof(id), SUBP "expressRouteCircuits/%s", name);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"location\":\"westus\",\"sku\":{\"tier\":\"Standard\"},"
	    "\"properties\":{\"serviceKey\":\"%s\","
	    "\"serviceProviderProvisioningState\":\"Provisioned\","
	    "\"serviceProviderProperties\":{\"peeringLocation\":"
	    "\"Silicon Valley\"}}}", id, name, skey);
	put(s, CT, id, NULL, doc);
}

static void
msft_peering(struct store *s, const char *circ, const char *p1,
    const char *state, const char *filter)
{
	char id[512], parent[256], doc[2048], fl[300] = "";

	snprintf(parent, sizeof(parent), SUBP "expressRouteCircuits/%s", circ);
	snprintf(id, sizeof(id), "%s/peerings/MicrosoftPeering", parent);
	if (filter != NULL)
		snprintf(fl, sizeof(fl), ",\"routeFilter\":{\"id\":\""
		    SUBP "routeFilters/%s\"}", filter);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":"
	    "\"MicrosoftPeering\",\"properties\":{\"peeringType\":"
	    "\"MicrosoftPeering\",\"peerASN\":65010,"
	    "\"primaryPeerAddressPrefix\":\"%s\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.252/30\","
	    "\"vlanId\":400,\"state\":\"Enabled\",\"sharedKey\":\"mk\","
	    "\"microsoftPeeringConfig\":{"
	    "\"advertisedPublicPrefixes\":[\"45.67.88.0/22\",\"2a0c::/32\"],"
	    "\"advertisedPublicPrefixesState\":\"%s\"}%s}}", id, p1, state,
	    fl);
	put(s, PT, id, parent, doc);
}

static void
filter(struct store *s, const char *name, const char *comms)
{
	char id[256], rid[320], doc[1024];

	snprintf(id, sizeof(id), SUBP "routeFilters/%s", name);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"location\":\"westus\",\"properties\":{}}", id, name);
	put(s, FT, id, NULL, doc);
	snprintf(rid, sizeof(rid), "%s/routeFilterRules/r1", id);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"r1\","
	    "\"properties\":{\"access\":\"Allow\",\"routeFilterRuleType\":"
	    "\"Community\",\"communities\":%s}}", rid, comms);
	put(s, RT, rid, id, doc);
}

static void
test_build_from_store(void)
{
	struct store *s = NULL;
	struct rc_opts o = { .path = RC_PRIMARY, .location = "Silicon Valley",
	    .router_id = 1 };
	struct rc_desired d;
	const struct conf_neighbor *n;
	const struct conf_ctx *c;
	char err[256], a[ADDR_STRLEN];

	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	T_EQ(store_begin(s), STORE_OK);
	circuit(s, "m1", "11111111-0000-4000-8000-000000000001");
	msft_peering(s, "m1", "203.0.113.0/30", "Configured", "f1");
	filter(s, "f1", "[\"12076:5040\",\"12076:5060\"]");
	circuit(s, "m2", "22222222-0000-4000-8000-000000000002");
	msft_peering(s, "m2", "203.0.113.8/30", "ValidationNeeded", "f1");
	circuit(s, "m3", "33333333-0000-4000-8000-000000000003");
	msft_peering(s, "m3", "203.0.113.16/30", "Configured", NULL);
	T_EQ(store_commit(s), STORE_OK);

	T_EQ(rc_build(s, &o, &cat, &d, err, sizeof(err)), 0);
	T_EQ(d.npeers, 3);
	if (d.npeers != 3)
		goto out;
	c = &d.conf->ctxs[0];
	n = &c->neighbors[0];
	T_STREQ(c->name, "11111111-0000-4000-8000-000000000001/"
	    "MicrosoftPeering");
	T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "203.0.113.1");
	T_STREQ(addr_ntop(&n->local_addr, a, sizeof(a)), "203.0.113.2");
	T_EQ(n->remote_as, 65010);
	T_STREQ(n->password, "mk");
	T_EQ(n->max_prefix[BGP_FAM_V4U], 200);
	T_EQ(n->max_prefix_restart, 60);
	T_EQ(n->fams, BGP_FAM_BIT(BGP_FAM_V4U));
	T_CHECK(!n->shutdown);
	T_CHECK(n->policy.strip_private_as_in && n->policy.deny_bogons &&
	    n->policy.deny_default && n->policy.deny_doc_asn &&
	    n->policy.strip_communities && n->policy.remove_private_as);
	T_EQ(n->policy.nadd_comm, 0);	/* communities are per route */
	T_EQ(n->policy.nallow, 1);	/* the IPv4 one of the two */
	T_STREQ(prefix_ntop(&n->policy.allow[0], a, sizeof(a)),
	    "45.67.88.0/22");
	T_EQ(c->nroutes, 2);
	if (c->nroutes == 2) {
		T_STREQ(pfx(&c->routes[0]), "192.0.2.24/29");
		T_STREQ(pfx(&c->routes[1]), "192.0.2.40/29");
		T_EQ(c->routes[1].communities[1], C(51006));
	}
	/* ValidationNeeded: held, with the reason; the filter still read */
	n = &d.conf->ctxs[1].neighbors[0];
	T_CHECK(n->shutdown);
	T_STREQ(n->shutdown_msg, "advertisedPublicPrefixesState is "
	    "ValidationNeeded; the session stays down until it is Configured");
	T_EQ(d.conf->ctxs[1].nroutes, 2);
	/* no filter attached: up, advertising nothing */
	T_CHECK(!d.conf->ctxs[2].neighbors[0].shutdown);
	T_EQ(d.conf->ctxs[2].nroutes, 0);
	rc_desired_free(&d);
	/* the secondary path: the second /30, same rules and routes */
	o.path = RC_SECONDARY;
	T_EQ(rc_build(s, &o, &cat, &d, err, sizeof(err)), 0);
	T_EQ(d.npeers, 3);
	if (d.npeers == 3) {
		n = &d.conf->ctxs[0].neighbors[0];
		T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "203.0.113.253");
		T_STREQ(addr_ntop(&n->local_addr, a, sizeof(a)),
		    "203.0.113.254");
		T_EQ(n->max_prefix[BGP_FAM_V4U], 200);
		T_EQ(d.conf->ctxs[0].nroutes, 2);
	}
out:
	rc_desired_free(&d);
	store_close(s);
}

int
main(void)
{
	char err[512], p[80];

	if (er_cat_load(&cat, "data", err, sizeof(err)) == -1) {
		printf("# %s\nnot ok 1 - catalogue\n1..1\n", err);
		return 1;
	}
	snprintf(dbpath, sizeof(dbpath), "/tmp/xr-test-rcm-%d.db", getpid());
	T_RUN(test_two_services);
	T_RUN(test_ipv6_family);
	T_RUN(test_one_community_less);
	T_RUN(test_regional_reach);
	T_RUN(test_nothing_selected);
	T_RUN(test_region_fallback);
	T_RUN(test_build_from_store);
	er_cat_free(&cat);
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	return t_done();
}
