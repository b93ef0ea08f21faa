/*
 * adopt.c — `ladder adopt`: a database another tool migrated becomes a
 * ladder database. The tool's bookkeeping table is read, every migration
 * it records as applied is found in the (imported) manifest, and
 * ladder's rows are written in one transaction, checksums from the files
 * as they are now. docs/import.md describes each tool's table.
 *
 * The driver is used through lock/begin/record/commit and one reader,
 * query(). The little SQL that differs per engine (finding the tool's
 * table, reading its time as RFC 3339 UTC) is the table `engines`; the
 * rest (SELECT, DROP TABLE) is the same on SQLite and PostgreSQL.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driver.h"
#include "import.h"
#include "ldrx.h"
#include "plan.h"
#include "sha256.h"

struct ladder_adoption {
	ladder_adopted *rows;
	size_t n;
};

/* One row of the tool's table, as far as adopt cares. */
struct rec {
	char *version;
	char *at;  /* the tool's time, or NULL */
	char *utc; /* the same as RFC 3339 UTC, or NULL */
	int applied;
};

struct ad {
	const struct ldr_import_tool *tool;
	const char *display;
	ladder_diags *diags;
	struct rec *r;
	size_t n, cap;
	/* Flyway's BASELINE row: every version up to it counts as applied
	 * (`flyway baseline` on a database that already had them) */
	struct rec baseline;
	int refused;
};

static void recs_free(struct ad *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->r[i].version);
		free(a->r[i].at);
		free(a->r[i].utc);
	}
	free(a->r);
	free(a->baseline.version);
	free(a->baseline.at);
	free(a->baseline.utc);
}

static int truthy(const char *s)
{
	return s && (!strcmp(s, "1") || !strcasecmp(s, "true") ||
		     !strcasecmp(s, "t"));
}

/* Adds a row, or updates the one with the same version (goose: the latest
 * row per version wins). */
static int push(struct ad *a, const char *version, const char *at,
		const char *utc, int applied)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->r[i].version, version)) {
			free(a->r[i].at);
			free(a->r[i].utc);
			a->r[i].at = at ? ldr_strdup(at) : NULL;
			a->r[i].utc = utc ? ldr_strdup(utc) : NULL;
			a->r[i].applied = applied;
			return (at && !a->r[i].at) || (utc && !a->r[i].utc)
				       ? LADDER_ENOMEM
				       : 0;
		}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct rec *p = realloc(a->r, cap * sizeof(*p));
		if (!p)
			return LADDER_ENOMEM;
		a->r = p;
		a->cap = cap;
	}
	struct rec *r = &a->r[a->n];
	r->version = ldr_strdup(version);
	r->at = at ? ldr_strdup(at) : NULL;
	r->utc = utc ? ldr_strdup(utc) : NULL;
	r->applied = applied;
	a->n++;
	if (!r->version || (at && !r->at) || (utc && !r->utc))
		return LADDER_ENOMEM;
	return 0;
}

enum why { FAILED_SQLX, DIRTY, FAILED_FLYWAY, LACKS, LACKS_HASH };

/* Each refusal reads "'<table>' <before><v><after>". */
static const struct {
	const char *before, *after;
} refusals[] = {
	[FAILED_SQLX] = {"records migration ",
			 " with success = false: it failed; mend the database "
			 "and the row first"},
	[DIRTY] = {"is dirty at version ",
		   ": a migration failed midway; mend the database and clear "
		   "the flag first"},
	[FAILED_FLYWAY] = {"records version ",
			   " as failed (success = 0); mend the database and "
			   "run flyway repair first"},
	[LACKS] = {"records version ", ", which the manifest lacks"},
	[LACKS_HASH] = {"records a migration whose SHA-256 is ",
			"; no file in the manifest has it (a file changed "
			"since, or is missing)"},
};

static int refuse(struct ad *a, enum why why, const char *v)
{
	ldr_error(a->diags, "adopt-refused", a->display, 0, 0, "'%s' %s%s%s",
		  a->tool->table, refusals[why].before, v, refusals[why].after);
	a->refused = 1;
	return 0;
}

/* Columns: version, the tool's time, its state, Flyway's row type, the
 * time as RFC 3339 UTC (NULL where the tool has none; see read_tool). */
static int on_row(void *ctx, int ncol, const char *const *col)
{
	struct ad *a = ctx;
	const char *t = a->tool->name;
	const char *v = ncol > 0 ? col[0] : NULL;
	const char *at = ncol > 1 ? col[1] : NULL;
	const char *state = ncol > 2 ? col[2] : NULL;
	const char *utc = ncol > 4 ? col[4] : NULL;
	if (!v) {
		/* Flyway's repeatables have no version: nothing to adopt. */
		return 0;
	}
	if (!strcmp(t, "sqlx") && !truthy(state))
		return refuse(a, FAILED_SQLX, v);
	if (!strcmp(t, "golang-migrate") && truthy(state))
		return refuse(a, DIRTY, v);
	if (!strcmp(t, "flyway") && state && !truthy(state))
		return refuse(a, FAILED_FLYWAY, v);
	int applied = 1;
	if (!strcmp(t, "goose")) {
		if (!strcmp(v, "0"))
			return 0;
		applied = truthy(state);
	}
	if (!strcmp(t, "flyway")) {
		const char *type = ncol > 3 ? col[3] : NULL;
		if (type && !strncasecmp(type, "UNDO", 4))
			applied = 0;
		else if (type && !strcasecmp(type, "BASELINE")) {
			struct rec *b = &a->baseline;
			free(b->version);
			free(b->at);
			free(b->utc);
			b->version = ldr_strdup(v);
			b->at = at ? ldr_strdup(at) : NULL;
			b->utc = utc ? ldr_strdup(utc) : NULL;
			b->applied = 1;
			return !b->version || (at && !b->at) || (utc && !b->utc)
				       ? LADDER_ENOMEM
				       : 0;
		} else if (type && strcasecmp(type, "SQL") != 0)
			return 0; /* SCHEMA, DELETE: not steps */
	}
	if (!strcmp(t, "golang-migrate") && v[0] == '-')
		return 0; /* NilVersion: nothing applied */
	return push(a, v, at, utc, applied);
}

/* What differs per engine in adopt's own SQL (all of it goes through the
 * driver's query()). `find` gives one row, the schema holding table @ (a
 * plain name) as a qualifier ready for SQL, when the schema given as #
 * (an SQL expression) holds it; `current` is that expression for the
 * schema the tools write to by default; `utc` turns the tool's time
 * column @ into RFC 3339 UTC whole seconds, or NULL when it is not a
 * time. */
static const struct engine {
	const char *driver;
	const char *find;
	const char *current;
	const char *utc;
} engines[] = {
	{"sqlite",
	 "SELECT 'main' FROM main.sqlite_master WHERE type = 'table' AND "
	 "name = '@' AND # = 'main'",
	 "'main'",
	 "CASE WHEN @ LIKE '____-__-__%' THEN "
	 "strftime('%Y-%m-%dT%H:%M:%SZ', @) END"},
	/* pg_catalog's objects only: a hostile search_path changes nothing
	 * (the tool's table itself is looked for where the tool wrote it:
	 * the current schema, the first of the search_path that exists). */
	{"postgresql",
	 "SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_class c "
	 "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) "
	 "c.relnamespace WHERE c.relkind OPERATOR(pg_catalog.=) 'r' AND "
	 "c.relname OPERATOR(pg_catalog.=) '@' AND n.nspname "
	 "OPERATOR(pg_catalog.=) #",
	 "pg_catalog.current_schema()",
	 "pg_catalog.to_char((@)::pg_catalog.timestamptz AT TIME ZONE 'UTC', "
	 "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"},
};

/* Appends `tmpl` with each @ replaced by `at` and each # by `hash`. */
static int fill(ldr_buf *b, const char *tmpl, const char *at, const char *hash)
{
	int rc = 0;
	for (const char *p = tmpl; !rc && *p; p++)
		rc = *p == '@'	 ? ldr_buf_add(b, at, strlen(at))
		     : *p == '#' ? ldr_buf_add(b, hash, strlen(hash))
				 : ldr_buf_addc(b, *p);
	return rc;
}

static const struct engine *engine_of(const ladder_db *db)
{
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!strcmp(engines[i].driver, db->drv->name))
			return &engines[i];
	return NULL;
}

/* The columns adopt reads of each tool's table (quoted): version, the
 * tool's time, its state, Flyway's row type, and the order of the rows. */
#define Q(name) "\"" #name "\""
static const struct {
	const char *tool, *version, *at, *state, *type, *order;
} columns[] = {
	{"diesel", Q(version), Q(run_on), NULL, NULL, "1"},
	{"sqlx", Q(version), Q(installed_on), Q(success), NULL, "1"},
	{"goose", Q(version_id), Q(tstamp), Q(is_applied), NULL, Q(id)},
	{"golang-migrate", Q(version), NULL, Q(dirty), NULL, "1"},
	{"dbmate", Q(version), NULL, NULL, NULL, "1"},
	{"drizzle-kit", Q(hash), NULL, NULL, NULL, Q(id)},
	{"flyway", Q(version), Q(installed_on), Q(success), Q(type),
	 Q(installed_rank)},
	{"grocy", Q(migration), Q(execution_time_timestamp), NULL, NULL, "1"},
};
#undef Q

static int qualifier_row(void *ctx, int ncol, const char *const *col)
{
	char **q = ctx;
	if (ncol < 1 || !col[0] || *q)
		return 0;
	return (*q = ldr_strdup(col[0])) ? 0 : LADDER_ENOMEM;
}

/* The schema holding the tool's table, ready for SQL, in *q (NULL when
 * there is none). */
static int find_tool_table(ladder_db *db, const struct engine *e,
			   const char *table, const char *own_schema, char **q,
			   ladder_diags *diags)
{
	*q = NULL;
	int rc = 0;
	for (int pass = own_schema ? 0 : 1; !rc && !*q && pass < 2; pass++) {
		ldr_buf sql = LDR_BUF_INIT;
		rc = fill(&sql, e->find, table, pass ? e->current : own_schema);
		if (!rc)
			rc = db->drv->query(db->conn, sql.data, qualifier_row,
					    q, diags);
		ldr_buf_release(&sql);
	}
	return rc;
}

static int read_tool(ladder_db *db, const struct engine *e, struct ad *a,
		     char **qual)
{
	const char *t = a->tool->name;
	size_t k = 0;
	while (k < sizeof(columns) / sizeof(columns[0]) &&
	       strcmp(columns[k].tool, t))
		k++;
	assert(k < sizeof(columns) / sizeof(columns[0])); /* every tool's */
	ldr_buf sql = LDR_BUF_INIT;
	int rc = find_tool_table(db, e, a->tool->table, a->tool->schema, qual,
				 a->diags);
	if (!rc && !*qual) {
		ldr_error(a->diags, "adopt-refused", a->display, 0, 0,
			  "there is no '%s' table: this database was not "
			  "migrated by %s",
			  a->tool->table, t);
		rc = LADDER_EREFUSED;
	}
	if (rc)
		goto out;
	const char *at = columns[k].at;
	if (!(rc = ldr_buf_addf(&sql, "SELECT %s, %s, %s, %s, ",
				columns[k].version, at ? at : "NULL",
				columns[k].state ? columns[k].state : "NULL",
				columns[k].type ? columns[k].type : "NULL")) &&
	    !(rc = fill(&sql, at ? e->utc : "NULL", at ? at : "", "")) &&
	    !(rc = ldr_buf_addf(&sql, " FROM %s.\"%s\" ORDER BY %s", *qual,
				a->tool->table, columns[k].order)))
		rc = db->drv->query(db->conn, sql.data, on_row, a, a->diags);
	if (!rc && a->refused)
		rc = LADDER_EREFUSED;
out:
	ldr_buf_release(&sql);
	return rc;
}

/* The tool's version for a manifest entry, from the name import gave it
 * (the tool's file or folder name). */
static void entry_key(const char *tool, const ladder_migration *mig, char *out,
		      size_t cap)
{
	const char *s = mig->name;
	size_t k = 0;
	if (!strcmp(tool, "flyway")) {
		const char *sep = strstr(s, "__");
		if (s[0] == 'V' && sep)
			for (const char *p = s + 1; p < sep && k + 1 < cap; p++)
				out[k++] = *p == '_' ? '.' : *p;
	} else if (!strcmp(tool, "diesel")) {
		for (const char *p = s; *p && *p != '_' && k + 1 < cap; p++)
			if (*p != '-')
				out[k++] = *p;
	} else {
		for (const char *p = s; *p >= '0' && *p <= '9' && k + 1 < cap;
		     p++)
			out[k++] = *p;
	}
	out[k] = 0;
}

/* Flyway's order of versions: dotted parts compared as whole numbers,
 * a missing part as 0 ("1" = "1.0" < "1.1" < "1.10"); a version that is
 * not dotted digits is compared as text. */
static int flyway_cmp(const char *a, const char *b)
{
	const char *a0 = a, *b0 = b;
	while (*a || *b) {
		char *ea = (char *)a, *eb = (char *)b;
		unsigned long long x = *a ? strtoull(a, &ea, 10) : 0;
		unsigned long long y = *b ? strtoull(b, &eb, 10) : 0;
		if ((*ea && *ea != '.') || (*eb && *eb != '.') ||
		    (*a && ea == a) || (*b && eb == b))
			return strcmp(a0, b0) < 0 ? -1 : strcmp(a0, b0) > 0;
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
	return 0;
}

static int same_version(const char *a, const char *b)
{
	if (strspn(a, "0123456789") == strlen(a) &&
	    strspn(b, "0123456789") == strlen(b)) {
		a += strspn(a, "0");
		b += strspn(b, "0");
	}
	return !strcmp(a, b);
}

/* SHA-256 of the file's bytes as they are, the way drizzle hashes. */
static int raw_sha256(const ladder_migration *mig, char hex[LDR_CHECKSUM_HEX])
{
	char *text = NULL;
	size_t len = 0;
	const char *data = mig->text;
	if (!data) {
		if (ldrx_read_file(mig->path, &text, &len))
			return LADDER_EIO;
		data = text;
	} else {
		len = mig->text_len;
	}
	ldr_sha256 ctx;
	ldr_sha256_init(&ctx);
	ldr_sha256_update(&ctx, data, len);
	ldr_sha256_hex(&ctx, hex);
	free(text);
	return 0;
}

/* Which manifest entries the tool's rows say are applied. */
static int match(struct ad *a, const ladder_manifest *m, int *applied,
		 const struct rec **at)
{
	size_t count = ladder_manifest_count(m);
	const char *t = a->tool->name;
	char(*hashes)[LDR_CHECKSUM_HEX] = NULL;
	if (!strcmp(t, "drizzle-kit")) {
		hashes = calloc(count ? count : 1, sizeof(*hashes));
		if (!hashes)
			return LADDER_ENOMEM;
		for (size_t j = 0; j < count; j++)
			if (raw_sha256(ladder_manifest_get(m, j), hashes[j]))
				hashes[j][0] = 0;
	}
	/* Flyway's baseline first: the rows after it may undo a version. */
	for (size_t j = 0; a->baseline.version && j < count; j++) {
		char key[128];
		entry_key(t, ladder_manifest_get(m, j), key, sizeof(key));
		if (*key && flyway_cmp(key, a->baseline.version) <= 0) {
			applied[j] = 1;
			at[j] = &a->baseline;
		}
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct rec *r = &a->r[i];
		size_t j;
		for (j = 0; j < count; j++) {
			const ladder_migration *mig = ladder_manifest_get(m, j);
			char key[128];
			if (hashes) {
				if (!strcasecmp(hashes[j], r->version))
					break;
				continue;
			}
			entry_key(t, mig, key, sizeof(key));
			if (*key && same_version(key, r->version))
				break;
		}
		if (j == count) {
			if (r->applied)
				refuse(a, hashes ? LACKS_HASH : LACKS,
				       r->version);
			continue;
		}
		if (!strcmp(t, "golang-migrate")) {
			/* One row: every version up to it is applied. */
			for (size_t k = 0; k <= j; k++)
				applied[k] = 1;
			continue;
		}
		applied[j] = r->applied;
		at[j] = r;
	}
	free(hashes);
	return a->refused ? LADDER_EREFUSED : 0;
}

static int no_rows(void *ctx, int ncol, const char *const *col)
{
	(void)ctx;
	(void)ncol;
	(void)col;
	return 0;
}

/* adopt's own SQL (ladder's table, the tool's), through the driver's
 * query(), never exec(): exec() runs a migration's statements, which may
 * not write ladder's tables. */
static int run_sql(ladder_db *db, ldr_buf *sql, ladder_diags *diags)
{
	if (!sql->data)
		return LADDER_ENOMEM;
	return db->drv->query(db->conn, sql->data, no_rows, NULL, diags);
}

static int add_row(ladder_adoption *out, const ladder_migration *mig,
		   const char *version, const char *at)
{
	ladder_adopted *r = &out->rows[out->n];
	r->id = mig->id;
	r->name = mig->name;
	r->checksum = mig->checksum;
	r->tool_version = version ? ldr_strdup(version) : NULL;
	r->applied_at = at ? ldr_strdup(at) : NULL;
	out->n++;
	return (version && !r->tool_version) || (at && !r->applied_at)
		       ? LADDER_ENOMEM
		       : 0;
}

int ladder_adopt(ladder_adoption **out, ladder_db *db, const ladder_manifest *m,
		 const ladder_adopt_options *opts, ladder_diags *diags)
{
	assert(db && m && opts);
	if (out)
		*out = NULL;
	struct ad a = {.tool = ldr_import_tool_find(opts->tool),
		       .display = db->display,
		       .diags = diags};
	ladder_adoption *res = NULL;
	ladder_plan *plan = NULL;
	int *applied = NULL, began = 0, rc = 0;
	const struct rec **at = NULL;
	char *qual = NULL; /* the tool table's schema, ready for SQL */
	ldr_buf note = LDR_BUF_INIT;
	const struct engine *e = engine_of(db);
	size_t count = ladder_manifest_count(m);
	if (!a.tool) {
		ldr_error(diags, "adopt", NULL, 0, 0,
			  "unknown tool '%s' (diesel, sqlx, goose, "
			  "golang-migrate, dbmate, drizzle-kit, flyway, grocy)",
			  opts->tool ? opts->tool : "");
		return LADDER_EUSAGE;
	}
	if (ladder_manifest_errors(m)) {
		ldr_error(diags, "invalid-manifest", ladder_manifest_path(m), 0,
			  0, "the manifest has errors; nothing was done");
		return LADDER_EINVALID;
	}
	if (!e || !db->drv->query) {
		ldr_error(diags, "adopt", db->display, 0, 0,
			  "adopt cannot read the tools' tables on %s",
			  db->drv->name);
		return LADDER_EUNSUPPORTED;
	}
	if (!strcmp(ladder_manifest_table(m), a.tool->table)) {
		ldr_error(diags, "adopt-refused", ladder_manifest_path(m), 0, 0,
			  "the manifest's table '%s' is %s's own; set "
			  "'table:' to another name (import writes "
			  "'table: ladder_migrations')",
			  a.tool->table, a.tool->name);
		return LADDER_EREFUSED;
	}
	applied = calloc(count ? count : 1, sizeof(*applied));
	at = calloc(count ? count : 1, sizeof(*at));
	res = calloc(1, sizeof(*res));
	if (res)
		res->rows = calloc(count ? count : 1, sizeof(*res->rows));
	if (!applied || !at || !res || !res->rows) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	if (!opts->dry_run) {
		rc = db->drv->lock(db->conn, &db->interrupted, diags);
		if (!rc && !(rc = db->drv->begin(db->conn, diags)))
			began = 1;
		if (rc)
			goto out;
	}
	if ((rc = ladder_plan_new(&plan, db, m, diags)))
		goto out;
	size_t recorded = ladder_plan_count(plan) -
			  ladder_plan_count_state(plan, LADDER_STATE_PENDING);
	if (recorded) {
		ldr_error(diags, "adopt-refused", db->display, 0, 0,
			  "ladder's table '%s' already records %zu "
			  "migration%s; adopt is for a database ladder has "
			  "never migrated",
			  ladder_manifest_table(m), recorded,
			  recorded == 1 ? "" : "s");
		rc = LADDER_EREFUSED;
		goto out;
	}
	if ((rc = read_tool(db, e, &a, &qual)) ||
	    (rc = match(&a, m, applied, at)))
		goto out;
	if ((rc = ldr_buf_addf(&note, "%s adopted from %s", LADDER_VERSION,
			       a.tool->name)))
		goto out;
	for (size_t j = 0; !rc && j < count; j++) {
		if (!applied[j])
			continue;
		const ladder_migration *mig = ladder_manifest_get(m, j);
		char key[128];
		entry_key(a.tool->name, mig, key, sizeof(key));
		rc = add_row(res, mig, *key ? key : NULL,
			     at[j] ? at[j]->at : NULL);
		if (rc || opts->dry_run)
			continue;
		/* The tool's time where it kept one (a whole RFC 3339 UTC
		 * time), else now. */
		const char *utc = at[j] ? at[j]->utc : NULL;
		ldr_record rec = {.id = mig->id,
				  .name = mig->name,
				  .checksum = mig->checksum,
				  .applied_at =
					  utc && strlen(utc) == LDRX_UTC_LEN - 1
						  ? utc
						  : NULL,
				  .ladder_version = note.data};
		rc = db->drv->record(db->conn, &rec, diags);
	}
	if (!rc && !opts->dry_run && opts->drop_tool_table) {
		ldr_buf sql = LDR_BUF_INIT;
		ldr_buf_addf(&sql, "DROP TABLE %s.\"%s\"", qual, a.tool->table);
		rc = run_sql(db, &sql, diags);
		ldr_buf_release(&sql);
	}
	if (!rc && began) {
		began = 0;
		rc = db->drv->commit(db->conn, diags);
	}
out:
	if (began)
		db->drv->rollback(db->conn);
	ladder_plan_free(plan);
	recs_free(&a);
	free(applied);
	free(at);
	free(qual);
	ldr_buf_release(&note);
	if (!rc && out)
		*out = res;
	else
		ladder_adoption_free(res);
	return rc;
}

size_t ladder_adoption_count(const ladder_adoption *a)
{
	return a ? a->n : 0;
}

const ladder_adopted *ladder_adoption_get(const ladder_adoption *a, size_t i)
{
	return a && i < a->n ? &a->rows[i] : NULL;
}

void ladder_adoption_free(ladder_adoption *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free((char *)a->rows[i].tool_version);
		free((char *)a->rows[i].applied_at);
	}
	free(a->rows);
	free(a);
}
