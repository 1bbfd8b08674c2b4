-- identifier: REDSHIFT_CLUSTER_KMS_ENABLED
-- name: redshift-cluster-kms-enabled
-- severity: medium (default: encryption)
-- remediation: Encrypt the cluster with a KMS key (ModifyCluster
--   Encrypted=true, KmsKeyId).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters:
--   kmsKeyArns: csv, optional
-- description: NON_COMPLIANT when the Amazon Redshift cluster is not
--   encrypted (configuration.encrypted false), or, with kmsKeyArns (KMS
--   key ARNs; key ids, alias names and alias ARNs are accepted too), when
--   its configuration.kmsKeyId is not one of the listed keys; COMPLIANT
--   when it is encrypted and, with kmsKeyArns, with a listed key. Keys are
--   compared after resolving ARNs and aliases to key ids through the
--   AWS::KMS::Key and AWS::KMS::Alias items of the cluster's account and
--   Region (kms_keys). An unresolved alias is still known to differ from a
--   key of the other kind (alias/aws/... names an AWS managed key, any
--   other alias a customer managed key); only when no listed key matches
--   and an unresolved alias could still be the cluster's key is the result
--   INSUFFICIENT_DATA (aws kms list-aliases). With kmsKeyArns, a cluster
--   encrypted through an HSM (hsmStatus, no kmsKeyId) is NON_COMPLIANT;
--   an encrypted cluster whose item has neither kmsKeyId nor hsmStatus is
--   INSUFFICIENT_DATA. An item without encrypted or without its
--   configuration gives INSUFFICIENT_DATA.
WITH cl AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       NOT recorded AS unrec, encrypted AS enc,
	       nullif(trim(kms_key_id), '') AS k,
	       nullif(hsm_configuration_identifier, '') AS hsm
	FROM redshift_clusters
), x AS MATERIALIZED (
	-- is the cluster's key listed (kms_keys_check, cfgaudit-rules(5)),
	-- beside the cluster's facts: one row per cluster, computed once (a
	-- join back to cl materialized and indexed every cluster again).
	SELECT cl.*, kms_keys_check(k, :kmsKeyArns, account_id, region) AS chk FROM cl
)
SELECT cl.resource_type, cl.resource_id, cl.account_id, cl.region AS aws_region,
       CASE
	 WHEN cl.unrec OR cl.enc IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN cl.enc IN (0, 'false') THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NULL THEN 'COMPLIANT'
	 WHEN cl.k IS NULL AND cl.hsm IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN cl.k IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN cl.chk = 'listed' THEN 'COMPLIANT'
	 WHEN cl.chk LIKE 'unresolved-%' THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN cl.unrec THEN 'configuration not recorded (status ' || cl.status || ')'
	 WHEN cl.enc IS NULL
	   THEN 'encrypted is not in the configuration item of cluster ' || cl.resource_id
	 WHEN cl.enc IN (0, 'false') THEN 'cluster ' || cl.resource_id || ' is not encrypted'
	 WHEN :kmsKeyArns IS NULL
	   THEN 'cluster ' || cl.resource_id || ' is encrypted'
		|| coalesce(' with KMS key ' || cl.k, ' through HSM ' || cl.hsm, '')
	 WHEN cl.k IS NULL AND cl.hsm IS NOT NULL
	   THEN 'cluster ' || cl.resource_id || ' is encrypted through HSM ' || cl.hsm
		|| ', not with a key in kmsKeyArns'
	 WHEN cl.k IS NULL
	   THEN 'the configuration item of cluster ' || cl.resource_id || ' has no kmsKeyId'
	 WHEN cl.chk = 'listed' THEN 'cluster key ' || cl.k || ' is in kmsKeyArns'
	 WHEN cl.chk LIKE 'unresolved-%'
	   THEN 'cannot tell whether ' || substr(cl.chk, instr(cl.chk, ':') + 1) || ' names cluster key '
		|| cl.k
		|| ': alias not resolved by any AWS::KMS::Alias item (aws kms list-aliases)'
	 ELSE 'cluster key ' || cl.k || ' is not in kmsKeyArns'
       END AS annotation
FROM x AS cl;
