/* Unit tests for src/policy/er_policy.c: the ExpressRoute edge rules. */
#include <arpa/inet.h>
#include <string.h>

#include "t.h"
#include "policy/er_policy.h"
#include "wire/bgp.h"

/* Build a 4-octet AS_SEQUENCE from a list. */
static size_t
mkpath(uint8_t *buf, const uint32_t *as, size_t n)
{
	buf[0] = BGP_SEG_SEQUENCE;
	buf[1] = (uint8_t)n;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = htonl(as[i]);
		memcpy(buf + 2 + i * 4, &v, 4);
	}
	return 2 + n * 4;
}

static void
edit_init(struct rib_attr_edit *e, const uint8_t *path, size_t len)
{
	memset(e, 0, sizeof(*e));
	e->a.present = 1ULL << BGP_ATTR_ORIGIN | 1ULL << BGP_ATTR_AS_PATH;
	e->a.aspath = path;
	e->a.aspath_len = (uint16_t)len;
}

static void
test_private_asn_ranges(void)
{
	T_CHECK(er_asn_is_private(64512));
	T_CHECK(er_asn_is_private(65515));
	T_CHECK(er_asn_is_private(65534));
	T_CHECK(er_asn_is_private(4200000000u));
	T_CHECK(!er_asn_is_private(64511));
	T_CHECK(!er_asn_is_private(12076));
	T_CHECK(!er_asn_is_private(4199999999u));
}

static void
test_aspath_filter(void)
{
	uint8_t in[64], out[64], want[64];
	uint32_t as[] = { 12076, 65515, 8075, 65001 };
	uint32_t keep[] = { 12076, 8075 };
	uint32_t allpriv[] = { 65515, 65001 };
	long n;

	n = er_aspath_filter(in, mkpath(in, as, 4), out, sizeof(out),
	    er_asn_is_private);
	T_EQ(n, (long)mkpath(want, keep, 2));
	T_MEMEQ(out, want, (size_t)n);
	/* a segment that loses every AS disappears */
	n = er_aspath_filter(in, mkpath(in, allpriv, 2), out, sizeof(out),
	    er_asn_is_private);
	T_EQ(n, 0);
	/* too small an output buffer is an error, not an overrun */
	n = er_aspath_filter(in, mkpath(in, as, 4), out, 4,
	    er_asn_is_private);
	T_EQ(n, -1);
}

static void
test_export_strips_private_and_tags(void)
{
	struct er_policy p = { .remove_private_as = true, .nadd_comm = 1,
	    .add_comm = { 12076u << 16 | 50002 } };
	struct rib_attr_edit e;
	uint8_t path[32], want[32];
	uint32_t as[] = { 12076, 65515 }, w[] = { 12076 };
	struct prefix pfx;

	prefix_parse("10.1.0.0/16", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 2));
	T_EQ(er_policy_export(&p, NULL, &pfx, &e), RIB_ACCEPT);
	T_EQ(e.a.aspath_len, mkpath(want, w, 1));
	T_MEMEQ(e.a.aspath, want, e.a.aspath_len);
	T_CHECK(BGP_ATTR_HAS(&e.a, BGP_ATTR_COMMUNITIES));
	T_EQ(e.a.comm_len, 4);
	{
		uint32_t v;

		memcpy(&v, e.a.comm, 4);	/* no alignment promise */
		T_EQ(ntohl(v), (long long)(12076u << 16 | 50002));
	}
}

static void
test_add_community_keeps_existing_no_dup(void)
{
	struct er_policy p = { .nadd_comm = 2,
	    .add_comm = { 12076u << 16 | 50002, 65000u << 16 | 1 } };
	struct rib_attr_edit e;
	uint8_t path[16], comm[4];
	uint32_t as[] = { 12076 }, c = htonl(65000u << 16 | 1);
	struct prefix pfx;

	prefix_parse("10.1.0.0/16", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 1));
	memcpy(comm, &c, 4);
	e.a.comm = comm;
	e.a.comm_len = 4;
	e.a.present |= 1ULL << BGP_ATTR_COMMUNITIES;
	T_EQ(er_policy_export(&p, NULL, &pfx, &e), RIB_ACCEPT);
	/* existing 65000:1 kept once, 12076:50002 added */
	T_EQ(e.a.comm_len, 8);
}

static void
test_import_ignores_customer_communities(void)
{
	struct er_policy p = { .strip_communities = true };
	struct rib_attr_edit e;
	uint8_t path[16], comm[4] = { 0xfd, 0xe8, 0, 100 };
	uint32_t as[] = { 65010 };
	struct prefix pfx;
	const char *why = NULL;

	prefix_parse("10.2.20.0/25", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 1));
	e.a.comm = comm;
	e.a.comm_len = 4;
	e.a.present |= 1ULL << BGP_ATTR_COMMUNITIES |
	    1ULL << BGP_ATTR_LARGE_COMMUNITIES;
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_ACCEPT);
	T_CHECK(!BGP_ATTR_HAS(&e.a, BGP_ATTR_COMMUNITIES));
	T_CHECK(!BGP_ATTR_HAS(&e.a, BGP_ATTR_LARGE_COMMUNITIES));
	T_EQ(e.a.comm_len, 0);
	T_CHECK(why == NULL);
}

/* The gateway's routingWeight: LOCAL_PREF set on import, only when asked. */
static void
test_import_sets_local_pref(void)
{
	struct er_policy p = { .set_local_pref = true, .local_pref = 150 };
	struct er_policy none = { .strip_communities = true };
	struct rib_attr_edit e;
	uint8_t path[16];
	uint32_t as[] = { 12076, 65010 };
	struct prefix pfx;
	const char *why = NULL;

	prefix_parse("10.2.20.0/25", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 2));
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_ACCEPT);
	T_CHECK(BGP_ATTR_HAS(&e.a, BGP_ATTR_LOCAL_PREF));
	T_EQ(e.a.local_pref, 150);
	edit_init(&e, path, mkpath(path, as, 2));
	T_EQ(er_policy_import(&none, NULL, &pfx, &e, &why), RIB_ACCEPT);
	T_CHECK(!BGP_ATTR_HAS(&e.a, BGP_ATTR_LOCAL_PREF));
}

static void
test_microsoft_peering_import(void)
{
	struct er_policy p = { .deny_bogons = true, .deny_default = true,
	    .deny_doc_asn = true, .strip_private_as_in = true, .nallow = 1 };
	struct rib_attr_edit e;
	uint8_t path[32], want[32];
	uint32_t as[] = { 65001, 3356 }, doc[] = { 64496 },
	    priv[] = { 65001, 65002 };
	struct prefix pfx;
	const char *why;

	prefix_parse("203.0.113.0/24", &p.allow[0], true);

	prefix_parse("10.0.0.0/8", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 2));
	why = NULL;
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_REJECT);
	T_STREQ(why, "bogon: private address space (RFC 1918)");

	prefix_parse("0.0.0.0/0", &pfx, true);
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_REJECT);
	T_STREQ(why, "default route not accepted on this peering");

	prefix_parse("198.51.100.0/24", &pfx, true);
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_REJECT);
	T_STREQ(why, "not in advertisedPublicPrefixes");

	/* a more specific of an advertised public prefix is accepted */
	prefix_parse("203.0.113.128/25", &pfx, true);
	edit_init(&e, path, mkpath(path, as, 2));
	why = NULL;
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_ACCEPT);
	/* private 65001 stripped from the received path; 3356 is public */
	{
		uint32_t w[] = { 3356 };
		T_EQ(e.a.aspath_len, mkpath(want, w, 1));
		T_MEMEQ(e.a.aspath, want, e.a.aspath_len);
	}
	/* only private ASNs: the path becomes empty, the route stays */
	edit_init(&e, path, mkpath(path, priv, 2));
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_ACCEPT);
	T_EQ(e.a.aspath_len, 0);

	edit_init(&e, path, mkpath(path, doc, 1));
	T_EQ(er_policy_import(&p, NULL, &pfx, &e, &why), RIB_REJECT);
	T_STREQ(why, "documentation ASN (64496-64511) in AS_PATH");
}

static void
test_bogon_v6(void)
{
	struct prefix pfx;

	prefix_parse("fd00:1::/48", &pfx, true);
	T_STREQ(er_prefix_bogon(&pfx), "unique local address space (RFC 4193)");
	prefix_parse("2001:db8::/32", &pfx, true);
	T_CHECK(er_prefix_bogon(&pfx) == NULL);
	prefix_parse("172.32.0.0/16", &pfx, true);
	T_CHECK(er_prefix_bogon(&pfx) == NULL);	/* outside 172.16/12 */
}

int
main(void)
{
	T_RUN(test_private_asn_ranges);
	T_RUN(test_aspath_filter);
	T_RUN(test_export_strips_private_and_tags);
	T_RUN(test_add_community_keeps_existing_no_dup);
	T_RUN(test_import_ignores_customer_communities);
	T_RUN(test_import_sets_local_pref);
	T_RUN(test_microsoft_peering_import);
	T_RUN(test_bogon_v6);
	return t_done();
}
