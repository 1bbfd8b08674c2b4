/*
 * test_rule: the rule-file header parser and the rule set's search order.
 */
#include "rules/rule.h"
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
	test_ruleset();
	return tap_done();
}
