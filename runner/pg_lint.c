/*
 * pg_lint.c — the PostgreSQL linter (docs/lint.md): warnings with stable
 * codes for DDL that blocks or breaks a busy database, read from each
 * statement's parse tree (pg_grammar.c), with a small catalogue of the
 * tables and columns earlier steps created, walked in manifest order.
 * Also the version-aware syntax check the manifest's `postgresql:` asks
 * for, and ALTER TYPE ... ADD VALUE in a transaction before 12.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_grammar.h"
#include "pg_lint.h"

/* Every rule, in docs/lint.md's order. */
const char *const ldr_pg_lint_codes[] = {
	"lint-index-not-concurrent",
	"lint-foreign-key-not-valid",
	"lint-check-not-valid",
	"lint-set-not-null",
	"lint-column-type-rewrite",
	"lint-add-column-default",
	"lint-unique-without-index",
	"lint-rename",
	"lint-drop",
	"lint-vacuum-full",
	"lint-cluster",
	"lint-reindex-not-concurrent",
	"lint-session-set",
	"lint-lock-timeout",
	"lint-enum-value-used",
	NULL,
};

/* A table as the catalogue knows it: created by step `step` (the lint's
 * own count); its columns, and which have a validated IS NOT NULL check. */
struct column {
	char *name;
	char *type; /* last type name, "varchar", "text", ... */
	int length; /* varchar(n)'s n, -1 none */
	int notnull_checked;
	char *pending_check; /* a NOT VALID CHECK (col IS NOT NULL) */
};
struct table {
	char *name;
	size_t step;
	struct column *cols;
	size_t ncols;
};
/* A `SET` (session) not yet reset, for lint-session-set. */
struct pending_set {
	char *name;
	unsigned line, col;
};

struct ldr_pg_lint {
	int target;  /* postgresql:, 0 unknown */
	size_t step; /* 1-based, the step being read */
	const char *display;
	int transactional, lock_timeout, lock_warned;
	char **allow;
	size_t nallow;
	struct table *tables;
	size_t ntables;
	struct pending_set *sets;
	size_t nsets;
	char **enum_values; /* ADD VALUE'd in this step */
	size_t nenum;
	ldr_buf msg;
};

int ldr_pg_lint_new(ldr_pg_lint **out, int target)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return LADDER_ENOMEM;
	(*out)->target = target;
	return 0;
}

int ldr_pg_lint_code_known(const char *code)
{
	for (size_t i = 0; ldr_pg_lint_codes[i]; i++)
		if (!strcmp(code, ldr_pg_lint_codes[i]))
			return 1;
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void drop_table(struct table *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type);
		free(t->cols[i].pending_check);
	}
	free(t->cols);
	free(t->name);
}

static void step_reset(ldr_pg_lint *l)
{
	free_strings(l->allow, l->nallow);
	l->allow = NULL;
	l->nallow = 0;
	free_strings(l->enum_values, l->nenum);
	l->enum_values = NULL;
	l->nenum = 0;
	for (size_t i = 0; i < l->nsets; i++)
		free(l->sets[i].name);
	free(l->sets);
	l->sets = NULL;
	l->nsets = 0;
}

void ldr_pg_lint_free(ldr_pg_lint *l)
{
	if (!l)
		return;
	step_reset(l);
	for (size_t i = 0; i < l->ntables; i++)
		drop_table(&l->tables[i]);
	free(l->tables);
	ldr_buf_release(&l->msg);
	free(l);
}

int ldr_pg_lint_step(ldr_pg_lint *l, const char *display, int transactional,
		     int lock_timeout, const char *const *allow, size_t nallow)
{
	step_reset(l);
	l->step++;
	l->display = display;
	l->transactional = transactional;
	l->lock_timeout = lock_timeout;
	l->lock_warned = 0;
	if (nallow && !(l->allow = calloc(nallow, sizeof(char *))))
		return LADDER_ENOMEM;
	for (size_t i = 0; i < nallow; i++, l->nallow++)
		if (!(l->allow[i] = ldr_strdup(allow[i])))
			return LADDER_ENOMEM;
	return 0;
}

/* ---------------------------------------------------------- reporting -- */

static int allowed(const ldr_pg_lint *l, const char *code)
{
	for (size_t i = 0; i < l->nallow; i++)
		if (!strcmp(l->allow[i], code))
			return 1;
	return 0;
}

/* A warning `code` at line:col, or, when this migration's `lint: allow`
 * names it, a note `lint-allowed` (which validate -v shows). */
static int warn(ldr_pg_lint *l, ladder_diags *diags, const char *code,
		unsigned line, unsigned col, const char *fmt, ...)
	LDR_PRINTF(6, 7);

static int warn(ldr_pg_lint *l, ladder_diags *diags, const char *code,
		unsigned line, unsigned col, const char *fmt, ...)
{
	ldr_buf_reset(&l->msg);
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (allowed(l, code))
		return ldr_diag(diags, LADDER_SEV_NOTE, "lint-allowed",
				l->display, line, col,
				"%s silenced by this migration's 'lint: "
				"allow': %s",
				code, tmp);
	return ldr_diag(diags, LADDER_SEV_WARNING, code, l->display, line, col,
			"%s [%s]", tmp, code);
}

/* --------------------------------------------------------- catalogue -- */

static struct table *find_table(ldr_pg_lint *l, const char *name)
{
	for (size_t i = 0; name && i < l->ntables; i++)
		if (!strcmp(l->tables[i].name, name))
			return &l->tables[i];
	return NULL;
}

static struct column *find_column(struct table *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

/* The type of a ColumnDef / TypeName: its last name and varchar length. */
static void type_of(json_object *type_name, const char **name, int *length)
{
	json_object *names = ldr_pg_get(type_name, "names");
	size_t n = names ? json_object_array_length(names) : 0;
	*name = n ? ldr_pg_sval(json_object_array_get_idx(names, n - 1)) : NULL;
	*length = -1;
	json_object *mods = ldr_pg_get(type_name, "typmods");
	if (mods && json_object_array_length(mods) == 1) {
		json_object *c = ldr_pg_unwrap(
			json_object_array_get_idx(mods, 0), "A_Const");
		json_object *iv = ldr_pg_get(ldr_pg_get(c, "ival"), "ival");
		if (iv)
			*length = json_object_get_int(iv);
	}
}

static int add_column(struct table *t, json_object *coldef)
{
	const char *name = ldr_pg_str(coldef, "colname"), *type;
	int length;
	if (!name)
		return 0;
	type_of(ldr_pg_get(coldef, "typeName"), &type, &length);
	struct column *c = realloc(t->cols, (t->ncols + 1) * sizeof(*c));
	if (!c)
		return LADDER_ENOMEM;
	t->cols = c;
	c = &t->cols[t->ncols];
	memset(c, 0, sizeof(*c));
	c->length = length;
	if (!(c->name = ldr_strdup(name)) ||
	    (type && !(c->type = ldr_strdup(type)))) {
		free(c->name);
		return LADDER_ENOMEM;
	}
	t->ncols++;
	return 0;
}

static const char *relname(json_object *node, const char *key)
{
	return ldr_pg_str(ldr_pg_get(node, key), "relname");
}

/* CREATE TABLE: into the catalogue, as this step's. */
static int created(ldr_pg_lint *l, json_object *n)
{
	const char *name = relname(n, "relation");
	if (!name || find_table(l, name))
		return 0;
	struct table *t = realloc(l->tables, (l->ntables + 1) * sizeof(*t));
	if (!t)
		return LADDER_ENOMEM;
	l->tables = t;
	t = &l->tables[l->ntables];
	memset(t, 0, sizeof(*t));
	if (!(t->name = ldr_strdup(name)))
		return LADDER_ENOMEM;
	t->step = l->step;
	l->ntables++;
	json_object *elts = ldr_pg_get(n, "tableElts");
	size_t k = elts ? json_object_array_length(elts) : 0;
	for (size_t i = 0; i < k; i++) {
		json_object *cd = ldr_pg_unwrap(
			json_object_array_get_idx(elts, i), "ColumnDef");
		if (cd && add_column(t, cd))
			return LADDER_ENOMEM;
	}
	return 0;
}

/* A table this step created: it is new and empty, and no one else sees it
 * before the step commits, so most rules do not apply to it. */
static int new_here(ldr_pg_lint *l, const char *name)
{
	struct table *t = find_table(l, name);
	return t && t->step == l->step;
}

/* A table an earlier step created. */
static int from_earlier(ldr_pg_lint *l, const char *name)
{
	struct table *t = find_table(l, name);
	return t && t->step < l->step;
}

/* --------------------------------------------------------- tree walks -- */

static const char *const volatile_funcs[] = {"random",
					     "gen_random_uuid",
					     "uuid_generate_v1",
					     "uuid_generate_v4",
					     "clock_timestamp",
					     "timeofday",
					     "nextval",
					     "txid_current",
					     "statement_timestamp",
					     NULL};

/* Whether the expression calls a volatile function (by name). */
static int calls_volatile(json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (calls_volatile(json_object_array_get_idx(o, i)))
				return 1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	json_object *f = ldr_pg_unwrap(o, "FuncCall");
	if (f) {
		json_object *names = ldr_pg_get(f, "funcname");
		size_t n = names ? json_object_array_length(names) : 0;
		const char *fn =
			n ? ldr_pg_sval(json_object_array_get_idx(names, n - 1))
			  : NULL;
		for (size_t i = 0; fn && volatile_funcs[i]; i++)
			if (!strcasecmp(fn, volatile_funcs[i]))
				return 1;
	}
	json_object_object_foreach(o, k, v)
	{
		(void)k;
		if (calls_volatile(v))
			return 1;
	}
	return 0;
}

/* Whether the tree holds the string constant `s`. */
static int has_string(json_object *o, const char *s)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (has_string(json_object_array_get_idx(o, i), s))
				return 1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	const char *v = ldr_pg_str(
		ldr_pg_get(ldr_pg_unwrap(o, "A_Const"), "sval"), "sval");
	if (v && !strcmp(v, s))
		return 1;
	json_object_object_foreach(o, k, val)
	{
		(void)k;
		if (has_string(val, s))
			return 1;
	}
	return 0;
}

/* CHECK (col IS NOT NULL): the column, else NULL. */
static const char *not_null_check_column(json_object *con)
{
	json_object *t = ldr_pg_unwrap(ldr_pg_get(con, "raw_expr"), "NullTest");
	const char *kind = ldr_pg_str(t, "nulltesttype");
	if (!kind || strcmp(kind, "IS_NOT_NULL"))
		return NULL;
	json_object *f = ldr_pg_get(
		ldr_pg_unwrap(ldr_pg_get(t, "arg"), "ColumnRef"), "fields");
	size_t n = f ? json_object_array_length(f) : 0;
	return n ? ldr_pg_sval(json_object_array_get_idx(f, n - 1)) : NULL;
}

/* -------------------------------------------------------------- rules -- */

/* ALTER TABLE's subcommands. */
static int alter_table(ldr_pg_lint *l, json_object *n, unsigned line,
		       unsigned col, ladder_diags *diags)
{
	const char *tab = relname(n, "relation");
	if (new_here(l, tab))
		return 0;
	struct table *known = find_table(l, tab);
	json_object *cmds = ldr_pg_get(n, "cmds");
	size_t k = cmds ? json_object_array_length(cmds) : 0;
	int rc = 0;
	for (size_t i = 0; i < k && !rc; i++) {
		json_object *c = ldr_pg_unwrap(
			json_object_array_get_idx(cmds, i), "AlterTableCmd");
		const char *sub = ldr_pg_str(c, "subtype");
		const char *name = ldr_pg_str(c, "name");
		json_object *def = ldr_pg_get(c, "def");
		json_object *con = ldr_pg_unwrap(def, "Constraint");
		const char *ct = ldr_pg_str(con, "contype");
		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddConstraint") && ct) {
			int nv = ldr_pg_bool(con, "skip_validation");
			if (!strcmp(ct, "CONSTR_FOREIGN") && !nv)
				rc = warn(l, diags,
					  "lint-foreign-key-not-valid", line,
					  col,
					  "ADD FOREIGN KEY on '%s' without NOT "
					  "VALID checks every row while it "
					  "blocks writes to both tables; add "
					  "it NOT VALID, then VALIDATE "
					  "CONSTRAINT in a later step",
					  tab);
			else if (!strcmp(ct, "CONSTR_CHECK") && !nv)
				rc = warn(l, diags, "lint-check-not-valid",
					  line, col,
					  "ADD CHECK on '%s' without NOT VALID "
					  "scans the table under an ACCESS "
					  "EXCLUSIVE lock; add it NOT VALID, "
					  "then VALIDATE CONSTRAINT in a later "
					  "step",
					  tab);
			else if ((!strcmp(ct, "CONSTR_PRIMARY") ||
				  !strcmp(ct, "CONSTR_UNIQUE")) &&
				 !ldr_pg_str(con, "indexname"))
				rc = warn(l, diags, "lint-unique-without-index",
					  line, col,
					  "ADD %s on '%s' builds its index "
					  "under an ACCESS EXCLUSIVE lock; "
					  "CREATE UNIQUE INDEX CONCURRENTLY "
					  "first, then ADD ... USING INDEX",
					  !strcmp(ct, "CONSTR_PRIMARY")
						  ? "PRIMARY KEY"
						  : "UNIQUE",
					  tab);
			const char *nn = !strcmp(ct, "CONSTR_CHECK")
						 ? not_null_check_column(con)
						 : NULL;
			struct column *cc = find_column(known, nn);
			const char *cname = ldr_pg_str(con, "conname");
			if (cc && !nv)
				cc->notnull_checked = 1;
			else if (cc && cname) {
				free(cc->pending_check);
				if (!(cc->pending_check = ldr_strdup(cname)))
					rc = LADDER_ENOMEM;
			}
		} else if (!strcmp(sub, "AT_ValidateConstraint") && known &&
			   name) {
			for (size_t j = 0; j < known->ncols; j++)
				if (known->cols[j].pending_check &&
				    !strcmp(known->cols[j].pending_check, name))
					known->cols[j].notnull_checked = 1;
		} else if (!strcmp(sub, "AT_SetNotNull")) {
			struct column *cc = find_column(known, name);
			if (l->target && l->target < 12)
				rc = warn(l, diags, "lint-set-not-null", line,
					  col,
					  "SET NOT NULL on '%s.%s' scans the "
					  "whole table under an ACCESS "
					  "EXCLUSIVE lock, and before "
					  "PostgreSQL 12 no CHECK avoids it",
					  tab, name ? name : "?");
			else if (!cc || !cc->notnull_checked)
				rc = warn(
					l, diags, "lint-set-not-null", line,
					col,
					"SET NOT NULL on '%s.%s' scans the "
					"whole table under an ACCESS "
					"EXCLUSIVE lock; first ADD CONSTRAINT "
					"... CHECK (%s IS NOT NULL) NOT "
					"VALID and VALIDATE it in an earlier "
					"step",
					tab, name ? name : "?",
					name ? name : "col");
		} else if (!strcmp(sub, "AT_AlterColumnType")) {
			struct column *cc = find_column(known, name);
			const char *to;
			int len;
			type_of(ldr_pg_get(ldr_pg_unwrap(def, "ColumnDef"),
					   "typeName"),
				&to, &len);
			int widening =
				cc && cc->type && to &&
				(!strcmp(cc->type, "varchar") ||
				 !strcmp(cc->type, "text")) &&
				(!strcmp(to, "text") ||
				 (!strcmp(to, "varchar") &&
				  (len < 0 ||
				   (!strcmp(cc->type, "varchar") &&
				    cc->length >= 0 && len >= cc->length))));
			if (!widening)
				rc = warn(l, diags, "lint-column-type-rewrite",
					  line, col,
					  "ALTER COLUMN '%s.%s' TYPE %s may "
					  "rewrite the table and its indexes "
					  "under an ACCESS EXCLUSIVE lock; add "
					  "a new column, backfill it in "
					  "batches, then swap",
					  tab, name ? name : "?",
					  to ? to : "?");
			else if (cc) {
				free(cc->type);
				cc->type = ldr_strdup(to);
				cc->length = len;
			}
		} else if (!strcmp(sub, "AT_AddColumn")) {
			json_object *cd = ldr_pg_unwrap(def, "ColumnDef");
			json_object *cons = ldr_pg_get(cd, "constraints");
			const char *type;
			int len;
			type_of(ldr_pg_get(cd, "typeName"), &type, &len);
			int serial = type && strstr(type, "serial");
			json_object *dflt = NULL;
			size_t m = cons ? json_object_array_length(cons) : 0;
			for (size_t j = 0; j < m; j++) {
				json_object *cn = ldr_pg_unwrap(
					json_object_array_get_idx(cons, j),
					"Constraint");
				const char *t = ldr_pg_str(cn, "contype");
				if (t && !strcmp(t, "CONSTR_DEFAULT"))
					dflt = ldr_pg_get(cn, "raw_expr");
			}
			const char *cn = ldr_pg_str(cd, "colname");
			if ((dflt || serial) && l->target && l->target < 11)
				rc = warn(l, diags, "lint-add-column-default",
					  line, col,
					  "ADD COLUMN '%s' with a default "
					  "rewrites '%s' before PostgreSQL 11; "
					  "add the column without one, set the "
					  "default, backfill in batches",
					  cn ? cn : "?", tab);
			else if (serial || (dflt && calls_volatile(dflt)))
				rc = warn(l, diags, "lint-add-column-default",
					  line, col,
					  "ADD COLUMN '%s' with a volatile "
					  "default rewrites '%s' under an "
					  "ACCESS EXCLUSIVE lock; add the "
					  "column without it, set the default, "
					  "backfill in batches",
					  cn ? cn : "?", tab);
			if (!rc && known && cd)
				rc = add_column(known, cd);
		} else if (!strcmp(sub, "AT_DropColumn") &&
			   from_earlier(l, tab)) {
			rc = warn(l, diags, "lint-drop", line, col,
				  "dropping column '%s.%s', which an earlier "
				  "step created, breaks the code still "
				  "reading it; stop using it in a release "
				  "first, then drop it",
				  tab, name ? name : "?");
		}
	}
	return rc;
}

/* The table a DROP TABLE names first. */
static const char *dropped_table(json_object *n)
{
	json_object *objs = ldr_pg_get(n, "objects");
	json_object *names = ldr_pg_get(
		ldr_pg_get(objs ? json_object_array_get_idx(objs, 0) : NULL,
			   "List"),
		"items");
	size_t m = names ? json_object_array_length(names) : 0;
	return m ? ldr_pg_sval(json_object_array_get_idx(names, m - 1)) : NULL;
}

/* Whether a statement takes ACCESS EXCLUSIVE on a table this step did not
 * create. */
static int access_exclusive(ldr_pg_lint *l, const char *type, json_object *n)
{
	if (!strcmp(type, "AlterTableStmt"))
		return !new_here(l, relname(n, "relation"));
	if (!strcmp(type, "RenameStmt"))
		return !new_here(l, relname(n, "relation"));
	if (!strcmp(type, "TruncateStmt") || !strcmp(type, "ClusterStmt"))
		return 1;
	if (!strcmp(type, "DropStmt")) {
		const char *o = ldr_pg_str(n, "removeType");
		return o && !ldr_pg_bool(n, "concurrent") &&
		       (!strcmp(o, "OBJECT_TABLE") ||
			!strcmp(o, "OBJECT_INDEX")) &&
		       !(!strcmp(o, "OBJECT_TABLE") &&
			 new_here(l, dropped_table(n)));
	}
	if (!strcmp(type, "LockStmt")) {
		json_object *m = ldr_pg_get(n, "mode");
		return !m || json_object_get_int(m) == 8;
	}
	if (!strcmp(type, "VacuumStmt"))
		return ldr_pg_bool(n, "is_vacuumcmd") &&
		       ldr_pg_get(n, "options") &&
		       strstr(json_object_to_json_string(
				      ldr_pg_get(n, "options")),
			      "\"full\"");
	return 0;
}

static int has_defelem(json_object *list, const char *name)
{
	size_t n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = ldr_pg_str(
			ldr_pg_unwrap(json_object_array_get_idx(list, i),
				      "DefElem"),
			"defname");
		if (d && !strcasecmp(d, name))
			return 1;
	}
	return 0;
}

static int lint_tree(ldr_pg_lint *l, const char *type, json_object *n,
		     unsigned line, unsigned col, ladder_diags *diags)
{
	int rc = 0;
	/* a value this step added to an enum, used before the commit */
	for (size_t i = 0; i < l->nenum && !rc; i++)
		if (has_string(n, l->enum_values[i]))
			rc = warn(l, diags, "lint-enum-value-used", line, col,
				  "'%s' was added to its enum by ALTER TYPE "
				  "... ADD VALUE in this step, and cannot be "
				  "used before that commits; use it in a later "
				  "step",
				  l->enum_values[i]);
	if (!rc && !l->lock_timeout && !l->lock_warned &&
	    access_exclusive(l, type, n)) {
		l->lock_warned = 1;
		rc = warn(l, diags, "lint-lock-timeout", line, col,
			  "this statement takes an ACCESS EXCLUSIVE lock with "
			  "no lock_timeout: queued behind a long transaction "
			  "it blocks every query of the table; SET LOCAL "
			  "lock_timeout first (and retry)");
	}
	if (rc)
		return rc;
	if (!strcmp(type, "CreateStmt"))
		return created(l, n);
	if (!strcmp(type, "IndexStmt")) {
		const char *tab = relname(n, "relation");
		if (!ldr_pg_bool(n, "concurrent") && !new_here(l, tab))
			rc = warn(l, diags, "lint-index-not-concurrent", line,
				  col,
				  "CREATE INDEX on '%s' without CONCURRENTLY "
				  "blocks writes to it until the index is "
				  "built; use CREATE INDEX CONCURRENTLY in a "
				  "'transaction: false' step",
				  tab ? tab : "?");
		return rc;
	}
	if (!strcmp(type, "AlterTableStmt"))
		return alter_table(l, n, line, col, diags);
	if (!strcmp(type, "RenameStmt")) {
		const char *tab = relname(n, "relation");
		const char *rt = ldr_pg_str(n, "renameType");
		struct table *t = find_table(l, tab);
		if (rt && from_earlier(l, tab) &&
		    (!strcmp(rt, "OBJECT_TABLE") ||
		     !strcmp(rt, "OBJECT_COLUMN")))
			rc = warn(l, diags, "lint-rename", line, col,
				  "renaming %s '%s%s%s', which an earlier "
				  "step created, breaks the code still using "
				  "the old name; add the new one beside it "
				  "and move the code over first",
				  !strcmp(rt, "OBJECT_TABLE") ? "table"
							      : "column",
				  tab, !strcmp(rt, "OBJECT_TABLE") ? "" : ".",
				  !strcmp(rt, "OBJECT_TABLE")
					  ? ""
					  : ldr_pg_str(n, "subname"));
		const char *nn = ldr_pg_str(n, "newname");
		if (!rc && t && nn && rt && !strcmp(rt, "OBJECT_TABLE")) {
			char *d = ldr_strdup(nn);
			if (!d)
				return LADDER_ENOMEM;
			free(t->name);
			t->name = d;
		}
		return rc;
	}
	if (!strcmp(type, "DropStmt")) {
		const char *o = ldr_pg_str(n, "removeType");
		json_object *objs = ldr_pg_get(n, "objects");
		size_t k = objs ? json_object_array_length(objs) : 0;
		for (size_t i = 0;
		     o && !strcmp(o, "OBJECT_TABLE") && i < k && !rc; i++) {
			json_object *names = ldr_pg_get(
				ldr_pg_get(json_object_array_get_idx(objs, i),
					   "List"),
				"items");
			size_t m = names ? json_object_array_length(names) : 0;
			const char *tab =
				m ? ldr_pg_sval(json_object_array_get_idx(
					    names, m - 1))
				  : NULL;
			if (from_earlier(l, tab))
				rc = warn(l, diags, "lint-drop", line, col,
					  "dropping table '%s', which an "
					  "earlier step created, breaks the "
					  "code still using it; stop using it "
					  "in a release first, then drop it",
					  tab);
		}
		return rc;
	}
	if (!strcmp(type, "VacuumStmt")) {
		if (has_defelem(ldr_pg_get(n, "options"), "full"))
			rc = warn(l, diags, "lint-vacuum-full", line, col,
				  "VACUUM FULL rewrites the table under an "
				  "ACCESS EXCLUSIVE lock; plain VACUUM, or "
				  "pg_repack, keeps it online");
		return rc;
	}
	if (!strcmp(type, "ClusterStmt"))
		return warn(l, diags, "lint-cluster", line, col,
			    "CLUSTER rewrites the table under an ACCESS "
			    "EXCLUSIVE lock; pg_repack orders it online");
	if (!strcmp(type, "ReindexStmt")) {
		if (!has_defelem(ldr_pg_get(n, "params"), "concurrently"))
			rc = warn(l, diags, "lint-reindex-not-concurrent", line,
				  col,
				  l->target && l->target < 12
					  ? "REINDEX blocks writes (and reads "
					    "through the index) while it "
					    "runs; before PostgreSQL 12, "
					    "build a new index CONCURRENTLY "
					    "and drop the old one"
					  : "REINDEX blocks writes (and reads "
					    "through the index) while it "
					    "runs; use REINDEX CONCURRENTLY "
					    "in a 'transaction: false' step");
		return rc;
	}
	if (!strcmp(type, "VariableSetStmt")) {
		const char *kind = ldr_pg_str(n, "kind");
		const char *name = ldr_pg_str(n, "name");
		if (name && !strcmp(name, "lock_timeout"))
			l->lock_timeout = 1;
		if (kind && !strcmp(kind, "VAR_RESET_ALL")) {
			for (size_t i = 0; i < l->nsets; i++)
				free(l->sets[i].name);
			l->nsets = 0;
		} else if (kind && !strcmp(kind, "VAR_RESET") && name) {
			for (size_t i = 0; i < l->nsets; i++)
				if (!strcmp(l->sets[i].name, name)) {
					free(l->sets[i].name);
					l->sets[i] = l->sets[--l->nsets];
					i--;
				}
		} else if (name && !ldr_pg_bool(n, "is_local") &&
			   strncmp(name, "transaction", 11)) {
			struct pending_set *s =
				realloc(l->sets, (l->nsets + 1) * sizeof(*s));
			if (!s)
				return LADDER_ENOMEM;
			l->sets = s;
			s[l->nsets].line = line;
			s[l->nsets].col = col;
			if (!(s[l->nsets].name = ldr_strdup(name)))
				return LADDER_ENOMEM;
			l->nsets++;
		}
		return 0;
	}
	if (!strcmp(type, "AlterEnumStmt") && ldr_pg_str(n, "newVal")) {
		char **v = realloc(l->enum_values, (l->nenum + 1) * sizeof(*v));
		if (!v)
			return LADDER_ENOMEM;
		l->enum_values = v;
		if (!(v[l->nenum] = ldr_strdup(ldr_pg_str(n, "newVal"))))
			return LADDER_ENOMEM;
		l->nenum++;
	}
	return 0;
}

int ldr_pg_lint_stmt(void *ctx, const char *sql, size_t len, unsigned line,
		     unsigned col, const char *display, ladder_diags *diags)
{
	(void)len;
	ldr_pg_lint *l = ctx;
	ldr_pg_stmt st;
	ldr_buf_reset(&l->msg);
	int rc = ldr_pg_parse(&st, sql, &l->msg);
	if (rc == 1 || rc == 2) {
		unsigned el = line, ec = col;
		if (st.bad_offset != SIZE_MAX)
			ldr_sql_position(sql, st.bad_offset, line, col, &el,
					 &ec);
		if (rc == 1 && l->target > ldr_pg_grammar_major) {
			rc = ldr_diag(diags, LADDER_SEV_WARNING,
				      "sql-syntax-newer", display, el, ec,
				      "%s; PostgreSQL %d may accept it (the "
				      "manifest's 'postgresql: %d' is newer "
				      "than the grammar ladder ships)",
				      l->msg.data, l->target, l->target)
				     ? LADDER_ENOMEM
				     : 2;
		} else {
			rc = ldr_error(diags, "sql-syntax", display, el, ec,
				       "%s", l->msg.data)
				     ? LADDER_ENOMEM
				     : 1;
		}
		goto out;
	}
	if (rc || !st.type)
		goto out;
	/* ALTER TYPE ... ADD VALUE could not run in a transaction block
	 * before PostgreSQL 12. */
	if (!strcmp(st.type, "AlterEnumStmt") && l->transactional &&
	    l->target && l->target < 12 && ldr_pg_str(st.node, "newVal")) {
		char whose[48];
		snprintf(whose, sizeof(whose),
			 "the manifest's 'postgresql: %d'", l->target);
		ldr_buf_reset(&l->msg);
		rc = ldr_pg_add_value_explain(&l->msg, whose);
		if (!rc)
			rc = ldr_error(diags, "needs-no-transaction", display,
				       line, col, "%s", l->msg.data)
				     ? LADDER_ENOMEM
				     : 1;
		goto out;
	}
	rc = lint_tree(l, st.type, st.node, line, col, diags);
out:
	ldr_pg_stmt_free(&st);
	return rc;
}

int ldr_pg_lint_step_end(ldr_pg_lint *l, ladder_diags *diags)
{
	int rc = 0;
	for (size_t i = 0; i < l->nsets && !rc; i++)
		rc = warn(l, diags, "lint-session-set", l->sets[i].line,
			  l->sets[i].col,
			  "SET %s lasts for the session: it leaks into every "
			  "later step on this connection; use SET LOCAL, or "
			  "RESET it at the end of the step",
			  l->sets[i].name);
	step_reset(l);
	return rc;
}
