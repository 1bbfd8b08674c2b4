/*
 * evidence_tables: the evidence derived tables and evidence_missing (see
 * evidence_tables.h).
 */
#include "eval/evidence_tables.h"
#include "store/evidence.h"
#include "store/evidence_calls.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- evidence_missing ---- */

struct evidence_time {
	int64_t as_of_ms;   /* the run's as-of time */
	int64_t max_age_ms; /* evidence older than this before as_of is stale */
	/* as_of_ms in whole seconds, formatted once: evidence_missing names
	 * it for every account without an answer (2,000 places x 24 rules on
	 * a store of many small accounts) */
	char as_of_text[TIME_ISO_LEN];
};

/* "3 days" from 2 days on, else "30 hours" (at least "0 hours"). */
static void format_age(int64_t ms, char *out, size_t len)
{
	if (ms >= 48LL * 3600000)
		snprintf(out, len, "%lld days", (long long)(ms / 86400000));
	else
		snprintf(out, len, "%lld hours", (long long)(ms / 3600000));
}

static void fn_evidence_missing(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct evidence_time *et = sqlite3_user_data(ctx);
	const char *call = (const char *)sqlite3_value_text(argv[0]);
	const char *account = (const char *)sqlite3_value_text(argv[1]);
	const char *captured = (const char *)sqlite3_value_text(argv[2]);
	char service[64] = "", label[128], when[TIME_ISO_LEN], age[32];
	const char *sp, *known;
	char *out;
	int64_t ms;

	(void)argc;
	if (!call)
		call = "";
	if (!account)
		account = "?";
	sp = strchr(call, ' ');
	if (sp && (size_t)(sp - call) < sizeof(service)) {
		memcpy(service, call, (size_t)(sp - call));
		service[sp - call] = '\0';
		known = evidence_call_label(service, sp + 1);
	} else {
		known = NULL;
	}
	snprintf(label, sizeof(label), "%s", known ? known : call);
	if (captured && time_parse_iso(captured, &ms) == 0) {
		if (et->as_of_ms - ms <= et->max_age_ms) {
			sqlite3_result_null(ctx);
			return;
		}
		format_age(et->as_of_ms - ms, age, sizeof(age));
		time_format_iso_seconds(ms, when);
		out = sqlite3_mprintf("%s of %s is %s older than the as-of time (captured %s;"
				      " aws %s)",
				      label, account, age, when, call);
	} else {
		out = sqlite3_mprintf("no %s of %s at or before %s (aws %s)", label, account,
				      et->as_of_text, call);
	}
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

/* The time from which evidence is fresh: as-of time minus the max age. */
static void fn_evidence_fresh_from(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct evidence_time *et = sqlite3_user_data(ctx);
	char when[TIME_ISO_LEN];

	(void)argc;
	(void)argv;
	time_format_iso(et->as_of_ms - et->max_age_ms, when);
	sqlite3_result_text(ctx, when, -1, SQLITE_TRANSIENT);
}

int evidence_sql_register(sqlite3 *db, int64_t as_of_ms, int64_t max_age_ms)
{
	struct evidence_time *et = xmalloc(sizeof(*et));
	int rc;

	et->as_of_ms = as_of_ms;
	et->max_age_ms = max_age_ms;
	time_format_iso_seconds(as_of_ms, et->as_of_text);
	/* A function of the run's time (not DETERMINISTIC), called from
	 * top-level SQL only (DIRECTONLY), as sqlfuncs' TIMED ones. */
	rc = sqlite3_create_function_v2(db, "evidence_missing", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY,
					et, fn_evidence_missing, NULL, NULL, free);
	if (rc != SQLITE_OK)
		return rc;
	et = xmalloc(sizeof(*et));
	et->as_of_ms = as_of_ms;
	et->max_age_ms = max_age_ms;
	return sqlite3_create_function_v2(db, "evidence_fresh_from", 0,
					  SQLITE_UTF8 | SQLITE_DIRECTONLY, et,
					  fn_evidence_fresh_from, NULL, NULL, free);
}

/* ---- evidence ---- */

/* The as-of time and the time from which evidence is fresh, canonical,
 * from this connection's as_of() and evidence_fresh_from(). */
static int run_times(struct store *s, char *as_of, char *fresh_from, struct diag *d)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT as_of(), evidence_fresh_from()", d);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(as_of, TIME_ISO_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(fresh_from, TIME_ISO_LEN, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, d, "cannot read the as-of time");
}

int evidence_build_latest(struct store *s, struct diag *d)
{
	char as_of[TIME_ISO_LEN], fresh_from[TIME_ISO_LEN];

	if (run_times(s, as_of, fresh_from, d))
		return -1;
	return evidence_latest_create(s, as_of, fresh_from, d);
}

/* ---- credential_report ---- */

struct cr_ctx {
	sqlite3_stmt *src; /* the report's evidence row: account, captured_at, fresh */
	sqlite3_stmt *ins;
};

static int cr_row(void *arg, long line, char **fields, size_t n)
{
	struct cr_ctx *c = arg;

	(void)n;
	if (line == 1)
		return 0;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_value(c->ins, i + 1, sqlite3_column_value(c->src, i));
	for (int i = 0; i < EVIDENCE_CREDENTIAL_COLUMNS; i++)
		sqlite3_bind_text(c->ins, i + 4, fields[i], -1, SQLITE_TRANSIENT);
	if (sqlite3_step(c->ins) != SQLITE_DONE)
		return -2;
	sqlite3_reset(c->ins);
	return 0;
}

int evidence_build_credential_report(struct store *s, struct diag *d)
{
	struct strbuf create, ins;
	struct cr_ctx c = {NULL, NULL};
	int rc = -1, step;

	strbuf_init(&create, 512);
	strbuf_init(&ins, 256);
	strbuf_addstr(&create, "CREATE TEMP TABLE credential_report(account_id, captured_at, fresh");
	strbuf_addstr(&ins, "INSERT INTO credential_report VALUES (?, ?, ?");
	for (int i = 0; i < EVIDENCE_CREDENTIAL_COLUMNS; i++) {
		strbuf_addf(&create, ", %s", evidence_credential_columns[i]);
		strbuf_addstr(&ins, ", ?");
	}
	strbuf_addstr(&create, ")");
	strbuf_addstr(&ins, ")");
	if (store_exec(s, create.buf, d))
		goto out;
	c.src = store_prepare(s,
			      "SELECT account_id, captured_at, fresh, body FROM evidence"
			      " WHERE service = 'iam' AND operation = 'get-credential-report'"
			      " AND error_code IS NULL ORDER BY account_id, captured_at DESC",
			      d);
	c.ins = store_prepare(s, ins.buf, d);
	if (!c.src || !c.ins)
		goto out;
	while ((step = sqlite3_step(c.src)) == SQLITE_ROW) {
		json_t *doc = json_loads((const char *)sqlite3_column_text(c.src, 3), 0, NULL);
		json_t *content = json_object_get(doc, "Content");
		struct diag ignored;
		int r = 0;

		/* Checked at ingest; a report read wrongly now is left out. */
		if (json_is_string(content))
			r = evidence_credential_report(json_string_value(content),
						       json_string_length(content), cr_row, &c,
						       &ignored);
		json_decref(doc);
		if (r == -2) {
			store_error(s, d, "cannot build credential_report");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build credential_report");
		goto out;
	}
	rc = store_exec(s, "CREATE INDEX temp.credential_report_by_user ON"
			   " credential_report(account_id, user)", d);
out:
	sqlite3_finalize(c.src);
	sqlite3_finalize(c.ins);
	strbuf_release(&create);
	strbuf_release(&ins);
	return rc;
}

/* ---- organization_accounts ---- */

int evidence_build_org_accounts(struct store *s, struct diag *d)
{
	return evidence_org_accounts_create(s, d);
}

/* ---- iam_user_credentials ---- */

/*
 * One row per current IAM user item with its line of the account's
 * newest credential report, or why there is none (missing): no report,
 * too old, an error answer, or a user the report does not list (created
 * after it).
 */
int evidence_build_user_credentials(struct store *s, struct diag *d)
{
	struct strbuf sql;
	int rc;

	strbuf_init(&sql, 2048);
	strbuf_addstr(
	    &sql,
	    "CREATE TEMP TABLE iam_user_credentials AS"
	    " WITH u AS ("
	    "  SELECT item_key, resource_type, resource_id, account_id, region, status,"
	    "   configuration IS NOT NULL AS recorded,"
	    "   coalesce(json_unstring(configuration) ->> '$.userName', resource_name) AS user_name"
	    "  FROM current_items WHERE resource_type = 'AWS::IAM::User')"
	    " SELECT u.item_key, u.resource_type, u.resource_id, u.account_id, u.region, u.status,"
	    "  u.recorded, coalesce(u.user_name, u.resource_id) AS user_name,"
	    "  e.captured_at AS report_time,"
	    "  CASE WHEN e.error_code IS NOT NULL AND e.fresh"
	    "    THEN 'aws iam get-credential-report answered ' || e.error_code || ' for '"
	    "     || u.account_id"
	    "   WHEN NOT coalesce(e.fresh, 0)"
	    "    THEN evidence_missing('iam get-credential-report', u.account_id, e.captured_at)"
	    "   WHEN u.user_name IS NULL"
	    "    THEN 'user ' || u.resource_id || ' has no user name (status ' || u.status || ')'"
	    "   WHEN r.user IS NULL"
	    "    THEN 'user ' || u.user_name || ' is not in the credential report of '"
	    "     || u.account_id || ' captured ' || e.captured_at"
	    "  END AS missing");
	for (int i = 1; i < EVIDENCE_CREDENTIAL_COLUMNS; i++)
		strbuf_addf(&sql, ", r.%s AS %s", evidence_credential_columns[i],
			    evidence_credential_columns[i]);
	strbuf_addstr(
	    &sql,
	    " FROM u LEFT JOIN evidence e ON e.service = 'iam'"
	    "  AND e.operation = 'get-credential-report' AND e.account_id = u.account_id"
	    "  AND e.region = 'global'"
	    " LEFT JOIN credential_report r ON e.error_code IS NULL"
	    "  AND r.account_id = u.account_id AND r.user = u.user_name");
	rc = store_exec(s, sql.buf, d);
	strbuf_release(&sql);
	return rc;
}

/* ---- iam_account_summary ---- */

/*
 * One row per account of the evaluation with its newest account summary:
 * the root user's facts, or why they are not known (missing).
 */
int evidence_build_account_summary(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE iam_account_summary AS"
	    " SELECT a.account_id AS account_id, e.captured_at AS captured_at,"
	    "  CASE WHEN e.error_code IS NOT NULL AND e.fresh"
	    "   THEN 'aws iam get-account-summary answered ' || e.error_code || ' for '"
	    "    || a.account_id"
	    "   ELSE evidence_missing('iam get-account-summary', a.account_id, e.captured_at)"
	    "  END AS missing,"
	    "  e.body ->> '$.SummaryMap.AccountMFAEnabled' AS mfa_enabled,"
	    "  e.body ->> '$.SummaryMap.AccountAccessKeysPresent' AS access_keys_present,"
	    "  coalesce(e.body ->> '$.SummaryMap.AccountPasswordPresent', 1)"
	    "  + coalesce(e.body ->> '$.SummaryMap.AccountAccessKeysPresent', 1)"
	    "  + coalesce(e.body ->> '$.SummaryMap.AccountSigningCertificatesPresent', 0) > 0"
	    "   AS root_credentials"
	    " FROM (SELECT DISTINCT account_id FROM accounts) a"
	    " LEFT JOIN evidence e ON e.service = 'iam' AND e.operation = 'get-account-summary'"
	    "  AND e.account_id = a.account_id AND e.region = 'global'",
	    d);
}

/* ---- cloudtrail_trail_status ---- */

/*
 * One row per current trail item with its newest aws cloudtrail
 * get-trail-status answer: the argument in the file name is the trail's
 * ARN, or its name in the trail's home Region folder.
 */
int evidence_build_trail_status(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE cloudtrail_trail_status AS"
	    " WITH t AS ("
	    "  SELECT item_key, account_id, region, resource_id,"
	    "   coalesce(json_unstring(configuration) ->> '$.name', resource_name, resource_id)"
	    "    AS name,"
	    "   coalesce(arn, json_unstring(configuration) ->> '$.trailARN') AS trail_arn"
	    "  FROM current_items WHERE resource_type = 'AWS::CloudTrail::Trail')"
	    " SELECT t.item_key, t.account_id, t.region, t.resource_id, t.name, t.trail_arn,"
	    "  e.captured_at,"
	    "  CASE WHEN e.error_code IS NOT NULL AND e.fresh"
	    "   THEN 'aws cloudtrail get-trail-status answered ' || e.error_code"
	    "   ELSE evidence_missing('cloudtrail get-trail-status', t.account_id, e.captured_at)"
	    "  END AS missing,"
	    "  CASE WHEN e.body ->> '$.IsLogging' IN (1, 'true') THEN 1"
	    "   WHEN e.body ->> '$.IsLogging' IN (0, 'false') THEN 0 END AS is_logging,"
	    "  e.body ->> '$.LatestCloudWatchLogsDeliveryTime' AS latest_cloudwatch_delivery,"
	    "  e.body ->> '$.LatestDeliveryTime' AS latest_delivery"
	    " FROM t LEFT JOIN evidence e ON e.rowid = ("
	    "  SELECT x.rowid FROM evidence x"
	    "  WHERE x.service = 'cloudtrail' AND x.operation = 'get-trail-status'"
	    "   AND x.account_id = t.account_id"
	    "   AND (x.qualifier = t.trail_arn OR (x.qualifier = t.name AND x.region = t.region))"
	    "  ORDER BY x.captured_at DESC LIMIT 1);"
	    /* the rules look a trail up by these for each trail or account:
	     * without it, a scan of every trail each time (quadratic in the
	     * accounts) */
	    "CREATE INDEX temp.cloudtrail_trail_status_by_trail"
	    " ON cloudtrail_trail_status(account_id, region, resource_id)",
	    d);
}

/* ---- guardduty_findings ---- */

/*
 * One row per finding of each aws guardduty get-findings answer in
 * evidence (at most 50 ids a call, so a detector's details may span
 * several files: argument "<detector>", then "<detector> batch K"), and
 * one row without a finding for an error answer.
 */
int evidence_build_guardduty_findings(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE guardduty_findings AS"
	    " SELECT e.account_id AS account_id, e.region AS region,"
	    "  CASE WHEN instr(e.qualifier, ' batch ') > 0"
	    "   THEN substr(e.qualifier, 1, instr(e.qualifier, ' batch ') - 1)"
	    "   ELSE e.qualifier END AS detector,"
	    "  e.qualifier AS argument, e.captured_at AS captured_at, e.fresh AS fresh,"
	    "  e.error_code AS error_code, f.value ->> '$.Id' AS finding_id,"
	    "  f.value ->> '$.Type' AS type, f.value ->> '$.Severity' AS severity,"
	    "  f.value ->> '$.CreatedAt' AS created_at,"
	    "  coalesce(f.value ->> '$.Service.Archived', 0) IN (1, 'true') AS archived"
	    " FROM evidence e LEFT JOIN json_each(e.body, '$.Findings') f"
	    "  ON e.error_code IS NULL"
	    " WHERE e.service = 'guardduty' AND e.operation = 'get-findings';"
	    "CREATE INDEX temp.guardduty_findings_by_detector ON"
	    " guardduty_findings(account_id, region, detector)",
	    d);
}

/* ---- cloudtrail_event_selectors ---- */

/*
 * What each management-event selector of a get-event-selectors answer
 * records: reads (1/0), writes (1/0) and the management event sources it
 * leaves out (text, NULL for none). Basic selectors: IncludeManagementEvents
 * (true when absent, as the API defaults), ReadWriteType (All when absent)
 * and ExcludeManagementEventSources. Advanced selectors: one is a
 * management selector when its eventCategory field Equals Management; its
 * readOnly field (Equals or NotEquals "true"/"false") limits it to reads
 * or writes; any eventSource condition narrows the sources.
 */
#define SELECTOR_ROWS(BODY)                                                                \
	" SELECT coalesce(s.value ->> '$.IncludeManagementEvents', 1) IN (1, 'true')"         \
	"   AND coalesce(s.value ->> '$.ReadWriteType', 'All') IN ('All', 'ReadOnly') AS reads," \
	"  coalesce(s.value ->> '$.IncludeManagementEvents', 1) IN (1, 'true')"               \
	"   AND coalesce(s.value ->> '$.ReadWriteType', 'All') IN ('All', 'WriteOnly')"         \
	"   AS writes,"                                                                         \
	"  CASE WHEN coalesce(s.value ->> '$.IncludeManagementEvents', 1) IN (1, 'true')"     \
	"    AND json_array_length(s.value, '$.ExcludeManagementEventSources') > 0"            \
	"   THEN 'ExcludeManagementEventSources ' || (SELECT group_concat(x.value, ',')"       \
	"    FROM json_each(s.value, '$.ExcludeManagementEventSources') x) END AS excludes"    \
	" FROM json_each(" BODY ", '$.EventSelectors') s"                                      \
	" UNION ALL"                                                                            \
	" SELECT m AND NOT EXISTS (SELECT 1 FROM json_each(a.value, '$.FieldSelectors') f"     \
	"   WHERE f.value ->> '$.Field' = 'readOnly' AND NOT ("                                 \
	"    EXISTS (SELECT 1 FROM json_each(f.value, '$.Equals') v WHERE v.value = 'true')"   \
	"    OR (f.value -> '$.Equals' IS NULL AND NOT EXISTS (SELECT 1"                        \
	"     FROM json_each(f.value, '$.NotEquals') v WHERE v.value = 'true')))),"             \
	"  m AND NOT EXISTS (SELECT 1 FROM json_each(a.value, '$.FieldSelectors') f"           \
	"   WHERE f.value ->> '$.Field' = 'readOnly' AND NOT ("                                 \
	"    EXISTS (SELECT 1 FROM json_each(f.value, '$.Equals') v WHERE v.value = 'false')"  \
	"    OR (f.value -> '$.Equals' IS NULL AND NOT EXISTS (SELECT 1"                        \
	"     FROM json_each(f.value, '$.NotEquals') v WHERE v.value = 'false')))),"            \
	"  CASE WHEN m THEN (SELECT group_concat('eventSource ' || c.key || ' '"               \
	"    || coalesce((SELECT group_concat(v.value, ',') FROM json_each(c.value) v),"        \
	"     c.value), '; ')"                                                                  \
	"    FROM json_each(a.value, '$.FieldSelectors') f, json_each(f.value) c"               \
	"    WHERE f.value ->> '$.Field' = 'eventSource' AND c.key <> 'Field') END"            \
	" FROM (SELECT a.value AS value, EXISTS (SELECT 1"                                      \
	"   FROM json_each(a.value, '$.FieldSelectors') f, json_each(f.value, '$.Equals') v"   \
	"   WHERE f.value ->> '$.Field' = 'eventCategory' AND v.value = 'Management') AS m"    \
	"  FROM json_each(" BODY ", '$.AdvancedEventSelectors') a) a"

/*
 * One row per current trail item with the management events its event
 * selectors record: from its newest get-event-selectors answer within
 * --max-age (argument: the trail's ARN, or its name in its home Region's
 * folder), else from the item when hasCustomEventSelectors is false (the
 * default selector: all read and write management events, none
 * excluded), else unknown (missing says why).
 */
int evidence_build_event_selectors(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE cloudtrail_event_selectors AS"
	    " WITH t AS ("
	    "  SELECT item_key, account_id, region, resource_id,"
	    "   json_unstring(configuration) AS c,"
	    "   coalesce(json_unstring(configuration) ->> '$.name', resource_name, resource_id)"
	    "    AS name,"
	    "   coalesce(arn, json_unstring(configuration) ->> '$.trailARN') AS trail_arn"
	    "  FROM current_items"
	    "  WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NOT NULL),"
	    " te AS ("
	    "  SELECT t.*, e.captured_at AS captured_at, e.fresh AS fresh,"
	    "   e.error_code AS error_code, e.body AS body"
	    "  FROM t LEFT JOIN evidence e ON e.rowid = ("
	    "   SELECT x.rowid FROM evidence x"
	    "   WHERE x.service = 'cloudtrail' AND x.operation = 'get-event-selectors'"
	    "    AND x.account_id = t.account_id"
	    "    AND (x.qualifier = t.trail_arn OR (x.qualifier = t.name AND x.region = t.region))"
	    "   ORDER BY x.captured_at DESC LIMIT 1)),"
	    " src AS ("
	    "  SELECT te.*,"
	    "   CASE WHEN fresh AND error_code IS NULL THEN 'evidence'"
	    "    WHEN c ->> '$.hasCustomEventSelectors' IN (0, 'false') THEN 'default' END"
	    "    AS source"
	    "  FROM te)"
	    " SELECT item_key, account_id, region, resource_id, name, trail_arn, source,"
	    "  captured_at,"
	    "  CASE WHEN source IS NOT NULL THEN NULL"
	    "   WHEN error_code IS NOT NULL AND fresh"
	    "    THEN 'aws cloudtrail get-event-selectors answered ' || error_code"
	    "   ELSE 'custom (or unrecorded) event selectors, not in AWS Config data: '"
	    "    || evidence_missing('cloudtrail get-event-selectors', account_id,"
	    "    captured_at)"
	    "  END AS missing,"
	    "  CASE source WHEN 'default' THEN 1 WHEN 'evidence' THEN"
	    "   coalesce((SELECT max(reads) FROM (" SELECTOR_ROWS("src.body") ")), 0) END"
	    "   AS management_reads,"
	    "  CASE source WHEN 'default' THEN 1 WHEN 'evidence' THEN"
	    "   coalesce((SELECT max(writes) FROM (" SELECTOR_ROWS("src.body") ")), 0) END"
	    "   AS management_writes,"
	    "  CASE source WHEN 'evidence' THEN"
	    "   (SELECT group_concat(excludes, '; ') FROM (" SELECTOR_ROWS("src.body") ")) END"
	    "   AS excluded_sources"
	    " FROM src;"
	    "CREATE INDEX temp.cloudtrail_event_selectors_by_item ON"
	    " cloudtrail_event_selectors(item_key)",
	    d);
}

/* ---- cloudtrail_org_members ---- */

/*
 * For each account holding an organization trail item (a management
 * account) and each other account of the evaluation: whether the account
 * is a member of that organization. From the management account's newest
 * list-accounts answer within --max-age (listed ACTIVE: 1; not listed or
 * not ACTIVE: 0), else from the account's own describe-organization
 * answer (MasterAccountId: 1 when it is the management account, else 0;
 * AWSOrganizationsNotInUseException: 0), else unknown (NULL, and missing
 * says which evidence is lacking).
 */
int evidence_build_org_members(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE cloudtrail_org_members AS"
	    " WITH mg AS ("
	    "  SELECT DISTINCT account_id AS mgmt FROM current_items"
	    "  WHERE resource_type = 'AWS::CloudTrail::Trail' AND configuration IS NOT NULL"
	    "   AND json_unstring(configuration) ->> '$.isOrganizationTrail' IN (1, 'true')),"
	    " pairs AS ("
	    "  SELECT mg.mgmt, a.account_id,"
	    "   (SELECT e.rowid FROM evidence e WHERE e.service = 'organizations'"
	    "     AND e.operation = 'list-accounts' AND e.account_id = mg.mgmt"
	    "    ORDER BY e.captured_at DESC LIMIT 1) AS la,"
	    "   (SELECT e.rowid FROM evidence e WHERE e.service = 'organizations'"
	    "     AND e.operation = 'describe-organization' AND e.account_id = a.account_id"
	    "    ORDER BY e.captured_at DESC LIMIT 1) AS dor"
	    "  FROM mg JOIN (SELECT DISTINCT account_id FROM accounts) a"
	    "   ON a.account_id <> mg.mgmt),"
	    " j AS ("
	    "  SELECT p.mgmt, p.account_id,"
	    "   l.fresh AND l.error_code IS NULL AS list_ok, l.captured_at AS list_at,"
	    "   o.fresh AS org_fresh, o.error_code AS org_error, o.captured_at AS org_at,"
	    "   o.body ->> '$.Organization.MasterAccountId' AS master"
	    "  FROM pairs p LEFT JOIN evidence l ON l.rowid = p.la"
	    "  LEFT JOIN evidence o ON o.rowid = p.dor)"
	    " SELECT mgmt AS management_account_id, account_id,"
	    "  CASE WHEN list_ok THEN EXISTS (SELECT 1 FROM organization_accounts x"
	    "     WHERE x.management_account_id = j.mgmt AND x.account_id = j.account_id"
	    "      AND coalesce(x.state, 'ACTIVE') = 'ACTIVE')"
	    "   WHEN org_fresh AND org_error IS NULL AND master IS NOT NULL THEN master = mgmt"
	    "   WHEN org_fresh AND org_error = 'AWSOrganizationsNotInUseException' THEN 0"
	    "  END AS member,"
	    "  CASE WHEN list_ok THEN 'aws organizations list-accounts of ' || mgmt"
	    "   WHEN org_fresh AND (master IS NOT NULL"
	    "     OR org_error = 'AWSOrganizationsNotInUseException')"
	    "    THEN 'aws organizations describe-organization of ' || account_id"
	    "  END AS source,"
	    "  CASE WHEN list_ok OR (org_fresh AND (master IS NOT NULL"
	    "     OR org_error = 'AWSOrganizationsNotInUseException')) THEN NULL"
	    "   ELSE coalesce(evidence_missing('organizations list-accounts', mgmt, list_at),"
	    "     'aws organizations list-accounts of ' || mgmt || ' answered an error')"
	    "    || ', nor ' || CASE WHEN org_fresh THEN 'a usable ' ELSE 'a fresh ' END"
	    "    || 'describe-organization of ' || account_id"
	    "  END AS missing"
	    " FROM j",
	    d);
}
