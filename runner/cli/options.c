/*
 * options.c — argv to struct ctx. Global options are accepted before and
 * after the command; every option is declared once in a table that drives
 * both getopt_long and --help.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct opt global_opts[] = {
	{"manifest", 'm', "FILE",
	 "the manifest (default ./manifest.yaml; env LADDER_MANIFEST)"},
	{"database", 'd', "DB",
	 "a SQLite path or sqlite:PATH, or a postgresql:// URL (env "
	 "LADDER_DATABASE; default: the manifest's 'database')"},
	{"format", OPT_FORMAT, "FORMAT",
	 "text (default), json, or github (annotations)"},
	{"quiet", 'q', NULL, "print only errors"},
	{"verbose", 'v', NULL, "add per-statement detail"},
	{"color", OPT_COLOR, "WHEN",
	 "auto (default), always or never; "
	 "NO_COLOR turns auto off"},
	{"lock-timeout", OPT_LOCK_TIMEOUT, "SECONDS",
	 "how long to wait for another runner's lock (default 60)"},
	{"help", 'h', NULL, "show this help"},
	{"version", 'V', NULL, "show the version"},
	{NULL, 0, NULL, NULL},
};

static const struct opt *find_opt(const struct opt *table, const char *name,
				  size_t len, int key)
{
	for (; table && table->name; table++) {
		if (name && strlen(table->name) == len &&
		    !strncmp(table->name, name, len))
			return table;
		if (!name && table->key == key)
			return table;
	}
	return NULL;
}

int cli_usage_error(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "ladder: %serror:%s ", out_color(ctx, 0, "error"),
		out_color(ctx, 0, "reset"));
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ladder %s%s--help' for more information.\n",
		ctx->cmd ? ctx->cmd->name : "", ctx->cmd ? " " : "");
	return ctx->cmd && ctx->cmd->usage_exit ? ctx->cmd->usage_exit
						: EXIT_USAGE;
}

/* The global option `--name` stands for as getopt_long reads it: the
 * exact name, else the one global option it abbreviates; NULL when none
 * or several do (the full parse then names it as an unknown option). */
static const struct opt *find_global_long(const char *name, size_t len)
{
	const struct opt *o = find_opt(global_opts, name, len, 0), *hit = NULL;
	if (o)
		return o;
	for (o = global_opts; o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (hit)
			return NULL;
		hit = o;
	}
	return hit;
}

/* Does the global option spelled by `arg` take a separate value? Used to
 * find the command word before the full parse; an abbreviation counts as
 * getopt_long reads it (`--form json`). */
static int global_takes_value(const char *arg)
{
	if (arg[1] == '-') {
		const char *name = arg + 2, *eq = strchr(name, '=');
		if (eq)
			return 0;
		const struct opt *o = find_global_long(name, strlen(name));
		return o && o->arg && o->arg[0] != '[';
	}
	/* -m FILE, -qd FILE: the value is separate when the letter taking
	 * it comes last. */
	for (const char *p = arg + 1; *p; p++) {
		const struct opt *o = find_opt(global_opts, NULL, 0, *p);
		if (o && o->arg)
			return p[1] == '\0';
	}
	return 0;
}

static const struct cli_command *
find_command(const struct cli_command *const *commands, size_t n,
	     const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static int parse_long(const char *s, long long min, long long *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '+' || *s == '-' || *s == ' ')
		return -1;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min)
		return -1;
	*out = v;
	return 0;
}

/* Fills getopt_long's tables from both option tables. */
static void build_getopt(const struct opt *cmd_opts, struct option *longs,
			 char *shorts)
{
	size_t n = 0, k = 0;
	shorts[k++] = ':'; /* report a missing value as ':' */
	const struct opt *tables[2] = {global_opts, cmd_opts};
	for (int t = 0; t < 2; t++) {
		for (const struct opt *o = tables[t]; o && o->name; o++) {
			/* "[=PATH]": a value only as --name=PATH */
			int has = !o->arg	     ? no_argument
				  : o->arg[0] == '[' ? optional_argument
						     : required_argument;
			longs[n++] =
				(struct option){o->name, has, NULL, o->key};
			if (o->key < 256) {
				shorts[k++] = (char)o->key;
				if (o->arg)
					shorts[k++] = ':';
			}
		}
	}
	longs[n] = (struct option){NULL, 0, NULL, 0};
	shorts[k] = '\0';
}

/* Whether `arg`, a long option getopt_long refused, abbreviates several
 * options (getopt_long takes an unambiguous abbreviation itself). */
static int ambiguous(const struct option *longs, const char *arg)
{
	if (strncmp(arg, "--", 2))
		return 0;
	const char *name = arg + 2;
	size_t len = strcspn(name, "="), hits = 0;
	for (; len && longs->name; longs++)
		hits += !strncmp(longs->name, name, len);
	return hits > 1;
}

static int apply_option(struct ctx *ctx, int key, const char *val)
{
	long long n;
	switch (key) {
	case 'm': ctx->manifest_path = val; break;
	case 'd': ctx->database = val; break;
	case 'q': ctx->quiet = 1; break;
	case 'v': ctx->verbose++; break;
	case OPT_FORMAT:
		if (!strcmp(val, "json"))
			ctx->format = FORMAT_JSON;
		else if (!strcmp(val, "text"))
			ctx->format = FORMAT_TEXT;
		else if (!strcmp(val, "github"))
			ctx->format = FORMAT_TEXT, ctx->github = 1;
		else
			return cli_usage_error(ctx,
					       "--format takes 'text', 'json' "
					       "or 'github', not '%s'",
					       val);
		break;
	case OPT_COLOR:
		if (!strcmp(val, "always"))
			ctx->color = 1;
		else if (!strcmp(val, "never"))
			ctx->color = 0;
		else if (!strcmp(val, "auto"))
			ctx->color = 2;
		else
			return cli_usage_error(ctx,
					       "--color takes 'auto', 'always' "
					       "or 'never', not '%s'",
					       val);
		break;
	case OPT_LOCK_TIMEOUT:
		if (parse_long(val, 0, &n) || n > 86400)
			return cli_usage_error(ctx,
					       "--lock-timeout takes whole "
					       "seconds from 0 to 86400, not "
					       "'%s'",
					       val);
		ctx->lock_timeout_ms = (int)n * 1000;
		break;
	case OPT_TO:
		if (parse_long(val, 0, &n))
			return cli_usage_error(ctx,
					       "--to takes a migration id (a "
					       "positive integer), not '%s'",
					       val);
		ctx->to = n;
		break;
	case OPT_DRY_RUN: ctx->dry_run = 1; break;
	case OPT_ALLOW_OUT_OF_ORDER: ctx->allow_out_of_order = 1; break;
	case OPT_APPLY: ctx->apply = 1; break;
	case OPT_STRICT: ctx->strict = 1; break;
	case OPT_ATOMIC: ctx->atomic = 1; break;
	case OPT_SYMBOL: ctx->symbol = val; break;
	case OPT_FROM: ctx->from = val; break;
	case OPT_SPLIT: ctx->split = val; break;
	case OPT_ENGINE: ctx->engine = val; break;
	case OPT_DROP_TOOL_TABLE: ctx->drop_tool_table = 1; break;
	case OPT_BACKUP: ctx->backup = val ? val : ""; break;
	case OPT_GROUP_MS:
		if (parse_long(val, 0, &n) || n > 3600000)
			return cli_usage_error(ctx,
					       "--group-ms takes milliseconds "
					       "(0 to 3600000), not '%s'",
					       val);
		ctx->group_ms = (int)n + 1;
		break;
	case OPT_TIMESTAMP: ctx->timestamp = 1; break;
	case OPT_DOWN: ctx->new_opts.down = 1; break;
	case OPT_NO_TRANSACTION: ctx->new_opts.no_transaction = 1; break;
	case OPT_FOREIGN_KEYS_OFF: ctx->new_opts.foreign_keys_off = 1; break;
	case 'o': ctx->output = val; break;
	case OPT_DEPFILE: ctx->depfile = val ? val : ""; break;
	}
	return -1;
}

int cli_parse(struct ctx *ctx, int argc, char **argv,
	      const struct cli_command *const *commands, size_t ncommands)
{
	/* The command is the first word that is not an option or the value
	 * of one; 0 when there is none (argv[0] is never a command). */
	int cmd_at = 0;
	for (int i = 1; i < argc && !cmd_at; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			cmd_at = i + 1 < argc ? i + 1 : 0;
			break;
		}
		if (a[0] == '-' && a[1])
			i += global_takes_value(a);
		else
			cmd_at = i;
	}
	if (cmd_at) {
		ctx->cmd = find_command(commands, ncommands, argv[cmd_at]);
		/* `--fmt json`: the word is the value of an option no global
		 * one is; that option is the error, not the word. */
		const char *prev = cmd_at > 1 ? argv[cmd_at - 1] : "";
		if (!ctx->cmd && !strncmp(prev, "--", 2) && prev[2] &&
		    !strchr(prev, '=') &&
		    !find_global_long(prev + 2, strlen(prev + 2)))
			return cli_usage_error(ctx, "unknown option '%s'",
					       prev);
		if (!ctx->cmd)
			return cli_usage_error(ctx, "unknown command '%s'",
					       argv[cmd_at]);
	}

	char **args = calloc((size_t)argc + 1, sizeof(*args));
	struct option longs[64];
	char shorts[64];
	if (!args)
		return EXIT_FAIL;
	int n = 0;
	for (int i = 0; i < argc; i++)
		if (i == 0 || i != cmd_at)
			args[n++] = argv[i];
	build_getopt(ctx->cmd ? ctx->cmd->opts : NULL, longs, shorts);

	int rc = -1, key, help = 0, version = 0;
	opterr = 0;
	optind = 0;
	while (rc < 0 &&
	       (key = getopt_long(n, args, shorts, longs, NULL)) != -1) {
		if (key == 'h')
			help = 1;
		else if (key == 'V')
			version = 1;
		else if (key == '?')
			rc = cli_usage_error(ctx, "%s option '%s'",
					     ambiguous(longs, args[optind - 1])
						     ? "ambiguous"
						     : "unknown",
					     args[optind - 1]);
		else if (key == ':')
			rc = cli_usage_error(ctx, "option '%s' needs a value",
					     args[optind - 1]);
		else
			rc = apply_option(ctx, key, optarg);
	}
	if (rc >= 0)
		goto out;
	if (help || version) {
		if (version)
			printf("ladder %s\n", LADDER_VERSION);
		else if (ctx->cmd)
			cli_help_command(stdout, ctx->cmd);
		else
			cli_help_main(stdout, commands, ncommands);
		rc = EXIT_OK;
		goto out;
	}
	if (!ctx->cmd) {
		rc = cli_usage_error(ctx, "no command given");
		goto out;
	}
	for (; optind < n; optind++) {
		if (ctx->nargs >= ctx->cmd->positional) {
			rc = cli_usage_error(ctx, "unexpected argument '%s'",
					     args[optind]);
			goto out;
		}
		ctx->args[ctx->nargs++] = args[optind];
	}
	if (ctx->nargs < ctx->cmd->positional - ctx->cmd->optional)
		rc = cli_usage_error(ctx, "'%s' needs %s", ctx->cmd->name,
				     ctx->cmd->usage);
out:
	free(args);
	return rc;
}

static void print_opts(FILE *out, const struct opt *o)
{
	for (; o && o->name; o++) {
		char left[64];
		if (o->key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key,
				 o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg && o->arg[0] != '[' ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
}

void cli_help_command(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, "usage: ladder [OPTIONS] %s%s%s\n\n%s\n", cmd->name,
		*cmd->usage ? " " : "", cmd->usage, cmd->description);
	if (cmd->opts && cmd->opts->name) {
		fprintf(out, "\nOptions:\n");
		print_opts(out, cmd->opts);
	}
	fprintf(out, "\nGlobal options:\n");
	print_opts(out, global_opts);
}

void cli_help_main(FILE *out, const struct cli_command *const *commands,
		   size_t n)
{
	fprintf(out, "usage: ladder [OPTIONS] COMMAND [ARGS]\n\n"
		     "Applies the SQL files a manifest lists to a SQLite or "
		     "PostgreSQL database,\none transaction per step, each "
		     "recorded in a bookkeeping table.\n\nCommands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out, "\nGlobal options:\n");
	print_opts(out, global_opts);
	fprintf(out, "\n'ladder COMMAND --help' documents each command; "
		     "docs/ has the rest.\n");
}
