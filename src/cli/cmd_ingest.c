/*
 * cmd_ingest: the 'ingest' command (not implemented yet).
 */
#include "cli/cli.h"
#include "util/diag.h"

int cmd_ingest(int argc, char **argv, struct cli_ctx *ctx)
{
	error_msg("'ingest' is not implemented yet");
	return EXIT_ERROR;
}
