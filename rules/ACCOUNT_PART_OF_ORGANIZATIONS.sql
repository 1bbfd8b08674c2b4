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
--   not in configuration items; it comes from evidence within --max-age of
--   the as-of time: the account's own aws organizations
--   describe-organization (Organization.MasterAccountId; the error
--   AWSOrganizationsNotInUseException means no organization ->
--   NON_COMPLIANT), or else the account listed as ACTIVE in a management
--   account's aws organizations list-accounts (table
--   organization_accounts; that account is its management account).
--   Absence from one organization's list proves nothing. Neither:
--   INSUFFICIENT_DATA naming the call.
-- missing: the account's organization (aws organizations
--   describe-organization, Organization.MasterAccountId)
WITH d AS (
	SELECT a.account_id, a.aws_region, e.captured_at, e.error_code,
	       e.error_code = 'AWSOrganizationsNotInUseException' AND e.fresh AS not_in_use,
	       CASE WHEN e.error_code IS NULL AND e.fresh
		    THEN e.body ->> '$.Organization.MasterAccountId' END AS described,
	       CASE WHEN e.error_code IS NOT NULL AND e.fresh
		    THEN 'aws organizations describe-organization answered ' || e.error_code
			 || ' for ' || a.account_id
		    ELSE evidence_missing('organizations describe-organization', a.account_id,
					  e.captured_at) END AS missing,
	       (SELECT min(o.management_account_id) FROM organization_accounts o
		WHERE o.account_id = a.account_id AND o.fresh
		  AND coalesce(o.state, 'ACTIVE') = 'ACTIVE') AS listed_by
	FROM accounts a
	LEFT JOIN evidence e ON e.service = 'organizations' AND e.operation = 'describe-organization'
	 AND e.account_id = a.account_id AND e.region = 'global'
), v AS (
	SELECT *, coalesce(described, listed_by) AS master FROM d
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN not_in_use THEN 'NON_COMPLIANT'
	    WHEN master IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN :MasterAccountId IS NOT NULL AND master <> :MasterAccountId THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN not_in_use
	    THEN 'account ' || account_id || ' is in no organization '
		 || '(AWSOrganizationsNotInUseException captured ' || captured_at || ')'
	    WHEN master IS NULL THEN 'organization membership: ' || missing
	    WHEN :MasterAccountId IS NOT NULL AND master <> :MasterAccountId
	    THEN 'the management account of ' || account_id || '''s organization is ' || master
		 || ', not ' || :MasterAccountId
	    ELSE 'account ' || account_id || ' is in the organization of management account '
		 || master || CASE WHEN described IS NULL THEN ' (its list-accounts)' ELSE '' END
       END AS annotation
FROM v
