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
	       trim(coalesce(json_extract(configuration, '$.KmsKeyId'), '')) AS k,
	       NULL AS extra
	FROM current_items
	WHERE resource_type = 'AWS::SageMaker::NotebookInstance'
), rows AS (
	-- One row per resource (listed -1) with what the verdict shows, one for
	-- its key (0) and one per listed key (1), keys in kms_key_ref() form.
	-- They are brought together by grouping, never by joining two large
	-- sets, which SQLite may run as a scan per resource.
	SELECT account_id, region, resource_id, resource_type, status, no_conf, k, extra,
	       -1 AS listed, NULL AS x, NULL AS ref
	FROM r
	UNION ALL
	SELECT account_id, region, resource_id, NULL, NULL, NULL, NULL, NULL, 0, k, kms_key_ref(k)
	FROM r WHERE k <> ''
	UNION ALL
	SELECT r.account_id, r.region, r.resource_id, NULL, NULL, NULL, NULL, NULL, 1, w.p, w.ref
	FROM r, wanted AS w WHERE r.k <> ''
), resolved AS (
	-- Each key with the key it names (NULL: an alias no item resolves)
	-- and its kind (1 AWS managed, 0 customer managed, NULL unknown), and
	-- beside it the same for the resource's own key (t_*).
	SELECT *,
	       max(CASE WHEN listed = 0 THEN ref END) OVER own AS t_ref,
	       max(CASE WHEN listed = 0 THEN key_id END) OVER own AS t_key,
	       max(CASE WHEN listed = 0 THEN aws_managed END) OVER own AS t_aws,
	       max(CASE WHEN listed = 0 THEN key_id IS NULL END) OVER own AS t_unres
	FROM (SELECT f.*,
		     CASE WHEN f.ref LIKE 'alias/%' THEN kk.key_id ELSE f.ref END AS key_id,
		     CASE WHEN f.ref LIKE 'alias/aws/%' THEN 1
			  WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
			  WHEN f.ref LIKE 'alias/%' THEN 0 END AS aws_managed
	      FROM rows AS f
	      LEFT JOIN kms_keys AS kk
		ON kk.account_id = f.account_id AND kk.region = f.region AND kk.ref = f.ref)
	WINDOW own AS (PARTITION BY account_id, region, resource_id)
), m AS (
	-- One row per resource: its key's kind, whether a listed key names
	-- the same key, and a listed key that may or may not be it.
	SELECT account_id, region, resource_id, max(resource_type) AS resource_type,
	       max(status) AS status, max(no_conf) AS no_conf, max(k) AS k, max(extra) AS extra,
	       max(t_aws) AS aws_managed,
	       max(listed = 1 AND (ref = t_ref OR key_id = t_key)) AS matched,
	       min(CASE WHEN listed = 1 AND (key_id IS NULL OR t_key IS NULL)
			 AND NOT (aws_managed IS NOT NULL AND t_aws IS NOT NULL
				  AND aws_managed <> t_aws)
			 AND NOT (ref LIKE 'alias/aws/%' AND t_ref LIKE 'alias/aws/%')
			THEN x END) AS undecided,
	       max(t_unres) AS unresolved
	FROM resolved
	GROUP BY account_id, region, resource_id
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
