/*
 * keymap: a hash map from byte-string keys to 64-bit values, for the
 * few places that must find "have I seen this key" among hundreds of
 * thousands of keys without a round trip through SQLite.
 *
 * Keys are copied into one arena; nothing is removed one by one, the
 * whole map is cleared or freed.
 */
#ifndef CFGAUDIT_KEYMAP_H
#define CFGAUDIT_KEYMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct keymap_slot;

struct keymap {
	struct keymap_slot *slots; /* open addressing, linear probing */
	size_t cap;                /* slots allocated: 0 or a power of two */
	size_t count;              /* keys stored */
	char *arena;               /* the key bytes, back to back */
	size_t arena_len, arena_alloc;
};

#define KEYMAP_INIT { NULL, 0, 0, NULL, 0, 0 }

/* The value slot of key, or NULL when absent. */
int64_t *keymap_find(const struct keymap *m, const void *key, size_t len);
/* The value slot of key, added with value 0 when absent; *added tells
 * which (added may be NULL). */
int64_t *keymap_insert(struct keymap *m, const void *key, size_t len, int *added);
/* Make room for n keys at once (rehashing while growing is most of the
 * cost of filling a large map). */
void keymap_reserve(struct keymap *m, size_t n);
/* Forget every key, keeping the memory for reuse. */
void keymap_clear(struct keymap *m);
void keymap_release(struct keymap *m);
/* The map's 64-bit hash of the bytes (never 0), for callers that key a
 * map by a digest of a longer text. */
uint64_t keymap_hash(const void *key, size_t len);
/* Another 64-bit hash of the bytes (never 0), eight bytes at a time: for
 * hot loops over longer texts (resultbuf hashes every result's resource
 * columns and annotation; keymap_hash's byte-at-a-time loop was a third
 * of finding them; inline, as it was there). Not keymap_hash, whose
 * digests are stored. */
/* One step of keymap_text_hash: the eight bytes at b mixed into h (also
 * the lanes of pit_delta's file digest). */
static inline uint64_t keymap_mix8(uint64_t h, const unsigned char *b)
{
	uint64_t w;

	memcpy(&w, b, 8);
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static inline uint64_t keymap_text_hash(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; b += 8, len -= 8)
		h = keymap_mix8(h, b);
	w = 0;
	memcpy(&w, b, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return h ? h : 1;
}

#endif
