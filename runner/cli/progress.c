/*
 * progress.c — renders the step events of `up` and `down`: a line per step
 * in text, collected arrays for JSON, statements under -v. It only renders:
 * the commands themselves are cmd_up.c and cmd_down.c.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ldrx.h"
#include "cli.h"

/* The live line: step i of N, its name, the time so far. Drawn only once
 * the run has taken a second, and at most ten times a second. Called
 * with `mu` held while the ticker runs. */
static void redraw(struct progress *p)
{
	int64_t now = ldrx_now_us();
	if (!p->live || !p->showing || now - p->started_us < 1000000 ||
	    (p->drawn && now - p->drawn_us < 100000))
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s %" PRId64 " ", p->index + 1,
		p->total, p->down ? "reverting" : "applying", p->id);
	out_put_escaped(stderr, p->name);
	fprintf(stderr, "  %.1f s", (double)(now - p->started_us) / 1e6);
	if (p->line)
		fprintf(stderr, "  (line %u)", p->line);
	fflush(stderr);
	p->drawn = 1;
	p->drawn_us = now;
}

static void draw(struct progress *p, const ladder_event *ev)
{
	p->showing = 1;
	p->index = ev->index;
	p->total = ev->total;
	p->id = ev->migration->id;
	p->name = ev->migration->name;
	p->line = ev->kind == LADDER_EVENT_STATEMENT ? ev->line : 0;
	redraw(p);
}

/* Clears the live line before anything else is printed. */
static void undraw(struct progress *p)
{
	p->showing = 0;
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
}

/* Redraws the line every tenth of a second, so a statement that runs for
 * long still shows its step and the time going on. */
static void *tick(void *arg)
{
	struct progress *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&p->wake, &p->mu, &until);
		if (!p->stop)
			redraw(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

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
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->wake, NULL);
	/* The ticker blocks the signals, which stay the main thread's. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (p->live)
		p->ticking = !pthread_create(&p->ticker, NULL, tick, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Ends the ticker, if it runs; the line is cleared. */
static void stop_ticker(struct progress *p)
{
	if (p->ticking) {
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->ticker, NULL);
		p->ticking = 0;
	}
	undraw(p);
}

void progress_release(struct progress *p)
{
	stop_ticker(p);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->mu);
	json_object_put(p->done);
	json_object_put(p->skipped);
	json_object_put(p->backup);
	p->done = p->skipped = p->backup = NULL;
}

int progress_wants_statements(const struct progress *p)
{
	return p->ctx->verbose > 0 || p->live;
}

/* The first line of a statement, cut to fit a terminal line. */
static void print_statement(const ladder_event *ev)
{
	size_t n = 0;
	while (n < ev->sql_len && ev->sql[n] != '\n' && n < 72)
		n++;
	char *sql = out_escaped(ev->sql, n);
	fputs("    ", stdout);
	out_put_escaped(stdout, ev->file);
	printf(":%u: %s%s\n", ev->line, sql ? sql : "?",
	       n < ev->sql_len ? " ..." : "");
	free(sql);
}

/* "ID NAME (FILE)" of a step, names and path escaped for the terminal. */
static void print_step(const ladder_migration *m, const char *file)
{
	printf(" %" PRId64 " ", m->id);
	out_put_escaped(stdout, m->name);
	if (file) {
		fputs(" (", stdout);
		out_put_escaped(stdout, file);
		fputc(')', stdout);
	}
}

static void event(struct progress *p, const ladder_event *ev);

void progress_event(const ladder_event *ev, void *arg)
{
	struct progress *p = arg;
	if (p->ticking)
		pthread_mutex_lock(&p->mu);
	event(p, ev);
	if (p->ticking)
		pthread_mutex_unlock(&p->mu);
}

static void event(struct progress *p, const ladder_event *ev)
{
	const struct ctx *ctx = p->ctx;
	const ladder_migration *m = ev->migration;
	const char *verb = p->down ? "reverted" : "applied";
	int text = ctx->format == FORMAT_TEXT && !ctx->quiet;
	switch (ev->kind) {
	case LADDER_EVENT_BEGIN: break;
	case LADDER_EVENT_STEP:
		draw(p, ev);
		/* A dry run names each step once, when it is "done". */
		if (text && ctx->verbose && !ctx->dry_run) {
			fputs(p->down ? "reverting" : "applying", stdout);
			print_step(m, ev->file);
			fputc('\n', stdout);
		}
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
		if (text && ctx->dry_run) {
			printf("would %s", p->down ? "revert" : "apply");
			print_step(m, ev->file);
			fputc('\n', stdout);
		} else if (text) {
			printf("%s%s%s", out_color(ctx, 1, "applied"), verb,
			       out_color(ctx, 1, "reset"));
			print_step(m, NULL);
			printf(" (%" PRId64 " ms)\n", ev->elapsed_us / 1000);
		}
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
	case LADDER_EVENT_RETRY:
		/* the why is the `retry` note (text: at the end; JSON: in
		 * diagnostics) */
		undraw(p);
		if (text) {
			fputs("retry", stdout);
			print_step(m, NULL);
			printf(": attempt %d hit a lock timeout or deadlock "
			       "and "
			       "was rolled back; again in %" PRId64 " ms\n",
			       ev->attempt, ev->elapsed_us / 1000);
		}
		break;
	case LADDER_EVENT_SKIPPED:
		undraw(p);
		json_object_array_add(p->skipped, out_migration_json(m));
		if (text) {
			fputs("skipped", stdout);
			print_step(m, NULL);
			fputs(": another runner got there first\n", stdout);
		}
		break;
	}
	if (text)
		fflush(stdout);
}

int progress_finish(struct progress *p, int rc)
{
	stop_ticker(p);
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
