/*
 * ec2_facts: the EC2 derived tables (see ec2_facts.h). Each is one SQL
 * statement over current_items; every column is the expression the rules
 * computed themselves before, so that reading it gives the same value.
 */
#include "eval/ec2_facts.h"

/*
 * ec2_instances: one row per current AWS::EC2::Instance item, its
 * configuration parsed once (one statement: SQLite's JSON cache keeps the
 * parse for the row's other json_extract calls). json_each and json_tree
 * parse their argument again each time: the relationship members are read
 * through the cached relationships text by their fullkey, and the tree walks
 * only the networkInterfaces subtree (-> gives it as JSON text; shape c's
 * build 0.46 s -> 0.34 s).
 *   item_key, resource_type, resource_id, account_id, region, status,
 *   capture_time    -- as in current_items
 *   recorded        -- 1 when the item has a configuration
 *   state           -- lower(state.name)
 *   state_reason    -- stateTransitionReason
 *   vpc_id          -- configuration ->> '$.vpcId' as recorded ('' kept)
 *   related_vpc     -- the least resourceId of the item's relationships of
 *                      type AWS::EC2::VPC (as the relationships view reads them)
 *   public_ip_address -- publicIpAddress
 *   nic_public_ip   -- the least non-empty text publicIp anywhere under
 *                      networkInterfaces (an interface's association, or one
 *                      of its privateIpAddresses')
 *   instance_type   -- lower(instanceType)
 *   ebs_optimized   -- ebsOptimized as json_extract gives it
 *   http_tokens     -- lower(metadataOptions.httpTokens)
 *   http_endpoint   -- metadataOptions.httpEndpoint
 *   monitoring      -- lower(monitoring.state)
 *   profile_arn     -- iamInstanceProfile.arn
 */
const char ec2_instances_sql[] =
	"CREATE TEMP TABLE ec2_instances AS"
	" SELECT c.item_key AS item_key, c.resource_type AS resource_type,"
	"  c.resource_id AS resource_id, c.account_id AS account_id, c.region AS region,"
	"  c.status AS status, c.capture_time AS capture_time,"
	"  c.configuration IS NOT NULL AS recorded,"
	"  lower(json_extract(c.configuration, '$.state.name')) AS state,"
	"  json_extract(c.configuration, '$.stateTransitionReason') AS state_reason,"
	"  c.configuration ->> '$.vpcId' AS vpc_id,"
	"  (SELECT min(json_extract(c.relationships, r.fullkey || '.resourceId'))"
	"   FROM json_each(c.relationships) AS r"
	"   WHERE r.type = 'object'"
	"    AND json_extract(c.relationships, r.fullkey || '.resourceType') = 'AWS::EC2::VPC')"
	"   AS related_vpc,"
	"  json_extract(c.configuration, '$.publicIpAddress') AS public_ip_address,"
	"  (SELECT min(t.atom) FROM json_tree(c.configuration -> '$.networkInterfaces') AS t"
	"   WHERE t.key = 'publicIp' AND t.type = 'text' AND t.atom <> '') AS nic_public_ip,"
	"  lower(json_extract(c.configuration, '$.instanceType')) AS instance_type,"
	"  json_extract(c.configuration, '$.ebsOptimized') AS ebs_optimized,"
	"  lower(json_extract(c.configuration, '$.metadataOptions.httpTokens')) AS http_tokens,"
	"  json_extract(c.configuration, '$.metadataOptions.httpEndpoint') AS http_endpoint,"
	"  lower(json_extract(c.configuration, '$.monitoring.state')) AS monitoring,"
	"  json_extract(c.configuration, '$.iamInstanceProfile.arn') AS profile_arn"
	" FROM current_items AS c WHERE c.resource_type = 'AWS::EC2::Instance';"
	"CREATE INDEX temp.ec2_instances_by_id ON ec2_instances(resource_id, account_id, region);";
