/*
 * cmd_report: the 'report' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'report' is not implemented yet");
	return EXIT_ERROR;
}
