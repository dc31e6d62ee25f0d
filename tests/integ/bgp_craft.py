#!/usr/bin/env python3
"""A scripted BGP peer for tests that need UPDATEs no real daemon sends
(RFC 7606 malformed attributes, an AS_PATH holding the receiver's AS).

    bgp_craft.py LOCAL REMOTE MY_AS PEER_AS SCRIPT

Connects from LOCAL to REMOTE:179, exchanges OPEN (4-octet AS and IPv4
unicast capabilities) and KEEPALIVE, keeps the session alive, and runs
SCRIPT, one step per line:
    announce PREFIX[,PREFIX...] PATH[,PATH...]   valid UPDATE
    badorigin PREFIX                             ORIGIN 7: treat-as-withdraw
    wait FILE                                    until FILE exists
    notify CODE SUBCODE                          send NOTIFICATION, exit
    hold                                         stay up until closed
Prints "established", "sent STEP" and "notification CODE SUBCODE" lines on
stdout; exits 0 when the peer closes after a NOTIFICATION or the script
ends, 1 on a deadline (60 s) or a protocol surprise.
"""
import ipaddress
import os
import select
import socket
import struct
import sys
import time

DEADLINE = time.monotonic() + 60


def msg(mtype, body=b""):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(my_as, bgp_id):
    caps = bytes([1, 4, 0, 1, 0, 1])            # MP: IPv4 unicast
    caps += bytes([65, 4]) + struct.pack("!I", my_as)
    opt = bytes([2, len(caps)]) + caps
    as2 = my_as if my_as < 65536 else 23456
    return msg(1, struct.pack("!BHH4sB", 4, as2, 9,
                              socket.inet_aton(bgp_id), len(opt)) + opt)


def nlri(prefixes):
    out = b""
    for p in prefixes:
        n = ipaddress.ip_network(p)
        nb = (n.prefixlen + 7) // 8
        out += bytes([n.prefixlen]) + n.network_address.packed[:nb]
    return out


def attr(flags, code, value):
    return bytes([flags, code, len(value)]) + value


def update(prefixes, path, nexthop, origin=0):
    seg = bytes([2, len(path)]) + b"".join(struct.pack("!I", a) for a in path)
    attrs = attr(0x40, 1, bytes([origin]))
    attrs += attr(0x40, 2, seg)
    attrs += attr(0x40, 3, socket.inet_aton(nexthop))
    body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs
    return msg(2, body + nlri(prefixes))


class Peer:
    def __init__(self, local, remote):
        self.s = socket.create_connection((remote, 179), timeout=5,
                                          source_address=(local, 0))
        self.s.setblocking(False)
        self.buf = b""
        self.last_ka = 0.0

    def send(self, data):
        self.s.setblocking(True)
        self.s.sendall(data)
        self.s.setblocking(False)

    def poll(self, timeout):
        """Read what arrived; returns a list of (type, body); None at EOF."""
        now = time.monotonic()
        if now - self.last_ka > 1:
            self.send(msg(4))
            self.last_ka = now
        r, _, _ = select.select([self.s], [], [], timeout)
        if r:
            try:
                d = self.s.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                d = b""
            if not d:
                return None
            self.buf += d
        out = []
        while len(self.buf) >= 19:
            ln, t = struct.unpack("!HB", self.buf[16:19])
            if len(self.buf) < ln:
                break
            out.append((t, self.buf[19:ln]))
            self.buf = self.buf[ln:]
        return out


def run(local, remote, my_as, peer_as, script):
    p = Peer(local, remote)
    p.send(open_msg(my_as, local))
    got_open = False
    while True:
        if time.monotonic() > DEADLINE:
            print("deadline in OpenSent/OpenConfirm", flush=True)
            return 1
        m = p.poll(0.2)
        if m is None:
            print("closed before Established", flush=True)
            return 1
        for t, body in m:
            if t == 1:
                got_open = True
                p.send(msg(4))
            elif t == 3:
                print("notification %d %d" % (body[0], body[1]), flush=True)
                return 1
            elif t == 4 and got_open:
                print("established", flush=True)
                return steps(p, local, my_as, script)


def pump(p, timeout):
    """Poll once, printing NOTIFICATIONs; False once the peer closed."""
    m = p.poll(timeout)
    if m is None:
        return False
    for t, body in m:
        if t == 3:
            print("notification %d %d" % (body[0], body[1]), flush=True)
    return True


def until_closed(p):
    while time.monotonic() < DEADLINE:
        if not pump(p, 0.2):
            return 0
    print("deadline", flush=True)
    return 1


def steps(p, local, my_as, script):
    for line in open(script):
        w = line.split()
        if not w:
            continue
        if w[0] == "announce":
            path = [int(a) for a in w[2].split(",")]
            p.send(update(w[1].split(","), path, local))
        elif w[0] == "badorigin":
            p.send(update([w[1]], [my_as], local, origin=7))
        elif w[0] == "wait":
            while not os.path.exists(w[1]):
                if time.monotonic() > DEADLINE:
                    print("deadline waiting for " + w[1], flush=True)
                    return 1
                if not pump(p, 0.2):
                    print("closed while waiting", flush=True)
                    return 0
        elif w[0] == "notify":
            p.send(msg(3, bytes([int(w[1]), int(w[2])])))
            print("sent " + line.strip(), flush=True)
            time.sleep(0.2)
            return 0
        elif w[0] == "hold":
            print("sent hold", flush=True)
            return until_closed(p)
        print("sent " + line.strip(), flush=True)
        if not pump(p, 0.1):
            return 0
    return 0


if __name__ == "__main__":
    a = sys.argv
    sys.exit(run(a[1], a[2], int(a[3]), int(a[4]), a[5]))
