/*
 * cli_output: JSON string and CSV field writers (see cli_output.h).
 */
#include "cli/cli_output.h"
#include "util/csv.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <string.h>

/* Printable ASCII without the characters a format must escape: the
 * common case, written as it is. */
static int plain(const char *s, const char *special)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || strchr(special, *s))
			return 0;
	return 1;
}

void cli_put_json_string(FILE *out, const char *s)
{
	struct strbuf v = STRBUF_INIT;

	if (!s) {
		fputs("null", out);
		return;
	}
	if (plain(s, "\"\\<")) {
		fputc('"', out);
		fputs(s, out);
		fputc('"', out);
		return;
	}

	utf8_clean(&v, s, strlen(s));
	fputc('"', out);
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.buf[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else if (c == '<')
			fputs("\\u003c", out); /* harmless if the JSON lands in HTML */
		else
			fputc(c, out);
	}
	fputc('"', out);
	strbuf_release(&v);
}

void cli_put_csv_field(FILE *out, const char *s, int first)
{
	struct strbuf row = STRBUF_INIT;

	csv_add_field(&row, s, first);
	fwrite(row.buf, 1, row.len, out);
	strbuf_release(&row);
}
