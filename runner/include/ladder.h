/*
 * ladder.h — the public API of libladder, a SQL-file-driven migration runner.
 *
 * Ownership, once for the whole API:
 *  - Constructors return through their first parameter `out`, which is set to
 *    NULL on entry and to a new object on success. Every object type has a
 *    `ladder_<type>_free()` that accepts NULL.
 *  - Pointers returned by getters (strings, `const` structs) are borrowed:
 *    they stay valid until the object they came from is freed, unless the
 *    function says otherwise.
 *  - NULL, once for the whole API: every `_free()` accepts NULL; every
 *    getter (counts, items, names, paths) accepts a NULL object and
 *    answers as for an empty one, 0 or NULL; ladder_db_set_lock_timeout(),
 *    ladder_db_on_wait() and ladder_db_interrupt() do nothing on NULL. The one
 * exception is ladder_plan_verdict(), whose every value is an answer: it needs
 * a plan. Other functions need their objects; their out parameters and `diags`
 * may be NULL where they say so.
 *  - Calls with outputs put them first: a single one is named `out`,
 *    several `<what>_out`.
 *  - Functions return 0 (LADDER_OK) or a negative `LADDER_E*` status. The
 *    details — what went wrong and where — go to the `ladder_diags` list
 *    passed in, which may be NULL when the caller does not want them.
 *  - Nothing in the library prints, exits, reads the environment or argv, or
 *    keeps global mutable state. Objects are not thread-safe; distinct
 *    objects may be used from distinct threads at once. `ladder_db_interrupt`
 *    is the one call meant to be made from another thread or a signal
 *    handler.
 *
 * Structs returned as `const` views may gain fields at their end in later
 * versions; they are never allocated by the caller.
 */
#ifndef LADDER_H
#define LADDER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LADDER_VERSION "0.1.0"

/* Marks the exported functions; everything else in the library is hidden. */
#if defined(LADDER_BUILDING) && defined(__GNUC__)
#define LADDER_API __attribute__((visibility("default")))
#else
#define LADDER_API
#endif

/* Status codes. */
enum {
	LADDER_OK = 0,
	LADDER_EINVALID = -1, /* the manifest or a migration file is invalid */
	LADDER_EIO = -2,      /* a file could not be read or written */
	LADDER_EDB = -3,      /* the database reported an error */
	LADDER_ENOMEM = -4,   /* out of memory */
	LADDER_EREFUSED = -5, /* a safety rule refused the operation */
	LADDER_EINTERRUPTED = -6, /* ladder_db_interrupt() stopped the run */
	LADDER_EUNSUPPORTED =
		-7,	    /* e.g. a database URL scheme with no driver */
	LADDER_EUSAGE = -8, /* an argument is out of its range */
	LADDER_EFOREIGN =
		-9, /* the bookkeeping table belongs to another tool */
	LADDER_EPARTIAL = -10 /* a non-transactional step failed midway */
};

/* A short English description of a status code; never NULL. */
LADDER_API const char *ladder_strerror(int status);

/* ---------------------------------------------------------------- diags -- */

typedef enum {
	LADDER_SEV_ERROR = 0,
	LADDER_SEV_WARNING = 1,
	LADDER_SEV_NOTE = 2
} ladder_severity;

/* One diagnostic. `code` is a stable, kebab-case identifier (docs/json.md
 * lists them); `file` may be NULL; `line` and `column` are 1-based, 0 when
 * they do not apply. `migration` is the id of the migration it concerns
 * when the library knows it from the database's side (a changed, failed,
 * out-of-order or unknown step), else 0: a diagnostic about a file names
 * that file. */
typedef struct ladder_diag {
	ladder_severity severity;
	const char *code;
	const char *file;
	unsigned line;
	unsigned column;
	const char *message;
	int64_t migration;
	const char *sqlstate; /* the server's SQLSTATE (PostgreSQL), or NULL */
} ladder_diag;

typedef struct ladder_diags ladder_diags;

LADDER_API int ladder_diags_new(ladder_diags **out);
LADDER_API void ladder_diags_free(ladder_diags *diags);
LADDER_API size_t ladder_diags_count(const ladder_diags *diags);
/* The i-th diagnostic in the order they were reported; NULL past the end. */
LADDER_API const ladder_diag *ladder_diags_get(const ladder_diags *diags,
					       size_t i);
/* How many diagnostics have severity LADDER_SEV_ERROR. */
LADDER_API size_t ladder_diags_errors(const ladder_diags *diags);
/* Sorts by file, then line, then column, keeping report order for ties.
 * Diagnostics with no file come first. */
LADDER_API void ladder_diags_sort(ladder_diags *diags);

/* ------------------------------------------------------------- manifest -- */

typedef struct ladder_manifest ladder_manifest;

/* One migration as the manifest lists it. */
typedef struct ladder_migration {
	int64_t id;
	const char *name;
	const char *file; /* as written in the manifest */
	const char *path; /* `file` joined to the manifest's directory */
	const char *down; /* as written; NULL when there is none */
	const char *down_path;
	int transactional;    /* `transaction:`, default 1 */
	int foreign_keys_off; /* `foreign_keys: off` — the table-rebuild
				 procedure */
	unsigned line;	      /* manifest line of the entry */
	const char *checksum; /* 64 lowercase hex digits of the file, as read */
	const char *text;     /* embedded: the SQL itself; NULL = read `path` */
	size_t text_len;
	const char *down_text; /* embedded: the down SQL, or NULL */
	size_t down_text_len;
	/* PostgreSQL, transactional steps: `lock_timeout:` and
	 * `statement_timeout:` (the entry's, else the manifest's) in ms, set
	 * with SET LOCAL inside the step's transaction; 0 = not set (the
	 * server's own setting stays), -1 = off (`0` in the manifest). */
	int lock_timeout_ms;
	int statement_timeout_ms;
	/* `retries:`: how many times the step runs again, rolled back, after
	 * a lock timeout (55P03) or a deadlock (40P01); 0 = never. */
	int retries;
} ladder_migration;

/* Reads and checks the manifest at `path` and every file it lists. On
 * LADDER_EINVALID `*out` is still set when the YAML could be read, so a
 * caller can show what was understood; every problem found is in `diags`. */
LADDER_API int ladder_manifest_load(ladder_manifest **out, const char *path,
				    ladder_diags *diags);
/* The same from memory: `path` names the manifest in diagnostics and its
 * directory is the base for relative file paths. */
LADDER_API int ladder_manifest_load_buffer(ladder_manifest **out,
					   const char *text, size_t len,
					   const char *path,
					   ladder_diags *diags);
/* Flags for ladder_manifest_load_flags. */
enum {
	/* Read each listed file only for its checksum, leaving the SQL rules
	 * (at least one statement, no transaction control, ...) to ladder_up
	 * and ladder_down, which check every file they are about to run
	 * before running any. For status and check, which need checksums
	 * but run nothing: an applied file's SQL was checked when it ran,
	 * and its checksum shows it is still those bytes. */
	LADDER_LOAD_CHECKSUMS_ONLY = 1
};
LADDER_API int ladder_manifest_load_flags(ladder_manifest **out,
					  const char *path, unsigned flags,
					  ladder_diags *diags);
LADDER_API void ladder_manifest_free(ladder_manifest *m);

LADDER_API size_t ladder_manifest_count(const ladder_manifest *m);
/* Entries in id order (the manifest's order); NULL past the end. */
LADDER_API const ladder_migration *ladder_manifest_get(const ladder_manifest *m,
						       size_t i);
/* The entry with this id, or NULL. */
LADDER_API const ladder_migration *
ladder_manifest_find(const ladder_manifest *m, int64_t id);
/* The bookkeeping table's name (`table:`, default "schema_migrations"). */
LADDER_API const char *ladder_manifest_table(const ladder_manifest *m);
/* `database:` joined to the manifest's directory, or NULL. */
LADDER_API const char *ladder_manifest_database(const ladder_manifest *m);
/* `engine:`: "sqlite" (the default) or "postgresql". */
LADDER_API const char *ladder_manifest_engine(const ladder_manifest *m);
/* `schema:` (PostgreSQL: where the bookkeeping tables live), or NULL for
 * the connection's current schema. */
LADDER_API const char *ladder_manifest_schema(const ladder_manifest *m);
LADDER_API const char *ladder_manifest_path(const ladder_manifest *m);
/* How many errors were found when the manifest was loaded; a manifest with
 * errors is never applied. */
LADDER_API size_t ladder_manifest_errors(const ladder_manifest *m);
/* Checks one migration's SQL by the rules that need no database (at least
 * one statement; in a transactional one no transaction control, nothing
 * the engine refuses in a transaction, no statement that has no effect
 * there): what a manifest
 * loaded with LADDER_LOAD_CHECKSUMS_ONLY left unchecked. 0 or
 * LADDER_EINVALID / LADDER_EIO, the problems in `diags`. */
LADDER_API int ladder_migration_check(const ladder_migration *mig,
				      ladder_diags *diags);

/* ------------------------------------------------------------- database -- */

typedef struct ladder_db ladder_db;

enum {
	LADDER_OPEN_READONLY = 0, /* never creates or writes anything */
	LADDER_OPEN_WRITE = 1,	  /* a missing file is made by the first
				   * write, under the runner lock */
	LADDER_OPEN_SCRATCH = 2,  /* a fresh, empty, throw-away database
				   * that leaves nothing behind (SQLite: in
				   * memory); `target` is only its name in
				   * messages */
	LADDER_OPEN_MEMORY = LADDER_OPEN_SCRATCH /* the old name, kept */
};

/* Default wait for another runner's lock, in milliseconds. */
#define LADDER_DEFAULT_LOCK_TIMEOUT_MS 60000

/* Opens `target`, the database as its driver names it (SQLite: a path or
 * `sqlite:PATH`; PostgreSQL: a `postgresql://` or `postgres://` URI, with
 * libpq's conventions: PGHOST, PGPASSWORD, ~/.pgpass, `?service=`). A
 * read-only open of a missing SQLite file succeeds and behaves as an empty
 * database (a fresh install) without creating anything. `table` is the
 * bookkeeping table's name. */
LADDER_API int ladder_db_open(ladder_db **out, const char *target,
			      const char *table, int mode, ladder_diags *diags);
/* The same for the manifest `m`: its table and `schema:`, and a target of
 * another engine than its `engine:` refused (`engine-mismatch`,
 * LADDER_EUNSUPPORTED). */
LADDER_API int ladder_db_open_for(ladder_db **out, const char *target,
				  const ladder_manifest *m, int mode,
				  ladder_diags *diags);
/* The target as messages show it (a URI without its password). */
LADDER_API const char *ladder_db_target(const ladder_db *db);
/* `target` (a -d value) as a new manifest at `manifest_path` writes it in
 * `database:`: a relative SQLite path made relative to the manifest's
 * folder (which `database:` is read against), a URI without its password
 * (libpq then takes it from PGPASSWORD or ~/.pgpass). `*engine`, when not
 * NULL: "sqlite", "postgresql", or NULL for a scheme ladder does not know.
 * Freed with ladder_free(); NULL when out of memory. */
LADDER_API char *ladder_target_for_manifest(const char *target,
					    const char *manifest_path,
					    const char **engine);
/* Wraps a SQLite handle the application opened, so an app migrates its
 * own database on start. The handle stays the caller's: ladder_db_free()
 * does not close it, and its settings (foreign keys, busy timeout) are
 * kept. While a migration's statement runs, ladder sets the handle's
 * authorizer (to refuse transaction control) and progress handler (so
 * that ladder_db_interrupt() stops it) and clears both after: set your
 * own again afterwards if you use them. Use the handle for nothing
 * else while ladder runs on it. */
struct sqlite3;
LADDER_API int ladder_db_adopt_sqlite(ladder_db **out, struct sqlite3 *handle,
				      const char *table, ladder_diags *diags);
LADDER_API void ladder_db_free(ladder_db *db);
/* How long to wait for another runner's lock before failing (and, on a
 * database ladder opened, for the engine's own locks; an adopted handle
 * keeps its own setting). */
LADDER_API void ladder_db_set_lock_timeout(ladder_db *db, int milliseconds);
/* Called once when a write command (up, down, baseline, repair) starts
 * waiting for another runner's lock, before the wait: `pid` is the
 * process that holds it, 0 when the driver cannot tell. */
typedef void (*ladder_wait_fn)(long pid, void *ctx);
/* Sets (or, with NULL, clears) the call made when `db` waits for the
 * runner lock: an interactive caller says so at once instead of looking
 * hung. */
LADDER_API void ladder_db_on_wait(ladder_db *db, ladder_wait_fn fn, void *ctx);
/* Asks a running operation on `db` to stop as soon as it can and roll back
 * the step in progress. Safe to call from a signal handler or another
 * thread; the operation then returns LADDER_EINTERRUPTED. */
LADDER_API void ladder_db_interrupt(ladder_db *db);

/* ----------------------------------------------------------------- plan -- */

typedef enum {
	LADDER_STATE_APPLIED = 0,
	LADDER_STATE_PENDING = 1,
	LADDER_STATE_CHANGED = 2, /* applied, but the file's checksum differs */
	LADDER_STATE_UNKNOWN = 3, /* recorded, absent from the manifest */
	LADDER_STATE_FAILED = 4	  /* a `transaction: false` step that started
				   * and did not finish: the database may be
				   * partly changed */
} ladder_state;

/* `check`'s verdict; the values are its exit codes. */
typedef enum {
	LADDER_VERDICT_COMPATIBLE = 0,
	LADDER_VERDICT_PENDING = 1,
	LADDER_VERDICT_INCOMPATIBLE = 2
} ladder_verdict;

/* One row of `status`. */
typedef struct ladder_step {
	int64_t id;
	const char *name; /* the manifest's, or the recorded one */
	ladder_state state;
	const char *applied_at;		   /* RFC 3339 UTC; NULL when pending;
					    * FAILED: when the attempt began */
	const char *recorded_checksum;	   /* NULL when none was recorded */
	const ladder_migration *migration; /* NULL when unknown */
	int out_of_order;    /* pending, below the highest applied id */
	const char *failure; /* FAILED: why, or NULL if the run died */
} ladder_step;

typedef struct ladder_plan ladder_plan;

/* Compares the manifest with what the database records; reads only. */
LADDER_API int ladder_plan_new(ladder_plan **out, ladder_db *db,
			       const ladder_manifest *m, ladder_diags *diags);
LADDER_API void ladder_plan_free(ladder_plan *plan);
/* Steps in id order: manifest entries and unknown ids merged. */
LADDER_API size_t ladder_plan_count(const ladder_plan *plan);
LADDER_API const ladder_step *ladder_plan_get(const ladder_plan *plan,
					      size_t i);
/* Compatible, pending or incompatible, from the states alone. Whether up
 * would also accept the pending files is ladder_check()'s question. */
LADDER_API ladder_verdict ladder_plan_verdict(const ladder_plan *plan);
/* Whether the database has tables of its own and no bookkeeping table: an
 * application's database ladder never migrated, which `up` refuses (it
 * cannot tell what is applied) until `ladder baseline ID` records it. When
 * so, also reports it into `diags` with `severity` (code `unmanaged`). */
LADDER_API int ladder_plan_unmanaged(const ladder_plan *plan,
				     ladder_severity severity,
				     ladder_diags *diags);
/* How many steps are in `state`. */
LADDER_API size_t ladder_plan_count_state(const ladder_plan *plan,
					  ladder_state state);

/* `ladder check`'s answer, for an application that asks it before it
 * swaps in a new release: the plan, as ladder_plan_new() makes it, whose
 * ladder_plan_verdict() is the verdict. A pending verdict is given only
 * when up would apply the pending steps: their SQL is checked first by
 * the rules up checks (ladder_migration_check), and a step that breaks
 * one makes it LADDER_EINVALID with no plan (a manifest loaded with
 * LADDER_LOAD_CHECKSUMS_ONLY is enough). Reads only. */
LADDER_API int ladder_check(ladder_plan **out, ladder_db *db,
			    const ladder_manifest *m, ladder_diags *diags);

/* ------------------------------------------------------------------- up -- */

typedef enum {
	LADDER_EVENT_BEGIN = 0, /* a run starts: `total` steps to apply */
	LADDER_EVENT_STEP = 1,	/* a step starts */
	LADDER_EVENT_STATEMENT, /* a statement is about to run (`sql`) */
	LADDER_EVENT_DONE,	/* a step was applied (or reverted) */
	LADDER_EVENT_SKIPPED,	/* another runner applied the step first */
	LADDER_EVENT_BACKUP,	/* a verified backup was written: `file`,
				 * `checksum` */
	LADDER_EVENT_RETRY	/* attempt `attempt` of a step failed on a
				 * lock timeout or deadlock and was rolled
				 * back; it runs again after `elapsed_us` */
} ladder_event_kind;

typedef struct ladder_event {
	ladder_event_kind kind;
	const ladder_migration *migration; /* NULL for BEGIN */
	size_t index; /* 0-based among the steps of this run */
	size_t total;
	int64_t elapsed_us; /* DONE: the step's wall time */
	const char *sql;    /* STATEMENT: its text (not NUL-terminated) */
	size_t sql_len;
	unsigned line;	      /* STATEMENT: its first line in the file */
	const char *file;     /* STEP, STATEMENT, DONE: the file that runs (the
			       * `down` file when reverting); BACKUP: the backup */
	const char *checksum; /* BACKUP: SHA-256 of the backup file */
	int attempt;	      /* RETRY: the attempt that failed (1, 2, ...) */
} ladder_event;

typedef void (*ladder_event_fn)(const ladder_event *event, void *ctx);

typedef struct ladder_up_options {
	unsigned version;
	int64_t to;		/* apply only ids <= to; 0 = all */
	int dry_run;		/* plan and report, touch nothing */
	int allow_out_of_order; /* apply pending ids below the highest applied
				 */
	int want_statements;	/* emit LADDER_EVENT_STATEMENT events */
	ladder_event_fn on_event;
	void *event_ctx;
	int atomic;	    /* all pending steps in one transaction: all
			     * or nothing; refused if a step is
			     * `transaction: false` */
	const char *backup; /* when anything is pending, first write a
			     * snapshot here, verified by the engine's
			     * integrity check; "" = next to the database
			     * as DB.backup-YYYYmmddTHHMMSSZ; NULL = none */
	/* Version 2. Group commit: consecutive transactional steps share
	 * one transaction, each in its own savepoint, committed once about
	 * this many milliseconds of work are done (and before a
	 * `transaction: false` or `foreign_keys: off` step, and at the
	 * end); a step is reported done only after its commit. 0 = a
	 * commit per step. */
	int group_ms;
} ladder_up_options;

/* Options structs only ever gain fields at their end, so the positional
 * _INIT macros (which C++ callers can use too) never shift a value. A
 * caller built with version 1 (without group_ms) gets the default. */
#define LADDER_UP_OPTIONS_VERSION 2
#define LADDER_GROUP_MS_DEFAULT	  1000
#define LADDER_UP_OPTIONS_INIT                                                 \
	{                                                                      \
		LADDER_UP_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL, 0, NULL,    \
			LADDER_GROUP_MS_DEFAULT                                \
	}

/* Applies every pending migration (up to `opts->to`) in id order, each
 * whole or not at all together with the insert of its bookkeeping row (in
 * its own transaction, or its own savepoint of a group's: group_ms).
 * Refuses before touching anything when the manifest has errors, the
 * database has unknown ids or changed files, or (unless allowed) a pending
 * id is below the highest applied one. Stops at the first failure; steps
 * applied before it stay applied. `opts` may be NULL. */
LADDER_API int ladder_up(ladder_db *db, const ladder_manifest *m,
			 const ladder_up_options *opts, ladder_diags *diags);

/* ----------------------------------------------------------------- down -- */

typedef struct ladder_down_options {
	unsigned version;
	int64_t to; /* revert every applied id above `to` (0 = all of them);
		     * -1 = only the newest applied one */
	int dry_run;
	int want_statements;
	ladder_event_fn on_event;
	void *event_ctx;
} ladder_down_options;

#define LADDER_DOWN_OPTIONS_VERSION 1
#define LADDER_DOWN_OPTIONS_INIT                                               \
	{                                                                      \
		LADDER_DOWN_OPTIONS_VERSION, -1, 0, 0, NULL, NULL              \
	}

/* Reverts applied migrations newest first, each by running its `down` file
 * in one transaction that also deletes its row. Refuses before anything
 * runs if a step to revert has no `down` file, or the database is
 * incompatible (unknown, changed or failed steps). `opts` may be NULL. */
LADDER_API int ladder_down(ladder_db *db, const ladder_manifest *m,
			   const ladder_down_options *opts,
			   ladder_diags *diags);

/* ------------------------------------------------------------ bookkeeping --
 */

/* Records every migration with id <= `id` as applied without running it,
 * on a database with no recorded rows; `id` must be a manifest id. */
LADDER_API int ladder_baseline(ladder_db *db, const ladder_manifest *m,
			       int64_t id, ladder_diags *diags);

/* Records the current checksum of every applied migration whose recorded
 * checksum is missing or differs, and clears the notes of failed
 * non-transactional steps (after a DBA mended the database by hand).
 * `*out` (may be NULL) receives how many rows were updated. */
LADDER_API int ladder_repair(size_t *out, ladder_db *db,
			     const ladder_manifest *m, ladder_diags *diags);

/* One row repair changes (or, dry, would change). */
typedef struct ladder_repair_row {
	int64_t id;
	const char *name;
	const char *file;	  /* the manifest's file; NULL for an id it
				   * does not list (a failed note) */
	const char *old_checksum; /* recorded; NULL when none */
	const char *new_checksum; /* the file's now; NULL when only a
				   * failed note is cleared */
	int failed;		  /* a failed-step note is cleared */
} ladder_repair_row;

typedef void (*ladder_repair_fn)(const ladder_repair_row *row, void *ctx);

typedef struct ladder_repair_options {
	unsigned version;
	int dry_run;	    /* report the rows, change nothing, take no
			     * lock */
	const int64_t *ids; /* only these ids (NULL: every row) */
	size_t nids;
	ladder_repair_fn on_row; /* each row changed, in id order */
	void *row_ctx;
} ladder_repair_options;

#define LADDER_REPAIR_OPTIONS_VERSION 1
#define LADDER_REPAIR_OPTIONS_INIT                                             \
	{                                                                      \
		LADDER_REPAIR_OPTIONS_VERSION, 0, NULL, 0, NULL, NULL          \
	}

/* ladder_repair() with options (`opts` may be NULL); `*out` counts the
 * rows changed, or under dry_run the rows that would be. */
LADDER_API int ladder_repair_with(size_t *out, ladder_db *db,
				  const ladder_manifest *m,
				  const ladder_repair_options *opts,
				  ladder_diags *diags);

/* --------------------------------------------------------------- schema -- */

/* The database's schema as SQL: every table, view, index and trigger but
 * the engine's own and ladder's bookkeeping tables, one statement each in
 * a stable order (tables, views, indexes, triggers; each by name), as the
 * engine keeps their text, with trailing blanks trimmed. `*out` is freed
 * with ladder_free(). A missing database has an empty schema. */
LADDER_API int ladder_schema(char **out, ladder_db *db, ladder_diags *diags);

/* The steps pending on `db` as one SQL script for the engine's own shell
 * (SQLite: the plain sqlite3 shell, under `.bail on`): the bookkeeping
 * table made ladder's, then per step one transaction that inserts its row
 * first (so a step already present stops the script with nothing
 * half-done) and runs its statements. Refuses what up refuses. Pass a
 * LADDER_OPEN_SCRATCH database for every step. `*out` is freed with
 * ladder_free(). */
LADDER_API int ladder_export(char **out, ladder_db *db,
			     const ladder_manifest *m, ladder_diags *diags);

/* ------------------------------------------------------------- embedded -- */

/* Migrations compiled into the application (`ladder embed` writes them as C
 * source), so it ships its schema with no files beside it. All strings are
 * the caller's and must outlive the manifest made from them. */
typedef struct ladder_embedded_migration {
	int64_t id;
	const char *name;
	const char *file; /* where the SQL came from, for messages */
	const char *sql;
	size_t sql_len;
	const char *down; /* NULL when there is none */
	size_t down_len;
	int transactional;
	int foreign_keys_off;
} ladder_embedded_migration;

/* Version 2: a step's `lock_timeout:`, `statement_timeout:` and
 * `retries:` as ladder_migration holds them (the manifest's defaults
 * folded in; 0 = not set, -1 = off); PostgreSQL, transactional steps. */
typedef struct ladder_embedded_limits {
	int lock_timeout_ms;
	int statement_timeout_ms;
	int retries;
} ladder_embedded_limits;

typedef struct ladder_embedded {
	unsigned version; /* LADDER_EMBEDDED_VERSION (1 and 2 are read) */
	const char *table;
	size_t count;
	const ladder_embedded_migration *migrations;
	/* Version 2 on; a version 1 struct ends above, and means SQLite. */
	const char *engine; /* "sqlite" or "postgresql"; NULL = "sqlite" */
	const char *schema; /* PostgreSQL: the bookkeeping tables' schema;
			       NULL = the connection's current schema */
	const ladder_embedded_limits *limits; /* `count` entries, or NULL */
} ladder_embedded;

#define LADDER_EMBEDDED_VERSION 2

/* A manifest from embedded migrations, checked like one read from files
 * (ids strictly increasing, names, table, schema, limits, and every SQL
 * rule in the engine's dialect). */
LADDER_API int ladder_manifest_from_embedded(ladder_manifest **out,
					     const ladder_embedded *e,
					     ladder_diags *diags);

/* Frees a string the library handed out. */
LADDER_API void ladder_free(void *p);

/* ------------------------------------------------------------- scaffold -- */

/* Adds the next migration: id = the highest id + 1, a SQL file
 * `NNNN_<name>.sql` holding only a comment header, in the folder the
 * previous entries use (or sql/), and its entry appended to the manifest
 * with the manifest's text and comments kept. Never overwrites a file.
 * `name` is letters, digits, '_' and '-' (else LADDER_EUSAGE). On success
 * `*path_out` (freed with ladder_free()) is the new file's path and
 * `*id_out` its id; either may be NULL. */
LADDER_API int ladder_new(char **path_out, int64_t *id_out,
			  const char *manifest_path, const char *name,
			  ladder_diags *diags);

/* How ladder_new_with() writes the migration. */
typedef struct ladder_new_options {
	unsigned version;
	int64_t min_id;	      /* the id is the highest + 1, or this when it is
			       * higher (a timestamp: no two branches pick
			       * the same id); 0 = the highest + 1 */
	int down;	      /* also a `NNNN_NAME.down.sql` and its `down:` */
	int no_transaction;   /* `transaction: false` */
	int foreign_keys_off; /* `foreign_keys: off` */
} ladder_new_options;

#define LADDER_NEW_OPTIONS_VERSION 1
#define LADDER_NEW_OPTIONS_INIT                                                \
	{                                                                      \
		LADDER_NEW_OPTIONS_VERSION, 0, 0, 0, 0                         \
	}

/* ladder_new() with options (`opts` may be NULL: ladder_new()). An
 * options struct of another version is LADDER_EUSAGE. */
LADDER_API int ladder_new_with(char **path_out, int64_t *id_out,
			       const char *manifest_path, const char *name,
			       const ladder_new_options *opts,
			       ladder_diags *diags);

/* ---------------------------------------------------------------- sum -- */

/* Checks the manifest's sum file, its path with the extension replaced
 * by .sum (manifest.yaml -> manifest.sum; none: nothing to check): every
 * migration sealed there must still be listed, with the checksum sealed.
 * ladder_new() seals every entry older than the one it adds. 0, or
 * LADDER_EINVALID with each problem in `diags` (code `sum`). */
LADDER_API int ladder_sum_check(const ladder_manifest *m, ladder_diags *diags);
/* ------------------------------------------------------ import, adopt -- */
/* Moving to ladder from another migration tool (docs/import.md). Tools:
 * "diesel", "sqlx", "goose", "golang-migrate", "dbmate", "drizzle-kit",
 * "flyway", "grocy" (numbered files NNNN.sql). */

typedef struct ladder_import_options {
	unsigned version;	  /* LADDER_IMPORT_OPTIONS_VERSION */
	const char *tool;	  /* one of the names above */
	const char *dir;	  /* the tool's migration folder */
	const char *manifest_dir; /* where the manifest will live; file paths
				   * are relative to it; NULL = "." */
	const char *split_dir;	  /* goose, dbmate: where the up and down
				   * sections are written as ladder-owned
				   * files (never over a different file);
				   * NULL = not written, and such a folder is
				   * refused */
	/* Version 2: the engine the manifest is for, "sqlite" (NULL) or
	 * "postgresql": the files are read by its rules (which statements
	 * need `transaction: false`), and the manifest says `engine:`. */
	const char *engine;
} ladder_import_options;

#define LADDER_IMPORT_OPTIONS_VERSION 2

/* The manifest (YAML) for the tool's folder in `*yaml_out` (freed with
 * ladder_free()). Files are referenced where they are and never changed;
 * the folder must lie inside `manifest_dir`. What cannot be carried over
 * (Go, Rust, Java or PHP steps, repeatables, templating) is one warning
 * each, code `import-unsupported`, naming the file; `*unsupported_out`
 * (may be NULL) counts them, and the manifest is then incomplete. */
LADDER_API int ladder_import(char **yaml_out, size_t *unsupported_out,
			     const ladder_import_options *opts,
			     ladder_diags *diags);

typedef struct ladder_adopt_options {
	unsigned version; /* LADDER_ADOPT_OPTIONS_VERSION */
	const char *tool;
	int dry_run;	     /* read and report; write nothing */
	int drop_tool_table; /* drop the tool's table in the same
			      * transaction */
} ladder_adopt_options;

#define LADDER_ADOPT_OPTIONS_VERSION 1

/* One row adopt writes (or, dry, would write). */
typedef struct ladder_adopted {
	int64_t id;
	const char *name;
	const char *checksum;	  /* of the file as it is now */
	const char *tool_version; /* as the tool's table records it */
	const char *applied_at;	  /* the tool's time when it kept one, as
				   * recorded; NULL when it kept none */
} ladder_adopted;

typedef struct ladder_adoption ladder_adoption;

/* Makes a database that `opts->tool` migrated a ladder database: in one
 * transaction, ladder's bookkeeping table gets a row for every migration
 * the tool's table records as applied, found in `m` by its name (the file
 * name import gave it; drizzle-kit's by the file's SHA-256). Refuses
 * (LADDER_EREFUSED, nothing written) when ladder already records rows,
 * the tool's table is missing, marks a migration failed or dirty, or
 * records one the manifest lacks. The tool's table stays unless
 * `drop_tool_table`. `*out` (may be NULL) lists the rows. */
LADDER_API int ladder_adopt(ladder_adoption **out, ladder_db *db,
			    const ladder_manifest *m,
			    const ladder_adopt_options *opts,
			    ladder_diags *diags);
LADDER_API size_t ladder_adoption_count(const ladder_adoption *a);
LADDER_API const ladder_adopted *ladder_adoption_get(const ladder_adoption *a,
						     size_t i);
LADDER_API void ladder_adoption_free(ladder_adoption *a);

#ifdef __cplusplus
}
#endif
#endif
