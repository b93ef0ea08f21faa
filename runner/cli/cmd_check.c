/*
 * cmd_check.c — `ladder check`: the pre-swap verdict, read-only, as one
 * line and an exit code: 0 compatible, 1 migrations needed, 2 incompatible,
 * 3 could not tell.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define EXIT_CANNOT_TELL 3

/* Appends "LABEL [1 2 3]" for the steps in `state` to `line`. */
static void add_ids(FILE *line, const ladder_plan *p, ladder_state state,
		    int out_of_order_only, const char *label, int *parts)
{
	int any = 0;
	for (size_t i = 0; i < ladder_plan_count(p); i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		if (s->state != state ||
		    (out_of_order_only && !s->out_of_order))
			continue;
		fprintf(line, "%s%s%" PRId64, any ? " " : (*parts ? "; " : ""),
			any ? "" : label, s->id);
		any = 1;
	}
	if (any) {
		fputc(']', line);
		(*parts)++;
	}
}

/* The verdict line: starts with `compatible`, `migrations needed:` or
 * `incompatible:`, as docs/commands.md fixes. Caller frees. */
static char *verdict_line(const ladder_plan *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *line = open_memstream(&text, &len);
	if (!line)
		return NULL;
	int parts = 0;
	switch (ladder_plan_verdict(p)) {
	case LADDER_VERDICT_COMPATIBLE:
		fprintf(line, "compatible: %zu of %zu migrations applied",
			ladder_plan_count_state(p, LADDER_STATE_APPLIED),
			ladder_plan_count(p));
		break;
	case LADDER_VERDICT_PENDING:
		fprintf(line, "migrations needed: ");
		add_ids(line, p, LADDER_STATE_PENDING, 0, "pending [", &parts);
		add_ids(line, p, LADDER_STATE_PENDING, 1, "out of order [",
			&parts);
		break;
	case LADDER_VERDICT_INCOMPATIBLE:
		fprintf(line, "incompatible: ");
		add_ids(line, p, LADDER_STATE_UNKNOWN, 0, "unknown applied [",
			&parts);
		add_ids(line, p, LADDER_STATE_CHANGED, 0, "changed applied [",
			&parts);
		add_ids(line, p, LADDER_STATE_FAILED, 0,
			"failed midway (the database may be partly changed) [",
			&parts);
		add_ids(line, p, LADDER_STATE_PENDING, 0, "pending [", &parts);
		break;
	}
	fclose(line);
	return text;
}

static const char *verdict_name(ladder_verdict v)
{
	switch (v) {
	case LADDER_VERDICT_COMPATIBLE: return "compatible";
	case LADDER_VERDICT_PENDING: return "migrations needed";
	case LADDER_VERDICT_INCOMPATIBLE: return "incompatible";
	}
	return "error";
}

static int check_run(struct ctx *ctx, int rc)
{
	ladder_plan *plan = NULL;
	char *line = NULL;
	/* The library's verdict: "migrations needed" only when up would
	 * apply them (the pending files pass the rules up checks first). */
	if (!rc)
		rc = ladder_check(&plan, ctx->db, ctx->m, ctx->diags);
	int exit_code =
		rc ? cli_exit_code(ctx, rc) : (int)ladder_plan_verdict(plan);
	if (plan)
		line = verdict_line(plan);

	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("check"));
		json_object_object_add(
			doc, "verdict",
			json_object_new_string(
				plan ? verdict_name(ladder_plan_verdict(plan))
				     : "error"));
		json_object_object_add(doc, "message",
				       line ? json_object_new_string(line)
					    : NULL);
		if (plan) {
			json_object_object_add(
				doc, "pending",
				out_id_list(plan, LADDER_STATE_PENDING, 0));
			json_object_object_add(
				doc, "out_of_order",
				out_id_list(plan, LADDER_STATE_PENDING, 1));
			json_object_object_add(
				doc, "unknown",
				out_id_list(plan, LADDER_STATE_UNKNOWN, 0));
			json_object_object_add(
				doc, "changed",
				out_id_list(plan, LADDER_STATE_CHANGED, 0));
			json_object_object_add(
				doc, "failed",
				out_id_list(plan, LADDER_STATE_FAILED, 0));
		}
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (line)
			out_line(ctx, "%s", line);
	}
	free(line);
	ladder_plan_free(plan);
	return exit_code;
}

const struct cli_command cmd_check_entry = {
	.name = "check",
	.summary = "is the database compatible with this manifest?",
	.usage = "",
	.description =
		"Read-only: prints one line and exits with\n"
		"  0  compatible: every migration is applied, no unknown ids\n"
		"  1  migrations needed: pending [ids]\n"
		"  2  incompatible: the database has unknown or changed "
		"migrations,\n"
		"     or a step without a transaction that failed midway\n"
		"  3  it could not tell (unreadable manifest or database, "
		"usage)\n"
		"A missing database file is a fresh install: everything "
		"pending.",
	.flags = CLI_MANIFEST_CHECKSUMS | CLI_DB_READ,
	.usage_exit = EXIT_CANNOT_TELL,
	.fail_exit = EXIT_CANNOT_TELL,
	.run = check_run,
};
