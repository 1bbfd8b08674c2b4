-- identifier: EC2_IMDSV2_CHECK
-- name: ec2-imdsv2-check
-- severity: high (Security Hub EC2.8)
-- remediation: Require IMDSv2 on the instance (ModifyInstanceMetadataOptions
--   HttpTokens=required).
-- resource-types: AWS::EC2::Instance
-- trigger: configuration-changes
-- parameters: (none)
-- description: Instances must require IMDSv2: NON_COMPLIANT when
--   configuration.metadataOptions.httpTokens is optional, COMPLIANT when it
--   is required. Not stated by AWS (natural reading): an instance with the
--   metadata endpoint disabled is still judged on httpTokens alone; an
--   item without metadataOptions.httpTokens (items recorded before the
--   field existed) or without a recorded configuration is
--   INSUFFICIENT_DATA rather than a guess.
-- missing: metadataOptions.httpTokens when an item lacks it: aws ec2
--   describe-instances (Reservations[].Instances[].MetadataOptions).
WITH i AS (
	-- The instance facts, parsed once per run (ec2_instances,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       http_tokens AS tokens, http_endpoint AS endpoint
	FROM ec2_instances
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN NOT recorded OR tokens IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN tokens = 'optional' THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN NOT recorded
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN tokens IS NULL
                 THEN 'metadataOptions.httpTokens is not in the item (aws ec2 describe-instances)'
            WHEN tokens = 'optional'
                 THEN 'metadataOptions.httpTokens is optional (IMDSv1 allowed)'
                      || CASE WHEN endpoint = 'disabled' THEN '; the endpoint is disabled'
                              ELSE '' END
            ELSE 'metadataOptions.httpTokens is ' || tokens END AS annotation
FROM i
