-- identifier: ECS_CONTAINERS_READONLY_ACCESS
-- name: ecs-containers-readonly-access
-- severity: medium (default: access)
-- remediation: Register a new task definition revision with
--   readonlyRootFilesystem=true in every container definition
--   (RegisterTaskDefinition).
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
--   A task definition with no failing container among what can be read is
--   INSUFFICIENT_DATA when ContainerDefinitions cannot be read (not a
--   list, or an element that is not an object: ecs_task_definitions).
WITH bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM ecs_containers WHERE NOT readonly_root GROUP BY item_key
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
                 THEN 'container ' || first_name || ' has a writable root file system '
                      || '(ReadonlyRootFilesystem is not true)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            WHEN containers_unreadable IS NOT NULL
                 THEN 'cannot tell whether every container has a read-only root file system: ' || containers_unreadable
                      || ' (aws ecs describe-task-definition)'
            ELSE 'every container has a read-only root file system' END AS annotation
FROM ecs_task_definitions AS t LEFT JOIN bad AS b ON b.item_key = t.item_key
