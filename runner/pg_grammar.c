/*
 * pg_grammar.c — PostgreSQL's grammar with no server: each statement the
 * dialect's lexer cut is parsed by libpg_query (pg_query.h), its PL/pgSQL
 * body too, and what cannot run in a transaction is read from the tree.
 *
 * libpg_query keeps its memory context per thread (its own state, not
 * ladder's); every result is freed before returning.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>

#include "pg_grammar.h"

const int ldr_pg_grammar_major = PG_VERSION_NUM / 10000;

/* ------------------------------------------------------------ json-c -- */

json_object *ldr_pg_get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, key, &v))
		return v;
	return NULL;
}

const char *ldr_pg_str(json_object *o, const char *key)
{
	json_object *v = ldr_pg_get(o, key);
	return v && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

int ldr_pg_bool(json_object *o, const char *key)
{
	json_object *v = ldr_pg_get(o, key);
	return v && json_object_get_boolean(v);
}

json_object *ldr_pg_unwrap(json_object *o, const char *type)
{
	return ldr_pg_get(o, type);
}

const char *ldr_pg_sval(json_object *o)
{
	return ldr_pg_str(ldr_pg_get(o, "String"), "sval");
}

/* -------------------------------------------------------- positions -- */

/* PostgreSQL's cursor position counts characters from 1; the byte offset
 * of character `pos` in `sql`. */
static size_t char_to_byte(const char *sql, int pos)
{
	size_t i = 0;
	for (int c = 1; c < pos && sql[i]; c++) {
		i++;
		while (((unsigned char)sql[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

static void grammar_name(ldr_buf *msg)
{
	ldr_buf_addf(msg, " (PostgreSQL %d grammar, %s)", ldr_pg_grammar_major,
		     LDR_PG_GRAMMAR_NAME);
}

/* ----------------------------------------------------------- PL/pgSQL -- */

/* Where the body string of an `as` option at byte `loc` starts: after
 * AS, blanks and the opening quote ($tag$ or '). SIZE_MAX when unsure. */
static size_t body_start(const char *sql, size_t loc)
{
	const char *p = sql + loc;
	if (!strncasecmp(p, "as", 2) && !isalnum((unsigned char)p[2]) &&
	    p[2] != '_')
		p += 2;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\'')
		return (size_t)(p + 1 - sql);
	if ((*p == 'e' || *p == 'E') && p[1] == '\'')
		return (size_t)(p + 2 - sql);
	if (*p == '$') {
		const char *q = strchr(p + 1, '$');
		if (q)
			return (size_t)(q + 1 - sql);
	}
	return SIZE_MAX;
}

/* The body's PL/pgSQL error at line `line` (1 = the body's first line):
 * the first double-quoted word of the message, searched from that line
 * (PL/pgSQL reports the line of the statement it was reading, which may
 * be before the bad token), else the line's start. An offset in `body`. */
static size_t body_error_at(const char *body, size_t body_len, int line,
			    const char *message)
{
	size_t at = 0;
	for (int l = 1; l < line && at < body_len; at++)
		if (body[at] == '\n')
			l++;
	const char *q = strchr(message, '"');
	const char *e = q ? strchr(q + 1, '"') : NULL;
	if (!q || !e || e == q + 1)
		return at;
	size_t n = (size_t)(e - q - 1);
	for (size_t i = at; i + n <= body_len; i++)
		if (!strncasecmp(body + i, q + 1, n))
			return i;
	return at;
}

/* Checks the PL/pgSQL body of a CREATE FUNCTION ... LANGUAGE plpgsql or
 * a DO block (whose default language is plpgsql). 0 fine or not
 * PL/pgSQL, 1 an error (msg, st->bad_offset), LADDER_ENOMEM. */
static int check_plpgsql(ldr_pg_stmt *st, const char *sql, ldr_buf *msg)
{
	int is_do = !strcmp(st->type, "DoStmt");
	if (!is_do && strcmp(st->type, "CreateFunctionStmt"))
		return 0;
	json_object *opts = ldr_pg_get(st->node, is_do ? "args" : "options");
	const char *lang = is_do ? "plpgsql" : NULL, *body = NULL;
	size_t loc = SIZE_MAX;
	size_t n = opts ? json_object_array_length(opts) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *d = ldr_pg_unwrap(
			json_object_array_get_idx(opts, i), "DefElem");
		const char *name = ldr_pg_str(d, "defname");
		json_object *arg = ldr_pg_get(d, "arg");
		if (!name)
			continue;
		if (!strcmp(name, "language"))
			lang = ldr_pg_sval(arg);
		if (!strcmp(name, "as")) {
			json_object *items =
				ldr_pg_get(ldr_pg_get(arg, "List"), "items");
			body = items ? ldr_pg_sval(json_object_array_get_idx(
					       items, 0))
				     : ldr_pg_sval(arg);
			json_object *l = ldr_pg_get(d, "location");
			if (l)
				loc = (size_t)json_object_get_int(l);
		}
	}
	if (!lang || strcasecmp(lang, "plpgsql") || !body)
		return 0;
	int rc = 0;
	ldr_buf wrap = LDR_BUF_INIT;
	const char *input = sql;
	if (is_do) {
		/* pg_query_parse_plpgsql() reads CREATE FUNCTION: a DO body
		 * goes in one, under a dollar tag it does not hold. */
		char tag[32] = "$ldr$";
		for (unsigned k = 0; strstr(body, tag); k++)
			snprintf(tag, sizeof(tag), "$ldr%u$", k);
		if (ldr_buf_addf(&wrap,
				 "CREATE FUNCTION inline_code_block() RETURNS "
				 "void LANGUAGE plpgsql AS %s%s%s",
				 tag, body, tag)) {
			rc = LADDER_ENOMEM;
			goto out;
		}
		input = wrap.data;
	}
	PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(input);
	if (r.error) {
		int line = 1;
		const char *near = r.error->context ? strstr(r.error->context,
							     "near line ")
						    : NULL;
		if (near)
			line = atoi(near + 10);
		size_t start =
			loc == SIZE_MAX ? SIZE_MAX : body_start(sql, loc);
		st->bad_offset =
			start == SIZE_MAX
				? SIZE_MAX
				: start + body_error_at(sql + start,
							strlen(sql + start),
							line, r.error->message);
		if (ldr_buf_addf(msg, "in the PL/pgSQL body: %s",
				 r.error->message))
			rc = LADDER_ENOMEM;
		else {
			grammar_name(msg);
			rc = 1;
		}
	}
	pg_query_free_plpgsql_parse_result(r);
out:
	ldr_buf_release(&wrap);
	return rc;
}

/* -------------------------------------------------------------- parse -- */

/* The offset of the first byte at or after `at` that is neither blank
 * nor in a comment (`--`, and block comments, which nest). */
static size_t skip_blank(const char *sql, size_t at)
{
	size_t len = strlen(sql);
	while (at < len) {
		if (isspace((unsigned char)sql[at])) {
			at++;
		} else if (sql[at] == '-' && sql[at + 1] == '-') {
			while (at < len && sql[at] != '\n')
				at++;
		} else if (sql[at] == '/' && sql[at + 1] == '*') {
			unsigned depth = 0;
			do {
				if (sql[at] == '/' && sql[at + 1] == '*') {
					depth++;
					at += 2;
				} else if (sql[at] == '*' &&
					   sql[at + 1] == '/') {
					depth--;
					at += 2;
				} else {
					at++;
				}
			} while (depth && at < len);
		} else {
			break;
		}
	}
	return at;
}

int ldr_pg_parse(ldr_pg_stmt *st, const char *sql, ldr_buf *msg)
{
	memset(st, 0, sizeof(*st));
	st->bad_offset = SIZE_MAX;
	int rc;
	PgQueryParseResult r = pg_query_parse(sql);
	if (r.error) {
		if (r.error->cursorpos > 0)
			st->bad_offset = char_to_byte(sql, r.error->cursorpos);
		rc = ldr_buf_addf(msg, "%s", r.error->message) ? LADDER_ENOMEM
							       : 1;
		if (rc == 1)
			grammar_name(msg);
		goto out;
	}
	rc = LADDER_ENOMEM;
	if (!r.parse_tree || !(st->root = json_tokener_parse(r.parse_tree)))
		goto out;
	json_object *stmts = ldr_pg_get(st->root, "stmts");
	size_t n = stmts ? json_object_array_length(stmts) : 0;
	if (n > 1) {
		json_object *l = ldr_pg_get(json_object_array_get_idx(stmts, 1),
					    "stmt_location");
		/* the grammar's statement starts after the ';': its first
		 * token is where the reader looks */
		st->bad_offset =
			l ? skip_blank(sql, (size_t)json_object_get_int(l))
			  : SIZE_MAX;
		rc = ldr_buf_addf(msg,
				  "the statement splitter and the grammar "
				  "disagree: the grammar starts a new "
				  "statement here, ladder's lexer does not "
				  "(a missing ';'?)")
			     ? LADDER_ENOMEM
			     : 2;
		if (rc == 2)
			grammar_name(msg);
		goto out;
	}
	json_object *w =
		n ? ldr_pg_get(json_object_array_get_idx(stmts, 0), "stmt")
		  : NULL;
	rc = 0;
	if (!w || !json_object_is_type(w, json_type_object))
		goto out; /* nothing but comments */
	json_object_object_foreach(w, key, val)
	{
		st->type = key;
		st->node = val;
		break;
	}
	if (st->type)
		rc = check_plpgsql(st, sql, msg);
out:
	pg_query_free_parse_result(r);
	return rc;
}

void ldr_pg_stmt_free(ldr_pg_stmt *st)
{
	if (st->root)
		json_object_put(st->root);
	memset(st, 0, sizeof(*st));
}

/* --------------------------------------------------------- classify -- */

/* Whether a list of DefElem options holds `name` (REINDEX's, VACUUM's). */
static int has_option(json_object *list, const char *name)
{
	size_t n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = ldr_pg_str(
			ldr_pg_unwrap(json_object_array_get_idx(list, i),
				      "DefElem"),
			"defname");
		if (d && !strcasecmp(d, name))
			return 1;
	}
	return 0;
}

int ldr_pg_classify_tree(const ldr_pg_stmt *st, const char **what)
{
	const char *t = st->type;
	json_object *n = st->node;
	*what = "";
	if (!t)
		return LDR_STMT_PLAIN;
	if (!strcmp(t, "CopyStmt"))
		return -1;
	if (!strcmp(t, "TransactionStmt")) {
		static const struct {
			const char *kind, *what;
		} tx[] = {
			{"TRANS_STMT_BEGIN", "BEGIN"},
			{"TRANS_STMT_START", "START TRANSACTION"},
			{"TRANS_STMT_COMMIT", "COMMIT"},
			{"TRANS_STMT_ROLLBACK", "ROLLBACK"},
			{"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
			{"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
			{"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"}};
		const char *kind = ldr_pg_str(n, "kind");
		/* the keywords name it as written (END, ABORT ...) */
		for (size_t i = 0; kind && i < sizeof(tx) / sizeof(tx[0]); i++)
			if (!strcmp(kind, tx[i].kind))
				return -1;
		return LDR_STMT_PLAIN; /* SAVEPOINT, RELEASE, ROLLBACK TO */
	}
	if (!strcmp(t, "IndexStmt") && ldr_pg_bool(n, "concurrent"))
		*what = "CREATE INDEX CONCURRENTLY";
	else if (!strcmp(t, "DropStmt") && ldr_pg_bool(n, "concurrent"))
		*what = "DROP INDEX CONCURRENTLY";
	else if (!strcmp(t, "ReindexStmt")) {
		const char *kind = ldr_pg_str(n, "kind");
		if (has_option(ldr_pg_get(n, "params"), "concurrently"))
			*what = "REINDEX CONCURRENTLY";
		else if (kind && !strcmp(kind, "REINDEX_OBJECT_SYSTEM"))
			*what = "REINDEX SYSTEM";
		else if (kind && !strcmp(kind, "REINDEX_OBJECT_SCHEMA"))
			*what = "REINDEX SCHEMA";
		else if (kind && !strcmp(kind, "REINDEX_OBJECT_DATABASE"))
			*what = "REINDEX DATABASE";
	} else if (!strcmp(t, "VacuumStmt") && ldr_pg_bool(n, "is_vacuumcmd"))
		*what = "VACUUM";
	else if (!strcmp(t, "CreatedbStmt"))
		*what = "CREATE DATABASE";
	else if (!strcmp(t, "DropdbStmt"))
		*what = "DROP DATABASE";
	else if (!strcmp(t, "CreateTableSpaceStmt"))
		*what = "CREATE TABLESPACE";
	else if (!strcmp(t, "DropTableSpaceStmt"))
		*what = "DROP TABLESPACE";
	else if (!strcmp(t, "AlterSystemStmt"))
		*what = "ALTER SYSTEM";
	return **what ? LDR_STMT_NO_TX : LDR_STMT_PLAIN;
}

/* ---------------------------------------------------- dialect hooks -- */

int ldr_pg_syntax(void **state, const char *sql, size_t len, size_t *offset,
		  ldr_buf *msg)
{
	(void)state;
	(void)len;
	ldr_pg_stmt st;
	int rc = ldr_pg_parse(&st, sql, msg);
	*offset = st.bad_offset;
	ldr_pg_stmt_free(&st);
	return rc == 2 ? 1 : rc;
}

void ldr_pg_syntax_end(void *state)
{
	(void)state;
}
