/*
 * The store: the source of truth for desired state. Resources are JSON
 * documents keyed by their ARM id (compared case-insensitively, as ARM
 * does), with a few indexed columns beside the document so lookups by
 * parent, type, subscription, unique key (service key, authorization key,
 * token hash) and a secondary index (provider name) need no scan.
 *
 * Every write happens inside one transaction (store_begin .. store_commit);
 * a commit returns only after the data is durable (SQLite: WAL with
 * synchronous=FULL, so an acknowledged write survives kill -9 and power
 * loss). Every change, including the cascade when a parent is deleted,
 * bumps a monotonic counter; other roles poll store_changes() from the last
 * counter they saw (the change feed).
 *
 * The interface is a table of operations so a PostgreSQL backend can be
 * added beside the SQLite one without touching callers.
 */
#ifndef XR_STORE_STORE_H
#define XR_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct store;

/* One stored resource. Strings are owned by the store call that filled
 * them (store_rec_free) or by the caller when passed in. */
struct store_rec {
	char	*id;		/* ARM id as given (case kept) */
	char	*type;		/* e.g. Microsoft.Network/expressRouteCircuits */
	char	*parent;	/* parent id or NULL (top level) */
	char	*sub;		/* subscription id or NULL */
	char	*ukey;		/* unique lookup key within type, or NULL */
	char	*idx;		/* secondary (non-unique) index, or NULL */
	char	*doc;		/* the JSON document */
	int64_t	 seq;		/* change counter of the last write */
};

struct store_change {
	int64_t	 seq;
	char	 op;		/* 'P' put, 'D' delete */
	char	*id;
	char	*type;
};

enum store_result {
	STORE_OK = 0,
	STORE_NOTFOUND = 1,
	STORE_ERR = -1,
	STORE_CONFLICT = -2,	/* unique key or foreign key violated */
};

typedef int	store_rec_cb(const struct store_rec *, void *arg);
typedef int	store_change_cb(const struct store_change *, void *arg);

struct store_ops {
	const char	*name;
	void	(*close)(struct store *);
	int	(*begin)(struct store *);
	int	(*commit)(struct store *);
	void	(*rollback)(struct store *);
	/* Nested unit inside a transaction (one API request of a group
	 * commit): release keeps its changes, undo drops only them. */
	int	(*savepoint)(struct store *);
	int	(*release)(struct store *);
	void	(*undo)(struct store *);
	int	(*get)(struct store *, const char *id, struct store_rec *);
	int	(*find_ukey)(struct store *, const char *type, const char *ukey,
		    struct store_rec *);
	int	(*put)(struct store *, const struct store_rec *);
	int	(*del)(struct store *, const char *id);
	/* Children of 'parent' of one type (type NULL: any), id order. */
	int	(*list_children)(struct store *, const char *parent,
		    const char *type, store_rec_cb *, void *);
	/* All of one type, optionally in one subscription (sub NULL: all). */
	int	(*list_type)(struct store *, const char *type, const char *sub,
		    store_rec_cb *, void *);
	int	(*list_idx)(struct store *, const char *type, const char *idx,
		    store_rec_cb *, void *);
	/* How many of one type in one subscription; with json_path
	 * (e.g. "$.location") only those whose member equals value. */
	int64_t	(*count)(struct store *, const char *type, const char *sub,
		    const char *json_path, const char *value);
	/* Delete documents of one type without a secondary index value
	 * whose integer member json_path is below 'before'; the count. */
	int64_t	(*purge)(struct store *, const char *type,
		    const char *json_path, int64_t before);
	int	(*changes)(struct store *, int64_t since, int limit,
		    store_change_cb *, void *);
	int64_t	(*counter)(struct store *);
	int	(*schema_version)(struct store *);
};

struct store {
	const struct store_ops	*ops;
	char			 errmsg[256];
};

/* Open (and create or migrate) an SQLite store at 'path'. */
int	store_open_sqlite(const char *path, struct store **);
/* Open an existing store read-only, for roles that only read desired
 * state and follow the change feed (edges, gateways): no migration, no
 * checkpointer; writes fail with STORE_ERR. */
int	store_open_sqlite_ro(const char *path, struct store **);

void	store_rec_free(struct store_rec *);

static inline void
store_close(struct store *s)
{
	s->ops->close(s);
}
static inline int
store_begin(struct store *s)
{
	return s->ops->begin(s);
}
static inline int
store_commit(struct store *s)
{
	return s->ops->commit(s);
}
static inline void
store_rollback(struct store *s)
{
	s->ops->rollback(s);
}
static inline int
store_savepoint(struct store *s)
{
	return s->ops->savepoint(s);
}
static inline int
store_release(struct store *s)
{
	return s->ops->release(s);
}
static inline void
store_undo(struct store *s)
{
	s->ops->undo(s);
}
static inline int
store_get(struct store *s, const char *id, struct store_rec *r)
{
	return s->ops->get(s, id, r);
}
static inline int
store_find_ukey(struct store *s, const char *type, const char *k,
    struct store_rec *r)
{
	return s->ops->find_ukey(s, type, k, r);
}
static inline int
store_put(struct store *s, const struct store_rec *r)
{
	return s->ops->put(s, r);
}
static inline int
store_del(struct store *s, const char *id)
{
	return s->ops->del(s, id);
}
static inline int
store_list_children(struct store *s, const char *parent, const char *type,
    store_rec_cb *cb, void *arg)
{
	return s->ops->list_children(s, parent, type, cb, arg);
}
static inline int
store_list_type(struct store *s, const char *type, const char *sub,
    store_rec_cb *cb, void *arg)
{
	return s->ops->list_type(s, type, sub, cb, arg);
}
static inline int
store_list_idx(struct store *s, const char *type, const char *idx,
    store_rec_cb *cb, void *arg)
{
	return s->ops->list_idx(s, type, idx, cb, arg);
}
static inline int64_t
store_count(struct store *s, const char *type, const char *sub,
    const char *json_path, const char *value)
{
	return s->ops->count(s, type, sub, json_path, value);
}
static inline int64_t
store_purge(struct store *s, const char *type, const char *json_path,
    int64_t before)
{
	return s->ops->purge(s, type, json_path, before);
}
static inline int
store_changes(struct store *s, int64_t since, int limit, store_change_cb *cb,
    void *arg)
{
	return s->ops->changes(s, since, limit, cb, arg);
}
static inline int64_t
store_counter(struct store *s)
{
	return s->ops->counter(s);
}

#endif
