/*
 * gen-common: small pieces shared by the test-data generator
 * (tools/gen-archive): a growable output buffer with JSON-aware appenders,
 * a seedable PRNG, and UTC time formatting.
 *
 * The generator is a developer tool, not part of libcfgaudit, so it keeps
 * its own tiny helpers and links nothing but zlib. Everything it emits
 * must be a pure function of the seed: no clocks, no addresses, no
 * locale.
 */
#ifndef CFGAUDIT_GEN_COMMON_H
#define CFGAUDIT_GEN_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; p is NUL-terminated after any append. */
struct gbuf {
	char *p;    /* the bytes (NULL until the first append) */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
};

void gbuf_reset(struct gbuf *b);
void gbuf_free(struct gbuf *b);
void gbuf_add(struct gbuf *b, const void *data, size_t n);
void gbuf_puts(struct gbuf *b, const char *s);
void gbuf_putc(struct gbuf *b, char c);
void gbuf_printf(struct gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a quoted JSON string: quotes, backslashes and control
 * characters escaped (control characters other than \n\t\r\b\f as
 * \u00XX), UTF-8 passed through. s NULL appends null. */
void gbuf_json(struct gbuf *b, const char *s);
/* Same for n bytes of s (may hold NUL bytes, escaped as \u0000). */
void gbuf_json_n(struct gbuf *b, const char *s, size_t n);
/* Append s percent-encoded the way IAM returns policy documents:
 * everything but A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex). With
 * lax set, the characters : / * , = @ + are left as they are, as some
 * real documents show (a '+' stays a literal plus, never a space). */
void gbuf_urlencode(struct gbuf *b, const char *s, size_t n, int lax);

/* xoshiro256** seeded through splitmix64. */
struct rng {
	uint64_t s[4];
};

uint64_t mix64(uint64_t x);
/* Combine two values into a well-mixed 64-bit key. */
uint64_t hash2(uint64_t a, uint64_t b);
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* 1 with probability permille/1000. */
int rng_chance(struct rng *r, unsigned permille);
/* A random element of an array of strings. */
#define RNG_PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* Time in milliseconds since the epoch, UTC. */
typedef int64_t ms_t;
#define MS_PER_DAY ((ms_t)86400000)

/* "2026-11-01T03:04:05.678Z" into out (at least 25 bytes). */
void fmt_iso_ms(char *out, ms_t t);
/* "2026-11-01T03:04:05Z" (no fraction). */
void fmt_iso_s(char *out, ms_t t);
/* "20261101T030405Z" (file-name form, at least 17 bytes). */
void fmt_compact(char *out, ms_t t);
/* Civil date parts of t. */
void civil(ms_t t, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD" as midnight UTC; -1 on error. */
int parse_date(const char *s, ms_t *out);
/* A version-4 UUID from the generator, lower-case, 36 chars + NUL. */
void fmt_uuid(char *out, struct rng *r);

void *gen_xmalloc(size_t n);
void *gen_xrealloc(void *p, size_t n);
char *gen_xstrdup(const char *s);

#endif
