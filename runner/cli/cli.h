/*
 * cli.h — what the command files share: the run's context, the option
 * tables, and the renderers. The CLI sees the library only through ladder.h.
 */
#ifndef LADDER_CLI_H
#define LADDER_CLI_H

#include <json-c/json.h>
#include <stdio.h>

#include "ladder.h"

/* Exit codes shared by every command but `check` (see docs/exit-codes.md). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

enum format { FORMAT_TEXT, FORMAT_JSON };

/* One option, declared once: it drives both parsing and --help. */
struct opt {
	const char *name; /* long name */
	int key;	  /* short letter, or an OPT_* value above 255 */
	const char *arg;  /* metavariable, or NULL for a flag */
	const char *help;
};

/* Keys of options that have no short letter. */
enum {
	OPT_FORMAT = 256,
	OPT_COLOR,
	OPT_LOCK_TIMEOUT,
	OPT_TO,
	OPT_DRY_RUN,
	OPT_ALLOW_OUT_OF_ORDER,
	OPT_APPLY,
	OPT_ATOMIC,
	OPT_BACKUP,
	OPT_SYMBOL,
};

struct ctx;

struct command {
	const char *name;
	int (*run)(struct ctx *ctx);
	const char *summary;
	const char *usage;	 /* after "ladder NAME" */
	const char *description; /* paragraph for NAME --help */
	const struct opt *opts;	 /* NULL-terminated, besides the globals */
	int usage_exit;		 /* exit code on a usage error */
	int positional;		 /* how many positional arguments it takes */
};

/* The run: global options, the command's own, and what is rendered. */
struct ctx {
	const struct command *cmd;
	const char *manifest_path;
	const char *database; /* -d, else LADDER_DATABASE; may be NULL */
	enum format format;
	int quiet;
	int verbose;
	int color;	     /* resolved: 1 = use colour on stderr */
	int lock_timeout_ms; /* -1 = the library's default */
	/* command options */
	long long to;
	int dry_run;
	int allow_out_of_order;
	int apply;	     /* validate/schema --apply */
	int atomic;	     /* up --atomic */
	const char *backup;  /* up --backup[=PATH]: "" = the default */
	const char *symbol;  /* embed --symbol */
	const char *args[2]; /* positional arguments */
	int nargs;
	ladder_diags *diags;
};

/* options.c */
int cli_parse(struct ctx *ctx, int argc, char **argv,
	      const struct command *commands, size_t ncommands);
void cli_help_command(FILE *out, const struct command *cmd);
void cli_help_main(FILE *out, const struct command *commands, size_t n);
/* Prints `ladder: error: ...` and the hint to --help; returns usage_exit. */
int cli_usage_error(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* output.c */
/* Writes the diagnostics as text on stderr (no-op under --format json). */
void out_diags(const struct ctx *ctx);
/* A JSON array of the diagnostics, for the document a command prints. */
json_object *out_diags_json(const struct ctx *ctx);
/* Prints `doc` on stdout with "exit_code" and "diagnostics" added, frees it,
 * and returns `exit_code`. */
int out_json(const struct ctx *ctx, json_object *doc, int exit_code);
/* A line on stdout, unless --quiet or --format json. */
void out_line(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An SGR colour sequence for `what` ("error", "applied", ...), or "". */
const char *out_color(const struct ctx *ctx, int on_stdout, const char *what);
const char *out_state_name(ladder_state state);
/* id, name, file, transaction, checksum of one manifest entry. */
json_object *out_migration_json(const ladder_migration *m);
json_object *out_id_list(const ladder_plan *plan, ladder_state state,
			 int out_of_order_only);

/* progress.c: step events of up and down, rendered. */
struct progress {
	const struct ctx *ctx;
	int down;
	int live;	      /* draw a progress line on stderr (a terminal) */
	int drawn;	      /* a progress line is on screen */
	int64_t started_us;   /* when the run began */
	int64_t drawn_us;     /* when the line was last drawn */
	json_object *done;    /* applied or reverted (dry run: would be) */
	json_object *skipped; /* done by another runner meanwhile */
	json_object *backup;  /* {path, sha256} when one was written */
	int64_t total_us;
	size_t count;
};
void progress_init(struct progress *p, const struct ctx *ctx, int down);
/* Whether the run wants statement events: -v, or a live progress line. */
int progress_wants_statements(const struct progress *p);
void progress_event(const ladder_event *ev, void *p);
/* Renders the outcome of the run (`rc`, the library status) and returns
 * the exit code. */
int progress_finish(struct progress *p, int rc);
void progress_release(struct progress *p);
/* The whole of `up` (down = 0) or `down`: load, open, run, render. */
int progress_run(struct ctx *ctx, int down);

/* Shared set-up for the commands (main.c). */
/* Loads the manifest (`flags` as ladder_manifest_load_flags: commands
 * that run nothing, or whose library call checks what it runs, pass
 * LADDER_LOAD_CHECKSUMS_ONLY); on failure renders nothing but leaves the
 * diagnostics in ctx. Returns the library status. */
int cli_load_manifest(struct ctx *ctx, unsigned flags, ladder_manifest **out);
/* Opens the database chosen by -d, LADDER_DATABASE, or the manifest. */
int cli_open_db(struct ctx *ctx, const ladder_manifest *m, int mode,
		ladder_db **out);
/* A fresh in-memory database with the manifest's chain applied, for
 * validate --apply and schema --apply. */
int cli_apply_in_memory(struct ctx *ctx, const ladder_manifest *m,
			ladder_db **out);
/* The database a signal handler should interrupt; a signal that came
 * before it was opened interrupts it at once. */
void cli_watch_db(ladder_db *db);
/* Stops watching `db`, then frees it: never the other way round, so a
 * signal cannot reach a freed database. NULL is fine. */
void cli_close_db(ladder_db *db);
/* 128 + the signal that interrupted the run, or 0. */
int cli_signal_exit(void);
/* The exit code of a write command for the library's status: 0, 1, or
 * 128 + the signal when one interrupted it. (The CLI's own usage errors
 * exit 2 before the library is called.) */
int cli_exit_code(int rc);

int cmd_up(struct ctx *ctx);
int cmd_status(struct ctx *ctx);
int cmd_check(struct ctx *ctx);
int cmd_validate(struct ctx *ctx);
int cmd_down(struct ctx *ctx);
int cmd_new(struct ctx *ctx);
int cmd_schema(struct ctx *ctx);
int cmd_export(struct ctx *ctx);
int cmd_embed(struct ctx *ctx);
int cmd_baseline(struct ctx *ctx);
int cmd_repair(struct ctx *ctx);

#endif
