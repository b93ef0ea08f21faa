/*
 * sqlscan.c — the rules about a migration file that need no database, in
 * any dialect: it holds at least one statement, and a transactional one
 * holds nothing the dialect classifies as transaction control, as needing
 * no transaction or as a no-op inside one; nothing the dialect refuses
 * outright, transaction or not. The wording comes from the dialect.
 */
#include <string.h>

#include "dialect.h"

int ldr_sqlscan(ldr_sqlreader *r, int rc, const char *display,
		int transactional, ldr_sqlinfo *out, ladder_diags *diags)
{
	size_t count = 0;
	int invalid = 0;
	ldr_buf msg = LDR_BUF_INIT;
	if (out)
		memset(out, 0, sizeof(*out));
	if (rc)
		goto out;
	const struct ldr_dialect *d = ldr_sqlreader_dialect(r);
	/* A scan only for the rules (up's check of what it is about to run)
	 * need not hash: the run hashes what it executes. */
	if (!out)
		ldr_sqlreader_no_hash(r);

	const char *sql;
	size_t len;
	unsigned line, col;
	while ((rc = ldr_sqlreader_next(r, &sql, &len, &line, &col)) == 1) {
		count++;
		const char *what, *code;
		ldr_stmt_kind kind = d->classify(sql, len, &what);
		if (kind == LDR_STMT_PLAIN ||
		    (!transactional && kind != LDR_STMT_REFUSED))
			continue;
		invalid = 1;
		ldr_buf_reset(&msg);
		if ((rc = d->explain(&msg, kind, what, &code)))
			goto out;
		ldr_error(diags, code, display, line, col, "%s", msg.data);
	}
	if (rc == 0 && count == 0) {
		invalid = 1;
		/* A file-wide problem: named at its first line. */
		ldr_error(diags, "sql-empty", display, 1, 0,
			  "'%s' holds no SQL statement", display);
	}
	if (out) {
		out->statements = count;
		ldr_sqlreader_checksum(r, out->checksum);
	}
	if (rc == 0 && invalid)
		rc = LADDER_EINVALID;
out:
	ldr_buf_release(&msg);
	ldr_sqlreader_free(r);
	return rc;
}

/* SQLite's until the manifest names its engine (`engine:`), which will
 * pass its dialect here instead. */
int ldr_sqlfile_scan(const char *path, const char *display, int transactional,
		     ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	if (!display)
		display = path;
	int rc = ldr_sqlreader_open(&r, &ldr_dialect_sqlite, path, display,
				    diags);
	return ldr_sqlscan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_scan_fd(int fd, const char *display, int transactional,
			ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_fd(&r, &ldr_dialect_sqlite, fd, display,
				       diags);
	return ldr_sqlscan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_scan_mem(const char *data, size_t len, const char *display,
			 int transactional, ldr_sqlinfo *out,
			 ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_mem(&r, &ldr_dialect_sqlite, data, len,
					display, diags);
	return ldr_sqlscan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_checksum_fd(int fd, const char *display,
			    char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	/* The checksum never depends on the dialect: any reader will do. */
	int rc = ldr_sqlreader_open_fd(&r, &ldr_dialect_sqlite, fd, display,
				       diags);
	if (!rc) {
		/* Before any statement: the reader hashes without lexing. */
		ldr_sqlreader_checksum(r, hex);
		if (ldr_sqlreader_io_failed(r)) /* it has said why */
			rc = LADDER_EIO;
	}
	ldr_sqlreader_free(r);
	return rc;
}
