/*
 * urldecode: percent-decoding, as AWS Config writes IAM policy documents
 * (%7B%22Version%22...). '+' is a plus, not a space: the documents are
 * percent-encoded, not form-encoded.
 */
#ifndef CFGAUDIT_URLDECODE_H
#define CFGAUDIT_URLDECODE_H

#include <stddef.h>

/* Decode len bytes of s. A '%' not followed by two hex digits is an error
 * when strict (returns NULL), and is kept as it is otherwise. Returns a
 * NUL-terminated string the caller frees; its length goes to *outlen
 * (which may be NULL). */
char *url_decode(const char *s, size_t len, int strict, size_t *outlen);

#endif
