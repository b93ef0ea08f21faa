/*
 * bookkeeping.c — commands that change only the bookkeeping table, never
 * the schema: `baseline` (adopt a database that predates ladder) and
 * `repair` (record current checksums, clear failed-step notes).
 */
#include <inttypes.h>
#include <string.h>

#include "ldrx.h"
#include "plan.h"

/* Locks, reads the plan, and opens the write transaction. */
static int begin_locked(ladder_db *db, const ladder_manifest *m,
			ladder_plan **plan, ladder_diags *diags)
{
	*plan = NULL;
	if (ldr_plan_refuse_errors(m, "nothing was done", diags))
		return LADDER_EINVALID;
	int rc = db->drv->lock(db->conn, &db->interrupted, diags);
	if (!rc)
		rc = db->drv->begin(db->conn, diags);
	if (!rc && (rc = ladder_plan_new(plan, db, m, diags)))
		db->drv->rollback(db->conn);
	return rc;
}

static int finish(ladder_db *db, ladder_plan *plan, int rc, ladder_diags *diags)
{
	if (rc)
		db->drv->rollback(db->conn);
	else
		rc = db->drv->commit(db->conn, diags);
	ladder_plan_free(plan);
	return rc;
}

int ladder_baseline(ladder_db *db, const ladder_manifest *m, int64_t id,
		    ladder_diags *diags)
{
	if (!ladder_manifest_find(m, id)) {
		ldr_error(diags, "baseline", ladder_manifest_path(m), 0, 0,
			  "%" PRId64 " is not a migration id in this manifest",
			  id);
		return LADDER_EUSAGE;
	}
	ladder_plan *plan = NULL;
	int rc = begin_locked(db, m, &plan, diags);
	if (rc)
		return rc;
	size_t recorded = ladder_plan_count(plan) -
			  ladder_plan_count_state(plan, LADDER_STATE_PENDING) -
			  ladder_plan_count_state(plan, LADDER_STATE_FAILED);
	if (recorded) {
		ldr_error(diags, "baseline", db->display, 0, 0,
			  "the database already records %zu migration%s; "
			  "baseline is for a database ladder has never "
			  "migrated",
			  recorded, recorded == 1 ? "" : "s");
		return finish(db, plan, LADDER_EREFUSED, diags);
	}
	/* One time for every row baseline writes, taken once, in UTC. */
	char at[LDRX_UTC_LEN];
	if (ldrx_utc_now(at))
		rc = LADDER_EIO;
	for (size_t i = 0; !rc && i < ladder_manifest_count(m); i++) {
		const ladder_migration *mig = ladder_manifest_get(m, i);
		if (mig->id > id)
			break;
		ldr_record rec = {.id = mig->id,
				  .name = mig->name,
				  .checksum = mig->checksum,
				  .applied_at = at};
		rc = db->drv->record(db->conn, &rec, diags);
	}
	return finish(db, plan, rc, diags);
}

/* Whether repair takes up `s`, and the row it reports for it. */
static int repair_row(const ladder_step *s, ladder_repair_row *row)
{
	*row = (ladder_repair_row){.id = s->id,
				   .name = s->name,
				   .file = s->migration ? s->migration->file
							: NULL,
				   .old_checksum = s->recorded_checksum};
	if (s->state == LADDER_STATE_FAILED) {
		row->failed = 1;
		return 1;
	}
	if (!s->migration || s->state == LADDER_STATE_PENDING)
		return 0;
	/* Unverified rows (no checksum, or another algorithm's) count as
	 * applied; they get one too. */
	if (s->state == LADDER_STATE_APPLIED && s->recorded_checksum &&
	    !strcmp(s->recorded_checksum, s->migration->checksum))
		return 0;
	row->new_checksum = s->migration->checksum;
	return 1;
}

static int wanted(const ladder_repair_options *o, int64_t id)
{
	if (!o->ids)
		return 1;
	for (size_t i = 0; i < o->nids; i++)
		if (o->ids[i] == id)
			return 1;
	return 0;
}

int ladder_repair(size_t *out, ladder_db *db, const ladder_manifest *m,
		  ladder_diags *diags)
{
	return ladder_repair_with(out, db, m, NULL, diags);
}

int ladder_repair_with(size_t *out, ladder_db *db, const ladder_manifest *m,
		       const ladder_repair_options *opts, ladder_diags *diags)
{
	static const ladder_repair_options defaults =
		LADDER_REPAIR_OPTIONS_INIT;
	if (out)
		*out = 0;
	if (!opts)
		opts = &defaults;
	if (opts->version != LADDER_REPAIR_OPTIONS_VERSION ||
	    (opts->nids && !opts->ids)) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "ladder_repair_options: version %u or ids not valid",
			  opts->version);
		return LADDER_EUSAGE;
	}
	/* Nothing recorded, nothing to repair: a missing database is not
	 * made just to find that out. A dry run reads only. */
	ladder_plan *plan = NULL;
	int rc = ladder_plan_new(&plan, db, m, diags);
	int empty = !rc && !ldr_plan_table_exists(plan);
	if (!rc && opts->dry_run &&
	    ldr_plan_refuse_errors(m,
				   "nothing was "
				   "done",
				   diags))
		rc = LADDER_EINVALID;
	if (rc || empty || opts->dry_run) {
		size_t n = 0;
		ladder_repair_row row;
		for (size_t i = 0; !rc && !empty && i < ladder_plan_count(plan);
		     i++)
			if (repair_row(ladder_plan_get(plan, i), &row) &&
			    wanted(opts, row.id)) {
				if (opts->on_row)
					opts->on_row(&row, opts->row_ctx);
				n++;
			}
		if (!rc && out)
			*out = n;
		ladder_plan_free(plan);
		return rc;
	}
	ladder_plan_free(plan);
	plan = NULL;
	rc = begin_locked(db, m, &plan, diags);
	if (rc)
		return rc;
	size_t n = 0;
	for (size_t i = 0; !rc && i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		ladder_repair_row row;
		if (!repair_row(s, &row) || !wanted(opts, s->id))
			continue;
		if (row.failed)
			rc = db->drv->forget(db->conn, s->id, diags);
		else
			rc = db->drv->rechecksum(db->conn, s->id,
						 row.new_checksum, diags);
		if (!rc && opts->on_row)
			opts->on_row(&row, opts->row_ctx);
		n++;
	}
	rc = finish(db, plan, rc, diags);
	if (!rc && out)
		*out = n;
	return rc;
}
