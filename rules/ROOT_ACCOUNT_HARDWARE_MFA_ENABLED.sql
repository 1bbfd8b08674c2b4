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
--   records nothing about the root user, so every account and region
--   present is INSUFFICIENT_DATA.
-- missing: root MFA devices: aws iam get-account-summary
--   (SummaryMap.AccountMFAEnabled) and aws iam list-virtual-mfa-devices
--   --assignment-status Assigned (a device whose User.Arn is
--   arn:aws:iam::ACCOUNT:root is virtual MFA on root).
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'root user MFA devices are not in AWS Config items; needs aws iam get-account-summary '
       || '(AccountMFAEnabled) and aws iam list-virtual-mfa-devices' AS annotation
FROM accounts
