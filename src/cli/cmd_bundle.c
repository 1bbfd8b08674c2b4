/*
 * cmd_bundle: the 'bundle' command. Parses the options and hands them to
 * bundle_write (src/bundle), which writes the archive atomically.
 */
#include "config.h"

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "cli/cli_controls.h"
#include "report/report.h"
#include "util/diag.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "cfgaudit bundle [--run ID] [--sign KEY.pem] [--controls FILE] -o FILE";

static void help(void)
{
	printf("usage: %s\n\n", usage);
	printf("Write the evidence bundle of a run (default: the latest complete run):\n"
	       "its reports, the configuration items behind every verdict, the rule and\n"
	       "pack files, a manifest of every ingested source file and a SHA-256 of\n"
	       "every member. FILE ending in .zip gives a zip archive, anything else a\n"
	       "gzip-compressed tar. The same run always gives the same bytes.\n\n"
	       "Options:\n"
	       "  --run ID           the run to bundle\n"
	       "  -o, --output FILE  the archive to write (replaced atomically)\n"
	       "  --sign KEY.pem     sign SHA256SUMS with this unencrypted Ed25519 private\n"
	       "                     key (openssl genpkey -algorithm ed25519): adds\n"
	       "                     SHA256SUMS.sig and the public key signer.pub.pem\n"
	       "  --controls FILE    index the evidence by the controls of this mapping\n"
	       "                     (cfgaudit-controls(5); default: the shipped one that\n"
	       "                     names the run's pack); the file goes into the bundle\n"
	       "  --help             this text\n\n"
	       "Check a bundle with 'cfgaudit verify [--key PUB.pem] FILE'.\n"
	       "See cfgaudit-bundle(1).\n");
}

static const struct option longopts[] = {
	{ "run", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "sign", required_argument, NULL, 's' },
	{ "controls", required_argument, NULL, 'c' },
	CLI_COMMON_LONG_OPTIONS,
};

static const struct cli_command command = { usage, help, longopts, "o:", 1 };

struct bundle_args {
	const char *output, *key_path, *controls_path; /* -o, --sign, --controls */
	long run;                                      /* --run, or 0 */
};

static int on_option(void *arg, int c, const char *value)
{
	struct bundle_args *a = arg;

	if (c == 'r')
		return cli_parse_int("--run", value, 1, LONG_MAX, &a->run) ? EXIT_ERROR : 0;
	if (c == 'o')
		a->output = value;
	else if (c == 'c')
		a->controls_path = value;
	else /* 's' */
		a->key_path = value;
	return 0;
}

/* Write the bundle and say so. Returns the exit status. */
static int write_bundle(struct store *s, const struct bundle_args *a, struct sign_key *key,
			int quiet)
{
	struct diag d;
	size_t members = 0;

	diag_clear(&d);
	if (bundle_write(s, a->run, a->output, key, &members, &d)) {
		diag_print(&d, "error");
		return EXIT_ERROR;
	}
	if (!quiet) {
		fprintf(stderr, "cfgaudit: wrote '%s' (%zu members)\n", a->output, members);
		if (key) {
			char fp[65];

			sign_fingerprint(key, fp);
			fprintf(stderr,
				"cfgaudit: signed with the Ed25519 key whose public key has "
				"SHA-256 %s\n",
				fp);
		}
	}
	return EXIT_OK;
}

/* The mapping (--controls, knowing the run's rules; a bad one exits 3,
 * as in report) and the bundle. Returns the exit status. */
static int bundle_with_controls(struct store *s, const struct bundle_args *a,
				struct sign_key *key, int quiet)
{
	struct controls *controls = NULL;
	int status;

	if (a->controls_path &&
	    !(controls = cli_controls_load_for_run(a->controls_path, s, a->run, &status)))
		return status;
	{
		/* controls/index.json uses --controls, else the shipped mapping
		 * that names the pack */
		char *dir = cli_controls_dir();

		report_controls_set_dir(dir);
		report_controls_set_mapping(controls);
		free(dir);
	}
	status = write_bundle(s, a, key, quiet);
	report_controls_set_mapping(NULL);
	controls_free(controls);
	return status;
}

int cmd_bundle(int argc, char **argv, struct cli_ctx *ctx)
{
	struct bundle_args a = { NULL, NULL, NULL, 0 };
	struct sign_key *key = NULL;
	struct store *s;
	struct diag d;
	int status = cli_parse_options(&command, argc, argv, ctx, on_option, &a);

	if (status >= 0)
		return status;
	if (!a.output)
		return cli_usage_error(usage, "-o FILE is required");

	diag_clear(&d);
	/* The key first: a bad key writes nothing and reads no database. */
	if (a.key_path) {
		key = sign_load_private(a.key_path, &d);
		if (!key) {
			diag_print(&d, "error");
			return EXIT_ERROR;
		}
	}
	s = cli_open_store(ctx, STORE_READ_ONLY);
	if (!s) {
		sign_key_free(key);
		return EXIT_ERROR;
	}
	status = bundle_with_controls(s, &a, key, ctx->quiet);
	store_close(s);
	sign_key_free(key);
	return status;
}
