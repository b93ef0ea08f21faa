/*
 * cmd_baseline.c — `ladder baseline ID`: record every migration up to ID
 * as applied without running it, on a database ladder never migrated.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

int cmd_baseline(struct ctx *ctx)
{
	char *end;
	errno = 0;
	long long id = strtoll(ctx->args[0], &end, 10);
	if (errno || *end || id < 1 || ctx->args[0][0] == '+')
		return cli_usage_error(ctx,
				       "baseline takes a migration id (a "
				       "positive integer), not '%s'",
				       ctx->args[0]);
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	int rc = cli_load_manifest(ctx, LADDER_LOAD_CHECKSUMS_ONLY, &m);
	if (!rc && !ladder_manifest_find(m, id)) {
		ladder_manifest_free(m);
		return cli_usage_error(ctx,
				       "%lld is not a migration id in '%s'", id,
				       ctx->manifest_path);
	}
	if (!rc)
		rc = cli_open_db(ctx, m, LADDER_OPEN_WRITE, &db);
	if (!rc)
		rc = ladder_baseline(db, m, id, ctx->diags);
	int exit_code = cli_exit_code(rc);
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
	cli_close_db(db);
	ladder_manifest_free(m);
	return exit_code;
}
