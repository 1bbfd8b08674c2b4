-- identifier: DB_INSTANCE_BACKUP_ENABLED
-- name: db-instance-backup-enabled
-- severity: medium (Security Hub RDS.11)
-- remediation: Enable automated backups with a retention period of at least the
--   required days (ModifyDBInstance BackupRetentionPeriod).
-- resource-types: AWS::RDS::DBInstance
-- trigger: configuration-changes
-- parameters:
--   backupRetentionPeriod: int, optional
--   backupRetentionMinimum: int, optional
--   preferredBackupWindow: string, optional
--   checkReadReplicas: bool, optional
-- description: NON_COMPLIANT when automated backups of the DB instance are
--   off (configuration.backupRetentionPeriod 0); with backupRetentionPeriod,
--   when the retention is another number of days; with
--   backupRetentionMinimum, when it is fewer days; with
--   preferredBackupWindow (hh24:mi-hh24:mi), when the instance's
--   preferredBackupWindow differs; COMPLIANT otherwise. AWS does not say
--   how read replicas are treated without checkReadReplicas: this rule
--   evaluates a read replica (readReplicaSourceDBInstanceIdentifier set)
--   only when checkReadReplicas is true and gives NOT_APPLICABLE
--   otherwise, since RDS does not support automated backups on replicas of
--   most engines. An item without backupRetentionPeriod (or, with
--   preferredBackupWindow, without the window) or without its
--   configuration gives INSUFFICIENT_DATA.
WITH d AS (
	-- The DB instances' properties, parsed once per run (rds_db_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       db_instance_identifier AS x_db, backup_retention_period AS x_backup_retention,
	       preferred_backup_window AS x_backup_window,
	       read_replica_source AS x_replica_source
	FROM rds_db_instances
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       coalesce(x_db, resource_id) AS db,
	       CAST(x_backup_retention AS INTEGER) AS days,
	       trim(x_backup_window) AS win,
	       nullif(x_replica_source, '') AS source_db,
	       nullif(trim(:preferredBackupWindow), '') AS want_win
	FROM d
), w AS (
	SELECT *,
	       CASE
		 WHEN days = 0 THEN 'automated backups are off (backupRetentionPeriod 0)'
		 WHEN :backupRetentionPeriod IS NOT NULL AND days <> :backupRetentionPeriod
		   THEN 'backupRetentionPeriod is ' || days || ', not ' || :backupRetentionPeriod
		 WHEN :backupRetentionMinimum IS NOT NULL AND days < :backupRetentionMinimum
		   THEN 'backupRetentionPeriod ' || days || ' is less than ' || :backupRetentionMinimum
		 WHEN want_win IS NOT NULL AND win IS NOT NULL AND win <> want_win
		   THEN 'preferredBackupWindow is ' || win || ', not ' || want_win
	       END AS failure
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN source_db IS NOT NULL AND NOT coalesce(:checkReadReplicas, 0) THEN 'NOT_APPLICABLE'
	 WHEN days IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN failure IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN want_win IS NOT NULL AND win IS NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 WHEN source_db IS NOT NULL AND NOT coalesce(:checkReadReplicas, 0)
	   THEN 'DB instance ' || db || ' is a read replica of ' || source_db
		|| ' and checkReadReplicas is not true'
	 WHEN days IS NULL
	   THEN 'backupRetentionPeriod is not in the configuration item of DB instance ' || db
	 WHEN failure IS NOT NULL THEN failure || ' for DB instance ' || db
	 WHEN want_win IS NOT NULL AND win IS NULL
	   THEN 'preferredBackupWindow is not in the configuration item of DB instance ' || db
	 ELSE 'automated backups kept ' || days || ' days'
	      || coalesce(', window ' || win, '') || ' for DB instance ' || db
       END AS annotation
FROM w;
