/*
 * cmd_new.c — `ladder new NAME`: the next migration's file and entry.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>

#include "cli.h"

int cmd_new(struct ctx *ctx)
{
	char *created = NULL;
	int64_t id = 0;
	/* new writes two files; a signal between them would leave the SQL
	 * file without its entry. It is held until both are written. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	int rc = ladder_new(ctx->manifest_path, ctx->args[0], &created, &id,
			    ctx->diags);
	sigprocmask(SIG_SETMASK, &old, NULL);
	int exit_code = rc == LADDER_EUSAGE ? EXIT_USAGE
			: rc		    ? EXIT_FAIL
					    : EXIT_OK;
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
