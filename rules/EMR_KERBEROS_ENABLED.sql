-- identifier: EMR_KERBEROS_ENABLED
-- name: emr-kerberos-enabled
-- severity: medium (default: access)
-- remediation: Launch the cluster with a security configuration that enables
--   Kerberos authentication (CreateSecurityConfiguration
--   AuthenticationConfiguration.KerberosConfiguration, RunJobFlow
--   KerberosAttributes).
-- resource-types: AWS::EMR::Cluster
-- trigger: periodic
-- parameters:
--   TicketLifetimeInHours: int, optional
--   Realm: string, optional
--   Domain: string, optional
--   AdminServer: string, optional
--   KdcServer: string, optional
-- description: EMR clusters must have Kerberos enabled: NON_COMPLIANT when
--   no security configuration is attached to the cluster or it does not
--   satisfy the parameters (ticket lifetime, and the realm, domain, admin
--   server and KDC server of the cross-realm trust). AWS Config records no
--   AWS::EMR::Cluster items, and its AWS::EMR::SecurityConfiguration items
--   carry only the configuration's id and name, not which cluster uses it
--   nor its Kerberos settings. A cluster is known here through the
--   AWS::EC2::Instance items EMR launched for it (tag
--   aws:elasticmapreduce:job-flow-id = cluster id, reported as the
--   AWS::EMR::Cluster resource id): INSUFFICIENT_DATA for each cluster with
--   an instance that is not terminated, NOT_APPLICABLE for a cluster whose
--   recorded instances are all terminated or shutting down. Clusters with
--   no recorded instance cannot be seen and give no result.
-- missing: the cluster's security configuration and Kerberos attributes
--   (aws emr describe-cluster: SecurityConfiguration, KerberosAttributes;
--   aws emr describe-security-configuration: AuthenticationConfiguration.
--   KerberosConfiguration)
WITH i AS (
	SELECT account_id, region,
	       json_extract(tags, '$."aws:elasticmapreduce:job-flow-id"') AS cluster,
	       json_extract(configuration, '$.state.name') AS state
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Instance'
	  AND json_extract(tags, '$."aws:elasticmapreduce:job-flow-id"') IS NOT NULL
), cl AS (
	SELECT account_id, region, cluster, count(*) AS n,
	       sum(coalesce(state, '') NOT IN ('terminated', 'shutting-down')) AS live
	FROM i GROUP BY account_id, region, cluster
)
SELECT 'AWS::EMR::Cluster' AS resource_type, cluster AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN live = 0 THEN 'NOT_APPLICABLE' ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN live = 0
		 THEN 'the cluster is terminated: its ' || n || ' recorded instance(s) are terminated'
	    ELSE 'AWS Config does not record the security configuration of cluster ' || cluster
		 || ' nor its Kerberos settings (aws emr describe-cluster --cluster-id ' || cluster
		 || '; aws emr describe-security-configuration)'
		 || CASE WHEN coalesce(:TicketLifetimeInHours, :Realm, :Domain, :AdminServer,
				       :KdcServer) IS NOT NULL
			 THEN '; the Kerberos parameters cannot be checked either' ELSE '' END
       END AS annotation
FROM cl
