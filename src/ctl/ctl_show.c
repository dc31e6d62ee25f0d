/*
 * The data behind "show bgp summary", "show neighbor" and "show route",
 * as JSON (jansson) objects. Nothing here formats for humans beyond value
 * strings other tools print the same way (prefixes, AS paths, communities
 * "65000:1", large "1:2:3", extended "rt:65000:1"); ctl_text.c renders.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl.h"
#include "wire/bfd.h"
#include "session/sess.h"

static json_t *
jstr_addr(const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (a->af == 0)
		return json_string("");
	return json_string(addr_ntop(a, buf, sizeof(buf)));
}

static json_t *
jstr_id(uint32_t id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u.%u.%u.%u", id >> 24, (id >> 16) & 0xff,
	    (id >> 8) & 0xff, id & 0xff);
	return json_string(buf);
}

static json_t *
jtime_ms(int64_t wall_ms)
{
	char buf[40];
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static uint32_t
sum_fams(const uint32_t *v)
{
	uint32_t n = 0;
	int f;

	for (f = 0; f < BGP_FAM_MAX; f++)
		n += v[f];
	return n;
}

/* --- show bgp summary ------------------------------------------------------ */

static json_t *
summary_peer(struct sess *s)
{
	const struct sess_conf *c = sess_conf(s);
	struct rib_peer_stats st;
	struct sess_info i;
	char ud[32];
	json_t *p;

	sess_info(s, &i);
	memset(&st, 0, sizeof(st));
	rib_peer_stats(i.rib_peer, &st);
	if (i.ever_up)
		ctl_fmt_updown(i.last_change_ms, ud, sizeof(ud));
	else
		snprintf(ud, sizeof(ud), "never");
	p = json_object();
	json_object_set_new(p, "remoteAs", json_integer(c->remote_as));
	json_object_set_new(p, "localAs", json_integer(c->local_as));
	json_object_set_new(p, "version", json_integer(4));
	json_object_set_new(p, "msgRcvd", json_integer((json_int_t)i.msg_in[0]));
	json_object_set_new(p, "msgSent",
	    json_integer((json_int_t)i.msg_out[0]));
	json_object_set_new(p, "inq", json_integer(i.inq));
	json_object_set_new(p, "outq", json_integer(i.outq));
	json_object_set_new(p, "peerUptimeMsec",
	    json_integer((json_int_t)i.last_change_ms));
	json_object_set_new(p, "upDown", json_string(ud));
	json_object_set_new(p, "state", json_string(sess_state_name(i.state)));
	json_object_set_new(p, "adminDown", json_boolean(i.admin_down));
	json_object_set_new(p, "pfxRcd",
	    json_integer(sum_fams(st.pfx_accepted)));
	json_object_set_new(p, "pfxSnt", json_integer(sum_fams(st.pfx_sent)));
	json_object_set_new(p, "description", json_string(c->descr));
	json_object_set_new(p, "bfdState", i.bfd ?
	    json_string(bfd_state_name(i.bfd_state)) : json_null());
	return p;
}

json_t *
ctl_show_summary(struct ctl_env *env)
{
	json_t *top = json_object(), *ctxs = json_object(), *cj, *peers;
	struct rib_ctx_stats cs;
	struct rib_ctx *rc = NULL;
	struct sess *s;
	char a[ADDR_STRLEN];
	uint32_t las;

	json_object_set_new(top, "schemaVersion",
	    json_integer(CTL_SCHEMA_VERSION));
	json_object_set_new(top, "routerId", jstr_id(env->router_id));
	json_object_set_new(top, "localAs", json_integer(env->local_as));
	json_object_set_new(top, "refusedConnections", json_integer(
	    (json_int_t)sess_mgr_refused(env->sm)));
	while ((rc = rib_ctx_next(env->rib, rc)) != NULL) {
		cj = json_object();
		peers = json_object();
		memset(&cs, 0, sizeof(cs));
		rib_ctx_stats(rc, &cs);
		las = env->local_as;
		for (s = sess_next(env->sm, NULL); s != NULL;
		    s = sess_next(env->sm, s)) {
			if (strcmp(sess_conf(s)->ctx, rib_ctx_name(rc)) != 0)
				continue;
			las = sess_conf(s)->local_as;
			json_object_set_new(peers, addr_ntop(&sess_conf(s)->remote,
			    a, sizeof(a)), summary_peer(s));
		}
		json_object_set_new(cj, "localAs", json_integer(las));
		json_object_set_new(cj, "ribEntries", json_integer((json_int_t)
		    (cs.prefixes[BGP_FAM_V4U] + cs.prefixes[BGP_FAM_V6U])));
		json_object_set_new(cj, "paths", json_integer((json_int_t)
		    cs.paths));
		json_object_set_new(cj, "peerCount",
		    json_integer((json_int_t)json_object_size(peers)));
		json_object_set_new(cj, "peers", peers);
		json_object_set_new(ctxs, rib_ctx_name(rc), cj);
	}
	json_object_set_new(top, "contexts", ctxs);
	return top;
}

/* --- show neighbor --------------------------------------------------------- */

static json_t *
caps_json(const struct bgp_caps *c)
{
	json_t *o = json_object(), *fams = json_array();
	enum bgp_fam f;

	for (f = 0; f < BGP_FAM_MAX; f++)
		if (c->fams & BGP_FAM_BIT(f))
			json_array_append_new(fams, json_string(bgp_fam_name(f)));
	json_object_set_new(o, "multiprotocol", fams);
	json_object_set_new(o, "as4", json_boolean(c->as4));
	json_object_set_new(o, "routeRefresh", json_boolean(c->route_refresh));
	json_object_set_new(o, "enhancedRouteRefresh",
	    json_boolean(c->enhanced_rr));
	json_object_set_new(o, "extendedMessage", json_boolean(c->ext_msg));
	json_object_set_new(o, "gracefulRestart", json_boolean(c->gr));
	if (c->gr) {
		json_object_set_new(o, "gracefulRestartTime",
		    json_integer(c->gr_flags_time & 0x0fff));
		json_object_set_new(o, "gracefulRestartFlags",
		    json_integer(c->gr_flags_time >> 12));
	}
	return o;
}

static json_t *
msgs_json(const uint64_t *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "opens", json_integer((json_int_t)m[BGP_OPEN]));
	json_object_set_new(o, "updates",
	    json_integer((json_int_t)m[BGP_UPDATE]));
	json_object_set_new(o, "notifications",
	    json_integer((json_int_t)m[BGP_NOTIFICATION]));
	json_object_set_new(o, "keepalives",
	    json_integer((json_int_t)m[BGP_KEEPALIVE]));
	json_object_set_new(o, "routeRefreshes",
	    json_integer((json_int_t)m[BGP_ROUTE_REFRESH]));
	json_object_set_new(o, "total", json_integer((json_int_t)m[0]));
	return o;
}

static json_t *
err_json(const struct sess_err_rec *e)
{
	json_t *o;

	if (!e->set)
		return json_null();
	o = json_object();
	json_object_set_new(o, "code", json_integer(e->code));
	json_object_set_new(o, "subcode", json_integer(e->subcode));
	json_object_set_new(o, "codeName",
	    json_string(bgp_err_code_name(e->code)));
	json_object_set_new(o, "subcodeName",
	    json_string(bgp_err_subcode_name(e->code, e->subcode)));
	json_object_set_new(o, "message", json_string(e->text));
	json_object_set_new(o, "time", jtime_ms(e->wall_ms));
	return o;
}

static json_t *
prefixes_json(const struct sess_conf *c, const struct rib_peer_stats *st)
{
	json_t *o = json_object(), *f1;
	enum bgp_fam f;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		f1 = json_object();
		json_object_set_new(f1, "received", json_integer(st->pfx_rcvd[f]));
		json_object_set_new(f1, "accepted",
		    json_integer(st->pfx_accepted[f]));
		json_object_set_new(f1, "filtered",
		    json_integer(st->pfx_filtered[f]));
		json_object_set_new(f1, "sent", json_integer(st->pfx_sent[f]));
		json_object_set_new(f1, "limit", json_integer(c->max_prefix[f]));
		json_object_set_new(o, bgp_fam_name(f), f1);
	}
	return o;
}

/* The NOTIFICATION behind a history entry, or null. */
static json_t *
hist_notif_json(const struct sess_hist *h)
{
	json_t *o;

	if (!h->notif)
		return json_null();
	o = json_object();
	json_object_set_new(o, "direction", json_string(h->notif_sent ?
	    "sent" : "received"));
	json_object_set_new(o, "code", json_integer(h->code));
	json_object_set_new(o, "subcode", json_integer(h->subcode));
	json_object_set_new(o, "codeName",
	    json_string(bgp_err_code_name(h->code)));
	json_object_set_new(o, "subcodeName",
	    json_string(bgp_err_subcode_name(h->code, h->subcode)));
	json_object_set_new(o, "message", json_string(h->text));
	return o;
}

static void
reason_add(void *arg, const char *reason, uint32_t n)
{
	json_object_set_new(arg, reason, json_integer(n));
}

/* {"AS loop": 1, ...}: filtered paths in Adj-RIB-In by reason. */
static json_t *
filtered_json(const struct rib_peer *rp)
{
	json_t *o = json_object();

	if (rp != NULL)
		rib_peer_filtered(rp, reason_add, o);
	return o;
}

static json_t *
history_json(const struct sess_info *i)
{
	json_t *a = json_array(), *h;
	size_t k;

	for (k = 0; k < i->nhist; k++) {
		h = json_object();
		json_object_set_new(h, "time", jtime_ms(i->hist[k].wall_ms));
		json_object_set_new(h, "from",
		    json_string(sess_state_name(i->hist[k].from)));
		json_object_set_new(h, "to",
		    json_string(sess_state_name(i->hist[k].to)));
		json_object_set_new(h, "event",
		    json_string(sess_event_name(i->hist[k].event)));
		json_object_set_new(h, "reason", json_string(i->hist[k].reason));
		json_object_set_new(h, "notification", hist_notif_json(
		    &i->hist[k]));
		json_object_set_new(h, "count", json_integer(i->hist[k].count));
		json_object_set_new(h, "lastTime", jtime_ms(
		    i->hist[k].last_ms));
		json_array_append_new(a, h);
	}
	return a;
}

static json_t *
timers_json(const struct sess_conf *c, const struct sess_info *i)
{
	json_t *o = json_object();

	json_object_set_new(o, "holdTime", json_integer(i->hold));
	json_object_set_new(o, "keepalive", json_integer(i->keepalive));
	json_object_set_new(o, "peerHoldTime", json_integer(i->peer_hold));
	json_object_set_new(o, "configuredHoldTime", json_integer(c->hold));
	json_object_set_new(o, "configuredKeepalive",
	    json_integer(c->keepalive ? c->keepalive : c->hold / 3));
	json_object_set_new(o, "connectRetry", json_integer(c->connect_retry));
	json_object_set_new(o, "maxPrefixRestart",
	    json_integer(c->max_prefix_restart));
	if (i->idle_restart)
		json_object_set_new(o, "restartInMsec",
		    json_integer((json_int_t)i->idle_restart_ms));
	return o;
}

/* BFD on the session, or null when the neighbour has none. */
static json_t *
bfd_json(const struct sess_conf *c, const struct sess_info *i)
{
	json_t *o;

	if (!i->bfd)
		return json_null();
	o = json_object();
	json_object_set_new(o, "state", json_string(bfd_state_name(
	    i->bfd_state)));
	json_object_set_new(o, "remoteState", json_string(bfd_state_name(
	    i->bfd_remote_state)));
	json_object_set_new(o, "lastDownDiag", json_string(bfd_diag_name(
	    i->bfd_diag)));
	json_object_set_new(o, "configuredIntervalMs",
	    json_integer(c->bfd_interval_ms));
	json_object_set_new(o, "multiplier", json_integer(c->bfd_mult));
	json_object_set_new(o, "txIntervalMs", json_integer(i->bfd_tx_ms));
	json_object_set_new(o, "rxIntervalMs", json_integer(i->bfd_rx_ms));
	json_object_set_new(o, "detectTimeMs",
	    json_integer((json_int_t)i->bfd_detect_ms));
	json_object_set_new(o, "holdingBgpDown", json_boolean(i->bfd_block));
	json_object_set_new(o, "strict", json_boolean(c->bfd_strict));
	return o;
}

static json_t *
neighbor_json(struct sess *s)
{
	const struct sess_conf *c = sess_conf(s);
	struct rib_peer_stats st;
	struct sess_info i;
	json_t *o = json_object(), *caps;

	sess_info(s, &i);
	memset(&st, 0, sizeof(st));
	rib_peer_stats(i.rib_peer, &st);
	json_object_set_new(o, "address", jstr_addr(&c->remote));
	json_object_set_new(o, "context", json_string(c->ctx));
	json_object_set_new(o, "remoteAs", json_integer(c->remote_as));
	json_object_set_new(o, "localAs", json_integer(c->local_as));
	json_object_set_new(o, "ebgp", json_boolean(c->remote_as !=
	    c->local_as));
	json_object_set_new(o, "description", json_string(c->descr));
	json_object_set_new(o, "state", json_string(sess_state_name(i.state)));
	json_object_set_new(o, "adminDown", json_boolean(i.admin_down));
	json_object_set_new(o, "shutdownMessage", json_string(i.admin_msg));
	json_object_set_new(o, "uptimeMsec", json_integer((json_int_t)
	    i.uptime_ms));
	json_object_set_new(o, "lastChangeMsec", json_integer((json_int_t)
	    i.last_change_ms));
	json_object_set_new(o, "flaps", json_integer(i.flaps));
	json_object_set_new(o, "lastDownReason", json_string(i.last_reason));
	json_object_set_new(o, "remoteRouterId", i.open_rcvd ?
	    jstr_id(i.remote_id) : json_string(""));
	json_object_set_new(o, "localAddress", jstr_addr(&i.local_addr));
	json_object_set_new(o, "localPort", json_integer(i.local_port));
	json_object_set_new(o, "remotePort", json_integer(i.remote_port));
	json_object_set_new(o, "configuredLocalAddress", jstr_addr(&c->local));
	json_object_set_new(o, "passive", json_boolean(c->passive));
	json_object_set_new(o, "md5", json_boolean(c->password[0] != '\0'));
	json_object_set_new(o, "ttlSecurity", json_boolean(c->gtsm));
	json_object_set_new(o, "timers", timers_json(c, &i));
	json_object_set_new(o, "bfd", bfd_json(c, &i));
	caps = json_object();
	json_object_set_new(caps, "advertised", caps_json(&i.caps_sent));
	json_object_set_new(caps, "received", i.open_rcvd ?
	    caps_json(&i.caps_rcvd) : json_null());
	if (i.open_rcvd) {
		struct bgp_caps neg = { .fams = i.fams, .as4 = i.as4,
		    .route_refresh = i.route_refresh, .ext_msg = i.ext_msg };
		json_object_set_new(caps, "negotiated", caps_json(&neg));
	} else
		json_object_set_new(caps, "negotiated", json_null());
	json_object_set_new(o, "capabilities", caps);
	json_object_set_new(o, "messagesSent", msgs_json(i.msg_out));
	json_object_set_new(o, "messagesReceived", msgs_json(i.msg_in));
	json_object_set_new(o, "inq", json_integer(i.inq));
	json_object_set_new(o, "outq", json_integer(i.outq));
	json_object_set_new(o, "prefixes", prefixes_json(c, &st));
	json_object_set_new(o, "filteredReasons", filtered_json(i.rib_peer));
	json_object_set_new(o, "establishedCount",
	    json_integer(i.established));
	json_object_set_new(o, "prefixLimitEvents",
	    json_integer(i.maxpfx_events));
	json_object_set_new(o, "lastErrorSent", err_json(&i.last_sent));
	json_object_set_new(o, "lastErrorReceived", err_json(&i.last_rcvd));
	json_object_set_new(o, "history", history_json(&i));
	return o;
}

json_t *
ctl_show_neighbors(struct ctl_env *env, const struct ctl_req *r, char *err,
    size_t errlen)
{
	json_t *top = json_object(), *arr = json_array();
	struct sess *s;
	char a[ADDR_STRLEN];

	for (s = sess_next(env->sm, NULL); s != NULL; s = sess_next(env->sm, s)) {
		if (r->has_nbr && addr_cmp(&sess_conf(s)->remote, &r->nbr) != 0)
			continue;
		json_array_append_new(arr, neighbor_json(s));
	}
	if (r->has_nbr && json_array_size(arr) == 0) {
		snprintf(err, errlen, "no neighbor %s is configured",
		    addr_ntop(&r->nbr, a, sizeof(a)));
		json_decref(arr);
		json_decref(top);
		return NULL;
	}
	json_object_set_new(top, "schemaVersion",
	    json_integer(CTL_SCHEMA_VERSION));
	json_object_set_new(top, "neighbors", arr);
	return top;
}
