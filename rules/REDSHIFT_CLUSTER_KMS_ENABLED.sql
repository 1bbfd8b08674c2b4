-- identifier: REDSHIFT_CLUSTER_KMS_ENABLED
-- name: redshift-cluster-kms-enabled
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
WITH RECURSIVE parts(rest, one) AS (
	SELECT :kmsKeyArns || ',', NULL WHERE :kmsKeyArns IS NOT NULL
	UNION ALL
	SELECT substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
	FROM parts WHERE rest <> ''
), listed AS (
	SELECT DISTINCT trim(one) AS spelled, kms_key_ref(one) AS ref
	FROM parts WHERE kms_key_ref(one) IS NOT NULL
), cl AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status,
	       json_unstring(configuration) AS c,
	       json_unstring(configuration) ->> '$.encrypted' AS enc,
	       nullif(trim(json_unstring(configuration) ->> '$.kmsKeyId'), '') AS k,
	       nullif(json_unstring(configuration) ->> '$.hsmStatus.hsmConfigurationIdentifier', '')
	       AS hsm
	FROM current_items
	WHERE resource_type = 'AWS::Redshift::Cluster'
), names AS (
	-- The cluster's key (side 'c') and each listed key (side 'l'), per
	-- cluster, resolved in the cluster's account and Region: the key id it
	-- names (NULL for an alias no item resolves) and its kind (1 AWS
	-- managed, 0 customer managed, NULL unknown).
	SELECT n.item_key, n.side, n.spelled, n.ref,
	       CASE WHEN n.ref LIKE 'alias/%' THEN kk.key_id ELSE n.ref END AS key_id,
	       CASE WHEN n.ref LIKE 'alias/aws/%' THEN 1
		    WHEN kk.aws_managed IS NOT NULL THEN kk.aws_managed
		    WHEN n.ref LIKE 'alias/%' THEN 0 END AS kind
	FROM (SELECT cl.item_key, cl.account_id, cl.region, 'c' AS side, cl.k AS spelled,
		     kms_key_ref(cl.k) AS ref
	      FROM cl WHERE cl.k IS NOT NULL AND :kmsKeyArns IS NOT NULL
	      UNION ALL
	      SELECT cl.item_key, cl.account_id, cl.region, 'l', l.spelled, l.ref
	      FROM cl, listed AS l WHERE cl.k IS NOT NULL) AS n
	LEFT JOIN kms_keys AS kk
	  ON kk.account_id = n.account_id AND kk.region = n.region AND kk.ref = n.ref
), cmp AS (
	SELECT mine.item_key,
	       max(other.ref = mine.ref OR other.key_id = mine.key_id) AS matched,
	       min(CASE WHEN (other.key_id IS NULL OR mine.key_id IS NULL)
			 AND NOT coalesce(other.kind <> mine.kind, 0)
			 AND NOT (other.ref LIKE 'alias/aws/%' AND mine.ref LIKE 'alias/aws/%')
			THEN other.spelled END) AS maybe
	FROM names AS mine
	JOIN names AS other ON other.item_key = mine.item_key AND other.side = 'l'
	WHERE mine.side = 'c'
	GROUP BY mine.item_key
)
SELECT cl.resource_type, cl.resource_id, cl.account_id, cl.region AS aws_region,
       CASE
	 WHEN cl.c IS NULL OR cl.enc IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN cl.enc IN (0, 'false') THEN 'NON_COMPLIANT'
	 WHEN :kmsKeyArns IS NULL THEN 'COMPLIANT'
	 WHEN cl.k IS NULL AND cl.hsm IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN cl.k IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN x.matched THEN 'COMPLIANT'
	 WHEN x.maybe IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'NON_COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN cl.c IS NULL THEN 'configuration not recorded (status ' || cl.status || ')'
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
	 WHEN x.matched THEN 'cluster key ' || cl.k || ' is in kmsKeyArns'
	 WHEN x.maybe IS NOT NULL
	   THEN 'cannot tell whether ' || x.maybe || ' names cluster key ' || cl.k
		|| ': alias not resolved by any AWS::KMS::Alias item (aws kms list-aliases)'
	 ELSE 'cluster key ' || cl.k || ' is not in kmsKeyArns'
       END AS annotation
FROM cl LEFT JOIN cmp AS x ON x.item_key = cl.item_key;
