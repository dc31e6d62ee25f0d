/*
 * The speaker's metrics (see mx_bgp.h and docs/metrics.md). Sessions are
 * read once into a snapshot, then each family is written from it: a
 * family must be one contiguous block of the exposition, and sess_info()
 * is too large to call once per family and peer.
 *
 * GoBGP compatibility (osrg/gobgp docs/sources/metrics.md): same names,
 * same "peer" label and the same session_state/admin_state label values;
 * xroute adds a "context" label because the same address may peer in two
 * contexts. bgp_peer_state's value is the state number GoBGP's API uses
 * (1 IDLE ... 6 ESTABLISHED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"
#include "fib/fib.h"
#include "metrics/mx_bgp.h"
#include "rib/rib.h"
#include "session/sess.h"
#include "wire/bfd.h"

struct mx_peer {
	char			 peer[ADDR_STRLEN];
	char			 circuit[64], peering[64];
	const char		*ctx;
	const struct sess_conf	*c;
	struct sess_info	 i;
	struct rib_peer_stats	 st;
};

struct mx_snap {
	const struct mx_bgp_src	*src;
	struct mx_peer		*p;
	size_t			 n;
};

#define BGP_L(q)	"peer", (q)->peer, "context", (q)->ctx
#define XR_L(g, q)	"context", (q)->ctx, "circuit", (q)->circuit, \
			"peering", (q)->peering, "path", (g)->src->path, \
			"peer", (q)->peer

void
mx_ctx_split(const char *ctx, char *circuit, size_t clen, char *peering,
    size_t plen)
{
	const char *slash = strchr(ctx, '/');

	circuit[0] = peering[0] = '\0';
	if (slash == NULL || slash == ctx || slash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL)
		return;
	snprintf(circuit, clen, "%.*s", (int)(slash - ctx), ctx);
	snprintf(peering, plen, "%s", slash + 1);
}

static int
snap_take(struct mx_snap *g, const struct mx_bgp_src *src)
{
	struct mx_peer *q;
	struct sess *s;
	size_t n = 0;

	g->src = src;
	for (s = sess_next(src->sm, NULL); s != NULL; s = sess_next(src->sm, s))
		n++;
	g->n = 0;
	if ((g->p = calloc(n ? n : 1, sizeof(*g->p))) == NULL)
		return -1;
	for (s = sess_next(src->sm, NULL); s != NULL && g->n < n;
	    s = sess_next(src->sm, s)) {
		q = &g->p[g->n++];
		q->c = sess_conf(s);
		q->ctx = q->c->ctx;
		addr_ntop(&q->c->remote, q->peer, sizeof(q->peer));
		mx_ctx_split(q->ctx, q->circuit, sizeof(q->circuit),
		    q->peering, sizeof(q->peering));
		sess_info(s, &q->i);
		if (q->i.rib_peer != NULL)
			rib_peer_stats(q->i.rib_peer, &q->st);
	}
	return 0;
}

/* GoBGP's session_state values and numbers (gobgp.proto SessionState). */
static const char *const gobgp_state[SESS_STATE_MAX] = {
	[SESS_IDLE] = "IDLE", [SESS_CONNECT] = "CONNECT",
	[SESS_ACTIVE] = "ACTIVE", [SESS_OPENSENT] = "OPENSENT",
	[SESS_OPENCONFIRM] = "OPENCONFIRM", [SESS_ESTABLISHED] = "ESTABLISHED",
};

static const char *
admin_state(const struct mx_peer *q)
{
	if (q->i.admin_down)
		return "DOWN";
	/* held down after Cease/Maximum Number of Prefixes Reached */
	if (q->i.state == SESS_IDLE && q->i.idle_restart &&
	    q->i.last_sent.set && q->i.last_sent.code == BGP_ERR_CEASE &&
	    q->i.last_sent.subcode == BGP_CEASE_MAXPFX)
		return "PFX_CT";
	return "UP";
}

static void
peer_gauges(struct mx *m, const struct mx_snap *g)
{
	const struct mx_peer *q;
	char rid[16];
	size_t k;

	mx_family(m, "bgp_peer_state", MX_GAUGE, "State of the BGP session "
	    "with peer and its administrative state");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, (uint64_t)q->i.state + 1, BGP_L(q), "session_state",
		    gobgp_state[q->i.state], "admin_state", admin_state(q),
		    NULL);
	mx_family(m, "bgp_peer_uptime", MX_GAUGE, "For how long the peer "
	    "has been in its current state (seconds)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_f64(m, (double)(q->i.state == SESS_ESTABLISHED ?
		    q->i.uptime_ms : q->i.last_change_ms) / 1000.0, BGP_L(q),
		    NULL);
	mx_family(m, "bgp_peer_asn", MX_GAUGE, "What is the AS number of the "
	    "peer and its router ID");
	for (k = 0, q = g->p; k < g->n; k++, q++) {
		snprintf(rid, sizeof(rid), "%u.%u.%u.%u", q->i.remote_id >> 24,
		    (q->i.remote_id >> 16) & 0xff, (q->i.remote_id >> 8) & 0xff,
		    q->i.remote_id & 0xff);
		mx_u64(m, q->c->remote_as, BGP_L(q), "router_id", rid, NULL);
	}
	snprintf(rid, sizeof(rid), "%u.%u.%u.%u", g->src->router_id >> 24,
	    (g->src->router_id >> 16) & 0xff, (g->src->router_id >> 8) & 0xff,
	    g->src->router_id & 0xff);
	mx_family(m, "bgp_peer_local_asn", MX_GAUGE, "What is the AS number "
	    "presented to the peer by this router and its ID");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->c->local_as, BGP_L(q), "router_id", rid, NULL);
	mx_family(m, "bgp_peer_flop_count", MX_GAUGE, "Number of flops with "
	    "the peer");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->i.flaps, BGP_L(q), NULL);
	mx_family(m, "bgp_peer_out_queue_count", MX_GAUGE, "Length of the "
	    "outgoing message queue");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->i.outq, BGP_L(q), NULL);
	mx_family(m, "bgp_peer_password_set", MX_GAUGE, "Whether the peer has "
	    "been configured (1) for authentication or not (0)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->c->password[0] != '\0', BGP_L(q), NULL);
	mx_family(m, "bgp_peer_type", MX_GAUGE, "Type of the BGP peer, "
	    "internal (0) or external (1)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->c->remote_as != q->c->local_as, BGP_L(q), NULL);
}

static void
routes(struct mx *m, const struct mx_snap *g)
{
	static const struct {
		const char	*name, *help;
		size_t		 off;
	} tab[] = {
		{ "bgp_routes_received", "Number of routes received from peer",
		    offsetof(struct rib_peer_stats, pfx_rcvd) },
		{ "bgp_routes_accepted", "Number of routes accepted from peer",
		    offsetof(struct rib_peer_stats, pfx_accepted) },
		{ "bgp_routes_advertised", "Number of routes advertised to "
		    "peer", offsetof(struct rib_peer_stats, pfx_sent) },
		{ "xroute_bgp_routes_filtered", "Number of routes from peer "
		    "refused by import policy (kept in Adj-RIB-In)",
		    offsetof(struct rib_peer_stats, pfx_filtered) },
	};
	const struct mx_peer *q;
	const uint32_t *v;
	size_t t, k;
	enum bgp_fam f;

	for (t = 0; t < sizeof(tab) / sizeof(tab[0]); t++) {
		mx_family(m, tab[t].name, MX_GAUGE, tab[t].help);
		for (k = 0, q = g->p; k < g->n; k++, q++) {
			v = (const uint32_t *)(const void *)((const char *)
			    &q->st + tab[t].off);
			for (f = 0; f < BGP_FAM_MAX; f++)
				if (q->c->fams & BGP_FAM_BIT(f))
					mx_u64(m, v[f], BGP_L(q),
					    "route_family", bgp_fam_name(f),
					    NULL);
		}
	}
}

/* bgp_{received,sent}_*_total as GoBGP names them. */
static void
messages(struct mx *m, const struct mx_snap *g)
{
	static const struct {
		const char	*name, *help;
		int		 type;	/* BGP_*, 0 = all, -1 = withdrawn */
		bool		 sent;
	} tab[] = {
#define R(n, t, h) { "bgp_received_" n "_total", \
	"Number of received BGP " h " messages from peer", t, false }
#define S(n, t, h) { "bgp_sent_" n "_total", \
	"Number of sent BGP " h " messages to peer", t, true }
		R("open", BGP_OPEN, "OPEN"), R("update", BGP_UPDATE, "UPDATE"),
		R("notification", BGP_NOTIFICATION, "NOTIFICATION"),
		R("keepalive", BGP_KEEPALIVE, "KEEPALIVE"),
		R("refresh", BGP_ROUTE_REFRESH, "ROUTE-REFRESH"),
		R("message", 0, "(all)"),
		{ "bgp_received_withdraw_prefix_total", "Number of withdrawn "
		    "prefixes received from peer", -1, false },
		S("open", BGP_OPEN, "OPEN"), S("update", BGP_UPDATE, "UPDATE"),
		S("notification", BGP_NOTIFICATION, "NOTIFICATION"),
		S("keepalive", BGP_KEEPALIVE, "KEEPALIVE"),
		S("refresh", BGP_ROUTE_REFRESH, "ROUTE-REFRESH"),
		S("message", 0, "(all)"),
		{ "bgp_sent_withdraw_prefix_total", "Number of withdrawn "
		    "prefixes sent to peer", -1, true },
#undef R
#undef S
	};
	const struct mx_peer *q;
	uint64_t v;
	size_t t, k;

	for (t = 0; t < sizeof(tab) / sizeof(tab[0]); t++) {
		mx_family(m, tab[t].name, MX_COUNTER, tab[t].help);
		for (k = 0, q = g->p; k < g->n; k++, q++) {
			if (tab[t].type == -1)
				v = tab[t].sent ? q->st.withdraws_out :
				    q->st.withdraws_in;
			else
				v = tab[t].sent ? q->i.msg_out[tab[t].type] :
				    q->i.msg_in[tab[t].type];
			mx_u64(m, v, BGP_L(q), NULL);
		}
	}
}

static void
notif_family(struct mx *m, const struct mx_snap *g, bool sent)
{
	const struct mx_peer *q;
	char code[4], sub[4], name[128];
	unsigned c, s;
	uint32_t v;
	size_t k;

	mx_family(m, sent ? "xroute_bgp_notifications_sent_total" :
	    "xroute_bgp_notifications_received_total", MX_COUNTER, sent ?
	    "NOTIFICATION messages sent to peer, by error code and subcode" :
	    "NOTIFICATION messages received from peer, by error code and "
	    "subcode");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		for (c = 0; c < SESS_NOTIF_CODES; c++)
			for (s = 0; s < SESS_NOTIF_SUBCODES; s++) {
				v = sent ? q->i.notif_out[c][s] :
				    q->i.notif_in[c][s];
				if (v == 0)
					continue;
				snprintf(code, sizeof(code), "%u", c);
				snprintf(sub, sizeof(sub), "%u", s);
				snprintf(name, sizeof(name), "%s/%s",
				    bgp_err_code_name((uint8_t)c),
				    bgp_err_subcode_name((uint8_t)c,
				    (uint8_t)s));
				mx_u64(m, v, XR_L(g, q), "code", code,
				    "subcode", sub, "error", name, NULL);
			}
}

struct reason_arg {
	struct mx		*m;
	const struct mx_snap	*g;
	const struct mx_peer	*q;
};

static void
reason_cb(void *arg, const char *reason, uint32_t n)
{
	struct reason_arg *a = arg;

	mx_u64(a->m, n, XR_L(a->g, a->q), "reason", reason, NULL);
}

static void
peer_xroute(struct mx *m, const struct mx_snap *g)
{
	struct reason_arg ra = { .m = m, .g = g };
	const struct mx_peer *q;
	size_t k;

	mx_family(m, "xroute_bgp_session_up", MX_GAUGE, "1 when the BGP "
	    "session is Established");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->i.state == SESS_ESTABLISHED, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_session_uptime_seconds", MX_GAUGE,
	    "Seconds since the session reached Established (0 when down)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_f64(m, (double)q->i.uptime_ms / 1000.0, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_session_established_total", MX_COUNTER,
	    "Times the session reached Established");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->i.established, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_prefix_limit_events_total", MX_COUNTER,
	    "Sessions closed with Cease/Maximum Number of Prefixes Reached");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->i.maxpfx_events, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_treat_as_withdraw_total", MX_COUNTER,
	    "UPDATEs whose routes were treated as withdrawn (RFC 7606)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->st.treat_as_withdraw, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_attribute_discard_total", MX_COUNTER,
	    "UPDATEs with an attribute discarded (RFC 7606)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		mx_u64(m, q->st.attr_discard, XR_L(g, q), NULL);
	mx_family(m, "xroute_bgp_filtered_routes", MX_GAUGE, "Routes in "
	    "Adj-RIB-In not used, by reason (policy, AS loop, RFC 7606 ...)");
	for (k = 0, q = g->p; k < g->n; k++, q++) {
		ra.q = q;
		if (q->i.rib_peer != NULL)
			rib_peer_filtered(q->i.rib_peer, reason_cb, &ra);
	}
	notif_family(m, g, true);
	notif_family(m, g, false);
}

static void
prefix_limits(struct mx *m, const struct mx_snap *g)
{
	const struct mx_peer *q;
	enum bgp_fam f;
	size_t k;

	mx_family(m, "xroute_bgp_prefix_limit", MX_GAUGE, "Configured "
	    "maximum of prefixes per family (absent: no limit)");
	for (k = 0, q = g->p; k < g->n; k++, q++)
		for (f = 0; f < BGP_FAM_MAX; f++)
			if (q->c->max_prefix[f] != 0)
				mx_u64(m, q->c->max_prefix[f], XR_L(g, q),
				    "route_family", bgp_fam_name(f), NULL);
}

static void
rib_sizes(struct mx *m, const struct mx_bgp_src *src)
{
	struct rib_ctx_stats cs;
	struct rib_ctx *rc;
	enum bgp_fam f;

	mx_family(m, "xroute_rib_prefixes", MX_GAUGE, "Prefixes in the "
	    "Loc-RIB of a routing context");
	for (rc = NULL; (rc = rib_ctx_next(src->rib, rc)) != NULL;) {
		rib_ctx_stats(rc, &cs);
		for (f = 0; f < BGP_FAM_MAX; f++)
			mx_u64(m, cs.prefixes[f], "context", rib_ctx_name(rc),
			    "route_family", bgp_fam_name(f), NULL);
	}
	mx_family(m, "xroute_rib_paths", MX_GAUGE, "Paths (all peers, "
	    "filtered included) in a routing context");
	for (rc = NULL; (rc = rib_ctx_next(src->rib, rc)) != NULL;) {
		rib_ctx_stats(rc, &cs);
		mx_u64(m, cs.paths, "context", rib_ctx_name(rc), NULL);
	}
	mx_family(m, "xroute_rib_memory_bytes", MX_GAUGE, "Estimated memory "
	    "of a routing context");
	for (rc = NULL; (rc = rib_ctx_next(src->rib, rc)) != NULL;) {
		rib_ctx_stats(rc, &cs);
		mx_u64(m, cs.mem_bytes, "context", rib_ctx_name(rc), NULL);
	}
}

static void
bfd_sessions(struct mx *m, const struct mx_bgp_src *src)
{
	struct bfd_session_info bi;
	struct bfd_session *b;
	char peer[ADDR_STRLEN], local[ADDR_STRLEN];
	int pass;

	static const char *const names[] = { "xroute_bfd_session_state",
	    "xroute_bfd_session_flaps_total", "xroute_bfd_session_up" };
	static const char *const helps[] = { "BFD session state (RFC 5880: "
	    "0 AdminDown, 1 Down, 2 Init, 3 Up)", "Times the BFD session "
	    "left Up", "1 when the BFD session is Up" };

	if (src->bfd == NULL)
		return;
	for (pass = 0; pass < 3; pass++) {
		mx_family(m, names[pass], pass == 1 ? MX_COUNTER : MX_GAUGE,
		    helps[pass]);
		for (b = NULL; (b = bfd_session_next(src->bfd, b)) != NULL;) {
			bfd_session_info(b, &bi);
			addr_ntop(&bi.peer, peer, sizeof(peer));
			addr_ntop(&bi.local, local, sizeof(local));
			mx_u64(m, pass == 0 ? bi.state : pass == 1 ?
			    bi.down_count : bi.state == BFD_STATE_UP, "peer",
			    peer, "local", local, "interface", bi.ifname,
			    NULL);
		}
	}
}

static void
interfaces(struct mx *m, const struct mx_bgp_src *src)
{
	struct fib_link_stats ls[16];
	bool ok[16];
	size_t i, n = src->nifnames < 16 ? src->nifnames : 16;

	for (i = 0; i < n; i++)
		ok[i] = fib_link_stats(src->ifnames[i], &ls[i]) == 0;
	mx_family(m, "xroute_interface_receive_bytes_total", MX_COUNTER,
	    "Bytes received on an interface of a peering");
	for (i = 0; i < n; i++)
		if (ok[i])
			mx_u64(m, ls[i].rx_bytes, "interface",
			    src->ifnames[i], NULL);
	mx_family(m, "xroute_interface_transmit_bytes_total", MX_COUNTER,
	    "Bytes sent on an interface of a peering");
	for (i = 0; i < n; i++)
		if (ok[i])
			mx_u64(m, ls[i].tx_bytes, "interface",
			    src->ifnames[i], NULL);
}

static void
info(struct mx *m, const struct mx_bgp_src *src)
{
	char rid[16], as[12];

	snprintf(rid, sizeof(rid), "%u.%u.%u.%u", src->router_id >> 24,
	    (src->router_id >> 16) & 0xff, (src->router_id >> 8) & 0xff,
	    src->router_id & 0xff);
	snprintf(as, sizeof(as), "%u", src->local_as);
	mx_family(m, "xroute_info", MX_GAUGE, "xrouted build and role "
	    "(value 1)");
	mx_u64(m, 1, "version", src->version, "role", src->role, "path",
	    src->path, "router_id", rid, "local_as", as, NULL);
	mx_family(m, "xroute_bgp_refused_connections_total", MX_COUNTER,
	    "TCP connections closed at accept: not from a configured "
	    "neighbour");
	mx_u64(m, sess_mgr_refused(src->sm), NULL);
}

int
mx_bgp_collect(struct mx *m, const struct mx_bgp_src *src)
{
	struct mx_snap g;

	if (snap_take(&g, src) == -1)
		return -1;
	info(m, src);
	peer_gauges(m, &g);
	routes(m, &g);
	messages(m, &g);
	peer_xroute(m, &g);
	prefix_limits(m, &g);
	free(g.p);
	rib_sizes(m, src);
	bfd_sessions(m, src);
	interfaces(m, src);
	mx_process(m);
	return m->err ? -1 : 0;
}
