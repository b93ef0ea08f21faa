/*
 * export.c — the pending steps as one SQL script the plain sqlite3 shell
 * runs, for a device that has no ladder. Each step is one transaction that
 * first inserts its bookkeeping row, so a step already present fails on
 * the row's primary key and `.bail on` stops the script with that step
 * rolled back: nothing is ever half-done.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ldrx.h"
#include "plan.h"

/* The file's statements, each on its own, as the reader splits them. */
static int statements(ldr_buf *out, const struct ldr_dialect *d,
		      const char *root_dir, const ladder_migration *mig,
		      ladder_diags *diags)
{
	ldr_sqlreader *rd = NULL;
	int rc = ldr_sqlreader_open_text(&rd, d, mig->text, mig->text_len,
					 root_dir, mig->file, mig->path, diags);
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

static int export_step(ldr_buf *out, const struct ldr_dialect *d,
		       const char *table, const char *root_dir,
		       const ladder_migration *mig, const char *applied_at,
		       ladder_diags *diags)
{
	int rc = ldr_buf_addf(
		out, "\n-- %" PRId64 " %s (%s)%s\n", mig->id, mig->name,
		mig->file,
		mig->transactional ? "" : ": runs without a transaction");
	if (!rc)
		rc = d->script_step_begin(out, table, mig, applied_at);
	if (!rc)
		rc = statements(out, d, root_dir, mig, diags);
	if (!rc)
		rc = d->script_step_end(out, table, mig, applied_at);
	return rc;
}

int ladder_export(char **out, ladder_db *db, const ladder_manifest *m,
		  ladder_diags *diags)
{
	*out = NULL;
	if (ldr_plan_refuse_errors(m, "nothing was exported", diags))
		return LADDER_EINVALID;
	/* The script is written in the migrations' dialect. */
	const struct ldr_dialect *d = LDR_MIGRATION_DIALECT(m);
	if (!d->script_header) {
		ldr_error(diags, "unsupported", NULL, 0, 0,
			  "export has no %s script yet", d->name);
		return LADDER_EUNSUPPORTED;
	}
	/* One time for every row the script records: when it was written. */
	char applied_at[LDRX_UTC_LEN];
	if (ldrx_utc_now(applied_at)) {
		ldr_error(diags, "clock", NULL, 0, 0,
			  "cannot read the clock for applied_at");
		return LADDER_EIO;
	}
	ladder_plan *plan = NULL;
	ldr_buf b = LDR_BUF_INIT, qualified = LDR_BUF_INIT;
	char *root_dir = ldr_path_dirname(ladder_manifest_path(m));
	int rc =
		root_dir ? ladder_plan_new(&plan, db, m, diags) : LADDER_ENOMEM;
	if (rc || (rc = ldr_plan_refuse_unsafe(plan, m, 1, 0, 0, diags)))
		goto out;
	/* With `schema:`, the dialect gets "schema.table" (a table name
	 * never holds a dot) and qualifies every name it writes. */
	const char *table = ladder_manifest_table(m);
	if (ladder_manifest_schema(m)) {
		if ((rc = ldr_buf_addf(&qualified, "%s.%s",
				       ladder_manifest_schema(m), table)))
			goto out;
		table = qualified.data;
	}
	if ((rc = d->script_header(&b, ladder_manifest_path(m), db->display)))
		goto out;
	/* Without -d the database is a SQLite scratch one: a manifest of
	 * another engine takes its fresh database's DDL from its dialect. */
	if (strcmp(db->drv->name, d->name) && d->script_bookkeeping)
		rc = d->script_bookkeeping(&b, table);
	else if (strcmp(db->drv->name, d->name)) {
		ldr_error(diags, "unsupported", NULL, 0, 0,
			  "export has no %s script for a fresh database; give "
			  "the database with -d",
			  d->name);
		rc = LADDER_EUNSUPPORTED;
	} else
		rc = db->drv->bookkeeping_sql(db->conn, &b, diags);
	if (rc)
		goto out;
	size_t n = 0;
	for (size_t i = 0; !rc && i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state != LADDER_STATE_PENDING)
			continue;
		rc = export_step(&b, d, table, root_dir, s->migration,
				 applied_at, diags);
		n++;
	}
	if (rc)
		goto out;
	ldr_buf_addf(&b, "\n-- %zu step%s.\n", n, n == 1 ? "" : "s");
	if (!(*out = ldr_buf_detach(&b)))
		rc = LADDER_ENOMEM;
out:
	free(root_dir);
	ldr_buf_release(&qualified);
	ldr_buf_release(&b);
	ladder_plan_free(plan);
	return rc;
}
