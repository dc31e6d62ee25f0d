/*
 * Circuit peerings (spec section 2): child resources named by their type,
 * the link addressing rule (two /30s or one /29 split first->primary,
 * second->secondary; /126 or /125 for IPv6; the customer router takes the
 * first usable address, the edge the second), reserved ASNs, VLAN
 * uniqueness, Microsoft-peering public prefixes and the advertised public
 * prefixes state machine, route-filter attachment, and the diagnostic
 * operations (ARP, routes, route summary, stats, connectivity test) whose
 * live data comes from the edges (er_views.c).
 *
 * Advertised public prefixes validation (this implementation's rule; Azure
 * checks Internet routing registries, which a self-hosted lab cannot):
 *   - RFC 1918, loopback, link-local, CGNAT, multicast, reserved, ULA and
 *     default routes are refused at once (400);
 *   - after the PUT the state is Configuring; when the operation completes
 *     it becomes Configured if the owning ASN (customerASN, else peerASN)
 *     is public and no prefix is a documentation range, and
 *     ValidationNeeded otherwise (private ASN, or prefixes registered to
 *     nobody: RFC 5737 / RFC 3849);
 *   - a provider or admin approves ValidationNeeded -> Configured with
 *     POST .../expressRouteCrossConnections/{skey}/peerings/MicrosoftPeering/
 *     approveAdvertisedPublicPrefixes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "er/er_int.h"

static const char *const reg_names[] = { "ARIN", "APNIC", "AFRINIC",
    "LACNIC", "RIPENCC", "RADB", "ALTDB", "LEVEL3", "NONE", NULL };
static const char *const states[] = { "Enabled", "Disabled", NULL };
static const char *const ptypes[] = { "AzurePrivatePeering",
    "MicrosoftPeering", "AzurePublicPeering", NULL };

static const struct er_field pfx_elem = { "", FT_STR, 0, 1, 64, NULL, NULL,
    NULL };
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field ms_fields[] = {
	{ "advertisedPublicPrefixes", FT_ARR, 0, 0, 0, NULL, &pfx_elem,
	  "public prefixes the customer announces" },
	{ "advertisedCommunities", FT_ARR, 0, 0, 0, NULL, &pfx_elem, NULL },
	{ "customerASN", FT_INT, 0, 0, 4294967295LL, NULL, NULL, NULL },
	{ "routingRegistryName", FT_ENUM, 0, 0, 0, reg_names, NULL, NULL },
	{ "legacyMode", FT_INT, 0, 0, 1, NULL, NULL, NULL },
	{ "advertisedPublicPrefixesState", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "NotConfigured, Configuring, Configured, ValidationNeeded" },
	{ "advertisedPublicPrefixInfo", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem,
	  NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field subres_fields[] = {
	{ "id", FT_STR, ERF_REQ, 1, 768, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field v6_fields[] = {
	{ "primaryPeerAddressPrefix", FT_STR, 0, 1, 64, NULL, NULL, "/126" },
	{ "secondaryPeerAddressPrefix", FT_STR, 0, 1, 64, NULL, NULL,
	  "/126" },
	{ "microsoftPeeringConfig", FT_OBJ, 0, 0, 0, NULL, ms_fields, NULL },
	{ "routeFilter", FT_OBJ, 0, 0, 0, NULL, subres_fields, NULL },
	{ "state", FT_ENUM, 0, 0, 0, states, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field peering_props[] = {
	{ "peeringType", FT_ENUM, 0, 0, 0, ptypes, NULL,
	  "equals the peering name" },
	{ "state", FT_ENUM, 0, 0, 0, states, NULL,
	  "admin state of both BGP sessions" },
	{ "azureASN", FT_INT, ERF_RO, 0, 0, NULL, NULL, "always 12076" },
	{ "peerASN", FT_INT, ERF_REQ, 1, 4294967295LL, NULL, NULL, NULL },
	{ "primaryPeerAddressPrefix", FT_STR, 0, 1, 64, NULL, NULL,
	  "/30, or a /29 split into primary and secondary" },
	{ "secondaryPeerAddressPrefix", FT_STR, 0, 1, 64, NULL, NULL, "/30" },
	{ "primaryAzurePort", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "secondaryAzurePort", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "sharedKey", FT_STR, ERF_WO, 0, 80, NULL, NULL,
	  "TCP MD5 key; never returned; \"\" removes it" },
	{ "vlanId", FT_INT, ERF_REQ, 1, 4094, NULL, NULL,
	  "unique among the peerings of a circuit" },
	{ "microsoftPeeringConfig", FT_OBJ, 0, 0, 0, NULL, ms_fields, NULL },
	{ "routeFilter", FT_OBJ, 0, 0, 0, NULL, subres_fields,
	  "MicrosoftPeering only" },
	{ "ipv6PeeringConfig", FT_OBJ, 0, 0, 0, NULL, v6_fields, NULL },
	{ "stats", FT_OBJ, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "primaryStatus", FT_OBJ, ERF_RO, 0, 0, NULL, NULL,
	  "BGP session on the primary path, as its edge reports it" },
	{ "secondaryStatus", FT_OBJ, ERF_RO, 0, 0, NULL, NULL,
	  "BGP session on the secondary path, as its edge reports it" },
	{ "lastModifiedBy", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "gatewayManagerEtag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "connections", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem, NULL },
	{ "peeredConnections", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem, NULL },
	{ "expressRouteConnection", FT_OBJ, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field peering_schema[] = {
	ER_F_ARM_IDS,
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, peering_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

/* One family's link subnets: parse, split a /29 (/125), check sizes and
 * host bits, write back the two /30s (/126s). */
static int
link_prefixes(struct er_op *op, json_t *cfg, const char *where, int af,
    bool ms)
{
	const char *ps = er_jstr(cfg, "primaryPeerAddressPrefix");
	const char *ss = er_jstr(cfg, "secondaryPeerAddressPrefix");
	int link = af == AF_INET ? 30 : 126, pair = link - 1;
	const char *fam = af == AF_INET ? "IPv4" : "IPv6";
	struct prefix p[2];
	const char *in[2] = { ps, ss };
	char label[2][128], buf[PREFIX_STRLEN], net[PREFIX_STRLEN];
	const char *why;
	bool doc;

	snprintf(label[0], sizeof(label[0]), "%s.primaryPeerAddressPrefix",
	    where);
	snprintf(label[1], sizeof(label[1]), "%s.secondaryPeerAddressPrefix",
	    where);
	for (int i = 0; i < 2; i++) {
		if (in[i] == NULL)
			continue;
		if (prefix_parse(in[i], &p[i], false) == -1 || p[i].af != af)
			return er_fail(op->err, ER_E_PREFIX_SYNTAX, label[i],
			    in[i], fam);
		if (prefix_parse(in[i], &p[i], true) == -1)
			return er_fail(op->err, ER_E_PREFIX_HOSTBITS, label[i],
			    in[i], prefix_ntop(&p[i], net, sizeof(net)));
	}
	if (ps != NULL && ss == NULL && p[0].len == pair) {
		p[1] = p[0];
		p[1].b[addr_bytes(af) - 1] += 4;
		p[0].len = p[1].len = (uint8_t)link;
	} else if (ps == NULL || ss == NULL)
		return er_fail(op->err, ER_E_PEERING_NEEDS_IP, op->p->cname);
	for (int i = 0; i < 2; i++)
		if (p[i].len != link)
			return er_fail(op->err, ER_E_PREFIX_LEN, label[i],
			    in[i], (long long)link, (long long)pair);
	if (er_prefix_overlap(&p[0], &p[1]))
		return er_fail(op->err, ER_E_PREFIX_SAME,
		    prefix_ntop(&p[0], buf, sizeof(buf)),
		    prefix_ntop(&p[1], net, sizeof(net)));
	for (int i = 0; ms && i < 2; i++)
		if ((why = er_prefix_special(&p[i], &doc)) != NULL)
			return er_fail(op->err, ER_E_PREFIX_NOT_PUBLIC,
			    label[i], prefix_ntop(&p[i], buf, sizeof(buf)),
			    why);
	json_object_set_new(cfg, "primaryPeerAddressPrefix",
	    json_string(prefix_ntop(&p[0], buf, sizeof(buf))));
	json_object_set_new(cfg, "secondaryPeerAddressPrefix",
	    json_string(prefix_ntop(&p[1], buf, sizeof(buf))));
	return 0;
}

static int
ms_config(struct er_op *op, json_t *cfg, json_t *oldcfg, const char *where,
    int af)
{
	bool same_asn = er_jint(op->doc, "properties.peerASN", 0) ==
	    er_jint(op->old, "properties.peerASN", -1);
	json_t *ms = json_object_get(cfg, "microsoftPeeringConfig");
	json_t *oms = json_object_get(oldcfg, "microsoftPeeringConfig");
	json_t *list = json_object_get(ms, "advertisedPublicPrefixes"), *v;
	struct prefix p;
	size_t i;
	char path[128];
	const char *why, *ostate;
	bool doc;

	snprintf(path, sizeof(path), "%s.microsoftPeeringConfig", where);
	if (json_array_size(list) == 0)
		return er_fail(op->err, ER_E_MS_CONFIG_REQUIRED, path);
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);

		if (prefix_parse(s, &p, true) == -1 || p.af != af)
			return er_fail(op->err, ER_E_ADVERTISED_PREFIX_INVALID,
			    s, af == AF_INET ? "expected an IPv4 CIDR prefix "
			    "with the host bits cleared" : "expected an IPv6 "
			    "CIDR prefix with the host bits cleared");
		if ((why = er_prefix_special(&p, &doc)) != NULL)
			return er_fail(op->err, ER_E_ADVERTISED_PREFIX_INVALID,
			    s, why);
	}
	ostate = er_jstr(oms, "advertisedPublicPrefixesState");
	if (oms != NULL && ostate != NULL && same_asn && json_equal(list,
	    json_object_get(oms, "advertisedPublicPrefixes")) &&
	    er_jint(ms, "customerASN", 0) == er_jint(oms, "customerASN", 0))
		json_object_set_new(ms, "advertisedPublicPrefixesState",
		    json_string(ostate));
	else
		json_object_set_new(ms, "advertisedPublicPrefixesState",
		    json_string("Configuring"));
	return 0;
}

static int
route_filter(struct er_op *op, json_t *cfg)
{
	const char *fid = er_jstr(cfg, "routeFilter.id");
	json_t *f;
	int rc;

	if (fid == NULL)
		return 0;
	if ((f = er_ref_check(op, fid, &er_rt_filter,
	    "properties.routeFilter.id")) == NULL)
		return -1;
	json_object_set_new(json_object_get(cfg, "routeFilter"), "id",
	    json_string(er_jstr(f, "id")));
	rc = er_filter_attach_check(op->ctx, f, op->parent, op->p->sub,
	    op->err);
	json_decref(f);
	return rc;
}

static int
vlan_unique(struct er_op *op, int64_t vlan)
{
	json_t *kids = er_children(op->ctx, op->p->parent_id, &er_rt_peering);
	json_t *k;
	size_t i;
	int rc = 0;

	json_array_foreach(kids, i, k) {
		if (er_streq(er_jstr(k, "name"), op->p->cname))
			continue;
		if (er_jint(k, "properties.vlanId", -1) == vlan) {
			rc = er_fail(op->err, ER_E_VLAN_IN_USE, (long long)vlan,
			    er_jstr(k, "name"), op->p->name);
			break;
		}
	}
	json_decref(kids);
	return rc;
}

static int
family(struct er_op *op, json_t *cfg, json_t *oldcfg, const char *where,
    int af, bool ms)
{
	if (link_prefixes(op, cfg, where, af, ms) == -1)
		return -1;
	if (ms)
		return ms_config(op, cfg, oldcfg, where, af) == -1 ||
		    route_filter(op, cfg) == -1 ? -1 : 0;
	if (json_object_get(cfg, "microsoftPeeringConfig")) {
		char path[128];

		snprintf(path, sizeof(path), "%s.microsoftPeeringConfig",
		    where);
		return er_fail(op->err, ER_E_MSONLY_PROP, path);
	}
	if (json_object_get(cfg, "routeFilter"))
		return er_fail(op->err, ER_E_FILTER_ON_PRIVATE, op->p->cname);
	return 0;
}

static int
peering_name(struct er_op *op, json_t *pr)
{
	const char *n = op->p->cname, *t = er_jstr(pr, "peeringType");

	if (er_streq(n, "AzurePublicPeering") ||
	    er_streq(t, "AzurePublicPeering"))
		return er_fail(op->err, ER_E_PEERING_PUBLIC_RETIRED);
	if (!er_streq(n, "AzurePrivatePeering") &&
	    !er_streq(n, "MicrosoftPeering"))
		return er_fail(op->err, ER_E_PEERING_NAME, n);
	if (t != NULL && !er_streq(t, n))
		return er_fail(op->err, ER_E_PEERING_TYPE_MISMATCH, t, n);
	n = er_streq(n, "MicrosoftPeering") ? "MicrosoftPeering" :
	    "AzurePrivatePeering";
	json_object_set_new(pr, "peeringType", json_string(n));
	json_object_set_new(op->doc, "name", json_string(n));
	return 0;
}

static int
peering_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties");
	json_t *opr = er_jget(op->old, "properties"), *v6;
	const char *pst = er_jstr(op->parent,
	    "properties.serviceProviderProvisioningState");
	int64_t asn = er_jint(pr, "peerASN", 0);
	bool ms, v4;

	if (peering_name(op, pr) == -1)
		return -1;
	ms = er_streq(er_jstr(pr, "peeringType"), "MicrosoftPeering");
	if (!er_streq(pst, "Provisioned"))
		return er_fail(op->err, ER_E_NOT_PROVISIONED, op->p->cname,
		    op->p->name, pst ? pst : "NotProvisioned");
	if (asn >= 65515 && asn <= 65520)
		return er_fail(op->err, ER_E_ASN_RESERVED, (long long)asn);
	v4 = json_object_get(pr, "primaryPeerAddressPrefix") ||
	    json_object_get(pr, "secondaryPeerAddressPrefix");
	v6 = json_object_get(pr, "ipv6PeeringConfig");
	if (!v4 && v6 == NULL)
		return er_fail(op->err, ER_E_PEERING_NEEDS_IP, op->p->cname);
	if (v4 && family(op, pr, opr, "properties", AF_INET, ms) == -1)
		return -1;
	if (!v4 && (json_object_get(pr, "microsoftPeeringConfig") ||
	    json_object_get(pr, "routeFilter")))
		return er_fail(op->err, ER_E_PEERING_NEEDS_IP, op->p->cname);
	if (v6 != NULL) {
		if (family(op, v6, json_object_get(opr, "ipv6PeeringConfig"),
		    "properties.ipv6PeeringConfig", AF_INET6, ms) == -1)
			return -1;
		if (!json_object_get(v6, "state"))
			json_object_set_new(v6, "state", json_string("Enabled"));
	}
	if (vlan_unique(op, er_jint(pr, "vlanId", 0)) == -1)
		return -1;
	json_object_set_new(pr, "azureASN", json_integer(12076));
	if (!json_object_get(pr, "state"))
		json_object_set_new(pr, "state", json_string("Enabled"));
	if (!json_object_get(pr, "sharedKey") && opr != NULL &&
	    json_object_get(opr, "sharedKey"))
		json_object_set(pr, "sharedKey", json_object_get(opr,
		    "sharedKey"));
	if (er_streq(er_jstr(pr, "sharedKey"), ""))
		json_object_del(pr, "sharedKey");
	json_object_set_new(pr, "primaryAzurePort", json_string(""));
	json_object_set_new(pr, "secondaryAzurePort", json_string(""));
	json_object_set_new(pr, "gatewayManagerEtag", json_string(""));
	json_object_set_new(pr, "lastModifiedBy", json_string(
	    op->ctx->who.role == ER_ROLE_PROVIDER ? "ServiceProvider" :
	    "Customer"));
	return 0;
}

/* Completion of the prefix validation for one family. */
static void
ms_complete(json_t *ms, int64_t peer_asn)
{
	json_t *list = json_object_get(ms, "advertisedPublicPrefixes"), *v;
	json_t *info;
	int64_t asn = er_jint(ms, "customerASN", 0);
	bool manual, doc, any_doc = false;
	struct prefix p;
	size_t i;
	const char *st = er_jstr(ms, "advertisedPublicPrefixesState");

	if (st == NULL || strcmp(st, "Configuring") != 0)
		return;
	info = json_array();
	if (asn == 0)
		asn = peer_asn;
	json_array_foreach(list, i, v) {
		doc = false;
		if (prefix_parse(json_string_value(v), &p, true) == 0)
			er_prefix_special(&p, &doc);
		any_doc |= doc;
		json_array_append_new(info, json_pack("{s:O,s:s}", "prefix", v,
		    "validationState", doc || er_asn_private(asn) ?
		    "ManualValidationNeeded" : "Configured"));
	}
	manual = any_doc || er_asn_private(asn);
	json_object_set_new(ms, "advertisedPublicPrefixesState",
	    json_string(manual ? "ValidationNeeded" : "Configured"));
	json_object_set_new(ms, "advertisedPublicPrefixInfo", info);
}

static int
peering_complete(struct er_ctx *ctx, json_t *doc, struct er_err *err)
{
	int64_t asn = er_jint(doc, "properties.peerASN", 0);
	json_t *ms;

	if ((ms = er_jget(doc, "properties.microsoftPeeringConfig")) != NULL)
		ms_complete(ms, asn);
	if ((ms = er_jget(doc, "properties.ipv6PeeringConfig."
	    "microsoftPeeringConfig")) != NULL)
		ms_complete(ms, asn);
	return 0;
}

/* "The BGP Peering <type> with Service Key <key> is not found." (400) for
 * a peering the circuit does not have; 404 if the circuit itself is
 * missing. */
static int
peering_absent(struct er_op *op)
{
	json_t *c = er_get(op->ctx, op->p->parent_id);
	int rc;

	if (c == NULL)
		return er_fail(op->err, ER_E_NOT_FOUND, er_rt_circuit.type,
		    op->p->name, op->p->rg);
	rc = er_fail(op->err, ER_E_PEERING_NOT_FOUND, op->p->cname,
	    er_jstr(c, "properties.serviceKey"));
	json_decref(c);
	return rc;
}

/* The diagnostic operations: the edges answer them (er_views.c). */
static int
peering_action(struct er_op *op)
{
	static const char *const lists[][2] = {
		{ "arpTables", "arpTable" },
		{ "routeTables", "routeTable" },
		{ "routeTablesSummary", "routeTableSummary" },
	};
	const char *a = op->p->action;

	if (strcmp(a, "stats") == 0 && op->p->arg[0] == '\0')
		return er_view_stats(op, op->p->parent_id, op->old);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strcmp(a, lists[i][0]) == 0)
			return er_view_list(op, lists[i][1]);
	if (op->p->arg[0] == '\0' && strcasestr(a, "ConnectivityTest") != NULL)
		return er_conntest_action(op);
	return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
}

/* Secondary index: the attached route filter, lower case, so a filter
 * finds its peerings without a scan. */
static char *
peering_idx(json_t *doc)
{
	char *k = er_idx_lower(doc, "properties.routeFilter.id");

	return k != NULL ? k : er_idx_lower(doc,
	    "properties.ipv6PeeringConfig.routeFilter.id");
}

/* upSinceMs (what the edge wrote) -> upSince and the uptime now. */
static void
status_times(struct er_ctx *ctx, json_t *st)
{
	int64_t since = er_jint(st, "upSinceMs", 0);
	char iso[32];

	if (!json_is_object(st))
		return;
	if (since > 0) {
		er_time_iso(since, iso);
		json_object_set_new(st, "upSince", json_string(iso));
		json_object_set_new(st, "uptimeSeconds", json_integer(
		    ctx->now_ms > since ? (ctx->now_ms - since) / 1000 : 0));
	}
	json_object_del(st, "upSinceMs");
}

/* Live session state the edges write (ER_PEERING_STATUS_TYPE records):
 * shown per path (the IPv6 session under "ipv6"), with the uptime
 * computed now. */
static void
peering_render(struct er_ctx *ctx, json_t *doc)
{
	static const char *const paths[] = { "primary", "secondary" };
	json_t *pr = json_object_get(doc, "properties"), *st;
	const char *id = er_jstr(doc, "id");
	struct store_rec r;
	char sid[ER_ID_MAX + 32], key[32];

	for (int i = 0; i < 2 && pr != NULL && id != NULL; i++) {
		snprintf(sid, sizeof(sid), "%s/status/%s", id, paths[i]);
		if (store_get(ctx->st, sid, &r) != STORE_OK)
			continue;
		st = json_loads(r.doc, 0, NULL);
		store_rec_free(&r);
		if (!json_is_object(st)) {
			json_decref(st);
			continue;
		}
		status_times(ctx, st);
		status_times(ctx, json_object_get(st, "ipv6"));
		snprintf(key, sizeof(key), "%sStatus", paths[i]);
		json_object_set_new(pr, key, st);
	}
}

const struct er_rtype er_rt_peering = {
	.seg = "peerings",
	.type = "Microsoft.Network/expressRouteCircuits/peerings",
	.parent = &er_rt_circuit,
	.schema = peering_schema,
	.flags = RT_LRO,
	.put = peering_put,
	.complete = peering_complete,
	.render = peering_render,
	.absent = peering_absent,
	.action = peering_action,
	.idx = peering_idx,
};
