-- identifier: API_GW_EXECUTION_LOGGING_ENABLED
-- name: api-gw-execution-logging-enabled
-- severity: medium (Security Hub APIGateway.1)
-- remediation: Set the stage's execution logging level to ERROR or INFO
--   (UpdateStage /*/*/logging/loglevel, or DefaultRouteSettings.LoggingLevel
--   for HTTP and WebSocket APIs).
-- resource-types: AWS::ApiGateway::Stage, AWS::ApiGatewayV2::Stage
-- trigger: configuration-changes
-- parameters:
--   loggingLevel: string = ERROR,INFO
-- description: Execution logging must be enabled for all methods of the
--   stage at one of the accepted levels (loggingLevel, comma-separated,
--   case-insensitive): NON_COMPLIANT otherwise, COMPLIANT when it is.
--   REST stages (AWS::ApiGateway::Stage): the stage-wide entry "*/*" of
--   configuration.methodSettings must have an accepted loggingLevel and no
--   per-method entry may set another level; empty methodSettings means
--   logging is off (not stated by AWS; as the public sample rule does).
--   HTTP/WebSocket stages (AWS::ApiGatewayV2::Stage):
--   defaultRouteSettings.loggingLevel must be accepted and no entry of
--   routeSettings may set another level.
WITH s AS (
	SELECT resource_type, resource_id, account_id, region,
	       json_unstring(configuration) AS c
	FROM current_items
	WHERE resource_type IN ('AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage')
), r AS MATERIALIZED (
	-- MATERIALIZED (as v): each stage's configuration is read once, not
	-- at every use of the columns taken from it.
	SELECT resource_type, resource_id, account_id, region, c IS NULL AS no_conf,
	       coalesce(c ->> '$.stageName', resource_id) AS stage,
	       CASE WHEN resource_type = 'AWS::ApiGateway::Stage'
		    THEN json_unstring(c ->> '$.methodSettings')
		    ELSE json_unstring(c ->> '$.routeSettings') END AS raw_entries,
	       CASE WHEN resource_type <> 'AWS::ApiGateway::Stage'
		    THEN c ->> '$.defaultRouteSettings.loggingLevel' END AS v2_level
	FROM s
), m AS (
	-- Only valid JSON reaches the JSON functions: a malformed string
	-- value must not abort the whole rule.
	SELECT *,
	       CASE WHEN json_valid(raw_entries) THEN raw_entries END AS entries,
	       CASE WHEN resource_type = 'AWS::ApiGateway::Stage'
		    THEN CASE WHEN json_valid(raw_entries)
			      THEN raw_entries ->> '$."*/*".loggingLevel' END
		    ELSE v2_level END AS base_level
	FROM r
), v AS MATERIALIZED (
	SELECT *,
	       CASE WHEN json_type(entries) = 'object'
		    THEN (SELECT count(*) FROM json_each(entries)) ELSE 0 END AS n_entries,
	       CASE WHEN json_type(entries) = 'object'
		    THEN (SELECT min(j.key || ' has loggingLevel '
				     || (j.value ->> '$.loggingLevel'))
			  FROM json_each(entries) j
			  WHERE j.type = 'object' AND j.value ->> '$.loggingLevel' IS NOT NULL
			    AND NOT csv_contains(upper(:loggingLevel),
						 upper(j.value ->> '$.loggingLevel')))
	       END AS bad_entry,
	       base_level IS NOT NULL
	       AND csv_contains(upper(:loggingLevel), upper(base_level)) AS base_ok
	FROM m
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN no_conf THEN 'INSUFFICIENT_DATA'
	 WHEN NOT coalesce(base_ok, 0) OR bad_entry IS NOT NULL THEN 'NON_COMPLIANT'
	 ELSE 'COMPLIANT'
       END AS compliance_type,
       CASE
	 WHEN no_conf THEN 'stage configuration not recorded in the configuration item'
	 WHEN resource_type = 'AWS::ApiGateway::Stage' AND n_entries = 0
	   THEN 'stage ' || stage || ' has no methodSettings: execution logging is not enabled'
	 WHEN resource_type = 'AWS::ApiGateway::Stage' AND base_level IS NULL
	   THEN 'stage ' || stage || ' has no stage-wide (*/*) loggingLevel: not all methods log'
	 WHEN base_level IS NULL
	   THEN 'stage ' || stage || ' has no defaultRouteSettings.loggingLevel: execution '
		|| 'logging is not enabled'
	 WHEN NOT coalesce(base_ok, 0)
	   THEN 'stage ' || stage || ' logs at level ' || base_level || ', not one of '
		|| :loggingLevel
	 WHEN bad_entry IS NOT NULL
	   THEN 'stage ' || stage || ': ' || bad_entry || ', not one of ' || :loggingLevel
	 ELSE 'stage ' || stage || ' logs all methods at level ' || base_level
       END AS annotation
FROM v;
