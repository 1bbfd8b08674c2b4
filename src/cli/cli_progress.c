/*
 * cli_progress: a progress line on a terminal (see cli_progress.h).
 */
#include "cli/cli_progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void cli_progress_init(struct cli_progress *p, int quiet)
{
	p->enabled = !quiet && isatty(STDERR_FILENO);
	p->shown = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

int cli_progress_due(const struct cli_progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - p->start.tv_sec) * 1000LL +
		   (now.tv_nsec - p->start.tv_nsec) / 1000000 >=
	       1000;
}

void cli_progress_show(struct cli_progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->enabled)
		return;
	fputs("\r\033[Kcfgaudit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	p->shown = 1;
}

void cli_progress_clear(struct cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}
