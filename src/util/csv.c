/*
 * csv: see csv.h.
 */
#include "util/csv.h"
#include "util/utf8.h"

#include <string.h>

/* Printable ASCII without a comma, quote or formula lead: written as it
 * is (the common case). */
static int plain(const char *s)
{
	if (!s[0] || strchr("=+-@", s[0]))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == ',' || *s == '"')
			return 0;
	return 1;
}

void csv_add_field(struct strbuf *row, const char *s, int first)
{
	struct strbuf v = STRBUF_INIT;
	int quote = 0;

	if (!first)
		strbuf_addch(row, ',');
	if (s && plain(s)) {
		strbuf_addstr(row, s);
		return;
	}
	if (s && s[0] && strchr("=+-@\t\r", s[0]))
		strbuf_addch(&v, '\'');
	if (s)
		utf8_clean(&v, s, strlen(s));
	for (size_t i = 0; i < v.len; i++)
		if (v.buf[i] == ',' || v.buf[i] == '"' || v.buf[i] == '\r' || v.buf[i] == '\n')
			quote = 1;
	if (!quote) {
		strbuf_add(row, v.buf, v.len);
	} else {
		strbuf_addch(row, '"');
		for (size_t i = 0; i < v.len; i++) {
			if (v.buf[i] == '"')
				strbuf_addch(row, '"');
			strbuf_addch(row, v.buf[i]);
		}
		strbuf_addch(row, '"');
	}
	strbuf_release(&v);
}
