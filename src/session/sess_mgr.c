/*
 * The session manager: creating, reconfiguring and deleting sessions,
 * the timers and RIB callbacks that feed the FSM, operator commands
 * (admin down/up with RFC 8203 shutdown communication, clear, soft clear
 * with RFC 2918 ROUTE-REFRESH) and the read-only view used for output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "session/sess_impl.h"

struct sess_mgr *
sess_mgr_new(struct ev_loop *loop, struct rib *rib)
{
	struct sess_mgr *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->loop = loop;
	m->rib = rib;
	ev_defer_init(&m->reaper, sess_reap, m);
	return m;
}

void
sess_mgr_set_bfd(struct sess_mgr *m, struct bfd *bfd)
{
	m->bfd = bfd;
}

void
sess_mgr_set_router_id(struct sess_mgr *m, uint32_t id)
{
	m->router_id = id;
}

uint32_t
sess_mgr_router_id(const struct sess_mgr *m)
{
	return m->router_id;
}

uint64_t
sess_mgr_refused(const struct sess_mgr *m)
{
	return m->nrefused;
}

struct sess *
sess_next(struct sess_mgr *m, struct sess *s)
{
	return s == NULL ? m->sessions : s->next;
}

struct sess *
sess_find(struct sess_mgr *m, const char *ctx, const struct addr *a)
{
	struct sess *s;

	for (s = m->sessions; s != NULL; s = s->next)
		if (strcmp(s->conf.ctx, ctx) == 0 &&
		    addr_cmp(&s->conf.remote, a) == 0)
			return s;
	return NULL;
}

const struct sess_conf *
sess_conf(const struct sess *s)
{
	return &s->conf;
}

struct rib_peer *
sess_rib_peer(const struct sess *s)
{
	return s->rp;
}

enum sess_state
sess_state(const struct sess *s)
{
	return s->state;
}

/* --- callbacks into the FSM ---------------------------------------------- */

static void
sess_autostart(struct sess *s)
{
	if (s->bfd_block)
		return;		/* BFD Up starts it (sess_bfd.c) */
	ev_timer_stop(s->mgr->loop, &s->t_idle);
	sess_event(s, s->conf.passive ? SEV_START_PASSIVE : SEV_START);
}

static void
t_connretry_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	sess_event(arg, SEV_CONNRETRY_EXP);
}

static void
t_hold_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct sess *s = arg;

	sess_set_reason(s, "hold timer expired");
	sess_event(s, SEV_HOLD_EXP);
}

static void
t_keepalive_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	sess_event(arg, SEV_KEEPALIVE_EXP);
}

static void
t_idle_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct sess *s = arg;

	if (s->state == SESS_IDLE && !s->admin_down && !s->deleted &&
	    !s->bfd_block)
		sess_autostart(s);
}

static void
d_out_cb(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	sess_output(arg);
}

static void
d_in_cb(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	sess_input_resume(arg);
}

static void
rib_wakeup(void *owner)
{
	struct sess *s = owner;

	if (s->state == SESS_ESTABLISHED)
		ev_defer_schedule(s->mgr->loop, &s->d_out);
}

static void
rib_max_prefix(void *owner, enum bgp_fam fam, uint32_t limit)
{
	struct sess *s = owner;

	s->maxpfx_fam = fam;
	s->maxpfx_limit = limit;
	sess_event(s, SEV_MAXPFX);
}

static const struct rib_peer_ops sess_rib_ops = {
	.wakeup = rib_wakeup,
	.max_prefix = rib_max_prefix,
};

static void
rib_conf_from(const struct sess_conf *c, struct rib_peer_conf *rc)
{
	memset(rc, 0, sizeof(*rc));
	snprintf(rc->name, sizeof(rc->name), "%s", c->descr);
	rc->local_as = c->local_as;
	rc->remote_as = c->remote_as;
	rc->remote_addr = c->remote;
	memcpy(rc->max_prefix, c->max_prefix, sizeof(rc->max_prefix));
	/* 'c' is the session's own copy, so the policy outlives the peer. */
	if (c->has_policy)
		er_policy_bind((struct er_policy *)&c->policy, &rc->policy);
}

static void
conf_defaults(struct sess_conf *c)
{
	if (c->remote_port == 0)
		c->remote_port = BGP_PORT;
	if (c->connect_retry == 0)
		c->connect_retry = 30;
	if (c->fams == 0)
		c->fams = BGP_FAM_BIT(BGP_FAM_V4U) | BGP_FAM_BIT(BGP_FAM_V6U);
}

/* --- life cycle ---------------------------------------------------------- */

struct sess *
sess_new(struct sess_mgr *m, struct rib_ctx *ctx, const struct sess_conf *conf)
{
	struct rib_peer_conf rc;
	struct sess *s, **pp;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->mgr = m;
	s->conf = *conf;
	conf_defaults(&s->conf);
	s->ctx = ctx;
	s->state = SESS_IDLE;
	s->max_msg_in = BGP_MAX_MSG;
	s->idle_hold_s = sess_idle_hold_initial(&s->conf);
	ev_timer_init(&s->t_connretry, t_connretry_cb, s);
	ev_timer_init(&s->t_hold, t_hold_cb, s);
	ev_timer_init(&s->t_keepalive, t_keepalive_cb, s);
	ev_timer_init(&s->t_idle, t_idle_cb, s);
	ev_defer_init(&s->d_out, d_out_cb, s);
	ev_defer_init(&s->d_in, d_in_cb, s);
	rib_conf_from(&s->conf, &rc);
	if ((s->rp = rib_peer_add(ctx, &rc, &sess_rib_ops, s)) == NULL) {
		free(s);
		return NULL;
	}
	for (pp = &m->sessions; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = s;
	if (s->conf.password[0] != '\0')
		sess_sock_md5_sync(m, &s->conf.remote, s->conf.password);
	sess_bfd_sync(s);
	if (s->conf.shutdown) {
		s->admin_down = true;
		snprintf(s->cease_msg, sizeof(s->cease_msg), "%s",
		    s->conf.shutdown_msg);
	} else if (!s->bfd_block)	/* strict BFD: wait for it to be Up */
		sess_autostart(s);
	return s;
}

/* Is another live session still using a TCP-MD5 key for this address? */
static bool
md5_still_used(struct sess_mgr *m, const struct sess *skip,
    const struct addr *a)
{
	struct sess *s;

	for (s = m->sessions; s != NULL; s = s->next)
		if (s != skip && !s->deleted && s->conf.password[0] != '\0' &&
		    addr_cmp(&s->conf.remote, a) == 0)
			return true;
	return false;
}

void
sess_delete(struct sess *s, uint8_t subcode)
{
	struct sess_mgr *m = s->mgr;
	struct sess **pp;

	s->deleted = true;
	s->cease_subcode = subcode;
	s->cease_msg[0] = '\0';
	sess_event(s, SEV_STOP);
	sess_fsm_enter_idle(s);
	ev_defer_cancel(m->loop, &s->d_out);
	ev_defer_cancel(m->loop, &s->d_in);
	sess_bfd_del(s);
	if (s->conf.password[0] != '\0' &&
	    !md5_still_used(m, s, &s->conf.remote))
		sess_sock_md5_sync(m, &s->conf.remote, "");
	rib_peer_remove(s->rp);
	s->rp = NULL;
	for (pp = &m->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	s->next_dead = m->dead_sess;
	m->dead_sess = s;
	ev_defer_schedule(m->loop, &m->reaper);
}

void
sess_set_conf(struct sess *s, const struct sess_conf *conf, bool reset)
{
	struct sess_conf old = s->conf;
	struct rib_peer_conf rc;

	s->conf = *conf;
	conf_defaults(&s->conf);
	if (strcmp(old.password, s->conf.password) != 0) {
		if (s->conf.password[0] != '\0')
			sess_sock_md5_sync(s->mgr, &s->conf.remote,
			    s->conf.password);
		else if (!md5_still_used(s->mgr, s, &s->conf.remote))
			sess_sock_md5_sync(s->mgr, &s->conf.remote, "");
	}
	rib_conf_from(&s->conf, &rc);
	rib_peer_set_conf(s->rp, &rc);
	if (old.has_policy != s->conf.has_policy ||
	    memcmp(&old.policy, &s->conf.policy, sizeof(old.policy)) != 0) {
		rib_peer_reimport(s->rp);
		rib_peer_reexport(s->rp);
	}
	sess_bfd_sync(s);
	if (s->conf.shutdown && !old.shutdown) {
		sess_admin_down(s, s->conf.shutdown_msg);
		return;
	}
	if (!s->conf.shutdown && old.shutdown) {
		sess_admin_up(s);
		return;
	}
	/* still shut down, perhaps for another reason: show the new one */
	if (s->conf.shutdown && s->admin_down &&
	    strcmp(old.shutdown_msg, s->conf.shutdown_msg) != 0)
		snprintf(s->cease_msg, sizeof(s->cease_msg), "%s",
		    s->conf.shutdown_msg);
	/* No longer passive: Active waits for nothing, connect now. */
	if (old.passive && !s->conf.passive && s->state == SESS_ACTIVE &&
	    !reset)
		sess_event(s, SEV_CONNRETRY_EXP);
	if (reset && !s->admin_down) {
		s->cease_subcode = BGP_CEASE_CONFCHG;
		s->cease_msg[0] = '\0';
		if (s->state != SESS_IDLE)
			sess_event(s, SEV_RESET);
		else if (!s->bfd_block)
			sess_autostart(s);
	}
}

/* --- operator commands --------------------------------------------------- */

void
sess_admin_down(struct sess *s, const char *msg)
{
	s->admin_down = true;
	s->cease_subcode = BGP_CEASE_ADMIN_DOWN;
	snprintf(s->cease_msg, sizeof(s->cease_msg), "%s", msg ? msg : "");
	ev_timer_stop(s->mgr->loop, &s->t_idle);
	sess_set_reason(s, "administratively down%s%s", msg && *msg ?
	    ": " : "", msg ? msg : "");
	sess_event(s, SEV_STOP);
}

void
sess_admin_up(struct sess *s)
{
	if (!s->admin_down)
		return;
	s->admin_down = false;
	s->idle_hold_s = sess_idle_hold_initial(&s->conf);
	if (s->state == SESS_IDLE && !s->bfd_block)
		sess_autostart(s);
}

void
sess_clear(struct sess *s, const char *msg)
{
	if (s->admin_down)
		return;
	s->cease_subcode = BGP_CEASE_ADMIN_RESET;
	snprintf(s->cease_msg, sizeof(s->cease_msg), "%s", msg ? msg : "");
	s->idle_hold_s = sess_idle_hold_initial(&s->conf);
	if (s->state == SESS_IDLE) {
		if (!s->bfd_block)
			sess_autostart(s);
	} else
		sess_event(s, SEV_RESET);
}

int
sess_clear_soft(struct sess *s)
{
	enum bgp_fam f;

	if (s->state != SESS_ESTABLISHED)
		return -1;
	for (f = 0; f < BGP_FAM_MAX; f++) {
		if (!(s->fams & BGP_FAM_BIT(f)))
			continue;
		if (s->route_refresh)
			sess_conn_send_rrefresh(s->conn, f);
		rib_peer_refresh(s->rp, f);
	}
	return 0;
}

void
sess_mgr_shutdown(struct sess_mgr *m, const char *msg, unsigned timeout_ms)
{
	uint64_t deadline = mono_us() + (uint64_t)timeout_ms * USEC_PER_MSEC;
	struct sess *s;

	for (s = m->sessions; s != NULL; s = s->next)
		sess_admin_down(s, msg);
	sess_mgr_listen_close(m);
	while (m->nlinger > 0 && mono_us() < deadline)
		ev_run_once(m->loop, 50 * (int64_t)USEC_PER_MSEC);
}

void
sess_mgr_free(struct sess_mgr *m)
{
	struct sess *s;

	if (m == NULL)
		return;
	while ((s = m->sessions) != NULL) {
		s->admin_down = true;
		sess_delete(s, BGP_CEASE_ADMIN_DOWN);
	}
	sess_mgr_listen_close(m);
	/* Lingering connections are closed now; nothing runs the loop. */
	while (m->conns != NULL)
		sess_conn_close(m->conns);
	ev_defer_cancel(m->loop, &m->reaper);
	sess_reap(m->loop, &m->reaper, m);
	free(m);
}

/* --- view ---------------------------------------------------------------- */

void
sess_info(struct sess *s, struct sess_info *i)
{
	uint64_t now = mono_us();
	size_t k, start;

	memset(i, 0, sizeof(*i));
	i->state = s->state;
	i->admin_down = s->admin_down;
	sess_bfd_info(s, i);
	if (s->admin_down)
		snprintf(i->admin_msg, sizeof(i->admin_msg), "%s",
		    s->cease_msg);
	i->idle_restart = ev_timer_armed(&s->t_idle);
	if (i->idle_restart)
		i->idle_restart_ms = s->t_idle.due_us > now ?
		    (s->t_idle.due_us - now) / USEC_PER_MSEC : 0;
	i->ever_up = s->ever_up;
	i->last_change_ms = s->ever_up ? (now - s->change_at) /
	    USEC_PER_MSEC : 0;
	if (s->state == SESS_ESTABLISHED)
		i->uptime_ms = (now - s->est_at) / USEC_PER_MSEC;
	i->flaps = s->flaps;
	i->established = s->established;
	i->maxpfx_events = s->maxpfx_events;
	i->open_rcvd = s->open_rcvd;
	if (s->open_rcvd) {
		i->remote_id = s->peer_open.bgp_id;
		i->peer_hold = s->peer_open.hold;
		i->caps_rcvd = s->peer_open.caps;
		i->hold = s->hold;
		i->keepalive = s->keepalive;
		i->fams = s->fams;
		i->as4 = s->as4;
		i->ext_msg = s->ext_msg;
		i->route_refresh = s->route_refresh;
	}
	i->caps_sent = s->caps_sent;
	if (s->conn != NULL && !s->conn->connecting) {
		i->local_addr = s->conn->local;
		i->local_port = s->conn->lport;
		i->remote_port = s->conn->rport;
		i->inq = sess_conn_count_msgs(s->conn->in, s->conn->inlen);
		i->outq = sess_conn_count_msgs(s->conn->out.p + s->conn->out_msg,
		    s->conn->out.len - s->conn->out_msg);
	}
	i->collision_pending = s->alt != NULL;
	memcpy(i->msg_in, s->msg_in, sizeof(i->msg_in));
	memcpy(i->msg_out, s->msg_out, sizeof(i->msg_out));
	i->last_sent = s->last_sent;
	i->last_rcvd = s->last_rcvd;
	memcpy(i->notif_out, s->notif_out, sizeof(i->notif_out));
	memcpy(i->notif_in, s->notif_in, sizeof(i->notif_in));
	snprintf(i->last_reason, sizeof(i->last_reason), "%s", s->last_reason);
	start = (s->hist_head + SESS_HISTORY - s->nhist) % SESS_HISTORY;
	for (k = 0; k < s->nhist; k++)
		s->hist_lin[k] = s->hist[(start + k) % SESS_HISTORY];
	i->hist = s->hist_lin;
	i->nhist = s->nhist;
	i->rib_peer = s->rp;
}
