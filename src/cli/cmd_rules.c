/*
 * cmd_rules: 'cfgaudit rules list' and 'cfgaudit rules show ID' -- what the
 * engine knows (cfgaudit-rules(1)).
 */
#include "cli/cli.h"
#include "rules/rule.h"
#include "util/diag.h"
#include "util/term.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"cfgaudit rules [--rules-dir DIR]... [--format text|json] [list | show ID]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "  list          every rule identifier with its managed-rule name,\n"
	       "                severity and resource types (the default)\n"
	       "  show ID       the rule's header and SQL\n"
	       "  --rules-dir DIR  search DIR before the built-in rules (repeatable)\n"
	       "  --format F    text (default) or json\n"
	       "  --help        this text\n\n"
	       "Exit status: 0 ok, 2 usage error or unknown rule, 3 an invalid rule file.\n",
	       usage);
}

static json_t *rule_json(const struct rule *r, int with_sql)
{
	json_t *o = json_object(), *types = json_array(), *params = json_array();
	char *doc = rule_doc_url(r);

	json_object_set_new(o, "identifier", json_string(r->identifier));
	json_object_set_new(o, "name", json_string(r->name));
	for (size_t i = 0; i < r->n_resource_types; i++)
		json_array_append_new(types, json_string(r->resource_types[i]));
	json_object_set_new(o, "resourceTypes", types);
	json_object_set_new(o, "trigger", r->trigger ? json_string(r->trigger) : json_null());
	for (size_t i = 0; i < r->n_params; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "name", json_string(r->params[i].name));
		json_object_set_new(p, "type",
				    json_string(rule_param_type_name(r->params[i].type)));
		json_object_set_new(p, "default", r->params[i].default_value
							   ? json_string(r->params[i].default_value)
							   : json_null());
		json_object_set_new(p, "optional", json_boolean(r->params[i].optional));
		json_array_append_new(params, p);
	}
	json_object_set_new(o, "parameters", params);
	json_object_set_new(o, "description", json_string(r->description));
	json_object_set_new(o, "missing", r->missing ? json_string(r->missing) : json_null());
	json_object_set_new(o, "severity", r->severity ? json_string(rule_severity_name(r->severity))
						       : json_null());
	json_object_set_new(o, "severitySource",
			    r->severity_source ? json_string(r->severity_source) : json_null());
	json_object_set_new(o, "remediation",
			    r->remediation ? json_string(r->remediation) : json_null());
	json_object_set_new(o, "documentation", json_string(doc));
	free(doc);
	json_object_set_new(o, "path", json_string(r->path));
	json_object_set_new(o, "sha256", json_string(r->sha256));
	json_object_set_new(o, "statement", r->statement ? json_string(r->statement) : json_null());
	{
		json_t *c = json_object();

		for (size_t i = 0; i < r->n_constants; i++)
			json_object_set_new(c, r->constants[i].name,
					    r->constants[i].value ? json_string(r->constants[i].value)
								  : json_null());
		json_object_set_new(o, "constants", c);
	}
	if (with_sql) {
		json_object_set_new(o, "sqlPath", json_string(r->sql_path));
		json_object_set_new(o, "sql", json_string(r->sql));
	}
	return o;
}

static int list_rules(const struct ruleset *rs, int json)
{
	size_t n;
	char **ids = ruleset_list(rs, &n);
	json_t *arr = json_array();
	int status = EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		struct rule *r = NULL;
		struct diag d;

		diag_clear(&d);
		if (ruleset_find(rs, ids[i], &r, &d) < 0) {
			diag_print(&d, "error");
			status = EXIT_INVALID_RULE;
		} else if (r) {
			if (json) {
				json_array_append_new(arr, rule_json(r, 0));
			} else {
				printf("%-48s %-44s %-8s %s", r->identifier, r->name,
				       r->severity ? rule_severity_name(r->severity) : "-",
				       r->missing ? "partial-data " : "");
				for (size_t t = 0; t < r->n_resource_types; t++)
					printf("%s%s", t ? "," : "", r->resource_types[t]);
				putchar('\n');
			}
			rule_free(r);
		}
		free(ids[i]);
	}
	free(ids);
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	return status;
}

static int show_rule(const struct ruleset *rs, const char *id, int json)
{
	struct rule *r = NULL;
	struct diag d;
	int found;

	diag_clear(&d);
	found = ruleset_find(rs, id, &r, &d);
	if (found < 0) {
		diag_print(&d, "error");
		return EXIT_INVALID_RULE;
	}
	if (!found) {
		error_msg("no rule '%s' (see 'cfgaudit rules list')", id);
		return EXIT_ERROR;
	}
	if (json) {
		json_t *o = rule_json(r, 1);

		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("# %s\n", r->path);
		fputs(r->text, stdout);
		if (r->statement) {
			/* The statement the rule runs: its shared file. */
			if (*r->text && r->text[strlen(r->text) - 1] != '\n')
				putchar('\n');
			printf("# %s (shared statement %s)\n", r->sql_path, r->statement);
			fputs(r->shared_text, stdout);
		}
	}
	rule_free(r);
	return EXIT_OK;
}

static const struct option longopts[] = {
	{ "rules-dir", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 0 };

struct rules_args {
	struct ruleset rs;  /* --rules-dir, then the built-in rules */
	const char *format; /* --format */
};

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct rules_args *a = arg;

	if (c == 'd') {
		ruleset_add_dir(&a->rs, value);
		return 0;
	}
	if (cli_check_choice("--format", value, formats)) /* 'f' */
		return EXIT_ERROR;
	a->format = value;
	return 0;
}

/* The subcommand at argv[optind] (list when none). */
static int run_subcommand(int argc, char **argv, struct rules_args *a)
{
	int json = !strcmp(a->format, "json");

	if (optind >= argc || !strcmp(argv[optind], "list")) {
		if (optind < argc && optind + 1 < argc)
			return cli_usage_error(usage, "'list' takes no arguments");
		return cli_finish_stdout(list_rules(&a->rs, json));
	}
	if (!strcmp(argv[optind], "show")) {
		if (optind + 2 != argc)
			return cli_usage_error(usage, "'show' takes one rule identifier");
		return cli_finish_stdout(show_rule(&a->rs, argv[optind + 1], json));
	}
	return cli_usage_error(usage, "unknown subcommand '%s'", argv[optind]);
}

int cmd_rules(int argc, char **argv, struct cli_ctx *ctx)
{
	struct rules_args a;
	char builtin[4200];
	int status;

	ruleset_init(&a.rs);
	a.format = "text";
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status < 0) {
		snprintf(builtin, sizeof(builtin), "%s/rules", cli_data_dir());
		ruleset_add_dir(&a.rs, builtin);
		status = run_subcommand(argc, argv, &a);
	}
	ruleset_release(&a.rs);
	return status;
}
