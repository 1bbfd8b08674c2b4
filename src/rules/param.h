/*
 * param: rule parameters as users and packs give them. A --param option
 * is parsed here, once, into a structured override; a parameter's text
 * (from --param, a pack's InputParameters or a header default) is
 * converted here, once, into the typed value the rule's header declares,
 * which is what the runner binds to the statement.
 */
#ifndef CFGAUDIT_PARAM_H
#define CFGAUDIT_PARAM_H

#include <stddef.h>

#include "rules/rule.h"
#include "util/diag.h"

/* One --param option. "NAME=VALUE" sets pack parameter NAME (and, for
 * --rule rules, key NAME of a rule that declares it); "RULE.KEY=VALUE"
 * sets input parameter KEY of the rule whose ConfigRuleName (for --rule:
 * identifier or managed-rule name) is RULE. */
struct param_override {
	char *text;  /* the option's argument as typed, for messages */
	char *rule;  /* RULE, or NULL for NAME=VALUE */
	char *key;   /* KEY, or NAME */
	char *value; /* VALUE: may be empty or hold '=' */
};

/* The --param options of one command, in command-line order. */
struct param_overrides {
	struct param_override *items; /* owned, with their strings */
	size_t nr, alloc;
};

/* Parse the argument of --param into o (released with
 * param_override_release). The left side ends at the first '='; in it,
 * RULE is everything before the last dot (input parameter keys have no
 * dots, ConfigRuleNames may), and both RULE and KEY must be non-empty.
 * Returns 0, or -1 with d's message naming the option:
 * "--param 'TEXT': not NAME=VALUE or RULE.KEY=VALUE". */
int param_override_parse(const char *text, struct param_override *o, struct diag *d);
void param_override_release(struct param_override *o);

/* Parse text and append it to l. Returns 0, or -1 with d filled (l is
 * unchanged). */
int param_overrides_add(struct param_overrides *l, const char *text, struct diag *d);
void param_overrides_release(struct param_overrides *l);

/* A parameter's value, typed as its rule header declares. */
struct param_value {
	int set; /* 0: an optional parameter without a value (bound as NULL) */
	enum rule_param_type type;
	long long number; /* int: the number; bool: 1 (true) or 0 (false) */
	char *text;	  /* the value as given (owned); bound for string and csv */
};

/* Convert text to type t into v (released with param_value_release).
 * Returns 0, or -1 with *why set to a static phrase ("is not a whole
 * number") and v left unset. */
int param_value_parse(enum rule_param_type t, const char *text, struct param_value *v,
		      const char **why);
void param_value_release(struct param_value *v);

#endif
