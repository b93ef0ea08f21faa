/*
 * test_manifest.c — the manifest rules of SPEC.md, one fixture per rule
 * under tests/fixtures/manifest/, plus trees built at run time for what a
 * repository should not hold (symlinks, unreadable files, FIFOs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "ladder.h"
#include "testutil.h"

/* One expected diagnostic. `sql` = it names a migration file, not the
 * manifest; `unread` = the YAML could not be read, so no manifest is
 * returned. */
struct row {
	const char *fixture;
	const char *code;
	unsigned line;
	unsigned column;
	const char *needle;
	int sql;
	int unread;
};

static const struct row rows[] = {
	/* the stream and the document */
	{"bad_empty.yaml", "yaml", 1, 1,
	 "manifest is empty; expected a mapping with 'migrations'", 0, 0},
	{"bad_empty_document.yaml", "yaml", 1, 1, "manifest is empty", 0, 0},
	{"bad_syntax.yaml", "yaml", 4, 21,
	 "mapping values are not allowed in this context", 0, 1},
	{"bad_utf8.yaml", "yaml", 3, 15, "invalid trailing UTF-8 octet", 0, 1},
	{"bad_second_document.yaml", "yaml", 2, 1,
	 "a second document is not allowed", 0, 0},
	{"bad_top_sequence.yaml", "type", 1, 1,
	 "the manifest must be a mapping with 'migrations', not a sequence", 0,
	 0},
	{"bad_top_scalar.yaml", "type", 1, 1,
	 "the manifest must be a mapping with 'migrations', not a scalar", 0,
	 0},
	{"bad_missing_migrations.yaml", "missing-key", 2, 1,
	 "the manifest is missing 'migrations'", 0, 0},
	{"bad_migrations_scalar.yaml", "type", 1, 13,
	 "'migrations' must be a sequence (write [] for none), not a scalar", 0,
	 0},
	{"bad_migrations_null.yaml", "type", 1, 12,
	 "'migrations' must be a sequence (write [] for none), not null", 0, 0},
	{"bad_entry_scalar.yaml", "type", 5, 5,
	 "a migration must be a mapping, not a scalar", 0, 0},
	/* keys */
	{"bad_unknown_key.yaml", "unknown-key", 4, 5,
	 "unknown key 'fiel'; did you mean 'file'?", 0, 0},
	{"bad_long_key_near_miss.yaml", "unknown-key", 6, 5,
	 "unknown key 'statement_timeoutt'; did you mean 'statement_timeout'?",
	 0, 0},
	{"bad_unknown_key.yaml", "missing-key", 2, 5,
	 "migration at line 2 is missing 'file'", 0, 0},
	{"bad_unknown_key_case.yaml", "unknown-key", 3, 5,
	 "unknown key 'Name'; did you mean 'name'?", 0, 0},
	{"bad_unknown_key_nohint.yaml", "unknown-key", 5, 5,
	 "unknown key 'colour'; a migration takes id, name, file, "
	 "transaction, down, foreign_keys, lock_timeout, "
	 "statement_timeout, retries and lint",
	 0, 0},
	{"bad_unknown_top_key.yaml", "unknown-key", 1, 1,
	 "unknown key 'tabel'; did you mean 'table'?", 0, 0},
	{"bad_duplicate_key.yaml", "duplicate-key", 5, 5,
	 "duplicate key 'name' (first at line 3)", 0, 0},
	{"bad_duplicate_top_key.yaml", "duplicate-key", 3, 1,
	 "duplicate key 'table' (first at line 1)", 0, 0},
	{"bad_complex_key.yaml", "type", 5, 7,
	 "a key must be a string, not a sequence", 0, 0},
	{"bad_missing_keys.yaml", "missing-key", 2, 5,
	 "migration at line 2 is missing 'name'", 0, 0},
	{"bad_missing_keys.yaml", "missing-key", 2, 5,
	 "migration at line 2 is missing 'file'", 0, 0},
	{"bad_missing_keys.yaml", "missing-key", 3, 5,
	 "migration at line 3 is missing 'id'", 0, 0},
	/* tags, anchors, aliases */
	{"bad_tag.yaml", "tag", 3, 11,
	 "tag 'tag:yaml.org,2002:str' is not allowed", 0, 0},
	{"bad_tag.yaml", "tag", 5, 5,
	 "tag 'tag:yaml.org,2002:map' is not allowed", 0, 0},
	{"bad_anchor.yaml", "anchor", 3, 11, "anchor '&n' is not allowed", 0,
	 0},
	{"bad_alias.yaml", "alias", 6, 11, "alias '*n' is not allowed", 0, 0},
	{"bad_billion_laughs.yaml", "alias", 10, 13,
	 "alias '*i' is not allowed", 0, 0},
	{"bad_billion_laughs.yaml", "anchor", 9, 4,
	 "anchor '&i' is not allowed", 0, 0},
	/* id */
	{"bad_id_quoted.yaml", "id", 2, 9, "id must be an unquoted integer", 0,
	 0},
	{"bad_id_single_quoted.yaml", "id", 2, 9,
	 "id must be an unquoted integer", 0, 0},
	{"bad_id_empty.yaml", "id", 2, 8,
	 "id is empty; expected an integer from 1 to 9223372036854775807", 0,
	 0},
	{"bad_id_null.yaml", "id", 2, 9, "id is null", 0, 0},
	{"bad_id_zero.yaml", "id", 2, 9, "id must be at least 1", 0, 0},
	{"bad_id_zeros.yaml", "id", 2, 9, "id must be at least 1, not 000", 0,
	 0},
	{"bad_id_negative.yaml", "id", 2, 9, "id -3 is negative", 0, 0},
	{"bad_id_plus.yaml", "id", 2, 9, "id '+1' has a sign", 0, 0},
	{"bad_id_fraction.yaml", "id", 2, 9, "id '1.5' is not a whole number",
	 0, 0},
	{"bad_id_exponent.yaml", "id", 2, 9, "id '1e3' has an exponent", 0, 0},
	{"bad_id_hex.yaml", "id", 2, 9, "id '0x10' is hexadecimal", 0, 0},
	{"bad_id_overflow.yaml", "id", 2, 9,
	 "id 9223372036854775808 is larger than 9223372036854775807", 0, 0},
	{"bad_id_huge.yaml", "id", 2, 9,
	 "id 123456789012345678901234567890 is larger than "
	 "9223372036854775807",
	 0, 0},
	{"bad_id_word.yaml", "id", 2, 9, "id 'three' is not a decimal integer",
	 0, 0},
	{"bad_id_underscore.yaml", "id", 2, 9,
	 "id '1_000' is not a decimal integer", 0, 0},
	{"bad_id_sequence.yaml", "type", 2, 9,
	 "'id' must be an integer, not a sequence", 0, 0},
	{"bad_id_mapping.yaml", "type", 2, 9,
	 "'id' must be an integer, not a mapping", 0, 0},
	{"bad_duplicate_id.yaml", "id-duplicate", 11, 9,
	 "duplicate id 3 (first at line 5)", 0, 0},
	{"bad_id_order.yaml", "id-order", 8, 9,
	 "id 2 is not greater than the previous id 5 (line 5)", 0, 0},
	/* name and the other strings */
	{"bad_name.yaml", "name", 3, 11, "'name' must not be empty", 0, 0},
	{"bad_name.yaml", "name", 6, 11, "'name' must be a single line", 0, 0},
	{"bad_name.yaml", "name", 9, 11, "'name' must be a single line", 0, 0},
	{"bad_name.yaml", "name", 13, 11, "'name' holds a NUL character", 0, 0},
	{"bad_string_type.yaml", "type", 3, 11,
	 "'name' must be a string, not null; quote it (\"~\")", 0, 0},
	{"bad_string_type.yaml", "type", 6, 11,
	 "'name' must be a string, not a boolean; quote it (\"TRUE\")", 0, 0},
	{"bad_string_type.yaml", "type", 9, 11,
	 "'name' must be a string, not a sequence", 0, 0},
	{"bad_string_type.yaml", "type", 12, 10,
	 "'name' must be a string, not null (no value is given)", 0, 0},
	{"bad_string_type.yaml", "type", 15, 11,
	 "'name' must be a string, not null; quote it (\"Null\")", 0, 0},
	{"bad_string_type.yaml", "type", 16, 11,
	 "'file' must be a string, not a mapping", 0, 0},
	{"bad_string_type.yaml", "type", 20, 11,
	 "'down' must be a string, not a boolean", 0, 0},
	{"bad_table.yaml", "table", 1, 8,
	 "table name 'my-table' is not a plain SQL identifier", 0, 0},
	{"bad_table_reserved.yaml", "table", 1, 8,
	 "table name 'SQLite_migrations' is reserved by SQLite", 0, 0},
	{"bad_database.yaml", "type", 1, 11,
	 "'database' must be a string, not null", 0, 0},
	/* transaction, foreign_keys */
	{"bad_transaction.yaml", "type", 5, 18,
	 "'transaction' must be true or false; YAML 1.1's 'yes' is not "
	 "accepted",
	 0, 0},
	{"bad_transaction.yaml", "type", 9, 18,
	 "'transaction' must be true or false; YAML 1.1's 'no' is not "
	 "accepted",
	 0, 0},
	{"bad_transaction.yaml", "type", 13, 18,
	 "'transaction' must be true or false; YAML 1.1's 'off' is not "
	 "accepted",
	 0, 0},
	{"bad_transaction.yaml", "type", 17, 18,
	 "'transaction' must be true or false, in lower case, not 'True'", 0,
	 0},
	{"bad_transaction.yaml", "type", 21, 18,
	 "'transaction' must be true or false, unquoted", 0, 0},
	{"bad_transaction.yaml", "type", 25, 18,
	 "'transaction' must be true or false, not '0'", 0, 0},
	{"bad_transaction.yaml", "type", 29, 18,
	 "'transaction' must be true or false, not a sequence", 0, 0},
	{"bad_transaction.yaml", "type", 33, 18,
	 "'transaction' must be true or false; YAML 1.1's 'n' is not accepted",
	 0, 0},
	{"bad_foreign_keys.yaml", "type", 5, 19,
	 "'foreign_keys' must be on or off; YAML 1.1's 'false'", 0, 0},
	{"bad_foreign_keys.yaml", "type", 9, 19,
	 "'foreign_keys' must be on or off, in lower case, not 'OFF'", 0, 0},
	/* file and down */
	{"bad_path_absolute.yaml", "path", 4, 11,
	 "absolute path '/etc/passwd' is refused; paths are relative to the "
	 "manifest's directory",
	 0, 0},
	{"bad_path_absolute.yaml", "path", 8, 11,
	 "absolute path '/tmp/x.sql' is refused", 0, 0},
	{"bad_path_dotdot.yaml", "path", 4, 11,
	 "'../nope.sql' resolves outside the manifest's directory", 0, 0},
	{"bad_path_dotdot.yaml", "path", 7, 11,
	 "'sql/../../../unit/testutil.c' resolves outside the manifest's "
	 "directory",
	 0, 0},
	{"bad_path_empty.yaml", "path", 4, 11, "'file' must not be empty", 0,
	 0},
	{"bad_missing_sql.yaml", "file", 7, 11,
	 "sql/0003_missing.sql': No such file or directory", 0, 0},
	{"bad_directory.yaml", "file", 4, 11,
	 "/sql' is not a regular file (it is a directory)", 0, 0},
	/* what the SQL scanner finds in the listed files */
	{"bad_sql_tx_control.yaml", "tx-control", 1, 1,
	 "transaction control 'BEGIN'", 1, 0},
	{"bad_sql_tx_control.yaml", "tx-control", 1, 1,
	 "/sql/tx_control.down.sql", 1, 0},
};

#define NROWS (sizeof(rows) / sizeof(*rows))

/* Loads fixtures/manifest/`name` into *m and returns its status. */
static int load_fixture(const char *name, ladder_manifest **m, ladder_diags *d,
			char **path)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "manifest/%s", name);
	*path = tu_fixture(rel);
	return ladder_manifest_load(m, *path, d);
}

/* The first diagnostic with the row's code whose message or file holds its
 * needle; unlike tu_find_diag, line 0 means line 0 — except for a row about
 * a SQL file, whose line is the scanner's business. */
static const ladder_diag *find_row(const ladder_diags *d, const struct row *r)
{
	const char *code = r->code, *needle = r->needle;
	for (size_t i = 0; i < ladder_diags_count(d); i++) {
		const ladder_diag *g = ladder_diags_get(d, i);
		if (strcmp(g->code, code) ||
		    (g->line != r->line && !(r->sql && !r->line)))
			continue;
		if (strstr(g->message, needle) ||
		    (g->file && strstr(g->file, needle)))
			return g;
	}
	return NULL;
}

/* An empty or comment-only file is a warning, not an error (issue 15):
 * the manifest loads, and the step will change nothing. */
START_TEST(test_sql_empty_warns)
{
	ladder_diags *d;
	ladder_manifest *m = NULL;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	int rc = load_fixture("bad_sql_empty.yaml", &m, d, &path);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == 0, "status %d\n%s", rc, dump);
	ck_assert_uint_eq(ladder_diags_errors(d), 0);
	const ladder_diag *g = NULL;
	for (size_t i = 0; i < ladder_diags_count(d) && !g; i++)
		if (!strcmp(ladder_diags_get(d, i)->code, "sql-empty"))
			g = ladder_diags_get(d, i);
	ck_assert_msg(g != NULL, "no sql-empty warning:\n%s", dump);
	ck_assert_int_eq(g->severity, LADDER_SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(g->message, "holds no SQL statement"));
	free(dump);
	free(path);
	ladder_manifest_free(m);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_rule)
{
	const struct row *r = &rows[_i];
	ladder_diags *d;
	ladder_manifest *m = NULL;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	int rc = load_fixture(r->fixture, &m, d, &path);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == LADDER_EINVALID, "%s: status %d\n%s", r->fixture,
		      rc, dump);
	if (r->line && !r->sql)
		ck_assert_diag(d, r->code, r->line, r->needle);
	const ladder_diag *g = find_row(d, r);
	ck_assert_msg(g != NULL, "%s: no [%s] at line %u with '%s'; got:\n%s",
		      r->fixture, r->code, r->line, r->needle, dump);
	if (r->line)
		ck_assert_uint_eq(g->column, r->column);
	ck_assert_int_eq(g->severity, LADDER_SEV_ERROR);
	if (!r->sql)
		ck_assert_str_eq(g->file, path);
	if (r->unread) {
		ck_assert_ptr_null(m);
	} else {
		ck_assert_ptr_nonnull(m);
		ck_assert_uint_eq(ladder_manifest_errors(m),
				  ladder_diags_errors(d));
	}
	free(dump);
	free(path);
	ladder_manifest_free(m);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_valid_manifest)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path, *dir = tu_fixture("manifest"), want[4096];
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	int rc = load_fixture("ok.yaml", &m, d, &path);
	char *dump = tu_dump_diags(d);
	ck_assert_msg(rc == LADDER_OK, "status %d\n%s", rc, dump);
	ck_assert_uint_eq(ladder_diags_count(d), 0);
	ck_assert_uint_eq(ladder_manifest_errors(m), 0);
	ck_assert_str_eq(ladder_manifest_path(m), path);
	ck_assert_str_eq(ladder_manifest_table(m), "app_migrations");
	snprintf(want, sizeof(want), "%s/data/app.db", dir);
	ck_assert_str_eq(ladder_manifest_database(m), want);
	ck_assert_uint_eq(ladder_manifest_count(m), 4);

	static const struct {
		int64_t id;
		const char *name, *file, *down;
		int tx, fk_off;
		unsigned line;
	} e[] = {
		{1, "baseline", "sql/0001_baseline.sql", NULL, 1, 0, 8},
		{2, "drop_images", "sql/0002_images.sql",
		 "sql/0002_images.down.sql", 1, 0, 11},
		{10, "vacuum", "sql/0003_vacuum.sql", NULL, 0, 0, 16},
		{20260101120000, "2024", "sql/0004_rebuild.sql", NULL, 1, 1,
		 17},
	};
	for (size_t i = 0; i < 4; i++) {
		const ladder_migration *g = ladder_manifest_get(m, i);
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(g->id, e[i].id);
		ck_assert_str_eq(g->name, e[i].name);
		ck_assert_str_eq(g->file, e[i].file);
		snprintf(want, sizeof(want), "%s/%s", dir, e[i].file);
		ck_assert_str_eq(g->path, want);
		if (e[i].down) {
			ck_assert_str_eq(g->down, e[i].down);
			snprintf(want, sizeof(want), "%s/%s", dir, e[i].down);
			ck_assert_str_eq(g->down_path, want);
		} else {
			ck_assert_ptr_null(g->down);
			ck_assert_ptr_null(g->down_path);
		}
		ck_assert_int_eq(g->transactional, e[i].tx);
		ck_assert_int_eq(g->foreign_keys_off, e[i].fk_off);
		ck_assert_uint_eq(g->line, e[i].line);
		ck_assert_uint_eq(strlen(g->checksum), 64);
		ck_assert(ladder_manifest_find(m, e[i].id) == g);
	}
	/* sha256sum tests/fixtures/manifest/sql/0001_baseline.sql */
	ck_assert_str_eq(ladder_manifest_get(m, 0)->checksum,
			 "f202577af96fe5ff413f6456e176f80e"
			 "b994ac7d349d89f8707fa32f79cef931");
	ck_assert_ptr_null(ladder_manifest_get(m, 4));
	ck_assert_ptr_null(ladder_manifest_find(m, 3));
	ck_assert_ptr_null(ladder_manifest_find(m, 0));
	ck_assert_ptr_null(ladder_manifest_find(m, INT64_MAX));
	free(dump);
	free(path);
	free(dir);
	ladder_manifest_free(m);
	ladder_diags_free(d);
}
END_TEST

/* Leading zeros are decimal; the largest id is accepted; defaults. */
START_TEST(test_ids_and_defaults)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(load_fixture("ok_ids.yaml", &m, d, &path), LADDER_OK);
	ck_assert_uint_eq(ladder_manifest_count(m), 3);
	ck_assert_int_eq(ladder_manifest_get(m, 0)->id, 10);
	ck_assert_int_eq(ladder_manifest_get(m, 1)->id, 11);
	ck_assert_int_eq(ladder_manifest_get(m, 2)->id, INT64_MAX);
	ck_assert_int_eq(ladder_manifest_get(m, 0)->transactional, 1);
	ck_assert_int_eq(ladder_manifest_get(m, 0)->foreign_keys_off, 0);
	ck_assert_str_eq(ladder_manifest_table(m), "schema_migrations");
	ck_assert_ptr_null(ladder_manifest_database(m));
	ck_assert_ptr_nonnull(ladder_manifest_find(m, INT64_MAX));
	ladder_manifest_free(m);
	free(path);

	ck_assert_int_eq(load_fixture("ok_empty_list.yaml", &m, d, &path),
			 LADDER_OK);
	ck_assert_uint_eq(ladder_manifest_count(m), 0);
	ck_assert_ptr_null(ladder_manifest_get(m, 0));
	ck_assert_ptr_null(ladder_manifest_find(m, 1));
	ck_assert_uint_eq(ladder_diags_count(d), 0);
	ladder_manifest_free(m);
	ladder_manifest_free(NULL);
	free(path);
	ladder_diags_free(d);
}
END_TEST

/* A compiler's habit: every problem in one run, not only the first. */
START_TEST(test_all_problems_in_one_run)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(load_fixture("bad_many.yaml", &m, d, &path),
			 LADDER_EINVALID);
	ck_assert_diag(d, "unknown-key", 2, "did you mean 'table'?");
	ck_assert_diag(d, "unknown-key", 6, "did you mean 'file'?");
	ck_assert_diag(d, "missing-key", 4,
		       "migration at line 4 is missing 'file'");
	ck_assert_diag(d, "id", 7, "id '1.5' is not a whole number");
	ck_assert_diag(d, "type", 10, "YAML 1.1's 'yes' is not accepted");
	ck_assert_diag(d, "file", 13,
		       "sql/0002_missing.sql': No such file or directory");
	ck_assert_diag(d, "id-duplicate", 14,
		       "duplicate id 2 (first at line 11)");
	ck_assert_diag(d, "path", 16, "'../outside.sql' resolves outside");
	ck_assert_diag(d, "anchor", 17, "anchor '&d' is not allowed");
	ck_assert_uint_eq(ladder_diags_errors(d), 9);
	ck_assert_uint_eq(ladder_manifest_errors(m), 9);
	/* What was understood is still there: entry 2, its file missing. */
	ck_assert_uint_eq(ladder_manifest_count(m), 1);
	ck_assert_int_eq(ladder_manifest_get(m, 0)->id, 2);
	ck_assert_str_eq(ladder_manifest_get(m, 0)->checksum, "");
	ladder_manifest_free(m);
	free(path);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_no_hint_when_nothing_is_close)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(
		load_fixture("bad_unknown_key_nohint.yaml", &m, d, &path),
		LADDER_EINVALID);
	ck_assert_uint_eq(ladder_diags_count(d), 1);
	ck_assert(!strstr(ladder_diags_get(d, 0)->message, "did you mean"));
	/* The unknown key's nested value is skipped whole, quietly. */
	ck_assert_uint_eq(ladder_manifest_count(m), 1);
	ladder_manifest_free(m);
	free(path);
	ladder_diags_free(d);
}
END_TEST

/* A `transaction:` value that is refused does not also bring the rules of
 * transactional files down on the file (VACUUM with `transaction: n`). */
START_TEST(test_bad_transaction_adds_no_guesses)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(load_fixture("bad_transaction.yaml", &m, d, &path),
			 LADDER_EINVALID);
	ck_assert_uint_eq(ladder_diags_errors(d), 8);
	ck_assert_ptr_null(tu_find_diag(d, "needs-no-transaction", 0, NULL));
	ladder_manifest_free(m);
	free(path);
	ladder_diags_free(d);
}
END_TEST

/* After id errors the ids may be out of order: find must still work. */
START_TEST(test_find_after_order_errors)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *path;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(load_fixture("bad_id_order.yaml", &m, d, &path),
			 LADDER_EINVALID);
	ck_assert_uint_eq(ladder_manifest_count(m), 4);
	for (size_t i = 0; i < 4; i++) {
		const ladder_migration *g = ladder_manifest_get(m, i);
		ck_assert(ladder_manifest_find(m, g->id) == g);
	}
	ck_assert_ptr_null(ladder_manifest_find(m, 3));
	ladder_manifest_free(m);
	free(path);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_diags_may_be_null)
{
	ladder_manifest *m;
	char *path = tu_fixture("manifest/bad_many.yaml");
	ck_assert_int_eq(ladder_manifest_load(&m, path, NULL), LADDER_EINVALID);
	ck_assert_uint_eq(ladder_manifest_errors(m), 9);
	ladder_manifest_free(m);
	free(path);
}
END_TEST

/* The manifest itself cannot be read: EIO and no manifest. */
START_TEST(test_manifest_unreadable)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *dir = tu_tmpdir(), path[4096];
	ck_assert_int_eq(ladder_diags_new(&d), 0);

	snprintf(path, sizeof(path), "%s/nope.yaml", dir);
	ck_assert_int_eq(ladder_manifest_load(&m, path, d), LADDER_EIO);
	ck_assert_ptr_null(m);
	ck_assert_diag(d, "file", 0, "': No such file or directory");
	ck_assert_str_eq(ladder_diags_get(d, 0)->file, path);

	ck_assert_int_eq(ladder_manifest_load(&m, dir, d), LADDER_EIO);
	ck_assert_ptr_null(m);
	ck_assert_diag(d, "file", 0, "' is not a regular file");

	/* A FIFO is refused without waiting for a writer. */
	snprintf(path, sizeof(path), "%s/fifo.yaml", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(ladder_manifest_load(&m, path, d), LADDER_EIO);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(ladder_diags_errors(d), 3);

	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(d);
}
END_TEST

/* load_buffer: `path` names the manifest and its directory is the base. */
START_TEST(test_load_buffer)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *dir = tu_tmpdir(), path[4096], want[4096];
	free(tu_write(dir, "sql/a.sql", "CREATE TABLE a (x);\n"));
	snprintf(path, sizeof(path), "%s/not-on-disk.yaml", dir);
	static const char text[] = "migrations:\n"
				   "  - {id: 1, name: a, file: sql/a.sql}\n"
				   "database: sqlite:db/app.db\n";
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, text, strlen(text), path, d),
		LADDER_OK);
	ck_assert_str_eq(ladder_manifest_path(m), path);
	ck_assert_uint_eq(ladder_manifest_count(m), 1);
	snprintf(want, sizeof(want), "%s/sql/a.sql", dir);
	ck_assert_str_eq(ladder_manifest_get(m, 0)->path, want);
	snprintf(want, sizeof(want), "sqlite:%s/db/app.db", dir);
	ck_assert_str_eq(ladder_manifest_database(m), want);
	ladder_manifest_free(m);

	/* Only `len` bytes are read; diagnostics name `path`. */
	static const char bad[] = "migrations:\n  - {id: 1, name: a}\nXXX";
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, bad, strlen(bad) - 3, path, d),
		LADDER_EINVALID);
	ck_assert_diag(d, "missing-key", 2, "is missing 'file'");
	ck_assert_str_eq(ladder_diags_get(d, 0)->file, path);
	ck_assert_uint_eq(ladder_diags_count(d), 1);
	ladder_manifest_free(m);

	static const char abs[] = "database: /var/lib/app.db\nmigrations: []\n";
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, abs, strlen(abs), path, d),
		LADDER_OK);
	ck_assert_str_eq(ladder_manifest_database(m), "/var/lib/app.db");
	ladder_manifest_free(m);

	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(d);
}
END_TEST

/* Symlinks are followed before the containment check: a link that leads
 * out is refused; one that stays inside is fine. */
START_TEST(test_symlink_escape)
{
	ladder_diags *d;
	ladder_manifest *m;
	char *dir = tu_tmpdir(), *path, link[4096], target[4096];
	free(tu_write(dir, "outside.sql", "SELECT 1;\n"));
	free(tu_write(dir, "m2/sibling.sql", "SELECT 1;\n"));
	free(tu_write(dir, "m/sql/a.sql", "SELECT 1;\n"));
	snprintf(link, sizeof(link), "%s/m/sql/out.sql", dir);
	ck_assert_int_eq(symlink("../../outside.sql", link), 0);
	snprintf(link, sizeof(link), "%s/m/up", dir);
	ck_assert_int_eq(symlink("..", link), 0);
	/* m2 shares m's prefix: /x/m2 must not count as inside /x/m. */
	snprintf(link, sizeof(link), "%s/m/sib.sql", dir);
	snprintf(target, sizeof(target), "%s/m2/sibling.sql", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(link, sizeof(link), "%s/m/sql/alias.sql", dir);
	ck_assert_int_eq(symlink("a.sql", link), 0);
	path = tu_write(dir, "m/manifest.yaml",
			"migrations:\n"
			"  - id: 1\n"
			"    name: file link out\n"
			"    file: sql/out.sql\n"
			"  - id: 2\n"
			"    name: folder link out\n"
			"    file: up/outside.sql\n"
			"  - id: 3\n"
			"    name: sibling folder\n"
			"    file: sib.sql\n"
			"  - id: 4\n"
			"    name: link inside\n"
			"    file: sql/alias.sql\n"
			"    down: sql/../sql/a.sql\n");
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_load(&m, path, d), LADDER_EINVALID);
	ck_assert_diag(d, "path", 4,
		       "'sql/out.sql' resolves outside the manifest's "
		       "directory");
	ck_assert_diag(d, "path", 7, "'up/outside.sql' resolves outside");
	ck_assert_diag(d, "path", 10, "'sib.sql' resolves outside");
	ck_assert_uint_eq(ladder_diags_count(d), 3);
	ck_assert_uint_eq(ladder_manifest_count(m), 1);
	ck_assert_int_eq(ladder_manifest_get(m, 0)->id, 4);
	ladder_manifest_free(m);
	free(path);
	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_unreadable_sql_file)
{
	if (geteuid() == 0)
		return; /* root reads anything */
	ladder_diags *d;
	ladder_manifest *m;
	char *dir = tu_tmpdir();
	char *sql = tu_write(dir, "secret.sql", "SELECT 1;\n");
	char *path = tu_write(dir, "manifest.yaml",
			      "migrations:\n"
			      "  - id: 1\n"
			      "    name: secret\n"
			      "    file: secret.sql\n");
	ck_assert_int_eq(chmod(sql, 0), 0);
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_load(&m, path, d), LADDER_EINVALID);
	ck_assert_diag(d, "file", 4, "secret.sql': Permission denied");
	ck_assert_uint_eq(ladder_manifest_count(m), 1);
	ck_assert_str_eq(ladder_manifest_get(m, 0)->checksum, "");
	ladder_manifest_free(m);
	free(sql);
	free(path);
	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(d);
}
END_TEST

START_TEST(test_size_limit)
{
	ladder_diags *d;
	ladder_manifest *m;
	size_t len = ((size_t)64 << 20) + 1;
	char *text = malloc(len);
	ck_assert_ptr_nonnull(text);
	memset(text, '#', len);
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, text, len, "big.yaml", d),
		LADDER_EINVALID);
	ck_assert_ptr_null(m);
	ck_assert_diag(d, "limit", 1, "manifest is larger than 64 MiB");
	free(text);
	ladder_diags_free(d);
}
END_TEST

/* Deep nesting in a value that is skipped stops at a bound, not at the
 * end of the stack or of memory. */
START_TEST(test_nesting_limit)
{
	ladder_diags *d;
	ladder_manifest *m;
	size_t depth = 5000, len = 0;
	char *text = malloc(2 * depth + 64);
	ck_assert_ptr_nonnull(text);
	len += (size_t)sprintf(text, "migrations: []\nextra: ");
	memset(text + len, '[', depth);
	len += depth;
	memset(text + len, ']', depth);
	len += depth;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, text, len, "deep.yaml", d),
		LADDER_EINVALID);
	ck_assert_ptr_null(m);
	ck_assert_diag(d, "unknown-key", 2, "unknown key 'extra'");
	ck_assert_diag(d, "limit", 2, "nesting deeper than 1000 levels");
	free(text);
	ladder_diags_free(d);
}
END_TEST

/* 100,000 entries load in linear time (an O(n^2) id check would not end
 * within the timeout). */
START_TEST(test_many_entries)
{
	const int n = 100000;
	ladder_diags *d;
	ladder_manifest *m;
	char *dir = tu_tmpdir(), path[4096], *text = NULL;
	size_t len = 0;
	free(tu_write(dir, "a.sql", "SELECT 1;\n"));
	snprintf(path, sizeof(path), "%s/manifest.yaml", dir);
	FILE *f = open_memstream(&text, &len);
	fputs("migrations:\n", f);
	for (int i = 1; i <= n; i++)
		fprintf(f, "  - {id: %d, name: step_%d, file: a.sql}\n", i * 3,
			i);
	fclose(f);
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_load_buffer(&m, text, len, path, d),
			 LADDER_OK);
	ck_assert_uint_eq(ladder_manifest_count(m), (size_t)n);
	for (int i = 1; i <= n; i += 997) {
		const ladder_migration *g = ladder_manifest_find(m, i * 3);
		ck_assert_ptr_nonnull(g);
		ck_assert_uint_eq(g->line, (unsigned)i + 1);
		ck_assert_ptr_null(ladder_manifest_find(m, i * 3 + 1));
	}
	ladder_manifest_free(m);
	free(text);
	tu_rmtree(dir);
	free(dir);
	ladder_diags_free(d);
}
END_TEST

/* At most 1,000,000 entries are read; one `limit` error says so. (The
 * entries are the cheapest kind, a wrong type, to keep the test quick.) */
START_TEST(test_entry_limit)
{
	const size_t n = 1000001;
	ladder_diags *d;
	ladder_manifest *m;
	size_t len = strlen("migrations:\n") + n * 5;
	char *text = malloc(len + 1);
	ck_assert_ptr_nonnull(text);
	strcpy(text, "migrations:\n");
	for (size_t i = 0, o = strlen(text); i < n; i++, o += 5)
		memcpy(text + o, "- []\n", 5);
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(
		ladder_manifest_load_buffer(&m, text, len, "big.yaml", d),
		LADDER_EINVALID);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(ladder_diags_errors(d), n);
	const ladder_diag *g = ladder_diags_get(d, n - 1);
	ck_assert_str_eq(g->code, "limit");
	ck_assert_uint_eq(g->line, n + 1);
	ck_assert_str_eq(g->message,
			 "more than 1000000 migrations; the rest are not read");
	ladder_manifest_free(m);
	free(text);
	ladder_diags_free(d);
}
END_TEST

/* path.c's one-call open, as the run-time open of a migration uses it: a
 * regular file beneath the root opens; a symlink or `..` out of it, a FIFO
 * (without hanging) and a folder are refused with their codes. */
START_TEST(open_beneath_gives_only_regular_files_inside_the_root)
{
	char *dir = tu_tmpdir();
	char *root = tu_write(dir, "root/a.sql", "SELECT 1;\n");
	char *out = tu_write(dir, "secret.sql", "SELECT 2;\n");
	*strrchr(root, '/') = '\0';
	char link[4096], fifo[4096];
	snprintf(link, sizeof(link), "%s/out.sql", root);
	snprintf(fifo, sizeof(fifo), "%s/fifo.sql", root);
	ck_assert_int_eq(symlink(out, link), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	free(tu_write(root, "sub/b.sql", "SELECT 3;\n"));
	ladder_diags *d;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	int fd = -2;
	ck_assert_int_eq(ldr_open_beneath(root, "a.sql", &fd, d, "a.sql"), 0);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ldr_open_beneath(root, "sub/../a.sql", &fd, d, "x"),
			 0);
	close(fd);
	ck_assert_int_eq(ldr_open_beneath(root, "out.sql", &fd, d, "out.sql"),
			 LADDER_EINVALID);
	ck_assert_int_eq(fd, -1);
	ck_assert_diag(d, "path", 0, "'out.sql' resolves outside");
	ck_assert_int_eq(ldr_open_beneath(root, "../secret.sql", &fd, d,
					  "../secret.sql"),
			 LADDER_EINVALID);
	ck_assert_diag(d, "path", 0, "'../secret.sql' resolves outside");
	ck_assert_int_eq(ldr_open_beneath(root, "fifo.sql", &fd, d, "fifo.sql"),
			 LADDER_EIO);
	ck_assert_diag(d, "file", 0, "'fifo.sql' is not a regular file");
	ck_assert_int_eq(ldr_open_beneath(root, "sub", &fd, d, "sub"),
			 LADDER_EIO);
	ck_assert_diag(d, "file", 0, "'sub' is not a regular file (it is a");
	ck_assert_int_eq(ldr_open_beneath(root, "gone.sql", &fd, d, "gone.sql"),
			 LADDER_EIO);
	ck_assert_diag(d, "file", 0, "cannot open 'gone.sql': ");
	ck_assert_int_eq(fd, -1);
	ladder_diags_free(d);
	tu_rmtree(dir);
	free(dir);
	free(root);
	free(out);
}
END_TEST

/* ------------------------------------------------------------- embedded */

static const char dollar_sql[] = "CREATE TABLE t (x int);\n"
				 "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;\n";

/* A version 1 struct (what a program built against ladder 0.1 passes)
 * ends after `migrations`: it means SQLite, and nothing past it is read. */
START_TEST(test_embedded_version_1_is_sqlite)
{
	static const ladder_embedded_migration list[] = {
		{1, "one", "one.sql", "CREATE TABLE a (x);", 19, 0, 0, 1, 0},
	};
	struct {
		unsigned version;
		const char *table;
		size_t count;
		const ladder_embedded_migration *migrations;
	} v1 = {1, NULL, 1, list};
	ladder_diags *d;
	ladder_manifest *m;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_from_embedded(
				 &m, (const ladder_embedded *)(void *)&v1, d),
			 0);
	ck_assert_str_eq(ladder_manifest_engine(m), "sqlite");
	ck_assert_ptr_null(ladder_manifest_schema(m));
	ck_assert_int_eq(ladder_manifest_get(m, 0)->lock_timeout_ms, 0);
	ladder_manifest_free(m);
	ladder_diags_free(d);
}
END_TEST

/* Version 2: the engine decides the dialect every file is read in, the
 * schema and the steps' limits are carried, each checked as the YAML
 * manifest checks them. */
START_TEST(test_embedded_version_2_carries_the_manifest)
{
	static const ladder_embedded_migration list[] = {
		{1, "one", "one.sql", dollar_sql, sizeof(dollar_sql) - 1, 0, 0,
		 1, 0},
		{2, "two", "two.sql", "CREATE INDEX CONCURRENTLY i ON t (x);",
		 37, 0, 0, 0, 0},
	};
	static const ladder_embedded_limits limits[] = {{2000, -1, 3},
							{0, 0, 0}};
	ladder_embedded e = {LADDER_EMBEDDED_VERSION,
			     NULL,
			     2,
			     list,
			     "postgresql",
			     "app",
			     limits};
	ladder_diags *d;
	ladder_manifest *m;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d), 0);
	ck_assert_str_eq(ladder_manifest_engine(m), "postgresql");
	ck_assert_str_eq(ladder_manifest_schema(m), "app");
	const ladder_migration *one = ladder_manifest_get(m, 0);
	ck_assert_int_eq(one->lock_timeout_ms, 2000);
	ck_assert_int_eq(one->statement_timeout_ms, -1);
	ck_assert_int_eq(one->retries, 3);
	ladder_manifest_free(m);

	/* The same SQL as SQLite's: the dollar-quoted body is not one
	 * statement there, and CONCURRENTLY is not SQLite's. */
	e.engine = "sqlite";
	e.schema = NULL;
	e.limits = NULL;
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ladder_manifest_free(m);

	/* Each rule as the YAML manifest's. */
	ladder_diags_free(d);
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	e.engine = "postgres";
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "engine", 0, "unknown engine 'postgres'");
	ladder_manifest_free(m);
	e.engine = "postgresql";
	e.schema = "Bad-Name";
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "schema", 0, "is not a plain lower-case identifier");
	ladder_manifest_free(m);
	e.schema = NULL;
	static const ladder_embedded_limits on_plain[] = {{0, 0, 0},
							  {1000, 0, 0}};
	e.limits = on_plain;
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "unsupported", 0, "runs without one");
	ladder_manifest_free(m);
	static const ladder_embedded_limits too_many[] = {{0, 0, 11},
							  {0, 0, 0}};
	e.limits = too_many;
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "usage", 0, "retries 0 to 10");
	ladder_manifest_free(m);
	/* SQLite has no timeouts, PostgreSQL no table rebuild. */
	static const ladder_embedded_limits on_sqlite[] = {{5000, 0, 3},
							   {0, 0, 0}};
	e.limits = on_sqlite;
	e.engine = "sqlite";
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "unsupported", 0, "PostgreSQL's; SQLite has none");
	ladder_manifest_free(m);
	static const ladder_embedded_migration rebuild[] = {
		{1, "one", "one.sql", "CREATE TABLE t (x int);", 23, 0, 0, 1,
		 1},
	};
	ladder_embedded pg = {LADDER_EMBEDDED_VERSION,
			      NULL,
			      1,
			      rebuild,
			      "postgresql",
			      NULL,
			      NULL};
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &pg, d),
			 LADDER_EINVALID);
	ck_assert_diag(d, "unsupported", 0, "is SQLite's table rebuild");
	ladder_manifest_free(m);
	e.version = LADDER_EMBEDDED_VERSION + 1;
	ck_assert_int_eq(ladder_manifest_from_embedded(&m, &e, d),
			 LADDER_EUSAGE);
	ck_assert_ptr_null(m);
	ladder_diags_free(d);
}
END_TEST

static Suite *manifest_suite(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("rules");
	tcase_add_loop_test(tc, test_rule, 0, (int)NROWS);
	tcase_add_test(tc, test_sql_empty_warns);
	tcase_add_test(tc, test_valid_manifest);
	tcase_add_test(tc, test_ids_and_defaults);
	tcase_add_test(tc, test_all_problems_in_one_run);
	tcase_add_test(tc, test_no_hint_when_nothing_is_close);
	tcase_add_test(tc, test_find_after_order_errors);
	tcase_add_test(tc, test_bad_transaction_adds_no_guesses);
	tcase_add_test(tc, test_diags_may_be_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_manifest_unreadable);
	tcase_add_test(tc, test_load_buffer);
	tcase_add_test(tc, test_symlink_escape);
	tcase_add_test(tc, test_unreadable_sql_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("embedded");
	tcase_add_test(tc, test_embedded_version_1_is_sqlite);
	tcase_add_test(tc, test_embedded_version_2_carries_the_manifest);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_size_limit);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_many_entries);
	tcase_add_test(tc, test_entry_limit);
	tcase_add_test(tc,
		       open_beneath_gives_only_regular_files_inside_the_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(manifest_suite());
}
