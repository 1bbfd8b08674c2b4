-- identifier: ELASTIC_BEANSTALK_MANAGED_UPDATES_ENABLED
-- name: elastic-beanstalk-managed-updates-enabled
-- severity: high (Security Hub ElasticBeanstalk.2)
-- remediation: Enable managed platform updates (UpdateEnvironment option
--   aws:elasticbeanstalk:managedactions ManagedActionsEnabled=true and an
--   UpdateLevel).
-- resource-types: AWS::ElasticBeanstalk::Environment
-- trigger: configuration-changes
-- parameters:
--   UpdateLevel: string, optional
-- description: An Elastic Beanstalk environment must have managed platform
--   updates on: COMPLIANT when the option aws:elasticbeanstalk:managedactions
--   / ManagedActionsEnabled is true and, with UpdateLevel (minor or patch),
--   the option aws:elasticbeanstalk:managedactions:platformupdate /
--   UpdateLevel equals it (compared without regard to case);
--   NON_COMPLIANT when ManagedActionsEnabled is false, or the update level
--   differs from UpdateLevel or is not recorded while managed updates are
--   on. Options are read from configuration.optionSettings (a map of
--   namespace to option to {value}, or the API's list of {namespace,
--   optionName, value}). An environment whose item does not carry
--   ManagedActionsEnabled, or an item recorded without its configuration,
--   is INSUFFICIENT_DATA (aws elasticbeanstalk
--   describe-configuration-settings).
WITH env AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::ElasticBeanstalk::Environment'
), v AS (
	SELECT env.*,
	       (SELECT lower(value) FROM beanstalk_option_settings AS opt
		WHERE opt.item_key = env.item_key
		  AND namespace = 'aws:elasticbeanstalk:managedactions'
		  AND option = 'ManagedActionsEnabled') AS enabled,
	       (SELECT lower(value) FROM beanstalk_option_settings AS opt
		WHERE opt.item_key = env.item_key
		  AND namespace = 'aws:elasticbeanstalk:managedactions:platformupdate'
		  AND option = 'UpdateLevel') AS level,
	       lower(trim(:UpdateLevel)) AS want
	FROM env
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL OR enabled IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN enabled NOT IN ('true', '1') THEN 'NON_COMPLIANT'
	 WHEN want IS NOT NULL AND coalesce(level, '') <> want THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN enabled IS NULL
	   THEN 'ManagedActionsEnabled (aws:elasticbeanstalk:managedactions) is not in the '
		|| 'configuration item (aws elasticbeanstalk describe-configuration-settings)'
	 WHEN enabled NOT IN ('true', '1')
	   THEN 'managed platform updates are off (ManagedActionsEnabled is ' || enabled || ')'
	 WHEN want IS NOT NULL AND coalesce(level, '') <> want
	   THEN 'managed updates are on but UpdateLevel is ' || coalesce(level, 'not set')
		|| ', not ' || want
	 ELSE 'managed platform updates are on (UpdateLevel ' || coalesce(level, 'not set') || ')'
       END AS annotation
FROM v;
