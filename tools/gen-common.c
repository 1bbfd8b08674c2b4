/*
 * gen-common: buffer, PRNG and time helpers for tools/gen-archive.
 * See gen-common.h.
 */
#include "gen-common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *gen_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("gen-archive: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *gen_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("gen-archive: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *gen_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = gen_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

static void gbuf_reserve(struct gbuf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX / 2 - b->len - 1)
		abort();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->p = gen_xrealloc(b->p, cap);
	b->cap = cap;
}

void gbuf_reset(struct gbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void gbuf_free(struct gbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void gbuf_add(struct gbuf *b, const void *data, size_t n)
{
	gbuf_reserve(b, n);
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void gbuf_puts(struct gbuf *b, const char *s)
{
	gbuf_add(b, s, strlen(s));
}

void gbuf_putc(struct gbuf *b, char c)
{
	gbuf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void gbuf_printf(struct gbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	gbuf_reserve(b, 128);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n >= b->cap - b->len) {
		gbuf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void gbuf_json_n(struct gbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	gbuf_reserve(b, n + 2);
	b->p[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		/* flush the plain run before this character */
		gbuf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': gbuf_add(b, "\\\"", 2); break;
		case '\\': gbuf_add(b, "\\\\", 2); break;
		case '\n': gbuf_add(b, "\\n", 2); break;
		case '\t': gbuf_add(b, "\\t", 2); break;
		case '\r': gbuf_add(b, "\\r", 2); break;
		case '\b': gbuf_add(b, "\\b", 2); break;
		case '\f': gbuf_add(b, "\\f", 2); break;
		default: {
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			gbuf_add(b, u, 6);
		}
		}
	}
	gbuf_add(b, s + run, n - run);
	gbuf_putc(b, '"');
}

void gbuf_json(struct gbuf *b, const char *s)
{
	if (!s)
		gbuf_add(b, "null", 4);
	else
		gbuf_json_n(b, s, strlen(s));
}

void gbuf_urlencode(struct gbuf *b, const char *s, size_t n, int lax)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	gbuf_reserve(b, n * 3);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
		if (!plain && lax && c && strchr(":/*,=@+", c))
			plain = 1;
		if (plain) {
			b->p[b->len++] = (char)c;
		} else {
			b->p[b->len++] = '%';
			b->p[b->len++] = hex[c >> 4];
			b->p[b->len++] = hex[c & 15];
		}
	}
	b->p[b->len] = '\0';
}

uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t hash2(uint64_t a, uint64_t b)
{
	return mix64(mix64(a) ^ (b * 0xd6e8feb86659fd93ULL + 0x2545f4914f6cdd1dULL));
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		seed = mix64(seed + (uint64_t)i);
		r->s[i] = seed;
	}
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	/* Lemire's multiply-shift; the tiny bias is irrelevant for test data */
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int rng_chance(struct rng *r, unsigned permille)
{
	return rng_below(r, 1000) < permille;
}

static void split(ms_t t, struct tm *tm, int *ms)
{
	ms_t sec = t / 1000;
	int frac = (int)(t % 1000);
	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	time_t tt = (time_t)sec;
	gmtime_r(&tt, tm);
	*ms = frac;
}

/* Format into a roomy buffer first: the compiler cannot know that the
 * fields of a struct tm are small, and the caller's buffer is exact. */
static void fmt_tm(char *out, size_t size, const struct tm *tm, int ms, int iso, int frac)
{
	char tmp[96];
	unsigned y = (unsigned)(tm->tm_year + 1900) % 10000, mo = (unsigned)(tm->tm_mon + 1) % 100,
		 d = (unsigned)tm->tm_mday % 100, h = (unsigned)tm->tm_hour % 100,
		 mi = (unsigned)tm->tm_min % 100, s = (unsigned)tm->tm_sec % 100,
		 f = (unsigned)ms % 1000;
	if (iso && frac)
		snprintf(tmp, sizeof tmp, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", y, mo, d, h, mi, s,
			 f);
	else if (iso)
		snprintf(tmp, sizeof tmp, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, mo, d, h, mi, s);
	else
		snprintf(tmp, sizeof tmp, "%04u%02u%02uT%02u%02u%02uZ", y, mo, d, h, mi, s);
	size_t n = strlen(tmp);
	if (n >= size)
		n = size - 1;
	memcpy(out, tmp, n);
	out[n] = '\0';
}

void fmt_iso_ms(char *out, ms_t t)
{
	struct tm tm;
	int ms;
	split(t, &tm, &ms);
	fmt_tm(out, 25, &tm, ms, 1, 1);
}

void fmt_iso_s(char *out, ms_t t)
{
	struct tm tm;
	int ms;
	split(t, &tm, &ms);
	fmt_tm(out, 21, &tm, ms, 1, 0);
}

void fmt_compact(char *out, ms_t t)
{
	struct tm tm;
	int ms;
	split(t, &tm, &ms);
	fmt_tm(out, 17, &tm, ms, 0, 0);
}

void civil(ms_t t, int *y, int *m, int *d)
{
	struct tm tm;
	int ms;
	split(t, &tm, &ms);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int parse_date(const char *s, ms_t *out)
{
	int y, m, d, n = 0;
	struct tm tm;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0')
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	time_t tt = timegm(&tm);
	if (tt == (time_t)-1)
		return -1;
	*out = (ms_t)tt * 1000;
	return 0;
}

void fmt_uuid(char *out, struct rng *r)
{
	uint64_t a = rng_next(r), b = rng_next(r);
	a = (a & ~0xf000ULL) | 0x4000ULL;               /* version 4 */
	b = (b & ~(3ULL << 62)) | (2ULL << 62);          /* variant 10 */
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xffff), (unsigned)(b >> 48),
		 (unsigned long long)(b & 0xffffffffffffULL));
}
