/*
 * test_scan: the incremental JSON value scanner on its own.
 */
#include "ingest/scan.h"
#include "tests/unit/tap.h"

#include <string.h>

/* Scan s whole; return the length of the value or -1 (more) / -2 (depth). */
static long scan_all(const char *s, int max_depth)
{
	struct scan_state st = { .max_depth = max_depth };
	size_t pos = 0;
	enum scan_result r = scan_value(&st, s, 0, strlen(s), &pos);

	if (r == SCAN_MORE)
		return -1;
	if (r == SCAN_DEPTH)
		return -2;
	return (long)pos;
}

int main(void)
{
	is_int(scan_all("{\"a\":1} tail", 10), 7, "object ends at its brace");
	is_int(scan_all("\"a\\\"b\" x", 10), 6, "escaped quote inside a string");
	is_int(scan_all("[1,2", 10), -1, "open array needs more");
	return tap_done();
}
