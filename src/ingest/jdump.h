/*
 * jdump: compact JSON text of a jansson value, fast.
 *
 * jdump(v, sb) appends exactly the bytes that
 *   json_dump_callback(v, ..., JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)
 * produces (the ingest writer's JSON columns), without jansson's one
 * callback per token: strings are copied in runs, integers are formatted
 * by hand. Reals, which are rare in configuration items, are formatted by
 * jansson itself so their text cannot differ.
 *
 * Internal to src/ingest.
 */
#ifndef CFGAUDIT_JDUMP_H
#define CFGAUDIT_JDUMP_H

#include <jansson.h>

#include "util/strbuf.h"

/* Append the compact JSON text of v (any value) to sb. */
void jdump(const json_t *v, struct strbuf *sb);

#endif
