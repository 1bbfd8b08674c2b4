/*
 * cmd_resources: the 'resources' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_resources(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'resources' is not implemented yet");
	return EXIT_ERROR;
}
