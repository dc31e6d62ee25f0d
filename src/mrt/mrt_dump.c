/*
 * TABLE_DUMP_V2 dumps of the Loc-RIB (RFC 6396 4.3): per routing context
 * one PEER_INDEX_TABLE (the view name is the context name) followed by one
 * RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record per prefix with every path
 * the context holds for it, best first.
 *
 * The peer index must precede the RIB records but is only known once the
 * walk is done, so the RIB records are encoded into a side buffer and the
 * file gets the index, then that buffer. rib_walk() is not resumable, so
 * the walk runs at once (it is in memory: milliseconds per 100k paths);
 * writing to disk, the slow part, is sliced by mrt_file.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "mrt/mrt_int.h"
#include "rib/rib.h"
#include "session/sess.h"

#define MRT_MAX_PEERS	65535

struct tdump {
	struct mrt		*m;
	struct wbuf		 body;
	struct mrt_peer		*peers;
	size_t			 npeers, cap, last;
	uint32_t		 now;		/* wall clock, seconds */
	uint32_t		 seq;
	bool			 open;		/* a RIB record is open */
	struct prefix		 cur;
	long			 rec;
	uint16_t		 count;
	size_t			 prefixes, paths;
	uint32_t		 local_as;
	bool			 failed;
};

static bool
peer_eq(const struct mrt_peer *a, const struct mrt_peer *b)
{
	return a->bgp_id == b->bgp_id && a->as == b->as &&
	    addr_cmp(&a->addr, &b->addr) == 0;
}

/* Index of the peer in the table, added if new; -1 when full. */
static int
peer_index(struct tdump *t, const struct mrt_peer *p)
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

static void
rec_close(struct tdump *t)
{
	if (t->open && mrt_rib_finish(&t->body, t->rec, t->count) == -1)
		t->failed = true;
	t->open = false;
}

static void
view_peer(const struct tdump *t, const struct rib_route_view *v,
    struct mrt_peer *p)
{
	memset(p, 0, sizeof(*p));
	if (v->local) {
		/* Our own routes: the collector itself, address 0. */
		p->bgp_id = t->m->router_id;
		p->addr.af = AF_INET;
		p->as = t->local_as;
	} else {
		p->bgp_id = v->from_id;
		p->addr = v->from;
		p->as = v->from_as;
	}
}

static int
dump_path(const struct rib_route_view *v, void *arg)
{
	struct tdump *t = arg;
	enum bgp_fam fam = v->prefix.af == AF_INET6 ? BGP_FAM_V6U :
	    BGP_FAM_V4U;
	struct mrt_peer p;
	uint64_t age = v->age_us / 1000000;
	int idx;

	if (!t->open || prefix_cmp(&t->cur, &v->prefix) != 0) {
		rec_close(t);
		t->cur = v->prefix;
		t->count = 0;
		t->rec = mrt_rib_begin(&t->body, t->now, t->seq++, &v->prefix);
		t->open = true;
		t->prefixes++;
	}
	view_peer(t, v, &p);
	if ((idx = peer_index(t, &p)) == -1 || t->count == UINT16_MAX ||
	    v->attrs == NULL) {
		t->failed = true;
		return 1;
	}
	if (mrt_rib_entry(&t->body, (uint16_t)idx,
	    age < t->now ? t->now - (uint32_t)age : 0, v->attrs, fam) == -1) {
		t->failed = true;
		return 1;
	}
	t->count++;
	t->paths++;
	return t->failed ? 1 : 0;
}

/* The local AS of a context: that of any of its sessions, else global. */
static uint32_t
ctx_local_as(struct mrt *m, const char *ctx)
{
	struct sess *s;

	for (s = sess_next(m->sm, NULL); s != NULL; s = sess_next(m->sm, s))
		if (strcmp(sess_conf(s)->ctx, ctx) == 0)
			return sess_conf(s)->local_as;
	return m->local_as;
}

static int
dump_ctx(struct mrt *m, struct rib_ctx *c, struct mrt_file *f,
    struct mrt_dump_info *info)
{
	struct rib_query q = { .table = RIB_LOC };
	struct tdump t;
	size_t before = f->buf.len;
	int rc;

	memset(&t, 0, sizeof(t));
	t.m = m;
	t.now = (uint32_t)time(NULL);
	t.local_as = ctx_local_as(m, rib_ctx_name(c));
	if (wbuf_init(&t.body, 64 * 1024, MRT_BUF_MAX) == -1)
		return -1;
	rib_walk(c, &q, dump_path, &t);
	rec_close(&t);
	rc = t.failed || t.body.err ? -1 : 0;
	if (rc == 0)
		rc = mrt_peer_index_encode(&f->buf, t.now, m->router_id,
		    rib_ctx_name(c), t.peers, t.npeers);
	if (rc == 0 && wbuf_put_bytes(&f->buf, t.body.p, t.body.len) == -1)
		rc = -1;
	if (rc == -1)
		wbuf_truncate(&f->buf, before);
	f->buf.err = false;
	info->contexts++;
	info->prefixes += t.prefixes;
	info->paths += t.paths;
	info->peers += t.npeers;
	wbuf_free(&t.body);
	free(t.peers);
	return rc;
}

int
mrt_dump_table(struct mrt *m, const char *path, const char *ctx,
    struct mrt_dump_info *info, char *err, size_t errlen)
{
	struct rib_ctx *c = NULL;
	struct mrt_file *f;

	memset(info, 0, sizeof(*info));
	if (ctx != NULL && ctx[0] != '\0' &&
	    (c = rib_ctx_find(m->rib, ctx)) == NULL) {
		snprintf(err, errlen, "no context %s", ctx);
		return -1;
	}
	if ((f = mrt_file_open(m, path, err, errlen)) == NULL)
		return -1;
	if (c != NULL) {
		if (dump_ctx(m, c, f, info) == -1)
			goto fail;
	} else
		for (c = rib_ctx_next(m->rib, NULL); c != NULL;
		    c = rib_ctx_next(m->rib, c))
			if (dump_ctx(m, c, f, info) == -1)
				goto fail;
	snprintf(info->path, sizeof(info->path), "%s", path);
	info->bytes = f->buf.len;
	mrt_file_close(f);
	return 0;
fail:
	snprintf(err, errlen, "the table does not fit an MRT dump (more "
	    "than 65535 peers or paths per prefix, or %u MiB)",
	    MRT_BUF_MAX >> 20);
	f->failed = true;
	mrt_file_close(f);
	return -1;
}
