/*
 * inventory: the point-in-time inventory read row by row (see
 * inventory.h).
 */
#include "store/inventory.h"
#include "store/walk.h"

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
