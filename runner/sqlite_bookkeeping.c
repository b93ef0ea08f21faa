/*
 * sqlite_bookkeeping.c — the SQLite driver's bookkeeping table: its
 * columns, adopting a three-column table or refusing another tool's, the
 * DDL that makes it ladder's, reading the rows and the failed-step notes
 * ("<table>_attempts"), and writing rows and notes. A read that decides
 * safety returns its error; it never reads as "no rows".
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driver_sqlite.h"
#include "import.h"
#include "ldrx.h"

/* The nullable columns ladder adds to a bookkeeping table it adopts. */
static const char *const extra_columns[][2] = {
	{"checksum", "TEXT"},
	{"checksum_algorithm", "TEXT"},
	{"duration_ms", "INTEGER"},
	{"ladder_version", "TEXT"},
};
#define N_EXTRA (sizeof(extra_columns) / sizeof(extra_columns[0]))

/* Reads the table's columns. `*exists` is 0 when there is no such table;
 * `found` receives the names, comma-separated, for messages. */
static int table_columns(ldr_conn *c, int *exists, int *has_core,
			 int has_extra[N_EXTRA], ldr_buf *found,
			 ladder_diags *diags)
{
	sqlite3_stmt *st = NULL;
	*exists = 0;
	int core = 0;
	memset(has_extra, 0, N_EXTRA * sizeof(int));
	if (sqlite3_prepare_v2(c->db,
			       "SELECT name FROM pragma_table_info(?1, 'main')",
			       -1, &st, NULL) != SQLITE_OK)
		return ldr_sqlite_error(c, diags, "cannot read the schema");
	sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 0);
		if (!col)
			continue;
		*exists = 1;
		if (found->len)
			ldr_buf_add(found, ", ", 2);
		ldr_buf_add(found, col, strlen(col));
		if (!strcasecmp(col, "id") || !strcasecmp(col, "name") ||
		    !strcasecmp(col, "applied_at"))
			core++;
		for (size_t i = 0; i < N_EXTRA; i++)
			if (!strcasecmp(col, extra_columns[i][0]))
				has_extra[i] = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ldr_sqlite_error(c, diags, "cannot read the schema");
	*has_core = core == 3;
	return 0;
}

static int refuse_foreign(ldr_conn *c, const ldr_buf *found,
			  ladder_diags *diags)
{
	ldr_error(diags, "foreign-table", c->path, 0, 0,
		  "table '%s' has columns (%s), not ladder's (id, name, "
		  "applied_at); it belongs to another tool, so ladder leaves "
		  "it alone (name another table with 'table:' in the manifest)",
		  c->table, found->data ? found->data : "");
	return LADDER_EFOREIGN;
}

char *ldr_sqlite_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (char *)t : NULL;
}

/* Runs one statement made from `fmt` (the table named by %w, up to twice)
 * with ?1 = id and ?2, ?3 = the texts, as far as the statement has them. */
static int run_bound(ldr_conn *c, const char *fmt, int64_t id, const char *a,
		     const char *b, ladder_diags *diags, const char *what)
{
	char *text = sqlite3_mprintf(fmt, c->table, c->table);
	if (!text)
		return LADDER_ENOMEM;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, text, -1, &st, NULL);
	sqlite3_free(text);
	if (rc != SQLITE_OK)
		return ldr_sqlite_error(c, diags, what);
	int n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		sqlite3_bind_int64(st, 1, id);
	if (n >= 2)
		sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0
					     : ldr_sqlite_error(c, diags, what);
	sqlite3_finalize(st);
	return rc;
}

int ldr_sqlite_unrecord(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	return run_bound(c, "DELETE FROM main.\"%w\" WHERE id = ?1", id, NULL,
			 NULL, diags, "cannot delete the migration's row");
}

int ldr_sqlite_rechecksum(ldr_conn *c, int64_t id, const char *checksum,
			  ladder_diags *diags)
{
	return run_bound(c,
			 "UPDATE main.\"%w\" SET checksum = ?2, "
			 "checksum_algorithm = ?3 WHERE id = ?1",
			 id, checksum, LDR_CHECKSUM_ALGORITHM, diags,
			 "cannot record the checksum");
}

/* The time a row or note records: the caller's, else now, in UTC as the
 * SPEC writes it, computed here in C and bound (never SQL's 'now', so it
 * is the same text whatever the engine). */
static int stamp_of(ldr_conn *c, const ldr_record *rec, char at[LDRX_UTC_LEN],
		    ladder_diags *diags)
{
	assert(rec);
	if (rec->applied_at) {
		snprintf(at, LDRX_UTC_LEN, "%s", rec->applied_at);
		return 0;
	}
	if (ldrx_utc_now(at)) {
		ldr_error(diags, "database", c->path, 0, 0,
			  "cannot read the clock: %s", strerror(errno));
		return LADDER_EIO;
	}
	return 0;
}

int ldr_sqlite_attempt(ldr_conn *c, const ldr_record *rec, const char *reason,
		       ladder_diags *diags)
{
	int rc = run_bound(c,
			   "CREATE TABLE IF NOT EXISTS main.\"%w_attempts\" (\n"
			   "  id         INTEGER PRIMARY KEY,\n"
			   "  name       TEXT NOT NULL,\n"
			   "  started_at TEXT NOT NULL,\n"
			   "  reason     TEXT\n"
			   ")",
			   0, NULL, NULL, diags, "cannot note the attempt");
	if (rc)
		return rc;
	if (reason)
		return run_bound(c,
				 "UPDATE main.\"%w_attempts\" SET reason = ?2 "
				 "WHERE id = ?1",
				 rec->id, reason, NULL, diags,
				 "cannot note the failure");
	char at[LDRX_UTC_LEN];
	if ((rc = stamp_of(c, rec, at, diags)))
		return rc;
	return run_bound(c,
			 "INSERT OR REPLACE INTO main.\"%w_attempts\" "
			 "(id, name, started_at) VALUES (?1, ?2, ?3)",
			 rec->id, rec->name, at, diags,
			 "cannot note the attempt");
}

/* Whether the table `<table><suffix>` exists in the main schema. A read
 * that fails is an error, never "no table": the answer decides whether a
 * failed step's note is seen. */
static int has_table(ldr_conn *c, const char *suffix, int *found,
		     ladder_diags *diags)
{
	assert(c && suffix && found);
	*found = 0;
	char *name = sqlite3_mprintf("%s%s", c->table, suffix);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (!name)
		return LADDER_ENOMEM;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT 1 FROM main.sqlite_schema WHERE "
			       "type = 'table' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = ldr_sqlite_error(c, diags, "cannot read the schema");
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*found = 1;
	else if (step != SQLITE_DONE)
		rc = ldr_sqlite_error(c, diags, "cannot read the schema");
out:
	sqlite3_finalize(st);
	sqlite3_free(name);
	return rc;
}

int ldr_sqlite_forget(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	int found, rc = has_table(c, "_attempts", &found, diags);
	if (rc || !found)
		return rc;
	return run_bound(c, "DELETE FROM main.\"%w_attempts\" WHERE id = ?1",
			 id, NULL, NULL, diags, "cannot clear the attempt");
}

/* The unfinished non-transactional steps, if any were ever noted. */
static int read_attempts(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	int found, rc = has_table(c, "_attempts", &found, diags);
	if (rc || !found)
		return rc;
	char *text = sqlite3_mprintf("SELECT id, started_at, reason, name "
				     "FROM main.\"%w_attempts\" ORDER BY id",
				     c->table);
	sqlite3_stmt *st = NULL;
	if (!text)
		return LADDER_ENOMEM;
	if (sqlite3_prepare_v2(c->db, text, -1, &st, NULL) != SQLITE_OK) {
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the attempts table");
		goto out;
	}
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ldr_failed *p =
			realloc(out->failed, (out->nfailed + 1) * sizeof(*p));
		if (!p) {
			rc = LADDER_ENOMEM;
			goto out;
		}
		out->failed = p;
		const char *at = ldr_sqlite_text(st, 1),
			   *why = ldr_sqlite_text(st, 2);
		const char *name = ldr_sqlite_text(st, 3);
		ldr_failed f = {
			.id = sqlite3_column_int64(st, 0),
			.name = ldr_strdup(name ? name : ""),
			.started_at = ldr_strdup(at ? at : ""),
			.reason = why ? ldr_strdup(why) : NULL,
		};
		if (!f.name || !f.started_at || (why && !f.reason)) {
			free(f.name);
			free(f.started_at);
			free(f.reason);
			rc = LADDER_ENOMEM;
			goto out;
		}
		p[out->nfailed++] = f;
	}
	/* Anything but the end is an error, never "no more notes": a lost
	 * note would show a half-applied step as pending. */
	if (step != SQLITE_DONE)
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the attempts table");
out:
	sqlite3_finalize(st);
	sqlite3_free(text);
	return rc;
}

static int read_rows(ldr_conn *c, ldr_rows *out, ladder_diags *diags);

static int read_rows_fn(ldr_conn *c, void *out, ladder_diags *diags)
{
	return read_rows(c, out, diags);
}

static void reset_rows(void *out)
{
	ldr_rows *rows = out;
	ldr_rows_release(rows);
	rows->table_exists = 0;
	rows->unmanaged = 0;
}

int ldr_sqlite_read_applied(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	assert(c && out);
	out->table_exists = 0;
	int made = ldr_sqlite_materialize(c, 0, diags);
	if (made || !c->db)
		return made;
	return ldr_sqlite_read_view(c, read_rows_fn, reset_rows, out, diags);
}

/* No bookkeeping table: does the database hold tables of its own (an
 * application's, which ladder never migrated) or is it a fresh install? */
static int has_own_tables(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	sqlite3_stmt *st = NULL;
	ldr_buf sql = LDR_BUF_INIT;
	out->unmanaged = 0;
	/* One of them, for the message: another tool's bookkeeping table
	 * first, which says how to adopt the database. */
	if (ldr_buf_addf(&sql, "SELECT name FROM main.sqlite_schema "
			       "WHERE type IN ('table', 'view') AND name NOT "
			       "LIKE 'sqlite\\_%%' ESCAPE '\\' AND name <> ?1 "
			       "|| '_attempts' ORDER BY name IN (") ||
	    ldr_import_tool_tables(&sql, '\'') ||
	    ldr_buf_addf(&sql, ") DESC, name LIMIT 1")) {
		ldr_buf_release(&sql);
		return LADDER_ENOMEM;
	}
	int rc = sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL);
	ldr_buf_release(&sql);
	if (rc != SQLITE_OK)
		return ldr_sqlite_error(c, diags, "cannot read the schema");
	sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->unmanaged = 1;
		if (!(out->own = ldr_strdup(
			      (const char *)sqlite3_column_text(st, 0))))
			rc = SQLITE_NOMEM;
		else
			out->own_tool = ldr_import_tool_of_table(out->own);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return LADDER_ENOMEM;
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : ldr_sqlite_error(c, diags, "cannot read the schema");
}

/* The rows and the failed-step notes, from an open database. */
static int read_rows(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	int exists, core, extra[N_EXTRA];
	ldr_buf found = LDR_BUF_INIT, sql = LDR_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = table_columns(c, &exists, &core, extra, &found, diags);
	if (!rc && !exists)
		rc = has_own_tables(c, out, diags);
	if (rc || !exists)
		goto out;
	if (!core) {
		rc = refuse_foreign(c, &found, diags);
		goto out;
	}
	out->table_exists = 1;
	ldr_buf_addf(&sql,
		     "SELECT id, typeof(id), name, applied_at, %s, %s "
		     "FROM main.\"%s\" ORDER BY id",
		     extra[0] ? "checksum" : "NULL",
		     extra[1] ? "checksum_algorithm" : "NULL", c->table);
	if (!sql.data) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the bookkeeping table");
		goto out;
	}
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
			ldr_error(diags, "foreign-table", c->path, 0, 0,
				  "table '%s' holds an id that is not an "
				  "integer ('%s', of type %s)",
				  c->table,
				  ldr_sqlite_text(st, 0)
					  ? ldr_sqlite_text(st, 0)
					  : "NULL",
				  ldr_sqlite_text(st, 1));
			rc = LADDER_EFOREIGN;
			goto out;
		}
		/* A table ladder made has a primary key; an adopted one
		 * may not: two rows for one id are named as such. */
		int64_t id = sqlite3_column_int64(st, 0);
		if (out->count && out->items[out->count - 1].id == id) {
			ldr_error(diags, "duplicate-applied", c->path, 0, 0,
				  "table '%s' records id %" PRId64 " more "
				  "than once; ladder will not touch it until "
				  "the extra rows are removed",
				  c->table, id);
			rc = LADDER_EFOREIGN;
			goto out;
		}
		const char *name = ldr_sqlite_text(st, 2);
		const char *at = ldr_sqlite_text(st, 3);
		if (ldr_rows_push(out, sqlite3_column_int64(st, 0),
				  name ? name : "", at ? at : "",
				  ldr_sqlite_text(st, 4),
				  ldr_sqlite_text(st, 5))) {
			rc = LADDER_ENOMEM;
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the bookkeeping table");
	else
		rc = read_attempts(c, out, diags);
out:
	sqlite3_finalize(st);
	ldr_buf_release(&found);
	ldr_buf_release(&sql);
	return rc;
}

/* Appends the SQL that makes the bookkeeping table ladder's: CREATE TABLE
 * when there is none, ALTER TABLE ... ADD COLUMN for each nullable column
 * an adopted three-column table lacks, nothing when it is complete.
 * Refuses a table of another shape. */
static int table_sql(ldr_conn *c, ldr_buf *sql, ladder_diags *diags)
{
	int exists = 0, core = 0, extra[N_EXTRA] = {0};
	if (!c->db && !c->memory) {
		int rc = ldr_sqlite_materialize(c, 0, diags);
		if (rc)
			return rc;
	}
	ldr_buf found = LDR_BUF_INIT;
	int rc = c->db ? table_columns(c, &exists, &core, extra, &found, diags)
		       : 0;
	if (rc)
		goto out;
	if (exists && !core) {
		rc = refuse_foreign(c, &found, diags);
		goto out;
	}
	if (!exists) {
		ldr_buf_addf(sql,
			     "CREATE TABLE IF NOT EXISTS main.\"%s\" (\n"
			     "  id         INTEGER PRIMARY KEY,\n"
			     "  name       TEXT NOT NULL,\n"
			     "  applied_at TEXT NOT NULL",
			     c->table);
		for (size_t i = 0; i < N_EXTRA; i++)
			ldr_buf_addf(sql, ",\n  %s %s", extra_columns[i][0],
				     extra_columns[i][1]);
		ldr_buf_addf(sql, "\n);\n");
	} else {
		for (size_t i = 0; i < N_EXTRA; i++)
			if (!extra[i])
				ldr_buf_addf(
					sql,
					"ALTER TABLE main.\"%s\" ADD COLUMN "
					"%s %s;\n",
					c->table, extra_columns[i][0],
					extra_columns[i][1]);
	}
out:
	ldr_buf_release(&found);
	return rc;
}

/* Inside the write transaction: the table made ladder's. */
int ldr_sqlite_ensure_table(ldr_conn *c, ladder_diags *diags)
{
	ldr_buf sql = LDR_BUF_INIT;
	int rc = table_sql(c, &sql, diags);
	if (!rc && sql.len)
		rc = ldr_sqlite_run(c, sql.data, diags,
				    "cannot create the bookkeeping table");
	if (!rc)
		c->table_made = 1;
	ldr_buf_release(&sql);
	return rc;
}

/* Prepares `*st` once per connection. `sql` names the table with %w
 * (sqlite3_mprintf's identifier quoting), as often as it needs. */
static int cached(ldr_conn *c, sqlite3_stmt **st, const char *sql,
		  ladder_diags *diags)
{
	if (*st)
		return 0;
	char *text = sqlite3_mprintf(sql, c->table, c->table);
	if (!text)
		return LADDER_ENOMEM;
	int rc = sqlite3_prepare_v3(c->db, text, -1, SQLITE_PREPARE_PERSISTENT,
				    st, NULL);
	sqlite3_free(text);
	return rc == SQLITE_OK ? 0
			       : ldr_sqlite_error(c, diags, "cannot prepare");
}

int ldr_sqlite_recorded(ldr_conn *c, int64_t id, int *is_recorded,
			int64_t *max_id, ladder_diags *diags)
{
	assert(c && c->db && is_recorded && max_id);
	int rc = cached(
		c, &c->q_recorded,
		"SELECT EXISTS(SELECT 1 FROM main.\"%w\" WHERE id = ?1), "
		"(SELECT coalesce(max(id), 0) FROM main.\"%w\")",
		diags);
	if (rc)
		return rc;
	sqlite3_bind_int64(c->q_recorded, 1, id);
	if (sqlite3_step(c->q_recorded) != SQLITE_ROW) {
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the bookkeeping table");
	} else {
		*is_recorded = sqlite3_column_int(c->q_recorded, 0);
		*max_id = sqlite3_column_int64(c->q_recorded, 1);
	}
	sqlite3_reset(c->q_recorded);
	return rc;
}

int ldr_sqlite_record(ldr_conn *c, const ldr_record *rec, ladder_diags *diags)
{
	assert(c && rec && rec->name);
	int rc = cached(
		c, &c->q_insert,
		"INSERT INTO main.\"%w\" (id, name, applied_at, checksum, "
		"checksum_algorithm, duration_ms, ladder_version) "
		"VALUES (?1, ?2, ?7, ?3, ?4, ?5, ?6)",
		diags);
	char at[LDRX_UTC_LEN];
	if (rc || (rc = stamp_of(c, rec, at, diags)))
		return rc;
	sqlite3_stmt *st = c->q_insert;
	sqlite3_bind_text(st, 7, at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 1, rec->id);
	sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec->checksum, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, LDR_CHECKSUM_ALGORITHM, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, rec->duration_ms);
	sqlite3_bind_text(st, 6,
			  rec->ladder_version ? rec->ladder_version
					      : LADDER_VERSION,
			  -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = ldr_sqlite_error(c, diags, "cannot record the migration");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int table_sql_fn(ldr_conn *c, void *out, ladder_diags *diags)
{
	return table_sql(c, out, diags);
}

int ldr_sqlite_bookkeeping_sql(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	if (!c->db)
		return table_sql(c, out, diags);
	/* Into a buffer of its own, so a retry redoes only this part and
	 * keeps the caller's text. */
	ldr_buf mine = LDR_BUF_INIT;
	int rc = ldr_sqlite_read_view(c, table_sql_fn, ldr_sqlite_reset_buf,
				      &mine, diags);
	if (!rc && mine.len)
		rc = ldr_buf_add(out, mine.data, mine.len);
	ldr_buf_release(&mine);
	return rc;
}
