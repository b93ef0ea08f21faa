/*
 * cmd_import.c — `ladder import --from TOOL DIR`: another tool's
 * migration folder as a manifest, on stdout or in a new file (-o).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct opt import_opts[] = {
	{"from", OPT_FROM, "TOOL",
	 "the tool the folder belongs to: diesel, sqlx, goose, "
	 "golang-migrate, dbmate, drizzle-kit, flyway, grocy"},
	{"output", 'o', "FILE",
	 "write the manifest to FILE (never over an existing file); paths "
	 "in it are relative to FILE's folder"},
	{"split", OPT_SPLIT, "DIR",
	 "goose, dbmate: write each file's up and down sections to DIR as "
	 "ladder's own files (the originals stay untouched)"},
	{"engine", OPT_ENGINE, "ENGINE",
	 "sqlite (the default) or postgresql: the manifest's engine, whose "
	 "rules say which files need transaction: false"},
	{NULL, 0, NULL, NULL},
};

/* Exit code when something could not be carried over. */
enum { EXIT_INCOMPLETE = 3 };

static int import_prepare(struct ctx *ctx, int rc)
{
	(void)rc;
	if (!ctx->from)
		return cli_usage_error(ctx, "import needs --from TOOL");
	return 0;
}

/* The folder of `path`, as a new string ("." when it has none). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Writes `text` to a new file `path`; never over one that exists. */
static int write_new_file(struct ctx *ctx, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		out_error(ctx, path, "cannot create '%s': %s", path,
			  errno == EEXIST ? "it exists (import never "
					    "overwrites a file)"
					  : strerror(errno));
		return -1;
	}
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int err = off < len ? (errno ? errno : EIO) : 0;
	if ((fsync(fd) || close(fd)) && !err)
		err = errno;
	if (err) {
		out_error(ctx, path, "cannot write '%s': %s", path,
			  strerror(err));
		unlink(path);
		return -1;
	}
	return 0;
}

static size_t count_entries(const char *yaml)
{
	size_t n = 0;
	for (const char *p = yaml; (p = strstr(p, "\n  - id: ")); p++)
		n++;
	return n;
}

static int import_run(struct ctx *ctx, int rc)
{
	char *yaml = NULL, *mdir = NULL;
	size_t unsupported = 0;
	int wrote = 0;
	const char *out = ctx->output;
	if (out && access(out, F_OK) == 0) {
		/* Before anything, split copies included, is written. */
		out_error(ctx, out,
			  "'%s' exists; import never overwrites a file", out);
		rc = LADDER_EIO;
	}
	if (!rc && !(mdir = out ? folder_of(out) : strdup(".")))
		rc = LADDER_ENOMEM;
	if (!rc) {
		ladder_import_options o = {LADDER_IMPORT_OPTIONS_VERSION,
					   ctx->from,
					   ctx->args[0],
					   mdir,
					   ctx->split,
					   ctx->engine};
		rc = ladder_import(&yaml, &unsupported, &o, ctx->diags);
	}
	if (!rc && out) {
		if (write_new_file(ctx, out, yaml))
			rc = LADDER_EIO;
		else
			wrote = 1;
	}
	int exit_code = cli_exit_code(ctx, rc);
	if (!rc && unsupported)
		exit_code = EXIT_INCOMPLETE;
	if (ctx->format == FORMAT_JSON) {
		json_object *doc = json_object_new_object();
		json_object_object_add(doc, "command",
				       json_object_new_string("import"));
		json_object_object_add(doc, "from",
				       json_object_new_string(ctx->from));
		json_object_object_add(doc, "file",
				       wrote ? json_object_new_string(out)
					     : NULL);
		json_object_object_add(
			doc, "manifest",
			yaml && !out ? json_object_new_string(yaml) : NULL);
		json_object_object_add(
			doc, "migrations",
			json_object_new_int64(
				yaml ? (int64_t)count_entries(yaml) : 0));
		json_object_object_add(
			doc, "unsupported",
			json_object_new_int64((int64_t)unsupported));
		out_json(ctx, doc, exit_code);
	} else {
		out_diags(ctx);
		if (yaml && !out)
			fputs(yaml, stdout);
		if (wrote) {
			size_t n = count_entries(yaml);
			out_line(ctx, "wrote %s: %zu migration%s from %s", out,
				 n, n == 1 ? "" : "s", ctx->from);
		}
		if (!rc && unsupported)
			out_fail_line(ctx,
				      "import incomplete: %zu item%s not "
				      "carried over (listed above)",
				      unsupported, unsupported == 1 ? "" : "s");
	}
	ladder_free(yaml);
	free(mdir);
	return exit_code;
}

const struct cli_command cmd_import_entry = {
	.name = "import",
	.summary = "write a manifest for another tool's migration folder",
	.usage = "--from TOOL DIR",
	.description =
		"Writes a manifest for the migration folder DIR of another "
		"tool, on stdout\nor to a new file (-o). The SQL files are "
		"referenced where they are,\nunchanged; the manifest's folder "
		"must contain DIR. What cannot be\ncarried over (Go, Java, "
		"PHP steps, repeatables, templating) is listed,\neach with "
		"its file. docs/import.md describes each tool.\n\nExit codes: "
		"0 complete, 1 failed, 2 usage, 3 incomplete (written, but "
		"something\nwas not carried over).",
	.opts = import_opts,
	.flags = CLI_LIBRARY_USAGE,
	.positional = 1,
	.prepare = import_prepare,
	.run = import_run,
};
