/*
 * s3_config_facts: the derived tables of S3 bucket configuration parts
 * (see s3_config_facts.h). Each is one SQL statement over
 * s3_bucket_facts; every column is the expression the rules computed
 * themselves before, so that reading it gives the same value.
 */
#include "eval/s3_config_facts.h"

/*
 * s3_lifecycle_rules: one row per lifecycle rule of a bucket -- each
 * object that json_each visits in s3_bucket_facts.lifecycle's rules (an
 * array's elements, an object's members):
 *   item_key         -- the bucket's
 *   idx              -- json_each's key: the rule's position (0 first)
 *   rule             -- the rule as JSON text
 *   status           -- its status ('Enabled', 'Disabled')
 *   id               -- its id, NULL when absent
 *   expiration_days  -- its expirationInDays
 * Values are what json_extract gives (NULL when absent).
 */
const char s3_lifecycle_rules_sql[] =
	"CREATE TEMP TABLE s3_lifecycle_rules AS"
	" SELECT b.item_key, r.key AS idx, r.value AS rule,"
	"  json_extract(r.value, '$.status') AS status,"
	"  json_extract(r.value, '$.id') AS id,"
	"  json_extract(r.value, '$.expirationInDays') AS expiration_days"
	" FROM s3_bucket_facts AS b, json_each(b.lifecycle, '$.rules') AS r"
	" WHERE r.type = 'object';"
	"CREATE INDEX temp.s3_lifecycle_rules_by_item ON s3_lifecycle_rules(item_key);";
