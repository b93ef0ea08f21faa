/* test_conformance.c — the driver conformance suite: one set of behaviours
 * every database driver must show, written only against the public API
 * (ladder.h; the program links the shared library and cannot reach
 * internal.h), after golang-migrate's database/testing.Test().
 *
 * Every case runs once per target in LADDER_TEST_TARGETS, a list separated
 * by blanks (CMake passes its LADDER_TEST_TARGETS cache list; "sqlite" when
 * unset):
 *   sqlite   a new SQLite file in a scratch folder for each case;
 *   anything else, passed to ladder_db_open as it is (a `sqlite:PATH`, or
 *            a PostgreSQL URL, whose manifests then say `engine:
 *            postgresql`): a database the cases share, so each case names
 *            its bookkeeping table and its tables with a prefix of its own
 *            (c<pid>_) and finds them by name. On PostgreSQL each case
 *            also works in a schema of its own (c<pid>: the manifest's
 *            `schema:` and the URL's search_path), as another case's
 *            tables in its schema would make the database unmanaged, no
 *            fresh install. tests/pg/t108 runs the suite against a
 *            database of the PostgreSQL test cluster.
 * A target that cannot be opened fails every case; nothing is skipped.
 *
 * What the cases see goes through ladder_plan (states, applied_at,
 * checksums) and ladder_schema (which tables exist), never through the
 * driver's own client. */
#define _GNU_SOURCE /* vasprintf, strptime, timegm */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define MAX_TARGETS 16
static char *targets[MAX_TARGETS];
static int n_targets;

/* The case's world: the scratch folder with its manifest and SQL files, the
 * target it opens, its prefix for names, its diagnostics. */
static char *dir, *target, *prefix;
static ladder_diags *diags;
/* The case's latest manifest: a PostgreSQL target opens with it, for its
 * `schema:`. */
static const ladder_manifest *latest;

static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = NULL;
	ck_assert(vasprintf(&s, f, ap) >= 0);
	va_end(ap);
	return s;
}

static void setup_target(int i)
{
	dir = tu_tmpdir();
	prefix = fmt("c%ld", (long)getpid());
	if (strcmp(targets[i], "sqlite") == 0)
		target = fmt("%s/app.db", dir);
	else if (strncmp(targets[i], "postgres", 8) == 0)
		target = fmt("%s%coptions=-csearch_path%%3D%s", targets[i],
			     strchr(targets[i], '?') ? '&' : '?', prefix);
	else
		target = strdup(targets[i]);
	ck_assert_int_eq(ladder_diags_new(&diags), 0);
}

static void teardown_target(void)
{
	tu_rmtree(dir);
	free(dir);
	free(target);
	free(prefix);
	ladder_diags_free(diags);
	dir = target = prefix = NULL;
	diags = NULL;
	latest = NULL;
}

static char *table(void)
{
	return fmt("%s_migrations", prefix);
}

static ladder_db *open_db(void)
{
	ladder_db *db = NULL;
	char *t = table();
	int rc = strncmp(target, "postgres", 8) == 0 && latest
			 ? ladder_db_open_for(&db, target, latest,
					      LADDER_OPEN_WRITE, diags)
			 : ladder_db_open(&db, target, t, LADDER_OPEN_WRITE,
					  diags);
	free(t);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0 && db, "cannot open target '%s': %s\n%s", target,
		      ladder_strerror(rc), dump);
	free(dump);
	return db;
}

/* step ID SQL [DOWN]: writes sql/ID.sql (and sql/ID.down.sql), with every
 * "%1$s" in SQL replaced by the case's prefix. */
static void step(int id, const char *sql, const char *down)
{
	char rel[64], *text;
	snprintf(rel, sizeof(rel), "sql/%d.sql", id);
	text = fmt(sql, prefix);
	free(tu_write(dir, rel, text));
	free(text);
	if (down) {
		snprintf(rel, sizeof(rel), "sql/%d.down.sql", id);
		text = fmt(down, prefix);
		free(tu_write(dir, rel, text));
		free(text);
	}
}

/* A manifest listing `ids` (0-terminated); an id whose sql/ID.down.sql
 * exists gets it as `down`. `flags` as for ladder_manifest_load_flags. */
static ladder_manifest *manifest_flags(unsigned flags, const int *ids)
{
	/* A PostgreSQL target's migrations are read in its dialect. */
	int pg = strncmp(target, "postgres", 8) == 0;
	char *yaml = fmt("%s%s%stable: %s_migrations\nmigrations:\n",
			 pg ? "engine: postgresql\nschema: " : "",
			 pg ? prefix : "", pg ? "\n" : "", prefix);
	for (const int *id = ids; *id; id++) {
		char *down = fmt("%s/sql/%d.down.sql", dir, *id);
		int has_down = access(down, F_OK) == 0;
		free(down);
		char *more = fmt(
			"%s  - {id: %d, name: step%d, file: sql/%d.sql%s", yaml,
			*id, *id, *id, has_down ? ", down: sql/" : "");
		free(yaml);
		yaml = has_down ? fmt("%s%d.down.sql}\n", more, *id)
				: fmt("%s}\n", more);
		free(more);
	}
	char *path = tu_write(dir, "manifest.yaml", yaml);
	free(yaml);
	ladder_manifest *m = NULL;
	int rc = ladder_manifest_load_flags(&m, path, flags, diags);
	free(path);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0, "manifest: %s\n%s", ladder_strerror(rc), dump);
	free(dump);
	latest = m;
	return m;
}
#define manifest(...) manifest_flags(0, (const int[]){__VA_ARGS__, 0})

static ladder_plan *plan(ladder_db *db, const ladder_manifest *m)
{
	ladder_plan *p = NULL;
	int rc = ladder_plan_new(&p, db, m, diags);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0, "plan: %s\n%s", ladder_strerror(rc), dump);
	free(dump);
	return p;
}

/* The state of step `id` in a new plan. */
static ladder_state state_of(ladder_db *db, const ladder_manifest *m,
			     int64_t id)
{
	ladder_plan *p = plan(db, m);
	for (size_t i = 0; i < ladder_plan_count(p); i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		if (s->id == id) {
			ladder_state st = s->state;
			ladder_plan_free(p);
			return st;
		}
	}
	ladder_plan_free(p);
	ck_abort_msg("step %lld not in the plan", (long long)id);
	return LADDER_STATE_UNKNOWN;
}

static ladder_verdict verdict(ladder_db *db, const ladder_manifest *m)
{
	ladder_plan *p = plan(db, m);
	ladder_verdict v = ladder_plan_verdict(p);
	ladder_plan_free(p);
	return v;
}

/* Whether the case's table NAME (prefix_NAME) exists, by the schema. */
static int has_table(ladder_db *db, const char *name)
{
	char *schema = NULL;
	int rc = ladder_schema(&schema, db, diags);
	ck_assert_msg(rc == 0, "schema: %s", ladder_strerror(rc));
	char *full = fmt("%s_%s", prefix, name);
	int found = 0;
	for (const char *p = schema; p && (p = strstr(p, full)) != NULL;
	     p += strlen(full)) {
		char after = p[strlen(full)];
		if (!isalnum((unsigned char)after) && after != '_') {
			found = 1;
			break;
		}
	}
	free(full);
	ladder_free(schema);
	return found;
}

static int up(ladder_db *db, const ladder_manifest *m,
	      const ladder_up_options *o)
{
	return ladder_up(db, m, o, diags);
}

static void up_ok(ladder_db *db, const ladder_manifest *m)
{
	int rc = up(db, m, NULL);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0, "up: %s\n%s", ladder_strerror(rc), dump);
	free(dump);
}

struct done_log {
	int64_t ids[16];
	size_t n;
};

static void on_done(const ladder_event *ev, void *ctx)
{
	struct done_log *log = ctx;
	if (ev->kind == LADDER_EVENT_DONE && log->n < 16)
		log->ids[log->n++] = ev->migration->id;
}

static int is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !(*s >= 'a' && *s <= 'f'))
			return 0;
	return 1;
}

/* applied_at is YYYY-MM-DDTHH:MM:SSZ, UTC, within a minute of now. */
static void expect_utc_now(const char *at)
{
	ck_assert_ptr_nonnull(at);
	struct tm tm = {0};
	const char *end = strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_msg(end && *end == '\0' && strlen(at) == 20,
		      "applied_at '%s' is not RFC 3339 UTC", at);
	time_t when = timegm(&tm), now = time(NULL);
	ck_assert_msg(when >= now - 60 && when <= now + 5,
		      "applied_at '%s' is not now in UTC", at);
}

#define TARGET_TEST(name)                                                      \
	static void name##_body(void);                                         \
	START_TEST(name)                                                       \
	{                                                                      \
		setup_target(_i);                                              \
		name##_body();                                                 \
		teardown_target();                                             \
	}                                                                      \
	END_TEST                                                               \
	static void name##_body(void)

/* ------------------------------------------------------------- the cases */

/* The target opens and takes a write (a missing SQLite file is made only
 * by the first write, so opening alone proves little). */
TARGET_TEST(target_opens)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	ladder_manifest *m = manifest(1);
	ladder_db *db = open_db();
	up_ok(db, m);
	ck_assert(has_table(db, "a"));
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(fresh_all_pending)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "CREATE TABLE %1$s_b (x integer);", NULL);
	ladder_manifest *m = manifest(1, 2);
	ladder_db *db = open_db();
	ladder_plan *p = plan(db, m);
	ck_assert_uint_eq(ladder_plan_count(p), 2);
	ck_assert_uint_eq(ladder_plan_count_state(p, LADDER_STATE_PENDING), 2);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_PENDING);
	for (size_t i = 0; i < 2; i++)
		ck_assert_ptr_null(ladder_plan_get(p, i)->applied_at);
	ladder_plan_free(p);
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(up_applies_in_order_and_records)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "INSERT INTO %1$s_a VALUES (2);", NULL);
	step(10, "CREATE TABLE %1$s_j (x integer);", NULL);
	ladder_manifest *m = manifest(1, 2, 10);
	ladder_db *db = open_db();
	struct done_log log = {0};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.on_event = on_done;
	o.event_ctx = &log;
	int rc = up(db, m, &o);
	ck_assert_msg(rc == 0, "up: %s", ladder_strerror(rc));
	ck_assert_uint_eq(log.n, 3);
	ck_assert_int_eq(log.ids[0], 1);
	ck_assert_int_eq(log.ids[1], 2);
	ck_assert_int_eq(log.ids[2], 10);

	ladder_plan *p = plan(db, m);
	ck_assert_uint_eq(ladder_plan_count_state(p, LADDER_STATE_APPLIED), 3);
	for (size_t i = 0; i < ladder_plan_count(p); i++) {
		const ladder_step *s = ladder_plan_get(p, i);
		expect_utc_now(s->applied_at);
		ck_assert_msg(is_hex64(s->recorded_checksum),
			      "step %lld: checksum '%s' is not 64 hex digits",
			      (long long)s->id,
			      s->recorded_checksum ? s->recorded_checksum
						   : "(null)");
		ck_assert_str_eq(s->recorded_checksum, s->migration->checksum);
	}
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_COMPATIBLE);
	ladder_plan_free(p);
	ck_assert(has_table(db, "a"));
	ck_assert(has_table(db, "j"));
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(failing_step_rolls_back_earlier_stay)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2,
	     "CREATE TABLE %1$s_b (x integer);\nINSERT INTO %1$s_nowhere "
	     "VALUES (1);",
	     NULL);
	step(3, "CREATE TABLE %1$s_c (x integer);", NULL);
	ladder_manifest *m = manifest(1, 2, 3);
	ladder_db *db = open_db();
	int rc = up(db, m, NULL);
	ck_assert_int_ne(rc, 0);
	ck_assert_msg(ladder_diags_errors(diags) > 0, "no error reported");
	ck_assert_int_eq(state_of(db, m, 1), LADDER_STATE_APPLIED);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_PENDING);
	ck_assert_int_eq(state_of(db, m, 3), LADDER_STATE_PENDING);
	ck_assert(has_table(db, "a"));
	ck_assert_msg(!has_table(db, "b"), "the failed step's table stayed");
	ck_assert(!has_table(db, "c"));
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(rerun_is_a_noop)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	ladder_manifest *m = manifest(1);
	ladder_db *db = open_db();
	up_ok(db, m);
	ladder_plan *p = plan(db, m);
	char *at = strdup(ladder_plan_get(p, 0)->applied_at);
	ladder_plan_free(p);

	struct done_log log = {0};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.on_event = on_done;
	o.event_ctx = &log;
	ck_assert_int_eq(up(db, m, &o), 0);
	ck_assert_uint_eq(log.n, 0);
	p = plan(db, m);
	ck_assert_str_eq(ladder_plan_get(p, 0)->applied_at, at);
	ck_assert_uint_eq(ladder_plan_count(p), 1);
	ladder_plan_free(p);
	free(at);
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(check_verdicts)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "CREATE TABLE %1$s_b (x integer);", NULL);
	ladder_manifest *m = manifest(1, 2);
	ladder_db *db = open_db();
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.to = 1;
	ck_assert_int_eq(up(db, m, &o), 0);
	ck_assert_int_eq(verdict(db, m), LADDER_VERDICT_PENDING);
	up_ok(db, m);
	ck_assert_int_eq(verdict(db, m), LADDER_VERDICT_COMPATIBLE);

	/* An applied id the manifest no longer lists: unknown. */
	ladder_manifest *older = manifest(1);
	ck_assert_int_eq(state_of(db, older, 2), LADDER_STATE_UNKNOWN);
	ck_assert_int_eq(verdict(db, older), LADDER_VERDICT_INCOMPATIBLE);
	ladder_manifest_free(older);

	/* An applied file changed since: changed. */
	step(2, "CREATE TABLE %1$s_b (x integer, y integer);", NULL);
	ladder_manifest *edited = manifest(1, 2);
	ck_assert_int_eq(state_of(db, edited, 2), LADDER_STATE_CHANGED);
	ck_assert_int_eq(verdict(db, edited), LADDER_VERDICT_INCOMPATIBLE);
	ladder_manifest_free(edited);
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(down_reverts_with_its_down_file)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", "DROP TABLE %1$s_a;");
	step(2, "CREATE TABLE %1$s_b (x integer);", "DROP TABLE %1$s_b;");
	ladder_manifest *m = manifest(1, 2);
	ladder_db *db = open_db();
	up_ok(db, m);
	int rc = ladder_down(db, m, NULL, diags);
	ck_assert_msg(rc == 0, "down: %s", ladder_strerror(rc));
	ck_assert_int_eq(state_of(db, m, 1), LADDER_STATE_APPLIED);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_PENDING);
	ck_assert(has_table(db, "a"));
	ck_assert_msg(!has_table(db, "b"), "down did not run its down file");
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(baseline_records_without_running)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "CREATE TABLE %1$s_b (x integer);", NULL);
	step(3, "CREATE TABLE %1$s_c (x integer);", NULL);
	ladder_manifest *m = manifest(1, 2, 3);
	ladder_db *db = open_db();
	int rc = ladder_baseline(db, m, 2, diags);
	ck_assert_msg(rc == 0, "baseline: %s", ladder_strerror(rc));
	ck_assert_int_eq(state_of(db, m, 1), LADDER_STATE_APPLIED);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_APPLIED);
	ck_assert_int_eq(state_of(db, m, 3), LADDER_STATE_PENDING);
	ck_assert_msg(!has_table(db, "a") && !has_table(db, "b"),
		      "baseline ran the steps");
	up_ok(db, m);
	ck_assert(has_table(db, "c"));
	ck_assert(!has_table(db, "a"));
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(repair_records_the_current_checksum)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	ladder_manifest *m = manifest(1);
	ladder_db *db = open_db();
	up_ok(db, m);
	ladder_manifest_free(m);
	step(1, "CREATE TABLE %1$s_a (x integer); -- reformatted", NULL);
	m = manifest(1);
	ck_assert_int_eq(verdict(db, m), LADDER_VERDICT_INCOMPATIBLE);
	size_t changed = 0;
	int rc = ladder_repair(&changed, db, m, diags);
	ck_assert_msg(rc == 0, "repair: %s", ladder_strerror(rc));
	ck_assert_uint_eq(changed, 1);
	ladder_plan *p = plan(db, m);
	ck_assert_int_eq(ladder_plan_verdict(p), LADDER_VERDICT_COMPATIBLE);
	ck_assert_str_eq(ladder_plan_get(p, 0)->recorded_checksum,
			 ladder_manifest_get(m, 0)->checksum);
	ladder_plan_free(p);
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(out_of_order_refused)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "CREATE TABLE %1$s_b (x integer);", NULL);
	step(3, "CREATE TABLE %1$s_c (x integer);", NULL);
	ladder_manifest *m = manifest(1, 3);
	ladder_db *db = open_db();
	up_ok(db, m);
	ladder_manifest_free(m);
	m = manifest(1, 2, 3);
	ck_assert_int_eq(up(db, m, NULL), LADDER_EREFUSED);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_PENDING);
	ck_assert(!has_table(db, "b"));
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.allow_out_of_order = 1;
	ck_assert_int_eq(up(db, m, &o), 0);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_APPLIED);
	ladder_db_free(db);
	ladder_manifest_free(m);
}

TARGET_TEST(transaction_control_refused)
{
	step(1, "CREATE TABLE %1$s_a (x integer);", NULL);
	step(2, "BEGIN;\nCREATE TABLE %1$s_b (x integer);\nCOMMIT;", NULL);
	/* Loaded for checksums only, so the rule is up's to apply. */
	ladder_manifest *m = manifest_flags(LADDER_LOAD_CHECKSUMS_ONLY,
					    (const int[]){1, 2, 0});
	ladder_db *db = open_db();
	int rc = up(db, m, NULL);
	ck_assert_int_ne(rc, 0);
	ck_assert_msg(ladder_diags_errors(diags) > 0, "no error reported");
	/* Refused before anything ran, the good first step included. */
	ck_assert_int_eq(state_of(db, m, 1), LADDER_STATE_PENDING);
	ck_assert_int_eq(state_of(db, m, 2), LADDER_STATE_PENDING);
	ck_assert(!has_table(db, "a"));
	ck_assert(!has_table(db, "b"));
	ladder_db_free(db);
	ladder_manifest_free(m);
}

/* ------------------------------------------------------------------ main */

static void read_targets(void)
{
	const char *env = getenv("LADDER_TEST_TARGETS");
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s", env && *env ? env : "sqlite");
	for (char *save = NULL, *t = strtok_r(buf, " \t\n;", &save);
	     t && n_targets < MAX_TARGETS; t = strtok_r(NULL, " \t\n;", &save))
		targets[n_targets++] = t;
}

int main(void)
{
	read_targets();
	if (n_targets == 0) {
		fprintf(stderr, "LADDER_TEST_TARGETS lists no target\n");
		return EXIT_FAILURE;
	}
	for (int i = 0; i < n_targets; i++)
		fprintf(stderr, "conformance target %d: %s\n", i, targets[i]);
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("driver");
	tcase_set_timeout(tc, 60);
	const TTest *const cases[] = {target_opens,
				      fresh_all_pending,
				      up_applies_in_order_and_records,
				      failing_step_rolls_back_earlier_stay,
				      rerun_is_a_noop,
				      check_verdicts,
				      down_reverts_with_its_down_file,
				      baseline_records_without_running,
				      repair_records_the_current_checksum,
				      out_of_order_refused,
				      transaction_control_refused};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		tcase_add_loop_test(tc, cases[c], 0, n_targets);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
