/*
 * kmskeys: the SQL functions that compare KMS key references
 * (cfgaudit-rules(5), "KMS keys"): kms_key_ref() gives one spelling for a
 * key, kms_keys_check() decides whether a resource's key is one of a
 * listed set, resolving aliases through the kms_keys derived table.
 */
#ifndef CFGAUDIT_KMSKEYS_H
#define CFGAUDIT_KMSKEYS_H

#include <sqlite3.h>

/* kms_key_ref(x): see the file comment of kmskeys.c. */
void kmskeys_fn_ref(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* kms_keys_check(key, list, account, region). */
void kmskeys_fn_check(sqlite3_context *ctx, int argc, sqlite3_value **argv);

#endif
