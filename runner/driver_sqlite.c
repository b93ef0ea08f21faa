/*
 * driver_sqlite.c — the SQLite driver: opening read-only or read-write, the
 * bookkeeping table (create, adopt, refuse), the runner lock, transactions,
 * and running one statement at a time. SQLITE_* codes stop here; callers
 * see LADDER_E* statuses and diagnostics.
 */
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

/* The nullable columns ladder adds to a bookkeeping table it adopts. */
static const char *const extra_columns[][2] = {
	{"checksum", "TEXT"},
	{"checksum_algorithm", "TEXT"},
	{"duration_ms", "INTEGER"},
	{"ladder_version", "TEXT"},
};
#define N_EXTRA (sizeof(extra_columns) / sizeof(extra_columns[0]))

struct ldr_conn {
	sqlite3 *db; /* NULL for a read-only open of a missing file */
	char *path;
	char *table; /* a plain identifier, checked by the manifest */
	int timeout_ms;
	int readonly;
	int memory;	/* a fresh in-memory database: nothing to lock */
	int adopted;	/* the application's handle: never closed here */
	int fk_default; /* foreign_keys as the connection had it */
	int guarded;	/* a migration's statement runs in our transaction */
	int ours;	/* ladder's own transaction is open (begin..end) */
	int deferred;	/* a write open of a missing file: made on first
			 * write (see materialize) */
	int created;	/* this connection made the file */
	volatile sig_atomic_t *stop; /* the handle's interrupt flag */
	long busy_slept_ms;	     /* in the current busy wait */
	int immutable;	  /* read-only WAL database read as immutable */
	int no_immutable; /* ...which proved unsafe: read it normally */
	struct stat seen; /* the file when it was opened as immutable */
	int lock_fd;	  /* the runner lock; -1 when not held */
	int table_ready;  /* the table has every column (committed) */
	int table_made;	  /* ...made so by the open transaction */
	int has_column[N_EXTRA];
	sqlite3_stmt *q_recorded;
	sqlite3_stmt *q_insert;
};

static int guard(void *arg, int action, const char *a, const char *b,
		 const char *db, const char *trigger);

/* SQLite's busy wait on ladder's own connection: up to the lock timeout,
 * like sqlite3_busy_timeout, but it gives up at once when the run is
 * interrupted, so Ctrl-C works while another program holds the lock. */
static int busy(void *arg, int count)
{
	ldr_conn *c = arg;
	if (count == 0)
		c->busy_slept_ms = 0;
	if ((c->stop && *c->stop) || c->busy_slept_ms >= c->timeout_ms)
		return 0;
	long nap = count < 4 ? 1 : count < 10 ? 5 : 25;
	usleep((useconds_t)nap * 1000);
	c->busy_slept_ms += nap;
	return 1;
}

static int db_error(ldr_conn *c, ladder_diags *diags, const char *what)
{
	int code = c->db ? sqlite3_errcode(c->db) : SQLITE_ERROR;
	const char *msg = c->db ? sqlite3_errmsg(c->db) : "no database";
	if (code == SQLITE_NOTADB) {
		ldr_error(diags, "not-a-database", c->path, 0, 0,
			  "'%s' is not a SQLite database", c->path);
		return LADDER_EDB;
	}
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		ldr_error(diags, "lock-timeout", c->path, 0, 0,
			  "%s: the database stayed locked for %d ms (%s)", what,
			  c->timeout_ms, msg);
		return LADDER_EDB;
	}
	if (code == SQLITE_INTERRUPT)
		return LADDER_EINTERRUPTED;
	if (code == SQLITE_READONLY && c->readonly) {
		/* A hot journal: a write was cut off (a crash, kill -9) and
		 * only a read-write open can roll it back. */
		ldr_error(diags, "needs-recovery", c->path, 0, 0,
			  "'%s' holds a write that was cut off (a crash or "
			  "kill left its journal behind); a read-only command "
			  "cannot roll it back: run 'ladder up' or 'ladder "
			  "repair', or open the file read-write once with "
			  "sqlite3, then try again",
			  c->path);
		return LADDER_EDB;
	}
	ldr_error(diags, "database", c->path, 0, 0, "%s: %s", what, msg);
	return LADDER_EDB;
}

/* Runs SQL that returns no rows and has no parameters. */
static int run(ldr_conn *c, const char *sql, ladder_diags *diags,
	       const char *what)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(c, diags, what);
	return 0;
}

/* Opens the SQLite handle: read-only, read-write (creating the file when
 * `create`), or in memory; write connections enforce foreign keys, as
 * applications do (a `foreign_keys: off` step turns them off around
 * itself). */
/* Whether a read-only command must keep off SQLite's WAL side files: the
 * database is in WAL mode (header bytes 18 and 19 are 2) and has no -wal
 * or -shm, which SQLite's read-only open would create. */
static int wal_without_side_files(const char *path)
{
	unsigned char hdr[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	if (n != (ssize_t)sizeof(hdr) || hdr[18] != 2 || hdr[19] != 2)
		return 0;
	char side[4096];
	snprintf(side, sizeof(side), "%s-wal", path);
	if (access(side, F_OK) == 0)
		return 0;
	snprintf(side, sizeof(side), "%s-shm", path);
	return access(side, F_OK) != 0;
}

/* `path` as a file: URI with immutable=1 (caller frees with sqlite3_free).
 * Every byte outside the unreserved set is percent-encoded. */
static char *immutable_uri(const char *path)
{
	ldr_buf b = LDR_BUF_INIT;
	/* An absolute path gets an empty authority, so that one starting
	 * with "//" is not read as a host. */
	ldr_buf_add(&b, path[0] == '/' ? "file://" : "file:",
		    path[0] == '/' ? 7 : 5);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._-~", *p))
			ldr_buf_addc(&b, (char)*p);
		else
			ldr_buf_addf(&b, "%%%02X", *p);
	}
	ldr_buf_add(&b, "?immutable=1", 12);
	char *uri = b.data ? sqlite3_mprintf("%s", b.data) : NULL;
	ldr_buf_release(&b);
	return uri;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int connect(ldr_conn *c, int create, ladder_diags *diags)
{
	int flags = c->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (c->memory)
		flags |= SQLITE_OPEN_MEMORY | SQLITE_OPEN_CREATE;
	char *uri = NULL;
	/* A read-only look at a WAL database nobody has open: the main
	 * file alone, read as immutable, so no -wal or -shm is made. A
	 * writer that checkpoints into the file meanwhile is caught by the
	 * stat taken now and compared after the read (immutable_ok). */
	if (c->readonly && !c->no_immutable &&
	    wal_without_side_files(c->path) && !stat(c->path, &c->seen) &&
	    (uri = immutable_uri(c->path)))
		flags |= SQLITE_OPEN_URI;
	c->immutable = uri != NULL;
	int rc = sqlite3_open_v2(c->memory ? ":memory:"
				 : uri	   ? uri
					   : c->path,
				 &c->db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK) {
		ldr_error(diags, "database", c->path, 0, 0,
			  "cannot open '%s': %s", c->path,
			  c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		c->db = NULL;
		return LADDER_EDB;
	}
	sqlite3_extended_result_codes(c->db, 0);
	sqlite3_busy_handler(c->db, busy, c);
	sqlite3_set_authorizer(c->db, guard, c);
	c->fk_default = 1;
	if (!c->readonly && sqlite3_exec(c->db, "PRAGMA foreign_keys = ON",
					 NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(c, diags, "cannot enable foreign keys");
		sqlite3_close(c->db);
		c->db = NULL;
		return rc;
	}
	return 0;
}

/* A write open connects only when first needed, after the runner lock is
 * taken (up, down, baseline and repair lock first). A missing file is made
 * by the first write, so a command that refuses leaves nothing behind;
 * until then the database reads as empty, unless another runner made it
 * meanwhile. `create` says whether to make it now. */
static int materialize(ldr_conn *c, int create, ladder_diags *diags)
{
	if (c->db || !c->deferred)
		return 0;
	int exists = access(c->path, F_OK) == 0;
	if (!create && !exists)
		return 0;
	int rc = connect(c, create, diags);
	if (!rc) {
		c->deferred = 0;
		c->created = !exists;
	}
	return rc;
}

static int sqlite_open(ldr_conn **out, const char *path, const char *table,
		       int mode, int timeout_ms, ladder_diags *diags)
{
	*out = NULL;
	ldr_conn *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = ldr_strdup(path)) ||
	    !(c->table = ldr_strdup(table))) {
		if (c)
			free(c->path);
		free(c);
		return LADDER_ENOMEM;
	}
	c->lock_fd = -1;
	c->timeout_ms = timeout_ms;
	c->readonly = mode == LADDER_OPEN_READONLY;
	c->memory = mode == LADDER_OPEN_MEMORY;

	struct stat st;
	int rc = 0;
	if (c->memory) {
		rc = connect(c, 1, diags);
	} else if (stat(path, &st) != 0) {
		if (errno == ENOENT) {
			/* read-only: a fresh install, nothing recorded;
			 * write: made by the first write */
			c->deferred = !c->readonly;
		} else {
			ldr_error(diags, "database", path, 0, 0,
				  "cannot open '%s': %s", path,
				  strerror(errno));
			rc = LADDER_EDB;
		}
	} else if (!S_ISREG(st.st_mode)) {
		ldr_error(diags, "database", path, 0, 0,
			  "'%s' is not a regular file", path);
		rc = LADDER_EDB;
	} else if (c->readonly) {
		rc = connect(c, 0, diags);
	} else {
		c->deferred = 1; /* connected under the runner lock */
	}
	if (rc) {
		free(c->path);
		free(c->table);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void sqlite_close(ldr_conn *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->q_recorded);
	sqlite3_finalize(c->q_insert);
	if (!c->adopted)
		sqlite3_close(c->db);
	/* A file this connection made and never committed to (its first
	 * step failed) goes, while the runner lock still keeps every other
	 * ladder from having opened it. */
	struct stat st;
	if (c->created && !stat(c->path, &st) && st.st_size == 0)
		unlink(c->path);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->path);
	free(c->table);
	free(c);
}

/* The runner lock is flock() on the database's directory. Not on the
 * file itself: POSIX drops every fcntl() lock a process holds on a file
 * when any descriptor of that file is closed, so a descriptor of our own
 * would, on close, silently unlock SQLite connections the application
 * still has open. A directory descriptor touches none of that, and flock()
 * locks are apart from SQLite's byte locks. The price: runners of two
 * databases in one directory take turns. */
static int sqlite_lock(ldr_conn *c, volatile sig_atomic_t *stop,
		       ladder_diags *diags)
{
	if (c->lock_fd >= 0 || c->memory)
		return 0;
	char *dir = ldr_path_dirname(c->path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd < 0) {
		ldr_error(diags, "database", c->path, 0, 0,
			  "cannot open the directory of '%s': %s", c->path,
			  strerror(errno));
		free(dir);
		return LADDER_EIO;
	}
	free(dir);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long nap_us = 1000;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			ldr_error(diags, "database", c->path, 0, 0,
				  "cannot lock '%s': %s", c->path,
				  strerror(errno));
			close(fd);
			return LADDER_EIO;
		}
		if (*stop) {
			ldr_error(diags, "interrupted", c->path, 0, 0,
				  "interrupted while waiting for another "
				  "ladder's lock; nothing was done");
			close(fd);
			return LADDER_EINTERRUPTED;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited_ms = (now.tv_sec - start.tv_sec) * 1000 +
				 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited_ms >= c->timeout_ms) {
			ldr_error(diags, "lock-timeout", c->path, 0, 0,
				  "another ladder holds the lock on '%s'; "
				  "gave up after %d ms",
				  c->path, c->timeout_ms);
			close(fd);
			return LADDER_EDB;
		}
		usleep((useconds_t)nap_us);
		if (nap_us < 50000)
			nap_us *= 2;
	}
	c->lock_fd = fd;
	return 0;
}

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
		return db_error(c, diags, "cannot read the schema");
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
		return db_error(c, diags, "cannot read the schema");
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

static char *column_text(sqlite3_stmt *st, int i)
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
		return db_error(c, diags, what);
	int n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		sqlite3_bind_int64(st, 1, id);
	if (n >= 2)
		sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(c, diags, what);
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_unrecord(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	return run_bound(c, "DELETE FROM \"%w\" WHERE id = ?1", id, NULL, NULL,
			 diags, "cannot delete the migration's row");
}

static int sqlite_rechecksum(ldr_conn *c, int64_t id, const char *checksum,
			     ladder_diags *diags)
{
	return run_bound(c,
			 "UPDATE \"%w\" SET checksum = ?2, "
			 "checksum_algorithm = ?3 WHERE id = ?1",
			 id, checksum, LDR_CHECKSUM_ALGORITHM, diags,
			 "cannot record the checksum");
}

static int sqlite_attempt(ldr_conn *c, const ldr_record *rec,
			  const char *reason, ladder_diags *diags)
{
	int rc = run_bound(c,
			   "CREATE TABLE IF NOT EXISTS \"%w_attempts\" (\n"
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
				 "UPDATE \"%w_attempts\" SET reason = ?2 "
				 "WHERE id = ?1",
				 rec->id, reason, NULL, diags,
				 "cannot note the failure");
	return run_bound(c,
			 "INSERT OR REPLACE INTO \"%w_attempts\" "
			 "(id, name, started_at) VALUES (?1, ?2, "
			 "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
			 rec->id, rec->name, NULL, diags,
			 "cannot note the attempt");
}

/* Whether the table `<table><suffix>` exists in the main schema. */
static int has_table(ldr_conn *c, const char *suffix)
{
	char *name = sqlite3_mprintf("%s%s", c->table, suffix);
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (name && sqlite3_prepare_v2(c->db,
				       "SELECT 1 FROM main.sqlite_schema WHERE "
				       "type = 'table' AND name = ?1",
				       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	sqlite3_free(name);
	return found;
}

static int sqlite_forget(ldr_conn *c, int64_t id, ladder_diags *diags)
{
	if (!has_table(c, "_attempts"))
		return 0;
	return run_bound(c, "DELETE FROM \"%w_attempts\" WHERE id = ?1", id,
			 NULL, NULL, diags, "cannot clear the attempt");
}

/* The unfinished non-transactional steps, if any were ever noted. */
static int read_attempts(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	if (!has_table(c, "_attempts"))
		return 0;
	char *text = sqlite3_mprintf("SELECT id, started_at, reason, name "
				     "FROM \"%w_attempts\" ORDER BY id",
				     c->table);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (!text)
		return LADDER_ENOMEM;
	if (sqlite3_prepare_v2(c->db, text, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(c, diags, "cannot read the attempts table");
		goto out;
	}
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		ldr_failed *p =
			realloc(out->failed, (out->nfailed + 1) * sizeof(*p));
		if (!p) {
			rc = LADDER_ENOMEM;
			break;
		}
		out->failed = p;
		const char *at = column_text(st, 1), *why = column_text(st, 2);
		const char *name = column_text(st, 3);
		p[out->nfailed] = (ldr_failed){
			.id = sqlite3_column_int64(st, 0),
			.name = ldr_strdup(name ? name : ""),
			.started_at = ldr_strdup(at ? at : ""),
			.reason = ldr_strdup(why),
		};
		out->nfailed++;
	}
out:
	sqlite3_finalize(st);
	sqlite3_free(text);
	return rc;
}

static int read_rows(ldr_conn *c, ldr_rows *out, ladder_diags *diags);

/* Whether an immutable view still shows the file as it is: the file is
 * the one stat saw at open, and no writer has made the WAL side files. */
static int view_still_valid(const ldr_conn *c)
{
	struct stat now;
	return !stat(c->path, &now) && same_file(&now, &c->seen) &&
	       wal_without_side_files(c->path);
}

/* Runs a read, `fn(c, out, diags)`. On an immutable view the read goes to
 * scratch diagnostics first. If a writer touched the file meanwhile (the
 * view may then be torn, and a read may even fail on it), the view is
 * dropped, `reset(out)` clears what the first read produced, and the read
 * runs again on the database opened the ordinary way (SQLite then makes
 * its side files, which the writer made anyway). A read that failed on an
 * untouched view failed for real: its diagnostics are kept. */
static int read_view(ldr_conn *c, int (*fn)(ldr_conn *, void *, ladder_diags *),
		     void (*reset)(void *), void *out, ladder_diags *diags)
{
	if (!c->immutable)
		return fn(c, out, diags);
	ladder_diags *scratch = NULL;
	if (ladder_diags_new(&scratch))
		return LADDER_ENOMEM;
	int rc = fn(c, out, scratch);
	if (view_still_valid(c)) {
		for (size_t i = 0; i < ladder_diags_count(scratch); i++) {
			const ladder_diag *d = ladder_diags_get(scratch, i);
			ldr_diag(diags, d->severity, d->code, d->file, d->line,
				 d->column, "%s", d->message);
		}
		ladder_diags_free(scratch);
		return rc;
	}
	ladder_diags_free(scratch);
	reset(out);
	sqlite3_close(c->db);
	c->db = NULL;
	c->immutable = 0;
	c->no_immutable = 1;
	if ((rc = connect(c, 0, diags)))
		return rc;
	return fn(c, out, diags);
}

static int read_rows_fn(ldr_conn *c, void *out, ladder_diags *diags)
{
	return read_rows(c, out, diags);
}

static void reset_rows(void *out)
{
	ldr_rows *rows = out;
	ldr_rows_release(rows);
	rows->table_exists = 0;
}

static int sqlite_read_applied(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	out->table_exists = 0;
	int made = materialize(c, 0, diags);
	if (made || !c->db)
		return made;
	return read_view(c, read_rows_fn, reset_rows, out, diags);
}

/* The rows and the failed-step notes, from an open database. */
static int read_rows(ldr_conn *c, ldr_rows *out, ladder_diags *diags)
{
	int exists, core, extra[N_EXTRA];
	ldr_buf found = LDR_BUF_INIT, sql = LDR_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = table_columns(c, &exists, &core, extra, &found, diags);
	if (rc || !exists)
		goto out;
	if (!core) {
		rc = refuse_foreign(c, &found, diags);
		goto out;
	}
	out->table_exists = 1;
	ldr_buf_addf(&sql,
		     "SELECT id, typeof(id), name, applied_at, %s, %s "
		     "FROM \"%s\" ORDER BY id",
		     extra[0] ? "checksum" : "NULL",
		     extra[1] ? "checksum_algorithm" : "NULL", c->table);
	if (!sql.data) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(c, diags, "cannot read the bookkeeping table");
		goto out;
	}
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
			ldr_error(diags, "foreign-table", c->path, 0, 0,
				  "table '%s' holds an id that is not an "
				  "integer ('%s', of type %s)",
				  c->table,
				  column_text(st, 0) ? column_text(st, 0)
						     : "NULL",
				  column_text(st, 1));
			rc = LADDER_EFOREIGN;
			goto out;
		}
		const char *name = column_text(st, 2);
		const char *at = column_text(st, 3);
		if (ldr_rows_push(out, sqlite3_column_int64(st, 0),
				  name ? name : "", at ? at : "",
				  column_text(st, 4), column_text(st, 5))) {
			rc = LADDER_ENOMEM;
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_error(c, diags, "cannot read the bookkeeping table");
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
		int rc = materialize(c, 0, diags);
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
			     "CREATE TABLE IF NOT EXISTS \"%s\" (\n"
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
				ldr_buf_addf(sql,
					     "ALTER TABLE \"%s\" ADD COLUMN "
					     "%s %s;\n",
					     c->table, extra_columns[i][0],
					     extra_columns[i][1]);
	}
out:
	ldr_buf_release(&found);
	return rc;
}

/* Inside the write transaction: the table made ladder's. */
static int ensure_table(ldr_conn *c, ladder_diags *diags)
{
	ldr_buf sql = LDR_BUF_INIT;
	int rc = table_sql(c, &sql, diags);
	if (!rc && sql.len)
		rc = run(c, sql.data, diags,
			 "cannot create the bookkeeping table");
	if (!rc)
		c->table_made = 1;
	ldr_buf_release(&sql);
	return rc;
}

static int sqlite_begin(ldr_conn *c, ladder_diags *diags)
{
	int rc = materialize(c, 1, diags);
	if (rc)
		return rc;
	rc = run(c, "BEGIN IMMEDIATE", diags, "cannot start a transaction");
	c->ours = !rc;
	if (rc || c->table_ready)
		return rc;
	rc = ensure_table(c, diags);
	if (rc) {
		run(c, "ROLLBACK", NULL, "");
		c->ours = 0;
	}
	return rc;
}

static int sqlite_commit(ldr_conn *c, ladder_diags *diags)
{
	int rc = run(c, "COMMIT", diags, "cannot commit");
	c->ours = 0;
	if (rc) {
		run(c, "ROLLBACK", NULL, "");
		c->table_made = 0;
		return rc;
	}
	if (c->table_made)
		c->table_ready = 1;
	return 0;
}

static void sqlite_rollback(ldr_conn *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->table_made = 0;
	c->ours = 0;
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
	return rc == SQLITE_OK ? 0 : db_error(c, diags, "cannot prepare");
}

static int sqlite_recorded(ldr_conn *c, int64_t id, int *is_recorded,
			   int64_t *max_id, ladder_diags *diags)
{
	int rc = cached(c, &c->q_recorded,
			"SELECT EXISTS(SELECT 1 FROM \"%w\" WHERE id = ?1), "
			"(SELECT coalesce(max(id), 0) FROM \"%w\")",
			diags);
	if (rc)
		return rc;
	sqlite3_bind_int64(c->q_recorded, 1, id);
	if (sqlite3_step(c->q_recorded) != SQLITE_ROW) {
		rc = db_error(c, diags, "cannot read the bookkeeping table");
	} else {
		*is_recorded = sqlite3_column_int(c->q_recorded, 0);
		*max_id = sqlite3_column_int64(c->q_recorded, 1);
	}
	sqlite3_reset(c->q_recorded);
	return rc;
}

/* While a migration's statements run inside ladder's transaction, SQLite's
 * own parser decides what is transaction control: BEGIN, COMMIT and
 * ROLLBACK (not to a savepoint) are denied, as are ATTACH and DETACH,
 * which SQLite refuses there anyway. This holds even where ladder's
 * splitter and SQLite's tokenizer read a text differently. */
static int guard(void *arg, int action, const char *a, const char *b,
		 const char *db, const char *trigger)
{
	(void)a;
	(void)b;
	(void)db;
	(void)trigger;
	const ldr_conn *c = arg;
	if (!c->guarded)
		return SQLITE_OK;
	return action == SQLITE_TRANSACTION || action == SQLITE_ATTACH ||
			       action == SQLITE_DETACH
		       ? SQLITE_DENY
		       : SQLITE_OK;
}

/* Runs one statement of a migration. The text is one statement as ladder
 * split it; if SQLite finds a second one in it, the two disagree about
 * where statements end, and nothing more of it runs. */
static int sqlite_exec(ldr_conn *c, const char *sql, size_t len,
		       const char *file, unsigned line, ladder_diags *diags)
{
	sqlite3_stmt *st = NULL;
	const char *next = NULL, *end = sql + len;
	/* Inside ladder's own transaction means inside a transactional
	 * step; a `transaction: false` file may manage its own. An
	 * application's handle gets the guard only while its step runs. */
	c->guarded = c->ours;
	if (c->adopted)
		sqlite3_set_authorizer(c->db, guard, c);
	int rc = sqlite3_prepare_v2(c->db, sql, (int)len, &st, &next);
	if (rc == SQLITE_OK && st && next && next < end) {
		sqlite3_stmt *more = NULL;
		const char *rest = next;
		if (sqlite3_prepare_v2(c->db, rest, (int)(end - rest), &more,
				       NULL) != SQLITE_OK ||
		    more) {
			sqlite3_finalize(more);
			sqlite3_finalize(st);
			c->guarded = 0;
			if (c->adopted)
				sqlite3_set_authorizer(c->db, NULL, NULL);
			ldr_error(diags, "sql", file, line, 0,
				  "SQLite reads more than one statement where "
				  "ladder reads one; nothing of it was run "
				  "(a quote inside a $name(...) parameter?)");
			return LADDER_EINVALID;
		}
	}
	if (rc == SQLITE_OK && st) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	int code = sqlite3_errcode(c->db);
	c->guarded = 0;
	if (c->adopted)
		sqlite3_set_authorizer(c->db, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* The message belongs to the connection; read it before
		 * finalize can reset it. */
		if (code == SQLITE_INTERRUPT) {
			sqlite3_finalize(st);
			return LADDER_EINTERRUPTED;
		}
		if (code == SQLITE_AUTH)
			ldr_error(
				diags, "tx-control", file, line, 0,
				"transaction control, ATTACH or DETACH in a "
				"transactional migration; ladder wraps each "
				"migration in its own transaction (set "
				"'transaction: false' to manage it yourself)");
		else
			ldr_error(diags, "sql", file, line, 0, "%s",
				  sqlite3_errmsg(c->db));
		sqlite3_finalize(st);
		return LADDER_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

static int sqlite_record(ldr_conn *c, const ldr_record *rec,
			 ladder_diags *diags)
{
	int rc = cached(c, &c->q_insert,
			"INSERT INTO \"%w\" (id, name, applied_at, checksum, "
			"checksum_algorithm, duration_ms, ladder_version) "
			"VALUES (?1, ?2, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', "
			"'now'), ?3, ?4, ?5, ?6)",
			diags);
	if (rc)
		return rc;
	sqlite3_stmt *st = c->q_insert;
	sqlite3_bind_int64(st, 1, rec->id);
	sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec->checksum, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, LDR_CHECKSUM_ALGORITHM, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, rec->duration_ms);
	sqlite3_bind_text(st, 6, LADDER_VERSION, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(c, diags, "cannot record the migration");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Off, or (on = 1) back to what the connection had. */
static int sqlite_foreign_keys(ldr_conn *c, int on, ladder_diags *diags)
{
	int rc = materialize(c, 1, diags);
	if (rc)
		return rc;
	return run(c,
		   on && c->fk_default ? "PRAGMA foreign_keys = ON"
				       : "PRAGMA foreign_keys = OFF",
		   diags, "cannot set foreign_keys");
}

/* Wraps an application's open handle. Its settings are left as they are
 * (foreign keys included); the runner lock uses its main file. */
static int sqlite_adopt(ldr_conn **out, void *handle, const char *table,
			int timeout_ms, ladder_diags *diags)
{
	*out = NULL;
	sqlite3 *h = handle;
	const char *file = sqlite3_db_filename(h, "main");
	ldr_conn *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = ldr_strdup(file && *file ? file : "(memory)")) ||
	    !(c->table = ldr_strdup(table))) {
		if (c)
			free(c->path);
		free(c);
		return LADDER_ENOMEM;
	}
	c->db = h;
	c->adopted = 1;
	c->memory = !file || !*file;
	c->readonly = sqlite3_db_readonly(h, "main") == 1;
	c->lock_fd = -1;
	c->timeout_ms = timeout_ms;
	sqlite3_stmt *st = NULL;
	c->fk_default = 0;
	if (sqlite3_prepare_v2(h, "PRAGMA foreign_keys", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		c->fk_default = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	(void)diags;
	*out = c;
	return 0;
}

/* Reports each violation PRAGMA foreign_key_check finds (the first 20,
 * then a count). */
static int sqlite_foreign_key_check(ldr_conn *c, const char *file,
				    ladder_diags *diags)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "PRAGMA main.foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(c, diags, "cannot check foreign keys");
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ >= 20)
			continue;
		const char *table = column_text(st, 0);
		const char *parent = column_text(st, 2);
		ldr_error(diags, "foreign-key", file, 0, 0,
			  "foreign key broken: a row of '%s' (rowid %lld) "
			  "refers to a missing row of '%s'",
			  table ? table : "?",
			  (long long)sqlite3_column_int64(st, 1),
			  parent ? parent : "?");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(c, diags, "cannot check foreign keys");
	if (n > 20)
		ldr_error(diags, "foreign-key", file, 0, 0,
			  "... and %ld more broken foreign keys", n - 20);
	return n ? LADDER_EREFUSED : 0;
}

static int schema_fn(ldr_conn *c, void *arg, ladder_diags *diags)
{
	ldr_buf *out = arg;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(
		    c->db,
		    "SELECT sql FROM main.sqlite_schema"
		    " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' "
		    "ESCAPE '\\'"
		    "   AND tbl_name NOT IN (?1, ?1 || '_attempts')"
		    " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1"
		    "   WHEN 'index' THEN 2 ELSE 3 END, name",
		    -1, &st, NULL) != SQLITE_OK)
		return db_error(c, diags, "cannot read the schema");
	sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sql = column_text(st, 0);
		/* Each line with its trailing blanks trimmed. */
		for (const char *p = sql; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			size_t k = n;
			while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' ||
				     p[k - 1] == '\r'))
				k--;
			ldr_buf_add(out, p, k);
			if (!nl)
				break;
			ldr_buf_addc(out, '\n');
			p = nl + 1;
		}
		ldr_buf_add(out, ";\n", 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(c, diags, "cannot read the schema");
	return 0;
}

static void reset_buf(void *out)
{
	ldr_buf_reset(out);
}

static int sqlite_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	int rc = materialize(c, 0, diags);
	if (rc || !c->db)
		return rc;
	return read_view(c, schema_fn, reset_buf, out, diags);
}

/* VACUUM INTO reads in one transaction, so the copy is consistent even
 * with other writers about; it refuses to write over a file. The copy is
 * then opened on its own and must pass integrity_check. */
static int sqlite_backup(ldr_conn *c, const char *path,
			 char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	int made = materialize(c, 1, diags);
	if (made)
		return made;
	if (access(path, F_OK) == 0) {
		ldr_error(diags, "backup", path, 0, 0,
			  "'%s' already exists; ladder never writes over a "
			  "file",
			  path);
		return LADDER_EREFUSED;
	}
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(c->db, "VACUUM INTO ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(c, diags, "cannot back up");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(c, diags, "cannot back up");
	sqlite3_finalize(st);
	if (rc)
		return rc;

	sqlite3 *copy = NULL;
	const char *verdict = NULL;
	if (sqlite3_open_v2(path, &copy, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(copy, "PRAGMA integrity_check", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		verdict = (const char *)sqlite3_column_text(st, 0);
	if (!verdict || strcmp(verdict, "ok")) {
		ldr_error(diags, "backup", path, 0, 0,
			  "the backup '%s' fails integrity_check: %s", path,
			  verdict ? verdict : sqlite3_errmsg(copy));
		rc = LADDER_EDB;
	}
	sqlite3_finalize(st);
	sqlite3_close(copy);
	if (!rc && !SHA256File(path, hex)) {
		ldr_error(diags, "backup", path, 0, 0, "cannot read '%s': %s",
			  path, strerror(errno));
		rc = LADDER_EIO;
	}
	return rc;
}

static int table_sql_fn(ldr_conn *c, void *out, ladder_diags *diags)
{
	return table_sql(c, out, diags);
}

static int sqlite_bookkeeping_sql(ldr_conn *c, ldr_buf *out,
				  ladder_diags *diags)
{
	if (!c->db)
		return table_sql(c, out, diags);
	/* Into a buffer of its own, so a retry redoes only this part and
	 * keeps the caller's text. */
	ldr_buf mine = LDR_BUF_INIT;
	int rc = read_view(c, table_sql_fn, reset_buf, &mine, diags);
	if (!rc && mine.len)
		rc = ldr_buf_add(out, mine.data, mine.len);
	ldr_buf_release(&mine);
	return rc;
}

static void sqlite_interrupt(ldr_conn *c)
{
	if (c && c->db)
		sqlite3_interrupt(c->db);
}

/* The wait for the runner lock, and SQLite's busy timeout on ladder's own
 * connection; an application's handle keeps the busy timeout it has. */
static void sqlite_set_timeout(ldr_conn *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms; /* busy() and the lock wait read it */
}

static void sqlite_watch(ldr_conn *c, volatile sig_atomic_t *stop)
{
	c->stop = stop;
}

/* adopt's reader of another tool's table. */
static int sqlite_query(ldr_conn *c, const char *sql,
			int (*fn)(void *ctx, int ncol, const char *const *col),
			void *ctx, ladder_diags *diags)
{
	sqlite3_stmt *st = NULL;
	if (!c->db)
		return 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(c, diags, "cannot read");
	int rc = 0, step;
	int n = sqlite3_column_count(st);
	const char *cols[16];
	if (n > 16)
		n = 16;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		rc = fn(ctx, n, cols);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(c, diags, "cannot read");
	sqlite3_finalize(st);
	return rc;
}

const struct ldr_driver ldr_driver_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.adopt = sqlite_adopt,
	.close = sqlite_close,
	.lock = sqlite_lock,
	.read_applied = sqlite_read_applied,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.recorded = sqlite_recorded,
	.exec = sqlite_exec,
	.record = sqlite_record,
	.unrecord = sqlite_unrecord,
	.rechecksum = sqlite_rechecksum,
	.attempt = sqlite_attempt,
	.forget = sqlite_forget,
	.foreign_keys = sqlite_foreign_keys,
	.foreign_key_check = sqlite_foreign_key_check,
	.schema = sqlite_schema,
	.bookkeeping_sql = sqlite_bookkeeping_sql,
	.backup = sqlite_backup,
	.watch = sqlite_watch,
	.interrupt = sqlite_interrupt,
	.set_timeout = sqlite_set_timeout,
	.query = sqlite_query,
};
