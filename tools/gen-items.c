/*
 * gen-items: one resource version -> one configuration item, in the S3
 * delivery shape of AWS Config (see gen-items.h).
 *
 * Shapes follow the recorded items described in the config-formats
 * reference: camelCase configurations for the legacy types, PascalCase
 * for the CloudFormation-registry ones (GuardDuty, SNS, Logs, Secrets
 * Manager); JSON documents inside strings where AWS puts them there (S3
 * ACL and bucket policy, KMS and SNS policies); URL-encoded IAM policy
 * documents; old security-group items with only ipRanges strings.
 *
 * Everything is a function of (resource seed, version): the identity
 * random stream derives from the seed alone, the content stream from seed
 * and version. Single-threaded: scratch buffers are static.
 */
#include "gen-items.h"
#include "gen-services.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct rtype_info rtypes[T_NTYPES] = {
	[T_SG] = {"AWS::EC2::SecurityGroup", 170, 0},
	[T_INSTANCE] = {"AWS::EC2::Instance", 80, 0},
	[T_VOLUME] = {"AWS::EC2::Volume", 100, 0},
	[T_VPC] = {"AWS::EC2::VPC", 15, 0},
	[T_BUCKET] = {"AWS::S3::Bucket", 90, 0},
	[T_ACCOUNT_PAB] = {"AWS::S3::AccountPublicAccessBlock", 0, 0},
	[T_IAM_USER] = {"AWS::IAM::User", 40, 1},
	[T_IAM_ROLE] = {"AWS::IAM::Role", 120, 1},
	[T_IAM_POLICY] = {"AWS::IAM::Policy", 80, 1},
	[T_IAM_GROUP] = {"AWS::IAM::Group", 8, 1},
	[T_KMS] = {"AWS::KMS::Key", 30, 0},
	[T_TRAIL] = {"AWS::CloudTrail::Trail", 0, 0},
	[T_GUARDDUTY] = {"AWS::GuardDuty::Detector", 0, 0},
	[T_SNS] = {"AWS::SNS::Topic", 30, 0},
	[T_RDS] = {"AWS::RDS::DBInstance", 20, 0},
	[T_LOGGROUP] = {"AWS::Logs::LogGroup", 100, 0},
	[T_ALARM] = {"AWS::CloudWatch::Alarm", 45, 0},
	[T_ELBV2] = {"AWS::ElasticLoadBalancingV2::LoadBalancer", 20, 0},
	[T_SECRET] = {"AWS::SecretsManager::Secret", 20, 0},
	/* Service types: not drawn at random (weight 0), so that adding one
	 * leaves every other resource of an archive as it was; populate()
	 * gives each area a few of each. */
	[T_CLB] = {"AWS::ElasticLoadBalancing::LoadBalancer", 0, 0},
	[T_ALB_LISTENER] = {"AWS::ElasticLoadBalancingV2::Listener", 0, 0},
	[T_APIGW_STAGE] = {"AWS::ApiGateway::Stage", 0, 0},
	[T_ASG] = {"AWS::AutoScaling::AutoScalingGroup", 0, 0},
	[T_LAUNCH_CONFIG] = {"AWS::AutoScaling::LaunchConfiguration", 0, 0},
	[T_CODEBUILD] = {"AWS::CodeBuild::Project", 0, 0},
	[T_EIP] = {"AWS::EC2::EIP", 0, 0},
	[T_SUBNET] = {"AWS::EC2::Subnet", 0, 0},
	[T_FLOWLOG] = {"AWS::EC2::FlowLog", 0, 0},
	[T_NACL] = {"AWS::EC2::NetworkAcl", 0, 0},
	[T_ROUTE_TABLE] = {"AWS::EC2::RouteTable", 0, 0},
	[T_IGW] = {"AWS::EC2::InternetGateway", 0, 0},
	[T_VPN] = {"AWS::EC2::VPNConnection", 0, 0},
	[T_ECR] = {"AWS::ECR::Repository", 0, 0},
	[T_ECS_TASKDEF] = {"AWS::ECS::TaskDefinition", 0, 0},
	[T_ECS_SERVICE] = {"AWS::ECS::Service", 0, 0},
	[T_LAMBDA] = {"AWS::Lambda::Function", 0, 0},
	[T_DYNAMODB] = {"AWS::DynamoDB::Table", 0, 0},
	[T_EFS] = {"AWS::EFS::FileSystem", 0, 0},
	[T_EFS_AP] = {"AWS::EFS::AccessPoint", 0, 0},
	[T_RDS_CLUSTER] = {"AWS::RDS::DBCluster", 0, 0},
	[T_RDS_SNAPSHOT] = {"AWS::RDS::DBSnapshot", 0, 0},
	[T_REDSHIFT] = {"AWS::Redshift::Cluster", 0, 0},
	[T_REDSHIFT_PG] = {"AWS::Redshift::ClusterParameterGroup", 0, 0},
	[T_ELASTICACHE] = {"AWS::ElastiCache::CacheCluster", 0, 0},
	[T_DMS] = {"AWS::DMS::ReplicationInstance", 0, 0},
	[T_OPENSEARCH] = {"AWS::OpenSearch::Domain", 0, 0},
	[T_ES] = {"AWS::Elasticsearch::Domain", 0, 0},
	[T_KINESIS] = {"AWS::Kinesis::Stream", 0, 0},
	[T_SAGEMAKER_NB] = {"AWS::SageMaker::NotebookInstance", 0, 0},
	[T_BACKUP_PLAN] = {"AWS::Backup::BackupPlan", 0, 0},
	[T_BACKUP_SELECTION] = {"AWS::Backup::BackupSelection", 0, 0},
	[T_RECOVERY_POINT] = {"AWS::Backup::RecoveryPoint", 0, 0},
};

/* ---------------------------------------------------------------- area */

size_t area_add(struct area *a, enum rtype type, uint64_t seed, uint32_t flags, ms_t created,
		ms_t capture, int status)
{
	struct res *r;

	if (a->nres == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->res = gen_xrealloc(a->res, a->cap * sizeof *a->res);
	}
	if (a->nbytype[type] == a->capbytype[type]) {
		a->capbytype[type] = a->capbytype[type] ? a->capbytype[type] * 2 : 16;
		a->bytype[type] =
			gen_xrealloc(a->bytype[type], a->capbytype[type] * sizeof(uint32_t));
	}
	r = &a->res[a->nres];
	memset(r, 0, sizeof *r);
	r->seed = seed;
	r->type = (uint16_t)type;
	r->flags = flags;
	r->created = created;
	r->capture = capture;
	r->status = (uint8_t)status;
	r->alive = 1;
	r->version = 1;
	r->ordinal = (uint32_t)a->nbytype[type];
	a->bytype[type][a->nbytype[type]++] = (uint32_t)a->nres;
	return a->nres++;
}

void area_free(struct area *a)
{
	free(a->res);
	for (int t = 0; t < T_NTYPES; t++)
		free(a->bytype[t]);
	memset(a, 0, sizeof *a);
}

uint32_t random_flags(enum rtype type, struct rng *r)
{
	uint32_t f = 0;
#define P(bit, pm)                                                                                 \
	do {                                                                                       \
		if (rng_chance(r, pm))                                                             \
			f |= (bit);                                                                \
	} while (0)
	switch (type) {
	case T_SG:
		P(SG_SSH_OPEN, 40);
		P(SG_RDP_OPEN6, 20);
		P(SG_ALL_OPEN, 15);
		P(SG_WIDE_RANGE, 20);
		P(SG_DB_OPEN, 15);
		P(SG_LEGACY, 100);
		break;
	case T_INSTANCE:
		P(I_PUBLIC_IP, 200);
		P(I_IMDSV2, 550);
		P(I_STOPPED, 100);
		break;
	case T_VOLUME:
		P(V_UNENCRYPTED, 180);
		P(V_ATTACHED, 750);
		break;
	case T_BUCKET:
		P(B_PUBLIC_ACL, 25);
		P(B_PUBLIC_POLICY, 25);
		P(B_PUBLIC_WRITE, 5);
		P(B_SSL_DENY, 400);
		P(B_NO_SSE, 80);
		P(B_BPA, 600);
		P(B_VERSIONING, 500);
		P(B_LOGGING, 400);
		P(B_LIFECYCLE, 400);
		P(B_KMS, 250);
		break;
	case T_ACCOUNT_PAB:
		P(PAB_PARTIAL, 200);
		break;
	case T_IAM_USER:
		P(IAM_INLINE, 200);
		P(IAM_NO_GROUP, 250);
		P(IAM_ATTACHED, 500);
		P(IAM_ADMIN, 30);
		break;
	case T_IAM_ROLE:
		P(IAM_INLINE, 300);
		P(IAM_ATTACHED, 800);
		P(IAM_AWS_SERVICE, 600);
		P(IAM_KMS_ALL, 50);
		P(IAM_ADMIN, 20);
		break;
	case T_IAM_POLICY:
		P(IAM_ADMIN, 50);
		P(IAM_S3_FULL, 100);
		P(IAM_KMS_ALL, 80);
		P(IAM_OLD_ADMIN, 50);
		break;
	case T_IAM_GROUP:
		P(IAM_INLINE, 150);
		P(IAM_EMPTY_GROUP, 100);
		break;
	case T_KMS:
		P(K_AWS_MANAGED, 300);
		if (!(f & K_AWS_MANAGED)) {
			P(K_NO_ROTATION, 300);
			P(K_PENDING_DELETION, 40);
			P(K_DISABLED, 30);
		}
		break;
	case T_TRAIL:
		P(TR_NO_VALIDATION, 150);
		P(TR_NO_KMS, 300);
		P(TR_NO_CWL, 250);
		P(TR_SINGLE_REGION, 150);
		break;
	case T_GUARDDUTY:
		P(GD_DISABLED, 80);
		break;
	case T_SNS:
		P(SNS_NO_KMS, 500);
		P(SNS_PUBLIC, 30);
		break;
	case T_RDS:
		P(RDS_UNENCRYPTED, 150);
		P(RDS_PUBLIC, 80);
		P(RDS_NO_LOGS, 400);
		break;
	case T_LOGGROUP:
		P(LG_NO_RETENTION, 400);
		if (!(f & LG_NO_RETENTION))
			P(LG_SHORT_RETENTION, 300);
		P(LG_KMS, 200);
		break;
	case T_ALARM:
		P(AL_NO_ACTIONS, 200);
		break;
	case T_ELBV2:
		P(ELB_NO_LOGS, 500);
		P(ELB_INTERNAL, 400);
		break;
	case T_SECRET:
		P(SEC_NO_ROTATION, 400);
		break;
	default:
		if (svc_is(type))
			return svc_random_flags(type, r);
		break;
	}
	P(F_HOSTILE, 10);
#undef P
	return f;
}

/* ------------------------------------------------------------ identity */


static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void put_hex(struct gbuf *b, uint64_t seed, uint64_t salt, int nhex)
{
	char tmp[33];
	uint64_t h = hash2(seed, salt), h2 = hash2(seed, salt + 7777);
	int i;

	for (i = 0; i < nhex && i < 32; i++) {
		uint64_t v = i < 16 ? h : h2;
		tmp[i] = "0123456789abcdef"[(v >> ((i % 16) * 4)) & 15];
	}
	gbuf_add(b, tmp, (size_t)i);
}

/* Upper-case id like IAM's AIDA.../AROA... (prefix + 17 base-32 chars). */
static void put_iam_id(struct gbuf *b, const char *prefix, uint64_t seed)
{
	uint64_t h = hash2(seed, 0x1a3), h2 = hash2(seed, 0x1a4);
	gbuf_puts(b, prefix);
	for (int i = 0; i < 17; i++) {
		uint64_t v = i < 12 ? h : h2;
		gbuf_putc(b, b32[(v >> ((i % 12) * 5)) & 31]);
	}
}

static void put_uuid(struct gbuf *b, uint64_t seed, uint64_t salt)
{
	struct rng r;
	char u[37];
	rng_seed(&r, hash2(seed, salt));
	fmt_uuid(u, &r);
	gbuf_puts(b, u);
}

static const char *const sg_names[] = {"web", "app", "db", "bastion", "alb", "lambda",
				       "eks-cluster", "redis", "batch", "vpn", "monitoring",
				       "jenkins", "kafka", "elasticsearch", "nat", "efs"};
static const char *const bucket_words[] = {"assets", "backups", "logs", "artifacts", "data-lake",
					   "uploads", "static-site", "terraform-state", "reports",
					   "ml-models", "exports", "cdn-origin", "audit", "archive"};
static const char *const role_names[] = {
	"AWSServiceRoleForAutoScaling", "AWSServiceRoleForElasticLoadBalancing",
	"AWSServiceRoleForRDS", "AWSServiceRoleForSupport", "AWSServiceRoleForTrustedAdvisor",
	"AWSServiceRoleForConfig", "lambda-exec", "ecs-task", "ec2-instance", "ci-deploy",
	"github-actions-oidc", "data-pipeline", "read-only-auditor", "break-glass",
	"eks-node", "glue-crawler", "step-functions", "sagemaker-exec"};
static const char *const user_first[] = {"alice", "bob", "carol", "dave", "erin", "frank",
					 "grace", "heidi", "ivan", "judy", "mallory", "niaj",
					 "olivia", "peggy", "rupert", "sybil", "trent", "victor",
					 "walter", "svc-jenkins", "svc-backup", "svc-monitoring"};
static const char *const group_names[] = {"Administrators", "Developers", "ReadOnly",
					  "Auditors",       "BillingAdmins", "NetworkAdmins",
					  "DataScience",    "OnCall",        "SecurityTeam",
					  "Contractors"};
static const char *const policy_words[] = {"S3Access", "DynamoDBWrite", "KMSUsage",
					   "CloudWatchPublish", "SQSConsume", "SecretsRead",
					   "DeployPipeline", "ECRPull", "LambdaInvoke", "EC2Describe",
					   "AthenaQuery", "BillingView", "SSMSession", "Route53Update"};
static const char *const svc_words[] = {"orders", "payments", "catalog", "search", "auth",
					"inventory", "shipping", "notifications", "reporting",
					"billing", "profile", "gateway"};

#define ARRLEN(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* "<a word>-<b word>-<ordinal>": b's word is drawn first, as the
 * argument order of the gcc build that wrote testdata/ had it (the order
 * of an expression's rng calls must not be left to the compiler). */
static void name2(struct gbuf *out, struct rng *r, const char *const *a,
		  uint32_t na, const char *const *b, uint32_t nb, unsigned ordinal)
{
	const char *wb = b[rng_below(r, nb)];
	const char *wa = a[rng_below(r, na)];

	gbuf_printf(out, "%s-%s-%u", wa, wb, ordinal);
}
static const char *const log_prefixes[] = {"/aws/lambda/", "/aws/ecs/", "/aws/rds/instance/",
					   "/aws/eks/", "/aws/codebuild/", "/aws/apigateway/",
					   "/app/", "/aws/vpc/flowlogs/"};

static const char *hostile_names[] = {
	"\"quoted\" <script>alert('x')</script> & co",
	"caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x9a\x80",
	"ctl\x01" "char\x1f" "tab\there",
	"back\\slash/and\"quote",
};

/* Word for an account's environment, used in names and tags. */
static const char *env_of(const struct area *a)
{
	const char *n = a->account_name;
	if (!strcmp(n, "production"))
		return "prod";
	if (!strcmp(n, "development"))
		return "dev";
	if (!strcmp(n, "security"))
		return "security";
	if (!strcmp(n, "log-archive"))
		return "logs";
	if (!strcmp(n, "management"))
		return "mgmt";
	return n;
}

static void make_ident(const struct area *a, const struct res *r, struct ident *o)
{
	struct rng idr;
	const char *region = a->region, *acct = a->account;
	int hostile = (r->flags & F_HOSTILE) && a->hostile_names;

	gbuf_reset(&o->id);
	gbuf_reset(&o->name);
	gbuf_reset(&o->arn);
	o->name_null = 0;
	o->arn_absent = 0;
	snprintf(o->az, sizeof o->az, "Not Applicable");
	rng_seed(&idr, hash2(r->seed, 1));

	switch (r->type) {
	case T_SG:
		gbuf_puts(&o->id, "sg-0");
		put_hex(&o->id, r->seed, 2, 16);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else if (r->flags & SG_DEFAULT)
			gbuf_puts(&o->name, "default");
		else if (hostile)
			gbuf_puts(&o->name, RNG_PICK(&idr, hostile_names));
		else if (rng_chance(&idr, 150))
			gbuf_printf(&o->name, "launch-wizard-%u", 1 + rng_below(&idr, 40));
		else
			gbuf_printf(&o->name, "%s-%s-sg-%04x", env_of(a), RNG_PICK(&idr, sg_names),
				    (unsigned)(hash2(r->seed, 3) & 0xffff));
		gbuf_printf(&o->arn, "arn:aws:ec2:%s:%s:security-group/%s", region, acct, o->id.p);
		break;
	case T_INSTANCE:
		gbuf_puts(&o->id, "i-0");
		put_hex(&o->id, r->seed, 2, 16);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:ec2:%s:%s:instance/%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "%s%c", region, 'a' + (int)(hash2(r->seed, 4) % 3));
		break;
	case T_VOLUME:
		gbuf_puts(&o->id, "vol-0");
		put_hex(&o->id, r->seed, 2, 16);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:ec2:%s:%s:volume/%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "%s%c", region, 'a' + (int)(hash2(r->seed, 4) % 3));
		break;
	case T_VPC:
		gbuf_puts(&o->id, "vpc-0");
		put_hex(&o->id, r->seed, 2, 16);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:ec2:%s:%s:vpc/%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "Multiple Availability Zones");
		break;
	case T_BUCKET:
		if (r->name)
			gbuf_puts(&o->id, r->name);
		else
			gbuf_printf(&o->id, "%s-%s-%s-%s-%04x", env_of(a),
				    RNG_PICK(&idr, bucket_words), acct, region,
				    (unsigned)(hash2(r->seed, 3) & 0xffff));
		gbuf_puts(&o->name, o->id.p);
		gbuf_printf(&o->arn, "arn:aws:s3:::%s", o->id.p);
		snprintf(o->az, sizeof o->az, "Regional");
		break;
	case T_ACCOUNT_PAB:
		gbuf_puts(&o->id, acct);
		o->name_null = 1;
		o->arn_absent = 1;
		break;
	case T_IAM_USER:
		put_iam_id(&o->id, "AIDA", r->seed);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			gbuf_printf(&o->name, "%s.%s%u", RNG_PICK(&idr, user_first), env_of(a),
				    r->ordinal);
		gbuf_printf(&o->arn, "arn:aws:iam::%s:user/%s", acct, o->name.p);
		break;
	case T_IAM_ROLE:
		put_iam_id(&o->id, "AROA", r->seed);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			name2(&o->name, &idr, role_names, ARRLEN(role_names), svc_words,
			      ARRLEN(svc_words), r->ordinal);
		gbuf_printf(&o->arn, "arn:aws:iam::%s:role/%s", acct, o->name.p);
		break;
	case T_IAM_POLICY:
		put_iam_id(&o->id, "ANPA", r->seed);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			name2(&o->name, &idr, svc_words, ARRLEN(svc_words),
			      policy_words, ARRLEN(policy_words), r->ordinal);
		gbuf_printf(&o->arn, "arn:aws:iam::%s:policy/%s", acct, o->name.p);
		break;
	case T_IAM_GROUP:
		put_iam_id(&o->id, "AGPA", r->seed);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else if (r->ordinal < 10)
			gbuf_puts(&o->name, group_names[r->ordinal]);
		else
			gbuf_printf(&o->name, "%s-%u", group_names[r->ordinal % 10], r->ordinal);
		gbuf_printf(&o->arn, "arn:aws:iam::%s:group/%s", acct, o->name.p);
		break;
	case T_KMS:
		put_uuid(&o->id, r->seed, 2);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:kms:%s:%s:key/%s", region, acct, o->id.p);
		break;
	case T_TRAIL:
		if (r->name)
			gbuf_puts(&o->id, r->name);
		else
			gbuf_printf(&o->id, "%s-trail-%u", env_of(a), r->ordinal);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:cloudtrail:%s:%s:trail/%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "Regional");
		break;
	case T_GUARDDUTY:
		put_hex(&o->id, r->seed, 2, 32);
		o->name_null = 1;
		gbuf_printf(&o->arn, "arn:aws:guardduty:%s:%s:detector/%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "Regional");
		break;
	case T_SNS:
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			gbuf_printf(&o->name, "%s-%s-events-%u", env_of(a),
				    RNG_PICK(&idr, svc_words), r->ordinal);
		gbuf_printf(&o->id, "arn:aws:sns:%s:%s:%s", region, acct, o->name.p);
		gbuf_puts(&o->arn, o->id.p);
		break;
	case T_RDS:
		gbuf_puts(&o->id, "db-");
		for (int i = 0; i < 26; i++)
			gbuf_putc(&o->id, b32[rng_below(&idr, 32)]);
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			gbuf_printf(&o->name, "%s-%s-db-%u", env_of(a), RNG_PICK(&idr, svc_words),
				    r->ordinal);
		gbuf_printf(&o->arn, "arn:aws:rds:%s:%s:db:%s", region, acct, o->name.p);
		snprintf(o->az, sizeof o->az, "%s%c", region, 'a' + (int)(hash2(r->seed, 4) % 3));
		break;
	case T_LOGGROUP:
		if (r->name)
			gbuf_puts(&o->id, r->name);
		else {
			/* one rng call per statement (argument order) */
			const char *svc = RNG_PICK(&idr, svc_words);
			const char *prefix = RNG_PICK(&idr, log_prefixes);

			gbuf_printf(&o->id, "%s%s-%s-%u", prefix, env_of(a), svc, r->ordinal);
		}
		gbuf_puts(&o->name, o->id.p);
		gbuf_printf(&o->arn, "arn:aws:logs:%s:%s:log-group:%s", region, acct, o->id.p);
		snprintf(o->az, sizeof o->az, "Regional");
		break;
	case T_ALARM:
		if (r->name)
			gbuf_puts(&o->id, r->name);
		else if (hostile)
			gbuf_printf(&o->id, "%s %u", RNG_PICK(&idr, hostile_names), r->ordinal);
		else {
			/* one rng call per statement (argument order) */
			int cpu = rng_chance(&idr, 500);
			const char *svc = RNG_PICK(&idr, svc_words);

			gbuf_printf(&o->id, "%s-%s-%s-%u", env_of(a), svc,
				    cpu ? "high-cpu" : "5xx-errors", r->ordinal);
		}
		gbuf_puts(&o->name, o->id.p);
		gbuf_printf(&o->arn, "arn:aws:cloudwatch:%s:%s:alarm:%s", region, acct, o->id.p);
		break;
	case T_ELBV2:
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else
			gbuf_printf(&o->name, "%s-%s-alb-%u", env_of(a), RNG_PICK(&idr, svc_words),
				    r->ordinal);
		gbuf_printf(&o->id, "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/",
			    region, acct, o->name.p);
		put_hex(&o->id, r->seed, 5, 16);
		gbuf_puts(&o->arn, o->id.p);
		snprintf(o->az, sizeof o->az, "Multiple Availability Zones");
		break;
	case T_SECRET:
		if (r->name)
			gbuf_puts(&o->name, r->name);
		else {
			/* one rng call per statement (argument order) */
			int db = rng_chance(&idr, 500);
			const char *svc = RNG_PICK(&idr, svc_words);

			gbuf_printf(&o->name, "%s/%s/%s-credentials-%u", env_of(a), svc,
				    db ? "db" : "api", r->ordinal);
		}
		gbuf_printf(&o->id, "arn:aws:secretsmanager:%s:%s:secret:%s-", region, acct,
			    o->name.p);
		for (int i = 0; i < 6; i++)
			gbuf_putc(&o->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					  [rng_below(&idr, 52)]);
		gbuf_puts(&o->arn, o->id.p);
		break;
	default:
		if (!svc_is((enum rtype)r->type))
			abort();
		svc_ident(a, r, o);
	}
}

void res_ident(const struct area *a, const struct res *r, struct ident *o)
{
	make_ident(a, r, o);
}

const char *area_env(const struct area *a)
{
	return env_of(a);
}

/* ------------------------------------------------------------ emitters */

#define MAXTAGS 16

struct tag {
	const char *k, *v;
};

/* Per-item state. */
struct ctx {
	const struct area *a;
	const struct res *r;
	struct ident *me;
	struct rng rng; /* content stream: seed and version */
	struct rng idr; /* identity stream: seed only */
	struct gbuf *rel, *conf, *supp;
	struct tag tags[MAXTAGS];
	int ntags;
	char arena[2048]; /* tag strings built per item */
	size_t used;
	const char *item_version;
	char created[32];    /* resourceCreationTime, ISO with ms */
	char created_s[32];  /* the same, whole seconds ".000Z" form */
	int nrel;
};

static struct gbuf s_rel, s_conf, s_supp, s_tmp, s_tmp2;
static struct ident s_me, s_ref;
static char *s_long_value;
static ms_t s_horizon;

void gen_items_init(ms_t horizon)
{
	s_horizon = horizon;
	if (s_long_value)
		return;
	s_long_value = gen_xmalloc(3001);
	for (int i = 0; i < 3000; i++)
		s_long_value[i] = "long-tag-value-"[i % 15];
	s_long_value[3000] = '\0';
}

static const char *arena_printf(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *arena_printf(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *p = c->arena + c->used;
	size_t room = sizeof c->arena - c->used;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return "";
	c->used += (size_t)n + 1;
	return p;
}

static void tag(struct ctx *c, const char *k, const char *v)
{
	if (c->ntags < MAXTAGS) {
		c->tags[c->ntags].k = k;
		c->tags[c->ntags].v = v;
		c->ntags++;
	}
}

static const char *const owners[] = {"platform-team@example.com", "payments@example.com",
				     "data-eng@example.com", "sre@example.com",
				     "security@example.com", "web@example.com"};

/* Tags: a Name for EC2 types, environment/owner/cost tags on most, and
 * hostile ones on F_HOSTILE resources. */
static void make_tags(struct ctx *c, const char *name_tag)
{
	struct rng *r = &c->rng;
	const char *env = env_of(c->a);

	if (name_tag)
		tag(c, "Name", name_tag);
	if (rng_chance(r, 800))
		tag(c, "Environment", env);
	if (rng_chance(r, 600))
		tag(c, "Owner", RNG_PICK(r, owners));
	if (rng_chance(r, 500))
		tag(c, "CostCenter", arena_printf(c, "CC-%04u", 1000 + rng_below(r, 60)));
	if (rng_chance(r, 400))
		tag(c, "Project", RNG_PICK(r, svc_words));
	if (rng_chance(r, 400))
		tag(c, "ManagedBy", rng_chance(r, 600) ? "terraform" : "cloudformation");
	if (rng_chance(r, 150))
		tag(c, "aws:cloudformation:stack-name",
		    arena_printf(c, "%s-%s-stack", env, RNG_PICK(r, svc_words)));
	if (rng_chance(r, 100)) {
		/* one rng call per statement: argument order is unspecified */
		uint32_t day = 1 + rng_below(r, 28);
		uint32_t month = 1 + rng_below(r, 10);

		tag(c, "LastReviewed", arena_printf(c, "2026-%02u-%02u", month, day));
	}
	if ((c->r->flags & F_HOSTILE) && c->a->hostile_names) {
		tag(c, "Description", "He said \"hi\" <script>alert('x')</script> & left");
		tag(c, "\xc3\xbc" "n\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9-\xe9\x94\xae",
		    "\xe2\x9c\x93 na\xc3\xafve caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac "
		    "\xf0\x9f\x9a\x80");
		tag(c, "ctl", "a\x01" "b\x1f" "c\x7f" "d");
		tag(c, "LongValue", s_long_value);
	}
}

/* [{"key":..,"value":..}] with the given member names. */
static void put_tag_list(struct gbuf *b, const struct ctx *c, const char *kname,
			 const char *vname)
{
	gbuf_putc(b, '[');
	for (int i = 0; i < c->ntags; i++) {
		if (i)
			gbuf_putc(b, ',');
		gbuf_printf(b, "{\"%s\":", kname);
		gbuf_json(b, c->tags[i].k);
		gbuf_printf(b, ",\"%s\":", vname);
		gbuf_json(b, c->tags[i].v);
		gbuf_putc(b, '}');
	}
	gbuf_putc(b, ']');
}

static void put_tag_map(struct gbuf *b, const struct ctx *c)
{
	gbuf_putc(b, '{');
	for (int i = 0; i < c->ntags; i++) {
		if (i)
			gbuf_putc(b, ',');
		gbuf_json(b, c->tags[i].k);
		gbuf_putc(b, ':');
		gbuf_json(b, c->tags[i].v);
	}
	gbuf_putc(b, '}');
}

const struct res *area_pick(const struct area *a, enum rtype t, uint64_t h)
{
	size_t n = a->nstable[t] && a->nstable[t] <= a->nbytype[t] ? a->nstable[t] : a->nbytype[t];

	if (!n)
		return NULL;
	return &a->res[a->bytype[t][h % n]];
}

static const struct res *pick(const struct area *a, enum rtype t, uint64_t h)
{
	return area_pick(a, t, h);
}

static void rel_add(struct ctx *c, const char *type, const char *id, const char *name,
		    const char *relname)
{
	gbuf_puts(c->rel, c->nrel++ ? ",{\"resourceId\":" : "{\"resourceId\":");
	gbuf_json(c->rel, id);
	gbuf_puts(c->rel, ",\"resourceName\":");
	gbuf_json(c->rel, name);
	gbuf_printf(c->rel, ",\"resourceType\":\"%s\",\"name\":", type);
	gbuf_json(c->rel, relname);
	gbuf_putc(c->rel, '}');
}

/* Relationship to another modelled resource (identity computed). */
static void rel_res(struct ctx *c, const struct res *o, const char *relname)
{
	if (!o)
		return;
	make_ident(c->a, o, &s_ref);
	rel_add(c, rtypes[o->type].name, s_ref.id.p, s_ref.name_null ? NULL : s_ref.name.p,
		relname);
}

static void iso_ms(char out[32], ms_t t)
{
	fmt_iso_ms(out, t);
}

/* Subnet id of a VPC (three per VPC). */
void subnet_id_of(char out[32], const struct res *vpc, unsigned k)
{
	uint64_t h = hash2(vpc ? vpc->seed : 0, 100 + k % 3);
	snprintf(out, 32, "subnet-0%016llx", (unsigned long long)h);
}

void vpc_id_of(char out[32], const struct area *a, const struct res *vpc)
{
	if (!vpc) {
		snprintf(out, 32, "vpc-0%016llx", (unsigned long long)hash2(a->seed, 77));
		return;
	}
	struct gbuf tmp = {0};
	gbuf_puts(&tmp, "vpc-0");
	put_hex(&tmp, vpc->seed, 2, 16);
	snprintf(out, 32, "%s", tmp.p);
	gbuf_free(&tmp);
}

/* --- EC2 security group */

struct perm {
	const char *proto;
	int from, to; /* ignored for "-1" */
	const char *v4[3];
	const char *v6[2];
	const char *desc;
	const char *group; /* userIdGroupPairs groupId, or NULL */
	const char *prefix_list;
};

static void put_perm(struct ctx *c, struct gbuf *b, const struct perm *p, int legacy)
{
	int ports = strcmp(p->proto, "-1") != 0;
	int i;

	gbuf_putc(b, '{');
	if (ports)
		gbuf_printf(b, "\"fromPort\":%d,", p->from);
	gbuf_printf(b, "\"ipProtocol\":\"%s\",\"ipv6Ranges\":[", p->proto);
	for (i = 0; i < 2 && p->v6[i] && !legacy; i++) {
		gbuf_printf(b, "%s{\"cidrIpv6\":\"%s\"", i ? "," : "", p->v6[i]);
		if (p->desc) {
			gbuf_puts(b, ",\"description\":");
			gbuf_json(b, p->desc);
		}
		gbuf_putc(b, '}');
	}
	gbuf_puts(b, "],\"prefixListIds\":[");
	if (p->prefix_list)
		gbuf_printf(b, "{\"prefixListId\":\"%s\"}", p->prefix_list);
	gbuf_puts(b, "],");
	if (ports)
		gbuf_printf(b, "\"toPort\":%d,", p->to);
	gbuf_puts(b, "\"userIdGroupPairs\":[");
	if (p->group)
		gbuf_printf(b, "{\"groupId\":\"%s\",\"userId\":\"%s\"}", p->group, c->a->account);
	gbuf_puts(b, "],");
	if (!legacy) {
		gbuf_puts(b, "\"ipv4Ranges\":[");
		for (i = 0; i < 3 && p->v4[i]; i++) {
			gbuf_printf(b, "%s{\"cidrIp\":\"%s\"", i ? "," : "", p->v4[i]);
			if (p->desc) {
				gbuf_puts(b, ",\"description\":");
				gbuf_json(b, p->desc);
			}
			gbuf_putc(b, '}');
		}
		gbuf_puts(b, "],");
	}
	gbuf_puts(b, "\"ipRanges\":[");
	for (i = 0; i < 3 && p->v4[i]; i++)
		gbuf_printf(b, "%s\"%s\"", i ? "," : "", p->v4[i]);
	gbuf_puts(b, "]}");
}

static void emit_sg(struct ctx *c)
{
	const struct res *r = c->r;
	struct rng *g = &c->rng;
	struct gbuf *b = c->conf;
	struct perm perms[12];
	int n = 0, legacy = (r->flags & SG_LEGACY) != 0;
	const struct res *vpc;
	char vpcid[32];

	if (r->flags & SG_DEFAULT)
		vpc = c->a->nbytype[T_VPC]
			      ? &c->a->res[c->a->bytype[T_VPC][r->ordinal % c->a->nbytype[T_VPC]]]
			      : NULL;
	else
		vpc = pick(c->a, T_VPC, hash2(r->seed, 9));
	vpc_id_of(vpcid, c->a, vpc);
	if (legacy)
		c->item_version = "1.2";
	make_tags(c, NULL);
	memset(perms, 0, sizeof perms);

#define PERM(...) (perms[n++] = (struct perm){__VA_ARGS__})
	if (r->flags & SG_DEFAULT) {
		if (!(r->flags & SG_CLOSED))
			PERM("-1", 0, 0, {NULL}, {NULL}, NULL, c->me->id.p, NULL);
	} else if (!(r->flags & SG_CLOSED)) {
		unsigned k = 1 + rng_below(g, 4);
		for (unsigned i = 0; i < k && n < 6; i++) {
			switch (rng_below(g, 9)) {
			case 0:
				PERM("tcp", 443, 443, {"0.0.0.0/0"}, {"::/0"}, "HTTPS", NULL, NULL);
				break;
			case 1:
				PERM("tcp", 80, 80, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL);
				break;
			case 2:
				PERM("tcp", 5432, 5432, {"10.0.0.0/8"}, {NULL}, "postgres from vpc",
				     NULL, NULL);
				break;
			case 3:
				PERM("tcp", 8080, 8090, {"172.16.0.0/12", "10.20.0.0/16"}, {NULL},
				     NULL, NULL, NULL);
				break;
			case 4:
				PERM("udp", 53, 53, {"10.0.0.0/16"}, {NULL}, NULL, NULL, NULL);
				break;
			case 5:
				PERM("icmp", -1, -1, {"10.0.0.0/8"}, {NULL}, NULL, NULL, NULL);
				break;
			case 6:
				PERM("tcp", 22, 22, {"10.10.0.0/16", "192.168.1.0/24"}, {NULL},
				     "ssh from office", NULL, NULL);
				break;
			case 7:
				PERM("tcp", 1024, 65535, {"10.0.0.0/8"}, {"fd00::/8"}, NULL, NULL,
				     NULL);
				break;
			default:
				PERM("tcp", 6379, 6379, {NULL}, {NULL}, NULL, c->me->id.p,
				     "pl-63a5400a");
				break;
			}
		}
	}
	if (r->flags & SG_SSH_OPEN)
		PERM("tcp", 22, 22, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL);
	if (r->flags & SG_RDP_OPEN6)
		PERM("tcp", 3389, 3389, {NULL}, {"::/0"}, "rdp", NULL, NULL);
	if (r->flags & SG_ALL_OPEN)
		PERM("-1", 0, 0, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL);
	if (r->flags & SG_WIDE_RANGE)
		PERM("tcp", 20, 23, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL);
	if (r->flags & SG_DB_OPEN) {
		PERM("tcp", 3306, 3306, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL);
		PERM("tcp", 5432, 5432, {"0.0.0.0/0"}, {"::/0"}, NULL, NULL, NULL);
	}
#undef PERM

	gbuf_puts(b, "{\"description\":");
	if (r->flags & SG_DEFAULT)
		gbuf_puts(b, "\"default VPC security group\"");
	else if ((r->flags & F_HOSTILE) && c->a->hostile_names)
		gbuf_json(b, c->me->name.p);
	else
		gbuf_printf(b, "\"%s security group (managed)\"", env_of(c->a));
	gbuf_puts(b, ",\"groupName\":");
	gbuf_json(b, c->me->name.p);
	gbuf_puts(b, ",\"ipPermissions\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			gbuf_putc(b, ',');
		put_perm(c, b, &perms[i], legacy);
	}
	gbuf_printf(b, "],\"ownerId\":\"%s\",\"groupId\":\"%s\",\"ipPermissionsEgress\":[",
		    c->a->account, c->me->id.p);
	if (!(r->flags & SG_CLOSED)) {
		struct perm e = {"-1", 0, 0, {"0.0.0.0/0"}, {NULL}, NULL, NULL, NULL};
		put_perm(c, b, &e, legacy);
	}
	gbuf_puts(b, "],\"tags\":");
	put_tag_list(b, c, "key", "value");
	gbuf_printf(b, ",\"vpcId\":\"%s\"}", vpcid);
	gbuf_puts(c->supp, "{}");
	rel_res(c, vpc, "Is contained in Vpc");
}

/* --- EC2 instance */

static const char *const itypes[] = {"t3.micro", "t3.small", "t3.medium", "m5.large",
				     "m5.xlarge", "c5.2xlarge", "r6g.large", "m6i.large",
				     "t4g.small", "c6g.xlarge"};

static void emit_instance(struct ctx *c)
{
	const struct res *r = c->r;
	struct rng *g = &c->rng;
	struct gbuf *b = c->conf;
	const struct res *vpc = pick(c->a, T_VPC, hash2(r->seed, 9));
	const struct res *sg = pick(c->a, T_SG, hash2(r->seed, 10));
	const struct res *vol = pick(c->a, T_VOLUME, hash2(r->seed, 11));
	char vpcid[32], subnet[32], launch[32], sgid[64] = "", volid[64] = "", sgname[256] = "";
	char eni[32], priv[20], pub[20], privd[20], pubd[20];
	unsigned ip = (unsigned)hash2(r->seed, 12);
	int stopped = (r->flags & I_STOPPED) != 0;
	const char *itype = itypes[hash2(r->seed, 13) % 10];
	const char *arch = strchr(itype, 'g') && itype[1] != '3' ? "arm64" : "x86_64";
	const char *name;

	vpc_id_of(vpcid, c->a, vpc);
	subnet_id_of(subnet, vpc, (unsigned)hash2(r->seed, 14));
	fmt_iso_ms(launch, r->created + (ms_t)(c->r->version - 1) * 3600000);
	snprintf(eni, sizeof eni, "eni-0%016llx", (unsigned long long)hash2(r->seed, 15));
	snprintf(priv, sizeof priv, "10.%u.%u.%u", ip & 255, (ip >> 8) & 255, 4 + (ip >> 16) % 250);
	snprintf(pub, sizeof pub, "%u.%u.%u.%u", 3 + (ip >> 3) % 50, (ip >> 11) & 255,
		 (ip >> 19) & 255, 1 + (ip >> 24) % 250);
	/* DNS names spell the address with dashes */
	snprintf(privd, sizeof privd, "%s", priv);
	snprintf(pubd, sizeof pubd, "%s", pub);
	for (char *p = privd; *p; p++)
		*p = *p == '.' ? '-' : *p;
	for (char *p = pubd; *p; p++)
		*p = *p == '.' ? '-' : *p;
	if (sg) {
		make_ident(c->a, sg, &s_ref);
		snprintf(sgid, sizeof sgid, "%s", s_ref.id.p);
		snprintf(sgname, sizeof sgname, "%s", s_ref.name.p);
	}
	if (vol) {
		make_ident(c->a, vol, &s_ref);
		snprintf(volid, sizeof volid, "%s", s_ref.id.p);
	}
	name = c->r->name ? c->r->name
			  : arena_printf(c, "%s-%s-%u", env_of(c->a), RNG_PICK(&c->idr, svc_words),
					 r->ordinal);
	make_tags(c, name);

	gbuf_printf(b,
		    "{\"amiLaunchIndex\":0,\"imageId\":\"ami-0%016llx\",\"instanceId\":\"%s\","
		    "\"instanceType\":\"%s\",\"kernelId\":null,\"keyName\":\"%s-key\","
		    "\"launchTime\":\"%s\",\"monitoring\":{\"state\":\"%s\"},"
		    "\"placement\":{\"affinity\":null,\"availabilityZone\":\"%s\",\"groupName\":\"\","
		    "\"partitionNumber\":null,\"hostId\":null,\"tenancy\":\"default\","
		    "\"spreadDomain\":null,\"hostResourceGroupArn\":null},\"platform\":null,"
		    "\"privateDnsName\":\"ip-%s.%s.compute.internal\",\"privateIpAddress\":\"%s\","
		    "\"productCodes\":[],",
		    (unsigned long long)hash2(r->seed, 16), c->me->id.p, itype, env_of(c->a),
		    launch, rng_chance(g, 300) ? "enabled" : "disabled", c->me->az, privd,
		    c->a->region, priv);
	if ((r->flags & I_PUBLIC_IP) && !stopped)
		gbuf_printf(b, "\"publicDnsName\":\"ec2-%s.compute-1.amazonaws.com\","
			       "\"publicIpAddress\":\"%s\",",
			    pubd, pub);
	else
		gbuf_puts(b, "\"publicDnsName\":\"\",\"publicIpAddress\":null,");
	gbuf_printf(b,
		    "\"ramdiskId\":null,\"state\":{\"code\":%d,\"name\":\"%s\"},"
		    "\"stateTransitionReason\":\"%s\",\"subnetId\":\"%s\",\"vpcId\":\"%s\","
		    "\"architecture\":\"%s\",\"blockDeviceMappings\":[",
		    stopped ? 80 : 16, stopped ? "stopped" : "running",
		    stopped ? "User initiated (2026-10-02 10:11:12 GMT)" : "", subnet, vpcid, arch);
	if (vol)
		gbuf_printf(b,
			    "{\"deviceName\":\"/dev/xvda\",\"ebs\":{\"attachTime\":\"%s\","
			    "\"deleteOnTermination\":true,\"status\":\"attached\",\"volumeId\":\"%s\"}}",
			    launch, volid);
	gbuf_printf(b,
		    "],\"bootMode\":null,\"clientToken\":\"%016llx\",\"ebsOptimized\":%s,"
		    "\"enaSupport\":true,\"hypervisor\":\"xen\",\"iamInstanceProfile\":{\"arn\":"
		    "\"arn:aws:iam::%s:instance-profile/%s-ec2-profile\",\"id\":\"AIPA%012llX\"},"
		    "\"instanceLifecycle\":null,\"elasticGpuAssociations\":[],"
		    "\"elasticInferenceAcceleratorAssociations\":[],\"networkInterfaces\":[{",
		    (unsigned long long)hash2(r->seed, 17), rng_chance(g, 500) ? "true" : "false",
		    c->a->account, env_of(c->a),
		    (unsigned long long)(hash2(r->seed, 18) & 0xffffffffffffULL));
	if ((r->flags & I_PUBLIC_IP) && !stopped)
		gbuf_printf(b,
			    "\"association\":{\"carrierIp\":null,\"ipOwnerId\":\"amazon\","
			    "\"publicDnsName\":\"ec2-%s.compute-1.amazonaws.com\",\"publicIp\":\"%s\"},",
			    pubd, pub);
	gbuf_printf(b,
		    "\"attachment\":{\"attachTime\":\"%s\",\"attachmentId\":\"eni-attach-0%016llx\","
		    "\"deleteOnTermination\":true,\"deviceIndex\":0,\"status\":\"attached\","
		    "\"networkCardIndex\":0},\"description\":\"\",\"groups\":[{\"groupName\":",
		    launch, (unsigned long long)hash2(r->seed, 19));
	gbuf_json(b, sgname);
	gbuf_printf(b,
		    ",\"groupId\":\"%s\"}],\"ipv6Addresses\":[],\"macAddress\":\"0a:%02x:%02x:%02x:"
		    "%02x:%02x\",\"networkInterfaceId\":\"%s\",\"ownerId\":\"%s\","
		    "\"privateIpAddress\":\"%s\",\"privateIpAddresses\":[{\"primary\":true,"
		    "\"privateIpAddress\":\"%s\"}],\"sourceDestCheck\":true,\"status\":\"in-use\","
		    "\"subnetId\":\"%s\",\"vpcId\":\"%s\",\"interfaceType\":\"interface\"}],"
		    "\"outpostArn\":null,\"rootDeviceName\":\"/dev/xvda\",\"rootDeviceType\":\"ebs\","
		    "\"securityGroups\":[{\"groupName\":",
		    sgid, ip & 255, (ip >> 8) & 255, (ip >> 16) & 255, (ip >> 24) & 255,
		    (unsigned)(hash2(r->seed, 20) & 255), eni, c->a->account, priv, priv, subnet,
		    vpcid);
	gbuf_json(b, sgname);
	gbuf_printf(b, ",\"groupId\":\"%s\"}],\"sourceDestCheck\":true,\"spotInstanceRequestId\":null,"
		       "\"sriovNetSupport\":null,\"stateReason\":null,\"tags\":",
		    sgid);
	put_tag_list(b, c, "key", "value");
	gbuf_printf(b,
		    ",\"virtualizationType\":\"hvm\",\"cpuOptions\":{\"coreCount\":%u,"
		    "\"threadsPerCore\":2},\"capacityReservationId\":null,"
		    "\"capacityReservationSpecification\":{\"capacityReservationPreference\":\"open\","
		    "\"capacityReservationTarget\":null},\"hibernationOptions\":{\"configured\":false},"
		    "\"licenses\":[],\"metadataOptions\":{\"state\":\"applied\",\"httpTokens\":\"%s\","
		    "\"httpPutResponseHopLimit\":%d,\"httpEndpoint\":\"enabled\","
		    "\"httpProtocolIpv6\":\"disabled\",\"instanceMetadataTags\":\"disabled\"},"
		    "\"enclaveOptions\":{\"enabled\":false},\"bootMode\":null,"
		    "\"platformDetails\":\"Linux/UNIX\",\"usageOperation\":\"RunInstances\","
		    "\"usageOperationUpdateTime\":\"%s\",\"privateDnsNameOptions\":{\"hostnameType\":"
		    "\"ip-name\",\"enableResourceNameDnsARecord\":false,"
		    "\"enableResourceNameDnsAAAARecord\":false},\"maintenanceOptions\":{"
		    "\"autoRecovery\":\"default\"},\"currentInstanceBootMode\":\"legacy-bios\"}",
		    1 + rng_below(g, 4), (r->flags & I_IMDSV2) ? "required" : "optional",
		    (r->flags & I_IMDSV2) ? 2 : 1, launch);
	gbuf_puts(c->supp, "{}");
	rel_add(c, "AWS::EC2::NetworkInterface", eni, NULL, "Contains NetworkInterface");
	rel_res(c, sg, "Is associated with SecurityGroup");
	rel_add(c, "AWS::EC2::Subnet", subnet, NULL, "Is contained in Subnet");
	rel_res(c, vol, "Is attached to Volume");
	rel_res(c, vpc, "Is contained in Vpc");
}

/* --- EC2 volume */

static void emit_volume(struct ctx *c)
{
	const struct res *r = c->r;
	struct rng *g = &c->rng;
	struct gbuf *b = c->conf;
	const struct res *inst =
		(r->flags & V_ATTACHED) ? pick(c->a, T_INSTANCE, hash2(r->seed, 21)) : NULL;
	char iid[64] = "";
	static const unsigned sizes[] = {8, 20, 30, 50, 100, 200, 500, 1000};
	unsigned size = sizes[hash2(r->seed, 22) % 8];
	const char *vtype = (hash2(r->seed, 23) % 4) ? "gp3" : "gp2";

	if (inst) {
		make_ident(c->a, inst, &s_ref);
		snprintf(iid, sizeof iid, "%s", s_ref.id.p);
	} else if (r->flags & V_ATTACHED) {
		/* attached to an instance of a type Config does not record here */
		snprintf(iid, sizeof iid, "i-0%016llx", (unsigned long long)hash2(r->seed, 24));
	}
	make_tags(c, c->r->name ? c->r->name : NULL);
	gbuf_puts(b, "{\"attachments\":[");
	if (*iid)
		gbuf_printf(b,
			    "{\"attachTime\":\"%s\",\"device\":\"/dev/xvda\",\"instanceId\":\"%s\","
			    "\"state\":\"attached\",\"volumeId\":\"%s\",\"deleteOnTermination\":true,"
			    "\"associatedResource\":null,\"instanceOwningService\":null}",
			    c->created, iid, c->me->id.p);
	gbuf_printf(b,
		    "],\"availabilityZone\":\"%s\",\"createTime\":\"%s\",\"encrypted\":%s,",
		    c->me->az, c->created, (r->flags & V_UNENCRYPTED) ? "false" : "true");
	if (r->flags & V_UNENCRYPTED)
		gbuf_puts(b, "\"kmsKeyId\":null,");
	else
		gbuf_printf(b, "\"kmsKeyId\":\"arn:aws:kms:%s:%s:key/%08llx-1111-4222-8333-%012llx\",",
			    c->a->region, c->a->account,
			    (unsigned long long)(hash2(c->a->seed, 5) & 0xffffffff),
			    (unsigned long long)(hash2(c->a->seed, 6) & 0xffffffffffffULL));
	gbuf_printf(b,
		    "\"outpostArn\":null,\"size\":%u,\"snapshotId\":\"%s\",\"state\":\"%s\","
		    "\"volumeId\":\"%s\",\"iops\":%u,\"tags\":",
		    size, rng_chance(g, 400) ? "snap-0a1b2c3d4e5f60718" : "", *iid ? "in-use" : "available",
		    c->me->id.p, size * 3 < 3000 ? 3000 : size * 3);
	put_tag_list(b, c, "key", "value");
	gbuf_printf(b,
		    ",\"volumeType\":\"%s\",\"fastRestored\":null,\"multiAttachEnabled\":false,"
		    "\"throughput\":%s,\"sseType\":null}",
		    vtype, strcmp(vtype, "gp3") ? "null" : "125");
	gbuf_puts(c->supp, "{}");
	rel_res(c, inst, "Is attached to Instance");
}

/* --- EC2 VPC */

static void emit_vpc(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	unsigned net = (unsigned)(hash2(r->seed, 30) % 200) + 10;
	int isdefault = r->ordinal == 0 && (hash2(c->a->seed, 31) & 1);
	const char *name = isdefault ? NULL
				     : arena_printf(c, "%s-vpc-%u", env_of(c->a), r->ordinal);

	make_tags(c, name);
	gbuf_printf(b,
		    "{\"cidrBlock\":\"%s\",\"dhcpOptionsId\":\"dopt-0%016llx\",\"state\":\"available\","
		    "\"vpcId\":\"%s\",\"ownerId\":\"%s\",\"instanceTenancy\":\"default\","
		    "\"ipv6CidrBlockAssociationSet\":[],\"cidrBlockAssociationSet\":[{"
		    "\"associationId\":\"vpc-cidr-assoc-0%016llx\",\"cidrBlock\":\"%s\","
		    "\"cidrBlockState\":{\"state\":\"associated\",\"statusMessage\":null}}],"
		    "\"isDefault\":%s,\"tags\":",
		    isdefault ? "172.31.0.0/16" : arena_printf(c, "10.%u.0.0/16", net),
		    (unsigned long long)hash2(c->a->seed, 32), c->me->id.p, c->a->account,
		    (unsigned long long)hash2(r->seed, 33),
		    isdefault ? "172.31.0.0/16" : arena_printf(c, "10.%u.0.0/16", net),
		    isdefault ? "true" : "false");
	put_tag_list(b, c, "key", "value");
	gbuf_putc(b, '}');
	gbuf_puts(c->supp, "{}");
	for (unsigned k = 0; k < 3; k++) {
		char sn[32];
		subnet_id_of(sn, r, k);
		rel_add(c, "AWS::EC2::Subnet", sn, NULL, "Contains Subnet");
	}
	{
		char igw[40];
		snprintf(igw, sizeof igw, "igw-0%016llx", (unsigned long long)hash2(r->seed, 34));
		rel_add(c, "AWS::EC2::InternetGateway", igw, NULL, "Is attached to InternetGateway");
	}
}

/* --- S3 bucket */

static void canonical_id(char out[65], const char *account)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = account; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (int i = 0; i < 4; i++)
		snprintf(out + i * 16, 17, "%016llx", (unsigned long long)hash2(h, (uint64_t)i));
}

static void emit_bucket(struct ctx *c)
{
	const struct res *r = c->r;
	struct rng *g = &c->rng;
	struct gbuf *b = c->conf, *s = c->supp, *t = &s_tmp;
	const char *name = c->me->id.p;
	char canon[65];
	int npol = 0;

	canonical_id(canon, c->a->account);
	make_tags(c, NULL);
	gbuf_puts(b, "{\"name\":");
	gbuf_json(b, name);
	gbuf_printf(b, ",\"owner\":{\"displayName\":null,\"id\":\"%s\"},\"creationDate\":\"%s\"}",
		    canon, c->created);

	/* the ACL is a JSON document inside a string */
	gbuf_reset(t);
	gbuf_printf(t,
		    "{\"grantSet\":null,\"grantList\":[{\"grantee\":{\"id\":\"%s\","
		    "\"displayName\":null},\"permission\":\"FullControl\"}",
		    canon);
	if (r->flags & B_PUBLIC_ACL)
		gbuf_puts(t, ",{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}");
	if (r->flags & B_PUBLIC_WRITE)
		gbuf_puts(t, ",{\"grantee\":\"AllUsers\",\"permission\":\"Write\"}");
	if (r->flags & B_LOGGING && rng_chance(g, 200))
		gbuf_puts(t, ",{\"grantee\":\"LogDelivery\",\"permission\":\"Write\"},"
			     "{\"grantee\":\"LogDelivery\",\"permission\":\"ReadAcp\"}");
	gbuf_printf(t, "],\"owner\":{\"displayName\":null,\"id\":\"%s\"},\"isRequesterCharged\":false}",
		    canon);
	gbuf_puts(s, "{\"AccessControlList\":");
	gbuf_json_n(s, t->p, t->len);

	gbuf_puts(s, ",\"BucketAccelerateConfiguration\":{\"status\":null}");
	if (r->flags & B_LIFECYCLE) {
		/* one rng call per statement: argument order is unspecified */
		int logs_prefix = rng_chance(g, 500);
		int noncurrent = rng_chance(g, 500);
		uint32_t expire = 90 + rng_below(g, 3) * 275;

		gbuf_printf(s,
			    ",\"BucketLifecycleConfiguration\":{\"rules\":[{\"id\":\"expire-old\","
			    "\"status\":\"Enabled\",\"expirationInDays\":%u,\"expiredObjectDeleteMarker\":"
			    "false,\"noncurrentVersionExpirationInDays\":%d,\"transitions\":[{\"days\":30,"
			    "\"date\":null,\"storageClass\":\"STANDARD_IA\"}],"
			    "\"noncurrentVersionTransitions\":[],\"abortIncompleteMultipartUpload\":"
			    "{\"daysAfterInitiation\":7},\"prefix\":null,\"filter\":{\"predicate\":{"
			    "\"type\":\"LifecyclePrefixPredicate\",\"prefix\":\"%s\"}}}]}",
			    expire, noncurrent ? 30 : -1, logs_prefix ? "" : "logs/");
	}
	if (r->flags & B_LOGGING)
		gbuf_printf(s,
			    ",\"BucketLoggingConfiguration\":{\"destinationBucketName\":"
			    "\"%s-s3-access-logs-%s\",\"logFilePrefix\":\"%s/\"}",
			    env_of(c->a), c->a->account, name);
	else
		gbuf_puts(s, ",\"BucketLoggingConfiguration\":{\"destinationBucketName\":null,"
			     "\"logFilePrefix\":null}");
	gbuf_puts(s, ",\"BucketNotificationConfiguration\":{\"configurations\":{}}");

	/* the bucket policy is also a JSON document inside a string */
	gbuf_reset(t);
	gbuf_puts(t, "{\"Version\":\"2012-10-17\",\"Statement\":[");
	if (r->flags & B_SSL_DENY) {
		gbuf_printf(t,
			    "{\"Sid\":\"AllowSSLRequestsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\","
			    "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::%s\",\"arn:aws:s3:::%s/*\"],"
			    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}",
			    name, name);
		npol++;
	}
	if (r->flags & B_CLOUDTRAIL) {
		static const char trail[] =
		    "arn:aws:cloudtrail:us-east-1:111111111111:trail/aws-controltower-BaselineCloudTrail";
		gbuf_printf(t,
			    "%s{\"Sid\":\"AWSCloudTrailAclCheck\",\"Effect\":\"Allow\",\"Principal\":"
			    "{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:GetBucketAcl\","
			    "\"Resource\":\"arn:aws:s3:::%s\",\"Condition\":{\"StringEquals\":"
			    "{\"aws:SourceArn\":\"%s\"}}},{\"Sid\":\"AWSCloudTrailWrite\",\"Effect\":"
			    "\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
			    "\"Action\":\"s3:PutObject\",\"Resource\":[\"arn:aws:s3:::%s/AWSLogs/"
			    "111111111111/*\",\"arn:aws:s3:::%s/AWSLogs/%s/*\"],\"Condition\":"
			    "{\"StringEquals\":{\"s3:x-amz-acl\":\"bucket-owner-full-control\","
			    "\"aws:SourceArn\":\"%s\"}}}",
			    npol ? "," : "", name, trail, name, name, gen_org_id, trail);
		npol++;
	}
	if (r->flags & B_PUBLIC_POLICY) {
		gbuf_printf(t,
			    "%s{\"Sid\":\"PublicReadGetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\","
			    "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%s/*\"}",
			    npol ? "," : "", name);
		npol++;
	}
	if (r->flags & B_PUBLIC_WRITE) {
		gbuf_printf(t,
			    "%s{\"Sid\":\"PublicUpload\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
			    "\"Action\":[\"s3:PutObject\",\"s3:PutObjectAcl\"],\"Resource\":\"arn:aws:s3:::%s/*\"}",
			    npol ? "," : "", name);
		npol++;
	}
	if (!npol && rng_chance(g, 250)) {
		gbuf_printf(t,
			    "{\"Sid\":\"AllowOrgRead\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
			    "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":["
			    "\"arn:aws:s3:::%s\",\"arn:aws:s3:::%s/*\"],\"Condition\":{\"StringEquals\":"
			    "{\"aws:PrincipalOrgID\":\"o-exampleorg1\"}}}",
			    name, name);
		npol++;
	}
	gbuf_puts(t, "]}");
	gbuf_puts(s, ",\"BucketPolicy\":{\"policyText\":");
	if (npol)
		gbuf_json_n(s, t->p, t->len);
	else
		gbuf_puts(s, "null");
	gbuf_putc(s, '}');

	if (c->ntags) {
		gbuf_puts(s, ",\"BucketTaggingConfiguration\":{\"tagSets\":[{\"tags\":");
		put_tag_map(s, c);
		gbuf_puts(s, "}]}");
	}
	gbuf_printf(s,
		    ",\"BucketVersioningConfiguration\":{\"status\":\"%s\",\"isMfaDeleteEnabled\":"
		    "%s},\"IsRequesterPaysEnabled\":false",
		    (r->flags & B_VERSIONING) ? "Enabled" : (rng_chance(g, 300) ? "Suspended" : "Off"),
		    (r->flags & B_VERSIONING) ? "false" : "null");
	if (r->flags & B_BPA)
		gbuf_puts(s, ",\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":true,"
			     "\"ignorePublicAcls\":true,\"blockPublicPolicy\":true,"
			     "\"restrictPublicBuckets\":true}");
	if (!(r->flags & B_NO_SSE)) {
		if (r->flags & B_KMS)
			gbuf_printf(s,
				    ",\"ServerSideEncryptionConfiguration\":{\"rules\":[{"
				    "\"applyServerSideEncryptionByDefault\":{\"sseAlgorithm\":\"aws:kms\","
				    "\"kmsMasterKeyID\":\"arn:aws:kms:%s:%s:key/%08llx-1111-4222-8333-"
				    "%012llx\"},\"bucketKeyEnabled\":true}]}",
				    c->a->region, c->a->account,
				    (unsigned long long)(hash2(c->a->seed, 5) & 0xffffffff),
				    (unsigned long long)(hash2(c->a->seed, 6) & 0xffffffffffffULL));
		else
			gbuf_puts(s, ",\"ServerSideEncryptionConfiguration\":{\"rules\":[{"
				     "\"applyServerSideEncryptionByDefault\":{\"sseAlgorithm\":\"AES256\","
				     "\"kmsMasterKeyID\":null},\"bucketKeyEnabled\":false}]}");
	}
	gbuf_putc(s, '}');
}

static void emit_account_pab(struct ctx *c)
{
	int partial = (c->r->flags & PAB_PARTIAL) != 0;
	gbuf_printf(c->conf,
		    "{\"blockPublicAcls\":true,\"ignorePublicAcls\":true,\"blockPublicPolicy\":%s,"
		    "\"restrictPublicBuckets\":%s}",
		    partial ? "false" : "true", partial ? "false" : "true");
	gbuf_puts(c->supp, "{}");
}

/* --- IAM */

/* Append an IAM policy document (URL-encoded, as IAM returns it) built
 * from the JSON text in doc; pretty documents get newlines and indents. */
static void put_iam_doc(struct ctx *c, struct gbuf *b, const char *doc, int lax)
{
	gbuf_putc(b, '"');
	gbuf_urlencode(b, doc, strlen(doc), lax);
	gbuf_putc(b, '"');
}

/* A policy document in s_tmp. kind: 0 ordinary least-privilege,
 * IAM_ADMIN, IAM_S3_FULL, IAM_KMS_ALL. pretty: with newlines. */
static const char *policy_doc(struct ctx *c, unsigned kind, int pretty)
{
	struct gbuf *t = &s_tmp;
	const char *nl = pretty ? "\n" : "", *in = pretty ? "    " : "", *sp = pretty ? " " : "";
	struct rng *g = &c->rng;

	gbuf_reset(t);
	gbuf_printf(t, "{%s%s\"Version\":%s\"2012-10-17\",%s%s\"Statement\":%s[", nl, in, sp, nl,
		    in, sp);
	if (kind & IAM_ADMIN)
		gbuf_printf(t, "%s%s{\"Effect\":%s\"Allow\",\"Action\":%s\"*\",\"Resource\":%s\"*\"},",
			    nl, in, sp, sp, sp);
	if (kind & IAM_S3_FULL)
		gbuf_printf(t,
			    "%s%s{\"Sid\":\"S3Full\",\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],"
			    "\"Resource\":[\"arn:aws:s3:::%s-data+staging/*\",\"*\"]},",
			    nl, in, env_of(c->a));
	if (kind & IAM_KMS_ALL)
		gbuf_printf(t,
			    "%s%s{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],"
			    "\"Resource\":\"*\"},",
			    nl, in);
	switch (rng_below(g, 4)) {
	case 0:
		gbuf_printf(t,
			    "%s%s{\"Sid\":\"ReadTables\",\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\","
			    "\"dynamodb:Query\",\"dynamodb:Scan\"],\"Resource\":\"arn:aws:dynamodb:%s:%s:"
			    "table/%s-*\"}",
			    nl, in, c->a->region, c->a->account, RNG_PICK(g, svc_words));
		break;
	case 1:
		gbuf_printf(t,
			    "%s%s{\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}",
			    nl, in);
		break;
	case 2: {
		/* one rng call per statement: argument order is unspecified */
		const char *team = RNG_PICK(g, svc_words);
		const char *queue = RNG_PICK(g, svc_words);

		gbuf_printf(t,
			    "%s%s{\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\","
			    "\"sqs:GetQueueAttributes\"],\"Resource\":\"arn:aws:sqs:%s:%s:%s-queue\","
			    "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"%s\"}}}",
			    nl, in, c->a->region, c->a->account, queue, team);
		break;
	}
	default:
		gbuf_printf(t,
			    "%s%s{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\","
			    "\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:%s:%s:log-group:/aws/"
			    "lambda/*:*\"},%s%s{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}",
			    nl, in, c->a->region, c->a->account, nl, in);
		break;
	}
	gbuf_printf(t, "%s%s]%s}", nl, in, nl);
	return t->p;
}

static void trust_doc(struct ctx *c, int service)
{
	struct gbuf *t = &s_tmp;
	static const char *const svcs[] = {"lambda.amazonaws.com", "ec2.amazonaws.com",
					   "ecs-tasks.amazonaws.com", "states.amazonaws.com",
					   "config.amazonaws.com", "glue.amazonaws.com"};
	gbuf_reset(t);
	if (service)
		gbuf_printf(t,
			    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			    "\"Principal\":{\"Service\":\"%s\"},\"Action\":\"sts:AssumeRole\"}]}",
			    RNG_PICK(&c->idr, svcs));
	else
		gbuf_printf(t,
			    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			    "\"Principal\":{\"AWS\":\"arn:aws:iam::%s:root\"},\"Action\":"
			    "\"sts:AssumeRole\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":"
			    "\"true\"}}}]}",
			    c->a->account);
}

/* attachedManagedPolicies entries pointing at customer policies of the
 * area and, sometimes, AWS managed ones. Adds relationships too. */
static void put_attached(struct ctx *c, struct gbuf *b, int admin)
{
	int n = 0;
	gbuf_puts(b, "[");
	if (admin) {
		gbuf_puts(b, "{\"policyName\":\"AdministratorAccess\",\"policyArn\":"
			     "\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
		n++;
	}
	if (c->r->flags & IAM_ATTACHED) {
		unsigned k = 1 + (unsigned)(hash2(c->r->seed, 40) % 2);
		for (unsigned i = 0; i < k; i++) {
			const struct res *p = pick(c->a, T_IAM_POLICY, hash2(c->r->seed, 41 + i));
			if (!p)
				break;
			make_ident(c->a, p, &s_ref);
			gbuf_puts(b, n++ ? ",{\"policyName\":" : "{\"policyName\":");
			gbuf_json(b, s_ref.name.p);
			gbuf_puts(b, ",\"policyArn\":");
			gbuf_json(b, s_ref.arn.p);
			gbuf_putc(b, '}');
			rel_add(c, rtypes[T_IAM_POLICY].name, s_ref.id.p, s_ref.name.p,
				"Is attached to CustomerManagedPolicy");
		}
		if (hash2(c->r->seed, 44) % 3 == 0)
			gbuf_printf(b, "%s{\"policyName\":\"ReadOnlyAccess\",\"policyArn\":"
				       "\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}",
				    n++ ? "," : "");
	}
	gbuf_puts(b, "]");
}

/* Is user u a member of group index gi? Each user not flagged
 * IAM_NO_GROUP is in one non-empty group, a quarter of them in a second. */
static int user_in_group(const struct area *a, const struct res *u, size_t gi)
{
	size_t ng = a->nbytype[T_IAM_GROUP], first;
	const uint32_t *g = a->bytype[T_IAM_GROUP];
	uint64_t h = hash2(u->seed, 50);

	if (!ng || (u->flags & IAM_NO_GROUP) || (a->res[g[gi]].flags & IAM_EMPTY_GROUP))
		return 0;
	first = h % ng;
	for (size_t k = 0; k < ng; k++, first = (first + 1) % ng)
		if (!(a->res[g[first]].flags & IAM_EMPTY_GROUP))
			break;
	return gi == first || (gi == (h >> 20) % ng && (h & 3) == 0);
}

static void emit_iam_user(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	size_t ng = c->a->nbytype[T_IAM_GROUP];
	int n = 0;

	make_tags(c, NULL);
	gbuf_puts(b, "{\"path\":\"/\",\"userName\":");
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b, ",\"userId\":\"%s\",\"arn\":", c->me->id.p);
	gbuf_json(b, c->me->arn.p);
	gbuf_printf(b, ",\"createDate\":\"%s\",\"userPolicyList\":[", c->created_s);
	if (r->flags & (IAM_INLINE | IAM_ADMIN)) {
		gbuf_printf(b, "{\"policyName\":\"%s-inline\",\"policyDocument\":",
			    (r->flags & IAM_ADMIN) ? "emergency-admin" : "policygen");
		put_iam_doc(c, b, policy_doc(c, r->flags & IAM_ADMIN, rng_chance(&c->rng, 300)),
			    (int)(hash2(r->seed, 45) & 1));
		gbuf_putc(b, '}');
	}
	gbuf_puts(b, "],\"groupList\":[");
	for (size_t gi = 0; gi < ng; gi++) {
		if (!user_in_group(c->a, r, gi))
			continue;
		const struct res *grp = &c->a->res[c->a->bytype[T_IAM_GROUP][gi]];
		make_ident(c->a, grp, &s_ref);
		if (n++)
			gbuf_putc(b, ',');
		gbuf_json(b, s_ref.name.p);
		rel_add(c, rtypes[T_IAM_GROUP].name, s_ref.id.p, s_ref.name.p, "Is attached to Group");
	}
	gbuf_puts(b, "],\"attachedManagedPolicies\":");
	put_attached(c, b, 0);
	gbuf_puts(b, ",\"permissionsBoundary\":null,\"tags\":");
	put_tag_list(b, c, "key", "value");
	gbuf_putc(b, '}');
	gbuf_puts(c->supp, "{}");
}

static void emit_iam_role(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	int service = (r->flags & IAM_AWS_SERVICE) != 0;
	char last[32];

	make_tags(c, NULL);
	gbuf_printf(b, "{\"path\":\"%s\",\"roleName\":",
		    strncmp(c->me->name.p, "AWSServiceRole", 14) ? "/" : "/aws-service-role/");
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b, ",\"roleId\":\"%s\",\"arn\":", c->me->id.p);
	gbuf_json(b, c->me->arn.p);
	gbuf_printf(b, ",\"createDate\":\"%s\",\"assumeRolePolicyDocument\":", c->created_s);
	trust_doc(c, service);
	put_iam_doc(c, b, s_tmp.p, (int)(hash2(r->seed, 45) & 1));
	gbuf_puts(b, ",\"instanceProfileList\":[");
	if (service && strstr(s_tmp.p, "ec2.amazonaws.com"))
		gbuf_printf(b,
			    "{\"path\":\"/\",\"instanceProfileName\":\"%s\",\"instanceProfileId\":"
			    "\"AIPA%012llX\",\"arn\":\"arn:aws:iam::%s:instance-profile/%s\","
			    "\"createDate\":\"%s\",\"roles\":[]}",
			    c->me->name.p,
			    (unsigned long long)(hash2(r->seed, 46) & 0xffffffffffffULL),
			    c->a->account, c->me->name.p, c->created_s);
	gbuf_puts(b, "],\"rolePolicyList\":[");
	if (r->flags & (IAM_INLINE | IAM_KMS_ALL)) {
		gbuf_puts(b, "{\"policyName\":\"inline-access\",\"policyDocument\":");
		put_iam_doc(c, b,
			    policy_doc(c, r->flags & IAM_KMS_ALL, rng_chance(&c->rng, 300)),
			    (int)(hash2(r->seed, 47) & 1));
		gbuf_putc(b, '}');
	}
	gbuf_puts(b, "],\"attachedManagedPolicies\":");
	put_attached(c, b, (r->flags & IAM_ADMIN) != 0);
	gbuf_puts(b, ",\"permissionsBoundary\":null,\"tags\":");
	put_tag_list(b, c, "key", "value");
	fmt_iso_s(last, r->capture - (ms_t)(hash2(r->seed, 48) % 86400) * 1000);
	if (rng_chance(&c->rng, 700))
		gbuf_printf(b, ",\"roleLastUsed\":{\"lastUsedDate\":\"%.19s.000Z\",\"region\":\"%s\"}",
			    last, c->a->region);
	else
		gbuf_puts(b, ",\"roleLastUsed\":null");
	gbuf_printf(b, ",\"description\":\"%s\",\"maxSessionDuration\":%d}",
		    service ? "Allows the service to call AWS on your behalf." : "",
		    service ? 3600 : 43200);
	gbuf_puts(c->supp, "{}");
}

static void emit_iam_policy(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	struct gbuf doc = {0};
	unsigned nver = (r->flags & IAM_OLD_ADMIN) ? 2 : 1 + (unsigned)(hash2(r->seed, 60) % 2);
	unsigned defv = nver + (c->r->version - 1);
	char upd[32];

	fmt_iso_ms(upd, r->capture);
	gbuf_puts(b, "{\"policyName\":");
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b, ",\"policyId\":\"%s\",\"arn\":", c->me->id.p);
	gbuf_json(b, c->me->arn.p);
	gbuf_printf(b,
		    ",\"defaultVersionId\":\"v%u\",\"path\":\"/\",\"attachmentCount\":%u,"
		    "\"permissionsBoundaryUsageCount\":0,\"isAttachable\":true,\"description\":",
		    defv, (unsigned)(hash2(r->seed, 61) % 6));
	gbuf_json(b, (r->flags & IAM_ADMIN) ? "Full access & break-glass \"temporary\"" : "");
	gbuf_printf(b, ",\"createDate\":\"%s\",\"updateDate\":\"%.23sZ\",\"policyVersionList\":[",
		    c->created_s, upd);
	for (unsigned v = 0; v < nver; v++) {
		unsigned vid = defv - v;
		int isdef = v == 0;
		unsigned kind = isdef ? (r->flags & (IAM_ADMIN | IAM_S3_FULL | IAM_KMS_ALL))
				      : ((r->flags & IAM_OLD_ADMIN) ? IAM_ADMIN : 0);
		gbuf_reset(&doc);
		gbuf_puts(&doc, policy_doc(c, kind, rng_chance(&c->rng, 400)));
		gbuf_printf(b, "%s{\"document\":", v ? "," : "");
		put_iam_doc(c, b, doc.p, (int)(hash2(r->seed, 62) & 1));
		gbuf_printf(b, ",\"versionId\":\"v%u\",\"isDefaultVersion\":%s,\"createDate\":\"%s\"}",
			    vid, isdef ? "true" : "false", isdef ? upd : c->created_s);
	}
	gbuf_puts(b, "]}");
	gbuf_free(&doc);
	gbuf_puts(c->supp, "{}");
}

static void emit_iam_group(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	size_t gi = r->ordinal;

	gbuf_puts(b, "{\"path\":\"/\",\"groupName\":");
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b, ",\"groupId\":\"%s\",\"arn\":", c->me->id.p);
	gbuf_json(b, c->me->arn.p);
	gbuf_printf(b, ",\"createDate\":\"%s\",\"groupPolicyList\":[", c->created_s);
	if (r->flags & IAM_INLINE) {
		gbuf_puts(b, "{\"policyName\":\"group-inline\",\"policyDocument\":");
		put_iam_doc(c, b, policy_doc(c, 0, 0), 1);
		gbuf_putc(b, '}');
	}
	gbuf_puts(b, "],\"attachedManagedPolicies\":");
	put_attached(c, b, gi == 0 && !r->name);
	gbuf_putc(b, '}');
	gbuf_puts(c->supp, "{}");
	/* members: every live user of the area whose groupList names us */
	for (size_t i = 0; i < c->a->nbytype[T_IAM_USER]; i++) {
		const struct res *u = &c->a->res[c->a->bytype[T_IAM_USER][i]];
		if (!u->alive || !user_in_group(c->a, u, gi))
			continue;
		make_ident(c->a, u, &s_ref);
		rel_add(c, rtypes[T_IAM_USER].name, s_ref.id.p, s_ref.name.p, "Contains User");
	}
}

/* --- KMS */

static void emit_kms(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf, *t = &s_tmp;
	int aws = (r->flags & K_AWS_MANAGED) != 0;
	int pending = (r->flags & K_PENDING_DELETION) != 0;
	int disabled = (r->flags & K_DISABLED) != 0;
	const char *acct = c->a->account;

	make_tags(c, NULL);
	gbuf_printf(b, "{\"keyId\":\"%s\",\"arn\":\"%s\",\"awsaccountId\":\"%s\",\"creationDate\":",
		    c->me->id.p, c->me->arn.p, acct);
	if (hash2(r->seed, 70) & 1)
		gbuf_printf(b, "%lld", (long long)r->created);
	else
		gbuf_printf(b, "\"%s\"", c->created);
	gbuf_printf(b,
		    ",\"enabled\":%s,\"description\":\"%s\",\"keyUsage\":\"ENCRYPT_DECRYPT\","
		    "\"keyState\":\"%s\",",
		    (pending || disabled) ? "false" : "true",
		    aws ? "Default key that protects my S3 objects when no other key is defined"
			: "customer data key",
		    pending ? "PendingDeletion" : disabled ? "Disabled" : "Enabled");
	if (pending) {
		char del[32];
		ms_t when = r->capture + 7 * MS_PER_DAY;
		/* a key past its deletion date would be gone: keep it pending */
		if (when < s_horizon)
			when = s_horizon + 3 * MS_PER_DAY + (ms_t)(hash2(r->seed, 72) % 86400000);
		fmt_iso_ms(del, when);
		gbuf_printf(b, "\"deletionDate\":\"%s\",\"pendingDeletionWindowInDays\":7,", del);
	}
	gbuf_printf(b,
		    "\"origin\":\"AWS_KMS\",\"keyManager\":\"%s\",\"customerMasterKeySpec\":"
		    "\"SYMMETRIC_DEFAULT\",\"keySpec\":\"SYMMETRIC_DEFAULT\",\"encryptionAlgorithms\":"
		    "[\"SYMMETRIC_DEFAULT\"],\"signingAlgorithms\":[],\"multiRegion\":false}",
		    aws ? "AWS" : "CUSTOMER");
	/* key policies come pretty-printed with " : " separators */
	gbuf_reset(t);
	gbuf_printf(t,
		    "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n"
		    "  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n"
		    "    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n"
		    "      \"AWS\" : \"arn:aws:iam::%s:root\"\n    },\n    \"Action\" : \"kms:*\",\n"
		    "    \"Resource\" : \"*\"\n  }",
		    acct);
	if (hash2(r->seed, 71) % 3 == 0)
		gbuf_printf(t,
			    ", {\n    \"Sid\" : \"Allow use of the key\",\n    \"Effect\" : \"Allow\",\n"
			    "    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n    \"Action\" : [ "
			    "\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", "
			    "\"kms:GenerateDataKey*\", \"kms:DescribeKey\" ],\n    \"Resource\" : \"*\",\n"
			    "    \"Condition\" : {\n      \"StringEquals\" : {\n"
			    "        \"kms:CallerAccount\" : \"%s\",\n"
			    "        \"kms:ViaService\" : \"s3.%s.amazonaws.com\"\n      }\n    }\n  }",
			    acct, c->a->region);
	gbuf_puts(t, " ]\n}");
	gbuf_printf(c->supp, "{\"KeyRotationStatus\":%s,\"Policy\":",
		    (r->flags & K_NO_ROTATION) ? "false" : "true");
	gbuf_json_n(c->supp, t->p, t->len);
	gbuf_puts(c->supp, ",\"Tags\":");
	put_tag_list(c->supp, c, "tagKey", "tagValue");
	gbuf_putc(c->supp, '}');
}

/* --- CloudTrail */

static void emit_trail(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	const char *acct = c->a->account, *reg = c->a->region;

	make_tags(c, NULL);
	/* the organization trail writes to the log-archive account's bucket
	 * under the organization id */
	gbuf_printf(b, "{\"name\":\"%s\",\"s3BucketName\":\"aws-controltower-logs-%s-%s\","
		       "\"s3KeyPrefix\":",
		    c->me->id.p, (r->flags & TR_ORG) ? "333333333333" : acct, reg);
	if (r->flags & TR_ORG)
		gbuf_json(b, gen_org_id);
	else
		gbuf_puts(b, "null");
	gbuf_putc(b, ',');
	gbuf_printf(b,
		    "\"snsTopicName\":\"arn:aws:sns:%s:%s:aws-controltower-AllConfigNotifications\","
		    "\"snsTopicARN\":\"arn:aws:sns:%s:%s:aws-controltower-AllConfigNotifications\","
		    "\"includeGlobalServiceEvents\":true,\"isMultiRegionTrail\":%s,"
		    "\"homeRegion\":\"%s\",\"trailARN\":\"%s\",\"logFileValidationEnabled\":%s,",
		    reg, acct, reg, acct, (r->flags & TR_SINGLE_REGION) ? "false" : "true", reg,
		    c->me->arn.p, (r->flags & TR_NO_VALIDATION) ? "false" : "true");
	if (r->flags & TR_NO_CWL)
		gbuf_puts(b, "\"cloudWatchLogsLogGroupArn\":null,\"cloudWatchLogsRoleArn\":null,");
	else
		gbuf_printf(b,
			    "\"cloudWatchLogsLogGroupArn\":\"arn:aws:logs:%s:%s:log-group:"
			    "aws-controltower/CloudTrailLogs:*\",\"cloudWatchLogsRoleArn\":"
			    "\"arn:aws:iam::%s:role/aws-controltower-CloudWatchLogsRole\",",
			    reg, acct, acct);
	if (r->flags & TR_NO_KMS)
		gbuf_puts(b, "\"kmsKeyId\":null,");
	else
		gbuf_printf(b, "\"kmsKeyId\":\"arn:aws:kms:%s:%s:key/%08llx-2222-4333-8444-%012llx\",",
			    reg, acct, (unsigned long long)(hash2(c->a->seed, 7) & 0xffffffff),
			    (unsigned long long)(hash2(c->a->seed, 8) & 0xffffffffffffULL));
	gbuf_printf(b, "\"hasCustomEventSelectors\":%s,\"hasInsightSelectors\":false,"
		       "\"isOrganizationTrail\":%s}",
		    rng_chance(&c->rng, 300) ? "true" : "false",
		    (r->flags & TR_ORG) ? "true" : "false");
	gbuf_puts(c->supp, "{\"Tags\":");
	put_tag_list(c->supp, c, "key", "value");
	gbuf_putc(c->supp, '}');
}

/* --- GuardDuty (PascalCase) */

static void emit_guardduty(struct ctx *c)
{
	int on = !(c->r->flags & GD_DISABLED);
	const char *st = on ? "ENABLED" : "DISABLED";
	gbuf_printf(c->conf,
		    "{\"Id\":\"%s\",\"Enable\":%s,\"FindingPublishingFrequency\":\"%s\","
		    "\"DataSources\":{\"S3Logs\":{\"Enable\":%s},\"Kubernetes\":{\"AuditLogs\":"
		    "{\"Enable\":false}},\"MalwareProtection\":{\"ScanEc2InstanceWithFindings\":"
		    "{\"EbsVolumes\":false}}},\"Features\":[{\"Name\":\"S3_DATA_EVENTS\",\"Status\":"
		    "\"%s\"},{\"Name\":\"EKS_AUDIT_LOGS\",\"Status\":\"DISABLED\"},{\"Name\":"
		    "\"RDS_LOGIN_EVENTS\",\"Status\":\"%s\"}],\"Tags\":[]}",
		    c->me->id.p, on ? "true" : "false",
		    (hash2(c->r->seed, 80) & 1) ? "SIX_HOURS" : "FIFTEEN_MINUTES", on ? "true" : "false",
		    st, st);
	gbuf_puts(c->supp, "{}");
}

/* --- SNS (PascalCase) */

static void emit_sns(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf, *t = &s_tmp;
	const char *arn = c->me->arn.p, *acct = c->a->account;

	make_tags(c, NULL);
	gbuf_reset(t);
	gbuf_printf(t,
		    "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
		    "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
		    "\"Action\":[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\","
		    "\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\","
		    "\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],"
		    "\"Resource\":\"%s\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"%s\"}}}",
		    arn, acct);
	if (r->flags & SNS_PUBLIC)
		gbuf_printf(t,
			    ",{\"Sid\":\"__console_pub_0\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
			    "\"*\"},\"Action\":\"SNS:Publish\",\"Resource\":\"%s\"}",
			    arn);
	gbuf_puts(t, "]}");
	gbuf_printf(b, "{\"TopicArn\":\"%s\",\"Owner\":\"%s\",\"DisplayName\":", arn, acct);
	gbuf_json(b, ((r->flags & F_HOSTILE) && c->a->hostile_names) ? "Alerts & \"Pages\" <b>"
								      : c->me->name.p);
	gbuf_puts(b, ",\"Policy\":");
	gbuf_json_n(b, t->p, t->len);
	gbuf_puts(b, ",\"EffectiveDeliveryPolicy\":");
	gbuf_json(b, "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
		     "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,"
		     "\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":"
		     "\"linear\"},\"disableSubscriptionOverrides\":false,"
		     "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}");
	if (!(r->flags & SNS_NO_KMS)) {
		if (hash2(r->seed, 90) & 1)
			gbuf_puts(b, ",\"KmsMasterKeyId\":\"alias/aws/sns\"");
		else
			gbuf_printf(b,
				    ",\"KmsMasterKeyId\":\"arn:aws:kms:%s:%s:key/"
				    "%08llx-1111-4222-8333-%012llx\"",
				    c->a->region, acct,
				    (unsigned long long)(hash2(c->a->seed, 5) & 0xffffffff),
				    (unsigned long long)(hash2(c->a->seed, 6) & 0xffffffffffffULL));
	}
	gbuf_printf(b, ",\"SubscriptionsConfirmed\":%u,\"SubscriptionsPending\":0,"
		       "\"SubscriptionsDeleted\":0,\"FifoTopic\":false}",
		    (unsigned)(hash2(r->seed, 91) % 5));
	gbuf_puts(c->supp, "{\"Tags\":");
	put_tag_list(c->supp, c, "key", "value");
	gbuf_putc(c->supp, '}');
}

/* --- RDS */

static void emit_rds(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	static const char *const engines[] = {"postgres", "mysql", "aurora-postgresql",
					      "mariadb"};
	const char *eng = engines[hash2(r->seed, 100) % 4];
	const struct res *vpc = pick(c->a, T_VPC, hash2(r->seed, 9));
	const struct res *sg = pick(c->a, T_SG, hash2(r->seed, 10));
	char vpcid[32], sgid[64] = "sg-0000000000000000";

	vpc_id_of(vpcid, c->a, vpc);
	if (sg) {
		make_ident(c->a, sg, &s_ref);
		snprintf(sgid, sizeof sgid, "%s", s_ref.id.p);
	}
	make_tags(c, NULL);
	gbuf_puts(b, "{\"dBInstanceIdentifier\":");
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b,
		    ",\"dBInstanceClass\":\"db.%s\",\"engine\":\"%s\",\"dBInstanceStatus\":"
		    "\"available\",\"masterUsername\":\"dbadmin\",\"dBName\":\"app\",\"endpoint\":{"
		    "\"address\":\"%s.c%010llx.%s.rds.amazonaws.com\",\"port\":%d,"
		    "\"hostedZoneId\":\"Z2R2ITUGPM61AM\"},\"allocatedStorage\":%u,"
		    "\"instanceCreateTime\":\"%s\",\"preferredBackupWindow\":\"03:00-04:00\","
		    "\"backupRetentionPeriod\":%u,\"dBSecurityGroups\":[],\"vpcSecurityGroups\":[{"
		    "\"vpcSecurityGroupId\":\"%s\",\"status\":\"active\"}],\"dBParameterGroups\":[{"
		    "\"dBParameterGroupName\":\"default.%s\",\"parameterApplyStatus\":\"in-sync\"}],"
		    "\"availabilityZone\":\"%s\",\"dBSubnetGroup\":{\"dBSubnetGroupName\":"
		    "\"%s-db-subnets\",\"dBSubnetGroupDescription\":\"db subnets\",\"vpcId\":\"%s\","
		    "\"subnetGroupStatus\":\"Complete\",\"subnets\":[]},"
		    "\"preferredMaintenanceWindow\":\"sun:05:00-sun:06:00\",\"pendingModifiedValues\":{"
		    "\"dBInstanceClass\":null,\"allocatedStorage\":null,\"masterUserPassword\":null,"
		    "\"port\":null,\"backupRetentionPeriod\":null,\"multiAZ\":null,\"engineVersion\":"
		    "null,\"pendingCloudwatchLogsExports\":null},\"multiAZ\":%s,\"engineVersion\":"
		    "\"%s\",\"autoMinorVersionUpgrade\":true,\"readReplicaDBInstanceIdentifiers\":[],"
		    "\"licenseModel\":\"%s\",\"optionGroupMemberships\":[],\"publiclyAccessible\":%s,"
		    "\"storageType\":\"gp3\",\"dbInstancePort\":0,\"storageEncrypted\":%s,",
		    (hash2(r->seed, 101) & 1) ? "t3.medium" : "r6g.large", eng, c->me->name.p,
		    (unsigned long long)(hash2(c->a->seed, 102) & 0xffffffffffULL), c->a->region,
		    strstr(eng, "postgres") ? 5432 : 3306,
		    20 + (unsigned)(hash2(r->seed, 103) % 50) * 10, c->created,
		    (unsigned)(hash2(r->seed, 104) % 35), sgid, eng, c->me->az, env_of(c->a), vpcid,
		    (hash2(r->seed, 105) & 1) ? "true" : "false",
		    strstr(eng, "postgres") ? "15.4" : "8.0.35",
		    strstr(eng, "postgres") ? "postgresql-license" : "general-public-license",
		    (r->flags & RDS_PUBLIC) ? "true" : "false",
		    (r->flags & RDS_UNENCRYPTED) ? "false" : "true");
	if (r->flags & RDS_UNENCRYPTED)
		gbuf_puts(b, "\"kmsKeyId\":null,");
	else
		gbuf_printf(b, "\"kmsKeyId\":\"arn:aws:kms:%s:%s:key/%08llx-1111-4222-8333-%012llx\",",
			    c->a->region, c->a->account,
			    (unsigned long long)(hash2(c->a->seed, 5) & 0xffffffff),
			    (unsigned long long)(hash2(c->a->seed, 6) & 0xffffffffffffULL));
	gbuf_printf(b,
		    "\"dbiResourceId\":\"%s\",\"cACertificateIdentifier\":\"rds-ca-rsa2048-g1\","
		    "\"domainMemberships\":[],\"copyTagsToSnapshot\":true,\"monitoringInterval\":%d,"
		    "\"dBInstanceArn\":\"%s\",\"iAMDatabaseAuthenticationEnabled\":%s,"
		    "\"performanceInsightsEnabled\":false,\"enabledCloudwatchLogsExports\":[",
		    c->me->id.p, (hash2(r->seed, 106) & 1) ? 60 : 0, c->me->arn.p,
		    (hash2(r->seed, 107) & 1) ? "true" : "false");
	if (!(r->flags & RDS_NO_LOGS)) {
		if (strstr(eng, "postgres"))
			gbuf_puts(b, "\"postgresql\",\"upgrade\"");
		else
			gbuf_puts(b, "\"audit\",\"error\",\"general\",\"slowquery\"");
	}
	gbuf_printf(b, "],\"deletionProtection\":%s,\"associatedRoles\":[]}",
		    (hash2(r->seed, 108) & 1) ? "true" : "false");
	gbuf_puts(c->supp, "{\"Tags\":");
	put_tag_list(c->supp, c, "key", "value");
	gbuf_putc(c->supp, '}');
	rel_res(c, sg, "Is associated with SecurityGroup");
	rel_res(c, vpc, "Is contained in Vpc");
}

/* --- CloudWatch Logs log group (PascalCase) */

static void emit_loggroup(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	static const int keep[] = {365, 400, 545, 731, 1827, 3653};
	static const int shortk[] = {1, 3, 7, 14, 30, 90};

	make_tags(c, NULL);
	gbuf_puts(b, "{\"LogGroupName\":");
	gbuf_json(b, c->me->id.p);
	if (!(r->flags & LG_NO_RETENTION))
		gbuf_printf(b, ",\"RetentionInDays\":%d",
			    (r->flags & LG_SHORT_RETENTION) ? shortk[hash2(r->seed, 110) % 6]
							    : keep[hash2(r->seed, 110) % 6]);
	if (r->flags & LG_KMS)
		gbuf_printf(b, ",\"KmsKeyId\":\"arn:aws:kms:%s:%s:key/%08llx-1111-4222-8333-%012llx\"",
			    c->a->region, c->a->account,
			    (unsigned long long)(hash2(c->a->seed, 5) & 0xffffffff),
			    (unsigned long long)(hash2(c->a->seed, 6) & 0xffffffffffffULL));
	gbuf_puts(b, ",\"Arn\":");
	gbuf_reset(&s_tmp2);
	gbuf_printf(&s_tmp2, "%s:*", c->me->arn.p);
	gbuf_json(b, s_tmp2.p);
	gbuf_puts(b, ",\"LogGroupClass\":\"STANDARD\",\"Tags\":");
	put_tag_list(b, c, "Key", "Value");
	gbuf_putc(b, '}');
	gbuf_puts(c->supp, "{}");
}

/* --- CloudWatch alarm */

static void emit_alarm(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	int cpu = strstr(c->me->id.p, "cpu") != NULL;
	const struct res *topic = pick(c->a, T_SNS, hash2(r->seed, 120));
	char topic_arn[512] = "";

	if (topic) {
		make_ident(c->a, topic, &s_ref);
		snprintf(topic_arn, sizeof topic_arn, "%s", s_ref.arn.p);
	} else {
		snprintf(topic_arn, sizeof topic_arn, "arn:aws:sns:%s:%s:ops-alerts", c->a->region,
			 c->a->account);
	}
	gbuf_puts(b, "{\"alarmName\":");
	gbuf_json(b, c->me->id.p);
	gbuf_puts(b, ",\"alarmArn\":");
	gbuf_json(b, c->me->arn.p);
	gbuf_printf(b, ",\"alarmDescription\":%s,\"alarmConfigurationUpdatedTimestamp\":%lld,"
		       "\"actionsEnabled\":%s,\"okactions\":[],\"alarmActions\":[",
		    cpu ? "\"CPU above threshold\"" : "null", (long long)r->capture,
		    (r->flags & AL_NO_ACTIONS) ? "false" : "true");
	if (!(r->flags & AL_NO_ACTIONS)) {
		gbuf_json(b, topic_arn);
	}
	gbuf_puts(b, "],\"insufficientDataActions\":[");
	if (!(r->flags & AL_NO_ACTIONS) && hash2(r->seed, 124) % 4)
		gbuf_json(b, topic_arn);
	gbuf_printf(b,
		    "],\"stateValue\":\"%s\",\"stateReason\":"
		    "\"Threshold Crossed: 1 datapoint [2.0 (01/11/26 10:00:00)] was not greater than "
		    "the threshold (80.0).\",\"metricName\":\"%s\",\"namespace\":\"%s\","
		    "\"statistic\":\"%s\",\"extendedStatistic\":null,\"dimensions\":[{\"name\":\"%s\","
		    "\"value\":\"%s-%u\"}],\"period\":%d,\"unit\":null,\"evaluationPeriods\":%u,"
		    "\"datapointsToAlarm\":%u,\"threshold\":%s,\"comparisonOperator\":"
		    "\"GreaterThanThreshold\",\"treatMissingData\":\"%s\",\"evaluateLowSampleCountPercentile\":"
		    "null,\"metrics\":[],\"thresholdMetricId\":null}",
		    (hash2(r->seed + r->version, 121) % 10) ? "OK" : "ALARM",
		    cpu ? "CPUUtilization" : "HTTPCode_Target_5XX_Count",
		    cpu ? "AWS/EC2" : "AWS/ApplicationELB", cpu ? "Average" : "Sum",
		    cpu ? "InstanceId" : "LoadBalancer", cpu ? "i" : "app", r->ordinal,
		    cpu ? 300 : 60, 1 + (unsigned)(hash2(r->seed, 122) % 5),
		    1 + (unsigned)(hash2(r->seed, 122) % 3), cpu ? "80.0" : "10.0",
		    (hash2(r->seed, 123) & 1) ? "missing" : "notBreaching");
	gbuf_puts(c->supp, "{}");
}

/* --- ELBv2 */

static void emit_elbv2(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	const struct res *vpc = pick(c->a, T_VPC, hash2(r->seed, 9));
	const struct res *sg = pick(c->a, T_SG, hash2(r->seed, 10));
	int internal = (r->flags & ELB_INTERNAL) != 0;
	char vpcid[32], sn1[32], sn2[32], sgid[64] = "";

	vpc_id_of(vpcid, c->a, vpc);
	subnet_id_of(sn1, vpc, 0);
	subnet_id_of(sn2, vpc, 1);
	if (sg) {
		make_ident(c->a, sg, &s_ref);
		snprintf(sgid, sizeof sgid, "%s", s_ref.id.p);
	}
	make_tags(c, NULL);
	gbuf_printf(b,
		    "{\"loadBalancerArn\":\"%s\",\"dNSName\":\"%s%s-%u.%s.elb.amazonaws.com\","
		    "\"canonicalHostedZoneId\":\"Z35SXDOTRQ7X7K\",\"createdTime\":\"%s\","
		    "\"loadBalancerName\":\"%s\",\"scheme\":\"%s\",\"vpcId\":\"%s\",\"state\":{"
		    "\"code\":\"active\"},\"type\":\"application\",\"availabilityZones\":[{"
		    "\"zoneName\":\"%sa\",\"subnetId\":\"%s\",\"loadBalancerAddresses\":[]},{"
		    "\"zoneName\":\"%sb\",\"subnetId\":\"%s\",\"loadBalancerAddresses\":[]}],"
		    "\"securityGroups\":[\"%s\"],\"ipAddressType\":\"ipv4\"}",
		    c->me->arn.p, internal ? "internal-" : "", c->me->name.p,
		    (unsigned)(hash2(r->seed, 130) % 2000000000u), c->a->region, c->created,
		    c->me->name.p, internal ? "internal" : "internet-facing", vpcid, c->a->region,
		    sn1, c->a->region, sn2, sgid);
	gbuf_printf(c->supp,
		    "{\"LoadBalancerAttributes\":[{\"key\":\"access_logs.s3.enabled\",\"value\":"
		    "\"%s\"},{\"key\":\"idle_timeout.timeout_seconds\",\"value\":\"60\"},{\"key\":"
		    "\"access_logs.s3.prefix\",\"value\":\"%s\"},{\"key\":"
		    "\"deletion_protection.enabled\",\"value\":\"%s\"},{\"key\":"
		    "\"access_logs.s3.bucket\",\"value\":\"%s\"},{\"key\":"
		    "\"routing.http.drop_invalid_header_fields.enabled\",\"value\":\"false\"}],"
		    "\"Tags\":",
		    (r->flags & ELB_NO_LOGS) ? "false" : "true",
		    (r->flags & ELB_NO_LOGS) ? "" : "alb",
		    (hash2(r->seed, 131) & 1) ? "true" : "false",
		    (r->flags & ELB_NO_LOGS) ? "" : "elb-access-logs-bucket");
	put_tag_list(c->supp, c, "key", "value");
	gbuf_putc(c->supp, '}');
	rel_res(c, sg, "Is associated with SecurityGroup");
	rel_res(c, vpc, "Is contained in Vpc");
	rel_add(c, "AWS::EC2::Subnet", sn1, NULL, "Is attached to Subnet");
	rel_add(c, "AWS::EC2::Subnet", sn2, NULL, "Is attached to Subnet");
}

/* --- Secrets Manager (PascalCase) */

static void emit_secret(struct ctx *c)
{
	const struct res *r = c->r;
	struct gbuf *b = c->conf;
	int rot = !(r->flags & SEC_NO_ROTATION);

	make_tags(c, NULL);
	gbuf_printf(b, "{\"Id\":\"%s\",\"Name\":", c->me->id.p);
	gbuf_json(b, c->me->name.p);
	gbuf_printf(b, ",\"Description\":\"%s\",\"KmsKeyId\":%s,\"RotationEnabled\":%s,",
		    rot ? "rotated credentials" : "static credentials",
		    (hash2(r->seed, 140) & 1) ? "\"alias/aws/secretsmanager\"" : "null",
		    rot ? "true" : "false");
	if (rot)
		gbuf_printf(b,
			    "\"RotationLambdaARN\":\"arn:aws:lambda:%s:%s:function:SecretsRotation\","
			    "\"RotationRules\":{\"AutomaticallyAfterDays\":%u},"
			    "\"RotationOccurringAsScheduled\":%s,",
			    c->a->region, c->a->account, 30u * (1 + (unsigned)(hash2(r->seed, 141) % 3)),
			    (hash2(r->seed, 142) % 10) ? "true" : "false");
	gbuf_puts(b, "\"ReplicaRegions\":[],\"Tags\":");
	put_tag_list(b, c, "Key", "Value");
	gbuf_putc(b, '}');
	gbuf_puts(c->supp, "{}");
}

/* --- service types (gen-services.c) */

static void svc_rel(void *ctx, const char *type, const char *id, const char *relname)
{
	rel_add(ctx, type, id, NULL, relname);
}

static void emit_service(struct ctx *c)
{
	make_tags(c, NULL);
	if (c->r->flags & SVC_BACKUP_TAG)
		tag(c, "backup", "true");
	svc_emit(c->a, c->r, c->me, c->created, c->conf, c->supp, svc_rel, c);
}

/* ------------------------------------------------------------ the item */

static const char *const status_names[] = {"OK", "ResourceDiscovered", "ResourceDeleted"};

void res_id(struct gbuf *out, const struct area *a, const struct res *r)
{
	make_ident(a, r, &s_ref);
	gbuf_puts(out, s_ref.id.p);
}

void emit_item(struct gbuf *out, const struct area *a, const struct res *r, int status)
{
	struct ctx c;
	char capture[32];

	memset(&c, 0, sizeof c);
	c.a = a;
	c.r = r;
	c.me = &s_me;
	gbuf_reset(&s_rel);
	gbuf_reset(&s_conf);
	gbuf_reset(&s_supp);
	c.rel = &s_rel;
	c.conf = &s_conf;
	c.supp = &s_supp;
	c.item_version = "1.3";
	rng_seed(&c.rng, hash2(r->seed, 1000 + r->version));
	rng_seed(&c.idr, hash2(r->seed, 1));
	iso_ms(c.created, r->created);
	fmt_iso_s(c.created_s, r->created);
	snprintf(c.created_s + 19, sizeof c.created_s - 19, ".000Z");
	make_ident(a, r, &s_me);

	if (status == ST_DELETED) {
		gbuf_puts(&s_conf, "null");
		gbuf_puts(&s_supp, "{}");
	} else {
		switch (r->type) {
		case T_SG: emit_sg(&c); break;
		case T_INSTANCE: emit_instance(&c); break;
		case T_VOLUME: emit_volume(&c); break;
		case T_VPC: emit_vpc(&c); break;
		case T_BUCKET: emit_bucket(&c); break;
		case T_ACCOUNT_PAB: emit_account_pab(&c); break;
		case T_IAM_USER: emit_iam_user(&c); break;
		case T_IAM_ROLE: emit_iam_role(&c); break;
		case T_IAM_POLICY: emit_iam_policy(&c); break;
		case T_IAM_GROUP: emit_iam_group(&c); break;
		case T_KMS: emit_kms(&c); break;
		case T_TRAIL: emit_trail(&c); break;
		case T_GUARDDUTY: emit_guardduty(&c); break;
		case T_SNS: emit_sns(&c); break;
		case T_RDS: emit_rds(&c); break;
		case T_LOGGROUP: emit_loggroup(&c); break;
		case T_ALARM: emit_alarm(&c); break;
		case T_ELBV2: emit_elbv2(&c); break;
		case T_SECRET: emit_secret(&c); break;
		default:
			if (!svc_is((enum rtype)r->type))
				abort();
			emit_service(&c);
		}
	}

	gbuf_puts(out, "{\"relatedEvents\":[],\"relationships\":[");
	gbuf_add(out, s_rel.p ? s_rel.p : "", s_rel.len);
	gbuf_puts(out, "],\"configuration\":");
	gbuf_add(out, s_conf.p, s_conf.len);
	gbuf_puts(out, ",\"supplementaryConfiguration\":");
	gbuf_add(out, s_supp.p, s_supp.len);
	gbuf_puts(out, ",\"tags\":");
	if (status == ST_DELETED)
		gbuf_puts(out, "{}");
	else
		put_tag_map(out, &c);
	iso_ms(capture, r->capture);
	gbuf_printf(out,
		    ",\"configurationItemVersion\":\"%s\",\"configurationItemCaptureTime\":\"%s\","
		    "\"configurationStateId\":%lld,\"awsAccountId\":\"%s\","
		    "\"configurationItemStatus\":\"%s\",\"resourceType\":\"%s\",\"resourceId\":",
		    c.item_version, capture, (long long)r->capture, a->account,
		    status_names[status], rtypes[r->type].name);
	gbuf_json(out, s_me.id.p);
	gbuf_puts(out, ",\"resourceName\":");
	gbuf_json(out, s_me.name_null ? NULL : s_me.name.p);
	if (!s_me.arn_absent) {
		gbuf_puts(out, ",\"ARN\":");
		gbuf_json(out, s_me.arn.p);
	}
	gbuf_printf(out, ",\"awsRegion\":\"%s\",\"availabilityZone\":\"%s\","
			 "\"configurationStateMd5Hash\":\"\",\"resourceCreationTime\":",
		    rtypes[r->type].global ? "global" : a->region, s_me.az);
	if (status == ST_DELETED || r->type == T_ACCOUNT_PAB)
		gbuf_puts(out, "null}");
	else
		gbuf_printf(out, "\"%s\"}", c.created);
}

/* ------------------------------------------------ landing-zone extras */

/* The organization id (the --landing-zone prefix), for the trail bucket's
 * policy; set by gen-archive. */
const char *gen_org_id = "o-exampleorg1";

/* One fixed item: never changes during the week, captured before it. */
static void lz_item_in(struct gbuf *out, const struct area *a, const char *region, ms_t capture,
		       const char *type, const char *id, const char *name, const char *arn,
		       const char *conf)
{
	char cap[32], created[32];

	fmt_iso_ms(cap, capture);
	fmt_iso_ms(created, capture - 400 * MS_PER_DAY);
	gbuf_puts(out, ",{\"relatedEvents\":[],\"relationships\":[],\"configuration\":");
	gbuf_puts(out, conf);
	gbuf_printf(out,
		    ",\"supplementaryConfiguration\":{},\"tags\":{},\"configurationItemVersion\":"
		    "\"1.3\",\"configurationItemCaptureTime\":\"%s\",\"configurationStateId\":%lld,"
		    "\"awsAccountId\":\"%s\",\"configurationItemStatus\":\"OK\",\"resourceType\":"
		    "\"%s\",\"resourceId\":",
		    cap, (long long)capture, a->account, type);
	gbuf_json(out, id);
	gbuf_puts(out, ",\"resourceName\":");
	gbuf_json(out, name);
	gbuf_puts(out, ",\"ARN\":");
	gbuf_json(out, arn);
	gbuf_printf(out,
		    ",\"awsRegion\":\"%s\",\"availabilityZone\":\"Not Applicable\","
		    "\"configurationStateMd5Hash\":\"\",\"resourceCreationTime\":\"%s\"}",
		    region, created);
}

/* The same, in the area's region. */
static void lz_item(struct gbuf *out, const struct area *a, ms_t capture, const char *type,
		    const char *id, const char *name, const char *arn, const char *conf)
{
	lz_item_in(out, a, a->region, capture, type, id, name, arn, conf);
}

int emit_lz_extras(struct gbuf *out, const struct area *a, ms_t start)
{
	struct gbuf conf = {0}, arn = {0};
	ms_t cap = start - 20 * MS_PER_DAY + (ms_t)(hash2(a->seed, 300) % 86400000);
	int n = 0;
	/* development, eu-west-1: a recorder that records only a few types */
	int partial = !strcmp(a->account, "555555555555") && strcmp(a->region, "us-east-1");

	/* the Config recorder itself (AWS::Config::ConfigurationRecorder) */
	gbuf_printf(&conf,
		    "{\"Name\":\"aws-controltower-BaselineConfigRecorder\",\"RoleARN\":"
		    "\"arn:aws:iam::%s:role/aws-controltower-ConfigRecorderRole\",\"RecordingGroup\":"
		    "{\"AllSupported\":%s,\"IncludeGlobalResourceTypes\":%s,\"ResourceTypes\":%s,"
		    "\"ExclusionByResourceTypes\":{\"ResourceTypes\":[]},\"RecordingStrategy\":"
		    "{\"UseOnly\":\"%s\"}},\"RecordingMode\":{\"RecordingFrequency\":\"CONTINUOUS\","
		    "\"RecordingModeOverrides\":[]},\"Recording\":true}",
		    a->account, partial ? "false" : "true", a->home && !partial ? "true" : "false",
		    partial ? "[\"AWS::EC2::Instance\",\"AWS::EC2::SecurityGroup\",\"AWS::S3::Bucket\"]"
			    : "[]",
		    partial ? "INCLUSION_BY_RESOURCE_TYPES" : "ALL_SUPPORTED_RESOURCE_TYPES");
	gbuf_printf(&arn, "arn:aws:config:%s:%s:config-recorder/aws-controltower-BaselineConfigRecorder",
		    a->region, a->account);
	lz_item(out, a, cap, "AWS::Config::ConfigurationRecorder",
		"aws-controltower-BaselineConfigRecorder", "aws-controltower-BaselineConfigRecorder",
		arn.p, conf.p);
	n++;

	/* security: GuardDuty findings to SNS; in eu-west-1 to a topic that
	 * nobody confirmed a subscription to */
	if (!strcmp(a->account, "222222222222")) {
		const char *topic = a->home ? "aws-controltower-SecurityNotifications"
					    : "aws-controltower-AllConfigNotifications";
		gbuf_reset(&arn);
		gbuf_printf(&arn, "arn:aws:events:%s:%s:rule/guardduty-findings-to-sns", a->region,
			    a->account);
		gbuf_reset(&conf);
		gbuf_printf(&conf,
			    "{\"Arn\":\"%s\",\"Description\":\"GuardDuty findings of severity 4 and "
			    "above\",\"EventBusName\":\"default\",\"EventPattern\":\"{\\\"source\\\":"
			    "[\\\"aws.guardduty\\\"],\\\"detail-type\\\":[\\\"GuardDuty Finding\\\"],"
			    "\\\"detail\\\":{\\\"severity\\\":[{\\\"numeric\\\":[\\\">=\\\",4]}]}}\","
			    "\"Name\":\"guardduty-findings-to-sns\",\"State\":\"ENABLED\",\"Targets\":"
			    "[{\"Arn\":\"arn:aws:sns:%s:%s:%s\",\"Id\":\"security-notifications\"}]}",
			    arn.p, a->region, a->account, topic);
		lz_item(out, a, cap, "AWS::Events::Rule", "guardduty-findings-to-sns",
			"guardduty-findings-to-sns", arn.p, conf.p);
		n++;
	}

	/* security, home region: the role of the organization aggregator
	 * (the aggregator itself is in the evidence files) */
	if (!strcmp(a->account, "222222222222") && a->home) {
		static const char trust[] =
			"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
			"\"Principal\":{\"Service\":\"config.amazonaws.com\"},\"Action\":"
			"\"sts:AssumeRole\"}]}";
		char created[32];

		fmt_iso_s(created, cap - 400 * MS_PER_DAY);
		gbuf_reset(&arn);
		gbuf_printf(&arn, "arn:aws:iam::%s:role/aws-controltower-ConfigAggregatorRoleForOrganizations",
			    a->account);
		gbuf_reset(&conf);
		gbuf_printf(&conf,
			    "{\"path\":\"/\",\"roleName\":\"aws-controltower-ConfigAggregatorRoleForOrganizations"
			    "\",\"roleId\":\"AROAQX7CTAGGREGATOR01\",\"arn\":\"%s\",\"createDate\":\"%s\","
			    "\"assumeRolePolicyDocument\":\"",
			    arn.p, created);
		gbuf_urlencode(&conf, trust, sizeof trust - 1, 0);
		gbuf_puts(&conf, "\",\"instanceProfileList\":[],\"rolePolicyList\":[],"
				 "\"attachedManagedPolicies\":[{\"policyName\":\"AWSConfigRoleForOrganizations\","
				 "\"policyArn\":\"arn:aws:iam::aws:policy/service-role/"
				 "AWSConfigRoleForOrganizations\"}],\"permissionsBoundary\":null,\"tags\":[],"
				 "\"roleLastUsed\":null,\"description\":\"\",\"maxSessionDuration\":3600}");
		lz_item_in(out, a, "global", cap, "AWS::IAM::Role", "AROAQX7CTAGGREGATOR01",
			   "aws-controltower-ConfigAggregatorRoleForOrganizations", arn.p, conf.p);
		n++;
	}

	/* management, home region: the organization trail's log group and the
	 * alarm on switches into the elevated role */
	if (!strcmp(a->account, "111111111111") && a->home) {
		gbuf_reset(&arn);
		gbuf_printf(&arn, "arn:aws:logs:%s:%s:log-group:aws-controltower/CloudTrailLogs",
			    a->region, a->account);
		gbuf_reset(&conf);
		gbuf_printf(&conf,
			    "{\"LogGroupName\":\"aws-controltower/CloudTrailLogs\",\"RetentionInDays\":"
			    "365,\"Arn\":\"%s:*\",\"LogGroupClass\":\"STANDARD\",\"Tags\":[]}",
			    arn.p);
		lz_item(out, a, cap, "AWS::Logs::LogGroup", "aws-controltower/CloudTrailLogs",
			"aws-controltower/CloudTrailLogs", arn.p, conf.p);
		gbuf_reset(&arn);
		gbuf_printf(&arn, "arn:aws:cloudwatch:%s:%s:alarm:elevated-role-assumed", a->region,
			    a->account);
		gbuf_reset(&conf);
		gbuf_printf(&conf,
			    "{\"alarmName\":\"elevated-role-assumed\",\"alarmArn\":\"%s\","
			    "\"alarmDescription\":\"Someone assumed AWSControlTowerExecution\","
			    "\"alarmConfigurationUpdatedTimestamp\":%lld,\"actionsEnabled\":true,"
			    "\"okactions\":[],\"alarmActions\":[\"arn:aws:sns:%s:222222222222:"
			    "aws-controltower-SecurityNotifications\"],\"insufficientDataActions\":[],"
			    "\"stateValue\":\"OK\",\"stateReason\":\"Threshold Crossed: no datapoints were "
			    "received for 1 period and 1 missing datapoint was treated as [NonBreaching].\","
			    "\"metricName\":\"ElevatedRoleAssumed\",\"namespace\":\"CloudTrailMetrics\","
			    "\"statistic\":\"Sum\",\"extendedStatistic\":null,\"dimensions\":[],"
			    "\"period\":300,\"unit\":null,\"evaluationPeriods\":1,\"datapointsToAlarm\":1,"
			    "\"threshold\":1.0,\"comparisonOperator\":\"GreaterThanOrEqualToThreshold\","
			    "\"treatMissingData\":\"notBreaching\",\"evaluateLowSampleCountPercentile\":"
			    "null,\"metrics\":[],\"thresholdMetricId\":null}",
			    arn.p, (long long)cap, a->region);
		lz_item(out, a, cap, "AWS::CloudWatch::Alarm", "elevated-role-assumed",
			"elevated-role-assumed", arn.p, conf.p);
		n += 2;
	}
	free(conf.p);
	free(arn.p);
	return n;
}
