/*
 * export.c — the pending steps as one SQL script the plain sqlite3 shell
 * runs, for a device that has no ladder. Each step is one transaction that
 * first inserts its bookkeeping row, so a step already present fails on
 * the row's primary key and `.bail on` stops the script with that step
 * rolled back: nothing is ever half-done.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <string.h>

#include "plan.h"

/* A statement that fails, stopping the script, when `count_sql` counts
 * anything. Written as a CHECK on a temporary table so that the plain
 * shell needs no extension. */
static void guard(ldr_buf *out, const char *what, const char *count_sql)
{
	ldr_buf_addf(out,
		     "CREATE TEMP TABLE IF NOT EXISTS ladder_guard_%s "
		     "(n INTEGER CHECK (n = 0));\n"
		     "INSERT INTO ladder_guard_%s %s;\n"
		     "DELETE FROM ladder_guard_%s;\n",
		     what, what, count_sql, what);
}

static void bookkeeping_row(ldr_buf *out, const char *table,
			    const ladder_migration *mig)
{
	char *row = sqlite3_mprintf(
		"INSERT INTO \"%w\" (id, name, applied_at, checksum, "
		"checksum_algorithm, ladder_version) VALUES (%lld, %Q, "
		"strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'), %Q, %Q, %Q);\n",
		table, (long long)mig->id, mig->name, mig->checksum,
		LDR_CHECKSUM_ALGORITHM, LADDER_VERSION " (export)");
	if (row)
		ldr_buf_add(out, row, strlen(row));
	sqlite3_free(row);
}

/* The file's statements, each on its own, as the reader splits them. */
static int statements(ldr_buf *out, const ladder_migration *mig,
		      ladder_diags *diags)
{
	ldr_sqlreader *rd = NULL;
	int rc = mig->text
			 ? ldr_sqlreader_open_mem(&rd, mig->text, mig->text_len,
						  mig->path, diags)
			 : ldr_sqlreader_open(&rd, mig->path, mig->path, diags);
	const char *sql;
	size_t len;
	unsigned line, column;
	int more = 0;
	while (!rc && (more = ldr_sqlreader_next(rd, &sql, &len, &line,
						 &column)) > 0) {
		ldr_buf_add(out, sql, len);
		/* A last statement may lack its ';'; the next line is ours. */
		if (sql[len - 1] == ';')
			ldr_buf_addc(out, '\n');
		else
			ldr_buf_add(out, ";\n", 2);
	}
	if (!rc && more < 0)
		rc = LADDER_EINVALID;
	char sum[LDR_CHECKSUM_HEX];
	if (!rc) {
		ldr_sqlreader_checksum(rd, sum);
		if (strcmp(sum, mig->checksum)) {
			ldr_error(diags, "changed", mig->path, 0, 0,
				  "'%s' changed while ladder was exporting it",
				  mig->path);
			rc = LADDER_EINVALID;
		}
	}
	ldr_sqlreader_free(rd);
	return rc;
}

static int export_step(ldr_buf *out, const char *table,
		       const ladder_migration *mig, ladder_diags *diags)
{
	ldr_buf_addf(out, "\n-- %" PRId64 " %s (%s)%s\n", mig->id, mig->name,
		     mig->file,
		     mig->transactional ? "" : ": runs without a transaction");
	if (mig->foreign_keys_off)
		ldr_buf_addf(out, "PRAGMA foreign_keys = OFF;\n");
	if (mig->transactional) {
		ldr_buf_addf(out, "BEGIN IMMEDIATE;\n");
		bookkeeping_row(out, table, mig);
	} else {
		char *present = sqlite3_mprintf(
			"SELECT count(*) FROM \"%w\" WHERE id = %lld", table,
			(long long)mig->id);
		if (!present)
			return LADDER_ENOMEM;
		guard(out, "present", present);
		sqlite3_free(present);
	}
	int rc = statements(out, mig, diags);
	if (rc)
		return rc;
	if (mig->foreign_keys_off)
		guard(out, "foreign_keys",
		      "SELECT count(*) FROM pragma_foreign_key_check");
	if (mig->transactional)
		ldr_buf_addf(out, "COMMIT;\n");
	else
		bookkeeping_row(out, table, mig);
	if (mig->foreign_keys_off)
		ldr_buf_addf(out, "PRAGMA foreign_keys = ON;\n");
	return 0;
}

int ladder_export(char **out, ladder_db *db, const ladder_manifest *m,
		  ladder_diags *diags)
{
	*out = NULL;
	if (ladder_manifest_errors(m)) {
		ldr_error(diags, "invalid-manifest", ladder_manifest_path(m), 0,
			  0, "the manifest has errors; nothing was exported");
		return LADDER_EINVALID;
	}
	ladder_plan *plan = NULL;
	ldr_buf b = LDR_BUF_INIT;
	int rc = ladder_plan_new(&plan, db, m, diags);
	if (rc || (rc = ldr_plan_refuse_unsafe(plan, m, 1, 0, 0, diags)))
		goto out;
	const char *table = ladder_manifest_table(m);
	ldr_buf_addf(&b,
		     "-- Written by 'ladder export' from %s: the migrations "
		     "pending on %s.\n"
		     "-- Run it with the sqlite3 shell: sqlite3 DATABASE < "
		     "THIS_FILE\n"
		     "-- Each step is one transaction with its bookkeeping "
		     "row; the first error\n"
		     "-- (a step already present, a failing statement) stops "
		     "the script with\n"
		     "-- that step rolled back.\n"
		     ".bail on\nPRAGMA foreign_keys = ON;\n",
		     ladder_manifest_path(m), db->display);
	if ((rc = db->drv->bookkeeping_sql(db->conn, &b, diags)))
		goto out;
	size_t n = 0;
	for (size_t i = 0; !rc && i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state != LADDER_STATE_PENDING)
			continue;
		rc = export_step(&b, table, s->migration, diags);
		n++;
	}
	if (rc)
		goto out;
	ldr_buf_addf(&b, "\n-- %zu step%s.\n", n, n == 1 ? "" : "s");
	if (!(*out = ldr_buf_detach(&b)))
		rc = LADDER_ENOMEM;
out:
	ldr_buf_release(&b);
	ladder_plan_free(plan);
	return rc;
}
