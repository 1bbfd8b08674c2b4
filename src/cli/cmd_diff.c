/*
 * cmd_diff: the 'diff' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_diff(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'diff' is not implemented yet");
	return EXIT_ERROR;
}
