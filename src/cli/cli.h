/*
 * cli: what every command shares -- the global options, exit codes,
 * parsing a command's options (cli_parse_options: --help, --quiet and
 * bad usage handled the same way everywhere), string lists for
 * repeatable options, and opening the store. Each cmd_*.c only parses
 * its options and prints; the work is in the library.
 */
#ifndef CFGAUDIT_CLI_H
#define CFGAUDIT_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Exit status, as cfgaudit(1) documents. */
enum cli_exit {
	EXIT_OK = 0,            /* success, nothing non-compliant */
	EXIT_NONCOMPLIANT = 1,  /* the run or selection has NON_COMPLIANT results */
	EXIT_ERROR = 2,         /* usage, input or system error */
	EXIT_INVALID_RULE = 3,  /* an invalid rule or pack */
};

/* Options given before the command name. */
struct cli_ctx {
	const char *db_path; /* --db, $CFGAUDIT_DB, or ./cfgaudit.db */
	int quiet;           /* --quiet: no progress, no summaries on stderr */
};

/* A growable list of borrowed strings (argv elements). */
struct strlist {
	const char **items; /* the strings, borrowed */
	size_t nr;          /* how many */
	size_t alloc;       /* allocated slots */
};
#define STRLIST_INIT { NULL, 0, 0 }
void strlist_push(struct strlist *l, const char *s);
void strlist_release(struct strlist *l);
int strlist_has(const struct strlist *l, const char *s);

/* Open the store for a command; prints the error and returns NULL. */
struct store *cli_open_store(const struct cli_ctx *ctx, enum store_mode mode);

/* Parse a time option (ISO 8601 UTC or a bare date). Prints an error
 * naming the option and returns -1 on a bad value. */
int cli_parse_time(const char *option, const char *value, int64_t *ms);

/* Parse a positive integer option in [min, max]. */
int cli_parse_int(const char *option, const char *value, long min, long max, long *out);

/* Check that value is an AWS account id: exactly 12 digits. Prints an
 * error naming the option and returns -1 otherwise. */
int cli_check_account(const char *option, const char *value);

/* Check that value is one of the NULL-terminated choices. */
int cli_check_choice(const char *option, const char *value, const char *const *choices);

/* Print "usage: ..." to stderr (for bad usage) and return EXIT_ERROR. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What a command's options are: the getopt_long table (ending with
 * CLI_COMMON_LONG_OPTIONS), its short options besides -h and -q ("o:",
 * or "" for none), its usage and help text, and whether it refuses
 * arguments after its options. */
struct cli_command {
	const char *usage;
	void (*help)(void);
	const struct option *longopts;
	const char *shortopts;
	int no_arguments;
};

/* --quiet and --help, which every command takes. */
#define CLI_COMMON_LONG_OPTIONS                          \
	{ "quiet", no_argument, NULL, 'q' },             \
	{ "help", no_argument, NULL, 'h' },              \
	{ NULL, 0, NULL, 0 }

/* Handles one of a command's own options: c as getopt_long returns it,
 * value its argument (or NULL). Returns 0 to go on, or the exit status
 * to stop with after printing why (usually EXIT_ERROR). */
typedef int cli_option_fn(void *arg, int c, const char *value);

/* Parse the options of argv (argv[0] is the command's name; options and
 * arguments may mix, "--" ends the options) with getopt_long, handing
 * each of the command's own options to fn. --help prints the help and
 * stops with 0; --quiet sets ctx->quiet; an unknown option or a missing
 * value stops with cli_option_error(), and so does an argument when
 * cmd->no_arguments. Returns -1 when every option was taken (optind is
 * then the first argument), else the exit status. */
int cli_parse_options(const struct cli_command *cmd, int argc, char **argv,
		      struct cli_ctx *ctx, cli_option_fn *fn, void *arg);

/* Print the usage error for getopt_long's result c (':' for a missing
 * value, anything else an unknown option), naming the option as typed,
 * and return EXIT_ERROR. */
int cli_option_error(const char *usage, char **argv, int c);


/* Flush stdout and check for write errors (EPIPE, ENOSPC). Returns
 * status unchanged on success, EXIT_ERROR after printing otherwise. */
int cli_finish_stdout(int status);

/* Number of online processors (at least 1). */
long cli_cpu_count(void);

/* The directory holding the built-in rules/ and packs/: $CFGAUDIT_DATADIR,
 * else the source tree when running from the build tree, else the
 * installed data directory. Borrowed string. */
const char *cli_data_dir(void);

/* Every command. */
int cmd_ingest(int argc, char **argv, struct cli_ctx *ctx);
int cmd_resources(int argc, char **argv, struct cli_ctx *ctx);
int cmd_history(int argc, char **argv, struct cli_ctx *ctx);
int cmd_eval(int argc, char **argv, struct cli_ctx *ctx);
int cmd_report(int argc, char **argv, struct cli_ctx *ctx);
int cmd_audit(int argc, char **argv, struct cli_ctx *ctx);
int cmd_diff(int argc, char **argv, struct cli_ctx *ctx);
int cmd_bundle(int argc, char **argv, struct cli_ctx *ctx);
int cmd_compare(int argc, char **argv, struct cli_ctx *ctx);
int cmd_merge(int argc, char **argv, struct cli_ctx *ctx);
int cmd_coverage(int argc, char **argv, struct cli_ctx *ctx);
int cmd_verify(int argc, char **argv, struct cli_ctx *ctx);
int cmd_rules(int argc, char **argv, struct cli_ctx *ctx);
int cmd_pack(int argc, char **argv, struct cli_ctx *ctx);

#endif
