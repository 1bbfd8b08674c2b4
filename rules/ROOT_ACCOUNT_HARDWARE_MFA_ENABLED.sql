-- identifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED
-- name: root-account-hardware-mfa-enabled
-- severity: critical (Security Hub IAM.6)
-- remediation: Register a hardware MFA device for the root user and remove its
--   virtual one (sign in as root: Security credentials, Multi-factor
--   authentication).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters: (none)
-- description: The root user must use a hardware MFA device
--   (NON_COMPLIANT when a virtual MFA device is allowed for root sign-in,
--   NOT_APPLICABLE when root user credentials are not present, COMPLIANT
--   otherwise; natural reading: no MFA at all is NON_COMPLIANT). Config
--   records nothing about the root user; the verdict comes from evidence
--   within --max-age of the as-of time: the account summary (aws iam
--   get-account-summary) says whether root has MFA (AccountMFAEnabled),
--   and the virtual MFA device list (aws iam list-virtual-mfa-devices)
--   whether a virtual device is assigned to root (a device whose User.Arn
--   is arn:aws:iam::ACCOUNT:root, or whose SerialNumber ends in
--   :mfa/root-account-mfa-device). MFA and no root virtual device ->
--   COMPLIANT; a root virtual device -> NON_COMPLIANT; no MFA ->
--   NON_COMPLIANT, or NOT_APPLICABLE when the summary shows no root
--   credentials (as root-account-mfa-enabled). Either answer missing,
--   too old or an error: INSUFFICIENT_DATA naming the call. A truncated
--   device list (IsTruncated true, NextMarker) proves nothing about the
--   devices it leaves out: INSUFFICIENT_DATA unless it shows a root device.
-- missing: root MFA devices: aws iam get-account-summary
--   (SummaryMap.AccountMFAEnabled) and aws iam list-virtual-mfa-devices.
WITH s AS (
	SELECT a.account_id, a.aws_region, m.captured_at, m.missing, m.mfa_enabled AS mfa,
	       m.root_credentials AS creds
	FROM accounts a JOIN iam_account_summary m ON m.account_id = a.account_id
), v AS (
	SELECT s.*, d.captured_at AS devices_time,
	       CASE WHEN d.error_code IS NOT NULL AND d.fresh
		    THEN 'aws iam list-virtual-mfa-devices answered ' || d.error_code || ' for '
			 || s.account_id
		    ELSE evidence_missing('iam list-virtual-mfa-devices', s.account_id, d.captured_at)
	       END AS devices_missing,
	       (SELECT min(m.value ->> '$.SerialNumber')
		FROM json_each(d.body, '$.VirtualMFADevices') m
		WHERE m.value ->> '$.User.Arn' = 'arn:aws:iam::' || s.account_id || ':root'
		   OR m.value ->> '$.SerialNumber' LIKE '%:mfa/root-account-mfa-device') AS root_virtual,
	       d.body ->> '$.IsTruncated' IN (1, 'true') AS truncated
	FROM s
	LEFT JOIN evidence d ON d.service = 'iam' AND d.operation = 'list-virtual-mfa-devices'
	 AND d.account_id = s.account_id AND d.region = 'global'
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL OR mfa IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN mfa = 0 AND NOT creds THEN 'NOT_APPLICABLE'
	    WHEN mfa = 0 THEN 'NON_COMPLIANT'
	    WHEN devices_missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN root_virtual IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN truncated THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'root user MFA: ' || missing
	    WHEN mfa IS NULL
	    THEN 'the account summary of ' || account_id || ' captured ' || captured_at
		 || ' has no SummaryMap.AccountMFAEnabled'
	    WHEN mfa = 0 AND NOT creds
	    THEN 'the root user has no credentials (account summary of ' || captured_at || ')'
	    WHEN mfa = 0
	    THEN 'the root user has no MFA at all (account summary of ' || captured_at || ')'
	    WHEN devices_missing IS NOT NULL THEN 'root MFA device type: ' || devices_missing
	    WHEN root_virtual IS NOT NULL
	    THEN 'the root user signs in with virtual MFA device ' || root_virtual
		 || ' (virtual MFA device list of ' || devices_time || ')'
	    WHEN truncated
	    THEN 'the virtual MFA device list of ' || devices_time || ' is truncated'
		 || ' (IsTruncated): collect it with pagination'
	    ELSE 'the root user has MFA and no virtual MFA device (hardware MFA; account summary '
		 || 'of ' || captured_at || ', virtual MFA device list of ' || devices_time || ')'
       END AS annotation
FROM v
