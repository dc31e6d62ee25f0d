"""API request limits over real HTTP: the body size limit (413) and the
per-token rate limit (429 with Retry-After and an ARM error body), each
with its flag; admin tokens are not throttled, one tenant's burst does not
throttle another, unknown tokens get 401 and drain nothing, and bad flag
values are refused with a message naming the value."""
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apilib import (ADMIN, APIV, Client, Server, Tap, server_cmd,  # noqa
                    tempdir)

t = Tap()
tmp = tempdir("xr-api-limits-")
srv = Server(tmp, ["--max-body", "4096", "--rate-limit", "4",
                   "--rate-burst", "10"])
S1 = "30000000-0000-4000-8000-000000000001"
S2 = "30000000-0000-4000-8000-000000000002"
THROTTLE = ("The request rate of this token exceeded the limit of 4 requests "
            "per second (burst 10). Please try again after '%s' seconds.")


def raw(port, hdrs, body=b""):
    """One PUT over a raw socket: (status line and headers, body, seconds
    to the answer, what the server sent after it before closing)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t0 = time.time()
    s.sendall(b"PUT /subscriptions/%s/resourceGroups/big?api-version=%s "
              b"HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
              b"Content-Type: application/json\r\n%s\r\n%s" %
              (S1.encode(), APIV.encode(), ADMIN.encode(), hdrs, body))
    data = b""
    while b"\r\n\r\n" not in data:
        c = s.recv(4096)
        if not c:
            break
        data += c
    dt = time.time() - t0
    head, _, body = data.partition(b"\r\n\r\n")
    n = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    while len(body) < n:
        c = s.recv(4096)
        if not c:
            break
        body += c
    rest = body[n:]
    try:
        s.settimeout(2)
        while True:
            c = s.recv(4096)
            if not c:
                break
            rest += c
    except OSError:
        rest += b"<still open>"
    s.close()
    return head, body[:n], dt, rest


def flags():
    for args, what in ((["--rate-limit", "fast"], "'fast'"),
                       (["--rate-burst", "0"], "'0'"),
                       (["--max-body", "-1"], "'-1'")):
        r = subprocess.run(server_cmd() + ["--db", os.path.join(tmp, "x.db")]
                           + args, capture_output=True, text=True, timeout=20)
        t.ok(r.returncode == 64 and args[0] in r.stderr and what in r.stderr
             and "expected an integer from" in r.stderr,
             "%s %s refused: exit 64 naming the value and the range" %
             tuple(args), (r.returncode, r.stderr))


def main():
    flags()
    srv.start()
    A = Client(srv.port, ADMIN)
    tok = {}
    for s, name in ((S1, "ta"), (S2, "tb")):
        assert A.req("PUT", "/subscriptions/" + s,
                     {"properties": {}}).status == 201
        r = A.req("PUT", "/providers/Xroute.Admin/tokens/" + name,
                  {"properties": {"role": "tenant", "subscriptionId": s}})
        assert r.status == 201, r
        tok[name] = r.body["properties"]["token"]
    TA, TB = Client(srv.port, tok["ta"]), Client(srv.port, tok["tb"])
    rg = "/subscriptions/%s/resourceGroups/rg" % S1

    # body size
    big = {"location": "westus", "tags": {"k": "x" * 5000}}
    r = A.req("PUT", rg, big)
    t.err(r, 413, "The request content is larger than the limit of 4096 "
          "bytes.", "a 5 kB body with --max-body 4096")
    t.ok(r.code() == "RequestEntityTooLarge", "413 carries ARM code "
         "RequestEntityTooLarge", r)
    r = A.req("PUT", rg, {"location": "westus", "tags": {"k": "x" * 3000}})
    t.status(r, 201, "a 3 kB body under the limit is accepted")
    head, body, dt, rest = raw(srv.port, b"Content-Length: 100000000\r\n")
    t.ok(head.startswith(b"HTTP/1.1 413") and b"RequestEntityTooLarge" in
         body and dt < 2 and rest == b"",
         "Content-Length 100 MB: 413 before any body byte is sent "
         "(%.3f s), then the connection is closed" % dt, (head, body, rest))
    chunk = b"%x\r\n%s\r\n" % (3000, b" " * 3000)
    head, body, dt, rest = raw(srv.port, b"Transfer-Encoding: chunked\r\n",
                               chunk * 2 + b"0\r\n\r\n")
    t.ok(head.startswith(b"HTTP/1.1 413") and b"RequestEntityTooLarge" in
         body, "a chunked body of 6000 bytes (no Content-Length): 413", head)

    # unknown tokens: 401 every time, never 429
    bad = Client(srv.port, "no-such-token")
    codes = {bad.req("GET", rg).status for _ in range(30)}
    t.ok(codes == {401}, "30 requests with an unknown token: all 401", codes)

    # admin: never throttled
    codes = [A.req("GET", rg).status for _ in range(40)]
    t.ok(429 not in codes, "40 admin requests at once: none throttled",
         sorted(set(codes)))

    # tenant A: a burst of 10, then 429
    t0 = time.time()
    codes = [TA.req("GET", rg).status for _ in range(10)]
    t.ok(codes == [200] * 10, "tenant A: a burst of 10 requests is served",
         codes)
    r = TA.req("GET", rg)
    el = time.time() - t0
    if el < 0.2:
        t.err(r, 429, THROTTLE % "1", "tenant A: the 11th request at once")
    else:
        t.skip("tenant A: the 11th request at once -> 429",
               "the burst took %.2f s here" % el)
        r = TA.req("GET", rg)
        while r.status != 429 and time.time() - t0 < 5:
            r = TA.req("GET", rg)
    t.ok(r.status == 429 and r.code() == "TooManyRequests" and
         r.headers.get("retry-after", "").isdigit() and
         int(r.headers["retry-after"]) >= 1,
         "429 has ARM code TooManyRequests and Retry-After in seconds", r)
    t.ok(r.headers.get("x-ms-request-id"), "429 has x-ms-request-id")
    wait = int(r.headers.get("retry-after", "1"))

    # tenant B is not affected by A's burst
    r = TB.req("GET", "/subscriptions/%s/resourceGroups" % S2)
    t.status(r, 200, "tenant B right after A was throttled")

    # A recovers after Retry-After
    time.sleep(wait + 0.3)
    r = TA.req("GET", rg)
    t.status(r, 200, "tenant A after waiting Retry-After")

    # sustained: at 4/s a token gets what is left in its bucket (about 4
    # after the wait) plus 4 per second, however fast it asks
    end = time.time() + 1.0
    ok = sent = 0
    while time.time() < end:
        sent += 1
        if TA.req("GET", rg).status == 200:
            ok += 1
    t.ok(2 <= ok <= 10 and sent > ok,
         "tenant A asking as fast as it can for 1 s: %d of %d served "
         "(rate 4/s)" % (ok, sent))

    srv.stop()
    rep = srv.sanitizer_report()
    t.ok(not rep, "server log has no sanitizer report", "\n".join(rep[:20]))
    return t.done()


if __name__ == "__main__":
    rc = 1
    try:
        rc = main()
    finally:
        srv.stop()
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(rc)
