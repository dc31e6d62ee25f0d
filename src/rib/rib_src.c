/*
 * Path sources: one per peer session and one per context for local routes.
 * When a session ends its source dies and a flush job removes its paths in
 * slices from the event loop (a full table must not block the loop for
 * seconds); the peer may come back meanwhile with a new source, so the
 * flush and the new session never touch the same paths.
 *
 * Source ids are 16 bits and recycled oldest-first, so an id still
 * remembered somewhere (an update group's excluded member) is not reused
 * before its prefixes have been re-evaluated.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "rib/rib_priv.h"

/* Dests visited per loop turn by a flush. */
#define RIB_FLUSH_SLICE	32768

static void	flush_cb(struct ev_loop *, struct ev_defer *, void *);

static int
src_id_alloc(struct rib *r, uint16_t *id)
{
	struct rib_src **n;
	uint32_t cap;

	if (r->src_hwm <= RIB_MAX_SRC) {
		if (r->src_hwm >= r->src_cap) {
			cap = r->src_cap ? r->src_cap * 2 : 64;
			if (cap > RIB_MAX_SRC + 1)
				cap = RIB_MAX_SRC + 1;
			if ((n = realloc(r->srcs, cap * sizeof(*n))) == NULL)
				return -1;
			memset(n + r->src_cap, 0, (cap - r->src_cap) *
			    sizeof(*n));
			r->srcs = n;
			r->src_cap = cap;
		}
		*id = (uint16_t)r->src_hwm++;
		return 0;
	}
	if (r->src_rcount == 0)
		return -1;
	*id = r->src_ring[r->src_rhead];
	r->src_rhead = (r->src_rhead + 1) % (RIB_MAX_SRC + 1);
	r->src_rcount--;
	return 0;
}

static void
src_id_free(struct rib *r, uint16_t id)
{
	if (r->src_ring == NULL &&
	    (r->src_ring = calloc(RIB_MAX_SRC + 1, sizeof(uint16_t))) == NULL)
		return;		/* the id is lost, not reused: harmless */
	r->src_ring[(r->src_rhead + r->src_rcount) % (RIB_MAX_SRC + 1)] = id;
	r->src_rcount++;
}

struct rib_src *
rib_src_new(struct rib_ctx *c, enum rib_src_kind kind)
{
	struct rib *r = c->rib;
	struct rib_src *s;
	uint16_t id;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (src_id_alloc(r, &id) == -1) {
		free(s);
		return NULL;
	}
	s->id = id;
	s->kind = (uint8_t)kind;
	s->ctx = c;
	ev_defer_init(&s->flush, flush_cb, s);
	r->srcs[id] = s;
	return s;
}

static void
src_free(struct rib_src *s)
{
	struct rib *r = s->ctx->rib;
	struct rib_src **sp;

	for (sp = &r->flushing; *sp != NULL; sp = &(*sp)->fnext)
		if (*sp == s) {
			*sp = s->fnext;
			break;
		}
	r->srcs[s->id] = NULL;
	src_id_free(r, s->id);
	free(s);
}

/* Remove up to a slice of the source's paths; true when all are gone. */
static bool
flush_slice(struct rib_src *s)
{
	struct rib_ctx *c = s->ctx;
	struct rib_tab *t;
	uint32_t i, n = 0;

	while (s->ffam < BGP_FAM_MAX) {
		t = &c->tab[s->ffam];
		while (s->fidx < t->dests.hwm) {
			if (n++ == RIB_FLUSH_SLICE)
				return false;
			i = s->fidx++;
			if (rib_dest_at(t, i)->flags & RIB_DF_FREE)
				continue;
			rib_path_unlink_src(c, t, i, s->id);
		}
		s->ffam++;
		s->fidx = 1;
	}
	return true;
}

static void
flush_cb(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct rib_src *s = arg;
	struct rib *r = s->ctx->rib;

	rib_enter(r);
	if (flush_slice(s))
		src_free(s);
	else
		ev_defer_schedule(l, &s->flush);
	rib_leave(r);
}

/* The session ended: its paths go, in slices when there is a loop. */
void
rib_src_kill(struct rib_src *s)
{
	struct rib *r = s->ctx->rib;

	s->dead = true;
	s->peer = NULL;
	s->ffam = 0;
	s->fidx = 1;
	s->fnext = r->flushing;
	r->flushing = s;
	if (r->loop != NULL) {
		ev_defer_schedule(r->loop, &s->flush);
		return;
	}
	while (!flush_slice(s))
		;
	src_free(s);
}

bool
rib_busy(const struct rib *r)
{
	return r->flushing != NULL;
}

/* rib_free(): every source goes, paths are freed wholesale elsewhere. */
void
rib_src_free_all(struct rib *r)
{
	uint32_t i;

	/* src_hwm starts at 1 (id 0 is reserved) before any array exists */
	for (i = 0; r->srcs != NULL && i < r->src_hwm; i++) {
		if (r->srcs[i] == NULL)
			continue;
		if (r->loop != NULL)
			ev_defer_cancel(r->loop, &r->srcs[i]->flush);
		free(r->srcs[i]);
	}
	free(r->srcs);
	free(r->src_ring);
	r->srcs = NULL;
	r->src_ring = NULL;
	r->flushing = NULL;
}
