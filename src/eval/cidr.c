/*
 * cidr: see cidr.h. inet_pton does the address syntax (it rejects leading
 * zeros in IPv4 octets and every non-address byte); this file adds the
 * prefix and the containment test.
 */
#include "eval/cidr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Longest text inet_pton can accept ("ffff:...:255.255.255.255" is 45). */
#define ADDR_TEXT_MAX 64

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int cidr_parse(const char *text, size_t len, struct cidr *out)
{
	char addr[ADDR_TEXT_MAX];
	const char *slash;
	size_t alen;
	unsigned maxlen;
	long prefix = -1;

	if (!text)
		return -1;
	while (len > 0 && is_blank(text[0])) {
		text++;
		len--;
	}
	while (len > 0 && is_blank(text[len - 1]))
		len--;
	if (len == 0)
		return -1;
	slash = memchr(text, '/', len);
	alen = slash ? (size_t)(slash - text) : len;
	if (alen == 0 || alen >= sizeof(addr))
		return -1;
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	/* An embedded NUL would make inet_pton see a shorter string. */
	if (strlen(addr) != alen)
		return -1;
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, addr, out->addr) == 1) {
		out->family = AF_INET;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		out->family = AF_INET6;
		maxlen = 128;
	} else {
		return -1;
	}
	if (slash) {
		const char *p = slash + 1, *end = text + len;
		size_t ndig = (size_t)(end - p);

		if (ndig < 1 || ndig > 3)
			return -1;
		prefix = 0;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			prefix = prefix * 10 + (*p - '0');
		}
		if (prefix > (long)maxlen)
			return -1;
		out->prefix = (unsigned)prefix;
	} else {
		out->prefix = maxlen;
	}
	return 0;
}

int cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	unsigned full, rest;

	if (outer->family != inner->family || inner->prefix < outer->prefix)
		return 0;
	full = outer->prefix / 8;
	rest = outer->prefix % 8;
	if (memcmp(outer->addr, inner->addr, full) != 0)
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((outer->addr[full] & mask) != (inner->addr[full] & mask))
			return 0;
	}
	return 1;
}

int cidr_is_all(const struct cidr *c)
{
	return c->prefix == 0;
}
