/*
 * sha256: SHA-256 through OpenSSL's libcrypto (EVP), as hex text.
 */
#ifndef CFGAUDIT_SHA256_H
#define CFGAUDIT_SHA256_H

#include <stddef.h>

#include "util/diag.h"

#define SHA256_HEX_LEN 65 /* 64 hex digits and NUL */

struct sha256_ctx; /* opaque */

/* Incremental use. sha256_new returns NULL only if libcrypto fails. */
struct sha256_ctx *sha256_new(void);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Write the hex digest into hex and free c. */
void sha256_finish(struct sha256_ctx *c, char *hex);
/* Raw 32-byte digest and free c. */
void sha256_finish_raw(struct sha256_ctx *c, unsigned char *out32);

void sha256_hex(const void *data, size_t len, char *hex);

/* libcrypto's SHA-256 (an EVP_MD), fetched from its provider once for
 * the process, for callers that drive EVP themselves (ingest's item
 * encoder). Never NULL; not to be freed. */
struct evp_md_st;
const struct evp_md_st *sha256_md(void);

/* Digest a whole file. Returns 0, or -1 with d filled (d may be NULL). */
int sha256_file(const char *path, char *hex, long long *size, struct diag *d);

#endif
