/*
 * driver.h — the database boundary: a small table of functions each driver
 * fills. SQLite is the one driver today (driver_sqlite.c, with
 * sqlite_bookkeeping.c and sqlite_extras.c); another plugs in by providing
 * a `struct ldr_driver` and a scheme in db.c, without touching plan.c or
 * migrate.c. The contracts below are what plan.c and migrate.c rely on;
 * a driver that cannot keep one must not claim to be a driver.
 */
#ifndef LADDER_DRIVER_H
#define LADDER_DRIVER_H

#include <signal.h>
#include <stdint.h>

#include "dialect.h"
#include "internal.h"

/* One row of the bookkeeping table. Strings are owned by the row. */
typedef struct ldr_row {
	int64_t id;
	char *name;
	char *applied_at;
	char *checksum;		  /* NULL when none was recorded */
	char *checksum_algorithm; /* NULL when none was recorded */
} ldr_row;

/* A `transaction: false` step that started and never finished. */
typedef struct ldr_failed {
	int64_t id;
	char *name;
	char *started_at;
	char *reason; /* NULL when the process died without saying */
} ldr_failed;

/* The rows, sorted by id, and the unfinished non-transactional steps. */
struct ldr_import_tool;
typedef struct ldr_rows {
	ldr_row *items;
	size_t count;
	size_t cap;
	int table_exists;
	int unmanaged; /* no bookkeeping table, but tables of its own */
	char *own;     /* when unmanaged: one of them ("public.users") for
			* the message, or NULL */
	/* ...and the tool (import.h) whose bookkeeping table that is, when
	 * it is one (the driver names such a table first), or NULL */
	const struct ldr_import_tool *own_tool;
	ldr_failed *failed;
	size_t nfailed;
} ldr_rows;

void ldr_rows_release(ldr_rows *rows);
int ldr_rows_push(ldr_rows *rows, int64_t id, const char *name,
		  const char *applied_at, const char *checksum,
		  const char *algorithm);

/* What a step hands the driver to record. */
typedef struct ldr_record {
	int64_t id;
	const char *name;
	const char *checksum;
	int64_t duration_ms;
	const char *applied_at; /* RFC 3339 UTC; NULL: now (ldrx_utc_now) */
	/* What the row's ladder_version says (adopt: "0.1.0 adopted from
	 * TOOL"); NULL: LADDER_VERSION. Only record() reads it. */
	const char *ladder_version;
} ldr_record;

typedef struct ldr_conn ldr_conn;

/* What a driver can do beyond the contracts every driver keeps: the
 * LDR_CAP_* bits of dialect.h (one list for both). */

/* Every function returns 0 or a negative LADDER_E* status and reports the
 * details into `diags` (which may be NULL: then nothing is reported).
 * `conn` is the driver's own state. Passing NULL for `conn`, `out` or a
 * string the member needs is a programmer error (assert). A wait the
 * driver makes (lock, begin, a busy statement) ends with
 * LADDER_EINTERRUPTED and an `interrupted` diagnostic as soon as the flag
 * given to watch() is set. */
struct ldr_driver {
	const char *name;
	unsigned caps; /* enum ldr_cap */
	/* `schema`: where the bookkeeping tables live (the manifest's
	 * `schema:`), NULL for the driver's default; SQLite has none. */
	int (*open)(ldr_conn **out, const char *path, const char *table,
		    const char *schema, int mode, int timeout_ms,
		    ladder_diags *diags);
	/* Wraps a handle the application opened (for SQLite, a sqlite3 *);
	 * close() then leaves the handle open. */
	int (*adopt)(ldr_conn **out, void *handle, const char *table,
		     int timeout_ms, ladder_diags *diags);
	void (*close)(ldr_conn *conn);
	/* Contract: takes the runner lock, which excludes every other ladder
	 * (any process) from write commands on this database; waits at most
	 * the lock timeout (then LADDER_EDB, `lock-timeout`); returns
	 * LADDER_EINTERRUPTED (`interrupted`) as soon as `*stop` is set; is
	 * released by close() or by the death of the process, never left
	 * behind. Taking it twice on one connection is a no-op. */
	int (*lock)(ldr_conn *conn, volatile sig_atomic_t *stop,
		    ladder_diags *diags);
	/* The recorded rows; a missing table gives none. Refuses a table of
	 * another shape with LADDER_EFOREIGN. */
	int (*read_applied)(ldr_conn *conn, ldr_rows *out, ladder_diags *diags);
	/* Contract: starts ladder's write transaction. When it returns 0, no
	 * other ladder can record a row until commit() or rollback() (so a
	 * re-check with recorded() inside it is race-free), and the
	 * bookkeeping table exists with every column. A wait for another
	 * program's lock is bounded as for lock(), and ends with
	 * LADDER_EINTERRUPTED when the watched flag is set. */
	int (*begin)(ldr_conn *conn, ladder_diags *diags);
	/* Contract: makes the transaction durable, or fails and leaves
	 * nothing of it. It is not ended by the watched flag: after an
	 * interruption it still commits what finished. */
	int (*commit)(ldr_conn *conn, ladder_diags *diags);
	void (*rollback)(ldr_conn *conn);
	/* Group commit: consecutive steps share one transaction, each inside
	 * its own savepoint. Contract: savepoint() (inside ladder's
	 * transaction) opens the step's savepoint, and first puts back the
	 * connection state a reset() asked for, as begin() does. release()
	 * ends it keeping the step's work in the transaction; it reports
	 * any failure of the step's statements the driver still held
	 * queued (attributed to file and line, as exec() says), and then
	 * the savepoint is still open. rollback_to() undoes everything
	 * since savepoint() and ends the savepoint, keeping the earlier
	 * steps' work; it is not ended by the watched flag. It returns 0
	 * when ladder's transaction still stands, else LADDER_EDB: the
	 * engine (SQLite, on some errors) rolled back the whole
	 * transaction, and nothing of the group is kept. A migration's
	 * statements cannot end, release or roll back to the step's
	 * savepoint (exec() refuses it as `tx-control`). Steps in a group
	 * are transactional and never `foreign_keys: off`: step_verify()
	 * is called for each inside its savepoint, before release();
	 * step_prepare() and step_restore() are not called for them. */
	int (*savepoint)(ldr_conn *conn, ladder_diags *diags);
	int (*release)(ldr_conn *conn, ladder_diags *diags);
	int (*rollback_to)(ldr_conn *conn);
	/* Inside a transaction: is `id` recorded, and the highest recorded id
	 * (0 when none). */
	int (*recorded)(ldr_conn *conn, int64_t id, int *is_recorded,
			int64_t *max_id, ladder_diags *diags);
	/* Contract: runs exactly one statement, and refuses text that holds
	 * two (`sql`, LADDER_EINVALID, nothing of it run). `sql` holds
	 * `len` bytes and one more that may be read (the NUL after a
	 * statement the reader returns, or any byte of a longer string). Inside
	 * ladder's transaction it refuses anything that ends or nests that
	 * transaction (`tx-control`). An error names `file:line[:column]`.
	 * A driver MAY queue the statement and report its failure at
	 * commit(), still attributed to its file and line: callers must not
	 * assume that an error comes back from exec() itself. SQLite: the
	 * error names the token the engine blames; a DROP TABLE of a table
	 * other tables reference while foreign keys are enforced is refused
	 * before any row is touched (their ON DELETE actions would fire). */
	int (*exec)(ldr_conn *conn, const char *sql, size_t len,
		    const char *file, unsigned line, unsigned column,
		    ladder_diags *diags);
	/* A dry run's look at one statement: what exec would refuse before
	 * running it (the DROP TABLE above), against the database as it is;
	 * nothing runs, and a statement that cannot be prepared yet (it
	 * needs what an earlier statement makes) passes. */
	int (*probe)(ldr_conn *conn, const char *sql, size_t len,
		     const char *file, unsigned line, unsigned column,
		     ladder_diags *diags);
	/* Whether a transaction is open on the connection (a `transaction:
	 * false` file's own BEGIN). */
	int (*in_transaction)(ldr_conn *conn);
	/* The connection state every step starts from. `snapshot` 1: remember
	 * the settings as they are now (before a run's first step); 0: put
	 * them back, and drop what a step left in the TEMP schema and any
	 * database it attached, so that no step sees another's connection
	 * state. */
	int (*reset)(ldr_conn *conn, int snapshot, ladder_diags *diags);
	int (*record)(ldr_conn *conn, const ldr_record *rec,
		      ladder_diags *diags);
	/* Deletes the row of `id` (down). */
	int (*unrecord)(ldr_conn *conn, int64_t id, ladder_diags *diags);
	/* Sets the row's checksum to `checksum` (repair). */
	int (*rechecksum)(ldr_conn *conn, int64_t id, const char *checksum,
			  ladder_diags *diags);
	/* Inside a transaction: notes that a non-transactional step starts
	 * (`reason` NULL), or why it failed; forget() clears the note. The
	 * note lives in "<table>_attempts", made on first use. */
	int (*attempt)(ldr_conn *conn, const ldr_record *rec,
		       const char *reason, ladder_diags *diags);
	int (*forget)(ldr_conn *conn, int64_t id, ladder_diags *diags);
	/* The hooks around each step that is not a dry run, called at fixed
	 * points whatever the step holds; the driver decides from `mig` what
	 * they do (SQLite: a `foreign_keys: off` step gets its table-rebuild
	 * procedure; anything else, nothing). step_prepare(): outside any
	 * transaction, before the step's transaction (--atomic: once per
	 * step, before the one transaction). step_verify(): inside the
	 * transaction, before commit; problems are reported against `file`
	 * and refuse the commit (LADDER_EREFUSED); `mig` NULL verifies every
	 * step prepared since the last restore (--atomic). step_restore():
	 * after the step, outside any transaction, also when it failed;
	 * undoes what step_prepare() did (`mig` NULL: all of it). */
	int (*step_prepare)(ldr_conn *conn, const ladder_migration *mig,
			    ladder_diags *diags);
	int (*step_verify)(ldr_conn *conn, const ladder_migration *mig,
			   const char *file, ladder_diags *diags);
	int (*step_restore)(ldr_conn *conn, const ladder_migration *mig,
			    ladder_diags *diags);
	/* The schema without the bookkeeping tables, as ladder_schema
	 * describes it, appended to `out`. */
	int (*schema)(ldr_conn *conn, ldr_buf *out, ladder_diags *diags);
	/* Appends the DDL that makes the bookkeeping table ladder's on this
	 * database (for export); refuses another tool's table. */
	int (*bookkeeping_sql)(ldr_conn *conn, ldr_buf *out,
			       ladder_diags *diags);
	/* LDR_CAP_BACKUP. Outside any transaction: a consistent snapshot of
	 * the database at `wanted`, or (NULL or empty) at a path the driver
	 * chooses, never over an existing file; verified before it is
	 * reported; *written (malloc'd, caller frees) names it and `hex` is
	 * its SHA-256. A copy that fails verification is an error, never
	 * reported as written. */
	int (*backup)(ldr_conn *conn, const char *wanted, char **written,
		      char hex[LDR_CHECKSUM_HEX], ladder_diags *diags);
	/* The flag ladder_db_interrupt sets, for waits the driver makes. */
	void (*watch)(ldr_conn *conn, volatile sig_atomic_t *stop);
	/* Contract: safe in a signal handler; stops the statement running
	 * now, if any. Later work is stopped by the watched flag, not by
	 * this: work that must still be done after an interruption (the
	 * replay of a group the engine rolled back whole, migrate.c) runs
	 * once that flag is cleared (ldr_db_resume). SQLite
	 * (sqlite3_interrupt) reaches no statement that starts after the
	 * one it stopped ended. PostgreSQL (a cancel request) can, when
	 * the request reaches the server after its statement ended: that
	 * next statement then fails as interrupted, never half done. */
	void (*interrupt)(ldr_conn *conn);
	void (*set_timeout)(ldr_conn *conn, int timeout_ms);
	/* Optional (NULL: never called): `fn` is called once, at once, when
	 * lock() starts waiting for another runner's lock, with the holder's
	 * pid (0 when unknown). */
	void (*on_wait)(ldr_conn *conn, ladder_wait_fn fn, void *ctx);
	/* Runs one statement of ladder's own (adopt reads another tool's
	 * table, and may drop it) outside the migration guard exec()
	 * applies, calling `fn` per row with its columns as text (NULL for
	 * SQL NULL; PostgreSQL's text output: booleans "t"/"f"); `fn`
	 * returns 0 to go on, else that status stops the query and is
	 * returned. A missing database has no rows. Inside ladder's
	 * transaction it runs in it (PostgreSQL: after what the pipeline
	 * holds, which it sends); it must not write ladder's own tables
	 * (record() does: on PostgreSQL a write of another kind there is
	 * refused as `bookkeeping-write` at the next record()). */
	int (*query)(ldr_conn *conn, const char *sql,
		     int (*fn)(void *ctx, int ncol, const char *const *col),
		     void *ctx, ladder_diags *diags);
	/* Optional (NULL: none; the manifest refuses the keys on such an
	 * engine). Inside ladder's transaction, after the re-check and
	 * before the step's statements: the step's `lock_timeout` and
	 * `statement_timeout` (ladder_migration) for the rest of the
	 * transaction, with no round trip of its own; a step that sets
	 * neither gets the connection's own values (what an earlier step of
	 * the same transaction set does not reach it). */
	int (*step_limits)(ldr_conn *conn, const ladder_migration *mig,
			   ladder_diags *diags);
	/* Optional (NULL: nothing is). After a failed transactional step,
	 * rolled back: whether its failure was one that the same step, run
	 * again from the start, may not meet (PostgreSQL: a migration's
	 * statement's lock timeout, 55P03, or deadlock, 40P01); never after
	 * an interruption or a lost connection. begin() clears it. */
	int (*retryable)(ldr_conn *conn);
	/* Optional (NULL: none). The rule of the connected server that a
	 * step's statements must keep beyond the dialect's, which knows no
	 * server (PostgreSQL before 12: no ALTER TYPE ... ADD VALUE in a
	 * transaction). Returns 1 and fills *hook with the check of one
	 * statement of a step that is `transactional` (valid until the next
	 * call), or 0 when this server has none. Called before anything
	 * runs. */
	int (*server_rules)(ldr_conn *conn, int transactional,
			    ldr_scan_hook *hook);
	/* Optional (NULL: never). After a step finished inside a group's
	 * transaction: whether what it did must be committed before a later
	 * step may use it (PostgreSQL: an enum value ALTER TYPE ... ADD
	 * VALUE added is unusable until its transaction commits, 55P04); the
	 * group then commits after this step. */
	int (*commit_before_next)(ldr_conn *conn);
	/* Optional (NULL: never). After a step failed inside a group's
	 * transaction and was rolled back to its savepoint: whether it failed
	 * only because it shares that transaction with the steps before it
	 * (PostgreSQL: 55P04, an enum value an earlier step added, used
	 * before its commit); never after an interruption or a lost
	 * connection. The group then commits the steps before it, and the
	 * step runs again from the start in a transaction of its own, its
	 * failure forgotten. begin() clears it. */
	int (*own_transaction)(ldr_conn *conn);
};

extern const struct ldr_driver ldr_driver_sqlite;
#ifdef LADDER_HAVE_PG
extern const struct ldr_driver ldr_driver_pg; /* driver_pg.c */
#endif

/* A database handle: the driver, its connection, and the interrupt flag
 * that a signal handler may set. */
struct ladder_db {
	const struct ldr_driver *drv;
	ldr_conn *conn;
	char *display; /* the path, as diagnostics name it */
	char *shown;   /* the target as given, without a password */
	volatile sig_atomic_t interrupted;
	/* How many times ladder_db_interrupt was called (from 1 again past
	 * SIG_ATOMIC_MAX): ldr_db_resume tells a further call by it. */
	volatile sig_atomic_t interrupts;
};

/* db.c. For work that must be done although an interruption stopped the
 * run (the steps of a group SQLite rolled back with the interrupted one):
 * clears db->interrupted, so that the interruptions so far do not stop
 * that work and a further ladder_db_interrupt() (a signal that lands
 * during the call or after it) does. Returns whether the flag was set;
 * the caller sets it again once the work is done. Not for a signal
 * handler. */
int ldr_db_resume(ladder_db *db);

#endif
