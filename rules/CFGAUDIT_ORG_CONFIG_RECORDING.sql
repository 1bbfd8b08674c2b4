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
--   logArchiveBucketName: string, optional
-- description: cfgaudit's own rule: AWS Config must record in every
--   account and enabled Region and deliver to the log archive. One result
--   per account and Region: the Regions listed in regions, else every
--   Region of any account in the data or in describe-configuration-*
--   evidence (the collector visits the enabled Regions), for the accounts
--   of either and the ACTIVE accounts of a fresh organizations list-accounts
--   answer (organization_accounts: a member that delivers nothing fails
--   check 1). Four checks, each from the newest evidence captured within
--   --max-age of the as-of time (config_recording) where AWS Config items
--   cannot tell:
--   (1) the archive shows a configuration snapshot of the account and
--   Region delivered at most maxDeliveryAgeHours + deliverySlackHours
--   before the as-of time (inventory_coverage); none fails only when the
--   archive is current (some account and Region has so fresh a snapshot),
--   else the copy may be old (unknown);
--   (2) the recorder (aws configservice describe-configuration-recorders,
--   else the AWS::Config::ConfigurationRecorder item) exists and records
--   all supported types, with global types exactly in homeRegion; an
--   answer listing no recorder fails (a Region without a recorder);
--   (3) it is recording (describe-configuration-recorder-status recording
--   true and lastStatus not Failure, else the item's Recording);
--   (4) a delivery channel (describe-delivery-channels) delivers to
--   logArchiveBucketName (when given) at a deliveryFrequency of at most
--   maxDeliveryAgeHours (TwentyFour_Hours when the channel names none).
--   NON_COMPLIANT listing the failed checks; otherwise INSUFFICIENT_DATA
--   naming the first unknown (the call, account and Region whose answer is
--   missing or too old); COMPLIANT when all four hold.
-- missing: recorder settings when Config did not record the recorder (aws
--   configservice describe-configuration-recorders); whether it records
--   (describe-configuration-recorder-status); the delivery channel's
--   bucket and frequency (describe-delivery-channels); each per account
--   and Region
WITH reg AS (
	SELECT DISTINCT aws_region AS region FROM accounts WHERE :regions IS NULL
	UNION SELECT region FROM config_recording WHERE :regions IS NULL
	UNION
	SELECT trim(value) FROM json_each('["' || replace(coalesce(:regions, ''), ',', '","') || '"]')
	WHERE :regions IS NOT NULL AND trim(value) <> ''
), pairs AS (
	SELECT a.account_id, r.region
	FROM (SELECT account_id FROM accounts UNION SELECT account_id FROM config_recording
	      UNION SELECT account_id FROM organization_accounts WHERE fresh AND state = 'ACTIVE') a,
	     reg r
), lim AS (
	SELECT strftime('%Y-%m-%dT%H:%M:%fZ', as_of(),
			'-' || (:maxDeliveryAgeHours + :deliverySlackHours) || ' hours') AS t
), rec AS (
	SELECT account_id, region, resource_id, configuration AS cfg,
	       json_unstring(configuration) AS c
	FROM current_items WHERE resource_type = 'AWS::Config::ConfigurationRecorder'
), per AS MATERIALIZED (
	-- MATERIALIZED: the per-place subqueries once, not once for each time
	-- src names their columns.
	SELECT p.account_id, p.region,
	       (SELECT max(ic.snapshot_time) FROM inventory_coverage ic
		WHERE ic.account_id = p.account_id AND ic.region = p.region) AS snap,
	       (SELECT min(coalesce(rec.c ->> '$.Name', rec.resource_id) || char(9)
			   || coalesce(rec.c ->> '$.RecordingGroup.AllSupported' IN (1, 'true'), 0)
			   || coalesce(rec.c ->> '$.RecordingGroup.IncludeGlobalResourceTypes'
				       IN (1, 'true'), 0)
			   || coalesce(CASE WHEN rec.c ->> '$.Recording' IN (1, 'true') THEN 1
					    WHEN rec.c ->> '$.Recording' IN (0, 'false') THEN 0 END,
				       '-'))
		FROM rec WHERE rec.account_id = p.account_id AND rec.region = p.region
		  AND rec.cfg IS NOT NULL) AS item_rec,
	       (SELECT min(rec.resource_id) FROM rec WHERE rec.account_id = p.account_id
		  AND rec.region = p.region AND rec.cfg IS NULL) AS rec_unrec,
	       cr.account_id IS NOT NULL AS has_ev,
	       cr.recorders_missing, cr.n_recorders, cr.recorder_name, cr.all_supported,
	       cr.include_global, cr.status_missing, cr.recording, cr.last_status,
	       cr.channels_missing, cr.n_channels, cr.bucket, cr.frequency, cr.frequency_hours
	FROM pairs p LEFT JOIN config_recording cr
	  ON cr.account_id = p.account_id AND cr.region = p.region
), src AS (
	-- each fact from fresh evidence, else from the recorder item
	SELECT per.*, lim.t AS lim_t,
	       (SELECT max(snapshot_time) FROM inventory_coverage) >= lim.t AS archive_current,
	       p_where,
	       CASE WHEN has_ev AND recorders_missing IS NULL THEN n_recorders > 0
		    WHEN item_rec IS NOT NULL THEN 1 END AS has_rec,
	       CASE WHEN has_ev AND recorders_missing IS NULL THEN recorder_name
		    ELSE substr(item_rec, 1, instr(item_rec, char(9)) - 1) END AS rec_name,
	       CASE WHEN has_ev AND recorders_missing IS NULL THEN coalesce(all_supported, 0)
		    ELSE substr(item_rec, instr(item_rec, char(9)) + 1, 1) + 0 END AS all_sup,
	       CASE WHEN has_ev AND recorders_missing IS NULL THEN coalesce(include_global, 0)
		    ELSE substr(item_rec, instr(item_rec, char(9)) + 2, 1) + 0 END AS glob,
	       CASE WHEN has_ev AND status_missing IS NULL AND recording IS NOT NULL
		      THEN recording AND coalesce(last_status, '') <> 'Failure'
		    WHEN substr(item_rec, -1) IN ('0', '1') THEN substr(item_rec, -1) + 0 END
	       AS is_recording,
	       CASE WHEN has_ev THEN recorders_missing
		    ELSE evidence_missing('configservice describe-configuration-recorders', p_where, NULL)
	       END AS rec_why,
	       CASE WHEN has_ev THEN status_missing
		    ELSE evidence_missing('configservice describe-configuration-recorder-status', p_where,
					  NULL) END AS status_why,
	       CASE WHEN has_ev THEN channels_missing
		    ELSE evidence_missing('configservice describe-delivery-channels', p_where, NULL)
	       END AS chan_why
	FROM (SELECT per.*, per.account_id || '/' || per.region AS p_where FROM per) per, lim
), v AS (
	SELECT src.*,
	       snap IS NULL OR snap < lim_t AS stale,
	       trim(CASE WHEN (snap IS NULL OR snap < lim_t) AND archive_current
			 THEN CASE WHEN snap IS NULL
				   THEN 'no configuration snapshot of this account and Region'
				   ELSE 'latest snapshot delivered at ' || time_text(snap) END
			      || ', older than ' || (:maxDeliveryAgeHours + :deliverySlackHours)
			      || ' hours; '
			 ELSE '' END
		    || CASE WHEN has_rec = 0 THEN 'no configuration recorder; '
			    WHEN has_rec IS NULL THEN ''
			    ELSE CASE WHEN all_sup THEN ''
				      ELSE 'does not record all supported types; ' END
				 || CASE WHEN glob = (region = :homeRegion) THEN ''
					 WHEN region = :homeRegion
					   THEN 'does not record global types in the home Region; '
					 ELSE 'records global types outside the home Region '
					      || :homeRegion || '; ' END
		       END
		    || CASE WHEN has_rec AND is_recording = 0
			    THEN 'not recording' || CASE WHEN last_status = 'Failure'
							 THEN ' (last status Failure)' ELSE '' END
				 || '; ' ELSE '' END
		    || CASE WHEN chan_why IS NOT NULL THEN ''
			    WHEN n_channels = 0 THEN 'no delivery channel; '
			    ELSE CASE WHEN :logArchiveBucketName IS NOT NULL
					   AND coalesce(bucket, '') <> :logArchiveBucketName
				      THEN 'delivers to ' || coalesce(bucket, 'no bucket') || '; '
				      ELSE '' END
				 || CASE WHEN coalesce(frequency_hours, 24) > :maxDeliveryAgeHours
					 THEN 'snapshots every ' || coalesce(frequency_hours, 24)
					      || ' hours; ' ELSE '' END
		       END, '; ') AS faults,
	       CASE WHEN (snap IS NULL OR snap < lim_t) AND NOT archive_current
		      THEN 'no configuration snapshot of ' || p_where || ' since ' || time_text(lim_t)
			   || ', and none of any account: the archive copy may be old'
		    WHEN has_rec IS NULL AND rec_unrec IS NOT NULL
		      THEN 'recorder ' || rec_unrec || ' has no recorded configuration; '
			   || rec_why
		    WHEN has_rec IS NULL THEN rec_why
		    WHEN has_rec AND is_recording IS NULL THEN status_why
		    WHEN chan_why IS NOT NULL THEN chan_why
	       END AS unknown
	FROM src
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN faults <> '' THEN 'NON_COMPLIANT'
	    WHEN unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN faults <> ''
	      THEN CASE WHEN has_rec THEN 'recorder ' || rec_name || ': ' ELSE '' END || faults
	    WHEN unknown IS NOT NULL THEN unknown
	    ELSE 'recorder ' || rec_name || ' records all supported types'
		 || CASE WHEN region = :homeRegion THEN ' and global types' ELSE '' END
		 || ', recording; delivers every ' || coalesce(frequency_hours, 24) || ' hours'
		 || CASE WHEN bucket IS NOT NULL THEN ' to ' || bucket ELSE '' END
		 || '; last snapshot ' || time_text(snap)
       END AS annotation
FROM v
