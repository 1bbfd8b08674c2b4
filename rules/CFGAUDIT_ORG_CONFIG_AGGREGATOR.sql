-- identifier: CFGAUDIT_ORG_CONFIG_AGGREGATOR
-- name: cfgaudit-org-config-aggregator
-- resource-types: AWS::::Account
-- trigger: periodic
-- severity: medium (default: logging)
-- remediation: Create an organization aggregator in the security account over all
--   Regions with a role holding AWSConfigRoleForOrganizations
--   (PutConfigurationAggregator OrganizationAggregationSource).
-- parameters:
--   securityAccountId: string
--   homeRegion: string = us-east-1
--   aggregatorRegions: csv, optional
-- description: cfgaudit's own rule: the security account must hold an
--   organization-wide AWS Config aggregator. One result for
--   securityAccountId in homeRegion. Reads AWS::Config::ConfigurationAggregator
--   items of that account (any Region) when the data has them (the type
--   is not in AWS's Config resource schema; the member names are
--   CloudFormation's: ConfigurationAggregatorName,
--   OrganizationAggregationSource {RoleArn, AllAwsRegions, AwsRegions}):
--   COMPLIANT when one has an OrganizationAggregationSource covering all
--   Regions (AllAwsRegions true) or, with aggregatorRegions, at least those,
--   and its RoleArn names an AWS::IAM::Role of the account whose
--   attachedManagedPolicies include AWSConfigRoleForOrganizations (role not
--   in the data -> INSUFFICIENT_DATA); NON_COMPLIANT naming what falls short
--   when aggregators exist but none qualifies; INSUFFICIENT_DATA when there
--   is no aggregator item (AWS Config may not record the type).
-- missing: the aggregators (aws configservice
--   describe-configuration-aggregators in the security account)
WITH agg AS (
	SELECT resource_id, region, json_unstring(configuration) AS c FROM current_items
	WHERE resource_type = 'AWS::Config::ConfigurationAggregator'
	  AND account_id = :securityAccountId AND configuration IS NOT NULL
), v AS (
	SELECT coalesce(c ->> '$.ConfigurationAggregatorName', resource_id) || ' (' || region || ')'
	       AS name,
	       c -> '$.OrganizationAggregationSource' AS org,
	       c ->> '$.OrganizationAggregationSource.RoleArn' AS role_arn,
	       CASE WHEN c ->> '$.OrganizationAggregationSource.AllAwsRegions' IN (1, 'true') THEN 1
		    WHEN :aggregatorRegions IS NULL THEN 0
		    ELSE NOT EXISTS (
			SELECT 1 FROM json_each('["' || replace(:aggregatorRegions, ',', '","') || '"]') w
			WHERE trim(w.value) <> '' AND NOT EXISTS (
			    SELECT 1 FROM json_each(c, '$.OrganizationAggregationSource.AwsRegions') r
			    WHERE r.value = trim(w.value)))
	       END AS regions_ok
	FROM agg
), r AS (
	SELECT v.*,
	       (SELECT CASE WHEN EXISTS (SELECT 1 FROM json_each(
					json_unstring(ro.configuration), '$.attachedManagedPolicies') p
				   WHERE p.value ->> '$.policyName' = 'AWSConfigRoleForOrganizations'
				      OR p.value ->> '$.policyArn' LIKE '%/AWSConfigRoleForOrganizations')
			    THEN 1 ELSE 0 END
		FROM current_items ro WHERE ro.resource_type = 'AWS::IAM::Role'
		  AND ro.account_id = :securityAccountId AND ro.configuration IS NOT NULL
		  AND (ro.arn = v.role_arn OR json_unstring(ro.configuration) ->> '$.arn' = v.role_arn)
	       ) AS role_ok
	FROM v
), s AS (
	SELECT (SELECT min(name) FROM r WHERE org IS NOT NULL AND regions_ok AND role_ok = 1) AS good,
	       (SELECT min(name || ': role ' || role_arn || ' is not in the data') FROM r
		WHERE org IS NOT NULL AND regions_ok AND role_ok IS NULL) AS unk,
	       (SELECT min(name || CASE WHEN org IS NULL THEN ' aggregates accounts, not the organization'
					WHEN NOT regions_ok THEN ' does not cover '
					     || coalesce(:aggregatorRegions, 'all Regions')
					ELSE ' uses role ' || coalesce(role_arn, '(none)') || ' without '
					     || 'AWSConfigRoleForOrganizations' END) FROM r) AS bad
)
SELECT 'AWS::::Account' AS resource_type, :securityAccountId AS resource_id,
       :securityAccountId AS account_id, :homeRegion AS aws_region,
       CASE WHEN good IS NOT NULL THEN 'COMPLIANT'
	    WHEN unk IS NOT NULL OR bad IS NULL THEN 'INSUFFICIENT_DATA'
	    ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN good IS NOT NULL
	      THEN 'organization aggregator ' || good || ' covers '
		   || coalesce(:aggregatorRegions, 'all Regions')
		   || ' with a role holding AWSConfigRoleForOrganizations'
	    WHEN unk IS NOT NULL THEN 'organization aggregator ' || unk
	    WHEN bad IS NOT NULL THEN 'aggregator ' || bad
	    ELSE 'no configuration aggregator of ' || :securityAccountId || ' is in the data (AWS '
		 || 'Config may not record aggregators: aws configservice '
		 || 'describe-configuration-aggregators)'
       END AS annotation
FROM s
