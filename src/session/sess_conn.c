/*
 * One TCP connection of a session: non-blocking connect completion,
 * framing of the input into messages (RFC 4271 4.1: every header is checked
 * with bgp_hdr_check() before the message is looked at), dispatch into the
 * FSM, and output with high/low marks.
 *
 * Fairness: a connection handles at most SESS_MSG_BUDGET messages per loop
 * turn; the rest waits in its buffer (reading paused) for a deferred job,
 * so a peer sending a flood cannot starve the others or the timers.
 *
 * Output: small messages (OPEN, KEEPALIVE, NOTIFICATION) are appended at
 * once; UPDATEs are pulled from the RIB only while less than SESS_OUT_LOW
 * bytes wait, up to SESS_OUT_HIGH, so a slow peer holds at most that much.
 *
 * Closing after a NOTIFICATION ("lingering"): the connection is detached
 * from its session, its output written, the write side shut down, and the
 * socket closed on EOF or after SESS_LINGER_MS, so the peer reads the
 * NOTIFICATION instead of a reset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "session/sess_impl.h"

static void	conn_io_cb(struct ev_loop *, int, uint32_t, void *);
static void	conn_linger_cb(struct ev_loop *, struct ev_timer *, void *);
static void	conn_process(struct sess_conn *);

static void
conn_addrs(struct sess_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		addr_from_sockaddr((struct sockaddr *)&ss, &c->local, &c->lport);
	sl = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		addr_from_sockaddr((struct sockaddr *)&ss, &c->remote,
		    &c->rport);
}

struct sess_conn *
sess_conn_new(struct sess_mgr *m, struct sess *s, int fd, bool outgoing,
    bool connecting)
{
	struct sess_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->s = s;
	c->mgr = m;
	c->fd = fd;
	c->outgoing = outgoing;
	c->connecting = connecting;
	c->incap = SESS_IN_SMALL;
	if ((c->in = malloc(c->incap)) == NULL ||
	    wbuf_init(&c->out, 4096, SESS_OUT_MAX) == -1 ||
	    ev_io_add(m->loop, &c->io, fd, connecting ? EPOLLOUT : 0,
	    conn_io_cb, c) == -1) {
		free(c->in);
		wbuf_free(&c->out);
		free(c);
		return NULL;
	}
	ev_timer_init(&c->linger, conn_linger_cb, c);
	c->lnext = m->conns;
	if (m->conns != NULL)
		m->conns->lprev = &c->lnext;
	c->lprev = &m->conns;
	m->conns = c;
	if (!connecting)
		conn_addrs(c);
	return c;
}

static bool
conn_want_in(const struct sess_conn *c)
{
	return c->s != NULL && !c->connecting && c->in_on;
}

static void
conn_update_events(struct sess_conn *c)
{
	uint32_t ev = 0;

	if (c->fd == -1)
		return;
	if (c->connecting || c->out_off < c->out.len)
		ev |= EPOLLOUT;
	if (conn_want_in(c) || c->lingering)
		ev |= EPOLLIN;
	ev_io_mod(c->mgr->loop, &c->io, ev);
}

void
sess_conn_watch(struct sess_conn *c)
{
	c->in_on = true;
	conn_update_events(c);
}

void
sess_reap(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct sess_mgr *m = arg;
	struct sess_listener *ls;
	struct sess_conn *c;
	struct sess *s;

	while ((c = m->dead_conns) != NULL) {
		m->dead_conns = c->next_dead;
		free(c->in);
		wbuf_free(&c->out);
		free(c);
	}
	while ((s = m->dead_sess) != NULL) {
		m->dead_sess = s->next_dead;
		free(s->open_out);
		free(s->open_in);
		free(s);
	}
	while ((ls = m->dead_listeners) != NULL) {
		m->dead_listeners = ls->next;
		free(ls);
	}
}

void
sess_conn_close(struct sess_conn *c)
{
	struct sess_mgr *m = c->mgr;

	if (c->fd == -1)
		return;
	ev_io_del(m->loop, &c->io);
	ev_timer_stop(m->loop, &c->linger);
	close(c->fd);
	c->fd = -1;
	*c->lprev = c->lnext;
	if (c->lnext != NULL)
		c->lnext->lprev = c->lprev;
	if (c->lingering)
		m->nlinger--;
	c->lingering = false;
	c->s = NULL;
	/* Events for it may be in this turn's batch: free it next turn. */
	c->next_dead = m->dead_conns;
	m->dead_conns = c;
	ev_defer_schedule(m->loop, &m->reaper);
}

void
sess_conn_close_flush(struct sess_conn *c)
{
	if (c->fd == -1)
		return;
	c->s = NULL;
	c->in_on = false;
	c->lingering = true;
	c->mgr->nlinger++;
	ev_timer_start(c->mgr->loop, &c->linger, SESS_LINGER_MS * USEC_PER_MSEC);
	if (c->out_off == c->out.len)
		shutdown(c->fd, SHUT_WR);
	conn_update_events(c);
}

static void
conn_linger_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	sess_conn_close(arg);
}

/* --- output -------------------------------------------------------------- */

static uint16_t
msg_len_at(const struct wbuf *w, size_t off)
{
	return (uint16_t)(w->p[off + 16] << 8 | w->p[off + 17]);
}

uint32_t
sess_conn_count_msgs(const uint8_t *p, size_t len)
{
	uint32_t n = 0;
	size_t off = 0, ml;

	while (off + BGP_HDR_LEN <= len) {
		ml = (size_t)(p[off + 16] << 8 | p[off + 17]);
		if (ml < BGP_HDR_LEN)
			break;
		off += ml;
		n++;
	}
	return n;
}

static void
conn_write_failed(struct sess_conn *c, int err)
{
	struct sess *s = c->s;

	if (s == NULL) {
		sess_conn_close(c);
		return;
	}
	if (c == s->conn) {
		sess_set_reason(s, "write: %s", strerror(err));
		sess_event(s, SEV_TCP_FAIL);
	} else if (c == s->alt) {
		s->alt = NULL;
		sess_conn_close(c);
	}
}

void
sess_conn_flush(struct sess_conn *c)
{
	struct wbuf *w = &c->out;

	if (c->fd != -1 && !c->connecting &&
	    wbuf_send(c->fd, w, &c->out_off) == -1) {
		conn_write_failed(c, errno);
		return;
	}
	/* Track the start of the message being written, for compaction. */
	while (c->out_msg + BGP_HDR_LEN <= w->len &&
	    c->out_msg + msg_len_at(w, c->out_msg) <= c->out_off)
		c->out_msg += msg_len_at(w, c->out_msg);
	if (c->out_off == w->len) {
		wbuf_reset(w);
		c->out_off = c->out_msg = 0;
		if (c->lingering && c->fd != -1)
			shutdown(c->fd, SHUT_WR);
	} else if (c->out_msg > 0 && c->out_msg >= w->len / 2) {
		memmove(w->p, w->p + c->out_msg, w->len - c->out_msg);
		w->len -= c->out_msg;
		c->out_off -= c->out_msg;
		c->out_msg = 0;
	}
	conn_update_events(c);
}

/* After an encoder ran: keep its message and count it, or undo it. */
static int
conn_sent(struct sess_conn *c, size_t before, int rc, enum bgp_msg_type type)
{
	if (rc == -1 || c->out.err) {
		wbuf_truncate(&c->out, before);
		c->out.err = false;
		log_warn("session: cannot queue a message of type %d", type);
		return -1;
	}
	if (c->s != NULL) {
		c->s->msg_out[type]++;
		c->s->msg_out[0]++;
		sess_mon_msg(c, true, c->out.p + before, c->out.len - before);
	}
	sess_conn_flush(c);
	return 0;
}

int
sess_conn_send_open(struct sess_conn *c, const struct bgp_open *o)
{
	size_t before = c->out.len;

	return conn_sent(c, before, bgp_open_encode(&c->out, o), BGP_OPEN);
}

int
sess_conn_send_keepalive(struct sess_conn *c)
{
	size_t before = c->out.len;

	return conn_sent(c, before, bgp_keepalive_encode(&c->out),
	    BGP_KEEPALIVE);
}

/* Before a NOTIFICATION: drop queued UPDATEs not yet begun (they would
 * only delay it), keep the message being written (the stream must stay
 * framed). */
static void
conn_trim_unsent(struct sess_conn *c)
{
	struct wbuf *w = &c->out;

	if (c->out_off == c->out_msg) {
		wbuf_truncate(w, c->out_msg);
		return;
	}
	if (c->out_msg + BGP_HDR_LEN <= w->len)
		wbuf_truncate(w, c->out_msg + msg_len_at(w, c->out_msg));
}

int
sess_conn_send_notification(struct sess_conn *c, const struct bgp_err *err)
{
	size_t before;

	conn_trim_unsent(c);
	before = c->out.len;
	if (conn_sent(c, before, bgp_notification_encode(&c->out, err),
	    BGP_NOTIFICATION) == -1)
		return -1;
	if (c->s != NULL)
		sess_notif_count(c->s->notif_out, err->code, err->subcode);
	return 0;
}

int
sess_conn_send_shutdown(struct sess_conn *c, uint8_t subcode, const char *msg)
{
	size_t before;

	conn_trim_unsent(c);
	before = c->out.len;
	if (conn_sent(c, before, bgp_shutdown_encode(&c->out, subcode,
	    msg ? msg : ""), BGP_NOTIFICATION) == -1)
		return -1;
	if (c->s != NULL)
		sess_notif_count(c->s->notif_out, BGP_ERR_CEASE, subcode);
	return 0;
}

int
sess_conn_send_rrefresh(struct sess_conn *c, enum bgp_fam fam)
{
	size_t before = c->out.len;

	return conn_sent(c, before, bgp_rrefresh_encode(&c->out, fam, 0),
	    BGP_ROUTE_REFRESH);
}

void
sess_output(struct sess *s)
{
	struct sess_conn *c = s->conn;
	size_t pending, before, n;
	uint32_t msgs;

	if (c == NULL || s->state != SESS_ESTABLISHED || c->fd == -1)
		return;
	pending = c->out.len - c->out_off;
	if (pending < SESS_OUT_LOW && rib_peer_pending(s->rp)) {
		before = c->out.len;
		n = rib_peer_pull(s->rp, &c->out, SESS_OUT_HIGH - pending);
		if (c->out.err) {
			log_err("session: RIB output overflowed the buffer");
			wbuf_truncate(&c->out, before);
			c->out.err = false;
			n = 0;
		}
		if (n > 0) {
			sess_mon_msg(c, true, c->out.p + before, n);
			msgs = sess_conn_count_msgs(c->out.p + before, n);
			s->msg_out[BGP_UPDATE] += msgs;
			s->msg_out[0] += msgs;
			/* RFC 4271 10: an UPDATE restarts the keepalive. */
			if (s->keepalive)
				ev_timer_start(s->mgr->loop, &s->t_keepalive,
				    (uint64_t)s->keepalive * USEC_PER_SEC);
		}
	}
	sess_conn_flush(c);
	/* More to pull and room for it: continue next turn (fairness). */
	if (s->conn == c && c->fd != -1 &&
	    c->out.len - c->out_off < SESS_OUT_LOW && rib_peer_pending(s->rp))
		ev_defer_schedule(s->mgr->loop, &s->d_out);
}

/* --- input ----------------------------------------------------------------- */

static void
notif_received(struct sess *s, struct sess_conn *c, const uint8_t *body,
    size_t len)
{
	struct bgp_notification n;
	char a[ADDR_STRLEN];

	memset(&n, 0, sizeof(n));
	if (bgp_notification_decode(body, len, &n) == -1)
		n.code = n.subcode = 0;
	sess_notif_count(s->notif_in, n.code, n.subcode);
	log_remote("neighbor %s (%s): received NOTIFICATION %u/%u (%s, %s)%s%s%s",
	    addr_ntop(&s->conf.remote, a, sizeof(a)), s->conf.ctx, n.code,
	    n.subcode, bgp_err_code_name(n.code),
	    bgp_err_subcode_name(n.code, n.subcode),
	    n.shutdown_msg[0] ? " \"" : "", n.shutdown_msg,
	    n.shutdown_msg[0] ? "\"" : "");
	if (c == s->alt) {
		s->alt = NULL;
		sess_conn_close(c);
		return;
	}
	s->last_rcvd.set = true;
	s->last_rcvd.code = n.code;
	s->last_rcvd.subcode = n.subcode;
	snprintf(s->last_rcvd.text, sizeof(s->last_rcvd.text), "%s",
	    n.shutdown_msg);
	s->last_rcvd.wall_ms = wall_sec() * 1000;
	s->step_notif = s->last_rcvd;
	s->step_notif_sent = false;
	if (n.code == BGP_ERR_CEASE && n.subcode == BGP_CEASE_COLLISION &&
	    s->alt != NULL) {
		/* The peer kept the other connection. */
		s->swap_silent = true;
		sess_event(s, SEV_COLLISION_DUMP);
		return;
	}
	sess_set_reason(s, "received %s/%s%s%s", bgp_err_code_name(n.code),
	    bgp_err_subcode_name(n.code, n.subcode),
	    n.shutdown_msg[0] ? ": " : "", n.shutdown_msg);
	sess_event(s, SEV_NOTIF);
}

/*
 * RFC 4271 6.8: the connection initiated by the side with the higher BGP
 * identifier survives; RFC 6286 2.3: equal identifiers, the higher AS.
 */
static void
collision_resolve(struct sess *s, struct sess_conn *alt,
    const struct bgp_open *o)
{
	struct bgp_err err = { .code = BGP_ERR_CEASE,
	    .subcode = BGP_CEASE_COLLISION };
	uint32_t me = s->mgr->router_id;
	bool local_wins, keep_alt;

	if (me != o->bgp_id)
		local_wins = me > o->bgp_id;
	else
		local_wins = s->conf.local_as > s->conf.remote_as;
	/* alt came from the peer; if the current one did too, take the
	 * newer (the peer gave up on the old). */
	keep_alt = !s->conn->outgoing || !local_wins;
	if (!keep_alt) {
		s->alt = NULL;
		sess_conn_send_notification(alt, &err);
		sess_conn_close_flush(alt);
		return;
	}
	sess_event(s, SEV_COLLISION_DUMP);
	s->ev_open = *o;
	sess_event(s, SEV_OPEN);
}

/* The second connection during a collision expects only an OPEN. */
static void
alt_dispatch(struct sess *s, struct sess_conn *c, uint8_t type,
    const uint8_t *body, size_t len)
{
	struct bgp_err err;
	struct bgp_open o;

	if (type == BGP_NOTIFICATION) {
		notif_received(s, c, body, len);
		return;
	}
	memset(&err, 0, sizeof(err));
	if (type != BGP_OPEN) {
		err.code = BGP_ERR_FSM;
		err.subcode = 1;
	} else if (bgp_open_decode(body, len, &o, &err) == 0 &&
	    sess_open_check(s, &o, &err) == 0) {
		collision_resolve(s, c, &o);
		return;
	}
	s->alt = NULL;
	sess_conn_send_notification(c, &err);
	sess_conn_close_flush(c);
}

static void
open_received(struct sess *s, const uint8_t *body, size_t len)
{
	struct bgp_err err;
	struct bgp_open o;

	if (s->state != SESS_OPENSENT) {
		sess_event(s, SEV_OPEN);	/* the table says FSM error */
		return;
	}
	memset(&err, 0, sizeof(err));
	if (bgp_open_decode(body, len, &o, &err) == -1) {
		sess_set_reason(s, "malformed OPEN (%s)",
		    bgp_err_subcode_name(err.code, err.subcode));
		s->err_out = err;
		sess_event(s, SEV_OPEN_ERR);
	} else if (sess_open_check(s, &o, &err) == -1) {
		s->err_out = err;
		sess_event(s, SEV_OPEN_ERR);
	} else {
		s->ev_open = o;
		sess_event(s, SEV_OPEN);
	}
}

static void
dispatch(struct sess_conn *c, uint8_t type, const uint8_t *body, size_t len)
{
	struct sess *s = c->s;

	if (type <= BGP_ROUTE_REFRESH) {
		s->msg_in[type]++;
		s->msg_in[0]++;
	}
	sess_mon_msg(c, false, body - BGP_HDR_LEN, len + BGP_HDR_LEN);
	if (c == s->alt) {
		alt_dispatch(s, c, type, body, len);
		return;
	}
	if (s->hold != 0 && s->state >= SESS_OPENCONFIRM)
		ev_timer_start(s->mgr->loop, &s->t_hold,
		    (uint64_t)s->hold * USEC_PER_SEC);
	s->ev_body = body;
	s->ev_len = len;
	switch (type) {
	case BGP_OPEN:
		open_received(s, body, len);
		break;
	case BGP_UPDATE:
		sess_event(s, SEV_UPDATE_MSG);
		break;
	case BGP_NOTIFICATION:
		notif_received(s, c, body, len);
		break;
	case BGP_KEEPALIVE:
		sess_event(s, SEV_KEEPALIVE_MSG);
		break;
	case BGP_ROUTE_REFRESH:
		sess_event(s, SEV_RREFRESH_MSG);
		break;
	}
	s->ev_body = NULL;
}

static bool
conn_alive(const struct sess_conn *c)
{
	return c->s != NULL && c->fd != -1 &&
	    (c == c->s->conn || c == c->s->alt);
}

static void
conn_eof(struct sess_conn *c, int err)
{
	struct sess *s = c->s;

	if (c == s->alt) {
		s->alt = NULL;
		sess_conn_close(c);
		return;
	}
	sess_set_reason(s, "%s", err ? strerror(err) :
	    "connection closed by peer");
	sess_event(s, SEV_TCP_FAIL);
}

static void
hdr_error(struct sess_conn *c, const struct bgp_err *err)
{
	struct sess *s = c->s;

	if (c == s->alt) {
		s->alt = NULL;
		sess_conn_send_notification(c, err);
		sess_conn_close_flush(c);
		return;
	}
	s->err_out = *err;
	sess_set_reason(s, "bad message header (%s)",
	    bgp_err_subcode_name(err->code, err->subcode));
	sess_event(s, SEV_HDR_ERR);
}

/* Handle up to SESS_MSG_BUDGET complete messages from the buffer. */
static void
conn_process(struct sess_conn *c)
{
	struct sess *s = c->s;
	unsigned budget = SESS_MSG_BUDGET;
	struct bgp_err err;
	size_t off = 0, maxlen;
	uint16_t len;
	uint8_t type;

	c->backlog = false;
	while (c->inlen - off >= BGP_HDR_LEN) {
		if (budget-- == 0) {
			c->backlog = true;
			break;
		}
		maxlen = c == s->conn ? s->max_msg_in : BGP_MAX_MSG;
		memset(&err, 0, sizeof(err));
		if (bgp_hdr_check(c->in + off, maxlen, &type, &len, &err) ==
		    -1) {
			hdr_error(c, &err);
			return;
		}
		if (c->inlen - off < len)
			break;
		dispatch(c, type, c->in + off + BGP_HDR_LEN,
		    len - BGP_HDR_LEN);
		off += len;
		if (!conn_alive(c))
			return;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	if (c->backlog) {
		c->in_on = false;
		ev_defer_schedule(s->mgr->loop, &s->d_in);
	} else
		c->in_on = true;
	conn_update_events(c);
	if (!c->backlog && c->eof)
		conn_eof(c, c->rerr);
}

static void
conn_read(struct sess_conn *c)
{
	struct sess *s = c->s;
	ssize_t n;
	uint8_t *p;

	if (c == s->conn && s->max_msg_in > BGP_MAX_MSG &&
	    c->incap < SESS_IN_LARGE &&
	    (p = realloc(c->in, SESS_IN_LARGE)) != NULL) {
		c->in = p;
		c->incap = SESS_IN_LARGE;
	}
	while (c->inlen < c->incap && !c->eof) {
		n = read(c->fd, c->in + c->inlen, c->incap - c->inlen);
		if (n > 0) {
			c->inlen += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		c->eof = true;
		c->rerr = n == 0 ? 0 : errno;
	}
	conn_process(c);
}

void
sess_input_resume(struct sess *s)
{
	struct sess_conn *c;
	int i;

	for (i = 0; i < 2; i++) {
		c = i == 0 ? s->conn : s->alt;
		if (c != NULL && c->backlog && conn_alive(c))
			conn_process(c);
	}
}

static void
conn_connected(struct sess_conn *c)
{
	struct sess *s = c->s;
	socklen_t sl = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
		err = errno;
	if (err != 0) {
		sess_set_reason(s, "connect: %s", strerror(err));
		sess_event(s, SEV_TCP_FAIL);
		return;
	}
	c->connecting = false;
	conn_addrs(c);
	sess_event(s, SEV_TCP_CONNECTED);
}

/* Lingering: write what is left, then wait for the peer's FIN. */
static void
conn_linger_io(struct sess_conn *c, uint32_t events)
{
	uint8_t junk[4096];
	ssize_t n;

	if (events & EPOLLOUT)
		sess_conn_flush(c);
	if (c->fd == -1 || c->out_off < c->out.len)
		return;
	do {
		n = read(c->fd, junk, sizeof(junk));
	} while (n > 0);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		sess_conn_close(c);
}

static void
conn_io_cb(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct sess_conn *c = arg;
	struct sess *s = c->s;

	if (c->lingering) {
		conn_linger_io(c, events);
		return;
	}
	if (s == NULL || c->fd == -1)
		return;
	if (c->connecting) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			conn_connected(c);
		return;
	}
	if (events & EPOLLOUT) {
		sess_conn_flush(c);
		if (c->fd != -1 && c == s->conn)
			sess_output(s);
	}
	if (!conn_alive(c) || !c->in_on)
		return;
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		conn_read(c);
}
