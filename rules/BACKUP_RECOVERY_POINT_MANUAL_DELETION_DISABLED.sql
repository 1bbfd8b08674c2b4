-- identifier: BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED
-- name: backup-recovery-point-manual-deletion-disabled
-- severity: medium (default: backup)
-- remediation: Deny backup:DeleteRecoveryPoint in the vault's access policy for
--   all but the allowed principals (PutBackupVaultAccessPolicy).
-- resource-types: AWS::Backup::BackupVault
-- trigger: configuration-changes
-- parameters:
--   principalArnList: csv, optional
-- description: A backup vault's access policy must deny the manual
--   deletion of recovery points: COMPLIANT when Deny statements whose
--   Principal is a wildcard ("*", or "*" under AWS or in a list) and whose
--   Resource has a wildcard (as AWS's page requires) together cover
--   backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle and
--   backup:PutBackupVaultAccessPolicy (Action patterns such as backup:*
--   or backup:Delete* count; matched case-insensitively); NON_COMPLIANT
--   when one is not denied, or the policy has no Statement. A statement
--   with a Condition counts only when each of its conditions exempts
--   principals listed in principalArnList (ArnNotEquals, ArnNotLike,
--   StringNotEquals or StringNotLike on aws:PrincipalArn, every value in
--   the list): that is how this reads "ARNs for the rule to NOT check",
--   which AWS leaves open. The policy is read from configuration
--   AccessPolicy (the CloudFormation name; an object or JSON text) or
--   Policy. Config's schema for the type lists no policy field, so a
--   vault item without one is INSUFFICIENT_DATA rather than "no policy"
--   (aws backup get-backup-vault-access-policy), as are items without
--   configuration and policies that are not JSON.
-- missing: backup vault access policies the item does not record (aws
--   backup get-backup-vault-access-policy)
WITH needed(action) AS (
	VALUES ('backup:DeleteRecoveryPoint'), ('backup:UpdateRecoveryPointLifecycle'),
	       ('backup:PutBackupVaultAccessPolicy')
), vaults AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       configuration IS NOT NULL AS recorded,
	       coalesce(configuration -> '$.AccessPolicy', configuration -> '$.Policy') AS raw
	FROM current_items
	WHERE resource_type = 'AWS::Backup::BackupVault'
), pol AS (
	-- The policy as JSON text: an object as recorded, or the text of a
	-- JSON string; NULL (with bad = 1) when it is neither.
	SELECT *,
	       CASE WHEN json_type(raw) = 'object' THEN raw
		    WHEN json_type(raw) = 'text' AND json_valid(raw ->> '$')
			 AND json_type(raw ->> '$') = 'object' THEN raw ->> '$' END AS doc
	FROM vaults
), stmts AS (
	SELECT p.item_key, p.doc, s.fullkey AS path
	FROM pol AS p,
	     json_each(p.doc, CASE json_type(p.doc, '$.Statement')
				   WHEN 'array' THEN '$.Statement' ELSE '$' END) AS s
	WHERE p.doc IS NOT NULL
	  AND (json_type(p.doc, '$.Statement') = 'array' OR s.key = 'Statement')
	  AND s.type = 'object'
), denies AS (
	-- Deny statements with wildcard Principal and Resource whose
	-- conditions, if any, only exempt principals of principalArnList.
	SELECT st.item_key, st.doc, st.path
	FROM stmts AS st
	WHERE json_extract(st.doc, st.path || '.Effect') = 'Deny'
	  AND EXISTS (SELECT 1 FROM json_each(st.doc, st.path || '.Principal') AS pr
		      LEFT JOIN json_each(st.doc, pr.fullkey) AS el ON pr.type = 'array'
		      WHERE coalesce(el.value, pr.value) = '*')
	  AND EXISTS (SELECT 1 FROM json_each(st.doc, st.path || '.Resource') AS r
		      WHERE r.type = 'text' AND instr(r.value, '*') > 0)
	  AND NOT EXISTS (
		SELECT 1
		FROM json_each(st.doc, st.path || '.Condition') AS op,
		     json_each(st.doc, op.fullkey) AS k,
		     json_each(st.doc, k.fullkey) AS val
		WHERE NOT (op.key IN ('ArnNotEquals', 'ArnNotLike', 'StringNotEquals', 'StringNotLike')
			   AND lower(k.key) = 'aws:principalarn'
			   AND coalesce(csv_contains(:principalArnList, val.value), 0))
		UNION ALL
		SELECT 1 WHERE json_type(st.doc, st.path || '.Condition') NOT IN ('object')
	  )
), denied AS (
	SELECT DISTINCT d.item_key, n.action
	FROM denies AS d
	JOIN json_each(d.doc, d.path || '.Action') AS a ON a.type = 'text'
	JOIN needed AS n ON lower(n.action) GLOB lower(a.value)
), missing AS (
	SELECT p.item_key, min(n.action) AS action
	FROM pol AS p CROSS JOIN needed AS n
	WHERE p.doc IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM denied AS d
			  WHERE d.item_key = p.item_key AND d.action = n.action)
	GROUP BY p.item_key
)
SELECT p.resource_type AS resource_type, p.resource_id AS resource_id,
       p.account_id AS account_id, p.region AS aws_region,
       CASE WHEN NOT p.recorded OR p.doc IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN m.action IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT p.recorded THEN 'backup vault configuration not recorded (' || p.status || ')'
	    WHEN p.raw IS NULL
		 THEN 'the vault access policy is not recorded'
		      || ' (aws backup get-backup-vault-access-policy)'
	    WHEN p.doc IS NULL THEN 'the vault access policy is not a JSON object'
	    WHEN m.action IS NOT NULL
		 THEN 'no Deny statement for all principals and resources covers ' || m.action
	    ELSE 'the vault access policy denies deleting recovery points, changing their'
		 || ' lifecycle and replacing the policy' END AS annotation
FROM pol AS p
LEFT JOIN missing AS m ON m.item_key = p.item_key
