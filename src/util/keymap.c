/*
 * keymap: open addressing with linear probing, load factor at most 1/2;
 * each slot keeps the key's full 64-bit hash so that probes compare key
 * bytes only on a hash match. FNV-1a, well mixed, is enough: the keys are resource
 * identities and digests, and a hostile key can only cost time, never
 * a wrong answer.
 */
#include "util/keymap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Keys up to INLINE_KEY bytes (item keys, with a tag byte or a series
 * number) live in the slot itself: a probe then costs one cache miss,
 * not two. */
#define INLINE_KEY 24

struct keymap_slot {
	uint64_t hash; /* 0: empty slot (hash_bytes never returns 0) */
	int64_t value;
	uint32_t key_len;
	union {
		size_t off; /* into the arena, when key_len > INLINE_KEY */
		unsigned char bytes[INLINE_KEY];
	} key;
};

static const unsigned char *slot_key(const struct keymap *m, const struct keymap_slot *s)
{
	return s->key_len > INLINE_KEY ? (const unsigned char *)m->arena + s->key.off
				       : s->key.bytes;
}

static uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	/* FNV's low bits depend only on the inputs' low bits, and the table
	 * index takes the low bits: finish with MurmurHash3's mixer. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

static struct keymap_slot *probe(const struct keymap *m, uint64_t h, const void *key,
				 size_t len)
{
	size_t mask = m->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct keymap_slot *s = &m->slots[i];

		if (!s->hash)
			return s;
		if (s->hash == h && s->key_len == len &&
		    (len == 0 || !memcmp(slot_key(m, s), key, len)))
			return s;
	}
}

static void grow(struct keymap *m)
{
	struct keymap_slot *old = m->slots;
	size_t old_cap = m->cap;

	m->cap = old_cap ? old_cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old_cap; i++) {
		struct keymap_slot *s;

		if (!old[i].hash)
			continue;
		s = probe(m, old[i].hash, slot_key(m, &old[i]), old[i].key_len);
		*s = old[i];
	}
	free(old);
}

void keymap_reserve(struct keymap *m, size_t n)
{
	while ((n + 1) * 2 > m->cap)
		grow(m);
}

int64_t *keymap_find(const struct keymap *m, const void *key, size_t len)
{
	struct keymap_slot *s;

	if (!m->cap)
		return NULL;
	s = probe(m, hash_bytes(key, len), key, len);
	return s->hash ? &s->value : NULL;
}

int64_t *keymap_insert(struct keymap *m, const void *key, size_t len, int *added)
{
	uint64_t h = hash_bytes(key, len);
	struct keymap_slot *s;

	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	s = probe(m, h, key, len);
	if (len > UINT32_MAX)
		abort(); /* no key is 4 GiB long */
	if (added)
		*added = !s->hash;
	if (s->hash)
		return &s->value;
	s->hash = h;
	s->key_len = (uint32_t)len;
	s->value = 0;
	m->count++;
	if (len <= INLINE_KEY) {
		if (len)
			memcpy(s->key.bytes, key, len);
		return &s->value;
	}
	if (m->arena_len + len > m->arena_alloc) {
		size_t want = m->arena_alloc ? m->arena_alloc * 2 : 4096;

		while (want < m->arena_len + len)
			want *= 2;
		m->arena = xrealloc(m->arena, want);
		m->arena_alloc = want;
	}
	memcpy(m->arena + m->arena_len, key, len);
	s->key.off = m->arena_len;
	m->arena_len += len;
	return &s->value;
}

void keymap_clear(struct keymap *m)
{
	if (m->cap)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->count = 0;
	m->arena_len = 0;
}

void keymap_release(struct keymap *m)
{
	free(m->slots);
	free(m->arena);
	memset(m, 0, sizeof(*m));
}

uint64_t keymap_hash(const void *key, size_t len)
{
	return hash_bytes(key, len);
}
