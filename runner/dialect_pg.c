/*
 * dialect_pg.c — PostgreSQL's rules that need no server: where a statement
 * ends (the lexer), what it is (the classifier), which bookkeeping table
 * names are allowed, and how names and strings are quoted.
 *
 * The lexer follows PostgreSQL 15's scan.l for quotes and comments and
 * psql's psqlscan.l for where a statement ends, so ladder splits a file as
 * `psql -f` does:
 *   - `;` ends a statement outside quotes, comments, dollar quotes and
 *     parentheses, and outside a BEGIN ... END body of CREATE [OR REPLACE]
 *     FUNCTION/PROCEDURE (psql's heuristic: counted BEGIN/CASE/END words
 *     once the statement's first identifiers were CREATE [OR REPLACE]
 *     FUNCTION|PROCEDURE, at parenthesis depth 0);
 *   - '...' with '' doubled (standard_conforming_strings: no backslash
 *     escapes); E'...' with backslash escapes; U&'...' and U&"...";
 *     "quoted identifiers"; $tag$ ... $tag$ (tag: [A-Za-z\200-\377_]
 *     [A-Za-z\200-\377_0-9]*, or empty; `$1` is a parameter, and a `$`
 *     inside a word belongs to the word); `--` comments to the end of the
 *     line; nested block comments;
 *   - a backslash outside quotes starts a psql meta-command, which runs to
 *     the end of its line; the classifier refuses the statement holding it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialect.h"
#ifdef LADDER_HAVE_PG_QUERY
#include "pg_grammar.h"
#endif

/* ---------------------------------------------------------------- lexer -- */

enum pg_state {
	PG_NORMAL,
	PG_WORD,	/* inside an identifier, keyword or number */
	PG_DASH,	/* a `-` that may start `--` (held at pend) */
	PG_SLASH,	/* a `/` that may start a block comment */
	PG_UAMP,	/* `U&`: a quote may follow */
	PG_LINE,	/* -- comment */
	PG_BLOCK,	/* block comment, depth `depth` */
	PG_BLOCK_STAR,	/* ... after a `*` */
	PG_BLOCK_SLASH, /* ... after a `/` */
	PG_SQ,		/* '...' (also U&'...', B'', X'', N'') */
	PG_SQ_END,	/* after a `'` that may be doubled */
	PG_ESQ,		/* E'...' */
	PG_ESQ_ESC,	/* ... after a backslash */
	PG_ESQ_END,
	PG_DQ, /* "..." (also U&"...") */
	PG_DQ_END,
	PG_DOLTAG,   /* after a `$` that may open a dollar quote */
	PG_DOLLAR,   /* inside $tag$ ... */
	PG_DOLCLOSE, /* ... after a `$` that may close it */
	PG_META	     /* a psql backslash command, to the end of the line */
};

#define WORD_MAX 16 /* longer words are never keywords we look for */
#define TAG_SHOW 64 /* tag bytes kept to compare and to show */

struct pglex {
	enum pg_state state;
	uint64_t pend;	     /* offset of the held `-`, `/`, `&` or `$` */
	uint64_t word_at;    /* offset of the word being read */
	unsigned word_len;   /* its length (may exceed WORD_MAX) */
	char word[WORD_MAX]; /* its first bytes, lower-cased */
	unsigned depth;	     /* block comment nesting */
	/* The dollar quote: its tag's length, FNV-1a hash and first bytes;
	 * `k`, `h` and `match` follow a candidate closing tag. */
	size_t tag_len, k;
	uint64_t tag_hash, h;
	int match;
	unsigned char tag[TAG_SHOW];
	/* psql's BEGIN ... END tracking, reset at each statement's end. */
	unsigned idents;
	char first[4]; /* first letters of the first identifiers that were
			* create/or/replace/function/procedure */
	unsigned parens, begins;
	uint64_t begin_at;
	int meta; /* a backslash command was seen in this statement */
	char what[32 + TAG_SHOW];
};

#define FNV_INIT       14695981039346656037ULL
#define FNV_STEP(h, c) (((h) ^ (c)) * 1099511628211ULL)

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       c == '\v';
}
static int ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c >= 0x80;
}
static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}
static int ident_cont(unsigned char c)
{
	return ident_start(c) || is_digit(c) || c == '$';
}
static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int word_is(const struct pglex *x, const char *kw)
{
	size_t n = strlen(kw);
	return x->word_len == n && !memcmp(x->word, kw, n);
}

/* A significant byte at `at`: the statement has started (or goes on). */
static void token(struct ldr_lexmarks *mk, uint64_t at, uint64_t end)
{
	if (!mk->started) {
		mk->started = 1;
		mk->start = at;
	}
	mk->end = end;
}

static void word_begin(struct pglex *x, uint64_t at)
{
	x->state = PG_WORD;
	x->word_at = at;
	x->word_len = 0;
}

static void word_add(struct pglex *x, unsigned char c)
{
	if (x->word_len < WORD_MAX)
		x->word[x->word_len] = (char)lower(c);
	x->word_len++;
}

/* A word ended: psql's bookkeeping of CREATE FUNCTION ... BEGIN ... END. */
static void word_end(struct pglex *x)
{
	if (!ident_start((unsigned char)x->word[0]))
		return; /* a number or a parameter */
	if (x->idents < 4 && (word_is(x, "create") || word_is(x, "function") ||
			      word_is(x, "procedure") || word_is(x, "or") ||
			      word_is(x, "replace")))
		x->first[x->idents] = x->word[0];
	x->idents++;
	const char *f = x->first;
	int in_create =
		f[0] == 'c' &&
		(f[1] == 'f' || f[1] == 'p' ||
		 (f[1] == 'o' && f[2] == 'r' && (f[3] == 'f' || f[3] == 'p')));
	if (!in_create || x->parens)
		return;
	if (word_is(x, "begin")) {
		if (x->begins++ == 0)
			x->begin_at = x->word_at;
	} else if (word_is(x, "case")) {
		if (x->begins)
			x->begins++;
	} else if (word_is(x, "end")) {
		if (x->begins)
			x->begins--;
	}
}

/* The statement ended: forget what was counted in it. */
static void statement_end(struct pglex *x)
{
	x->idents = 0;
	memset(x->first, 0, sizeof(x->first));
	x->parens = x->begins = 0;
	x->meta = 0;
}

static int lex(void *lexer, const unsigned char *p, size_t n, uint64_t base,
	       size_t *used, struct ldr_lexmarks *mk)
{
	struct pglex *x = lexer;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		uint64_t at = base + i;
		switch (x->state) {
		case PG_NORMAL:
			if (is_space(c))
				break;
			if (c == '-' || c == '/') {
				x->state = c == '-' ? PG_DASH : PG_SLASH;
				x->pend = at;
				if (!mk->started)
					mk->hold = at;
				break;
			}
			if (c == ';' && !mk->started)
				break; /* an empty statement */
			token(mk, at, at + 1);
			if (ident_start(c) || is_digit(c)) {
				word_begin(x, at);
				word_add(x, c);
			} else if (c == '\'') {
				x->state = PG_SQ;
				mk->open_at = at;
			} else if (c == '"') {
				x->state = PG_DQ;
				mk->open_at = at;
			} else if (c == '$') {
				x->state = PG_DOLTAG;
				x->pend = at;
				x->tag_len = 0;
				x->tag_hash = FNV_INIT;
			} else if (c == '\\') {
				x->state = PG_META;
				x->meta = 1;
			} else if (c == '(') {
				x->parens++;
			} else if (c == ')') {
				if (x->parens)
					x->parens--;
			} else if (c == ';' && !x->parens && !x->begins) {
				statement_end(x);
				*used = i + 1;
				return LDR_LEX_END;
			}
			break;
		case PG_WORD:
			if (ident_cont(c)) {
				word_add(x, c);
				mk->end = at + 1;
				break;
			}
			x->state = PG_NORMAL;
			if (x->word_len == 1 && x->word[0] == 'e' &&
			    c == '\'') {
				x->state = PG_ESQ; /* E'...' is no word */
				mk->open_at = x->word_at;
				mk->end = at + 1;
				break;
			}
			if (x->word_len == 1 && x->word[0] == 'u' && c == '&') {
				x->state = PG_UAMP;
				x->pend = x->word_at;
				mk->end = at + 1;
				break;
			}
			word_end(x);
			continue;
		case PG_UAMP:
			x->state = PG_NORMAL;
			if (c == '\'' || c == '"') {
				x->state = c == '\'' ? PG_SQ : PG_DQ;
				mk->open_at = x->pend;
				mk->end = at + 1;
				break;
			}
			word_end(x); /* `u` was a word after all */
			continue;
		case PG_DASH:
		case PG_SLASH:
			if (c == (x->state == PG_DASH ? '-' : '*')) {
				x->state = c == '-' ? PG_LINE : PG_BLOCK;
				x->depth = 1;
				mk->open_at = x->pend;
				mk->hold = LDR_LEX_NONE;
				break;
			}
			/* the held `-` or `/` was an operator */
			token(mk, x->pend, x->pend + 1);
			x->state = PG_NORMAL;
			continue;
		case PG_LINE:
			if (c == '\n' || c == '\r')
				x->state = PG_NORMAL;
			break;
		case PG_BLOCK:
			if (c == '*')
				x->state = PG_BLOCK_STAR;
			else if (c == '/')
				x->state = PG_BLOCK_SLASH;
			break;
		case PG_BLOCK_STAR:
			if (c == '/')
				x->state = --x->depth ? PG_BLOCK : PG_NORMAL;
			else if (c != '*')
				x->state = PG_BLOCK;
			break;
		case PG_BLOCK_SLASH:
			if (c == '*') {
				x->depth++;
				x->state = PG_BLOCK;
			} else if (c != '/') {
				x->state = PG_BLOCK;
			}
			break;
		case PG_SQ:
		case PG_ESQ:
			if (c == '\'') {
				x->state = x->state == PG_SQ ? PG_SQ_END
							     : PG_ESQ_END;
				mk->end = at + 1;
			} else if (c == '\\' && x->state == PG_ESQ) {
				x->state = PG_ESQ_ESC;
			}
			break;
		case PG_ESQ_ESC: x->state = PG_ESQ; break;
		case PG_SQ_END:
		case PG_ESQ_END:
			if (c == '\'') { /* a doubled quote */
				x->state =
					x->state == PG_SQ_END ? PG_SQ : PG_ESQ;
				break;
			}
			x->state = PG_NORMAL;
			continue;
		case PG_DQ:
			if (c == '"') {
				x->state = PG_DQ_END;
				mk->end = at + 1;
			}
			break;
		case PG_DQ_END:
			if (c == '"') {
				x->state = PG_DQ;
				break;
			}
			x->state = PG_NORMAL;
			continue;
		case PG_DOLTAG:
			if (c == '$') {
				x->state = PG_DOLLAR;
				mk->open_at = x->pend;
				mk->end = at + 1;
				break;
			}
			if (ident_start(c) || (x->tag_len && is_digit(c))) {
				if (x->tag_len < TAG_SHOW)
					x->tag[x->tag_len] = c;
				x->tag_len++;
				x->tag_hash = FNV_STEP(x->tag_hash, c);
				mk->end = at + 1;
				break;
			}
			/* Not a dollar quote (`$1` is a parameter: no tag
			 * starts with a digit): the `$` was a token and the
			 * tag's bytes a word (scan.l's dolqfailed). */
			if (x->tag_len) {
				word_begin(x, x->pend + 1);
				for (size_t j = 0;
				     j < x->tag_len && j < TAG_SHOW; j++)
					word_add(x, x->tag[j]);
				x->word_len = (unsigned)x->tag_len;
			} else {
				x->state = PG_NORMAL;
			}
			continue;
		case PG_DOLLAR:
			if (c == '$') {
				x->state = PG_DOLCLOSE;
				x->k = 0;
				x->h = FNV_INIT;
				x->match = 1;
			}
			break;
		case PG_DOLCLOSE:
			if (c == '$') {
				if (x->k == x->tag_len && x->h == x->tag_hash &&
				    x->match) {
					x->state = PG_NORMAL;
					mk->end = at + 1;
				} else { /* this `$` may open the closing tag */
					x->k = 0;
					x->h = FNV_INIT;
					x->match = 1;
				}
				break;
			}
			if (ident_start(c) || (x->k && is_digit(c))) {
				if (x->k < TAG_SHOW && x->k < x->tag_len &&
				    x->tag[x->k] != c)
					x->match = 0;
				x->k++;
				x->h = FNV_STEP(x->h, c);
			} else {
				x->state = PG_DOLLAR;
			}
			break;
		case PG_META:
			if (c == '\n' || c == '\r')
				x->state = PG_NORMAL;
			else
				mk->end = at + 1;
			break;
		}
		i++;
	}
	*used = n;
	return LDR_LEX_MORE;
}

static const char *lex_finish(void *lexer, uint64_t at, struct ldr_lexmarks *mk)
{
	struct pglex *x = lexer;
	const char *what = NULL;
	(void)at;
	switch (x->state) {
	case PG_WORD: word_end(x); break;
	case PG_DASH:
	case PG_SLASH: token(mk, x->pend, x->pend + 1); break;
	default: break;
	}
	switch (x->state) {
	case PG_SQ: what = "string literal"; break;
	case PG_ESQ:
	case PG_ESQ_ESC: what = "escape string literal E'...'"; break;
	case PG_DQ: what = "quoted identifier"; break;
	case PG_LINE: break;
	case PG_BLOCK:
	case PG_BLOCK_STAR:
	case PG_BLOCK_SLASH: what = "block comment"; break;
	case PG_DOLLAR:
	case PG_DOLCLOSE: {
		size_t k = x->tag_len < TAG_SHOW ? x->tag_len : TAG_SHOW;
		memcpy(x->what, "dollar-quoted string $", 22);
		memcpy(x->what + 22, x->tag, k);
		strcpy(x->what + 22 + k, x->tag_len > k ? "...$" : "$");
		what = x->what;
		break;
	}
	default:
		if (x->begins) {
			what = "BEGIN ... END body";
			mk->open_at = x->begin_at;
		}
		break;
	}
	if (what && mk->started) /* it runs to the end of the input */
		mk->end = at;
	x->state = PG_NORMAL;
	statement_end(x);
	return what;
}

/* ------------------------------------------------------- classification -- */

/* Reads the words of one statement in order: quoted text, numbers and
 * punctuation are tokens too, but never words. */
struct cursor {
	const unsigned char *p, *end;
	unsigned parens;
};

struct tok {
	const unsigned char *s;
	size_t len;
	int word; /* an identifier or keyword */
};

/* Moves past blanks and comments (nested block comments too). */
static void skip_blank(struct cursor *k)
{
	while (k->p < k->end) {
		if (is_space(*k->p)) {
			k->p++;
		} else if (k->p + 1 < k->end && k->p[0] == '-' &&
			   k->p[1] == '-') {
			while (k->p < k->end && *k->p != '\n')
				k->p++;
		} else if (k->p + 1 < k->end && k->p[0] == '/' &&
			   k->p[1] == '*') {
			unsigned depth = 0;
			do {
				if (k->p + 1 < k->end && k->p[0] == '/' &&
				    k->p[1] == '*') {
					depth++;
					k->p += 2;
				} else if (k->p + 1 < k->end &&
					   k->p[0] == '*' && k->p[1] == '/') {
					depth--;
					k->p += 2;
				} else {
					k->p++;
				}
			} while (depth && k->p < k->end);
		} else {
			return;
		}
	}
}

/* Moves past a quoted token starting at k->p (which is `q`); `esc`: with
 * backslash escapes. */
static void skip_quoted(struct cursor *k, unsigned char q, int esc)
{
	k->p++;
	while (k->p < k->end) {
		unsigned char c = *k->p++;
		if (esc && c == '\\' && k->p < k->end)
			k->p++;
		else if (c == q && (k->p == k->end || *k->p != q))
			return;
		else if (c == q)
			k->p++;
	}
}

/* The next token, or 0 at the end. */
static int next(struct cursor *k, struct tok *t)
{
	skip_blank(k);
	if (k->p >= k->end)
		return 0;
	const unsigned char *s = k->p;
	t->s = s;
	t->word = 0;
	if (ident_start(*s)) {
		while (k->p < k->end && ident_cont(*k->p))
			k->p++;
		t->word = 1;
		if (k->p - s == 1 && k->p < k->end && *k->p == '\'' &&
		    lower(*s) == 'e') {
			skip_quoted(k, '\'', 1);
			t->word = 0;
		} else if (k->p - s == 1 && k->end - k->p >= 2 &&
			   k->p[0] == '&' &&
			   (k->p[1] == '\'' || k->p[1] == '"') &&
			   lower(*s) == 'u') {
			k->p++;
			skip_quoted(k, *k->p, 0);
			t->word = 0;
		}
	} else if (*s == '\'' || *s == '"') {
		skip_quoted(k, *s, 0);
	} else if (*s == '$' && k->p + 1 < k->end && !is_digit(k->p[1])) {
		/* $tag$ ... $tag$ */
		const unsigned char *q = s + 1;
		while (q < k->end && (ident_start(*q) || is_digit(*q)))
			q++;
		if (q < k->end && *q == '$') {
			size_t tl = (size_t)(q - s) + 1;
			const unsigned char *c = q + 1;
			while (c + tl <= k->end && memcmp(c, s, tl))
				c++;
			k->p = c + tl <= k->end ? c + tl : k->end;
		} else {
			k->p++;
		}
	} else if (ident_cont(*s)) { /* a number or $1 */
		while (k->p < k->end && ident_cont(*k->p))
			k->p++;
	} else {
		if (*s == '(')
			k->parens++;
		else if (*s == ')' && k->parens)
			k->parens--;
		k->p++;
	}
	t->len = (size_t)(k->p - s);
	return 1;
}

static int is_kw(const struct tok *t, const char *kw)
{
	return t->word && t->len == strlen(kw) &&
	       !strncasecmp((const char *)t->s, kw, t->len);
}

/* Reads the next token into *t and says whether it is the keyword `kw`. */
static int next_is(struct cursor *k, struct tok *t, const char *kw)
{
	return next(k, t) && is_kw(t, kw);
}

static const char WHAT_META[] = "psql backslash command";
static const char WHAT_COPY_IN[] = "COPY ... FROM STDIN";
static const char WHAT_COPY_OUT[] = "COPY ... TO STDOUT";

/* COPY ...: refused when its data would come from (or go to) the client,
 * which only psql can feed. */
static ldr_stmt_kind classify_copy(struct cursor *k, const char **what)
{
	struct tok t;
	int dir = 0; /* 1 after FROM, 2 after TO, at depth 0 */
	while (next(k, &t)) {
		unsigned depth = k->parens;
		if (dir && (is_kw(&t, "stdin") || is_kw(&t, "stdout"))) {
			*what = dir == 1 ? WHAT_COPY_IN : WHAT_COPY_OUT;
			return LDR_STMT_REFUSED;
		}
		dir = 0;
		if (depth == 0 && is_kw(&t, "from"))
			dir = 1;
		else if (depth == 0 && is_kw(&t, "to"))
			dir = 2;
	}
	return LDR_STMT_PLAIN;
}

static ldr_stmt_kind classify_words(struct cursor *k, const char **what)
{
	struct tok t, u;
	if (!next(k, &t) || !t.word)
		return LDR_STMT_PLAIN;

	/* Transaction control. */
	if (is_kw(&t, "begin")) {
		*what = "BEGIN";
		return LDR_STMT_TX_CONTROL;
	}
	if (is_kw(&t, "start") && next_is(k, &u, "transaction")) {
		*what = "START TRANSACTION";
		return LDR_STMT_TX_CONTROL;
	}
	if (is_kw(&t, "end") || is_kw(&t, "abort")) {
		*what = is_kw(&t, "end") ? "END" : "ABORT";
		return LDR_STMT_TX_CONTROL;
	}
	if (is_kw(&t, "commit")) {
		*what = next_is(k, &u, "prepared") ? "COMMIT PREPARED"
						   : "COMMIT";
		return LDR_STMT_TX_CONTROL;
	}
	if (is_kw(&t, "rollback")) {
		/* ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] x stays inside */
		int more = next(k, &u);
		if (more && (is_kw(&u, "work") || is_kw(&u, "transaction")))
			more = next(k, &u);
		if (more && is_kw(&u, "to"))
			return LDR_STMT_PLAIN;
		*what = more && is_kw(&u, "prepared") ? "ROLLBACK PREPARED"
						      : "ROLLBACK";
		return LDR_STMT_TX_CONTROL;
	}
	if (is_kw(&t, "prepare") && next_is(k, &u, "transaction")) {
		*what = "PREPARE TRANSACTION";
		return LDR_STMT_TX_CONTROL;
	}

	/* Refused inside a transaction block. */
	if (is_kw(&t, "vacuum")) {
		*what = "VACUUM";
		return LDR_STMT_NO_TX;
	}
	if (is_kw(&t, "create") || is_kw(&t, "drop")) {
		int create = is_kw(&t, "create");
		if (!next(k, &u))
			return LDR_STMT_PLAIN;
		if (create && is_kw(&u, "unique") && !next(k, &u))
			return LDR_STMT_PLAIN;
		if (is_kw(&u, "index")) {
			if (!next_is(k, &u, "concurrently"))
				return LDR_STMT_PLAIN;
			*what = create ? "CREATE INDEX CONCURRENTLY"
				       : "DROP INDEX CONCURRENTLY";
			return LDR_STMT_NO_TX;
		}
		if (is_kw(&u, "database")) {
			*what = create ? "CREATE DATABASE" : "DROP DATABASE";
			return LDR_STMT_NO_TX;
		}
		if (is_kw(&u, "tablespace")) {
			*what = create ? "CREATE TABLESPACE"
				       : "DROP TABLESPACE";
			return LDR_STMT_NO_TX;
		}
		return LDR_STMT_PLAIN;
	}
	if (is_kw(&t, "alter") && next_is(k, &u, "system")) {
		*what = "ALTER SYSTEM";
		return LDR_STMT_NO_TX;
	}
	if (is_kw(&t, "reindex")) {
		/* REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM}
		 * [CONCURRENTLY] name; CONCURRENTLY may be an option too. */
		while (next(k, &u)) {
			if (is_kw(&u, "concurrently")) {
				*what = "REINDEX CONCURRENTLY";
				return LDR_STMT_NO_TX;
			}
			if (k->parens)
				continue;
			if (is_kw(&u, "schema") || is_kw(&u, "database") ||
			    is_kw(&u, "system")) {
				*what = is_kw(&u, "schema") ? "REINDEX SCHEMA"
					: is_kw(&u, "database")
						? "REINDEX DATABASE"
						: "REINDEX SYSTEM";
				return LDR_STMT_NO_TX;
			}
			if (is_kw(&u, "index") || is_kw(&u, "table")) {
				if (next_is(k, &u, "concurrently")) {
					*what = "REINDEX CONCURRENTLY";
					return LDR_STMT_NO_TX;
				}
				return LDR_STMT_PLAIN;
			}
		}
		return LDR_STMT_PLAIN;
	}
	if (is_kw(&t, "copy"))
		return classify_copy(k, what);
	return LDR_STMT_PLAIN;
}

static ldr_stmt_kind classify(const char *sql, size_t len, const char **what)
{
	*what = "";
	/* A backslash outside quotes is psql's, wherever it stands. */
	struct pglex x;
	struct ldr_lexmarks mk = {0, LDR_LEX_NONE, 0, LDR_LEX_NONE, 0};
	size_t off = 0, used;
	memset(&x, 0, sizeof(x));
	while (off < len && !x.meta) {
		lex(&x, (const unsigned char *)sql + off, len - off, off, &used,
		    &mk);
		off += used;
	}
	if (x.meta) {
		*what = WHAT_META;
		return LDR_STMT_REFUSED;
	}
#ifdef LADDER_HAVE_PG_QUERY
	/* The server's grammar decides what it can (docs/lint.md); a
	 * statement it cannot parse, and COPY, by their keywords. */
	char *text = ldr_strndup(sql, len);
	if (text) {
		ldr_buf msg = LDR_BUF_INIT;
		ldr_pg_stmt st;
		int kind = -1;
		if (ldr_pg_parse(&st, text, &msg) == 0 && st.type)
			kind = ldr_pg_classify_tree(&st, what);
		ldr_pg_stmt_free(&st);
		ldr_buf_release(&msg);
		free(text);
		if (kind >= 0)
			return (ldr_stmt_kind)kind;
		*what = "";
	}
#endif
	struct cursor k = {(const unsigned char *)sql,
			   (const unsigned char *)sql + len, 0};
	return classify_words(&k, what);
}

static int explain(ldr_buf *out, ldr_stmt_kind kind, const char *what,
		   const char **code)
{
	switch (kind) {
	case LDR_STMT_TX_CONTROL:
		*code = "tx-control";
		return ldr_buf_addf(out,
				    "transaction control '%s' in a "
				    "transactional migration; ladder runs "
				    "each migration in its own transaction, "
				    "which PostgreSQL would end or warn about "
				    "here (set 'transaction: false' to manage "
				    "transactions yourself)",
				    what);
	case LDR_STMT_NO_TX:
		*code = "needs-no-transaction";
		return ldr_buf_addf(out,
				    "'%s' cannot run inside a transaction "
				    "block on PostgreSQL; set 'transaction: "
				    "false' on this migration",
				    what);
	case LDR_STMT_REFUSED:
		*code = "sql-refused";
		if (what == WHAT_META)
			return ldr_buf_addf(out,
					    "a psql backslash command cannot "
					    "run under ladder, which sends SQL "
					    "to the server without psql; write "
					    "it as SQL");
		return ldr_buf_addf(out,
				    "'%s' needs psql to carry the data and "
				    "cannot run under ladder; use INSERT, or "
				    "COPY with a file on the server",
				    what);
	case LDR_STMT_NOOP_IN_TX:
	case LDR_STMT_PLAIN: break;
	}
	*code = "sql-refused";
	return ldr_buf_addf(out, "'%s' cannot run under ladder", what);
}

/* ------------------------------------------ ALTER TYPE ... ADD VALUE -- */

/* A name token: a word, or a quoted identifier ("x", U&"x"). */
static int name_tok(const struct tok *t)
{
	return t->word || t->s[0] == '"' ||
	       (t->len > 2 && t->s[1] == '&' && t->s[2] == '"');
}

int ldr_pg_adds_enum_value(const char *sql, size_t len)
{
	/* The grammar's ALTER TYPE any_name ADD VALUE ..., any_name being
	 * names joined by dots. */
	struct cursor k = {(const unsigned char *)sql,
			   (const unsigned char *)sql + len, 0};
	struct tok t;
	if (!next_is(&k, &t, "alter") || !next_is(&k, &t, "type") ||
	    !next(&k, &t) || !name_tok(&t))
		return 0;
	while (next(&k, &t) && t.len == 1 && t.s[0] == '.')
		if (!next(&k, &t) || !name_tok(&t))
			return 0;
	return is_kw(&t, "add") && next_is(&k, &t, "value");
}

int ldr_pg_tx_refuses_add_value(int server_num)
{
	return server_num > 0 && server_num < 120000;
}

int ldr_pg_add_value_explain(ldr_buf *out, const char *whose)
{
	return ldr_buf_addf(out,
			    "'ALTER TYPE ... ADD VALUE' cannot run inside a "
			    "transaction block before PostgreSQL 12 (%s); set "
			    "'transaction: false' on this migration",
			    whose);
}

int ldr_pg_server_check(int server_num, int transactional, const char *sql,
			size_t len, const char *display, unsigned line,
			unsigned column, ladder_diags *diags)
{
	if (!transactional || !ldr_pg_tx_refuses_add_value(server_num) ||
	    !ldr_pg_adds_enum_value(sql, len))
		return 0;
	char whose[64];
	if (server_num >= 100000)
		snprintf(whose, sizeof(whose), "the server runs PostgreSQL %d",
			 server_num / 10000);
	else
		snprintf(whose, sizeof(whose),
			 "the server runs PostgreSQL %d.%d", server_num / 10000,
			 server_num / 100 % 100);
	ldr_buf msg = LDR_BUF_INIT;
	int rc = ldr_pg_add_value_explain(&msg, whose);
	if (!rc && ldr_error(diags, "needs-no-transaction", display, line,
			     column, "%s", msg.data))
		rc = LADDER_ENOMEM;
	ldr_buf_release(&msg);
	return rc ? rc : 1;
}

/* ------------------------------------------------------ the table name -- */

/* PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1), and ladder's
 * second table is `<table>_attempts`. */
#define PG_NAME_MAX  63
#define PG_TABLE_MAX (PG_NAME_MAX - (sizeof("_attempts") - 1))

static int table_name_ok(const char *s, const char **why)
{
	int ok = (*s >= 'a' && *s <= 'z') || *s == '_';
	for (const char *c = s; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		     *c == '_';
	if (!ok) {
		*why = "is not a plain lower-case identifier "
		       "([a-z_][a-z0-9_]*): "
		       "PostgreSQL folds unquoted names to lower case, so any "
		       "other name would need quotes in every query";
		return 1;
	}
	if (!strncmp(s, "pg_", 3)) {
		*why = "is reserved by PostgreSQL (names starting with 'pg_')";
		return 2;
	}
	if (strlen(s) > PG_TABLE_MAX) {
		*why = "is longer than 54 bytes (PostgreSQL keeps 63 bytes of "
		       "a "
		       "name, and ladder adds '_attempts' for its second "
		       "table)";
		return 3;
	}
	return 0;
}

/* -------------------------------------------------------------- quoting -- */

/* '...' means the same whatever standard_conforming_strings says only
 * without a backslash; with one, E'...' with backslashes doubled. */
static int quote_string(ldr_buf *out, const char *s)
{
	if (!s)
		return ldr_buf_add(out, "NULL", 4);
	if (!strchr(s, '\\'))
		return ldr_script_quoted(out, s, '\'');
	int rc = ldr_buf_add(out, "E'", 2);
	for (; !rc && *s; s++) {
		if (*s == '\\' || *s == '\'')
			rc = ldr_buf_addc(out, *s);
		if (!rc)
			rc = ldr_buf_addc(out, *s);
	}
	return rc ? rc : ldr_buf_addc(out, '\'');
}

/* --------------------------------------------------------------- export -- */

/* The script `ladder export` writes for psql. psql splits it as ladder
 * splits the files (the lexer follows psqlscan.l), so each statement
 * reaches the server as `up` would send it. */
static int script_header(ldr_buf *out, const char *manifest, const char *target)
{
	return ldr_buf_addf(
		out,
		"-- Written by 'ladder export' from %s: the migrations pending "
		"on %s.\n"
		"-- Run it with psql: psql -X -v ON_ERROR_STOP=1 -d DATABASE "
		"-f THIS_FILE\n"
		"-- Each step is one transaction with its bookkeeping row "
		"(inserted first); a\n"
		"-- step with 'transaction: false' runs statement by statement "
		"between a guard\n"
		"-- and its row. The first error (a step already present, a "
		"failing statement)\n"
		"-- stops the script; a transactional step is then rolled "
		"back.\n"
		"\\set ON_ERROR_STOP on\n"
		"SET client_min_messages = warning;\n",
		manifest, target);
}

/* The bookkeeping table as the script names it: `table` is either a bare
 * name, resolved by the session's search_path as ladder's default (the
 * current schema) is, or "schema.table" when the manifest names a schema
 * (a table name never holds a dot: table_name_ok), each part quoted. */
static int table_ref(ldr_buf *out, const char *table)
{
	const char *dot = strrchr(table, '.');
	if (!dot)
		return ldr_script_quote_ident(out, table);
	char *schema = ldr_strndup(table, (size_t)(dot - table));
	if (!schema)
		return LADDER_ENOMEM;
	int rc = ldr_script_quote_ident(out, schema);
	free(schema);
	if (!rc)
		rc = ldr_buf_addc(out, '.');
	return rc ? rc : ldr_script_quote_ident(out, dot + 1);
}

static int bookkeeping_row(ldr_buf *out, const char *table,
			   const ladder_migration *m, const char *applied_at)
{
	int rc = ldr_buf_add(out, "INSERT INTO ", 12);
	if (!rc)
		rc = table_ref(out, table);
	return rc ? rc
		  : ldr_script_row_values(out, m, applied_at, quote_string);
}

/* A DO block that stops the script (ON_ERROR_STOP) when the step's row is
 * already there. Its body holds the table's name, so its dollar tag is one
 * that name does not contain. */
static int guard(ldr_buf *out, const char *table, const ladder_migration *m)
{
	ldr_buf name = LDR_BUF_INIT;
	char tag[32] = "$ladder_guard$";
	int rc = table_ref(&name, table);
	for (unsigned i = 1; !rc && strstr(name.data, tag); i++)
		snprintf(tag, sizeof(tag), "$ladder_guard%u$", i);
	if (!rc)
		rc = ldr_buf_addf(
			out,
			"DO %s BEGIN IF EXISTS (SELECT FROM %s WHERE "
			"id = %" PRId64
			") THEN RAISE EXCEPTION 'ladder: step %" PRId64
			" is already applied on this database'; END "
			"IF; END %s;\n",
			tag, name.data, m->id, m->id, tag);
	ldr_buf_release(&name);
	return rc;
}

/* The bookkeeping tables, for a fresh database (the schema made first when
 * the manifest names one), with the driver's own DDL. */
static int script_bookkeeping(ldr_buf *out, const char *table)
{
	ldr_buf qt = LDR_BUF_INIT, qa = LDR_BUF_INIT, attempts = LDR_BUF_INIT;
	const char *dot = strrchr(table, '.');
	int rc = ldr_buf_addf(&attempts, "%s_attempts", table);
	if (!rc && dot) {
		char *schema = ldr_strndup(table, (size_t)(dot - table));
		rc = !schema ||
		     ldr_buf_add(out, "CREATE SCHEMA IF NOT EXISTS ", 28) ||
		     ldr_script_quote_ident(out, schema) ||
		     ldr_buf_add(out, ";\n", 2);
		free(schema);
	}
	if (!rc)
		rc = table_ref(&qt, table);
	if (!rc)
		rc = table_ref(&qa, attempts.data);
	if (!rc)
		rc = ldr_pg_bookkeeping_ddl_for(out, qt.data, qa.data);
	ldr_buf_release(&qt);
	ldr_buf_release(&qa);
	ldr_buf_release(&attempts);
	return rc ? LADDER_ENOMEM : 0;
}

static int script_step_begin(ldr_buf *out, const char *table,
			     const ladder_migration *m, const char *applied_at)
{
	int rc = 0;
	if (m->transactional && (rc = ldr_buf_addf(out, "BEGIN;\n")))
		return rc;
	if ((rc = guard(out, table, m)))
		return rc;
	/* In the transaction, the row first: a second run of the script,
	 * or a ladder applying the step meanwhile, fails on its key. */
	return m->transactional ? bookkeeping_row(out, table, m, applied_at)
				: 0;
}

static int script_step_end(ldr_buf *out, const char *table,
			   const ladder_migration *m, const char *applied_at)
{
	return m->transactional ? ldr_buf_addf(out, "COMMIT;\n")
				: bookkeeping_row(out, table, m, applied_at);
}

static const char *const pg_schemes[] = {"postgresql", "postgres", NULL};

const struct ldr_dialect ldr_dialect_pg = {
	.name = "postgresql",
	.schemes = pg_schemes,
	.caps = LDR_CAP_TX_DDL,
	.target_is_path = 0,
	.lexer_size = sizeof(struct pglex),
	.lex_init = NULL,
	.lex = lex,
	.complete = NULL,
	.lex_finish = lex_finish,
	.incomplete_hint = NULL,
	.classify = classify,
	.explain = explain,
#ifdef LADDER_HAVE_PG_QUERY
	.syntax = ldr_pg_syntax,
	.syntax_end = ldr_pg_syntax_end,
#endif
	.table_name_ok = table_name_ok,
	.quote_ident = ldr_script_quote_ident,
	.quote_string = quote_string,
	.script_header = script_header,
	.script_bookkeeping = script_bookkeeping,
	.script_step_begin = script_step_begin,
	.script_step_end = script_step_end,
};
