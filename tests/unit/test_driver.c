/* test_driver.c — the SQLite driver on real database files: opening,
 * the bookkeeping table (create, adopt, refuse), transactions, the runner
 * lock. */
#include <regex.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "driver_sqlite.h"
#include "ldrx.h"
#include "testutil.h"

static char *dir;
static ladder_diags *diags;

static void setup(void)
{
	dir = tu_tmpdir();
	ck_assert_int_eq(ladder_diags_new(&diags), 0);
}

static void teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(diags);
}

static char *db_path(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* Runs SQL on the file with a plain SQLite connection, as another tool
 * would. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "");
	sqlite3_close(h);
}

/* One integer from a query, through a plain connection. */
static int raw_count(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK,
		      "%s: %s", sql, sqlite3_errmsg(h));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static ladder_db *open_db(const char *path, int mode)
{
	ladder_db *db = NULL;
	int rc = ladder_db_open(&db, path, "schema_migrations", mode, diags);
	char *dump = tu_dump_diags(diags);
	ck_assert_msg(rc == 0, "open %s: %d\n%s", path, rc, dump);
	free(dump);
	return db;
}

START_TEST(readonly_missing_file_is_empty_and_not_created)
{
	char *path = db_path("absent.db");
	ladder_db *db = open_db(path, LADDER_OPEN_READONLY);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 0);
	ck_assert_int_eq(rows.table_exists, 0);
	ladder_db_free(db);
	ck_assert_int_ne(access(path, F_OK), 0);
	free(path);
}
END_TEST

START_TEST(record_and_read_back)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	const char *sum = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			  "aaaaaaaaaaaa";
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn, "CREATE TABLE t(x);", 17,
				       "f.sql", 1, 1, diags),
			 0);
	ldr_record rec = {.id = 7, .name = "first", .checksum = sum};
	ck_assert_int_eq(db->drv->record(db->conn, &rec, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);

	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 1);
	ck_assert_int_eq(rows.items[0].id, 7);
	ck_assert_str_eq(rows.items[0].name, "first");
	ck_assert_str_eq(rows.items[0].checksum, sum);
	ck_assert_str_eq(rows.items[0].checksum_algorithm,
			 LDR_CHECKSUM_ALGORITHM);
	regex_t re;
	ck_assert_int_eq(regcomp(&re,
				 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
				 ":[0-9]{2}Z$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	ck_assert_msg(regexec(&re, rows.items[0].applied_at, 0, NULL, 0) == 0,
		      "applied_at '%s' is not RFC 3339 UTC in whole seconds",
		      rows.items[0].applied_at);
	regfree(&re);
	ldr_rows_release(&rows);

	int rec_ok = 0;
	int64_t max_id = 0;
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(
		db->drv->recorded(db->conn, 7, &rec_ok, &max_id, diags), 0);
	ck_assert_int_eq(rec_ok, 1);
	ck_assert_int_eq(max_id, 7);
	ck_assert_int_eq(
		db->drv->recorded(db->conn, 3, &rec_ok, &max_id, diags), 0);
	ck_assert_int_eq(rec_ok, 0);
	db->drv->rollback(db->conn);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(rollback_discards_statements_and_row)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn, "CREATE TABLE t(x);", 17,
				       "f.sql", 1, 1, diags),
			 0);
	ldr_record rec = {.id = 1, .name = "x", .checksum = "c"};
	ck_assert_int_eq(db->drv->record(db->conn, &rec, diags), 0);
	db->drv->rollback(db->conn);
	ladder_db_free(db);

	/* Neither the table nor the bookkeeping table survived. */
	ck_assert_int_eq(raw_count(path, "SELECT count(*) FROM sqlite_schema"),
			 0);
	free(path);
}
END_TEST

/* PRAGMA synchronous of ladder's own connection. */
static int synchronous_of(ladder_db *db)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db->conn->db, "PRAGMA synchronous",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int level = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return level;
}

/* ladder commits at synchronous=EXTRA (3), which syncs the directory
 * after a DELETE-mode journal's unlink (t730 shows the power cut it
 * survives), and sets it again before each transaction, so a
 * `transaction: false` step that lowered it does not weaken the next
 * commit. */
START_TEST(commits_at_synchronous_extra_even_after_a_step_lowers_it)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(synchronous_of(db), 3);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn, "PRAGMA synchronous = OFF;",
				       25, "f.sql", 1, 1, diags),
			 0);
	ck_assert_int_eq(synchronous_of(db), 0);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(synchronous_of(db), 3);
	db->drv->rollback(db->conn);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(failing_statement_names_file_and_line)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	const char *sql = "INSERT INTO missing VALUES (1);";
	ck_assert_int_eq(db->drv->exec(db->conn, sql, strlen(sql),
				       "sql/0003_x.sql", 12, 1, diags),
			 LADDER_EDB);
	const ladder_diag *d = tu_find_diag(diags, "sql", 12, "no such table");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->file, "sql/0003_x.sql");
	db->drv->rollback(db->conn);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(adopts_three_column_table)
{
	char *path = db_path("legacy.db");
	raw_sql(path, "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, "
		      "name TEXT NOT NULL, applied_at TEXT NOT NULL);"
		      "INSERT INTO schema_migrations VALUES "
		      "(1, 'baseline', '2020-01-01T00:00:00Z');");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 1);
	ck_assert_ptr_null(rows.items[0].checksum);
	ldr_rows_release(&rows);

	/* A write adds the missing nullable columns, keeping the row. */
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ldr_record rec = {.id = 2, .name = "next", .checksum = "c2"};
	ck_assert_int_eq(db->drv->record(db->conn, &rec, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 2);
	ck_assert_str_eq(rows.items[0].name, "baseline");
	ck_assert_str_eq(rows.items[1].checksum, "c2");
	ldr_rows_release(&rows);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(refuses_foreign_table_and_leaves_it)
{
	char *path = db_path("migrate.db");
	raw_sql(path, "CREATE TABLE schema_migrations (version BIGINT PRIMARY "
		      "KEY, dirty BOOLEAN NOT NULL);"
		      "INSERT INTO schema_migrations VALUES (3, 0);");
	char *copy = db_path("copy.db");
	tu_copy(path, copy);
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags),
			 LADDER_EFOREIGN);
	ck_assert_diag(diags, "foreign-table", 0, "version, dirty");
	ck_assert_int_eq(db->drv->begin(db->conn, diags), LADDER_EFOREIGN);
	ladder_db_free(db);
	ck_assert_msg(tu_same_file(path, copy),
		      "the foreign table was changed");
	free(copy);
	free(path);
}
END_TEST

START_TEST(not_a_database)
{
	char *path = tu_write(dir, "notes.db",
			      "this is not SQLite, just text "
			      "long enough to have a header "
			      "of one hundred bytes or so, "
			      "which SQLite reads first....");
	ladder_db *db = open_db(path, LADDER_OPEN_READONLY);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags),
			 LADDER_EDB);
	ck_assert_diag(diags, "not-a-database", 0, "is not a SQLite database");
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(schemes)
{
	ladder_db *db = NULL;
	ck_assert_int_eq(ladder_db_open(&db, "mysql://h/db", NULL,
					LADDER_OPEN_READONLY, diags),
			 LADDER_EUNSUPPORTED);
	ck_assert_ptr_null(db);
	ck_assert_diag(diags, "unsupported-database", 0, "mysql://h/db");
	ck_assert_int_eq(
		ladder_db_open(&db, "", NULL, LADDER_OPEN_READONLY, diags),
		LADDER_EUSAGE);

	char *path = db_path("s.db"), target[4200];
	snprintf(target, sizeof(target), "sqlite:%s", path);
	db = open_db(target, LADDER_OPEN_WRITE);
	/* A write open makes no file; the first write does. */
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	ladder_db_free(db);
	ck_assert_int_eq(access(path, F_OK), 0);
	free(path);
}
END_TEST

START_TEST(runner_lock_excludes_a_second_runner)
{
	char *path = db_path("app.db");
	ladder_db *a = open_db(path, LADDER_OPEN_WRITE);
	ladder_db *b = open_db(path, LADDER_OPEN_WRITE);
	volatile sig_atomic_t stop = 0;
	ladder_db_set_lock_timeout(b, 50);
	ck_assert_int_eq(a->drv->lock(a->conn, &stop, diags), 0);
	ck_assert_int_eq(b->drv->lock(b->conn, &stop, diags), LADDER_EDB);
	ck_assert_diag(diags, "lock-timeout", 0, "another ladder");
	ladder_db_free(a);
	ck_assert_int_eq(b->drv->lock(b->conn, &stop, diags), 0);
	ladder_db_free(b);
	free(path);
}
END_TEST

START_TEST(transaction_control_denied_inside_a_step)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	/* Whatever ladder's splitter thinks, SQLite's parser decides. */
	ck_assert_int_eq(
		db->drv->exec(db->conn, "COMMIT;", 7, "f.sql", 3, 1, diags),
		LADDER_EDB);
	ck_assert_diag(diags, "tx-control", 3, "transactional migration");
	ck_assert_int_eq(db->drv->exec(db->conn, "SAVEPOINT s;", 12, "f.sql", 4,
				       1, diags),
			 0);
	ck_assert_int_eq(db->drv->exec(db->conn, "ROLLBACK TO s;", 14, "f.sql",
				       5, 1, diags),
			 0);
	db->drv->rollback(db->conn);
	/* Outside a step's transaction (transaction: false) it is allowed. */
	ck_assert_int_eq(
		db->drv->exec(db->conn, "BEGIN;", 6, "f.sql", 1, 1, diags), 0);
	ck_assert_int_eq(
		db->drv->exec(db->conn, "COMMIT;", 7, "f.sql", 2, 1, diags), 0);
	ladder_db_free(db);
	free(path);
}
END_TEST

/* Runs one migration statement on line `line`; returns its status. */
static int mig_exec(ladder_db *db, const char *sql, unsigned line)
{
	return db->drv->exec(db->conn, sql, strlen(sql), "f.sql", line, 0,
			     diags);
}

START_TEST(journal_mode_off_or_memory_denied)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	/* Outside a transaction (transaction: false), where it would take. */
	static const char *const denied[] = {
		"PRAGMA journal_mode = OFF;",
		"PRAGMA main.journal_mode=memory;",
		"PRAGMA journal_mode('off');",
	};
	for (unsigned i = 0; i < sizeof(denied) / sizeof(*denied); i++) {
		ck_assert_int_eq(mig_exec(db, denied[i], i + 1), LADDER_EDB);
		ck_assert_diag(diags, "journal-mode", i + 1,
			       "could not be rolled back");
	}
	ck_assert_int_eq(mig_exec(db, "PRAGMA journal_mode = DELETE;", 9), 0);
	ck_assert_int_eq(mig_exec(db, "PRAGMA journal_mode;", 10), 0);
	ladder_db_free(db);
	sqlite3 *h;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_int_eq(
		sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL),
		SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "delete");
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(path);
}
END_TEST

START_TEST(bookkeeping_writes_denied)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ldr_record rec = {.id = 1, .name = "x", .checksum = "c"};
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->record(db->conn, &rec, diags), 0);
	ck_assert_int_eq(db->drv->attempt(db->conn, &rec, NULL, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	static const char *const denied[] = {
		"DELETE FROM schema_migrations;",
		"UPDATE main.schema_migrations SET name = 'y';",
		"INSERT INTO Schema_Migrations (id, name, applied_at) "
		"VALUES (9, 'n', 'a');",
		"DELETE FROM schema_migrations_attempts;",
		"CREATE TRIGGER tr AFTER INSERT ON schema_migrations "
		"BEGIN SELECT 1; END;",
		"CREATE TEMP TRIGGER tt AFTER INSERT ON main.schema_migrations "
		"BEGIN SELECT 1; END;",
		"CREATE UNIQUE INDEX ix ON schema_migrations (name);",
		"DROP TABLE schema_migrations;",
		"DROP TABLE IF EXISTS schema_migrations_attempts;",
		"ALTER TABLE schema_migrations RENAME TO gone;",
		"ALTER TABLE schema_migrations ADD COLUMN z;",
		/* through a trigger on another table */
		"INSERT INTO other VALUES (1);",
	};
	ck_assert_int_eq(mig_exec(db, "CREATE TABLE other (x);", 100), 0);
	ck_assert_int_eq(mig_exec(db,
				  "CREATE TRIGGER wipe AFTER INSERT ON other "
				  "BEGIN DELETE FROM schema_migrations; END;",
				  101),
			 0);
	for (int tx = 0; tx < 2; tx++) {
		/* in a step's transaction, and outside one */
		if (tx)
			ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
		for (unsigned i = 0; i < sizeof(denied) / sizeof(*denied);
		     i++) {
			ladder_diags_free(diags);
			ck_assert_int_eq(ladder_diags_new(&diags), 0);
			ck_assert_msg(mig_exec(db, denied[i], i + 1) ==
					      LADDER_EDB,
				      "not denied: %s", denied[i]);
			ck_assert_diag(diags, "bookkeeping-write", i + 1,
				       "ladder's own bookkeeping");
		}
		if (tx)
			db->drv->rollback(db->conn);
	}
	/* Reading is fine, and so is a TEMP table of the same name. */
	static const char *const allowed[] = {
		"SELECT count(*) FROM schema_migrations;",
		"CREATE TEMP TABLE schema_migrations (id, name, applied_at);",
		"INSERT INTO temp.schema_migrations VALUES (5, 'n', 'a');",
		"DROP TABLE temp.schema_migrations;",
	};
	for (unsigned i = 0; i < sizeof(allowed) / sizeof(*allowed); i++) {
		char *dump = NULL;
		int rc = mig_exec(db, allowed[i], i + 1);
		if (rc)
			dump = tu_dump_diags(diags);
		ck_assert_msg(rc == 0, "%s: %s", allowed[i], dump);
	}
	ladder_db_free(db);
	ck_assert_int_eq(
		raw_count(path, "SELECT count(*) FROM schema_migrations"), 1);
	ck_assert_int_eq(
		raw_count(path,
			  "SELECT count(*) FROM schema_migrations_attempts"),
		1);
	free(path);
}
END_TEST

START_TEST(text_sqlite_splits_differently_is_not_run)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	/* SQLite reads $a(') as one parameter, so the quote opens nothing
	 * and the text holds three statements. */
	const char *sql = "SELECT $a(');\nCOMMIT;\nSELECT $b(');";
	ck_assert_int_eq(
		db->drv->exec(db->conn, sql, strlen(sql), "f.sql", 2, 1, diags),
		LADDER_EINVALID);
	ck_assert_diag(diags, "sql", 2, "more than one statement");
	/* Still inside the transaction: the COMMIT never ran. */
	ck_assert_int_eq(db->drv->exec(db->conn, "CREATE TABLE t(x);", 18,
				       "f.sql", 9, 1, diags),
			 0);
	db->drv->rollback(db->conn);
	ladder_db_free(db);
	ck_assert_int_eq(raw_count(path, "SELECT count(*) FROM sqlite_schema "
					 "WHERE name = 't'"),
			 0);
	free(path);
}
END_TEST

START_TEST(wal_read_only_view_falls_back_when_written_meanwhile)
{
	char *path = db_path("wal.db");
	raw_sql(path, "PRAGMA journal_mode = WAL;"
		      "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, "
		      "name TEXT NOT NULL, applied_at TEXT NOT NULL);"
		      "INSERT INTO schema_migrations VALUES "
		      "(1, 'one', '2026-01-01T00:00:00Z');");
	ladder_db *db = open_db(path, LADDER_OPEN_READONLY);
	/* Another process writes and, closing last, checkpoints into the
	 * file ladder holds as an immutable view. */
	sleep(1); /* so the file's mtime surely moves */
	raw_sql(path, "INSERT INTO schema_migrations VALUES "
		      "(2, 'two', '2026-01-02T00:00:00Z');");
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 2);
	/* The view was dropped and the file read the ordinary way, which
	 * is what makes SQLite's side files (the immutable view never does):
	 * proof the change was noticed. */
	char shm[4200];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	ck_assert_msg(access(shm, F_OK) == 0,
		      "the change under the immutable view went unnoticed");
	ldr_rows_release(&rows);
	ladder_db_free(db);
	free(path);
}
END_TEST

/* Another program (a plain SQLite connection, not a ladder) holds the
 * write lock on `path` until released. */
static sqlite3 *hold_write_lock(const char *path)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	return h;
}

static volatile sig_atomic_t *watched;

static void on_alarm(int sig)
{
	(void)sig;
	*watched = 1; /* what ladder_db_interrupt's caller's flag does */
}

/* Sets `*flag` from a signal handler after `ms`. */
static void stop_after(volatile sig_atomic_t *flag, long ms)
{
	watched = flag;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_value = {.tv_sec = ms / 1000,
					    .tv_usec = (ms % 1000) * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

START_TEST(busy_wait_stopped_is_interrupted_not_timeout)
{
	char *path = db_path("app.db");
	raw_sql(path, "CREATE TABLE t(x);");
	sqlite3 *holder = hold_write_lock(path);
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ladder_db_set_lock_timeout(db, 60000);
	stop_after(&db->interrupted, 100);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), LADDER_EINTERRUPTED);
	ck_assert_diag(diags, "interrupted", 0, "waiting for the lock");
	ck_assert_ptr_null(tu_find_diag(diags, "lock-timeout", 0, NULL));
	ck_assert_ptr_null(tu_find_diag(diags, NULL, 0, "60000"));
	sqlite3_close(holder);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(busy_statement_stopped_is_interrupted)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	/* A `transaction: false` step's statement waits for another
	 * program's lock; the flag ends that wait as an interruption. */
	sqlite3 *holder = hold_write_lock(path);
	ladder_db_set_lock_timeout(db, 60000);
	stop_after(&db->interrupted, 100);
	ck_assert_int_eq(db->drv->exec(db->conn, "CREATE TABLE z(x);", 18,
				       "2.sql", 4, 1, diags),
			 LADDER_EINTERRUPTED);
	ck_assert_ptr_null(tu_find_diag(diags, "sql", 0, NULL));
	sqlite3_close(holder);
	ladder_db_free(db);
	free(path);
}
END_TEST

/* ldr_db_resume, for the replay of a group the engine rolled back whole:
 * the interruptions so far stop nothing more, the engine's own flag
 * included (driver.h, interrupt()); a further one does. */
START_TEST(resume_forgives_past_interrupts_only)
{
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert_int_eq(ldr_db_resume(db), 0);
	ladder_db_interrupt(db);
	ladder_db_interrupt(db);
	ck_assert_int_eq(ldr_db_resume(db), 1);
	ck_assert_int_eq(db->interrupted, 0);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn, "CREATE TABLE z(x);", 18,
				       "2.sql", 1, 1, diags),
			 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	ck_assert_int_eq(raw_count(path, "SELECT count(*) FROM z"), 0);
	ladder_db_interrupt(db);
	ck_assert_int_eq(db->interrupted, 1);
	/* the count starts again from 1, never overflows */
	db->interrupts = SIG_ATOMIC_MAX;
	ladder_db_interrupt(db);
	ck_assert_int_eq(db->interrupts, 1);
	ck_assert_int_eq(ldr_db_resume(db), 1);
	ck_assert_int_eq(db->interrupted, 0);
	ladder_db_free(db);
	free(path);
}
END_TEST

static ladder_db *shrinking;

static void on_alarm_shrink(int sig)
{
	(void)sig;
	ladder_db_set_lock_timeout(shrinking, 20);
}

START_TEST(busy_timeout_reports_the_time_waited)
{
	char *path = db_path("app.db");
	raw_sql(path, "CREATE TABLE t(x);");
	sqlite3 *holder = hold_write_lock(path);
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	/* The timeout is cut to 20 ms after 200 ms of waiting, so the wait
	 * ends at once: the message must give the ~200 ms waited, not the
	 * 20 (or 60000) ms configured. */
	ladder_db_set_lock_timeout(db, 60000);
	shrinking = db;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm_shrink;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_value = {.tv_usec = 200000}};
	setitimer(ITIMER_REAL, &it, NULL);
	int64_t t0 = ldrx_now_us();
	ck_assert_int_eq(db->drv->begin(db->conn, diags), LADDER_EDB);
	long took = (long)((ldrx_now_us() - t0) / 1000);
	const ladder_diag *d = tu_find_diag(diags, "lock-timeout", 0, NULL);
	ck_assert_ptr_nonnull(d);
	const char *at = strstr(d->message, "locked for ");
	ck_assert_ptr_nonnull(at);
	long said = strtol(at + 11, NULL, 10);
	/* Most of the 200 ms before the cut, never more than the call. */
	ck_assert_msg(said >= 150 && said <= took, "said %ld ms, took %ld ms",
		      said, took);
	sqlite3_close(holder);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(unreadable_attempt_note_is_an_error)
{
	char *path = db_path("app.db");
	/* A note whose reading fails: its virtual column, rewritten after
	 * the row was stored, takes abs() of the smallest integer, which
	 * overflows when the row is read. */
	raw_sql(path,
		"CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, "
		"name TEXT NOT NULL, applied_at TEXT NOT NULL);"
		"CREATE TABLE schema_migrations_attempts (id INTEGER "
		"PRIMARY KEY, name TEXT NOT NULL, started_at TEXT NOT NULL, "
		"n INTEGER, reason TEXT GENERATED ALWAYS AS (n));"
		"INSERT INTO schema_migrations_attempts (id, name, started_at, "
		"n) VALUES (1, 'one', '2026-01-01T00:00:00Z', "
		"-9223372036854775808);"
		"PRAGMA writable_schema = ON;"
		"UPDATE sqlite_schema SET sql = replace(sql, 'AS (n)', "
		"'AS (abs(n))') WHERE name = 'schema_migrations_attempts';");
	ladder_db *db = open_db(path, LADDER_OPEN_READONLY);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags),
			 LADDER_EDB);
	ck_assert_diag(diags, "database", 0, "attempts");
	ldr_rows_release(&rows);
	ladder_db_free(db);
	free(path);
}
END_TEST

/* Overwrites page `page` (1-based, 4096 bytes) of `path` with garbage. */
static void smash_page(const char *path, int page)
{
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)(page - 1) * 4096, SEEK_SET), 0);
	for (int i = 0; i < 4096; i++)
		fputc(0xA5 ^ (i * 7), f);
	fclose(f);
}

START_TEST(corrupt_table_is_corrupt)
{
	char *path = db_path("app.db");
	raw_sql(path, "PRAGMA page_size = 4096;"
		      "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, "
		      "name TEXT NOT NULL, applied_at TEXT NOT NULL);"
		      "INSERT INTO schema_migrations VALUES "
		      "(1, 'one', '2026-01-01T00:00:00Z');");
	ck_assert_int_eq(raw_count(path, "SELECT rootpage FROM sqlite_schema "
					 "WHERE name = 'schema_migrations'"),
			 2);
	smash_page(path, 2);
	ladder_db *db = open_db(path, LADDER_OPEN_READONLY);
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags),
			 LADDER_EDB);
	ck_assert_diag(diags, "corrupt", 0, "is corrupt");
	ldr_rows_release(&rows);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(applied_at_is_utc_whatever_tz)
{
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	char *path = db_path("app.db");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	char before[32], after[32];
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	strftime(before, sizeof(before), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&t.tv_sec));
	ldr_record rec = {.id = 1, .name = "one", .checksum = "x"};
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->record(db->conn, &rec, diags), 0);
	ck_assert_int_eq(db->drv->attempt(db->conn, &rec, NULL, diags), 0);
	ck_assert_int_eq(db->drv->commit(db->conn, diags), 0);
	clock_gettime(CLOCK_REALTIME, &t);
	strftime(after, sizeof(after), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t.tv_sec));
	ldr_rows rows = {0};
	ck_assert_int_eq(db->drv->read_applied(db->conn, &rows, diags), 0);
	ck_assert_uint_eq(rows.count, 1);
	ck_assert_uint_eq(rows.nfailed, 1);
	const char *got[] = {rows.items[0].applied_at,
			     rows.failed[0].started_at};
	for (int i = 0; i < 2; i++)
		ck_assert_msg(strcmp(got[i], before) >= 0 &&
				      strcmp(got[i], after) <= 0,
			      "'%s' is not between '%s' and '%s' (UTC)", got[i],
			      before, after);
	ldr_rows_release(&rows);
	ladder_db_free(db);
	unsetenv("TZ");
	free(path);
}
END_TEST

START_TEST(verify_copy_refuses_a_corrupted_copy)
{
	char *path = db_path("copy.db");
	raw_sql(path, "PRAGMA page_size = 4096;"
		      "CREATE TABLE t(x TEXT);"
		      "CREATE INDEX t_x ON t(x);"
		      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
		      "FROM n WHERE i < 2000) "
		      "INSERT INTO t SELECT printf('row %05d', i) FROM n;");
	ck_assert_int_eq(ldr_sqlite_verify_copy(path, diags), 0);
	ck_assert_uint_eq(ladder_diags_count(diags), 0);
	/* A page of the index in the middle of the file, smashed: the file
	 * still opens and reads as SQLite, but is not a sound copy. */
	int root = raw_count(path, "SELECT rootpage FROM sqlite_schema "
				   "WHERE name = 't_x'");
	smash_page(path, root);
	ck_assert_int_eq(ldr_sqlite_verify_copy(path, diags), LADDER_EDB);
	ck_assert_diag(diags, "backup", 0, "fails integrity_check");
	free(path);
}
END_TEST

START_TEST(backup_default_path_is_beside_and_verified)
{
	char *path = db_path("app.db");
	raw_sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ck_assert(db->drv->caps & LDR_CAP_BACKUP);
	char *written = NULL, hex[LDR_CHECKSUM_HEX];
	ck_assert_int_eq(db->drv->backup(db->conn, NULL, &written, hex, diags),
			 0);
	ck_assert_ptr_nonnull(written);
	ck_assert_msg(!strncmp(written, path, strlen(path)) &&
			      !strncmp(written + strlen(path), ".backup-", 8),
		      "'%s' is not beside '%s'", written, path);
	ck_assert_int_eq(raw_count(written, "SELECT x FROM t"), 1);
	/* Never over a file: the same path again is refused. */
	char *again = NULL;
	ck_assert_int_eq(db->drv->backup(db->conn, written, &again, hex, diags),
			 LADDER_EREFUSED);
	ck_assert_ptr_null(again);
	free(written);
	ladder_db_free(db);
	free(path);
}
END_TEST

START_TEST(step_hooks_check_foreign_keys_without_rowid)
{
	char *path = db_path("app.db");
	raw_sql(path, "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
		      "CREATE TABLE child(k TEXT PRIMARY KEY, p INTEGER "
		      "REFERENCES parent(id)) WITHOUT ROWID;");
	ladder_db *db = open_db(path, LADDER_OPEN_WRITE);
	ladder_migration plain = {.id = 1, .name = "plain"};
	ladder_migration rebuild = {
		.id = 2, .name = "rebuild", .foreign_keys_off = 1};
	/* A step that does not ask for it: the hooks do nothing, and
	 * foreign keys are enforced. */
	ck_assert_int_eq(db->drv->step_prepare(db->conn, &plain, diags), 0);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn,
				       "INSERT INTO child VALUES ('a', 9);", 34,
				       "1.sql", 1, 1, diags),
			 LADDER_EDB);
	db->drv->rollback(db->conn);
	ck_assert_int_eq(db->drv->step_restore(db->conn, &plain, diags), 0);
	/* A rebuild: off, so the insert goes in, and caught before commit. */
	ck_assert_int_eq(db->drv->step_prepare(db->conn, &rebuild, diags), 0);
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn,
				       "INSERT INTO child VALUES ('a', 9);", 34,
				       "2.sql", 1, 1, diags),
			 0);
	ck_assert_int_eq(
		db->drv->step_verify(db->conn, &rebuild, "2.sql", diags),
		LADDER_EREFUSED);
	ck_assert_diag(diags, "foreign-key", 0, "WITHOUT ROWID");
	ck_assert_ptr_null(tu_find_diag(diags, "foreign-key", 0, "rowid 0"));
	db->drv->rollback(db->conn);
	ck_assert_int_eq(db->drv->step_restore(db->conn, &rebuild, diags), 0);
	/* Restored: enforced again. */
	ck_assert_int_eq(db->drv->begin(db->conn, diags), 0);
	ck_assert_int_eq(db->drv->exec(db->conn,
				       "INSERT INTO child VALUES ('b', 9);", 34,
				       "3.sql", 1, 1, diags),
			 LADDER_EDB);
	db->drv->rollback(db->conn);
	ladder_db_free(db);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("driver");
	TCase *tc = tcase_create("sqlite");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, readonly_missing_file_is_empty_and_not_created);
	tcase_add_test(tc, record_and_read_back);
	tcase_add_test(tc, rollback_discards_statements_and_row);
	tcase_add_test(
		tc, commits_at_synchronous_extra_even_after_a_step_lowers_it);
	tcase_add_test(tc, failing_statement_names_file_and_line);
	tcase_add_test(tc, adopts_three_column_table);
	tcase_add_test(tc, refuses_foreign_table_and_leaves_it);
	tcase_add_test(tc, not_a_database);
	tcase_add_test(tc, schemes);
	tcase_add_test(tc, runner_lock_excludes_a_second_runner);
	tcase_add_test(tc, transaction_control_denied_inside_a_step);
	tcase_add_test(tc, journal_mode_off_or_memory_denied);
	tcase_add_test(tc, bookkeeping_writes_denied);
	tcase_add_test(tc, text_sqlite_splits_differently_is_not_run);
	tcase_add_test(tc,
		       wal_read_only_view_falls_back_when_written_meanwhile);
	tcase_add_test(tc, busy_wait_stopped_is_interrupted_not_timeout);
	tcase_add_test(tc, busy_timeout_reports_the_time_waited);
	tcase_add_test(tc, busy_statement_stopped_is_interrupted);
	tcase_add_test(tc, resume_forgives_past_interrupts_only);
	tcase_add_test(tc, unreadable_attempt_note_is_an_error);
	tcase_add_test(tc, corrupt_table_is_corrupt);
	tcase_add_test(tc, applied_at_is_utc_whatever_tz);
	tcase_add_test(tc, verify_copy_refuses_a_corrupted_copy);
	tcase_add_test(tc, backup_default_path_is_beside_and_verified);
	tcase_add_test(tc, step_hooks_check_foreign_keys_without_rowid);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
