/*
 * writer: encoding items into batches (worker side) and loading them
 * into the store (writer side); see writer.h.
 *
 * Record layout in item_batch.data, written and read with memcpy only
 * (no alignment assumptions):
 *   struct rec_hdr, then for each column whose length is not REC_NULL
 *   its bytes and a NUL (so SQLite can bind them in place).
 *
 * JSON columns are written with JSON_COMPACT | JSON_PRESERVE_ORDER (keys
 * in the order the file had them, no spaces); that text is what rules
 * and bundles see, so the flags must not change.
 */
#include "ingest/writer.h"
#include "ingest/itemtext.h"
#include "ingest/jdump.h"
#include "ingest/newruns.h"
#include "ingest/quickid.h"
#include "store/files.h"
#include "store/items.h"
#include "store/presence.h"
#include "store/schema.h"
#include "util/keymap.h"
#include "util/sha256.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REC_NULL UINT32_MAX

/* An unchanged inventory costs no write per item and snapshot (open
 * runs, store/presence.h): loading a snapshot in time order only opens
 * runs for new versions and ends the open runs of versions it lacks (at
 * the previous snapshot). */

struct rec_hdr {
	unsigned char key[STORE_KEY_LEN];
	int64_t state_id;
	uint32_t len[ICOL_COUNT];
	uint8_t has_state_id;
	uint8_t global;
	uint8_t known; /* stored already: only the key follows (no columns) */
	uint8_t conflict; /* stored already with other content: 1 + the first differing
			     compared column (see compared_cols); the columns follow */
};

/* The columns compared when a version is stored already, in this order,
 * and the item member each holds. The identity columns are the key; the
 * item version and the other members (extra: configurationItemMD5Hash,
 * configurationItemDeliveryTime, ...) differ between the shapes of one
 * recording and are not compared. */
static const struct {
	enum item_col col;
	const char *member;
} compared_cols[] = {
    {ICOL_STATUS, "configurationItemStatus"},
    {ICOL_NAME, "resourceName"},
    {ICOL_ARN, "ARN"},
    {ICOL_AZ, "availabilityZone"},
    {ICOL_CREATION, "resourceCreationTime"},
    {ICOL_CONFIGURATION, "configuration"},
    {ICOL_SUPPLEMENTARY, "supplementaryConfiguration"},
    {ICOL_TAGS, "tags"},
    {ICOL_RELATIONSHIPS, "relationships"},
};
#define N_COMPARED (sizeof(compared_cols) / sizeof(compared_cols[0]))

/* Compare the record's compared columns (col/len as in struct item_rec)
 * with the row st has just stepped to. Returns 0 when equal, else 1 + the
 * compared_cols index of the first difference. */
static int compare_stored(const char *const *stored, const size_t *stored_len,
			  const char *const *col, const uint32_t *len)
{
	for (size_t i = 0; i < N_COMPARED; i++) {
		enum item_col c = compared_cols[i].col;
		const char *v = stored[i];
		size_t n = stored_len[i];

		if (!v != !col[c])
			return (int)i + 1;
		if (v && (n != len[c] || memcmp(v, col[c], n)))
			return (int)i + 1;
	}
	return 0;
}

/* The stored version of key against col/len: 0 equal, 1 + compared_cols
 * index of the first difference, -1 when it cannot be read (rc -1) or is
 * not stored (rc 0). */
static int compare_lookup(struct item_lookup *l, const unsigned char *key, const char *const *col,
			  const uint32_t *len, int *rc)
{
	const char *stored[ISTORED_COUNT];
	size_t stored_len[ISTORED_COUNT];
	int diff = -1;

	*rc = item_lookup_stored(l, key, stored, stored_len);
	if (*rc > 0)
		diff = compare_stored(stored, stored_len, col, len);
	item_lookup_done(l);
	return diff;
}

void item_batch_init(struct item_batch *b)
{
	strbuf_init(&b->data, 0);
	b->n = 0;
	b->n_global = 0;
}

void item_batch_reset(struct item_batch *b)
{
	strbuf_reset(&b->data);
	b->n = 0;
	b->n_global = 0;
}

void item_batch_release(struct item_batch *b)
{
	strbuf_release(&b->data);
	b->n = 0;
	b->n_global = 0;
}

int item_batch_next(const struct item_batch *b, size_t *pos, struct item_rec *r)
{
	struct rec_hdr h;
	const char *p;

	if (*pos >= b->data.len)
		return 0;
	p = b->data.buf + *pos;
	memcpy(&h, p, sizeof(h));
	p += sizeof(h);
	memcpy(r->key, h.key, STORE_KEY_LEN);
	r->has_state_id = h.has_state_id;
	r->state_id = h.state_id;
	r->known = h.known;
	r->conflict = h.conflict;
	for (int i = 0; i < ICOL_COUNT; i++) {
		r->len[i] = h.len[i];
		if (h.len[i] == REC_NULL) {
			r->col[i] = NULL;
		} else {
			r->col[i] = p;
			p += h.len[i] + 1;
		}
	}
	*pos = (size_t)(p - b->data.buf);
	return 1;
}

struct item_encoder {
	EVP_MD_CTX *md;	     /* reused for every item key */
	const EVP_MD *sha;   /* SHA-256, fetched once for the process (sha256_md) */
	struct strbuf key;   /* the key's input text */
	struct strbuf quick; /* a quickid's fields as C strings */
	struct item_lookup *known; /* lookups of stored versions, or NULL */
	sqlite3 *reader;      /* the encoder's own connection (set_reader), or NULL */
	int reading;	      /* a read transaction is open on reader */
	/* The quick path's item whose text is being checked by the full path:
	 * when the full path finds it equal to the stored version, the text's
	 * digest goes into known_cache so that its repeats stay quick. */
	unsigned char pending_key[STORE_KEY_LEN];
	int64_t pending_digest; /* 0: none */
	/* Keys the database said are stored (stored items stay stored): the
	 * daily snapshots of a run repeat the same versions, so most
	 * lookups are answered here. The value is 0, or a digest of an item
	 * text found equal to the stored version (text_digest). Cleared when
	 * it grows past KNOWN_CACHE_MAX keys, to bound memory. */
	struct keymap known_cache;
	struct strbuf cols;		       /* the parsed path's columns */
	struct item_text text;		       /* the item item_encoder_read_text read */
	struct item_text_scratch text_scratch; /* its scratch */
};

#define KNOWN_CACHE_MAX 1000000

struct item_encoder *item_encoder_new(void)
{
	struct item_encoder *e = xcalloc(1, sizeof(*e));

	e->md = EVP_MD_CTX_new();
	e->sha = sha256_md();
	if (!e->md)
		abort(); /* libcrypto cannot give SHA-256: nothing sensible is left */
	strbuf_init(&e->key, 256);
	strbuf_init(&e->quick, 256);
	strbuf_init(&e->cols, 4096);
	item_text_scratch_init(&e->text_scratch);
	return e;
}

void item_encoder_free(struct item_encoder *e)
{
	if (!e)
		return;
	item_encoder_release(e);
	EVP_MD_CTX_free(e->md);
	strbuf_release(&e->key);
	strbuf_release(&e->quick);
	strbuf_release(&e->cols);
	item_text_scratch_release(&e->text_scratch);
	keymap_release(&e->known_cache);
	item_lookup_free(e->known);
	free(e);
}

void item_encoder_set_lookup(struct item_encoder *e, sqlite3 *db)
{
	item_lookup_free(e->known);
	/* Without lookups every item is encoded, and the writer compares
	 * what it cannot insert. */
	e->known = db ? item_lookup_new(db) : NULL;
}

void item_encoder_set_reader(struct item_encoder *e, sqlite3 *db)
{
	item_encoder_release(e);
	item_encoder_set_lookup(e, db);
	e->reader = e->known ? db : NULL;
}

void item_encoder_release(struct item_encoder *e)
{
	if (e->reading) {
		sqlite3_exec(e->reader, "COMMIT", NULL, NULL, NULL);
		e->reading = 0;
	}
}

/* A nonzero 64-bit digest of an item's text. */
static int64_t text_digest(struct item_encoder *e, const char *text, size_t len)
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int64_t v;

	if (EVP_DigestInit_ex(e->md, e->sha, NULL) != 1 ||
	    EVP_DigestUpdate(e->md, text, len) != 1 || EVP_DigestFinal_ex(e->md, raw, &n) != 1)
		abort();
	memcpy(&v, raw, sizeof(v));
	return v ? v : 1;
}

/* Whether the version is stored already (committed, or earlier in the
 * writer's own transaction when e shares its connection). */
static int is_known(struct item_encoder *e, const unsigned char *key)
{
	if (!e->known)
		return 0;
	if (keymap_find(&e->known_cache, key, STORE_KEY_LEN))
		return 1;
	if (e->reader && !e->reading &&
	    sqlite3_exec(e->reader, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		e->reading = 1;
	if (!item_lookup_known(e->known, key))
		return 0;
	if (e->known_cache.count >= KNOWN_CACHE_MAX)
		keymap_clear(&e->known_cache);
	keymap_insert(&e->known_cache, key, STORE_KEY_LEN, NULL);
	return 1;
}

/* The item key of the six identity fields f[i] (n[i] bytes each): the
 * same bytes as store_item_key, each field followed by a NUL. */
static void key_digest(struct item_encoder *e, const char *const f[6], const size_t n[6],
		       unsigned char key[STORE_KEY_LEN])
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	strbuf_reset(&e->key);
	for (int i = 0; i < 6; i++) {
		strbuf_add(&e->key, f[i], n[i]);
		strbuf_addch(&e->key, '\0');
	}
	if (EVP_DigestInit_ex(e->md, e->sha, NULL) != 1 ||
	    EVP_DigestUpdate(e->md, e->key.buf, e->key.len) != 1 ||
	    EVP_DigestFinal_ex(e->md, raw, &len) != 1)
		abort();
	memcpy(key, raw, STORE_KEY_LEN);
}

void item_encoder_key(struct item_encoder *e, const char *account, const char *region,
		      const char *type, const char *id, const char *capture_time,
		      const char *state_id, unsigned char key[STORE_KEY_LEN])
{
	const char *f[6] = {account, region, type, id, capture_time, state_id};
	size_t n[6];

	for (int i = 0; i < 6; i++) {
		if (!f[i])
			f[i] = "";
		n[i] = strlen(f[i]);
	}
	key_digest(e, f, n, key);
}

/* Append one column value; returns its length or REC_NULL. */
static uint32_t put_text(struct strbuf *sb, const char *s, size_t len)
{
	if (len >= REC_NULL)
		len = REC_NULL - 1; /* 4 GiB: the reader's item limit is far below */
	strbuf_add(sb, s, len);
	strbuf_addch(sb, '\0');
	return (uint32_t)len;
}

static uint32_t put_json(struct strbuf *sb, const json_t *v)
{
	size_t before = sb->len;

	/* The bytes jansson writes with JSON_COMPACT | JSON_PRESERVE_ORDER |
	 * JSON_ENCODE_ANY, at a fraction of the cost. */
	jdump(v, sb);
	if (sb->len - before >= REC_NULL) {
		sb->len = before; /* cannot happen below the reader's limits */
		return REC_NULL;
	}
	strbuf_addch(sb, '\0');
	return (uint32_t)(sb->len - before - 1);
}

/* A scalar column: strings as they are, null/absent as NULL, anything
 * else as its JSON text. */
static uint32_t put_scalar(struct strbuf *sb, const json_t *v)
{
	if (!v || json_is_null(v))
		return REC_NULL;
	if (json_is_string(v))
		return put_text(sb, json_string_value(v), json_string_length(v));
	return put_json(sb, v);
}

/* A JSON object key: quoted, with the escapes JSON requires (keys come
 * from jansson, so they are valid UTF-8). */
static void put_key(struct strbuf *sb, const char *k)
{
	strbuf_addch(sb, '"');
	for (; *k; k++) {
		unsigned char c = (unsigned char)*k;

		if (c == '"' || c == '\\') {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, (char)c);
		} else if (c < 0x20) {
			strbuf_addf(sb, "\\u%04x", c);
		} else {
			strbuf_addch(sb, (char)c);
		}
	}
	strbuf_addch(sb, '"');
}

/* Keys that have their own column; all other keys go to extra. */
static const char *const column_keys[] = {
    "configurationItemVersion",
    "configurationItemCaptureTime",
    "configurationStateId",
    "awsAccountId",
    "configurationItemStatus",
    "resourceType",
    "resourceId",
    "resourceName",
    "ARN",
    "awsRegion",
    "availabilityZone",
    "resourceCreationTime",
    "tags",
    "relationships",
    "configuration",
    "supplementaryConfiguration",
    NULL,
};

static int is_column_key(const char *k)
{
	/* Every column key starts with one of these letters: most other
	 * keys are told apart by their first byte. */
	if (!strchr("cartsA", k[0]) || !k[0])
		return 0;
	for (int i = 0; column_keys[i]; i++)
		if (column_keys[i][0] == k[0] && !strcmp(k, column_keys[i]))
			return 1;
	return 0;
}

/* Decimal text of v, as "%" PRId64 would print it (snprintf showed up
 * in profiles: it runs once per item). out has room for 21 bytes. */
static void format_int64(int64_t v, char *out)
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*out++ = '-';
	while (n)
		*out++ = tmp[--n];
	*out = '\0';
}

/* A required identity string: a non-empty JSON string without NUL
 * bytes (it is hashed as a C string). */
static const char *identity_text(json_t *item, const char *name, struct diag *d)
{
	json_t *v = json_object_get(item, name);
	const char *s;

	if (!v || json_is_null(v)) {
		diag_set(d, NULL, 0, "'%s' is missing", name);
		return NULL;
	}
	if (!json_is_string(v)) {
		diag_set(d, NULL, 0, "'%s' is not a string", name);
		return NULL;
	}
	s = json_string_value(v);
	if (!*s || strlen(s) != json_string_length(v)) {
		diag_set(d, NULL, 0, "'%s' is empty or holds a NUL character", name);
		return NULL;
	}
	return s;
}

/* Append an item that is stored already: its key alone. Every snapshot
 * repeats the inventory, and those items need no serializing. */
static void append_known(struct item_batch *b, struct rec_hdr *h)
{
	h->known = 1;
	for (int i = 0; i < ICOL_COUNT; i++)
		h->len[i] = REC_NULL;
	strbuf_add(&b->data, h, sizeof(*h));
	b->n++;
	if (h->global)
		b->n_global++;
}

int item_encode_quick(struct item_encoder *e, struct item_batch *b, const struct quickid *q)
{
	struct rec_hdr h;
	char state_text[32] = "";
	const char *f[QID_FIELDS];

	if (!e->known)
		return 0;
	/* The identity fields as C strings, in the encoder's scratch. */
	strbuf_reset(&e->quick);
	for (int i = 0; i < QID_FIELDS; i++) {
		strbuf_add(&e->quick, q->field[i], q->len[i]);
		strbuf_addch(&e->quick, '\0');
	}
	f[0] = e->quick.buf;
	for (int i = 1; i < QID_FIELDS; i++)
		f[i] = f[i - 1] + q->len[i - 1] + 1;
	memset(&h, 0, sizeof(h));
	if (q->has_state_id) {
		h.has_state_id = 1;
		h.state_id = q->state_id;
		format_int64(h.state_id, state_text);
	}
	item_encoder_key(e, f[QID_ACCOUNT], f[QID_REGION], f[QID_TYPE], f[QID_ID], q->capture,
			 state_text, h.key);
	if (!is_known(e, h.key))
		return 0;
	/* Stored already: a text seen equal to the stored version is
	 * taken as it is; any other text goes the full path, which compares
	 * its content (a conflict, or the same content written otherwise). */
	{
		int64_t dig = text_digest(e, q->text, q->text_len);
		int64_t *v = keymap_find(&e->known_cache, h.key, STORE_KEY_LEN);

		if (!v || *v != dig) {
			memcpy(e->pending_key, h.key, STORE_KEY_LEN);
			e->pending_digest = dig;
			return 0;
		}
	}
	h.global = !strcmp(f[QID_REGION], "global");
	append_known(b, &h);
	return 1;
}

/* A version stored already (h->key): 1 when the stored content is the
 * same as c's, or cannot be read (then it is taken as the same); 0 with
 * h->conflict set when it differs. */
static int same_as_stored(struct item_encoder *e, struct rec_hdr *h, const struct item_text *c)
{
	int rc, diff = -1;

	if (e->known)
		diff = compare_lookup(e->known, h->key, c->col, h->len, &rc);
	if (diff > 0) {
		h->conflict = (uint8_t)diff;
		return 0;
	}
	if (!diff && e->pending_digest) {
		/* the quick path's text is the stored version: its repeats
		 * stay quick */
		int64_t *slot = keymap_find(&e->known_cache, h->key, STORE_KEY_LEN);

		if (slot)
			*slot = e->pending_digest;
	}
	return 1;
}

/* Append the item whose columns are c: its key alone when that version
 * is stored already with the same content, else every column (a
 * conflict when it is stored with other content). */
static void append_cols(struct item_encoder *e, struct item_batch *b, const struct item_text *c)
{
	static const enum item_col id_cols[5] = {ICOL_ACCOUNT, ICOL_REGION, ICOL_TYPE, ICOL_ID,
						 ICOL_CAPTURE};
	const char *f[6];
	size_t n[6];
	char state_text[32] = "";
	struct rec_hdr h;
	int known;

	memset(&h, 0, sizeof(h));
	if (c->has_state_id) {
		h.has_state_id = 1;
		h.state_id = c->state_id;
		format_int64(h.state_id, state_text);
	}
	for (int i = 0; i < 5; i++) {
		f[i] = c->col[id_cols[i]];
		n[i] = c->len[id_cols[i]];
	}
	f[5] = state_text;
	n[5] = strlen(state_text);
	key_digest(e, f, n, h.key);
	h.global = c->len[ICOL_REGION] == 6 && !memcmp(c->col[ICOL_REGION], "global", 6);
	for (int i = 0; i < ICOL_COUNT; i++)
		h.len[i] = c->col[i] ? c->len[i] : REC_NULL;
	known = is_known(e, h.key);
	if (e->pending_digest && memcmp(e->pending_key, h.key, STORE_KEY_LEN))
		e->pending_digest = 0; /* not the quick path's item */
	if (known && same_as_stored(e, &h, c)) {
		e->pending_digest = 0;
		append_known(b, &h);
		return;
	}
	e->pending_digest = 0;
	strbuf_add(&b->data, &h, sizeof(h));
	for (int i = 0; i < ICOL_COUNT; i++) {
		if (c->col[i]) {
			strbuf_add(&b->data, c->col[i], c->len[i]);
			strbuf_addch(&b->data, '\0');
		}
	}
	b->n++;
	if (h.global)
		b->n_global++;
}

/* The identity of a parsed item. */
struct identity {
	const char *account, *region, *type, *id; /* C strings, borrowed */
	char capture[TIME_ISO_LEN];		  /* canonical */
	int has_state_id;
	int64_t state_id;
};

static int state_id_of(json_t *item, struct identity *id, struct diag *d)
{
	json_t *v = json_object_get(item, "configurationStateId");

	if (json_is_integer(v)) {
		id->has_state_id = 1;
		id->state_id = json_integer_value(v);
	} else if (json_is_string(v) && json_string_length(v) > 0) {
		char *end;
		long long n = strtoll(json_string_value(v), &end, 10);

		if (*end)
			return diag_set(d, NULL, 0,
					"configurationStateId '%.32s' is not an integer",
					json_string_value(v));
		id->has_state_id = 1;
		id->state_id = n;
	} else if (v && !json_is_null(v) && !json_is_string(v)) {
		return diag_set(d, NULL, 0, "configurationStateId is not an integer");
	}
	return 0;
}

/* account and region may stand in for a missing awsAccountId and
 * awsRegion (place: the file's). */
static const char *place_text(json_t *item, const char *name, const char *place,
			      struct diag *d)
{
	json_t *v = json_object_get(item, name);

	if ((!v || json_is_null(v)) && place && *place)
		return place;
	return identity_text(item, name, d);
}

static int identity_of(json_t *item, const char *def_account, const char *def_region,
		       struct identity *id, struct diag *d)
{
	const char *capture_raw;

	memset(id, 0, sizeof(*id));
	if (!(id->account = place_text(item, "awsAccountId", def_account, d)) ||
	    !(id->region = place_text(item, "awsRegion", def_region, d)) ||
	    !(id->type = identity_text(item, "resourceType", d)) ||
	    !(id->id = identity_text(item, "resourceId", d)) ||
	    !(capture_raw = identity_text(item, "configurationItemCaptureTime", d)))
		return -1;
	if (time_canonical(capture_raw, id->capture) != 0)
		return diag_set(d, NULL, 0, "configurationItemCaptureTime '%.64s' is not a time",
				capture_raw);
	return state_id_of(item, id, d);
}

/* resourceCreationTime: canonical when it is a time, as given otherwise. */
static uint32_t put_creation(struct strbuf *sb, const json_t *v)
{
	char t[TIME_ISO_LEN];

	if (json_is_string(v) && time_canonical(json_string_value(v), t) == 0)
		return put_text(sb, t, strlen(t));
	return put_scalar(sb, v);
}

/* A JSON column: its text, or dflt when it is null or absent (NULL:
 * SQL NULL). */
static uint32_t put_json_or(struct strbuf *sb, const json_t *v, const char *dflt)
{
	if (v && !json_is_null(v))
		return put_json(sb, v);
	return dflt ? put_text(sb, dflt, strlen(dflt)) : REC_NULL;
}

/* extra: the members without a column of their own, in their order, or
 * NULL when there are none. */
static uint32_t put_extra(struct strbuf *sb, json_t *item)
{
	const char *k;
	json_t *val;
	size_t before = sb->len;

	json_object_foreach(item, k, val)
	{
		if (is_column_key(k))
			continue;
		strbuf_addch(sb, sb->len == before ? '{' : ',');
		put_key(sb, k);
		strbuf_addch(sb, ':');
		put_json(sb, val);
		sb->len--;
	}
	if (sb->len == before)
		return REC_NULL;
	strbuf_addch(sb, '}');
	strbuf_addch(sb, '\0');
	return (uint32_t)(sb->len - before - 1);
}

/* The columns of a parsed item into sb, at off[i] with length len[i]. */
static int columns_of(struct strbuf *sb, json_t *item, const struct identity *id, size_t *off,
		      uint32_t *len, struct diag *d)
{
	json_t *status = json_object_get(item, "configurationItemStatus");
	if (!json_is_string(status) || json_string_length(status) == 0)
		return diag_set(d, NULL, 0, "'configurationItemStatus' is missing");
#define COL(i, expr) (off[i] = sb->len, len[i] = (expr))
	COL(ICOL_ACCOUNT, put_text(sb, id->account, strlen(id->account)));
	COL(ICOL_REGION, put_text(sb, id->region, strlen(id->region)));
	COL(ICOL_TYPE, put_text(sb, id->type, strlen(id->type)));
	COL(ICOL_ID, put_text(sb, id->id, strlen(id->id)));
	COL(ICOL_NAME, put_scalar(sb, json_object_get(item, "resourceName")));
	COL(ICOL_ARN, put_scalar(sb, json_object_get(item, "ARN")));
	COL(ICOL_AZ, put_scalar(sb, json_object_get(item, "availabilityZone")));
	COL(ICOL_STATUS, put_scalar(sb, status));
	COL(ICOL_CAPTURE, put_text(sb, id->capture, strlen(id->capture)));
	COL(ICOL_VERSION, put_scalar(sb, json_object_get(item, "configurationItemVersion")));
	COL(ICOL_CREATION, put_creation(sb, json_object_get(item, "resourceCreationTime")));
	COL(ICOL_CONFIGURATION, put_json_or(sb, json_object_get(item, "configuration"), NULL));
	COL(ICOL_SUPPLEMENTARY,
	    put_json_or(sb, json_object_get(item, "supplementaryConfiguration"), "{}"));
	COL(ICOL_TAGS, put_json_or(sb, json_object_get(item, "tags"), "{}"));
	COL(ICOL_RELATIONSHIPS, put_json_or(sb, json_object_get(item, "relationships"), "[]"));
	COL(ICOL_EXTRA, put_extra(sb, item));
#undef COL
	return 0;
}

int item_encode(struct item_encoder *e, struct item_batch *b, json_t *item, const char *def_account,
		const char *def_region, struct diag *d)
{
	struct identity id;
	struct item_text c;
	size_t off[ICOL_COUNT];

	if (!json_is_object(item))
		return diag_set(d, NULL, 0, "configuration item is not a JSON object");
	if (identity_of(item, def_account, def_region, &id, d))
		return -1;
	strbuf_reset(&e->cols);
	if (columns_of(&e->cols, item, &id, off, c.len, d))
		return -1;
	for (int i = 0; i < ICOL_COUNT; i++)
		c.col[i] = c.len[i] == REC_NULL ? NULL : e->cols.buf + off[i];
	c.has_state_id = id.has_state_id;
	c.state_id = id.state_id;
	append_cols(e, b, &c);
	return 0;
}

int item_encoder_read_text(struct item_encoder *e, const char *text, size_t len, int max_depth,
			   char account[24])
{
	struct item_text *c = &e->text;

	if (!item_text_read(text, len, max_depth, c, &e->text_scratch))
		return 0;
	/* 12 to 20 digits (item_text_read) */
	memcpy(account, c->col[ICOL_ACCOUNT], c->len[ICOL_ACCOUNT]);
	account[c->len[ICOL_ACCOUNT]] = '\0';
	return 1;
}

void item_encode_text(struct item_encoder *e, struct item_batch *b)
{
	append_cols(e, b, &e->text);
}

/* ---- writer side ---- */

/* The open runs of the series of a snapshot loaded in time order, held in
 * memory when there are at most OPEN_SET_MAX of them: each version the
 * snapshot holds is then a hash lookup instead of two B-tree writes, and
 * the runs it lacks are ended one by one at the end. A larger series uses
 * the database (temp.ingest_snap), so memory stays bounded. */
#define OPEN_SET_MAX 200000

struct open_set {
	size_t max; /* OPEN_SET_MAX, or less for tests */
	int active;
	struct keymap index; /* item key -> position in key[] */
	unsigned char (*key)[STORE_KEY_LEN];
	unsigned char *seen; /* the snapshot holds key[i] */
	size_t n, alloc;
};

/* The runs of a snapshot that starts its series (no loaded snapshot
 * before or after it, so no run of the series exists) are only opened,
 * never looked up: they wait in a newruns buffer (at most NEW_RUNS_MAX)
 * and are written in key order, when the file ends or, in a bulk load,
 * across files (ingest/newruns.h), so that both B-trees of
 * snapshot_presence are appended rather than written at a random place
 * per item. */
#define NEW_RUNS_MAX (1u << 20)

struct writer {
	struct store *s;
	struct presence *pres;	    /* the statements on snapshot_presence */
	struct files_writer *fw;    /* ... on files and item_sources */
	struct presence_series ser; /* f's series */
	struct open_set open;
	struct newruns *fresh_runs; /* the runs of new series, waiting */
	int fresh;		    /* f starts its series: its runs go to fresh_runs */
	struct items_writer *iw;     /* ... on items and item_conflicts */
	const struct writer_file *f; /* the file being loaded */
	int snapshot;		     /* f is a snapshot with a series */
	char t[TIME_ISO_LEN];	     /* f's delivery time */
	char prev[TIME_ISO_LEN];     /* the series' loaded snapshot before t, or "" */
	char next[TIME_ISO_LEN];     /* ... after t, or "" */
	struct writer_stats stats;
	int bulk;		     /* one transaction for the whole run (writer_bulk) */
	int keys_tried;		     /* bulk: items_writer_defer_key_index was called */
	int series_dropped;	     /* bulk: the series index of snapshot_presence is dropped */
	int indexes_at_end;	     /* bulk: writer_end builds items' other indexes (writer_indexes_at_end) */
	int in_file;		     /* bulk: the savepoint of a streamed file is open */
	int grouped;		     /* the current file is part of a group */
	int in_group;		     /* a group transaction is open */
	int group_files;	     /* files released into it */
	struct timespec group_start; /* when it began */
	struct item_lookup *stored;  /* the stored versions, to compare */
	void (*conflict_fn)(void *ctx, const struct writer_conflict *c);
	void *conflict_ctx;
	long long file_conflicts; /* in the current file */
};


void writer_set_conflict_fn(struct writer *w,
			    void (*fn)(void *ctx, const struct writer_conflict *c), void *ctx)
{
	w->conflict_fn = fn;
	w->conflict_ctx = ctx;
}

long long writer_file_conflicts(const struct writer *w)
{
	return w->file_conflicts;
}

struct writer *writer_new(struct store *s, struct diag *d)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->s = s;
	w->open.max = OPEN_SET_MAX;
	w->pres = presence_new(s, d);
	if (!w->pres) {
		free(w);
		return NULL;
	}
	w->fresh_runs = newruns_new(w->pres, NEW_RUNS_MAX);
	/* A bulk load commits often: checkpoint every 64 MiB of log rather
	 * than every 4 MiB, so that pages written again and again (index
	 * interiors, presence runs) reach the database file fewer times. */
	if (store_exec(s, "PRAGMA wal_autocheckpoint=16384", d)) {
		newruns_free(w->fresh_runs);
		presence_free(w->pres);
		free(w);
		return NULL;
	}
	w->iw = items_writer_new(s, d);
	w->stored = w->iw ? item_lookup_new(s->db) : NULL;
	if (w->iw && !w->stored)
		store_error(s, d, "cannot prepare");
	if (w->stored)
		item_lookup_use_keys(w->stored, w->iw);
	w->fw = w->stored ? files_writer_new(s, d) : NULL;
	if (!w->fw) {
		writer_free(w);
		return NULL;
	}
	return w;
}

void writer_share_keys(struct writer *w, struct item_encoder *e)
{
	if (e->known)
		item_lookup_use_keys(e->known, w->iw);
}

void writer_limit_open_set(struct writer *w, size_t max)
{
	w->open.max = max;
	newruns_set_max(w->fresh_runs, max);
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	if (w->in_group)
		store_rollback(w->s); /* writer_flush was not called: an error path */
	items_writer_free(w->iw);
	item_lookup_free(w->stored);
	files_writer_free(w->fw);
	keymap_release(&w->open.index);
	newruns_free(w->fresh_runs);
	free(w->open.key);
	free(w->open.seen);
	presence_free(w->pres);
	free(w);
}

const struct writer_stats *writer_stats(const struct writer *w)
{
	return &w->stats;
}

int writer_is_loaded(struct writer *w, const unsigned char key[STORE_KEY_LEN], struct diag *d)
{
	return files_is_loaded(w->fw, key, d);
}

/* A bulk load starts the disk's writes each time the file grew by this. */
#define WRITEBACK_EVERY (64ll << 20)

/* Small files are loaded in group transactions, committed every
 * GROUP_FILES files or GROUP_MS milliseconds, so that a tree of small
 * history files does not pay for a commit each. Only files that were
 * read to their end without error are grouped (the caller knows before
 * it starts writing them), so a file is still all or nothing; a large
 * file is streamed in a transaction of its own. */
#define GROUP_FILES 256
#define GROUP_MS 1000

static long long group_age_ms(const struct writer *w)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - w->group_start.tv_sec) * 1000LL +
	       (now.tv_nsec - w->group_start.tv_nsec) / 1000000;
}

int writer_hold(struct writer *w, struct diag *d)
{
	if (w->in_group)
		return 0;
	if (store_begin(w->s, d))
		return -1;
	w->in_group = 1;
	w->group_files = 0;
	clock_gettime(CLOCK_MONOTONIC, &w->group_start);
	return 0;
}

int writer_bulk(struct writer *w, struct diag *d)
{
	int direct;

	if (w->in_group)
		return 0;
	/* 0: another connection has it open: WAL and commits as usual */
	direct = store_journal_direct(w->s, d);
	if (direct > 0)
		w->bulk = 1;
	return direct;
}

static int deferred_indexes(struct writer *w, struct diag *d);

int writer_end(struct writer *w, struct diag *d)
{
	if (!w->in_group)
		return 0;
	w->in_group = 0;
	if (w->bulk) {
		/* The end of a first load is one thread's work in SQLite:
		 * the disk writes what the load wrote and a thread sorts
		 * the held runs while the item_key index is built. */
		store_writeback(w->s, 0);
		newruns_sort_ahead(w->fresh_runs);
		if (items_writer_key_index(w->iw, d)) {
			store_rollback(w->s);
			return -1;
		}
	}
	if (newruns_write_all(w->fresh_runs, d) || deferred_indexes(w, d) ||
	    (w->bulk && w->indexes_at_end && items_build_indexes(w->s, d)) || store_commit(w->s, d)) {
		store_rollback(w->s);
		return -1;
	}
	return 0;
}

void writer_indexes_at_end(struct writer *w)
{
	w->indexes_at_end = 1;
}

int writer_bulk_done(struct store *s, struct diag *d)
{
	return store_journal_wal(s, d);
}

int writer_flush(struct writer *w, struct diag *d)
{
	return w->bulk ? 0 : writer_end(w, d); /* a bulk run commits at its end */
}

static void open_set_clear(struct open_set *o)
{
	o->active = 0;
	o->n = 0;
	keymap_clear(&o->index);
}

/* Before an in-order snapshot: the series' open runs, if few enough. */
static void add_open_key(const unsigned char *key, void *ctx)
{
	struct open_set *o = ctx;

	if (o->n == o->alloc) {
		o->alloc = o->alloc ? o->alloc * 2 : 1024;
		o->key = xrealloc(o->key, o->alloc * sizeof(*o->key));
		o->seen = xrealloc(o->seen, o->alloc);
	}
	memcpy(o->key[o->n], key, STORE_KEY_LEN);
	o->seen[o->n] = 0;
	*keymap_insert(&o->index, o->key[o->n], STORE_KEY_LEN, NULL) = (int64_t)o->n;
	o->n++;
}

static int load_open_set(struct writer *w, struct diag *d)
{
	struct open_set *o = &w->open;

	open_set_clear(o);
	if (presence_open_keys(w->pres, &w->ser, w->t, (long long)o->max + 1, add_open_key, o, d))
		return -1;
	if (o->n > o->max)
		open_set_clear(o);
	else
		o->active = 1;
	return 0;
}

/* Build what a bulk load dropped: the item_key index, then the series
 * index of snapshot_presence (always in this order, so that the schema
 * lists them alike however the load went). */
static int deferred_indexes(struct writer *w, struct diag *d)
{
	if (items_writer_key_index(w->iw, d))
		return -1;
	if (w->series_dropped) {
		if (presence_build_index(w->s, d))
			return -1;
		w->series_dropped = 0;
	}
	return 0;
}

/* In a bulk load, before a file's savepoint: write the held runs of new
 * series if f is the next snapshot of one of them (it reads them), or if
 * the buffer is full. */
static int held_runs_before(struct writer *w, const struct writer_file *f, struct diag *d)
{
	struct newruns *nr = w->fresh_runs;

	if (newruns_count(nr) &&
	    (newruns_full(nr) || (f->snapshot && f->account && f->region &&
				  newruns_has_series(nr, f->account, f->region))) &&
	    newruns_write_all(nr, d))
		return -1;
	/* Runs are written before the end: the series index is read from
	 * now on (it is built after the item_key index, in the order the
	 * end of the load builds them). */
	if (w->series_dropped && newruns_wrote(nr))
		return deferred_indexes(w, d);
	return 0;
}

/* In a bulk load, before a file's savepoint: drop the item_key index at
 * the first file, build it when the keys kept instead reach their bound. */
static int key_index_before(struct writer *w, struct diag *d)
{
	if (!w->keys_tried) {
		w->keys_tried = 1;
		if (items_writer_defer_key_index(w->iw, d) < 0 || presence_drop_index(w->s, d))
			return -1;
		w->series_dropped = 1;
	}
	if (items_writer_keys_full(w->iw) && items_writer_key_index(w->iw, d))
		return -1;
	items_writer_file_begin(w->iw);
	return 0;
}

int writer_begin(struct writer *w, const struct writer_file *f, int grouped, struct diag *d)
{
	w->f = f;
	w->file_conflicts = 0;
	w->snapshot = f->snapshot && f->account && f->region && f->has_time;
	w->grouped = grouped;
	if (!grouped && writer_flush(w, d))
		return -1;
	w->fresh = 0;
	newruns_file_mark(w->fresh_runs);
	if (w->bulk) {
		/* The run's one transaction, and a savepoint for a file that
		 * may still fail (grouped files are read to their end). */
		if (writer_hold(w, d) || held_runs_before(w, f, d) || key_index_before(w, d))
			return -1;
		if (!grouped) {
			if (store_exec(w->s, "SAVEPOINT ingest_file", d))
				return -1;
			w->in_file = 1;
		}
	} else if (!w->in_group) {
		if (store_begin(w->s, d))
			return -1;
		w->in_group = grouped;
		w->group_files = 0;
		clock_gettime(CLOCK_MONOTONIC, &w->group_start);
	}
	if (!w->snapshot)
		return 0;
	w->ser.account = f->account;
	w->ser.region = f->region;
	time_format_iso(f->delivered_ms, w->t);
	if (files_series_time(w->fw, 0, f->account, f->region, w->t, w->prev, d) ||
	    files_series_time(w->fw, 1, f->account, f->region, w->t, w->next, d))
		goto fail;
	if (!w->next[0] && presence_snap_clear(w->pres, d))
		goto fail;
	if (!w->next[0] && load_open_set(w, d))
		goto fail;
	w->fresh = !w->prev[0] && !w->next[0] && w->open.active && w->open.n == 0;
	if (w->fresh)
		newruns_file_begin(w->fresh_runs, f->account, f->region, w->t);
	/* Out of order: t falls inside runs that S may break. */
	if (w->prev[0] && w->next[0] && presence_split(w->pres, &w->ser, w->t, w->prev, w->next, d))
		goto fail;
	return 0;
fail:
	writer_abort(w);
	return -1;
}

/* Record that the version key is in the snapshot being loaded (time t),
 * keeping the runs maximal. In time order: keep or open its open run
 * (writer_finish ends the open runs of versions t lacks). Out of order:
 * extend the run that ends at the previous snapshot (and join it with
 * one that starts at the next), or the one that starts at the next
 * snapshot, or start a new run [t, t]. */
static int add_presence(struct writer *w, const unsigned char *key, struct diag *d)
{
	char first[TIME_ISO_LEN], last[TIME_ISO_LEN];
	int changed, covered;

	if (w->fresh)
		return newruns_add(w->fresh_runs, key, d);
	if (!w->next[0] && w->open.active) {
		/* The usual case, snapshots in time order (t is the latest),
		 * with the open runs in memory. */
		int64_t *i = keymap_find(&w->open.index, key, STORE_KEY_LEN);

		if (i) {
			w->open.seen[*i] = 1;
			return 0;
		}
		return presence_open_run(w->pres, &w->ser, key, w->t, d);
	}
	if (!w->next[0]) {
		/* The same, for a series with more open runs than memory is
		 * given for. */
		if (presence_snap_key(w->pres, key, d))
			return -1;
		return presence_open_run(w->pres, &w->ser, key, w->t, d);
	}
	/* Out of order: t lies before a loaded snapshot (next). */
	if (w->prev[0]) {
		if (presence_extend_last(w->pres, &w->ser, key, w->prev, w->t, first, sizeof(first),
					 d))
			return -1;
		if (first[0]) {
			if (presence_merge_find(w->pres, &w->ser, key, w->next, last, sizeof(last), d))
				return -1;
			if (!last[0])
				return 0;
			return presence_merge(w->pres, &w->ser, key, first, w->next, last, d);
		}
	}
	if (w->next[0]) {
		if (presence_extend_first(w->pres, &w->ser, key, w->next, w->t, &changed, d))
			return -1;
		if (changed)
			return 0;
	}
	/* Already covered: the same version twice in this snapshot. */
	if (presence_covering(w->pres, &w->ser, key, w->t, &covered, d))
		return -1;
	if (covered)
		return 0;
	return presence_insert_run(w->pres, &w->ser, key, w->t, d);
}

/* The compared members of r as a JSON object (the text kept for history). */
static void conflict_text(const struct item_rec *r, struct strbuf *sb)
{
	strbuf_addch(sb, '{');
	for (size_t i = 0; i < N_COMPARED; i++) {
		enum item_col c = compared_cols[i].col;
		int json = c == ICOL_CONFIGURATION || c == ICOL_SUPPLEMENTARY || c == ICOL_TAGS ||
			   c == ICOL_RELATIONSHIPS;

		if (i)
			strbuf_addch(sb, ',');
		put_key(sb, compared_cols[i].member);
		strbuf_addch(sb, ':');
		if (!r->col[c]) {
			strbuf_addstr(sb, "null");
		} else if (json) {
			strbuf_add(sb, r->col[c], r->len[c]);
		} else {
			json_t *str = json_stringn(r->col[c], r->len[c]);

			if (str)
				jdump(str, sb);
			else
				strbuf_addstr(sb, "null");
			json_decref(str);
		}
	}
	strbuf_addch(sb, '}');
}

/* r holds another text of a stored version (diff: 1 + compared_cols
 * index): keep it in item_conflicts and tell the caller. */
static int record_conflict(struct writer *w, const struct item_rec *r, int diff, struct diag *d)
{
	struct strbuf text;
	struct writer_conflict c;
	char hex[SHA256_HEX_LEN];
	char *first = NULL;
	int rc;

	strbuf_init(&text, 256);
	conflict_text(r, &text);
	sha256_hex(text.buf, text.len, hex);
	rc = items_conflict_put(w->iw, r->key, w->f->key, compared_cols[diff - 1].member, hex,
				text.buf, text.len, d);
	strbuf_release(&text);
	if (rc)
		return -1;
	w->file_conflicts++;
	if (!w->conflict_fn)
		return 0;
	/* the first text may be in a file whose runs are held */
	if (w->bulk && newruns_write_before(w->fresh_runs, d))
		return -1;
	first = files_first_path(w->fw, r->key, w->f->key);
	memset(&c, 0, sizeof(c));
	c.account = r->col[ICOL_ACCOUNT];
	c.region = r->col[ICOL_REGION];
	c.type = r->col[ICOL_TYPE];
	c.id = r->col[ICOL_ID];
	c.capture = r->col[ICOL_CAPTURE];
	c.has_state_id = r->has_state_id;
	c.state_id = r->state_id;
	c.member = compared_cols[diff - 1].member;
	c.first_path = first;
	c.n = w->file_conflicts;
	w->conflict_fn(w->conflict_ctx, &c);
	free(first);
	return 0;
}

/* r could not be inserted: its version is stored already (earlier in
 * this run, out of the encoder's sight). Compare; 0 or -1 with d. */
static int check_stored(struct writer *w, const struct item_rec *r, struct diag *d)
{
	int rc, diff = compare_lookup(w->stored, r->key, r->col, r->len, &rc);

	if (rc < 0)
		return store_error(w->s, d, "cannot read a stored item");
	return diff > 0 ? record_conflict(w, r, diff, d) : 0;
}

int writer_add(struct writer *w, const struct item_batch *b, struct diag *d)
{
	struct item_rec r;
	size_t pos = 0;
	int inserted;

	while (item_batch_next(b, &pos, &r)) {
		w->stats.items++;
		if (r.known)
			goto provenance;
		if (r.conflict) {
			if (record_conflict(w, &r, r.conflict, d))
				return -1;
			goto provenance;
		}
		if (items_put(w->iw, r.key, r.col, r.len, r.has_state_id, r.state_id, &inserted, d))
			return -1;
		if (inserted)
			w->stats.new_items++;
		else if (check_stored(w, &r, d))
			return -1;
	provenance:
		if (w->snapshot) {
			if (add_presence(w, r.key, d))
				return -1;
		} else {
			if (item_sources_put(w->fw, r.key, w->f->key, d))
				return -1;
		}
	}
	/* A first load's pages reach the file as the cache spills them
	 * and its commit syncs them all: have the disk take them as the
	 * file grows, not all at the end. */
	if (w->bulk)
		store_writeback(w->s, WRITEBACK_EVERY);
	return 0;
}

static int insert_file(struct writer *w, const struct writer_file *f, long long item_count,
		       long long global_items, const struct diag *err, struct diag *d)
{
	char delivered[TIME_ISO_LEN], now[TIME_ISO_LEN];
	struct file_row r;

	time_format_iso(time_now_ms(), now);
	if (f->has_time)
		time_format_iso(f->delivered_ms, delivered);
	r.key = f->key;
	r.path = f->path;
	r.size = f->size;
	r.sha256 = f->sha256;
	r.kind = f->kind ? f->kind : "unknown";
	r.account = f->account;
	r.region = f->region;
	r.delivered_at = f->has_time ? delivered : NULL;
	r.snapshot_id = f->snapshot_id;
	r.item_count = item_count;
	r.global_items = global_items;
	r.error = err ? err->msg : NULL;
	r.error_offset = err ? err->offset : -1;
	r.ingested_at = now;
	r.stat_key = f->has_stat_key ? f->stat_key : NULL;
	return files_put(w->fw, &r, d);
}

/* A snapshot loaded in time order ends, at the previous snapshot, the
 * open runs of the versions it does not hold. */
static int close_runs(struct writer *w, struct diag *d)
{
	if (!w->snapshot || w->next[0] || !w->prev[0])
		return 0;
	if (w->open.active) {
		for (size_t i = 0; i < w->open.n; i++) {
			if (w->open.seen[i])
				continue;
			if (presence_close_one(w->pres, &w->ser, w->open.key[i], w->prev, d))
				return -1;
		}
		open_set_clear(&w->open);
		return 0;
	}
	if (presence_close_runs(w->pres, &w->ser, w->t, w->prev, d))
		return -1;
	return presence_snap_clear(w->pres, d);
}

int writer_finish(struct writer *w, long long item_count, long long global_items, struct diag *d)
{
	/* A bulk load holds the runs of new series to its end (or the next
	 * snapshot of their series); any other writes them now. */
	if ((!w->bulk && newruns_write_all(w->fresh_runs, d)) || close_runs(w, d) ||
	    insert_file(w, w->f, item_count, global_items, NULL, d)) {
		writer_abort(w);
		return -1;
	}
	w->f = NULL;
	if (w->bulk) {
		if (w->in_file) {
			w->in_file = 0;
			if (store_exec(w->s, "RELEASE ingest_file", d)) {
				writer_abort(w);
				return -1;
			}
		}
		newruns_file_done(w->fresh_runs);
		return 0;
	}
	if (!w->grouped) {
		if (store_commit(w->s, d)) {
			store_rollback(w->s);
			return -1;
		}
		return 0;
	}
	if (++w->group_files >= GROUP_FILES || group_age_ms(w) >= GROUP_MS)
		return writer_flush(w, d);
	return 0;
}

void writer_abort(struct writer *w)
{
	/* For a grouped file this throws the group away: it only happens
	 * on database errors, which end the run. In a bulk run a streamed
	 * file goes back to its savepoint, and the run's transaction stays. */
	if (w->in_file && sqlite3_exec(w->s->db, "ROLLBACK TO ingest_file; RELEASE ingest_file",
				       NULL, NULL, NULL) == SQLITE_OK) {
		w->in_file = 0;
		newruns_file_undone(w->fresh_runs, 0);
		items_writer_file_undone(w->iw, 0);
	} else {
		store_rollback(w->s);
		w->in_group = 0;
		w->in_file = 0;
		newruns_file_undone(w->fresh_runs, 1);
		items_writer_file_undone(w->iw, 1);
		w->series_dropped = 0; /* back with the rollback */
	}
	w->f = NULL;
	open_set_clear(&w->open);
	w->fresh = 0;
	/* item_conflicts may have been created in what was rolled back */
	items_writer_forget(w->iw);
}

int writer_record_failure(struct writer *w, const struct writer_file *f, const struct diag *err,
			  struct diag *d)
{
	int loaded = writer_is_loaded(w, f->key, d);

	if (loaded < 0)
		return -1;
	if (loaded)
		return 0; /* never replace a loaded file's row by a failure */
	return insert_file(w, f, 0, 0, err, d);
}


int writer_rekey(struct writer *w, const unsigned char old_key[STORE_KEY_LEN], struct diag *d)
{
	if (item_sources_rekey(w->fw, w->f->key, old_key, d))
		return -1;
	if (w->file_conflicts && items_conflicts_rekey(w->s, w->f->key, old_key, d))
		return -1;
	return 0;
}

int writer_note_stat(struct writer *w, const struct writer_file *f, struct diag *d)
{
	if (!f->has_stat_key)
		return 0;
	return files_note_stat(w->fw, f->key, f->stat_key, d);
}

int writer_defer_indexes(struct store *s, struct diag *d)
{
	int empty;

	/* The indexes a first load builds at its end (and the item_key and
	 * series indexes a bulk load builds before it commits) sort through
	 * temporary files: set before the writer's temporary table exists,
	 * and outside a transaction (SQLite refuses it inside one). */
	if (store_exec(s, "PRAGMA temp_store=FILE", d) || store_begin(s, d))
		return -1;
	/* One transaction: a load killed between dropping the item_key index
	 * and making it again would leave a store where INSERT OR IGNORE
	 * keeps every version twice. The series index is made again on the
	 * empty table so that it follows items_by_key in the schema
	 * (items_drop_indexes), as a bulk load builds them. */
	empty = items_empty(s, d);
	if (empty > 0 &&
	    (items_drop_indexes(s, d) || presence_drop_index(s, d) || presence_build_index(s, d)))
		empty = -1;
	if (empty < 0 || store_commit(s, d)) {
		store_rollback(s);
		return -1;
	}
	return empty ? 1 : writer_restore_indexes(s, d);
}

int writer_restore_indexes(struct store *s, struct diag *d)
{
	int rc;

	/* The sort that builds them spills to temporary files: on disk,
	 * not in memory (temp_store=MEMORY would hold a copy of the index,
	 * 80 MB for 550k items). Changing temp_store drops the temporary
	 * tables: call this after writer_free. */
	if (store_exec(s, "PRAGMA temp_store=FILE", d))
		return -1;
	/* Both in one transaction: one commit (and sync) rather than two;
	 * deferred, so that it takes no lock when both are there. */
	rc = store_exec(s, "BEGIN", d);
	if (!rc && (items_build_indexes(s, d) || store_commit(s, d))) {
		store_rollback(s);
		rc = -1;
	}
	if (rc) {
		struct diag ignored;

		diag_clear(&ignored);
		store_exec(s, "PRAGMA temp_store=MEMORY", &ignored);
		return rc;
	}
	return store_exec(s, "PRAGMA temp_store=MEMORY", d);
}
