/*
 * cmd_schema.c — `ladder schema [--apply]`: the database's schema, or the
 * one the chain produces in memory, in a stable order for diffing.
 */
#include "cli.h"

int cmd_schema(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	char *schema = NULL;
	int rc = cli_load_manifest(ctx, 0, &m);
	if (!rc)
		rc = ctx->apply
			     ? cli_apply_in_memory(ctx, m, &db)
			     : cli_open_db(ctx, m, LADDER_OPEN_READONLY, &db);
	if (!rc)
		rc = ladder_schema(db, &schema, ctx->diags);
	int exit_code = rc ? EXIT_FAIL : EXIT_OK;
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("schema"));
		json_object_object_add(doc, "applied_in_memory",
				       json_object_new_boolean(ctx->apply));
		json_object_object_add(doc, "schema",
				       schema ? json_object_new_string(schema)
					      : NULL);
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (schema && !ctx->quiet)
			fputs(schema, stdout);
	}
	ladder_free(schema);
	cli_close_db(db);
	ladder_manifest_free(m);
	return exit_code;
}
