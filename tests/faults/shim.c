/*
 * shim.c — an LD_PRELOAD library for the durability tests (not part of
 * libladder). It watches one directory and, for the files in it, records
 * every call that changes what a power cut would leave, and can make the
 * Nth write or sync fail.
 *
 * Environment:
 *   LDR_SHIM_DIR   the directory to watch (absolute, no symlinks)
 *   LDR_SHIM_LOG   where to write the log (text; the bytes written go to
 *                  LDR_SHIM_LOG.data, and the log gives their offset)
 *   LDR_SHIM_FAIL  OP:N:ERR or OP:N+:ERR — the Nth (1-based) OP on a
 *                  watched file fails with ERR (ENOSPC, EIO, EFBIG); with
 *                  "+", every OP from the Nth on does. OP is `write`
 *                  (write, pwrite, ftruncate), `sync` (fsync, fdatasync),
 *                  `unlink` (of a watched file) or `any` (write and sync
 *                  counted together).
 *
 * Log lines (one per call, in call order; `seq` counts them):
 *   seq open FD NAME EXISTED     a watched NAME ("." for the directory)
 *                                opened; EXISTED 1 if it was there before
 *   seq write FD OFFSET LEN DATA bytes written at OFFSET; DATA is where
 *                                they start in the .data file
 *   seq trunc FD LEN
 *   seq sync FD                  fsync or fdatasync (of a file or of ".")
 *   seq close FD
 *   seq unlink NAME
 *   seq rename FROM TO
 *   seq out LEN DATA             bytes written to stdout (fd 1), so the
 *                                log orders "applied N" against the rest
 *   seq fault OP FD ERRNO        an injected failure (nothing was done)
 * Calls that fail for real are not logged (they changed nothing). NAMEs
 * are file names inside the watched directory; other paths are ignored.
 */
#undef _FORTIFY_SOURCE /* its inline open() would clash with ours */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FD 1024

static int ready;	   /* 1 configured, -1 disabled */
static char dir[PATH_MAX]; /* watched directory */
static size_t dirlen;
static int log_fd = -1, data_fd = -1;
static off_t data_off;
static unsigned long seq;
static char *names[MAX_FD]; /* watched descriptors: their names */

static char fail_op[8];
static unsigned long fail_n, count_write, count_sync, count_unlink;
static int fail_sticky, fail_errno;

/* The real calls, by raw syscall: no recursion into this file, and no
 * dependence on which alias (open / open64) the caller linked. */
static ssize_t sys_write(int fd, const void *b, size_t n)
{
	return syscall(SYS_write, fd, b, n);
}

static void say(const char *fmt, ...)
{
	char line[PATH_MAX * 2 + 128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && log_fd >= 0)
		(void)sys_write(log_fd, line, (size_t)n);
}

static int errno_of(const char *s)
{
	if (!strcmp(s, "ENOSPC"))
		return ENOSPC;
	if (!strcmp(s, "EIO"))
		return EIO;
	if (!strcmp(s, "EFBIG"))
		return EFBIG;
	return EIO;
}

static void setup(void)
{
	if (ready)
		return;
	ready = -1;
	const char *d = getenv("LDR_SHIM_DIR");
	const char *l = getenv("LDR_SHIM_LOG");
	const char *f = getenv("LDR_SHIM_FAIL");
	if (!d || !*d)
		return;
	snprintf(dir, sizeof(dir), "%s", d);
	dirlen = strlen(dir);
	while (dirlen > 1 && dir[dirlen - 1] == '/')
		dir[--dirlen] = 0;
	if (l && *l) {
		char p[PATH_MAX + 8];
		log_fd = (int)syscall(SYS_openat, AT_FDCWD, l,
				      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				      0644);
		snprintf(p, sizeof(p), "%s.data", l);
		data_fd = (int)syscall(
			SYS_openat, AT_FDCWD, p,
			O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		struct stat st;
		if (data_fd >= 0 && !fstat(data_fd, &st))
			data_off = st.st_size;
	}
	if (f && *f) {
		char op[8] = "", err[16] = "", plus = 0;
		unsigned long n = 0;
		if (sscanf(f, "%7[a-z]:%lu%c", op, &n, &plus) >= 2) {
			const char *e = strrchr(f, ':');
			snprintf(err, sizeof(err), "%s", e ? e + 1 : "EIO");
			snprintf(fail_op, sizeof(fail_op), "%s", op);
			fail_n = n;
			fail_sticky = plus == '+';
			fail_errno = errno_of(err);
		}
	}
	ready = 1;
}

/* The name of PATH inside the watched directory ("." for the directory
 * itself), or NULL when PATH is elsewhere. Relative paths are taken from
 * the current directory; "." and ".." are resolved by their spelling. */
static const char *watched(int at, const char *path, char *out, size_t size)
{
	char full[PATH_MAX * 2];
	setup();
	if (ready != 1 || !path)
		return NULL;
	if (path[0] == '/') {
		snprintf(full, sizeof(full), "%s", path);
	} else {
		char base[PATH_MAX];
		if (at == AT_FDCWD) {
			if (!getcwd(base, sizeof(base)))
				return NULL;
		} else {
			char link[64];
			snprintf(link, sizeof(link), "/proc/self/fd/%d", at);
			ssize_t n = readlink(link, base, sizeof(base) - 1);
			if (n < 0)
				return NULL;
			base[n] = 0;
		}
		snprintf(full, sizeof(full), "%s/%s", base, path);
	}
	/* normalise: drop "//", "/./", resolve "/../" lexically */
	char norm[PATH_MAX * 2];
	size_t n = 0;
	for (char *s = full; *s;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == 1 && s[0] == '.') {
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && norm[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (n + len + 2 < sizeof(norm)) {
			norm[n++] = '/';
			memcpy(norm + n, s, len);
			n += len;
		}
		s += len;
	}
	norm[n] = 0;
	if (n == 0)
		strcpy(norm, "/");
	if (!strcmp(norm, dir)) {
		snprintf(out, size, ".");
		return out;
	}
	if (strncmp(norm, dir, dirlen) || norm[dirlen] != '/' ||
	    strchr(norm + dirlen + 1, '/'))
		return NULL;
	snprintf(out, size, "%s", norm + dirlen + 1);
	return out;
}

/* Whether this call must fail (an injected fault); logs it. */
static int inject(const char *kind, int fd)
{
	if (!fail_n)
		return 0;
	unsigned long n;
	if (!strcmp(kind, "unlink"))
		n = ++count_unlink;
	else if (!strcmp(fail_op, "any"))
		n = ++count_write + count_sync;
	else if (!strcmp(kind, "sync"))
		n = ++count_sync;
	else
		n = ++count_write;
	if (strcmp(fail_op, "any") && strcmp(fail_op, kind))
		return 0;
	if (n == fail_n || (fail_sticky && n > fail_n)) {
		say("%lu fault %s %d %d\n", ++seq, kind, fd, fail_errno);
		errno = fail_errno;
		return 1;
	}
	return 0;
}

static int is_watched_fd(int fd)
{
	setup();
	return ready == 1 && fd >= 0 && fd < MAX_FD && names[fd];
}

static void note_open(int fd, const char *name, int existed)
{
	if (fd < 0 || fd >= MAX_FD)
		return;
	free(names[fd]);
	names[fd] = strdup(name);
	say("%lu open %d %s %d\n", ++seq, fd, name, existed);
}

static void note_data(const char *kind, int fd, off_t off, const void *buf,
		      size_t len)
{
	off_t at = data_off;
	if (data_fd >= 0) {
		const char *p = buf;
		size_t left = len;
		while (left) {
			ssize_t w = sys_write(data_fd, p, left);
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		data_off += (off_t)len;
	}
	if (!strcmp(kind, "out"))
		say("%lu out %zu %lld\n", ++seq, len, (long long)at);
	else
		say("%lu write %d %lld %zu %lld\n", ++seq, fd, (long long)off,
		    len, (long long)at);
}

static int do_open(int at, const char *path, int flags, mode_t mode)
{
	char name[PATH_MAX];
	const char *w = watched(at, path, name, sizeof(name));
	struct stat st;
	int existed = w ? fstatat(at, path, &st, AT_SYMLINK_NOFOLLOW) == 0 : 0;
	int fd = (int)syscall(SYS_openat, at, path, flags, mode);
	if (w && fd >= 0) {
		note_open(fd, w, existed);
		if ((flags & O_TRUNC) && existed)
			say("%lu trunc %d 0\n", ++seq, fd);
	}
	return fd;
}

#define MODE_ARG(flags, mode)                                                  \
	do {                                                                   \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {                       \
			va_list ap;                                            \
			va_start(ap, flags);                                   \
			mode = (mode_t)va_arg(ap, int);                        \
			va_end(ap);                                            \
		}                                                              \
	} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return do_open(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return do_open(AT_FDCWD, path, flags, mode);
}

int openat(int at, const char *path, int flags, ...)
{
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return do_open(at, path, flags, mode);
}

int openat64(int at, const char *path, int flags, ...)
{
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return do_open(at, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int creat64(const char *path, mode_t mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd)
{
	if (is_watched_fd(fd)) {
		say("%lu close %d\n", ++seq, fd);
		free(names[fd]);
		names[fd] = NULL;
	}
	return (int)syscall(SYS_close, fd);
}

static ssize_t do_pwrite(int fd, const void *buf, size_t len, off_t off,
			 int positioned)
{
	if (fd == 1 && ready == 1) {
		ssize_t w = sys_write(fd, buf, len);
		if (w > 0)
			note_data("out", fd, 0, buf, (size_t)w);
		return w;
	}
	if (!is_watched_fd(fd))
		return positioned ? syscall(SYS_pwrite64, fd, buf, len, off)
				  : sys_write(fd, buf, len);
	if (inject("write", fd))
		return -1;
	if (!positioned)
		off = lseek(fd, 0, SEEK_CUR);
	ssize_t w = positioned ? syscall(SYS_pwrite64, fd, buf, len, off)
			       : sys_write(fd, buf, len);
	if (w > 0)
		note_data("write", fd, off, buf, (size_t)w);
	return w;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	setup();
	return do_pwrite(fd, buf, len, 0, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	setup();
	return do_pwrite(fd, buf, len, off, 1);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	setup();
	return do_pwrite(fd, buf, len, off, 1);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	setup();
	if (fd != 1 && !is_watched_fd(fd))
		return syscall(SYS_writev, fd, iov, cnt);
	ssize_t total = 0;
	for (int i = 0; i < cnt; i++) {
		ssize_t w =
			do_pwrite(fd, iov[i].iov_base, iov[i].iov_len, 0, 0);
		if (w < 0)
			return total ? total : -1;
		total += w;
		if ((size_t)w < iov[i].iov_len)
			break;
	}
	return total;
}

static int do_trunc(int fd, off_t len)
{
	if (is_watched_fd(fd)) {
		if (inject("write", fd))
			return -1;
		int rc = (int)syscall(SYS_ftruncate, fd, len);
		if (rc == 0)
			say("%lu trunc %d %lld\n", ++seq, fd, (long long)len);
		return rc;
	}
	return (int)syscall(SYS_ftruncate, fd, len);
}

int ftruncate(int fd, off_t len)
{
	return do_trunc(fd, len);
}

int ftruncate64(int fd, off_t len)
{
	return do_trunc(fd, len);
}

static int do_sync(int fd, long nr)
{
	if (is_watched_fd(fd)) {
		if (inject("sync", fd))
			return -1;
		int rc = (int)syscall(nr, fd);
		if (rc == 0)
			say("%lu sync %d\n", ++seq, fd);
		return rc;
	}
	return (int)syscall(nr, fd);
}

int fsync(int fd)
{
	return do_sync(fd, SYS_fsync);
}

int fdatasync(int fd)
{
	return do_sync(fd, SYS_fdatasync);
}

int unlink(const char *path)
{
	char name[PATH_MAX];
	const char *w = watched(AT_FDCWD, path, name, sizeof(name));
	if (w && inject("unlink", -1))
		return -1;
	int rc = (int)syscall(SYS_unlinkat, AT_FDCWD, path, 0);
	if (w && rc == 0)
		say("%lu unlink %s\n", ++seq, w);
	return rc;
}

int unlinkat(int at, const char *path, int flags)
{
	char name[PATH_MAX];
	const char *w = watched(at, path, name, sizeof(name));
	if (w && inject("unlink", -1))
		return -1;
	int rc = (int)syscall(SYS_unlinkat, at, path, flags);
	if (w && rc == 0)
		say("%lu unlink %s\n", ++seq, w);
	return rc;
}

/* stdio writes through glibc's internal write, which no preload sees; the
 * CLI flushes stdout after each line it prints, so the bytes are taken
 * from the stream's buffer just before the flush writes them (a cut
 * between the two counts the line as printed: the stricter reading). */
int fflush(FILE *f)
{
	static int (*real)(FILE *);
	if (!real)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fflush");
	setup();
	if (ready == 1 && f && fileno(f) == 1 &&
	    f->_IO_write_ptr > f->_IO_write_base)
		note_data("out", 1, 0, f->_IO_write_base,
			  (size_t)(f->_IO_write_ptr - f->_IO_write_base));
	return real(f);
}

int renameat(int a, const char *from, int b, const char *to)
{
	char n1[PATH_MAX], n2[PATH_MAX];
	const char *w1 = watched(a, from, n1, sizeof(n1));
	const char *w2 = watched(b, to, n2, sizeof(n2));
	int rc = (int)syscall(SYS_renameat2, a, from, b, to, 0);
	if (rc == 0 && (w1 || w2))
		say("%lu rename %s %s\n", ++seq, w1 ? w1 : "-", w2 ? w2 : "-");
	return rc;
}

int rename(const char *from, const char *to)
{
	return renameat(AT_FDCWD, from, AT_FDCWD, to);
}
