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
--   configuration whose ingress permissions can be read; otherwise
--   INSUFFICIENT_DATA naming the first Region without a snapshot, the
--   first unrecorded group or the first whose ingress permissions cannot
--   be read (security_groups.unreadable).
-- missing: security groups of Regions without a configuration snapshot
--   (aws ec2 describe-security-groups)
WITH acct AS (
	SELECT DISTINCT account_id FROM accounts
), open_sg AS (
	SELECT DISTINCT account_id, region, resource_id
	FROM security_group_sources
	WHERE open = 1 AND port_in_rule(ip_protocol, from_port, to_port, 22) = 1
), open_n AS (
	SELECT account_id, count(*) AS n_open FROM open_sg GROUP BY account_id
), groups AS (
	-- Each account's groups counted in one pass over them (a subquery per
	-- account scanned every group of the organization once per account).
	SELECT account_id, count(*) AS n_sg,
	       min(CASE WHEN NOT recorded
			THEN resource_id || ' (' || region || ', status ' || status || ')' END) AS unrec,
	       min(CASE WHEN recorded AND unreadable IS NOT NULL
			THEN resource_id || ' (' || region || '): ' || unreadable END) AS unread
	FROM security_groups GROUP BY account_id
), gaps AS (
	SELECT account_id, min(account_id || '/' || region) AS gap
	FROM inventory_gaps GROUP BY account_id
), per AS (
	SELECT a.account_id, coalesce(o.n_open, 0) AS n_open,
	       (SELECT group_concat(label, ', ') FROM
		  (SELECT x.resource_id || ' (' || x.region || ')' AS label FROM open_sg x
		   WHERE x.account_id = a.account_id ORDER BY x.region, x.resource_id LIMIT 5))
	       AS examples,
	       coalesce(g.n_sg, 0) AS n_sg, g.unrec, g.unread, gp.gap
	FROM acct a
	LEFT JOIN open_n o ON o.account_id = a.account_id
	LEFT JOIN groups g ON g.account_id = a.account_id
	LEFT JOIN gaps gp ON gp.account_id = a.account_id
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       'global' AS aws_region,
       CASE WHEN n_open > 0 THEN 'NON_COMPLIANT'
	    WHEN unrec IS NOT NULL OR unread IS NOT NULL OR gap IS NOT NULL
	      THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN n_open > 0
	      THEN n_open || ' of ' || n_sg || ' security groups allow SSH (TCP 22) from the '
		   || 'world: ' || examples || CASE WHEN n_open > 5 THEN ', ...' ELSE '' END
	    WHEN unrec IS NOT NULL
	      THEN 'no recorded security group allows SSH from the world, but security group '
		   || unrec || ' has no recorded configuration'
	    WHEN unread IS NOT NULL
	      THEN 'no security group in the data allows SSH from the world, but the ingress '
		   || 'permissions of a security group cannot be read: ' || unread
		   || ' (aws ec2 describe-security-groups)'
	    WHEN gap IS NOT NULL
	      THEN 'no security group in the data allows SSH from the world, but there is no '
		   || 'configuration snapshot of ' || gap || ' at or before ' || as_of()
	    ELSE '0 of ' || n_sg || ' security groups allow SSH (TCP 22) from the world'
       END AS annotation
FROM per
