-- identifier: DYNAMODB_TABLE_ENCRYPTED_KMS
-- name: dynamodb-table-encrypted-kms
-- severity: medium (default: encryption)
-- remediation: Encrypt the table with a KMS key (UpdateTable SSESpecification
--   SSEType=KMS, KMSMasterKeyId).
-- resource-types: AWS::DynamoDB::Table
-- trigger: configuration-changes
-- parameters:
--   kmsKeyArns: csv, optional
-- description: DynamoDB tables must be encrypted with AWS KMS:
--   NON_COMPLIANT when the table is not encrypted with a KMS key, or (with
--   kmsKeyArns) its key is not one of the listed keys; COMPLIANT otherwise.
--   A table uses KMS when configuration.ssedescription (as AWS's Config
--   resource schema spells it; sseDescription and sSEDescription, with the
--   members spelled alike, are read too) has ssetype KMS and status
--   ENABLED or UPDATING (a key change in progress); no ssedescription means
--   the AWS owned key, which is not KMS. The table's key is
--   kmsmasterKeyArn. AWS documents kmsKeyArns as key ARNs; key ids, alias
--   names and alias ARNs are accepted too (not stated by AWS) and resolved
--   through kms_keys of the table's account and Region. A listed alias no
--   item resolves is INSUFFICIENT_DATA (aws kms list-aliases) unless the
--   key kinds tell the keys apart (alias/aws/... is AWS managed, any other
--   alias customer managed); so is a KMS table whose item has no key ARN
--   when kmsKeyArns is given, and an item recorded without its
--   configuration.
WITH d AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       coalesce(configuration -> '$.ssedescription', configuration -> '$.sseDescription',
			configuration -> '$.sSEDescription') AS sse
	FROM current_items
	WHERE resource_type = 'AWS::DynamoDB::Table'
), e AS (
	SELECT d.*,
	       upper(coalesce(sse ->> '$.ssetype', sse ->> '$.sseType', sse ->> '$.sSEType')) AS sse_type,
	       upper(sse ->> '$.status') AS sse_status,
	       nullif(trim(coalesce(sse ->> '$.kmsmasterKeyArn', sse ->> '$.kmsMasterKeyArn',
				    sse ->> '$.kMSMasterKeyArn')), '') AS k
	FROM d
), v AS (
	-- listed, unlisted, or which listed key may or may not be the
	-- table's (kms_keys_check, cfgaudit-rules(5))
	SELECT e.*, kms_key_ref(e.k) AS k_ref,
	       coalesce(e.sse_type = 'KMS' AND e.sse_status IN ('ENABLED', 'UPDATING'), 0) AS kms,
	       kms_keys_check(e.k, :kmsKeyArns, e.account_id, e.region) AS c
	FROM e
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN NOT kms THEN 'NON_COMPLIANT'
	    WHEN :kmsKeyArns IS NULL OR c = 'listed' THEN 'COMPLIANT'
	    WHEN k_ref IS NULL OR c LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'table configuration not recorded (status ' || status || ')'
	    WHEN NOT kms
	      THEN CASE WHEN sse_type IS NULL
			THEN 'no ssedescription: the table is encrypted with an AWS owned key, not KMS'
			ELSE 'server-side encryption is ' || coalesce(sse_type, '?') || ' '
			     || coalesce(sse_status, '(no status)') || ', not KMS ENABLED' END
	    WHEN :kmsKeyArns IS NULL
	      THEN 'the table is encrypted with AWS KMS' || coalesce(' key ' || k, '')
	    WHEN c = 'listed' THEN 'table key ' || k || ' is in kmsKeyArns'
	    WHEN k_ref IS NULL
	      THEN 'the item records no kmsmasterKeyArn to compare with kmsKeyArns'
	    WHEN c LIKE 'unresolved-key:%'
	      THEN 'table key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		   || 'or may not be ' || substr(c, 16) || ' (aws kms list-aliases)'
	    WHEN c LIKE 'unresolved-listed:%'
	      THEN 'listed alias ' || substr(c, 19) || ' cannot be resolved from AWS Config data, so '
		   || 'table key ' || k || ' may or may not be it (aws kms list-aliases)'
	    ELSE 'table key ' || k || ' is not in kmsKeyArns'
       END AS annotation
FROM v;
