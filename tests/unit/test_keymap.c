/*
 * test_keymap: the hash map behind result de-duplication and the
 * point-in-time presence check (src/util/keymap.c).
 */
#include <stdio.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "util/keymap.h"

int main(void)
{
	struct keymap m = KEYMAP_INIT;
	char key[32];
	int added, all_found = 1, none_extra = 1;

	ok(keymap_find(&m, "a", 1) == NULL, "empty map finds nothing");
	*keymap_insert(&m, "a", 1, &added) = 7;
	ok(added, "first insert adds");
	ok(keymap_insert(&m, "a", 1, &added) && !added, "second insert of the same key does not");
	is_int(*keymap_find(&m, "a", 1), 7, "value kept");
	ok(keymap_find(&m, "ab", 2) == NULL, "a longer key with the same prefix is another key");
	*keymap_insert(&m, "", 0, &added) = 3;
	ok(added && *keymap_find(&m, "", 0) == 3, "the empty key is a key");
	*keymap_insert(&m, "x\0y", 3, NULL) = 1;
	*keymap_insert(&m, "x\0z", 3, NULL) = 2;
	ok(*keymap_find(&m, "x\0y", 3) == 1 && *keymap_find(&m, "x\0z", 3) == 2,
	   "keys with NUL bytes compare in full");

	/* Enough keys to grow the table several times. */
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i);

		*keymap_insert(&m, key, (size_t)n, NULL) = i;
	}
	is_int(m.count, 100004, "count after 100000 more keys");
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i);
		int64_t *v = keymap_find(&m, key, (size_t)n);

		if (!v || *v != i)
			all_found = 0;
	}
	ok(all_found, "every key found with its value after growing");
	for (int i = 100000; i < 101000; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i);

		if (keymap_find(&m, key, (size_t)n))
			none_extra = 0;
	}
	ok(none_extra, "keys never inserted are absent");

	keymap_clear(&m);
	ok(m.count == 0 && keymap_find(&m, "a", 1) == NULL, "clear forgets every key");
	*keymap_insert(&m, "a", 1, &added) = 9;
	ok(added && *keymap_find(&m, "a", 1) == 9, "usable after clear");
	keymap_release(&m);
	ok(m.cap == 0 && keymap_find(&m, "a", 1) == NULL, "release leaves an empty map");
	return tap_done();
}
