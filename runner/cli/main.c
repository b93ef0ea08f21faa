/*
 * main.c — ladder's entry point and dispatcher: the list of commands, the
 * set-up their flags ask for (manifest, database, signals) done once, and
 * the exit code. Each command is declared whole in its cmd_<name>.c.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Every command, in the order `ladder --help` lists them; each is
 * declared, help prose and options included, in its cmd_<name>.c. */
static const struct cli_command *const commands[] = {
	&cmd_up_entry,	     &cmd_status_entry, &cmd_check_entry,
	&cmd_validate_entry, &cmd_schema_entry, &cmd_export_entry,
	&cmd_embed_entry,    &cmd_new_entry,	&cmd_down_entry,
	&cmd_baseline_entry, &cmd_repair_entry, &cmd_init_entry,
	&cmd_import_entry,   &cmd_adopt_entry,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The signal handler's view of the run: the CLI's only mutable globals. */
static ladder_db *volatile watched_db;
static volatile sig_atomic_t caught_signal;
/* The command's own exit code for a failure (check's 3), set once before
 * the handler is installed: a signal ends such a command with it. */
static volatile sig_atomic_t signal_fail_exit;

/* Interrupts the database at work, whose library call then rolls the
 * running step back and returns. With no database at work the signal ends
 * the process at once: before one is open nothing has been written (check
 * exits with its own 3, others by the signal's default action); after it
 * was closed the command's output is already flushed (dispatch), so a
 * repeat of the signal being acted on (timeout(1) and service managers
 * send SIGTERM to the process and again to its group) ends it with the
 * first signal's code: it never turns check's 3 into 143, and never waits
 * on anything (LeakSanitizer's exit-time check included). */
static void on_signal(int sig)
{
	int first = caught_signal;
	if (!first)
		caught_signal = sig;
	ladder_db *db = watched_db;
	if (db) {
		ladder_db_interrupt(db);
		return;
	}
	if (signal_fail_exit)
		_exit(signal_fail_exit);
	if (first)
		_exit(128 + first);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The database a signal handler should interrupt; a signal that came
 * before it was opened interrupts it at once. */
static void watch_db(ladder_db *db)
{
	watched_db = db;
	if (db && caught_signal)
		ladder_db_interrupt(db);
}

/* Stops watching `db`, then frees it: never the other way round, so a
 * signal cannot reach a freed database. NULL is fine. */
static void close_db(ladder_db *db)
{
	watched_db = NULL;
	ladder_db_free(db);
}

int cli_signal_exit(void)
{
	return caught_signal ? 128 + caught_signal : 0;
}

int cli_exit_code(const struct ctx *ctx, int rc)
{
	if (!rc)
		return EXIT_OK;
	/* check's own codes (0-3) are its whole contract, a signal included */
	if (ctx->cmd->fail_exit)
		return ctx->cmd->fail_exit;
	/* A run a signal reached failed because of it, whatever status the
	 * library gave (LADDER_EINTERRUPTED, or an error the interrupted
	 * call ended with). */
	if (cli_signal_exit())
		return cli_signal_exit();
	if (rc == LADDER_EUSAGE && (ctx->cmd->flags & CLI_LIBRARY_USAGE))
		return ctx->cmd->usage_exit ? ctx->cmd->usage_exit : EXIT_USAGE;
	return EXIT_FAIL;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed stdout pipe is a write error (EPIPE), reported once the
	 * work is done ("cannot write the output"), never a death midway. */
	signal(SIGPIPE, SIG_IGN);
	/* Past a file-size limit (ulimit -f) a write then fails with EFBIG,
	 * which SQLite reports and the step rolls back, instead of the
	 * process dying mid-step without a word. */
	signal(SIGXFSZ, SIG_IGN);
}

/* Says at once that a write command waits for another runner, so it
 * does not look hung: on stderr, in text, unless --quiet. */
static void announce_wait(long pid, void *arg)
{
	const struct ctx *ctx = arg;
	if (ctx->format == FORMAT_JSON || ctx->quiet)
		return;
	if (pid > 0)
		fprintf(stderr,
			"ladder: waiting for the runner lock held by pid %ld "
			"(up to %d s)...\n",
			pid,
			ctx->lock_timeout_ms >= 0
				? ctx->lock_timeout_ms / 1000
				: LADDER_DEFAULT_LOCK_TIMEOUT_MS / 1000);
	else
		fprintf(stderr,
			"ladder: waiting for the runner lock held by another "
			"ladder (up to %d s)...\n",
			ctx->lock_timeout_ms >= 0
				? ctx->lock_timeout_ms / 1000
				: LADDER_DEFAULT_LOCK_TIMEOUT_MS / 1000);
	fflush(stderr);
}

/* The database the command's flags ask for, in ctx->db, watched. */
int cli_open_db(struct ctx *ctx)
{
	unsigned flags = ctx->cmd->flags;
	const ladder_manifest *m = ctx->m;
	int rc;
	if ((flags & CLI_DB_SCRATCH_APPLIED) && ctx->apply) {
		rc = ladder_db_open_for(&ctx->db, "(memory)", m,
					LADDER_OPEN_SCRATCH, ctx->diags);
		if (rc)
			return rc;
		watch_db(ctx->db);
		return ladder_up(ctx->db, m, NULL, ctx->diags);
	}
	if ((flags & CLI_DB_SCRATCH_UNLESS_D) && !ctx->database)
		return ladder_db_open(&ctx->db, "(a fresh database)",
				      ladder_manifest_table(m),
				      LADDER_OPEN_SCRATCH, ctx->diags);
	if (!(flags & (CLI_DB_READ | CLI_DB_WRITE)))
		return 0;
	const char *target = ctx->database;
	if (!target)
		target = ladder_manifest_database(m);
	int mode = (flags & CLI_DB_WRITE) && !ctx->dry_run
			   ? LADDER_OPEN_WRITE
			   : LADDER_OPEN_READONLY;
	rc = ladder_db_open_for(&ctx->db, target, m, mode, ctx->diags);
	if (!rc && ctx->lock_timeout_ms >= 0)
		ladder_db_set_lock_timeout(ctx->db, ctx->lock_timeout_ms);
	if (!rc && mode == LADDER_OPEN_WRITE)
		ladder_db_on_wait(ctx->db, announce_wait, ctx);
	if (!rc)
		watch_db(ctx->db);
	return rc;
}

/* Set-up, the command, tear-down: load → (prepare) → open → run → free. */
static int dispatch(struct ctx *ctx)
{
	unsigned flags = ctx->cmd->flags;
	int rc = 0, exit_code;
	if (flags & (CLI_MANIFEST | CLI_MANIFEST_CHECKSUMS))
		rc = ladder_manifest_load_flags(
			&ctx->m, ctx->manifest_path,
			flags & CLI_MANIFEST ? 0 : LADDER_LOAD_CHECKSUMS_ONLY,
			ctx->diags);
	if (ctx->cmd->prepare) {
		exit_code = ctx->cmd->prepare(ctx, rc);
		if (exit_code)
			goto out;
	}
	if (!rc)
		rc = cli_open_db(ctx);
	exit_code = ctx->cmd->run(ctx, rc);
out:
	/* The output is whole before the signal handler stops watching the
	 * database: from then on a signal ends the process at once. A write
	 * error stays on stdout for main() to report. */
	fflush(stdout);
	close_db(ctx->db);
	ctx->db = NULL;
	ladder_manifest_free(ctx->m);
	ctx->m = NULL;
	return exit_code;
}

int main(int argc, char **argv)
{
	struct ctx ctx = {
		.manifest_path = "manifest.yaml",
		.to = -1,
		.color = 2,
		.lock_timeout_ms = -1,
		.new_opts = LADDER_NEW_OPTIONS_INIT,
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
		rc = ctx.cmd->fail_exit ? ctx.cmd->fail_exit : EXIT_FAIL;
		goto out;
	}
	signal_fail_exit = ctx.cmd->fail_exit;
	install_signals();
	rc = dispatch(&ctx);
	ladder_diags_free(ctx.diags);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ladder: error: cannot write the output\n");
		/* check's verdict is its line: unwritten, it could not tell */
		if (ctx.cmd && ctx.cmd->fail_exit)
			rc = ctx.cmd->fail_exit;
		else if (!rc)
			rc = EXIT_FAIL;
	}
	return rc;
}
