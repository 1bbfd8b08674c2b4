-- identifier: ACCOUNT_PART_OF_ORGANIZATIONS
-- name: account-part-of-organizations
-- severity: high (Security Hub Account.2)
-- remediation: Invite the account into the organization and accept the
--   handshake (organizations InviteAccountToOrganization, AcceptHandshake).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   MasterAccountId: string, optional
-- description: NON_COMPLIANT when the account is not a member of AWS
--   Organizations, or when its organization's management account differs
--   from MasterAccountId; COMPLIANT otherwise. Organization membership is
--   not in configuration items: INSUFFICIENT_DATA for every account and
--   Region.
-- missing: the account's organization (aws organizations
--   describe-organization, Organization.MasterAccountId)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       aws_region, 'INSUFFICIENT_DATA' AS compliance_type,
       'organization membership is not in AWS Config data (aws organizations '
       || 'describe-organization)' AS annotation
FROM accounts;
