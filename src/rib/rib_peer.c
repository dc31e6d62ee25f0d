/*
 * RIB peers: session up/down, the pull interface that hands the session
 * ready-to-send messages, per-member dumps (initial, and route refresh per
 * RFC 2918), End-of-RIB (RFC 4724 2), and wakeups.
 *
 * A member reads, in this order: its private records (dump output), the
 * rest of its dump, its End-of-RIB once it is in sync, then the group's
 * shared blocks, and when those are read, makes the group produce more.
 * The dump reads the group's committed Adj-RIB-Out, and everything
 * committed after the member joined reaches it through the shared blocks
 * afterwards, so the last message a member sees about a prefix is always
 * the current one.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/log.h"
#include "rib/rib_priv.h"

/* Dests a single pull may walk without producing output. */
#define RIB_WORK_CAP	65536

static void
peer_wake_cb(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct rib_peer *p = arg;

	if (p->up && p->ops.wakeup != NULL)
		p->ops.wakeup(p->owner);
}

void
rib_wake(struct rib_peer *m)
{
	struct rib *r = m->ctx->rib;

	if (m->wake_queued)
		return;
	m->wake_queued = true;
	m->wnext = r->wake;
	r->wake = m;
}

void
rib_wake_group(struct rib_group *g)
{
	struct rib_peer *m;

	for (m = g->members; m != NULL; m = m->gnext)
		rib_wake(m);
}

static void
wake_unqueue(struct rib_peer *p)
{
	struct rib *r = p->ctx->rib;
	struct rib_peer **pp;

	if (!p->wake_queued)
		return;
	for (pp = &r->wake; *pp != NULL; pp = &(*pp)->wnext)
		if (*pp == p) {
			*pp = p->wnext;
			break;
		}
	p->wake_queued = false;
}

/* Call the wakeups collected during the API call that is returning. */
void
rib_wake_flush(struct rib *r)
{
	struct rib_peer *m;

	while ((m = r->wake) != NULL) {
		r->wake = m->wnext;
		m->wake_queued = false;
		m->wnext = NULL;
		if (m->up && m->ops.wakeup != NULL)
			m->ops.wakeup(m->owner);
	}
}

struct rib_peer *
rib_peer_add(struct rib_ctx *c, const struct rib_peer_conf *conf,
    const struct rib_peer_ops *ops, void *owner)
{
	struct rib_peer *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->ctx = c;
	p->conf = *conf;
	p->conf.name[sizeof(p->conf.name) - 1] = '\0';
	if (ops != NULL)
		p->ops = *ops;
	p->owner = owner;
	ev_defer_init(&p->wake_defer, peer_wake_cb, p);
	p->next = c->peers;
	c->peers = p;
	c->npeers++;
	return p;
}

void
rib_peer_remove(struct rib_peer *p)
{
	struct rib_ctx *c = p->ctx;
	struct rib *r = c->rib;
	struct rib_peer **pp;

	rib_enter(r);
	rib_peer_down(p);
	for (pp = &c->peers; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	c->npeers--;
	wake_unqueue(p);
	rib_leave(r);
	if (r->loop != NULL)
		ev_defer_cancel(r->loop, &p->wake_defer);
	wbuf_free(&p->priv);
	free(p);
}

const struct rib_peer_conf *
rib_peer_conf(const struct rib_peer *p)
{
	return &p->conf;
}

void
rib_peer_up(struct rib_peer *p, const struct rib_peer_session *sess)
{
	struct rib *r = p->ctx->rib;
	struct rib_src *s;

	if (p->up)
		rib_peer_down(p);
	rib_enter(r);
	s = rib_src_new(p->ctx, p->conf.local_as != p->conf.remote_as ?
	    RIB_SK_EBGP : RIB_SK_IBGP);
	if (s == NULL) {
		log_err("rib: peer %s: no room for another session",
		    p->conf.name);
		rib_leave(r);
		return;
	}
	p->sess = *sess;
	s->remote_as = p->conf.remote_as;
	s->remote_id = sess->remote_id;
	s->addr = p->conf.remote_addr;
	s->peer = p;
	p->src = s;
	memset(&p->st, 0, sizeof(p->st));
	memset(p->filt_reason, 0, sizeof(p->filt_reason));
	memset(p->maxpfx_fired, 0, sizeof(p->maxpfx_fired));
	p->maxpfx_pending = 0;
	p->regroup = false;
	p->up = true;
	rib_group_join(p);
	rib_leave(r);
}

void
rib_peer_down(struct rib_peer *p)
{
	struct rib *r = p->ctx->rib;
	unsigned f;

	if (!p->up)
		return;
	rib_enter(r);
	rib_group_leave(p);
	p->up = false;
	rib_src_kill(p->src);
	p->src = NULL;
	for (f = 0; f < BGP_FAM_MAX; f++) {
		p->st.pfx_rcvd[f] = 0;
		p->st.pfx_accepted[f] = 0;
		p->st.pfx_filtered[f] = 0;
		p->st.pfx_sent[f] = 0;
	}
	memset(p->filt_reason, 0, sizeof(p->filt_reason));
	rib_leave(r);
}

void
rib_peer_filtered(const struct rib_peer *p,
    void (*cb)(void *, const char *, uint32_t), void *arg)
{
	unsigned i;

	for (i = 1; i < 256; i++)
		if (p->filt_reason[i] != 0)
			cb(arg, rib_reason_str(p->ctx->rib, (uint8_t)i),
			    p->filt_reason[i]);
}

void
rib_peer_set_conf(struct rib_peer *p, const struct rib_peer_conf *conf)
{
	struct rib_peer_conf old = p->conf;
	struct rib *r = p->ctx->rib;
	unsigned f;

	p->conf = *conf;
	p->conf.name[sizeof(p->conf.name) - 1] = '\0';
	if (!p->up)
		return;
	rib_enter(r);
	if (old.policy.import != conf->policy.import ||
	    old.policy.arg != conf->policy.arg)
		rib_in_reimport(p);
	if (old.policy.export != conf->policy.export ||
	    old.policy.arg != conf->policy.arg) {
		/* applied once the member is in sync with its group */
		p->regroup = true;
		rib_wake(p);
	}
	for (f = 0; f < BGP_FAM_MAX; f++)
		if (conf->max_prefix[f] != 0 && p->st.pfx_rcvd[f] >
		    conf->max_prefix[f] && !p->maxpfx_fired[f]) {
			p->maxpfx_fired[f] = true;
			p->maxpfx_pending |= (uint8_t)BGP_FAM_BIT(f);
		}
	rib_leave(r);
	if (p->maxpfx_pending)
		rib_peer_maxpfx_report(p);
}

void
rib_peer_reexport(struct rib_peer *p)
{
	struct rib *r = p->ctx->rib;

	if (!p->up || p->group == NULL)
		return;
	rib_enter(r);
	rib_group_rescan(p->group);
	rib_leave(r);
}

void
rib_peer_refresh(struct rib_peer *p, enum bgp_fam fam)
{
	struct rib *r = p->ctx->rib;

	if (!p->up || p->group == NULL || fam >= BGP_FAM_MAX ||
	    !(p->group->key.fams & BGP_FAM_BIT(fam)))
		return;
	rib_enter(r);
	p->dump_fams |= (uint8_t)BGP_FAM_BIT(fam);
	p->dump_fam = 0;
	p->dump_idx = 1;
	rib_wake(p);
	rib_leave(r);
}

/* --- pulling messages ------------------------------------------------------ */

static void
patch_nh(const struct rib_peer *m, struct wbuf *w, size_t pos,
    const struct rib_rec *rec)
{
	struct addr a;

	rib_peer_nh_self(m, rec->nh_len == 4 ? BGP_FAM_V4U : BGP_FAM_V6U, &a);
	memcpy(w->p + pos + rec->nh_off, a.b, rec->nh_len);
}

enum { COPY_FULL = 0, COPY_DRAINED = 1, COPY_MARK = 2 };

/* Copy the records of src from *off that are meant for m into w. */
static int
copy_recs(struct rib_peer *m, const struct wbuf *src, uint32_t *off,
    struct wbuf *w, size_t start, size_t budget)
{
	uint16_t me = m->src->id;
	struct rib_rec rec;
	size_t pos;

	while (*off < src->len) {
		memcpy(&rec, src->p + *off, sizeof(rec));
		if (rec.type == RIB_REC_SCAN_DONE) {
			*off += sizeof(rec);
			m->wait_scan = false;
			return COPY_MARK;
		}
		if ((rec.except == 0 || rec.except != me) &&
		    (rec.only == 0 || rec.only == me)) {
			/* at least one message per pull, then the budget */
			if (w->len > start && w->len - start + rec.len > budget)
				return COPY_FULL;
			if (wbuf_room(w) < rec.len)
				return COPY_FULL;
			pos = w->len;
			if (wbuf_put_bytes(w, src->p + *off + sizeof(rec),
			    rec.len) == -1)
				return COPY_FULL;
			if (rec.nh_off != 0)
				patch_nh(m, w, pos, &rec);
			m->st.updates_out += rec.nann;
			m->st.withdraws_out += rec.nwd;
		}
		*off += (uint32_t)(sizeof(rec) + rec.len);
	}
	return COPY_DRAINED;
}

static bool
write_eor(struct rib_peer *m, struct wbuf *w, size_t start, size_t budget)
{
	unsigned f;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		if (!(m->eor_owed & BGP_FAM_BIT(f)))
			continue;
		if ((w->len > start && w->len - start + 32 > budget) ||
		    wbuf_room(w) < 32 || bgp_eor_encode(w, f) == -1)
			return false;
		m->eor_owed &= (uint8_t)~BGP_FAM_BIT(f);
	}
	return true;
}

/* Encode the next slice of this member's dump into its private records. */
static void
dump_produce(struct rib_peer *m, size_t *work)
{
	struct rib_group *g = m->group;
	struct rib_batch *b = &m->ctx->rib->batch;
	uint16_t me = m->src->id;
	struct rib_tab *t;
	struct prefix p;
	uint32_t key, i, n = 0;
	unsigned f;

	rib_batch_reset(b);
	while (m->dump_fams != 0 && b->ni < RIB_BATCH && n < 4 * RIB_BATCH) {
		f = m->dump_fam;
		if (f >= BGP_FAM_MAX) {
			m->dump_fam = 0;
			m->dump_idx = 1;
			continue;
		}
		t = &m->ctx->tab[f];
		if (!(m->dump_fams & BGP_FAM_BIT(f)) ||
		    m->dump_idx >= t->dests.hwm) {
			if (m->dump_fams & BGP_FAM_BIT(f))
				m->dump_fams &= (uint8_t)~BGP_FAM_BIT(f);
			m->dump_fam++;
			m->dump_idx = 1;
			continue;
		}
		i = m->dump_idx++;
		n++;
		if ((key = rib_sent_get(g, f, i)) == 0 ||
		    rib_excl_get(g, f, i) == me)
			continue;
		rib_dest_prefix(t, rib_dest_at(t, i), &p);
		if (rib_batch_add(b, f, false, key, 0, 0, &p) == -1)
			break;
	}
	*work += n;
	if (m->dump_fams == 0)
		m->dump_fam = 0;
	if (b->ni == 0)
		return;
	if (m->priv.p == NULL && m->priv.max == 0 &&
	    wbuf_init(&m->priv, 16384, 64u << 20) == -1)
		return;
	if (rib_batch_encode(g, b, &m->priv) == -1)
		log_err("rib: peer %s: out of memory encoding a dump",
		    m->conf.name);
}

static bool
work_capped(struct rib_peer *m, size_t work)
{
	struct rib *r = m->ctx->rib;

	if (r->loop == NULL || work < RIB_WORK_CAP)
		return false;
	/* resume next loop turn rather than block it */
	ev_defer_schedule(r->loop, &m->wake_defer);
	return true;
}

/* One step of a pull; false when nothing more can be done now. */
static bool
pull_step(struct rib_peer *m, struct wbuf *w, size_t start, size_t budget,
    size_t *work)
{
	struct rib_group *g = m->group;

	if (m->priv_off < m->priv.len) {
		if (copy_recs(m, &m->priv, &m->priv_off, w, start, budget) ==
		    COPY_FULL)
			return false;
		wbuf_reset(&m->priv);
		m->priv_off = 0;
		if (m->dump_fams == 0)
			wbuf_free(&m->priv);
		return true;
	}
	if (m->dump_fams != 0) {
		if (work_capped(m, *work))
			return false;
		dump_produce(m, work);
		return true;
	}
	if (m->eor_owed != 0 && !m->wait_scan)
		return write_eor(m, w, start, budget);
	if (m->cur != NULL) {
		if (copy_recs(m, &m->cur->w, &m->cur_off, w, start, budget) ==
		    COPY_FULL)
			return false;
		if (m->cur_off >= m->cur->w.len)
			rib_group_advance(m);
		return true;
	}
	if (m->regroup && !g->scanning) {
		m->regroup = false;
		rib_group_split(m);
		return true;
	}
	if (rib_group_pending(g)) {
		if (work_capped(m, *work))
			return false;
		return rib_group_produce(g, work) != 0;
	}
	return false;
}

size_t
rib_peer_pull(struct rib_peer *m, struct wbuf *w, size_t budget)
{
	struct rib *r = m->ctx->rib;
	size_t start = w->len, work = 0;

	if (!m->up || m->group == NULL || budget == 0)
		return 0;
	rib_enter(r);
	while (pull_step(m, w, start, budget, &work))
		;
	rib_leave(r);
	return w->len - start;
}

bool
rib_peer_pending(const struct rib_peer *m)
{
	const struct rib_group *g = m->group;

	if (!m->up || g == NULL)
		return false;
	return m->priv_off < m->priv.len || m->dump_fams != 0 ||
	    (m->eor_owed != 0 && !m->wait_scan) || m->cur != NULL ||
	    m->regroup || (rib_group_pending(g) && !g->stalled);
}

void
rib_peer_stats(const struct rib_peer *p, struct rib_peer_stats *st)
{
	unsigned f;

	*st = p->st;
	for (f = 0; f < BGP_FAM_MAX; f++)
		st->pfx_sent[f] = p->group != NULL ?
		    p->group->nsent[f] - p->nexcl[f] : 0;
}
