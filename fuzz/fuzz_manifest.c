/*
 * fuzz_manifest.c — libFuzzer target for the manifest reader: any bytes
 * must give a manifest or diagnostics, never a crash, a leak, undefined
 * behaviour or a hang. The manifest sits in a scratch folder holding a few
 * SQL files, so inputs that name them reach the path and SQL checks too.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ladder.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char manifest_path[4096];
static char scratch[4096];

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The scratch folder goes when the fuzzer exits. */
static void cleanup(void)
{
	nftw(scratch, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char tmpl[] = "/tmp/ladder-fuzz-XXXXXX";
	const char *dir = mkdtemp(tmpl);
	if (!dir)
		abort();
	char sub[4200];
	snprintf(sub, sizeof(sub), "%s/sql", dir);
	mkdir(sub, 0755);
	put(dir, "sql/1.sql", "CREATE TABLE a (x);\n");
	put(dir, "sql/2.sql", "BEGIN;\nCOMMIT;\n");
	put(dir, "sql/3.sql", "-- only a comment\n");
	put(dir, "sql/0001_baseline.sql", "CREATE TABLE b (y);\n");
	snprintf(manifest_path, sizeof(manifest_path), "%s/manifest.yaml", dir);
	snprintf(scratch, sizeof(scratch), "%s", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	ladder_diags *diags = NULL;
	ladder_manifest *m = NULL;
	if (ladder_diags_new(&diags))
		return 0;
	ladder_manifest_load_buffer(&m, (const char *)data, size, manifest_path,
				    diags);
	/* Walk what was understood, as the CLI would. */
	for (size_t i = 0; m && i < ladder_manifest_count(m); i++) {
		const ladder_migration *mig = ladder_manifest_get(m, i);
		if (ladder_manifest_find(m, mig->id) == NULL)
			abort();
	}
	for (size_t i = 0; i < ladder_diags_count(diags); i++)
		if (!ladder_diags_get(diags, i)->message)
			abort();
	ladder_manifest_free(m);
	ladder_diags_free(diags);
	return 0;
}
