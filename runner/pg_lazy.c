/*
 * pg_lazy.c — libpq loaded on first use (pg_lazy.h says why).
 */
#define LDR_PQ_NO_REDIRECT
#include "pg_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Written once under `once`, then only read: not mutable state. */
static struct ldr_pq api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[256];

static void load(void)
{
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, sizeof(why), "%s", e ? e : "not found");
		return;
	}
	struct ldr_pq a;
	memset(&a, 0, sizeof(a));
	/* A function pointer from dlsym's void *: POSIX guarantees the
	 * conversion; memcpy keeps the compiler's pedantry quiet. */
#define LDR_PQ_SYM(f)                                                          \
	do {                                                                   \
		void *p = dlsym(h, #f);                                        \
		if (!p) {                                                      \
			snprintf(why, sizeof(why), "libpq.so.5 lacks %s", #f); \
			dlclose(h);                                            \
			return;                                                \
		}                                                              \
		memcpy(&a.f, &p, sizeof(p));                                   \
	} while (0);
	LDR_PQ_FUNCTIONS(LDR_PQ_SYM)
#undef LDR_PQ_SYM
	api = a;
	loaded = 1;
}

int ldr_pq_load(const char *target, ladder_diags *diags)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	ldr_error(diags, "unsupported-database", target, 0, 0,
		  "cannot load libpq, which PostgreSQL needs (install libpq5): "
		  "%s",
		  why);
	return LADDER_EUNSUPPORTED;
}

const struct ldr_pq *ldr_pq(void)
{
	return &api;
}
