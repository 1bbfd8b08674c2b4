/*
 * cli_output: writing one value as a JSON string or a CSV field, for the
 * commands that print listings (resources, history). Values come from
 * configuration data and are treated as hostile: invalid UTF-8 becomes
 * U+FFFD, control characters are escaped, and a CSV field that a
 * spreadsheet would run as a formula is defused.
 */
#ifndef CFGAUDIT_CLI_OUTPUT_H
#define CFGAUDIT_CLI_OUTPUT_H

#include <stdio.h>

/* s as a JSON string, or null for NULL. '<' is escaped too, so the JSON
 * is harmless if it lands in HTML. */
void cli_put_json_string(FILE *out, const char *s);

/* s as an RFC 4180 field, preceded by a comma unless first; NULL is an
 * empty field. A leading = + - @ TAB or CR gets a ' in front. */
void cli_put_csv_field(FILE *out, const char *s, int first);

#endif
