/*
 * cmd_up.c — `ladder up`: apply pending migrations, each in its own
 * transaction with its bookkeeping row (or all in one with --atomic).
 * Exit 0 done, 1 failed or refused, 2 usage, 128 + signal when
 * interrupted.
 */
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
	{"group-ms", OPT_GROUP_MS, "MS",
	 "commit about every MS ms of work (default 1000; 0: each step)"},
	{NULL, 0, NULL, NULL},
};

static int up_prepare(struct ctx *ctx, int rc)
{
	(void)rc;
	if (ctx->to == 0)
		return cli_usage_error(ctx, "--to takes a migration id (a "
					    "positive integer), not '0'");
	return 0;
}

static int up_run(struct ctx *ctx, int rc)
{
	struct progress p;
	progress_init(&p, ctx, 0);
	if (!rc) {
		ladder_up_options opts = LADDER_UP_OPTIONS_INIT;
		opts.to = ctx->to > 0 ? ctx->to : 0;
		opts.dry_run = ctx->dry_run;
		opts.allow_out_of_order = ctx->allow_out_of_order;
		opts.atomic = ctx->atomic;
		opts.backup = ctx->backup;
		if (ctx->group_ms)
			opts.group_ms = ctx->group_ms - 1;
		opts.want_statements = progress_wants_statements(&p);
		opts.on_event = progress_event;
		opts.event_ctx = &p;
		rc = ladder_up(ctx->db, ctx->m, &opts, ctx->diags);
	}
	int exit_code = progress_finish(&p, rc);
	progress_release(&p);
	return exit_code;
}

const struct cli_command cmd_up_entry = {
	.name = "up",
	.summary = "apply pending migrations",
	.usage = "[--to ID] [--dry-run] [--allow-out-of-order] [--atomic] "
		 "[--backup[=PATH]] [--group-ms MS]",
	.description =
		"Validates the manifest, then applies every pending migration "
		"in id order,\neach whole or not at all together with its "
		"row in the bookkeeping\ntable: in its own savepoint of a "
		"transaction committed about every\nsecond of work "
		"(--group-ms; 0: a commit per step); a step is shown\n"
		"applied only once committed. Stops at the first failure; "
		"the "
		"steps before it stay applied.\nWith --atomic all pending "
		"steps "
		"run in one transaction instead: all or\nnothing. With "
		"--backup, when anything is pending, a consistent snapshot "
		"is\nwritten first (VACUUM INTO), checked with "
		"integrity_check, "
		"and its path and\nSHA-256 printed; copy it back over the "
		"database to undo the upgrade.\n\nExit codes: 0 done (also "
		"when nothing was pending), 1 failed or refused,\n2 usage, "
		"130/143 interrupted by SIGINT/SIGTERM (the running step "
		"rolled back).",
	.opts = up_opts,
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE,
	.prepare = up_prepare,
	.run = up_run,
};
