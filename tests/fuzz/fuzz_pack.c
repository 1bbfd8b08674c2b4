/*
 * fuzz_pack: libFuzzer target for the conformance-pack loader (libyaml
 * events, CloudFormation intrinsics, conditions, scopes, overrides).
 * pack_load reads a path, so the input goes through a file in /dev/shm
 * (or TMPDIR).
 */
#include "packs/pack.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[256];
	static const struct param_override ov[] = {
		{ "Param=1", NULL, "Param", "1" },
		{ "restricted-ssh.blockedPort1=22", "restricted-ssh", "blockedPort1", "22" },
		{ "X.Y=", "X", "Y", "" },
	};
	struct pack *p;
	struct diag d;
	FILE *f;

	if (!path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		snprintf(path, sizeof(path), "%s/fuzz_pack.%d.yaml", dir, (int)getpid());
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	diag_clear(&d);
	p = pack_load(path, ov, sizeof(ov) / sizeof(ov[0]), &d);
	if (p) {
		for (size_t i = 0; i < sizeof(ov) / sizeof(ov[0]); i++)
			(void)pack_override_matches(p, &ov[i]);
		pack_free(p);
	}
	return 0;
}
