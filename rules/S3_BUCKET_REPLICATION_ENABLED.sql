-- identifier: S3_BUCKET_REPLICATION_ENABLED
-- name: s3-bucket-replication-enabled
-- severity: medium (default: backup)
-- remediation: Add a replication rule to a destination bucket
--   (PutBucketReplication; versioning must be enabled on both buckets).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   ReplicationType: string, optional
-- description: Buckets must replicate: NON_COMPLIANT when supplementary
--   BucketReplicationConfiguration has no rule (or is absent), or when a
--   rule's status is not Enabled; with ReplicationType CROSS-REGION (or
--   SAME-REGION, any case) also when an enabled rule replicates to a
--   bucket in the same Region (or another Region); COMPLIANT otherwise.
--   Rules are read as Config records them (an object keyed by rule id, or
--   an array). The destination bucket's Region is not in the rule
--   (destinationConfig.bucketARN has none); it is taken from the
--   destination bucket's own item, in any recorded account. When that
--   bucket is not recorded the result is INSUFFICIENT_DATA, unless another
--   rule already makes the bucket NON_COMPLIANT. Other ReplicationType
--   values are ignored. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
-- missing: the Region of a destination bucket that is not recorded (aws
--   s3api get-bucket-location)
WITH b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       replication,
	       CASE upper(trim(:ReplicationType))
		 WHEN 'CROSS-REGION' THEN 'CROSS-REGION'
		 WHEN 'SAME-REGION' THEN 'SAME-REGION' END AS want
	FROM s3_bucket_facts
), r AS (
	SELECT b.item_key, b.region, b.want,
	       coalesce(json_extract(x.value, '$.id'),
			CASE WHEN x.type = 'object' AND typeof(x.key) = 'text' THEN x.key END,
			'#' || (x.key + 1)) AS rid,
	       json_extract(x.value, '$.status') AS rstatus,
	       coalesce(json_extract(x.value, '$.destinationConfig.bucketARN'),
			json_extract(x.value, '$.destination.bucketARN')) AS dest_arn
	FROM b, json_each(b.replication, '$.rules') AS x
	WHERE x.type = 'object'
), names AS (
	SELECT DISTINCT CASE WHEN dest_arn LIKE 'arn:%:s3:::%'
			     THEN substr(dest_arn, instr(dest_arn, ':::') + 3) ELSE dest_arn END AS dest
	FROM r WHERE dest_arn IS NOT NULL
), dest_region AS (
	SELECT n.dest, min(c.region) AS region
	FROM names AS n
	JOIN current_items AS c ON c.resource_type = 'AWS::S3::Bucket' AND c.resource_id = n.dest
	GROUP BY n.dest
), rd AS (
	SELECT r.*, d.region AS dregion,
	       CASE WHEN r.dest_arn LIKE 'arn:%:s3:::%'
		    THEN substr(r.dest_arn, instr(r.dest_arn, ':::') + 3) ELSE r.dest_arn END AS dest
	FROM r LEFT JOIN dest_region AS d
	  ON d.dest = CASE WHEN r.dest_arn LIKE 'arn:%:s3:::%'
			   THEN substr(r.dest_arn, instr(r.dest_arn, ':::') + 3) ELSE r.dest_arn END
), agg AS (
	SELECT item_key, count(*) AS n,
	       min(CASE WHEN rstatus IS NOT 'Enabled'
			THEN 'replication rule ' || rid || ' is ' || coalesce(rstatus, 'without status')
		   END) AS disabled,
	       min(CASE WHEN rstatus = 'Enabled' AND want IS NOT NULL AND dregion IS NOT NULL
			 AND (want = 'CROSS-REGION') = (dregion = region)
			THEN 'replication rule ' || rid || ' replicates to ' || dest || ' in ' || dregion
			     || ', not ' || lower(want) END) AS wrong,
	       min(CASE WHEN rstatus = 'Enabled' AND want IS NOT NULL AND dregion IS NULL
			THEN coalesce(dest, '(no destination)') END) AS unknown
	FROM rd GROUP BY item_key
)
SELECT b.resource_type, b.resource_id, b.account_id, b.region AS aws_region,
       CASE WHEN NOT b.recorded THEN 'INSUFFICIENT_DATA'
	    WHEN a.item_key IS NULL OR a.disabled IS NOT NULL OR a.wrong IS NOT NULL
		 THEN 'NON_COMPLIANT'
	    WHEN a.unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT b.recorded
		 THEN 'configuration not recorded (status ' || b.status || ')'
	    WHEN a.item_key IS NULL THEN 'the bucket has no replication rule'
	    WHEN a.disabled IS NOT NULL THEN a.disabled
	    WHEN a.wrong IS NOT NULL THEN a.wrong
	    WHEN a.unknown IS NOT NULL
		 THEN 'the Region of destination bucket ' || a.unknown || ' is not recorded (aws s3api '
		      || 'get-bucket-location)'
	    ELSE a.n || ' replication rule(s), all enabled' ||
		 CASE WHEN b.want IS NOT NULL THEN ', ' || lower(b.want) ELSE '' END END AS annotation
FROM b LEFT JOIN agg AS a ON a.item_key = b.item_key
