-- identifier: MANY_VERDICTS
-- name: many-verdicts
-- resource-types: AWS::EC2::SecurityGroup
-- description: Returns four rows per security group, one per verdict, in
--   an order that differs by group, to show that the worst verdict wins
--   (NON_COMPLIANT, then INSUFFICIENT_DATA, COMPLIANT, NOT_APPLICABLE)
--   with its own annotation, whatever the order.
WITH v(rank, verdict) AS (
	VALUES (1, 'NOT_APPLICABLE'), (2, 'COMPLIANT'), (3, 'INSUFFICIENT_DATA'),
	       (4, 'NON_COMPLIANT')
),
sg AS (
	SELECT resource_type, resource_id, account_id, region,
	       row_number() OVER (ORDER BY resource_id) AS n
	FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
)
SELECT resource_type, resource_id, account_id, region AS aws_region, verdict AS compliance_type,
       'said ' || verdict AS annotation
FROM sg, v
-- Group 1 keeps everything; from group 2 on, NON_COMPLIANT is left out so
-- INSUFFICIENT_DATA must win; the order of the rows alternates.
WHERE n = 1 OR verdict <> 'NON_COMPLIANT'
ORDER BY resource_id, CASE WHEN n % 2 = 0 THEN rank ELSE -rank END
