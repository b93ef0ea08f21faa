/*
 * sqlfile.c — reading a migration file: a streaming statement splitter that
 * knows where each statement starts, the file's checksum, and the
 * classification of statements that the transaction rules care about.
 *
 * The splitter is a byte-level state machine fed one read buffer at a time,
 * so its state survives chunk boundaries; only the current statement is
 * kept. At a `;` outside quotes and comments, sqlite3_complete() on the text
 * so far decides whether the statement ends there (it does not inside a
 * CREATE TRIGGER body).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sha2.h>
#include <sqlite3.h>

#include "internal.h"

#define CHUNK_SIZE 65536

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

struct ldr_sqlreader {
	int fd;		 /* -1 for a memory reader */
	const char *mem; /* memory reader: the caller's bytes */
	size_t mem_len, mem_pos;
	char *display;
	ladder_diags *diags;

	unsigned char *rbuf;	    /* CHUNK_SIZE bytes, file readers only */
	const unsigned char *chunk; /* the bytes being lexed */
	size_t chunk_len, pos;
	int started_reading; /* the first chunk (and its BOM) was seen */
	int eof;	     /* no more bytes to read */
	int io_failed;	     /* a read failed (and was reported) */
	int done;	     /* next() has nothing more to return */
	int status;	     /* sticky error from next(), or 0 */

	SHA2_CTX sha;
	int cr_pending; /* the last hashed byte was a held-back CR */
	int hashed;	/* the digest below is final */
	char hex[LDR_CHECKSUM_HEX];

	enum lex_state state;
	unsigned char quote;	      /* closing character of the open quote */
	unsigned line, col;	      /* position of the byte at `pos` */
	unsigned pend_line, pend_col; /* of the `-` or `/` held in DASH/SLASH */
	unsigned q_line, q_col; /* where the open quote or comment began */

	ldr_buf stmt;		/* the current statement */
	int started;		/* its first token was seen */
	int returned;		/* `stmt` was handed out; clear before reuse */
	size_t span;		/* chunk offset not yet copied into `stmt` */
	size_t sig_len;		/* `stmt` length through its last token */
	unsigned s_line, s_col; /* where the statement starts */
	int no_hash;		/* the caller wants no checksum: skip SHA */
};

/* ------------------------------------------------------------ checksum -- */

/* Hashes `n` bytes with every CR LF turned into LF. A CR that ends the chunk
 * is held back until the next byte (or the end of the file) is known. */
static void hash_bytes(ldr_sqlreader *r, const unsigned char *p, size_t n)
{
	if (!n || r->no_hash)
		return;
	if (r->cr_pending) {
		r->cr_pending = 0;
		if (p[0] != '\n')
			SHA256Update(&r->sha, (const uint8_t *)"\r", 1);
	}
	size_t start = 0, scan = 0;
	const unsigned char *cr;
	while (scan < n && (cr = memchr(p + scan, '\r', n - scan))) {
		size_t k = (size_t)(cr - p);
		if (k + 1 == n) {
			SHA256Update(&r->sha, p + start, k - start);
			r->cr_pending = 1;
			return;
		}
		if (p[k + 1] == '\n') {
			SHA256Update(&r->sha, p + start, k - start);
			start = k + 1;
		}
		scan = k + 1;
	}
	SHA256Update(&r->sha, p + start, n - start);
}

/* --------------------------------------------------------------- input -- */

/* Loads the next chunk into r->chunk and hashes it. The first chunk holds
 * at least three bytes unless the file is shorter, so that a BOM is always
 * seen whole; it is skipped. Returns 0 (r->eof set when nothing is left) or
 * LADDER_EIO with a diagnostic. */
static int fill(ldr_sqlreader *r)
{
	r->chunk_len = r->pos = r->span = 0;
	if (r->io_failed)
		return LADDER_EIO;
	if (r->eof)
		return 0;
	if (r->fd < 0) {
		size_t n = r->mem_len - r->mem_pos;
		if (n > CHUNK_SIZE)
			n = CHUNK_SIZE;
		r->chunk = (const unsigned char *)r->mem + r->mem_pos;
		r->chunk_len = n;
		r->mem_pos += n;
	} else {
		size_t want = r->started_reading ? 1 : 3;
		r->chunk = r->rbuf;
		while (r->chunk_len < want) {
			ssize_t n = read(r->fd, r->rbuf + r->chunk_len,
					 CHUNK_SIZE - r->chunk_len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ldr_error(r->diags, "file", r->display, 0, 0,
					  "cannot read '%s': %s", r->display,
					  strerror(errno));
				r->io_failed = 1;
				return LADDER_EIO;
			}
			if (n == 0)
				break;
			r->chunk_len += (size_t)n;
		}
	}
	if (!r->chunk_len) {
		r->eof = 1;
		return 0;
	}
	if (!r->started_reading) {
		r->started_reading = 1;
		if (r->chunk_len >= 3 && !memcmp(r->chunk, "\xEF\xBB\xBF", 3))
			r->pos = r->span = 3;
	}
	hash_bytes(r, r->chunk + r->pos, r->chunk_len - r->pos);
	return 0;
}

static int reader_new(ldr_sqlreader **out, const char *display,
		      ladder_diags *diags)
{
	ldr_sqlreader *r = calloc(1, sizeof(*r));
	if (!r)
		return LADDER_ENOMEM;
	r->fd = -1;
	r->diags = diags;
	r->line = r->col = 1;
	r->display = ldr_strdup(display ? display : "");
	if (!r->display) {
		free(r);
		return LADDER_ENOMEM;
	}
	SHA256Init(&r->sha);
	*out = r;
	return 0;
}

int ldr_sqlreader_open(ldr_sqlreader **out, const char *path,
		       const char *display, ladder_diags *diags)
{
	*out = NULL;
	if (!display)
		display = path;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ldr_error(diags, "file", display, 0, 0, "cannot open '%s': %s",
			  display, strerror(errno));
		return LADDER_EIO;
	}
	return ldr_sqlreader_open_fd(out, fd, display, diags);
}

int ldr_sqlreader_open_fd(ldr_sqlreader **out, int fd, const char *display,
			  ladder_diags *diags)
{
	*out = NULL;
	ldr_sqlreader *r = NULL;
	int rc = reader_new(&r, display, diags);
	if (rc) {
		close(fd);
		return rc;
	}
	r->fd = fd;
	r->rbuf = malloc(CHUNK_SIZE);
	if (!r->rbuf) {
		ldr_sqlreader_free(r);
		return LADDER_ENOMEM;
	}
	*out = r;
	return 0;
}

int ldr_sqlreader_open_mem(ldr_sqlreader **out, const char *data, size_t len,
			   const char *display, ladder_diags *diags)
{
	*out = NULL;
	int rc = reader_new(out, display, diags);
	if (rc)
		return rc;
	(*out)->mem = data;
	(*out)->mem_len = data ? len : 0;
	return 0;
}

void ldr_sqlreader_free(ldr_sqlreader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->rbuf);
	free(r->display);
	ldr_buf_release(&r->stmt);
	free(r);
}

/* ------------------------------------------------------------ splitter -- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Copies the chunk bytes [span, end) into the statement. */
static int flush_span(ldr_sqlreader *r, size_t end)
{
	int rc = 0;
	if (r->started && end > r->span)
		rc = ldr_buf_add(&r->stmt, (const char *)r->chunk + r->span,
				 end - r->span);
	r->span = end;
	return rc;
}

/* The statement's length if it ended just before chunk offset `i`. */
static size_t stmt_len_at(const ldr_sqlreader *r, size_t i)
{
	return r->stmt.len + (i - r->span);
}

static void start_stmt(ldr_sqlreader *r, size_t i, unsigned line, unsigned col)
{
	r->started = 1;
	r->span = i;
	r->s_line = line;
	r->s_col = col;
}

/* The end of the input: returns what is left as the last statement (1),
 * nothing (0), or an error for text that never ends. */
static int finish(ldr_sqlreader *r, const char **sql, size_t *len,
		  unsigned *line, unsigned *column)
{
	const char *what = NULL;
	switch (r->state) {
	case LX_QUOTE:
		what = r->quote == '\'' ? "string literal"
					: "quoted identifier";
		break;
	case LX_BLOCK_COMMENT:
	case LX_BLOCK_STAR: what = "block comment"; break;
	case LX_DASH:
	case LX_SLASH:
		/* a lone `-` or `/`: a token, not a comment */
		if (!r->started) {
			r->started = 1;
			r->s_line = r->pend_line;
			r->s_col = r->pend_col;
			if (ldr_buf_addc(&r->stmt,
					 r->state == LX_DASH ? '-' : '/'))
				return LADDER_ENOMEM;
		}
		r->sig_len = r->stmt.len;
		break;
	default: break;
	}
	r->state = LX_NORMAL;
	if (what) {
		ldr_error(r->diags, "sql-incomplete", r->display, r->q_line,
			  r->q_col, "unterminated %s starting at line %u", what,
			  r->q_line);
		return LADDER_EINVALID;
	}
	r->done = 1;
	if (!r->started)
		return 0;
	/* drop trailing blanks and comments, then see whether a `;` ends it */
	r->stmt.len = r->sig_len;
	if (ldr_buf_addc(&r->stmt, ';'))
		return LADDER_ENOMEM;
	int complete = sqlite3_complete(r->stmt.data);
	r->stmt.data[--r->stmt.len] = '\0';
	if (!complete) {
		ldr_error(r->diags, "sql-incomplete", r->display, r->s_line,
			  r->s_col,
			  "incomplete statement at end of file (a trigger body "
			  "without END?)");
		return LADDER_EINVALID;
	}
	r->returned = 1;
	*sql = r->stmt.data;
	*len = r->stmt.len;
	*line = r->s_line;
	*column = r->s_col;
	return 1;
}

/* Runs the lexer over the chunk from r->pos until a statement ends (1) or
 * the chunk is used up (0). */
static int lex_chunk(ldr_sqlreader *r)
{
	const unsigned char *p = r->chunk;
	size_t n = r->chunk_len;
	size_t i = r->pos;
	int rc = 0;

	while (i < n) {
		unsigned char c = p[i];
		if (!c) {
			ldr_error(
				r->diags, "sql-binary", r->display, r->line,
				r->col,
				"'%s' holds a NUL byte; a migration file must "
				"be text",
				r->display);
			rc = LADDER_EINVALID;
			goto out;
		}
		switch (r->state) {
		case LX_NORMAL:
			if (is_space(c))
				break;
			if (c == '-' || c == '/') {
				r->state = c == '-' ? LX_DASH : LX_SLASH;
				r->pend_line = r->line;
				r->pend_col = r->col;
				break;
			}
			if (c == ';' && !r->started)
				break; /* an empty statement */
			if (!r->started)
				start_stmt(r, i, r->line, r->col);
			r->sig_len = stmt_len_at(r, i + 1);
			if (c == '\'' || c == '"' || c == '`' || c == '[') {
				r->state = LX_QUOTE;
				r->quote = c == '[' ? ']' : c;
				r->q_line = r->line;
				r->q_col = r->col;
			} else if (c == ';') {
				if ((rc = flush_span(r, i + 1)))
					goto out;
				if (sqlite3_complete(r->stmt.data)) {
					r->col++;
					i++;
					rc = 1;
					goto out;
				}
			}
			break;
		case LX_DASH:
		case LX_SLASH:
			if (c == (r->state == LX_DASH ? '-' : '*')) {
				r->state = c == '-' ? LX_LINE_COMMENT
						    : LX_BLOCK_COMMENT;
				r->q_line = r->pend_line;
				r->q_col = r->pend_col;
				break;
			}
			/* the held `-` or `/` was a token: take this byte anew
			 */
			if (!r->started) {
				if (ldr_buf_addc(&r->stmt, r->state == LX_DASH
								   ? '-'
								   : '/')) {
					rc = LADDER_ENOMEM;
					goto out;
				}
				r->started = 1;
				r->s_line = r->pend_line;
				r->s_col = r->pend_col;
				r->span = i;
			}
			r->sig_len = stmt_len_at(r, i);
			r->state = LX_NORMAL;
			continue;
		case LX_LINE_COMMENT:
			if (c == '\n')
				r->state = LX_NORMAL;
			break;
		case LX_BLOCK_COMMENT:
			if (c == '*')
				r->state = LX_BLOCK_STAR;
			break;
		case LX_BLOCK_STAR:
			if (c == '/')
				r->state = LX_NORMAL;
			else if (c != '*')
				r->state = LX_BLOCK_COMMENT;
			break;
		case LX_QUOTE:
			if (c == r->quote) {
				r->state = LX_QUOTE_END;
				r->sig_len = stmt_len_at(r, i + 1);
			}
			break;
		case LX_QUOTE_END:
			if (c == r->quote && c != ']') {
				r->state = LX_QUOTE; /* a doubled quote */
				break;
			}
			r->state = LX_NORMAL;
			continue;
		}
		if (c == '\n') {
			r->line++;
			r->col = 1;
		} else {
			r->col++;
		}
		i++;
	}
	rc = flush_span(r, i);
out:
	r->pos = i;
	return rc;
}

int ldr_sqlreader_next(ldr_sqlreader *r, const char **sql, size_t *len,
		       unsigned *line, unsigned *column)
{
	if (r->status)
		return r->status;
	if (r->done)
		return 0;
	if (r->returned) {
		ldr_buf_reset(&r->stmt);
		r->returned = r->started = 0;
		r->sig_len = 0;
		r->span = r->pos;
	}
	int rc;
	for (;;) {
		if (r->pos == r->chunk_len) {
			if ((rc = fill(r)))
				break;
			if (r->eof) {
				rc = finish(r, sql, len, line, column);
				break;
			}
		}
		rc = lex_chunk(r);
		if (rc == 1) {
			r->returned = 1;
			*sql = r->stmt.data;
			*len = r->stmt.len;
			*line = r->s_line;
			*column = r->s_col;
			return 1;
		}
		if (rc)
			break;
	}
	if (rc < 0)
		r->status = rc;
	return rc;
}

void ldr_sqlreader_checksum(ldr_sqlreader *r, char hex[LDR_CHECKSUM_HEX])
{
	if (!r->hashed) {
		/* the rest of the file, should the caller have stopped early */
		while (!r->eof && !r->io_failed) {
			if (fill(r))
				r->status = LADDER_EIO;
			r->done = 1; /* the lexer lost its place */
		}
		if (r->cr_pending)
			SHA256Update(&r->sha, (const uint8_t *)"\r", 1);
		r->cr_pending = 0;
		uint8_t digest[SHA256_DIGEST_LENGTH];
		SHA256Final(digest, &r->sha);
		static const char digits[] = "0123456789abcdef";
		for (size_t i = 0; i < SHA256_DIGEST_LENGTH; i++) {
			r->hex[2 * i] = digits[digest[i] >> 4];
			r->hex[2 * i + 1] = digits[digest[i] & 15];
		}
		r->hex[2 * SHA256_DIGEST_LENGTH] = '\0';
		r->hashed = 1;
	}
	memcpy(hex, r->hex, LDR_CHECKSUM_HEX);
}

/* ------------------------------------------------------ classification -- */

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
			*what = "PRAGMA journal_mode";
			return LDR_STMT_NO_TX;
		}
		if (!strcmp(name, "foreign_keys")) {
			*what = "PRAGMA foreign_keys";
			return LDR_STMT_PRAGMA_FK;
		}
	}
	return LDR_STMT_PLAIN;
}

ldr_stmt_kind ldr_sql_classify(const char *sql, size_t len)
{
	const char *what;
	return classify(sql, len, &what);
}

/* ---------------------------------------------------------------- scan -- */

/* The scan proper, over an open reader (which it frees). */
static int scan(ldr_sqlreader *r, int rc, const char *display,
		int transactional, ldr_sqlinfo *out, ladder_diags *diags)
{
	size_t count = 0;
	int invalid = 0;
	if (out)
		memset(out, 0, sizeof(*out));
	if (rc)
		goto out;
	/* A scan only for the rules (up's check of what it is about to run)
	 * need not hash: the run hashes what it executes. */
	r->no_hash = !out;

	const char *sql;
	size_t len;
	unsigned line, col;
	while ((rc = ldr_sqlreader_next(r, &sql, &len, &line, &col)) == 1) {
		count++;
		if (!transactional)
			continue;
		const char *what;
		switch (classify(sql, len, &what)) {
		case LDR_STMT_PLAIN: break;
		case LDR_STMT_TX_CONTROL:
			invalid = 1;
			ldr_error(diags, "tx-control", display, line, col,
				  "transaction control '%s' in a transactional "
				  "migration; ladder wraps each migration in "
				  "its own transaction (set 'transaction: "
				  "false' to manage it yourself)",
				  what);
			break;
		case LDR_STMT_NO_TX:
			invalid = 1;
			ldr_error(diags, "needs-no-transaction", display, line,
				  col,
				  "'%s' cannot run inside a transaction; set "
				  "'transaction: false' on this migration",
				  what);
			break;
		case LDR_STMT_PRAGMA_FK:
			invalid = 1;
			ldr_error(
				diags, "pragma-foreign-keys", display, line,
				col,
				"PRAGMA foreign_keys has no effect inside a "
				"transaction; use 'foreign_keys: off' on this "
				"migration instead");
			break;
		}
	}
	if (rc == 0 && count == 0) {
		invalid = 1;
		/* A file-wide problem: named at its first line. */
		ldr_error(diags, "sql-empty", display, 1, 0,
			  "'%s' holds no SQL statement", display);
	}
	if (out) {
		out->statements = count;
		ldr_sqlreader_checksum(r, out->checksum);
	}
	if (rc == 0 && invalid)
		rc = LADDER_EINVALID;
out:
	ldr_sqlreader_free(r);
	return rc;
}

int ldr_sqlfile_scan(const char *path, const char *display, int transactional,
		     ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	if (!display)
		display = path;
	int rc = ldr_sqlreader_open(&r, path, display, diags);
	return scan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_scan_fd(int fd, const char *display, int transactional,
			ldr_sqlinfo *out, ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_fd(&r, fd, display, diags);
	return scan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_scan_mem(const char *data, size_t len, const char *display,
			 int transactional, ldr_sqlinfo *out,
			 ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_mem(&r, data, len, display, diags);
	return scan(r, rc, display, transactional, out, diags);
}

int ldr_sqlfile_checksum_fd(int fd, const char *display,
			    char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_fd(&r, fd, display, diags);
	if (!rc) {
		/* Before any statement: the reader hashes without lexing. */
		ldr_sqlreader_checksum(r, hex);
		if (r->io_failed) /* fill() has said why */
			rc = LADDER_EIO;
	}
	ldr_sqlreader_free(r);
	return rc;
}
