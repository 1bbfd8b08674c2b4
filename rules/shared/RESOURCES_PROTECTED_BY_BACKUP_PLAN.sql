-- Shared statement of the rules *_RESOURCES_PROTECTED_BY_BACKUP_PLAN
-- (AWS defines them as one check over different resource types). Each
-- rule sets the constants (cfgaudit-rules(5), "constant:"):
--   :resourceType  the resource type evaluated (AWS::EC2::Volume)
--   :scopePath     a JSON path into the configuration that narrows the
--                  rule's scope, or empty for none ($.state.name)
--   :scopeMatch    the GLOB pattern that value must match (running); an
--                  item without the value is in scope
--   :scopeNote     what that scope is called in the annotation, or empty
-- and declares the parameters AWS documents for these rules: resourceTags,
-- resourceId, crossRegionList, crossAccountList, maxRetentionDays,
-- minRetentionDays, backupVaultLockCheck.
WITH opts AS (
	-- The lists as JSON arrays: json_quote escapes what would break them.
	SELECT '[' || replace(json_quote(:crossRegionList), ',', '","') || ']' AS regions,
	       '[' || replace(json_quote(:crossAccountList), ',', '","') || ']' AS accounts,
	       lower(trim(coalesce(:backupVaultLockCheck, ''))) = 'true'
	       OR :minRetentionDays IS NOT NULL OR :maxRetentionDays IS NOT NULL AS lock_check
), plans AS (
	-- Each plan that assigns the resources of a plan group (the
	-- resources a selection assigns alike), with the first check it fails.
	SELECT p.*, o.lock_check,
	       NOT p.plan_recorded AND (o.lock_check OR :crossRegionList IS NOT NULL
					OR :crossAccountList IS NOT NULL) AS unrecorded,
	       (SELECT min(trim(w.value)) FROM json_each(o.regions) AS w
		WHERE trim(w.value) <> ''
		  AND trim(w.value) NOT IN (SELECT value FROM json_each(p.copy_regions))) AS no_region,
	       (SELECT min(trim(w.value)) FROM json_each(o.accounts) AS w
		WHERE trim(w.value) <> ''
		  AND trim(w.value) NOT IN (SELECT value FROM json_each(p.copy_accounts))) AS no_account
	FROM backup_group_plans AS p
	CROSS JOIN opts AS o
	-- only the groups of this rule's resource type: the others' checks
	-- would be computed for nothing
	WHERE p.plan_group IN (SELECT plan_group FROM backup_plan_membership
			       WHERE resource_type = :resourceType)
), checked AS (
	SELECT plan_group,
	       CASE WHEN unrecorded THEN 'unknown'
		    WHEN no_region IS NOT NULL OR no_account IS NOT NULL THEN 'fail'
		    WHEN lock_check AND NOT lock_known THEN 'unknown'
		    WHEN lock_check AND NOT all_locked THEN 'fail'
		    WHEN coalesce(lock_min_days >= :minRetentionDays, :minRetentionDays IS NULL)
			 AND coalesce(lock_max_days <= :maxRetentionDays, :maxRetentionDays IS NULL)
			 THEN 'pass'
		    ELSE 'fail' END AS state,
	       CASE WHEN unrecorded THEN 'backup plan ' || coalesce(plan_id, '(unknown)')
				    || ' is not recorded (aws backup get-backup-plan)'
		    WHEN no_region IS NOT NULL
			 THEN 'backup plan ' || plan_id || ' keeps no copy in Region ' || no_region
		    WHEN no_account IS NOT NULL
			 THEN 'backup plan ' || plan_id || ' keeps no copy in account ' || no_account
		    WHEN lock_check AND NOT lock_known
			 THEN 'the lock of backup vault ' || coalesce(vaults, '(none)') || ' of plan '
			      || plan_id || ' is not recorded (aws backup describe-backup-vault)'
		    WHEN lock_check AND NOT all_locked
			 THEN 'backup vault ' || vaults || ' of plan ' || plan_id || ' is not locked'
		    WHEN NOT coalesce(lock_min_days >= :minRetentionDays, :minRetentionDays IS NULL)
			 THEN 'vault lock minimum retention ' || coalesce(lock_min_days || ' days', 'not set')
			      || ' of plan ' || plan_id || ' is below minRetentionDays ' || :minRetentionDays
		    WHEN NOT coalesce(lock_max_days <= :maxRetentionDays, :maxRetentionDays IS NULL)
			 THEN 'vault lock maximum retention ' || coalesce(lock_max_days || ' days', 'not set')
			      || ' of plan ' || plan_id || ' is above maxRetentionDays ' || :maxRetentionDays
		    ELSE 'selected by ' || selection END AS why
	FROM plans
), per_group AS MATERIALIZED (
	SELECT plan_group,
	       min(CASE WHEN state = 'pass' THEN why END) AS pass,
	       min(CASE WHEN state = 'unknown' THEN why END) AS unknown,
	       min(CASE WHEN state = 'fail' THEN why END) AS fail
	FROM checked GROUP BY plan_group
), target AS (
	-- The resource's item is read (by its key columns) only when a
	-- parameter or the scope asks for its configuration or tags.
	SELECT m.*,
	       (:resourceId IS NULL OR m.resource_id = trim(:resourceId))
	       AND CASE WHEN :scopePath IS NULL THEN 1
			ELSE coalesce((SELECT json_extract(c.configuration, :scopePath) GLOB :scopeMatch
				       FROM current_items AS c
				       WHERE c.resource_type = m.resource_type
					 AND c.resource_id = m.resource_id
					 AND c.account_id = m.account_id AND c.region = m.region), 1) END
		   AS in_scope,
	       CASE WHEN :resourceTags IS NULL THEN 1
		    WHEN NOT json_valid(:resourceTags) OR json_type(:resourceTags) <> 'object'
			 THEN NULL
		    ELSE (SELECT NOT EXISTS (
			SELECT 1 FROM json_each(:resourceTags) AS w
			WHERE NOT EXISTS (SELECT 1 FROM json_each(c.tags) AS h
					  WHERE h.key = w.key AND h.value = w.value))
			  FROM current_items AS c
			  WHERE c.resource_type = m.resource_type AND c.resource_id = m.resource_id
			    AND c.account_id = m.account_id AND c.region = m.region) END AS tags_ok
	FROM backup_plan_membership AS m
	WHERE m.resource_type = :resourceType
)
SELECT t.resource_type AS resource_type, t.resource_id AS resource_id,
       t.account_id AS account_id, t.region AS aws_region,
       CASE WHEN NOT t.in_scope OR t.tags_ok = 0 THEN 'NOT_APPLICABLE'
	    WHEN t.tags_ok IS NULL OR NOT t.recorded THEN 'INSUFFICIENT_DATA'
	    WHEN c.pass IS NOT NULL THEN 'COMPLIANT'
	    WHEN c.unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    -- a selection that cannot be read may assign it to a plan that passes
	    WHEN t.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN c.fail IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE t.verdict END AS compliance_type,
       CASE WHEN NOT t.in_scope OR t.tags_ok = 0
		 THEN 'outside the rule''s scope (resourceId, resourceTags'
		      || coalesce(', ' || :scopeNote, '') || ')'
	    WHEN t.tags_ok IS NULL THEN 'resourceTags is not a JSON object'
	    WHEN NOT t.recorded THEN t.reason
	    ELSE coalesce(c.pass, c.unknown, t.unreadable, c.fail, t.reason) END AS annotation
FROM target AS t
LEFT JOIN per_group AS c ON c.plan_group = t.plan_group
