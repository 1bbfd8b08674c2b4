-- identifier: ECS_TASK_DEFINITION_NONROOT_USER
-- name: ecs-task-definition-nonroot-user
-- resource-types: AWS::ECS::TaskDefinition
-- trigger: configuration-changes
-- parameters: (none)
-- description: Task definitions for the EC2 launch type must name a
--   non-root user for their containers: a task definition is NON_COMPLIANT
--   when a container definition (configuration.ContainerDefinitions[]) has
--   no User (absent or empty) or a root User (user part root or 0, as in
--   root, 0, root:root, 0:1000), COMPLIANT otherwise. AWS's page scopes the
--   rule to EC2 launch type containers: a task definition whose
--   RequiresCompatibilities is not empty and lacks EC2 (for example FARGATE
--   only) is NOT_APPLICABLE (natural reading; EC2 is ECS's default). As
--   AWS's page says, only the latest active revision of a task definition
--   family is evaluated: the item with Status ACTIVE and the highest
--   revision (from TaskDefinitionArn) among the recorded items of its
--   family, account and Region; other revisions, including INACTIVE ones,
--   are NOT_APPLICABLE. An item without a recorded configuration is
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
), users AS (
	-- The user part of each container's User (user, user:group, uid, uid:gid).
	SELECT tdr.item_key, c.fullkey,
	       coalesce(json_extract(tdr.configuration, c.fullkey || '.Name'), 'container ' || c.key) AS name,
	       trim(coalesce(json_extract(tdr.configuration, c.fullkey || '.User'), '')) || ':' AS u
	FROM tdr, json_each(tdr.configuration, '$.ContainerDefinitions') AS c
	WHERE c.type = 'object'
), bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM users
	WHERE lower(trim(substr(u, 1, instr(u, ':') - 1))) IN ('', 'root', '0')
	GROUP BY item_key
), ec2 AS (
	-- Task definitions that can run on the EC2 launch type.
	SELECT tdr.item_key
	FROM tdr
	WHERE coalesce(json_array_length(tdr.configuration, '$.RequiresCompatibilities'), 0) = 0
	   OR EXISTS (SELECT 1 FROM json_each(tdr.configuration, '$.RequiresCompatibilities') AS rc
	              WHERE upper(rc.value) = 'EC2')
), v AS (
	SELECT tdr.*, l.active_rev, b.n, b.first_name,
	       tdr.item_key IN (SELECT item_key FROM ec2) AS on_ec2,
	       tdr.td_status = 'ACTIVE' AND (tdr.rev IS l.active_rev) AS is_latest
	FROM tdr
	LEFT JOIN latest AS l
	  ON l.account_id = tdr.account_id AND l.region = tdr.region AND l.family = tdr.family
	LEFT JOIN bad AS b ON b.item_key = tdr.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN NOT is_latest OR NOT on_ec2 THEN 'NOT_APPLICABLE'
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
            WHEN NOT on_ec2
                 THEN 'not an EC2 launch type task definition (RequiresCompatibilities '
                      || coalesce(configuration -> '$.RequiresCompatibilities', 'absent') || ')'
            WHEN n > 0
                 THEN 'container ' || first_name || ' runs as root (User absent or root)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            ELSE 'every container names a non-root user' END AS annotation
FROM v
