/*
 * test_report_mkdb: a helper of the report and bundle tests, not a test.
 * Creates a database with store_open (so it has the real schema) and
 * runs SQL files in it:  test_report_mkdb DB FILE.sql...
 */
#include "config.h"

#include "store/store.h"
#include "util/diag.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct diag d;
	struct store *s;

	if (argc < 2) {
		fprintf(stderr, "usage: test_report_mkdb DB FILE.sql...\n");
		return 2;
	}
	diag_clear(&d);
	s = store_open(argv[1], STORE_READ_WRITE, &d);
	if (!s) {
		diag_print(&d, "error");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		struct strbuf sql = STRBUF_INIT;

		if (read_file(argv[i], &sql, 64u << 20, &d) || store_exec(s, sql.buf, &d)) {
			diag_print(&d, "error");
			strbuf_release(&sql);
			store_close(s);
			return 2;
		}
		strbuf_release(&sql);
	}
	store_close(s);
	return 0;
}
