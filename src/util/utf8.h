/*
 * utf8: validation of UTF-8 sequences, shared by the terminal and HTML
 * escapers so that both treat invalid input the same way.
 */
#ifndef CFGAUDIT_UTF8_H
#define CFGAUDIT_UTF8_H

#include <stddef.h>

#include "util/strbuf.h"

/* Length (1..4) of the valid UTF-8 sequence at s, or 0 if the bytes at s
 * do not start a valid, shortest-form, non-surrogate sequence. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Append s[0, len) to sb with each byte that does not start valid UTF-8
 * replaced by U+FFFD. */
void utf8_clean(struct strbuf *sb, const char *s, size_t len);

#endif
