/*
 * embedded.c — a manifest from migrations compiled into the application
 * (see `ladder embed`), checked by the same rules as one read from YAML
 * and files, so ladder_up and the rest take it unchanged.
 */
#include <inttypes.h>
#include <string.h>

#include "dialect.h"
#include "internal.h"

/* A step's limits (version 2), checked by the manifest's rules: each
 * timeout -1 (off), 0 (unset) or up to a day, retries 0 to 10, none on a
 * step that runs outside ladder's transaction, and none on SQLite. */
static void embedded_limits(const ladder_embedded_limits *l,
			    const ladder_embedded_migration *em,
			    const struct ldr_dialect *d, const char *file,
			    ladder_migration *mig, ladder_diags *diags)
{
	if (!l)
		return;
	int any = l->lock_timeout_ms || l->statement_timeout_ms || l->retries;
	if (any && d == &ldr_dialect_sqlite)
		ldr_error(diags, "unsupported", file, 0, 0,
			  "migration %" PRId64 ": timeouts and retries are "
			  "PostgreSQL's; SQLite has none",
			  em->id);
	else if (l->lock_timeout_ms < -1 ||
		 l->lock_timeout_ms > LDR_MAX_TIMEOUT_MS ||
		 l->statement_timeout_ms < -1 ||
		 l->statement_timeout_ms > LDR_MAX_TIMEOUT_MS ||
		 l->retries < 0 || l->retries > LDR_MAX_RETRIES)
		ldr_error(diags, "usage", file, 0, 0,
			  "migration %" PRId64 ": a timeout must be -1, 0 or "
			  "up to %d ms and retries 0 to %d",
			  em->id, LDR_MAX_TIMEOUT_MS, LDR_MAX_RETRIES);
	else if (!em->transactional && any)
		ldr_error(
			diags, "unsupported", file, 0, 0,
			"migration %" PRId64 ": timeouts and retries live in "
			"ladder's transaction, and this step runs without one",
			em->id);
	mig->lock_timeout_ms = l->lock_timeout_ms;
	mig->statement_timeout_ms = l->statement_timeout_ms;
	mig->retries = l->retries;
}

int ladder_manifest_from_embedded(ladder_manifest **out,
				  const ladder_embedded *e, ladder_diags *diags)
{
	*out = NULL;
	if (!e || e->version < 1 || e->version > LADDER_EMBEDDED_VERSION) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "embedded migrations of version %u, not 1 to %u",
			  e ? e->version : 0, LADDER_EMBEDDED_VERSION);
		return LADDER_EUSAGE;
	}
	const char *table = e->table ? e->table : "schema_migrations";
	ladder_manifest *m = NULL;
	ladder_diags *own = NULL;
	int rc = ldr_manifest_new(&m, "(embedded)", table);
	/* The errors are counted in the list, so keep one even when the
	 * caller does not want them. */
	if (!rc && !diags && !(rc = ladder_diags_new(&own)))
		diags = own;
	if (rc) {
		ladder_manifest_free(m);
		return rc;
	}
	size_t errors = ladder_diags_errors(diags);
	const struct ldr_dialect *d = ldr_engine_dialect(
		e->version >= 2 ? e->engine : NULL, "(embedded)", diags);
	const char *schema = e->version >= 2 ? e->schema : NULL;
	const char *why = NULL;
	if (d)
		ldr_manifest_set_dialect(m, d);
	else
		d = &ldr_dialect_sqlite; /* reported; the files still checked */
	if (d->table_name_ok(table, &why))
		ldr_error(diags, "table", "(embedded)", 0, 0,
			  "table name '%.80s' %s", table, why);
	if (schema && d == &ldr_dialect_sqlite)
		ldr_error(diags, "schema", "(embedded)", 0, 0,
			  "a schema is PostgreSQL's; SQLite has none");
	else if (schema && ldr_schema_name_ok(schema, &why))
		ldr_error(diags, "schema", "(embedded)", 0, 0,
			  "schema name '%.80s' %s", schema, why);
	else if (schema && (rc = ldr_manifest_set_schema(m, schema)))
		goto fail;
	for (size_t i = 0; i < e->count; i++) {
		const ladder_embedded_migration *em = &e->migrations[i];
		const char *file = em->file ? em->file : "(embedded)";
		if (i && em->id <= e->migrations[i - 1].id)
			ldr_error(diags, "id-order", file, 0, 0,
				  "id %" PRId64 " is not greater than the "
				  "previous id %" PRId64,
				  em->id, e->migrations[i - 1].id);
		if (em->id < 1)
			ldr_error(diags, "id", file, 0, 0,
				  "id %" PRId64 " must be at least 1", em->id);
		if ((!em->sql && em->sql_len) || (!em->down && em->down_len))
			ldr_error(diags, "usage", file, 0, 0,
				  "migration %" PRId64 " has a length but no "
				  "SQL",
				  em->id);
		if (!em->name || !*em->name || strpbrk(em->name, "\r\n"))
			ldr_error(diags, "name", file, 0, 0,
				  "migration %" PRId64 " needs a one-line name",
				  em->id);
		if (em->foreign_keys_off && !(d->caps & LDR_CAP_FK_OFF))
			ldr_error(diags, "unsupported", file, 0, 0,
				  "migration %" PRId64 ": 'foreign_keys: off' "
				  "is SQLite's table rebuild procedure; %s "
				  "alters tables in place",
				  em->id, d->name);
		ldr_sqlinfo info;
		int scan = (em->transactional ? LDR_SCAN_TX : 0) |
			   (em->foreign_keys_off ? LDR_SCAN_FK_OFF : 0);
		ldr_sqlfile_scan_mem(d, em->sql ? em->sql : "",
				     em->sql ? em->sql_len : 0, file, scan,
				     &info, diags);
		if (em->down) {
			ldr_sqlinfo down;
			ldr_sqlfile_scan_mem(d, em->down, em->down_len, file,
					     scan, &down, diags);
		}
		ladder_migration mig = {
			.id = em->id,
			.name = em->name ? em->name : "",
			.file = file,
			.path = file,
			.down = em->down ? file : NULL,
			.down_path = em->down ? file : NULL,
			.transactional = em->transactional,
			.foreign_keys_off = em->foreign_keys_off,
			.checksum = info.checksum,
			.text = em->sql ? em->sql : "",
			.text_len = em->sql ? em->sql_len : 0,
			.down_text = em->down,
			.down_text_len = em->down_len,
		};
		if (e->version >= 2 && e->limits)
			embedded_limits(&e->limits[i], em, d, file, &mig,
					diags);
		if ((rc = ldr_manifest_add(m, &mig)))
			goto fail;
	}
	size_t found = ladder_diags_errors(diags) - errors;
	ldr_manifest_add_errors(m, found);
	ladder_diags_free(own);
	*out = m;
	return found ? LADDER_EINVALID : 0;
fail:
	ladder_manifest_free(m);
	ladder_diags_free(own);
	return rc;
}
