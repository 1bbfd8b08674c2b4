-- identifier: SSM_DOCUMENT_NOT_PUBLIC
-- name: ssm-document-not-public
-- severity: critical (Security Hub SSM.4)
-- remediation: Stop sharing the document publicly (ssm ModifyDocumentPermission
--   PermissionType=Share AccountIdsToRemove=All).
-- resource-types: AWS::SSM::Document
-- trigger: periodic
-- parameters: (none)
-- description: Systems Manager documents owned by the account (owner
--   Self) must not be shared publicly. Whether a document is shared, and
--   with whom, is its sharing permission (DescribeDocumentPermission,
--   AccountIds containing "all"), which AWS Config does not record: the
--   AWS::SSM::Document item holds the document's name, type, format,
--   version, target type, requirements and attachments, nothing about
--   sharing. Every recorded document (AWS Config records only documents of
--   the account, so all are owner Self) is therefore INSUFFICIENT_DATA,
--   with an annotation naming the document and the command that answers
--   the question; never a guessed verdict.
-- missing: the document's sharing permissions (aws ssm
--   describe-document-permission --name NAME --permission-type Share)
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'INSUFFICIENT_DATA' AS compliance_type,
       CASE WHEN configuration IS NULL
                 THEN 'configuration not recorded (status ' || status || '); sharing of '
            ELSE 'sharing permissions are not in AWS Config data: sharing of '
       END || coalesce(configuration ->> '$.Name', resource_name, resource_id)
       || ' unknown (aws ssm describe-document-permission --name '
       || coalesce(configuration ->> '$.Name', resource_name, resource_id)
       || ' --permission-type Share)' AS annotation
FROM current_items
WHERE resource_type = 'AWS::SSM::Document'
