/*
 * test_normalize: every normalization listed in cfgaudit-ingest(1),
 * section NORMALIZATION, and every required-field error.
 */
#include "ingest/normalize.h"
#include "util/urldecode.h"
#include "ingest/reader.h"
#include "tests/unit/tap.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

/* The required members, in API shape, as a JSON text fragment. */
#define BASE                                                                                       \
	"\"accountId\":\"012345678901\",\"resourceType\":\"AWS::S3::Bucket\","                     \
	"\"resourceId\":\"b\",\"awsRegion\":\"eu-west-1\","                                        \
	"\"configurationItemCaptureTime\":\"2024-03-01T10:00:00.123Z\""

static struct diag d;

/* normalize the JSON text s (single quotes stand for double quotes) */
static json_t *norm(const char *s)
{
	json_error_t e;
	char *t = strdup(s);
	json_t *in;

	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	in = json_loads(t, JSON_DECODE_ANY, &e);
	free(t);
	diag_clear(&d);
	if (!in) {
		printf("# bad test json: %s\n", e.text);
		return NULL;
	}
	return normalize_item(in, &d);
}

/* compact text of item at a path like "configuration.a" */
static char *at(json_t *item, const char *path)
{
	static char buf[4096];
	char key[256];
	json_t *v = item;
	const char *p = path;

	while (v && *p) {
		size_t n = strcspn(p, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (json_is_array(v))
			v = json_array_get(v, (size_t)atoi(key));
		else
			v = json_object_get(v, key);
		p += n;
		if (*p == '.')
			p++;
	}
	if (!v)
		return strcpy(buf, "(absent)");
	{
		char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

		snprintf(buf, sizeof(buf), "%s", s);
		free(s);
	}
	return buf;
}

#define HAS(item, path, want) is_str(at(item, path), want, "%s", path)

static void test_renames(void)
{
	json_t *it =
	    norm("{" BASE ",'version':'1.3','arn':'arn:x','configurationItemMD5Hash':'h',"
		 "'relationships':[{'resourceId':'r','relationshipName':'Is attached to X'}]}");

	ok(it != NULL, "api item normalizes (%s)", d.msg);
	HAS(it, "configurationItemVersion", "\"1.3\"");
	HAS(it, "awsAccountId", "\"012345678901\"");
	HAS(it, "ARN", "\"arn:x\"");
	HAS(it, "configurationStateMd5Hash", "\"h\"");
	HAS(it, "relationships.0.name", "\"Is attached to X\"");
	HAS(it, "relationships.0.relationshipName", "(absent)");
	HAS(it, "version", "(absent)");
	HAS(it, "accountId", "(absent)");
	HAS(it, "arn", "(absent)");
	HAS(it, "configurationItemStatus", "\"OK\"");
	HAS(it, "configurationStateId", "(absent)");
	HAS(it, "tags", "{}");
	HAS(it, "relationships.0.resourceId", "\"r\"");
	HAS(it, "supplementaryConfiguration", "{}");
	HAS(it, "configuration", "null");
	HAS(it, "resourceCreationTime", "null");
	json_decref(it);

	/* the canonical name wins over the API name */
	it = norm("{" BASE ",'awsAccountId':'111122223333','unknownKey':[1]}");
	HAS(it, "awsAccountId", "\"111122223333\"");
	HAS(it, "unknownKey", "[1]");
	json_decref(it);
}

static void test_json_in_strings(void)
{
	json_t *it = norm("{" BASE ",'configurationStateId':'1709287200123',"
			  "'configuration':'{\\'name\\':\\'b\\',\\'n\\':1}',"
			  "'supplementaryConfiguration':{"
			  "'AccessControlList':'\\'{\\\\\\'grantList\\\\\\':[{\\\\\\'grantee\\\\\\'"
			  ":\\\\\\'AllUsers\\\\\\'}]}\\'',"
			  "'BucketPolicy':'{\\'policyText\\':\\'{\\\\\\'Version\\\\\\':\\\\\\'2012-"
			  "10-17\\\\\\'}\\'}',"
			  "'IsRequesterPaysEnabled':'false','Plain':'Enabled','Tags':'[]'}}");

	ok(it != NULL, "api bucket normalizes (%s)", d.msg);
	HAS(it, "configurationStateId", "1709287200123");
	HAS(it, "configuration", "{\"n\":1,\"name\":\"b\"}");
	HAS(it, "supplementaryConfiguration.AccessControlList.grantList.0.grantee", "\"AllUsers\"");
	HAS(it, "supplementaryConfiguration.BucketPolicy.policyText.Version", "\"2012-10-17\"");
	HAS(it, "supplementaryConfiguration.IsRequesterPaysEnabled", "false");
	HAS(it, "supplementaryConfiguration.Plain", "\"Enabled\"");
	HAS(it, "supplementaryConfiguration.Tags", "[]");
	json_decref(it);

	it = norm("{" BASE ",'configurationItemStatus':'ResourceDeleted','configuration':'null'}");
	HAS(it, "configuration", "null");
	HAS(it, "configurationItemStatus", "\"ResourceDeleted\"");
	json_decref(it);

	it = norm("{" BASE ",'configuration':'not json'}");
	ok(!it && strstr(d.msg, "configuration is a string that is not json"),
	   "bad configuration: %s", d.msg);
	/* a configuration that is no object (a damaged or forged item) */
	it = norm("{" BASE ",'configuration':12}");
	ok(!it && strstr(d.msg, "configuration is not an object"), "a number: %s", d.msg);
	it = norm("{" BASE ",'configuration':[{'a':1}]}");
	ok(!it && strstr(d.msg, "configuration is not an object"), "an array: %s", d.msg);
	it = norm("{" BASE ",'configuration':'[1, 2]'}");
	ok(!it && strstr(d.msg, "configuration is not an object"), "an array in a string: %s",
	   d.msg);

	/* KMS key policy in supplementaryConfiguration, SNS policies in configuration */
	it = norm("{" BASE ",'resourceType':'AWS::KMS::Key','supplementaryConfiguration':{"
		  "'Policy':'{\\n  \\'Version\\' : \\'2012-10-17\\'\\n}'}}");
	HAS(it, "supplementaryConfiguration.Policy.Version", "\"2012-10-17\"");
	json_decref(it);
	it = norm("{" BASE ",'resourceType':'AWS::SNS::Topic','configuration':{"
		  "'Policy':'{\\'Statement\\':[]}','EffectiveDeliveryPolicy':'{\\'http\\':{}}',"
		  "'DisplayName':'123'}}");
	HAS(it, "configuration.Policy.Statement", "[]");
	HAS(it, "configuration.EffectiveDeliveryPolicy.http", "{}");
	HAS(it, "configuration.DisplayName", "\"123\"");
	json_decref(it);
}

static void test_iam(void)
{
	/* %7B"Version":"2012-10-17",%0A"S":"a+b c"%7D  with %20 and %0A */
	json_t *it =
	    norm("{" BASE ",'resourceType':'AWS::IAM::Role','awsRegion':'global','configuration':{"
		 "'assumeRolePolicyDocument':'%7B%22Version%22%3A%222012-10-17%22%2C%0A%20%22S%22:%"
		 "22a+b%20c%22%7D',"
		 "'rolePolicyList':[{'policyName':'p','policyDocument':'%7B%22Statement%22%3A%5B%"
		 "5D%7D'},"
		 "{'policyName':'bad','policyDocument':'%7Bnot json%7D'},"
		 "{'policyName':'badpct','policyDocument':'100%'}],"
		 "'userPolicyList':[{'policyDocument':{'Version':'2012-10-17'}}],"
		 "'groupPolicyList':[{'policyDocument':'{\\'Statement\\':1}'}],"
		 "'policyVersionList':[{'document':'%7B%7D','versionId':'v1'}],"
		 "'description':'%7B%7D'}}");

	ok(it != NULL, "iam role normalizes (%s)", d.msg);
	HAS(it, "configuration.assumeRolePolicyDocument.Version", "\"2012-10-17\"");
	HAS(it, "configuration.assumeRolePolicyDocument.S", "\"a+b c\"");
	HAS(it, "configuration.rolePolicyList.0.policyDocument.Statement", "[]");
	HAS(it, "configuration.rolePolicyList.1.policyDocument", "\"%7Bnot json%7D\"");
	HAS(it, "configuration.rolePolicyList.2.policyDocument", "\"100%\"");
	HAS(it, "configuration.userPolicyList.0.policyDocument.Version", "\"2012-10-17\"");
	HAS(it, "configuration.groupPolicyList.0.policyDocument.Statement", "1");
	HAS(it, "configuration.policyVersionList.0.document", "{}");
	HAS(it, "configuration.description", "\"%7B%7D\"");
	json_decref(it);

	{
		size_t n;
		char *s = url_decode("a%20b+c%0A%7e", 13, 1, &n);

		is_str(s, "a b+c\n~", "url decode keeps '+'");
		free(s);
		ok(url_decode("%zz", 3, 1, &n) == NULL, "bad percent escape");
		ok(url_decode("%4", 2, 1, &n) == NULL, "short percent escape");
	}
}

static void test_numbers_and_times(void)
{
	json_t *it =
	    norm("{" BASE ",'configurationItemCaptureTime':1502617462.927,"
		 "'resourceCreationTime':1502443814.0,'configurationStateId':1502617462927.0,"
		 "'configuration':{'allocatedStorage':5.0,'ratio':0.5,'list':[1.0,2.25],"
		 "'big':1e300}}");

	ok(it != NULL, "epoch seconds and floats (%s)", d.msg);
	HAS(it, "configurationItemCaptureTime", "\"2017-08-13T09:44:22.927Z\"");
	HAS(it, "resourceCreationTime", "\"2017-08-11T09:30:14.000Z\"");
	HAS(it, "configurationStateId", "1502617462927");
	HAS(it, "configuration.allocatedStorage", "5");
	HAS(it, "configuration.ratio", "0.5");
	HAS(it, "configuration.list", "[1,2.25]");
	HAS(it, "configuration.big", "1.0000000000000001e300");
	json_decref(it);

	it = norm("{" BASE ",'configurationItemCaptureTime':1502617462927}");
	HAS(it, "configurationItemCaptureTime", "\"2017-08-13T09:44:22.927Z\"");
	json_decref(it);
	it = norm("{" BASE ",'configurationItemCaptureTime':'2017-11-09T12:35:43.639000-05:00'}");
	HAS(it, "configurationItemCaptureTime", "\"2017-11-09T17:35:43.639Z\"");
	json_decref(it);
	it = norm("{" BASE ",'configurationItemCaptureTime':'2017-11-09T12:35:43Z'}");
	HAS(it, "configurationItemCaptureTime", "\"2017-11-09T12:35:43.000Z\"");
	json_decref(it);
	it = norm("{" BASE ",'resourceCreationTime':'datetime.datetime(2020, 1, 16)'}");
	HAS(it, "resourceCreationTime", "\"2020-01-16T00:00:00.000Z\"");
	json_decref(it);
	it = norm("{" BASE ",'resourceCreationTime':'datetime.datetime(junk)'}");
	HAS(it, "resourceCreationTime", "null");
	json_decref(it);

	it = norm("{" BASE ",'configurationItemCaptureTime':'yesterday'}");
	ok(!it && strstr(d.msg, "configurationItemCaptureTime \"yesterday\" is not a time"), "%s",
	   d.msg);
	it = norm("{'accountId':'012345678901','resourceType':'t','resourceId':'i','awsRegion':'us-"
		  "east-1'}");
	ok(!it && strstr(d.msg, "configurationItemCaptureTime is missing"), "%s", d.msg);
	it = norm("{" BASE ",'configurationStateId':'12a'}");
	HAS(it, "configurationStateId", "(absent)");
	HAS(it, "configurationStateIdRaw", "\"12a\"");
	json_decref(it);
	it = norm("{" BASE ",'accountId':'12345678912'}");
	HAS(it, "awsAccountId", "\"012345678912\"");
	json_decref(it);
	it = norm("{" BASE ",'accountId':'1236456789012'}");
	HAS(it, "awsAccountId", "\"1236456789012\"");
	json_decref(it);
	it = norm("{" BASE ",'configurationItemCaptureTime':"
		  "'datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())'}");
	HAS(it, "configurationItemCaptureTime", "\"2020-04-22T13:13:17.718Z\"");
	json_decref(it);
	it = norm("{" BASE ",'configurationStateId':1.5}");
	ok(!it && strstr(d.msg, "configurationStateId 1.5 is not an integer"), "%s", d.msg);
	it = norm("{" BASE ",'configurationStateId':null}");
	HAS(it, "configurationStateId", "(absent)");
	json_decref(it);
}

static void test_tags(void)
{
	static const char *const shapes[] = {
	    "{'env':'prod','team':'a'}",
	    "[{'key':'env','value':'prod'},{'key':'team','value':'a'}]",
	    "[{'Key':'env','Value':'prod'},{'Key':'team','Value':'a'}]",
	    "[{'tagKey':'env','tagValue':'prod'},{'tagKey':'team','tagValue':'a'}]",
	    "'[{\\'key\\':\\'env\\',\\'value\\':\\'prod\\'},{\\'key\\':\\'team\\',\\'value\\':\\'"
	    "a\\'}]'",
	};
	char buf[1024];
	json_t *it;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		snprintf(buf, sizeof(buf), "{" BASE ",'tags':%s}", shapes[i]);
		it = norm(buf);
		is_str(at(it, "tags"), "{\"env\":\"prod\",\"team\":\"a\"}", "tag shape %zu", i);
		json_decref(it);
	}
	it = norm("{" BASE ",'configuration':{'tags':[{'key':'k','value':'v'}]}}");
	HAS(it, "tags", "{}");
	HAS(it, "configuration.tags.0.key", "\"k\"");
	json_decref(it);
	it = norm("{" BASE ",'tags':[{'name':'x'}]}");
	ok(!it && strstr(d.msg, "tags[0] is not a {key, value} pair"), "%s", d.msg);
	it = norm("{" BASE ",'tags':5}");
	ok(!it && strstr(d.msg, "tags is neither"), "%s", d.msg);
}

static void test_required(void)
{
	static const struct {
		const char *item;
		const char *msg;
	} bad[] = {
	    {"{'accountId':'012345678901','resourceId':'b','awsRegion':'us-east-1',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "resourceType is missing"},
	    {"{'accountId':'012345678901','resourceType':'t','awsRegion':'us-east-1',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "resourceId is missing"},
	    {"{'resourceType':'t','resourceId':'b','awsRegion':'us-east-1',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "awsAccountId (accountId) is missing"},
	    {"{'accountId':'../12345','resourceType':'t','resourceId':'b','awsRegion':'us-east-1',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "awsAccountId \"../12345\" is not an account id"},
	    {"{'accountId':'01234567890x','resourceType':'t','resourceId':'b','awsRegion':'us-east-"
	     "1',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "is not an account id"},
	    {"{'accountId':'012345678901','resourceType':'t','resourceId':'b',"
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "awsRegion is missing"},
	    {"{'accountId':'012345678901','resourceType':7,'resourceId':'b','awsRegion':'us-east-1'"
	     ","
	     "'configurationItemCaptureTime':'2024-01-01T00:00:00Z'}",
	     "resourceType is not a non-empty string"},
	    {"[1]", "item is not an object"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *it = norm(bad[i].item);

		ok(!it && strstr(d.msg, bad[i].msg), "error '%s' (%s)", bad[i].msg, d.msg);
		json_decref(it);
	}
	/* a numeric account id gets its leading zeros back */
	{
		json_t *it =
		    norm("{'accountId':12345678901,'resourceType':'t','resourceId':'b',"
			 "'awsRegion':'us-east-1','configurationItemCaptureTime':'2024-01-01'}");

		HAS(it, "awsAccountId", "\"012345678901\"");
		json_decref(it);
	}
	/* a shared reference is not changed */
	{
		json_error_t e;
		json_t *in =
		    json_loads("{\"accountId\":\"012345678901\",\"resourceType\":\"t\","
			       "\"resourceId\":\"b\",\"awsRegion\":\"us-east-1\","
			       "\"configurationItemCaptureTime\":\"2024-01-01T00:00:00Z\"}",
			       0, &e);
		json_t *it;

		json_incref(in);
		it = normalize_item(in, &d);
		ok(it && it != in && json_object_get(in, "accountId"), "shared input is copied");
		json_decref(it);
		json_decref(in);
	}
}

/* Region names: AWS's documented pattern (all partitions) and global. */
static void test_regions(void)
{
	static const char *const good[] = {"us-east-1",	     "eu-central-2",   "ap-southeast-7",
					   "us-gov-west-1",  "cn-northwest-1", "us-iso-east-1",
					   "us-isob-east-1", "eu-isoe-west-1", "global"};
	static const char *const bad[] = {
	    "Not Applicable", "",      "us-east", "US-EAST-1",	"us-east-1a",	 "useast1",
	    "us-east-123",    "us--1", "global ", "-us-east-1", "us-iso--east-1"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(normalize_region_ok(good[i]), "region '%s' accepted", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!normalize_region_ok(bad[i]), "region '%s' refused", bad[i]);
}

int main(void)
{
	test_regions();
	test_renames();
	test_json_in_strings();
	test_iam();
	test_numbers_and_times();
	test_tags();
	test_required();
	return tap_done();
}
