/*
 * Unit tests for the BGP codecs in src/wire: round trips (encode, decode,
 * compare) for every message type, and decodes of hand-built messages
 * shaped like what BIRD and FRR send.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "t.h"
#include "wire_util.h"
#include "wire/bgp.h"

static uint8_t scratch[4 * 65536];

static struct bgp_decode_ctx
dctx(bool as4, bool ebgp, uint8_t fams)
{
	struct bgp_decode_ctx c = { .as4 = as4, .ebgp = ebgp, .fams = fams,
	    .scratch = scratch, .scratch_len = sizeof(scratch) };

	return c;
}

#define V4	BGP_FAM_BIT(BGP_FAM_V4U)
#define V6	BGP_FAM_BIT(BGP_FAM_V6U)

static void
test_header(void)
{
	uint8_t m[19], type;
	uint16_t len;
	struct bgp_err e;
	struct wbuf w;

	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_keepalive_encode(&w), 0);
	T_EQ(w.len, 19);
	T_EQ(bgp_hdr_check(w.p, 4096, &type, &len, &e), 0);
	T_EQ(type, BGP_KEEPALIVE);
	T_EQ(len, 19);
	memcpy(m, w.p, 19);
	m[3] = 0;
	T_EQ(bgp_hdr_check(m, 4096, &type, &len, &e), -1);
	T_EQ(e.code, BGP_ERR_HEADER);
	T_EQ(e.subcode, BGP_HDR_SYNC);
	T_EQ(e.datalen, 0);
	memcpy(m, w.p, 19);
	m[17] = 20;		/* KEEPALIVE must be 19 */
	T_EQ(bgp_hdr_check(m, 4096, &type, &len, &e), -1);
	T_EQ(e.subcode, BGP_HDR_BADLEN);
	T_EQ(e.datalen, 2);
	T_EQ(e.data[0], 0);
	T_EQ(e.data[1], 20);
	m[17] = 19;
	m[18] = 9;
	T_EQ(bgp_hdr_check(m, 4096, &type, &len, &e), -1);
	T_EQ(e.subcode, BGP_HDR_BADTYPE);
	T_EQ(e.datalen, 1);
	T_EQ(e.data[0], 9);
	/* 4097 is fine only with extended messages */
	m[16] = 0x10;
	m[17] = 0x01;
	m[18] = BGP_UPDATE;
	T_EQ(bgp_hdr_check(m, 4096, &type, &len, &e), -1);
	T_EQ(e.subcode, BGP_HDR_BADLEN);
	T_EQ(bgp_hdr_check(m, 65535, &type, &len, &e), 0);
	T_EQ(len, 4097);
	wbuf_free(&w);
}

static void
test_open_roundtrip(void)
{
	struct bgp_open o = { 0 }, d;
	struct bgp_err e;
	struct wbuf w;
	uint8_t type;
	uint16_t len;

	o.my_as = BGP_AS_TRANS;
	o.hold = 180;
	o.bgp_id = 0x0a000001;
	o.caps.fams = V4 | V6;
	o.caps.as4 = true;
	o.caps.as4_asn = 4200000000u;
	o.caps.route_refresh = true;
	o.caps.enhanced_rr = true;
	o.caps.ext_msg = true;
	o.caps.gr = true;
	o.caps.gr_flags_time = 120;
	o.caps.gr_fams = V6;
	o.caps.gr_fam_flags[BGP_FAM_V6U] = 0x80;
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_open_encode(&w, &o), 0);
	T_EQ(bgp_hdr_check(w.p, 4096, &type, &len, &e), 0);
	T_EQ(type, BGP_OPEN);
	T_EQ(len, w.len);
	T_EQ(bgp_open_decode(w.p + 19, w.len - 19, &d, &e), 0);
	T_EQ(d.version, 4);
	T_EQ(d.my_as, BGP_AS_TRANS);
	T_EQ(d.hold, 180);
	T_EQ(d.bgp_id, 0x0a000001);
	T_EQ(d.caps.fams, V4 | V6);
	T_CHECK(d.caps.mp_present);
	T_CHECK(d.caps.as4);
	T_EQ(d.caps.as4_asn, 4200000000u);
	T_EQ(bgp_open_asn(&d), 4200000000u);
	T_CHECK(d.caps.route_refresh);
	T_CHECK(d.caps.enhanced_rr);
	T_CHECK(d.caps.ext_msg);
	T_CHECK(d.caps.gr);
	T_EQ(d.caps.gr_flags_time, 120);
	T_EQ(d.caps.gr_fams, V6);
	T_EQ(d.caps.gr_fam_flags[BGP_FAM_V6U], 0x80);
	wbuf_free(&w);
}

/*
 * A BIRD 2 style OPEN: AS 65001, hold 240, id 192.0.2.1, all capabilities
 * in one optional parameter: MP ipv4+ipv6 unicast, route refresh, extended
 * next hop (5, unknown to us), graceful restart (restart time 120, no
 * families), 4-octet AS, enhanced route refresh, LLGR (71, unknown).
 */
static const char bird_open[] =
    "04 fde9 00f0 c0000201 26"
    "02 24"
    "01 04 0001 00 01"
    "01 04 0002 00 01"
    "02 00"
    "05 06 0001 0001 0002"
    "40 02 0078"
    "41 04 0000fde9"
    "46 00"
    "47 00";

/*
 * An FRR style OPEN: every capability in its own optional parameter; the
 * old Cisco route refresh (128) next to the standard one, FQDN (73) and
 * software version (75) which we ignore, graceful restart with the
 * restart bit for ipv4 unicast with forwarding state, AS 4200000001.
 */
static const char frr_open[] =
    "04 5ba0 00b4 0a000002 3d"
    "02 06 01 04 0001 00 01"
    "02 02 80 00"
    "02 02 02 00"
    "02 02 46 00"
    "02 06 41 04 fa56ea01"
    "02 07 49 05 03 66 72 72 00"
    "02 08 40 06 8078 0001 01 80"
    "02 08 4b 06 05 46 52 52 2f 39"
    "02 02 06 00";

static void
test_open_foreign(void)
{
	uint8_t b[256];
	struct bgp_open o;
	struct bgp_err e;
	size_t n;

	n = hex2bin(bird_open, b, sizeof(b));
	T_EQ(n, 10 + 0x26);
	T_EQ(bgp_open_decode(b, n, &o, &e), 0);
	T_EQ(o.my_as, 65001);
	T_EQ(o.hold, 240);
	T_EQ(o.bgp_id, 0xc0000201);
	T_EQ(o.caps.fams, V4 | V6);
	T_CHECK(o.caps.route_refresh);
	T_CHECK(o.caps.enhanced_rr);
	T_CHECK(!o.caps.ext_msg);
	T_CHECK(o.caps.gr);
	T_EQ(o.caps.gr_flags_time, 120);
	T_EQ(o.caps.gr_fams, 0);
	T_EQ(bgp_open_asn(&o), 65001);

	n = hex2bin(frr_open, b, sizeof(b));
	T_EQ(n, 10 + 0x3d);
	T_EQ(bgp_open_decode(b, n, &o, &e), 0);
	T_EQ(o.my_as, BGP_AS_TRANS);
	T_EQ(o.hold, 180);
	T_EQ(o.caps.fams, V4);
	T_CHECK(o.caps.route_refresh);
	T_CHECK(o.caps.enhanced_rr);
	T_CHECK(o.caps.ext_msg);
	T_EQ(bgp_open_asn(&o), 4200000001u);
	T_CHECK(o.caps.gr);
	T_EQ(o.caps.gr_flags_time, 0x8078);
	T_EQ(o.caps.gr_fams, V4);
	T_EQ(o.caps.gr_fam_flags[BGP_FAM_V4U], 0x80);
}

static void
test_notification(void)
{
	struct bgp_err e = { .code = BGP_ERR_OPEN, .subcode = BGP_OPEN_VERSION,
	    .datalen = 2, .data = { 0, 4 } };
	struct bgp_notification n;
	struct wbuf w;
	char longmsg[300];

	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_notification_encode(&w, &e), 0);
	T_EQ(w.len, 23);
	T_EQ(bgp_notification_decode(w.p + 19, w.len - 19, &n), 0);
	T_EQ(n.code, 2);
	T_EQ(n.subcode, 1);
	T_EQ(n.datalen, 2);
	T_EQ(n.data[1], 4);
	T_STREQ(n.shutdown_msg, "");
	T_STREQ(bgp_err_code_name(n.code), "OPEN Message Error");
	T_STREQ(bgp_err_subcode_name(n.code, n.subcode),
	    "Unsupported Version Number");
	T_STREQ(bgp_err_subcode_name(6, 10), "BFD Down");
	T_STREQ(bgp_err_subcode_name(6, 99), "Unknown Subcode");
	T_STREQ(bgp_err_code_name(42), "Unknown Error");

	wbuf_reset(&w);
	T_EQ(bgp_shutdown_encode(&w, BGP_CEASE_ADMIN_DOWN, "maint \x01 ok"), 0);
	T_EQ(w.len, 19 + 3 + 10);
	T_EQ(w.p[21], 10);
	T_EQ(bgp_notification_decode(w.p + 19, w.len - 19, &n), 0);
	T_EQ(n.code, BGP_ERR_CEASE);
	T_EQ(n.subcode, BGP_CEASE_ADMIN_DOWN);
	/* control characters never reach the logs */
	T_STREQ(n.shutdown_msg, "maint ? ok");

	/* over 255 bytes: cut at a character boundary (é is 2 bytes) */
	memset(longmsg, 'a', 254);
	memcpy(longmsg + 254, "\xc3\xa9zz", 5);
	wbuf_reset(&w);
	T_EQ(bgp_shutdown_encode(&w, BGP_CEASE_ADMIN_RESET, longmsg), 0);
	T_EQ(w.p[21], 254);
	/* a length byte overrunning the data is not a message */
	{
		const uint8_t bad[] = { 6, 2, 9, 'a', 'b' };

		T_EQ(bgp_notification_decode(bad, sizeof(bad), &n), 0);
		T_STREQ(n.shutdown_msg, "");
		T_EQ(n.datalen, 3);
	}
	wbuf_free(&w);
}

static void
test_rrefresh(void)
{
	struct wbuf w;
	struct bgp_err e;
	enum bgp_fam f;
	uint8_t st, b[8];

	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_rrefresh_encode(&w, BGP_FAM_V6U, 1), 0);
	T_EQ(w.len, 23);
	T_EQ(bgp_rrefresh_decode(w.p + 19, 4, &f, &st, &e), 0);
	T_EQ(f, BGP_FAM_V6U);
	T_EQ(st, 1);
	memcpy(b, w.p + 19, 4);
	b[3] = 2;	/* SAFI multicast: not ours, ignore */
	T_EQ(bgp_rrefresh_decode(b, 4, &f, &st, &e), 1);
	memcpy(b, w.p + 19, 4);
	b[2] = 7;	/* unknown subtype: ignore */
	T_EQ(bgp_rrefresh_decode(b, 4, &f, &st, &e), 1);
	b[2] = 0;
	b[4] = 0;
	T_EQ(bgp_rrefresh_decode(b, 5, &f, &st, &e), -1);
	T_EQ(e.code, BGP_ERR_RREFRESH);
	T_EQ(e.subcode, 1);
	T_EQ(e.datalen, 24);	/* the whole message */
	T_EQ(e.data[17], 24);
	wbuf_free(&w);
}

static void
test_update_v4_roundtrip(void)
{
	static const uint8_t path[] = { 2, 3, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd,
	    0xea, 0xfa, 0x56, 0xea, 0x01 };
	static const uint8_t comm[] = { 0x30, 0x2c, 0x00, 0x01, 0xff, 0xff,
	    0xff, 0x01 };
	struct bgp_pattrs a = { 0 };
	struct bgp_encode_ctx ec = { .as4 = true };
	struct bgp_decode_ctx dc = dctx(true, true, V4);
	struct bgp_update u;
	struct bgp_err e;
	struct prefix pfx[3], p;
	struct wbuf aw, w;
	uint8_t type;
	uint16_t len;
	int i;

	a.present = 1 << BGP_ATTR_ORIGIN | 1 << BGP_ATTR_AS_PATH |
	    1 << BGP_ATTR_NEXT_HOP | 1 << BGP_ATTR_MED |
	    1 << BGP_ATTR_COMMUNITIES;
	a.origin = BGP_ORIGIN_IGP;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop = htonl(0xc0000201);
	a.med = 50;
	a.comm = comm;
	a.comm_len = sizeof(comm);
	prefix_parse("10.0.0.0/8", &pfx[0], true);
	prefix_parse("192.0.2.0/24", &pfx[1], true);
	prefix_parse("198.51.100.128/25", &pfx[2], true);
	wbuf_init(&aw, 64, 4096);
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_attrs_encode(&aw, &a, BGP_FAM_V4U, &ec), 0);
	T_EQ(bgp_update_pack(&w, &ec, BGP_FAM_V4U, aw.p, aw.len, NULL, NULL,
	    pfx, 3), 3);
	T_EQ(bgp_hdr_check(w.p, 4096, &type, &len, &e), 0);
	T_EQ(len, w.len);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_EQ(u.attrs.present, a.present);
	T_EQ(u.attrs.origin, 0);
	T_EQ(u.attrs.aspath_len, sizeof(path));
	T_MEMEQ(u.attrs.aspath, path, sizeof(path));
	T_EQ(u.attrs.nexthop, a.nexthop);
	T_EQ(u.attrs.med, 50);
	T_EQ(u.attrs.comm_len, 8);
	T_MEMEQ(u.attrs.comm, comm, 8);
	T_CHECK(!u.eor);
	for (i = 0; i < 3; i++) {
		T_EQ(bgp_nlri_next(&u.nlri, BGP_FAM_V4U, &p), 1);
		T_EQ(prefix_cmp(&p, &pfx[i]), 0);
	}
	T_EQ(bgp_nlri_next(&u.nlri, BGP_FAM_V4U, &p), 0);

	/* withdraw them again */
	wbuf_reset(&w);
	T_EQ(bgp_withdraw_pack(&w, &ec, BGP_FAM_V4U, pfx, 3), 3);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_CHECK(!u.has_attrs);
	for (i = 0; i < 3; i++) {
		T_EQ(bgp_nlri_next(&u.withdrawn, BGP_FAM_V4U, &p), 1);
		T_EQ(prefix_cmp(&p, &pfx[i]), 0);
	}
	T_EQ(rbuf_left(&u.nlri), 0);

	/* End-of-RIB */
	wbuf_reset(&w);
	T_EQ(bgp_eor_encode(&w, BGP_FAM_V4U), 0);
	T_EQ(w.len, 23);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_CHECK(u.eor);
	T_EQ(u.eor_fam, BGP_FAM_V4U);
	wbuf_free(&aw);
	wbuf_free(&w);
}

static void
test_update_v6_roundtrip(void)
{
	static const uint8_t path[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
	struct bgp_pattrs a = { 0 };
	struct bgp_encode_ctx ec = { .as4 = true };
	struct bgp_decode_ctx dc = dctx(true, true, V4 | V6);
	struct bgp_update u;
	struct bgp_err e;
	struct prefix pfx[2], p;
	struct addr nh, ll;
	struct wbuf aw, w;
	int i;

	a.present = 1 << BGP_ATTR_ORIGIN | 1 << BGP_ATTR_AS_PATH;
	a.origin = BGP_ORIGIN_INCOMPLETE;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	prefix_parse("2001:db8::/32", &pfx[0], true);
	prefix_parse("2001:db8:1:2::/64", &pfx[1], true);
	addr_parse("2001:db8::1", &nh);
	addr_parse("fe80::1", &ll);
	wbuf_init(&aw, 64, 4096);
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_attrs_encode(&aw, &a, BGP_FAM_V6U, &ec), 0);
	T_EQ(bgp_update_pack(&w, &ec, BGP_FAM_V6U, aw.p, aw.len, &nh, &ll,
	    pfx, 2), 2);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_EQ(u.mp_reach_fam, BGP_FAM_V6U);
	T_EQ(u.attrs.mp_nexthop.af, AF_INET6);
	T_EQ(addr_cmp(&u.attrs.mp_nexthop, &nh), 0);
	T_EQ(addr_cmp(&u.attrs.mp_nexthop_ll, &ll), 0);
	T_EQ(u.attrs.origin, BGP_ORIGIN_INCOMPLETE);
	T_EQ(rbuf_left(&u.nlri), 0);
	for (i = 0; i < 2; i++) {
		T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 1);
		T_EQ(prefix_cmp(&p, &pfx[i]), 0);
	}
	T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 0);

	/* without the link-local: a 16-byte next hop */
	wbuf_reset(&w);
	T_EQ(bgp_update_pack(&w, &ec, BGP_FAM_V6U, aw.p, aw.len, &nh, NULL,
	    pfx, 2), 2);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_EQ(u.attrs.mp_nexthop_ll.af, 0);

	wbuf_reset(&w);
	T_EQ(bgp_withdraw_pack(&w, &ec, BGP_FAM_V6U, pfx, 2), 2);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_EQ(u.mp_unreach_fam, BGP_FAM_V6U);
	T_CHECK(!u.eor);
	for (i = 0; i < 2; i++) {
		T_EQ(bgp_nlri_next(&u.mp_unreach, BGP_FAM_V6U, &p), 1);
		T_EQ(prefix_cmp(&p, &pfx[i]), 0);
	}

	wbuf_reset(&w);
	T_EQ(bgp_eor_encode(&w, BGP_FAM_V6U), 0);
	T_EQ(w.len, 29);
	T_EQ(bgp_update_decode(w.p + 19, w.len - 19, &dc, &u, &e), 0);
	T_CHECK(u.eor);
	T_EQ(u.eor_fam, BGP_FAM_V6U);
	wbuf_free(&aw);
	wbuf_free(&w);
}

/* Many prefixes: every message full, nothing lost, nothing repeated. */
static void
test_pack_many(void)
{
	static const uint8_t path[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
	struct bgp_pattrs a = { 0 };
	struct bgp_encode_ctx ec = { .as4 = true };
	struct bgp_decode_ctx dc = dctx(true, true, V4 | V6);
	enum bgp_fam fams[2] = { BGP_FAM_V4U, BGP_FAM_V6U };
	struct prefix *pfx, p;
	struct bgp_update u;
	struct bgp_err e;
	struct addr nh;
	struct wbuf aw, w;
	size_t n = 5000, done, msgs, off, k;
	uint8_t type;
	uint16_t len;
	int r, f;

	pfx = calloc(n, sizeof(*pfx));
	a.present = 1 << BGP_ATTR_ORIGIN | 1 << BGP_ATTR_AS_PATH |
	    1 << BGP_ATTR_NEXT_HOP;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop = htonl(0x0a000001);
	addr_parse("2001:db8::1", &nh);
	for (f = 0; f < 2; f++) {
		for (k = 0; k < n; k++) {
			uint8_t b[16] = { 10, (uint8_t)(k >> 8), (uint8_t)k };

			if (fams[f] == BGP_FAM_V6U) {
				b[0] = 0x20;
				b[1] = 0x01;
				b[4] = (uint8_t)(k >> 8);
				b[5] = (uint8_t)k;
			}
			prefix_make(&pfx[k], fams[f] == BGP_FAM_V6U ?
			    AF_INET6 : AF_INET, b, fams[f] == BGP_FAM_V6U ?
			    48 : 24);
		}
		wbuf_init(&aw, 64, 4096);
		wbuf_init(&w, 4096, 1 << 20);
		bgp_attrs_encode(&aw, &a, fams[f], &ec);
		for (done = 0, msgs = 0; done < n; msgs++) {
			r = bgp_update_pack(&w, &ec, fams[f], aw.p, aw.len,
			    &nh, NULL, pfx + done, n - done);
			T_CHECK(r > 0);
			if (r <= 0)
				break;
			done += (size_t)r;
		}
		T_EQ(done, n);
		/* 4 bytes per v4 /24, 7 per v6 /48, in 4096-byte messages */
		T_EQ(msgs, fams[f] == BGP_FAM_V4U ? 5 : 9);
		for (off = 0, k = 0; off < w.len; off += len) {
			T_EQ(bgp_hdr_check(w.p + off, 4096, &type, &len, &e), 0);
			T_EQ(bgp_update_decode(w.p + off + 19, len - 19u, &dc,
			    &u, &e), 0);
			T_EQ(u.action, BGP_7606_NONE);
			while (bgp_nlri_next(fams[f] == BGP_FAM_V4U ? &u.nlri :
			    &u.mp_reach, fams[f], &p) == 1) {
				T_EQ(prefix_cmp(&p, &pfx[k]), 0);
				k++;
			}
		}
		T_EQ(k, n);
		wbuf_reset(&w);
		ec.ext_msg = true;
		r = bgp_update_pack(&w, &ec, fams[f], aw.p, aw.len, &nh, NULL,
		    pfx, n);
		T_EQ(r, 5000);	/* 65535 bytes hold them all */
		ec.ext_msg = false;
		wbuf_free(&aw);
		wbuf_free(&w);
	}
	free(pfx);
}

static void
test_aspath(void)
{
	static const uint8_t path[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd,
	    0xea, 1, 2, 0, 0, 0xfd, 0xeb, 0, 0, 0xfd, 0xec };
	char s[64];
	struct wbuf w;

	T_EQ(bgp_aspath_count(path, sizeof(path)), 3);
	T_CHECK(bgp_aspath_contains(path, sizeof(path), 65004));
	T_CHECK(!bgp_aspath_contains(path, sizeof(path), 65005));
	T_EQ(bgp_aspath_first(path, sizeof(path)), 65001);
	T_STREQ(bgp_aspath_str(path, sizeof(path), s, sizeof(s)),
	    "65001 65002 {65003,65004}");
	T_STREQ(bgp_aspath_str(path, sizeof(path), s, 12), "65001 65...");
	T_STREQ(bgp_aspath_str(NULL, 0, s, sizeof(s)), "");
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_aspath_prepend(&w, path, sizeof(path), 12076, 2), 0);
	T_EQ(w.len, sizeof(path) + 8);
	T_STREQ(bgp_aspath_str(w.p, w.len, s, sizeof(s)),
	    "12076 12076 65001 65002 {65003,65004}");
	T_EQ(bgp_aspath_count(w.p, w.len), 5);
	wbuf_reset(&w);
	T_EQ(bgp_aspath_prepend(&w, NULL, 0, 12076, 1), 0);
	T_STREQ(bgp_aspath_str(w.p, w.len, s, sizeof(s)), "12076");
	T_EQ(bgp_aspath_first(w.p, w.len), 12076);
	wbuf_free(&w);
}

int
main(void)
{
	T_RUN(test_header);
	T_RUN(test_open_roundtrip);
	T_RUN(test_open_foreign);
	T_RUN(test_notification);
	T_RUN(test_rrefresh);
	T_RUN(test_update_v4_roundtrip);
	T_RUN(test_update_v6_roundtrip);
	T_RUN(test_pack_many);
	T_RUN(test_aspath);
	return t_done();
}
