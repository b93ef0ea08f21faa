/*
 * path.c — opening a file named by a relative path so that it stays beneath
 * a directory (the manifest's): the rule "a migration file never resolves
 * outside the manifest's directory", and "it is a regular file".
 *
 * The fast way is one openat2(2) with RESOLVE_BENEATH, where the kernel
 * refuses any resolution (`..` or a symlink) that leaves the directory in
 * the same call that opens the file. Where that is not available, or it
 * refuses, the path is resolved with realpath(3) and compared with the
 * directory's own real path; that long way also finds the words for the
 * error. Either way the file is opened O_NONBLOCK (a FIFO cannot hang the
 * open) and checked with fstat(2) on the descriptor that is then read, so
 * what is checked is what is read.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include "internal.h"

struct ldr_root {
	char *dir;     /* as given */
	char *realdir; /* realpath(dir), NULL when it failed */
	int realdir_errno;
	int dirfd; /* dir, opened for openat2(); -1 when not */
};

int ldr_root_open(ldr_root **out, const char *dir)
{
	assert(out && dir);
	*out = NULL;
	ldr_root *r = calloc(1, sizeof(*r));
	if (!r || !(r->dir = ldr_strdup(dir))) {
		free(r);
		return LADDER_ENOMEM;
	}
	if (!(r->realdir = realpath(dir, NULL)))
		r->realdir_errno = errno;
	r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*out = r;
	return 0;
}

void ldr_root_free(ldr_root *r)
{
	if (!r)
		return;
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->dir);
	free(r->realdir);
	free(r);
}

/* Whether the relative path's `..` components climb above its start. */
static int climbs_out(const char *rel)
{
	long depth = 0;
	const char *s = rel;
	while (*s) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (n && !(n == 1 && s[0] == '.')) {
			depth++;
		}
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

/* Whether `real` is `dir` or below it (compared on a '/' boundary, so
 * /a/bc is not inside /a/b). */
static int inside(const char *real, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(real, dir, n) && (real[n] == '/' || real[n] == '\0');
}

/* Opens `rel` under the root with openat2(2) and RESOLVE_BENEATH, so that
 * the kernel refuses, in the same call, a path or symlink that leads out.
 * -1 when it cannot (an old kernel, or any refusal): the caller then
 * resolves the path itself. */
static int open_beneath(const ldr_root *r, const char *rel)
{
#ifdef SYS_openat2
	if (r->dirfd < 0)
		return -1;
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, r->dirfd, rel, &how, sizeof(how));
#else
	(void)r;
	(void)rel;
	return -1;
#endif
}

int ldr_root_open_file(const ldr_root *r, const char *rel,
		       const ldr_open_at *at, int *fd_out, ladder_diags *diags)
{
	assert(r && rel && at && at->display && at->shown && fd_out);
	char *joined = NULL, *real = NULL;
	int rc = LADDER_EIO, fd = -1;
	*fd_out = -1;
	/* The fast path: one openat2() both opens the file and makes the
	 * kernel refuse any resolution that leaves the directory. Anything
	 * it refuses or cannot do goes the long way below, which also finds
	 * the words for the error. */
	fd = open_beneath(r, rel);
	if (fd >= 0)
		goto opened;
	if (!(joined = ldr_path_join(r->dir, rel))) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	if (!(real = realpath(joined, NULL))) {
		int err = errno;
		if (climbs_out(rel)) {
			ldr_error(diags, "path", at->file, at->line, at->column,
				  "'%s' resolves outside the manifest's "
				  "directory",
				  at->shown);
			rc = LADDER_EINVALID;
		} else {
			ldr_error(diags, "file", at->file, at->line, at->column,
				  "cannot open '%s': %s", at->display,
				  strerror(err));
		}
		goto out;
	}
	if (!r->realdir) {
		ldr_error(diags, "file", at->file, at->line, at->column,
			  "cannot open '%s': %s", at->display,
			  strerror(r->realdir_errno));
		goto out;
	}
	if (!inside(real, r->realdir)) {
		ldr_error(diags, "path", at->file, at->line, at->column,
			  "'%s' resolves outside the manifest's directory",
			  at->shown);
		rc = LADDER_EINVALID;
		goto out;
	}
	/* O_NOFOLLOW: a symlink put in its place since realpath() is
	 * refused, not followed. */
	fd = open(real,
		  O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0) {
		ldr_error(diags, "file", at->file, at->line, at->column,
			  "cannot open '%s': %s", at->display, strerror(errno));
		goto out;
	}
opened:;
	struct stat st;
	if (fstat(fd, &st)) {
		ldr_error(diags, "file", at->file, at->line, at->column,
			  "cannot read '%s': %s", at->display, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ldr_error(diags, "file", at->file, at->line, at->column,
			  "'%s' is not a regular file%s", at->display,
			  S_ISDIR(st.st_mode) ? " (it is a directory)" : "");
		goto out;
	}
	*fd_out = fd;
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(joined);
	free(real);
	return rc;
}

int ldr_fileid_of(int fd, ldr_fileid *id)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (fstat(fd, &st))
		return -1;
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->size = (int64_t)st.st_size;
	id->mtime_s = (int64_t)st.st_mtim.tv_sec;
	id->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
	id->ctime_s = (int64_t)st.st_ctim.tv_sec;
	id->ctime_ns = (int64_t)st.st_ctim.tv_nsec;
	return 0;
}

int ldr_fileid_same(const ldr_fileid *a, const ldr_fileid *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

int ldr_open_beneath(const char *root_dir, const char *rel, int *fd_out,
		     ladder_diags *diags, const char *display)
{
	assert(root_dir && rel && fd_out && display);
	ldr_root *r = NULL;
	*fd_out = -1;
	int rc = ldr_root_open(&r, root_dir);
	if (rc)
		return rc;
	ldr_open_at at = {.file = display, .display = display, .shown = rel};
	rc = ldr_root_open_file(r, rel, &at, fd_out, diags);
	ldr_root_free(r);
	return rc;
}
