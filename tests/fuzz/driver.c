/*
 * driver: runs a libFuzzer target's LLVMFuzzerTestOneInput over the files
 * named on the command line, without libFuzzer. The normal test suite
 * (and its sanitizer build) uses it to replay seeds and every crashing
 * input kept under tests/fuzz/regressions/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			fprintf(stderr, "driver: cannot open %s\n", argv[i]);
			status = 2;
			continue;
		}
		do {
			if (len == cap) {
				unsigned char *nb = realloc(buf, cap ? cap * 2 : 65536);

				if (!nb) {
					fclose(f);
					free(buf);
					return 2;
				}
				buf = nb;
				cap = cap ? cap * 2 : 65536;
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return status;
}
