/*
 * sqlite_extras.c — what the SQLite driver does beside connections and
 * bookkeeping: the runner lock (flock on the database's directory), the
 * step hooks (SQLite's table-rebuild procedure for `foreign_keys: off`),
 * the schema as SQLite keeps it, and verified backups by VACUUM INTO.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "driver_sqlite.h"
#include "sha256.h"

/* The runner lock is flock() on the database's directory. Not on the
 * file itself: POSIX drops every fcntl() lock a process holds on a file
 * when any descriptor of that file is closed, so a descriptor of our own
 * would, on close, silently unlock SQLite connections the application
 * still has open. A directory descriptor touches none of that, and flock()
 * locks are apart from SQLite's byte locks. The price: runners of two
 * databases in one directory take turns. */
void ldr_sqlite_on_wait(ldr_conn *c, ladder_wait_fn fn, void *ctx)
{
	assert(c);
	c->wait_fn = fn;
	c->wait_ctx = ctx;
}

/* The process holding the flock on the open folder `fd`, from Linux's
 * /proc/locks (`N: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE ...`, waiters
 * marked `->`); 0 when it cannot tell. */
static long lock_holder(int fd)
{
	struct stat st;
	FILE *f = fstat(fd, &st) ? NULL : fopen("/proc/locks", "re");
	char line[256];
	long pid = 0;
	while (f && !pid && fgets(line, sizeof(line), f)) {
		char type[16];
		long p;
		unsigned maj, min;
		unsigned long long ino;
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%llu", type, &p,
			   &maj, &min, &ino) != 5)
			continue;
		if (!strcmp(type, "FLOCK") &&
		    ino == (unsigned long long)st.st_ino &&
		    maj == major(st.st_dev) && min == minor(st.st_dev))
			pid = p;
	}
	if (f)
		fclose(f);
	return pid;
}

int ldr_sqlite_lock(ldr_conn *c, volatile sig_atomic_t *stop,
		    ladder_diags *diags)
{
	assert(c && stop);
	if (c->lock_fd >= 0 || c->memory)
		return 0;
	char *dir = ldr_path_dirname(c->path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd < 0) {
		ldr_error(diags, "database", c->path, 0, 0,
			  "cannot open the directory of '%s': %s", c->path,
			  strerror(errno));
		free(dir);
		return LADDER_EIO;
	}
	free(dir);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long nap_us = 1000;
	int announced = 0;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (!announced && c->wait_fn && errno == EWOULDBLOCK) {
			c->wait_fn(lock_holder(fd), c->wait_ctx);
			announced = 1;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			ldr_error(diags, "database", c->path, 0, 0,
				  "cannot lock '%s': %s", c->path,
				  strerror(errno));
			close(fd);
			return LADDER_EIO;
		}
		if (*stop) {
			ldr_error(diags, "interrupted", c->path, 0, 0,
				  "interrupted while waiting for another "
				  "ladder's lock; nothing was done");
			close(fd);
			return LADDER_EINTERRUPTED;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited_ms = (now.tv_sec - start.tv_sec) * 1000 +
				 (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited_ms >= c->timeout_ms) {
			ldr_error(diags, "lock-timeout", c->path, 0, 0,
				  "another ladder holds the lock on '%s'; "
				  "gave up after %d ms",
				  c->path, c->timeout_ms);
			close(fd);
			return LADDER_EDB;
		}
		usleep((useconds_t)nap_us);
		if (nap_us < 50000)
			nap_us *= 2;
	}
	c->lock_fd = fd;
	return 0;
}

/* SQLite's table-rebuild procedure (https://sqlite.org/lang_altertable.html
 * §7) for a `foreign_keys: off` step: enforcement off outside the
 * transaction, PRAGMA foreign_key_check before the commit, then back to
 * what the connection had. */
int ldr_sqlite_step_prepare(ldr_conn *c, const ladder_migration *mig,
			    ladder_diags *diags)
{
	assert(c && mig);
	if (!mig->foreign_keys_off)
		return 0;
	int rc = ldr_sqlite_materialize(c, 1, diags);
	if (!rc)
		rc = ldr_sqlite_run(c, "PRAGMA foreign_keys = OFF", diags,
				    "cannot set foreign_keys");
	if (!rc)
		c->fk_off_now = 1;
	return rc;
}

int ldr_sqlite_step_restore(ldr_conn *c, const ladder_migration *mig,
			    ladder_diags *diags)
{
	assert(c);
	(void)mig;
	if (!c->fk_off_now)
		return 0;
	c->fk_off_now = 0;
	return ldr_sqlite_run(c,
			      c->fk_default ? "PRAGMA foreign_keys = ON"
					    : "PRAGMA foreign_keys = OFF",
			      diags, "cannot set foreign_keys");
}

/* Reports each violation PRAGMA foreign_key_check finds (the first 20,
 * then a count), when step_prepare() turned enforcement off. A WITHOUT
 * ROWID table has no rowid to name (the pragma gives NULL). */
int ldr_sqlite_step_verify(ldr_conn *c, const ladder_migration *mig,
			   const char *file, ladder_diags *diags)
{
	assert(c && file);
	(void)mig;
	if (!c->fk_off_now)
		return 0;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "PRAGMA main.foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return ldr_sqlite_error(c, diags, "cannot check foreign keys");
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ >= 20)
			continue;
		const char *table = ldr_sqlite_text(st, 0);
		const char *parent = ldr_sqlite_text(st, 2);
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			ldr_error(diags, "foreign-key", file, 0, 0,
				  "foreign key broken: a row of '%s' (a "
				  "WITHOUT ROWID table) refers to a missing "
				  "row of '%s'",
				  table ? table : "?", parent ? parent : "?");
		else
			ldr_error(diags, "foreign-key", file, 0, 0,
				  "foreign key broken: a row of '%s' (rowid "
				  "%lld) refers to a missing row of '%s'",
				  table ? table : "?",
				  (long long)sqlite3_column_int64(st, 1),
				  parent ? parent : "?");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ldr_sqlite_error(c, diags, "cannot check foreign keys");
	if (n > 20)
		ldr_error(diags, "foreign-key", file, 0, 0,
			  "... and %ld more broken foreign keys", n - 20);
	return n ? LADDER_EREFUSED : 0;
}

static int schema_fn(ldr_conn *c, void *arg, ladder_diags *diags)
{
	ldr_buf *out = arg;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(
		    c->db,
		    "SELECT sql FROM main.sqlite_schema"
		    " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' "
		    "ESCAPE '\\'"
		    "   AND tbl_name NOT IN (?1, ?1 || '_attempts')"
		    " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1"
		    "   WHEN 'index' THEN 2 ELSE 3 END, name",
		    -1, &st, NULL) != SQLITE_OK)
		return ldr_sqlite_error(c, diags, "cannot read the schema");
	sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sql = ldr_sqlite_text(st, 0);
		/* Each line with its trailing blanks trimmed. */
		for (const char *p = sql; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			size_t k = n;
			while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' ||
				     p[k - 1] == '\r'))
				k--;
			ldr_buf_add(out, p, k);
			if (!nl)
				break;
			ldr_buf_addc(out, '\n');
			p = nl + 1;
		}
		ldr_buf_add(out, ";\n", 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ldr_sqlite_error(c, diags, "cannot read the schema");
	return 0;
}

void ldr_sqlite_reset_buf(void *out)
{
	ldr_buf_reset(out);
}

int ldr_sqlite_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	int rc = ldr_sqlite_materialize(c, 0, diags);
	if (rc || !c->db)
		return rc;
	return ldr_sqlite_read_view(c, schema_fn, ldr_sqlite_reset_buf, out,
				    diags);
}

/* The default backup path: <database>.backup-YYYYmmddTHHMMSSZ beside it
 * (caller frees). */
static char *backup_path(const ldr_conn *c, const char *wanted)
{
	if (wanted && *wanted)
		return ldr_strdup(wanted);
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return NULL;
	ldr_buf b = LDR_BUF_INIT;
	ldr_buf_addf(&b, "%s.backup-%s", c->path, stamp);
	return ldr_buf_detach(&b);
}

int ldr_sqlite_verify_copy(const char *path, ladder_diags *diags)
{
	assert(path);
	sqlite3 *copy = NULL;
	sqlite3_stmt *st = NULL;
	const char *verdict = NULL;
	int rc = 0;
	/* Read-only, and no URI or symlink games: the file just written. */
	char *name = ldr_sqlite_plain_name(path);
	if (name &&
	    sqlite3_open_v2(name, &copy, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(copy, "PRAGMA integrity_check", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		verdict = (const char *)sqlite3_column_text(st, 0);
	/* Every row but a single "ok" is a failure; so is no verdict. */
	if (!verdict || strcmp(verdict, "ok") ||
	    sqlite3_step(st) != SQLITE_DONE) {
		ldr_error(diags, "backup", path, 0, 0,
			  "the backup '%s' fails integrity_check: %s", path,
			  verdict ? verdict
			  : copy  ? sqlite3_errmsg(copy)
				  : "out of memory");
		rc = LADDER_EDB;
	}
	sqlite3_finalize(st);
	sqlite3_close(copy);
	sqlite3_free(name);
	return rc;
}

/* VACUUM INTO reads in one transaction, so the copy is consistent even
 * with other writers about; it refuses to write over a file. The copy is
 * then opened on its own and must pass integrity_check. */
int ldr_sqlite_backup(ldr_conn *c, const char *wanted, char **written,
		      char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	assert(c && written && hex);
	*written = NULL;
	int rc = ldr_sqlite_materialize(c, 1, diags);
	if (rc)
		return rc;
	char *path = backup_path(c, wanted);
	sqlite3_stmt *st = NULL;
	if (!path)
		return LADDER_ENOMEM;
	if (access(path, F_OK) == 0) {
		ldr_error(diags, "backup", path, 0, 0,
			  "'%s' already exists; ladder never writes over a "
			  "file",
			  path);
		rc = LADDER_EREFUSED;
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, "VACUUM INTO ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = ldr_sqlite_error(c, diags, "cannot back up");
		goto out;
	}
	/* The file named so, not a URI. */
	char *name = ldr_sqlite_plain_name(path);
	if (!name) {
		sqlite3_finalize(st);
		rc = LADDER_ENOMEM;
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, sqlite3_free);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = ldr_sqlite_error(c, diags, "cannot back up");
	sqlite3_finalize(st);
	if (rc || (rc = ldr_sqlite_verify_copy(path, diags)))
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
	free(path);
	return rc;
}

/* The connection settings a step can change with a PRAGMA and that ladder
 * puts back after each step (journal_mode is left alone: WAL is the
 * database's, and a `transaction: false` step may set it on purpose). */
static const char *const kept_pragmas[] = {
	"legacy_alter_table",
	"recursive_triggers",
	"reverse_unordered_selects",
	"defer_foreign_keys",
	"ignore_check_constraints",
	"automatic_index",
	"trusted_schema",
	"cell_size_check",
	"query_only",
	"read_uncommitted",
	"writable_schema",
	"foreign_keys",
	"temp_store",
	"cache_size",
	"cache_spill",
	"secure_delete",
	"synchronous",
	"journal_size_limit",
	"mmap_size",
	"full_column_names",
	"short_column_names",
	"count_changes",
	"empty_result_callbacks",
	"fullfsync",
	"checkpoint_fullfsync",
	"locking_mode",
	"max_page_count",
};
#define N_KEPT (sizeof(kept_pragmas) / sizeof(kept_pragmas[0]))
_Static_assert(N_KEPT == LDR_SQLITE_KEPT, "kept_pragmas and ldr_conn.kept");

int ldr_sqlite_pragma(ldr_conn *c, const char *name, char *out, size_t cap)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	sqlite3_stmt *st = NULL;
	out[0] = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0; /* not in this build of SQLite */
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

/* `sql` prepared once in *st for every step's reset (finalized with the
 * connection); SQLite prepares it again by itself when the schema or a
 * setting it depends on changed. SQLITE_OK or SQLite's error. */
static int reused(ldr_conn *c, sqlite3_stmt **st, const char *sql)
{
	if (*st)
		return SQLITE_OK;
	return sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
				  NULL);
}

/* The kept setting i, as ldr_sqlite_pragma() reads it. */
static void read_kept(ldr_conn *c, size_t i, char *out, size_t cap)
{
	char sql[64];
	out[0] = 0;
	snprintf(sql, sizeof(sql), "PRAGMA %s", kept_pragmas[i]);
	if (reused(c, &c->q_kept[i], sql) != SQLITE_OK)
		return; /* not in this build of SQLite */
	sqlite3_stmt *st = c->q_kept[i];
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
}

/* Names of `sql`'s rows' first two columns, each "type\037name\036"; the
 * statement is kept in *cache. */
static int list_names(ldr_conn *c, sqlite3_stmt **cache, const char *sql,
		      ldr_buf *out)
{
	if (reused(c, cache, sql) != SQLITE_OK)
		return LADDER_EDB;
	sqlite3_stmt *st = *cache;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = ldr_sqlite_text(st, 0),
			   *b = ldr_sqlite_text(st, 1);
		ldr_buf_addf(out, "%s\037%s\036", a ? a : "", b ? b : "");
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : LADDER_EDB;
}

static int listed(const ldr_buf *list, const char *item, size_t len)
{
	for (const char *p = list->data; p && *p;) {
		const char *end = strchr(p, '\036');
		if (!end)
			break;
		if ((size_t)(end - p) == len && !memcmp(p, item, len))
			return 1;
		p = end + 1;
	}
	return 0;
}

#define TEMP_OBJECTS                                                           \
	"SELECT type, name FROM temp.sqlite_schema WHERE type IN "             \
	"('trigger', 'view', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE "  \
	"'\\' ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 "    \
	"ELSE 2 END"
#define ATTACHED                                                               \
	"SELECT 'database', name FROM pragma_database_list WHERE name NOT IN " \
	"('main', 'temp')"

/* PRAGMA case_sensitive_like cannot be read back; LIKE can be asked. */
static int like_ignores_case(ldr_conn *c)
{
	int yes = 0;
	if (reused(c, &c->q_like, "SELECT 'a' LIKE 'A'") == SQLITE_OK) {
		if (sqlite3_step(c->q_like) == SQLITE_ROW)
			yes = sqlite3_column_int(c->q_like, 0);
		sqlite3_reset(c->q_like);
	}
	return yes;
}

int ldr_sqlite_reset(ldr_conn *c, int snapshot, ladder_diags *diags)
{
	int rc = ldr_sqlite_materialize(c, 1, diags);
	if (rc || !c->db)
		return rc;
	if (snapshot) {
		for (size_t i = 0; i < N_KEPT; i++)
			read_kept(c, i, c->kept[i], sizeof(c->kept[i]));
		/* An application's own TEMP objects and attachments stay. */
		ldr_buf_reset(&c->kept_objects);
		if (list_names(c, &c->q_temp, TEMP_OBJECTS, &c->kept_objects) ||
		    list_names(c, &c->q_attached, ATTACHED, &c->kept_objects))
			return ldr_sqlite_error(c, diags,
						"cannot read the connection");
		c->snapped = 1;
		c->unsettled = 0;
		return 0;
	}
	/* On ladder's own connection the authorizer sees every statement:
	 * when it saw nothing that could change a setting, a TEMP object or
	 * an attachment, there is nothing to read back. An application's
	 * handle is guarded only while a step runs: always read there. */
	if (!c->snapped || (!c->adopted && !c->unsettled))
		return 0;
	ldr_buf now = LDR_BUF_INIT, sql = LDR_BUF_INIT;
	char value[sizeof(c->kept[0])];
	for (size_t i = 0; i < N_KEPT && !rc; i++) {
		read_kept(c, i, value, sizeof(value));
		if (!strcmp(value, c->kept[i]) || !*c->kept[i])
			continue;
		ldr_buf_reset(&sql);
		ldr_buf_addf(&sql, "PRAGMA %s = %s", kept_pragmas[i],
			     c->kept[i]);
		rc = ldr_sqlite_run(c, sql.data, diags,
				    "cannot restore a setting");
	}
	if (!c->adopted) {
		/* What ladder's own connection had at open; case_sensitive_like
		 * cannot be read back (LIKE is asked instead), and PRAGMA
		 * busy_timeout replaces the handler that makes waits
		 * interruptible. */
		if (!rc && !like_ignores_case(c))
			rc = ldr_sqlite_run(c,
					    "PRAGMA case_sensitive_like = OFF",
					    diags, "cannot restore a setting");
		ldr_sqlite_busy_handler(c);
	}
	if (!rc && list_names(c, &c->q_temp, TEMP_OBJECTS, &now))
		rc = ldr_sqlite_error(c, diags, "cannot read the TEMP schema");
	if (!rc && sqlite3_get_autocommit(c->db) &&
	    list_names(c, &c->q_attached, ATTACHED, &now))
		rc = ldr_sqlite_error(c, diags,
				      "cannot read the attached databases");
	for (const char *p = now.data; !rc && p && *p;) {
		const char *end = strchr(p, '\036'), *sep = strchr(p, '\037');
		if (!end || !sep)
			break;
		if (!listed(&c->kept_objects, p, (size_t)(end - p))) {
			char *stmt =
				!strncmp(p, "database", 8)
					? sqlite3_mprintf("DETACH \"%.*w\"",
							  (int)(end - sep - 1),
							  sep + 1)
					: sqlite3_mprintf("DROP %.*s IF EXISTS "
							  "temp.\"%.*w\"",
							  (int)(sep - p), p,
							  (int)(end - sep - 1),
							  sep + 1);
			if (!stmt)
				rc = LADDER_ENOMEM;
			else
				rc = ldr_sqlite_run(
					c, stmt, diags,
					"cannot clear what a step left on the "
					"connection");
			sqlite3_free(stmt);
		}
		p = end + 1;
	}
	ldr_buf_release(&now);
	ldr_buf_release(&sql);
	/* what it read and ran itself is not a step's */
	if (!rc)
		c->unsettled = 0;
	return rc;
}
