/*
 * rule: parsing rule files (a header of "-- key: value" comment lines,
 * then one SELECT) and finding them in the rule directories. The format
 * is documented in cfgaudit-rules(5); every error names file and line.
 */
#include "rules/rule.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A remediation is one sentence, not a manual. */
#define RULE_REMEDIATION_MAX 400

/* A rule file is small text; anything larger is not a rule. */
#define RULE_FILE_MAX (1024 * 1024)

static const char *const known_keys[] = {
	"identifier", "name", "resource-types", "trigger", "parameters", "description", "missing",
	"statement", "constant", "severity", "remediation", NULL,
};

/* One header entry while parsing: its key, its text, and for
 * "parameters" the continuation lines kept apart. */
struct header_entry {
	char key[32];
	struct strbuf value;
	long line;
};

static char *trim_dup(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static int valid_identifier(const char *id)
{
	if (!*id || strlen(id) > 128)
		return 0;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return 0;
	return 1;
}

static int parse_param_type(const char *s, enum rule_param_type *t)
{
	if (!strcmp(s, "string"))
		*t = RULE_PARAM_STRING;
	else if (!strcmp(s, "int"))
		*t = RULE_PARAM_INT;
	else if (!strcmp(s, "bool"))
		*t = RULE_PARAM_BOOL;
	else if (!strcmp(s, "csv"))
		*t = RULE_PARAM_CSV;
	else
		return -1;
	return 0;
}

const char *rule_param_type_name(enum rule_param_type t)
{
	switch (t) {
	case RULE_PARAM_INT:
		return "int";
	case RULE_PARAM_BOOL:
		return "bool";
	case RULE_PARAM_CSV:
		return "csv";
	default:
		return "string";
	}
}

int rule_check_param_value(enum rule_param_type t, const char *value, const char **why)
{
	char *end;

	switch (t) {
	case RULE_PARAM_INT:
		errno = 0;
		(void)strtoll(value, &end, 10);
		if (errno || end == value || *end) {
			*why = "is not a whole number";
			return -1;
		}
		return 0;
	case RULE_PARAM_BOOL:
		/* AWS passes rule parameters as strings and documents
		 * "true"/"false" in lowercase, but its own sample packs
		 * pass 'TRUE' too, which AWS Config accepts. */
		if (strcasecmp(value, "true") && strcasecmp(value, "false")) {
			*why = "is not true or false";
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

/* "TYPE[, optional]" of a parameter line (rest, cut at its commas) into
 * p's type and optional flag. Returns 0, or -1 with d filled. */
static int parse_param_spec(char *rest, struct rule_param *p, const char *path, long line,
			    struct diag *d)
{
	char *comma = strchr(rest, ',');
	char *type;
	int bad;

	if (comma) {
		char *flag = trim_dup(comma + 1, strlen(comma + 1));

		*comma = '\0';
		if (strcmp(flag, "optional")) {
			diag_set(d, path, line, "unknown parameter flag '%s' (only 'optional')",
				 flag);
			free(flag);
			return -1;
		}
		free(flag);
		p->optional = 1;
	}
	type = trim_dup(rest, strlen(rest));
	bad = parse_param_type(type, &p->type);
	if (bad)
		diag_set(d, path, line,
			 "parameter '%s' has unknown type '%s' (string, int, bool, csv)", p->name,
			 type);
	free(type);
	return bad ? -1 : 0;
}

/* Parse "NAME: TYPE [= DEFAULT]" or "NAME: TYPE, optional". */
static int parse_param_line(struct rule *r, const char *path, long line, const char *text,
			    struct diag *d)
{
	const char *colon = strchr(text, ':');
	struct rule_param p = { 0 };
	char *rest, *eq;
	const char *why;

	if (!colon)
		return diag_set(d, path, line, "parameter line needs 'NAME: TYPE': '%s'", text);
	p.name = trim_dup(text, (size_t)(colon - text));
	if (!valid_identifier(p.name) || strchr(p.name, '-')) {
		diag_set(d, path, line, "bad parameter name '%s'", p.name);
		free(p.name);
		return -1;
	}
	rest = trim_dup(colon + 1, strlen(colon + 1));
	eq = strchr(rest, '=');
	if (eq) {
		p.default_value = trim_dup(eq + 1, strlen(eq + 1));
		*eq = '\0';
	}
	if (parse_param_spec(rest, &p, path, line, d))
		goto fail;
	if (p.default_value && rule_check_param_value(p.type, p.default_value, &why)) {
		diag_set(d, path, line, "default of parameter '%s' %s: '%s'", p.name, why,
			 p.default_value);
		goto fail;
	}
	if (rule_find_param(r, p.name)) {
		diag_set(d, path, line, "parameter '%s' is declared twice", p.name);
		goto fail;
	}
	free(rest);
	r->params = xrealloc(r->params, (r->n_params + 1) * sizeof(*r->params));
	r->params[r->n_params++] = p;
	return 0;
fail:
	free(rest);
	free(p.name);
	free(p.default_value);
	return -1;
}

static int split_types(struct rule *r, const char *path, long line, const char *text,
		       struct diag *d)
{
	const char *p = text;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *t = trim_dup(p, len);

		if (!*t || strncmp(t, "AWS::", 5)) {
			diag_set(d, path, line, "bad resource type '%s'", t);
			free(t);
			return -1;
		}
		r->resource_types =
			xrealloc(r->resource_types, (r->n_resource_types + 1) * sizeof(char *));
		r->resource_types[r->n_resource_types++] = t;
		p = end ? end + 1 : p + len;
	}
	if (!r->n_resource_types)
		return diag_set(d, path, line, "resource-types is empty");
	return 0;
}

/* Parse "NAME = VALUE" of a constant line; an empty VALUE is NULL. */
static int parse_constant(struct rule *r, const char *path, long line, const char *text,
			  struct diag *d)
{
	const char *eq = strchr(text, '=');
	struct rule_constant c = { 0 };

	if (!eq)
		return diag_set(d, path, line, "constant needs 'NAME = VALUE': '%s'", text);
	c.name = trim_dup(text, (size_t)(eq - text));
	if (!valid_identifier(c.name) || strchr(c.name, '-')) {
		diag_set(d, path, line, "bad constant name '%s'", c.name);
		free(c.name);
		return -1;
	}
	if (!strcmp(c.name, "as_of")) {
		diag_set(d, path, line,
			 "constant 'as_of' is reserved: the evaluation time is as_of()");
		free(c.name);
		return -1;
	}
	if (rule_find_constant(r, c.name)) {
		diag_set(d, path, line, "constant '%s' is declared twice", c.name);
		free(c.name);
		return -1;
	}
	c.value = trim_dup(eq + 1, strlen(eq + 1));
	if (!*c.value) {
		free(c.value);
		c.value = NULL;
	}
	c.line = line;
	r->constants = xrealloc(r->constants, (r->n_constants + 1) * sizeof(*r->constants));
	r->constants[r->n_constants++] = c;
	return 0;
}

static const char *const severity_names[] = { "", "low", "medium", "high", "critical" };

const char *rule_severity_name(enum rule_severity s)
{
	return (unsigned)s < sizeof(severity_names) / sizeof(*severity_names) ? severity_names[s]
									     : "";
}

int rule_severity_parse(const char *s, enum rule_severity *out)
{
	for (size_t i = 1; i < sizeof(severity_names) / sizeof(*severity_names); i++) {
		if (!strcasecmp(s, severity_names[i])) {
			*out = (enum rule_severity)i;
			return 0;
		}
	}
	return -1;
}

char *rule_doc_url(const struct rule *r)
{
	struct strbuf sb = STRBUF_INIT;

	/* cfgaudit's own rules have no AWS page: their manual is theirs */
	if (r->identifier && !strncmp(r->identifier, "CFGAUDIT_", 9))
		strbuf_addstr(&sb, "man:cfgaudit-rules(5)");
	else
		strbuf_addf(&sb, "%s%s.html", RULE_DOC_URL_PREFIX, r->name);
	return strbuf_detach(&sb, NULL);
}

/* Parse "LEVEL (SOURCE)": the level, and where it comes from (a Security
 * Hub control, or the default for the kind of control). */
static int parse_severity(struct rule *r, const char *path, long line, const char *text,
			  struct diag *d)
{
	const char *open = strchr(text, '(');
	size_t tl = strlen(text);
	char *level;
	int bad;

	if (!open || tl < 2 || text[tl - 1] != ')')
		return diag_set(d, path, line,
				"severity needs 'LEVEL (SOURCE)', e.g. 'high (Security Hub EC2.13)': '%s'",
				text);
	level = trim_dup(text, (size_t)(open - text));
	bad = rule_severity_parse(level, &r->severity);
	if (bad)
		diag_set(d, path, line, "unknown severity '%s' (critical, high, medium, low)",
			 level);
	free(level);
	if (bad)
		return -1;
	r->severity_source = trim_dup(open + 1, (size_t)(text + tl - 1 - (open + 1)));
	if (!*r->severity_source)
		return diag_set(d, path, line, "severity '%s' names no source",
				rule_severity_name(r->severity));
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Store one finished header entry into the rule ("parameters" lines are
 * stored as they are read). */
static int apply_entry(struct rule *r, const char *path, struct header_entry *e, struct diag *d)
{
	char *v = trim_dup(e->value.buf, e->value.len);
	int ret = 0;

	if (!strcmp(e->key, "identifier")) {
		r->identifier = v;
		v = NULL;
	} else if (!strcmp(e->key, "name")) {
		r->name = v;
		v = NULL;
	} else if (!strcmp(e->key, "resource-types")) {
		ret = split_types(r, path, e->line, v, d);
	} else if (!strcmp(e->key, "trigger")) {
		r->trigger = v;
		v = NULL;
	} else if (!strcmp(e->key, "description")) {
		r->description = v;
		v = NULL;
	} else if (!strcmp(e->key, "missing")) {
		r->missing = v;
		v = NULL;
	} else if (!strcmp(e->key, "statement")) {
		/* A name, never a path: it is looked up as shared/NAME.sql. */
		if (!valid_identifier(v)) {
			ret = diag_set(d, path, e->line, "bad shared statement name '%s'", v);
		} else {
			r->statement = v;
			r->statement_line = e->line;
			v = NULL;
		}
	} else if (!strcmp(e->key, "constant")) {
		ret = parse_constant(r, path, e->line, v, d);
	} else if (!strcmp(e->key, "severity")) {
		ret = parse_severity(r, path, e->line, v, d);
	} else if (!strcmp(e->key, "remediation")) {
		if (!*v || strlen(v) > RULE_REMEDIATION_MAX) {
			ret = diag_set(d, path, e->line,
				       "remediation must be one sentence of 1 to %d characters",
				       RULE_REMEDIATION_MAX);
		} else {
			r->remediation = v;
			v = NULL;
		}
	}
	free(v);
	return ret;
}

static int known_key(const char *k)
{
	for (size_t i = 0; known_keys[i]; i++)
		if (!strcmp(known_keys[i], k))
			return 1;
	return 0;
}

/* Is the rest of the text only white space and SQL comments? */
static int only_comments(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			p = strchr(p, '\n');
			if (!p)
				return 1;
		} else if (p[0] == '/' && p[1] == '*') {
			p = strstr(p + 2, "*/");
			if (!p)
				return 1;
			p += 2;
		} else {
			return *p == '\0';
		}
	}
}

/* The header parser's state: the rule being filled, the entry being read
 * and the keys seen so far. */
struct header_parser {
	struct rule *r;
	const char *path;
	struct header_entry e;	/* the current entry */
	int have_entry;		/* e holds an entry not yet applied */
	char seen[sizeof(known_keys) / sizeof(known_keys[0])];
};

/* A "--   " line: more text for the current key, or one more parameter. */
static int continue_entry(struct header_parser *hp, long line, const char *body, size_t bn,
			  struct diag *d)
{
	char *cont = trim_dup(body, bn);
	int bad = 0;

	if (!strcmp(hp->e.key, "parameters")) {
		bad = *cont && parse_param_line(hp->r, hp->path, line, cont, d);
	} else if (*cont) {
		strbuf_addch(&hp->e.value, ' ');
		strbuf_addstr(&hp->e.value, cont);
	}
	free(cont);
	return bad ? -1 : 0;
}

/* Check that key (a known one) is not given twice; "constant" is the one
 * repeatable key. */
static int mark_seen(struct header_parser *hp, long line, const char *key, struct diag *d)
{
	for (size_t k = 0; known_keys[k]; k++) {
		if (strcmp(known_keys[k], key) || !strcmp(key, "constant"))
			continue;
		if (hp->seen[k])
			return diag_set(d, hp->path, line, "header key '%s' given twice", key);
		hp->seen[k] = 1;
	}
	return 0;
}

/* A "-- key: value" line: apply the previous entry and start this one. */
static int start_entry(struct header_parser *hp, long line, const char *body, size_t bn,
		       struct diag *d)
{
	const char *colon;
	size_t kn;

	if (hp->have_entry && apply_entry(hp->r, hp->path, &hp->e, d))
		return -1;
	hp->have_entry = 0;
	strbuf_reset(&hp->e.value);
	colon = memchr(body, ':', bn);
	kn = colon ? (size_t)(colon - body) : 0;
	if (!colon || kn == 0 || kn >= sizeof(hp->e.key) || memchr(body, ' ', kn)) {
		char *txt = trim_dup(body, bn);

		diag_set(d, hp->path, line, "header line is not 'key: value': '%s'", txt);
		free(txt);
		return -1;
	}
	memcpy(hp->e.key, body, kn);
	hp->e.key[kn] = '\0';
	if (!known_key(hp->e.key))
		return diag_set(d, hp->path, line, "unknown header key '%s'", hp->e.key);
	if (mark_seen(hp, line, hp->e.key, d))
		return -1;
	hp->e.line = line;
	hp->have_entry = 1;
	if (strcmp(hp->e.key, "parameters")) {
		strbuf_add(&hp->e.value, colon + 1, bn - kn - 1);
		return 0;
	}
	{
		char *v = trim_dup(colon + 1, bn - kn - 1);
		int bad = *v && strcmp(v, "(none)") && parse_param_line(hp->r, hp->path, line, v, d);

		free(v);
		return bad ? -1 : 0;
	}
}

/* One header line that starts with "--" (q, qn bytes, leading blanks
 * removed). */
static int header_line(struct header_parser *hp, long line, const char *q, size_t qn,
		       struct diag *d)
{
	const char *body = q + 2;
	size_t bn = qn - 2;

	if (bn >= 2 && body[0] == ' ' && body[1] == ' ' && hp->have_entry)
		return continue_entry(hp, line, body, bn, d);
	while (bn && *body == ' ') {
		body++;
		bn--;
	}
	if (bn == 0)
		return 0; /* a bare "--" line */
	return start_entry(hp, line, body, bn, d);
}

/* Read the header of text (leading "--" lines, blank lines allowed). Sets
 * *stmt to where the statement starts and *stmt_line to its line. */
static int parse_header(struct header_parser *hp, const char *text, size_t len,
			const char **stmt, long *stmt_line, struct diag *d)
{
	const char *p = text, *end = text + len;
	long line = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		while (n && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		if (n >= 2 && p[0] == '-' && p[1] == '-') {
			if (header_line(hp, line, p, n, d))
				return -1;
		} else if (n) {
			break; /* the statement starts here */
		}
		p = nl ? nl + 1 : end;
		line++;
	}
	*stmt = p;
	*stmt_line = line;
	if (hp->have_entry && apply_entry(hp->r, hp->path, &hp->e, d))
		return -1;
	return 0;
}

/* The keys every rule must have, and the identifier's agreement with the
 * file name. */
static int check_required(struct rule *r, const char *path, struct diag *d)
{
	const char *b = base_name(path);
	size_t bl = strlen(b);

	if (!r->identifier)
		return diag_set(d, path, 1, "header has no 'identifier'");
	if (!valid_identifier(r->identifier))
		return diag_set(d, path, 1, "bad identifier '%s'", r->identifier);
	if (bl > 4 && !strcmp(b + bl - 4, ".sql") &&
	    (strlen(r->identifier) != bl - 4 || strncmp(b, r->identifier, bl - 4)))
		return diag_set(d, path, 1, "identifier '%s' does not match the file name",
				r->identifier);
	if (!r->name || !*r->name)
		return diag_set(d, path, 1, "header has no 'name'");
	if (!r->n_resource_types)
		return diag_set(d, path, 1, "header has no 'resource-types'");
	if (!r->description || !*r->description)
		return diag_set(d, path, 1, "header has no 'description'");
	for (size_t i = 0; i < r->n_constants; i++)
		if (rule_find_param(r, r->constants[i].name))
			return diag_set(d, path, r->constants[i].line,
					"constant '%s' is also declared as a parameter",
					r->constants[i].name);
	return 0;
}

/* Point r->sql at the statement (stmt, inside text), or check that a rule
 * naming a shared statement has none of its own. */
static int locate_statement(struct rule *r, const char *path, const char *text, size_t len,
			    const char *stmt, long line, struct diag *d)
{
	/* Scan the NUL-terminated copy: text itself need not be terminated. */
	const char *copy = r->text + (stmt - text);
	int empty = stmt >= text + len || only_comments(copy);

	if (r->statement) {
		/* The statement is the shared file (rule_attach_statement). */
		if (!empty)
			return diag_set(d, path, line,
					"SQL after a header that names shared statement '%s' "
					"(line %ld): a rule has either its own statement or a "
					"shared one",
					r->statement, r->statement_line);
		return 0;
	}
	if (empty)
		return diag_set(d, path, line, "no SQL statement after the header");
	r->sql = copy;
	r->sql_line = line;
	r->sql_path = xstrdup(path);
	return 0;
}

struct rule *rule_parse(const char *path, const char *text, size_t len, struct diag *d)
{
	struct header_parser hp = { 0 };
	const char *stmt;
	long stmt_line;
	int bad;

	hp.r = xcalloc(1, sizeof(*hp.r));
	hp.path = path;
	strbuf_init(&hp.e.value, 0);
	hp.r->path = xstrdup(path);
	hp.r->text = xstrndup(text, len);
	if (memchr(text, '\0', len)) {
		diag_set(d, path, 0, "rule file contains a NUL byte");
		bad = 1;
	} else {
		sha256_hex(text, len, hp.r->sha256);
		bad = parse_header(&hp, text, len, &stmt, &stmt_line, d) ||
		      check_required(hp.r, path, d) ||
		      locate_statement(hp.r, path, text, len, stmt, stmt_line, d);
	}
	strbuf_release(&hp.e.value);
	if (bad) {
		rule_free(hp.r);
		return NULL;
	}
	return hp.r;
}

int rule_attach_statement(struct rule *r, const char *shared_path, const char *text, size_t len,
			  struct diag *d)
{
	struct strbuf both = STRBUF_INIT;
	const char *p;

	if (memchr(text, '\0', len))
		return diag_set(d, shared_path, 0, "shared statement file contains a NUL byte");
	free(r->shared_text);
	free(r->sql_path);
	r->shared_text = xstrndup(text, len);
	r->sql_path = xstrdup(shared_path);
	r->sql = NULL;
	if (only_comments(r->shared_text))
		return diag_set(d, shared_path, 1, "shared statement file has no SQL statement");
	/* Only SQL: a rule header here would be a rule file put in the
	 * wrong place, and its keys would be silently ignored. */
	for (p = r->shared_text; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (p[0] != '-' || p[1] != '-')
			break;
		p += 2;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "identifier:", 11)) {
			long ln = 1;

			for (const char *q = r->shared_text; q < p; q++)
				ln += *q == '\n';
			return diag_set(d, shared_path, ln,
					"a shared statement file has no rule header");
		}
		p = strchr(p, '\n');
		if (!p)
			break;
	}
	r->sql = r->shared_text;
	r->sql_line = 1;
	/* What a run records: the rule file and the statement it used. */
	strbuf_addstr(&both, r->text);
	strbuf_add(&both, r->shared_text, len);
	sha256_hex(both.buf, both.len, r->sha256);
	strbuf_release(&both);
	return 0;
}

struct rule *rule_load(const char *path, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct rule *r;

	if (read_file(path, &sb, RULE_FILE_MAX, d)) {
		strbuf_release(&sb);
		return NULL;
	}
	r = rule_parse(path, sb.buf, sb.len, d);
	if (r && r->statement) {
		const char *b = base_name(path);
		struct strbuf sp = STRBUF_INIT;
		struct stat st;
		struct diag rd;

		strbuf_addf(&sp, "%.*s%s/%s.sql", (int)(b - path), path, RULE_SHARED_DIR,
			    r->statement);
		strbuf_reset(&sb);
		diag_clear(&rd);
		if (stat(sp.buf, &st) != 0 || !S_ISREG(st.st_mode)) {
			diag_set(d, path, r->statement_line,
				 "unknown shared statement '%s' (no file %s)", r->statement, sp.buf);
			goto bad;
		}
		if (read_file(sp.buf, &sb, RULE_FILE_MAX, d) ||
		    rule_attach_statement(r, sp.buf, sb.buf, sb.len, d))
			goto bad;
		strbuf_release(&sp);
		strbuf_release(&sb);
		return r;
bad:
		strbuf_release(&sp);
		rule_free(r);
		r = NULL;
	}
	strbuf_release(&sb);
	return r;
}

void rule_free(struct rule *r)
{
	if (!r)
		return;
	free(r->identifier);
	free(r->name);
	free(r->path);
	free(r->text);
	free(r->sql_path);
	free(r->statement);
	free(r->shared_text);
	for (size_t i = 0; i < r->n_constants; i++) {
		free(r->constants[i].name);
		free(r->constants[i].value);
	}
	free(r->constants);
	for (size_t i = 0; i < r->n_resource_types; i++)
		free(r->resource_types[i]);
	free(r->resource_types);
	free(r->trigger);
	for (size_t i = 0; i < r->n_params; i++) {
		free(r->params[i].name);
		free(r->params[i].default_value);
	}
	free(r->params);
	free(r->missing);
	free(r->description);
	free(r->severity_source);
	free(r->remediation);
	free(r);
}

const struct rule_param *rule_find_param(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_params; i++)
		if (!strcmp(r->params[i].name, name))
			return &r->params[i];
	return NULL;
}

const struct rule_constant *rule_find_constant(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_constants; i++)
		if (!strcmp(r->constants[i].name, name))
			return &r->constants[i];
	return NULL;
}

void ruleset_init(struct ruleset *rs)
{
	rs->dirs = NULL;
	rs->n_dirs = 0;
}

void ruleset_add_dir(struct ruleset *rs, const char *dir)
{
	rs->dirs = xrealloc(rs->dirs, (rs->n_dirs + 1) * sizeof(char *));
	rs->dirs[rs->n_dirs++] = xstrdup(dir);
}

void ruleset_release(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n_dirs; i++)
		free(rs->dirs[i]);
	free(rs->dirs);
	ruleset_init(rs);
}

int ruleset_find(const struct ruleset *rs, const char *identifier, struct rule **out,
		 struct diag *d)
{
	struct strbuf path = STRBUF_INIT;
	struct stat sb;

	*out = NULL;
	/* Identifiers come from packs and the command line: never let one
	 * name a path outside the rule directories. */
	if (!valid_identifier(identifier))
		return 0;
	for (size_t i = 0; i < rs->n_dirs; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.sql", rs->dirs[i], identifier);
		if (stat(path.buf, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		*out = rule_load(path.buf, d);
		strbuf_release(&path);
		return *out ? 1 : -1;
	}
	strbuf_release(&path);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ruleset_list(const struct ruleset *rs, size_t *n)
{
	char **ids = NULL;
	size_t nr = 0, alloc = 0, w = 0;

	for (size_t i = 0; i < rs->n_dirs; i++) {
		DIR *dir = opendir(rs->dirs[i]);
		struct dirent *de;

		if (!dir)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			char *id;

			if (len <= 4 || strcmp(de->d_name + len - 4, ".sql"))
				continue;
			id = xstrndup(de->d_name, len - 4);
			if (!valid_identifier(id)) {
				free(id);
				continue;
			}
			ALLOC_GROW(ids, nr + 1, alloc);
			ids[nr++] = id;
		}
		closedir(dir);
	}
	if (nr)
		qsort(ids, nr, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		if (w && !strcmp(ids[w - 1], ids[i])) {
			free(ids[i]);
			continue;
		}
		ids[w++] = ids[i];
	}
	*n = w;
	return ids;
}
