/*
 * verdicts: AWS Config's own verdicts as the store holds them, and the
 * verdicts of a cfgaudit run to set beside them (cfgaudit-compare(1)).
 *
 * AWS's verdicts are items, kept with their history like any item:
 *   AWS::Config::ResourceCompliance   recorded by AWS Config itself (one
 *       version per change of a resource's compliance; configRuleList
 *       holds one verdict per rule, without annotation);
 *   cfgaudit::Config::EvaluationResult  one result of an AWS CLI answer
 *       (get-compliance-details-by-config-rule and the like), as ingest's
 *       verdict_answer.h stores it, with annotation and invocation time.
 */
#ifndef CFGAUDIT_VERDICTS_H
#define CFGAUDIT_VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One verdict of AWS. Strings are owned by the list. */
struct aws_verdict {
	char *account_id, *region;
	char *rule_name;           /* AWS's ConfigRuleName, with any pack suffix */
	char *resource_type, *resource_id;
	char *compliance_type;     /* COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA */
	char *annotation;          /* or NULL (ResourceCompliance items have none) */
	char *recorded_time;       /* canonical: when AWS recorded the verdict */
	char *invoked_time;        /* canonical: when the rule ran, or recorded_time */
	char *source;              /* the item type or the CLI command it came from */
};

struct aws_verdict_list {
	struct aws_verdict *v;
	size_t n, alloc;
};

/* Every AWS verdict the store holds, in (account, region, resource type,
 * resource id, rule name, recorded time) order. Returns 0 or -1 with d
 * filled. */
int aws_verdicts_load(struct store *s, struct aws_verdict_list *out, struct diag *d);
void aws_verdicts_release(struct aws_verdict_list *l);

/* One verdict of a run, with the item version it judged. */
struct run_verdict {
	int64_t rule_no;                    /* the run's number of its rule */
	char *pack_name, *config_rule_name, *identifier;
	char *account_id, *region, *resource_type, *resource_id;
	char *compliance_type, *annotation; /* annotation may be NULL */
	char *item_time;                    /* capture time of the judged item, or NULL */
};

struct run_verdict_list {
	struct run_verdict *v;
	size_t n, alloc;
	char *as_of;         /* the run's as-of time */
};

/* The results of run run_id. Returns 0, 1 if there is no such run, or -1
 * with d filled. */
int run_verdicts_load(struct store *s, int64_t run_id, struct run_verdict_list *out,
		      struct diag *d);
void run_verdicts_release(struct run_verdict_list *l);

/* Every rule run run_id was asked for, with its managed rule's name (the
 * "-- name:" header of the rule file it used, or "" when it used none):
 * calls fn once per rule, in rule_no order. Returns 0 or -1 with d filled. */
int run_rule_names_each(struct store *s, int64_t run_id,
		   void (*fn)(int64_t rule_no, const char *pack, const char *config_rule_name,
			      const char *identifier, const char *managed_name, void *arg),
		   void *arg, struct diag *d);

/* The capture time of the version of a resource current at time t (the
 * latest captured at or before t), into out (TIME_ISO_LEN bytes). *cache
 * holds the statement between calls (NULL at first; the caller finalizes
 * it). Returns 0, 1 if none, or -1 with d filled. */
int item_time_at(struct store *s, sqlite3_stmt **cache, const char *account, const char *region,
		 const char *type, const char *id, const char *t, char *out, struct diag *d);

#endif
