/*
 * gen-items: the resource model of tools/gen-archive and the emitter that
 * turns one resource version into one configuration item in the exact S3
 * delivery shape (key order, casing and JSON-in-string oddities of real
 * AWS Config files).
 *
 * A resource is a few dozen bytes: its identity seed (ids, names), its
 * content version, capture time and flags (which compliance-relevant
 * features it has). The item text is recomputed from those whenever a
 * snapshot or history file needs it, so millions of items cost no memory.
 */
#ifndef CFGAUDIT_GEN_ITEMS_H
#define CFGAUDIT_GEN_ITEMS_H

#include "gen-common.h"

enum rtype {
	T_SG,
	T_INSTANCE,
	T_VOLUME,
	T_VPC,
	T_BUCKET,
	T_ACCOUNT_PAB,
	T_IAM_USER,
	T_IAM_ROLE,
	T_IAM_POLICY,
	T_IAM_GROUP,
	T_KMS,
	T_TRAIL,
	T_GUARDDUTY,
	T_SNS,
	T_RDS,
	T_LOGGROUP,
	T_ALARM,
	T_ELBV2,
	T_SECRET,
	/* service types written from templates (gen-services.c) */
	T_CLB,
	T_ALB_LISTENER,
	T_APIGW_STAGE,
	T_ASG,
	T_LAUNCH_CONFIG,
	T_CODEBUILD,
	T_EIP,
	T_SUBNET,
	T_FLOWLOG,
	T_NACL,
	T_ROUTE_TABLE,
	T_IGW,
	T_VPN,
	T_ECR,
	T_ECS_TASKDEF,
	T_ECS_SERVICE,
	T_LAMBDA,
	T_DYNAMODB,
	T_EFS,
	T_EFS_AP,
	T_RDS_CLUSTER,
	T_RDS_SNAPSHOT,
	T_REDSHIFT,
	T_REDSHIFT_PG,
	T_ELASTICACHE,
	T_DMS,
	T_OPENSEARCH,
	T_ES,
	T_KINESIS,
	T_SAGEMAKER_NB,
	T_BACKUP_PLAN,
	T_BACKUP_SELECTION,
	T_RECOVERY_POINT,
	T_NTYPES
};
/* The first template-driven type. */
#define T_FIRST_SVC T_CLB

/* Per-type facts: the AWS type name, its share (per mille) in a random
 * inventory, and whether it is a global (IAM) type. */
struct rtype_info {
	const char *name;
	unsigned weight;
	int global;
};
extern const struct rtype_info rtypes[T_NTYPES];

/* Flag bits; their meaning depends on the type. F_HOSTILE and F_PLANTED
 * apply to all. */
enum {
	F_HOSTILE = 1u << 30, /* quotes, <script>, control characters in names/tags */
	F_PLANTED = 1u << 31, /* scripted by --landing-zone: flags never drift */

	/* security groups */
	SG_SSH_OPEN = 1u << 0,   /* tcp 22 from 0.0.0.0/0 */
	SG_RDP_OPEN6 = 1u << 1,  /* tcp 3389 from ::/0 */
	SG_ALL_OPEN = 1u << 2,   /* protocol -1 from 0.0.0.0/0 */
	SG_WIDE_RANGE = 1u << 3, /* tcp 20-23 from 0.0.0.0/0 */
	SG_LEGACY = 1u << 4,     /* old item: ipRanges strings only, version 1.2 */
	SG_DEFAULT = 1u << 5,    /* the VPC's default group */
	SG_CLOSED = 1u << 6,     /* no rules at all */
	SG_DB_OPEN = 1u << 7,    /* tcp 3306 and 5432 from 0.0.0.0/0 */

	/* instances */
	I_PUBLIC_IP = 1u << 0,
	I_IMDSV2 = 1u << 1,
	I_STOPPED = 1u << 2,

	/* volumes */
	V_UNENCRYPTED = 1u << 0,
	V_ATTACHED = 1u << 1,

	/* buckets */
	B_PUBLIC_ACL = 1u << 0,    /* AllUsers READ grant */
	B_PUBLIC_POLICY = 1u << 1, /* Principal * s3:GetObject, no condition */
	B_SSL_DENY = 1u << 2,      /* Deny when aws:SecureTransport is false */
	B_NO_SSE = 1u << 3,        /* no default encryption (pre-2023 bucket) */
	B_BPA = 1u << 4,           /* bucket-level public access block, all true */
	B_VERSIONING = 1u << 5,
	B_LOGGING = 1u << 6,
	B_LIFECYCLE = 1u << 7,
	B_KMS = 1u << 8,          /* SSE-KMS instead of AES256 */
	B_PUBLIC_WRITE = 1u << 9, /* AllUsers WRITE grant */
	B_CLOUDTRAIL = 1u << 10,  /* the organization trail writes here (policy) */

	/* account public access block */
	PAB_PARTIAL = 1u << 0,

	/* IAM users / roles / groups / policies */
	IAM_INLINE = 1u << 0,        /* inline policy present */
	IAM_NO_GROUP = 1u << 1,      /* user in no group */
	IAM_ATTACHED = 1u << 2,      /* managed policies attached */
	IAM_ADMIN = 1u << 3,         /* an Allow * on * statement (policy / inline) */
	IAM_S3_FULL = 1u << 4,       /* an Allow s3:* statement */
	IAM_KMS_ALL = 1u << 5,       /* kms:Decrypt on Resource * */
	IAM_OLD_ADMIN = 1u << 6,     /* a non-default version allows * on * */
	IAM_EMPTY_GROUP = 1u << 7,   /* group without members */
	IAM_AWS_SERVICE = 1u << 8,   /* service role (trust policy for a service) */

	/* KMS keys */
	K_NO_ROTATION = 1u << 0,
	K_PENDING_DELETION = 1u << 1,
	K_AWS_MANAGED = 1u << 2,
	K_DISABLED = 1u << 3,

	/* CloudTrail trails */
	TR_NO_VALIDATION = 1u << 0,
	TR_NO_KMS = 1u << 1,
	TR_NO_CWL = 1u << 2,
	TR_SINGLE_REGION = 1u << 3,
	TR_ORG = 1u << 4,

	/* GuardDuty */
	GD_DISABLED = 1u << 0,

	/* SNS */
	SNS_NO_KMS = 1u << 0,
	SNS_PUBLIC = 1u << 1,

	/* RDS */
	RDS_UNENCRYPTED = 1u << 0,
	RDS_PUBLIC = 1u << 1,
	RDS_NO_LOGS = 1u << 2,

	/* log groups */
	LG_NO_RETENTION = 1u << 0,
	LG_SHORT_RETENTION = 1u << 1,
	LG_KMS = 1u << 2,

	/* alarms */
	AL_NO_ACTIONS = 1u << 0,

	/* load balancers */
	ELB_NO_LOGS = 1u << 0,
	ELB_INTERNAL = 1u << 1,

	/* secrets */
	SEC_NO_ROTATION = 1u << 0,
};

/* One resource of one account and region. */
struct res {
	uint64_t seed;    /* identity: ids and names derive from it */
	ms_t created;     /* resourceCreationTime */
	ms_t capture;     /* configurationItemCaptureTime of the current version */
	const char *name; /* fixed name (planted resources), else NULL */
	uint32_t flags;   /* F_* and per-type bits */
	uint32_t version; /* content version; bumped on every change */
	uint32_t ordinal; /* index among the area's resources of this type */
	uint16_t type;    /* enum rtype */
	uint8_t status;   /* ST_* of the current version */
	uint8_t alive;    /* 0 once deleted or vanished */
};

enum { ST_OK, ST_DISCOVERED, ST_DELETED };

/* One account in one region: the unit of snapshot delivery. */
struct area {
	const char *account;      /* 12 digits */
	const char *account_name; /* "production", ... used in names */
	const char *region;
	int home;           /* holds the account's global (IAM) resources */
	uint64_t seed;      /* per-area seed */
	struct res *res;    /* all resources ever created here */
	size_t nres, cap;
	/* per-type lists of indexes into res, for cross references */
	uint32_t *bytype[T_NTYPES];
	size_t nbytype[T_NTYPES], capbytype[T_NTYPES];
	/* per type, how many existed when the area was first populated:
	 * references pick among those only, so that an item names the same
	 * related resources every day (a changed reference without a new
	 * capture time would be two contents for one item version) */
	size_t nstable[T_NTYPES];
	int hostile_names; /* allow hostile strings (not in --big-snapshot) */
};

/* Append a new resource to the area; returns its index. */
size_t area_add(struct area *a, enum rtype type, uint64_t seed, uint32_t flags, ms_t created,
		ms_t capture, int status);
void area_free(struct area *a);

/* Random flags for a new resource of the type (realistic minority of
 * non-compliant settings). */
uint32_t random_flags(enum rtype type, struct rng *r);

/* A resource's identity strings; buffers are reused between calls. */
struct ident {
	struct gbuf id, name, arn;
	char az[40];
	int name_null;  /* resourceName null */
	int arn_absent; /* no ARN key at all */
};

/* The identity of r (into o's buffers). */
void res_ident(const struct area *a, const struct res *r, struct ident *o);

/* The resource of type t picked by h among the area's resources, or NULL. */
const struct res *area_pick(const struct area *a, enum rtype t, uint64_t h);

/* The id of a VPC (a default one when vpc is NULL), and of its k-th
 * subnet (three per VPC). */
void vpc_id_of(char out[32], const struct area *a, const struct res *vpc);
void subnet_id_of(char out[32], const struct res *vpc, unsigned k);

/* Short environment word of the area's account ("prod", "dev", ...). */
const char *area_env(const struct area *a);

/* Append one configuration item (compact JSON object, S3 delivery shape)
 * for resource r of area a, in its current version, with the given
 * status (ST_DELETED writes a deletion item: configuration null). */
void emit_item(struct gbuf *out, const struct area *a, const struct res *r, int status);

/* --landing-zone: the organization id (the archive prefix), and the fixed
 * items each snapshot of the area ends with (the Config recorder, the
 * security account's GuardDuty EventBridge rule, the management account's
 * elevated-role alarm), each preceded by a comma; returns how many. */
extern const char *gen_org_id;
int emit_lz_extras(struct gbuf *out, const struct area *a, ms_t start);

/* The resourceId of r (for logs and tests). */
void res_id(struct gbuf *out, const struct area *a, const struct res *r);

/* One-time set-up of static strings (the long hostile tag value).
 * horizon: the end of the simulated period; dates that must lie in the
 * future of every snapshot (KMS deletionDate) are placed after it. */
void gen_items_init(ms_t horizon);

#endif
