/*
 * app.c — an application that migrates its own database on start, through
 * libladder's public API only, from migrations compiled into the binary
 * (`ladder embed > migrations.c`). Run it twice: the first run applies the
 * steps, the second finds nothing to do.
 *
 *   ladder embed -m manifest.yaml > migrations.c
 *   cc app.c migrations.c $(pkg-config --cflags --libs ladder sqlite3)
 *   ./a.out app.db
 */
#include <inttypes.h>
#include <ladder.h>
#include <sqlite3.h>
#include <stdio.h>

extern const ladder_embedded ladder_migrations;

static void show(const ladder_diags *diags)
{
	for (size_t i = 0; i < ladder_diags_count(diags); i++) {
		const ladder_diag *d = ladder_diags_get(diags, i);
		fprintf(stderr, "%s:%u: %s\n", d->file ? d->file : "app",
			d->line, d->message);
	}
}

static void on_event(const ladder_event *ev, void *ctx)
{
	(void)ctx;
	if (ev->kind == LADDER_EVENT_DONE)
		printf("migrated: %" PRId64 " %s\n", ev->migration->id,
		       ev->migration->name);
}

/* Brings the database to the schema this build ships; 0 on success. */
static int migrate(sqlite3 *handle)
{
	ladder_diags *diags = NULL;
	ladder_manifest *m = NULL;
	ladder_db *db = NULL;
	int rc = ladder_diags_new(&diags);
	if (!rc)
		rc = ladder_manifest_from_embedded(&m, &ladder_migrations,
						   diags);
	if (!rc)
		rc = ladder_db_adopt_sqlite(&db, handle, NULL, diags);
	if (!rc) {
		ladder_up_options opts = LADDER_UP_OPTIONS_INIT;
		opts.on_event = on_event;
		rc = ladder_up(db, m, &opts, diags);
	}
	if (rc) {
		fprintf(stderr, "migration failed: %s\n", ladder_strerror(rc));
		show(diags);
	}
	ladder_db_free(db);
	ladder_manifest_free(m);
	ladder_diags_free(diags);
	return rc;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "app.db";
	sqlite3 *handle = NULL;
	if (sqlite3_open(path, &handle) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", path);
		return 1;
	}
	sqlite3_busy_timeout(handle, 5000);
	int rc = migrate(handle);
	if (!rc) {
		/* The application carries on with its own work. */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(handle,
				       "SELECT count(*) FROM schema_migrations",
				       -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			printf("ready: %d migrations applied\n",
			       sqlite3_column_int(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(handle);
	return rc ? 1 : 0;
}
