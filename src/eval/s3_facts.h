/*
 * s3_facts: the S3 derived tables of the evaluation schema
 * (cfgaudit-rules(5)): s3_bucket_facts, the parts of each current
 * bucket's configuration and supplementary configuration that the S3
 * rules read, taken apart once per run; and, built from it, the
 * statements of the buckets' policies (s3_policy_statements) and the
 * public-access tables s3_bucket_access, s3_public_grants and
 * s3_public_statements.
 */
#ifndef CFGAUDIT_S3_FACTS_H
#define CFGAUDIT_S3_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* The SQL that creates each table (and index) in the temp schema; derived.c
 * runs it. All but the first read s3_bucket_facts (s3_public_statements
 * reads s3_policy_statements), which derived.c's requires build first. */
extern const char s3_bucket_facts_sql[];
extern const char s3_policy_statements_sql[];
extern const char s3_bucket_access_sql[];
extern const char s3_public_grants_sql[];
extern const char s3_public_statements_sql[];

#endif
