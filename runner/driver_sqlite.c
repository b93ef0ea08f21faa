/*
 * driver_sqlite.c — the SQLite driver's connection: opening read-only
 * (with an immutable view of an idle WAL database) or read-write (made on
 * first write), closing, transactions, running one statement of a
 * migration under the authorizer, and mapping SQLite's result codes to
 * LADDER_E* statuses and diagnostics. The bookkeeping table is in
 * sqlite_bookkeeping.c; the lock, step hooks, schema and backups in
 * sqlite_extras.c. SQLITE_* codes stop here; callers see LADDER_E*.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialect.h"
#include "driver_sqlite.h"
#include "ldrx.h"

/* The savepoint each step of a group runs in (group commit, driver.h). */
#define STEP_SAVEPOINT "ladder_step"

static int guard(void *arg, int action, const char *a, const char *b,
		 const char *db, const char *trigger);

/* SQLite's busy wait on ladder's own connection: up to the lock timeout,
 * like sqlite3_busy_timeout, but it gives up at once when the run is
 * interrupted, so Ctrl-C works while another program holds the lock. */
static int busy(void *arg, int count)
{
	ldr_conn *c = arg;
	int64_t now = ldrx_now_us();
	if (count == 0)
		c->busy_start_us = now;
	c->busy_waited_ms = (long)((now - c->busy_start_us) / 1000);
	if ((c->stop && *c->stop) || c->busy_waited_ms >= c->timeout_ms)
		return 0;
	long nap = count < 4 ? 1 : count < 10 ? 5 : 25;
	usleep((useconds_t)nap * 1000);
	return 1;
}

/* SQLite's progress handler while a migration's statement runs: a nonzero
 * return interrupts it. sqlite3_interrupt() alone misses a signal that
 * lands between two statements (nothing runs, and SQLite forgets it when
 * the next statement starts); the handle's stop flag does not. */
static int progress(void *arg)
{
	const ldr_conn *c = arg;
	return c->migrating && c->stop && *c->stop;
}

/* How many virtual machine steps between two looks at the stop flag. */
#define PROGRESS_OPS 1000

void ldr_sqlite_busy_handler(ldr_conn *c)
{
	sqlite3_busy_handler(c->db, busy, c);
}

/* Maps the connection's last error (an extended result code) to a status
 * and one diagnostic. A busy result is an interruption when the stop flag
 * ended the wait, and otherwise names the time actually waited. */
int ldr_sqlite_error(ldr_conn *c, ladder_diags *diags, const char *what)
{
	assert(c && what);
	int ext = c->db ? sqlite3_extended_errcode(c->db) : SQLITE_ERROR;
	int code = ext & 0xff;
	const char *msg = c->db ? sqlite3_errmsg(c->db) : "no database";
	long waited = c->busy_waited_ms;
	c->busy_waited_ms = 0;
	if (code == SQLITE_NOTADB) {
		ldr_error(diags, "not-a-database", c->path, 0, 0,
			  "'%s' is not a SQLite database", c->path);
		return LADDER_EDB;
	}
	if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && c->stop &&
	    *c->stop) {
		ldr_error(diags, "interrupted", c->path, 0, 0,
			  "%s: interrupted while waiting for the lock on '%s' "
			  "(another program holds it)",
			  what, c->path);
		return LADDER_EINTERRUPTED;
	}
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		ldr_error(diags, "lock-timeout", c->path, 0, 0,
			  "%s: the database stayed locked for %ld ms (%s)",
			  what, waited, msg);
		return LADDER_EDB;
	}
	if (code == SQLITE_INTERRUPT)
		return LADDER_EINTERRUPTED;
	if (code == SQLITE_FULL) {
		ldr_error(diags, "disk-full", c->path, 0, 0,
			  "%s: the disk holding '%s' is full (%s)", what,
			  c->path, msg);
		return LADDER_EDB;
	}
	if (code == SQLITE_IOERR) {
		ldr_error(diags, "io-error", c->path, 0, 0,
			  "%s: input/output error on '%s' (%s, code %d)", what,
			  c->path, msg, ext);
		return LADDER_EDB;
	}
	if (code == SQLITE_CORRUPT) {
		ldr_error(diags, "corrupt", c->path, 0, 0,
			  "%s: '%s' is corrupt (%s); restore it from a backup",
			  what, c->path, msg);
		return LADDER_EDB;
	}
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
int ldr_sqlite_run(ldr_conn *c, const char *sql, ladder_diags *diags,
		   const char *what)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return ldr_sqlite_error(c, diags, what);
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
	/* Sized to the path: a fixed buffer would cut a long one short and
	 * test another file. Out of memory reads as "not safe to view". */
	size_t n_path = strlen(path);
	char *side = malloc(n_path + 5);
	if (!side)
		return 0;
	memcpy(side, path, n_path);
	memcpy(side + n_path, "-wal", 5);
	int none = access(side, F_OK) != 0;
	memcpy(side + n_path, "-shm", 5);
	none = none && access(side, F_OK) != 0;
	free(side);
	return none;
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

char *ldr_sqlite_plain_name(const char *path)
{
	int dot = !strncmp(path, "file:", 5) || !strcmp(path, ":memory:");
	return sqlite3_mprintf("%s%s", dot ? "./" : "", path);
}

/* The one place that owns the durability of ladder's commits. A step
 * reported applied must survive a power cut in every journal mode, and
 * ladder never changes the database's journal_mode, so it sets the
 * synchronous level of its own connection to EXTRA:
 * - DELETE: the commit is the unlink of the journal; FULL does not sync
 *   the directory after it, so a power cut can bring the journal back
 *   and roll a reported step back. EXTRA syncs the directory.
 * - TRUNCATE, PERSIST: the commit is the journal's truncation or zeroed
 *   header, synced by FULL already.
 * - WAL: the commit is the WAL append and its sync (FULL; NORMAL would
 *   sync only at checkpoints). SQLite syncs the directory when it
 *   creates the -wal, as it does for every journal.
 * SQLite's EXTRA is FULL plus that one directory sync after an unlink, so
 * it is right in every mode and stays right if a migration switches the
 * journal mode. Set again before each of ladder's transactions, since a
 * `transaction: false` step may lower it. An adopted handle keeps the
 * application's setting. Proved by t730 and t731 (docs/guarantees.md). */
static int durable(ldr_conn *c, ladder_diags *diags)
{
	if (c->readonly || c->memory || c->adopted)
		return 0;
	return ldr_sqlite_run(c, "PRAGMA main.synchronous = EXTRA", diags,
			      "cannot set synchronous");
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
	/* A path is a path: never a URI, nor ":memory:". */
	char *name = c->memory || uri ? NULL : ldr_sqlite_plain_name(c->path);
	int rc = sqlite3_open_v2(c->memory ? ":memory:"
				 : uri	   ? uri
				 : name	   ? name
					   : "",
				 &c->db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
	if (!c->memory && !uri && !name && rc == SQLITE_OK)
		rc = SQLITE_NOMEM; /* "" would be a temporary database */
	sqlite3_free(uri);
	sqlite3_free(name);
	if (rc != SQLITE_OK) {
		ldr_error(diags, "database", c->path, 0, 0,
			  "cannot open '%s': %s", c->path,
			  c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3 *old = c->db;
		c->db = NULL; /* before the close: the signal handler reads it
			       */
		sqlite3_close(old);
		return LADDER_EDB;
	}
	sqlite3_extended_result_codes(c->db, 1);
	ldr_sqlite_busy_handler(c);
	sqlite3_set_authorizer(c->db, guard, c);
	c->fk_default = 1;
	if (!c->readonly && (sqlite3_exec(c->db, "PRAGMA foreign_keys = ON",
					  NULL, NULL, NULL) != SQLITE_OK ||
			     durable(c, NULL))) {
		rc = ldr_sqlite_error(c, diags, "cannot set up the connection");
		sqlite3 *old = c->db;
		c->db = NULL;
		sqlite3_close(old);
		return rc;
	}
	return 0;
}

/* A write open connects only when first needed, after the runner lock is
 * taken (up, down, baseline and repair lock first). A missing file is made
 * by the first write, so a command that refuses leaves nothing behind;
 * until then the database reads as empty, unless another runner made it
 * meanwhile. `create` says whether to make it now. */
int ldr_sqlite_materialize(ldr_conn *c, int create, ladder_diags *diags)
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
		       const char *schema, int mode, int timeout_ms,
		       ladder_diags *diags)
{
	(void)schema; /* the manifest refuses `schema:` with SQLite */
	assert(out && path && table);
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
	} else if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		/* SQLite opens no database through a symlink (NOFOLLOW):
		 * said the same by every command, a dangling one included
		 * (which would otherwise read as a fresh install). */
		ldr_error(diags, "database", path, 0, 0,
			  "cannot open '%s': it is a symbolic link; name the "
			  "database file itself",
			  path);
		rc = LADDER_EDB;
	} else if (stat(path, &st) != 0) {
		char *dir = errno == ENOENT ? ldr_path_dirname(path) : NULL;
		struct stat ds;
		if (dir && (stat(dir, &ds) || !S_ISDIR(ds.st_mode))) {
			/* No file can be made there: a fresh install
			 * reported as such would then fail in up. */
			ldr_error(diags, "database", path, 0, 0,
				  "cannot open '%s': its directory '%s' does "
				  "not exist",
				  path, dir);
			rc = LADDER_EDB;
		} else if (dir) {
			/* read-only: a fresh install, nothing recorded;
			 * write: made by the first write */
			c->deferred = !c->readonly;
		} else if (errno == ENOENT) {
			rc = LADDER_ENOMEM;
		} else {
			ldr_error(diags, "database", path, 0, 0,
				  "cannot open '%s': %s", path,
				  strerror(errno));
			rc = LADDER_EDB;
		}
		free(dir);
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
	 * step failed, or the disk did) goes, while the runner lock still
	 * keeps every other ladder from having opened it; with it any
	 * journal or WAL a failing disk left: an orphan journal would be
	 * replayed into a database later copied to this path. */
	if (c->created && !c->committed) {
		static const char *const side[] = {"", "-journal", "-wal",
						   "-shm"};
		char name[PATH_MAX];
		for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++)
			if (snprintf(name, sizeof(name), "%s%s", c->path,
				     side[i]) < (int)sizeof(name))
				unlink(name);
	}
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->path);
	free(c->table);
	free(c->dropping);
	ldr_buf_release(&c->kept_objects);
	free(c);
}

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
int ldr_sqlite_read_view(ldr_conn *c,
			 int (*fn)(ldr_conn *, void *, ladder_diags *),
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
	sqlite3 *old = c->db;
	c->db = NULL; /* before the close: the signal handler reads it */
	sqlite3_close(old);
	c->immutable = 0;
	c->no_immutable = 1;
	if ((rc = connect(c, 0, diags)))
		return rc;
	return fn(c, out, diags);
}

static int sqlite_begin(ldr_conn *c, ladder_diags *diags)
{
	assert(c && !c->ours); /* no nesting */
	int rc = ldr_sqlite_materialize(c, 1, diags);
	if (!rc)
		rc = durable(c, diags);
	if (rc)
		return rc;
	rc = ldr_sqlite_run(c, "BEGIN IMMEDIATE", diags,
			    "cannot start a transaction");
	c->ours = !rc;
	if (rc || c->table_ready)
		return rc;
	rc = ldr_sqlite_ensure_table(c, diags);
	if (rc) {
		ldr_sqlite_run(c, "ROLLBACK", NULL, "");
		c->ours = 0;
	}
	return rc;
}

static int sqlite_commit(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->db);
	int rc = ldr_sqlite_run(c, "COMMIT", diags, "cannot commit");
	c->ours = 0;
	if (rc) {
		ldr_sqlite_run(c, "ROLLBACK", NULL, "");
		c->table_made = 0;
		return rc;
	}
	if (c->table_made)
		c->table_ready = 1;
	c->committed = 1;
	return 0;
}

static void sqlite_rollback(ldr_conn *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->table_made = 0;
	c->ours = 0;
}

/* Group commit: each step of a group inside this savepoint of ladder's
 * transaction (driver.h). The guard keeps migrations off it. */
static int sqlite_savepoint(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->ours);
	return ldr_sqlite_run(c, "SAVEPOINT " STEP_SAVEPOINT, diags,
			      "cannot start a step");
}

/* A deferred foreign key a step left broken would fail the group's
 * COMMIT, taking the steps before it along: it fails the step here. */
static int sqlite_release(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->ours);
	int now = 0, high = 0;
	if (sqlite3_db_status(c->db, SQLITE_DBSTATUS_DEFERRED_FKS, &now, &high,
			      0) == SQLITE_OK &&
	    now) {
		ldr_error(diags, "foreign-key", c->path, 0, 0,
			  "a deferred foreign key constraint is broken at the "
			  "end of the step");
		return LADDER_EDB;
	}
	return ldr_sqlite_run(c, "RELEASE " STEP_SAVEPOINT, diags,
			      "cannot end a step");
}

static int sqlite_rollback_to(ldr_conn *c)
{
	assert(c);
	if (!c->db || sqlite3_get_autocommit(c->db))
		return LADDER_EDB;
	sqlite3_exec(c->db, "ROLLBACK TO " STEP_SAVEPOINT, NULL, NULL, NULL);
	sqlite3_exec(c->db, "RELEASE " STEP_SAVEPOINT, NULL, NULL, NULL);
	return sqlite3_get_autocommit(c->db) ? LADDER_EDB : 0;
}

/* Why the authorizer denied a migration's statement. */
enum { DENY_NONE, DENY_TX, DENY_JOURNAL, DENY_BOOKKEEPING };

/* Whether `name` (in schema `db`; NULL: any) is one of ladder's own tables
 * in the main database: the bookkeeping table or its attempts table. Sets
 * c->denied_alt to which. */
static int ours(ldr_conn *c, const char *name, const char *db)
{
	if (!name || (db && sqlite3_stricmp(db, "main")))
		return 0;
	size_t n = strlen(c->table);
	if (!sqlite3_strnicmp(name, c->table, (int)n) &&
	    (!name[n] || !sqlite3_stricmp(name + n, "_attempts"))) {
		c->denied_alt = name[n] != '\0';
		return 1;
	}
	return 0;
}

/* While a migration's statements run, SQLite's own parser decides what
 * they do. Inside ladder's transaction, transaction control (BEGIN,
 * COMMIT, ROLLBACK not to a savepoint), ATTACH and DETACH are denied
 * (SQLite refuses the last two there anyway); this holds even where
 * ladder's splitter and SQLite's tokenizer read a text differently. In any
 * migration, `PRAGMA journal_mode = OFF` or `MEMORY` (no rollback journal
 * on disk, so no later rollback) and any write to ladder's own tables in
 * the main database (rows, triggers, indexes, DROP, ALTER) are denied. */
static int guard(void *arg, int action, const char *a, const char *b,
		 const char *db, const char *trigger)
{
	(void)trigger;
	ldr_conn *c = arg;
	/* A DROP TABLE of a main table: checked before it runs
	 * (refuse_drop), as its ON DELETE actions may fire. */
	if (action == SQLITE_DROP_TABLE && c->watch_drop && a && db &&
	    !strcmp(db, "main") && !c->dropping)
		c->dropping = ldr_strdup(a);
	if (!c->migrating)
		return SQLITE_OK;
	int deny = DENY_NONE;
	switch (action) {
	case SQLITE_TRANSACTION:
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		if (c->guarded)
			deny = DENY_TX;
		break;
	case SQLITE_SAVEPOINT: /* a: the operation, b: the name */
		if (c->guarded && b && !sqlite3_stricmp(b, STEP_SAVEPOINT))
			deny = DENY_TX;
		break;
	case SQLITE_PRAGMA:
		if (a && b && !sqlite3_stricmp(a, "journal_mode") &&
		    (!sqlite3_stricmp(b, "off") ||
		     !sqlite3_stricmp(b, "memory"))) {
			deny = DENY_JOURNAL;
			c->denied_alt = !sqlite3_stricmp(b, "memory");
		}
		break;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
	case SQLITE_DROP_TABLE:
		if (ours(c, a, db))
			deny = DENY_BOOKKEEPING;
		break;
	case SQLITE_ALTER_TABLE: /* a: the schema, b: the table */
		if (ours(c, b, a))
			deny = DENY_BOOKKEEPING;
		break;
	case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_INDEX:
	case SQLITE_DROP_TRIGGER:
	case SQLITE_DROP_INDEX:
		if (ours(c, b, db))
			deny = DENY_BOOKKEEPING;
		break;
	case SQLITE_CREATE_TEMP_TRIGGER: /* may fire on a main table */
	case SQLITE_DROP_TEMP_TRIGGER:
		if (ours(c, b, NULL))
			deny = DENY_BOOKKEEPING;
		break;
	}
	if (deny == DENY_NONE)
		return SQLITE_OK;
	c->denied = deny;
	return SQLITE_DENY;
}

/* Runs one statement of a migration. The text is one statement as ladder
 * split it; if SQLite finds a second one in it, the two disagree about
 * where statements end, and nothing more of it runs. */
static int sqlite_in_transaction(ldr_conn *c)
{
	return c->db && !sqlite3_get_autocommit(c->db);
}

/* A DROP TABLE the authorizer saw (c->dropping): with foreign keys
 * enforced, SQLite first deletes the table's rows, which fires every
 * referencing table's ON DELETE action (CASCADE empties them, SET NULL
 * blanks them). Refused when rows would be touched, before any is; a
 * warning when neither side holds a row (a fresh install). */
static int refuse_drop(ldr_conn *c, const char *file, unsigned line,
		       unsigned column, int assume_on, ladder_diags *diags)
{
	char *table = c->dropping;
	c->dropping = NULL;
	if (!table)
		return 0;
	char on[8];
	ldr_sqlite_pragma(c, "foreign_keys", on, sizeof(on));
	sqlite3_stmt *st = NULL;
	ldr_buf with_rows = LDR_BUF_INIT, empty = LDR_BUF_INIT;
	int rc = 0;
	if (strcmp(on, "1") && !assume_on)
		goto out;
	if (sqlite3_prepare_v2(
		    c->db,
		    "SELECT DISTINCT m.name FROM main.sqlite_schema AS m, "
		    "pragma_foreign_key_list(m.name, 'main') AS f "
		    "WHERE m.type = 'table' AND f.\"table\" = ?1 COLLATE "
		    "NOCASE "
		    "AND m.name <> ?1 COLLATE NOCASE ORDER BY m.name",
		    -1, &st, NULL) != SQLITE_OK) {
		rc = ldr_sqlite_error(c, diags, "cannot read the foreign keys");
		goto out;
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = ldr_sqlite_text(st, 0);
		char *q = sqlite3_mprintf(
			"SELECT EXISTS (SELECT 1 FROM main.\"%w\")", name);
		sqlite3_stmt *has = NULL;
		int rows = q &&
			   sqlite3_prepare_v2(c->db, q, -1, &has, NULL) ==
				   SQLITE_OK &&
			   sqlite3_step(has) == SQLITE_ROW &&
			   sqlite3_column_int(has, 0);
		sqlite3_finalize(has);
		sqlite3_free(q);
		ldr_buf *to = rows ? &with_rows : &empty;
		ldr_buf_addf(to, "%s'%s'", to->len ? ", " : "", name);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		rc = ldr_sqlite_error(c, diags, "cannot read the foreign keys");
		goto out;
	}
	if (!with_rows.len && !empty.len)
		goto out;
	char *q = sqlite3_mprintf("SELECT EXISTS (SELECT 1 FROM main.\"%w\")",
				  table);
	int parent_rows = 0;
	if (q && sqlite3_prepare_v2(c->db, q, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		parent_rows = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_free(q);
	if (parent_rows && with_rows.len) {
		ldr_error(diags, "drop-referenced", file, line, column,
			  "DROP TABLE '%s' with foreign keys enforced would "
			  "delete its rows first and fire the ON DELETE "
			  "actions of %s, which refer to it (CASCADE deletes "
			  "their rows, SET NULL blanks them); nothing was run. "
			  "Rebuilding the table? Set 'foreign_keys: off' on "
			  "this migration",
			  table, with_rows.data);
		rc = LADDER_EREFUSED;
	} else {
		ldr_diag(diags, LADDER_SEV_WARNING, "drop-referenced", file,
			 line, column,
			 "DROP TABLE '%s' with foreign keys enforced, while "
			 "%s%s%s "
			 "refer to it: no row is touched here, but on a "
			 "database "
			 "with rows ladder refuses it; set 'foreign_keys: off' "
			 "on this migration",
			 table, with_rows.data ? with_rows.data : "",
			 with_rows.len && empty.len ? ", " : "",
			 empty.data ? empty.data : "");
	}
out:
	ldr_buf_release(&with_rows);
	ldr_buf_release(&empty);
	free(table);
	return rc;
}

/* Where the engine points, else where the statement starts. */
static void blame(ldr_conn *c, const char *sql, size_t len, unsigned *line,
		  unsigned *column)
{
	int off = sqlite3_error_offset(c->db);
	if (off >= 0 && (size_t)off < len)
		ldr_sql_position(sql, (size_t)off, *line, *column, line,
				 column);
	else
		*column = 0; /* the statement's line, as SPEC says */
}

/* Ends the guard sqlite_exec set up: every return path of it calls this,
 * so ladder's own statements after a refused one are never denied. */
static void unguard(ldr_conn *c)
{
	c->guarded = c->migrating = 0;
	sqlite3_progress_handler(c->db, 0, NULL, NULL);
	if (c->adopted)
		sqlite3_set_authorizer(c->db, NULL, NULL);
	free(c->dropping);
	c->dropping = NULL;
}

static int sqlite_exec(ldr_conn *c, const char *sql, size_t len,
		       const char *file, unsigned line, unsigned column,
		       ladder_diags *diags)
{
	assert(c && c->db && sql && file);
	sqlite3_stmt *st = NULL;
	const char *next = NULL, *end = sql + len;
	/* Inside ladder's own transaction means inside a transactional
	 * step; a `transaction: false` file may manage its own. An
	 * application's handle gets the guard only while its step runs. */
	c->guarded = c->ours;
	c->migrating = 1;
	sqlite3_progress_handler(c->db, PROGRESS_OPS, progress, c);
	c->denied = DENY_NONE;
	if (c->adopted)
		sqlite3_set_authorizer(c->db, guard, c);
	c->watch_drop = 1;
	int rc = sqlite3_prepare_v2(c->db, sql, (int)len, &st, &next);
	c->watch_drop = 0;
	if (rc == SQLITE_OK && st && next && next < end) {
		sqlite3_stmt *more = NULL;
		const char *rest = next;
		if (sqlite3_prepare_v2(c->db, rest, (int)(end - rest), &more,
				       NULL) != SQLITE_OK ||
		    more) {
			sqlite3_finalize(more);
			sqlite3_finalize(st);
			unguard(c);
			ldr_error(diags, "sql", file, line, 0,
				  "SQLite reads more than one statement where "
				  "ladder reads one; nothing of it was run "
				  "(a quote inside a $name(...) parameter?)");
			return LADDER_EINVALID;
		}
	}
	if (rc == SQLITE_OK && st && c->dropping) {
		int refused = refuse_drop(c, file, line, column, 0, diags);
		if (refused) {
			sqlite3_finalize(st);
			unguard(c);
			return refused;
		}
	}
	free(c->dropping);
	c->dropping = NULL;
	if (rc == SQLITE_OK && st) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	int code = sqlite3_extended_errcode(c->db) & 0xff;
	unguard(c);
	if (rc != SQLITE_OK) {
		/* The message belongs to the connection; read it before
		 * finalize can reset it. */
		if (code == SQLITE_INTERRUPT ||
		    ((code == SQLITE_BUSY || code == SQLITE_LOCKED) &&
		     c->stop && *c->stop)) {
			sqlite3_finalize(st);
			return LADDER_EINTERRUPTED;
		}
		blame(c, sql, len, &line, &column);
		const char *cls = code == SQLITE_FULL	   ? "disk-full"
				  : code == SQLITE_IOERR   ? "io-error"
				  : code == SQLITE_CORRUPT ? "corrupt"
							   : NULL;
		/* The disk, not the SQL, failed: name the database. */
		if (code == SQLITE_FULL)
			ldr_error(diags, cls, file, line, 0,
				  "the disk holding '%s' is full (%s)", c->path,
				  sqlite3_errmsg(c->db));
		else if (code == SQLITE_IOERR)
			ldr_error(diags, cls, file, line, 0,
				  "input/output error on '%s' (%s, code %d)",
				  c->path, sqlite3_errmsg(c->db),
				  sqlite3_extended_errcode(c->db));
		else if (cls)
			ldr_error(diags, cls, file, line, 0,
				  "'%s' is corrupt (%s); restore it from a "
				  "backup",
				  c->path, sqlite3_errmsg(c->db));
		else if (code == SQLITE_AUTH && c->denied == DENY_JOURNAL)
			ldr_error(diags, "journal-mode", file, line, 0,
				  LDR_SQLITE_JOURNAL_MODE_MSG,
				  c->denied_alt ? "MEMORY" : "OFF");
		else if (code == SQLITE_AUTH && c->denied == DENY_BOOKKEEPING)
			ldr_error(diags, "bookkeeping-write", file, line, 0,
				  "this statement changes '%s%s', ladder's "
				  "own bookkeeping; a migration may read it "
				  "but not change it",
				  c->table, c->denied_alt ? "_attempts" : "");
		else if (code == SQLITE_AUTH)
			ldr_error(
				diags, "tx-control", file, line, column,
				"transaction control, ATTACH or DETACH in a "
				"transactional migration; ladder wraps each "
				"migration in its own transaction (set "
				"'transaction: false' to manage it yourself)");
		else
			ldr_error(diags, "sql", file, line, column, "%s",
				  sqlite3_errmsg(c->db));
		sqlite3_finalize(st);
		return LADDER_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

static int sqlite_probe(ldr_conn *c, const char *sql, size_t len,
			const char *file, unsigned line, unsigned column,
			ladder_diags *diags)
{
	int rc = ldr_sqlite_materialize(c, 0, diags);
	if (rc || !c->db)
		return rc;
	sqlite3_stmt *st = NULL;
	if (c->adopted)
		sqlite3_set_authorizer(c->db, guard, c);
	c->watch_drop = 1;
	int ok = sqlite3_prepare_v2(c->db, sql, (int)len, &st, NULL) ==
		 SQLITE_OK;
	c->watch_drop = 0;
	if (c->adopted)
		sqlite3_set_authorizer(c->db, NULL, NULL);
	if (ok)
		/* a dry run's connection reads only; up's enforces them */
		rc = refuse_drop(c, file, line, column, !c->adopted, diags);
	free(c->dropping);
	c->dropping = NULL;
	sqlite3_finalize(st);
	return rc;
}

/* Wraps an application's open handle. Its settings are left as they are
 * (foreign keys included); the runner lock uses its main file. */
static int sqlite_adopt(ldr_conn **out, void *handle, const char *table,
			int timeout_ms, ladder_diags *diags)
{
	assert(out && handle && table);
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
	/* What step_restore() puts back: an unreadable setting is an error,
	 * not a guess. */
	int rc = 0;
	if (sqlite3_prepare_v2(h, "PRAGMA foreign_keys", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the foreign_keys setting");
	else
		c->fk_default = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc) {
		free(c->path);
		free(c->table);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
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
		return ldr_sqlite_error(c, diags, "cannot read");
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
		rc = ldr_sqlite_error(c, diags, "cannot read");
	sqlite3_finalize(st);
	return rc;
}

const struct ldr_driver ldr_driver_sqlite = {
	.name = "sqlite",
	.caps = LDR_CAP_FK_OFF | LDR_CAP_SCRATCH | LDR_CAP_BACKUP |
		LDR_CAP_TX_DDL,
	.open = sqlite_open,
	.adopt = sqlite_adopt,
	.close = sqlite_close,
	.lock = ldr_sqlite_lock,
	.on_wait = ldr_sqlite_on_wait,
	.read_applied = ldr_sqlite_read_applied,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.savepoint = sqlite_savepoint,
	.release = sqlite_release,
	.rollback_to = sqlite_rollback_to,
	.recorded = ldr_sqlite_recorded,
	.exec = sqlite_exec,
	.probe = sqlite_probe,
	.in_transaction = sqlite_in_transaction,
	.reset = ldr_sqlite_reset,
	.record = ldr_sqlite_record,
	.unrecord = ldr_sqlite_unrecord,
	.rechecksum = ldr_sqlite_rechecksum,
	.attempt = ldr_sqlite_attempt,
	.forget = ldr_sqlite_forget,
	.step_prepare = ldr_sqlite_step_prepare,
	.step_verify = ldr_sqlite_step_verify,
	.step_restore = ldr_sqlite_step_restore,
	.schema = ldr_sqlite_schema,
	.bookkeeping_sql = ldr_sqlite_bookkeeping_sql,
	.backup = ldr_sqlite_backup,
	.watch = sqlite_watch,
	.interrupt = sqlite_interrupt,
	.set_timeout = sqlite_set_timeout,
	.query = sqlite_query,
};
