-- identifier: IAM_ROOT_ACCESS_KEY_CHECK
-- name: iam-root-access-key-check
-- severity: critical (Security Hub IAM.4)
-- remediation: Delete the root user's access keys (sign in as root: Security
--   credentials, Access keys, Delete).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: The root user must have no access key (COMPLIANT when none
--   exists, NON_COMPLIANT otherwise; an inactive key still counts). Config
--   records nothing about the root user; the verdict comes from the
--   account summary (evidence of aws iam get-account-summary within
--   --max-age of the as-of time): SummaryMap.AccountAccessKeysPresent 0 ->
--   COMPLIANT, 1 or more -> NON_COMPLIANT. No usable summary:
--   INSUFFICIENT_DATA naming the call.
-- missing: root access keys: aws iam get-account-summary
--   (SummaryMap.AccountAccessKeysPresent).
WITH s AS (
	SELECT a.account_id, a.aws_region, m.captured_at, m.missing,
	       m.access_keys_present AS keys
	FROM accounts a JOIN iam_account_summary m ON m.account_id = a.account_id
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL OR keys IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN keys = 0 THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'root access keys: ' || missing
	    WHEN keys IS NULL
	    THEN 'the account summary of ' || account_id || ' captured ' || captured_at
		 || ' has no SummaryMap.AccountAccessKeysPresent'
	    WHEN keys = 0
	    THEN 'the root user has no access key (account summary of ' || captured_at || ')'
	    ELSE 'the root user has an access key (AccountAccessKeysPresent ' || keys
		 || ', account summary of ' || captured_at || ')' END AS annotation
FROM s
