/*
 * cli_progress: the one progress line a long command shows on a terminal
 * (ingest, audit): written to standard error, rewritten in place,
 * cleared before any other message and at the end. Nothing when standard
 * error is not a terminal or with --quiet.
 */
#ifndef CFGAUDIT_CLI_PROGRESS_H
#define CFGAUDIT_CLI_PROGRESS_H

#include <time.h>

struct cli_progress {
	int enabled;	       /* stderr is a terminal and not --quiet */
	int shown;	       /* a progress line is on the screen */
	struct timespec start; /* when the command started */
};

/* Start: enabled unless quiet or stderr is not a terminal. */
void cli_progress_init(struct cli_progress *p, int quiet);

/* 1 once a second has passed since the start (a short command shows none). */
int cli_progress_due(const struct cli_progress *p);

/* Replace the line with "cfgaudit: " and the formatted text. */
void cli_progress_show(struct cli_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Erase the line, if one is shown. */
void cli_progress_clear(struct cli_progress *p);

#endif
