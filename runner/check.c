/*
 * check.c — `check`'s verdict as a library call, so an application that
 * asks before it swaps in a release gets the CLI's answer: "migrations
 * needed" only when up would apply them.
 */
#include <assert.h>

#include "internal.h"
#include "plan.h"

int ladder_check(ladder_plan **out, ladder_db *db, const ladder_manifest *m,
		 ladder_diags *diags)
{
	assert(out && db && m);
	*out = NULL;
	ladder_plan *plan = NULL;
	int rc = ladder_plan_new(&plan, db, m, diags);
	if (rc)
		goto out;
	/* Not a fresh install: up would refuse, so "migrations needed"
	 * would be a lie; check cannot answer (exit 3). */
	if (ladder_plan_unmanaged(plan, LADDER_SEV_ERROR, diags)) {
		rc = LADDER_EREFUSED;
		goto out;
	}
	/* "Migrations needed" promises that up would apply them, so the
	 * files of the pending steps must pass the rules up checks first.
	 * An incompatible database is that whatever its pending files hold.
	 * Every pending step is checked, to report every problem. */
	if (ladder_plan_verdict(plan) == LADDER_VERDICT_PENDING)
		for (size_t i = 0; i < ladder_plan_count(plan); i++) {
			const ladder_step *s = ladder_plan_get(plan, i);
			if (s->state == LADDER_STATE_PENDING &&
			    ldr_migration_check(ldr_manifest_dialect(m),
						s->migration, db, diags))
				rc = LADDER_EINVALID;
		}
out:
	if (rc)
		ladder_plan_free(plan);
	else
		*out = plan;
	return rc;
}
