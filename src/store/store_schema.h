/*
 * SQLite connection setup (pragmas) and numbered schema migrations.
 */
#ifndef XR_STORE_SCHEMA_H
#define XR_STORE_SCHEMA_H

#include <sqlite3.h>

#define STORE_SCHEMA_LATEST	1

int	store_schema_setup(sqlite3 *);
int	store_schema_migrate(sqlite3 *);
int	store_schema_version(sqlite3 *);

#endif
