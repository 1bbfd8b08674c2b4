-- identifier: IAM_USER_MFA_ENABLED
-- name: iam-user-mfa-enabled
-- severity: medium (Security Hub IAM.19)
-- remediation: Enable an MFA device for the user (CreateVirtualMFADevice,
--   EnableMFADevice).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters: (none)
-- description: Every IAM user must have MFA enabled (NON_COMPLIANT without
--   it, COMPLIANT otherwise; users without a console password are in
--   scope too). The user item has no MFA fields; the verdict comes from
--   the mfa_active column of the user's line in the account's credential
--   report (evidence of aws iam get-credential-report captured within
--   --max-age of the as-of time, table iam_user_credentials): 'true' ->
--   COMPLIANT, anything else -> NON_COMPLIANT. Without such a report, with
--   an error answer, or for a user the report does not list (created after
--   it): INSUFFICIENT_DATA saying which.
-- missing: MFA devices per user: the credential report (mfa_active) from
--   aws iam get-credential-report (evidence file
--   AWSLogs/ACCOUNT/Evidence/global/iam/get-credential-report/).
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN mfa_active = 'true' THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'MFA of user ' || user_name || ': ' || missing
	    WHEN mfa_active = 'true'
	    THEN 'user ' || user_name || ' has MFA (credential report of ' || report_time || ')'
	    ELSE 'user ' || user_name || ' has no MFA device (credential report of '
		 || report_time || ', mfa_active ' || coalesce(mfa_active, 'empty') || ')'
       END AS annotation
FROM iam_user_credentials
