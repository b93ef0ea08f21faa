/*
 * cmd_repair.c — `ladder repair`: record the current checksum of applied
 * migrations whose recorded one is missing or differs, and clear the notes
 * of failed non-transactional steps.
 */
#include "cli.h"

int cmd_repair(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	size_t changed = 0;
	int rc = cli_load_manifest(ctx, LADDER_LOAD_CHECKSUMS_ONLY, &m);
	if (!rc)
		rc = cli_open_db(ctx, m, LADDER_OPEN_WRITE, &db);
	if (!rc)
		rc = ladder_repair(db, m, &changed, ctx->diags);
	int exit_code = cli_exit_code(rc);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("repair"));
		json_object_object_add(doc, "repaired",
				       json_object_new_int64((int64_t)changed));
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc)
			out_line(ctx, "repaired %zu row%s", changed,
				 changed == 1 ? "" : "s");
	}
	cli_close_db(db);
	ladder_manifest_free(m);
	return exit_code;
}
