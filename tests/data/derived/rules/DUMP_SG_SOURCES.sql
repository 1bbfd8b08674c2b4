-- identifier: DUMP_SG_SOURCES
-- name: dump-sg-sources
-- resource-types: AWS::EC2::SecurityGroup
-- description: Puts every security_group_sources row of a group, quoted and
--   sorted, into the annotation, so that a test can compare the table.
SELECT 'AWS::EC2::SecurityGroup' AS resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type,
       count(*) || '#' || group_concat(x, ';') AS annotation
FROM (SELECT resource_id, account_id, region, item_key,
             permission || quote(ip_protocol) || ',' || quote(from_port) || ',' || quote(to_port) || ',' || quote(cidr) AS x
      FROM security_group_sources ORDER BY item_key, permission, x)
GROUP BY item_key
