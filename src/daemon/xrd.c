/*
 * Configuration to running state for the BGP speaker roles: contexts,
 * originated routes, sessions, listeners and the control socket, on start
 * and on reload. A reload touches only what changed: a neighbour whose
 * session parameters changed is reset (Cease/Other Configuration Change,
 * RFC 4486), one that was removed gets Cease/Peer De-configured, one with
 * only a new description or limit keeps its session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"
#include "bmp/bmp.h"
#include "daemon/xrd.h"
#include "fib/fib.h"
#include "lib/log.h"
#include "mrt/mrt.h"

void
xrd_sess_conf(const struct xr_conf *conf, const struct conf_ctx *c,
    const struct conf_neighbor *n, struct sess_conf *sc)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->ctx, sizeof(sc->ctx), "%s", c->name);
	snprintf(sc->descr, sizeof(sc->descr), "%s", n->descr);
	sc->remote = n->addr;
	sc->remote_port = n->port;
	sc->local = n->local_addr;
	sc->local_as = conf_ctx_as(conf, c);
	sc->remote_as = n->remote_as;
	snprintf(sc->password, sizeof(sc->password), "%s", n->password);
	sc->hold = n->hold;
	sc->keepalive = n->keepalive;
	sc->connect_retry = n->connect_retry;
	sc->passive = n->passive;
	sc->gtsm = conf_neighbor_gtsm(n, sc->local_as);
	sc->fams = n->fams;
	memcpy(sc->max_prefix, n->max_prefix, sizeof(sc->max_prefix));
	sc->max_prefix_restart = n->max_prefix_restart;
	sc->shutdown = n->shutdown;
	snprintf(sc->shutdown_msg, sizeof(sc->shutdown_msg), "%s",
	    n->shutdown_msg);
	sc->has_policy = n->has_policy;
	sc->policy = n->policy;
	sc->policy.local_as = sc->local_as;
	sc->bfd_interval_ms = n->bfd_interval_ms;
	sc->bfd_mult = n->bfd_mult;
	sc->bfd_strict = n->bfd_strict;
}

/*
 * The RIB's best path (and its equal-cost set) for a prefix changed: state
 * it to the kernel table of the context. n == 0: no route any more.
 */
static void
fib_hook(void *arg, struct rib_ctx *rc, const struct prefix *p,
    const struct addr *nh, size_t n)
{
	struct xrd *x = arg;
	const struct conf_ctx *c = conf_ctx_find(x->conf, rib_ctx_name(rc));
	struct fib_nexthop fnh[FIB_NH_MAX];
	size_t i, k = 0;

	if (x->fib == NULL || c == NULL || c->kernel_table == CONF_KTABLE_NONE)
		return;
	for (i = 0; i < n && k < FIB_NH_MAX; i++) {
		if (nh[i].af != p->af)
			continue;	/* no kernel route across families */
		memset(&fnh[k], 0, sizeof(fnh[k]));
		fnh[k].gw = nh[i];
		k++;
	}
	if (k == 0)
		fib_route_del(x->fib, c->kernel_table, p);
	else
		fib_route_set(x->fib, c->kernel_table, p, fnh, k);
}

static bool
wants_fib(const struct xr_conf *c)
{
	size_t i;

	for (i = 0; i < c->nctxs; i++)
		if (c->ctxs[i].kernel_table != CONF_KTABLE_NONE)
			return true;
	return false;
}

static int
fib_start(struct xrd *x, const struct xr_conf *conf, char *err,
    size_t errlen)
{
	struct fib_conf fc;

	if (x->fib != NULL || !wants_fib(conf))
		return 0;
	memset(&fc, 0, sizeof(fc));
	fc.set_hash_policy = true;	/* per-flow ECMP on L4 ports */
	fc.flush_on_exit = true;
	fc.restart_hold_ms = 5000;	/* routes kept from a crash: 5 s */
	if ((x->fib = fib_new(x->loop, &fc)) == NULL) {
		snprintf(err, errlen, "cannot open the kernel routing table "
		    "interface (netlink)");
		return -1;
	}
	return 0;
}

#define XRD_RULE_PRIO	1000	/* ip rule priority of our iif rules */

/* Add (or remove) the iif rules of 'c' that 'other' (NULL: none) lacks. */
static void
rules_each(struct xrd *x, const struct conf_ctx *c,
    const struct conf_ctx *other, bool add)
{
	size_t i, j;
	bool both;

	if (c->kernel_table == CONF_KTABLE_NONE ||
	    c->kernel_table == CONF_KTABLE_MAIN)
		return;
	for (i = 0; i < c->ningress; i++) {
		both = false;
		for (j = 0; other != NULL && j < other->ningress; j++)
			if (other->kernel_table == c->kernel_table &&
			    strcmp(other->ingress[j], c->ingress[i]) == 0)
				both = true;
		if (both)
			continue;
		if (add)
			fib_rule_set(x->fib, c->kernel_table, c->ingress[i],
			    XRD_RULE_PRIO);
		else
			fib_rule_del(x->fib, c->kernel_table, c->ingress[i],
			    XRD_RULE_PRIO);
	}
}

/* Add the ingress rules 'nw' has and remove those only 'old' had. */
static void
rules_sync(struct xrd *x, const struct xr_conf *old, const struct xr_conf *nw)
{
	size_t i;

	if (x->fib == NULL)
		return;
	for (i = 0; old != NULL && i < old->nctxs; i++)
		rules_each(x, &old->ctxs[i], conf_ctx_find(nw,
		    old->ctxs[i].name), false);
	for (i = 0; i < nw->nctxs; i++)
		rules_each(x, &nw->ctxs[i], old ? conf_ctx_find(old,
		    nw->ctxs[i].name) : NULL, true);
}

/* Hook (or unhook) every context to the kernel as its kernel-table says. */
static void
fib_bind(struct xrd *x, const struct xr_conf *conf)
{
	struct rib_ctx *rc;
	size_t i;

	for (i = 0; i < conf->nctxs; i++) {
		if ((rc = rib_ctx_find(x->rib, conf->ctxs[i].name)) == NULL)
			continue;
		rib_ctx_set_fib(rc, conf->ctxs[i].kernel_table !=
		    CONF_KTABLE_NONE && x->fib ? fib_hook : NULL, x);
	}
}

static void
originate(struct rib_ctx *rc, const struct conf_route *r)
{
	struct rib_orig o = {
		.origin = r->origin, .has_med = r->has_med, .med = r->med,
		.communities = r->communities, .ncommunities = r->ncommunities,
		.nexthop = r->nexthop,
	};
	char buf[PREFIX_STRLEN];

	if (rib_originate(rc, &r->prefix, &o) == -1)
		log_err("context %s: cannot originate %s", rib_ctx_name(rc),
		    prefix_ntop(&r->prefix, buf, sizeof(buf)));
}

struct unfib {
	struct xrd	*x;
	uint32_t	 table;
};

static int
unfib_one(const struct rib_route_view *v, void *arg)
{
	struct unfib *u = arg;

	if (v->best)
		fib_route_del(u->x->fib, u->table, &v->prefix);
	return 0;
}

/*
 * A context leaves its kernel table (removed, or given another table):
 * its routes go now. The RIB withdraws a deleted peer's paths later, in
 * slices, when the hook can no longer find the old table; fib_bind()
 * replays the routes into a new table.
 */
static void
fib_unbind(struct xrd *x, const struct conf_ctx *oc, const struct conf_ctx *nc)
{
	struct unfib u = { x, oc->kernel_table };
	struct rib_query q;
	struct rib_ctx *rc;

	if (x->fib == NULL || oc->kernel_table == CONF_KTABLE_NONE ||
	    (nc != NULL && nc->kernel_table == oc->kernel_table) ||
	    (rc = rib_ctx_find(x->rib, oc->name)) == NULL)
		return;
	rib_ctx_set_fib(rc, NULL, NULL);
	memset(&q, 0, sizeof(q));
	q.table = RIB_LOC;
	rib_walk(rc, &q, unfib_one, &u);
}

/* Deconfigure what 'old' had and 'nw' does not. */
static void
remove_old(struct xrd *x, const struct xr_conf *old, const struct xr_conf *nw)
{
	const struct conf_ctx *oc, *nc;
	const struct conf_route **idx;
	struct rib_ctx *rc;
	struct sess *s;
	size_t i, j;

	for (i = 0; i < old->nctxs; i++) {
		oc = &old->ctxs[i];
		nc = conf_ctx_find(nw, oc->name);
		fib_unbind(x, oc, nc);
		for (j = 0; j < oc->nneighbors; j++) {
			if (nc != NULL &&
			    conf_neighbor_find(nc, &oc->neighbors[j].addr))
				continue;
			if ((s = sess_find(x->sm, oc->name,
			    &oc->neighbors[j].addr)) != NULL)
				sess_delete(s, BGP_CEASE_PEER_UNCONF);
		}
		if ((rc = rib_ctx_find(x->rib, oc->name)) == NULL)
			continue;
		idx = conf_routes_sorted(nc);
		for (j = 0; j < oc->nroutes; j++)
			if (conf_route_lookup(idx, nc ? nc->nroutes : 0,
			    &oc->routes[j].prefix) == NULL)
				rib_unoriginate(rc, &oc->routes[j].prefix);
		free(idx);
	}
}

static void
apply_neighbor(struct xrd *x, struct rib_ctx *rc, const struct xr_conf *old,
    const struct xr_conf *nw, const struct conf_ctx *nc,
    const struct conf_neighbor *n)
{
	const struct conf_ctx *oc = old ? conf_ctx_find(old, nc->name) : NULL;
	const struct conf_neighbor *on;
	struct sess_conf sc, osc;
	enum conf_diff d;
	struct sess *s;
	char a[ADDR_STRLEN];

	xrd_sess_conf(nw, nc, n, &sc);
	if ((s = sess_find(x->sm, nc->name, &n->addr)) == NULL) {
		if (sess_new(x->sm, rc, &sc) == NULL)
			log_err("context %s: cannot create neighbor %s",
			    nc->name, addr_ntop(&n->addr, a, sizeof(a)));
		return;
	}
	if (oc == NULL || (on = conf_neighbor_find(oc, &n->addr)) == NULL)
		d = CONF_RESET;
	else {
		xrd_sess_conf(old, oc, on, &osc);
		d = conf_neighbor_cmp(on, n);
		if (osc.local_as != sc.local_as || osc.gtsm != sc.gtsm ||
		    old->router_id != nw->router_id)
			d = CONF_RESET;
	}
	if (d != CONF_SAME) {
		log_info("context %s: neighbor %s changed%s", nc->name,
		    addr_ntop(&n->addr, a, sizeof(a)), d == CONF_RESET ?
		    ", resetting the session" : "");
		sess_set_conf(s, &sc, d == CONF_RESET);
	}
}

static void
apply_new(struct xrd *x, const struct xr_conf *old, const struct xr_conf *nw)
{
	const struct conf_ctx *nc, *oc;
	const struct conf_route *or, **idx;
	struct rib_ctx *rc;
	size_t i, j;

	for (i = 0; i < nw->nctxs; i++) {
		nc = &nw->ctxs[i];
		oc = old ? conf_ctx_find(old, nc->name) : NULL;
		if ((rc = rib_ctx_get(x->rib, nc->name)) == NULL) {
			log_err("cannot create context %s", nc->name);
			continue;
		}
		idx = conf_routes_sorted(oc);
		for (j = 0; j < nc->nroutes; j++) {
			or = conf_route_lookup(idx, oc ? oc->nroutes : 0,
			    &nc->routes[j].prefix);
			if (or != NULL && conf_route_equal(or, &nc->routes[j]))
				continue;
			if (or != NULL)
				rib_unoriginate(rc, &or->prefix);
			originate(rc, &nc->routes[j]);
		}
		free(idx);
		for (j = 0; j < nc->nneighbors; j++)
			apply_neighbor(x, rc, old, nw, nc, &nc->neighbors[j]);
	}
}

static int
open_listeners(struct xrd *x, const struct xr_conf *c, char *err,
    size_t errlen)
{
	struct addr any4, any6;
	char e6[256];
	size_t i;

	if (c->nlistens == 0) {
		addr_parse("0.0.0.0", &any4);
		addr_parse("::", &any6);
		if (sess_mgr_listen(x->sm, &any4, BGP_PORT, err, errlen) == -1)
			return -1;
		/* A host without IPv6 still runs IPv4 sessions. */
		if (sess_mgr_listen(x->sm, &any6, BGP_PORT, e6, sizeof(e6)))
			log_warn("%s", e6);
		return 0;
	}
	for (i = 0; i < c->nlistens; i++)
		if (sess_mgr_listen(x->sm, &c->listens[i].addr,
		    c->listens[i].port, err, errlen) == -1)
			return -1;
	return 0;
}

static bool
listens_equal(const struct xr_conf *a, const struct xr_conf *b)
{
	size_t i;

	if (a->nlistens != b->nlistens)
		return false;
	for (i = 0; i < a->nlistens; i++)
		if (addr_cmp(&a->listens[i].addr, &b->listens[i].addr) != 0 ||
		    a->listens[i].port != b->listens[i].port)
			return false;
	return true;
}

/* MRT dumps and BMP collectors as the configuration says. */
static int
mon_apply(struct xrd *x, const struct xr_conf *c, char *err, size_t errlen)
{
	if (x->mrt == NULL &&
	    (x->mrt = mrt_new(x->loop, x->rib, x->sm)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (x->bmp == NULL &&
	    (x->bmp = bmp_new(x->loop, x->rib, x->sm)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mrt_set_ids(x->mrt, c->router_id, c->as);
	bmp_set_ids(x->bmp, c->router_id, NULL);
	x->env.mrt = x->mrt;
	if (mrt_set_conf(x->mrt, c->mrts, c->nmrts, err, errlen) == -1)
		return -1;
	return bmp_set_conf(x->bmp, c->bmps, c->nbmps, err, errlen);
}

static int
ctl_reload_cb(void *arg, char *err, size_t errlen)
{
	return xrd_reload(arg, err, errlen);
}

int
xrd_start(struct xrd *x, struct xr_conf *conf, char *err, size_t errlen)
{
	if ((x->loop = ev_loop_new()) == NULL ||
	    (x->rib = rib_new(x->loop)) == NULL ||
	    (x->sm = sess_mgr_new(x->loop, x->rib)) == NULL ||
	    (x->bfd = bfd_new(x->loop)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sess_mgr_set_bfd(x->sm, x->bfd);
	if (fib_start(x, conf, err, errlen) == -1)
		return -1;
	rib_set_router_id(x->rib, conf->router_id);
	sess_mgr_set_router_id(x->sm, conf->router_id);
	if (open_listeners(x, conf, err, errlen) == -1)
		return -1;
	if (!x->ctl_path_forced)
		snprintf(x->ctl_path, sizeof(x->ctl_path), "%s", conf->control);
	x->env.rib = x->rib;
	x->env.sm = x->sm;
	x->env.router_id = conf->router_id;
	x->env.local_as = conf->as;
	x->env.reload = ctl_reload_cb;
	x->env.arg = x;
	if ((x->ctl = ctl_server_new(x->loop, x->ctl_path, &x->env, err,
	    errlen)) == NULL)
		return -1;
	if (xrd_mx_apply(x, NULL, conf, err, errlen) == -1)
		return -1;
	x->conf = conf;
	apply_new(x, NULL, conf);
	fib_bind(x, conf);
	rules_sync(x, NULL, conf);
	return mon_apply(x, conf, err, errlen);
}

int
xrd_apply(struct xrd *x, struct xr_conf *nw, char *err, size_t errlen)
{
	struct xr_conf *old = x->conf;
	char lerr[256];

	if (!listens_equal(old, nw)) {
		sess_mgr_listen_close(x->sm);
		if (open_listeners(x, nw, err, errlen) == -1) {
			/* Keep serving on what we had. */
			sess_mgr_listen_close(x->sm);
			if (open_listeners(x, old, lerr, sizeof(lerr)) == -1)
				log_err("%s", lerr);
			return -1;
		}
	}
	if (strcmp(old->control, nw->control) != 0 && !x->ctl_path_forced)
		log_warn("control socket stays %s: a new path takes effect at "
		    "restart", x->ctl_path);
	rib_set_router_id(x->rib, nw->router_id);
	sess_mgr_set_router_id(x->sm, nw->router_id);
	x->env.router_id = nw->router_id;
	x->env.local_as = nw->as;
	if (fib_start(x, nw, err, errlen) == -1)
		return -1;
	if (xrd_mx_apply(x, old, nw, lerr, sizeof(lerr)) == -1)
		log_err("%s (the metrics endpoint is closed)", lerr);
	x->conf = nw;
	remove_old(x, old, nw);
	apply_new(x, old, nw);
	fib_bind(x, nw);
	rules_sync(x, old, nw);
	conf_free(old);
	/* 'nw' is ours now: a failure here is logged, not returned. */
	if (mon_apply(x, nw, lerr, sizeof(lerr)) == -1)
		log_err("monitoring: %s", lerr);
	return 0;
}

int
xrd_reload(struct xrd *x, char *err, size_t errlen)
{
	struct xr_conf *nw;

	if (conf_parse_file(x->conf_path, &nw, err, errlen) == -1) {
		log_err("reload failed, keeping the running configuration: %s",
		    err);
		return -1;
	}
	if (xrd_apply(x, nw, err, errlen) == -1) {
		log_err("reload failed: %s", err);
		conf_free(nw);
		return -1;
	}
	log_info("configuration reloaded from %s", x->conf_path);
	return 0;
}

void
xrd_stop(struct xrd *x, const char *msg)
{
	if (x->sm != NULL)
		sess_mgr_shutdown(x->sm, msg, 2000);
	xrd_mx_stop(x);
	/* After the shutdown: the last messages are in the dumps. */
	bmp_free(x->bmp);
	x->bmp = NULL;
	mrt_free(x->mrt);
	x->mrt = NULL;
	x->env.mrt = NULL;
	ctl_server_free(x->ctl);
	x->ctl = NULL;
	sess_mgr_free(x->sm);
	x->sm = NULL;
	bfd_free(x->bfd);
	x->bfd = NULL;
	if (x->fib != NULL)
		fib_free(x->fib, true);	/* clean exit: our routes go */
	x->fib = NULL;
	if (x->rib != NULL)
		rib_free(x->rib);
	x->rib = NULL;
	conf_free(x->conf);
	x->conf = NULL;
	ev_loop_free(x->loop);
	x->loop = NULL;
}
