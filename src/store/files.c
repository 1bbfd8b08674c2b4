/*
 * files: the reads of recorded input files and of which files delivered
 * an item version (see files.h).
 */
#include "store/files.h"
#include "store/walk.h"

#include <string.h>

int files_each(struct store *s, void (*fn)(const struct file_record *f, void *ctx), void *ctx,
	       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s,
					 "SELECT path, size, sha256, kind, account_id, region,"
					 " delivered_at, status FROM files"
					 " ORDER BY path, sha256, file_key",
					 d);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct file_record f = {
		    walk_text(st, 0), sqlite3_column_int64(st, 1),
		    walk_text(st, 2), walk_text(st, 3),
		    walk_text(st, 4), walk_text(st, 5),
		    walk_text(st, 6), walk_text(st, 7),
		};

		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the source files");
}

/* History/export files, then snapshot files in delivery order. */
static const char sources_sql[] =
    "SELECT path, kind, delivered_at FROM ("
    " SELECT f.path, f.kind, f.delivered_at, 0 AS grp FROM item_sources s"
    "  JOIN files f ON f.file_key = s.file_key WHERE s.item_key = ?1 AND f.status = 'loaded'"
    " UNION"
    " SELECT f.path, f.kind, f.delivered_at, 1 FROM snapshot_presence p"
    "  JOIN files f ON f.kind = 'ConfigSnapshot' AND f.status = 'loaded'"
    "   AND f.account_id = p.account_id AND f.region = p.region"
    "   AND f.delivered_at BETWEEN p.first_time AND p.last_time"
    "  WHERE p.item_key = ?1)"
    " ORDER BY grp, delivered_at, path";

int files_of_item_each(struct store *s, const unsigned char key[STORE_KEY_LEN],
		       void (*fn)(const struct file_record *f, void *ctx), void *ctx,
		       struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, sources_sql, d);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct file_record f;

		memset(&f, 0, sizeof(f));
		f.path = walk_text(st, 0);
		f.kind = walk_text(st, 1);
		f.delivered_at = walk_text(st, 2);
		fn(&f, ctx);
	}
	return walk_end(s, st, rc, d, "cannot read the history");
}
