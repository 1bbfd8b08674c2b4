-- identifier: SECURITYHUB_ENABLED
-- name: securityhub-enabled
-- severity: medium (default: logging)
-- remediation: Enable Security Hub in the account and Region (securityhub
--   EnableSecurityHub).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: NON_COMPLIANT when AWS Security Hub is not enabled for the
--   account, COMPLIANT otherwise. A recorded AWS::SecurityHub::Hub item in
--   the account and Region shows that the hub exists (COMPLIANT). Without
--   one (most recorders do not record that type), evidence of aws
--   securityhub describe-hub of the account and Region within --max-age of
--   the as-of time decides: a HubArn -> COMPLIANT; the error
--   InvalidAccessException ("not subscribed to AWS Security Hub") ->
--   NON_COMPLIANT. Neither: INSUFFICIENT_DATA naming the call.
-- missing: the Security Hub subscription (aws securityhub describe-hub)
WITH s AS (
	SELECT a.account_id, a.aws_region, h.resource_id AS hub_item, e.captured_at,
	       e.body ->> '$.HubArn' AS hub_arn,
	       e.error_code = 'InvalidAccessException' AND e.fresh AS not_subscribed,
	       CASE WHEN e.error_code IS NOT NULL AND e.fresh
		    THEN 'aws securityhub describe-hub answered ' || e.error_code
		    ELSE evidence_missing('securityhub describe-hub', a.account_id, e.captured_at)
	       END AS missing
	FROM accounts a
	LEFT JOIN (SELECT account_id, region, min(resource_id) AS resource_id
		   FROM current_items
		   WHERE resource_type = 'AWS::SecurityHub::Hub' AND configuration IS NOT NULL
		   GROUP BY account_id, region) h
	  ON h.account_id = a.account_id AND h.region = a.aws_region
	LEFT JOIN evidence e ON e.service = 'securityhub' AND e.operation = 'describe-hub'
	 AND e.account_id = a.account_id AND e.region = a.aws_region
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN hub_item IS NOT NULL THEN 'COMPLIANT'
	    WHEN not_subscribed THEN 'NON_COMPLIANT'
	    WHEN missing IS NULL AND hub_arn IS NOT NULL THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN hub_item IS NOT NULL THEN 'Security Hub hub ' || hub_item || ' is recorded'
	    WHEN not_subscribed
	    THEN 'Security Hub is not enabled in ' || account_id || '/' || aws_region
		 || ' (InvalidAccessException captured ' || captured_at || ')'
	    WHEN missing IS NULL AND hub_arn IS NOT NULL
	    THEN 'Security Hub hub ' || hub_arn || ' (captured ' || captured_at || ')'
	    WHEN missing IS NULL
	    THEN 'the answer captured ' || captured_at || ' has no HubArn'
	    ELSE 'Security Hub status in ' || aws_region || ': ' || missing END AS annotation
FROM s
