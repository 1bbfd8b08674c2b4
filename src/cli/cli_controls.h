/*
 * cli_controls: loading a control mapping (cfgaudit-controls(5)) for a
 * command -- 'pack check --controls', 'report --controls', 'audit
 * --controls', 'bundle --controls' -- with the identifiers a mapping may
 * name: the rule files the command searches and the managed-rule
 * catalogue shipped in DATADIR/packs/controls/managed-rules.txt.
 */
#ifndef CFGAUDIT_CLI_CONTROLS_H
#define CFGAUDIT_CLI_CONTROLS_H

#include "cli/cli_report.h"
#include "packs/controls.h"
#include "rules/rule.h"

/* DATADIR/packs/controls (caller frees). */
char *cli_controls_dir(void);

/* Load the mapping at path. rs: the rule directories the command searches
 * (NULL: the built-in DATADIR/rules). Prints the error and returns NULL
 * with *status EXIT_INVALID_RULE (a mapping error, with its file:line) or
 * EXIT_ERROR (the file cannot be read). */
struct controls *cli_controls_load(const char *path, const struct ruleset *rs, int *status);

/* As cli_controls_load with the built-in rules, and the rule identifiers
 * of run run_id of s (<= 0: the latest complete run) known too, so that a
 * report's mapping may name a rule the run had from --rules-dir. */
struct controls *cli_controls_load_for_run(const char *path, struct store *s, int64_t run_id,
					   int *status);

/* Before a command that evaluates and then reports (audit) does any work:
 * load r->controls_path into r->controls (checked against rs), or for
 * --by control without it make sure a shipped mapping names one of the
 * packs (pack_paths, as resolved). Returns 0, or -1 after printing the
 * error with *status 3 (a bad mapping) or 2 (unreadable, or no mapping
 * for --by control). */
int cli_controls_prepare(struct cli_report_opts *r, const struct ruleset *rs,
			 char *const *pack_paths, size_t n_packs, int *status);

#endif
