-- identifier: EFS_ACCESS_POINT_ENFORCE_USER_IDENTITY
-- name: efs-access-point-enforce-user-identity
-- severity: medium (Security Hub EFS.4)
-- remediation: Create an access point with a POSIX user and move clients to it
--   (CreateAccessPoint PosixUser).
-- resource-types: AWS::EFS::AccessPoint
-- trigger: configuration-changes
-- parameters:
--   approvedUids: csv, optional
--   approvedGids: csv, optional
-- description: EFS access points must enforce a user identity:
--   NON_COMPLIANT when configuration.PosixUser is not defined (absent, or
--   without a Uid), or when approvedUids is given and PosixUser.Uid is not
--   in it, or approvedGids is given and PosixUser.Gid is not in it;
--   COMPLIANT otherwise. IDs are compared as decimal text. Not stated by
--   AWS: PosixUser.SecondaryGids are not checked against approvedGids. An
--   item recorded without its configuration is INSUFFICIENT_DATA.
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       CAST(configuration ->> '$.PosixUser.Uid' AS TEXT) AS uid,
	       CAST(configuration ->> '$.PosixUser.Gid' AS TEXT) AS gid
	FROM current_items
	WHERE resource_type = 'AWS::EFS::AccessPoint'
), v AS (
	SELECT *,
	       :approvedUids IS NULL OR coalesce(csv_contains(:approvedUids, uid), 0) AS uid_ok,
	       :approvedGids IS NULL OR coalesce(csv_contains(:approvedGids, gid), 0) AS gid_ok
	FROM d
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN uid IS NULL OR NOT uid_ok OR NOT gid_ok THEN 'NON_COMPLIANT'
	    ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'access point configuration not recorded (status ' || status || ')'
	    WHEN uid IS NULL THEN 'PosixUser is not defined: the access point enforces no user identity'
	    WHEN NOT uid_ok AND NOT gid_ok
	      THEN 'PosixUser Uid ' || uid || ' is not in approvedUids and Gid '
		   || coalesce(gid, '(none)') || ' is not in approvedGids'
	    WHEN NOT uid_ok THEN 'PosixUser Uid ' || uid || ' is not in approvedUids'
	    WHEN NOT gid_ok THEN 'PosixUser Gid ' || coalesce(gid, '(none)') || ' is not in approvedGids'
	    ELSE 'user identity is enforced: Uid ' || uid || coalesce(', Gid ' || gid, '')
       END AS annotation
FROM v;
