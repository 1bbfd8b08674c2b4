-- identifier: SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED
-- name: sagemaker-notebook-instance-kms-key-configured
-- resource-types: AWS::SageMaker::NotebookInstance
-- trigger: periodic
-- parameters:
--   keyArns: csv, optional
-- description: A KMS key must be configured for each SageMaker
--   notebook instance: NON_COMPLIANT when configuration.KmsKeyId
--   is empty or absent, or, with keyArns (key ARNs, comma-separated),
--   when the configured key is not one of those listed; COMPLIANT
--   otherwise. Keys are compared after resolving key ARNs, alias names and
--   alias ARNs through the kms_keys table of the resource's account and
--   Region; only when no listed key matches and an unresolved alias could
--   still be the same key is the result INSUFFICIENT_DATA (aws kms
--   list-aliases). An item without a recorded configuration is
--   INSUFFICIENT_DATA.
WITH RECURSIVE split(rest, part) AS (
	SELECT :keyArns || ',', NULL WHERE :keyArns IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM split WHERE rest <> ''
), wanted AS (
	SELECT DISTINCT trim(part) AS p, kms_key_ref(part) AS ref
	FROM split WHERE kms_key_ref(part) IS NOT NULL
), r AS (
	SELECT resource_type, resource_id, account_id, region, status,
	       configuration IS NULL AS no_conf,
	       trim(coalesce(json_extract(configuration, '$.KmsKeyId'), '')) AS k
	FROM current_items
	WHERE resource_type = 'AWS::SageMaker::NotebookInstance'
), refs AS (
	-- The resource's key and every listed key, each in kms_key_ref() form.
	SELECT r.account_id, r.region, r.resource_id, w.p AS x, w.ref, 1 AS listed
	FROM r, wanted AS w WHERE r.k <> ''
	UNION ALL
	SELECT account_id, region, resource_id, k, kms_key_ref(k), 0 FROM r WHERE k <> ''
), resolved AS (
	-- Each name with the key it names (NULL: an alias no item resolves)
	-- and its kind (1 AWS managed, 0 customer managed, NULL unknown).
	SELECT f.account_id, f.region, f.resource_id, f.listed, f.x, f.ref,
	       CASE WHEN f.ref LIKE 'alias/%%' THEN kk.key_id ELSE f.ref END AS key_id,
	       CASE WHEN f.ref LIKE 'alias/aws/%%' THEN 1
		    WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
		    WHEN f.ref LIKE 'alias/%%' THEN 0 END AS aws_managed
	FROM refs AS f
	LEFT JOIN kms_keys AS kk
	  ON kk.account_id = f.account_id AND kk.region = f.region AND kk.ref = f.ref
), m AS (
	-- One row per resource: its key's kind, whether a listed key names
	-- the same key, and a listed key that may or may not be it.
	SELECT r.*, max(tk.aws_managed) AS aws_managed,
	       max(w.ref = tk.ref OR w.key_id = tk.key_id) AS matched,
	       min(CASE WHEN (w.key_id IS NULL OR tk.key_id IS NULL)
			 AND NOT (w.aws_managed IS NOT NULL AND tk.aws_managed IS NOT NULL
				  AND w.aws_managed <> tk.aws_managed)
			 AND NOT (w.ref LIKE 'alias/aws/%%' AND tk.ref LIKE 'alias/aws/%%')
			THEN w.x END) AS undecided,
	       min(tk.key_id IS NULL) AS unresolved
	FROM r
	LEFT JOIN resolved AS tk
	  ON tk.account_id = r.account_id AND tk.region = r.region
	     AND tk.resource_id = r.resource_id AND NOT tk.listed
	LEFT JOIN resolved AS w
	  ON w.account_id = r.account_id AND w.region = r.region
	     AND w.resource_id = r.resource_id AND w.listed
	GROUP BY r.account_id, r.region, r.resource_type, r.resource_id
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN k = '' THEN 'NON_COMPLIANT'
	 WHEN :keyArns IS NULL OR matched THEN 'COMPLIANT'
	 WHEN undecided IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'configuration not recorded (status ' || status || ')'
	 WHEN k = '' THEN 'KmsKeyId is not set: no KMS key is configured'
	 WHEN :keyArns IS NULL THEN 'KMS key ' || k || ' is configured'
	 WHEN matched THEN 'KMS key ' || k || ' matches keyArns'
	 WHEN undecided IS NOT NULL AND unresolved
	   THEN 'the key alias ' || k || ' cannot be resolved from AWS Config data, so it may '
		|| 'or may not be ' || undecided || ' (aws kms list-aliases)'
	 WHEN undecided IS NOT NULL
	   THEN 'listed alias ' || undecided || ' cannot be resolved from AWS Config data, so '
		|| 'the key ' || k || ' may or may not be it (aws kms list-aliases)'
	 ELSE 'KMS key ' || k || ' is not listed in keyArns'
       END AS annotation
FROM m;
