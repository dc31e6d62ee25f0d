/*
 * The running gateway: follows the store's change counter like the edges
 * (rc_run.c) and re-applies its desired state through xrd_apply(), so a
 * new spoke or address space is a new originated route and never resets
 * a session; keeps its link addresses on the --edge-map interfaces; and
 * writes one status record per connection (ER_CONN_STATUS_TYPE), which
 * GET on the connection shows as connectionStatus and bgpPeerStatus
 * (the shape of Azure's BgpPeerStatus: localAddress, neighbor, asn,
 * state Connected/Connecting/Idle/Stopped, routesReceived).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "daemon/xrd.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "reconcile/gw.h"

struct gw {
	struct gw_opts	 o;
	struct store	*st;
	struct xrd	*x;
	struct ev_timer	 poll, status;
	int64_t		 seen;
	struct gw_desired d;		/* running (conf owned by xrd) */
	json_t		*written;	/* status id -> last doc written */
};

struct gw *
gw_new(const struct gw_opts *o, char *err, size_t errlen)
{
	struct gw *g;

	if (access(o->db, R_OK | W_OK) == -1) {
		snprintf(err, errlen, "--db %s: %s (the API role creates the "
		    "store)", o->db, strerror(errno));
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->written = json_object()) == NULL) {
		free(g);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->o = *o;
	if (store_open_sqlite(o->db, &g->st) != STORE_OK) {
		snprintf(err, errlen, "--db %s: cannot open the store", o->db);
		gw_free(g);
		return NULL;
	}
	return g;
}

/* Build; on success the configuration is the caller's, the rest ours. */
static struct xr_conf *
build(struct gw *g, char *err, size_t errlen)
{
	struct gw_desired d;
	struct xr_conf *conf;

	if (gw_build(g->st, &g->o, &d, err, errlen) == -1)
		return NULL;
	gw_links_sync(d.links, d.nlinks);
	if (d.over_cap)
		log_warn("gateway: %s: every connection is shut down",
		    d.cap_msg);
	conf = d.conf;
	d.conf = NULL;
	gw_desired_free(&g->d);
	g->d = d;
	return conf;
}

struct xr_conf *
gw_initial(struct gw *g, char *err, size_t errlen)
{
	g->seen = store_counter(g->st);
	return build(g, err, errlen);
}

/* --- status write-back ---------------------------------------------------- */

static const char *
peer_state(const struct sess_info *i)
{
	if (i->state == SESS_ESTABLISHED)
		return "Connected";
	if (i->admin_down)
		return "Stopped";
	if (i->state == SESS_IDLE)
		return "Idle";
	return "Connecting";
}

static json_t *
peer_doc(struct gw *g, const struct gw_conn *c, enum rc_path p,
    json_t *prev, bool *up)
{
	struct sess *s = sess_find(g->x->sm, GW_CTX, &c->edge[p]);
	struct rib_peer_stats st;
	struct sess_info i;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	json_int_t since = 0;

	memset(&i, 0, sizeof(i));
	memset(&st, 0, sizeof(st));
	if (s != NULL)
		sess_info(s, &i);
	if (i.rib_peer != NULL)
		rib_peer_stats(i.rib_peer, &st);
	if (s != NULL && i.state == SESS_ESTABLISHED) {
		*up = true;
		/* the first estimate stays: the record changes only on flaps */
		since = json_integer_value(json_object_get(prev, "upSinceMs"));
		if (since == 0 || strcmp(json_string_value(json_object_get(prev,
		    "state")) ?: "", "Connected") != 0)
			since = (wall_sec() * 1000 - (json_int_t)i.uptime_ms) /
			    1000 * 1000;
	}
	return json_pack("{s:s, s:s, s:s, s:i, s:s, s:I, s:i, s:i, s:i, s:s}",
	    "path", rc_path_name(p),
	    "localAddress", addr_ntop(&c->local[p], a, sizeof(a)),
	    "neighbor", addr_ntop(&c->edge[p], b, sizeof(b)),
	    "asn", RC_AZURE_AS,
	    "state", s ? peer_state(&i) : "Unknown",
	    "upSinceMs", (json_int_t)since,
	    "flaps", (int)i.flaps,
	    "routesReceived", (int)st.pfx_accepted[BGP_FAM_V4U],
	    "routesAdvertised", (int)st.pfx_sent[BGP_FAM_V4U],
	    "lastError", i.last_reason);
}

static json_t *
conn_doc(struct gw *g, const struct gw_conn *c, json_t *prev)
{
	json_t *o = json_object(), *peers = json_array();
	const char *msg = "";
	bool up = false;
	int p;

	if (c->realised)
		for (p = RC_PRIMARY; p <= RC_SECONDARY; p++)
			json_array_append_new(peers, peer_doc(g, c,
			    (enum rc_path)p, json_array_get(json_object_get(prev,
			    "peers"), (size_t)p), &up));
	if (!c->realised)
		msg = c->why;
	else if (g->d.over_cap)
		msg = g->d.cap_msg;
	else if (g->d.admin_down)
		msg = GW_SHUT_ADMIN;
	json_object_set_new(o, "connectionStatus", json_string(up ?
	    "Connected" : *msg == '\0' ? "Connecting" : "NotConnected"));
	json_object_set_new(o, "statusMessage", json_string(msg));
	json_object_set_new(o, "advertisedPrefixes", json_pack("{s:I, s:I}",
	    "ipv4", (json_int_t)g->d.nadv[0], "ipv6", (json_int_t)g->d.nadv[1]));
	json_object_set_new(o, "peers", peers);
	return o;
}

static void
status_write(struct gw *g)
{
	char id[RC_ID_MAX + 16];
	json_t *prev, *doc;
	size_t i;

	for (i = 0; i < g->d.nconns; i++) {
		snprintf(id, sizeof(id), "%s/status", g->d.conns[i].id);
		prev = json_object_get(g->written, id);
		doc = conn_doc(g, &g->d.conns[i], prev);
		if (prev != NULL && json_equal(prev, doc)) {
			json_decref(doc);
			continue;
		}
		if (rc_status_put(g->st, ER_CONN_STATUS_TYPE, id,
		    g->d.conns[i].id, doc) == 0)
			json_object_set_new(g->written, id, doc);
		else
			json_decref(doc);
	}
}

static void
on_status(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct gw *g = arg;

	status_write(g);
	ev_timer_start(loop, t, RC_STATUS_MS * 1000ULL);
}

/* --- following the store -------------------------------------------------- */

static void
reconcile(struct gw *g)
{
	struct xr_conf *conf;
	char err[CONF_ERR_MAX];

	if ((conf = build(g, err, sizeof(err))) == NULL) {
		log_err("gateway: %s; keeping the running state", err);
		return;
	}
	if (xrd_apply(g->x, conf, err, sizeof(err)) == -1) {
		log_err("gateway: apply: %s", err);
		conf_free(conf);
		return;
	}
	/* a deleted connection's status went with it (the store cascades) */
	json_object_clear(g->written);
	log_info("gateway: %zu connection(s), %zu IPv4 and %zu IPv6 "
	    "prefixes advertised", g->d.nconns, g->d.nadv[0], g->d.nadv[1]);
	status_write(g);
}

static void
on_poll(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct gw *g = arg;
	int64_t now = store_counter(g->st);

	if (now >= 0 && rc_store_changed(g->st, g->seen, now)) {
		g->seen = now;
		reconcile(g);
	} else if (now >= 0)
		g->seen = now;
	ev_timer_start(loop, t, RC_POLL_MS * 1000ULL);
}

static int
ctl_reload(void *arg, char *err, size_t errlen)
{
	struct gw *g = arg;

	g->seen = store_counter(g->st);
	reconcile(g);
	snprintf(err, errlen, "%s", "");
	return 0;
}

void
gw_kick(struct gw *g)
{
	char err[8];

	ctl_reload(g, err, sizeof(err));
}

void
gw_attach(struct gw *g, struct xrd *x)
{
	g->x = x;
	x->env.reload = ctl_reload;
	x->env.arg = g;
	ev_timer_init(&g->poll, on_poll, g);
	ev_timer_init(&g->status, on_status, g);
	ev_timer_start(x->loop, &g->poll, RC_POLL_MS * 1000ULL);
	ev_timer_start(x->loop, &g->status, 1000ULL);
	log_info("gateway: %s: %zu connection(s), %zu IPv4 and %zu IPv6 "
	    "prefixes advertised", g->o.gateway, g->d.nconns, g->d.nadv[0],
	    g->d.nadv[1]);
}

void
gw_free(struct gw *g)
{
	if (g == NULL)
		return;
	if (g->x != NULL && g->x->loop != NULL) {
		ev_timer_stop(g->x->loop, &g->poll);
		ev_timer_stop(g->x->loop, &g->status);
	}
	if (g->st != NULL)
		store_close(g->st);
	gw_desired_free(&g->d);
	json_decref(g->written);
	free(g);
}
