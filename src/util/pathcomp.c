/*
 * pathcomp: splitting a path into its components (see pathcomp.h).
 */
#include "util/pathcomp.h"

#include <string.h>

size_t path_split(const char *path, struct path_comp *c, size_t max)
{
	size_t n = 0;

	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (n == max) {
				memmove(c, c + 1, (max - 1) * sizeof(*c));
				n--;
			}
			c[n].p = p;
			c[n].len = len;
			n++;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return n;
}

int path_comp_is(const struct path_comp *c, const char *s)
{
	return c->len == strlen(s) && !memcmp(c->p, s, c->len);
}
