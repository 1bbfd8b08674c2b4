/*
 * test_pack: the conformance-pack loader (src/packs/pack.c) on the small
 * templates in tests/data/packs/, one CloudFormation feature at a time,
 * hostile YAML with exact file:line:column diagnostics, and every AWS
 * template in $SHARED_DIR/packs-upstream when that directory exists.
 */
#include "packs/pack.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/tap.h"

#define DATA CFGAUDIT_SRCDIR "/tests/data/packs/"

static struct diag d;

static struct pack *load(const char *name, const char *const *ovs)
{
	struct param_overrides ov = {0};
	char path[4096];
	struct pack *p;

	/* Options that do not parse are refused by the commands already. */
	for (size_t i = 0; ovs && ovs[i]; i++)
		(void)param_overrides_add(&ov, ovs[i], &d);
	snprintf(path, sizeof(path), "%s%s", DATA, name);
	p = pack_load(path, ov.items, ov.nr, &d);
	if (!p)
		printf("# %s:%ld:%ld: %s\n", d.path, d.line, d.column, d.msg);
	param_overrides_release(&ov);
	return p;
}

/* Does the --param argument text match something of p? -1 if it does
 * not parse. */
static int overrides_match(const struct pack *p, const char *text)
{
	struct param_override o;
	int m;

	if (param_override_parse(text, &o, &d))
		return -1;
	m = pack_override_matches(p, &o);
	param_override_release(&o);
	return m;
}

/* The diagnostic of a template that must fail, as "file:line:column: msg"
 * with the directory stripped. */
static const char *load_error(const char *name)
{
	static char buf[DIAG_PATH_MAX + DIAG_MSG_MAX + 64];
	struct pack *p = load(name, NULL);
	const char *base;

	if (p) {
		pack_free(p);
		return "(loaded)";
	}
	base = strrchr(d.path, '/');
	base = base ? base + 1 : d.path;
	snprintf(buf, sizeof(buf), "%s:%ld:%ld: %s", base, d.line, d.column, d.msg);
	return buf;
}

static const struct pack_rule *rule(const struct pack *p, const char *name)
{
	size_t i;

	for (i = 0; p && i < p->n_rules; i++)
		if (!strcmp(p->rules[i].config_rule_name, name))
			return &p->rules[i];
	return NULL;
}

static const char *rparam(const struct pack_rule *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->n_params; i++)
		if (!strcmp(r->params[i].name, name))
			return r->params[i].value;
	return NULL;
}

static const char *pparam(const struct pack *p, const char *name)
{
	size_t i;

	for (i = 0; p && i < p->n_parameters; i++)
		if (!strcmp(p->parameters[i].name, name))
			return p->parameters[i].value;
	return NULL;
}

static void test_features(void)
{
	struct pack *p = load("features.yaml", NULL);
	const struct pack_rule *r;

	ok(p != NULL, "features.yaml loads");
	if (!p)
		return;
	is_str(p->name, "features", "pack name is the file name without .yaml");
	is_str(p->description, "cfgaudit pack loader feature test", "Description");
	/* NoDefault has no value and is not used: left out, no error. */
	is_int(p->n_parameters, 4, "parameters with a value");
	is_str(pparam(p, "MaxAge"), "90", "parameter default");
	is_str(pparam(p, "KmsKey"), "", "empty default kept");
	ok(pparam(p, "NoDefault") == NULL, "parameter without a default is not listed");

	is_int(p->n_rules, 6, "deployed rules");
	is_str(p->rules[0].config_rule_name, "access-keys-rotated", "template order 1");
	is_str(p->rules[1].config_rule_name, "encrypted-volumes", "template order 2");
	is_str(p->rules[5].config_rule_name, "or-rule", "template order 6");

	r = rule(p, "access-keys-rotated");
	is_str(r->logical_id, "KeysRotated", "logical id");
	is_str(r->owner, "AWS", "owner");
	is_str(r->source_identifier, "ACCESS_KEYS_ROTATED", "source identifier");
	is_int(r->n_params, 1, "Fn::If false removes one key, keeps the other");
	is_str(rparam(r, "maxAccessKeyAge"), "90", "Fn::If true gives Ref value");
	is_str(r->max_frequency, "Twelve_Hours", "MaximumExecutionFrequency");
	is_int(r->line, 39, "rule line is its logical id's line");

	r = rule(p, "encrypted-volumes");
	is_int(r->n_params, 0, "whole InputParameters removed by Fn::If/AWS::NoValue");
	is_int(r->n_resource_types, 0, "empty ComplianceResourceTypes list");
	ok(r->tag_key == NULL && r->resource_id == NULL, "no tag or id scope");

	r = rule(p, "iam-password-policy");
	is_str(rparam(r, "MaxPasswordAge"), "90", "unquoted int kept as text");
	is_str(rparam(r, "RequireSymbols"), "true", "unquoted bool kept as text");
	is_str(rparam(r, "RequireNumbers"), "True", "bool spelling kept as typed");
	is_str(rparam(r, "MinimumPasswordLength"), "014", "quoted leading zero kept");
	is_str(r->params[0].name, "MaxPasswordAge", "input parameters in template order");

	r = rule(p, "s3-versioning-strict");
	ok(r != NULL, "ConfigRuleName from Fn::If over Fn::And of Condition references");
	if (r) {
		is_str(r->tag_key, "Environment", "Scope TagKey");
		is_str(r->tag_value, "prod", "Scope TagValue");
	}

	r = rule(p, "s3-logging-one");
	is_str(r->resource_id, "my-bucket", "Scope ComplianceResourceId");
	is_int(r->n_resource_types, 1, "one resource type");
	is_str(r->resource_types[0], "AWS::S3::Bucket", "resource type");
	is_str(rparam(r, "targetBucket"), "logs", "JSON-string InputParameters: string");
	is_str(rparam(r, "maxAge"), "7", "JSON-string InputParameters: number");
	is_str(rparam(r, "flag"), "false", "JSON-string InputParameters: bool");

	r = rule(p, "or-rule");
	ok(r != NULL, "Fn::Or condition true deploys the rule");
	if (r) {
		is_str(r->owner, "CUSTOM_POLICY", "custom policy owner");
		is_int(r->n_resource_types, 1, "Fn::If AWS::NoValue drops a list element");
	}

	is_int(p->n_skipped, 1, "one rule skipped");
	is_str(p->skipped[0].logical_id, "ExtraRule", "skipped rule");
	is_str(p->skipped[0].condition, "Extra", "skipped rule's condition");
	ok(rule(p, "extra-rule") == NULL, "skipped rule is not deployed");
	is_int(p->n_ignored, 1, "remediation configuration ignored");
	is_str(p->ignored[0].type, "AWS::Config::RemediationConfiguration", "ignored type");
	pack_free(p);
}

static void test_overrides(void)
{
	static const char *const ovs[] = {
	    "KmsKey=arn:aws:kms:eu-west-1:111122223333:key/k",
	    "DeployExtra=true",
	    "MaxAge=",
	    "access-keys-rotated.maxAccessKeyAge=30",
	    "iam-password-policy.MaxPasswordAge=60",
	    "iam-password-policy.NewKey=a=b",
	    "no-such-rule.x=1",
	    "NoSuchParam=1",
	    "no-equals-sign",
	    NULL,
	};
	struct pack *p = load("features.yaml", ovs);
	const struct pack_rule *r;

	ok(p != NULL, "features.yaml loads with overrides");
	if (!p)
		return;
	is_str(pparam(p, "KmsKey"), "arn:aws:kms:eu-west-1:111122223333:key/k", "NAME=VALUE");
	is_str(pparam(p, "MaxAge"), "", "NAME= sets the empty string");
	r = rule(p, "access-keys-rotated");
	is_str(rparam(r, "maxAccessKeyAge"), "30", "RULE.KEY adds a key removed by Fn::If");
	is_str(rparam(r, "kmsId"), "arn:aws:kms:eu-west-1:111122223333:key/k",
	       "parameter override flows through Conditions and Fn::If");
	r = rule(p, "encrypted-volumes");
	is_int(r->n_params, 1, "whole InputParameters present when its condition turns true");
	r = rule(p, "iam-password-policy");
	is_str(rparam(r, "MaxPasswordAge"), "60", "RULE.KEY replaces a template value");
	is_str(rparam(r, "NewKey"), "a=b", "RULE.KEY adds a key; value may contain '='");
	r = rule(p, "s3-versioning-lax");
	ok(r != NULL, "condition re-evaluated with the overridden parameter");
	ok(rule(p, "extra-rule") != NULL, "resource Condition true after override");
	is_int(p->n_skipped, 0, "nothing skipped");

	ok(overrides_match(p, "KmsKey=x") == 1, "matches a parameter");
	ok(overrides_match(p, "iam-password-policy.Anything=1") == 1, "matches a rule");
	ok(overrides_match(p, "no-such-rule.x=1") == 0, "unknown rule does not match");
	ok(overrides_match(p, "NoSuchParam=1") == 0, "unknown parameter does not match");
	ok(overrides_match(p, "no-equals-sign") == -1, "override without '=' does not parse");
	pack_free(p);

	{
		static const char *const bad[] = {"Mode=other", NULL};

		p = load("features.yaml", bad);
		ok(p == NULL, "override outside AllowedValues fails");
		pack_free(p);
	}
}

static void test_short_tags_crlf(void)
{
	static const char *const ovs[] = {"KmsKey=k1", NULL};
	struct pack *p = load("short-tags-crlf.yml", NULL);
	const struct pack_rule *r;

	ok(p != NULL, "CRLF template with short tags loads");
	if (!p)
		return;
	is_str(p->name, "short-tags-crlf", "pack name strips .yml");
	is_int(p->n_rules, 2, "two rules deployed");
	r = rule(p, "encrypted-volumes");
	is_int(r->n_params, 0, "!If whole-map InputParameters removed");
	is_int(r->n_resource_types, 1, "flow Scope");
	is_str(r->resource_types[0], "AWS::EC2::Volume", "no CR in scalars");
	r = rule(p, "backup-default");
	ok(r != NULL, "!If in ConfigRuleName, !And false");
	is_str(rparam(r, "requiredRetentionDays"), "35", "!Ref value");
	ok(rparam(r, "kmsKey") == NULL, "!If [c, !Ref, !Ref AWS::NoValue] removes the key");
	is_int(p->n_skipped, 1, "!And condition false skips");
	is_int(p->skipped[0].line, 39, "skipped rule line (CRLF counted once)");
	pack_free(p);

	p = load("short-tags-crlf.yml", ovs);
	ok(p != NULL, "loads with KmsKey set");
	if (!p)
		return;
	r = rule(p, "encrypted-volumes");
	is_str(rparam(r, "kmsId"), "k1", "!Not [!Equals [!Ref P, '']] true keeps the map");
	ok(rule(p, "backup-strict") != NULL, "!And of !Condition true");
	ok(rule(p, "prod-only") != NULL, "resource Condition true");
	pack_free(p);
}

static void test_errors(void)
{
	is_str(load_error("bad-tab.yaml"),
	       "bad-tab.yaml:3:1: invalid yaml: found character that cannot start any token "
	       "while scanning for the next token (started at 3:1)",
	       "tab indentation");
	is_str(load_error("bad-flow.yaml"),
	       "bad-flow.yaml:8:5: invalid yaml: did not find expected ',' or ']' while parsing "
	       "a flow sequence (started at 7:34)",
	       "unclosed flow sequence");
	is_str(load_error("bad-dupkey.yaml"),
	       "bad-dupkey.yaml:9:7: duplicate key 'ConfigRuleName' (first at line 5:7)",
	       "duplicate key");
	is_str(load_error("bad-unknown-ref.yaml"),
	       "bad-unknown-ref.yaml:12:12: unknown reference 'Unknown'", "unknown Ref");
	is_str(load_error("bad-if-arity.yaml"),
	       "bad-if-arity.yaml:10:19: 'Fn::If' needs a list of 3: [condition, value if true, "
	       "value if false]",
	       "Fn::If arity");
	is_str(load_error("bad-alias.yaml"), "bad-alias.yaml:2:8: yaml alias '*a' is not supported",
	       "alias bomb rejected at the first alias");
	is_str(load_error("bad-multidoc.yaml"),
	       "bad-multidoc.yaml:6:1: multiple yaml documents are not supported",
	       "multiple documents");
	is_str(load_error("bad-param-list.yaml"),
	       "bad-param-list.yaml:8:11: input parameter 'ports' must be a scalar",
	       "non-scalar input parameter");
	is_str(load_error("bad-scope-list.yaml"),
	       "bad-scope-list.yaml:8:11: Scope TagKey must be a string", "non-scalar Scope value");
	is_str(load_error("bad-scope-no-default.yaml"),
	       "bad-scope-no-default.yaml:12:19: parameter 'Team' has no Default: give it a value "
	       "with --param Team=VALUE",
	       "Scope parameter without a value");
	is_str(load_error("bad-cond-cycle.yaml"),
	       "bad-cond-cycle.yaml:5:18: condition 'A' depends on itself", "condition cycle");
	is_str(load_error("bad-unknown-cond.yaml"),
	       "bad-unknown-cond.yaml:4:16: unknown condition 'Missing'", "unknown condition");
	is_str(load_error("bad-sub.yaml"),
	       "bad-sub.yaml:5:23: unsupported intrinsic function 'Fn::Sub'", "Fn::Sub");
	is_str(load_error("bad-no-default.yaml"),
	       "bad-no-default.yaml:10:23: parameter 'Bucket' has no Default: give it a value "
	       "with --param Bucket=VALUE",
	       "used parameter without a value");
	is_str(load_error("bad-dup-name.yaml"),
	       "bad-dup-name.yaml:16:3: duplicate ConfigRuleName 'Second' (also resource 'Second')",
	       "duplicate ConfigRuleName (one from the logical id), earliest reported");
	is_str(load_error("bad-nul.yaml"), "bad-nul.yaml:3:11: a scalar contains a NUL character",
	       "escaped NUL in a scalar");
	is_str(load_error("no-such-file.yaml"),
	       "no-such-file.yaml:0:0: cannot open: No such file or directory",
	       "missing file: no line (an I/O error, not a template error)");
}

static void test_deep(void)
{
	char path[] = "/tmp/test_pack_deepXXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	int i;
	struct pack *p;

	ok(fd >= 0, "temporary file");
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("Resources: ", f);
	for (i = 0; i < 100000; i++)
		fputc('[', f);
	fclose(f);
	p = pack_load(path, NULL, 0, &d);
	ok(p == NULL && strstr(d.msg, "nesting deeper than 64 levels") && d.line == 1 &&
	       d.column == 75,
	   "very deep nesting is an error, not a stack overflow (%s:%ld)", d.msg, d.column);
	pack_free(p);

	f = fopen(path, "w");
	fputs("", f);
	fclose(f);
	p = pack_load(path, NULL, 0, &d);
	ok(p == NULL && !strcmp(d.msg, "empty template") && d.line == 1, "empty file");
	pack_free(p);

	f = fopen(path, "w");
	fputs("- a\n- b\n", f);
	fclose(f);
	p = pack_load(path, NULL, 0, &d);
	ok(p == NULL && !strcmp(d.msg, "a template must be a mapping") && d.line == 1,
	   "top level list");
	pack_free(p);
	unlink(path);
}

/* A large generated template: many parameters, each used by a Ref, and
 * many rules. Lookups are indexed, so this loads in well under a second. */
static void test_large(void)
{
	char path[] = "/tmp/test_pack_largeXXXXXX";
	int fd = mkstemp(path), i;
	FILE *f;
	struct pack *p;
	const int n = 20000;

	ok(fd >= 0, "temporary file");
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("Parameters:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "  P%d: {Type: String, Default: 'v%d'}\n", i, i);
	fputs("Resources:\n", f);
	for (i = 0; i < n / 4; i++)
		fprintf(
		    f,
		    "  R%d:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
		    "      Source: {Owner: AWS, SourceIdentifier: X}\n"
		    "      InputParameters: {a: !Ref P%d, b: !Ref P%d, c: !Ref P%d, d: !Ref P%d}\n",
		    i, 4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3);
	fclose(f);
	p = pack_load(path, NULL, 0, &d);
	ok(p && p->n_rules == (size_t)n / 4 && p->n_parameters == (size_t)n,
	   "large template: %d rules, %d parameters", n / 4, n);
	if (p)
		is_str(p->rules[n / 4 - 1].params[3].value, "v19999", "last Ref resolved");
	pack_free(p);
	unlink(path);
}

/* Rule counts from managed-rules.md Appendix C (deployed + skipped). */
static const struct {
	const char *file;
	size_t rules;
	size_t skipped;
	size_t ignored;
} known[] = {
    {"Operational-Best-Practices-For-Security-Identity-and-Compliance-Services.yaml", 48, 0, 0},
    {"Operational-Best-Practices-for-Security-Services.yaml", 44, 0, 0},
    {"Cyber-Resilience-Best-Practices-for-S3-EBS-DynamoDB.yml", 23, 0, 0},
    {"Operational-Best-Practices-for-NZISM-Extension.yaml", 0, 12, 0},
    {"Operational-Best-Practices-for-NZISM-Foundation.yaml", 87, 4, 0},
    {"Operational-Best-Practices-for-CIS.yaml", 22, 0, 0},
    {"Operational-Best-Practices-for-Amazon-S3-with-Remediation.yaml", 6, 0, 4},
    {"custom-conformance-pack.yaml", 3, 0, 0},
};

static void test_upstream(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096], path[8192];
	DIR *dh;
	struct dirent *de;
	size_t i, files = 0, failed = 0;

	if (!shared || !*shared) {
		ok(1, "# SKIP SHARED_DIR not set");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/packs-upstream", shared);
	dh = opendir(dir);
	if (!dh) {
		ok(1, "# SKIP %s not present", dir);
		return;
	}
	while ((de = readdir(dh))) {
		size_t len = strlen(de->d_name);
		struct pack *p;

		if (!(len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) &&
		    !(len > 4 && !strcmp(de->d_name + len - 4, ".yml")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		files++;
		p = pack_load(path, NULL, 0, &d);
		if (!p) {
			failed++;
			printf("# %s:%ld:%ld: %s\n", d.path, d.line, d.column, d.msg);
		}
		pack_free(p);
	}
	closedir(dh);
	ok(files >= 100, "found the upstream templates (%zu)", files);
	is_int(failed, 0, "every upstream template loads");

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct pack *p;

		snprintf(path, sizeof(path), "%s/%s", dir, known[i].file);
		p = pack_load(path, NULL, 0, &d);
		ok(p && p->n_rules == known[i].rules && p->n_skipped == known[i].skipped &&
		       p->n_ignored == known[i].ignored,
		   "%s: %zu rules, %zu skipped, %zu ignored", known[i].file, known[i].rules,
		   known[i].skipped, known[i].ignored);
		if (p && !strcmp(known[i].file, "custom-conformance-pack.yaml"))
			ok(p->rules[0].source_identifier == NULL &&
			       !strcmp(p->rules[0].owner, "CUSTOM_LAMBDA"),
			   "lambda ARN parameter without a default stays unset");
		if (p && known[i].rules == 48) {
			const struct pack_rule *r = rule(p, "restricted-common-ports");

			is_str(rparam(r, "blockedPort5"), "4333", "SIC pack parameter defaults");
			is_str(
			    rparam(rule(p, "acm-certificate-expiration-check"), "daysToExpiration"),
			    "90", "SIC pack ACM default");
		}
		pack_free(p);
	}
}

int main(void)
{
	test_features();
	test_overrides();
	test_short_tags_crlf();
	test_errors();
	test_deep();
	test_large();
	test_upstream();
	return tap_done();
}
