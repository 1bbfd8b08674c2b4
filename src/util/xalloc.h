/*
 * xalloc: allocation that cannot return NULL. Out of memory is not an
 * input error that can be reported per file; like git's xmalloc, these
 * print a message and abort the process.
 */
#ifndef CFGAUDIT_XALLOC_H
#define CFGAUDIT_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *array (of *alloc elements of elem_size) to hold at least need. */
void *xgrow(void *array, size_t *alloc, size_t need, size_t elem_size);

#define ALLOC_GROW(arr, nr, alloc) ((arr) = xgrow((arr), &(alloc), (nr), sizeof(*(arr))))

#endif
