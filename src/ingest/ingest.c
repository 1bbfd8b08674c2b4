/*
 * ingest: the orchestration of one ingest run (see ingest.h).
 *
 * The paths are discovered first, into a list of tasks (one per file).
 * With more than one job, worker threads take tasks in list order; each
 * hashes its file, skips it if that exact file is loaded already, and
 * otherwise runs an item_reader over it and encodes its items into
 * batches that it hands to the writer through the task's own small
 * queue. The writer (the calling thread, which owns the connection)
 * loads the tasks strictly in list order, so the database ends up the
 * same whatever the number of jobs. A file whose batches all fit in its
 * queue (read to its end without error before the writer starts on it)
 * joins a group transaction with other small files; a bigger one is
 * streamed in a transaction of its own while its worker goes on reading
 * (a worker whose queue is full waits, which bounds memory to a few
 * batches per worker). Either way a file is loaded whole or not at all.
 * With one job the same steps run in the calling thread. A big file
 * read while the other workers have no file left to take (one big
 * snapshot) has its items encoded by a pool of threads (textpool.h),
 * handed over in the file's order all the same.
 *
 * A regular file is hashed before it is read (so that a file loaded
 * already costs a hash, not a parse) and hashed again, in the same pass,
 * as it is parsed: if the two differ, or its size or modification time
 * changed, the file changed while it was being read (a sync still
 * writing it) and it fails, so that the manifest never vouches for bytes
 * other than those that produced the items. A stream (standard input, a
 * FIFO, a character device) cannot be read twice: it is parsed as it
 * arrives, with the reader's limits, and hashed in that same pass; its
 * identity is known only at its end, so a big one is written under a
 * provisional key that is replaced then (or the whole file thrown away,
 * if that exact content is loaded already). Nothing is copied to disk.
 */
#include "ingest/ingest.h"
#include "store/files.h"
#include "store/shards.h"
#include "ingest/discover.h"
#include "ingest/evidence.h"
#include "ingest/reader.h"
#include "ingest/textpool.h"
#include "ingest/writer.h"
#include "util/keymap.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH_ITEMS 8192       /* items per batch ... */
#define BATCH_BYTES (1u << 20) /* ... or this many encoded bytes */
#define QUEUE_CAP 4	       /* batches waiting per task */
#define PROGRESS_EVERY_MS 200
/* Workers read at most this many tasks per job ahead of the writer: the
 * files read to their end wait in memory until the writer loads them. */
#define AHEAD_PER_JOB 4
/* A file of at least this many bytes that a worker reads while other
 * workers have no file left to take is encoded by a pool of threads
 * (textpool.h): a single big snapshot is otherwise one thread's work. */
#define POOL_MIN_BYTES (4ll << 20)

enum outcome {
	OUT_NONE,    /* not finished */
	OUT_LOADED,  /* read to the end without error */
	OUT_SKIPPED, /* the same file is loaded already */
	OUT_IGNORED, /* not Config data (found in a walk) */
	OUT_FAILED,  /* error; recorded in files if it could be hashed */
};

struct task {
	char *open_path;	   /* what to open (owned) */
	char *rel;		   /* files.path (owned) */
	int stream;		   /* standard input, a FIFO or a device: read once */
	int explicit_arg;	   /* named on the command line */
	size_t index;		   /* position in the list, for a stable sort */
	struct discover_info info; /* layout and file name facts */

	/* Set by the worker before `begun`. */
	struct writer_file wf; /* hashed identity and kind */
	char snapshot_id[DISCOVER_ID_LEN + 64];
	int hashed; /* wf.size, sha256 and key are valid */
	/* A stream's identity, set by its worker at its end (wf.key holds a
	 * provisional key until the writer adopts these, see w_adopt). */
	long long stream_size;
	char stream_sha256[65];
	unsigned char stream_key[STORE_KEY_LEN];
	int changed; /* failed because it changed while being read */
	struct diag warn; /* a warning about a file that loads, if has_warn */
	int has_warn;

	/* Shared with the writer, under run.lock. */
	int begun;		 /* the first item (or the kind) is known */
	int done;		 /* the worker has finished this task */
	enum outcome outcome;	 /* valid once done */
	struct diag err;	 /* why it failed */
	long long items, global; /* counts of the read items */
	long long other_items;    /* read items of accounts not selected */
	struct item_batch *q[QUEUE_CAP];
	size_t q_head, q_len;

	/* Writer-only state. */
	int writing;	      /* inside writer_begin .. finish/abort */
	int streaming;	      /* single thread: written before its end */
	int dup_in_run;	      /* loaded earlier in this same run */
	int provisional;      /* writing under the provisional key of a stream */
	long long new_before; /* writer new_items before this file */
};

struct run {
	struct store *s;
	const struct ingest_options *opt;
	struct ingest_stats *st;
	struct writer *w;
	struct task *tasks;
	size_t n_tasks, alloc_tasks;
	unsigned char *loaded; /* sorted file keys loaded before this run */
	size_t n_loaded;
	unsigned char *loaded_stat; /* sorted stat keys of those files */
	size_t n_loaded_stat;
	int threaded;
	int no_lookup; /* workers open no read connection (a bulk first load) */

	pthread_mutex_t lock;
	pthread_cond_t writer_cv; /* a task has news */
	pthread_cond_t worker_cv; /* a queue has room, or cancel */
	size_t next_task;	  /* the next task a worker takes */
	size_t writer_at;	  /* the task the writer is loading */
	int cancel;		  /* the writer failed: stop */
	struct item_batch **free_batches;
	size_t n_free, alloc_free;

	struct task *writing; /* the file the writer is loading (writer thread only) */
	char **evidence;      /* evidence files: open path, stored path, ... (owned) */
	size_t n_evidence, alloc_evidence;

	struct diag fatal; /* the writer's error, when cancel */
	struct timespec last_progress;
};

/* ---- discovery ---- */

static struct task *add_task(struct run *R, const char *open_path, const char *rel,
			     const struct discover_info *info, int explicit_arg)
{
	struct task *t;

	ALLOC_GROW(R->tasks, R->n_tasks + 1, R->alloc_tasks);
	t = &R->tasks[R->n_tasks];
	memset(t, 0, sizeof(*t));
	t->open_path = xstrdup(open_path);
	t->rel = xstrdup(rel);
	t->explicit_arg = explicit_arg;
	t->index = R->n_tasks;
	t->info = *info;
	diag_clear(&t->err);
	diag_clear(&t->warn);
	R->n_tasks++;
	return t;
}

static void report_failure(struct run *R, const struct diag *d)
{
	R->st->files_failed++;
	if (R->opt->on_failure)
		R->opt->on_failure(R->opt->arg, d);
}

/* A file that changed while it was read: a failure all the same, told
 * as a warning where the caller distinguishes them. */
static void report_changed(struct run *R, const struct diag *d)
{
	if (!R->opt->on_changed) {
		report_failure(R, d);
		return;
	}
	R->st->files_failed++;
	R->opt->on_changed(R->opt->arg, d);
}

/* Something the user should know about a file that loads all the same. */
static void report_warning(struct run *R, const struct diag *d)
{
	R->st->warnings++;
	if (R->opt->on_warning)
		R->opt->on_warning(R->opt->arg, d);
}

/* Conflicts told one by one per file; the rest are counted at its end. */
#define CONFLICTS_TOLD 10

/* The writer found a stored version with other content in the file being
 * loaded (writer thread). */
static void on_conflict(void *arg, const struct writer_conflict *c)
{
	struct run *R = arg;
	const char *path = R->writing ? R->writing->open_path : "-";
	char state[40] = "";
	struct diag d;

	R->st->conflicts++;
	if (c->n > CONFLICTS_TOLD)
		return;
	if (c->has_state_id)
		snprintf(state, sizeof(state), ", configurationStateId %lld",
			 (long long)c->state_id);
	diag_set(&d, path, 0,
		 "%s %s (%s/%s, captured %s%s) is stored already with other content, loaded from "
		 "%s; %s differs first: the text loaded first is kept for evaluation, this one is "
		 "kept for history",
		 c->type, c->id, c->account, c->region, c->capture, state,
		 c->first_path ? c->first_path : "earlier in this file", c->member);
	report_warning(R, &d);
}

/* Does the path name an account the selection leaves out? Such a file
 * is not read at all (counted apart). */
static int other_account(struct run *R, const struct discover_info *info)
{
	if (!R->opt->select || !info->account[0] || shard_loads(R->opt->select, info->account))
		return 0;
	R->st->files_other_accounts++;
	return 1;
}

/* An item of an account the selection leaves out (from a file whose
 * path names none: API answers, exports). */
static int other_account_item(struct run *R, struct task *t, json_t *item)
{
	const char *account = json_string_value(json_object_get(item, "awsAccountId"));

	if (!R->opt->select)
		return 0;
	if (!account)
		account = t->wf.account;
	return account && !shard_loads(R->opt->select, account);
}

/* Evidence files are few and small: they load after the Config files,
 * one by one, in the writer's thread (see load_evidence). */
static void add_evidence(struct run *R, const char *open_path, const char *rel)
{
	ALLOC_GROW(R->evidence, R->n_evidence + 2, R->alloc_evidence);
	R->evidence[R->n_evidence++] = xstrdup(open_path);
	R->evidence[R->n_evidence++] = xstrdup(rel);
}

static int on_walk_file(void *arg, const char *path, const char *rel, int regular)
{
	struct run *R = arg;
	struct discover_info info;

	discover_classify(path, &info);
	if (regular && info.cls == DISCOVER_EVIDENCE) {
		if (!other_account(R, &info))
			add_evidence(R, path, rel);
		return 0;
	}
	if (!regular || info.cls == DISCOVER_IGNORED) {
		R->st->ignored++;
		return 0;
	}
	if (other_account(R, &info))
		return 0;
	add_task(R, path, rel, &info, 0);
	return 0;
}

static void on_walk_error(void *arg, const struct diag *d)
{
	report_failure(arg, d);
}

/* Standard input, or a FIFO or device named on the command line, e.g.
 * <(aws s3 cp s3://... -): read once, as it arrives (see the top). Its
 * writes go under a provisional key until its digest is known. */
static void add_stream(struct run *R, const char *name)
{
	struct discover_info info;
	struct task *t;
	char nonce[64];

	memset(&info, 0, sizeof(info));
	info.cls = DISCOVER_CANDIDATE;
	discover_parse_name(strrchr(name, '/') ? strrchr(name, '/') + 1 : name, &info);
	t = add_task(R, name, name, &info, 1);
	t->stream = 1;
	snprintf(nonce, sizeof(nonce), "(stream %zu, not read yet)", t->index);
	store_file_key(name, nonce, t->wf.key);
}

static void discover_path(struct run *R, const char *path)
{
	struct stat sb;
	struct diag d;

	if (!strcmp(path, "-")) {
		add_stream(R, "-");
		return;
	}
	if (stat(path, &sb) != 0) {
		diag_set(&d, path, 0, "cannot read: %s", strerror(errno));
		report_failure(R, &d);
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		discover_walk(path, on_walk_file, on_walk_error, R);
	} else if (S_ISREG(sb.st_mode)) {
		struct discover_info info;

		/* Named on the command line: always read, whatever its name. */
		discover_classify(path, &info);
		if (info.cls == DISCOVER_EVIDENCE) {
			if (!other_account(R, &info))
				add_evidence(R, path, path);
			return;
		}
		if (info.cls != DISCOVER_CONFIG)
			info.cls = DISCOVER_CANDIDATE;
		if (other_account(R, &info))
			return;
		add_task(R, path, path, &info, 1);
	} else if (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)) {
		add_stream(R, path);
	} else {
		diag_set(&d, path, 0, "not a regular file or directory");
		report_failure(R, &d);
	}
}

/* Snapshots of a series in delivery order (then the rest by name), so
 * that runs of snapshot presence normally only grow at their end. */
static int cmp_task(const void *a, const void *b)
{
	const struct task *x = a, *y = b;
	int64_t tx = x->info.has_time ? x->info.delivered_ms : INT64_MIN;
	int64_t ty = y->info.has_time ? y->info.delivered_ms : INT64_MIN;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- workers ---- */

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static long long ms_since(const struct timespec *a)
{
	struct timespec b;

	now(&b);
	return (b.tv_sec - a->tv_sec) * 1000LL + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* Is key among the n sorted keys? */
static int has_key(const unsigned char *keys, size_t n, const unsigned char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(keys + mid * STORE_KEY_LEN, key, STORE_KEY_LEN);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int hash_file(FILE *f, struct writer_file *wf, const char *display, struct diag *d)
{
	static const size_t bufsize = 1 << 18;
	char *buf = xmalloc(bufsize);
	struct sha256_ctx *c = sha256_new();
	long long total = 0;
	size_t n;

	if (!c)
		abort();
	while ((n = fread(buf, 1, bufsize, f)) > 0) {
		sha256_update(c, buf, n);
		total += (long long)n;
	}
	sha256_finish(c, wf->sha256);
	free(buf);
	if (ferror(f))
		return diag_set(d, display, 0, "cannot read: %s", strerror(errno));
	wf->size = total;
	rewind(f);
	return 0;
}

/* The sink a worker hands its results to: the queue (threaded) or the
 * writer directly. */
static int sink_begin(struct run *R, struct task *t);
static int sink_batch(struct run *R, struct task *t, struct item_batch **b);
static void sink_done(struct run *R, struct task *t, enum outcome o);

static struct item_batch *get_batch(struct run *R)
{
	struct item_batch *b = NULL;

	if (R->threaded) {
		pthread_mutex_lock(&R->lock);
		if (R->n_free)
			b = R->free_batches[--R->n_free];
		pthread_mutex_unlock(&R->lock);
	} else if (R->n_free) {
		b = R->free_batches[--R->n_free];
	}
	if (!b) {
		b = xmalloc(sizeof(*b));
		item_batch_init(b);
	}
	item_batch_reset(b);
	return b;
}

static void put_batch(struct run *R, struct item_batch *b)
{
	/* Caller holds the lock when threaded. */
	ALLOC_GROW(R->free_batches, R->n_free + 1, R->alloc_free);
	R->free_batches[R->n_free++] = b;
}

static void release_batch(struct run *R, struct item_batch *b)
{
	if (!b)
		return;
	if (R->threaded)
		pthread_mutex_lock(&R->lock);
	put_batch(R, b);
	if (R->threaded)
		pthread_mutex_unlock(&R->lock);
}

/* The reader's verdict that a file is not Config data at all (as
 * opposed to damaged Config data), or an AWS Config API answer that holds
 * no items by its nature. An empty file found outside a key layout is not
 * Config data either. */
static int not_config_message(const struct diag *d)
{
	return !strncmp(d->msg, "not an AWS Config file", 22) ||
	       !strncmp(d->msg, NOTHING_TO_LOAD, strlen(NOTHING_TO_LOAD)) ||
	       !strcmp(d->msg, "empty file");
}

/* Fill the task's kind and provenance facts once the reader knows the shape. */
static void set_kind(struct task *t, struct item_reader *r)
{
	enum reader_kind rk = item_reader_kind(r);
	const struct discover_info *in = &t->info;
	const char *sid = item_reader_snapshot_id(r);
	struct writer_file *wf = &t->wf;

	if (in->layout_kind != DISCOVER_KIND_NONE)
		wf->kind = discover_kind_name(in->layout_kind);
	else
		wf->kind = reader_kind_name(rk);
	wf->account = in->account[0] ? in->account : NULL;
	wf->region = in->region[0] ? in->region : NULL;
	wf->has_time = in->has_time;
	wf->delivered_ms = in->delivered_ms;
	if (sid && *sid)
		snprintf(t->snapshot_id, sizeof(t->snapshot_id), "%s", sid);
	else if (in->snapshot_id[0])
		snprintf(t->snapshot_id, sizeof(t->snapshot_id), "%s", in->snapshot_id);
	wf->snapshot_id = t->snapshot_id[0] ? t->snapshot_id : NULL;
	/* A full snapshot of a series: by its layout folder, or by its
	 * content when there is no layout, provided the name says whose
	 * and when. */
	wf->snapshot = (in->layout_kind == DISCOVER_KIND_SNAPSHOT ||
			(in->layout_kind == DISCOVER_KIND_NONE && rk == READER_SNAPSHOT)) &&
		       wf->account && wf->region && wf->has_time;
	if (wf->snapshot)
		wf->kind = "ConfigSnapshot";
}

/* One file being read: what process_file's steps share. */
struct file_read {
	struct run *R;
	struct task *t;
	struct item_encoder *enc;
	FILE *f;
	struct stat sb0; /* the file as it was hashed (not a stream) */
	struct item_reader *r;
	struct sha256_ctx *digest; /* of the bytes the reader reads */
	struct item_batch *b;	   /* the batch being filled */
	struct textpool *pool;	   /* encodes the item texts, or NULL */
};

/* The reader's known-item callback: the encoder and the batch being filled. */
static int quick_known(void *ctx, const struct quickid *q)
{
	struct file_read *fr = ctx;

	return item_encode_quick(fr->enc, fr->b, q);
}

/* Set CFGAUDIT_INGEST_PARSED_ONLY to take the parsed path for every item
 * (the tests compare the two paths' rows). */
static int text_path_off(void)
{
	const char *v = getenv("CFGAUDIT_INGEST_PARSED_ONLY");

	return v && *v;
}

/* The reader's text callback: an item stored from its text (2), left out
 * for its account (3), or to be parsed (0). */
static int text_item(void *ctx, const char *text, size_t len, int max_depth)
{
	struct file_read *fr = ctx;
	char account[24];

	if (fr->pool) {
		/* Taken unread: the pool reads it (take_item hands it over). */
		struct textpool_item where;

		item_reader_element(fr->r, &where.off, &where.index);
		where.items = fr->t->items;
		where.after_off = item_reader_offset(fr->r);
		textpool_add(fr->pool, text, len, max_depth, &where);
		return 2;
	}
	if (!item_encoder_read_text(fr->enc, text, len, max_depth, account))
		return 0;
	if (fr->R->opt->select && !shard_loads(fr->R->opt->select, account))
		return 3;
	item_encode_text(fr->enc, fr->b);
	return 2;
}

/* Did the file change between sb0 (before it was hashed) and now? */
static int stat_changed(FILE *f, const struct stat *sb0)
{
	struct stat sb;

	if (fstat(fileno(f), &sb) != 0)
		return 1;
	return sb.st_size != sb0->st_size || sb.st_ino != sb0->st_ino ||
	       sb.st_mtim.tv_sec != sb0->st_mtim.tv_sec ||
	       sb.st_mtim.tv_nsec != sb0->st_mtim.tv_nsec;
}

/* The reader has read all of f: check (a file) or set (a stream) the
 * identity of the bytes it read. Returns 0 or -1 with t->err filled. */
static int settle_identity(struct task *t, struct item_reader *r, struct sha256_ctx **digest,
			   FILE *f, const struct stat *sb0)
{
	char hex[SHA256_HEX_LEN];
	long long n = item_reader_raw_bytes(r);

	sha256_finish(*digest, hex);
	*digest = NULL;
	if (t->stream) {
		t->stream_size = n;
		memcpy(t->stream_sha256, hex, sizeof(hex));
		store_file_key(t->rel, hex, t->stream_key);
		return 0;
	}
	if (n == t->wf.size && !strcmp(hex, t->wf.sha256) && !stat_changed(f, sb0))
		return 0;
	t->changed = 1;
	return diag_set_offset(&t->err, t->open_path, n < t->wf.size ? n : t->wf.size,
			       "the file changed while it was being read (%lld bytes when hashed, "
			       "%lld when parsed): not loaded; the next run reads it again",
			       t->wf.size, n);
}

/* Open a regular file, hash it and decide whether it needs reading.
 * Returns 0 (fr->f open, to be read), or 1 when the task is done
 * (skipped, or failed with t->err filled: outcome in *o). */
static int open_regular(struct file_read *fr, enum outcome *o)
{
	struct run *R = fr->R;
	struct task *t = fr->t;
	struct stat sb;

	/* A file that looks as it did when it was loaded is not read again
	 * (re-ingesting a tree costs a walk, not a hash of every byte); one
	 * that looks different is hashed and compared. */
	*o = OUT_SKIPPED;
	if (stat(t->open_path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		store_stat_key(t->rel, &sb, t->wf.stat_key);
		t->wf.has_stat_key = 1;
		if (has_key(R->loaded_stat, R->n_loaded_stat, t->wf.stat_key))
			return 1;
	}
	*o = OUT_FAILED;
	if (!(fr->f = fopen(t->open_path, "rb"))) {
		diag_set(&t->err, t->open_path, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	if (fstat(fileno(fr->f), &fr->sb0) != 0) {
		diag_set(&t->err, t->open_path, 0, "cannot read: %s", strerror(errno));
		return 1;
	}
	/* The stat key of what is about to be hashed. */
	store_stat_key(t->rel, &fr->sb0, t->wf.stat_key);
	t->wf.has_stat_key = 1;
	if (hash_file(fr->f, &t->wf, t->open_path, &t->err))
		return 1;
	store_file_key(t->rel, t->wf.sha256, t->wf.key);
	t->hashed = 1;
	*o = OUT_SKIPPED;
	if (has_key(R->loaded, R->n_loaded, t->wf.key))
		return 1;
	if (R->opt->after_hash)
		R->opt->after_hash(R->opt->arg, t->open_path);
	return 0;
}

/* A pool of encoding threads for a big file read while other workers
 * are idle, in a first load without lookups and without a selection of
 * accounts (the text callback then never leaves an item out); or NULL. */
static struct textpool *pool_for(struct run *R, struct task *t)
{
	/* CFGAUDIT_INGEST_POOL_CHUNK=N: a pool for every such file, with
	 * chunks of N items (the tests compare its stores and errors). */
	const char *v = getenv("CFGAUDIT_INGEST_POOL_CHUNK");
	size_t test_chunk = v && *v ? (size_t)strtoul(v, NULL, 10) : 0;
	size_t left;
	int n = R->opt->jobs - 1;

	if (!R->threaded || !R->no_lookup || R->opt->select || t->stream || n < 1)
		return NULL;
	if (!test_chunk) {
		if (t->wf.size < POOL_MIN_BYTES)
			return NULL;
		pthread_mutex_lock(&R->lock);
		left = R->n_tasks - R->next_task;
		pthread_mutex_unlock(&R->lock);
		if (left >= (size_t)R->opt->jobs)
			return NULL;
	}
	return textpool_new(n > 7 ? 7 : n, test_chunk);
}

/* Open the task's file or stream and its reader. Returns 0, or 1 when
 * the task is done (outcome in *o). */
static int open_task(struct file_read *fr, enum outcome *o)
{
	struct task *t = fr->t;

	t->wf.path = t->rel;
	if (t->stream) {
		fr->f = strcmp(t->open_path, "-") ? fopen(t->open_path, "rb") : stdin;
		if (!fr->f) {
			diag_set(&t->err, t->open_path, 0, "cannot open: %s", strerror(errno));
			*o = OUT_FAILED;
			return 1;
		}
	} else if (open_regular(fr, o)) {
		return 1;
	}
	*o = OUT_FAILED;
	if (!(fr->r = item_reader_open(fr->f, t->open_path, NULL, &t->err)))
		return 1;
	if (!(fr->digest = sha256_new()))
		abort();
	item_reader_set_digest(fr->r, fr->digest);
	item_reader_set_place(fr->r, t->info.account, t->info.region);
	fr->b = get_batch(fr->R);
	/* Items a snapshot repeats are recognized from their text alone;
	 * new items in the stored form are stored from their text. */
	if (!fr->R->no_lookup)
		item_reader_set_known(fr->r, quick_known, fr);
	if (!text_path_off()) {
		item_reader_set_text(fr->r, text_item, fr);
		fr->pool = pool_for(fr->R, t);
	}
	return 0;
}

/* Hand the batch being filled over, if it holds anything. Returns 0 or
 * -2 (cancelled). */
static int hand_over(struct file_read *fr)
{
	if (!fr->b->n)
		return 0;
	fr->t->global += (long long)fr->b->n_global;
	item_encoder_release(fr->enc);
	return sink_batch(fr->R, fr->t, &fr->b) ? -2 : 0;
}

/* A chunk one of whose items needs the parsed path: read it again here,
 * item by item, as the reader and take_item would have (same batch
 * contents, same errors). Returns 0 or -1 with t->err filled. */
static int pool_redo(struct file_read *fr, struct textpool_chunk *c)
{
	struct task *t = fr->t;
	char account[24];

	item_batch_reset(c->b);
	for (size_t i = 0; i < c->n; i++) {
		const struct textpool_item *it = &c->it[i];
		const char *text = c->text.buf + it->at;
		json_t *item;
		struct diag ed;
		int bad;

		if (item_encoder_read_text(fr->enc, text, it->len, c->max_depth, account)) {
			item_encode_text(fr->enc, c->b);
			continue;
		}
		if (item_reader_parse_taken(fr->r, text, it->len, it->off, it->index, &item, &t->err) < 0)
			return -1;
		diag_clear(&ed);
		bad = item_encode(fr->enc, c->b, item, t->wf.account, t->wf.region, &ed);
		json_decref(item);
		if (bad)
			return diag_set_offset(&t->err, t->open_path, it->after_off, "item %lld: %s",
					       it->items, ed.msg);
	}
	return 0;
}

/* Take the oldest chunk back from the pool and hand its items over.
 * Returns 0, -1 (failed) or -2 (cancelled). */
static int pool_take(struct file_read *fr)
{
	struct textpool_chunk *c = textpool_oldest(fr->pool, fr->enc);
	int rc = hand_over(fr);

	if (!rc && !c->ok)
		rc = pool_redo(fr, c);
	if (!rc && c->b->n) {
		fr->t->global += (long long)c->b->n_global;
		if (sink_batch(fr->R, fr->t, &c->b))
			rc = -2;
	}
	textpool_pop(fr->pool);
	return rc;
}

/* After an item went to the pool: submit a full chunk, and take chunks
 * back while no other can be filled. Returns as pool_take. */
static int pool_step(struct file_read *fr)
{
	int rc = 0;

	textpool_submit(fr->pool, 0);
	while (!rc && textpool_full(fr->pool))
		rc = pool_take(fr);
	return rc;
}

/* Everything the pool holds, handed over. Returns as pool_take. */
static int pool_drain(struct file_read *fr)
{
	int rc = 0;

	textpool_submit(fr->pool, 1);
	while (!rc && textpool_pending(fr->pool))
		rc = pool_take(fr);
	return rc;
}

/* One item the reader returned (rc 1: parsed, 2: stored from its text
 * or known, 3: left out). Returns 0, -1 (failed, t->err filled), or -2
 * (cancelled). */
static int take_item(struct file_read *fr, int rc, json_t *item)
{
	struct run *R = fr->R;
	struct task *t = fr->t;
	struct diag ed;

	if (!t->begun) {
		set_kind(t, fr->r);
		if (sink_begin(R, t))
			return -2;
	}
	if (fr->pool) {
		int ret;

		if (rc == 2) {
			t->items++;
			return pool_step(fr);
		}
		/* A parsed item: what the pool holds comes before it. */
		if ((ret = pool_drain(fr)) != 0)
			return ret;
	}
	if (rc == 3 || (rc == 1 && other_account_item(R, t, item))) {
		t->other_items++;
		return 0;
	}
	diag_clear(&ed);
	if (rc == 1 && item_encode(fr->enc, fr->b, item, t->wf.account, t->wf.region, &ed))
		return diag_set_offset(&t->err, t->open_path, item_reader_offset(fr->r),
				       "item %lld: %s", t->items, ed.msg);
	t->items++;
	if (fr->b->n >= BATCH_ITEMS || fr->b->data.len >= BATCH_BYTES) {
		t->global += (long long)fr->b->n_global;
		item_encoder_release(fr->enc);
		if (sink_batch(R, t, &fr->b))
			return -2;
	}
	return 0;
}

/* Read every item of the file. Returns 0, -1 (failed) or -2 (cancelled). */
static int read_items(struct file_read *fr)
{
	json_t *item;
	int rc = 0, ret = 0;

	while (!ret && (rc = item_reader_next(fr->r, &item, &fr->t->err)) > 0) {
		ret = take_item(fr, rc, item);
		json_decref(item);
	}
	if (fr->pool && !ret) {
		/* The items before the end (or before the reader's error)
		 * come first, and so does an error among them. */
		struct diag reader_err = fr->t->err;

		ret = pool_drain(fr);
		if (!ret && rc < 0)
			fr->t->err = reader_err;
	}
	item_encoder_release(fr->enc);
	if (!ret && rc < 0)
		ret = -1;
	return ret;
}

/* The file has been read: check it, and hand its last batch over.
 * Returns 0, -1 (failed) or -2 (cancelled). */
static int end_of_file(struct file_read *fr)
{
	struct task *t = fr->t;
	char msg[DIAG_MSG_MAX];
	long long at;

	if (settle_identity(t, fr->r, &fr->digest, fr->f, &fr->sb0))
		return -1;
	if (item_reader_kind(fr->r) == READER_UNKNOWN)
		return diag_set_offset(&t->err, t->open_path, item_reader_offset(fr->r),
				       "not an AWS Config file: no configuration items");
	if (item_reader_zone_warning(fr->r, msg, sizeof(msg), &at)) {
		diag_set_offset(&t->warn, t->open_path, at, "%s", msg);
		t->has_warn = 1;
	}
	if (!t->begun) {
		set_kind(t, fr->r); /* a file without items is still loaded */
		if (sink_begin(fr->R, t))
			return -2;
	}
	if (fr->b->n) {
		t->global += (long long)fr->b->n_global;
		if (sink_batch(fr->R, t, &fr->b))
			return -2;
	}
	return 0;
}

/* A failed file: one that fails to parse because it is being written
 * (cut short where the writer had got to) is a changed file, not a
 * broken one; one found in a walk that is not Config data is ignored. */
static enum outcome failure(struct file_read *fr)
{
	struct task *t = fr->t;

	if (fr->r && !t->stream && !t->changed && stat_changed(fr->f, &fr->sb0)) {
		long long at = t->err.offset;

		t->changed = 1;
		diag_set_offset(&t->err, t->open_path, at,
				"the file changed while it was being read (%lld bytes when "
				"hashed): not loaded; the next run reads it again",
				t->wf.size);
	}
	if (fr->r && !t->begun)
		set_kind(t, fr->r);
	if (!t->explicit_arg && t->info.cls == DISCOVER_CANDIDATE && not_config_message(&t->err))
		return OUT_IGNORED;
	return OUT_FAILED;
}

static void close_file(struct file_read *fr)
{
	textpool_free(fr->pool);
	if (fr->r)
		item_reader_close(fr->r);
	if (fr->digest)
		sha256_finish(fr->digest, (char[SHA256_HEX_LEN]){0});
	if (fr->f && fr->f != stdin)
		fclose(fr->f);
	release_batch(fr->R, fr->b);
}

static void process_file(struct run *R, struct task *t, struct item_encoder *enc)
{
	struct file_read fr = {.R = R, .t = t, .enc = enc};
	enum outcome o;
	int rc;

	if (open_task(&fr, &o)) {
		if (o == OUT_FAILED && fr.f)
			o = failure(&fr);
		close_file(&fr);
		sink_done(R, t, o);
		return;
	}
	rc = read_items(&fr);
	if (!rc)
		rc = end_of_file(&fr);
	if (rc == -1)
		o = failure(&fr);
	else
		o = rc ? OUT_FAILED : OUT_LOADED;
	close_file(&fr);
	sink_done(R, t, o);
}

/* ---- the writer side (the calling thread) ---- */

static void maybe_progress(struct run *R)
{
	if (!R->opt->on_progress || ms_since(&R->last_progress) < PROGRESS_EVERY_MS)
		return;
	now(&R->last_progress);
	R->opt->on_progress(R->opt->arg, R->st);
}

/* A stream has been read to its end (its worker is done with it): its
 * digest becomes its identity. */
static void w_adopt(struct task *t)
{
	t->wf.size = t->stream_size;
	memcpy(t->wf.sha256, t->stream_sha256, sizeof(t->wf.sha256));
	memcpy(t->wf.key, t->stream_key, STORE_KEY_LEN);
	t->hashed = 1;
}

static int w_begin(struct run *R, struct task *t, int grouped)
{
	int loaded;

	if (t->stream && !grouped) {
		/* Still being read: written under its provisional key. */
		t->new_before = writer_stats(R->w)->new_items;
		if (writer_begin(R->w, &t->wf, 0, &R->fatal))
			return -1;
		t->writing = 1;
		t->provisional = 1;
		R->writing = t;
		return 0;
	}
	if (t->stream)
		w_adopt(t);
	loaded = writer_is_loaded(R->w, t->wf.key, &R->fatal);
	if (loaded < 0)
		return -1;
	if (loaded) {
		t->dup_in_run = 1; /* the same file twice on one command line */
		return 0;
	}
	t->new_before = writer_stats(R->w)->new_items;
	if (writer_begin(R->w, &t->wf, grouped, &R->fatal))
		return -1;
	t->writing = 1;
	R->writing = t;
	return 0;
}

static int w_batch(struct run *R, struct task *t, const struct item_batch *b)
{
	if (!t->writing)
		return 0;
	if (writer_add(R->w, b, &R->fatal)) {
		writer_abort(R->w);
		t->writing = 0;
		return -1;
	}
	maybe_progress(R);
	return 0;
}

/* A streamed file written under a provisional key has ended: adopt its
 * real identity; a stream whose exact content is loaded already is
 * thrown away (t->writing cleared). Returns 0 or -1 (R->fatal). */
static int w_settle_stream(struct run *R, struct task *t)
{
	unsigned char old[STORE_KEY_LEN];
	int loaded;

	memcpy(old, t->wf.key, STORE_KEY_LEN);
	w_adopt(t);
	loaded = writer_is_loaded(R->w, t->wf.key, &R->fatal);
	if (loaded < 0)
		return -1;
	if (loaded) {
		/* That exact stream is loaded already. */
		writer_abort(R->w);
		t->writing = 0;
	} else if (writer_rekey(R->w, old, &R->fatal)) {
		writer_abort(R->w);
		t->writing = 0;
		return -1;
	}
	return 0;
}

/* A file read to its end: commit it and count it. */
static int w_loaded(struct run *R, struct task *t)
{
	struct ingest_stats *st = R->st;
	long long conflicts;

	if (t->writing && t->provisional && w_settle_stream(R, t))
		return -1;
	if (!t->writing) {
		st->files_skipped++;
		return 0;
	}
	t->writing = 0;
	conflicts = writer_file_conflicts(R->w);
	if (conflicts > CONFLICTS_TOLD) {
		struct diag cd;

		diag_set(&cd, t->open_path, 0,
			 "%lld more items stored already with other content (%lld in all); "
			 "cfgaudit history shows each",
			 conflicts - CONFLICTS_TOLD, conflicts);
		report_warning(R, &cd);
	}
	if (writer_finish(R->w, t->items, t->global, &R->fatal))
		return -1;
	if (t->has_warn)
		report_warning(R, &t->warn);
	st->files_loaded++;
	st->items_read += t->items;
	st->items_other_accounts += t->other_items;
	st->items_new += writer_stats(R->w)->new_items - t->new_before;
	return 0;
}

/* A file that failed: drop what was written of it, record the failure
 * (when its identity is known) and report it. */
static int w_failed(struct run *R, struct task *t)
{
	struct writer_file *wf = &t->wf;

	if (t->writing)
		writer_abort(R->w);
	t->writing = 0;
	if (R->cancel)
		return 0;
	if (t->hashed) {
		if (!wf->kind) {
			wf->kind = discover_kind_name(t->info.layout_kind);
			wf->account = t->info.account[0] ? t->info.account : NULL;
			wf->region = t->info.region[0] ? t->info.region : NULL;
			wf->has_time = t->info.has_time;
			wf->delivered_ms = t->info.delivered_ms;
		}
		if (!wf->kind)
			wf->kind = "unknown";
		if (writer_record_failure(R->w, wf, &t->err, &R->fatal))
			return -1;
	}
	if (t->changed)
		report_changed(R, &t->err);
	else
		report_failure(R, &t->err);
	return 0;
}

static int w_done(struct run *R, struct task *t)
{
	struct ingest_stats *st = R->st;
	int rc = 0;

	st->files_done++;
	switch (t->outcome) {
	case OUT_LOADED:
		rc = w_loaded(R, t);
		break;
	case OUT_SKIPPED:
		st->files_skipped++;
		/* Loaded already, but it looks different on disk now (a copy,
		 * a touch): remember its new look. */
		if (t->hashed && writer_note_stat(R->w, &t->wf, &R->fatal))
			rc = -1;
		break;
	case OUT_IGNORED:
		if (t->writing)
			writer_abort(R->w);
		t->writing = 0;
		st->ignored++;
		break;
	case OUT_FAILED:
	case OUT_NONE:
		rc = w_failed(R, t);
		break;
	}
	if (rc)
		return -1;
	maybe_progress(R);
	return 0;
}

/* Sinks: how a worker hands over its results. */

/* Apply the queued batches of t (writer side, no lock held by the
 * caller in single-thread mode). */
static int drain_queue(struct run *R, struct task *t)
{
	int rc = 0;

	while (t->q_len) {
		struct item_batch *b = t->q[t->q_head];

		t->q_head = (t->q_head + 1) % QUEUE_CAP;
		t->q_len--;
		if (!rc && w_batch(R, t, b))
			rc = -1;
		put_batch(R, b);
	}
	return rc;
}

/*
 * Sinks: how a worker hands over its results. A file's batches wait in
 * its queue; if the whole file fits (it is read to its end before the
 * queue fills), the writer loads it into the current group transaction,
 * otherwise it streams the file in a transaction of its own.
 */
static int sink_begin(struct run *R, struct task *t)
{
	int rc = 0;

	if (!R->threaded) {
		t->begun = 1;
		return R->cancel ? -1 : 0;
	}
	pthread_mutex_lock(&R->lock);
	t->begun = 1;
	rc = R->cancel ? -1 : 0;
	pthread_cond_signal(&R->writer_cv);
	pthread_mutex_unlock(&R->lock);
	return rc;
}

static int sink_batch(struct run *R, struct task *t, struct item_batch **b)
{
	if (!R->threaded) {
		if (R->cancel)
			return -1;
		if (t->streaming) {
			if (w_batch(R, t, *b)) {
				R->cancel = 1;
				return -1;
			}
			item_batch_reset(*b);
			return 0;
		}
		t->q[(t->q_head + t->q_len) % QUEUE_CAP] = *b;
		t->q_len++;
		*b = get_batch(R);
		if (t->q_len == QUEUE_CAP) {
			/* Too big to wait for its end: stream it. */
			t->streaming = 1;
			if (w_begin(R, t, 0) || drain_queue(R, t)) {
				R->cancel = 1;
				return -1;
			}
		}
		return 0;
	}
	pthread_mutex_lock(&R->lock);
	while (t->q_len == QUEUE_CAP && !R->cancel)
		pthread_cond_wait(&R->worker_cv, &R->lock);
	if (R->cancel) {
		pthread_mutex_unlock(&R->lock);
		return -1;
	}
	t->q[(t->q_head + t->q_len) % QUEUE_CAP] = *b;
	t->q_len++;
	pthread_cond_signal(&R->writer_cv);
	pthread_mutex_unlock(&R->lock);
	*b = get_batch(R);
	return 0;
}

static void sink_done(struct run *R, struct task *t, enum outcome o)
{
	if (!R->threaded) {
		t->outcome = o;
		t->done = 1;
		if (R->cancel)
			return;
		if (!t->streaming && o == OUT_LOADED && t->begun && w_begin(R, t, 1))
			R->cancel = 1;
		if (drain_queue(R, t))
			R->cancel = 1;
		if (!R->cancel && w_done(R, t))
			R->cancel = 1;
		return;
	}
	pthread_mutex_lock(&R->lock);
	t->outcome = o;
	t->done = 1;
	pthread_cond_signal(&R->writer_cv);
	pthread_mutex_unlock(&R->lock);
}

static void *worker_main(void *arg)
{
	struct run *R = arg;
	struct item_encoder *enc = item_encoder_new();
	sqlite3 *db = NULL;

	/* A read connection of this thread's own, to skip encoding the
	 * versions that are stored already (WAL: readers do not block the
	 * writer). Without it everything still works, only slower. */
	if (!R->no_lookup && sqlite3_open_v2(R->s->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		item_encoder_set_reader(enc, db);
	}

	for (;;) {
		struct task *t;

		pthread_mutex_lock(&R->lock);
		while (!R->cancel && R->next_task < R->n_tasks &&
		       R->next_task > R->writer_at + AHEAD_PER_JOB * (size_t)R->opt->jobs)
			pthread_cond_wait(&R->worker_cv, &R->lock);
		if (R->cancel || R->next_task >= R->n_tasks) {
			pthread_mutex_unlock(&R->lock);
			break;
		}
		t = &R->tasks[R->next_task++];
		pthread_mutex_unlock(&R->lock);
		process_file(R, t, enc);
		item_encoder_release(enc);
	}
	item_encoder_free(enc);
	sqlite3_close_v2(db);
	return NULL;
}

static void cancel_all(struct run *R)
{
	R->cancel = 1;
	pthread_cond_broadcast(&R->worker_cv);
}

/* Load the tasks in list order as the workers deliver them. */
/* Wait (R->lock held) for news of a task, at most the progress interval. */
static void wait_for_news(struct run *R)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += PROGRESS_EVERY_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&R->writer_cv, &R->lock, &until);
}

/* Write task t as its worker hands it over (R->lock held, also on
 * return): once it is read to its end or its queue is full, it begins
 * (read to its end already, it joins the group; otherwise it is streamed
 * on its own), then its batches are written as they come. Returns 0 when
 * it is done, -1 when the run is cancelled. */
static int write_task(struct run *R, struct task *t)
{
	int started = 0, rc = 0;

	for (;;) {
		if (!started && (t->done || t->q_len == QUEUE_CAP)) {
			int grouped = t->done;

			started = 1;
			if (t->begun && (!grouped || t->outcome == OUT_LOADED)) {
				pthread_mutex_unlock(&R->lock);
				rc = w_begin(R, t, grouped);
				pthread_mutex_lock(&R->lock);
			}
		} else if (started && t->q_len) {
			struct item_batch *b = t->q[t->q_head];

			t->q_head = (t->q_head + 1) % QUEUE_CAP;
			t->q_len--;
			pthread_cond_broadcast(&R->worker_cv);
			pthread_mutex_unlock(&R->lock);
			rc = w_batch(R, t, b);
			pthread_mutex_lock(&R->lock);
			put_batch(R, b);
		} else if (started && t->done) {
			return R->cancel ? -1 : 0;
		} else {
			wait_for_news(R);
			maybe_progress(R);
		}
		if (rc) {
			cancel_all(R);
			return -1;
		}
	}
}

static void writer_loop(struct run *R)
{
	pthread_mutex_lock(&R->lock);
	for (size_t i = 0; i < R->n_tasks && !R->cancel; i++) {
		struct task *t = &R->tasks[i];

		R->writer_at = i;
		pthread_cond_broadcast(&R->worker_cv);
		if (write_task(R, t))
			break;
		pthread_mutex_unlock(&R->lock);
		if (w_done(R, t)) {
			pthread_mutex_lock(&R->lock);
			cancel_all(R);
			break;
		}
		pthread_mutex_lock(&R->lock);
	}
	pthread_mutex_unlock(&R->lock);
}

/* Whether every task is a snapshot (by its layout or name) of an
 * account-region that no other task is a snapshot of. */
static int one_snapshot_per_series(const struct run *R)
{
	struct keymap seen = {0};
	int ok = 1;

	for (size_t i = 0; i < R->n_tasks && ok; i++) {
		const struct discover_info *in = &R->tasks[i].info;
		char k[DISCOVER_ACCOUNT_LEN + DISCOVER_REGION_LEN + 1];
		int added = 0;
		size_t n;

		if (R->tasks[i].stream || !in->account[0] || !in->region[0] ||
		    (in->layout_kind != DISCOVER_KIND_SNAPSHOT &&
		     !(in->layout_kind == DISCOVER_KIND_NONE && in->name_kind == DISCOVER_KIND_SNAPSHOT))) {
			ok = 0;
			break;
		}
		n = (size_t)snprintf(k, sizeof(k), "%s/%s", in->account, in->region);
		keymap_insert(&seen, k, n < sizeof(k) ? n : sizeof(k) - 1, &added);
		ok = added;
	}
	keymap_release(&seen);
	return ok;
}

/* One thread reads and writes: the encoder looks items up on the
 * writer's connection, inside the writer's transaction (opened before
 * each file, so that no lookup pays for a read transaction of its own). */
static void read_all(struct run *R, struct item_encoder *enc)
{
	for (size_t i = 0; i < R->n_tasks && !R->cancel; i++) {
		if (writer_hold(R->w, &R->fatal)) {
			R->cancel = 1;
			break;
		}
		process_file(R, &R->tasks[i], enc);
	}
}

/* Load the evidence files (ingest/evidence.h), after the Config files.
 * Returns 0, or -1 with R->fatal filled when the store failed. */
static int load_evidence(struct run *R)
{
	for (size_t i = 0; i < R->n_evidence; i += 2) {
		enum evidence_outcome o;
		struct diag err, warn;
		int has_warn;

		if (evidence_ingest_file(R->s, R->evidence[i], R->evidence[i + 1], &o, &err, &warn,
					 &has_warn, &R->fatal))
			return -1;
		R->st->files_done++;
		if (o == EVIDENCE_LOADED)
			R->st->files_loaded++;
		else if (o == EVIDENCE_SKIPPED)
			R->st->files_skipped++;
		else
			report_failure(R, &err);
		if (has_warn)
			report_warning(R, &warn);
		maybe_progress(R);
	}
	return 0;
}

/* Read every task in this thread, with an encoder of its own. */
static void read_here(struct run *R)
{
	struct item_encoder *enc = item_encoder_new();

	item_encoder_set_lookup(enc, R->no_lookup ? NULL : R->s->db);
	writer_share_keys(R->w, enc);
	read_all(R, enc);
	item_encoder_free(enc);
}

/* N readers besides the writer (this thread): reading is most of the
 * work, and the writer waits on them much of the time. Without threads
 * to be had, it is all done here. */
static void read_threaded(struct run *R)
{
	size_t n_workers = (size_t)R->opt->jobs, started = 0;
	pthread_t *th;

	if (n_workers > R->n_tasks)
		n_workers = R->n_tasks;
	th = xcalloc(n_workers, sizeof(*th));
	R->threaded = 1;
	pthread_mutex_init(&R->lock, NULL);
	pthread_cond_init(&R->writer_cv, NULL);
	pthread_cond_init(&R->worker_cv, NULL);
	for (size_t i = 0; i < n_workers; i++)
		if (pthread_create(&th[i], NULL, worker_main, R) == 0)
			started++;
		else
			break;
	if (started == 0) {
		R->threaded = 0;
	} else {
		writer_loop(R);
		for (size_t i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	free(th);
	if (!R->threaded)
		read_here(R);
	pthread_mutex_destroy(&R->lock);
	pthread_cond_destroy(&R->writer_cv);
	pthread_cond_destroy(&R->worker_cv);
}

/* Start the run: the keys of the loaded files, the deferred indexes of
 * a first load (*deferred > 0), the writer. Returns 0 or -1 with d. */
static int run_start(struct run *R, int *deferred, struct diag *d)
{
	struct diag ignored;

	/* Sorted, for the cheap "already loaded" test that workers do
	 * without the connection. */
	if (files_loaded_keys(R->s, &R->loaded, &R->n_loaded, d))
		return -1;
	if (files_loaded_stat_keys(R->s, &R->loaded_stat, &R->n_loaded_stat, d)) {
		free(R->loaded);
		return -1;
	}
	*deferred = writer_defer_indexes(R->s, d);
	R->w = *deferred < 0 ? NULL : writer_new(R->s, d);
	if (R->w) {
		writer_set_conflict_fn(R->w, on_conflict, R);
		return 0;
	}
	if (*deferred > 0) {
		diag_clear(&ignored);
		writer_restore_indexes(R->s, &ignored);
	}
	free(R->loaded);
	free(R->loaded_stat);
	return -1;
}

/* A first load: one transaction, rollback journal (writer_bulk). With
 * one thread the lookups share the writer's connection. Worker threads'
 * connections would wait on its locks and see none of its items, so with
 * workers only a load where no item can be known anyway is bulk: one
 * snapshot per series and nothing else (the first load of an
 * organization, one big snapshot, many small accounts); a month of
 * snapshots keeps the WAL and the lookups. Returns writer_bulk's answer,
 * or 0 when the load is not bulk. */
static int start_bulk(struct run *R)
{
	int bulk;

	if (R->opt->jobs > 1 && R->n_tasks > 0 && !one_snapshot_per_series(R))
		return 0;
	bulk = writer_bulk(R->w, &R->fatal);
	if (bulk < 0)
		R->cancel = 1; /* nothing is read; the usual way out */
	/* No lookups where no item can be stored already (the writer still
	 * compares a version met twice); with one thread a month of
	 * snapshots keeps them. */
	R->no_lookup = bulk > 0 && one_snapshot_per_series(R);
	return bulk;
}

/* The sorts that build the deferred indexes at the end of the load use
 * the cores the readers leave idle then (SQLite's sorter threads); off
 * again after it. With one job, no threads and the usual sort: small
 * runs merged on one thread cost more cpu than one sort in memory. */
static void sort_threads(struct run *R, int on)
{
	struct diag ignored;
	int n = R->opt->jobs > 8 ? 8 : R->opt->jobs;

	if (n < 2)
		return;
	diag_clear(&ignored);
	store_sort_threads(R->s, on ? n : 0, &ignored); /* an optimization only */
}

/* Free what the run holds (not the store's state). */
static void run_free(struct run *R)
{
	for (size_t i = 0; i < R->n_tasks; i++) {
		struct task *t = &R->tasks[i];

		for (size_t k = 0; k < t->q_len; k++) {
			struct item_batch *b = t->q[(t->q_head + k) % QUEUE_CAP];

			item_batch_release(b);
			free(b);
		}
		free(t->open_path);
		free(t->rel);
	}
	for (size_t i = 0; i < R->n_free; i++) {
		item_batch_release(R->free_batches[i]);
		free(R->free_batches[i]);
	}
	free(R->free_batches);
	free(R->tasks);
	for (size_t i = 0; i < R->n_evidence; i++)
		free(R->evidence[i]);
	free(R->evidence);
	free(R->loaded);
	free(R->loaded_stat);
	writer_free(R->w);
}

/* After the run: build what a first load deferred (also after an error:
 * the files loaded before it stay, and eval reads this index), and end
 * a bulk load. The first error goes to d when rc was not one yet. */
static int run_finish(struct store *s, int deferred, int bulk, int rc, struct diag *d)
{
	struct diag d2;

	diag_clear(&d2);
	if (deferred > 0 && writer_restore_indexes(s, &d2) && rc >= 0) {
		*d = d2;
		rc = -1;
	}
	diag_clear(&d2);
	if (bulk > 0 && writer_bulk_done(s, &d2) && rc >= 0) {
		*d = d2;
		rc = -1;
	}
	return rc;
}

int ingest_run(struct store *s, const char *const *paths, size_t n_paths,
	       const struct ingest_options *opt, struct ingest_stats *st, struct diag *d)
{
	struct run R;
	int rc, deferred, bulk = 0;

	memset(&R, 0, sizeof(R));
	memset(st, 0, sizeof(*st));
	R.s = s;
	R.opt = opt;
	R.st = st;
	diag_clear(&R.fatal);
	now(&R.last_progress);
	if (run_start(&R, &deferred, d))
		return -1;
	for (size_t i = 0; i < n_paths; i++)
		discover_path(&R, paths[i]);
	if (R.n_tasks)
		qsort(R.tasks, R.n_tasks, sizeof(*R.tasks), cmp_task);
	st->files_total = (long long)(R.n_tasks + R.n_evidence / 2);
	if (deferred > 0)
		bulk = start_bulk(&R);
	if (opt->jobs > 1 && R.n_tasks > 0)
		read_threaded(&R);
	else
		read_here(&R);
	if (opt->on_progress)
		opt->on_progress(opt->arg, st);
	sort_threads(&R, 1);
	if (bulk > 0 && !R.n_evidence)
		writer_indexes_at_end(R.w);
	/* Commit the last group, also after a fatal error: the files
	 * finished before it are complete and counted as loaded. */
	if (writer_end(R.w, R.cancel ? d : &R.fatal) && !R.cancel)
		R.cancel = 1;
	if (!R.cancel && load_evidence(&R))
		R.cancel = 1;
	rc = st->files_failed ? 1 : 0;
	if (R.cancel) {
		*d = R.fatal;
		rc = -1;
	}
	run_free(&R);
	rc = run_finish(s, deferred, bulk, rc, d);
	sort_threads(&R, 0);
	return rc;
}
