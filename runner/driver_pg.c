/*
 * driver_pg.c — the PostgreSQL driver's connection (libpq): connecting
 * (refusing writes on a hot standby, detecting a pooler), the runner lock
 * (a session advisory lock, polled so a signal stops the wait), ladder's
 * transactions (BEGIN plus a transaction-scoped advisory lock), running a
 * migration's statements (the extended protocol, which refuses two
 * commands in one string; pipelined inside ladder's transaction), cancel
 * (PQcancel, signal-safe), and mapping the server's errors to LADDER_E*
 * statuses and diagnostics (SQLSTATE, the error position as
 * FILE:LINE:COLUMN, the PL/pgSQL line). The bookkeeping table is in
 * pg_bookkeeping.c; schema dump, backups and export's DDL in pg_extras.c.
 *
 * Round trips of a transactional step (the pipeline): begin() only queues
 * BEGIN and the step lock; recorded() sends them with its query (1); the
 * statements and the row go together, followed by a guard (2); COMMIT
 * (3). The guard — a SAVEPOINT, which fails outside a transaction block —
 * proves that nothing a migration ran ended ladder's transaction before
 * COMMIT is sent.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "driver_pg.h"
#include "ldrx.h"

static void step_savepoint_name(ldr_conn *c);

/* ------------------------------------------------------------- waiting -- */

static void probe_blockers(ldr_conn *c);

/* Sends what is buffered and waits until a result can be read without
 * blocking. With `cancel` (a migration's statement or a lock wait runs), a
 * set stop flag cancels it (once): a signal that came just before the
 * statement started is not lost. ladder's own bookkeeping is never
 * cancelled. A migration's statement of a step with a lock_timeout that
 * waits half of it has who blocks it probed (once per wait), so that a
 * timeout can name them. Returns 0, or -1 when the connection failed. */
static int wait_ready(ldr_conn *c, int cancel)
{
	int cancelled = 0, probed = 0;
	int probe = cancel && c->step_lock_ms > 0 && !c->pooled;
	int64_t start = probe ? ldrx_now_us() : 0;
	for (;;) {
		int f = PQflush(c->pg);
		if (f < 0 || !PQconsumeInput(c->pg))
			return -1;
		if (f == 0 && !PQisBusy(c->pg))
			return 0;
		if (cancel && c->stop && *c->stop && !cancelled) {
			char err[256];
			PGcancel *k = c->cancel;
			if (k)
				PQcancel(k, err, sizeof(err));
			cancelled = 1;
		}
		struct pollfd p = {.fd = PQsocket(c->pg),
				   .events =
					   (short)(POLLIN | (f ? POLLOUT : 0))};
		if (p.fd < 0)
			return -1;
		if (poll(&p, 1, probe ? 10 : 100) < 0 && errno != EINTR)
			return -1;
		if (probe && !probed && !cancelled &&
		    ldrx_now_us() - start >= (int64_t)c->step_lock_ms * 500) {
			probed = 1;
			probe_blockers(c);
		}
	}
}

/* Who blocks ladder's backend now: pg_blocking_pids() read with
 * pg_stat_activity on a second, short connection (the first is busy
 * waiting), made with the first's own parameters. Keeps the answer in
 * c->blockers; a probe that fails leaves it as it was. */
static void probe_blockers(ldr_conn *c)
{
	PQconninfoOption *info = PQconninfo(c->pg);
	const char *keys[64], *values[64];
	size_t n = 0;
	for (PQconninfoOption *o = info; o && o->keyword && n < 61; o++) {
		if (!o->val || !strcmp(o->keyword, "application_name") ||
		    !strcmp(o->keyword, "connect_timeout"))
			continue;
		keys[n] = o->keyword;
		values[n++] = o->val;
	}
	keys[n] = "application_name";
	values[n++] = "ladder (lock probe)";
	keys[n] = "connect_timeout";
	values[n++] = "2";
	keys[n] = NULL;
	values[n] = NULL;
	PGconn *pg = info ? PQconnectdbParams(keys, values, 0) : NULL;
	PQconninfoFree(info);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", c->backend_pid);
	const char *const params[] = {pid};
	PGresult *r =
		pg && PQstatus(pg) == CONNECTION_OK
			? PQexecParams(pg,
				       "SELECT a.pid, a.application_name, "
				       "a.query_start, a.state, "
				       "pg_catalog.left(a.query, 120) "
				       "FROM pg_catalog.pg_stat_activity a "
				       "WHERE a.pid OPERATOR(pg_catalog.=) ANY "
				       "(pg_catalog.pg_blocking_pids("
				       "$1::pg_catalog.int4)) ORDER BY a.pid",
				       1, NULL, params, NULL, NULL, 0)
			: NULL;
	ldr_buf b = LDR_BUF_INIT;
	int rc = 0;
	for (int i = 0; r && PQresultStatus(r) == PGRES_TUPLES_OK && !rc &&
			i < PQntuples(r) && i < 5;
	     i++)
		rc = ldr_buf_addf(&b,
				  "%spid %s (application_name '%s', state "
				  "'%s', query started %s: %s)",
				  i ? "; " : "", PQgetvalue(r, i, 0),
				  PQgetvalue(r, i, 1), PQgetvalue(r, i, 3),
				  PQgetvalue(r, i, 2), PQgetvalue(r, i, 4));
	PQclear(r);
	if (pg)
		PQfinish(pg);
	if (!rc && b.len) {
		free(c->blockers);
		c->blockers = ldr_buf_detach(&b);
	}
	ldr_buf_release(&b);
}

/* ---------------------------------------------------------- the errors -- */

/* The line and byte column of character `pos` (1-based, as the server
 * counts) in `sql`, which starts at `line`, column `*column` (0: 1). */
static void place(const char *sql, size_t len, unsigned long pos,
		  unsigned *line, unsigned *column)
{
	unsigned l = *line, col = *column ? *column : 1;
	unsigned long chars = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)sql[i];
		if ((b & 0xc0) != 0x80 && ++chars == pos)
			break;
		if (b == '\n') {
			l++;
			col = 1;
		} else {
			col++;
		}
	}
	*line = l;
	*column = col;
}

/* The file line of a PL/pgSQL body line `n`: the body starts at the first
 * dollar quote's opening tag. 0 when there is none. */
static unsigned body_line(const char *sql, size_t len, unsigned line,
			  unsigned long n)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (sql[i] == '\n')
			line++;
		if (sql[i] == '$') {
			size_t j = i + 1;
			while (j < len && (sql[j] == '_' ||
					   (sql[j] >= 'a' && sql[j] <= 'z') ||
					   (sql[j] >= 'A' && sql[j] <= 'Z') ||
					   (sql[j] >= '0' && sql[j] <= '9')))
				j++;
			if (j < len && sql[j] == '$' &&
			    !(sql[i + 1] >= '0' && sql[i + 1] <= '9'))
				return line + (unsigned)n - 1;
		}
	}
	return 0;
}

/* The PL/pgSQL body line the context names, for a body written in this
 * statement (a DO block, or the compilation of a function it creates). */
static unsigned long context_line(const char *ctx)
{
	if (!ctx || !(strstr(ctx, "inline_code_block") ||
		      strstr(ctx, "compilation of PL/pgSQL")))
		return 0;
	const char *p = strstr(ctx, " line ");
	return p ? strtoul(p + 6, NULL, 10) : 0;
}

static const char *field(const PGresult *res, int code)
{
	const char *s = res ? PQresultErrorField(res, code) : NULL;
	return s && *s ? s : NULL;
}

/* The connection's error message without its trailing newline. */
static void conn_message(const ldr_conn *c, char *out, size_t n)
{
	snprintf(out, n, "%s", c->pg ? PQerrorMessage(c->pg) : "no connection");
	size_t len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
}

static int pg_error_at(ldr_conn *c, const PGresult *res, const char *file,
		       unsigned line, unsigned column, const char *sql,
		       size_t len, ladder_diags *diags, const char *what);

int ldr_pg_error(ldr_conn *c, const PGresult *res, const char *file,
		 unsigned line, const char *sql, size_t len,
		 ladder_diags *diags, const char *what)
{
	return pg_error_at(c, res, file, line, 1, sql, len, diags, what);
}

/* ldr_pg_error() for a statement that starts at `line`:`column`. */
static int pg_error_at(ldr_conn *c, const PGresult *res, const char *file,
		       unsigned line, unsigned column, const char *sql,
		       size_t len, ladder_diags *diags, const char *what)
{
	assert(c && what);
	const char *where = file ? file : c->display;
	if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD || c->lost ||
	    (!res && !field(res, PG_DIAG_SQLSTATE))) {
		char msg[512];
		conn_message(c, msg, sizeof(msg));
		if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD || c->lost) {
			c->lost = 1;
			ldr_error(diags, "connection-lost", where, line, 0,
				  "%s: the connection to '%s' was lost (%s)",
				  what, c->display, *msg ? msg : "no reason");
			return LADDER_EDB;
		}
		if (!res) {
			ldr_error(diags, "database", where, line, 0, "%s: %s",
				  what, *msg ? msg : "unknown error");
			return LADDER_EDB;
		}
	}
	const char *state = field(res, PG_DIAG_SQLSTATE);
	const char *primary = field(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!primary)
		primary = PQresultErrorMessage(res);
	if (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
		      !strcmp(state, "57P02") || !strcmp(state, "57P03"))) {
		/* the server ends the session: nothing more runs on it */
		c->lost = 1;
		ldr_error(diags, "connection-lost", where, line, 0,
			  "%s: the connection to '%s' was lost (%s)", what,
			  c->display, primary);
		ldr_diag_sqlstate(diags, state);
		return LADDER_EDB;
	}
	if (state && !strcmp(state, "57014") && c->stop && *c->stop) {
		if (!file)
			ldr_error(diags, "interrupted", c->display, 0, 0,
				  "%s: interrupted", what);
		return LADDER_EINTERRUPTED;
	}
	if (state && !strcmp(state, "55P03") && !file) {
		ldr_error(diags, "lock-timeout", c->display, 0, 0,
			  "%s: another program held a lock on '%s' for longer "
			  "than %d ms (%s)",
			  what, c->display, c->timeout_ms, primary);
		ldr_diag_sqlstate(diags, state);
		return LADDER_EDB;
	}
	/* A migration's statement that waited too long for a lock, or was
	 * chosen to break a deadlock: the step, run again, may pass. */
	int lock_wait = file && state &&
			(!strcmp(state, "55P03") || !strcmp(state, "40P01"));
	c->retryable |= lock_wait;
	c->unsafe_new_value |= file && state && !strcmp(state, "55P04");
	unsigned l = line, col = column;
	const char *pos = field(res, PG_DIAG_STATEMENT_POSITION);
	const char *ctx = field(res, PG_DIAG_CONTEXT);
	unsigned long body = context_line(ctx);
	if (sql && pos && line) {
		place(sql, len, strtoul(pos, NULL, 10), &l, &col);
	} else if (sql && body && line) {
		col = 0;
		unsigned at = body_line(sql, len, line, body);
		if (at)
			l = at;
	} else {
		col = 0;
	}
	ldr_buf msg = LDR_BUF_INIT;
	/* ladder's refusal of a write to its tables (pg_bookkeeping.c) */
	int own = state && !strcmp(state, LDR_PG_OWN_STATE);
	if (own)
		ctx = NULL;
	int rc = ldr_buf_addf(&msg, "%s%s%s", file || own ? "" : what,
			      file || own ? "" : ": ", primary);
	size_t n = msg.len;
	while (!rc && n && (msg.data[n - 1] == '\n' || msg.data[n - 1] == ' '))
		msg.data[--n] = '\0';
	msg.len = n;
	const char *detail = field(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = field(res, PG_DIAG_MESSAGE_HINT);
	if (!rc && detail)
		rc = ldr_buf_addf(&msg, "; %s", detail);
	if (!rc && hint)
		rc = ldr_buf_addf(&msg, "; hint: %s", hint);
	if (!rc && lock_wait && c->blockers)
		rc = ldr_buf_addf(&msg, "; blocked by %s", c->blockers);
	if (!rc && ctx && !pos)
		rc = ldr_buf_addf(&msg, " (context: %s)", ctx);
	if (!rc && state)
		rc = ldr_buf_addf(&msg, " (SQLSTATE %s)", state);
	const char *code = !file ? "database" : "sql";
	if (own)
		code = "bookkeeping-write";
	else if (lock_wait)
		code = !strcmp(state, "55P03") ? "lock-timeout" : "deadlock";
	else if (state && !strcmp(state, "25006"))
		code = "read-only";
	else if (state && !strncmp(state, "53", 2))
		code = "disk-full";
	if (!rc)
		rc = ldr_error(diags, code, where, l, col, "%s", msg.data);
	if (!rc)
		rc = ldr_diag_sqlstate(diags, state);
	ldr_buf_release(&msg);
	return rc ? rc : LADDER_EDB;
}

/* ------------------------------------------------------- the pipeline -- */

static void queue_clear(ldr_conn *c)
{
	for (size_t i = 0; i < c->nqueued; i++) {
		free(c->queue[i].file);
		free(c->queue[i].sql);
	}
	c->nqueued = 0;
	c->queued_bytes = 0;
}

/* Sends one statement (extended protocol, text parameters); inside the
 * pipeline it is queued with what an error report needs. */
static int send(ldr_conn *c, const char *sql, int n, const char *const *params,
		const char *file, unsigned line, unsigned column, size_t len,
		int ours, ladder_diags *diags)
{
	if (c->piped) {
		if (c->nqueued == c->capqueued) {
			size_t cap = c->capqueued ? c->capqueued * 2 : 16;
			struct ldr_pg_queued *q =
				realloc(c->queue, cap * sizeof(*q));
			if (!q)
				return LADDER_ENOMEM;
			c->queue = q;
			c->capqueued = cap;
		}
		struct ldr_pg_queued q = {.line = line,
					  .column = column,
					  .len = len,
					  .ours = ours};
		if ((file && !(q.file = ldr_strdup(file))) ||
		    (!ours && !(q.sql = ldr_strndup(sql, len)))) {
			free(q.file);
			return LADDER_ENOMEM;
		}
		c->queue[c->nqueued++] = q;
		c->queued_bytes += len;
	}
	if (PQsendQueryParams(c->pg, sql, n, NULL, params, NULL, NULL, 0) != 1)
		return ldr_pg_error(c, NULL, file, line, NULL, 0, diags,
				    "cannot send a statement");
	return 0;
}

/* A statement's whole result: the first failure, else the last result
 * (the caller clears it). NULL when the connection failed. */
static PGresult *collect(ldr_conn *c, int cancel)
{
	PGresult *keep = NULL, *r;
	for (;;) {
		if (wait_ready(c, cancel))
			break;
		if (!(r = PQgetResult(c->pg)))
			break;
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			/* not ours to take here; never expected */
			PQclear(r);
			break;
		}
		int bad = st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE ||
			  st == PGRES_PIPELINE_ABORTED;
		if (!keep ||
		    (bad && PQresultStatus(keep) != PGRES_FATAL_ERROR)) {
			PQclear(keep);
			keep = r;
		} else {
			PQclear(r);
		}
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT ||
		    st == PGRES_COPY_BOTH) {
			/* ladder never copies: end it with an error */
			if (st == PGRES_COPY_IN)
				PQputCopyEnd(c->pg, "ladder does not copy");
		}
	}
	return keep;
}

static int result_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	       st == PGRES_EMPTY_QUERY;
}

/* Marks the pipeline's end, reads every queued statement's result in
 * order, and leaves pipeline mode. The first failure is reported against
 * its statement (its file and line, or `what` for ladder's own); *last
 * (may be NULL) gets the last statement's result when every one
 * succeeded. */
static int pipe_sync(ldr_conn *c, PGresult **last, ladder_diags *diags,
		     const char *what)
{
	if (last)
		*last = NULL;
	if (!c->piped)
		return 0;
	int rc = 0, cancel = c->pooled;
	for (size_t i = 0; i < c->nqueued; i++)
		cancel |= !c->queue[i].ours;
	if (PQpipelineSync(c->pg) != 1)
		rc = ldr_pg_error(c, NULL, NULL, 0, NULL, 0, diags, what);
	for (size_t i = 0; !rc && i < c->nqueued; i++) {
		const struct ldr_pg_queued *q = &c->queue[i];
		PGresult *r = collect(c, cancel);
		if (!r) {
			rc = ldr_pg_error(c, NULL, q->file, q->line, NULL, 0,
					  diags, what);
			break;
		}
		if (PQresultStatus(r) == PGRES_FATAL_ERROR && q->ours == 2) {
			/* the guard: ladder's transaction had ended */
			ldr_error(diags, "tx-control", c->display, 0, 0,
				  "a statement of the migration ended "
				  "ladder's transaction; nothing after it was "
				  "kept, and no row was recorded");
			rc = LADDER_EDB;
		} else if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
			rc = pg_error_at(c, r, q->file, q->line, q->column,
					 q->sql, q->len, diags,
					 q->ours ? what : "statement failed");
			if (q->sql && rc == LADDER_EDB) {
				const char *st =
					PQresultErrorField(r, PG_DIAG_SQLSTATE);
				if (st && !strcmp(st, "42601") &&
				    strstr(PQresultErrorMessage(r),
					   "multiple commands"))
					ldr_error(diags, "sql", q->file,
						  q->line, 0,
						  "PostgreSQL reads more than "
						  "one statement where ladder "
						  "reads one; nothing of it "
						  "was kept");
			}
		}
		if (rc) {
			PQclear(r);
			/* the rest are aborted: read them to the sync */
			for (size_t j = i + 1; j < c->nqueued; j++)
				PQclear(collect(c, cancel));
			break;
		}
		if (last && i + 1 == c->nqueued)
			*last = r;
		else
			PQclear(r);
	}
	/* up to and including the sync */
	if (!c->lost) {
		PGresult *r;
		while (!wait_ready(c, cancel) && (r = PQgetResult(c->pg))) {
			ExecStatusType st = PQresultStatus(r);
			PQclear(r);
			if (st == PGRES_PIPELINE_SYNC)
				break;
		}
		if (PQstatus(c->pg) == CONNECTION_BAD && !rc)
			rc = ldr_pg_error(c, NULL, NULL, 0, NULL, 0, diags,
					  what);
	}
	queue_clear(c);
	if (!c->lost && PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF)
		PQexitPipelineMode(c->pg);
	c->piped = 0;
	if (rc && last && *last) {
		PQclear(*last);
		*last = NULL;
	}
	return rc;
}

static int pipe_enter(ldr_conn *c, ladder_diags *diags)
{
	if (c->piped)
		return 0;
	if (PQenterPipelineMode(c->pg) != 1)
		return ldr_pg_error(c, NULL, NULL, 0, NULL, 0, diags,
				    "cannot start a pipeline");
	c->piped = 1;
	return 0;
}

/* ------------------------------------------------------------ queries -- */

int ldr_pg_query(ldr_conn *c, const char *sql, int n, const char *const *params,
		 PGresult **res, ladder_diags *diags, const char *what)
{
	assert(c && sql && what);
	if (res)
		*res = NULL;
	if (c->lost)
		return ldr_pg_error(c, NULL, NULL, 0, NULL, 0, diags, what);
	if (c->piped) {
		/* sent together with what the pipeline holds: one trip */
		int rc = send(c, sql, n, params, NULL, 0, 0, 0, 1, diags);
		PGresult *r = NULL;
		if (!rc)
			rc = pipe_sync(c, &r, diags, what);
		if (res)
			*res = r;
		else
			PQclear(r);
		return rc;
	}
	int rc = send(c, sql, n, params, NULL, 0, 0, 0, 1, diags);
	if (rc)
		return rc;
	PGresult *r = collect(c, 0);
	if (!r || !result_ok(r)) {
		rc = ldr_pg_error(c, r, NULL, 0, NULL, 0, diags, what);
		PQclear(r);
		return rc;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

int ldr_pg_send(ldr_conn *c, const char *sql, int n, const char *const *params,
		ladder_diags *diags, const char *what)
{
	if (!c->ours || c->lost)
		return ldr_pg_query(c, sql, n, params, NULL, diags, what);
	int rc = pipe_enter(c, diags);
	return rc ? rc : send(c, sql, n, params, NULL, 0, 0, 0, 1, diags);
}

/* Runs ladder's own SQL with no parameters and no rows wanted. */
static int run(ldr_conn *c, const char *sql, ladder_diags *diags,
	       const char *what)
{
	return ldr_pg_query(c, sql, 0, NULL, NULL, diags, what);
}

/* The query member: ladder's own statement, each row's columns as text
 * (NULL for SQL NULL), in ladder's transaction when one is open. */
static int pg_query_rows(ldr_conn *c, const char *sql,
			 int (*fn)(void *ctx, int ncol, const char *const *col),
			 void *ctx, ladder_diags *diags)
{
	assert(c && sql && fn);
	PGresult *r = NULL;
	int rc = ldr_pg_query(c, sql, 0, NULL, &r, diags, "cannot read");
	int n = rc ? 0 : PQnfields(r);
	const char **cols =
		rc ? NULL : calloc(n ? (size_t)n : 1, sizeof(*cols));
	if (!rc && !cols)
		rc = LADDER_ENOMEM;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		for (int k = 0; k < n; k++)
			cols[k] = PQgetisnull(r, i, k) ? NULL
						       : PQgetvalue(r, i, k);
		rc = fn(ctx, n, cols);
	}
	free(cols);
	PQclear(r);
	return rc;
}

void ldr_pg_end_snapshot(ldr_conn *c)
{
	if (!c->snap_open)
		return;
	c->snap_open = 0;
	c->snapshot[0] = '\0';
	run(c, "COMMIT", NULL, "cannot end the read");
}

/* -------------------------------------------------------- the target -- */

char *ldr_pg_display(const char *target)
{
	return ldr_target_display(target);
}

/* A 32-bit FNV-1a hash of the qualified table name: the lock keys'
 * second half, the same for every ladder on any host. */
static int32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return (int32_t)h;
}

static char *qualified(const char *schema, const char *table,
		       const char *suffix)
{
	ldr_buf b = LDR_BUF_INIT;
	char *name = NULL;
	size_t n = strlen(table) + strlen(suffix) + 1;
	char *t = malloc(n);
	if (!t)
		return NULL;
	snprintf(t, n, "%s%s", table, suffix);
	if (!ldr_dialect_pg.quote_ident(&b, schema) && !ldr_buf_addc(&b, '.') &&
	    !ldr_dialect_pg.quote_ident(&b, t))
		name = ldr_buf_detach(&b);
	ldr_buf_release(&b);
	free(t);
	return name;
}

static void conn_free(ldr_conn *c)
{
	if (!c)
		return;
	PGcancel *k = c->cancel;
	c->cancel = NULL; /* before the free: the signal handler reads it */
	PQfreeCancel(k);
	if (c->pg)
		PQfinish(c->pg);
	queue_clear(c);
	free(c->queue);
	free(c->invalid_before);
	free(c->blockers);
	free(c->display);
	free(c->schema);
	free(c->table);
	free(c->qtable);
	free(c->qattempts);
	free(c);
}

/* After connecting: the server's state in one query — a hot standby, a
 * pooler (the backend the server names is not the one the connection was
 * opened to), the current schema. */
static int inspect(ldr_conn *c, const char *schema, int mode,
		   ladder_diags *diags)
{
	PGresult *r = NULL;
	int rc = ldr_pg_query(
		c,
		"SELECT pg_catalog.pg_is_in_recovery(), "
		"pg_catalog.pg_backend_pid(), pg_catalog.current_schema(), "
		"pg_catalog.current_setting('server_version_num')",
		0, NULL, &r, diags, "cannot read the server's state");
	if (rc)
		return rc;
	c->standby = !strcmp(PQgetvalue(r, 0, 0), "t");
	c->backend_pid = atoi(PQgetvalue(r, 0, 1));
	c->pooled = c->backend_pid != PQbackendPID(c->pg);
	c->server_num = atoi(PQgetvalue(r, 0, 3));
	const char *current = PQgetisnull(r, 0, 2) ? NULL : PQgetvalue(r, 0, 2);
	if (!schema && !current) {
		ldr_error(diags, "database", c->display, 0, 0,
			  "'%s' has no current schema (the search_path names "
			  "none that exists): set 'schema:' in the manifest",
			  c->display);
		rc = LADDER_EDB;
	} else if (!(c->schema = ldr_strdup(schema ? schema : current))) {
		rc = LADDER_ENOMEM;
	}
	PQclear(r);
	if (rc)
		return rc;
	if (c->standby && mode == LADDER_OPEN_WRITE) {
		ldr_error(diags, "read-only", c->display, 0, 0,
			  "'%s' is a hot standby (in recovery): it takes no "
			  "writes; run write commands against the primary",
			  c->display);
		return LADDER_EDB;
	}
	if (!(c->qtable = qualified(c->schema, c->table, "")) ||
	    !(c->qattempts = qualified(c->schema, c->table, "_attempts")))
		return LADDER_ENOMEM;
	c->lock_key = name_hash(c->qtable);
	return 0;
}

/* The server's notices (a NOTICE from CREATE ... IF NOT EXISTS, a
 * migration's RAISE NOTICE) are not ladder's to print. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(ldr_conn **out, const char *target, const char *table,
		   const char *schema, int mode, int timeout_ms,
		   ladder_diags *diags)
{
	assert(out && target && table);
	*out = NULL;
	if (mode == LADDER_OPEN_SCRATCH) {
		ldr_error(diags, "unsupported-database", NULL, 0, 0,
			  "PostgreSQL has no scratch database");
		return LADDER_EUNSUPPORTED;
	}
	int rc = ldr_pq_load(target, diags);
	if (rc)
		return rc;
	ldr_conn *c = calloc(1, sizeof(*c));
	if (!c || !(c->display = ldr_target_display(target)) ||
	    !(c->table = ldr_strdup(table))) {
		conn_free(c);
		return LADDER_ENOMEM;
	}
	c->timeout_ms = timeout_ms;
	c->readonly = mode == LADDER_OPEN_READONLY;
	step_savepoint_name(c);
	static const char *const keys[] = {"dbname",
					   "fallback_application_name", NULL};
	const char *const values[] = {target, "ladder", NULL};
	c->pg = PQconnectdbParams(keys, values, 1);
	if (!c->pg) {
		rc = LADDER_ENOMEM;
	} else if (PQstatus(c->pg) != CONNECTION_OK) {
		char msg[512];
		conn_message(c, msg, sizeof(msg));
		ldr_error(diags, "database", c->display, 0, 0,
			  "cannot connect to '%s': %s", c->display, msg);
		rc = LADDER_EDB;
	} else if (!(c->cancel = PQgetCancel(c->pg))) {
		rc = LADDER_ENOMEM;
	} else {
		PQsetNoticeProcessor(c->pg, quiet, NULL);
		rc = inspect(c, schema, mode, diags);
	}
	if (rc) {
		conn_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int pg_adopt(ldr_conn **out, void *handle, const char *table,
		    int timeout_ms, ladder_diags *diags)
{
	(void)handle;
	(void)table;
	(void)timeout_ms;
	*out = NULL;
	ldr_error(diags, "unsupported-database", NULL, 0, 0,
		  "an application's PostgreSQL connection cannot be adopted "
		  "yet");
	return LADDER_EUNSUPPORTED;
}

static void pg_close(ldr_conn *c)
{
	conn_free(c);
}

/* ------------------------------------------------------------- locks -- */

/* The runner lock: a session advisory lock, tried every 50-200 ms, so
 * the stop flag ends the wait at once. Through a pooler a session lock
 * would stay on a server connection other clients then get: none is
 * taken, and begin()'s step lock alone serialises (docs/postgresql.md). */
static int pg_lock(ldr_conn *c, volatile sig_atomic_t *stop,
		   ladder_diags *diags)
{
	assert(c);
	if (c->locked || c->pooled)
		return 0;
	if (c->standby) {
		ldr_error(diags, "read-only", c->display, 0, 0,
			  "'%s' is a hot standby: it takes no writes",
			  c->display);
		return LADDER_EDB;
	}
	char k1[16], k2[16];
	snprintf(k1, sizeof(k1), "%d", LDR_PG_LOCK_RUN);
	snprintf(k2, sizeof(k2), "%d", (int)c->lock_key);
	const char *const params[] = {k1, k2};
	int64_t start = ldrx_now_us();
	long nap = 50;
	for (;;) {
		if (stop && *stop) {
			ldr_error(diags, "interrupted", c->display, 0, 0,
				  "interrupted while waiting for another "
				  "ladder's lock on '%s'",
				  c->display);
			return LADDER_EINTERRUPTED;
		}
		PGresult *r = NULL;
		int rc = ldr_pg_query(c,
				      "SELECT pg_catalog.pg_try_advisory_lock("
				      "$1::pg_catalog.int4, "
				      "$2::pg_catalog.int4)",
				      2, params, &r, diags,
				      "cannot take the runner lock");
		if (rc)
			return rc;
		int got = !strcmp(PQgetvalue(r, 0, 0), "t");
		PQclear(r);
		if (got) {
			c->locked = 1;
			return 0;
		}
		long waited = (long)((ldrx_now_us() - start) / 1000);
		if (waited >= c->timeout_ms) {
			ldr_error(diags, "lock-timeout", c->display, 0, 0,
				  "another ladder held the lock on '%s' for "
				  "%ld ms; try again later, or raise "
				  "--lock-timeout",
				  c->display, waited);
			return LADDER_EDB;
		}
		struct timespec ts = {0, nap * 1000000L};
		nanosleep(&ts, NULL);
		if (nap < 200)
			nap *= 2;
	}
}

/* Starts ladder's transaction. The first time (table not yet checked) at
 * once: BEGIN, the step lock, the table made ladder's. After that only
 * queued: BEGIN, the step lock under lock_timeout; recorded() sends them
 * with its query, and reports a lock wait that timed out or was stopped. */
static int pg_begin(ldr_conn *c, ladder_diags *diags)
{
	assert(c && !c->ours);
	if (c->lost)
		return ldr_pg_error(c, NULL, NULL, 0, NULL, 0, diags,
				    "cannot start a transaction");
	ldr_pg_end_snapshot(c);
	c->retryable = 0;
	c->unsafe_new_value = 0;
	c->enum_added = 0;
	c->limits_set = 0;
	c->step_lock_ms = 0;
	free(c->blockers);
	c->blockers = NULL;
	if (c->standby) {
		ldr_error(diags, "read-only", c->display, 0, 0,
			  "'%s' is a hot standby: it takes no writes",
			  c->display);
		return LADDER_EDB;
	}
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		ldr_error(diags, "tx-control", c->display, 0, 0,
			  "a transaction is still open on '%s' (a migration "
			  "that runs without ladder's transaction left its "
			  "own open?)",
			  c->display);
		return LADDER_EDB;
	}
	char k1[16], k2[16], ms[32];
	snprintf(k1, sizeof(k1), "%d", LDR_PG_LOCK_STEP);
	snprintf(k2, sizeof(k2), "%d", (int)c->lock_key);
	snprintf(ms, sizeof(ms), "%dms", c->timeout_ms > 0 ? c->timeout_ms : 1);
	const char *const lock_params[] = {k1, k2};
	const char *const to[] = {ms};
	int rc = pipe_enter(c, diags);
	if (!rc)
		rc = send(c, "BEGIN", 0, NULL, NULL, 0, 0, 0, 1, diags);
	if (!rc && c->reset_pending)
		rc = send(c, "RESET ALL", 0, NULL, NULL, 0, 0, 0, 1, diags);
	if (!rc && c->reset_pending)
		rc = send(c, "DISCARD TEMP", 0, NULL, NULL, 0, 0, 0, 1, diags);
	if (!rc)
		rc = send(c,
			  "SELECT pg_catalog.set_config('lock_timeout', $1, "
			  "true)",
			  1, to, NULL, 0, 0, 0, 1, diags);
	if (!rc)
		rc = send(c,
			  "SELECT pg_catalog.pg_advisory_xact_lock("
			  "$1::pg_catalog.int4, $2::pg_catalog.int4)",
			  2, lock_params, NULL, 0, 0, 0, 1, diags);
	if (!rc)
		rc = send(c, "RESET lock_timeout", 0, NULL, NULL, 0, 0, 0, 1,
			  diags);
	if (rc) {
		pipe_sync(c, NULL, NULL, "");
		run(c, "ROLLBACK", NULL, "");
		return rc;
	}
	c->ours = 1;
	if (!c->table_ready) {
		rc = pipe_sync(c, NULL, diags, "cannot start a transaction");
		if (!rc)
			rc = ldr_pg_ensure_table(c, diags);
	}
	if (!rc) /* what ladder's own writes compare (pg_bookkeeping.c) */
		rc = ldr_pg_own_mark(c, diags);
	if (rc) {
		pipe_sync(c, NULL, NULL, "");
		run(c, "ROLLBACK", NULL, "");
		c->ours = 0;
		c->table_made = 0;
	}
	return rc;
}

/* Sends what is queued, then a guard (SAVEPOINT fails outside a
 * transaction block, so it proves ladder's transaction still stands),
 * then COMMIT. */
static int commit_now(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->ours);
	int rc = 0;
	if (c->piped) {
		rc = send(c, "SAVEPOINT ladder_guard", 0, NULL, NULL, 0, 0, 0,
			  1, diags);
		size_t guard = c->nqueued - 1;
		if (!rc) {
			/* ours == 2: the guard (pipe_sync says what its
			 * failure means) */
			c->queue[guard].ours = 2;
			rc = pipe_sync(c, NULL, diags, "ladder's transaction");
		}
	} else if (PQtransactionStatus(c->pg) != PQTRANS_INTRANS) {
		rc = LADDER_EDB;
		ldr_error(diags, "tx-control", c->display, 0, 0,
			  "ladder's transaction ended before its commit");
	}
	if (!rc && PQtransactionStatus(c->pg) != PQTRANS_INTRANS) {
		ldr_error(diags, "tx-control", c->display, 0, 0,
			  "a statement of the migration ended ladder's "
			  "transaction; nothing was recorded");
		rc = LADDER_EDB;
	}
	if (!rc)
		rc = run(c, "COMMIT", diags, "cannot commit");
	if (!rc && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		rc = LADDER_EDB;
	c->ours = 0;
	if (rc) {
		if (!c->lost && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
			run(c, "ROLLBACK", NULL, "");
		c->table_made = 0;
		return rc;
	}
	if (c->table_made)
		c->table_ready = 1;
	c->table_made = 0;
	c->reset_pending = 0;
	return 0;
}

/* Not ended by the stop flag (driver.h): after an interruption, what
 * finished is still committed. Statements still queued are a step's, and
 * stay cancellable. */
static int pg_commit(ldr_conn *c, ladder_diags *diags)
{
	volatile sig_atomic_t *stop = c->stop;
	if (!c->piped)
		c->stop = NULL;
	int rc = commit_now(c, diags);
	c->stop = stop;
	return rc;
}

static void pg_rollback(ldr_conn *c)
{
	if (!c)
		return;
	if (c->piped)
		pipe_sync(c, NULL, NULL, "");
	if (!c->lost && c->pg && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		/* a cancel meant for the step must not stop the rollback */
		volatile sig_atomic_t *stop = c->stop;
		c->stop = NULL;
		run(c, "ROLLBACK", NULL, "");
		c->stop = stop;
	}
	c->table_made = 0;
	c->ours = 0;
}

/* Group commit (driver.h): each step of a group in this savepoint. Queued
 * in the pipeline with what the step sends; release() syncs, so a step's
 * failure is known, and attributed, before the next one starts. */
#define STEP_SAVEPOINT "ladder_step"

/* A name for the step savepoint no migration can know (see driver_pg.h):
 * from getrandom(), or the clock and pid when that fails. */
static void step_savepoint_name(ldr_conn *c)
{
	uint64_t r = 0;
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (uint64_t)ldrx_now_us() * 6364136223846793005ULL ^
		    (uint64_t)getpid();
	snprintf(c->step_sp, sizeof(c->step_sp), STEP_SAVEPOINT "_%016" PRIx64,
		 r);
}

/* Sends or runs "PREFIX <the step savepoint>". */
static int step_sql(ldr_conn *c, const char *prefix, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s %s", prefix, c->step_sp);
	return n > 0 && (size_t)n < cap ? 0 : LADDER_ENOMEM;
}

static int pg_savepoint(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->ours);
	int rc = pipe_enter(c, diags);
	if (!rc && c->reset_pending)
		rc = send(c, "RESET ALL", 0, NULL, NULL, 0, 0, 0, 1, diags);
	if (!rc && c->reset_pending)
		rc = send(c, "DISCARD TEMP", 0, NULL, NULL, 0, 0, 0, 1, diags);
	/* RESET ALL took ladder.own too: the fingerprint again. */
	if (!rc && c->reset_pending)
		rc = ldr_pg_own_mark(c, diags);
	char sql[64];
	if (!rc)
		rc = step_sql(c, "SAVEPOINT", sql, sizeof(sql));
	if (!rc)
		rc = send(c, sql, 0, NULL, NULL, 0, 0, 0, 1, diags);
	return rc;
}

static int pg_release(ldr_conn *c, ladder_diags *diags)
{
	assert(c && c->ours);
	char sql[64];
	int rc = pipe_enter(c, diags);
	if (!rc)
		rc = step_sql(c, "RELEASE SAVEPOINT", sql, sizeof(sql));
	if (!rc)
		rc = send(c, sql, 0, NULL, NULL, 0, 0, 0, 1, diags);
	if (!rc)
		rc = pipe_sync(c, NULL, diags, "cannot end a step");
	if (!rc && PQtransactionStatus(c->pg) != PQTRANS_INTRANS) {
		ldr_error(diags, "tx-control", c->display, 0, 0,
			  "a statement of the migration ended ladder's "
			  "transaction; nothing was recorded");
		rc = LADDER_EDB;
	}
	return rc;
}

static int pg_rollback_to(ldr_conn *c)
{
	assert(c);
	if (c->piped)
		pipe_sync(c, NULL, NULL, "");
	if (c->lost || !c->pg || PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return LADDER_EDB;
	/* a cancel meant for the step must not stop the rollback */
	volatile sig_atomic_t *stop = c->stop;
	c->stop = NULL;
	char sql[64];
	int rc = step_sql(c, "ROLLBACK TO SAVEPOINT", sql, sizeof(sql));
	if (!rc)
		rc = run(c, sql, NULL, "");
	if (!rc)
		rc = step_sql(c, "RELEASE SAVEPOINT", sql, sizeof(sql));
	if (!rc)
		rc = run(c, sql, NULL, "");
	c->stop = stop;
	if (rc || PQtransactionStatus(c->pg) != PQTRANS_INTRANS)
		return LADDER_EDB;
	return 0;
}

/* Whether a migration's statement names the step's savepoint in a
 * RELEASE or ROLLBACK TO (which would end it under ladder). */
static int touches_step_savepoint(const char *sql, size_t len)
{
	size_t i = 0, n = strlen(STEP_SAVEPOINT);
	while (i < len && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' ||
			   sql[i] == '\r'))
		i++;
	if (!(len - i >= 7 && !strncasecmp(sql + i, "release", 7)) &&
	    !(len - i >= 8 && !strncasecmp(sql + i, "rollback", 8)))
		return 0;
	for (; i + n <= len; i++)
		if (!strncasecmp(sql + i, STEP_SAVEPOINT, n))
			return 1;
	return 0;
}

/* ------------------------------------------------------ the statements -- */

/* Runs one statement of a migration. Inside ladder's transaction it is
 * queued in the pipeline (reported at the next sync, against its file and
 * line), after the dialect's check that it does not end or nest the
 * transaction; outside (`transaction: false`) it runs at once, in
 * autocommit. */
static int pg_exec(ldr_conn *c, const char *sql, size_t len, const char *file,
		   unsigned line, unsigned column, ladder_diags *diags)
{
	assert(c && sql && file);
	if (c->lost)
		return ldr_pg_error(c, NULL, file, line, NULL, 0, diags,
				    "statement failed");
	if (c->stop && *c->stop)
		return LADDER_EINTERRUPTED;
	char *text = ldr_strndup(sql, len);
	if (!text)
		return LADDER_ENOMEM;
	int rc = 0;
	if (c->ours) {
		const char *what = "";
		ldr_stmt_kind k = ldr_dialect_pg.classify(sql, len, &what);
		if (k == LDR_STMT_PLAIN && touches_step_savepoint(sql, len)) {
			free(text);
			ldr_error(diags, "tx-control", file, line, 0,
				  "a migration cannot release or roll back to "
				  "'" STEP_SAVEPOINT
				  "', ladder's own savepoint");
			return LADDER_EDB;
		}
		if (k == LDR_STMT_TX_CONTROL || k == LDR_STMT_REFUSED) {
			/* the static scan refuses these first; this holds
			 * for a caller that skipped it */
			ldr_buf why = LDR_BUF_INIT;
			const char *code = "tx-control";
			rc = ldr_dialect_pg.explain(&why, k, what, &code);
			if (!rc)
				rc = ldr_error(diags, code, file, line, 0, "%s",
					       why.data ? why.data : what);
			ldr_buf_release(&why);
			free(text);
			return rc ? rc : LADDER_EDB;
		}
		c->enum_added |= ldr_pg_adds_enum_value(sql, len);
		rc = pipe_enter(c, diags);
		if (!rc)
			rc = send(c, text, 0, NULL, file, line, column, len, 0,
				  diags);
		free(text);
		if (!rc && c->queued_bytes > LDR_PG_PIPE_BYTES)
			rc = pipe_sync(c, NULL, diags, "statement failed");
		return rc;
	}
	rc = send(c, text, 0, NULL, file, line, column, len, 0, diags);
	PGresult *r = rc ? NULL : collect(c, 1);
	if (!rc && (!r || !result_ok(r))) {
		if (!r)
			rc = ldr_pg_error(c, NULL, file, line, NULL, 0, diags,
					  "statement failed");
		else
			rc = pg_error_at(c, r, file, line, column, text, len,
					 diags, "statement failed");
	}
	PQclear(r);
	free(text);
	return rc;
}

/* ------------------------------------------------------ the step hooks -- */

/* The INVALID indexes of the database: ",oid,oid," and their names. */
static int invalid_indexes(ldr_conn *c, PGresult **r, ladder_diags *diags)
{
	return ldr_pg_query(
		c,
		"SELECT i.indexrelid::pg_catalog.oid::pg_catalog.text, "
		"n.nspname::pg_catalog.text, c.relname::pg_catalog.text "
		"FROM pg_catalog.pg_index i "
		"JOIN pg_catalog.pg_class c "
		"ON c.oid OPERATOR(pg_catalog.=) i.indexrelid "
		"JOIN pg_catalog.pg_namespace n "
		"ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"WHERE NOT i.indisvalid ORDER BY 2, 3",
		0, NULL, r, diags, "cannot read the indexes");
}

/* Before a `transaction: false` step: which indexes are INVALID already
 * (a failed CREATE INDEX CONCURRENTLY leaves one behind). */
static int pg_step_prepare(ldr_conn *c, const ladder_migration *mig,
			   ladder_diags *diags)
{
	free(c->invalid_before);
	c->invalid_before = NULL;
	if (mig->transactional)
		return 0;
	PGresult *r = NULL;
	int rc = invalid_indexes(c, &r, diags);
	if (rc)
		return rc;
	ldr_buf b = LDR_BUF_INIT;
	rc = ldr_buf_addc(&b, ',');
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = ldr_buf_addf(&b, "%s,", PQgetvalue(r, i, 0));
	PQclear(r);
	if (!rc && !(c->invalid_before = ldr_buf_detach(&b)))
		rc = LADDER_ENOMEM;
	ldr_buf_release(&b);
	return rc;
}

static int pg_step_verify(ldr_conn *c, const ladder_migration *mig,
			  const char *file, ladder_diags *diags)
{
	(void)c;
	(void)mig;
	(void)file;
	(void)diags;
	return 0;
}

/* After a `transaction: false` step: names every index that became
 * INVALID meanwhile (the step failed midway through CREATE INDEX
 * CONCURRENTLY), and how to clear it. */
static int pg_step_restore(ldr_conn *c, const ladder_migration *mig,
			   ladder_diags *diags)
{
	char *before = c->invalid_before;
	c->invalid_before = NULL;
	if (!before || c->lost) {
		free(before);
		return 0;
	}
	PGresult *r = NULL;
	volatile sig_atomic_t *stop = c->stop;
	c->stop = NULL; /* asked also after an interruption */
	int rc = invalid_indexes(c, &r, diags);
	c->stop = stop;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		char key[32];
		snprintf(key, sizeof(key), ",%s,", PQgetvalue(r, i, 0));
		if (strstr(before, key))
			continue;
		ldr_error(diags, "invalid-index", mig->path, 0, 0,
			  "migration %" PRId64 " '%s' left the index "
			  "'%s.%s' INVALID (a CREATE INDEX CONCURRENTLY that "
			  "failed); drop it with DROP INDEX CONCURRENTLY "
			  "\"%s\".\"%s\" before the step runs again",
			  mig->id, mig->name, PQgetvalue(r, i, 1),
			  PQgetvalue(r, i, 2), PQgetvalue(r, i, 1),
			  PQgetvalue(r, i, 2));
	}
	PQclear(r);
	free(before);
	return 0;
}

#ifndef LADDER_HAVE_PG_EXTRAS
/* Until pg_extras.c is in the tree. */
/* A plain list of the tables and their columns (the bookkeeping tables
 * left out), read in a READ ONLY transaction; pg_extras.c's dump replaces
 * it. */
int ldr_pg_schema(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	const char *const params[] = {c->qtable, c->qattempts};
	PGresult *r = NULL;
	ldr_pg_end_snapshot(c);
	int rc = ldr_pg_query(c, "BEGIN READ ONLY", 0, NULL, NULL, diags,
			      "cannot start a read");
	if (rc)
		return rc;
	rc = ldr_pg_query(
		c,
		"SELECT n.nspname, c.relname, pg_catalog.string_agg("
		"pg_catalog.quote_ident(a.attname) OPERATOR(pg_catalog.||) ' ' "
		"OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, "
		"a.atttypmod), ', ' ORDER BY a.attnum) "
		"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
		"ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid "
		"OPERATOR(pg_catalog.=) c.oid AND a.attnum "
		"OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
		"WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}') "
		"AND n.nspname OPERATOR(pg_catalog.<>) ALL "
		"('{pg_catalog,information_schema,pg_toast}') "
		"AND c.oid OPERATOR(pg_catalog.<>) ALL (ARRAY["
		"pg_catalog.to_regclass($1), pg_catalog.to_regclass($2)]) "
		"GROUP BY 1, 2 ORDER BY 1, 2",
		2, params, &r, diags, "cannot read the schema");
	for (int i = 0; !rc && r && i < PQntuples(r); i++)
		rc = ldr_buf_addf(out, "CREATE TABLE %s.%s (%s);\n",
				  PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
				  PQgetvalue(r, i, 2));
	PQclear(r);
	run(c, "COMMIT", NULL, "");
	return rc;
}

int ldr_pg_backup(ldr_conn *c, const char *wanted, char **written,
		  char hex[LDR_CHECKSUM_HEX], ladder_diags *diags)
{
	(void)wanted;
	(void)hex;
	*written = NULL;
	ldr_error(diags, "unsupported", c->display, 0, 0,
		  "backups of a PostgreSQL database are not available yet");
	return LADDER_EUNSUPPORTED;
}

int ldr_pg_bookkeeping_sql(ldr_conn *c, ldr_buf *out, ladder_diags *diags)
{
	int exists = 0;
	int rc = ldr_pg_table_check(c, &exists, diags);
	return rc ? rc : ldr_pg_bookkeeping_ddl(c, out);
}
#endif

/* ---------------------------------------------------- the step limits -- */

/* Queues SET LOCAL of one setting: the step's value ("0" for off), or,
 * when the step sets none but an earlier step of this transaction did,
 * the session's own value back (RESET). */
static int limit(ldr_conn *c, const char *name, int ms, ladder_diags *diags)
{
	char sql[64], v[32];
	if (!ms) {
		snprintf(sql, sizeof(sql), "RESET %s", name);
		return ldr_pg_send(c, sql, 0, NULL, diags,
				   "cannot set the step's limits");
	}
	snprintf(v, sizeof(v), "%dms", ms < 0 ? 0 : ms);
	const char *const params[] = {name, v};
	return ldr_pg_send(c, "SELECT pg_catalog.set_config($1, $2, true)", 2,
			   params, diags, "cannot set the step's limits");
}

/* Inside ladder's transaction, before the step's statements: its
 * lock_timeout and statement_timeout, SET LOCAL (queued in the pipeline:
 * no round trip of their own). A step that sets neither sends nothing,
 * unless an earlier step of the same transaction did. */
static int pg_step_limits(ldr_conn *c, const ladder_migration *mig,
			  ladder_diags *diags)
{
	assert(c && c->ours && mig);
	int lock = mig->lock_timeout_ms, stmt = mig->statement_timeout_ms;
	c->step_lock_ms = lock > 0 ? lock : 0;
	if (!lock && !stmt && !c->limits_set)
		return 0;
	int rc = limit(c, "lock_timeout", lock, diags);
	if (!rc)
		rc = limit(c, "statement_timeout", stmt, diags);
	c->limits_set = lock || stmt;
	return rc;
}

static int pg_retryable(ldr_conn *c)
{
	return c->retryable && !c->lost && !(c->stop && *c->stop);
}

/* The connected server's rule beyond the dialect's: before 12, ALTER
 * TYPE ... ADD VALUE in a transaction (what validate refuses from the
 * manifest's `postgresql:`, here from the server itself). */
static int server_rule(void *ctx, const char *sql, size_t len, unsigned line,
		       unsigned col, const char *display, ladder_diags *diags)
{
	const ldr_conn *c = ctx;
	return ldr_pg_server_check(c->server_num, c->rules_tx, sql, len,
				   display, line, col, diags);
}

static int pg_server_rules(ldr_conn *c, int transactional, ldr_scan_hook *hook)
{
	assert(c && hook);
	if (!transactional || !ldr_pg_tx_refuses_add_value(c->server_num))
		return 0;
	c->rules_tx = transactional;
	*hook = (ldr_scan_hook){server_rule, c};
	return 1;
}

static int pg_commit_before_next(ldr_conn *c)
{
	return c->enum_added;
}

/* 55P04: the step used an enum value that an earlier step of the same
 * transaction added, however it added it (a DO block, EXECUTE in a
 * function: what commit_before_next's reading of the text misses). */
static int pg_own_transaction(ldr_conn *c)
{
	return c->unsafe_new_value && !c->lost && !(c->stop && *c->stop);
}

/* ------------------------------------------------------------- control -- */

/* Outside ladder's transaction: whether a migration's own is open. */
static int pg_in_transaction(ldr_conn *c)
{
	if (!c->pg || c->lost || c->ours)
		return 0;
	PGTransactionStatusType st = PQtransactionStatus(c->pg);
	return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

/* Between steps, the session's settings (a migration's SET search_path,
 * ...) go back to the connection's defaults and its TEMP objects go, so
 * no step sees another's: the next begin() queues RESET ALL and DISCARD
 * TEMP inside its transaction (no extra round trip; a rollback keeps the
 * request). Through a pooler there is no session to reset. */
static int pg_reset(ldr_conn *c, int snapshot, ladder_diags *diags)
{
	(void)diags;
	if (!snapshot && !c->pooled)
		c->reset_pending = 1;
	return 0;
}

static void pg_watch(ldr_conn *c, volatile sig_atomic_t *stop)
{
	c->stop = stop;
}

/* From a signal handler: PQcancel() on the PGcancel made at connect is
 * async-signal-safe; the server stops the running statement. */
static void pg_interrupt(ldr_conn *c)
{
	if (!c)
		return;
	PGcancel *k = c->cancel;
	if (k) {
		char err[256];
		PQcancel(k, err, sizeof(err));
	}
}

static void pg_set_timeout(ldr_conn *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms;
}

const struct ldr_driver ldr_driver_pg = {
	.name = "postgresql",
	.caps = LDR_CAP_TX_DDL
#ifdef LADDER_HAVE_PG_EXTRAS
		| LDR_CAP_BACKUP
#endif
	,
	.open = pg_open,
	.adopt = pg_adopt,
	.close = pg_close,
	.lock = pg_lock,
	.read_applied = ldr_pg_read_applied,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.recorded = ldr_pg_recorded,
	.exec = pg_exec,
	.probe = NULL,
	.in_transaction = pg_in_transaction,
	.reset = pg_reset,
	.record = ldr_pg_record,
	.unrecord = ldr_pg_unrecord,
	.rechecksum = ldr_pg_rechecksum,
	.attempt = ldr_pg_attempt,
	.forget = ldr_pg_forget,
	.step_prepare = pg_step_prepare,
	.step_verify = pg_step_verify,
	.step_restore = pg_step_restore,
	.schema = ldr_pg_schema,
	.bookkeeping_sql = ldr_pg_bookkeeping_sql,
	.backup = ldr_pg_backup,
	.watch = pg_watch,
	.interrupt = pg_interrupt,
	.set_timeout = pg_set_timeout,
	.step_limits = pg_step_limits,
	.retryable = pg_retryable,
	.query = pg_query_rows,
	.server_rules = pg_server_rules,
	.commit_before_next = pg_commit_before_next,
	.own_transaction = pg_own_transaction,
};
