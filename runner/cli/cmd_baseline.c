/*
 * cmd_baseline.c — `ladder baseline ID`: record every migration up to ID
 * as applied without running it, on a database ladder never migrated.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

/* The id, checked before the database is opened (a write open may
 * create it). */
static int baseline_prepare(struct ctx *ctx, int rc)
{
	char *end;
	errno = 0;
	long long id = strtoll(ctx->args[0], &end, 10);
	if (errno || *end || id < 1 || ctx->args[0][0] == '+')
		return cli_usage_error(ctx,
				       "baseline takes a migration id (a "
				       "positive integer), not '%s'",
				       ctx->args[0]);
	if (!rc && !ladder_manifest_find(ctx->m, id))
		return cli_usage_error(ctx,
				       "%lld is not a migration id in '%s'", id,
				       ctx->manifest_path);
	ctx->id = id;
	return 0;
}

static int baseline_run(struct ctx *ctx, int rc)
{
	long long id = ctx->id;
	if (!rc)
		rc = ladder_baseline(ctx->db, ctx->m, id, ctx->diags);
	int exit_code = cli_exit_code(ctx, rc);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("baseline"));
		json_object_object_add(doc, "id", json_object_new_int64(id));
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc)
			out_line(ctx,
				 "recorded migrations up to %lld as applied "
				 "(nothing was run)",
				 id);
	}
	return exit_code;
}

const struct cli_command cmd_baseline_entry = {
	.name = "baseline",
	.summary = "record migrations up to ID without running",
	.usage = "ID",
	.description = "Records every migration with id <= ID as applied "
		       "without running it, on a\ndatabase with no recorded "
		       "rows: for a database that predates ladder.\nID must "
		       "be an id in the manifest.\n\nExit codes: 0 done, 1 "
		       "refused or failed, 2 usage.",
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE,
	.positional = 1,
	.prepare = baseline_prepare,
	.run = baseline_run,
};
