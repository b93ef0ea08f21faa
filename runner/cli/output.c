/*
 * output.c — how results reach the user: diagnostics as
 * `PATH:LINE:COLUMN: error: message` on stderr, or one JSON document on
 * stdout; colour only on a terminal and never under NO_COLOR.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Whether colour goes to stdout (1) or stderr (0): --color always or
 * never, else a terminal without NO_COLOR or TERM=dumb. Asked once per
 * stream per run; the answer cannot change meanwhile. */
static int use_color(const struct ctx *ctx, int on_stdout)
{
	static int known[2], answer[2]; /* the CLI's, never the library's */
	if (ctx->color != 2)
		return ctx->color;
	if (!known[on_stdout]) {
		const char *no = getenv("NO_COLOR");
		const char *term = getenv("TERM");
		answer[on_stdout] =
			isatty(on_stdout ? STDOUT_FILENO : STDERR_FILENO) &&
			!(no && *no) && !(term && !strcmp(term, "dumb"));
		known[on_stdout] = 1;
	}
	return answer[on_stdout];
}

const char *out_color(const struct ctx *ctx, int on_stdout, const char *what)
{
	if (ctx->format == FORMAT_JSON || !use_color(ctx, on_stdout))
		return "";
	static const char *const table[][2] = {
		{"reset", "\033[0m"},	   {"error", "\033[1;31m"},
		{"warning", "\033[1;33m"}, {"note", "\033[1;36m"},
		{"applied", "\033[32m"},   {"pending", "\033[33m"},
		{"changed", "\033[1;31m"}, {"unknown", "\033[1;35m"},
		{"failed", "\033[1;31m"},  {"bold", "\033[1m"},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i][0], what))
			return table[i][1];
	return "";
}

static const char *severity_name(ladder_severity sev)
{
	switch (sev) {
	case LADDER_SEV_ERROR: return "error";
	case LADDER_SEV_WARNING: return "warning";
	case LADDER_SEV_NOTE: return "note";
	}
	return "error";
}

const char *out_state_name(ladder_state state)
{
	switch (state) {
	case LADDER_STATE_APPLIED: return "applied";
	case LADDER_STATE_PENDING: return "pending";
	case LADDER_STATE_CHANGED: return "changed";
	case LADDER_STATE_UNKNOWN: return "unknown";
	case LADDER_STATE_FAILED: return "failed";
	}
	return "unknown";
}

/* Writes `s` for a GitHub workflow command: %, CR and LF always escaped,
 * and in a property (`prop`) also ':' and ','. */
static void github_escaped(const char *s, int prop)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '%')
			fputs("%25", stdout);
		else if (c == '\r')
			fputs("%0D", stdout);
		else if (c == '\n')
			fputs("%0A", stdout);
		else if (prop && c == ':')
			fputs("%3A", stdout);
		else if (prop && c == ',')
			fputs("%2C", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/* --format github: `::error file=F,line=L,col=C::message` on stdout, which
 * a GitHub Actions runner turns into an annotation on that line
 * (docs/recipes.md). */
static void github_annotation(ladder_severity severity, const char *file,
			      unsigned line, unsigned column,
			      const char *message)
{
	printf("::%s", severity == LADDER_SEV_ERROR	? "error"
		       : severity == LADDER_SEV_WARNING ? "warning"
							: "notice");
	if (file) {
		fputs(" file=", stdout);
		github_escaped(file, 1);
		if (line)
			printf(",line=%u", line);
		if (line && column)
			printf(",col=%u", column);
	}
	fputs("::", stdout);
	github_escaped(message, 0);
	putchar('\n');
	fflush(stdout);
}

/* One diagnostic line on stderr: `FILE:LINE:COLUMN: SEVERITY: message`,
 * the location as far as it is known, `ladder:` without one. */
static void print_diag(const struct ctx *ctx, ladder_severity severity,
		       const char *file, unsigned line, unsigned column,
		       const char *message)
{
	if (ctx->github) {
		github_annotation(severity, file, line, column, message);
		return;
	}
	if (file)
		out_put_escaped(stderr, file);
	if (file && line && column)
		fprintf(stderr, ":%u:%u: ", line, column);
	else if (file && line)
		fprintf(stderr, ":%u: ", line);
	else if (file)
		fputs(": ", stderr);
	else
		fputs("ladder: ", stderr);
	const char *sev = severity_name(severity);
	fprintf(stderr, "%s%s:%s ", out_color(ctx, 0, sev), sev,
		out_color(ctx, 0, "reset"));
	out_put_escaped(stderr, message);
	fputc('\n', stderr);
}

char *out_escaped(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o = malloc(n * 4 + 1), *p = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return o;
}

void out_put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (!s)
		fputc('?', f);
}

void out_diags(const struct ctx *ctx)
{
	if (ctx->format == FORMAT_JSON)
		return;
	for (size_t i = 0; i < ladder_diags_count(ctx->diags); i++) {
		const ladder_diag *d = ladder_diags_get(ctx->diags, i);
		if (ctx->quiet && d->severity != LADDER_SEV_ERROR)
			continue;
		/* a lint rule a migration silenced: shown with -v */
		if (!ctx->verbose && d->code &&
		    !strcmp(d->code, "lint-allowed"))
			continue;
		print_diag(ctx, d->severity, d->file, d->line, d->column,
			   d->message);
	}
}

void out_error(const struct ctx *ctx, const char *file, const char *fmt, ...)
{
	if (ctx->format == FORMAT_JSON)
		return;
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	print_diag(ctx, LADDER_SEV_ERROR, file, 0, 0, message);
}

void out_fail_line(const struct ctx *ctx, const char *fmt, ...)
{
	if (ctx->format == FORMAT_JSON)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The migration a diagnostic concerns: the id the library gave it, else
 * the manifest entry whose file (or down file) it is about; 0 = none. */
static int64_t diag_migration(const struct ctx *ctx, const ladder_diag *d)
{
	if (d->migration)
		return d->migration;
	for (size_t i = 0; d->file && i < ladder_manifest_count(ctx->m); i++) {
		const ladder_migration *mig = ladder_manifest_get(ctx->m, i);
		if ((mig->path && !strcmp(d->file, mig->path)) ||
		    (mig->down_path && !strcmp(d->file, mig->down_path)))
			return mig->id;
	}
	return 0;
}

json_object *out_diags_json(const struct ctx *ctx)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < ladder_diags_count(ctx->diags); i++) {
		const ladder_diag *d = ladder_diags_get(ctx->diags, i);
		json_object *o = json_object_new_object();
		json_object_object_add(
			o, "severity",
			json_object_new_string(severity_name(d->severity)));
		json_object_object_add(
			o, "code",
			json_object_new_string(d->code ? d->code : ""));
		json_object_object_add(o, "file",
				       d->file ? json_object_new_string(d->file)
					       : NULL);
		json_object_object_add(o, "line",
				       d->line ? json_object_new_int64(d->line)
					       : NULL);
		json_object_object_add(
			o, "column",
			d->column ? json_object_new_int64(d->column) : NULL);
		json_object_object_add(o, "message",
				       json_object_new_string(d->message));
		int64_t id = diag_migration(ctx, d);
		json_object_object_add(o, "migration",
				       id ? json_object_new_int64(id) : NULL);
		if (d->sqlstate)
			json_object_object_add(
				o, "sqlstate",
				json_object_new_string(d->sqlstate));
		json_object_array_add(arr, o);
	}
	return arr;
}

int out_json(const struct ctx *ctx, json_object *doc, int exit_code)
{
	json_object_object_add(doc, "format_version",
			       json_object_new_int(OUT_FORMAT_VERSION));
	json_object_object_add(doc, "exit_code",
			       json_object_new_int(exit_code));
	json_object_object_add(doc, "diagnostics", out_diags_json(ctx));
	puts(json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return exit_code;
}

int out_usage_json(const struct ctx *ctx, const char *message, int exit_code)
{
	if (ctx->format != FORMAT_JSON)
		return exit_code;
	json_object *doc = json_object_new_object();
	json_object_object_add(doc, "command",
			       json_object_new_string(ctx->cmd->name));
	json_object_object_add(doc, "ok", json_object_new_boolean(0));
	json_object_object_add(doc, "format_version",
			       json_object_new_int(OUT_FORMAT_VERSION));
	json_object_object_add(doc, "exit_code",
			       json_object_new_int(exit_code));
	json_object *diags = out_diags_json(ctx), *o = json_object_new_object();
	json_object_object_add(o, "severity", json_object_new_string("error"));
	json_object_object_add(o, "code", json_object_new_string("usage"));
	json_object_object_add(o, "file", NULL);
	json_object_object_add(o, "line", NULL);
	json_object_object_add(o, "column", NULL);
	json_object_object_add(o, "message", json_object_new_string(message));
	json_object_object_add(o, "migration", NULL);
	json_object_array_add(diags, o);
	json_object_object_add(doc, "diagnostics", diags);
	puts(json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return exit_code;
}

void out_line(const struct ctx *ctx, const char *fmt, ...)
{
	if (ctx->quiet || ctx->format == FORMAT_JSON)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

json_object *out_id_list(const ladder_plan *plan, ladder_state state,
			 int out_of_order_only)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state == state &&
		    (!out_of_order_only || s->out_of_order))
			json_object_array_add(arr,
					      json_object_new_int64(s->id));
	}
	return arr;
}

json_object *out_migration_json(const ladder_migration *m)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "name", json_object_new_string(m->name));
	json_object_object_add(o, "file", json_object_new_string(m->file));
	json_object_object_add(o, "transaction",
			       json_object_new_boolean(m->transactional));
	json_object_object_add(o, "checksum",
			       m->checksum && *m->checksum
				       ? json_object_new_string(m->checksum)
				       : NULL);
	return o;
}
