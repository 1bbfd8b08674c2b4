/*
 * csv: one RFC 4180 field, for every command and report that writes CSV.
 * Values come from configuration data and are treated as hostile:
 * invalid UTF-8 becomes U+FFFD, and a field a spreadsheet would run as a
 * formula (a leading = + - @ TAB or CR) gets a ' in front, which
 * spreadsheets show as text.
 */
#ifndef CFGAUDIT_CSV_H
#define CFGAUDIT_CSV_H

#include "util/strbuf.h"

/* Append s (NULL: an empty field) to row, after a comma unless first. */
void csv_add_field(struct strbuf *row, const char *s, int first);

#endif
