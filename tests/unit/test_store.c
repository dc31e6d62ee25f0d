/* Unit tests for src/store: migrations, put/get, case-insensitive ids,
 * parent cascade, unique keys, the change feed, rollback, reopen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "store/store.h"

static char dbpath[64];

static struct store *
open_db(void)
{
	struct store *s = NULL;

	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	return s;
}

static int
put(struct store *s, const char *id, const char *parent, const char *ukey,
    const char *doc)
{
	struct store_rec r = { .id = (char *)id, .type = (char *)"T",
	    .parent = (char *)parent, .sub = (char *)"s1",
	    .ukey = (char *)ukey, .doc = (char *)doc };

	return store_put(s, &r);
}

static int
count_cb(const struct store_rec *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
feed_cb(const struct store_change *c, void *arg)
{
	char *buf = arg;

	snprintf(buf + strlen(buf), 512 - strlen(buf), "%c%s;", c->op, c->id);
	return 0;
}

static void
test_schema_version(void)
{
	struct store *s = open_db();

	T_EQ(s->ops->schema_version(s), 1);
	store_close(s);
	s = open_db();			/* reopening does not re-migrate */
	T_EQ(s->ops->schema_version(s), 1);
	store_close(s);
}

static void
test_put_get_cascade(void)
{
	struct store *s = open_db();
	struct store_rec r;
	char feed[512] = "";
	int n = 0;
	int64_t c0 = store_counter(s);

	T_EQ(store_begin(s), STORE_OK);
	T_EQ(put(s, "/a/P", NULL, "k1", "{\"x\":\"w\"}"), STORE_OK);
	T_EQ(put(s, "/a/P/c/One", "/a/p", NULL, "{}"), STORE_OK);
	T_EQ(put(s, "/a/P/c/Two", "/A/P", NULL, "{}"), STORE_OK);
	/* a child of a missing parent violates the foreign key */
	T_EQ(put(s, "/a/Q/c/x", "/a/q", NULL, "{}"), STORE_CONFLICT);
	/* the unique key is unique within a type */
	T_EQ(put(s, "/a/R", NULL, "k1", "{}"), STORE_CONFLICT);
	/* the document must be JSON */
	T_EQ(put(s, "/a/S", NULL, NULL, "{nope"), STORE_CONFLICT);
	T_EQ(store_commit(s), STORE_OK);

	T_EQ(store_get(s, "/A/p", &r), STORE_OK);
	T_STREQ(r.id, "/a/P");
	T_STREQ(r.doc, "{\"x\":\"w\"}");
	store_rec_free(&r);
	T_EQ(store_find_ukey(s, "T", "k1", &r), STORE_OK);
	T_STREQ(r.id, "/a/P");
	store_rec_free(&r);
	store_list_children(s, "/a/p", "T", count_cb, &n);
	T_EQ(n, 2);
	T_EQ(store_count(s, "T", "s1", NULL, NULL), 3);
	T_EQ(store_count(s, "T", "s1", "$.x", "w"), 1);

	T_EQ(store_begin(s), STORE_OK);
	T_EQ(store_del(s, "/a/p"), STORE_OK);
	T_EQ(store_commit(s), STORE_OK);
	T_EQ(store_get(s, "/a/P/c/One", &r), STORE_NOTFOUND);
	T_EQ(store_del(s, "/a/p"), STORE_NOTFOUND);
	/* 3 puts + 3 deletes (two of them by cascade) */
	T_EQ(store_counter(s), c0 + 6);
	store_changes(s, c0 + 3, 10, feed_cb, feed);
	T_CHECK(strstr(feed, "D/a/P/c/One;") != NULL);
	T_CHECK(strstr(feed, "D/a/P;") != NULL);
	store_close(s);
}

static void
test_rollback_and_reopen(void)
{
	struct store *s = open_db();
	struct store_rec r;

	T_EQ(store_begin(s), STORE_OK);
	T_EQ(put(s, "/keep", NULL, NULL, "{\"v\":2}"), STORE_OK);
	T_EQ(store_commit(s), STORE_OK);
	T_EQ(store_begin(s), STORE_OK);
	T_EQ(put(s, "/gone", NULL, NULL, "{}"), STORE_OK);
	store_rollback(s);
	T_EQ(store_get(s, "/gone", &r), STORE_NOTFOUND);
	store_close(s);
	s = open_db();
	T_EQ(store_get(s, "/keep", &r), STORE_OK);
	T_STREQ(r.doc, "{\"v\":2}");
	store_rec_free(&r);
	store_close(s);
}

static void
test_purge(void)
{
	struct store *s = open_db();
	struct store_rec r = { .id = (char *)"/op/old", .type = (char *)"O",
	    .doc = (char *)"{\"endMs\":100}" };

	T_EQ(store_begin(s), STORE_OK);
	T_EQ(store_put(s, &r), STORE_OK);
	r.id = (char *)"/op/new";
	r.doc = (char *)"{\"endMs\":900}";
	T_EQ(store_put(s, &r), STORE_OK);
	r.id = (char *)"/op/pending";
	r.doc = (char *)"{\"endMs\":1}";
	r.idx = (char *)"InProgress";
	T_EQ(store_put(s, &r), STORE_OK);
	T_EQ(store_purge(s, "O", "$.endMs", 500), 1);
	T_EQ(store_commit(s), STORE_OK);
	T_EQ(store_get(s, "/op/old", &r), STORE_NOTFOUND);
	T_EQ(store_get(s, "/op/new", &r), STORE_OK);
	store_rec_free(&r);
	T_EQ(store_get(s, "/op/pending", &r), STORE_OK);
	store_rec_free(&r);
	store_close(s);
}

/* A second, read-only connection (another role) sees committed writes
 * and the change feed, and cannot write. */
static void
test_read_only_follower(void)
{
	struct store *w = open_db(), *r = NULL;
	struct store_rec rec;
	char feed[512] = "";
	int64_t c0;

	T_EQ(store_open_sqlite_ro(dbpath, &r), STORE_OK);
	if (r == NULL) {
		store_close(w);
		return;
	}
	c0 = store_counter(r);
	T_EQ(store_begin(w), STORE_OK);
	T_EQ(put(w, "/follow/me", NULL, NULL, "{\"f\":1}"), STORE_OK);
	T_EQ(store_commit(w), STORE_OK);
	T_EQ(store_counter(r), c0 + 1);
	store_changes(r, c0, 10, feed_cb, feed);
	T_STREQ(feed, "P/follow/me;");
	T_EQ(store_get(r, "/FOLLOW/me", &rec), STORE_OK);
	T_STREQ(rec.doc, "{\"f\":1}");
	store_rec_free(&rec);
	T_EQ(put(r, "/nope", NULL, NULL, "{}"), STORE_ERR);
	store_close(r);
	store_close(w);
	T_EQ(store_open_sqlite_ro("/nonexistent/xr.db", &r), STORE_ERR);
}

int
main(void)
{
	snprintf(dbpath, sizeof(dbpath), "/tmp/xr-test-store-%d.db", getpid());
	T_RUN(test_schema_version);
	T_RUN(test_put_get_cascade);
	T_RUN(test_rollback_and_reopen);
	T_RUN(test_read_only_follower);
	T_RUN(test_purge);
	unlink(dbpath);
	strcat(dbpath, "-wal");
	unlink(dbpath);
	dbpath[strlen(dbpath) - 4] = '\0';
	strcat(dbpath, "-shm");
	unlink(dbpath);
	return t_done();
}
