/*
 * The running reconciler of an edge: follows the store's change counter
 * and re-applies the desired configuration through xrd_apply() (the same
 * minimal-change path as a reload), keeps the link addresses on their
 * interfaces (and takes them away when a peering goes), and writes each
 * session's observed state back to the store.
 *
 * Status records change only when something an operator cares about
 * changes (state, prefix counts, last error, since when it is up), so two
 * edges and the API do not keep waking each other: the record holds
 * "upSinceMs" and the API computes the uptime at GET time. A status write
 * bumps the change counter too; the poll ignores changes of that type.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "daemon/xrd.h"
#include "lib/log.h"
#include "reconcile/gw.h"
#include "reconcile/rc_views.h"

#define RC_DEFAULT_ID	0x0afffe01u	/* 10.255.254.1 + path */
#define RC_CHANGES_MAX	1000

struct rc {
	struct rc_opts	 o;
	struct store	*st;
	struct er_cat	 cat;
	bool		 have_cat;
	struct xrd	*x;
	struct ev_timer	 poll, status;
	int64_t		 seen;		/* change counter applied */
	struct rc_peer	*peers;		/* of the running configuration */
	size_t		 npeers;
	json_t		*written;	/* status id -> last doc written */
	int64_t		 md5_count;	/* rc_md5_failures() last pass */
	int64_t		 md5_at_ms;	/* when it last grew */
	struct rc_views	*views;		/* live views (rc_views.c) */
};

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
find_data(const char *opt)
{
	static const char *const cand[] = { "data", "/usr/share/xroute/data",
	    NULL };
	const char *env = getenv("XR_DATA");
	char p[4096];
	int i;

	if (opt != NULL)
		return opt;
	if (env != NULL && *env)
		return env;
	for (i = 0; cand[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/catalogue.json", cand[i]);
		if (access(p, R_OK) == 0)
			return cand[i];
	}
	return NULL;
}

struct rc *
rc_new(const struct rc_opts *o, char *err, size_t errlen)
{
	struct rc *r;
	const char *data = find_data(o->data);
	char cerr[512];

	if (access(o->db, R_OK | W_OK) == -1) {
		snprintf(err, errlen, "--db %s: %s (the API role creates the "
		    "store)", o->db, strerror(errno));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->written = json_object()) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->o = *o;
	r->md5_count = rc_md5_failures();	/* drops before we started */
	if (r->o.router_id == 0)
		r->o.router_id = RC_DEFAULT_ID + (uint32_t)o->path;
	if (store_open_sqlite(o->db, &r->st) != STORE_OK) {
		snprintf(err, errlen, "--db %s: cannot open the store", o->db);
		rc_free(r);
		return NULL;
	}
	if (data != NULL && er_cat_load(&r->cat, data, cerr,
	    sizeof(cerr)) == 0)
		r->have_cat = true;
	else
		log_warn("reconcile: no catalogue (%s): regional community "
		    "falls back to 12076:%d", data ? cerr : "no --data, "
		    "$XR_DATA, ./data or /usr/share/xroute/data",
		    RC_REGION_FALLBACK);
	return r;
}

const char *
rc_ifname_of(const struct rc_opts *o, uint16_t vlan)
{
	size_t i;

	for (i = 0; i < o->nifmap; i++)
		if (o->ifmap[i].vlan == vlan)
			return o->ifmap[i].ifname;
	return NULL;
}

static void
addrs_sync(struct rc *r, const struct rc_peer *p, size_t n)
{
	const char *ifn;
	char err[256], a[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		if ((ifn = rc_ifname_of(&r->o, p[i].vlan)) == NULL) {
			log_warn("reconcile: %s: no --interface-map entry for "
			    "VLAN %u; %s must already be configured", p[i].ctx,
			    p[i].vlan, addr_ntop(&p[i].local, a, sizeof(a)));
			continue;
		}
		if (rc_addr_ensure(ifn, &p[i].local, p[i].plen, err,
		    sizeof(err)) == -1 || (p[i].has_v6 && rc_addr_ensure(ifn,
		    &p[i].local6, p[i].plen6, err, sizeof(err)) == -1))
			log_err("reconcile: %s: %s", p[i].ctx, err);
	}
}

/* Is address 'a' on the interface of VLAN 'vlan' still wanted by 'now'? */
static bool
addr_wanted(const struct rc_peer *now, size_t n, uint16_t vlan,
    const struct addr *a, uint8_t plen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (now[i].vlan == vlan && ((now[i].plen == plen &&
		    addr_cmp(&now[i].local, a) == 0) || (now[i].has_v6 &&
		    now[i].plen6 == plen && addr_cmp(&now[i].local6, a) == 0)))
			return true;
	return false;
}

static void
addr_drop(const char *ifn, const struct rc_peer *p, const struct addr *a,
    uint8_t plen)
{
	char err[256], s[ADDR_STRLEN];

	if (rc_addr_del(ifn, a, plen, err, sizeof(err)) == -1)
		log_err("reconcile: %s: %s", p->ctx, err);
	else
		log_info("reconcile: %s: %s/%u removed from %s", p->ctx,
		    addr_ntop(a, s, sizeof(s)), plen, ifn);
}

/* The link addresses of peerings (or address families) that went, or
 * whose subnet changed, leave their interfaces. */
static void
addrs_gone(struct rc *r, const struct rc_peer *now, size_t nnow)
{
	const struct rc_peer *p;
	const char *ifn;
	size_t i;

	for (i = 0; i < r->npeers; i++) {
		p = &r->peers[i];
		if ((ifn = rc_ifname_of(&r->o, p->vlan)) == NULL)
			continue;
		if (!addr_wanted(now, nnow, p->vlan, &p->local, p->plen))
			addr_drop(ifn, p, &p->local, p->plen);
		if (p->has_v6 && !addr_wanted(now, nnow, p->vlan, &p->local6,
		    p->plen6))
			addr_drop(ifn, p, &p->local6, p->plen6);
	}
}

/* Build; on success *conf and the peer list are the caller's. */
static struct xr_conf *
build(struct rc *r, struct rc_peer **peers, size_t *npeers, char *err,
    size_t errlen)
{
	struct rc_desired d;

	if (rc_build(r->st, &r->o, r->have_cat ? &r->cat : NULL, &d, err,
	    errlen) == -1)
		return NULL;
	addrs_sync(r, d.peers, d.npeers);
	gw_links_sync(d.links, d.nlinks);	/* gateway links */
	free(d.links);
	*peers = d.peers;
	*npeers = d.npeers;
	return d.conf;
}

struct xr_conf *
rc_initial(struct rc *r, char *err, size_t errlen)
{
	r->seen = store_counter(r->st);
	return build(r, &r->peers, &r->npeers, err, errlen);
}

/* --- status write-back ---------------------------------------------------- */

/* One session's observed state; prev is what was last written for it. */
static json_t *
session_doc(struct rc *r, struct sess *s, const struct addr *nbr,
    const struct addr *local, json_t *prev)
{
	const char *hint;
	struct sess_info i;
	struct rib_peer_stats st;
	char a[ADDR_STRLEN];
	json_t *o = json_object();
	json_int_t since = 0;

	sess_info(s, &i);
	memset(&st, 0, sizeof(st));
	if (i.rib_peer != NULL)
		rib_peer_stats(i.rib_peer, &st);
	json_object_set_new(o, "neighbor", json_string(addr_ntop(nbr, a,
	    sizeof(a))));
	json_object_set_new(o, "localAddress", json_string(addr_ntop(local, a,
	    sizeof(a))));
	json_object_set_new(o, "state", json_string(sess_state_name(i.state)));
	json_object_set_new(o, "adminDown", json_boolean(i.admin_down));
	json_object_set_new(o, "adminMessage", json_string(i.admin_down ?
	    i.admin_msg : ""));
	if (i.state == SESS_ESTABLISHED) {
		/* keep the first estimate: the record stays stable */
		since = json_integer_value(json_object_get(prev, "upSinceMs"));
		if (since == 0 || strcmp(json_string_value(json_object_get(prev,
		    "state")) ?: "", "Established") != 0)
			since = (wall_ms() - (json_int_t)i.uptime_ms) / 1000 *
			    1000;
	}
	json_object_set_new(o, "upSinceMs", json_integer(since));
	json_object_set_new(o, "flaps", json_integer(i.flaps));
	json_object_set_new(o, "prefixesReceived", json_integer(
	    st.pfx_accepted[BGP_FAM_V4U] + st.pfx_accepted[BGP_FAM_V6U]));
	json_object_set_new(o, "prefixesAdvertised", json_integer(
	    st.pfx_sent[BGP_FAM_V4U] + st.pfx_sent[BGP_FAM_V6U]));
	/* held down: why (a Disabled peering, a Microsoft peering whose
	 * prefixes are not Configured) matters more than the last error */
	json_object_set_new(o, "lastError", json_string(i.admin_down &&
	    i.admin_msg[0] ? i.admin_msg : i.last_reason));
	if ((hint = rc_hint(&i, r->md5_at_ms != 0 &&
	    wall_ms() - r->md5_at_ms < RC_MD5_WINDOW_MS)) != NULL)
		json_object_set_new(o, "hint", json_string(hint));
	return o;
}

/* The path's record: the IPv4 session at the top level (as before IPv6),
 * the IPv6 session under "ipv6", and the context's kernel table. */
static json_t *
status_doc(struct rc *r, const struct rc_peer *p, struct sess *s,
    json_t *prev)
{
	json_t *o = session_doc(r, s, &p->nbr, &p->local, prev);
	struct sess *s6;

	json_object_set_new(o, "path", json_string(rc_path_name(r->o.path)));
	json_object_set_new(o, "peerASN", json_integer(p->peer_as));
	json_object_set_new(o, "kernelTable", json_integer(p->table));
	if (p->has_v6 && (s6 = sess_find(r->x->sm, p->ctx, &p->nbr6)) != NULL)
		json_object_set_new(o, "ipv6", session_doc(r, s6, &p->nbr6,
		    &p->local6, json_object_get(prev, "ipv6")));
	return o;
}

int
rc_status_put(struct store *st, const char *type, const char *id,
    const char *parent, json_t *doc)
{
	struct store_rec rec;
	char *s = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	int rc = -1;

	if (s == NULL)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.id = (char *)id;
	rec.type = (char *)type;
	rec.parent = (char *)parent;
	rec.doc = s;
	if (store_begin(st) != STORE_OK)
		goto out;
	if (store_put(st, &rec) != STORE_OK) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st) == STORE_OK ? 0 : -1;
out:
	if (rc == -1)
		log_warn("reconcile: cannot write %s: %s", id, st->errmsg);
	free(s);
	return rc;
}

static void
status_write(struct rc *r)
{
	char id[RC_ID_MAX + 32];
	json_t *prev, *doc;
	struct sess *s;
	size_t i;
	int64_t md5 = rc_md5_failures();

	if (md5 > r->md5_count && r->md5_count >= 0)
		r->md5_at_ms = wall_ms();
	r->md5_count = md5;

	for (i = 0; i < r->npeers; i++) {
		if ((s = sess_find(r->x->sm, r->peers[i].ctx,
		    &r->peers[i].nbr)) == NULL)
			continue;
		snprintf(id, sizeof(id), "%s/status/%s", r->peers[i].id,
		    rc_path_name(r->o.path));
		prev = json_object_get(r->written, id);
		doc = status_doc(r, &r->peers[i], s, prev);
		if (prev != NULL && json_equal(prev, doc)) {
			json_decref(doc);
			continue;
		}
		if (rc_status_put(r->st, ER_PEERING_STATUS_TYPE, id,
		    r->peers[i].id, doc) == 0)
			json_object_set_new(r->written, id, doc);
		else
			json_decref(doc);
	}
}

static void
on_status(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct rc *r = arg;

	status_write(r);
	rc_views_publish(r->views, r->peers, r->npeers);
	ev_timer_start(loop, t, RC_STATUS_MS * 1000ULL);
}

/* A peering this path no longer realises (circuit deprovisioned, moved,
 * peering deleted): drop its status so GET does not show a stale session.
 * A deleted peering's record went with it (the store cascades). */
static void
status_forget(struct rc *r, const struct rc_peer *now, size_t nnow)
{
	char id[RC_ID_MAX + 32];
	size_t i, j;

	for (i = 0; i < r->npeers; i++) {
		for (j = 0; j < nnow; j++)
			if (strcasecmp(r->peers[i].id, now[j].id) == 0)
				break;
		if (j < nnow)
			continue;
		snprintf(id, sizeof(id), "%s/status/%s", r->peers[i].id,
		    rc_path_name(r->o.path));
		json_object_del(r->written, id);
		if (store_begin(r->st) != STORE_OK)
			continue;
		if (store_del(r->st, id) == STORE_ERR) {
			store_rollback(r->st);
			continue;
		}
		store_commit(r->st);
	}
}

/* --- following the store -------------------------------------------------- */

struct changes {
	int	 n;
	bool	 relevant;
};

static int
change_cb(const struct store_change *c, void *arg)
{
	struct changes *ch = arg;

	ch->n++;
	if (!er_type_not_desired(c->type))
		ch->relevant = true;
	return 0;
}

/* Did anything but observations (status, counters, view requests)
 * change since 'seen'? */
bool
rc_store_changed(struct store *st, int64_t seen, int64_t now)
{
	struct changes ch = { 0, false };

	if (now == seen)
		return false;
	if (store_changes(st, seen, RC_CHANGES_MAX, change_cb, &ch) !=
	    STORE_OK)
		return true;
	/* a gap (more than we read, or the log pruned): rebuild anyway */
	return ch.relevant || ch.n >= RC_CHANGES_MAX || ch.n == 0;
}

static void
reconcile(struct rc *r)
{
	struct rc_peer *peers;
	struct xr_conf *conf;
	size_t npeers;
	char err[CONF_ERR_MAX];

	if ((conf = build(r, &peers, &npeers, err, sizeof(err))) == NULL) {
		log_err("reconcile: %s; keeping the running state", err);
		return;
	}
	if (xrd_apply(r->x, conf, err, sizeof(err)) == -1) {
		log_err("reconcile: apply: %s", err);
		conf_free(conf);
		free(peers);
		return;
	}
	status_forget(r, peers, npeers);
	addrs_gone(r, peers, npeers);
	free(r->peers);
	r->peers = peers;
	r->npeers = npeers;
	log_info("reconcile: %zu peering(s) on the %s path at %s", npeers,
	    rc_path_name(r->o.path), r->o.location);
	status_write(r);
}

static void
on_poll(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct rc *r = arg;
	int64_t now = store_counter(r->st);

	if (now >= 0 && now != r->seen) {
		if (rc_store_changed(r->st, r->seen, now)) {
			r->seen = now;
			reconcile(r);
		} else
			r->seen = now;
		/* a view request is a change too: answer what is ours */
		rc_views_serve(r->views, r->x, r->peers, r->npeers);
	} else if (rc_views_again(r->views))
		rc_views_serve(r->views, r->x, r->peers, r->npeers);
	ev_timer_start(loop, t, RC_POLL_MS * 1000ULL);
}

/* xrctl reload and SIGHUP: re-read the store now. */
static int
ctl_reload(void *arg, char *err, size_t errlen)
{
	struct rc *r = arg;

	r->seen = store_counter(r->st);
	reconcile(r);
	snprintf(err, errlen, "%s", "");
	return 0;
}

void
rc_kick(struct rc *r)
{
	char err[8];

	ctl_reload(r, err, sizeof(err));
}

void
rc_attach(struct rc *r, struct xrd *x)
{
	r->x = x;
	x->env.reload = ctl_reload;
	x->env.arg = r;
	ev_timer_init(&r->poll, on_poll, r);
	ev_timer_init(&r->status, on_status, r);
	ev_timer_start(x->loop, &r->poll, RC_POLL_MS * 1000ULL);
	ev_timer_start(x->loop, &r->status, 1000ULL);
	if ((r->views = rc_views_new(r->st, &r->o)) == NULL)
		log_err("reconcile: no memory for the live views");
	else
		rc_views_serve(r->views, x, r->peers, r->npeers);
	log_info("reconcile: %zu peering(s) on the %s path at %s", r->npeers,
	    rc_path_name(r->o.path), r->o.location);
}

void
rc_free(struct rc *r)
{
	if (r == NULL)
		return;
	if (r->x != NULL && r->x->loop != NULL) {
		ev_timer_stop(r->x->loop, &r->poll);
		ev_timer_stop(r->x->loop, &r->status);
	}
	rc_views_free(r->views);
	if (r->st != NULL)
		store_close(r->st);
	if (r->have_cat)
		er_cat_free(&r->cat);
	json_decref(r->written);
	free(r->peers);
	free(r);
}
