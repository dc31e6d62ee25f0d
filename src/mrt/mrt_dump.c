/*
 * TABLE_DUMP_V2 dumps of the Loc-RIB (RFC 6396 4.3): per routing context
 * one PEER_INDEX_TABLE (the view name is the context name) followed by one
 * RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record per prefix with every path
 * the context holds for it, best first.
 *
 * A dump is a resumable job: each loop turn walks one page of MRT_PAGE
 * prefixes (rib_walk_page), so a full table never holds the loop, and
 * mrt_file.c writes to disk in slices too. The peer index must precede
 * the RIB records but is only known once a context is walked, so its RIB
 * records collect in a side buffer and the file gets the index, then that
 * buffer. A dump spanning turns sees the RIB as it changes, as BIRD's and
 * OpenBGPD's do: each record is consistent, the file is not a snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/log.h"
#include "mrt/mrt_int.h"
#include "rib/rib.h"
#include "session/sess.h"

#define MRT_MAX_PEERS	65535

static void	dump_job(struct ev_loop *, struct ev_defer *, void *);

static bool
peer_eq(const struct mrt_peer *a, const struct mrt_peer *b)
{
	return a->bgp_id == b->bgp_id && a->as == b->as &&
	    addr_cmp(&a->addr, &b->addr) == 0;
}

/* Index of the peer in the table, added if new; -1 when full. */
static int
peer_index(struct mrt_tctx *t, const struct mrt_peer *p)
{
	struct mrt_peer *np;
	size_t i;

	/* Paths of one peer are spread over the prefixes, but a context
	 * has few peers: a linear search with the last hit first. */
	if (t->last < t->npeers && peer_eq(&t->peers[t->last], p))
		return (int)t->last;
	for (i = 0; i < t->npeers; i++)
		if (peer_eq(&t->peers[i], p))
			return (int)(t->last = i);
	if (t->npeers == MRT_MAX_PEERS)
		return -1;
	if (t->npeers == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		if ((np = realloc(t->peers, t->cap * sizeof(*np))) == NULL)
			return -1;
		t->peers = np;
	}
	t->peers[t->npeers] = *p;
	return (int)(t->last = t->npeers++);
}

static int
rec_close(struct mrt_tctx *t)
{
	int rc = 0;

	if (t->open)
		rc = mrt_rib_finish(&t->body, t->rec, t->count);
	t->open = false;
	return rc;
}

static void
view_peer(const struct mrt_tdump *d, const struct rib_route_view *v,
    struct mrt_peer *p)
{
	memset(p, 0, sizeof(*p));
	if (v->local) {
		/* Our own routes: the collector itself, address 0. */
		p->bgp_id = d->m->router_id;
		p->addr.af = AF_INET;
		p->as = d->t.local_as;
	} else {
		p->bgp_id = v->from_id;
		p->addr = v->from;
		p->as = v->from_as;
	}
}

static int
dump_path(const struct rib_route_view *v, void *arg)
{
	struct mrt_tdump *d = arg;
	struct mrt_tctx *t = &d->t;
	enum bgp_fam fam = v->prefix.af == AF_INET6 ? BGP_FAM_V6U :
	    BGP_FAM_V4U;
	struct mrt_peer p;
	uint64_t age = v->age_us / 1000000;
	int idx;

	if (!t->open || prefix_cmp(&t->cur, &v->prefix) != 0) {
		if (rec_close(t) == -1)
			goto fail;
		t->cur = v->prefix;
		t->count = 0;
		t->rec = mrt_rib_begin(&t->body, d->now, t->seq++, &v->prefix);
		t->open = true;
		d->prefixes++;
	}
	view_peer(d, v, &p);
	if ((idx = peer_index(t, &p)) == -1 || t->count == UINT16_MAX ||
	    v->attrs == NULL)
		goto fail;
	if (mrt_rib_entry(&t->body, (uint16_t)idx,
	    age < d->now ? d->now - (uint32_t)age : 0, v->attrs, fam) == -1)
		goto fail;
	t->count++;
	d->paths++;
	return 0;
fail:
	d->failed = true;
	return 1;
}

/* The local AS of a context: that of any of its sessions, else global. */
static uint32_t
ctx_local_as(struct mrt *m, const char *ctx)
{
	struct sess *s;

	if (m->sm == NULL)
		return m->local_as;
	for (s = sess_next(m->sm, NULL); s != NULL; s = sess_next(m->sm, s))
		if (strcmp(sess_conf(s)->ctx, ctx) == 0)
			return sess_conf(s)->local_as;
	return m->local_as;
}

static void
tctx_reset(struct mrt_tdump *d)
{
	wbuf_free(&d->t.body);
	free(d->t.peers);
	memset(&d->t, 0, sizeof(d->t));
	d->has_after = false;
}

static int
tctx_start(struct mrt_tdump *d)
{
	tctx_reset(d);
	d->t.local_as = ctx_local_as(d->m, rib_ctx_name(d->c));
	return wbuf_init(&d->t.body, 64 * 1024, MRT_BUF_MAX);
}

/* The context is walked: index, then its records, into the file. */
static int
tctx_finish(struct mrt_tdump *d)
{
	struct mrt_file *f = d->f;
	size_t before = f->buf.len;
	int rc;

	rc = rec_close(&d->t) == -1 || d->t.body.err ? -1 : 0;
	if (rc == 0)
		rc = mrt_peer_index_encode(&f->buf, d->now, d->m->router_id,
		    rib_ctx_name(d->c), d->t.peers, d->t.npeers);
	if (rc == 0 && wbuf_put_bytes(&f->buf, d->t.body.p, d->t.body.len))
		rc = -1;
	if (rc == -1 || f->buf.err) {
		wbuf_truncate(&f->buf, before);
		f->buf.err = false;
		return -1;
	}
	d->contexts++;
	d->peers += d->t.npeers;
	ev_defer_schedule(d->m->loop, &f->d);
	return 0;
}

static void
dump_end(struct mrt_tdump *d)
{
	struct mrt_tdump **pp;

	for (pp = &d->m->dumps; *pp != NULL; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	if (d->failed) {
		log_err("mrt: %s: the table does not fit an MRT dump (more "
		    "than 65535 peers or paths per prefix, or %u MiB); "
		    "discarded", d->f->path, MRT_BUF_MAX >> 20);
		d->f->failed = true;
	} else
		log_info("mrt: %s: %zu contexts, %zu prefixes, %zu paths, "
		    "%zu peers", d->f->path, d->contexts, d->prefixes,
		    d->paths, d->peers);
	mrt_file_close(d->f);
	ev_defer_cancel(d->m->loop, &d->d);
	tctx_reset(d);
	free(d);
}

/* One page of the current context; the next context when it is done. */
static void
dump_job(struct ev_loop *l, struct ev_defer *ev, void *arg)
{
	struct mrt_tdump *d = arg;
	struct rib_query q = { .table = RIB_LOC, .max_dests = MRT_PAGE };
	struct rib_page pg;

	q.has_after = d->has_after;
	q.after = d->after;
	rib_walk_page(d->c, &q, dump_path, d, &pg);
	if (!d->failed && pg.full) {
		d->has_after = true;
		d->after = pg.last;
		ev_defer_schedule(l, &d->d);
		return;
	}
	if (!d->failed && tctx_finish(d) == -1)
		d->failed = true;
	if (d->failed || d->one ||
	    (d->c = rib_ctx_next(d->m->rib, d->c)) == NULL) {
		dump_end(d);
		return;
	}
	if (tctx_start(d) == -1) {
		d->failed = true;
		dump_end(d);
		return;
	}
	ev_defer_schedule(l, &d->d);
}

int
mrt_dump_table(struct mrt *m, const char *path, const char *ctx,
    struct mrt_dump_info *info, char *err, size_t errlen)
{
	struct rib_ctx_stats st;
	struct rib_ctx *c = NULL;
	struct mrt_tdump *d;
	unsigned f;

	memset(info, 0, sizeof(*info));
	if (ctx != NULL && ctx[0] != '\0' &&
	    (c = rib_ctx_find(m->rib, ctx)) == NULL) {
		snprintf(err, errlen, "no context %s", ctx);
		return -1;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->m = m;
	d->one = c != NULL;
	d->c = c != NULL ? c : rib_ctx_next(m->rib, NULL);
	d->now = (uint32_t)time(NULL);
	ev_defer_init(&d->d, dump_job, d);
	if ((d->f = mrt_file_open(m, path, err, errlen)) == NULL) {
		free(d);
		return -1;
	}
	d->next = m->dumps;
	m->dumps = d;
	/* What the dump will hold, as the RIB stands now. */
	snprintf(info->path, sizeof(info->path), "%s", path);
	for (c = d->c; c != NULL; c = d->one ? NULL : rib_ctx_next(m->rib, c)) {
		rib_ctx_stats(c, &st);
		info->contexts++;
		for (f = 0; f < BGP_FAM_MAX; f++)
			info->prefixes += st.prefixes[f];
		info->paths += st.paths;
	}
	if (d->c == NULL || tctx_start(d) == -1) {
		d->failed = d->c != NULL;
		dump_end(d);
		return 0;
	}
	ev_defer_schedule(m->loop, &d->d);
	return 0;
}

/* Shutdown: finish every dump now, whatever the time it takes. */
void
mrt_dumps_abort(struct mrt *m)
{
	struct mrt_tdump *d;

	while ((d = m->dumps) != NULL) {
		while (m->dumps == d)
			dump_job(m->loop, &d->d, d);
	}
}
