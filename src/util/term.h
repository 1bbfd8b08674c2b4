/*
 * term: write data-derived strings to a terminal or log without letting
 * control characters (escape sequences, carriage returns) act on it.
 */
#ifndef CFGAUDIT_TERM_H
#define CFGAUDIT_TERM_H

#include <stddef.h>
#include <stdio.h>

/* Write len bytes of s to f. C0 controls, DEL and C1 controls are written
 * as \xNN; invalid UTF-8 bytes are written as \xNN; valid UTF-8 passes. */
void term_write_safe(FILE *f, const char *s, size_t len);

/* Return a newly allocated copy of s made safe as above. Caller frees. */
char *term_safe_dup(const char *s);

#endif
