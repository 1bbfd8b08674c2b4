/*
 * cmd_verify: the 'verify' command -- checks an evidence bundle written by
 * 'cfgaudit bundle' (bundle_verify in src/bundle). Needs no database.
 */
#include "config.h"

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "cfgaudit verify [--key PUB.pem] FILE";

static void help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Check an evidence bundle: member names are safe and inside one top\n"
	       "directory, members are regular files, SHA256SUMS, run.json and\n"
	       "manifest/source-files.json are present, and every member matches its\n"
	       "SHA-256 in SHA256SUMS with nothing added or removed. With --key, the\n"
	       "bundle must also be signed: SHA256SUMS.sig must be the Ed25519 signature\n"
	       "of SHA256SUMS by PUB.pem, and signer.pub.pem must be that key. Without\n"
	       "--key a signed bundle's signature is checked only against the key it\n"
	       "carries itself, which shows no authorship.\n\n"
	       "Options:\n"
	       "  --key PUB.pem  the signer's trusted Ed25519 public key (PEM)\n"
	       "  --quiet        print nothing on success\n"
	       "  --help         this text\n\n"
	       "Exit status: 0 the bundle is intact (and, with --key, signed by PUB.pem),\n"
	       "2 it is not (the first problem is named), it or the key cannot be read,\n"
	       "or a usage error. See cfgaudit-verify(1).\n");
}

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "", 0 };

/* The only option of its own: --key. */
static int on_option(void *key_path, int c, const char *value)
{
	(void)c;
	*(const char **)key_path = value;
	return 0;
}

/* Say what was verified of file. */
static void print_verified(const char *file, const char *key_path,
			   const struct bundle_check *res)
{
	printf("%s: ok (%zu members verified)\n", file, res->members);
	switch (res->signature) {
	case BUNDLE_SIGNED_TRUSTED:
		printf("%s: signature ok: signed by '%s' (public key SHA-256 %s)\n", file,
		       key_path, res->fingerprint);
		break;
	case BUNDLE_SIGNED_UNTRUSTED:
		printf("%s: signed, but the signature was not checked against a trusted key"
		       " (it matches only the key inside the bundle, public key SHA-256 %s);"
		       " use --key PUB.pem\n",
		       file, res->fingerprint);
		break;
	case BUNDLE_UNSIGNED:
		break;
	}
}

int cmd_verify(int argc, char **argv, struct cli_ctx *ctx)
{
	struct bundle_check res;
	struct sign_key *key = NULL;
	const char *key_path = NULL;
	struct diag d;
	int rc = cli_parse_options(&command, argc, argv, ctx, on_option, &key_path);

	if (rc >= 0)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error(usage, "expected exactly one bundle file");
	diag_clear(&d);
	if (key_path) {
		key = sign_load_public(key_path, &d);
		if (!key) {
			diag_print(&d, "error");
			return EXIT_ERROR;
		}
	}
	rc = bundle_verify(argv[optind], key, key_path, &res, &d);
	sign_key_free(key);
	if (rc) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	if (!ctx->quiet)
		print_verified(argv[optind], key_path, &res);
	return cli_finish_stdout(EXIT_OK);
}
