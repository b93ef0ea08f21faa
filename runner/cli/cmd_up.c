/*
 * cmd_up.c — `ladder up`: apply pending migrations, each in its own
 * transaction with its bookkeeping row. Exit 0 done, 1 failed or refused,
 * 2 usage, 128 + signal when interrupted.
 */
#include "cli.h"

int cmd_up(struct ctx *ctx)
{
	if (ctx->to == 0)
		return cli_usage_error(ctx, "--to takes a migration id (a "
					    "positive integer), not '0'");
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	struct progress p;
	progress_init(&p, ctx, 0);
	ladder_up_options opts = LADDER_UP_OPTIONS_INIT;
	opts.to = ctx->to > 0 ? ctx->to : 0;
	opts.dry_run = ctx->dry_run;
	opts.allow_out_of_order = ctx->allow_out_of_order;
	opts.atomic = ctx->atomic;
	opts.backup = ctx->backup;
	opts.want_statements = progress_wants_statements(&p);
	opts.on_event = progress_event;
	opts.event_ctx = &p;

	int rc = cli_load_manifest(ctx, LADDER_LOAD_CHECKSUMS_ONLY, &m);
	if (!rc)
		rc = cli_open_db(ctx, m,
				 ctx->dry_run ? LADDER_OPEN_READONLY
					      : LADDER_OPEN_WRITE,
				 &db);
	if (!rc)
		rc = ladder_up(db, m, &opts, ctx->diags);
	int exit_code = progress_finish(&p, rc);
	progress_release(&p);
	ladder_db_free(db);
	ladder_manifest_free(m);
	return exit_code;
}
