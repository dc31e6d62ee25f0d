/*
 * Micro-benchmark of the BGP UPDATE codecs: pack N prefixes behind one
 * pre-encoded attribute set (as the RIB does for a table dump), then
 * decode every message and walk its NLRI (as the RIB does on receive).
 * Prints prefixes per second for each, for IPv4 and IPv6.
 *
 *   build/bench/tools/bench_wire [N]     (default 1000000)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire/bgp.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
run(enum bgp_fam fam, size_t n, struct prefix *pfx)
{
	static const uint8_t path[] = { 2, 3, 0, 0, 0x2f, 0x2c, 0, 0, 0xfd,
	    0xe9, 0, 0, 0xfd, 0xea };
	static const uint8_t comm[] = { 0x2f, 0x2c, 0x30, 0x39, 0x2f, 0x2c,
	    0x30, 0x3a };
	static uint8_t scratch[4 * 4096];
	struct bgp_encode_ctx ec = { .as4 = true };
	struct bgp_decode_ctx dc = { .as4 = true, .ebgp = true, .fams = 3,
	    .scratch = scratch, .scratch_len = sizeof(scratch) };
	struct bgp_pattrs a = { 0 };
	struct bgp_update u;
	struct bgp_err e;
	struct wbuf aw, w;
	struct addr nh;
	struct prefix p;
	size_t i, done, msgs = 0, seen = 0, off;
	uint8_t type;
	uint16_t len;
	uint32_t x = 2463534242u;
	double t0, t1, t2;
	int r;

	for (i = 0; i < n; i++) {
		uint8_t b[16] = { 0 };

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		memcpy(b, &x, 4);
		if (fam == BGP_FAM_V6U) {
			b[0] = 0x20;
			b[1] = 0x01;
			memcpy(b + 4, &x, 4);
		}
		prefix_make(&pfx[i], fam == BGP_FAM_V6U ? AF_INET6 : AF_INET,
		    b, fam == BGP_FAM_V6U ? (uint8_t)(32 + x % 33) :
		    (uint8_t)(16 + x % 9));
	}
	a.present = 1 << BGP_ATTR_ORIGIN | 1 << BGP_ATTR_AS_PATH |
	    1 << BGP_ATTR_NEXT_HOP | 1 << BGP_ATTR_MED |
	    1 << BGP_ATTR_COMMUNITIES;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	a.nexthop = htonl(0xc0000201);
	a.comm = comm;
	a.comm_len = sizeof(comm);
	addr_parse("2001:db8::1", &nh);
	wbuf_init(&aw, 256, 4096);
	wbuf_init(&w, 1 << 20, (size_t)1 << 31);
	/* touch the pages once, so the pack timing is the codec alone */
	wbuf_ensure(&w, n * 20);
	memset(w.p, 0, n * 20);
	bgp_attrs_encode(&aw, &a, fam, &ec);

	t0 = now();
	for (done = 0; done < n; done += (size_t)r, msgs++) {
		r = bgp_update_pack(&w, &ec, fam, aw.p, aw.len, &nh, NULL,
		    pfx + done, n - done);
		if (r <= 0) {
			fprintf(stderr, "pack failed at %zu\n", done);
			exit(1);
		}
	}
	t1 = now();
	for (off = 0; off < w.len; off += len) {
		if (bgp_hdr_check(w.p + off, 4096, &type, &len, &e) == -1 ||
		    bgp_update_decode(w.p + off + 19, len - 19u, &dc, &u,
		    &e) == -1) {
			fprintf(stderr, "decode failed\n");
			exit(1);
		}
		while (bgp_nlri_next(fam == BGP_FAM_V4U ? &u.nlri :
		    &u.mp_reach, fam, &p) == 1)
			seen++;
	}
	t2 = now();
	if (seen != n) {
		fprintf(stderr, "walked %zu of %zu prefixes\n", seen, n);
		exit(1);
	}
	printf("%s: %zu prefixes in %zu messages (%.1f MB)\n",
	    bgp_fam_name(fam), n, msgs, (double)w.len / 1e6);
	printf("  pack:          %7.1f M prefixes/s (%.3f s)\n",
	    (double)n / (t1 - t0) / 1e6, t1 - t0);
	printf("  decode + walk: %7.1f M prefixes/s (%.3f s)\n",
	    (double)n / (t2 - t1) / 1e6, t2 - t1);
	wbuf_free(&aw);
	wbuf_free(&w);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	struct prefix *pfx = calloc(n, sizeof(*pfx));

	if (pfx == NULL || n == 0)
		return 1;
	run(BGP_FAM_V4U, n, pfx);
	run(BGP_FAM_V6U, n, pfx);
	free(pfx);
	return 0;
}
