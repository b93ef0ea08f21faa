/*
 * cmd_up.c — `ladder up`: apply pending migrations, each in its own
 * transaction with its bookkeeping row. Exit 0 done, 1 failed or refused,
 * 2 usage, 128 + signal when interrupted.
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

struct up_report {
	const struct ctx *ctx;
	json_object *done;    /* applied (or, dry-run, would apply) */
	json_object *skipped; /* applied by another runner meanwhile */
	int64_t total_us;
	size_t count;
};

/* The first line of a statement, cut to fit a terminal line. */
static void print_statement(const ladder_event *ev)
{
	size_t n = 0;
	while (n < ev->sql_len && ev->sql[n] != '\n' && n < 72)
		n++;
	printf("    %s:%u: %.*s%s\n", ev->migration->file, ev->line, (int)n,
	       ev->sql, n < ev->sql_len ? " ..." : "");
}

static void on_event(const ladder_event *ev, void *arg)
{
	struct up_report *r = arg;
	const struct ctx *ctx = r->ctx;
	const ladder_migration *m = ev->migration;
	int text = ctx->format == FORMAT_TEXT && !ctx->quiet;
	switch (ev->kind) {
	case LADDER_EVENT_BEGIN:
	case LADDER_EVENT_STEP:
		if (text && ctx->verbose && ev->kind == LADDER_EVENT_STEP)
			printf("%s %" PRId64 " %s (%s)\n",
			       ctx->dry_run ? "would apply" : "applying", m->id,
			       m->name, m->file);
		break;
	case LADDER_EVENT_STATEMENT:
		if (text)
			print_statement(ev);
		break;
	case LADDER_EVENT_DONE: {
		json_object *o = out_migration_json(m);
		json_object_object_add(o, "duration_ms",
				       json_object_new_int64(ev->elapsed_us / 1000));
		json_object_array_add(r->done, o);
		r->total_us += ev->elapsed_us;
		r->count++;
		if (text && ctx->dry_run)
			printf("would apply %" PRId64 " %s (%s)\n", m->id,
			       m->name, m->file);
		else if (text)
			printf("%sapplied%s %" PRId64 " %s (%" PRId64 " ms)\n",
			       out_color(ctx, 1, "applied"),
			       out_color(ctx, 1, "reset"), m->id, m->name,
			       ev->elapsed_us / 1000);
		break;
	}
	case LADDER_EVENT_SKIPPED:
		json_object_array_add(r->skipped, out_migration_json(m));
		if (text)
			printf("skipped %" PRId64 " %s: another runner applied "
			       "it first\n",
			       m->id, m->name);
		break;
	}
	if (text)
		fflush(stdout);
}

int cmd_up(struct ctx *ctx)
{
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	struct up_report report = {.ctx = ctx,
				   .done = json_object_new_array(),
				   .skipped = json_object_new_array()};
	ladder_up_options opts = LADDER_UP_OPTIONS_INIT;
	opts.to = ctx->to;
	opts.dry_run = ctx->dry_run;
	opts.allow_out_of_order = ctx->allow_out_of_order;
	opts.want_statements = ctx->verbose > 0;
	opts.on_event = on_event;
	opts.event_ctx = &report;

	int rc = cli_load_manifest(ctx, &m);
	if (!rc)
		rc = cli_open_db(ctx, m,
				 ctx->dry_run ? LADDER_OPEN_READONLY
					      : LADDER_OPEN_WRITE,
				 &db);
	if (!rc)
		rc = ladder_up(db, m, &opts, ctx->diags);

	int exit_code = EXIT_OK;
	if (rc == LADDER_EINTERRUPTED && cli_signal_exit())
		exit_code = cli_signal_exit();
	else if (rc)
		exit_code = EXIT_FAIL;

	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command", json_object_new_string("up"));
		json_object_object_add(doc, "dry_run",
				       json_object_new_boolean(ctx->dry_run));
		json_object_object_add(doc, ctx->dry_run ? "would_apply" : "applied",
				       report.done);
		json_object_object_add(doc, "skipped", report.skipped);
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc && !report.count)
			out_line(ctx, "nothing to apply: the database is up "
				      "to date");
		else if (!rc && ctx->dry_run)
			out_line(ctx, "would apply %zu migration%s", report.count,
				 report.count == 1 ? "" : "s");
		else if (!rc)
			out_line(ctx, "applied %zu migration%s in %.3f s",
				 report.count, report.count == 1 ? "" : "s",
				 (double)report.total_us / 1e6);
		json_object_put(report.done);
		json_object_put(report.skipped);
	}
	ladder_db_free(db);
	ladder_manifest_free(m);
	return exit_code;
}
