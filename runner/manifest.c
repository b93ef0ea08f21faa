/*
 * manifest.c — the manifest object: the list of migrations a reader built,
 * its accessors (ladder.h), and the builder API the readers use
 * (internal.h): manifest_yaml.c for manifest.yaml, embedded.c for
 * migrations compiled into the application. The rules a manifest must
 * follow live with the readers, not here.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "internal.h"

/* One migration: the public view, and the one allocation its strings live
 * in (so the view stays valid when the array grows). */
struct entry {
	ladder_migration pub;
	char *blob;
};

struct ladder_manifest {
	char *path;	/* as given */
	char *table;	/* bookkeeping table */
	char *database; /* joined to the manifest's directory, or NULL */
	char *schema;	/* `schema:`, or NULL */
	const struct ldr_dialect *dialect; /* `engine:` */
	struct entry *items;
	size_t count;
	size_t cap;
	size_t errors;
	int ordered;	    /* ids strictly increasing: find may bisect */
	int checksums_only; /* loaded with LADDER_LOAD_CHECKSUMS_ONLY */
};

void ladder_manifest_free(ladder_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->count; i++)
		free(m->items[i].blob);
	free(m->items);
	free(m->path);
	free(m->table);
	free(m->database);
	free(m->schema);
	free(m);
}

size_t ladder_manifest_count(const ladder_manifest *m)
{
	return m ? m->count : 0;
}

const ladder_migration *ladder_manifest_get(const ladder_manifest *m, size_t i)
{
	return m && i < m->count ? &m->items[i].pub : NULL;
}

/* Bisects while the ids are strictly increasing; after id errors (when
 * they may not be), looks at every entry and returns the first match. */
const ladder_migration *ladder_manifest_find(const ladder_manifest *m,
					     int64_t id)
{
	if (!m)
		return NULL;
	if (!m->ordered) {
		for (size_t i = 0; i < m->count; i++)
			if (m->items[i].pub.id == id)
				return &m->items[i].pub;
		return NULL;
	}
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t v = m->items[mid].pub.id;
		if (v == id)
			return &m->items[mid].pub;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *ladder_manifest_table(const ladder_manifest *m)
{
	return m ? m->table : NULL;
}

const char *ladder_manifest_database(const ladder_manifest *m)
{
	return m ? m->database : NULL;
}

const char *ladder_manifest_engine(const ladder_manifest *m)
{
	return ldr_manifest_dialect(m)->name;
}

const char *ladder_manifest_schema(const ladder_manifest *m)
{
	return m ? m->schema : NULL;
}

const struct ldr_dialect *ldr_manifest_dialect(const ladder_manifest *m)
{
	return m && m->dialect ? m->dialect : &ldr_dialect_sqlite;
}

void ldr_manifest_set_dialect(ladder_manifest *m, const struct ldr_dialect *d)
{
	assert(m && d);
	m->dialect = d;
}

int ldr_manifest_set_schema(ladder_manifest *m, const char *schema)
{
	assert(m);
	char *copy = NULL;
	if (schema && !(copy = ldr_strdup(schema)))
		return LADDER_ENOMEM;
	free(m->schema);
	m->schema = copy;
	return 0;
}

const char *ladder_manifest_path(const ladder_manifest *m)
{
	return m ? m->path : NULL;
}

size_t ladder_manifest_errors(const ladder_manifest *m)
{
	return m ? m->errors : 0;
}

int ldr_manifest_new(ladder_manifest **out, const char *path, const char *table)
{
	assert(out && path);
	*out = NULL;
	ladder_manifest *m = calloc(1, sizeof(*m));
	if (!m || !(m->path = ldr_strdup(path)) ||
	    !(m->table = ldr_strdup(table ? table : "schema_migrations"))) {
		ladder_manifest_free(m);
		return LADDER_ENOMEM;
	}
	m->ordered = 1;
	*out = m;
	return 0;
}

int ldr_manifest_add(ladder_manifest *m, const ladder_migration *mig)
{
	assert(m && mig);
	assert(mig->name && mig->file && mig->path && mig->checksum);
	assert(!mig->down == !mig->down_path);
	const char *parts[] = {mig->name,     mig->file, mig->path,
			       mig->checksum, mig->down, mig->down_path};
	size_t off[6], nparts = mig->down ? 6 : 4;
	ldr_buf b = LDR_BUF_INIT;
	for (size_t i = 0; i < nparts; i++) {
		off[i] = b.len;
		if (ldr_buf_add(&b, parts[i], strlen(parts[i]) + 1)) {
			ldr_buf_release(&b);
			return LADDER_ENOMEM;
		}
	}
	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct entry *items = realloc(m->items, cap * sizeof(*items));
		if (!items) {
			ldr_buf_release(&b);
			return LADDER_ENOMEM;
		}
		m->items = items;
		m->cap = cap;
	}
	char *blob = ldr_buf_detach(&b);
	m->items[m->count++] = (struct entry){
		.pub =
			{
				.id = mig->id,
				.name = blob + off[0],
				.file = blob + off[1],
				.path = blob + off[2],
				.checksum = blob + off[3],
				.down = mig->down ? blob + off[4] : NULL,
				.down_path = mig->down ? blob + off[5] : NULL,
				.transactional = mig->transactional,
				.foreign_keys_off = mig->foreign_keys_off,
				.line = mig->line,
				.text = mig->text,
				.text_len = mig->text_len,
				.down_text = mig->down_text,
				.down_text_len = mig->down_text_len,
				.lock_timeout_ms = mig->lock_timeout_ms,
				.statement_timeout_ms =
					mig->statement_timeout_ms,
				.retries = mig->retries,
			},
		.blob = blob,
	};
	/* Out of order (reported by the reader): find may no longer bisect. */
	if (m->count > 1 && m->items[m->count - 2].pub.id >= mig->id)
		m->ordered = 0;
	return 0;
}

int ldr_manifest_set_table(ladder_manifest *m, const char *table)
{
	assert(m && table);
	char *copy = ldr_strdup(table);
	if (!copy)
		return LADDER_ENOMEM;
	free(m->table);
	m->table = copy;
	return 0;
}

int ldr_manifest_set_database(ladder_manifest *m, const char *database)
{
	assert(m && database);
	char *copy = ldr_strdup(database);
	if (!copy)
		return LADDER_ENOMEM;
	free(m->database);
	m->database = copy;
	return 0;
}

void ldr_manifest_set_checksums_only(ladder_manifest *m)
{
	assert(m);
	m->checksums_only = 1;
}

void ldr_manifest_set_limits(ladder_manifest *m, int lock_timeout_ms,
			     int statement_timeout_ms, int retries)
{
	assert(m);
	for (size_t i = 0; i < m->count; i++) {
		ladder_migration *mig = &m->items[i].pub;
		int tx = mig->transactional;
		if (!mig->lock_timeout_ms && tx)
			mig->lock_timeout_ms = lock_timeout_ms;
		if (!mig->statement_timeout_ms && tx)
			mig->statement_timeout_ms = statement_timeout_ms;
		if (mig->retries < 0)
			mig->retries = tx && retries > 0 ? retries : 0;
	}
}

void ldr_manifest_add_errors(ladder_manifest *m, size_t n)
{
	assert(m);
	m->errors += n;
}

int ldr_manifest_checksums_only(const ladder_manifest *m)
{
	assert(m);
	return m->checksums_only;
}
