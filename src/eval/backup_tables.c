/*
 * backup_tables: the AWS Backup derived tables (cfgaudit-rules(5)),
 * shared by the *_IN_BACKUP_PLAN, *_RESOURCES_PROTECTED_BY_BACKUP_PLAN
 * and backup plan rules.
 *
 * Which selection assigns which resource is computed in memory
 * (backup_match.c). The rules read it through compact tables:
 * backup_plan_membership gives each assigned resource a plan group, and
 * backup_group_hits and backup_group_plans hold, once per group, what
 * backup_selected_resources and backup_resource_plans hold once per
 * resource (most resources of a Region are assigned alike: by the same
 * ARN wildcard or tag). Those two are built only for a statement that
 * names them.
 */
#include "eval/backup_tables.h"
#include "eval/backup.h"
#include "eval/backup_match.h"
#include "util/jparse.h"
#include "util/keymap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *parse_column(sqlite3_stmt *st, int col)
{
	struct jparse_error je;
	const char *text = (const char *)sqlite3_column_text(st, col);

	return text ? jparse(text, (size_t)sqlite3_column_bytes(st, col), 0, 0, &je) : NULL;
}

/* A selection's identity as backup_selected_resources gives it:
 * selection_id (SelectionId, else the item's resource id),
 * selection_name and plan_id, bound at i, i + 1 and i + 2. */
static void bind_selection(sqlite3_stmt *st, int i, const struct bm_sel *sl)
{
	json_t *sid = json_object_get(sl->config, "SelectionId");

	if (json_is_string(sid))
		bind_json(st, i, sid);
	else
		sqlite3_bind_value(st, i, sl->resource_id);
	bind_json(st, i + 1, json_object_get(sl->body, "SelectionName"));
	bind_json(st, i + 2, json_object_get(sl->config, "BackupPlanId"));
}

/*
 * backup_selected_resources: one row per (current resource of a type AWS
 * Backup protects, current backup selection of the same account and
 * region that assigns it to its plan) -- item_key, account_id, region,
 * resource_type, resource_id (the resource), selection_key (the
 * selection item's key), selection_id, selection_name, plan_id, and
 * matched_by (what selected it, for annotations). Selections come from
 * AWS::Backup::BackupSelection items (the BackupPlan item does not record
 * its selections); the matching is backup_selection_selects() in C. Plans
 * are regional: a selection assigns resources of its own account and
 * region only, whatever its ARN patterns say.
 */
static const char bsel_create_sql[] =
	"CREATE TEMP TABLE backup_selected_resources(item_key, account_id, region,"
	" resource_type, resource_id, selection_key, selection_id, selection_name, plan_id,"
	" matched_by)";
static const char bsel_index_sql[] =
	"CREATE INDEX temp.backup_selected_resources_by_item"
	" ON backup_selected_resources(item_key)";
static const char bsel_insert_sql[] =
	"INSERT INTO backup_selected_resources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static int insert_selected(sqlite3_stmt *ins, const struct bmatch *m)
{
	for (size_t h = 0; h < m->n_hits; h++) {
		const struct bm_hit *hit = &m->hits[h];
		const struct bm_sel *sl = &m->sels[hit->sel];
		const struct bm_cand *c = &m->cands[hit->cand];

		bmatch_bind(ins, 1, m, &c->key);
		sqlite3_bind_value(ins, 2, sl->account);
		sqlite3_bind_value(ins, 3, sl->region);
		bmatch_bind(ins, 4, m, &c->type);
		bmatch_bind(ins, 5, m, &c->id);
		sqlite3_bind_value(ins, 6, sl->key);
		bind_selection(ins, 7, sl);
		sqlite3_bind_text(ins, 10, m->whys[hit->why], -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return -1;
		sqlite3_reset(ins);
	}
	return 0;
}

int backup_build_selected(struct store *s, struct diag *d)
{
	struct bmatch m;
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	if (bmatch_run(s, &m, d))
		goto out;
	if (store_exec(s, bsel_create_sql, d) || !(ins = store_prepare(s, bsel_insert_sql, d)))
		goto out;
	if (insert_selected(ins, &m)) {
		store_error(s, d, "cannot build backup_selected_resources");
		goto out;
	}
	rc = store_exec(s, bsel_index_sql, d);
out:
	sqlite3_finalize(ins);
	bmatch_release(&m);
	return rc;
}

/*
 * Plan groups: the resources that the same selections assign to plans
 * in the same way (directly, or for an RDS DB instance through its DB
 * cluster) share a plan group, a number (backup_plan_membership's
 * plan_group; NULL for a resource that nothing assigns).
 *
 * backup_group_hits: one row per (plan group, assignment) -- plan_group,
 * account_id, region, plan_id, selection (as backup_resource_plans
 * words it: 'backup selection "NAME" of plan ID: WHY', with ' through
 * its DB cluster NAME' before the colon for an assignment through a
 * cluster) and direct (0 for one through a cluster). Each resource of
 * the group has exactly the assignments of backup_selected_resources
 * (direct = 1) and of backup_resource_plans.
 */
static const char groups_create_sql[] =
	"CREATE TEMP TABLE backup_group_hits(plan_group, account_id, region, plan_id, selection,"
	" direct);";
static const char groups_index_sql[] =
	"CREATE INDEX temp.backup_group_hits_by_group ON backup_group_hits(plan_group);";
/* ?5 selection_id, ?6 selection_name, ?7 plan_id as in
 * backup_selected_resources; ?9 the cluster's name. */
static const char groups_hit_sql[] =
	"INSERT INTO backup_group_hits VALUES (?1, ?2, ?3, ?7,"
	" 'backup selection \"' || coalesce(?6, ?5) || '\" of plan ' || coalesce(?7, '(unknown)')"
	" || CASE WHEN ?10 THEN '' ELSE ' through its DB cluster ' || ?9 END || ': ' || ?8, ?10)";

/* The rows of backup_group_hits for cand's group: its hits, and those
 * of its clusters. */
static int insert_group_hits(sqlite3_stmt *ins, const struct bmatch *m, const struct bm_cand *c)
{
	for (size_t l = 0; l <= c->n_clusters; l++) {
		const struct bm_cand *from = l == 0 ? c : &m->cands[c->clusters[l - 1]];

		for (size_t h = 0; h < from->n_hits; h++) {
			const struct bm_hit *hit = &m->hits[m->hit_order[from->hit0 + h]];
			const struct bm_sel *sl = &m->sels[hit->sel];

			sqlite3_bind_int64(ins, 1, c->group);
			sqlite3_bind_value(ins, 2, sl->account);
			sqlite3_bind_value(ins, 3, sl->region);
			bind_selection(ins, 5, sl);
			sqlite3_bind_text(ins, 8, m->whys[hit->why], -1, SQLITE_STATIC);
			bmatch_bind(ins, 9, m, &from->cluster_name);
			sqlite3_bind_int(ins, 10, l == 0);
			if (sqlite3_step(ins) != SQLITE_DONE)
				return -1;
			sqlite3_reset(ins);
		}
	}
	return 0;
}

static int insert_groups(sqlite3_stmt *hit, const struct bmatch *m)
{
	long next = 1; /* groups are numbered in the order of their first resource */

	for (size_t i = 0; i < m->n_cands; i++) {
		const struct bm_cand *c = &m->cands[i];

		if (c->group && c->group == next) {
			next++;
			if (insert_group_hits(hit, m, c))
				return -1;
		}
	}
	return 0;
}

static int build_membership(struct store *s, const struct bmatch *m, struct diag *d);

int backup_build_groups(struct store *s, struct diag *d)
{
	struct bmatch m;
	sqlite3_stmt *hit = NULL;
	int rc = -1;

	if (bmatch_run(s, &m, d) || bmatch_group(s, &m, d))
		goto out;
	if (store_exec(s, groups_create_sql, d) || !(hit = store_prepare(s, groups_hit_sql, d)))
		goto out;
	if (insert_groups(hit, &m)) {
		store_error(s, d, "cannot build backup_group_hits");
		goto out;
	}
	rc = store_exec(s, groups_index_sql, d) || build_membership(s, &m, d) ? -1 : 0;
out:
	sqlite3_finalize(hit);
	bmatch_release(&m);
	return rc;
}

/*
 * backup_plan_rules: one row per rule of a current AWS::Backup::BackupPlan
 * item -- plan_key, account_id, region, plan_id (configuration
 * BackupPlanId, else the resource id), plan_arn, plan_name, rule_name,
 * schedule (ScheduleExpression), frequency_hours (the longest gap between
 * two runs of the schedule, backup_cron_max_gap_hours(); NULL when the
 * schedule is absent or unreadable), retention_days
 * (Lifecycle.DeleteAfterDays; NULL: kept until deleted), continuous (1
 * when EnableContinuousBackup is true), target_vault (the vault's name),
 * copy_regions and copy_accounts (JSON arrays of the regions and accounts
 * of the CopyActions' DestinationBackupVaultArn), and the target vault's
 * item: vault_key (NULL when no current AWS::Backup::BackupVault of that
 * name is recorded in the plan's account and region), vault_locked (1
 * when the vault records a LockConfiguration or Locked true, 0 for
 * Locked false, NULL when the item does not say), lock_min_days and
 * lock_max_days (its Min/MaxRetentionDays). Rules are read from
 * BackupPlan.BackupPlanRule (the Config/CloudFormation shape) or
 * BackupPlan.Rules (the API shape), an array or a lone object, or, when
 * neither is there, from rule fields right under BackupPlan (which
 * Config's property schema also lists) as one rule.
 */
static const char bpr_create_sql[] =
	"CREATE TEMP TABLE backup_plan_rules(plan_key, account_id, region, plan_id, plan_arn,"
	" plan_name, rule_name, schedule, frequency_hours, retention_days, continuous,"
	" target_vault, copy_regions, copy_accounts, vault_key, vault_locked, lock_min_days,"
	" lock_max_days)";
static const char bpr_plans_sql[] =
	"SELECT item_key, account_id, region, resource_id, arn, configuration FROM current_items"
	" WHERE resource_type = 'AWS::Backup::BackupPlan' AND configuration IS NOT NULL";
static const char bpr_insert_sql[] =
	"INSERT INTO backup_plan_rules VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, NULL, NULL, NULL, NULL)";
/* The target vault of each rule, from the vaults read once (one lookup
 * per rule in current_items needed the state's lookup indexes). */
static const char bpr_vault_sql[] =
	"DROP TABLE IF EXISTS temp.backup_vault_facts;"
	"CREATE TEMP TABLE backup_vault_facts AS"
	" SELECT item_key, account_id, region, resource_id, resource_name,"
	"  json_extract(configuration, '$.BackupVaultName') AS vault_name,"
	"  configuration IS NULL AS unrecorded,"
	"  CASE WHEN json_type(configuration, '$.LockConfiguration') = 'object' THEN 1"
	"   WHEN json_extract(configuration, '$.Locked') IN (1, 'true') THEN 1"
	"   WHEN json_extract(configuration, '$.Locked') IN (0, 'false') THEN 0 END AS locked,"
	"  coalesce(json_extract(configuration, '$.LockConfiguration.MinRetentionDays'),"
	"   json_extract(configuration, '$.MinRetentionDays')) AS min_days,"
	"  coalesce(json_extract(configuration, '$.LockConfiguration.MaxRetentionDays'),"
	"   json_extract(configuration, '$.MaxRetentionDays')) AS max_days"
	" FROM current_items WHERE resource_type = 'AWS::Backup::BackupVault';"
	"CREATE INDEX temp.backup_vault_facts_by_place ON backup_vault_facts(account_id, region);"
	"CREATE INDEX temp.backup_vault_facts_by_item ON backup_vault_facts(item_key);"
	"UPDATE backup_plan_rules SET vault_key = ("
	"  SELECT v.item_key FROM backup_vault_facts AS v"
	"  WHERE v.account_id = backup_plan_rules.account_id AND v.region = backup_plan_rules.region"
	"   AND backup_plan_rules.target_vault IN (v.resource_id, v.resource_name, v.vault_name)"
	"  ORDER BY v.unrecorded LIMIT 1);"
	"UPDATE backup_plan_rules SET"
	" vault_locked = (SELECT v.locked FROM backup_vault_facts AS v"
	"  WHERE v.item_key = backup_plan_rules.vault_key),"
	" lock_min_days = (SELECT v.min_days FROM backup_vault_facts AS v"
	"  WHERE v.item_key = backup_plan_rules.vault_key),"
	" lock_max_days = (SELECT v.max_days FROM backup_vault_facts AS v"
	"  WHERE v.item_key = backup_plan_rules.vault_key)"
	" WHERE vault_key IS NOT NULL;"
	"DROP TABLE temp.backup_vault_facts;"
	"CREATE INDEX temp.backup_plan_rules_by_plan"
	" ON backup_plan_rules(account_id, region, plan_id);";

/* Field n (0-based, ':'-separated) of an ARN, appended to set once. */
static void add_arn_field(json_t *set, const char *arn, int n)
{
	const char *p = arn, *e;
	size_t i;

	for (int k = 0; p && k < n; k++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p)
		return;
	e = strchr(p, ':');
	if (!e || e == p)
		return;
	for (i = 0; i < json_array_size(set); i++) {
		const char *v = json_string_value(json_array_get(set, i));

		if (strlen(v) == (size_t)(e - p) && strncmp(v, p, (size_t)(e - p)) == 0)
			return;
	}
	json_array_append_new(set, json_stringn(p, (size_t)(e - p)));
}

static int insert_plan_rule(sqlite3_stmt *plan, sqlite3_stmt *ins, json_t *config, json_t *rule)
{
	json_t *body = json_object_get(config, "BackupPlan");
	json_t *id = json_object_get(config, "BackupPlanId");
	json_t *arn = json_object_get(config, "BackupPlanArn");
	json_t *copies = json_object_get(rule, "CopyActions");
	json_t *lifecycle = json_object_get(rule, "Lifecycle");
	json_t *vault = json_object_get(rule, "TargetBackupVault");
	json_t *regions = json_array(), *accounts = json_array();
	const char *schedule = json_string_value(json_object_get(rule, "ScheduleExpression"));
	json_t *cont = json_object_get(rule, "EnableContinuousBackup");
	double gap = backup_cron_max_gap_hours(schedule);
	int rc;

	for (size_t i = 0, n = backup_list_size(copies); i < n; i++) {
		const char *dest = json_string_value(
			json_object_get(backup_list_get(copies, i), "DestinationBackupVaultArn"));

		add_arn_field(regions, dest, 3);
		add_arn_field(accounts, dest, 4);
	}
	sqlite3_bind_value(ins, 1, sqlite3_column_value(plan, 0));
	sqlite3_bind_value(ins, 2, sqlite3_column_value(plan, 1));
	sqlite3_bind_value(ins, 3, sqlite3_column_value(plan, 2));
	if (json_is_string(id))
		bind_json(ins, 4, id);
	else
		sqlite3_bind_value(ins, 4, sqlite3_column_value(plan, 3));
	if (json_is_string(arn))
		bind_json(ins, 5, arn);
	else
		sqlite3_bind_value(ins, 5, sqlite3_column_value(plan, 4));
	bind_json(ins, 6, json_object_get(body, "BackupPlanName"));
	bind_json(ins, 7, json_object_get(rule, "RuleName"));
	bind_json(ins, 8, json_object_get(rule, "ScheduleExpression"));
	if (gap >= 0)
		sqlite3_bind_double(ins, 9, gap);
	else
		sqlite3_bind_null(ins, 9);
	if (json_is_number(json_object_get(lifecycle, "DeleteAfterDays")))
		bind_json(ins, 10, json_object_get(lifecycle, "DeleteAfterDays"));
	else
		sqlite3_bind_null(ins, 10);
	sqlite3_bind_int(ins, 11, json_is_true(cont) ||
					  (json_is_string(cont) &&
					   strcasecmp(json_string_value(cont), "true") == 0));
	bind_json(ins, 12, vault ? vault : json_object_get(rule, "TargetBackupVaultName"));
	bind_json(ins, 13, regions);
	bind_json(ins, 14, accounts);
	json_decref(regions);
	json_decref(accounts);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(ins);
	return rc;
}

int backup_build_plan_rules(struct store *s, struct diag *d)
{
	sqlite3_stmt *plan = NULL, *ins = NULL;
	int rc = -1, step;

	if (store_exec(s, bpr_create_sql, d))
		return -1;
	plan = store_prepare(s, bpr_plans_sql, d);
	ins = store_prepare(s, bpr_insert_sql, d);
	if (!plan || !ins)
		goto out;
	while ((step = sqlite3_step(plan)) == SQLITE_ROW) {
		json_t *config = parse_column(plan, 5);
		json_t *body = json_object_get(config, "BackupPlan");
		json_t *rules = json_object_get(body, "BackupPlanRule");
		int bad = 0;

		if (!rules)
			rules = json_object_get(body, "Rules");
		/* Config's schema also lists rule fields right under BackupPlan
		 * (BackupPlan.ScheduleExpression, .RuleName, .Lifecycle): read
		 * such a plan as one rule. */
		if (!rules && (json_object_get(body, "ScheduleExpression") ||
			       json_object_get(body, "RuleName")))
			rules = body;
		/* A lone rule object is one rule, not a list of its members. */
		for (size_t i = 0, n = backup_list_size(rules); i < n && !bad; i++)
			if (json_is_object(backup_list_get(rules, i)))
				bad = insert_plan_rule(plan, ins, config, backup_list_get(rules, i));
		json_decref(config);
		if (bad) {
			store_error(s, d, "cannot build backup_plan_rules");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(s, d, "cannot build backup_plan_rules");
		goto out;
	}
	rc = store_exec(s, bpr_vault_sql, d);
out:
	sqlite3_finalize(plan);
	sqlite3_finalize(ins);
	return rc;
}

/*
 * backup_absence_scope: one row per (account_id, region) of accounts,
 * saying whether a rule may conclude that a resource there is in no
 * backup plan from the absence of a selection: complete is 1 when
 * inventory_coverage lists the account and region and every current
 * backup selection there was recorded with its configuration; otherwise
 * 0, and missing names what is missing (for the annotation).
 */
const char backup_absence_scope_sql[] =
	"CREATE TEMP TABLE backup_absence_scope AS"
	" SELECT a.account_id, a.aws_region AS region,"
	"  CASE WHEN cov.account_id IS NULL THEN 0 WHEN unrec.n > 0 THEN 0 ELSE 1 END AS complete,"
	"  CASE WHEN cov.account_id IS NULL"
	"    THEN 'no configuration snapshot of ' || a.account_id || '/' || a.aws_region"
	"     || ' at or before ' || as_of() || ', so the backup selections may be incomplete'"
	"   WHEN unrec.n > 0"
	"    THEN unrec.n || ' backup selection(s) of ' || a.account_id || '/' || a.aws_region"
	"     || ' recorded without configuration (aws backup get-backup-selection)'"
	"  END AS missing"
	" FROM accounts AS a"
	" LEFT JOIN (SELECT DISTINCT account_id, region FROM inventory_coverage) AS cov"
	"  ON cov.account_id = a.account_id AND cov.region = a.aws_region"
	" LEFT JOIN (SELECT account_id, region, count(*) AS n FROM current_items"
	"   WHERE resource_type = 'AWS::Backup::BackupSelection' AND configuration IS NULL"
	"   GROUP BY account_id, region) AS unrec"
	"  ON unrec.account_id = a.account_id AND unrec.region = a.aws_region;";

/*
 * backup_plan_membership: one row per current resource of the types AWS
 * Backup protects, answering "is it in a backup plan?" as the
 * *_IN_BACKUP_PLAN rules ask it -- item_key, resource_type, resource_id,
 * account_id, region, arn, status, recorded (1 when the item has a
 * configuration), selection (the first selection that assigns it, as
 * text for annotations; NULL when none does), complete and missing (from
 * backup_absence_scope), and verdict and reason: INSUFFICIENT_DATA for an
 * item without configuration; COMPLIANT when a selection assigns it;
 * INSUFFICIENT_DATA when none does but the absence proves nothing (no
 * complete inventory, a selection without configuration, or no ARN to
 * test patterns against) or when a selection that cannot be read may
 * assign it; else NON_COMPLIANT; plan_group, the resource's plan group
 * (backup_group_hits), NULL when nothing assigns it; and unreadable: when
 * a selection that cannot be read whole may assign it (directly, or for
 * an RDS DB instance through its DB cluster), what of it cannot be read,
 * as text for annotations; else NULL. Built with backup_group_hits, from
 * the same matching, after backup_absence_scope.
 */
static const char bmem_create_sql[] =
	"CREATE TEMP TABLE backup_plan_membership(item_key, resource_type TEXT, resource_id TEXT,"
	" account_id TEXT, region TEXT, arn TEXT, status TEXT, recorded, selection, complete,"
	" missing, verdict, reason, plan_group, unreadable)";
static const char bmem_index_sql[] =
	"CREATE INDEX temp.backup_plan_membership_by_type"
	" ON backup_plan_membership(resource_type);";
static const char bmem_insert_sql[] =
	"INSERT INTO backup_plan_membership VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15)";
/* The first direct selection of each group (min() over a resource's
 * rows of backup_selected_resources). */
static const char bmem_chosen_sql[] =
	"SELECT plan_group, min(selection) FROM backup_group_hits WHERE direct GROUP BY plan_group";
static const char bmem_scope_sql[] =
	"SELECT account_id, region, complete, missing FROM backup_absence_scope";
static const char bmem_as_of_sql[] = "SELECT as_of()";

/* What membership rows read besides the candidate. */
struct member_facts {
	char **chosen;	    /* by plan group: its first direct selection, or NULL */
	struct keymap scope; /* account NUL region -> index into complete/missing */
	sqlite3_int64 *complete;
	char **missing;
	size_t n_scope;
	char *as_of;
};

static char *column_dup(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	return t ? xstrdup(t) : NULL;
}

static int read_facts(struct store *s, const struct bmatch *m, struct member_facts *f,
		      struct diag *d)
{
	sqlite3_stmt *st;
	int step = SQLITE_DONE;

	f->chosen = xcalloc((size_t)m->n_groups + 1, sizeof(char *));
	if (!(st = store_prepare(s, bmem_chosen_sql, d)))
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 g = sqlite3_column_int64(st, 0);

		if (g >= 1 && g <= m->n_groups)
			f->chosen[g] = column_dup(st, 1);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE || !(st = store_prepare(s, bmem_scope_sql, d)))
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct strbuf k = STRBUF_INIT;
		int added;

		strbuf_addstr(&k, (const char *)sqlite3_column_text(st, 0));
		strbuf_add(&k, "", 1);
		strbuf_addstr(&k, (const char *)sqlite3_column_text(st, 1));
		*keymap_insert(&f->scope, k.buf, k.len, &added) = (int64_t)f->n_scope;
		strbuf_release(&k);
		f->complete = xrealloc(f->complete, (f->n_scope + 1) * sizeof(*f->complete));
		f->missing = xrealloc(f->missing, (f->n_scope + 1) * sizeof(*f->missing));
		f->complete[f->n_scope] = sqlite3_column_int64(st, 2);
		f->missing[f->n_scope++] = column_dup(st, 3);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE || !(st = store_prepare(s, bmem_as_of_sql, d)))
		return -1;
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		f->as_of = column_dup(st, 0);
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? 0 : -1;
}

static void release_facts(struct member_facts *f, const struct bmatch *m)
{
	for (long g = 0; f->chosen && g <= m->n_groups; g++)
		free(f->chosen[g]);
	for (size_t i = 0; i < f->n_scope; i++)
		free(f->missing[i]);
	free(f->chosen);
	free(f->complete);
	free(f->missing);
	free(f->as_of);
	keymap_release(&f->scope);
}

static const char *text_of(const struct bmatch *m, const struct bm_value *v)
{
	return v->type == SQLITE_TEXT ? m->arena.buf + v->off : NULL;
}

/* Bind the concatenation of the strings up to NULL at i; NULL when one
 * of the n parts is NULL (SQL's ||). */
static void bind_concat(sqlite3_stmt *st, int i, struct strbuf *b, int n, ...)
{
	va_list ap;
	int null = 0;

	strbuf_reset(b);
	va_start(ap, n);
	for (int k = 0; k < n; k++) {
		const char *part = va_arg(ap, const char *);

		if (part)
			strbuf_addstr(b, part);
		else
			null = 1;
	}
	va_end(ap);
	if (null)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, b->buf, (int)b->len, SQLITE_TRANSIENT);
}

/* One row: the verdict and reason as the *_IN_BACKUP_PLAN rules give them. */
/* Whether the inventory of acc/reg is complete at the as-of time (into
 * *complete), and if not, why: the scope's own reason, else "no
 * configuration snapshot of ..." (written into miss); NULL when known. */
static const char *member_scope(const struct member_facts *f, const char *acc, const char *reg,
				struct strbuf *b, struct strbuf *miss, sqlite3_int64 *complete)
{
	const char *missing = NULL;
	int64_t *sc;

	strbuf_reset(b);
	strbuf_addstr(b, acc ? acc : "");
	strbuf_add(b, "", 1);
	strbuf_addstr(b, reg ? reg : "");
	sc = acc && reg ? keymap_find(&f->scope, b->buf, b->len) : NULL;
	if (sc) {
		*complete = f->complete[*sc];
		missing = f->missing[*sc];
	}
	if (!missing && acc && reg && f->as_of) {
		strbuf_reset(miss);
		strbuf_addstr(miss, "no configuration snapshot of ");
		strbuf_addstr(miss, acc);
		strbuf_addstr(miss, "/");
		strbuf_addstr(miss, reg);
		strbuf_addstr(miss, " at or before ");
		strbuf_addstr(miss, f->as_of);
		missing = miss->buf;
	}
	return missing;
}

/* What an unreadable selection leaves open for a candidate (cluster: the
 * DB cluster through which it may assign it, or NULL), into b. */
static const char *unreadable_text(const struct bmatch *m, size_t sel, const struct bm_cand *cluster,
				   struct strbuf *b)
{
	const struct bm_sel *sl = &m->sels[sel];
	const char *name = json_string_value(json_object_get(sl->body, "SelectionName"));
	const char *plan = json_string_value(json_object_get(sl->config, "BackupPlanId"));

	if (!name)
		name = json_string_value(json_object_get(sl->config, "SelectionId"));
	if (!name)
		name = (const char *)sqlite3_value_text(sl->resource_id);
	strbuf_reset(b);
	strbuf_addstr(b, "backup selection \"");
	strbuf_addstr(b, name ? name : "(unknown)");
	strbuf_addstr(b, "\" of plan ");
	strbuf_addstr(b, plan ? plan : "(unknown)");
	strbuf_addstr(b, " cannot be read: ");
	strbuf_addstr(b, sl->unreadable);
	strbuf_addstr(b, " (aws backup get-backup-selection), so it may assign ");
	if (cluster) {
		strbuf_addstr(b, "the DB cluster ");
		strbuf_addstr(b, text_of(m, &cluster->cluster_name) ? text_of(m, &cluster->cluster_name)
								    : "(unknown)");
		strbuf_addstr(b, " of the resource");
	} else {
		strbuf_addstr(b, "the resource");
	}
	return b->buf;
}

static int insert_member(sqlite3_stmt *ins, const struct bmatch *m, const struct bm_cand *c,
			 const struct member_facts *f, struct strbuf *b, struct strbuf *miss,
			 int *unreadable_bound)
{
	const char *unreadable = NULL;
	struct strbuf ub = STRBUF_INIT;

	const char *acc = text_of(m, &c->account), *reg = text_of(m, &c->region);
	const char *selection = c->group ? f->chosen[c->group] : NULL;
	const char *arn = c->arn == SIZE_MAX ? NULL : m->arena.buf + c->arn;
	sqlite3_int64 complete = 0;
	const char *missing = member_scope(f, acc, reg, b, miss, &complete);
	int rc;

	if (c->maybe)
		unreadable = unreadable_text(m, c->maybe - 1, NULL, &ub);
	else if (c->maybe_via)
		unreadable = unreadable_text(m, c->maybe_via - 1, &m->cands[c->via_cluster - 1], &ub);

	bmatch_bind(ins, 1, m, &c->key);
	bmatch_bind(ins, 2, m, &c->type);
	bmatch_bind(ins, 3, m, &c->id);
	bmatch_bind(ins, 4, m, &c->account);
	bmatch_bind(ins, 5, m, &c->region);
	sqlite3_bind_text(ins, 6, arn, -1, SQLITE_STATIC); /* NULL binds NULL */
	bmatch_bind(ins, 7, m, &c->status);
	sqlite3_bind_int(ins, 8, c->recorded);
	sqlite3_bind_text(ins, 9, selection, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 10, complete);
	if (!complete && missing)
		sqlite3_bind_text(ins, 11, missing, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(ins, 11);
	if (!c->recorded) {
		sqlite3_bind_text(ins, 12, "INSUFFICIENT_DATA", -1, SQLITE_STATIC);
		bind_concat(ins, 13, b, 3, "configuration not recorded (", text_of(m, &c->status),
			    ")");
	} else if (selection) {
		sqlite3_bind_text(ins, 12, "COMPLIANT", -1, SQLITE_STATIC);
		bind_concat(ins, 13, b, 2, "selected by ", selection);
	} else if (c->maybe) {
		sqlite3_bind_text(ins, 12, "INSUFFICIENT_DATA", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 13, unreadable, -1, SQLITE_TRANSIENT);
	} else if (!complete) {
		sqlite3_bind_text(ins, 12, "INSUFFICIENT_DATA", -1, SQLITE_STATIC);
		bind_concat(ins, 13, b, 1, missing);
	} else if (!arn) {
		sqlite3_bind_text(ins, 12, "INSUFFICIENT_DATA", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 13,
				  "the resource's ARN is not recorded: backup selections by ARN"
				  " cannot be tested",
				  -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(ins, 12, "NON_COMPLIANT", -1, SQLITE_STATIC);
		bind_concat(ins, 13, b, 5, "no backup selection of ", acc, "/", reg,
			    " assigns the resource to a backup plan");
	}
	if (c->group)
		sqlite3_bind_int64(ins, 14, c->group);
	else
		sqlite3_bind_null(ins, 14);
	/* ?15 is NULL for nearly every row: rebound only when it changes
	 * (sqlite3_reset keeps bindings) */
	if (unreadable)
		sqlite3_bind_text(ins, 15, unreadable, -1, SQLITE_TRANSIENT);
	else if (*unreadable_bound)
		sqlite3_bind_null(ins, 15);
	*unreadable_bound = unreadable != NULL;
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(ins);
	strbuf_release(&ub);
	return rc;
}

static int build_membership(struct store *s, const struct bmatch *m, struct diag *d)
{
	struct member_facts f = { NULL, KEYMAP_INIT, NULL, NULL, 0, NULL };
	struct strbuf b = STRBUF_INIT, miss = STRBUF_INIT;
	sqlite3_stmt *ins = NULL;
	int rc = -1, unreadable_bound = 0; /* a fresh statement binds NULL */

	if (read_facts(s, m, &f, d) || store_exec(s, bmem_create_sql, d) ||
	    !(ins = store_prepare(s, bmem_insert_sql, d)))
		goto out;
	for (size_t i = 0; i < m->n_cands; i++)
		if (insert_member(ins, m, &m->cands[i], &f, &b, &miss, &unreadable_bound)) {
			store_error(s, d, "cannot build backup_plan_membership");
			goto out;
		}
	rc = store_exec(s, bmem_index_sql, d);
out:
	sqlite3_finalize(ins);
	strbuf_release(&b);
	strbuf_release(&miss);
	release_facts(&f, m);
	return rc;
}

/*
 * backup_group_plans: backup_resource_plans once per plan group -- one
 * row per (plan group, backup plan) with plan_group in place of item_key
 * and the same other columns (see below).
 */
const char backup_group_plans_sql[] =
	"CREATE TEMP TABLE backup_group_plans AS"
	/* The plans' JSON read once, not once per pair (plans x assignments
	 * grow with the square of a Region's size). */
	" WITH"
	" plans AS MATERIALIZED ("
	"  SELECT account_id, region, resource_id,"
	"   json_extract(configuration, '$.BackupPlanId') AS plan_id"
	"  FROM current_items"
	"  WHERE resource_type = 'AWS::Backup::BackupPlan' AND configuration IS NOT NULL),"
	" a AS ("
	"  SELECT plan_group, account_id, region, plan_id, min(selection) AS selection"
	"  FROM backup_group_hits GROUP BY plan_group, plan_id),"
	/* The plan facts once per plan, not once per assignment; read in the
	 * index's order, as the per-row lookups read them (the order of
	 * json_group_array and group_concat). */
	" rf AS ("
	"  SELECT account_id, region, plan_id,"
	"   group_concat(DISTINCT target_vault) AS vaults,"
	"   min(vault_locked IS NOT NULL) AS lock_known,"
	"   min(coalesce(vault_locked, 0)) AS all_locked,"
	"   CASE WHEN count(lock_min_days) = count(*) THEN min(lock_min_days) END AS lock_min_days,"
	"   CASE WHEN count(lock_max_days) = count(*) THEN max(lock_max_days) END AS lock_max_days"
	"  FROM backup_plan_rules INDEXED BY backup_plan_rules_by_plan"
	"  GROUP BY account_id, region, plan_id),"
	" rr AS ("
	"  SELECT r.account_id, r.region, r.plan_id, json_group_array(DISTINCT j.value) AS copy_regions"
	"  FROM backup_plan_rules AS r INDEXED BY backup_plan_rules_by_plan,"
	"   json_each(r.copy_regions) AS j"
	"  GROUP BY r.account_id, r.region, r.plan_id),"
	" ra AS ("
	"  SELECT r.account_id, r.region, r.plan_id,"
	"   json_group_array(DISTINCT j.value) AS copy_accounts"
	"  FROM backup_plan_rules AS r INDEXED BY backup_plan_rules_by_plan,"
	"   json_each(r.copy_accounts) AS j"
	"  GROUP BY r.account_id, r.region, r.plan_id)"
	" SELECT a.plan_group, a.plan_id, a.selection,"
	"  EXISTS (SELECT 1 FROM plans AS p"
	"   WHERE p.account_id = a.account_id AND p.region = a.region"
	"   AND a.plan_id IN (p.resource_id, p.plan_id))"
	"   AS plan_recorded,"
	"  coalesce(rr.copy_regions, '[]') AS copy_regions,"
	"  coalesce(ra.copy_accounts, '[]') AS copy_accounts,"
	"  rf.vaults AS vaults,"
	"  coalesce(rf.lock_known, 0) AS lock_known,"
	"  coalesce(rf.all_locked, 0) AS all_locked,"
	"  rf.lock_min_days AS lock_min_days,"
	"  rf.lock_max_days AS lock_max_days"
	" FROM a"
	" LEFT JOIN rf ON rf.account_id = a.account_id AND rf.region = a.region"
	"  AND rf.plan_id = a.plan_id"
	" LEFT JOIN rr ON rr.account_id = a.account_id AND rr.region = a.region"
	"  AND rr.plan_id = a.plan_id"
	" LEFT JOIN ra ON ra.account_id = a.account_id AND ra.region = a.region"
	"  AND ra.plan_id = a.plan_id;"
	"CREATE INDEX temp.backup_group_plans_by_group ON backup_group_plans(plan_group);";

/*
 * backup_resource_plans: one row per (resource, backup plan) that a
 * current selection assigns the resource to -- directly, or for an RDS DB
 * instance through its DB cluster (dBClusterIdentifier) -- with the plan
 * facts the *_RESOURCES_PROTECTED_BY_BACKUP_PLAN parameters test:
 * item_key, plan_id, selection (text for annotations), plan_recorded (1
 * when a current AWS::Backup::BackupPlan item of that id is in the
 * resource's account and Region), copy_regions and copy_accounts (JSON
 * arrays over all the plan's rules), vaults (the target vault names,
 * comma-separated), lock_known (1 when every rule's target vault records
 * its lock state), all_locked (1 when every one is locked),
 * lock_min_days (the smallest MinRetentionDays, NULL when a locked vault
 * has none) and lock_max_days (the largest MaxRetentionDays, NULL when
 * one has none). Built from backup_plan_membership and backup_group_plans,
 * only for a statement that names it.
 */
const char backup_resource_plans_sql[] =
	"CREATE TEMP TABLE backup_resource_plans AS"
	" SELECT g.item_key, p.plan_id, p.selection, p.plan_recorded, p.copy_regions,"
	"  p.copy_accounts, p.vaults, p.lock_known, p.all_locked, p.lock_min_days,"
	"  p.lock_max_days"
	" FROM backup_plan_membership AS g JOIN backup_group_plans AS p"
	"  ON p.plan_group = g.plan_group;"
	"CREATE INDEX temp.backup_resource_plans_by_item ON backup_resource_plans(item_key);";
