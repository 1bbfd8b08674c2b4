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
WITH acct AS (
	SELECT account_id, region, capture_time, configuration FROM current_items
	WHERE resource_type = 'AWS::S3::AccountPublicAccessBlock' AND configuration IS NOT NULL
),
b AS (
	-- The account-level block is account-wide but recorded per region:
	-- the bucket's region first, else the newest item of the account.
	SELECT c.item_key, c.resource_type, c.resource_id, c.account_id, c.region, c.status,
	       c.configuration, c.supplementary AS sup,
	       coalesce(same.configuration,
	                (SELECT a.configuration FROM acct AS a WHERE a.account_id = c.account_id
	                 ORDER BY a.capture_time DESC LIMIT 1)) AS acct_bpa
	FROM current_items AS c
	LEFT JOIN acct AS same ON same.account_id = c.account_id AND same.region = c.region
	WHERE c.resource_type = 'AWS::S3::Bucket'
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
grants AS (
	SELECT b3.item_key, b3.acl_ok AS doc, g.fullkey AS gk
	FROM b3, json_each(b3.acl_ok, '$.grantList') AS g
	WHERE g.type = 'object'
	UNION ALL
	SELECT b3.item_key, b3.acl_ok, g.fullkey
	FROM b3, json_each(b3.acl_ok, '$.grantSet') AS g
	WHERE g.type = 'object'
),
grants2 AS (
	-- The grantee is "AllUsers" / "AuthenticatedUsers" in Config items, or
	-- an object (canonical user, or a group URI in other shapes).
	SELECT item_key,
	       CASE json_type(doc, gk || '.grantee')
	            WHEN 'text' THEN json_extract(doc, gk || '.grantee')
	            WHEN 'object' THEN coalesce(json_extract(doc, gk || '.grantee.uri'),
	                                        json_extract(doc, gk || '.grantee.URI'),
	                                        json_extract(doc, gk || '.grantee.identifier'),
	                                        json_extract(doc, gk || '.grantee.id')) END AS who,
	       upper(replace(json_extract(doc, gk || '.permission'), '_', '')) AS perm
	FROM grants
),
acl_public AS (
	SELECT item_key,
	       min(CASE WHEN who LIKE '%AllUsers' THEN 'AllUsers' ELSE 'AuthenticatedUsers' END
	           || ' ' || perm) AS why
	FROM grants2
	WHERE (who IN ('AllUsers', 'AuthenticatedUsers')
	       OR who LIKE '%/groups/global/AllUsers'
	       OR who LIKE '%/groups/global/AuthenticatedUsers')
	  AND perm IN ('READ', 'FULLCONTROL')
	GROUP BY item_key
),
stmts AS (
	SELECT b3.item_key, s.value AS st, s.key AS idx
	FROM b3, json_each(CASE json_type(b3.pol_ok, '$.Statement')
	                   WHEN 'array' THEN json_extract(b3.pol_ok, '$.Statement')
	                   WHEN 'object'
	                        THEN json_array(json(json_extract(b3.pol_ok, '$.Statement')))
	                   END) AS s
	WHERE s.type = 'object'
),
public_stmts AS (
	-- Each statement alone, so that the action test applies to the
	-- statements policy_is_public finds public.
	SELECT item_key, st,
	       'statement ' || coalesce('"' || json_extract(st, '$.Sid') || '"', '#' || (idx + 1))
	           AS label
	FROM stmts
	WHERE json_extract(st, '$.Effect') = 'Allow'
	  AND policy_is_public(json_object('Version', '2012-10-17',
	                                   'Statement', json_array(json(st)))) = 1
),
actions AS (
	SELECT p.item_key, p.label, lower(a.value) AS act
	FROM public_stmts AS p,
	     json_each(CASE json_type(p.st, '$.Action')
	                    WHEN 'array' THEN json_extract(p.st, '$.Action')
	                    WHEN 'text' THEN json_array(json_extract(p.st, '$.Action')) END) AS a
	WHERE a.type = 'text'
),
policy_public AS (
	SELECT item_key, label || ' allows ' || act || ' to everyone' AS why
	FROM actions
	WHERE act GLOB 's3:get*' OR act GLOB 's3:list*'
	   OR 's3:getobject' GLOB act OR 's3:listbucket' GLOB act
	UNION ALL
	SELECT p.item_key, p.label || ' allows NotAction to everyone'
	FROM public_stmts AS p
	WHERE json_type(p.st, '$.NotAction') IS NOT NULL
	  AND NOT EXISTS (
	      SELECT 1
	      FROM json_each(CASE json_type(p.st, '$.NotAction')
	                          WHEN 'array' THEN json_extract(p.st, '$.NotAction')
	                          WHEN 'text' THEN json_array(json_extract(p.st, '$.NotAction'))
	                          END) AS n
	      WHERE n.type = 'text' AND 's3:getobject' GLOB lower(n.value))
),
policy_public1 AS (
	SELECT item_key, min(why) AS why FROM policy_public GROUP BY item_key
),
verdict AS (
	SELECT b3.*, ap.why AS acl_why, pp.why AS pol_why,
	       ap.why IS NOT NULL AND NOT (bkt_ignore_acls OR acc_ignore_acls) AS acl_bad,
	       pp.why IS NOT NULL AND NOT (bkt_restrict OR acc_restrict) AS pol_bad,
	       (ap.why IS NOT NULL AND bkt_ignore_acls) OR (pp.why IS NOT NULL AND bkt_restrict)
	           AS by_bucket,
	       (ap.why IS NOT NULL AND acc_ignore_acls) OR (pp.why IS NOT NULL AND acc_restrict)
	           AS by_account
	FROM b3
	LEFT JOIN acl_public AS ap ON ap.item_key = b3.item_key
	LEFT JOIN policy_public1 AS pp ON pp.item_key = b3.item_key
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
