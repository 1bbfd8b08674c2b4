-- identifier: SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS
-- name: sagemaker-notebook-no-direct-internet-access
-- severity: high (Security Hub SageMaker.1)
-- remediation: Recreate the notebook instance in a VPC subnet with
--   DirectInternetAccess=Disabled (CreateNotebookInstance SubnetId,
--   DirectInternetAccess).
-- resource-types: AWS::SageMaker::NotebookInstance
-- trigger: periodic
-- parameters: (none)
-- description: SageMaker notebook instances must not have direct internet
--   access: NON_COMPLIANT when configuration.DirectInternetAccess is
--   Enabled, COMPLIANT when it is Disabled (compared without regard to
--   case). Not stated by AWS: an item that does not record the setting is
--   INSUFFICIENT_DATA rather than assumed to have SageMaker's creation
--   default (Enabled); an item without a recorded configuration is
--   INSUFFICIENT_DATA.
-- missing: DirectInternetAccess when the item lacks it (aws sagemaker
--   describe-notebook-instance)
WITH n AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       json_extract(configuration, '$.DirectInternetAccess') AS dia
	FROM current_items
	WHERE resource_type = 'AWS::SageMaker::NotebookInstance'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	    WHEN lower(dia) = 'enabled' THEN 'NON_COMPLIANT'
	    WHEN lower(dia) = 'disabled' THEN 'COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN configuration IS NULL
		 THEN 'configuration not recorded (status ' || status || ')'
	    WHEN lower(dia) = 'enabled' THEN 'direct internet access is enabled'
	    WHEN lower(dia) = 'disabled' THEN 'direct internet access is disabled'
	    ELSE 'DirectInternetAccess is ' || coalesce('"' || dia || '"', 'not recorded') ||
		 ' (aws sagemaker describe-notebook-instance)' END AS annotation
FROM n
