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
--   the account and Region shows that the hub exists (COMPLIANT); without
--   one the state is unknown, since most recorders do not record that type:
--   INSUFFICIENT_DATA.
-- missing: the Security Hub subscription (aws securityhub describe-hub)
SELECT 'AWS::::Account' AS resource_type, a.account_id AS resource_id, a.account_id,
       a.aws_region,
       CASE WHEN h.resource_id IS NOT NULL THEN 'COMPLIANT' ELSE 'INSUFFICIENT_DATA' END
	 AS compliance_type,
       CASE
	 WHEN h.resource_id IS NOT NULL THEN 'Security Hub hub ' || h.resource_id || ' is recorded'
	 ELSE 'Security Hub status is not in AWS Config data (aws securityhub describe-hub)'
       END AS annotation
FROM accounts a
LEFT JOIN (SELECT account_id, region, min(resource_id) AS resource_id
	   FROM current_items
	   WHERE resource_type = 'AWS::SecurityHub::Hub' AND configuration IS NOT NULL
	   GROUP BY account_id, region) h
  ON h.account_id = a.account_id AND h.region = a.aws_region;
