/*
 * sum.c — the manifest's sum file (manifest.yaml -> manifest.sum, as
 * Atlas keeps atlas.sum): the checksums of the sealed
 * migrations, those a later `new` was made after (so released, or about
 * to be). `new` appends the entries not yet sealed and never rewrites a
 * line; `validate` checks every line against the files, so a pull request
 * that edits or drops a sealed migration fails without a database, as
 * Atlas's atlas.sum does. A manifest with no sum file beside it has
 * nothing sealed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "ldrx.h"

#define SUM_HEADER                                                             \
	"# The checksums (" LDR_CHECKSUM_ALGORITHM                             \
	") of the sealed migrations.\n# 'ladder new' adds them, 'ladder "      \
	"validate' checks them; never edit a line.\n"

/* The sum's path for manifest `m`: its own with the extension replaced,
 * manifest.yaml -> manifest.sum, so manifests sharing a folder keep
 * their own (caller frees), or NULL. */
static char *sum_path(const ladder_manifest *m)
{
	const char *mp = ladder_manifest_path(m);
	const char *slash = strrchr(mp, '/'), *dot = strrchr(mp, '.');
	size_t stem = dot && dot > (slash ? slash + 1 : mp) ? (size_t)(dot - mp)
							    : strlen(mp);
	ldr_buf b = LDR_BUF_INIT;
	ldr_buf_add(&b, mp, stem);
	ldr_buf_add(&b, ".sum", 4);
	return ldr_buf_detach(&b);
}

/* One line: `ID CHECKSUM FILE`. 0, or -1 when it is not one. */
static int parse_line(const char *line, int64_t *id, char sum[65])
{
	char *end;
	errno = 0;
	long long v = strtoll(line, &end, 10);
	if (errno || end == line || v < 1 || *end != ' ')
		return -1;
	const char *c = end + 1;
	for (int i = 0; i < 64; i++)
		if (!((c[i] >= '0' && c[i] <= '9') ||
		      (c[i] >= 'a' && c[i] <= 'f')))
			return -1;
	if (c[64] != ' ' && c[64] != '\0')
		return -1;
	memcpy(sum, c, 64);
	sum[64] = '\0';
	*id = v;
	return 0;
}

/* Reads the sum file: `*text` NULL when there is none. */
static int read_sum(const char *path, char **text, ladder_diags *diags)
{
	size_t len;
	*text = NULL;
	int err = ldrx_read_file(path, text, &len);
	if (err == ENOENT)
		return 0;
	if (err) {
		ldr_error(diags, "file", path, 0, 0, "cannot read '%s': %s",
			  path, strerror(err));
		return err == ENOMEM ? LADDER_ENOMEM : LADDER_EIO;
	}
	return 0;
}

int ladder_sum_check(const ladder_manifest *m, ladder_diags *diags)
{
	char *path = sum_path(m), *text = NULL;
	if (!path)
		return LADDER_ENOMEM;
	int rc = read_sum(path, &text, diags), bad = 0;
	unsigned lineno = 0;
	for (char *line = text, *next; !rc && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (*line == '#' || *line == '\0')
			continue;
		int64_t id;
		char sum[65];
		if (parse_line(line, &id, sum)) {
			ldr_error(diags, "sum", path, lineno, 0,
				  "not a line of a sum file ('ID CHECKSUM "
				  "FILE'): '%s'",
				  line);
			bad = 1;
			continue;
		}
		const ladder_migration *mig = ladder_manifest_find(m, id);
		if (!mig) {
			ldr_error(diags, "sum", path, lineno, 0,
				  "migration %" PRId64 " is sealed in "
				  "the sum file, but the manifest no longer "
				  "lists it; a released migration is never "
				  "removed",
				  id);
			ldr_diag_migration(diags, id);
			bad = 1;
		} else if (mig->checksum && *mig->checksum &&
			   strcmp(mig->checksum, sum)) {
			ldr_error(diags, "sum", mig->path, 0, 0,
				  "migration %" PRId64 " '%s' is sealed in "
				  "the sum file (checksum %.12s), but the file "
				  "now has %.12s: a released migration was "
				  "edited; restore it and make the change a "
				  "new migration",
				  id, mig->name, sum, mig->checksum);
			ldr_diag_migration(diags, id);
			bad = 1;
		}
	}
	free(text);
	free(path);
	return rc ? rc : bad ? LADDER_EINVALID : 0;
}

void ldr_sum_remove(const ladder_manifest *m)
{
	char *path = sum_path(m);
	if (path)
		unlink(path);
	free(path);
}

int ldr_sum_seal(const ladder_manifest *m, int64_t below, int *created,
		 ladder_diags *diags)
{
	char *path = sum_path(m), *text = NULL, *tmp = NULL;
	ldr_buf b = LDR_BUF_INIT;
	if (created)
		*created = 0;
	if (!path)
		return LADDER_ENOMEM;
	int rc = read_sum(path, &text, diags);
	if (rc)
		goto out;
	ldr_buf_add(&b, text ? text : SUM_HEADER,
		    strlen(text ? text : SUM_HEADER));
	if (b.len && b.data[b.len - 1] != '\n')
		ldr_buf_addc(&b, '\n');
	size_t before = b.len;
	for (size_t i = 0; i < ladder_manifest_count(m); i++) {
		const ladder_migration *mig = ladder_manifest_get(m, i);
		if (mig->id >= below || !mig->checksum || !*mig->checksum)
			continue;
		/* Sealed already: its line stays as it is. */
		int sealed = 0;
		for (char *l = text; l && *l && !sealed;) {
			int64_t id;
			char sum[65];
			sealed = !parse_line(l, &id, sum) && id == mig->id;
			l = strchr(l, '\n');
			l = l ? l + 1 : NULL;
		}
		if (!sealed)
			ldr_buf_addf(&b, "%" PRId64 " %s %s\n", mig->id,
				     mig->checksum, mig->file);
	}
	if (!b.data) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	if (text && b.len == before)
		goto out; /* nothing new to seal */
	ldr_buf tb = LDR_BUF_INIT;
	ldr_buf_addf(&tb, "%s.ladder-new", path);
	tmp = ldr_buf_detach(&tb);
	FILE *f = tmp ? fopen(tmp, "w") : NULL;
	int ok = f && fwrite(b.data, 1, b.len, f) == b.len && !fflush(f) &&
		 !fsync(fileno(f));
	int err = errno;
	if (f && fclose(f) && ok) {
		ok = 0;
		err = errno;
	}
	if (!ok || rename(tmp, path)) {
		if (ok)
			err = errno;
		ldr_error(diags, "file", path, 0, 0, "cannot write '%s': %s",
			  path, strerror(err));
		if (tmp)
			unlink(tmp);
		rc = LADDER_EIO;
	} else if (created) {
		*created = !text;
	}
out:
	ldr_buf_release(&b);
	free(text);
	free(tmp);
	free(path);
	return rc;
}
