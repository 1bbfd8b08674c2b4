/*
 * landing_tables: the landing-zone derived tables (see landing_tables.h).
 * Each is one SQL statement over the temp table evidence, which holds the
 * newest answer of each call at or before the as-of time.
 */
#include "eval/landing_tables.h"

/*
 * The missing column of an answer E of CALL ("service operation") made in
 * WHERE (an SQL expression naming the account and Region, or the
 * resource): NULL when E is fresh and not an error answer; "aws CALL
 * answered CODE in WHERE" for a fresh error answer; otherwise what
 * evidence_missing() says (none at all when E is NULL, or too old).
 */
#define MISSING(e, call, where)                                                            \
	"CASE WHEN " e ".error_code IS NOT NULL AND " e ".fresh"                           \
	" THEN 'aws " call " answered ' || " e ".error_code || ' in ' || " where           \
	" ELSE evidence_missing('" call "', " where ", " e ".captured_at) END"

/* The answers of one call: evidence rows e of SERVICE OPERATION. */
#define ANSWERS(svc, op) "evidence e WHERE e.service = '" svc "' AND e.operation = '" op "'"

#define WHERE_E "e.account_id || '/' || e.region"

int landing_build_metric_filters(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE logs_metric_filters AS"
	    " SELECT e.account_id AS account_id, e.region AS region, e.captured_at AS captured_at,"
	    "  " MISSING("e", "logs describe-metric-filters", WHERE_E) " AS missing,"
	    "  f.value ->> '$.logGroupName' AS log_group_name,"
	    "  f.value ->> '$.filterName' AS filter_name,"
	    "  f.value ->> '$.filterPattern' AS filter_pattern,"
	    "  t.value ->> '$.metricNamespace' AS metric_namespace,"
	    "  t.value ->> '$.metricName' AS metric_name"
	    " FROM evidence e"
	    " LEFT JOIN json_each(e.body, '$.metricFilters') f ON e.error_code IS NULL"
	    " LEFT JOIN json_each(f.value, '$.metricTransformations') t"
	    " WHERE e.service = 'logs' AND e.operation = 'describe-metric-filters'",
	    d);
}

/*
 * A subscription is confirmed when its SubscriptionArn is an ARN: AWS
 * writes "PendingConfirmation" until the endpoint confirms (and
 * "Deleted" for one being removed).
 */
int landing_build_topic_subscriptions(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE sns_topic_subscriptions AS"
	    " SELECT e.account_id AS account_id, e.region AS region, e.qualifier AS topic_arn,"
	    "  e.captured_at AS captured_at,"
	    "  " MISSING("e", "sns list-subscriptions-by-topic", "'topic ' || e.qualifier") " AS missing,"
	    "  (SELECT count(*) FROM json_each(e.body, '$.Subscriptions') x"
	    "   WHERE x.value ->> '$.SubscriptionArn' LIKE 'arn:%') AS confirmed,"
	    "  (SELECT count(*) FROM json_each(e.body, '$.Subscriptions') x"
	    "   WHERE x.value ->> '$.SubscriptionArn' = 'PendingConfirmation') AS pending,"
	    "  (SELECT count(*) FROM json_each(e.body, '$.Subscriptions')) AS total"
	    " FROM " ANSWERS("sns", "list-subscriptions-by-topic"),
	    d);
}

/*
 * One row per account and Region that answered any of the three calls.
 * With several recorders (a customer one beside service-linked ones) the
 * row describes the first by name, and n_recorders says how many.
 */
#define CONFIG_CALL(alias, op)                                                             \
	" LEFT JOIN evidence " alias " ON " alias ".service = 'configservice' AND " alias      \
	".operation = '" op "' AND " alias ".account_id = k.account_id AND " alias             \
	".region = k.region AND " alias ".qualifier = ''"
#define WHERE_K "k.account_id || '/' || k.region"

int landing_build_config_recording(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE config_recording AS"
	    " WITH k AS (SELECT DISTINCT account_id, region FROM evidence"
	    "  WHERE service = 'configservice'"
	    "  AND operation IN ('describe-configuration-recorders',"
	    "   'describe-configuration-recorder-status', 'describe-delivery-channels')),"
	    " j AS (SELECT k.account_id AS account_id, k.region AS region,"
	    "  r.captured_at AS recorders_at,"
	    "  " MISSING("r", "configservice describe-configuration-recorders", WHERE_K)
	    " AS recorders_missing,"
	    "  (SELECT x.value FROM json_each(r.body, '$.ConfigurationRecorders') x"
	    "   ORDER BY x.value ->> '$.name' LIMIT 1) AS rec,"
	    "  json_array_length(r.body, '$.ConfigurationRecorders') AS n_recorders,"
	    "  t.captured_at AS status_at, t.body AS status_body,"
	    "  " MISSING("t", "configservice describe-configuration-recorder-status", WHERE_K)
	    " AS status_missing,"
	    "  c.captured_at AS channels_at,"
	    "  " MISSING("c", "configservice describe-delivery-channels", WHERE_K)
	    " AS channels_missing,"
	    "  (SELECT x.value FROM json_each(c.body, '$.DeliveryChannels') x"
	    "   ORDER BY x.value ->> '$.name' LIMIT 1) AS chan,"
	    "  json_array_length(c.body, '$.DeliveryChannels') AS n_channels"
	    "  FROM k" CONFIG_CALL("r", "describe-configuration-recorders")
		CONFIG_CALL("t", "describe-configuration-recorder-status")
		    CONFIG_CALL("c", "describe-delivery-channels") ")"
	    " SELECT account_id, region, recorders_at, recorders_missing, n_recorders,"
	    "  rec ->> '$.name' AS recorder_name,"
	    "  rec ->> '$.recordingGroup.allSupported' AS all_supported,"
	    "  rec ->> '$.recordingGroup.includeGlobalResourceTypes' AS include_global,"
	    "  json_array_length(rec, '$.recordingGroup.resourceTypes') AS resource_types,"
	    "  status_at, status_missing,"
	    "  (SELECT x.value ->> '$.recording' FROM json_each(status_body,"
	    "    '$.ConfigurationRecordersStatus') x"
	    "   WHERE x.value ->> '$.name' = rec ->> '$.name') AS recording,"
	    "  (SELECT x.value ->> '$.lastStatus' FROM json_each(status_body,"
	    "    '$.ConfigurationRecordersStatus') x"
	    "   WHERE x.value ->> '$.name' = rec ->> '$.name') AS last_status,"
	    "  channels_at, channels_missing, n_channels,"
	    "  chan ->> '$.s3BucketName' AS bucket, chan ->> '$.s3KeyPrefix' AS key_prefix,"
	    "  chan ->> '$.configSnapshotDeliveryProperties.deliveryFrequency' AS frequency,"
	    "  CASE chan ->> '$.configSnapshotDeliveryProperties.deliveryFrequency'"
	    "   WHEN 'One_Hour' THEN 1 WHEN 'Three_Hours' THEN 3 WHEN 'Six_Hours' THEN 6"
	    "   WHEN 'Twelve_Hours' THEN 12 WHEN 'TwentyFour_Hours' THEN 24 END AS frequency_hours"
	    " FROM j",
	    d);
}

/* The items (source 'item', AWS::Config::ConfigurationAggregator, with
 * CloudFormation's member names) and the answers (source 'evidence', one
 * row per answer even when it lists none). */
int landing_build_config_aggregators(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE config_aggregators AS"
	    " WITH a AS ("
	    "  SELECT 'item' AS source, account_id, region, NULL AS captured_at, NULL AS missing,"
	    "   coalesce(c ->> '$.ConfigurationAggregatorName', resource_id) AS name, c AS agg"
	    "  FROM (SELECT account_id, region, resource_id, json_unstring(configuration) AS c"
	    "   FROM current_items WHERE resource_type = 'AWS::Config::ConfigurationAggregator'"
	    "    AND configuration IS NOT NULL)"
	    "  UNION ALL"
	    "  SELECT 'evidence', e.account_id, e.region, e.captured_at,"
	    "   " MISSING("e", "configservice describe-configuration-aggregators", WHERE_E) ","
	    "   x.value ->> '$.ConfigurationAggregatorName', x.value"
	    "  FROM evidence e"
	    "  LEFT JOIN json_each(e.body, '$.ConfigurationAggregators') x ON e.error_code IS NULL"
	    "  WHERE e.service = 'configservice' AND e.operation = 'describe-configuration-aggregators')"
	    " SELECT source, account_id, region, captured_at, missing, name,"
	    "  agg -> '$.OrganizationAggregationSource' AS org_source,"
	    "  agg ->> '$.OrganizationAggregationSource.RoleArn' AS role_arn,"
	    "  coalesce(agg ->> '$.OrganizationAggregationSource.AllAwsRegions' IN (1, 'true'), 0)"
	    "   AS all_regions,"
	    "  agg -> '$.OrganizationAggregationSource.AwsRegions' AS aws_regions"
	    " FROM a",
	    d);
}

/* call 'list-organization-admin-accounts' (made in the management
 * account): admin_account_id and its AdminStatus; call 'list-members'
 * (made in an administrator account): member_account_id and its
 * RelationshipStatus. */
int landing_build_guardduty_organization(struct store *s, struct diag *d)
{
	return store_exec(
	    s,
	    "CREATE TEMP TABLE guardduty_organization AS"
	    " SELECT 'list-organization-admin-accounts' AS call, e.account_id AS account_id,"
	    "  e.region AS region, e.captured_at AS captured_at,"
	    "  " MISSING("e", "guardduty list-organization-admin-accounts", WHERE_E) " AS missing,"
	    "  x.value ->> '$.AdminAccountId' AS admin_account_id, NULL AS member_account_id,"
	    "  x.value ->> '$.AdminStatus' AS status"
	    " FROM evidence e"
	    " LEFT JOIN json_each(e.body, '$.AdminAccounts') x ON e.error_code IS NULL"
	    " WHERE e.service = 'guardduty' AND e.operation = 'list-organization-admin-accounts'"
	    " UNION ALL"
	    " SELECT 'list-members', e.account_id, e.region, e.captured_at,"
	    "  " MISSING("e", "guardduty list-members", WHERE_E) ","
	    "  e.account_id, x.value ->> '$.AccountId', x.value ->> '$.RelationshipStatus'"
	    " FROM evidence e"
	    " LEFT JOIN json_each(e.body, '$.Members') x ON e.error_code IS NULL"
	    " WHERE e.service = 'guardduty' AND e.operation = 'list-members'",
	    d);
}
