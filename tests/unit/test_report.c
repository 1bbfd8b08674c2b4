/*
 * test_report: the report module's pieces that are easiest to get subtly
 * wrong -- the escapers (HTML, XML, terminal, UTF-8 cleaning), the score
 * text, option parsing -- and report_render on a store built in the test.
 */
#include "config.h"

#include "report/report.h"
#include "report/report_priv.h"
#include "store/store.h"
#include "tests/unit/tap.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *html(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	rp_html_escape(&sb, s);
	return strbuf_detach(&sb, NULL);
}

static char *xml(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	rp_xml_escape(&sb, s);
	return strbuf_detach(&sb, NULL);
}

static char *fit(const char *s, size_t w)
{
	struct strbuf sb = STRBUF_INIT;

	rp_term_fit(&sb, s, w);
	return strbuf_detach(&sb, NULL);
}

static char *clean(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	utf8_clean(&sb, s, strlen(s));
	return strbuf_detach(&sb, NULL);
}

#define CHECK_STR(expr, want, ...)                                                                 \
	do {                                                                                       \
		char *got_ = (expr);                                                               \
		is_str(got_, want, __VA_ARGS__);                                                   \
		free(got_);                                                                        \
	} while (0)

static void test_escapers(void)
{
	CHECK_STR(html("<script>alert('x')</script> & \"q\""),
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
		  "html escapes the five markup characters");
	CHECK_STR(html("a\x01"
		       "b\x1b[31m"),
		  "a\xef\xbf\xbd"
		  "b\xef\xbf\xbd[31m",
		  "html replaces control characters");
	CHECK_STR(html("bad\xff\xfe"
		       "end"),
		  "bad\xef\xbf\xbd\xef\xbf\xbd"
		  "end",
		  "html replaces invalid UTF-8");
	CHECK_STR(html("\xc2\x85"
		       "x"),
		  "\xef\xbf\xbd"
		  "x",
		  "html replaces C1 controls");
	CHECK_STR(html("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93",
		  "html keeps valid UTF-8");
	CHECK_STR(html("a\nb"), "a&#10;b", "newline as a character reference");
	CHECK_STR(xml("<a>&\x01\x0b"
		      "b\xef\xbf\xbe"),
		  "&lt;a&gt;&amp;b", "xml removes characters XML 1.0 forbids");
	CHECK_STR(xml("\xed\xa0\x80"
		      "s"),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		  "s",
		  "xml replaces an encoded surrogate");
	CHECK_STR(clean("ok\xc3(\xf0\x9f\x98\x80"), "ok\xef\xbf\xbd(\xf0\x9f\x98\x80",
		  "utf8_clean replaces only the bad byte");
	CHECK_STR(fit("abc\x1b[2J", 80), "abc\\x1b[2J", "terminal escapes ESC");
	CHECK_STR(fit("abcdefghij", 5), "abcd\xe2\x80\xa6", "terminal cuts with an ellipsis");
	CHECK_STR(fit("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9\xe2\x80\xa6",
		  "terminal cuts on code points");
	CHECK_STR(fit("abcde", 5), "abcde", "a value that fits is kept");
	is_int(rp_utf8_width("\xc3\xa9"
			     "a\xe2\x80\xa6"),
	       3, "width counts code points");
}

/* Is s valid UTF-8 throughout? */
static int valid_utf8(const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t n = utf8_valid_prefix(s + i, len - i);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Property test: random byte strings (fixed seed) through every escaper
 * give valid UTF-8 without markup characters or controls. */
static void test_escapers_random(void)
{
	unsigned long seed = 12345;
	int html_ok = 1, xml_ok = 1, term_ok = 1, clean_ok = 1;

	for (int round = 0; round < 20000; round++) {
		char in[48];
		size_t n;
		char *h, *x, *t, *c;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = (seed >> 33) % (sizeof(in) - 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			in[i] = (char)((seed >> 40) & 0xff);
			if (in[i] == 0)
				in[i] = '<';
		}
		in[n] = '\0';
		h = html(in);
		x = xml(in);
		t = fit(in, 20);
		c = clean(in);
		if (!valid_utf8(h) || strpbrk(h, "<>\"'") ||
		    strpbrk(h, "\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\n\r\t"))
			html_ok = 0;
		for (const char *p = h; (p = strchr(p, '&')) != NULL; p++)
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) && strncmp(p, "&#", 2))
				html_ok = 0;
		if (!valid_utf8(x) || strpbrk(x, "<>\"'\n\r\t\x01\x1b\x7f") ||
		    strstr(x, "\xef\xbf\xbe") || strstr(x, "\xef\xbf\xbf"))
			xml_ok = 0;
		if (!valid_utf8(t) || rp_utf8_width(t) > 20)
			term_ok = 0;
		for (const char *p = t; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				term_ok = 0;
		if (!valid_utf8(c))
			clean_ok = 0;
		free(h);
		free(x);
		free(t);
		free(c);
	}
	ok(html_ok, "random input: html output is valid UTF-8 without markup or controls");
	ok(xml_ok, "random input: xml output is valid UTF-8 with only XML characters");
	ok(term_ok, "random input: terminal output is valid UTF-8, fits, no controls");
	ok(clean_ok, "random input: utf8_clean output is valid UTF-8");
}

static void test_score(void)
{
	char buf[24];

	rp_score_text(21, 4, buf);
	is_str(buf, "84.0", "AWS worked example: 21 of 25 is 84.0");
	rp_score_text(2, 1, buf);
	is_str(buf, "66.7", "two of three rounds to 66.7");
	rp_score_text(1, 2, buf);
	is_str(buf, "33.3", "one of three rounds to 33.3");
	rp_score_text(0, 5, buf);
	is_str(buf, "0.0", "nothing compliant is 0.0");
	rp_score_text(7, 0, buf);
	is_str(buf, "100.0", "everything compliant is 100.0");
	rp_score_text(0, 0, buf);
	is_str(buf, "INSUFFICIENT_DATA", "no evaluated pairs");
	rp_score_text(1999, 1, buf);
	is_str(buf, "100.0", "99.95 rounds half up to 100.0");
}

static void test_parse(void)
{
	enum report_format f;
	enum report_group g;

	ok(report_parse_format("junit", &f) == 0 && f == REPORT_JUNIT, "parse junit");
	ok(report_parse_format("JSON", &f) == -1, "formats are lowercase");
	ok(report_parse_format(NULL, &f) == -1, "NULL format");
	ok(report_parse_group("resource", &g) == 0 && g == REPORT_BY_RESOURCE, "parse resource");
	ok(report_parse_group("pack", &g) == -1, "unknown grouping");
}

static void test_render(void)
{
	char path[] = "/tmp/test_report.XXXXXX";
	struct report_options o;
	struct diag d;
	struct store *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int fd = mkstemp(path), nc = -1;

	ok(fd >= 0, "temporary database");
	close(fd);
	unlink(path);
	diag_clear(&d);
	s = store_open(path, STORE_READ_WRITE, &d);
	ok(s != NULL, "store_open");
	if (!s)
		return;
	is_int(report_latest_run(s, &d), 0, "no run yet");
	memset(&o, 0, sizeof(o));
	f = open_memstream(&buf, &len);
	ok(report_render(s, &o, f, &nc, &d) == -1, "render without a run fails");
	ok(strstr(d.msg, "no complete evaluation run") != NULL, "with a clear message");
	fclose(f);
	free(buf);
	buf = NULL;

	ok(store_exec(s,
		      "INSERT INTO runs VALUES (7, '2026-01-01T00:00:00.000Z',"
		      " '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:00.000Z', 't', '{}',"
		      " 'complete');"
		      "INSERT INTO run_rules (run_id, pack_name, config_rule_name, identifier,"
		      " evaluated, rule_no) VALUES (7, 'P', 'r', 'R', 1, 1);"
		      "INSERT INTO run_scope VALUES (7, 'A', 'x-1');"
		      "INSERT INTO run_resources VALUES (1, 'T', 'i1', NULL), (2, 'T', 'i2', NULL);"
		      "INSERT INTO run_results VALUES (7, 1, 'A', 'x-1', 1, 1, NULL);"
		      "INSERT INTO run_results VALUES (7, 1, 'A', 'x-1', 2, 0, NULL);",
		      &d) == 0,
	   "insert a run");
	is_int(report_latest_run(s, &d), 7, "latest run");
	o.format = REPORT_JSON;
	f = open_memstream(&buf, &len);
	ok(report_render(s, &o, f, &nc, &d) == 0, "render json");
	fclose(f);
	is_int(nc, 1, "non-compliant flag set");
	ok(buf && strstr(buf, "\"Score\": \"50.0\""), "score 1 of 2");
	ok(buf && !strstr(buf, "\"Annotation\""), "a NULL annotation is omitted");
	free(buf);
	buf = NULL;

	{
		const char *sel[] = {"COMPLIANT"};

		o.compliance = sel;
		o.n_compliance = 1;
		o.format = REPORT_CSV;
		f = open_memstream(&buf, &len);
		ok(report_render(s, &o, f, &nc, &d) == 0, "render csv with a selection");
		fclose(f);
		is_int(nc, 0, "no non-compliant result in the selection");
		ok(buf && strstr(buf, ",i2,") && !strstr(buf, ",i1,"), "only the compliant row");
		free(buf);
		buf = NULL;
		sel[0] = "BLUE";
		f = open_memstream(&buf, &len);
		ok(report_render(s, &o, f, &nc, &d) == -1, "an unknown compliance type fails");
		fclose(f);
		free(buf);
	}
	/* Caps: 150 non-compliant resources of one rule (cap 100), 30
	 * compliant rules in one account (cap 25 in the counts). */
	ok(store_exec(
	       s,
	       "INSERT INTO runs VALUES (8, '2026-01-02T00:00:00.000Z',"
	       " '2026-01-02T00:00:01.000Z', '2026-01-02T00:00:00.000Z', 't', '{}',"
	       " 'complete');"
	       "INSERT INTO run_scope VALUES (8, 'A', 'x-1');"
	       "INSERT INTO run_rules (run_id, pack_name, config_rule_name, identifier,"
	       " evaluated, rule_no) VALUES (8, '', 'big', 'BIG', 1, 31);"
	       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
	       " INSERT INTO run_resources SELECT 100 + i, 'T', 'r' || i, NULL FROM n;"
	       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
	       " INSERT INTO run_results SELECT 8, 31, 'A', 'x-1', 100 + i, 1, NULL FROM n;"
	       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)"
	       " INSERT INTO run_rules (run_id, pack_name, config_rule_name, identifier,"
	       " evaluated, rule_no) SELECT 8, '', 'ok' || i, 'OK', 1, i FROM n;"
	       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)"
	       " INSERT INTO run_results SELECT 8, i, 'A', 'x-1', 101, 0, NULL FROM n;",
	       &d) == 0,
	   "insert a large run");
	memset(&o, 0, sizeof(o));
	o.run_id = 8;
	o.format = REPORT_JSON;
	buf = NULL;
	f = open_memstream(&buf, &len);
	ok(report_render(s, &o, f, &nc, &d) == 0, "render the large run");
	fclose(f);
	ok(buf && strstr(buf, "\"ConfigRuleName\": \"big\",\n      \"Compliance\": {\n"
			      "        \"ComplianceType\": \"NON_COMPLIANT\",\n"
			      "        \"ComplianceContributorCount\": {\n"
			      "          \"CappedCount\": 100,\n"
			      "          \"CapExceeded\": true"),
	   "150 non-compliant resources: CappedCount 100, CapExceeded");
	ok(buf && strstr(buf, "\"CompliantResourceCount\": {\n"
			      "              \"CappedCount\": 25,\n"
			      "              \"CapExceeded\": true"),
	   "30 compliant rules: the count is capped at 25");
	free(buf);

	store_close(s);
	unlink(path);
	{
		char side[sizeof(path) + 8];

		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
}

int main(void)
{
	test_escapers();
	test_escapers_random();
	test_score();
	test_parse();
	test_render();
	return tap_done();
}
