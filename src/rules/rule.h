/*
 * rule: rule files -- a metadata header in SQL comments, then one SELECT
 * (format in cfgaudit-rules(5)) -- and the rule set built from the rule
 * directories.
 */
#ifndef CFGAUDIT_RULE_H
#define CFGAUDIT_RULE_H

#include <stddef.h>

#include "util/diag.h"

enum rule_param_type {
	RULE_PARAM_STRING,
	RULE_PARAM_INT,
	RULE_PARAM_BOOL, /* "true" / "false", bound as 1 / 0 */
	RULE_PARAM_CSV,  /* comma-separated list, bound as text */
};

struct rule_param {
	char *name;                /* as bound: :name */
	enum rule_param_type type;
	char *default_value;       /* NULL if none */
	int optional;              /* may be unset (bound as NULL) */
};

struct rule {
	char *identifier;       /* SourceIdentifier, = file base name */
	char *name;             /* managed-rule name, e.g. restricted-ssh */
	char *path;             /* file it was read from */
	char sha256[65];        /* hex digest of the file */
	char *text;             /* the whole file */
	const char *sql;        /* the statement, inside text (borrowed) */
	long sql_line;          /* line where the statement starts */
	char **resource_types;  /* AWS::EC2::SecurityGroup, or AWS::::Account */
	size_t n_resource_types;
	char *trigger;          /* "configuration-changes", "periodic", or both */
	struct rule_param *params;
	size_t n_params;
	char *missing;          /* data Config does not record, or NULL */
	char *description;
};

/* Parse one rule file. Returns a rule the caller frees with rule_free,
 * or NULL with d filled (file and line). */
struct rule *rule_parse(const char *path, const char *text, size_t len, struct diag *d);
struct rule *rule_load(const char *path, struct diag *d);
void rule_free(struct rule *r);

/* "string", "int", "bool" or "csv". */
const char *rule_param_type_name(enum rule_param_type t);

/* Check value against type t. Returns 0, or -1 with *why set to a static
 * phrase ("is not a whole number"). */
int rule_check_param_value(enum rule_param_type t, const char *value, const char **why);

/* The parameter of r named name, or NULL. */
const struct rule_param *rule_find_param(const struct rule *r, const char *name);

/* Rules found in an ordered list of directories: the first directory that
 * has IDENTIFIER.sql wins (user --rules-dir before the built-in rules). */
struct ruleset {
	char **dirs;  /* search order (owned) */
	size_t n_dirs;
};

void ruleset_init(struct ruleset *rs);
void ruleset_add_dir(struct ruleset *rs, const char *dir);
void ruleset_release(struct ruleset *rs);

/* Find and parse the rule for identifier. Returns 1 with *out set, 0 if
 * no directory has it, -1 if the file exists but is invalid (d filled). */
int ruleset_find(const struct ruleset *rs, const char *identifier, struct rule **out,
		 struct diag *d);

/* Every identifier available, sorted, without duplicates. The caller frees
 * each string and the array. */
char **ruleset_list(const struct ruleset *rs, size_t *n);

#endif
