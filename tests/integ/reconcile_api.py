"""API steps for reconcile_edge.sh, one per invocation:

  reconcile_api.py STATE init PORT            subscriptions, tokens, group
  reconcile_api.py STATE circuit NAME         create + provider provisions;
                                              prints the service key
  reconcile_api.py STATE peering NAME VLAN P1 P2 KEY [STATE]
                                              PUT AzurePrivatePeering
  reconcile_api.py STATE get NAME [TYPE]      GET the peering (JSON)
  reconcile_api.py STATE delete NAME          DELETE the peering
  reconcile_api.py STATE post NAME TAIL       POST .../peerings/TAIL of
                                              circuit NAME; prints the
                                              status and the error message
  reconcile_api.py STATE env                  XR_TOKEN/XR_SUBSCRIPTION/XR_API
                                              for xrctl (shell assignments)
Microsoft peering and route filters (reconcile_msft.sh):
  reconcile_api.py STATE msft NAME VLAN P1 P2 KEY PREFIXES [STATE]
                                              PUT MicrosoftPeering, peerASN
                                              65010, advertisedPublicPrefixes
                                              PREFIXES (comma separated);
                                              prints the prefixes state
  reconcile_api.py STATE approve NAME         provider approves the
                                              prefixes (ValidationNeeded)
  reconcile_api.py STATE filter FILTER COMMS  PUT a route filter whose one
                                              rule allows COMMS (comma sep.)
  reconcile_api.py STATE rule FILTER COMMS    PUT its rule r1 with COMMS
  reconcile_api.py STATE attach NAME FILTER   attach to the Microsoft peering
  reconcile_api.py STATE detach NAME          detach its filter

STATE is a JSON file holding the port and tokens between steps. The
admin token comes from $XR_ADMIN_TOKEN (the API role reads the same)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import Client  # noqa: E402

SUB = "20000000-0000-4000-8000-000000000001"
PSUB = "20000000-0000-4000-8000-0000000000ff"
NET = "/providers/Microsoft.Network"
RG = "/subscriptions/%s/resourceGroups/rg%s" % (SUB, NET)


def die(msg, r=None):
    sys.stderr.write("reconcile_api: %s%s\n" % (msg, "" if r is None else
                                               ": %r" % (r,)))
    sys.exit(1)


def load(path):
    with open(path) as f:
        return json.load(f)


def init(path, port):
    a = Client(port, os.environ["XR_ADMIN_TOKEN"])
    for s in (SUB, PSUB):
        r = a.req("PUT", "/subscriptions/" + s, {"properties": {}})
        if r.status not in (200, 201):
            die("subscription", r)
    tok = {}
    for name, props in (("tenant", {"role": "tenant", "subscriptionId": SUB}),
                        ("provider", {"role": "provider",
                                      "subscriptionId": PSUB,
                                      "providerName": "Equinix"})):
        r = a.req("PUT", "/providers/Xroute.Admin/tokens/" + name,
                  {"properties": props})
        if r.status != 201:
            die("token", r)
        tok[name] = r.body["properties"]["token"]
    t = Client(port, tok["tenant"])
    r = t.req("PUT", "/subscriptions/%s/resourceGroups/rg" % SUB,
              {"location": "westus"})
    if r.status not in (200, 201):
        die("resource group", r)
    with open(path, "w") as f:
        json.dump({"port": port, "tok": tok}, f)


def circuit(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    p = Client(st["port"], st["tok"]["provider"])
    r = t.req("PUT", RG + "/expressRouteCircuits/" + name, {
        "location": "westus", "sku": {"tier": "Standard",
                                      "family": "MeteredData"},
        "properties": {"serviceProviderProperties": {
            "serviceProviderName": "Equinix",
            "peeringLocation": "Silicon Valley", "bandwidthInMbps": 200}}})
    if r.status != 201:
        die("circuit", r)
    t.wait_op(r)
    key = r.body["properties"]["serviceKey"]
    xc = ("/subscriptions/%s/resourceGroups/CrossConnection-SiliconValley%s"
          "/expressRouteCrossConnections/%s" % (PSUB, NET, key))
    r = p.req("PUT", xc, {"properties": {
        "serviceProviderProvisioningState": "Provisioned"}})
    if r.status != 200:
        die("provision", r)
    print(key)


def peering(st, name, vlan, p1, p2, key, state="Enabled"):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("PUT", RG + "/expressRouteCircuits/%s/peerings/"
              "AzurePrivatePeering" % name, {"properties": {
                  "peeringType": "AzurePrivatePeering", "peerASN": 65010,
                  "primaryPeerAddressPrefix": p1,
                  "secondaryPeerAddressPrefix": p2, "vlanId": int(vlan),
                  "sharedKey": key, "state": state}})
    if r.status not in (200, 201):
        die("peering", r)
    t.wait_op(r)


def get(st, name, ptype="AzurePrivatePeering"):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("GET", RG + "/expressRouteCircuits/%s/peerings/%s" %
              (name, ptype))
    if r.status != 200:
        die("get", r)
    print(json.dumps(r.body))


def delete(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("DELETE", RG + "/expressRouteCircuits/%s/peerings/"
              "AzurePrivatePeering" % name)
    if r.status not in (200, 202, 204):
        die("delete", r)
    t.wait_op(r)


def put_msft(path, st, name, props):
    """PUT the Microsoft peering; the body is kept for attach/detach."""
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("PUT", RG + "/expressRouteCircuits/%s/peerings/"
              "MicrosoftPeering" % name, {"properties": props})
    if r.status not in (200, 201):
        die("Microsoft peering", r)
    t.wait_op(r)
    st.setdefault("msft", {})[name] = props
    with open(path, "w") as f:
        json.dump(st, f)
    r = t.req("GET", RG + "/expressRouteCircuits/%s/peerings/"
              "MicrosoftPeering" % name)
    print(r.body["properties"]["microsoftPeeringConfig"]
          ["advertisedPublicPrefixesState"])


def msft(path, st, name, vlan, p1, p2, key, prefixes, state="Enabled"):
    put_msft(path, st, name, {
        "peeringType": "MicrosoftPeering", "peerASN": 65010,
        "primaryPeerAddressPrefix": p1, "secondaryPeerAddressPrefix": p2,
        "vlanId": int(vlan), "sharedKey": key, "state": state,
        "microsoftPeeringConfig": {
            "advertisedPublicPrefixes": prefixes.split(",")}})


def attach(path, st, name, fname=None):
    props = dict(st["msft"][name])
    props.pop("routeFilter", None)
    if fname is not None:
        props["routeFilter"] = {"id": RG + "/routeFilters/" + fname}
    put_msft(path, st, name, props)


def approve(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    p = Client(st["port"], st["tok"]["provider"])
    r = t.req("GET", RG + "/expressRouteCircuits/" + name)
    key = r.body["properties"]["serviceKey"]
    r = p.req("POST", "/subscriptions/%s/resourceGroups/CrossConnection-"
              "SiliconValley%s/expressRouteCrossConnections/%s/peerings/"
              "MicrosoftPeering/approveAdvertisedPublicPrefixes" %
              (PSUB, NET, key))
    if r.status != 200:
        die("approve", r)


def rule_props(comms):
    return {"access": "Allow", "routeFilterRuleType": "Community",
            "communities": comms.split(",")}


def route_filter(st, fname, comms):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("PUT", RG + "/routeFilters/" + fname, {
        "location": "westus", "properties": {"rules": [
            {"name": "r1", "properties": rule_props(comms)}]}})
    if r.status not in (200, 201):
        die("route filter", r)
    t.wait_op(r)


def rule(st, fname, comms):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("PUT", RG + "/routeFilters/%s/routeFilterRules/r1" % fname,
              {"properties": rule_props(comms)})
    if r.status not in (200, 201):
        die("route filter rule", r)
    t.wait_op(r)


def post(st, name, tail):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("POST", RG + "/expressRouteCircuits/%s/peerings/%s" %
              (name, tail))
    msg = (r.body or {}).get("error", {}).get("message", "")
    print("%d %s" % (r.status, msg))


def env(st):
    print("XR_TOKEN=%s XR_SUBSCRIPTION=%s XR_API=http://127.0.0.1:%d" %
          (st["tok"]["tenant"], SUB, st["port"]))


def main():
    path, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if cmd == "init":
        init(path, int(args[0]))
    elif cmd == "circuit":
        circuit(load(path), *args)
    elif cmd == "peering":
        peering(load(path), *args)
    elif cmd == "get":
        get(load(path), *args)
    elif cmd == "delete":
        delete(load(path), *args)
    elif cmd == "msft":
        msft(path, load(path), *args)
    elif cmd in ("attach", "detach"):
        attach(path, load(path), *args)
    elif cmd == "approve":
        approve(load(path), *args)
    elif cmd == "filter":
        route_filter(load(path), *args)
    elif cmd == "rule":
        rule(load(path), *args)
    elif cmd == "post":
        post(load(path), *args)
    elif cmd == "env":
        env(load(path))
    else:
        die("unknown step " + cmd)


if __name__ == "__main__":
    main()
