/*
 * cmd_repair.c — `ladder repair [--dry-run] [ID...]`: record the current
 * checksum of applied migrations whose recorded one is missing or
 * differs, and clear the notes of failed non-transactional steps; each
 * row it changes (or would) is listed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

static const struct opt repair_opts[] = {
	{"dry-run", OPT_DRY_RUN, NULL,
	 "list the rows it would change; change nothing"},
	{NULL, 0, NULL, NULL},
};

/* The ids, checked before the database is opened. */
static int repair_prepare(struct ctx *ctx, int rc)
{
	(void)rc;
	for (int i = 0; i < ctx->nargs; i++) {
		char *end;
		errno = 0;
		long long id = strtoll(ctx->args[i], &end, 10);
		if (errno || *end || id < 1 || ctx->args[i][0] == '+')
			return cli_usage_error(ctx,
					       "repair takes migration ids "
					       "(positive integers), not '%s'",
					       ctx->args[i]);
		ctx->ids[i] = id;
	}
	return 0;
}

static void on_row(const ladder_repair_row *row, void *arg)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(row->id));
	json_object_object_add(o, "name", json_object_new_string(row->name));
	json_object_object_add(o, "file",
			       row->file ? json_object_new_string(row->file)
					 : NULL);
	json_object_object_add(
		o, "old_checksum",
		row->old_checksum ? json_object_new_string(row->old_checksum)
				  : NULL);
	json_object_object_add(
		o, "new_checksum",
		row->new_checksum ? json_object_new_string(row->new_checksum)
				  : NULL);
	json_object_object_add(o, "failed_note_cleared",
			       json_object_new_boolean(row->failed));
	json_object_array_add(arg, o);
}

static const char *field(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);
	return v ? json_object_get_string(v) : NULL;
}

/* One line per row: what changes in its bookkeeping. */
static void print_rows(const struct ctx *ctx, json_object *rows)
{
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *o = json_object_array_get_idx(rows, i);
		const char *old = field(o, "old_checksum"),
			   *new = field(o, "new_checksum"),
			   *file = field(o, "file");
		int64_t id =
			json_object_get_int64(json_object_object_get(o, "id"));
		if (!new)
			out_line(ctx, "  %" PRId64 " '%s': failed note cleared",
				 id, field(o, "name"));
		else
			out_line(ctx,
				 "  %" PRId64 " '%s' %s: checksum %.12s -> "
				 "%.12s%s",
				 id, field(o, "name"), file ? file : "-",
				 old ? old : "(none)", new,
				 old ? "" : " (none was recorded)");
	}
}

static int repair_run(struct ctx *ctx, int rc)
{
	size_t changed = 0;
	json_object *rows = json_object_new_array();
	if (!rc) {
		ladder_repair_options opts = LADDER_REPAIR_OPTIONS_INIT;
		opts.dry_run = ctx->dry_run;
		opts.ids = ctx->nargs ? ctx->ids : NULL;
		opts.nids = (size_t)ctx->nargs;
		opts.on_row = on_row;
		opts.row_ctx = rows;
		rc = ladder_repair_with(&changed, ctx->db, ctx->m, &opts,
					ctx->diags);
	}
	int exit_code = cli_exit_code(ctx, rc);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("repair"));
		json_object_object_add(doc, "dry_run",
				       json_object_new_boolean(ctx->dry_run));
		json_object_object_add(doc, "repaired",
				       json_object_new_int64((int64_t)changed));
		json_object_object_add(doc, "rows", json_object_get(rows));
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc) {
			out_line(ctx, "%s %zu row%s%s",
				 ctx->dry_run ? "would repair" : "repaired",
				 changed, changed == 1 ? "" : "s",
				 changed ? ":" : "");
			print_rows(ctx, rows);
			if (ctx->dry_run && changed)
				out_line(ctx, "nothing was changed; 'git diff' "
					      "shows the edits to those "
					      "files");
		}
	}
	json_object_put(rows);
	return exit_code;
}

const struct cli_command cmd_repair_entry = {
	.name = "repair",
	.summary = "record current checksums; clear failed notes",
	.usage = "[--dry-run] [ID...]",
	.description = "Records the current checksum for applied migrations "
		       "whose recorded checksum\nis missing or differs, and "
		       "clears the note of a 'transaction: false' "
		       "step\nthat stopped midway (after you mended the "
		       "database by hand); lists each row\nwith its old and "
		       "new checksum. With IDs, only those rows; with "
		       "--dry-run,\nonly the list (read-only).\n\nExit "
		       "codes: 0 done, 1 failed, 2 usage, 130/143 "
		       "interrupted.",
	.opts = repair_opts,
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_WRITE,
	.positional = CLI_MAX_ARGS,
	.optional = CLI_MAX_ARGS,
	.prepare = repair_prepare,
	.run = repair_run,
};
