/*
 * since_accounts: the accounts a per-account rule re-evaluates (see
 * since_accounts.h).
 */
#include "config.h"

#include "eval/since_accounts.h"
#include "store/since.h"
#include "util/strbuf.h"

#include <stdlib.h>

char *since_accounts_type(int rule_no)
{
	return xstrfmt("cfgaudit:per-account:%d", rule_no);
}

/* Every Region of the accounts with a change of the rule's types: those
 * `accounts` has, "global", and those of the changes themselves (a
 * resource gone from the only place it was). */
static const char add_sql[] =
	"WITH acc AS (SELECT DISTINCT account_id FROM temp.since_places"
	"  WHERE resource_type IN (%2$s))"
	" INSERT OR IGNORE INTO temp.since_places(resource_type, account_id, region)"
	" SELECT %1$s, account_id, aws_region FROM accounts"
	"  WHERE account_id IN (SELECT account_id FROM acc)"
	" UNION SELECT %1$s, account_id, 'global' FROM acc"
	" UNION SELECT %1$s, account_id, region FROM temp.since_places"
	"  WHERE resource_type IN (%2$s)";

int since_accounts_add(struct store *s, const struct since_account_rule *rules, size_t n,
		       struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		char *own = since_type_list(rules[i].own_type);
		char *types = since_type_list(rules[i].types);
		char *sql = xstrfmt(add_sql, own, types);
		int rc = store_exec(s, sql, d);

		free(own);
		free(types);
		free(sql);
		if (rc)
			return -1;
	}
	return 0;
}
