/*
 * cmd_schema.c — `ladder schema [--apply]`: the database's schema, or the
 * one the chain produces in memory, in a stable order for diffing.
 */
#include "cli.h"

static const struct opt schema_opts[] = {
	{"apply", OPT_APPLY, NULL,
	 "the schema of the chain applied in memory, with no database"},
	{NULL, 0, NULL, NULL},
};

static int schema_run(struct ctx *ctx, int rc)
{
	char *schema = NULL;
	if (!rc)
		rc = ladder_schema(&schema, ctx->db, ctx->diags);
	int exit_code = cli_exit_code(ctx, rc);
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
	return exit_code;
}

const struct cli_command cmd_schema_entry = {
	.name = "schema",
	.summary = "print the database's schema",
	.usage = "[--apply]",
	.description =
		"Prints the schema of the database (tables, views, indexes, "
		"triggers; each by\nname; ladder's bookkeeping tables left "
		"out), or with --apply the schema the\nchain produces when "
		"applied to a fresh in-memory database. The two agree\nbyte "
		"for byte after 'ladder up', so a reviewer can diff what a "
		"change does.\nReads only.\n\nExit codes: 0, 1 on error, 2 "
		"usage, 130/143 interrupted.",
	.opts = schema_opts,
	.flags = CLI_MANIFEST | CLI_DB_READ | CLI_DB_SCRATCH_APPLIED,
	.run = schema_run,
};
