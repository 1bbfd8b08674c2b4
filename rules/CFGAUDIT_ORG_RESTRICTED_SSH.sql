-- identifier: CFGAUDIT_ORG_RESTRICTED_SSH
-- name: cfgaudit-org-restricted-ssh
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: high (default: exposure)
-- remediation: Remove ingress rules that allow TCP 22 from 0.0.0.0/0 or ::/0 in every
--   account (RevokeSecurityGroupIngress).
-- parameters: (none)
-- description: cfgaudit's own organization-wide view of restricted-ssh
--   (INCOMING_SSH_DISABLED) deployed to every account: one result per
--   account (Region global) counting the security groups, in all its
--   Regions, whose ingress allows TCP 22 (or all traffic) from 0.0.0.0/0
--   or ::/0 (security_group_sources, cidr_is_open, port_in_rule).
--   NON_COMPLIANT when at least one does, naming up to five; COMPLIANT when
--   none does and every Region of the account in the data has a complete
--   inventory (inventory_gaps) and every group has a recorded
--   configuration; otherwise INSUFFICIENT_DATA naming the first Region
--   without a snapshot or the first unrecorded group.
-- missing: security groups of Regions without a configuration snapshot
--   (aws ec2 describe-security-groups)
WITH acct AS (
	SELECT DISTINCT account_id FROM accounts
), open_sg AS (
	SELECT DISTINCT account_id, region, resource_id
	FROM security_group_sources
	WHERE cidr_is_open(cidr) = 1 AND port_in_rule(ip_protocol, from_port, to_port, 22) = 1
), per AS (
	SELECT a.account_id,
	       (SELECT count(*) FROM open_sg o WHERE o.account_id = a.account_id) AS n_open,
	       (SELECT group_concat(label, ', ') FROM
		  (SELECT o.resource_id || ' (' || o.region || ')' AS label FROM open_sg o
		   WHERE o.account_id = a.account_id ORDER BY o.region, o.resource_id LIMIT 5))
	       AS examples,
	       (SELECT count(*) FROM current_items c WHERE c.account_id = a.account_id
		  AND c.resource_type = 'AWS::EC2::SecurityGroup') AS n_sg,
	       (SELECT min(c.resource_id || ' (' || c.region || ', status ' || c.status || ')')
		FROM current_items c WHERE c.account_id = a.account_id
		  AND c.resource_type = 'AWS::EC2::SecurityGroup' AND c.configuration IS NULL)
	       AS unrec,
	       (SELECT min(g.account_id || '/' || g.region) FROM inventory_gaps g
		WHERE g.account_id = a.account_id) AS gap
	FROM acct a
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       'global' AS aws_region,
       CASE WHEN n_open > 0 THEN 'NON_COMPLIANT'
	    WHEN unrec IS NOT NULL OR gap IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN n_open > 0
	      THEN n_open || ' of ' || n_sg || ' security groups allow SSH (TCP 22) from the '
		   || 'world: ' || examples || CASE WHEN n_open > 5 THEN ', ...' ELSE '' END
	    WHEN unrec IS NOT NULL
	      THEN 'no recorded security group allows SSH from the world, but security group '
		   || unrec || ' has no recorded configuration'
	    WHEN gap IS NOT NULL
	      THEN 'no security group in the data allows SSH from the world, but there is no '
		   || 'configuration snapshot of ' || gap || ' at or before ' || as_of()
	    ELSE '0 of ' || n_sg || ' security groups allow SSH (TCP 22) from the world'
       END AS annotation
FROM per
