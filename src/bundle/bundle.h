/*
 * bundle: evidence bundles. One archive (.tar.gz, or .zip) that holds,
 * under the top directory cfgaudit-run-<ID>/:
 *
 *   SHA256SUMS                  sha256sum(1) lines for every other member
 *   compare.json                (AWS verdicts held) cfgaudit compare's JSON
 *   controls/index.json         (bundle --controls, or a shipped mapping names
 *                               the pack) per control
 *   controls/mapping.yaml       (with the index) the control mapping it used
 *   evidence.json               (evidence held) the evidence the run could use
 *   items/items.jsonl           every configuration item behind a verdict
 *   manifest/source-files.json  every ingested source file with its SHA-256
 *   packs/<name>.yaml           the pack files the run used
 *   reports/report.{csv,html,json}
 *   rules/<ID>.sql              the rule files the run used
 *   run.json                    run provenance: times, version, filters, rules
 *   waivers.yaml                (--waivers) the waivers file the run used
 *   signer.pub.pem              (signed bundles) the signer's Ed25519 public key
 *   SHA256SUMS.sig              (signed bundles) Ed25519 signature of SHA256SUMS
 *
 * The same run bundled twice gives identical bytes (sorted members, fixed
 * times, owners and modes, gzip header without time or name). Verifying
 * recomputes every digest and fails on any change. Format: cfgaudit-bundle(1).
 */
#ifndef CFGAUDIT_BUNDLE_H
#define CFGAUDIT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "bundle/sign.h"
#include "store/store.h"
#include "util/diag.h"

/* Write the bundle of run run_id (<= 0: the latest complete run) to path,
 * atomically; a path ending in ".zip" gives a zip archive, anything else
 * a gzip-compressed tar. With key (an Ed25519 private key, or NULL) the
 * bundle is signed: it gets signer.pub.pem and SHA256SUMS.sig. On success
 * *members is the number of members. Returns 0 or -1 with d filled (path
 * is then unchanged). */
int bundle_write(struct store *s, int64_t run_id, const char *path, const struct sign_key *key,
		 size_t *members, struct diag *d);

enum bundle_signature {
	BUNDLE_UNSIGNED,	 /* no signature members */
	BUNDLE_SIGNED_UNTRUSTED, /* signature matches the embedded key only */
	BUNDLE_SIGNED_TRUSTED,	 /* signature verified with the caller's key */
};

struct bundle_check {
	size_t members;
	enum bundle_signature signature;
	char fingerprint[65]; /* signed: SHA-256 of the embedded key's DER */
};

/* Verify the bundle at path: safe member names (one top directory, no
 * "..", no absolute paths), regular files only, no duplicates, SHA256SUMS,
 * run.json and manifest/source-files.json present, every member but
 * SHA256SUMS.sig listed in SHA256SUMS with a matching digest and every
 * listed member present. Then the signature: with trusted (a public key,
 * named trusted_name in messages) the bundle must be signed, the signature
 * must verify with trusted and signer.pub.pem must be trusted; without it,
 * a signed bundle's signature must verify with its own signer.pub.pem.
 * Returns 0 with *res filled, or -1 with d naming the first problem. */
int bundle_verify(const char *path, const struct sign_key *trusted, const char *trusted_name,
		  struct bundle_check *res, struct diag *d);

#endif
