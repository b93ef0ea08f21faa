/*
 * db.c — ladder_db: picks the driver from the target's scheme and owns the
 * connection. Today `sqlite:PATH` or a plain path; other schemes are refused
 * as unsupported until a driver for them exists.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The driver for `target`; LADDER_EUNSUPPORTED for a scheme with none. */
static int pick_driver(const char *target, const struct ldr_driver **drv,
		       const char **path)
{
	*drv = &ldr_driver_sqlite;
	return ldr_sqlite_target(target, path) ? 0 : LADDER_EUNSUPPORTED;
}

int ladder_db_open(ladder_db **out, const char *target, const char *table,
		   int mode, ladder_diags *diags)
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
	if (mode == LADDER_OPEN_MEMORY) {
		drv = &ldr_driver_sqlite;
		path = target;
	} else if (pick_driver(target, &drv, &path)) {
		ldr_error(diags, "unsupported-database", NULL, 0, 0,
			  "unsupported database '%s': ladder speaks SQLite "
			  "(a path or sqlite:PATH)",
			  target);
		return LADDER_EUNSUPPORTED;
	}
	if (!*path) {
		ldr_error(diags, "no-database", NULL, 0, 0,
			  "no path in database '%s'", target);
		return LADDER_EUSAGE;
	}
	ladder_db *db = calloc(1, sizeof(*db));
	if (!db || !(db->display = ldr_strdup(path))) {
		free(db);
		return LADDER_ENOMEM;
	}
	db->drv = drv;
	int rc = drv->open(&db->conn, path, table ? table : "schema_migrations",
			   mode, LADDER_DEFAULT_LOCK_TIMEOUT_MS, diags);
	if (rc) {
		free(db->display);
		free(db);
		return rc;
	}
	drv->watch(db->conn, &db->interrupted);
	*out = db;
	return 0;
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
	free(db);
}

void ladder_db_set_lock_timeout(ladder_db *db, int milliseconds)
{
	if (!db)
		return;
	db->drv->set_timeout(db->conn, milliseconds < 0 ? 0 : milliseconds);
}

void ladder_db_interrupt(ladder_db *db)
{
	if (!db)
		return;
	db->interrupted = 1;
	db->drv->interrupt(db->conn);
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
