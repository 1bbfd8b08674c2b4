/*
 * sha256: see sha256.h.
 */
#include "util/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct sha256_ctx {
	EVP_MD_CTX *md; /* libcrypto digest state */
};

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
/* The digest fetched from its provider once: EVP_sha256() makes every
 * EVP_DigestInit_ex fetch it again (~50k instructions a call, as much as
 * hashing a rule file). Kept for the life of the process. */
static EVP_MD *fetched;
static pthread_once_t fetched_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *sha256_md(void)
{
	pthread_once(&fetched_once, fetch_sha256);
	return fetched ? fetched : EVP_sha256();
}
#else
const EVP_MD *sha256_md(void)
{
	return EVP_sha256();
}
#endif

struct sha256_ctx *sha256_new(void)
{
	struct sha256_ctx *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	c->md = EVP_MD_CTX_new();
	if (!c->md || EVP_DigestInit_ex(c->md, sha256_md(), NULL) != 1) {
		EVP_MD_CTX_free(c->md);
		free(c);
		return NULL;
	}
	return c;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	EVP_DigestUpdate(c->md, data, len);
}

void sha256_finish_raw(struct sha256_ctx *c, unsigned char *out32)
{
	unsigned int n = 32;

	EVP_DigestFinal_ex(c->md, out32, &n);
	EVP_MD_CTX_free(c->md);
	free(c);
}

void sha256_finish(struct sha256_ctx *c, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[32];

	sha256_finish_raw(c, raw);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[64] = '\0';
}

void sha256_hex(const void *data, size_t len, char *hex)
{
	struct sha256_ctx *c = sha256_new();

	if (!c) {
		hex[0] = '\0';
		return;
	}
	sha256_update(c, data, len);
	sha256_finish(c, hex);
}

int sha256_file(const char *path, char *hex, long long *size, struct diag *d)
{
	unsigned char buf[1 << 16];
	struct sha256_ctx *c;
	long long total = 0;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return diag_set(d, path, 0, "cannot open: %s", strerror(errno));
	c = sha256_new();
	if (!c) {
		fclose(f);
		return diag_set(d, path, 0, "libcrypto cannot compute sha-256");
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sha256_update(c, buf, n);
		total += (long long)n;
	}
	if (ferror(f)) {
		int err = errno;

		fclose(f);
		sha256_finish(c, hex);
		return diag_set(d, path, 0, "read error: %s", strerror(err));
	}
	fclose(f);
	sha256_finish(c, hex);
	if (size)
		*size = total;
	return 0;
}
