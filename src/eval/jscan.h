/*
 * jscan: reading a few members of a JSON document in place, without
 * building it, for derived-table builders that need a handful of values
 * out of large configurations.
 *
 * The scanner takes only plain documents: strings without escapes,
 * numbers without exponents, nesting below JSCAN_MAX_DEPTH. Of the
 * numbers it reads only integers of at most 18 digits (JS_INT); the
 * others (JS_REAL) a caller must not take as read. Anything else -- invalid JSON included -- makes
 * it fail, and the caller reads that document the general way (jparse,
 * SQLite's JSON functions), which gives the values or the error. What it
 * accepts, jparse (and SQLite) accept and read the same way.
 */
#ifndef CFGAUDIT_JSCAN_H
#define CFGAUDIT_JSCAN_H

#include "store/store.h"
#include "util/diag.h"

#include <sqlite3.h>
#include <stddef.h>

#define JSCAN_MAX_DEPTH 64

enum jscan_kind { JS_NULL = 1, JS_TRUE, JS_FALSE, JS_INT, JS_REAL, JS_STR, JS_ARR, JS_OBJ };

/* One value: its kind, its text [start, end), for a string its content
 * (without the quotes: s, len), for an integer its value. */
struct jscan_val {
	enum jscan_kind kind;
	const char *start, *end;
	const char *s;
	size_t len;
	long long i;
};

/* Read (validating it whole) the value at p, after optional blanks.
 * Returns 0, or -1 when the value is not a plain one. */
int jscan_read(const char *p, const char *end, struct jscan_val *v);

/* Read a whole document: one value with optional blanks around it. */
int jscan_doc(const char *buf, size_t len, struct jscan_val *v);

/* The members of an object or the elements of an array, in order: those
 * of a document (jscan_object_doc) each validated as it is read, those of
 * a value read before (jscan_iter_start) only found, since reading the
 * value validated it whole. */
struct jscan_iter {
	const char *p, *end;
	char close;
	int first;
	int validated; /* 1: the text was read whole before (jscan_iter_start) */
};

/* Iterate over a value jscan_read, jscan_doc, jscan_member or jscan_next
 * gave (JS_ARR, JS_OBJ), as they gave it. */
void jscan_iter_start(struct jscan_iter *it, const struct jscan_val *container);

/* The next element (key NULL) or member (key filled): 1, 0 at the end,
 * -1 when the container is not plain. */
int jscan_next(struct jscan_iter *it, struct jscan_val *key, struct jscan_val *v);

/* A whole document that must be an object: iterate over its members
 * (-1 when it does not start as one); once jscan_next has given 0,
 * jscan_doc_end says whether only blanks follow (0) or not (-1). */
int jscan_object_doc(const char *buf, size_t len, struct jscan_iter *it);
int jscan_doc_end(const struct jscan_iter *it);

/* The member key of object o into v, the first (last 0: as SQLite's
 * JSON functions look members up) or the last (last 1: as jansson does)
 * of duplicates; kind 0 when o has none or is not an object. Returns 0,
 * or -1 when o is not plain. */
int jscan_member(const struct jscan_val *o, const char *key, size_t klen, int last,
		 struct jscan_val *v);

/* Call fn for every member of every object in v (an array or object
 * jscan gave), at any depth, each after the members inside it: what
 * json_tree visits as members. Returns 0, or -1 when v is not plain. */
int jscan_walk(const struct jscan_val *v,
	       void (*fn)(void *ctx, const struct jscan_val *key, const struct jscan_val *member),
	       void *ctx);

/* 1 if the string value v is key */
int jscan_is(const struct jscan_val *v, const char *key, size_t klen);
#define JSCAN_IS(v, lit) jscan_is((v), (lit), sizeof(lit) - 1)

/* 1 if the text of v has no blanks outside its strings: SQLite's
 * JSON functions give a part of a document as its text without blanks
 * (and otherwise as written), so such a part is given as it stands. */
int jscan_compact(const struct jscan_val *v);

/* 1 if v is a value jscan_bind_extract binds (not an object, an array
 * or a real). */
int jscan_extractable(const struct jscan_val *v);

/* Bind v (kind 0: absent) as json_extract gives it; text points into
 * the document (SQLITE_STATIC: rebind before the document goes). */
void jscan_bind_extract(sqlite3_stmt *st, int i, const struct jscan_val *v);

/* Bind v (kind 0: absent) as SQLite's -> gives it: its text, which must
 * be compact (jscan_compact) for an object or array. */
void jscan_bind_json(sqlite3_stmt *st, int i, const struct jscan_val *v);

/*
 * Fill a derived table row by row, each item read in place where that
 * can be done and by the table's own expressions otherwise: create makes
 * the table, empty; items lists the items (the columns both statements
 * take first); insert inserts a row from values read in place, its first
 * n_insert parameters the item's first columns and the others bound by
 * scan (which returns 0, or 1 when the item is not simple); by_sql
 * inserts the item's row by the definition's expressions from its first
 * n_by columns; index runs after the fill.
 */
struct jscan_fill {
	const char *what; /* the error's words: "cannot build TABLE" */
	const char *create, *items, *insert, *by_sql, *index;
	int n_insert, n_by;
	int (*scan)(sqlite3_stmt *item, sqlite3_stmt *insert);
};

int jscan_fill(struct store *s, const struct jscan_fill *f, struct diag *d);

/* Insert an item's row by the definition's expressions from a one-row
 * table (bound parameters would be constants to SQLite, which evaluates
 * json_type() of them before json_valid() guards it): clear empties the
 * table, put (its first n parameters the item's first n columns) fills
 * it, by_sql inserts the row. Returns 0, or -1 on an error (in d, as
 * what: "cannot build TABLE"). */
int jscan_by_one_row(struct store *s, const char *what, const char *clear, sqlite3_stmt *put,
		     sqlite3_stmt *by_sql, sqlite3_stmt *item, int n, struct diag *d);

/* 1 if a[0, n) and b[0, n) are equal ignoring ASCII case, as SQLite's
 * LIKE compares (whatever the locale). */
int jscan_like_eq(const char *a, const char *b, size_t n);

#endif
