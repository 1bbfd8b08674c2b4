/*
 * gen-archive: writes a realistic AWS Config log-archive tree (what
 * `aws s3 sync s3://<log-archive-bucket>/ DIR` gives) for tests and
 * benchmarks: daily ConfigSnapshot files, ConfigHistory files for what
 * changed in between (modifications, deletions, creations), global IAM
 * resources in the home region's files, and the non-Config objects a real
 * bucket holds (CloudTrail logs and digests, ConfigWritabilityCheckFile).
 *
 * Output is a pure function of the options and --seed: each account and
 * region is simulated from its own seed, so --jobs only changes speed.
 * Items are recomputed from a compact resource model on every write
 * (gen-items.c), so memory stays small however large the output.
 *
 * --landing-zone builds the Control Tower style organization committed
 * as testdata/ (see testdata/README.md): five named accounts with
 * deliberate findings and scripted events.
 */
#include "gen-items.h"
#include "gen-evidence.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#define GEN_VERSION "1"

struct opts {
	const char *out;
	uint64_t seed;
	int accounts;
	int landing_zone;
	char **regions;
	int nregions;
	int days;
	ms_t start;
	int resources;
	double churn;
	unsigned long long big_snapshot;
	int unchanged;
	int gzip;
	int level;
	const char *prefix;
	int junk;
	int jobs;
	int quiet;
};

static struct opts O;

struct stats {
	unsigned long long files, items, raw_bytes, snapshots, histories, junk;
};

static struct stats S;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "gen-archive: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---------------------------------------------------------------- files */

static char *last_dir;

static void mkdirs(const char *dir)
{
	char *p, *tmp;

	if (last_dir && !strcmp(last_dir, dir))
		return;
	tmp = gen_xstrdup(dir);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			die("cannot create directory '%s'", tmp);
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		die("cannot create directory '%s'", tmp);
	free(last_dir);
	last_dir = tmp;
}

struct sink {
	gzFile gz;
	FILE *fp;
	char *path;
};

static void sink_open(struct sink *s, const char *path, int gzip)
{
	char *dir = gen_xstrdup(path), *slash = strrchr(dir, '/');
	char mode[8];

	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	free(dir);
	s->path = gen_xstrdup(path);
	s->gz = NULL;
	s->fp = NULL;
	if (gzip) {
		/* gzopen writes a header with mtime 0 and no name: the bytes
		 * depend only on the content (like gzip -n) */
		snprintf(mode, sizeof mode, "wb%d", O.level);
		s->gz = gzopen(path, mode);
		if (!s->gz)
			die("cannot write '%s'", path);
		gzbuffer(s->gz, 256 * 1024);
	} else {
		s->fp = fopen(path, "wb");
		if (!s->fp)
			die("cannot write '%s'", path);
	}
	S.files++;
}

static void sink_write(struct sink *s, const void *p, size_t n)
{
	S.raw_bytes += n;
	if (s->gz) {
		while (n) {
			unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
			if (gzwrite(s->gz, p, chunk) != (int)chunk)
				die("write error on '%s'", s->path);
			p = (const char *)p + chunk;
			n -= chunk;
		}
	} else if (n && fwrite(p, 1, n, s->fp) != n) {
		die("write error on '%s'", s->path);
	}
}

static void sink_close(struct sink *s)
{
	if (s->gz && gzclose(s->gz) != Z_OK)
		die("write error on '%s'", s->path);
	if (s->fp && fclose(s->fp))
		die("write error on '%s'", s->path);
	free(s->path);
	s->path = NULL;
}

static void write_whole(const char *path, const char *data, size_t n, int gzip)
{
	struct sink s;
	sink_open(&s, path, gzip);
	sink_write(&s, data, n);
	sink_close(&s);
}

static const char *ext(void)
{
	return O.gzip ? ".json.gz" : ".json";
}

/* OUT[/prefix]/AWSLogs/ */
static void base_path(struct gbuf *b)
{
	gbuf_reset(b);
	gbuf_puts(b, O.out);
	if (O.prefix && *O.prefix)
		gbuf_printf(b, "/%s", O.prefix);
	gbuf_puts(b, "/AWSLogs/");
}

/* ----------------------------------------------------------- accounts */

struct account {
	char id[13];
	const char *name;
};

static struct account *accounts;
static int naccounts;

static const char *const lz_names[] = {"management", "security", "log-archive", "production",
				       "development"};
static const char *const lz_ids[] = {"111111111111", "222222222222", "333333333333",
				     "444444444444", "555555555555"};
static const char *const plain_names[] = {"workload", "sandbox", "shared", "data", "web",
					  "platform", "analytics", "edge"};

static void make_accounts(void)
{
	if (O.landing_zone) {
		naccounts = 5;
		accounts = gen_xmalloc(sizeof *accounts * 5);
		for (int i = 0; i < 5; i++) {
			snprintf(accounts[i].id, sizeof accounts[i].id, "%s", lz_ids[i]);
			accounts[i].name = lz_names[i];
		}
		return;
	}
	naccounts = O.accounts;
	accounts = gen_xmalloc(sizeof *accounts * (size_t)naccounts);
	for (int i = 0; i < naccounts; i++) {
		/* distinct 12-digit ids; some start with 0 (kept as text) */
		uint64_t v = (hash2(O.seed, 9000 + (uint64_t)i) % 900000000ULL) * 1000ULL + (uint64_t)i;
		snprintf(accounts[i].id, sizeof accounts[i].id, "%012llu",
			 (unsigned long long)(v % 1000000000000ULL));
		accounts[i].name = plain_names[i % 8];
	}
}

/* gen_write_fn for the landing zone's evidence files (plain JSON, as
 * cfgaudit-collect writes them) */
static void write_plain(const char *path, const char *data, size_t n)
{
	write_whole(path, data, n, 0);
	S.junk++;
}

/* The evidence files of the landing zone, captured five hours into the
 * last day (after most deliveries, before the as-of time of testdata). */
static void write_lz_evidence(void)
{
	const char *ids[5];
	struct gbuf b = {0};

	for (int i = 0; i < 5; i++)
		ids[i] = accounts[i].id;
	base_path(&b);
	b.p[--b.len] = '\0'; /* no final slash */
	gen_lz_evidence(b.p, ids, (const char *const *)O.regions, O.nregions, gen_org_id,
			O.start + (ms_t)O.days * MS_PER_DAY - 19 * 3600000LL, write_plain);
	gbuf_free(&b);
}

/* ------------------------------------------------------ landing zone */

/* A resource the landing zone plants with fixed settings. region -1 =
 * every region, otherwise the index in --regions. */
struct plant {
	int acct, region;
	enum rtype type;
	const char *name;
	uint32_t flags;
};

static const struct plant plants[] = {
	/* management */
	{0, 0, T_TRAIL, "aws-controltower-BaselineCloudTrail", TR_ORG},
	{0, 0, T_IAM_USER, "break-glass-admin", IAM_ADMIN | IAM_NO_GROUP},
	{0, 0, T_IAM_POLICY, "LegacyFullAdmin", IAM_ADMIN},
	{0, 0, T_IAM_POLICY, "OrgReadOnlyAudit", 0},
	{0, 0, T_IAM_ROLE, "AWSControlTowerExecution", IAM_ADMIN},
	{0, 0, T_KMS, "billing-export-key", K_NO_ROTATION},
	{0, 0, T_BUCKET, "mgmt-billing-reports-111111111111",
	 B_SSL_DENY | B_BPA | B_VERSIONING | B_LOGGING | B_LIFECYCLE | B_KMS},
	/* security (audit) */
	{1, -1, T_SNS, "aws-controltower-SecurityNotifications", SNS_NO_KMS},
	{1, -1, T_SNS, "aws-controltower-AllConfigNotifications", 0},
	{1, 0, T_TRAIL, "aws-controltower-BaselineCloudTrail", 0},
	{1, 0, T_KMS, "audit-retired-key", 0},
	{1, 0, T_IAM_ROLE, "aws-controltower-AuditAdministratorRole", IAM_AWS_SERVICE},
	{1, 0, T_IAM_ROLE, "aws-controltower-AuditReadOnlyRole", IAM_AWS_SERVICE | IAM_INLINE},
	{1, 0, T_LOGGROUP, "aws-controltower/CloudTrailLogs", 0},
	/* log archive */
	{2, 0, T_TRAIL, "aws-controltower-BaselineCloudTrail", TR_NO_CWL},
	{2, 0, T_BUCKET, "aws-controltower-logs-333333333333-us-east-1",
	 B_SSL_DENY | B_BPA | B_VERSIONING | B_LOGGING | B_LIFECYCLE | B_KMS | B_CLOUDTRAIL},
	{2, 0, T_BUCKET, "aws-controltower-s3-access-logs-333333333333-us-east-1",
	 B_SSL_DENY | B_BPA | B_VERSIONING | B_LIFECYCLE},
	{2, -1, T_LOGGROUP, "/aws/lambda/aws-controltower-NotificationForwarder", LG_NO_RETENTION},
	/* production */
	{3, 0, T_TRAIL, "aws-controltower-BaselineCloudTrail", 0},
	{3, 0, T_SG, "prod-web-sg", 0},
	{3, 1, T_SG, "prod-legacy-bastion", SG_LEGACY | SG_WIDE_RANGE},
	{3, 0, T_INSTANCE, "prod-batch-worker-1", I_PUBLIC_IP},
	{3, 0, T_INSTANCE, "prod-api-1", I_IMDSV2},
	{3, 0, T_RDS, "prod-orders-db", RDS_NO_LOGS},
	{3, 0, T_VOLUME, "prod-data-volume", V_ATTACHED},
	{3, 0, T_ELBV2, "prod-public-alb", ELB_NO_LOGS},
	{3, 0, T_ALARM, "prod-orders-5xx-errors", AL_NO_ACTIONS},
	{3, 0, T_IAM_POLICY, "ProdDeployPipeline", 0},
	/* development */
	{4, 0, T_TRAIL, "aws-controltower-BaselineCloudTrail", TR_NO_KMS | TR_NO_VALIDATION},
	{4, 0, T_VOLUME, "dev-scratch-volume", V_UNENCRYPTED | V_ATTACHED},
	{4, 0, T_LOGGROUP, "/aws/lambda/dev-debug-handler", LG_SHORT_RETENTION},
	{4, 0, T_BUCKET, "dev-public-assets-555555555555",
	 B_PUBLIC_ACL | B_PUBLIC_POLICY | B_PUBLIC_WRITE | B_NO_SSE},
	{4, 0, T_BUCKET, "dev-tmp-exports-555555555555", B_VERSIONING | B_SSL_DENY},
	{4, 0, T_IAM_POLICY, "DevS3FullAccess", IAM_S3_FULL},
	{4, 0, T_SECRET, "dev/api/static-token", SEC_NO_ROTATION},
	{4, 0, T_ALARM, NULL, F_HOSTILE},
	{4, 1, T_SG, "dev-rdp-sg", SG_RDP_OPEN6 | F_HOSTILE},
	{4, 1, T_VOLUME, "dev-legacy-volume", V_UNENCRYPTED | V_ATTACHED},
	{4, 1, T_RDS, "dev-sandbox-db", RDS_PUBLIC | RDS_UNENCRYPTED},
};

enum ev_kind { EV_MODIFY, EV_DELETE, EV_CREATE, EV_VANISH, EV_RECREATE };

/* A scripted landing-zone event on a planted resource. */
struct script {
	int acct, region, day;
	enum ev_kind kind;
	const char *name;
	uint32_t set_flags;
};

static const struct script scripts[] = {
	{3, 0, 2, EV_MODIFY, "prod-web-sg", SG_SSH_OPEN},
	{3, 0, 3, EV_DELETE, "prod-batch-worker-1", 0},
	{4, 0, 2, EV_DELETE, "dev-tmp-exports-555555555555", 0},
	{4, 0, 5, EV_RECREATE, "dev-tmp-exports-555555555555", 0},
	{4, 1, 4, EV_VANISH, "dev-legacy-volume", 0},
	{1, 0, 6, EV_MODIFY, "audit-retired-key", K_PENDING_DELETION},
};

/* ----------------------------------------------------------- simulate */

struct event {
	ms_t t;
	size_t res;     /* index in area->res */
	int kind;       /* enum ev_kind */
	uint32_t flags; /* EV_MODIFY: flags to set (scripted) */
	int scripted;
	/* filled when applied */
	size_t off, len; /* item text in the day's history arena */
	uint16_t type;
};

static int cmp_event_time(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->res < b->res ? -1 : a->res > b->res;
}

#define WINDOW_MS (6 * 3600 * (ms_t)1000)

static int cmp_event_file(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	ms_t wa = a->t / WINDOW_MS, wb = b->t / WINDOW_MS;
	if (wa != wb)
		return wa < wb ? -1 : 1;
	if (a->type != b->type)
		return strcmp(rtypes[a->type].name, rtypes[b->type].name);
	return cmp_event_time(x, y);
}

/* Types a random inventory draws from in this area. */
static enum rtype draw_type(struct rng *r, int home)
{
	unsigned total = 0, x;
	for (int t = 0; t < T_NTYPES; t++)
		if (rtypes[t].weight && t != T_VPC && t != T_IAM_GROUP && (home || !rtypes[t].global))
			total += rtypes[t].weight;
	x = rng_below(r, total);
	for (int t = 0; t < T_NTYPES; t++) {
		if (!rtypes[t].weight || t == T_VPC || t == T_IAM_GROUP || (!home && rtypes[t].global))
			continue;
		if (x < rtypes[t].weight)
			return (enum rtype)t;
		x -= rtypes[t].weight;
	}
	return T_SG;
}

static size_t add_random(struct area *a, struct rng *r, enum rtype t, uint32_t extra_flags)
{
	ms_t start = O.start;
	/* One rng call per statement: the order in which the operands of an
	 * expression are evaluated is unspecified (gcc and clang differ), and
	 * the output must not depend on the compiler. */
	ms_t created_days = (ms_t)(1 + rng_below(r, 1000));
	ms_t created_ms = (ms_t)rng_below(r, 86400000);
	ms_t created = start - created_days * MS_PER_DAY - created_ms;
	ms_t capture_days = (ms_t)rng_below(r, 60);
	ms_t capture_ms = (ms_t)rng_below(r, 86400000);
	ms_t capture = start - capture_days * MS_PER_DAY - capture_ms;
	int status = ST_OK;
	uint64_t seed = rng_next(r);

	if (capture <= created || rng_chance(r, 250)) {
		capture = created + 60000 + (ms_t)rng_below(r, 600000);
		status = ST_DISCOVERED;
	}
	return area_add(a, t, seed, random_flags(t, r) | extra_flags, created, capture, status);
}

static size_t find_planted(const struct area *a, const char *name)
{
	for (size_t i = 0; i < a->nres; i++)
		if (a->res[i].name && !strcmp(a->res[i].name, name))
			return i;
	return (size_t)-1;
}

/* The initial inventory of one area. */
static void populate(struct area *a, int ai, int ri, int n)
{
	struct rng r;
	int nvpc, ngroup = 0, have = 0;

	rng_seed(&r, hash2(a->seed, 1));
	if (O.landing_zone) {
		for (size_t i = 0; i < sizeof plants / sizeof plants[0]; i++) {
			const struct plant *p = &plants[i];
			if (p->acct != ai || (p->region != -1 && p->region != ri))
				continue;
			if (p->region == 1 && O.nregions < 2)
				continue;
			size_t k = add_random(a, &r, p->type, 0);
			a->res[k].flags = p->flags | F_PLANTED;
			a->res[k].name = p->name;
			have++;
		}
	}
	/* singletons: a detector and an account-level public access block
	 * in every region, a trail in the home region */
	{
		int dev_second = O.landing_zone && ai == 4 && ri == 1;
		size_t k = add_random(a, &r, T_GUARDDUTY, 0);
		if (O.landing_zone)
			a->res[k].flags = (dev_second ? GD_DISABLED : 0) | F_PLANTED;
		if (!dev_second) {
			k = add_random(a, &r, T_ACCOUNT_PAB, 0);
			if (O.landing_zone)
				a->res[k].flags = (ai == 4 ? PAB_PARTIAL : 0) | F_PLANTED;
		}
		if (a->home && !O.landing_zone)
			add_random(a, &r, T_TRAIL, 0);
		have += 2;
	}
	nvpc = n / 60 + 1;
	for (int i = 0; i < nvpc; i++)
		add_random(a, &r, T_VPC, 0);
	for (int i = 0; i < nvpc; i++) {
		size_t k = add_random(a, &r, T_SG, SG_DEFAULT);
		a->res[k].flags &= SG_DEFAULT | SG_CLOSED | F_PLANTED;
		if (rng_chance(&r, 500))
			a->res[k].flags |= SG_CLOSED;
	}
	have += 2 * nvpc;
	if (a->home) {
		ngroup = n / 100 + 3;
		if (ngroup > 10)
			ngroup = 10;
		for (int i = 0; i < ngroup; i++) {
			size_t k = add_random(a, &r, T_IAM_GROUP, 0);
			/* one group is always empty; Administrators never is */
			if (i == ngroup - 1)
				a->res[k].flags |= IAM_EMPTY_GROUP;
			if (i == 0)
				a->res[k].flags &= ~IAM_EMPTY_GROUP;
		}
		have += ngroup;
		/* enough users that groups have members */
		for (int i = 0; i < 2 * ngroup; i++)
			add_random(a, &r, T_IAM_USER, 0);
		have += 2 * ngroup;
	}
	for (; have < n; have++)
		add_random(a, &r, draw_type(&r, a->home), 0);
	/* The service types, a few of each, from their own stream: the
	 * resources above stay what they were before these types existed. */
	rng_seed(&r, hash2(a->seed, 2));
	for (int t = T_FIRST_SVC; t < T_NTYPES; t++)
		for (int i = 0; i < 1 + n / 150; i++)
			add_random(a, &r, (enum rtype)t, 0);
	for (int t = 0; t < T_NTYPES; t++)
		a->nstable[t] = a->nbytype[t];
}

/* Per-day state of the writer of one area. */
struct writer {
	struct gbuf path;  /* the file being written */
	struct gbuf chunk; /* output staged before a write (about 1 MiB) */
	struct gbuf arena; /* the day's history items, addressed by events */
	struct event *ev;
	size_t nev, capev;
};

static void flush_chunk(struct writer *w, struct sink *s, int force)
{
	if (w->chunk.len >= (1u << 20) || (force && w->chunk.len)) {
		sink_write(s, w->chunk.p, w->chunk.len);
		gbuf_reset(&w->chunk);
	}
}

static void date_dir(struct gbuf *p, const struct area *a, ms_t t, const char *kind)
{
	int y, m, d;
	civil(t, &y, &m, &d);
	base_path(p);
	/* Config date folders are not zero-padded */
	gbuf_printf(p, "%s/Config/%s/%d/%d/%d/%s/", a->account, a->region, y, m, d, kind);
}

static void write_snapshot(struct writer *w, struct area *a, ms_t t, uint64_t id_seed)
{
	struct sink s;
	struct rng r;
	char uuid[37], ts[20];
	unsigned long long n = 0;

	rng_seed(&r, id_seed);
	fmt_uuid(uuid, &r);
	fmt_compact(ts, t);
	date_dir(&w->path, a, t, "ConfigSnapshot");
	gbuf_printf(&w->path, "%s_Config_%s_ConfigSnapshot_%s_%s%s", a->account, a->region, ts, uuid,
		    ext());
	sink_open(&s, w->path.p, O.gzip);
	gbuf_reset(&w->chunk);
	gbuf_printf(&w->chunk,
		    "{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"%s\",\"configurationItems\":[",
		    uuid);
	for (size_t i = 0; i < a->nres; i++) {
		struct res *res = &a->res[i];
		if (!res->alive)
			continue;
		if (n++)
			gbuf_putc(&w->chunk, ',');
		emit_item(&w->chunk, a, res, res->status);
		flush_chunk(w, &s, 0);
	}
	if (O.landing_zone && n)
		n += (unsigned long long)emit_lz_extras(&w->chunk, a, O.start);
	gbuf_puts(&w->chunk, "]}");
	flush_chunk(w, &s, 1);
	sink_close(&s);
	S.items += n;
	S.snapshots++;
}

/* Write the day's history events (sorted by file) as ConfigHistory files:
 * one per resource type per six-hour window. */
static void write_history(struct writer *w, struct area *a)
{
	size_t i = 0;

	if (!w->nev)
		return;
	qsort(w->ev, w->nev, sizeof *w->ev, cmp_event_file);
	while (i < w->nev) {
		size_t j = i;
		struct event *e = &w->ev[i];
		if (e->kind == EV_VANISH) {
			i++;
			continue;
		}
		while (j < w->nev && w->ev[j].type == e->type &&
		       w->ev[j].t / WINDOW_MS == e->t / WINDOW_MS)
			j++;
		/* [i, j) is one file; vanishings write nothing */
		ms_t t0 = e->t, t1 = e->t;
		for (size_t k = i; k < j; k++)
			if (w->ev[k].kind != EV_VANISH)
				t1 = w->ev[k].t;
		char ts0[20], ts1[20];
		fmt_compact(ts0, t0);
		fmt_compact(ts1, t1);
		date_dir(&w->path, a, t1, "ConfigHistory");
		gbuf_printf(&w->path, "%s_Config_%s_ConfigHistory_%s_%s_%s_1%s", a->account,
			    a->region, rtypes[e->type].name, ts0, ts1, ext());
		struct sink s;
		sink_open(&s, w->path.p, O.gzip);
		gbuf_reset(&w->chunk);
		gbuf_puts(&w->chunk, "{\"fileVersion\":\"1.0\",\"configurationItems\":[");
		int n = 0;
		for (size_t k = i; k < j; k++) {
			if (w->ev[k].kind == EV_VANISH)
				continue;
			if (n++)
				gbuf_putc(&w->chunk, ',');
			gbuf_add(&w->chunk, w->arena.p + w->ev[k].off, w->ev[k].len);
		}
		gbuf_puts(&w->chunk, "]}");
		flush_chunk(w, &s, 1);
		sink_close(&s);
		S.items += (unsigned long long)n;
		S.histories++;
		i = j;
	}
}

static void add_event(struct writer *w, ms_t t, size_t res, int kind, uint32_t flags, int scripted)
{
	if (w->nev == w->capev) {
		w->capev = w->capev ? w->capev * 2 : 64;
		w->ev = gen_xrealloc(w->ev, w->capev * sizeof *w->ev);
	}
	struct event *e = &w->ev[w->nev++];
	memset(e, 0, sizeof *e);
	e->t = t;
	e->res = res;
	e->kind = kind;
	e->flags = flags;
	e->scripted = scripted;
}

/* Types that are never deleted or created by random churn. */
static int fixed_type(int t)
{
	return t == T_VPC || t == T_IAM_GROUP || t == T_GUARDDUTY || t == T_ACCOUNT_PAB ||
	       t == T_TRAIL;
}

/* Apply one event to the model and record its history item. */
static void apply_event(struct writer *w, struct area *a, struct event *e, struct rng *r)
{
	struct res *res;
	int status;

	if (e->kind == EV_CREATE || e->kind == EV_RECREATE) {
		size_t k;
		if (e->kind == EV_RECREATE) {
			/* same identity (a bucket name reused), new life */
			struct res old = a->res[e->res];
			k = area_add(a, (enum rtype)old.type, old.seed, old.flags, e->t, e->t,
				     ST_DISCOVERED);
			a->res[k].name = old.name;
		} else {
			enum rtype t = draw_type(r, a->home);
			/* one rng call per statement (argument order) */
			uint32_t flags = random_flags(t, r);
			uint64_t seed = rng_next(r);

			k = area_add(a, t, seed, flags, e->t, e->t, ST_DISCOVERED);
		}
		e->res = k;
		res = &a->res[k];
		status = ST_DISCOVERED;
	} else {
		res = &a->res[e->res];
		if (!res->alive) {
			e->kind = EV_VANISH; /* already gone: drop the event */
			return;
		}
		if (e->t <= res->capture)
			e->t = res->capture + 1000;
		res->capture = e->t;
		if (e->kind == EV_MODIFY) {
			res->version++;
			res->status = ST_OK;
			status = ST_OK;
			if (e->scripted)
				res->flags |= e->flags;
			else if (!(res->flags & F_PLANTED) && rng_chance(r, 100))
				res->flags = random_flags((enum rtype)res->type, r) |
					     (res->flags & (SG_DEFAULT | F_HOSTILE));
		} else {
			res->alive = 0;
			status = ST_DELETED;
			if (e->kind == EV_VANISH)
				return;
		}
	}
	e->type = res->type;
	e->off = w->arena.len;
	emit_item(&w->arena, a, res, status);
	e->len = w->arena.len - e->off;
}

static ms_t snapshot_time(const struct area *a, int day)
{
	ms_t base = O.start + (ms_t)day * MS_PER_DAY;
	/* each area delivers at its own hour; seconds vary per day */
	return base + (ms_t)(1 + hash2(a->seed, 2) % 5) * 3600000 +
	       (ms_t)(hash2(a->seed, 3) % 3600) * 1000 + (ms_t)(hash2(a->seed, 100 + (uint64_t)day) % 120) * 1000 +
	       (ms_t)(hash2(a->seed, 200 + (uint64_t)day) % 1000);
}

static void simulate_area(struct writer *w, struct area *a, int ai, int ri)
{
	struct rng r;
	ms_t prev = 0;

	rng_seed(&r, hash2(a->seed, 2));
	for (int day = 0; day < O.days; day++) {
		ms_t snap = snapshot_time(a, day);
		if (day > 0 && !O.unchanged) {
			ms_t lo = prev + 60000, span = snap - 60000 - lo;
			size_t alive = 0;
			w->nev = 0;
			gbuf_reset(&w->arena);
			for (size_t i = 0; i < a->nres; i++)
				alive += a->res[i].alive;
			double want = O.churn * (double)alive;
			size_t n = (size_t)want;
			if (rng_below(&r, 1000000) < (uint32_t)((want - (double)n) * 1e6))
				n++;
			for (size_t i = 0; i < n && a->nres; i++) {
				ms_t t = lo + (ms_t)(rng_next(&r) % (uint64_t)span);
				size_t k = rng_below(&r, (uint32_t)a->nres);
				unsigned x = rng_below(&r, 1000);
				int kind = x < 860 ? EV_MODIFY
					   : x < 920 ? EV_DELETE
					   : x < 990 ? EV_CREATE
						     : EV_VANISH;
				if (kind != EV_MODIFY && kind != EV_CREATE &&
				    (fixed_type(a->res[k].type) || (a->res[k].flags & F_PLANTED)))
					kind = EV_MODIFY;
				if (kind != EV_CREATE && !a->res[k].alive)
					continue;
				add_event(w, t, k, kind, 0, 0);
			}
			for (size_t i = 0; O.landing_zone && i < sizeof scripts / sizeof scripts[0]; i++) {
				const struct script *sc = &scripts[i];
				if (sc->acct != ai || sc->region != ri || sc->day != day)
					continue;
				size_t k = find_planted(a, sc->name);
				if (k == (size_t)-1)
					continue;
				ms_t t = lo + 6 * 3600000 + 17 * 60000 + (ms_t)i * 1000;
				add_event(w, t, k, sc->kind, sc->set_flags, 1);
			}
			if (w->nev) /* qsort wants a valid pointer even for 0 */
				qsort(w->ev, w->nev, sizeof *w->ev, cmp_event_time);
			for (size_t i = 0; i < w->nev; i++)
				apply_event(w, a, &w->ev[i], &r);
			write_history(w, a);
		}
		write_snapshot(w, a, snap, hash2(a->seed, 5000 + (uint64_t)day));
		prev = snap;
	}
}

/* ------------------------------------------------------------- junk */

static const char *const ct_events[] = {"DescribeInstances", "GetObject", "AssumeRole",
					"ListBuckets", "PutEvaluations", "GetBucketAcl",
					"ConsoleLogin", "CreateLogStream"};

/* CloudTrail log files and digests of one account and region: what an
 * organization trail writes next to the Config files (zero-padded dates,
 * and an extra organization-id level under AWSLogs/ for org trails). */
static void write_cloudtrail(struct writer *w, const struct area *a)
{
	struct rng r;
	struct gbuf body = {0};

	rng_seed(&r, hash2(a->seed, 7000));
	for (int day = 0; day < O.days; day++) {
		ms_t t = O.start + (ms_t)day * MS_PER_DAY + 9 * 3600000 + (ms_t)rng_below(&r, 3600) * 1000;
		char ts[20], iso[32];
		int y, m, d;
		civil(t, &y, &m, &d);
		fmt_compact(ts, t);
		fmt_iso_s(iso, t);
		for (int kind = 0; kind < 2; kind++) {
			base_path(&w->path);
			if (O.prefix && !strncmp(O.prefix, "o-", 2))
				gbuf_printf(&w->path, "%s/", O.prefix);
			gbuf_printf(&w->path, "%s/%s/%s/%04d/%02d/%02d/", a->account,
				    kind ? "CloudTrail-Digest" : "CloudTrail", a->region, y, m, d);
			gbuf_reset(&body);
			if (!kind) {
				char rid[17];
				for (int i = 0; i < 16; i++)
					rid[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng_below(&r, 36)];
				rid[16] = '\0';
				/* CloudTrail names use minutes only: ...T0915Z */
				gbuf_printf(&w->path, "%s_CloudTrail_%s_%.13sZ_%s%s", a->account,
					    a->region, ts, rid, ext());
				gbuf_puts(&body, "{\"Records\":[");
				for (int i = 0; i < 3; i++) {
					char u[37];
					unsigned ip, ev;

					fmt_uuid(u, &r);
					/* arguments: evaluated in no set order */
					ip = rng_below(&r, 250);
					ev = rng_below(&r, (uint32_t)(sizeof(ct_events) / sizeof(ct_events[0])));
					gbuf_printf(&body,
						    "%s{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":"
						    "\"AssumedRole\",\"accountId\":\"%s\"},\"eventTime\":\"%s\","
						    "\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"%s\","
						    "\"awsRegion\":\"%s\",\"sourceIPAddress\":\"203.0.113.%u\","
						    "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":null,"
						    "\"responseElements\":null,\"eventID\":\"%s\",\"readOnly\":true,"
						    "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"%s\"}",
						    i ? "," : "", a->account, iso, ct_events[ev],
						    a->region, ip, u, a->account);
				}
				gbuf_puts(&body, "]}");
			} else {
				gbuf_printf(&w->path, "%s_CloudTrail-Digest_%s_%s_%s_%s%s", a->account,
					    a->region, "aws-controltower-BaselineCloudTrail", a->region,
					    ts, ext());
				gbuf_printf(&body,
					    "{\"awsAccountId\":\"%s\",\"digestStartTime\":\"%s\","
					    "\"digestEndTime\":\"%s\",\"digestS3Bucket\":\"aws-controltower-"
					    "logs\",\"digestPublicKeyFingerprint\":\"%016llx\","
					    "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"newestEventTime\":"
					    "\"%s\",\"oldestEventTime\":\"%s\",\"previousDigestS3Bucket\":null,"
					    "\"logFiles\":[]}",
					    a->account, iso, iso, (unsigned long long)rng_next(&r), iso, iso);
			}
			write_whole(w->path.p, body.p, body.len, O.gzip);
			S.junk++;
		}
	}
	gbuf_free(&body);
}

static void write_writability_check(struct writer *w, const struct area *a)
{
	struct sink s;
	base_path(&w->path);
	gbuf_printf(&w->path, "%s/Config/ConfigWritabilityCheckFile", a->account);
	sink_open(&s, w->path.p, 0);
	sink_close(&s);
	S.junk++;
}

/* ---------------------------------------------------------- big file */

/* One snapshot file of about O.big_snapshot uncompressed bytes: a small
 * reference inventory for cross references, then items generated on the
 * fly until the size is reached. */
static void big_snapshot(void)
{
	struct area a;
	struct writer w;
	struct sink s;
	struct rng r, ir;
	char uuid[37], ts[20];
	unsigned long long n = 0, i = 0;
	ms_t t = O.start + 3 * 3600000;

	memset(&a, 0, sizeof a);
	memset(&w, 0, sizeof w);
	a.account = accounts[0].id;
	a.account_name = accounts[0].name;
	a.region = O.regions[0];
	a.home = 1;
	a.seed = hash2(O.seed, 1);
	populate(&a, 0, 0, 2000);
	rng_seed(&r, hash2(a.seed, 9));
	rng_seed(&ir, hash2(a.seed, 10));
	fmt_uuid(uuid, &r);
	fmt_compact(ts, t);
	date_dir(&w.path, &a, t, "ConfigSnapshot");
	gbuf_printf(&w.path, "%s_Config_%s_ConfigSnapshot_%s_%s%s", a.account, a.region, ts, uuid,
		    ext());
	sink_open(&s, w.path.p, O.gzip);
	gbuf_printf(&w.chunk,
		    "{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"%s\",\"configurationItems\":[",
		    uuid);
	unsigned long long written = 0;
	while (written + w.chunk.len < O.big_snapshot) {
		struct res tmp;
		if (i < a.nres) {
			tmp = a.res[i];
		} else {
			enum rtype ty = draw_type(&ir, 1);
			memset(&tmp, 0, sizeof tmp);
			tmp.seed = rng_next(&ir);
			tmp.type = (uint16_t)ty;
			tmp.flags = random_flags(ty, &ir);
			tmp.created = t - (ms_t)(1 + rng_below(&ir, 900)) * MS_PER_DAY;
			tmp.capture = t - (ms_t)rng_below(&ir, 5000000) * 1000;
			if (tmp.capture <= tmp.created)
				tmp.capture = tmp.created + 1000;
			tmp.version = 1;
			tmp.ordinal = (uint32_t)i;
			tmp.alive = 1;
		}
		i++;
		if (n++)
			gbuf_putc(&w.chunk, ',');
		emit_item(&w.chunk, &a, &tmp, tmp.status);
		if (w.chunk.len >= (1u << 20)) {
			written += w.chunk.len;
			flush_chunk(&w, &s, 1);
		}
	}
	gbuf_puts(&w.chunk, "]}");
	flush_chunk(&w, &s, 1);
	sink_close(&s);
	S.items += n;
	S.snapshots++;
	area_free(&a);
	gbuf_free(&w.path);
	gbuf_free(&w.chunk);
}

/* -------------------------------------------------------------- main */

static void run_area(int ai, int ri)
{
	struct area a;
	struct writer w;

	memset(&a, 0, sizeof a);
	memset(&w, 0, sizeof w);
	a.account = accounts[ai].id;
	a.account_name = accounts[ai].name;
	a.region = O.regions[ri];
	a.home = ri == 0;
	a.hostile_names = 1;
	a.seed = hash2(O.seed, (uint64_t)ai * 1000 + (uint64_t)ri + 1);
	populate(&a, ai, ri, O.resources);
	simulate_area(&w, &a, ai, ri);
	if (O.junk) {
		if (a.home)
			write_writability_check(&w, &a);
		write_cloudtrail(&w, &a);
	}
	area_free(&a);
	gbuf_free(&w.path);
	gbuf_free(&w.chunk);
	gbuf_free(&w.arena);
	free(w.ev);
}

static void usage(FILE *f)
{
	fputs("usage: gen-archive --out DIR [options]\n"
	      "\n"
	      "Write a synthetic AWS Config log-archive tree (the layout of an S3 bucket\n"
	      "copied with `aws s3 sync`): daily ConfigSnapshot files, ConfigHistory files\n"
	      "for what changed in between, and the CloudTrail objects and\n"
	      "ConfigWritabilityCheckFile a real bucket also holds. Output depends only on\n"
	      "the options and the seed.\n"
	      "\n"
	      "  --out DIR            where to write (created; required)\n"
	      "  --seed N             random seed (default 1)\n"
	      "  --accounts N         number of accounts (default 1)\n"
	      "  --landing-zone       the five Control Tower accounts (management,\n"
	      "                       security, log-archive, production, development) with\n"
	      "                       deliberate findings and scripted changes; defaults\n"
	      "                       to --regions us-east-1,eu-west-1 --days 7\n"
	      "                       --resources 20 --churn 0.03 --prefix o-<from seed>\n"
	      "  --regions R1,R2,...  regions (default us-east-1); the first is the home\n"
	      "                       region whose files carry the global IAM resources\n"
	      "  --days N             number of daily snapshots (default 1)\n"
	      "  --start DATE         day of the first snapshot, YYYY-MM-DD (default 2026-11-01)\n"
	      "  --resources N        resources per account and region (default 200)\n"
	      "  --churn FRACTION     share of resources changed per day (default 0.02):\n"
	      "                       modifications, deletions, creations, vanishings\n"
	      "  --unchanged          no changes at all: every snapshot repeats the same\n"
	      "                       item versions (storage-growth benchmark)\n"
	      "  --big-snapshot BYTES write only one snapshot file of about BYTES\n"
	      "                       uncompressed (suffixes K, M, G) for memory benchmarks\n"
	      "  --prefix P           key prefix before AWSLogs/ (e.g. o-a1b2c3d4e5)\n"
	      "  --no-gzip            write plain .json instead of .json.gz\n"
	      "  --level N            gzip level 1-9 (default 6)\n"
	      "  --no-junk            no CloudTrail objects, no ConfigWritabilityCheckFile\n"
	      "  --jobs N             worker processes (output is the same for any N)\n"
	      "  --quiet              no summary on stderr\n"
	      "  --help, --version\n",
	      f);
}

static unsigned long long parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		die("invalid size '%s'", s);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		die("invalid size '%s'", s);
	return v;
}

static long parse_int(const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		die("invalid number '%s'", s);
	return v;
}

static void split_regions(const char *s)
{
	char *copy = gen_xstrdup(s), *save = NULL;
	O.nregions = 0;
	O.regions = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		for (const char *p = t; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				die("invalid region '%s'", t);
		for (int i = 0; i < O.nregions; i++)
			if (!strcmp(O.regions[i], t))
				die("region '%s' given twice", t);
		O.regions = gen_xrealloc(O.regions, sizeof *O.regions * (size_t)(O.nregions + 1));
		O.regions[O.nregions++] = t;
	}
	if (!O.nregions)
		die("no region in '%s'", s);
}

int main(int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_ACCOUNTS, OPT_LZ, OPT_REGIONS, OPT_DAYS, OPT_START, OPT_RES,
	       OPT_CHURN, OPT_BIG, OPT_UNCHANGED, OPT_NOGZIP, OPT_PREFIX, OPT_LEVEL, OPT_NOJUNK,
	       OPT_JOBS, OPT_QUIET, OPT_VERSION, OPT_OUT };
	static const struct option lo[] = {
		{"out", required_argument, NULL, OPT_OUT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"accounts", required_argument, NULL, OPT_ACCOUNTS},
		{"landing-zone", no_argument, NULL, OPT_LZ},
		{"regions", required_argument, NULL, OPT_REGIONS},
		{"days", required_argument, NULL, OPT_DAYS},
		{"start", required_argument, NULL, OPT_START},
		{"resources", required_argument, NULL, OPT_RES},
		{"churn", required_argument, NULL, OPT_CHURN},
		{"big-snapshot", required_argument, NULL, OPT_BIG},
		{"unchanged", no_argument, NULL, OPT_UNCHANGED},
		{"no-gzip", no_argument, NULL, OPT_NOGZIP},
		{"prefix", required_argument, NULL, OPT_PREFIX},
		{"level", required_argument, NULL, OPT_LEVEL},
		{"no-junk", no_argument, NULL, OPT_NOJUNK},
		{"jobs", required_argument, NULL, OPT_JOBS},
		{"quiet", no_argument, NULL, OPT_QUIET},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	const char *regions = NULL, *start = "2026-11-01";
	int days = -1, resources = -1, c;
	double churn = -1;
	char prefix_buf[16];

	O.seed = 1;
	O.accounts = 1;
	O.gzip = 1;
	O.level = 6;
	O.junk = 1;
	O.jobs = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case OPT_OUT: O.out = optarg; break;
		case OPT_SEED: O.seed = parse_size(optarg); break;
		case OPT_ACCOUNTS: O.accounts = (int)parse_int(optarg, 1, 100000); break;
		case OPT_LZ: O.landing_zone = 1; break;
		case OPT_REGIONS: regions = optarg; break;
		case OPT_DAYS: days = (int)parse_int(optarg, 1, 3650); break;
		case OPT_START: start = optarg; break;
		case OPT_RES: resources = (int)parse_int(optarg, 1, 100000000); break;
		case OPT_CHURN: {
			char *end;
			churn = strtod(optarg, &end);
			if (end == optarg || *end || !(churn >= 0 && churn <= 1))
				die("invalid churn '%s' (a fraction between 0 and 1)", optarg);
			break;
		}
		case OPT_BIG: O.big_snapshot = parse_size(optarg); break;
		case OPT_UNCHANGED: O.unchanged = 1; break;
		case OPT_NOGZIP: O.gzip = 0; break;
		case OPT_PREFIX: O.prefix = optarg; break;
		case OPT_LEVEL: O.level = (int)parse_int(optarg, 1, 9); break;
		case OPT_NOJUNK: O.junk = 0; break;
		case OPT_JOBS: O.jobs = (int)parse_int(optarg, 1, 256); break;
		case OPT_QUIET: O.quiet = 1; break;
		case OPT_VERSION: puts("gen-archive " GEN_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gen-archive: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!O.out) {
		fputs("gen-archive: --out is required\n", stderr);
		usage(stderr);
		return 2;
	}
	if (parse_date(start, &O.start))
		die("invalid date '%s' (expected YYYY-MM-DD)", start);
	if (O.prefix && (strstr(O.prefix, "..") || O.prefix[0] == '/'))
		die("invalid prefix '%s'", O.prefix);
	split_regions(regions ? regions : O.landing_zone ? "us-east-1,eu-west-1" : "us-east-1");
	O.days = days > 0 ? days : O.landing_zone ? 7 : 1;
	O.resources = resources > 0 ? resources : O.landing_zone ? 20 : 200;
	O.churn = churn >= 0 ? churn : O.landing_zone ? 0.03 : 0.02;
	if (O.landing_zone && !O.prefix) {
		/* an organization id: o- and ten lower-case letters or digits */
		uint64_t h = hash2(O.seed, 4242);
		strcpy(prefix_buf, "o-");
		for (int i = 0; i < 10; i++, h /= 36)
			prefix_buf[2 + i] = "abcdefghijklmnopqrstuvwxyz0123456789"[h % 36];
		prefix_buf[12] = '\0';
		O.prefix = prefix_buf;
	}
	if (O.landing_zone && O.prefix && !strncmp(O.prefix, "o-", 2))
		gen_org_id = O.prefix;
	gen_items_init(O.start + (ms_t)O.days * MS_PER_DAY);
	make_accounts();
	mkdirs(O.out);

	if (O.big_snapshot) {
		big_snapshot();
	} else if (O.jobs <= 1) {
		for (int ai = 0; ai < naccounts; ai++)
			for (int ri = 0; ri < O.nregions; ri++)
				run_area(ai, ri);
	} else {
		/* areas are independent: deal them round-robin to children,
		 * which report their counters through a pipe */
		int nareas = naccounts * O.nregions, fail = 0;
		int (*pipes)[2] = gen_xmalloc(sizeof *pipes * (size_t)O.jobs);
		pid_t *pids = gen_xmalloc(sizeof *pids * (size_t)O.jobs);
		fflush(NULL);
		for (int j = 0; j < O.jobs; j++) {
			if (pipe(pipes[j]))
				die("%s", "cannot create a pipe");
			pids[j] = fork();
			if (pids[j] < 0)
				die("%s", "cannot fork");
			if (pids[j] == 0) {
				close(pipes[j][0]);
				for (int k = j; k < nareas; k += O.jobs)
					run_area(k / O.nregions, k % O.nregions);
				if (write(pipes[j][1], &S, sizeof S) != (ssize_t)sizeof S)
					_exit(3);
				_exit(0);
			}
			close(pipes[j][1]);
		}
		for (int j = 0; j < O.jobs; j++) {
			struct stats cs;
			int st;
			if (read(pipes[j][0], &cs, sizeof cs) == (ssize_t)sizeof cs) {
				S.files += cs.files;
				S.items += cs.items;
				S.raw_bytes += cs.raw_bytes;
				S.snapshots += cs.snapshots;
				S.histories += cs.histories;
				S.junk += cs.junk;
			}
			close(pipes[j][0]);
			if (waitpid(pids[j], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				fail = 1;
		}
		free(pipes);
		free(pids);
		if (fail) {
			fputs("gen-archive: a worker failed\n", stderr);
			return 2;
		}
	}
	if (O.landing_zone && !O.big_snapshot)
		write_lz_evidence();
	if (!O.quiet)
		fprintf(stderr,
			"gen-archive: %llu files (%llu snapshots, %llu history, %llu other), "
			"%llu items, %llu bytes uncompressed\n",
			S.files, S.snapshots, S.histories, S.junk, S.items, S.raw_bytes);
	free(last_dir);
	free(accounts);
	free(O.regions[0]); /* the split copy of --regions */
	free(O.regions);
	return 0;
}
