/*
 * plan: what an evaluation run is asked to do, rule by rule -- made by
 * eval.c, carried out by runner.c. Internal to src/eval.
 */
#ifndef CFGAUDIT_PLAN_H
#define CFGAUDIT_PLAN_H

#include <jansson.h>
#include <stddef.h>

#include "eval/derived.h"
#include "packs/pack.h"
#include "rules/rule.h"
#include "util/diag.h"

/* One rule of the plan. */
struct planned_rule {
	char *pack_name;        /* "" for --rule */
	char *config_rule_name; /* the name reports use */
	char *identifier;       /* SourceIdentifier */
	char *owner;            /* AWS, CUSTOM_LAMBDA, CUSTOM_POLICY */
	struct rule *rule;      /* the parsed rule file, or NULL */
	json_t *params;         /* resolved parameters: object of strings */
	struct param_value *values; /* the same typed (eval_binding.values) */
	json_t *scope;          /* Scope as JSON object */
	char **scope_types;     /* Scope.ComplianceResourceTypes (borrowed from pack) */
	size_t n_scope_types;
	const char *tag_key, *tag_value, *scope_resource_id; /* borrowed from pack */
	const char *severity_override, *remediation_override; /* pack Metadata.cfgaudit (borrowed) */
	char *reason;           /* why not evaluated, or NULL */
	int invalid;            /* not evaluated because something is wrong */
	int data_failed;        /* not evaluated: the data could not be read (error) */
	int duplicate;          /* a repeated --rule: evaluated and stored once */
	int rule_no;            /* 1-based plan position: run_rules.rule_no */
	/* Filled by the runner: */
	derived_set derived;    /* the derived tables its statement names (bit i: table i) */
	struct sqlite3_stmt *prepared; /* its statement, prepared ahead on one connection
					  (incremental.c), for the runner to take there */
	int claimed;            /* a connection has taken it */
	int ran;                /* it ran to the end (timing is valid) */
	double wall, cpu;       /* seconds */
	long rows;              /* rows its statement returned */
	struct diag error;      /* why it turned invalid or data_failed, when it did */
};

struct plan {
	struct planned_rule *rules;
	size_t nr, alloc;
	struct pack **packs;
	size_t n_packs;
};

/* The rule is to be evaluated (has a rule file and no reason not to). */
static inline int planned_rule_runs(const struct planned_rule *pr)
{
	return !pr->reason && !pr->duplicate;
}

#endif
