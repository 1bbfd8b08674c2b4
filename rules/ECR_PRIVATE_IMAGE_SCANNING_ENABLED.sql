-- identifier: ECR_PRIVATE_IMAGE_SCANNING_ENABLED
-- name: ecr-private-image-scanning-enabled
-- severity: high (Security Hub ECR.1)
-- remediation: Enable scan on push for the repository
--   (PutImageScanningConfiguration scanOnPush=true) or an enhanced scanning
--   rule for it.
-- resource-types: AWS::ECR::Repository
-- trigger: periodic
-- parameters: (none)
-- description: Private ECR repositories must have image scanning enabled:
--   AWS's page makes a repository NON_COMPLIANT when its scan frequency is
--   neither scan on push nor continuous scan. The scan frequency comes from
--   the registry's scanning configuration (basic or enhanced scanning
--   rules with repository filters), which AWS Config does not record; the
--   repository item records only the repository-level setting
--   configuration.ImageScanningConfiguration.ScanOnPush. So: ScanOnPush
--   true -> COMPLIANT (scan on push is configured on the repository; a
--   registry rule is not expected to turn it off, though AWS does not
--   state this); ScanOnPush false or absent -> INSUFFICIENT_DATA, since a
--   registry-level rule may still scan the repository on push or
--   continuously (aws ecr batch-get-repository-scanning-configuration),
--   rather than a guessed NON_COMPLIANT. An item without a recorded
--   configuration is INSUFFICIENT_DATA.
-- missing: the registry scanning configuration that sets each repository's
--   scan frequency (aws ecr batch-get-repository-scanning-configuration
--   --repository-names NAME, scanFrequency)
WITH r AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       coalesce(configuration ->> '$.RepositoryName', resource_name, resource_id) AS name,
	       coalesce(configuration ->> '$.ImageScanningConfiguration.ScanOnPush',
	                configuration ->> '$.imageScanningConfiguration.scanOnPush') IN (1, 'true')
	         AS scan_on_push
	FROM current_items
	WHERE resource_type = 'AWS::ECR::Repository'
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN scan_on_push THEN 'COMPLIANT'
            ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN scan_on_push THEN 'scan on push is enabled (ImageScanningConfiguration.ScanOnPush)'
            ELSE 'ScanOnPush is not set on the repository; the registry scanning configuration '
                 || 'that may scan it is not in AWS Config data (aws ecr '
                 || 'batch-get-repository-scanning-configuration --repository-names ' || name || ')'
       END AS annotation
FROM r
