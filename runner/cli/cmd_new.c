/*
 * cmd_new.c — `ladder new NAME`: the next migration's file and entry.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>

#include "cli.h"

static int new_run(struct ctx *ctx, int rc)
{
	(void)rc; /* new sets nothing up: it reads the manifest itself */
	char *created = NULL;
	int64_t id = 0;
	/* new writes two files; a signal between them would leave the SQL
	 * file without its entry. It is held until both are written. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = ladder_new(&created, &id, ctx->manifest_path, ctx->args[0],
			ctx->diags);
	sigprocmask(SIG_SETMASK, &old, NULL);
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
	.usage = "NAME",
	.description =
		"Appends an entry with id = the highest id + 1 to the manifest "
		"(its text and\ncomments kept) and creates its SQL file, "
		"NNNN_NAME.sql, in the folder the\nprevious entries use (or "
		"sql/), holding only a comment header; 'ladder\nvalidate' "
		"flags it until a statement is written. Never overwrites a "
		"file.\nNAME is letters, digits, '_' and '-'.\n\nExit codes: "
		"0 done, 1 failed, 2 usage.",
	.flags = CLI_LIBRARY_USAGE,
	.positional = 1,
	.run = new_run,
};
