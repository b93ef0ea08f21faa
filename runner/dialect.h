/*
 * dialect.h — the rules of one SQL dialect that need no database.
 *
 * Changed 2026-11-29 20:45Z, after the first commit (d749c4f): struct
 * ldr_lexmarks gained `hold` (the byte(s) kept before the first token),
 * and `start` now means only the first token's offset; `open_at` may stay
 * stale after its construct closes. Nothing else changed.
 *
 * `validate`, `embed`, `new` and `export` without `-d` open no database, yet
 * they split and classify statements. So what a dialect decides is a
 * constant table of its own, apart from the driver (driver.h), which needs a
 * connection. The manifest chooses the dialect (`engine:`); each driver
 * points at its dialect.
 *
 * Division of labour with the dialect-neutral reader (sqlreader.c):
 *   - the READER owns the bytes: fd or memory input, 64 KiB chunks, the
 *     UTF-8 BOM, the checksum (SHA-256 with CR LF folded to LF, the same
 *     whatever the dialect), line:column, the NUL-byte check, and the one
 *     statement buffer;
 *   - the DIALECT owns only its lexer state (lexer_size bytes, allocated and
 *     zeroed by the reader) and decides, from bytes alone, where a statement
 *     starts and may end and what is still open at the end of the input.
 * The reader calls lex() once per chunk (and again after each statement
 * end), so the per-byte loop is the dialect's and memory stays flat.
 *
 * Positions are absolute byte offsets into the input after the BOM
 * (uint64_t). The reader turns them into line:column (1-based; column in
 * bytes) as they are reported, so a lexer reports each position once, in
 * the call that scans past it, and never needs line numbers itself.
 */
#ifndef LADDER_DIALECT_H
#define LADDER_DIALECT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* What a dialect (with its driver) can do; a manifest or option needing a
 * missing capability is refused at `validate` / before the lock. */
enum ldr_cap {
	LDR_CAP_FK_OFF = 1,  /* `foreign_keys: off` (SQLite's table rebuild) */
	LDR_CAP_SCRATCH = 2, /* a throwaway database for validate --apply */
	LDR_CAP_BACKUP = 4,  /* `up --backup` */
	LDR_CAP_TX_DDL = 8   /* DDL is transactional */
};

/* What a statement is, as far as the transaction rules care. Engine-
 * neutral; each dialect maps its own statements onto these. */
typedef enum {
	LDR_STMT_PLAIN = 0,
	LDR_STMT_TX_CONTROL, /* ends or nests ladder's transaction: BEGIN,
			      * COMMIT, END, ROLLBACK (not ROLLBACK TO), START
			      * TRANSACTION, ABORT, PREPARE TRANSACTION ... */
	LDR_STMT_NO_TX,	     /* refused inside a transaction: needs
			      * `transaction: false` (SQLite: VACUUM, ATTACH,
			      * PRAGMA journal_mode; PostgreSQL: CREATE INDEX
			      * CONCURRENTLY, VACUUM ...) */
	LDR_STMT_NOOP_IN_TX, /* silently does nothing inside a transaction
			      * (SQLite: PRAGMA foreign_keys = ...) */
	LDR_STMT_REFUSED     /* never runs under ladder, transaction or not
			      * (PostgreSQL: psql backslash commands, COPY ...
			      * FROM STDIN) */
} ldr_stmt_kind;

/* SQLite: why `PRAGMA journal_mode = OFF` / `MEMORY` (the %s) is refused,
 * by the dialect at validate time and by the driver's authorizer when the
 * statement runs (code `journal-mode`). */
#define LDR_SQLITE_JOURNAL_MODE_MSG                                            \
	"'PRAGMA journal_mode = %s' would leave no rollback journal, so a "    \
	"failing step could not be rolled back; ladder refuses it"

#define LDR_LEX_NONE UINT64_MAX

/* The current statement as the lexer sees it. Owned by the reader, which
 * resets it after each statement it returns to
 *   { .start = .end = end of that statement, .hold = LDR_LEX_NONE,
 *     .open_at unchanged, .started = 0 }
 * (and to { 0, LDR_LEX_NONE, 0, LDR_LEX_NONE, 0 } before the first); the
 * lexer updates it as it scans. */
struct ldr_lexmarks {
	/* Once `started`, the offset of the statement's first token. */
	uint64_t start;
	/* Before `started`: the first byte the lexer holds that may yet turn
	 * out to start the first token (a `-` that may start a `--` comment),
	 * which the reader must keep; LDR_LEX_NONE when nothing is held (then
	 * everything scanned is blanks, comments and empty statements, which
	 * the reader drops). Ignored once `started`. */
	uint64_t hold;
	/* One past the statement's last significant byte (trailing blanks and
	 * comments excluded); the reader cuts here at the end of the input. */
	uint64_t end;
	/* Where the construct last opened began (a string, quoted identifier,
	 * comment — the outermost of nested ones — dollar quote, or body), or
	 * LDR_LEX_NONE. Set when it opens; it may keep its value after the
	 * construct closes, as it is read only when lex_finish() says that
	 * something is still open. */
	uint64_t open_at;
	int started; /* the statement's first token was seen */
};

/* What lex() stopped on. */
enum {
	LDR_LEX_MORE = 0, /* the chunk is used up (*used == n) */
	LDR_LEX_END = 1	  /* a statement may end just before p[*used] (the
			   * `;` or other terminator is included in it) */
};

struct ldr_dialect {
	const char *name;	    /* "sqlite", "postgresql" */
	const char *const *schemes; /* URI schemes, NULL-terminated:
				     * {"sqlite", "sqlite3", NULL} */
	unsigned caps;		    /* enum ldr_cap */
	int target_is_path;	    /* `database:` is a path, joined to the
				     * manifest's directory (SQLite); 0 for a
				     * connection string (PostgreSQL) */

	/* ---- the streaming lexer ------------------------------------ */

	size_t lexer_size; /* bytes of lexer state; the reader zeroes them */
	/* Optional (NULL: zeroed state is the initial state). */
	void (*lex_init)(void *lexer);
	/* Scans p[0..n), where p[0] is at absolute offset `base`, updating
	 * `marks`. Stops at the first byte after which the statement may end
	 * (returns LDR_LEX_END, *used = bytes consumed including the
	 * terminator) or at the end of the chunk (LDR_LEX_MORE, *used = n).
	 * The reader then calls lex() again on the rest. p holds no NUL byte
	 * (the reader stops the input before one). Never fails. */
	int (*lex)(void *lexer, const unsigned char *p, size_t n, uint64_t base,
		   size_t *used, struct ldr_lexmarks *marks);
	/* Optional (NULL: every LDR_LEX_END is an end). After LDR_LEX_END,
	 * whether the statement really ends there: `stmt` (NUL-terminated,
	 * `len` bytes) is its text from marks.start through the terminator.
	 * At the end of the input (`at_eof`), `stmt` is the last statement cut
	 * at marks.end, with no terminator, and the question is whether it is
	 * complete as it stands. Returns 1 yes, 0 no, or LADDER_ENOMEM. SQLite:
	 * sqlite3_complete(), which keeps a CREATE TRIGGER body open. */
	int (*complete)(void *lexer, const char *stmt, size_t len, int at_eof);
	/* At the end of the input (absolute offset `at`): settles what the
	 * lexer held (a lone `-` becomes a token: marks updated) and returns
	 * NULL, or what is still open as a noun phrase for "unterminated %s
	 * starting at line %u" ("string literal", "block comment",
	 * "dollar-quoted string $fn$", "BEGIN ATOMIC body"); marks->open_at
	 * then says where it began. */
	const char *(*lex_finish)(void *lexer, uint64_t at,
				  struct ldr_lexmarks *marks);
	/* Shown when complete(at_eof) says no: "incomplete statement at end
	 * of file (%s)"; e.g. "a trigger body without END?". */
	const char *incomplete_hint;

	/* ---- the rules ---------------------------------------------- */

	/* Classifies one statement by its leading keywords (whitespace and
	 * comments skipped; words in strings and bodies never count). *what
	 * names the keywords for messages ("VACUUM", "PRAGMA foreign_keys"),
	 * "" for LDR_STMT_PLAIN. */
	ldr_stmt_kind (*classify)(const char *sql, size_t len,
				  const char **what);
	/* For a kind other than PLAIN: the diagnostic code (*code, a static
	 * string; documented in docs/json.md: "tx-control",
	 * "needs-no-transaction", SQLite's "pragma-foreign-keys" for
	 * NOOP_IN_TX ...) and the message, appended to `out` (lower case, no
	 * full stop). Returns 0 or LADDER_ENOMEM. */
	int (*explain)(ldr_buf *out, ldr_stmt_kind kind, const char *what,
		       const char **code);
	/* Optional (NULL: no syntax check without a database). Whether
	 * `sql` (one statement, `len` bytes) parses: 0 yes; 1 no, with the
	 * message appended to `msg` and *offset the byte offset of the bad
	 * token in `sql` (SIZE_MAX when unknown); or LADDER_ENOMEM. Errors
	 * that depend on the schema (a table an earlier step creates) are
	 * never reported. `*state` starts NULL and is the dialect's (SQLite:
	 * a private in-memory connection that prepares and keeps nothing);
	 * syntax_end() frees it. */
	int (*syntax)(void **state, const char *sql, size_t len, size_t *offset,
		      ldr_buf *msg);
	void (*syntax_end)(void *state);
	/* Whether `name` may name the bookkeeping table: 0 yes; else nonzero
	 * with *why (static) saying why not. */
	int (*table_name_ok)(const char *name, const char **why);

	/* ---- export: a script the engine's own shell runs ------------ */

	/* Quoting: an identifier, and a string literal (NULL as NULL). */
	int (*quote_ident)(ldr_buf *out, const char *name);
	int (*quote_string)(ldr_buf *out, const char *s);
	/* The script's opening: comments saying how to run it, and settings
	 * (SQLite: ".bail on", PRAGMA foreign_keys = ON). */
	int (*script_header)(ldr_buf *out, const char *manifest,
			     const char *target);
	/* Around one step's statements (which export.c writes between the
	 * two, each ending in ";\n"). The pair makes the step all-or-nothing
	 * and fail if its bookkeeping row is already there: a transactional
	 * step inserts its row first inside its transaction; a
	 * non-transactional one guards before and inserts its row after.
	 * `applied_at` is RFC 3339 UTC, computed once by the caller. */
	/* The DDL that makes ladder's tables on a fresh database, when
	 * export has no database of this engine to ask (its driver's
	 * bookkeeping_sql); `table` as for script_step_begin. NULL: none. */
	int (*script_bookkeeping)(ldr_buf *out, const char *table);
	int (*script_step_begin)(ldr_buf *out, const char *table,
				 const ladder_migration *m,
				 const char *applied_at);
	int (*script_step_end)(ldr_buf *out, const char *table,
			       const ladder_migration *m,
			       const char *applied_at);
};

extern const struct ldr_dialect ldr_dialect_sqlite; /* dialect_sqlite.c */
extern const struct ldr_dialect ldr_dialect_pg;	    /* dialect_pg.c */
/* dialect_script.c: what both dialects' export pieces share. `s` between
 * `q` characters, each `q` inside doubled; a name so between '"'; and a
 * bookkeeping row's " (columns) VALUES (...);\n", after the caller's
 * "INSERT INTO <table>", each text value through `quote_string`. */
int ldr_script_quoted(ldr_buf *out, const char *s, char q);
int ldr_script_quote_ident(ldr_buf *out, const char *name);
int ldr_script_row_values(ldr_buf *out, const ladder_migration *m,
			  const char *applied_at,
			  int (*quote_string)(ldr_buf *out, const char *s));
/* dialect_pg.c: ALTER TYPE ... ADD VALUE, read from the keywords (no
 * grammar needed). A server before 12 refuses it inside a transaction
 * block, and on any server the new value cannot be used before the
 * transaction that added it commits (55P04).
 *   ldr_pg_adds_enum_value: whether `sql` (one statement) is one.
 *   ldr_pg_tx_refuses_add_value: whether a server of `server_num`
 *     (server_version_num, e.g. 110022; 0 unknown) refuses it in a
 *     transaction: older than 12.
 *   ldr_pg_add_value_explain: the message, as `validate` (the manifest's
 *     `postgresql:`) and `up` (the server) both word it; `whose` says
 *     whose version it is.
 *   ldr_pg_server_check: the run-time rule for one statement of a step:
 *     0 fine, 1 refused and reported (`needs-no-transaction` at
 *     display:line:column), or LADDER_ENOMEM. */
int ldr_pg_adds_enum_value(const char *sql, size_t len);
int ldr_pg_tx_refuses_add_value(int server_num);
int ldr_pg_add_value_explain(ldr_buf *out, const char *whose);
int ldr_pg_server_check(int server_num, int transactional, const char *sql,
			size_t len, const char *display, unsigned line,
			unsigned column, ladder_diags *diags);
/* pg_bookkeeping.c: the DDL making both bookkeeping tables, `qtable` and
 * `qattempts` (quoted, qualified or not), ladder's: what the driver runs
 * and an export to a fresh database (script_bookkeeping) writes. */
int ldr_pg_bookkeeping_ddl_for(ldr_buf *out, const char *qtable,
			       const char *qattempts);

#endif
