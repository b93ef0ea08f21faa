/*
 * cmd_repair.c — `ladder repair`: record the current checksum of applied
 * migrations whose recorded one is missing or differs, and clear the notes
 * of failed non-transactional steps.
 */
#include "cli.h"

static int repair_run(struct ctx *ctx, int rc)
{
	size_t changed = 0;
	if (!rc)
		rc = ladder_repair(&changed, ctx->db, ctx->m, ctx->diags);
	int exit_code = cli_exit_code(ctx, rc);
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
	return exit_code;
}

const struct cli_command cmd_repair_entry = {
	.name = "repair",
	.summary = "record current checksums; clear failed notes",
	.usage = "",
	.description = "Records the current checksum for applied migrations "
		       "whose recorded checksum\nis missing or differs, and "
		       "clears the note of a 'transaction: false' "
		       "step\nthat stopped midway (after you mended the "
		       "database by hand).\n\nExit codes: 0 done, 1 failed, 2 "
		       "usage.",
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE,
	.run = repair_run,
};
