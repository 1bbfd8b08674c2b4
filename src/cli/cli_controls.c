/*
 * cli_controls: control mappings for the commands (see cli_controls.h).
 */
#include "config.h"

#include "cli/cli_controls.h"

#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/strbuf.h"

char *cli_controls_dir(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/packs/controls", cli_data_dir());
	return strbuf_detach(&sb, NULL);
}

struct controls *cli_controls_load(const char *path, const struct ruleset *rs, int *status)
{
	struct controls_known known;
	struct ruleset builtin;
	struct strbuf sb = STRBUF_INIT;
	struct controls *c;
	struct diag d;
	char **ids;
	size_t n = 0;

	controls_known_init(&known);
	ruleset_init(&builtin);
	if (!rs) {
		strbuf_addf(&sb, "%s/rules", cli_data_dir());
		ruleset_add_dir(&builtin, sb.buf);
		rs = &builtin;
	}
	ids = ruleset_list(rs, &n);
	for (size_t i = 0; i < n; i++) {
		controls_known_add(&known, ids[i]);
		free(ids[i]);
	}
	free(ids);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/packs/controls/managed-rules.txt", cli_data_dir());
	/* Without the catalogue (an empty data directory), only rule files
	 * are known. */
	if (access(sb.buf, R_OK) == 0 && controls_known_add_file(&known, sb.buf, &d)) {
		diag_print(&d, "error");
		*status = EXIT_ERROR;
		c = NULL;
		goto out;
	}
	c = controls_load(path, &known, &d);
	if (!c) {
		diag_print(&d, "error");
		*status = d.line > 0 ? EXIT_INVALID_RULE : EXIT_ERROR;
	}
out:
	strbuf_release(&sb);
	ruleset_release(&builtin);
	controls_known_release(&known);
	return c;
}
