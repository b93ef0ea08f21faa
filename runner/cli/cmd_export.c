/*
 * cmd_export.c — `ladder export`: the pending steps as one script for the
 * plain sqlite3 shell. Reads only.
 */
#include "cli.h"

int cmd_export(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	char *script = NULL;
	int rc = cli_load_manifest(ctx, 0, &m);
	/* Only an explicit database: without one, every step is exported. */
	if (!rc)
		rc = ctx->database
			     ? cli_open_db(ctx, m, LADDER_OPEN_READONLY, &db)
			     : ladder_db_open(&db, "(a fresh database)",
					      ladder_manifest_table(m),
					      LADDER_OPEN_MEMORY, ctx->diags);
	if (!rc)
		rc = ladder_export(db, m, &script, ctx->diags);
	int exit_code = rc ? EXIT_FAIL : EXIT_OK;
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("export"));
		json_object_object_add(doc, "script",
				       script ? json_object_new_string(script)
					      : NULL);
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (script)
			fputs(script, stdout);
	}
	ladder_free(script);
	cli_close_db(db);
	ladder_manifest_free(m);
	return exit_code;
}
