"""API steps for the reconcile_*.sh tests, one per invocation:

  reconcile_api.py STATE init PORT            subscriptions, tokens, group
  reconcile_api.py STATE circuit NAME         create + provider provisions;
                                              prints the service key
  reconcile_api.py STATE peering NAME VLAN P1 P2 KEY [STATE]
                                              PUT AzurePrivatePeering
  reconcile_api.py STATE get NAME [EXPR]      GET the peering (JSON), or
                                              the value of EXPR on it (d)
  reconcile_api.py STATE circuit-get NAME [EXPR]
                                              the same for the circuit
  reconcile_api.py STATE mget NAME [EXPR]     the same for the Microsoft
                                              peering
  reconcile_api.py STATE delete NAME          DELETE the peering
  reconcile_api.py STATE vnet NAME SPACES [GWSUBNET]
                                              PUT a VNet (spaces comma
                                              separated, a GatewaySubnet)
  reconcile_api.py STATE vpeer FROM TO transit|use
                                              PUT a VNet peering FROM -> TO
                                              with allowGatewayTransit or
                                              useRemoteGateways
  reconcile_api.py STATE delvpeer FROM TO      DELETE that VNet peering
  reconcile_api.py STATE gateway NAME VNET    PUT an ExpressRoute gateway;
                                              prints its id
  reconcile_api.py STATE connection NAME GW CIRCUIT [WEIGHT]
                                              PUT a connection
  reconcile_api.py STATE getconn NAME         GET a connection (JSON)
  reconcile_api.py STATE delconn NAME         DELETE a connection
  reconcile_api.py STATE gwpeers NAME         POST getBgpPeerStatus on a
                                              gateway (JSON)
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

Several steps can go in one invocation, separated by "+" (one Python
start instead of several: the tests run on a loaded machine):
  reconcile_api.py STATE vnet hub 10.10.0.0/16 + vnet spoke 10.11.0.0/16

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


def show(body, expr=None):
    """The document, or EXPR evaluated on it as lib.sh's json_get does
    (one process per check: python starts slowly on a loaded machine)."""
    if expr is None:
        print(json.dumps(body))
        return
    try:
        v = eval(expr, {"d": body, "len": len, "str": str})
    except Exception:
        sys.exit(1)
    if isinstance(v, (dict, list, tuple)):
        print(json.dumps(v, sort_keys=True))
    elif isinstance(v, bool):
        print("true" if v else "false")
    else:
        print("null" if v is None else v)


def circuit_get(st, name, expr=None):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("GET", RG + "/expressRouteCircuits/%s" % name)
    if r.status != 200:
        die("circuit-get", r)
    show(r.body, expr)


def peering_get(st, name, ptype, expr):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("GET", RG + "/expressRouteCircuits/%s/peerings/%s" %
              (name, ptype))
    if r.status != 200:
        die("get " + ptype, r)
    show(r.body, expr)


def get(st, name, expr=None):
    peering_get(st, name, "AzurePrivatePeering", expr)


def mget(st, name, expr=None):
    peering_get(st, name, "MicrosoftPeering", expr)


def delete(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("DELETE", RG + "/expressRouteCircuits/%s/peerings/"
              "AzurePrivatePeering" % name)
    if r.status not in (200, 202, 204):
        die("delete", r)
    t.wait_op(r)


def put_ok(t, path, body, what):
    r = t.req("PUT", path, body)
    if r.status not in (200, 201):
        die(what, r)
    t.wait_op(r)
    return r


def vnet(st, name, spaces, gwsubnet=None):
    t = Client(st["port"], st["tok"]["tenant"])
    subnets = [] if gwsubnet is None else [
        {"name": "GatewaySubnet", "properties": {"addressPrefix": gwsubnet}}]
    put_ok(t, RG + "/virtualNetworks/" + name, {
        "location": "westus", "properties": {
            "addressSpace": {"addressPrefixes": spaces.split(",")},
            "subnets": subnets}}, "vnet")


def vpeer(st, frm, to, kind):
    t = Client(st["port"], st["tok"]["tenant"])
    props = {"remoteVirtualNetwork": {"id": RG + "/virtualNetworks/" + to},
             "allowVirtualNetworkAccess": True}
    props["allowGatewayTransit" if kind == "transit" else
          "useRemoteGateways"] = True
    put_ok(t, RG + "/virtualNetworks/%s/virtualNetworkPeerings/to-%s" %
           (frm, to), {"properties": props}, "vnet peering")


def delvpeer(st, frm, to):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("DELETE", RG + "/virtualNetworks/%s/virtualNetworkPeerings/"
              "to-%s" % (frm, to))
    if r.status not in (200, 202, 204):
        die("delete vnet peering", r)
    t.wait_op(r)


def gateway(st, name, vnet_name):
    t = Client(st["port"], st["tok"]["tenant"])
    vid = RG + "/virtualNetworks/" + vnet_name
    r = put_ok(t, RG + "/virtualNetworkGateways/" + name, {
        "location": "westus", "properties": {
            "gatewayType": "ExpressRoute", "sku": {"name": "Standard"},
            "ipConfigurations": [{"name": "ipc", "properties": {
                "subnet": {"id": vid + "/subnets/GatewaySubnet"}}}]}},
               "gateway")
    print(r.body["id"])


def connection(st, name, gw, circ, weight="0"):
    t = Client(st["port"], st["tok"]["tenant"])
    put_ok(t, RG + "/connections/" + name, {
        "location": "westus", "properties": {
            "connectionType": "ExpressRoute",
            "virtualNetworkGateway1": {
                "id": RG + "/virtualNetworkGateways/" + gw},
            "peer": {"id": RG + "/expressRouteCircuits/" + circ},
            "routingWeight": int(weight)}}, "connection")


def getconn(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("GET", RG + "/connections/" + name)
    if r.status != 200:
        die("getconn", r)
    print(json.dumps(r.body))


def delconn(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("DELETE", RG + "/connections/" + name)
    if r.status not in (200, 202, 204):
        die("delconn", r)
    t.wait_op(r)


def gwpeers(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("POST", RG + "/virtualNetworkGateways/%s/getBgpPeerStatus" %
              name)
    if r.status != 200:
        die("getBgpPeerStatus", r)
    print(json.dumps(r.body))


def post(st, name, tail):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("POST", RG + "/expressRouteCircuits/%s/peerings/%s" %
              (name, tail))
    msg = (r.body or {}).get("error", {}).get("message", "")
    print("%d %s" % (r.status, msg))


def env(st):
    print("XR_TOKEN=%s XR_SUBSCRIPTION=%s XR_API=http://127.0.0.1:%d" %
          (st["tok"]["tenant"], SUB, st["port"]))


def put_msft(st, name, props):
    """PUT the Microsoft peering; the body is kept for attach/detach."""
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("PUT", RG + "/expressRouteCircuits/%s/peerings/"
              "MicrosoftPeering" % name, {"properties": props})
    if r.status not in (200, 201):
        die("Microsoft peering", r)
    t.wait_op(r)
    st.setdefault("msft", {})[name] = props
    with open(sys.argv[1], "w") as f:    # the STATE file
        json.dump(st, f)
    r = t.req("GET", RG + "/expressRouteCircuits/%s/peerings/"
              "MicrosoftPeering" % name)
    print(r.body["properties"]["microsoftPeeringConfig"]
          ["advertisedPublicPrefixesState"])


def msft(st, name, vlan, p1, p2, key, prefixes, state="Enabled"):
    put_msft(st, name, {
        "peeringType": "MicrosoftPeering", "peerASN": 65010,
        "primaryPeerAddressPrefix": p1, "secondaryPeerAddressPrefix": p2,
        "vlanId": int(vlan), "sharedKey": key, "state": state,
        "microsoftPeeringConfig": {
            "advertisedPublicPrefixes": prefixes.split(",")}})


def attach(st, name, fname=None):
    props = dict(st["msft"][name])
    props.pop("routeFilter", None)
    if fname is not None:
        props["routeFilter"] = {"id": RG + "/routeFilters/" + fname}
    put_msft(st, name, props)


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


STEPS = {"circuit": circuit, "peering": peering, "get": get,
         "circuit-get": circuit_get,
         "delete": delete, "post": post, "env": env, "vnet": vnet,
         "vpeer": vpeer, "delvpeer": delvpeer, "gateway": gateway,
         "connection": connection, "getconn": getconn, "delconn": delconn,
         "gwpeers": gwpeers, "mget": mget, "msft": msft, "attach": attach,
         "detach": attach, "approve": approve, "filter": route_filter,
         "rule": rule}


def main():
    path, argv = sys.argv[1], sys.argv[2:]
    while argv:
        n = argv.index("+") if "+" in argv else len(argv)
        cmd, args, argv = argv[0], argv[1:n], argv[n + 1:]
        if cmd == "init":
            init(path, int(args[0]))
        elif cmd in STEPS:
            STEPS[cmd](load(path), *args)
        else:
            die("unknown step " + cmd)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
