/* test_migrate.c — ladder_up on real SQLite files: applying, stopping at a
 * failure with the step rolled back, the refusals, dry runs, --to. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char *dir, *dbpath, *mpath;
static ladder_diags *diags;

static void setup(void)
{
	dir = tu_tmpdir();
	dbpath = malloc(strlen(dir) + 16);
	sprintf(dbpath, "%s/app.db", dir);
	mpath = malloc(strlen(dir) + 16);
	sprintf(mpath, "%s/manifest.yaml", dir);
	ck_assert_int_eq(ladder_diags_new(&diags), 0);
}

static void teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	free(dbpath);
	free(mpath);
	ladder_diags_free(diags);
}

static ladder_manifest *load(const char *yaml)
{
	ladder_manifest *m = NULL;
	free(tu_write(dir, "manifest.yaml", yaml));
	int rc = ladder_manifest_load(&m, mpath, diags);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0, "manifest: %d\n%s", rc, dump);
	free(dump);
	return m;
}

static ladder_db *open_db(int mode)
{
	ladder_db *db = NULL;
	ck_assert_int_eq(
		ladder_db_open(&db, dbpath, "schema_migrations", mode, diags),
		0);
	return db;
}

/* One integer from a query on the database, through a plain connection. */
static long long query(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	ck_assert_int_eq(
		sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL),
		SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK,
		      "%s: %s", sql, sqlite3_errmsg(h));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static int up(ladder_manifest *m, const ladder_up_options *opts)
{
	ladder_db *db = open_db(opts && opts->dry_run ? LADDER_OPEN_READONLY
						      : LADDER_OPEN_WRITE);
	int rc = ladder_up(db, m, opts, diags);
	ladder_db_free(db);
	return rc;
}

static const char *three = "migrations:\n"
			   "  - {id: 1, name: a, file: 1.sql}\n"
			   "  - {id: 2, name: b, file: 2.sql}\n"
			   "  - {id: 3, name: c, file: 3.sql}\n";

static void three_files(void)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE b(x);\nINSERT INTO b "
		      "VALUES (1);\n"));
	free(tu_write(dir, "3.sql", "CREATE TABLE c(x);\n"));
}

struct seen {
	int done, skipped, statements;
	size_t total;
};

static void count_events(const ladder_event *ev, void *ctx)
{
	struct seen *s = ctx;
	s->total = ev->total;
	s->done += ev->kind == LADDER_EVENT_DONE;
	s->skipped += ev->kind == LADDER_EVENT_SKIPPED;
	s->statements += ev->kind == LADDER_EVENT_STATEMENT;
}

START_TEST(applies_all_then_nothing)
{
	three_files();
	ladder_manifest *m = load(three);
	struct seen seen = {0};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.on_event = count_events;
	o.event_ctx = &seen;
	o.want_statements = 1;
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(seen.done, 3);
	ck_assert_int_eq(seen.statements, 4);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 3);
	ck_assert_int_eq(query("SELECT x FROM b"), 1);

	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(seen.done, 0);
	ck_assert_uint_eq(seen.total, 0);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(failing_third_statement_rolls_back_its_migration)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE b(x);\n"
		      "INSERT INTO b VALUES (1);\n"
		      "\n"
		      "INSERT INTO nowhere VALUES (2);\n"));
	free(tu_write(dir, "3.sql", "CREATE TABLE c(x);\n"));
	ladder_manifest *m = load(three);
	ck_assert_int_eq(up(m, NULL), LADDER_EDB);
	/* The failing statement is named by file and the line it starts on. */
	const ladder_diag *d = tu_find_diag(diags, "sql", 4, "no such table");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(strstr(d->file, "2.sql"));
	ck_assert_diag(diags, "rolled-back", 0, "migration 2 'b'");
	/* 1 stays; nothing of 2; 3 never ran. */
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('b', 'c')"),
			 0);
	ladder_manifest_free(m);
}
END_TEST

/* Options version 1 (before group_ms) still works, with groups by default;
 * a negative group_ms is a usage error; with group_ms 0 or a group, the
 * DONE events come once each step is committed. */
START_TEST(up_options_version_1_and_group_ms)
{
	three_files();
	ladder_manifest *m = load(three);
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.group_ms = -1;
	ck_assert_int_eq(up(m, &o), LADDER_EUSAGE);
	ck_assert_int_ne(access(dbpath, F_OK), 0); /* nothing written */
	struct seen seen = {0};
	o.version = 1;
	o.group_ms = -1; /* beyond a version-1 struct: never read */
	o.on_event = count_events;
	o.event_ctx = &seen;
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(seen.done, 3);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 3);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(refuses_unknown_ids_and_touches_nothing)
{
	three_files();
	ladder_manifest *m = load(three);
	ck_assert_int_eq(up(m, NULL), 0);
	ladder_manifest_free(m);
	/* A newer release applied 4; this (older) manifest does not know it. */
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(dbpath, &h), SQLITE_OK);
	sqlite3_exec(h,
		     "INSERT INTO schema_migrations (id, name, applied_at) "
		     "VALUES (4, 'd', '2026-01-01T00:00:00Z')",
		     NULL, NULL, NULL);
	sqlite3_close(h);
	free(tu_write(dir, "2b.sql", "CREATE TABLE e(x);\n"));
	m = load("migrations:\n"
		 "  - {id: 1, name: a, file: 1.sql}\n"
		 "  - {id: 2, name: b, file: 2.sql}\n");
	char copy[4200];
	snprintf(copy, sizeof(copy), "%s/before.db", dir);
	tu_copy(dbpath, copy);
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ck_assert_diag(diags, "unknown-applied", 0, "[3 4]");
	ck_assert_msg(tu_same_file(dbpath, copy), "the database changed");
	ladder_manifest_free(m);
}
END_TEST

START_TEST(refuses_changed_file)
{
	three_files();
	ladder_manifest *m = load(three);
	ck_assert_int_eq(up(m, NULL), 0);
	ladder_manifest_free(m);
	free(tu_write(dir, "2.sql", "CREATE TABLE b(x, y);\n"));
	free(tu_write(dir, "4.sql", "CREATE TABLE d(x);\n"));
	m = load("migrations:\n"
		 "  - {id: 1, name: a, file: 1.sql}\n"
		 "  - {id: 2, name: b, file: 2.sql}\n"
		 "  - {id: 3, name: c, file: 3.sql}\n"
		 "  - {id: 4, name: d, file: 4.sql}\n");
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ck_assert_diag(diags, "changed", 0, "migration 2 'b' changed");
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "= 'd'"),
			 0);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(out_of_order_needs_the_flag)
{
	three_files();
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: a, file: 1.sql}\n"
				  "  - {id: 3, name: c, file: 3.sql}\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ladder_manifest_free(m);
	m = load(three); /* 2 merged late */
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ck_assert_diag(diags, "out-of-order", 0, "--allow-out-of-order");
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 2);
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.allow_out_of_order = 1;
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 3);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(dry_run_touches_nothing)
{
	three_files();
	ladder_manifest *m = load(three);
	struct seen seen = {0};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.dry_run = 1;
	o.on_event = count_events;
	o.event_ctx = &seen;
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(seen.done, 3);
	ck_assert_int_ne(access(dbpath, F_OK), 0);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(to_stops_at_the_id)
{
	three_files();
	ladder_manifest *m = load(three);
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.to = 2;
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(query("SELECT max(id) FROM schema_migrations"), 2);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(non_transactional_step_runs_vacuum)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "2.sql", "VACUUM;\n"));
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: a, file: 1.sql}\n"
				  "  - {id: 2, name: v, file: 2.sql, "
				  "transaction: false}\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 2);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(interrupted_before_a_step_applies_nothing)
{
	three_files();
	ladder_manifest *m = load(three);
	ladder_db *db = open_db(LADDER_OPEN_WRITE);
	ladder_db_interrupt(db);
	ck_assert_int_eq(ladder_up(db, m, NULL, diags), LADDER_EINTERRUPTED);
	ladder_db_free(db);
	/* Stopped before the first write: not even the file was made. */
	ck_assert_int_ne(access(dbpath, F_OK), 0);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(refuses_an_invalid_manifest)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "manifest.yaml",
		      "migrations:\n"
		      "  - {id: 1, name: a, file: 1.sql}\n"
		      "  - {id: 1, name: b, file: 1.sql}\n"));
	ladder_manifest *m = NULL;
	ck_assert_int_eq(ladder_manifest_load(&m, mpath, diags),
			 LADDER_EINVALID);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(up(m, NULL), LADDER_EINVALID);
	ck_assert_int_ne(access(dbpath, F_OK), 0); /* refused: no file made */
	ladder_manifest_free(m);
}
END_TEST

/* The state of `id` in a fresh plan of the database. */
static ladder_state state_of(ladder_manifest *m, int64_t id)
{
	ladder_db *db = open_db(LADDER_OPEN_READONLY);
	ladder_plan *p = NULL;
	ck_assert_int_eq(ladder_plan_new(&p, db, m, diags), 0);
	ladder_state st = LADDER_STATE_UNKNOWN;
	int found = 0;
	for (size_t i = 0; i < ladder_plan_count(p); i++)
		if (ladder_plan_get(p, i)->id == id) {
			st = ladder_plan_get(p, i)->state;
			found = 1;
		}
	ck_assert_msg(found, "no step %lld", (long long)id);
	ladder_plan_free(p);
	ladder_db_free(db);
	return st;
}

static const char *with_downs =
	"migrations:\n"
	"  - {id: 1, name: a, file: 1.sql, down: 1d.sql}\n"
	"  - {id: 2, name: b, file: 2.sql, down: 2d.sql}\n"
	"  - {id: 3, name: c, file: 3.sql, down: 3d.sql}\n";

static void down_files(void)
{
	three_files();
	free(tu_write(dir, "1d.sql", "DROP TABLE a;\n"));
	free(tu_write(dir, "2d.sql", "DROP TABLE b;\n"));
	free(tu_write(dir, "3d.sql", "DROP TABLE c;\n"));
}

static int down(ladder_manifest *m, int64_t to)
{
	ladder_down_options o = LADDER_DOWN_OPTIONS_INIT;
	o.to = to;
	ladder_db *db = open_db(LADDER_OPEN_WRITE);
	int rc = ladder_down(db, m, &o, diags);
	ladder_db_free(db);
	return rc;
}

START_TEST(down_reverts_newest_then_to_id)
{
	down_files();
	ladder_manifest *m = load(with_downs);
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(down(m, -1), 0);
	ck_assert_int_eq(query("SELECT group_concat(id) = '1,2' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE "
			       "name = 'c'"),
			 0);
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(down(m, 1), 0); /* 3 and 2 go, 1 stays */
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(down(m, 0), 0);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 0);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(down_without_a_down_file_runs_nothing)
{
	down_files();
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: a, file: 1.sql, down: "
				  "1d.sql}\n"
				  "  - {id: 2, name: b, file: 2.sql}\n"
				  "  - {id: 3, name: c, file: 3.sql, down: "
				  "3d.sql}\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(down(m, 0), LADDER_EREFUSED);
	ck_assert_diag(diags, "no-down", 0, "migration 2 'b' has no 'down'");
	/* 3 has a down file but was not reverted either. */
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 3);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(baseline_records_without_running)
{
	three_files();
	ladder_manifest *m = load(three);
	ladder_db *db = open_db(LADDER_OPEN_WRITE);
	ck_assert_int_eq(ladder_baseline(db, m, 7, diags), LADDER_EUSAGE);
	ck_assert_int_eq(ladder_baseline(db, m, 2, diags), 0);
	ck_assert_int_eq(ladder_baseline(db, m, 2, diags), LADDER_EREFUSED);
	ck_assert_diag(diags, "baseline", 0, "already records 2");
	ladder_db_free(db);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('a', 'b')"),
			 0);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_APPLIED);
	ck_assert_int_eq(up(m, NULL), 0); /* only 3 runs */
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('a', 'b', 'c')"),
			 1);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(repair_records_the_current_checksum)
{
	three_files();
	ladder_manifest *m = load(three);
	ck_assert_int_eq(up(m, NULL), 0);
	ladder_manifest_free(m);
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE b(x);  -- reformatted\n"
		      "INSERT INTO b VALUES (1);\n"));
	m = load(three);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_CHANGED);
	ladder_db *db = open_db(LADDER_OPEN_WRITE);
	size_t n = 0;
	ck_assert_int_eq(ladder_repair(&n, db, m, diags), 0);
	ladder_db_free(db);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_APPLIED);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(failed_plain_step_stays_visible_until_repaired)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE half(x);\n"
		      "INSERT INTO nowhere VALUES (1);\n"));
	const char *yaml = "migrations:\n"
			   "  - {id: 1, name: a, file: 1.sql}\n"
			   "  - {id: 2, name: b, file: 2.sql, transaction: "
			   "false}\n";
	ladder_manifest *m = load(yaml);
	ck_assert_int_eq(up(m, NULL), LADDER_EPARTIAL);
	ck_assert_diag(diags, "partial", 0, "may be partly changed");
	/* Not transactional: its first statement stayed. */
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE "
			       "name = 'half'"),
			 1);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_FAILED);
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ck_assert_diag(diags, "failed", 0, "no such table: nowhere");
	ladder_manifest_free(m);

	/* The DBA mends it: the step can run from the start again. */
	free(tu_write(dir, "2.sql", "CREATE TABLE IF NOT EXISTS half(x);\n"));
	m = load(yaml);
	ladder_db *db = open_db(LADDER_OPEN_WRITE);
	ck_assert_int_eq(ladder_repair(NULL, db, m, diags), 0);
	ladder_db_free(db);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_PENDING);
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(state_of(m, 2), LADDER_STATE_APPLIED);
	ladder_manifest_free(m);
}
END_TEST

static const char *family =
	"CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
	"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER\n"
	"  REFERENCES parent(id) ON DELETE CASCADE);\n"
	"INSERT INTO parent VALUES (1, 'a'), (2, 'b');\n"
	"INSERT INTO child VALUES (10, 1), (11, 2), (12, 2);\n";

/* The documented table rebuild; `keep` selects the parents it copies. */
static void rebuild_file(const char *keep)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT "
		 "NOT NULL);\n"
		 "INSERT INTO parent_new SELECT id, name FROM parent %s;\n"
		 "DROP TABLE parent;\n"
		 "ALTER TABLE parent_new RENAME TO parent;\n",
		 keep);
	free(tu_write(dir, "2.sql", sql));
}

START_TEST(rebuild_with_foreign_keys_off_keeps_children)
{
	free(tu_write(dir, "1.sql", family));
	rebuild_file("");
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: family, file: 1.sql}\n"
				  "  - {id: 2, name: rebuild, file: 2.sql, "
				  "foreign_keys: off}\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(query("SELECT count(*) FROM child"), 3);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(rebuild_that_breaks_a_reference_is_rolled_back)
{
	free(tu_write(dir, "1.sql", family));
	rebuild_file("WHERE id = 1");
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: family, file: 1.sql}\n"
				  "  - {id: 2, name: rebuild, file: 2.sql, "
				  "foreign_keys: off}\n");
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ck_assert_diag(diags, "foreign-key", 0, "a row of 'child'");
	ck_assert_diag(diags, "rolled-back", 0, "migration 2");
	ck_assert_int_eq(query("SELECT count(*) FROM parent"), 2);
	ck_assert_int_eq(query("SELECT count(*) FROM child"), 3);
	ck_assert_int_eq(query("SELECT count(*) FROM schema_migrations"), 1);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(foreign_keys_are_enforced_by_default)
{
	free(tu_write(dir, "1.sql", family));
	free(tu_write(dir, "2.sql", "INSERT INTO child VALUES (13, 99);\n"));
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: family, file: 1.sql}\n"
				  "  - {id: 2, name: orphan, file: 2.sql}\n");
	ck_assert_int_eq(up(m, NULL), LADDER_EDB);
	ck_assert_diag(diags, "sql", 1, "FOREIGN KEY constraint failed");
	ladder_manifest_free(m);
}
END_TEST

START_TEST(adopted_handle_is_migrated_and_left_open)
{
	three_files();
	ladder_manifest *m = load(three);
	sqlite3 *app;
	ck_assert_int_eq(sqlite3_open(dbpath, &app), SQLITE_OK);
	/* The application's choice: foreign keys off on its connection. */
	sqlite3_exec(app, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	for (int run = 0; run < 2; run++) {
		ladder_db *db = NULL;
		ck_assert_int_eq(ladder_db_adopt_sqlite(&db, app, NULL, diags),
				 0);
		ck_assert_int_eq(ladder_up(db, m, NULL, diags), 0);
		ladder_db_free(db);
	}
	/* Still the app's, still open, its setting kept. */
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(app,
					    "SELECT (SELECT count(*) FROM "
					    "schema_migrations), foreign_keys "
					    "FROM pragma_foreign_keys",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 3);
	ck_assert_int_eq(sqlite3_column_int(st, 1), 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_close(app), SQLITE_OK);
	ladder_manifest_free(m);
}
END_TEST

/* Group commit, when SQLite takes the whole transaction back with a failing
 * step: the steps that had finished in its group are applied again, each
 * with a commit of its own, before the failure is reported. SQL functions
 * on the application's handle call ladder_db_interrupt() while a step's
 * writing statement runs, as a signal handler would. */
static ladder_db *to_interrupt;
static int replay_calls;

/* Interrupts the run at once (each row it is called for). */
static void interrupt_now(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	ladder_db_interrupt(to_interrupt);
	sqlite3_result_int(cx, 1);
}

/* Interrupts the run once called more than its argument's times: when
 * the statement of 100 rows that calls it runs a second time. */
static void interrupt_after(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (++replay_calls > sqlite3_value_int(argv[0]))
		ladder_db_interrupt(to_interrupt);
	sqlite3_result_int(cx, replay_calls);
}

/* The ids of the DONE events, each checked to be committed (seen from
 * another connection) when it comes. */
struct done_ids {
	int64_t ids[8];
	int n;
	int64_t interrupt_at; /* the DONE of this id interrupts the run */
};

static void done_after_commit(const ladder_event *ev, void *ctx)
{
	struct done_ids *d = ctx;
	if (ev->kind != LADDER_EVENT_DONE)
		return;
	char sql[96];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM schema_migrations WHERE id = %lld",
		 (long long)ev->migration->id);
	ck_assert_msg(query(sql) == 1, "DONE of %lld before its commit",
		      (long long)ev->migration->id);
	ck_assert_int_lt(d->n, 8);
	d->ids[d->n++] = ev->migration->id;
	if (ev->migration->id == d->interrupt_at)
		ladder_db_interrupt(to_interrupt);
}

#define HUNDRED_ROWS                                                           \
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "      \
	"WHERE x < 100) "

/* Runs `three` grouped on an adopted handle with the functions above;
 * returns ladder_up's status, the DONE ids in *done. */
static int up_interrupting(struct done_ids *done)
{
	ladder_manifest *m = load(three);
	sqlite3 *app;
	ck_assert_int_eq(sqlite3_open(dbpath, &app), SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(app, "interrupt_now", 0,
						 SQLITE_UTF8, NULL,
						 interrupt_now, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(app, "interrupt_after", 1,
						 SQLITE_UTF8, NULL,
						 interrupt_after, NULL, NULL),
			 SQLITE_OK);
	ladder_db *db = NULL;
	ck_assert_int_eq(ladder_db_adopt_sqlite(&db, app, NULL, diags), 0);
	to_interrupt = db;
	replay_calls = 0;
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.group_ms = 600000; /* one group, however slow the machine */
	o.on_event = done_after_commit;
	o.event_ctx = done;
	int rc = ladder_up(db, m, &o, diags);
	ladder_db_free(db);
	to_interrupt = NULL;
	ck_assert_int_eq(sqlite3_close(app), SQLITE_OK);
	ladder_manifest_free(m);
	return rc;
}

START_TEST(interrupt_in_a_group_keeps_its_finished_steps)
{
	three_files();
	free(tu_write(dir, "3.sql",
		      "CREATE TABLE c(x);\n"
		      "INSERT INTO c " HUNDRED_ROWS
		      "SELECT interrupt_now() FROM n;\n"));
	struct done_ids done = {0};
	ck_assert_int_eq(up_interrupting(&done), LADDER_EINTERRUPTED);
	ck_assert_diag(diags, "interrupted", 0, "migration 3 'c'");
	ck_assert_diag(diags, "rolled-back", 0, "migration 3 'c'");
	/* 1 and 2 applied (and reported once each, after their commits),
	 * nothing of 3. */
	ck_assert_int_eq(done.n, 2);
	ck_assert_int_eq(done.ids[0], 1);
	ck_assert_int_eq(done.ids[1], 2);
	ck_assert_int_eq(
		query("SELECT group_concat(id) = '1,2' FROM "
		      "(SELECT id FROM schema_migrations ORDER BY id)"),
		1);
	ck_assert_int_eq(query("SELECT x FROM b"), 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "= 'c'"),
			 0);
}
END_TEST

/* The interruption that took the group does not stop the replay; a
 * further one does: what it had not committed is neither applied nor
 * reported. */
START_TEST(a_second_interrupt_stops_the_replay)
{
	three_files();
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE b(x);\n"
		      "INSERT INTO b " HUNDRED_ROWS
		      "SELECT interrupt_after(100) FROM n;\n"));
	free(tu_write(dir, "3.sql",
		      "CREATE TABLE c(x);\n"
		      "INSERT INTO c " HUNDRED_ROWS
		      "SELECT interrupt_now() FROM n;\n"));
	struct done_ids done = {0};
	ck_assert_int_eq(up_interrupting(&done), LADDER_EINTERRUPTED);
	ck_assert_int_gt(replay_calls, 100); /* step 2 ran again */
	ck_assert_diag(diags, "interrupted", 0, "migration 3 'c'");
	ck_assert_diag(diags, "interrupted", 0, "migration 2 'b'");
	ck_assert_int_eq(done.n, 1);
	ck_assert_int_eq(done.ids[0], 1);
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('b', 'c')"),
			 0);
}
END_TEST

/* The same when the further interruption lands between two replayed
 * steps, while no statement runs: the flag alone stops the replay. */
START_TEST(an_interrupt_between_replayed_steps_stops_the_replay)
{
	three_files();
	free(tu_write(dir, "3.sql",
		      "CREATE TABLE c(x);\n"
		      "INSERT INTO c " HUNDRED_ROWS
		      "SELECT interrupt_now() FROM n;\n"));
	struct done_ids done = {.interrupt_at = 1};
	ck_assert_int_eq(up_interrupting(&done), LADDER_EINTERRUPTED);
	ck_assert_diag(diags, "interrupted", 0, "migration 3 'c'");
	ck_assert_int_eq(done.n, 1);
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('b', 'c')"),
			 0);
}
END_TEST

/* A statement that rolls the whole transaction back by itself: the steps
 * before it are applied again, and it is reported by file and line. */
START_TEST(engine_rollback_in_a_group_keeps_its_finished_steps)
{
	three_files();
	free(tu_write(dir, "3.sql",
		      "CREATE TABLE c(x UNIQUE);\n"
		      "INSERT INTO c VALUES (1);\n"
		      "INSERT OR ROLLBACK INTO c VALUES (1);\n"));
	ladder_manifest *m = load(three);
	struct done_ids done = {0};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.group_ms = 600000;
	o.on_event = done_after_commit;
	o.event_ctx = &done;
	ck_assert_int_eq(up(m, &o), LADDER_EDB);
	ck_assert_diag(diags, "sql", 3, "UNIQUE constraint failed");
	ck_assert_diag(diags, "rolled-back", 0, "migration 3 'c'");
	ck_assert_int_eq(done.n, 2);
	ck_assert_int_eq(
		query("SELECT group_concat(id) = '1,2' FROM "
		      "(SELECT id FROM schema_migrations ORDER BY id)"),
		1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "= 'c'"),
			 0);
	ladder_manifest_free(m);
}
END_TEST

/* The same loss with no signal before it (the engine rolled back): an
 * interruption during the replay still stops it (ldr_db_resume must not
 * forgive what comes after it). */
START_TEST(an_interrupt_stops_the_replay_after_an_engine_rollback)
{
	three_files();
	free(tu_write(dir, "2.sql",
		      "CREATE TABLE b(x);\n"
		      "INSERT INTO b " HUNDRED_ROWS
		      "SELECT interrupt_after(100) FROM n;\n"));
	free(tu_write(dir, "3.sql",
		      "CREATE TABLE c(x UNIQUE);\n"
		      "INSERT INTO c VALUES (1);\n"
		      "INSERT OR ROLLBACK INTO c VALUES (1);\n"));
	struct done_ids done = {0};
	/* The run's status stays the culprit's (replay_lost). */
	ck_assert_int_eq(up_interrupting(&done), LADDER_EDB);
	ck_assert_int_gt(replay_calls, 100); /* step 2 ran again */
	ck_assert_diag(diags, "sql", 3, "UNIQUE constraint failed");
	ck_assert_diag(diags, "interrupted", 0, "migration 2 'b'");
	ck_assert_int_eq(done.n, 1);
	ck_assert_int_eq(done.ids[0], 1);
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE name "
			       "IN ('b', 'c')"),
			 0);
}
END_TEST

/* Acts at a chosen event: another runner's row, or an edit of a file. */
struct meddle {
	ladder_event_kind kind;
	int64_t id; /* the step it acts at (STEP events), 0 for BEGIN */
	void (*act)(void);
	int skipped, done;
};

static void meddle_event(const ladder_event *ev, void *ctx)
{
	struct meddle *md = ctx;
	md->skipped += ev->kind == LADDER_EVENT_SKIPPED;
	md->done += ev->kind == LADDER_EVENT_DONE;
	if (ev->kind == md->kind &&
	    (!md->id || (ev->migration && ev->migration->id == md->id)))
		md->act();
}

static void other_runner_records_2(void)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(dbpath, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_int_eq(sqlite3_exec(h,
				      "CREATE TABLE IF NOT EXISTS "
				      "schema_migrations (id INTEGER PRIMARY "
				      "KEY, name TEXT NOT NULL, applied_at "
				      "TEXT NOT NULL);"
				      "INSERT INTO schema_migrations VALUES "
				      "(2, 'b', '2026-01-01T00:00:00Z');",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);
}

START_TEST(step_recorded_meanwhile_is_skipped)
{
	three_files();
	ladder_manifest *m = load(three);
	struct meddle md = {.kind = LADDER_EVENT_BEGIN,
			    .act = other_runner_records_2};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.on_event = meddle_event;
	o.event_ctx = &md;
	o.allow_out_of_order = 1; /* 2 is then recorded before 1 runs */
	ck_assert_int_eq(up(m, &o), 0);
	ck_assert_int_eq(md.skipped, 1);
	ck_assert_int_eq(md.done, 2);
	/* 2's SQL did not run a second time: its table is not there. */
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE "
			       "name = 'b'"),
			 0);
	ladder_manifest_free(m);
}
END_TEST

static void edit_file_2(void)
{
	free(tu_write(dir, "2.sql", "CREATE TABLE b(x);\nDROP TABLE a;\n"));
}

START_TEST(file_edited_during_the_run_is_not_kept)
{
	three_files();
	ladder_manifest *m = load(three);
	struct meddle md = {
		.kind = LADDER_EVENT_STEP, .id = 2, .act = edit_file_2};
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.on_event = meddle_event;
	o.event_ctx = &md;
	ck_assert_int_eq(up(m, &o), LADDER_EINVALID);
	ck_assert_diag(diags, "changed", 0, "changed while ladder");
	ck_assert_int_eq(query("SELECT group_concat(id) = '1' FROM "
			       "schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE "
			       "name IN ('a', 'b')"),
			 1); /* a stays, b is gone with its step */
	ladder_manifest_free(m);
}
END_TEST

/* A file edited between the manifest's load (checksums only) and the
 * run: found when up checks the files it will run, before any runs. */
START_TEST(file_edited_after_the_load_stops_the_run_first)
{
	three_files();
	free(tu_write(dir, "manifest.yaml", three));
	ladder_manifest *m = NULL;
	ck_assert_int_eq(ladder_manifest_load_flags(
				 &m, mpath, LADDER_LOAD_CHECKSUMS_ONLY, diags),
			 0);
	edit_file_2();
	ck_assert_int_eq(up(m, NULL), LADDER_EINVALID);
	ck_assert_diag(diags, "changed", 0, "changed since ladder read it");
	ck_assert_int_ne(access(dbpath, F_OK), 0); /* nothing ran */
	ladder_manifest_free(m);
}
END_TEST

START_TEST(foreign_keys_are_back_on_after_a_rebuild)
{
	free(tu_write(dir, "1.sql", family));
	rebuild_file("");
	free(tu_write(dir, "3.sql", "INSERT INTO child VALUES (13, 99);\n"));
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: family, file: 1.sql}\n"
				  "  - {id: 2, name: rebuild, file: 2.sql, "
				  "foreign_keys: off}\n"
				  "  - {id: 3, name: orphan, file: 3.sql}\n");
	ck_assert_int_eq(up(m, NULL), LADDER_EDB);
	ck_assert_diag(diags, "sql", 1, "FOREIGN KEY constraint failed");
	ck_assert_int_eq(query("SELECT max(id) FROM schema_migrations"), 2);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(names_are_bound_not_spliced)
{
	free(tu_write(dir, "1.sql", "CREATE TABLE a(x);\n"));
	ladder_manifest *m = load("migrations:\n"
				  "  - id: 1\n"
				  "    name: \"it's '); DROP TABLE a; --\"\n"
				  "    file: 1.sql\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(query("SELECT name = 'it''s ''); DROP TABLE a; --' "
			       "FROM schema_migrations"),
			 1);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_schema WHERE "
			       "name = 'a'"),
			 1);
	ladder_manifest_free(m);
}
END_TEST

START_TEST(failed_plain_revert_stays_visible)
{
	free(tu_write(dir, "1.sql",
		      "CREATE TABLE a(x);\nCREATE TABLE b(x);\n"));
	free(tu_write(dir, "1d.sql", "DROP TABLE a;\nDROP TABLE nowhere;\n"));
	ladder_manifest *m = load("migrations:\n"
				  "  - {id: 1, name: a, file: 1.sql, down: "
				  "1d.sql, transaction: false}\n");
	ck_assert_int_eq(up(m, NULL), 0);
	ck_assert_int_eq(down(m, -1), LADDER_EPARTIAL);
	/* Half reverted, still recorded: shown as failed, not applied. */
	ck_assert_int_eq(state_of(m, 1), LADDER_STATE_FAILED);
	ck_assert_int_eq(up(m, NULL), LADDER_EREFUSED);
	ladder_manifest_free(m);
}
END_TEST

/* ladder_check gives check's verdict: "migrations needed" only when up
 * would apply them, where the plan alone says pending. */
START_TEST(check_refuses_a_pending_step_up_would_refuse)
{
	three_files();
	free(tu_write(dir, "3.sql", "BEGIN;\nCREATE TABLE c(x);\nCOMMIT;\n"));
	free(tu_write(dir, "manifest.yaml", three));
	ladder_manifest *m = NULL;
	ck_assert_int_eq(ladder_manifest_load_flags(
				 &m, mpath, LADDER_LOAD_CHECKSUMS_ONLY, diags),
			 0);
	ladder_up_options o = LADDER_UP_OPTIONS_INIT;
	o.to = 1;
	ck_assert_int_eq(up(m, &o), 0);
	ladder_db *db = open_db(LADDER_OPEN_READONLY);
	ladder_plan *plan = NULL;
	ck_assert_int_eq(ladder_plan_new(&plan, db, m, diags), 0);
	ck_assert_int_eq(ladder_plan_verdict(plan), LADDER_VERDICT_PENDING);
	ladder_plan_free(plan);
	size_t before = ladder_diags_errors(diags);
	plan = (ladder_plan *)1;
	ck_assert_int_eq(ladder_check(&plan, db, m, diags), LADDER_EINVALID);
	ck_assert_ptr_null(plan);
	ck_assert_uint_gt(ladder_diags_errors(diags), before);
	ladder_db_free(db);
	ladder_manifest_free(m);

	/* The same with the file mended: pending, with the plan. */
	free(tu_write(dir, "3.sql", "CREATE TABLE c(x);\n"));
	m = load(three);
	db = open_db(LADDER_OPEN_READONLY);
	ck_assert_int_eq(ladder_check(&plan, db, m, diags), 0);
	ck_assert_int_eq(ladder_plan_verdict(plan), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(ladder_plan_count_state(plan, LADDER_STATE_PENDING),
			  2);
	ladder_plan_free(plan);
	ladder_db_free(db);
	ladder_manifest_free(m);
}
END_TEST

/* ladder.h's NULL rule: getters answer as for an empty object; the
 * database's setter and interrupt do nothing. */
START_TEST(getters_and_setters_accept_null)
{
	ck_assert_uint_eq(ladder_plan_count(NULL), 0);
	ck_assert_ptr_null(ladder_plan_get(NULL, 0));
	ck_assert_uint_eq(ladder_plan_count_state(NULL, LADDER_STATE_PENDING),
			  0);
	ladder_db_set_lock_timeout(NULL, 1000);
	ladder_db_interrupt(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("up");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, applies_all_then_nothing);
	tcase_add_test(tc, failing_third_statement_rolls_back_its_migration);
	tcase_add_test(tc, up_options_version_1_and_group_ms);
	tcase_add_test(tc, refuses_unknown_ids_and_touches_nothing);
	tcase_add_test(tc, refuses_changed_file);
	tcase_add_test(tc, out_of_order_needs_the_flag);
	tcase_add_test(tc, dry_run_touches_nothing);
	tcase_add_test(tc, to_stops_at_the_id);
	tcase_add_test(tc, non_transactional_step_runs_vacuum);
	tcase_add_test(tc, interrupted_before_a_step_applies_nothing);
	tcase_add_test(tc, refuses_an_invalid_manifest);
	tcase_add_test(tc, down_reverts_newest_then_to_id);
	tcase_add_test(tc, down_without_a_down_file_runs_nothing);
	tcase_add_test(tc, baseline_records_without_running);
	tcase_add_test(tc, repair_records_the_current_checksum);
	tcase_add_test(tc, failed_plain_step_stays_visible_until_repaired);
	tcase_add_test(tc, rebuild_with_foreign_keys_off_keeps_children);
	tcase_add_test(tc, rebuild_that_breaks_a_reference_is_rolled_back);
	tcase_add_test(tc, foreign_keys_are_enforced_by_default);
	tcase_add_test(tc, adopted_handle_is_migrated_and_left_open);
	tcase_add_test(tc, interrupt_in_a_group_keeps_its_finished_steps);
	tcase_add_test(tc, a_second_interrupt_stops_the_replay);
	tcase_add_test(tc,
		       an_interrupt_between_replayed_steps_stops_the_replay);
	tcase_add_test(tc, engine_rollback_in_a_group_keeps_its_finished_steps);
	tcase_add_test(tc,
		       an_interrupt_stops_the_replay_after_an_engine_rollback);
	tcase_add_test(tc, step_recorded_meanwhile_is_skipped);
	tcase_add_test(tc, file_edited_during_the_run_is_not_kept);
	tcase_add_test(tc, file_edited_after_the_load_stops_the_run_first);
	tcase_add_test(tc, foreign_keys_are_back_on_after_a_rebuild);
	tcase_add_test(tc, names_are_bound_not_spliced);
	tcase_add_test(tc, failed_plain_revert_stays_visible);
	tcase_add_test(tc, check_refuses_a_pending_step_up_would_refuse);
	tcase_add_test(tc, getters_and_setters_accept_null);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
