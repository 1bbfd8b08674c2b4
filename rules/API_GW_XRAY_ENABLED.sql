-- identifier: API_GW_XRAY_ENABLED
-- name: api-gw-xray-enabled
-- severity: low (Security Hub APIGateway.3)
-- remediation: Enable X-Ray tracing on the stage (UpdateStage
--   /tracingEnabled=true).
-- resource-types: AWS::ApiGateway::Stage
-- trigger: configuration-changes
-- parameters: (none)
-- description: A REST API stage must have AWS X-Ray tracing on: COMPLIANT
--   when configuration.tracingEnabled is true, NON_COMPLIANT otherwise
--   (false, or absent: API Gateway leaves tracing off unless it is set).
--   Only REST API stages (AWS::ApiGateway::Stage) are evaluated, as the
--   rule page says. An item recorded without its configuration is
--   INSUFFICIENT_DATA.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN configuration ->> '$.tracingEnabled' IN (1, 'true') THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN configuration ->> '$.tracingEnabled' IN (1, 'true')
	   THEN 'X-Ray tracing is enabled (tracingEnabled is true)'
	 ELSE 'X-Ray tracing is not enabled (tracingEnabled is '
	      || CASE json_type(configuration, '$.tracingEnabled')
		   WHEN 'false' THEN 'false'
		   ELSE coalesce(configuration ->> '$.tracingEnabled', 'not set') END || ')'
       END AS annotation
FROM current_items
WHERE resource_type = 'AWS::ApiGateway::Stage';
