"""API steps for reconcile_edge.sh, one per invocation:

  reconcile_api.py STATE init PORT            subscriptions, tokens, group
  reconcile_api.py STATE circuit NAME         create + provider provisions;
                                              prints the service key
  reconcile_api.py STATE peering NAME VLAN P1 P2 KEY [STATE]
                                              PUT AzurePrivatePeering
  reconcile_api.py STATE get NAME [EXPR]      GET the peering (JSON), or
                                              the value of EXPR on it (d)
  reconcile_api.py STATE circuit-get NAME [EXPR]
                                              the same for the circuit
  reconcile_api.py STATE delete NAME          DELETE the peering
  reconcile_api.py STATE post NAME TAIL       POST .../peerings/TAIL of
                                              circuit NAME; prints the
                                              status and the error message
  reconcile_api.py STATE env                  XR_TOKEN/XR_SUBSCRIPTION/XR_API
                                              for xrctl (shell assignments)

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


def get(st, name, expr=None):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("GET", RG + "/expressRouteCircuits/%s/peerings/"
              "AzurePrivatePeering" % name)
    if r.status != 200:
        die("get", r)
    show(r.body, expr)


def delete(st, name):
    t = Client(st["port"], st["tok"]["tenant"])
    r = t.req("DELETE", RG + "/expressRouteCircuits/%s/peerings/"
              "AzurePrivatePeering" % name)
    if r.status not in (200, 202, 204):
        die("delete", r)
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
    elif cmd == "circuit-get":
        circuit_get(load(path), *args)
    elif cmd == "get":
        get(load(path), *args)
    elif cmd == "delete":
        delete(load(path), *args)
    elif cmd == "post":
        post(load(path), *args)
    elif cmd == "env":
        env(load(path))
    else:
        die("unknown step " + cmd)


if __name__ == "__main__":
    main()
