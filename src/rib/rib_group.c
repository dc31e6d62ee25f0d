/*
 * Update groups: Adj-RIB-Out shared by the peers whose export results are
 * identical (same local AS, eBGP or iBGP, AS4 and extended-message
 * encoding, families, next-hop-self availability and export hook). For
 * each prefix a group stores 4 bytes (the committed key, see rib_priv.h),
 * and encodes each change once; its members read the same bytes, with the
 * next hop patched per member. With ten identical eBGP peers a table is
 * encoded once, not ten times.
 *
 * Changes reach a group as "dirty" dests (a bitmap and a FIFO, each dest
 * at most once) and are evaluated only when a member pulls, so a prefix
 * that flaps while the peers are busy is evaluated once. A new group
 * first scans the whole table.
 *
 * A member never receives its own routes back: when the best path came
 * from a member, the group remembers that member for the prefix (excl)
 * and its messages skip it; a targeted withdrawal removes what it had.
 *
 * Memory stays bounded: dirty dests are at most the table, and encoded
 * blocks stop being produced once the slowest member lags RIB_QLIMIT bytes
 * behind (the others then wait, as TCP would make them).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/log.h"
#include "rib/rib_priv.h"

static void
gkey_of(const struct rib_peer *m, struct rib_gkey *k)
{
	struct addr a;

	memset(k, 0, sizeof(*k));
	k->local_as = m->conf.local_as;
	k->ebgp = m->conf.local_as != m->conf.remote_as;
	k->as4 = m->sess.as4;
	k->ext_msg = m->sess.ext_msg;
	k->fams = m->sess.fams;
	k->nh4 = rib_peer_nh_self(m, BGP_FAM_V4U, &a);
	k->nh6 = rib_peer_nh_self(m, BGP_FAM_V6U, &a);
	k->export_fn = m->conf.policy.export;
	k->export_arg = m->conf.policy.arg;
	k->by_attrs = k->export_fn != NULL && m->conf.policy.export_by_attrs;
}

static bool
gkey_eq(const struct rib_gkey *a, const struct rib_gkey *b)
{
	return a->local_as == b->local_as && a->fams == b->fams &&
	    a->ebgp == b->ebgp && a->as4 == b->as4 &&
	    a->ext_msg == b->ext_msg && a->nh4 == b->nh4 &&
	    a->nh6 == b->nh6 && a->export_fn == b->export_fn &&
	    (a->export_fn == NULL || (a->export_arg == b->export_arg &&
	    a->by_attrs == b->by_attrs));
}

static struct rib_peer *
member_of(const struct rib_group *g, uint16_t id)
{
	const struct rib_src *s;

	if (id == 0 || (s = rib_src_get(g->ctx->rib, id)) == NULL)
		return NULL;
	return s->peer != NULL && s->peer->group == g ? s->peer : NULL;
}

static struct rib_group *
group_new(struct rib_ctx *c, const struct rib_gkey *k)
{
	struct rib_group *g;
	unsigned f;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->ctx = c;
	g->key = *k;
	g->enc.as4 = k->as4;
	g->enc.ext_msg = k->ext_msg;
	for (f = 0; f < BGP_FAM_MAX; f++) {
		rib_vec_init(&g->sent[f], sizeof(uint32_t));
		rib_vec_init(&g->excl[f], sizeof(uint16_t));
		rib_vec_init(&g->dirty[f], sizeof(uint64_t));
	}
	g->scanning = true;
	g->sidx = 1;
	g->next = c->groups;
	c->groups = g;
	return g;
}

static void
blk_free(struct rib_blk *b)
{
	wbuf_free(&b->w);
	free(b);
}

/* Drop everything the group holds; with 'release', give dests back. */
void
rib_group_destroy(struct rib_group *g, bool release)
{
	struct rib_ctx *c = g->ctx;
	struct rib_group **gp;
	struct rib_tab *t;
	struct rib_dest *d;
	struct rib_blk *b;
	uint32_t i, key;
	unsigned f, drop;

	for (gp = &c->groups; *gp != g; gp = &(*gp)->next)
		;
	*gp = g->next;
	for (f = 0; f < BGP_FAM_MAX && release; f++) {
		t = &c->tab[f];
		for (i = 1; i < t->dests.hwm; i++) {
			d = rib_dest_at(t, i);
			if (d->flags & RIB_DF_FREE)
				continue;
			drop = 0;
			if ((key = rib_sent_get(g, f, i)) != 0) {
				rib_attrs_unref(c->rib, RIB_OK_ID(key));
				drop++;
			}
			if (rib_bit_test(&g->dirty[f], i))
				drop++;
			if (drop == 0)
				continue;
			d->refs -= (uint16_t)drop;
			if (d->paths == 0 && d->refs == 0)
				rib_table_release(t, i);
		}
	}
	for (f = 0; f < BGP_FAM_MAX; f++) {
		rib_vec_free(&g->sent[f]);
		rib_vec_free(&g->excl[f]);
		rib_vec_free(&g->dirty[f]);
	}
	rib_u32q_free(&g->fifo);
	while ((b = g->qhead) != NULL) {
		g->qhead = b->next;
		blk_free(b);
	}
	if (release) {
		rib_xcache_clear(g);
		rib_hmemo_clear(g);
	} else
		for (i = 0; i < g->ncache; i++)
			free(g->xcache[i].bytes);
	free(g->xcache);
	free(g->hmemo);
	free(g);
}

void
rib_group_join(struct rib_peer *m)
{
	struct rib_ctx *c = m->ctx;
	struct rib_group *g;
	struct rib_gkey k;
	bool fresh = false;
	unsigned f;
	uint32_t held = 0;

	gkey_of(m, &k);
	for (g = c->groups; g != NULL; g = g->next)
		if (gkey_eq(&g->key, &k))
			break;
	if (g == NULL) {
		if ((g = group_new(c, &k)) == NULL)
			fatal_bug("rib: out of memory creating an update group");
		fresh = true;
	}
	m->group = g;
	m->gnext = g->members;
	g->members = m;
	g->nmembers++;
	m->cur = NULL;
	m->cur_off = 0;
	memset(m->nexcl, 0, sizeof(m->nexcl));
	m->eor_owed = k.fams;
	m->wait_scan = g->scanning;
	for (f = 0; f < BGP_FAM_MAX; f++)
		held += g->nsent[f];
	/* what the group committed before we came: dump it to us alone */
	m->dump_fams = !fresh && held > 0 ? k.fams : 0;
	m->dump_fam = 0;
	m->dump_idx = 1;
	rib_wake(m);
}

void
rib_group_leave(struct rib_peer *m)
{
	struct rib_group *g = m->group;
	struct rib_peer **mp;

	if (g == NULL)
		return;
	if (m->cur != NULL)
		m->cur->readers--;
	for (mp = &g->members; *mp != m; mp = &(*mp)->gnext)
		;
	*mp = m->gnext;
	g->nmembers--;
	m->group = NULL;
	m->cur = NULL;
	m->gnext = NULL;
	wbuf_free(&m->priv);
	m->priv_off = 0;
	m->dump_fams = 0;
	m->eor_owed = 0;
	m->wait_scan = false;
	if (g->nmembers == 0)
		rib_group_destroy(g, true);
	else
		rib_group_trim(g);
}

void
rib_group_mark(struct rib_ctx *c, enum bgp_fam fam, uint32_t idx)
{
	struct rib_group *g;
	uint64_t *w, bit = 1ull << (idx & 63);

	for (g = c->groups; g != NULL; g = g->next) {
		if (!(g->key.fams & BGP_FAM_BIT(fam)))
			continue;
		if ((w = rib_vec_get(&g->dirty[fam], idx >> 6)) == NULL ||
		    (*w & bit))
			continue;
		if (rib_u32q_push(&g->fifo, (uint32_t)fam << 31 | idx) == -1)
			continue;
		*w |= bit;
		rib_dest_at(&c->tab[fam], idx)->refs++;
		if (g->fifo.count == 1)
			rib_wake_group(g);
	}
}

bool
rib_group_pending(const struct rib_group *g)
{
	return g->scanning || g->fifo.count > 0;
}

/* Queue one change unless nobody would read it. */
static void
emit(struct rib_group *g, struct rib_batch *b, enum bgp_fam fam, bool wd,
    uint32_t key, uint16_t except, uint16_t only, const struct prefix *p)
{
	if (only != 0 && member_of(g, only) == NULL)
		return;
	if (except != 0 && g->nmembers == 1 && member_of(g, except) != NULL)
		return;
	if (rib_batch_add(b, fam, wd, wd ? 0 : key, except, only, p) == -1)
		log_err("rib: out of memory packing updates");
}

static void
excl_count(struct rib_group *g, enum bgp_fam fam, uint16_t id, int d)
{
	struct rib_peer *m;

	if (id != 0 && (m = member_of(g, id)) != NULL)
		m->nexcl[fam] += (uint32_t)d;
}

/* Turn the change from (okey, oex) to (nkey, nex) into messages. */
static void
emit_change(struct rib_group *g, struct rib_batch *b, enum bgp_fam fam,
    const struct prefix *p, uint32_t okey, uint16_t oex, uint32_t nkey,
    uint16_t nex)
{
	if (nkey != 0 && nkey == okey) {
		/* same attributes; only the excluded member changed */
		if (oex != 0)
			emit(g, b, fam, false, nkey, 0, oex, p);
		if (nex != 0)
			emit(g, b, fam, true, 0, 0, nex, p);
	} else if (nkey != 0) {
		emit(g, b, fam, false, nkey, nex, 0, p);
		if (nex != 0 && okey != 0 && oex != nex)
			emit(g, b, fam, true, 0, 0, nex, p);
	} else
		emit(g, b, fam, true, 0, oex, 0, p);
}

/* Evaluate one dest for the group and commit the result. */
static void
group_commit(struct rib_group *g, enum bgp_fam fam, uint32_t idx,
    struct rib_batch *b)
{
	struct rib_ctx *c = g->ctx;
	struct rib_tab *t = &c->tab[fam];
	struct rib_dest *d = rib_dest_at(t, idx);
	struct prefix p;
	uint32_t nkey, okey, *sp;
	uint16_t nex, oex, *ep = NULL;

	if (d->flags & RIB_DF_FREE)
		return;
	rib_dest_prefix(t, d, &p);
	nkey = rib_export_eval(g, fam, &p, d, &nex);
	okey = rib_sent_get(g, fam, idx);
	oex = rib_excl_get(g, fam, idx);
	if (nkey == okey && nex == oex) {
		rib_attrs_unref(c->rib, RIB_OK_ID(nkey));
		return;
	}
	if ((sp = rib_vec_get(&g->sent[fam], idx)) == NULL ||
	    (nex != oex && (ep = rib_vec_get(&g->excl[fam], idx)) == NULL)) {
		log_err("rib: out of memory in Adj-RIB-Out");
		rib_attrs_unref(c->rib, RIB_OK_ID(nkey));
		return;
	}
	emit_change(g, b, fam, &p, okey, oex, nkey, nex);
	if (okey != 0)
		excl_count(g, fam, oex, -1);
	if (nkey != 0)
		excl_count(g, fam, nex, 1);
	if (nex != oex)
		*ep = nex;
	*sp = nkey;
	if (okey == 0) {
		d->refs++;
		g->nsent[fam]++;
	} else
		rib_attrs_unref(c->rib, RIB_OK_ID(okey));
	if (nkey == 0) {
		g->nsent[fam]--;
		d->refs--;
		if (d->paths == 0 && d->refs == 0)
			rib_table_release(t, idx);
	}
}

/* Next dest of the initial scan, or false at its end. */
static bool
scan_next(struct rib_group *g, enum bgp_fam *fam, uint32_t *idx,
    size_t *work)
{
	struct rib_tab *t;
	uint32_t i;

	while (g->sfam < BGP_FAM_MAX) {
		t = &g->ctx->tab[g->sfam];
		if (g->key.fams & BGP_FAM_BIT(g->sfam)) {
			while (g->sidx < t->dests.hwm) {
				i = g->sidx++;
				(*work)++;
				if (!(rib_dest_at(t, i)->flags & RIB_DF_FREE)) {
					*fam = (enum bgp_fam)g->sfam;
					*idx = i;
					return true;
				}
			}
		}
		g->sfam++;
		g->sidx = 1;
	}
	return false;
}

static void
fifo_done(struct rib_group *g, enum bgp_fam fam, uint32_t idx)
{
	struct rib_tab *t = &g->ctx->tab[fam];
	struct rib_dest *d = rib_dest_at(t, idx);
	uint64_t *w = rib_vec_at(&g->dirty[fam], idx >> 6);

	*w &= ~(1ull << (idx & 63));
	if (--d->refs == 0 && d->paths == 0)
		rib_table_release(t, idx);
}

static void
blk_append(struct rib_group *g, struct rib_blk *b)
{
	struct rib_peer *m;

	if (g->qtail != NULL)
		g->qtail->next = b;
	else
		g->qhead = b;
	g->qtail = b;
	g->qbytes += b->w.len;
	for (m = g->members; m != NULL; m = m->gnext) {
		if (m->cur != NULL)
			continue;
		m->cur = b;
		m->cur_off = 0;
		b->readers++;
		rib_wake(m);
	}
}

static struct rib_blk *
blk_new(void)
{
	struct rib_blk *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if (wbuf_init(&b->w, 16384, 64u << 20) == -1) {
		free(b);
		return NULL;
	}
	return b;
}

/*
 * Evaluate up to RIB_BATCH dirty dests and append their messages to the
 * group's queue. Returns 1 when it made progress, 0 when there was
 * nothing to do or the queue is full.
 */
int
rib_group_produce(struct rib_group *g, size_t *work)
{
	struct rib_batch *b = &g->ctx->rib->batch;
	struct rib_blk *blk;
	struct rib_rec rec;
	enum bgp_fam fam;
	uint32_t n = 0, v, idx;
	bool scan_done = false;

	if (g->qbytes >= RIB_QLIMIT) {
		g->stalled = true;
		return 0;
	}
	rib_batch_reset(b);
	while (n < RIB_BATCH) {
		if (g->scanning) {
			if (!scan_next(g, &fam, &idx, work)) {
				g->scanning = false;
				scan_done = true;
				continue;
			}
			group_commit(g, fam, idx, b);
		} else if (rib_u32q_pop(&g->fifo, &v)) {
			fam = (enum bgp_fam)(v >> 31);
			idx = v & 0x7fffffffu;
			group_commit(g, fam, idx, b);
			fifo_done(g, fam, idx);
		} else
			break;
		n++;
	}
	*work += n;
	if (b->ni == 0 && !scan_done)
		return n > 0;
	if ((blk = blk_new()) == NULL ||
	    rib_batch_encode(g, b, &blk->w) == -1) {
		log_err("rib: out of memory encoding updates");
		if (blk != NULL)
			blk_free(blk);
		return n > 0;
	}
	if (scan_done) {
		memset(&rec, 0, sizeof(rec));
		rec.type = RIB_REC_SCAN_DONE;
		wbuf_put_bytes(&blk->w, &rec, sizeof(rec));
	}
	if (blk->w.len == 0) {
		blk_free(blk);
		return 1;
	}
	blk_append(g, blk);
	return 1;
}

/* Free blocks every member has read; wake members if we were stalled. */
void
rib_group_trim(struct rib_group *g)
{
	struct rib_blk *b;

	while ((b = g->qhead) != NULL && b->readers == 0) {
		g->qhead = b->next;
		if (g->qhead == NULL)
			g->qtail = NULL;
		g->qbytes -= b->w.len;
		blk_free(b);
	}
	if (g->stalled && g->qbytes < RIB_QLIMIT) {
		g->stalled = false;
		rib_wake_group(g);
	}
}

/* Member m read its current block to the end. */
void
rib_group_advance(struct rib_peer *m)
{
	struct rib_blk *b = m->cur;

	b->readers--;
	m->cur = b->next;
	m->cur_off = 0;
	if (m->cur != NULL)
		m->cur->readers++;
	rib_group_trim(m->group);
}

/* Re-evaluate every prefix (export policy changed behind the same hook). */
void
rib_group_rescan(struct rib_group *g)
{
	rib_hmemo_clear(g);
	g->scanning = true;
	g->sfam = 0;
	g->sidx = 1;
	rib_wake_group(g);
}

/*
 * The member's export configuration changed. It is in sync with its group
 * (nothing unread), so its Adj-RIB-Out is the group's minus what it is
 * excluded from: start a group of its own from exactly that and rescan,
 * which sends it precisely the differences.
 */
void
rib_group_split(struct rib_peer *m)
{
	struct rib_group *g = m->group, *ng;
	struct rib_ctx *c = m->ctx;
	struct rib_peer **mp;
	struct rib_tab *t;
	struct rib_gkey k;
	uint32_t i, key, *sp;
	unsigned f;

	gkey_of(m, &k);
	if (g->nmembers == 1) {
		rib_xcache_clear(g);
		rib_hmemo_clear(g);
		g->key = k;
		g->enc.as4 = k.as4;
		g->enc.ext_msg = k.ext_msg;
		rib_group_rescan(g);
		return;
	}
	if ((ng = group_new(c, &k)) == NULL) {
		log_err("rib: out of memory splitting an update group");
		return;
	}
	for (f = 0; f < BGP_FAM_MAX; f++) {
		t = &c->tab[f];
		for (i = 1; i < t->dests.hwm; i++) {
			if ((key = rib_sent_get(g, f, i)) == 0 ||
			    rib_excl_get(g, f, i) == m->src->id)
				continue;
			if ((sp = rib_vec_get(&ng->sent[f], i)) == NULL)
				continue;
			*sp = key;
			rib_attrs_ref(c->rib, RIB_OK_ID(key));
			rib_dest_at(t, i)->refs++;
			ng->nsent[f]++;
		}
	}
	for (mp = &g->members; *mp != m; mp = &(*mp)->gnext)
		;
	*mp = m->gnext;
	g->nmembers--;
	rib_group_trim(g);
	m->group = ng;
	m->gnext = NULL;
	ng->members = m;
	ng->nmembers = 1;
	memset(m->nexcl, 0, sizeof(m->nexcl));
	rib_wake(m);
}
