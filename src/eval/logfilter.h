/*
 * logfilter: an evaluator of CloudWatch Logs filter patterns for JSON log
 * events ({ $.field = "value" } and friends), so that a rule can check
 * what a metric filter would count, offline, against sample events. Used
 * by the SQL function logfilter_matches (sqlfuncs.c).
 */
#ifndef CFGAUDIT_EVAL_LOGFILTER_H
#define CFGAUDIT_EVAL_LOGFILTER_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

/*
 * Evaluate the JSON filter pattern (len bytes, not necessarily
 * NUL-terminated) against the event (a JSON object). The grammar:
 *   pattern    := '{' expr '}'
 *   expr       := and ('||' and)*
 *   and        := term ('&&' term)*
 *   term       := '(' expr ')' | selector test
 *   selector   := '$' ('.' name | '[' digits ']')*
 *   test       := ('=' | '!=') value | ('<' | '<=' | '>' | '>=') number
 *               | 'IS' ('NULL' | 'TRUE' | 'FALSE') | 'NOT' 'EXISTS'
 *   value      := "quoted string" | unquoted word | number
 * String values may hold '*' wildcards (any run of characters). A number
 * compares numerically with a number field; a string, with '*', matches
 * a string field (or the text of a number or boolean field). A selector
 * that names no field matches no comparison, only NOT EXISTS.
 * Returns 1 (matches), 0 (does not) or -1 (not a JSON filter pattern or a
 * syntax error; *err, when err is not NULL, says what, as static text).
 */
int logfilter_match(const char *pattern, size_t len, const json_t *event, const char **err);

/* Glob match of text against pat where '*' matches any run of bytes. */
int logfilter_glob(const char *pat, size_t plen, const char *text, size_t tlen);

/* The SQL function logfilter_matches(pattern, event): 1 or 0, or NULL when
 * either is NULL, the pattern is not a JSON filter pattern, or the event
 * (JSON text) is not a JSON object. Registered in sqlfuncs.c. */
void logfilter_fn_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv);

#endif
