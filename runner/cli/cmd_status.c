/*
 * cmd_status.c — `ladder status`: one row per migration with its state.
 * Reads only. Exit 0 whatever the states, 1 when it cannot read, 130/143
 * when interrupted.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static json_object *status_json(const struct ctx *ctx, const ladder_plan *p,
				const char *database)
{
	json_object *doc = json_object_new_object(),
		    *list = json_object_new_array();
	for (size_t i = 0; p && i < ladder_plan_count(p); i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(s->id));
		json_object_object_add(o, "name",
				       json_object_new_string(s->name));
		json_object_object_add(
			o, "state",
			json_object_new_string(out_state_name(s->state)));
		json_object_object_add(
			o, "applied_at",
			s->applied_at ? json_object_new_string(s->applied_at)
				      : NULL);
		json_object_object_add(
			o, "file",
			s->migration
				? json_object_new_string(s->migration->file)
				: NULL);
		json_object_object_add(
			o, "checksum",
			s->migration && *s->migration->checksum
				? json_object_new_string(s->migration->checksum)
				: NULL);
		json_object_object_add(
			o, "recorded_checksum",
			s->recorded_checksum
				? json_object_new_string(s->recorded_checksum)
				: NULL);
		json_object_object_add(
			o, "out_of_order",
			json_object_new_boolean(s->out_of_order));
		if (s->state == LADDER_STATE_FAILED)
			json_object_object_add(
				o, "failure",
				json_object_new_string(
					s->failure ? s->failure
						   : "the run died midway"));
		json_object_array_add(list, o);
	}
	json_object_object_add(doc, "command",
			       json_object_new_string("status"));
	json_object_object_add(doc, "manifest",
			       json_object_new_string(ctx->manifest_path));
	json_object_object_add(doc, "database",
			       database ? json_object_new_string(database)
					: NULL);
	json_object_object_add(doc, "migrations", list);
	if (p)
		json_object_object_add(
			doc, "unmanaged",
			json_object_new_boolean(ladder_plan_unmanaged(
				p, LADDER_SEV_NOTE, NULL)));
	if (p) {
		json_object *counts = json_object_new_object();
		for (int st = 0; st <= LADDER_STATE_FAILED; st++)
			json_object_object_add(
				counts, out_state_name((ladder_state)st),
				json_object_new_int64(
					(int64_t)ladder_plan_count_state(
						p, (ladder_state)st)));
		json_object_object_add(doc, "counts", counts);
	}
	return doc;
}

/* A recorded or listed text for the terminal: control bytes escaped. */
static char *safe(const char *s)
{
	char *e = out_escaped(s, strlen(s));
	return e ? e : strdup("?");
}

static void status_table(const struct ctx *ctx, const ladder_plan *p)
{
	int wid = 2, wname = 4;
	size_t count = ladder_plan_count(p);
	/* Names, times and notes come from the manifest and the database:
	 * shown escaped. */
	char **names = calloc(count + 1, sizeof(*names));
	for (size_t i = 0; i < count; i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%" PRId64, s->id);
		if (n > wid)
			wid = n;
		const char *name = s->name;
		if (names && (names[i] = safe(s->name)))
			name = names[i];
		if ((int)strlen(name) > wname)
			wname = (int)strlen(name);
	}
	const char *bold = out_color(ctx, 1, "bold"),
		   *reset = out_color(ctx, 1, "reset");
	out_line(ctx, "%s%*s  %-*s  %-7s  %s%s", bold, wid, "ID", wname, "NAME",
		 "STATE", "APPLIED AT", reset);
	for (size_t i = 0; i < ladder_plan_count(p); i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		const char *state = out_state_name(s->state);
		const char *note = "";
		if (s->out_of_order)
			note = "  (out of order)";
		else if (s->state == LADDER_STATE_APPLIED &&
			 !s->recorded_checksum)
			note = "  (no checksum recorded; 'ladder repair' adds "
			       "one)";
		else if (s->state == LADDER_STATE_FAILED)
			note = s->failure ? s->failure : "the run died midway";
		else if (s->migration && !*s->migration->checksum)
			note = "  (file missing)";
		char *at = safe(s->applied_at ? s->applied_at : "-");
		char *why = safe(note);
		out_line(ctx, "%*" PRId64 "  %-*s  %s%-7s%s  %s%s%s", wid,
			 s->id, wname, names && names[i] ? names[i] : s->name,
			 out_color(ctx, 1, state), state,
			 out_color(ctx, 1, "reset"), at ? at : "?",
			 s->state == LADDER_STATE_FAILED ? "  " : "",
			 why ? why : "?");
		free(at);
		free(why);
	}
	for (size_t i = 0; names && i < count; i++)
		free(names[i]);
	free(names);
	out_line(ctx,
		 "%zu applied, %zu pending, %zu changed, %zu unknown, "
		 "%zu failed",
		 ladder_plan_count_state(p, LADDER_STATE_APPLIED),
		 ladder_plan_count_state(p, LADDER_STATE_PENDING),
		 ladder_plan_count_state(p, LADDER_STATE_CHANGED),
		 ladder_plan_count_state(p, LADDER_STATE_UNKNOWN),
		 ladder_plan_count_state(p, LADDER_STATE_FAILED));
}

/* Whether the manifest was read whole and only files it lists could not
 * be: the table can still be shown, those rows as changed (file missing),
 * and the exit code stays 1. */
static int only_files_unreadable(const struct ctx *ctx, int rc)
{
	if (rc != LADDER_EINVALID || !ctx->m)
		return 0;
	for (size_t i = 0; i < ladder_diags_count(ctx->diags); i++) {
		const ladder_diag *d = ladder_diags_get(ctx->diags, i);
		if (d->severity == LADDER_SEV_ERROR && strcmp(d->code, "file"))
			return 0;
	}
	return 1;
}

static int status_run(struct ctx *ctx, int rc)
{
	ladder_plan *plan = NULL;
	if (only_files_unreadable(ctx, rc) && !cli_open_db(ctx))
		ladder_plan_new(&plan, ctx->db, ctx->m, ctx->diags);
	if (!rc)
		rc = ladder_plan_new(&plan, ctx->db, ctx->m, ctx->diags);
	/* every step shows pending, but up would refuse: say why */
	if (plan)
		ladder_plan_unmanaged(plan, LADDER_SEV_WARNING, ctx->diags);
	int exit_code = cli_exit_code(ctx, rc);
	if (ctx->format == FORMAT_JSON) {
		exit_code = out_json(
			ctx,
			status_json(ctx, plan,
				    ctx->db	    ? ladder_db_target(ctx->db)
				    : ctx->database ? ctx->database
				    : ctx->m ? ladder_manifest_database(ctx->m)
					     : NULL),
			exit_code);
	} else {
		out_diags(ctx);
		if (plan)
			status_table(ctx, plan);
	}
	ladder_plan_free(plan);
	return exit_code;
}

const struct cli_command cmd_status_entry = {
	.name = "status",
	.summary = "show each migration's state",
	.usage = "",
	.description = "Prints one row per migration: id, name, state "
		       "(applied, pending, changed,\nunknown, failed) and "
		       "when it was applied. Reads only.\n\nExit codes: 0 "
		       "whatever the states, 1 when it cannot read, 2 usage, "
		       "130/143\ninterrupted.",
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_READ,
	.run = status_run,
};
