/*
 * cidr: parsing and comparison of IPv4/IPv6 addresses and CIDR blocks,
 * private to the eval module (used by the SQL helpers cidr_is_open and
 * cidr_contains in sqlfuncs.c).
 */
#ifndef CFGAUDIT_EVAL_CIDR_H
#define CFGAUDIT_EVAL_CIDR_H

#include <stddef.h>

struct cidr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned prefix;	/* 0..32 or 0..128; a bare address has the full length */
	unsigned char addr[16]; /* network-order address; only 4 bytes used for IPv4 */
};

/* Parse text of len bytes (not necessarily NUL-terminated) as "ADDR/PREFIX"
 * or a bare "ADDR", after trimming ASCII whitespace at both ends. The
 * prefix is 1 to 3 decimal digits within the family's range. Returns 0, or
 * -1 if the text is not such a CIDR. Host bits are kept as written. */
int cidr_parse(const char *text, size_t len, struct cidr *out);

/* 1 if outer contains every address of inner (same family, inner's prefix
 * at least outer's, equal in outer's prefix bits), else 0. Blocks of
 * different families never contain each other (IPv4-mapped IPv6 addresses
 * are not mapped). */
int cidr_contains(const struct cidr *outer, const struct cidr *inner);

/* 1 if the block covers its whole address space (prefix length 0). */
int cidr_is_all(const struct cidr *c);

#endif
