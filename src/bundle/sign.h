/*
 * sign: Ed25519 keys and signatures for evidence bundles, through OpenSSL's
 * libcrypto (no cryptography of our own). Keys are PEM files as
 * `openssl genpkey -algorithm ed25519` (private, PKCS#8) and
 * `openssl pkey -pubout` (public, SubjectPublicKeyInfo) write them.
 * Ed25519 signatures are deterministic: the same key and message always
 * give the same 64 bytes, so signed bundles stay reproducible.
 */
#ifndef CFGAUDIT_BUNDLE_SIGN_H
#define CFGAUDIT_BUNDLE_SIGN_H

#include <stddef.h>

#include "util/diag.h"

#define SIGN_SIG_LEN 64	       /* bytes of an Ed25519 signature */
#define SIGN_KEYFILE_MAX 65536 /* largest key file read */

struct sign_key; /* opaque: an Ed25519 key, private or public only */

/* Load an unencrypted Ed25519 private key from a PEM file. Never prompts
 * for a passphrase. Returns the key, or NULL with d saying why (unreadable,
 * not PEM, encrypted, another algorithm). */
struct sign_key *sign_load_private(const char *path, struct diag *d);

/* Load an Ed25519 public key from a PEM file (path is named in errors). */
struct sign_key *sign_load_public(const char *path, struct diag *d);

/* Parse an Ed25519 public key from PEM text (len bytes, NUL-terminated);
 * what names it in errors. */
struct sign_key *sign_parse_public(const char *pem, size_t len, const char *what, struct diag *d);

void sign_key_free(struct sign_key *k);

/* The public half as PEM text (malloc'd, *len bytes, NUL-terminated). */
char *sign_public_pem(const struct sign_key *k, size_t *len);

/* SHA-256 (hex) of the public key's DER encoding: what
 * `openssl pkey -pubin -in PUB.pem -outform DER | sha256sum` prints. */
void sign_fingerprint(const struct sign_key *k, char *hex65);

/* Do both keys have the same public half? */
int sign_same_public(const struct sign_key *a, const struct sign_key *b);

/* Sign len bytes of data with a private key into sig. Returns 0 or -1. */
int sign_data(const struct sign_key *k, const void *data, size_t len,
	      unsigned char sig[SIGN_SIG_LEN], struct diag *d);

/* 1 if sig (siglen bytes) is k's signature of data, else 0. */
int sign_check(const struct sign_key *k, const void *data, size_t len, const unsigned char *sig,
	       size_t siglen);

#endif
