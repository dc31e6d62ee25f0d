/*
 * Helpers for the RIB unit tests: build attribute sets and peers, and a
 * receiving "peer" that decodes what rib_peer_pull() produced with the
 * real wire decoder and keeps the table it implies, so tests assert what a
 * BGP neighbour would end up with.
 */
#ifndef XR_TESTS_RIB_UTIL_H
#define XR_TESTS_RIB_UTIL_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rib/rib.h"
#include "wire/bgp.h"

#define V4	BGP_FAM_BIT(BGP_FAM_V4U)
#define V6	BGP_FAM_BIT(BGP_FAM_V6U)

/* --- attribute sets ------------------------------------------------------ */

struct tattrs {
	struct bgp_pattrs a;
	uint8_t		 path[256];
	uint8_t		 comm[256];
};

/* ORIGIN IGP, AS_PATH = one SEQUENCE of 'n' ASes, IPv4 next hop 'nh'. */
static inline void
ta_init(struct tattrs *t, const uint32_t *as, size_t n, const char *nh)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->a.present = 1ull << BGP_ATTR_ORIGIN | 1ull << BGP_ATTR_AS_PATH;
	if (n > 0) {
		t->path[0] = BGP_SEG_SEQUENCE;
		t->path[1] = (uint8_t)n;
		for (i = 0; i < n; i++) {
			t->path[2 + 4 * i] = (uint8_t)(as[i] >> 24);
			t->path[3 + 4 * i] = (uint8_t)(as[i] >> 16);
			t->path[4 + 4 * i] = (uint8_t)(as[i] >> 8);
			t->path[5 + 4 * i] = (uint8_t)as[i];
		}
		t->a.aspath = t->path;
		t->a.aspath_len = (uint16_t)(2 + 4 * n);
	}
	if (nh != NULL && strchr(nh, ':') == NULL) {
		t->a.present |= 1ull << BGP_ATTR_NEXT_HOP;
		inet_pton(AF_INET, nh, &t->a.nexthop);
	} else if (nh != NULL) {
		t->a.mp_nexthop.af = AF_INET6;
		inet_pton(AF_INET6, nh, t->a.mp_nexthop.b);
	}
}

static inline void
ta_med(struct tattrs *t, uint32_t med)
{
	t->a.present |= 1ull << BGP_ATTR_MED;
	t->a.med = med;
}

static inline void
ta_lp(struct tattrs *t, uint32_t lp)
{
	t->a.present |= 1ull << BGP_ATTR_LOCAL_PREF;
	t->a.local_pref = lp;
}

static inline void
ta_comm(struct tattrs *t, uint32_t c)
{
	size_t o = t->a.comm_len;

	t->comm[o] = (uint8_t)(c >> 24);
	t->comm[o + 1] = (uint8_t)(c >> 16);
	t->comm[o + 2] = (uint8_t)(c >> 8);
	t->comm[o + 3] = (uint8_t)c;
	t->a.comm = t->comm;
	t->a.comm_len = (uint16_t)(o + 4);
	t->a.present |= 1ull << BGP_ATTR_COMMUNITIES;
}

/* Append an AS_SET segment of n ASes to the path. */
static inline void
ta_set(struct tattrs *t, const uint32_t *as, size_t n)
{
	size_t o = t->a.aspath_len, i;

	t->path[o] = BGP_SEG_SET;
	t->path[o + 1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		t->path[o + 2 + 4 * i] = (uint8_t)(as[i] >> 24);
		t->path[o + 3 + 4 * i] = (uint8_t)(as[i] >> 16);
		t->path[o + 4 + 4 * i] = (uint8_t)(as[i] >> 8);
		t->path[o + 5 + 4 * i] = (uint8_t)as[i];
	}
	t->a.aspath = t->path;
	t->a.aspath_len = (uint16_t)(o + 2 + 4 * n);
}

static inline struct prefix
P(const char *s)
{
	struct prefix p;

	prefix_parse(s, &p, false);
	return p;
}

static inline struct addr
A(const char *s)
{
	struct addr a;

	addr_parse(s, &a);
	return a;
}

/* --- peers --------------------------------------------------------------- */

struct tpeer {
	struct rib_peer	*p;
	int		 wakeups;
	int		 maxpfx_calls;
	enum bgp_fam	 maxpfx_fam;
	uint32_t	 maxpfx_limit;
};

static inline void
tp_wakeup(void *owner)
{
	((struct tpeer *)owner)->wakeups++;
}

static inline void
tp_maxpfx(void *owner, enum bgp_fam f, uint32_t limit)
{
	struct tpeer *t = owner;

	t->maxpfx_calls++;
	t->maxpfx_fam = f;
	t->maxpfx_limit = limit;
}

static const struct rib_peer_ops tp_ops = { tp_wakeup, tp_maxpfx };

static inline void
tp_conf(struct rib_peer_conf *c, uint32_t local_as, uint32_t remote_as,
    const char *addr)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", addr);
	c->local_as = local_as;
	c->remote_as = remote_as;
	c->remote_addr = A(addr);
}

/* Session with both families, AS4; local address v4 and, if given, v6. */
static inline void
tp_sess(struct rib_peer_session *s, uint32_t id, const char *local,
    const char *local6)
{
	memset(s, 0, sizeof(*s));
	s->as4 = true;
	s->route_refresh = true;
	s->fams = V4 | V6;
	s->remote_id = id;
	s->local_addr = A(local);
	if (local6 != NULL)
		s->local_addr6 = A(local6);
}

static inline void
tp_new(struct tpeer *t, struct rib_ctx *c, uint32_t local_as,
    uint32_t remote_as, const char *addr, uint32_t id, const char *local,
    const char *local6)
{
	struct rib_peer_conf conf;
	struct rib_peer_session s;

	memset(t, 0, sizeof(*t));
	tp_conf(&conf, local_as, remote_as, addr);
	t->p = rib_peer_add(c, &conf, &tp_ops, t);
	tp_sess(&s, id, local, local6);
	rib_peer_up(t->p, &s);
}

/* --- a receiving neighbour ----------------------------------------------- */

struct rx_route {
	struct prefix	 p;
	uint8_t		 path[128];
	uint16_t	 path_len;
	uint8_t		 origin;
	struct addr	 nh;
	bool		 has_med, has_lp;
	uint32_t	 med, lp;
	uint8_t		 comm[64];
	uint16_t	 comm_len;
};

#define RX_MAX	8192

struct rx {
	struct rx_route	 r[RX_MAX];
	size_t		 n;
	size_t		 msgs, updates, bytes, pulls;
	size_t		 eor[BGP_FAM_MAX];
	size_t		 nann, nwd;
	size_t		 wd_unknown;	/* withdrawals of routes we lacked */
	size_t		 ann_dup;	/* announcements identical to held */
	size_t		 max_pull;	/* largest single pull */
	size_t		 bad;		/* messages that failed to decode */
	bool		 ibgp;		/* decode as an iBGP neighbour */
};

static inline struct rx_route *
rx_find(struct rx *rx, const struct prefix *p)
{
	size_t i;

	for (i = 0; i < rx->n; i++)
		if (prefix_cmp(&rx->r[i].p, p) == 0)
			return &rx->r[i];
	return NULL;
}

static inline struct rx_route *
rx_get(struct rx *rx, const char *s)
{
	struct prefix p = P(s);

	return rx_find(rx, &p);
}

static inline void
rx_del(struct rx *rx, const struct prefix *p)
{
	struct rx_route *r = rx_find(rx, p);

	rx->nwd++;
	if (r == NULL) {
		rx->wd_unknown++;
		return;
	}
	*r = rx->r[--rx->n];
}

static inline void
rx_add(struct rx *rx, const struct prefix *p, const struct bgp_pattrs *a,
    enum bgp_fam f)
{
	struct rx_route n, *r;

	memset(&n, 0, sizeof(n));
	n.p = *p;
	if (a->aspath_len > 0 && a->aspath_len <= sizeof(n.path)) {
		memcpy(n.path, a->aspath, a->aspath_len);
		n.path_len = a->aspath_len;
	}
	n.origin = a->origin;
	if (f == BGP_FAM_V4U) {
		n.nh.af = AF_INET;
		memcpy(n.nh.b, &a->nexthop, 4);
	} else
		n.nh = a->mp_nexthop;
	n.has_med = BGP_ATTR_HAS(a, BGP_ATTR_MED);
	n.med = a->med;
	n.has_lp = BGP_ATTR_HAS(a, BGP_ATTR_LOCAL_PREF);
	n.lp = a->local_pref;
	if (a->comm_len > 0 && a->comm_len <= sizeof(n.comm)) {
		memcpy(n.comm, a->comm, a->comm_len);
		n.comm_len = a->comm_len;
	}
	rx->nann++;
	if ((r = rx_find(rx, p)) != NULL) {
		if (memcmp(r, &n, sizeof(n)) == 0)
			rx->ann_dup++;
		*r = n;
	} else if (rx->n < RX_MAX)
		rx->r[rx->n++] = n;
}

static inline void
rx_msg(struct rx *rx, const uint8_t *m, size_t len)
{
	static uint8_t scratch[4 * BGP_MAX_EXT_MSG];
	struct bgp_decode_ctx dc = { .as4 = true, .ebgp = !rx->ibgp,
	    .fams = V4 | V6, .scratch = scratch,
	    .scratch_len = sizeof(scratch) };
	struct bgp_update u;
	struct bgp_err e;
	struct prefix p;
	struct rbuf r;

	rx->msgs++;
	if (len < BGP_HDR_LEN || m[18] != BGP_UPDATE) {
		rx->bad++;
		return;
	}
	rx->updates++;
	if (bgp_update_decode(m + BGP_HDR_LEN, len - BGP_HDR_LEN, &dc, &u,
	    &e) != 0 || u.action != BGP_7606_NONE) {
		rx->bad++;
		return;
	}
	if (u.eor) {
		rx->eor[u.eor_fam]++;
		return;
	}
	r = u.withdrawn;
	while (bgp_nlri_next(&r, BGP_FAM_V4U, &p) == 1)
		rx_del(rx, &p);
	r = u.mp_unreach;
	while (rbuf_left(&r) && bgp_nlri_next(&r, u.mp_unreach_fam, &p) == 1)
		rx_del(rx, &p);
	r = u.nlri;
	while (bgp_nlri_next(&r, BGP_FAM_V4U, &p) == 1)
		rx_add(rx, &p, &u.attrs, BGP_FAM_V4U);
	r = u.mp_reach;
	while (rbuf_left(&r) && bgp_nlri_next(&r, u.mp_reach_fam, &p) == 1)
		rx_add(rx, &p, &u.attrs, u.mp_reach_fam);
}

/* Pull everything pending for p with the given budget and apply it. */
static inline size_t
rx_pull(struct rx *rx, struct rib_peer *p, size_t budget)
{
	struct wbuf w;
	size_t n, off, total = 0, len;

	wbuf_init(&w, 65536, 1 << 20);
	while ((n = rib_peer_pull(p, &w, budget)) > 0) {
		rx->pulls++;
		if (n > rx->max_pull)
			rx->max_pull = n;
		for (off = 0; off + BGP_HDR_LEN <= w.len; off += len) {
			len = (size_t)w.p[off + 16] << 8 | w.p[off + 17];
			if (len < BGP_HDR_LEN || off + len > w.len) {
				rx->bad++;
				break;
			}
			rx_msg(rx, w.p + off, len);
		}
		total += n;
		wbuf_reset(&w);
	}
	wbuf_free(&w);
	rx->bytes += total;
	return total;
}

/* AS path of a received route as "a b {c,d}". */
static inline const char *
rx_path(const struct rx_route *r, char *buf, size_t len)
{
	return bgp_aspath_str(r->path, r->path_len, buf, len);
}

#endif
