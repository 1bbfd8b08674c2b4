-- identifier: ECHO_PARAM
-- name: echo-param
-- resource-types: AWS::EC2::SecurityGroup
-- parameters:
--   text: string = x
--   count: int = 1
-- description: Puts its parameters into the annotation, to show they are
--   bound as values.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, :text || '|' || (:count + 1) AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
