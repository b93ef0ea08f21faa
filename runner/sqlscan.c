/*
 * sqlscan.c — the rules about a migration file that need no database, in
 * any dialect: it holds at least one statement, and a transactional one
 * holds nothing the dialect classifies as transaction control, as needing
 * no transaction or as a no-op inside one; nothing the dialect refuses
 * outright, transaction or not. The wording comes from the dialect.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialect.h"
#include "sha256.h"

void ldr_sql_position(const char *sql, size_t off, unsigned line,
		      unsigned column, unsigned *at_line, unsigned *at_column)
{
	*at_line = line;
	*at_column = column;
	for (size_t i = 0; i < off && sql[i]; i++) {
		if (sql[i] == '\n') {
			(*at_line)++;
			*at_column = 1;
		} else {
			(*at_column)++;
		}
	}
}

int ldr_sqlscan(ldr_sqlreader *r, int rc, const char *display, int scan,
		ldr_sqlinfo *out, ladder_diags *diags)
{
	return ldr_sqlscan_hooked(r, rc, display, scan, out, diags, NULL);
}

/* ------------------------------------------------------------- kept -- */

/* One kept statement: where its text starts in `text`, its length, and
 * where it starts in the file. */
struct kept_stmt {
	size_t off, len;
	unsigned line, column;
};

struct ldr_sqlkept {
	ldr_buf text; /* every statement, each followed by a NUL */
	struct kept_stmt *stmts;
	size_t n, cap;
	size_t used; /* bytes counted against the budget */
};

void ldr_sqlkept_free(ldr_sqlkept *k)
{
	if (!k)
		return;
	ldr_buf_release(&k->text);
	free(k->stmts);
	free(k);
}

/* Keeps one statement while the budget allows; past it, drops all it kept
 * (*k NULL: the run reads the file again). LADDER_ENOMEM or 0. */
static int keep_stmt(ldr_sqlkept **k, size_t budget, const char *sql,
		     size_t len, unsigned line, unsigned column)
{
	ldr_sqlkept *kp = *k;
	size_t cost = len + 1 + sizeof(struct kept_stmt);
	if (kp->used + cost > budget) {
		ldr_sqlkept_free(kp);
		*k = NULL;
		return 0;
	}
	if (kp->n == kp->cap) {
		size_t cap = kp->cap ? 2 * kp->cap : 16;
		struct kept_stmt *s = realloc(kp->stmts, cap * sizeof(*s));
		if (!s)
			return LADDER_ENOMEM;
		kp->stmts = s;
		kp->cap = cap;
	}
	size_t off = kp->text.len;
	if (ldr_buf_add(&kp->text, sql, len) || ldr_buf_addc(&kp->text, '\0'))
		return LADDER_ENOMEM;
	kp->stmts[kp->n++] = (struct kept_stmt){off, len, line, column};
	kp->used += cost;
	return 0;
}

int ldr_sqlkept_next(const ldr_sqlkept *k, size_t *i, const char **sql,
		     size_t *len, unsigned *line, unsigned *column)
{
	if (*i >= k->n)
		return 0;
	const struct kept_stmt *s = &k->stmts[(*i)++];
	*sql = k->text.data + s->off;
	*len = s->len;
	*line = s->line;
	*column = s->column;
	return 1;
}

size_t ldr_sqlkept_size(const ldr_sqlkept *k)
{
	return k ? k->used : 0;
}

/* The scan itself; with `kept`, the statements are kept too. */
static int scan_file(ldr_sqlreader *r, int rc, const char *display, int scan,
		     ldr_sqlinfo *out, ladder_diags *diags,
		     const ldr_scan_hook *hook, size_t budget,
		     ldr_sqlkept **kept)
{
	size_t count = 0;
	int invalid = 0, transactional = scan & LDR_SCAN_TX;
	void *syntax = NULL;
	ldr_buf msg = LDR_BUF_INIT;
	const struct ldr_dialect *d = NULL;
	if (out)
		memset(out, 0, sizeof(*out));
	if (rc)
		goto out;
	d = ldr_sqlreader_dialect(r);
	/* A scan only for the rules (up's check of what it is about to run)
	 * need not hash: the run hashes what it executes. */
	if (!out)
		ldr_sqlreader_no_hash(r);

	const char *sql;
	size_t len;
	unsigned line, col;
	if (kept && !(*kept = calloc(1, sizeof(**kept)))) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	while ((rc = ldr_sqlreader_next(r, &sql, &len, &line, &col)) == 1) {
		count++;
		if (kept && *kept &&
		    (rc = keep_stmt(kept, budget, sql, len, line, col)))
			goto out;
		const char *what, *code;
		size_t off = SIZE_MAX;
		ldr_buf_reset(&msg);
		if (hook) {
			int h = hook->stmt(hook->ctx, sql, len, line, col,
					   display, diags);
			if (h == LADDER_ENOMEM) {
				rc = h;
				goto out;
			}
			invalid |= h == 1;
			if (h)
				continue;
		}
		if (d->syntax && (scan & LDR_SCAN_SYNTAX)) {
			int bad = d->syntax(&syntax, sql, len, &off, &msg);
			if (bad == LADDER_ENOMEM) {
				rc = bad;
				goto out;
			}
			if (bad) {
				unsigned l = line, c = col;
				if (off != SIZE_MAX)
					ldr_sql_position(sql, off, line, col,
							 &l, &c);
				invalid = 1;
				ldr_error(diags, "sql-syntax", display, l, c,
					  "%s", msg.data);
				continue;
			}
		}
		ldr_stmt_kind kind = d->classify(sql, len, &what);
		if (kind == LDR_STMT_PLAIN ||
		    (!transactional && kind != LDR_STMT_REFUSED))
			continue;
		if (kind == LDR_STMT_NOOP_IN_TX && (scan & LDR_SCAN_FK_OFF)) {
			/* drizzle-kit's rebuild: what the entry already does */
			ldr_diag(
				diags, LADDER_SEV_NOTE,
				"pragma-foreign-keys-kept", display, line, col,
				"'%s' in a 'foreign_keys: off' step does "
				"nothing: ladder turns foreign keys off around "
				"the step and checks them before its commit",
				what);
			continue;
		}
		invalid = 1;
		ldr_buf_reset(&msg);
		if ((rc = d->explain(&msg, kind, what, &code)))
			goto out;
		ldr_error(diags, code, display, line, col, "%s", msg.data);
	}
	if (rc == 0 && count == 0) {
		/* A revert that needs nothing, a step emptied on purpose: it
		 * runs, changes nothing and is recorded. A file-wide note,
		 * named at its first line; validate --strict fails on it. */
		ldr_diag(diags, LADDER_SEV_WARNING, "sql-empty", display, 1, 0,
			 "'%s' holds no SQL statement; the step changes "
			 "nothing",
			 display);
	}
	if (out) {
		out->statements = count;
		ldr_sqlreader_checksum(r, out->checksum);
	}
	if (rc == 0 && invalid)
		rc = LADDER_EINVALID;
out:
	if (syntax)
		d->syntax_end(syntax);
	ldr_buf_release(&msg);
	/* A read error met after the last statement (or a scan that
	 * failed) keeps nothing. */
	if (kept && (rc || ldr_sqlreader_io_failed(r))) {
		ldr_sqlkept_free(*kept);
		*kept = NULL;
	}
	ldr_sqlreader_free(r);
	return rc;
}

int ldr_sqlscan_hooked(ldr_sqlreader *r, int rc, const char *display, int scan,
		       ldr_sqlinfo *out, ladder_diags *diags,
		       const ldr_scan_hook *hook)
{
	return scan_file(r, rc, display, scan, out, diags, hook, 0, NULL);
}

int ldr_sqlscan_keep(ldr_sqlreader *r, int rc, const char *display, int scan,
		     ldr_sqlinfo *out, ladder_diags *diags,
		     const ldr_scan_hook *hook, size_t budget,
		     ldr_sqlkept **kept)
{
	assert(kept);
	*kept = NULL;
	return scan_file(r, rc, display, scan, out, diags, hook, budget, kept);
}

/* SQLite's until the manifest names its engine (`engine:`), which will
 * pass its dialect here instead. */
int ldr_sqlfile_scan(const char *path, const char *display, int scan,
		     ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	if (!display)
		display = path;
	int rc = ldr_sqlreader_open(&r, &ldr_dialect_sqlite, path, display,
				    diags);
	return ldr_sqlscan(r, rc, display, scan, out, diags);
}

int ldr_sqlfile_scan_fd(int fd, const char *display, int scan, ldr_sqlinfo *out,
			ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_fd(&r, &ldr_dialect_sqlite, fd, display,
				       diags);
	return ldr_sqlscan(r, rc, display, scan, out, diags);
}

int ldr_sqlfile_scan_mem(const struct ldr_dialect *dialect, const char *data,
			 size_t len, const char *display, int scan,
			 ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_mem(&r, dialect, data, len, display, diags);
	return ldr_sqlscan(r, rc, display, scan, out, diags);
}

int ldr_sqlfile_checksum_fd(int fd, const char *display,
			    char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	/* What a reader's checksum is (sqlreader.c), without a reader: a
	 * leading UTF-8 BOM left out, CR LF hashed as LF. The first chunk
	 * holds three bytes unless the file is shorter, as the reader's. */
	unsigned char buf[65536];
	ldr_sha256 sha;
	ldr_sha256_init(&sha);
	int cr = 0, first = 1, rc = 0;
	for (;;) {
		size_t have = 0, want = first ? 3 : 1;
		while (have < want) {
			ssize_t n = read(fd, buf + have, sizeof(buf) - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ldr_error(diags, "file", display, 0, 0,
					  "cannot read '%s': %s", display,
					  strerror(errno));
				rc = LADDER_EIO;
				goto out;
			}
			if (n == 0)
				break;
			have += (size_t)n;
		}
		if (!have)
			break;
		const unsigned char *p = buf;
		if (first && have >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
			p += 3;
			have -= 3;
		}
		first = 0;
		ldr_hash_lf(&sha, &cr, p, have);
	}
	if (cr)
		ldr_sha256_update(&sha, "\r", 1);
	ldr_sha256_hex(&sha, hex);
out:
	close(fd);
	return rc;
}
