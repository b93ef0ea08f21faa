/*
 * cmd_validate.c — `ladder validate`: the manifest and every SQL file it
 * lists, checked with no database. Exit 0 valid, 1 invalid, 2 usage.
 */
#include "cli.h"

int cmd_validate(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *mem = NULL;
	int rc = cli_load_manifest(ctx, 0, &m);
	if (!rc && ctx->apply)
		rc = cli_apply_in_memory(ctx, m, &mem);
	cli_close_db(mem);
	int exit_code = rc ? EXIT_FAIL : EXIT_OK;
	size_t n = m ? ladder_manifest_count(m) : 0;

	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object *list = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(
				list,
				out_migration_json(ladder_manifest_get(m, i)));
		json_object_object_add(doc, "command",
				       json_object_new_string("validate"));
		json_object_object_add(
			doc, "manifest",
			json_object_new_string(ctx->manifest_path));
		json_object_object_add(doc, "valid",
				       json_object_new_boolean(!rc));
		json_object_object_add(
			doc, "applied",
			json_object_new_boolean(ctx->apply && !rc));
		json_object_object_add(doc, "migrations", list);
		ladder_manifest_free(m);
		return out_json(ctx, doc, exit_code);
	}
	out_diags(ctx);
	size_t errors = ladder_diags_errors(ctx->diags);
	if (rc)
		fprintf(stderr, "%s: invalid (%zu error%s)\n",
			ctx->manifest_path, errors, errors == 1 ? "" : "s");
	else
		out_line(ctx, "%s: valid, %zu migration%s%s",
			 ctx->manifest_path, n, n == 1 ? "" : "s",
			 ctx->apply ? ", all applied in memory" : "");
	ladder_manifest_free(m);
	return exit_code;
}
