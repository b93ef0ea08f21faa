/*
 * internal.h — what the library's modules share and do not export.
 *
 * Names here start with `ldr_`; public names start with `ladder_`.
 */
#ifndef LADDER_INTERNAL_H
#define LADDER_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ladder.h"

#define LDR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* ------------------------------------------------------------------ diag.c */

/* Adds a diagnostic; `diags` may be NULL (then nothing is recorded). `file`
 * is copied. Returns LADDER_ENOMEM if it could not be stored, else 0 — so
 * callers usually ignore it and return their own status. */
/* Drops every diagnostic after the first `count` (a failed attempt the
 * caller reports in its own words, then retries). */
void ldr_diags_truncate(ladder_diags *diags, size_t count);
/* Attaches the server's SQLSTATE to the last diagnostic reported. */
int ldr_diag_sqlstate(ladder_diags *diags, const char *sqlstate);
int ldr_diag(ladder_diags *diags, ladder_severity sev, const char *code,
	     const char *file, unsigned line, unsigned column, const char *fmt,
	     ...) LDR_PRINTF(7, 8);
int ldr_diagv(ladder_diags *diags, ladder_severity sev, const char *code,
	      const char *file, unsigned line, unsigned column, const char *fmt,
	      va_list ap) LDR_PRINTF(7, 0);

/* sum.c: appends to the manifest's sum file (manifest.sum), every entry of `m`
 * below id `below` not sealed there yet (new, before it adds `below`).
 * `*created` (when not NULL): 1 when this call made the file. */
int ldr_sum_seal(const ladder_manifest *m, int64_t below, int *created,
		 ladder_diags *diags);
/* The sum file of `m` removed (a failed `new` undoing what it created). */
void ldr_sum_remove(const ladder_manifest *m);

/* Marks the diagnostic added last as about migration `id`. */
void ldr_diag_migration(ladder_diags *diags, int64_t id);

/* Shorthand for an error diagnostic. */
#define ldr_error(diags, code, file, line, column, ...)                        \
	ldr_diag((diags), LADDER_SEV_ERROR, (code), (file), (line), (column),  \
		 __VA_ARGS__)

/* ---------------------------------------------------------------- util.c */

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct ldr_buf {
	char *data;
	size_t len;
	size_t cap;
} ldr_buf;

#define LDR_BUF_INIT                                                           \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

int ldr_buf_add(ldr_buf *b, const char *data, size_t len);
int ldr_buf_addc(ldr_buf *b, char c);
int ldr_buf_addf(ldr_buf *b, const char *fmt, ...) LDR_PRINTF(2, 3);
void ldr_buf_reset(ldr_buf *b);	  /* len = 0, keeps the memory */
void ldr_buf_release(ldr_buf *b); /* frees the memory */
/* Hands the NUL-terminated contents to the caller (never NULL on success)
 * and leaves `b` empty. */
char *ldr_buf_detach(ldr_buf *b);

char *ldr_strdup(const char *s);
char *ldr_strndup(const char *s, size_t n);
/* `dir` + "/" + `rel`; `dir` may be "" or "." (then `rel` is copied). */
char *ldr_path_join(const char *dir, const char *rel);
/* The directory part of `path`: "." when it has none. */
char *ldr_path_dirname(const char *path);

/* ------------------------------------------- sqlreader.c, sqlscan.c */

#define LDR_CHECKSUM_HEX 65 /* 64 hex digits and a NUL */
/* Names the normalisation the checksum uses, recorded beside each checksum:
 * SHA-256 of the file with a leading UTF-8 BOM removed and every CR LF
 * turned into LF. The same whatever the dialect. */
#define LDR_CHECKSUM_ALGORITHM "sha256-lf"

struct ldr_dialect; /* dialect.h: where statements end, what they are */

/* Reads a migration file statement by statement, in bounded memory (one
 * statement plus a fixed read buffer), computing its checksum as it goes.
 * The dialect `d` says where statements start and end. */
typedef struct ldr_sqlreader ldr_sqlreader;

/* Opens `path` (diagnostics name it as `display`). On failure adds a
 * diagnostic ("cannot open 'display': strerror") and returns LADDER_EIO.
 * For tests and tools only: a migration's file is opened through path.c
 * (ldr_sqlreader_open_text, ldr_root_open_file). */
int ldr_sqlreader_open(ldr_sqlreader **out, const struct ldr_dialect *d,
		       const char *path, const char *display,
		       ladder_diags *diags);
/* The same over a descriptor the reader then owns (and closes). */
int ldr_sqlreader_open_fd(ldr_sqlreader **out, const struct ldr_dialect *d,
			  int fd, const char *display, ladder_diags *diags);
/* The same over a buffer the caller keeps alive until the reader is freed. */
int ldr_sqlreader_open_mem(ldr_sqlreader **out, const struct ldr_dialect *d,
			   const char *data, size_t len, const char *display,
			   ladder_diags *diags);
/* A migration's SQL: the embedded `text` when there is one, else the file
 * `rel` (as the manifest writes it) opened through path.c beneath
 * `root_dir` (the manifest's directory): contained, a regular file, never
 * blocking. Diagnostics name `display` either way. */
int ldr_sqlreader_open_text(ldr_sqlreader **out, const struct ldr_dialect *d,
			    const char *text, size_t text_len,
			    const char *root_dir, const char *rel,
			    const char *display, ladder_diags *diags);
/* Next statement: returns 1 and sets *sql (NUL-terminated, valid until the
 * next call), *len, and the 1-based *line / *column of its first token;
 * returns 0 at the end of the file; negative (with a diagnostic) on a read
 * error or on text that cannot be a complete statement (an unterminated
 * string, quoted identifier, block comment or trigger body). Empty
 * statements (a lone `;`, comments only) are skipped. A final statement
 * without a semicolon is returned as is. */
int ldr_sqlreader_next(ldr_sqlreader *r, const char **sql, size_t *len,
		       unsigned *line, unsigned *column);
/* After ldr_sqlreader_next returned 0: the file's checksum, 64 lowercase
 * hex digits and a NUL. */
void ldr_sqlreader_checksum(ldr_sqlreader *r, char hex[LDR_CHECKSUM_HEX]);
/* Before the first next(): the caller wants no checksum. */
void ldr_sqlreader_no_hash(ldr_sqlreader *r);
/* Whether a read failed (and was reported). */
int ldr_sqlreader_io_failed(const ldr_sqlreader *r);
const struct ldr_dialect *ldr_sqlreader_dialect(const ldr_sqlreader *r);
void ldr_sqlreader_free(ldr_sqlreader *r);

/* What a scan of a whole migration file found. */
/* The longest `lock_timeout:` / `statement_timeout:` (a day, in ms) and
 * the most `retries:` (docs/manifest.md), for the YAML manifest and
 * embedded migrations alike. */
#define LDR_MAX_TIMEOUT_MS 86400000
#define LDR_MAX_RETRIES	   10

/* The most a `transaction: false` step's file may hold: it is read whole
 * before it runs (migrate.c), and validate refuses a larger one. */
#define LDR_PLAIN_MAX ((size_t)16 << 20)

typedef struct ldr_sqlinfo {
	char checksum[LDR_CHECKSUM_HEX];
	size_t statements;
} ldr_sqlinfo;

/* What a scan knows of the file's manifest entry (`scan` arguments). */
enum {
	LDR_SCAN_TX = 1,     /* it runs inside ladder's transaction */
	LDR_SCAN_FK_OFF = 2, /* its entry has `foreign_keys: off` */
	LDR_SCAN_SYNTAX = 4  /* parse each statement (validate & co; up
			      * does not: exec reports the same error) */
};

/* Reads the whole file once through `r` (which it frees; `rc` is the
 * status of opening it, passed on when nonzero): checksum (unless `out` is
 * NULL), statement count, and the rules that need no database — a file
 * with no statement is a warning (`sql-empty`: the step changes nothing);
 * with LDR_SCAN_SYNTAX, every statement must parse (`sql-syntax`, where
 * the dialect can tell);
 * in a transactional file (LDR_SCAN_TX) nothing the dialect classifies
 * as transaction control (error `tx-control`), as refused in a transaction
 * (`needs-no-transaction`) or as a no-op there (SQLite's
 * `pragma-foreign-keys`; under LDR_SCAN_FK_OFF a note,
 * `pragma-foreign-keys-kept`); in any file nothing it refuses outright.
 * Every problem found is reported with the statement's file:line:column.
 * Returns 0, LADDER_EINVALID or LADDER_EIO. */
int ldr_sqlscan(ldr_sqlreader *r, int rc, const char *display, int scan,
		ldr_sqlinfo *out, ladder_diags *diags);
/* A check of each statement beside the dialect's (the PostgreSQL linter,
 * pg_lint.h). stmt() returns 0 (go on with the dialect's rules), 1 (it
 * reported an error: the statement is invalid), 2 (it reported what it
 * found: skip the dialect's rules) or LADDER_ENOMEM. It checks syntax
 * itself: a scan with a hook leaves LDR_SCAN_SYNTAX unset. */
typedef struct ldr_scan_hook {
	int (*stmt)(void *ctx, const char *sql, size_t len, unsigned line,
		    unsigned col, const char *display, ladder_diags *diags);
	void *ctx;
} ldr_scan_hook;
/* ldr_sqlscan() with a hook (NULL: none). */
int ldr_sqlscan_hooked(ldr_sqlreader *r, int rc, const char *display, int scan,
		       ldr_sqlinfo *out, ladder_diags *diags,
		       const ldr_scan_hook *hook);
/* The statements of a file as its scan read them, kept so that the run
 * executes exactly those bytes without reading and lexing the file again
 * (migrate.c). */
typedef struct ldr_sqlkept ldr_sqlkept;
/* ldr_sqlscan_hooked() that also keeps every statement in *kept, as long
 * as they take at most `budget` bytes in all; *kept is NULL when they do not
 * fit, or the scan failed. Returns what ldr_sqlscan() returns. */
int ldr_sqlscan_keep(ldr_sqlreader *r, int rc, const char *display, int scan,
		     ldr_sqlinfo *out, ladder_diags *diags,
		     const ldr_scan_hook *hook, size_t budget,
		     ldr_sqlkept **kept);
/* Statement *i (then *i advances): 1 with its text (NUL-terminated, valid
 * while `k` is), length and place, as ldr_sqlreader_next() gave it; 0 past
 * the last. */
int ldr_sqlkept_next(const ldr_sqlkept *k, size_t *i, const char **sql,
		     size_t *len, unsigned *line, unsigned *column);
/* The bytes `k` holds (0 for NULL), as counted against a budget. */
size_t ldr_sqlkept_size(const ldr_sqlkept *k);
void ldr_sqlkept_free(ldr_sqlkept *k);
/* Where byte `off` of a statement starting at line:column is. */
void ldr_sql_position(const char *sql, size_t off, unsigned line,
		      unsigned column, unsigned *at_line, unsigned *at_column);
/* The scan in SQLite's dialect (until the manifest names its engine) of the
 * file at `path`. */
int ldr_sqlfile_scan(const char *path, const char *display, int scan,
		     ldr_sqlinfo *out, ladder_diags *diags);
/* The scan of a file already open; takes ownership of `fd`. */
int ldr_sqlfile_scan_fd(int fd, const char *display, int scan, ldr_sqlinfo *out,
			ladder_diags *diags);
/* Only the checksum of an open file: read, hashed, not split; takes
 * ownership of `fd`. */
/* Hashes bytes into `sha` with CR LF folded to LF (the checksum's rule);
 * *cr_pending carries a CR that ended the previous call. */
struct sha256_ctx;
void ldr_hash_lf(struct sha256_ctx *sha, int *cr_pending,
		 const unsigned char *p, size_t n);
int ldr_sqlfile_checksum_fd(int fd, const char *display,
			    char hex[LDR_CHECKSUM_HEX], ladder_diags *diags);
/* The same over SQL held in memory (embedded migrations). */
int ldr_sqlfile_scan_mem(const struct ldr_dialect *dialect, const char *data,
			 size_t len, const char *display, int scan,
			 ldr_sqlinfo *out, ladder_diags *diags);

/* ------------------------------------------------------------------ db.c */

/* Whether `target` names a SQLite database (a path, or sqlite:PATH,
 * sqlite://PATH, sqlite3:..., any case); *path is then where its path
 * starts. 0 for another scheme. */
int ldr_sqlite_target(const char *target, const char **path);
/* The dialect of `target`'s scheme (a plain path: SQLite's); NULL for a
 * scheme with no driver built in. */
struct ldr_dialect;
const struct ldr_dialect *ldr_target_dialect(const char *target);
/* The dialect of an engine named in a struct (embedded migrations, import
 * options): NULL = "sqlite"; an unknown name, or "postgresql" in a build
 * without it, is reported (code `engine`, at `file`) and gives NULL. */
const struct ldr_dialect *
ldr_engine_dialect(const char *engine, const char *file, ladder_diags *diags);
/* `target` as messages show it: a URI without its password (malloc'd;
 * NULL when out of memory). */
char *ldr_target_display(const char *target);

/* ------------------------------------------------------------ manifest.c */

/* The manifest object and the builder the readers use (manifest_yaml.c for
 * manifest.yaml, embedded.c for compiled-in migrations). */

/* An empty manifest named `path` (for messages), with bookkeeping table
 * `table` (NULL: schema_migrations). */
int ldr_manifest_new(ladder_manifest **out, const char *path,
		     const char *table);
/* Appends a copy of `mig`'s strings and flags; `text`/`down_text` stay
 * borrowed. `name`, `file`, `path` and `checksum` are never NULL, and
 * `down_path` is set exactly when `down` is. Ids are expected to increase
 * strictly; a reader that found them out of order (and said so) may still
 * add them, and ladder_manifest_find() then looks at every entry. */
int ldr_manifest_add(ladder_manifest *m, const ladder_migration *mig);
/* Replace the bookkeeping table / the database target (copied). */
int ldr_manifest_set_table(ladder_manifest *m, const char *table);
/* The dialect the migrations are read in (`engine:`; SQLite's unless
 * set), and `schema:` (copied; NULL: none). */
const struct ldr_dialect *ldr_manifest_dialect(const ladder_manifest *m);
void ldr_manifest_set_dialect(ladder_manifest *m, const struct ldr_dialect *d);
int ldr_manifest_set_schema(ladder_manifest *m, const char *schema);
int ldr_manifest_set_database(ladder_manifest *m, const char *database);
/* Marks it loaded with LADDER_LOAD_CHECKSUMS_ONLY: the SQL rules are left
 * to up and down, which scan each file as they run it. */
void ldr_manifest_set_checksums_only(ladder_manifest *m);
/* Whether it was loaded with LADDER_LOAD_CHECKSUMS_ONLY. */
int ldr_manifest_checksums_only(const ladder_manifest *m);
/* The former name, kept until its last caller (migrate.c) moves over. */
#define ldr_manifest_lazy ldr_manifest_checksums_only
/* The manifest-level `lock_timeout:`, `statement_timeout:` and
 * `retries:` given to every transactional entry that sets none of its own
 * (an entry's timeout 0 = unset; retries < 0 = unset, then 0). */
void ldr_manifest_set_limits(ladder_manifest *m, int lock_timeout_ms,
			     int statement_timeout_ms, int retries);
/* Counts errors found while building, as a load would. */
void ldr_manifest_add_errors(ladder_manifest *m, size_t n);

/* ------------------------------------------------------- manifest_yaml.c */

/* `schema:`'s rule (PostgreSQL): a plain lower-case identifier of at most
 * 63 bytes, not pg_*; nonzero with *why set when `s` breaks it. */
int ldr_schema_name_ok(const char *s, const char **why);

/* ---------------------------------------------------------------- path.c */

/* A directory that files are opened beneath (the manifest's): opened once,
 * with its real path, for any number of ldr_root_open_file() calls. */
typedef struct ldr_root ldr_root;

/* Returns 0 or LADDER_ENOMEM. A directory that cannot be opened or
 * resolved is not an error here: each file opened beneath it then says
 * why it cannot be opened. */
int ldr_root_open(ldr_root **out, const char *dir);
void ldr_root_free(ldr_root *root);

/* Where an open's diagnostics point, and how they name the file. */
typedef struct ldr_open_at {
	const char *file; /* the diagnostic's file (may be NULL) */
	unsigned line;	  /* and place in it; 0 when none */
	unsigned column;
	const char *display; /* the file as named in "cannot open 'x'" */
	const char *shown;   /* the relative path as quoted in "resolves
			      * outside" (escaped by the caller if need be) */
} ldr_open_at;

/* Opens `rel` (a relative path) for reading beneath `root`: it must not
 * resolve outside the directory, through `..` or a symlink, must exist and
 * must be a regular file. The descriptor is O_NONBLOCK (a FIFO cannot hang
 * the open), close-on-exec, and is the one fstat() checked. Returns 0 and
 * sets *fd_out (the caller closes it); else *fd_out is -1 and it returns
 * LADDER_EINVALID when the path leads outside (diagnostic `path`),
 * LADDER_EIO when the file cannot be opened or is not a regular file
 * (diagnostic `file`), or LADDER_ENOMEM. */
int ldr_root_open_file(const ldr_root *root, const char *rel,
		       const ldr_open_at *at, int *fd_out, ladder_diags *diags);

/* What tells one state of an open file from another without reading it:
 * device, inode, size, and the modification and change times (a write
 * moves ctime, which no caller can set back). */
typedef struct ldr_fileid {
	uint64_t dev, ino;
	int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} ldr_fileid;
/* fstat()s `fd` into *id: 0, or -1 (errno set). */
int ldr_fileid_of(int fd, ldr_fileid *id);
int ldr_fileid_same(const ldr_fileid *a, const ldr_fileid *b);

/* The same in one call, for a single file: the diagnostics name and point
 * at `display`. */
int ldr_open_beneath(const char *root_dir, const char *rel, int *fd_out,
		     ladder_diags *diags, const char *display);

#endif
