/*
 * main.c — ladder's entry point: the command table, the set-up commands
 * share (manifest, database, signals), and the exit code. Everything else
 * lives in one cmd_<name>.c per command.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct opt up_opts[] = {
	{"to", OPT_TO, "ID", "apply only migrations with id <= ID"},
	{"dry-run", OPT_DRY_RUN, NULL,
	 "show what would be applied; touch nothing"},
	{"allow-out-of-order", OPT_ALLOW_OUT_OF_ORDER, NULL,
	 "apply pending ids below the highest applied one"},
	{"atomic", OPT_ATOMIC, NULL,
	 "all pending steps in one transaction: all or nothing"},
	{"backup", OPT_BACKUP, "[=PATH]",
	 "first a verified snapshot (default DB.backup-TIME)"},
	{NULL, 0, NULL, NULL},
};

static const struct opt down_opts[] = {
	{"to", OPT_TO, "ID",
	 "revert every applied migration above ID (ID stays; 0 = all)"},
	{"dry-run", OPT_DRY_RUN, NULL,
	 "show what would be reverted; touch nothing"},
	{NULL, 0, NULL, NULL},
};

static const struct opt validate_opts[] = {
	{"apply", OPT_APPLY, NULL,
	 "also apply the whole chain to a fresh in-memory database"},
	{NULL, 0, NULL, NULL},
};

static const struct opt schema_opts[] = {
	{"apply", OPT_APPLY, NULL,
	 "the schema of the chain applied in memory, with no database"},
	{NULL, 0, NULL, NULL},
};

static const struct opt embed_opts[] = {
	{"symbol", OPT_SYMBOL, "NAME",
	 "the C name of the ladder_embedded it defines (default "
	 "ladder_migrations)"},
	{NULL, 0, NULL, NULL},
};

static const struct command commands[] = {
	{"up", cmd_up, "apply pending migrations",
	 "[--to ID] [--dry-run] [--allow-out-of-order] [--atomic] "
	 "[--backup[=PATH]]",
	 "Validates the manifest, then applies every pending migration in id "
	 "order,\neach in its own transaction together with its row in the "
	 "bookkeeping\ntable. Stops at the first failure; the steps before it "
	 "stay applied.\nWith --atomic all pending steps run in one "
	 "transaction instead: all or\nnothing. With --backup, when anything "
	 "is pending, a consistent snapshot is\nwritten first (VACUUM INTO), "
	 "checked with integrity_check, and its path and\nSHA-256 printed; "
	 "copy it back over the database to undo the upgrade.\n\nExit codes: 0 "
	 "done (also when nothing was pending), "
	 "1 failed or refused,\n2 usage, 130/143 interrupted by SIGINT/SIGTERM "
	 "(the running step rolled back).",
	 up_opts, EXIT_USAGE, 0},
	{"status", cmd_status, "show each migration's state", "",
	 "Prints one row per migration: id, name, state (applied, pending, "
	 "changed,\nunknown, failed) and when it was applied. Reads "
	 "only.\n\nExit "
	 "codes: 0 whatever the states, 1 when it cannot read, 2 usage.",
	 NULL, EXIT_USAGE, 0},
	{"check", cmd_check, "is the database compatible with this manifest?",
	 "",
	 "Read-only: prints one line and exits with\n"
	 "  0  compatible: every migration is applied, no unknown ids\n"
	 "  1  migrations needed: pending [ids]\n"
	 "  2  incompatible: the database has unknown or changed migrations,\n"
	 "     or a step without a transaction that failed midway\n"
	 "  3  it could not tell (unreadable manifest or database, usage)\n"
	 "A missing database file is a fresh install: everything pending.",
	 NULL, 3, 0},
	{"validate", cmd_validate, "check the manifest and its SQL files",
	 "[--apply]",
	 "Checks the manifest and every SQL file it lists without opening any "
	 "database,\nreporting every problem as FILE:LINE:COLUMN. With --apply "
	 "it also applies\nthe whole chain, in order, to a fresh in-memory "
	 "SQLite database and reports\nthe first failing statement as "
	 "FILE:LINE with SQLite's message; no file is\nwritten.\n\nExit "
	 "codes: 0 valid, 1 invalid, 2 usage.",
	 validate_opts, EXIT_USAGE, 0},
	{"schema", cmd_schema, "print the database's schema", "[--apply]",
	 "Prints the schema of the database (tables, views, indexes, triggers; "
	 "each by\nname; ladder's bookkeeping tables left out), or with "
	 "--apply "
	 "the schema the\nchain produces when applied to a fresh in-memory "
	 "database. The two agree\nbyte for byte after 'ladder up', so a "
	 "reviewer can diff what a change does.\nReads only.\n\nExit codes: 0, "
	 "1 on error, 2 usage.",
	 schema_opts, EXIT_USAGE, 0},
	{"export", cmd_export, "write pending steps as a sqlite3 script", "",
	 "Writes to stdout one SQL script of the steps pending on the database "
	 "given by\n-d (every step without -d) for the plain sqlite3 shell, on "
	 "a "
	 "device without\nladder: each step in its own transaction with its "
	 "bookkeeping row, and a step\nalready present stops the script with "
	 "nothing half-done. Reads only.\n\n  ladder export -d app.db > "
	 "upgrade.sql && sqlite3 app.db < upgrade.sql\n\nExit codes: 0, 1 "
	 "refused or failed, 2 usage.",
	 NULL, EXIT_USAGE, 0},
	{"embed", cmd_embed, "write the migrations as C source to compile in",
	 "[--symbol NAME]",
	 "Writes to stdout C source that defines a 'const ladder_embedded' "
	 "holding the\nmanifest and every SQL file, so an application ships "
	 "its schema inside its\nbinary and migrates with "
	 "ladder_manifest_from_embedded() and ladder_up().\n\n  ladder embed "
	 "> migrations.c\n\nExit codes: 0, 1 invalid manifest, 2 usage.",
	 embed_opts, EXIT_USAGE, 0},
	{"new", cmd_new, "add the next migration to the manifest", "NAME",
	 "Appends an entry with id = the highest id + 1 to the manifest (its "
	 "text and\ncomments kept) and creates its SQL file, NNNN_NAME.sql, in "
	 "the folder the\nprevious entries use (or sql/), holding only a "
	 "comment header; 'ladder\nvalidate' flags it until a statement is "
	 "written. Never overwrites a file.\nNAME is letters, digits, '_' and "
	 "'-'.\n\nExit codes: 0 done, 1 failed, 2 usage.",
	 NULL, EXIT_USAGE, 1},
	{"down", cmd_down, "revert applied migrations with their down files",
	 "[--to ID] [--dry-run]",
	 "Reverts the newest applied migration, or with --to ID every applied "
	 "one above\nID (ID stays), newest first, each by running its 'down' "
	 "file in one\ntransaction that also deletes its row. A step without a "
	 "'down' file stops\nthe command before anything runs.\n\nExit codes: "
	 "0 done, 1 failed or refused, 2 usage, 130/143 interrupted.",
	 down_opts, EXIT_USAGE, 0},
	{"baseline", cmd_baseline, "record migrations up to ID without running",
	 "ID",
	 "Records every migration with id <= ID as applied without running "
	 "it, on a\ndatabase with no recorded rows: for a database that "
	 "predates ladder.\nID must be an id in the manifest.\n\nExit codes: "
	 "0 done, 1 refused or failed, 2 usage.",
	 NULL, EXIT_USAGE, 1},
	{"repair", cmd_repair, "record current checksums; clear failed notes",
	 "",
	 "Records the current checksum for applied migrations whose recorded "
	 "checksum\nis missing or differs, and clears the note of a "
	 "'transaction: false' step\nthat stopped midway (after you mended the "
	 "database by hand).\n\nExit codes: 0 done, 1 failed, 2 usage.",
	 NULL, EXIT_USAGE, 0},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The signal handler's view of the run: the CLI's only mutable globals. */
static ladder_db *volatile watched_db;
static volatile sig_atomic_t caught_signal;

/* Interrupts the database at work, whose library call then rolls the
 * running step back and returns. Before a database is open nothing has
 * been written, so the signal's default action ends the process. */
static void on_signal(int sig)
{
	caught_signal = sig;
	ladder_db *db = watched_db;
	if (db) {
		ladder_db_interrupt(db);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void cli_watch_db(ladder_db *db)
{
	watched_db = db;
	if (db && caught_signal)
		ladder_db_interrupt(db);
}

void cli_close_db(ladder_db *db)
{
	watched_db = NULL;
	ladder_db_free(db);
}

int cli_signal_exit(void)
{
	return caught_signal ? 128 + caught_signal : 0;
}

int cli_exit_code(int rc)
{
	if (rc == LADDER_EINTERRUPTED && cli_signal_exit())
		return cli_signal_exit();
	return rc ? EXIT_FAIL : EXIT_OK;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Past a file-size limit (ulimit -f) a write then fails with EFBIG,
	 * which SQLite reports and the step rolls back, instead of the
	 * process dying mid-step without a word. */
	signal(SIGXFSZ, SIG_IGN);
}

int cli_load_manifest(struct ctx *ctx, unsigned flags, ladder_manifest **out)
{
	return ladder_manifest_load_flags(out, ctx->manifest_path, flags,
					  ctx->diags);
}

int cli_apply_in_memory(struct ctx *ctx, const ladder_manifest *m,
			ladder_db **out)
{
	int rc = ladder_db_open(out, "(memory)", ladder_manifest_table(m),
				LADDER_OPEN_MEMORY, ctx->diags);
	if (rc)
		return rc;
	cli_watch_db(*out);
	return ladder_up(*out, m, NULL, ctx->diags);
}

int cli_open_db(struct ctx *ctx, const ladder_manifest *m, int mode,
		ladder_db **out)
{
	const char *target = ctx->database;
	if (!target)
		target = ladder_manifest_database(m);
	int rc = ladder_db_open(out, target, ladder_manifest_table(m), mode,
				ctx->diags);
	if (!rc && ctx->lock_timeout_ms >= 0)
		ladder_db_set_lock_timeout(*out, ctx->lock_timeout_ms);
	if (!rc)
		cli_watch_db(*out);
	return rc;
}

int main(int argc, char **argv)
{
	struct ctx ctx = {
		.manifest_path = "manifest.yaml",
		.to = -1,
		.color = 2,
		.lock_timeout_ms = -1,
	};
	const char *env = getenv("LADDER_MANIFEST");
	if (env && *env)
		ctx.manifest_path = env;
	env = getenv("LADDER_DATABASE");
	if (env && *env)
		ctx.database = env;

	int rc = cli_parse(&ctx, argc, argv, commands, N_COMMANDS);
	if (rc >= 0)
		goto out;
	if (ladder_diags_new(&ctx.diags)) {
		fprintf(stderr, "ladder: error: out of memory\n");
		rc = ctx.cmd->usage_exit == 3 ? 3 : EXIT_FAIL;
		goto out;
	}
	install_signals();
	rc = ctx.cmd->run(&ctx);
	cli_watch_db(NULL);
	ladder_diags_free(ctx.diags);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ladder: error: cannot write the output\n");
		if (!rc)
			rc = EXIT_FAIL;
	}
	return rc;
}
