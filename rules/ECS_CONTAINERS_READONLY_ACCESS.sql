-- identifier: ECS_CONTAINERS_READONLY_ACCESS
-- name: ecs-containers-readonly-access
-- resource-types: AWS::ECS::TaskDefinition
-- trigger: configuration-changes
-- parameters: (none)
-- description: Containers of ECS task definitions must have read-only
--   access to their root file systems: a task definition is NON_COMPLIANT
--   when a container definition (configuration.ContainerDefinitions[]) does
--   not have ReadonlyRootFilesystem true, COMPLIANT when all have it. AWS's
--   page names the value false; an absent value is ECS's default (false,
--   a writable root file system) and counts the same (not stated by AWS).
--   As AWS's page says, only the latest active revision of a task
--   definition family is evaluated: the item with Status ACTIVE and the
--   highest revision (from TaskDefinitionArn) among the recorded items of
--   its family, account and Region; other revisions, including INACTIVE
--   ones, are NOT_APPLICABLE. An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH td AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.TaskDefinitionArn', arn, resource_name) AS td_arn,
	       upper(coalesce(configuration ->> '$.Status', '')) AS td_status
	FROM current_items
	WHERE resource_type = 'AWS::ECS::TaskDefinition'
), tdr AS (
	-- Family and revision (the digits after the ARN's last colon).
	SELECT td.*,
	       coalesce(configuration ->> '$.Family', resource_id) AS family,
	       CAST(nullif(substr(td_arn, length(rtrim(td_arn, '0123456789')) + 1), '') AS INTEGER)
	         AS rev
	FROM td
), latest AS (
	SELECT account_id, region, family, max(rev) AS active_rev
	FROM tdr WHERE configuration IS NOT NULL AND td_status = 'ACTIVE'
	GROUP BY account_id, region, family
), bad AS (
	SELECT tdr.item_key, count(*) AS n,
	       min(coalesce(json_extract(tdr.configuration, c.fullkey || '.Name'), 'container ' || c.key))
	         AS first_name
	FROM tdr, json_each(tdr.configuration, '$.ContainerDefinitions') AS c
	WHERE c.type = 'object'
	  AND coalesce(json_extract(tdr.configuration, c.fullkey || '.ReadonlyRootFilesystem'), 0)
	      NOT IN (1, 'true')
	GROUP BY tdr.item_key
), v AS (
	SELECT tdr.*, l.active_rev, b.n, b.first_name,
	       tdr.td_status = 'ACTIVE' AND (tdr.rev IS l.active_rev) AS is_latest
	FROM tdr
	LEFT JOIN latest AS l
	  ON l.account_id = tdr.account_id AND l.region = tdr.region AND l.family = tdr.family
	LEFT JOIN bad AS b ON b.item_key = tdr.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN NOT is_latest THEN 'NOT_APPLICABLE'
            WHEN n > 0 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN td_status <> 'ACTIVE'
                 THEN 'revision ' || coalesce(rev, '?') || ' is '
                      || coalesce(nullif(td_status, ''), 'of unknown status')
                      || ': only the latest active revision is evaluated'
            WHEN NOT is_latest
                 THEN 'revision ' || coalesce(rev, '?') || ' is not the latest active revision of '
                      || family || ' (' || active_rev || ' is)'
            WHEN n > 0
                 THEN 'container ' || first_name || ' has a writable root file system '
                      || '(ReadonlyRootFilesystem is not true)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            ELSE 'every container has a read-only root file system' END AS annotation
FROM v
