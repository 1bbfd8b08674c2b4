/*
 * store/waivers: what a run records of its waivers (cfgaudit-waivers(5)):
 * the file (path, SHA-256, content), every entry with its status and how
 * many results it matched, and which results each waived, in three
 * tables created on first use. packs/waivers.c loads the file and decides
 * which entry waives which result; these are its statements.
 */
#ifndef CFGAUDIT_STORE_WAIVERS_H
#define CFGAUDIT_STORE_WAIVERS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* A recorded entry. Strings borrowed. */
struct waiver_row {
	long waiver_no;	   /* 0-based position in the file */
	long line;
	const char *rule, *account, *resource, *reason, *approved_by, *expires;
	const char *status; /* "active", "expired" or "unused" */
	long matched;	    /* results it waived (active), or would have (expired) */
};

/* Create the tables if needed and record the waivers file of run_id
 * (inside the run's transaction). Returns 0 or -1 with d filled. */
int waivers_store_file(struct store *s, int64_t run_id, const char *path, const char *sha256,
		       const void *content, size_t len, struct diag *d);

/* Record one entry (after waivers_store_file). Returns 0 or -1. */
int waivers_store_entry(struct store *s, int64_t run_id, const struct waiver_row *r,
			struct diag *d);

/* A NON_COMPLIANT result of the run, as a waiver matches it. Borrowed. */
struct waiver_result {
	const char *account, *region, *type, *id;
	const char *arn; /* of the item judged, or NULL */
};

/* The NON_COMPLIANT results of a run, rule by rule, and the record of
 * which entry waived each: two statements kept for every rule. */
struct waived_writer {
	struct store *s;
	sqlite3_stmt *sel, *ins;
};

/* After waivers_store_file. Returns 0 or -1 with d filled. */
int waived_writer_open(struct waived_writer *w, struct store *s, struct diag *d);
void waived_writer_close(struct waived_writer *w);

/* Call decide for every NON_COMPLIANT result of rule_no in run_id; it
 * returns the waiver_no of the entry that waives the result, or -1 for
 * none, and the result is recorded as waived by that entry. Returns 0
 * or -1 with d filled. */
int waived_writer_rule(struct waived_writer *w, int64_t run_id, int rule_no,
		       long (*decide)(const struct waiver_result *r, void *ctx), void *ctx,
		       struct diag *d);

/* What a run recorded (any callback may be NULL): the file, each entry,
 * each waived result. Returns 1 if the run used waivers, 0 if not, -1
 * with d filled. */
struct waivers_reader {
	void (*file)(const char *path, const char *sha256, const char *content, size_t len,
		     void *ctx);
	void (*entry)(const struct waiver_row *r, void *ctx);
	void (*waived)(const char *pack, const char *rule, const char *account,
		       const char *region, const char *type, const char *id, long waiver_no,
		       void *ctx);
	void *ctx;
};
int waivers_read_run(struct store *s, int64_t run_id, const struct waivers_reader *rd,
		     struct diag *d);

#endif
