/*
 * Changed 2026-11-29, after the first commit (66f18bd): ldr_pg_send()
 * added (queue a write of ladder's own in the open pipeline); struct
 * ldr_conn gained `invalid_before` (the step hooks); struct ldr_pg_queued
 * gained `column` (exec's new argument, after merging main), struct
 * ldr_conn `reset_pending` (the reset member). Nothing else changed.
 *
 * driver_pg.h — what the rooms of the PostgreSQL driver share, and nothing
 * else includes: the connection's state and the helpers one room calls in
 * another.
 *
 *   driver_pg.c        the connection (libpq), the target without its
 *                      password, the runner lock (a session advisory lock,
 *                      polled), transactions (BEGIN + a transaction-scoped
 *                      advisory lock), running a migration's statements
 *                      (extended protocol, pipelined inside a transaction),
 *                      cancel, the error mapping (SQLSTATE, position ->
 *                      FILE:LINE:COLUMN), the step hooks (nothing to do)
 *   pg_bookkeeping.c   the bookkeeping table: shape (ladder's, adopted
 *                      three-column, or another tool's), DDL, rows,
 *                      attempts, record
 *   pg_extras.c        the schema dump, backups through pg_dump, export's
 *                      bookkeeping DDL
 *
 * Every name ladder writes is quoted and schema-qualified (qtable,
 * qattempts) and every function ladder calls is pg_catalog-qualified, so
 * neither a search_path nor objects a migration creates can capture
 * ladder's own SQL.
 */
#ifndef LADDER_DRIVER_PG_H
#define LADDER_DRIVER_PG_H

#include <signal.h>
#include <stdint.h>

#include "driver.h"
#include "pg_lazy.h"

/* The advisory lock keys (two-int form): class, then a hash of the
 * qualified table name, so two ladders on one database with two tables do
 * not exclude each other. RUN is the session lock lock() takes; STEP the
 * transaction-scoped lock begin() takes. */
#define LDR_PG_LOCK_RUN	 0x6c647201 /* "ldr" 1 */
#define LDR_PG_LOCK_STEP 0x6c647202 /* "ldr" 2 */

/* One statement queued in the open pipeline, for attributing an error
 * reported later (at the next sync: commit(), or a read). */
struct ldr_pg_queued {
	char *file;
	unsigned line;
	unsigned column; /* where the statement starts on its first line */
	char *sql; /* the text, to map the server's position to a column */
	size_t len;
	int ours; /* ladder's own statement (record, ...): no FILE:LINE */
};

struct ldr_conn {
	PGconn *pg;
	/* The savepoint each grouped step runs in: "ladder_step_" and 16
	 * random hex digits, made at open, so that no migration can name it
	 * (a SAVEPOINT of the same name would hide it from ladder's ROLLBACK
	 * TO and RELEASE). */
	char step_sp[32];
	/* Made at connect; PQcancel() on it is signal-safe. Set to NULL
	 * before it is freed (the signal handler reads it). */
	PGcancel *volatile cancel;
	char *display;	  /* the target without its password */
	char *schema;	  /* where the bookkeeping tables live (resolved at
			   * open: the manifest's `schema:` or current_schema) */
	char *table;	  /* the bookkeeping table's name, unquoted */
	char *qtable;	  /* "schema"."table" */
	char *qattempts;  /* "schema"."table_attempts" */
	int32_t lock_key; /* hash of qtable: second half of the lock keys */
	int timeout_ms;
	int readonly;	 /* LADDER_OPEN_READONLY: reads in READ ONLY tx */
	int standby;	 /* pg_is_in_recovery() at open */
	int pooled;	 /* a pooler sits between (PQbackendPID differs from
			  * pg_backend_pid()): no session lock, the step lock
			  * alone serialises (see docs/postgresql.md) */
	int locked;	 /* the session lock is held */
	int ours;	 /* ladder's transaction is open (begin..end) */
	int table_ready; /* the table has every column (committed) */
	int table_made;	 /* ...made so by the open transaction */
	int lost;	 /* the connection broke: every call fails */
	volatile sig_atomic_t *stop; /* the handle's interrupt flag */
	/* The pipeline (inside ladder's transaction only). */
	int piped;		     /* pipeline mode is on */
	struct ldr_pg_queued *queue; /* statements sent, not yet synced */
	size_t nqueued, capqueued;
	size_t queued_bytes; /* synced early past LDR_PG_PIPE_BYTES */
	/* The snapshot the plan was read in: on a write connection holding
	 * the runner lock, read_applied() reads in a REPEATABLE READ
	 * transaction, exports its snapshot here and leaves that transaction
	 * open (snap_open) until begin(), backup() or close() ends it with
	 * ldr_pg_end_snapshot(); "" when none. */
	char snapshot[64];
	int snap_open;
	/* step_prepare() of a `transaction: false` step: the INVALID indexes
	 * already there (",oid,oid,"), so step_restore() names the ones the
	 * step left behind. NULL outside such a step. */
	char *invalid_before;
	/* reset(0) asked for the session's defaults back: the next begin()
	 * queues RESET ALL and DISCARD TEMP (no extra round trip). */
	int reset_pending;
	/* A step's limits (step_limits()): its lock_timeout in ms (0: none;
	 * a statement that waits half of it has its blockers probed), and
	 * whether this transaction SET LOCAL any. */
	int step_lock_ms;
	int limits_set;
	int backend_pid; /* pg_backend_pid() at open */
	/* What the probe of a lock wait found ("pid 123 (...)"), malloc'd;
	 * NULL when none was made. Cleared by begin(). */
	char *blockers;
	/* The last failure was a migration's statement's lock timeout
	 * (55P03) or deadlock (40P01): the step may be run again. Cleared
	 * by begin(). */
	int retryable;
	int server_num;	      /* server_version_num at open (150004) */
	int rules_tx;	      /* server_rules(): the step is transactional */
	int unsafe_new_value; /* a migration's statement failed with 55P04:
			       * an enum value added earlier in the same
			       * transaction, used before its commit */
	int enum_added; /* ALTER TYPE ... ADD VALUE ran in this transaction
			 * (commit_before_next); cleared by begin() */
};

#define LDR_PG_PIPE_BYTES (1u << 20)

/* driver_pg.c */

/* Maps a failed result (`res` NULL: the connection's own error) to a
 * LADDER_E* status and one diagnostic: `what` starts the message; `file`
 * and `line` (may be NULL/0) say where; with `sql` (may be NULL) the
 * server's error position becomes a column of that text, counted from
 * `line`. SQLSTATE, detail, hint and the PL/pgSQL context are kept in the
 * message. A lost connection is `connection-lost`, a cancel after the
 * stop flag LADDER_EINTERRUPTED (`interrupted`), a lock timeout
 * `lock-timeout`, a read-only transaction or a standby `read-only`. */
int ldr_pg_error(ldr_conn *c, const PGresult *res, const char *file,
		 unsigned line, const char *sql, size_t len,
		 ladder_diags *diags, const char *what);
/* Runs one statement of ladder's own (extended protocol, text results,
 * `n` text parameters), waiting interruptibly: the stop flag cancels it.
 * *res (may be NULL: the result is dropped) gets a PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK result the caller PQclear()s. Syncs any open pipeline
 * first. Returns 0 or a LADDER_E* status (reported). */
int ldr_pg_query(ldr_conn *c, const char *sql, int n, const char *const *params,
		 PGresult **res, ladder_diags *diags, const char *what);
/* Sends a statement of ladder's own that returns nothing wanted: inside
 * ladder's transaction it is queued in the pipeline (its failure comes
 * back from the next sync, at the latest commit()); outside it runs at
 * once. */
int ldr_pg_send(ldr_conn *c, const char *sql, int n, const char *const *params,
		ladder_diags *diags, const char *what);
/* Ends the snapshot transaction read_applied() left open (commit: it
 * wrote nothing). */
void ldr_pg_end_snapshot(ldr_conn *c);
/* The target's libpq conninfo with the password removed; malloc'd. */
char *ldr_pg_display(const char *target);

/* pg_bookkeeping.c */

/* Appends the DDL making both bookkeeping tables ladder's (CREATE TABLE
 * IF NOT EXISTS ... and ALTER TABLE ... ADD COLUMN IF NOT EXISTS for an
 * adopted three-column table), schema-qualified and quoted. */
int ldr_pg_bookkeeping_ddl(const ldr_conn *c, ldr_buf *out);
/* In ladder's transaction: queues the fingerprint of both bookkeeping
 * tables that ladder's own writes compare (a migration that changed them
 * is refused, SQLSTATE LDR_PG_OWN_STATE, code `bookkeeping-write`). */
int ldr_pg_own_mark(ldr_conn *c, ladder_diags *diags);
#define LDR_PG_OWN_STATE "LDRBW"
/* The table as it stands: none, ladder's (complete or adoptable), or
 * another tool's (LADDER_EFOREIGN, reported naming its columns). */
int ldr_pg_table_check(ldr_conn *c, int *exists, ladder_diags *diags);
/* Inside the write transaction: the bookkeeping table made ladder's. */
int ldr_pg_ensure_table(ldr_conn *c, ladder_diags *diags);
int ldr_pg_read_applied(ldr_conn *c, ldr_rows *out, ladder_diags *diags);
int ldr_pg_recorded(ldr_conn *c, int64_t id, int *is_recorded, int64_t *max_id,
		    ladder_diags *diags);
int ldr_pg_record(ldr_conn *c, const ldr_record *rec, ladder_diags *diags);
int ldr_pg_unrecord(ldr_conn *c, int64_t id, ladder_diags *diags);
int ldr_pg_rechecksum(ldr_conn *c, int64_t id, const char *checksum,
		      ladder_diags *diags);
int ldr_pg_attempt(ldr_conn *c, const ldr_record *rec, const char *reason,
		   ladder_diags *diags);
int ldr_pg_forget(ldr_conn *c, int64_t id, ladder_diags *diags);

/* pg_extras.c (helper P2) */

int ldr_pg_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags);
int ldr_pg_backup(ldr_conn *c, const char *wanted, char **written,
		  char hex[LDR_CHECKSUM_HEX], ladder_diags *diags);
int ldr_pg_bookkeeping_sql(ldr_conn *c, ldr_buf *out, ladder_diags *diags);

#endif
