/*
 * discover: finding input files under the ingest arguments and telling,
 * from the S3 key layout and the object name alone, what each one is.
 *
 * AWS Config delivers objects under
 *   [prefix/]AWSLogs/<12-digit account>/Config/<region>/<y>/<m>/<d>/<Kind>/<file>
 * (Kind ConfigSnapshot, ConfigHistory, or OversizedChangeNotification with
 * <ResourceType>/<resourceId>/ sub-folders). Everything else under an
 * AWSLogs/ folder (CloudTrail, digests, GuardDuty, the 0-byte
 * ConfigWritabilityCheckFile) is not Config data and is only counted.
 * Outside such a layout, *.json and *.json.gz files are candidates whose
 * shape the reader detects from their content.
 */
#ifndef CFGAUDIT_DISCOVER_H
#define CFGAUDIT_DISCOVER_H

#include <stdint.h>

#include "util/diag.h"

/* What a path is, by its name and place alone. */
enum discover_class {
	DISCOVER_CONFIG,    /* an AWS Config object by its key layout: load it */
	DISCOVER_CANDIDATE, /* outside a layout, named *.json or *.json.gz: try it */
	DISCOVER_IGNORED,   /* anything else (other AWSLogs objects, other files) */
	DISCOVER_EVIDENCE,  /* an evidence file by its place (ingest/evidence.h) */
};

/* The Kind folder of the layout (or the kind a file name says). */
enum discover_kind {
	DISCOVER_KIND_NONE = 0,
	DISCOVER_KIND_SNAPSHOT,	 /* ConfigSnapshot */
	DISCOVER_KIND_HISTORY,	 /* ConfigHistory */
	DISCOVER_KIND_OVERSIZED, /* OversizedChangeNotification */
};

#define DISCOVER_ACCOUNT_LEN 13 /* 12 digits and NUL */
#define DISCOVER_REGION_LEN 48
#define DISCOVER_ID_LEN 80

/* What the layout and the file name tell about one path. Empty strings
 * and has_time == 0 mean "not known". */
struct discover_info {
	enum discover_class cls;
	enum discover_kind layout_kind;	    /* from the Kind folder */
	enum discover_kind name_kind;	    /* from the file name pattern */
	char account[DISCOVER_ACCOUNT_LEN]; /* layout, else file name */
	char region[DISCOVER_REGION_LEN];   /* layout, else file name; may be "global" */
	int has_time;			    /* delivered_ms is set */
	int64_t delivered_ms;		    /* delivery time from the file name */
	char snapshot_id[DISCOVER_ID_LEN];  /* the trailing id of a snapshot name */
};

/* The files.kind text of a layout kind, or NULL for DISCOVER_KIND_NONE. */
const char *discover_kind_name(enum discover_kind k);

/* Classify path (any path; the layout may start anywhere in it, after an
 * opaque prefix) and fill *out. Never fails. */
void discover_classify(const char *path, struct discover_info *out);

/* Parse an AWS Config object name (the last path component):
 *   <acct>_Config_<region>_ConfigSnapshot_<YYYYMMDDTHHMMSSZ>_<id>.json[.gz]
 *   <acct>_Config_<region>_ConfigHistory_<Type>_<start>_<end>_<seq>.json[.gz]
 *       (delivered at <end>)
 *   <acct>_Config_<region>_ChangeNotification_<Type>_<id>_<ts>_<stateId>.json[.gz]
 * Fills name_kind, account, region, delivered_ms and snapshot_id of *out
 * (account and region only where still empty). Returns 0 if the name
 * matched a pattern, -1 otherwise (out unchanged). */
int discover_parse_name(const char *name, struct discover_info *out);

/* Called for every non-directory entry found by discover_walk: path is
 * what to open, rel the path relative to the root. regular is 0 for
 * sockets, devices, FIFOs and dangling symbolic links, which are not
 * read. Return 0 to go on, nonzero to stop the walk. */
typedef int (*discover_file_fn)(void *arg, const char *path, const char *rel, int regular);

/* Called for a directory that cannot be read (d says why). */
typedef void (*discover_error_fn)(void *arg, const struct diag *d);

/* Walk the tree under root depth first, entries in byte order of their
 * names, following symbolic links to directories but never into a
 * directory that is already being walked (a loop). Returns 0, or the
 * nonzero value a callback returned. */
int discover_walk(const char *root, discover_file_fn on_file, discover_error_fn on_error,
		  void *arg);

#endif
