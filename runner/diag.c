/*
 * diag.c — the diagnostic list every module reports into. The CLI renders
 * it as text or JSON; tests read it directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ladder_diags {
	ladder_diag *items;
	size_t count;
	size_t cap;
	size_t errors;
};

int ladder_diags_new(ladder_diags **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : LADDER_ENOMEM;
}

void ladder_diags_free(ladder_diags *diags)
{
	if (!diags)
		return;
	for (size_t i = 0; i < diags->count; i++) {
		free((char *)diags->items[i].file);
		free((char *)diags->items[i].message);
		free((char *)diags->items[i].sqlstate);
	}
	free(diags->items);
	free(diags);
}

size_t ladder_diags_count(const ladder_diags *diags)
{
	return diags ? diags->count : 0;
}

const ladder_diag *ladder_diags_get(const ladder_diags *diags, size_t i)
{
	return diags && i < diags->count ? &diags->items[i] : NULL;
}

size_t ladder_diags_errors(const ladder_diags *diags)
{
	return diags ? diags->errors : 0;
}

int ldr_diagv(ladder_diags *diags, ladder_severity sev, const char *code,
	      const char *file, unsigned line, unsigned column, const char *fmt,
	      va_list ap)
{
	if (!diags)
		return 0;
	if (diags->count == diags->cap) {
		size_t cap = diags->cap ? diags->cap * 2 : 8;
		ladder_diag *p = realloc(diags->items, cap * sizeof(*p));
		if (!p)
			return LADDER_ENOMEM;
		diags->items = p;
		diags->cap = cap;
	}
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *msg = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!msg)
		return LADDER_ENOMEM;
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	char *f = NULL;
	if (file && !(f = ldr_strdup(file))) {
		free(msg);
		return LADDER_ENOMEM;
	}
	diags->items[diags->count++] = (ladder_diag){
		.severity = sev,
		.code = code,
		.file = f,
		.line = line,
		.column = column,
		.message = msg,
	};
	if (sev == LADDER_SEV_ERROR)
		diags->errors++;
	return 0;
}

int ldr_diag_sqlstate(ladder_diags *diags, const char *sqlstate)
{
	if (!diags || !diags->count || !sqlstate)
		return 0;
	ladder_diag *d = &diags->items[diags->count - 1];
	char *copy = ldr_strdup(sqlstate);
	if (!copy)
		return LADDER_ENOMEM;
	free((char *)d->sqlstate);
	d->sqlstate = copy;
	return 0;
}

int ldr_diag(ladder_diags *diags, ladder_severity sev, const char *code,
	     const char *file, unsigned line, unsigned column, const char *fmt,
	     ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = ldr_diagv(diags, sev, code, file, line, column, fmt, ap);
	va_end(ap);
	return rc;
}

void ldr_diags_truncate(ladder_diags *diags, size_t count)
{
	while (diags && diags->count > count) {
		ladder_diag *d = &diags->items[--diags->count];
		if (d->severity == LADDER_SEV_ERROR)
			diags->errors--;
		free((char *)d->file);
		free((char *)d->message);
		free((char *)d->sqlstate);
	}
}

void ldr_diag_migration(ladder_diags *diags, int64_t id)
{
	if (diags && diags->count)
		diags->items[diags->count - 1].migration = id;
}

/* Orders by place; the report order (kept in `seq`) breaks ties, which
 * makes qsort stable. */
struct sortable {
	ladder_diag d;
	size_t seq;
};

static int diag_cmp(const void *a, const void *b)
{
	const struct sortable *x = a, *y = b;
	if (!x->d.file != !y->d.file)
		return x->d.file ? 1 : -1;
	int c = x->d.file ? strcmp(x->d.file, y->d.file) : 0;
	if (c)
		return c;
	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	if (x->d.column != y->d.column)
		return x->d.column < y->d.column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ladder_diags_sort(ladder_diags *diags)
{
	if (!diags || diags->count < 2)
		return;
	struct sortable *tmp = malloc(diags->count * sizeof(*tmp));
	if (!tmp)
		return; /* unsorted is still correct, only less tidy */
	for (size_t i = 0; i < diags->count; i++)
		tmp[i] = (struct sortable){diags->items[i], i};
	qsort(tmp, diags->count, sizeof(*tmp), diag_cmp);
	for (size_t i = 0; i < diags->count; i++)
		diags->items[i] = tmp[i].d;
	free(tmp);
}

const char *ladder_strerror(int status)
{
	switch (status) {
	case LADDER_OK: return "success";
	case LADDER_EINVALID: return "invalid manifest or migration file";
	case LADDER_EIO: return "input/output error";
	case LADDER_EDB: return "database error";
	case LADDER_ENOMEM: return "out of memory";
	case LADDER_EREFUSED: return "refused by a safety rule";
	case LADDER_EINTERRUPTED: return "interrupted";
	case LADDER_EUNSUPPORTED: return "unsupported";
	case LADDER_EUSAGE: return "invalid argument";
	case LADDER_EFOREIGN:
		return "bookkeeping table belongs to another tool";
	case LADDER_EPARTIAL: return "non-transactional step failed midway";
	}
	return "unknown status";
}
