-- identifier: ELBV2_ACM_CERTIFICATE_REQUIRED
-- name: elbv2-acm-certificate-required
-- severity: medium (default: encryption)
-- remediation: Use an ACM certificate on every HTTPS and TLS listener
--   (ModifyListener Certificates=<ACM ARN>).
-- resource-types: AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: periodic
-- parameters:
--   AcmCertificatesAllowed: csv, optional
-- description: The listeners of Application and Network Load Balancers
--   that take certificates (HTTPS and TLS) must use ACM certificates:
--   NON_COMPLIANT when such a listener (an AWS::ElasticLoadBalancingV2::
--   Listener item, Certificates[].CertificateArn, read through
--   elb_listeners) has a certificate that is not an ACM ARN
--   (arn:PARTITION:acm:...), such as an IAM server certificate, or, with
--   AcmCertificatesAllowed, one not in that list; COMPLIANT when all of
--   them pass. AWS's page leaves open what a load balancer with only HTTP,
--   TCP or UDP listeners gets; such listeners carry no certificate, and
--   the load balancer is NOT_APPLICABLE here, as are Gateway Load
--   Balancers. Listener items are separate from the load balancer's, so
--   COMPLIANT and NOT_APPLICABLE need the complete listener set: only where
--   inventory_coverage lists the account and region; elsewhere, without a
--   failing listener, INSUFFICIENT_DATA (aws elbv2 describe-listeners);
--   and since a snapshot holds listeners only if the recorder records that
--   type, a load balancer without listeners where no listener item exists
--   in its account and region is INSUFFICIENT_DATA too. A
--   secure listener without a recorded certificate, or an item without its
--   configuration, is INSUFFICIENT_DATA. A listener item lists its default
--   certificate; extra SNI certificates (aws elbv2
--   describe-listener-certificates) are checked only if recorded there.
-- missing: SNI certificates of a listener beyond its default one (aws elbv2
--   describe-listener-certificates), when the listener item does not list them
WITH lb AS (
	-- kind, covered and listeners_seen: see elbv2_load_balancers in
	-- cfgaudit-rules(5)
	SELECT * FROM elbv2_load_balancers
), tls AS (
	-- HTTPS and TLS listeners, and each of their certificates (a listener
	-- without one gives a row with a NULL cert).
	SELECT l.lb_item_key, l.listener, l.protocol, l.port, k.value AS cert
	FROM elb_listeners AS l LEFT JOIN json_each(l.certificates) AS k
	WHERE l.secure AND l.lb_item_key IS NOT NULL
), v AS MATERIALIZED (
	-- MATERIALIZED: its subqueries and JSON reads once per row, not once
	-- for each time the statement below names a column.
	SELECT lb.*,
	       (SELECT count(DISTINCT listener) FROM tls
		WHERE tls.lb_item_key = lb.item_key) AS n_tls,
	       (SELECT count(*) FROM elb_listeners AS l
		WHERE l.lb_item_key = lb.item_key) AS n_listeners,
	       (SELECT 'listener ' || protocol || ':' || coalesce(port, '?') || ' uses ' || cert
		       || CASE WHEN regexp('^arn:aws[a-z-]*:acm:', cert)
			       THEN ', not listed in AcmCertificatesAllowed'
			       ELSE ', not an ACM certificate' END
		FROM tls WHERE tls.lb_item_key = lb.item_key AND cert IS NOT NULL
		  AND (NOT regexp('^arn:aws[a-z-]*:acm:', cert)
		       OR :AcmCertificatesAllowed IS NOT NULL
			  AND NOT csv_contains(:AcmCertificatesAllowed, cert))
		ORDER BY port LIMIT 1) AS failing,
	       (SELECT 'listener ' || protocol || ':' || coalesce(port, '?')
		FROM tls WHERE tls.lb_item_key = lb.item_key AND cert IS NULL
		ORDER BY port LIMIT 1) AS no_cert
	FROM lb
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
	 WHEN kind = 'gateway' THEN 'NOT_APPLICABLE'
	 WHEN failing IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN no_cert IS NOT NULL OR NOT covered OR n_listeners = 0 AND NOT listeners_seen
	   THEN 'INSUFFICIENT_DATA'
	 WHEN n_tls = 0 THEN 'NOT_APPLICABLE'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN NOT recorded
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN kind = 'gateway'
	   THEN 'rule applies to Application and Network Load Balancers; this is a gateway '
		|| 'load balancer'
	 WHEN failing IS NOT NULL THEN failing
	 WHEN no_cert IS NOT NULL
	   THEN no_cert || ' has no certificate in the configuration item (aws elbv2 '
		|| 'describe-listeners)'
	 WHEN NOT covered
	   THEN n_tls || ' HTTPS/TLS listener(s) recorded, none failing, but no configuration '
		|| 'snapshot of ' || account_id || '/' || region || ' at or before ' || as_of()
		|| ' shows the listeners are all (aws elbv2 describe-listeners)'
	 WHEN n_listeners = 0 AND NOT listeners_seen
	   THEN 'no listener item of any load balancer in ' || account_id || '/' || region
		|| ': AWS::ElasticLoadBalancingV2::Listener may not be recorded (aws elbv2 '
		|| 'describe-listeners)'
	 WHEN n_tls = 0 THEN 'the load balancer has no HTTPS or TLS listener'
	 ELSE 'all ' || n_tls || ' HTTPS/TLS listener(s) use '
	      || CASE WHEN :AcmCertificatesAllowed IS NULL THEN 'ACM certificates'
		      ELSE 'certificates listed in AcmCertificatesAllowed' END
       END AS annotation
FROM v;
