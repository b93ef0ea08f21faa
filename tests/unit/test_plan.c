/* test_plan.c — manifest × recorded rows → states and the check verdict.
 * Pure: the rows are built here, no database is opened. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "testutil.h"

static char *dir;
static ladder_manifest *m;
static ldr_rows rows;

/* A manifest listing ids 1, 2, 10 and 20. */
static void setup(void)
{
	dir = tu_tmpdir();
	free(tu_write(dir, "sql/1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "sql/2.sql", "CREATE TABLE b(x);\n"));
	free(tu_write(dir, "sql/10.sql", "CREATE TABLE c(x);\n"));
	free(tu_write(dir, "sql/20.sql", "CREATE TABLE d(x);\n"));
	const char *yaml = "migrations:\n"
			   "  - {id: 1, name: one, file: sql/1.sql}\n"
			   "  - {id: 2, name: two, file: sql/2.sql}\n"
			   "  - {id: 10, name: ten, file: sql/10.sql}\n"
			   "  - {id: 20, name: twenty, file: sql/20.sql}\n";
	char path[4200];
	snprintf(path, sizeof(path), "%s/manifest.yaml", dir);
	ladder_diags *d;
	ladder_diags_new(&d);
	int rc = ladder_manifest_load_buffer(&m, yaml, strlen(yaml), path, d);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "manifest: %d\n%s", rc, dump);
	free(dump);
	ladder_diags_free(d);
	memset(&rows, 0, sizeof(rows));
}

static void teardown(void)
{
	ldr_rows_release(&rows);
	ladder_manifest_free(m);
	tu_rmtree(dir);
	free(dir);
}

/* Records `id` with the manifest's own checksum (as ladder would have). */
static void applied(int64_t id)
{
	const ladder_migration *mig = ladder_manifest_find(m, id);
	ck_assert_int_eq(ldr_rows_push(&rows, id, mig ? mig->name : "gone",
				       "2026-11-21T14:56:00Z",
				       mig ? mig->checksum : "ff",
				       LDR_CHECKSUM_ALGORITHM),
			 0);
}

static ladder_plan *build(void)
{
	ladder_plan *p = NULL;
	ck_assert_int_eq(ldr_plan_build(&p, m, &rows), 0);
	return p;
}

static const ladder_step *step(const ladder_plan *p, int64_t id)
{
	for (size_t i = 0; i < ladder_plan_count(p); i++)
		if (ladder_plan_get(p, i)->id == id)
			return ladder_plan_get(p, i);
	ck_abort_msg("no step with id %lld", (long long)id);
	return NULL;
}

START_TEST(fresh_database_is_all_pending)
{
	ladder_plan *p = build();
	ck_assert_uint_eq(ladder_plan_count(p), 4);
	ck_assert_uint_eq(ladder_plan_count_state(p, LADDER_STATE_PENDING), 4);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_PENDING);
	ck_assert_int_eq(step(p, 1)->out_of_order, 0);
	ck_assert_ptr_null(step(p, 1)->applied_at);
	ladder_plan_free(p);
}
END_TEST

START_TEST(all_applied_is_compatible)
{
	applied(1);
	applied(2);
	applied(10);
	applied(20);
	ladder_plan *p = build();
	ck_assert_uint_eq(ladder_plan_count_state(p, LADDER_STATE_APPLIED), 4);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_COMPATIBLE);
	ck_assert_str_eq(step(p, 10)->applied_at, "2026-11-21T14:56:00Z");
	ladder_plan_free(p);
}
END_TEST

START_TEST(partly_applied_needs_migrations)
{
	applied(1);
	applied(2);
	ladder_plan *p = build();
	ck_assert_int_eq(step(p, 2)->state, LADDER_STATE_APPLIED);
	ck_assert_int_eq(step(p, 10)->state, LADDER_STATE_PENDING);
	ck_assert_int_eq(step(p, 10)->out_of_order, 0);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_PENDING);
	ladder_plan_free(p);
}
END_TEST

START_TEST(unknown_id_is_incompatible_even_with_pending)
{
	applied(1);
	applied(15); /* not in the manifest: a newer release wrote it */
	ladder_plan *p = build();
	ck_assert_uint_eq(ladder_plan_count(p), 5);
	/* merged in id order */
	ck_assert_int_eq(ladder_plan_get(p, 3)->id, 15);
	ck_assert_int_eq(step(p, 15)->state, LADDER_STATE_UNKNOWN);
	ck_assert_ptr_null(step(p, 15)->migration);
	ck_assert_str_eq(step(p, 15)->name, "gone");
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_INCOMPATIBLE);
	ladder_plan_free(p);
}
END_TEST

START_TEST(changed_checksum_is_incompatible)
{
	applied(1);
	ck_assert_int_eq(ldr_rows_push(&rows, 2, "two", "2026-11-21T14:56:00Z",
				       "0000", LDR_CHECKSUM_ALGORITHM),
			 0);
	ladder_plan *p = build();
	ck_assert_int_eq(step(p, 2)->state, LADDER_STATE_CHANGED);
	ck_assert_str_eq(step(p, 2)->recorded_checksum, "0000");
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_INCOMPATIBLE);
	ladder_plan_free(p);
}
END_TEST

START_TEST(checksum_of_unknown_algorithm_is_not_compared)
{
	/* Adopted rows (no checksum) and rows whose checksum another tool
	 * wrote cannot be compared: applied, unverified. */
	ck_assert_int_eq(ldr_rows_push(&rows, 1, "one", "2020-01-01T00:00:00Z",
				       NULL, NULL),
			 0);
	ck_assert_int_eq(ldr_rows_push(&rows, 2, "two", "2020-01-01T00:00:00Z",
				       "abcd", "md5"),
			 0);
	ladder_plan *p = build();
	ck_assert_int_eq(step(p, 1)->state, LADDER_STATE_APPLIED);
	ck_assert_int_eq(step(p, 2)->state, LADDER_STATE_APPLIED);
	ladder_plan_free(p);
}
END_TEST

START_TEST(pending_below_highest_applied_is_out_of_order)
{
	applied(1);
	applied(10);
	ladder_plan *p = build();
	ck_assert_int_eq(step(p, 2)->state, LADDER_STATE_PENDING);
	ck_assert_int_eq(step(p, 2)->out_of_order, 1);
	ck_assert_int_eq(step(p, 20)->out_of_order, 0);
	ck_assert_int_eq(ldr_plan_max_applied(p), 10);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_PENDING);
	ladder_plan_free(p);
}
END_TEST

START_TEST(failed_note_of_an_unlisted_step_is_incompatible)
{
	applied(1);
	/* A newer release's transaction: false step 15 died midway. */
	rows.failed = calloc(1, sizeof(*rows.failed));
	rows.failed[0] =
		(ldr_failed){.id = 15,
			     .name = strdup("newer"),
			     .started_at = strdup("2026-11-21T14:56:00Z"),
			     .reason = strdup("no such table: x")};
	rows.nfailed = 1;
	ladder_plan *p = build();
	ck_assert_int_eq(step(p, 15)->state, LADDER_STATE_FAILED);
	ck_assert_ptr_null(step(p, 15)->migration);
	ck_assert_str_eq(step(p, 15)->name, "newer");
	ck_assert_int_eq(ladder_plan_get(p, 3)->id, 15); /* in id order */
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_INCOMPATIBLE);
	ladder_plan_free(p);
}
END_TEST

/* A manifest with errors is refused before anything is read or written,
 * by every write command and export alike. */
START_TEST(test_refuse_errors)
{
	ladder_manifest *man = NULL;
	ladder_diags *d = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ldr_manifest_new(&man, "m.yaml", NULL), 0);
	ck_assert_int_eq(ldr_plan_refuse_errors(man, "nothing was done", d), 0);
	ck_assert_uint_eq(ladder_diags_errors(d), 0);
	ldr_manifest_add_errors(man, 1);
	ck_assert_int_eq(ldr_plan_refuse_errors(man, "nothing was done", d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "invalid-manifest", 0,
		       "the manifest has errors; nothing was done");
	ladder_manifest_free(man);
	ladder_diags_free(d);
}
END_TEST

/* Asserts are on in the test builds (CMakeLists.txt keeps NDEBUG out of
 * RelWithDebInfo): a row pushed out of id order is a programmer error that
 * aborts, not a plan quietly built on unsorted rows. */
START_TEST(rows_out_of_id_order_abort)
{
	ldr_rows r;
	memset(&r, 0, sizeof(r));
	ldr_rows_push(&r, 2, "two", "2026-11-21T14:56:00Z", "ff",
		      LDR_CHECKSUM_ALGORITHM);
	ldr_rows_push(&r, 1, "one", "2026-11-21T14:56:00Z", "ff",
		      LDR_CHECKSUM_ALGORITHM);
	ldr_rows_release(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("states");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fresh_database_is_all_pending);
	tcase_add_test(tc, all_applied_is_compatible);
	tcase_add_test(tc, partly_applied_needs_migrations);
	tcase_add_test(tc, unknown_id_is_incompatible_even_with_pending);
	tcase_add_test(tc, changed_checksum_is_incompatible);
	tcase_add_test(tc, checksum_of_unknown_algorithm_is_not_compared);
	tcase_add_test(tc, pending_below_highest_applied_is_out_of_order);
	tcase_add_test(tc, failed_note_of_an_unlisted_step_is_incompatible);
	tcase_add_test(tc, test_refuse_errors);
	suite_add_tcase(s, tc);
	TCase *asserts = tcase_create("asserts");
	tcase_add_test_raise_signal(asserts, rows_out_of_id_order_abort,
				    SIGABRT);
	suite_add_tcase(s, asserts);
	return tu_run(s);
}
