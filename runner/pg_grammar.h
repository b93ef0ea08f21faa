/*
 * pg_grammar.h — PostgreSQL's own grammar, offline: libpg_query (the
 * server's parser, built as a library) parses one statement at a time.
 * pg_grammar.c parses, checks syntax and PL/pgSQL bodies and classifies
 * statements from their parse tree; pg_lint.c reads the same trees for
 * the linter (docs/lint.md).
 */
#ifndef LADDER_PG_GRAMMAR_H
#define LADDER_PG_GRAMMAR_H

#include <json-c/json.h>

#include "dialect.h"

/* The major version of the grammar libpg_query ships (its PG_MAJORVERSION)
 * and how diagnostics name it. */
extern const int ldr_pg_grammar_major;
#define LDR_PG_GRAMMAR_NAME "libpg_query"

/* One statement, parsed. */
typedef struct ldr_pg_stmt {
	json_object *root; /* the whole parse result (owned) */
	const char *type;  /* the node's type: "IndexStmt", ... */
	json_object *node; /* its fields */
	size_t bad_offset; /* on a syntax error: byte offset, or SIZE_MAX */
} ldr_pg_stmt;

/* Parses `sql` (NUL-terminated, one statement as the dialect's lexer cut
 * it). Returns 0 (parsed: st->type and st->node set), 1 (a syntax error:
 * `msg` says which, naming the grammar; st->bad_offset where), 2 (the
 * grammar sees more than one statement here, where the lexer saw one:
 * `msg` and st->bad_offset say where the grammar's next one starts) or
 * LADDER_ENOMEM. Then also checks a PL/pgSQL body (CREATE FUNCTION ...
 * LANGUAGE plpgsql, DO): 1 with the error mapped into `sql`. Free with
 * ldr_pg_stmt_free() whatever it returned. */
int ldr_pg_parse(ldr_pg_stmt *st, const char *sql, ldr_buf *msg);
void ldr_pg_stmt_free(ldr_pg_stmt *st);

/* The transaction rules' verdict on a parsed statement (dialect.h); *what
 * names it for messages. Returns -1 when the tree alone cannot say
 * (COPY: the keywords decide). */
int ldr_pg_classify_tree(const ldr_pg_stmt *st, const char **what);

/* The dialect hooks (dialect_pg.c points at them). */
int ldr_pg_syntax(void **state, const char *sql, size_t len, size_t *offset,
		  ldr_buf *msg);
void ldr_pg_syntax_end(void *state);

/* json-c helpers for the tree. */
json_object *ldr_pg_get(json_object *o, const char *key);
const char *ldr_pg_str(json_object *o, const char *key);
int ldr_pg_bool(json_object *o, const char *key);
/* The node inside a {"Type": {...}} wrapper, if it is of `type`. */
json_object *ldr_pg_unwrap(json_object *o, const char *type);
/* The sval of a String node ({"String":{"sval":...}}), else NULL. */
const char *ldr_pg_sval(json_object *o);

#endif
