/*
 * report: renders a stored evaluation run. One interface, five back ends
 * (text, json, csv, html, junit); formats in cfgaudit-report(5).
 */
#ifndef CFGAUDIT_REPORT_H
#define CFGAUDIT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "util/diag.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_HTML, REPORT_JUNIT };
enum report_group { REPORT_BY_ACCOUNT, REPORT_BY_REGION, REPORT_BY_RULE, REPORT_BY_RESOURCE,
		    REPORT_BY_CONTROL, REPORT_BY_OU };

struct controls; /* a control mapping, packs/controls.h */
struct strbuf;

struct report_options {
	int64_t run_id;               /* the run; <= 0 = the latest complete run */
	enum report_format format;
	enum report_group group_by;   /* for text and csv ordering */
	const char **accounts;        /* selection (NULL/0 = all) */
	size_t n_accounts;
	const char **regions;
	size_t n_regions;
	const char **compliance;      /* e.g. NON_COMPLIANT (NULL/0 = all) */
	size_t n_compliance;
	const struct controls *controls; /* --controls mapping (borrowed), or NULL */
	const char *controls_dir;        /* shipped mappings, for --by control without
					  * --controls (NULL: none) */
};

/* Parse "text", "json", ... Returns 0 or -1. */
int report_parse_format(const char *s, enum report_format *out);
int report_parse_group(const char *s, enum report_group *out);

/* The id of the latest complete run without errors (store/run_errors.h),
 * 0 if there is none, -1 on error. */
int64_t report_latest_run(struct store *s, struct diag *d);

/* Bits of report_render's *noncompliant. */
#define REPORT_NONCOMPLIANT 1 /* the rendered selection has NON_COMPLIANT results */
#define REPORT_INCOMPLETE 2   /* the run has errors: it could not evaluate all it was asked */

/* Render to out. Sets *noncompliant to the REPORT_* bits that hold
 * (0 when none). Returns 0 or -1 with d filled. */
int report_render(struct store *s, const struct report_options *o, FILE *out,
		  int *noncompliant, struct diag *d);

/* The evidence bundle's per-control index (report_controls.c): for each
 * control of the mapping (the one report_controls_set_mapping gave, else
 * the shipped one that names the run's pack), its status, rules, verdicts,
 * waivers, the item keys of items/items.jsonl and the source files behind
 * them, as JSON to out; the mapping file's bytes go to mapping (the
 * bundle's controls/mapping.yaml). *written is 0 (out and mapping
 * untouched) when there is no mapping. Returns 0 or -1. */
int report_controls_index(struct store *s, int64_t run_id, FILE *out, struct strbuf *mapping,
			  int *written, struct diag *d);
/* The directory of shipped mappings that report_controls_index reads
 * (DATADIR/packs/controls; copied). */
void report_controls_set_dir(const char *dir);
/* The mapping report_controls_index uses (bundle --controls; borrowed
 * until reset with NULL), instead of a shipped one. */
void report_controls_set_mapping(const struct controls *c);

#endif
