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

/* A "constant: NAME = VALUE" header line: bound as :NAME like a
 * parameter, but fixed by the rule (never set by a pack or --param). */
struct rule_constant {
	char *name;
	char *value; /* bound as text; NULL (bound as NULL) when empty */
	long line;   /* header line, for errors */
};

/* How urgent a non-compliant result of the rule is ("severity:" header,
 * or a pack's override). Ordered: a larger value is more urgent. */
enum rule_severity {
	RULE_SEVERITY_NONE,	/* the rule file gives none (a user's rule) */
	RULE_SEVERITY_LOW,
	RULE_SEVERITY_MEDIUM,
	RULE_SEVERITY_HIGH,
	RULE_SEVERITY_CRITICAL,
};

/* AWS's documentation page of a managed rule is this prefix, the
 * managed-rule name and ".html". */
#define RULE_DOC_URL_PREFIX "https://docs.aws.amazon.com/config/latest/developerguide/"

struct rule {
	char *identifier;       /* SourceIdentifier, = file base name */
	char *name;             /* managed-rule name, e.g. restricted-ssh */
	char *path;             /* file it was read from */
	char sha256[65];        /* hex digest of the file, or with a shared
				 * statement of the file's bytes followed by
				 * the shared file's bytes */
	char *text;             /* the whole file */
	const char *sql;        /* the statement, inside text or shared_text
				 * (borrowed); NULL until a shared statement
				 * is attached */
	long sql_line;          /* line of sql_path where the statement starts */
	char *sql_path;         /* file holding the statement: path, or the
				 * shared statement file */
	char *statement;        /* "statement: NAME" (shared statement), or NULL */
	long statement_line;    /* its header line */
	char *shared_text;      /* the shared statement file, or NULL */
	struct rule_constant *constants;
	size_t n_constants;
	char **resource_types;  /* AWS::EC2::SecurityGroup, or AWS::::Account */
	size_t n_resource_types;
	char *trigger;          /* "configuration-changes", "periodic", or both */
	struct rule_param *params;
	size_t n_params;
	char *missing;          /* data Config does not record, or NULL */
	char *description;
	enum rule_severity severity; /* "severity:" level, NONE if not given */
	char *severity_source;  /* where the level comes from ("Security Hub
				 * S3.14", "default: encryption"), or NULL */
	char *remediation;      /* one imperative sentence, or NULL */
};

/* Parse one rule file. Returns a rule the caller frees with rule_free,
 * or NULL with d filled (file and line). */
struct rule *rule_parse(const char *path, const char *text, size_t len, struct diag *d);
/* Use the shared statement file (at shared_path, content text) as the
 * statement of r, which names it with "statement:". Returns 0, or -1 with
 * d filled. */
int rule_attach_statement(struct rule *r, const char *shared_path, const char *text, size_t len,
			  struct diag *d);
/* Read and parse a rule file; a rule with "statement: NAME" gets the
 * shared statement DIR/shared/NAME.sql of the rule file's directory. */
struct rule *rule_load(const char *path, struct diag *d);
void rule_free(struct rule *r);

/* "critical", "high", "medium", "low", or "" for NONE. */
const char *rule_severity_name(enum rule_severity s);
/* Parse a level name (case-insensitive). Returns 0, or -1 if s is not
 * one of the four names. */
int rule_severity_parse(const char *s, enum rule_severity *out);
/* The documentation page of r's managed rule (RULE_DOC_URL_PREFIX, name,
 * ".html"), or "man:cfgaudit-rules(5)" for cfgaudit's own CFGAUDIT_*
 * rules. The caller frees it. */
char *rule_doc_url(const struct rule *r);

/* "string", "int", "bool" or "csv". */
const char *rule_param_type_name(enum rule_param_type t);

/* Check value against type t. Returns 0, or -1 with *why set to a static
 * phrase ("is not a whole number"). */
int rule_check_param_value(enum rule_param_type t, const char *value, const char **why);

/* The parameter of r named name, or NULL. */
const struct rule_param *rule_find_param(const struct rule *r, const char *name);

/* The constant of r named name, or NULL. */
const struct rule_constant *rule_find_constant(const struct rule *r, const char *name);

/* The directory of shared statements inside a rule directory. */
#define RULE_SHARED_DIR "shared"

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
