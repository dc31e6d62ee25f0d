/*
 * The RIB engine and its routing contexts: creation, lookup, teardown,
 * statistics, the FIB hook, and the bookkeeping every public call shares
 * (wakeups are delivered when the outermost call returns, so a session
 * callback never runs in the middle of a table update).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "rib/rib_priv.h"

struct rib *
rib_new(struct ev_loop *loop)
{
	struct rib *r;

	hash_init();
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->loop = loop;
	r->epoch_us = mono_us();
	r->src_hwm = 1;		/* source id 0 = none */
	rib_attr_init(r);
	r->scratch_len = 4 * BGP_MAX_EXT_MSG;
	r->scratch = malloc(r->scratch_len);
	r->edit = malloc(sizeof(*r->edit));
	if (r->scratch == NULL || r->edit == NULL ||
	    wbuf_init(&r->tmp, 1024, BGP_MAX_EXT_MSG) == -1) {
		rib_free(r);
		return NULL;
	}
	return r;
}

static void
ctx_free(struct rib_ctx *c)
{
	struct rib_peer *p;
	unsigned f;

	while (c->groups != NULL)
		rib_group_destroy(c->groups, false);
	while ((p = c->peers) != NULL) {
		c->peers = p->next;
		if (c->rib->loop != NULL)
			ev_defer_cancel(c->rib->loop, &p->wake_defer);
		wbuf_free(&p->priv);
		free(p);
	}
	for (f = 0; f < BGP_FAM_MAX; f++)
		rib_table_fini(&c->tab[f]);
	rib_slab_free(&c->paths);
	free(c);
}

void
rib_free(struct rib *r)
{
	struct rib_ctx *c;
	unsigned i;

	if (r == NULL)
		return;
	while ((c = r->ctxs) != NULL) {
		r->ctxs = c->next;
		ctx_free(c);
	}
	rib_src_free_all(r);
	rib_attr_fini(r);
	for (i = 1; i <= r->nreasons; i++)
		if (r->reason_owned[i])
			free((char *)(uintptr_t)r->reasons[i]);
	rib_batch_free(&r->batch);
	wbuf_free(&r->tmp);
	free(r->scratch);
	free(r->edit);
	free(r);
}

struct rib_ctx *
rib_ctx_find(struct rib *r, const char *name)
{
	struct rib_ctx *c;

	for (c = r->ctxs; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

struct rib_ctx *
rib_ctx_get(struct rib *r, const char *name)
{
	struct rib_ctx *c, **cp;
	unsigned f;

	if ((c = rib_ctx_find(r, name)) != NULL)
		return c;
	if (strlen(name) >= sizeof(c->name) || (c = calloc(1, sizeof(*c))) ==
	    NULL)
		return NULL;
	c->rib = r;
	strcpy(c->name, name);
	for (f = 0; f < BGP_FAM_MAX; f++)
		rib_table_init(&c->tab[f], (enum bgp_fam)f);
	rib_slab_init(&c->paths, sizeof(struct rib_path));
	if ((c->local = rib_src_new(c, RIB_SK_LOCAL)) == NULL) {
		rib_slab_free(&c->paths);
		free(c);
		return NULL;
	}
	for (cp = &r->ctxs; *cp != NULL; cp = &(*cp)->next)
		;
	*cp = c;
	return c;
}

const char *
rib_ctx_name(const struct rib_ctx *c)
{
	return c->name;
}

struct rib_ctx *
rib_ctx_next(struct rib *r, struct rib_ctx *c)
{
	return c == NULL ? r->ctxs : c->next;
}

void
rib_set_router_id(struct rib *r, uint32_t id)
{
	r->router_id = id;
}

/* Seconds since rib_new(), read once per API call. */
uint32_t
rib_now_sec(const struct rib *r)
{
	return r->now_sec;
}

void
rib_enter(struct rib *r)
{
	uint64_t now;

	if (r->depth++ == 0) {
		now = r->loop != NULL ? ev_now(r->loop) : mono_us();
		r->now_sec = (uint32_t)((now - r->epoch_us) / USEC_PER_SEC);
	}
}

void
rib_leave(struct rib *r)
{
	if (--r->depth == 0)
		rib_wake_flush(r);
}

/* Index of a filter reason (static strings from the policy hooks). */
uint8_t
rib_reason_idx(struct rib *r, const char *why)
{
	unsigned i;

	for (i = 1; i <= r->nreasons; i++)
		if (r->reasons[i] == why || strcmp(r->reasons[i], why) == 0)
			return (uint8_t)i;
	if (r->nreasons == 254)
		return 255;
	r->reasons[++r->nreasons] = why;
	return (uint8_t)r->nreasons;
}

#define RIB_REASON_COPIES	64	/* the rest share one generic text */
#define RIB_REASON_7606		"RFC 7606 treat-as-withdraw"

static uint8_t
reason_find_sticky(const struct rib *r, const char *why)
{
	unsigned i;

	for (i = 1; i <= r->nreasons; i++)
		if (r->reason_sticky[i] && strcmp(r->reasons[i], why) == 0)
			return (uint8_t)i;
	return 0;
}

static uint8_t
reason_add_sticky(struct rib *r, const char *why, bool owned)
{
	r->reasons[++r->nreasons] = why;
	r->reason_sticky[r->nreasons] = true;
	r->reason_owned[r->nreasons] = owned;
	return (uint8_t)r->nreasons;
}

/*
 * Texts built from what a peer sent are copied, at most RIB_REASON_COPIES
 * of them: a peer cannot fill the table the policy reasons need.
 */
uint8_t
rib_reason_copy(struct rib *r, const char *why)
{
	uint8_t idx;
	char *c;

	if ((idx = reason_find_sticky(r, why)) != 0)
		return idx;
	if (r->nreasons >= 253)
		return 255;
	if (r->ncopies < RIB_REASON_COPIES && (c = strdup(why)) != NULL) {
		r->ncopies++;
		return reason_add_sticky(r, c, true);
	}
	if ((idx = reason_find_sticky(r, RIB_REASON_7606)) != 0)
		return idx;
	return reason_add_sticky(r, RIB_REASON_7606, false);
}

bool
rib_reason_sticky(const struct rib *r, uint8_t idx)
{
	return idx != 0 && idx <= r->nreasons && r->reason_sticky[idx];
}

const char *
rib_reason_str(const struct rib *r, uint8_t idx)
{
	if (idx == 0)
		return NULL;
	if (idx > r->nreasons)
		return "filtered";
	return r->reasons[idx];
}

int
rib_fam_of_af(int af, enum bgp_fam *fam)
{
	if (af == AF_INET)
		*fam = BGP_FAM_V4U;
	else if (af == AF_INET6)
		*fam = BGP_FAM_V6U;
	else
		return -1;
	return 0;
}

void
rib_ctx_stats(const struct rib_ctx *c, struct rib_ctx_stats *st)
{
	const struct rib_group *g;
	unsigned f;

	memset(st, 0, sizeof(*st));
	for (f = 0; f < BGP_FAM_MAX; f++) {
		st->prefixes[f] = c->tab[f].nbest;
		st->mem_bytes += rib_table_mem(&c->tab[f]);
	}
	st->paths = c->paths.used;
	st->peers = c->npeers;
	st->attr_sets = c->rib->attrs.count;
	st->mem_bytes += sizeof(*c) + rib_vec_mem(&c->paths.v);
	for (g = c->groups; g != NULL; g = g->next) {
		st->mem_bytes += sizeof(*g) + g->qbytes + g->fifo.count * 4;
		for (f = 0; f < BGP_FAM_MAX; f++)
			st->mem_bytes += rib_vec_mem(&g->sent[f]) +
			    rib_vec_mem(&g->excl[f]) +
			    rib_vec_mem(&g->dirty[f]);
	}
}

/* Set the FIB hook and replay the current best paths to it. */
void
rib_ctx_set_fib(struct rib_ctx *c, rib_fib_cb *cb, void *arg)
{
	struct rib_dstate st;
	struct rib_tab *t;
	uint32_t i;
	unsigned f;

	c->fib = NULL;
	c->fib_arg = arg;
	for (f = 0; cb != NULL && f < BGP_FAM_MAX; f++) {
		t = &c->tab[f];
		for (i = 1; i < t->dests.hwm; i++) {
			if (!(rib_dest_at(t, i)->flags & RIB_DF_BEST))
				continue;
			/* from "nothing" to the current set */
			st.src = rib_path_at(c, rib_dest_at(t, i)->paths)->src;
			st.out = rib_path_at(c, rib_dest_at(t, i)->paths)->out;
			st.nnh = 0;
			c->fib = cb;
			rib_decide(c, t, i, &st);
		}
	}
	c->fib = cb;
}
