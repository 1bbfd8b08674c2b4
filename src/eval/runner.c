/*
 * runner: evaluating a plan's rules (see runner.h).
 *
 * The connections ("workers") read one point-in-time state, built once
 * into a scratch file (pit_share_build), and each builds the derived
 * tables it needs, all from the same committed state: the state is
 * built and the connections start their read transactions while one
 * more connection holds the write lock, so that no ingest can commit in
 * between. Without that lock or file, one connection builds the state
 * in TEMP tables and runs alone. Workers take rules in plan order; a rule that needs a derived
 * table another worker builds is left to that worker, so that no table
 * is built twice. Everything a worker produces (results, timings, errors)
 * stays with it or with the rule, and is reported in plan order after
 * the run: the output does not depend on which thread ran what.
 */
#include "eval/runner.h"
#include "eval/derived.h"
#include "eval/evidence_tables.h"
#include "eval/sqlfuncs.h"
#include "store/coverage.h"
#include "store/pit.h"
#include "store/shards.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* AWS Config documents annotations of at most 256 characters. */
#define ANNOTATION_MAX_CHARS 256

/* Byte length of the first ANNOTATION_MAX_CHARS characters of s (an
 * invalid byte counts as one character). */
static size_t annotation_cut(const char *s, size_t len)
{
	size_t i = 0, chars = 0;

	if (len <= ANNOTATION_MAX_CHARS)
		return len; /* a character is at least one byte */
	while (i < len && chars < ANNOTATION_MAX_CHARS) {
		size_t n = utf8_valid_prefix(s + i, len - i);

		i += n ? n : 1;
		chars++;
	}
	return i;
}

/* The line of the statement's file at byte offset off of the statement. */
static long sql_line_at(const struct rule *r, int off)
{
	long line = r->sql_line;

	for (int i = 0; i < off && r->sql[i]; i++)
		if (r->sql[i] == '\n')
			line++;
	return line;
}

/* Where an error of a running rule is reported: at its statement, but
 * for a shared statement at the rule's "statement:" line, since the
 * rule's constants and parameters shape what the shared SQL does. */
#define RUN_ERR_PATH(r) ((r)->statement ? (r)->path : (r)->sql_path)
#define RUN_ERR_LINE(r) ((r)->statement ? (r)->statement_line : (r)->sql_line)

static const char *const result_columns[6] = {
	"resource_type", "resource_id", "account_id", "aws_region", "compliance_type", "annotation",
};

/* The rule's statement, prepared and checked (read-only, the six result
 * columns, nothing but comments after it); *len is the length of its text
 * without a trailing ';'. Returns NULL with d filled. */
static sqlite3_stmt *prepare_checked(struct store *s, const struct rule *r, size_t *len,
				     struct diag *d)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	rc = sqlite3_prepare_v2(s->db, r->sql, -1, &st, &tail);
	if (rc != SQLITE_OK || !st) {
		int off = sqlite3_error_offset(s->db);

		diag_set(d, r->sql_path, off >= 0 ? sql_line_at(r, off) : r->sql_line, "%s",
			 rc == SQLITE_OK ? "no SQL statement" : sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return NULL;
	}
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		diag_set(d, r->sql_path, r->sql_line, "rule statements must not write to the database");
		return NULL;
	}
	if (sqlite3_column_count(st) != 6) {
		diag_set(d, r->sql_path, r->sql_line, "the statement returns %d columns, not the 6 of "
			 "cfgaudit-rules(5)", sqlite3_column_count(st));
		sqlite3_finalize(st);
		return NULL;
	}
	for (int i = 0; i < 6; i++) {
		if (strcmp(sqlite3_column_name(st, i), result_columns[i])) {
			diag_set(d, r->sql_path, r->sql_line, "result column %d is '%s', expected '%s'",
				 i + 1, sqlite3_column_name(st, i), result_columns[i]);
			sqlite3_finalize(st);
			return NULL;
		}
	}
	if (tail && *tail) {
		const char *p = tail;

		/* Only white space, ';' and comments may follow. */
		while (*p) {
			if (*p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
				p++;
			} else if (p[0] == '-' && p[1] == '-') {
				p = strchr(p, '\n');
				if (!p)
					break;
			} else {
				diag_set(d, r->sql_path, sql_line_at(r, (int)(tail - r->sql)),
					 "more than one statement in a rule file");
				sqlite3_finalize(st);
				return NULL;
			}
		}
	}
	*len = tail ? (size_t)(tail - r->sql) : strlen(r->sql);
	while (*len &&
	       (r->sql[*len - 1] == ';' || r->sql[*len - 1] == ' ' || r->sql[*len - 1] == '\n' ||
		r->sql[*len - 1] == '\t' || r->sql[*len - 1] == '\r'))
		--*len;
	return st;
}

/* Statement text of the rule without a trailing ';' and what follows. */
static char *statement_text(struct store *s, const struct rule *r, struct diag *d)
{
	size_t len;
	sqlite3_stmt *st = prepare_checked(s, r, &len, d);

	if (!st)
		return NULL;
	sqlite3_finalize(st);
	return xstrndup(r->sql, len);
}

/* Bind a parameter's typed value (NULL when it has none). */
static void bind_value(sqlite3_stmt *st, int i, const struct param_value *v)
{
	if (!v->set)
		sqlite3_bind_null(st, i);
	else if (v->type == RULE_PARAM_INT || v->type == RULE_PARAM_BOOL)
		sqlite3_bind_int64(st, i, v->number);
	else
		sqlite3_bind_text(st, i, v->text, -1, SQLITE_TRANSIENT);
}

/* Bind every named parameter of st from the resolved parameters. */
static int bind_params(sqlite3_stmt *st, const struct planned_rule *pr, struct diag *d)
{
	int n = sqlite3_bind_parameter_count(st);

	for (int i = 1; i <= n; i++) {
		const char *pname = sqlite3_bind_parameter_name(st, i);
		const struct rule_param *rp;
		const struct rule_constant *rc;

		if (!pname || (pname[0] != ':' && pname[0] != '@' && pname[0] != '$'))
			return diag_set(d, pr->rule->sql_path, pr->rule->sql_line,
					"only named parameters (:name) may be used");
		pname++;
		rc = rule_find_constant(pr->rule, pname);
		if (rc) {
			/* Fixed by the rule file; NULL when declared empty. */
			if (rc->value)
				sqlite3_bind_text(st, i, rc->value, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, i);
			continue;
		}
		rp = rule_find_param(pr->rule, pname);
		if (!rp)
			return diag_set(d, RUN_ERR_PATH(pr->rule), RUN_ERR_LINE(pr->rule),
					"parameter ':%s' is not declared in the header"
					" (as a parameter or constant)", pname);
		bind_value(st, i, &pr->values[rp - pr->rule->params]);
	}
	return 0;
}

/* Does the resource's tag object satisfy Scope.TagKey / TagValue? */
static int tags_match(const char *tags_json, const char *key, const char *value)
{
	json_t *tags, *v;
	int ok = 0;

	if (!tags_json)
		return 0;
	tags = json_loads(tags_json, 0, NULL);
	v = tags ? json_object_get(tags, key) : NULL;
	if (v)
		ok = !value || (json_is_string(v) && !strcmp(json_string_value(v), value));
	json_decref(tags);
	return ok;
}

static int in_scope(const struct planned_rule *pr, const char *type, const char *id,
		    const char *tags_json)
{
	int account_level = !strcmp(type, "AWS::::Account");

	if (pr->n_scope_types && !account_level) {
		int found = 0;

		for (size_t i = 0; i < pr->n_scope_types; i++)
			if (!strcmp(pr->scope_types[i], type))
				found = 1;
		if (!found)
			return 0;
	}
	if (pr->scope_resource_id && strcmp(pr->scope_resource_id, id))
		return 0;
	if (pr->tag_key && !account_level && !tags_match(tags_json, pr->tag_key, pr->tag_value))
		return 0;
	return 1;
}

/* The index of c in eval_compliance_names, or -1. */
static int compliance_index(const char *c)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(c, eval_compliance_names[i]))
			return i;
	return -1;
}

/* The derived tables a rule's statement names and those they are built
 * from, bit i for table i: one worker builds a table and what it reads
 * (two workers each built backup_selected_resources). */
static derived_set derived_needs(const struct planned_rule *pr)
{
	derived_set m = 0;

	for (size_t i = 0; i < derived_count(); i++)
		if (strstr(pr->rule->sql, derived_name(i)))
			m |= DERIVED_BIT(i) | derived_requires(i);
	return m;
}

void runner_rule_changed(struct planned_rule *pr)
{
	pr->derived = derived_needs(pr);
}

struct runner;

struct worker {
	struct runner *R;
	size_t index;
	struct store *s;            /* the caller's for worker 0, else opened here */
	struct resultbuf *results;
	derived_set derived_mine;   /* derived tables this worker builds */
	derived_set derived_built;  /* ... and has built */
	derived_set derived_failed; /* ... and could not build from the data */
	char *derived_error[DERIVED_MAX]; /* ... why */
	double derived_wall[DERIVED_MAX], derived_cpu[DERIVED_MAX];
	double pit_wall, pit_cpu;
	long rules_evaluated;
	long counts[4];
	const char *last_type;	    /* the resource type of its last rule */
	sqlite3_stmt *key_query;    /* resolve_key's, prepared on first use */
	struct strbuf key;	    /* ... and the key it found */
	int resolve_failed;	    /* it failed: err says why */
	char last_account[16];      /* in_selection's memo: the last account seen */
	int last_loaded;            /* ... and whether the store's shard loads it */
	int failed;                 /* a database failure: err says what */
	int finished;               /* claim found nothing more for it */
	struct diag err;
	pthread_t thread;
};

struct runner {
	const struct eval_request *req;
	struct shard_selection shard; /* a shard store's accounts (inactive: all) */
	struct plan *plan;
	int64_t as_of_ms;           /* the evaluation time, resolved */
	pthread_mutex_t lock;
	derived_set derived_claimed; /* tables some worker builds */
	int stop;                   /* a worker failed: the others stop too */
	char **scope;
	size_t n_scope;
	/* Called on each connection once its state is built (first: the
	 * caller's); runner_evaluate's on_state. */
	int (*on_state)(struct store *s, int first, void *ctx, struct diag *d);
	void *state_ctx;
	char *pit_path;             /* the shared state's scratch file, or NULL */
	struct worker *workers;     /* all of them, for claim */
	size_t n_workers;
	derived_set derived_needed; /* derived tables some rule of the plan needs */
};

/* The next rule for w, or NULL when none is left for it. Rules that
 * need a derived table come first: a table and the rules reading it are
 * one long chain of work for one worker, best started early. */
/* The first resource type pr's rule names ("" for none). */
static const char *rule_type(const struct planned_rule *pr)
{
	return pr->rule && pr->rule->n_resource_types ? pr->rule->resource_types[0] : "";
}

/* Whether a worker still running, other than w, can take a rule needing
 * the derived tables need (none of them is another worker's). */
static int other_can_take(const struct worker *w, derived_set need)
{
	const struct runner *R = w->R;

	for (size_t i = 0; i < R->n_workers; i++) {
		const struct worker *o = &R->workers[i];

		if (o != w && !o->finished && !(need & R->derived_claimed & ~o->derived_mine))
			return 1;
	}
	return 0;
}

static struct planned_rule *claim(struct worker *w)
{
	struct runner *R = w->R;
	struct planned_rule *got = NULL;

	pthread_mutex_lock(&R->lock);
	for (int pass = -1; !got && pass < 4; pass++) {
		for (size_t i = 0; !R->stop && i < R->plan->nr; i++) {
			struct planned_rule *pr = &R->plan->rules[i];
			derived_set need;

			if (pr->claimed || !planned_rule_runs(pr))
				continue;
			/* First the statements prepared ahead on this
			 * connection: a derived table built here (a change of
			 * its schema) would make SQLite prepare them again. */
			if (pass == -1 && !(pr->prepared &&
					    sqlite3_db_handle(pr->prepared) == w->s->db))
				continue;
			need = pr->derived;
			/* Another worker has (or builds) a table it needs: that
			 * worker takes it; but when its tables are split over
			 * workers, none would, and this one builds its own
			 * copies of those it lacks (last, when nothing else is
			 * left for it). */
			if ((need & R->derived_claimed & ~w->derived_mine) &&
			    (pass < 3 || other_can_take(w, need)))
				continue;
			if (pass == 0 && !need)
				continue;
			if (pass == 1 && (!w->last_type || strcmp(rule_type(pr), w->last_type)))
				continue;
			pr->claimed = 1;
			w->derived_mine |= need;
			R->derived_claimed |= need;
			got = pr;
			w->last_type = rule_type(pr);
			break;
		}
	}
	if (!got)
		w->finished = 1;
	pthread_mutex_unlock(&R->lock);
	return got;
}

/* A derived table the data cannot build fails each rule that reads it,
 * with the table's error, rather than the run. Returns -1. */
static int derived_failure(struct planned_rule *pr, size_t i, const char *msg)
{
	return diag_set(&pr->error, RUN_ERR_PATH(pr->rule), 0, "derived table %s: %s",
			derived_name(i), msg);
}

int runner_data_error(struct store *s, const struct diag *d)
{
	int code = d->db_code ? d->db_code : sqlite3_errcode(s->db) & 0xff;

	return code == SQLITE_ERROR || code == SQLITE_OK;
}

/* Build the derived tables pr needs, once per worker. An error of SQLite
 * that is not the database's (SQLITE_ERROR: malformed JSON that an item
 * holds, say), or a builder's own that is not SQLite's (an item's JSON it
 * cannot parse), fails the rules that read the table: -1 with pr->error.
 * Any other failure (I/O, a full disk, corruption, memory) is the run's:
 * -2 with d. The code is the one the error was recorded with: a builder
 * that finalizes its statements after the error leaves SQLITE_OK on the
 * connection. */
static int ensure_derived(struct worker *w, struct planned_rule *pr, struct diag *d)
{
	derived_set need = pr->derived;

	for (size_t i = 0; i < derived_count(); i++) {
		double w0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();

		if (!(need & DERIVED_BIT(i)))
			continue;
		if (w->derived_failed & DERIVED_BIT(i))
			return derived_failure(pr, i, w->derived_error[i]);
		if (w->derived_built & DERIVED_BIT(i))
			continue;
		if (derived_build(w->s, i, d)) {
			if (!runner_data_error(w->s, d))
				return -2;
			w->derived_failed |= DERIVED_BIT(i);
			w->derived_error[i] = xstrdup(d->msg);
			diag_clear(d);
			/* A table a C builder left half filled must not be
			 * read: drop what this call may have made. */
			derived_drop_unbuilt(w->s, need & ~w->derived_built);
			return derived_failure(pr, i, w->derived_error[i]);
		}
		w->derived_built |= DERIVED_BIT(i);
		w->derived_wall[i] = time_monotonic_seconds() - w0;
		w->derived_cpu[i] = time_thread_cpu_seconds() - c0;
	}
	return 0;
}

/* Keep one result row of the rule (col: type, id, account, region,
 * compliance text, whose index is compliance; the annotation, and with
 * joined the item_key, are read from st). Returns 0, or -1 when the item
 * could not be looked up (w->err says why). */
static int stage_result(struct worker *w, sqlite3_stmt *st, const char *col[5], int compliance,
			int joined)
{
	struct result_row r;
	const char *ann = (const char *)sqlite3_column_text(st, 5);

	r.resource_type = col[0];
	r.resource_id = col[1];
	r.account_id = col[2];
	r.aws_region = col[3];
	r.compliance = compliance;
	r.annotation = ann;
	r.annotation_len = ann ? annotation_cut(ann, (size_t)sqlite3_column_bytes(st, 5)) : 0;
	r.item_key =
	    joined && sqlite3_column_type(st, 6) == SQLITE_BLOB ? sqlite3_column_blob(st, 6) : NULL;
	r.item_key_len = r.item_key ? (size_t)sqlite3_column_bytes(st, 6) : 0;
	return resultbuf_add(w->results, &r);
}

/* The item behind a resource a result names: the resultbuf's resolver,
 * called once per resource. */
static int resolve_key(void *ctx, const char *type, const char *id, const char *account,
		       const char *region, const void **key, size_t *len)
{
	struct worker *w = ctx;
	sqlite3_stmt *q = w->key_query;
	int rc;

	*key = NULL;
	*len = 0;
	if (!q) {
		q = w->key_query = pit_item_key_prepare(w->s, &w->err);
		if (!q) {
			w->resolve_failed = 1;
			return -1;
		}
	}
	sqlite3_bind_text(q, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, region, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_BLOB) {
		strbuf_reset(&w->key);
		strbuf_add(&w->key, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
		*key = w->key.buf;
		*len = w->key.len;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		w->resolve_failed = 1;
		return store_error(w->s, &w->err, "cannot find the item of a result");
	}
	return 0;
}

/* Prepare pr's statement, wrapped to join each result to the item behind
 * it, with its parameters bound. Returns the statement, or NULL with
 * pr->error filled (the rule's fault). */
sqlite3_stmt *runner_prepare_rule(struct store *s, struct planned_rule *pr)
{
	char *sql;
	sqlite3_stmt *st = NULL;
	char *stmt_text;
	size_t len;

	if (!pr->tag_key) {
		/* The statement as it is: the item behind each result is
		 * looked up once per resource (resolve_key). */
		st = prepare_checked(s, pr->rule, &len, &pr->error);
		if (st && bind_params(st, pr, &pr->error)) {
			sqlite3_finalize(st);
			st = NULL;
		}
		return st;
	}
	stmt_text = statement_text(s, pr->rule, &pr->error);
	if (!stmt_text)
		return NULL;
	/* A TagKey scope: join each result to the item behind it and its
	 * tags. The rule text is the rule author's SQL; values are always
	 * bound. */
	sql = pit_result_join_sql(stmt_text, 1);
	free(stmt_text);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		diag_set(&pr->error, pr->rule->sql_path, pr->rule->sql_line, "%s",
			 sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		st = NULL;
	} else if (bind_params(st, pr, &pr->error)) {
		sqlite3_finalize(st);
		st = NULL;
	}
	free(sql);
	return st;
}

static int listed(const char *const *list, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], value))
			return 1;
	return 0;
}

/* Whether a result's account and region are in the run's --account and
 * --region selection (global results stay, as global items do) and, in a
 * shard's store, among the accounts the shard loads. The state holds only
 * those accounts' items, so a rule that judges an account from evidence
 * or an organization's member list would otherwise conclude "none" for
 * accounts whose data was left out. */
static int in_selection(struct worker *w, const char *account, const char *region)
{
	const struct eval_request *req = w->R->req;

	if (req->n_accounts && !listed(req->accounts, req->n_accounts, account))
		return 0;
	if (req->n_regions && strcmp(region, "global") &&
	    !listed(req->regions, req->n_regions, region))
		return 0;
	if (!shard_active(&w->R->shard))
		return 1;
	/* a rule gives its results mostly account by account, and
	 * shard_loads hashes the id: remember the last answer */
	if (strcmp(w->last_account, account)) {
		snprintf(w->last_account, sizeof(w->last_account), "%s", account);
		w->last_loaded = shard_loads(&w->R->shard, account);
	}
	return w->last_loaded;
}

/* Step through st, checking each row and keeping those in pr's scope.
 * Returns 0, -1 with pr->error filled (the rule's fault), -3 with it
 * filled (the data's: SQLITE_ERROR while stepping), or -2 when an item
 * could not be looked up (w->err); *rows counts the rows read. */
static int read_rule_rows(struct worker *w, struct planned_rule *pr, sqlite3_stmt *st,
			  long *rows)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[5];
		int ci;

		++*rows;
		for (int i = 0; i < 5; i++) {
			col[i] = (const char *)sqlite3_column_text(st, i);
			if (!col[i])
				return diag_set(&pr->error, RUN_ERR_PATH(pr->rule),
						RUN_ERR_LINE(pr->rule), "result row %ld: %s is NULL",
						*rows, result_columns[i]);
		}
		if ((ci = compliance_index(col[4])) < 0)
			return diag_set(&pr->error, RUN_ERR_PATH(pr->rule), RUN_ERR_LINE(pr->rule),
					"result row %ld: compliance_type '%.40s' is not one of "
					"COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA",
					*rows, col[4]);
		if (in_selection(w, col[2], col[3]) &&
		    in_scope(pr, col[0], col[1],
			     pr->tag_key ? (const char *)sqlite3_column_text(st, 7) : NULL) &&
		    stage_result(w, st, col, ci, pr->tag_key != NULL))
			return -2;
	}
	if (rc != SQLITE_DONE) {
		diag_set(&pr->error, RUN_ERR_PATH(pr->rule), RUN_ERR_LINE(pr->rule), "%s",
			 sqlite3_errmsg(w->s->db));
		/* The statement prepared: an error of SQLite that is not the
		 * database's (malformed JSON an item holds, say) is the data's,
		 * as for a derived table (ensure_derived). */
		return (sqlite3_errcode(w->s->db) & 0xff) == SQLITE_ERROR ? -3 : -1;
	}
	return 0;
}

/* Run one planned rule and keep its results. Returns 0, or -1 with the
 * rule marked invalid or, when the data could not be read, data_failed
 * (its results dropped, the error in pr->error); a
 * database failure that is not the rule's fault is returned as -2 with
 * d filled. */
static int eval_one(struct worker *w, struct planned_rule *pr, struct diag *d)
{
	sqlite3_stmt *st;
	long rows = 0;
	int ret = 0;
	double t0, c0;

	resultbuf_begin_rule(w->results, pr->rule_no);
	/* Derived tables are timed on their own, not as part of the rule. */
	if ((ret = ensure_derived(w, pr, d)) == -2)
		return -2;
	if (ret) {
		free(pr->reason);
		pr->reason = xstrfmt("not evaluated: %s", pr->error.msg);
		pr->data_failed = 1;
		resultbuf_drop_rule(w->results);
		return -1;
	}
	t0 = time_monotonic_seconds();
	c0 = time_thread_cpu_seconds();
	st = pr->prepared && sqlite3_db_handle(pr->prepared) == w->s->db ? pr->prepared
									 : runner_prepare_rule(w->s, pr);
	if (st == pr->prepared)
		pr->prepared = NULL;
	if (st && (ret = read_rule_rows(w, pr, st, &rows)) == -2) {
		sqlite3_finalize(st);
		*d = w->err;
		return -2;
	}
	if (st && ret == 0) {
		w->rules_evaluated++;
		for (int i = 0; i < 4; i++)
			w->counts[i] += resultbuf_rule_counts(w->results)[i];
		pr->ran = 1;
	} else if (st && ret == -3) { /* the data could not be evaluated */
		ret = -1;
		free(pr->reason);
		pr->reason = xstrfmt("not evaluated: %s", pr->error.msg);
		pr->data_failed = 1;
		resultbuf_drop_rule(w->results);
	} else {
		ret = -1;
		free(pr->reason);
		pr->reason = xstrfmt("invalid rule: %s", pr->error.msg);
		pr->invalid = 1;
		resultbuf_drop_rule(w->results);
	}
	sqlite3_finalize(st);
	pr->wall = time_monotonic_seconds() - t0;
	pr->cpu = time_thread_cpu_seconds() - c0;
	pr->rows = rows;
	return ret;
}

/* The (account, region) pairs of the state: those present, and
 * 'global' for accounts with global items. */
static int collect_scope(struct worker *w, struct diag *d)
{
	struct runner *R = w->R;
	sqlite3_stmt *st = store_prepare(w->s,
					 "SELECT account_id, aws_region FROM temp.accounts"
					 " UNION SELECT account_id, 'global' FROM current_items"
					 " WHERE region = 'global'",
					 d);
	size_t alloc = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (R->n_scope + 2 > alloc) {
			alloc = alloc ? alloc * 2 : 64;
			R->scope = xrealloc(R->scope, alloc * sizeof(char *));
		}
		R->scope[R->n_scope++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		R->scope[R->n_scope++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(w->s, d, "cannot read the run's accounts");
	return 0;
}

/* The point-in-time state the request asks for. */
static void state_filter(const struct runner *R, struct pit_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->as_of_ms = R->as_of_ms;
	f->accounts = R->req->accounts;
	f->n_accounts = R->req->n_accounts;
	f->regions = R->req->regions;
	f->n_regions = R->req->n_regions;
	f->hint = R->req->state_hint;
}

/* One connection's share of the run, inside its read transaction. */
static int worker_run(struct worker *w)
{
	struct runner *R = w->R;
	struct planned_rule *pr;
	struct pit_filter f;
	double t0, c0;

	if (!R->pit_path) { /* one connection: its own state */
		state_filter(R, &f);
		t0 = time_monotonic_seconds();
		c0 = time_thread_cpu_seconds();
		if (pit_build(w->s, &f, &w->err))
			return -1;
		w->pit_wall = time_monotonic_seconds() - t0;
		w->pit_cpu = time_thread_cpu_seconds() - c0;
	}
	if (w->index == 0 && collect_scope(w, &w->err))
		return -1;
	if (R->on_state && R->on_state(w->s, w->index == 0, R->state_ctx, &w->err))
		return -1;
	while ((pr = claim(w))) {
		if (eval_one(w, pr, &w->err) == -2)
			return -1;
	}
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	if (worker_run(w)) {
		w->failed = 1;
		pthread_mutex_lock(&w->R->lock);
		w->R->stop = 1;
		pthread_mutex_unlock(&w->R->lock);
	}
	return NULL;
}

/* How long to wait for the write lock that lines the connections up:
 * an ingest may hold it for a whole large file, and an evaluation on one
 * connection, which needs no lock, is better than waiting that long. */
#define SHARE_LOCK_WAIT_MS 1000

/* A new empty scratch file for the shared state (R->pit_path), or -1. */
static int make_scratch(struct runner *R, const struct store *s)
{
	const char *dir = getenv("TMPDIR");
	int fd = -1;

	/* In TMPDIR when set; else a state that may be kept (store/pit.h)
	 * beside the store, where it is kept; else in /tmp. */
	if ((!dir || !*dir) && R->req->state_hint && !R->req->n_accounts &&
	    !R->req->n_regions && s->path && *s->path && strcmp(s->path, ":memory:")) {
		R->pit_path = xstrfmt("%s-pitstate.XXXXXX", s->path);
		fd = mkstemp(R->pit_path);
		if (fd < 0)
			free(R->pit_path);
	}
	if (fd < 0) {
		R->pit_path = xstrfmt("%s/cfgaudit-pit-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(R->pit_path);
	}
	if (fd < 0) {
		free(R->pit_path);
		R->pit_path = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

/* Drop the shared state: detach it from the connections, delete it.
 * With keep_first the caller's connection keeps it (deleted, still
 * open): what eval stores after the run reads the state too, as it did
 * when the state was TEMP tables of that connection. */
static void drop_shared(struct runner *R, struct worker *w, size_t n, int keep_first)
{
	if (!R->pit_path)
		return;
	for (size_t i = keep_first ? 1 : 0; i < n; i++)
		pit_share_detach(w[i].s);
	if (keep_first && R->req->state_hint && R->req->state_hint->keep) {
		/* kept once the run is stored (pit_share_keep) */
		R->req->state_hint->path = R->pit_path;
		R->pit_path = NULL;
		return;
	}
	unlink(R->pit_path);
	free(R->pit_path);
	R->pit_path = NULL;
}

/*
 * Start the workers' read transactions on one committed state, and give
 * them one point-in-time state: while a separate connection holds the
 * write lock, nothing can commit. Worker 0 builds the state into a
 * scratch file and commits it there (the store is only read), every
 * other worker attaches that file, and then each begins its read
 * transaction. Each connection used to build its own state: with two,
 * the state cost twice the cpu of one. The write lock is held while the
 * state is built (seconds on large stores): an ingest that wants to
 * commit meanwhile waits (its busy timeout is longer). Returns 0, or -1
 * when the lock cannot be had soon or the shared state cannot be built
 * (then the caller runs on one connection).
 */
static int share_snapshot(struct runner *R, struct store *s, struct worker *w, size_t n)
{
	sqlite3 *lock = NULL;
	struct pit_filter f;
	struct diag ignored;
	int ok = 0;

	if (pit_ensure_ready(s, &ignored))
		return -1;
	if (sqlite3_open_v2(s->path, &lock, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(lock, SHARE_LOCK_WAIT_MS);
		ok = sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	}
	if (ok && (ok = make_scratch(R, s) == 0)) {
		double t0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();

		state_filter(R, &f);
		ok = pit_share_build(w[0].s, &f, R->pit_path, &ignored) == 0;
		w[0].pit_wall = time_monotonic_seconds() - t0;
		w[0].pit_cpu = time_thread_cpu_seconds() - c0;
	}
	for (size_t i = 1; ok && i < n; i++) {
		double t0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();

		ok = pit_share_attach(w[i].s, R->pit_path, &ignored) == 0;
		w[i].pit_wall = time_monotonic_seconds() - t0;
		w[i].pit_cpu = time_thread_cpu_seconds() - c0;
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = sqlite3_exec(w[i].s->db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL,
				  NULL, NULL) == SQLITE_OK;
	if (lock) {
		sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(lock);
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			if (!sqlite3_get_autocommit(w[i].s->db))
				sqlite3_exec(w[i].s->db, "ROLLBACK", NULL, NULL, NULL);
		drop_shared(R, w, n, 0);
		w[0].pit_wall = w[0].pit_cpu = 0;
	}
	return ok ? 0 : -1;
}

static size_t runnable_rules(const struct plan *plan)
{
	size_t n = 0;

	for (size_t i = 0; i < plan->nr; i++)
		n += planned_rule_runs(&plan->rules[i]);
	return n;
}

/* Open the extra connections; fewer when they cannot be opened. */
static size_t open_workers(struct store *s, struct worker *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct diag ignored;

		w[i].s = store_open(s->path, STORE_READ_ONLY, &ignored);
		if (!w[i].s)
			return i;
	}
	return n;
}

static void report_timings(const struct runner *R, const struct worker *w, size_t n)
{
	const struct eval_request *req = R->req;

	if (!req->on_timing)
		return;
	for (size_t i = 0; i < n; i++) {
		char what[96];

		/* built from the prior run's state (store/pit.h) */
		const char *from = i == 0 && req->state_hint && req->state_hint->from_prior
					   ? ", from the prior run's"
					   : "";

		if (n == 1)
			snprintf(what, sizeof(what), "(point-in-time state%s)", from);
		else
			snprintf(what, sizeof(what), "(point-in-time state, connection %zu%s)", i + 1,
				 from);
		req->on_timing("", what, w[i].pit_wall, w[i].pit_cpu, 0, req->cb_ctx);
		for (size_t t = 0; t < derived_count(); t++)
			if (w[i].derived_built & DERIVED_BIT(t))
				req->on_timing("", derived_name(t), w[i].derived_wall[t],
					       w[i].derived_cpu[t], 0, req->cb_ctx);
	}
	for (size_t i = 0; i < R->plan->nr; i++) {
		const struct planned_rule *pr = &R->plan->rules[i];

		if (pr->ran)
			req->on_timing(pr->pack_name, pr->config_rule_name, pr->wall, pr->cpu,
				       pr->rows, req->cb_ctx);
	}
}

/* Ready each worker's connection: its results, no derived tables left
 * from before, the SQL helper functions at the evaluation time. Returns
 * 0, or -1 with d filled. */
static int ready_workers(struct runner *R, struct worker *w, size_t n, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		w[i].R = R;
		w[i].index = i;
		w[i].results = resultbuf_new();
		strbuf_init(&w[i].key, 0);
		resultbuf_set_resolver(w[i].results, resolve_key, &w[i]);
		derived_drop_all(w[i].s);
		if (sqlfuncs_register(w[i].s->db, R->as_of_ms) != SQLITE_OK ||
		    evidence_sql_register(w[i].s->db, R->as_of_ms,
					  R->req->max_age_ms > 0 ? R->req->max_age_ms
								 : COVERAGE_DEFAULT_MAX_AGE_MS) !=
			SQLITE_OK)
			return store_error(w[i].s, d, "cannot register the SQL helper functions");
	}
	return 0;
}

/* Run the workers: worker 0 on this thread, the others on their own. */
static void run_workers(struct worker *w, size_t n)
{
	size_t started = 1;

	if (n == 1) {
		worker_main(&w[0]);
		return;
	}
	for (; started < n; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]))
			break;
	worker_main(&w[0]); /* this thread is worker 0 */
	for (size_t i = 1; i < started; i++)
		pthread_join(w[i].thread, NULL);
}

/* Hand the workers' results, counts and the run's scope over to o. */
static void collect_output(struct runner *R, struct worker *w, size_t n,
			   struct runner_output *o)
{
	o->results = xcalloc(n, sizeof(*o->results));
	for (size_t i = 0; i < n; i++) {
		resultbuf_set_resolver(w[i].results, NULL, NULL); /* w goes */
		o->results[o->n_results++] = w[i].results;
		w[i].results = NULL;
		o->rules_evaluated += w[i].rules_evaluated;
		for (int k = 0; k < 4; k++)
			o->counts[k] += w[i].counts[k];
	}
	o->scope = R->scope;
	o->n_scope = R->n_scope;
	R->scope = NULL;
	R->n_scope = 0;
}

int runner_evaluate(struct store *s, const struct eval_request *req, struct plan *plan,
		    int64_t as_of_ms, struct runner_output *o, struct diag *d)
{
	return runner_evaluate_hooked(s, req, plan, as_of_ms, NULL, NULL, o, d);
}

/* End every worker's transaction (committed when ok), drop its tables and
 * results, and close the connections the run opened. */
static void close_workers(struct runner *R, struct worker *w, size_t n, int ok)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_finalize(w[i].key_query);
		strbuf_release(&w[i].key);
		derived_drop_all(w[i].s);
		for (size_t t = 0; t < DERIVED_MAX; t++)
			free(w[i].derived_error[t]);
		if (!sqlite3_get_autocommit(w[i].s->db))
			sqlite3_exec(w[i].s->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
		resultbuf_free(w[i].results);
	}
	drop_shared(R, w, n, ok);
	for (size_t i = 1; i < n; i++)
		store_close(w[i].s);
}

int runner_evaluate_hooked(struct store *s, const struct eval_request *req, struct plan *plan,
			   int64_t as_of_ms,
			   int (*on_state)(struct store *s, int first, void *ctx, struct diag *d),
			   void *state_ctx, struct runner_output *o, struct diag *d)
{
	struct runner R;
	struct worker *w = NULL;
	size_t n = req->jobs > 1 ? (size_t)req->jobs : 1, runnable = runnable_rules(plan);
	int ret = -1;

	memset(o, 0, sizeof(*o));
	memset(&R, 0, sizeof(R));
	R.req = req;
	R.plan = plan;
	R.as_of_ms = as_of_ms;
	R.on_state = on_state;
	R.state_ctx = state_ctx;
	pthread_mutex_init(&R.lock, NULL);
	if (shard_load(s, &R.shard, d) < 0)
		goto out;
	if (n > runnable)
		n = runnable ? runnable : 1;
	for (size_t i = 0; i < plan->nr; i++)
		if (planned_rule_runs(&plan->rules[i]))
			R.derived_needed |= plan->rules[i].derived = derived_needs(&plan->rules[i]);
	w = xcalloc(n, sizeof(*w));
	w[0].s = s;
	n = open_workers(s, w, n);
	R.workers = w;
	/* One connection too reads the state from the scratch file: its
	 * pages are then the file's, not private memory (c: 70 MB). */
	if (runnable && share_snapshot(&R, s, w, n)) {
		for (size_t i = 1; i < n; i++)
			store_close(w[i].s);
		n = 1;
	}
	if (!R.pit_path && store_exec(s, "BEGIN", d))
		goto out;
	R.n_workers = n;
	if (ready_workers(&R, w, n, d))
		goto end;
	run_workers(w, n);
	for (size_t i = 0; i < n; i++) {
		if (w[i].failed) {
			*d = w[i].err;
			goto end;
		}
	}
	report_timings(&R, w, n);
	collect_output(&R, w, n, o);
	ret = 0;
end:
	for (size_t i = 0; i < plan->nr; i++) { /* prepared ahead, not taken */
		sqlite3_finalize(plan->rules[i].prepared);
		plan->rules[i].prepared = NULL;
	}
	close_workers(&R, w, n, ret == 0);
out:
	for (size_t i = 0; i < R.n_scope; i++)
		free(R.scope[i]);
	free(R.scope);
	free(w);
	shard_release(&R.shard);
	pthread_mutex_destroy(&R.lock);
	return ret;
}

void runner_output_release(struct runner_output *o)
{
	for (size_t i = 0; i < o->n_results; i++)
		resultbuf_free(o->results[i]);
	free(o->results);
	for (size_t i = 0; i < o->n_scope; i++)
		free(o->scope[i]);
	free(o->scope);
	memset(o, 0, sizeof(*o));
}
