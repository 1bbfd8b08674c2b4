-- identifier: CFGAUDIT_ORG_CONFIG_RECORDING
-- name: cfgaudit-org-config-everywhere
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Record all supported types (global types in the home Region only) and
--   deliver to the log-archive bucket in every account and Region
--   (PutConfigurationRecorder, PutDeliveryChannel,
--   StartConfigurationRecorder).
-- parameters:
--   homeRegion: string = us-east-1
--   regions: csv, optional
--   maxDeliveryAgeHours: int = 24
--   deliverySlackHours: int = 6
-- description: cfgaudit's own rule: AWS Config must record in every
--   account and enabled Region and deliver to this archive. One result per
--   account and Region (the Regions listed in regions, else every Region of
--   any account in the data). The archive is the evidence of delivery: the
--   latest configuration snapshot of the account and Region delivered at
--   or before the evaluation time (inventory_coverage) must be at most
--   maxDeliveryAgeHours + deliverySlackHours old, which also shows a
--   delivery channel to this bucket with a frequency no longer than that.
--   No such snapshot -> NON_COMPLIANT, but only when the archive is current
--   (some account and Region has a snapshot that fresh); otherwise the copy
--   may simply be old: INSUFFICIENT_DATA. Where deliveries are fresh, the
--   AWS::Config::ConfigurationRecorder item decides: RecordingGroup
--   AllSupported true, IncludeGlobalResourceTypes true exactly in
--   homeRegion, Recording not false -> COMPLIANT, else NON_COMPLIANT naming
--   the setting; no recorder item (the recorder records itself only when
--   it records that type) or one without configuration -> INSUFFICIENT_DATA.
-- missing: recorder settings when Config did not record the recorder (aws
--   configservice describe-configuration-recorders,
--   describe-configuration-recorder-status); the delivery channel's
--   bucket and frequency (aws configservice describe-delivery-channels)
WITH reg AS (
	SELECT DISTINCT aws_region AS region FROM accounts
	WHERE :regions IS NULL OR csv_contains(:regions, aws_region)
	UNION
	SELECT trim(value) FROM json_each('["' || replace(coalesce(:regions, ''), ',', '","') || '"]')
	WHERE :regions IS NOT NULL AND trim(value) <> ''
), pairs AS (
	SELECT a.account_id, r.region
	FROM (SELECT DISTINCT account_id FROM accounts) a, reg r
), lim AS (
	SELECT strftime('%Y-%m-%dT%H:%M:%fZ', as_of(),
			'-' || (:maxDeliveryAgeHours + :deliverySlackHours) || ' hours') AS t
), rec AS (
	SELECT account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c
	FROM current_items WHERE resource_type = 'AWS::Config::ConfigurationRecorder'
), per AS (
	SELECT p.account_id, p.region,
	       (SELECT max(ic.snapshot_time) FROM inventory_coverage ic
		WHERE ic.account_id = p.account_id AND ic.region = p.region) AS snap,
	       (SELECT min(coalesce(rec.c ->> '$.Name', rec.resource_id)) FROM rec
		WHERE rec.account_id = p.account_id AND rec.region = p.region
		  AND rec.cfg IS NOT NULL) AS rec_name,
	       (SELECT min(trim(CASE WHEN rec.c ->> '$.RecordingGroup.AllSupported' IN (1, 'true')
					THEN '' ELSE 'does not record all supported types; ' END
				   || CASE WHEN (rec.c ->> '$.RecordingGroup.IncludeGlobalResourceTypes'
						  IN (1, 'true')) = (p.region = :homeRegion) THEN ''
					   WHEN p.region = :homeRegion
					     THEN 'does not record global types in the home Region; '
					   ELSE 'records global types outside the home Region '
						|| :homeRegion || '; ' END
				   || CASE WHEN rec.c ->> '$.Recording' IN (0, 'false')
					   THEN 'not recording; ' ELSE '' END, '; '))
		FROM rec WHERE rec.account_id = p.account_id AND rec.region = p.region
		  AND rec.cfg IS NOT NULL) AS rec_faults,
	       (SELECT min(rec.resource_id) FROM rec WHERE rec.account_id = p.account_id
		  AND rec.region = p.region AND rec.cfg IS NULL) AS rec_unrec
	FROM pairs p
), v AS (
	SELECT per.*, lim.t AS lim_t,
	       (SELECT max(snapshot_time) FROM inventory_coverage) >= lim.t AS archive_current,
	       CASE WHEN snap IS NULL OR snap < lim.t THEN 'stale'
		    WHEN rec_faults <> '' THEN 'bad'
		    WHEN rec_faults = '' THEN 'ok'
		    ELSE 'unknown' END AS state
	FROM per, lim
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN state = 'stale' AND archive_current THEN 'NON_COMPLIANT'
	    WHEN state = 'stale' THEN 'INSUFFICIENT_DATA'
	    WHEN state = 'bad' THEN 'NON_COMPLIANT'
	    WHEN state = 'ok' THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN state = 'stale'
	      THEN CASE WHEN snap IS NULL THEN 'no configuration snapshot of this account and Region'
			ELSE 'the latest configuration snapshot of this account and Region was '
			     || 'delivered at ' || snap END
		   || ' in the archive, older than ' || (:maxDeliveryAgeHours + :deliverySlackHours)
		   || ' hours before ' || as_of()
		   || CASE WHEN archive_current THEN ': Config is not recording or not delivering here'
			   ELSE ' (no account has a fresher snapshot: the archive copy may be old)' END
	    WHEN state = 'bad' THEN 'configuration recorder ' || rec_name || ' ' || rec_faults
	    WHEN state = 'ok'
	      THEN 'configuration recorder ' || rec_name || ' records all supported types'
		   || CASE WHEN region = :homeRegion THEN ' and global types' ELSE '' END
		   || '; snapshot delivered at ' || snap
	    WHEN rec_unrec IS NOT NULL
	      THEN 'snapshot delivered at ' || snap || '; configuration recorder ' || rec_unrec
		   || ' is in the data without its configuration (aws configservice '
		   || 'describe-configuration-recorders)'
	    ELSE 'snapshot delivered at ' || snap || '; the recorder settings are not in AWS Config '
		 || 'data (aws configservice describe-configuration-recorders)'
       END AS annotation
FROM v
