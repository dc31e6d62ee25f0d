"""Helpers for the API integration tests: start the API role on a real
SQLite file and loopback port, talk HTTP/1.1 to it, print TAP lines.

The server is `$XR_BUILD/xrouted --role api` when the daemon's main
dispatches roles, else `$XR_BUILD/tests/tools/api_server` (same code,
api_role_main)."""
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("XR_BUILD", os.path.join(ROOT, "build"))
APIV = "2025-07-01"
ADMIN = "admin-" + os.urandom(8).hex()


def server_cmd():
    xr = os.path.join(BUILD, "xrouted")
    if os.access(xr, os.X_OK):
        r = subprocess.run([xr, "--role", "api", "--help"],
                           capture_output=True, timeout=10)
        if r.returncode == 0 and b"--db" in r.stdout:
            return [xr, "--role", "api"]
    return [os.path.join(BUILD, "tests", "tools", "api_server")]


class Server:
    def __init__(self, tmp, extra=()):
        self.tmp = tmp
        self.db = os.path.join(tmp, "xroute.db")
        self.extra = list(extra)
        self.proc = None
        self.port = None

    def start(self, timeout=15):
        pf = os.path.join(self.tmp, "port")
        if os.path.exists(pf):
            os.unlink(pf)
        env = dict(os.environ, XR_ADMIN_TOKEN=ADMIN)
        log = open(os.path.join(self.tmp, "server.log"), "ab")
        self.proc = subprocess.Popen(
            server_cmd() + ["--db", self.db, "--listen", "127.0.0.1:0",
                            "--port-file", pf, "--data",
                            os.path.join(ROOT, "data")] + self.extra,
            env=env, stdout=log, stderr=log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(pf):
                self.port = int(open(pf).read())
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("API server did not start; see " +
                           os.path.join(self.tmp, "server.log"))

    def sanitizer_report(self):
        """ASan/UBSan/LSan lines in the server log (build-san runs)."""
        try:
            log = open(os.path.join(self.tmp, "server.log"),
                       errors="replace").read()
        except OSError:
            return []
        return [l for l in log.splitlines()
                if "Sanitizer" in l or "runtime error" in l]

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Resp:
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    def msg(self):
        try:
            return self.body["error"]["message"]
        except (TypeError, KeyError):
            return None

    def code(self):
        try:
            return self.body["error"]["code"]
        except (TypeError, KeyError):
            return None

    def __repr__(self):
        return "%d %s" % (self.status, json.dumps(self.body)[:400])


class Client:
    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                   timeout=30)
        return self.conn

    def req(self, method, path, body=None, token=None, headers=None,
            raw=None, apiv=APIV):
        h = {}
        tok = token if token is not None else self.token
        if tok:
            h["Authorization"] = "Bearer " + tok
        if headers:
            h.update(headers)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        url = path
        if apiv is not None:
            url += ("&" if "?" in path else "?") + "api-version=" + apiv
        for attempt in (0, 1):
            try:
                c = self._conn()
                c.request(method, url, body=data, headers=h)
                r = c.getresponse()
                payload = r.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn = None
                if attempt == 1:
                    raise
        obj = None
        if payload:
            try:
                obj = json.loads(payload)
            except ValueError:
                obj = payload.decode(errors="replace")
        return Resp(r.status, obj, dict((k.lower(), v)
                                        for k, v in r.getheaders()))

    def wait_op(self, resp, deadline=10):
        """Poll Azure-AsyncOperation until it is no longer InProgress."""
        url = resp.headers.get("azure-asyncoperation")
        if not url:
            return None
        path = url.split("://", 1)[1]
        path = path[path.index("/"):].split("?")[0]
        end = time.time() + deadline
        while time.time() < end:
            r = self.req("GET", path)
            if r.status == 200 and r.body.get("status") != "InProgress":
                return r.body.get("status")
            time.sleep(0.02)
        return "Timeout"


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, detail=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            if detail is not None:
                for line in str(detail).splitlines():
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def status(self, r, want, desc):
        return self.ok(r.status == want, "%s -> %d" % (desc, want),
                       "got %r" % (r,))

    def err(self, r, status, message, desc):
        """Status and the exact error message."""
        return self.ok(r.status == status and r.msg() == message,
                       "%s -> %d exact message" % (desc, status),
                       "got %r\nwant %r" % (r, message))

    def skip(self, desc, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, why))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def tempdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
