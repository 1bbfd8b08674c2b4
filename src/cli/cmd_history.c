/*
 * cmd_history: the 'history' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_history(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'history' is not implemented yet");
	return EXIT_ERROR;
}
