/*
 * test_cidr: the CIDR parser and containment test under cidr_is_open and
 * cidr_contains (src/eval/cidr.c), called directly.
 */
#include <string.h>
#include <sys/socket.h>

#include "eval/cidr.h"
#include "tests/unit/tap.h"

static int parse(const char *s, struct cidr *c)
{
	return cidr_parse(s, strlen(s), c);
}

static int contains(const char *outer, const char *inner)
{
	struct cidr o, i;

	if (parse(outer, &o) || parse(inner, &i))
		return -1;
	return cidr_contains(&o, &i);
}

static void test_parse(void)
{
	struct cidr c;
	static const char *const bad[] = {
	    "",		  " ",		"/0",		"1.2.3.4/",  "1.2.3.4/33",
	    "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/0008", "1.2.3",     "1.2.3.4.5",
	    "01.2.3.4",	  "1.2.3.256",	"::/129",	"::1::2",    "fe80::1%eth0",
	    "1.2.3.4 /8", "1.2.3.4/ 8", "1.2.3.4/8/8",	"a.b.c.d/8", "0x7f.0.0.1",
	};

	ok(parse("10.1.2.3/8", &c) == 0 && c.family == AF_INET && c.prefix == 8, "IPv4 CIDR");
	ok(c.addr[0] == 10 && c.addr[1] == 1 && c.addr[3] == 3, "host bits kept as written");
	ok(parse("10.1.2.3", &c) == 0 && c.prefix == 32, "bare IPv4 address is a /32");
	ok(parse("2001:db8::/32", &c) == 0 && c.family == AF_INET6 && c.prefix == 32, "IPv6 CIDR");
	ok(parse("::1", &c) == 0 && c.prefix == 128, "bare IPv6 address is a /128");
	ok(parse("::ffff:10.0.0.1/104", &c) == 0 && c.family == AF_INET6,
	   "IPv4-mapped IPv6 is IPv6");
	ok(parse(" \t0.0.0.0/0\n", &c) == 0 && cidr_is_all(&c), "surrounding white space");
	ok(parse("::/0", &c) == 0 && cidr_is_all(&c), "::/0 is everything");
	ok(parse("0.0.0.0/00", &c) == 0 && cidr_is_all(&c), "prefix with a leading zero");
	ok(parse("0.0.0.0/1", &c) == 0 && !cidr_is_all(&c), "/1 is not everything");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse(bad[i], &c) == -1, "rejected: '%s'", bad[i]);
	ok(cidr_parse("10.0.0.0\0/8", 11, &c) == -1, "embedded NUL rejected");
	ok(cidr_parse("10.0.0.0/8", 8, &c) == 0 && c.prefix == 32, "length is honoured");
	{
		char big[200];

		memset(big, '1', sizeof(big));
		ok(cidr_parse(big, sizeof(big), &c) == -1, "long text rejected");
	}
	ok(cidr_parse(NULL, 0, &c) == -1, "NULL rejected");
}

static void test_contains(void)
{
	is_int(contains("10.0.0.0/8", "10.255.255.255"), 1, "last address of a /8");
	is_int(contains("10.0.0.0/8", "11.0.0.0"), 0, "first address after a /8");
	is_int(contains("10.0.0.0/8", "10.0.0.0/7"), 0, "a wider block is not inside");
	is_int(contains("10.0.0.0/8", "10.0.0.0/8"), 1, "a block contains itself");
	is_int(contains("172.16.0.0/12", "172.31.255.0/24"), 1, "/12 boundary inside");
	is_int(contains("172.16.0.0/12", "172.32.0.0/24"), 0, "/12 boundary outside");
	is_int(contains("0.0.0.0/0", "255.255.255.255"), 1, "everything");
	is_int(contains("2001:db8::/127", "2001:db8::1"), 1, "IPv6 /127");
	is_int(contains("2001:db8::/127", "2001:db8::2"), 0, "IPv6 /127 outside");
	is_int(contains("::/0", "0.0.0.0/0"), 0, "families never mix");
	is_int(contains("::ffff:0.0.0.0/96", "10.0.0.1"), 0, "IPv4-mapped is not mapped");
}

int main(void)
{
	test_parse();
	test_contains();
	return tap_done();
}
