/*
 * test_timeutil: the "epoch seconds or milliseconds" guess that ingest
 * (normalize_time) and the SQL time functions share.
 */
#include "util/timeutil.h"

#include "tests/unit/tap.h"

int main(void)
{
	char buf[TIME_ISO_LEN];

	is_int((long long)time_epoch_number_to_ms(1762000000.0), 1762000000000LL,
	       "epoch seconds become milliseconds");
	is_int((long long)time_epoch_number_to_ms(1762000000123.0), 1762000000123LL,
	       "epoch milliseconds stay milliseconds");
	is_int((long long)time_epoch_number_to_ms(99999999999.0), 99999999999000LL,
	       "just below 1e11: seconds");
	is_int((long long)time_epoch_number_to_ms(1e11), 100000000000LL, "1e11: milliseconds");
	is_int((long long)time_epoch_number_to_ms(-5.0), -5000LL, "negative seconds");
	is_int((long long)time_epoch_number_to_ms(-1e11), -100000000000LL, "-1e11: milliseconds");
	time_format_iso((int64_t)time_epoch_number_to_ms(1762000000.5), buf);
	is_str(buf, "2025-11-01T12:26:40.500Z", "a fraction of a second is kept");
	return tap_done();
}
