/*
 * SQLite backend of the store (store.h).
 *
 * Durability: WAL journal with synchronous=FULL. In WAL mode NORMAL would
 * only fsync at checkpoints, so a power cut could lose the last commits;
 * FULL fsyncs the WAL on every commit, which is what "an acknowledged write
 * survives" needs (kill -9 alone would be survived by NORMAL too, because
 * the WAL is written before COMMIT returns). The price is one fsync per
 * write transaction.
 *
 * Checkpoints (copying the WAL back into the database file) run in a
 * background thread on a second connection, PASSIVE, every 200 ms; the
 * automatic checkpoint that SQLite would otherwise run inside some commit
 * is off, so no request pays for a checkpoint's fsync of the main file.
 *
 * Every statement is prepared once at open and bound per call; no SQL text
 * is ever built from data. The change feed is written by triggers, so a
 * cascade delete of children is recorded like any other change.
 */
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "store/store.h"
#include "store/store_schema.h"

enum {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_UNDO, Q_GET, Q_UKEY, Q_PUT, Q_DEL,
	Q_CHILDREN, Q_CHILDREN_ANY, Q_TYPE, Q_TYPE_SUB, Q_IDX, Q_CHANGES,
	Q_COUNTER, Q_COUNT, Q_COUNT_JSON, Q_PURGE, Q_MAX
};

static const char *const sqlite_q[Q_MAX] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT req",
	[Q_RELEASE] = "RELEASE req",
	[Q_UNDO] = "ROLLBACK TO req",
	[Q_GET] = "SELECT id, type, parent, sub, ukey, idx, doc FROM resources"
	    " WHERE key = ?1",
	[Q_UKEY] = "SELECT id, type, parent, sub, ukey, idx, doc FROM resources"
	    " WHERE type = ?1 AND ukey = ?2",
	[Q_PUT] = "INSERT INTO resources(key, id, type, parent, sub, ukey, idx,"
	    " doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(key) DO UPDATE SET id = excluded.id,"
	    " type = excluded.type, parent = excluded.parent,"
	    " sub = excluded.sub, ukey = excluded.ukey, idx = excluded.idx,"
	    " doc = excluded.doc",
	[Q_DEL] = "DELETE FROM resources WHERE key = ?1",
	[Q_CHILDREN] = "SELECT id, type, parent, sub, ukey, idx, doc"
	    " FROM resources WHERE parent = ?1 AND type = ?2 ORDER BY key",
	[Q_CHILDREN_ANY] = "SELECT id, type, parent, sub, ukey, idx, doc"
	    " FROM resources WHERE parent = ?1 ORDER BY key",
	[Q_TYPE] = "SELECT id, type, parent, sub, ukey, idx, doc"
	    " FROM resources WHERE type = ?1 ORDER BY key",
	[Q_TYPE_SUB] = "SELECT id, type, parent, sub, ukey, idx, doc"
	    " FROM resources WHERE type = ?1 AND sub = ?2 ORDER BY key",
	[Q_IDX] = "SELECT id, type, parent, sub, ukey, idx, doc"
	    " FROM resources WHERE type = ?1 AND idx = ?2 ORDER BY key",
	[Q_CHANGES] = "SELECT seq, op, id, type FROM changes WHERE seq > ?1"
	    " ORDER BY seq LIMIT ?2",
	[Q_COUNTER] = "SELECT coalesce(max(seq), 0) FROM changes",
	[Q_COUNT] = "SELECT count(*) FROM resources WHERE type = ?1"
	    " AND sub = ?2",
	[Q_PURGE] = "DELETE FROM resources WHERE type = ?1 AND idx IS NULL"
	    " AND json_extract(doc, ?2) < ?3",
	[Q_COUNT_JSON] = "SELECT count(*) FROM resources WHERE type = ?1"
	    " AND sub = ?2 AND json_extract(doc, ?3) = ?4",
};

struct store_sqlite {
	struct store	 s;		/* first: cast target */
	sqlite3		*db;
	sqlite3_stmt	*q[Q_MAX];
	bool		 in_txn;
	/* checkpointer */
	char		*path;
	pthread_t	 ckpt;
	pthread_mutex_t	 ckpt_mtx;
	pthread_cond_t	 ckpt_cv;
	bool		 ckpt_run, ckpt_stop;
	bool		 ro;
};

static void *
checkpointer(void *arg)
{
	struct store_sqlite *x = arg;
	sqlite3 *db;
	struct timespec ts;
	int nlog, nckpt;

	if (sqlite3_open_v2(x->path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_err("store: checkpointer: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 1000);
	pthread_mutex_lock(&x->ckpt_mtx);
	while (!x->ckpt_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&x->ckpt_cv, &x->ckpt_mtx, &ts);
		pthread_mutex_unlock(&x->ckpt_mtx);
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
		    &nlog, &nckpt);
		pthread_mutex_lock(&x->ckpt_mtx);
	}
	pthread_mutex_unlock(&x->ckpt_mtx);
	sqlite3_close(db);
	return NULL;
}

static struct store_sqlite *
ss(struct store *s)
{
	return (struct store_sqlite *)s;
}

/* ARM ids compare case-insensitively: the key column holds the lower-case
 * form, the id column keeps what the client sent. */
static char *
key_of(const char *id)
{
	char *k;
	size_t i;

	if (id == NULL)
		return NULL;
	if ((k = strdup(id)) == NULL)
		return NULL;
	for (i = 0; k[i] != '\0'; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	/* a trailing slash names the same resource */
	while (i > 1 && k[i - 1] == '/')
		k[--i] = '\0';
	return k;
}

static void
seterr(struct store_sqlite *x, const char *what)
{
	snprintf(x->s.errmsg, sizeof(x->s.errmsg), "%s: %s", what,
	    sqlite3_errmsg(x->db));
	log_err("store: %s", x->s.errmsg);
}

static int
step_done(struct store_sqlite *x, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(x->s.errmsg, sizeof(x->s.errmsg), "%s: %s", what,
		    sqlite3_errmsg(x->db));
		return STORE_CONFLICT;
	}
	seterr(x, what);
	return STORE_ERR;
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? strdup((const char *)t) : NULL;
}

static void
row_to_rec(sqlite3_stmt *st, struct store_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = col_dup(st, 0);
	r->type = col_dup(st, 1);
	r->parent = col_dup(st, 2);
	r->sub = col_dup(st, 3);
	r->ukey = col_dup(st, 4);
	r->idx = col_dup(st, 5);
	r->doc = col_dup(st, 6);
}

void
store_rec_free(struct store_rec *r)
{
	free(r->id);
	free(r->type);
	free(r->parent);
	free(r->sub);
	free(r->ukey);
	free(r->idx);
	free(r->doc);
	memset(r, 0, sizeof(*r));
}

static int
sq_simple(struct store *s, int q, const char *what)
{
	struct store_sqlite *x = ss(s);

	return step_done(x, x->q[q], what);
}

static int
sq_begin(struct store *s)
{
	int rc = sq_simple(s, Q_BEGIN, "begin");

	if (rc == STORE_OK)
		ss(s)->in_txn = true;
	return rc;
}

static int
sq_commit(struct store *s)
{
	int rc = sq_simple(s, Q_COMMIT, "commit");

	if (rc == STORE_OK)
		ss(s)->in_txn = false;
	else
		sq_simple(s, Q_ROLLBACK, "rollback");
	ss(s)->in_txn = false;
	return rc;
}

static void
sq_rollback(struct store *s)
{
	if (ss(s)->in_txn)
		sq_simple(s, Q_ROLLBACK, "rollback");
	ss(s)->in_txn = false;
}

static int
sq_savepoint(struct store *s)
{
	return sq_simple(s, Q_SAVEPOINT, "savepoint");
}

static int
sq_release(struct store *s)
{
	return sq_simple(s, Q_RELEASE, "release");
}

static void
sq_undo(struct store *s)
{
	sq_simple(s, Q_UNDO, "rollback to");
	sq_simple(s, Q_RELEASE, "release");
}

static int
sq_get_stmt(struct store_sqlite *x, sqlite3_stmt *st, struct store_rec *r)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		row_to_rec(st, r);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		seterr(x, "get");
		rc = STORE_ERR;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int
sq_get(struct store *s, const char *id, struct store_rec *r)
{
	struct store_sqlite *x = ss(s);
	char *k = key_of(id);
	int rc;

	if (k == NULL)
		return STORE_ERR;
	sqlite3_bind_text(x->q[Q_GET], 1, k, -1, SQLITE_TRANSIENT);
	rc = sq_get_stmt(x, x->q[Q_GET], r);
	free(k);
	return rc;
}

static int
sq_find_ukey(struct store *s, const char *type, const char *ukey,
    struct store_rec *r)
{
	struct store_sqlite *x = ss(s);

	sqlite3_bind_text(x->q[Q_UKEY], 1, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(x->q[Q_UKEY], 2, ukey, -1, SQLITE_TRANSIENT);
	return sq_get_stmt(x, x->q[Q_UKEY], r);
}

static int
sq_put(struct store *s, const struct store_rec *r)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[Q_PUT];
	char *k = key_of(r->id), *pk = key_of(r->parent);
	int rc;

	if (k == NULL || (r->parent != NULL && pk == NULL)) {
		free(k);
		free(pk);
		return STORE_ERR;
	}
	sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, r->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, pk, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, r->sub, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, r->ukey, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, r->idx, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, r->doc, -1, SQLITE_TRANSIENT);
	rc = step_done(x, st, "put");
	free(k);
	free(pk);
	return rc;
}

static int
sq_del(struct store *s, const char *id)
{
	struct store_sqlite *x = ss(s);
	char *k = key_of(id);
	int rc;

	if (k == NULL)
		return STORE_ERR;
	sqlite3_bind_text(x->q[Q_DEL], 1, k, -1, SQLITE_TRANSIENT);
	rc = step_done(x, x->q[Q_DEL], "delete");
	free(k);
	if (rc == STORE_OK && sqlite3_changes(x->db) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

/* Run a bound SELECT and hand each row to cb; cb returning non-zero stops. */
static int
sq_each(struct store_sqlite *x, sqlite3_stmt *st, store_rec_cb *cb,
    void *arg)
{
	struct store_rec r;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_to_rec(st, &r);
		stop = cb(&r, arg);
		store_rec_free(&r);
	}
	if (!stop && rc != SQLITE_DONE) {
		seterr(x, "list");
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return STORE_ERR;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return STORE_OK;
}

static int
sq_list_children(struct store *s, const char *parent, const char *type,
    store_rec_cb *cb, void *arg)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[type != NULL ? Q_CHILDREN : Q_CHILDREN_ANY];
	char *pk = key_of(parent);
	int rc;

	if (pk == NULL)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, pk, -1, SQLITE_TRANSIENT);
	if (type != NULL)
		sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
	rc = sq_each(x, st, cb, arg);
	free(pk);
	return rc;
}

static int
sq_list_type(struct store *s, const char *type, const char *sub,
    store_rec_cb *cb, void *arg)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[sub != NULL ? Q_TYPE_SUB : Q_TYPE];

	sqlite3_bind_text(st, 1, type, -1, SQLITE_TRANSIENT);
	if (sub != NULL)
		sqlite3_bind_text(st, 2, sub, -1, SQLITE_TRANSIENT);
	return sq_each(x, st, cb, arg);
}

static int
sq_list_idx(struct store *s, const char *type, const char *idx,
    store_rec_cb *cb, void *arg)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[Q_IDX];

	sqlite3_bind_text(st, 1, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, idx, -1, SQLITE_TRANSIENT);
	return sq_each(x, st, cb, arg);
}

static int
sq_changes(struct store *s, int64_t since, int limit, store_change_cb *cb,
    void *arg)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[Q_CHANGES];
	struct store_change c;
	int rc, stop = 0;

	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, limit);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *op = sqlite3_column_text(st, 1);

		c.seq = sqlite3_column_int64(st, 0);
		c.op = op != NULL ? (char)op[0] : '?';
		c.id = (char *)sqlite3_column_text(st, 2);
		c.type = (char *)sqlite3_column_text(st, 3);
		stop = cb(&c, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		seterr(x, "changes");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return STORE_OK;
}

static int64_t
sq_counter(struct store *s)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[Q_COUNTER];
	int64_t n = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static int64_t
sq_count(struct store *s, const char *type, const char *sub,
    const char *json_path, const char *value)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[json_path != NULL ? Q_COUNT_JSON : Q_COUNT];
	int64_t n = -1;

	sqlite3_bind_text(st, 1, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, sub, -1, SQLITE_TRANSIENT);
	if (json_path != NULL) {
		sqlite3_bind_text(st, 3, json_path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, value, -1, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

static int64_t
sq_purge(struct store *s, const char *type, const char *json_path,
    int64_t before)
{
	struct store_sqlite *x = ss(s);
	sqlite3_stmt *st = x->q[Q_PURGE];

	sqlite3_bind_text(st, 1, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, json_path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, before);
	if (step_done(x, st, "purge") != STORE_OK)
		return -1;
	return sqlite3_changes(x->db);
}

static int
sq_schema_version(struct store *s)
{
	return store_schema_version(ss(s)->db);
}

static void
sq_close(struct store *s)
{
	struct store_sqlite *x = ss(s);

	if (x == NULL)
		return;
	if (x->ckpt_run) {
		pthread_mutex_lock(&x->ckpt_mtx);
		x->ckpt_stop = true;
		pthread_cond_signal(&x->ckpt_cv);
		pthread_mutex_unlock(&x->ckpt_mtx);
		pthread_join(x->ckpt, NULL);
	}
	if (!x->ro)
		sqlite3_wal_checkpoint_v2(x->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	free(x->path);
	for (int i = 0; i < Q_MAX; i++)
		sqlite3_finalize(x->q[i]);
	sqlite3_close(x->db);
	free(x);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.undo = sq_undo,
	.get = sq_get,
	.find_ukey = sq_find_ukey,
	.put = sq_put,
	.del = sq_del,
	.list_children = sq_list_children,
	.list_type = sq_list_type,
	.list_idx = sq_list_idx,
	.count = sq_count,
	.purge = sq_purge,
	.changes = sq_changes,
	.counter = sq_counter,
	.schema_version = sq_schema_version,
};

static int
open_common(const char *path, struct store **out, bool ro)
{
	struct store_sqlite *x;
	sigset_t all, old;
	int i, v;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return STORE_ERR;
	x->s.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &x->db, (ro ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		log_err("store: open %s: %s", path, sqlite3_errmsg(x->db));
		sqlite3_close(x->db);
		free(x);
		return STORE_ERR;
	}
	if (ro) {
		sqlite3_busy_timeout(x->db, 5000);
		v = store_schema_version(x->db);
		if (v < 1 || v > STORE_SCHEMA_LATEST) {
			log_err("store: %s has schema version %d; this build "
			    "reads version %d", path, v, STORE_SCHEMA_LATEST);
			sqlite3_close(x->db);
			free(x);
			return STORE_ERR;
		}
	} else if (store_schema_setup(x->db) == -1 ||
	    store_schema_migrate(x->db) == -1) {
		sqlite3_close(x->db);
		free(x);
		return STORE_ERR;
	}
	for (i = 0; i < Q_MAX; i++) {
		if (sqlite3_prepare_v3(x->db, sqlite_q[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &x->q[i], NULL) != SQLITE_OK) {
			log_err("store: prepare %d: %s", i,
			    sqlite3_errmsg(x->db));
			sq_close(&x->s);
			return STORE_ERR;
		}
	}
	pthread_mutex_init(&x->ckpt_mtx, NULL);
	pthread_cond_init(&x->ckpt_cv, NULL);
	x->ro = ro;
	/* the checkpointer must not take the process's signals: xrouted
	 * reads SIGTERM/SIGHUP from a signalfd, and a thread that does not
	 * block them would get them with their default action (exit
	 * without cleanup). It inherits this mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (!ro && (x->path = strdup(path)) != NULL &&
	    pthread_create(&x->ckpt, NULL, checkpointer, x) == 0)
		x->ckpt_run = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*out = &x->s;
	return STORE_OK;
}

int
store_open_sqlite(const char *path, struct store **out)
{
	return open_common(path, out, false);
}

int
store_open_sqlite_ro(const char *path, struct store **out)
{
	return open_common(path, out, true);
}
