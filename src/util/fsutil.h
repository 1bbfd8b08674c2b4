/*
 * fsutil: whole-file reads with a size bound, and atomic writes
 * (temporary file in the same directory, fsync, rename).
 */
#ifndef CFGAUDIT_FSUTIL_H
#define CFGAUDIT_FSUTIL_H

#include <stddef.h>

#include "util/diag.h"
#include "util/strbuf.h"

/* Append the contents of path to sb. Fails if the file is larger than
 * max_size bytes. Returns 0 or -1 with d filled. */
int read_file(const char *path, struct strbuf *sb, size_t max_size, struct diag *d);

/* Replace path with data, atomically. Returns 0 or -1 with d filled. */
int write_file_atomic(const char *path, const void *data, size_t len, struct diag *d);

/* An open temporary file next to its final path; see atomic_commit. */
struct atomic_file {
	char *path;     /* final path (owned) */
	char *tmp_path; /* temporary path (owned) */
	int fd;         /* open descriptor of the temporary file */
};

/* Create a temporary file for path. Returns 0 or -1 with d filled. */
int atomic_open(struct atomic_file *af, const char *path, struct diag *d);
/* fsync and rename into place. Returns 0 or -1 with d filled; on failure
 * the temporary file is removed and path is unchanged. */
int atomic_commit(struct atomic_file *af, struct diag *d);
/* Remove the temporary file without touching path. */
void atomic_abort(struct atomic_file *af);

#endif
