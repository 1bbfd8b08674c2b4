/*
 * timeutil: the one place that parses and prints times. Internally a time
 * is milliseconds since the Unix epoch (int64_t, UTC); in the store and
 * in reports it is the canonical text YYYY-MM-DDTHH:MM:SS.mmmZ, which
 * sorts correctly as text.
 */
#ifndef CFGAUDIT_TIMEUTIL_H
#define CFGAUDIT_TIMEUTIL_H

#include <stdint.h>

#define TIME_ISO_LEN 40 /* room for "2026-11-01T00:00:00.000Z", any year */

/* Parse ISO 8601: a bare date (YYYY-MM-DD = 00:00:00Z of that day), or
 * date and time with 'T' or ' ', optional seconds and fraction, and 'Z',
 * '+HH:MM', '+HHMM' or no zone (= UTC). Returns 0, or -1 if s is not such
 * a time. */
int time_parse_iso(const char *s, int64_t *ms);

/* Parse the compact form used in AWS Config object names: 20160927T183939Z. */
int time_parse_compact(const char *s, int64_t *ms);

/* Format ms as YYYY-MM-DDTHH:MM:SS.mmmZ into out (TIME_ISO_LEN bytes). */
void time_format_iso(int64_t ms, char *out);

/* Same, without the milliseconds (YYYY-MM-DDTHH:MM:SSZ), for reports. */
void time_format_iso_seconds(int64_t ms, char *out);

/* Normalise any ISO text to the canonical form. Returns 0 or -1. */
int time_canonical(const char *s, char *out);

/* A number that AWS data gives as "epoch time": seconds, or, from 1e11
 * on (the year 5138 in seconds, March 1973 in milliseconds), milliseconds,
 * since one service writes the one and another the other. Returns
 * milliseconds; x must be finite, and the caller bounds the result. */
double time_epoch_number_to_ms(double x);

/* The current time. If SOURCE_DATE_EPOCH is set (seconds), that value is
 * used instead, so that runs and bundles can be reproduced in tests. */
int64_t time_now_ms(void);

/* Seconds of a monotonic clock, and cpu seconds of the calling thread:
 * for timings (on a loaded machine, wall time says little about what a
 * step costs). */
double time_monotonic_seconds(void);
double time_thread_cpu_seconds(void);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
