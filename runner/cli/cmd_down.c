/*
 * cmd_down.c — `ladder down [--to ID]`: revert the newest applied
 * migration, or every applied one above ID, newest first, each with its
 * `down` file in one transaction that also deletes its row.
 */
#include "cli.h"

static const struct opt down_opts[] = {
	{"to", OPT_TO, "ID",
	 "revert every applied migration above ID (ID stays; 0 = all)"},
	{"dry-run", OPT_DRY_RUN, NULL,
	 "show what would be reverted; touch nothing"},
	{NULL, 0, NULL, NULL},
};

static int down_run(struct ctx *ctx, int rc)
{
	struct progress p;
	progress_init(&p, ctx, 1);
	if (!rc) {
		ladder_down_options opts = LADDER_DOWN_OPTIONS_INIT;
		opts.to = ctx->to;
		opts.dry_run = ctx->dry_run;
		opts.want_statements = progress_wants_statements(&p);
		opts.on_event = progress_event;
		opts.event_ctx = &p;
		rc = ladder_down(ctx->db, ctx->m, &opts, ctx->diags);
	}
	int exit_code = progress_finish(&p, rc);
	progress_release(&p);
	return exit_code;
}

const struct cli_command cmd_down_entry = {
	.name = "down",
	.summary = "revert applied migrations with their down files",
	.usage = "[--to ID] [--dry-run]",
	.description =
		"Reverts the newest applied migration, or with --to ID every "
		"applied one above\nID (ID stays), newest first, each by "
		"running its 'down' file in one\ntransaction that also deletes "
		"its row. A step without a 'down' file stops\nthe command "
		"before anything runs.\n\nExit codes: 0 done, 1 failed or "
		"refused, 2 usage, 130/143 interrupted.",
	.opts = down_opts,
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE,
	.run = down_run,
};
