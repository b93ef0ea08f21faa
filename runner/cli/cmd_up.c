/*
 * cmd_up.c — `ladder up`: apply pending migrations, each in its own
 * transaction with its bookkeeping row (or all in one with --atomic).
 * Exit 0 done, 1 failed or refused, 2 usage, 128 + signal when
 * interrupted.
 */
#include "cli.h"

int cmd_up(struct ctx *ctx)
{
	if (ctx->to == 0)
		return cli_usage_error(ctx, "--to takes a migration id (a "
					    "positive integer), not '0'");
	return progress_run(ctx, 0);
}
