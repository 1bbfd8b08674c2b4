-- identifier: ROOT_ACCOUNT_MFA_ENABLED
-- name: root-account-mfa-enabled
-- severity: critical (Security Hub IAM.9)
-- remediation: Enable MFA for the root user (sign in as root: Security
--   credentials, Assign MFA device).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: The root user must have MFA enabled (NON_COMPLIANT without
--   it, NOT_APPLICABLE when root user credentials are not present,
--   COMPLIANT otherwise). Config records nothing about the root user; the
--   verdict comes from the account summary (evidence of aws iam
--   get-account-summary within --max-age of the as-of time):
--   SummaryMap.AccountMFAEnabled 1 -> COMPLIANT; 0 -> NON_COMPLIANT,
--   unless the summary shows no root credentials at all
--   (AccountPasswordPresent, AccountAccessKeysPresent and
--   AccountSigningCertificatesPresent all 0; root credentials removed
--   through centralized root access) -> NOT_APPLICABLE. A summary without
--   AccountPasswordPresent is read as having a password. No usable
--   summary: INSUFFICIENT_DATA naming the call.
-- missing: root MFA status: aws iam get-account-summary
--   (SummaryMap.AccountMFAEnabled).
WITH s AS (
	SELECT a.account_id, a.aws_region, m.captured_at, m.missing, m.mfa_enabled AS mfa,
	       m.root_credentials AS creds
	FROM accounts a JOIN iam_account_summary m ON m.account_id = a.account_id
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL OR mfa IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN mfa = 1 THEN 'COMPLIANT'
	    WHEN NOT creds THEN 'NOT_APPLICABLE'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'root user MFA: ' || missing
	    WHEN mfa IS NULL
	    THEN 'the account summary of ' || account_id || ' captured ' || captured_at
		 || ' has no SummaryMap.AccountMFAEnabled'
	    WHEN mfa = 1 THEN 'the root user has MFA (account summary of ' || captured_at || ')'
	    WHEN NOT creds
	    THEN 'the root user has no credentials (account summary of ' || captured_at || ')'
	    ELSE 'the root user has no MFA (AccountMFAEnabled 0, account summary of '
		 || captured_at || ')' END AS annotation
FROM s
