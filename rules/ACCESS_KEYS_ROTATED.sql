-- identifier: ACCESS_KEYS_ROTATED
-- name: access-keys-rotated
-- severity: medium (Security Hub IAM.3)
-- remediation: Create a new access key for the user, switch its callers to it,
--   then deactivate and delete the old key (CreateAccessKey, UpdateAccessKey
--   Status=Inactive, DeleteAccessKey).
-- resource-types: AWS::IAM::User
-- trigger: periodic
-- parameters:
--   maxAccessKeyAge: int = 90
-- description: NON_COMPLIANT when an active access key of the IAM user was
--   not rotated within maxAccessKeyAge days; COMPLIANT otherwise (also
--   for a user without active keys). The AWS::IAM::User item holds no
--   access keys; they come from the user's line in the account's
--   credential report (evidence of aws iam get-credential-report within
--   --max-age of the as-of time, table iam_user_credentials): a key whose
--   access_key_N_active is 'true' and whose access_key_N_last_rotated (its
--   creation time when never rotated) is more than maxAccessKeyAge days
--   before the as-of time is too old. An active key without a readable
--   date, no usable report, or a user the report does not list:
--   INSUFFICIENT_DATA saying which.
-- missing: access-key status and creation dates (aws iam
--   get-credential-report)
WITH k AS (
	SELECT resource_type, resource_id, account_id, region, user_name, missing, report_time,
	       coalesce(:maxAccessKeyAge, 90) AS max_age,
	       CASE WHEN access_key_1_active = 'true' THEN age_days(access_key_1_last_rotated) END
		 AS age1,
	       CASE WHEN access_key_2_active = 'true' THEN age_days(access_key_2_last_rotated) END
		 AS age2,
	       (access_key_1_active = 'true' AND age_days(access_key_1_last_rotated) IS NULL)
	       OR (access_key_2_active = 'true' AND age_days(access_key_2_last_rotated) IS NULL)
		 AS undated
	FROM iam_user_credentials
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN missing IS NOT NULL OR undated THEN 'INSUFFICIENT_DATA'
	    WHEN age1 > max_age OR age2 > max_age THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'access keys of user ' || user_name || ': ' || missing
	    WHEN undated
	    THEN 'an active access key of user ' || user_name || ' has no rotation date in the '
		 || 'credential report of ' || report_time
	    WHEN age1 > max_age OR age2 > max_age
	    THEN 'active access key ' || CASE WHEN age1 > max_age THEN 1 ELSE 2 END || ' of user '
		 || user_name || ' was last rotated '
		 || CAST(max(coalesce(age1, 0), coalesce(age2, 0)) AS INTEGER) || ' days before '
		 || 'the as-of time (more than ' || max_age || '; credential report of '
		 || report_time || ')'
	    WHEN age1 IS NULL AND age2 IS NULL
	    THEN 'user ' || user_name || ' has no active access key (credential report of '
		 || report_time || ')'
	    ELSE 'the active access keys of user ' || user_name || ' were rotated within '
		 || max_age || ' days (credential report of ' || report_time || ')' END AS annotation
FROM k
