/*
 * scaffold.c — `new NAME`: the next migration's SQL file and its manifest
 * entry. The manifest is edited as text at the place libyaml's marks give,
 * so its comments and layout stay as the DBA wrote them.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "internal.h"
#include "ldrx.h"

/* Where the `migrations` sequence lies in the manifest's text. */
struct seq_place {
	int found;
	int flow;	/* [ ... ] rather than a block of "- " items */
	int flow_items; /* entries are {...} flow mappings */
	size_t start;	/* block: offset of the first "-"; flow: of "[" */
	size_t end;	/* flow: offset of "]"; block: of the end of the
			 * last item's last token */
	size_t column;	/* block: column of the "-" */
	size_t count;
};

/* Finds the `migrations` value of the top-level mapping. Returns 0, or -1
 * when the YAML cannot be read (the manifest's own load has said why). */
static int find_sequence(const char *text, size_t len, struct seq_place *out)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	memset(out, 0, sizeof(*out));
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	/* depth 1 = inside the top mapping; `key` says the last scalar at
	 * depth 1 was a key named migrations. */
	int depth = 0, expect_key = 0, in_seq = 0, rc = 0, done = 0;
	int is_migrations_value = 0;
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = -1;
			break;
		}
		/* A block sequence stops where its last token does. Block end
		 * events are empty and placed at whatever follows, so only
		 * events with text (scalars, a flow "}" or "]") count. */
		if (in_seq && depth >= in_seq && !out->flow &&
		    ev.end_mark.index > ev.start_mark.index)
			out->end = ev.end_mark.index;
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 1 && is_migrations_value &&
			    ev.type == YAML_SEQUENCE_START_EVENT) {
				out->found = 1;
				out->flow = ev.data.sequence_start.style ==
					    YAML_FLOW_SEQUENCE_STYLE;
				out->start = ev.start_mark.index;
				out->column = ev.start_mark.column;
				in_seq = depth + 1;
			} else if (in_seq && depth == in_seq &&
				   ev.type == YAML_MAPPING_START_EVENT) {
				out->count++;
				out->flow_items = ev.data.mapping_start.style ==
						  YAML_FLOW_MAPPING_STYLE;
			}
			if (depth == 1)
				expect_key = 0;
			is_migrations_value = 0;
			depth++;
			if (depth == 1)
				expect_key = 1;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			if (in_seq && depth + 1 == in_seq &&
			    ev.type == YAML_SEQUENCE_END_EVENT) {
				if (out->flow)
					out->end = ev.start_mark.index;
				in_seq = 0;
			}
			if (depth == 1)
				expect_key = 1;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 1 && expect_key) {
				is_migrations_value =
					!strcmp((char *)ev.data.scalar.value,
						"migrations");
				expect_key = 0;
			} else if (depth == 1) {
				is_migrations_value = 0;
				expect_key = 1;
			}
			break;
		case YAML_STREAM_END_EVENT: done = 1; break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* YAML would read these plain words as a bool or null, which the manifest
 * refuses for a name: such a name is written quoted. */
static const char *quote_for(const char *name)
{
	static const char *const words[] = {"true", "false", "null", "yes",
					    "no",   "on",    "off"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(name, words[i]))
			return "\"";
	return "";
}

/* `file` as a YAML scalar: bare when it is plain path characters, else
 * double-quoted with '"' and '\\' escaped (caller frees). */
static char *yaml_path(const char *file)
{
	int plain = *file != '\0';
	for (const char *c = file; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("_./-", *c)))
			plain = 0;
	if (plain)
		return ldr_strdup(file);
	ldr_buf b = LDR_BUF_INIT;
	ldr_buf_addc(&b, '"');
	for (const char *c = file; *c; c++) {
		if (*c == '"' || *c == '\\')
			ldr_buf_addc(&b, '\\');
		ldr_buf_addc(&b, *c);
	}
	ldr_buf_addc(&b, '"');
	return ldr_buf_detach(&b);
}

/* The keys an entry gets besides id, name and file, as `, k: v` pairs
 * (flow) or `k: v` lines indented by `pad` (block). */
static void add_extras(ldr_buf *b, const ladder_new_options *o,
		       const char *down, const char *pad)
{
	const char *sep = pad ? "" : ", ", *end = pad ? "\n" : "";
	if (down)
		ldr_buf_addf(b, "%s%sdown: %s%s", sep, pad ? pad : "", down,
			     end);
	if (o->no_transaction)
		ldr_buf_addf(b, "%s%stransaction: false%s", sep, pad ? pad : "",
			     end);
	if (o->foreign_keys_off)
		ldr_buf_addf(b, "%s%sforeign_keys: off%s", sep, pad ? pad : "",
			     end);
}

/* The manifest text with the entry added (caller frees), or NULL. An
 * empty flow sequence (`migrations: []`) becomes a block one. */
static char *with_entry(const char *text, size_t len,
			const struct seq_place *at, int64_t id,
			const char *name, const char *file, const char *down,
			const ladder_new_options *o)
{
	ldr_buf b = LDR_BUF_INIT;
	if (at->flow && !at->count) {
		ldr_buf_add(&b, text, at->start);
		while (b.len && b.data[b.len - 1] == ' ')
			b.len--;
		ldr_buf_addf(&b,
			     "\n  - id: %" PRId64 "\n    name: %s%s%s\n    "
			     "file: %s",
			     id, quote_for(name), name, quote_for(name), file);
		/* The extra keys' lines, each after a newline: the rest of
		 * the `migrations: []` line follows the last one. */
		ldr_buf extras = LDR_BUF_INIT;
		add_extras(&extras, o, down, "    ");
		for (size_t i = 0; i < extras.len; i++)
			if (extras.data[i] == '\n')
				continue;
			else if (!i || extras.data[i - 1] == '\n')
				ldr_buf_addf(&b, "\n%c", extras.data[i]);
			else
				ldr_buf_addc(&b, extras.data[i]);
		ldr_buf_release(&extras);
		ldr_buf_add(&b, text + at->end + 1, len - at->end - 1);
		return ldr_buf_detach(&b);
	}
	if (at->flow) {
		/* Before the "]", after any entries there. */
		size_t cut = at->end;
		ldr_buf_add(&b, text, cut);
		ldr_buf_addf(&b, "%s{id: %" PRId64 ", name: %s%s%s, file: %s",
			     at->count ? ", " : "", id, quote_for(name), name,
			     quote_for(name), file);
		add_extras(&b, o, down, NULL);
		ldr_buf_addc(&b, '}');
		ldr_buf_add(&b, text + cut, len - cut);
		return ldr_buf_detach(&b);
	}
	/* A block: on the line after the last item's last token (a comment
	 * on that line stays with it). */
	size_t cut = at->end;
	while (cut < len && text[cut] != '\n')
		cut++;
	if (cut < len)
		cut++;
	ldr_buf_add(&b, text, cut);
	if (b.len && b.data[b.len - 1] != '\n')
		ldr_buf_addc(&b, '\n');
	char pad[64];
	size_t col = at->column < sizeof(pad) - 1 ? at->column : 0;
	memset(pad, ' ', col);
	pad[col] = '\0';
	if (at->flow_items) {
		ldr_buf_addf(&b, "%s- {id: %" PRId64 ", name: %s%s%s, file: %s",
			     pad, id, quote_for(name), name, quote_for(name),
			     file);
		add_extras(&b, o, down, NULL);
		ldr_buf_add(&b, "}\n", 2);
	} else {
		ldr_buf_addf(&b,
			     "%s- id: %" PRId64 "\n%s  name: %s%s%s\n%s  file: "
			     "%s\n",
			     pad, id, pad, quote_for(name), name,
			     quote_for(name), pad, file);
		char inner[70];
		snprintf(inner, sizeof(inner), "%s  ", pad);
		add_extras(&b, o, down, inner);
	}
	ldr_buf_add(&b, text + cut, len - cut);
	return ldr_buf_detach(&b);
}

static int valid_name(const char *name)
{
	if (!*name || strlen(name) > 100)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

/* Codes that mean the manifest's structure cannot be trusted to edit;
 * problems with the files it lists (an empty one from an earlier `new`)
 * do not stop `new`. */
static int structural(const char *code)
{
	static const char *const files[] = {"file",
					    "path",
					    "sql-empty",
					    "sql-incomplete",
					    "sql-binary",
					    "tx-control",
					    "needs-no-transaction",
					    "pragma-foreign-keys"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (code && !strcmp(code, files[i]))
			return 0;
	return 1;
}

/* Writes `text` to `path` and fsyncs it. `exclusive`: never over an
 * existing file, mode 0644 less the umask; else replacing one, with exactly
 * `mode`. */
static int write_file(const char *path, const char *text, int exclusive,
		      mode_t mode, ladder_diags *diags)
{
	assert(path && text);
	int fd = open(path,
		      O_WRONLY | O_CREAT | O_CLOEXEC |
			      (exclusive ? O_EXCL : O_TRUNC),
		      exclusive ? 0644 : mode);
	size_t len = strlen(text);
	int ok = fd >= 0 && (exclusive || !fchmod(fd, mode)) &&
		 write(fd, text, len) == (ssize_t)len && !fsync(fd);
	int err = errno;
	if (fd >= 0 && close(fd) && ok) {
		ok = 0;
		err = errno;
	}
	if (!ok) {
		ldr_error(diags, "file", path, 0, 0, "cannot write '%s': %s",
			  path, strerror(err));
		return LADDER_EIO;
	}
	return 0;
}

/* Makes a directory's entries durable: the name a file was created or
 * renamed under survives a crash only once its directory is synced. */
static int sync_dir(const char *dir, ladder_diags *diags)
{
	assert(dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ok = fd >= 0 && !fsync(fd);
	int err = errno;
	if (fd >= 0)
		close(fd);
	if (!ok) {
		ldr_error(diags, "file", dir, 0, 0, "cannot sync '%s': %s", dir,
			  strerror(err));
		return LADDER_EIO;
	}
	return 0;
}

/* Writes a new SQL file's comment header at `path`, never over a file. */
static int write_header(const char *path, const char *file, int64_t id,
			const char *name, int down, ladder_diags *diags)
{
	ldr_buf hb = LDR_BUF_INIT;
	if (down)
		ldr_buf_addf(&hb,
			     "-- %s: reverts migration %" PRId64 " '%s'\n"
			     "-- Write the SQL that undoes it below; 'ladder "
			     "down' runs it in one\n-- transaction together "
			     "with the removal of its bookkeeping row.\n",
			     file, id, name);
	else
		ldr_buf_addf(&hb,
			     "-- %s: migration %" PRId64 " '%s'\n"
			     "-- Write this step's SQL below. ladder runs the "
			     "file in one transaction\n-- together with its "
			     "bookkeeping row; 'ladder validate' flags the "
			     "file\n-- until it holds a statement.\n",
			     file, id, name);
	int rc = hb.data ? write_file(path, hb.data, 1, 0644, diags)
			 : LADDER_ENOMEM;
	ldr_buf_release(&hb);
	return rc;
}

int ladder_new(char **path_out, int64_t *id_out, const char *manifest_path,
	       const char *name, ladder_diags *diags)
{
	return ladder_new_with(path_out, id_out, manifest_path, name, NULL,
			       diags);
}

int ladder_new_with(char **path_out, int64_t *id_out, const char *manifest_path,
		    const char *name, const ladder_new_options *opts,
		    ladder_diags *diags)
{
	static const ladder_new_options defaults = LADDER_NEW_OPTIONS_INIT;
	if (path_out)
		*path_out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != LADDER_NEW_OPTIONS_VERSION || opts->min_id < 0) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "ladder_new_options: version %u or min_id %" PRId64
			  " is not valid",
			  opts->version, opts->min_id);
		return LADDER_EUSAGE;
	}
	if (!valid_name(name)) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "a migration name is 1 to 100 letters, digits, '_' "
			  "or '-', not '%s'",
			  name);
		return LADDER_EUSAGE;
	}
	ladder_diags *load_diags = NULL;
	ladder_manifest *m = NULL;
	char *text = NULL, *edited = NULL, *dir = NULL, *sqlpath = NULL,
	     *tmp = NULL, *file = NULL, *quoted = NULL, *target = NULL,
	     *target_dir = NULL, *down = NULL, *downpath = NULL,
	     *down_quoted = NULL;
	size_t text_len = 0;
	int sum_created = 0;
	int rc = ladder_diags_new(&load_diags);
	if (rc)
		return rc;
	rc = ladder_manifest_load(&m, manifest_path, load_diags);
	for (size_t i = 0; rc && i < ladder_diags_count(load_diags); i++) {
		const ladder_diag *d = ladder_diags_get(load_diags, i);
		/* No manifest at all: every problem matters. */
		if (d->severity == LADDER_SEV_ERROR &&
		    (!m || structural(d->code))) {
			ldr_diag(diags, d->severity, d->code, d->file, d->line,
				 d->column, "%s", d->message);
			rc = LADDER_EINVALID;
		}
	}
	if (!m || (rc && rc != LADDER_EINVALID) || ladder_diags_errors(diags)) {
		rc = rc ? rc : LADDER_EINVALID;
		goto out;
	}
	rc = 0;

	/* The next id, and the folder the previous entries use. */
	size_t n = ladder_manifest_count(m);
	const ladder_migration *last = n ? ladder_manifest_get(m, n - 1) : NULL;
	int64_t id = last ? last->id + 1 : 1;
	if (opts->min_id > id)
		id = opts->min_id;
	if (last && last->id == INT64_MAX) {
		ldr_error(diags, "id", manifest_path, last->line, 0,
			  "no id is left after %" PRId64, last->id);
		rc = LADDER_EINVALID;
		goto out;
	}
	char *folder = last ? ldr_path_dirname(last->file) : ldr_strdup("sql");
	ldr_buf fb = LDR_BUF_INIT;
	if (folder && strcmp(folder, "."))
		ldr_buf_addf(&fb, "%s/", folder);
	ldr_buf db = LDR_BUF_INIT;
	if (fb.len)
		ldr_buf_add(&db, fb.data, fb.len);
	ldr_buf_addf(&fb, "%04" PRId64 "_%s.sql", id, name);
	ldr_buf_addf(&db, "%04" PRId64 "_%s.down.sql", id, name);
	free(folder);
	file = ldr_buf_detach(&fb);
	down = ldr_buf_detach(&db);
	dir = ldr_path_dirname(manifest_path);
	sqlpath = ldr_path_join(dir, file);
	downpath = ldr_path_join(dir, down);
	if (!file || !down || !dir || !sqlpath || !downpath) {
		rc = LADDER_ENOMEM;
		goto out;
	}

	/* The file the manifest is: a symlink's target is replaced in its own
	 * directory, so the link stays a link, and the mode stays its own. */
	struct stat st;
	if (!(target = realpath(manifest_path, NULL)) || stat(target, &st)) {
		int e = errno;
		ldr_error(diags, "file", manifest_path, 0, 0,
			  "cannot read '%s': %s", manifest_path, strerror(e));
		rc = e == ENOMEM ? LADDER_ENOMEM : LADDER_EIO;
		goto out;
	}
	if (!(target_dir = ldr_path_dirname(target))) {
		rc = LADDER_ENOMEM;
		goto out;
	}

	/* The manifest's text, edited at the sequence's place. */
	int err = ldrx_read_file(target, &text, &text_len);
	if (err) {
		ldr_error(diags, "file", manifest_path, 0, 0,
			  "cannot read '%s': %s", manifest_path, strerror(err));
		rc = err == ENOMEM ? LADDER_ENOMEM : LADDER_EIO;
		goto out;
	}
	struct seq_place at;
	if (find_sequence(text, text_len, &at) || !at.found ||
	    !(quoted = yaml_path(file)) || !(down_quoted = yaml_path(down)) ||
	    !(edited = with_entry(text, text_len, &at, id, name, quoted,
				  opts->down ? down_quoted : NULL, opts))) {
		ldr_error(diags, "yaml", manifest_path, 0, 0,
			  "cannot find where to add the entry in '%s'",
			  manifest_path);
		rc = LADDER_EINVALID;
		goto out;
	}

	/* The SQL file first, never over an existing one; then the manifest,
	 * replaced whole by a rename. */
	char *sqldir = ldr_path_dirname(sqlpath);
	/* Every missing folder on the way, as mkdir -p. */
	for (char *p = sqldir ? sqldir + 1 : NULL; p && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(sqldir, 0755);
		*p = '/';
	}
	if (sqldir && mkdir(sqldir, 0755) && errno != EEXIST)
		ldr_error(diags, "file", sqldir, 0, 0, "cannot create '%s': %s",
			  sqldir, strerror(errno));
	if (!sqldir || (rc = write_header(sqlpath, file, id, name, 0, diags))) {
		free(sqldir);
		rc = rc ? rc : LADDER_ENOMEM;
		goto out;
	}
	if (opts->down &&
	    (rc = write_header(downpath, down, id, name, 1, diags))) {
		unlink(sqlpath);
		free(sqldir);
		goto out;
	}
	rc = sync_dir(sqldir, diags);
	free(sqldir);
	/* Every entry before the new one is sealed in the sum file once the
	 * SQL files are written, before the manifest names the new one: a
	 * failure anywhere leaves no file behind. */
	if (rc || (rc = ldr_sum_seal(m, id, &sum_created, diags))) {
		unlink(sqlpath);
		if (opts->down)
			unlink(downpath);
		goto out;
	}
	/* Written and synced beside the target, then renamed over it, then
	 * the rename made durable. */
	ldr_buf pb = LDR_BUF_INIT;
	ldr_buf_addf(&pb, "%s.ladder-new", target);
	tmp = ldr_buf_detach(&pb);
	if (!tmp ||
	    (rc = write_file(tmp, edited, 0, st.st_mode & 07777, diags)) ||
	    rename(tmp, target)) {
		if (!rc)
			ldr_error(diags, "file", manifest_path, 0, 0,
				  "cannot replace '%s': %s", manifest_path,
				  strerror(errno));
		rc = LADDER_EIO;
		unlink(sqlpath);
		if (opts->down)
			unlink(downpath);
		if (tmp)
			unlink(tmp);
		if (sum_created)
			ldr_sum_remove(m);
		goto out;
	}
	if ((rc = sync_dir(target_dir, diags)))
		goto out;
	if (id_out)
		*id_out = id;
	if (path_out) {
		*path_out = sqlpath;
		sqlpath = NULL;
	}
out:
	ladder_manifest_free(m);
	ladder_diags_free(load_diags);
	free(text);
	free(edited);
	free(dir);
	free(sqlpath);
	free(tmp);
	free(file);
	free(quoted);
	free(target);
	free(target_dir);
	free(down);
	free(downpath);
	free(down_quoted);
	return rc;
}
