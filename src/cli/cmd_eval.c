/*
 * cmd_eval: the 'eval' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_eval(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'eval' is not implemented yet");
	return EXIT_ERROR;
}
