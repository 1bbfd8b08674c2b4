/*
 * items: the reads of stored item versions and their conflicts (see
 * items.h).
 */
#include "store/items.h"
#include "store/walk.h"

#include <string.h>

#define ITEM_COLUMNS                                                                               \
	"item_key, account_id, region, resource_type, resource_id, resource_name, arn,"            \
	" availability_zone, status, capture_time, state_id, item_version,"                        \
	" resource_creation_time, configuration, supplementary, tags, relationships, extra"

static void item_from(sqlite3_stmt *st, struct item_record *it)
{
	it->key = walk_key(st, 0);
	it->account_id = walk_text(st, 1);
	it->region = walk_text(st, 2);
	it->resource_type = walk_text(st, 3);
	it->resource_id = walk_text(st, 4);
	it->resource_name = walk_text(st, 5);
	it->arn = walk_text(st, 6);
	it->availability_zone = walk_text(st, 7);
	it->status = walk_text(st, 8);
	it->capture_time = walk_text(st, 9);
	it->has_state_id = sqlite3_column_type(st, 10) != SQLITE_NULL;
	it->state_id = sqlite3_column_int64(st, 10);
	it->item_version = walk_text(st, 11);
	it->resource_creation_time = walk_text(st, 12);
	it->configuration = walk_text(st, 13);
	it->supplementary = walk_text(st, 14);
	it->tags = walk_text(st, 15);
	it->relationships = walk_text(st, 16);
	it->extra = walk_text(st, 17);
}

int item_versions_each(struct store *s, const char *resource_id, const char *type,
		       const char *account,
		       int (*fn)(const struct item_record *it, void *ctx, struct diag *d),
		       void *ctx, struct diag *d)
{
	sqlite3_stmt *st =
	    store_prepare(s,
			  "SELECT " ITEM_COLUMNS " FROM items"
			  " WHERE resource_id = ?1 AND (?2 IS NULL OR resource_type = ?2)"
			  "   AND (?3 IS NULL OR account_id = ?3)"
			  " ORDER BY capture_time, state_id, account_id, region,"
			  " resource_type",
			  d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, resource_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_record it;

		item_from(st, &it);
		if (fn(&it, ctx, d)) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}

int items_of_run_each(struct store *s, int64_t run_id,
		      void (*fn)(const struct item_record *it, void *ctx), void *ctx,
		      struct diag *d)
{
	sqlite3_stmt *st = walk_prepare(
	    s,
	    "SELECT " ITEM_COLUMNS " FROM items WHERE item_key IN"
	    " (SELECT item_key FROM results WHERE run_id = ?1 AND item_key IS NOT NULL)"
	    " ORDER BY account_id, region, resource_type, resource_id, capture_time,"
	    " state_id, item_key",
	    run_id, 0, d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_record it;

		item_from(st, &it);
		fn(&it, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the items");
}

int item_conflicts_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
			void (*fn)(const struct item_conflict *c, void *ctx), void *ctx,
			struct diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* No item_conflicts table: no conflicts were ever met. */
	if (sqlite3_prepare_v2(
		s->db,
		"SELECT f.path, f.kind, c.member, c.sha256, c.text FROM item_conflicts c"
		" JOIN files f ON f.file_key = c.file_key"
		" WHERE c.item_key = ?1 AND f.status = 'loaded'"
		" ORDER BY f.rowid, c.sha256",
		-1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct item_conflict c = {walk_text(st, 0), walk_text(st, 1), walk_text(st, 2),
					  walk_text(st, 3), walk_text(st, 4)};

		fn(&c, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}
