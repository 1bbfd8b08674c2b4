/*
 * inventory: the point-in-time inventory read row by row (see
 * inventory.h).
 */
#include "store/inventory.h"
#include "store/walk.h"

#include <stdio.h>

int inventory_build(struct store *s, const struct pit_filter *f, struct diag *d)
{
	if (store_exec(s, "PRAGMA temp_store=FILE; PRAGMA mmap_size=0;", d))
		return -1;
	return pit_build(s, f, d);
}

#define ROWS_SQL                                                                                   \
	"SELECT account_id, region, resource_type, resource_id, resource_name FROM current_items"

int inventory_each(struct store *s, int sorted,
		   void (*fn)(const struct inventory_row *r, void *ctx), void *ctx, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    sorted ? ROWS_SQL " ORDER BY account_id, region, resource_type, resource_id" : ROWS_SQL,
	    d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct inventory_row r = {walk_text(st, 0), walk_text(st, 1), walk_text(st, 2),
					  walk_text(st, 3), walk_text(st, 4)};

		fn(&r, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the inventory");
}

int inventory_held_each(struct store *s, enum inventory_field which,
			void (*fn)(const char *value, void *ctx), void *ctx, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 which == INVENTORY_REGIONS
					     ? "SELECT DISTINCT region FROM items ORDER BY 1"
					     : "SELECT DISTINCT account_id FROM items ORDER BY 1",
					 d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = walk_text(st, 0);

		fn(v ? v : "", ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the database");
}

int inventory_earliest(struct store *s, const char *account, char *out, size_t len, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT min(capture_time) FROM items WHERE ?1 IS NULL OR account_id = ?1", d);
	int rc;

	if (!st)
		return -1;
	if (account)
		sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	out[0] = '\0';
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, len, "%s", walk_text(st, 0));
	return walk_end(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, d, "cannot read the database");
}
