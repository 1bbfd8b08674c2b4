-- identifier: DYNAMODB_AUTOSCALING_ENABLED
-- name: dynamodb-autoscaling-enabled
-- severity: medium (Security Hub DynamoDB.1)
-- remediation: Switch the table to on-demand capacity or register read and
--   write auto scaling for it (UpdateTable BillingMode=PAY_PER_REQUEST, or
--   application-autoscaling RegisterScalableTarget).
-- resource-types: AWS::DynamoDB::Table
-- trigger: periodic
-- parameters:
--   minProvisionedReadCapacity: int, optional
--   maxProvisionedReadCapacity: int, optional
--   targetReadUtilization: string, optional
--   minProvisionedWriteCapacity: int, optional
--   maxProvisionedWriteCapacity: int, optional
--   targetWriteUtilization: string, optional
-- description: DynamoDB tables and their global secondary indexes must
--   use on-demand capacity or provisioned capacity with auto scaling:
--   a table in on-demand mode (configuration.billingModeSummary.billingMode
--   PAY_PER_REQUEST, whose indexes are on-demand too) is COMPLIANT. For a
--   provisioned table (billingMode PROVISIONED, or no billingModeSummary,
--   which DynamoDB omits for tables always provisioned) the verdict depends
--   on Application Auto Scaling scalable targets and scaling policies for
--   the table and each index, which AWS Config does not record (there is no
--   AWS::ApplicationAutoScaling resource type), so absence of scaling can
--   never be concluded from Config data: INSUFFICIENT_DATA. The parameters
--   (AWS types int and double; the doubles are read as text) apply only to
--   those scaling policies. An item recorded without its configuration is
--   INSUFFICIENT_DATA.
-- missing: Application Auto Scaling targets and policies of provisioned
--   tables and indexes (aws application-autoscaling
--   describe-scalable-targets --service-namespace dynamodb, and
--   describe-scaling-policies)
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       upper(coalesce(configuration ->> '$.billingModeSummary.billingMode', 'PROVISIONED'))
	       AS mode,
	       coalesce(json_array_length(configuration, '$.globalSecondaryIndexes'), 0) AS n_gsi
	FROM current_items
	WHERE resource_type = 'AWS::DynamoDB::Table'
), p AS (
	SELECT coalesce(:minProvisionedReadCapacity, :maxProvisionedReadCapacity,
			:targetReadUtilization, :minProvisionedWriteCapacity,
			:maxProvisionedWriteCapacity, :targetWriteUtilization) IS NOT NULL AS any_param
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN mode = 'PAY_PER_REQUEST' THEN 'COMPLIANT' ELSE 'INSUFFICIENT_DATA' END
       AS compliance_type,
       CASE WHEN no_conf THEN 'table configuration not recorded (status ' || status || ')'
	    WHEN mode = 'PAY_PER_REQUEST' THEN 'the table uses on-demand capacity (PAY_PER_REQUEST)'
	    ELSE 'the table uses provisioned capacity'
		 || CASE WHEN n_gsi > 0 THEN ' (with ' || n_gsi || ' global secondary index(es))'
			 ELSE '' END
		 || ': whether auto scaling covers it'
		 || CASE WHEN any_param THEN ' within the given limits' ELSE '' END
		 || ' is not in AWS Config data (aws application-autoscaling '
		 || 'describe-scalable-targets, describe-scaling-policies)'
       END AS annotation
FROM d, p;
