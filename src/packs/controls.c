/*
 * controls: control mapping files (see controls.h and cfgaudit-controls(5)).
 *
 * The document is read into a ynode tree (yamltree.c, the same strict
 * reader packs use: no aliases, no duplicate keys, bounded depth), then
 * checked: a mapping with framework and controls, each control a mapping
 * with id and rules, every id once, every rule a known identifier.
 */
#include "config.h"

#include "packs/controls.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packs/yamltree.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CONTROLS_MAX_FILE ((size_t)4 << 20)
#define CONTROLS_MAX_TEXT 1024 /* an id, title, note or identifier */

void controls_known_init(struct controls_known *k)
{
	memset(k, 0, sizeof(*k));
	k->sorted = 1;
}

void controls_known_release(struct controls_known *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->ids[i]);
	free(k->ids);
	controls_known_init(k);
}

void controls_known_add(struct controls_known *k, const char *id)
{
	ALLOC_GROW(k->ids, k->n + 1, k->alloc);
	k->ids[k->n++] = xstrdup(id);
	k->sorted = 0;
}

int controls_known_add_file(struct controls_known *k, const char *path, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL;

	if (read_file(path, &sb, CONTROLS_MAX_FILE, d)) {
		strbuf_release(&sb);
		return -1;
	}
	for (line = strtok_r(sb.buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		size_t n = strcspn(line, " \t#");

		if (n == 0)
			continue;
		line[n] = '\0';
		controls_known_add(k, line);
	}
	strbuf_release(&sb);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int controls_known_has(struct controls_known *k, const char *id)
{
	if (!k->sorted) {
		if (k->n > 1)
			qsort(k->ids, k->n, sizeof(*k->ids), cmp_str);
		k->sorted = 1;
	}
	return k->n && bsearch(&id, k->ids, k->n, sizeof(*k->ids), cmp_str) != NULL;
}

/* Set d at node n of path. Returns -1. */
static int at(struct diag *d, const char *path, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int at(struct diag *d, const char *path, const struct ynode *n, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_set(d, path, n ? n->line : 1, "%s", msg);
	d->column = n ? n->column : 0;
	return -1;
}

/* A plain text scalar (no tag, no NUL bytes, bounded), or -1 with d set. */
static int text_of(const char *path, const struct ynode *n, const char *what, int allow_empty,
		   char **out, struct diag *d)
{
	if (n->kind != YN_SCALAR)
		return at(d, path, n, "%s must be a text, not a %s", what,
			  n->kind == YN_SEQ ? "list" : "mapping");
	if (n->tag && strcmp(n->tag, "!") && strcmp(n->tag, "tag:yaml.org,2002:str"))
		return at(d, path, n, "%s: tag '%s' is not allowed", what, n->tag);
	if (strlen(n->text) != n->text_len)
		return at(d, path, n, "%s contains a NUL byte", what);
	if (n->text_len > CONTROLS_MAX_TEXT)
		return at(d, path, n, "%s is longer than %d bytes", what, CONTROLS_MAX_TEXT);
	if (!allow_empty && (n->text_len == 0 || (!n->quoted && !strcmp(n->text, "~")) ||
			     (!n->quoted && !strcmp(n->text, "null"))))
		return at(d, path, n, "%s is empty", what);
	*out = xstrdup(n->text);
	return 0;
}

/* A rule identifier as AWS writes SourceIdentifier: upper case, digits, _. */
static int identifier_shape(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* The identifier form of a rule name: s3-bucket-ssl-requests-only ->
 * S3_BUCKET_SSL_REQUESTS_ONLY. Caller frees. */
static char *upper_identifier(const char *s)
{
	char *u = xstrdup(s);

	for (char *p = u; *p; p++)
		*p = *p == '-' ? '_' : (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
	return u;
}

static int load_rules(const char *path, const struct ynode *seq, struct control *c,
		      struct controls_known *known, struct diag *d)
{
	if (seq->kind != YN_SEQ)
		return at(d, path, seq, "control '%s': rules must be a list of rule identifiers",
			  c->id);
	if (seq->n == 0)
		return at(d, path, seq, "control '%s' maps no rule", c->id);
	c->rules = xcalloc(seq->n, sizeof(*c->rules));
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *r = seq->items[i];
		char *id;

		if (text_of(path, r, "a rule identifier", 0, &id, d))
			return -1;
		if (!identifier_shape(id)) {
			char *u = upper_identifier(id);
			int rc;

			if (identifier_shape(u))
				rc = at(d, path, r,
					"control '%s': '%s' is a rule name, not an identifier "
					"(write '%s')",
					c->id, id, u);
			else
				rc = at(d, path, r, "control '%s': '%s' is not a rule identifier",
					c->id, id);
			free(u);
			free(id);
			return rc;
		}
		if (known && !controls_known_has(known, id)) {
			at(d, path, r,
			   "control '%s': unknown rule identifier '%s' (not a cfgaudit rule nor an "
			   "AWS managed rule of the catalogue)",
			   c->id, id);
			free(id);
			return -1;
		}
		for (size_t k = 0; k < c->n_rules; k++) {
			if (!strcmp(c->rules[k], id)) {
				at(d, path, r, "control '%s' names rule '%s' twice", c->id, id);
				free(id);
				return -1;
			}
		}
		c->rules[c->n_rules++] = id;
	}
	return 0;
}

static int load_control(const char *path, const struct ynode *n, struct controls *m,
			struct controls_known *known, struct diag *d)
{
	struct control *c = &m->controls[m->n_controls];
	const struct ynode *rules = NULL, *idn = NULL;

	if (n->kind != YN_MAP)
		return at(d, path, n, "a control must be a mapping with id, title and rules");
	memset(c, 0, sizeof(*c));
	c->line = n->line;
	m->n_controls++; /* counted now so that controls_free releases it */
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = ymap_key(n, i), *v = ymap_val(n, i);

		if (yscalar_is(k, "id")) {
			idn = v;
			if (text_of(path, v, "a control id", 0, &c->id, d))
				return -1;
		} else if (yscalar_is(k, "title")) {
			if (text_of(path, v, "a control title", 1, &c->title, d))
				return -1;
		} else if (yscalar_is(k, "note")) {
			if (text_of(path, v, "a control note", 1, &c->note, d))
				return -1;
		} else if (yscalar_is(k, "rules")) {
			rules = v;
		} else {
			return at(d, path, k, "unknown key '%s' in a control (id, title, note, rules)",
				  k->kind == YN_SCALAR ? k->text : "?");
		}
	}
	if (!c->id)
		return at(d, path, n, "a control has no id");
	for (size_t i = 0; i + 1 < m->n_controls; i++)
		if (!strcmp(m->controls[i].id, c->id))
			return at(d, path, idn, "duplicate control '%s' (first at line %ld)", c->id,
				  m->controls[i].line);
	if (!rules)
		return at(d, path, n, "control '%s' has no rules", c->id);
	return load_rules(path, rules, c, known, d);
}

static int load_doc(const char *path, const struct ynode *root, struct controls *m,
		    struct controls_known *known, struct diag *d)
{
	const struct ynode *controls = NULL, *packs = NULL;

	if (root->kind != YN_MAP)
		return at(d, path, root, "a control mapping must be a YAML mapping with framework "
					 "and controls");
	for (size_t i = 0; i < root->n; i++) {
		const struct ynode *k = ymap_key(root, i), *v = ymap_val(root, i);

		if (yscalar_is(k, "framework")) {
			if (text_of(path, v, "framework", 0, &m->framework, d))
				return -1;
		} else if (yscalar_is(k, "source")) {
			if (text_of(path, v, "source", 1, &m->source, d))
				return -1;
		} else if (yscalar_is(k, "via")) {
			if (text_of(path, v, "via", 1, &m->via, d))
				return -1;
		} else if (yscalar_is(k, "read")) {
			if (text_of(path, v, "read", 1, &m->read, d))
				return -1;
		} else if (yscalar_is(k, "packs")) {
			packs = v;
		} else if (yscalar_is(k, "controls")) {
			controls = v;
		} else {
			return at(d, path, k,
				  "unknown key '%s' (framework, source, via, read, packs, controls)",
				  k->kind == YN_SCALAR ? k->text : "?");
		}
	}
	if (!m->framework)
		return at(d, path, root, "no 'framework' (the framework's name)");
	if (packs) {
		if (packs->kind != YN_SEQ)
			return at(d, path, packs, "packs must be a list of pack names");
		m->packs = xcalloc(packs->n ? packs->n : 1, sizeof(*m->packs));
		for (size_t i = 0; i < packs->n; i++) {
			if (text_of(path, packs->items[i], "a pack name", 0, &m->packs[i], d))
				return -1;
			m->n_packs++;
		}
	}
	if (!controls)
		return at(d, path, root, "no 'controls' (a list; 'controls: []' for none yet)");
	if (controls->kind != YN_SEQ)
		return at(d, path, controls, "controls must be a list");
	m->controls = xcalloc(controls->n ? controls->n : 1, sizeof(*m->controls));
	for (size_t i = 0; i < controls->n; i++)
		if (load_control(path, controls->items[i], m, known, d))
			return -1;
	return 0;
}

struct controls *controls_load(const char *path, struct controls_known *known, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct controls *m;
	struct ynode *root;

	diag_clear(d);
	if (read_file(path, &sb, CONTROLS_MAX_FILE, d)) {
		strbuf_release(&sb);
		d->line = 0;
		return NULL;
	}
	root = ytree_parse(path, sb.buf, sb.len, d);
	if (!root) {
		strbuf_release(&sb);
		if (d->line <= 0)
			d->line = 1; /* a syntax error always has a position */
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	sha256_hex(sb.buf, sb.len, m->sha256);
	m->len = sb.len;
	m->text = strbuf_detach(&sb, NULL);
	if (load_doc(path, root, m, known, d)) {
		ynode_free(root);
		controls_free(m);
		return NULL;
	}
	ynode_free(root);
	return m;
}

void controls_free(struct controls *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_controls; i++) {
		struct control *x = &c->controls[i];

		free(x->id);
		free(x->title);
		free(x->note);
		for (size_t k = 0; k < x->n_rules; k++)
			free(x->rules[k]);
		free(x->rules);
	}
	free(c->controls);
	for (size_t i = 0; i < c->n_packs; i++)
		free(c->packs[i]);
	free(c->packs);
	free(c->path);
	free(c->framework);
	free(c->source);
	free(c->via);
	free(c->read);
	free(c->text);
	free(c);
}

int controls_names_pack(const struct controls *c, const char *pack_name)
{
	for (size_t i = 0; i < c->n_packs; i++)
		if (!strcmp(c->packs[i], pack_name))
			return 1;
	return 0;
}

size_t controls_of_rule(const struct controls *c, const char *identifier, size_t *idx)
{
	size_t n = 0;

	if (!identifier)
		return 0;
	for (size_t i = 0; i < c->n_controls; i++)
		for (size_t k = 0; k < c->controls[i].n_rules; k++)
			if (!strcmp(c->controls[i].rules[k], identifier)) {
				idx[n++] = i;
				break;
			}
	return n;
}

char *controls_find_for_pack(const char *dir, const char *pack_name)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	char **names = NULL, *found = NULL;
	size_t n = 0, alloc = 0;

	if (!dh)
		return NULL;
	while ((de = readdir(dh))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] != '.' && len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) {
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(dh);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		struct controls *c;
		struct diag d;

		if (!found) {
			strbuf_addf(&path, "%s/%s", dir, names[i]);
			c = controls_load(path.buf, NULL, &d);
			if (c && controls_names_pack(c, pack_name))
				found = strbuf_detach(&path, NULL);
			controls_free(c);
		}
		strbuf_release(&path);
		free(names[i]);
	}
	free(names);
	return found;
}
