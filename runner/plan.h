/*
 * plan.h — the pure half of plan.c, for migrate.c and the unit tests.
 */
#ifndef LADDER_PLAN_H
#define LADDER_PLAN_H

#include "dialect.h"
#include "driver.h"

/* The dialect the migrations of manifest `m` are read in: its `engine:`
 * (SQLite's by default). */
#define LDR_MIGRATION_DIALECT(m) ldr_manifest_dialect(m)

/* The SQL rules of one migration's file (or embedded text), read in
 * dialect `d`: ladder_migration_check() for any engine; with `db` (may be
 * NULL), the rules of its server too (driver.h, server_rules). */
int ldr_migration_check(const struct ldr_dialect *d,
			const ladder_migration *mig, ladder_db *db,
			ladder_diags *diags);

/* When the manifest `m` had errors: reports "the manifest has errors;
 * <not_done>" (`invalid-manifest`) and returns LADDER_EINVALID; else 0. */
int ldr_plan_refuse_errors(const ladder_manifest *m, const char *not_done,
			   ladder_diags *diags);

/* Merges the manifest with the recorded rows (sorted by id) into steps and
 * a verdict. Takes ownership of `rows` (emptied), whose strings the steps
 * borrow. Does no I/O. */
int ldr_plan_build(ladder_plan **out, const ladder_manifest *m, ldr_rows *rows);
/* The safety rules every write keeps, checked before anything is touched:
 * unknown, changed and failed steps refuse; with `check_order`, so does a
 * pending id below the highest applied one (up to `to`, 0 = all) unless
 * `allow_out_of_order`. Reports every violation; LADDER_EREFUSED if any. */
int ldr_plan_refuse_unsafe(const ladder_plan *plan, const ladder_manifest *m,
			   int check_order, int allow_out_of_order, int64_t to,
			   ladder_diags *diags);
/* The highest recorded id, 0 when none. */
int64_t ldr_plan_max_applied(const ladder_plan *plan);
/* Whether the bookkeeping table existed when the plan was read. */
int ldr_plan_table_exists(const ladder_plan *plan);

#endif
