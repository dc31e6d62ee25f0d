/*
 * What the BMP client sends (RFC 7854): Initiation (4.3) with sysDescr and
 * sysName; per Established peer a Peer Up (4.10) with both OPENs as they
 * went over the wire; Route Monitoring (4.6) of the pre-policy Adj-RIB-In
 * (L flag clear): first a dump of what the RIB holds, ended by End-of-RIB
 * per family, then every UPDATE as received (A flag set when the session
 * uses 2-octet AS numbers, so the collector parses the AS_PATH right);
 * Peer Down (4.9) with the reason and the NOTIFICATION; Stats Reports
 * (4.8) with the Adj-RIB-In route counts.
 *
 * Routing contexts are VRFs to a collector: peers of context "default"
 * are global instance peers; peers of other contexts are RD instance
 * peers whose distinguisher is a type 1 route distinguisher made of the
 * router id and a 16-bit hash of the context name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bmp/bmp_int.h"
#include "rib/rib.h"

#define BMP_SYSDESCR	"xroute xrouted (BGP, BFD; RFC 7854 BMP client)"

static uint16_t
ctx_hash(const char *s)
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return (uint16_t)(h ^ (h >> 16));
}

void
bmp_peer_of(struct bmp *b, struct sess *s, struct bmp_peer *p)
{
	const struct sess_conf *sc = sess_conf(s);
	struct sess_ep ep;
	struct timespec ts;

	sess_endpoints(s, &ep);
	clock_gettime(CLOCK_REALTIME, &ts);
	memset(p, 0, sizeof(*p));
	if (strcmp(sc->ctx, "default") != 0) {
		p->type = BMP_PEER_RD;
		p->distinguisher = (uint64_t)1 << 48 |
		    (uint64_t)b->router_id << 16 | ctx_hash(sc->ctx);
	}
	if (!ep.as4)
		p->flags |= BMP_PF_A;
	p->addr = sc->remote;
	p->as = sc->remote_as;
	p->bgp_id = ep.remote_id;
	p->ts_sec = (uint32_t)ts.tv_sec;
	p->ts_usec = (uint32_t)(ts.tv_nsec / 1000);
}

static bool
alive(const struct bmp_coll *c)
{
	return c->fd != -1 && !c->connecting;
}

static void
peer_up(struct bmp_coll *c, struct sess *s, bool live)
{
	const uint8_t *os, *orc;
	size_t slen, rlen, before = c->out.len;
	struct bmp_peer p;
	struct sess_ep ep;

	sess_opens(s, &os, &slen, &orc, &rlen);
	if (slen == 0 || rlen == 0)
		return;
	sess_endpoints(s, &ep);
	bmp_peer_of(c->b, s, &p);
	bmp_coll_commit(c, before, bmp_peer_up_encode(&c->out, &p, &ep.local,
	    ep.lport, ep.rport, os, slen, orc, rlen), live);
}

struct dump {
	struct bmp_coll	*c;
	struct bmp_peer	 p;
	uint8_t		 upd[BGP_MAX_EXT_MSG];
	uint8_t		 attrs[BGP_MAX_EXT_MSG];
};

/* One UPDATE per path: simple, and a dump happens once per connection. */
static int
dump_path(const struct rib_route_view *v, void *arg)
{
	static const struct bgp_encode_ctx ec = { .as4 = true,
	    .ext_msg = false };
	struct dump *d = arg;
	enum bgp_fam fam = v->prefix.af == AF_INET6 ? BGP_FAM_V6U :
	    BGP_FAM_V4U;
	struct wbuf aw, uw;
	size_t before = d->c->out.len;

	if (!alive(d->c) || v->attrs == NULL)
		return 1;
	wbuf_init_fixed(&aw, d->attrs, sizeof(d->attrs));
	wbuf_init_fixed(&uw, d->upd, BGP_MAX_MSG);
	if (bgp_attrs_encode(&aw, v->attrs, fam, &ec) == -1 || aw.err ||
	    bgp_update_pack(&uw, &ec, fam, aw.p, aw.len,
	    &v->attrs->mp_nexthop, &v->attrs->mp_nexthop_ll, &v->prefix,
	    1) != 1)
		return 0;	/* cannot be re-encoded: skip the path */
	bmp_coll_commit(d->c, before, bmp_route_mon_encode(&d->c->out, &d->p,
	    uw.p, uw.len), false);
	return 0;
}

/* EoR per family: the collector knows the dump of this peer is done. */
static void
dump_eor(struct bmp_coll *c, struct dump *d)
{
	struct wbuf uw;
	size_t before;
	unsigned f;

	for (f = 0; f < BGP_FAM_MAX && alive(c); f++) {
		wbuf_init_fixed(&uw, d->upd, BGP_MAX_MSG);
		if (bgp_eor_encode(&uw, (enum bgp_fam)f) == -1)
			continue;
		before = c->out.len;
		bmp_coll_commit(c, before, bmp_route_mon_encode(&c->out,
		    &d->p, uw.p, uw.len), false);
	}
}

/* One page of the Adj-RIB-In of 's'; true when the peer is done. */
static bool
dump_page(struct bmp_coll *c, struct sess *s)
{
	static struct dump d;		/* 128 KiB: not on the stack */
	struct rib_query q = { .table = RIB_ADJ_IN, .peer = sess_rib_peer(s),
	    .max_dests = BMP_SYNC_PAGE };
	struct rib_ctx *rc = rib_ctx_find(c->b->rib, sess_conf(s)->ctx);
	struct rib_page pg;

	if (rc == NULL)
		return true;
	d.c = c;
	bmp_peer_of(c->b, s, &d.p);
	d.p.flags &= ~BMP_PF_A;	/* re-encoded with 4-octet ASes */
	q.has_after = c->sync_has_after;
	q.after = c->sync_after;
	rib_walk_page(rc, &q, dump_path, &d, &pg);
	if (pg.full && alive(c)) {
		c->sync_has_after = true;
		c->sync_after = pg.last;
		return false;
	}
	dump_eor(c, &d);
	return true;
}

static bool
sref_is(const struct bmp_sref *r, struct sess *s)
{
	return strcmp(r->ctx, sess_conf(s)->ctx) == 0 &&
	    addr_cmp(&r->remote, &sess_conf(s)->remote) == 0;
}

/*
 * May live messages about 's' go to the collector? Not while the dump has
 * yet to reach it (no Peer Up yet); sessions that came after the dump
 * started get their Peer Up live.
 */
static bool
reached(const struct bmp_coll *c, struct sess *s)
{
	size_t i;

	if (!c->up || !alive(c))
		return false;
	if (!c->syncing)
		return true;
	for (i = 0; i < c->nsync; i++)
		if (sref_is(&c->sync[i], s))
			return i < c->sync_pos ||
			    (i == c->sync_pos && c->sync_up_sent);
	return true;
}

void
bmp_sync_stop(struct bmp_coll *c)
{
	ev_defer_cancel(c->b->loop, &c->d_sync);
	free(c->sync);
	c->sync = NULL;
	c->nsync = c->sync_pos = 0;
	c->syncing = false;
}

void
bmp_sync_start(struct bmp_coll *c)
{
	struct sess *s;
	size_t before = c->out.len, n = 0;

	bmp_coll_commit(c, before, bmp_initiation_encode(&c->out,
	    BMP_SYSDESCR, c->b->name), false);
	for (s = sess_next(c->b->sm, NULL); s != NULL;
	    s = sess_next(c->b->sm, s))
		n++;
	bmp_sync_stop(c);
	if (n > 0 && (c->sync = calloc(n, sizeof(*c->sync))) == NULL)
		n = 0;
	for (s = sess_next(c->b->sm, NULL); s != NULL && c->nsync < n;
	    s = sess_next(c->b->sm, s)) {
		if (sess_state(s) != SESS_ESTABLISHED)
			continue;
		snprintf(c->sync[c->nsync].ctx, sizeof(c->sync[0].ctx), "%s",
		    sess_conf(s)->ctx);
		c->sync[c->nsync++].remote = sess_conf(s)->remote;
	}
	c->sync_up_sent = c->sync_has_after = false;
	c->syncing = true;
	ev_defer_schedule(c->b->loop, &c->d_sync);
}

/* A step of the dump: the next Peer Up, or the next page. */
void
bmp_sync_job(struct ev_loop *l, struct ev_defer *ev, void *arg)
{
	struct bmp_coll *c = arg;
	struct bmp_sref *r;
	struct sess *s;

	while (alive(c) && c->syncing &&
	    c->out.len - c->out_off < BMP_SYNC_LOW) {
		if (c->sync_pos == c->nsync) {
			bmp_sync_stop(c);
			break;
		}
		r = &c->sync[c->sync_pos];
		s = sess_find(c->b->sm, r->ctx, &r->remote);
		if (s == NULL || sess_state(s) != SESS_ESTABLISHED) {
			/* Gone meanwhile: its Peer Down was not due yet. */
			c->sync_pos++;
			c->sync_up_sent = c->sync_has_after = false;
			continue;
		}
		if (!c->sync_up_sent) {
			peer_up(c, s, false);
			c->sync_up_sent = true;
			c->sync_has_after = false;
		}
		if (alive(c) && dump_page(c, s)) {
			c->sync_pos++;
			c->sync_up_sent = c->sync_has_after = false;
		}
		break;		/* one page per loop turn */
	}
	if (alive(c))
		bmp_coll_kick(c);
	if (alive(c) && c->syncing && c->out.len - c->out_off < BMP_SYNC_LOW)
		ev_defer_schedule(l, &c->d_sync);
}

void
bmp_stats(struct bmp_coll *c)
{
	struct rib_peer_stats st;
	uint64_t adj[BGP_FAM_MAX];
	struct bmp_peer p;
	struct sess *s;
	size_t before;
	unsigned f;

	for (s = sess_next(c->b->sm, NULL); s != NULL && alive(c);
	    s = sess_next(c->b->sm, s)) {
		if (sess_state(s) != SESS_ESTABLISHED || !reached(c, s))
			continue;
		rib_peer_stats(sess_rib_peer(s), &st);
		for (f = 0; f < BGP_FAM_MAX; f++)
			adj[f] = st.pfx_rcvd[f];
		bmp_peer_of(c->b, s, &p);
		before = c->out.len;
		bmp_coll_commit(c, before, bmp_stats_encode(&c->out, &p, adj),
		    true);
	}
}

/* --- live events from the sessions ------------------------------------- */

void
bmp_mon_msg(void *arg, struct sess *s, bool sent, const uint8_t *msg,
    size_t len)
{
	struct bmp *b = arg;
	struct bmp_coll *c;
	struct bmp_peer p;
	size_t before;

	if (msg[18] == BGP_NOTIFICATION && len <= sizeof(b->notif)) {
		b->notif_sess = s;
		b->notif_sent = sent;
		memcpy(b->notif, msg, len);
		b->notif_len = len;
		return;
	}
	if (sent || msg[18] != BGP_UPDATE || sess_state(s) != SESS_ESTABLISHED)
		return;
	bmp_peer_of(b, s, &p);
	for (c = b->colls; c != NULL; c = c->next) {
		if (!reached(c, s))
			continue;
		before = c->out.len;
		bmp_coll_commit(c, before, bmp_route_mon_encode(&c->out, &p,
		    msg, len), true);
	}
}

/* RFC 4271 8.1 event numbers, for Peer Down reason 2 (RFC 7854 4.9). */
static const uint16_t fsm_event_no[SEV_EVENT_MAX] = {
	[SEV_START] = 1, [SEV_START_PASSIVE] = 4, [SEV_STOP] = 2,
	[SEV_CONNRETRY_EXP] = 9, [SEV_HOLD_EXP] = 10,
	[SEV_KEEPALIVE_EXP] = 11, [SEV_TCP_CONNECTED] = 17,
	[SEV_TCP_ACCEPTED] = 14, [SEV_TCP_FAIL] = 18, [SEV_OPEN] = 19,
	[SEV_OPEN_ERR] = 22, [SEV_HDR_ERR] = 21, [SEV_NOTIF] = 25,
	[SEV_KEEPALIVE_MSG] = 26, [SEV_UPDATE_MSG] = 27,
	[SEV_UPDATE_ERR] = 28, [SEV_COLLISION_DUMP] = 23,
	[SEV_MAXPFX] = 8, [SEV_RESET] = 2,
};

static void
peer_down(struct bmp *b, struct bmp_coll *c, struct sess *s,
    enum sess_event why)
{
	struct bmp_peer p;
	size_t before = c->out.len;
	uint8_t reason, ev[2];
	const uint8_t *data = NULL;
	size_t dlen = 0;

	if (b->notif_sess == s) {
		reason = b->notif_sent ? BMP_DOWN_LOCAL_NOTIF :
		    BMP_DOWN_REMOTE_NOTIF;
		data = b->notif;
		dlen = b->notif_len;
	} else if (why == SEV_TCP_FAIL) {
		/* The connection went away without a NOTIFICATION. */
		reason = BMP_DOWN_REMOTE_NONOTIF;
	} else {
		/* Our FSM closed without one: the event that did it. */
		reason = BMP_DOWN_LOCAL_NONOTIF;
		ev[0] = (uint8_t)(fsm_event_no[why] >> 8);
		ev[1] = (uint8_t)fsm_event_no[why];
		data = ev;
		dlen = sizeof(ev);
	}
	bmp_peer_of(b, s, &p);
	bmp_coll_commit(c, before, bmp_peer_down_encode(&c->out, &p, reason,
	    data, dlen), true);
}

void
bmp_mon_state(void *arg, struct sess *s, enum sess_state from,
    enum sess_state to, enum sess_event why)
{
	struct bmp *b = arg;
	struct bmp_coll *c;

	if (to != SESS_ESTABLISHED && from != SESS_ESTABLISHED)
		return;
	for (c = b->colls; c != NULL; c = c->next) {
		if (!reached(c, s))
			continue;
		if (to == SESS_ESTABLISHED)
			peer_up(c, s, true);
		else
			peer_down(b, c, s, why);
	}
	if (b->notif_sess == s)
		b->notif_sess = NULL;
}
