/*
 * redshift_facts: the Redshift derived tables (see redshift_facts.h).
 */
#include "eval/redshift_facts.h"

/*
 * redshift_clusters: one row per current AWS::Redshift::Cluster item, its
 * configuration parsed once (one statement: SQLite's JSON cache keeps the
 * parse for the row's other reads), read as the rules read it: unstrung
 * when the item holds it as a JSON string (json_unstring), as it is when it
 * is an object's text. Every property column is that configuration ->>
 * '$.<path>': the SQL value (text, integer, real, 1/0 for booleans, JSON
 * text for objects and arrays, NULL when absent or null).
 *   item_key, resource_type, resource_id, account_id, region, status
 *                       -- as in current_items
 *   recorded            -- 1 when the item has a configuration
 *   encrypted, kms_key_id, node_type, allow_version_upgrade,
 *   preferred_maintenance_window, automated_snapshot_retention_period,
 *   publicly_accessible, enhanced_vpc_routing
 *                       -- encrypted, kmsKeyId, nodeType,
 *                          allowVersionUpgrade, preferredMaintenanceWindow,
 *                          automatedSnapshotRetentionPeriod,
 *                          publiclyAccessible, enhancedVpcRouting
 *   hsm_configuration_identifier -- hsmStatus.hsmConfigurationIdentifier
 *   parameter_group_name -- clusterParameterGroups[0].parameterGroupName
 *   logging_status      -- supplementary LoggingStatus as JSON text
 *                          (json_unstring(supplementary -> '$.LoggingStatus'))
 */
const char redshift_clusters_sql[] =
	"CREATE TEMP TABLE redshift_clusters AS"
	" SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"  c IS NOT NULL AS recorded,"
	"  c ->> '$.encrypted' AS encrypted,"
	"  c ->> '$.kmsKeyId' AS kms_key_id,"
	"  c ->> '$.hsmStatus.hsmConfigurationIdentifier' AS hsm_configuration_identifier,"
	"  c ->> '$.nodeType' AS node_type,"
	"  c ->> '$.allowVersionUpgrade' AS allow_version_upgrade,"
	"  c ->> '$.preferredMaintenanceWindow' AS preferred_maintenance_window,"
	"  c ->> '$.automatedSnapshotRetentionPeriod' AS automated_snapshot_retention_period,"
	"  c ->> '$.publiclyAccessible' AS publicly_accessible,"
	"  c ->> '$.enhancedVpcRouting' AS enhanced_vpc_routing,"
	"  c ->> '$.clusterParameterGroups[0].parameterGroupName' AS parameter_group_name,"
	"  logging_status"
	" FROM (SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"   CASE WHEN configuration LIKE '{%' THEN configuration"
	"    ELSE json_unstring(configuration) END AS c,"
	"   json_unstring(supplementary -> '$.LoggingStatus') AS logging_status"
	"  FROM current_items AS c WHERE c.resource_type = 'AWS::Redshift::Cluster');"
	"CREATE INDEX temp.redshift_clusters_by_item ON redshift_clusters(item_key);";
