/*
 * newruns: the open runs of new series, written in key order (see
 * newruns.h).
 */
#include "ingest/newruns.h"
#include "util/keymap.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One held run: the version's key and its series (index into ser). */
struct newrun {
	unsigned char key[STORE_KEY_LEN];
	uint32_t series;
};

/* The series of a file whose runs are held. */
struct newrun_series {
	char *account, *region; /* owned */
	char t[TIME_ISO_LEN];	/* the snapshot's delivery time: the runs' first_time */
};

struct newruns {
	struct presence *p; /* borrowed */
	size_t max;	    /* runs held at most */
	struct newrun *run; /* held runs: [0, mark) of earlier files, then the current file's */
	size_t n, alloc;
	size_t mark;		     /* runs of the files before the current one */
	int before_written;	     /* [0, mark) written inside the current file */
	int wrote;		     /* some run was written */
	struct newrun_series *ser;   /* every series with held runs (and a few without) */
	size_t n_ser, alloc_ser;
	struct keymap series_index;  /* "account\0region" of every ser entry */

	/* newruns_sort_ahead: [sort_lo, sort_hi) is being sorted by the
	 * thread sorter (sorting) or is sorted already (sorted). */
	pthread_t sorter;
	int sorting, sorted;
	size_t sort_lo, sort_hi;
};

static void sort_wait(struct newruns *nr);

struct newruns *newruns_new(struct presence *p, size_t max)
{
	struct newruns *nr = xcalloc(1, sizeof(*nr));

	nr->p = p;
	nr->max = max ? max : 1;
	return nr;
}

static void forget_series(struct newruns *nr)
{
	for (size_t i = 0; i < nr->n_ser; i++) {
		free(nr->ser[i].account);
		free(nr->ser[i].region);
	}
	nr->n_ser = 0;
	keymap_clear(&nr->series_index);
}

void newruns_free(struct newruns *nr)
{
	if (!nr)
		return;
	sort_wait(nr);
	forget_series(nr);
	keymap_release(&nr->series_index);
	free(nr->ser);
	free(nr->run);
	free(nr);
}

void newruns_set_max(struct newruns *nr, size_t max)
{
	nr->max = max ? max : 1;
}

size_t newruns_count(const struct newruns *nr)
{
	return nr->n;
}

int newruns_wrote(const struct newruns *nr)
{
	return nr->wrote;
}

int newruns_full(const struct newruns *nr)
{
	return nr->n >= nr->max;
}

/* "account\0region" into buf (room for n bytes); its length. */
static size_t series_name(const char *account, const char *region, char *buf, size_t n)
{
	size_t la = strlen(account), lr = strlen(region);

	if (la + 1 + lr > n)
		return 0;
	memcpy(buf, account, la);
	buf[la] = '\0';
	memcpy(buf + la + 1, region, lr);
	return la + 1 + lr;
}

void newruns_file_mark(struct newruns *nr)
{
	sort_wait(nr);
	nr->sorted = 0;
	nr->mark = nr->n;
	nr->before_written = 0;
}

void newruns_file_begin(struct newruns *nr, const char *account, const char *region,
			const char *t)
{
	struct newrun_series *s;
	char name[256];
	size_t len;

	newruns_file_mark(nr);
	if (nr->n_ser) {
		s = &nr->ser[nr->n_ser - 1];
		if (!strcmp(s->account, account) && !strcmp(s->region, region) && !strcmp(s->t, t))
			return; /* the same series and time again */
	}
	if (nr->n_ser == nr->alloc_ser) {
		nr->alloc_ser = nr->alloc_ser ? 2 * nr->alloc_ser : 64;
		nr->ser = xrealloc(nr->ser, nr->alloc_ser * sizeof(*nr->ser));
	}
	s = &nr->ser[nr->n_ser++];
	s->account = xstrdup(account);
	s->region = xstrdup(region);
	snprintf(s->t, sizeof(s->t), "%s", t);
	len = series_name(account, region, name, sizeof(name));
	if (len)
		keymap_insert(&nr->series_index, name, len, NULL);
}

int newruns_has_series(const struct newruns *nr, const char *account, const char *region)
{
	char name[256];
	size_t len;

	if (!nr->n)
		return 0;
	len = series_name(account, region, name, sizeof(name));
	/* a name too long to look up: take it as held (a write too many) */
	return !len || keymap_find(&nr->series_index, name, len) != NULL;
}

/* snapshot_presence's key order: item key, account, region, first time. */
static const struct newruns *sort_nr; /* qsort has no context argument */

static int cmp_run(const void *a, const void *b)
{
	const struct newrun *x = a, *y = b;
	const struct newrun_series *sx, *sy;
	int c = memcmp(x->key, y->key, STORE_KEY_LEN);

	if (c || x->series == y->series)
		return c;
	sx = &sort_nr->ser[x->series];
	sy = &sort_nr->ser[y->series];
	if ((c = strcmp(sx->account, sy->account)) || (c = strcmp(sx->region, sy->region)))
		return c;
	return strcmp(sx->t, sy->t);
}

/* Fewer runs than this are sorted where they are written: a thread
 * would cost more than it hides. CFGAUDIT_INGEST_SORT_AHEAD=N sets it
 * (the tests sort a few runs ahead). */
#define SORT_AHEAD_MIN 65536

static size_t sort_ahead_min(void)
{
	const char *v = getenv("CFGAUDIT_INGEST_SORT_AHEAD");

	return v && *v ? (size_t)strtoul(v, NULL, 10) : SORT_AHEAD_MIN;
}

static void *sort_main(void *arg)
{
	struct newruns *nr = arg;

	qsort(nr->run + nr->sort_lo, nr->sort_hi - nr->sort_lo, sizeof(*nr->run), cmp_run);
	return NULL;
}

/* Wait for the sort ahead, if one runs; any change of run[] or ser
 * calls this first. */
static void sort_wait(struct newruns *nr)
{
	if (!nr->sorting)
		return;
	pthread_join(nr->sorter, NULL);
	nr->sorting = 0;
	nr->sorted = 1;
}

/* Write the runs [lo, hi), sorted (their order in run[] changes). */
static int write_range(struct newruns *nr, size_t lo, size_t hi, struct diag *d)
{
	struct presence_series ps;
	int rc = 0;

	sort_wait(nr);
	if (lo >= hi)
		return 0;
	sort_nr = nr;
	if (!nr->sorted || nr->sort_lo != lo || nr->sort_hi != hi)
		qsort(nr->run + lo, hi - lo, sizeof(*nr->run), cmp_run);
	nr->sorted = 0;
	for (size_t i = lo; i < hi && !rc; i++) {
		const struct newrun *r = &nr->run[i];
		const struct newrun_series *s = &nr->ser[r->series];

		if (i > lo && !cmp_run(r, r - 1))
			continue;
		ps.account = s->account;
		ps.region = s->region;
		rc = presence_insert_open(nr->p, &ps, r->key, s->t, d);
	}
	sort_nr = NULL;
	nr->wrote = 1;
	return rc;
}

int newruns_add(struct newruns *nr, const unsigned char *key, struct diag *d)
{
	struct newrun *r;

	sort_wait(nr);
	nr->sorted = 0;
	if (nr->n - nr->mark >= nr->max) {
		/* The current file alone fills the buffer: its runs go now
		 * (a rollback of the file takes them away again). */
		if (write_range(nr, nr->mark, nr->n, d))
			return -1;
		nr->n = nr->mark;
	}
	if (nr->n == nr->alloc) {
		nr->alloc = nr->alloc ? 2 * nr->alloc : 4096;
		nr->run = xrealloc(nr->run, nr->alloc * sizeof(*nr->run));
	}
	r = &nr->run[nr->n++];
	memcpy(r->key, key, STORE_KEY_LEN);
	r->series = (uint32_t)(nr->n_ser - 1);
	return 0;
}

void newruns_sort_ahead(struct newruns *nr)
{
	size_t from = nr->before_written ? nr->mark : 0;

	if (nr->sorting || nr->sorted || !nr->n || nr->n - from < sort_ahead_min())
		return;
	sort_nr = nr; /* qsort has no context argument */
	nr->sort_lo = from;
	nr->sort_hi = nr->n;
	if (pthread_create(&nr->sorter, NULL, sort_main, nr) == 0)
		nr->sorting = 1;
}

int newruns_write_all(struct newruns *nr, struct diag *d)
{
	size_t from = nr->before_written ? nr->mark : 0;

	if (write_range(nr, from, nr->n, d))
		return -1;
	nr->n = nr->mark = 0;
	nr->before_written = 0;
	forget_series(nr);
	if (nr->alloc > SORT_AHEAD_MIN) {
		/* a first load's runs: their memory is the index builds' now */
		free(nr->run);
		nr->run = NULL;
		nr->alloc = 0;
	}
	return 0;
}

int newruns_write_before(struct newruns *nr, struct diag *d)
{
	if (nr->before_written || !nr->mark)
		return 0;
	if (write_range(nr, 0, nr->mark, d))
		return -1;
	nr->before_written = 1;
	return 0;
}

void newruns_file_done(struct newruns *nr)
{
	sort_wait(nr);
	nr->sorted = 0;
	if (nr->before_written) {
		/* written for good now: only the file's own runs stay */
		memmove(nr->run, nr->run + nr->mark, (nr->n - nr->mark) * sizeof(*nr->run));
		nr->n -= nr->mark;
		nr->before_written = 0;
	}
	nr->mark = nr->n;
}

void newruns_file_undone(struct newruns *nr, int whole)
{
	sort_wait(nr);
	nr->sorted = 0;
	if (whole) {
		nr->n = 0;
		forget_series(nr);
	} else {
		nr->n = nr->mark; /* what was written of the earlier ones is undone too */
	}
	nr->mark = nr->n;
	nr->before_written = 0;
}
