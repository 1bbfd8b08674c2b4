/*
 * nearest: "did you mean" -- the edit distance of two strings and the
 * known values nearest to a mistyped one, for messages that name what
 * was meant (eval's empty selection, report's unknown --account,
 * rules' unknown managed identifiers).
 */
#ifndef CFGAUDIT_NEAREST_H
#define CFGAUDIT_NEAREST_H

#include <stddef.h>

struct strbuf;

/* Levenshtein distance of a and b (insertions, deletions, substitutions);
 * for strings over 128 bytes, the longer length. */
size_t nearest_distance(const char *a, const char *b);

/* Append to sb the values of known (n of them) nearest to want first
 * (fewest differing characters), at most 8, then "and N more". */
void nearest_list(struct strbuf *sb, const char *want, const char *const *known, size_t n);

#endif
