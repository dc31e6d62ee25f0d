"""Secrets never come back (issue 7), the API half of api_secrets.sh:

  api_secrets.py STATE SECRETS create   circuit c1 with a private peering
                                        (sharedKey), an authorization, a
                                        second tenant redeeming it in a
                                        connection, extra tokens; writes
                                        every secret value to SECRETS (JSON)
  api_secrets.py STATE SECRETS sweep    GET every resource and every list
                                        as each role; TAP lines

The rule checked (docs/expressroute-spec.md 2.2 and 7.4): sharedKey and
tokens are never returned (a token only by the PUT that creates it); an
authorization's authorizationKey is returned, as by Azure, only on the
circuit owner's authorization and circuit reads (and to the admin), never
on the connection that redeemed it, the provider's view or the change
feed."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import Client, Tap  # noqa: E402
import reconcile_api as ra  # noqa: E402

S3 = "20000000-0000-4000-8000-000000000003"
RG3 = "/subscriptions/%s/resourceGroups/rg3%s" % (S3, ra.NET)
CKT = ra.RG + "/expressRouteCircuits/c1"


def create(st, path):
    port = st["port"]
    adm = Client(port, os.environ["XR_ADMIN_TOKEN"])
    sec = {"admin token": os.environ["XR_ADMIN_TOKEN"],
           "tenant token": st["tok"]["tenant"],
           "provider token": st["tok"]["provider"],
           "sharedKey": "md5-" + os.urandom(9).hex()}
    ra.circuit(st, "c1")
    ra.peering(st, "c1", 200, "172.16.0.0/30", "172.16.0.4/30",
               sec["sharedKey"])
    t1 = Client(port, st["tok"]["tenant"])
    r = t1.req("PUT", CKT + "/authorizations/forS3", {})
    if r.status != 201:
        ra.die("authorization", r)
    sec["authorizationKey"] = r.body["properties"]["authorizationKey"]
    t1.wait_op(r)
    if adm.req("PUT", "/subscriptions/" + S3,
               {"properties": {}}).status not in (200, 201):
        ra.die("subscription 3")
    r = adm.req("PUT", "/providers/Xroute.Admin/tokens/t3", {"properties": {
        "role": "tenant", "subscriptionId": S3}})
    if r.status != 201:
        ra.die("token t3", r)
    sec["tenant 3 token"] = r.body["properties"]["token"]
    t3 = Client(port, sec["tenant 3 token"])
    t3.req("PUT", "/subscriptions/%s/resourceGroups/rg3" % S3,
           {"location": "westus"})
    vnet = RG3 + "/virtualNetworks/v3"
    t3.wait_op(t3.req("PUT", vnet, {"location": "westus", "properties": {
        "addressSpace": {"addressPrefixes": ["10.30.0.0/16"]},
        "subnets": [{"name": "GatewaySubnet", "properties": {
            "addressPrefix": "10.30.255.0/27"}}]}}))
    gw = RG3 + "/virtualNetworkGateways/g3"
    t3.wait_op(t3.req("PUT", gw, {"location": "westus", "properties": {
        "gatewayType": "ExpressRoute", "sku": {"name": "Standard"},
        "ipConfigurations": [{"name": "ipc", "properties": {"subnet": {
            "id": vnet + "/subnets/GatewaySubnet"}}}]}}), 20)
    r = t3.req("PUT", RG3 + "/connections/x", {"location": "westus",
               "properties": {"connectionType": "ExpressRoute",
                              "virtualNetworkGateway1": {"id": gw},
                              "peer": {"id": CKT},
                              "authorizationKey": sec["authorizationKey"]}})
    if r.status != 201:
        ra.die("connection", r)
    t3.wait_op(r)
    with open(path, "w") as f:
        json.dump(sec, f)


def sweep(st, path):
    t = Tap()
    sec = json.load(open(path))
    port = st["port"]
    who = {"admin": Client(port, sec["admin token"]),
           "tenant": Client(port, sec["tenant token"]),
           "tenant3": Client(port, sec["tenant 3 token"]),
           "provider": Client(port, sec["provider token"])}
    r = who["provider"].req("GET", "/subscriptions/%s/providers/Microsoft."
                            "Network/expressRouteCrossConnections" % ra.PSUB)
    xcs = [x["id"] for x in (r.body or {}).get("value", [])]
    sub1 = "/subscriptions/" + ra.SUB
    reads = {
        "tenant": [sub1 + "/resourceGroups", ra.RG + "/expressRouteCircuits",
                   sub1 + "/providers/Microsoft.Network/expressRouteCircuits",
                   CKT, CKT + "/peerings",
                   CKT + "/peerings/AzurePrivatePeering",
                   CKT + "/authorizations", CKT + "/authorizations/forS3"],
        "tenant3": [RG3 + "/connections", RG3 + "/connections/x",
                    RG3 + "/virtualNetworkGateways/g3",
                    RG3 + "/virtualNetworks/v3"],
        "provider": ["/subscriptions/%s/providers/Microsoft.Network/"
                     "expressRouteCrossConnections" % ra.PSUB] +
                    xcs + [x + "/peerings" for x in xcs] +
                    [x + "/peerings/AzurePrivatePeering" for x in xcs],
        "admin": ["/providers/Xroute.Admin/tokens",
                  "/providers/Xroute.Admin/tokens/tenant",
                  "/providers/Xroute.Admin/tokens/t3",
                  "/providers/Xroute.Admin/changes?since=0",
                  sub1, "/subscriptions/" + S3],
    }
    reads["admin"] += reads["tenant"] + reads["tenant3"]
    t.ok(len(xcs) == 1, "provider sees one cross-connection", r)
    n_reads = 0
    for role, paths in reads.items():
        for p in paths:
            r = who[role].req("GET", p)
            n_reads += 1
            body = json.dumps(r.body)
            if r.status != 200:
                t.ok(False, "%s GET %s -> 200" % (role, p), r)
                continue
            for name, v in sec.items():
                allowed = (name == "authorizationKey" and
                           role in ("tenant", "admin") and
                           ((p.startswith(CKT) and "/peerings" not in p) or
                            p.endswith("/expressRouteCircuits")))
                if v in body and not allowed:
                    t.ok(False, "%s GET %s does not contain the %s" %
                         (role, p, name), body[:600])
    t.ok(t.failed == 0, "%d reads as tenant, second tenant, provider and "
         "admin: no sharedKey, no token, authorizationKey only on the owner's "
         "authorization and circuit (and circuit lists)" % n_reads)
    r = who["tenant"].req("GET", CKT + "/authorizations/forS3")
    t.ok(r.status == 200 and r.body["properties"].get("authorizationKey") ==
         sec["authorizationKey"], "the circuit owner reads its authorization"
         "Key back (as in Azure)", r)
    r = who["tenant"].req("GET", CKT + "/peerings/AzurePrivatePeering")
    t.ok(r.status == 200 and "sharedKey" not in r.body["properties"],
         "the peering GET has no sharedKey property at all", r)
    r = who["tenant3"].req("GET", RG3 + "/connections/x")
    t.ok(r.status == 200 and "authorizationKey" not in r.body["properties"],
         "the connection GET has no authorizationKey property", r)
    return t.done()


def main():
    st = ra.load(sys.argv[1])
    if sys.argv[3] == "create":
        create(st, sys.argv[2])
        return 0
    return sweep(st, sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
