/*
 * BFD control packet codec: byte fixtures that must decode, one fixture per
 * RFC 5880 6.8.6 discard rule, rule order, and encode/decode round trips.
 */
#include <stdlib.h>

#include "t.h"
#include "wire/bfd.h"

/* Down, no your-discr, 1 s / 300 ms, mult 3: what a peer sends first. */
static const uint8_t fx_down[24] = {
	0x20, 0x40, 0x03, 0x18,
	0x11, 0x22, 0x33, 0x44,		/* my discr */
	0x00, 0x00, 0x00, 0x00,		/* your discr */
	0x00, 0x0f, 0x42, 0x40,		/* des min tx 1,000,000 */
	0x00, 0x04, 0x93, 0xe0,		/* req min rx 300,000 */
	0x00, 0x00, 0x00, 0x00,		/* echo: none */
};

/* Up with Poll, diag 3 in the header, 4 bytes of trailing padding. */
static const uint8_t fx_up_poll[28] = {
	0x23, 0xe0, 0x05, 0x18,
	0x00, 0x00, 0x00, 0x07,
	0xde, 0xad, 0xbe, 0xef,
	0x00, 0x04, 0x93, 0xe0,
	0x00, 0x07, 0xa1, 0x20,		/* 500,000 */
	0x00, 0x00, 0xc3, 0x50,		/* echo 50,000 */
	0xaa, 0xbb, 0xcc, 0xdd,		/* beyond Length: ignored */
};

/* Keyed MD5 authentication: Length 48, Auth Len 24. */
static uint8_t fx_md5[48];
/* Simple password "secret": Auth Len 3 + 6 = 9, Length 33. */
static uint8_t fx_simple[33];

static void
fx_build_auth(void)
{
	memcpy(fx_md5, fx_down, 24);
	fx_md5[1] |= BFD_FLAG_A;
	fx_md5[3] = 48;
	fx_md5[24] = BFD_AUTH_KEYED_MD5;
	fx_md5[25] = 24;
	fx_md5[26] = 1;			/* key id */
	memset(fx_md5 + 28, 0x5a, 20);	/* seq + digest */

	memcpy(fx_simple, fx_down, 24);
	fx_simple[1] |= BFD_FLAG_A;
	fx_simple[3] = 33;
	fx_simple[24] = BFD_AUTH_SIMPLE;
	fx_simple[25] = 9;
	fx_simple[26] = 7;
	memcpy(fx_simple + 27, "secret", 6);
}

static enum bfd_pkt_result
decode(const uint8_t *b, size_t n, struct bfd_pkt *p)
{
	struct rbuf r;

	rbuf_init(&r, b, n);
	return bfd_pkt_decode(&r, p);
}

static void
test_decode_valid(void)
{
	struct bfd_pkt p;

	T_EQ(decode(fx_down, sizeof(fx_down), &p), BFD_PKT_OK);
	T_EQ(p.version, 1);
	T_EQ(p.diag, 0);
	T_EQ(p.state, BFD_STATE_DOWN);
	T_EQ(p.flags, 0);
	T_EQ(p.detect_mult, 3);
	T_EQ(p.length, 24);
	T_EQ(p.my_discr, 0x11223344);
	T_EQ(p.your_discr, 0);
	T_EQ(p.des_min_tx, 1000000);
	T_EQ(p.req_min_rx, 300000);
	T_EQ(p.req_min_echo_rx, 0);
	T_EQ(p.auth_type, 0);

	T_EQ(decode(fx_up_poll, sizeof(fx_up_poll), &p), BFD_PKT_OK);
	T_EQ(p.diag, BFD_DIAG_NEIGHBOR_DOWN);
	T_EQ(p.state, BFD_STATE_UP);
	T_EQ(p.flags, BFD_FLAG_P);
	T_EQ(p.detect_mult, 5);
	T_EQ(p.my_discr, 7);
	T_EQ(p.your_discr, 0xdeadbeef);
	T_EQ(p.des_min_tx, 300000);
	T_EQ(p.req_min_rx, 500000);
	T_EQ(p.req_min_echo_rx, 50000);
}

static void
test_decode_auth_framing(void)
{
	struct bfd_pkt p;
	uint8_t b[48];

	fx_build_auth();
	T_EQ(decode(fx_md5, sizeof(fx_md5), &p), BFD_PKT_OK);
	T_EQ(p.flags, BFD_FLAG_A);
	T_EQ(p.auth_type, BFD_AUTH_KEYED_MD5);
	T_EQ(p.auth_len, 24);
	T_EQ(p.length, 48);

	T_EQ(decode(fx_simple, sizeof(fx_simple), &p), BFD_PKT_OK);
	T_EQ(p.auth_type, BFD_AUTH_SIMPLE);
	T_EQ(p.auth_len, 9);

	/* Auth Len disagreeing with Length. */
	memcpy(b, fx_md5, 48);
	b[25] = 20;
	T_EQ(decode(b, 48, &p), BFD_PKT_BAD_AUTH_LEN);
	/* MD5 must be 24 bytes, even when Length agrees. */
	memcpy(b, fx_md5, 48);
	b[3] = 44;
	b[25] = 20;
	T_EQ(decode(b, 48, &p), BFD_PKT_BAD_AUTH_LEN);
	/* A password of 17 bytes (Auth Len 20) is too long. */
	memcpy(b, fx_simple, 33);
	b[3] = 44;
	b[25] = 20;
	T_EQ(decode(b, 48, &p), BFD_PKT_BAD_AUTH_LEN);
	/* Auth Len 1 cannot even hold its own header. */
	memcpy(b, fx_md5, 48);
	b[3] = 26;
	b[24] = 99;
	b[25] = 1;
	T_EQ(decode(b, 48, &p), BFD_PKT_BAD_AUTH_LEN);
	/* An unknown type frames by Auth Len alone. */
	b[25] = 2;
	T_EQ(decode(b, 48, &p), BFD_PKT_OK);
	T_EQ(p.auth_type, 99);
}

/* One fixture per discard rule: start from a valid packet, break one thing. */
struct fx_fail {
	const char		*what;
	size_t			 off;	/* byte to overwrite */
	uint8_t			 val;
	size_t			 len;	/* bytes handed to the decoder */
	enum bfd_pkt_result	 want;
};

static const struct fx_fail fx_fails[] = {
	{ "empty", 0, 0x20, 0, BFD_PKT_SHORT },
	{ "3 bytes", 0, 0x20, 3, BFD_PKT_SHORT },
	{ "version 0", 0, 0x00, 24, BFD_PKT_BAD_VERSION },
	{ "version 2", 0, 0x40, 24, BFD_PKT_BAD_VERSION },
	{ "version 7", 0, 0xe0, 24, BFD_PKT_BAD_VERSION },
	{ "Length 23", 3, 23, 24, BFD_PKT_BAD_LENGTH },
	{ "Length 0", 3, 0, 24, BFD_PKT_BAD_LENGTH },
	{ "A bit, Length 24", 1, 0x40 | BFD_FLAG_A, 24, BFD_PKT_BAD_LENGTH },
	{ "Length 25 > payload 24", 3, 25, 24, BFD_PKT_LENGTH_PAYLOAD },
	{ "Length 24 > payload 23", 3, 24, 23, BFD_PKT_LENGTH_PAYLOAD },
	{ "Length 255 > payload", 3, 255, 24, BFD_PKT_LENGTH_PAYLOAD },
	{ "Detect Mult 0", 2, 0, 24, BFD_PKT_ZERO_MULT },
	{ "M bit", 1, 0x40 | BFD_FLAG_M, 24, BFD_PKT_MULTIPOINT },
	{ "My Discr 0", 7, 0, 24, BFD_PKT_ZERO_MY_DISCR },
	{ "Your Discr 0 in Init", 1, 0x80, 24, BFD_PKT_YOUR_DISCR },
	{ "Your Discr 0 in Up", 1, 0xc0, 24, BFD_PKT_YOUR_DISCR },
};

static void
test_decode_each_rule(void)
{
	uint8_t b[24];
	struct bfd_pkt p;
	size_t i;

	/* fx_down with My Discr = 0x00000001 so one byte clears it. */
	for (i = 0; i < sizeof(fx_fails) / sizeof(fx_fails[0]); i++) {
		const struct fx_fail *f = &fx_fails[i];
		enum bfd_pkt_result got;

		memcpy(b, fx_down, 24);
		b[4] = b[5] = b[6] = 0;
		b[7] = 1;
		b[f->off] = f->val;
		got = decode(b, f->len, &p);
		if (got != f->want)
			printf("#   fixture '%s': got %s, want %s\n", f->what,
			    bfd_pkt_result_str(got), bfd_pkt_result_str(f->want));
		T_EQ(got, f->want);
	}
	/* Your Discr 0 is fine in AdminDown and Down. */
	memcpy(b, fx_down, 24);
	b[1] = 0x00;
	T_EQ(decode(b, 24, &p), BFD_PKT_OK);
	T_EQ(p.state, BFD_STATE_ADMIN_DOWN);
}

/* When several rules fail, the first in RFC order is reported. */
static void
test_decode_rule_order(void)
{
	uint8_t b[24];
	struct bfd_pkt p;

	memcpy(b, fx_down, 24);
	b[0] = 0x40;		/* bad version */
	b[3] = 10;		/* bad length */
	b[2] = 0;		/* zero mult */
	T_EQ(decode(b, 24, &p), BFD_PKT_BAD_VERSION);
	b[0] = 0x20;
	T_EQ(decode(b, 24, &p), BFD_PKT_BAD_LENGTH);
	b[3] = 30;
	T_EQ(decode(b, 24, &p), BFD_PKT_LENGTH_PAYLOAD);
	b[3] = 24;
	b[1] = 0xc0 | BFD_FLAG_M;	/* Up, M, your discr 0 */
	T_EQ(decode(b, 24, &p), BFD_PKT_ZERO_MULT);
	b[2] = 3;
	T_EQ(decode(b, 24, &p), BFD_PKT_MULTIPOINT);
	b[1] = 0xc0;
	b[4] = b[5] = b[6] = b[7] = 0;
	T_EQ(decode(b, 24, &p), BFD_PKT_ZERO_MY_DISCR);
	b[7] = 9;
	T_EQ(decode(b, 24, &p), BFD_PKT_YOUR_DISCR);
}

static void
test_encode_roundtrip(void)
{
	struct bfd_pkt in = {
		.diag = BFD_DIAG_DETECT_EXPIRED, .state = BFD_STATE_INIT,
		.flags = BFD_FLAG_F | BFD_FLAG_A | BFD_FLAG_M | BFD_FLAG_D,
		.detect_mult = 3, .my_discr = 0x01020304,
		.your_discr = 0x0a0b0c0d, .des_min_tx = 300000,
		.req_min_rx = 300000, .req_min_echo_rx = 0,
	}, out;
	uint8_t mem[BFD_PKT_MAX], small[23];
	const uint8_t want[24] = {
		0x21, 0x90, 0x03, 0x18, 1, 2, 3, 4, 10, 11, 12, 13,
		0x00, 0x04, 0x93, 0xe0, 0x00, 0x04, 0x93, 0xe0, 0, 0, 0, 0,
	};
	struct wbuf w;

	wbuf_init_fixed(&w, mem, sizeof(mem));
	T_EQ(bfd_pkt_encode(&w, &in), 0);
	T_EQ(w.len, 24);
	/* A, M and D are never sent: we do no auth, multipoint or demand. */
	T_MEMEQ(mem, want, 24);
	T_EQ(decode(mem, w.len, &out), BFD_PKT_OK);
	T_EQ(out.flags, BFD_FLAG_F);
	T_EQ(out.state, in.state);
	T_EQ(out.diag, in.diag);
	T_EQ(out.my_discr, in.my_discr);
	T_EQ(out.your_discr, in.your_discr);

	wbuf_init_fixed(&w, small, sizeof(small));
	T_EQ(bfd_pkt_encode(&w, &in), -1);
	T_EQ(w.len, 0);
}

static void
test_names(void)
{
	T_STREQ(bfd_state_name(BFD_STATE_UP), "Up");
	T_STREQ(bfd_state_name(BFD_STATE_ADMIN_DOWN), "AdminDown");
	T_STREQ(bfd_state_name(4), "?");
	T_STREQ(bfd_state_key(BFD_STATE_DOWN), "down");
	T_STREQ(bfd_diag_name(1), "Control Detection Time Expired");
	T_STREQ(bfd_diag_name(9), "Unassigned");
	T_STREQ(bfd_pkt_result_str(BFD_PKT_ZERO_MULT), "Detect Mult is 0");
	T_STREQ(bfd_pkt_result_str(BFD_PKT_RESULT_MAX), "unknown");
}

int
main(void)
{
	T_RUN(test_decode_valid);
	T_RUN(test_decode_auth_framing);
	T_RUN(test_decode_each_rule);
	T_RUN(test_decode_rule_order);
	T_RUN(test_encode_roundtrip);
	T_RUN(test_names);
	return t_done();
}
