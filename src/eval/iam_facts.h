/*
 * iam_facts: iam_policy_default_documents (cfgaudit-rules(5) documents
 * every column): one row per current IAM managed policy with its
 * default version's document, read once per run for the policy rules.
 */
#ifndef CFGAUDIT_IAM_FACTS_H
#define CFGAUDIT_IAM_FACTS_H

#include "store/store.h"
#include "util/diag.h"

/* The SQL that defines the table (its every row and column), over
 * current_items AS c; derived_build_per_item runs it over fewer items. */
extern const char iam_docs_sql[];

/* Build the table as that SQL would (derived.c registers it). */
int iam_build_default_documents(struct store *s, struct diag *d);

#endif
