/*
 * elbv2_facts: elbv2_load_balancers (see elbv2_facts.h).
 */
#include "eval/elbv2_facts.h"
#include "eval/jscan.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * elbv2_load_balancers: one row per current
 * AWS::ElasticLoadBalancingV2::LoadBalancer item, with what the listener
 * rules need to decide from a listener's absence: kind (the load
 * balancer type, application by default), covered (a complete inventory
 * of its account and Region, inventory_coverage) and listeners_seen (the
 * account and Region has at least one V2 listener item, so the recorder
 * records listeners there), and attributes: the LoadBalancerAttributes
 * list (supplementary, a list or JSON text) as an object of key -> value
 * text ("true"/"false" for booleans), NULL when the item has no list.
 */
#define ELBV2_HEAD \
	" c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status," \
	"  c.configuration IS NOT NULL AS recorded," \
	"  lower(coalesce(c.configuration ->> '$.type', 'application')) AS kind,"
#define ELBV2_ATTRIBUTES \
	"  (SELECT CASE WHEN json_valid(x) AND json_type(x) = 'array' THEN" \
	"    (SELECT json_group_object(a.value ->> '$.key'," \
	"      CASE json_type(a.value, '$.value') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'" \
	"       ELSE lower(a.value ->> '$.value') END)" \
	"     FROM json_each(x) AS a WHERE a.type = 'object' AND json_type(a.value, '$.key') = 'text')" \
	"    END" \
	"   FROM (SELECT json_unstring(c.supplementary ->> '$.LoadBalancerAttributes') AS x))" \
	"   AS attributes"
#define ELBV2_SELECT \
	" WITH seen AS (SELECT DISTINCT account_id, region FROM elb_listeners" \
	"  WHERE lb_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer')" \
	" SELECT" ELBV2_HEAD \
	"  EXISTS (SELECT 1 FROM inventory_coverage AS ic" \
	"   WHERE ic.account_id = c.account_id AND ic.region = c.region) AS covered," \
	"  EXISTS (SELECT 1 FROM seen AS r" \
	"   WHERE r.account_id = c.account_id AND r.region = c.region) AS listeners_seen," \
	ELBV2_ATTRIBUTES
#define ELBV2_FROM \
	" FROM current_items AS c" \
	" WHERE c.resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'"
#define ELBV2_INDEX \
	"CREATE INDEX temp.elbv2_load_balancers_by_item ON elbv2_load_balancers(item_key);"
static const char elbv2_lbs_sql[] =
	"CREATE TEMP TABLE elbv2_load_balancers AS" ELBV2_SELECT ELBV2_FROM ";" ELBV2_INDEX;

/*
 * That statement defines the table and makes its schema; elbv2_build_load_balancers
 * reads the rows in C where the item's documents are plain (jscan) and
 * the places are text, by the same expressions over the item's columns
 * otherwise. covered and listeners_seen are looked up among the
 * account-Regions of inventory_coverage and of the V2 listeners, read
 * once.
 */
static const char elbv2_items_sql[] =
	"SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,"
	" c.configuration, c.supplementary" ELBV2_FROM;
static const char elbv2_insert_sql[] =
	"INSERT INTO elbv2_load_balancers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
/* An item the C reading does not take goes through the statement's
 * expressions alone (covered and listeners_seen, ?1 and ?2, still from
 * the places read once), from a one-row table: bound parameters would be
 * constants to SQLite, which evaluates json_type() of them before
 * json_valid() guards it. */
static const char elbv2_one_sql[] =
	"DROP TABLE IF EXISTS temp.elbv2_one_item;"
	"CREATE TEMP TABLE elbv2_one_item AS SELECT c.item_key, c.resource_type, c.resource_id,"
	" c.account_id, c.region, c.status, c.configuration, c.supplementary" ELBV2_FROM " AND 0";
static const char elbv2_put_sql[] =
	"INSERT INTO elbv2_one_item VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char elbv2_by_sql[] =
	"INSERT INTO elbv2_load_balancers SELECT" ELBV2_HEAD " ?1, ?2," ELBV2_ATTRIBUTES
	" FROM temp.elbv2_one_item AS c";
static const char elbv2_covered_sql[] = "SELECT account_id, region FROM inventory_coverage";
/* (without DISTINCT: the keymap keeps each place once, cheaper than
 * SQLite's sorting every listener) */
static const char elbv2_seen_sql[] =
	"SELECT account_id, region FROM elb_listeners"
	" WHERE lb_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'";

/* The key of an account-Region: account NUL region, both text. */
static int elbv2_place(struct strbuf *b, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT ||
	    sqlite3_column_type(st, col + 1) != SQLITE_TEXT)
		return -1;
	strbuf_reset(b);
	strbuf_add(b, sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
	strbuf_add(b, "", 1);
	strbuf_add(b, sqlite3_column_text(st, col + 1), (size_t)sqlite3_column_bytes(st, col + 1));
	return 0;
}

/* The places a statement lists, into m: 0, or 1 when one is not text
 * (-1 on an error). */
static int elbv2_places(struct store *s, const char *sql, struct keymap *m, struct diag *d)
{
	struct strbuf b = STRBUF_INIT;
	sqlite3_stmt *st = store_prepare(s, sql, d);
	int step, rc = 0, added;

	if (!st)
		return -1;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (elbv2_place(&b, st, 0))
			rc = 1;
		else
			*keymap_insert(m, b.buf, b.len, &added) = 1;
	}
	if (!rc && step != SQLITE_DONE) {
		store_error(s, d, "cannot build elbv2_load_balancers");
		rc = -1;
	}
	sqlite3_finalize(st);
	strbuf_release(&b);
	return rc;
}

/* Append text as json_group_object quotes it: plain text (no quote,
 * backslash or control byte, as jscan's strings) needs no escape. */
static void elbv2_quote(struct strbuf *b, const char *text, size_t len, int lower)
{
	strbuf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (lower && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		strbuf_add(b, &ch, 1);
	}
	strbuf_add(b, "\"", 1);
}

/* attributes into b (NULL: *null set): 0, or 1 when not simple. */
static int elbv2_attributes(const char *supp, size_t len, struct strbuf *b, int *null)
{
	struct jscan_iter it;
	struct jscan_val k, x, attrs = { 0 }, list, key, val;
	int n, first = 1;

	*null = 1;
	if (jscan_object_doc(supp, len, &it))
		return 1;
	while ((n = jscan_next(&it, &k, &x)) > 0)
		if (!attrs.kind && JSCAN_IS(&k, "LoadBalancerAttributes"))
			attrs = x;
	if (n || jscan_doc_end(&it))
		return 1;
	/* json_unstring(->>): an array as its text; a string's content,
	 * unwrapped again only when it is itself a JSON string */
	if (attrs.kind == JS_ARR) {
		list = attrs;
	} else if (attrs.kind == JS_STR) {
		size_t i = 0;

		while (i < attrs.len && (attrs.s[i] == ' ' || attrs.s[i] == '\t' ||
					 attrs.s[i] == '\n' || attrs.s[i] == '\r'))
			i++;
		if (i < attrs.len && attrs.s[i] == '"')
			return 1;
		if (jscan_doc(attrs.s, attrs.len, &list))
			return 1;
		if (list.kind != JS_ARR)
			return 0;
	} else {
		return 0;
	}
	*null = 0;
	strbuf_reset(b);
	strbuf_add(b, "{", 1);
	jscan_iter_start(&it, &list);
	while ((n = jscan_next(&it, NULL, &x)) > 0) {
		if (x.kind != JS_OBJ)
			continue;
		if (jscan_member(&x, "key", 3, 0, &key) || jscan_member(&x, "value", 5, 0, &val))
			return 1;
		if (key.kind != JS_STR)
			continue;
		if (!first)
			strbuf_add(b, ",", 1);
		first = 0;
		elbv2_quote(b, key.s, key.len, 0);
		strbuf_add(b, ":", 1);
		switch ((int)val.kind) {
		case JS_TRUE:
			elbv2_quote(b, "true", 4, 0);
			break;
		case JS_FALSE:
			elbv2_quote(b, "false", 5, 0);
			break;
		case JS_STR:
			elbv2_quote(b, val.s, val.len, 1);
			break;
		case 0:
		case JS_NULL:
			strbuf_add(b, "null", 4);
			break;
		default:
			return 1; /* lower() of a number or of JSON text */
		}
	}
	if (n)
		return 1;
	strbuf_add(b, "}", 1);
	return 0;
}

/* Bind ?7-?11 of elbv2_insert_sql: 0, or 1 when not simple. */
static int elbv2_scan(sqlite3_stmt *item, sqlite3_stmt *ins, const struct keymap *covered,
		      const struct keymap *seen, struct strbuf *place, struct strbuf *attrs)
{
	const char *config = (const char *)sqlite3_column_text(item, 6);
	const char *supp = (const char *)sqlite3_column_text(item, 7);
	struct jscan_val doc, kind = { 0 };
	int null;

	if (elbv2_place(place, item, 3) || !supp)
		return 1;
	if (config && (jscan_doc(config, (size_t)sqlite3_column_bytes(item, 6), &doc) ||
		       doc.kind != JS_OBJ || jscan_member(&doc, "type", 4, 0, &kind)))
		return 1;
	if (kind.kind && kind.kind != JS_NULL && kind.kind != JS_STR)
		return 1; /* lower() of a number or of JSON text */
	if (elbv2_attributes(supp, (size_t)sqlite3_column_bytes(item, 7), attrs, &null))
		return 1;
	sqlite3_bind_int(ins, 7, config != NULL);
	if (kind.kind == JS_STR) {
		char *t = xmalloc(kind.len + 1);

		for (size_t i = 0; i < kind.len; i++)
			t[i] = kind.s[i] >= 'A' && kind.s[i] <= 'Z' ? (char)(kind.s[i] + 32) : kind.s[i];
		sqlite3_bind_text(ins, 8, t, (int)kind.len, free);
	} else {
		sqlite3_bind_text(ins, 8, "application", -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(ins, 9, keymap_find(covered, place->buf, place->len) != NULL);
	sqlite3_bind_int(ins, 10, keymap_find(seen, place->buf, place->len) != NULL);
	if (null)
		sqlite3_bind_null(ins, 11);
	else
		sqlite3_bind_text(ins, 11, attrs->buf, (int)attrs->len, SQLITE_TRANSIENT);
	return 0;
}

int elbv2_build_load_balancers(struct store *s, struct diag *d)
{
	struct keymap covered = KEYMAP_INIT, seen = KEYMAP_INIT;
	struct strbuf place = STRBUF_INIT, attrs = STRBUF_INIT;
	sqlite3_stmt *item = NULL, *ins = NULL, *put = NULL, *by_sql = NULL;
	int rc = -1, step, odd;

	if ((odd = elbv2_places(s, elbv2_covered_sql, &covered, d)) < 0 ||
	    (!odd && (odd = elbv2_places(s, elbv2_seen_sql, &seen, d)) < 0))
		goto out;
	if (odd) { /* a place that is not text: the statement decides */
		rc = store_exec(s, elbv2_lbs_sql, d);
		goto out;
	}
	if (store_exec(s, "CREATE TEMP TABLE elbv2_load_balancers AS" ELBV2_SELECT ELBV2_FROM
			  " AND 0", d) ||
	    store_exec(s, elbv2_one_sql, d) || !(item = store_prepare(s, elbv2_items_sql, d)) ||
	    !(ins = store_prepare(s, elbv2_insert_sql, d)) ||
	    !(put = store_prepare(s, elbv2_put_sql, d)) ||
	    !(by_sql = store_prepare(s, elbv2_by_sql, d)))
		goto out;
	while ((step = sqlite3_step(item)) == SQLITE_ROW) {
		int ok;

		if (!elbv2_scan(item, ins, &covered, &seen, &place, &attrs)) {
			for (int c = 0; c < 6; c++)
				sqlite3_bind_value(ins, c + 1, sqlite3_column_value(item, c));
			ok = sqlite3_step(ins) == SQLITE_DONE;
			sqlite3_reset(ins);
		} else if (elbv2_place(&place, item, 3)) {
			/* items' account_id and region are TEXT columns */
			diag_set(d, NULL, 0, "elbv2_load_balancers: the account or Region of %.200s"
				 " is not text", (const char *)sqlite3_column_text(item, 2));
			goto out;
		} else {
			sqlite3_bind_int(by_sql, 1, keymap_find(&covered, place.buf, place.len) != NULL);
			sqlite3_bind_int(by_sql, 2, keymap_find(&seen, place.buf, place.len) != NULL);
			if (jscan_by_one_row(s, "cannot build elbv2_load_balancers",
					     "DELETE FROM elbv2_one_item", put, by_sql, item, 8, d))
				goto out;
			ok = 1;
		}
		if (!ok) {
			store_error(s, d, "cannot build elbv2_load_balancers");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build elbv2_load_balancers");
		goto out;
	}
	rc = store_exec(s, ELBV2_INDEX, d);
out:
	sqlite3_finalize(item);
	sqlite3_finalize(ins);
	sqlite3_finalize(put);
	sqlite3_finalize(by_sql);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.elbv2_one_item", NULL, NULL, NULL);
	keymap_release(&covered);
	keymap_release(&seen);
	strbuf_release(&place);
	strbuf_release(&attrs);
	return rc;
}
