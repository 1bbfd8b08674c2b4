/*
 * test_rule: the rule-file header parser and the rule set's search order.
 */
#include "rules/rule.h"
#include "util/sha256.h"
#include "tests/unit/tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct rule *parse(const char *path, const char *text, struct diag *d)
{
	diag_clear(d);
	return rule_parse(path, text, strlen(text), d);
}

static const char good[] =
	"-- identifier: RESTRICTED_INCOMING_TRAFFIC\n"
	"-- name: restricted-common-ports\n"
	"-- resource-types: AWS::EC2::SecurityGroup\n"
	"-- trigger: configuration-changes, periodic\n"
	"-- parameters:\n"
	"--   blockedPort1: int = 20\n"
	"--   blockedPorts: csv, optional\n"
	"--   strict: bool = true\n"
	"-- description: Security groups must not allow\n"
	"--   unrestricted traffic.\n"
	"\n"
	"SELECT 1 AS resource_type\n";

static void test_good(void)
{
	struct diag d;
	struct rule *r = parse("rules/RESTRICTED_INCOMING_TRAFFIC.sql", good, &d);

	ok(r != NULL, "a valid rule parses (%s)", d.msg);
	if (!r)
		return;
	is_str(r->identifier, "RESTRICTED_INCOMING_TRAFFIC", "identifier");
	is_str(r->name, "restricted-common-ports", "name");
	is_int(r->n_resource_types, 1, "one resource type");
	is_str(r->resource_types[0], "AWS::EC2::SecurityGroup", "resource type");
	is_int(r->n_params, 3, "three parameters");
	is_str(r->params[0].name, "blockedPort1", "first parameter name");
	ok(r->params[0].type == RULE_PARAM_INT, "int type");
	is_str(r->params[0].default_value, "20", "default");
	ok(r->params[1].optional && !r->params[1].default_value, "optional without default");
	ok(r->params[2].type == RULE_PARAM_BOOL, "bool type");
	is_str(r->description, "Security groups must not allow unrestricted traffic.",
	       "continuation lines join the description");
	is_int(r->sql_line, 12, "statement starts on line 12");
	ok(!strncmp(r->sql, "SELECT 1", 8), "statement text");
	ok(rule_find_param(r, "blockedPorts") != NULL, "find a parameter");
	ok(rule_find_param(r, "nope") == NULL, "unknown parameter not found");
	is_int(strlen(r->sha256), 64, "sha256 of the file");
	rule_free(r);
}

struct bad_case {
	const char *text;
	long line;
	const char *msg;
};

static void test_bad(void)
{
	static const struct bad_case cases[] = {
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n-- bogus: 1\n"
		  "SELECT 1", 4, "unknown header key 'bogus'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n", 5, "no SQL statement" },
		{ "-- name: x\n-- resource-types: AWS::A::B\n-- description: d\nSELECT 1", 1,
		  "no 'identifier'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- parameters:\n--   p: float = 1\n-- description: d\nSELECT 1", 5,
		  "unknown type 'float'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- parameters:\n--   p: int = abc\n-- description: d\nSELECT 1", 5,
		  "is not a whole number" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- parameters:\n--   p: bool = yes\n-- description: d\nSELECT 1", 5,
		  "is not true or false" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: ec2\n-- description: d\n"
		  "SELECT 1", 3, "bad resource type 'ec2'" },
		{ "-- identifier: X\n-- identifier: X\nSELECT 1", 2, "given twice" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- just text\nSELECT 1", 5, "not 'key: value'" },
		{ "-- identifier: ../etc\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\nSELECT 1", 1, "bad identifier" },
		/* Shared statements and constants. */
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- statement: S\n\nSELECT 1", 7,
		  "SQL after a header that names shared statement 'S' (line 5)" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- statement: ../S\n", 5, "bad shared statement name '../S'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- statement: S\n-- statement: T\n-- description: d\n", 5,
		  "header key 'statement' given twice" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- constant: kind\nSELECT 1", 5,
		  "constant needs 'NAME = VALUE'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- constant: a-b = 1\nSELECT 1", 5, "bad constant name 'a-b'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- constant: k = 1\n-- constant: k = 2\nSELECT 1", 6,
		  "constant 'k' is declared twice" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- constant: as_of = 2026\nSELECT 1", 5, "constant 'as_of'" },
		{ "-- identifier: X\n-- name: x\n-- resource-types: AWS::A::B\n"
		  "-- constant: kind = a\n-- parameters:\n--   kind: string, optional\n"
		  "-- description: d\nSELECT 1", 4, "constant 'kind' is also declared as a parameter" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag d;
		struct rule *r = parse("X.sql", cases[i].text, &d);

		ok(r == NULL, "bad rule %zu is rejected", i);
		is_int(d.line, cases[i].line, "bad rule %zu: error line", i);
		ok(strstr(d.msg, cases[i].msg) != NULL, "bad rule %zu: message '%s'", i, d.msg);
		rule_free(r);
	}
	{
		struct diag d;
		struct rule *r = parse("rules/OTHER.sql", good, &d);

		ok(r == NULL && strstr(d.msg, "does not match the file name"),
		   "identifier must match the file name");
		rule_free(r);
	}
}

static const char shared_rule[] =
	"-- identifier: EBS_PROTECTED\n"
	"-- name: ebs-protected\n"
	"-- resource-types: AWS::EC2::Volume\n"
	"-- parameters:\n"
	"--   resourceId: string, optional\n"
	"-- description: d\n"
	"-- statement: PROTECTED\n"
	"-- constant: resourceType = AWS::EC2::Volume\n"
	"-- constant: scopeNote =\n"
	"-- constant: label =  two  words\n"
	"--   and more\n"
	"\n"
	"/* only comments may follow */\n";

static const char shared_sql[] = "-- the shared statement\nSELECT :resourceType AS resource_type\n";

static void test_shared(void)
{
	struct diag d;
	struct rule *r = parse("rules/EBS_PROTECTED.sql", shared_rule, &d);
	char file_sha[65], both_sha[65];
	char both[sizeof(shared_rule) + sizeof(shared_sql)];

	ok(r != NULL, "a rule with a shared statement parses (%s)", d.msg);
	if (!r)
		return;
	is_str(r->statement, "PROTECTED", "statement name");
	is_int(r->statement_line, 7, "statement line");
	ok(r->sql == NULL, "no statement before one is attached");
	is_int(r->n_constants, 3, "three constants");
	is_str(r->constants[0].name, "resourceType", "constant name");
	is_str(r->constants[0].value, "AWS::EC2::Volume", "constant value");
	is_int(r->constants[0].line, 8, "constant line");
	ok(r->constants[1].value == NULL, "an empty constant is NULL");
	is_str(r->constants[2].value, "two  words and more", "constant continued, trimmed");
	ok(rule_find_constant(r, "scopeNote") != NULL, "find a constant");
	ok(rule_find_constant(r, "resourceId") == NULL, "a parameter is not a constant");
	ok(rule_find_param(r, "resourceType") == NULL, "a constant is not a parameter");
	snprintf(file_sha, sizeof(file_sha), "%s", r->sha256);
	is_int(rule_attach_statement(r, "rules/shared/PROTECTED.sql", shared_sql,
				     strlen(shared_sql), &d),
	       0, "attach the shared statement");
	is_str(r->sql, shared_sql, "the statement is the shared file");
	is_int(r->sql_line, 1, "statement lines count in the shared file");
	is_str(r->sql_path, "rules/shared/PROTECTED.sql", "statement path");
	snprintf(both, sizeof(both), "%s%s", shared_rule, shared_sql);
	sha256_hex(both, strlen(both), both_sha);
	is_str(r->sha256, both_sha, "sha256 of the rule file followed by the shared file");
	ok(strcmp(r->sha256, file_sha) != 0, "the shared statement changes the sha256");
	diag_clear(&d);
	ok(rule_attach_statement(r, "rules/shared/PROTECTED.sql", "-- c\n\n", 6, &d) == -1 &&
		   strstr(d.msg, "has no SQL statement") != NULL,
	   "a shared file of comments only is rejected");
	diag_clear(&d);
	ok(rule_attach_statement(r, "rules/shared/PROTECTED.sql",
				 "-- note\n-- identifier: X\nSELECT 1", 28, &d) == -1 &&
		   d.line == 2 && strstr(d.msg, "has no rule header") != NULL,
	   "a shared file with a rule header is rejected at its line (%ld: %s)", d.line, d.msg);
	rule_free(r);
	r = parse("rules/OWN.sql",
		  "-- identifier: OWN\n-- name: own\n-- resource-types: AWS::A::B\n"
		  "-- description: d\n-- constant: k = v\nSELECT :k",
		  &d);
	ok(r && r->sql && !strcmp(r->sql_path, "rules/OWN.sql") && r->n_constants == 1,
	   "a rule with its own statement may have constants too");
	rule_free(r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void write_rule(const char *dir, const char *id, const char *desc)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.sql", dir, id);
	f = fopen(path, "w");
	fprintf(f, "-- identifier: %s\n-- name: n\n-- resource-types: AWS::::Account\n"
		   "-- description: %s\nSELECT 1\n", id, desc);
	fclose(f);
}

static void test_ruleset(void)
{
	char base[] = "/tmp/test_rule.XXXXXX";
	char user[600], builtin[600];
	struct ruleset rs;
	struct rule *r = NULL;
	struct diag d;
	char **ids;
	size_t n;

	if (!mkdtemp(base)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(user, sizeof(user), "%s/user", base);
	snprintf(builtin, sizeof(builtin), "%s/builtin", base);
	mkdir(user, 0755);
	mkdir(builtin, 0755);
	write_rule(builtin, "A_RULE", "builtin");
	write_rule(builtin, "B_RULE", "builtin");
	write_rule(user, "A_RULE", "user");
	ruleset_init(&rs);
	ruleset_add_dir(&rs, user);
	ruleset_add_dir(&rs, builtin);
	diag_clear(&d);
	is_int(ruleset_find(&rs, "A_RULE", &r, &d), 1, "rule found");
	ok(r && !strcmp(r->description, "user"), "user directory wins");
	rule_free(r);
	is_int(ruleset_find(&rs, "B_RULE", &r, &d), 1, "built-in rule found");
	rule_free(r);
	is_int(ruleset_find(&rs, "C_RULE", &r, &d), 0, "missing rule");
	is_int(ruleset_find(&rs, "../builtin/A_RULE", &r, &d), 0, "path-like identifier refused");
	ids = ruleset_list(&rs, &n);
	is_int(n, 2, "list has no duplicates");
	if (n == 2) {
		is_str(ids[0], "A_RULE", "sorted list");
		is_str(ids[1], "B_RULE", "sorted list");
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);

	/* A shared statement is found in the rule's own directory. */
	{
		char path[700];

		snprintf(path, sizeof(path), "%s/shared", builtin);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/shared/PROTECTED.sql", builtin);
		write_file(path, shared_sql);
		snprintf(path, sizeof(path), "%s/EBS_PROTECTED.sql", builtin);
		write_file(path, shared_rule);
		snprintf(path, sizeof(path), "%s/EBS_PROTECTED.sql", user);
		write_file(path, shared_rule);
	}
	diag_clear(&d);
	is_int(ruleset_find(&rs, "EBS_PROTECTED", &r, &d), -1,
	       "a user rule does not see the built-in shared statements");
	is_int(d.line, 7, "unknown shared statement: error at the statement line");
	ok(strstr(d.msg, "unknown shared statement 'PROTECTED'") != NULL, "message '%s'", d.msg);
	{
		char path[700];

		snprintf(path, sizeof(path), "%s/EBS_PROTECTED.sql", user);
		unlink(path);
	}
	diag_clear(&d);
	is_int(ruleset_find(&rs, "EBS_PROTECTED", &r, &d), 1, "built-in rule with a shared statement");
	ok(r && r->sql && strstr(r->sql, "SELECT :resourceType") && r->sql_path &&
		   strstr(r->sql_path, "/builtin/shared/PROTECTED.sql"),
	   "its statement is the shared file");
	rule_free(r);
	ids = ruleset_list(&rs, &n);
	is_int(n, 3, "shared statements are not listed as rules");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	ruleset_release(&rs);
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		if (system(cmd) != 0)
			ok(0, "cleanup");
	}
}

int main(void)
{
	test_good();
	test_bad();
	test_shared();
	test_ruleset();
	return tap_done();
}
