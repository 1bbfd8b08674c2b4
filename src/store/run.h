/*
 * run: stored evaluation runs and their results -- the tables runs,
 * run_files, run_rules, run_scope and run_results (read through the view
 * results, which gives each result its rule's pack and name back).
 *
 * eval writes a run with run_store_write, in one transaction; reports,
 * bundles and drift read it back with run_find and the run_*_each
 * walkers. No other module names these tables.
 *
 * Walkers call fn once per row with a record whose strings are borrowed:
 * valid during the call only. They return 0, or -1 with d filled.
 */
#ifndef CFGAUDIT_STORE_RUN_H
#define CFGAUDIT_STORE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "store/coverage.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/keymap.h"
#include "util/strbuf.h"

/* One evaluation run (a row of runs). */
struct run_record {
	int64_t id;               /* run_id, set by run_store_write */
	const char *started_at;   /* canonical time */
	const char *finished_at;  /* canonical time; NULL while running */
	const char *as_of;        /* the evaluated point in time, canonical */
	const char *tool_version; /* cfgaudit's version */
	const char *filters;      /* JSON {accounts: [...], regions: [...]} */
	const char *status;       /* running, complete or failed */
	char *block_;             /* run_find: the strings above live here */
};

/* One rule a run was asked for, evaluated or not (a row of run_rules). */
struct run_rule_record {
	const char *pack_name;        /* "" for --rule */
	const char *config_rule_name; /* the name reports use */
	const char *identifier;       /* SourceIdentifier, "" when none */
	const char *owner;            /* AWS, CUSTOM_LAMBDA, CUSTOM_POLICY */
	int evaluated;                /* 1 evaluated, 0 not (reason says why) */
	const char *reason;           /* why not evaluated, or NULL */
	const char *parameters;       /* resolved parameters, JSON object of strings */
	const char *scope;            /* the pack rule's Scope, JSON object */
	const char *rule_sha256;      /* of the rule file (and its shared statement), or NULL */
	int rule_no;                  /* numbers the run's rules for run_results */
};

/* A pack or rule file a run used, with its exact content (run_files). */
struct run_file_record {
	const char *role;    /* "pack" or "rule" */
	const char *name;    /* pack name, rule identifier or "shared/NAME" */
	const char *path;    /* where it was read */
	const char *sha256;  /* hex digest of content (computed when writing if NULL) */
	const char *content; /* the bytes, len of them */
	size_t len;
};

/* One verdict of a run on one resource (run_results, by way of results). */
struct run_result_record {
	const char *pack_name, *config_rule_name;
	const char *account_id, *aws_region, *resource_type, *resource_id;
	const char *compliance_type;  /* COMPLIANT, NON_COMPLIANT, ... */
	const char *annotation;       /* or NULL */
	const unsigned char *item_key; /* STORE_KEY_LEN bytes, or NULL (AWS::::Account) */
	const char *resource_name, *arn; /* of the judged item, when known (run_results_each) */
};

/* ---- writing ---- */

/* What a run used and found, beside its run_record. Borrowed. */
struct run_contents {
	const struct run_file_record *files; /* sha256 computed here unless given; repeats
						ignored */
	size_t n_files;
	const struct run_rule_record *rules;
	size_t n_rules;
	const char *const *scope; /* account, region, account, region, ... */
	size_t n_scope;           /* entries (twice the pairs) */
	const struct coverage *coverage;
	/* Inserts the results under run_id inside the run's transaction
	 * (with run_results_insert_from), returns 0 or -1 with d filled. */
	int (*write_results)(struct store *s, int64_t run_id, void *ctx, struct diag *d);
	void *results_ctx;
	/* Records what other modules keep of the run (triage, waivers) in
	 * the same transaction, after everything above; or NULL. */
	int (*write_more)(struct store *s, int64_t run_id, void *ctx, struct diag *d);
	void *more_ctx;
};

/* Record a complete run in one write transaction: r (status is
 * 'complete' whatever r says) and c. Sets r->id. Returns 0, or -1 with d
 * filled and nothing recorded. */
int run_store_write(struct store *s, struct run_record *r, const struct run_contents *c,
		    struct diag *d);

/* The numbers a run's new run_resources and run_annotations rows start
 * at (one past the highest stored). Inside the run's transaction, so
 * that no other writer takes them. Returns 0 or -1 with d filled. */
int run_results_next_numbers(struct store *s, int64_t *resource_no, int64_t *annotation_no,
			     struct diag *d);

/*
 * run_digest: what counting a run's results needs of them, for a later
 * run stored by reference to it (since.c's count_all), in one blob
 * instead of a read of every row. Written by run_results_insert_from for
 * the rows it inserts (a run whose rows it all wrote), as its caller
 * built it (run_digest_build); the rows are those of run_results of the
 * run with rowid in [rowid_lo, rowid_hi]. A delete
 * or update of a run's results drops its digest (triggers); a reader
 * checks that no row of the run lies outside the range, else reads the
 * rows. Created on first use (not part of the schema's version).
 * The blob, in this machine's byte order: run_digest_head; the places
 * (account NUL region NUL, n_places of them, places_len bytes); n_rows
 * run_digest_row; n_res run_digest_res (the run's new run_resources rows
 * and keymap_hash of their item key, 0 without).
 */
#define RUN_DIGEST_MAGIC 0x43464431u /* "CFD1" */
struct run_digest_head {
	uint32_t magic, n_places, places_len, pad;
	uint64_t n_rows, n_res;
};
struct run_digest_row {
	int64_t resource_no;
	int32_t rule_no, place, verdict, pad;
};
struct run_digest_res {
	int64_t resource_no;
	uint64_t key_hash;
};
#define RUN_DIGEST_SQL                                                                    \
	"CREATE TABLE IF NOT EXISTS run_digest(\n"                                        \
	"  run_id   INTEGER PRIMARY KEY,\n"                                               \
	"  rowid_lo INTEGER NOT NULL,\n"                                                  \
	"  rowid_hi INTEGER NOT NULL,\n"                                                  \
	"  digest   BLOB NOT NULL);\n"                                                    \
	"CREATE TRIGGER IF NOT EXISTS run_digest_delete AFTER DELETE ON run_results\n"    \
	" BEGIN DELETE FROM run_digest WHERE run_id = OLD.run_id; END;\n"                 \
	"CREATE TRIGGER IF NOT EXISTS run_digest_update AFTER UPDATE ON run_results\n"    \
	" BEGIN DELETE FROM run_digest WHERE run_id IN (OLD.run_id, NEW.run_id); END;\n"

/* A run_digest being built, by the caller of run_results_insert_from
 * while it produces the rows: a place number per (account, region) from
 * run_digest_place, the rows appended to rows (ALLOC_GROW), the new
 * run_resources rows with run_digest_add_res. bad: a value the digest
 * cannot keep (then none is written). */
struct run_digest_build {
	struct keymap places; /* account NUL region -> place number */
	struct strbuf ptext;  /* the places, as the digest keeps them */
	struct run_digest_row *rows;
	size_t n_rows, alloc_rows;
	struct run_digest_res *res;
	size_t n_res, alloc_res;
	int bad;
	char last[404]; /* the last place asked for, and its number */
	size_t last_len;
	int32_t last_place;
};
void run_digest_init(struct run_digest_build *g);
void run_digest_release(struct run_digest_build *g);
/* The number of a place, numbered in the order they are first asked for. */
int32_t run_digest_place(struct run_digest_build *g, const char *account, size_t account_len,
			 const char *region, size_t region_len);
/* A new run_resources row (item_key NULL: none), in the order inserted. */
void run_digest_add_res(struct run_digest_build *g, int64_t resource_no, const void *item_key,
			size_t len);

/* Insert the rows of three tables (or virtual tables), named resources
 * (columns resource_no, resource_type, resource_id, item_key: new
 * run_resources rows, numbered from run_results_next_numbers),
 * annotations (annotation_no, annotation: new run_annotations rows) and
 * results (rule_no, account_id, aws_region, resource_no, verdict as
 * eval_compliance_names' index, annotation_no or NULL), the last into
 * run_results under run_id in its own order, and the digest g of those
 * rows (NULL: none) as run_digest. For run_contents.write_results.
 * Returns 0 or -1 with d filled. */
int run_results_insert_from(struct store *s, int64_t run_id, const char *resources,
			    const char *annotations, const char *results,
			    struct run_digest_build *g, struct diag *d);

/* ---- reading ---- */

/* Read run id into r (released with run_record_release). Returns 0, 1
 * when there is no such run (r cleared), or -1 with d filled. */
int run_find(struct store *s, int64_t id, struct run_record *r, struct diag *d);
void run_record_release(struct run_record *r);


/* The run's rules in (pack_name, config_rule_name) order. */
int run_rules_each(struct store *s, int64_t run_id,
		   void (*fn)(const struct run_rule_record *r, void *ctx), void *ctx,
		   struct diag *d);

/* The run's files in (role, name) order, with their content. */
int run_files_each(struct store *s, int64_t run_id,
		   void (*fn)(const struct run_file_record *f, void *ctx), void *ctx,
		   struct diag *d);

/* The (account, region) pairs the run covered, in that order. */
int run_scope_each(struct store *s, int64_t run_id,
		   void (*fn)(const char *account_id, const char *aws_region, void *ctx),
		   void *ctx, struct diag *d);

/* The distinct accounts (with regions set: regions) of the run's scope
 * and results, sorted. */
int run_scope_values_each(struct store *s, int64_t run_id, int regions,
			  void (*fn)(const char *value, void *ctx), void *ctx, struct diag *d);

enum run_results_order {
	RUN_RESULTS_STORED,  /* every result, in the order they were stored */
	RUN_RESULTS_BY_ITEM, /* results with an item key only, by (item_key, pack,
			      * rule, account, region, type, id) */
};

/* The run's results, in the given order. */
int run_results_each(struct store *s, int64_t run_id, enum run_results_order order,
		     void (*fn)(const struct run_result_record *r, void *ctx), void *ctx,
		     struct diag *d);

/* ---- comparing two runs (cfgaudit-diff(1)) ---- */

/* A verdict that changed from run a to run b, per (pack, rule, account,
 * region, type, id). */
struct run_change {
	const char *kind;              /* BecameNonCompliant, BecameCompliant or
					* ResolvedByRemoval (NON_COMPLIANT in a, no
					* result in b) */
	struct run_result_record r;    /* b's result; a's for ResolvedByRemoval */
	const char *before, *after;    /* the compliance in a and b, or NULL */
};

/* The changes, ordered by (account, kind, pack, rule, region, type, id). */
int run_changes_each(struct store *s, int64_t a, int64_t b,
		     void (*fn)(const struct run_change *c, void *ctx), void *ctx,
		     struct diag *d);

/* A pack's compliance score in one account in runs a and b: compliant
 * pairs over compliant plus non-compliant pairs, times 100. */
struct run_pack_score {
	const char *account_id, *pack_name;
	int has_a, has_b;     /* 0: no compliant or non-compliant result */
	double score_a, score_b;
};

/* Every (account, pack) with results in a or b, in that order. */
int run_pack_scores_each(struct store *s, int64_t a, int64_t b,
			 void (*fn)(const struct run_pack_score *p, void *ctx), void *ctx,
			 struct diag *d);

#endif
