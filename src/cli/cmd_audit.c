/*
 * cmd_audit: the 'audit' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'audit' is not implemented yet");
	return EXIT_ERROR;
}
