/*
 * plan.c — manifest × recorded rows → one state per id and the `check`
 * verdict. The merge is pure (ldr_plan_build); ladder_plan_new only adds
 * the read of the rows.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "plan.h"

struct ladder_plan {
	ladder_step *steps;
	size_t count;
	ldr_rows rows; /* owns what unknown and applied steps point at */
	ladder_verdict verdict;
	int64_t max_applied;
	size_t per_state[LADDER_STATE_FAILED + 1];
	char *display; /* the database, for the unmanaged message */
	char *table;
	const char *engine; /* the database's engine ("sqlite", ...) */
};

/* A recorded checksum can be compared only when ladder's own algorithm
 * produced it; rows adopted from other tools, or written before a checksum
 * was kept, count as applied and unverified (`repair` records one). */
static int checksum_differs(const ldr_row *row, const ladder_migration *mig)
{
	if (!row->checksum || !row->checksum_algorithm ||
	    strcmp(row->checksum_algorithm, LDR_CHECKSUM_ALGORITHM))
		return 0;
	return strcmp(row->checksum, mig->checksum) != 0;
}

/* The note of a non-transactional step that never finished, or NULL. The
 * notes are few and sorted; a linear scan from `*at` keeps it O(n). */
static const ldr_failed *failed_note(const ldr_rows *rows, int64_t id,
				     size_t *at)
{
	while (*at < rows->nfailed && rows->failed[*at].id < id)
		(*at)++;
	return *at < rows->nfailed && rows->failed[*at].id == id
		       ? &rows->failed[*at]
		       : NULL;
}

/* Appends a step. A failed-step `note` (or NULL) makes it FAILED, with the
 * note's start time and reason. */
static void add_step(ladder_plan *p, int64_t id, const char *name,
		     ladder_state state, const ldr_row *row,
		     const ladder_migration *mig, const ldr_failed *note)
{
	if (note)
		state = LADDER_STATE_FAILED;
	p->steps[p->count++] = (ladder_step){
		.id = id,
		.name = name,
		.state = state,
		.applied_at = note  ? note->started_at
			      : row ? row->applied_at
				    : NULL,
		.failure = note ? note->reason : NULL,
		.recorded_checksum = row ? row->checksum : NULL,
		.migration = mig,
		.out_of_order =
			state == LADDER_STATE_PENDING && id < p->max_applied,
	};
	p->per_state[state]++;
}

static int by_id(const void *a, const void *b)
{
	const ladder_step *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int recorded(const ldr_rows *rows, int64_t id)
{
	size_t lo = 0, hi = rows->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows->items[mid].id == id)
			return 1;
		if (rows->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A note of a failed step that this manifest does not list and that has
 * no row (a newer release's `transaction: false` step died midway) is
 * still a failed step: it makes the database incompatible. */
static void orphan_notes(ladder_plan *p, const ladder_manifest *m)
{
	size_t before = p->count;
	for (size_t i = 0; i < p->rows.nfailed; i++) {
		const ldr_failed *note = &p->rows.failed[i];
		if (ladder_manifest_find(m, note->id) ||
		    recorded(&p->rows, note->id))
			continue;
		add_step(p, note->id, note->name, LADDER_STATE_FAILED, NULL,
			 NULL, note);
	}
	if (p->count > before)
		qsort(p->steps, p->count, sizeof(*p->steps), by_id);
}

int ldr_plan_build(ladder_plan **out, const ladder_manifest *m, ldr_rows *rows)
{
	*out = NULL;
	size_t nm = ladder_manifest_count(m), nr = rows->count;
	ladder_plan *p = calloc(1, sizeof(*p));
	size_t nf = rows->nfailed;
	if (!p || !(p->steps = calloc(nm + nr + nf + 1, sizeof(*p->steps)))) {
		free(p);
		return LADDER_ENOMEM;
	}
	p->rows = *rows;
	*rows = (ldr_rows){0};
	/* The documented invariants the merge relies on: rows and failed
	 * notes sorted by id, manifest ids strictly increasing. */
	for (size_t k = 1; k < nr; k++)
		assert(p->rows.items[k - 1].id < p->rows.items[k].id);
	for (size_t k = 1; k < nf; k++)
		assert(p->rows.failed[k - 1].id < p->rows.failed[k].id);
	for (size_t k = 1; k < nm; k++)
		assert(ladder_manifest_get(m, k - 1)->id <
		       ladder_manifest_get(m, k)->id);
	if (nr)
		p->max_applied = p->rows.items[nr - 1].id;

	size_t i = 0, j = 0, f = 0;
	while (i < nm || j < nr) {
		const ladder_migration *mig = ladder_manifest_get(m, i);
		const ldr_row *row = j < nr ? &p->rows.items[j] : NULL;
		if (mig && (!row || mig->id < row->id)) {
			add_step(p, mig->id, mig->name, LADDER_STATE_PENDING,
				 NULL, mig, failed_note(&p->rows, mig->id, &f));
			i++;
		} else if (!mig || row->id < mig->id) {
			add_step(p, row->id, row->name, LADDER_STATE_UNKNOWN,
				 row, NULL, NULL);
			j++;
		} else {
			/* A noted attempt on a recorded step: a revert
			 * without a transaction stopped midway. */
			add_step(p, mig->id, mig->name,
				 checksum_differs(row, mig)
					 ? LADDER_STATE_CHANGED
					 : LADDER_STATE_APPLIED,
				 row, mig, failed_note(&p->rows, mig->id, &f));
			i++;
			j++;
		}
	}
	orphan_notes(p, m);
	for (size_t k = 1; k < p->count; k++)
		assert(p->steps[k - 1].id < p->steps[k].id);
	if (p->per_state[LADDER_STATE_UNKNOWN] ||
	    p->per_state[LADDER_STATE_CHANGED] ||
	    p->per_state[LADDER_STATE_FAILED])
		p->verdict = LADDER_VERDICT_INCOMPATIBLE;
	else if (p->per_state[LADDER_STATE_PENDING])
		p->verdict = LADDER_VERDICT_PENDING;
	else
		p->verdict = LADDER_VERDICT_COMPATIBLE;
	*out = p;
	return 0;
}

int ldr_plan_refuse_errors(const ladder_manifest *m, const char *not_done,
			   ladder_diags *diags)
{
	if (!ladder_manifest_errors(m))
		return 0;
	ldr_error(diags, "invalid-manifest", ladder_manifest_path(m), 0, 0,
		  "the manifest has errors; %s", not_done);
	return LADDER_EINVALID;
}

int ladder_plan_new(ladder_plan **out, ladder_db *db, const ladder_manifest *m,
		    ladder_diags *diags)
{
	*out = NULL;
	ldr_rows rows = {0};
	int rc = db->drv->read_applied(db->conn, &rows, diags);
	if (!rc)
		rc = ldr_plan_build(out, m, &rows);
	ldr_rows_release(&rows);
	if (!rc)
		(*out)->engine = db->drv->name;
	if (!rc && (!((*out)->display = ldr_strdup(db->display)) ||
		    !((*out)->table = ldr_strdup(ladder_manifest_table(m))))) {
		ladder_plan_free(*out);
		*out = NULL;
		rc = LADDER_ENOMEM;
	}
	return rc;
}

int ladder_plan_unmanaged(const ladder_plan *plan, ladder_severity severity,
			  ladder_diags *diags)
{
	if (!plan->rows.unmanaged)
		return 0;
	/* Another tool's bookkeeping table: adopt keeps what that tool
	 * recorded. The import command as it must be typed for this
	 * database's engine and the tool's layout. */
	const struct ldr_import_tool *tool = plan->rows.own_tool;
	if (tool) {
		ldr_diag(diags, severity, "unmanaged", plan->display, 0, 0,
			 "'%s' has tables of its own (such as '%s', %s's "
			 "bookkeeping) and no bookkeeping table '%s': it is "
			 "not a fresh install; if %s migrated it, write the "
			 "manifest with 'ladder import --from %s%s%s%s DIR' "
			 "and make it a ladder database with 'ladder adopt "
			 "--from %s' (docs/import.md); otherwise record what "
			 "it has with 'ladder baseline ID'",
			 plan->display ? plan->display : "", plan->rows.own,
			 tool->name, plan->table, tool->name, tool->name,
			 plan->engine ? " --engine " : "",
			 plan->engine ? plan->engine : "",
			 tool->split ? " --split NEWDIR" : "", tool->name);
		return 1;
	}
	ldr_diag(diags, severity, "unmanaged", plan->display, 0, 0,
		 "'%s' has tables of its own%s%s%s and no bookkeeping table "
		 "'%s': it is not a fresh install, and ladder cannot tell "
		 "which migrations it already has; record them with 'ladder "
		 "baseline ID' (the last migration it has), then run 'ladder "
		 "up'",
		 plan->display ? plan->display : "",
		 plan->rows.own ? " (such as '" : "",
		 plan->rows.own ? plan->rows.own : "",
		 plan->rows.own ? "')" : "", plan->table);
	return 1;
}

void ladder_plan_free(ladder_plan *plan)
{
	if (!plan)
		return;
	ldr_rows_release(&plan->rows);
	free(plan->display);
	free(plan->table);
	free(plan->steps);
	free(plan);
}

size_t ladder_plan_count(const ladder_plan *plan)
{
	return plan ? plan->count : 0;
}

const ladder_step *ladder_plan_get(const ladder_plan *plan, size_t i)
{
	return plan && i < plan->count ? &plan->steps[i] : NULL;
}

ladder_verdict ladder_plan_verdict(const ladder_plan *plan)
{
	return plan->verdict;
}

size_t ladder_plan_count_state(const ladder_plan *plan, ladder_state state)
{
	return plan && (unsigned)state <= LADDER_STATE_FAILED
		       ? plan->per_state[state]
		       : 0;
}

/* The manifest entry under another id whose file has the checksum `row`
 * recorded (else, whose name it recorded), or NULL. */
static const ladder_migration *renumbered_as(const ladder_step *s,
					     const ladder_manifest *m)
{
	const ladder_migration *by_name = NULL;
	for (size_t i = 0; i < ladder_manifest_count(m); i++) {
		const ladder_migration *e = ladder_manifest_get(m, i);
		if (e->id == s->id)
			continue;
		if (s->recorded_checksum && e->checksum &&
		    !strcmp(s->recorded_checksum, e->checksum))
			return e;
		if (!by_name && s->name && e->name && !strcmp(s->name, e->name))
			by_name = e;
	}
	return by_name;
}

/* An unknown applied step the manifest itself explains: its file listed
 * under another id (renumbered), or an id below the manifest's highest
 * (its entry removed; a newer release adds ids above). Reports it and
 * returns 1; 0 leaves it to the "newer release" diagnostic. */
static int diagnose_unknown(const ladder_step *s, const ladder_manifest *m,
			    ladder_diags *diags)
{
	const ladder_migration *e = renumbered_as(s, m);
	size_t n = ladder_manifest_count(m);
	const ladder_migration *last = n ? ladder_manifest_get(m, n - 1) : NULL;
	if (e)
		ldr_error(diags, "unknown-applied", e->path, 0, 0,
			  "migration %" PRId64 " '%s' is applied, but the "
			  "manifest lists its %s under id %" PRId64
			  " ('%s'): the entry was renumbered; give it back id "
			  "%" PRId64 " (an applied id never changes)",
			  s->id, s->name ? s->name : "",
			  s->recorded_checksum && e->checksum &&
					  !strcmp(s->recorded_checksum,
						  e->checksum)
				  ? "file"
				  : "name",
			  e->id, e->name, s->id);
	else if (last && s->id < last->id)
		ldr_error(diags, "unknown-applied", ladder_manifest_path(m), 0,
			  0,
			  "migration %" PRId64 " '%s' is applied, but the "
			  "manifest no longer lists it: its entry was "
			  "removed; put the entry back (an applied entry is "
			  "never deleted)",
			  s->id, s->name ? s->name : "");
	else
		return 0;
	ldr_diag_migration(diags, s->id);
	return 1;
}

/* The safety rules checked before anything is touched: an incompatible
 * database (unknown, changed or failed steps) is refused, and going up, so
 * is a pending id below the highest applied one unless allowed. Reports
 * every violation; returns LADDER_EREFUSED if there was one. */
int ldr_plan_refuse_unsafe(const ladder_plan *plan, const ladder_manifest *m,
			   int check_order, int allow_out_of_order, int64_t to,
			   ladder_diags *diags)
{
	int refused = 0;
	const ladder_migration *moved;
	ldr_buf unknown = LDR_BUF_INIT;
	for (size_t i = 0; i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		const char *path = s->migration ? s->migration->path : NULL;
		switch (s->state) {
		case LADDER_STATE_UNKNOWN:
			if (!diagnose_unknown(s, m, diags))
				ldr_buf_addf(&unknown, "%s%" PRId64,
					     unknown.len ? " " : "", s->id);
			refused = 1;
			break;
		case LADDER_STATE_CHANGED:
			ldr_error(diags, "changed", path, 0, 0,
				  "migration %" PRId64 " '%s' changed since it "
				  "was applied (recorded checksum %.12s, file "
				  "now %.12s); restore the file, or record it "
				  "with 'ladder repair' if the edit is "
				  "harmless",
				  s->id, s->name, s->recorded_checksum,
				  s->migration->checksum);
			ldr_diag_migration(diags, s->id);
			moved = renumbered_as(s, m);
			if (moved && s->recorded_checksum && moved->checksum &&
			    !strcmp(s->recorded_checksum, moved->checksum)) {
				ldr_diag(diags, LADDER_SEV_NOTE, "renumbered",
					 moved->path, 0, 0,
					 "the file applied as %" PRId64
					 " is listed under id %" PRId64
					 " now: the entries were renumbered; "
					 "give them back their ids",
					 s->id, moved->id);
				ldr_diag_migration(diags, s->id);
			}
			refused = 1;
			break;
		case LADDER_STATE_FAILED:
			ldr_error(diags, "failed", path, 0, 0,
				  "migration %" PRId64 " '%s' runs without a "
				  "transaction and stopped midway at %s (%s); "
				  "the database may be partly changed: mend it "
				  "by hand, then 'ladder repair' clears the "
				  "note (the step is then pending again, or "
				  "applied again after a failed revert)",
				  s->id, s->name, s->applied_at,
				  s->failure ? s->failure
					     : "the run died midway");
			ldr_diag_migration(diags, s->id);
			refused = 1;
			break;
		case LADDER_STATE_PENDING:
			if (!check_order || !s->out_of_order ||
			    allow_out_of_order || (to && s->id > to))
				break;
			ldr_error(diags, "out-of-order", path, 0, 0,
				  "migration %" PRId64 " '%s' is pending, but "
				  "the database already has %" PRId64
				  "; apply it anyway with --allow-out-of-order",
				  s->id, s->name, ldr_plan_max_applied(plan));
			ldr_diag_migration(diags, s->id);
			refused = 1;
			break;
		case LADDER_STATE_APPLIED: break;
		}
	}
	if (unknown.len) {
		ldr_error(diags, "unknown-applied", ladder_manifest_path(m), 0,
			  0,
			  "the database has migrations this manifest does "
			  "not list: [%s]; it was migrated by a newer release, "
			  "so ladder will not touch it",
			  unknown.data);
		if (!strchr(unknown.data, ' ')) /* one id: the diag's own */
			ldr_diag_migration(diags,
					   strtoll(unknown.data, NULL, 10));
		refused = 1;
	}
	ldr_buf_release(&unknown);
	return refused ? LADDER_EREFUSED : 0;
}

int64_t ldr_plan_max_applied(const ladder_plan *plan)
{
	return plan->max_applied;
}

int ldr_plan_table_exists(const ladder_plan *plan)
{
	return plan->rows.table_exists;
}
