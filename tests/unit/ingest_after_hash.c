/*
 * ingest_after_hash: a helper of tests/cli/t1008-ingest-changing-file.sh
 * (built by 'make check', never installed). It ingests like 'cfgaudit
 * ingest', and through the library's after_hash hook appends the bytes
 * of APPEND-FILE to each input file right after ingest has hashed it and
 * before it parses it: a file that grows while it is being read (a sync
 * still writing it), at the worst moment, every time, without a race.
 *
 * usage: ingest_after_hash DB APPEND-FILE PATH...
 * Prints each failure as cfgaudit does (a changed file as a warning) and
 * exits 0, or 2 when a file failed.
 */
#include "ingest/ingest.h"
#include "store/store.h"
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *append_from;

static void after_hash(void *arg, const char *path)
{
	char buf[4096];
	FILE *in = fopen(append_from, "rb"), *out = fopen(path, "ab");
	size_t n;

	if (!in || !out) {
		perror("ingest_after_hash");
		exit(99);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			exit(99);
	if (fclose(out) != 0)
		exit(99);
	fclose(in);
}

static void on_failure(void *arg, const struct diag *d)
{
	diag_print(d, "error");
}

static void on_changed(void *arg, const struct diag *d)
{
	diag_print(d, "warning");
}

int main(int argc, char **argv)
{
	struct ingest_options opt;
	struct ingest_stats st;
	struct store *s;
	struct diag d;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: ingest_after_hash DB APPEND-FILE PATH...\n");
		return 2;
	}
	append_from = argv[2];
	diag_clear(&d);
	s = store_open(argv[1], STORE_READ_WRITE, &d);
	if (!s) {
		diag_print(&d, "error");
		return 2;
	}
	memset(&opt, 0, sizeof(opt));
	opt.jobs = 1;
	opt.on_failure = on_failure;
	opt.on_changed = on_changed;
	opt.after_hash = after_hash;
	rc = ingest_run(s, (const char *const *)argv + 3, (size_t)(argc - 3), &opt, &st, &d);
	if (rc < 0)
		diag_print(&d, "error");
	fprintf(stderr,
		"ingest_after_hash: %lld files loaded, %lld items read, %lld files failed\n",
		st.files_loaded, st.items_read, st.files_failed);
	store_close(s);
	return rc == 0 ? 0 : 2;
}
