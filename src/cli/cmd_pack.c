/*
 * cmd_pack: 'cfgaudit pack check FILE...' -- load conformance-pack
 * templates without running them and say, rule by rule, whether cfgaudit
 * evaluates it and if not why (cfgaudit-pack(1)). The loading is in
 * src/packs, the rule lookup in src/rules; this file parses options and
 * prints.
 */
#include "cli/cli.h"
#include "cli/cli_controls.h"
#include "eval/eval.h"
#include "packs/pack.h"
#include "rules/rule.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/term.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "cfgaudit pack check [--param [RULE.]KEY=VALUE]... [--rules-dir DIR]...\n"
    "                          [--controls FILE] [--format text|json] FILE...\n"
    "       cfgaudit pack list [--format text|json]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "  check FILE...  load conformance-pack templates without evaluating them:\n"
	       "                 print each pack's resolved parameters and rules, and for\n"
	       "                 every rule whether cfgaudit evaluates it and, if not, why.\n"
	       "                 FILE may also name a built-in pack (see 'list').\n"
	       "  list           the built-in packs: name, rule count, description\n\n"
	       "  --param NAME=VALUE       set pack parameter NAME (repeatable)\n"
	       "  --param RULE.KEY=VALUE   set input parameter KEY of the rule whose\n"
	       "                           ConfigRuleName is RULE (repeatable)\n"
	       "  --rules-dir DIR          search DIR for rule files before the built-in\n"
	       "                           rules (repeatable)\n"
	       "  --controls FILE          show each rule's controls from this mapping\n"
	       "                           (default: the shipped mapping that names the\n"
	       "                           pack, see cfgaudit-controls(5))\n"
	       "  --format F               text (default) or json\n"
	       "  --help                   this text\n\n"
	       "Exit status: 0 every template loads, 2 usage error or unreadable file,\n"
	       "3 an invalid template, rule file, rule parameter or control mapping.\n"
	       "See cfgaudit-pack(1).\n",
	       usage);
}

/* What cfgaudit does with one rule of a pack. */
enum verdict {
	V_EVALUATED,	/* a valid rule file exists */
	V_INSUFFICIENT, /* evaluated, but it needs data Config does not record */
	V_NOT_EVALUATED,
};

struct rule_check {
	enum verdict verdict;
	char *reason;	     /* why not evaluated, or the missing data; owned, or NULL */
	char *rule_file;     /* path of the rule file used, or NULL */
	int invalid_rule;    /* the rule file does not parse, or the pack's parameters do
			      * not fit it (eval reports the rule as invalid) */
	struct strbuf notes; /* parameter notes, one per line */
};

static const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_EVALUATED:
		return "evaluated";
	case V_INSUFFICIENT:
		return "insufficient-data";
	default:
		return "not-evaluated";
	}
}

static void print_bind_diag(const struct diag *d, const char *level, void *ctx)
{
	(void)ctx;
	diag_print(d, level);
}

/* What eval would do with this rule: the shared binding (eval_bind), so
 * that 'pack check' and eval give the same verdict and reason. */
static void check_rule(const struct ruleset *rs, const struct pack *p, const struct pack_rule *pr,
		       const struct param_override *ov, size_t n_ov, struct rule_check *rc)
{
	struct eval_bind_request br = { rs, pr->owner, pr->source_identifier,
					pr->config_rule_name, p->path, pr->line,
					print_bind_diag, NULL, ov, n_ov };
	struct eval_binding b;
	json_t *given = json_object();

	memset(rc, 0, sizeof(*rc));
	strbuf_init(&rc->notes, 0);
	for (size_t i = 0; i < pr->n_params; i++)
		json_object_set_new(given, pr->params[i].name, json_string(pr->params[i].value));
	eval_bind(&br, given, &b);
	if (b.rule) {
		rc->rule_file = xstrdup(b.rule->path);
		for (size_t i = 0; i < pr->n_params; i++) {
			const struct rule_param *rp = rule_find_param(b.rule, pr->params[i].name);

			if (rp && rp->optional && !*pr->params[i].value)
				strbuf_addf(&rc->notes, "input parameter '%s' is empty: not set\n",
					    rp->name);
		}
	}
	if (b.reason) {
		rc->verdict = V_NOT_EVALUATED;
		rc->reason = xstrdup(b.reason);
		rc->invalid_rule = b.invalid;
	} else if (b.rule->missing) {
		rc->verdict = V_INSUFFICIENT;
		rc->reason = xstrdup(b.rule->missing);
	} else {
		rc->verdict = V_EVALUATED;
	}
	eval_binding_release(&b);
}

static void release_check(struct rule_check *rc)
{
	free(rc->reason);
	free(rc->rule_file);
	strbuf_release(&rc->notes);
}

/* Print a data-derived string: control characters escaped. */
static void out(const char *s)
{
	term_write_safe(stdout, s, strlen(s));
}

/* The controls of the pack being printed, or NULL (one pack at a time). */
static const struct controls *cur_controls;
static size_t *cur_idx; /* room for cur_controls->n_controls */

static void print_text_controls(const struct pack_rule *r)
{
	size_t n;

	if (!cur_controls)
		return;
	n = controls_of_rule(cur_controls, r->source_identifier, cur_idx);
	fputs("    controls:", stdout);
	if (n == 0)
		fputs(" none", stdout);
	for (size_t i = 0; i < n; i++) {
		putchar(i ? ',' : ' ');
		if (i)
			putchar(' ');
		out(cur_controls->controls[cur_idx[i]].id);
	}
	putchar('\n');
}

/* A rule's input parameters, scope and frequency, where it has them. */
static void print_text_inputs(const struct pack_rule *r)
{
	if (r->n_params) {
		fputs("    input parameters:", stdout);
		for (size_t i = 0; i < r->n_params; i++) {
			putchar(' ');
			out(r->params[i].name);
			putchar('=');
			out(r->params[i].value);
		}
		putchar('\n');
	}
	if (r->n_resource_types || r->tag_key || r->resource_id) {
		fputs("    scope:", stdout);
		for (size_t i = 0; i < r->n_resource_types; i++) {
			putchar(' ');
			out(r->resource_types[i]);
		}
		if (r->tag_key) {
			fputs(" tag ", stdout);
			out(r->tag_key);
			if (r->tag_value) {
				putchar('=');
				out(r->tag_value);
			}
		}
		if (r->resource_id) {
			fputs(" resource ", stdout);
			out(r->resource_id);
		}
		putchar('\n');
	}
	if (r->max_frequency) {
		fputs("    frequency: ", stdout);
		out(r->max_frequency);
		putchar('\n');
	}
}

static void print_text_rule(const struct pack_rule *r, const struct rule_check *rc)
{
	fputs("  ", stdout);
	out(r->config_rule_name);
	fputs("\n    source: ", stdout);
	out(r->owner);
	if (r->source_identifier) {
		putchar(' ');
		out(r->source_identifier);
	}
	printf("\n    status: %s", verdict_name(rc->verdict));
	if (rc->verdict == V_INSUFFICIENT) {
		fputs(" (INSUFFICIENT_DATA where it needs: ", stdout);
		out(rc->reason);
		putchar(')');
	} else if (rc->reason) {
		fputs(": ", stdout);
		out(rc->reason);
	}
	putchar('\n');
	if (rc->rule_file) {
		fputs("    rule file: ", stdout);
		out(rc->rule_file);
		putchar('\n');
	}
	print_text_inputs(r);
	print_text_controls(r);
	if (rc->notes.len) {
		const char *s = rc->notes.buf, *nl;

		while ((nl = strchr(s, '\n'))) {
			fputs("    note: ", stdout);
			term_write_safe(stdout, s, (size_t)(nl - s));
			putchar('\n');
			s = nl + 1;
		}
	}
}

/* Pack rules that the current mapping maps to at least one control. */
static size_t mapped_rules(const struct pack *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		n += controls_of_rule(cur_controls, p->rules[i].source_identifier, cur_idx) > 0;
	return n;
}

static int pack_has_identifier(const struct pack *p, const char *id)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].source_identifier && !strcmp(p->rules[i].source_identifier, id))
			return 1;
	return 0;
}

/* Call fn for every distinct rule of the mapping that the pack does not
 * deploy, in mapping order. Returns how many. */
static size_t not_in_pack(const struct pack *p, void (*fn)(const char *id, void *ctx), void *ctx)
{
	const struct controls *c = cur_controls;
	size_t n = 0;

	for (size_t i = 0; i < c->n_controls; i++) {
		for (size_t k = 0; k < c->controls[i].n_rules; k++) {
			const char *id = c->controls[i].rules[k];
			int seen = 0;

			for (size_t j = 0; j < i && !seen; j++)
				for (size_t l = 0; l < c->controls[j].n_rules && !seen; l++)
					seen = !strcmp(c->controls[j].rules[l], id);
			if (seen || pack_has_identifier(p, id))
				continue;
			n++;
			if (fn)
				fn(id, ctx);
		}
	}
	return n;
}

static void print_missing(const char *id, void *ctx)
{
	(void)ctx;
	fputs("  ", stdout);
	out(id);
	putchar('\n');
}

static void print_text(const struct pack *p, const struct rule_check *checks)
{
	size_t counts[3] = {0, 0, 0};

	for (size_t i = 0; i < p->n_rules; i++)
		counts[checks[i].verdict]++;
	fputs("pack: ", stdout);
	out(p->name);
	fputs(" (", stdout);
	out(p->path);
	fputs(")\n", stdout);
	if (p->description) {
		fputs("description: ", stdout);
		out(p->description);
		putchar('\n');
	}
	printf("parameters: %zu\n", p->n_parameters);
	for (size_t i = 0; i < p->n_parameters; i++) {
		fputs("  ", stdout);
		out(p->parameters[i].name);
		fputs(" = ", stdout);
		out(p->parameters[i].value);
		putchar('\n');
	}
	if (cur_controls) {
		fputs("controls: ", stdout);
		out(cur_controls->framework);
		fputs(" (", stdout);
		out(cur_controls->path);
		printf("): %zu controls, %zu of %zu rules mapped\n", cur_controls->n_controls,
		       mapped_rules(p), p->n_rules);
	}
	printf("rules: %zu (%zu evaluated, %zu insufficient data, %zu not evaluated)\n", p->n_rules,
	       counts[V_EVALUATED], counts[V_INSUFFICIENT], counts[V_NOT_EVALUATED]);
	for (size_t i = 0; i < p->n_rules; i++)
		print_text_rule(&p->rules[i], &checks[i]);
	printf("skipped (condition false): %zu\n", p->n_skipped);
	for (size_t i = 0; i < p->n_skipped; i++) {
		fputs("  ", stdout);
		out(p->skipped[i].logical_id);
		fputs(" (condition ", stdout);
		out(p->skipped[i].condition);
		printf(", line %ld)\n", p->skipped[i].line);
	}
	printf("ignored resources: %zu\n", p->n_ignored);
	for (size_t i = 0; i < p->n_ignored; i++) {
		fputs("  ", stdout);
		out(p->ignored[i].logical_id);
		fputs(" (", stdout);
		out(p->ignored[i].type);
		printf(", line %ld)\n", p->ignored[i].line);
	}
	if (cur_controls) {
		printf("mapped rules not in this pack: %zu\n", not_in_pack(p, NULL, NULL));
		not_in_pack(p, print_missing, NULL);
	}
}

/* json_string refuses invalid UTF-8: fall back to an escaped copy. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *safe;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	safe = term_safe_dup(s);
	j = json_string(safe);
	free(safe);
	return j ? j : json_null();
}

/* A rule's scope as in the template, or null. */
static json_t *json_scope(const struct pack_rule *r)
{
	json_t *scope, *types;

	if (!(r->n_resource_types || r->tag_key || r->tag_value || r->resource_id))
		return json_null();
	scope = json_object();
	types = json_array();
	for (size_t i = 0; i < r->n_resource_types; i++)
		json_array_append_new(types, jstr(r->resource_types[i]));
	json_object_set_new(scope, "ComplianceResourceTypes", types);
	if (r->tag_key)
		json_object_set_new(scope, "TagKey", jstr(r->tag_key));
	if (r->tag_value)
		json_object_set_new(scope, "TagValue", jstr(r->tag_value));
	if (r->resource_id)
		json_object_set_new(scope, "ComplianceResourceId", jstr(r->resource_id));
	return scope;
}

/* What cfgaudit makes of a rule: status, reason, rule file, notes. */
static json_t *json_evaluation(const struct rule_check *rc)
{
	json_t *ev = json_object(), *notes = json_array();

	json_object_set_new(ev, "status", json_string(verdict_name(rc->verdict)));
	json_object_set_new(ev, "evaluated", json_boolean(rc->verdict != V_NOT_EVALUATED));
	json_object_set_new(ev, "reason",
			    rc->verdict == V_NOT_EVALUATED ? jstr(rc->reason) : json_null());
	json_object_set_new(ev, "missing",
			    rc->verdict == V_INSUFFICIENT ? jstr(rc->reason) : json_null());
	json_object_set_new(ev, "ruleFile", jstr(rc->rule_file));
	if (rc->notes.len) {
		const char *s = rc->notes.buf, *nl;

		while ((nl = strchr(s, '\n'))) {
			char *line = xstrndup(s, (size_t)(nl - s));

			json_array_append_new(notes, jstr(line));
			free(line);
			s = nl + 1;
		}
	}
	json_object_set_new(ev, "notes", notes);
	return ev;
}

static json_t *json_rule(const struct pack_rule *r, const struct rule_check *rc)
{
	json_t *o = json_object(), *src = json_object(), *ip = json_object();

	json_object_set_new(o, "ConfigRuleName", jstr(r->config_rule_name));
	json_object_set_new(o, "logicalId", jstr(r->logical_id));
	json_object_set_new(o, "line", json_integer(r->line));
	json_object_set_new(src, "Owner", jstr(r->owner));
	json_object_set_new(src, "SourceIdentifier", jstr(r->source_identifier));
	json_object_set_new(o, "Source", src);
	for (size_t i = 0; i < r->n_params; i++)
		json_object_set_new(ip, r->params[i].name, jstr(r->params[i].value));
	json_object_set_new(o, "InputParameters", ip);
	json_object_set_new(o, "Scope", json_scope(r));
	json_object_set_new(o, "MaximumExecutionFrequency", jstr(r->max_frequency));
	if (cur_controls) {
		/* as ConformancePackRuleCompliance.Controls: a list of control ids */
		json_t *ctl = json_array();
		size_t n = controls_of_rule(cur_controls, r->source_identifier, cur_idx);

		for (size_t i = 0; i < n; i++)
			json_array_append_new(ctl, jstr(cur_controls->controls[cur_idx[i]].id));
		json_object_set_new(o, "Controls", ctl);
	}
	json_object_set_new(o, "evaluation", json_evaluation(rc));
	return o;
}

static void json_append_id(const char *id, void *ctx)
{
	json_array_append_new((json_t *)ctx, jstr(id));
}

static json_t *pack_json(const struct pack *p, const struct rule_check *checks)
{
	json_t *o = json_object(), *params = json_object(), *rules = json_array();
	json_t *skipped = json_array(), *ignored = json_array();

	json_object_set_new(o, "path", jstr(p->path));
	json_object_set_new(o, "name", jstr(p->name));
	json_object_set_new(o, "valid", json_true());
	json_object_set_new(o, "description", jstr(p->description));
	for (size_t i = 0; i < p->n_parameters; i++)
		json_object_set_new(params, p->parameters[i].name, jstr(p->parameters[i].value));
	json_object_set_new(o, "parameters", params);
	for (size_t i = 0; i < p->n_rules; i++)
		json_array_append_new(rules, json_rule(&p->rules[i], &checks[i]));
	json_object_set_new(o, "rules", rules);
	for (size_t i = 0; i < p->n_skipped; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "logicalId", jstr(p->skipped[i].logical_id));
		json_object_set_new(s, "condition", jstr(p->skipped[i].condition));
		json_object_set_new(s, "line", json_integer(p->skipped[i].line));
		json_array_append_new(skipped, s);
	}
	json_object_set_new(o, "skipped", skipped);
	for (size_t i = 0; i < p->n_ignored; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "logicalId", jstr(p->ignored[i].logical_id));
		json_object_set_new(s, "type", jstr(p->ignored[i].type));
		json_object_set_new(s, "line", json_integer(p->ignored[i].line));
		json_array_append_new(ignored, s);
	}
	json_object_set_new(o, "ignored", ignored);
	if (cur_controls) {
		json_t *c = json_object(), *missing = json_array(), *packs = json_array();

		json_object_set_new(c, "framework", jstr(cur_controls->framework));
		json_object_set_new(c, "path", jstr(cur_controls->path));
		json_object_set_new(c, "source", jstr(cur_controls->source));
		json_object_set_new(c, "read", jstr(cur_controls->read));
		json_object_set_new(c, "packs", packs);
		for (size_t i = 0; i < cur_controls->n_packs; i++)
			json_array_append_new(packs, jstr(cur_controls->packs[i]));
		json_object_set_new(c, "controls", json_integer((json_int_t)cur_controls->n_controls));
		json_object_set_new(c, "mappedRules", json_integer((json_int_t)mapped_rules(p)));
		not_in_pack(p, json_append_id, missing);
		json_object_set_new(c, "notInPack", missing);
		json_object_set_new(o, "controls", c);
	} else {
		json_object_set_new(o, "controls", json_null());
	}
	return o;
}

static json_t *json_invalid(const char *path, const struct diag *d)
{
	json_t *o = json_object(), *e = json_object();

	json_object_set_new(o, "path", jstr(path));
	json_object_set_new(o, "valid", json_false());
	json_object_set_new(e, "line", d->line > 0 ? json_integer(d->line) : json_null());
	json_object_set_new(e, "column", d->column > 0 ? json_integer(d->column) : json_null());
	json_object_set_new(e, "message", jstr(d->msg));
	json_object_set_new(o, "error", e);
	return o;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The templates (.yaml, .yml) in dir, sorted by name; NULL after
 * printing the error when dir cannot be read. */
static char **template_names(const char *dir, size_t *n)
{
	char **names = NULL;
	size_t alloc = 0;
	DIR *dh = opendir(dir);
	struct dirent *de;

	*n = 0;
	if (!dh) {
		error_msg("cannot open the built-in packs directory '%s': %s", dir,
			  strerror(errno));
		return NULL;
	}
	while ((de = readdir(dh))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || !((len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) ||
					      (len > 4 && !strcmp(de->d_name + len - 4, ".yml"))))
			continue;
		ALLOC_GROW(names, *n + 1, alloc);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(names, *n, sizeof(*names), name_cmp);
	return names ? names : xcalloc(1, sizeof(*names));
}

/* One pack of 'pack list', to arr or (arr NULL) as a line of text. */
static void list_pack(const struct pack *p, json_t *arr)
{
	if (arr) {
		json_t *o = json_object();

		json_object_set_new(o, "name", jstr(p->name));
		json_object_set_new(o, "path", jstr(p->path));
		json_object_set_new(o, "rules", json_integer((json_int_t)p->n_rules));
		json_object_set_new(o, "description", jstr(p->description));
		json_array_append_new(arr, o);
		return;
	}
	out(p->name);
	printf("  %zu rules", p->n_rules);
	if (p->description) {
		fputs("  ", stdout);
		out(p->description);
	}
	putchar('\n');
}

/* 'pack list': every template in DATADIR/packs, by file name. */
static int pack_list(int json)
{
	struct strbuf dir = STRBUF_INIT;
	json_t *arr;
	char **names;
	size_t n;
	int status = EXIT_OK;

	strbuf_addf(&dir, "%s/packs", cli_data_dir());
	names = template_names(dir.buf, &n);
	if (!names) {
		strbuf_release(&dir);
		return EXIT_ERROR;
	}
	arr = json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		struct diag d;
		struct pack *p;

		strbuf_addf(&path, "%s/%s", dir.buf, names[i]);
		p = pack_load(path.buf, NULL, 0, &d);
		if (!p) {
			diag_print(&d, "error");
			status = d.line > 0 ? EXIT_INVALID_RULE : EXIT_ERROR;
		} else {
			list_pack(p, arr);
		}
		pack_free(p);
		strbuf_release(&path);
		free(names[i]);
	}
	free(names);
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	strbuf_release(&dir);
	return status;
}

/* The mapping for pack p: the one given with --controls, else the
 * shipped one that names the pack (loaded into *owned), else NULL. Sets
 * *invalid when a shipped mapping does not load. */
static const struct controls *controls_for(const struct pack *p, const struct controls *given,
					   const struct ruleset *rs, struct controls **owned,
					   int *invalid)
{
	char *dir, *path;
	int st = 0;

	*owned = NULL;
	if (given)
		return given;
	dir = cli_controls_dir();
	path = controls_find_for_pack(dir, p->name);
	free(dir);
	if (!path)
		return NULL;
	*owned = cli_controls_load(path, rs, &st);
	if (!*owned)
		*invalid = 1;
	free(path);
	return *owned;
}

/* What 'pack check' found so far. */
struct check_state {
	const struct param_override *ov; /* --param */
	size_t n_ov;
	const struct ruleset *rs;
	const struct controls *given; /* --controls, or NULL */
	json_t *arr;                  /* JSON output, or NULL for text */
	char *matched;                /* per override: it named something */
	int unreadable, invalid, loaded;
};

/* Print the checks of a loaded pack p, the f-th file. */
static void check_pack(struct check_state *st, const struct pack *p, int f)
{
	struct rule_check *checks;
	struct controls *owned = NULL;

	st->loaded++;
	for (size_t i = 0; i < st->n_ov; i++)
		if (pack_override_matches(p, &st->ov[i]))
			st->matched[i] = 1;
	cur_controls = controls_for(p, st->given, st->rs, &owned, &st->invalid);
	cur_idx = cur_controls ? xcalloc(cur_controls->n_controls + 1, sizeof(*cur_idx)) : NULL;
	checks = xcalloc(p->n_rules ? p->n_rules : 1, sizeof(*checks));
	for (size_t i = 0; i < p->n_rules; i++) {
		check_rule(st->rs, p, &p->rules[i], st->ov, st->n_ov, &checks[i]);
		if (checks[i].invalid_rule)
			st->invalid = 1;
	}
	if (st->arr) {
		json_array_append_new(st->arr, pack_json(p, checks));
	} else {
		if (f)
			putchar('\n');
		print_text(p, checks);
	}
	for (size_t i = 0; i < p->n_rules; i++)
		release_check(&checks[i]);
	free(checks);
	free(cur_idx);
	cur_idx = NULL;
	cur_controls = NULL;
	controls_free(owned);
}

/* Check the f-th file: a template as given, else a built-in pack of
 * that name. */
static void check_file(struct check_state *st, const char *file, int f)
{
	struct diag d;
	char *resolved = eval_resolve_pack_path(file, cli_data_dir());
	struct pack *p = pack_load(resolved ? resolved : file, st->ov, st->n_ov, &d);

	free(resolved);
	if (p) {
		check_pack(st, p, f);
		pack_free(p);
		return;
	}
	diag_print(&d, "error");
	/* Template errors always carry a position; I/O errors do not. */
	if (d.line > 0)
		st->invalid = 1;
	else
		st->unreadable = 1;
	if (st->arr)
		json_array_append_new(st->arr, json_invalid(file, &d));
	else
		printf("%spack: %s: not loaded (see the error)\n", f ? "\n" : "", file);
}

static int pack_check(int nfiles, char **files, const struct param_override *ov, size_t n_ov,
		      const struct ruleset *rs, const struct controls *given, int json)
{
	struct check_state st = { ov, n_ov, rs, given, json ? json_array() : NULL,
				  xcalloc(n_ov ? n_ov : 1, 1), 0, 0, 0 };

	for (int f = 0; f < nfiles; f++)
		check_file(&st, files[f], f);
	if (json) {
		json_dumpf(st.arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(st.arr);
	}
	/* An override that names nothing is almost always a typo; only
	 * meaningful when every pack loaded. */
	if (st.loaded == nfiles) {
		for (size_t i = 0; i < n_ov; i++) {
			if (!st.matched[i]) {
				error_msg(
				    "--param '%s' matches no parameter or rule of the given packs",
				    ov[i].text);
				st.unreadable = 1;
			}
		}
	}
	free(st.matched);
	if (st.unreadable)
		return EXIT_ERROR;
	return st.invalid ? EXIT_INVALID_RULE : EXIT_OK;
}

static const struct option longopts[] = {
	{ "param", required_argument, NULL, 'p' },
	{ "rules-dir", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	{ "controls", required_argument, NULL, 'c' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 0 };

struct pack_args {
	struct ruleset rs;          /* --rules-dir, then the built-in rules */
	struct param_overrides ov;  /* --param */
	const char *controls_path;  /* --controls, or NULL */
	const char *format;         /* --format */
};

static int on_option(void *arg, int c, const char *value)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct pack_args *a = arg;
	struct diag d;

	switch (c) {
	case 'p':
		if (param_overrides_add(&a->ov, value, &d))
			return cli_usage_error(usage, "%s", d.msg);
		break;
	case 'd':
		ruleset_add_dir(&a->rs, value);
		break;
	case 'c':
		a->controls_path = value;
		break;
	default: /* 'f' */
		if (cli_check_choice("--format", value, formats))
			return EXIT_ERROR;
		a->format = value;
	}
	return 0;
}

/* 'pack check FILE...', the files from argv[optind]. */
static int run_check(int argc, char **argv, struct pack_args *a)
{
	struct strbuf builtin = STRBUF_INIT;
	struct controls *given = NULL;
	int status = EXIT_ERROR;

	if (optind >= argc)
		return cli_usage_error(usage, "'check' needs at least one template file");
	strbuf_addf(&builtin, "%s/rules", cli_data_dir());
	ruleset_add_dir(&a->rs, builtin.buf);
	if (a->controls_path) {
		given = cli_controls_load(a->controls_path, &a->rs, &status);
		if (!given)
			goto out;
	}
	status = pack_check(argc - optind, argv + optind, a->ov.items, a->ov.nr, &a->rs, given,
			    !strcmp(a->format, "json"));
	status = cli_finish_stdout(status);
out:
	controls_free(given);
	strbuf_release(&builtin);
	return status;
}

/* The subcommand at argv[optind]. */
static int run_subcommand(int argc, char **argv, struct pack_args *a)
{
	if (optind >= argc)
		return cli_usage_error(usage, "missing subcommand (check or list)");
	if (!strcmp(argv[optind], "list")) {
		if (optind + 1 < argc)
			return cli_usage_error(usage, "'list' takes no arguments");
		return cli_finish_stdout(pack_list(!strcmp(a->format, "json")));
	}
	if (strcmp(argv[optind], "check"))
		return cli_usage_error(usage, "unknown subcommand '%s'", argv[optind]);
	/* getopt_long permutes: options may come before or after "check". */
	optind++;
	return run_check(argc, argv, a);
}

int cmd_pack(int argc, char **argv, struct cli_ctx *ctx)
{
	struct pack_args a = { .controls_path = NULL, .format = "text" };
	int status;

	ruleset_init(&a.rs);
	memset(&a.ov, 0, sizeof(a.ov));
	status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);
	if (status < 0)
		status = run_subcommand(argc, argv, &a);
	param_overrides_release(&a.ov);
	ruleset_release(&a.rs);
	return status;
}
