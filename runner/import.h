/*
 * import.h — what import.c and adopt.c share: the tools ladder reads.
 */
#ifndef LADDER_IMPORT_H
#define LADDER_IMPORT_H

#include "internal.h"

/* A migration tool: its name on the command line and its bookkeeping
 * table. */
struct ldr_import_tool {
	const char *name;
	const char *table;
	/* PostgreSQL: the tool's own schema for its table, as a SQL literal
	 * ('drizzle'), or NULL: the current schema */
	const char *schema;
	int split; /* up and down in one file: import needs --split DIR */
};

/* The tool called `name` ("drizzle" and "migrate" are accepted for
 * drizzle-kit and golang-migrate), or NULL. */
const struct ldr_import_tool *ldr_import_tool_find(const char *name);

/* The i-th tool ladder knows, NULL past the end. */
const struct ldr_import_tool *ldr_import_tool_at(size_t i);

/* The tool whose bookkeeping table is called `table` (a name no other
 * program would use: not golang-migrate's and dbmate's
 * `schema_migrations`, ladder's own default, nor grocy's `migrations`),
 * or NULL. */
const struct ldr_import_tool *ldr_import_tool_of_table(const char *table);

/* Appends the names ldr_import_tool_of_table() knows (plain
 * identifiers), each between two `quote`s (0: none), separated by
 * commas: ('a','b') in SQL, {a,b} in a PostgreSQL array literal. */
int ldr_import_tool_tables(ldr_buf *out, char quote);

/* A string of decimal digits as an id in 1..INT64_MAX; 0 when it is not
 * one. */
int64_t ldr_import_parse_id(const char *s);

#endif
