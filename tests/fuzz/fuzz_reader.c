/*
 * fuzz_reader: libFuzzer target for the item reader -- gzip detection and
 * inflate, the streaming scanner, shape detection, the quick identity
 * path for stored items, and the normalizer --
 * fed the raw input bytes. Every input must end in items or a clean
 * error: no crash, no leak, no undefined behaviour.
 */
#include "ingest/quickid.h"
#include "ingest/reader.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Say "stored already" to every other quick item, so that both the quick
 * path and the full path after a quick read are taken. */
static int known_every_other(void *ctx, const struct quickid *q)
{
	int *n = ctx;

	(void)q;
	return (*n)++ % 2;
}

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
		int n = 0, quick = 0, rc;

		item_reader_set_known(r, known_every_other, &quick);
		while (n++ < 10000 && (rc = item_reader_next(r, &item, &d)) >= 1)
			if (rc == 1)
				json_decref(item);
		(void)item_reader_kind(r);
		(void)item_reader_snapshot_id(r);
		item_reader_close(r);
	}
	fclose(f);
	return 0;
}
