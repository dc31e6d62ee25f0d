"""A raw BGP speaker for tests: it opens one eBGP session from a plain
socket (RFC 4271 4.2 OPEN with the multiprotocol IPv4 unicast, 4-octet AS
and route-refresh capabilities), keeps it up with KEEPALIVEs from a
thread, and sends whatever UPDATE bytes a test builds, well-formed or not.
Received messages are queued so a test can wait for a NOTIFICATION.

    s = Speaker("172.16.0.2", 65001, "172.16.0.1", hold=9)
    s.connect(deadline=30)                     # OPEN/KEEPALIVE exchanged
    s.send_update(attrs=ORIGIN(0) + ASPATH(65001) + NEXTHOP("172.16.0.1"),
                  nlri=["10.99.1.0/24"])
    n = s.wait_notification(5)                 # (code, subcode, data)

The socket sends with TTL 255 so a peer enforcing GTSM (RFC 5082)
accepts it. Builders below produce the attribute bytes of RFC 4271 5.1
and RFC 4760 so a test names what it breaks."""
import ipaddress
import socket
import struct
import threading
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4


def msg(mtype, body=b""):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def attr(flags, atype, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, atype, len(value)) + value
    return struct.pack("!BBB", flags, atype, len(value)) + value


def ORIGIN(v=0, length=1):
    return attr(0x40, 1, bytes([v]) * length)


def ASPATH(*asns):
    return attr(0x40, 2, struct.pack("!BB", 2, len(asns)) +
                b"".join(struct.pack("!I", a) for a in asns))


def NEXTHOP(a):
    return attr(0x40, 3, socket.inet_aton(a))


def prefixes(pfx):
    out = b""
    for p in pfx:
        n = ipaddress.ip_network(p)
        out += bytes([n.prefixlen]) + \
            n.network_address.packed[:(n.prefixlen + 7) // 8]
    return out


def update_body(attrs=b"", nlri=(), withdrawn=(), raw_nlri=None):
    wd = prefixes(withdrawn)
    nl = raw_nlri if raw_nlri is not None else prefixes(nlri)
    return struct.pack("!H", len(wd)) + wd + struct.pack("!H", len(attrs)) + \
        attrs + nl


class Speaker:
    def __init__(self, peer, asn, router_id, hold=9, port=179):
        self.peer, self.port = peer, port
        self.asn, self.router_id, self.hold = asn, router_id, hold
        self.sock = None
        self.lock = threading.Lock()
        self.rx = []            # (type, body) in arrival order
        self.cv = threading.Condition()
        self.closed = True

    def _recv_exact(self, n):
        b = b""
        while len(b) < n:
            c = self.sock.recv(n - len(b))
            if not c:
                raise ConnectionError("peer closed the connection")
            b += c
        return b

    def _read_msg(self):
        h = self._recv_exact(19)
        if h[:16] != MARKER:
            raise ConnectionError("bad marker from peer")
        ln, t = struct.unpack("!HB", h[16:])
        return t, self._recv_exact(ln - 19)

    def _open_body(self):
        caps = (b"\x01\x04\x00\x01\x00\x01" +          # MP IPv4 unicast
                b"\x41\x04" + struct.pack("!I", self.asn) +
                b"\x02\x00")                           # route refresh
        opt = b"\x02" + bytes([len(caps)]) + caps
        as2 = self.asn if self.asn < 65536 else 23456
        return struct.pack("!BHH4sB", 4, as2, self.hold,
                           socket.inet_aton(self.router_id), len(opt)) + opt

    def _try_connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
        s.bind((self.router_id, 0))
        s.settimeout(5)
        s.connect((self.peer, self.port))
        self.sock = s
        self.send(msg(OPEN, self._open_body()))
        t, body = self._read_msg()
        if t != OPEN:
            raise ConnectionError("expected OPEN, got type %d" % t)
        self.send(msg(KEEPALIVE))
        t, body = self._read_msg()
        if t != KEEPALIVE:
            raise ConnectionError("expected KEEPALIVE, got type %d" % t)
        s.settimeout(None)

    def connect(self, deadline=30):
        """Established within deadline seconds (retrying refused or reset
        attempts while the peer's connect-retry runs), else raise."""
        end = time.time() + deadline
        last = None
        while time.time() < end:
            try:
                self._try_connect()
                break
            except (OSError, ConnectionError) as e:
                last = e
                if self.sock is not None:
                    self.sock.close()
                    self.sock = None
                time.sleep(0.3)
        else:
            raise ConnectionError("no session with %s: %s" % (self.peer, last))
        self.closed = False
        with self.cv:
            self.rx = []
        threading.Thread(target=self._reader, daemon=True).start()
        threading.Thread(target=self._keepalive, daemon=True).start()

    def _reader(self):
        sock = self.sock
        try:
            while True:
                m = self._read_msg()
                with self.cv:
                    self.rx.append(m)
                    self.cv.notify_all()
        except (OSError, ConnectionError):
            pass
        with self.cv:
            if self.sock is sock:
                self.closed = True
            self.cv.notify_all()

    def _keepalive(self):
        sock = self.sock
        while not self.closed and self.sock is sock:
            try:
                self.send(msg(KEEPALIVE))
            except OSError:
                return
            time.sleep(max(1, self.hold // 3))

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def send_update(self, attrs=b"", nlri=(), withdrawn=(), raw_nlri=None):
        self.send(msg(UPDATE, update_body(attrs, nlri, withdrawn, raw_nlri)))

    def wait_notification(self, timeout):
        """(code, subcode, data) of the first NOTIFICATION received, or
        None if none came and the session stayed open."""
        end = time.time() + timeout
        with self.cv:
            while True:
                for t, b in self.rx:
                    if t == NOTIFICATION and len(b) >= 2:
                        return b[0], b[1], b[2:]
                left = end - time.time()
                if left <= 0 or self.closed:
                    return None
                self.cv.wait(left)

    def wait_closed(self, timeout):
        end = time.time() + timeout
        with self.cv:
            while not self.closed and time.time() < end:
                self.cv.wait(max(0.01, end - time.time()))
            return self.closed

    def close(self):
        self.closed = True
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
