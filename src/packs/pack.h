/*
 * pack: AWS conformance-pack templates (CloudFormation YAML, read with
 * libyaml) resolved into a list of Config rules with their parameters
 * and scopes.
 *
 * Supported: Parameters with Default and user overrides, Ref, Conditions
 * (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition references), Fn::If
 * with AWS::NoValue, resource-level Condition, the short tags (!Ref, !If,
 * !Equals, !Not, !And, !Or, !Condition), CRLF, flow collections, and
 * Scope (ComplianceResourceTypes, TagKey, TagValue, ComplianceResourceId).
 * Every scalar is kept as its source text.
 */
#ifndef CFGAUDIT_PACK_H
#define CFGAUDIT_PACK_H

#include <stddef.h>

#include "rules/param.h"
#include "util/diag.h"

/* One name = value pair (both owned). */
struct pack_kv {
	char *name;
	char *value;
};

/* One AWS::Config::ConfigRule of a template, after resolution. */
struct pack_rule {
	char *config_rule_name;  /* ConfigRuleName, or the logical id if absent */
	char *logical_id;        /* the resource's key under Resources */
	char *owner;             /* Source.Owner: AWS, CUSTOM_LAMBDA, CUSTOM_POLICY */
	char *source_identifier; /* Source.SourceIdentifier, or NULL */
	struct pack_kv *params;  /* resolved InputParameters, in template order */
	size_t n_params;
	char **resource_types;   /* Scope.ComplianceResourceTypes */
	size_t n_resource_types;
	char *tag_key;           /* Scope.TagKey, or NULL */
	char *tag_value;         /* Scope.TagValue, or NULL */
	char *resource_id;       /* Scope.ComplianceResourceId, or NULL */
	char *max_frequency;     /* MaximumExecutionFrequency, or NULL */
	char *severity;          /* Metadata.cfgaudit.Severity ("high"), or NULL */
	char *remediation;       /* Metadata.cfgaudit.Remediation, or NULL */
	long line;               /* line of the resource in the template */
};

/* A rule the template declares but does not deploy (resource-level
 * Condition false); listed by 'pack check', never evaluated. */
struct pack_skipped {
	char *logical_id;
	char *condition;
	long line;
};

/* A resource of another type than AWS::Config::ConfigRule (for example
 * AWS::Config::RemediationConfiguration): not evaluated offline, listed
 * by 'pack check'. */
struct pack_ignored {
	char *logical_id;
	char *type;
	long line;
};

struct pack {
	char *path;                 /* as given */
	char *name;                 /* file name without directory and .yaml/.yml */
	char *description;          /* template Description, or NULL */
	struct pack_kv *parameters; /* pack Parameters with resolved values; one with
				     * no Default and no override is left out */
	size_t n_parameters;
	struct pack_rule *rules;    /* deployed ConfigRules, template order */
	size_t n_rules;
	struct pack_skipped *skipped;
	size_t n_skipped;
	struct pack_ignored *ignored; /* other resource types, template order */
	size_t n_ignored;
};

/* Load and resolve a template with the --param overrides ov
 * (rules/param.h): "NAME=VALUE" sets pack parameter NAME, "RULE.KEY=VALUE"
 * sets input parameter KEY of the rule whose ConfigRuleName is RULE
 * (added if the template does not set it). Overrides that match nothing
 * in this pack are ignored here (the caller checks them across all packs
 * with pack_override_matches). Returns a pack the caller frees with pack_free,
 * or NULL with d filled as file:line:column: message. Template errors
 * always have d->line > 0; a file that cannot be read (I/O error, larger
 * than 8 MiB) leaves d->line 0. */
struct pack *pack_load(const char *path, const struct param_override *ov, size_t n_ov,
		       struct diag *d);

/* Does this override name a parameter or rule of pack p? */
int pack_override_matches(const struct pack *p, const struct param_override *ov);

void pack_free(struct pack *p);

#endif
