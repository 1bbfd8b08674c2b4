-- identifier: EC2_VOLUME_INUSE_CHECK
-- name: ec2-volume-inuse-check
-- severity: low (default: hygiene)
-- remediation: Snapshot and delete the unattached volume, or attach it where it
--   is needed (CreateSnapshot, DeleteVolume).
-- resource-types: AWS::EC2::Volume
-- trigger: configuration-changes
-- parameters:
--   deleteOnTermination: string, optional
-- description: EBS volumes must be attached to instances: NON_COMPLIANT
--   when configuration.attachments holds no attachment to an instance
--   (none, or only ones in state detached), or when every instance it is
--   attached to is recorded in state terminated; COMPLIANT when attached to
--   an instance that is not terminated (running, stopped, ...), including
--   one not in the data (the volume's own attachment record decides then).
--   Older items without an attachments array are read through their
--   "Is attached to Instance" relationships.
--   deleteOnTermination is a boolean for AWS, given as True or False in
--   any case (packs pass 'TRUE'), so it is declared as a string here: with
--   true, an attached volume with an attachment whose deleteOnTermination
--   is false is NON_COMPLIANT, and one whose deleteOnTermination the item
--   does not give is INSUFFICIENT_DATA; with false nothing more is
--   checked; as AWS documents, any other value makes every evaluated
--   volume NON_COMPLIANT. An item without a configuration is
--   INSUFFICIENT_DATA.
-- missing: deleteOnTermination when the item lacks it (aws ec2
--   describe-volumes, Volumes[].Attachments[].DeleteOnTermination)
WITH p AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT lower(trim(:deleteOnTermination)) AS dot
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Volume'
), att AS (
	-- One row per attachment to an instance that is not detached.
	SELECT v.resource_id, v.account_id, v.region,
	       json_extract(v.configuration, a.fullkey || '.instanceId') AS iid,
	       json_extract(v.configuration, a.fullkey || '.deleteOnTermination') AS del
	FROM v, json_each(v.configuration, '$.attachments') AS a
	WHERE a.type = 'object'
	  AND json_extract(v.configuration, a.fullkey || '.instanceId') IS NOT NULL
	  AND coalesce(lower(json_extract(v.configuration, a.fullkey || '.state')), '')
	      <> 'detached'
	UNION ALL
	-- Items without an attachments array: the relationships name the
	-- instance (deleteOnTermination is then unknown).
	SELECT v.resource_id, v.account_id, v.region, r.related_id, NULL
	FROM v JOIN relationships AS r
	  ON r.resource_type = v.resource_type AND r.resource_id = v.resource_id
	 AND r.account_id = v.account_id AND r.region = v.region
	WHERE json_type(v.configuration, '$.attachments') IS NOT 'array'
	  AND r.related_type = 'AWS::EC2::Instance' AND r.related_id IS NOT NULL
), ai AS (
	-- A lookup per attachment by the key (at most one item), not a join;
	-- the instance's state as parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT att.*,
	       (SELECT i.state FROM ec2_instances AS i
		WHERE i.resource_id = att.iid
		  AND i.account_id = att.account_id AND i.region = att.region) AS ist
	FROM att
), per AS (
	SELECT resource_id, account_id, region,
	       count(*) AS n,
	       min(CASE WHEN ist IS NOT 'terminated' THEN iid END) AS live,
	       min(iid) AS any_iid,
	       min(CASE WHEN del IN (0, 'false') THEN iid END) AS kept_on,
	       min(CASE WHEN del IS NULL THEN iid END) AS del_unknown
	FROM ai GROUP BY resource_id, account_id, region
)
SELECT v.resource_type, v.resource_id, v.account_id, v.region AS aws_region,
       CASE WHEN v.configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN p.dot IS NOT NULL AND p.dot NOT IN ('true', 'false') THEN 'NON_COMPLIANT'
	    WHEN per.n IS NULL OR per.live IS NULL THEN 'NON_COMPLIANT'
	    WHEN p.dot = 'true' AND per.kept_on IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN p.dot = 'true' AND per.del_unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN v.configuration IS NULL
		 THEN 'configuration not recorded (status ' || v.status || ')'
	    WHEN p.dot IS NOT NULL AND p.dot NOT IN ('true', 'false')
		 THEN 'parameter deleteOnTermination is neither True nor False'
	    WHEN per.n IS NULL THEN 'volume is not attached to any instance (state '
		 || coalesce(json_extract(v.configuration, '$.state'), 'unknown') || ')'
	    WHEN per.live IS NULL
		 THEN 'volume is attached only to terminated instance ' || per.any_iid
	    WHEN p.dot = 'true' AND per.kept_on IS NOT NULL
		 THEN 'attachment to ' || per.kept_on || ' is not marked deleteOnTermination'
	    WHEN p.dot = 'true' AND per.del_unknown IS NOT NULL
		 THEN 'deleteOnTermination of the attachment to ' || per.del_unknown
		      || ' is not in the item (aws ec2 describe-volumes)'
	    ELSE 'volume is attached to instance ' || per.live
       END AS annotation
FROM v CROSS JOIN p
LEFT JOIN per ON per.resource_id = v.resource_id AND per.account_id = v.account_id
	     AND per.region = v.region
