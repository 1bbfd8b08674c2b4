/*
 * test_discover: the S3 key-layout classifier and the object-name parser
 * of src/ingest/discover.c.
 */
#include "ingest/discover.h"
#include "util/timeutil.h"
#include "tests/unit/tap.h"

#include <stdio.h>
#include <string.h>

static const char *cls_name(enum discover_class c)
{
	return c == DISCOVER_CONFIG ? "config" : c == DISCOVER_CANDIDATE ? "candidate" : "ignored";
}

static void check_class(const char *path, const char *want)
{
	struct discover_info in;

	discover_classify(path, &in);
	is_str(cls_name(in.cls), want, "%s is %s", path, want);
}

static void check_layout(const char *path, enum discover_kind k, const char *account,
			 const char *region, const char *when)
{
	struct discover_info in;
	char t[TIME_ISO_LEN] = "";

	discover_classify(path, &in);
	ok(in.cls == DISCOVER_CONFIG && in.layout_kind == k, "%s: config object of its kind", path);
	is_str(in.account, account, "  account");
	is_str(in.region, region, "  region");
	if (in.has_time)
		time_format_iso(in.delivered_ms, t);
	is_str(t, when, "  delivery time");
}

int main(void)
{
	struct discover_info in;
	const char *snap = "123456789012_Config_us-east-2_ConfigSnapshot_20160927T183939Z_"
			   "16da64e4-cb65-4846-b061-e6c3ba43cb96.json.gz";
	char path[1024];

	/* The layout, with and without a prefix, unpadded dates. */
	snprintf(path, sizeof(path),
		 "AWSLogs/123456789012/Config/us-east-2/2016/9/27/ConfigSnapshot/%s", snap);
	check_layout(path, DISCOVER_KIND_SNAPSHOT, "123456789012", "us-east-2",
		     "2016-09-27T18:39:39.000Z");
	discover_classify(path, &in);
	is_str(in.snapshot_id, "16da64e4-cb65-4846-b061-e6c3ba43cb96", "snapshot id from the name");
	snprintf(path, sizeof(path),
		 "/data/archive/o-abc123/AWSLogs/123456789012/Config/us-east-2/2016/09/27/"
		 "ConfigSnapshot/%s",
		 snap);
	check_layout(path, DISCOVER_KIND_SNAPSHOT, "123456789012", "us-east-2",
		     "2016-09-27T18:39:39.000Z");
	check_layout("x/y/z/AWSLogs/123456789012/Config/us-east-2/2020/8/31/ConfigHistory/"
		     "123456789012_Config_us-east-2_ConfigHistory_AWS::CloudFormation::Stack_"
		     "20200831T011226Z_20200831T025845Z_1.json.gz",
		     DISCOVER_KIND_HISTORY, "123456789012", "us-east-2",
		     "2020-08-31T02:58:45.000Z");
	check_layout(
	    "AWSLogs/123456789012/Config/us-west-2/2016/10/6/OversizedChangeNotification/"
	    "AWS::EC2::Instance/resourceId_14b7/123456789012_Config_us-west-2_"
	    "ChangeNotification_AWS::EC2::Instance_resourceId_14b7_20161006T164616Z_0.json.gz",
	    DISCOVER_KIND_OVERSIZED, "123456789012", "us-west-2", "2016-10-06T16:46:16.000Z");
	check_layout("p/AWSLogs/123456789012/Config/global/2026/1/2/OversizedChangeNotification/"
		     "AWS::IAM::Policy/arn:aws:iam::123456789012:policy/a/b/"
		     "123456789012_Config_global_ChangeNotification_AWS::IAM::Policy_x_"
		     "20260102T030405Z_17.json.gz",
		     DISCOVER_KIND_OVERSIZED, "123456789012", "global", "2026-01-02T03:04:05.000Z");
	/* A layout file whose name does not parse: still Config, no time. */
	check_layout(
	    "AWSLogs/123456789012/Config/eu-west-1/2026/1/2/ConfigSnapshot/renamed.json.gz",
	    DISCOVER_KIND_SNAPSHOT, "123456789012", "eu-west-1", "");

	/* Everything else in a log-archive bucket. */
	check_class("AWSLogs/123456789012/Config/ConfigWritabilityCheckFile", "ignored");
	check_class("o-abc/AWSLogs/123456789012/CloudTrail/us-east-1/2020/08/30/"
		    "123456789012_CloudTrail_us-east-1_20200830T0000Z_x.json.gz",
		    "ignored");
	check_class("AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2020/08/30/d.json.gz",
		    "ignored");
	check_class("AWSLogs/123456789012/GuardDuty/us-east-1/2020/08/30/f.jsonl.gz", "ignored");
	check_class("AWSLogs/123456789012/vpcflowlogs/us-east-1/2020/08/30/f.log.gz", "ignored");
	check_class("AWSLogs/123456789012/ELBAccessLogTestFile", "ignored");
	check_class("AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2020/08/30/x.json.gz",
		    "ignored");
	check_class("AWSLogs/12345678901/Config/us-east-1/2020/8/30/ConfigSnapshot/x.json.gz",
		    "ignored");
	check_class("AWSLogs/123456789012/Config/us-east-1/2020/13/30/ConfigSnapshot/x.json.gz",
		    "ignored");
	check_class("AWSLogs/123456789012/Config/us-east-1/2020/8/30/Other/x.json.gz", "ignored");
	check_class("AWSLogs/123456789012/Config/us-east-1/2020/8/30/ConfigSnapshot/x.txt",
		    "ignored");
	check_class("AWSLogs/123456789012/Config/us-east-1/2020/8/30/ConfigSnapshot/sub/x.json.gz",
		    "ignored");

	/* Outside any layout: only JSON names are candidates. */
	check_class("exports/history.json", "candidate");
	check_class("exports/history.json.gz", "candidate");
	check_class("exports/readme.txt", "ignored");
	check_class("exports/x.jsonl", "ignored");
	discover_classify(snap, &in);
	ok(in.cls == DISCOVER_CANDIDATE && in.name_kind == DISCOVER_KIND_SNAPSHOT &&
	       !strcmp(in.account, "123456789012") && !strcmp(in.region, "us-east-2") &&
	       in.has_time,
	   "a bare snapshot name gives account, region and time");

	/* Names that must not parse. */
	memset(&in, 0, sizeof(in));
	ok(discover_parse_name(
	       "123456789012_Config_us-east-2_ConfigSnapshot_2016092T183939Z_u.json", &in) == -1,
	   "bad timestamp");
	ok(discover_parse_name(
	       "12345678901_Config_us-east-2_ConfigSnapshot_20160927T183939Z_u.json", &in) == -1,
	   "11-digit account");
	ok(discover_parse_name("123456789012_Config_US_ConfigSnapshot_20160927T183939Z_u.json",
			       &in) == -1,
	   "bad region");
	ok(discover_parse_name("123456789012_Config_us-east-2_ConfigHistory_T_20160927T183939Z_x_1"
			       ".json.gz",
			       &in) == -1,
	   "history without an end time");
	ok(discover_parse_name("123456789012_Config_us-east-2_ConfigSnapshot_20160927T183939Z_u.gz",
			       &in) == -1,
	   "not a JSON name");
	ok(!in.has_time && !in.account[0], "a failed parse leaves the info alone");

	/* Absurd inputs do not crash. */
	{
		static char deep[70000];
		size_t n = 0;

		while (n + 3 < sizeof(deep) - 40) {
			memcpy(deep + n, "ab/", 3);
			n += 3;
		}
		strcpy(deep + n, "AWSLogs/x.json");
		discover_classify(deep, &in);
		is_str(cls_name(in.cls), "ignored", "very deep path");
		discover_classify("", &in);
		is_str(cls_name(in.cls), "ignored", "empty path");
		discover_classify("////", &in);
		is_str(cls_name(in.cls), "ignored", "only slashes");
	}
	return tap_done();
}
