/*
 * cmd_down.c — `ladder down [--to ID]`: revert the newest applied
 * migration, or every applied one above ID, newest first, each with its
 * `down` file in one transaction that also deletes its row.
 */
#include "cli.h"

int cmd_down(struct ctx *ctx)
{
	return progress_run(ctx, 1);
}
