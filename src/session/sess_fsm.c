/*
 * The BGP finite state machine (RFC 4271 section 8.2.2) as one table,
 * [state][event] -> {action, next state}, with the RFC's "any other event"
 * rows as per-state defaults: ignored in Idle, back to Idle in Connect and
 * Active, and an FSM Error NOTIFICATION (with the RFC 6608 subcode) once an
 * OPEN has been sent.
 *
 * Actions do the work of a transition; sess_set_state() does what every
 * entry to a state needs (RIB up/down, timers, closing connections,
 * choosing when to restart), so the table stays declarative.
 *
 * Departures from the RFC text, on purpose:
 *  - a failed outgoing connection in Connect goes to Active and waits for
 *    ConnectRetry, as OpenBGPD and BIRD do, instead of through Idle;
 *  - 'passive' neighbours never connect out (no ConnectRetry in Active);
 *  - automatic restarts after errors wait for an idle hold time that
 *    doubles up to SESS_IDLE_HOLD_MAX_S (peer oscillation damping, 8.1.1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "session/sess_impl.h"

#define E(a, n)	{ .action = SACT_##a, .next = SESS_##n }

static const struct sess_fsm_entry fsm_table[SESS_STATE_MAX][SEV_EVENT_MAX] = {
	[SESS_IDLE] = {
		[SEV_START] =		E(CONNECT, CONNECT),
		[SEV_START_PASSIVE] =	E(LISTEN, ACTIVE),
		[SEV_TCP_ACCEPTED] =	E(REJECT, IDLE),
	},
	[SESS_CONNECT] = {
		[SEV_START] =		E(NONE, CONNECT),
		[SEV_START_PASSIVE] =	E(NONE, CONNECT),
		[SEV_STOP] =		E(CLOSE, IDLE),
		[SEV_CONNRETRY_EXP] =	E(RECONNECT, CONNECT),
		[SEV_TCP_CONNECTED] =	E(OPEN_SEND, OPENSENT),
		[SEV_TCP_ACCEPTED] =	E(ADOPT_OPEN_SEND, OPENSENT),
		[SEV_TCP_FAIL] =	E(CONN_FAILED, ACTIVE),
		[SEV_RESET] =		E(CEASE_RESET, IDLE),
	},
	[SESS_ACTIVE] = {
		[SEV_START] =		E(NONE, ACTIVE),
		[SEV_START_PASSIVE] =	E(NONE, ACTIVE),
		[SEV_STOP] =		E(CLOSE, IDLE),
		[SEV_CONNRETRY_EXP] =	E(CONNECT, CONNECT),
		[SEV_TCP_ACCEPTED] =	E(ADOPT_OPEN_SEND, OPENSENT),
		[SEV_RESET] =		E(CEASE_RESET, IDLE),
	},
	[SESS_OPENSENT] = {
		[SEV_START] =		E(NONE, OPENSENT),
		[SEV_START_PASSIVE] =	E(NONE, OPENSENT),
		[SEV_STOP] =		E(CEASE_ADMIN, IDLE),
		[SEV_HOLD_EXP] =	E(HOLD_EXPIRED, IDLE),
		[SEV_TCP_ACCEPTED] =	E(COLLISION_HOLD, OPENSENT),
		[SEV_TCP_FAIL] =	E(CONN_FAILED, ACTIVE),
		[SEV_OPEN] =		E(OPEN_ACCEPT, OPENCONFIRM),
		[SEV_OPEN_ERR] =	E(NOTIFY_ERR, IDLE),
		[SEV_HDR_ERR] =		E(NOTIFY_ERR, IDLE),
		[SEV_NOTIF] =		E(NOTIF_RCVD, IDLE),
		[SEV_COLLISION_DUMP] =	E(COLLISION_SWAP, OPENSENT),
		[SEV_RESET] =		E(CEASE_RESET, IDLE),
	},
	[SESS_OPENCONFIRM] = {
		[SEV_START] =		E(NONE, OPENCONFIRM),
		[SEV_START_PASSIVE] =	E(NONE, OPENCONFIRM),
		[SEV_STOP] =		E(CEASE_ADMIN, IDLE),
		[SEV_HOLD_EXP] =	E(HOLD_EXPIRED, IDLE),
		[SEV_KEEPALIVE_EXP] =	E(KEEPALIVE_SEND, OPENCONFIRM),
		[SEV_TCP_ACCEPTED] =	E(COLLISION_HOLD, OPENCONFIRM),
		[SEV_TCP_FAIL] =	E(CLOSE_RESTART, IDLE),
		[SEV_OPEN_ERR] =	E(NOTIFY_ERR, IDLE),
		[SEV_HDR_ERR] =		E(NOTIFY_ERR, IDLE),
		[SEV_NOTIF] =		E(NOTIF_RCVD, IDLE),
		[SEV_KEEPALIVE_MSG] =	E(ESTABLISH, ESTABLISHED),
		[SEV_COLLISION_DUMP] =	E(COLLISION_SWAP, OPENSENT),
		[SEV_RESET] =		E(CEASE_RESET, IDLE),
	},
	[SESS_ESTABLISHED] = {
		[SEV_START] =		E(NONE, ESTABLISHED),
		[SEV_START_PASSIVE] =	E(NONE, ESTABLISHED),
		[SEV_STOP] =		E(CEASE_ADMIN, IDLE),
		[SEV_HOLD_EXP] =	E(HOLD_EXPIRED, IDLE),
		[SEV_KEEPALIVE_EXP] =	E(KEEPALIVE_SEND, ESTABLISHED),
		[SEV_TCP_ACCEPTED] =	E(REJECT_COLLISION, ESTABLISHED),
		[SEV_TCP_FAIL] =	E(CLOSE_RESTART, IDLE),
		[SEV_HDR_ERR] =		E(NOTIFY_ERR, IDLE),
		[SEV_NOTIF] =		E(NOTIF_RCVD, IDLE),
		[SEV_KEEPALIVE_MSG] =	E(NONE, ESTABLISHED),
		[SEV_UPDATE_MSG] =	E(UPDATE, ESTABLISHED),
		[SEV_UPDATE_ERR] =	E(NOTIFY_ERR, IDLE),
		[SEV_RREFRESH_MSG] =	E(REFRESH, ESTABLISHED),
		[SEV_MAXPFX] =		E(CEASE_MAXPFX, IDLE),
		[SEV_RESET] =		E(CEASE_RESET, IDLE),
	},
};

/* "Any other event" per state. */
static const struct sess_fsm_entry fsm_default[SESS_STATE_MAX] = {
	[SESS_IDLE] =		E(NONE, IDLE),
	[SESS_CONNECT] =	E(DROP, IDLE),
	[SESS_ACTIVE] =		E(DROP, IDLE),
	[SESS_OPENSENT] =	E(FSM_ERR, IDLE),
	[SESS_OPENCONFIRM] =	E(FSM_ERR, IDLE),
	[SESS_ESTABLISHED] =	E(FSM_ERR, IDLE),
};
#undef E

struct sess_fsm_entry
sess_fsm_lookup(enum sess_state st, enum sess_event ev)
{
	struct sess_fsm_entry e;

	XR_ASSERT(st < SESS_STATE_MAX && ev < SEV_EVENT_MAX);
	e = fsm_table[st][ev];
	if (e.action == SACT_DEFAULT)
		e = fsm_default[st];
	return e;
}

static const char *const state_names[SESS_STATE_MAX] = {
	[SESS_IDLE] = "Idle", [SESS_CONNECT] = "Connect",
	[SESS_ACTIVE] = "Active", [SESS_OPENSENT] = "OpenSent",
	[SESS_OPENCONFIRM] = "OpenConfirm", [SESS_ESTABLISHED] = "Established",
};

static const char *const event_names[SEV_EVENT_MAX] = {
	[SEV_START] = "Start", [SEV_START_PASSIVE] = "StartPassive",
	[SEV_STOP] = "Stop", [SEV_CONNRETRY_EXP] = "ConnectRetryTimerExpires",
	[SEV_HOLD_EXP] = "HoldTimerExpires",
	[SEV_KEEPALIVE_EXP] = "KeepaliveTimerExpires",
	[SEV_TCP_CONNECTED] = "TcpConnected",
	[SEV_TCP_ACCEPTED] = "TcpAccepted", [SEV_TCP_FAIL] = "TcpFails",
	[SEV_OPEN] = "OpenMsg", [SEV_OPEN_ERR] = "OpenMsgErr",
	[SEV_HDR_ERR] = "MsgErr", [SEV_NOTIF] = "NotifMsg",
	[SEV_KEEPALIVE_MSG] = "KeepaliveMsg", [SEV_UPDATE_MSG] = "UpdateMsg",
	[SEV_UPDATE_ERR] = "UpdateMsgErr",
	[SEV_RREFRESH_MSG] = "RouteRefreshMsg",
	[SEV_COLLISION_DUMP] = "OpenCollisionDump",
	[SEV_MAXPFX] = "MaxPrefixExceeded", [SEV_RESET] = "Reset",
};

static const char *const action_names[SACT_MAX] = {
	[SACT_DEFAULT] = "default", [SACT_NONE] = "none",
	[SACT_CONNECT] = "connect", [SACT_LISTEN] = "listen",
	[SACT_RECONNECT] = "reconnect", [SACT_CONN_FAILED] = "conn-failed",
	[SACT_OPEN_SEND] = "open-send",
	[SACT_ADOPT_OPEN_SEND] = "adopt-open-send", [SACT_REJECT] = "reject",
	[SACT_COLLISION_HOLD] = "collision-hold",
	[SACT_REJECT_COLLISION] = "reject-collision",
	[SACT_COLLISION_SWAP] = "collision-swap",
	[SACT_OPEN_ACCEPT] = "open-accept", [SACT_ESTABLISH] = "establish",
	[SACT_KEEPALIVE_SEND] = "keepalive-send", [SACT_UPDATE] = "update",
	[SACT_REFRESH] = "refresh", [SACT_CLOSE] = "close",
	[SACT_CLOSE_RESTART] = "close-restart", [SACT_DROP] = "drop",
	[SACT_NOTIFY_ERR] = "notify-err", [SACT_NOTIF_RCVD] = "notif-rcvd",
	[SACT_HOLD_EXPIRED] = "hold-expired", [SACT_FSM_ERR] = "fsm-err",
	[SACT_CEASE_ADMIN] = "cease-admin", [SACT_CEASE_RESET] = "cease-reset",
	[SACT_CEASE_MAXPFX] = "cease-maxpfx",
};

const char *
sess_state_name(enum sess_state s)
{
	return s < SESS_STATE_MAX ? state_names[s] : "?";
}

const char *
sess_event_name(enum sess_event e)
{
	return e < SEV_EVENT_MAX ? event_names[e] : "?";
}

const char *
sess_action_name(enum sess_action a)
{
	return a < SACT_MAX ? action_names[a] : "?";
}

void
sess_set_reason(struct sess *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

static void
peer_name(const struct sess *s, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "neighbor %s (%s)",
	    addr_ntop(&s->conf.remote, a, sizeof(a)), s->conf.ctx);
}

/*
 * A NOTIFICATION we sent: the last one, and, when it went on the wire
 * (not on a connection still connecting, or none), the one of this FSM
 * step for its history entry.
 */
static void
sent_record(struct sess *s, uint8_t code, uint8_t subcode, const char *text,
    bool wire)
{
	struct sess_err_rec *r = &s->last_sent;

	r->set = true;
	r->code = code;
	r->subcode = subcode;
	snprintf(r->text, sizeof(r->text), "%s", text ? text : "");
	r->wall_ms = wall_sec() * 1000;
	if (!wire)
		return;
	s->step_notif = *r;
	s->step_notif_sent = true;
}

/* --- sending an error and closing -------------------------------------- */

void
sess_send_err(struct sess *s, struct sess_conn *c, const struct bgp_err *err)
{
	char who[128];

	peer_name(s, who, sizeof(who));
	log_warn("%s: sending NOTIFICATION %u/%u (%s, %s)", who, err->code,
	    err->subcode, bgp_err_code_name(err->code),
	    bgp_err_subcode_name(err->code, err->subcode));
	sent_record(s, err->code, err->subcode, NULL,
	    c != NULL && !c->connecting);
	sess_set_reason(s, "sent %s/%s", bgp_err_code_name(err->code),
	    bgp_err_subcode_name(err->code, err->subcode));
	if (c != NULL && !c->connecting) {
		sess_conn_send_notification(c, err);
		sess_conn_close_flush(c);
	} else if (c != NULL)
		sess_conn_close(c);
}

/* Cease with an RFC 8203 message on the FSM's connection, then close. */
static void
send_cease(struct sess *s, uint8_t subcode, const char *msg)
{
	struct sess_conn *c = s->conn;
	char who[128];

	peer_name(s, who, sizeof(who));
	log_info("%s: sending Cease/%s%s%s%s", who,
	    bgp_err_subcode_name(BGP_ERR_CEASE, subcode),
	    msg && *msg ? " \"" : "", msg ? msg : "", msg && *msg ? "\"" : "");
	sent_record(s, BGP_ERR_CEASE, subcode, msg,
	    c != NULL && !c->connecting);
	sess_set_reason(s, "sent Cease/%s",
	    bgp_err_subcode_name(BGP_ERR_CEASE, subcode));
	s->conn = NULL;
	if (c == NULL)
		return;
	if (c->connecting) {
		sess_conn_close(c);
		return;
	}
	sess_conn_send_shutdown(c, subcode, msg);
	sess_conn_close_flush(c);
}

static void
close_conns(struct sess *s)
{
	if (s->conn != NULL)
		sess_conn_close(s->conn);
	s->conn = NULL;
	if (s->alt != NULL)
		sess_conn_close(s->alt);
	s->alt = NULL;
}

/* --- timers -------------------------------------------------------------- */

static void
start_connretry(struct sess *s)
{
	uint64_t us = (uint64_t)s->conf.connect_retry * USEC_PER_SEC;

	/* RFC 4271 10: jitter in [0.75, 1.0] of the configured value. */
	us = us * (750 + arc4random_uniform(251)) / 1000;
	ev_timer_start(s->mgr->loop, &s->t_connretry, us);
}

static void
start_hold(struct sess *s, unsigned secs)
{
	if (secs == 0)
		ev_timer_stop(s->mgr->loop, &s->t_hold);
	else
		ev_timer_start(s->mgr->loop, &s->t_hold,
		    (uint64_t)secs * USEC_PER_SEC);
}

static void
start_keepalive(struct sess *s)
{
	if (s->keepalive == 0)
		ev_timer_stop(s->mgr->loop, &s->t_keepalive);
	else
		ev_timer_start(s->mgr->loop, &s->t_keepalive,
		    (uint64_t)s->keepalive * USEC_PER_SEC);
}

/* --- actions --------------------------------------------------------------- */

typedef void	sess_act_fn(struct sess *);

static void
act_none(struct sess *s)
{
}

static void
act_connect(struct sess *s)
{
	if (s->conn != NULL)
		sess_conn_close(s->conn);
	s->conn = NULL;
	start_connretry(s);
	if (sess_sock_connect(s) == -1)
		sess_event(s, SEV_TCP_FAIL);	/* queued: runs after this */
}

static void
act_listen(struct sess *s)
{
	close_conns(s);
}

static void
act_conn_failed(struct sess *s)
{
	if (s->conn != NULL)
		sess_conn_close(s->conn);
	s->conn = NULL;
	s->open_rcvd = false;
	ev_timer_stop(s->mgr->loop, &s->t_hold);
	if (!s->conf.passive && !ev_timer_armed(&s->t_connretry))
		start_connretry(s);
}

static void
send_open(struct sess *s)
{
	struct bgp_open o;

	ev_timer_stop(s->mgr->loop, &s->t_connretry);
	s->open_rcvd = false;
	s->max_msg_in = BGP_MAX_MSG;
	sess_open_build(s, &o);
	s->caps_sent = o.caps;
	sess_conn_watch(s->conn);
	sess_conn_send_open(s->conn, &o);
	start_hold(s, SESS_OPEN_HOLD_S);
}

static void
act_open_send(struct sess *s)
{
	s->conn->connecting = false;
	send_open(s);
}

static void
act_adopt_open_send(struct sess *s)
{
	if (s->conn != NULL)
		sess_conn_close(s->conn);
	s->conn = s->ev_conn;
	s->ev_conn = NULL;
	send_open(s);
}

static void
act_reject(struct sess *s)
{
	sess_conn_close(s->ev_conn);
	s->ev_conn = NULL;
}

static void
act_collision_hold(struct sess *s)
{
	struct sess_conn *c = s->ev_conn;
	struct bgp_open o;

	s->ev_conn = NULL;
	if (s->alt != NULL) {
		/* Two candidates already: the peer is confused; drop this. */
		sess_conn_close(c);
		return;
	}
	s->alt = c;
	sess_open_build(s, &o);
	sess_conn_watch(c);
	sess_conn_send_open(c, &o);
}

static void
act_reject_collision(struct sess *s)
{
	struct bgp_err err = { .code = BGP_ERR_CEASE,
	    .subcode = BGP_CEASE_COLLISION };
	struct sess_conn *c = s->ev_conn;

	s->ev_conn = NULL;
	sess_conn_send_notification(c, &err);
	sess_conn_close_flush(c);
}

static void
act_collision_swap(struct sess *s)
{
	struct bgp_err err = { .code = BGP_ERR_CEASE,
	    .subcode = BGP_CEASE_COLLISION };
	struct sess_conn *old = s->conn;

	if (s->swap_silent)
		sess_conn_close(old);
	else {
		sess_conn_send_notification(old, &err);
		sess_conn_close_flush(old);
		sent_record(s, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL,
		    true);
	}
	s->swap_silent = false;
	s->conn = s->alt;
	s->alt = NULL;
	s->open_rcvd = false;
	ev_timer_stop(s->mgr->loop, &s->t_keepalive);
	start_hold(s, SESS_OPEN_HOLD_S);
}

static void
act_open_accept(struct sess *s)
{
	sess_open_negotiate(s, &s->ev_open);
	sess_conn_send_keepalive(s->conn);
	start_hold(s, s->hold);
	start_keepalive(s);
}

static void
act_establish(struct sess *s)
{
	struct bgp_err err = { .code = BGP_ERR_CEASE,
	    .subcode = BGP_CEASE_COLLISION };

	struct sess_conn *alt = s->alt;

	/* RFC 4271 6.8: a collision with Established closes the other one.
	 * Detach it first: if the peer already closed it, the send fails
	 * and the write-error path would close it (and clear s->alt) under
	 * our feet. */
	if (alt != NULL) {
		s->alt = NULL;
		sess_conn_send_notification(alt, &err);
		sess_conn_close_flush(alt);
	}
	start_hold(s, s->hold);
}

static void
act_keepalive_send(struct sess *s)
{
	sess_conn_send_keepalive(s->conn);
	start_keepalive(s);
}

static void
act_update(struct sess *s)
{
	struct bgp_err err;

	memset(&err, 0, sizeof(err));
	if (rib_peer_update(s->rp, s->ev_body, s->ev_len, &err) == -1) {
		s->err_out = err;
		sess_event(s, SEV_UPDATE_ERR);
	}
}

static void
act_refresh(struct sess *s)
{
	struct bgp_err err;
	enum bgp_fam fam;
	uint8_t subtype;

	int rc;

	memset(&err, 0, sizeof(err));
	rc = bgp_rrefresh_decode(s->ev_body, s->ev_len, &fam, &subtype, &err);
	if (rc == -1) {
		s->err_out = err;
		sess_event(s, SEV_HDR_ERR);
		return;
	}
	/* 1: unknown family or subtype, ignored (RFC 2918 4, RFC 7313 5) */
	if (rc == 0 && subtype == 0 && (s->fams & BGP_FAM_BIT(fam)))
		rib_peer_refresh(s->rp, fam);
}

static void
act_close(struct sess *s)
{
	close_conns(s);
	s->restart = SRESTART_NONE;
}

static void
act_close_restart(struct sess *s)
{
	sess_set_reason(s, "connection closed");
	close_conns(s);
}

static void
act_drop(struct sess *s)
{
	close_conns(s);
}

static void
act_notify_err(struct sess *s)
{
	struct sess_conn *c = s->conn;

	s->conn = NULL;
	sess_send_err(s, c, &s->err_out);
}

static void
act_notif_rcvd(struct sess *s)
{
	close_conns(s);
	/* A Cease is the peer's decision, not an error: no backoff growth. */
	if (s->last_rcvd.code == BGP_ERR_CEASE) {
		s->restart = SRESTART_AFTER;
		/* Passive: Idle would only refuse the peer's next attempt. */
		s->restart_after_s = s->conf.passive ? 0 :
		    sess_idle_hold_initial(&s->conf);
	}
}

static void
act_hold_expired(struct sess *s)
{
	struct bgp_err err = { .code = BGP_ERR_HOLD };
	struct sess_conn *c = s->conn;

	s->conn = NULL;
	sess_send_err(s, c, &err);
}

static void
act_fsm_err(struct sess *s)
{
	/* RFC 6608 subcodes: which state got the unexpected message. */
	struct bgp_err err = { .code = BGP_ERR_FSM,
	    .subcode = s->state == SESS_OPENSENT ? 1 :
	    s->state == SESS_OPENCONFIRM ? 2 : 3 };
	struct sess_conn *c = s->conn;

	s->conn = NULL;
	sess_send_err(s, c, &err);
}

static void
act_cease_admin(struct sess *s)
{
	send_cease(s, s->cease_subcode, s->cease_msg);
	close_conns(s);
	s->restart = SRESTART_NONE;
}

static void
act_cease_reset(struct sess *s)
{
	send_cease(s, s->cease_subcode, s->cease_msg);
	close_conns(s);
	s->restart = SRESTART_AFTER;
	s->restart_after_s = 0;
}

static void
act_cease_maxpfx(struct sess *s)
{
	struct bgp_err err = { .code = BGP_ERR_CEASE,
	    .subcode = BGP_CEASE_MAXPFX, .datalen = 7 };
	struct sess_conn *c = s->conn;
	uint16_t afi;
	uint8_t safi;

	/* RFC 4486 4: AFI (2), SAFI (1), the upper bound (4). */
	bgp_fam_to_afi(s->maxpfx_fam, &afi, &safi);
	err.data[0] = afi >> 8;
	err.data[1] = afi & 0xff;
	err.data[2] = safi;
	err.data[3] = s->maxpfx_limit >> 24;
	err.data[4] = (s->maxpfx_limit >> 16) & 0xff;
	err.data[5] = (s->maxpfx_limit >> 8) & 0xff;
	err.data[6] = s->maxpfx_limit & 0xff;
	s->conn = NULL;
	s->maxpfx_events++;
	sess_send_err(s, c, &err);
	sess_set_reason(s, "maximum prefixes (%u) reached for %s",
	    s->maxpfx_limit, bgp_fam_name(s->maxpfx_fam));
	close_conns(s);
	s->restart = SRESTART_AFTER;
	s->restart_after_s = s->conf.max_prefix_restart;
}

static sess_act_fn *const fsm_actions[SACT_MAX] = {
	[SACT_DEFAULT] = act_none,
	[SACT_NONE] = act_none,
	[SACT_CONNECT] = act_connect,
	[SACT_LISTEN] = act_listen,
	[SACT_RECONNECT] = act_connect,
	[SACT_CONN_FAILED] = act_conn_failed,
	[SACT_OPEN_SEND] = act_open_send,
	[SACT_ADOPT_OPEN_SEND] = act_adopt_open_send,
	[SACT_REJECT] = act_reject,
	[SACT_COLLISION_HOLD] = act_collision_hold,
	[SACT_REJECT_COLLISION] = act_reject_collision,
	[SACT_COLLISION_SWAP] = act_collision_swap,
	[SACT_OPEN_ACCEPT] = act_open_accept,
	[SACT_ESTABLISH] = act_establish,
	[SACT_KEEPALIVE_SEND] = act_keepalive_send,
	[SACT_UPDATE] = act_update,
	[SACT_REFRESH] = act_refresh,
	[SACT_CLOSE] = act_close,
	[SACT_CLOSE_RESTART] = act_close_restart,
	[SACT_DROP] = act_drop,
	[SACT_NOTIFY_ERR] = act_notify_err,
	[SACT_NOTIF_RCVD] = act_notif_rcvd,
	[SACT_HOLD_EXPIRED] = act_hold_expired,
	[SACT_FSM_ERR] = act_fsm_err,
	[SACT_CEASE_ADMIN] = act_cease_admin,
	[SACT_CEASE_RESET] = act_cease_reset,
	[SACT_CEASE_MAXPFX] = act_cease_maxpfx,
};

/* --- state changes ------------------------------------------------------- */

#define HIST_COALESCE	4	/* entries looked back for a repeat */

/* A recent entry with the same change and no NOTIFICATION, or NULL. */
static struct sess_hist *
hist_repeat(struct sess *s, enum sess_state from, enum sess_state to,
    enum sess_event ev)
{
	struct sess_hist *h;
	size_t k;

	if (s->step_notif.set)
		return NULL;
	for (k = 1; k <= HIST_COALESCE && k <= s->nhist; k++) {
		h = &s->hist[(s->hist_head + SESS_HISTORY - k) % SESS_HISTORY];
		if (h->from == from && h->to == to && h->event == ev &&
		    !h->notif && strcmp(h->reason, s->reason) == 0 &&
		    from != SESS_ESTABLISHED && to != SESS_ESTABLISHED)
			return h;
	}
	return NULL;
}

static void
hist_add(struct sess *s, enum sess_state from, enum sess_state to,
    enum sess_event ev)
{
	struct sess_hist *h = hist_repeat(s, from, to, ev);

	if (h != NULL) {
		h->count++;
		h->last_ms = wall_sec() * 1000;
		return;
	}
	h = &s->hist[s->hist_head];
	h->wall_ms = h->last_ms = wall_sec() * 1000;
	h->count = 1;
	h->from = from;
	h->to = to;
	h->event = ev;
	snprintf(h->reason, sizeof(h->reason), "%s", s->reason);
	h->notif = s->step_notif.set;
	h->notif_sent = s->step_notif_sent;
	h->code = s->step_notif.code;
	h->subcode = s->step_notif.subcode;
	/* cut: the whole text stays in last_sent / last_rcvd */
	memcpy(h->text, s->step_notif.text, sizeof(h->text) - 1);
	h->text[sizeof(h->text) - 1] = '\0';
	s->hist_head = (s->hist_head + 1) % SESS_HISTORY;
	if (s->nhist < SESS_HISTORY)
		s->nhist++;
}

/* Entering Idle: nothing may keep running but the restart timer. */
void
sess_fsm_enter_idle(struct sess *s)
{
	struct ev_loop *l = s->mgr->loop;
	uint32_t secs;

	close_conns(s);
	ev_timer_stop(l, &s->t_connretry);
	ev_timer_stop(l, &s->t_hold);
	ev_timer_stop(l, &s->t_keepalive);
	ev_timer_stop(l, &s->t_idle);
	s->open_rcvd = false;
	if (s->admin_down || s->deleted || s->bfd_block ||
	    s->restart == SRESTART_NONE)
		return;
	if (s->restart == SRESTART_AFTER)
		secs = s->restart_after_s;
	else {
		secs = s->idle_hold_s;
		s->idle_hold_s = s->idle_hold_s * 2 > SESS_IDLE_HOLD_MAX_S ?
		    SESS_IDLE_HOLD_MAX_S : s->idle_hold_s * 2;
	}
	ev_timer_start(l, &s->t_idle, (uint64_t)secs * USEC_PER_SEC);
}

static void
sess_set_state(struct sess *s, enum sess_state next, enum sess_event ev)
{
	enum sess_state old = s->state;
	uint64_t now = mono_us();
	char who[128];

	if (old == next)
		return;
	s->state = next;
	hist_add(s, old, next, ev);
	peer_name(s, who, sizeof(who));
	log_info("%s: %s -> %s (%s%s%s)", who, sess_state_name(old),
	    sess_state_name(next), sess_event_name(ev), s->reason[0] ? ", " :
	    "", s->reason);
	if (old == SESS_ESTABLISHED) {
		rib_peer_down(s->rp);
		s->flaps++;
		s->change_at = now;
		/* Up for twice the backoff: it was not a flap loop. */
		if (now - s->est_at >= 2ULL * s->idle_hold_s * USEC_PER_SEC)
			s->idle_hold_s = sess_idle_hold_initial(&s->conf);
		snprintf(s->last_reason, sizeof(s->last_reason), "%s",
		    s->reason[0] ? s->reason : sess_event_name(ev));
	}
	if (next == SESS_ESTABLISHED) {
		struct rib_peer_session rs = {
			.as4 = s->as4, .ext_msg = s->ext_msg,
			.route_refresh = s->route_refresh, .fams = s->fams,
			.remote_id = s->peer_open.bgp_id,
			.local_addr = s->conn->local,
		};
		if (s->conn->local.af == AF_INET6)
			rs.local_addr6 = s->conn->local;
		else if (s->fams & BGP_FAM_BIT(BGP_FAM_V6U))
			sess_sock_local_v6(&s->conn->local, &rs.local_addr6);
		s->est_at = s->change_at = now;
		s->ever_up = true;
		s->established++;
		rib_peer_up(s->rp, &rs);
		ev_defer_schedule(s->mgr->loop, &s->d_out);
	}
	sess_mon_state(s, old, next, ev);
	if (next == SESS_IDLE)
		sess_fsm_enter_idle(s);
}

static void
fsm_step(struct sess *s, enum sess_event ev)
{
	struct sess_fsm_entry e = sess_fsm_lookup(s->state, ev);
	char who[128];

	if (log_enabled(LOG_LVL_DEBUG)) {
		peer_name(s, who, sizeof(who));
		log_debug("%s: %s in %s: %s", who, sess_event_name(ev),
		    sess_state_name(s->state), sess_action_name(e.action));
	}
	s->restart = SRESTART_BACKOFF;
	fsm_actions[e.action](s);
	sess_set_state(s, e.next, ev);
	/* Set by the reader or the action for this step's history entry. */
	s->reason[0] = '\0';
	s->step_notif.set = false;
}

void
sess_event(struct sess *s, enum sess_event ev)
{
	unsigned i;

	if (s->in_fsm) {
		/* Raised by an action: runs once the current step is done. */
		if (s->npend < sizeof(s->pend) / sizeof(s->pend[0]))
			s->pend[s->npend++] = ev;
		else
			fatal_bug("session event queue overflow");
		return;
	}
	s->in_fsm = true;
	fsm_step(s, ev);
	while (s->npend > 0) {
		ev = s->pend[0];
		for (i = 1; i < s->npend; i++)
			s->pend[i - 1] = s->pend[i];
		s->npend--;
		fsm_step(s, ev);
	}
	s->in_fsm = false;
}

uint8_t
sess_fams_offer(const struct sess *s)
{
	return s->conf.fams;
}
