/*
 * Connection pragmas and numbered schema migrations for the SQLite store.
 *
 * Migration N is the SQL that takes schema_version N-1 to N; each runs in
 * its own transaction with the version bump, so a crash mid-migration
 * leaves the previous version intact. Migrations are only ever appended.
 * Statements are prepared one at a time (sqlite3_prepare_v2 with the tail
 * pointer); none contains data.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "store/store_schema.h"

static const char *const migrations[STORE_SCHEMA_LATEST + 1] = {
	[1] =
	/* Resources as JSON documents; key = lower-case id. A child row
	 * references its parent, so deleting a circuit deletes its
	 * peerings and authorizations in the same transaction. */
	"CREATE TABLE resources ("
	"  key    TEXT PRIMARY KEY,"
	"  id     TEXT NOT NULL,"
	"  type   TEXT NOT NULL,"
	"  parent TEXT REFERENCES resources(key) ON DELETE CASCADE,"
	"  sub    TEXT,"
	"  ukey   TEXT,"
	"  idx    TEXT,"
	"  doc    TEXT NOT NULL CHECK (json_valid(doc))"
	");"
	"CREATE INDEX resources_parent ON resources(parent, type);"
	"CREATE INDEX resources_type_sub ON resources(type, sub);"
	"CREATE UNIQUE INDEX resources_ukey ON resources(type, ukey)"
	"  WHERE ukey IS NOT NULL;"
	"CREATE INDEX resources_idx ON resources(type, idx)"
	"  WHERE idx IS NOT NULL;"
	/* The change feed: AUTOINCREMENT so a counter is never reused,
	 * even after the newest rows are pruned. */
	"CREATE TABLE changes ("
	"  seq  INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  op   TEXT NOT NULL CHECK (op IN ('P', 'D')),"
	"  id   TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  at   INTEGER NOT NULL"
	");"
	"CREATE TRIGGER resources_ins AFTER INSERT ON resources BEGIN"
	"  INSERT INTO changes(op, id, type, at)"
	"  VALUES ('P', NEW.id, NEW.type, CAST(strftime('%s','now') AS INT));"
	"END;"
	"CREATE TRIGGER resources_upd AFTER UPDATE ON resources BEGIN"
	"  INSERT INTO changes(op, id, type, at)"
	"  VALUES ('P', NEW.id, NEW.type, CAST(strftime('%s','now') AS INT));"
	"END;"
	"CREATE TRIGGER resources_del AFTER DELETE ON resources BEGIN"
	"  INSERT INTO changes(op, id, type, at)"
	"  VALUES ('D', OLD.id, OLD.type, CAST(strftime('%s','now') AS INT));"
	"END;",
};

/* Run every statement of a constant SQL text, one prepared statement at a
 * time. */
static int
exec_all(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	const char *tail = sql;
	int rc;

	while (tail != NULL && *tail != '\0') {
		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
			log_err("store: schema: %s", sqlite3_errmsg(db));
			return -1;
		}
		if (st == NULL)		/* trailing whitespace */
			break;
		do
			rc = sqlite3_step(st);
		while (rc == SQLITE_ROW);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			log_err("store: schema: %s", sqlite3_errmsg(db));
			return -1;
		}
	}
	return 0;
}

int
store_schema_setup(sqlite3 *db)
{
	/* busy_timeout: a second process (an edge reading the feed) may
	 * hold the WAL briefly. */
	sqlite3_busy_timeout(db, 5000);
	return exec_all(db,
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;" "PRAGMA wal_autocheckpoint = 0;"
	    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
}

int
store_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0)"
	    " FROM schema_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
set_version(sqlite3 *db, int v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO schema_version(version)"
	    " VALUES (?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, v);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_schema_migrate(sqlite3 *db)
{
	int v = store_schema_version(db);

	if (v < 0)
		return -1;
	if (v > STORE_SCHEMA_LATEST) {
		log_err("store: schema version %d is newer than this build "
		    "(%d); refusing to open", v, STORE_SCHEMA_LATEST);
		return -1;
	}
	for (v++; v <= STORE_SCHEMA_LATEST; v++) {
		if (exec_all(db, "BEGIN IMMEDIATE") == -1)
			return -1;
		if (exec_all(db, migrations[v]) == -1 || set_version(db, v)) {
			exec_all(db, "ROLLBACK");
			return -1;
		}
		if (exec_all(db, "COMMIT") == -1)
			return -1;
		log_info("store: schema migrated to version %d", v);
	}
	return 0;
}
