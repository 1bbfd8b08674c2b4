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
WITH b AS (
	-- The account-level block is account-wide but recorded per region
	-- (resourceId = account ID): the bucket's region first, else the
	-- newest item of the account. Looked up per bucket by resource id.
	SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,
	       c.configuration, c.supplementary AS sup,
	       coalesce(
	           (SELECT a.configuration FROM current_items AS a
	            WHERE a.resource_id = c.account_id AND a.account_id = c.account_id
	              AND a.resource_type = 'AWS::S3::AccountPublicAccessBlock'
	              AND a.region = c.region AND a.configuration IS NOT NULL),
	           (SELECT a.configuration FROM current_items AS a
	            WHERE a.resource_id = c.account_id AND a.account_id = c.account_id
	              AND a.resource_type = 'AWS::S3::AccountPublicAccessBlock'
	              AND a.configuration IS NOT NULL
	            ORDER BY a.capture_time DESC LIMIT 1)) AS acct_bpa
	FROM current_items AS c
	WHERE c.resource_type = 'AWS::S3::Bucket'
	-- one row per item already; the GROUP BY makes SQLite evaluate the
	-- subqueries once instead of inlining them into every later use
	GROUP BY c.item_key
),
b2 AS (
	SELECT b.*,
	       json_extract(sup, '$.PublicAccessBlockConfiguration') AS bkt_bpa,
	       -- ACL and policy: objects after ingest; JSON text (possibly one
	       -- more level of string) when not normalised.
	       CASE json_type(sup, '$.AccessControlList')
	            WHEN 'object' THEN json_extract(sup, '$.AccessControlList')
	            WHEN 'text' THEN json_unstring(json_extract(sup, '$.AccessControlList'))
	            END AS acl,
	       CASE json_type(sup, '$.BucketPolicy.policyText')
	            WHEN 'object' THEN json_extract(sup, '$.BucketPolicy.policyText')
	            WHEN 'text' THEN json_unstring(json_extract(sup, '$.BucketPolicy.policyText'))
	            END AS pol
	FROM b
),
b3 AS (
	SELECT b2.*,
	       coalesce(json_extract(bkt_bpa, '$.ignorePublicAcls') IN (1, 'true'), 0)
	           AS bkt_ignore_acls,
	       coalesce(json_extract(acct_bpa, '$.ignorePublicAcls') IN (1, 'true'), 0)
	           AS acc_ignore_acls,
	       coalesce(json_extract(bkt_bpa, '$.restrictPublicBuckets') IN (1, 'true'), 0)
	           AS bkt_restrict,
	       coalesce(json_extract(acct_bpa, '$.restrictPublicBuckets') IN (1, 'true'), 0)
	           AS acc_restrict,
	       CASE WHEN json_valid(acl) THEN acl END AS acl_ok,
	       CASE WHEN json_valid(pol) THEN pol END AS pol_ok
	FROM b2
),
b4 AS (
	SELECT b3.*,
	       CASE json_type(pol_ok, '$.Statement')
	            WHEN 'array' THEN json_extract(pol_ok, '$.Statement')
	            WHEN 'object' THEN json_array(json(json_extract(pol_ok, '$.Statement')))
	            END AS stmts
	FROM b3
),
b5 AS (
	-- Per bucket, from its own documents: the first public ACL grant, and
	-- the first public statement (policy_is_public on each statement
	-- alone) that grants a read action.
	SELECT b4.*,
	       (SELECT min(CASE WHEN who LIKE '%AllUsers' THEN 'AllUsers'
	                        ELSE 'AuthenticatedUsers' END || ' ' || perm)
	        FROM (SELECT CASE json_type(g.value, '$.grantee')
	                     WHEN 'text' THEN json_extract(g.value, '$.grantee')
	                     WHEN 'object'
	                          THEN coalesce(json_extract(g.value, '$.grantee.uri'),
	                                        json_extract(g.value, '$.grantee.URI'),
	                                        json_extract(g.value, '$.grantee.identifier'),
	                                        json_extract(g.value, '$.grantee.id'))
	                     END AS who,
	                     upper(replace(json_extract(g.value, '$.permission'), '_', '')) AS perm
	              FROM json_each(b4.acl_ok) AS top, json_each(top.value) AS g
	              WHERE top.key IN ('grantList', 'grantSet') AND top.type = 'array'
	                AND g.type = 'object')
	        WHERE (who IN ('AllUsers', 'AuthenticatedUsers')
	               OR who LIKE '%/groups/global/AllUsers'
	               OR who LIKE '%/groups/global/AuthenticatedUsers')
	          AND perm IN ('READ', 'FULLCONTROL')) AS acl_why,
	       (SELECT min(why) FROM (
	        SELECT CASE WHEN p.notacts IS NOT NULL
	               THEN CASE WHEN NOT EXISTS (
	                              SELECT 1 FROM json_each(p.notacts) AS n
	                              WHERE n.type = 'text' AND 's3:getobject' GLOB lower(n.value))
	                         THEN p.label || ' allows NotAction to everyone' END
	               ELSE (SELECT p.label || ' allows ' || min(lower(a.value)) || ' to everyone'
	                     FROM json_each(p.acts) AS a
	                     WHERE a.type = 'text'
	                       AND (lower(a.value) GLOB 's3:get*' OR lower(a.value) GLOB 's3:list*'
	                            OR 's3:getobject' GLOB lower(a.value)
	                            OR 's3:listbucket' GLOB lower(a.value)))
	               END AS why
	        FROM (SELECT 'statement ' || coalesce('"' || json_extract(s.value, '$.Sid') || '"',
	                                              '#' || (s.key + 1)) AS label,
	                     CASE json_type(s.value, '$.Action')
	                          WHEN 'array' THEN json_extract(s.value, '$.Action')
	                          WHEN 'text' THEN json_array(json_extract(s.value, '$.Action'))
	                          END AS acts,
	                     CASE json_type(s.value, '$.NotAction')
	                          WHEN 'array' THEN json_extract(s.value, '$.NotAction')
	                          WHEN 'text' THEN json_array(json_extract(s.value, '$.NotAction'))
	                          END AS notacts
	              FROM json_each(b4.stmts) AS s
	              WHERE s.type = 'object' AND json_extract(s.value, '$.Effect') = 'Allow'
	                AND policy_is_public(json_object('Version', '2012-10-17',
	                                                 'Statement', json_array(json(s.value))))
	                    = 1) AS p)) AS pol_why
	FROM b4
	-- one row per item already; the GROUP BY makes SQLite evaluate the
	-- subqueries once instead of inlining them into every later use
	GROUP BY b4.item_key
),
verdict AS (
	SELECT b5.*,
	       acl_why IS NOT NULL AND NOT (bkt_ignore_acls OR acc_ignore_acls) AS acl_bad,
	       pol_why IS NOT NULL AND NOT (bkt_restrict OR acc_restrict) AS pol_bad,
	       (acl_why IS NOT NULL AND bkt_ignore_acls) OR (pol_why IS NOT NULL AND bkt_restrict)
	           AS by_bucket,
	       (acl_why IS NOT NULL AND acc_ignore_acls) OR (pol_why IS NOT NULL AND acc_restrict)
	           AS by_account
	FROM b5
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN acl_bad OR pol_bad THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
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
