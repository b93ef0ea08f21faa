/*
 * cmd_export.c — `ladder export`: the pending steps as one script for the
 * plain sqlite3 shell. Reads only.
 */
#include "cli.h"

static int export_run(struct ctx *ctx, int rc)
{
	char *script = NULL;
	if (!rc)
		rc = ladder_export(&script, ctx->db, ctx->m, ctx->diags);
	int exit_code = cli_exit_code(ctx, rc);
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
	return exit_code;
}

/* Only an explicit database: without -d, every step is exported. */
const struct cli_command cmd_export_entry = {
	.name = "export",
	.summary = "write pending steps as a sqlite3 or psql script",
	.usage = "",
	.description =
		"Writes to stdout one SQL script of the steps pending on the "
		"database given by\n-d (every step without -d) for the plain "
		"sqlite3 shell (psql for an 'engine:\npostgresql' manifest), "
		"on a device without ladder: each step in its\n"
		"own transaction with its bookkeeping row, and a step already "
		"present\nstops the script with nothing half-done. Reads "
		"only.\n\n  ladder export -d app.db > upgrade.sql && sqlite3 "
		"app.db < upgrade.sql\n\nExit codes: 0, 1 refused or failed, 2 "
		"usage, 130/143 interrupted.",
	.flags = CLI_MANIFEST | CLI_DB_READ | CLI_DB_SCRATCH_UNLESS_D,
	.run = export_run,
};
