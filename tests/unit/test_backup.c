/*
 * test_backup: AWS Backup selection matching (ARN wildcards, ListOfTags,
 * Conditions, NotResources) and cron schedule gaps (src/eval/backup.c),
 * called directly.
 */
#include <jansson.h>
#include <string.h>

#include "eval/backup.h"
#include "tests/unit/tap.h"

static const char vol[] = "arn:aws:ec2:us-east-1:111122223333:volume/vol-0a1b2c3d4e5f60718";

/* backup_selection_selects on the JSON text sel and tags; -1 on bad JSON. */
static int selects(const char *sel, const char *arn, const char *tags, char *why, size_t size)
{
	json_error_t e;
	json_t *s = json_loads(sel, 0, &e), *t = tags ? json_loads(tags, 0, &e) : NULL;
	int r = (!s || (tags && !t)) ? -1 : backup_selection_selects(s, arn, t, why, size);

	json_decref(s);
	json_decref(t);
	return r;
}

static void test_glob(void)
{
	ok(backup_glob("arn:aws:ec2:*:*:volume/*", vol), "region, account and id wildcards");
	ok(backup_glob("*", vol), "a lone star matches everything");
	ok(backup_glob("*", ""), "a lone star matches the empty text");
	ok(!backup_glob("arn:aws:ec2:*:*:instance/*", vol), "another resource type");
	ok(backup_glob(vol, vol), "the exact ARN");
	ok(!backup_glob("arn:aws:ec2:us-east-1:111122223333:volume/vol-0a1b2c3d4e5f6071", vol),
	   "a prefix of the ARN is not the ARN");
	ok(!backup_glob("ARN:aws:ec2:*", vol), "case-sensitive");
	ok(backup_glob("prod*", "production") && backup_glob("*rod*", "production"),
	   "StringLike examples of the AWS Backup API reference");
	ok(backup_glob("a*b*c", "aXbYbZc") && !backup_glob("a*b*c", "aXbYbZ"), "backtracking");
	ok(backup_glob("v?l", "vol") && !backup_glob("v?l", "vl"), "? is one character");
	ok(!backup_glob(NULL, "x") && !backup_glob("x", NULL), "NULL gives 0");
}

static void test_resources(void)
{
	char why[256];

	ok(selects("{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\"]}", vol, NULL, why, sizeof(why)) ==
	       1,
	   "ARN wildcard selects");
	is_str(why, "Resources \"arn:aws:ec2:*:*:volume/*\"", "why names the pattern");
	ok(selects("{\"Resources\":[\"arn:aws:dynamodb:*:*:table/*\"]}", vol, NULL, why,
		   sizeof(why)) == 0,
	   "a pattern of another type does not");
	ok(selects("{\"Resources\":[\"*\"]}", vol, NULL, why, sizeof(why)) == 1, "* selects");
	ok(selects("{\"Resources\":[\"*\"]}", NULL, NULL, why, sizeof(why)) == 1,
	   "* selects a resource without an ARN");
	ok(selects("{\"Resources\":[\"arn:aws:ec2:*\"]}", NULL, NULL, why, sizeof(why)) == 0,
	   "a resource without an ARN matches no other pattern");
	ok(selects("{\"Resources\":\"arn:aws:ec2:*:*:volume/*\"}", vol, NULL, why, sizeof(why)) ==
	       1,
	   "a lone string is a list of one");
	ok(selects("{}", vol, NULL, why, sizeof(why)) == 1, "nothing given selects everything");
	is_str(why, "every resource (no Resources or ListOfTags)", "and says so");
	ok(selects("{\"Resources\":[],\"ListOfTags\":[],\"NotResources\":[]}", vol, NULL, why,
		   sizeof(why)) == 1,
	   "empty lists select everything");
	ok(selects("{\"Resources\":[\"*\"],\"NotResources\":[\""
		   "arn:aws:ec2:*:*:volume/vol-0a*\"]}",
		   vol, NULL, why, sizeof(why)) == 0,
	   "NotResources excludes");
	ok(selects("{\"Resources\":[\"*\"],\"NotResources\":[\"arn:aws:ec2:*:*:volume/vol-9*\"]}",
		   vol, NULL, why, sizeof(why)) == 1,
	   "a NotResources pattern that does not match leaves it selected");
	ok(selects("[]", vol, NULL, why, sizeof(why)) == 0, "a selection that is not an object");
}

static void test_tags(void)
{
	char why[256];
	const char *lot = "{\"Resources\":[],\"ListOfTags\":[{\"ConditionType\":\"STRINGEQUALS\","
			  "\"ConditionKey\":\"backup\",\"ConditionValue\":\"daily\"},"
			  "{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":"
			  "\"aws:ResourceTag/tier\",\"ConditionValue\":\"gold\"}]}";
	const char *both = "{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\"],\"ListOfTags\":["
			   "{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":\"backup\","
			   "\"ConditionValue\":\"yes\"}]}";
	const char *cond = "{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\"],\"Conditions\":{"
			   "\"StringEquals\":[{\"ConditionKey\":\"aws:ResourceTag/backup\","
			   "\"ConditionValue\":\"yes\"}],"
			   "\"StringLike\":[{\"ConditionKey\":\"aws:ResourceTag/env\","
			   "\"ConditionValue\":\"prod*\"}],"
			   "\"StringNotEquals\":[{\"ConditionKey\":\"aws:ResourceTag/owner\","
			   "\"ConditionValue\":\"test\"}],"
			   "\"StringNotLike\":[{\"ConditionKey\":\"aws:ResourceTag/app\","
			   "\"ConditionValue\":\"tmp-*\"}]}}";

	ok(selects(lot, vol, "{\"backup\":\"daily\"}", why, sizeof(why)) == 1,
	   "ListOfTags with a bare key");
	is_str(why, "ListOfTags backup=daily", "why names the tag");
	ok(selects(lot, vol, "{\"tier\":\"gold\"}", why, sizeof(why)) == 1,
	   "ListOfTags entries are ORed; aws:ResourceTag/ prefix");
	ok(selects(lot, vol, "{\"backup\":\"weekly\"}", why, sizeof(why)) == 0,
	   "another value does not match");
	ok(selects(lot, vol, "{\"Backup\":\"daily\"}", why, sizeof(why)) == 0,
	   "tag keys are case-sensitive");
	ok(selects(lot, vol, NULL, why, sizeof(why)) == 0, "an untagged resource");
	ok(selects(both, "arn:aws:rds:us-east-1:111122223333:db:orders", "{\"backup\":\"yes\"}",
		   why, sizeof(why)) == 1,
	   "Resources OR ListOfTags: by tag");
	ok(selects(both, vol, NULL, why, sizeof(why)) == 1, "Resources OR ListOfTags: by ARN");
	ok(selects(cond, vol, "{\"backup\":\"yes\",\"env\":\"production\"}", why, sizeof(why)) == 1,
	   "every condition holds (negated ones for absent tags)");
	is_str(why, "Resources \"arn:aws:ec2:*:*:volume/*\" and its Conditions",
	       "why mentions the conditions");
	ok(selects(cond, vol, "{\"backup\":\"yes\"}", why, sizeof(why)) == 0,
	   "StringLike needs the tag");
	ok(selects(cond, vol, "{\"backup\":\"no\",\"env\":\"prod\"}", why, sizeof(why)) == 0,
	   "StringEquals fails");
	ok(selects(cond, vol, "{\"backup\":\"yes\",\"env\":\"prod\",\"owner\":\"test\"}", why,
		   sizeof(why)) == 0,
	   "StringNotEquals fails");
	ok(selects(cond, vol, "{\"backup\":\"yes\",\"env\":\"prod\",\"app\":\"tmp-42\"}", why,
		   sizeof(why)) == 0,
	   "StringNotLike fails");
	ok(selects(cond, "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc",
		   "{\"backup\":\"yes\",\"env\":\"prod\"}", why, sizeof(why)) == 0,
	   "Resources AND Conditions: the ARN must match too");
	ok(selects("{\"Resources\":[\"*\"],\"Conditions\":{\"StringEquals\":"
		   "{\"ConditionKey\":\"aws:ResourceTag/backup\",\"ConditionValue\":\"yes\"}}}",
		   vol, "{\"backup\":\"yes\"}", why, sizeof(why)) == 1,
	   "a lone condition object");
	ok(selects("{\"Resources\":[\"*\"],\"Conditions\":{\"StringEquals\":[{\"ConditionKey\":"
		   "\"aws:ResourceTag/backup\"}]}}",
		   vol, "{\"backup\":\"yes\"}", why, sizeof(why)) == 0,
	   "a condition without a value does not hold");
	ok(selects(lot, vol, "{\"backup\":5}", why, sizeof(why)) == 0, "a non-string tag value");
}

static const char *tag_of(void *tags, const char *key)
{
	return json_string_value(json_object_get(tags, key));
}

/* backup_selection_may_match on the JSON text sel (1, 0, 2; -1 on bad
 * JSON), and what backup_selection_unreadable says of it into *what. */
static int may(const char *sel, const char *arn, const char *tags, const char **what)
{
	json_error_t e;
	json_t *s = json_loads(sel, JSON_DECODE_ANY, &e), *t = tags ? json_loads(tags, 0, &e) : NULL;
	long code;
	int r = -1;

	*what = NULL;
	if (s && (!tags || t)) {
		r = backup_selection_may_match(s, arn, tag_of, t, &code);
		*what = backup_selection_unreadable(s, s);
	}
	json_decref(s);
	json_decref(t);
	return r;
}

static const char rds[] = "arn:aws:rds:us-east-1:111122223333:db:orders";

/* Selections that cannot be read whole: what backup_selection_may_match
 * answers (1, 0, 2) and what backup_selection_unreadable names (NULL:
 * nothing; "": something). */
static const struct {
	const char *sel, *arn, *tags;
	int want;
	const char *what, *name;
} unreadable_cases[] = {
    {"{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\"]}", vol, NULL, 1, NULL,
     "a readable selection: 1, nothing unreadable"},
    {"{\"Resources\":[\"arn:aws:rds:*\"]}", vol, NULL, 0, NULL, "a readable selection: 0"},
    {"\"{\\\"Resources\\\": [\"", vol, NULL, 2, "its configuration is not a JSON object",
     "a selection that is a string: it may select anything"},
    {"{\"ListOfTags\":\"[{\\\"ConditionKey\\\": \\\"backup\"}", vol, NULL, 2,
     "its ListOfTags is not a list of tag conditions",
     "ListOfTags a string: not 'every resource' but maybe"},
    {"{\"ListOfTags\":12,\"NotResources\":[\"arn:aws:ec2:*:*:volume/vol-0a*\"]}", vol, NULL, 0,
     "", "a readable NotResources still rules a resource out"},
    {"{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\", 7]}", vol, NULL, 1,
     "its Resources is not a list of ARNs",
     "a readable Resources pattern still selects beside an unreadable one"},
    {"{\"Resources\":[\"arn:aws:ec2:*:*:volume/*\", 7]}", rds, NULL, 2, "",
     "the unreadable one may select what the readable ones do not"},
    {"{\"Resources\":[\"[\\\"arn:aws:rds:*\\\"]\"]}", rds, NULL, 2, "",
     "JSON text in a Resources string is not a pattern"},
    {"{\"Resources\":[\"*\"],\"Conditions\":12}", vol, NULL, 2,
     "its Conditions is not an object of tag condition lists",
     "Conditions a number: selected by Resources, but maybe"},
    {"{\"Resources\":[\"*\"],\"Conditions\":{\"StringEquals\":[{\"ConditionKey\":"
     "\"aws:ResourceTag/backup\",\"ConditionValue\":\"yes\"}, \"junk\"]}}",
     vol, "{\"backup\":\"no\"}", 0, "", "a readable condition that fails decides beside junk"},
    {"{\"Resources\":[\"*\"],\"Conditions\":{\"StringEquals\":[{\"ConditionKey\":"
     "\"aws:ResourceTag/backup\",\"ConditionValue\":5}]}}",
     vol, "{\"backup\":\"yes\"}", 2, "", "a condition value that is not a string: maybe"},
    {"{\"Resources\":[\"*\"],\"NotResources\":{\"a\":1}}", vol, NULL, 2,
     "its NotResources is not a list of ARNs", "NotResources an object: maybe"},
    {"{\"ListOfTags\":[{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":\"backup\","
     "\"ConditionValue\":\"daily\"}, 3]}",
     vol, "{\"backup\":\"daily\"}", 1, "", "a readable ListOfTags entry selects beside junk"},
};

static void test_unreadable(void)
{
	for (size_t i = 0; i < sizeof(unreadable_cases) / sizeof(unreadable_cases[0]); i++) {
		const char *what, *want = unreadable_cases[i].what;
		int r = may(unreadable_cases[i].sel, unreadable_cases[i].arn, unreadable_cases[i].tags,
			    &what);

		ok(r == unreadable_cases[i].want &&
			   (want ? what && (!*want || !strcmp(what, want)) : !what),
		   "%s", unreadable_cases[i].name);
	}
}

static void test_cron(void)
{
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * * *)"), 24, "daily");
	is_int(backup_cron_max_gap_hours("cron(0 5 * * ? *)"), 24, "daily, ? in day of week");
	is_int(backup_cron_max_gap_hours("cron(0 */12 ? * * *)"), 12, "every 12 hours");
	is_int(backup_cron_max_gap_hours("cron(0 0/8 ? * * *)"), 8, "0/8: every 8 hours");
	is_int(backup_cron_max_gap_hours("cron(0 1,13 ? * * *)"), 12, "a list of hours");
	is_int(backup_cron_max_gap_hours("cron(0 2,3 ? * * *)"), 23, "an uneven list");
	is_int(backup_cron_max_gap_hours("cron(0 * ? * * *)"), 1, "hourly");
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * SUN *)"), 7 * 24, "weekly");
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * MON-FRI *)"), 3 * 24, "weekdays");
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * 2-6 *)"), 3 * 24, "weekdays by number");
	is_int(backup_cron_max_gap_hours("cron(0 5 1 * ? *)"), 31 * 24, "monthly");
	is_int(backup_cron_max_gap_hours("cron(0 5 L * ? *)"), 31 * 24, "last day of the month");
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * 1#1 *)"), 35 * 24,
	       "first Sunday of the month");
	is_int(backup_cron_max_gap_hours("cron(0 5 ? * 6L *)"), 35 * 24,
	       "last Friday of the month");
	is_int(backup_cron_max_gap_hours("cron(0 5 1 JAN ? *)"), 365 * 24, "yearly");
	is_int(backup_cron_max_gap_hours("  CRON(0 5 ? * * *) "), 24, "case and blanks");
	ok(backup_cron_max_gap_hours("cron(30 */6 ? * * *)") == 6, "minutes do not shift the gap");
	ok(backup_cron_max_gap_hours("rate(1 day)") < 0, "rate() is not an AWS Backup schedule");
	ok(backup_cron_max_gap_hours("cron(0 5 ? * *)") < 0, "five fields");
	ok(backup_cron_max_gap_hours("cron(0 5 ? * * 2026)") < 0, "a fixed year");
	ok(backup_cron_max_gap_hours("cron(0 5 15W * ? *)") < 0, "W is not read");
	ok(backup_cron_max_gap_hours("cron(0 25 ? * * *)") < 0, "hour out of range");
	ok(backup_cron_max_gap_hours("cron(0 5 30 FEB ? *)") < 0, "never runs");
	ok(backup_cron_max_gap_hours("cron(0 5 ? * * *) x") < 0, "trailing text");
	ok(backup_cron_max_gap_hours("cron(0 5-3 ? * * *)") < 0, "reversed range");
	ok(backup_cron_max_gap_hours("cron(0 */0 ? * * *)") < 0, "step 0");
	ok(backup_cron_max_gap_hours(NULL) < 0 && backup_cron_max_gap_hours("") < 0, "empty");
}

int main(void)
{
	test_glob();
	test_resources();
	test_tags();
	test_unreadable();
	test_cron();
	return tap_done();
}
