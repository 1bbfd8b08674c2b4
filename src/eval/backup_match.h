/*
 * backup_match: which current resources the current AWS Backup selections
 * assign to their plans, computed once in memory for the backup derived
 * tables (backup_tables.c).
 *
 * Each selection is tested only against the candidates of its own
 * account and Region that it can select: those whose ARN starts with the
 * literal part of one of its Resources patterns, or that carry the tag
 * value one of its ListOfTags entries asks for (every candidate when it
 * has neither). backup_selection_selects() then decides each of those,
 * so the answer is the same as testing every pair.
 */
#ifndef CFGAUDIT_BACKUP_MATCH_H
#define CFGAUDIT_BACKUP_MATCH_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"
#include "util/strbuf.h"

/* The Config resource types of what AWS Backup can protect (SQL list). */
#define BACKUP_TYPES \
	"'AWS::EC2::Volume', 'AWS::EC2::Instance', 'AWS::DynamoDB::Table'," \
	" 'AWS::EFS::FileSystem', 'AWS::FSx::FileSystem', 'AWS::RDS::DBInstance'," \
	" 'AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::Redshift::Cluster'," \
	" 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::Timestream::Table'," \
	" 'AWS::CloudFormation::Stack', 'AWS::BackupGateway::VirtualMachine'," \
	" 'AWS::StorageGateway::Volume'"

/* A column value kept in bmatch.arena: its SQLite type, and its bytes
 * (text, blob) or number. */
struct bm_value {
	int type; /* SQLITE_TEXT, SQLITE_BLOB, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_NULL */
	size_t off, len;
	sqlite3_int64 i;
	double f;
};

/* A current resource of BACKUP_TYPES. */
struct bm_cand {
	struct bm_value key, type, id, account, region, status;
	struct bm_value cluster_name; /* its name, else its id */
	int recorded;		      /* it has a configuration */
	size_t arn;		  /* offset of its ARN in the arena; SIZE_MAX when not recorded */
	size_t tag0, n_tags;	  /* its string tags: pairs tag0 .. tag0 + n_tags - 1 */
	size_t hit0, n_hits;	  /* its hits: hit_order[hit0 .. hit0 + n_hits - 1] */
	size_t *clusters;	  /* an RDS instance's DB clusters that have hits */
	size_t n_clusters, alloc_clusters;
	long group; /* its plan group (1, 2, ...), 0 for none */
	/* 1 + the first selection that cannot be read whole and may assign
	 * it (backup_selection_may_match), 0 for none; maybe_via likewise
	 * through one of an RDS DB instance's DB clusters, and via_cluster
	 * 1 + that cluster's candidate */
	size_t maybe, maybe_via, via_cluster;
};

/* A current AWS::Backup::BackupSelection with a configuration. */
struct bm_sel {
	sqlite3_value *key, *account, *region, *resource_id;
	json_t *config; /* the item's configuration */
	json_t *body;	/* its BackupSelection object (or the configuration) */
	/* what of it cannot be read (backup_selection_unreadable), or NULL:
	 * then its hits are only those it surely makes, and the candidates
	 * it may assign have maybe set */
	const char *unreadable;
};

/* One (selection, resource) pair where the selection assigns it. */
struct bm_hit {
	size_t sel, cand;
	size_t why; /* index into whys: backup_selection_selects()'s why */
};

struct bmatch {
	struct strbuf arena; /* the candidates' text and blobs, NUL-terminated */
	struct bm_cand *cands;
	size_t n_cands, alloc_cands;
	size_t (*tags)[2]; /* arena offsets of (key, value) */
	size_t n_tags, alloc_tags;
	struct bm_sel *sels;
	size_t n_sels, alloc_sels;
	struct bm_hit *hits; /* selection by selection, candidates in order */
	size_t n_hits, alloc_hits;
	size_t *hit_order; /* the hits candidate by candidate */
	char **whys;	   /* distinct per selection */
	size_t n_whys, alloc_whys;
	long n_groups;
};

/* Bind a kept value at i of st. */
void bmatch_bind(sqlite3_stmt *st, int i, const struct bmatch *m, const struct bm_value *v);

/* Read the selections and candidates of the point-in-time state and
 * match them. Returns 0 or -1 with d filled. */
int bmatch_run(struct store *s, struct bmatch *m, struct diag *d);
/* Link each RDS DB instance to the DB clusters with hits that it belongs
 * to (as backup_resource_plans always did: dBClusterIdentifier naming
 * the cluster's name or identifier in the same account and Region; an
 * instance whose cluster an unreadable selection may assign gets
 * maybe_via), then
 * give every resource with a hit, direct or through a cluster, its plan
 * group: resources with the same hits (and clusters) share one. */
int bmatch_group(struct store *s, struct bmatch *m, struct diag *d);
void bmatch_release(struct bmatch *m);

#endif
