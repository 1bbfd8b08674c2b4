-- Shared statement of S3_BUCKET_PUBLIC_READ_PROHIBITED and
-- S3_BUCKET_PUBLIC_WRITE_PROHIBITED: one check for two kinds of access.
-- Each rule sets the constants (cfgaudit-rules(5), "constant:"):
--   :access          the word for the access in annotations (read, write)
--   :aclPermission   the ACL permission that grants it besides FULLCONTROL
--                    (READ, WRITE)
--   :actionPatterns  JSON array of GLOB patterns: a policy Action (lower
--                    case) matching one grants the access
--   :wildcardProbes  JSON array of actions: a policy Action (lower case)
--                    that is a pattern matching one grants the access
--   :notActionProbe  the action a public NotAction statement must exclude
--                    not to count
-- The buckets' Block Public Access flags, public ACL grants and public
-- policy statements are derived tables of the engine (cfgaudit-rules(5)).
-- A bucket whose verdict depends on a member that cannot be read (a
-- string that is not JSON) is INSUFFICIENT_DATA, naming the member.
WITH
acl AS (
	SELECT item_key, min(grantee || ' ' || permission) AS why
	FROM s3_public_grants
	WHERE permission IN (:aclPermission, 'FULLCONTROL')
	GROUP BY item_key
),
pol AS (
	SELECT item_key, min(why) AS why FROM (
		SELECT p.item_key,
		       CASE WHEN p.not_actions IS NOT NULL
		            THEN CASE WHEN NOT EXISTS (
		                           SELECT 1 FROM json_each(p.not_actions) AS n
		                           WHERE n.type = 'text' AND :notActionProbe GLOB lower(n.value))
		                      THEN p.label || ' allows NotAction to everyone' END
		            ELSE (SELECT p.label || ' allows ' || min(lower(a.value)) || ' to everyone'
		                  FROM json_each(p.actions) AS a
		                  WHERE a.type = 'text'
		                    AND (EXISTS (SELECT 1 FROM json_each(:actionPatterns) AS g
		                                 WHERE lower(a.value) GLOB g.value)
		                         OR EXISTS (SELECT 1 FROM json_each(:wildcardProbes) AS w
		                                    WHERE w.value GLOB lower(a.value))))
		            END AS why
		FROM s3_public_statements AS p)
	GROUP BY item_key
),
verdict AS (
	SELECT b.*, acl.why AS acl_why, pol.why AS pol_why,
	       acl.why IS NOT NULL AND NOT (bkt_ignore_acls OR acc_ignore_acls)
	           AND NOT bpa_unreadable AS acl_bad,
	       pol.why IS NOT NULL AND NOT (bkt_restrict OR acc_restrict)
	           AND NOT bpa_unreadable AS pol_bad,
	       (acl.why IS NOT NULL AND bkt_ignore_acls) OR (pol.why IS NOT NULL AND bkt_restrict)
	           AS by_bucket,
	       (acl.why IS NOT NULL AND acc_ignore_acls) OR (pol.why IS NOT NULL AND acc_restrict)
	           AS by_account,
	       -- What could grant the access but cannot be read (a string that
	       -- is not JSON), unless the account's settings neutralise it.
	       nullif(trim(
	           CASE WHEN bpa_unreadable
	                     AND ((acl.why IS NOT NULL OR acl_unreadable) AND NOT acc_ignore_acls
	                          OR (pol.why IS NOT NULL OR policy_unreadable) AND NOT acc_restrict)
	                THEN 'PublicAccessBlockConfiguration, ' ELSE '' END ||
	           CASE WHEN acl_unreadable AND NOT (bkt_ignore_acls OR acc_ignore_acls)
	                THEN 'AccessControlList, ' ELSE '' END ||
	           CASE WHEN policy_unreadable AND NOT (bkt_restrict OR acc_restrict)
	                THEN 'BucketPolicy.policyText, ' ELSE '' END, ', '), '') AS unreadable
	FROM s3_bucket_access AS b
	LEFT JOIN acl ON acl.item_key = b.item_key
	LEFT JOIN pol ON pol.item_key = b.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN acl_bad OR pol_bad THEN 'NON_COMPLIANT'
            WHEN unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN acl_bad OR pol_bad
                 THEN trim(CASE WHEN pol_bad THEN 'bucket policy ' || pol_why ||
                                     ' and restrictPublicBuckets is off; ' ELSE '' END ||
                           CASE WHEN acl_bad THEN 'ACL grants ' || acl_why ||
                                     ' and ignorePublicAcls is off' ELSE '' END, '; ')
            WHEN unreadable IS NOT NULL
                 THEN 'cannot tell whether the bucket allows public ' || :access ||
                      ': supplementary ' || unreadable ||
                      ' is not readable JSON (aws s3api get-bucket-acl, get-bucket-policy,'
                      || ' get-public-access-block)'
            WHEN pol_why IS NOT NULL OR acl_why IS NOT NULL
                 THEN 'public ' || :access || ' in the ' ||
                      CASE WHEN pol_why IS NOT NULL AND acl_why IS NOT NULL THEN 'policy and ACL'
                           WHEN pol_why IS NOT NULL THEN 'policy'
                           ELSE 'ACL' END ||
                      ' is neutralised by Block Public Access (' ||
                      CASE WHEN by_bucket AND by_account THEN 'bucket and account'
                           WHEN by_bucket THEN 'bucket'
                           ELSE 'account' END || ' level)'
            ELSE 'neither the bucket policy nor the ACL allows public ' || :access END
           AS annotation
FROM verdict
