/*
 * pg_lint.h — the PostgreSQL linter (pg_lint.c, docs/lint.md): one per
 * manifest, fed each step's up file in order through the scan hook.
 */
#ifndef LADDER_PG_LINT_H
#define LADDER_PG_LINT_H

#include "internal.h"

typedef struct ldr_pg_lint ldr_pg_lint;

/* Every rule's code, NULL-terminated. */
extern const char *const ldr_pg_lint_codes[];
int ldr_pg_lint_code_known(const char *code);

/* `target`: the manifest's `postgresql:` major version, 0 when unset. */
int ldr_pg_lint_new(ldr_pg_lint **out, int target);
void ldr_pg_lint_free(ldr_pg_lint *l);
/* Before a step's up file (`display`, kept until the next step): whether
 * it is transactional, whether its entry sets a lock_timeout, and the
 * codes its `lint: allow` silences (copied). */
int ldr_pg_lint_step(ldr_pg_lint *l, const char *display, int transactional,
		     int lock_timeout, const char *const *allow, size_t nallow);
/* The scan hook (ldr_scan_hook): syntax (version-aware), ALTER TYPE ...
 * ADD VALUE before 12, and the rules. */
int ldr_pg_lint_stmt(void *ctx, const char *sql, size_t len, unsigned line,
		     unsigned col, const char *display, ladder_diags *diags);
/* After the step's file: the session SETs it leaves behind. */
int ldr_pg_lint_step_end(ldr_pg_lint *l, ladder_diags *diags);

#endif
