-- identifier: IAM_GROUP_HAS_USERS_CHECK
-- name: iam-group-has-users-check
-- severity: low (default: hygiene)
-- remediation: Add users to the group, or delete the group if it is no longer
--   needed (AddUserToGroup, DeleteGroup).
-- resource-types: AWS::IAM::Group
-- trigger: configuration-changes
-- parameters: (none)
-- description: Every IAM group must have at least one user. Not stated by
--   AWS (natural reading): NON_COMPLIANT for a group with no users,
--   COMPLIANT otherwise. A user counts when the group item has a
--   relationship to an AWS::IAM::User ("Contains User"), or when a current
--   user item of the same account lists the group's name in groupList. An
--   item without a recorded configuration is INSUFFICIENT_DATA.
WITH g AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       relationships,
	       coalesce(json_extract(configuration, '$.groupName'), resource_name) AS gname
	FROM current_items
	WHERE resource_type = 'AWS::IAM::Group'
),
user_groups AS MATERIALIZED (
	-- MATERIALIZED: the users are read once, not once per group.
	SELECT u.account_id, gl.value AS gname,
	       coalesce(json_extract(u.configuration, '$.userName'), u.resource_name) AS uname
	FROM current_items AS u, json_each(u.configuration, '$.groupList') AS gl
	WHERE u.resource_type = 'AWS::IAM::User' AND gl.type = 'text'
),
members AS (
	SELECT g.item_key, json_extract(g.relationships, r.fullkey || '.resourceName') AS uname
	FROM g, json_each(g.relationships) AS r
	WHERE r.type = 'object'
	  AND json_extract(g.relationships, r.fullkey || '.resourceType') = 'AWS::IAM::User'
	UNION
	SELECT g.item_key, ug.uname
	FROM g JOIN user_groups AS ug ON ug.account_id = g.account_id AND ug.gname = g.gname
),
counted AS (
	SELECT item_key, count(*) AS n, min(uname) AS first_user FROM members GROUP BY item_key
)
SELECT g.resource_type, g.resource_id, g.account_id, g.region AS aws_region,
       CASE WHEN g.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN c.n > 0 THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN g.configuration IS NULL
                 THEN 'configuration not recorded (status ' || g.status || ')'
            WHEN c.n > 0
                 THEN 'group has ' || c.n || ' user(s), e.g. ' || coalesce(c.first_user, '?')
            ELSE 'group ' || coalesce(g.gname, g.resource_id) || ' has no users' END AS annotation
FROM g LEFT JOIN counted AS c ON c.item_key = g.item_key
