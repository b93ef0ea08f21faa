/*
 * dialect_script.c — the pieces of an export script both dialects write
 * alike: a name or a string between quote characters, each inside doubled
 * (standard SQL, which SQLite and PostgreSQL both read), and the columns
 * and values of a step's bookkeeping row. The SQL that differs (the
 * header, the guards, the transaction, how a string with a backslash is
 * written on PostgreSQL) stays in each dialect's own file.
 */
#include <inttypes.h>
#include <string.h>

#include "dialect.h"

int ldr_script_quoted(ldr_buf *out, const char *s, char q)
{
	int rc = ldr_buf_addc(out, q);
	for (const char *c; !rc && (c = strchr(s, q)); s = c + 1)
		if (!(rc = ldr_buf_add(out, s, (size_t)(c - s) + 1)))
			rc = ldr_buf_addc(out, q);
	if (!rc)
		rc = ldr_buf_add(out, s, strlen(s));
	return rc ? rc : ldr_buf_addc(out, q);
}

int ldr_script_quote_ident(ldr_buf *out, const char *name)
{
	return ldr_script_quoted(out, name, '"');
}

int ldr_script_row_values(ldr_buf *out, const ladder_migration *m,
			  const char *applied_at,
			  int (*quote_string)(ldr_buf *out, const char *s))
{
	int rc = ldr_buf_addf(out,
			      " (id, name, applied_at, checksum, "
			      "checksum_algorithm, ladder_version) "
			      "VALUES (%" PRId64 ", ",
			      m->id);
	const char *values[] = {m->name, applied_at, m->checksum,
				LDR_CHECKSUM_ALGORITHM,
				LADDER_VERSION " (export)"};
	size_t n = sizeof(values) / sizeof(*values);
	for (size_t i = 0; !rc && i < n; i++)
		if (!(rc = quote_string(out, values[i])) && i + 1 < n)
			rc = ldr_buf_add(out, ", ", 2);
	return rc ? rc : ldr_buf_add(out, ");\n", 3);
}
