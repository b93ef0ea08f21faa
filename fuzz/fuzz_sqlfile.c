/*
 * fuzz_sqlfile.c — libFuzzer target for the SQL statement reader: any
 * bytes split into statements without a crash, and the statements, put
 * back together, never exceed the input.
 */
#include <stdlib.h>
#include <string.h>

#include "dialect.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	ladder_diags *diags = NULL;
	ldr_sqlreader *r = NULL;
	if (ladder_diags_new(&diags))
		return 0;
	if (ldr_sqlreader_open_mem(&r, &ldr_dialect_sqlite, (const char *)data,
				   size, "fuzz.sql", diags) == 0) {
		const char *sql;
		size_t len, total = 0;
		unsigned line, column;
		while (ldr_sqlreader_next(r, &sql, &len, &line, &column) > 0) {
			total += len;
			if (total > size || strlen(sql) != len || line == 0)
				abort();
			const char *what;
			(void)ldr_dialect_sqlite.classify(sql, len, &what);
		}
		char hex[LDR_CHECKSUM_HEX];
		ldr_sqlreader_checksum(r, hex);
		if (strlen(hex) != 64)
			abort();
	}
	ldr_sqlreader_free(r);
	ladder_diags_free(diags);
	return 0;
}
