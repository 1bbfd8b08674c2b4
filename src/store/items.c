/*
 * items: the reads of stored item versions and their conflicts (see
 * items.h).
 */
#include "store/items.h"
#include "store/schema.h"
#include "store/walk.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
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

/* ---- The write side ---- */

/* The stored compared columns of a version, in enum item_stored_col order. */
#define STORED_COLS_SQL                                                                            \
	"SELECT status, resource_name, arn, availability_zone, resource_creation_time,"            \
	" configuration, supplementary, tags, relationships FROM items WHERE item_key = ?1"
#define STORED_COLS_BY_ROWID_SQL                                                                   \
	"SELECT status, resource_name, arn, availability_zone, resource_creation_time,"            \
	" configuration, supplementary, tags, relationships FROM items WHERE rowid = ?1"

/*
 * The keys of the versions a bulk first load inserted while the item_key
 * index (items_by_key) is dropped: one random B-tree write per item is
 * its most expensive part, and the index is built at the end from a sort
 * instead. Open addressing with linear probing over the key's own bytes
 * (a digest); a slot is the key and its rowid (0: empty).
 */
struct key_slot {
	unsigned char key[STORE_KEY_LEN];
	int64_t rowid;
};

/* The most slots the set grows to (48 MiB, 1.5 million keys): past that
 * the index is built (items_writer_keys_full). */
#define KEYSET_MAX_SLOTS (1u << 21)

struct keyset {
	int active;	       /* the index is dropped: these are the keys */
	struct key_slot *slot; /* cap slots */
	size_t cap, n;
	int64_t max_rowid;     /* the largest rowid added */
	int64_t mark;	       /* max_rowid when the current file began */
};

static size_t key_home(const unsigned char *key, size_t mask)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h));
	return (size_t)h & mask;
}

/* The rowid of key, or 0. */
static int64_t keyset_find(const struct keyset *ks, const unsigned char *key)
{
	size_t mask = ks->cap - 1;

	if (!ks->cap)
		return 0;
	for (size_t i = key_home(key, mask);; i = (i + 1) & mask) {
		const struct key_slot *sl = &ks->slot[i];

		if (!sl->rowid)
			return 0;
		if (!memcmp(sl->key, key, STORE_KEY_LEN))
			return sl->rowid;
	}
}

static void keyset_put(struct key_slot *slot, size_t cap, const unsigned char *key, int64_t rowid)
{
	size_t mask = cap - 1, i = key_home(key, mask);

	while (slot[i].rowid)
		i = (i + 1) & mask;
	memcpy(slot[i].key, key, STORE_KEY_LEN);
	slot[i].rowid = rowid;
}

/* Add key (not in the set) at rowid; the set grows past 3/4 full. */
static void keyset_add(struct keyset *ks, const unsigned char *key, int64_t rowid)
{
	if (4 * (ks->n + 1) > 3 * ks->cap) {
		size_t cap = ks->cap ? 2 * ks->cap : 1u << 14;
		struct key_slot *slot = xcalloc(cap, sizeof(*slot));

		for (size_t i = 0; i < ks->cap; i++)
			if (ks->slot[i].rowid)
				keyset_put(slot, cap, ks->slot[i].key, ks->slot[i].rowid);
		free(ks->slot);
		ks->slot = slot;
		ks->cap = cap;
	}
	keyset_put(ks->slot, ks->cap, key, rowid);
	ks->n++;
	if (rowid > ks->max_rowid)
		ks->max_rowid = rowid;
}

/* Forget the keys of rows after rowid `keep` (rolled back). */
static void keyset_truncate(struct keyset *ks, int64_t keep)
{
	struct key_slot *old = ks->slot;
	size_t cap = ks->cap;

	if (ks->max_rowid <= keep)
		return;
	ks->slot = xcalloc(cap, sizeof(*ks->slot));
	ks->n = 0;
	for (size_t i = 0; i < cap; i++)
		if (old[i].rowid && old[i].rowid <= keep) {
			keyset_put(ks->slot, cap, old[i].key, old[i].rowid);
			ks->n++;
		}
	free(old);
	ks->max_rowid = keep;
}

static void keyset_clear(struct keyset *ks)
{
	free(ks->slot);
	memset(ks, 0, sizeof(*ks));
}

struct item_lookup {
	sqlite3_stmt *known;  /* SELECT of an item key */
	sqlite3_stmt *stored; /* STORED_COLS_SQL */
	sqlite3_stmt *by_rowid; /* the same by rowid, while keys answers */
	sqlite3_stmt *used;   /* the one item_lookup_stored stepped */
	const struct keyset *keys; /* a bulk load's keys (item_lookup_use_keys), or NULL */
};

struct item_lookup *item_lookup_new(sqlite3 *db)
{
	struct item_lookup *l = xcalloc(1, sizeof(*l));

	if (sqlite3_prepare_v3(db, "SELECT 1 FROM items WHERE item_key = ?1", -1,
			       SQLITE_PREPARE_PERSISTENT, &l->known, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(db, STORED_COLS_SQL, -1, SQLITE_PREPARE_PERSISTENT, &l->stored,
			       NULL) != SQLITE_OK) {
		item_lookup_free(l);
		return NULL;
	}
	return l;
}

void item_lookup_free(struct item_lookup *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->known);
	sqlite3_finalize(l->stored);
	sqlite3_finalize(l->by_rowid);
	free(l);
}

int item_lookup_known(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN])
{
	int rc;

	if (l->keys && l->keys->active)
		return keyset_find(l->keys, key) != 0;
	sqlite3_bind_blob(l->known, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(l->known);
	sqlite3_reset(l->known);
	return rc == SQLITE_ROW;
}

/* The statement that reads key's stored columns, bound: by rowid while
 * a bulk load's keys answer, else by key. NULL when key is not stored (or
 * the statement cannot be prepared: *rc -1). */
static sqlite3_stmt *stored_stmt(struct item_lookup *l, const unsigned char *key, int *rc)
{
	int64_t rowid;

	*rc = 0;
	if (!l->keys || !l->keys->active) {
		sqlite3_bind_blob(l->stored, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
		return l->stored;
	}
	if (!(rowid = keyset_find(l->keys, key)))
		return NULL;
	if (!l->by_rowid &&
	    sqlite3_prepare_v3(sqlite3_db_handle(l->stored), STORED_COLS_BY_ROWID_SQL, -1,
			       SQLITE_PREPARE_PERSISTENT, &l->by_rowid, NULL) != SQLITE_OK) {
		*rc = -1;
		return NULL;
	}
	sqlite3_bind_int64(l->by_rowid, 1, rowid);
	return l->by_rowid;
}

int item_lookup_stored(struct item_lookup *l, const unsigned char key[STORE_KEY_LEN],
		       const char *col[ISTORED_COUNT], size_t len[ISTORED_COUNT])
{
	int rc;
	sqlite3_stmt *st = stored_stmt(l, key, &rc);

	l->used = st;
	if (!st)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	for (int i = 0; i < ISTORED_COUNT; i++) {
		col[i] = (const char *)sqlite3_column_text(st, i);
		len[i] = (size_t)sqlite3_column_bytes(st, i);
	}
	return 1;
}

void item_lookup_done(struct item_lookup *l)
{
	if (l->used)
		sqlite3_reset(l->used);
	l->used = NULL;
}

struct items_writer {
	struct store *s;
	sqlite3_stmt *insert;
	sqlite3_stmt *conflict; /* into item_conflicts, once it exists */
	struct keyset keys;	/* while items_by_key is dropped */
};

void item_lookup_use_keys(struct item_lookup *l, const struct items_writer *iw)
{
	l->keys = iw ? &iw->keys : NULL;
}

struct items_writer *items_writer_new(struct store *s, struct diag *d)
{
	struct items_writer *iw = xcalloc(1, sizeof(*iw));

	iw->s = s;
	iw->insert = store_prepare(
	    s,
	    "INSERT OR IGNORE INTO items(item_key, account_id, region, resource_type,"
	    " resource_id, resource_name, arn, availability_zone, status, capture_time,"
	    " state_id, item_version, resource_creation_time, configuration, supplementary,"
	    " tags, relationships, extra) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	    d);
	if (!iw->insert) {
		free(iw);
		return NULL;
	}
	return iw;
}

void items_writer_free(struct items_writer *iw)
{
	if (!iw)
		return;
	sqlite3_finalize(iw->insert);
	sqlite3_finalize(iw->conflict);
	keyset_clear(&iw->keys);
	free(iw);
}

static void bind_col(sqlite3_stmt *st, int idx, const char *const *col, const uint32_t *len, int c)
{
	if (col[c])
		sqlite3_bind_text(st, idx, col[c], (int)len[c], SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

int items_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
	      const char *const col[ICOL_COUNT], const uint32_t len[ICOL_COUNT], int has_state_id,
	      int64_t state_id, int *inserted, struct diag *d)
{
	sqlite3_stmt *ins = iw->insert;
	int rc;

	if (iw->keys.active && keyset_find(&iw->keys, key)) {
		*inserted = 0;
		return 0;
	}
	sqlite3_bind_blob(ins, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	bind_col(ins, 2, col, len, ICOL_ACCOUNT);
	bind_col(ins, 3, col, len, ICOL_REGION);
	bind_col(ins, 4, col, len, ICOL_TYPE);
	bind_col(ins, 5, col, len, ICOL_ID);
	bind_col(ins, 6, col, len, ICOL_NAME);
	bind_col(ins, 7, col, len, ICOL_ARN);
	bind_col(ins, 8, col, len, ICOL_AZ);
	bind_col(ins, 9, col, len, ICOL_STATUS);
	bind_col(ins, 10, col, len, ICOL_CAPTURE);
	if (has_state_id)
		sqlite3_bind_int64(ins, 11, state_id);
	else
		sqlite3_bind_null(ins, 11);
	bind_col(ins, 12, col, len, ICOL_VERSION);
	bind_col(ins, 13, col, len, ICOL_CREATION);
	bind_col(ins, 14, col, len, ICOL_CONFIGURATION);
	bind_col(ins, 15, col, len, ICOL_SUPPLEMENTARY);
	bind_col(ins, 16, col, len, ICOL_TAGS);
	bind_col(ins, 17, col, len, ICOL_RELATIONSHIPS);
	bind_col(ins, 18, col, len, ICOL_EXTRA);
	while ((rc = sqlite3_step(ins)) == SQLITE_ROW)
		;
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return store_error(iw->s, d, "cannot insert item");
	*inserted = sqlite3_changes(iw->s->db) > 0;
	if (*inserted && iw->keys.active)
		keyset_add(&iw->keys, key, sqlite3_last_insert_rowid(iw->s->db));
	return 0;
}

/* 1 when the store has the items_by_key index, 0 when it has the UNIQUE
 * constraint's own index instead (made before items_by_key), -1 with d. */
static int has_key_index(struct store *s, struct diag *d)
{
	return store_index_exists(s, "items_by_key", d);
}

int items_writer_defer_key_index(struct items_writer *iw, struct diag *d)
{
	int has = has_key_index(iw->s, d);

	if (has <= 0)
		return has;
	if (store_exec(iw->s, "DROP INDEX main.items_by_key", d))
		return -1;
	iw->keys.active = 1;
	return 1;
}

int items_writer_keys_full(const struct items_writer *iw)
{
	return iw->keys.active && 4 * (iw->keys.n + 1) > 3 * KEYSET_MAX_SLOTS;
}

int items_writer_key_index(struct items_writer *iw, struct diag *d)
{
	if (!iw->keys.active)
		return 0;
	/* The keys go first: the sort that builds the index needs memory
	 * of its own (a big first load holds tens of MB of keys), and on an
	 * error the load is rolled back whole, keys or not. */
	keyset_clear(&iw->keys);
	return store_exec(iw->s, store_items_key_index_sql, d);
}

void items_writer_file_begin(struct items_writer *iw)
{
	iw->keys.mark = iw->keys.max_rowid;
}

void items_writer_file_undone(struct items_writer *iw, int whole)
{
	if (whole)
		keyset_clear(&iw->keys);
	else if (iw->keys.active)
		keyset_truncate(&iw->keys, iw->keys.mark);
}

int items_conflict_put(struct items_writer *iw, const unsigned char key[STORE_KEY_LEN],
		       const unsigned char file_key[STORE_KEY_LEN], const char *member,
		       const char *sha256, const char *text, size_t text_len, struct diag *d)
{
	int rc;

	if (!iw->conflict) {
		if (store_exec(iw->s, store_item_conflicts_sql, d))
			return -1;
		iw->conflict =
		    store_prepare(iw->s,
				  "INSERT OR IGNORE INTO item_conflicts(item_key, file_key, member,"
				  " sha256, text) VALUES (?1, ?2, ?3, ?4, ?5)",
				  d);
		if (!iw->conflict)
			return -1;
	}
	sqlite3_bind_blob(iw->conflict, 1, key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(iw->conflict, 2, file_key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 3, member, -1, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 4, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(iw->conflict, 5, text, (int)text_len, SQLITE_STATIC);
	while ((rc = sqlite3_step(iw->conflict)) == SQLITE_ROW)
		;
	sqlite3_reset(iw->conflict);
	if (rc != SQLITE_DONE)
		return store_error(iw->s, d, "cannot record a conflicting item");
	return 0;
}

void items_writer_forget(struct items_writer *iw)
{
	sqlite3_finalize(iw->conflict);
	iw->conflict = NULL;
}

int items_conflicts_rekey(struct store *s, const unsigned char new_key[STORE_KEY_LEN],
			  const unsigned char old_key[STORE_KEY_LEN], struct diag *d)
{
	sqlite3_stmt *c =
	    store_prepare(s, "UPDATE item_conflicts SET file_key = ?1 WHERE file_key = ?2", d);
	int rc;

	if (!c)
		return -1;
	sqlite3_bind_blob(c, 1, new_key, STORE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(c, 2, old_key, STORE_KEY_LEN, SQLITE_STATIC);
	while ((rc = sqlite3_step(c)) == SQLITE_ROW)
		;
	sqlite3_finalize(c);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot record the provenance of a stream");
	return 0;
}

int items_empty(struct store *s, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT EXISTS (SELECT 1 FROM items)", d);
	int rc, empty;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	empty = rc == SQLITE_ROW && !sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_error(s, d, "cannot read items");
	return empty;
}

/* The item_key index is made again when a store has neither it nor the
 * UNIQUE constraint's own index (older stores keep that one): without
 * either, INSERT OR IGNORE would store an item version twice. A store
 * that holds one twice already fails here, loudly, rather than growing. */
static int ensure_key_index(struct store *s, struct diag *d)
{
	int key = has_key_index(s, d), old = 0;

	if (key < 0)
		return -1;
	if (!key && (old = store_index_exists(s, "sqlite_autoindex_items_1", d)) < 0)
		return -1;
	if (key || old)
		return 0;
	if (store_exec(s, store_items_key_index_sql, d) == 0)
		return 0;
	return diag_set(d, s->path, 0,
			"the store holds an item version twice (left by an interrupted load of an"
			" earlier cfgaudit): load the files into a new store");
}

int items_drop_indexes(struct store *s, struct diag *d)
{
	int has;

	if (store_exec(s, "DROP INDEX IF EXISTS items_by_resource; DROP INDEX IF EXISTS items_by_id",
		       d))
		return -1;
	/* A bulk load drops the item_key index too and builds it before the
	 * other two: made again here (on an empty table, at no cost), it comes
	 * before them in the schema however the load goes, so that every way
	 * of loading the same files gives the same database, schema order
	 * included. */
	if ((has = has_key_index(s, d)) < 0)
		return -1;
	if (has && store_exec(s, "DROP INDEX main.items_by_key", d))
		return -1;
	return ensure_key_index(s, d);
}

int items_build_indexes(struct store *s, struct diag *d)
{
	if (ensure_key_index(s, d))
		return -1;
	return store_exec(s, store_items_indexes_sql, d);
}
