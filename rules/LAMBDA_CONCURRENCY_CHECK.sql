-- identifier: LAMBDA_CONCURRENCY_CHECK
-- name: lambda-concurrency-check
-- severity: low (default: hygiene)
-- remediation: Set reserved concurrency on the function within the allowed
--   range (PutFunctionConcurrency ReservedConcurrentExecutions).
-- resource-types: AWS::Lambda::Function
-- trigger: configuration-changes
-- parameters:
--   ConcurrencyLimitLow: string, optional
--   ConcurrencyLimitHigh: string, optional
-- description: Lambda functions must have a function-level concurrent
--   execution limit (reserved concurrency). AWS Config records it as
--   supplementaryConfiguration.Concurrency.reservedConcurrentExecutions; a
--   function without it (key absent or null) is NON_COMPLIANT. With
--   ConcurrencyLimitLow and/or ConcurrencyLimitHigh (documented as strings:
--   whole numbers, white space allowed), a limit below the low or above the
--   high bound is NON_COMPLIANT, the bounds themselves being allowed (not
--   stated by AWS); COMPLIANT otherwise. A reserved concurrency of 0 (a
--   throttled function) is a configured limit. A bound that is not a whole
--   number gives INSUFFICIENT_DATA naming it rather than a guess. An item
--   without a recorded configuration is INSUFFICIENT_DATA.
WITH p AS (
	SELECT trim(:ConcurrencyLimitLow) AS lo_t, trim(:ConcurrencyLimitHigh) AS hi_t
), b AS (
	SELECT lo_t, hi_t,
	       CASE WHEN lo_t GLOB '[0-9]*' AND lo_t NOT GLOB '*[^0-9]*' AND length(lo_t) < 10
	            THEN CAST(lo_t AS INTEGER) END AS lo,
	       CASE WHEN hi_t GLOB '[0-9]*' AND hi_t NOT GLOB '*[^0-9]*' AND length(hi_t) < 10
	            THEN CAST(hi_t AS INTEGER) END AS hi
	FROM p
), f AS (
	SELECT resource_type, resource_id, account_id, region, status, configuration,
	       json_unstring(supplementary -> '$.Concurrency')
	         ->> '$.reservedConcurrentExecutions' AS rc
	FROM current_items
	WHERE resource_type = 'AWS::Lambda::Function'
), v AS (
	SELECT f.*, b.*,
	       CASE WHEN b.lo_t <> '' AND b.lo IS NULL THEN 'ConcurrencyLimitLow'
	            WHEN b.hi_t <> '' AND b.hi IS NULL THEN 'ConcurrencyLimitHigh' END AS bad_param,
	       CASE WHEN typeof(f.rc) IN ('integer', 'real') THEN CAST(f.rc AS INTEGER)
	            WHEN trim(f.rc) GLOB '[0-9]*' AND trim(f.rc) NOT GLOB '*[^0-9.]*'
	            THEN CAST(trim(f.rc) AS INTEGER) END AS n
	FROM f, b
)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN bad_param IS NOT NULL THEN 'INSUFFICIENT_DATA'
            WHEN n IS NULL THEN 'NON_COMPLIANT'
            WHEN lo IS NOT NULL AND n < lo THEN 'NON_COMPLIANT'
            WHEN hi IS NOT NULL AND n > hi THEN 'NON_COMPLIANT'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || ')'
            WHEN bad_param IS NOT NULL
                 THEN bad_param || ' is not a whole number: '
                      || CASE bad_param WHEN 'ConcurrencyLimitLow' THEN lo_t ELSE hi_t END
            WHEN n IS NULL THEN 'no function-level concurrency limit (reservedConcurrentExecutions) is set'
            WHEN lo IS NOT NULL AND n < lo
                 THEN 'reserved concurrency ' || n || ' is below ConcurrencyLimitLow ' || lo
            WHEN hi IS NOT NULL AND n > hi
                 THEN 'reserved concurrency ' || n || ' is above ConcurrencyLimitHigh ' || hi
            ELSE 'reserved concurrency is ' || n END AS annotation
FROM v
