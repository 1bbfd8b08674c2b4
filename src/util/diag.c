/*
 * diag: recording and printing diagnostics (see diag.h).
 */
#include "util/diag.h"
#include "util/term.h"

#include <string.h>

void diag_clear(struct diag *d)
{
	d->path[0] = '\0';
	d->line = 0;
	d->column = 0;
	d->offset = -1;
	d->msg[0] = '\0';
	d->db_code = 0;
}

static void set_path(struct diag *d, const char *path)
{
	if (!path)
		path = "";
	snprintf(d->path, sizeof(d->path), "%s", path);
	d->db_code = 0;
}

int diag_set(struct diag *d, const char *path, long line, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	set_path(d, path);
	d->line = line;
	d->column = 0;
	d->offset = -1;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int diag_vset_at(struct diag *d, const char *path, long line, long column, const char *fmt,
		 va_list ap)
{
	if (!d)
		return -1;
	set_path(d, path);
	d->line = line;
	d->column = column;
	d->offset = -1;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	return -1;
}

int diag_set_offset(struct diag *d, const char *path, long long offset, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	set_path(d, path);
	d->line = 0;
	d->column = 0;
	d->offset = offset;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void diag_print(const struct diag *d, const char *level)
{
	fputs("cfgaudit: ", stderr);
	if (d->path[0]) {
		term_write_safe(stderr, d->path, strlen(d->path));
		if (d->line > 0 && d->column > 0)
			fprintf(stderr, ":%ld:%ld", d->line, d->column);
		else if (d->line > 0)
			fprintf(stderr, ":%ld", d->line);
		else if (d->offset >= 0)
			fprintf(stderr, ": byte %lld", d->offset);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: ", level);
	term_write_safe(stderr, d->msg, strlen(d->msg));
	fputc('\n', stderr);
}

static void vreport(const char *level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vreport(const char *level, const char *fmt, va_list ap)
{
	char buf[DIAG_MSG_MAX];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "cfgaudit: %s: ", level);
	term_write_safe(stderr, buf, strlen(buf));
	fputc('\n', stderr);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
}

void warning_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}
