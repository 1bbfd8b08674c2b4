/*
 * pathcomp: a path as its '/'-separated components, for matching the
 * layouts AWS delivers files in (AWSLogs/<account>/Config/..., .../Evidence/...).
 */
#ifndef CFGAUDIT_PATHCOMP_H
#define CFGAUDIT_PATHCOMP_H

#include <stddef.h>

/* One component: len bytes at p (not NUL-terminated). */
struct path_comp {
	const char *p;
	size_t len;
};

/* Split path at '/' into c, skipping empty and "." components. A path
 * deeper than max keeps its last max components (a layout is at the
 * end). Returns how many are in c. */
size_t path_split(const char *path, struct path_comp *c, size_t max);

/* Whether the component is exactly s. */
int path_comp_is(const struct path_comp *c, const char *s);

#endif
