-- identifier: S3_BUCKET_POLICY_GRANTEE_CHECK
-- name: s3-bucket-policy-grantee-check
-- severity: medium (default: access)
-- remediation: Remove principals that are not on the allowed lists from the
--   bucket policy (PutBucketPolicy).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   awsPrincipals: csv, optional
--   servicePrincipals: csv, optional
--   federatedUsers: csv, optional
--   ipAddresses: csv, optional
--   vpcIds: csv, optional
-- description: Access granted by a bucket policy must be restricted to the
--   listed grantees: COMPLIANT when the bucket has no policy
--   (BucketPolicy.policyText null or absent); otherwise each Allow
--   statement is checked on its own, and the bucket is NON_COMPLIANT when
--   one is not restricted, COMPLIANT when all are. A statement is
--   restricted when every principal it names is listed (AWS principals in
--   awsPrincipals, Service in servicePrincipals, Federated in
--   federatedUsers), or when its Condition limits it to listed networks:
--   IpAddress on aws:SourceIp with every value inside a block of
--   ipAddresses, or StringEquals on aws:SourceVpc with every value in
--   vpcIds. awsPrincipals entries match a principal exactly, as a pattern
--   with * or ? (arn:aws:iam::111122223333:role/*), or as a 12-digit
--   account id, which covers that account's root and every principal ARN
--   of that account. Not stated by AWS: Deny statements grant nothing and
--   are skipped; a statement with NotPrincipal or Principal "*" is
--   restricted only by its condition; with no parameter given, every Allow
--   statement is unrestricted. A policy that is not readable JSON, or an
--   item without a recorded configuration, is INSUFFICIENT_DATA, and so is
--   a BucketPolicy (or its policyText) recorded as a value of the wrong
--   type (a string that is not JSON, a number): it is not "no policy".
WITH RECURSIVE split(rest, part) AS (
	SELECT :awsPrincipals || ',', NULL WHERE :awsPrincipals IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM split WHERE rest <> ''
), aws_ok AS (
	SELECT DISTINCT part AS v,
	       CASE WHEN part REGEXP '^[0-9]{12}$' THEN part
		    WHEN part REGEXP '^arn:[^:]+:iam::[0-9]{12}:root$'
		      THEN substr(part, instr(part, 'iam::') + 5, 12) END AS acct
	FROM split WHERE part IS NOT NULL AND part <> ''
), ips(rest, part) AS (
	SELECT :ipAddresses || ',', NULL WHERE :ipAddresses IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM ips WHERE rest <> ''
), ip_ok AS (
	SELECT DISTINCT part AS cidr FROM ips WHERE part IS NOT NULL AND part <> ''
), b AS (
	SELECT f.item_key, f.resource_type, f.resource_id, f.account_id, f.region, f.status,
	       f.recorded, f.policy AS pol,
	       -- a policy that s3_bucket_facts leaves NULL because the member
	       -- is of the wrong type (policy_bad_type), looked up in the item
	       -- itself: only then, a correlated read of the whole item
	       CASE WHEN f.recorded AND f.policy IS NULL AND f.policy_bad_type
		    THEN (SELECT CASE WHEN json_type(c.supplementary, '$.BucketPolicy')
					   NOT IN ('object', 'null')
				      THEN 'BucketPolicy is not an object'
				      WHEN json_type(c.supplementary, '$.BucketPolicy.policyText')
					   NOT IN ('object', 'text', 'null')
				      THEN 'BucketPolicy.policyText is neither a document nor text'
				 END
			  FROM current_items AS c
			  WHERE c.resource_id = f.resource_id AND c.item_key = f.item_key) END AS odd
	FROM s3_bucket_facts AS f
), p AS (
	SELECT *, CASE WHEN json_valid(pol) AND json_type(pol) = 'object' THEN pol END AS doc
	FROM b
), st AS (
	-- One row per Allow statement (s3_policy_statements): idx is its
	-- position in the policy, sv the statement.
	SELECT item_key, idx, stmt AS sv,
	       'statement ' || coalesce('"' || json_extract(stmt, '$.Sid') || '"', '#' || (idx + 1))
	           AS label
	FROM s3_policy_statements
	WHERE effect = 'Allow'
), pr AS (
	-- One row per principal of a statement: kind (AWS, Service, ...) and value.
	SELECT st.item_key, st.idx, 'AWS' AS kind, json_extract(st.sv, '$.Principal') AS v
	FROM st WHERE json_type(st.sv, '$.Principal') = 'text'
	UNION ALL
	SELECT st.item_key, st.idx, k.key, v.value
	FROM st, json_each(st.sv, '$.Principal') AS k, json_each(st.sv, k.fullkey) AS v
	WHERE json_type(st.sv, '$.Principal') = 'object'
), pr_bad AS (
	SELECT item_key, idx, min(kind || ' ' || coalesce(v, 'null')) AS who
	FROM pr
	WHERE NOT CASE kind
		WHEN 'AWS' THEN EXISTS (
			SELECT 1 FROM aws_ok AS a
			WHERE a.v = pr.v OR pr.v GLOB a.v
			   OR (a.acct IS NOT NULL
			       AND (pr.v = a.acct
				    OR pr.v LIKE 'arn:%:iam::' || a.acct || ':%')))
		WHEN 'Service' THEN coalesce(csv_contains(:servicePrincipals, pr.v), 0)
		WHEN 'Federated' THEN coalesce(csv_contains(:federatedUsers, pr.v), 0)
		ELSE 0 END
	GROUP BY item_key, idx
), cond_ok AS (
	-- Statements a condition limits to listed networks.
	SELECT item_key, idx FROM (
		SELECT st.item_key, st.idx, op.key AS op, ck.key AS ckey,
		       count(*) AS n,
		       sum(CASE WHEN lower(ck.key) = 'aws:sourceip'
				THEN EXISTS (SELECT 1 FROM ip_ok
					     WHERE coalesce(cidr_contains(ip_ok.cidr, cv.value), 0))
				ELSE coalesce(csv_contains(:vpcIds, cv.value), 0) END) AS good
		FROM st, json_each(st.sv, '$.Condition') AS op,
		     json_each(st.sv, op.fullkey) AS ck, json_each(st.sv, ck.fullkey) AS cv
		WHERE json_type(st.sv, '$.Condition') = 'object' AND op.type = 'object'
		  AND ((op.key IN ('IpAddress', 'ForAnyValue:IpAddress')
			AND lower(ck.key) = 'aws:sourceip')
		       OR (op.key IN ('StringEquals', 'ForAnyValue:StringEquals')
			   AND lower(ck.key) = 'aws:sourcevpc'))
		GROUP BY st.item_key, st.idx, op.key, ck.key)
	WHERE n > 0 AND good = n
	GROUP BY item_key, idx
), open_st AS (
	-- One row per statement that nothing restricts, with the reason.
	SELECT st.item_key,
	       st.label || CASE
		 WHEN json_type(st.sv, '$.NotPrincipal') IS NOT NULL
		   THEN ' uses NotPrincipal'
		 WHEN pb.who IS NOT NULL THEN ' grants ' || pb.who
		 ELSE ' names no principal' END AS why
	FROM st
	LEFT JOIN pr_bad AS pb ON pb.item_key = st.item_key AND pb.idx = st.idx
	LEFT JOIN cond_ok AS c ON c.item_key = st.item_key AND c.idx = st.idx
	WHERE c.item_key IS NULL
	  AND (pb.item_key IS NOT NULL
	       OR json_type(st.sv, '$.Principal') IS NULL
	       OR json_type(st.sv, '$.NotPrincipal') IS NOT NULL)
), o AS (
	-- The open statements, per bucket.
	SELECT item_key, count(*) AS n, min(why) AS why FROM open_st GROUP BY item_key
), v AS (
	SELECT p.item_key, p.resource_type, p.resource_id, p.account_id, p.region, p.status,
	       NOT p.recorded AS no_conf, p.pol IS NOT NULL AS has_pol, p.odd,
	       p.doc IS NOT NULL AS has_doc, coalesce(o.n, 0) AS n, o.why AS why
	FROM p LEFT JOIN o ON o.item_key = p.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN NOT has_pol AND odd IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN NOT has_pol THEN 'COMPLIANT'
	    WHEN NOT has_doc THEN 'INSUFFICIENT_DATA'
	    WHEN n > 0 THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	    WHEN NOT has_pol AND odd IS NOT NULL
		 THEN 'cannot tell whether the bucket has a bucket policy: supplementary ' || odd
		      || ' (aws s3api get-bucket-policy)'
	    WHEN NOT has_pol THEN 'the bucket has no bucket policy'
	    WHEN NOT has_doc THEN 'the bucket policy is not readable JSON'
	    WHEN n > 0
		 THEN why || ', not restricted to the listed grantees' ||
		      CASE WHEN n > 1 THEN ' (' || n || ' such statements)' ELSE '' END
	    ELSE 'every Allow statement is restricted to the listed grantees' END AS annotation
FROM v
