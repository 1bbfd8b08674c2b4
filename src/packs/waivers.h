/*
 * waivers: accepted exceptions to rules (cfgaudit-waivers(5)). A YAML
 * file whose top level is a list of entries -- rule, account, resource
 * (id or ARN, glob), reason, approved_by, expires (a date) -- given to
 * eval and audit with --waivers. A NON_COMPLIANT result that an
 * unexpired entry matches keeps its verdict but is waived: counted apart
 * and not making the exit status 1.
 *
 * The run records the file (path, SHA-256, content), every entry with its
 * status (active, expired, unused) and how many results it matched, and
 * which results each waived: waivers_store_run decides them inside the
 * run's transaction and writes them through store/waivers.h, from which
 * reports and bundles read them back (waivers_read_run).
 */
#ifndef CFGAUDIT_WAIVERS_H
#define CFGAUDIT_WAIVERS_H

#include <stddef.h>
#include <stdint.h>

#include "rules/rule.h"
#include "store/store.h"
#include "store/waivers.h"
#include "util/diag.h"

/* One entry of the file. Strings are owned by the set. */
struct waiver {
	char *rule;	   /* rule identifier or managed-rule name */
	char *account;	   /* 12-digit account id, or "*" */
	char *resource;	   /* resource id or ARN; glob (fnmatch) */
	char *reason;
	char *approved_by;
	char *expires;	   /* YYYY-MM-DD: waived through the end of that day (UTC) */
	int64_t expires_ms; /* the first millisecond after that day */
	long line;	   /* of the entry in the file */
};

struct waivers {
	char *path;	   /* as given */
	char *text;	   /* the file's bytes (NUL-terminated) */
	size_t len;
	char sha256[65];   /* hex digest of the bytes */
	struct waiver *v;
	size_t n;
};

/* Read and check a waivers file: valid YAML, a list of mappings with
 * exactly the six keys, each non-empty, a 12-digit account or "*", a real
 * date. Returns the set (free with waivers_free) or NULL with d filled
 * (path and line). */
struct waivers *waivers_load(const char *path, struct diag *d);
void waivers_free(struct waivers *w);

/* Every entry's rule must name a rule of rs, by identifier or managed
 * name. Returns 0 or -1 with d filled (the entry's line). */
int waivers_check_rules(const struct waivers *w, const struct ruleset *rs, struct diag *d);

/* A rule of the run, as waivers match it. Strings borrowed. */
struct waiver_rule {
	int rule_no;		/* run_rules.rule_no */
	const char *identifier;	/* SourceIdentifier, or NULL */
	const char *name;	/* managed-rule name, or NULL */
	const char *config_rule_name;
};

/* Record w with run run_id (inside the caller's transaction, after the
 * results): match every NON_COMPLIANT result of the rules against the
 * entries (an entry expired at now_ms matches nothing), store the file,
 * the entries with their status and the waived results. Sets *waived to
 * the number of waived results. Returns 0 or -1 with d filled. */
int waivers_store_run(struct store *s, int64_t run_id, const struct waivers *w,
		      const struct waiver_rule *rules, size_t n_rules, int64_t now_ms,
		      long *waived, struct diag *d);

#endif
