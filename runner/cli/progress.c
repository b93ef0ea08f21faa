/*
 * progress.c — renders the step events of `up` and `down`: a line per step
 * in text, collected arrays for JSON, statements under -v. It only renders:
 * the commands themselves are cmd_up.c and cmd_down.c.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ldrx.h"
#include "cli.h"

void progress_init(struct progress *p, const struct ctx *ctx, int down)
{
	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->down = down;
	p->live = ctx->format == FORMAT_TEXT && !ctx->quiet && !ctx->verbose &&
		  isatty(STDERR_FILENO);
	p->started_us = ldrx_now_us();
	p->done = json_object_new_array();
	p->skipped = json_object_new_array();
}

void progress_release(struct progress *p)
{
	json_object_put(p->done);
	json_object_put(p->skipped);
	json_object_put(p->backup);
	p->done = p->skipped = p->backup = NULL;
}

int progress_wants_statements(const struct progress *p)
{
	return p->ctx->verbose > 0 || p->live;
}

/* The live line: step i of N, its name, the time so far. Drawn only once
 * the run has taken a second, and at most ten times a second. */
static void draw(struct progress *p, const ladder_event *ev)
{
	int64_t now = ldrx_now_us();
	if (!p->live || now - p->started_us < 1000000 ||
	    (p->drawn && now - p->drawn_us < 100000))
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s %" PRId64 " %s  %.1f s",
		ev->index + 1, ev->total, p->down ? "reverting" : "applying",
		ev->migration->id, ev->migration->name,
		(double)(now - p->started_us) / 1e6);
	if (ev->kind == LADDER_EVENT_STATEMENT)
		fprintf(stderr, "  (line %u)", ev->line);
	fflush(stderr);
	p->drawn = 1;
	p->drawn_us = now;
}

/* Clears the live line before anything else is printed. */
static void undraw(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
}

/* The first line of a statement, cut to fit a terminal line. */
static void print_statement(const ladder_event *ev)
{
	size_t n = 0;
	while (n < ev->sql_len && ev->sql[n] != '\n' && n < 72)
		n++;
	printf("    %s:%u: %.*s%s\n", ev->file, ev->line, (int)n, ev->sql,
	       n < ev->sql_len ? " ..." : "");
}

void progress_event(const ladder_event *ev, void *arg)
{
	struct progress *p = arg;
	const struct ctx *ctx = p->ctx;
	const ladder_migration *m = ev->migration;
	const char *verb = p->down ? "reverted" : "applied";
	int text = ctx->format == FORMAT_TEXT && !ctx->quiet;
	switch (ev->kind) {
	case LADDER_EVENT_BEGIN: break;
	case LADDER_EVENT_STEP:
		draw(p, ev);
		/* A dry run names each step once, when it is "done". */
		if (text && ctx->verbose && !ctx->dry_run)
			printf("%s %" PRId64 " %s (%s)\n",
			       p->down ? "reverting" : "applying", m->id,
			       m->name, ev->file);
		break;
	case LADDER_EVENT_STATEMENT:
		if (p->live)
			draw(p, ev);
		else if (text)
			print_statement(ev);
		break;
	case LADDER_EVENT_DONE: {
		undraw(p);
		json_object *o = out_migration_json(m);
		json_object_object_add(
			o, "duration_ms",
			json_object_new_int64(ev->elapsed_us / 1000));
		json_object_array_add(p->done, o);
		p->total_us += ev->elapsed_us;
		p->count++;
		if (text && ctx->dry_run)
			printf("would %s %" PRId64 " %s (%s)\n",
			       p->down ? "revert" : "apply", m->id, m->name,
			       ev->file);
		else if (text)
			printf("%s%s%s %" PRId64 " %s (%" PRId64 " ms)\n",
			       out_color(ctx, 1, "applied"), verb,
			       out_color(ctx, 1, "reset"), m->id, m->name,
			       ev->elapsed_us / 1000);
		break;
	}
	case LADDER_EVENT_BACKUP:
		undraw(p);
		p->backup = json_object_new_object();
		json_object_object_add(p->backup, "path",
				       json_object_new_string(ev->file));
		json_object_object_add(p->backup, "sha256",
				       json_object_new_string(ev->checksum));
		if (text)
			printf("backup %s (sha256 %s, integrity_check ok)\n",
			       ev->file, ev->checksum);
		break;
	case LADDER_EVENT_SKIPPED:
		undraw(p);
		json_object_array_add(p->skipped, out_migration_json(m));
		if (text)
			printf("skipped %" PRId64 " %s: another runner got "
			       "there first\n",
			       m->id, m->name);
		break;
	}
	if (text)
		fflush(stdout);
}

int progress_finish(struct progress *p, int rc)
{
	undraw(p);
	const struct ctx *ctx = p->ctx;
	const char *verb = p->down ? "revert" : "apply";
	int exit_code = cli_exit_code(ctx, rc);

	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string(ctx->cmd->name));
		json_object_object_add(doc, "dry_run",
				       json_object_new_boolean(ctx->dry_run));
		json_object_object_add(doc,
				       ctx->dry_run ? "would_run"
				       : p->down    ? "reverted"
						    : "applied",
				       json_object_get(p->done));
		json_object_object_add(doc, "skipped",
				       json_object_get(p->skipped));
		if (!p->down)
			json_object_object_add(doc, "backup",
					       json_object_get(p->backup));
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		return out_json(ctx, doc, exit_code);
	}
	out_diags(ctx);
	if (rc)
		return exit_code;
	if (!p->count)
		out_line(ctx, "nothing to %s%s", verb,
			 p->down ? "" : ": the database is up to date");
	else if (ctx->dry_run)
		out_line(ctx, "would %s %zu migration%s", verb, p->count,
			 p->count == 1 ? "" : "s");
	else
		out_line(ctx, "%s %zu migration%s in %.3f s",
			 p->down ? "reverted" : "applied", p->count,
			 p->count == 1 ? "" : "s", (double)p->total_us / 1e6);
	return exit_code;
}
