/* Unit tests for src/reconcile: desired state built from a real SQLite
 * store (which circuits and peerings an edge realises, the /30 rule, the
 * edge neighbour parameters), and the option parsers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "reconcile/reconcile.h"
#include "session/sess.h"

#define CT	"Microsoft.Network/expressRouteCircuits"
#define PT	"Microsoft.Network/expressRouteCircuits/peerings"
#define SUBP	"/subscriptions/s1/resourceGroups/rg/providers/" \
		"Microsoft.Network/expressRouteCircuits/"

static char dbpath[64];

static void
put(struct store *s, const char *type, const char *id, const char *parent,
    const char *doc)
{
	struct store_rec r = { .id = (char *)id, .type = (char *)type,
	    .parent = (char *)parent, .sub = (char *)"s1", .doc = (char *)doc };

	T_EQ(store_put(s, &r), STORE_OK);
}

static void
circuit(struct store *s, const char *name, const char *skey, const char *loc,
    const char *pstate, const char *tier, const char *region)
{
	char id[256], doc[1024];

	snprintf(id, sizeof(id), SUBP "%s", name);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"location\":\"%s\",\"sku\":{\"tier\":\"%s\"},\"properties\":{"
	    "\"serviceKey\":\"%s\",\"serviceProviderProvisioningState\":"
	    "\"%s\",\"serviceProviderProperties\":{\"peeringLocation\":"
	    "\"%s\"}}}", id, name, region, tier, skey, pstate, loc);
	put(s, CT, id, NULL, doc);
}

static void
peering(struct store *s, const char *circ, const char *type,
    const char *p1, const char *p2, int vlan, const char *state,
    const char *key)
{
	char id[512], parent[256], doc[1536];

	snprintf(parent, sizeof(parent), SUBP "%s", circ);
	snprintf(id, sizeof(id), "%s/peerings/%s", parent, type);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"properties\":{\"peeringType\":\"%s\",\"peerASN\":65010,"
	    "\"primaryPeerAddressPrefix\":\"%s\",\"secondaryPeerAddressPrefix\":"
	    "\"%s\",\"vlanId\":%d,\"state\":\"%s\",\"sharedKey\":\"%s\"}}",
	    id, type, type, p1, p2, vlan, state, key);
	put(s, PT, id, parent, doc);
}

static struct store *
fill(void)
{
	struct store *s = NULL;

	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	T_EQ(store_begin(s), STORE_OK);
	circuit(s, "a", "aaaaaaaa-0000-4000-8000-000000000001", "Silicon Valley",
	    "Provisioned", "Standard", "westus");
	peering(s, "a", "MicrosoftPeering", "198.51.100.0/30",
	    "198.51.100.4/30", 300, "Enabled", "");
	peering(s, "a", "AzurePrivatePeering", "172.16.0.0/30",
	    "172.16.0.4/30", 200, "Enabled", "k1");
	circuit(s, "b", "bbbbbbbb-0000-4000-8000-000000000002", "silicon valley",
	    "Provisioned", "Premium", "eastus");
	peering(s, "b", "AzurePrivatePeering", "172.16.1.0/30",
	    "172.16.1.4/30", 201, "Disabled", "k2");
	/* not provisioned, another location, a bad /30: none realised */
	circuit(s, "c", "cccccccc-0000-4000-8000-000000000003", "Silicon Valley",
	    "Provisioning", "Standard", "westus");
	peering(s, "c", "AzurePrivatePeering", "172.16.2.0/30",
	    "172.16.2.4/30", 202, "Enabled", "k3");
	circuit(s, "d", "dddddddd-0000-4000-8000-000000000004", "London",
	    "Provisioned", "Standard", "westus");
	peering(s, "d", "AzurePrivatePeering", "172.16.3.0/30",
	    "172.16.3.4/30", 203, "Enabled", "k4");
	circuit(s, "e", "eeeeeeee-0000-4000-8000-000000000005", "Silicon Valley",
	    "Provisioned", "Standard", "westus");
	peering(s, "e", "AzurePrivatePeering", "172.16.4.0/29",
	    "172.16.4.8/30", 204, "Enabled", "k5");
	T_EQ(store_commit(s), STORE_OK);
	return s;
}

static void
test_build_primary(void)
{
	struct store *s = fill();
	struct er_cat cat;
	struct rc_opts o = { .path = RC_PRIMARY, .location = "Silicon Valley",
	    .router_id = 0x0a000001 };
	struct rc_desired d;
	const struct conf_neighbor *n;
	char err[256], a[ADDR_STRLEN];

	memset(&cat, 0, sizeof(cat));
	cat.regions = json_pack("{s:{s:i}}", "westus", "regionCode", 6);
	T_EQ(rc_build(s, &o, &cat, &d, err, sizeof(err)), 0);
	/* a's private peering, a's Microsoft peering, b's private peering */
	T_EQ(d.npeers, 3);
	T_EQ(d.conf->nctxs, 3);
	T_EQ(d.conf->as, 12076);
	T_EQ(d.conf->router_id, 0x0a000001);
	if (d.npeers == 3) {
		T_STREQ(d.conf->ctxs[0].name,
		    "aaaaaaaa-0000-4000-8000-000000000001/AzurePrivatePeering");
		T_STREQ(d.peers[0].id, SUBP "a/peerings/AzurePrivatePeering");
		T_EQ(d.peers[0].vlan, 200);
		T_EQ(d.peers[0].plen, 30);
		T_EQ(d.conf->ctxs[0].nneighbors, 1);
		n = &d.conf->ctxs[0].neighbors[0];
		T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "172.16.0.1");
		T_STREQ(addr_ntop(&n->local_addr, a, sizeof(a)), "172.16.0.2");
		T_EQ(n->remote_as, 65010);
		T_STREQ(n->password, "k1");
		T_EQ(n->hold, 180);
		T_EQ(n->ttl_security, CONF_NO);
		T_EQ(n->max_prefix[BGP_FAM_V4U], 4000);
		T_EQ(n->max_prefix[BGP_FAM_V6U], 100);
		T_EQ(n->max_prefix_restart, 60);
		T_EQ(n->bfd_interval_ms, 300);
		T_CHECK(!n->shutdown);
		T_CHECK(n->policy.remove_private_as);
		T_CHECK(n->policy.strip_communities);
		T_EQ(n->policy.nadd_comm, 1);
		T_EQ(n->policy.add_comm[0], (12076u << 16) | 50006);

		/* Microsoft peering: its own context, its own /30; no
		 * microsoftPeeringConfig here, so held down (rc_msft.c) */
		T_STREQ(d.conf->ctxs[1].name,
		    "aaaaaaaa-0000-4000-8000-000000000001/MicrosoftPeering");
		n = &d.conf->ctxs[1].neighbors[0];
		T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "198.51.100.1");
		T_EQ(n->max_prefix[BGP_FAM_V4U], 200);
		T_CHECK(n->shutdown);
		T_EQ(d.conf->ctxs[1].nroutes, 0);

		n = &d.conf->ctxs[2].neighbors[0];
		T_STREQ(d.conf->ctxs[2].name,
		    "bbbbbbbb-0000-4000-8000-000000000002/AzurePrivatePeering");
		T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "172.16.1.1");
		T_EQ(n->max_prefix[BGP_FAM_V4U], 10000);	/* Premium */
		T_CHECK(n->shutdown);
		T_STREQ(n->shutdown_msg, "peering disabled");
		/* eastus is not in this catalogue: the fallback */
		T_EQ(n->policy.add_comm[0], (12076u << 16) | 50002);
	}
	rc_desired_free(&d);
	json_decref(cat.regions);
	store_close(s);
}

static void
test_build_secondary(void)
{
	struct store *s = NULL;
	struct rc_opts o = { .path = RC_SECONDARY, .location = "Silicon Valley",
	    .router_id = 1 };
	struct rc_desired d;
	char err[256], a[ADDR_STRLEN];

	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	T_EQ(rc_build(s, &o, NULL, &d, err, sizeof(err)), 0);
	/* circuit e's primary is not a /30; its secondary path still is */
	T_EQ(d.npeers, 4);
	if (d.npeers == 4) {
		T_STREQ(addr_ntop(&d.peers[3].nbr, a, sizeof(a)),
		    "172.16.4.9");
		T_STREQ(addr_ntop(&d.conf->ctxs[0].neighbors[0].addr, a,
		    sizeof(a)), "172.16.0.5");
		T_STREQ(addr_ntop(&d.peers[0].local, a, sizeof(a)),
		    "172.16.0.6");
		T_EQ(d.conf->ctxs[0].neighbors[0].policy.add_comm[0],
		    (12076u << 16) | 50002);
	}
	rc_desired_free(&d);
	o.location = "Amsterdam";
	T_EQ(rc_build(s, &o, NULL, &d, err, sizeof(err)), 0);
	T_EQ(d.npeers, 0);
	T_EQ(d.conf->nctxs, 0);
	rc_desired_free(&d);
	store_close(s);
}

static void
test_options(void)
{
	struct rc_opts o;
	enum rc_path p;
	char err[256];

	memset(&o, 0, sizeof(o));
	T_EQ(rc_path_parse("primary", &p), 0);
	T_EQ(p, RC_PRIMARY);
	T_EQ(rc_path_parse("secondary", &p), 0);
	T_EQ(p, RC_SECONDARY);
	T_EQ(rc_path_parse("Primary", &p), -1);
	T_EQ(rc_ifmap_parse("200=p200,300=veth-b", &o, err, sizeof(err)), 0);
	T_EQ(o.nifmap, 2);
	T_EQ(o.ifmap[1].vlan, 300);
	T_STREQ(o.ifmap[1].ifname, "veth-b");
	T_EQ(rc_ifmap_parse("4095=x", &o, err, sizeof(err)), -1);
	T_STREQ(err, "--interface-map item '4095=x' is invalid (VLAN=IFNAME, "
	    "VLAN 1-4094, IFNAME up to 15 characters)");
	T_EQ(rc_ifmap_parse("200", &o, err, sizeof(err)), -1);
	T_EQ(rc_ifmap_parse("200=", &o, err, sizeof(err)), -1);
	T_EQ(rc_ifmap_parse("x=eth0", &o, err, sizeof(err)), -1);
	T_EQ(rc_ifmap_parse("1=abcdefghijklmnop", &o, err, sizeof(err)), -1);
	T_EQ(o.nifmap, 2);
}

/* ipv6PeeringConfig: a second, IPv6-only neighbour in the same context on
 * the path's /126; every context its own derived kernel table. */
static void
test_build_ipv6_tables(void)
{
	struct store *s = NULL;
	struct rc_opts o = { .path = RC_SECONDARY, .location = "Silicon Valley",
	    .router_id = 1, .ifmap = { { 207, "p207" } }, .nifmap = 1 };
	struct rc_desired d;
	const struct conf_neighbor *n;
	struct conf_ctx two[2];
	char err[256], a[ADDR_STRLEN], id[512], doc[1536];
	size_t i;

	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	T_EQ(store_begin(s), STORE_OK);
	circuit(s, "g", "gggggggg-0000-4000-8000-000000000007",
	    "Silicon Valley", "Provisioned", "Standard", "westus");
	snprintf(id, sizeof(id), SUBP "g/peerings/AzurePrivatePeering");
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"properties\":{"
	    "\"peeringType\":\"AzurePrivatePeering\",\"peerASN\":65020,"
	    "\"primaryPeerAddressPrefix\":\"172.16.7.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"172.16.7.4/30\",\"vlanId\":207,"
	    "\"ipv6PeeringConfig\":{\"primaryPeerAddressPrefix\":"
	    "\"fd00:7::/126\",\"secondaryPeerAddressPrefix\":\"fd00:7::4/126\","
	    "\"state\":\"Disabled\"}}}", id);
	put(s, PT, id, SUBP "g", doc);
	T_EQ(store_commit(s), STORE_OK);
	T_EQ(rc_build(s, &o, NULL, &d, err, sizeof(err)), 0);
	T_EQ(d.npeers, 5);	/* with a's MicrosoftPeering (rc_msft.c) */
	for (i = 0; i < d.npeers && i < d.conf->nctxs; i++) {
		/* derived (FNV-1a of the name), in range, one per context */
		T_EQ(d.conf->ctxs[i].kernel_table,
		    rc_table_of(d.conf->ctxs[i].name));
		T_EQ(d.peers[i].table, d.conf->ctxs[i].kernel_table);
		T_CHECK(d.peers[i].table >= RC_TABLE_BASE &&
		    d.peers[i].table < RC_TABLE_BASE + RC_TABLE_SPAN);
		T_CHECK(i == 0 || d.peers[i].table != d.peers[0].table);
		if (strcmp(d.peers[i].ctx, "gggggggg-0000-4000-8000-"
		    "000000000007/AzurePrivatePeering") != 0) {
			T_CHECK(!d.peers[i].has_v6);
			T_EQ(d.conf->ctxs[i].nneighbors, 1);
			T_EQ(d.conf->ctxs[i].ningress, 0);	/* not mapped */
			continue;
		}
		T_EQ(d.peers[i].table, 691813);	/* the documented rule */
		T_EQ(d.conf->ctxs[i].ningress, 1);	/* iif p207 -> table */
		T_STREQ(d.conf->ctxs[i].ingress[0], "p207");
		T_CHECK(d.peers[i].has_v6);
		T_EQ(d.peers[i].plen6, 126);
		T_STREQ(addr_ntop(&d.peers[i].local6, a, sizeof(a)),
		    "fd00:7::6");
		T_EQ(d.conf->ctxs[i].nneighbors, 2);
		n = &d.conf->ctxs[i].neighbors[1];
		T_STREQ(addr_ntop(&n->addr, a, sizeof(a)), "fd00:7::5");
		T_STREQ(addr_ntop(&n->local_addr, a, sizeof(a)), "fd00:7::6");
		T_EQ(n->remote_as, 65020);
		T_EQ(n->fams, BGP_FAM_BIT(BGP_FAM_V6U));
		T_EQ(n->max_prefix[BGP_FAM_V6U], 100);
		T_EQ(n->bfd_interval_ms, 0);
		T_CHECK(n->shutdown);		/* ipv6PeeringConfig Disabled */
		T_CHECK(!d.conf->ctxs[i].neighbors[0].shutdown);
	}
	rc_desired_free(&d);
	store_close(s);

	/* a collision: the later context moves to the next id */
	T_EQ(rc_table_of("x"), 443695);
	memset(two, 0, sizeof(two));
	strcpy(two[0].name, "x");
	strcpy(two[1].name, "x");
	memset(&d, 0, sizeof(d));
	d.conf = &(struct xr_conf){ .ctxs = two, .nctxs = 2 };
	rc_tables_assign(&d);
	T_EQ(two[0].kernel_table + two[1].kernel_table, 443695 * 2 + 1);
}

/* Status hints: none when up or down on purpose; TCP-MD5 named when the
 * kernel counted rejected segments; the OPEN exchange when stuck there. */
static void
test_hints(void)
{
	struct sess_info i;

	T_CHECK(rc_md5_failures() >= 0);	/* /proc/net/netstat readable */
	memset(&i, 0, sizeof(i));
	i.state = SESS_ESTABLISHED;
	T_CHECK(rc_hint(&i, true) == NULL);
	i.state = SESS_IDLE;
	i.admin_down = true;
	T_CHECK(rc_hint(&i, true) == NULL);
	i.admin_down = false;
	i.idle_restart = true;			/* prefix limit restart */
	T_CHECK(rc_hint(&i, true) == NULL);
	i.idle_restart = false;
	i.state = SESS_CONNECT;
	T_CHECK(strstr(rc_hint(&i, true), "TCP-MD5") != NULL);
	T_CHECK(strstr(rc_hint(&i, false), "no BGP connection") != NULL);
	i.state = SESS_OPENSENT;
	T_CHECK(strstr(rc_hint(&i, true), "peerASN") != NULL);
}

int
main(void)
{
	snprintf(dbpath, sizeof(dbpath), "/tmp/xr-test-rc-%d.db", getpid());
	T_RUN(test_build_primary);
	T_RUN(test_build_secondary);
	T_RUN(test_options);
	T_RUN(test_build_ipv6_tables);
	T_RUN(test_hints);
	unlink(dbpath);
	strcat(dbpath, "-wal");
	unlink(dbpath);
	dbpath[strlen(dbpath) - 4] = '\0';
	strcat(dbpath, "-shm");
	unlink(dbpath);
	return t_done();
}
