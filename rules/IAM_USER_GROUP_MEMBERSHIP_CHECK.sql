-- identifier: IAM_USER_GROUP_MEMBERSHIP_CHECK
-- name: iam-user-group-membership-check
-- severity: medium (default: access)
-- remediation: Add the user to one of the allowed IAM groups (AddUserToGroup).
-- resource-types: AWS::IAM::User
-- trigger: configuration-changes
-- parameters:
--   groupNames: csv, optional
-- description: IAM users must be members of at least one IAM group: a user
--   in no group is NON_COMPLIANT, COMPLIANT otherwise. With groupNames
--   (comma-separated; group names with commas are not supported), the
--   natural reading (AWS does not say "one of" or "all of") is that the
--   user must be in at least one of the listed groups. Groups are the
--   names in configuration.groupList and the "Is attached to Group"
--   relationships. An item without a recorded configuration is
--   INSUFFICIENT_DATA, and so is a user that would fail but whose groupList
--   is recorded as something other than a list of names (a string that is
--   not JSON, a number, an element that is not a name).
WITH u AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       relationships,
	       -- groupList recorded as something else than a list of names
	       CASE WHEN json_type(configuration, '$.groupList') NOT IN ('array', 'null')
		    THEN 'groupList is not a list'
		    WHEN EXISTS (SELECT 1 FROM json_each(configuration, '$.groupList') AS gl
				 WHERE gl.type NOT IN ('text', 'null'))
		    THEN 'groupList holds a value that is not a group name' END AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::IAM::User'
),
groups AS (
	SELECT u.item_key, gl.value AS gname
	FROM u, json_each(u.configuration, '$.groupList') AS gl
	WHERE gl.type = 'text' AND json_type(u.configuration, '$.groupList') = 'array'
	UNION
	SELECT u.item_key, json_extract(u.relationships, r.fullkey || '.resourceName')
	FROM u, json_each(u.relationships) AS r
	WHERE r.type = 'object'
	  AND json_extract(u.relationships, r.fullkey || '.resourceType') = 'AWS::IAM::Group'
	  AND json_extract(u.relationships, r.fullkey || '.resourceName') IS NOT NULL
),
summary AS (
	SELECT item_key, count(*) AS n,
	       sum(coalesce(csv_contains(:groupNames, gname), 0)) AS n_listed,
	       min(CASE WHEN coalesce(csv_contains(:groupNames, gname), 0) = 1 THEN gname END)
	           AS listed,
	       min(gname) AS first_group
	FROM groups GROUP BY item_key
)
SELECT u.resource_type, u.resource_id, u.account_id, u.region AS aws_region,
       CASE WHEN u.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN u.unreadable IS NOT NULL
                 AND (coalesce(s.n, 0) = 0
                      OR :groupNames IS NOT NULL AND trim(:groupNames) <> '' AND s.n_listed = 0)
                 THEN 'INSUFFICIENT_DATA'
            WHEN coalesce(s.n, 0) = 0 THEN 'NON_COMPLIANT'
            WHEN :groupNames IS NOT NULL AND trim(:groupNames) <> '' AND s.n_listed = 0
                 THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN u.configuration IS NULL
                 THEN 'configuration not recorded (status ' || u.status || ')'
            WHEN u.unreadable IS NOT NULL
                 AND (coalesce(s.n, 0) = 0
                      OR :groupNames IS NOT NULL AND trim(:groupNames) <> '' AND s.n_listed = 0)
                 THEN 'cannot tell whether the user is in ' ||
                      CASE WHEN coalesce(s.n, 0) = 0 THEN 'an IAM group'
                           ELSE 'one of the groups ' || :groupNames END
                      || ': ' || u.unreadable || ' (aws iam list-groups-for-user)'
            WHEN coalesce(s.n, 0) = 0 THEN 'user is in no IAM group'
            WHEN :groupNames IS NOT NULL AND trim(:groupNames) <> '' AND s.n_listed = 0
                 THEN 'user is in none of the groups ' || :groupNames
            WHEN :groupNames IS NOT NULL AND trim(:groupNames) <> ''
                 THEN 'user is in listed group ' || s.listed
            ELSE 'user is in ' || s.n || ' group(s), e.g. ' || s.first_group END AS annotation
FROM u LEFT JOIN summary AS s ON s.item_key = u.item_key
