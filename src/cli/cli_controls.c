/*
 * cli_controls: control mappings for the commands (see cli_controls.h).
 */
#include "config.h"

#include "cli/cli_controls.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "store/run.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

char *cli_controls_dir(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/packs/controls", cli_data_dir());
	return strbuf_detach(&sb, NULL);
}

/* Load the mapping at path with known (filled by the caller) plus the
 * identifiers of rs (NULL: the built-in rules) and the catalogue. */
static struct controls *load_known(const char *path, const struct ruleset *rs,
				   struct controls_known *known, int *status)
{
	struct ruleset builtin;
	struct strbuf sb = STRBUF_INIT;
	struct controls *c;
	struct diag d;
	char **ids;
	size_t n = 0;

	ruleset_init(&builtin);
	if (!rs) {
		strbuf_addf(&sb, "%s/rules", cli_data_dir());
		ruleset_add_dir(&builtin, sb.buf);
		rs = &builtin;
	}
	ids = ruleset_list(rs, &n);
	for (size_t i = 0; i < n; i++) {
		controls_known_add(known, ids[i]);
		free(ids[i]);
	}
	free(ids);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/packs/controls/managed-rules.txt", cli_data_dir());
	/* Without the catalogue (an empty data directory), only rule files
	 * are known. */
	if (access(sb.buf, R_OK) == 0 && controls_known_add_file(known, sb.buf, &d)) {
		diag_print(&d, "error");
		*status = EXIT_ERROR;
		c = NULL;
		goto out;
	}
	c = controls_load(path, known, &d);
	if (!c) {
		diag_print(&d, "error");
		*status = d.line > 0 ? EXIT_INVALID_RULE : EXIT_ERROR;
	}
out:
	strbuf_release(&sb);
	ruleset_release(&builtin);
	return c;
}

struct controls *cli_controls_load(const char *path, const struct ruleset *rs, int *status)
{
	struct controls_known known;
	struct controls *c;

	controls_known_init(&known);
	c = load_known(path, rs, &known, status);
	controls_known_release(&known);
	return c;
}

static void take_identifier(const struct run_rule_record *r, void *arg)
{
	if (r->identifier && *r->identifier)
		controls_known_add(arg, r->identifier);
}

struct controls *cli_controls_load_for_run(const char *path, struct store *s, int64_t run_id,
					   int *status)
{
	struct controls_known known;
	struct controls *c = NULL;
	struct diag d;

	controls_known_init(&known);
	diag_clear(&d);
	if (run_id <= 0)
		run_id = report_latest_run(s, &d);
	if (run_id < 0 || (run_id > 0 && run_rules_each(s, run_id, take_identifier, &known, &d))) {
		diag_print(&d, "error");
		*status = EXIT_ERROR;
	} else {
		c = load_known(path, NULL, &known, status);
	}
	controls_known_release(&known);
	return c;
}

/* The pack name of a pack path: its file name without .yaml/.yml
 * (caller frees). */
static char *pack_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name = xstrdup(base ? base + 1 : path);
	size_t n = strlen(name);

	if (n > 5 && !strcmp(name + n - 5, ".yaml"))
		name[n - 5] = '\0';
	else if (n > 4 && !strcmp(name + n - 4, ".yml"))
		name[n - 4] = '\0';
	return name;
}

int cli_controls_prepare(struct cli_report_opts *r, const struct ruleset *rs,
			 char *const *pack_paths, size_t n_packs, int *status)
{
	char *dir, *found = NULL;

	if (r->controls_path) {
		if (!r->controls)
			r->controls = cli_controls_load(r->controls_path, rs, status);
		return r->controls ? 0 : -1;
	}
	if (r->o.group_by != REPORT_BY_CONTROL)
		return 0;
	dir = cli_controls_dir();
	for (size_t i = 0; i < n_packs && !found; i++) {
		char *name = pack_name(pack_paths[i]);

		found = controls_find_for_pack(dir, name);
		free(name);
	}
	free(dir);
	if (found) {
		free(found);
		return 0;
	}
	if (!n_packs) {
		error_msg("--by control: a run of --rule only has no pack that a shipped control "
			  "mapping could name (give --controls FILE)");
	} else {
		char *name = pack_name(pack_paths[0]);

		error_msg("--by control: no shipped control mapping names the pack '%s'%s (give "
			  "--controls FILE)",
			  name, n_packs > 1 ? " nor the other packs" : "");
		free(name);
	}
	*status = EXIT_ERROR;
	return -1;
}
