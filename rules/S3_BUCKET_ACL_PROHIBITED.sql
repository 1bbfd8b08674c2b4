-- identifier: S3_BUCKET_ACL_PROHIBITED
-- name: s3-bucket-acl-prohibited
-- severity: medium (Security Hub S3.12)
-- remediation: Disable ACLs by setting Object Ownership to bucket owner
--   enforced (PutBucketOwnershipControls ObjectOwnership=BucketOwnerEnforced).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters: (none)
-- description: Buckets must not grant access through ACLs: NON_COMPLIANT
--   when the bucket ACL (supplementary AccessControlList, grantList or
--   grantSet) has a grant to anyone other than the bucket owner (another
--   canonical user, an e-mail grantee, or a group such as AllUsers,
--   AuthenticatedUsers or LogDelivery); COMPLIANT when every grant is the
--   owner's own (the only ACL S3 keeps once ACLs are disabled with
--   BucketOwnerEnforced). Not stated by AWS: AWS Config does not record
--   Object Ownership, so the rule reads the ACL itself; the owner is the
--   ACL's owner.id, else configuration.owner.id. An item without a
--   recorded configuration, or without a readable AccessControlList, is
--   INSUFFICIENT_DATA.
-- missing: the ACL when the item has none (aws s3api get-bucket-acl)
WITH a AS MATERIALIZED (
	-- MATERIALIZED: each ACL is read once, for the grants and the verdict.
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       NOT recorded AS no_conf,
	       CASE WHEN json_valid(acl) AND json_type(acl) = 'object' THEN acl END AS doc,
	       coalesce(CASE WHEN json_valid(acl) THEN json_extract(acl, '$.owner.id') END,
			owner_id) AS owner_id
	FROM s3_bucket_facts
), g AS (
	-- One row per grant; who is the grantee as text (a group name or URI,
	-- a canonical id, an e-mail address).
	SELECT a.item_key, a.owner_id,
	       CASE json_type(gr.value, '$.grantee')
		 WHEN 'text' THEN json_extract(gr.value, '$.grantee')
		 WHEN 'object' THEN coalesce(json_extract(gr.value, '$.grantee.id'),
					     json_extract(gr.value, '$.grantee.identifier'),
					     json_extract(gr.value, '$.grantee.uri'),
					     json_extract(gr.value, '$.grantee.URI'),
					     json_extract(gr.value, '$.grantee.emailAddress'))
	       END AS who,
	       json_extract(gr.value, '$.permission') AS perm
	FROM a, json_each(a.doc) AS top, json_each(top.value) AS gr
	WHERE a.doc IS NOT NULL AND top.key IN ('grantList', 'grantSet') AND top.type = 'array'
	  AND gr.type = 'object'
), o AS (
	-- The grants to others, per bucket.
	SELECT item_key, count(*) AS n,
	       min(coalesce(who, 'an unnamed grantee') || ' (' || coalesce(perm, '?') || ')') AS why
	FROM g WHERE who IS NOT owner_id GROUP BY item_key
), v AS (
	SELECT a.item_key, a.resource_type, a.resource_id, a.account_id, a.region, a.status, a.no_conf,
	       a.doc IS NOT NULL AS has_acl, coalesce(o.n, 0) AS n, o.why AS why
	FROM a LEFT JOIN o ON o.item_key = a.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf OR NOT has_acl THEN 'INSUFFICIENT_DATA'
	    WHEN n > 0 THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	    WHEN NOT has_acl THEN 'the item records no bucket ACL (aws s3api get-bucket-acl)'
	    WHEN n > 0
		 THEN 'the ACL grants ' || why ||
		      CASE WHEN n > 1 THEN ' and ' || (n - 1) || ' more grant(s)' ELSE '' END ||
		      ' to someone other than the bucket owner'
	    ELSE 'the ACL grants access to the bucket owner only' END AS annotation
FROM v
