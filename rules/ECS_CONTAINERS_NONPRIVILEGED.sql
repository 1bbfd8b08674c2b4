-- identifier: ECS_CONTAINERS_NONPRIVILEGED
-- name: ecs-containers-nonprivileged
-- severity: medium (default: access)
-- remediation: Register a new task definition revision with privileged=false in
--   every container definition (RegisterTaskDefinition).
-- resource-types: AWS::ECS::TaskDefinition
-- trigger: configuration-changes
-- parameters: (none)
-- description: Containers of ECS task definitions must not be privileged:
--   a task definition is NON_COMPLIANT when a container definition
--   (configuration.ContainerDefinitions[]) has Privileged true, COMPLIANT
--   otherwise (Privileged false or absent). As AWS's page says, only the
--   latest active revision of a task definition family is evaluated: the
--   item with Status ACTIVE and the highest revision (from
--   TaskDefinitionArn) among the recorded items of its family, account and
--   Region; other revisions, including INACTIVE ones, are NOT_APPLICABLE.
--   An item without a recorded configuration is INSUFFICIENT_DATA.
--   A task definition with no failing container among what can be read is
--   INSUFFICIENT_DATA when ContainerDefinitions cannot be read (not a
--   list, or an element that is not an object: ecs_task_definitions).
WITH bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM ecs_containers WHERE privileged GROUP BY item_key
)
SELECT t.resource_type, t.resource_id, t.account_id, t.region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN NOT latest_active THEN 'NOT_APPLICABLE'
            WHEN n > 0 THEN 'NON_COMPLIANT'
            WHEN containers_unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN NOT latest_active THEN not_latest_why
            WHEN n > 0
                 THEN 'container ' || first_name || ' is privileged'
                      || CASE WHEN n > 1 THEN ' (' || n || ' privileged containers)' ELSE '' END
            WHEN containers_unreadable IS NOT NULL
                 THEN 'cannot tell whether a container is privileged: ' || containers_unreadable
                      || ' (aws ecs describe-task-definition)'
            ELSE 'no container is privileged' END AS annotation
FROM ecs_task_definitions AS t LEFT JOIN bad AS b ON b.item_key = t.item_key
