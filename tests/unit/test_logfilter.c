/*
 * test_logfilter: CloudWatch Logs JSON filter patterns (src/eval/logfilter.c)
 * against sample CloudTrail events: an AssumeRole and a console SwitchRole
 * into the elevated role, the same into another role, and odd shapes.
 */
#include <string.h>

#include "eval/logfilter.h"
#include "eval/sqlfuncs.h"
#include "tests/unit/tap.h"

/* sts AssumeRole into the elevated role */
static const char assume_elevated[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"principalId\":\"AROAEXAMPLEID:alice\",\"arn\":\"arn:aws:sts::444444444444:assumed-role/"
    "AWSReservedSSO_Operator_0123456789abcdef/alice\",\"accountId\":\"444444444444\"},"
    "\"eventTime\":\"2026-11-03T10:11:12Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"203.0.113.7\","
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::444444444444:role/BreakGlassAdmin\","
    "\"roleSessionName\":\"alice\",\"durationSeconds\":3600},\"responseElements\":{"
    "\"assumedRoleUser\":{\"arn\":\"arn:aws:sts::444444444444:assumed-role/BreakGlassAdmin/alice\"}},"
    "\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
    "\"recipientAccountId\":\"444444444444\",\"errorCode\":null}";
/* the same into an ordinary role */
static const char assume_other[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"arn\":\"arn:aws:sts::444444444444:assumed-role/ci/runner\"},"
    "\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\","
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::444444444444:role/ReadOnly\","
    "\"roleSessionName\":\"runner\",\"durationSeconds\":900},\"readOnly\":true,"
    "\"recipientAccountId\":\"444444444444\"}";
/* console role switch (signin.amazonaws.com) into the elevated role */
static const char switch_elevated[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"arn\":\"arn:aws:sts::444444444444:assumed-role/BreakGlassAdmin/alice\"},"
    "\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"SwitchRole\","
    "\"additionalEventData\":{\"SwitchFrom\":\"arn:aws:iam::444444444444:user/alice\","
    "\"RedirectTo\":\"https://console.aws.amazon.com\"},\"responseElements\":{"
    "\"SwitchRole\":\"Success\"},\"recipientAccountId\":\"444444444444\"}";
static const char switch_other[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"arn\":\"arn:aws:sts::444444444444:assumed-role/ReadOnly/alice\"},"
    "\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"SwitchRole\","
    "\"responseElements\":{\"SwitchRole\":\"Success\"},\"tags\":[\"a\",\"b\"]}";

static const char elevated[] =
    "{ ($.eventName = \"AssumeRole\" && $.requestParameters.roleArn = \"*:role/BreakGlassAdmin\") "
    "|| ($.eventName = SwitchRole && $.userIdentity.arn = \"*:assumed-role/BreakGlassAdmin/*\") }";

static int m(const char *pattern, const char *event)
{
	json_t *ev = json_loads(event, 0, NULL);
	int r = logfilter_match(pattern, strlen(pattern), ev, NULL);

	json_decref(ev);
	return r;
}

static const char *error_of(const char *pattern)
{
	json_t *ev = json_loads(assume_other, 0, NULL);
	const char *err = NULL;

	logfilter_match(pattern, strlen(pattern), ev, &err);
	json_decref(ev);
	return err;
}

/* The SQL function: the result of SELECT logfilter_matches(?, ?) as text
 * ("1", "0" or "NULL"). */
static const char *sql_m(sqlite3 *db, const char *pattern, const char *event)
{
	static char out[8];
	sqlite3_stmt *st;

	strcpy(out, "ERR");
	if (sqlite3_prepare_v2(db, "SELECT logfilter_matches(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return out;
	if (pattern)
		sqlite3_bind_text(st, 1, pattern, -1, SQLITE_STATIC);
	if (event)
		sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof(out), "%s",
			 sqlite3_column_type(st, 0) == SQLITE_NULL ? "NULL"
								  : (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void test_sql(void)
{
	sqlite3 *db;

	ok(sqlite3_open(":memory:", &db) == SQLITE_OK && sqlfuncs_register(db, 0) == SQLITE_OK,
	   "register the SQL functions");
	is_str(sql_m(db, elevated, assume_elevated), "1", "SQL: elevated AssumeRole matches");
	is_str(sql_m(db, elevated, switch_other), "0", "SQL: other SwitchRole does not");
	is_str(sql_m(db, "ERROR", assume_other), "NULL", "SQL: a term pattern gives NULL");
	is_str(sql_m(db, elevated, "[1]"), "NULL", "SQL: an event that is no object gives NULL");
	is_str(sql_m(db, elevated, "{"), "NULL", "SQL: invalid JSON gives NULL");
	is_str(sql_m(db, NULL, assume_other), "NULL", "SQL: NULL pattern gives NULL");
	sqlite3_close(db);
}

int main(void)
{
	static const char *const bad[] = {
	    "AssumeRole",			 /* a term pattern, not JSON */
	    "{ }",				 /* empty */
	    "{ $.eventName }",			 /* no operator */
	    "{ $.eventName = }",		 /* no value */
	    "{ $ = \"x\" }",			 /* no field */
	    "{ ($.eventName = \"x\" }",		 /* unbalanced */
	    "{ $.eventName = \"x\" } trailing", /* text after } */
	    "{ $.eventName = \"x\" && }",	 /* dangling && */
	    "{ $.a > \"7\" }",			 /* quoted number */
	    "{ $.a > seven }",			 /* not a number */
	    "{ $.a IS MAYBE }",			 /* bad IS */
	    "{ $.a[x] = 1 }",			 /* bad index */
	    "{ $.eventName = \"unterminated }",	 /* unterminated string */
	    "{ $.eventName == \"x\" }",		 /* == is not an operator */
	};

	ok(m(elevated, assume_elevated) == 1, "AssumeRole into the elevated role matches");
	ok(m(elevated, assume_other) == 0, "AssumeRole into another role does not");
	ok(m(elevated, switch_elevated) == 1, "SwitchRole into the elevated role matches");
	ok(m(elevated, switch_other) == 0, "SwitchRole into another role does not");

	ok(m("{ $.eventName = \"AssumeRole\" }", assume_other) == 1, "quoted equality");
	ok(m("{ $.eventName = AssumeRole }", assume_other) == 1, "unquoted equality");
	ok(m("{$.eventName=\"Assume*\"}", assume_other) == 1, "suffix wildcard, no spaces");
	ok(m("{ $.eventName = \"*Role\" }", assume_other) == 1, "prefix wildcard");
	ok(m("{ $.eventName = \"A*R*e\" }", assume_other) == 1, "inner wildcards");
	ok(m("{ $.eventName = \"Assume\" }", assume_other) == 0, "no partial match without *");
	ok(m("{ $.eventName != \"AssumeRole\" }", assume_other) == 0, "!= on an equal value");
	ok(m("{ $.eventName != \"Get*\" }", assume_other) == 1, "!= with a wildcard");
	ok(m("{ $.missing != \"x\" }", assume_other) == 0, "!= on a missing field does not match");
	ok(m("{ $.missing = \"*\" }", assume_other) == 0, "= * on a missing field does not match");
	ok(m("{ $.requestParameters.durationSeconds > 600 }", assume_other) == 1, "numeric >");
	ok(m("{ $.requestParameters.durationSeconds >= 900 }", assume_other) == 1, "numeric >=");
	ok(m("{ $.requestParameters.durationSeconds < 900 }", assume_other) == 0, "numeric <");
	ok(m("{ $.requestParameters.durationSeconds <= 900.0 }", assume_other) == 1, "numeric <=");
	ok(m("{ $.requestParameters.durationSeconds = 9e2 }", assume_other) == 1, "numeric =");
	ok(m("{ $.requestParameters.durationSeconds != 900 }", assume_other) == 0, "numeric !=");
	ok(m("{ $.requestParameters.roleSessionName > 1 }", assume_other) == 0,
	   "numeric comparison with a string field");
	ok(m("{ $.readOnly IS TRUE }", assume_other) == 1, "IS TRUE");
	ok(m("{ $.readOnly IS FALSE }", assume_other) == 0, "IS FALSE");
	ok(m("{ $.readOnly = true }", assume_other) == 1, "boolean as text");
	ok(m("{ $.errorCode IS NULL }", assume_elevated) == 1, "IS NULL on a null field");
	ok(m("{ $.errorCode IS NULL }", assume_other) == 0, "IS NULL on a missing field");
	ok(m("{ $.errorCode NOT EXISTS }", assume_other) == 1, "NOT EXISTS");
	ok(m("{ $.eventName NOT EXISTS }", assume_other) == 0, "NOT EXISTS on a present field");
	ok(m("{ $.tags[1] = \"b\" }", switch_other) == 1, "array index");
	ok(m("{ $.tags[2] = \"b\" }", switch_other) == 0, "array index past the end");
	ok(m("{ $.userIdentity = \"*\" }", switch_other) == 0, "an object is no string");
	ok(m("{ $.eventSource = \"sts.amazonaws.com\" && $.eventName = \"AssumeRole\" && "
	     "$.requestParameters.roleArn = \"*ReadOnly\" }", assume_other) == 1, "&& chain");
	ok(m("{ $.eventName = \"x\" || $.eventName = \"y\" || $.eventName = \"SwitchRole\" }",
	     switch_other) == 1, "|| chain");
	ok(m("{ $.eventName = \"SwitchRole\" || $.eventName = \"x\" && $.eventName = \"y\" }",
	     switch_other) == 1, "&& binds tighter than ||");
	ok(m("{ ($.eventName = \"SwitchRole\" || $.eventName = \"x\") && $.eventName = \"y\" }",
	     switch_other) == 0, "parentheses group");
	ok(m("{ ((($.eventName = \"SwitchRole\"))) }", switch_other) == 1, "nested parentheses");
	ok(m("{ $.responseElements.SwitchRole = \"Succ\\\"ess\" }", switch_other) == 0,
	   "escaped quote in a value");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(m(bad[i], assume_other) == -1 && error_of(bad[i]) != NULL, "rejected: %s", bad[i]);
	{
		char deep[400];
		size_t n = 0;

		memcpy(deep, "{ ", 2), n = 2;
		for (int i = 0; i < 100; i++)
			deep[n++] = '(';
		deep[n] = '\0';
		ok(m(deep, assume_other) == -1, "deep nesting rejected");
	}
	ok(logfilter_match("{ $.a = 1 }", 11, NULL, NULL) == -1, "NULL event");
	ok(logfilter_glob("a*b*c", 5, "aXbYc", 5) == 1 && logfilter_glob("a*b", 3, "ab", 2) == 1 &&
	       logfilter_glob("a*b", 3, "abc", 3) == 0 && logfilter_glob("*", 1, "", 0) == 1,
	   "glob");
	test_sql();
	return tap_done();
}
