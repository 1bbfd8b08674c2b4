/*
 * bundle: evidence bundles. One archive (.tar.gz, or .zip) that holds,
 * under the top directory cfgaudit-run-<ID>/:
 *
 *   SHA256SUMS                  sha256sum(1) lines for every other member
 *   items/items.jsonl           every configuration item behind a verdict
 *   manifest/source-files.json  every ingested source file with its SHA-256
 *   packs/<name>.yaml           the pack files the run used
 *   reports/report.{csv,html,json}
 *   rules/<ID>.sql              the rule files the run used
 *   run.json                    run provenance: times, version, filters, rules
 *
 * The same run bundled twice gives identical bytes (sorted members, fixed
 * times, owners and modes, gzip header without time or name). Verifying
 * recomputes every digest and fails on any change. Format: cfgaudit-bundle(1).
 */
#ifndef CFGAUDIT_BUNDLE_H
#define CFGAUDIT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* Write the bundle of run run_id (<= 0: the latest complete run) to path,
 * atomically; a path ending in ".zip" gives a zip archive, anything else
 * a gzip-compressed tar. On success *members is the number of members.
 * Returns 0 or -1 with d filled (path is then unchanged). */
int bundle_write(struct store *s, int64_t run_id, const char *path, size_t *members,
		 struct diag *d);

/* Verify the bundle at path: safe member names (one top directory, no
 * "..", no absolute paths), regular files only, no duplicates, SHA256SUMS,
 * run.json and manifest/source-files.json present, every member listed in
 * SHA256SUMS with a matching digest and every listed member present.
 * Returns 0 with *members set, or -1 with d naming the first bad member. */
int bundle_verify(const char *path, size_t *members, struct diag *d);

#endif
