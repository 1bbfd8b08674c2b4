-- identifier: ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK
-- name: ecs-task-definition-user-for-host-mode-check
-- severity: high (Security Hub ECS.1)
-- remediation: Register a new revision that sets a non-root user in every
--   container, or privileged=true where root is needed, or that does not use
--   host network mode (RegisterTaskDefinition).
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
--   A task definition with no failing container among what can be read is
--   INSUFFICIENT_DATA when ContainerDefinitions cannot be read (not a
--   list, or an element that is not an object: ecs_task_definitions).
WITH bad AS (
	SELECT item_key, count(*) AS n, min(name) AS first_name
	FROM ecs_containers WHERE NOT privileged AND runs_as_root GROUP BY item_key
), v AS (
	SELECT t.*, b.n, b.first_name,
	       CASE WHEN has_active THEN latest_active
	            WHEN lower(trim(coalesce(:SkipInactiveTaskDefinitions, ''))) = 'true' THEN 0
	            ELSE rev IS last_rev END AS evaluated
	FROM ecs_task_definitions AS t LEFT JOIN bad AS b ON b.item_key = t.item_key
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded THEN 'INSUFFICIENT_DATA'
            WHEN NOT evaluated THEN 'NOT_APPLICABLE'
            WHEN network_mode <> 'host' THEN 'COMPLIANT'
            WHEN n > 0 THEN 'NON_COMPLIANT'
            WHEN containers_unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
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
            WHEN network_mode <> 'host'
                 THEN 'network mode is ' || coalesce(nullif(network_mode, ''), 'not set')
                      || ', not host'
            WHEN n > 0
                 THEN 'host network mode: container ' || first_name
                      || ' is not privileged and runs as root (User absent or root)'
                      || CASE WHEN n > 1 THEN ' (' || n || ' such containers)' ELSE '' END
            WHEN containers_unreadable IS NOT NULL
                 THEN 'host network mode: cannot tell whether every container is privileged or'
                      || ' names a non-root user: ' || containers_unreadable
                      || ' (aws ecs describe-task-definition)'
            ELSE 'host network mode: every container is privileged or names a non-root user'
       END AS annotation
FROM v
