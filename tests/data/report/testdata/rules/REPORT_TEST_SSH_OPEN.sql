-- identifier: REPORT_TEST_SSH_OPEN
-- name: report-test-ssh-open
-- resource-types: AWS::EC2::SecurityGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: A rule of the report tests (t1410), kept here so that the
--   goldens do not change when the shipped rules do: a security group with
--   an ingress permission that covers TCP 22 from 0.0.0.0/0 is
--   NON_COMPLIANT, any other is COMPLIANT.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN open22 THEN 'NON_COMPLIANT' ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN open22 THEN 'TCP 22 is open to 0.0.0.0/0'
            ELSE 'no ingress opens TCP 22 to the world' END AS annotation
FROM (SELECT resource_type, resource_id, account_id, region,
             EXISTS (SELECT 1
                     FROM json_each(configuration, '$.ipPermissions') AS p,
                          json_each(p.value, '$.ipv4Ranges') AS r
                     WHERE port_in_rule(p.value ->> 'ipProtocol', p.value ->> 'fromPort',
                                        p.value ->> 'toPort', 22)
                       AND cidr_is_open(r.value ->> 'cidrIp')) AS open22
      FROM current_items
      WHERE resource_type = 'AWS::EC2::SecurityGroup')
