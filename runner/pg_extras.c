/*
 * pg_extras.c — what the PostgreSQL driver does beside connections and
 * bookkeeping, through PostgreSQL's own tools: the schema (`pg_dump
 * --schema-only`, ladder's two tables left out), verified backups
 * (`pg_dump --format=custom` from the snapshot the plan was read in,
 * checked with `pg_restore --list`), and the bookkeeping DDL that
 * `ladder export` writes.
 *
 * The tools are found on PATH and run with posix_spawnp(). They connect
 * with the connection's own parameters (PQconninfo), given as a conninfo
 * string without the password; a password travels in the child's
 * environment (PGPASSWORD), never on its command line where `ps` shows it.
 * `-w`: a tool never prompts. While one runs, the stop flag is polled: when
 * it is set the tool is terminated and the call ends with
 * LADDER_EINTERRUPTED.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver_pg.h"
#include "sha256.h"

extern char **environ;

/* ------------------------------------------------------------ the tools -- */

/* A conninfo value, quoted: backslash and single quote escaped. */
static int conninfo_value(ldr_buf *b, const char *v)
{
	int rc = ldr_buf_addc(b, '\'');
	for (; !rc && *v; v++) {
		if (*v == '\\' || *v == '\'')
			rc = ldr_buf_addc(b, '\\');
		if (!rc)
			rc = ldr_buf_addc(b, *v);
	}
	return rc ? rc : ldr_buf_addc(b, '\'');
}

/* The arguments and environment a tool connects with. */
struct tool {
	ldr_buf dbname;	 /* "--dbname=host='...' port='...' ..." */
	char *password;	 /* "PGPASSWORD=..." or NULL */
	char **env;	 /* environ, plus `password` first; NULL: environ */
	ldr_buf errtext; /* what the tool wrote on stderr */
};

static void tool_release(struct tool *t)
{
	ldr_buf_release(&t->dbname);
	if (t->password) {
		explicit_bzero(t->password, strlen(t->password));
		free(t->password);
	}
	free(t->env);
	ldr_buf_release(&t->errtext);
}

static int tool_init(struct tool *t, ldr_conn *c)
{
	memset(t, 0, sizeof(*t));
	PQconninfoOption *opts = PQconninfo(c->pg);
	if (!opts)
		return LADDER_ENOMEM;
	int rc = ldr_buf_add(&t->dbname, "--dbname=", 9);
	for (PQconninfoOption *o = opts; !rc && o->keyword; o++) {
		if (!o->val || !*o->val || !strcmp(o->keyword, "replication"))
			continue;
		if (!strcmp(o->keyword, "password")) {
			ldr_buf pw = LDR_BUF_INIT;
			if (!(rc = ldr_buf_addf(&pw, "PGPASSWORD=%s", o->val)))
				t->password = ldr_buf_detach(&pw);
			ldr_buf_release(&pw);
			if (!rc && !t->password)
				rc = LADDER_ENOMEM;
			continue;
		}
		if (!(rc = ldr_buf_addf(&t->dbname, "%s=", o->keyword)) &&
		    !(rc = conninfo_value(&t->dbname, o->val)))
			rc = ldr_buf_addc(&t->dbname, ' ');
	}
	PQconninfoFree(opts);
	if (!rc && t->password) {
		size_t n = 0;
		while (environ && environ[n])
			n++;
		if (!(t->env = calloc(n + 2, sizeof(*t->env))))
			return LADDER_ENOMEM;
		t->env[0] = t->password;
		for (size_t i = 0, j = 1; i < n; i++)
			if (strncmp(environ[i], "PGPASSWORD=", 11))
				t->env[j++] = environ[i];
	}
	return rc;
}

/* Reads what `fd` has into `b` (when it is not NULL); 0 at its end. */
static int drain(int fd, ldr_buf *b, int *open_, ladder_diags *diags)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		*open_ = 0;
		return 0;
	}
	if (b && ldr_buf_add(b, chunk, (size_t)n)) {
		ldr_error(diags, "nomem", NULL, 0, 0, "out of memory");
		return LADDER_ENOMEM;
	}
	return 0;
}

static int cloexec_pipe(int p[2])
{
	if (pipe(p))
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Runs argv[0] (on PATH) with stdout into `out_fd` (>= 0) or into `out`,
 * its stderr into t->errtext; 0 when it exits 0. Interruptible. */
static int tool_run(ldr_conn *c, struct tool *t, char *const argv[], int out_fd,
		    ldr_buf *out, ladder_diags *diags)
{
	int opipe[2] = {-1, -1}, epipe[2] = {-1, -1}, rc = 0, status = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;
	if (posix_spawn_file_actions_init(&fa))
		return LADDER_ENOMEM;
	if (cloexec_pipe(epipe) || (out_fd < 0 && cloexec_pipe(opipe))) {
		ldr_error(diags, "io-error", NULL, 0, 0, "cannot run '%s': %s",
			  argv[0], strerror(errno));
		rc = LADDER_EIO;
		goto out;
	}
	posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : opipe[1],
					 1);
	posix_spawn_file_actions_adddup2(&fa, epipe[1], 2);
	int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv,
			       t->env ? t->env : environ);
	if (err) {
		pid = -1;
		ldr_error(diags, "tool-missing", NULL, 0, 0,
			  "cannot run '%s': %s (PostgreSQL's client tools "
			  "must be on PATH)",
			  argv[0], strerror(err));
		rc = LADDER_EIO;
		goto out;
	}
	close(epipe[1]);
	epipe[1] = -1;
	if (opipe[1] >= 0) {
		close(opipe[1]);
		opipe[1] = -1;
	}
	int eopen = 1, oopen = opipe[0] >= 0;
	while (!rc && (eopen || oopen)) {
		struct pollfd p[2] = {{epipe[0], POLLIN, 0},
				      {oopen ? opipe[0] : -1, POLLIN, 0}};
		if (c->stop && *c->stop) {
			kill(pid, SIGTERM);
			ldr_error(diags, "interrupted", NULL, 0, 0,
				  "interrupted while '%s' ran", argv[0]);
			rc = LADDER_EINTERRUPTED;
			break;
		}
		if (poll(p, 2, 100) < 0 && errno != EINTR)
			break;
		if (eopen && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			rc = drain(epipe[0], &t->errtext, &eopen, diags);
		if (!rc && oopen &&
		    (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			rc = drain(opipe[0], out, &oopen, diags);
	}
	if (rc && rc != LADDER_EINTERRUPTED)
		kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		/* The tool's own words, on one line. */
		while (t->errtext.len &&
		       t->errtext.data[t->errtext.len - 1] == '\n')
			t->errtext.data[--t->errtext.len] = '\0';
		for (size_t i = 0; i < t->errtext.len; i++)
			if (t->errtext.data[i] == '\n')
				t->errtext.data[i] = ' ';
		ldr_error(diags, "tool-failed", NULL, 0, 0, "'%s' failed: %s",
			  argv[0],
			  t->errtext.len	? t->errtext.data
			  : WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
						: "no message");
		rc = LADDER_EDB;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (opipe[i] >= 0)
			close(opipe[i]);
		if (epipe[i] >= 0)
			close(epipe[i]);
	}
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* ----------------------------------------------------------- the schema -- */

/* pg_dump writes `\restrict KEY` / `\unrestrict KEY` lines with a random
 * key (15.14 and later): dropped, so two runs print the same text. */
static int without_restrict(ldr_buf *out, const char *s, size_t len)
{
	int rc = 0;
	const char *end = s + len;
	while (!rc && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		if (strncmp(s, "\\restrict ", 10) &&
		    strncmp(s, "\\unrestrict ", 12))
			rc = ldr_buf_add(out, s, n);
		s += n;
	}
	return rc;
}

/* Everything but ladder's two tables, as pg_dump --schema-only prints it:
 * in pg_dump's dependency order, which is stable for a given schema;
 * without owners (a schema, not a deployment). */
int ldr_pg_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	assert(c && out);
	struct tool t;
	ldr_buf ex1 = LDR_BUF_INIT, ex2 = LDR_BUF_INIT, dump = LDR_BUF_INIT;
	int rc = tool_init(&t, c);
	/* qtable is "schema"."table": a pg_dump pattern matching only it. */
	if (!rc && !(rc = ldr_buf_addf(&ex1, "--exclude-table=%s", c->qtable)))
		rc = ldr_buf_addf(&ex2, "--exclude-table=%s", c->qattempts);
	if (rc) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	char *argv[] = {"pg_dump", "-w",     "--schema-only", "--no-owner",
			ex1.data,  ex2.data, t.dbname.data,   NULL};
	if ((rc = tool_run(c, &t, argv, -1, &dump, diags)))
		goto out;
	rc = without_restrict(out, dump.data ? dump.data : "", dump.len);
out:
	ldr_buf_release(&ex1);
	ldr_buf_release(&ex2);
	ldr_buf_release(&dump);
	tool_release(&t);
	return rc;
}

/* ----------------------------------------------------------- the backup -- */

/* The default path: <database name>.backup-YYYYmmddTHHMMSSZ.dump in the
 * current directory, the name's '/' and a leading '.' replaced by '_'. */
static char *backup_path(ldr_conn *c, const char *wanted)
{
	if (wanted && *wanted)
		return ldr_strdup(wanted);
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return NULL;
	const char *db = PQdb(c->pg);
	ldr_buf b = LDR_BUF_INIT;
	for (const char *s = db && *db ? db : "postgres"; *s; s++)
		ldr_buf_addc(&b,
			     *s == '/' || (s == db && *s == '.') ? '_' : *s);
	ldr_buf_addf(&b, ".backup-%s.dump", stamp);
	return ldr_buf_detach(&b);
}

/* pg_restore reads the archive's table of contents: a truncated or foreign
 * file fails. */
static int verify(ldr_conn *c, const char *path, ladder_diags *diags)
{
	struct tool t;
	ldr_buf list = LDR_BUF_INIT;
	memset(&t, 0, sizeof(t));
	char *argv[] = {"pg_restore", "--list", (char *)path, NULL};
	int rc = tool_run(c, &t, argv, -1, &list, diags);
	if (!rc && (!list.data || !strstr(list.data, "Format: CUSTOM"))) {
		ldr_error(diags, "backup", path, 0, 0,
			  "the backup '%s' has no table of contents", path);
		rc = LADDER_EDB;
	} else if (rc == LADDER_EDB) {
		ldr_error(diags, "backup", path, 0, 0,
			  "the backup '%s' fails pg_restore --list", path);
	}
	ldr_buf_release(&list);
	tool_release(&t);
	return rc;
}

int ldr_pg_backup(ldr_conn *c, const char *wanted, char **written,
		  char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	assert(c && written && hex);
	*written = NULL;
	struct tool t;
	ldr_buf snap = LDR_BUF_INIT;
	int rc = tool_init(&t, c), fd = -1, made = 0;
	char *path = rc ? NULL : backup_path(c, wanted);
	if (!path) {
		rc = LADDER_ENOMEM;
		goto out;
	}
	/* O_EXCL: never over an existing file, even one made meanwhile. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			ldr_error(diags, "backup", path, 0, 0,
				  "'%s' already exists; ladder never writes "
				  "over a file",
				  path);
		else
			ldr_error(diags, "backup", path, 0, 0,
				  "cannot create '%s': %s", path,
				  strerror(errno));
		rc = errno == EEXIST ? LADDER_EREFUSED : LADDER_EIO;
		goto out;
	}
	made = 1;
	/* The snapshot read_applied() exported is still open: the dump shows
	 * the database exactly as the plan saw it. */
	char *argv[] = {"pg_dump",     "-w", "--format=custom",
			t.dbname.data, NULL, NULL};
	if (c->snap_open && c->snapshot[0]) {
		if ((rc = ldr_buf_addf(&snap, "--snapshot=%s", c->snapshot)))
			goto out;
		argv[4] = snap.data;
	}
	rc = tool_run(c, &t, argv, fd, NULL, diags);
	if (!rc && fsync(fd)) {
		ldr_error(diags, "io-error", path, 0, 0,
			  "cannot write '%s': %s", path, strerror(errno));
		rc = LADDER_EIO;
	}
	close(fd);
	fd = -1;
	if (rc || (rc = verify(c, path, diags)))
		goto out;
	if (ldr_sha256_file(path, hex)) {
		ldr_error(diags, "backup", path, 0, 0, "cannot read '%s': %s",
			  path, strerror(errno));
		rc = LADDER_EIO;
		goto out;
	}
	*written = path;
	path = NULL;
out:
	ldr_pg_end_snapshot(c);
	if (fd >= 0)
		close(fd);
	if (made && path)
		unlink(path);
	free(path);
	ldr_buf_release(&snap);
	tool_release(&t);
	return rc;
}

/* ------------------------------------------------------------ export DDL -- */

/* What makes the bookkeeping tables ladder's on this database, for the
 * head of an export script; another tool's table is refused. */
int ldr_pg_bookkeeping_sql(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	assert(c && out);
	int exists = 0;
	int rc = ldr_pg_table_check(c, &exists, diags);
	return rc ? rc : ldr_pg_bookkeeping_ddl(c, out);
}
