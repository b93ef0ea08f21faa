/*
 * cmd_down.c — `ladder down [--to ID]`: revert the newest applied
 * migration, or every applied one above ID, newest first, each with its
 * `down` file in one transaction that also deletes its row.
 */
#include "cli.h"

int cmd_down(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	struct progress p;
	progress_init(&p, ctx, 1);
	ladder_down_options opts = LADDER_DOWN_OPTIONS_INIT;
	opts.to = ctx->to;
	opts.dry_run = ctx->dry_run;
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
		rc = ladder_down(db, m, &opts, ctx->diags);
	int exit_code = progress_finish(&p, rc);
	progress_release(&p);
	ladder_db_free(db);
	ladder_manifest_free(m);
	return exit_code;
}
