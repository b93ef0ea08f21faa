/*
 * migrate.c — the apply loop. Under the runner lock: read what is recorded,
 * refuse what the safety rules forbid, then for each pending step open one
 * transaction, re-check the id inside it, run the file statement by
 * statement, insert the row, commit. Progress goes out through a callback.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"

struct run {
	ladder_db *db;
	const ladder_up_options *opts;
	ladder_diags *diags;
	size_t total;
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void emit(const struct run *r, ladder_event ev)
{
	if (r->opts->on_event) {
		ev.total = r->total;
		r->opts->on_event(&ev, r->opts->event_ctx);
	}
}

/* The safety rules checked before anything is touched. Reports every
 * violation; returns LADDER_EREFUSED if there was one. */
static int refuse_unsafe(const ladder_plan *plan, const ladder_manifest *m,
			 const ladder_up_options *opts, ladder_diags *diags)
{
	int refused = 0;
	ldr_buf unknown = LDR_BUF_INIT;
	for (size_t i = 0; i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (opts->to && s->id > opts->to)
			continue;
		if (s->state == LADDER_STATE_UNKNOWN) {
			ldr_buf_addf(&unknown, "%s%" PRId64,
				     unknown.len ? " " : "", s->id);
		} else if (s->state == LADDER_STATE_CHANGED) {
			ldr_error(diags, "changed", s->migration->path, 0, 0,
				  "migration %" PRId64 " '%s' changed since it "
				  "was applied (recorded checksum %.12s, file "
				  "now %.12s); restore the file, or record it "
				  "with 'ladder repair' if the edit is "
				  "harmless",
				  s->id, s->name, s->recorded_checksum,
				  s->migration->checksum);
			refused = 1;
		} else if (s->out_of_order && !opts->allow_out_of_order) {
			ldr_error(diags, "out-of-order", s->migration->path, 0,
				  0,
				  "migration %" PRId64 " '%s' is pending, but "
				  "the database already has %" PRId64
				  "; apply it anyway with --allow-out-of-order",
				  s->id, s->name, ldr_plan_max_applied(plan));
			refused = 1;
		}
	}
	/* Unknown ids above --to still mean a newer database. */
	for (size_t i = 0; opts->to && i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->id > opts->to && s->state == LADDER_STATE_UNKNOWN)
			ldr_buf_addf(&unknown, "%s%" PRId64,
				     unknown.len ? " " : "", s->id);
	}
	if (unknown.len) {
		ldr_error(diags, "unknown-applied", ladder_manifest_path(m), 0,
			  0,
			  "the database has migrations this manifest does "
			  "not list: [%s]; it was migrated by a newer release, "
			  "so ladder will not touch it",
			  unknown.data);
		refused = 1;
	}
	ldr_buf_release(&unknown);
	return refused ? LADDER_EREFUSED : 0;
}

/* Runs the migration's file statement by statement, then checks that what
 * ran is what was validated (the checksum of the bytes just executed). */
static int run_file(const struct run *r, const ladder_migration *mig,
		    size_t index)
{
	ladder_db *db = r->db;
	ldr_sqlreader *rd = NULL;
	int rc = ldr_sqlreader_open(&rd, mig->path, mig->path, r->diags);
	if (rc)
		return rc;
	const char *sql;
	size_t len;
	unsigned line, column;
	int more;
	while ((more = ldr_sqlreader_next(rd, &sql, &len, &line, &column)) >
	       0) {
		if (db->interrupted) {
			rc = LADDER_EINTERRUPTED;
			goto out;
		}
		if (r->opts->want_statements)
			emit(r, (ladder_event){.kind = LADDER_EVENT_STATEMENT,
					       .migration = mig,
					       .index = index,
					       .sql = sql,
					       .sql_len = len,
					       .line = line});
		if (!r->opts->dry_run &&
		    (rc = db->drv->exec(db->conn, sql, len, mig->path, line,
					r->diags)))
			goto out;
	}
	if (more < 0) {
		rc = LADDER_EINVALID;
		goto out;
	}
	char sum[LDR_CHECKSUM_HEX];
	ldr_sqlreader_checksum(rd, sum);
	if (strcmp(sum, mig->checksum)) {
		ldr_error(r->diags, "changed", mig->path, 0, 0,
			  "'%s' changed while ladder was applying it; "
			  "nothing of it was kept",
			  mig->path);
		rc = LADDER_EINVALID;
	}
out:
	ldr_sqlreader_free(rd);
	if (rc == LADDER_EINTERRUPTED || (db->interrupted && rc))
		rc = LADDER_EINTERRUPTED;
	return rc;
}

/* Inside the step's transaction: has another runner recorded it, or a
 * higher id, since the plan was read? Returns 1 to skip, 0 to go on. */
static int recheck(const struct run *r, const ladder_migration *mig, int *skip)
{
	int is_recorded = 0;
	int64_t max_id = 0;
	int rc = r->db->drv->recorded(r->db->conn, mig->id, &is_recorded,
				      &max_id, r->diags);
	if (rc)
		return rc;
	*skip = is_recorded;
	if (!is_recorded && max_id > mig->id && !r->opts->allow_out_of_order) {
		ldr_error(r->diags, "out-of-order", mig->path, 0, 0,
			  "migration %" PRId64 " '%s' is pending, but the "
			  "database now has %" PRId64
			  "; apply it anyway with --allow-out-of-order",
			  mig->id, mig->name, max_id);
		return LADDER_EREFUSED;
	}
	return 0;
}

static int record(const struct run *r, const ladder_migration *mig,
		  int64_t started)
{
	ldr_record rec = {.id = mig->id,
			  .name = mig->name,
			  .checksum = mig->checksum,
			  .duration_ms = (now_us() - started) / 1000};
	return r->db->drv->record(r->db->conn, &rec, r->diags);
}

/* One transactional step: all of it and its row, or none of it. */
static int step_transactional(const struct run *r,
			      const ladder_migration *mig, size_t index,
			      int64_t started, int *skipped)
{
	const struct ldr_driver *drv = r->db->drv;
	int rc = drv->begin(r->db->conn, r->diags);
	if (rc)
		return rc;
	if ((rc = recheck(r, mig, skipped)) || *skipped)
		goto rollback;
	if ((rc = run_file(r, mig, index)) || (rc = record(r, mig, started)))
		goto rollback;
	if (r->db->interrupted) {
		rc = LADDER_EINTERRUPTED;
		goto rollback;
	}
	return drv->commit(r->db->conn, r->diags);
rollback:
	drv->rollback(r->db->conn);
	if (rc && rc != LADDER_EREFUSED)
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back", mig->path,
			 0, 0,
			 "migration %" PRId64 " '%s' was rolled back; "
			 "nothing of it was applied",
			 mig->id, mig->name);
	return rc;
}

/* A `transaction: false` step: the file runs in autocommit mode (for what
 * SQLite refuses inside a transaction); its row is written only after it
 * succeeded. The runner lock keeps other ladders out meanwhile. */
static int step_plain(const struct run *r, const ladder_migration *mig,
		      size_t index, int64_t started, int *skipped)
{
	const struct ldr_driver *drv = r->db->drv;
	int rc = drv->begin(r->db->conn, r->diags);
	if (!rc)
		rc = recheck(r, mig, skipped);
	/* Commit, not roll back: begin may have made the table. */
	if (!rc)
		rc = drv->commit(r->db->conn, r->diags);
	else
		drv->rollback(r->db->conn);
	if (rc || *skipped)
		return rc;
	rc = run_file(r, mig, index);
	if (rc) {
		ldr_error(r->diags, "partial", mig->path, 0, 0,
			  "migration %" PRId64 " '%s' runs without a "
			  "transaction and stopped midway; the database may "
			  "be partly changed and the step is not recorded",
			  mig->id, mig->name);
		return rc == LADDER_EINTERRUPTED ? rc : LADDER_EPARTIAL;
	}
	if ((rc = drv->begin(r->db->conn, r->diags)))
		return rc;
	if ((rc = record(r, mig, started))) {
		drv->rollback(r->db->conn);
		return rc;
	}
	return drv->commit(r->db->conn, r->diags);
}

static int apply_step(const struct run *r, const ladder_migration *mig,
		      size_t index)
{
	if (r->db->interrupted)
		return LADDER_EINTERRUPTED;
	emit(r, (ladder_event){.kind = LADDER_EVENT_STEP,
			       .migration = mig,
			       .index = index});
	int64_t started = now_us();
	int skipped = 0, rc;
	if (r->opts->dry_run)
		rc = run_file(r, mig, index);
	else if (mig->transactional)
		rc = step_transactional(r, mig, index, started, &skipped);
	else
		rc = step_plain(r, mig, index, started, &skipped);
	if (rc == LADDER_EINTERRUPTED)
		ldr_error(r->diags, "interrupted", mig->path, 0, 0,
			  "interrupted while applying migration %" PRId64
			  " '%s'",
			  mig->id, mig->name);
	if (rc)
		return rc;
	emit(r, (ladder_event){.kind = skipped ? LADDER_EVENT_SKIPPED
					       : LADDER_EVENT_DONE,
			       .migration = mig,
			       .index = index,
			       .elapsed_us = now_us() - started});
	return 0;
}

int ladder_up(ladder_db *db, const ladder_manifest *m,
	      const ladder_up_options *opts, ladder_diags *diags)
{
	static const ladder_up_options defaults = LADDER_UP_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	if (opts->version != LADDER_UP_OPTIONS_VERSION) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "ladder_up_options version %u is not %u",
			  opts->version, LADDER_UP_OPTIONS_VERSION);
		return LADDER_EUSAGE;
	}
	if (ladder_manifest_errors(m)) {
		ldr_error(diags, "invalid-manifest", ladder_manifest_path(m),
			  0, 0, "the manifest has errors; nothing was applied");
		return LADDER_EINVALID;
	}
	ladder_plan *plan = NULL;
	int rc = 0;
	if (!opts->dry_run && (rc = db->drv->lock(db->conn, &db->interrupted, diags)))
		return rc;
	if ((rc = ladder_plan_new(&plan, db, m, diags)) ||
	    (rc = refuse_unsafe(plan, m, opts, diags)))
		goto out;

	struct run r = {.db = db, .opts = opts, .diags = diags};
	for (size_t i = 0; i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state == LADDER_STATE_PENDING &&
		    (!opts->to || s->id <= opts->to))
			r.total++;
	}
	emit(&r, (ladder_event){.kind = LADDER_EVENT_BEGIN});
	/* A first run with nothing to apply still leaves the table, so the
	 * database shows it is under ladder's care. */
	if (!r.total && !opts->dry_run && !ldr_plan_table_exists(plan)) {
		if (!(rc = db->drv->begin(db->conn, diags)))
			rc = db->drv->commit(db->conn, diags);
		goto out;
	}
	size_t index = 0;
	for (size_t i = 0; i < ladder_plan_count(plan) && !rc; i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state != LADDER_STATE_PENDING ||
		    (opts->to && s->id > opts->to))
			continue;
		rc = apply_step(&r, s->migration, index++);
	}
out:
	ladder_plan_free(plan);
	return rc;
}
