/*
 * cmd_init.c — `ladder init`: a new project's manifest (block style), its
 * sql/ folder and a first migration to fill, and what to run next.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* `s` as a double-quoted YAML scalar into `out`. */
static void quoted(char *out, size_t size, const char *s)
{
	size_t k = 0;
	out[k++] = '"';
	for (; *s && k + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			out[k++] = '\\';
		out[k++] = *s;
	}
	out[k++] = '"';
	out[k] = '\0';
}

/* The manifest, never over an existing file. 0, or errno. */
static int write_manifest(const char *path, const char *database,
			  const char *engine)
{
	char db[1024];
	quoted(db, sizeof(db), database);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(path);
		return e;
	}
	fprintf(f,
		"# ladder's manifest: every migration, in id order "
		"(docs/manifest.md).\n"
		"# 'ladder new NAME' adds one; an applied entry is never "
		"edited, renumbered\n# or removed.\n"
		"%s"
		"database: %s\n"
		"migrations: []\n",
		engine && !strcmp(engine, "postgresql") ? "engine: postgresql\n"
							: "",
		db);
	int e = 0;
	if (fflush(f) || fsync(fd))
		e = errno;
	if (fclose(f) && !e)
		e = errno;
	if (e)
		unlink(path);
	return e;
}

static int init_run(struct ctx *ctx, int rc)
{
	(void)rc; /* init sets nothing up */
	char *created = NULL;
	int64_t id = 0;
	/* As the manifest reads it: relative to its folder, no password,
	 * and the engine the target names. */
	const char *engine = NULL;
	char *database = ladder_target_for_manifest(
		ctx->database ? ctx->database : "app.db", ctx->manifest_path,
		&engine);
	int err = database
			  ? write_manifest(ctx->manifest_path, database, engine)
			  : ENOMEM;
	if (err) {
		out_error(ctx, ctx->manifest_path, "cannot create '%s': %s",
			  ctx->manifest_path, strerror(err));
		rc = LADDER_EIO;
	} else {
		rc = cli_new_migration(ctx, ctx->nargs ? ctx->args[0] : "first",
				       &created, &id);
		if (rc) /* all or nothing: no manifest without its file */
			unlink(ctx->manifest_path);
	}
	int exit_code = cli_exit_code(ctx, rc);
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("init"));
		json_object_object_add(
			doc, "manifest",
			json_object_new_string(ctx->manifest_path));
		json_object_object_add(
			doc, "database",
			database ? json_object_new_string(database) : NULL);
		json_object_object_add(doc, "id",
				       rc ? NULL : json_object_new_int64(id));
		json_object_object_add(doc, "file",
				       created ? json_object_new_string(created)
					       : NULL);
		json_object_object_add(doc, "ok", json_object_new_boolean(!rc));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (!rc) {
			out_line(ctx, "created %s (database %s) and %s",
				 ctx->manifest_path, database, created);
			out_line(ctx, "next: write the first migration's SQL "
				      "in that file, then");
			out_line(ctx, "  ladder validate    # check it");
			out_line(ctx, "  ladder up          # apply it");
			out_line(ctx, "  ladder new NAME    # the next one");
		}
	}
	free(created);
	ladder_free(database);
	return exit_code;
}

const struct cli_command cmd_init_entry = {
	.name = "init",
	.summary = "start a project: manifest, sql/, a first migration",
	.usage = "[--timestamp] [--down] [--no-transaction] "
		 "[--foreign-keys-off] [NAME]",
	.description =
		"Creates the manifest (-m, default ./manifest.yaml; never over "
		"an existing file)\nwith 'database:' set to -d (default "
		"app.db; a relative path made relative to\nthe manifest's "
		"folder, a postgresql:// URL without its password and with\n"
		"'engine: postgresql'), and its first "
		"migration,\nsql/0001_NAME.sql (NAME "
		"default 'first'), as 'ladder new' does; then says\nwhat to "
		"run next. Nothing is left behind when it fails.\n\nExit "
		"codes: 0 done, 1 failed (the manifest exists), 2 usage.",
	.opts = cli_new_opts,
	.flags = CLI_LIBRARY_USAGE,
	.positional = 1,
	.optional = 1,
	.run = init_run,
};
