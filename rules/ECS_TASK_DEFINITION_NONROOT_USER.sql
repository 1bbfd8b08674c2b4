-- identifier: ECS_TASK_DEFINITION_NONROOT_USER
-- name: ecs-task-definition-nonroot-user
-- severity: medium (default: access)
-- remediation: Register a new task definition revision whose container
--   definitions set user to a non-root user (RegisterTaskDefinition).
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
--   A task definition with no failing container among what can be read is
--   INSUFFICIENT_DATA when ContainerDefinitions cannot be read (not a
--   list, or an element that is not an object: ecs_task_definitions).
WITH bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM ecs_containers WHERE runs_as_root GROUP BY item_key
)
SELECT t.resource_type, t.resource_id, t.account_id, t.region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN NOT latest_active OR NOT on_ec2 THEN 'NOT_APPLICABLE'
            WHEN n > 0 THEN 'NON_COMPLIANT'
            WHEN containers_unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN NOT latest_active THEN not_latest_why
            WHEN NOT on_ec2
                 THEN 'not an EC2 launch type task definition (RequiresCompatibilities '
                      || coalesce(compat, 'absent') || ')'
            WHEN n > 0
                 THEN 'container ' || first_name || ' runs as root (User absent or root)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            WHEN containers_unreadable IS NOT NULL
                 THEN 'cannot tell whether every container names a non-root user: ' || containers_unreadable
                      || ' (aws ecs describe-task-definition)'
            ELSE 'every container names a non-root user' END AS annotation
FROM ecs_task_definitions AS t LEFT JOIN bad AS b ON b.item_key = t.item_key
