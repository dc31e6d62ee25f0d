/*
 * Byte fixtures for the BGP codecs: each entry is a message built by hand
 * from the RFC layouts and the outcome it must have: accepted, a given
 * NOTIFICATION (code, subcode, and data where the RFC fixes it), or an
 * RFC 7606 action (treat-as-withdraw, attribute discard). UPDATE fixtures
 * give withdrawn routes, attributes and NLRI separately; the section
 * lengths are filled in here so each fixture shows only what it tests.
 * Values of accepted messages are checked by the tests after the table.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "t.h"
#include "wire_util.h"
#include "wire/bgp.h"

enum fx_want { FX_OK, FX_NOTIFY, FX_WITHDRAW, FX_DISCARD, FX_IGNORE,
	FX_HDR_OK, FX_BAD };		/* header only; fixture broken */
enum { FX_2OCT = 1, FX_IBGP = 2, FX_V4ONLY = 4, FX_EXTMSG = 8 };

struct fx {
	const char	*name;
	uint8_t		 type;		/* 0: 'raw' is a whole message */
	unsigned	 ctx;		/* FX_* */
	const char	*raw;		/* the body (or message), or NULL */
	const char	*wd, *attrs, *nlri;	/* UPDATE parts if raw is NULL */
	enum fx_want	 want;
	uint8_t		 code, sub;	/* FX_NOTIFY */
	const char	*data;		/* NOTIFICATION data (hex) or NULL */
	const char	*reason;	/* substring of u.reason or NULL */
	uint8_t		 dtype;		/* FX_DISCARD: type in u.discarded */
};

/* Pieces of a valid UPDATE from a 4-octet eBGP peer. */
#define ORG	"40 01 01 00 "
#define ASP	"40 02 06 02 01 0000fde9 "
#define ASP2	"40 02 04 02 01 fde9 "		/* 2-octet form */
#define NH	"40 03 04 c0000201 "
#define BASE	ORG ASP NH
#define BASE2	ORG ASP2 NH
#define N8	"08 0a"				/* 10.0.0.0/8 */
#define MPR6	"80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 " \
		"20 20010db8 "			/* 2001:db8::/32 */
#define MPU6	"80 0f 08 0002 01 20 20010db8 "

#define U	BGP_UPDATE
#define W	FX_WITHDRAW
#define D	FX_DISCARD
#define N	FX_NOTIFY

static const struct fx fixtures[] = {
	/* --- header (RFC 4271 6.1) --------------------------------------- */
	{ "hdr marker not all ones", 0, 0,
	    "ffffffffffffffffffffffffffff7fff 0013 04", NULL, NULL, NULL,
	    N, 1, 1, "", NULL, 0 },
	{ "hdr length 18", 0, 0, "ffffffffffffffffffffffffffffffff 0012 04",
	    NULL, NULL, NULL, N, 1, 2, "0012", NULL, 0 },
	{ "hdr length 4097 without extended messages", 0, 0,
	    "ffffffffffffffffffffffffffffffff 1001 02", NULL, NULL, NULL,
	    N, 1, 2, "1001", NULL, 0 },
	{ "hdr OPEN over 4096 even with extended messages", 0, FX_EXTMSG,
	    "ffffffffffffffffffffffffffffffff 1001 01", NULL, NULL, NULL,
	    N, 1, 2, "1001", NULL, 0 },
	{ "hdr UPDATE of 4097 with extended messages", 0, FX_EXTMSG,
	    "ffffffffffffffffffffffffffffffff 1001 02", NULL, NULL, NULL,
	    FX_HDR_OK, 0, 0, NULL, NULL, 0 },
	{ "hdr unknown type 6", 0, 0,
	    "ffffffffffffffffffffffffffffffff 0013 06", NULL, NULL, NULL,
	    N, 1, 3, "06", NULL, 0 },
	{ "hdr OPEN of 28 bytes", 0, 0,
	    "ffffffffffffffffffffffffffffffff 001c 01 04fde900b4c000020100",
	    NULL, NULL, NULL, N, 1, 2, "001c", NULL, 0 },
	{ "hdr UPDATE of 22 bytes", 0, 0,
	    "ffffffffffffffffffffffffffffffff 0016 02 000000", NULL, NULL,
	    NULL, N, 1, 2, "0016", NULL, 0 },
	{ "hdr NOTIFICATION of 20 bytes", 0, 0,
	    "ffffffffffffffffffffffffffffffff 0014 03 06", NULL, NULL, NULL,
	    N, 1, 2, "0014", NULL, 0 },
	{ "hdr KEEPALIVE of 20 bytes", 0, 0,
	    "ffffffffffffffffffffffffffffffff 0014 04 00", NULL, NULL, NULL,
	    N, 1, 2, "0014", NULL, 0 },
	{ "hdr ROUTE-REFRESH of 22 bytes", 0, 0,
	    "ffffffffffffffffffffffffffffffff 0016 05 000100", NULL, NULL,
	    NULL, N, 1, 2, "0016", NULL, 0 },
	{ "hdr KEEPALIVE", 0, 0, "ffffffffffffffffffffffffffffffff 0013 04",
	    NULL, NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },

	/* --- OPEN (RFC 4271 6.2, RFC 5492, RFC 9072) ---------------------- */
	{ "open minimal, hold 0", BGP_OPEN, 0, "04 fde9 0000 c0000201 00",
	    NULL, NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "open version 3", BGP_OPEN, 0, "03 fde9 00b4 c0000201 00", NULL,
	    NULL, NULL, N, 2, 1, "0004", NULL, 0 },
	{ "open hold 1", BGP_OPEN, 0, "04 fde9 0001 c0000201 00", NULL, NULL,
	    NULL, N, 2, 6, "", NULL, 0 },
	{ "open hold 2", BGP_OPEN, 0, "04 fde9 0002 c0000201 00", NULL, NULL,
	    NULL, N, 2, 6, "", NULL, 0 },
	{ "open BGP id 0", BGP_OPEN, 0, "04 fde9 00b4 00000000 00", NULL, NULL,
	    NULL, N, 2, 3, "", NULL, 0 },
	{ "open AS 0 (RFC 7607)", BGP_OPEN, 0, "04 0000 00b4 c0000201 00",
	    NULL, NULL, NULL, N, 2, 2, "", NULL, 0 },
	{ "open 4-octet AS 0 in capability", BGP_OPEN, 0,
	    "04 5ba0 00b4 c0000201 08 02 06 41 04 00000000", NULL, NULL, NULL,
	    N, 2, 2, "", NULL, 0 },
	{ "open auth parameter (type 1)", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 04 01 02 0000", NULL, NULL, NULL,
	    N, 2, 4, "", NULL, 0 },
	{ "open capability overruns parameter", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 04 02 02 41 04", NULL, NULL, NULL,
	    N, 2, 0, "", NULL, 0 },
	{ "open MP capability of 3 bytes", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 07 02 05 01 03 000100", NULL, NULL, NULL,
	    N, 2, 0, "", NULL, 0 },
	{ "open parameters longer than the message", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 09 02 02 02 00", NULL, NULL, NULL,
	    N, 1, 2, "0021", NULL, 0 },
	{ "open unknown capabilities ignored", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 0a 02 08 49 03 01 61 00 7f 01 ff", NULL,
	    NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "open RFC 9072 extended parameters", BGP_OPEN, 0,
	    "04 fde9 00b4 c0000201 ff ff 0009 02 0006 41 04 0000fde9", NULL,
	    NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },

	/* --- NOTIFICATION, ROUTE-REFRESH ---------------------------------- */
	{ "notification with shutdown message", BGP_NOTIFICATION, 0,
	    "06 02 03 627965", NULL, NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "route refresh ipv4", BGP_ROUTE_REFRESH, 0, "0001 00 01", NULL,
	    NULL, NULL, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "route refresh of 24 bytes (RFC 7313 5)", BGP_ROUTE_REFRESH, 0,
	    "0001 00 01 00", NULL, NULL, NULL, N, 7, 1,
	    "ffffffffffffffffffffffffffffffff 0018 05 0001000100", NULL, 0 },
	{ "route refresh unknown subtype ignored", BGP_ROUTE_REFRESH, 0,
	    "0001 03 01", NULL, NULL, NULL, FX_IGNORE, 0, 0, NULL, NULL, 0 },

	/* --- UPDATE framing (RFC 4271 6.3, RFC 7606 5.3) ------------------ */
	{ "upd minimal", U, 0, NULL, "", BASE, N8, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd withdrawn length overruns", U, 0, "0010 0a00 0000", NULL, NULL,
	    NULL, N, 3, 1, "", "withdrawn routes length", 0 },
	{ "upd attribute length overruns", U, 0, "0000 0020 40010100", NULL,
	    NULL, NULL, N, 3, 1, "", "path attribute length", 0 },
	{ "upd withdrawn prefix /33", U, 0, NULL, "21 0a000000 00", "", "",
	    N, 3, 10, NULL, NULL, 0 },
	{ "upd NLRI /33", U, 0, NULL, "", BASE, "21 0a000000 00", N, 3, 10,
	    NULL, "NLRI malformed", 0 },
	{ "upd NLRI truncated", U, 0, NULL, "", BASE, "18 0a00", N, 3, 10,
	    NULL, NULL, 0 },

	/* --- RFC 7606 section 3 and 4 -------------------------------------- */
	{ "upd unknown well-known attribute", U, 0, NULL, "",
	    BASE "40 4d 02 abcd", N8, N, 3, 2, "404d02abcd", NULL, 0 },
	{ "upd unknown optional non-transitive dropped", U, 0, NULL, "",
	    BASE "80 4d 02 abcd", N8, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd unknown optional transitive kept", U, 0, NULL, "",
	    BASE "c0 4d 02 abcd", N8, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd duplicate MED: all but first dropped", U, 0, NULL, "",
	    BASE "80 04 04 00000001 80 04 04 00000002", N8, D, 0, 0, NULL,
	    "duplicate MULTI_EXIT_DISC", 0 },
	{ "upd duplicate MP_UNREACH", U, 0, NULL, "", MPU6 MPU6, "", N, 3, 1,
	    NULL, "twice", 0 },
	{ "upd duplicate MP_REACH", U, 0, NULL, "", ORG ASP MPR6 MPR6, "", N,
	    3, 1, NULL, NULL, 0 },
	{ "upd last attribute overruns the section", U, 0, NULL, "",
	    BASE "c0 08 08 0000fde9", N8, W, 0, 0, NULL, "overruns", 0 },
	{ "upd attribute header cut", U, 0, NULL, "", BASE "c0", N8, W, 0, 0,
	    NULL, "overruns", 0 },
	{ "upd extended-length header cut", U, 0, NULL, "", BASE "d0 08 00",
	    N8, W, 0, 0, NULL, "overruns", 0 },
	{ "upd missing ORIGIN", U, 0, NULL, "", ASP NH, N8, W, 0, 0, NULL,
	    "missing well-known attribute ORIGIN", 0 },
	{ "upd missing AS_PATH", U, 0, NULL, "", ORG NH, N8, W, 0, 0, NULL,
	    "missing well-known attribute AS_PATH", 0 },
	{ "upd missing NEXT_HOP with IPv4 NLRI", U, 0, NULL, "", ORG ASP, N8,
	    W, 0, 0, NULL, "missing well-known attribute NEXT_HOP", 0 },
	{ "upd no NEXT_HOP needed for MP_REACH only", U, 0, NULL, "",
	    MPR6 ORG ASP, "", FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd no attributes needed without NLRI", U, 0, NULL, "08 0a", "",
	    "", FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd flags: ORIGIN marked optional", U, 0, NULL, "",
	    "c0 01 01 00" ASP NH, N8, W, 0, 0, NULL,
	    "ORIGIN malformed: flags 0xc0, want 0x40", 0 },
	{ "upd flags: MED marked transitive", U, 0, NULL, "",
	    BASE "c0 04 04 00000064", N8, W, 0, 0, NULL, NULL, 0 },
	{ "upd flags: AGGREGATOR marked well-known", U, 0, NULL, "",
	    BASE "40 07 08 0000fde9 c0000201", N8, D, 0, 0, NULL, NULL, 7 },
	{ "upd flags: MP_REACH marked transitive", U, 0, NULL, "",
	    "c0 0e 1a 0002 01 10 20010db8000000000000000000000001 00 "
	    "20 20010db8" ORG ASP, "", N, 3, 4, NULL, NULL, 0 },
	{ "upd flags: partial and extended length accepted", U, 0, NULL, "",
	    "50 01 0001 00" ASP NH "f0 08 0004 0000fde9", N8, FX_OK, 0, 0,
	    NULL, NULL, 0 },

	/* --- RFC 7606 section 7, per attribute ----------------------------- */
	{ "upd ORIGIN value 3", U, 0, NULL, "", "40 01 01 03" ASP NH, N8, W,
	    0, 0, NULL, "ORIGIN malformed: undefined value", 0 },
	{ "upd ORIGIN length 2", U, 0, NULL, "", "40 01 02 0000" ASP NH, N8,
	    W, 0, 0, NULL, "ORIGIN malformed: length 2", 0 },
	{ "upd AS_PATH segment overruns", U, 0, NULL, "",
	    ORG "40 02 06 02 02 0000fde9" NH, N8, W, 0, 0, NULL,
	    "AS_PATH malformed: segment overruns attribute", 0 },
	{ "upd AS_PATH segment type 5", U, 0, NULL, "",
	    ORG "40 02 06 05 01 0000fde9" NH, N8, W, 0, 0, NULL,
	    "AS_PATH malformed: unknown segment type", 0 },
	{ "upd AS_PATH empty segment", U, 0, NULL, "",
	    ORG "40 02 02 02 00" NH, N8, W, 0, 0, NULL,
	    "AS_PATH malformed: empty segment", 0 },
	{ "upd AS_PATH ends in a segment header", U, 0, NULL, "",
	    ORG "40 02 07 02 01 0000fde9 02" NH, N8, W, 0, 0, NULL,
	    "AS_PATH malformed: attribute ends inside a segment header", 0 },
	{ "upd AS_PATH confederation segment from eBGP", U, 0, NULL, "",
	    ORG "40 02 06 03 01 0000fde9" NH, N8, W, 0, 0, NULL,
	    "confederation", 0 },
	{ "upd AS_PATH confederation segment from iBGP", U, FX_IBGP, NULL, "",
	    ORG "40 02 06 03 01 0000fde9" NH, N8, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd AS_PATH with AS 0 (RFC 7607)", U, 0, NULL, "",
	    ORG "40 02 06 02 01 00000000" NH, N8, W, 0, 0, NULL, "AS 0", 0 },
	{ "upd AS_PATH 2-octet overruns", U, FX_2OCT, NULL, "",
	    ORG "40 02 04 02 02 fde9" NH, N8, W, 0, 0, NULL,
	    "segment overruns", 0 },
	{ "upd NEXT_HOP length 5", U, 0, NULL, "",
	    ORG ASP "40 03 05 c000020100", N8, W, 0, 0, NULL,
	    "NEXT_HOP malformed: length 5", 0 },
	{ "upd NEXT_HOP 127.0.0.1", U, 0, NULL, "", ORG ASP "40 03 04 7f000001",
	    N8, W, 0, 0, NULL, "NEXT_HOP malformed: martian address", 0 },
	{ "upd NEXT_HOP 0.0.0.0", U, 0, NULL, "", ORG ASP "40 03 04 00000000",
	    N8, W, 0, 0, NULL, "martian", 0 },
	{ "upd NEXT_HOP 224.0.0.5", U, 0, NULL, "", ORG ASP "40 03 04 e0000005",
	    N8, W, 0, 0, NULL, "martian", 0 },
	{ "upd MED length 3", U, 0, NULL, "", BASE "80 04 03 000064", N8, W, 0,
	    0, NULL, "MULTI_EXIT_DISC malformed: length 3", 0 },
	{ "upd LOCAL_PREF length 3 from iBGP", U, FX_IBGP, NULL, "",
	    BASE "40 05 03 000064", N8, W, 0, 0, NULL, "LOCAL_PREF", 0 },
	{ "upd LOCAL_PREF from eBGP discarded", U, 0, NULL, "",
	    BASE "40 05 04 00000064", N8, D, 0, 0, NULL,
	    "LOCAL_PREF from an external peer", 5 },
	{ "upd LOCAL_PREF from iBGP kept", U, FX_IBGP, NULL, "",
	    BASE "40 05 04 00000064", N8, FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd ATOMIC_AGGREGATE length 1", U, 0, NULL, "", BASE "40 06 01 00",
	    N8, D, 0, 0, NULL, "ATOMIC_AGGREGATE discarded: length 1", 6 },
	{ "upd AGGREGATOR length 6 on a 4-octet session", U, 0, NULL, "",
	    BASE "c0 07 06 fde9 c0000201", N8, D, 0, 0, NULL,
	    "AGGREGATOR discarded", 7 },
	{ "upd AGGREGATOR length 8 on a 2-octet session", U, FX_2OCT, NULL, "",
	    BASE2 "c0 07 08 0000fde9 c0000201", N8, D, 0, 0, NULL, NULL, 7 },
	{ "upd AGGREGATOR AS 0", U, 0, NULL, "",
	    BASE "c0 07 08 00000000 c0000201", N8, D, 0, 0, NULL, "AS 0", 7 },
	{ "upd COMMUNITIES length 5", U, 0, NULL, "",
	    BASE "c0 08 05 0000fde901", N8, W, 0, 0, NULL,
	    "COMMUNITIES malformed: length 5", 0 },
	{ "upd COMMUNITIES length 0", U, 0, NULL, "", BASE "c0 08 00", N8, W,
	    0, 0, NULL, NULL, 0 },
	{ "upd ORIGINATOR_ID length 3 from iBGP", U, FX_IBGP, NULL, "",
	    BASE "80 09 03 0a0000", N8, W, 0, 0, NULL, "ORIGINATOR_ID", 0 },
	{ "upd ORIGINATOR_ID from eBGP discarded", U, 0, NULL, "",
	    BASE "80 09 04 0a000001", N8, D, 0, 0, NULL, NULL, 9 },
	{ "upd CLUSTER_LIST length 6 from iBGP", U, FX_IBGP, NULL, "",
	    BASE "80 0a 06 0a0000010a00", N8, W, 0, 0, NULL, "CLUSTER_LIST",
	    0 },
	{ "upd CLUSTER_LIST from eBGP discarded", U, 0, NULL, "",
	    BASE "80 0a 04 0a000001", N8, D, 0, 0, NULL, NULL, 10 },
	{ "upd EXT_COMMUNITIES length 12", U, 0, NULL, "",
	    BASE "c0 10 0c 0002fde900000064 00000000", N8, W, 0, 0, NULL,
	    "EXTENDED_COMMUNITIES malformed: length 12", 0 },
	{ "upd LARGE_COMMUNITY length 8", U, 0, NULL, "",
	    BASE "c0 20 08 00002f2c00000001", N8, W, 0, 0, NULL,
	    "LARGE_COMMUNITY malformed: length 8", 0 },
	{ "upd MP_REACH v6 next hop of 8 bytes", U, 0, NULL, "",
	    "80 0e 12 0002 01 08 20010db800000000 00 20 20010db8" ORG ASP, "",
	    N, 3, 9, "800e12 0002 01 08 20010db800000000 00 20 20010db8", NULL,
	    0 },
	{ "upd MP_REACH cut before next hop", U, 0, NULL, "",
	    "80 0e 03 0002 01" ORG ASP, "", N, 3, 9, NULL, NULL, 0 },
	{ "upd MP_REACH next hop overruns", U, 0, NULL, "",
	    "80 0e 06 0002 01 10 2001" ORG ASP, "", N, 3, 9, NULL, NULL, 0 },
	{ "upd MP_REACH prefix /129", U, 0, NULL, "",
	    "80 0e 16 0002 01 10 20010db8000000000000000000000001 00 81 00"
	    ORG ASP, "", N, 3, 10, NULL, NULL, 0 },
	{ "upd MP_REACH v4 next hop of 16 bytes", U, 0, NULL, "",
	    "80 0e 16 0001 01 10 20010db8000000000000000000000001 00 08 0a"
	    ORG ASP, "", N, 3, 9, NULL, NULL, 0 },
	{ "upd MP_REACH unknown AFI ignored", U, 0, NULL, "",
	    "80 0e 0b 0019 01 04 c0000201 00 08 0a" ORG ASP, "", FX_OK, 0, 0,
	    NULL, NULL, 0 },
	{ "upd MP_REACH v6 not negotiated ignored", U, FX_V4ONLY, NULL, "",
	    MPR6 ORG ASP, "", FX_OK, 0, 0, NULL, NULL, 0 },
	{ "upd MP_REACH v6 next hop ::1", U, 0, NULL, "",
	    "80 0e 1a 0002 01 10 00000000000000000000000000000001 00 "
	    "20 20010db8" ORG ASP, "", W, 0, 0, NULL, "martian", 0 },
	{ "upd MP_UNREACH cut in AFI/SAFI", U, 0, NULL, "", "80 0f 02 0002",
	    "", N, 3, 9, NULL, NULL, 0 },
	{ "upd MP_UNREACH prefix overruns", U, 0, NULL, "",
	    "80 0f 05 0002 01 40 2001", "", N, 3, 10, NULL, NULL, 0 },
	{ "upd AS4_PATH malformed from a 2-octet peer", U, FX_2OCT, NULL, "",
	    BASE2 "c0 11 06 02 02 fa56ea00", N8, D, 0, 0, NULL,
	    "AS4_PATH discarded", 17 },
	{ "upd AS4_PATH with confederation segment", U, FX_2OCT | FX_IBGP,
	    NULL, "", BASE2 "c0 11 06 03 01 fa56ea00", N8, D, 0, 0, NULL,
	    "confederation", 17 },
	{ "upd AS4_AGGREGATOR length 6", U, FX_2OCT, NULL, "",
	    BASE2 "c0 12 06 fde9 c0000201", N8, D, 0, 0, NULL,
	    "AS4_AGGREGATOR discarded: length 6", 18 },
	{ "upd AS4_PATH from a 4-octet peer silently ignored", U, 0, NULL, "",
	    BASE "c0 11 06 02 01 fa56ea00", N8, FX_OK, 0, 0, NULL, NULL, 0 },
};

#undef U
#undef W
#undef D
#undef N

static uint8_t scratch[4 * 65536];

/* Assemble the fixture's message into m; returns its length. */
static size_t
fx_build(const struct fx *f, uint8_t *m, size_t cap)
{
	uint8_t body[8192];
	size_t n, wl, al;

	if (f->raw != NULL && f->type == 0)
		return hex2bin(f->raw, m, cap);
	if (f->raw != NULL)
		n = hex2bin(f->raw, body, sizeof(body));
	else {
		wl = hex2bin(f->wd, body + 2, sizeof(body) - 2);
		body[0] = (uint8_t)(wl >> 8);
		body[1] = (uint8_t)wl;
		al = hex2bin(f->attrs, body + 4 + wl, sizeof(body) - 4 - wl);
		body[2 + wl] = (uint8_t)(al >> 8);
		body[3 + wl] = (uint8_t)al;
		n = 4 + wl + al;
		n += hex2bin(f->nlri, body + n, sizeof(body) - n);
	}
	return frame_msg(f->type, body, n, m);
}

/* Run one fixture through header check and its decoder. */
static enum fx_want
fx_run(const struct fx *f, struct bgp_err *e, struct bgp_update *u)
{
	struct bgp_decode_ctx dc = { .as4 = !(f->ctx & FX_2OCT),
	    .ebgp = !(f->ctx & FX_IBGP),
	    .fams = (f->ctx & FX_V4ONLY) ? 1 : 3,
	    .scratch = scratch, .scratch_len = sizeof(scratch) };
	struct bgp_notification no;
	struct bgp_open o;
	uint8_t m[8192], type, st;
	uint16_t len;
	enum bgp_fam fam;
	size_t n;
	int rc;

	n = fx_build(f, m, sizeof(m));
	if (bgp_hdr_check(m, (f->ctx & FX_EXTMSG) ? 65535 : 4096, &type, &len,
	    e) == -1)
		return FX_NOTIFY;
	if (f->want == FX_HDR_OK)
		return FX_HDR_OK;
	if (len != n) {
		printf("#   fixture length %zu, header says %u\n", n, len);
		return FX_BAD;
	}
	switch (type) {
	case BGP_OPEN:
		return bgp_open_decode(m + 19, n - 19, &o, e) ? FX_NOTIFY : FX_OK;
	case BGP_NOTIFICATION:
		return bgp_notification_decode(m + 19, n - 19, &no) ? FX_NOTIFY :
		    FX_OK;
	case BGP_ROUTE_REFRESH:
		rc = bgp_rrefresh_decode(m + 19, n - 19, &fam, &st, e);
		return rc == -1 ? FX_NOTIFY : rc == 1 ? FX_IGNORE : FX_OK;
	case BGP_UPDATE:
		if (bgp_update_decode(m + 19, n - 19, &dc, u, e) == -1)
			return FX_NOTIFY;
		switch (u->action) {
		case BGP_7606_NONE:
			return FX_OK;
		case BGP_7606_ATTR_DISCARD:
			return FX_DISCARD;
		case BGP_7606_WITHDRAW:
			return FX_WITHDRAW;
		default:
			return FX_BAD;
		}
	default:
		return FX_OK;
	}
}

static void
test_fixtures(void)
{
	const struct fx *f;
	struct bgp_update u;
	struct bgp_err e;
	enum fx_want got;
	uint8_t data[128];
	size_t i, n;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		f = &fixtures[i];
		memset(&e, 0, sizeof(e));
		memset(&u, 0, sizeof(u));
		got = fx_run(f, &e, &u);
		if (got != f->want) {
			printf("#   %s: got outcome %d, want %d (%u/%u) '%s'\n",
			    f->name, got, f->want, e.code, e.subcode, u.reason);
			t_fail_cur++;
			continue;
		}
		if (f->want == FX_NOTIFY && (e.code != f->code ||
		    e.subcode != f->sub)) {
			printf("#   %s: NOTIFICATION %u/%u, want %u/%u\n",
			    f->name, e.code, e.subcode, f->code, f->sub);
			t_fail_cur++;
		}
		if (f->data != NULL) {
			n = hex2bin(f->data, data, sizeof(data));
			if (n != e.datalen || memcmp(data, e.data, n) != 0) {
				printf("#   %s: NOTIFICATION data differs "
				    "(%u bytes)\n", f->name, e.datalen);
				t_fail_cur++;
			}
		}
		if (f->reason && !strstr(u.reason, f->reason)) {
			printf("#   %s: reason '%s', want '%s'\n", f->name,
			    u.reason, f->reason);
			t_fail_cur++;
		}
		if (f->dtype && !((u.discarded >> f->dtype) & 1)) {
			printf("#   %s: type %u not in discarded\n", f->name,
			    f->dtype);
			t_fail_cur++;
		}
		if (f->dtype && BGP_ATTR_HAS(&u.attrs, f->dtype)) {
			printf("#   %s: discarded type %u still present\n",
			    f->name, f->dtype);
			t_fail_cur++;
		}
	}
	printf("#   %zu fixtures\n", i);
}

/* Decode one UPDATE fixture given as parts; returns bgp_update_decode(). */
static int
upd(unsigned ctx, const char *wd, const char *attrs, const char *nlri,
    struct bgp_update *u, uint8_t *m)
{
	struct fx f = { "value", BGP_UPDATE, ctx, NULL, wd, attrs, nlri,
	    FX_OK, 0, 0, NULL, NULL, 0 };
	struct bgp_decode_ctx dc = { .as4 = !(ctx & FX_2OCT),
	    .ebgp = !(ctx & FX_IBGP), .fams = (ctx & FX_V4ONLY) ? 1 : 3,
	    .scratch = scratch, .scratch_len = sizeof(scratch) };
	struct bgp_err e;
	size_t n;

	n = fx_build(&f, m, 8192);
	return bgp_update_decode(m + 19, n - 19, &dc, u, &e);
}

static void
hexeq(const uint8_t *got, size_t len, const char *want)
{
	uint8_t b[512];
	size_t n = hex2bin(want, b, sizeof(b));

	size_t i;

	T_EQ(len, n);
	if (len == n && memcmp(got, b, n) == 0)
		return;
	t_fail_cur++;
	printf("#   got ");
	for (i = 0; i < len; i++)
		printf("%02x", got[i]);
	printf("\n#   want %s\n", want);
}

/*
 * What a BIRD edge would send to a customer: AS_PATH, MED, standard,
 * extended (route target 2:65001:100) and large communities.
 */
static void
test_update_values(void)
{
	static uint8_t m[8192];
	struct bgp_update u;
	struct prefix p;
	char s[64];

	T_EQ(upd(0, "",
	    ORG "40 02 0e 02 03 0000fde9 00002f2c fa56ea00" NH
	    "80 04 04 00000064"
	    "c0 08 0c 2f2c0001 2f2c0002 ffffff01"
	    "c0 10 08 0002fde900000064"
	    "c0 20 18 00002f2c 00000001 00000002 fa56ea00 00000003 00000004",
	    "18 c00002 19 c6336480", &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "65001 12076 4200000000");
	T_EQ(bgp_aspath_first(u.attrs.aspath, u.attrs.aspath_len), 65001);
	T_EQ(ntohl(u.attrs.nexthop), 0xc0000201);
	T_EQ(u.attrs.med, 100);
	hexeq(u.attrs.comm, u.attrs.comm_len, "2f2c0001 2f2c0002 ffffff01");
	hexeq(u.attrs.ext, u.attrs.ext_len, "0002fde900000064");
	T_EQ(u.attrs.large_len, 24);
	T_EQ(u.attrs.large[12], 0xfa);
	T_EQ(bgp_nlri_next(&u.nlri, BGP_FAM_V4U, &p), 1);
	T_STREQ(prefix_ntop(&p, s, sizeof(s)), "192.0.2.0/24");
	T_EQ(bgp_nlri_next(&u.nlri, BGP_FAM_V4U, &p), 1);
	T_STREQ(prefix_ntop(&p, s, sizeof(s)), "198.51.100.128/25");
	T_EQ(bgp_nlri_next(&u.nlri, BGP_FAM_V4U, &p), 0);
}

/* FRR over a link: global and link-local next hop (RFC 2545 3). */
static void
test_v6_linklocal(void)
{
	static uint8_t m[8192];
	struct bgp_update u;
	struct prefix p;
	char s[64];

	T_EQ(upd(0, "",
	    "90 0e 0034 0002 01 20 20010db8000000000000000000000001 "
	    "fe800000000000000000000000000001 00 "
	    "20 20010db8 40 20010db800010002 00"
	    ORG ASP, "", &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_EQ(u.mp_reach_fam, BGP_FAM_V6U);
	T_STREQ(addr_ntop(&u.attrs.mp_nexthop, s, sizeof(s)), "2001:db8::1");
	T_STREQ(addr_ntop(&u.attrs.mp_nexthop_ll, s, sizeof(s)), "fe80::1");
	T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 1);
	T_STREQ(prefix_ntop(&p, s, sizeof(s)), "2001:db8::/32");
	T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 1);
	T_STREQ(prefix_ntop(&p, s, sizeof(s)), "2001:db8:1:2::/64");
	T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 1);
	T_STREQ(prefix_ntop(&p, s, sizeof(s)), "::/0");
	T_EQ(bgp_nlri_next(&u.mp_reach, BGP_FAM_V6U, &p), 0);
	T_CHECK(!u.eor);
}

/* RFC 6793 4.2.3 from a 2-octet speaker. */
static void
test_as4_merge(void)
{
	static uint8_t m[8192];
	struct bgp_update u;
	char s[128];

	/* AS_PATH 64512 23456 23456 + AS4_PATH 4200000000 4200000001 */
	T_EQ(upd(FX_2OCT, "", ORG "40 02 08 02 03 fc00 5ba0 5ba0" NH
	    "c0 07 06 5ba0 0a000001"
	    "c0 11 0a 02 02 fa56ea00 fa56ea01"
	    "c0 12 08 fa56ea01 0a000001", N8, &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "64512 4200000000 4200000001");
	/* one SEQUENCE, not two: the seam is joined */
	T_EQ(u.attrs.aspath_len, 2 + 3 * 4);
	T_EQ(u.attrs.aggr_as, 4200000001u);
	T_EQ(u.attrs.aggr_id, 0x0a000001);
	T_CHECK(!BGP_ATTR_HAS(&u.attrs, BGP_ATTR_AS4_PATH));

	/* AGGREGATOR by a 2-octet AS: AS4_PATH and AS4_AGGREGATOR ignored */
	T_EQ(upd(FX_2OCT, "", ORG "40 02 08 02 03 fc00 5ba0 5ba0" NH
	    "c0 07 06 fde9 0a000001"
	    "c0 11 0a 02 02 fa56ea00 fa56ea01"
	    "c0 12 08 fa56ea01 0a000001", N8, &u, m), 0);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "64512 23456 23456");
	T_EQ(u.attrs.aggr_as, 65001);

	/* two leading confederation segments both survive the merge
	 * (fuzz_bgp_msg found the second one dropped) */
	T_EQ(upd(FX_2OCT | FX_IBGP, "", ORG
	    "40 02 0c 03 01 fd00 03 01 fd01 02 01 5ba0" NH
	    "c0 11 06 02 01 fa56ea00", N8, &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_EQ(u.attrs.aspath_len, 3 * 2 + 3 * 4);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "(64768) (64769) 4200000000");

	/* AS4_PATH longer than AS_PATH: ignored */
	T_EQ(upd(FX_2OCT, "", ORG "40 02 04 02 01 5ba0" NH
	    "c0 11 0a 02 02 fa56ea00 fa56ea01", N8, &u, m), 0);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "23456");

	/* with sets: a SET counts one */
	T_EQ(upd(FX_2OCT, "", ORG
	    "40 02 0c 02 02 fc00 5ba0 01 02 5ba0 fde8" NH
	    "c0 11 10 02 01 fa56ea00 01 02 fa56ea01 0000fde8", N8, &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "64512 4200000000 {4200000001,65000}");

	/* a leading confederation segment stays (iBGP inside a confed) */
	T_EQ(upd(FX_2OCT | FX_IBGP, "", ORG
	    "40 02 0c 03 01 fde8 02 03 fc00 5ba0 fde9" NH
	    "c0 11 0a 02 02 fa56ea00 0000fde9", N8, &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	T_STREQ(bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
	    sizeof(s)), "(65000) 64512 4200000000 65001");
	T_EQ(bgp_aspath_count(u.attrs.aspath, u.attrs.aspath_len), 3);

	/* no AS4_PATH: plain widening */
	T_EQ(upd(FX_2OCT, "", BASE2, N8, &u, m), 0);
	hexeq(u.attrs.aspath, u.attrs.aspath_len, "02 01 0000fde9");
}

/* Unknown optional transitive: kept with Partial, re-sent in type order. */
static void
test_unknown_partial(void)
{
	static uint8_t m[8192];
	struct bgp_encode_ctx ec = { .as4 = true };
	struct bgp_update u;
	struct wbuf w;

	T_EQ(upd(0, "", BASE "c0 08 04 2f2c0001 c0 20 0c 00002f2c0000000100000002"
	    "c0 4d 02 abcd d0 1e 0001 ee 80 63 01 ff", N8, &u, m), 0);
	T_EQ(u.action, BGP_7606_NONE);
	/* 0x4d and 0x1e kept (Partial set) sorted, 0x63 non-transitive dropped */
	hexeq(u.attrs.unknown, u.attrs.unknown_len, "f0 1e 0001 ee e0 4d 02 abcd");
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_attrs_encode(&w, &u.attrs, BGP_FAM_V4U, &ec), 0);
	hexeq(w.p, w.len, BASE "c0 08 04 2f2c0001 f0 1e 0001 ee "
	    "c0 20 0c 00002f2c0000000100000002 e0 4d 02 abcd");
	wbuf_free(&w);
}

static void
test_duplicate_keeps_first(void)
{
	static uint8_t m[8192];
	struct bgp_update u;

	T_EQ(upd(0, "", BASE "80 04 04 00000001 80 04 04 00000002", N8, &u,
	    m), 0);
	T_EQ(u.action, BGP_7606_ATTR_DISCARD);
	T_EQ(u.attrs.med, 1);
	T_CHECK(BGP_ATTR_HAS(&u.attrs, BGP_ATTR_MED));
}

/* To a 2-octet speaker: AS_TRANS in place, the truth in AS4_* (6793 4.2.2) */
static void
test_encode_2octet(void)
{
	static const uint8_t path[] = { 3, 1, 0, 0, 0xfd, 0xe8, 2, 2, 0, 0,
	    0xfd, 0xe9, 0xfa, 0x56, 0xea, 0x00 };
	struct bgp_encode_ctx ec = { .as4 = false };
	struct bgp_pattrs a = { 0 };
	struct wbuf w;

	a.present = 1 << BGP_ATTR_ORIGIN | 1 << BGP_ATTR_AS_PATH |
	    1 << BGP_ATTR_NEXT_HOP | 1 << BGP_ATTR_AGGREGATOR |
	    1 << BGP_ATTR_ATOMIC_AGGR;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop = htonl(0xc0000201);
	a.aggr_as = 4200000000u;
	a.aggr_id = 0x0a000001;
	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_attrs_encode(&w, &a, BGP_FAM_V4U, &ec), 0);
	hexeq(w.p, w.len, ORG "40 02 0a 03 01 fde8 02 02 fde9 5ba0" NH
	    "40 06 00 c0 07 06 5ba0 0a000001"
	    "c0 11 0a 02 02 0000fde9 fa56ea00"
	    "c0 12 08 fa56ea00 0a000001");
	/* the same to a 4-octet speaker: as is, and no NEXT_HOP for IPv6 */
	ec.as4 = true;
	wbuf_reset(&w);
	T_EQ(bgp_attrs_encode(&w, &a, BGP_FAM_V6U, &ec), 0);
	hexeq(w.p, w.len, ORG "40 02 10 03 01 0000fde8 02 02 0000fde9 fa56ea00"
	    "40 06 00 c0 07 08 fa56ea00 0a000001");
	/*
	 * Fuzz find: a 4-octet AS only inside a confederation segment gave
	 * an empty AS4_PATH; AS4_PATH cannot carry those, so none is sent.
	 */
	a.present = 1 << BGP_ATTR_AS_PATH;
	a.aspath = (const uint8_t *)"\x03\x01\x00\x29\x03\x16";
	a.aspath_len = 6;
	ec.as4 = false;
	wbuf_reset(&w);
	T_EQ(bgp_attrs_encode(&w, &a, BGP_FAM_V4U, &ec), 0);
	hexeq(w.p, w.len, "40 02 04 03 01 5ba0");
	wbuf_free(&w);
}

static void
test_eor_bytes(void)
{
	static uint8_t m[8192];
	struct bgp_update u;
	struct wbuf w;

	wbuf_init(&w, 64, 4096);
	T_EQ(bgp_eor_encode(&w, BGP_FAM_V6U), 0);
	hexeq(w.p, w.len, "ffffffffffffffffffffffffffffffff 001d 02 0000 0006"
	    "80 0f 03 0002 01");
	wbuf_free(&w);
	/* an MP_UNREACH next to other attributes is not End-of-RIB */
	T_EQ(upd(0, "", "80 0f 03 0002 01" ORG, "", &u, m), 0);
	T_CHECK(!u.eor);
	/* nor one that withdraws something */
	T_EQ(upd(0, "", MPU6, "", &u, m), 0);
	T_CHECK(!u.eor);
	/* the extended-length form counts */
	T_EQ(upd(0, "", "90 0f 0003 0002 01", "", &u, m), 0);
	T_CHECK(u.eor);
	T_EQ(u.eor_fam, BGP_FAM_V6U);
}

int
main(void)
{
	T_RUN(test_fixtures);
	T_RUN(test_update_values);
	T_RUN(test_v6_linklocal);
	T_RUN(test_as4_merge);
	T_RUN(test_unknown_partial);
	T_RUN(test_duplicate_keeps_first);
	T_RUN(test_encode_2octet);
	T_RUN(test_eor_bytes);
	return t_done();
}
