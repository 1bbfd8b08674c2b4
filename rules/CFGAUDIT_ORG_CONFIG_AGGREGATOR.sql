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
--   securityAccountId in homeRegion. The aggregators are those of the
--   AWS::Config::ConfigurationAggregator items of that account (any Region;
--   the type's members are CloudFormation's: ConfigurationAggregatorName,
--   OrganizationAggregationSource {RoleArn, AllAwsRegions, AwsRegions})
--   and of the newest aws configservice describe-configuration-aggregators
--   answer of each of its Regions captured within --max-age of the as-of
--   time (config_aggregators; same member names). COMPLIANT when one has an
--   OrganizationAggregationSource covering all Regions (AllAwsRegions
--   true) or, with aggregatorRegions, at least those, and its RoleArn
--   names an AWS::IAM::Role of the account whose attachedManagedPolicies
--   include AWSConfigRoleForOrganizations (role not in the data ->
--   INSUFFICIENT_DATA); NON_COMPLIANT naming what falls short when
--   aggregators exist but none qualifies, or when there is none and the
--   aggregator answers of homeRegion and of every Region the account has
--   data in are fresh (the data could show one); otherwise
--   INSUFFICIENT_DATA naming the Region whose answer is missing or too old.
-- missing: the aggregators (aws configservice
--   describe-configuration-aggregators in the security account, per
--   Region)
WITH agg AS (
	SELECT * FROM config_aggregators
	WHERE account_id = :securityAccountId AND name IS NOT NULL
	  AND (source = 'item' OR missing IS NULL)
), v AS (
	SELECT name || ' (' || region || ')' AS name, org_source AS org, role_arn,
	       CASE WHEN all_regions THEN 1
		    WHEN :aggregatorRegions IS NULL THEN 0
		    ELSE NOT EXISTS (
			SELECT 1 FROM json_each('["' || replace(:aggregatorRegions, ',', '","') || '"]') w
			WHERE trim(w.value) <> '' AND NOT EXISTS (
			    SELECT 1 FROM json_each(agg.aws_regions) r
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
), asked AS (
	-- the Regions whose answers must be fresh before "none" is a verdict
	SELECT :homeRegion AS region
	UNION SELECT aws_region FROM accounts
	WHERE account_id = :securityAccountId AND aws_region <> 'global'
), unasked AS (
	SELECT min(coalesce((SELECT min(c.missing) FROM config_aggregators c
			     WHERE c.source = 'evidence' AND c.account_id = :securityAccountId
			       AND c.region = a.region),
			    CASE WHEN NOT EXISTS (SELECT 1 FROM config_aggregators c
						  WHERE c.source = 'evidence'
						    AND c.account_id = :securityAccountId
						    AND c.region = a.region)
				 THEN evidence_missing('configservice describe-configuration-aggregators',
						       :securityAccountId || '/' || a.region, NULL)
			    END)) AS why
	FROM asked a
), s AS (
	SELECT (SELECT min(name) FROM r WHERE org IS NOT NULL AND regions_ok AND role_ok = 1) AS good,
	       (SELECT min(name || ': role ' || role_arn || ' is not in the data') FROM r
		WHERE org IS NOT NULL AND regions_ok AND role_ok IS NULL) AS unk,
	       (SELECT min(name || CASE WHEN org IS NULL THEN ' aggregates accounts, not the organization'
					WHEN NOT regions_ok THEN ' does not cover '
					     || coalesce(:aggregatorRegions, 'all Regions')
					ELSE ' uses role ' || coalesce(role_arn, '(none)') || ' without '
					     || 'AWSConfigRoleForOrganizations' END) FROM r) AS bad,
	       (SELECT why FROM unasked) AS unasked
)
SELECT 'AWS::::Account' AS resource_type, :securityAccountId AS resource_id,
       :securityAccountId AS account_id, :homeRegion AS aws_region,
       CASE WHEN good IS NOT NULL THEN 'COMPLIANT'
	    WHEN unk IS NOT NULL THEN 'INSUFFICIENT_DATA'
	    WHEN bad IS NOT NULL OR unasked IS NULL THEN 'NON_COMPLIANT'
	    ELSE 'INSUFFICIENT_DATA' END AS compliance_type,
       CASE WHEN good IS NOT NULL
	      THEN 'organization aggregator ' || good || ' covers '
		   || coalesce(:aggregatorRegions, 'all Regions')
		   || ' with a role holding AWSConfigRoleForOrganizations'
	    WHEN unk IS NOT NULL THEN 'organization aggregator ' || unk
	    WHEN bad IS NOT NULL THEN 'aggregator ' || bad
	    WHEN unasked IS NULL
	      THEN 'no configuration aggregator in ' || :securityAccountId
		   || ' (aws configservice describe-configuration-aggregators lists none)'
	    ELSE 'no configuration aggregator of ' || :securityAccountId || ' in the data: '
		 || unasked
       END AS annotation
FROM s
