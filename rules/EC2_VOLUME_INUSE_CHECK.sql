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
--   Older items without attachments (absent or null) are read through
--   their "Is attached to Instance" relationships. What cannot be read
--   does not decide: attachments that are not a list are
--   INSUFFICIENT_DATA (not read through the relationships, which may
--   name an instance the attachment says is detached); an attachment
--   that is not an object with a string instanceId and state, or one to
--   an instance recorded with a configuration whose state.name cannot be
--   read, makes the volume INSUFFICIENT_DATA unless another attachment
--   to a live instance decides (with deleteOnTermination true, such an
--   attachment leaves it INSUFFICIENT_DATA too).
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
), v AS MATERIALIZED (
	-- One row per volume (ec2_volumes, cfgaudit-rules(5): each volume's
	-- configuration read once per run) with its attachments summed up in
	-- a correlated subquery (a JSON array, unpacked below).
	SELECT vol.resource_type, vol.resource_id, vol.account_id, vol.region, vol.status,
	       NOT vol.recorded AS unrecorded, vol.state AS vstate,
	       -- attachments present but not a list: nothing can be read
	       -- from it, nor from the relationships (they may name an
	       -- instance the attachment says is detached)
	       vol.attachments_garbled AS att_garbled,
	       (SELECT json_array(count(ai.iid),
				  min(CASE WHEN ai.ist IS NOT 'terminated' AND ai.ist IS NOT '?'
					   THEN ai.iid END),
				  min(ai.iid),
				  min(CASE WHEN ai.del IN (0, 'false') THEN ai.iid END),
				  min(CASE WHEN ai.del IS NULL THEN ai.iid END),
				  count(*) - count(ai.iid),
				  min(CASE WHEN ai.ist IS '?' THEN ai.iid END))
		FROM (
			-- One row per attachment to an instance that is not
			-- detached (or, for items without an attachments array,
			-- per relationship to an instance), with the instance's
			-- state as parsed once per run (ec2_instances), looked up
			-- by key ('?' for an instance recorded with a
			-- configuration whose state cannot be read); and one row
			-- with a NULL iid per attachment that cannot be read
			-- (ec2_volume_attachments).
			SELECT att.instance_id AS iid, att.delete_on_termination AS del,
			       (SELECT CASE WHEN i.recorded AND i.state IS NULL THEN '?' ELSE i.state END
				FROM ec2_instances AS i
				WHERE i.resource_id = att.instance_id
				  AND i.account_id = vol.account_id AND i.region = vol.region) AS ist
			FROM ec2_volume_attachments AS att
			WHERE att.item_key = vol.item_key
		) AS ai) AS agg
	FROM ec2_volumes AS vol
), per AS (
	SELECT v.*,
	       nullif(agg ->> '$[0]', 0) AS n,
	       agg ->> '$[1]' AS live,
	       agg ->> '$[2]' AS any_iid,
	       agg ->> '$[3]' AS kept_on,
	       agg ->> '$[4]' AS del_unknown,
	       nullif(agg ->> '$[5]', 0) AS bad_att,
	       agg ->> '$[6]' AS state_unknown
	FROM v
)
SELECT per.resource_type, per.resource_id, per.account_id, per.region AS aws_region,
       CASE WHEN per.unrecorded THEN 'INSUFFICIENT_DATA'
	    WHEN p.dot IS NOT NULL AND p.dot NOT IN ('true', 'false') THEN 'NON_COMPLIANT'
	    WHEN per.att_garbled THEN 'INSUFFICIENT_DATA'
	    WHEN per.live IS NULL AND (per.bad_att IS NOT NULL OR per.state_unknown IS NOT NULL)
		 THEN 'INSUFFICIENT_DATA'
	    WHEN per.n IS NULL OR per.live IS NULL THEN 'NON_COMPLIANT'
	    WHEN p.dot = 'true' AND per.kept_on IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN p.dot = 'true' AND (per.del_unknown IS NOT NULL OR per.bad_att IS NOT NULL)
		 THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN per.unrecorded
		 THEN 'configuration not recorded (status ' || per.status || ')'
	    WHEN p.dot IS NOT NULL AND p.dot NOT IN ('true', 'false')
		 THEN 'parameter deleteOnTermination is neither True nor False'
	    WHEN per.att_garbled
		 THEN 'configuration.attachments cannot be read: not a list of attachments'
		      || ' (aws ec2 describe-volumes)'
	    WHEN per.live IS NULL AND per.bad_att IS NOT NULL
		 THEN 'configuration.attachments cannot be read: ' || per.bad_att
		      || ' attachment(s) without a readable instanceId and state'
		      || ' (aws ec2 describe-volumes)'
	    WHEN per.live IS NULL AND per.state_unknown IS NOT NULL
		 THEN 'the state of attached instance ' || per.state_unknown
		      || ' cannot be read from its item (aws ec2 describe-instances)'
	    WHEN per.n IS NULL THEN 'volume is not attached to any instance (state '
		 || coalesce(per.vstate, 'unknown') || ')'
	    WHEN per.live IS NULL
		 THEN 'volume is attached only to terminated instance ' || per.any_iid
	    WHEN p.dot = 'true' AND per.kept_on IS NOT NULL
		 THEN 'attachment to ' || per.kept_on || ' is not marked deleteOnTermination'
	    WHEN p.dot = 'true' AND per.del_unknown IS NOT NULL
		 THEN 'deleteOnTermination of the attachment to ' || per.del_unknown
		      || ' is not in the item (aws ec2 describe-volumes)'
	    WHEN p.dot = 'true' AND per.bad_att IS NOT NULL
		 THEN 'configuration.attachments cannot be read: ' || per.bad_att
		      || ' attachment(s) without a readable instanceId and state'
		      || ' (aws ec2 describe-volumes)'
	    ELSE 'volume is attached to instance ' || per.live
       END AS annotation
FROM per CROSS JOIN p
