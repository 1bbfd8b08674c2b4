/*
 * pack: load a conformance-pack template and resolve the CloudFormation
 * subset AWS's packs use into a list of Config rules (see pack.h).
 *
 * The YAML is first read into a ynode tree (yamltree.c) that keeps every
 * scalar's source text and position; this file then interprets the tree
 * as CloudFormation: Parameters (Default, --param overrides,
 * AllowedValues), Conditions, Ref / Fn::If / AWS::NoValue and the
 * resource-level Condition attribute. Short tags (!Ref, !If, ...) are
 * recognized wherever the long forms are, so nested flow use such as
 * `!Not [!Equals [!Ref P, '']]` works the same as the block form.
 *
 * Every error names the node it is about, as path:line:column.
 */
#include "packs/pack.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "packs/yamltree.h"
#include "rules/rule.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Upstream templates are at most 51 KB. */
#define PACK_MAX_FILE ((size_t)8 << 20)
/* Bound on Fn::If / condition nesting (recursion depth). */
#define PACK_MAX_EVAL_DEPTH 64

struct param {
	const char *name;	  /* borrowed from the tree */
	char *value;		  /* owned; NULL when there is no Default nor override */
	const struct ynode *decl; /* the parameter's declaration */
};

enum cond_state {
	COND_NEW,
	COND_BUSY, /* being evaluated: seeing it again is a cycle */
	COND_FALSE,
	COND_TRUE,
};

struct cond {
	const struct ynode *key;  /* the condition's name (scalar) */
	const struct ynode *body; /* its expression */
	enum cond_state state;
};

struct ctx {
	const char *path;
	struct diag *d;
	struct param *params;
	size_t n_params;
	struct name_index *param_idx; /* params sorted by name */
	struct cond *conds;
	size_t n_conds;
	struct name_index *cond_idx; /* conds sorted by name */
	int depth;		     /* current evaluation depth */
};

struct name_index {
	const char *name;
	size_t index;
};

static int cmp_name_index(const void *a, const void *b)
{
	const struct name_index *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_name_only(const void *a, const void *b)
{
	return strcmp(((const struct name_index *)a)->name, ((const struct name_index *)b)->name);
}

/* A name -> position index sorted for bsearch: templates may declare many
 * parameters and conditions, and every Ref or Condition looks one up. */
static struct name_index *index_keys(const struct ynode *map)
{
	struct name_index *v = xcalloc(map->n ? map->n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < map->n; i++) {
		v[i].name = ymap_key(map, i)->text;
		v[i].index = i;
	}
	qsort(v, map->n, sizeof(*v), cmp_name_index);
	return v;
}

static long lookup_name(const struct name_index *v, size_t n, const char *name)
{
	struct name_index key = {name, 0};
	const struct name_index *hit = n ? bsearch(&key, v, n, sizeof(*v), cmp_name_only) : NULL;

	return hit ? (long)hit->index : -1;
}

/* A resolved value: a scalar (text borrowed from the tree or a parameter),
 * the absence of a value (Ref AWS::NoValue), or a collection node. */
enum rv_kind {
	RV_SCALAR,
	RV_NOVALUE,
	RV_NODE,
};

struct rv {
	enum rv_kind kind;
	const char *text;	  /* RV_SCALAR: the text; NULL for a parameter without a value */
	const char *unset_param;  /* RV_SCALAR with text NULL: the parameter's name */
	const struct ynode *node; /* RV_NODE: the collection; RV_SCALAR: the scalar or Ref */
};

__attribute__((format(printf, 3, 4))) static int fail(struct ctx *c, const struct ynode *at,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset_at(c->d, c->path, at ? at->line : 1, at ? at->column : 1, fmt, ap);
	va_end(ap);
	return -1;
}

/* Short tags and the long forms they stand for. */
static const struct {
	const char *tag;
	const char *fn;
} short_tags[] = {
    {"!Ref", "Ref"},
    {"!Condition", "Condition"},
    {"!If", "Fn::If"},
    {"!Equals", "Fn::Equals"},
    {"!Not", "Fn::Not"},
    {"!And", "Fn::And"},
    {"!Or", "Fn::Or"},
    {"!Sub", "Fn::Sub"},
    {"!Join", "Fn::Join"},
    {"!Select", "Fn::Select"},
    {"!Split", "Fn::Split"},
    {"!GetAtt", "Fn::GetAtt"},
    {"!GetAZs", "Fn::GetAZs"},
    {"!FindInMap", "Fn::FindInMap"},
    {"!Base64", "Fn::Base64"},
    {"!ImportValue", "Fn::ImportValue"},
    {"!Cidr", "Fn::Cidr"},
    {"!Length", "Fn::Length"},
    {"!ToJsonString", "Fn::ToJsonString"},
};

/*
 * Is n an intrinsic function call? Returns 1 with *fn (the long name) and
 * *arg set, 0 if not, -1 on an unsupported tag. For a short tag the
 * argument is the tagged node itself: callers look only at arg's kind and
 * children, never at arg's tag again. A one-key mapping {Condition: X}
 * is a call only where conditions are (in_cond).
 */
static int intrinsic(struct ctx *c, const struct ynode *n, int in_cond, const char **fn,
		     const struct ynode **arg)
{
	size_t i;

	if (n->tag) {
		for (i = 0; i < sizeof(short_tags) / sizeof(short_tags[0]); i++) {
			if (!strcmp(n->tag, short_tags[i].tag)) {
				*fn = short_tags[i].fn;
				*arg = n;
				return 1;
			}
		}
		/* Standard YAML tags (!!str, !!int, ...) change nothing here:
		 * every scalar is kept as text. */
		if (strncmp(n->tag, "tag:yaml.org,2002:", 18))
			return fail(c, n, "unsupported tag '%.200s'", n->tag);
	}
	if (n->kind == YN_MAP && n->n == 1) {
		const struct ynode *k = ymap_key(n, 0);

		if (yscalar_is(k, "Ref") || !strncmp(k->text, "Fn::", 4) ||
		    (in_cond && yscalar_is(k, "Condition"))) {
			*fn = k->text;
			*arg = ymap_val(n, 0);
			return 1;
		}
	}
	return 0;
}

static struct param *find_param(struct ctx *c, const char *name)
{
	long i = lookup_name(c->param_idx, c->n_params, name);

	return i < 0 ? NULL : &c->params[i];
}

static int eval_cond_named(struct ctx *c, const struct ynode *name, int *out);

static int eval_value(struct ctx *c, const struct ynode *n, struct rv *out)
{
	const char *fn;
	const struct ynode *arg;
	int r = intrinsic(c, n, 0, &fn, &arg);

	memset(out, 0, sizeof(*out));
	out->node = n;
	if (r < 0)
		return -1;
	if (r == 0) {
		if (n->kind == YN_SCALAR) {
			out->kind = RV_SCALAR;
			out->text = n->text;
		} else {
			out->kind = RV_NODE;
		}
		return 0;
	}
	if (!strcmp(fn, "Ref")) {
		struct param *p;

		if (arg->kind != YN_SCALAR)
			return fail(c, arg, "'Ref' needs the name of a parameter");
		if (!strcmp(arg->text, "AWS::NoValue")) {
			out->kind = RV_NOVALUE;
			return 0;
		}
		p = find_param(c, arg->text);
		if (p) {
			out->kind = RV_SCALAR;
			out->text = p->value;
			out->unset_param = p->name;
			return 0;
		}
		if (!strncmp(arg->text, "AWS::", 5))
			return fail(c, arg, "unsupported pseudo parameter '%.200s'", arg->text);
		return fail(c, arg, "unknown reference '%.200s'", arg->text);
	}
	if (!strcmp(fn, "Fn::If")) {
		int val, rc;

		if (arg->kind != YN_SEQ || arg->n != 3)
			return fail(c, arg,
				    "'Fn::If' needs a list of 3: [condition, value if true, "
				    "value if false]");
		if (c->depth >= PACK_MAX_EVAL_DEPTH)
			return fail(c, arg, "'Fn::If' nested too deeply");
		if (eval_cond_named(c, arg->items[0], &val) < 0)
			return -1;
		c->depth++;
		rc = eval_value(c, arg->items[val ? 1 : 2], out);
		c->depth--;
		return rc;
	}
	if (!strcmp(fn, "Fn::Equals") || !strcmp(fn, "Fn::Not") || !strcmp(fn, "Fn::And") ||
	    !strcmp(fn, "Fn::Or") || !strcmp(fn, "Condition"))
		return fail(c, n, "'%.200s' is only allowed in Conditions", fn);
	return fail(c, n, "unsupported intrinsic function '%.200s'", fn);
}

/* Resolve n to a string, or fail naming what. NULL text is refused. */
static int eval_string(struct ctx *c, const struct ynode *n, const char *what, const char **out)
{
	struct rv v;

	if (eval_value(c, n, &v) < 0)
		return -1;
	if (v.kind != RV_SCALAR)
		return fail(c, n, "%s must be a string", what);
	if (!v.text)
		return fail(
		    c, n,
		    "parameter '%.200s' has no Default: give it a value with --param %s=VALUE",
		    v.unset_param, v.unset_param);
	*out = v.text;
	return 0;
}

/*
 * Resolve n, a value that may be left out (Ref AWS::NoValue), to a scalar:
 * 1 with its text in *out, 0 when it is left out, -1 after failing with
 * the message not_scalar, ... when it is a collection, or with the
 * parameter without a Default it refers to.
 */
__attribute__((format(printf, 4, 5))) static int eval_optional_scalar(struct ctx *c,
								      const struct ynode *n,
								      const char **out,
								      const char *not_scalar, ...)
{
	struct rv v;

	if (eval_value(c, n, &v) < 0)
		return -1;
	if (v.kind == RV_NOVALUE)
		return 0;
	if (v.kind != RV_SCALAR) {
		va_list ap;

		va_start(ap, not_scalar);
		diag_vset_at(c->d, c->path, n->line, n->column, not_scalar, ap);
		va_end(ap);
		return -1;
	}
	if (!v.text)
		return fail(c, n,
			    "parameter '%.200s' has no Default: give it a value with "
			    "--param %s=VALUE",
			    v.unset_param, v.unset_param);
	*out = v.text;
	return 1;
}

static int eval_cond_expr(struct ctx *c, const struct ynode *n, int *out)
{
	const char *fn;
	const struct ynode *arg;
	size_t i;
	int r = intrinsic(c, n, 1, &fn, &arg), rc = 0;

	if (r < 0)
		return -1;
	if (r == 0)
		return fail(
		    c, n, "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
	if (c->depth >= PACK_MAX_EVAL_DEPTH)
		return fail(c, n, "condition nested too deeply");
	c->depth++;
	if (!strcmp(fn, "Fn::Equals")) {
		const char *a, *b;

		if (arg->kind != YN_SEQ || arg->n != 2)
			rc = fail(c, arg, "'Fn::Equals' needs a list of 2 values");
		else if (eval_string(c, arg->items[0], "an Fn::Equals operand", &a) < 0 ||
			 eval_string(c, arg->items[1], "an Fn::Equals operand", &b) < 0)
			rc = -1;
		else
			*out = !strcmp(a, b);
	} else if (!strcmp(fn, "Fn::Not")) {
		int v;

		if (arg->kind != YN_SEQ || arg->n != 1)
			rc = fail(c, arg, "'Fn::Not' needs a list of 1 condition");
		else if ((rc = eval_cond_expr(c, arg->items[0], &v)) == 0)
			*out = !v;
	} else if (!strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or")) {
		int is_and = !strcmp(fn, "Fn::And"), acc = is_and, v;

		if (arg->kind != YN_SEQ || arg->n < 2 || arg->n > 10) {
			rc = fail(c, arg, "'%s' needs a list of 2 to 10 conditions", fn);
		} else {
			for (i = 0; i < arg->n && rc == 0; i++) {
				rc = eval_cond_expr(c, arg->items[i], &v);
				acc = is_and ? (acc && v) : (acc || v);
			}
			if (rc == 0)
				*out = acc;
		}
	} else if (!strcmp(fn, "Condition")) {
		rc = eval_cond_named(c, arg, out);
	} else {
		rc = fail(c, n, "'%.200s' is not allowed in a condition", fn);
	}
	c->depth--;
	return rc;
}

static int eval_cond_named(struct ctx *c, const struct ynode *name, int *out)
{
	long i;
	int v;

	/* The argument of a short !Condition is the tagged scalar itself. */
	if (name->kind != YN_SCALAR || (name->tag && strcmp(name->tag, "!Condition")))
		return fail(c, name, "expected the name of a condition");
	i = lookup_name(c->cond_idx, c->n_conds, name->text);
	if (i >= 0) {
		struct cond *cd = &c->conds[i];

		if (cd->state == COND_BUSY)
			return fail(c, name, "condition '%.200s' depends on itself", name->text);
		if (cd->state == COND_NEW) {
			cd->state = COND_BUSY;
			if (eval_cond_expr(c, cd->body, &v) < 0) {
				cd->state = COND_NEW;
				return -1;
			}
			cd->state = v ? COND_TRUE : COND_FALSE;
		}
		*out = cd->state == COND_TRUE;
		return 0;
	}
	return fail(c, name, "unknown condition '%.200s'", name->text);
}

/* A parameter's value must be one of its AllowedValues, if it has them. */
static int check_allowed_value(struct ctx *c, const struct ynode *k, const struct param *p)
{
	const struct ynode *allowed = ymap_get(p->decl, "AllowedValues");

	if (!allowed || allowed->kind != YN_SEQ || !p->value)
		return 0;
	for (size_t j = 0; j < allowed->n; j++)
		if (allowed->items[j]->kind == YN_SCALAR &&
		    !strcmp(allowed->items[j]->text, p->value))
			return 0;
	return fail(c, k, "value '%.200s' of parameter '%.200s' is not one of its AllowedValues",
		    p->value, p->name);
}

static int load_parameters(struct ctx *c, const struct ynode *root,
			   const struct param_override *ov, size_t n_ov)
{
	const struct ynode *ps = ymap_get(root, "Parameters");
	size_t i, j;

	if (!ps)
		return 0;
	if (ps->kind != YN_MAP)
		return fail(c, ps, "'Parameters' must be a mapping");
	c->params = xcalloc(ps->n ? ps->n : 1, sizeof(*c->params));
	c->param_idx = index_keys(ps);
	for (i = 0; i < ps->n; i++) {
		const struct ynode *k = ymap_key(ps, i), *decl = ymap_val(ps, i), *def;
		struct param *p = &c->params[c->n_params++];

		p->name = k->text;
		p->decl = decl;
		if (decl->kind != YN_MAP)
			return fail(c, decl, "parameter '%.200s' must be a mapping", k->text);
		def = ymap_get(decl, "Default");
		if (def) {
			if (def->kind != YN_SCALAR || def->tag)
				return fail(c, def,
					    "the Default of parameter '%.200s' must be a string",
					    k->text);
			p->value = xstrdup(def->text);
		}
		for (j = 0; j < n_ov; j++) {
			if (!ov[j].rule && !strcmp(ov[j].key, p->name)) {
				free(p->value);
				p->value = xstrdup(ov[j].value);
			}
		}
		if (check_allowed_value(c, k, p) < 0)
			return -1;
	}
	return 0;
}

static int load_conditions(struct ctx *c, const struct ynode *root)
{
	const struct ynode *cs = ymap_get(root, "Conditions");
	size_t i;
	int v;

	if (!cs)
		return 0;
	if (cs->kind != YN_MAP)
		return fail(c, cs, "'Conditions' must be a mapping");
	c->conds = xcalloc(cs->n ? cs->n : 1, sizeof(*c->conds));
	for (i = 0; i < cs->n; i++) {
		c->conds[i].key = ymap_key(cs, i);
		c->conds[i].body = ymap_val(cs, i);
		c->conds[i].state = COND_NEW;
	}
	c->n_conds = cs->n;
	c->cond_idx = index_keys(cs);
	/* Evaluate all of them, as CloudFormation validates all of them. */
	for (i = 0; i < cs->n; i++)
		if (eval_cond_named(c, c->conds[i].key, &v) < 0)
			return -1;
	return 0;
}

/* Append an input parameter. Callers pass names known to be new (YAML and
 * JSON keys are unique), so this stays linear for huge templates. */
static void append_param(struct pack_rule *r, size_t *alloc, const char *name, size_t name_len,
			 const char *value)
{
	ALLOC_GROW(r->params, r->n_params + 1, *alloc);
	r->params[r->n_params].name = xstrndup(name, name_len);
	r->params[r->n_params].value = xstrdup(value);
	r->n_params++;
}

/* InputParameters given as a JSON object in a string (CloudFormation's
 * Json property type allows it). */
static int json_input_parameters(struct ctx *c, const struct ynode *at, const char *text,
				 struct pack_rule *r, size_t *alloc)
{
	json_error_t jerr;
	json_t *obj = json_loads(text, JSON_REJECT_DUPLICATES, &jerr), *v;
	const char *k;
	int rc = 0;

	if (!obj || !json_is_object(obj)) {
		json_decref(obj);
		return fail(c, at, "InputParameters must be a mapping or a JSON object");
	}
	json_object_foreach(obj, k, v)
	{
		if (json_is_string(v)) {
			append_param(r, alloc, k, strlen(k), json_string_value(v));
		} else if (json_is_number(v) || json_is_boolean(v)) {
			char *s = json_dumps(v, JSON_ENCODE_ANY);

			if (!s) {
				rc = fail(c, at, "cannot encode input parameter '%.200s'", k);
				break;
			}
			append_param(r, alloc, k, strlen(k), s);
			free(s);
		} else if (!json_is_null(v)) {
			rc = fail(c, at, "input parameter '%.200s' must be a scalar", k);
			break;
		}
	}
	json_decref(obj);
	return rc;
}

static int rule_input_parameters(struct ctx *c, const struct ynode *n, struct pack_rule *r,
				 size_t *alloc)
{
	struct rv v;
	size_t i;

	if (eval_value(c, n, &v) < 0)
		return -1;
	if (v.kind == RV_NOVALUE)
		return 0;
	if (v.kind == RV_SCALAR) {
		if (!v.text)
			return fail(c, n,
				    "parameter '%.200s' has no Default: give it a value with "
				    "--param %s=VALUE",
				    v.unset_param, v.unset_param);
		return json_input_parameters(c, n, v.text, r, alloc);
	}
	if (v.node->kind != YN_MAP)
		return fail(c, v.node, "InputParameters must be a mapping");
	for (i = 0; i < v.node->n; i++) {
		const struct ynode *k = ymap_key(v.node, i), *val = ymap_val(v.node, i);
		const char *text;
		int got = eval_optional_scalar(
		    c, val, &text, "input parameter '%.200s' must be a scalar", k->text);

		if (got < 0)
			return -1;
		if (got)
			append_param(r, alloc, k->text, k->text_len, text);
	}
	return 0;
}

/* Scope.ComplianceResourceTypes: a list of strings. */
static int scope_types(struct ctx *c, const struct ynode *val, struct pack_rule *r)
{
	struct rv sv;
	size_t alloc = 0;

	if (eval_value(c, val, &sv) < 0)
		return -1;
	if (sv.kind == RV_NOVALUE)
		return 0;
	if (sv.kind != RV_NODE || sv.node->kind != YN_SEQ)
		return fail(c, val, "ComplianceResourceTypes must be a list");
	for (size_t j = 0; j < sv.node->n; j++) {
		struct rv tv;

		if (eval_value(c, sv.node->items[j], &tv) < 0)
			return -1;
		if (tv.kind == RV_NOVALUE)
			continue;
		if (tv.kind != RV_SCALAR || !tv.text)
			return fail(c, sv.node->items[j], "a resource type must be a string");
		ALLOC_GROW(r->resource_types, r->n_resource_types + 1, alloc);
		r->resource_types[r->n_resource_types++] = xstrdup(tv.text);
	}
	return 0;
}

static int rule_scope(struct ctx *c, const struct ynode *n, struct pack_rule *r)
{
	struct rv v;

	if (eval_value(c, n, &v) < 0)
		return -1;
	if (v.kind == RV_NOVALUE)
		return 0;
	if (v.kind != RV_NODE || v.node->kind != YN_MAP)
		return fail(c, n, "Scope must be a mapping");
	for (size_t i = 0; i < v.node->n; i++) {
		const struct ynode *k = ymap_key(v.node, i), *val = ymap_val(v.node, i);
		char **slot = NULL;
		const char *text;
		int got;

		if (yscalar_is(k, "ComplianceResourceTypes")) {
			if (scope_types(c, val, r))
				return -1;
			continue;
		}
		if (yscalar_is(k, "TagKey"))
			slot = &r->tag_key;
		else if (yscalar_is(k, "TagValue"))
			slot = &r->tag_value;
		else if (yscalar_is(k, "ComplianceResourceId"))
			slot = &r->resource_id;
		else
			return fail(c, k, "unknown Scope key '%.200s'", k->text);
		got = eval_optional_scalar(c, val, &text, "Scope %s must be a string", k->text);
		if (got < 0)
			return -1;
		if (got)
			*slot = xstrdup(text);
	}
	return 0;
}

static const char *const frequencies[] = {
    "One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours", NULL,
};

static int rule_source(struct ctx *c, const struct ynode *res_key, const struct ynode *n,
		       struct pack_rule *r)
{
	struct rv v;
	const struct ynode *owner, *ident;
	const char *s;

	if (eval_value(c, n, &v) < 0)
		return -1;
	if (v.kind != RV_NODE || v.node->kind != YN_MAP)
		return fail(c, n, "Source must be a mapping");
	owner = ymap_get(v.node, "Owner");
	if (!owner)
		return fail(c, v.node, "config rule '%.200s' has no Source.Owner", res_key->text);
	if (eval_string(c, owner, "Source.Owner", &s) < 0)
		return -1;
	r->owner = xstrdup(s);
	ident = ymap_get(v.node, "SourceIdentifier");
	if (ident) {
		struct rv iv;

		if (eval_value(c, ident, &iv) < 0)
			return -1;
		if (iv.kind == RV_NOVALUE)
			ident = NULL;
		else if (iv.kind != RV_SCALAR)
			return fail(c, ident, "SourceIdentifier must be a string");
		/* A custom Lambda rule's ARN is often a parameter without a
		 * default; it is never evaluated offline, so it may stay unset. */
		else if (!iv.text && strcmp(r->owner, "CUSTOM_LAMBDA"))
			return fail(c, ident,
				    "parameter '%.200s' has no Default: give it a value with "
				    "--param %s=VALUE",
				    iv.unset_param, iv.unset_param);
		else if (iv.text)
			r->source_identifier = xstrdup(iv.text);
	}
	if (!r->source_identifier && !strcmp(r->owner, "AWS"))
		return fail(c, ident ? ident : v.node,
			    "config rule '%.200s' has no SourceIdentifier", res_key->text);
	return 0;
}

/* The resource's "Metadata: cfgaudit:" mapping: Severity and Remediation
 * override the rule file's (cfgaudit-pack(1)); CloudFormation ignores
 * Metadata, so the template still deploys. */
static int rule_triage_metadata(struct ctx *c, const struct ynode *res, struct pack_rule *r)
{
	const struct ynode *md = ymap_get(res, "Metadata"), *ours, *n;
	const char *s;
	enum rule_severity sev;

	if (!md || md->kind != YN_MAP || !(ours = ymap_get(md, "cfgaudit")))
		return 0;
	if (ours->kind != YN_MAP)
		return fail(c, ours, "Metadata.cfgaudit must be a mapping");
	n = ymap_get(ours, "Severity");
	if (n) {
		if (eval_string(c, n, "Metadata.cfgaudit.Severity", &s) < 0)
			return -1;
		if (rule_severity_parse(s, &sev))
			return fail(c, n, "unknown Severity '%.200s' (critical, high, medium, low)",
				    s);
		r->severity = xstrdup(rule_severity_name(sev));
	}
	n = ymap_get(ours, "Remediation");
	if (n) {
		if (eval_string(c, n, "Metadata.cfgaudit.Remediation", &s) < 0)
			return -1;
		if (!*s || strlen(s) > 400 || strchr(s, '\n'))
			return fail(c, n, "Remediation must be one line of 1 to 400 characters");
		r->remediation = xstrdup(s);
	}
	return 0;
}

static int load_rule(struct ctx *c, const struct ynode *key, const struct ynode *res,
		     struct pack_rule *r)
{
	const struct ynode *props = ymap_get(res, "Properties"), *n;
	size_t alloc = 0, i;
	const char *s;

	r->logical_id = xstrdup(key->text);
	r->line = key->line;
	if (!props || props->kind != YN_MAP)
		return fail(c, props ? props : key,
			    "config rule '%.200s' has no Properties mapping", key->text);
	n = ymap_get(props, "ConfigRuleName");
	if (n) {
		if (eval_string(c, n, "ConfigRuleName", &s) < 0)
			return -1;
		r->config_rule_name = xstrdup(s);
	} else {
		r->config_rule_name = xstrdup(key->text);
	}
	if (rule_triage_metadata(c, res, r) < 0)
		return -1;
	n = ymap_get(props, "Source");
	if (!n)
		return fail(c, key, "config rule '%.200s' has no Source", key->text);
	if (rule_source(c, key, n, r) < 0)
		return -1;
	n = ymap_get(props, "InputParameters");
	if (n && rule_input_parameters(c, n, r, &alloc) < 0)
		return -1;
	n = ymap_get(props, "Scope");
	if (n && rule_scope(c, n, r) < 0)
		return -1;
	n = ymap_get(props, "MaximumExecutionFrequency");
	if (n) {
		struct rv v;

		if (eval_value(c, n, &v) < 0)
			return -1;
		if (v.kind == RV_SCALAR && v.text) {
			for (i = 0; frequencies[i]; i++)
				if (!strcmp(frequencies[i], v.text))
					break;
			if (!frequencies[i])
				return fail(c, n, "unknown MaximumExecutionFrequency '%.200s'",
					    v.text);
			r->max_frequency = xstrdup(v.text);
		} else if (v.kind != RV_NOVALUE) {
			return fail(c, n, "MaximumExecutionFrequency must be a string");
		}
	}
	return 0;
}

static void apply_rule_overrides(struct pack_rule *r, const struct param_override *ov,
				 size_t n_ov)
{
	size_t i, j, alloc = r->n_params;

	for (i = 0; i < n_ov; i++) {
		if (!ov[i].rule || strcmp(ov[i].rule, r->config_rule_name))
			continue;
		for (j = 0; j < r->n_params; j++)
			if (!strcmp(ov[i].key, r->params[j].name))
				break;
		if (j < r->n_params) {
			free(r->params[j].value);
			r->params[j].value = xstrdup(ov[i].value);
		} else {
			append_param(r, &alloc, ov[i].key, strlen(ov[i].key), ov[i].value);
		}
	}
}

static void free_rule(struct pack_rule *r)
{
	size_t i;

	free(r->config_rule_name);
	free(r->logical_id);
	free(r->owner);
	free(r->source_identifier);
	for (i = 0; i < r->n_params; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	free(r->params);
	for (i = 0; i < r->n_resource_types; i++)
		free(r->resource_types[i]);
	free(r->resource_types);
	free(r->tag_key);
	free(r->tag_value);
	free(r->resource_id);
	free(r->max_frequency);
	free(r->severity);
	free(r->remediation);
}

/* AWS Config keys rules by name: two rules with one name cannot deploy.
 * Sorting keeps this O(n log n) for hostile templates; the rule reported
 * is the earliest duplicate in template order. */
static int check_unique_names(struct ctx *c, const struct pack *p, const struct ynode *rs)
{
	struct name_index *v;
	size_t i, bad = (size_t)-1, first = 0;
	int rc = 0;

	if (p->n_rules < 2)
		return 0;
	v = xmalloc(p->n_rules * sizeof(*v));
	for (i = 0; i < p->n_rules; i++) {
		v[i].name = p->rules[i].config_rule_name;
		v[i].index = i;
	}
	qsort(v, p->n_rules, sizeof(*v), cmp_name_index);
	for (i = 1; i < p->n_rules; i++) {
		if (!strcmp(v[i].name, v[i - 1].name) && (bad == (size_t)-1 || v[i].index < bad)) {
			bad = v[i].index;
			first = v[i - 1].index;
		}
	}
	if (bad != (size_t)-1) {
		const struct ynode *key = rs;
		size_t k;

		for (k = 0; k < rs->n; k++)
			if (!strcmp(ymap_key(rs, k)->text, p->rules[bad].logical_id))
				key = ymap_key(rs, k);
		rc = fail(c, key, "duplicate ConfigRuleName '%.200s' (also resource '%.200s')",
			  p->rules[bad].config_rule_name, p->rules[first].logical_id);
	}
	free(v);
	return rc;
}

/* A resource of another type, listed by 'pack check'. */
static void list_ignored(struct pack *p, size_t *alloc, const struct ynode *key,
			 const struct ynode *type)
{
	ALLOC_GROW(p->ignored, p->n_ignored + 1, *alloc);
	p->ignored[p->n_ignored].logical_id = xstrdup(key->text);
	p->ignored[p->n_ignored].type = xstrdup(type->text);
	p->ignored[p->n_ignored].line = key->line;
	p->n_ignored++;
}

/* A rule whose resource-level Condition is false. */
static void list_skipped(struct pack *p, size_t *alloc, const struct ynode *key,
			 const struct ynode *cond)
{
	ALLOC_GROW(p->skipped, p->n_skipped + 1, *alloc);
	p->skipped[p->n_skipped].logical_id = xstrdup(key->text);
	p->skipped[p->n_skipped].condition = xstrdup(cond->text);
	p->skipped[p->n_skipped].line = key->line;
	p->n_skipped++;
}

static int load_resources(struct ctx *c, const struct ynode *root, struct pack *p,
			  const struct param_override *ov, size_t n_ov)
{
	const struct ynode *rs = ymap_get(root, "Resources");
	size_t i, rules_alloc = 0, skipped_alloc = 0, ignored_alloc = 0;

	if (!rs)
		return fail(c, root, "template has no Resources");
	if (rs->kind != YN_MAP)
		return fail(c, rs, "'Resources' must be a mapping");
	for (i = 0; i < rs->n; i++) {
		const struct ynode *key = ymap_key(rs, i), *res = ymap_val(rs, i), *type, *cond;
		struct pack_rule *r;
		int deployed = 1;

		if (res->kind != YN_MAP)
			return fail(c, res, "resource '%.200s' must be a mapping", key->text);
		type = ymap_get(res, "Type");
		if (!type || type->kind != YN_SCALAR || type->tag)
			return fail(c, type ? type : key, "resource '%.200s' has no Type",
				    key->text);
		cond = ymap_get(res, "Condition");
		if (cond && eval_cond_named(c, cond, &deployed) < 0)
			return -1;
		if (strcmp(type->text, "AWS::Config::ConfigRule")) {
			list_ignored(p, &ignored_alloc, key, type);
			continue;
		}
		if (!deployed) {
			list_skipped(p, &skipped_alloc, key, cond);
			continue;
		}
		ALLOC_GROW(p->rules, p->n_rules + 1, rules_alloc);
		r = &p->rules[p->n_rules];
		memset(r, 0, sizeof(*r));
		p->n_rules++;
		if (load_rule(c, key, res, r) < 0)
			return -1;
		apply_rule_overrides(r, ov, n_ov);
	}
	return check_unique_names(c, p, rs);
}

static char *pack_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	return xstrndup(base, len);
}

/* Move the resolved pack parameters into p. Parameters without a value
 * (no Default, no override) are left out: nothing deployed used them, or
 * loading would have failed. */
static void keep_parameters(struct ctx *c, struct pack *p)
{
	p->parameters = xcalloc(c->n_params ? c->n_params : 1, sizeof(*p->parameters));
	for (size_t i = 0; i < c->n_params; i++) {
		if (!c->params[i].value)
			continue;
		p->parameters[p->n_parameters].name = xstrdup(c->params[i].name);
		p->parameters[p->n_parameters].value = c->params[i].value;
		c->params[i].value = NULL;
		p->n_parameters++;
	}
}

struct pack *pack_load(const char *path, const struct param_override *ov, size_t n_ov,
		       struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct ynode *root;
	struct pack *p;
	struct ctx c;
	const struct ynode *desc;
	size_t i;
	int rc = 0;

	diag_clear(d);
	if (read_file(path, &sb, PACK_MAX_FILE, d) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	root = ytree_parse(path, sb.buf, sb.len, d);
	strbuf_release(&sb);
	if (!root)
		return NULL;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.d = d;
	p = xcalloc(1, sizeof(*p));
	p->path = xstrdup(path);
	p->name = pack_name(path);
	if (root->kind != YN_MAP) {
		rc = fail(&c, root, "a template must be a mapping");
		goto out;
	}
	desc = ymap_get(root, "Description");
	if (desc && desc->kind == YN_SCALAR)
		p->description = xstrdup(desc->text);
	if (load_parameters(&c, root, ov, n_ov) < 0 || load_conditions(&c, root) < 0 ||
	    load_resources(&c, root, p, ov, n_ov) < 0) {
		rc = -1;
		goto out;
	}
	keep_parameters(&c, p);
out:
	for (i = 0; i < c.n_params; i++)
		free(c.params[i].value);
	free(c.params);
	free(c.conds);
	free(c.param_idx);
	free(c.cond_idx);
	ynode_free(root);
	if (rc < 0) {
		pack_free(p);
		return NULL;
	}
	return p;
}

int pack_override_matches(const struct pack *p, const struct param_override *ov)
{
	size_t i;

	if (ov->rule) {
		for (i = 0; i < p->n_rules; i++)
			if (!strcmp(ov->rule, p->rules[i].config_rule_name))
				return 1;
		return 0;
	}
	for (i = 0; i < p->n_parameters; i++)
		if (!strcmp(ov->key, p->parameters[i].name))
			return 1;
	return 0;
}

void pack_free(struct pack *p)
{
	size_t i;

	if (!p)
		return;
	free(p->path);
	free(p->name);
	free(p->description);
	for (i = 0; i < p->n_parameters; i++) {
		free(p->parameters[i].name);
		free(p->parameters[i].value);
	}
	free(p->parameters);
	for (i = 0; i < p->n_rules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	for (i = 0; i < p->n_skipped; i++) {
		free(p->skipped[i].logical_id);
		free(p->skipped[i].condition);
	}
	free(p->skipped);
	for (i = 0; i < p->n_ignored; i++) {
		free(p->ignored[i].logical_id);
		free(p->ignored[i].type);
	}
	free(p->ignored);
	free(p);
}
