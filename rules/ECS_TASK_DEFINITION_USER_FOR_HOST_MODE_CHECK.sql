-- identifier: ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK
-- name: ecs-task-definition-user-for-host-mode-check
-- resource-types: AWS::ECS::TaskDefinition
-- trigger: configuration-changes
-- parameters:
--   SkipInactiveTaskDefinitions: string, optional
-- description: Task definitions in host network mode must run their
--   containers privileged or as a non-root user. As AWS's page says, a task
--   definition whose configuration.NetworkMode is not host is COMPLIANT;
--   in host mode it is NON_COMPLIANT when a container definition has
--   Privileged false or absent and a User that is absent, empty or root
--   (user part root or 0, as in root:root), COMPLIANT when every container
--   is privileged or names a non-root user. The latest active revision of a
--   family is evaluated (Status ACTIVE, highest revision from
--   TaskDefinitionArn among the recorded items of the family, account and
--   Region). For a family with no active revision, the latest INACTIVE
--   revision is evaluated unless SkipInactiveTaskDefinitions is true (any
--   case, white space allowed); AWS's page gives no default, and an unset
--   flag is read as false (the flag skips, so inactive revisions are
--   checked without it). Every other revision is NOT_APPLICABLE. An item
--   without a recorded configuration is INSUFFICIENT_DATA.
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
	SELECT account_id, region, family,
	       max(CASE WHEN td_status = 'ACTIVE' THEN rev END) AS active_rev,
	       max(td_status = 'ACTIVE') AS has_active,
	       max(rev) AS last_rev
	FROM tdr WHERE configuration IS NOT NULL
	GROUP BY account_id, region, family
), users AS (
	-- Per container: privileged, and the user part of User.
	SELECT tdr.item_key,
	       coalesce(json_extract(tdr.configuration, c.fullkey || '.Name'), 'container ' || c.key) AS name,
	       coalesce(json_extract(tdr.configuration, c.fullkey || '.Privileged'), 0) IN (1, 'true')
	         AS privileged,
	       trim(coalesce(json_extract(tdr.configuration, c.fullkey || '.User'), '')) || ':' AS u
	FROM tdr, json_each(tdr.configuration, '$.ContainerDefinitions') AS c
	WHERE c.type = 'object'
), bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM users
	WHERE NOT privileged AND lower(trim(substr(u, 1, instr(u, ':') - 1))) IN ('', 'root', '0')
	GROUP BY item_key
), v AS (
	SELECT tdr.*, l.active_rev, l.has_active, b.n, b.first_name,
	       lower(coalesce(tdr.configuration ->> '$.NetworkMode', '')) AS mode,
	       CASE WHEN l.has_active THEN tdr.td_status = 'ACTIVE' AND tdr.rev IS l.active_rev
	            WHEN lower(trim(coalesce(:SkipInactiveTaskDefinitions, ''))) = 'true' THEN 0
	            ELSE tdr.rev IS l.last_rev END AS evaluated
	FROM tdr
	LEFT JOIN latest AS l
	  ON l.account_id = tdr.account_id AND l.region = tdr.region AND l.family = tdr.family
	LEFT JOIN bad AS b ON b.item_key = tdr.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN NOT evaluated THEN 'NOT_APPLICABLE'
            WHEN mode <> 'host' THEN 'COMPLIANT'
            WHEN n > 0 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN NOT evaluated AND has_active
                 THEN 'revision ' || coalesce(rev, '?') || ' is not the latest active revision of '
                      || family || ' (' || active_rev || ' is)'
            WHEN NOT evaluated AND lower(trim(coalesce(:SkipInactiveTaskDefinitions, ''))) = 'true'
                 THEN 'revision ' || coalesce(rev, '?') || ' is ' || td_status
                      || ' and SkipInactiveTaskDefinitions is true'
            WHEN NOT evaluated
                 THEN 'revision ' || coalesce(rev, '?') || ' is not the latest revision of '
                      || family
            WHEN mode <> 'host'
                 THEN 'network mode is ' || coalesce(nullif(mode, ''), 'not set') || ', not host'
            WHEN n > 0
                 THEN 'host network mode: container ' || first_name
                      || ' is not privileged and runs as root (User absent or root)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            ELSE 'host network mode: every container is privileged or names a non-root user'
       END AS annotation
FROM v
