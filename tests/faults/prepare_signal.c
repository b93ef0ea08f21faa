/*
 * prepare_signal.c — an LD_PRELOAD library for one signal test (not part
 * of libladder): when ladder asks SQLite to prepare a statement whose text
 * holds $LDR_SIGNAL_AT, it raises SIGINT first, once. The signal then
 * lands between two statements, where sqlite3_interrupt() finds nothing
 * running (and SQLite forgets it when the next statement starts): the
 * window tests/cli/t167 proves ladder closes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef int prepare_fn(sqlite3 *, const char *, int, sqlite3_stmt **,
		       const char **);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,
		       const char **tail);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,
		       const char **tail)
{
	static int raised;
	static prepare_fn *real;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_prepare_v2");
	const char *at = getenv("LDR_SIGNAL_AT");
	if (!raised && at && *at && sql && n > 0 &&
	    memmem(sql, (size_t)n, at, strlen(at))) {
		raised = 1;
		raise(SIGINT);
	}
	return real(db, sql, n, st, tail);
}
