/*
 * discover: the tree walk and the S3 key-layout / object-name parser
 * (see discover.h). Pure string work on paths; nothing here opens a file
 * except to list directories.
 */
#include "ingest/discover.h"
#include "ingest/evidence.h"
#include "util/pathcomp.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *discover_kind_name(enum discover_kind k)
{
	switch (k) {
	case DISCOVER_KIND_SNAPSHOT:
		return "ConfigSnapshot";
	case DISCOVER_KIND_HISTORY:
		return "ConfigHistory";
	case DISCOVER_KIND_OVERSIZED:
		return "OversizedChangeNotification";
	default:
		return NULL;
	}
}

static int all_digits(const char *p, size_t len, size_t min, size_t max)
{
	if (len < min || len > max)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* A region folder: lowercase letters, digits and '-' ("us-east-1",
 * "global", "us-gov-west-1"). */
static int region_token(const char *p, size_t len)
{
	if (len == 0 || len >= DISCOVER_REGION_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return 0;
	return 1;
}

static int small_number(const struct path_comp *c, size_t maxlen, int lo, int hi)
{
	int v = 0;

	if (!all_digits(c->p, c->len, 1, maxlen))
		return 0;
	for (size_t i = 0; i < c->len; i++)
		v = v * 10 + (c->p[i] - '0');
	return v >= lo && v <= hi;
}

static int has_json_suffix(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".json")) ||
	       (n > 8 && !strcmp(name + n - 8, ".json.gz"));
}

static enum discover_kind kind_folder(const struct path_comp *c)
{
	if (path_comp_is(c, "ConfigSnapshot"))
		return DISCOVER_KIND_SNAPSHOT;
	if (path_comp_is(c, "ConfigHistory"))
		return DISCOVER_KIND_HISTORY;
	if (path_comp_is(c, "OversizedChangeNotification"))
		return DISCOVER_KIND_OVERSIZED;
	return DISCOVER_KIND_NONE;
}

/* Match the layout starting at component i (which is "AWSLogs"). Returns
 * 1 for a Config object (out filled), 0 for anything else. */
static int match_layout(const struct path_comp *c, size_t n, size_t i, struct discover_info *out)
{
	enum discover_kind k;

	/* AWSLogs acct Config region y m d Kind [extra...] file */
	if (n - i < 9)
		return 0;
	if (!all_digits(c[i + 1].p, c[i + 1].len, 12, 12) || !path_comp_is(&c[i + 2], "Config") ||
	    !region_token(c[i + 3].p, c[i + 3].len) || !small_number(&c[i + 4], 4, 1970, 9999) ||
	    !small_number(&c[i + 5], 2, 1, 12) || !small_number(&c[i + 6], 2, 1, 31))
		return 0;
	k = kind_folder(&c[i + 7]);
	if (k == DISCOVER_KIND_NONE)
		return 0;
	/* Snapshot and history objects sit directly in the Kind folder; an
	 * oversized notification has <ResourceType>/<resourceId>/ (the id may
	 * itself contain '/'). */
	if (k != DISCOVER_KIND_OVERSIZED && n - i != 9)
		return 0;
	if (k == DISCOVER_KIND_OVERSIZED && n - i < 10)
		return 0;
	out->layout_kind = k;
	memcpy(out->account, c[i + 1].p, 12);
	out->account[12] = '\0';
	memcpy(out->region, c[i + 3].p, c[i + 3].len);
	out->region[c[i + 3].len] = '\0';
	return 1;
}

#define MAX_COMPONENTS 256

void discover_classify(const char *path, struct discover_info *out)
{
	struct path_comp c[MAX_COMPONENTS];
	size_t n = 0;
	const char *base;
	int in_awslogs = 0;

	memset(out, 0, sizeof(*out));
	out->cls = DISCOVER_IGNORED;
	if (strstr(path, "Evidence/")) {
		int ev = evidence_path_match(path, out->account, sizeof(out->account),
					     out->region, sizeof(out->region));

		int acct_ok = strlen(out->account) == 12 &&
			      strspn(out->account, "0123456789") == 12;

		if (ev == 1) {
			/* The account only when it is one (for a shard
			 * selection); evidence.c says what is wrong else. */
			if (!acct_ok)
				out->account[0] = '\0';
			out->region[0] = '\0';
			out->cls = DISCOVER_EVIDENCE;
			return;
		}
		if (ev == 2 && acct_ok) {
			/* AWS's verdicts: Config data, placed by the path. */
			out->cls = DISCOVER_CANDIDATE;
			return;
		}
		out->account[0] = out->region[0] = '\0';
	}
	n = path_split(path, c, MAX_COMPONENTS);
	if (n == 0)
		return;
	base = c[n - 1].p;
	for (size_t i = 0; i + 1 < n; i++) {
		if (!path_comp_is(&c[i], "AWSLogs"))
			continue;
		in_awslogs = 1;
		if (match_layout(c, n, i, out) && has_json_suffix(base)) {
			out->cls = DISCOVER_CONFIG;
			discover_parse_name(base, out);
			return;
		}
		out->layout_kind = DISCOVER_KIND_NONE;
		out->account[0] = out->region[0] = '\0';
	}
	if (in_awslogs)
		return; /* CloudTrail/, GuardDuty/, ConfigWritabilityCheckFile, ... */
	if (has_json_suffix(base)) {
		out->cls = DISCOVER_CANDIDATE;
		discover_parse_name(base, out);
	}
}

/* Split name (without its .json[.gz] suffix) at '_' into at most max
 * fields; returns the count. */
static size_t split_underscores(const char *s, size_t len, struct path_comp *f, size_t max)
{
	size_t n = 0;
	const char *p = s, *end = s + len;

	while (p <= end && n < max) {
		const char *u = memchr(p, '_', (size_t)(end - p));

		if (!u)
			u = end;
		f[n].p = p;
		f[n].len = (size_t)(u - p);
		n++;
		p = u + 1;
	}
	return p <= end ? max + 1 : n; /* max + 1: too many fields */
}

static int compact_time(const struct path_comp *c, int64_t *ms)
{
	char buf[20];

	if (c->len != 16)
		return -1;
	memcpy(buf, c->p, 16);
	buf[16] = '\0';
	return time_parse_compact(buf, ms);
}

int discover_parse_name(const char *name, struct discover_info *out)
{
	struct path_comp f[64];
	size_t len = strlen(name), n;
	enum discover_kind k;
	int64_t ms;
	const struct path_comp *ts = NULL, *id = NULL;

	if (len > 8 && !strcmp(name + len - 8, ".json.gz"))
		len -= 8;
	else if (len > 5 && !strcmp(name + len - 5, ".json"))
		len -= 5;
	else
		return -1;
	n = split_underscores(name, len, f, 64);
	/* The fixed head: <acct>_Config_<region>_<Kind>_... */
	if (n < 6 || n > 64 || !all_digits(f[0].p, f[0].len, 12, 12) ||
	    !path_comp_is(&f[1], "Config") || !region_token(f[2].p, f[2].len))
		return -1;
	if (path_comp_is(&f[3], "ConfigSnapshot")) {
		/* ..._<ts>_<id>; the id is a UUID (no '_') */
		if (n != 6)
			return -1;
		k = DISCOVER_KIND_SNAPSHOT;
		ts = &f[4];
		id = &f[5];
	} else if (path_comp_is(&f[3], "ConfigHistory")) {
		/* ..._<Type>_<start>_<end>_<seq>: fields counted from the end */
		if (n < 8 || !all_digits(f[n - 1].p, f[n - 1].len, 1, 10) ||
		    compact_time(&f[n - 3], &ms))
			return -1;
		k = DISCOVER_KIND_HISTORY;
		ts = &f[n - 2];
	} else if (path_comp_is(&f[3], "ChangeNotification")) {
		/* ..._<Type>_<resourceId>_<ts>_<stateId>; the id may hold '_' */
		if (n < 8 || !all_digits(f[n - 1].p, f[n - 1].len, 1, 20))
			return -1;
		k = DISCOVER_KIND_OVERSIZED;
		ts = &f[n - 2];
	} else {
		return -1;
	}
	if (compact_time(ts, &ms))
		return -1;
	if (id && (id->len == 0 || id->len >= DISCOVER_ID_LEN))
		return -1;
	out->name_kind = k;
	out->has_time = 1;
	out->delivered_ms = ms;
	if (!out->account[0]) {
		memcpy(out->account, f[0].p, 12);
		out->account[12] = '\0';
	}
	if (!out->region[0]) {
		memcpy(out->region, f[2].p, f[2].len);
		out->region[f[2].len] = '\0';
	}
	if (id) {
		memcpy(out->snapshot_id, id->p, id->len);
		out->snapshot_id[id->len] = '\0';
	}
	return 0;
}

/* The directories being walked, root first: a directory reached again
 * through a symbolic link while it is on this stack is a loop. */
struct walk {
	discover_file_fn on_file;
	discover_error_fn on_error;
	void *arg;
	struct {
		dev_t dev;
		ino_t ino;
	} * stack;
	size_t depth, alloc;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, const char *path, const char *rel, const struct stat *sb)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int rc = 0;

	for (size_t i = 0; i < w->depth; i++)
		if (w->stack[i].dev == sb->st_dev && w->stack[i].ino == sb->st_ino)
			return 0; /* a symbolic link back into the walk */
	dir = opendir(path);
	if (!dir) {
		struct diag d;

		diag_set(&d, path, 0, "cannot read directory: %s", strerror(errno));
		if (w->on_error)
			w->on_error(w->arg, &d);
		return 0;
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	ALLOC_GROW(w->stack, w->depth + 1, w->alloc);
	w->stack[w->depth].dev = sb->st_dev;
	w->stack[w->depth].ino = sb->st_ino;
	w->depth++;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t plen = strlen(path), rlen = strlen(rel);
		char *cpath = xmalloc(plen + strlen(names[i]) + 2);
		char *crel = xmalloc(rlen + strlen(names[i]) + 2);
		struct stat csb;

		sprintf(cpath, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]);
		sprintf(crel, "%s%s%s", rel, rlen ? "/" : "", names[i]);
		/* stat follows symbolic links: a link to a directory is walked
		 * (loops are caught above), a dangling one is not a file. */
		if (stat(cpath, &csb) != 0)
			rc = w->on_file(w->arg, cpath, crel, 0);
		else if (S_ISDIR(csb.st_mode))
			rc = walk_dir(w, cpath, crel, &csb);
		else
			rc = w->on_file(w->arg, cpath, crel, S_ISREG(csb.st_mode));
		free(cpath);
		free(crel);
	}
	w->depth--;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int discover_walk(const char *root, discover_file_fn on_file, discover_error_fn on_error, void *arg)
{
	struct walk w = {on_file, on_error, arg, NULL, 0, 0};
	struct stat sb;
	int rc;

	if (stat(root, &sb) != 0) {
		struct diag d;

		diag_set(&d, root, 0, "cannot read: %s", strerror(errno));
		if (on_error)
			on_error(arg, &d);
		return 0;
	}
	if (!S_ISDIR(sb.st_mode))
		return on_file(arg, root, "", S_ISREG(sb.st_mode));
	rc = walk_dir(&w, root, "", &sb);
	free(w.stack);
	return rc;
}
