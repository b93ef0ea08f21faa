/*
 * cmd_validate.c — `ladder validate`: the manifest and every SQL file it
 * lists, checked with no database. Exit 0 valid, 1 invalid, 2 usage.
 */
#include "cli.h"

static const struct opt validate_opts[] = {
	{"apply", OPT_APPLY, NULL,
	 "also apply the whole chain to a fresh in-memory database"},
	{"strict", OPT_STRICT, NULL,
	 "fail on warnings too (an empty or comment-only file)"},
	{NULL, 0, NULL, NULL},
};

/* The set-up did the work: the load checked every file, and --apply
 * applied the chain to a scratch database. */
static int validate_run(struct ctx *ctx, int rc)
{
	const ladder_manifest *m = ctx->m;
	size_t warnings = 0;
	for (size_t i = 0; i < ladder_diags_count(ctx->diags); i++)
		warnings += ladder_diags_get(ctx->diags, i)->severity ==
			    LADDER_SEV_WARNING;
	/* --strict: for CI that wants `new`'s empty file caught */
	int strict_fail = !rc && ctx->strict && warnings;
	if (strict_fail)
		rc = LADDER_EINVALID;
	int exit_code = cli_exit_code(ctx, rc);
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
		return out_json(ctx, doc, exit_code);
	}
	out_diags(ctx);
	size_t errors = ladder_diags_errors(ctx->diags);
	if (strict_fail)
		out_fail_line(ctx, "%s: invalid under --strict (%zu warning%s)",
			      ctx->manifest_path, warnings,
			      warnings == 1 ? "" : "s");
	else if (rc)
		out_fail_line(ctx, "%s: invalid (%zu error%s)",
			      ctx->manifest_path, errors,
			      errors == 1 ? "" : "s");
	else
		out_line(ctx, "%s: valid, %zu migration%s%s",
			 ctx->manifest_path, n, n == 1 ? "" : "s",
			 ctx->apply ? ", all applied in memory" : "");
	return exit_code;
}

const struct cli_command cmd_validate_entry = {
	.name = "validate",
	.summary = "check the manifest and its SQL files",
	.usage = "[--apply] [--strict]",
	.description =
		"Checks the manifest and every SQL file it lists without "
		"opening any database,\nreporting every problem as "
		"FILE:LINE:COLUMN. With --apply it also applies\nthe whole "
		"chain, in order, to a fresh in-memory SQLite database and "
		"reports\nthe first failing statement as FILE:LINE with "
		"SQLite's message; no file is\nwritten. An empty or "
		"comment-only file is a warning; --strict fails on\n"
		"warnings.\n\nExit codes: 0 valid, 1 invalid (or a warning "
		"under --strict), 2 usage.",
	.opts = validate_opts,
	.flags = CLI_MANIFEST | CLI_DB_SCRATCH_APPLIED,
	.run = validate_run,
};
