-- identifier: GUARDDUTY_NON_ARCHIVED_FINDINGS
-- name: guardduty-non-archived-findings
-- severity: medium (default: logging)
-- remediation: Investigate the open GuardDuty findings older than the allowed
--   days and remediate or archive them (guardduty ArchiveFindings).
-- resource-types: AWS::::Account
-- trigger: periodic
-- parameters:
--   daysLowSev: int = 30
--   daysMediumSev: int = 7
--   daysHighSev: int = 1
-- description: NON_COMPLIANT when GuardDuty has unarchived low, medium or
--   high severity findings older than daysLowSev, daysMediumSev or
--   daysHighSev days; COMPLIANT otherwise. Findings are not configuration
--   items; they come from evidence of the account and Region within
--   --max-age of the as-of time: aws guardduty list-detectors (no
--   detector: GuardDuty is off there, NOT_APPLICABLE, which AWS leaves
--   unstated), then for the first detector (the argument of the evidence
--   file) aws guardduty list-findings with the criterion service.archived
--   = false (no FindingIds -> COMPLIANT) and aws guardduty get-findings of
--   those ids (at most 50 a call: the argument is the detector, then
--   "<detector> batch K"; only batches captured with or after the list
--   count, guardduty_findings). A finding counts when Service.Archived
--   is not true; its band is by Severity (7 and up high, including critical; 4 to 6.9
--   medium; below 4 low) and its age runs from CreatedAt (AWS does not say
--   from which time). One older than its band's days -> NON_COMPLIANT. A
--   listed id without details, or a call missing or too old:
--   INSUFFICIENT_DATA naming the call.
-- missing: GuardDuty findings (aws guardduty list-findings with
--   service.archived false, then aws guardduty get-findings)
WITH det AS (
	SELECT a.account_id, a.aws_region, e.body ->> '$.DetectorIds[0]' AS detector,
	       CASE WHEN e.error_code IS NOT NULL AND e.fresh
		    THEN 'aws guardduty list-detectors answered ' || e.error_code
		    ELSE evidence_missing('guardduty list-detectors', a.account_id, e.captured_at)
	       END AS missing
	FROM accounts a
	LEFT JOIN evidence e ON e.service = 'guardduty' AND e.operation = 'list-detectors'
	 AND e.account_id = a.account_id AND e.region = a.aws_region
), lf AS (
	SELECT det.*, f.body AS listed, f.captured_at AS listed_at,
	       json_array_length(f.body, '$.FindingIds') AS n_open,
	       CASE WHEN f.error_code IS NOT NULL AND f.fresh
		    THEN 'aws guardduty list-findings answered ' || f.error_code
		    ELSE evidence_missing('guardduty list-findings', det.account_id, f.captured_at)
	       END AS list_missing
	FROM det
	LEFT JOIN evidence f ON f.service = 'guardduty' AND f.operation = 'list-findings'
	 AND f.account_id = det.account_id AND f.region = det.aws_region
	 AND f.qualifier = det.detector
), gf AS (
	-- The details: every get-findings batch of the detector (at most 50
	-- ids a call) captured with or after its list-findings answer, so
	-- that a batch of an earlier collection is not read as current.
	SELECT lf.*,
	       CASE WHEN (SELECT min(b.error_code) FROM guardduty_findings b
			  WHERE b.account_id = lf.account_id AND b.region = lf.aws_region
			    AND b.detector = lf.detector AND b.captured_at >= lf.listed_at)
			 IS NOT NULL
		    THEN 'aws guardduty get-findings answered '
			 || (SELECT min(b.error_code) FROM guardduty_findings b
			     WHERE b.account_id = lf.account_id AND b.region = lf.aws_region
			       AND b.detector = lf.detector AND b.captured_at >= lf.listed_at)
		    WHEN NOT EXISTS (SELECT 1 FROM guardduty_findings b
				     WHERE b.account_id = lf.account_id
				       AND b.region = lf.aws_region AND b.detector = lf.detector
				       AND b.captured_at >= lf.listed_at)
		    THEN coalesce(evidence_missing('guardduty get-findings', lf.account_id,
				  (SELECT max(b.captured_at) FROM guardduty_findings b
				   WHERE b.account_id = lf.account_id AND b.region = lf.aws_region
				     AND b.detector = lf.detector)),
				  'no aws guardduty get-findings captured with or after the list ('
				  || lf.listed_at || ')')
	       END AS get_missing,
	       (SELECT count(*) FROM json_each(lf.listed, '$.FindingIds') i
		WHERE NOT EXISTS (SELECT 1 FROM guardduty_findings x
				  WHERE x.account_id = lf.account_id AND x.region = lf.aws_region
				    AND x.detector = lf.detector AND x.captured_at >= lf.listed_at
				    AND x.finding_id = i.value)) AS unseen,
	       (SELECT x.type || ' ' || x.finding_id || ' (severity ' || x.severity
		       || ', created ' || x.created_at || ')'
		FROM guardduty_findings x
		WHERE x.account_id = lf.account_id AND x.region = lf.aws_region
		  AND x.detector = lf.detector AND x.captured_at >= lf.listed_at
		  AND NOT x.archived
		  AND x.finding_id IN (SELECT i.value FROM json_each(lf.listed, '$.FindingIds') i)
		  AND age_days(x.created_at)
		      > CASE WHEN x.severity >= 7 THEN coalesce(:daysHighSev, 1)
			     WHEN x.severity >= 4 THEN coalesce(:daysMediumSev, 7)
			     ELSE coalesce(:daysLowSev, 30) END
		ORDER BY x.severity DESC, x.finding_id LIMIT 1) AS overdue
	FROM lf
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id, aws_region,
       CASE WHEN missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN detector IS NULL THEN 'NOT_APPLICABLE'
	    WHEN list_missing IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN coalesce(n_open, 0) = 0 THEN 'COMPLIANT'
	    WHEN overdue IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN get_missing IS NOT NULL OR unseen > 0 THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN missing IS NOT NULL THEN 'GuardDuty detectors: ' || missing
	    WHEN detector IS NULL
	    THEN 'GuardDuty has no detector in ' || account_id || '/' || aws_region
	    WHEN list_missing IS NOT NULL
	    THEN 'non-archived findings of detector ' || detector || ': ' || list_missing
	    WHEN coalesce(n_open, 0) = 0
	    THEN 'detector ' || detector || ' has no non-archived finding (listed ' || listed_at
		 || ')'
	    WHEN overdue IS NOT NULL THEN 'non-archived finding past its days: ' || overdue
	    WHEN get_missing IS NOT NULL
	    THEN n_open || ' non-archived findings of detector ' || detector
		 || '; their severity and age: ' || get_missing
	    WHEN unseen > 0
	    THEN unseen || ' of ' || n_open || ' non-archived findings of detector ' || detector
		 || ' have no details in the aws guardduty get-findings evidence'
	    ELSE n_open || ' non-archived findings of detector ' || detector
		 || ', none older than its severity allows' END AS annotation
FROM gf
