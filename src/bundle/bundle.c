/*
 * bundle: writes and verifies evidence bundles (see bundle.h).
 *
 * Writing gathers every member first -- in memory, or for the items (the
 * largest member) in a temporary file -- with its SHA-256 computed as it is
 * produced, then writes SHA256SUMS and the members in byte order of their
 * names with libarchive. Everything that could vary between two runs of
 * the writer is fixed: member times are the run's finish time, owners are
 * root/root (0/0), modes 0644, there are no directory entries, the tar
 * format is ustar (no pax headers with times or process ids) and the gzip
 * header carries neither a time nor a name.
 *
 * Member names come from the data only for pack and rule files; those are
 * reduced to [A-Za-z0-9._-] and bounded, so no member can escape the top
 * directory. Verification trusts nothing in the archive: names, types and
 * sizes are checked before any digest is compared.
 */
#include "config.h"

#include "bundle/bundle.h"
#include "bundle/sign.h"
#include "report/compare.h"
#include "report/report.h"
#include "store/evidence.h"
#include "store/files.h"
#include "store/items.h"
#include "store/run.h"
#include "store/waivers.h"
#include "util/fsutil.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define NAME_MAX_DATA 64     /* bytes of a data-derived file name */
#define SUMS_MAX (64u << 20) /* largest SHA256SUMS verify accepts */
#define MEMBERS_MAX 10000    /* most members verify accepts (a bundle has a few hundred) */
#define CHUNK 65536
#define SIG_MEMBER "SHA256SUMS.sig"
#define PUB_MEMBER "signer.pub.pem"

/* One member of the bundle being written. */
struct member {
	char *name;		  /* path below the top directory (owned) */
	char *data;		  /* contents, or NULL when in spill (owned) */
	size_t len;		  /* size in bytes */
	FILE *spill;		  /* temporary file holding the contents, or NULL */
	char hex[SHA256_HEX_LEN]; /* SHA-256 of the contents */
};

struct members {
	struct member *v;
	size_t nr, alloc;
};

static void members_release(struct members *m)
{
	for (size_t i = 0; i < m->nr; i++) {
		free(m->v[i].name);
		free(m->v[i].data);
		if (m->v[i].spill)
			fclose(m->v[i].spill);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static int has_member(const struct members *m, const char *name)
{
	for (size_t i = 0; i < m->nr; i++)
		if (!strcmp(m->v[i].name, name))
			return 1;
	return 0;
}

/* Take ownership of data (malloc'd, len bytes). */
static void add_member(struct members *m, const char *name, char *data, size_t len)
{
	struct member *mb;

	ALLOC_GROW(m->v, m->nr + 1, m->alloc);
	mb = &m->v[m->nr++];
	memset(mb, 0, sizeof(*mb));
	mb->name = xstrdup(name);
	mb->data = data ? data : xstrdup("");
	mb->len = len;
	sha256_hex(mb->data, len, mb->hex);
}

static void add_strbuf(struct members *m, const char *name, struct strbuf *sb)
{
	size_t len;
	char *data = strbuf_detach(sb, &len);

	add_member(m, name, data, len);
}

/* Take ownership of f, a temporary file holding a member: its size and
 * digest are read back from it. Returns 0, or -1 (f not taken). */
static int add_spill(struct members *m, const char *name, FILE *f, struct diag *d)
{
	struct sha256_ctx *sha;
	struct member *mb;
	char buf[CHUNK];
	size_t n, total = 0;

	if (fflush(f) != 0 || ferror(f) || fseek(f, 0, SEEK_SET) != 0)
		return diag_set(d, NULL, 0, "cannot write a temporary file: %s", strerror(errno));
	sha = sha256_new();
	if (!sha)
		return diag_set(d, NULL, 0, "cannot compute digests");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sha256_update(sha, buf, n);
		total += n;
	}
	if (ferror(f)) {
		sha256_finish(sha, buf);
		return diag_set(d, NULL, 0, "cannot read a temporary file: %s", strerror(errno));
	}
	ALLOC_GROW(m->v, m->nr + 1, m->alloc);
	mb = &m->v[m->nr++];
	memset(mb, 0, sizeof(*mb));
	mb->name = xstrdup(name);
	mb->len = total;
	mb->spill = f;
	sha256_finish(sha, mb->hex);
	return 0;
}

/* A data-derived file name made safe: [A-Za-z0-9._-] only, no leading
 * dot, at most NAME_MAX_DATA bytes, unique within dir. */
static char *safe_name(const struct members *m, const char *dir, const char *raw, const char *ext)
{
	struct strbuf base = STRBUF_INIT, full = STRBUF_INIT;

	for (const char *p = raw; *p && base.len < NAME_MAX_DATA; p++) {
		char c = *p;
		int okc = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			  (c == '.' && base.len > 0);

		strbuf_addch(&base, okc ? c : '_');
	}
	if (base.len == 0)
		strbuf_addch(&base, '_');
	strbuf_addf(&full, "%s/%s%s", dir, base.buf, ext);
	for (int n = 2; has_member(m, full.buf); n++) {
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s-%d%s", dir, base.buf, n, ext);
	}
	strbuf_release(&base);
	return strbuf_detach(&full, NULL);
}

/* Data from the store as valid UTF-8 for jansson (invalid bytes -> U+FFFD). */
static json_t *jtext(const unsigned char *t, int len)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;
	size_t i = 0;

	if (!t)
		return json_null();
	while (i < (size_t)len) {
		size_t n = utf8_valid_prefix((const char *)t + i, (size_t)len - i);

		if (n == 0) {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(&sb, t + i, n);
			i += n;
		}
	}
	j = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	if (!j)
		abort();
	return j;
}

static json_t *jstr(const char *t)
{
	return jtext((const unsigned char *)t, t ? (int)strlen(t) : 0);
}

/* A stored JSON text as a value (kept as a string if it does not parse,
 * rather than lost). */
static json_t *jvalue(const char *t)
{
	json_t *j;

	if (!t)
		return json_null();
	j = json_loads(t, JSON_DECODE_ANY, NULL);
	return j ? j : jstr(t);
}

static void oset(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v))
		abort();
}

static void apush(json_t *a, json_t *v)
{
	if (json_array_append_new(a, v))
		abort();
}

/* Dump a JSON value into a member: pretty and in insertion order. */
static void add_json(struct members *m, const char *name, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct strbuf sb = STRBUF_INIT;

	if (!text)
		abort();
	strbuf_addstr(&sb, text);
	strbuf_addch(&sb, '\n');
	free(text);
	json_decref(j);
	add_strbuf(m, name, &sb);
}

struct run_info {
	int64_t id;
	int64_t finished_ms; /* member times */
};

static void rule_json(const struct run_rule_record *rr, void *ctx)
{
	json_t *r = json_object();

	oset(r, "PackName", jstr(rr->pack_name));
	oset(r, "ConfigRuleName", jstr(rr->config_rule_name));
	oset(r, "Identifier", jstr(rr->identifier));
	oset(r, "Owner", jstr(rr->owner));
	oset(r, "Evaluated", json_boolean(rr->evaluated));
	oset(r, "Reason", jstr(rr->reason));
	oset(r, "Parameters", jvalue(rr->parameters));
	oset(r, "Scope", jvalue(rr->scope));
	oset(r, "Sha256", jstr(rr->rule_sha256));
	apush(ctx, r);
}

static void scope_json(const char *account, const char *region, void *ctx)
{
	json_t *p = json_object();

	oset(p, "AccountId", jstr(account));
	oset(p, "AwsRegion", jstr(region));
	apush(ctx, p);
}

/* run.json: the run, its rules and its scope. Sets ri->finished_ms. */
static int run_json(struct store *s, struct run_info *ri, struct members *m, struct diag *d)
{
	json_t *run = json_object(), *rules = json_array(), *scope = json_array();
	struct run_record r;
	int rc = run_find(s, ri->id, &r, d);

	/* run owns both arrays from here on; they are filled below. */
	oset(run, "RunId", json_integer(ri->id));
	oset(run, "AsOf", jstr(r.as_of));
	oset(run, "StartedAt", jstr(r.started_at));
	oset(run, "FinishedAt", jstr(r.finished_at));
	oset(run, "ToolVersion", jstr(r.tool_version));
	oset(run, "Filters", jvalue(r.filters));
	oset(run, "Status", jstr(r.status));
	oset(run, "Rules", rules);
	oset(run, "Scope", scope);
	if (rc > 0)
		diag_set(d, NULL, 0, "run '%lld' does not exist", (long long)ri->id);
	else if (rc == 0 && (!r.status || strcmp(r.status, "complete") || !r.finished_at ||
			     time_parse_iso(r.finished_at, &ri->finished_ms)))
		rc = diag_set(d, NULL, 0, "run '%lld' is not complete", (long long)ri->id);
	run_record_release(&r);
	if (rc || run_rules_each(s, ri->id, rule_json, rules, d) ||
	    run_scope_each(s, ri->id, scope_json, scope, d)) {
		json_decref(run);
		return -1;
	}
	add_json(m, "run.json", run);
	return 0;
}

/* A pack or rule file of the run, under packs/ or rules/. */
static void run_file_member(const struct run_file_record *f, void *ctx)
{
	struct members *m = ctx;
	int pack = f->role && !strcmp(f->role, "pack");
	/* A shared statement (recorded as rule "shared/NAME") goes
	 * where rule files find it: rules/shared/NAME.sql. */
	int shared = !pack && f->name && !strncmp(f->name, "shared/", 7);
	char *path = safe_name(m, pack ? "packs" : shared ? "rules/shared" : "rules",
			       f->name ? f->name + (shared ? 7 : 0) : "", pack ? ".yaml" : ".sql");
	char *data = xmalloc(f->len + 1);

	if (f->len)
		memcpy(data, f->content, f->len);
	data[f->len] = '\0';
	add_member(m, path, data, f->len);
	free(path);
}

static int run_files(struct store *s, const struct run_info *ri, struct members *m, struct diag *d)
{
	return run_files_each(s, ri->id, run_file_member, m, d);
}

static void source_file_json(const struct file_record *fr, void *ctx)
{
	json_t *f = json_object();

	oset(f, "path", jstr(fr->path));
	oset(f, "size", json_integer(fr->size));
	oset(f, "sha256", jstr(fr->sha256));
	oset(f, "kind", jstr(fr->kind));
	oset(f, "account", jstr(fr->account_id));
	oset(f, "region", jstr(fr->region));
	oset(f, "delivered_at", jstr(fr->delivered_at));
	oset(f, "status", jstr(fr->status));
	apush(ctx, f);
}

static void waivers_member(const char *path, const char *sha256, const char *content,
			   size_t len, void *ctx)
{
	char *data = xmalloc(len + 1);

	(void)path;
	(void)sha256;
	if (len)
		memcpy(data, content, len);
	data[len] = '\0';
	add_member(ctx, "waivers.yaml", data, len);
}

/* The waivers file the run used (store/waivers.h), as waivers.yaml; its
 * digest is in SHA256SUMS and, with every entry's status, in the JSON
 * report. */
static int run_waivers(struct store *s, const struct run_info *ri, struct members *m,
		       struct diag *d)
{
	struct waivers_reader rd = { waivers_member, NULL, NULL, m };

	return waivers_read_run(s, ri->id, &rd, d) < 0 ? -1 : 0;
}

static int manifest(struct store *s, struct members *m, struct diag *d)
{
	json_t *files = json_array();

	if (files_each(s, source_file_json, files, d)) {
		json_decref(files);
		return -1;
	}
	add_json(m, "manifest/source-files.json", files);
	return 0;
}

/* The verdicts of the run that name an item, sorted by key for lookup. */
struct verdict {
	unsigned char key[STORE_KEY_LEN];
	char *pack, *rule, *ct;
};

struct verdicts {
	struct verdict *v;
	size_t n, alloc;
};

static void add_verdict(const struct run_result_record *r, void *ctx)
{
	struct verdicts *vs = ctx;
	struct verdict *v;

	if (!r->item_key)
		return;
	ALLOC_GROW(vs->v, vs->n + 1, vs->alloc);
	v = &vs->v[vs->n++];
	memcpy(v->key, r->item_key, STORE_KEY_LEN);
	v->pack = xstrdup(r->pack_name);
	v->rule = xstrdup(r->config_rule_name);
	v->ct = xstrdup(r->compliance_type);
}

static void verdicts_release(struct verdicts *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->v[i].pack);
		free(vs->v[i].rule);
		free(vs->v[i].ct);
	}
	free(vs->v);
}

static int cmp_verdict_key(const void *a, const void *b)
{
	return memcmp(a, ((const struct verdict *)b)->key, STORE_KEY_LEN);
}

/* The verdicts on the version key, as [{PackName, ConfigRuleName,
 * ComplianceType}] in the order they were read. */
static json_t *verdicts_json(const struct verdicts *vs, const unsigned char *key)
{
	json_t *a = json_array();
	const struct verdict *f = vs->n ? bsearch(key, vs->v, vs->n, sizeof(*vs->v),
						  cmp_verdict_key)
					: NULL;

	/* bsearch finds any match; walk back to the first. */
	while (f && f > vs->v && !memcmp(f[-1].key, key, STORE_KEY_LEN))
		f--;
	for (; f && f < vs->v + vs->n && !memcmp(f->key, key, STORE_KEY_LEN); f++) {
		json_t *o = json_object();

		oset(o, "PackName", jstr(f->pack));
		oset(o, "ConfigRuleName", jstr(f->rule));
		oset(o, "ComplianceType", jstr(f->ct));
		apush(a, o);
	}
	return a;
}

static void hex_key(const unsigned char *k, char *out)
{
	for (int i = 0; i < STORE_KEY_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", k[i]);
}

static json_t *canonical_item(const struct item_record *it)
{
	json_t *item = json_object();
	json_t *extra;

	oset(item, "configurationItemVersion", jstr(it->item_version));
	oset(item, "configurationItemCaptureTime", jstr(it->capture_time));
	if (it->has_state_id)
		oset(item, "configurationStateId", json_integer(it->state_id));
	oset(item, "awsAccountId", jstr(it->account_id));
	oset(item, "configurationItemStatus", jstr(it->status));
	oset(item, "resourceType", jstr(it->resource_type));
	oset(item, "resourceId", jstr(it->resource_id));
	oset(item, "resourceName", jstr(it->resource_name));
	oset(item, "ARN", jstr(it->arn));
	oset(item, "awsRegion", jstr(it->region));
	oset(item, "availabilityZone", jstr(it->availability_zone));
	oset(item, "resourceCreationTime", jstr(it->resource_creation_time));
	oset(item, "tags", jvalue(it->tags));
	oset(item, "relationships", jvalue(it->relationships));
	oset(item, "configuration", jvalue(it->configuration));
	oset(item, "supplementaryConfiguration", jvalue(it->supplementary));
	extra = jvalue(it->extra);
	if (json_is_object(extra)) {
		const char *k;
		json_t *v;

		json_object_foreach(extra, k, v) if (!json_object_get(item, k))
		    oset(item, k, json_incref(v));
	}
	json_decref(extra);
	return item;
}

/* items/items.jsonl as it is written: to a temporary file, digested on
 * the way. */
struct items_out {
	const struct verdicts *vs;
	FILE *spill;
	struct sha256_ctx *sha;
	long long total;
	int write_errno; /* the first failed write's errno, or 0 */
};

/* One line: {ItemKey, Verdicts, ConfigurationItem}. */
static void item_line(const struct item_record *it, void *ctx)
{
	struct items_out *io = ctx;
	json_t *line = json_object();
	char hex[2 * STORE_KEY_LEN + 1] = "";
	char *text;
	size_t len;

	if (io->write_errno)
		return;
	if (it->key)
		hex_key(it->key, hex);
	oset(line, "ItemKey", json_string(hex));
	oset(line, "Verdicts", it->key ? verdicts_json(io->vs, it->key) : json_array());
	oset(line, "ConfigurationItem", canonical_item(it));
	text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (!text)
		abort();
	len = strlen(text);
	text[len++] = '\n'; /* replaces the NUL; text is not used as a string again */
	sha256_update(io->sha, text, len);
	if (fwrite(text, 1, len, io->spill) != len)
		io->write_errno = errno ? errno : EIO;
	io->total += (long long)len;
	free(text);
}

/* The item versions the run's results name, with their verdicts. */
static int items(struct store *s, const struct run_info *ri, struct members *m, struct diag *d)
{
	struct verdicts vs = { NULL, 0, 0 };
	struct items_out io = { &vs, NULL, NULL, 0, 0 };
	int ret = -1;

	if (run_results_each(s, ri->id, RUN_RESULTS_BY_ITEM, add_verdict, &vs, d))
		goto out;
	io.spill = tmpfile();
	io.sha = sha256_new();
	if (!io.spill || !io.sha) {
		diag_set(d, NULL, 0, "cannot create a temporary file: %s", strerror(errno));
		goto out;
	}
	if (items_of_run_each(s, ri->id, item_line, &io, d))
		goto out;
	if (io.write_errno || fflush(io.spill) != 0 || ferror(io.spill)) {
		diag_set(d, NULL, 0, "cannot write a temporary file: %s",
			 strerror(io.write_errno ? io.write_errno : errno));
		goto out;
	}
	{
		struct member *mb;

		ALLOC_GROW(m->v, m->nr + 1, m->alloc);
		mb = &m->v[m->nr++];
		memset(mb, 0, sizeof(*mb));
		mb->name = xstrdup("items/items.jsonl");
		mb->len = (size_t)io.total;
		mb->spill = io.spill;
		sha256_finish(io.sha, mb->hex);
		io.spill = NULL;
		io.sha = NULL;
	}
	ret = 0;
out:
	if (io.sha) {
		char scratch[SHA256_HEX_LEN];

		sha256_finish(io.sha, scratch);
	}
	if (io.spill)
		fclose(io.spill);
	verdicts_release(&vs);
	return ret;
}

/* The evidence files the run could use (store/evidence.h), when there are. */
static int evidence(struct store *s, const struct run_info *ri, struct members *m, struct diag *d)
{
	json_t *ev;

	if (evidence_run_json(s, ri->id, &ev, d))
		return -1;
	if (json_array_size(ev))
		add_json(m, "evidence.json", ev);
	else
		json_decref(ev);
	return 0;
}

/* controls/index.json: the per-control index (report_controls.c), when
 * bundle --controls gave a mapping or a shipped one names the run's pack;
 * and that mapping file as controls/mapping.yaml. */
static int controls_index(struct store *s, const struct run_info *ri, struct members *m,
			  struct diag *d)
{
	struct strbuf mapping = STRBUF_INIT;
	FILE *f = tmpfile();
	int written = 0;

	if (!f)
		return diag_set(d, NULL, 0, "cannot create a temporary file: %s", strerror(errno));
	if (report_controls_index(s, ri->id, f, &mapping, &written, d) ||
	    (written && add_spill(m, "controls/index.json", f, d))) {
		strbuf_release(&mapping);
		fclose(f);
		return -1;
	}
	if (written)
		add_strbuf(m, "controls/mapping.yaml", &mapping);
	else
		fclose(f);
	strbuf_release(&mapping);
	return 0;
}

/* compare.json: AWS's own verdicts beside the run's (cfgaudit-compare(1)),
 * when the store holds any. */
static int aws_verdicts(struct store *s, const struct run_info *ri, struct members *m,
			struct diag *d)
{
	struct comparison *c;
	FILE *f;

	if (compare_attach(s, ri->id, &c, d))
		return -1;
	if (!c)
		return 0;
	f = tmpfile();
	if (!f) {
		compare_free(c);
		return diag_set(d, NULL, 0, "cannot create a temporary file: %s", strerror(errno));
	}
	if (compare_write_json(c, f, 1) || add_spill(m, "compare.json", f, d)) {
		compare_free(c);
		fclose(f);
		return d->msg[0] ? -1 : diag_set(d, NULL, 0, "cannot write compare.json");
	}
	compare_free(c);
	return 0;
}

static int reports(struct store *s, const struct run_info *ri, struct members *m, struct diag *d)
{
	static const struct {
		enum report_format f;
		const char *name;
	} formats[] = {
	    {REPORT_JSON, "reports/report.json"},
	    {REPORT_CSV, "reports/report.csv"},
	    {REPORT_HTML, "reports/report.html"},
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct report_options o;
		int nc;
		FILE *f = tmpfile();

		/* Reports of large runs are hundreds of megabytes: they go to
		 * temporary files, not memory. */
		if (!f)
			return diag_set(d, NULL, 0, "cannot create a temporary file: %s",
					strerror(errno));
		memset(&o, 0, sizeof(o));
		o.run_id = ri->id;
		o.format = formats[i].f;
		o.group_by = REPORT_BY_ACCOUNT;
		if (report_render(s, &o, f, &nc, d) || add_spill(m, formats[i].name, f, d)) {
			fclose(f);
			return -1;
		}
	}
	return controls_index(s, ri, m, d) || aws_verdicts(s, ri, m, d) ? -1 : 0;
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

static void sums(struct members *m)
{
	struct strbuf sb = STRBUF_INIT;

	qsort(m->v, m->nr, sizeof(*m->v), cmp_member);
	for (size_t i = 0; i < m->nr; i++)
		strbuf_addf(&sb, "%s  %s\n", m->v[i].hex, m->v[i].name);
	add_strbuf(m, "SHA256SUMS", &sb);
	qsort(m->v, m->nr, sizeof(*m->v), cmp_member);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static int archive_fail(struct archive *a, const char *path, struct diag *d)
{
	const char *e = archive_error_string(a);

	return diag_set(d, path, 0, "cannot write the archive: %s", e ? e : "unknown error");
}

/* Write one member below top, with the writer's fixed metadata. Returns
 * 0, or -1 with d filled. */
static int write_member(struct archive *a, const char *top, const struct member *mb,
			const struct run_info *ri, const char *path, struct diag *d)
{
	struct archive_entry *e = archive_entry_new();
	struct strbuf name = STRBUF_INIT;
	int bad = 0;

	if (!e)
		abort();
	strbuf_addf(&name, "%s/%s", top, mb->name);
	archive_entry_set_pathname(e, name.buf);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)mb->len);
	archive_entry_set_mtime(e, (time_t)(ri->finished_ms / 1000), 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	strbuf_release(&name);
	bad = archive_write_header(a, e) != ARCHIVE_OK;
	archive_entry_free(e);
	if (bad)
		return archive_fail(a, path, d);
	if (mb->spill) {
		char buf[CHUNK];
		size_t n, left = mb->len;

		rewind(mb->spill);
		while (left > 0 && (n = fread(buf, 1, left < CHUNK ? left : CHUNK, mb->spill)) > 0) {
			if (archive_write_data(a, buf, n) != (la_ssize_t)n)
				return archive_fail(a, path, d);
			left -= n;
		}
		if (left > 0)
			return diag_set(d, path, 0, "cannot read back the items");
	} else if (mb->len && archive_write_data(a, mb->data, mb->len) != (la_ssize_t)mb->len) {
		return archive_fail(a, path, d);
	}
	return 0;
}

static int write_archive(const struct members *m, const struct run_info *ri, const char *path,
			 int fd, struct diag *d)
{
	struct archive *a = archive_write_new();
	char top[64];
	int ret = -1;

	if (!a)
		return diag_set(d, path, 0, "cannot create the archive");
	snprintf(top, sizeof(top), "cfgaudit-run-%lld", (long long)ri->id);
	if (ends_with(path, ".zip")) {
		if (archive_write_set_format_zip(a) != ARCHIVE_OK) {
			archive_fail(a, path, d);
			goto out;
		}
	} else if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
		   archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		   archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK) {
		archive_fail(a, path, d);
		goto out;
	}
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		archive_fail(a, path, d);
		goto out;
	}
	for (size_t i = 0; i < m->nr; i++)
		if (write_member(a, top, &m->v[i], ri, path, d))
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		archive_fail(a, path, d);
		goto out;
	}
	ret = 0;
out:
	archive_write_free(a);
	return ret;
}

/* A signed bundle: the signer's public key is a member (listed in
 * SHA256SUMS, so the signature covers it), and SHA256SUMS.sig is the raw
 * Ed25519 signature of SHA256SUMS's exact bytes -- the one member that
 * SHA256SUMS cannot list. SHA256SUMS lists the digest of every other
 * member, so the signature covers every byte of every member. */
static int sign_sums(struct members *m, const struct sign_key *key, struct diag *d)
{
	unsigned char sig[SIGN_SIG_LEN];
	char *data;

	for (size_t i = 0; i < m->nr; i++) {
		if (strcmp(m->v[i].name, "SHA256SUMS"))
			continue;
		if (sign_data(key, m->v[i].data, m->v[i].len, sig, d))
			return -1;
		data = xmalloc(SIGN_SIG_LEN);
		memcpy(data, sig, SIGN_SIG_LEN);
		add_member(m, SIG_MEMBER, data, SIGN_SIG_LEN);
		qsort(m->v, m->nr, sizeof(*m->v), cmp_member);
		return 0;
	}
	return diag_set(d, NULL, 0, "no SHA256SUMS to sign");
}

int bundle_write(struct store *s, int64_t run_id, const char *path, const struct sign_key *key,
		 size_t *n_members, struct diag *d)
{
	struct members m = {0};
	struct run_info ri = {0};
	struct atomic_file af;
	int ret = -1;

	ri.id = run_id;
	if (ri.id <= 0) {
		ri.id = report_latest_run(s, d);
		if (ri.id < 0)
			return -1;
		if (ri.id == 0)
			return diag_set(d, s->path, 0,
					"no complete evaluation run in the database (run 'cfgaudit "
					"eval' first)");
	}
	/* Read everything in one transaction: a consistent picture even if
	 * an ingest or eval writes at the same time. */
	if (store_exec(s, "BEGIN", d))
		return -1;
	if (run_json(s, &ri, &m, d) || run_files(s, &ri, &m, d) || run_waivers(s, &ri, &m, d) ||
	    manifest(s, &m, d) || items(s, &ri, &m, d) || evidence(s, &ri, &m, d) ||
	    reports(s, &ri, &m, d)) {
		store_rollback(s);
		goto out;
	}
	store_rollback(s);
	if (key) {
		size_t len;
		char *pem = sign_public_pem(key, &len);

		add_member(&m, PUB_MEMBER, pem, len);
	}
	sums(&m);
	if (key && sign_sums(&m, key, d))
		goto out;
	if (atomic_open(&af, path, d))
		goto out;
	if (write_archive(&m, &ri, path, af.fd, d)) {
		atomic_abort(&af);
		goto out;
	}
	if (atomic_commit(&af, d))
		goto out;
	*n_members = m.nr;
	ret = 0;
out:
	members_release(&m);
	return ret;
}

/* ---- verify ---- */

struct seen {
	char *name;		  /* below the top directory (owned) */
	char hex[SHA256_HEX_LEN]; /* digest of its contents */
	int listed;		  /* named in SHA256SUMS */
};

/* Is the whole path safe, and below top (set from the first member)? */
static const char *check_path(const char *path, struct strbuf *top)
{
	const char *slash, *rest, *p;

	if (!path || !*path)
		return "has an empty name";
	if (path[0] == '/')
		return "has an absolute path";
	for (p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return "has a control character or backslash in its name";
	slash = strchr(path, '/');
	if (!slash)
		return "is not inside the bundle's top directory";
	if (top->len == 0) {
		if (strncmp(path, "cfgaudit-run-", 13) || slash == path + 13)
			return "is not inside a cfgaudit-run-ID directory";
		for (p = path + 13; p < slash; p++)
			if (*p < '0' || *p > '9')
				return "is not inside a cfgaudit-run-ID directory";
		strbuf_add(top, path, (size_t)(slash - path));
	}
	if ((size_t)(slash - path) != top->len || strncmp(path, top->buf, top->len))
		return "is outside the bundle's top directory";
	rest = slash + 1;
	/* Every component: not empty, not "." or "..". */
	for (p = rest;;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return "has an unsafe path";
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static struct seen *find_seen(struct seen *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* The gzip header is outside the gzip checksum: a bundle's has no file
 * name, no extra fields and no time (the writer's reproducibility rules).
 * The compression-hint and OS bytes differ between gzip writers and say
 * nothing about the content, so they are not checked. Not gzip (a zip):
 * nothing to do. */
static int check_gzip_header(const char *path, struct diag *d)
{
	unsigned char h[10];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return diag_set(d, path, 0, "cannot open the bundle: %s", strerror(errno));
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	if (n < 2 || h[0] != 0x1f || h[1] != 0x8b)
		return 0;
	if (n < sizeof(h) || h[2] != 8 || h[3] != 0 || h[4] || h[5] || h[6] || h[7])
		return diag_set(d, path, 0,
				"the gzip header is not the one a bundle has (name, time or flags)");
	return 0;
}

/* The signature sig of sums: with a trusted key it must verify against
 * it and the embedded key must be that key; without one it must at least
 * verify against the embedded key (which only shows it is intact). */
static int check_signed_by(const char *path, const char *top, const struct strbuf *sums,
			   const struct strbuf *sig, const struct sign_key *embedded,
			   const struct sign_key *trusted, const char *trusted_name,
			   struct bundle_check *res, struct diag *d)
{
	const unsigned char *bytes = (const unsigned char *)sig->buf;

	if (!trusted) {
		if (!sign_check(embedded, sums->buf, sums->len, bytes, sig->len))
			return diag_set(d, path, 0,
					"the signature '%s/" SIG_MEMBER "' of SHA256SUMS does not "
					"verify with the bundle's own key '%s/" PUB_MEMBER "'",
					top, top);
		res->signature = BUNDLE_SIGNED_UNTRUSTED;
		return 0;
	}
	if (!sign_check(trusted, sums->buf, sums->len, bytes, sig->len))
		return diag_set(d, path, 0,
				"the signature '%s/" SIG_MEMBER "' of SHA256SUMS does not verify "
				"with the key '%s'",
				top, trusted_name);
	if (!sign_same_public(trusted, embedded))
		return diag_set(d, path, 0,
				"member '%s/" PUB_MEMBER "' is not the key '%s' (SHA-256 %s)", top,
				trusted_name, res->fingerprint);
	res->signature = BUNDLE_SIGNED_TRUSTED;
	return 0;
}

/* The signature check, once every digest matched (sums is SHA256SUMS's
 * exact bytes): both signature members or neither, and then
 * check_signed_by. */
static int check_signature(const char *path, const char *top, const struct strbuf *sums,
			   const struct strbuf *sig, const struct strbuf *pub, int have_sig,
			   int have_pub, const struct sign_key *trusted, const char *trusted_name,
			   struct bundle_check *res, struct diag *d)
{
	struct sign_key *embedded;
	struct strbuf what = STRBUF_INIT;
	int ret;

	if (!have_sig && !have_pub) {
		if (trusted)
			return diag_set(d, path, 0,
					"the bundle is not signed (it has no " SIG_MEMBER
					"), so it cannot be checked against '%s'",
					trusted_name);
		return 0;
	}
	if (!have_sig)
		return diag_set(d, path, 0, "the bundle has %s/" PUB_MEMBER " but no " SIG_MEMBER,
				top);
	if (!have_pub)
		return diag_set(d, path, 0, "the bundle has %s/" SIG_MEMBER " but no " PUB_MEMBER,
				top);
	if (sig->len != SIGN_SIG_LEN)
		return diag_set(d, path, 0,
				"member '%s/" SIG_MEMBER "' is not a %d-byte Ed25519 signature",
				top, SIGN_SIG_LEN);
	strbuf_addf(&what, "%s: member '%s/" PUB_MEMBER "'", path, top);
	embedded = sign_parse_public(pub->buf, pub->len, what.buf, d);
	strbuf_release(&what);
	if (!embedded)
		return -1;
	sign_fingerprint(embedded, res->fingerprint);
	ret = check_signed_by(path, top, sums, sig, embedded, trusted, trusted_name, res, d);
	sign_key_free(embedded);
	return ret;
}

/* libarchive stops at the tar end-of-archive blocks and never reads the
 * rest of the gzip stream: the padding after them and gzip's own CRC and
 * length would go unchecked. So the whole file is inflated once more: it
 * must be exactly one gzip member whose checksum and length hold, with
 * nothing after it, and every byte after tar_end (where the tar reader
 * stopped) must be zero, as a bundle's padding is. Not gzip: nothing to do. */
static int check_gzip_stream(const char *path, long long tar_end, struct diag *d)
{
	unsigned char in[CHUNK], out[CHUNK];
	FILE *f = fopen(path, "rb");
	z_stream z;
	long long pos = 0;
	int zr = Z_OK, ret = -1;

	if (!f)
		return diag_set(d, path, 0, "cannot open the bundle: %s", strerror(errno));
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		fclose(f);
		return diag_set(d, path, 0, "cannot decompress the bundle");
	}
	while (zr != Z_STREAM_END) {
		if (z.avail_in == 0) {
			size_t n = fread(in, 1, sizeof(in), f);

			if (n == 0) {
				diag_set(d, path, 0, "the gzip stream is truncated");
				goto out;
			}
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		z.next_out = out;
		z.avail_out = sizeof(out);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			diag_set(d, path, 0, "the gzip stream is damaged (%s)",
				 z.msg ? z.msg : "bad data or checksum");
			goto out;
		}
		for (size_t i = 0; i < sizeof(out) - z.avail_out; i++, pos++)
			if (pos >= tar_end && out[i]) {
				diag_set(d, path, 0,
					 "the archive has data after its end (offset %lld)", pos);
				goto out;
			}
	}
	if (z.avail_in > 0 || fread(in, 1, 1, f) > 0) {
		diag_set(d, path, 0, "the bundle has bytes after its gzip stream");
		goto out;
	}
	ret = 0;
out:
	inflateEnd(&z);
	fclose(f);
	return ret;
}

/* What verify has read of a bundle so far. */
struct verify {
	const char *path;                  /* the bundle */
	struct strbuf top;                 /* the top directory */
	struct strbuf sumtext, sig, pub;   /* SHA256SUMS, its signature, the signer's key */
	int have_sums, have_sig, have_pub; /* those members were present */
	struct seen *v;                    /* every member, with its digest */
	size_t nv, va;
	time_t mtime;                      /* the members' one time */
};

static void verify_release(struct verify *vf)
{
	strbuf_release(&vf->top);
	strbuf_release(&vf->sumtext);
	strbuf_release(&vf->sig);
	strbuf_release(&vf->pub);
	for (size_t i = 0; i < vf->nv; i++)
		free(vf->v[i].name);
	free(vf->v);
}

/* Check a member's name, type and metadata before reading it. Returns
 * its name below the top directory, or NULL with d filled. */
static const char *check_entry(struct verify *vf, struct archive_entry *e, struct diag *d)
{
	const char *path = vf->path, *name = archive_entry_pathname(e);
	const char *why = check_path(name, &vf->top);

	if (why)
		return diag_set(d, path, 0, "member '%s' %s", name ? name : "", why), NULL;
	if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
	    archive_entry_symlink(e))
		return diag_set(d, path, 0, "member '%s' is not a regular file", name), NULL;
	/* The writer's fixed metadata: a member whose mode, owner or time
	 * differs was changed after bundling even if its bytes were not. */
	if ((archive_entry_perm(e) & 07777) != 0644 || archive_entry_uid(e) != 0 ||
	    archive_entry_gid(e) != 0 ||
	    (archive_entry_uname(e) && strcmp(archive_entry_uname(e), "root")) ||
	    (archive_entry_gname(e) && strcmp(archive_entry_gname(e), "root")))
		return diag_set(d, path, 0, "member '%s' has other mode or owner than a bundle writes",
				name), NULL;
	if (vf->nv == 0)
		vf->mtime = archive_entry_mtime(e);
	else if (archive_entry_mtime(e) != vf->mtime)
		return diag_set(d, path, 0, "member '%s' has another time than the other members",
				name), NULL;
	if (vf->nv >= MEMBERS_MAX)
		return diag_set(d, path, 0, "the bundle has more than %d members", MEMBERS_MAX), NULL;
	if (find_seen(vf->v, vf->nv, name + vf->top.len + 1))
		return diag_set(d, path, 0, "member '%s' appears twice", name), NULL;
	return name + vf->top.len + 1;
}

/* Read the current member, rel, recording its digest and keeping the
 * bytes of the members needed after the digests. Returns 0 or -1. */
static int read_member(struct verify *vf, struct archive *a, const char *name, const char *rel,
		       struct diag *d)
{
	int is_sums = !strcmp(rel, "SHA256SUMS"), is_sig = !strcmp(rel, SIG_MEMBER);
	int is_pub = !strcmp(rel, PUB_MEMBER);
	struct strbuf *keep = is_sums ? &vf->sumtext : is_sig ? &vf->sig : is_pub ? &vf->pub : NULL;
	size_t keep_max = is_sums ? SUMS_MAX : is_sig ? SIGN_SIG_LEN : SIGN_KEYFILE_MAX;
	struct sha256_ctx *sha = sha256_new();
	char buf[CHUNK];
	la_ssize_t n;

	if (!sha)
		return diag_set(d, vf->path, 0, "cannot compute digests");
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		sha256_update(sha, buf, (size_t)n);
		if (keep) {
			if (keep->len + (size_t)n > keep_max) {
				sha256_finish(sha, buf);
				return diag_set(d, vf->path, 0, "member '%s' is too large", name);
			}
			strbuf_add(keep, buf, (size_t)n);
		}
	}
	ALLOC_GROW(vf->v, vf->nv + 1, vf->va);
	vf->v[vf->nv].name = xstrdup(rel);
	vf->v[vf->nv].listed = 0;
	sha256_finish(sha, vf->v[vf->nv].hex);
	vf->nv++;
	if (n < 0)
		return diag_set(d, vf->path, 0, "cannot read member '%s': %s", name,
				archive_error_string(a));
	vf->have_sums |= is_sums;
	vf->have_sig |= is_sig;
	vf->have_pub |= is_pub;
	return 0;
}

/* Read every member of the open archive. Returns 0 or -1. */
static int read_members(struct verify *vf, struct archive *a, struct diag *d)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *rel = check_entry(vf, e, d);

		if (!rel || read_member(vf, a, archive_entry_pathname(e), rel, d))
			return -1;
	}
	if (r != ARCHIVE_EOF)
		return diag_set(d, vf->path, 0, "cannot read the bundle%s%s: %s",
				vf->nv ? " after member " : "", vf->nv ? vf->v[vf->nv - 1].name : "",
				archive_error_string(a));
	if (!vf->have_sums)
		return diag_set(d, vf->path, 0, "the bundle has no SHA256SUMS member");
	if (archive_filter_code(a, 0) == ARCHIVE_FILTER_GZIP &&
	    check_gzip_stream(vf->path, (long long)archive_filter_bytes(a, 0), d))
		return -1;
	return 0;
}

/* Check one line of SHA256SUMS ("HEX  NAME", cut at its end) against the
 * members read. Returns 0 or -1. */
static int check_sums_line(struct verify *vf, char *line, long lineno, struct diag *d)
{
	const char *path = vf->path, *top = vf->top.buf;
	struct seen *sn;
	char *name;

	if (strlen(line) < 67 || !is_hex64(line) || line[64] != ' ' ||
	    (line[65] != ' ' && line[65] != '*'))
		return diag_set(d, path, 0, "SHA256SUMS line %ld is malformed", lineno);
	name = line + 66;
	line[64] = '\0';
	if (!strcmp(name, "SHA256SUMS"))
		return diag_set(d, path, 0, "SHA256SUMS lists itself");
	if (!strcmp(name, SIG_MEMBER))
		return diag_set(d, path, 0, "SHA256SUMS lists its own signature");
	sn = find_seen(vf->v, vf->nv, name);
	if (!sn)
		return diag_set(d, path, 0, "member '%s/%s' listed in SHA256SUMS is missing", top,
				name);
	if (sn->listed)
		return diag_set(d, path, 0, "SHA256SUMS lists '%s' twice", name);
	sn->listed = 1;
	if (strcmp(sn->hex, line))
		return diag_set(d, path, 0, "member '%s/%s' does not match its SHA-256", top, name);
	return 0;
}

/* Parse SHA256SUMS (each name once, each digest right), then check that
 * it lists every member and that the required ones are there. The parse
 * cuts sumtext into lines. Returns 0 or -1. */
static int check_sums(struct verify *vf, struct diag *d)
{
	char *line = vf->sumtext.buf, *end;
	long lineno = 0;
	int has_index;

	for (; *line; line = end + 1) {
		lineno++;
		end = strchr(line, '\n');
		if (!end)
			return diag_set(d, vf->path, 0, "SHA256SUMS line %ld has no line end", lineno);
		*end = '\0';
		if (check_sums_line(vf, line, lineno, d))
			return -1;
	}
	for (size_t i = 0; i < vf->nv; i++)
		if (!vf->v[i].listed && strcmp(vf->v[i].name, "SHA256SUMS") &&
		    strcmp(vf->v[i].name, SIG_MEMBER))
			return diag_set(d, vf->path, 0, "member '%s/%s' is not listed in SHA256SUMS",
					vf->top.buf, vf->v[i].name);
	if (!find_seen(vf->v, vf->nv, "run.json"))
		return diag_set(d, vf->path, 0, "the bundle has no run.json");
	if (!find_seen(vf->v, vf->nv, "manifest/source-files.json"))
		return diag_set(d, vf->path, 0, "the bundle has no manifest/source-files.json");
	/* A mapping belongs to an index. An index alone is a bundle made
	 * before the mapping was bundled: it must still verify. */
	has_index = find_seen(vf->v, vf->nv, "controls/index.json") != NULL;
	if (!has_index && find_seen(vf->v, vf->nv, "controls/mapping.yaml"))
		return diag_set(d, vf->path, 0,
				"the bundle has controls/mapping.yaml without controls/index.json");
	return 0;
}

int bundle_verify(const char *path, const struct sign_key *trusted, const char *trusted_name,
		  struct bundle_check *res, struct diag *d)
{
	struct archive *a = archive_read_new();
	struct verify vf = { path, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			     0, 0, 0, NULL, 0, 0, 0 };
	struct strbuf sums = STRBUF_INIT;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (!a)
		return diag_set(d, path, 0, "cannot read the archive");
	if (check_gzip_header(path, d)) {
		archive_read_free(a);
		return -1;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, CHUNK) != ARCHIVE_OK) {
		diag_set(d, path, 0, "cannot open the bundle: %s", archive_error_string(a));
		goto out;
	}
	if (read_members(&vf, a, d))
		goto out;
	/* The signature is checked on a copy: check_sums cuts sumtext. */
	strbuf_add(&sums, vf.sumtext.buf, vf.sumtext.len);
	if (check_sums(&vf, d) ||
	    check_signature(path, vf.top.buf, &sums, &vf.sig, &vf.pub, vf.have_sig, vf.have_pub,
			    trusted, trusted_name, res, d))
		goto out;
	res->members = vf.nv;
	ret = 0;
out:
	archive_read_free(a);
	strbuf_release(&sums);
	verify_release(&vf);
	return ret;
}
