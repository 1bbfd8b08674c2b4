/*
 * cmd_bundle: the 'bundle' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_bundle(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'bundle' is not implemented yet");
	return EXIT_ERROR;
}
