#!/usr/bin/env python3
"""Load generator for the API role: creates N circuits, has the provider
provision each, then creates two peerings per circuit (private and
Microsoft), over HTTP/1.1 keep-alive connections from C client threads.
Prints throughput and latency percentiles per phase and for all writes.

  api_load.py --port P --admin-token T [--circuits 1000] [--concurrency 4]
"""
import argparse
import http.client
import json
import sys
import threading
import time

NET = "/providers/Microsoft.Network"
SUB = "30000000-0000-4000-8000-000000000001"
PSUB = "30000000-0000-4000-8000-0000000000ff"
V = "?api-version=2025-07-01"


class Conn:
    def __init__(self, port, token):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.h = {"Authorization": "Bearer " + token,
                  "Content-Type": "application/json"}

    def req(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        t0 = time.perf_counter()
        self.c.request(method, path + V, body=data, headers=self.h)
        r = self.c.getresponse()
        payload = r.read()
        dt = time.perf_counter() - t0
        return r.status, payload, dt


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))
    return xs[k]


def run_phase(name, port, token, items, fn, conc):
    lat, errs = [], []
    lock = threading.Lock()
    idx = [0]

    def work():
        c = Conn(port, token)
        while True:
            with lock:
                if idx[0] >= len(items):
                    return
                it = items[idx[0]]
                idx[0] += 1
            method, path, body = fn(it)
            st, payload, dt = c.req(method, path, body)
            with lock:
                lat.append(dt)
                if st >= 300:
                    errs.append((st, payload[:200]))
    t0 = time.perf_counter()
    ths = [threading.Thread(target=work) for _ in range(conc)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    wall = time.perf_counter() - t0
    print("%-22s %6d req %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  "
          "max %6.2f ms  errors %d" % (name, len(lat), len(lat) / wall,
                                       pct(lat, 50) * 1e3, pct(lat, 99) * 1e3,
                                       max(lat) * 1e3, len(errs)))
    if errs:
        print("  first error: %r" % (errs[0],))
    return lat, wall, len(errs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--admin-token", required=True)
    ap.add_argument("--circuits", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=4)
    a = ap.parse_args()
    adm = Conn(a.port, a.admin_token)
    for s in (SUB, PSUB):
        st, p, _ = adm.req("PUT", "/subscriptions/" + s, {"properties": {
            "circuitQuota": 100000, "circuitQuotaPerRegion": 100000}})
        assert st in (200, 201), p
    st, p, _ = adm.req("PUT", "/providers/Xroute.Admin/tokens/bench-t", {
        "properties": {"role": "tenant", "subscriptionId": SUB}})
    tenant = json.loads(p)["properties"]["token"]
    st, p, _ = adm.req("PUT", "/providers/Xroute.Admin/tokens/bench-p", {
        "properties": {"role": "provider", "subscriptionId": PSUB,
                       "providerName": "Contoso Networks"}})
    provider = json.loads(p)["properties"]["token"]
    rg = "/subscriptions/%s/resourceGroups/bench" % SUB
    st, p, _ = adm.req("PUT", rg, {"location": "westus"})
    assert st in (200, 201), p
    n = a.circuits
    keys = {}

    def circuit(i):
        return ("PUT", "%s%s/expressRouteCircuits/c%d" % (rg, NET, i), {
            "location": "westus",
            "sku": {"tier": "Standard", "family": "MeteredData"},
            "properties": {"serviceProviderProperties": {
                "serviceProviderName": "Contoso Networks",
                "peeringLocation": "Silicon Valley",
                "bandwidthInMbps": 1000}}})

    print("# %d circuits, 2 peerings each, %d client connections" %
          (n, a.concurrency))
    all_lat, all_wall, all_err = [], 0.0, 0
    lat, wall, e = run_phase("create circuit", a.port, tenant, list(range(n)),
                             circuit, a.concurrency)
    all_lat += lat
    all_wall += wall
    all_err += e
    # service keys for the provider
    c = Conn(a.port, tenant)
    st, p, _ = c.req("GET", "%s%s/expressRouteCircuits" % (rg, NET))
    for x in json.loads(p)["value"]:
        keys[x["name"]] = x["properties"]["serviceKey"]

    def prov(i):
        return ("PUT", "/subscriptions/%s/resourceGroups/CrossConnection-"
                "SiliconValley%s/expressRouteCrossConnections/%s" %
                (PSUB, NET, keys["c%d" % i]),
                {"properties": {"serviceProviderProvisioningState":
                                "Provisioned"}})
    lat, wall, e = run_phase("provider provision", a.port, provider,
                             list(range(n)), prov, a.concurrency)

    def private(i):
        return ("PUT", "%s%s/expressRouteCircuits/c%d/peerings/"
                "AzurePrivatePeering" % (rg, NET, i), {"properties": {
                    "peerASN": 65001, "vlanId": 100,
                    "primaryPeerAddressPrefix": "10.%d.%d.0/29" %
                    (i // 256, i % 256)}})

    def microsoft(i):
        return ("PUT", "%s%s/expressRouteCircuits/c%d/peerings/"
                "MicrosoftPeering" % (rg, NET, i), {"properties": {
                    "peerASN": 8075, "vlanId": 200,
                    "primaryPeerAddressPrefix": "203.0.113.0/30",
                    "secondaryPeerAddressPrefix": "203.0.113.4/30",
                    "microsoftPeeringConfig": {
                        "advertisedPublicPrefixes": ["198.51.100.0/24"]}}})
    for name, fn in (("private peering", private),
                     ("microsoft peering", microsoft)):
        lat, wall, e = run_phase(name, a.port, tenant, list(range(n)), fn,
                                 a.concurrency)
        all_lat += lat
        all_wall += wall
        all_err += e
    print("%-22s %6d req %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  "
          "max %6.2f ms  errors %d" % ("ALL customer writes", len(all_lat),
                                       len(all_lat) / all_wall,
                                       pct(all_lat, 50) * 1e3,
                                       pct(all_lat, 99) * 1e3,
                                       max(all_lat) * 1e3, all_err))
    p99 = pct(all_lat, 99) * 1e3
    print("# goal p99 < 10 ms: %s (%.2f ms)" % ("met" if p99 < 10 else
                                                "NOT met", p99))
    return 1 if all_err else 0


if __name__ == "__main__":
    sys.exit(main())
