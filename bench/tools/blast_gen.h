/*
 * bgpblast's prefix set and UPDATE encoder (RFC 4271 section 4.3; 4-octet
 * AS_PATH as RFC 6793 section 3 allows between two NEW speakers; COMMUNITIES
 * RFC 1997). Included by bgpblast.c only: each C file in bench/tools
 * becomes one binary, so the tool's second half lives in headers.
 *
 * The set is deterministic (same -n, same prefixes, every run and every
 * daemon) and looks like an Internet table: mostly /24, then /22-/23,
 * /20-/21, /16-/19 and a few down to /8. Prefixes of one length are unique
 * because block j of length L is (j * odd) mod 2^L, a permutation of the
 * 2^L blocks, which also spreads them over the whole space the way real
 * tables are spread; blocks touching special-purpose ranges are skipped.
 * Prefixes of different lengths may overlap, as real more-specifics do.
 */
#ifndef XR_BENCH_BLAST_GEN_H
#define XR_BENCH_BLAST_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/buf.h"
#include "lib/hash.h"

#define BGP_HDR		19
#define BGP_MAXMSG	4096
#define BGP_UPDATE	2

/* Length mix, per 100000 prefixes; /24 takes the remainder. */
static const struct { uint8_t len; uint32_t w; } gen_mix[] = {
	{ 8, 2 }, { 9, 3 }, { 10, 8 }, { 11, 20 }, { 12, 50 }, { 13, 100 },
	{ 14, 200 }, { 15, 300 }, { 16, 2500 }, { 17, 1500 }, { 18, 2200 },
	{ 19, 3500 }, { 20, 5000 }, { 21, 5000 }, { 22, 11000 }, { 23, 9000 },
};

/* Special-purpose IPv4 space (RFC 6890) no generated prefix may touch;
 * 10/8 also holds the benchmark's own link addresses. */
static const struct { uint32_t a; uint8_t len; } gen_bogon[] = {
	{ 0x00000000, 8 }, { 0x0a000000, 8 }, { 0x64400000, 10 },
	{ 0x7f000000, 8 }, { 0xa9fe0000, 16 }, { 0xac100000, 12 },
	{ 0xc0000000, 24 }, { 0xc0000200, 24 }, { 0xc0a80000, 16 },
	{ 0xc6120000, 15 }, { 0xc6336400, 24 }, { 0xcb007100, 24 },
	{ 0xe0000000, 3 },
};

struct pset {
	size_t		  n;
	uint32_t	 *addr;		/* host order */
	uint8_t		 *len;
	uint64_t	 *slot;		/* addr << 8 | len, 0 free */
	uint32_t	 *slotidx;
	size_t		  mask;
};

static inline uint64_t
pset_key(uint32_t a, uint8_t len)
{
	return (uint64_t)a << 8 | len;
}

static int
gen_is_bogon(uint32_t a, uint8_t len)
{
	uint64_t lo = a, hi = a + ((uint64_t)1 << (32 - len)) - 1;
	size_t i;

	for (i = 0; i < sizeof(gen_bogon) / sizeof(gen_bogon[0]); i++) {
		uint64_t blo = gen_bogon[i].a;
		uint64_t bhi = blo +
		    ((uint64_t)1 << (32 - gen_bogon[i].len)) - 1;

		if (lo <= bhi && blo <= hi)
			return 1;
	}
	return 0;
}

static uint8_t
gen_pick_len(size_t i)
{
	uint32_t r = (uint32_t)(hash_u64(i * 0x9e3779b97f4a7c15ULL + 1) %
	    100000);
	size_t k;

	for (k = 0; k < sizeof(gen_mix) / sizeof(gen_mix[0]); k++) {
		if (r < gen_mix[k].w)
			return gen_mix[k].len;
		r -= gen_mix[k].w;
	}
	return 24;
}

/* Next unused block of length 'len'; 0 when the length is exhausted. */
static uint32_t
gen_next_block(uint64_t *cursor, uint8_t len)
{
	uint64_t nblk = (uint64_t)1 << len;

	while (cursor[len] < nblk) {
		uint64_t b = (cursor[len]++ * 2654435761ULL) & (nblk - 1);
		uint32_t a = (uint32_t)(b << (32 - len));

		if (!gen_is_bogon(a, len))
			return a;
	}
	return 0;
}

static int
pset_index_add(struct pset *p, size_t i)
{
	uint64_t key = pset_key(p->addr[i], p->len[i]);
	size_t h = hash_u64(key) & p->mask;

	while (p->slot[h] != 0) {
		if (p->slot[h] == key)
			return -1;
		h = (h + 1) & p->mask;
	}
	p->slot[h] = key;
	p->slotidx[h] = (uint32_t)i;
	return 0;
}

/* Index of prefix (a, len) in the set, or -1 if it is not ours. */
static inline long
pset_find(const struct pset *p, uint32_t a, uint8_t len)
{
	uint64_t key = pset_key(a, len);
	size_t h = hash_u64(key) & p->mask;

	while (p->slot[h] != 0) {
		if (p->slot[h] == key)
			return p->slotidx[h];
		h = (h + 1) & p->mask;
	}
	return -1;
}

/* Generate n unique prefixes; -1 on allocation failure or a duplicate
 * (which would be a generator bug). */
static int
pset_generate(struct pset *p, size_t n)
{
	uint64_t cursor[33] = { 0 };
	size_t i, cap = 1024;

	while (cap < 2 * n)
		cap <<= 1;
	p->n = n;
	p->addr = calloc(n ? n : 1, sizeof(*p->addr));
	p->len = calloc(n ? n : 1, 1);
	p->slot = calloc(cap, sizeof(*p->slot));
	p->slotidx = calloc(cap, sizeof(*p->slotidx));
	p->mask = cap - 1;
	if (!p->addr || !p->len || !p->slot || !p->slotidx)
		return -1;
	for (i = 0; i < n; i++) {
		uint8_t len = gen_pick_len(i);
		uint32_t a = gen_next_block(cursor, len);

		if (a == 0) {
			len = 24;
			if ((a = gen_next_block(cursor, len)) == 0)
				return -1;
		}
		p->addr[i] = a;
		p->len[i] = len;
		if (pset_index_add(p, i) == -1)
			return -1;
	}
	return 0;
}

static void
pset_free(struct pset *p)
{
	free(p->addr);
	free(p->len);
	free(p->slot);
	free(p->slotidx);
	memset(p, 0, sizeof(*p));
}

/* Attribute set of prefix i: a pseudo-random pick so each set's prefixes
 * are spread over the space. */
static inline uint32_t
gen_attrset_of(size_t i, uint32_t nsets)
{
	return (uint32_t)(hash_u64(i + 0x5bd1e995) % nsets);
}

static uint32_t
gen_path_asn(uint32_t set, unsigned j)
{
	uint32_t as = 1000 +
	    (uint32_t)(hash_u64((uint64_t)set << 8 | j) % 58000);

	return as == 23456 ? as + 1 : as;	/* AS_TRANS is no hop */
}

/*
 * Path attributes of set 'set' into 'out' (at most 128 bytes): ORIGIN,
 * AS_PATH (the injector's AS then 0-4 more, 4-octet), NEXT_HOP, MED (the
 * set number, so sets are distinct) and 1-3 COMMUNITIES.
 */
static size_t
gen_attrs(uint8_t *out, uint32_t set, uint32_t local_as, uint32_t nexthop)
{
	struct wbuf w;
	unsigned j, hops = 1 + (unsigned)(hash_u64(set) % 5);
	unsigned ncomm = 1 + set % 3;

	wbuf_init_fixed(&w, out, 128);
	wbuf_put_u8(&w, 0x40); wbuf_put_u8(&w, 1); wbuf_put_u8(&w, 1);
	wbuf_put_u8(&w, set % 3 == 2 ? 2 : 0);
	wbuf_put_u8(&w, 0x40); wbuf_put_u8(&w, 2);
	wbuf_put_u8(&w, (uint8_t)(2 + 4 * hops));
	wbuf_put_u8(&w, 2);			/* AS_SEQUENCE */
	wbuf_put_u8(&w, (uint8_t)hops);
	wbuf_put_u32(&w, local_as);
	for (j = 1; j < hops; j++)
		wbuf_put_u32(&w, gen_path_asn(set, j));
	wbuf_put_u8(&w, 0x40); wbuf_put_u8(&w, 3); wbuf_put_u8(&w, 4);
	wbuf_put_u32(&w, nexthop);
	wbuf_put_u8(&w, 0x80); wbuf_put_u8(&w, 4); wbuf_put_u8(&w, 4);
	wbuf_put_u32(&w, set);
	wbuf_put_u8(&w, 0xc0); wbuf_put_u8(&w, 8);
	wbuf_put_u8(&w, (uint8_t)(4 * ncomm));
	for (j = 0; j < ncomm; j++)
		wbuf_put_u32(&w, (local_as & 0xffff) << 16 |
		    ((set + j * 7919) & 0xffff));
	return w.err ? 0 : w.len;
}

static inline size_t
nlri_size(uint8_t len)
{
	return 1 + (len + 7u) / 8;
}

static inline void
put_nlri(struct wbuf *w, uint32_t a, uint8_t len)
{
	size_t k, nb = (len + 7u) / 8;

	wbuf_put_u8(w, len);
	for (k = 0; k < nb; k++)
		wbuf_put_u8(w, (uint8_t)(a >> (24 - 8 * k)));
}

static long
msg_begin(struct wbuf *w)
{
	static const uint8_t marker[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	long off = (long)w->len;

	wbuf_put_bytes(w, marker, 16);
	wbuf_put_u16(w, 0);
	wbuf_put_u8(w, BGP_UPDATE);
	return off;
}

static void
msg_end(struct wbuf *w, long off)
{
	wbuf_set_u16(w, (size_t)off + 16, (uint16_t)(w->len - (size_t)off));
}

static const struct pset *sort_set;

static int
cmp_prefix(const void *a, const void *b)
{
	uint64_t ka = pset_key(sort_set->addr[*(const uint32_t *)a],
	    sort_set->len[*(const uint32_t *)a]);
	uint64_t kb = pset_key(sort_set->addr[*(const uint32_t *)b],
	    sort_set->len[*(const uint32_t *)b]);

	return ka < kb ? -1 : ka > kb;
}

/* Put idx[] in prefix order, the order a router dumps its table in. */
static void
gen_sort(const struct pset *p, uint32_t *idx, size_t cnt)
{
	sort_set = p;
	qsort(idx, cnt, sizeof(*idx), cmp_prefix);
}

/*
 * Announcements of prefixes idx[0..cnt) grouped by attribute set (a stable
 * grouping: sort idx with gen_sort() first for prefix order), packing
 * as many prefixes as fit in 4096 bytes under one attribute block.
 * Returns the number of UPDATEs, -1 on failure.
 */
static long
gen_encode_announce(struct wbuf *w, const struct pset *p, const uint32_t *idx,
    size_t cnt, uint32_t nsets, uint32_t local_as, uint32_t nexthop)
{
	size_t *start = calloc((size_t)nsets + 1, sizeof(size_t));
	uint32_t *order = malloc((cnt ? cnt : 1) * sizeof(uint32_t));
	uint8_t attrs[128];
	long nmsg = 0;
	size_t i, s;

	if (start == NULL || order == NULL) {
		free(start);
		free(order);
		return -1;
	}
	for (i = 0; i < cnt; i++)	/* counting sort by attribute set */
		start[gen_attrset_of(idx[i], nsets) + 1]++;
	for (s = 0; s < nsets; s++)
		start[s + 1] += start[s];
	for (i = 0; i < cnt; i++)
		order[start[gen_attrset_of(idx[i], nsets)]++] = idx[i];
	for (i = 0, s = 0; s < nsets; s++) {
		size_t end = start[s], alen;

		if (i == end)
			continue;
		alen = gen_attrs(attrs, (uint32_t)s, local_as, nexthop);
		while (i < end) {
			long off = msg_begin(w);
			size_t room = BGP_MAXMSG - BGP_HDR - 4 - alen;

			wbuf_put_u16(w, 0);
			wbuf_put_u16(w, (uint16_t)alen);
			wbuf_put_bytes(w, attrs, alen);
			while (i < end && nlri_size(p->len[order[i]]) <= room) {
				room -= nlri_size(p->len[order[i]]);
				put_nlri(w, p->addr[order[i]],
				    p->len[order[i]]);
				i++;
			}
			msg_end(w, off);
			nmsg++;
		}
	}
	free(start);
	free(order);
	return w->err ? -1 : nmsg;
}

/* Withdrawals of idx[0..cnt), packed in the Withdrawn Routes field. */
static long
gen_encode_withdraw(struct wbuf *w, const struct pset *p, const uint32_t *idx,
    size_t cnt)
{
	long nmsg = 0;
	size_t i = 0;

	while (i < cnt) {
		long off = msg_begin(w), wl;
		size_t room = BGP_MAXMSG - BGP_HDR - 4;

		wl = (long)w->len;
		wbuf_put_u16(w, 0);
		while (i < cnt && nlri_size(p->len[idx[i]]) <= room) {
			room -= nlri_size(p->len[idx[i]]);
			put_nlri(w, p->addr[idx[i]], p->len[idx[i]]);
			i++;
		}
		wbuf_set_u16(w, (size_t)wl,
		    (uint16_t)(w->len - (size_t)wl - 2));
		wbuf_put_u16(w, 0);
		msg_end(w, off);
		nmsg++;
	}
	return w->err ? -1 : nmsg;
}

#endif
