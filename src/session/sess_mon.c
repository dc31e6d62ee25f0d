/*
 * Monitors of the sessions (MRT BGP4MP dumps, RFC 6396 4.4; BMP, RFC 7854):
 * every message in and out and every state change is handed to the
 * registered observers. The session keeps its last OPENs (BMP Peer Up
 * carries both, RFC 7854 4.10) and its connection's endpoints, so a
 * monitor that starts late still has them.
 */
#include <stdlib.h>
#include <string.h>

#include "session/sess_impl.h"

int
sess_mgr_mon_add(struct sess_mgr *m, const struct sess_mon *mon)
{
	if (m->nmon >= SESS_MON_MAX)
		return -1;
	m->mon[m->nmon++] = *mon;
	return 0;
}

void
sess_mgr_mon_del(struct sess_mgr *m, const struct sess_mon *mon)
{
	unsigned i;

	for (i = 0; i < m->nmon; i++) {
		if (m->mon[i].arg != mon->arg || m->mon[i].msg != mon->msg ||
		    m->mon[i].state != mon->state)
			continue;
		memmove(&m->mon[i], &m->mon[i + 1],
		    (m->nmon - i - 1) * sizeof(m->mon[0]));
		m->nmon--;
		return;
	}
}

static void
ep_update(struct sess *s, const struct sess_conn *c)
{
	if (c == NULL || c->connecting || c->fd == -1)
		return;
	s->ep.local = c->local;
	s->ep.remote = c->remote;
	s->ep.lport = c->lport;
	s->ep.rport = c->rport;
}

static void
open_keep(uint8_t **buf, size_t *blen, const uint8_t *msg, size_t len)
{
	uint8_t *p;

	if ((p = realloc(*buf, len)) == NULL)
		return;
	memcpy(p, msg, len);
	*buf = p;
	*blen = len;
}

/* One message, or several back to back (UPDATEs pulled from the RIB). */
void
sess_mon_msg(struct sess_conn *c, bool sent, const uint8_t *msg, size_t len)
{
	struct sess *s = c->s;
	struct sess_mgr *m = c->mgr;
	size_t off, ml;
	unsigned i;

	if (s == NULL)
		return;
	ep_update(s, c);
	for (off = 0; off + BGP_HDR_LEN <= len; off += ml) {
		ml = (size_t)(msg[off + 16] << 8 | msg[off + 17]);
		if (ml < BGP_HDR_LEN || ml > len - off)
			return;
		if (msg[off + 18] == BGP_OPEN && ml <= BGP_MAX_MSG) {
			if (sent)
				open_keep(&s->open_out, &s->open_out_len,
				    msg + off, ml);
			else
				open_keep(&s->open_in, &s->open_in_len,
				    msg + off, ml);
		}
		for (i = 0; i < m->nmon; i++)
			if (m->mon[i].msg != NULL)
				m->mon[i].msg(m->mon[i].arg, s, sent,
				    msg + off, ml);
	}
}

void
sess_mon_state(struct sess *s, enum sess_state from, enum sess_state to,
    enum sess_event why)
{
	struct sess_mgr *m = s->mgr;
	unsigned i;

	ep_update(s, s->conn);
	for (i = 0; i < m->nmon; i++)
		if (m->mon[i].state != NULL)
			m->mon[i].state(m->mon[i].arg, s, from, to, why);
}

void
sess_endpoints(const struct sess *s, struct sess_ep *ep)
{
	*ep = s->ep;
	if (ep->remote.af == 0)
		ep->remote = s->conf.remote;
	if (ep->local.af == 0) {
		ep->local = s->conf.local;
		ep->local.af = s->conf.remote.af;	/* :: or 0.0.0.0 */
	}
	ep->as4 = s->as4;
	ep->remote_id = s->open_rcvd ? s->peer_open.bgp_id : 0;
}

void
sess_opens(const struct sess *s, const uint8_t **sent, size_t *slen,
    const uint8_t **rcvd, size_t *rlen)
{
	*sent = s->open_out;
	*slen = s->open_out_len;
	*rcvd = s->open_in;
	*rlen = s->open_in_len;
}
