/*
 * db.c — ladder_db: picks the driver from the target's scheme (a table of
 * schemes, each naming a driver and its dialect), refuses a target of
 * another engine than the manifest's, and owns the connection. A plain
 * path or `sqlite:PATH` is SQLite's; `postgresql://` and `postgres://`
 * URIs are PostgreSQL's (when built with it), handed to libpq whole.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "driver.h"

/* Whether `target` names a SQLite database, and where its path starts: a
 * plain path, or `sqlite:` / `sqlite3:` (any case) with an optional `//`.
 * A scheme is two or more letters, digits, '+', '-' or '.' before the
 * first ':', so `C:`-style and plain relative paths stay paths. */
int ldr_sqlite_target(const char *target, const char **path)
{
	const char *p = target;
	if (isalpha((unsigned char)*p)) {
		while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
		       *p == '.')
			p++;
	}
	*path = target;
	if (*p != ':' || p - target < 2)
		return 1;
	size_t n = (size_t)(p - target);
	if ((n == 6 && !strncasecmp(target, "sqlite", 6)) ||
	    (n == 7 && !strncasecmp(target, "sqlite3", 7))) {
		*path = p + 1;
		if (!strncmp(*path, "//", 2))
			*path += 2;
		return 1;
	}
	return 0;
}

/* The schemes a target may start with, each naming its driver and its
 * dialect. A SQLite target's path follows the scheme (and an optional
 * `//`); any other target goes to its driver whole (a conninfo URI, which
 * is never joined to a directory). A plain path is SQLite's. */
struct scheme {
	const char *name;
	const struct ldr_driver *drv;
	const struct ldr_dialect *dialect;
};

static const struct scheme schemes[] = {
	{"sqlite", &ldr_driver_sqlite, &ldr_dialect_sqlite},
	{"sqlite3", &ldr_driver_sqlite, &ldr_dialect_sqlite},
#ifdef LADDER_HAVE_PG
	{"postgresql", &ldr_driver_pg, &ldr_dialect_pg},
	{"postgres", &ldr_driver_pg, &ldr_dialect_pg},
#endif
};

/* Whether `target` starts with a PostgreSQL scheme, built in or not. */
static int pg_scheme(const char *target)
{
	return !strncasecmp(target, "postgresql:", 11) ||
	       !strncasecmp(target, "postgres:", 9);
}

/* The scheme entry for `target`; NULL for a scheme with no driver. *path
 * is what the driver opens. */
static const struct scheme *pick(const char *target, const char **path)
{
	if (ldr_sqlite_target(target, path))
		return &schemes[0];
	size_t n = (size_t)(strchr(target, ':') - target);
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == n &&
		    !strncasecmp(target, schemes[i].name, n)) {
			*path = target;
			return &schemes[i];
		}
	return NULL;
}

const struct ldr_dialect *ldr_target_dialect(const char *target)
{
	const char *path;
	const struct scheme *s = target ? pick(target, &path) : NULL;
	return s ? s->dialect : NULL;
}

const struct ldr_dialect *
ldr_engine_dialect(const char *engine, const char *file, ladder_diags *diags)
{
	if (!engine || !strcmp(engine, "sqlite"))
		return &ldr_dialect_sqlite;
#ifdef LADDER_HAVE_PG
	if (!strcmp(engine, "postgresql"))
		return &ldr_dialect_pg;
#else
	if (!strcmp(engine, "postgresql")) {
		ldr_error(diags, "engine", file, 0, 0,
			  "engine 'postgresql': this ladder was built "
			  "without PostgreSQL");
		return NULL;
	}
#endif
	ldr_error(diags, "engine", file, 0, 0,
		  "unknown engine '%.40s': write sqlite or postgresql", engine);
	return NULL;
}

/* Opens `target` with `table` in `schema` (NULL: the driver's default);
 * with `want` (the manifest's dialect) non-NULL, refuses a target of
 * another engine. */
static int open_db(ladder_db **out, const char *target, const char *table,
		   const char *schema, const struct ldr_dialect *want, int mode,
		   ladder_diags *diags)
{
	assert(out);
	*out = NULL;
	const struct ldr_driver *drv;
	const char *path;
	if (!target || !*target) {
		ldr_error(diags, "no-database", NULL, 0, 0,
			  "no database given: use -d PATH, set "
			  "LADDER_DATABASE, or add 'database:' to the "
			  "manifest");
		return LADDER_EUSAGE;
	}
	const struct scheme *s = NULL;
	if (mode == LADDER_OPEN_SCRATCH) {
		/* Only SQLite has a scratch database (in memory). */
		if (want && want != &ldr_dialect_sqlite) {
			ldr_error(diags, "unsupported-database", NULL, 0, 0,
				  "%s has no scratch database: applying the "
				  "chain to a fresh database needs 'engine: "
				  "sqlite'",
				  want->name);
			return LADDER_EUNSUPPORTED;
		}
		drv = &ldr_driver_sqlite;
		path = target;
	} else if (!(s = pick(target, &path))) {
		if (pg_scheme(target))
			ldr_error(diags, "unsupported-database", NULL, 0, 0,
				  "unsupported database: this ladder was "
				  "built without PostgreSQL");
		else
			ldr_error(diags, "unsupported-database", NULL, 0, 0,
				  "unsupported database '%s': ladder speaks "
				  "SQLite (a path or sqlite:PATH)%s",
				  target,
#ifdef LADDER_HAVE_PG
				  " and PostgreSQL (postgresql://...)"
#else
				  ""
#endif
			);
		return LADDER_EUNSUPPORTED;
	} else {
		drv = s->drv;
	}
	if (!*path) {
		ldr_error(diags, "no-database", NULL, 0, 0,
			  "no path in database '%s'", target);
		return LADDER_EUSAGE;
	}
	if (s && want && s->dialect != want) {
		char *shown = ldr_target_display(target);
		ldr_error(diags, "engine-mismatch", NULL, 0, 0,
			  "'%s' is a %s database, but the manifest's engine "
			  "is %s (set 'engine: %s' in the manifest, or use a "
			  "%s database)",
			  shown ? shown : "(database)", s->dialect->name,
			  want->name, s->dialect->name, want->name);
		free(shown);
		return LADDER_EUNSUPPORTED;
	}
	ladder_db *db = calloc(1, sizeof(*db));
	if (!db || !(db->display = s && s->drv != &ldr_driver_sqlite
					   ? ldr_target_display(path)
					   : ldr_strdup(path))) {
		free(db);
		return LADDER_ENOMEM;
	}
	db->drv = drv;
	if (!(db->shown = ldr_target_display(target))) {
		free(db->display);
		free(db);
		return LADDER_ENOMEM;
	}
	int rc = drv->open(&db->conn, path, table ? table : "schema_migrations",
			   schema, mode, LADDER_DEFAULT_LOCK_TIMEOUT_MS, diags);
	if (rc) {
		free(db->shown);
		free(db->display);
		free(db);
		return rc;
	}
	drv->watch(db->conn, &db->interrupted);
	*out = db;
	return 0;
}

int ladder_db_open(ladder_db **out, const char *target, const char *table,
		   int mode, ladder_diags *diags)
{
	return open_db(out, target, table, NULL, NULL, mode, diags);
}

int ladder_db_open_for(ladder_db **out, const char *target,
		       const ladder_manifest *m, int mode, ladder_diags *diags)
{
	assert(m);
	return open_db(out, target, ladder_manifest_table(m),
		       ladder_manifest_schema(m), ldr_manifest_dialect(m), mode,
		       diags);
}

const char *ladder_db_target(const ladder_db *db)
{
	return db ? db->shown ? db->shown : db->display : NULL;
}

/* The target as messages show it: a URI's password (in its user info or
 * a `password=` parameter) left out; anything else as it is. */
char *ldr_target_display(const char *target)
{
	const char *sep = strstr(target, "://");
	if (!sep || !pg_scheme(target))
		return ldr_strdup(target);
	ldr_buf b = LDR_BUF_INIT;
	const char *auth = sep + 3;
	size_t authlen = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', authlen);
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	int rc = ldr_buf_add(&b, target, (size_t)(auth - target));
	if (colon)
		rc = rc || ldr_buf_add(&b, auth, (size_t)(colon - auth)) ||
		     ldr_buf_add(&b, at, authlen - (size_t)(at - auth));
	else
		rc = rc || ldr_buf_add(&b, auth, authlen);
	const char *rest = auth + authlen;
	const char *q = strchr(rest, '?');
	rc = rc || ldr_buf_add(&b, rest, q ? (size_t)(q - rest) : strlen(rest));
	int first = 1;
	for (const char *p = q ? q + 1 : ""; *p && !rc;) {
		size_t n = strcspn(p, "&");
		if (!(n >= 9 && !strncasecmp(p, "password=", 9))) {
			rc = ldr_buf_addc(&b, first ? '?' : '&') ||
			     ldr_buf_add(&b, p, n);
			first = 0;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	char *out = rc ? NULL : ldr_buf_detach(&b);
	ldr_buf_release(&b);
	return out;
}

/* `path` made absolute against `cwd` and cleaned of `.`, `..` and empty
 * parts, lexically, into `b`. */
static int absolute(ldr_buf *b, const char *cwd, const char *path)
{
	ldr_buf in = LDR_BUF_INIT;
	int rc = path[0] == '/' ? ldr_buf_add(&in, path, strlen(path))
				: ldr_buf_addf(&in, "%s/%s", cwd, path);
	for (const char *p = in.data; !rc && p && *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2)) {
			char *up = b->data ? strrchr(b->data, '/') : NULL;
			if (up) {
				b->len = (size_t)(up - b->data);
				*up = '\0';
			}
		} else if (n && !(n == 1 && *p == '.')) {
			rc = ldr_buf_addc(b, '/') || ldr_buf_add(b, p, n);
		}
		p += n + (p[n] == '/');
	}
	ldr_buf_release(&in);
	return rc || (!b->len && ldr_buf_addc(b, '/'));
}

char *ladder_target_for_manifest(const char *target, const char *manifest_path,
				 const char **engine)
{
	assert(target && manifest_path);
	const char *rest = NULL;
	int sqlite = ldr_sqlite_target(target, &rest);
	if (engine)
		*engine = sqlite	      ? "sqlite"
			  : pg_scheme(target) ? "postgresql"
					      : NULL;
	if (!sqlite)
		return ldr_target_display(target);
	char *dir = ldr_path_dirname(manifest_path), *real = NULL;
	char cwd[4096];
	ldr_buf b = LDR_BUF_INIT, d = LDR_BUF_INIT, t = LDR_BUF_INIT;
	char *out = NULL;
	/* Absolute, empty, special (":memory:") or beside the manifest
	 * already: as given. */
	if (!dir || !strcmp(dir, ".") || rest[0] == '/' || rest[0] == ':' ||
	    !rest[0] || !getcwd(cwd, sizeof(cwd)) ||
	    !(real = realpath(dir, NULL)) || absolute(&d, cwd, real) ||
	    absolute(&t, cwd, rest)) {
		out = ldr_strdup(target);
		goto out;
	}
	/* The longest common folder, then `..` for each of the manifest's
	 * folders below it, then the rest of the target's path. */
	size_t common = 0;
	for (size_t i = 1; i <= d.len && i < t.len; i++) {
		if (i == d.len || d.data[i] == '/') {
			if (t.data[i] != '/' || strncmp(d.data, t.data, i))
				break;
			common = i;
		}
	}
	int rc = ldr_buf_add(&b, target, (size_t)(rest - target));
	for (size_t i = common; !rc && d.len > 1 && i < d.len; i++)
		if (d.data[i] == '/')
			rc = ldr_buf_add(&b, "../", 3);
	rc = rc || ldr_buf_add(&b, t.data + common + 1, t.len - common - 1);
	out = rc ? NULL : ldr_buf_detach(&b);
out:
	ldr_buf_release(&b);
	ldr_buf_release(&d);
	ldr_buf_release(&t);
	free(real);
	free(dir);
	return out;
}

int ladder_db_adopt_sqlite(ladder_db **out, struct sqlite3 *handle,
			   const char *table, ladder_diags *diags)
{
	assert(out && handle);
	*out = NULL;
	ladder_db *db = calloc(1, sizeof(*db));
	if (!db)
		return LADDER_ENOMEM;
	db->drv = &ldr_driver_sqlite;
	int rc = db->drv->adopt(&db->conn, handle,
				table ? table : "schema_migrations",
				LADDER_DEFAULT_LOCK_TIMEOUT_MS, diags);
	if (!rc && !(db->display = ldr_strdup("(application handle)")))
		rc = LADDER_ENOMEM;
	if (!rc)
		db->drv->watch(db->conn, &db->interrupted);
	if (rc) {
		db->drv->close(db->conn);
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void ladder_db_free(ladder_db *db)
{
	if (!db)
		return;
	db->drv->close(db->conn);
	free(db->display);
	free(db->shown);
	free(db);
}

void ladder_db_set_lock_timeout(ladder_db *db, int milliseconds)
{
	if (!db)
		return;
	db->drv->set_timeout(db->conn, milliseconds < 0 ? 0 : milliseconds);
}

void ladder_db_on_wait(ladder_db *db, ladder_wait_fn fn, void *ctx)
{
	if (db && db->drv->on_wait)
		db->drv->on_wait(db->conn, fn, ctx);
}

void ladder_db_interrupt(ladder_db *db)
{
	if (!db)
		return;
	/* The count first: ldr_db_resume reads it, then clears the flag. */
	db->interrupts =
		db->interrupts < SIG_ATOMIC_MAX ? db->interrupts + 1 : 1;
	db->interrupted = 1;
	db->drv->interrupt(db->conn);
}

int ldr_db_resume(ladder_db *db)
{
	assert(db);
	/* The counter first: a call after this read is one to keep, even if
	 * it lands before `was` is read. */
	sig_atomic_t seen = db->interrupts;
	int was = db->interrupted != 0;
	db->interrupted = 0;
	/* A call between the read and the clear lost its flag: set it again.
	 * A call after the clear sets it itself. */
	if (db->interrupts != seen)
		db->interrupted = 1;
	return was;
}

void ldr_rows_release(ldr_rows *rows)
{
	for (size_t i = 0; i < rows->count; i++) {
		free(rows->items[i].name);
		free(rows->items[i].applied_at);
		free(rows->items[i].checksum);
		free(rows->items[i].checksum_algorithm);
	}
	free(rows->items);
	rows->items = NULL;
	rows->count = rows->cap = 0;
	for (size_t i = 0; i < rows->nfailed; i++) {
		free(rows->failed[i].name);
		free(rows->failed[i].started_at);
		free(rows->failed[i].reason);
	}
	free(rows->failed);
	rows->failed = NULL;
	rows->nfailed = 0;
	free(rows->own);
	rows->own = NULL;
	rows->own_tool = NULL;
}

int ldr_rows_push(ldr_rows *rows, int64_t id, const char *name,
		  const char *applied_at, const char *checksum,
		  const char *algorithm)
{
	assert(rows && name && applied_at);
	/* The driver reads rows in id order (plan.c merges on it). */
	assert(!rows->count || rows->items[rows->count - 1].id <= id);
	if (rows->count == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 16;
		ldr_row *p = realloc(rows->items, cap * sizeof(*p));
		if (!p)
			return LADDER_ENOMEM;
		rows->items = p;
		rows->cap = cap;
	}
	ldr_row *r = &rows->items[rows->count];
	*r = (ldr_row){.id = id,
		       .name = ldr_strdup(name),
		       .applied_at = ldr_strdup(applied_at),
		       .checksum = ldr_strdup(checksum),
		       .checksum_algorithm = ldr_strdup(algorithm)};
	if (!r->name || !r->applied_at || (checksum && !r->checksum) ||
	    (algorithm && !r->checksum_algorithm)) {
		free(r->name);
		free(r->applied_at);
		free(r->checksum);
		free(r->checksum_algorithm);
		return LADDER_ENOMEM;
	}
	rows->count++;
	return 0;
}

int ladder_schema(char **out, ladder_db *db, ladder_diags *diags)
{
	assert(db && out);
	*out = NULL;
	ldr_buf b = LDR_BUF_INIT;
	int rc = db->drv->schema(db->conn, &b, diags);
	if (!rc && !(*out = ldr_buf_detach(&b)))
		rc = LADDER_ENOMEM;
	ldr_buf_release(&b);
	return rc;
}

void ladder_free(void *p)
{
	free(p);
}
