/*
 * diag: diagnostics as records. Library code fills a caller-owned
 * struct diag and returns -1; only the command layer prints, in the one
 * format cfgaudit(1) documents:  cfgaudit: PATH:LINE: error: MESSAGE
 */
#ifndef CFGAUDIT_DIAG_H
#define CFGAUDIT_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#define DIAG_MSG_MAX 1024
#define DIAG_PATH_MAX 4096

struct diag {
	char path[DIAG_PATH_MAX]; /* file the problem is in, "" if none */
	long line;                /* 1-based line, 0 if unknown */
	long column;              /* 1-based column, 0 if unknown */
	long long offset;         /* byte offset in the (decompressed) input, -1 if unknown */
	char msg[DIAG_MSG_MAX];   /* lowercase, no final period */
	int db_code;              /* SQLite's primary result code behind it (store_error), 0 */
};

/* Reset to "no error". */
void diag_clear(struct diag *d);

/* Record an error. path may be NULL. Always returns -1 so that library code
 * can write `return diag_set(d, ...);`. */
int diag_set(struct diag *d, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Same, at a line and column, with the arguments as a va_list (for a
 * module's own error function). */
int diag_vset_at(struct diag *d, const char *path, long line, long column, const char *fmt,
		 va_list ap) __attribute__((format(printf, 5, 0)));

/* Same, with a byte offset instead of a line. */
int diag_set_offset(struct diag *d, const char *path, long long offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Print a recorded diagnostic to stderr with the given level ("error",
 * "warning"). Control characters in the path and message are escaped. */
void diag_print(const struct diag *d, const char *level);

/* Print "cfgaudit: error: MESSAGE" (or warning) to stderr. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
