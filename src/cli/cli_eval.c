/*
 * cli_eval: the shared evaluation options (see cli_eval.h).
 */
#include "cli/cli_eval.h"
#include "store/coverage.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void cli_eval_opts_init(struct cli_eval_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->as_of_ms = EVAL_AS_OF_LATEST;
	o->jobs = cli_cpu_count();
	o->max_age_ms = COVERAGE_DEFAULT_MAX_AGE_MS;
	o->prepare_status = EXIT_ERROR;
	ruleset_init(&o->ruleset);
}

void cli_eval_opts_release(struct cli_eval_opts *o)
{
	strlist_release(&o->packs);
	strlist_release(&o->rules);
	param_overrides_release(&o->params);
	strlist_release(&o->accounts);
	strlist_release(&o->regions);
	strlist_release(&o->rules_dirs);
	for (size_t i = 0; i < o->n_pack_paths; i++)
		free(o->pack_paths[i]);
	free(o->pack_paths);
	ruleset_release(&o->ruleset);
	waivers_free(o->waivers);
}

static int valid_account(const char *a)
{
	size_t n = strlen(a);

	if (n != 12)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] < '0' || a[i] > '9')
			return 0;
	return 1;
}

int cli_eval_option(struct cli_eval_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_PACK:
		strlist_push(&o->packs, arg);
		return 1;
	case OPT_RULE:
		strlist_push(&o->rules, arg);
		return 1;
	case OPT_PARAM: {
		struct diag d;

		if (param_overrides_add(&o->params, arg, &d)) {
			error_msg("%s", d.msg);
			return -1;
		}
		return 1;
	}
	case OPT_AS_OF:
		return cli_parse_time("--as-of", arg, &o->as_of_ms) ? -1 : 1;
	case OPT_ACCOUNT:
		if (!valid_account(arg)) {
			error_msg("--account: '%s' is not a 12-digit account id", arg);
			return -1;
		}
		strlist_push(&o->accounts, arg);
		return 1;
	case OPT_REGION:
		if (!*arg) {
			error_msg("--region: empty region");
			return -1;
		}
		strlist_push(&o->regions, arg);
		return 1;
	case OPT_RULES_DIR:
		strlist_push(&o->rules_dirs, arg);
		return 1;
	case OPT_TIMINGS:
		o->timings = 1;
		return 1;
	case OPT_WAIVERS:
		o->waivers_path = arg;
		return 1;
	case OPT_JOBS:
		return cli_parse_int("--jobs", arg, 1, 256, &o->jobs) ? -1 : 1;
	case OPT_MAX_AGE:
		if (coverage_parse_max_age(arg, &o->max_age_ms)) {
			error_msg("--max-age: '%s' is not a duration like 26h or 2d", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int cli_eval_prepare(struct cli_eval_opts *o)
{
	const char *datadir = cli_data_dir();
	char *builtin;
	size_t n;

	if (!o->packs.nr && !o->rules.nr)
		strlist_push(&o->packs, CLI_DEFAULT_PACK);
	o->pack_paths = xcalloc(o->packs.nr + 1, sizeof(char *));
	for (size_t i = 0; i < o->packs.nr; i++) {
		char *p = eval_resolve_pack_path(o->packs.items[i], datadir);

		if (!p) {
			error_msg("--pack: '%s' is neither a file nor a pack in %s/packs",
				  o->packs.items[i], datadir);
			return -1;
		}
		o->pack_paths[o->n_pack_paths++] = p;
	}
	for (size_t i = 0; i < o->rules_dirs.nr; i++)
		ruleset_add_dir(&o->ruleset, o->rules_dirs.items[i]);
	n = strlen(datadir) + sizeof("/rules");
	builtin = xmalloc(n);
	snprintf(builtin, n, "%s/rules", datadir);
	ruleset_add_dir(&o->ruleset, builtin);
	free(builtin);
	if (o->waivers_path) {
		struct diag d;

		diag_clear(&d);
		o->waivers = waivers_load(o->waivers_path, &d);
		if (!o->waivers || waivers_check_rules(o->waivers, &o->ruleset, &d)) {
			diag_print(&d, "error");
			/* An unreadable file is an input error; a bad one is invalid. */
			o->prepare_status = d.line > 0 ? EXIT_INVALID_RULE : EXIT_ERROR;
			return -1;
		}
	}
	return 0;
}

static void print_diag(const struct diag *d, const char *level, void *ctx)
{
	(void)ctx;
	diag_print(d, level);
}

static void print_timing(const char *pack, const char *rule, double wall, double cpu,
			 long results, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "cfgaudit: timing: %9.3f s cpu %9.3f s wall %8ld rows  %s%s%s\n", cpu,
		wall, results, pack, *pack ? "/" : "", rule);
}

void cli_eval_request(struct cli_eval_opts *o, struct eval_request *req, int quiet)
{
	memset(req, 0, sizeof(*req));
	req->as_of_ms = o->as_of_ms;
	req->packs = (const char **)o->pack_paths;
	req->n_packs = o->n_pack_paths;
	req->rule_ids = o->rules.items;
	req->n_rule_ids = o->rules.nr;
	req->params = o->params.items;
	req->n_params = o->params.nr;
	req->accounts = o->accounts.items;
	req->n_accounts = o->accounts.nr;
	req->regions = o->regions.items;
	req->n_regions = o->regions.nr;
	req->rules = &o->ruleset;
	req->on_diag = print_diag;
	req->on_timing = o->timings ? print_timing : NULL;
	req->jobs = (int)o->jobs;
	req->max_age_ms = o->max_age_ms;
	req->waivers = o->waivers;
	(void)quiet;
}

void cli_eval_print_summary(FILE *f, const struct eval_outcome *out)
{
	fprintf(f, "run %lld\n", (long long)out->run_id);
	if (out->errors)
		fprintf(f, "status incomplete: %ld error%s (report, bundle and diff default to the"
			   " latest complete run)\n",
			out->errors, out->errors == 1 ? "" : "s");
	fprintf(f, "as-of %s\n", out->as_of);
	if (out->since_run)
		fprintf(f, "since-run %lld: %ld resources re-evaluated on %ld rules, %ld rules in"
			   " full\n",
			(long long)out->since_run, out->changed_resources, out->rules_copied,
			out->rules_rerun);
	fprintf(f, "rules %ld evaluated, %ld not evaluated, %ld invalid\n", out->rules_evaluated,
		out->rules_not_evaluated, out->invalid);
	for (int i = 0; i < 4; i++)
		fprintf(f, "%s %ld\n", eval_compliance_names[i], out->counts[i]);
	fprintf(f, "stale-or-incomplete %ld\n", out->coverage_flagged);
	if (out->waived)
		fprintf(f, "waived %ld\n", out->waived);
	fprintf(f, "seconds %.3f\n", out->seconds);
}

int cli_eval_status(const struct eval_outcome *out)
{
	if (out->data_failed)
		return EXIT_ERROR; /* 2 wins over 3, as everywhere (cfgaudit(1)) */
	if (out->invalid)
		return EXIT_INVALID_RULE;
	return out->counts[1] > out->waived ? EXIT_NONCOMPLIANT : EXIT_OK;
}
