/*
 * fuzz_sqlfuncs: libFuzzer target for the SQL helper functions that take
 * data from configuration items: IAM/resource policy analysis, CIDR and
 * port tests, URL and JSON-in-string decoding, time parsing and regexp.
 * The input is split at NUL bytes into up to four arguments, bound as
 * text (never spliced into SQL).
 */
#include "eval/sqlfuncs.h"

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const queries[] = {
	("SELECT policy_admin_statement(?1), policy_full_access_action(?1),"
	 " policy_is_public(?1), policy_denies_insecure_transport(?1),"
	 " policy_allowed_action_matching(?1, ?2)"),
	"SELECT cidr_is_open(?1), cidr_contains(?1, ?2)",
	("SELECT port_in_rule(?1, ?2, ?3, 22), port_range_overlaps(?1, ?2, ?3, 20, 23),"
	 " ports_within(?4, ?2, ?3), csv_contains(?1, ?2)"),
	"SELECT url_decode(?1), json_unstring(?1), age_days(?1), days_until(?2)",
	"SELECT regexp(?1, ?2)",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sqlite3 *db;
	const char *arg[4] = { "", "", "", "" };
	size_t len[4] = { 0, 0, 0, 0 };
	size_t start = 0;
	int n = 0;

	if (!db) {
		if (sqlite3_open(":memory:", &db) != SQLITE_OK)
			return 0;
		sqlfuncs_register(db, 1764547200000LL);
	}
	for (size_t i = 0; i <= size && n < 4; i++) {
		if (i == size || data[i] == 0) {
			arg[n] = (const char *)data + start;
			len[n] = i - start;
			n++;
			start = i + 1;
		}
	}
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(db, queries[q], -1, &st, NULL) != SQLITE_OK)
			continue;
		for (int i = 0; i < 4 && i < sqlite3_bind_parameter_count(st); i++)
			sqlite3_bind_text(st, i + 1, arg[i], (int)len[i], SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
	}
	return 0;
}
