/*
 * import.c — `ladder import`: another tool's migration folder turned into
 * manifest text. The SQL files are referenced where they are and never
 * rewritten; for the tools that keep up and down in one file (goose,
 * dbmate) the sections are written to ladder-owned copies in a folder the
 * caller names, the original left untouched. docs/import.md is the
 * reference for each tool.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialect.h"
#include "import.h"
#include "ldrx.h"

/* One migration found in the folder. Paths are the file's name inside the
 * folder (`up`, `down`, `single`), joined later. */
struct entry {
	char *key;	/* the tool's version, as its file names write it */
	int64_t id;	/* `key` as a ladder id, 0 when it does not fit */
	char *name;	/* the file (or folder) name without extension */
	char *up;	/* NULL for a single up/down file (`single`) */
	char *down;	/* NULL when there is none */
	char *single;	/* goose, dbmate: one file holding both */
	int no_tx;	/* the tool's no-transaction marker */
	int fk_off;	/* the file sets PRAGMA foreign_keys itself */
	unsigned order; /* drizzle: journal position */
};

struct imp {
	const ladder_import_options *o;
	const struct ldr_dialect *dialect; /* the files are read by its rules */
	ladder_diags *diags;
	struct entry *e;
	size_t n, cap;
	size_t unsupported;
	char *rel;	 /* the folder relative to the manifest's directory */
	char *split_rel; /* the split folder, the same way */
	int failed;
};

static void entries_free(struct imp *im)
{
	for (size_t i = 0; i < im->n; i++) {
		free(im->e[i].key);
		free(im->e[i].name);
		free(im->e[i].up);
		free(im->e[i].down);
		free(im->e[i].single);
	}
	free(im->e);
}

static struct entry *add_entry(struct imp *im, const char *key, size_t keylen,
			       const char *name, size_t namelen)
{
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 32;
		struct entry *p = realloc(im->e, cap * sizeof(*p));
		if (!p)
			return NULL;
		im->e = p;
		im->cap = cap;
	}
	struct entry *e = &im->e[im->n];
	memset(e, 0, sizeof(*e));
	e->key = ldr_strndup(key, keylen);
	e->name = ldr_strndup(name, namelen);
	if (!e->key || !e->name) {
		free(e->key);
		free(e->name);
		return NULL;
	}
	e->id = ldr_import_parse_id(e->key);
	im->n++;
	return e;
}

int64_t ldr_import_parse_id(const char *s)
{
	if (!*s)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

static char *folder_path(const struct imp *im, const char *name)
{
	return ldr_path_join(im->o->dir, name);
}

static void unsupported(struct imp *im, const char *name, const char *why)
{
	char *p = folder_path(im, name);
	ldr_diag(im->diags, LADDER_SEV_WARNING, "import-unsupported",
		 p ? p : name, 0, 0, "not carried over: %s", why);
	free(p);
	im->unsupported++;
}

static int fail(struct imp *im, const char *name, const char *code,
		const char *why)
{
	char *p = name ? folder_path(im, name) : NULL;
	ldr_error(im->diags, code, p ? p : im->o->dir, 0, 0, "%s", why);
	free(p);
	im->failed = 1;
	return LADDER_EINVALID;
}

/* The folder's entries, sorted by name; hidden ones left out. */
static int list_dir(struct imp *im, const char *dir, struct dirent ***out,
		    int *n)
{
	*out = NULL;
	*n = scandir(dir, out, NULL, alphasort);
	if (*n < 0) {
		ldr_error(im->diags, "import", dir, 0, 0,
			  "cannot read folder '%s': %s", dir, strerror(errno));
		*n = 0;
		return LADDER_EIO;
	}
	return 0;
}

static void free_list(struct dirent **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int is_dir(const char *dir, const char *name)
{
	char *p = ldr_path_join(dir, name);
	struct stat st;
	int r = p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return r;
}

static int exists(const char *dir, const char *name)
{
	char *p = ldr_path_join(dir, name);
	struct stat st;
	int r = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return r;
}

static int read_in(struct imp *im, const char *name, char **text, size_t *len)
{
	char *p = folder_path(im, name);
	if (!p)
		return LADDER_ENOMEM;
	int err = ldrx_read_file(p, text, len);
	if (err)
		ldr_error(im->diags, "import", p, 0, 0, "cannot read '%s': %s",
			  p, strerror(err));
	free(p);
	return err ? LADDER_EIO : 0;
}

/* What the statements of `text` ask for: their own transaction control or
 * a statement the engine refuses in a transaction (`*no_tx`), or SQLite's
 * PRAGMA foreign_keys (`*fk`). `*stmts` counts the statements. */
static int sql_flags(const struct ldr_dialect *dl, const char *text, size_t len,
		     const char *display, int *no_tx, int *fk, size_t *stmts,
		     ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_mem(&r, dl, text, len, display, diags);
	const char *sql;
	size_t n;
	unsigned line, col;
	*stmts = 0;
	while (!rc && (rc = ldr_sqlreader_next(r, &sql, &n, &line, &col)) > 0) {
		rc = 0;
		++*stmts;
		const char *what = NULL;
		switch (dl->classify(sql, n, &what)) {
		case LDR_STMT_TX_CONTROL:
		case LDR_STMT_NO_TX: *no_tx = 1; break;
		case LDR_STMT_NOOP_IN_TX: *fk = 1; break;
		default: break;
		}
	}
	ldr_sqlreader_free(r);
	return rc < 0 ? LADDER_EINVALID : 0;
}

static int file_flags(struct imp *im, struct entry *e, const char *name)
{
	char *text = NULL;
	size_t len = 0, stmts = 0;
	int rc = read_in(im, name, &text, &len);
	char *p = folder_path(im, name);
	if (!rc && p)
		rc = sql_flags(im->dialect, text, len, p, &e->no_tx, &e->fk_off,
			       &stmts, im->diags);
	if (!rc && strstr(text, "${"))
		unsupported(im, name,
			    "'${' placeholders (templating) are not "
			    "expanded by ladder; the entry is kept as "
			    "written");
	free(p);
	free(text);
	return rc;
}

/* ------------------------------------------------------------- diesel -- */

static int scan_diesel(struct imp *im)
{
	struct dirent **list;
	int n, rc = list_dir(im, im->o->dir, &list, &n);
	for (int i = 0; !rc && i < n; i++) {
		const char *d = list[i]->d_name;
		if (d[0] == '.')
			continue;
		if (!is_dir(im->o->dir, d)) {
			unsupported(im, d, "not a diesel migration folder");
			continue;
		}
		char *sub = folder_path(im, d);
		const char *us = strchr(d, '_');
		size_t klen = us ? (size_t)(us - d) : strlen(d);
		char key[64];
		size_t k = 0;
		for (size_t j = 0; j < klen && k + 1 < sizeof(key); j++)
			if (d[j] != '-')
				key[k++] = d[j];
		key[k] = 0;
		if (!sub) {
			rc = LADDER_ENOMEM;
		} else if (!exists(sub, "up.sql")) {
			unsupported(im, d,
				    exists(sub, "up.rs") ||
						    exists(sub, "mod.rs")
					    ? "a Rust migration"
					    : "no up.sql in the folder");
		} else {
			struct entry *e =
				add_entry(im, key, strlen(key), d, strlen(d));
			if (!e) {
				rc = LADDER_ENOMEM;
			} else {
				e->up = ldr_path_join(d, "up.sql");
				if (exists(sub, "down.sql"))
					e->down = ldr_path_join(d, "down.sql");
				char *meta =
					ldr_path_join(sub, "metadata.toml");
				char *t = NULL;
				size_t tl;
				if (meta && !ldrx_read_file(meta, &t, &tl) &&
				    strstr(t, "run_in_transaction") &&
				    strstr(t, "false"))
					e->no_tx = 1;
				free(t);
				free(meta);
				rc = file_flags(im, e, e->up);
			}
		}
		free(sub);
	}
	free_list(list, n);
	return rc;
}

/* ------------------------------------------- sqlx, golang-migrate, ... -- */

/* Files `<version>_<name><suffix>`; the version digits only. */
static int split_name(const char *d, const char *suffix, size_t *vlen,
		      size_t *stem)
{
	if (!ends_with(d, suffix))
		return 0;
	*vlen = digits(d);
	*stem = strlen(d) - strlen(suffix);
	return *vlen > 0 && *vlen <= *stem &&
	       (d[*vlen] == '_' || *vlen == *stem);
}

static struct entry *find_key(struct imp *im, const char *key, size_t klen)
{
	for (size_t i = 0; i < im->n; i++)
		if (strlen(im->e[i].key) == klen &&
		    !strncmp(im->e[i].key, key, klen))
			return &im->e[i];
	return NULL;
}

static int scan_updown(struct imp *im, int sqlx)
{
	struct dirent **list;
	int n, rc = list_dir(im, im->o->dir, &list, &n);
	/* Ups first, then downs matched to them. */
	for (int pass = 0; !rc && pass < 2; pass++) {
		for (int i = 0; !rc && i < n; i++) {
			const char *d = list[i]->d_name;
			size_t v, stem;
			if (d[0] == '.')
				continue;
			int up = split_name(d, ".up.sql", &v, &stem);
			int down = !up && split_name(d, ".down.sql", &v, &stem);
			int plain = sqlx && !up && !down &&
				    split_name(d, ".sql", &v, &stem);
			if (pass == 0 && !up && !down && !plain) {
				unsupported(im, d,
					    ends_with(d, ".go")
						    ? "a Go migration"
						    : "not a migration file");
				continue;
			}
			if (pass == 0 ? !(up || plain) : !down)
				continue;
			if (down) {
				struct entry *e = find_key(im, d, v);
				if (!e) {
					unsupported(im, d,
						    "a down file with no up "
						    "file");
					continue;
				}
				e->down = ldr_strdup(d);
				continue;
			}
			struct entry *e = add_entry(im, d, v, d, stem);
			if (!e || !(e->up = ldr_strdup(d))) {
				rc = LADDER_ENOMEM;
				break;
			}
			rc = file_flags(im, e, d);
			if (!rc && sqlx) {
				char *t = NULL;
				size_t tl;
				if (!read_in(im, d, &t, &tl) &&
				    !strncmp(t, "-- no-transaction", 17))
					e->no_tx = 1;
				free(t);
			}
		}
	}
	free_list(list, n);
	return rc;
}

/* ------------------------------------------------------- goose, dbmate -- */

/* A line's text after leading blanks. */
static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Where the up and down sections of a goose or dbmate file are, as byte
 * ranges; *up_end is where the down marker's line starts. */
struct sections {
	size_t up_begin, up_end, down_begin, down_end;
	int have_up, have_down, no_tx, templating;
};

static int prefix_ci(const char *p, const char *word)
{
	return !strncasecmp(p, word, strlen(word));
}

static void find_sections(const char *t, size_t len, int goose,
			  struct sections *s)
{
	memset(s, 0, sizeof(*s));
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);
		size_t next = nl ? (size_t)(nl - t) + 1 : len;
		const char *p = skip_blank(t + pos);
		if (goose && prefix_ci(p, "-- +goose")) {
			p = skip_blank(p + 9);
			if (prefix_ci(p, "up")) {
				s->have_up = 1;
				s->up_begin = next;
			} else if (prefix_ci(p, "down")) {
				s->have_down = 1;
				s->up_end = pos;
				s->down_begin = next;
			} else if (prefix_ci(p, "no transaction")) {
				s->no_tx = 1;
			} else if (prefix_ci(p, "envsub")) {
				s->templating = 1;
			}
		} else if (!goose && prefix_ci(p, "-- migrate:up")) {
			s->have_up = 1;
			s->up_begin = next;
			const char *e = nl ? nl : t + len;
			for (const char *q = p; q + 17 <= e; q++)
				if (prefix_ci(q, "transaction:false"))
					s->no_tx = 1;
		} else if (!goose && prefix_ci(p, "-- migrate:down")) {
			s->have_down = 1;
			s->up_end = pos;
			s->down_begin = next;
		}
		pos = next;
	}
	if (!s->have_down)
		s->up_end = len;
	s->down_end = len;
	if (s->have_down && s->down_begin < s->up_begin) {
		/* Down written before up: the up section runs to the end. */
		s->down_end = s->up_begin;
		s->up_end = len;
	}
}

/* Writes `data` to `path` unless a file is there; one with the same bytes
 * is accepted, so a second import gives the same result. */
static int write_new(struct imp *im, const char *path, const ldr_buf *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == EEXIST) {
		char *old = NULL;
		size_t len = 0;
		int same = !ldrx_read_file(path, &old, &len) &&
			   len == data->len && !memcmp(old, data->data, len);
		free(old);
		if (same)
			return 0;
		ldr_error(im->diags, "import-exists", path, 0, 0,
			  "'%s' exists and differs; not overwritten", path);
		return LADDER_EIO;
	}
	if (fd < 0) {
		ldr_error(im->diags, "import", path, 0, 0,
			  "cannot create '%s': %s", path, strerror(errno));
		return LADDER_EIO;
	}
	size_t off = 0;
	while (off < data->len) {
		ssize_t w = write(fd, data->data + off, data->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int err = off < data->len ? errno : 0;
	if (close(fd) && !err)
		err = errno;
	if (err || off < data->len) {
		ldr_error(im->diags, "import", path, 0, 0,
			  "cannot write '%s': %s", path,
			  strerror(err ? err : EIO));
		unlink(path);
		return LADDER_EIO;
	}
	return 0;
}

static int write_section(struct imp *im, struct entry *e, const char *text,
			 size_t begin, size_t end, const char *which,
			 char **out)
{
	const char *tool = im->o->tool;
	ldr_buf b = LDR_BUF_INIT, name = LDR_BUF_INIT;
	ldr_buf_addf(&b,
		     "-- the %s section of '%s', split out by `ladder import "
		     "--from %s`;\n-- the original is unchanged and no longer "
		     "read by ladder\n",
		     which, e->single, tool);
	ldr_buf_add(&b, text + begin, end - begin);
	ldr_buf_addf(&name, "%s.%s.sql", e->name,
		     !strcasecmp(which, "up") || !strcmp(which, "migrate:up")
			     ? "up"
			     : "down");
	char *path = ldr_path_join(im->o->split_dir, name.data);
	int rc = path && b.data ? write_new(im, path, &b) : LADDER_ENOMEM;
	if (!rc)
		*out = ldr_buf_detach(&name);
	free(path);
	ldr_buf_release(&b);
	ldr_buf_release(&name);
	return rc;
}

static int scan_sections(struct imp *im, int goose)
{
	struct dirent **list;
	int n, rc = list_dir(im, im->o->dir, &list, &n);
	for (int i = 0; !rc && i < n; i++) {
		const char *d = list[i]->d_name;
		size_t v, stem;
		if (d[0] == '.')
			continue;
		if (!split_name(d, ".sql", &v, &stem)) {
			unsupported(im, d,
				    ends_with(d, ".go")
					    ? "a Go migration"
					    : "not a migration file");
			continue;
		}
		struct entry *e = add_entry(im, d, v, d, stem);
		if (!e || !(e->single = ldr_strdup(d))) {
			rc = LADDER_ENOMEM;
			break;
		}
		char *text = NULL;
		size_t len = 0, stmts = 0;
		if ((rc = read_in(im, d, &text, &len)))
			break;
		struct sections s;
		find_sections(text, len, goose, &s);
		e->no_tx = s.no_tx;
		if (s.templating)
			unsupported(im, d,
				    "goose ENVSUB templating is not expanded "
				    "by ladder; the entry is kept as written");
		if (!s.have_up) {
			free(text);
			rc = fail(im, d, "import-no-up",
				  goose ? "no '-- +goose Up' annotation"
					: "no '-- migrate:up' marker");
			break;
		}
		if (im->o->split_dir) {
			int dn = 0, dfk = 0;
			rc = sql_flags(im->dialect, text + s.up_begin,
				       s.up_end - s.up_begin, d, &e->no_tx,
				       &e->fk_off, &stmts, im->diags);
			if (!rc)
				rc = write_section(im, e, text, s.up_begin,
						   s.up_end,
						   goose ? "Up" : "up", &e->up);
			if (!rc && s.have_down)
				rc = sql_flags(im->dialect, text + s.down_begin,
					       s.down_end - s.down_begin, d,
					       &dn, &dfk, &stmts, im->diags);
			if (!rc && s.have_down && stmts)
				rc = write_section(
					im, e, text, s.down_begin, s.down_end,
					goose ? "Down" : "down", &e->down);
		}
		free(text);
	}
	free_list(list, n);
	if (!rc && !im->o->split_dir && im->n) {
		ldr_error(im->diags, "import-needs-split", im->o->dir, 0, 0,
			  "%s keeps up and down in one file; ladder runs "
			  "whole files: pass a folder for the split copies "
			  "(`--split DIR`), the originals stay untouched",
			  im->o->tool);
		im->failed = 1;
		rc = LADDER_EINVALID;
	}
	return rc;
}

/* --------------------------------------------------------- drizzle-kit -- */

/* The journal's entries in order: each `"tag": "..."` value. A reader for
 * the one shape drizzle-kit writes, not for JSON at large. */
static int scan_drizzle(struct imp *im)
{
	char *text = NULL;
	size_t len = 0;
	char *jpath = ldr_path_join("meta", "_journal.json");
	int rc = jpath ? read_in(im, jpath, &text, &len) : LADDER_ENOMEM;
	free(jpath);
	if (rc)
		return rc;
	const char *p = text;
	unsigned order = 0;
	while (!rc && (p = strstr(p, "\"tag\""))) {
		p += 5;
		p = skip_blank(p);
		if (*p++ != ':')
			continue;
		p = skip_blank(p);
		if (*p++ != '"')
			continue;
		const char *end = strchr(p, '"');
		if (!end)
			break;
		size_t tl = (size_t)(end - p);
		ldr_buf file = LDR_BUF_INIT;
		ldr_buf_add(&file, p, tl);
		ldr_buf_addf(&file, ".sql");
		if (!file.data) {
			rc = LADDER_ENOMEM;
			break;
		}
		if (!exists(im->o->dir, file.data)) {
			rc = fail(im, file.data, "import-missing",
				  "the journal lists this file; it is not "
				  "there");
		} else {
			struct entry *e = add_entry(im, "", 0, p, tl);
			if (!e) {
				rc = LADDER_ENOMEM;
			} else {
				e->order = order++;
				e->up = ldr_buf_detach(&file);
				rc = file_flags(im, e, e->up);
			}
		}
		ldr_buf_release(&file);
		p = end + 1;
	}
	free(text);
	/* SQL files the journal does not list: drizzle never runs them. */
	struct dirent **list;
	int n;
	if (!rc && !list_dir(im, im->o->dir, &list, &n)) {
		for (int i = 0; i < n; i++) {
			const char *d = list[i]->d_name;
			int listed = 0;
			for (size_t j = 0; j < im->n && !listed; j++)
				listed = !strcmp(im->e[j].up, d);
			if (ends_with(d, ".sql") && !listed)
				ldr_diag(im->diags, LADDER_SEV_WARNING,
					 "import-not-in-journal", d, 0, 0,
					 "'%s' is not in meta/_journal.json; "
					 "drizzle does not run it, neither "
					 "will ladder",
					 d);
		}
		free_list(list, n);
	}
	return rc;
}

/* ------------------------------------------------------------- flyway -- */

static int scan_flyway(struct imp *im)
{
	struct dirent **list;
	int n, rc = list_dir(im, im->o->dir, &list, &n);
	for (int pass = 0; !rc && pass < 2; pass++) {
		for (int i = 0; !rc && i < n; i++) {
			const char *d = list[i]->d_name;
			const char *sep = strstr(d, "__");
			if (d[0] == '.')
				continue;
			int sql = ends_with(d, ".sql");
			if (pass == 0 && sql && d[0] == 'R' && sep == d + 1) {
				unsupported(im, d,
					    "a Flyway repeatable migration");
				continue;
			}
			if (pass == 0 &&
			    (!sql || !sep || (d[0] != 'V' && d[0] != 'U'))) {
				unsupported(im, d,
					    ends_with(d, ".java")
						    ? "a Java migration"
						    : "not a Flyway migration "
						      "file");
				continue;
			}
			if (!sql || !sep || d[0] != (pass == 0 ? 'V' : 'U'))
				continue;
			/* The version, with Flyway's `_` written as `.`. */
			char key[128];
			size_t k = 0;
			for (const char *q = d + 1;
			     q < sep && k + 1 < sizeof(key); q++)
				key[k++] = *q == '_' ? '.' : *q;
			key[k] = 0;
			if (d[0] == 'U') {
				struct entry *e = find_key(im, key, k);
				if (!e)
					unsupported(im, d,
						    "an undo file with no "
						    "versioned migration");
				else
					e->down = ldr_strdup(d);
				continue;
			}
			struct entry *e =
				add_entry(im, key, k, d, strlen(d) - 4);
			if (!e || !(e->up = ldr_strdup(d))) {
				rc = LADDER_ENOMEM;
				break;
			}
			rc = file_flags(im, e, d);
		}
	}
	free_list(list, n);
	return rc;
}

/* ----------------------------------------------------- numbered (grocy) -- */

static int scan_numbered(struct imp *im)
{
	struct dirent **list;
	int n, rc = list_dir(im, im->o->dir, &list, &n);
	for (int i = 0; !rc && i < n; i++) {
		const char *d = list[i]->d_name;
		size_t v, stem;
		if (d[0] == '.')
			continue;
		if (!split_name(d, ".sql", &v, &stem) || v != stem) {
			unsupported(im, d,
				    ends_with(d, ".php")
					    ? "a PHP migration"
					    : "not a numbered SQL file");
			continue;
		}
		struct entry *e = add_entry(im, d, v, d, stem);
		if (!e || !(e->up = ldr_strdup(d))) {
			rc = LADDER_ENOMEM;
			break;
		}
		rc = file_flags(im, e, d);
	}
	free_list(list, n);
	return rc;
}

/* ------------------------------------------------------------- output -- */

static const struct ldr_import_tool tools[] = {
	{"diesel", "__diesel_schema_migrations", NULL, 0},
	{"sqlx", "_sqlx_migrations", NULL, 0},
	{"goose", "goose_db_version", NULL, 1},
	{"golang-migrate", "schema_migrations", NULL, 0},
	{"dbmate", "schema_migrations", NULL, 1},
	{"drizzle-kit", "__drizzle_migrations", "'drizzle'", 0},
	{"flyway", "flyway_schema_history", NULL, 0},
	{"grocy", "migrations", NULL, 0},
};

const struct ldr_import_tool *ldr_import_tool_find(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "drizzle"))
		name = "drizzle-kit";
	if (!strcmp(name, "migrate"))
		name = "golang-migrate";
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

const struct ldr_import_tool *ldr_import_tool_at(size_t i)
{
	return i < sizeof(tools) / sizeof(tools[0]) ? &tools[i] : NULL;
}

const struct ldr_import_tool *ldr_import_tool_of_table(const char *table)
{
	if (!table || !strcmp(table, "schema_migrations") ||
	    !strcmp(table, "migrations"))
		return NULL;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strcmp(tools[i].table, table))
			return &tools[i];
	return NULL;
}

int ldr_import_tool_tables(ldr_buf *out, char quote)
{
	const char q[2] = {quote, 0};
	int rc = 0, first = 1;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (ldr_import_tool_of_table(tools[i].table) != &tools[i])
			continue;
		rc |= ldr_buf_addf(out, "%s%s%s%s", first ? "" : ",", q,
				   tools[i].table, q);
		first = 0;
	}
	return rc ? LADDER_ENOMEM : 0;
}

/* `sub` relative to `base`, both real paths; NULL when `sub` is not
 * inside `base`. "" when they are the same. */
static char *relative(const char *base, const char *sub)
{
	size_t bl = strlen(base);
	if (!strcmp(base, "/"))
		return ldr_strdup(sub + 1);
	if (strncmp(base, sub, bl) || (sub[bl] != '/' && sub[bl] != 0))
		return NULL;
	return ldr_strdup(sub[bl] ? sub + bl + 1 : "");
}

static int locate(struct imp *im, const char *dir, const char *what, char **rel)
{
	const char *mdir = im->o->manifest_dir && *im->o->manifest_dir
				   ? im->o->manifest_dir
				   : ".";
	char *base = realpath(mdir, NULL), *real = NULL;
	int rc = 0;
	if (!base) {
		ldr_error(im->diags, "import", mdir, 0, 0,
			  "cannot resolve '%s': %s", mdir, strerror(errno));
		rc = LADDER_EIO;
	} else if (!(real = realpath(dir, NULL))) {
		ldr_error(im->diags, "import", dir, 0, 0,
			  "cannot resolve '%s': %s", dir, strerror(errno));
		rc = LADDER_EIO;
	} else if (!(*rel = relative(base, real))) {
		ldr_error(im->diags, "import-outside", dir, 0, 0,
			  "the %s '%s' is not inside the manifest's folder "
			  "'%s'; ladder reads only files under it: write the "
			  "manifest in '%s' or a folder above it",
			  what, dir, mdir, dir);
		rc = LADDER_EUSAGE;
	}
	free(base);
	free(real);
	return rc;
}

static void yaml_string(ldr_buf *b, const char *s)
{
	ldr_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			ldr_buf_addc(b, '\\');
		ldr_buf_addc(b, *s);
	}
	ldr_buf_addc(b, '"');
}

static void yaml_path(ldr_buf *b, const char *dir, const char *file)
{
	char *p = ldr_path_join(*dir ? dir : ".", file);
	yaml_string(b, p ? p : file);
	free(p);
}

static int cmp_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_keys(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->name, y->name);
}

/* Flyway's order: versions compared part by part, numerically. */
static int cmp_flyway(const void *a, const void *b)
{
	const char *x = ((const struct entry *)a)->key;
	const char *y = ((const struct entry *)b)->key;
	while (*x && *y) {
		char *ex, *ey;
		unsigned long long p = strtoull(x, &ex, 10);
		unsigned long long q = strtoull(y, &ey, 10);
		if (ex == x || ey == y)
			break;
		if (p != q)
			return p < q ? -1 : 1;
		x = *ex == '.' ? ex + 1 : ex;
		y = *ey == '.' ? ey + 1 : ey;
		if (x == ex && *x)
			break;
		if (y == ey && *y)
			break;
	}
	if (!*x != !*y)
		return !*x ? -1 : 1;
	return strcmp(((const struct entry *)a)->key,
		      ((const struct entry *)b)->key);
}

static int write_yaml(struct imp *im, const struct ldr_import_tool *tool,
		      char **yaml)
{
	ldr_buf b = LDR_BUF_INIT;
	/* The tool's own order: diesel and dbmate compare versions as
	 * strings, Flyway part by part, drizzle-kit follows its journal,
	 * the others compare numbers. Ids keep the versions when every one
	 * fits and they increase in that order; else 1..N. */
	const char *t = tool->name;
	int numeric = 1, drizzle = !strcmp(t, "drizzle-kit");
	for (size_t i = 0; i < im->n; i++)
		numeric &= im->e[i].id > 0;
	if (!strcmp(t, "diesel") || !strcmp(t, "dbmate"))
		qsort(im->e, im->n, sizeof(*im->e), cmp_keys);
	else if (!strcmp(t, "flyway") && !numeric)
		qsort(im->e, im->n, sizeof(*im->e), cmp_flyway);
	else if (numeric && !drizzle)
		qsort(im->e, im->n, sizeof(*im->e), cmp_entries);
	int keep = numeric && !drizzle;
	for (size_t i = 1; !drizzle && i < im->n; i++) {
		const struct entry *e = &im->e[i], *prev = &im->e[i - 1];
		if (numeric ? e->id == prev->id : !strcmp(e->key, prev->key))
			return fail(im, e->name, "import-duplicate",
				    "two migrations have this version");
		if (e->id <= prev->id)
			keep = 0;
	}
	ldr_buf_addf(&b,
		     "# imported by `ladder import --from %s` from '%s';\n"
		     "# %s\n",
		     tool->name, im->o->dir,
		     im->o->split_dir
			     ? "files holding up and down were split into "
			       "--split's folder; the originals are unchanged"
			     : "the SQL files are referenced where they are, "
			       "unchanged");
	if (!keep && im->n)
		ldr_buf_addf(&b,
			     "# ids are 1..N in %s's order: its versions "
			     "are not increasing ids in it\n",
			     tool->name);
	if (im->dialect != &ldr_dialect_sqlite)
		ldr_buf_addf(&b, "engine: %s\n", im->dialect->name);
	if (!strcmp(tool->table, "schema_migrations"))
		ldr_buf_addf(&b,
			     "# %s's own table is schema_migrations, "
			     "ladder's default: ladder keeps its own\n"
			     "table: ladder_migrations\n",
			     tool->name);
	ldr_buf_addf(&b, "migrations:%s\n", im->n ? "" : " []");
	for (size_t i = 0; i < im->n; i++) {
		const struct entry *e = &im->e[i];
		ldr_buf_addf(&b, "  - id: %" PRId64 "\n    name: ",
			     keep ? e->id : (int64_t)i + 1);
		yaml_string(&b, e->name);
		ldr_buf_addf(&b, "\n    file: ");
		if (e->single)
			yaml_path(&b, im->split_rel, e->up);
		else
			yaml_path(&b, im->rel, e->up);
		if (e->down) {
			ldr_buf_addf(&b, "\n    down: ");
			yaml_path(&b, e->single ? im->split_rel : im->rel,
				  e->down);
		}
		ldr_buf_addf(&b, "\n");
		if (e->no_tx)
			ldr_buf_addf(&b, "    transaction: false\n");
		else if (e->fk_off)
			ldr_buf_addf(&b, "    foreign_keys: off\n");
	}
	if (!b.data)
		return LADDER_ENOMEM;
	*yaml = ldr_buf_detach(&b);
	return 0;
}

int ladder_import(char **yaml, size_t *unsupported_count,
		  const ladder_import_options *opts, ladder_diags *diags)
{
	assert(opts && opts->tool && opts->dir && yaml);
	*yaml = NULL;
	if (unsupported_count)
		*unsupported_count = 0;
	struct imp im = {.o = opts, .diags = diags};
	const struct ldr_import_tool *tool = ldr_import_tool_find(opts->tool);
	int rc = 0;
	if (!(im.dialect = ldr_engine_dialect(
		      opts->version >= 2 ? opts->engine : NULL, NULL, diags)))
		return LADDER_EUSAGE;
	if (!tool) {
		ldr_error(diags, "import-tool", NULL, 0, 0,
			  "unknown tool '%s' (diesel, sqlx, goose, "
			  "golang-migrate, dbmate, drizzle-kit, flyway, grocy)",
			  opts->tool ? opts->tool : "");
		return LADDER_EUSAGE;
	}
	if ((rc = locate(&im, opts->dir, "folder", &im.rel)))
		goto out;
	if (opts->split_dir) {
		if (mkdir(opts->split_dir, 0755) && errno != EEXIST) {
			ldr_error(diags, "import", opts->split_dir, 0, 0,
				  "cannot create '%s': %s", opts->split_dir,
				  strerror(errno));
			rc = LADDER_EIO;
			goto out;
		}
		if ((rc = locate(&im, opts->split_dir, "split folder",
				 &im.split_rel)))
			goto out;
	}
	const char *t = tool->name;
	if (!strcmp(t, "diesel"))
		rc = scan_diesel(&im);
	else if (!strcmp(t, "sqlx"))
		rc = scan_updown(&im, 1);
	else if (!strcmp(t, "golang-migrate"))
		rc = scan_updown(&im, 0);
	else if (!strcmp(t, "goose"))
		rc = scan_sections(&im, 1);
	else if (!strcmp(t, "dbmate"))
		rc = scan_sections(&im, 0);
	else if (!strcmp(t, "drizzle-kit"))
		rc = scan_drizzle(&im);
	else if (!strcmp(t, "flyway"))
		rc = scan_flyway(&im);
	else
		rc = scan_numbered(&im);
	if (!rc && im.failed)
		rc = LADDER_EINVALID;
	if (!rc)
		rc = write_yaml(&im, tool, yaml);
	if (!rc && unsupported_count)
		*unsupported_count = im.unsupported;
out:
	entries_free(&im);
	free(im.rel);
	free(im.split_rel);
	return rc;
}
