/*
 * jdump: fast compact JSON writer (see jdump.h). Byte-for-byte the same
 * as jansson's compact dump, which the tests check on every fixture and
 * on thousands of generated values.
 */
#include "ingest/jdump.h"

#include <stdint.h>
#include <string.h>

/* 1: a byte that must be escaped in a JSON string (jansson escapes the
 * quote, the backslash and control bytes; nothing else by default) */
static const unsigned char needs_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1,	['\\'] = 1,
};

static void dump_string(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;

	strbuf_grow(sb, len + 2);
	sb->buf[sb->len++] = '"';
	while (i < len) {
		size_t run = i;
		unsigned char c;

		while (i < len && !needs_escape[(unsigned char)s[i]])
			i++;
		if (i > run)
			strbuf_add(sb, s + run, i - run);
		if (i >= len)
			break;
		c = (unsigned char)s[i++];
		strbuf_grow(sb, 6);
		sb->buf[sb->len++] = '\\';
		switch (c) {
		case '"':
		case '\\':
			sb->buf[sb->len++] = (char)c;
			break;
		case '\b':
			sb->buf[sb->len++] = 'b';
			break;
		case '\f':
			sb->buf[sb->len++] = 'f';
			break;
		case '\n':
			sb->buf[sb->len++] = 'n';
			break;
		case '\r':
			sb->buf[sb->len++] = 'r';
			break;
		case '\t':
			sb->buf[sb->len++] = 't';
			break;
		default:
			sb->buf[sb->len++] = 'u';
			sb->buf[sb->len++] = '0';
			sb->buf[sb->len++] = '0';
			sb->buf[sb->len++] = hex[c >> 4];
			sb->buf[sb->len++] = hex[c & 15];
			break;
		}
	}
	strbuf_addch(sb, '"');
}

static void dump_integer(struct strbuf *sb, json_int_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[n++] = '-';
	strbuf_grow(sb, (size_t)n);
	while (n)
		sb->buf[sb->len++] = tmp[--n];
	sb->buf[sb->len] = '\0';
}

static int real_cb(const char *buf, size_t size, void *data)
{
	strbuf_add(data, buf, size);
	return 0;
}

void jdump(const json_t *v, struct strbuf *sb)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		void *it = json_object_iter((json_t *)v);
		int first = 1;

		strbuf_addch(sb, '{');
		for (; it; it = json_object_iter_next((json_t *)v, it)) {
			if (!first)
				strbuf_addch(sb, ',');
			first = 0;
			dump_string(sb, json_object_iter_key(it), json_object_iter_key_len(it));
			strbuf_addch(sb, ':');
			jdump(json_object_iter_value(it), sb);
		}
		strbuf_addch(sb, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		strbuf_addch(sb, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_addch(sb, ',');
			jdump(json_array_get(v, i), sb);
		}
		strbuf_addch(sb, ']');
		break;
	}
	case JSON_STRING:
		dump_string(sb, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		dump_integer(sb, json_integer_value(v));
		break;
	case JSON_REAL:
		json_dump_callback(v, real_cb, sb, JSON_COMPACT | JSON_ENCODE_ANY);
		break;
	case JSON_TRUE:
		strbuf_add(sb, "true", 4);
		break;
	case JSON_FALSE:
		strbuf_add(sb, "false", 5);
		break;
	default:
		strbuf_add(sb, "null", 4);
		break;
	}
}
