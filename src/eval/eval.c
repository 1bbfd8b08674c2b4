/*
 * eval: evaluation runs (see eval.h).
 *
 * A run happens in three steps:
 *   1. plan: packs and --rule identifiers become a list of planned rules,
 *      each with its resolved parameters and scope, or a reason why it
 *      is not evaluated (custom Lambda, manual check, no rule file, an
 *      invalid rule file or parameter);
 *   2. evaluate (runner.c): inside read transactions on one committed
 *      state, on one connection or several in parallel, the point-in-time
 *      state is built and every rule's SELECT runs against it, its rows
 *      checked, scoped and kept in memory;
 *   3. store: one write transaction records the run, the exact pack and
 *      rule files, the plan and the results.
 * Holding no write lock while rules run lets ingests proceed meanwhile.
 */
#include "config.h"

#include "eval/eval.h"
#include "eval/triage.h"
#include "eval/managed_ids.h"
#include "eval/selection.h"
#include "eval/plan.h"
#include "eval/resultbuf.h"
#include "eval/runner.h"
#include "eval/incremental.h"
#include "store/since.h"
#include "packs/pack.h"
#include "store/coverage.h"
#include "store/pit.h"
#include "store/run.h"
#include "store/run_errors.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const eval_compliance_names[4] = {
	"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA",
};

static void report(const struct eval_request *req, const struct diag *d, const char *level)
{
	if (req->on_diag)
		req->on_diag(d, level, req->cb_ctx);
}

static void release_values(struct param_value *v, size_t n);

static void plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		struct planned_rule *r = &p->rules[i];

		free(r->pack_name);
		free(r->config_rule_name);
		free(r->identifier);
		free(r->owner);
		if (r->rule)
			release_values(r->values, r->rule->n_params);
		rule_free(r->rule);
		json_decref(r->params);
		json_decref(r->scope);
		free(r->reason);
	}
	free(p->rules);
	for (size_t i = 0; i < p->n_packs; i++)
		pack_free(p->packs[i]);
	free(p->packs);
}

static struct planned_rule *plan_add(struct plan *p)
{
	struct planned_rule *r;

	ALLOC_GROW(p->rules, p->nr + 1, p->alloc);
	r = &p->rules[p->nr++];
	memset(r, 0, sizeof(*r));
	r->params = json_object();
	r->scope = json_object();
	return r;
}

static void bind_reason(struct eval_binding *b, int invalid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bind_reason(struct eval_binding *b, int invalid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(b->reason);
	b->reason = xstrvfmt(fmt, ap);
	va_end(ap);
	b->invalid = invalid;
}

static void bind_report(const struct eval_bind_request *br, const struct diag *d)
{
	if (br->on_diag)
		br->on_diag(d, "error", br->ctx);
}

/* The --param option that gave key its value for this rule, or NULL (the
 * value came from the pack or the header). */
static const struct param_override *given_by_option(const struct eval_bind_request *br,
						    const struct rule *r, const char *key,
						    const char *value)
{
	const struct param_override *found = NULL;

	for (size_t i = 0; i < br->n_overrides; i++) {
		const struct param_override *o = &br->overrides[i];

		if (strcmp(o->key, key) || strcmp(o->value, value))
			continue;
		if (!o->rule || !strcmp(o->rule, br->config_rule_name) ||
		    (br->identifier && !strcmp(o->rule, br->identifier)) ||
		    !strcmp(o->rule, r->name))
			found = o; /* the last one given wins */
	}
	return found;
}

/* A parameter problem: reported where the value came from (the --param
 * option, else the pack or rule file) and kept as the binding's reason. */
static void bind_param_error(const struct eval_bind_request *br, struct eval_binding *b,
			     const char *key, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void bind_param_error(const struct eval_bind_request *br, struct eval_binding *b,
			     const char *key, const char *value, const char *fmt, ...)
{
	const struct param_override *o = value ? given_by_option(br, b->rule, key, value) : NULL;
	struct diag d;
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = xstrvfmt(fmt, ap);
	va_end(ap);
	if (o)
		diag_set(&d, NULL, 0, "--param '%s': rule '%s': %s", o->text,
			 br->config_rule_name, what);
	else
		diag_set(&d, br->where ? br->where : b->rule->path, br->line, "rule '%s': %s",
			 br->config_rule_name, what);
	bind_report(br, &d);
	bind_reason(b, 1, "%s", what);
	free(what);
}

/* Is there a reason not to evaluate the rule before its file is read? */
static int bind_unevaluable(const struct eval_bind_request *br, struct eval_binding *b)
{
	if (br->owner && !strcmp(br->owner, "CUSTOM_LAMBDA"))
		bind_reason(b, 0, "custom Lambda rule: cannot be evaluated offline");
	else if (br->identifier && !strcmp(br->identifier, "AWS_CONFIG_PROCESS_CHECK"))
		bind_reason(b, 0, "manual process check");
	else if (!br->identifier || !*br->identifier)
		bind_reason(b, 0, "no SourceIdentifier (custom Guard policy): cannot be "
				  "evaluated offline");
	return b->reason != NULL;
}

/* Find the rule file. Returns 0 with b->rule set, or -1 with a reason. */
static int bind_rule_file(const struct eval_bind_request *br, struct eval_binding *b)
{
	struct diag d;
	int found;

	diag_clear(&d);
	found = ruleset_find(br->rules, br->identifier, &b->rule, &d);
	if (found < 0) {
		bind_report(br, &d);
		if (d.line > 0)
			bind_reason(b, 1, "invalid rule file: %s:%ld: %s", d.path, d.line, d.msg);
		else
			bind_reason(b, 1, "invalid rule file: %s: %s", d.path, d.msg);
		return -1;
	}
	if (found == 0) {
		const char *near;

		if (managed_rule_id_known(br->identifier) ||
		    (br->owner && strcmp(br->owner, "AWS"))) {
			bind_reason(b, 0, "no rule file for %s", br->identifier);
			return -1;
		}
		/* Not an identifier AWS's packs use nor a rule file: a typo
		 * the run must not pass over (it makes the run incomplete). */
		near = managed_rule_id_nearest(br->identifier, 4);
		diag_set(&d, br->where, br->line, "rule '%s': unknown rule identifier '%s'%s%s%s",
			 br->config_rule_name ? br->config_rule_name : br->identifier,
			 br->identifier, near ? " (did you mean '" : "", near ? near : "",
			 near ? "'?)" : "");
		bind_report(br, &d);
		bind_reason(b, 1, "unknown rule identifier '%s'%s%s%s", br->identifier,
			    near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return -1;
	}
	return 0;
}

/* Check and convert what the pack or the command line gave. An empty
 * optional value means "not set". Returns 0, or -1 with a reason. */
static int bind_given_values(const struct eval_bind_request *br, struct eval_binding *b)
{
	const char *key;
	json_t *val;

	json_object_foreach(b->params, key, val) {
		const struct rule_param *rp = rule_find_param(b->rule, key);
		const char *text = json_string_value(val), *why;

		if (!rp) {
			bind_param_error(br, b, key, text, "parameter '%s' is not declared by %s",
					 key, b->rule->path);
			free(b->reason);
			b->reason = xstrfmt("parameter '%s' is not declared by %s", key,
					    br->identifier);
			return -1;
		}
		if (!*text && rp->optional)
			continue;
		if (param_value_parse(rp->type, text, &b->values[rp - b->rule->params], &why)) {
			bind_param_error(br, b, key, text, "parameter '%s' %s: '%s'", key, why, text);
			return -1;
		}
	}
	return 0;
}

/* Drop empty optional values and fill in the header's defaults. Returns
 * 0, or -1 with a reason when a required parameter has no value. */
static int bind_defaults(const struct eval_bind_request *br, struct eval_binding *b)
{
	for (size_t i = 0; i < b->rule->n_params; i++) {
		const struct rule_param *rp = &b->rule->params[i];
		json_t *given = json_object_get(b->params, rp->name);
		const char *why;

		if (given && !*json_string_value(given) && rp->optional)
			json_object_del(b->params, rp->name);
		else if (given)
			continue;
		if (rp->default_value) {
			json_object_set_new(b->params, rp->name, json_string(rp->default_value));
			/* rule_parse checked the default against the type */
			if (param_value_parse(rp->type, rp->default_value, &b->values[i], &why)) {
				bind_param_error(br, b, rp->name, NULL, "default of parameter '%s' %s",
						 rp->name, why);
				return -1;
			}
		} else if (!rp->optional) {
			bind_param_error(br, b, rp->name, NULL,
					 "required parameter '%s' has no value", rp->name);
			return -1;
		}
	}
	return 0;
}

static void release_values(struct param_value *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		param_value_release(&v[i]);
	free(v);
}

void eval_bind(const struct eval_bind_request *br, json_t *params, struct eval_binding *b)
{
	memset(b, 0, sizeof(*b));
	b->params = params ? params : json_object();
	if (bind_unevaluable(br, b) || bind_rule_file(br, b))
		return;
	b->values = xcalloc(b->rule->n_params + 1, sizeof(*b->values));
	if (bind_given_values(br, b) || bind_defaults(br, b)) {
		release_values(b->values, b->rule->n_params);
		b->values = NULL;
	}
}

void eval_binding_release(struct eval_binding *b)
{
	if (b->rule)
		release_values(b->values, b->rule->n_params);
	rule_free(b->rule);
	json_decref(b->params);
	free(b->reason);
	memset(b, 0, sizeof(*b));
}

/* Bind a planned rule (see eval_bind); the plan takes the binding over. */
static void plan_bind_rule(const struct eval_request *req, struct planned_rule *pr,
			   const char *where, long line)
{
	struct eval_bind_request br = { req->rules, pr->owner, pr->identifier,
					pr->config_rule_name, where, line,
					req->on_diag,
					req->cb_ctx, req->params, req->n_params };
	struct eval_binding b;

	eval_bind(&br, pr->params, &b);
	pr->params = b.params;
	pr->values = b.values;
	pr->rule = b.rule;
	pr->reason = b.reason;
	pr->invalid = b.invalid;
}

static json_t *scope_json(const struct pack_rule *r)
{
	json_t *scope = json_object();

	if (r->n_resource_types) {
		json_t *types = json_array();

		for (size_t i = 0; i < r->n_resource_types; i++)
			json_array_append_new(types, json_string(r->resource_types[i]));
		json_object_set_new(scope, "ComplianceResourceTypes", types);
	}
	if (r->tag_key)
		json_object_set_new(scope, "TagKey", json_string(r->tag_key));
	if (r->tag_value)
		json_object_set_new(scope, "TagValue", json_string(r->tag_value));
	if (r->resource_id)
		json_object_set_new(scope, "ComplianceResourceId", json_string(r->resource_id));
	return scope;
}

/* A planned rule for ConfigRule src of pack pk, bound to its rule file. */
static void plan_pack_rule(const struct eval_request *req, struct plan *plan,
			   const struct pack *pk, const struct pack_rule *src)
{
	struct planned_rule *pr = plan_add(plan);

	pr->pack_name = xstrdup(pk->name);
	pr->config_rule_name = xstrdup(src->config_rule_name);
	pr->identifier = src->source_identifier ? xstrdup(src->source_identifier) : NULL;
	pr->owner = xstrdup(src->owner ? src->owner : "AWS");
	for (size_t k = 0; k < src->n_params; k++)
		json_object_set_new(pr->params, src->params[k].name,
				    json_string(src->params[k].value));
	json_decref(pr->scope);
	pr->scope = scope_json(src);
	pr->scope_types = src->resource_types;
	pr->n_scope_types = src->n_resource_types;
	pr->tag_key = src->tag_key;
	pr->tag_value = src->tag_value;
	pr->scope_resource_id = src->resource_id;
	pr->severity_override = src->severity;
	pr->remediation_override = src->remediation;
	plan_bind_rule(req, pr, pk->path, src->line);
}

/* Load every pack (with the --param overrides) and plan its rules;
 * used[k] is set for each override a pack takes. An invalid template is
 * reported and skipped. Returns 0, or -1 with d filled (a pack file that
 * cannot be read, two packs of one name). */
static int plan_packs(const struct eval_request *req, struct plan *plan, char *used,
		      struct diag *d)
{
	plan->packs = xcalloc(req->n_packs + 1, sizeof(*plan->packs));
	for (size_t i = 0; i < req->n_packs; i++) {
		struct diag pd;
		struct pack *pk;
		struct stat sb;

		diag_clear(&pd);
		if (stat(req->packs[i], &sb) != 0 || !S_ISREG(sb.st_mode))
			return diag_set(d, req->packs[i], 0, "cannot read pack file");
		pk = pack_load(req->packs[i], req->params, req->n_params, &pd);
		if (!pk) {
			/* An invalid template does not stop the other packs. */
			report(req, &pd, "error");
			continue;
		}
		for (size_t j = 0; j < plan->n_packs; j++) {
			if (!strcmp(plan->packs[j]->name, pk->name)) {
				diag_set(d, req->packs[i], 0, "two packs are named '%s'", pk->name);
				pack_free(pk);
				return -1;
			}
		}
		plan->packs[plan->n_packs++] = pk;
		for (size_t k = 0; k < req->n_params; k++)
			if (pack_override_matches(pk, &req->params[k]))
				used[k] = 1;
		for (size_t r = 0; r < pk->n_rules; r++)
			plan_pack_rule(req, plan, pk, &pk->rules[r]);
	}
	return 0;
}

/* Does --param o set a key of the --rule rule rule_id (rule: its file,
 * NULL if invalid)? RULE.KEY names the rule by identifier or managed-rule
 * name; a bare KEY is for the rules that declare it, and for one --rule
 * alone (no pack) whatever the key: an unknown one is then reported
 * against that rule. */
static int override_sets_rule(const struct eval_request *req, const struct param_override *o,
			      const char *rule_id, const struct rule *rule)
{
	if (o->rule)
		return !strcmp(o->rule, rule_id) || (rule && !strcmp(o->rule, rule->name));
	if (rule && rule_find_param(rule, o->key))
		return 1;
	return req->n_rule_ids == 1 && req->n_packs == 0;
}

/* Plan the --rule rules with the overrides that set their keys (used[k]
 * set for each). Returns 0, or -1 with d filled for an unknown rule. */
static int plan_rule_ids(const struct eval_request *req, struct plan *plan, char *used,
			 struct diag *d)
{
	for (size_t i = 0; i < req->n_rule_ids; i++) {
		struct planned_rule *pr = plan_add(plan);
		struct diag rd;
		struct rule *rule = NULL;

		diag_clear(&rd);
		pr->pack_name = xstrdup("");
		pr->identifier = xstrdup(req->rule_ids[i]);
		pr->owner = xstrdup("AWS");
		if (ruleset_find(req->rules, req->rule_ids[i], &rule, &rd) == 0)
			return diag_set(d, NULL, 0,
					"no rule file for '%s' (see 'cfgaudit rules list')",
					req->rule_ids[i]);
		/* With --rule the report name is the managed-rule name. */
		pr->config_rule_name = xstrdup(rule ? rule->name : req->rule_ids[i]);
		for (size_t k = 0; k < req->n_params; k++) {
			const struct param_override *o = &req->params[k];

			if (override_sets_rule(req, o, req->rule_ids[i], rule)) {
				json_object_set_new(pr->params, o->key, json_string(o->value));
				used[k] = 1;
			}
		}
		rule_free(rule);
		plan_bind_rule(req, pr, NULL, 0);
	}
	return 0;
}

/* Number the plan's rules and mark repeated --rule rules. Pack rule names
 * are unique within a pack (pack_load checks), and pack names across
 * packs; only --rule can repeat a name. */
static void plan_number_rules(struct plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		plan->rules[i].rule_no = (int)i + 1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(plan->rules[i].pack_name, plan->rules[j].pack_name) &&
			    !strcmp(plan->rules[i].config_rule_name, plan->rules[j].config_rule_name))
				plan->rules[i].duplicate = 1;
	}
}

/* Build the plan. Returns 0, or -1 with d filled for problems that stop
 * the run before anything is evaluated (including a --param that matches
 * nothing: almost always a typo). */
static int make_plan(const struct eval_request *req, struct plan *plan, struct diag *d)
{
	char *used = xcalloc(req->n_params + 1, 1);
	int ret = -1;

	if (plan_packs(req, plan, used, d) || plan_rule_ids(req, plan, used, d))
		goto out;
	for (size_t k = 0; k < req->n_params; k++) {
		if (!used[k]) {
			diag_set(d, NULL, 0,
				 "--param '%s' matches no pack parameter and no rule of this run",
				 req->params[k].text);
			goto out;
		}
	}
	plan_number_rules(plan);
	ret = 0;
out:
	free(used);
	return ret;
}

static char *json_text(json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	return t ? t : xstrdup("{}");
}

/* What the store records of a run beside its results, gathered from the
 * plan: the exact pack and rule files and every rule. */
struct run_gather {
	struct run_file_record *files;
	size_t n_files, files_alloc;
	struct run_rule_record *rules;
	size_t n_rules;
	char **owned; /* texts the records point into */
	size_t n_owned, owned_alloc;
};

static const char *keep(struct run_gather *g, char *text)
{
	ALLOC_GROW(g->owned, g->n_owned + 1, g->owned_alloc);
	g->owned[g->n_owned++] = text;
	return text;
}

/* sha256: the content's hex digest when known already, else NULL (the
 * store computes it). */
static void add_file(struct run_gather *g, const char *role, const char *name, const char *path,
		     const char *sha256, const char *content, size_t len)
{
	ALLOC_GROW(g->files, g->n_files + 1, g->files_alloc);
	g->files[g->n_files++] = (struct run_file_record){ role, name, path, sha256, content, len };
}

static void run_gather_release(struct run_gather *g)
{
	for (size_t i = 0; i < g->n_owned; i++)
		free(g->owned[i]);
	free(g->owned);
	free(g->files);
	free(g->rules);
}

/* Record the shared statement a rule uses (rule_sha256 covers the rule
 * file followed by it) as the rule file "shared/NAME"; if another rule of
 * the run uses a different file of that name (another rule directory),
 * as "shared/NAME-" and the first 12 digits of its SHA-256. */
static void add_shared(struct run_gather *g, const struct plan *plan,
		       const struct planned_rule *pr)
{
	const struct rule *r = pr->rule;
	char hex[SHA256_HEX_LEN], other[SHA256_HEX_LEN];
	int clash = 0;

	if (!r->statement || !r->shared_text)
		return;
	sha256_hex(r->shared_text, strlen(r->shared_text), hex);
	for (size_t i = 0; i < plan->nr && !clash; i++) {
		const struct rule *o = plan->rules[i].rule;

		if (!o || plan->rules[i].invalid || !o->statement || !o->shared_text ||
		    strcmp(o->statement, r->statement))
			continue;
		sha256_hex(o->shared_text, strlen(o->shared_text), other);
		clash = strcmp(hex, other) != 0;
	}
	add_file(g, "rule",
		 keep(g, clash ? xstrfmt("shared/%s-%.12s", r->statement, hex)
			       : xstrfmt("shared/%s", r->statement)),
		 r->sql_path, keep(g, xstrdup(hex)), r->shared_text, strlen(r->shared_text));
}

/* Gather the plan's files and rules (the pack files read from disk), and
 * count the rules not evaluated and the invalid ones into out. */
static int gather_run(const struct plan *plan, struct run_gather *g, struct eval_outcome *out,
		      struct diag *d)
{
	for (size_t i = 0; i < plan->n_packs; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (read_file(plan->packs[i]->path, &sb, 64 * 1024 * 1024, d)) {
			strbuf_release(&sb);
			return -1;
		}
		add_file(g, "pack", plan->packs[i]->name, plan->packs[i]->path, NULL, sb.buf,
			 sb.len);
		keep(g, strbuf_detach(&sb, NULL));
	}
	g->rules = xcalloc(plan->nr + 1, sizeof(*g->rules));
	for (size_t i = 0; i < plan->nr; i++) {
		const struct planned_rule *pr = &plan->rules[i];
		int valid = pr->rule && !pr->invalid;

		if (pr->duplicate)
			continue;
		if (valid) {
			/* the file's digest from its parse (with a shared
			 * statement, rule->sha256 covers both) */
			add_file(g, "rule", pr->rule->identifier, pr->rule->path,
				 pr->rule->shared_text || !pr->rule->sha256[0] ? NULL
									 : pr->rule->sha256,
				 pr->rule->text, strlen(pr->rule->text));
			add_shared(g, plan, pr);
		}
		g->rules[g->n_rules++] = (struct run_rule_record){
			pr->pack_name, pr->config_rule_name, pr->identifier, pr->owner,
			pr->reason ? 0 : 1, pr->reason, keep(g, json_text(pr->params)),
			keep(g, json_text(pr->scope)), valid ? pr->rule->sha256 : NULL,
			pr->rule_no,
		};
		out->rules_not_evaluated += pr->reason != NULL;
		out->invalid += pr->invalid != 0;
		out->data_failed += pr->data_failed != 0;
	}
	return 0;
}

static json_t *filters_json(const struct eval_request *req)
{
	json_t *f = json_object(), *a = json_array(), *r = json_array();

	for (size_t i = 0; i < req->n_accounts; i++)
		json_array_append_new(a, json_string(req->accounts[i]));
	for (size_t i = 0; i < req->n_regions; i++)
		json_array_append_new(r, json_string(req->regions[i]));
	json_object_set_new(f, "accounts", a);
	json_object_set_new(f, "regions", r);
	return f;
}

/* Match and record the run's waivers (packs/waivers.h), if any. */
static int store_waivers(struct store *s, const struct eval_request *req,
			 const struct plan *plan, struct eval_outcome *out, int64_t now_ms,
			 struct diag *d)
{
	struct waiver_rule *wr;
	size_t n = 0;
	int ret;

	if (!req->waivers)
		return 0;
	wr = xcalloc(plan->nr ? plan->nr : 1, sizeof(*wr));
	for (size_t i = 0; i < plan->nr; i++) {
		const struct planned_rule *pr = &plan->rules[i];

		if (!planned_rule_runs(pr))
			continue;
		wr[n].rule_no = pr->rule_no;
		wr[n].identifier = pr->identifier;
		wr[n].name = pr->rule ? pr->rule->name : NULL;
		wr[n].config_rule_name = pr->config_rule_name;
		n++;
	}
	ret = waivers_store_run(s, out->run_id, req->waivers, wr, n, now_ms, &out->waived, d);
	free(wr);
	return ret;
}

/* Every error reported while planning and running is kept for the run
 * (store/run_errors.h) and passed on to the caller's on_diag. */
struct collector {
	const struct eval_request *req; /* the caller's request */
	struct run_errors errors;	/* what the run could not evaluate */
	const char *kind;		/* of the errors met now: "plan" or "evaluation" */
	int hold;			/* set: keep the reports in held, not pass them on */
	struct held_report *held;	/* in the order they came */
	size_t n_held, alloc_held;
};

/* A report held back: a diagnostic (d set) or a timing. */
struct held_report {
	const char *level;
	struct diag *d;
	char *pack, *rule;
	double wall, cpu;
	long results;
};

/* One run in the making: what eval_run's steps share. */
struct run_state {
	const struct eval_request *caller;
	struct eval_request request;    /* the caller's, with collect as on_diag */
	struct collector col;
	struct plan plan;
	struct runner_output ro;
	struct coverage cov;
	struct incremental inc;         /* --since-run */
	struct pit_hint hint;           /* the state kept, and built from the prior one */
	struct pit_prior prior;
	struct pit_claim claim;         /* the kept state's word the as-of time rests on */
	int derived;                    /* set: the as-of time rests on it (plan_run) */
	double t_wall[3], t_cpu[3];     /* its steps: base, changed resources, copy */
	int64_t results_end;            /* run_results' last rowid before this run's */
	int64_t started_ms, as_of_ms;
	double t0;
	long pack_errors;               /* pack files that did not load */
};

static int store_results(struct store *s, int64_t run_id, void *ctx, struct diag *d)
{
	struct run_state *st = ctx;

	double w0, c0;
	int rc;

	if ((st->inc.active && since_results_end(s, &st->results_end, d)) ||
	    resultbuf_store(st->ro.results, st->ro.n_results, s, run_id, d))
		return -1;
	/* the prior run's results (--since-run) and the run's state */
	w0 = time_monotonic_seconds();
	c0 = time_thread_cpu_seconds();
	rc = incremental_store(s, run_id, &st->inc, d);
	st->t_wall[2] = time_monotonic_seconds() - w0;
	st->t_cpu[2] = time_thread_cpu_seconds() - c0;
	return rc;
}

/* What the run records beside the store's tables: each rule's severity
 * and remediation (triage.h), the waivers it matched (waivers.h) and the
 * errors that make it incomplete (run_errors.h). */
struct triage_waivers {
	const struct eval_request *req;
	const struct plan *plan;
	struct eval_outcome *out;
	int64_t now_ms;
	const struct run_errors *errors; /* what the run could not evaluate */
};

static int store_triage_and_waivers(struct store *s, int64_t run_id, void *ctx, struct diag *d)
{
	struct triage_waivers *tw = ctx;

	tw->out->run_id = run_id;
	for (size_t i = 0; i < tw->plan->nr; i++) {
		const struct planned_rule *pr = &tw->plan->rules[i];

		if (!pr->duplicate &&
		    triage_store_rule(s, run_id, pr->rule_no, pr->invalid ? NULL : pr->rule,
				      pr->pack_name, pr->severity_override, pr->remediation_override,
				      d))
			return -1;
	}
	if (store_waivers(s, tw->req, tw->plan, tw->out, tw->now_ms, d))
		return -1;
	return run_errors_store(s, run_id, tw->errors, d);
}

/* The run's contents for run_store_write, from g and the run state. */
static void fill_contents(struct run_contents *c, const struct run_gather *g,
			  struct run_state *st, struct triage_waivers *tw)
{
	c->files = g->files;
	c->n_files = g->n_files;
	c->rules = g->rules;
	c->n_rules = g->n_rules;
	c->scope = (const char *const *)st->ro.scope;
	c->n_scope = st->ro.n_scope;
	c->coverage = &st->cov;
	c->write_results = store_results;
	c->results_ctx = st;
	c->write_more = store_triage_and_waivers;
	c->more_ctx = tw;
}

/* Write the run in one transaction (run_store_write). */
static int store_run(struct store *s, struct run_state *st, struct eval_outcome *out,
		     struct diag *d)
{
	const struct eval_request *req = &st->request;
	char started[TIME_ISO_LEN], finished[TIME_ISO_LEN];
	struct run_gather g = { 0 };
	struct run_record r = { 0 };
	struct run_contents c = { 0 };
	struct triage_waivers tw = { req, &st->plan, out, st->started_ms, &st->col.errors };
	json_t *filters = filters_json(req);
	int ret = -1;

	time_format_iso(st->started_ms, started);
	time_format_iso(time_now_ms(), finished);
	r.started_at = started;
	r.finished_at = finished;
	r.as_of = out->as_of;
	r.tool_version = PACKAGE_VERSION;
	r.filters = keep(&g, json_text(filters));
	json_decref(filters);
	if (!gather_run(&st->plan, &g, out, d)) {
		fill_contents(&c, &g, st, &tw);
		ret = run_store_write(s, &r, &c, d);
		out->run_id = r.id;
	}
	run_gather_release(&g);
	return ret;
}

static struct held_report *hold_report(struct collector *c)
{
	ALLOC_GROW(c->held, c->n_held + 1, c->alloc_held);
	memset(&c->held[c->n_held], 0, sizeof(c->held[0]));
	return &c->held[c->n_held++];
}

static void collect(const struct diag *d, const char *level, void *ctx)
{
	struct collector *c = ctx;

	if (!strcmp(level, "error"))
		run_errors_add(&c->errors, c->kind, NULL, d);
	if (c->hold) {
		struct held_report *h = hold_report(c);

		h->level = level; /* a literal of the callers' */
		h->d = xmalloc(sizeof(*d));
		*h->d = *d;
		return;
	}
	report(c->req, d, level);
}

static void forward_timing(const char *pack, const char *rule, double wall, double cpu,
			   long results, void *ctx)
{
	struct collector *c = ctx;

	if (c->hold) {
		struct held_report *h = hold_report(c);

		h->pack = xstrdup(pack);
		h->rule = xstrdup(rule);
		h->wall = wall;
		h->cpu = cpu;
		h->results = results;
		return;
	}
	c->req->on_timing(pack, rule, wall, cpu, results, c->req->cb_ctx);
}

/* Pass the held reports on (pass) or drop them, and hold no more. */
static void release_held(struct collector *c, int pass)
{
	c->hold = 0;
	for (size_t i = 0; i < c->n_held; i++) {
		struct held_report *h = &c->held[i];

		if (pass && h->d)
			report(c->req, h->d, h->level);
		else if (pass)
			c->req->on_timing(h->pack, h->rule, h->wall, h->cpu, h->results,
					  c->req->cb_ctx);
		free(h->d);
		free(h->pack);
		free(h->rule);
	}
	free(c->held);
	c->held = NULL;
	c->n_held = c->alloc_held = 0;
}

static void run_state_init(struct run_state *st, const struct eval_request *caller)
{
	memset(st, 0, sizeof(*st));
	st->caller = caller;
	st->request = *caller;
	st->col.req = caller;
	st->col.kind = "plan";
	st->request.on_diag = collect;
	st->request.on_timing = caller->on_timing ? forward_timing : NULL;
	st->request.cb_ctx = &st->col;
	st->started_ms = time_now_ms();
	st->t0 = time_monotonic_seconds();
}

static void run_state_release(struct run_state *st, struct store *s)
{
	pit_share_keep(s, &st->hint, 0); /* a run not stored: its state is not kept */
	release_held(&st->col, 0);
	run_errors_release(&st->col.errors);
	coverage_release(&st->cov);
	runner_output_release(&st->ro);
	incremental_release(&st->inc);
	plan_release(&st->plan);
}

/* Resolve the as-of time and make the plan; with exact, the latest time
 * is read from every item, else a --since-run run takes it from the kept
 * state's claim when it can (checked by check_derived). Returns 0 or -1
 * with d. */
static int plan_run(struct store *s, struct run_state *st, struct eval_outcome *out,
		    int exact, struct diag *d)
{
	const struct eval_request *req = &st->request;
	int rc;

	st->hint.latest_mark = -1;
	if (req->as_of_ms == EVAL_AS_OF_LATEST) {
		char latest[TIME_ISO_LEN];

		rc = req->since_run && !exact ? pit_latest_time_kept(s, latest,
								     &st->hint.latest_mark,
								     &st->claim, d)
					      : 2;
		st->derived = rc == 0;
		/* held until check_derived: a redo reports its own */
		st->col.hold = st->derived;
		if (rc == 2)
			rc = pit_latest_time_mark(s, latest, &st->hint.latest_mark, d);
		if (rc == 0 && time_parse_iso(latest, &st->as_of_ms))
			rc = diag_set(d, s->path, 0, "bad latest time '%s'", latest);
	} else {
		rc = eval_resolve_as_of(s, req->as_of_ms, &st->as_of_ms, d);
	}
	if (rc < 0)
		return -1;
	if (rc > 0)
		return diag_set(d, s->path, 0, "the database holds no configuration items"
			       " (run 'cfgaudit ingest' first)");
	time_format_iso(st->as_of_ms, out->as_of);
	if (make_plan(req, &st->plan, d))
		return -1;
	for (size_t i = 0; i < req->n_packs; i++) {
		int loaded = 0;

		for (size_t j = 0; j < st->plan.n_packs; j++)
			if (!strcmp(st->plan.packs[j]->path, req->packs[i]))
				loaded = 1;
		st->pack_errors += !loaded; /* reported through on_diag by make_plan */
	}
	return 0;
}

/* Can run id be the base of this one? 0 yes (st->inc.prior read), 1 no
 * with *why, -1 with d. */
static int check_base(struct store *s, struct run_state *st, int64_t id, const char *as_of,
		      char **why, struct diag *d)
{
	const struct eval_request *req = &st->request;
	struct run_gather g = { 0 };
	struct eval_outcome scratch;
	json_t *filters = filters_json(req);
	struct incremental_match m = { 0 };
	int rc = -1;

	memset(&scratch, 0, sizeof(scratch));
	m.filters = keep(&g, json_text(filters));
	json_decref(filters);
	if (!gather_run(&st->plan, &g, &scratch, d)) {
		m.rules = g.rules;
		m.n_rules = g.n_rules;
		m.files = g.files;
		m.n_files = g.n_files;
		m.waivers_sha256 = req->waivers ? req->waivers->sha256 : NULL;
		m.max_age_ms = req->max_age_ms > 0 ? req->max_age_ms : COVERAGE_DEFAULT_MAX_AGE_MS;
		m.as_of = as_of;
		rc = incremental_check(s, id, &m, &st->inc, why, d);
	}
	run_gather_release(&g);
	return rc;
}

/* The base of a --since-run run: the run asked for (a reason not to reuse
 * it is an error), or the newest that can be reused (none: a full run,
 * with a warning). Sets st->inc.active. Returns 0 or -1 with d. */
static int choose_base(struct store *s, struct run_state *st, const char *as_of,
		       struct diag *d)
{
	int64_t *ids = NULL;
	size_t n = 0;
	char *why = NULL;
	int rc = 0;

	if (st->request.since_run != EVAL_SINCE_LATEST) {
		rc = check_base(s, st, st->request.since_run, as_of, &why, d);
		if (rc > 0)
			diag_set(d, NULL, 0, "--since-run %lld: run %lld cannot be reused: %s",
				 (long long)st->request.since_run, (long long)st->request.since_run,
				 why);
		st->inc.active = rc == 0;
		free(why);
		return rc ? -1 : 0;
	}
	if (since_candidates(s, &ids, &n, d))
		return -1;
	for (size_t i = 0; i < n && !st->inc.active; i++) {
		free(why);
		why = NULL;
		rc = check_base(s, st, ids[i], as_of, &why, d);
		if (rc < 0)
			break;
		st->inc.active = rc == 0;
	}
	if (rc >= 0 && !st->inc.active) {
		struct diag w;

		if (n)
			diag_set(&w, NULL, 0, "--since-run latest: evaluating everything: the newest"
				 " run cannot be reused (%s)", why);
		else
			diag_set(&w, NULL, 0, "--since-run latest: evaluating everything: no prior"
				 " run to start from");
		report(&st->request, &w, "warning");
	}
	free(why);
	free(ids);
	return rc < 0 ? -1 : 0;
}

static int on_state(struct store *s, int first, void *ctx, struct diag *d)
{
	struct run_state *st = ctx;
	double w0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();
	int rc = incremental_on_state(s, first, &st->inc, d);

	if (first) {
		st->t_wall[1] = time_monotonic_seconds() - w0;
		st->t_cpu[1] = time_thread_cpu_seconds() - c0;
	}
	return rc;
}

/* --timings of the --since-run steps. */
static void report_since_timings(const struct run_state *st)
{
	static const char *const what[3] = {
		"(since-run: checking the prior run)",
		"(since-run: finding the changed resources)",
		"(since-run: copying results, recording the state)",
	};
	const struct eval_request *req = &st->request;

	if (!req->on_timing)
		return;
	for (int i = 0; i < 3; i++)
		if (st->inc.active || i == 2)
			req->on_timing("", what[i], st->t_wall[i], st->t_cpu[i], 0, req->cb_ctx);
}

/* Run the rules and compute what the run records beside their results:
 * coverage, the selection check, the rules found invalid while running. */
static int evaluate(struct store *s, struct run_state *st, struct eval_outcome *out,
		    struct diag *d)
{
	const struct eval_request *req = &st->request;
	struct coverage_request cr = {
		out->as_of, req->accounts, req->n_accounts, req->regions, req->n_regions,
		req->max_age_ms > 0 ? req->max_age_ms : COVERAGE_DEFAULT_MAX_AGE_MS,
	};

	if (st->inc.active)
		incremental_plan(&st->inc, &st->plan);
	if (st->inc.active) { /* the prior run's state, to build this one from */
		snprintf(st->prior.as_of, sizeof(st->prior.as_of), "%s", st->inc.prior.as_of);
		st->prior.items_mark = st->inc.prior.marks.items_max_rowid;
		st->prior.files_mark = st->inc.prior.marks.files_max_rowid;
		st->prior.rids = st->inc.prior.rids;
		st->prior.n_rids = st->inc.prior.n_rids;
		st->hint.prior = &st->prior;
	}
	st->request.state_hint = &st->hint;
	st->inc.hint = &st->hint;
	if (runner_evaluate_hooked(s, req, &st->plan, st->as_of_ms, on_state, st, &st->ro, d) ||
	    coverage_compute(s, &cr, &st->cov, d))
		return -1;
	out->coverage_flagged = (long)coverage_flagged(&st->cov);
	if (selection_check(s, req, out->as_of, st->ro.scope, st->ro.n_scope, d))
		return -1;
	/* Rules found invalid while running, in plan order. */
	st->col.kind = "evaluation";
	for (size_t i = 0; i < st->plan.nr; i++)
		if (st->plan.rules[i].claimed &&
		    (st->plan.rules[i].invalid || st->plan.rules[i].data_failed))
			report(req, &st->plan.rules[i].error, "error");
	out->rules_evaluated = st->ro.rules_evaluated;
	for (int i = 0; i < 4; i++)
		out->counts[i] = st->ro.counts[i];
	for (size_t i = 0; i < st->ro.n_results; i++)
		out->noncompliant_rules += resultbuf_noncompliant_triples(st->ro.results[i]);
	return 0;
}

/* Store the run; an incremental one then counts its copied results too. */
static int store_and_count(struct store *s, struct run_state *st, struct eval_outcome *out,
			   struct diag *d)
{
	const struct eval_request *req = &st->request;
	double w0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();

	if (store_run(s, st, out, d))
		return -1;
	out->invalid += st->pack_errors;
	out->errors = (long)st->col.errors.n;
	if (st->inc.active) {
		if (since_count_results(s, out->run_id, st->results_end, &st->inc.tally,
					out->counts, &out->noncompliant_rules, d))
			return -1;
		out->since_run = st->inc.prior.run_id;
		out->changed_resources = st->inc.changed;
		out->rules_rerun = st->inc.rules_rerun;
		out->rules_copied = (long)st->inc.n_local;
	}
	if (req->on_timing)
		req->on_timing("", "(storing the run)", time_monotonic_seconds() - w0,
			       time_thread_cpu_seconds() - c0, 0, req->cb_ctx);
	report_since_timings(st);
	return 0;
}

static int timed_base(struct store *s, struct run_state *st, struct eval_outcome *out,
		      struct diag *d)
{
	double w0 = time_monotonic_seconds(), c0 = time_thread_cpu_seconds();
	int rc = choose_base(s, st, out->as_of, d);

	st->t_wall[0] = time_monotonic_seconds() - w0;
	st->t_cpu[0] = time_thread_cpu_seconds() - c0;
	return rc;
}

/* Does the as-of time plan_run took from the kept state's claim hold?
 * It does when the state was built from that kept state (its digest,
 * and its record the base run's: pit_delta.c); else every item is read.
 * 0 yes, 1 no (the run is to be redone), -1 with d. */
static int check_derived(struct store *s, const struct run_state *st, struct diag *d)
{
	char latest[TIME_ISO_LEN];
	int64_t mark, ms;
	int rc;

	if (!st->derived || (st->hint.from_prior && st->hint.prior == &st->prior &&
			     !strcmp(st->prior.as_of, st->claim.as_of) &&
			     st->prior.items_mark == st->claim.items_mark))
		return 0;
	rc = pit_latest_time_mark(s, latest, &mark, d);
	if (rc < 0)
		return -1;
	return rc == 0 && !time_parse_iso(latest, &ms) && ms == st->as_of_ms ? 0 : 1;
}

static int run_once(struct store *s, const struct eval_request *caller, struct eval_outcome *out,
		    int exact, struct diag *d)
{
	struct run_state st;
	int ret = -1, rc;

	run_state_init(&st, caller);
	memset(out, 0, sizeof(*out));
	if (plan_run(s, &st, out, exact, d) || (caller->since_run && timed_base(s, &st, out, d)) ||
	    evaluate(s, &st, out, d) || (rc = check_derived(s, &st, d)) < 0)
		goto out;
	if (rc > 0) { /* the kept state's claim was wrong: the as-of time from every item */
		run_state_release(&st, s); /* its reports dropped: the redo makes its own */
		return run_once(s, caller, out, 1, d);
	}
	release_held(&st.col, 1);
	if (store_and_count(s, &st, out, d)) {
		if (st.inc.not_local) {
			/* When in doubt, everything: the run is redone in full. */
			struct eval_request full = *caller;

			report(caller, d, "warning");
			run_state_release(&st, s);
			full.since_run = 0;
			diag_clear(d);
			return eval_run(s, &full, out, d);
		}
		goto out;
	}
	out->seconds = time_monotonic_seconds() - st.t0;
	pit_share_keep(s, &st.hint, 1); /* the state, for a later --since-run */
	ret = 0;
out:
	release_held(&st.col, 1); /* a run that failed reports what it met */
	run_state_release(&st, s);
	return ret;
}

int eval_run(struct store *s, const struct eval_request *caller, struct eval_outcome *out,
	     struct diag *d)
{
	return run_once(s, caller, out, 0, d);
}

int eval_resolve_as_of(struct store *s, int64_t requested, int64_t *as_of_ms, struct diag *d)
{
	char latest[TIME_ISO_LEN];
	int rc;

	if (requested != EVAL_AS_OF_LATEST) {
		*as_of_ms = requested;
		return 0;
	}
	rc = pit_latest_time(s, latest, d);
	if (rc)
		return rc;
	if (time_parse_iso(latest, as_of_ms))
		return diag_set(d, s->path, 0, "bad latest time '%s'", latest);
	return 0;
}

char *eval_resolve_pack_path(const char *arg, const char *datadir)
{
	static const char *const suffixes[] = { "", ".yaml", ".yml" };
	struct strbuf sb = STRBUF_INIT;
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode))
		return xstrdup(arg);
	if (strchr(arg, '/'))
		return NULL;
	for (size_t i = 0; i < 3; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s/packs/%s%s", datadir, arg, suffixes[i]);
		if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode))
			return strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
	return NULL;
}
