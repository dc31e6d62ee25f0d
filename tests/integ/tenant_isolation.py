"""Run by tenant_isolation.sh inside tenant A's namespace: as tenant A,
send one malformed UPDATE of each RFC 7606 class to the edge, check A's
outcome (treat-as-withdraw, attribute discard, or a session reset with
the NOTIFICATION of RFC 4271 6.3 / RFC 7606 3), then flood 10,000 valid
prefixes; after every step check that tenant B's session (state, uptime,
flap count) and routes (in the edge's RIB and in B's kernel table) did
not move.

    tenant_isolation.py XRCTL EDGE_SOCK EDGE_NETNS"""
import json
import subprocess
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bgpinject import ASPATH, NEXTHOP, ORIGIN, Speaker, attr  # noqa: E402

XRCTL, SOCK, EDGE_NS = sys.argv[1:4]
A, B = "172.16.0.1", "172.16.1.1"
n = 0
failed = 0


def tap(good, what, diag=None):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, what), flush=True)
    if not good:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("# " + line, flush=True)
    return good


def xr(*args):
    r = subprocess.run([XRCTL, "-s", SOCK, "-j"] + list(args),
                       capture_output=True, text=True, timeout=20)
    if r.returncode != 0:
        raise RuntimeError("xrctl %s: %s" % (" ".join(args), r.stderr))
    return json.loads(r.stdout)


def nbr(addr):
    return xr("show", "neighbor", addr)["neighbors"][0]


def routes(ctx):
    return sorted((r["network"], r["nextHop"])
                  for r in xr("show", "route", ctx)["routes"])


def kernel(table):
    r = subprocess.run(["ip", "netns", "exec", EDGE_NS, "ip", "-j", "route",
                        "show", "table", str(table), "proto", "200"],
                       capture_output=True, text=True, timeout=20)
    return sorted((x["dst"], x.get("gateway", ""))
                  for x in json.loads(r.stdout or "[]"))


def wait(pred, secs):
    end = time.time() + secs
    while True:
        try:
            v = pred()
        except Exception as e:
            print("# " + repr(e)[:300], flush=True)
            v = False
        if v or time.time() >= end:
            return v
        time.sleep(0.2)


# ---- tenant B: its baseline ---------------------------------------------

if not wait(lambda: nbr(B)["state"] == "Established" and routes("tenant-b"),
            40):
    tap(False, "tenant B Established with its route before the test")
    sys.exit(1)
b0 = nbr(B)
b0_t = time.time()
b0_routes = routes("tenant-b")
b0_kernel = kernel(1002)
tap(b0_routes == [("10.2.20.0/25", B)] and
    b0_kernel == [("10.2.20.0/25", B)],
    "tenant B baseline: 10.2.20.0/25 via %s in its RIB and table 1002" % B,
    (b0_routes, b0_kernel))


def b_unchanged(step):
    """Tenant B's session did not reset and its routes did not move."""
    cur = nbr(B)
    el_ms = (time.time() - b0_t) * 1000
    same = (cur["state"] == "Established" and
            cur["flaps"] == b0["flaps"] and
            cur["uptimeMsec"] >= b0["uptimeMsec"] + el_ms - 2000 and
            cur["lastErrorSent"] == b0["lastErrorSent"] and
            cur["lastErrorReceived"] == b0["lastErrorReceived"])
    r, k = routes("tenant-b"), kernel(1002)
    tap(same and r == b0_routes and k == b0_kernel,
        "after %s: tenant B unchanged (Established, %d flaps, up %d s, "
        "same routes in RIB and table 1002)" %
        (step, cur["flaps"], cur["uptimeMsec"] // 1000),
        json.dumps({"nbr": {k2: cur[k2] for k2 in (
            "state", "flaps", "uptimeMsec", "lastErrorSent")},
            "base_uptime": b0["uptimeMsec"], "elapsed_ms": el_ms,
            "routes": r, "kernel": k}))


# ---- tenant A: the injector ---------------------------------------------

BASE = ORIGIN(0) + ASPATH(65001) + NEXTHOP(A)
GOOD = ["10.2.20.0/25", "10.99.1.0/24", "10.99.2.0/24"]
spk = Speaker("172.16.0.2", 65001, A, hold=9)


def a_routes():
    return [p for p, _ in routes("tenant-a")]


def establish(step):
    spk.close()
    try:
        spk.connect(deadline=40)
    except ConnectionError as e:
        tap(False, "%s: tenant A re-establishes" % step, e)
        return False
    spk.send_update(BASE, GOOD)
    ok = wait(lambda: a_routes() == sorted(GOOD) and
              len(kernel(1001)) == 3, 15)
    return tap(ok, "%s: tenant A Established, 3 routes in RIB and table 1001"
               % step, (a_routes(), kernel(1001)))


establish("start")
a_flaps = nbr(A)["flaps"]
b_unchanged("tenant A came up")

# treat-as-withdraw (RFC 7606 7.1: ORIGIN with an undefined value)
spk.send_update(ORIGIN(3) + ASPATH(65001) + NEXTHOP(A), ["10.99.1.0/24"])
ok = wait(lambda: a_routes() == ["10.2.20.0/25", "10.99.2.0/24"], 10)
tap(ok and spk.wait_notification(1) is None and
    nbr(A)["state"] == "Established" and nbr(A)["flaps"] == a_flaps,
    "treat-as-withdraw (ORIGIN 3): 10.99.1.0/24 withdrawn, the session "
    "stays up", a_routes())
tap("10.99.1.0/24" not in [d for d, _ in kernel(1001)],
    "treat-as-withdraw: 10.99.1.0/24 left table 1001", kernel(1001))
b_unchanged("treat-as-withdraw")

# attribute discard (RFC 7606 7.6: ATOMIC_AGGREGATE of length 1)
spk.send_update(BASE + attr(0x40, 6, b"\x00"), ["10.99.3.0/24"])
ok = wait(lambda: "10.99.3.0/24" in a_routes(), 10)
tap(ok and nbr(A)["state"] == "Established" and nbr(A)["flaps"] == a_flaps,
    "attribute discard (ATOMIC_AGGREGATE length 1): 10.99.3.0/24 kept, "
    "the session stays up", a_routes())
b_unchanged("attribute discard")

# a flood of malformed UPDATEs: one tenant's garbage costs only itself
for i in range(300):
    spk.send_update(ORIGIN(7) + ASPATH(65001) + NEXTHOP(A),
                    ["10.%d.%d.0/24" % (100 + i // 256, i % 256)])
spk.send_update(BASE, ["10.99.4.0/24"])
ok = wait(lambda: "10.99.4.0/24" in a_routes(), 15)
tap(ok and not any(p.startswith(("10.100.", "10.101.")) for p in a_routes()) and
    nbr(A)["flaps"] == a_flaps,
    "300 treat-as-withdraw UPDATEs: none installed, session up, a valid "
    "UPDATE after them is applied", a_routes())
b_unchanged("a flood of 300 malformed UPDATEs")

# session resets (RFC 7606 3 and 5.3, RFC 4271 6.3)
RESETS = [
    ("MP_REACH_NLRI flagged transitive", 3, 4,
     dict(attrs=BASE + attr(0xc0, 14, b"\x00\x01\x01\x04" +
                            bytes([172, 16, 0, 1]) + b"\x00\x18\x0a\x63\x05"))),
    ("NLRI truncated (/24 with 1 byte)", 3, 10,
     dict(attrs=BASE, raw_nlri=b"\x18\x0a")),
    ("unrecognized well-known attribute 77", 3, 2,
     dict(attrs=BASE + attr(0x40, 77, b"\xab\xcd"), nlri=["10.99.6.0/24"])),
]
for name, code, sub, kw in RESETS:
    spk.send_update(**kw)
    got = spk.wait_notification(10)
    tap(got is not None and got[:2] == (code, sub),
        "session reset (%s): tenant A gets NOTIFICATION %d/%d" %
        (name, code, sub), got)
    tap(spk.wait_closed(10), "%s: the edge closes A's connection" % name)
    ok = wait(lambda: nbr(A)["flaps"] == a_flaps + 1 and
              nbr(A)["state"] != "Established" and not a_routes() and
              not kernel(1001), 15)
    le = nbr(A)["lastErrorSent"] or {}
    tap(ok and (le.get("code"), le.get("subcode")) == (code, sub),
        "%s: A's routes leave RIB and table 1001; the edge records error "
        "%d/%d sent and one more flap" % (name, code, sub),
        (nbr(A)["flaps"], a_flaps, le, a_routes(), kernel(1001)))
    b_unchanged("session reset: " + name)
    if establish("after " + name):
        a_flaps = nbr(A)["flaps"]

# flood fairness: a burst of 10,000 valid prefixes from A (packed ~1,000
# per UPDATE) is absorbed while B's session and routes do not move
FLOOD = ["10.%d.%d.0/24" % (128 + i // 256, i % 256) for i in range(10000)]
t0 = time.time()
for i in range(0, len(FLOOD), 1000):
    spk.send_update(BASE, FLOOD[i:i + 1000])


def a_pfx():
    return xr("show", "bgp", "summary")["contexts"]["tenant-a"]["peers"][
        A]["pfxRcd"]


def k_count():
    return len(kernel(1001)) == len(GOOD) + len(FLOOD)


ok = wait(lambda: a_pfx() == len(GOOD) + len(FLOOD), 60)
tap(ok, "flood: tenant A's 10,000 prefixes accepted in %.1f s" %
    (time.time() - t0), a_pfx())
tap(wait(k_count, 60), "flood: table 1001 holds all 10,003 routes after "
    "%.1f s" % (time.time() - t0), len(kernel(1001)))
tap(spk.wait_notification(0.1) is None and nbr(A)["flaps"] == a_flaps,
    "flood: tenant A's own session stayed up")
b_unchanged("a flood of 10,000 prefixes from tenant A")
spk.close()
print("1..%d" % n)
sys.exit(1 if failed else 0)
