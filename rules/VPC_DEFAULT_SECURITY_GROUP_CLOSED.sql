-- identifier: VPC_DEFAULT_SECURITY_GROUP_CLOSED
-- name: vpc-default-security-group-closed
-- severity: high (Security Hub EC2.2)
-- remediation: Remove every inbound and outbound rule from the VPC's default
--   security group (RevokeSecurityGroupIngress, RevokeSecurityGroupEgress).
-- resource-types: AWS::EC2::SecurityGroup
-- trigger: configuration-changes
-- parameters: (none)
-- description: The default security group of every VPC must have no inbound
--   and no outbound rules: a group named "default" with a vpcId is
--   NON_COMPLIANT when ipPermissions or ipPermissionsEgress is not empty,
--   COMPLIANT when both are empty. Other groups are NOT_APPLICABLE (stated
--   by the 2023 guide, dropped from the current page; kept as the natural
--   reading). An item without a recorded configuration is
--   INSUFFICIENT_DATA, and so is a default group with no rule among what
--   can be read but ipPermissions or ipPermissionsEgress recorded as
--   something other than a list (a string that is not JSON, a number).
WITH sg AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       json_extract(configuration, '$.groupName') AS group_name,
	       json_extract(configuration, '$.vpcId') AS vpc_id,
	       CASE json_type(configuration, '$.ipPermissions')
	            WHEN 'array' THEN json_array_length(configuration, '$.ipPermissions')
	            ELSE 0 END AS n_in,
	       CASE json_type(configuration, '$.ipPermissionsEgress')
	            WHEN 'array' THEN json_array_length(configuration, '$.ipPermissionsEgress')
	            ELSE 0 END AS n_out,
	       -- a list recorded as something else cannot be read
	       nullif(trim(CASE WHEN json_type(configuration, '$.ipPermissions')
				     NOT IN ('array', 'null')
				THEN 'ipPermissions is '
				     || CASE json_type(configuration, '$.ipPermissions')
					WHEN 'text' THEN 'a string' WHEN 'object' THEN 'an object'
					WHEN 'true' THEN 'a boolean' WHEN 'false' THEN 'a boolean'
					ELSE 'a number' END || ', not a list; ' ELSE '' END ||
			   CASE WHEN json_type(configuration, '$.ipPermissionsEgress')
				     NOT IN ('array', 'null')
				THEN 'ipPermissionsEgress is '
				     || CASE json_type(configuration, '$.ipPermissionsEgress')
					WHEN 'text' THEN 'a string' WHEN 'object' THEN 'an object'
					WHEN 'true' THEN 'a boolean' WHEN 'false' THEN 'a boolean'
					ELSE 'a number' END || ', not a list' ELSE '' END, '; '), '')
	       AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::EC2::SecurityGroup'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN group_name IS NOT 'default' OR vpc_id IS NULL THEN 'NOT_APPLICABLE'
            WHEN n_in > 0 OR n_out > 0 THEN 'NON_COMPLIANT'
            WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN group_name IS NOT 'default' OR vpc_id IS NULL
                 THEN 'not the default security group of a VPC'
            WHEN n_in > 0 OR n_out > 0
                 THEN 'default security group of ' || vpc_id || ' has ' || n_in ||
                      ' inbound and ' || n_out || ' outbound rule(s)'
            WHEN unreadable IS NOT NULL
                 THEN 'cannot tell whether the default security group of ' || vpc_id
                      || ' has rules: ' || unreadable || ' (aws ec2 describe-security-groups)'
            ELSE 'default security group of ' || vpc_id || ' has no rules' END AS annotation
FROM sg
