-- identifier: INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY
-- name: internet-gateway-authorized-vpc-only
-- severity: high (default: exposure)
-- remediation: Detach the internet gateway from the VPC unless the VPC is on
--   the authorized list (DetachInternetGateway).
-- resource-types: AWS::EC2::InternetGateway
-- trigger: configuration-changes
-- parameters:
--   AuthorizedVpcIds: csv, optional
-- description: Internet gateways may be attached only to authorized VPCs.
--   An internet gateway is NON_COMPLIANT when it is attached
--   (configuration.attachments[] with a vpcId, in any state but detached;
--   or, when the item has no attachments member, an "Is attached to Vpc"
--   relationship) to a VPC that is not listed in AuthorizedVpcIds; without
--   the parameter every attached gateway is NON_COMPLIANT, as AWS's page
--   says. COMPLIANT when all its attachments are to listed VPCs, and (not
--   stated by AWS, natural reading) when it is attached to no VPC. An item
--   without a recorded configuration is INSUFFICIENT_DATA, and so is a
--   gateway with no unauthorized attachment among what can be read (its
--   relationships included) but attachments recorded as something other
--   than a list of objects (a string that is not JSON, a number).
WITH igw AS (
	SELECT item_key, resource_type, resource_id, account_id, region, status, configuration,
	       -- attachments recorded as something else than a list of objects
	       list_unreadable(configuration -> '$.attachments', 'attachments') AS unreadable
	FROM current_items
	WHERE resource_type = 'AWS::EC2::InternetGateway'
), att AS (
	SELECT igw.item_key, json_extract(igw.configuration, a.fullkey || '.vpcId') AS vpc
	FROM igw, json_each(igw.configuration, '$.attachments') AS a
	WHERE a.type = 'object'
	  AND coalesce(json_extract(igw.configuration, a.fullkey || '.state'), '') <> 'detached'
	  AND json_extract(igw.configuration, a.fullkey || '.vpcId') <> ''
	UNION
	SELECT igw.item_key, r.related_id
	FROM igw JOIN relationships AS r
	  ON r.account_id = igw.account_id AND r.region = igw.region
	     AND r.resource_type = igw.resource_type AND r.resource_id = igw.resource_id
	WHERE r.related_type = 'AWS::EC2::VPC'
	  AND (json_type(igw.configuration, '$.attachments') IS NULL
	       OR json_type(igw.configuration, '$.attachments') NOT IN ('array', 'null'))
), per AS (
	SELECT item_key, count(*) AS n, min(vpc) AS first_vpc,
	       min(CASE WHEN :AuthorizedVpcIds IS NULL OR NOT csv_contains(:AuthorizedVpcIds, vpc)
	                THEN vpc END) AS bad_vpc
	FROM att GROUP BY item_key
)
SELECT igw.resource_type, igw.resource_id, igw.account_id, igw.region AS aws_region,
       CASE WHEN igw.configuration IS NULL THEN 'INSUFFICIENT_DATA'
            WHEN p.bad_vpc IS NOT NULL THEN 'NON_COMPLIANT'
            WHEN igw.unreadable IS NOT NULL THEN 'INSUFFICIENT_DATA'
            ELSE 'COMPLIANT' END AS compliance_type,
       CASE WHEN igw.configuration IS NULL
                 THEN 'configuration not recorded (status ' || igw.status || ')'
            WHEN p.bad_vpc IS NOT NULL AND :AuthorizedVpcIds IS NULL
                 THEN 'attached to ' || p.bad_vpc || ' and no AuthorizedVpcIds are given'
            WHEN p.bad_vpc IS NOT NULL
                 THEN 'attached to ' || p.bad_vpc || ', which is not in AuthorizedVpcIds'
            WHEN igw.unreadable IS NOT NULL
                 THEN 'cannot tell whether the internet gateway is attached only to authorized '
                      || 'VPCs: ' || igw.unreadable || ' (aws ec2 describe-internet-gateways)'
            WHEN p.n IS NULL THEN 'the internet gateway is not attached to a VPC'
            ELSE 'attached only to authorized VPC ' || p.first_vpc END AS annotation
FROM igw LEFT JOIN per AS p ON p.item_key = igw.item_key
