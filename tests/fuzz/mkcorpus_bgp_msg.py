#!/usr/bin/env python3
"""Write the seed corpus for fuzz_bgp_msg: a dozen valid BGP messages
built field by field per RFC 4271/4760/6793/8203 (not captured traffic).
Run from the top of the tree: tests/fuzz/mkcorpus_bgp_msg.py
The regress_* files beside them are fuzzer finds kept as seeds."""
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), "corpus", "bgp_msg")


def msg(t, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body


def attr(flags, t, v):
    if len(v) > 255:
        return struct.pack("!BBH", flags | 0x10, t, len(v)) + v
    return struct.pack("!BBB", flags, t, len(v)) + v


def seq(*ases, size=4):
    f = "!I" if size == 4 else "!H"
    return bytes([2, len(ases)]) + b"".join(struct.pack(f, a) for a in ases)


def aset(*ases, size=4):
    f = "!I" if size == 4 else "!H"
    return bytes([1, len(ases)]) + b"".join(struct.pack(f, a) for a in ases)


def pfx(s):
    a, l = s.split("/")
    l = int(l)
    if ":" in a:
        import ipaddress
        b = ipaddress.IPv6Address(a).packed
    else:
        b = bytes(int(x) for x in a.split("."))
    return bytes([l]) + b[: (l + 7) // 8]


def update(withdrawn=b"", attrs=b"", nlri=b""):
    return msg(2, struct.pack("!H", len(withdrawn)) + withdrawn +
               struct.pack("!H", len(attrs)) + attrs + nlri)


def caps(*cs):
    return b"".join(bytes([c, len(v)]) + v for c, v in cs)


def open_(asn, hold, bid, params):
    return msg(1, struct.pack("!BHHIB", 4, asn, hold, bid, len(params)) +
               params)


ORIGIN = lambda o=0: attr(0x40, 1, bytes([o]))
NH = lambda a: attr(0x40, 3, bytes(int(x) for x in a.split(".")))

seeds = {
    "keepalive": msg(4, b""),
    "open_bird": open_(65001, 240, 0xc0000201, bytes([2, 0x24]) + caps(
        (1, b"\x00\x01\x00\x01"), (1, b"\x00\x02\x00\x01"), (2, b""),
        (5, b"\x00\x01\x00\x01\x00\x02"), (64, b"\x00\x78"),
        (65, struct.pack("!I", 65001)), (70, b""), (71, b""))),
    "open_frr": open_(23456, 180, 0x0a000002, b"".join(
        bytes([2, len(c)]) + c for c in (
            caps((1, b"\x00\x01\x00\x01")), caps((128, b"")),
            caps((2, b"")), caps((70, b"")),
            caps((65, struct.pack("!I", 4200000001))),
            caps((73, b"\x03frr\x00")),
            caps((64, b"\x80\x78\x00\x01\x01\x80")), caps((6, b"")))))
    ,
    # RFC 9072 extended optional parameters
    "open_ext_params": msg(1, struct.pack("!BHHIBBH", 4, 65002, 90,
                                          0x0a000003, 255, 255, 9) +
                           b"\x02\x00\x06" + caps((65, struct.pack(
                               "!I", 65002)))),
    "notify_shutdown": msg(3, b"\x06\x02\x0dmaintenance 1"),
    "notify_version": msg(3, b"\x02\x01\x00\x04"),
    "rrefresh_v6": msg(5, b"\x00\x02\x00\x01"),
    "update_v4_full": update(attrs=ORIGIN(0) +
        attr(0x40, 2, seq(65001, 65002) + aset(65003, 4200000000)) +
        NH("192.0.2.1") + attr(0x80, 4, struct.pack("!I", 100)) +
        attr(0x40, 5, struct.pack("!I", 200)) + attr(0x40, 6, b"") +
        attr(0xc0, 7, struct.pack("!II", 65001, 0xc0000201)) +
        attr(0xc0, 8, struct.pack("!II", 0x302c0001, 0xffffff01)) +
        attr(0x80, 9, struct.pack("!I", 0x0a000009)) +
        attr(0x80, 10, struct.pack("!II", 1, 2)) +
        attr(0xc0, 16, bytes.fromhex("0002fde900000064")) +
        attr(0xc0, 32, struct.pack("!III", 12076, 1, 2)),
        nlri=pfx("10.0.0.0/8") + pfx("192.0.2.0/24") +
        pfx("198.51.100.128/25") + pfx("0.0.0.0/0")),
    "update_v6_ll": update(attrs=attr(0x90, 14, struct.pack("!HBB", 2, 1, 32)
        + bytes.fromhex("20010db8000000000000000000000001") +
        bytes.fromhex("fe800000000000000000000000000001") + b"\x00" +
        pfx("2001:db8::/32") + pfx("2001:db8:1:2::/64") +
        pfx("2001:db8:ffff::1/128")) + ORIGIN(2) +
        attr(0x40, 2, seq(65001))),
    "update_v6_withdraw": update(attrs=attr(0x80, 15, struct.pack("!HB", 2, 1)
        + pfx("2001:db8::/32") + pfx("::/0"))),
    "update_v4_withdraw": update(withdrawn=pfx("10.0.0.0/8") +
                                 pfx("192.0.2.0/24")),
    "eor_v4": update(),
    "eor_v6": update(attrs=attr(0x80, 15, struct.pack("!HB", 2, 1))),
    # from a 2-octet speaker: AS_TRANS in AS_PATH and AGGREGATOR
    "update_as4_merge": update(attrs=ORIGIN(0) +
        attr(0x40, 2, seq(64512, 23456, 23456, size=2)) + NH("192.0.2.1") +
        attr(0xc0, 7, struct.pack("!HI", 23456, 0x0a000001)) +
        attr(0xc0, 17, seq(4200000000, 4200000001)) +
        attr(0xc0, 18, struct.pack("!II", 4200000001, 0x0a000001)),
        nlri=pfx("203.0.113.0/24")),
    "update_unknown_transitive": update(attrs=ORIGIN(1) +
        attr(0x40, 2, seq(65001)) + NH("192.0.2.1") +
        attr(0xc0, 99, b"hello") + attr(0x80, 100, b"dropme"),
        nlri=pfx("203.0.113.0/24")),
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {OUT}")
