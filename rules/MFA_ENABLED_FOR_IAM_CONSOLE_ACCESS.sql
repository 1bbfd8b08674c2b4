-- identifier: MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS
-- name: mfa-enabled-for-iam-console-access
-- severity: medium (Security Hub IAM.5)
-- remediation: Enable an MFA device for every user that has a console password
--   (EnableMFADevice), or remove unneeded console passwords
--   (DeleteLoginProfile).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters: (none)
-- description: Every IAM user with a console password must have MFA
--   enabled (COMPLIANT when it has; a user with a password and no MFA is
--   NON_COMPLIANT). Neither is in the user item; both come from the user's
--   line in the account's credential report (evidence of aws iam
--   get-credential-report within --max-age of the as-of time, table
--   iam_user_credentials): password_enabled 'true' and mfa_active 'true'
--   -> COMPLIANT, password_enabled 'true' otherwise -> NON_COMPLIANT. A
--   user without a console password (password_enabled 'false') is
--   NOT_APPLICABLE: AWS scopes the rule to users that use a console
--   password and leaves the others unstated. Without a usable report, or
--   for a user it does not list: INSUFFICIENT_DATA saying which.
-- missing: console passwords and MFA per user: the credential report
--   (password_enabled, mfa_active) from aws iam get-credential-report.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN password_enabled <> 'true' THEN 'NOT_APPLICABLE'
	    WHEN mfa_active = 'true' THEN 'COMPLIANT'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL
	    THEN 'console password and MFA of user ' || user_name || ': ' || missing
	    WHEN password_enabled <> 'true'
	    THEN 'user ' || user_name || ' has no console password (credential report of '
		 || report_time || ')'
	    WHEN mfa_active = 'true'
	    THEN 'user ' || user_name || ' has a console password and MFA (credential report of '
		 || report_time || ')'
	    ELSE 'user ' || user_name || ' has a console password and no MFA device (credential '
		 || 'report of ' || report_time || ')' END AS annotation
FROM iam_user_credentials
