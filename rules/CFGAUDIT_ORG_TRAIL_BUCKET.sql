-- identifier: CFGAUDIT_ORG_TRAIL_BUCKET
-- name: cfgaudit-org-trail-bucket
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- severity: medium (default: access)
-- remediation: Block public access, enable default encryption, versioning and an
--   expiring lifecycle rule, and limit the CloudTrail statement to
--   AWSLogs/<account>/ and AWSLogs/<org-id>/ with bucket-owner-full-control
--   and aws:SourceArn (PutBucketPolicy).
-- parameters:
--   trailBucketName: string, optional
--   trailName: string, optional
--   managementAccountId: string, optional
--   organizationId: string, optional
-- description: cfgaudit's own rule: the bucket the organization trail
--   writes to (trailBucketName, else the s3BucketName of every recorded
--   organization trail) must have, from its supplementaryConfiguration:
--   PublicAccessBlockConfiguration with all four settings true; a default
--   encryption rule (ServerSideEncryptionConfiguration); versioning Enabled
--   (BucketVersioningConfiguration); an Enabled lifecycle rule with an
--   expiration (BucketLifecycleConfiguration expirationInDays > 0 or
--   expirationDate); and a BucketPolicy in which at least one Allow
--   statement lets the service principal cloudtrail.amazonaws.com
--   s3:PutObject, and every such statement writes only under
--   .../AWSLogs/<managementAccountId>/* or .../AWSLogs/<organizationId>/*
--   (any 12-digit account and any o-... id when not given), requires
--   s3:x-amz-acl bucket-owner-full-control (StringEquals) and has an
--   aws:SourceArn condition naming a trail ARN without wildcards (named
--   trailName when given); no statement may be public (policy_is_public).
--   NON_COMPLIANT listing every failed check; COMPLIANT when none fails;
--   INSUFFICIENT_DATA when the bucket item has no configuration. Buckets
--   named but absent from the data give no result.
WITH names AS (
	SELECT :trailBucketName AS bname WHERE :trailBucketName IS NOT NULL
	UNION
	SELECT json_unstring(configuration) ->> '$.s3BucketName' FROM current_items
	WHERE :trailBucketName IS NULL AND resource_type = 'AWS::CloudTrail::Trail'
	  AND json_unstring(configuration) ->> '$.isOrganizationTrail' IN (1, 'true')
), b AS (
	SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,
	       c.configuration, c.supplementary AS sup,
	       coalesce(c.configuration ->> '$.name', c.resource_id) AS bname,
	       CASE json_type(c.supplementary, '$.BucketPolicy.policyText')
		    WHEN 'object' THEN json_extract(c.supplementary, '$.BucketPolicy.policyText')
		    WHEN 'text' THEN json_unstring(json_extract(c.supplementary,
								'$.BucketPolicy.policyText'))
	       END AS pol
	FROM current_items c
	WHERE c.resource_type = 'AWS::S3::Bucket'
	  AND coalesce(c.configuration ->> '$.name', c.resource_id) IN (SELECT bname FROM names)
), st AS (
	SELECT b.item_key, b.bname, s.value AS st
	FROM b, json_each(CASE json_type(b.pol, '$.Statement')
			       WHEN 'array' THEN json_extract(b.pol, '$.Statement')
			       WHEN 'object' THEN json_array(json(json_extract(b.pol, '$.Statement')))
			       ELSE '[]' END) s
	WHERE json_valid(b.pol) AND s.type = 'object'
), ct AS (
	-- Allow statements that let CloudTrail write objects
	SELECT st.* FROM st
	WHERE st.st ->> '$.Effect' = 'Allow'
	  AND EXISTS (SELECT 1 FROM json_each(st.st, '$.Principal.Service') p
		      WHERE p.value = 'cloudtrail.amazonaws.com')
	  AND EXISTS (SELECT 1 FROM json_each(st.st, '$.Action') a
		      WHERE lower(a.value) IN ('s3:putobject', 's3:*', '*', 's3:put*'))
), ct_bad AS (
	SELECT item_key,
	       min(coalesce('statement "' || (st ->> '$.Sid') || '"', 'a CloudTrail statement') || ': '
		   || CASE
			WHEN EXISTS (SELECT 1 FROM json_each(st, '$.Resource') r
				     WHERE NOT regexp('^arn:aws[a-z-]*:s3:::'
						       || replace(bname, '.', '\.')
						       || '/([^*]*/)?AWSLogs/('
						       || coalesce(:managementAccountId, '[0-9]{12}') || '|'
						       || coalesce(:organizationId, 'o-[a-z0-9]{10,32}')
						       || ')/\*$', r.value))
			  THEN 'writes outside AWSLogs/<account>/ and AWSLogs/<org-id>/'
			WHEN coalesce(st ->> '$.Condition.StringEquals."s3:x-amz-acl"', '')
			     <> 'bucket-owner-full-control'
			  THEN 'no s3:x-amz-acl bucket-owner-full-control condition'
			ELSE 'no aws:SourceArn condition naming the trail'
		      END) AS why
	FROM ct
	WHERE EXISTS (SELECT 1 FROM json_each(st, '$.Resource') r
		      WHERE NOT regexp('^arn:aws[a-z-]*:s3:::' || replace(bname, '.', '\.')
				       || '/([^*]*/)?AWSLogs/('
				       || coalesce(:managementAccountId, '[0-9]{12}') || '|'
				       || coalesce(:organizationId, 'o-[a-z0-9]{10,32}') || ')/\*$',
				       r.value))
	   OR coalesce(st ->> '$.Condition.StringEquals."s3:x-amz-acl"', '')
	      <> 'bucket-owner-full-control'
	   OR NOT EXISTS (SELECT 1 FROM json_tree(st, '$.Condition') t
			  WHERE lower(t.path || '.' || coalesce(t.key, '')) LIKE '%aws:sourcearn%'
			    AND t.type = 'text'
			    AND t.atom LIKE 'arn:%:cloudtrail:%:trail/%'
			    AND t.atom NOT LIKE '%*%' AND t.atom NOT LIKE '%?%'
			    AND (:trailName IS NULL OR t.atom LIKE '%:trail/' || :trailName))
	GROUP BY item_key
), chk AS (
	SELECT b.*,
	       trim(CASE WHEN (SELECT count(*) FROM json_each(b.sup,
					'$.PublicAccessBlockConfiguration') k
			       WHERE k.key IN ('blockPublicAcls', 'ignorePublicAcls',
					       'blockPublicPolicy', 'restrictPublicBuckets')
				 AND k.value IN (1, 'true')) = 4 THEN ''
			 ELSE 'public access block not all four true; ' END
	       || CASE WHEN EXISTS (SELECT 1 FROM json_each(b.sup,
					'$.ServerSideEncryptionConfiguration.rules') r
				    WHERE coalesce(json_extract(r.value,
					'$.applyServerSideEncryptionByDefault.sseAlgorithm'), '') <> '')
		       THEN '' ELSE 'no default encryption; ' END
	       || CASE WHEN b.sup ->> '$.BucketVersioningConfiguration.status' = 'Enabled' THEN ''
		       ELSE 'versioning not enabled; ' END
	       || CASE WHEN EXISTS (SELECT 1 FROM json_each(b.sup,
					'$.BucketLifecycleConfiguration.rules') r
				    WHERE json_extract(r.value, '$.status') = 'Enabled'
				      AND (json_extract(r.value, '$.expirationInDays') > 0
					   OR json_extract(r.value, '$.expirationDate') IS NOT NULL))
		       THEN '' ELSE 'no enabled lifecycle rule with an expiration; ' END
	       || CASE WHEN NOT json_valid(b.pol) THEN 'no bucket policy; '
		       WHEN policy_is_public(b.pol) = 1 THEN 'bucket policy is public; '
		       WHEN NOT EXISTS (SELECT 1 FROM ct WHERE ct.item_key = b.item_key)
			 THEN 'no policy statement lets cloudtrail.amazonaws.com write; '
		       ELSE coalesce((SELECT why || '; ' FROM ct_bad x
				      WHERE x.item_key = b.item_key), '') END, '; ') AS faults
	FROM b
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN faults <> '' THEN 'NON_COMPLIANT' ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
	      THEN 'configuration not recorded (status ' || status || ')'
	    WHEN faults <> '' THEN 'trail bucket ' || bname || ': ' || faults
	    ELSE 'trail bucket ' || bname || ': public access blocked, encrypted, versioned, '
		 || 'expiring, CloudTrail writes only under AWSLogs/ with '
		 || 'bucket-owner-full-control and aws:SourceArn'
       END AS annotation
FROM chk
