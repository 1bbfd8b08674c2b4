-- identifier: ELB_LOGGING_ENABLED
-- name: elb-logging-enabled
-- severity: medium (Security Hub ELB.5)
-- remediation: Enable access logs to an S3 bucket (ModifyLoadBalancerAttributes
--   AccessLog.Enabled=true, or access_logs.s3.enabled=true and
--   access_logs.s3.bucket).
-- resource-types: AWS::ElasticLoadBalancing::LoadBalancer, AWS::ElasticLoadBalancingV2::LoadBalancer
-- trigger: configuration-changes
-- parameters:
--   s3BucketNames: csv, optional
-- description: Classic and Application Load Balancers must write access
--   logs: NON_COMPLIANT when access logging is off, or (with s3BucketNames)
--   the log bucket is not listed; COMPLIANT otherwise. Network and Gateway
--   Load Balancers are NOT_APPLICABLE (the rule page excludes them).
--   Application: supplementaryConfiguration.LoadBalancerAttributes entries
--   access_logs.s3.enabled / access_logs.s3.bucket. Classic:
--   LoadBalancerAttributes.accessLog.enabled / .s3BucketName. An item
--   without load balancer attributes gives INSUFFICIENT_DATA (aws elbv2 or
--   aws elb describe-load-balancer-attributes).
WITH lb AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	-- The load balancer's type is read here, not its configuration
	-- copied into the materialized rows (as it is when an object's text,
	-- as json_unstring would return it, else unstrung).
	SELECT resource_type, resource_id, account_id, region,
	       CASE WHEN resource_type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
		    THEN lower(coalesce(CASE WHEN configuration LIKE '{%' THEN configuration
					     ELSE json_unstring(configuration) END ->> '$.type',
					'application'))
		    ELSE 'classic' END AS kind,
	       (SELECT CASE WHEN json_valid(x) THEN x END
		FROM (SELECT json_unstring(json_unstring(supplementary)
					   ->> '$.LoadBalancerAttributes') AS x)) AS la
	FROM current_items
	WHERE resource_type IN ('AWS::ElasticLoadBalancing::LoadBalancer',
				'AWS::ElasticLoadBalancingV2::LoadBalancer')
), v AS (
	SELECT *,
	       coalesce(json_type(la) IN ('array', 'object'), 0) AS has_attrs,
	       CASE
		 WHEN NOT coalesce(json_type(la) IN ('array', 'object'), 0) THEN NULL
		 WHEN json_type(la) = 'array'
		   THEN (SELECT CASE json_type(j.value, '$.value')
				  WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
				  ELSE lower(j.value ->> '$.value')
				END
			 FROM json_each(la) j
			 WHERE j.type = 'object'
			   AND j.value ->> '$.key' = 'access_logs.s3.enabled')
		 ELSE CASE json_type(la, '$.accessLog.enabled')
			WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
			ELSE lower(la ->> '$.accessLog.enabled')
		      END
	       END AS enabled,
	       CASE
		 WHEN NOT coalesce(json_type(la) IN ('array', 'object'), 0) THEN NULL
		 WHEN json_type(la) = 'array'
		   THEN (SELECT j.value ->> '$.value' FROM json_each(la) j
			 WHERE j.type = 'object'
			   AND j.value ->> '$.key' = 'access_logs.s3.bucket')
		 ELSE la ->> '$.accessLog.s3BucketName'
	       END AS bucket
	FROM lb
), w AS (
	SELECT *, enabled IN ('1', 'true') AS on_, coalesce(bucket, '') AS b FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN kind IN ('network', 'gateway') THEN 'NOT_APPLICABLE'
	 WHEN NOT coalesce(has_attrs, 0) THEN 'INSUFFICIENT_DATA'
	 WHEN NOT coalesce(on_, 0) THEN 'NON_COMPLIANT'
	 WHEN :s3BucketNames IS NOT NULL AND NOT csv_contains(:s3BucketNames, b)
	   THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN kind IN ('network', 'gateway')
	   THEN 'rule does not apply to ' || kind || ' load balancers'
	 WHEN NOT coalesce(has_attrs, 0)
	   THEN 'LoadBalancerAttributes are not in the configuration item (aws elbv2/elb '
		|| 'describe-load-balancer-attributes)'
	 WHEN NOT coalesce(on_, 0)
	   THEN CASE WHEN kind = 'classic' THEN 'accessLog.enabled'
		     ELSE 'access_logs.s3.enabled' END
		|| ' is ' || coalesce(enabled, 'not set') || ': access logging is off'
	 WHEN :s3BucketNames IS NOT NULL AND NOT csv_contains(:s3BucketNames, b)
	   THEN 'access logs go to bucket ' || coalesce(nullif(b, ''), '(none)')
		|| ', not listed in s3BucketNames'
	 ELSE 'access logs go to bucket ' || coalesce(nullif(b, ''), '(unknown)')
       END AS annotation
FROM w;
