-- identifier: DYNAMODB_TABLE_ENCRYPTED_KMS
-- name: dynamodb-table-encrypted-kms
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
WITH RECURSIVE split(rest, part) AS (
	SELECT :kmsKeyArns || ',', NULL WHERE :kmsKeyArns IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT trim(part) AS p, kms_key_ref(part) AS ref
	FROM split WHERE kms_key_ref(part) IS NOT NULL
), d AS (
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
), t AS (
	-- The table's key as kms_key_ref() gives it (a key id) and its kind
	-- when the key is recorded.
	SELECT e.*, kms_key_ref(e.k) AS k_ref, kk.aws_managed AS k_aws
	FROM e
	LEFT JOIN kms_keys kk
	  ON kk.account_id = e.account_id AND kk.region = e.region AND kk.ref = kms_key_ref(e.k)
), v AS (
	-- One row per table, joined with each listed key as kms_keys resolves
	-- it in the table's account and Region: a listed key matches when it
	-- names the table's key; an alias no item resolves leaves the answer
	-- open unless its kind (alias/aws/... AWS managed, any other alias
	-- customer managed) differs from the table key's.
	SELECT t.*, coalesce(t.sse_type = 'KMS' AND t.sse_status IN ('ENABLED', 'UPDATING'), 0) AS kms,
	       max(w.ref = t.k_ref OR (w.ref LIKE 'alias/%' AND kk.key_id = t.k_ref)) AS matched,
	       min(CASE WHEN w.ref LIKE 'alias/%' AND kk.key_id IS NULL
			 AND NOT coalesce(CASE WHEN w.ref LIKE 'alias/aws/%' THEN 1
					       ELSE coalesce(kk.aws_managed, 0) END <> t.k_aws, 0)
		    THEN w.p END) AS undecided
	FROM t
	LEFT JOIN wanted w ON t.k_ref IS NOT NULL
	LEFT JOIN kms_keys kk
	  ON kk.account_id = t.account_id AND kk.region = t.region AND kk.ref = w.ref
	GROUP BY t.account_id, t.region, t.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN no_conf THEN 'INSUFFICIENT_DATA'
	    WHEN NOT kms THEN 'NON_COMPLIANT'
	    WHEN :kmsKeyArns IS NULL OR matched THEN 'COMPLIANT'
	    WHEN k_ref IS NULL OR undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN no_conf THEN 'table configuration not recorded (status ' || status || ')'
	    WHEN NOT kms
	      THEN CASE WHEN sse_type IS NULL
			THEN 'no ssedescription: the table is encrypted with an AWS owned key, not KMS'
			ELSE 'server-side encryption is ' || coalesce(sse_type, '?') || ' '
			     || coalesce(sse_status, '(no status)') || ', not KMS ENABLED' END
	    WHEN :kmsKeyArns IS NULL
	      THEN 'the table is encrypted with AWS KMS' || coalesce(' key ' || k, '')
	    WHEN matched THEN 'table key ' || k || ' is in kmsKeyArns'
	    WHEN k_ref IS NULL
	      THEN 'the item records no kmsmasterKeyArn to compare with kmsKeyArns'
	    WHEN undecided IS NOT NULL
	      THEN 'listed alias ' || undecided || ' cannot be resolved from AWS Config data, so '
		   || 'table key ' || k || ' may or may not be it (aws kms list-aliases)'
	    ELSE 'table key ' || k || ' is not in kmsKeyArns'
       END AS annotation
FROM v;
