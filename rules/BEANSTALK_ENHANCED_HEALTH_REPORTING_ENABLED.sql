-- identifier: BEANSTALK_ENHANCED_HEALTH_REPORTING_ENABLED
-- name: beanstalk-enhanced-health-reporting-enabled
-- severity: low (Security Hub ElasticBeanstalk.1)
-- remediation: Enable enhanced health reporting (UpdateEnvironment option
--   aws:elasticbeanstalk:healthreporting:system SystemType=enhanced).
-- resource-types: AWS::ElasticBeanstalk::Environment
-- trigger: configuration-changes
-- parameters: (none)
-- description: An Elastic Beanstalk environment must use enhanced health
--   reporting: COMPLIANT when the option
--   aws:elasticbeanstalk:healthreporting:system / SystemType is enhanced,
--   NON_COMPLIANT when it is basic (or any other value). Config records
--   the options as configuration.optionSettings, a map of namespace to
--   option to {value}; the API's list of {namespace, optionName, value} is
--   read too. An environment whose item does not carry the option (the
--   default depends on how and when it was created), or an item recorded
--   without its configuration, is INSUFFICIENT_DATA (aws elasticbeanstalk
--   describe-configuration-settings).
WITH env AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration
	FROM current_items
	WHERE resource_type = 'AWS::ElasticBeanstalk::Environment'
), v AS (
	SELECT env.*,
	       (SELECT lower(value) FROM beanstalk_option_settings AS opt
		WHERE opt.item_key = env.item_key
		  AND namespace = 'aws:elasticbeanstalk:healthreporting:system'
		  AND option = 'SystemType') AS system_type
	FROM env
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL OR system_type IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN system_type = 'enhanced' THEN 'COMPLIANT'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN system_type IS NULL
	   THEN 'the health reporting system type (aws:elasticbeanstalk:healthreporting:system '
		|| 'SystemType) is not in the configuration item (aws elasticbeanstalk '
		|| 'describe-configuration-settings)'
	 ELSE 'health reporting SystemType is ' || system_type
       END AS annotation
FROM v;
