/*
 * rds_facts: the RDS derived tables (see rds_facts.h).
 */
#include "eval/rds_facts.h"

/*
 * rds_db_instances: one row per current AWS::RDS::DBInstance item, its
 * configuration parsed once (one statement: SQLite's JSON cache keeps the
 * parse for the row's other reads). The configuration is read as the
 * rules read it: unstrung when the item holds it as a JSON string
 * (json_unstring), as it is when it is an object's text. Every property
 * column is that configuration ->> '$.<property>': the SQL value (text,
 * integer, real, 1/0 for booleans, JSON text for objects and arrays, NULL
 * when absent or null), so that reading it gives what the rules computed
 * themselves before.
 *   item_key, resource_type, resource_id, account_id, region, status
 *                       -- as in current_items
 *   recorded            -- 1 when the item has a configuration
 *   db_instance_identifier      -- dBInstanceIdentifier
 *   engine                      -- engine
 *   db_instance_status          -- dBInstanceStatus
 *   cluster_identifier          -- dBClusterIdentifier, else
 *                                  dbClusterIdentifier
 *   multi_az                    -- multiAZ
 *   deletion_protection         -- deletionProtection
 *   iam_auth_enabled            -- iAMDatabaseAuthenticationEnabled
 *   storage_encrypted, kms_key_id  -- storageEncrypted, kmsKeyId
 *   publicly_accessible         -- publiclyAccessible
 *   monitoring_interval         -- monitoringInterval
 *   backup_retention_period     -- backupRetentionPeriod
 *   preferred_backup_window     -- preferredBackupWindow
 *   read_replica_source         -- readReplicaSourceDBInstanceIdentifier
 *   auto_minor_version_upgrade  -- autoMinorVersionUpgrade
 */
const char rds_db_instances_sql[] =
	"CREATE TEMP TABLE rds_db_instances AS"
	" SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"  c IS NOT NULL AS recorded,"
	"  c ->> '$.dBInstanceIdentifier' AS db_instance_identifier,"
	"  c ->> '$.engine' AS engine,"
	"  c ->> '$.dBInstanceStatus' AS db_instance_status,"
	"  coalesce(c ->> '$.dBClusterIdentifier', c ->> '$.dbClusterIdentifier')"
	"   AS cluster_identifier,"
	"  c ->> '$.multiAZ' AS multi_az,"
	"  c ->> '$.deletionProtection' AS deletion_protection,"
	"  c ->> '$.iAMDatabaseAuthenticationEnabled' AS iam_auth_enabled,"
	"  c ->> '$.storageEncrypted' AS storage_encrypted,"
	"  c ->> '$.kmsKeyId' AS kms_key_id,"
	"  c ->> '$.publiclyAccessible' AS publicly_accessible,"
	"  c ->> '$.monitoringInterval' AS monitoring_interval,"
	"  c ->> '$.backupRetentionPeriod' AS backup_retention_period,"
	"  c ->> '$.preferredBackupWindow' AS preferred_backup_window,"
	"  c ->> '$.readReplicaSourceDBInstanceIdentifier' AS read_replica_source,"
	"  c ->> '$.autoMinorVersionUpgrade' AS auto_minor_version_upgrade"
	" FROM (SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"   CASE WHEN configuration LIKE '{%' THEN configuration"
	"    ELSE json_unstring(configuration) END AS c"
	"  FROM current_items AS c WHERE c.resource_type = 'AWS::RDS::DBInstance');"
	"CREATE INDEX temp.rds_db_instances_by_item ON rds_db_instances(item_key);";
