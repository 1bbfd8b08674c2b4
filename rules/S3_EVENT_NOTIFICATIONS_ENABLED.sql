-- identifier: S3_EVENT_NOTIFICATIONS_ENABLED
-- name: s3-event-notifications-enabled
-- severity: medium (Security Hub S3.11)
-- remediation: Configure event notifications for the required event types and
--   destination (PutBucketNotificationConfiguration).
-- resource-types: AWS::S3::Bucket
-- trigger: configuration-changes
-- parameters:
--   destinationArn: string, optional
--   eventTypes: csv, optional
-- description: Buckets must send event notifications: NON_COMPLIANT when
--   supplementary BucketNotificationConfiguration.configurations has no
--   entry (or is absent), or when no entry matches the parameters;
--   COMPLIANT otherwise. Not stated by AWS (natural reading): with
--   destinationArn only entries whose queueARN, topicARN or functionARN
--   equals it count; with eventTypes every listed event type must be
--   covered by an event of a counted entry, exactly or through a wildcard
--   (s3:ObjectCreated:* covers s3:ObjectCreated:Put); event names compare
--   without regard to case. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH RECURSIVE split(rest, part) AS (
	SELECT :eventTypes || ',', NULL WHERE :eventTypes IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT part AS ev FROM split WHERE part IS NOT NULL AND part <> ''
), b AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, recorded,
	       notification, nullif(trim(:destinationArn), '') AS want_dest
	FROM s3_bucket_facts
), n AS (
	-- One row per notification entry, with its destination.
	SELECT b.item_key, x.value AS entry,
	       coalesce(json_extract(x.value, '$.queueARN'),
			json_extract(x.value, '$.topicARN'),
			json_extract(x.value, '$.functionARN')) AS dest
	FROM b, json_each(b.notification, '$.configurations') AS x
	WHERE x.type = 'object'
), covered AS (
	-- The listed event types that the entries to destinationArn (all when
	-- it is not given) send.
	SELECT DISTINCT n.item_key, w.ev
	FROM n JOIN b ON b.item_key = n.item_key, json_each(n.entry, '$.events') AS e, wanted AS w
	WHERE (b.want_dest IS NULL OR n.dest = b.want_dest)
	  AND e.type = 'text' AND lower(w.ev) GLOB lower(e.value)
), v AS MATERIALIZED (
	-- Per bucket: its entries, those to destinationArn (NULL: all, it is
	-- not given), and the least listed event type no such entry covers.
	SELECT b.item_key, b.resource_type, b.resource_id, b.account_id, b.region, b.status,
	       b.recorded, b.want_dest,
	       (SELECT count(*) FROM json_each(b.notification, '$.configurations') AS x
		WHERE x.type = 'object') AS total,
	       CASE WHEN b.want_dest IS NOT NULL
		    THEN (SELECT count(*) FROM n WHERE n.item_key = b.item_key
						  AND n.dest = b.want_dest) END AS to_dest,
	       CASE WHEN :eventTypes IS NOT NULL
		    THEN (SELECT min(w.ev) FROM wanted AS w
			  WHERE NOT EXISTS (SELECT 1 FROM covered AS c
					    WHERE c.item_key = b.item_key AND c.ev = w.ev)) END
		   AS missing_event
	FROM b
), a AS (
	SELECT v.*, coalesce(v.to_dest, v.total) AS to_dest_n FROM v
)
SELECT a.resource_type, a.resource_id, a.account_id, a.region AS aws_region,
       CASE WHEN NOT a.recorded THEN 'INSUFFICIENT_DATA'
	    WHEN a.total = 0 OR a.to_dest_n = 0 OR a.missing_event IS NOT NULL THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT a.recorded
		 THEN 'configuration not recorded (status ' || a.status || ')'
	    WHEN a.total = 0 THEN 'the bucket has no event notification'
	    WHEN a.to_dest_n = 0
		 THEN 'no event notification is sent to ' || a.want_dest
	    WHEN a.missing_event IS NOT NULL
		 THEN 'no event notification' ||
		      CASE WHEN a.want_dest IS NOT NULL THEN ' to ' || a.want_dest ELSE '' END ||
		      ' covers ' || a.missing_event
	    ELSE a.to_dest_n || ' event notification(s)' ||
		 CASE WHEN a.want_dest IS NOT NULL THEN ' to ' || a.want_dest ELSE '' END ||
		 CASE WHEN :eventTypes IS NOT NULL THEN ' cover the listed event types' ELSE '' END
       END AS annotation
FROM a
