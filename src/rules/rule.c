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

/* A rule file is small text; anything larger is not a rule. */
#define RULE_FILE_MAX (1024 * 1024)

static const char *const known_keys[] = {
	"identifier", "name", "resource-types", "trigger", "parameters", "description", "missing",
	"statement", "constant", NULL,
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

/* Parse "NAME: TYPE [= DEFAULT]" or "NAME: TYPE, optional". */
static int parse_param_line(struct rule *r, const char *path, long line, const char *text,
			    struct diag *d)
{
	const char *colon = strchr(text, ':');
	struct rule_param p = { 0 };
	char *rest, *eq, *comma;
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
	comma = strchr(rest, ',');
	if (comma) {
		char *flag = trim_dup(comma + 1, strlen(comma + 1));

		*comma = '\0';
		if (strcmp(flag, "optional")) {
			diag_set(d, path, line, "unknown parameter flag '%s' (only 'optional')",
				 flag);
			free(flag);
			goto fail;
		}
		free(flag);
		p.optional = 1;
	}
	{
		char *type = trim_dup(rest, strlen(rest));
		int bad = parse_param_type(type, &p.type);

		if (bad)
			diag_set(d, path, line,
				 "parameter '%s' has unknown type '%s' (string, int, bool, csv)",
				 p.name, type);
		free(type);
		if (bad)
			goto fail;
	}
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
		diag_set(d, path, line, "constant 'as_of' would hide the evaluation time :as_of");
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

struct rule *rule_parse(const char *path, const char *text, size_t len, struct diag *d)
{
	struct rule *r = xcalloc(1, sizeof(*r));
	struct header_entry e = { "", STRBUF_INIT, 0 };
	int have_entry = 0;
	const char *p = text, *end = text + len;
	long line = 1;
	char seen[sizeof(known_keys) / sizeof(known_keys[0])] = { 0 };

	r->path = xstrdup(path);
	r->text = xstrndup(text, len);
	if (memchr(text, '\0', len)) {
		diag_set(d, path, 0, "rule file contains a NUL byte");
		goto fail;
	}
	sha256_hex(text, len, r->sha256);

	/* Header: leading lines that start with "--" (blank lines allowed). */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *q = p;
		size_t qn = n;

		while (qn && isspace((unsigned char)*q)) {
			q++;
			qn--;
		}
		if (qn == 0) {
			/* blank line inside the header */
		} else if (qn >= 2 && q[0] == '-' && q[1] == '-') {
			const char *body = q + 2;
			size_t bn = qn - 2;

			if (bn >= 2 && body[0] == ' ' && body[1] == ' ' && have_entry) {
				/* Continuation of the previous key. */
				char *cont = trim_dup(body, bn);

				if (!strcmp(e.key, "parameters")) {
					int bad = *cont && parse_param_line(r, path, line, cont, d);

					free(cont);
					if (bad)
						goto fail;
				} else {
					if (*cont) {
						strbuf_addch(&e.value, ' ');
						strbuf_addstr(&e.value, cont);
					}
					free(cont);
				}
			} else {
				const char *colon;
				size_t kn;

				while (bn && *body == ' ') {
					body++;
					bn--;
				}
				if (bn == 0)
					goto next; /* a bare "--" line */
				if (have_entry && apply_entry(r, path, &e, d))
					goto fail;
				have_entry = 0;
				strbuf_reset(&e.value);
				colon = memchr(body, ':', bn);
				kn = colon ? (size_t)(colon - body) : 0;
				if (!colon || kn == 0 || kn >= sizeof(e.key) ||
				    memchr(body, ' ', kn)) {
					char *txt = trim_dup(body, bn);

					diag_set(d, path, line,
						 "header line is not 'key: value': '%s'", txt);
					free(txt);
					goto fail;
				}
				memcpy(e.key, body, kn);
				e.key[kn] = '\0';
				if (!known_key(e.key)) {
					diag_set(d, path, line, "unknown header key '%s'", e.key);
					goto fail;
				}
				for (size_t k = 0; known_keys[k]; k++) {
					/* "constant" is the one repeatable key. */
					if (strcmp(known_keys[k], e.key) ||
					    !strcmp(e.key, "constant"))
						continue;
					if (seen[k]) {
						diag_set(d, path, line, "header key '%s' given twice",
							 e.key);
						goto fail;
					}
					seen[k] = 1;
				}
				e.line = line;
				have_entry = 1;
				if (!strcmp(e.key, "parameters")) {
					char *v = trim_dup(colon + 1, bn - kn - 1);

					if (*v && strcmp(v, "(none)")) {
						int bad = parse_param_line(r, path, line, v, d);

						free(v);
						if (bad)
							goto fail;
					} else {
						free(v);
					}
				} else {
					strbuf_add(&e.value, colon + 1, bn - kn - 1);
				}
			}
		} else {
			break; /* the statement starts here */
		}
next:
		p = nl ? nl + 1 : end;
		line++;
	}
	if (have_entry && apply_entry(r, path, &e, d))
		goto fail;

	if (!r->identifier) {
		diag_set(d, path, 1, "header has no 'identifier'");
		goto fail;
	}
	if (!valid_identifier(r->identifier)) {
		diag_set(d, path, 1, "bad identifier '%s'", r->identifier);
		goto fail;
	}
	{
		const char *b = base_name(path);
		size_t bl = strlen(b);

		if (bl > 4 && !strcmp(b + bl - 4, ".sql") &&
		    (strlen(r->identifier) != bl - 4 || strncmp(b, r->identifier, bl - 4))) {
			diag_set(d, path, 1, "identifier '%s' does not match the file name",
				 r->identifier);
			goto fail;
		}
	}
	if (!r->name || !*r->name) {
		diag_set(d, path, 1, "header has no 'name'");
		goto fail;
	}
	if (!r->n_resource_types) {
		diag_set(d, path, 1, "header has no 'resource-types'");
		goto fail;
	}
	if (!r->description || !*r->description) {
		diag_set(d, path, 1, "header has no 'description'");
		goto fail;
	}
	for (size_t i = 0; i < r->n_constants; i++) {
		if (rule_find_param(r, r->constants[i].name)) {
			diag_set(d, path, r->constants[i].line,
				 "constant '%s' is also declared as a parameter",
				 r->constants[i].name);
			goto fail;
		}
	}
	/* Scan the NUL-terminated copy: text itself need not be terminated. */
	if (r->statement) {
		/* The statement is the shared file (rule_attach_statement). */
		if (p < end && !only_comments(r->text + (p - text))) {
			diag_set(d, path, line,
				 "SQL after a header that names shared statement '%s' (line %ld): "
				 "a rule has either its own statement or a shared one",
				 r->statement, r->statement_line);
			goto fail;
		}
	} else {
		if (p >= end || only_comments(r->text + (p - text))) {
			diag_set(d, path, line, "no SQL statement after the header");
			goto fail;
		}
		r->sql = r->text + (p - text);
		r->sql_line = line;
		r->sql_path = xstrdup(path);
	}
	strbuf_release(&e.value);
	return r;
fail:
	strbuf_release(&e.value);
	rule_free(r);
	return NULL;
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
