/*
 * embedded.c — a manifest from migrations compiled into the application
 * (see `ladder embed`), checked by the same rules as one read from YAML
 * and files, so ladder_up and the rest take it unchanged.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"

int ladder_manifest_from_embedded(ladder_manifest **out,
				  const ladder_embedded *e, ladder_diags *diags)
{
	*out = NULL;
	if (!e || e->version != LADDER_EMBEDDED_VERSION) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "embedded migrations of version %u, not %u",
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
	if (ldr_table_name_ok(table))
		ldr_error(diags, "table", "(embedded)", 0, 0,
			  "table name '%s' is not a plain SQL identifier",
			  table);
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
		ldr_sqlinfo info;
		int scan = (em->transactional ? LDR_SCAN_TX : 0) |
			   (em->foreign_keys_off ? LDR_SCAN_FK_OFF : 0);
		ldr_sqlfile_scan_mem(em->sql ? em->sql : "",
				     em->sql ? em->sql_len : 0, file, scan,
				     &info, diags);
		if (em->down) {
			ldr_sqlinfo down;
			ldr_sqlfile_scan_mem(em->down, em->down_len, file, scan,
					     &down, diags);
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
		if ((rc = ldr_manifest_add(m, &mig))) {
			ladder_manifest_free(m);
			ladder_diags_free(own);
			return rc;
		}
	}
	size_t found = ladder_diags_errors(diags) - errors;
	ldr_manifest_add_errors(m, found);
	ladder_diags_free(own);
	*out = m;
	return found ? LADDER_EINVALID : 0;
}
