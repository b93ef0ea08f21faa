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

int ladder_repair(size_t *out, ladder_db *db, const ladder_manifest *m,
		  ladder_diags *diags)
{
	if (out)
		*out = 0;
	/* Nothing recorded, nothing to repair: a missing database is not
	 * made just to find that out. */
	ladder_plan *plan = NULL;
	int rc = ladder_plan_new(&plan, db, m, diags);
	int empty = !rc && !ldr_plan_table_exists(plan);
	ladder_plan_free(plan);
	plan = NULL;
	if (rc || empty)
		return rc;
	rc = begin_locked(db, m, &plan, diags);
	if (rc)
		return rc;
	size_t n = 0;
	for (size_t i = 0; !rc && i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state == LADDER_STATE_FAILED) {
			rc = db->drv->forget(db->conn, s->id, diags);
			n++;
			continue;
		}
		if (!s->migration || s->state == LADDER_STATE_PENDING)
			continue;
		/* Unverified rows (no checksum, or another algorithm's)
		 * count as applied; they get one too. */
		if (s->state == LADDER_STATE_APPLIED && s->recorded_checksum &&
		    !strcmp(s->recorded_checksum, s->migration->checksum))
			continue;
		rc = db->drv->rechecksum(db->conn, s->id,
					 s->migration->checksum, diags);
		n++;
	}
	rc = finish(db, plan, rc, diags);
	if (!rc && out)
		*out = n;
	return rc;
}
