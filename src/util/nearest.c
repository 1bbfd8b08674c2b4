/*
 * nearest: edit distance and the nearest known values (see nearest.h).
 */
#include "util/nearest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

size_t nearest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[129], prev;

	if (la > 128 || lb > 128)
		return la > lb ? la : lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j], v = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *near_key;

static int cmp_near(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t dx = nearest_distance(near_key, x), dy = nearest_distance(near_key, y);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x, y);
}

void nearest_list(struct strbuf *sb, const char *want, const char *const *known, size_t n)
{
	const char **v = xcalloc(n + 1, sizeof(*v));

	memcpy(v, known, n * sizeof(*v));
	near_key = want;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_near);
	for (size_t i = 0; i < n && i < 8; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", v[i]);
	if (n > 8)
		strbuf_addf(sb, " and %zu more", n - 8);
	free(v);
}
