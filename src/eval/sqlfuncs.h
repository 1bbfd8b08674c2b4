/*
 * sqlfuncs: the SQL functions rules may call, implemented in C and
 * registered from one table (list and contracts in cfgaudit-rules(5)).
 */
#ifndef CFGAUDIT_SQLFUNCS_H
#define CFGAUDIT_SQLFUNCS_H

#include <sqlite3.h>
#include <stdint.h>

/* Register every helper function on db. as_of_ms is the evaluation time
 * that as_of() and the age functions use. Returns SQLITE_OK or an SQLite
 * error code. Registering again updates the evaluation time (not while a
 * statement on db is running: SQLite then refuses with SQLITE_BUSY). */
int sqlfuncs_register(sqlite3 *db, int64_t as_of_ms);

/* How many regular expressions regexp() has compiled in this process, so
 * that tests and statistics can see that a pattern is compiled once per
 * statement, not once per row. */
unsigned long sqlfuncs_regexp_compiles(void);

/* How many policy texts the policy_* functions have parsed in this
 * process: each connection keeps the documents it parsed (bounded), so
 * that tests can see a text read from many rows parsed once. */
unsigned long sqlfuncs_policy_parses(void);

#endif
