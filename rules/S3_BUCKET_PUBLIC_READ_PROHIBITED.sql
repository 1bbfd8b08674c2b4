-- identifier: S3_BUCKET_PUBLIC_READ_PROHIBITED
-- name: s3-bucket-public-read-prohibited
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes, periodic
-- parameters: (none)
-- description: Buckets must not allow public read access. NON_COMPLIANT
--   when Block Public Access does not restrict public policies and the
--   bucket policy allows public read, or when it does not restrict public
--   ACLs and the bucket ACL allows public read; COMPLIANT otherwise. Not
--   stated by AWS (natural reading): restrictPublicBuckets restricts
--   policies and ignorePublicAcls restricts ACLs, true at bucket level
--   (PublicAccessBlockConfiguration) or account level (the
--   AWS::S3::AccountPublicAccessBlock item of the same account, same
--   region preferred); a public-read ACL grants Read or FullControl to
--   AllUsers or AuthenticatedUsers; a public-read policy statement is an
--   Allow that policy_is_public() finds public (principal * without a
--   condition pinning fixed values) whose Action covers a read action:
--   s3:Get* / s3:List* actions, or a wildcard matching s3:GetObject or
--   s3:ListBucket (s3:*, *); a public NotAction statement counts unless
--   its NotAction covers s3:GetObject. An item without a recorded
--   configuration is INSUFFICIENT_DATA.
WITH
-- The buckets' Block Public Access flags, public ACL grants and public
-- policy statements are derived tables of the engine (cfgaudit-rules(5)),
-- shared with the public-write rule.
acl AS (
	SELECT item_key, min(grantee || ' ' || permission) AS why
	FROM s3_public_grants
	WHERE permission IN ('READ', 'FULLCONTROL')
	GROUP BY item_key
),
pol AS (
	SELECT item_key, min(why) AS why FROM (
		SELECT p.item_key,
		       CASE WHEN p.not_actions IS NOT NULL
		            THEN CASE WHEN NOT EXISTS (
		                           SELECT 1 FROM json_each(p.not_actions) AS n
		                           WHERE n.type = 'text' AND 's3:getobject' GLOB lower(n.value))
		                      THEN p.label || ' allows NotAction to everyone' END
		            ELSE (SELECT p.label || ' allows ' || min(lower(a.value)) || ' to everyone'
		                  FROM json_each(p.actions) AS a
		                  WHERE a.type = 'text'
		                    AND (lower(a.value) GLOB 's3:get*' OR lower(a.value) GLOB 's3:list*'
	             OR 's3:getobject' GLOB lower(a.value)
	             OR 's3:listbucket' GLOB lower(a.value)))
		            END AS why
		FROM s3_public_statements AS p)
	GROUP BY item_key
),
verdict AS (
	SELECT b.*, acl.why AS acl_why, pol.why AS pol_why,
	       acl.why IS NOT NULL AND NOT (bkt_ignore_acls OR acc_ignore_acls) AS acl_bad,
	       pol.why IS NOT NULL AND NOT (bkt_restrict OR acc_restrict) AS pol_bad,
	       (acl.why IS NOT NULL AND bkt_ignore_acls) OR (pol.why IS NOT NULL AND bkt_restrict)
	           AS by_bucket,
	       (acl.why IS NOT NULL AND acc_ignore_acls) OR (pol.why IS NOT NULL AND acc_restrict)
	           AS by_account
	FROM s3_bucket_access AS b
	LEFT JOIN acl ON acl.item_key = b.item_key
	LEFT JOIN pol ON pol.item_key = b.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN acl_bad OR pol_bad THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN acl_bad OR pol_bad
                 THEN trim(CASE WHEN pol_bad THEN 'bucket policy ' || pol_why ||
                                     ' and restrictPublicBuckets is off; ' ELSE '' END ||
                           CASE WHEN acl_bad THEN 'ACL grants ' || acl_why ||
                                     ' and ignorePublicAcls is off' ELSE '' END, '; ')
            WHEN pol_why IS NOT NULL OR acl_why IS NOT NULL
                 THEN 'public read in the ' ||
                      CASE WHEN pol_why IS NOT NULL AND acl_why IS NOT NULL THEN 'policy and ACL'
                           WHEN pol_why IS NOT NULL THEN 'policy'
                           ELSE 'ACL' END ||
                      ' is neutralised by Block Public Access (' ||
                      CASE WHEN by_bucket AND by_account THEN 'bucket and account'
                           WHEN by_bucket THEN 'bucket'
                           ELSE 'account' END || ' level)'
            ELSE 'neither the bucket policy nor the ACL allows public read' END AS annotation
FROM verdict
