/*
 * gen-services: template-driven service resource types (see
 * gen-services.h).
 *
 * Each type is one row of svc_types[]: identity templates, a
 * configuration and a supplementary-configuration template, the
 * relationships to draw, and the odds of each non-compliant variant.
 * Field names and casing follow what AWS Config records for the type
 * (the recorded samples and AWS's Config resource schema): PascalCase for
 * ECR, ECS, EFS, OpenSearch, Kinesis, Backup, SageMaker, DMS and
 * ElastiCache; camelCase for the older EC2, ELB, RDS, Redshift and
 * Elasticsearch types.
 *
 * Template language (expanded by expand()):
 *   '          a JSON double quote (keeps the templates readable)
 *   $A $R      account id, region
 *   $N $I $X   the resource's name, id and ARN (identity templates may
 *              use the parts built before them: name, then id, then ARN)
 *   $E $O $W   environment word, ordinal among its type, a service word
 *   $C $c      creation time (ISO 8601 with ms; epoch ms)
 *   $Z         an availability zone of the region
 *   $hN        N (1-9) hex digits from the seed (each place its own)
 *   $V $S $T   a VPC id and two of its subnet ids
 *   $G $M $K   a security group id, an instance id, a KMS key ARN
 *   $L $F $P   an ELBv2 load balancer ARN, an EFS file system id, a
 *              backup plan id
 *   $Q $Y $D   a DynamoDB table ARN, a Redshift parameter group name, an
 *              ECS task definition ARN
 *   ~n(A|B)    B when flag bit n (0-7) is set, else A (choices nest)
 *   $$         a dollar sign
 * Related resources are picked per resource with fixed salts, so that a
 * field and the relationship that names the same resource agree.
 */
#include "gen-services.h"

#include <stdio.h>
#include <string.h>

struct svc_type {
	enum rtype type;
	const char *name; /* resourceName template, NULL for null */
	const char *id;   /* resourceId template */
	const char *arn;  /* ARN template */
	int zonal;        /* availabilityZone is a zone, not "Not Applicable" */
	const char *conf; /* configuration template */
	const char *supp; /* supplementaryConfiguration template */
	const char *rels; /* relationships: v VPC, s subnet, g group, m instance */
	unsigned short odds[8]; /* per mille, for flag bits 0..7 */
};

/* Bit 7 is SVC_BACKUP_TAG: set with 500 per mille on backup-able types. */
static const struct svc_type svc_types[] = {
	{T_CLB, "$E-web-clb-$O", "$N", "arn:aws:elasticloadbalancing:$R:$A:loadbalancer/$N", 0,
	 "{'loadBalancerName':'$N','dNSName':'$N-$h8.$R.elb.amazonaws.com',"
	 "'canonicalHostedZoneNameID':'Z35SXDOTRQ7X7K','listenerDescriptions':["
	 "~0({'listener':{'protocol':'HTTPS','loadBalancerPort':443,'instanceProtocol':'HTTP',"
	 "'instancePort':80,'sSLCertificateId':'~2(arn:aws:acm:$R:$A:certificate/$h8-$h4-$h4-$h4-"
	 "$h9$h3|arn:aws:iam::$A:server-certificate/$N-cert)'},'policyNames':["
	 "'ELBSecurityPolicy-TLS-1-2-2017-01']}|{'listener':{'protocol':'HTTP',"
	 "'loadBalancerPort':80,'instanceProtocol':'HTTP','instancePort':80},'policyNames':[]})],"
	 "'policies':{'appCookieStickinessPolicies':[],'lbcookieStickinessPolicies':[],"
	 "'otherPolicies':[]},'availabilityZones':['$Ra','$Rb'],'subnets':['$S','$T'],"
	 "'vPCId':'$V','instances':[],'securityGroups':['$G'],'createdTime':'$C',"
	 "'scheme':'internet-facing'}",
	 "{'LoadBalancerAttributes':{'crossZoneLoadBalancing':{'enabled':~1(true|false)},"
	 "'accessLog':{'enabled':false},'connectionDraining':{'enabled':true,'timeout':300},"
	 "'connectionSettings':{'idleTimeout':60},'additionalAttributes':[]},"
	 "'LoadBalancerPolicies':[],'Tags':[]}",
	 "vsg",
	 {250, 250, 150}},
	{T_ALB_LISTENER, NULL, "$L/$h8$h8", "$I", 0,
	 "{'ListenerArn':'$I','LoadBalancerArn':'$L',"
	 "~0(~1('Port':80,'Protocol':'HTTP','DefaultActions':[{'Type':'redirect','Order':1,"
	 "'RedirectConfig':{'Protocol':'HTTPS','Port':'443','Host':'#{host}','Path':'/#{path}',"
	 "'Query':'#{query}','StatusCode':'HTTP_301'}}]|'Port':443,'Protocol':'HTTPS',"
	 "'SslPolicy':'ELBSecurityPolicy-TLS13-1-2-2021-06','Certificates':[{'CertificateArn':"
	 "'arn:aws:acm:$R:$A:certificate/$h8-$h4-$h4-$h4-$h9$h3'}],'DefaultActions':[{'Type':"
	 "'forward','TargetGroupArn':'arn:aws:elasticloadbalancing:$R:$A:targetgroup/$E-tg-$O/"
	 "$h8$h8'}])|'Port':80,'Protocol':'HTTP','DefaultActions':[{'Type':'forward',"
	 "'TargetGroupArn':'arn:aws:elasticloadbalancing:$R:$A:targetgroup/$E-tg-$O/$h8$h8'}])}",
	 "{}", "", {250, 500}},
	{T_APIGW_STAGE, "$W-~3(prod|dev)", "arn:aws:apigateway:$R::/restapis/$h9$h1/stages/$N", "$I",
	 0,
	 "{'stageName':'$N','deploymentId':'$h6','cacheClusterEnabled':~0(true|false),"
	 "'cacheClusterSize':'0.5','cacheClusterStatus':'~0(AVAILABLE|NOT_AVAILABLE)',"
	 "'methodSettings':{'*/*':{'metricsEnabled':true,'loggingLevel':'~2(INFO|OFF)',"
	 "'dataTraceEnabled':false,'throttlingBurstLimit':5000,'throttlingRateLimit':10000.0,"
	 "'cachingEnabled':~0(true|false),'cacheTtlInSeconds':300,'cacheDataEncrypted':"
	 "~4(true|false),'requireAuthorizationForCacheControl':true,"
	 "'unauthorizedCacheControlHeaderStrategy':'SUCCEED_WITH_RESPONSE_HEADER'}},"
	 "~3('clientCertificateId':'$h6',|)'tracingEnabled':~1(true|false),"
	 "'createdDate':'$C','lastUpdatedDate':'$C'}",
	 "{}", "", {300, 400, 250, 400, 200}},
	{T_ASG, "$E-$W-asg-$O",
	 "arn:aws:autoscaling:$R:$A:autoScalingGroup:$h8-$h4-$h4-$h4-$h9$h3:autoScalingGroupName/$N",
	 "$I", 0,
	 "{'autoScalingGroupName':'$N','autoScalingGroupARN':'$I','launchConfigurationName':"
	 "'$E-$W-lc-$O','minSize':1,'maxSize':4,'desiredCapacity':2,'defaultCooldown':300,"
	 "'availabilityZones':['$Ra','$Rb'],'loadBalancerNames':[],'targetGroupARNs':["
	 "'arn:aws:elasticloadbalancing:$R:$A:targetgroup/$E-tg-$O/$h8$h8'],"
	 "'healthCheckType':'~0(ELB|EC2)','healthCheckGracePeriod':300,'instances':[],"
	 "'createdTime':'$C','suspendedProcesses':[],'vPCZoneIdentifier':'$S,$T',"
	 "'enabledMetrics':[],'terminationPolicies':['Default'],'newInstancesProtectedFromScaleIn':"
	 "false,'serviceLinkedRoleARN':'arn:aws:iam::$A:role/aws-service-role/"
	 "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'}",
	 "{'LifeCycleHooks':[]}", "s", {300}},
	{T_LAUNCH_CONFIG, "$E-$W-lc-$O",
	 "arn:aws:autoscaling:$R:$A:launchConfiguration:$h8-$h4-$h4-$h4-$h9$h3:launchConfigurationName/$N",
	 "$I", 0,
	 "{'launchConfigurationName':'$N','launchConfigurationARN':'$I','imageId':'ami-0$h8$h8',"
	 "'keyName':'$E-key','securityGroups':['$G'],'classicLinkVPCSecurityGroups':[],"
	 "'userData':'','instanceType':'t3.medium','kernelId':'','ramdiskId':'',"
	 "'blockDeviceMappings':[{'deviceName':'/dev/xvda','ebs':{'volumeSize':20,'volumeType':"
	 "'gp3','deleteOnTermination':true,'encrypted':true}}],'instanceMonitoring':{'enabled':"
	 "true},'createdTime':'$C','ebsOptimized':true~0(|,'associatePublicIpAddress':true),"
	 "'metadataOptions':{'httpTokens':'required','httpPutResponseHopLimit':1,"
	 "'httpEndpoint':'enabled'}}",
	 "{}", "g", {250}},
	{T_CODEBUILD, "$E-$W-build-$O", "$h8-$h4-$h4-$h4-$h9$h3",
	 "arn:aws:codebuild:$R:$A:project/$N", 0,
	 "{'name':'$N','arn':'arn:aws:codebuild:$R:$A:project/$N','source':{'type':"
	 "~2('GITHUB','location':'https://github.com/example-org/$W-service.git'|'BITBUCKET',"
	 "'location':'https://ci-bot:$h8$h8$h8@bitbucket.org/example-org/$W-service.git'),"
	 "'gitCloneDepth':1,'buildspec':'buildspec.yml','reportBuildStatus':true,'insecureSsl':"
	 "false},'secondarySources':[],'artifacts':{'type':'S3','location':'$E-build-artifacts-$A',"
	 "'packaging':'ZIP','encryptionDisabled':~4(false|true)},'secondaryArtifacts':[],"
	 "'environment':{'type':'LINUX_CONTAINER','image':'aws/codebuild/standard:7.0',"
	 "'computeType':'BUILD_GENERAL1_SMALL','environmentVariables':[{'name':'STAGE','value':"
	 "'$E','type':'PLAINTEXT'}~1(|,{'name':'AWS_SECRET_ACCESS_KEY','value':'$h8$h8$h8$h8$h8',"
	 "'type':'PLAINTEXT'},{'name':'AWS_ACCESS_KEY_ID','value':'AKIA$h8$h8','type':'PLAINTEXT'})],"
	 "'privilegedMode':~0(false|true),'imagePullCredentialsType':'CODEBUILD'},"
	 "'serviceRole':'arn:aws:iam::$A:role/service-role/codebuild-$N-service-role',"
	 "'timeoutInMinutes':60,'queuedTimeoutInMinutes':480,'encryptionKey':"
	 "'arn:aws:kms:$R:$A:alias/aws/s3','tags':[],'created':'$C','lastModified':'$C',"
	 "'badge':{'badgeEnabled':false},'logsConfig':{'cloudWatchLogs':{'status':"
	 "'~3(ENABLED|DISABLED)'},'s3Logs':{'status':'~5(DISABLED|ENABLED)'~5(|,'location':"
	 "'$E-build-logs-$A/$N','encryptionDisabled':true)}},'projectVisibility':'PRIVATE'}",
	 "{}", "", {100, 60, 80, 150, 100, 80}},
	{T_EIP, NULL, "eipalloc-0$h8$h8", "arn:aws:ec2:$R:$A:elastic-ip/$I", 0,
	 "{'publicIp':'$h2.$h2.$h2.$h2','allocationId':'$I','domain':'vpc',"
	 "'publicIpv4Pool':'amazon','networkBorderGroup':'$R'~0(,'associationId':'eipassoc-0$h8$h8',"
	 "'instanceId':'$M','networkInterfaceId':'eni-0$h8$h8','networkInterfaceOwnerId':'$A',"
	 "'privateIpAddress':'10.0.$h1.$h1'|)}",
	 "{}", "~", {300}},
	{T_SUBNET, NULL, "$S", "arn:aws:ec2:$R:$A:subnet/$I", 1,
	 "{'subnetId':'$I','subnetArn':'$X','state':'available','vpcId':'$V','cidrBlock':"
	 "'10.$h1.$h1.0/24','availableIpAddressCount':250,'availabilityZone':'$Z',"
	 "'defaultForAz':false,'mapPublicIpOnLaunch':~0(false|true),'assignIpv6AddressOnCreation':"
	 "false,'ipv6CidrBlockAssociationSet':[],'tags':[],'ownerId':'$A'}",
	 "{}", "v", {300}},
	{T_FLOWLOG, NULL, "fl-0$h8$h8", "arn:aws:ec2:$R:$A:vpc-flow-log/$I", 0,
	 "{'creationTime':$c,'deliverLogsStatus':'SUCCESS','flowLogId':'$I','flowLogStatus':"
	 "'ACTIVE','logGroupName':'/vpc/flow-logs/~1($V|$S)','resourceId':'~1($V|$S)','trafficType':"
	 "'~0(ALL|REJECT)','logDestinationType':'cloud-watch-logs','deliverLogsPermissionArn':"
	 "'arn:aws:iam::$A:role/vpc-flow-logs','logFormat':'${version} ${account-id} "
	 "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} "
	 "${bytes} ${start} ${end} ${action} ${log-status}','maxAggregationInterval':600,"
	 "'tags':[]}",
	 "{}", "v", {200, 300}},
	{T_NACL, NULL, "acl-0$h8$h8", "arn:aws:ec2:$R:$A:network-acl/$I", 0,
	 "{'networkAclId':'$I','vpcId':'$V','isDefault':false,'entries':[{'ruleNumber':100,"
	 "'protocol':'-1','ruleAction':'allow','egress':true,'cidrBlock':'0.0.0.0/0'},"
	 "{'ruleNumber':32767,'protocol':'-1','ruleAction':'deny','egress':true,'cidrBlock':"
	 "'0.0.0.0/0'},{'ruleNumber':100,'protocol':'6','ruleAction':'allow','egress':false,"
	 "'cidrBlock':'10.0.0.0/8','portRange':{'from':443,'to':443}},{'ruleNumber':32767,"
	 "'protocol':'-1','ruleAction':'deny','egress':false,'cidrBlock':'0.0.0.0/0'}],"
	 "'associations':[~0({'networkAclAssociationId':'aclassoc-0$h8$h8','networkAclId':'$I',"
	 "'subnetId':'$S'}|)],'tags':[],'ownerId':'$A'}",
	 "{}", "v", {350}},
	{T_ROUTE_TABLE, NULL, "rtb-0$h8$h8", "arn:aws:ec2:$R:$A:route-table/$I", 0,
	 "{'routeTableId':'$I','vpcId':'$V','routes':[{'destinationCidrBlock':'10.0.0.0/16',"
	 "'gatewayId':'local','state':'active','origin':'CreateRouteTable'}~0(,{"
	 "'destinationCidrBlock':'0.0.0.0/0','natGatewayId':'nat-0$h8$h8','state':'active',"
	 "'origin':'CreateRoute'}|,{'destinationCidrBlock':'0.0.0.0/0','gatewayId':"
	 "'igw-0$h8$h8','state':'active','origin':'CreateRoute'})],'associations':[{"
	 "'main':false,'routeTableAssociationId':'rtbassoc-0$h8$h8','routeTableId':'$I',"
	 "'subnetId':'$S','associationState':{'state':'associated'}}],'propagatingVgws':[],"
	 "'tags':[],'ownerId':'$A'}",
	 "{}", "vs", {400}},
	{T_IGW, NULL, "igw-0$h8$h8", "arn:aws:ec2:$R:$A:internet-gateway/$I", 0,
	 "{'internetGatewayId':'$I','attachments':[~0({'vpcId':'$V','state':'available'}|)],"
	 "'tags':[],'ownerId':'$A'}",
	 "{}", "~", {200}},
	{T_VPN, NULL, "vpn-0$h8$h8", "arn:aws:ec2:$R:$A:vpn-connection/$I", 0,
	 "{'vpnConnectionId':'$I','state':'available','customerGatewayId':'cgw-0$h8$h8',"
	 "'type':'ipsec.1','vpnGatewayId':'vgw-0$h8$h8','category':'VPN','vgwTelemetry':[{"
	 "'outsideIpAddress':'$h2.$h2.$h2.$h2','status':'UP','lastStatusChange':'$C',"
	 "'statusMessage':'','acceptedRouteCount':2},{'outsideIpAddress':'$h2.$h2.$h2.$h2',"
	 "'status':'~0(UP|DOWN)','lastStatusChange':'$C','statusMessage':'','acceptedRouteCount':"
	 "~0(2|0)}],'options':{'staticRoutesOnly':false},'routes':[],'tags':[]}",
	 "{}", "", {400}},
	{T_ECR, "$E/$W", "$N", "arn:aws:ecr:$R:$A:repository/$N", 0,
	 "{'Arn':'$X','RepositoryName':'$N','RepositoryUri':'$A.dkr.ecr.$R.amazonaws.com/$N',"
	 "'ImageScanningConfiguration':{'ScanOnPush':~0(true|false)},'ImageTagMutability':"
	 "'IMMUTABLE','EncryptionConfiguration':{'EncryptionType':'AES256'},'LifecyclePolicy':{},"
	 "'RepositoryPolicyText':{},'Tags':[]}",
	 "{}", "", {350}},
	{T_ECS_TASKDEF, "$E-$W:$O", "$E-$W", "arn:aws:ecs:$R:$A:task-definition/$N", 0,
	 "{'TaskDefinitionArn':'$X','Family':'$I','ContainerDefinitions':[{'Name':'$W','Image':"
	 "'$A.dkr.ecr.$R.amazonaws.com/$E/$W:1.$O.0','Cpu':256,'Memory':512,'Essential':true,"
	 "'PortMappings':[{'ContainerPort':8080,'HostPort':8080,'Protocol':'tcp'}],"
	 "'Environment':[],'MountPoints':[],'VolumesFrom':[],'Privileged':~0(false|true),"
	 "'ReadonlyRootFilesystem':~1(true|false)~2(,'User':'1000:1000'|),'LogConfiguration':{"
	 "'LogDriver':'awslogs','Options':{'awslogs-group':'/ecs/$E-$W','awslogs-region':'$R',"
	 "'awslogs-stream-prefix':'ecs'}}}],'Cpu':'256','Memory':'512','NetworkMode':"
	 "'~3(awsvpc|host)','RequiresCompatibilities':['~3(FARGATE|EC2)'],'Status':'ACTIVE',"
	 "'ExecutionRoleArn':'arn:aws:iam::$A:role/ecsTaskExecutionRole','Volumes':[],"
	 "'PlacementConstraints':[],'Tags':[]}",
	 "{}", "", {100, 400, 300, 150}},
	{T_ECS_SERVICE, "$E-$W-svc", "arn:aws:ecs:$R:$A:service/$E-cluster/$N", "$I", 0,
	 "{'ServiceArn':'$I','ServiceName':'$N','Name':'$N','Cluster':"
	 "'arn:aws:ecs:$R:$A:cluster/$E-cluster','TaskDefinition':'$D','DesiredCount':2,"
	 "'LaunchType':'FARGATE','PlatformVersion':'~0(LATEST|1.3.0)','SchedulingStrategy':"
	 "'REPLICA','DeploymentController':{'Type':'ECS'},'DeploymentConfiguration':{"
	 "'MaximumPercent':200,'MinimumHealthyPercent':100,'DeploymentCircuitBreaker':{'Enable':"
	 "true,'Rollback':true}},'NetworkConfiguration':{'AwsvpcConfiguration':{'AssignPublicIp':"
	 "'DISABLED','SecurityGroups':['$G'],'Subnets':['$S','$T']}},'EnableECSManagedTags':true,"
	 "'PropagateTags':'SERVICE','LoadBalancers':[],'ServiceRegistries':[],'Tags':[]}",
	 "{}", "", {300}},
	{T_LAMBDA, "$E-$W-handler-$O", "$N", "arn:aws:lambda:$R:$A:function:$N", 0,
	 "{'functionName':'$N','functionArn':'$X','runtime':'python3.12','role':"
	 "'arn:aws:iam::$A:role/$E-$W-lambda-role','handler':'app.handler','codeSize':4821,"
	 "'description':'','timeout':30,'memorySize':256,'lastModified':'$C','codeSha256':"
	 "'$h8$h8$h8$h8=','version':'$$LATEST',~0('vpcConfig':{'subnetIds':['$S','$T'],"
	 "'securityGroupIds':['$G']},|)~2(|'deadLetterConfig':{'targetArn':"
	 "'arn:aws:sqs:$R:$A:$E-$W-dlq'},)'tracingConfig':{'mode':'Active'},'revisionId':"
	 "'$h8-$h4-$h4-$h4-$h9$h3','packageType':'Zip','architectures':['arm64']}",
	 "{'Policy':'{\\'Version\\':\\'2012-10-17\\',\\'Id\\':\\'default\\',\\'Statement\\':[{"
	 "\\'Sid\\':\\'invoke\\',\\'Effect\\':\\'Allow\\',\\'Principal\\':~1({\\'Service\\':"
	 "\\'apigateway.amazonaws.com\\'}|\\'*\\'),\\'Action\\':\\'lambda:InvokeFunction\\',"
	 "\\'Resource\\':\\'$X\\'~1(,\\'Condition\\':{\\'ArnLike\\':{\\'AWS:SourceArn\\':"
	 "\\'arn:aws:execute-api:$R:$A:$h9$h1/*\\'}}|)}]}','Tags':{}}",
	 "~", {300, 80, 500}},
	{T_DYNAMODB, "$E-$W-$O", "$N", "arn:aws:dynamodb:$R:$A:table/$N", 0,
	 "{'tableName':'$N','tableArn':'$X','tableId':'$h8-$h4-$h4-$h4-$h9$h3','tableStatus':"
	 "'ACTIVE','creationDateTime':$c,'attributeDefinitions':[{'attributeName':'pk',"
	 "'attributeType':'S'}],'keySchema':[{'attributeName':'pk','keyType':'HASH'}],"
	 "'itemCount':0,'tableSizeBytes':0,~2('billingModeSummary':{'billingMode':"
	 "'PAY_PER_REQUEST'},'provisionedThroughput':{'numberOfDecreasesToday':0,"
	 "'readCapacityUnits':0,'writeCapacityUnits':0}|'provisionedThroughput':{"
	 "'numberOfDecreasesToday':0,'readCapacityUnits':50,'writeCapacityUnits':25})"
	 "~1(,'sSEDescription':{'status':'ENABLED','sSEType':'KMS','kMSMasterKeyArn':'$K'}|)}",
	 "{'ContinuousBackupsDescription':{'continuousBackupsStatus':'ENABLED',"
	 "'pointInTimeRecoveryDescription':{'pointInTimeRecoveryStatus':'~0(ENABLED|DISABLED)'}},"
	 "'Tags':[]}",
	 "", {300, 500, 400, 0, 0, 0, 0, 500}},
	{T_EFS, "$E-$W-fs", "fs-0$h8$h8", "arn:aws:elasticfilesystem:$R:$A:file-system/$I", 0,
	 "{'FileSystemId':'$I','Arn':'$X','Encrypted':~0(true|false)~0(,'KmsKeyId':'$K'|),"
	 "'PerformanceMode':'generalPurpose','ThroughputMode':'bursting','BackupPolicy':{"
	 "'Status':'ENABLED'},'LifecyclePolicies':[{'TransitionToIA':'AFTER_30_DAYS'}],"
	 "'FileSystemTags':[{'Key':'Name','Value':'$N'}]}",
	 "{}", "", {200, 0, 0, 0, 0, 0, 0, 500}},
	{T_EFS_AP, "$E-$W-ap", "fsap-0$h8$h8", "arn:aws:elasticfilesystem:$R:$A:access-point/$I", 0,
	 "{'AccessPointId':'$I','Arn':'$X','FileSystemId':'$F',~1('PosixUser':{'Uid':'1000',"
	 "'Gid':'1000','SecondaryGids':[]},|)'RootDirectory':{'Path':'~0(/$W|/)'"
	 "~0(,'CreationInfo':{'OwnerUid':'1000','OwnerGid':'1000','Permissions':'0750'}|)},"
	 "'AccessPointTags':[{'Key':'Name','Value':'$N'}]}",
	 "{}", "", {300, 300}},
	{T_RDS_CLUSTER, "$E-$W-aurora", "cluster-$h8$h8$h8", "arn:aws:rds:$R:$A:cluster:$N", 0,
	 "{'dBClusterIdentifier':'$N','dBClusterArn':'$X','dbClusterResourceId':'$I','engine':"
	 "'aurora-postgresql','engineVersion':'15.4','engineMode':'provisioned','status':"
	 "'available','allocatedStorage':1,'availabilityZones':['$Ra','$Rb','$Rc'],"
	 "'backupRetentionPeriod':7,'databaseName':'$W','endpoint':'$N.cluster-$h8$h4.$R.rds."
	 "amazonaws.com','port':5432,'masterUsername':'postgres','preferredBackupWindow':"
	 "'03:00-03:30','preferredMaintenanceWindow':'sun:05:00-sun:05:30','multiAZ':~0(true|false),"
	 "'dBClusterMembers':[{'dBInstanceIdentifier':'$N-1','isClusterWriter':true}~0(,{"
	 "'dBInstanceIdentifier':'$N-2','isClusterWriter':false}|)],'vpcSecurityGroups':[{"
	 "'vpcSecurityGroupId':'$G','status':'active'}],'storageEncrypted':~2(true|false)"
	 "~2(,'kmsKeyId':'$K'|),'iAMDatabaseAuthenticationEnabled':~3(true|false),"
	 "'deletionProtection':~1(true|false),'copyTagsToSnapshot':true,'clusterCreateTime':'$C',"
	 "'enabledCloudwatchLogsExports':['postgresql'],'autoMinorVersionUpgrade':true}",
	 "{'Tags':[]}", "g", {300, 300, 150, 400, 0, 0, 0, 500}},
	{T_RDS_SNAPSHOT, "$E-$W-db-snap-$O", "$N", "arn:aws:rds:$R:$A:snapshot:$N", 0,
	 "{'dBSnapshotIdentifier':'$N','dBInstanceIdentifier':'$E-$W-db','snapshotCreateTime':"
	 "'$C','engine':'mysql','allocatedStorage':100,'status':'available','port':3306,"
	 "'availabilityZone':'$Ra','vpcId':'$V','instanceCreateTime':'$C','masterUsername':"
	 "'admin','engineVersion':'8.0.35','licenseModel':'general-public-license','snapshotType':"
	 "'manual','optionGroupName':'default:mysql-8-0','percentProgress':100,'storageType':"
	 "'gp3','encrypted':~0(true|false)~0(,'kmsKeyId':'$K'|),'dBSnapshotArn':'$X',"
	 "'iAMDatabaseAuthenticationEnabled':false}",
	 "{'DBSnapshotAttributes':[{'attributeName':'restore','attributeValues':[~1(|'all')]}],"
	 "'Tags':[]}",
	 "", {250, 80}},
	{T_REDSHIFT, "$E-$W-dw", "$N", "arn:aws:redshift:$R:$A:cluster:$N", 0,
	 "{'clusterIdentifier':'$N','nodeType':'ra3.xlplus','clusterStatus':'available',"
	 "'masterUsername':'admin','dBName':'dev','endpoint':{'address':'$N.$h8$h4.$R.redshift."
	 "amazonaws.com','port':5439},'clusterCreateTime':'$C','automatedSnapshotRetentionPeriod':"
	 "~3(7|0),'manualSnapshotRetentionPeriod':-1,'clusterSecurityGroups':[],"
	 "'vpcSecurityGroups':[{'vpcSecurityGroupId':'$G','status':'active'}],"
	 "'clusterParameterGroups':[{'parameterGroupName':'$Y','parameterApplyStatus':'in-sync'}],"
	 "'clusterSubnetGroupName':'$E-redshift','vpcId':'$V','availabilityZone':'$Ra',"
	 "'preferredMaintenanceWindow':'sat:04:00-sat:04:30','pendingModifiedValues':{},"
	 "'clusterVersion':'1.0','allowVersionUpgrade':~5(true|false),'numberOfNodes':2,"
	 "'publiclyAccessible':~0(false|true),'encrypted':~1(true|false)~1(,'kmsKeyId':'$K'|),"
	 "'enhancedVpcRouting':~2(true|false),'iamRoles':[],'tags':[]}",
	 "{'LoggingStatus':{'loggingEnabled':~4(true|false)~4(,'bucketName':'$E-redshift-audit-$A',"
	 "'s3KeyPrefix':'$N/'|)}}",
	 "g", {150, 150, 400, 150, 300, 200}},
	{T_REDSHIFT_PG, "$E-redshift-params", "$N", "arn:aws:redshift:$R:$A:parametergroup:$N", 0,
	 "{'parameterGroupName':'$N','parameterGroupFamily':'redshift-1.0','description':"
	 "'$E cluster parameters','tags':[]}",
	 "{'Parameters':[{'parameterName':'datestyle','parameterValue':'ISO, MDY','source':"
	 "'engine-default','dataType':'string','applyType':'static','isModifiable':true},{"
	 "'parameterName':'enable_user_activity_logging','parameterValue':'true','source':'user',"
	 "'dataType':'boolean','applyType':'static','isModifiable':true},{'parameterName':"
	 "'require_ssl','parameterValue':'~0(true|false)','source':'~0(user|engine-default)',"
	 "'dataType':'boolean','applyType':'static','isModifiable':true}]}",
	 "", {300}},
	{T_ELASTICACHE, "$E-$W-cache-00$O", "$N", "arn:aws:elasticache:$R:$A:cluster:$N", 0,
	 "{'CacheClusterId':'$N','ARN':'$X','CacheNodeType':'cache.t4g.small','Engine':'redis',"
	 "'EngineVersion':'7.1','CacheClusterStatus':'available','NumCacheNodes':1,"
	 "'PreferredAvailabilityZone':'$Ra','CacheClusterCreateTime':'$C',"
	 "'PreferredMaintenanceWindow':'sun:06:00-sun:07:00','CacheSubnetGroupName':'$E-cache',"
	 "'AutoMinorVersionUpgrade':true,'SecurityGroups':[{'SecurityGroupId':'$G','Status':"
	 "'active'}],'SnapshotRetentionLimit':~0(7|0),'SnapshotWindow':'05:00-06:00',"
	 "'TransitEncryptionEnabled':true,'AtRestEncryptionEnabled':true}",
	 "{}", "g", {300}},
	{T_DMS, "$E-$W-replication", "$N", "arn:aws:dms:$R:$A:rep:$h8$h8$h8$h2", 0,
	 "{'ReplicationInstanceIdentifier':'$N','ReplicationInstanceArn':'$X',"
	 "'ReplicationInstanceClass':'dms.t3.medium','AllocatedStorage':50,'EngineVersion':"
	 "'3.5.2','MultiAZ':false,'AutoMinorVersionUpgrade':true,'PubliclyAccessible':"
	 "~0(false|true),'KmsKeyId':'$K','ReplicationSubnetGroupIdentifier':'$E-dms',"
	 "'VpcSecurityGroupIds':['$G'],'PreferredMaintenanceWindow':'sun:06:00-sun:06:30'}",
	 "{}", "g", {250}},
	{T_OPENSEARCH, "$E-$W-search", "$A/$N", "arn:aws:es:$R:$A:domain/$N", 0,
	 "{'Id':'$I','DomainName':'$N','Arn':'$X','EngineVersion':'OpenSearch_2.11',"
	 "'ClusterConfig':{'InstanceType':'r6g.large.search','InstanceCount':~5(3|1),"
	 "'DedicatedMasterEnabled':~5(true|false),'ZoneAwarenessEnabled':~5(true|false),"
	 "'WarmEnabled':false},'EBSOptions':{'EBSEnabled':true,'VolumeSize':100,'VolumeType':"
	 "'gp3'},~2('VPCOptions':{'SubnetIds':['$S'],'SecurityGroupIds':['$G']},|)"
	 "'EncryptionAtRestOptions':{'Enabled':~0(true|false)~0(,'KmsKeyId':'$K'|)},"
	 "'NodeToNodeEncryptionOptions':{'Enabled':~1(true|false)},'DomainEndpointOptions':{"
	 "'EnforceHTTPS':~3(true|false),'TLSSecurityPolicy':'Policy-Min-TLS-1-2-2019-07',"
	 "'CustomEndpointEnabled':false},'AdvancedSecurityOptions':{'Enabled':~3(true|false),"
	 "'InternalUserDatabaseEnabled':false,'AnonymousAuthEnabled':false},"
	 "'LogPublishingOptions':{~4('AUDIT_LOGS':{'CloudWatchLogsLogGroupArn':"
	 "'arn:aws:logs:$R:$A:log-group:/aws/opensearch/$N/audit','Enabled':true},"
	 "'ES_APPLICATION_LOGS':{'CloudWatchLogsLogGroupArn':'arn:aws:logs:$R:$A:log-group:"
	 "/aws/opensearch/$N/app','Enabled':true}|)},'AccessPolicies':{'Version':'2012-10-17',"
	 "'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::$A:root'},'Action':"
	 "'es:*','Resource':'$X/*'}]},'CognitoOptions':{'Enabled':false},'Tags':[]}",
	 "{}", "", {150, 150, 300, 150, 300, 300}},
	{T_ES, "$E-$W-es", "$A/$N", "arn:aws:es:$R:$A:domain/$N", 0,
	 "{'domainId':'$I','domainName':'$N','arn':'$X','created':true,'deleted':false,"
	 "'elasticsearchVersion':'7.10','elasticsearchClusterConfig':{'instanceType':"
	 "'r6g.large.elasticsearch','instanceCount':3,'dedicatedMasterEnabled':false,"
	 "'zoneAwarenessEnabled':true,'warmEnabled':false},'encryptionAtRestOptions':{'enabled':"
	 "~0(true|false)~0(,'kmsKeyId':'$K'|)},'nodeToNodeEncryptionOptions':{'enabled':"
	 "~1(true|false)},~2('vpcoptions':{'subnetIds':['$S'],'availabilityZones':['$Ra'],"
	 "'securityGroupIds':['$G'],'vpcid':'$V'},|'endpoint':'search-$N-$h8.$R.es.amazonaws.com',)"
	 "'domainEndpointOptions':{'enforceHTTPS':true,'tlssecurityPolicy':"
	 "'Policy-Min-TLS-1-2-2019-07','customEndpointEnabled':false},'logPublishingOptions':{"
	 "~3('ES_APPLICATION_LOGS':{'cloudWatchLogsLogGroupArn':'arn:aws:logs:$R:$A:log-group:"
	 "/aws/es/$N','enabled':true}|)},'ebsoptions':{'volumeType':'gp3','volumeSize':100,"
	 "'ebsenabled':true}}",
	 "{'Tags':[]}", "", {150, 150, 300, 300}},
	{T_KINESIS, "$E-$W-events", "$N", "arn:aws:kinesis:$R:$A:stream/$N", 0,
	 "{'Arn':'$X','Name':'$N','RetentionPeriodHours':24,'ShardCount':2,'StreamModeDetails':{"
	 "'StreamMode':'PROVISIONED'},~0('StreamEncryption':{'EncryptionType':'KMS','KeyId':"
	 "'alias/aws/kinesis'},|)'Tags':[]}",
	 "{}", "", {250}},
	{T_SAGEMAKER_NB, "$E-$W-notebook", "$N", "arn:aws:sagemaker:$R:$A:notebook-instance/$N", 0,
	 "{'NotebookInstanceName':'$N','NotebookInstanceArn':'$X','InstanceType':'ml.t3.medium',"
	 "'RoleArn':'arn:aws:iam::$A:role/service-role/AmazonSageMaker-ExecutionRole',"
	 "'SubnetId':'$S','SecurityGroupIds':['$G'],~1('KmsKeyId':'$K',|)'DirectInternetAccess':"
	 "'~0(Disabled|Enabled)','VolumeSizeInGB':20,'RootAccess':'Disabled',"
	 "'PlatformIdentifier':'notebook-al2-v2','Tags':[]}",
	 "{}", "sg", {300, 300}},
	{T_BACKUP_PLAN, "$E-backup-plan", "$h8-$h4-$h4-$h4-$h9$h3",
	 "arn:aws:backup:$R:$A:backup-plan:$I", 0,
	 "{'BackupPlanId':'$I','BackupPlanArn':'$X','VersionId':'$h8$h8','BackupPlan':{"
	 "'BackupPlanName':'$N','BackupPlanRule':[{'RuleName':'~0(daily|weekly)',"
	 "'TargetBackupVaultName':'$E-vault','ScheduleExpression':'~0(cron(0 5 ? * * *)|"
	 "cron(0 5 ? * 1 *))','StartWindowMinutes':60,'CompletionWindowMinutes':180,"
	 "'Lifecycle':{'DeleteAfterDays':~1(35|7)},'RuleId':'$h8-$h4-$h4-$h4-$h9$h3',"
	 "'EnableContinuousBackup':false}]}}",
	 "{}", "", {300, 300}},
	{T_BACKUP_SELECTION, "$E-selection", "$h8-$h4-$h4-$h4-$h9$h3",
	 "arn:aws:backup:$R:$A:backup-plan:$P/selection/$I", 0,
	 "{'BackupPlanId':'$P','SelectionId':'$I','BackupSelection':{'SelectionName':'$N',"
	 "'IamRoleArn':'arn:aws:iam::$A:role/service-role/AWSBackupDefaultServiceRole',"
	 "~0('Resources':['arn:aws:dynamodb:*:*:table/*','arn:aws:ec2:*:*:volume/*',"
	 "'arn:aws:rds:*:*:db:*'],'ListOfTags':[]|'Resources':[],"
	 "'ListOfTags':[{'ConditionType':'STRINGEQUALS','ConditionKey':'backup','ConditionValue':"
	 "'true'}])}}",
	 "{}", "", {500}},
	{T_RECOVERY_POINT, NULL, "arn:aws:backup:$R:$A:recovery-point:$h8-$h4-$h4-$h4-$h9$h3",
	 "$I", 0,
	 "{'RecoveryPointArn':'$I','BackupVaultName':'$E-vault','BackupVaultArn':"
	 "'arn:aws:backup:$R:$A:backup-vault:$E-vault','ResourceArn':'$Q','ResourceType':"
	 "'DynamoDB','CreatedBy':{'BackupPlanId':'$P','BackupPlanArn':"
	 "'arn:aws:backup:$R:$A:backup-plan:$P','BackupRuleId':'$h8-$h4-$h4-$h4-$h9$h3'},"
	 "'IamRoleArn':'arn:aws:iam::$A:role/service-role/AWSBackupDefaultServiceRole',"
	 "'Status':'COMPLETED','CreationDate':'$C','CompletionDate':'$C','BackupSizeInBytes':"
	 "1048576,'Lifecycle':{'DeleteAfterDays':~1(35|7)},'IsEncrypted':~0(true|false)"
	 "~0(,'EncryptionKeyArn':'$K'|),'StorageClass':'WARM'}",
	 "{}", "", {150, 300}},
};
#define N_SVC (sizeof(svc_types) / sizeof(svc_types[0]))

static const char *const svc_words[] = {"orders", "payments", "catalog", "search", "auth",
					"billing", "inventory", "reports", "events", "media"};

static const struct svc_type *find(enum rtype t)
{
	for (size_t i = 0; i < N_SVC; i++)
		if (svc_types[i].type == t)
			return &svc_types[i];
	return NULL;
}

int svc_is(enum rtype t)
{
	return find(t) != NULL;
}

uint32_t svc_random_flags(enum rtype t, struct rng *r)
{
	const struct svc_type *st = find(t);
	uint32_t f = 0;

	for (int bit = 0; st && bit < 8; bit++)
		if (st->odds[bit] && rng_chance(r, st->odds[bit]))
			f |= 1u << bit;
	return f;
}

/* Everything a template can name, for one resource. */
struct svc_ctx {
	const struct area *a;
	const struct res *r;
	const char *name, *id, *arn, *created;
	uint32_t place; /* position in the template: salts the hex digits */
};

/* The id (or ARN, or name) of a related resource, picked with salt. */
static void related(const struct area *a, const struct res *r, enum rtype t, uint64_t salt,
		    int part, char *out, size_t n)
{
	const struct res *o = area_pick(a, t, hash2(r->seed, salt));
	struct ident id = {0};

	if (!o) {
		snprintf(out, n, "%s", "");
		return;
	}
	res_ident(a, o, &id);
	snprintf(out, n, "%s", part == 'a' ? id.arn.p : part == 'n' ? id.name.p : id.id.p);
	gbuf_free(&id.id);
	gbuf_free(&id.name);
	gbuf_free(&id.arn);
}

static void kms_arn(const struct svc_ctx *c, char *out, size_t n)
{
	const struct res *k = area_pick(c->a, T_KMS, hash2(c->r->seed, 21));
	struct ident id = {0};

	if (!k) {
		snprintf(out, n, "arn:aws:kms:%s:%s:key/%016llx", c->a->region, c->a->account,
			 (unsigned long long)hash2(c->r->seed, 22));
		return;
	}
	res_ident(c->a, k, &id);
	snprintf(out, n, "%s", id.arn.p);
	gbuf_free(&id.id);
	gbuf_free(&id.name);
	gbuf_free(&id.arn);
}

static void vpc_and_subnet(const struct svc_ctx *c, int which, char out[32])
{
	const struct res *vpc = area_pick(c->a, T_VPC, hash2(c->r->seed, 9));

	if (which == 'V')
		vpc_id_of(out, c->a, vpc);
	else
		subnet_id_of(out, vpc, (unsigned)(which == 'S' ? hash2(c->r->seed, 14) % 3 :
						  (hash2(c->r->seed, 14) + 1) % 3));
}

/* The value of placeholder $x (one letter), or NULL for an unknown one. */
static int placeholder(struct svc_ctx *c, int x, struct gbuf *out)
{
	char tmp[256];
	const struct area *a = c->a;
	const struct res *r = c->r;

	switch (x) {
	case 'A': gbuf_puts(out, a->account); return 0;
	case 'R': gbuf_puts(out, a->region); return 0;
	case 'N': gbuf_puts(out, c->name ? c->name : ""); return 0;
	case 'I': gbuf_puts(out, c->id ? c->id : ""); return 0;
	case 'X': gbuf_puts(out, c->arn ? c->arn : ""); return 0;
	case 'E': gbuf_puts(out, area_env(a)); return 0;
	case 'O': gbuf_printf(out, "%u", r->ordinal + 1); return 0;
	case 'W':
		gbuf_puts(out, svc_words[hash2(r->seed, 5) % (sizeof svc_words / sizeof *svc_words)]);
		return 0;
	case 'C': gbuf_puts(out, c->created); return 0;
	case 'c': gbuf_printf(out, "%lld", (long long)r->created); return 0;
	case 'Z': gbuf_printf(out, "%s%c", a->region, (int)('a' + hash2(r->seed, 15) % 3)); return 0;
	case 'V':
	case 'S':
	case 'T': vpc_and_subnet(c, x, tmp); gbuf_puts(out, tmp); return 0;
	case 'G': related(a, r, T_SG, 10, 'i', tmp, sizeof tmp); break;
	case 'M': related(a, r, T_INSTANCE, 11, 'i', tmp, sizeof tmp); break;
	case 'K': kms_arn(c, tmp, sizeof tmp); break;
	case 'L': related(a, r, T_ELBV2, 12, 'a', tmp, sizeof tmp); break;
	case 'F': related(a, r, T_EFS, 13, 'i', tmp, sizeof tmp); break;
	case 'P': related(a, r, T_BACKUP_PLAN, 16, 'i', tmp, sizeof tmp); break;
	case 'Q': related(a, r, T_DYNAMODB, 17, 'a', tmp, sizeof tmp); break;
	case 'Y': related(a, r, T_REDSHIFT_PG, 18, 'n', tmp, sizeof tmp); break;
	case 'D': related(a, r, T_ECS_TASKDEF, 19, 'a', tmp, sizeof tmp); break;
	default: return -1;
	}
	gbuf_puts(out, tmp);
	return 0;
}

/* Expand template t into out (see the top of the file). Choices nest. */
static void expand(struct svc_ctx *c, const char *t, struct gbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	struct {
		int parent; /* the enclosing text is written */
		int first;  /* the flag is clear: the first branch is chosen */
	} st[8];
	int depth = 0, on = 1;

	for (const char *p = t; *p; p++) {
		c->place++;
		if (*p == '~' && p[1] >= '0' && p[1] <= '7' && p[2] == '(' && depth < 8) {
			st[depth].parent = on;
			st[depth].first = !((c->r->flags >> (p[1] - '0')) & 1);
			on = on && st[depth].first;
			depth++;
			p += 2;
			continue;
		}
		if (depth > 0 && *p == '|') {
			on = st[depth - 1].parent && !st[depth - 1].first;
			continue;
		}
		if (depth > 0 && *p == ')') {
			depth--;
			on = st[depth].parent;
			continue;
		}
		if (!on)
			continue;
		if (*p == '\'') {
			gbuf_putc(out, '"');
		} else if (*p == '\\' && p[1] == '\'') {
			gbuf_puts(out, "\\\"");
			p++;
		} else if (*p == '$' && p[1] == '$') {
			gbuf_putc(out, '$');
			p++;
		} else if (*p == '$' && p[1] == 'h' && p[2] >= '1' && p[2] <= '9') {
			uint64_t h = hash2(c->r->seed, 300 + c->place);
			for (int i = 0; i < p[2] - '0'; i++, h >>= 4)
				gbuf_putc(out, hex[h & 15]);
			p += 2;
		} else if (*p == '$' && p[1] && placeholder(c, p[1], out) == 0) {
			p++;
		} else {
			gbuf_putc(out, *p);
		}
	}
}

void svc_ident(const struct area *a, const struct res *r, struct ident *o)
{
	const struct svc_type *st = find((enum rtype)r->type);
	struct svc_ctx c = {a, r, NULL, NULL, NULL, "", 0};

	if (st->name) {
		expand(&c, st->name, &o->name);
		c.name = o->name.p;
	} else {
		o->name_null = 1;
	}
	expand(&c, st->id, &o->id);
	c.id = o->id.p;
	expand(&c, st->arn, &o->arn);
	if (st->zonal)
		snprintf(o->az, sizeof o->az, "%s%c", a->region, (int)('a' + hash2(r->seed, 15) % 3));
}

static void add_rel(struct svc_ctx *c, int letter, svc_rel_fn *rel, void *ctx)
{
	struct gbuf v = {0};
	static const struct {
		int letter, ph;
		const char *type, *name;
	} kinds[] = {
	    {'v', 'V', "AWS::EC2::VPC", "Is contained in Vpc"},
	    {'s', 'S', "AWS::EC2::Subnet", "Is contained in Subnet"},
	    {'g', 'G', "AWS::EC2::SecurityGroup", "Is associated with SecurityGroup"},
	    {'m', 'M', "AWS::EC2::Instance", "Is attached to Instance"},
	};

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i].letter != letter)
			continue;
		placeholder(c, kinds[i].ph, &v);
		if (v.p && *v.p)
			rel(ctx, kinds[i].type, v.p, kinds[i].name);
	}
	gbuf_free(&v);
}

void svc_emit(const struct area *a, const struct res *r, const struct ident *me,
	      const char *created, struct gbuf *conf, struct gbuf *supp, svc_rel_fn *rel,
	      void *rel_ctx)
{
	const struct svc_type *st = find((enum rtype)r->type);
	struct svc_ctx c = {a, r, me->name_null ? NULL : me->name.p, me->id.p, me->arn.p, created, 0};

	expand(&c, st->conf, conf);
	expand(&c, st->supp, supp);
	for (const char *p = st->rels; *p; p++) {
		if (*p == '~') {
			/* the relationship of a variant: EIPs attached to an
			 * instance, gateways attached to a VPC, functions in one */
			if (r->type == T_EIP && !(r->flags & 1u))
				add_rel(&c, 'm', rel, rel_ctx);
			if (r->type == T_IGW && !(r->flags & 1u))
				add_rel(&c, 'v', rel, rel_ctx);
			if (r->type == T_LAMBDA && !(r->flags & 1u)) {
				add_rel(&c, 's', rel, rel_ctx);
				add_rel(&c, 'g', rel, rel_ctx);
			}
			continue;
		}
		add_rel(&c, *p, rel, rel_ctx);
	}
}
