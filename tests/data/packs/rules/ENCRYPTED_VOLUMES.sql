-- identifier: ENCRYPTED_VOLUMES
-- name: encrypted-volumes
-- resource-types: AWS::EC2::Volume
-- trigger: configuration-changes
-- parameters:
--   kmsId: string, optional
-- description: Test rule for the pack tests: volumes must be encrypted.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE WHEN json_extract(configuration, '$.encrypted') THEN 'COMPLIANT'
            ELSE 'NON_COMPLIANT' END AS compliance_type,
       'encrypted flag' AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::Volume'
