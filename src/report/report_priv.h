/*
 * report_priv: the loaded run model that every report back end reads, the
 * AWS Config roll-ups computed from it, and the escapers for each output
 * syntax. Private to src/report/; the public interface is report.h.
 *
 * The model is loaded once (report_model.c): the run row, its pack and rule
 * files, its rules (evaluated or not), the (account, region) pairs it
 * covered and its results, restricted to the --account / --region
 * selection. The roll-ups (rule per pair, pack per pair, counts, scores)
 * are computed from that selection before the --compliance filter, which
 * only decides which rows a back end lists.
 */
#ifndef CFGAUDIT_REPORT_PRIV_H
#define CFGAUDIT_REPORT_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* ComplianceType, in the order the API documents it. */
enum rp_ct { RP_COMPLIANT, RP_NON_COMPLIANT, RP_NOT_APPLICABLE, RP_INSUFFICIENT_DATA, RP_CT_N };

/* The enum value as the API spells it. */
const char *rp_ct_name(enum rp_ct ct);

/* One row of results. Strings are owned by the model. */
struct rp_result {
	const char *pack;	/* pack_name, "" for --rule runs */
	const char *rule;	/* config_rule_name */
	const char *account;	/* account_id */
	const char *region;	/* aws_region ('global' for IAM) */
	const char *rtype;	/* resource_type */
	const char *rid;	/* resource_id */
	const char *annotation; /* NULL when the rule gave none */
	const char *name;	/* the item's resourceName, NULL if none (or no item) */
	const char *arn;	/* the item's ARN, NULL if none (or no item) */
	enum rp_ct ct;		/* compliance_type */
	int has_key;		/* item_key is set (NULL for AWS::::Account) */
	unsigned char item_key[STORE_KEY_LEN];
	size_t pair;	 /* index into model.pairs */
	size_t rule_idx; /* index into model.rules */
	long waiver;	 /* index into model.waivers of the waiver that covers
			  * this NON_COMPLIANT result, or -1 */
	int listed;	 /* passes the --compliance filter */
};

/* One row of run_rules, with its file from run_files. */
struct rp_rule {
	const char *pack;	 /* pack_name, "" for --rule */
	const char *name;	 /* config_rule_name */
	const char *identifier;	 /* SourceIdentifier */
	const char *owner;	 /* 'AWS' */
	int evaluated;		 /* 1 evaluated, 0 not */
	const char *reason;	 /* why not evaluated, or NULL */
	const char *parameters;	 /* JSON object text */
	const char *scope;	 /* JSON object text */
	const char *rule_sha256; /* from run_rules (covers a shared statement too), or NULL */
	const char *path;	 /* the rule file's path (run_files), or NULL */
	const char *file_sha256; /* the rule file's digest (run_files), or NULL */
	/* What to fix first (store/triage.h); "" / NULL when not recorded. */
	const char *severity;	     /* "critical" .. "low", "" unrated */
	int severity_rank;	     /* critical 4 .. low 1, unrated 0 */
	const char *severity_source; /* or NULL */
	const char *remediation;     /* or NULL */
	const char *documentation;   /* AWS's page of the managed rule, or NULL */
};

/* One row of run_files. */
struct rp_file {
	const char *role; /* 'pack' or 'rule' */
	const char *name; /* pack name or rule identifier */
	const char *path;
	const char *sha256;
};

/* An (account, region) pair of the selection. */
struct rp_pair {
	const char *account;
	const char *region;
	int from_scope;	    /* listed in run_scope (else only seen in results, e.g. 'global') */
	size_t account_idx; /* index into model.accounts */
};

/* The data coverage the run recorded for one account-region of the
 * selection (store/coverage.h). */
struct rp_coverage {
	const char *account;	   /* account_id */
	const char *region;	   /* aws_region ('global' for IAM) */
	const char *snapshot_time; /* report form, NULL: no snapshot at or before as-of */
	const char *latest;	   /* report form, NULL: no data at or before as-of */
	int complete;		   /* a snapshot at or before as-of */
	int stale;		   /* no delivery within max-age of as-of (or none) */
	const char *status;	   /* "missing", "stale", "incomplete" or "fresh" */
};
/* A rule's compliance in one pair (the ComplianceByConfigRule roll-up). */
struct rp_rulepair {
	size_t rule;	   /* index into model.rules */
	size_t pair;	   /* index into model.pairs */
	enum rp_ct ct;	   /* COMPLIANT, NON_COMPLIANT or INSUFFICIENT_DATA */
	long n[RP_CT_N];   /* results of each type */
	size_t first, end; /* its results: model.results[first..end) */
};

/* A pack's compliance in one pair. */
struct rp_packpair {
	const char *pack;
	size_t pair;
	enum rp_ct ct; /* COMPLIANT, NON_COMPLIANT or INSUFFICIENT_DATA */
	long compliant_rules, noncompliant_rules, total_rules;
};

/* A pack's compliance score, overall (account NULL) or in one account. */
struct rp_score {
	const char *pack;
	const char *account; /* NULL for the pack over the whole selection */
	long compliant;	     /* compliant rule-resource pairs */
	long noncompliant;   /* non-compliant rule-resource pairs */
};

/* Rule counts for one group of AggregateComplianceCounts. */
struct rp_count {
	const char *group; /* account id or region */
	long compliant, noncompliant;
};

/* An entry of the run's waivers file, as the run recorded it. */
struct rp_waiver {
	long no, line;	    /* position in the file (0-based), line */
	const char *rule, *account, *resource, *reason, *approved_by, *expires;
	const char *status; /* "active", "expired" or "unused" */
	long matched;	    /* results it waived (expired: would have) in the run */
};

/* A problem the run met (store/run_errors.h): the run is incomplete. */
struct rp_error {
	const char *kind;    /* "plan" or "evaluation" */
	const char *path;    /* file the problem is in, "" if none */
	long line;	     /* 1-based line in path, 0 if unknown */
	const char *message;
};

/* An input file that failed to load and was not loaded since, as of the
 * run's start. */
struct rp_failed_file {
	const char *path;	 /* as ingest recorded it */
	const char *error;	 /* why it failed */
	const char *ingested_at; /* report form */
};

/* How many of the run's rules reached a verdict: the coverage that goes
 * next to every score. rules = verdict + no_data + not_evaluated. */
struct rp_tally {
	long rules;	    /* every rule of the run */
	long verdict;	    /* COMPLIANT or NON_COMPLIANT somewhere in the group */
	long no_data;	    /* evaluated, but no verdict in the group */
	long not_evaluated; /* could not be evaluated (custom, manual, no rule file, invalid) */
};

struct rp_arena;  /* string storage of the model */
struct rp_strtab; /* the model's interned strings */

struct rp_model {
	const struct report_options *opt;
	int64_t run_id;
	const char *started_at, *finished_at, *as_of; /* report form (seconds), "" if NULL */
	const char *status, *tool_version, *filters;  /* filters is JSON text */

	struct rp_file *files;
	size_t n_files;
	struct rp_rule *rules; /* sorted by (pack, name) */
	size_t n_rules;
	struct rp_pair *pairs; /* sorted by (account, region) */
	size_t n_pairs;
	struct rp_result *results; /* sorted by (account, region, pack, rule, type, id) */
	size_t n_results;

	struct rp_rulepair *rulepairs; /* sorted by (pair, rule) */
	size_t n_rulepairs;
	struct rp_packpair *packpairs; /* sorted by (pair, pack) */
	size_t n_packpairs;
	struct rp_score *scores; /* overall ones first (sorted by pack), then by (account, pack) */
	size_t n_scores, n_overall_scores;
	struct rp_count *by_account, *by_region;
	size_t n_by_account, n_by_region;

	const char **packs; /* distinct pack names of evaluated rules, sorted */
	size_t n_packs;
	const char **accounts; /* distinct accounts of the selection, sorted */
	size_t n_accounts;

	int noncompliant; /* a listed result is NON_COMPLIANT and not waived */
	int waivers_used;	     /* the run was given a waivers file */
	const char *waivers_path, *waivers_sha256; /* its path and digest */
	struct rp_waiver *waivers;   /* its entries, in file order */
	size_t n_waivers;
	long n_waived;		     /* NON_COMPLIANT results of the selection that are waived */
	int coverage_recorded;	     /* the run recorded its data coverage */
	struct rp_coverage *coverage; /* sorted by (account, region); selected pairs only */
	size_t n_coverage;
	size_t n_coverage_flagged;   /* stale or incomplete ones */
	const char *max_age;	     /* the run's --max-age ("26h"), "" when not recorded */
	int64_t max_age_ms;	     /* the same in ms, 0 when not recorded */

	struct rp_error *errors;     /* what the run could not evaluate; n_errors > 0:
				      * the run is incomplete */
	size_t n_errors;
	struct rp_failed_file *failed; /* input files that failed to load, by path */
	size_t n_failed;
	struct rp_tally tally;	       /* over the selection */
	struct rp_tally *tally_by_account; /* in the order of accounts */
	struct rp_controls *controls; /* the control view (report_controls.c), or NULL */
	struct rp_org *org;	      /* account names and OU paths (report_org.c), or NULL */
	struct comparison *aws;       /* AWS's verdicts beside the run (compare.h), HTML
				       * only, or NULL when the store holds none */
	struct rp_arena *arena;
	struct rp_strtab *strtab;
};

/* A rule with NON_COMPLIANT results in the selection, as the reports list
 * what to fix (report_triage.c). */
struct rp_fix {
	size_t rule;	   /* index into model.rules */
	long noncompliant; /* its NON_COMPLIANT results */
	long waived;	   /* of those, covered by a waiver */
	long open;	   /* noncompliant - waived */
	size_t accounts;   /* accounts with a NON_COMPLIANT result */
};

/* The rules to fix, most severe first, then by open (unwaived)
 * non-compliant results, then by name. Sets *n; the caller frees. */
struct rp_fix *rp_fix_list(const struct rp_model *m, size_t *n);

/* Load run o->run_id (which must be > 0) and compute the roll-ups.
 * Returns 0 or -1 with d filled; release with rp_model_free either way. */
int rp_model_load(struct store *s, const struct report_options *o, struct rp_model *m,
		  struct diag *d);
void rp_model_free(struct rp_model *m);

/* report_honest.c: load the run's errors and the failed input files,
 * check that every --account and --region of the selection is in the
 * run (else -1 with d naming the nearest ones), and count the tallies.
 * Called by rp_model_load after the roll-ups. */
int rp_honest_load(struct store *s, struct rp_model *m, struct diag *d);
void rp_honest_free(struct rp_model *m);
/* Model strings for the honest parts (interned in the model). */
const char *rp_model_string(struct rp_model *m, const char *s);
/* "N of M rules reached a verdict; K rules no data; J not evaluated" */
void rp_tally_text(const struct rp_tally *t, struct strbuf *sb);
/* The HTML sections of an incomplete run's errors, the failed input
 * files and the rule coverage (first in the page's main part). */
void rp_html_honest(const struct rp_model *m, struct strbuf *sb);
/* "PATH:LINE: MESSAGE" (PATH and LINE when known) */
void rp_error_text(const struct rp_error *e, struct strbuf *sb);

/* The coverage entry of (account, region), or NULL. */
const struct rp_coverage *rp_coverage_find(const struct rp_model *m, const char *account,
					   const char *region);
/* Does a compliance type pass the --compliance selection? */
int rp_compliance_selected(const struct rp_model *m, const char *type);

/* Score as the API prints it: "84.0", or "INSUFFICIENT_DATA". out: 24 bytes. */
void rp_score_text(long compliant, long noncompliant, char *out);

/* An index of the results in the order --by asks for (text and csv).
 * Caller frees. */
size_t *rp_results_order(const struct rp_model *m, enum report_group by);

/* Escapers. Each appends to sb a form of s (len bytes) that is safe in the
 * target syntax; invalid UTF-8 never passes through. */
/* (Valid UTF-8 for jansson and CSV: utf8_clean, util/utf8.h.) */
/* A JSON string of s (NULL: null), cleaned to valid UTF-8 for jansson
 * (which refuses invalid UTF-8). */
struct json_t *rp_json_text(const char *s);
/* HTML text and attribute values: & < > " ' as entities, control
 * characters and invalid UTF-8 as U+FFFD. */
void rp_html_escape(struct strbuf *sb, const char *s);
/* XML 1.0 text and attributes: entities as for HTML, characters XML does
 * not allow removed, invalid UTF-8 as U+FFFD, TAB/LF/CR as character
 * references (so that attribute values keep them). */
void rp_xml_escape(struct strbuf *sb, const char *s);
/* Terminal: controls and invalid UTF-8 as \xNN (util/term.h), then cut to
 * at most width columns (code points) with a trailing ellipsis. */
void rp_term_fit(struct strbuf *sb, const char *s, size_t width);
/* Number of code points in valid UTF-8 text. */
size_t rp_utf8_width(const char *s);

/* Controls (report_controls.c): the report by framework control, when a
 * mapping is in effect (--controls, or --by control and a shipped mapping
 * that names the run's pack). Each hook does nothing without one. */
enum rp_cstatus { RP_CS_COMPLIANT, RP_CS_NON_COMPLIANT, RP_CS_NOT_APPLICABLE,
		  RP_CS_INSUFFICIENT_DATA, RP_CS_NOT_EVALUATED };
struct rp_controls;
const char *rp_cstatus_name(enum rp_cstatus s);
/* Build m->controls after rp_model_load. Returns 0 (also when no mapping
 * is asked for) or -1 with d filled. */
int rp_controls_attach(struct rp_model *m, struct diag *d);
void rp_controls_free(struct rp_controls *cs);
void rp_controls_text(const struct rp_model *m, FILE *out);	    /* the control table */
void rp_controls_text_results(const struct rp_model *m, FILE *out); /* --by control */
struct json_t;
/* "Controls" (ids, as ConformancePackRuleCompliance.Controls) on a rule's object. */
void rp_controls_json_rule(const struct rp_model *m, size_t rule, struct json_t *o);
/* A waiver entry as JSON (report_json.c): Rule .. Line, and with full its
 * Status and Matched too. */
struct json_t *rp_waiver_json(const struct rp_waiver *w, int full);
/* The per-control section (m->controls must be set). */
struct json_t *rp_controls_json(const struct rp_model *m);
int rp_controls_csv(const struct rp_model *m, FILE *out, struct diag *d);   /* --by control */
void rp_controls_html(const struct rp_model *m, struct strbuf *sb);
void rp_compare_html(const struct rp_model *m, struct strbuf *sb); /* compare.c */	     /* table first */
int rp_controls_junit(const struct rp_model *m, FILE *out, struct diag *d); /* --by control */

/* Organizations (report_org.c): account names and OU paths from the
 * store's Organizations evidence (aws organizations list-accounts,
 * list-parents, list-organizational-units-for-parent) captured within the
 * run's --max-age of its as-of time, never guessed, and the accounts
 * grouped by OU path for --by ou. */
#define RP_OU_NO_EVIDENCE "(no Organizations evidence)"
#define RP_OU_NO_PATH "(OU path not in Organizations evidence)"
struct rp_org;
/* What the evidence says of one account of the selection. */
struct rp_org_account {
	const char *name;	 /* its name, or NULL: not in a fresh list-accounts answer */
	const char *ou_path;	 /* "Root/Workloads/Prod", or NULL when unknown */
	const char *management;	 /* whose list-accounts answer named it, or NULL */
	const char *captured_at; /* that answer's capture time (report form), or NULL */
};
/* A list-accounts answer at or before the as-of time. */
struct rp_org_source {
	const char *management;	 /* the management account */
	const char *captured_at; /* report form */
	int fresh;		 /* within --max-age of the as-of time: used */
};
/* The accounts of the selection under one OU path (or one of the two
 * labels above), with what the report shows of them. */
struct rp_ou_group {
	const char *path;      /* OU path, RP_OU_NO_PATH or RP_OU_NO_EVIDENCE */
	size_t *accounts;      /* indices into model.accounts, ascending */
	size_t n_accounts;
	long rules_compliant;	 /* sums of model.by_account (rules per region) */
	long rules_noncompliant;
	long rules_nodata;	 /* INSUFFICIENT_DATA rule-region pairs */
	struct rp_tally tally;	 /* rules reaching a verdict in the group */
	struct rp_score *scores; /* per pack (model.packs order), account NULL */
};
/* Load m->org (after rp_model_load). Returns 0 (also without evidence)
 * or -1 with d filled. */
int rp_org_attach(struct store *s, struct rp_model *m, struct diag *d);
void rp_org_free(struct rp_org *o);
/* Whether the report shows Organizations data: some list-accounts answer
 * at or before the as-of time, or --by ou. */
int rp_org_shown(const struct rp_model *m);
/* The entry of account index a (never NULL; its fields NULL when unknown). */
const struct rp_org_account *rp_org_account(const struct rp_model *m, size_t a);
/* The entry of an account id, or NULL when not in the selection. */
const struct rp_org_account *rp_org_account_by_id(const struct rp_model *m, const char *id);
/* The OU path label of account index a: its path, RP_OU_NO_PATH or
 * RP_OU_NO_EVIDENCE. */
const char *rp_org_ou_label(const struct rp_model *m, size_t a);
/* "111122223333 (prod)", or the id alone when the name is unknown. */
void rp_account_label(const struct rp_model *m, const char *account, struct strbuf *sb);
/* The list-accounts answers at or before the as-of time, newest first. */
const struct rp_org_source *rp_org_sources(const struct rp_model *m, size_t *n);
/* The OU groups: known paths in order, then RP_OU_NO_PATH, then
 * RP_OU_NO_EVIDENCE (empty groups left out). */
const struct rp_ou_group *rp_ou_groups(const struct rp_model *m, size_t *n);
/* The results ordered by OU group, then as --by account orders them.
 * Caller frees. */
size_t *rp_org_results_order(const struct rp_model *m);

/* The back ends. Each writes the whole document to out and returns 0, or
 * -1 with d filled (write errors are checked by the caller). */
int rp_render_text(const struct rp_model *m, FILE *out, struct diag *d);
int rp_render_json(const struct rp_model *m, FILE *out, struct diag *d);
int rp_render_csv(const struct rp_model *m, FILE *out, struct diag *d);
int rp_render_html(const struct rp_model *m, FILE *out, struct diag *d);
int rp_render_junit(const struct rp_model *m, FILE *out, struct diag *d);

#endif
