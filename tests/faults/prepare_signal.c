/*
 * prepare_signal.c — an LD_PRELOAD library for the signal tests (not part
 * of libladder). When ladder asks SQLite to prepare a statement whose text
 * holds $LDR_SIGNAL_AT, it raises $LDR_SIGNAL (a number; default SIGINT)
 * first, once. The signal then lands between two statements, where
 * sqlite3_interrupt() finds nothing running (and SQLite forgets it when
 * the next statement starts): the window tests/cli/t167 proves ladder
 * closes. With LDR_SIGNAL_AGAIN=1 the same signal is raised again as the
 * database is closed, after the first: a second copy landing once the
 * command has finished (timeout(1) sends its SIGTERM twice), t306.
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
typedef int close_fn(sqlite3 *);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,
		       const char **tail);
int sqlite3_close(sqlite3 *db);

static int raised;

static int which(void)
{
	const char *s = getenv("LDR_SIGNAL");
	return s && atoi(s) > 0 ? atoi(s) : SIGINT;
}

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,
		       const char **tail)
{
	static prepare_fn *real;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_prepare_v2");
	const char *at = getenv("LDR_SIGNAL_AT");
	size_t len = !sql ? 0 : n < 0 ? strlen(sql) : (size_t)n;
	if (!raised && at && *at && len && memmem(sql, len, at, strlen(at))) {
		raised = 1;
		raise(which());
	}
	return real(db, sql, n, st, tail);
}

int sqlite3_close(sqlite3 *db)
{
	static close_fn *real;
	static int again;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_close");
	const char *a = getenv("LDR_SIGNAL_AGAIN");
	if (raised && !again && a && !strcmp(a, "1")) {
		again = 1;
		raise(which());
	}
	return real(db);
}
