/*
 * cmd_pack: the 'pack' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_pack(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'pack' is not implemented yet");
	return EXIT_ERROR;
}
