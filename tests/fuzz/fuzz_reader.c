/*
 * fuzz_reader: libFuzzer target for the item reader -- gzip detection and
 * inflate, the streaming scanner, shape detection and the normalizer --
 * fed the raw input bytes. Every input must end in items or a clean
 * error: no crash, no leak, no undefined behaviour.
 */
#include "ingest/reader.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small limits so that the fuzzer explores them instead of memory. */
	struct reader_limits lim = { 1 << 20, 64, 50.0 };
	struct item_reader *r;
	struct diag d;
	json_t *item;
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	diag_clear(&d);
	r = item_reader_open(f, "fuzz", &lim, &d);
	if (r) {
		int n = 0;

		while (n++ < 10000 && item_reader_next(r, &item, &d) == 1)
			json_decref(item);
		(void)item_reader_kind(r);
		(void)item_reader_snapshot_id(r);
		item_reader_close(r);
	}
	fclose(f);
	return 0;
}
