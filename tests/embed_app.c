/*
 * embed_app.c — a test application that migrates the database named on its
 * command line from migrations compiled in (`ladder embed`, at build time,
 * of tests/fixtures/embed-pg): what an application embedding ladder for
 * PostgreSQL does. tests/pg/t290-embedded-pg.sh runs it.
 */
#include <inttypes.h>
#include <ladder.h>
#include <stdio.h>

extern const ladder_embedded ladder_migrations;

static void on_event(const ladder_event *ev, void *ctx)
{
	(void)ctx;
	if (ev->kind == LADDER_EVENT_DONE)
		printf("migrated: %" PRId64 " %s\n", ev->migration->id,
		       ev->migration->name);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: embed_app TARGET\n");
		return 2;
	}
	ladder_diags *diags = NULL;
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	int rc = ladder_diags_new(&diags);
	if (!rc)
		rc = ladder_manifest_from_embedded(&m, &ladder_migrations,
						   diags);
	if (!rc)
		rc = ladder_db_open_for(&db, argv[1], m, LADDER_OPEN_WRITE,
					diags);
	if (!rc) {
		ladder_up_options opts = LADDER_UP_OPTIONS_INIT;
		opts.on_event = on_event;
		rc = ladder_up(db, m, &opts, diags);
	}
	for (size_t i = 0; i < ladder_diags_count(diags); i++) {
		const ladder_diag *d = ladder_diags_get(diags, i);
		fprintf(stderr, "%s:%u:%u: %s [%s]\n", d->file ? d->file : "-",
			d->line, d->column, d->message, d->code);
	}
	if (rc)
		fprintf(stderr, "migration failed: %s\n", ladder_strerror(rc));
	ladder_db_free(db);
	ladder_manifest_free(m);
	ladder_diags_free(diags);
	return rc ? 1 : 0;
}
