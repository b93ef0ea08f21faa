/*
 * driver_sqlite.h — what the three rooms of the SQLite driver share, and
 * nothing else includes: the connection's state and the helpers each room
 * calls in another. driver_sqlite.c: the connection (read-only or WAL
 * view, deferred create, close), transactions, running a statement and the
 * authorizer, the error mapping. sqlite_bookkeeping.c: the bookkeeping
 * table (columns, adopt or refuse, DDL, rows, attempts, record).
 * sqlite_extras.c: the runner lock, the step hooks (foreign keys), the
 * schema and backups.
 */
#ifndef LADDER_DRIVER_SQLITE_H
#define LADDER_DRIVER_SQLITE_H

/* How many connection settings ldr_sqlite_reset() keeps (sqlite_extras.c's
 * kept_pragmas, which a static assert holds to this). */
#define LDR_SQLITE_KEPT 27

#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>

#include "driver.h"

struct ldr_conn {
	sqlite3 *db; /* NULL for a read-only open of a missing file */
	char *path;
	char *table; /* a plain identifier, checked by the manifest */
	int timeout_ms;
	int readonly;
	int memory;	/* a fresh in-memory database: nothing to lock */
	int adopted;	/* the application's handle: never closed here */
	int fk_default; /* foreign_keys as the connection had it */
	int fk_off_now; /* step_prepare() turned them off */
	int guarded;	/* a migration's statement runs in our transaction */
	int migrating;	/* a migration's statement is being prepared/run */
	int denied;	/* why the authorizer denied it (driver_sqlite.c) */
	int denied_alt; /* ...of two: <table>_attempts, not <table>;
			 * journal_mode MEMORY, not OFF */
	int ours;	/* ladder's own transaction is open (begin..end) */
	int deferred;	/* a write open of a missing file: made on first
			 * write (see ldr_sqlite_materialize) */
	int created;	/* this connection made the file */
	int committed;	/* ...and committed to it at least once */
	volatile sig_atomic_t *stop; /* the handle's interrupt flag */
	int64_t busy_start_us;	     /* when the current busy wait began */
	long busy_waited_ms;	     /* ...and how long it has lasted */
	int immutable;		/* read-only WAL database read as immutable */
	int no_immutable;	/* ...which proved unsafe: read it normally */
	struct stat seen;	/* the file when it was opened as immutable */
	int lock_fd;		/* the runner lock; -1 when not held */
	ladder_wait_fn wait_fn; /* called when lock() starts waiting */
	void *wait_ctx;
	int table_ready; /* the table has every column (committed) */
	int table_made;	 /* ...made so by the open transaction */
	sqlite3_stmt *q_recorded;
	sqlite3_stmt *q_insert;
	/* the settings every step starts from (ldr_sqlite_reset) */
	int snapped;
	char kept[LDR_SQLITE_KEPT][24];
	/* ...read and checked after each step with these statements,
	 * prepared once (sqlite_extras.c) */
	sqlite3_stmt *q_kept[LDR_SQLITE_KEPT];
	sqlite3_stmt *q_like, *q_temp, *q_attached;
	int unsettled; /* the authorizer saw a PRAGMA, ATTACH, DETACH or a
			* TEMP object made since the last reset */
	ldr_buf kept_objects; /* TEMP objects and attachments found then */
	int watch_drop;	      /* exec/probe: note a DROP TABLE ... */
	char *dropping;	      /* ...of this main table */
};

/* driver_sqlite.c */

/* Maps the connection's last error to a LADDER_E* status and reports it
 * (`what` starts the message). */
int ldr_sqlite_error(ldr_conn *c, ladder_diags *diags, const char *what);
/* Runs SQL that returns no rows and has no parameters. */
int ldr_sqlite_run(ldr_conn *c, const char *sql, ladder_diags *diags,
		   const char *what);
/* Connects a deferred write open (making the file when `create`). */
int ldr_sqlite_materialize(ldr_conn *c, int create, ladder_diags *diags);
/* Runs a read, retried on an ordinary open when a writer touched an
 * immutable view meanwhile. */
int ldr_sqlite_read_view(ldr_conn *c,
			 int (*fn)(ldr_conn *, void *, ladder_diags *),
			 void (*reset)(void *), void *out, ladder_diags *diags);

/* (Re)installs the busy handler that makes waits interruptible. */
void ldr_sqlite_busy_handler(ldr_conn *c);

/* sqlite_bookkeeping.c */

/* Column `i` of the current row as text, NULL for NULL. */
char *ldr_sqlite_text(sqlite3_stmt *st, int i);
/* Inside the write transaction: the bookkeeping table made ladder's. */
int ldr_sqlite_ensure_table(ldr_conn *c, ladder_diags *diags);
int ldr_sqlite_read_applied(ldr_conn *c, ldr_rows *out, ladder_diags *diags);
int ldr_sqlite_recorded(ldr_conn *c, int64_t id, int *is_recorded,
			int64_t *max_id, ladder_diags *diags);
int ldr_sqlite_record(ldr_conn *c, const ldr_record *rec, ladder_diags *diags);
int ldr_sqlite_unrecord(ldr_conn *c, int64_t id, ladder_diags *diags);
int ldr_sqlite_rechecksum(ldr_conn *c, int64_t id, const char *checksum,
			  ladder_diags *diags);
int ldr_sqlite_attempt(ldr_conn *c, const ldr_record *rec, const char *reason,
		       ladder_diags *diags);
int ldr_sqlite_forget(ldr_conn *c, int64_t id, ladder_diags *diags);
int ldr_sqlite_bookkeeping_sql(ldr_conn *c, ldr_buf *out, ladder_diags *diags);

/* sqlite_extras.c */

void ldr_sqlite_on_wait(ldr_conn *c, ladder_wait_fn fn, void *ctx);
int ldr_sqlite_lock(ldr_conn *c, volatile sig_atomic_t *stop,
		    ladder_diags *diags);
int ldr_sqlite_step_prepare(ldr_conn *c, const ladder_migration *mig,
			    ladder_diags *diags);
int ldr_sqlite_step_verify(ldr_conn *c, const ladder_migration *mig,
			   const char *file, ladder_diags *diags);
int ldr_sqlite_step_restore(ldr_conn *c, const ladder_migration *mig,
			    ladder_diags *diags);
/* ldr_buf_reset() with the signature ldr_sqlite_read_view() wants. */
void ldr_sqlite_reset_buf(void *out);
int ldr_sqlite_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags);
int ldr_sqlite_backup(ldr_conn *c, const char *wanted, char **written,
		      char hex[LDR_CHECKSUM_HEX], ladder_diags *diags);
/* Whether the file at `path` is a SQLite database that passes
 * integrity_check: 0, or LADDER_EDB and a `backup` diagnostic. A copy
 * that fails is never reported verified. */
int ldr_sqlite_verify_copy(const char *path, ladder_diags *diags);
/* `path` as SQLite must be handed it to open that very file: a relative
 * path it would read as a URI ("file:...", where URIs are enabled, as in
 * many builds) or as a private in-memory database (":memory:") gets "./"
 * in front. NULL when out of memory; free with sqlite3_free(). */
char *ldr_sqlite_plain_name(const char *path);

/* sqlite_extras.c: the connection state each step starts from */

/* PRAGMA `name`'s value as text into `out` ("" when it gives none). */
int ldr_sqlite_pragma(ldr_conn *c, const char *name, char *out, size_t cap);
int ldr_sqlite_reset(ldr_conn *c, int snapshot, ladder_diags *diags);

#endif
