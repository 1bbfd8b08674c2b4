/*
 * fuzz_reader_gz: the item reader behind a gzip layer -- the input is
 * compressed first, so that mutations reach the JSON scanner through
 * zlib's streaming path (member boundaries, buffer refills).
 */
#include "ingest/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_limits lim = { 1 << 20, 64, 1000.0 };
	unsigned char *gz;
	size_t cap = size + size / 100 + 64, used = 0;
	z_stream zs = { 0 };
	struct item_reader *r;
	struct diag d;
	json_t *item;
	FILE *f;

	gz = malloc(cap);
	if (!gz || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(gz);
		return 0;
	}
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)size;
	zs.next_out = gz;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(gz);
		return 0;
	}
	used = cap - zs.avail_out;
	deflateEnd(&zs);
	f = fmemopen(gz, used, "rb");
	if (f) {
		diag_clear(&d);
		r = item_reader_open(f, "fuzz.json.gz", &lim, &d);
		if (r) {
			int n = 0;

			while (n++ < 10000 && item_reader_next(r, &item, &d) == 1)
				json_decref(item);
			item_reader_close(r);
		}
		fclose(f);
	}
	free(gz);
	return 0;
}
