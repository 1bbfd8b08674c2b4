/*
 * logs_facts: the CloudWatch Logs derived tables (see logs_facts.h). Each
 * is one SQL statement over current_items; every column is the
 * expression the rules computed themselves before, so that reading it
 * gives the same value.
 */
#include "eval/logs_facts.h"

/*
 * log_groups: one row per current AWS::Logs::LogGroup item (recorded or
 * not), its configuration parsed once (one statement: SQLite's JSON cache
 * keeps the parse for the row's other extractions):
 *   item_key, resource_type, resource_id, account_id, region, status
 *                   -- as in current_items
 *   recorded        -- 1 when the item has a configuration
 *   name            -- LogGroupName (or logGroupName) of the configuration,
 *                      read through json_unstring, else resource_name, else
 *                      resource_id
 *   retention_days  -- RetentionInDays (or retentionInDays), the same way;
 *                      NULL when absent
 *   kms_key         -- KmsKeyId (or kmsKeyId) of the configuration as
 *                      stored, trimmed; '' when absent
 */
const char log_groups_sql[] =
	"CREATE TEMP TABLE log_groups AS"
	" SELECT item_key, resource_type, resource_id, account_id, region, status,"
	"  configuration IS NOT NULL AS recorded,"
	"  coalesce(json_unstring(configuration) ->> '$.LogGroupName',"
	"   json_unstring(configuration) ->> '$.logGroupName', resource_name, resource_id) AS name,"
	"  coalesce(json_unstring(configuration) ->> '$.RetentionInDays',"
	"   json_unstring(configuration) ->> '$.retentionInDays') AS retention_days,"
	"  trim(coalesce(json_extract(configuration, '$.KmsKeyId'),"
	"   json_extract(configuration, '$.kmsKeyId'), '')) AS kms_key"
	" FROM current_items WHERE resource_type = 'AWS::Logs::LogGroup';";
