/* test_import.c — `ladder import` per tool on synthetic folders, and
 * `ladder adopt` on real SQLite files whose tool tables the tests write the
 * way each tool does. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import.h"
#include "testutil.h"

static char *dir;
static ladder_diags *d;

static void setup(void)
{
	dir = tu_tmpdir();
	ck_assert_int_eq(ladder_diags_new(&d), 0);
}

static void teardown(void)
{
	ladder_diags_free(d);
	tu_rmtree(dir);
	free(dir);
}

static char *sub(const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

static void put(const char *rel, const char *text)
{
	free(tu_write(dir, rel, text));
}

/* Imports dir/mig (split copies, when asked, to dir/split) and returns the
 * YAML; *rc and *unsupported as ladder_import set them. */
static char *import(const char *tool, int split, int *rc, size_t *unsup)
{
	char *folder = sub("mig"), *sp = sub("split"), *yaml = NULL;
	ladder_import_options o = {LADDER_IMPORT_OPTIONS_VERSION,
				   tool,
				   folder,
				   dir,
				   split ? sp : NULL,
				   NULL};
	*rc = ladder_import(&yaml, unsup, &o, d);
	free(folder);
	free(sp);
	return yaml;
}

static char *import_ok(const char *tool, int split, size_t want_unsup)
{
	int rc;
	size_t unsup = 99;
	char *yaml = import(tool, split, &rc, &unsup);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "import %s: %d\n%s", tool, rc, dump);
	ck_assert_msg(unsup == want_unsup, "%zu unsupported, want %zu\n%s",
		      unsup, want_unsup, dump);
	free(dump);
	return yaml;
}

/* The YAML loaded as dir/manifest.yaml; it must be valid (with `flags`,
 * see ladder_manifest_load_flags). */
static ladder_manifest *load_flags(const char *yaml, unsigned flags);

static ladder_manifest *load(const char *yaml)
{
	return load_flags(yaml, 0);
}

static ladder_manifest *load_flags(const char *yaml, unsigned flags)
{
	char *path = sub("manifest.yaml");
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(yaml, f);
	fclose(f);
	ladder_manifest *m = NULL;
	ladder_diags *ld;
	ladder_diags_new(&ld);
	int rc = ladder_manifest_load_flags(&m, path, flags, ld);
	char *dump = tu_dump_diags(ld);
	ck_assert_msg(rc == 0, "manifest invalid: %d\n%s\n%s", rc, dump, yaml);
	free(dump);
	ladder_diags_free(ld);
	free(path);
	return m;
}

static void has(const char *yaml, const char *needle)
{
	ck_assert_msg(strstr(yaml, needle), "no '%s' in:\n%s", needle, yaml);
}

static void lacks(const char *yaml, const char *needle)
{
	ck_assert_msg(!strstr(yaml, needle), "'%s' in:\n%s", needle, yaml);
}

/* ------------------------------------------------------------- import -- */

/* The unmanaged message's hint knows each tool by its own table (not by
 * the names others use too), and the list the drivers put in their SQL
 * holds exactly those. */
START_TEST(tool_tables_for_the_unmanaged_hint)
{
	static const char *const names[] = {
		"diesel", "sqlx",    "goose",  "golang-migrate",
		"dbmate", "drizzle", "flyway", "grocy",
	};
	ldr_buf list = LDR_BUF_INIT;
	ck_assert_int_eq(ldr_import_tool_tables(&list, '\''), 0);
	const char *sql = list.data;
	size_t specific = 0, quotes = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct ldr_import_tool *t =
			ldr_import_tool_find(names[i]);
		ck_assert_ptr_nonnull(t);
		char quoted[64];
		snprintf(quoted, sizeof(quoted), "'%s'", t->table);
		const struct ldr_import_tool *back =
			ldr_import_tool_of_table(t->table);
		if (back) {
			specific++;
			ck_assert_str_eq(back->name, t->name);
			ck_assert_msg(strstr(sql, quoted), "%s not in %s",
				      quoted, sql);
		} else {
			ck_assert_msg(!strstr(sql, quoted), "%s in %s", quoted,
				      sql);
		}
	}
	for (const char *c = sql; *c; c++)
		quotes += *c == '\'';
	ck_assert_uint_eq(specific, 5);
	ck_assert_uint_eq(quotes, 2 * specific);
	ck_assert_ptr_null(ldr_import_tool_of_table("schema_migrations"));
	ck_assert_ptr_null(ldr_import_tool_of_table("users"));
	ck_assert_ptr_null(ldr_import_tool_of_table(NULL));
	ldr_buf_release(&list);
}
END_TEST

START_TEST(diesel_folders_up_down_metadata)
{
	put("mig/2018-01-14-171611_create_tables/up.sql",
	    "CREATE TABLE a(x);\n");
	put("mig/2018-01-14-171611_create_tables/down.sql", "DROP TABLE a;\n");
	put("mig/2019-02-01-000000_no_down/up.sql", "CREATE TABLE b(x);\n");
	put("mig/2020-03-01-000000_vacuum/up.sql", "VACUUM;\n");
	put("mig/2020-03-01-000000_vacuum/metadata.toml",
	    "run_in_transaction = false\n");
	put("mig/2021-01-01-000000_rust/up.rs", "fn up() {}\n");
	put("mig/.keep", "");
	char *yaml = import_ok("diesel", 0, 1);
	has(yaml,
	    "  - id: 20180114171611\n"
	    "    name: \"2018-01-14-171611_create_tables\"\n"
	    "    file: \"mig/2018-01-14-171611_create_tables/up.sql\"\n"
	    "    down: \"mig/2018-01-14-171611_create_tables/down.sql\"\n");
	has(yaml, "  - id: 20190201000000\n");
	has(yaml, "    file: \"mig/2020-03-01-000000_vacuum/up.sql\"\n"
		  "    transaction: false\n");
	lacks(yaml, "rust");
	ck_assert_diag(d, "import-unsupported", 0, "Rust");
	ladder_manifest *m = load(yaml);
	ck_assert_uint_eq(ladder_manifest_count(m), 3);
	ck_assert_ptr_null(ladder_manifest_get(m, 1)->down);
	ladder_manifest_free(m);
	free(yaml);
}
END_TEST

/* diesel orders versions as strings: a short version ("2024-03-13",
 * before its first '_') sorts after longer, numerically bigger ones, so
 * the ids become 1..N in diesel's order. */
START_TEST(diesel_string_order_renumbers)
{
	put("mig/2024-02-14-140000_a/up.sql", "CREATE TABLE a(x);\n");
	put("mig/2024-03-13_170000_b/up.sql", "CREATE TABLE b(x);\n");
	put("mig/2024-03-14-000000_c/up.sql", "CREATE TABLE c(x);\n");
	char *yaml = import_ok("diesel", 0, 0);
	has(yaml, "# ids are 1..N");
	has(yaml, "  - id: 1\n    name: \"2024-02-14-140000_a\"\n");
	has(yaml, "  - id: 2\n    name: \"2024-03-13_170000_b\"\n");
	has(yaml, "  - id: 3\n    name: \"2024-03-14-000000_c\"\n");
	free(yaml);
}
END_TEST

START_TEST(sqlx_simple_reversible_no_transaction)
{
	put("mig/20210422143411_create.sql", "CREATE TABLE a(x);\n");
	put("mig/20220101000000_pair.up.sql", "CREATE TABLE b(x);\n");
	put("mig/20220101000000_pair.down.sql", "DROP TABLE b;\n");
	put("mig/20230101000000_plain.sql",
	    "-- no-transaction\nCREATE INDEX i ON a(x);\n");
	put("mig/README.md", "notes\n");
	char *yaml = import_ok("sqlx", 0, 1);
	has(yaml, "  - id: 20210422143411\n"
		  "    name: \"20210422143411_create\"\n"
		  "    file: \"mig/20210422143411_create.sql\"\n  - ");
	has(yaml, "    name: \"20220101000000_pair\"\n"
		  "    file: \"mig/20220101000000_pair.up.sql\"\n"
		  "    down: \"mig/20220101000000_pair.down.sql\"\n");
	has(yaml, "    file: \"mig/20230101000000_plain.sql\"\n"
		  "    transaction: false\n");
	ck_assert_diag(d, "import-unsupported", 0, "not a migration file");
	ladder_manifest_free(load(yaml));
	free(yaml);
}
END_TEST

static const char *goose_file = "-- +goose Up\n"
				"CREATE TABLE t(x);\n"
				"-- +goose StatementBegin\n"
				"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
				"  UPDATE t SET x = 1; SELECT 2;\n"
				"END;\n"
				"-- +goose StatementEnd\n"
				"\n"
				"-- +goose Down\n"
				"DROP TABLE t;\n";

START_TEST(goose_needs_split)
{
	put("mig/00001_init.sql", goose_file);
	int rc;
	size_t u;
	char *yaml = import("goose", 0, &rc, &u);
	ck_assert_int_eq(rc, LADDER_EINVALID);
	ck_assert_ptr_null(yaml);
	ck_assert_diag(d, "import-needs-split", 0, "--split");
	char *split = sub("split");
	struct stat st;
	ck_assert_int_ne(stat(split, &st), 0); /* nothing written */
	free(split);
}
END_TEST

START_TEST(goose_split_sections_annotations)
{
	put("mig/00001_init.sql", goose_file);
	put("mig/00002_vacuum.sql", "-- +goose NO TRANSACTION\n"
				    "-- +goose Up\nVACUUM;\n"
				    "-- +goose Down\n");
	put("mig/00003_code.go", "package x\n");
	char *yaml = import_ok("goose", 1, 1);
	has(yaml, "  - id: 1\n    name: \"00001_init\"\n"
		  "    file: \"split/00001_init.up.sql\"\n"
		  "    down: \"split/00001_init.down.sql\"\n");
	/* A down section with no statement gives no down file. */
	has(yaml, "    file: \"split/00002_vacuum.up.sql\"\n"
		  "    transaction: false\n");
	ck_assert_diag(d, "import-unsupported", 0, "Go migration");
	char *up = sub("split/00001_init.up.sql");
	char *text = tu_read(up);
	has(text, "CREATE TRIGGER tr");
	lacks(text, "DROP TABLE");
	free(text);
	char *orig = sub("mig/00001_init.sql");
	text = tu_read(orig);
	ck_assert_str_eq(text, goose_file); /* untouched */
	free(text);
	ladder_manifest *m = load(yaml);
	ck_assert_uint_eq(ladder_manifest_count(m), 2);
	ladder_manifest_free(m);
	free(yaml);
	/* Again: the same copies are there, accepted. */
	yaml = import_ok("goose", 1, 1);
	free(yaml);
	/* A different file in the way is never overwritten. */
	FILE *f = fopen(up, "w");
	fputs("-- mine\n", f);
	fclose(f);
	int rc;
	size_t u;
	yaml = import("goose", 1, &rc, &u);
	ck_assert_int_ne(rc, 0);
	ck_assert_diag(d, "import-exists", 0, "not overwritten");
	text = tu_read(up);
	ck_assert_str_eq(text, "-- mine\n");
	free(text);
	free(yaml);
	free(up);
	free(orig);
}
END_TEST

START_TEST(golang_migrate_pairs_own_table)
{
	put("mig/1_init.up.sql", "CREATE TABLE a(x);\n");
	put("mig/1_init.down.sql", "DROP TABLE a;\n");
	put("mig/2_more.up.sql", "CREATE TABLE b(x);\n");
	put("mig/3_orphan.down.sql", "DROP TABLE c;\n");
	char *yaml = import_ok("golang-migrate", 0, 1);
	has(yaml, "table: ladder_migrations\n");
	has(yaml, "  - id: 1\n    name: \"1_init\"\n"
		  "    file: \"mig/1_init.up.sql\"\n"
		  "    down: \"mig/1_init.down.sql\"\n"
		  "  - id: 2\n");
	ck_assert_diag(d, "import-unsupported", 0, "no up file");
	ladder_manifest_free(load(yaml));
	free(yaml);
}
END_TEST

START_TEST(dbmate_markers_transaction_false)
{
	put("mig/20200101000000_a.sql", "-- migrate:up\nCREATE TABLE a(x);\n\n"
					"-- migrate:down\nDROP TABLE a;\n");
	put("mig/20200202000000_b.sql", "-- migrate:up transaction:false\n"
					"VACUUM;\n-- migrate:down\n");
	char *yaml = import_ok("dbmate", 1, 0);
	has(yaml, "table: ladder_migrations\n");
	has(yaml, "    file: \"split/20200101000000_a.up.sql\"\n"
		  "    down: \"split/20200101000000_a.down.sql\"\n");
	has(yaml, "    file: \"split/20200202000000_b.up.sql\"\n"
		  "    transaction: false\n");
	char *p = sub("split/20200101000000_a.down.sql");
	char *text = tu_read(p);
	has(text, "DROP TABLE a;");
	lacks(text, "CREATE");
	free(text);
	free(p);
	ladder_manifest_free(load(yaml));
	free(yaml);
}
END_TEST

START_TEST(drizzle_journal_order_breakpoints_pragma)
{
	put("mig/meta/_journal.json",
	    "{\"version\": \"5\", \"dialect\": \"sqlite\", \"entries\": [\n"
	    " {\"idx\": 0, \"when\": 1, \"tag\": \"0000_zeta\"},\n"
	    " {\"idx\": 1, \"when\": 2, \"tag\": \"0001_alpha\"},\n"
	    " {\"idx\": 2, \"when\": 3, \"tag\": \"0002_rebuild\"}]}\n");
	put("mig/0001_alpha.sql", "CREATE TABLE b(x);\n");
	put("mig/0000_zeta.sql", "CREATE TABLE a(x);--> statement-breakpoint\n"
				 "CREATE INDEX ai ON a(x);\n");
	put("mig/0002_rebuild.sql",
	    "PRAGMA foreign_keys=OFF;--> statement-breakpoint\n"
	    "CREATE TABLE c(x);--> statement-breakpoint\n"
	    "PRAGMA foreign_keys=ON;\n");
	put("mig/0003_stray.sql", "CREATE TABLE z(x);\n");
	char *yaml = import_ok("drizzle-kit", 0, 0);
	has(yaml, "  - id: 1\n    name: \"0000_zeta\"\n"
		  "    file: \"mig/0000_zeta.sql\"\n"
		  "  - id: 2\n    name: \"0001_alpha\"\n");
	has(yaml, "    file: \"mig/0002_rebuild.sql\"\n"
		  "    foreign_keys: off\n");
	lacks(yaml, "stray");
	ck_assert_diag(d, "import-not-in-journal", 0, "0003_stray");
	/* The PRAGMA lines themselves under `foreign_keys: off` are issue
	 * 15's to accept; the checksum load checks all the rest. */
	ladder_manifest *m = load_flags(yaml, LADDER_LOAD_CHECKSUMS_ONLY);
	ck_assert_uint_eq(ladder_manifest_count(m), 3);
	ck_assert_int_eq(ladder_manifest_get(m, 2)->foreign_keys_off, 1);
	ladder_manifest_free(m);
	free(yaml);
}
END_TEST

START_TEST(flyway_versions_undo_repeatables)
{
	put("mig/V1__init.sql", "CREATE TABLE a(x);\n");
	put("mig/V1.1__more.sql", "CREATE TABLE b(x);\n");
	put("mig/U1.1__more.sql", "DROP TABLE b;\n");
	put("mig/V2__tmpl.sql", "CREATE TABLE ${name}(x);\n");
	put("mig/R__views.sql", "CREATE VIEW v AS SELECT 1;\n");
	char *yaml = import_ok("flyway", 0, 2);
	/* 1.1 is no ladder id: ids become 1..N in Flyway's order. */
	has(yaml, "# ids are 1..N");
	has(yaml, "  - id: 1\n    name: \"V1__init\"\n");
	has(yaml, "  - id: 2\n    name: \"V1.1__more\"\n"
		  "    file: \"mig/V1.1__more.sql\"\n"
		  "    down: \"mig/U1.1__more.sql\"\n");
	ck_assert_diag(d, "import-unsupported", 0, "repeatable");
	ck_assert_diag(d, "import-unsupported", 0, "templating");
	free(yaml);
}
END_TEST

START_TEST(numbered_files_php_unsupported)
{
	put("mig/0001.sql", "CREATE TABLE a(x);\n");
	put("mig/0002.sql", "CREATE TABLE b(x);\n");
	put("mig/0003.php", "<?php\n");
	char *yaml = import_ok("grocy", 0, 1);
	has(yaml,
	    "  - id: 1\n    name: \"0001\"\n    file: \"mig/0001.sql\"\n");
	ck_assert_diag(d, "import-unsupported", 0, "PHP");
	ladder_manifest_free(load(yaml));
	free(yaml);
}
END_TEST

START_TEST(folder_outside_manifest_refused)
{
	put("a/mig/0001.sql", "CREATE TABLE a(x);\n");
	char *folder = sub("a/mig"), *mdir = sub("b"), *yaml = NULL;
	mkdir(mdir, 0755);
	ladder_import_options o = {LADDER_IMPORT_OPTIONS_VERSION,
				   "grocy",
				   folder,
				   mdir,
				   NULL,
				   NULL};
	ck_assert_int_eq(ladder_import(&yaml, NULL, &o, d), LADDER_EUSAGE);
	ck_assert_ptr_null(yaml);
	ck_assert_diag(d, "import-outside", 0, "not inside");
	o.tool = "liquibase";
	ck_assert_int_eq(ladder_import(&yaml, NULL, &o, d), LADDER_EUSAGE);
	free(folder);
	free(mdir);
}
END_TEST

/* A version 1 struct has no `engine`: it is never read, SQLite's rules
 * apply and no engine line is written; a version 2 struct's unknown
 * engine is a usage error. */
START_TEST(engine_only_from_version_2)
{
	put("mig/0001.sql", "CREATE TABLE a(x);\n");
	char *folder = sub("mig"), *yaml = NULL;
	ladder_import_options o = {1, "grocy", folder, dir, NULL, "bogus"};
	ck_assert_int_eq(ladder_import(&yaml, NULL, &o, d), 0);
	ck_assert_ptr_null(strstr(yaml, "engine:"));
	ladder_free(yaml);
	yaml = NULL;
	o.version = LADDER_IMPORT_OPTIONS_VERSION;
	ck_assert_int_eq(ladder_import(&yaml, NULL, &o, d), LADDER_EUSAGE);
	ck_assert_ptr_null(yaml);
	ck_assert_diag(d, "engine", 0, "unknown engine 'bogus'");
	free(folder);
}
END_TEST

/* -------------------------------------------------------------- adopt -- */

static void sql(const char *db, const char *text)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(h, text, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", text, err ? err : "");
	sqlite3_close(h);
}

static long long count(const char *db, const char *query)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, query, -1, &st, NULL),
			 SQLITE_OK);
	long long n = sqlite3_step(st) == SQLITE_ROW
			      ? sqlite3_column_int64(st, 0)
			      : -1;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

struct adopted {
	ladder_manifest *m;
	ladder_db *db;
	char *path;
};

/* Imports dir/mig with `tool`, opens dir/app.db, runs adopt. */
static int adopt(const char *tool, int dry, int drop, struct adopted *a,
		 ladder_adoption **res)
{
	char *yaml = import_ok(tool, 0, 0);
	a->m = load(yaml);
	free(yaml);
	a->path = sub("app.db");
	ck_assert_int_eq(ladder_db_open(&a->db, a->path,
					ladder_manifest_table(a->m),
					LADDER_OPEN_WRITE, d),
			 0);
	ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION, tool, dry,
				  drop};
	return ladder_adopt(res, a->db, a->m, &o, d);
}

static void done(struct adopted *a)
{
	ladder_db_free(a->db);
	ladder_manifest_free(a->m);
	free(a->path);
}

static ladder_verdict verdict(struct adopted *a, size_t *pending)
{
	ladder_plan *p = NULL;
	ck_assert_int_eq(ladder_plan_new(&p, a->db, a->m, d), 0);
	ladder_verdict v = ladder_plan_verdict(p);
	*pending = ladder_plan_count_state(p, LADDER_STATE_PENDING);
	ladder_plan_free(p);
	return v;
}

static void diesel_db(void)
{
	put("mig/2018-01-01-000000_a/up.sql", "CREATE TABLE a(x);\n");
	put("mig/2018-01-01-000000_a/down.sql", "DROP TABLE a;\n");
	put("mig/2018-02-01-000000_b/up.sql", "CREATE TABLE b(x);\n");
	put("mig/2018-03-01-000000_c/up.sql", "CREATE TABLE c(x);\n");
	char *db = sub("app.db");
	sql(db, "CREATE TABLE a(x); CREATE TABLE b(x);"
		"CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) "
		"PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT "
		"CURRENT_TIMESTAMP);"
		"INSERT INTO __diesel_schema_migrations VALUES "
		"('20180101000000', '2019-05-06 07:08:09'),"
		"('20180201000000', '2019-05-07 07:08:09');");
	free(db);
}

START_TEST(adopt_diesel_rows_checksums_times)
{
	diesel_db();
	struct adopted a;
	ladder_adoption *res = NULL;
	int rc = adopt("diesel", 0, 0, &a, &res);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "adopt: %d\n%s", rc, dump);
	free(dump);
	ck_assert_uint_eq(ladder_adoption_count(res), 2);
	const ladder_adopted *r = ladder_adoption_get(res, 1);
	ck_assert_int_eq(r->id, 20180201000000);
	ck_assert_str_eq(r->tool_version, "20180201000000");
	ck_assert_str_eq(r->checksum, ladder_manifest_get(a.m, 1)->checksum);
	ladder_adoption_free(res);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM schema_migrations "
				       "WHERE checksum IS NOT NULL AND "
				       "ladder_version LIKE '%adopted from "
				       "diesel'"),
			 2);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM schema_migrations "
				       "WHERE id = 20180101000000 AND "
				       "applied_at = '2019-05-06T07:08:09Z'"),
			 1);
	/* The tool's table stays. */
	ck_assert_int_eq(
		count(a.path,
		      "SELECT count(*) FROM __diesel_schema_migrations"),
		2);
	size_t pending;
	ck_assert_int_eq(verdict(&a, &pending), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(pending, 1);
	/* A second adopt finds ladder's rows and refuses. */
	ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION, "diesel", 0, 0};
	ck_assert_int_eq(ladder_adopt(NULL, a.db, a.m, &o, d), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "already records 2");
	done(&a);
}
END_TEST

START_TEST(adopt_dry_run_writes_nothing)
{
	diesel_db();
	struct adopted a;
	ladder_adoption *res = NULL;
	ck_assert_int_eq(adopt("diesel", 1, 0, &a, &res), 0);
	ck_assert_uint_eq(ladder_adoption_count(res), 2);
	ladder_adoption_free(res);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM sqlite_master "
				       "WHERE name = 'schema_migrations'"),
			 0);
	done(&a);
}
END_TEST

START_TEST(adopt_drop_tool_table)
{
	diesel_db();
	struct adopted a;
	ck_assert_int_eq(adopt("diesel", 0, 1, &a, NULL), 0);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM sqlite_master "
				       "WHERE name = "
				       "'__diesel_schema_migrations'"),
			 0);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM "
				       "schema_migrations"),
			 2);
	done(&a);
}
END_TEST

START_TEST(adopt_refuses_version_manifest_lacks)
{
	diesel_db();
	char *db = sub("app.db");
	sql(db, "INSERT INTO __diesel_schema_migrations (version) VALUES "
		"('20990101000000')");
	free(db);
	struct adopted a;
	ck_assert_int_eq(adopt("diesel", 0, 0, &a, NULL), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "20990101000000");
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM sqlite_master "
				       "WHERE name = 'schema_migrations'"),
			 0);
	done(&a);
}
END_TEST

START_TEST(adopt_refuses_missing_tool_table)
{
	put("mig/0001.sql", "CREATE TABLE a(x);\n");
	struct adopted a;
	ck_assert_int_eq(adopt("grocy", 0, 0, &a, NULL), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "no 'migrations' table");
	done(&a);
}
END_TEST

static void sqlx_db(int success)
{
	put("mig/1_a.sql", "CREATE TABLE a(x);\n");
	put("mig/2_b.sql", "CREATE TABLE b(x);\n");
	char *db = sub("app.db");
	char text[600];
	snprintf(text, sizeof(text),
		 "CREATE TABLE a(x);"
		 "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, "
		 "description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL "
		 "DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, "
		 "checksum BLOB NOT NULL, execution_time BIGINT NOT NULL);"
		 "INSERT INTO _sqlx_migrations (version, description, success, "
		 "checksum, execution_time) VALUES (1, 'a', %s, x'00', 1);",
		 success ? "TRUE" : "FALSE");
	sql(db, text);
	free(db);
}

START_TEST(adopt_sqlx)
{
	sqlx_db(1);
	struct adopted a;
	ck_assert_int_eq(adopt("sqlx", 0, 0, &a, NULL), 0);
	size_t pending;
	ck_assert_int_eq(verdict(&a, &pending), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(pending, 1);
	done(&a);
}
END_TEST

START_TEST(adopt_refuses_sqlx_failed)
{
	sqlx_db(0);
	struct adopted a;
	ck_assert_int_eq(adopt("sqlx", 0, 0, &a, NULL), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "success = false");
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM sqlite_master "
				       "WHERE name = 'schema_migrations'"),
			 0);
	done(&a);
}
END_TEST

static void golang_db(int version, int dirty)
{
	put("mig/1_a.up.sql", "CREATE TABLE a(x);\n");
	put("mig/2_b.up.sql", "CREATE TABLE b(x);\n");
	put("mig/3_c.up.sql", "CREATE TABLE c(x);\n");
	char *db = sub("app.db");
	char text[300];
	snprintf(text, sizeof(text),
		 "CREATE TABLE a(x); CREATE TABLE b(x);"
		 "CREATE TABLE schema_migrations (version uint64, dirty bool);"
		 "CREATE UNIQUE INDEX version_unique ON schema_migrations "
		 "(version);"
		 "INSERT INTO schema_migrations VALUES (%d, %d);",
		 version, dirty);
	sql(db, text);
	free(db);
}

START_TEST(adopt_golang_migrate_current_version)
{
	golang_db(2, 0);
	struct adopted a;
	ck_assert_int_eq(adopt("golang-migrate", 0, 0, &a, NULL), 0);
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM "
				       "ladder_migrations WHERE id <= 2"),
			 2);
	size_t pending;
	ck_assert_int_eq(verdict(&a, &pending), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(pending, 1);
	done(&a);
}
END_TEST

START_TEST(adopt_refuses_golang_migrate_dirty)
{
	golang_db(2, 1);
	struct adopted a;
	ck_assert_int_eq(adopt("golang-migrate", 0, 0, &a, NULL),
			 LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "dirty at version 2");
	ck_assert_int_eq(count(a.path, "SELECT count(*) FROM sqlite_master "
				       "WHERE name = 'ladder_migrations'"),
			 0);
	done(&a);
}
END_TEST

START_TEST(adopt_refuses_table_clash)
{
	golang_db(2, 0);
	char *yaml = import_ok("golang-migrate", 0, 0);
	char *p = strstr(yaml, "table: ladder_migrations\n");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "#", 1); /* the manifest back to ladder's default table */
	ladder_manifest *m = load(yaml);
	free(yaml);
	char *path = sub("app.db");
	ladder_db *db;
	ck_assert_int_eq(ladder_db_open(&db, path, ladder_manifest_table(m),
					LADDER_OPEN_WRITE, d),
			 0);
	ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION,
				  "golang-migrate", 0, 0};
	ck_assert_int_eq(ladder_adopt(NULL, db, m, &o, d), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "golang-migrate's own");
	ladder_db_free(db);
	ladder_manifest_free(m);
	free(path);
}
END_TEST

START_TEST(adopt_goose_latest_row_wins)
{
	put("mig/00001_a.sql", "-- +goose Up\nCREATE TABLE a(x);\n");
	put("mig/00002_b.sql", "-- +goose Up\nCREATE TABLE b(x);\n"
			       "-- +goose Down\nDROP TABLE b;\n");
	char *db = sub("app.db");
	sql(db, "CREATE TABLE a(x);"
		"CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY "
		"AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied "
		"INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')));"
		"INSERT INTO goose_db_version (version_id, is_applied) VALUES "
		"(0, 1), (1, 1), (2, 1), (2, 0);");
	free(db);
	char *yaml = NULL, *folder = sub("mig"), *sp = sub("split");
	ladder_import_options io = {
		LADDER_IMPORT_OPTIONS_VERSION, "goose", folder, dir, sp, NULL};
	ck_assert_int_eq(ladder_import(&yaml, NULL, &io, d), 0);
	struct adopted a;
	a.m = load(yaml);
	a.path = sub("app.db");
	ck_assert_int_eq(ladder_db_open(&a.db, a.path, "schema_migrations",
					LADDER_OPEN_WRITE, d),
			 0);
	ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION, "goose", 0, 0};
	ck_assert_int_eq(ladder_adopt(NULL, a.db, a.m, &o, d), 0);
	ck_assert_int_eq(count(a.path, "SELECT group_concat(id) FROM "
				       "schema_migrations"),
			 1);
	size_t pending;
	ck_assert_int_eq(verdict(&a, &pending), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(pending, 1);
	done(&a);
	free(yaml);
	free(folder);
	free(sp);
}
END_TEST

START_TEST(adopt_drizzle_by_hash)
{
	put("mig/meta/_journal.json",
	    "{\"entries\": [{\"idx\": 0, \"tag\": \"0000_a\"},"
	    "{\"idx\": 1, \"tag\": \"0001_b\"}]}");
	put("mig/0000_a.sql", "CREATE TABLE a(x);\n");
	put("mig/0001_b.sql", "CREATE TABLE b(x);\n");
	/* SHA-256 of "CREATE TABLE a(x);\n", as drizzle records it. */
	char *db = sub("app.db");
	sql(db, "CREATE TABLE a(x);"
		"CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, "
		"hash text NOT NULL, created_at numeric);"
		"INSERT INTO __drizzle_migrations (hash, created_at) VALUES "
		"('2b3e0e9f0f3f9b33c4a8ba4e9f5bd2b8a1f1e0f0a2e1d6d0c0c0f2d8e0a7"
		"c1b2', 1);");
	free(db);
	struct adopted a;
	/* An unknown hash is refused... */
	ck_assert_int_eq(adopt("drizzle-kit", 0, 0, &a, NULL), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "SHA-256");
	/* ...the file's own is found. */
	char hex[65];
	{
		const ladder_migration *mig = ladder_manifest_get(a.m, 0);
		/* ladder's checksum is SHA-256 of the bytes when they have
		 * no CR and no BOM, as here. */
		memcpy(hex, mig->checksum, 65);
	}
	char text[200];
	snprintf(text, sizeof(text),
		 "UPDATE __drizzle_migrations SET hash = '%s'", hex);
	sql(a.path, text);
	ladder_adopt_options o = {LADDER_ADOPT_OPTIONS_VERSION, "drizzle", 0,
				  0};
	ck_assert_int_eq(ladder_adopt(NULL, a.db, a.m, &o, d), 0);
	ck_assert_int_eq(count(a.path, "SELECT id FROM schema_migrations"), 1);
	done(&a);
}
END_TEST

/* Flyway: dotted versions found by the entry's name, an undone version
 * and a repeatable's row passed over, a failed row refused. */
START_TEST(adopt_flyway_history)
{
	put("mig/V1__a.sql", "CREATE TABLE a(x);\n");
	put("mig/V1.1__b.sql", "CREATE TABLE b(x);\n");
	put("mig/V2__c.sql", "CREATE TABLE c(x);\n");
	char *db = sub("app.db");
	sql(db,
	    "CREATE TABLE a(x); CREATE TABLE b(x);"
	    "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY "
	    "KEY, version VARCHAR(50), description VARCHAR(200), type "
	    "VARCHAR(20), script VARCHAR(1000), checksum INT, installed_by "
	    "VARCHAR(100), installed_on TEXT DEFAULT CURRENT_TIMESTAMP, "
	    "execution_time INT, success BOOLEAN);"
	    "INSERT INTO flyway_schema_history (installed_rank, version, "
	    "type, success) VALUES (1, '1', 'SQL', 1), (2, '1.1', 'SQL', 1),"
	    "(3, NULL, 'SQL', 1), (4, '2', 'SQL', 1), (5, '2', 'UNDO_SQL', "
	    "1);");
	struct adopted a;
	ladder_adoption *res = NULL;
	int rc = adopt("flyway", 0, 0, &a, &res);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "adopt: %d\n%s", rc, dump);
	free(dump);
	ck_assert_uint_eq(ladder_adoption_count(res), 2);
	ck_assert_str_eq(ladder_adoption_get(res, 1)->name, "V1.1__b");
	ladder_adoption_free(res);
	done(&a);
	tu_rmtree(db);
	sql(db, "CREATE TABLE flyway_schema_history (installed_rank INT, "
		"version TEXT, type TEXT, installed_on TEXT, success BOOLEAN);"
		"INSERT INTO flyway_schema_history VALUES (1, '1', 'SQL', "
		"NULL, 0);");
	ck_assert_int_eq(adopt("flyway", 0, 0, &a, NULL), LADDER_EREFUSED);
	ck_assert_diag(d, "adopt-refused", 0, "as failed");
	done(&a);
	free(db);
}
END_TEST

/* `flyway baseline` on a database that already had the first versions
 * writes one BASELINE row: every version up to it counts as applied (in
 * Flyway's order, where 1.10 comes after 1.9), the rows after it as they
 * say. */
START_TEST(adopt_flyway_baseline)
{
	put("mig/V1__a.sql", "CREATE TABLE a(x);\n");
	put("mig/V1.9__b.sql", "CREATE TABLE b(x);\n");
	put("mig/V1.10__c.sql", "CREATE TABLE c(x);\n");
	put("mig/V2__d.sql", "CREATE TABLE d(x);\n");
	put("mig/V3__e.sql", "CREATE TABLE e(x);\n");
	char *db = sub("app.db");
	sql(db,
	    "CREATE TABLE a(x); CREATE TABLE b(x); CREATE TABLE c(x);"
	    "CREATE TABLE d(x);"
	    "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY "
	    "KEY, version VARCHAR(50), description VARCHAR(200), type "
	    "VARCHAR(20), script VARCHAR(1000), checksum INT, installed_by "
	    "VARCHAR(100), installed_on TEXT DEFAULT CURRENT_TIMESTAMP, "
	    "execution_time INT, success BOOLEAN);"
	    "INSERT INTO flyway_schema_history (installed_rank, version, "
	    "description, type, success) VALUES "
	    "(1, '1.9', '<< Flyway Baseline >>', 'BASELINE', 1),"
	    "(2, '1.10', 'c', 'SQL', 1), (3, '2', 'd', 'SQL', 1);");
	struct adopted a;
	ladder_adoption *res = NULL;
	int rc = adopt("flyway", 0, 0, &a, &res);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "adopt: %d\n%s", rc, dump);
	free(dump);
	ck_assert_uint_eq(ladder_adoption_count(res), 4);
	ck_assert_str_eq(ladder_adoption_get(res, 0)->name, "V1__a");
	ck_assert_str_eq(ladder_adoption_get(res, 1)->name, "V1.9__b");
	ck_assert_str_eq(ladder_adoption_get(res, 2)->name, "V1.10__c");
	ck_assert_str_eq(ladder_adoption_get(res, 3)->name, "V2__d");
	size_t pending = 0;
	ck_assert_int_eq(verdict(&a, &pending), LADDER_VERDICT_PENDING);
	ck_assert_uint_eq(pending, 1); /* V3 */
	ladder_adoption_free(res);
	done(&a);
	free(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tool_tables_for_the_unmanaged_hint);
	tcase_add_test(tc, adopt_flyway_baseline);
	tcase_add_test(tc, diesel_folders_up_down_metadata);
	tcase_add_test(tc, diesel_string_order_renumbers);
	tcase_add_test(tc, sqlx_simple_reversible_no_transaction);
	tcase_add_test(tc, goose_needs_split);
	tcase_add_test(tc, goose_split_sections_annotations);
	tcase_add_test(tc, golang_migrate_pairs_own_table);
	tcase_add_test(tc, dbmate_markers_transaction_false);
	tcase_add_test(tc, drizzle_journal_order_breakpoints_pragma);
	tcase_add_test(tc, flyway_versions_undo_repeatables);
	tcase_add_test(tc, numbered_files_php_unsupported);
	tcase_add_test(tc, folder_outside_manifest_refused);
	tcase_add_test(tc, engine_only_from_version_2);
	suite_add_tcase(s, tc);
	TCase *ta = tcase_create("adopt");
	tcase_add_checked_fixture(ta, setup, teardown);
	tcase_add_test(ta, adopt_diesel_rows_checksums_times);
	tcase_add_test(ta, adopt_dry_run_writes_nothing);
	tcase_add_test(ta, adopt_drop_tool_table);
	tcase_add_test(ta, adopt_refuses_version_manifest_lacks);
	tcase_add_test(ta, adopt_refuses_missing_tool_table);
	tcase_add_test(ta, adopt_sqlx);
	tcase_add_test(ta, adopt_refuses_sqlx_failed);
	tcase_add_test(ta, adopt_golang_migrate_current_version);
	tcase_add_test(ta, adopt_refuses_golang_migrate_dirty);
	tcase_add_test(ta, adopt_refuses_table_clash);
	tcase_add_test(ta, adopt_goose_latest_row_wins);
	tcase_add_test(ta, adopt_drizzle_by_hash);
	tcase_add_test(ta, adopt_flyway_history);
	suite_add_tcase(s, ta);
	return tu_run(s);
}
