/* testutil.h — helpers the Check suites share: scratch folders, files,
 * and looking up diagnostics. Every helper aborts the test on failure. */
#ifndef LADDER_TESTUTIL_H
#define LADDER_TESTUTIL_H

#include <check.h>

#include "ladder.h"

/* A new empty folder under $TMPDIR (or /tmp); removed by tu_rmtree. */
char *tu_tmpdir(void);
void tu_rmtree(const char *dir);
/* Writes `content` to dir/rel, creating the folders on the way. Returns the
 * joined path (caller frees). */
char *tu_write(const char *dir, const char *rel, const char *content);
/* $LADDER_FIXTURES/rel (caller frees). */
char *tu_fixture(const char *rel);
/* The whole file as a NUL-terminated string (caller frees). */
char *tu_read(const char *path);
/* Whether two files hold the same bytes. */
int tu_same_file(const char *a, const char *b);
/* Copies a file byte for byte. */
void tu_copy(const char *from, const char *to);
/* The first diagnostic whose code is `code` (any code when NULL), on `line`
 * (any line when 0), whose message contains `needle` (any when NULL). */
const ladder_diag *tu_find_diag(const ladder_diags *d, const char *code,
				unsigned line, const char *needle);
/* Every diagnostic, one per line, for failure messages (caller frees). */
char *tu_dump_diags(const ladder_diags *d);
/* Runs a suite with a Check runner; returns the process exit status. */
int tu_run(Suite *s);

#define ck_assert_diag(d, code, line, needle)                                  \
	do {                                                                   \
		char *dump_ = tu_dump_diags(d);                                \
		ck_assert_msg(tu_find_diag((d), (code), (line), (needle)),     \
			      "no diagnostic %s at line %u containing '%s'; "  \
			      "got:\n%s",                                      \
			      (code) ? (code) : "(any)", (unsigned)(line),     \
			      (needle) ? (needle) : "", dump_);                \
		free(dump_);                                                   \
	} while (0)

#endif
