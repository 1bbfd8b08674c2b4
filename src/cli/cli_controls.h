/*
 * cli_controls: loading a control mapping (cfgaudit-controls(5)) for a
 * command -- 'pack check --controls', 'report --controls', 'audit
 * --controls' -- with the identifiers a mapping may name: the rule files
 * the command searches and the managed-rule catalogue shipped in
 * DATADIR/packs/controls/managed-rules.txt.
 */
#ifndef CFGAUDIT_CLI_CONTROLS_H
#define CFGAUDIT_CLI_CONTROLS_H

#include "packs/controls.h"
#include "rules/rule.h"

/* DATADIR/packs/controls (caller frees). */
char *cli_controls_dir(void);

/* Load the mapping at path. rs: the rule directories the command searches
 * (NULL: the built-in DATADIR/rules). Prints the error and returns NULL
 * with *status EXIT_INVALID_RULE (a mapping error, with its file:line) or
 * EXIT_ERROR (the file cannot be read). */
struct controls *cli_controls_load(const char *path, const struct ruleset *rs, int *status);

#endif
