-- identifier: EFS_ACCESS_POINT_ENFORCE_ROOT_DIRECTORY
-- name: efs-access-point-enforce-root-directory
-- severity: medium (Security Hub EFS.3)
-- remediation: Create an access point with a root directory other than / and
--   move clients to it (CreateAccessPoint RootDirectory.Path).
-- resource-types: AWS::EFS::AccessPoint
-- trigger: configuration-changes
-- parameters:
--   approvedDirectories: csv, optional
-- description: EFS access points must enforce a root directory:
--   NON_COMPLIANT when configuration.RootDirectory.Path is "/" (the file
--   system's root, also the default when the item has no RootDirectory.Path),
--   or, with approvedDirectories, when the path is not one of the listed
--   directories; COMPLIANT otherwise. Not stated by AWS: a trailing "/" on
--   either side is ignored when comparing with the list (/data matches
--   /data/). An item recorded without its configuration is
--   INSUFFICIENT_DATA.
WITH d AS MATERIALIZED (
	-- MATERIALIZED: computed once, not once for each time it is named
	-- below.
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(nullif(trim(configuration ->> '$.RootDirectory.Path'), ''), '/') AS p
	FROM current_items
	WHERE resource_type = 'AWS::EFS::AccessPoint'
), v AS (
	SELECT *, p = '/' OR rtrim(p, '/') = '' AS is_root,
	       :approvedDirectories IS NULL
	       OR coalesce(csv_contains(:approvedDirectories, p)
			   OR csv_contains(:approvedDirectories, rtrim(p, '/'))
			   OR csv_contains(:approvedDirectories, rtrim(p, '/') || '/'), 0) AS approved
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN is_root OR NOT approved THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'access point configuration not recorded (status ' || status || ')'
	    WHEN is_root THEN 'RootDirectory.Path is ' || p || ': the file system root is not restricted'
	    WHEN NOT approved THEN 'root directory ' || p || ' is not in approvedDirectories'
	    ELSE 'root directory is enforced: ' || p
       END AS annotation
FROM v;
