-- identifier: ELB_ACM_CERTIFICATE_REQUIRED
-- name: elb-acm-certificate-required
-- severity: medium (Security Hub ELB.2)
-- remediation: Use an ACM certificate on every HTTPS and SSL listener
--   (SetLoadBalancerListenerSSLCertificate SSLCertificateId=<ACM ARN>).
-- resource-types: AWS::ElasticLoadBalancing::LoadBalancer
-- trigger: configuration-changes
-- parameters: (none)
-- description: The SSL and HTTPS listeners of a Classic Load Balancer must
--   use certificates from AWS Certificate Manager: NON_COMPLIANT when such
--   a listener's certificate (listenerDescriptions[].listener
--   .sslcertificateId, read through elb_listeners) is not an ACM
--   certificate ARN (arn:PARTITION:acm:...), for example an IAM server
--   certificate (arn:aws:iam::ACCOUNT:server-certificate/NAME); COMPLIANT
--   when all of them are. A load balancer without an SSL or HTTPS
--   listener is NOT_APPLICABLE (the page says the rule needs one; the
--   verdict is not stated by AWS). A secure listener recorded without a
--   certificate id, or an item without its configuration, gives
--   INSUFFICIENT_DATA.
WITH lb AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::ElasticLoadBalancing::LoadBalancer'
), tls AS (
	-- Secure listeners with their certificate (classic listeners have one).
	SELECT l.lb_item_key, l.protocol, l.port, l.certificates ->> '$[0]' AS cert
	FROM elb_listeners AS l
	WHERE l.secure AND l.lb_type = 'AWS::ElasticLoadBalancing::LoadBalancer'
), v AS (
	SELECT lb.*,
	       (SELECT count(*) FROM tls WHERE tls.lb_item_key = lb.item_key) AS n_tls,
	       (SELECT 'listener ' || protocol || ':' || coalesce(port, '?') || ' uses ' || cert
		       || ', not an ACM certificate'
		FROM tls WHERE tls.lb_item_key = lb.item_key
		  AND NOT regexp('^arn:aws[a-z-]*:acm:', cert)
		ORDER BY port LIMIT 1) AS failing,
	       (SELECT 'listener ' || protocol || ':' || coalesce(port, '?')
		FROM tls WHERE tls.lb_item_key = lb.item_key AND coalesce(cert, '') = ''
		ORDER BY port LIMIT 1) AS no_cert
	FROM lb
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN n_tls = 0 THEN 'NOT_APPLICABLE'
	 WHEN failing IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN no_cert IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN n_tls = 0 THEN 'the load balancer has no SSL or HTTPS listener'
	 WHEN failing IS NOT NULL THEN failing
	 WHEN no_cert IS NOT NULL
	   THEN no_cert || ' has no certificate id in the configuration item (aws elb '
		|| 'describe-load-balancers)'
	 ELSE 'all ' || n_tls || ' SSL/HTTPS listener(s) use ACM certificates'
       END AS annotation
FROM v;
