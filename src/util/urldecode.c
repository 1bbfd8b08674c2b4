/*
 * urldecode: see urldecode.h.
 */
#include "util/urldecode.h"
#include "util/xalloc.h"

#include <stdlib.h>

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(const char *s, size_t len, int strict, size_t *outlen)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int hi = -1, lo = -1;

		if (s[i] != '%') {
			out[n++] = s[i];
			continue;
		}
		if (i + 2 < len) {
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
		}
		if (hi < 0 || lo < 0) {
			if (strict) {
				free(out);
				return NULL;
			}
			out[n++] = s[i];
			continue;
		}
		out[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return out;
}
