-- identifier: API_GW_SSL_ENABLED
-- name: api-gw-ssl-enabled
-- severity: medium (Security Hub APIGateway.2)
-- remediation: Generate a client certificate and attach it to the stage for
--   backend authentication (GenerateClientCertificate, UpdateStage
--   /clientCertificateId).
-- resource-types: AWS::ApiGateway::Stage
-- trigger: configuration-changes
-- parameters:
--   CertificateIDs: csv, optional
-- description: A REST API stage must use a client (SSL) certificate for
--   its back end: COMPLIANT when configuration.clientCertificateId is set
--   and, with CertificateIDs, listed there. AWS's page makes the rule
--   NOT_APPLICABLE when the API's integrations are not of type HTTP
--   (GetIntegration), and AWS Config records no integrations: so a stage
--   without a client certificate, or with one not in CertificateIDs, is
--   NON_COMPLIANT or NOT_APPLICABLE depending on data Config lacks, and is
--   INSUFFICIENT_DATA here, naming that input. A stage with an allowed
--   certificate is COMPLIANT (it would be NOT_APPLICABLE if its API had no
--   HTTP integration; neither fails). An item recorded without its
--   configuration is INSUFFICIENT_DATA.
-- missing: the REST API's integration types (aws apigateway get-integration,
--   or get-export), which decide whether the rule applies
SELECT resource_type, resource_id, account_id, region AS aws_region,
       CASE
	 WHEN configuration IS NULL THEN 'INSUFFICIENT_DATA'
	 WHEN coalesce(configuration ->> '$.clientCertificateId', '') <> ''
	      AND (:CertificateIDs IS NULL
		   OR csv_contains(:CertificateIDs, configuration ->> '$.clientCertificateId'))
	   THEN 'COMPLIANT'
	 ELSE 'INSUFFICIENT_DATA'
       END AS compliance_type,
       CASE
	 WHEN configuration IS NULL
	   THEN 'configuration not recorded (status ' || status || ')'
	 WHEN coalesce(configuration ->> '$.clientCertificateId', '') = ''
	   THEN 'no client certificate (clientCertificateId): NON_COMPLIANT if the API has '
		|| 'HTTP integrations, else NOT_APPLICABLE; integration types are not in AWS '
		|| 'Config data (aws apigateway get-integration)'
	 WHEN :CertificateIDs IS NOT NULL
	      AND NOT csv_contains(:CertificateIDs, configuration ->> '$.clientCertificateId')
	   THEN 'client certificate ' || (configuration ->> '$.clientCertificateId')
		|| ' is not listed in CertificateIDs: NON_COMPLIANT if the API has HTTP '
		|| 'integrations, else NOT_APPLICABLE; integration types are not in AWS Config '
		|| 'data (aws apigateway get-integration)'
	 ELSE 'uses client certificate ' || (configuration ->> '$.clientCertificateId')
       END AS annotation
FROM current_items
WHERE resource_type = 'AWS::ApiGateway::Stage';
