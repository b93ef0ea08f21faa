/*
 * cmd_new.c — `ladder new NAME`: the next migration's file and entry;
 * `ladder init`, in cmd_init.c, starts a project with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

const struct opt cli_new_opts[] = {
	{"timestamp", OPT_TIMESTAMP, NULL,
	 "id = the UTC time as YYYYmmddHHMMSS (no two branches collide)"},
	{"down", OPT_DOWN, NULL, "also create NNNN_NAME.down.sql, its revert"},
	{"no-transaction", OPT_NO_TRANSACTION, NULL,
	 "the entry gets 'transaction: false'"},
	{"foreign-keys-off", OPT_FOREIGN_KEYS_OFF, NULL,
	 "the entry gets 'foreign_keys: off' (a table rebuild)"},
	{NULL, 0, NULL, NULL},
};

int cli_new_migration(struct ctx *ctx, const char *name, char **created,
		      int64_t *id)
{
	ladder_new_options opts = ctx->new_opts;
	if (ctx->timestamp) {
		time_t now = time(NULL);
		struct tm tm;
		char buf[32];
		if (gmtime_r(&now, &tm) &&
		    strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &tm))
			opts.min_id = strtoll(buf, NULL, 10);
	}
	/* new writes two or three files; a signal between them would leave
	 * a SQL file without its entry. It is held until all are written. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	int rc = ladder_new_with(created, id, ctx->manifest_path, name, &opts,
				 ctx->diags);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int new_run(struct ctx *ctx, int rc)
{
	(void)rc; /* new sets nothing up: it reads the manifest itself */
	char *created = NULL;
	int64_t id = 0;
	struct stat st;
	int missing = stat(ctx->manifest_path, &st) && errno == ENOENT;
	if (missing) {
		rc = LADDER_EIO;
		out_error(
			ctx, ctx->manifest_path,
			"cannot open '%s': %s; 'ladder init' starts a project",
			ctx->manifest_path, strerror(ENOENT));
	} else {
		rc = cli_new_migration(ctx, ctx->args[0], &created, &id);
	}
	int exit_code = cli_exit_code(ctx, rc);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("new"));
		json_object_object_add(doc, "id",
				       rc ? NULL : json_object_new_int64(id));
		json_object_object_add(doc, "file",
				       created ? json_object_new_string(created)
					       : NULL);
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		if (missing)
			json_object_object_add(
				doc, "hint",
				json_object_new_string("ladder init"));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc)
			out_line(ctx,
				 "created %s (migration %" PRId64
				 "); write its SQL, then 'ladder "
				 "validate'",
				 created, id);
	}
	free(created);
	return exit_code;
}

const struct cli_command cmd_new_entry = {
	.name = "new",
	.summary = "add the next migration to the manifest",
	.usage = "[--timestamp] [--down] [--no-transaction] "
		 "[--foreign-keys-off] NAME",
	.description =
		"Appends an entry with id = the highest id + 1 to the manifest "
		"(its text and\ncomments kept) and creates its SQL file, "
		"NNNN_NAME.sql, in the folder the\nprevious entries use (or "
		"sql/), holding only a comment header; 'ladder\nvalidate' "
		"flags it until a statement is written. Never overwrites a "
		"file.\nNAME is letters, digits, '_' and '-'. With no "
		"manifest, 'ladder init' starts\none.\n\nExit codes: "
		"0 done, 1 failed, 2 usage.",
	.opts = cli_new_opts,
	.flags = CLI_LIBRARY_USAGE,
	.positional = 1,
	.run = new_run,
};
