-- identifier: ACM_CERTIFICATE_EXPIRATION_CHECK
-- name: acm-certificate-expiration-check
-- severity: medium (Security Hub ACM.1)
-- remediation: Renew the certificate before it expires: re-import a renewed
--   certificate, or fix DNS/email validation so that ACM renews it
--   (ImportCertificate, RenewCertificate).
-- resource-types: AWS::ACM::Certificate
-- trigger: configuration-changes, periodic
-- parameters:
--   daysToExpiration: int = 14
-- description: NON_COMPLIANT when an ACM certificate expires within
--   daysToExpiration days of the evaluation time (configuration.notAfter
--   minus the as-of time is less than daysToExpiration days), or has
--   already expired (not stated by AWS); COMPLIANT otherwise. Imported and
--   ACM-issued certificates are treated alike. A certificate without
--   notAfter (pending validation, failed) is NOT_APPLICABLE (not stated by
--   AWS); an unparsable notAfter gives INSUFFICIENT_DATA.
WITH t AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type = 'AWS::ACM::Certificate'
), v AS (
	SELECT *, c ->> '$.notAfter' AS na, days_until(c ->> '$.notAfter') AS left_days,
	       CASE
		 WHEN typeof(c ->> '$.notAfter') IN ('integer', 'real')
		   THEN time_text(c ->> '$.notAfter')
		 ELSE c ->> '$.notAfter'
	       END AS na_txt
	FROM t
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN c IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN na IS NULL OR trim(na) = '' THEN 'NOT_APPLICABLE'
	 WHEN left_days IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN left_days < :daysToExpiration THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN c IS NULL THEN 'certificate configuration not recorded in the configuration item'
	 WHEN na IS NULL OR trim(na) = ''
	   THEN 'certificate has no notAfter date (status '
		|| coalesce(c ->> '$.status', 'unknown') || ')'
	 WHEN left_days IS NULL THEN 'notAfter is not a date: ' || substr(na, 1, 100)
	 WHEN left_days < 0
	   THEN 'certificate expired ' || CAST(-left_days AS INTEGER) || ' days ago (notAfter '
		|| na_txt || ')'
	 WHEN left_days < :daysToExpiration
	   THEN 'certificate expires in ' || CAST(left_days AS INTEGER) || ' days (notAfter '
		|| na_txt
		|| '), within daysToExpiration ' || :daysToExpiration
	 ELSE 'certificate expires in ' || CAST(left_days AS INTEGER) || ' days (notAfter '
	      || na_txt
	      || ')'
       END AS annotation
FROM v;
