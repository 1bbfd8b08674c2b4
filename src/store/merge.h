/*
 * merge: shard stores combined into one store holding one organization
 * run (cfgaudit-merge(1)).
 *
 * Each shard store was loaded with --shard K/N or --accounts and
 * evaluated; its latest complete run is the one merged. The shards must
 * agree on everything that decides a verdict -- the pack and rule files,
 * the rules and their parameters, the as-of time, the run's filters and
 * the tool version -- and own disjoint accounts; with K/N shards, every K
 * must be present. The merged store holds every shard's files and items
 * (content-keyed: a context account loaded by several shards is stored
 * once) and one run whose results, scope and coverage of each account
 * come from the shard that owns it. The table merged_shards names each
 * shard file, its SHA-256 and the run taken from it.
 */
#ifndef CFGAUDIT_MERGE_H
#define CFGAUDIT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct merge_stats {
	size_t shards;
	long long accounts; /* accounts owned, over all shards */
	long long results;  /* results of the merged run */
	long long items;    /* item versions of the merged store */
};

/* Merge the shard stores at paths into a new store at out (which must
 * not exist; written under a temporary name and renamed at the end).
 * Returns 0, or -1 with d filled (nothing is left at out). */
int store_merge(const char *out, const char *const *paths, size_t n, struct merge_stats *st,
		struct diag *d);

#endif
