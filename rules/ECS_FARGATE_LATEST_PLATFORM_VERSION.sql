-- identifier: ECS_FARGATE_LATEST_PLATFORM_VERSION
-- name: ecs-fargate-latest-platform-version
-- severity: low (default: hygiene)
-- remediation: Update the service to the LATEST Fargate platform version
--   (UpdateService platformVersion=LATEST).
-- resource-types: AWS::ECS::Service
-- trigger: configuration-changes
-- parameters:
--   latestLinuxVersion: string, optional
--   latestWindowsVersion: string, optional
-- description: ECS services on Fargate must use the latest platform
--   version. A Fargate service (configuration.LaunchType FARGATE, or a
--   CapacityProviderStrategy naming FARGATE or FARGATE_SPOT) is COMPLIANT
--   when its PlatformVersion is LATEST (any case) or equals
--   latestLinuxVersion or latestWindowsVersion (trimmed, exact); otherwise
--   NON_COMPLIANT, as AWS's page says (a pinned version without the
--   parameters is NON_COMPLIANT). The service item does not say which
--   operating system its tasks run, so a match with either parameter
--   counts (not stated by AWS). A Fargate service with no PlatformVersion
--   recorded runs ECS's default, LATEST, and is COMPLIANT. Services on the
--   EC2 or EXTERNAL launch type, or only on other capacity providers, are
--   NOT_APPLICABLE. A service with no launch type, no capacity provider
--   strategy and no platform version uses its cluster's default capacity
--   provider strategy, which the service item does not hold:
--   INSUFFICIENT_DATA (aws ecs describe-clusters). An item without a
--   recorded configuration is INSUFFICIENT_DATA.
WITH s AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       upper(coalesce(configuration ->> '$.LaunchType', '')) AS lt,
	       nullif(trim(configuration ->> '$.PlatformVersion'), '') AS pv,
	       coalesce(json_array_length(configuration, '$.CapacityProviderStrategy'), 0) AS n_cps,
	       nullif(trim(:latestLinuxVersion), '') AS lin,
	       nullif(trim(:latestWindowsVersion), '') AS win
	FROM current_items
	WHERE resource_type = 'AWS::ECS::Service'
), v AS MATERIALIZED (
	-- A Fargate capacity provider looked for in the service's own strategy
	-- (grouped apart and joined back, it read every service again); kind
	-- computed once.
	SELECT s.*,
	       CASE WHEN s.lt = 'FARGATE' OR EXISTS (
		      SELECT 1 FROM json_each(s.configuration, '$.CapacityProviderStrategy') AS p
		      WHERE upper(json_extract(s.configuration, p.fullkey || '.CapacityProvider'))
			    IN ('FARGATE', 'FARGATE_SPOT')) THEN 'fargate'
	            WHEN s.lt <> '' OR s.n_cps > 0 THEN 'other'
	            WHEN s.pv IS NOT NULL THEN 'fargate'
	            ELSE 'unknown' END AS kind
	FROM s
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN kind = 'other' THEN 'NOT_APPLICABLE'
            WHEN kind = 'unknown' THEN 'INSUFFICIENT_DATA'
            WHEN pv IS NULL OR upper(pv) = 'LATEST' OR pv = lin OR pv = win THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN kind = 'other'
                 THEN 'not a Fargate service (launch type '
                      || coalesce(nullif(lt, ''), 'set by capacity providers') || ')'
            WHEN kind = 'unknown'
                 THEN 'no launch type or capacity provider strategy recorded: the cluster default '
                      || 'capacity provider strategy decides (aws ecs describe-clusters)'
            WHEN pv IS NULL THEN 'no PlatformVersion recorded: Fargate uses LATEST'
            WHEN upper(pv) = 'LATEST' THEN 'PlatformVersion is LATEST'
            WHEN pv = lin THEN 'PlatformVersion ' || pv || ' is latestLinuxVersion'
            WHEN pv = win THEN 'PlatformVersion ' || pv || ' is latestWindowsVersion'
            WHEN lin IS NULL AND win IS NULL
                 THEN 'PlatformVersion ' || pv || ' is not LATEST (no latestLinuxVersion or '
                      || 'latestWindowsVersion given)'
            ELSE 'PlatformVersion ' || pv || ' is not LATEST'
                 || coalesce(', ' || lin || ' (latestLinuxVersion)', '')
                 || coalesce(', ' || win || ' (latestWindowsVersion)', '') END AS annotation
FROM v
