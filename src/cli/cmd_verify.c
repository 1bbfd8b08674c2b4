/*
 * cmd_verify: the 'verify' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_verify(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'verify' is not implemented yet");
	return EXIT_ERROR;
}
