/*
 * The FIB's desired state: routes keyed by (table, prefix, metric, tos)
 * in a keyed hash (prefixes come from peers), interned next-hop sets,
 * the queue of changes the next batch sends, policy rules, and the
 * public entry points of fib.h. The kernel side lives in fib_io.c and
 * fib_sync.c.
 *
 * A change only marks an entry queued; what is sent is decided when the
 * batch is built (fib_io.c), from the entry's state at that moment, so
 * a route set and withdrawn within one loop turn costs no message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "fib/fib_int.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"

/* --- next-hop sets -------------------------------------------------------- */

static int
fib_nh_cmp(const void *a, const void *b)
{
	const struct fib_nexthop *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->gw.af != y->gw.af)
		return x->gw.af < y->gw.af ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return memcmp(x->gw.b, y->gw.b, sizeof(x->gw.b));
}

/* Sort, normalise weights and drop duplicates; returns the new count. */
static size_t
fib_nh_canon(struct fib_nexthop *nh, size_t n)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		struct addr gw = nh[i].gw;

		if (nh[i].weight == 0)
			nh[i].weight = 1;
		/* Bytes past the family's length must not split a set. */
		memset(&nh[i].gw, 0, sizeof(nh[i].gw));
		nh[i].gw.af = gw.af;
		if (gw.af != 0)
			memcpy(nh[i].gw.b, gw.b, addr_bytes(gw.af));
	}
	qsort(nh, n, sizeof(*nh), fib_nh_cmp);
	for (i = 0; i < n; i++)
		if (out == 0 || fib_nh_cmp(&nh[out - 1], &nh[i]) != 0)
			nh[out++] = nh[i];
	return out;
}

static void
fib_nh_grow(struct fib *f)
{
	size_t nb = f->nh_nbuckets ? f->nh_nbuckets * 2 : 64, i;
	struct fib_nhset **t = calloc(nb, sizeof(*t)), *s, *next;

	if (t == NULL)
		return;		/* a longer chain is still correct */
	for (i = 0; i < f->nh_nbuckets; i++)
		for (s = f->nh_tab[i]; s; s = next) {
			next = s->hnext;
			s->hnext = t[s->hash & (nb - 1)];
			t[s->hash & (nb - 1)] = s;
		}
	free(f->nh_tab);
	f->nh_tab = t;
	f->nh_nbuckets = nb;
}

struct fib_nhset *
fib_nhset_get(struct fib *f, const struct fib_nexthop *in, size_t n)
{
	struct fib_nexthop nh[FIB_NH_MAX];
	struct fib_nhset *s;
	uint64_t h;

	XR_ASSERT(n <= FIB_NH_MAX);
	memcpy(nh, in, n * sizeof(*nh));
	n = fib_nh_canon(nh, n);
	h = hash_bytes(nh, n * sizeof(*nh));
	if (f->nh_count >= f->nh_nbuckets)
		fib_nh_grow(f);
	for (s = f->nh_tab[h & (f->nh_nbuckets - 1)]; s; s = s->hnext)
		if (s->hash == h && s->n == n &&
		    memcmp(s->nh, nh, n * sizeof(*nh)) == 0) {
			s->refcnt++;
			return s;
		}
	if ((s = calloc(1, sizeof(*s) + n * sizeof(*nh))) == NULL)
		fatal_bug("fib: out of memory for a next-hop set");
	s->hash = h;
	s->refcnt = 1;
	s->n = (uint8_t)n;
	memcpy(s->nh, nh, n * sizeof(*nh));
	s->hnext = f->nh_tab[h & (f->nh_nbuckets - 1)];
	f->nh_tab[h & (f->nh_nbuckets - 1)] = s;
	f->nh_count++;
	return s;
}

void
fib_nhset_unref(struct fib *f, struct fib_nhset *s)
{
	struct fib_nhset **pp;

	if (s == NULL || --s->refcnt > 0)
		return;
	for (pp = &f->nh_tab[s->hash & (f->nh_nbuckets - 1)]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	f->nh_count--;
	free(s);
}

static bool
fib_nh_match1(const struct fib_nexthop *w, const struct fib_nexthop *h)
{
	if (w->ifindex != 0 && w->ifindex != h->ifindex)
		return false;
	return w->weight == h->weight && w->gw.af == h->gw.af &&
	    memcmp(w->gw.b, h->gw.b, sizeof(w->gw.b)) == 0;
}

bool
fib_nhset_match(const struct fib_nhset *want, const struct fib_nhset *have)
{
	bool used[FIB_NH_MAX] = { false };
	size_t i, j;

	if (want == have)
		return true;
	if (want == NULL || have == NULL || want->n != have->n)
		return false;
	for (i = 0; i < want->n; i++) {
		for (j = 0; j < have->n; j++)
			if (!used[j] && fib_nh_match1(&want->nh[i], &have->nh[j]))
				break;
		if (j == have->n)
			return false;
		used[j] = true;
	}
	return true;
}

/* --- the route table ------------------------------------------------------ */

struct fib_rt_key {
	uint32_t	 table, metric;
	uint8_t		 tos, af, len;
	uint8_t		 b[16];
};

static uint64_t
fib_rt_hash(uint32_t table, const struct prefix *p, uint32_t metric,
    uint8_t tos)
{
	struct fib_rt_key k;

	memset(&k, 0, sizeof(k));
	k.table = table;
	k.metric = metric;
	k.tos = tos;
	k.af = p->af;
	k.len = p->len;
	memcpy(k.b, p->b, addr_bytes(p->af));
	return hash_bytes(&k, sizeof(k));
}

static bool
fib_rt_is(const struct fib_route *r, uint32_t table, const struct prefix *p,
    uint32_t metric, uint8_t tos)
{
	return r->table == table && r->metric == metric && r->tos == tos &&
	    prefix_cmp(&r->pfx, p) == 0;
}

struct fib_route *
fib_rt_find(const struct fib *f, uint32_t table, const struct prefix *p,
    uint32_t metric, uint8_t tos)
{
	struct fib_route *r;
	uint64_t h;

	if (f->rt_nbuckets == 0)
		return NULL;
	h = fib_rt_hash(table, p, metric, tos);
	for (r = f->rt_tab[h & (f->rt_nbuckets - 1)]; r; r = r->hnext)
		if (fib_rt_is(r, table, p, metric, tos))
			return r;
	return NULL;
}

static void
fib_rt_grow(struct fib *f)
{
	size_t nb = f->rt_nbuckets ? f->rt_nbuckets * 2 : 1024, i;
	struct fib_route **t = calloc(nb, sizeof(*t)), *r, *next;
	uint64_t h;

	if (t == NULL)
		return;
	for (i = 0; i < f->rt_nbuckets; i++)
		for (r = f->rt_tab[i]; r; r = next) {
			next = r->hnext;
			h = fib_rt_hash(r->table, &r->pfx, r->metric, r->tos);
			r->hnext = t[h & (nb - 1)];
			t[h & (nb - 1)] = r;
		}
	free(f->rt_tab);
	f->rt_tab = t;
	f->rt_nbuckets = nb;
}

struct fib_route *
fib_rt_get(struct fib *f, uint32_t table, const struct prefix *p,
    uint32_t metric, uint8_t tos)
{
	struct fib_route *r;
	uint64_t h;

	if ((r = fib_rt_find(f, table, p, metric, tos)) != NULL)
		return r;
	if (f->rt_count >= f->rt_nbuckets)
		fib_rt_grow(f);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal_bug("fib: out of memory for a route");
	r->table = table;
	r->pfx = *p;
	r->metric = metric;
	r->tos = tos;
	h = fib_rt_hash(table, p, metric, tos);
	r->hnext = f->rt_tab[h & (f->rt_nbuckets - 1)];
	f->rt_tab[h & (f->rt_nbuckets - 1)] = r;
	f->rt_count++;
	return r;
}

void
fib_rt_queue(struct fib *f, struct fib_route *r)
{
	if (!r->queued) {
		r->queued = true;
		TAILQ_INSERT_TAIL(&f->queue, r, qlink);
		f->nqueued++;
	}
	fib_kick(f);
}

void
fib_rt_dequeue(struct fib *f, struct fib_route *r)
{
	if (!r->queued)
		return;
	TAILQ_REMOVE(&f->queue, r, qlink);
	r->queued = false;
	f->nqueued--;
}

static void
fib_rt_unlink(struct fib *f, struct fib_route *r)
{
	struct fib_route **pp;
	uint64_t h = fib_rt_hash(r->table, &r->pfx, r->metric, r->tos);

	for (pp = &f->rt_tab[h & (f->rt_nbuckets - 1)]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == r) {
			*pp = r->hnext;
			break;
		}
	f->rt_count--;
}

bool
fib_rt_release(struct fib *f, struct fib_route *r)
{
	if (r->desired || r->queued || r->inflight > 0 || r->stale_hold)
		return false;
	fib_rt_unlink(f, r);
	fib_nhset_unref(f, r->nh);
	free(r);
	return true;
}

/* Visit every entry; fn may release the entry it is given. */
void
fib_rt_walk(struct fib *f, void (*fn)(struct fib *, struct fib_route *,
    void *), void *arg)
{
	struct fib_route *r, *next;
	size_t i;

	for (i = 0; i < f->rt_nbuckets; i++)
		for (r = f->rt_tab[i]; r; r = next) {
			next = r->hnext;
			fn(f, r, arg);
		}
}

bool
fib_table_ours(const struct fib *f, uint32_t table)
{
	if (f->conf.table_min == 0 && f->conf.table_max == 0)
		return true;
	return table >= f->conf.table_min && table <= f->conf.table_max;
}

/* --- public: routes ------------------------------------------------------- */

static int
fib_einval(const char *fmt, const char *v, const char *allowed)
{
	log_err("fib: %s %s: %s", fmt, v, allowed);
	errno = EINVAL;
	return -1;
}

static int
fib_check_args(const struct prefix *p, const struct fib_nexthop *nh,
    size_t n, struct prefix *canon)
{
	char buf[PREFIX_STRLEN];
	size_t i;

	if (p->af != AF_INET && p->af != AF_INET6)
		return fib_einval("prefix family", "unknown",
		    "IPv4 or IPv6 only");
	if (p->len > addr_bytes(p->af) * 8)
		return fib_einval("prefix length", "too long",
		    "at most 32 (IPv4) or 128 (IPv6)");
	prefix_make(canon, p->af, p->b, p->len);
	prefix_ntop(canon, buf, sizeof(buf));
	if (n > FIB_NH_MAX)
		return fib_einval("too many next hops for", buf,
		    "at most 16 per route");
	for (i = 0; i < n; i++) {
		if (nh[i].gw.af == 0 && nh[i].ifindex == 0)
			return fib_einval("next hop without gateway or "
			    "interface for", buf, "give one or both");
		if (nh[i].gw.af != 0 && nh[i].gw.af != AF_INET &&
		    nh[i].gw.af != AF_INET6)
			return fib_einval("next hop family for", buf,
			    "IPv4 or IPv6");
		/* IPv4 over an IPv6 next hop works (RTA_VIA); not the
		 * other way round. */
		if (p->af == AF_INET6 && nh[i].gw.af == AF_INET)
			return fib_einval("IPv4 next hop for IPv6 prefix", buf,
			    "IPv6 prefixes need IPv6 next hops");
	}
	return 0;
}

int
fib_route_set(struct fib *f, uint32_t table, const struct prefix *p,
    const struct fib_nexthop *nh, size_t n)
{
	struct prefix c;
	struct fib_route *r;
	struct fib_nhset *s;

	if (n == 0)
		return fib_route_del(f, table, p);
	if (fib_check_args(p, nh, n, &c) == -1)
		return -1;
	s = fib_nhset_get(f, nh, n);
	r = fib_rt_get(f, table, &c, f->conf.metric, 0);
	if (r->desired && r->nh == s && r->err == 0) {
		fib_nhset_unref(f, s);
		return 0;
	}
	/* Graceful restart: the kernel already has it (found by the
	 * resync at start); adopt it without a message. */
	if (!r->desired && !r->queued && r->inflight == 0 &&
	    r->kstate == FIB_K_PRESENT && fib_nhset_match(s, r->nh)) {
		fib_nhset_unref(f, r->nh);
		r->nh = s;
		r->desired = true;
		r->stale_hold = false;
		f->rt_desired++;
		return 0;
	}
	fib_nhset_unref(f, r->nh);
	r->nh = s;
	if (!r->desired)
		f->rt_desired++;
	r->desired = true;
	r->stale_hold = false;
	fib_rt_queue(f, r);
	return 0;
}

int
fib_route_set_gws(struct fib *f, uint32_t table, const struct prefix *p,
    const struct addr *gws, size_t n)
{
	struct fib_nexthop nh[FIB_NH_MAX];
	size_t i;

	memset(nh, 0, sizeof(nh));
	if (n > FIB_NH_MAX)
		return fib_route_set(f, table, p, nh, n);	/* the error */
	for (i = 0; i < n; i++)
		nh[i].gw = gws[i];
	return fib_route_set(f, table, p, nh, n);
}

int
fib_route_del(struct fib *f, uint32_t table, const struct prefix *p)
{
	struct prefix c;
	struct fib_route *r;

	if (fib_check_args(p, NULL, 0, &c) == -1)
		return -1;
	r = fib_rt_find(f, table, &c, f->conf.metric, 0);
	if (r == NULL || !r->desired)
		return 0;
	r->desired = false;
	f->rt_desired--;
	if (r->kstate == FIB_K_ABSENT && r->inflight == 0) {
		/* Never reached the kernel: forget it quietly. */
		fib_rt_dequeue(f, r);
		fib_rt_release(f, r);
		fib_check_idle(f);
		return 0;
	}
	fib_rt_queue(f, r);
	return 0;
}

int
fib_route_find(const struct fib *f, uint32_t table, const struct prefix *p,
    struct fib_route_info *info)
{
	struct prefix c;
	struct fib_route *r;

	memset(info, 0, sizeof(*info));
	if (fib_check_args(p, NULL, 0, &c) == -1)
		return -1;
	if ((r = fib_rt_find(f, table, &c, f->conf.metric, 0)) == NULL)
		return -1;
	info->desired = r->desired;
	info->pending = r->queued || r->inflight > 0;
	info->installed = r->desired && !info->pending && r->err == 0 &&
	    r->kstate == FIB_K_PRESENT;
	info->err = r->err;
	if (r->nh != NULL) {
		info->nnh = r->nh->n;
		memcpy(info->nh, r->nh->nh, r->nh->n * sizeof(r->nh->nh[0]));
	}
	return 0;
}

/* --- public: rules -------------------------------------------------------- */

void
fib_rule_queue(struct fib *f, struct fib_rule *ru)
{
	if (!ru->queued) {
		ru->queued = true;
		f->rules_queued++;
	}
	fib_kick(f);
}

void
fib_rule_release(struct fib *f, struct fib_rule *ru)
{
	if (ru->desired || ru->queued || ru->inflight > 0)
		return;
	TAILQ_REMOVE(&f->rules, ru, link);
	free(ru);
}

static struct fib_rule *
fib_rule_find(struct fib *f, const struct nl_rule *k)
{
	struct fib_rule *ru;

	TAILQ_FOREACH(ru, &f->rules, link)
		if (ru->r.family == k->family && ru->r.table == k->table &&
		    ru->r.priority == k->priority &&
		    strcmp(ru->r.iif, k->iif) == 0)
			return ru;
	return NULL;
}

static int
fib_rule_key(struct fib *f, uint32_t table, const char *ifname,
    uint32_t prio, int af, struct nl_rule *k)
{
	memset(k, 0, sizeof(*k));
	if (ifname == NULL || ifname[0] == '\0' ||
	    strlen(ifname) >= sizeof(k->iif))
		return fib_einval("rule interface name", ifname ? ifname : "",
		    "1 to 15 characters");
	if (table == 0 || table == RT_TABLE_LOCAL)
		return fib_einval("rule table", table ? "local" : "0",
		    "a routing context's table id");
	k->family = (uint8_t)af;
	k->action = FR_ACT_TO_TBL;
	k->protocol = f->conf.protocol;
	k->table = table;
	k->priority = prio;
	k->has_priority = true;
	strcpy(k->iif, ifname);
	return 0;
}

int
fib_rule_set(struct fib *f, uint32_t table, const char *ifname, uint32_t prio)
{
	static const int afs[] = { AF_INET, AF_INET6 };
	struct nl_rule k;
	struct fib_rule *ru;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (fib_rule_key(f, table, ifname, prio, afs[i], &k) == -1)
			return -1;
		if ((ru = fib_rule_find(f, &k)) == NULL) {
			if ((ru = calloc(1, sizeof(*ru))) == NULL)
				fatal_bug("fib: out of memory for a rule");
			ru->r = k;
			TAILQ_INSERT_TAIL(&f->rules, ru, link);
		}
		if (ru->desired && ru->err == 0)
			continue;
		ru->desired = true;
		if (ru->kstate != FIB_K_PRESENT || ru->err != 0)
			fib_rule_queue(f, ru);
	}
	return 0;
}

int
fib_rule_del(struct fib *f, uint32_t table, const char *ifname, uint32_t prio)
{
	static const int afs[] = { AF_INET, AF_INET6 };
	struct nl_rule k;
	struct fib_rule *ru;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (fib_rule_key(f, table, ifname, prio, afs[i], &k) == -1)
			return -1;
		if ((ru = fib_rule_find(f, &k)) == NULL || !ru->desired)
			continue;
		ru->desired = false;
		fib_rule_queue(f, ru);
	}
	return 0;
}

/* --- public: lifecycle and status ----------------------------------------- */

static void
fib_hold_expired(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	fib_ready(arg);
}

static void
fib_rs_timer_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	fib_resync(arg);
}

struct fib *
fib_new(struct ev_loop *loop, const struct fib_conf *conf)
{
	struct fib *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->loop = loop;
	f->conf = *conf;
	if (f->conf.protocol == 0)
		f->conf.protocol = FIB_PROTO_XROUTE;
	if (f->conf.metric == 0)
		f->conf.metric = FIB_METRIC_DEFAULT;
	TAILQ_INIT(&f->queue);
	TAILQ_INIT(&f->rules);
	fib_rt_grow(f);
	fib_nh_grow(f);
	ev_defer_init(&f->flush_job, fib_flush_job, f);
	ev_timer_init(&f->rs_timer, fib_rs_timer_cb, f);
	ev_timer_init(&f->hold_timer, fib_hold_expired, f);
	if (f->rt_tab == NULL || f->nh_tab == NULL || fib_io_open(f) == -1) {
		fib_free(f, false);
		return NULL;
	}
	if (f->conf.restart_hold_ms > 0) {
		f->hold = true;
		ev_timer_start(loop, &f->hold_timer,
		    f->conf.restart_hold_ms * USEC_PER_MSEC);
	}
	fib_resync(f);
	return f;
}

static void
fib_rt_free_cb(struct fib *f, struct fib_route *r, void *arg)
{
	fib_nhset_unref(f, r->nh);
	free(r);
}

void
fib_free(struct fib *f, bool flush)
{
	struct fib_rule *ru;

	if (f == NULL)
		return;
	if (flush && f->req != NULL)
		fib_flush_kernel(f);
	fib_io_close(f);
	ev_defer_cancel(f->loop, &f->flush_job);
	ev_timer_stop(f->loop, &f->rs_timer);
	ev_timer_stop(f->loop, &f->hold_timer);
	fib_rt_walk(f, fib_rt_free_cb, NULL);
	while ((ru = TAILQ_FIRST(&f->rules)) != NULL) {
		TAILQ_REMOVE(&f->rules, ru, link);
		free(ru);
	}
	XR_ASSERT(f->nh_count == 0);
	free(f->rt_tab);
	free(f->nh_tab);
	free(f->links);
	free(f);
}

void
fib_kick(struct fib *f)
{
	ev_defer_schedule(f->loop, &f->flush_job);
}

void
fib_resync(struct fib *f)
{
	ev_timer_stop(f->loop, &f->rs_timer);
	f->rs_wanted = true;
	fib_kick(f);
}

void
fib_overrun(struct fib *f)
{
	f->st.overruns++;
	log_warn("fib: netlink notifications overran (ENOBUFS); full resync");
	/* Coalesce a burst of overruns into one resync. */
	if (!ev_timer_armed(&f->rs_timer) && !f->rs_wanted)
		ev_timer_start(f->loop, &f->rs_timer, 100 * USEC_PER_MSEC);
}

static void
fib_unhold_cb(struct fib *f, struct fib_route *r, void *arg)
{
	if (!r->stale_hold)
		return;
	r->stale_hold = false;
	if (!r->desired)
		fib_rt_queue(f, r);
}

void
fib_ready(struct fib *f)
{
	struct fib_rule *ru;

	if (!f->hold)
		return;
	f->hold = false;
	ev_timer_stop(f->loop, &f->hold_timer);
	fib_rt_walk(f, fib_unhold_cb, NULL);
	TAILQ_FOREACH(ru, &f->rules, link)
		if (!ru->desired && ru->kstate != FIB_K_ABSENT)
			fib_rule_queue(f, ru);
	fib_kick(f);
}

bool
fib_idle(const struct fib *f)
{
	return f->nqueued == 0 && f->rules_queued == 0 && f->inflight == 0 &&
	    f->rs_state == FIB_RS_IDLE && !f->rs_wanted;
}

void
fib_check_idle(struct fib *f)
{
	void (*cb)(void *) = f->idle_cb;

	if (cb == NULL || !fib_idle(f))
		return;
	f->idle_cb = NULL;
	cb(f->idle_arg);
}

void
fib_on_idle(struct fib *f, void (*cb)(void *), void *arg)
{
	f->idle_cb = cb;
	f->idle_arg = arg;
	fib_check_idle(f);
}

void
fib_get_stats(const struct fib *f, struct fib_stats *st)
{
	*st = f->st;
	st->routes = f->rt_desired;
	st->queued = f->nqueued + f->rules_queued;
	st->inflight = f->inflight;
	st->nhsets = f->nh_count;
}

uint8_t
fib_protocol(const struct fib *f)
{
	return f->conf.protocol;
}

/* A refusal: counted always, logged at most 20 times a second. */
void
fib_report_err(struct fib *f, const char *what, uint32_t table,
    const struct prefix *p, int err, const char *msg)
{
	char buf[PREFIX_STRLEN];
	uint64_t now = mono_us() / USEC_PER_SEC;

	f->st.errors++;
	if (now != f->errlog_sec) {
		if (f->errlog_n > 20)
			log_warn("fib: %u more refusals not logged",
			    f->errlog_n - 20);
		f->errlog_sec = now;
		f->errlog_n = 0;
	}
	if (f->errlog_n++ < 20)
		log_warn("fib: table %u %s: %s refused: %s%s%s", table,
		    p ? prefix_ntop(p, buf, sizeof(buf)) : "-", what,
		    strerror(err), msg[0] ? ": " : "", msg);
	if (p != NULL && f->conf.route_err != NULL)
		f->conf.route_err(f->conf.arg, table, p, err, msg);
}
