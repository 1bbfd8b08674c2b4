-- identifier: REDSHIFT_CLUSTER_CONFIGURATION_CHECK
-- name: redshift-cluster-configuration-check
-- severity: medium (default: encryption)
-- remediation: Enable database encryption and audit logging on the cluster and
--   use an allowed node type (ModifyCluster Encrypted=true, EnableLogging).
-- resource-types: AWS::Redshift::Cluster
-- trigger: configuration-changes
-- parameters:
--   clusterDbEncrypted: bool = true
--   loggingEnabled: bool = true
--   nodeTypes: csv, optional
-- description: With clusterDbEncrypted true, NON_COMPLIANT when the Amazon
--   Redshift cluster is not encrypted (configuration.encrypted); with
--   loggingEnabled true, NON_COMPLIANT when audit logging is off
--   (supplementaryConfiguration.LoggingStatus.loggingEnabled); with
--   nodeTypes, NON_COMPLIANT when configuration.nodeType is not in the
--   list; COMPLIANT otherwise. A parameter set to false is not checked.
--   AWS lists dc1.large as the default of the optional nodeTypes, but its
--   verdict names only encryption and audit logging, and dc1.large is a
--   retired node type that would fail every current cluster: this rule
--   checks node types only when nodeTypes is given. AWS's "or encrypted
--   with another key" has no key parameter to compare with and is not
--   checked. A needed field that the item lacks (LoggingStatus is
--   supplementary and may be missing) gives INSUFFICIENT_DATA unless
--   another check already fails.
-- missing: cluster audit logging status when the item lacks LoggingStatus
--   (aws redshift describe-logging-status)
WITH d AS (
	-- The clusters' properties, parsed once per run (redshift_clusters,
	-- cfgaudit-rules(5)).
	SELECT resource_type, resource_id, account_id, region, status, recorded,
	       encrypted, node_type, logging_status AS ls
	FROM redshift_clusters
), v AS (
	SELECT resource_type, resource_id, account_id, region, status, NOT recorded AS unrec,
	       encrypted AS enc,
	       CASE WHEN json_valid(ls) AND json_type(ls) = 'object'
		    THEN ls ->> '$.loggingEnabled' END AS logging,
	       node_type
	FROM d
), w AS (
	SELECT *,
	       -- every failing check, separated by "; "
	       nullif(rtrim(
		 coalesce(CASE WHEN :clusterDbEncrypted AND enc IN (0, 'false')
				THEN 'cluster ' || resource_id || ' is not encrypted; ' END, '')
		 || coalesce(CASE WHEN :loggingEnabled AND logging IN (0, 'false')
				   THEN 'audit logging is off for cluster ' || resource_id || '; ' END, '')
		 || coalesce(CASE WHEN :nodeTypes IS NOT NULL AND node_type IS NOT NULL
					 AND NOT csv_contains(:nodeTypes, node_type)
				   THEN 'node type ' || node_type || ' is not in nodeTypes' END, ''),
		 '; '), '') AS failure,
	       CASE
		 WHEN :clusterDbEncrypted AND enc IS NULL
		   THEN 'encrypted is not in the configuration item of cluster ' || resource_id
		 WHEN :loggingEnabled AND logging IS NULL
		   THEN 'audit logging status (LoggingStatus) not recorded for cluster ' || resource_id
			|| ' (aws redshift describe-logging-status)'
		 WHEN :nodeTypes IS NOT NULL AND node_type IS NULL
		   THEN 'nodeType is not in the configuration item of cluster ' || resource_id
	       END AS unknown
	FROM v
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN unrec THEN 'INSUFFICIENT_DATA'
	 WHEN failure IS NOT NULL THEN 'NON_COMPLIANT'
	 WHEN unknown IS NOT NULL THEN 'INSUFFICIENT_DATA'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN unrec THEN 'configuration not recorded (status ' || status || ')'
	 ELSE coalesce(failure, unknown, 'cluster ' || resource_id || ' has the required settings')
       END AS annotation
FROM w;
