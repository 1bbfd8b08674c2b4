/*
 * s3_config_facts: derived tables of S3 bucket configuration parts that
 * several rules take apart (cfgaudit-rules(5) documents every column),
 * built once per run from s3_bucket_facts instead of each rule parsing
 * them again.
 *
 *   s3_lifecycle_rules  one row per rule (an object) of a bucket's
 *                       lifecycle configuration
 */
#ifndef CFGAUDIT_S3_CONFIG_FACTS_H
#define CFGAUDIT_S3_CONFIG_FACTS_H

/* The SQL that creates s3_lifecycle_rules (derived.c runs it). */
extern const char s3_lifecycle_rules_sql[];

#endif
