-- identifier: CFGAUDIT_ORG_GUARDDUTY_ALERTS
-- name: cfgaudit-org-guardduty-findings-notify
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Route GuardDuty findings in the security account to an SNS topic with a
--   confirmed subscription (PutRule source aws.guardduty, PutTargets,
--   Subscribe).
-- parameters:
--   securityAccountId: string, optional
--   regions: csv, optional
-- description: cfgaudit's own rule: GuardDuty findings must reach a
--   person from the security account. One result per Region (the Regions
--   of any account in the data, only those listed in regions when given)
--   of securityAccountId (of every account when not given). Reads
--   AWS::Events::Rule items there: State ENABLED, an EventPattern (object
--   or JSON text) whose source is or includes aws.guardduty and whose
--   detail-type, when present, includes "GuardDuty Finding" (other
--   filters, such as severity, are allowed), and a target whose Arn is an
--   SNS topic. The topic's confirmed subscriptions come from the newest
--   aws sns list-subscriptions-by-topic answer for it captured within
--   --max-age of the as-of time (sns_topic_subscriptions; a subscription
--   whose SubscriptionArn is "PendingConfirmation" is not confirmed), else
--   from the SubscriptionsConfirmed its AWS::SNS::Topic item carries (the
--   get-topic-attributes attribute; not in AWS's Config schema). COMPLIANT when such a rule targets a topic with at least
--   one confirmed subscription; NON_COMPLIANT when every such topic has
--   none, or the only GuardDuty rules are disabled or have no SNS target,
--   or there is no GuardDuty rule and the account and Region has a
--   complete inventory; INSUFFICIENT_DATA naming the topic whose
--   subscriptions are unknown (no fresh answer, no attribute) or the
--   missing snapshot. The delegated administrator and member associations
--   are checked by CFGAUDIT_ORG_GUARDDUTY_DETECTORS.
-- missing: confirmed subscriptions (aws sns list-subscriptions-by-topic
--   --topic-arn ARN in the topic's account and Region)
WITH reg AS (
	-- Regions with data of any account (a listed Region without any data
	-- gives no result here; CFGAUDIT_ORG_CONFIG_RECORDING reports it)
	SELECT DISTINCT aws_region AS region FROM accounts
	WHERE :regions IS NULL OR csv_contains(:regions, aws_region)
), acct AS (
	SELECT :securityAccountId AS account_id WHERE :securityAccountId IS NOT NULL
	UNION SELECT DISTINCT account_id FROM accounts WHERE :securityAccountId IS NULL
), er AS (
	SELECT account_id, region, resource_id, c,
	       coalesce(c ->> '$.Name', resource_id) AS name,
	       json_unstring(c -> '$.EventPattern') AS ep
	FROM (SELECT account_id, region, resource_id, json_unstring(configuration) AS c
	      FROM current_items WHERE resource_type = 'AWS::Events::Rule'
		AND configuration IS NOT NULL)
), gd AS (
	-- rules matching GuardDuty findings, with each SNS target
	SELECT er.account_id, er.region, er.name, er.c ->> '$.State' AS state, t.value ->> '$.Arn' AS topic
	FROM er LEFT JOIN json_each(er.c, '$.Targets') t
	  ON t.type = 'object' AND t.value ->> '$.Arn' LIKE 'arn:aws%:sns:%'
	WHERE json_valid(er.ep)
	  AND EXISTS (SELECT 1 FROM json_each(er.ep, '$.source') s WHERE s.value = 'aws.guardduty')
	  AND (json_type(er.ep, '$."detail-type"') IS NULL
	       OR EXISTS (SELECT 1 FROM json_each(er.ep, '$."detail-type"') x
			  WHERE x.value = 'GuardDuty Finding'))
), path AS (
	-- confirmed subscriptions: a fresh answer, else the topic item's attribute
	SELECT gd.*,
	       coalesce((SELECT ss.confirmed FROM sns_topic_subscriptions ss
			 WHERE ss.topic_arn = gd.topic AND ss.missing IS NULL),
			(SELECT json_unstring(tp.configuration) ->> '$.SubscriptionsConfirmed'
			 FROM current_items tp WHERE tp.resource_type = 'AWS::SNS::Topic'
			   AND tp.resource_id = gd.topic)) AS confirmed,
	       coalesce((SELECT min(ss.missing) FROM sns_topic_subscriptions ss
			 WHERE ss.topic_arn = gd.topic),
			evidence_missing('sns list-subscriptions-by-topic', 'topic ' || gd.topic,
					 NULL)) AS subs_missing
	FROM gd WHERE state = 'ENABLED' AND topic IS NOT NULL
), per AS (
	SELECT a.account_id, r.region,
	       (SELECT min(name || ' -> ' || topic || ' (' || confirmed || ' confirmed)') FROM path p
		WHERE p.account_id = a.account_id AND p.region = r.region AND confirmed >= 1) AS ok,
	       (SELECT min(name || ': ' || subs_missing) FROM path p
		WHERE p.account_id = a.account_id AND p.region = r.region AND confirmed IS NULL)
	       AS unk,
	       (SELECT min(name || ' -> ' || topic) FROM path p
		WHERE p.account_id = a.account_id AND p.region = r.region AND confirmed = 0) AS zero,
	       (SELECT min(name || CASE WHEN coalesce(state, '') <> 'ENABLED'
				       THEN ' is ' || coalesce(state, 'without a State')
				       ELSE ' has no SNS target' END) FROM gd
		WHERE gd.account_id = a.account_id AND gd.region = r.region) AS dead,
	       EXISTS (SELECT 1 FROM inventory_coverage ic
		       WHERE ic.account_id = a.account_id AND ic.region = r.region) AS covered
	FROM acct a, reg r
)
SELECT 'AWS::::Account' AS resource_type, account_id AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN ok IS NOT NULL THEN 'COMPLIANT'
	    WHEN unk IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN zero IS NOT NULL OR dead IS NOT NULL OR covered THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN ok IS NOT NULL THEN 'GuardDuty findings go to a person: EventBridge rule ' || ok
	    WHEN unk IS NOT NULL
	      THEN 'confirmed subscriptions unknown: EventBridge rule ' || unk
	    WHEN zero IS NOT NULL
	      THEN 'EventBridge rule ' || zero || ' sends GuardDuty findings to a topic with no '
		   || 'confirmed subscription'
	    WHEN dead IS NOT NULL THEN 'the GuardDuty EventBridge rule ' || dead
	    WHEN covered THEN 'no EventBridge rule matches GuardDuty findings in this account and Region'
	    ELSE 'no EventBridge rule matching GuardDuty findings in the data, and no configuration '
		 || 'snapshot of ' || account_id || '/' || region || ' at or before ' || as_of()
		 || ' (aws events list-rules)'
       END AS annotation
FROM per
