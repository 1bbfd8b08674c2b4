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

int cmd_bundle(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"run", required_argument, NULL, 'r'},
	    {"output", required_argument, NULL, 'o'},
	    {"sign", required_argument, NULL, 's'},
	    {"controls", required_argument, NULL, 'c'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *output = NULL, *key_path = NULL, *controls_path = NULL;
	struct controls *controls = NULL;
	struct sign_key *key = NULL;
	struct store *s;
	struct diag d;
	size_t members = 0;
	long run = 0;
	int c, status;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (cli_parse_int("--run", optarg, 1, LONG_MAX, &run))
				return EXIT_ERROR;
			break;
		case 'o':
			output = optarg;
			break;
		case 's':
			key_path = optarg;
			break;
		case 'c':
			controls_path = optarg;
			break;
		case 'q':
			ctx->quiet = 1;
			break;
		case 'h':
			help();
			return cli_finish_stdout(EXIT_OK);
		case ':':
			return cli_usage_error(usage, "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!output)
		return cli_usage_error(usage, "-o FILE is required");

	diag_clear(&d);
	/* The key first: a bad key writes nothing and reads no database. */
	if (key_path) {
		key = sign_load_private(key_path, &d);
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
	/* The mapping before anything is written, knowing the run's rules
	 * (a bad one exits 3, as in report) */
	if (controls_path && !(controls = cli_controls_load_for_run(controls_path, s, run, &status))) {
		store_close(s);
		sign_key_free(key);
		return status;
	}
	{
		/* controls/index.json uses --controls, else the shipped mapping
		 * that names the pack */
		char *dir = cli_controls_dir();

		report_controls_set_dir(dir);
		report_controls_set_mapping(controls);
		free(dir);
	}
	if (bundle_write(s, run, output, key, &members, &d) == 0) {
		if (!ctx->quiet) {
			fprintf(stderr, "cfgaudit: wrote '%s' (%zu members)\n", output, members);
			if (key) {
				char fp[65];

				sign_fingerprint(key, fp);
				fprintf(stderr,
					"cfgaudit: signed with the Ed25519 key whose public key has "
					"SHA-256 %s\n",
					fp);
			}
		}
		status = EXIT_OK;
	} else {
		diag_print(&d, "error");
		status = EXIT_ERROR;
	}
	store_close(s);
	sign_key_free(key);
	report_controls_set_mapping(NULL);
	controls_free(controls);
	return status;
}
