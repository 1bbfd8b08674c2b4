/*
 * cmd_rules: the 'rules' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_rules(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'rules' is not implemented yet");
	return EXIT_ERROR;
}
