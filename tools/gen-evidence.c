/*
 * gen-evidence: the landing zone's evidence files (see gen-evidence.h).
 *
 * Every answer has the shape the AWS CLI prints with --output json
 * (compact here), and the file layout cfgaudit-collect writes:
 *   AWSLogs/<account>/Evidence/<region>/<service>/<operation>/<time>[_<arg>].json
 * with the argument percent-encoded. Deliberate breaks (one per check the
 * evidence decides):
 *   - development (555555555555) is not in the organization's account
 *     list: it left the organization, and so the organization trail
 *   - production's second region answers describe-configuration-recorders
 *     with no recorder (a Region without a recorder)
 *   - security's second-region recorder is stopped (recording false)
 *   - log-archive's home-region delivery channel delivers to another bucket
 *   - the second region's GuardDuty topic has only a pending subscription
 *   - log-archive is not a GuardDuty member in the second region
 * The organization's tree (list-roots, list-parents per account and OU,
 * list-organizational-units-for-parent per parent) is Control Tower's:
 * management under the root, security and log-archive in Security,
 * production in Workloads/Prod.
 */
#include "gen-evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ev {
	const char *awslogs;
	gen_write_fn write;
	char when[20]; /* file-name time, 20261107T050000Z */
	char iso[32];  /* the same as the CLI prints times */
	struct gbuf path, body;
};

/* Write ev->body as the answer of one call. */
static void put(struct ev *e, const char *account, const char *region, const char *service,
		const char *operation, const char *arg)
{
	gbuf_reset(&e->path);
	gbuf_printf(&e->path, "%s/%s/Evidence/%s/%s/%s/%s", e->awslogs, account, region, service,
		    operation, e->when);
	if (arg) {
		gbuf_putc(&e->path, '_');
		gbuf_urlencode(&e->path, arg, strlen(arg), 0);
	}
	gbuf_puts(&e->path, ".json");
	gbuf_putc(&e->body, '\n');
	e->write(e->path.p, e->body.p, e->body.len);
	gbuf_reset(&e->body);
}

static const char *const names[5] = {"management", "security", "log-archive", "production",
				     "development"};

static void org_accounts(struct ev *e, const char *const acct[5], const char *org)
{
	gbuf_puts(&e->body, "{\"Accounts\":[");
	for (int i = 0; i < 4; i++) /* development left the organization */
		gbuf_printf(&e->body,
			    "%s{\"Id\":\"%s\",\"Arn\":\"arn:aws:organizations::%s:account/%s/%s\","
			    "\"Email\":\"aws+%s@example.com\",\"Name\":\"%s\",\"Status\":\"ACTIVE\","
			    "\"State\":\"ACTIVE\",\"JoinedMethod\":\"%s\",\"JoinedTimestamp\":"
			    "\"2025-06-26T09:%02d:00.000000+00:00\"}",
			    i ? "," : "", acct[i], acct[0], org, acct[i], names[i], names[i],
			    i ? "CREATED" : "INVITED", 10 + i);
	gbuf_puts(&e->body, "]}");
	put(e, acct[0], "global", "organizations", "list-accounts", NULL);
}

/* The OUs: id, name, parent (NULL for the root). */
static const struct {
	const char *id, *name, *parent;
} ous[] = {
    {"ou-k3q7-7s1x2c4d", "Security", NULL},
    {"ou-k3q7-wk9m3n5p", "Workloads", NULL},
    {"ou-k3q7-pr4d8f2h", "Prod", "ou-k3q7-wk9m3n5p"},
};
#define ROOT_ID "r-k3q7"
/* Each member's parent, in names[] order; development left. */
static const char *const account_parent[4] = {ROOT_ID, "ou-k3q7-7s1x2c4d", "ou-k3q7-7s1x2c4d",
					      "ou-k3q7-pr4d8f2h"};

static void org_parent(struct ev *e, const char *mgmt, const char *child, const char *parent)
{
	gbuf_printf(&e->body, "{\"Parents\":[{\"Id\":\"%s\",\"Type\":\"%s\"}]}", parent,
		    strncmp(parent, "r-", 2) == 0 ? "ROOT" : "ORGANIZATIONAL_UNIT");
	put(e, mgmt, "global", "organizations", "list-parents", child);
}

/* The answers cfgaudit-collect's walk of the tree gets. */
static void org_tree(struct ev *e, const char *const acct[5], const char *org)
{
	const char *mgmt = acct[0];
	size_t n = sizeof ous / sizeof ous[0];

	for (int i = 0; i < 4; i++)
		org_parent(e, mgmt, acct[i], account_parent[i]);
	gbuf_printf(&e->body,
		    "{\"Roots\":[{\"Id\":\"%s\",\"Arn\":\"arn:aws:organizations::%s:root/%s/%s\","
		    "\"Name\":\"Root\",\"PolicyTypes\":[{\"Type\":\"SERVICE_CONTROL_POLICY\","
		    "\"Status\":\"ENABLED\"}]}]}",
		    ROOT_ID, mgmt, org, ROOT_ID);
	put(e, mgmt, "global", "organizations", "list-roots", NULL);
	for (size_t p = 0; p <= n; p++) {
		const char *parent = p < n ? ous[p].id : ROOT_ID;
		int first = 1;

		if (p < n)
			org_parent(e, mgmt, parent, ous[p].parent ? ous[p].parent : ROOT_ID);
		gbuf_puts(&e->body, "{\"OrganizationalUnits\":[");
		for (size_t c = 0; c < n; c++) {
			const char *up = ous[c].parent ? ous[c].parent : ROOT_ID;

			if (strcmp(up, parent) != 0)
				continue;
			gbuf_printf(&e->body,
				    "%s{\"Id\":\"%s\",\"Arn\":\"arn:aws:organizations::%s:ou/%s/%s\","
				    "\"Name\":\"%s\"}",
				    first ? "" : ",", ous[c].id, mgmt, org, ous[c].id, ous[c].name);
			first = 0;
		}
		gbuf_puts(&e->body, "]}");
		put(e, mgmt, "global", "organizations", "list-organizational-units-for-parent",
		    parent);
	}
}

/* One metric filter of the trail's log group, counting 1 per match. */
static void add_filter(struct ev *e, const char *name, const char *pattern, const char *metric)
{
	gbuf_puts(&e->body, "{\"filterName\":");
	gbuf_json(&e->body, name);
	gbuf_puts(&e->body, ",\"filterPattern\":");
	gbuf_json(&e->body, pattern);
	gbuf_printf(&e->body,
		    ",\"metricTransformations\":[{\"metricName\":\"%s\",\"metricNamespace\":"
		    "\"CloudTrailMetrics\",\"metricValue\":\"1\"}],\"creationTime\":1750929600000,"
		    "\"logGroupName\":\"aws-controltower/CloudTrailLogs\",\"applyOnTransformedLogs\":"
		    "false}",
		    metric);
}

static void trail_and_filters(struct ev *e, const char *mgmt, const char *home)
{
	char trail[160];

	snprintf(trail, sizeof trail, "arn:aws:cloudtrail:%s:%s:trail/aws-controltower-BaselineCloudTrail",
		 home, mgmt);
	gbuf_printf(&e->body,
		    "{\"IsLogging\":true,\"LatestDeliveryTime\":\"%s\",\"StartLoggingTime\":"
		    "\"2025-06-26T09:20:00.000000+00:00\",\"LatestCloudWatchLogsDeliveryTime\":\"%s\","
		    "\"LatestDigestDeliveryTime\":\"%s\",\"TimeLoggingStarted\":"
		    "\"2025-06-26T09:20:00Z\",\"TimeLoggingStopped\":\"\"}",
		    e->iso, e->iso, e->iso);
	put(e, mgmt, home, "cloudtrail", "get-trail-status", trail);

	/* the elevated-role filter, and two CIS filters beside it */
	gbuf_puts(&e->body, "{\"metricFilters\":[");
	add_filter(e, "elevated-role-assumed",
		   "{ ($.eventName = \"AssumeRole\" && $.requestParameters.roleArn = "
		   "\"*:role/AWSControlTowerExecution\") || ($.eventName = \"SwitchRole\" && "
		   "$.userIdentity.arn = \"*:assumed-role/AWSControlTowerExecution/*\") }",
		   "ElevatedRoleAssumed");
	gbuf_putc(&e->body, ',');
	add_filter(e, "root-account-usage",
		   "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS "
		   "&& $.eventType != \"AwsServiceEvent\" }",
		   "RootAccountUsage");
	gbuf_putc(&e->body, ',');
	add_filter(e, "unauthorized-api-calls",
		   "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = "
		   "\"AccessDenied*\") }",
		   "UnauthorizedAPICalls");
	gbuf_puts(&e->body, "]}");
	put(e, mgmt, home, "logs", "describe-metric-filters", NULL);
}

/* The security account's topics: confirmed in the home region, only a
 * pending subscription elsewhere. */
static void subscriptions(struct ev *e, const char *sec, const char *region, int home)
{
	char topic[160];

	snprintf(topic, sizeof topic, "arn:aws:sns:%s:%s:aws-controltower-%s", region, sec,
		 home ? "SecurityNotifications" : "AllConfigNotifications");
	gbuf_puts(&e->body, "{\"Subscriptions\":[");
	if (home)
		gbuf_printf(&e->body,
			    "{\"SubscriptionArn\":\"%s:3f1c9e52-8a4d-4b7e-9c20-6d5e1f0a2b13\","
			    "\"Owner\":\"%s\",\"Protocol\":\"email\",\"Endpoint\":"
			    "\"security-oncall@example.com\",\"TopicArn\":\"%s\"},",
			    topic, sec, topic);
	gbuf_printf(&e->body,
		    "{\"SubscriptionArn\":\"PendingConfirmation\",\"Owner\":\"%s\",\"Protocol\":"
		    "\"email\",\"Endpoint\":\"aws+security@example.com\",\"TopicArn\":\"%s\"}]}",
		    sec, topic);
	put(e, sec, region, "sns", "list-subscriptions-by-topic", topic);
}

static void guardduty(struct ev *e, const char *const acct[5], const char *region, int home)
{
	gbuf_printf(&e->body,
		    "{\"AdminAccounts\":[{\"AdminAccountId\":\"%s\",\"AdminStatus\":\"ENABLED\"}]}",
		    acct[1]);
	put(e, acct[0], region, "guardduty", "list-organization-admin-accounts", NULL);
	gbuf_puts(&e->body, "{\"Members\":[");
	for (int i = 0, n = 0; i < 5; i++) {
		if (i == 1 || (i == 2 && !home)) /* the administrator; log-archive's gap */
			continue;
		gbuf_printf(&e->body,
			    "%s{\"AccountId\":\"%s\",\"DetectorId\":\"%02x%s000000000000000000\",\"MasterId\":\"%s\","
			    "\"Email\":\"aws+%s@example.com\",\"RelationshipStatus\":\"Enabled\","
			    "\"InvitedAt\":\"2025-06-26T09:40:00.000Z\",\"UpdatedAt\":\"%s\","
			    "\"AdministratorId\":\"%s\"}",
			    n++ ? "," : "", acct[i], i, acct[i],
			    acct[1], names[i], e->iso, acct[1]);
	}
	gbuf_puts(&e->body, "]}");
	put(e, acct[1], region, "guardduty", "list-members", NULL);
}

static void config(struct ev *e, const char *const acct[5], int ai, const char *region, int home,
		   const char *bucket, const char *org)
{
	const char *a = acct[ai];
	int none = ai == 3 && !home;	   /* production: the recorder is gone */
	int partial = ai == 4 && !home;	   /* development: three types only */
	int stopped = ai == 1 && !home;	   /* security: recording stopped */
	int elsewhere = ai == 2 && home;   /* log-archive: another bucket */
	const char *rec = "aws-controltower-BaselineConfigRecorder";

	gbuf_puts(&e->body, "{\"ConfigurationRecorders\":[");
	if (!none)
		gbuf_printf(&e->body,
			    "{\"arn\":\"arn:aws:config:%s:%s:config-recorder/%s\",\"name\":\"%s\","
			    "\"roleARN\":\"arn:aws:iam::%s:role/aws-controltower-ConfigRecorderRole\","
			    "\"recordingGroup\":{\"allSupported\":%s,\"includeGlobalResourceTypes\":%s,"
			    "\"resourceTypes\":%s,\"exclusionByResourceTypes\":{\"resourceTypes\":[]},"
			    "\"recordingStrategy\":{\"useOnly\":\"%s\"}},\"recordingMode\":"
			    "{\"recordingFrequency\":\"CONTINUOUS\",\"recordingModeOverrides\":[]}}",
			    region, a, rec, rec, a, partial ? "false" : "true",
			    home && !partial ? "true" : "false",
			    partial ? "[\"AWS::EC2::Instance\",\"AWS::EC2::SecurityGroup\","
				      "\"AWS::S3::Bucket\"]"
				    : "[]",
			    partial ? "INCLUSION_BY_RESOURCE_TYPES" : "ALL_SUPPORTED_RESOURCE_TYPES");
	gbuf_puts(&e->body, "]}");
	put(e, a, region, "configservice", "describe-configuration-recorders", NULL);

	gbuf_puts(&e->body, "{\"ConfigurationRecordersStatus\":[");
	if (!none)
		gbuf_printf(&e->body,
			    "{\"arn\":\"arn:aws:config:%s:%s:config-recorder/%s\",\"name\":\"%s\","
			    "\"lastStartTime\":\"2025-06-26T09:30:00.000000+00:00\",%s\"recording\":%s,"
			    "\"lastStatus\":\"Success\",\"lastStatusChangeTime\":\"%s\"}",
			    region, a, rec, rec,
			    stopped ? "\"lastStopTime\":\"2026-11-06T22:14:09.000000+00:00\"," : "",
			    stopped ? "false" : "true", e->iso);
	gbuf_puts(&e->body, "]}");
	put(e, a, region, "configservice", "describe-configuration-recorder-status", NULL);

	gbuf_printf(&e->body,
		    "{\"DeliveryChannels\":[{\"name\":\"aws-controltower-BaselineConfigDeliveryChannel\","
		    "\"s3BucketName\":\"%s%s\",\"s3KeyPrefix\":\"%s\",\"snsTopicARN\":"
		    "\"arn:aws:sns:%s:%s:aws-controltower-AllConfigNotifications\","
		    "\"configSnapshotDeliveryProperties\":{\"deliveryFrequency\":\"TwentyFour_Hours\"}}]}",
		    elsewhere ? "config-bucket-" : bucket, elsewhere ? a : "", org, region, acct[1]);
	put(e, a, region, "configservice", "describe-delivery-channels", NULL);

	if (ai != 1)
		return;
	gbuf_puts(&e->body, "{\"ConfigurationAggregators\":[");
	if (home)
		gbuf_printf(&e->body,
			    "{\"ConfigurationAggregatorName\":\"aws-controltower-GuardrailsComplianceAggregator\","
			    "\"ConfigurationAggregatorArn\":\"arn:aws:config:%s:%s:config-aggregator/"
			    "config-aggregator-qu1ttwra\",\"OrganizationAggregationSource\":{\"RoleArn\":"
			    "\"arn:aws:iam::%s:role/aws-controltower-ConfigAggregatorRoleForOrganizations\","
			    "\"AllAwsRegions\":true},\"CreationTime\":\"2025-06-26T09:35:00.000000+00:00\","
			    "\"LastUpdatedTime\":\"2025-06-26T09:35:00.000000+00:00\",\"CreatedBy\":"
			    "\"controltower.amazonaws.com\"}",
			    region, a, a);
	gbuf_puts(&e->body, "]}");
	put(e, a, region, "configservice", "describe-configuration-aggregators", NULL);
}

void gen_lz_evidence(const char *awslogs, const char *const accounts[5], const char *const *regions,
		     int nregions, const char *org_id, ms_t when, gen_write_fn write)
{
	struct ev e = {awslogs, write, "", "", {0}, {0}};
	char bucket[96];

	fmt_compact(e.when, when);
	fmt_iso_s(e.iso, when);
	snprintf(bucket, sizeof bucket, "aws-controltower-logs-%s-%s", accounts[2], regions[0]);
	org_accounts(&e, accounts, org_id);
	org_tree(&e, accounts, org_id);
	trail_and_filters(&e, accounts[0], regions[0]);
	for (int r = 0; r < nregions; r++) {
		subscriptions(&e, accounts[1], regions[r], r == 0);
		guardduty(&e, accounts, regions[r], r == 0);
		for (int a = 0; a < 5; a++)
			config(&e, accounts, a, regions[r], r == 0, bucket, org_id);
	}
	gbuf_free(&e.path);
	gbuf_free(&e.body);
}
