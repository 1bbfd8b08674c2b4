/*
 * report_escape: the escapers of the report back ends (see report_priv.h).
 * Every string from the store is hostile: resource ids, names and
 * annotations may hold markup, quotes, control characters and invalid
 * UTF-8. All escapers walk the bytes with utf8_valid_prefix, so that every
 * format treats invalid input the same way.
 */
#include "config.h"

#include "report/report_priv.h"
#include "util/term.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

json_t *rp_json_text(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (!s)
		return json_null();
	utf8_clean(&sb, s, strlen(s));
	j = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	if (!j)
		abort(); /* out of memory: the string is valid UTF-8 */
	return j;
}

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* The code point of a valid sequence of n bytes at s. */
static unsigned decode(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0];
	if (n == 2)
		return ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
	if (n == 3)
		return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6) |
	       (s[3] & 0x3fu);
}

/* Shared by HTML and XML: xml selects XML's stricter character set. */
static void markup_escape(struct strbuf *sb, const char *str, int xml)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t len = strlen((const char *)s), i = 0;

	while (i < len) {
		size_t n = utf8_valid_prefix((const char *)s + i, len - i);
		unsigned cp;

		if (n == 0) {
			strbuf_addstr(sb, REPLACEMENT);
			i++;
			continue;
		}
		cp = decode(s + i, n);
		switch (cp) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		case '\t':
		case '\n':
		case '\r':
			/* As references, so that attribute values keep them
			 * and a lone CR survives line-end normalisation. */
			strbuf_addf(sb, "&#%u;", cp);
			break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
				/* Controls: XML 1.0 forbids C0; neither
				 * format should let them reach a reader. */
				if (!xml)
					strbuf_addstr(sb, REPLACEMENT);
			} else if (cp == 0xfffe || cp == 0xffff) {
				if (!xml)
					strbuf_addstr(sb, REPLACEMENT);
			} else {
				strbuf_add(sb, s + i, n);
			}
			break;
		}
		i += n;
	}
}

void rp_html_escape(struct strbuf *sb, const char *s)
{
	markup_escape(sb, s, 0);
}

void rp_xml_escape(struct strbuf *sb, const char *s)
{
	markup_escape(sb, s, 1);
}

size_t rp_utf8_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void rp_term_fit(struct strbuf *sb, const char *s, size_t width)
{
	char *safe = term_safe_dup(s ? s : "");
	size_t w = rp_utf8_width(safe);

	if (w <= width || width == 0) {
		strbuf_addstr(sb, safe);
	} else {
		/* Keep width-1 code points, then the ellipsis. */
		size_t keep = width - 1, i = 0, cps = 0;

		while (safe[i]) {
			if (((unsigned char)safe[i] & 0xc0) != 0x80) {
				if (cps == keep)
					break;
				cps++;
			}
			i++;
		}
		strbuf_add(sb, safe, i);
		strbuf_addstr(sb, "\xe2\x80\xa6");
	}
	free(safe);
}
