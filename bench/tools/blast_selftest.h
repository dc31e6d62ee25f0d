/*
 * bgpblast --selftest: the generator and the codecs checked against each
 * other without a network, as TAP lines. Included by bgpblast.c only.
 */
#ifndef XR_BENCH_BLAST_SELFTEST_H
#define XR_BENCH_BLAST_SELFTEST_H

static int st_num, st_failed;

static void
st_ok(bool c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
st_ok(bool c, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", c ? "" : "not ", ++st_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!c)
		st_failed++;
}

/* Feed a pre-encoded stream to a sink as if it came off the wire; returns
 * the number of messages, -1 if one is malformed or too long. */
static long
st_feed(struct sess *s, const struct wbuf *w)
{
	size_t off = 0;
	long n = 0;

	while (off + BGP_HDR <= w->len) {
		size_t mlen = (size_t)(w->p[off + 16] << 8 | w->p[off + 17]);
		struct rbuf body;

		if (mlen < BGP_HDR || mlen > BGP_MAXMSG ||
		    off + mlen > w->len || w->p[off + 18] != BGP_UPDATE)
			return -1;
		rbuf_init(&body, w->p + off + BGP_HDR, mlen - BGP_HDR);
		if (handle_update(s, &body) == -1)
			return -1;
		off += mlen;
		n++;
	}
	return off == w->len ? n : -1;
}

static void
st_generator(void)
{
	struct pset a = { 0 }, b = { 0 };
	size_t i, hist[33] = { 0 }, bogon = 0, nlen = 0;
	bool same;

	st_ok(pset_generate(&a, 1000000) == 0,
	    "1M prefixes generated, all unique");
	st_ok(pset_generate(&b, 1000000) == 0, "generated again");
	same = memcmp(a.addr, b.addr, 4 * a.n) == 0 &&
	    memcmp(a.len, b.len, a.n) == 0;
	st_ok(same, "generator is deterministic");
	for (i = 0; i < a.n; i++) {
		hist[a.len[i]]++;
		bogon += gen_is_bogon(a.addr[i], a.len[i]);
		if ((uint32_t)(a.addr[i] << a.len[i]) != 0 && a.len[i] < 32)
			bogon++;	/* host bits set */
	}
	for (i = 0; i <= 32; i++)
		nlen += hist[i] != 0;
	st_ok(bogon == 0, "no special-purpose space, no host bits (%zu bad)",
	    bogon);
	st_ok(hist[24] > 550000 && hist[24] < 650000,
	    "/24 share realistic: %zu of 1M", hist[24]);
	st_ok(hist[22] + hist[23] > 150000 && hist[16] > 10000 && nlen >= 15,
	    "mix: /22-23 %zu, /16 %zu, %zu distinct lengths",
	    hist[22] + hist[23], hist[16], nlen);
	st_ok(pset_find(&a, a.addr[12345], a.len[12345]) == 12345 &&
	    pset_find(&a, 0x0a000000, 24) == -1, "index finds ours only");
	pset_free(&a);
	pset_free(&b);
}

static void
st_codec(size_t n, uint32_t nsets)
{
	struct sess s = { 0 };
	struct wbuf ann, wd;
	uint32_t *idx;
	long na, nw, fa, fw;
	size_t i, nused = 0;
	uint8_t *used;

	B.n = n;
	pset_generate(&B.set, n);
	idx = malloc(n * sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	s.bits = calloc(n / 8 + 1, 1);
	s.role = R_SINK;
	s.peer_as = 65001;	/* our encoder's paths start with 65001 */
	wbuf_init(&ann, 1 << 20, (size_t)1 << 31);
	wbuf_init(&wd, 1 << 20, (size_t)1 << 31);
	na = gen_encode_announce(&ann, &B.set, idx, n, nsets, 65001,
	    0x0aff0101);
	nw = gen_encode_withdraw(&wd, &B.set, idx, n);
	fa = st_feed(&s, &ann);
	st_ok(na > 0 && fa == na && s.have == n && s.dup == 0 &&
	    s.foreign == 0 && s.bad_path == 0, "%zu prefixes, %u sets: %ld "
	    "UPDATEs decode to %zu distinct prefixes, paths start with 65001",
	    n, nsets, na, s.have);
	used = calloc(nsets, 1);
	for (i = 0; i < n; i++)
		if (!used[gen_attrset_of(i, nsets)]) {
			used[gen_attrset_of(i, nsets)] = 1;
			nused++;
		}
	free(used);
	st_ok(na >= (long)nused && nused > nsets / 2,
	    "at least one UPDATE per used attribute set (%ld >= %zu)", na,
	    nused);
	st_ok((size_t)na < n / 200 + nsets + 1,
	    "UPDATEs are packed (%ld for %zu prefixes)", na, n);
	s.peer_as = 65099;	/* a daemon that forgot to prepend itself */
	memset(s.bits, 0, n / 8 + 1);
	s.have = 0;
	st_feed(&s, &ann);
	st_ok(s.bad_path == (size_t)na, "every UPDATE flagged when the path "
	    "lacks the sender's AS (%zu of %ld)", s.bad_path, na);
	fw = st_feed(&s, &wd);
	st_ok(nw > 0 && fw == nw && s.have == 0 && s.wd_rx == n,
	    "%ld withdrawal UPDATEs empty the sink (%zu left)", nw, s.have);
	wbuf_free(&ann);
	wbuf_free(&wd);
	free(idx);
	free(s.bits);
	pset_free(&B.set);
}

static int
selftest(void)
{
	st_generator();
	st_codec(100000, 8);
	st_codec(200000, 100000);
	printf("1..%d\n", st_num);
	return st_failed ? 1 : 0;
}

#endif
