/*
 * coverage: data coverage per account and region at a point in time, and
 * the copy of it that a run keeps (see coverage.h).
 */
#include "store/coverage.h"
#include "store/schema.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?1 T. One row per (account, region) the store knows, with the latest
 * delivery and the latest snapshot at or before T (NULL when none). The
 * snapshot part follows pit.c: regional series from snapshots of their
 * own folder region, 'global' from the latest snapshot of the account
 * that carried global items. Files without an account, region or
 * delivery time (API answers, exports) count through their items: CROSS
 * JOIN keeps the files outermost, so that only their items are read
 * (SQLite would otherwise scan every history item's source). AWS's
 * verdicts (files of kind AwsVerdicts) are not inventory data. */
static const char coverage_sql[] =
    "SELECT account_id, region, max(latest), max(snap) FROM ("
    " SELECT account_id, region,"
    "   CASE WHEN delivered_at <= ?1 THEN delivered_at END AS latest,"
    "   CASE WHEN kind = 'ConfigSnapshot' AND region <> 'global' AND delivered_at <= ?1"
    "     THEN delivered_at END AS snap"
    " FROM main.files WHERE status = 'loaded' AND kind NOT IN ('AwsVerdicts', 'Evidence')"
    "   AND account_id IS NOT NULL AND region IS NOT NULL AND delivered_at IS NOT NULL"
    " UNION ALL"
    " SELECT account_id, 'global', CASE WHEN delivered_at <= ?1 THEN delivered_at END,"
    "   CASE WHEN kind = 'ConfigSnapshot' AND delivered_at <= ?1 THEN delivered_at END"
    " FROM main.files WHERE status = 'loaded' AND global_items > 0"
    "   AND account_id IS NOT NULL AND region IS NOT NULL AND delivered_at IS NOT NULL"
    " UNION ALL"
    " SELECT i.account_id, i.region,"
    "   CASE WHEN i.capture_time <= ?1 THEN i.capture_time END, NULL"
    " FROM main.files f CROSS JOIN main.item_sources s ON s.file_key = f.file_key"
    "   CROSS JOIN main.items i ON i.item_key = s.item_key"
    " WHERE f.status = 'loaded' AND f.kind <> 'AwsVerdicts'"
    "   AND (f.account_id IS NULL OR f.region IS NULL OR f.delivered_at IS NULL))"
    " GROUP BY account_id, region ORDER BY account_id, region";

int coverage_parse_max_age(const char *text, int64_t *ms)
{
	char *end;
	long long n;
	int64_t unit;

	if (!text || text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || n <= 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	if (end[0] == 'h')
		unit = 3600LL * 1000;
	else if (end[0] == 'd')
		unit = 24LL * 3600 * 1000;
	else
		return -1;
	if (n > 3650LL * 24 * 3600 * 1000 / unit)
		return -1;
	*ms = (int64_t)n * unit;
	return 0;
}

void coverage_format_max_age(int64_t ms, char *out)
{
	const int64_t hour = 3600LL * 1000;

	if (ms > 0 && ms % (24 * hour) == 0)
		snprintf(out, 32, "%lldd", (long long)(ms / (24 * hour)));
	else if (ms > 0 && ms % hour == 0)
		snprintf(out, 32, "%lldh", (long long)(ms / hour));
	else
		snprintf(out, 32, "%lldm", (long long)(ms / 60000));
}

static int in_list(const char **v, size_t n, const char *s)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

static char *dup_or_null(const unsigned char *s)
{
	return s ? xstrdup((const char *)s) : NULL;
}

static struct coverage_entry *add_entry(struct coverage *c)
{
	struct coverage_entry *e;

	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

int coverage_compute(struct store *s, const struct coverage_request *r, struct coverage *c,
		     struct diag *d)
{
	sqlite3_stmt *st;
	int64_t as_of_ms;
	int rc;

	memset(c, 0, sizeof(*c));
	c->max_age_ms = r->max_age_ms;
	c->recorded = 1;
	if (time_parse_iso(r->as_of, &as_of_ms))
		return diag_set(d, s->path, 0, "bad as-of time '%s'", r->as_of);
	st = store_prepare(s, coverage_sql, d);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->as_of, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *acc = (const char *)sqlite3_column_text(st, 0);
		const char *reg = (const char *)sqlite3_column_text(st, 1);
		struct coverage_entry *e;
		int64_t latest;

		if (!acc || !reg || !in_list(r->accounts, r->n_accounts, acc) ||
		    (strcmp(reg, "global") && !in_list(r->regions, r->n_regions, reg)))
			continue;
		e = add_entry(c);
		e->account_id = xstrdup(acc);
		e->region = xstrdup(reg);
		e->latest_delivery = dup_or_null(sqlite3_column_text(st, 2));
		e->snapshot_time = dup_or_null(sqlite3_column_text(st, 3));
		e->complete = e->snapshot_time != NULL;
		e->stale = !e->latest_delivery || time_parse_iso(e->latest_delivery, &latest) ||
			   latest < as_of_ms - r->max_age_ms;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the data coverage");
	return 0;
}

int coverage_store(struct store *s, int64_t run_id, const struct coverage *c, struct diag *d)
{
	sqlite3_stmt *st;
	int ret = 0;

	if (store_exec(s, store_run_coverage_sql, d))
		return -1;
	st = store_prepare(s,
			   "INSERT OR REPLACE INTO run_coverage(run_id, account_id, aws_region,"
			   " snapshot_time, latest_delivery, complete, stale, max_age_ms)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 8, c->max_age_ms);
	for (size_t i = 0; i < c->n && !ret; i++) {
		const struct coverage_entry *e = &c->v[i];

		sqlite3_bind_text(st, 2, e->account_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, e->region, -1, SQLITE_STATIC);
		if (e->snapshot_time)
			sqlite3_bind_text(st, 4, e->snapshot_time, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4);
		if (e->latest_delivery)
			sqlite3_bind_text(st, 5, e->latest_delivery, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 5);
		sqlite3_bind_int(st, 6, e->complete);
		sqlite3_bind_int(st, 7, e->stale);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = store_error(s, d, "cannot record the run's data coverage");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return ret;
}

int coverage_load(struct store *s, int64_t run_id, struct coverage *c, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	st = store_prepare(s, "SELECT count(*) FROM sqlite_schema"
			      " WHERE type = 'table' AND name = 'run_coverage'", d);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(s, d, "cannot read the schema");
	}
	rc = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == 0)
		return 0;
	st = store_prepare(s,
			   "SELECT account_id, aws_region, snapshot_time, latest_delivery,"
			   " complete, stale, max_age_ms FROM run_coverage WHERE run_id = ?1"
			   " ORDER BY account_id, aws_region",
			   d);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct coverage_entry *e = add_entry(c);
		const unsigned char *acc = sqlite3_column_text(st, 0);
		const unsigned char *reg = sqlite3_column_text(st, 1);

		e->account_id = xstrdup(acc ? (const char *)acc : "");
		e->region = xstrdup(reg ? (const char *)reg : "");
		e->snapshot_time = dup_or_null(sqlite3_column_text(st, 2));
		e->latest_delivery = dup_or_null(sqlite3_column_text(st, 3));
		e->complete = sqlite3_column_int(st, 4) != 0;
		e->stale = sqlite3_column_int(st, 5) != 0;
		c->max_age_ms = sqlite3_column_int64(st, 6);
		c->recorded = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, d, "cannot read the run's data coverage");
	return 0;
}

size_t coverage_flagged(const struct coverage *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].stale || !c->v[i].complete;
	return n;
}

const char *coverage_status(const struct coverage_entry *e)
{
	if (!e->latest_delivery)
		return "missing";
	if (e->stale)
		return "stale";
	if (!e->complete)
		return "incomplete";
	return "fresh";
}

static json_t *str_json(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	utf8_clean(&sb, s, strlen(s));
	j = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	if (!j)
		abort(); /* out of memory: the text is valid UTF-8 */
	return j;
}

/* A time to the second (a text that is not a time is kept), or null. */
static json_t *time_json(const char *t)
{
	char out[TIME_ISO_LEN];
	int64_t ms;

	if (!t)
		return json_null();
	if (time_parse_iso(t, &ms))
		return str_json(t);
	time_format_iso_seconds(ms, out);
	return json_string(out);
}

json_t *coverage_entry_json(const struct coverage_entry *e)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "AccountId", str_json(e->account_id)) ||
	    json_object_set_new(o, "AwsRegion", str_json(e->region)) ||
	    json_object_set_new(o, "SnapshotTime", time_json(e->snapshot_time)) ||
	    json_object_set_new(o, "LatestDeliveryTime", time_json(e->latest_delivery)) ||
	    json_object_set_new(o, "Complete", json_boolean(e->complete)) ||
	    json_object_set_new(o, "Stale", json_boolean(e->stale)) ||
	    json_object_set_new(o, "Status", json_string(coverage_status(e))))
		abort(); /* out of memory */
	return o;
}

void coverage_release(struct coverage *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].account_id);
		free(c->v[i].region);
		free(c->v[i].snapshot_time);
		free(c->v[i].latest_delivery);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
