"""Crash safety: kill -9 the API role while clients write, restart it on
the same SQLite file, and check that every write the server acknowledged
(2xx) is there. Three rounds, four concurrent writers, each writer
creating resource groups and circuits and bumping a tag counter."""
import os
import random
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import ADMIN, Client, Server, Tap, tempdir  # noqa: E402

SUB = "20000000-0000-4000-8000-000000000001"
NET = "/providers/Microsoft.Network"
t = Tap()
tmp = tempdir("xr-api-crash-")
srv = Server(tmp)


def writer(port, wid, stop, acked, tags):
    c = Client(port, ADMIN)
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if n % 3 == 0:
                path = ("/subscriptions/%s/resourceGroups/rg%s/providers/"
                        "Microsoft.Network/expressRouteCircuits/w%d-%d" %
                        (SUB, wid, wid, n))
                r = c.req("PUT", path, {
                    "location": "westus",
                    "sku": {"tier": "Standard", "family": "MeteredData"},
                    "properties": {"serviceProviderProperties": {
                        "serviceProviderName": "Equinix",
                        "peeringLocation": "Silicon Valley",
                        "bandwidthInMbps": 50}}})
            elif n % 3 == 1:
                path = "/subscriptions/%s/resourceGroups/g%d-%d" % (SUB, wid, n)
                r = c.req("PUT", path, {"location": "westus"})
            else:
                path = "/subscriptions/%s/resourceGroups/rg%s" % (SUB, wid)
                r = c.req("PATCH", path, {"tags": {"seq": str(n)}})
                if 200 <= r.status < 300:
                    tags[wid] = max(tags.get(wid, 0), n)
                continue
        except Exception:
            break       # the server died under us
        if 200 <= r.status < 300:
            acked.append(path)


def main():
    srv.start()
    a = Client(srv.port, ADMIN)
    assert a.req("PUT", "/subscriptions/" + SUB, {"properties": {
        "circuitQuota": 100000, "circuitQuotaPerRegion": 100000}}).status == 201
    for w in range(4):
        assert a.req("PUT", "/subscriptions/%s/resourceGroups/rg%d" %
                     (SUB, w), {"location": "westus"}).status == 201
    random.seed(os.getpid())
    total = 0
    for rnd in range(3):
        stop = threading.Event()
        acked, tags = [], {}
        ths = [threading.Thread(target=writer, args=(srv.port, w, stop,
                                                      acked, tags))
               for w in range(4)]
        for th in ths:
            th.start()
        time.sleep(0.6 + random.random() * 1.2)
        srv.stop(signal.SIGKILL)
        stop.set()
        for th in ths:
            th.join(30)
        t.ok(len(acked) > 20, "round %d: %d writes acknowledged before kill -9"
             % (rnd, len(acked)))
        srv.start()
        c = Client(srv.port, ADMIN)
        missing = [p for p in acked if c.req("GET", p).status != 200]
        t.ok(not missing, "round %d: every acknowledged create survived" % rnd,
             "missing: %r" % missing[:5])
        bad = []
        for w, n in tags.items():
            r = c.req("GET", "/subscriptions/%s/resourceGroups/rg%d" % (SUB, w))
            if int(r.body["tags"].get("seq", "0")) < n:
                bad.append((w, n, r.body["tags"]))
        t.ok(not bad, "round %d: every acknowledged tag update survived" % rnd,
             bad)
        r = c.req("GET", "/providers/Xroute.Admin/changes?since=0")
        t.ok(r.status == 200, "round %d: store readable after restart" % rnd)
        total += len(acked)
    # operations left InProgress by the kill are completed after restart
    c = Client(srv.port, ADMIN)
    end = time.time() + 10
    pending = None
    while time.time() < end:
        r = c.req("GET", "/subscriptions/%s%s/expressRouteCircuits" %
                  (SUB, NET))
        pending = [x["name"] for x in r.body["value"] if
                   x["properties"]["provisioningState"] != "Succeeded"]
        if not pending:
            break
        time.sleep(0.1)
    t.ok(not pending, "after restart no circuit is left 'Updating'", pending)
    print("# %d acknowledged writes checked over 3 kill -9 rounds" % total)
    srv.stop()
    rep = srv.sanitizer_report()
    t.ok(not rep, "server log has no sanitizer report", "\n".join(rep[:20]))
    return t.done()


if __name__ == "__main__":
    rc = 1
    try:
        rc = main()
    finally:
        srv.stop(signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(rc)
