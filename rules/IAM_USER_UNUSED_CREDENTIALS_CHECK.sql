-- identifier: IAM_USER_UNUSED_CREDENTIALS_CHECK
-- name: iam-user-unused-credentials-check
-- severity: medium (Security Hub IAM.8)
-- remediation: Deactivate or delete the password and access keys that have not
--   been used within the allowed days (DeleteLoginProfile, UpdateAccessKey
--   Status=Inactive).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters:
--   maxCredentialUsageAge: int = 90
-- description: IAM users must not have a password or an active access key
--   unused for more than maxCredentialUsageAge days (NON_COMPLIANT if they
--   do, COMPLIANT otherwise). Last-used dates are not in the user item;
--   they come from the user's line in the account's credential report
--   (evidence of aws iam get-credential-report within --max-age of the
--   as-of time, table iam_user_credentials). A password
--   (password_enabled 'true') counts from password_last_used, or, never
--   used ('no_information', 'N/A'), from password_last_changed, else from
--   user_creation_time; an active access key from
--   access_key_N_last_used_date, or, never used, from
--   access_key_N_last_rotated (its creation). AWS does not say what a
--   never-used credential counts from; its creation is the reading taken
--   here. Older than maxCredentialUsageAge days before the as-of time ->
--   NON_COMPLIANT. Without a usable report, or for a user it does not
--   list: INSUFFICIENT_DATA saying which.
-- missing: credential last-used dates: the credential report
--   (password_last_used, access_key_N_active, access_key_N_last_used_date)
--   from aws iam get-credential-report.
WITH c AS (
	SELECT resource_type, resource_id, account_id, region, user_name, missing, report_time,
	       coalesce(:maxCredentialUsageAge, 90) AS max_age,
	       CASE WHEN password_enabled = 'true'
		    THEN coalesce(age_days(password_last_used), age_days(password_last_changed),
				  age_days(user_creation_time)) END AS pw_age,
	       CASE WHEN access_key_1_active = 'true'
		    THEN coalesce(age_days(access_key_1_last_used_date),
				  age_days(access_key_1_last_rotated)) END AS key1_age,
	       CASE WHEN access_key_2_active = 'true'
		    THEN coalesce(age_days(access_key_2_last_used_date),
				  age_days(access_key_2_last_rotated)) END AS key2_age
	FROM iam_user_credentials
), v AS (
	SELECT *,
	       CASE WHEN pw_age > max_age THEN 'password'
		    WHEN key1_age > max_age THEN 'access key 1'
		    WHEN key2_age > max_age THEN 'access key 2' END AS unused,
	       CASE WHEN pw_age > max_age THEN pw_age
		    WHEN key1_age > max_age THEN key1_age ELSE key2_age END AS unused_age
	FROM c
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN unused IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL
	    THEN 'credential use of user ' || user_name || ' (limit ' || max_age || ' days): '
		 || missing
	    WHEN unused IS NOT NULL
	    THEN 'the ' || unused || ' of user ' || user_name || ' was last used (or, never used, '
		 || 'created) ' || CAST(unused_age AS INTEGER) || ' days before the as-of time, '
		 || 'more than ' || max_age || ' (credential report of ' || report_time || ')'
	    ELSE 'every credential of user ' || user_name || ' was used within ' || max_age
		 || ' days (credential report of ' || report_time || ')' END AS annotation
FROM v
