/*
 * opensearch_facts: the OpenSearch derived tables (see opensearch_facts.h).
 */
#include "eval/opensearch_facts.h"

/*
 * opensearch_domains: one row per current AWS::OpenSearch::Domain item, its
 * configuration parsed once (one statement: SQLite's JSON cache keeps the
 * parse for the row's other reads). Every property column is
 * configuration ->> '$.<path>': the SQL value (text, integer, real, 1/0
 * for booleans, JSON text for objects and arrays, NULL when absent or
 * null); the *_type columns are json_type of the path, subnet_ids_length
 * its json_array_length.
 *   item_key, resource_type, resource_id, account_id, region, status
 *                          -- as in current_items
 *   recorded               -- 1 when the item has a configuration
 *   fgac_enabled           -- AdvancedSecurityOptions.Enabled
 *   audit_logs_enabled     -- LogPublishingOptions.AUDIT_LOGS.Enabled
 *   audit_logs_group       -- LogPublishingOptions.AUDIT_LOGS.CloudWatchLogsLogGroupArn
 *   zone_awareness         -- ClusterConfig.ZoneAwarenessEnabled
 *   instance_count, instance_count_type  -- ClusterConfig.InstanceCount
 *   encryption_enabled, kms_key_id  -- EncryptionAtRestOptions.Enabled, .KmsKeyId
 *   enforce_https, tls_policy  -- DomainEndpointOptions.EnforceHTTPS,
 *                                 .TLSSecurityPolicy
 *   subnet_ids, subnet_ids_type, subnet_ids_length  -- VPCOptions.SubnetIds
 *   vpc_id                 -- VPCOptions.VPCId
 *   node_to_node_enabled   -- NodeToNodeEncryptionOptions.Enabled
 */
const char opensearch_domains_sql[] =
	"CREATE TEMP TABLE opensearch_domains AS"
	" SELECT c.item_key AS item_key, c.resource_type AS resource_type,"
	"  c.resource_id AS resource_id, c.account_id AS account_id, c.region AS region,"
	"  c.status AS status, c.configuration IS NOT NULL AS recorded,"
	"  c.configuration ->> '$.AdvancedSecurityOptions.Enabled' AS fgac_enabled,"
	"  c.configuration ->> '$.LogPublishingOptions.AUDIT_LOGS.Enabled' AS audit_logs_enabled,"
	"  c.configuration ->> '$.LogPublishingOptions.AUDIT_LOGS.CloudWatchLogsLogGroupArn'"
	"   AS audit_logs_group,"
	"  c.configuration ->> '$.ClusterConfig.ZoneAwarenessEnabled' AS zone_awareness,"
	"  c.configuration ->> '$.ClusterConfig.InstanceCount' AS instance_count,"
	"  json_type(c.configuration, '$.ClusterConfig.InstanceCount') AS instance_count_type,"
	"  c.configuration ->> '$.EncryptionAtRestOptions.Enabled' AS encryption_enabled,"
	"  c.configuration ->> '$.EncryptionAtRestOptions.KmsKeyId' AS kms_key_id,"
	"  c.configuration ->> '$.DomainEndpointOptions.EnforceHTTPS' AS enforce_https,"
	"  c.configuration ->> '$.DomainEndpointOptions.TLSSecurityPolicy' AS tls_policy,"
	"  c.configuration ->> '$.VPCOptions.SubnetIds' AS subnet_ids,"
	"  json_type(c.configuration, '$.VPCOptions.SubnetIds') AS subnet_ids_type,"
	"  json_array_length(c.configuration, '$.VPCOptions.SubnetIds') AS subnet_ids_length,"
	"  c.configuration ->> '$.VPCOptions.VPCId' AS vpc_id,"
	"  c.configuration ->> '$.NodeToNodeEncryptionOptions.Enabled' AS node_to_node_enabled"
	" FROM current_items AS c WHERE c.resource_type = 'AWS::OpenSearch::Domain';"
	"CREATE INDEX temp.opensearch_domains_by_item ON opensearch_domains(item_key);";
