-- identifier: IAM_PASSWORD_POLICY
-- name: iam-password-policy
-- severity: medium (Security Hub IAM.7)
-- remediation: Set an account password policy that meets the required length,
--   character classes, reuse and age (UpdateAccountPasswordPolicy).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   RequireUppercaseCharacters: bool = true
--   RequireLowercaseCharacters: bool = true
--   RequireSymbols: bool = true
--   RequireNumbers: bool = true
--   MinimumPasswordLength: int = 14
--   PasswordReusePrevention: int = 24
--   MaxPasswordAge: int = 90
-- description: The account password policy must meet the parameters
--   (NON_COMPLIANT when it does not, or when the account uses the default
--   policy). Config records no password policy; the verdict comes from
--   evidence of aws iam get-account-password-policy within --max-age of
--   the as-of time. An error answer NoSuchEntity means no policy is set
--   (the default policy) -> NON_COMPLIANT. Otherwise each parameter set
--   to true needs the matching Require* of PasswordPolicy true;
--   MinimumPasswordLength and PasswordReusePrevention are lower bounds
--   (an absent PasswordReusePrevention fails), MaxPasswordAge an upper
--   bound (a policy without MaxPasswordAge, passwords that never expire,
--   fails). All met -> COMPLIANT; the annotation lists what fails. No
--   usable answer (none, too old, another error): INSUFFICIENT_DATA.
-- missing: the IAM account password policy: aws iam
--   get-account-password-policy (NoSuchEntity = default policy).
WITH p AS (
	SELECT a.account_id, a.aws_region, e.captured_at, e.error_code,
	       CASE WHEN e.error_code IS NOT NULL AND e.error_code <> 'NoSuchEntity' AND e.fresh
		    THEN 'aws iam get-account-password-policy answered ' || e.error_code
			 || ' for ' || a.account_id
		    ELSE evidence_missing('iam get-account-password-policy', a.account_id,
					  e.captured_at) END AS missing,
	       e.body ->> '$.PasswordPolicy' AS pp
	FROM accounts a
	LEFT JOIN evidence e ON e.service = 'iam' AND e.operation = 'get-account-password-policy'
	 AND e.account_id = a.account_id AND e.region = 'global'
), f AS (
	SELECT *,
	       substr(
		 CASE WHEN coalesce(:RequireUppercaseCharacters, 1)
			   AND coalesce(pp ->> '$.RequireUppercaseCharacters', 0) NOT IN (1, 'true')
		      THEN '; uppercase characters not required' ELSE '' END
		 || CASE WHEN coalesce(:RequireLowercaseCharacters, 1)
			      AND coalesce(pp ->> '$.RequireLowercaseCharacters', 0) NOT IN (1, 'true')
			 THEN '; lowercase characters not required' ELSE '' END
		 || CASE WHEN coalesce(:RequireSymbols, 1)
			      AND coalesce(pp ->> '$.RequireSymbols', 0) NOT IN (1, 'true')
			 THEN '; symbols not required' ELSE '' END
		 || CASE WHEN coalesce(:RequireNumbers, 1)
			      AND coalesce(pp ->> '$.RequireNumbers', 0) NOT IN (1, 'true')
			 THEN '; numbers not required' ELSE '' END
		 || CASE WHEN coalesce(pp ->> '$.MinimumPasswordLength', 0)
			      < coalesce(:MinimumPasswordLength, 14)
			 THEN '; minimum length ' || coalesce(pp ->> '$.MinimumPasswordLength', 'unset')
			      || ' < ' || coalesce(:MinimumPasswordLength, 14) ELSE '' END
		 || CASE WHEN coalesce(pp ->> '$.PasswordReusePrevention', 0)
			      < coalesce(:PasswordReusePrevention, 24)
			 THEN '; reuse prevention ' || coalesce(pp ->> '$.PasswordReusePrevention', 'unset')
			      || ' < ' || coalesce(:PasswordReusePrevention, 24) ELSE '' END
		 || CASE WHEN pp ->> '$.MaxPasswordAge' IS NULL
			      OR pp ->> '$.MaxPasswordAge' > coalesce(:MaxPasswordAge, 90)
			 THEN '; maximum age ' || coalesce(pp ->> '$.MaxPasswordAge', 'unset (no expiry)')
			      || ' > ' || coalesce(:MaxPasswordAge, 90) ELSE '' END, 3) AS fails
	FROM p
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN error_code = 'NoSuchEntity' OR fails <> '' THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL
	    THEN 'password policy (wanted: length >= ' || coalesce(:MinimumPasswordLength, 14)
		 || ', reuse >= ' || coalesce(:PasswordReusePrevention, 24) || ', max age <= '
		 || coalesce(:MaxPasswordAge, 90) || ' days): ' || missing
	    WHEN error_code = 'NoSuchEntity'
	    THEN 'no password policy is set in ' || account_id || ' (NoSuchEntity captured '
		 || captured_at || '): the default policy does not meet the parameters'
	    WHEN fails <> ''
	    THEN 'the password policy (captured ' || captured_at || ') fails: ' || fails
	    ELSE 'the password policy (captured ' || captured_at || ') meets every parameter'
       END AS annotation
FROM f
