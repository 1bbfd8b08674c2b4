-- identifier: INCOMING_SSH_DISABLED
-- name: restricted-ssh
-- resource-types: AWS::EC2::SecurityGroup
-- parameters:
--   label: string = user
-- description: A user override of the built-in rule: every group is
--   COMPLIANT, with the label parameter in the annotation.
SELECT resource_type, resource_id, account_id, region AS aws_region,
       'COMPLIANT' AS compliance_type, 'label=' || :label AS annotation
FROM current_items WHERE resource_type = 'AWS::EC2::SecurityGroup'
