/*
 * controls: control mappings (cfgaudit-controls(5)). A mapping file is a
 * small YAML document that names a framework (PCI DSS, NIST 800-53, CIS,
 * a user's own SOC 2 criteria, ...) and, for each of its controls, the
 * AWS Config rule identifiers (SourceIdentifier) that give evidence for
 * it. Shipped mappings live in DATADIR/packs/controls/, next to the packs
 * they describe; a report or 'pack check' reads one with --controls FILE.
 *
 * Loading is strict, as for packs: one document, known keys only, every
 * control id once, every rule identifier known (a cfgaudit rule file or an
 * identifier of the managed-rule catalogue), errors as file:line:column.
 */
#ifndef CFGAUDIT_CONTROLS_H
#define CFGAUDIT_CONTROLS_H

#include <stddef.h>

#include "util/diag.h"

/* One control of a framework. Strings owned by the mapping. */
struct control {
	char *id;	/* as the framework writes it: "8.3.9", "AC-2(1)", "CC6.1" */
	char *title;	/* short title, or NULL */
	char *note;	/* a remark of the mapping's author, or NULL */
	char **rules;	/* rule identifiers (SourceIdentifier), file order, no repeats */
	size_t n_rules;
	long line;	/* line of the control in the file */
};

struct controls {
	char *path;	 /* as given */
	char *framework; /* framework name */
	char *source;	 /* where the mapping comes from (a URL), or NULL */
	char *via;	 /* the reference it was read through, or NULL */
	char *read;	 /* the date the source was read (YYYY-MM-DD), or NULL */
	char **packs;	 /* pack names (file names without .yaml) it describes */
	size_t n_packs;
	struct control *controls; /* file order */
	size_t n_controls;
	char *text;	 /* the file's bytes, NUL-terminated (a bundle copies them) */
	size_t len;
	char sha256[65]; /* hex SHA-256 of those bytes */
};

/* The rule identifiers a mapping may name: a sorted set of strings. */
struct controls_known {
	char **ids;
	size_t n, alloc;
	int sorted;
};

void controls_known_init(struct controls_known *k);
void controls_known_release(struct controls_known *k);
/* Add one identifier (copied). */
void controls_known_add(struct controls_known *k, const char *id);
/* Add every identifier of a catalogue file: one per line, '#' comments.
 * Returns 0, or -1 with d filled when the file cannot be read. */
int controls_known_add_file(struct controls_known *k, const char *path, struct diag *d);
int controls_known_has(struct controls_known *k, const char *id);

/* Load a mapping. known may be NULL (no identifier check). Returns a
 * mapping the caller frees with controls_free, or NULL with d filled as
 * file:line:column: message (d->line 0 when the file cannot be read). */
struct controls *controls_load(const char *path, struct controls_known *known, struct diag *d);
void controls_free(struct controls *c);

/* Does the mapping name this pack (file name without directory and
 * .yaml/.yml)? */
int controls_names_pack(const struct controls *c, const char *pack_name);

/* The controls that name identifier: their indexes into c->controls go to
 * idx (room for c->n_controls). Returns how many. */
size_t controls_of_rule(const struct controls *c, const char *identifier, size_t *idx);

/* The shipped mapping for a pack: the first *.yaml in dir (by name) whose
 * packs list names pack_name. Returns its path (caller frees) or NULL when
 * none does or dir cannot be read; a file that does not load is skipped. */
char *controls_find_for_pack(const char *dir, const char *pack_name);

#endif
