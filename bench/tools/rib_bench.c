/*
 * rib_bench: the RIB alone, no network. One eBGP peer announces N IPv4
 * prefixes (a realistic length mix) in UPDATEs encoded by the real wire
 * encoder, packed per attribute set the way a BGP speaker sends them;
 * they go through rib_peer_update() and are pulled, as ready-to-send
 * UPDATE bytes, for K eBGP peers. Prints times and peak RSS (VmHWM).
 *
 *   rib_bench [-n prefixes] [-a attribute-sets] [-o out-peers]
 *             [-I in-peers] (each announces the table with its own AS)
 *             [-s] (instead the in peers, all AS 65001, share the table)
 *             [-i] (pull while ingesting) [-l] (out peers join one by one
 *             after the load: the first gets the group's scan, the others
 *             dumps of its Adj-RIB-Out)
 *             [-w] (then the in peer withdraws everything)
 *             [-d] (then the in peer goes down: flush + withdrawals)
 *             [-p] (the ExpressRoute edge policy hooks, src/policy/)
 *             [-W] (then time Loc-RIB walks: all in one, the first page
 *             of 10,000 prefixes, every page resumed after the last)
 * Times are given as wall and as process CPU time: the machine is shared.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/hash.h"
#include "lib/mtime.h"
#include "policy/er_policy.h"
#include "rib/rib.h"
#include "wire/bgp.h"

struct msgs {
	uint8_t		*p;
	size_t		 len, cap, n;
};

static long
status_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Anonymous memory backed by transparent huge pages, in kB. */
static long
huge_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "AnonHugePages:", 14) == 0)
			v = strtol(line + 14, NULL, 10);
	fclose(f);
	return v;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Roughly the IPv4 table: 60% /24, then /22, /23, /21, /20, /19 ... */
static uint8_t
pick_len(void)
{
	static const struct { uint8_t len; unsigned pct; } mix[] = {
		{ 24, 60 }, { 23, 9 }, { 22, 11 }, { 21, 5 }, { 20, 5 },
		{ 19, 3 }, { 18, 2 }, { 17, 1 }, { 16, 3 }, { 15, 1 },
	};
	unsigned r = (unsigned)(rnd() % 100), acc = 0, i;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		acc += mix[i].pct;
		if (r < acc)
			return mix[i].len;
	}
	return 24;
}

/* N distinct prefixes in 1.0.0.0-223.255.255.255. */
static struct prefix *
gen_prefixes(size_t n)
{
	struct prefix *v = calloc(n, sizeof(*v));
	size_t cap = 1, i = 0, j;
	uint64_t *set, key, h;
	uint8_t b[4];
	uint32_t a;

	while (cap < n * 2)
		cap <<= 1;
	set = calloc(cap, sizeof(*set));
	while (i < n) {
		a = (uint32_t)(rnd() % (223u << 24)) + (1u << 24);
		b[0] = (uint8_t)(a >> 24);
		b[1] = (uint8_t)(a >> 16);
		b[2] = (uint8_t)(a >> 8);
		b[3] = (uint8_t)a;
		prefix_make(&v[i], AF_INET, b, pick_len());
		key = ((uint64_t)v[i].b[0] << 32 | (uint64_t)v[i].b[1] << 24 |
		    (uint64_t)v[i].b[2] << 16 | (uint64_t)v[i].b[3] << 8 |
		    v[i].len) + 1;
		h = key * 0x9e3779b97f4a7c15ULL;
		for (j = h >> 40 & (cap - 1); set[j] && set[j] != key;
		    j = (j + 1) & (cap - 1))
			;
		if (set[j] == key)
			continue;
		set[j] = key;
		i++;
	}
	free(set);
	return v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Attribute set k: path 65001 + 1..5 more ASes, some MED/communities. */
static void
attrs_for(unsigned k, struct bgp_pattrs *a, uint8_t *path, uint8_t *comm)
{
	unsigned n = 2 + k % 5, i;

	memset(a, 0, sizeof(*a));
	a->present = 1ull << BGP_ATTR_ORIGIN | 1ull << BGP_ATTR_AS_PATH |
	    1ull << BGP_ATTR_NEXT_HOP;
	a->origin = (uint8_t)(k % 3 == 2 ? BGP_ORIGIN_INCOMPLETE : 0);
	path[0] = BGP_SEG_SEQUENCE;
	path[1] = (uint8_t)n;
	put32(path + 2, 65001);
	for (i = 1; i < n; i++)
		put32(path + 2 + 4 * i, 1000 + (k * 7 + i * 13) % 60000);
	if (n > 2)
		put32(path + 2 + 4 * (n - 1), 3000000 + k);	/* origin AS */
	a->aspath = path;
	a->aspath_len = (uint16_t)(2 + 4 * n);
	put32((uint8_t *)&a->nexthop, 0);
	memcpy(&a->nexthop, (uint8_t[]){ 10, 0, 0, 2 }, 4);
	if (k % 2) {
		a->present |= 1ull << BGP_ATTR_MED;
		a->med = k % 100;
	}
	if (k % 3 == 0) {
		put32(comm, 65001u << 16 | (k % 1000));
		put32(comm + 4, 65001u << 16 | 666);
		a->comm = comm;
		a->comm_len = 8;
		a->present |= 1ull << BGP_ATTR_COMMUNITIES;
	}
}

/* Pack the prefixes by attribute set into UPDATE messages, back to back. */
static void
gen_updates(struct msgs *m, const struct prefix *pfx, size_t n,
    unsigned nsets)
{
	struct bgp_encode_ctx e = { .as4 = true };
	static const struct addr none;
	struct bgp_pattrs a;
	struct prefix *grp = malloc(n * sizeof(*grp));
	size_t *cnt = calloc(nsets + 1, sizeof(size_t)), i, k, off;
	unsigned *set = malloc(n * sizeof(unsigned)), s;
	uint8_t path[64], comm[8], ab[512];
	struct wbuf aw, w;
	int r;

	for (i = 0; i < n; i++) {
		set[i] = (unsigned)(hash_u64(i) % nsets);
		cnt[set[i] + 1]++;
	}
	for (s = 1; s <= nsets; s++)
		cnt[s] += cnt[s - 1];
	for (i = 0; i < n; i++)
		grp[cnt[set[i]]++] = pfx[i];
	wbuf_init(&w, 1 << 20, (size_t)1 << 33);
	for (s = 0, off = 0; s < nsets; s++) {
		k = cnt[s] - off;
		attrs_for(s, &a, path, comm);
		wbuf_init_fixed(&aw, ab, sizeof(ab));
		bgp_attrs_encode(&aw, &a, BGP_FAM_V4U, &e);
		for (i = 0; i < k; i += (size_t)r) {
			r = bgp_update_pack(&w, &e, BGP_FAM_V4U, ab, aw.len,
			    &none, &none, grp + off + i, k - i);
			if (r <= 0) {
				fprintf(stderr, "pack failed\n");
				exit(1);
			}
			m->n++;
		}
		off = cnt[s];
	}
	m->p = w.p;
	m->len = w.len;
	free(grp);
	free(cnt);
	free(set);
}

/* Withdrawals of every prefix, packed, in the announcement order. */
static void
gen_withdraws(struct msgs *m, const struct msgs *ann)
{
	struct bgp_encode_ctx e = { .as4 = true };
	struct prefix *v = NULL;
	struct bgp_update u;
	struct bgp_err err;
	struct rbuf r;
	size_t cap = 0, n = 0, off, len, i;
	struct bgp_decode_ctx dc = { .as4 = true, .ebgp = true,
	    .fams = BGP_FAM_BIT(BGP_FAM_V4U) };
	struct wbuf w;
	int k;

	dc.scratch = malloc(4 * BGP_MAX_EXT_MSG);
	dc.scratch_len = 4 * BGP_MAX_EXT_MSG;
	for (off = 0; off < ann->len; off += len) {
		len = (size_t)ann->p[off + 16] << 8 | ann->p[off + 17];
		if (bgp_update_decode(ann->p + off + BGP_HDR_LEN,
		    len - BGP_HDR_LEN, &dc, &u, &err) != 0)
			exit(1);
		r = u.nlri;
		for (;;) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1 << 16;
				v = realloc(v, cap * sizeof(*v));
			}
			if (bgp_nlri_next(&r, BGP_FAM_V4U, &v[n]) != 1)
				break;
			n++;
		}
	}
	wbuf_init(&w, 1 << 20, (size_t)1 << 33);
	for (i = 0; i < n; i += (size_t)k) {
		k = bgp_withdraw_pack(&w, &e, BGP_FAM_V4U, v + i, n - i);
		if (k <= 0)
			exit(1);
		m->n++;
	}
	m->p = w.p;
	m->len = w.len;
	free(v);
	free(dc.scratch);
}

static void
nop_wakeup(void *o)
{
}

static const struct rib_peer_ops ops = { nop_wakeup, NULL };

static struct er_policy *pol_in, *pol_out;

static struct rib_peer *
peer(struct rib_ctx *c, uint32_t ras, const char *ra, const char *la,
    uint32_t id, struct er_policy *pol)
{
	struct rib_peer_conf conf;
	struct rib_peer_session s;
	struct rib_peer *p;

	memset(&conf, 0, sizeof(conf));
	snprintf(conf.name, sizeof(conf.name), "%s", ra);
	conf.local_as = 65000;
	conf.remote_as = ras;
	addr_parse(ra, &conf.remote_addr);
	if (pol != NULL) {
		er_policy_bind(pol, &conf.policy);
		conf.policy.export_by_attrs = true;
	}
	p = rib_peer_add(c, &conf, &ops, NULL);
	memset(&s, 0, sizeof(s));
	s.as4 = true;
	s.fams = BGP_FAM_BIT(BGP_FAM_V4U);
	s.remote_id = id;
	addr_parse(la, &s.local_addr);
	rib_peer_up(p, &s);
	return p;
}

struct sink {
	struct wbuf	 w;
	size_t		 bytes, msgs;
};

/* Pull everything a peer has, as the session would: 64 KiB at a time. */
static void
drain(struct rib_peer *p, struct sink *s)
{
	size_t n, off;

	while ((n = rib_peer_pull(p, &s->w, 65536)) > 0) {
		for (off = 0; off + BGP_HDR_LEN <= s->w.len;
		    off += (size_t)s->w.p[off + 16] << 8 | s->w.p[off + 17])
			s->msgs++;
		s->bytes += n;
		wbuf_reset(&s->w);
	}
}

/* CPU time of the process: the machine is shared, wall time is noisy. */
static uint64_t
cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Pull from every peer until none has anything, as the sessions would
 * (the in peer too: it shares the update group and skips its own routes).
 */
static void
drain_all(struct rib_peer **in, unsigned nin, struct sink *isk,
    struct rib_peer **out, struct sink *sk, unsigned nout)
{
	bool more = true;
	unsigned o;

	while (more) {
		more = false;
		for (o = 0; o < nin; o++)
			drain(in[o], isk);
		for (o = 0; o < nout; o++)
			if (out[o] != NULL)
				drain(out[o], &sk[o]);
		/* after the round: a later peer may have made work for others */
		for (o = 0; o < nin; o++)
			more |= rib_peer_pending(in[o]);
		for (o = 0; o < nout; o++)
			if (out[o] != NULL)
				more |= rib_peer_pending(out[o]);
	}
}

/* The first AS of every message's AS_PATH (ORIGIN comes first). */
static void
set_first_as(struct msgs *m, uint32_t as)
{
	size_t off, len;

	for (off = 0; off < m->len; off += len) {
		len = (size_t)m->p[off + 16] << 8 | m->p[off + 17];
		if (m->p[off + 28] != BGP_ATTR_AS_PATH) {
			fprintf(stderr, "unexpected attribute layout\n");
			exit(1);
		}
		put32(m->p + off + 32, as);
	}
}

static double
secs(uint64_t a, uint64_t b)
{
	return (double)(b - a) / 1e6;
}

struct walk_acc {
	size_t		 n;
	struct prefix	 last;
};

static int
walk_cb(const struct rib_route_view *v, void *arg)
{
	struct walk_acc *a = arg;

	a->n++;
	a->last = v->prefix;
	return 0;
}

/* What "show route" costs the event loop: one page, then all pages. */
static void
time_walks(struct rib_ctx *c)
{
	struct rib_query q = { .table = RIB_LOC, .max_dests = 10000 };
	struct walk_acc a = { 0 };
	uint64_t t0, worst = 0, t;
	size_t pages = 0, total = 0;

	q.max_dests = 0;
	t0 = mono_us();
	rib_walk(c, &q, walk_cb, &a);
	printf("walk: all %zu routes in one walk %.3f s\n", a.n,
	    secs(t0, mono_us()));
	q.max_dests = 10000;
	a.n = 0;
	t0 = mono_us();
	rib_walk(c, &q, walk_cb, &a);
	printf("walk: first page of %zu routes %.3f s\n", a.n,
	    secs(t0, mono_us()));
	t0 = mono_us();
	for (;;) {
		t = mono_us();
		a.n = 0;
		rib_walk(c, &q, walk_cb, &a);
		t = mono_us() - t;
		worst = t > worst ? t : worst;
		pages++;
		total += a.n;
		if (a.n == 0)
			break;
		q.has_after = true;
		q.after = a.last;
	}
	printf("walk: %zu routes in %zu pages, %.3f s; slowest page %.3f s\n",
	    total, pages, secs(t0, mono_us()), worst / 1e6);
}

int
main(int argc, char **argv)
{
	size_t n = 1000000, i, off;
	unsigned nsets = 8, nout = 1, o;
	bool inter = false, late = false, down = false;
	struct rib_peer **out;
	struct rib_peer_stats st, ist;
	struct rib_ctx_stats cs;
	struct sink *sk, isk;
	struct msgs m = { 0 };
	struct bgp_err err;
	struct rib *r;
	struct rib_ctx *c;
	struct rib_peer *in, **ins;
	unsigned nin = 1, j;
	bool split = false, wdraw = false, walks = false;
	struct prefix *pfx;
	uint64_t t0, t1, t2, t3, c0, c1, c2;
	long base_kb;
	char ra[32], la[32];
	int ch;

	while ((ch = getopt(argc, argv, "n:a:o:I:ildpswW")) != -1) {
		switch (ch) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'a': nsets = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'o': nout = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'I': nin = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': inter = true; break;
		case 'l': late = true; break;
		case 'd': down = true; break;
		case 's': split = true; break;
		case 'w': wdraw = true; break;
		case 'W': walks = true; break;
		case 'p':
			/* the ExpressRoute edge policy on both sides */
			pol_in = calloc(1, sizeof(*pol_in));
			pol_in->strip_communities = true;
			pol_in->deny_bogons = true;
			pol_in->deny_default = true;
			pol_out = calloc(1, sizeof(*pol_out));
			pol_out->remove_private_as = true;
			pol_out->local_as = 65000;
			pol_out->nadd_comm = 2;
			pol_out->add_comm[0] = 12076u << 16 | 51004;
			pol_out->add_comm[1] = 12076u << 16 | 5010;
			break;
		default:
			fprintf(stderr, "usage: rib_bench [-n N] [-a sets] "
			    "[-o peers] [-I in-peers] [-s] [-i] [-l] [-d] "
			    "[-p] [-w]\n");
			return 64;
		}
	}
	if (nsets == 0 || nout == 0 || n == 0 || nin == 0 || nin > 200)
		return 64;
	hash_init();
	t0 = mono_us();
	pfx = gen_prefixes(n);
	gen_updates(&m, pfx, n, nsets);
	free(pfx);
	base_kb = status_kb("VmRSS");
	printf("input: %zu prefixes, %u attribute sets, %zu UPDATEs, "
	    "%.1f MB, built in %.2f s; RSS before RIB %.1f MB\n", n, nsets,
	    m.n, m.len / 1e6, secs(t0, mono_us()), base_kb / 1024.0);
	fflush(stdout);

	r = rib_new(NULL);
	rib_set_router_id(r, 0x0a000001);
	c = rib_ctx_get(r, "bench");
	ins = calloc(nin, sizeof(*ins));
	for (j = 0; j < nin; j++) {
		snprintf(ra, sizeof(ra), "10.0.%u.2", j);
		snprintf(la, sizeof(la), "10.0.%u.1", j);
		ins[j] = peer(c, split ? 65001 : 65001 + j, ra, la,
		    0x0a000002 + j, pol_in);
	}
	in = ins[0];
	out = calloc(nout, sizeof(*out));
	sk = calloc(nout, sizeof(*sk));
	memset(&isk, 0, sizeof(isk));
	wbuf_init(&isk.w, 65536, 1 << 20);
	for (o = 0; o < nout; o++)
		wbuf_init(&sk[o].w, 65536, 1 << 20);
	for (o = 0; o < nout && !late; o++) {
		snprintf(ra, sizeof(ra), "10.1.%u.2", o);
		snprintf(la, sizeof(la), "10.1.%u.1", o);
		out[o] = peer(c, 65100 + o, ra, la, 0x0b000000 + o, pol_out);
		drain(out[o], &sk[o]);	/* End-of-RIB */
	}
	t0 = mono_us();
	c0 = cpu_us();
	for (j = 0; j < (split ? 1 : nin); j++) {
		if (nin > 1 && !split)
			set_first_as(&m, 65001 + j);
		for (i = 0, off = 0; off < m.len; i++) {
			size_t len = (size_t)m.p[off + 16] << 8 | m.p[off + 17];
			/* split: UPDATE i comes from in peer i mod nin */
			struct rib_peer *from = split ? ins[i % nin] : ins[j];

			if (rib_peer_update(from, m.p + off + BGP_HDR_LEN,
			    len - BGP_HDR_LEN, &err) != 0) {
				fprintf(stderr, "update %zu refused\n", i);
				return 1;
			}
			off += len;
			if (inter && !late && i % 64 == 63)
				drain_all(ins, nin, &isk, out, sk, nout);
		}
	}
	t1 = mono_us();
	c1 = cpu_us();
	/* late: peers come up one after the other, each fully synced first */
	for (o = 0; o < nout && late; o++) {
		snprintf(ra, sizeof(ra), "10.1.%u.2", o);
		snprintf(la, sizeof(la), "10.1.%u.1", o);
		out[o] = peer(c, 65100 + o, ra, la, 0x0b000000 + o, pol_out);
		drain_all(ins, nin, &isk, out, sk, o + 1);
	}
	drain_all(ins, nin, &isk, out, sk, nout);
	t2 = mono_us();
	c2 = cpu_us();
	rib_ctx_stats(c, &cs);
	rib_peer_stats(in, &ist);
	rib_peer_stats(out[0], &st);
	printf("ingest %.3f s, pull %.3f s, total %.3f s wall; CPU %.3f + "
	    "%.3f = %.3f s (%u in, %u out peer%s%s)\n", secs(t0, t1),
	    secs(t1, t2), secs(t0, t2), secs(c0, c1), secs(c1, c2),
	    secs(c0, c2), nin, nout,
	    nout > 1 ? "s" : "", late ? ", joined after the load" :
	    inter ? ", pulled while ingesting" : "");
	printf("out peer 0: %zu prefixes sent, %zu messages, %.1f MB\n",
	    (size_t)st.pfx_sent[BGP_FAM_V4U], sk[0].msgs, sk[0].bytes / 1e6);
	printf("rib: %zu prefixes, %zu paths, %zu attribute sets, "
	    "estimate %.1f MB\n", cs.prefixes[BGP_FAM_V4U], cs.paths,
	    cs.attr_sets, cs.mem_bytes / 1e6);
	printf("RSS %.1f MB (%.1f MB in huge pages), peak (VmHWM) %.1f MB, "
	    "of which input %.1f MB\n", status_kb("VmRSS") / 1024.0,
	    huge_kb() / 1024.0, status_kb("VmHWM") / 1024.0, base_kb / 1024.0);
	if (split)
		ist.pfx_accepted[BGP_FAM_V4U] = (uint32_t)cs.prefixes[BGP_FAM_V4U];
	if (ist.pfx_accepted[BGP_FAM_V4U] != n)
		printf("in peer: %u prefixes accepted, %u filtered by import\n",
		    ist.pfx_accepted[BGP_FAM_V4U],
		    ist.pfx_filtered[BGP_FAM_V4U]);
	if (st.pfx_sent[BGP_FAM_V4U] != ist.pfx_accepted[BGP_FAM_V4U]) {
		fprintf(stderr, "FAIL: %u prefixes sent, want %u\n",
		    st.pfx_sent[BGP_FAM_V4U], ist.pfx_accepted[BGP_FAM_V4U]);
		return 1;
	}
	if (walks)
		time_walks(c);
	if (wdraw) {
		struct msgs wm = { 0 };

		gen_withdraws(&wm, &m);
		t3 = mono_us();
		c0 = cpu_us();
		for (off = 0; off < wm.len; ) {
			size_t len = (size_t)wm.p[off + 16] << 8 |
			    wm.p[off + 17];

			if (rib_peer_update(in, wm.p + off + BGP_HDR_LEN,
			    len - BGP_HDR_LEN, &err) != 0)
				return 1;
			off += len;
		}
		c1 = cpu_us();
		drain_all(ins, nin, &isk, out, sk, nout);
		rib_ctx_stats(c, &cs);
		printf("withdraw all (%zu UPDATEs): %.3f s wall; CPU %.3f + "
		    "%.3f s; %zu prefixes left\n", wm.n, secs(t3, mono_us()),
		    secs(c0, c1), secs(c1, cpu_us()),
		    cs.prefixes[BGP_FAM_V4U]);
		free(wm.p);
	}
	if (down) {
		t3 = mono_us();
		rib_peer_down(in);
		for (o = 0; o < nout; o++)
			drain(out[o], &sk[o]);
		in = NULL;
		rib_ctx_stats(c, &cs);
		printf("peer down: flush + withdrawals to %u peer%s %.3f s, "
		    "%zu prefixes left\n", nout, nout > 1 ? "s" : "",
		    secs(t3, mono_us()), cs.prefixes[BGP_FAM_V4U]);
	}
	t3 = mono_us();
	rib_free(r);
	printf("rib_free %.3f s\n", secs(t3, mono_us()));
	for (o = 0; o < nout; o++)
		wbuf_free(&sk[o].w);
	wbuf_free(&isk.w);
	free(sk);
	free(out);
	free(m.p);
	free(ins);
	free(pol_in);
	free(pol_out);
	return 0;
}
