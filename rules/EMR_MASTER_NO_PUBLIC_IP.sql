-- identifier: EMR_MASTER_NO_PUBLIC_IP
-- name: emr-master-no-public-ip
-- severity: high (Security Hub EMR.1)
-- remediation: Launch the cluster in a private subnet so that its primary node
--   gets no public IP address (RunJobFlow Instances.Ec2SubnetId).
-- resource-types: AWS::EMR::Cluster, AWS::EC2::Instance
-- trigger: periodic
-- parameters: (none)
-- description: The master node of an EMR cluster must have no public IP
--   address. AWS Config records no AWS::EMR::Cluster items; a cluster is
--   known here through the AWS::EC2::Instance items EMR launched for it,
--   which carry the tags aws:elasticmapreduce:job-flow-id (the cluster id,
--   reported as the AWS::EMR::Cluster resource id) and
--   aws:elasticmapreduce:instance-group-role (MASTER for the master node).
--   A cluster is NON_COMPLIANT when a running master instance has a public
--   IP (configuration.publicIpAddress, or an association.publicIp of a
--   network interface), COMPLIANT when its running master instances have
--   none. AWS checks only clusters in RUNNING or WAITING state, which Config
--   does not record: a cluster whose master instances are all stopped,
--   terminated or shutting down is NOT_APPLICABLE, and one whose master
--   instance is not recorded (only core or task instances, or a master
--   without its configuration) is INSUFFICIENT_DATA. Clusters with no
--   recorded instance cannot be seen and give no result.
-- missing: clusters and their state when their instances are not recorded
--   (aws emr list-clusters --active; aws emr list-instances
--   --instance-group-types MASTER)
WITH i AS (
	SELECT account_id, region, resource_id, configuration AS c,
	       json_extract(tags, '$."aws:elasticmapreduce:job-flow-id"') AS cluster,
	       upper(json_extract(tags, '$."aws:elasticmapreduce:instance-group-role"')) AS role
	FROM current_items
	WHERE resource_type = 'AWS::EC2::Instance'
	  AND json_extract(tags, '$."aws:elasticmapreduce:job-flow-id"') IS NOT NULL
), m AS (
	SELECT i.*, role = 'MASTER' AND c IS NOT NULL AS master,
	       json_extract(c, '$.state.name') AS state,
	       coalesce(nullif(json_extract(c, '$.publicIpAddress'), ''),
			(SELECT min(json_extract(c, n.fullkey || '.association.publicIp'))
			 FROM json_each(c, '$.networkInterfaces') AS n
			 WHERE n.type = 'object')) AS public_ip
	FROM i
), cl AS (
	-- One pass over the instances, grouped by cluster.
	SELECT account_id, region, cluster,
	       min(CASE WHEN master AND state = 'running' AND public_ip IS NOT NULL
			THEN resource_id || ' has public IP ' || public_ip END) AS exposed,
	       min(CASE WHEN master AND state = 'running' THEN resource_id END) AS running_master,
	       min(CASE WHEN master
			THEN resource_id || ' (' || coalesce(state, 'state unknown') || ')' END)
		 AS any_master
	FROM m
	GROUP BY account_id, region, cluster
)
SELECT 'AWS::EMR::Cluster' AS resource_type, cluster AS resource_id, account_id,
       region AS aws_region,
       CASE WHEN exposed IS NOT NULL THEN 'NON_COMPLIANT'
	    WHEN running_master IS NOT NULL THEN 'COMPLIANT'
	    WHEN any_master IS NOT NULL THEN 'NOT_APPLICABLE'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN exposed IS NOT NULL THEN 'master instance ' || exposed
	    WHEN running_master IS NOT NULL
		 THEN 'master instance ' || running_master || ' has no public IP'
	    WHEN any_master IS NOT NULL
		 THEN 'the cluster is not running: master instance ' || any_master
	    ELSE 'the master instance of the cluster is not recorded (aws emr list-instances '
		 || '--cluster-id ' || cluster || ' --instance-group-types MASTER)' END AS annotation
FROM cl
