/*
 * term: neutralise control characters and invalid UTF-8 in text that came
 * from input files before it reaches a terminal (see term.h).
 */
#include "util/term.h"
#include "util/xalloc.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <string.h>

static void append_safe(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;

		if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\x%02x", c);
			i++;
			continue;
		}
		if (c < 0x80) {
			strbuf_addch(sb, (char)c);
			i++;
			continue;
		}
		n = utf8_valid_prefix(s + i, len - i);
		if (n == 0) {
			strbuf_addf(sb, "\\x%02x", c);
			i++;
			continue;
		}
		/* C1 controls are U+0080..U+009F, encoded as C2 80..C2 9F. */
		if (n == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			strbuf_addf(sb, "\\u%04x", (unsigned char)s[i + 1]);
			i += 2;
			continue;
		}
		strbuf_add(sb, s + i, n);
		i += n;
	}
}

void term_write_safe(FILE *f, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	append_safe(&sb, s, len);
	fwrite(sb.buf, 1, sb.len, f);
	strbuf_release(&sb);
}

char *term_safe_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	append_safe(&sb, s ? s : "", s ? strlen(s) : 0);
	return strbuf_detach(&sb, NULL);
}
