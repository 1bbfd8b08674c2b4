/*
 * fsutil: see fsutil.h.
 */
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int read_file(const char *path, struct strbuf *sb, size_t max_size, struct diag *d)
{
	char buf[1 << 16];
	size_t n, total = 0;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;

	if (!f)
		return diag_set(d, path, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		total += n;
		if (total > max_size) {
			if (f != stdin)
				fclose(f);
			return diag_set(d, path, 0, "file is larger than %zu bytes", max_size);
		}
		strbuf_add(sb, buf, n);
	}
	if (ferror(f)) {
		int err = errno;

		if (f != stdin)
			fclose(f);
		return diag_set(d, path, 0, "read error: %s", strerror(err));
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

int atomic_open(struct atomic_file *af, const char *path, struct diag *d)
{
	size_t n = strlen(path) + 16;

	af->path = xstrdup(path);
	af->tmp_path = xmalloc(n);
	snprintf(af->tmp_path, n, "%s.tmpXXXXXX", path);
	af->fd = mkstemp(af->tmp_path);
	if (af->fd < 0) {
		int err = errno;

		free(af->path);
		free(af->tmp_path);
		af->path = af->tmp_path = NULL;
		return diag_set(d, path, 0, "cannot create temporary file: %s", strerror(err));
	}
	fchmod(af->fd, 0644);
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp_path)
		unlink(af->tmp_path);
	free(af->path);
	free(af->tmp_path);
	af->path = af->tmp_path = NULL;
	af->fd = -1;
}

int atomic_commit(struct atomic_file *af, struct diag *d)
{
	int err;

	if (fsync(af->fd) != 0 || close(af->fd) != 0) {
		err = errno;
		af->fd = -1;
		diag_set(d, af->path, 0, "cannot write: %s", strerror(err));
		atomic_abort(af);
		return -1;
	}
	af->fd = -1;
	if (rename(af->tmp_path, af->path) != 0) {
		err = errno;
		diag_set(d, af->path, 0, "cannot rename into place: %s", strerror(err));
		atomic_abort(af);
		return -1;
	}
	free(af->path);
	free(af->tmp_path);
	af->path = af->tmp_path = NULL;
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, struct diag *d)
{
	struct atomic_file af;
	const char *p = data;

	if (atomic_open(&af, path, d))
		return -1;
	while (len > 0) {
		ssize_t w = write(af.fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			diag_set(d, path, 0, "cannot write: %s", strerror(errno));
			atomic_abort(&af);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return atomic_commit(&af, d);
}
