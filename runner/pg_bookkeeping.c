/*
 * pg_bookkeeping.c — the PostgreSQL driver's bookkeeping table: its shape
 * (ladder's; a three-column table adopted; another tool's refused naming
 * its columns), the DDL that makes it ladder's, reading the rows and the
 * failed-step notes ("<table>_attempts"), and writing rows and notes.
 *
 *   id          bigint PRIMARY KEY
 *   name        text NOT NULL
 *   applied_at  timestamptz NOT NULL   (an adopted table's text or
 *                                       timestamp column is kept)
 *   checksum, checksum_algorithm, duration_ms, ladder_version (nullable)
 *
 * applied_at is always read back as RFC 3339 UTC whole seconds, whatever
 * the session's TimeZone. Every name is quoted and schema-qualified, every
 * function and operator pg_catalog's, so neither the search_path nor an
 * object a migration made can change what this SQL means.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_pg.h"
#include "import.h"
#include "ldrx.h"

/* The nullable columns ladder adds to a table it adopts. */
static const char *const extra_columns[][2] = {
	{"checksum", "pg_catalog.text"},
	{"checksum_algorithm", "pg_catalog.text"},
	{"duration_ms", "bigint"},
	{"ladder_version", "pg_catalog.text"},
};
#define N_EXTRA (sizeof(extra_columns) / sizeof(extra_columns[0]))

enum at_kind { AT_TIMESTAMPTZ, AT_TIMESTAMP, AT_TEXT };

struct shape {
	int exists;
	int core; /* id, name and applied_at, of usable types */
	int has_extra[N_EXTRA];
	enum at_kind at;
	ldr_buf found;	 /* "col type, ..." for messages */
	const char *why; /* what makes it another tool's (static) */
};

/* Reads the table's columns from the catalog. */
static int read_shape(ldr_conn *c, struct shape *sh, ladder_diags *diags)
{
	memset(sh, 0, sizeof(*sh));
	const char *const params[] = {c->schema, c->table};
	PGresult *r = NULL;
	int rc = ldr_pg_query(
		c,
		"SELECT c.relkind, a.attname, "
		"pg_catalog.format_type(a.atttypid, a.atttypmod) "
		"FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n "
		"ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"LEFT JOIN pg_catalog.pg_attribute a "
		"ON a.attrelid OPERATOR(pg_catalog.=) c.oid "
		"AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
		"WHERE n.nspname OPERATOR(pg_catalog.=) $1::pg_catalog.name "
		"AND c.relname OPERATOR(pg_catalog.=) $2::pg_catalog.name "
		"ORDER BY a.attnum",
		2, params, &r, diags, "cannot read the catalog");
	if (rc)
		return rc;
	int id = 0, name = 0, at = 0, n = PQntuples(r);
	for (int i = 0; i < n && !rc; i++) {
		const char *kind = PQgetvalue(r, i, 0);
		sh->exists = 1;
		if (strcmp(kind, "r") && strcmp(kind, "p")) {
			sh->why = "it is not a table";
			continue;
		}
		if (PQgetisnull(r, i, 1))
			continue;
		const char *col = PQgetvalue(r, i, 1);
		const char *type = PQgetvalue(r, i, 2);
		if (sh->found.len)
			rc = ldr_buf_add(&sh->found, ", ", 2);
		if (!rc)
			rc = ldr_buf_addf(&sh->found, "%s %s", col, type);
		if (!strcmp(col, "id")) {
			id = !strcmp(type, "bigint") ||
			     !strcmp(type, "integer") ||
			     !strcmp(type, "smallint");
			if (!id)
				sh->why = "its id is not an integer";
		} else if (!strcmp(col, "name")) {
			name = 1;
		} else if (!strcmp(col, "applied_at")) {
			at = 1;
			if (!strcmp(type, "timestamp with time zone"))
				sh->at = AT_TIMESTAMPTZ;
			else if (!strcmp(type, "timestamp without time zone"))
				sh->at = AT_TIMESTAMP;
			else if (!strcmp(type, "text") ||
				 !strncmp(type, "character varying", 17))
				sh->at = AT_TEXT;
			else {
				at = 0;
				sh->why = "its applied_at is not text, "
					  "timestamp or timestamptz";
			}
		}
		for (size_t k = 0; k < N_EXTRA; k++)
			if (!strcmp(col, extra_columns[k][0]))
				sh->has_extra[k] = 1;
	}
	PQclear(r);
	if (rc)
		return rc;
	sh->core = id && name && at && !sh->why;
	return 0;
}

static int refuse_foreign(ldr_conn *c, const struct shape *sh,
			  ladder_diags *diags)
{
	ldr_error(diags, "foreign-table", c->display, 0, 0,
		  "table '%s.%s' has columns (%s), not ladder's (id, name, "
		  "applied_at)%s%s; it belongs to another tool, so ladder "
		  "leaves it alone (name another table with 'table:' in the "
		  "manifest)",
		  c->schema, c->table, sh->found.data ? sh->found.data : "",
		  sh->why ? ": " : "", sh->why ? sh->why : "");
	return LADDER_EFOREIGN;
}

int ldr_pg_table_check(ldr_conn *c, int *exists, ladder_diags *diags)
{
	struct shape sh;
	int rc = read_shape(c, &sh, diags);
	*exists = sh.exists;
	if (!rc && sh.exists && !sh.core)
		rc = refuse_foreign(c, &sh, diags);
	ldr_buf_release(&sh.found);
	return rc;
}

static int attempts_ddl(const char *qattempts, ldr_buf *out)
{
	return ldr_buf_addf(out,
			    "CREATE TABLE IF NOT EXISTS %s (\n"
			    "  id         bigint PRIMARY KEY,\n"
			    "  name       pg_catalog.text NOT NULL,\n"
			    "  started_at pg_catalog.timestamptz NOT NULL,\n"
			    "  reason     pg_catalog.text\n"
			    ");\n",
			    qattempts);
}

int ldr_pg_bookkeeping_ddl(const ldr_conn *c, ldr_buf *out)
{
	return ldr_pg_bookkeeping_ddl_for(out, c->qtable, c->qattempts);
}

int ldr_pg_bookkeeping_ddl_for(ldr_buf *out, const char *qtable,
			       const char *qattempts)
{
	int rc = ldr_buf_addf(out,
			      "CREATE TABLE IF NOT EXISTS %s (\n"
			      "  id         bigint PRIMARY KEY,\n"
			      "  name       pg_catalog.text NOT NULL,\n"
			      "  applied_at pg_catalog.timestamptz NOT NULL",
			      qtable);
	for (size_t i = 0; !rc && i < N_EXTRA; i++)
		rc = ldr_buf_addf(out, ",\n  %s %s", extra_columns[i][0],
				  extra_columns[i][1]);
	if (!rc)
		rc = ldr_buf_addf(out, "\n);\n");
	for (size_t i = 0; !rc && i < N_EXTRA; i++)
		rc = ldr_buf_addf(out,
				  "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s "
				  "%s;\n",
				  qtable, extra_columns[i][0],
				  extra_columns[i][1]);
	return rc ? rc : attempts_ddl(qattempts, out);
}

/* Runs ladder's DDL (one statement at a time: the extended protocol
 * takes one). */
static int run_ddl(ldr_conn *c, const char *sql, ladder_diags *diags)
{
	return ldr_pg_query(c, sql, 0, NULL, NULL, diags,
			    "cannot create the bookkeeping table");
}

int ldr_pg_ensure_table(ldr_conn *c, ladder_diags *diags)
{
	struct shape sh;
	ldr_buf sql = LDR_BUF_INIT;
	int rc = read_shape(c, &sh, diags);
	if (rc)
		goto out;
	if (sh.exists && !sh.core) {
		rc = refuse_foreign(c, &sh, diags);
		goto out;
	}
	if (!sh.exists) {
		/* the manifest's schema, made when it is not there */
		if ((rc = ldr_buf_add(&sql, "CREATE SCHEMA IF NOT EXISTS ",
				      28)) ||
		    (rc = ldr_dialect_pg.quote_ident(&sql, c->schema)) ||
		    (rc = run_ddl(c, sql.data, diags)))
			goto out;
		ldr_buf_reset(&sql);
		rc = ldr_buf_addf(&sql,
				  "CREATE TABLE %s (\n"
				  "  id         bigint PRIMARY KEY,\n"
				  "  name       pg_catalog.text NOT NULL,\n"
				  "  applied_at pg_catalog.timestamptz NOT "
				  "NULL",
				  c->qtable);
		for (size_t i = 0; !rc && i < N_EXTRA; i++)
			rc = ldr_buf_addf(&sql, ",\n  %s %s",
					  extra_columns[i][0],
					  extra_columns[i][1]);
		if (rc || (rc = ldr_buf_addf(&sql, "\n)")) ||
		    (rc = run_ddl(c, sql.data, diags)))
			goto out;
	} else {
		for (size_t i = 0; i < N_EXTRA; i++) {
			if (sh.has_extra[i])
				continue;
			ldr_buf_reset(&sql);
			if ((rc = ldr_buf_addf(&sql,
					       "ALTER TABLE %s ADD COLUMN %s "
					       "%s",
					       c->qtable, extra_columns[i][0],
					       extra_columns[i][1])) ||
			    (rc = run_ddl(c, sql.data, diags)))
				goto out;
		}
	}
	ldr_buf_reset(&sql);
	if ((rc = attempts_ddl(c->qattempts, &sql)))
		goto out;
	sql.data[sql.len - 2] = '\0'; /* no ";\n" */
	if ((rc = run_ddl(c, sql.data, diags)))
		goto out;
	c->table_made = 1;
out:
	ldr_buf_release(&sql);
	ldr_buf_release(&sh.found);
	return rc;
}

/* ---------------------------------------------------------------- rows -- */

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*id = (int64_t)v;
	return 0;
}

#define RFC3339 "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

static int read_attempts(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	const char *const reg[] = {c->qattempts};
	PGresult *r = NULL;
	int rc = ldr_pg_query(c, "SELECT pg_catalog.to_regclass($1) IS NULL", 1,
			      reg, &r, diags, "cannot read the catalog");
	if (rc)
		return rc;
	int missing = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	if (missing)
		return 0;
	ldr_buf sql = LDR_BUF_INIT;
	if ((rc = ldr_buf_addf(&sql,
			       "SELECT id, pg_catalog.to_char(started_at AT "
			       "TIME ZONE 'UTC', " RFC3339 "), reason, name "
			       "FROM %s ORDER BY id",
			       c->qattempts)) ||
	    (rc = ldr_pg_query(c, sql.data, 0, NULL, &r, diags,
			       "cannot read the attempts table")))
		goto out;
	for (int i = 0; i < PQntuples(r); i++) {
		ldr_failed *p =
			realloc(out->failed, (out->nfailed + 1) * sizeof(*p));
		if (!p) {
			rc = LADDER_ENOMEM;
			break;
		}
		out->failed = p;
		ldr_failed f = {0};
		parse_id(PQgetvalue(r, i, 0), &f.id);
		f.started_at = ldr_strdup(PQgetvalue(r, i, 1));
		f.reason = PQgetisnull(r, i, 2)
				   ? NULL
				   : ldr_strdup(PQgetvalue(r, i, 2));
		f.name = ldr_strdup(PQgetvalue(r, i, 3));
		if (!f.name || !f.started_at ||
		    (!PQgetisnull(r, i, 2) && !f.reason)) {
			free(f.name);
			free(f.started_at);
			free(f.reason);
			rc = LADDER_ENOMEM;
			break;
		}
		p[out->nfailed++] = f;
	}
	PQclear(r);
out:
	ldr_buf_release(&sql);
	return rc;
}

/* No bookkeeping table: does the database hold objects of its own (an
 * application's, which ladder never migrated) or is it a fresh install?
 * Looked for where ladder and the migrations work: the bookkeeping schema
 * and the schemas of the search_path (current_schemas: the first is where
 * a migration's unqualified CREATE lands, and its unqualified names are
 * found in all of them), not the system schemas (pg_*,
 * information_schema). Counted: tables (partitioned and foreign too),
 * views, materialized views and sequences, except ladder's attempts table
 * and what an extension owns (pg_depend 'e': PostGIS's spatial_ref_sys is
 * not the application's). Other schemas of the database are another
 * application's business (docs/postgresql.md, "An application's
 * database"). */
static int own_objects(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	size_t n = strlen(c->table) + sizeof("_attempts");
	char *attempts = malloc(n);
	if (!attempts)
		return LADDER_ENOMEM;
	snprintf(attempts, n, "%s_attempts", c->table);
	/* the tools' tables as an array literal, {a,b,...} */
	ldr_buf tools = LDR_BUF_INIT;
	int bad = ldr_buf_addc(&tools, '{') ||
		  ldr_import_tool_tables(&tools, 0) ||
		  ldr_buf_addc(&tools, '}');
	if (bad) {
		free(attempts);
		ldr_buf_release(&tools);
		return LADDER_ENOMEM;
	}
	const char *const params[] = {c->schema, attempts, tools.data};
	/* A tool that keeps its table in a schema of its own (drizzle):
	 * that table counts there too, so that the message can name it. */
	ldr_buf sql = LDR_BUF_INIT;
	bad = ldr_buf_addf(&sql,
			   "SELECT n.nspname, c.relname "
			   "FROM pg_catalog.pg_class c "
			   "JOIN pg_catalog.pg_namespace n "
			   "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
			   "WHERE (n.nspname OPERATOR(pg_catalog.=) ANY "
			   "(pg_catalog.array_prepend($1::pg_catalog.name, "
			   "pg_catalog.current_schemas(false)))");
	const struct ldr_import_tool *t;
	for (size_t i = 0; (t = ldr_import_tool_at(i)); i++)
		if (t->schema)
			bad |= ldr_buf_addf(
				&sql,
				" OR (n.nspname OPERATOR(pg_catalog.=) "
				"%s::pg_catalog.name AND c.relname "
				"OPERATOR(pg_catalog.=) '%s'::pg_catalog.name)",
				t->schema, t->table);
	bad |= ldr_buf_addf(
		&sql,
		") "
		"AND n.nspname OPERATOR(pg_catalog.<>) "
		"'information_schema'::pg_catalog.name "
		"AND pg_catalog.substr(n.nspname::pg_catalog.text, 1, 3) "
		"OPERATOR(pg_catalog.<>) 'pg_' "
		"AND c.relkind OPERATOR(pg_catalog.=) ANY "
		"('{r,p,f,v,m,S}'::pg_catalog.\"char\"[]) "
		"AND NOT (n.nspname OPERATOR(pg_catalog.=) $1::pg_catalog.name "
		"AND c.relname OPERATOR(pg_catalog.=) $2::pg_catalog.name) "
		"AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d "
		"WHERE d.classid OPERATOR(pg_catalog.=) "
		"'pg_catalog.pg_class'::pg_catalog.regclass "
		"AND d.objid OPERATOR(pg_catalog.=) c.oid "
		"AND d.deptype OPERATOR(pg_catalog.=) 'e') "
		/* another tool's bookkeeping table first: it says how to
		 * adopt the database */
		"ORDER BY c.relname::pg_catalog.text OPERATOR(pg_catalog.=) "
		"ANY ($3::pg_catalog.text[]) DESC, 1, 2 LIMIT 1");
	PGresult *r = NULL;
	int rc = bad ? LADDER_ENOMEM
		     : ldr_pg_query(c, sql.data, 3, params, &r, diags,
				    "cannot read the catalog");
	free(attempts);
	ldr_buf_release(&tools);
	ldr_buf_release(&sql);
	if (rc)
		return rc;
	out->unmanaged = PQntuples(r) > 0;
	if (out->unmanaged) {
		ldr_buf own = LDR_BUF_INIT;
		if (ldr_buf_addf(&own, "%s.%s", PQgetvalue(r, 0, 0),
				 PQgetvalue(r, 0, 1)))
			rc = LADDER_ENOMEM;
		else
			out->own = ldr_buf_detach(&own);
		ldr_buf_release(&own);
		out->own_tool = ldr_import_tool_of_table(PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return rc;
}

static int read_rows(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	struct shape sh;
	ldr_buf sql = LDR_BUF_INIT;
	PGresult *r = NULL;
	int rc = read_shape(c, &sh, diags);
	if (!rc && !sh.exists)
		rc = own_objects(c, out, diags);
	if (rc || !sh.exists)
		goto out;
	if (!sh.core) {
		rc = refuse_foreign(c, &sh, diags);
		goto out;
	}
	out->table_exists = 1;
	const char *at = sh.at == AT_TIMESTAMPTZ
				 ? "pg_catalog.to_char(applied_at AT TIME "
				   "ZONE 'UTC', " RFC3339 ")"
			 : sh.at == AT_TIMESTAMP
				 ? "pg_catalog.to_char(applied_at, " RFC3339 ")"
				 : "applied_at::pg_catalog.text";
	if ((rc = ldr_buf_addf(&sql,
			       "SELECT id, name, %s, %s, %s FROM %s "
			       "ORDER BY id",
			       at, sh.has_extra[0] ? "checksum" : "NULL",
			       sh.has_extra[1] ? "checksum_algorithm" : "NULL",
			       c->qtable)) ||
	    (rc = ldr_pg_query(c, sql.data, 0, NULL, &r, diags,
			       "cannot read the bookkeeping table")))
		goto out;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		int64_t id = 0;
		if (parse_id(PQgetvalue(r, i, 0), &id)) {
			ldr_error(diags, "foreign-table", c->display, 0, 0,
				  "table '%s.%s' holds an id that is not an "
				  "integer ('%s')",
				  c->schema, c->table, PQgetvalue(r, i, 0));
			rc = LADDER_EFOREIGN;
			break;
		}
		if (ldr_rows_push(
			    out, id, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
			    PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3),
			    PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4)))
			rc = LADDER_ENOMEM;
	}
	PQclear(r);
	if (!rc)
		rc = read_attempts(c, out, diags);
out:
	ldr_buf_release(&sql);
	ldr_buf_release(&sh.found);
	return rc;
}

/* Reads in a REPEATABLE READ, READ ONLY transaction (on a standby too).
 * On a write connection holding the runner lock the transaction stays
 * open with its snapshot exported, for a backup from the very snapshot
 * the plan was read in; begin() ends it. */
int ldr_pg_read_applied(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	assert(c && out);
	out->table_exists = 0;
	if (c->ours)
		return read_rows(c, out, diags);
	ldr_pg_end_snapshot(c);
	int rc = ldr_pg_query(c,
			      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			      0, NULL, NULL, diags, "cannot start a read");
	if (rc)
		return rc;
	int keep = !c->readonly && c->locked && !c->standby;
	if (keep) {
		PGresult *r = NULL;
		rc = ldr_pg_query(c, "SELECT pg_catalog.pg_export_snapshot()",
				  0, NULL, &r, diags,
				  "cannot export the snapshot");
		if (!rc)
			snprintf(c->snapshot, sizeof(c->snapshot), "%s",
				 PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	if (!rc)
		rc = read_rows(c, out, diags);
	if (!rc && keep) {
		c->snap_open = 1;
		return 0;
	}
	c->snapshot[0] = '\0';
	if (!c->lost)
		ldr_pg_query(c, rc ? "ROLLBACK" : "COMMIT", 0, NULL, NULL,
			     rc ? NULL : diags, "cannot end the read");
	return rc;
}

int ldr_pg_recorded(ldr_conn *c, int64_t id, int *is_recorded, int64_t *max_id,
		    ladder_diags *diags)
{
	assert(c && is_recorded && max_id);
	char idbuf[24];
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	const char *const params[] = {idbuf};
	ldr_buf sql = LDR_BUF_INIT;
	PGresult *r = NULL;
	int rc = ldr_buf_addf(&sql,
			      "SELECT EXISTS (SELECT 1 FROM %s WHERE id "
			      "OPERATOR(pg_catalog.=) $1::bigint), "
			      "(SELECT pg_catalog.max(id) FROM %s)",
			      c->qtable, c->qtable);
	if (!rc)
		rc = ldr_pg_query(c, sql.data, 1, params, &r, diags,
				  "cannot read the bookkeeping table");
	if (!rc) {
		*is_recorded = !strcmp(PQgetvalue(r, 0, 0), "t");
		*max_id = 0;
		if (!PQgetisnull(r, 0, 1))
			parse_id(PQgetvalue(r, 0, 1), max_id);
	}
	PQclear(r);
	ldr_buf_release(&sql);
	return rc;
}

/* The time a row or note records: the caller's, else now (UTC). */
static int stamp_of(ldr_conn *c, const ldr_record *rec, char at[LDRX_UTC_LEN],
		    ladder_diags *diags)
{
	if (rec->applied_at) {
		snprintf(at, LDRX_UTC_LEN, "%s", rec->applied_at);
		return 0;
	}
	if (ldrx_utc_now(at)) {
		ldr_error(diags, "database", c->display, 0, 0,
			  "cannot read the clock: %s", strerror(errno));
		return LADDER_EIO;
	}
	return 0;
}

/* ---------------------------------------------- ladder's own writes -- */

/* A migration may not write ladder's tables (SPEC). In ladder's
 * transaction, a fingerprint of both tables (each row's binary form, so
 * no session setting such as TimeZone changes it) is kept in the
 * transaction-local setting ladder.own: taken at begin, compared before
 * each of ladder's own writes, taken again after it. It counts the
 * triggers and rules on the tables too. A difference means a statement of
 * the migration inserted, changed or deleted rows, or put a trigger or a
 * rule on them that ladder's own write would fire, or dropped or renamed
 * one (its fingerprint then fails with 42P01): the DO block raises
 * SQLSTATE LDRBW, reported as `bookkeeping-write`, and the transaction is
 * rolled back. Every statement is queued in the pipeline: no round trip of
 * its own. A `transaction: false` step's statements run before ladder's
 * transaction, so they are not seen. */
static int fingerprint(ldr_buf *out, const char *qtable)
{
	/* the table's name as a text literal, for its regclass */
	ldr_buf lit = LDR_BUF_INIT;
	int rc = 0;
	for (const char *p = qtable; !rc && *p; p++)
		rc = *p == '\'' ? ldr_buf_add(&lit, "''", 2)
				: ldr_buf_addc(&lit, *p);
	/* Rows, and the triggers and rules on the table: one a migration
	 * adds would fire on ladder's own next write, after the check. */
	if (!rc)
		rc = ldr_buf_addf(
			out,
			"(SELECT pg_catalog.concat_ws(':', "
			"pg_catalog.count(*), "
			"pg_catalog.md5(pg_catalog.string_agg("
			"pg_catalog.record_send(t), ''::pg_catalog.bytea ORDER "
			"BY pg_catalog.record_send(t))), (SELECT "
			"pg_catalog.count(*) FROM pg_catalog.pg_trigger g "
			"WHERE "
			"g.tgrelid OPERATOR(pg_catalog.=) "
			"'%s'::pg_catalog.regclass AND NOT g.tgisinternal), "
			"(SELECT pg_catalog.count(*) FROM "
			"pg_catalog.pg_rewrite "
			"w WHERE w.ev_class OPERATOR(pg_catalog.=) "
			"'%s'::pg_catalog.regclass)) FROM %s t)",
			lit.data ? lit.data : "", lit.data ? lit.data : "",
			qtable);
	ldr_buf_release(&lit);
	return rc;
}

static int own_fingerprint(const ldr_conn *c, ldr_buf *out)
{
	int rc = ldr_buf_add(out, "pg_catalog.concat_ws('/', ", 26);
	if (!rc)
		rc = fingerprint(out, c->qtable);
	if (!rc)
		rc = ldr_buf_add(out, ", ", 2);
	if (!rc)
		rc = fingerprint(out, c->qattempts);
	return rc ? rc : ldr_buf_addc(out, ')');
}

int ldr_pg_own_mark(ldr_conn *c, ladder_diags *diags)
{
	if (!c->ours)
		return 0;
	ldr_buf sql = LDR_BUF_INIT;
	int rc = ldr_buf_add(&sql,
			     "SELECT pg_catalog.set_config('ladder.own', ", 43);
	if (!rc)
		rc = own_fingerprint(c, &sql);
	if (!rc)
		rc = ldr_buf_add(&sql, ", true)", 7);
	if (!rc)
		rc = ldr_pg_send(c, sql.data, 0, NULL, diags,
				 "cannot read the bookkeeping tables");
	ldr_buf_release(&sql);
	return rc;
}

/* Before one of ladder's own writes in its transaction: the tables are
 * as ladder left them, else the step is refused. */
static int own_check(ldr_conn *c, ladder_diags *diags)
{
	if (!c->ours)
		return 0;
	ldr_buf sql = LDR_BUF_INIT, fp = LDR_BUF_INIT;
	char tag[32] = "$ladder_own$";
	int rc = own_fingerprint(c, &fp);
	for (unsigned i = 1; !rc && strstr(fp.data, tag); i++)
		snprintf(tag, sizeof(tag), "$ladder_own%u$", i);
	/* A table dropped or renamed makes the fingerprint itself fail
	 * (42P01): that is a change of ladder's tables too. */
	if (!rc)
		rc = ldr_buf_addf(
			&sql,
			"DO %s DECLARE ladder_fp pg_catalog.text; BEGIN BEGIN "
			"ladder_fp := %s; EXCEPTION WHEN undefined_table THEN "
			"ladder_fp := NULL; END; IF "
			"pg_catalog.current_setting('ladder.own', "
			"true) IS DISTINCT FROM ladder_fp THEN RAISE EXCEPTION "
			"USING ERRCODE = '" LDR_PG_OWN_STATE
			"', MESSAGE = 'a statement of the "
			"migration changed ''%s'', ladder''s own bookkeeping "
			"(a "
			"migration may read it but not change it); nothing of "
			"the step was kept'; END IF; END %s",
			tag, fp.data, c->table, tag);
	if (!rc)
		rc = ldr_pg_send(c, sql.data, 0, NULL, diags,
				 "cannot read the bookkeeping tables");
	ldr_buf_release(&sql);
	ldr_buf_release(&fp);
	return rc;
}

/* Sends `head` `table` `tail` with `n` parameters; `queued`: in the
 * pipeline when ladder's transaction is open. */
static int write_sql(ldr_conn *c, const char *head, const char *table,
		     const char *tail, int n, const char *const *params,
		     int queued, ladder_diags *diags, const char *what)
{
	ldr_buf sql = LDR_BUF_INIT;
	int rc = ldr_buf_addf(&sql, "%s%s%s", head, table, tail);
	if (!rc)
		rc = own_check(c, diags);
	if (!rc)
		rc = queued ? ldr_pg_send(c, sql.data, n, params, diags, what)
			    : ldr_pg_query(c, sql.data, n, params, NULL, diags,
					   what);
	if (!rc)
		rc = ldr_pg_own_mark(c, diags);
	ldr_buf_release(&sql);
	return rc;
}

int ldr_pg_record(ldr_conn *c, const ldr_record *rec, ladder_diags *diags)
{
	assert(c && rec && rec->name);
	char at[LDRX_UTC_LEN], id[24], ms[24];
	int rc = stamp_of(c, rec, at, diags);
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "%" PRId64, rec->id);
	snprintf(ms, sizeof(ms), "%" PRId64, rec->duration_ms);
	const char *const params[] = {id,
				      rec->name,
				      at,
				      rec->checksum,
				      LDR_CHECKSUM_ALGORITHM,
				      ms,
				      rec->ladder_version ? rec->ladder_version
							  : LADDER_VERSION};
	return write_sql(c, "INSERT INTO ", c->qtable,
			 " (id, name, applied_at, checksum, "
			 "checksum_algorithm, duration_ms, ladder_version) "
			 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
			 7, params, 1, diags, "cannot record the migration");
}

int ldr_pg_unrecord(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	char idbuf[24];
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	const char *const params[] = {idbuf};
	return write_sql(c, "DELETE FROM ", c->qtable,
			 " WHERE id OPERATOR(pg_catalog.=) $1::bigint", 1,
			 params, 1, diags, "cannot delete the migration's row");
}

int ldr_pg_rechecksum(ldr_conn *c, int64_t id, const char *checksum,
		      ladder_diags *diags)
{
	char idbuf[24];
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	const char *const params[] = {idbuf, checksum, LDR_CHECKSUM_ALGORITHM};
	return write_sql(c, "UPDATE ", c->qtable,
			 " SET checksum = $2, checksum_algorithm = $3 "
			 "WHERE id OPERATOR(pg_catalog.=) $1::bigint",
			 3, params, 0, diags, "cannot record the checksum");
}

/* A step that starts notes itself once: when a note is already there,
 * another runner started the step (through a pooler, where the runner
 * lock is not taken) or it failed before, and it is never run again. */
int ldr_pg_attempt(ldr_conn *c, const ldr_record *rec, const char *reason,
		   ladder_diags *diags)
{
	char id[24], at[LDRX_UTC_LEN];
	snprintf(id, sizeof(id), "%" PRId64, rec->id);
	if (reason) {
		const char *const params[] = {id, reason};
		return write_sql(c, "UPDATE ", c->qattempts,
				 " SET reason = $2 WHERE id "
				 "OPERATOR(pg_catalog.=) $1::bigint",
				 2, params, 0, diags,
				 "cannot note the failure");
	}
	int rc = stamp_of(c, rec, at, diags);
	if (rc)
		return rc;
	const char *const params[] = {id, rec->name, at};
	ldr_buf sql = LDR_BUF_INIT;
	PGresult *r = NULL;
	if (!(rc = ldr_buf_addf(&sql,
				"INSERT INTO %s (id, name, started_at) VALUES "
				"($1, $2, $3) ON CONFLICT (id) DO NOTHING",
				c->qattempts)) &&
	    !(rc = own_check(c, diags)))
		rc = ldr_pg_query(c, sql.data, 3, params, &r, diags,
				  "cannot note the attempt");
	if (!rc)
		rc = ldr_pg_own_mark(c, diags);
	if (!rc && strcmp(PQcmdTuples(r), "1")) {
		ldr_error(diags, "failed", c->display, 0, 0,
			  "migration %" PRId64 " '%s' was started by another "
			  "runner meanwhile, or failed before; it is never "
			  "run twice: see 'ladder status'",
			  rec->id, rec->name);
		rc = LADDER_EREFUSED;
	}
	PQclear(r);
	ldr_buf_release(&sql);
	return rc;
}

int ldr_pg_forget(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	char idbuf[24];
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	const char *const params[] = {idbuf};
	return write_sql(c, "DELETE FROM ", c->qattempts,
			 " WHERE id OPERATOR(pg_catalog.=) $1::bigint", 1,
			 params, 1, diags, "cannot clear the attempt");
}
