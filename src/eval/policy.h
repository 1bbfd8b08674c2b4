/*
 * policy: IAM policy documents (identity and resource policies) as the
 * policy_* SQL helpers see them, private to the eval module. Semantics,
 * and the choices AWS leaves open, are documented in cfgaudit-rules(5).
 */
#ifndef CFGAUDIT_EVAL_POLICY_H
#define CFGAUDIT_EVAL_POLICY_H

#include <jansson.h>
#include <stddef.h>

/* Percent-decode len bytes of s ("%7B" -> "{"; '+' stays '+'; a '%' not
 * followed by two hex digits is kept as is). Returns a NUL-terminated
 * malloc'd copy (the caller frees it) and its length in *outlen. */
char *policy_url_decode(const char *s, size_t len, size_t *outlen);

#endif
