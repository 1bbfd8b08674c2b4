/*
 * walk: small helpers the store's modules share to read rows into
 * records. Internal to src/store.
 */
#ifndef CFGAUDIT_STORE_WALK_H
#define CFGAUDIT_STORE_WALK_H

#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"

/* Column i as text, NULL for NULL. Valid until the next step. */
static inline const char *walk_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Column i as a key: its STORE_KEY_LEN bytes, or NULL for anything else. */
static inline const unsigned char *walk_key(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, i) != STORE_KEY_LEN)
		return NULL;
	return sqlite3_column_blob(st, i);
}

/* Prepare sql and bind ?1 to a (and ?2 to b when b > 0). */
static inline sqlite3_stmt *walk_prepare(struct store *s, const char *sql, int64_t a, int64_t b,
					 struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sql, d);

	if (st) {
		sqlite3_bind_int64(st, 1, a);
		if (b > 0)
			sqlite3_bind_int64(st, 2, b);
	}
	return st;
}

/* End a walk whose last step returned rc: finalize, and fill d with what
 * failed unless the rows ran out. Returns 0 or -1. */
static inline int walk_end(struct store *s, sqlite3_stmt *st, int rc, struct diag *d,
			   const char *what)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, d, what);
}

#endif
