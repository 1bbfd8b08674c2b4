/*
 * evidence: reading and checking evidence files (see evidence.h); the
 * store side is store/evidence.c.
 */
#include "ingest/evidence.h"
#include "ingest/gzstream.h"
#include "store/evidence.h"
#include "store/evidence_calls.h"
#include "util/pathcomp.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/urldecode.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The AWS CLI's word for AWS Config is "configservice" ("aws config" does
 * not exist); earlier cfgaudit-collect versions wrote the folder "config",
 * still read, as an alias stored under the canonical name. */
#define CONFIG_SERVICE "configservice"
#define CONFIG_SERVICE_ALIAS "config"

/* ---- the path ---- */

#define MAX_COMPONENTS 64

/* The index of the AWSLogs component of an evidence layout, or -1. */
static long layout_start(const struct path_comp *c, size_t n)
{
	if (n < 7 || !path_comp_is(&c[n - 7], "AWSLogs") || !path_comp_is(&c[n - 5], "Evidence") ||
	    c[n - 1].p[0] == '.')
		return -1;
	return (long)(n - 7);
}

/* AWS Config answers kept in the evidence tree that hold AWS's own
 * verdicts: the reader loads them as Config data (cfgaudit-compare(1)). */
static const char *const config_answers[] = {
    "get-compliance-details-by-config-rule",
    "get-compliance-details-by-resource",
    "get-aggregate-compliance-details-by-config-rule",
    "get-conformance-pack-compliance-details",
};

int evidence_path_match(const char *path, char *account, size_t account_len, char *region,
			size_t region_len)
{
	struct path_comp c[MAX_COMPONENTS];
	size_t n = path_split(path, c, MAX_COMPONENTS);
	long i = layout_start(c, n);

	if (i < 0)
		return 0;
	if (c[i + 1].len < account_len && c[i + 3].len < region_len) {
		memcpy(account, c[i + 1].p, c[i + 1].len);
		account[c[i + 1].len] = '\0';
		memcpy(region, c[i + 3].p, c[i + 3].len);
		region[c[i + 3].len] = '\0';
	}
	if (!path_comp_is(&c[i + 4], CONFIG_SERVICE) &&
	    !path_comp_is(&c[i + 4], CONFIG_SERVICE_ALIAS))
		return 1;
	for (size_t k = 0; k < sizeof(config_answers) / sizeof(config_answers[0]); k++)
		if (path_comp_is(&c[i + 5], config_answers[k]))
			return 2;
	return 1;
}

/* A word of the layout: lowercase letters, digits and '-'. */
static int word(const struct path_comp *c, size_t max)
{
	if (c->len == 0 || c->len >= max)
		return 0;
	for (size_t i = 0; i < c->len; i++) {
		char ch = c->p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
	}
	return 1;
}

#define WORD_MAX 64

/* What the path says of an evidence file. */
struct epath {
	char account[WORD_MAX], region[WORD_MAX], service[WORD_MAX], operation[WORD_MAX];
	int account_ok, region_ok; /* usable for the files row */
	int has_time;
	int64_t captured_ms;
	char *qualifier; /* decoded, owned; "" when none */
};

static void copy_comp(char *out, const struct path_comp *c)
{
	size_t n = c->len < WORD_MAX - 1 ? c->len : WORD_MAX - 1;

	memcpy(out, c->p, n);
	out[n] = '\0';
}

/* The file name's part of parse_path: the capture time and the decoded
 * argument. */
static int parse_name(const char *path, const struct path_comp *name, struct epath *e,
		      struct diag *err)
{
	char stamp[17];
	size_t base;

	if (name->len > 8 && !memcmp(name->p + name->len - 8, ".json.gz", 8))
		base = name->len - 8;
	else if (name->len > 5 && !memcmp(name->p + name->len - 5, ".json", 5))
		base = name->len - 5;
	else
		return diag_set(err, path, 0,
				"evidence file name '%.*s' is not <YYYYMMDDTHHMMSSZ>[_<argument>].json"
				" or .json.gz",
				(int)(name->len < 80 ? name->len : 80), name->p);
	if (base < 16 || (base > 16 && name->p[16] != '_') || (base == 17))
		goto bad_time;
	memcpy(stamp, name->p, 16);
	stamp[16] = '\0';
	if (time_parse_compact(stamp, &e->captured_ms))
		goto bad_time;
	e->has_time = 1;
	if (base > 17) {
		size_t qlen;

		e->qualifier = url_decode(name->p + 17, base - 17, 1, &qlen);
		if (!e->qualifier || strlen(e->qualifier) != qlen) {
			free(e->qualifier);
			e->qualifier = NULL;
			return diag_set(err, path, 0,
					"the argument in evidence file name '%.*s' is not"
					" percent-encoded text",
					(int)(name->len < 80 ? name->len : 80), name->p);
		}
	} else {
		e->qualifier = xstrdup("");
	}
	return 0;
bad_time:
	return diag_set(err, path, 0,
			"evidence file name '%.*s' has no capture time: it must begin with"
			" YYYYMMDDTHHMMSSZ (UTC), e.g. 20261201T060000Z.json",
			(int)(name->len < 80 ? name->len : 80), name->p);
}

/* Parse path into *e. Returns 0, or -1 with err's message saying what is
 * wrong (account, region, words, file name). */
static int parse_path(const char *path, struct epath *e, struct diag *err)
{
	struct path_comp c[MAX_COMPONENTS];
	size_t n = path_split(path, c, MAX_COMPONENTS);
	long i = layout_start(c, n);
	const struct path_comp *acct;

	memset(e, 0, sizeof(*e));
	if (i < 0)
		return diag_set(err, path, 0,
				"not an evidence path: AWSLogs/<account>/Evidence/<region>/"
				"<service>/<operation>/<YYYYMMDDTHHMMSSZ>.json");
	acct = &c[i + 1];
	copy_comp(e->account, acct);
	e->account_ok = acct->len == 12 && strspn(e->account, "0123456789") == 12;
	if (!e->account_ok)
		return diag_set(err, path, 0,
				"evidence account '%.*s' is not a 12-digit AWS account id",
				(int)(acct->len < 40 ? acct->len : 40), acct->p);
	if (!word(&c[i + 3], WORD_MAX))
		return diag_set(err, path, 0, "evidence region '%.*s' is not a Region name",
				(int)(c[i + 3].len < 40 ? c[i + 3].len : 40), c[i + 3].p);
	copy_comp(e->region, &c[i + 3]);
	e->region_ok = 1;
	if (!word(&c[i + 4], WORD_MAX) || !word(&c[i + 5], WORD_MAX))
		return diag_set(err, path, 0,
				"evidence service and operation must be the AWS CLI's words"
				" (lowercase, digits, '-'), not '%.*s/%.*s'",
				(int)(c[i + 4].len < 40 ? c[i + 4].len : 40), c[i + 4].p,
				(int)(c[i + 5].len < 60 ? c[i + 5].len : 60), c[i + 5].p);
	copy_comp(e->service, &c[i + 4]);
	if (!strcmp(e->service, CONFIG_SERVICE_ALIAS))
		strcpy(e->service, CONFIG_SERVICE);
	copy_comp(e->operation, &c[i + 5]);
	return parse_name(path, &c[i + 6], e, err);
}

/* ---- one file ---- */

/* Larger than any real answer of these calls (a credential report of
 * 5000 users is about 2 MB). */
#define EVIDENCE_MAX_BYTES (256u << 20)

/* Read all of f (decompressing gzip) into buf while digesting the raw
 * bytes. Returns 0, or -1 with err filled. */
static int read_all(FILE *f, const char *path, struct strbuf *buf, char hex[SHA256_HEX_LEN],
		    long long *raw, struct diag *err)
{
	struct gzstream *g = gzstream_open(f, 200.0);
	struct sha256_ctx *c = sha256_new();
	char chunk[1 << 16], msg[256];
	ssize_t n;

	if (!c)
		abort();
	gzstream_set_digest(g, c);
	while ((n = gzstream_read(g, chunk, sizeof(chunk), msg, sizeof(msg))) > 0) {
		if (buf->len + (size_t)n > EVIDENCE_MAX_BYTES) {
			diag_set_offset(err, path, (long long)buf->len,
					"evidence file larger than %u MiB", EVIDENCE_MAX_BYTES >> 20);
			n = -2;
			break;
		}
		strbuf_add(buf, chunk, (size_t)n);
	}
	if (n == -1)
		diag_set_offset(err, path, gzstream_out_offset(g), "%s", msg);
	sha256_finish(c, hex);
	*raw = gzstream_raw_bytes(g);
	gzstream_close(g);
	return n < 0 ? -1 : 0;
}

/* Check the answer's shape; fill the error fields of rec. Returns 0 or -1
 * with err filled. */
static int check_answer(json_t *doc, const char *path, const struct epath *e,
			struct evidence_record *rec, struct diag *err)
{
	json_t *error = json_object_get(doc, "Error");

	if (!json_is_object(doc))
		return diag_set_offset(err, path, 0,
				       "not an AWS CLI answer: the JSON is not an object");
	if (error) {
		json_t *code = json_object_get(error, "Code");
		json_t *msg = json_object_get(error, "Message");

		if (!json_is_object(error) || !json_is_string(code) || !json_string_length(code))
			return diag_set_offset(err, path, 0,
					       "an error answer must be {\"Error\": {\"Code\":"
					       " \"...\", \"Message\": \"...\"}}");
		rec->error_code = json_string_value(code);
		rec->error_message = json_is_string(msg) ? json_string_value(msg) : NULL;
		return 0;
	}
	if (!strcmp(e->service, "iam") && !strcmp(e->operation, "get-credential-report")) {
		json_t *content = json_object_get(doc, "Content");
		struct diag cd;

		if (!json_is_string(content))
			return diag_set_offset(err, path, 0,
					       "credential report without Content (base64 CSV)");
		if (evidence_credential_report(json_string_value(content),
					       json_string_length(content), NULL, NULL, &cd))
			return diag_set_offset(err, path, 0, "%s", cd.msg);
	}
	return 0;
}

static void fill_file(struct evidence_file *ef, const char *rel, long long size, const char *hex,
		      const struct epath *e)
{
	ef->path = rel;
	ef->size = size;
	ef->sha256 = hex;
	store_file_key(rel, hex, ef->key);
	ef->account_id = e->account_ok ? e->account : NULL;
	ef->region = e->region_ok ? e->region : NULL;
	ef->has_time = e->has_time;
	ef->captured_ms = e->captured_ms;
}

/* Read open_path whole into buf and describe it in ef (rel, size, digest
 * into hex, the account, region and time of e). Returns 0; 1 when it
 * could not be read but was hashed (err says why: damaged rather than
 * misplaced, recorded by the digest of all its bytes); -1 when it could
 * not be hashed either (err says why). */
static int read_file(const char *open_path, const char *rel, const struct epath *e,
		     struct strbuf *buf, struct evidence_file *ef, char hex[SHA256_HEX_LEN],
		     struct diag *err)
{
	long long raw = 0;
	struct diag rd;
	FILE *f = fopen(open_path, "rb");

	if (!f) {
		diag_set(err, open_path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	diag_clear(&rd);
	if (read_all(f, open_path, buf, hex, &raw, &rd)) {
		fclose(f);
		if (!err->msg[0])
			*err = rd;
		snprintf(err->path, sizeof(err->path), "%s", open_path);
		if (sha256_file(open_path, hex, &raw, NULL))
			return -1;
		fill_file(ef, rel, raw, hex, e);
		return 1;
	}
	fclose(f);
	fill_file(ef, rel, raw, hex, e);
	return 0;
}

/* Check the answer in buf and store it as the content of ef. Returns 0
 * with *out set (EVIDENCE_FAILED with err filled, nothing stored), or -1
 * with d filled when the store failed. */
static int load_answer(struct store *s, const char *open_path, const struct epath *e,
		       const struct strbuf *buf, const struct evidence_file *ef,
		       enum evidence_outcome *out, struct diag *err, struct diag *warn,
		       int *has_warn, struct diag *d)
{
	struct evidence_record rec;
	json_error_t je;
	json_t *doc = json_loadb(buf->buf, buf->len, 0, &je);
	char *body;
	int rc;

	*out = EVIDENCE_FAILED;
	if (!doc) {
		diag_set_offset(err, open_path, (long long)je.position, "not JSON: %s", je.text);
		return 0;
	}
	memset(&rec, 0, sizeof(rec));
	rec.account_id = e->account;
	rec.region = e->region;
	rec.service = e->service;
	rec.operation = e->operation;
	rec.qualifier = e->qualifier;
	rec.captured_ms = e->captured_ms;
	rec.known = evidence_call_label(e->service, e->operation) != NULL;
	if (check_answer(doc, open_path, e, &rec, err)) {
		json_decref(doc);
		return 0;
	}
	body = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!body)
		abort();
	rec.body = body;
	rc = evidence_write(s, ef, &rec, d);
	json_decref(doc);
	free(body);
	if (rc)
		return -1;
	*out = EVIDENCE_LOADED;
	if (!rec.known) {
		diag_set(warn, open_path, 0,
			 "evidence of '%s %s', a call cfgaudit does not read: kept, unused"
			 " (cfgaudit coverage lists it)",
			 e->service, e->operation);
		*has_warn = 1;
	}
	return 0;
}

int evidence_ingest_file(struct store *s, const char *open_path, const char *rel,
			 enum evidence_outcome *out, struct diag *err, struct diag *warn,
			 int *has_warn, struct diag *d)
{
	struct evidence_file ef;
	struct strbuf buf;
	struct epath e;
	char hex[SHA256_HEX_LEN] = "";
	int rc = 0, r;

	*has_warn = 0;
	*out = EVIDENCE_FAILED;
	memset(&ef, 0, sizeof(ef));
	strbuf_init(&buf, 0);
	diag_clear(err);
	/* The layout is read from what is opened: rel may start below AWSLogs.
	 * Its verdict counts once the file is hashed. */
	parse_path(open_path, &e, err);
	r = read_file(open_path, rel, &e, &buf, &ef, hex, err);
	if (r < 0)
		goto done;
	if (r > 0)
		goto failed;
	r = evidence_file_loaded(s, ef.key, d);
	if (r != 0) {
		if (r > 0)
			*out = EVIDENCE_SKIPPED;
		rc = r < 0 ? -1 : 0;
		goto done;
	}
	if (err->msg[0]) {
		snprintf(err->path, sizeof(err->path), "%s", open_path);
		goto failed;
	}
	if (load_answer(s, open_path, &e, &buf, &ef, out, err, warn, has_warn, d)) {
		rc = -1;
		goto done;
	}
	if (*out == EVIDENCE_LOADED)
		goto done;
failed:
	*out = EVIDENCE_FAILED;
	if (evidence_write_failure(s, &ef, err, d))
		rc = -1;
done:
	free(e.qualifier);
	strbuf_release(&buf);
	return rc;
}
