/*
 * cli_eval: the evaluation options that eval, audit and diff share
 * (--pack, --rule, --param, --as-of, --account, --region, --rules-dir,
 * --timings, --jobs, --max-age),
 * parsed in one place so that the three commands cannot drift apart.
 */
#ifndef CFGAUDIT_CLI_EVAL_H
#define CFGAUDIT_CLI_EVAL_H

#include <getopt.h>

#include "cli/cli.h"
#include "eval/eval.h"
#include "rules/rule.h"

/* The pack evaluated when neither --pack nor --rule is given. */
#define CLI_DEFAULT_PACK "Operational-Best-Practices-for-Security-Identity-and-Compliance-Services"

enum {
	OPT_PACK = 1000,
	OPT_RULE,
	OPT_PARAM,
	OPT_AS_OF,
	OPT_ACCOUNT,
	OPT_REGION,
	OPT_RULES_DIR,
	OPT_TIMINGS,
	OPT_JOBS,
	OPT_MAX_AGE,
	OPT_WAIVERS,
	OPT_EVAL_LAST, /* first free value for a command's own options */
};

/* getopt_long entries for the shared options; put first in a table. */
#define CLI_EVAL_LONG_OPTIONS                                        \
	{ "pack", required_argument, NULL, OPT_PACK },               \
	{ "rule", required_argument, NULL, OPT_RULE },               \
	{ "param", required_argument, NULL, OPT_PARAM },             \
	{ "as-of", required_argument, NULL, OPT_AS_OF },             \
	{ "account", required_argument, NULL, OPT_ACCOUNT },         \
	{ "region", required_argument, NULL, OPT_REGION },           \
	{ "rules-dir", required_argument, NULL, OPT_RULES_DIR },     \
	{ "timings", no_argument, NULL, OPT_TIMINGS },               \
	{ "jobs", required_argument, NULL, OPT_JOBS },               \
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },         \
	{ "waivers", required_argument, NULL, OPT_WAIVERS }

/* The option values (strings borrowed from argv; --param parsed). */
struct cli_eval_opts {
	struct strlist packs;
	struct strlist rules;
	struct param_overrides params; /* parsed (owned) */
	struct strlist accounts;
	struct strlist regions;
	struct strlist rules_dirs;
	int64_t as_of_ms; /* EVAL_AS_OF_LATEST when not given */
	int timings;
	long jobs;        /* connections evaluating in parallel */
	int64_t max_age_ms; /* --max-age (default COVERAGE_DEFAULT_MAX_AGE_MS) */
	const char *waivers_path; /* --waivers, or NULL */
	/* Filled by cli_eval_prepare: */
	char **pack_paths;  /* resolved pack paths (owned) */
	size_t n_pack_paths;
	struct ruleset ruleset;
	struct waivers *waivers; /* the loaded --waivers file, or NULL */
	int prepare_status; /* exit status when cli_eval_prepare fails (2, or 3
			     * for an invalid waivers file) */
};

void cli_eval_opts_init(struct cli_eval_opts *o);
void cli_eval_opts_release(struct cli_eval_opts *o);

/* Handle one getopt result. Returns 1 if it was a shared option, 0 if
 * not, -1 on a bad value (the error is printed). */
int cli_eval_option(struct cli_eval_opts *o, int c, const char *arg);

/* Resolve packs (default pack when none and no --rule) and the rule
 * directories. Returns 0, or -1 after printing the error. */
int cli_eval_prepare(struct cli_eval_opts *o);

/* Fill an eval_request from the options (diagnostics go to stderr). */
void cli_eval_request(struct cli_eval_opts *o, struct eval_request *req, int quiet);

/* Print the run summary of cfgaudit-eval(1) to f. */
void cli_eval_print_summary(FILE *f, const struct eval_outcome *out);

/* The exit status of an evaluation: 2 a rule the data could not be
 * evaluated for (an input error), else 3 invalid rule or pack, else 1 any
 * NON_COMPLIANT result that no waiver covers, else 0. */
int cli_eval_status(const struct eval_outcome *out);

#endif
