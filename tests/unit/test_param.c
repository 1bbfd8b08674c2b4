/*
 * test_param: the --param syntax (parsed once, for packs and --rule
 * alike) and the typed values the runner binds.
 */
#include "rules/param.h"

#include "tests/unit/tap.h"

static struct diag d;

static void parses(const char *text, const char *rule, const char *key, const char *value)
{
	struct param_override o;

	if (param_override_parse(text, &o, &d)) {
		ok(0, "'%s' parses (%s)", text, d.msg);
		return;
	}
	is_str(o.rule, rule, "'%s': rule", text);
	is_str(o.key, key, "'%s': key", text);
	is_str(o.value, value, "'%s': value", text);
	is_str(o.text, text, "'%s': text kept for messages", text);
	param_override_release(&o);
}

static void refused(const char *text)
{
	struct param_override o;
	char want[200];

	ok(param_override_parse(text, &o, &d) == -1, "'%s' is refused", text);
	snprintf(want, sizeof(want), "--param '%s': not NAME=VALUE or RULE.KEY=VALUE", text);
	is_str(d.msg, want, "the error names the option");
}

int main(void)
{
	struct param_overrides l = {0};
	struct param_value v;
	const char *why = NULL;

	parses("KmsKey=k", NULL, "KmsKey", "k");
	parses("MaxAge=", NULL, "MaxAge", "");
	parses("restricted-ssh.blockedPort1=22", "restricted-ssh", "blockedPort1", "22");
	parses("r.k=a=b", "r", "k", "a=b");
	parses("my.rule.name.k=v", "my.rule.name", "k", "v");
	parses("k=x.y", NULL, "k", "x.y");
	refused("junk");
	refused("=v");
	refused(".k=v");
	refused("r.=v");

	ok(param_overrides_add(&l, "a=1", &d) == 0 && param_overrides_add(&l, "b", &d) == -1 &&
	       l.nr == 1,
	   "a list keeps only what parses");
	param_overrides_release(&l);
	ok(l.nr == 0 && !l.items, "released");

	ok(param_value_parse(RULE_PARAM_INT, "90", &v, &why) == 0 && v.set && v.number == 90,
	   "int");
	param_value_release(&v);
	ok(param_value_parse(RULE_PARAM_INT, "-7", &v, &why) == 0 && v.number == -7,
	   "negative int");
	param_value_release(&v);
	ok(param_value_parse(RULE_PARAM_INT, "many", &v, &why) == -1 && !v.set,
	   "not a number is refused");
	is_str(why, "is not a whole number", "with the reason");
	ok(param_value_parse(RULE_PARAM_INT, "99999999999999999999", &v, &why) == -1,
	   "out of range is refused, not clamped");
	ok(param_value_parse(RULE_PARAM_BOOL, "TRUE", &v, &why) == 0 && v.number == 1,
	   "bool in any case");
	param_value_release(&v);
	ok(param_value_parse(RULE_PARAM_BOOL, "false", &v, &why) == 0 && v.number == 0, "false");
	param_value_release(&v);
	ok(param_value_parse(RULE_PARAM_BOOL, "yes", &v, &why) == -1, "bool is true or false");
	ok(param_value_parse(RULE_PARAM_CSV, "22,3389", &v, &why) == 0 && v.set &&
	       !strcmp(v.text, "22,3389"),
	   "csv kept as text");
	param_value_release(&v);
	return tap_done();
}
