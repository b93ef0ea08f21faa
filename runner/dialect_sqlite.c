/*
 * dialect_sqlite.c — SQLite's SQL without a database: where a statement
 * ends, what it is, how the bookkeeping table may be named, and the pieces
 * of a script the plain sqlite3 shell runs.
 *
 * The lexer is a byte-level state machine fed one chunk at a time by the
 * reader (sqlreader.c), so its state survives chunk boundaries. At a `;`
 * outside quotes and comments, sqlite3_complete() on the text so far
 * decides whether the statement ends there (it does not inside a CREATE
 * TRIGGER body).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "dialect.h"

/* ---------------------------------------------------------------- lexer -- */

/* Where the lexer is. The DASH and SLASH states hold a `-` or `/` that may
 * start a comment; QUOTE_END follows a closing quote, which a second quote
 * character turns back into an escaped one. */
enum lex_state {
	LX_NORMAL,
	LX_DASH,
	LX_SLASH,
	LX_LINE_COMMENT,
	LX_BLOCK_COMMENT,
	LX_BLOCK_STAR,
	LX_QUOTE,
	LX_QUOTE_END
};

struct lexer {
	enum lex_state state;
	unsigned char quote; /* closing character of the open quote */
	uint64_t pend;	     /* offset of the `-` or `/` held in DASH/SLASH */
};

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* The held `-` or `/` (at x->pend) was a token. */
static void held_is_token(struct lexer *x, struct ldr_lexmarks *mk)
{
	if (!mk->started) {
		mk->started = 1;
		mk->start = x->pend;
	}
	mk->end = x->pend + 1;
}

static int lex(void *lexer, const unsigned char *p, size_t n, uint64_t base,
	       size_t *used, struct ldr_lexmarks *mk)
{
	struct lexer *x = lexer;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		switch (x->state) {
		case LX_NORMAL:
			if (is_space(c))
				break;
			if (c == '-' || c == '/') {
				x->state = c == '-' ? LX_DASH : LX_SLASH;
				x->pend = base + i;
				if (!mk->started)
					mk->hold = x->pend;
				break;
			}
			if (c == ';' && !mk->started)
				break; /* an empty statement */
			if (!mk->started) {
				mk->started = 1;
				mk->start = base + i;
			}
			mk->end = base + i + 1;
			if (c == '\'' || c == '"' || c == '`' || c == '[') {
				x->state = LX_QUOTE;
				x->quote = c == '[' ? ']' : c;
				mk->open_at = base + i;
			} else if (c == ';') {
				*used = i + 1;
				return LDR_LEX_END;
			}
			break;
		case LX_DASH:
		case LX_SLASH:
			if (c == (x->state == LX_DASH ? '-' : '*')) {
				x->state = c == '-' ? LX_LINE_COMMENT
						    : LX_BLOCK_COMMENT;
				mk->open_at = x->pend;
				mk->hold = LDR_LEX_NONE;
				break;
			}
			/* the held `-` or `/` was a token: take this byte anew
			 */
			held_is_token(x, mk);
			x->state = LX_NORMAL;
			continue;
		case LX_LINE_COMMENT:
			if (c == '\n')
				x->state = LX_NORMAL;
			break;
		case LX_BLOCK_COMMENT:
			if (c == '*')
				x->state = LX_BLOCK_STAR;
			break;
		case LX_BLOCK_STAR:
			if (c == '/')
				x->state = LX_NORMAL;
			else if (c != '*')
				x->state = LX_BLOCK_COMMENT;
			break;
		case LX_QUOTE:
			if (c == x->quote) {
				x->state = LX_QUOTE_END;
				mk->end = base + i + 1;
			}
			break;
		case LX_QUOTE_END:
			if (c == x->quote && c != ']') {
				x->state = LX_QUOTE; /* a doubled quote */
				break;
			}
			x->state = LX_NORMAL;
			continue;
		}
		i++;
	}
	*used = n;
	return LDR_LEX_MORE;
}

static int may_hold_trigger(const char *stmt, size_t len);

static int complete(void *lexer, const char *stmt, size_t len, int at_eof)
{
	(void)lexer;
	/* Only a statement that starts with CREATE or EXPLAIN can leave
	 * sqlite3_complete()'s "normal" state, where the first `;` outside
	 * quotes and comments (the lexer's) ends it: spare the second pass
	 * over every other statement. */
	if (!may_hold_trigger(stmt, len))
		return 1;
	if (!at_eof)
		return sqlite3_complete(stmt) != 0;
	/* Would a `;` end it here? */
	char *s = malloc(len + 2);
	if (!s)
		return LADDER_ENOMEM;
	memcpy(s, stmt, len);
	s[len] = ';';
	s[len + 1] = '\0';
	int ok = sqlite3_complete(s) != 0;
	free(s);
	return ok;
}

static const char *lex_finish(void *lexer, uint64_t at, struct ldr_lexmarks *mk)
{
	struct lexer *x = lexer;
	const char *what = NULL;
	(void)at;
	switch (x->state) {
	case LX_QUOTE:
		what = x->quote == '\'' ? "string literal"
					: "quoted identifier";
		break;
	case LX_BLOCK_COMMENT:
	case LX_BLOCK_STAR: what = "block comment"; break;
	case LX_DASH:
	case LX_SLASH:
		/* a lone `-` or `/`: a token, not a comment */
		held_is_token(x, mk);
		break;
	default: break;
	}
	x->state = LX_NORMAL;
	return what;
}

/* ------------------------------------------------------- classification -- */

/* A cursor over one statement's text for reading its leading words. */
struct cursor {
	const char *p, *end;
};

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}
/* Moves past whitespace and comments. */
static void skip_blank(struct cursor *k)
{
	while (k->p < k->end) {
		unsigned char c = (unsigned char)*k->p;
		if (is_space(c)) {
			k->p++;
		} else if (c == '-' && k->end - k->p > 1 && k->p[1] == '-') {
			while (k->p < k->end && *k->p != '\n')
				k->p++;
		} else if (c == '/' && k->end - k->p > 1 && k->p[1] == '*') {
			k->p += 2;
			while (k->p < k->end &&
			       !(*k->p == '*' && k->end - k->p > 1 &&
				 k->p[1] == '/'))
				k->p++;
			k->p = k->p < k->end ? k->p + 2 : k->end;
		} else {
			break;
		}
	}
}

/* Whether the next token is the bare word `kw` (upper case); consumes it
 * if so. */
static int take_word(struct cursor *k, const char *kw)
{
	skip_blank(k);
	size_t n = strlen(kw);
	const char *q = k->p;
	size_t i = 0;
	while (q < k->end && is_word_char((unsigned char)*q)) {
		char c = *q;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (i >= n || c != kw[i])
			return 0;
		q++;
		i++;
	}
	if (i != n)
		return 0;
	k->p = q;
	return 1;
}

/* Whether the statement starts with CREATE or EXPLAIN: the only first
 * words after which sqlite3_complete() looks for a trigger body. */
static int may_hold_trigger(const char *stmt, size_t len)
{
	struct cursor k = {stmt, stmt + len};
	skip_blank(&k);
	struct cursor e = k;
	return take_word(&k, "CREATE") || take_word(&e, "EXPLAIN");
}

/* Reads the next name — a bare word or a quoted identifier or string —
 * into `out` (lower case, quotes removed; empty when too long to be a name
 * we look for). Returns 0 when the next token is not a name. */
static int take_name(struct cursor *k, char *out, size_t cap)
{
	skip_blank(k);
	size_t n = 0;
	int fits = 1;
	if (k->p >= k->end)
		return 0;
	unsigned char c = (unsigned char)*k->p;
	if (is_word_char(c)) {
		for (; k->p < k->end && is_word_char((unsigned char)*k->p);
		     k->p++) {
			if (n + 1 < cap)
				out[n++] = *k->p;
			else
				fits = 0;
		}
	} else if (c == '"' || c == '\'' || c == '`' || c == '[') {
		char close = c == '[' ? ']' : (char)c;
		for (k->p++; k->p < k->end; k->p++) {
			if (*k->p == close) {
				if (close != ']' && k->end - k->p > 1 &&
				    k->p[1] == close)
					k->p++;
				else
					break;
			}
			if (n + 1 < cap)
				out[n++] = *k->p;
			else
				fits = 0;
		}
		if (k->p < k->end)
			k->p++;
	} else {
		return 0;
	}
	if (!fits)
		n = 0;
	for (size_t i = 0; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	out[n] = '\0';
	return 1;
}

static int take_char(struct cursor *k, char c)
{
	skip_blank(k);
	if (k->p < k->end && *k->p == c) {
		k->p++;
		return 1;
	}
	return 0;
}

/* Statements told apart by their first word alone. */
static const struct {
	const char *word;
	ldr_stmt_kind kind;
} first_words[] = {
	{"BEGIN", LDR_STMT_TX_CONTROL}, {"COMMIT", LDR_STMT_TX_CONTROL},
	{"END", LDR_STMT_TX_CONTROL},	{"VACUUM", LDR_STMT_NO_TX},
	{"ATTACH", LDR_STMT_NO_TX},	{"DETACH", LDR_STMT_NO_TX},
};

/* Classifies `sql`; *what names the leading keywords for messages. */
static ldr_stmt_kind classify(const char *sql, size_t len, const char **what)
{
	struct cursor k = {sql, sql + len};
	char name[32];

	*what = "";
	/* Every word looked for below starts with one of these letters:
	 * INSERT, CREATE TABLE and the like are told at their first byte. */
	skip_blank(&k);
	if (k.p == k.end || !strchr("BCEVADRPbcevadrp", *k.p))
		return LDR_STMT_PLAIN;
	for (size_t i = 0; i < sizeof(first_words) / sizeof(*first_words);
	     i++) {
		if (take_word(&k, first_words[i].word)) {
			*what = first_words[i].word;
			return first_words[i].kind;
		}
	}
	if (take_word(&k, "ROLLBACK")) {
		/* ROLLBACK [TRANSACTION [name]] TO [SAVEPOINT] name */
		int to;
		if (take_word(&k, "TRANSACTION"))
			to = take_word(&k, "TO") ||
			     (take_name(&k, name, sizeof(name)) &&
			      take_word(&k, "TO"));
		else
			to = take_word(&k, "TO");
		if (to)
			return LDR_STMT_PLAIN;
		*what = "ROLLBACK";
		return LDR_STMT_TX_CONTROL;
	}
	if (take_word(&k, "PRAGMA")) {
		/* PRAGMA [schema.]name (= value | (value)) */
		if (!take_name(&k, name, sizeof(name)))
			return LDR_STMT_PLAIN;
		if (take_char(&k, '.') && !take_name(&k, name, sizeof(name)))
			return LDR_STMT_PLAIN;
		if (!take_char(&k, '=') && !take_char(&k, '('))
			return LDR_STMT_PLAIN;
		if (!strcmp(name, "journal_mode")) {
			/* OFF and MEMORY leave no journal on disk to roll
			 * a later step back with: never under ladder. */
			char mode[16];
			if (take_name(&k, mode, sizeof(mode)) &&
			    (!strcmp(mode, "off") || !strcmp(mode, "memory"))) {
				*what = !strcmp(mode, "off")
						? "PRAGMA journal_mode = OFF"
						: "PRAGMA journal_mode = "
						  "MEMORY";
				return LDR_STMT_REFUSED;
			}
			*what = "PRAGMA journal_mode";
			return LDR_STMT_NO_TX;
		}
		if (!strcmp(name, "foreign_keys")) {
			*what = "PRAGMA foreign_keys";
			return LDR_STMT_NOOP_IN_TX;
		}
	}
	return LDR_STMT_PLAIN;
}

/* ---------------------------------------------------------------- rules -- */

static int explain(ldr_buf *out, ldr_stmt_kind kind, const char *what,
		   const char **code)
{
	switch (kind) {
	case LDR_STMT_TX_CONTROL:
		*code = "tx-control";
		return ldr_buf_addf(out,
				    "transaction control '%s' in a "
				    "transactional migration; ladder wraps "
				    "each migration in its own transaction "
				    "(set 'transaction: false' to manage it "
				    "yourself)",
				    what);
	case LDR_STMT_NO_TX:
		*code = "needs-no-transaction";
		return ldr_buf_addf(out,
				    "'%s' cannot run inside a transaction; set "
				    "'transaction: false' on this migration",
				    what);
	case LDR_STMT_NOOP_IN_TX:
		*code = "pragma-foreign-keys";
		return ldr_buf_addf(out,
				    "PRAGMA foreign_keys has no effect inside "
				    "a transaction; use 'foreign_keys: off' on "
				    "this migration instead");
	case LDR_STMT_REFUSED:
		if (!strncmp(what, "PRAGMA journal_mode", 19)) {
			*code = "journal-mode";
			return ldr_buf_addf(out, LDR_SQLITE_JOURNAL_MODE_MSG,
					    what + 22);
		}
		break;
	case LDR_STMT_PLAIN: break;
	}
	*code = "sql-refused";
	return ldr_buf_addf(out, "'%s' cannot run under ladder", what);
}

/* A private in-memory connection prepares the statement and keeps
 * nothing: the parser finds syntax errors before it looks at the schema,
 * and only its syntax errors are reported (the schema is empty here). */
static int syntax(void **state, const char *sql, size_t len, size_t *offset,
		  ldr_buf *msg)
{
	sqlite3 *db = *state;
	if (!db) {
		if (sqlite3_open_v2(":memory:", &db,
				    SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY,
				    NULL) != SQLITE_OK) {
			sqlite3_close(db);
			return 0; /* no check rather than a false one */
		}
		*state = db;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, (int)len, &st, NULL);
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_NOMEM)
		return LADDER_ENOMEM;
	const char *m = sqlite3_errmsg(db);
	size_t n = strlen(m);
	int is_syntax = (n >= 12 && !strcmp(m + n - 12, "syntax error")) ||
			!strncmp(m, "unrecognized token", 18);
	if (!is_syntax)
		return 0;
	int off = sqlite3_error_offset(db);
	*offset = off >= 0 && (size_t)off < len ? (size_t)off : SIZE_MAX;
	return ldr_buf_addf(msg, "%s", m) ? LADDER_ENOMEM : 1;
}

static void syntax_end(void *state)
{
	sqlite3_close(state);
}

static int table_name_ok(const char *s, const char **why)
{
	int ok = isalpha((unsigned char)s[0]) || s[0] == '_';
	for (const char *c = s + 1; ok && *c; c++)
		ok = isalnum((unsigned char)*c) || *c == '_';
	if (!ok) {
		*why = "is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*)";
		return 1;
	}
	if (!strncasecmp(s, "sqlite_", 7)) {
		*why = "is reserved by SQLite (names starting with 'sqlite_')";
		return 2;
	}
	return 0;
}

/* --------------------------------------------------------------- export -- */

/* A string literal with '' doubled inside (sqlite3's %q); NULL as NULL. */
static int quote_string(ldr_buf *out, const char *s)
{
	return s ? ldr_script_quoted(out, s, '\'')
		 : ldr_buf_add(out, "NULL", 4);
}

static int script_header(ldr_buf *out, const char *manifest, const char *target)
{
	return ldr_buf_addf(out,
			    "-- Written by 'ladder export' from %s: the "
			    "migrations pending on %s.\n"
			    "-- Run it with the sqlite3 shell: sqlite3 "
			    "DATABASE < THIS_FILE\n"
			    "-- Each step is one transaction with its "
			    "bookkeeping row; the first error\n"
			    "-- (a step already present, a failing statement) "
			    "stops the script with\n"
			    "-- that step rolled back.\n"
			    ".bail on\nPRAGMA foreign_keys = ON;\n",
			    manifest, target);
}

/* A statement that fails, stopping the script, when `count_sql` counts
 * anything. Written as a CHECK on a temporary table so that the plain
 * shell needs no extension. */
static int guard(ldr_buf *out, const char *what, const char *count_sql)
{
	return ldr_buf_addf(out,
			    "CREATE TEMP TABLE IF NOT EXISTS ladder_guard_%s "
			    "(n INTEGER CHECK (n = 0));\n"
			    "INSERT INTO ladder_guard_%s %s;\n"
			    "DELETE FROM ladder_guard_%s;\n",
			    what, what, count_sql, what);
}

static int bookkeeping_row(ldr_buf *out, const char *table,
			   const ladder_migration *m, const char *applied_at)
{
	int rc = ldr_buf_add(out, "INSERT INTO main.", 17);
	if (!rc)
		rc = ldr_script_quote_ident(out, table);
	return rc ? rc
		  : ldr_script_row_values(out, m, applied_at, quote_string);
}

static int script_step_begin(ldr_buf *out, const char *table,
			     const ladder_migration *m, const char *applied_at)
{
	int rc = 0;
	if (m->foreign_keys_off)
		rc = ldr_buf_addf(out, "PRAGMA foreign_keys = OFF;\n");
	if (rc)
		return rc;
	if (m->transactional) {
		if ((rc = ldr_buf_addf(out, "BEGIN IMMEDIATE;\n")))
			return rc;
		return bookkeeping_row(out, table, m, applied_at);
	}
	ldr_buf present = LDR_BUF_INIT;
	if (!(rc = ldr_buf_add(&present, "SELECT count(*) FROM main.", 26)) &&
	    !(rc = ldr_script_quote_ident(&present, table)) &&
	    !(rc = ldr_buf_addf(&present, " WHERE id = %" PRId64, m->id)))
		rc = guard(out, "present", present.data);
	ldr_buf_release(&present);
	return rc;
}

static int script_step_end(ldr_buf *out, const char *table,
			   const ladder_migration *m, const char *applied_at)
{
	int rc = 0;
	if (m->foreign_keys_off)
		rc = guard(out, "foreign_keys",
			   "SELECT count(*) FROM pragma_foreign_key_check");
	if (!rc)
		rc = m->transactional
			     ? ldr_buf_addf(out, "COMMIT;\n")
			     : bookkeeping_row(out, table, m, applied_at);
	if (!rc && m->foreign_keys_off)
		rc = ldr_buf_addf(out, "PRAGMA foreign_keys = ON;\n");
	return rc;
}

static const char *const schemes[] = {"sqlite", "sqlite3", NULL};

const struct ldr_dialect ldr_dialect_sqlite = {
	.name = "sqlite",
	.schemes = schemes,
	.caps = LDR_CAP_FK_OFF | LDR_CAP_SCRATCH | LDR_CAP_BACKUP |
		LDR_CAP_TX_DDL,
	.target_is_path = 1,
	.lexer_size = sizeof(struct lexer),
	.lex = lex,
	.complete = complete,
	.lex_finish = lex_finish,
	.incomplete_hint = "a trigger body without END?",
	.classify = classify,
	.explain = explain,
	.syntax = syntax,
	.syntax_end = syntax_end,
	.table_name_ok = table_name_ok,
	.quote_ident = ldr_script_quote_ident,
	.quote_string = quote_string,
	.script_header = script_header,
	.script_step_begin = script_step_begin,
	.script_step_end = script_step_end,
};
