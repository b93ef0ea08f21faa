/*
 * cli.h — what the command files share: the run's context, the option
 * tables, and the renderers. The CLI sees the library only through ladder.h.
 */
#ifndef LADDER_CLI_H
#define LADDER_CLI_H

#include <json-c/json.h>
#include <pthread.h>
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
	OPT_GROUP_MS,
	OPT_SYMBOL,
	OPT_STRICT,
	OPT_TIMESTAMP,
	OPT_DOWN,
	OPT_NO_TRANSACTION,
	OPT_FOREIGN_KEYS_OFF,
	OPT_DEPFILE,
	OPT_FROM,
	OPT_SPLIT,
	OPT_DROP_TOOL_TABLE,
	OPT_ENGINE,
};

struct ctx;

/* The most positional arguments a command takes (repair ID...). */
#define CLI_MAX_ARGS 64

/* What the dispatcher sets up before a command runs, and frees after it
 * (git's RUN_SETUP): the manifest, then the database. A command whose
 * set-up failed still runs, with the status, to render the failure. */
enum {
	/* load the manifest with every SQL file checked */
	CLI_MANIFEST = 1 << 0,
	/* load it with LADDER_LOAD_CHECKSUMS_ONLY: for commands that run
	 * nothing, or whose library call checks what it runs */
	CLI_MANIFEST_CHECKSUMS = 1 << 1,
	/* open the database (-d, LADDER_DATABASE, the manifest's) read-only */
	CLI_DB_READ = 1 << 2,
	/* open it for writing; read-only under --dry-run */
	CLI_DB_WRITE = 1 << 3,
	/* with --apply: a scratch database with the whole chain applied,
	 * instead of the database (without CLI_DB_*: only with --apply) */
	CLI_DB_SCRATCH_APPLIED = 1 << 4,
	/* without -d: an empty scratch database instead of the manifest's */
	CLI_DB_SCRATCH_UNLESS_D = 1 << 5,
	/* the library checks the command's argument: its LADDER_EUSAGE is a
	 * usage error (exit usage_exit), not a failure */
	CLI_LIBRARY_USAGE = 1 << 6,
};

/* One command, declared in its own cmd_<name>.c as cmd_<name>_entry. */
struct cli_command {
	const char *name;
	const char *summary;
	const char *usage;	 /* after "ladder NAME" */
	const char *description; /* paragraph for NAME --help */
	const struct opt *opts;	 /* NULL-terminated, besides the globals */
	unsigned flags;		 /* CLI_MANIFEST..., what to set up */
	int positional;		 /* how many positional arguments it takes */
	int optional;		 /* how many of them may be left out */
	int usage_exit;		 /* exit code on a usage error; 0 = 2 */
	int fail_exit;		 /* exit code on a failure; 0 = 1 */
	/* Optional: argument checks once the manifest is loaded (`rc` its
	 * status) and before the database is opened. 0 goes on; anything
	 * else is the exit code (a usage error). */
	int (*prepare)(struct ctx *ctx, int rc);
	/* The command: `rc` is the set-up's status (when not 0, ctx->m or
	 * ctx->db may be NULL and the command only renders the failure).
	 * Returns the exit code, from cli_exit_code(). */
	int (*run)(struct ctx *ctx, int rc);
};

/* The run: global options, the command's own, and what is rendered. */
struct ctx {
	const struct cli_command *cmd;
	const char *manifest_path;
	const char *database; /* -d, else LADDER_DATABASE; may be NULL */
	enum format format;
	int github; /* --format github: text, with diagnostics as GitHub
		     * workflow-command annotations on stdout */
	int quiet;
	int verbose;
	int color;	     /* resolved: 1 = use colour on stderr */
	int lock_timeout_ms; /* -1 = the library's default */
	/* command options */
	long long to;
	int dry_run;
	int allow_out_of_order;
	int apply;		     /* validate/schema --apply */
	int strict;		     /* validate --strict: warnings fail */
	int atomic;		     /* up --atomic */
	const char *backup;	     /* up --backup[=PATH]: "" = the default */
	int group_ms;		     /* up --group-ms, plus one; 0 = unset */
	const char *symbol;	     /* embed --symbol */
	ladder_new_options new_opts; /* new --timestamp, --down, ... */
	int timestamp;		     /* new --timestamp */
	const char *output;	     /* embed -o FILE */
	const char *depfile;	     /* embed --depfile / -MD */
	const char *from;	     /* import/adopt --from TOOL */
	const char *split;	     /* import --split DIR */
	const char *engine;	     /* import --engine ENGINE */
	int drop_tool_table;	     /* adopt --drop-tool-table */
	long long id;		     /* baseline ID, once checked */
	const char *args[CLI_MAX_ARGS]; /* positional arguments */
	int64_t ids[CLI_MAX_ARGS];	/* repair ID..., once checked */
	int nargs;
	ladder_diags *diags;
	/* set up by the dispatcher (flags), freed by it after the run */
	ladder_manifest *m;
	ladder_db *db;
};

/* options.c */
int cli_parse(struct ctx *ctx, int argc, char **argv,
	      const struct cli_command *const *commands, size_t ncommands);
void cli_help_command(FILE *out, const struct cli_command *cmd);
void cli_help_main(FILE *out, const struct cli_command *const *commands,
		   size_t n);
/* Prints `ladder: error: ...` and the hint to --help; returns usage_exit. */
int cli_usage_error(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* output.c */
/* Writes the diagnostics as text on stderr (no-op under --format json). */
void out_diags(const struct ctx *ctx);
/* An error the CLI itself found, rendered as a diagnostic (`FILE: error:
 * message`, `ladder: error: message` when `file` is NULL) on stderr, like
 * out_diags; shown under --quiet, not under --format json. */
void out_error(const struct ctx *ctx, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failure's summary line on stderr: shown under --quiet too (it reports
 * an error), not under --format json. */
void out_fail_line(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON array of the diagnostics, for the document a command prints. */
json_object *out_diags_json(const struct ctx *ctx);
/* The version of the JSON documents' shape (docs/json.md): raised when a
 * key is renamed or removed or its meaning changes, not when one is added. */
#define OUT_FORMAT_VERSION 1
/* Prints `doc` on stdout with "format_version", "exit_code" and
 * "diagnostics" added, frees it, and returns `exit_code`. */
int out_json(const struct ctx *ctx, json_object *doc, int exit_code);
/* Under --format json, the command's document for a usage error found
 * once the command runs (`message`, as cli_usage_error printed it):
 * {command, ok: false, ...} with a "usage" diagnostic. Returns
 * `exit_code`. */
int out_usage_json(const struct ctx *ctx, const char *message, int exit_code);
/* A line on stdout, unless --quiet or --format json. */
void out_line(const struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* `s` (`n` bytes) for a terminal: every control byte (below 0x20, and
 * 0x7f) written as \xNN, so nothing recorded or named can move the cursor,
 * recolour or ring. A fresh string the caller frees; NULL when out of
 * memory. out_put_escaped() writes it to `f` (a `?` for NULL input). */
char *out_escaped(const char *s, size_t n);
void out_put_escaped(FILE *f, const char *s);
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
	/* The live line's ticker: a thread that redraws it while a long
	 * statement runs (no event comes meanwhile); `mu` guards what is
	 * drawn and printed while it runs. */
	pthread_t ticker;
	int ticking;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	/* what the line shows: the step running, 0 = none */
	int showing;
	size_t index, total;
	int64_t id;
	const char *name;
	unsigned line; /* of the statement running, 0 = none */
};
void progress_init(struct progress *p, const struct ctx *ctx, int down);
/* Whether the run wants statement events: -v, or a live progress line. */
int progress_wants_statements(const struct progress *p);
void progress_event(const ladder_event *ev, void *p);
/* Renders the outcome of the run (`rc`, the library status) and returns
 * the exit code. */
int progress_finish(struct progress *p, int rc);
void progress_release(struct progress *p);

/* cmd_new.c: new's options and its work, which init shares. */
extern const struct opt cli_new_opts[];
/* ladder_new_with() for NAME under new's options, signals held. */
int cli_new_migration(struct ctx *ctx, const char *name, char **created,
		      int64_t *id);

/* main.c: the dispatcher's services to the commands. */
/* The exit code of the command for the library's status, the one rule for
 * every command: 0; 128 + the signal when one was caught during a failed
 * run; the command's usage_exit for LADDER_EUSAGE under
 * CLI_LIBRARY_USAGE; else its fail_exit (1; `check`: 3, which a signal
 * does not change). */
int cli_exit_code(const struct ctx *ctx, int rc);
/* Opens the database the command's flags ask for in ctx->db, watched by
 * the signal handler, as the dispatcher does when the manifest loaded:
 * for a command that still shows what it can of a manifest with errors
 * (status, when only listed files are unreadable). */
int cli_open_db(struct ctx *ctx);
/* 128 + the signal that interrupted the run, or 0. */
int cli_signal_exit(void);

extern const struct cli_command cmd_up_entry, cmd_status_entry, cmd_check_entry,
	cmd_validate_entry, cmd_schema_entry, cmd_export_entry, cmd_embed_entry,
	cmd_new_entry, cmd_down_entry, cmd_baseline_entry, cmd_repair_entry,
	cmd_init_entry;
extern const struct cli_command cmd_import_entry, cmd_adopt_entry;

#endif
