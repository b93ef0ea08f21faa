#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/ladder-test-XXXXXX",
		 base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	ck_assert_msg(dir != NULL, "mkdtemp: %s", strerror(errno));
	return strdup(dir);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_write(const char *dir, const char *rel, const char *content)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *path = malloc(n);
	ck_assert_ptr_nonnull(path);
	snprintf(path, n, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	fwrite(content, 1, strlen(content), f);
	fclose(f);
	return path;
}

char *tu_fixture(const char *rel)
{
	const char *base = getenv("LADDER_FIXTURES");
	ck_assert_msg(base != NULL, "LADDER_FIXTURES is not set");
	size_t n = strlen(base) + strlen(rel) + 2;
	char *path = malloc(n);
	ck_assert_ptr_nonnull(path);
	snprintf(path, n, "%s/%s", base, rel);
	return path;
}

char *tu_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s: %s", path, strerror(errno));
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int tu_same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	ck_assert_msg(fa && fb, "cannot compare %s and %s", a, b);
	int ca, cb;
	do {
		ca = getc(fa);
		cb = getc(fb);
	} while (ca == cb && ca != EOF);
	fclose(fa);
	fclose(fb);
	return ca == cb;
}

void tu_copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	ck_assert_msg(in && out, "cannot copy %s to %s", from, to);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

const ladder_diag *tu_find_diag(const ladder_diags *d, const char *code,
				unsigned line, const char *needle)
{
	for (size_t i = 0; i < ladder_diags_count(d); i++) {
		const ladder_diag *g = ladder_diags_get(d, i);
		if (code && (!g->code || strcmp(g->code, code)))
			continue;
		if (line && g->line != line)
			continue;
		if (needle && !strstr(g->message, needle))
			continue;
		return g;
	}
	return NULL;
}

char *tu_dump_diags(const ladder_diags *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t i = 0; i < ladder_diags_count(d); i++) {
		const ladder_diag *g = ladder_diags_get(d, i);
		fprintf(f, "  %s:%u:%u: [%s] %s\n", g->file ? g->file : "-",
			g->line, g->column, g->code ? g->code : "-",
			g->message);
	}
	fclose(f);
	return out;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
