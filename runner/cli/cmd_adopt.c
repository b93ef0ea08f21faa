/*
 * cmd_adopt.c — `ladder adopt --from TOOL`: a database another tool
 * migrated becomes a ladder database, in one transaction.
 */
#include <inttypes.h>

#include "cli.h"

static const struct opt adopt_opts[] = {
	{"from", OPT_FROM, "TOOL",
	 "the tool that migrated the database: diesel, sqlx, goose, "
	 "golang-migrate, dbmate, drizzle-kit, flyway, grocy"},
	{"dry-run", OPT_DRY_RUN, NULL,
	 "list the rows adopt would write; write nothing"},
	{"drop-tool-table", OPT_DROP_TOOL_TABLE, NULL,
	 "drop the tool's own table in the same transaction"},
	{NULL, 0, NULL, NULL},
};

static int adopt_prepare(struct ctx *ctx, int rc)
{
	(void)rc;
	if (!ctx->from)
		return cli_usage_error(ctx, "adopt needs --from TOOL");
	return 0;
}

static int adopt_run(struct ctx *ctx, int rc)
{
	ladder_adoption *a = NULL;
	if (!rc) {
		ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION,
					  ctx->from, ctx->dry_run,
					  ctx->drop_tool_table};
		rc = ladder_adopt(&a, ctx->db, ctx->m, &o, ctx->diags);
	}
	int exit_code = cli_exit_code(ctx, rc);
	size_t n = ladder_adoption_count(a);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object *rows = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			const ladder_adopted *r = ladder_adoption_get(a, i);
			json_object *o = json_object_new_object();
			json_object_object_add(o, "id",
					       json_object_new_int64(r->id));
			json_object_object_add(o, "name",
					       json_object_new_string(r->name));
			json_object_object_add(
				o, "tool_version",
				r->tool_version ? json_object_new_string(
							  r->tool_version)
						: NULL);
			json_object_object_add(
				o, "tool_applied_at",
				r->applied_at
					? json_object_new_string(r->applied_at)
					: NULL);
			json_object_object_add(
				o, "checksum",
				json_object_new_string(r->checksum));
			json_object_array_add(rows, o);
		}
		json_object_object_add(doc, "command",
				       json_object_new_string("adopt"));
		json_object_object_add(doc, "from",
				       json_object_new_string(ctx->from));
		json_object_object_add(doc, "dry_run",
				       json_object_new_boolean(ctx->dry_run));
		json_object_object_add(doc, "rows", rows);
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		for (size_t i = 0; !rc && i < n; i++) {
			const ladder_adopted *r = ladder_adoption_get(a, i);
			out_line(ctx, "%s %" PRId64 " %s (%s %s)",
				 ctx->dry_run ? "would adopt" : "adopted",
				 r->id, r->name, ctx->from,
				 r->tool_version ? r->tool_version : "-");
		}
		if (!rc)
			out_line(ctx, "%s %zu migration%s from %s%s",
				 ctx->dry_run ? "would adopt" : "adopted", n,
				 n == 1 ? "" : "s", ctx->from,
				 ctx->dry_run ? " (nothing was written)"
				 : ctx->drop_tool_table ? " (its table dropped)"
							: " (its table kept)");
	}
	ladder_adoption_free(a);
	return exit_code;
}

const struct cli_command cmd_adopt_entry = {
	.name = "adopt",
	.summary = "make a database another tool migrated ladder's",
	.usage = "--from TOOL",
	.description =
		"In one transaction, writes ladder's bookkeeping rows for "
		"every migration\nthe tool's own table records as applied, "
		"found in the manifest `import`\nwrote, with checksums of the "
		"files as they are now. Refuses when the\ntool's table says a "
		"migration failed or is dirty, or records a version\nthe "
		"manifest lacks. The tool's table stays unless "
		"--drop-tool-table.\n\nExit codes: 0 done, 1 refused or "
		"failed, 2 usage.",
	.opts = adopt_opts,
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE | CLI_LIBRARY_USAGE,
	.positional = 0,
	.prepare = adopt_prepare,
	.run = adopt_run,
};
