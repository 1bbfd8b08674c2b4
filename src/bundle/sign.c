/*
 * sign: see sign.h. Every operation is libcrypto's EVP interface; this
 * file only reads key files, checks the key type and maps errors to
 * messages.
 */
#include "config.h"

#include "bundle/sign.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sign_key {
	EVP_PKEY *pkey;
	int private;
};

/* Refuse to ask for a passphrase: an encrypted key is an error. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* Read a whole key file (bounded) into sb. */
static int read_keyfile(const char *path, struct strbuf *sb, struct diag *d)
{
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t n;

	if (!f)
		return diag_set(d, path, 0, "cannot read the key: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (sb->len + n > SIGN_KEYFILE_MAX) {
			fclose(f);
			return diag_set(d, path, 0, "the key file is larger than %d bytes",
					SIGN_KEYFILE_MAX);
		}
		strbuf_add(sb, buf, n);
	}
	if (ferror(f)) {
		fclose(f);
		return diag_set(d, path, 0, "cannot read the key: %s", strerror(errno));
	}
	fclose(f);
	return 0;
}

static const char *key_type_name(const EVP_PKEY *p)
{
	const char *sn;

	switch (EVP_PKEY_base_id(p)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		return "RSA";
	case EVP_PKEY_EC:
		return "EC";
	case EVP_PKEY_DSA:
		return "DSA";
	case EVP_PKEY_ED448:
		return "Ed448";
	case EVP_PKEY_X25519:
		return "X25519";
	default:
		sn = OBJ_nid2sn(EVP_PKEY_base_id(p));
		return sn ? sn : "unknown";
	}
}

static struct sign_key *wrap(EVP_PKEY *p, int private, const char *what, struct diag *d)
{
	struct sign_key *k;

	if (EVP_PKEY_base_id(p) != EVP_PKEY_ED25519) {
		diag_set(d, what, 0, "the key is of type %s, not an Ed25519 %s key",
			 key_type_name(p), private ? "private" : "public");
		EVP_PKEY_free(p);
		return NULL;
	}
	k = xmalloc(sizeof(*k));
	k->pkey = p;
	k->private = private;
	return k;
}

struct sign_key *sign_load_private(const char *path, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	EVP_PKEY *p = NULL;
	BIO *bio;

	if (read_keyfile(path, &sb, d)) {
		strbuf_release(&sb);
		return NULL;
	}
	if (strstr(sb.buf, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
	    strstr(sb.buf, "Proc-Type: 4,ENCRYPTED")) {
		strbuf_release(&sb);
		diag_set(d, path, 0,
			 "the private key is encrypted; give an unencrypted Ed25519 key "
			 "(cfgaudit never asks for a passphrase)");
		return NULL;
	}
	bio = BIO_new_mem_buf(sb.buf, (int)sb.len);
	if (bio)
		p = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!p) {
		const char *hint = strstr(sb.buf, "-----BEGIN PUBLIC KEY-----")
				       ? " (it holds a public key; --sign needs the private key)"
				       : "";

		strbuf_release(&sb);
		diag_set(d, path, 0, "not a PEM private key%s", hint);
		return NULL;
	}
	strbuf_release(&sb);
	return wrap(p, 1, path, d);
}

struct sign_key *sign_parse_public(const char *pem, size_t len, const char *what, struct diag *d)
{
	EVP_PKEY *p = NULL;
	BIO *bio;

	if (len > SIGN_KEYFILE_MAX) {
		diag_set(d, what, 0, "the public key is larger than %d bytes", SIGN_KEYFILE_MAX);
		return NULL;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio)
		p = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!p) {
		const char *hint = strstr(pem, "PRIVATE KEY-----")
				       ? " (it holds a private key; give the public key, as "
					 "'openssl pkey -in KEY.pem -pubout' writes it)"
				       : "";

		diag_set(d, what, 0, "not a PEM public key%s", hint);
		return NULL;
	}
	return wrap(p, 0, what, d);
}

struct sign_key *sign_load_public(const char *path, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct sign_key *k;

	if (read_keyfile(path, &sb, d)) {
		strbuf_release(&sb);
		return NULL;
	}
	k = sign_parse_public(sb.buf, sb.len, path, d);
	strbuf_release(&sb);
	return k;
}

void sign_key_free(struct sign_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

char *sign_public_pem(const struct sign_key *k, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *mem = NULL, *out;
	long n;

	if (!bio || PEM_write_bio_PUBKEY(bio, k->pkey) != 1)
		abort(); /* out of memory */
	n = BIO_get_mem_data(bio, &mem);
	if (n <= 0 || !mem)
		abort();
	out = xmalloc((size_t)n + 1);
	memcpy(out, mem, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	BIO_free(bio);
	return out;
}

void sign_fingerprint(const struct sign_key *k, char *hex65)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k->pkey, &der);

	if (n <= 0)
		abort();
	sha256_hex(der, (size_t)n, hex65);
	OPENSSL_free(der);
}

int sign_same_public(const struct sign_key *a, const struct sign_key *b)
{
	unsigned char ra[64], rb[64];
	size_t na = sizeof(ra), nb = sizeof(rb);

	if (EVP_PKEY_get_raw_public_key(a->pkey, ra, &na) != 1 ||
	    EVP_PKEY_get_raw_public_key(b->pkey, rb, &nb) != 1) {
		ERR_clear_error();
		return 0;
	}
	return na == nb && !memcmp(ra, rb, na);
}

int sign_data(const struct sign_key *k, const void *data, size_t len,
	      unsigned char sig[SIGN_SIG_LEN], struct diag *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = SIGN_SIG_LEN;
	int ok;

	if (!k->private)
		return diag_set(d, NULL, 0, "cannot sign with a public key");
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	     EVP_DigestSign(ctx, sig, &n, data, len) == 1 && n == SIGN_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : diag_set(d, NULL, 0, "cannot compute the signature");
}

int sign_check(const struct sign_key *k, const void *data, size_t len, const unsigned char *sig,
	       size_t siglen)
{
	EVP_MD_CTX *ctx;
	int ok;

	if (siglen != SIGN_SIG_LEN)
		return 0;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}
