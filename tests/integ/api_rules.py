"""API rules over real HTTP against a running API role with a real SQLite
file: every validation rule and every verbatim error string, auth isolation
for every resource type, ETags, malformed bodies, long-running operations,
the change feed, the OpenAPI document, and persistence across a restart."""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import ADMIN, ROOT, Client, Server, Tap, tempdir  # noqa: E402

t = Tap()
tmp = tempdir("xr-api-rules-")
srv = Server(tmp, ["--gateway-delay-ms", "1500", "--max-body", "65536",
                  "--view-timeout-ms", "300"])
S1 = "10000000-0000-4000-8000-000000000001"
S2 = "10000000-0000-4000-8000-000000000002"
S3 = "10000000-0000-4000-8000-000000000003"
S4 = "10000000-0000-4000-8000-000000000004"
PS = "10000000-0000-4000-8000-0000000000ff"
NET = "/providers/Microsoft.Network"


def rgp(sub, rg="rg"):
    return "/subscriptions/%s/resourceGroups/%s%s" % (sub, rg, NET)


def circuit_body(tier="Standard", family="MeteredData", provider="Equinix",
                 loc="Silicon Valley", bw=200, location="westus", **props):
    p = {"serviceProviderProperties": {"serviceProviderName": provider,
                                       "peeringLocation": loc,
                                       "bandwidthInMbps": bw}}
    p.update(props)
    return {"location": location, "sku": {"tier": tier, "family": family},
            "properties": p}


def main():
    srv.start()
    A = Client(srv.port, ADMIN)
    for s, props in ((S1, {"circuitQuota": 100, "circuitQuotaPerRegion": 100}),
                     (S2, {"office365Authorized": True, "circuitQuota": 100,
                           "circuitQuotaPerRegion": 100}),
                     (S3, {}), (S4, {"circuitQuota": 2,
                                     "circuitQuotaPerRegion": 1}),
                     (PS, {})):
        r = A.req("PUT", "/subscriptions/" + s, {"properties": props})
        assert r.status == 201, r
    tok = {}
    for name, props in (("t1", {"role": "tenant", "subscriptionId": S1}),
                        ("t2", {"role": "tenant", "subscriptionId": S2}),
                        ("t3", {"role": "tenant", "subscriptionId": S3}),
                        ("t4", {"role": "tenant", "subscriptionId": S4}),
                        ("pe", {"role": "provider", "subscriptionId": PS,
                                "providerName": "Equinix"}),
                        ("pc", {"role": "provider", "subscriptionId": PS,
                                "providerName": "Contoso Networks"})):
        r = A.req("PUT", "/providers/Xroute.Admin/tokens/" + name,
                  {"properties": props})
        assert r.status == 201, r
        tok[name] = r.body["properties"]["token"]
    T1, T2, T3, T4 = (Client(srv.port, tok[k]) for k in
                      ("t1", "t2", "t3", "t4"))
    PE, PC = Client(srv.port, tok["pe"]), Client(srv.port, tok["pc"])
    PROVIDER.append(PE)
    for c, s in ((T1, S1), (T2, S2), (T3, S3), (T4, S4)):
        r = c.req("PUT", "/subscriptions/%s/resourceGroups/rg" % s,
                  {"location": "westus"})
        assert r.status == 201, r

    def skey(c, sub, name):
        return c.req("GET", rgp(sub) + "/expressRouteCircuits/" +
                     name).body["properties"]["serviceKey"]

    def xc(key):
        return ("/subscriptions/%s/resourceGroups/CrossConnection-"
                "SiliconValley%s/expressRouteCrossConnections/%s" %
                (PS, NET, key))

    def provision(c, sub, name, state="Provisioned", p=PE):
        r = p.req("PUT", xc(skey(c, sub, name)), {"properties": {
            "serviceProviderProvisioningState": state}})
        assert r.status == 200, r
        return r

    def mk(c, sub, name, **kw):
        r = c.req("PUT", rgp(sub) + "/expressRouteCircuits/" + name,
                  circuit_body(**kw))
        assert r.status == 201, r
        c.wait_op(r)
        return r

    def peer(c, sub, circ, ptype, **props):
        return c.req("PUT", rgp(sub) + "/expressRouteCircuits/%s/peerings/%s"
                     % (circ, ptype), {"properties": props})

    generic(A, T1)
    circuits(A, T1, T4, PE, PC, mk, skey, xc, provision)
    peerings(T1, PE, mk, skey, xc, provision, peer)
    filters(A, T1, T2, mk, provision, peer)
    networks(T1, T2, T3, mk, skey, provision, peer)
    exact_more(A, T1)
    isolation(T1, T3, PE)
    persistence(A, T1, tok)
    srv.stop()
    rep = srv.sanitizer_report()
    t.ok(not rep, "server log has no sanitizer report", "\n".join(rep[:20]))
    return t.done()


def generic(A, T1):
    base = rgp(S1) + "/expressRouteCircuits/g1"
    r = T1.req("GET", base, apiv=None)
    t.err(r, 400, "The api-version query parameter (?api-version=) is "
          "required for all requests.", "missing api-version")
    r = T1.req("GET", base, apiv="1999-01-01")
    t.ok(r.status == 400 and r.code() == "InvalidApiVersionParameter",
         "unknown api-version -> 400", r)
    r = T1.req("GET", base, token="")
    t.err(r, 401, "Authentication failed. The 'Authorization' header is "
          "missing or is not of the form 'Bearer <token>'.", "no token")
    r = T1.req("GET", base, token="nope")
    t.err(r, 401, "The access token is invalid.", "unknown token")
    r = T1.req("GET", "/providers/Xroute.Admin/tokens")
    t.ok(r.status == 403 and r.code() == "AuthorizationFailed",
         "tenant on admin path -> 403", r)
    r = T1.req("PUT", base, raw=b"{" + b" " * 70000 + b"}")
    t.err(r, 413, "The request content is larger than the limit of 65536 "
          "bytes.", "oversized body")
    r = T1.req("PUT", base, raw=b'{"location": ')
    t.ok(r.status == 400 and r.code() == "InvalidRequestFormat" and
         r.msg().startswith("Cannot parse the request: "),
         "truncated JSON -> 400 InvalidRequestFormat", r)
    r = T1.req("PUT", base, raw=b'{"location":"westus","location":"x"}')
    t.ok(r.status == 400 and r.code() == "InvalidRequestFormat",
         "duplicate JSON keys -> 400", r)
    r = T1.req("PUT", base, raw=b'[1,2]')
    t.err(r, 400, "The request content is empty or not a JSON object; a "
          "JSON object is required.", "array body")
    b = circuit_body()
    b["properties"]["bandwidth"] = 5
    r = T1.req("PUT", base, b)
    t.ok(r.status == 400 and r.msg().startswith(
        "Property 'properties.bandwidth' is not allowed. Allowed "
        "properties here: serviceProviderProperties,"),
         "unknown property named", r)
    b = circuit_body(bw="fast")
    r = T1.req("PUT", base, b)
    t.err(r, 400, "Property 'properties.serviceProviderProperties."
          "bandwidthInMbps' has an invalid value \"fast\": expected an "
          "integer between 1 and 400000.", "wrong type named")
    b = circuit_body()
    del b["properties"]["serviceProviderProperties"]
    r = T1.req("PUT", base, b)
    t.err(r, 400, "Property 'properties.serviceProviderProperties' is "
          "required.", "missing required property")
    r = T1.req("PUT", base, dict(circuit_body(), sku={"tier": "Gold",
                                                      "family": "MeteredData"}))
    t.err(r, 400, "Property 'sku.tier' has an invalid value \"Gold\": "
          "expected one of Standard, Premium, Basic, Local.", "bad enum")
    r = T1.req("PUT", rgp(S1, "nogroup") + "/expressRouteCircuits/x",
               circuit_body())
    t.err(r, 404, "Resource group 'nogroup' could not be found.",
          "missing resource group")
    r = T1.req("PUT", rgp(S1) + "/expressRouteCircuits/-bad-", circuit_body())
    t.ok(r.status == 400 and r.code() == "InvalidResourceName",
         "invalid name -> 400", r)
    r = T1.req("PUT", base, dict(circuit_body(), name="other"))
    t.err(r, 400, "Property 'name' has value 'other' but the request URI "
          "names the resource 'g1'.", "name mismatch")
    r = T1.req("PUT", base, circuit_body(location="mars"))
    t.ok(r.status == 400 and r.msg().startswith(
        "The provided location 'mars' is not available for resource type "
        "'Microsoft.Network/expressRouteCircuits'."), "bad location", r)
    r = T1.req("GET", base)
    t.err(r, 404, "The Resource 'Microsoft.Network/expressRouteCircuits/g1' "
          "under resource group 'rg' was not found.", "absent circuit")
    r = T1.req("GET", rgp(S1) + "/widgets/x")
    t.ok(r.status == 404 and r.code() == "InvalidResourceType",
         "unknown type -> 404", r)
    r = T1.req("POST", base, circuit_body())
    t.ok(r.status == 405, "POST on a resource -> 405", r)
    # long-running create, ETags, idempotence, PATCH tags
    r = T1.req("PUT", base, circuit_body(location="West US"),
               headers={"If-None-Match": "*"})
    t.ok(r.status == 201 and r.body["properties"]["provisioningState"] ==
         "Updating" and "azure-asyncoperation" in r.headers and
         r.headers.get("etag") == r.body["etag"],
         "create -> 201 Updating with Azure-AsyncOperation and ETag", r)
    t.ok(r.body["location"] == "westus", "location normalised", r)
    t.ok(T1.wait_op(r) == "Succeeded", "operation completes Succeeded")
    g = T1.req("GET", base)
    t.ok(g.body["properties"]["provisioningState"] == "Succeeded",
         "provisioningState Updating -> Succeeded", g)
    r = T1.req("PUT", base, circuit_body(), headers={"If-None-Match": "*"})
    t.ok(r.status == 412 and r.code() == "PreconditionFailed",
         "If-None-Match * on existing -> 412", r)
    r = T1.req("PUT", base, circuit_body(), headers={"If-Match": 'W/"0"'})
    t.ok(r.status == 412, "If-Match stale -> 412", r)
    r = T1.req("PUT", base, circuit_body(), headers={"If-Match": g.body["etag"]})
    t.ok(r.status == 200 and r.body["properties"]["serviceKey"] ==
         g.body["properties"]["serviceKey"],
         "If-Match current -> 200, idempotent, same service key", r)
    T1.wait_op(r)
    g2 = T1.req("GET", base)
    b = g2.body
    b["properties"]["serviceKey"] = "00000000-0000-0000-0000-000000000000"
    r = T1.req("PUT", base, b)
    t.ok(r.status == 200 and r.body["properties"]["serviceKey"] ==
         g.body["properties"]["serviceKey"],
         "GET body PUT back; serviceKey read-only and immutable", r)
    T1.wait_op(r)
    r = T1.req("PATCH", base, {"tags": {"env": "lab"}})
    t.ok(r.status == 200 and r.body["tags"] == {"env": "lab"},
         "PATCH tags", r)
    r = T1.req("PATCH", base, {"tags": {}, "location": "eastus"})
    t.err(r, 400, "PATCH can change only 'tags'; property 'location' cannot "
          "be changed with PATCH. Use PUT.", "PATCH other than tags")
    r = T1.req("DELETE", base, headers={"If-Match": 'W/"stale"'})
    t.ok(r.status == 412, "DELETE with stale If-Match -> 412", r)
    r = T1.req("DELETE", base)
    t.ok(r.status == 202 and "azure-asyncoperation" in r.headers,
         "DELETE -> 202 with Azure-AsyncOperation", r)
    t.status(T1.req("DELETE", base), 204, "DELETE absent")
    r = T1.req("GET", "/openapi.json", token="", apiv=None)
    doc = json.load(open(os.path.join(ROOT, "docs", "openapi.json")))
    t.ok(r.status == 200 and r.body == doc and r.body["openapi"] == "3.0.3",
         "/openapi.json served without auth, equals docs/openapi.json")
    r = A.req("GET", "/providers/Xroute.Admin/changes?since=0")
    t.ok(r.status == 200 and any(c["id"].endswith("expressRouteCircuits/g1")
                                 and c["op"] == "delete"
                                 for c in r.body["value"]),
         "change feed lists the circuit delete", r)
    n = r.body["nextSince"]
    r = A.req("GET", "/providers/Xroute.Admin/changes?since=%d" % n)
    t.ok(r.status == 200 and r.body["value"] == [],
         "change feed is empty after the last counter", r)


def circuits(A, T1, T4, PE, PC, mk, skey, xc, provision):
    cp = rgp(S1) + "/expressRouteCircuits/"
    r = T1.req("PUT", cp + "x", circuit_body(provider="Acme"))
    t.ok(r.status == 400 and r.msg().startswith(
        "Service provider 'Acme' is not a valid ExpressRoute service "
        "provider. Valid service providers: "), "unknown provider", r)
    r = T1.req("PUT", cp + "x", circuit_body(loc="Dubai"))
    t.ok(r.status == 400 and r.msg().startswith(
        "Peering location 'Dubai' is not offered by service provider "
        "'Equinix'. Offered peering locations: Amsterdam,"),
         "location not offered", r)
    r = T1.req("PUT", cp + "x", circuit_body(bw=300))
    t.err(r, 400, "Bandwidth 300 Mbps is not offered by service provider "
          "'Equinix'. Offered bandwidths in Mbps: 50, 100, 200, 500, 1000, "
          "2000, 5000, 10000.", "bandwidth not offered")
    b = circuit_body()
    b["sku"] = {"name": "Premium_MeteredData", "tier": "Standard"}
    r = T1.req("PUT", cp + "x", b)
    t.err(r, 400, "Sku name 'Premium_MeteredData' does not match tier "
          "'Standard' and family 'MeteredData'; the name must be "
          "'Premium_MeteredData'.", "sku name/tier mismatch")
    r = T1.req("PUT", cp + "x", circuit_body(tier="Basic"))
    t.err(r, 400, "Sku tier 'Basic' is a legacy tier and cannot be used. "
          "Allowed tiers: Local, Standard, Premium.", "Basic tier")
    r = T1.req("PUT", cp + "x", circuit_body(tier="Local",
                                              globalReachEnabled=True))
    t.err(r, 400, "Global Reach is not available for circuit 'x' with SKU "
          "tier Local. Use Standard or Premium.", "Global Reach on Local")
    r = mk(T1, S1, "c1")
    key = r.body["properties"]["serviceKey"]
    t.ok(len(key) == 36 and key[14] == "4" and r.body["properties"]
         ["serviceProviderProvisioningState"] == "NotProvisioned" and
         r.body["properties"]["circuitProvisioningState"] == "Enabled",
         "new circuit: GUID s-key, NotProvisioned, Enabled", r)
    for what, body, msg in (
            ("Standard -> Local", circuit_body(tier="Local"),
             "The SKU tier of circuit 'c1' cannot be changed from Standard "
             "to Local."),
            ("bandwidth decrease", circuit_body(bw=100),
             "The bandwidth of circuit 'c1' cannot be decreased from 200 "
             "Mbps to 100 Mbps. Create a new circuit with the lower "
             "bandwidth and delete this one."),
            ("provider change", circuit_body(provider="Contoso Networks"),
             "Property 'serviceProviderName' of circuit 'c1' cannot be "
             "changed from 'Equinix' to 'Contoso Networks'. Create a new "
             "circuit instead.")):
        t.err(T1.req("PUT", cp + "c1", body), 400, msg, what)
    r = T1.req("PUT", cp + "c1", circuit_body(family="UnlimitedData", bw=500,
                                              tier="Premium"))
    t.ok(r.status == 200 and r.body["sku"]["name"] ==
         "Premium_UnlimitedData", "Metered -> Unlimited, upgrade, increase", r)
    T1.wait_op(r)
    t.err(T1.req("PUT", cp + "c1", circuit_body(tier="Premium", bw=500)), 400,
          "The billing model of circuit 'c1' cannot be changed from "
          "UnlimitedData to MeteredData. Only MeteredData to UnlimitedData "
          "is allowed.", "Unlimited -> Metered")
    t.err(T1.req("PUT", cp + "c1", circuit_body(tier="Local", bw=500,
                                                family="UnlimitedData")), 400,
          "The SKU tier of circuit 'c1' cannot be changed from Premium to "
          "Local.", "Premium -> Local")
    # quotas
    q = rgp(S4) + "/expressRouteCircuits/"
    t.status(T4.req("PUT", q + "a", circuit_body()), 201, "quota 1st")
    t.err(T4.req("PUT", q + "b", circuit_body()), 400, "Subscription '%s' "
          "has reached its limit of 1 ExpressRoute circuits in region "
          "'westus'. Ask the operator to raise the quota." % S4,
          "per-region quota")
    t.status(T4.req("PUT", q + "b", circuit_body(location="eastus")), 201,
             "quota 2nd, other region")
    t.err(T4.req("PUT", q + "c", circuit_body(location="northeurope")), 400,
          "Subscription '%s' has reached its limit of 2 ExpressRoute "
          "circuits. Ask the operator to raise the quota." % S4,
          "subscription quota")
    # the provider side
    r = PE.req("GET", "/subscriptions/%s%s/expressRouteCrossConnections" %
               (PS, NET))
    t.ok(r.status == 200 and any(x["name"] == key for x in r.body["value"]),
         "provider lists its cross connections by s-key", r)
    r = PC.req("GET", xc(key))
    t.ok(r.status == 404, "another provider cannot see the circuit", r)
    r = PE.req("PUT", xc(key), {"properties": {
        "serviceProviderProvisioningState": "Deprovisioning"}})
    t.err(r, 400, "The service provider provisioning state of the circuit "
          "with service key %s cannot change from NotProvisioned to "
          "Deprovisioning. Allowed next states: Provisioning, Provisioned."
          % key, "invalid provider transition")
    r = PE.req("PUT", xc(key), {"properties": {
        "serviceProviderProvisioningState": "Provisioning"}})
    t.ok(r.status == 200, "NotProvisioned -> Provisioning", r)
    r = T1.req("DELETE", cp + "c1")
    t.err(r, 400, "Circuit 'c1' (service key %s) cannot be deleted while its "
          "service provider provisioning state is Provisioning. Ask the "
          "service provider to deprovision the circuit first." % key,
          "delete while Provisioning")
    provision(T1, S1, "c1")
    t.ok(T1.req("GET", cp + "c1").body["properties"]
         ["serviceProviderProvisioningState"] == "Provisioned",
         "circuit shows Provisioned")
    r = T1.req("DELETE", cp + "c1")
    t.ok(r.status == 400 and "Provisioned" in r.msg(),
         "delete while Provisioned refused", r)
    r = T1.req("PUT", xc(key), {"properties": {
        "serviceProviderProvisioningState": "NotProvisioned"}})
    t.ok(r.status == 404, "tenant cannot use the provider API (its "
         "subscription is not the provider's)", r)
    r = T1.req("GET", "/subscriptions/%s%s/expressRouteCrossConnections" %
               (S1, NET))
    t.ok(r.status == 403, "tenant listing cross connections -> 403", r)
    provision(T1, S1, "c1", "Deprovisioning")
    provision(T1, S1, "c1", "NotProvisioned")
    t.status(T1.req("DELETE", cp + "c1"), 202, "delete after deprovision")
    r = T1.req("GET", "/subscriptions/%s%s/expressRouteServiceProviders" %
               (S1, NET))
    names = [p["name"] for p in r.body["value"]]
    eq = [p for p in r.body["value"] if p["name"] == "Equinix"][0]
    t.ok("Equinix" in names and {"offerName": "1Gbps", "valueInMbps": 1000}
         in eq["properties"]["bandwidthsOffered"],
         "provider catalogue lists providers and bandwidths", r)
    r = A.req("PUT", NET.join(["", "/expressRouteServiceProviders/Lab%20Fiber"
                                ]).replace("//", "/"),
              {"properties": {"peeringLocations": ["Amsterdam2"],
                              "bandwidthsOffered": [{"offerName": "50Mbps",
                                                     "valueInMbps": 50}]}})
    t.ok(r.status == 201, "admin adds a catalogue provider", r)
    r = T1.req("PUT", cp + "metro", circuit_body(provider="Lab Fiber",
                                                 loc="Amsterdam2", bw=50))
    t.ok(r.status == 201, "circuit at Metro site Amsterdam2 with it", r)
    T1.wait_op(r)
    t.status(T1.req("DELETE", cp + "metro"), 202, "delete it")
    r = T1.req("PUT", NET + "/expressRouteServiceProviders/Rogue",
               {"properties": {"peeringLocations": [],
                               "bandwidthsOffered": []}})
    t.ok(r.status == 403, "tenant cannot edit the catalogue", r)


def peerings(T1, PE, mk, skey, xc, provision, peer):
    cp = rgp(S1) + "/expressRouteCircuits/"
    mk(T1, S1, "p1")
    key = skey(T1, S1, "p1")
    r = T1.req("GET", cp + "p1/peerings/AzurePrivatePeering")
    t.err(r, 400, "The BGP Peering AzurePrivatePeering with Service Key %s "
          "is not found." % key, "GET absent peering")
    r = T1.req("POST", cp + "p1/peerings/AzurePublicPeering/routeTables/"
               "primary")
    t.err(r, 400, "The BGP Peering AzurePublicPeering with Service Key %s "
          "is not found." % key, "route table of absent peering")
    ok = dict(peerASN=65001, primaryPeerAddressPrefix="172.16.0.0/30",
              secondaryPeerAddressPrefix="172.16.0.4/30", vlanId=200)
    r = peer(T1, S1, "p1", "AzurePrivatePeering", **ok)
    t.err(r, 400, "Peering AzurePrivatePeering cannot be configured on "
          "circuit 'p1' because its service provider provisioning state is "
          "NotProvisioned. Peerings can be configured only after the service "
          "provider has provisioned the circuit (state Provisioned).",
          "peering before provider provisioning")
    provision(T1, S1, "p1")
    for asn in (65515, 65517, 65520):
        r = peer(T1, S1, "p1", "AzurePrivatePeering", **dict(ok, peerASN=asn))
        t.err(r, 400, "Peer ASN %d is reserved for Azure internal use. ASNs "
              "65515-65520 cannot be used as peer ASN; choose another ASN."
              % asn, "reserved ASN %d" % asn)
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, peerASN=4294967296))
    t.ok(r.status == 400 and "between 1 and 4294967295" in r.msg(),
         "peerASN above 2^32-1", r)
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, primaryPeerAddressPrefix="172.16.0.0/28"))
    t.err(r, 400, "properties.primaryPeerAddressPrefix '172.16.0.0/28' must "
          "be a /30 link subnet (or, given alone as the primary prefix, a /29 "
          "that is split into the primary and secondary subnets).",
          "/30 rule")
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, secondaryPeerAddressPrefix="172.16.0.6/30"))
    t.err(r, 400, "properties.secondaryPeerAddressPrefix '172.16.0.6/30' has "
          "host bits set; the network address is '172.16.0.4/30'.",
          "host bits")
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, secondaryPeerAddressPrefix="172.16.0.0/30"))
    t.err(r, 400, "The primary and secondary peer address prefixes must be "
          "different subnets; '172.16.0.0/30' and '172.16.0.0/30' overlap.",
          "same subnets")
    r = peer(T1, S1, "p1", "AzurePrivatePeering", peerASN=65001, vlanId=200)
    t.err(r, 400, "Peering AzurePrivatePeering needs primaryPeerAddressPrefix "
          "and secondaryPeerAddressPrefix (IPv4), an ipv6PeeringConfig with "
          "both prefixes, or both.", "no addresses")
    r = peer(T1, S1, "p1", "AzurePublicPeering", **ok)
    t.err(r, 400, "Azure public peering is retired and cannot be created. "
          "Use MicrosoftPeering for public services.", "public peering")
    r = peer(T1, S1, "p1", "Mine", **ok)
    t.err(r, 400, "Peering name 'Mine' is invalid. A peering is named by its "
          "type: AzurePrivatePeering or MicrosoftPeering.", "peering name")
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, peeringType="MicrosoftPeering"))
    t.err(r, 400, "Peering type 'MicrosoftPeering' does not match the "
          "peering name 'AzurePrivatePeering'.", "type mismatch")
    r = peer(T1, S1, "p1", "AzurePrivatePeering",
             **dict(ok, routeFilter={"id": rgp(S1) + "/routeFilters/f"}))
    t.err(r, 400, "Route filters can be attached only to MicrosoftPeering; "
          "peering AzurePrivatePeering cannot have one.", "filter on private")
    r = peer(T1, S1, "p1", "AzurePrivatePeering", **dict(
        ok, microsoftPeeringConfig={"advertisedPublicPrefixes": ["8.8.8.0/24"]}))
    t.err(r, 400, "Property 'properties.microsoftPeeringConfig' is allowed "
          "only on MicrosoftPeering.", "MS config on private")
    r = peer(T1, S1, "p1", "AzurePrivatePeering", peerASN=65001, vlanId=200,
             primaryPeerAddressPrefix="192.168.100.128/29", sharedKey="md5k",
             ipv6PeeringConfig={"primaryPeerAddressPrefix":
                                "3FFE:FFFF:0:CD30::/125"})
    t.ok(r.status == 201 and r.body["properties"]["primaryPeerAddressPrefix"]
         == "192.168.100.128/30" and r.body["properties"]
         ["secondaryPeerAddressPrefix"] == "192.168.100.132/30" and
         r.body["properties"]["ipv6PeeringConfig"]
         ["secondaryPeerAddressPrefix"] == "3ffe:ffff:0:cd30::4/126" and
         r.body["properties"]["azureASN"] == 12076 and
         r.body["properties"]["state"] == "Enabled",
         "/29 and /125 split into primary and secondary", r)
    T1.wait_op(r)
    g = T1.req("GET", cp + "p1/peerings/AzurePrivatePeering")
    c = T1.req("GET", cp + "p1")
    lst = T1.req("GET", cp + "p1/peerings")
    x = PE.req("GET", xc(key))
    t.ok("sharedKey" not in json.dumps(g.body) and "md5k" not in
         json.dumps(c.body) + json.dumps(lst.body) + json.dumps(x.body),
         "sharedKey is never returned (GET, circuit, list, provider view)")
    t.ok(c.body["properties"]["peerings"][0]["name"] == "AzurePrivatePeering",
         "circuit lists its peerings")
    r = peer(T1, S1, "p1", "AzurePrivatePeering", peerASN=65001, vlanId=200,
             primaryPeerAddressPrefix="192.168.100.128/29", state="Disabled")
    t.ok(r.status == 200 and r.body["properties"]["state"] == "Disabled",
         "admin state Disabled", r)
    T1.wait_op(r)
    ms = dict(peerASN=8075, primaryPeerAddressPrefix="203.0.113.0/30",
              secondaryPeerAddressPrefix="203.0.113.4/30", vlanId=300,
              microsoftPeeringConfig={"advertisedPublicPrefixes":
                                      ["8.8.8.0/24"]})
    r = peer(T1, S1, "p1", "MicrosoftPeering", **dict(ms, vlanId=200))
    t.err(r, 400, "VLAN ID 200 is already used by peering AzurePrivatePeering "
          "of circuit 'p1'. Each peering of a circuit needs its own VLAN ID.",
          "VLAN unique per circuit")
    r = peer(T1, S1, "p1", "MicrosoftPeering",
             **dict(ms, primaryPeerAddressPrefix="10.0.0.0/30",
                    secondaryPeerAddressPrefix="10.0.0.4/30"))
    t.err(r, 400, "properties.primaryPeerAddressPrefix '10.0.0.0/30' is not "
          "a public address range (RFC 1918 private). Microsoft peering "
          "needs public addresses registered to you.",
          "Microsoft peering needs public link subnets")
    r = peer(T1, S1, "p1", "MicrosoftPeering",
             **dict(ms, microsoftPeeringConfig={}))
    t.err(r, 400, "Microsoft peering needs properties.microsoftPeeringConfig."
          "advertisedPublicPrefixes with at least one public prefix.",
          "advertised prefixes required")
    r = peer(T1, S1, "p1", "MicrosoftPeering", **dict(
        ms, microsoftPeeringConfig={"advertisedPublicPrefixes":
                                    ["0.0.0.0/0"]}))
    t.err(r, 400, "Advertised public prefix '0.0.0.0/0' is not valid: a "
          "default route.", "default route refused")
    r = peer(T1, S1, "p1", "MicrosoftPeering", **ms)
    st = r.body["properties"]["microsoftPeeringConfig"]
    t.ok(r.status == 201 and st["advertisedPublicPrefixesState"] ==
         "Configuring", "advertisedPublicPrefixesState Configuring", r)
    T1.wait_op(r)
    g = T1.req("GET", cp + "p1/peerings/MicrosoftPeering")
    t.ok(g.body["properties"]["microsoftPeeringConfig"]
         ["advertisedPublicPrefixesState"] == "Configured",
         "public ASN + public prefix -> Configured", g)
    r = peer(T1, S1, "p1", "MicrosoftPeering", **dict(ms, peerASN=64512))
    T1.wait_op(r)
    g = T1.req("GET", cp + "p1/peerings/MicrosoftPeering")
    t.ok(g.body["properties"]["microsoftPeeringConfig"]
         ["advertisedPublicPrefixesState"] == "ValidationNeeded",
         "private ASN -> ValidationNeeded", g)
    ap = xc(key) + "/peerings/MicrosoftPeering/approveAdvertisedPublicPrefixes"
    r = PE.req("POST", ap)
    t.ok(r.status == 200 and r.body["properties"]["microsoftPeeringConfig"]
         ["advertisedPublicPrefixesState"] == "Configured",
         "provider approves ValidationNeeded -> Configured", r)
    t.err(PE.req("POST", ap), 400, "Advertised public prefixes of peering "
          "MicrosoftPeering are in state Configured; only ValidationNeeded "
          "can be approved.", "approve twice")
    r = T1.req("POST", cp + "p1/peerings/AzurePrivatePeering/arpTables/"
               "tertiary")
    t.err(r, 400, "Device path 'tertiary' is invalid. Allowed values: "
          "primary, secondary.", "device path")
    for a in ("arpTables", "routeTables", "routeTablesSummary"):
        r = T1.req("POST", cp + "p1/peerings/AzurePrivatePeering/%s/primary"
                   % a)
        loc = r.headers.get("location", "")
        st = T1.wait_op(r)
        path = loc.split("://", 1)[-1]
        path = path[path.find("/"):].split("?")[0]
        res = T1.req("GET", path)
        t.ok(r.status == 202 and "/operationResults/" in loc and
             st == "Failed" and res.status == 504 and
             res.body["error"]["code"] == "EdgeDidNotAnswer" and
             "primary path of peering AzurePrivatePeering" in
             res.body["error"]["message"],
             "%s: 202, no edge serves the path: Location gives "
             "EdgeDidNotAnswer (504)" % a, "%r %r %r" % (r, loc, res))
    r = T1.req("GET", cp + "p1/stats")
    t.ok(r.status == 200 and r.body["primarybytesIn"] == 0, "circuit stats")
    t.status(T1.req("DELETE", cp + "p1/peerings/MicrosoftPeering"), 202,
             "delete peering")


def filters(A, T1, T2, mk, provision, peer):
    f = rgp(S1) + "/routeFilters/rf1"
    rule = f + "/routeFilterRules/AcceptedRoutes"
    r = T1.req("PUT", f, {"location": "westus", "properties": {"rules": [
        {"name": "AcceptedRoutes", "properties": {
            "access": "Allow", "routeFilterRuleType": "Community",
            "communities": ["12076:51004,12076:51006"]}}]}})
    t.err(r, 400, "Community name 12076:51004,12076:51006 of route filter "
          "rule %s is invalid. The name must contain colon (:)." % rule,
          "comma-joined community")
    r = T1.req("PUT", f, {"location": "westus"})
    t.status(r, 201, "route filter")
    T1.wait_op(r)
    rb = {"properties": {"access": "Allow", "routeFilterRuleType": "Community",
                         "communities": ["12076"]}}
    t.err(T1.req("PUT", rule, rb), 400, "Community name 12076 of route filter "
          "rule %s is invalid. The name must contain colon (:)." % rule,
          "community without colon")
    rb["properties"]["communities"] = ["12076:59999"]
    r = T1.req("PUT", rule, rb)
    t.ok(r.status == 400 and r.msg().startswith(
        "Community value '12076:59999' of route filter rule 'AcceptedRoutes' "
        "is not a BGP service community."), "unknown community", r)
    rb["properties"].update(access="Deny", communities=["12076:51004"])
    t.err(T1.req("PUT", rule, rb), 400, "Route filter rule access 'Deny' is "
          "not supported. Only 'Allow' rules are supported: a route filter is "
          "an allow-list of communities.", "Deny rule")
    rb["properties"].update(access="Allow", communities=["12076:5010"])
    t.err(T1.req("PUT", rule, rb), 400, "The subscription with id '%s' is "
          "not authorized for creating route filters for O365 services. Read "
          "more about requesting approval." % S1, "O365 not authorised")
    rb["properties"]["communities"] = ["12076:51004", "12076:5040"]
    t.status(T1.req("PUT", rule, rb), 201, "rule with regional + CRM")
    t.err(T1.req("PUT", f + "/routeFilterRules/second", rb), 400,
          "Route filter 'rf1' can have only one rule; it already has rule "
          "'AcceptedRoutes'.", "second rule")
    r = T1.req("GET", "/subscriptions/%s%s/bgpServiceCommunities" % (S1, NET))
    ex = [c for s in r.body["value"] for c in s["properties"]["bgpCommunities"]
          if c["communityValue"] == "12076:5010"][0]
    t.ok(r.status == 200 and ex["isAuthorizedToUse"] is False and
         ex["communityPrefixes"], "communities catalogue: Exchange not "
         "authorised for S1")
    # O365 with an authorised subscription (S2)
    f2 = rgp(S2) + "/routeFilters/o365"
    r2 = T2.req("GET", "/subscriptions/%s%s/bgpServiceCommunities" % (S2, NET))
    t.ok(all(c["isAuthorizedToUse"] for s in r2.body["value"]
             for c in s["properties"]["bgpCommunities"]),
         "all communities authorised for S2")
    r = T2.req("PUT", f2, {"location": "westus", "properties": {"rules": [
        {"name": "AcceptedRoutes", "properties": {
            "access": "Allow", "routeFilterRuleType": "Community",
            "communities": ["12076:5010"]}}]}})
    t.status(r, 201, "O365 filter in an authorised subscription")
    T2.wait_op(r)
    cp = rgp(S2) + "/expressRouteCircuits/"
    r = T2.req("PUT", cp + "std", circuit_body())
    T2.wait_op(r)
    provision(T2, S2, "std")
    ms = dict(peerASN=8075, primaryPeerAddressPrefix="203.0.113.16/30",
              secondaryPeerAddressPrefix="203.0.113.20/30", vlanId=310,
              microsoftPeeringConfig={"advertisedPublicPrefixes":
                                      ["8.8.8.0/24"]})
    r = peer(T2, S2, "std", "MicrosoftPeering", **dict(ms, routeFilter={
        "id": f2}))
    t.err(r, 400, "std is not compatible with the route filter. The route "
          "filter includes Office 365 communities. The circuit does not have "
          "access to Office365.", "attach O365 filter to Standard circuit")
    f3 = rgp(S2) + "/routeFilters/plain"
    r = T2.req("PUT", f3, {"location": "westus", "properties": {"rules": [
        {"name": "AcceptedRoutes", "properties": {
            "access": "Allow", "routeFilterRuleType": "Community",
            "communities": ["12076:51004"]}}]}})
    T2.wait_op(r)
    r = peer(T2, S2, "std", "MicrosoftPeering", **dict(ms, routeFilter={
        "id": f3}))
    t.status(r, 201, "attach a non-O365 filter")
    T2.wait_op(r)
    g = T2.req("GET", f3)
    t.ok(g.body["properties"]["peerings"] == [{"id": cp + "std/peerings/"
                                                "MicrosoftPeering"}],
         "filter lists the attached peering", g)
    r = T2.req("PUT", f3 + "/routeFilterRules/AcceptedRoutes", {
        "properties": {"access": "Allow", "routeFilterRuleType": "Community",
                       "communities": ["12076:51004", "12076:5020"]}})
    t.err(r, 400, "Failed to modify route filter rule 'AcceptedRoutes'. "
          "Error: The remote server returned an unexpected response: (400) "
          "std is not compatible with the route filter. The route filter "
          "includes Office 365 communities. The circuit does not have access "
          "to Office365..", "add O365 to a filter on a Standard circuit")
    t.err(T2.req("DELETE", f3), 400, "Route filter 'plain' cannot be deleted "
          "because it is attached to peering(s): %sstd/peerings/"
          "MicrosoftPeering. Detach it first." % cp, "delete attached filter")
    r = T2.req("PUT", cp + "std", circuit_body(tier="Premium"))
    t.status(r, 200, "upgrade to Premium")
    T2.wait_op(r)
    r = peer(T2, S2, "std", "MicrosoftPeering", **dict(ms, routeFilter={
        "id": f2}))
    t.status(r, 200, "O365 filter attaches to the Premium circuit")
    T2.wait_op(r)
    t.err(T2.req("PUT", cp + "std", circuit_body()), 400,
          "Circuit 'std' cannot be changed from Premium to Standard: route "
          "filter 'o365' attached to its Microsoft peering includes Office "
          "365 communities, which need Premium.", "downgrade with O365")
    r = peer(T2, S2, "std", "MicrosoftPeering", **ms)
    t.status(r, 200, "detach the filter")
    T2.wait_op(r)
    t.status(T2.req("DELETE", f3), 202, "delete detached filter")
    # an S1 token cannot attach S2's filter: it does not exist for S1
    mk(T1, S1, "rfc")
    provision(T1, S1, "rfc")
    r = peer(T1, S1, "rfc", "MicrosoftPeering", **dict(ms, routeFilter={
        "id": f2}))
    t.err(r, 400, "Resource %s referenced by resource %s/expressRouteCircuits/"
          "rfc/peerings/MicrosoftPeering was not found. Please make sure that "
          "the referenced resource exists." % (f2, rgp(S1)),
          "another subscription's filter looks absent")


def vnet_body(spaces, subnets=(), location="westus"):
    return {"location": location, "properties": {
        "addressSpace": {"addressPrefixes": list(spaces)},
        "subnets": [{"name": n, "properties": {"addressPrefix": p}}
                    for n, p in subnets]}}


def gw_body(vnet, gtype="ExpressRoute", sku="Standard", location="westus",
            **props):
    p = {"gatewayType": gtype, "sku": {"name": sku},
         "ipConfigurations": [{"name": "ipc", "properties": {"subnet": {
             "id": vnet + "/subnets/GatewaySubnet"}}}]}
    p.update(props)
    return {"location": location, "properties": p}


def conn_body(gw, circuit, location="westus", **props):
    p = {"connectionType": "ExpressRoute",
         "virtualNetworkGateway1": {"id": gw}, "peer": {"id": circuit}}
    p.update(props)
    return {"location": location, "properties": p}


def networks(T1, T2, T3, mk, skey, provision, peer):
    P = rgp(S1)
    vn = P + "/virtualNetworks/"
    t.err(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.0/16", "10.0.128.0/17"])),
          400, "Address prefix '10.0.128.0/17' overlaps '10.0.0.0/16' in the "
          "address space of virtual network 'bad'.", "overlapping spaces")
    t.err(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.0/16"], [
        ("a", "10.1.0.0/24")])), 400, "Subnet 'a' is not valid because its IP "
          "address range is outside the IP address range of virtual network "
          "'bad'.", "subnet outside")
    t.err(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.0/16"], [
        ("a", "10.0.0.0/24"), ("b", "10.0.0.128/25")])), 400,
          "Subnet 'b' is not valid because its IP address range overlaps with "
          "that of an existing subnet in virtual network 'bad'.",
          "subnets overlap")
    t.err(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.0/16"], [
        ("GatewaySubnet", "10.0.0.0/30")])), 400, "GatewaySubnet of virtual "
          "network 'bad' is /30; it must be /29 or larger (/27 or larger is "
          "recommended, /26 or larger for 16 ExpressRoute connections).",
          "GatewaySubnet too small")
    t.ok(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.300/16"])).status == 400,
         "bad prefix")
    hub = vn + "hub"
    r = T1.req("PUT", hub, vnet_body(["10.10.0.0/16"], [
        ("GatewaySubnet", "10.10.255.0/27"), ("app", "10.10.1.0/24")]))
    t.status(r, 201, "hub VNet")
    T1.wait_op(r)
    for n, sp in (("spoke1", "10.11.0.0/16"), ("spoke2", "10.12.0.0/16"),
                  ("euro", "10.20.0.0/16")):
        loc = "westeurope" if n == "euro" else "westus"
        r = T1.req("PUT", vn + n, vnet_body([sp], [
            ("GatewaySubnet", sp.replace(".0.0/16", ".255.0/27"))], loc))
        T1.wait_op(r)
    gw = P + "/virtualNetworkGateways/"
    t.err(T1.req("PUT", gw + "g1", gw_body(hub, customRoutes={
        "addressPrefixes": ["192.168.0.0/16"]})), 400,
          "Custom routes are not allowed to be specified for gateway g1 of "
          "type ExpressRoute.", "custom routes on ER gateway")
    t.err(T1.req("PUT", gw + "g1", gw_body(hub, bgpSettings={"asn": 65001})),
          400, "The BGP ASN of an ExpressRoute gateway is 65515 and cannot be "
          "set to 65001.", "gateway ASN")
    t.err(T1.req("PUT", gw + "g1", gw_body(hub, sku="VpnGw1")), 400,
          "Gateway SKU 'VpnGw1' is not valid for gateway type ExpressRoute. "
          "Allowed SKUs: Standard, HighPerformance, UltraPerformance, ErGw1AZ, "
          "ErGw2AZ, ErGw3AZ, ErGwScale.", "VPN SKU on ER gateway")
    t.err(T1.req("PUT", gw + "g1", gw_body(hub, sku="ErGwScale")), 400,
          "Gateway SKU ErGwScale needs autoScaleConfiguration.bounds with min "
          "and max scale units (1-40).", "ErGwScale without bounds")
    t.err(T1.req("PUT", gw + "g1", gw_body(hub, sku="ErGwScale",
                                           autoScaleConfiguration={"bounds": {
                                               "min": 5, "max": 2}})), 400,
          "autoScaleConfiguration.bounds must satisfy 1 <= min <= max <= 40; "
          "got min 5, max 2.", "ErGwScale bounds")
    b = gw_body(hub)
    b["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"] = \
        hub + "/subnets/app"
    t.err(T1.req("PUT", gw + "g1", b), 400, "The IP configuration of gateway "
          "'g1' must reference the subnet named GatewaySubnet of its virtual "
          "network; got '%s/subnets/app'." % hub, "gateway outside "
          "GatewaySubnet")
    gr = T1.req("PUT", gw + "g1", gw_body(hub, sku="UltraPerformance"))
    t.ok(gr.status == 201 and gr.body["properties"]["bgpSettings"]["asn"] ==
         65515 and gr.body["properties"]["provisioningState"] == "Updating",
         "ER gateway, ASN 65515, Updating", gr)
    t.err(T1.req("PUT", gw + "g2", gw_body(hub)), 400, "Virtual network 'hub' "
          "already has a gateway of type ExpressRoute ('g1'). A virtual "
          "network can have one ExpressRoute and one VPN gateway.",
          "second ER gateway")
    r = T1.req("PUT", gw + "vpn", gw_body(hub, gtype="Vpn", sku="VpnGw1"))
    t.status(r, 201, "VPN gateway beside it")
    mk(T1, S1, "n1")
    ckt = P + "/expressRouteCircuits/n1"
    r = T1.req("PUT", P + "/connections/early", conn_body(gw + "g1", ckt))
    t.err(r, 400, "The current provisioning status of the gateway prevents "
          "this operation.", "connection while the gateway provisions")
    t.ok(T1.wait_op(gr, 10) == "Succeeded", "gateway provisioned")
    T1.wait_op(r)
    r = T1.req("PUT", P + "/connections/v", conn_body(gw + "vpn", ckt))
    t.err(r, 400, "This operation is enabled only for the following gateway "
          "mode(s): DedicatedCircuit.", "connection on a VPN gateway")
    key = skey(T1, S1, "n1")
    r = T1.req("PUT", P + "/connections/c1", conn_body(gw + "g1", ckt))
    t.err(r, 400, "The BGP Peering AzurePrivatePeering with Service Key %s is "
          "not found." % key, "connection without private peering")
    provision(T1, S1, "n1")
    pr = peer(T1, S1, "n1", "AzurePrivatePeering", peerASN=65001, vlanId=100,
              primaryPeerAddressPrefix="172.17.0.0/29")
    T1.wait_op(pr)
    r = T1.req("PUT", P + "/connections/c1", conn_body(gw + "g1", ckt,
                                                       routingWeight=32001))
    t.ok(r.status == 400 and "between 0 and 32000" in r.msg(),
         "routingWeight range", r)
    r = T1.req("PUT", P + "/connections/c1", conn_body(
        gw + "g1", ckt, enablePrivateLinkFastPath=True))
    t.err(r, 400, "enablePrivateLinkFastPath needs expressRouteGatewayBypass "
          "set to true.", "private link FastPath without FastPath")
    r = T1.req("PUT", P + "/connections/c1", conn_body(gw + "g1", ckt,
                                                       routingWeight=100))
    t.ok(r.status == 201 and r.body["properties"]["routingWeight"] == 100,
         "connection gateway <-> circuit", r)
    T1.wait_op(r)
    t.err(T1.req("PUT", P + "/connections/c1", conn_body(
        gw + "g1", P + "/expressRouteCircuits/other")), 400,
          "Property 'properties.peer.id' of connection 'c1' cannot be "
          "changed. Delete and recreate the connection.", "peer immutable")
    t.err(T1.req("PUT", P + "/connections/dup", conn_body(gw + "g1", ckt)),
          400, "Gateway 'g1' is already connected to circuit 'n1' by "
          "connection 'c1'.", "duplicate connection")
    provision(T1, S1, "n1", "NotProvisioned")
    t.err(T1.req("DELETE", ckt), 400, "Circuit 'n1' cannot be deleted while 1 "
          "virtual network connection(s) are linked to it (%s/connections/c1)."
          " Delete the connections first." % P, "circuit delete while linked")
    provision(T1, S1, "n1")
    t.err(T1.req("DELETE", gw + "g1"), 400, "Gateway 'g1' cannot be deleted "
          "while 1 connection(s) use it (c1). Delete the connections first.",
          "gateway delete while connected")
    t.err(T1.req("DELETE", hub), 400, "Virtual network 'hub' cannot be "
          "deleted because it is in use by %s." % (gw + "g1"),
          "VNet delete with gateway")
    # same peering location: at most 4 circuits per gateway
    for i in range(2, 6):
        mk(T1, S1, "n%d" % i)
        provision(T1, S1, "n%d" % i)
        T1.wait_op(peer(T1, S1, "n%d" % i, "AzurePrivatePeering",
                        peerASN=65001, vlanId=100,
                        primaryPeerAddressPrefix="172.17.%d.0/29" % i))
    for i in range(2, 5):
        r = T1.req("PUT", P + "/connections/c%d" % i, conn_body(
            gw + "g1", P + "/expressRouteCircuits/n%d" % i))
        T1.wait_op(r)
    r = T1.req("PUT", P + "/connections/c5", conn_body(
        gw + "g1", P + "/expressRouteCircuits/n5"))
    t.err(r, 400, "Gateway 'g1' already connects 4 circuits from peering "
          "location Silicon Valley; a virtual network can link at most 4 "
          "circuits from the same peering location.", "4 per peering location")
    # gateway SKU connection cap: Standard = 4
    r = T1.req("PUT", gw + "gs", gw_body(vn + "spoke2", sku="Standard"))
    T1.wait_op(r, 10)
    locs = ["Washington DC", "Chicago", "Dallas", "Silicon Valley"]
    for i, loc in enumerate(locs):
        name = "s%d" % i
        mk(T1, S1, name, loc=loc)
        provision_loc(T1, name, loc)
        T1.wait_op(peer(T1, S1, name, "AzurePrivatePeering", peerASN=65001,
                        vlanId=100, primaryPeerAddressPrefix="172.18.%d.0/29"
                        % i))
        r = T1.req("PUT", P + "/connections/s%d" % i, conn_body(
            gw + "gs", P + "/expressRouteCircuits/" + name))
        T1.wait_op(r)
    r = T1.req("PUT", P + "/connections/s9", conn_body(
        gw + "gs", P + "/expressRouteCircuits/n5"))
    t.err(r, 400, "Gateway 'gs' with SKU Standard can connect at most 4 "
          "circuits; it already has 4 connections.", "gateway SKU cap")
    r = T1.req("PUT", P + "/connections/fp", conn_body(
        gw + "gs", P + "/expressRouteCircuits/n5",
        expressRouteGatewayBypass=True))
    t.err(r, 400, "FastPath (expressRouteGatewayBypass) needs gateway SKU "
          "UltraPerformance, ErGw3AZ or ErGwScale with at least 10 scale "
          "units; gateway 'gs' is Standard.", "FastPath SKU")
    # cross-geo needs Premium; Local needs a local region
    r = T1.req("PUT", gw + "ge", gw_body(vn + "euro", location="westeurope"))
    T1.wait_op(r, 10)
    r = T1.req("PUT", P + "/connections/geo", conn_body(
        gw + "ge", P + "/expressRouteCircuits/n5", location="westeurope"))
    t.err(r, 400, "Circuit 'n5' with SKU tier Standard can link only virtual "
          "networks in its geopolitical region North America; virtual network "
          "'ge' is in region westeurope (Europe). Enable Premium on the "
          "circuit to link across geopolitical regions.", "cross-geo Standard")
    T1.wait_op(T1.req("PUT", P + "/expressRouteCircuits/n5",
                      circuit_body(tier="Premium")))
    r = T1.req("PUT", P + "/connections/geo", conn_body(
        gw + "ge", P + "/expressRouteCircuits/n5", location="westeurope"))
    t.status(r, 201, "cross-geo with Premium")
    T1.wait_op(r)
    t.err(T1.req("PUT", P + "/expressRouteCircuits/n5", circuit_body()), 400,
          "Circuit 'n5' cannot be changed from Premium to Standard: connection "
          "'geo' links a virtual network in region westeurope (geopolitical "
          "region Europe) outside the circuit's geopolitical region North "
          "America.", "Premium downgrade with cross-geo link")
    mk(T1, S1, "loc", tier="Local", loc="Washington DC")
    provision_loc(T1, "loc", "Washington DC")
    T1.wait_op(peer(T1, S1, "loc", "AzurePrivatePeering", peerASN=65001,
                    vlanId=100, primaryPeerAddressPrefix="172.19.0.0/29"))
    r = T1.req("PUT", P + "/connections/lc", conn_body(
        gw + "g1", P + "/expressRouteCircuits/loc"))
    t.err(r, 400, "Circuit 'loc' has SKU tier Local and can link only virtual "
          "networks in the regions local to peering location Washington DC "
          "(eastus, eastus2); virtual network 'g1' is in region westus.",
          "Local SKU outside its regions")
    # authorizations: S3 links its gateway to S1's circuit n5
    au = P + "/expressRouteCircuits/n5/authorizations/forS3"
    r = T1.req("PUT", au, {})
    akey = r.body["properties"]["authorizationKey"]
    t.ok(r.status == 201 and r.body["properties"]["authorizationUseStatus"]
         == "Available" and len(akey) == 36, "authorization Available", r)
    T1.wait_op(r)
    P3 = rgp(S3)
    T3.wait_op(T3.req("PUT", P3 + "/virtualNetworks/v3", vnet_body(
        ["10.30.0.0/16"], [("GatewaySubnet", "10.30.255.0/27")])))
    T3.wait_op(T3.req("PUT", P3 + "/virtualNetworkGateways/g3",
                      gw_body(P3 + "/virtualNetworks/v3")), 10)
    n5 = P + "/expressRouteCircuits/n5"
    r = T3.req("PUT", P3 + "/connections/x", conn_body(
        P3 + "/virtualNetworkGateways/g3", n5))
    t.ok(r.status == 400 and r.code() == "InvalidResourceReference",
         "another subscription's circuit without a key looks absent", r)
    r = T3.req("PUT", P3 + "/connections/x", conn_body(
        P3 + "/virtualNetworkGateways/g3", n5,
        authorizationKey="00000000-0000-4000-8000-000000000000"))
    t.err(r, 400, "The authorization key provided for circuit 'n5' is not "
          "valid.", "wrong authorization key")
    r = T3.req("PUT", P3 + "/connections/x", conn_body(
        P3 + "/virtualNetworkGateways/g3", n5, authorizationKey=akey))
    t.ok(r.status == 201 and "authorizationKey" not in r.body["properties"],
         "cross-subscription connection with the key", r)
    T3.wait_op(r)
    a = T1.req("GET", au)
    t.ok(a.body["properties"]["authorizationUseStatus"] == "InUse" and
         a.body["properties"]["connectionResourceUri"] == P3 +
         "/connections/x", "authorization InUse", a)
    r = T3.req("PUT", P3 + "/connections/y", conn_body(
        P3 + "/virtualNetworkGateways/g3", n5, authorizationKey=akey))
    t.err(r, 400, "Authorization 'forS3' of circuit 'n5' is already in use by "
          "connection '%s/connections/x'. One authorization can be redeemed "
          "by one connection only." % P3, "authorization used twice")
    t.status(T3.req("DELETE", P3 + "/connections/x"), 202, "delete connection")
    t.ok(T1.req("GET", au).body["properties"]["authorizationUseStatus"] ==
         "Available", "authorization Available again")
    r = T3.req("PUT", P3 + "/connections/x", conn_body(
        P3 + "/virtualNetworkGateways/g3", n5, authorizationKey=akey))
    T3.wait_op(r)
    t.status(T1.req("DELETE", au), 202, "revoke the authorization")
    t.status(T3.req("GET", P3 + "/connections/x"), 404,
             "revoking deleted the link")
    # VNet peering
    vp = vn + "spoke1/virtualNetworkPeerings/"
    t.err(T1.req("PUT", vp + "self", {"properties": {"remoteVirtualNetwork": {
        "id": vn + "spoke1"}}}), 400, "Virtual network 'spoke1' cannot be "
          "peered with itself.", "peer with self")
    r = T1.req("PUT", vn + "ov", vnet_body(["10.11.0.0/20"]))
    T1.wait_op(r)
    t.err(T1.req("PUT", vp + "ov", {"properties": {"remoteVirtualNetwork": {
        "id": vn + "ov"}}}), 400, "Virtual network 'spoke1' cannot be peered "
          "with 'ov' because their address spaces overlap (10.11.0.0/16 and "
          "10.11.0.0/20).", "overlapping peering")
    r = T1.req("PUT", vn + "s5", vnet_body(["10.15.0.0/16"]))
    T1.wait_op(r)
    r = T1.req("PUT", vn + "s6", vnet_body(["10.16.0.0/16"]))
    T1.wait_op(r)
    s5 = vn + "s5/virtualNetworkPeerings/"
    r = T1.req("PUT", s5 + "toS6", {"properties": {
        "remoteVirtualNetwork": {"id": vn + "s6"}, "useRemoteGateways": True}})
    t.err(r, 400, "Peering 'toS6' cannot set useRemoteGateways because the "
          "remote virtual network 's6' has no gateway.", "remote has no gateway")
    r = T1.req("PUT", vn + "hub/virtualNetworkPeerings/toS5", {"properties": {
        "remoteVirtualNetwork": {"id": vn + "s5"}}})
    t.ok(r.status == 201 and r.body["properties"]["peeringState"] ==
         "Initiated", "hub -> s5 Initiated", r)
    T1.wait_op(r)
    r = T1.req("PUT", s5 + "toHub", {"properties": {
        "remoteVirtualNetwork": {"id": hub}, "useRemoteGateways": True}})
    t.err(r, 400, "Peering 'toHub' cannot set useRemoteGateways because the "
          "remote peering 'toS5' does not set allowGatewayTransit.",
          "remote peering without gateway transit")
    r = T1.req("PUT", vn + "hub/virtualNetworkPeerings/toS5", {"properties": {
        "remoteVirtualNetwork": {"id": vn + "s5"}, "allowGatewayTransit": True}})
    T1.wait_op(r)
    r = T1.req("PUT", s5 + "toHub", {"properties": {
        "remoteVirtualNetwork": {"id": hub}, "useRemoteGateways": True,
        "allowForwardedTraffic": True}})
    t.ok(r.status == 201 and r.body["properties"]["peeringState"] ==
         "Connected", "s5 -> hub Connected with useRemoteGateways", r)
    T1.wait_op(r)
    g = T1.req("GET", vn + "hub/virtualNetworkPeerings/toS5")
    t.ok(g.body["properties"]["peeringState"] == "Connected",
         "the hub side turns Connected", g)
    r = T1.req("PUT", s5 + "toS6b", {"properties": {
        "remoteVirtualNetwork": {"id": vn + "spoke2"},
        "useRemoteGateways": True}})
    t.err(r, 400, "Peering 'toS6b' cannot set useRemoteGateways because "
          "peering 'toHub' of virtual network 's5' already uses remote "
          "gateways. Only one peering per virtual network may set it.",
          "useRemoteGateways twice")
    r = T1.req("PUT", vn + "hub/virtualNetworkPeerings/toSpoke2", {
        "properties": {"remoteVirtualNetwork": {"id": vn + "spoke2"},
                       "useRemoteGateways": True,
                       "doNotVerifyRemoteGateways": True}})
    t.err(r, 400, "Peering 'toSpoke2' cannot set useRemoteGateways because "
          "virtual network 'hub' has its own gateway 'g1'.",
          "useRemoteGateways with own gateway")
    r = T1.req("PUT", gw + "gs5", gw_body(vn + "s5"))
    t.ok(r.status == 400 and r.code() == "GatewaySubnetRequired",
         "s5 has no GatewaySubnet", r)
    T1.wait_op(T1.req("PUT", vn + "s5", vnet_body(
        ["10.15.0.0/16"], [("GatewaySubnet", "10.15.255.0/27")])))
    t.err(T1.req("PUT", gw + "gs5", gw_body(vn + "s5")), 400,
          "Virtual network 's5' cannot have its own gateway because its "
          "peering 'toHub' uses remote gateways.", "gateway in a spoke")
    t.status(T1.req("DELETE", s5 + "toHub"), 202, "delete spoke side")
    g = T1.req("GET", vn + "hub/virtualNetworkPeerings/toS5")
    t.ok(g.body["properties"]["peeringState"] == "Disconnected",
         "hub side Disconnected", g)


def exact_more(A, T1):
    """The remaining catalogue entries, each with its exact text."""
    P = rgp(S1)
    base = P + "/expressRouteCircuits/n5"
    t.err(T1.req("GET", base, apiv="1999-01-01"), 400, "The api-version "
          "'1999-01-01' is invalid. The supported versions are '2025-07-01,"
          "2024-05-01,2023-09-01'.", "unknown api-version")
    t.err(T1.req("GET", "/providers/Xroute.Admin/tokens"), 403, "The client "
          "with role 'tenant' does not have authorization to perform action "
          "'GET' over scope '/providers/Xroute.Admin/tokens'.",
          "tenant on an admin path")
    t.err(T1.req("GET", P + "/widgets/x"), 404, "The resource path '%s/"
          "widgets/x' does not name a resource type of namespace "
          "'Microsoft.Network' that this server supports." % P, "bad path")
    t.err(T1.req("POST", base, {}), 405, "The requested resource does not "
          "support http method 'POST'.", "POST on a resource")
    cur = T1.req("GET", base).body
    t.err(T1.req("PATCH", base, {"tags": {}}, headers={"If-Match": 'W/"0"'}),
          412, "The condition specified using HTTP conditional header(s) is "
          "not met: If-Match W/\"0\" but the current ETag is %s." %
          cur["etag"], "stale If-Match")
    t.err(T1.req("PUT", P + "/expressRouteCircuits/-bad-", circuit_body()),
          400, "Resource name '-bad-' is invalid. The name can be up to 80 "
          "characters long. It must begin with a word character, and it must "
          "end with a word character or with '_'. The name may contain word "
          "characters or '.', '-', '_'.", "invalid name")
    t.err(T1.req("PATCH", base, {"tags": dict(("k%d" % i, "v")
                                              for i in range(51))}), 400,
          "The resource has 51 tags; at most 50 are allowed, with names up to "
          "512 and values up to 256 characters.", "too many tags")
    vn = P + "/virtualNetworks/"
    t.err(T1.req("PUT", vn + "s6/virtualNetworkPeerings/x", {"properties": {
        "remoteVirtualNetwork": {"id": "hub"}}}), 400, "Property id 'hub' at "
          "path 'properties.remoteVirtualNetwork.id' is invalid. Expect fully "
          "qualified resource Id that start with '/subscriptions/"
          "{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.",
          "malformed reference id")
    t.err(T1.req("PUT", P + "/routeFilters/rf1/routeFilterRules/"
                 "AcceptedRoutes", {"properties": {
                     "access": "Allow", "routeFilterRuleType": "Community",
                     "communities": []}}), 400, "Route filter rule "
          "'AcceptedRoutes' needs at least one community.", "empty rule")
    t.err(T1.req("PUT", vn + "bad", vnet_body(["10.0.0.0/16"], [
        ("a", "10.0.0.0/24"), ("a", "10.0.1.0/24")])), 400, "Subnet name 'a' "
          "appears more than once in virtual network 'bad'.", "duplicate subnet")
    gw = P + "/virtualNetworkGateways/"
    b = gw_body(vn + "hub")
    b["properties"]["sku"]["tier"] = "HighPerformance"
    t.err(T1.req("PUT", gw + "g1", b), 400, "Gateway sku name 'Standard' does "
          "not match sku tier 'HighPerformance'.", "gateway sku/tier")
    t.err(T1.req("PUT", gw + "vpn", gw_body(vn + "hub")), 400, "The gateway "
          "type of 'vpn' cannot be changed from Vpn to ExpressRoute.",
          "gateway type immutable")
    t.err(T1.req("PUT", P + "/connections/ipsec", conn_body(
        gw + "g1", P + "/expressRouteCircuits/n1", connectionType="IPsec")),
          400, "Connection type 'IPsec' is not supported; only ExpressRoute "
          "connections are supported.", "IPsec connection")
    spaces = ["10.%d.%d.0/24" % (100 + i // 256, i % 256) for i in range(201)]
    r = T1.req("PUT", vn + "big", vnet_body(spaces, [
        ("GatewaySubnet", "10.100.0.0/27")]))
    T1.wait_op(r)
    T1.wait_op(T1.req("PUT", gw + "gbig", gw_body(vn + "big",
                                                  sku="ErGw3AZ")), 10)
    t.err(T1.req("PUT", P + "/connections/big", conn_body(
        gw + "gbig", P + "/expressRouteCircuits/n1")), 400,
          "Connection 'big' would advertise 201 address spaces; at most 200 "
          "are allowed when a connection is created.", "200 address spaces")
    b = vnet_body(spaces, [("GatewaySubnet", "10.100.0.0/27")])
    b["properties"]["summarizedGatewayPrefixes"] = ["10.0.0.0/8",
                                                    "10.100.0.0/16"]
    t.err(T1.req("PUT", vn + "big", b), 400, "Summarized gateway prefix "
          "'10.100.0.0/16' overlaps '10.0.0.0/8'; the summarizedGatewayPrefixes "
          "of virtual network 'big' must not overlap each other.",
          "overlapping summarized prefixes")
    b["properties"]["summarizedGatewayPrefixes"] = ["10.100.0.0/16"]
    T1.wait_op(T1.req("PUT", vn + "big", b))
    r = T1.req("PUT", P + "/connections/big", conn_body(
        gw + "gbig", P + "/expressRouteCircuits/n1"))
    t.ok(r.status == 201, "201 spaces summarized into one: connection "
         "allowed", r)
    T1.wait_op(r)
    # 9 to 16 connections need a /26 GatewaySubnet
    T1.wait_op(T1.req("PUT", vn + "many", vnet_body(["10.60.0.0/16"], [
        ("GatewaySubnet", "10.60.255.0/27")])))
    T1.wait_op(T1.req("PUT", gw + "gmany", gw_body(vn + "many",
                                                   sku="UltraPerformance")),
               10)
    locs = ["Washington DC"] * 3 + ["Chicago"] * 3 + ["Dallas"] * 3
    for i, loc in enumerate(locs):
        name = "m%d" % i
        T1.wait_op(T1.req("PUT", P + "/expressRouteCircuits/" + name,
                          circuit_body(loc=loc)))
        provision_loc(T1, name, loc)
        T1.wait_op(T1.req("PUT", P + "/expressRouteCircuits/%s/peerings/"
                          "AzurePrivatePeering" % name, {"properties": {
                              "peerASN": 65001, "vlanId": 100,
                              "primaryPeerAddressPrefix":
                              "172.20.%d.0/29" % i}}))
        r = T1.req("PUT", P + "/connections/" + name, conn_body(
            gw + "gmany", P + "/expressRouteCircuits/" + name))
        if i < 8:
            T1.wait_op(r)
    t.err(r, 400, "Gateway 'gmany' can have more than 8 connections only with "
          "a GatewaySubnet of /26 or larger; the GatewaySubnet of virtual "
          "network 'many' is /27.", "9th connection needs a /26")
    t.err(A.req("PUT", "/providers/Xroute.Admin/tokens/bad", {"properties": {
        "role": "provider", "subscriptionId": PS, "providerName": "Nobody"}}),
          400, "A provider token needs properties.providerName naming a "
          "service provider of the catalogue; 'Nobody' is not one.",
          "provider token for an unknown provider")
    t.err(A.req("PUT", "/providers/Xroute.Admin/tokens/bad", {"properties": {
        "role": "tenant"}}), 400, "A tenant token needs properties."
          "subscriptionId naming an existing subscription.",
          "tenant token without subscription")


def provision_loc(c, name, loc):
    key = c.req("GET", rgp(S1) + "/expressRouteCircuits/" +
                name).body["properties"]["serviceKey"]
    r = PROVIDER[0].req("PUT", "/subscriptions/%s/resourceGroups/CrossConnection-%s%s/"
               "expressRouteCrossConnections/%s" % (PS, loc.replace(" ", ""),
                                                    NET, key),
               {"properties": {"serviceProviderProvisioningState":
                               "Provisioned"}})
    assert r.status == 200, r


PROVIDER = []


def isolation(T1, T3, PE):
    """Every resource type of S1 looks absent to S3's token."""
    P = rgp(S1)
    au = T1.req("PUT", P + "/expressRouteCircuits/n5/authorizations/x", {})
    T1.wait_op(au)
    paths = [P + "/expressRouteCircuits/n5",
             P + "/expressRouteCircuits/n5/peerings/AzurePrivatePeering",
             P + "/expressRouteCircuits/n5/authorizations/x",
             P + "/routeFilters/rf1",
             P + "/routeFilters/rf1/routeFilterRules/AcceptedRoutes",
             P + "/virtualNetworks/hub",
             P + "/virtualNetworks/hub/virtualNetworkPeerings/toS5",
             P + "/virtualNetworkGateways/g1", P + "/connections/c1"]
    for p in paths:
        own = T1.req("GET", p)
        r = T3.req("GET", p)
        d = T3.req("DELETE", p)
        u = T3.req("PUT", p, {"location": "westus", "properties": {}})
        kind = p.split(NET + "/")[1].split("/")
        kind = kind[0] if len(kind) <= 2 else kind[2]
        t.ok(r.status == 404 and d.status == 404 and u.status == 404 and
             own.status in (200, 400),
             "S3 token: %s of S1 is 404 for GET, PUT and DELETE" % kind,
             "%r %r %r own=%r" % (r, d, u, own))
    r = T3.req("GET", "/subscriptions/%s/resourceGroups/rg" % S1)
    t.ok(r.status == 404, "resource group of S1 is 404 for S3", r)
    r = T3.req("GET", "/subscriptions/%s%s/expressRouteCircuits" % (S1, NET))
    t.err(r, 404, "The subscription '%s' could not be found." % S1,
          "list in S1 with S3's token")
    r = T3.req("GET", "/subscriptions/" + S1)
    t.ok(r.status == 404, "subscription S1 is 404 for S3", r)
    r = T3.req("GET", "/subscriptions/%s%s/expressRouteCircuits" % (S3, NET))
    t.ok(r.status == 200 and all("/subscriptions/" + S3 in c["id"]
                                 for c in r.body["value"]),
         "S3 lists only its own circuits", r)
    r = PE.req("GET", P + "/expressRouteCircuits/n5")
    t.ok(r.status == 404, "provider token cannot read tenant resources", r)
    isolation_more(T1, T3, PE, paths, au)


def isolation_more(T1, T3, PE, paths, au):
    """The verbs and kinds isolation() leaves out: PATCH of tags, child
    lists, resource groups and subscriptions written from outside, the
    operation status of another tenant's write, the admin-only
    collections (tokens, change feed) for tenant and provider tokens."""
    P = rgp(S1)
    bad = []
    for p in paths:
        r = T3.req("PATCH", p, {"tags": {"x": "y"}})
        if r.status != 404:
            bad.append((p, r))
    t.ok(not bad, "S3 token: PATCH of tags on each of the %d resources of "
         "S1 is 404" % len(paths), bad)
    after = [T1.req("GET", p) for p in paths]
    t.ok(all("x" not in ((a.body or {}).get("tags") or {}) for a in after),
         "S1's resources carry no tag written by S3")
    lists = [P + "/expressRouteCircuits", P + "/expressRouteCircuits/n5/"
             "peerings", P + "/expressRouteCircuits/n5/authorizations",
             P + "/routeFilters", P + "/routeFilters/rf1/routeFilterRules",
             P + "/virtualNetworks", P + "/virtualNetworks/hub/"
             "virtualNetworkPeerings", P + "/virtualNetworkGateways",
             P + "/connections", "/subscriptions/%s/resourceGroups" % S1]
    got = [(p, T3.req("GET", p).status) for p in lists]
    t.ok(all(c == 404 for _, c in got), "S3 token: the %d collections of S1 "
         "are 404" % len(lists), got)
    got = [(p, PE.req("GET", p).status) for p in lists]
    t.ok(all(c == 404 for _, c in got), "provider token: the %d collections "
         "of S1 are 404" % len(lists), got)
    rg = "/subscriptions/%s/resourceGroups/" % S1
    u = T3.req("PUT", rg + "fromS3", {"location": "westus"})
    d = T3.req("DELETE", rg + "rg")
    t.ok(u.status == 404 and d.status == 404 and
         T1.req("GET", rg + "rg").status == 200 and
         T1.req("GET", rg + "fromS3").status == 404,
         "S3 token cannot create or delete resource groups in S1", (u, d))
    sp = T3.req("PUT", "/subscriptions/" + S3, {"properties": {
        "circuitQuota": 100000}})
    sd = T3.req("DELETE", "/subscriptions/" + S1)
    t.ok(sp.status in (403, 404) and sd.status in (403, 404),
         "a tenant cannot change subscriptions, not even its own quota",
         (sp, sd))
    op = au.headers.get("azure-asyncoperation", "")
    op = op.split("://", 1)[-1]
    op = op[op.find("/"):].split("?")[0] if "/" in op else ""
    own = T1.req("GET", op) if op else None
    r = T3.req("GET", op) if op else None
    t.ok(own is not None and own.status == 200 and r.status == 404,
         "S1's operation status is 200 for S1, 404 for S3", (op, own, r))
    for who, c in (("tenant", T1), ("provider", PE)):
        got = [c.req(m, p, b).status for m, p, b in (
            ("GET", "/providers/Xroute.Admin/tokens", None),
            ("GET", "/providers/Xroute.Admin/tokens/t1", None),
            ("PUT", "/providers/Xroute.Admin/tokens/mine", {"properties": {
                "role": "tenant", "subscriptionId": S3}}),
            ("DELETE", "/providers/Xroute.Admin/tokens/t3", None),
            ("GET", "/providers/Xroute.Admin/changes?since=0", None))]
        t.ok(all(g in (403, 404) for g in got), "%s token: tokens and the "
             "change feed (admin only) refused" % who, got)
    t.ok(T3.req("GET", "/subscriptions/%s/resourceGroups" % S3).status ==
         200, "S3's token still works after the refused attempts")


def persistence(A, T1, tok):
    P = rgp(S1)
    before = T1.req("GET", P + "/expressRouteCircuits/n5").body
    peers = T1.req("GET", P + "/expressRouteCircuits/n5/peerings").body
    srv.stop()
    srv.start()
    c = Client(srv.port, tok["t1"])
    after = c.req("GET", P + "/expressRouteCircuits/n5")
    t.ok(after.status == 200 and after.body == before,
         "circuit identical after restart (token from the store works)")
    t.ok(c.req("GET", P + "/expressRouteCircuits/n5/peerings").body == peers,
         "peerings identical after restart")
    t.ok(Client(srv.port, ADMIN).req("GET", "/subscriptions/" +
                                     S1).status == 200,
         "admin token from the environment after restart")


if __name__ == "__main__":
    rc = 1
    try:
        rc = main()
    finally:
        srv.stop()
        if os.environ.get("XR_KEEP_TMP") is None:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(rc)
