/*
 * migrate.c — the apply loop. Under the runner lock: read what is recorded,
 * refuse what the safety rules forbid, then for each pending step open one
 * transaction (or, group commit, a savepoint in a transaction several
 * steps share), re-check the id inside it, run the file statement by
 * statement, insert the row, commit. Progress goes out through a callback,
 * a step's DONE only once its commit made it durable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ldrx.h"
#include "plan.h"

/* What one run (up or down) needs at every step. */
struct run {
	ladder_db *db;
	const ladder_manifest *manifest;
	ladder_diags *diags;
	int dry_run;
	int want_statements;
	int allow_out_of_order;
	ladder_event_fn on_event;
	void *event_ctx;
	size_t total;
	char *root_dir;	  /* the manifest's directory: files open beneath it */
	ldr_root *root;	  /* the same, opened once for every step's file */
	int64_t group_us; /* group commit: work per commit; 0 = per step */
	/* A retryable failure of a step's first attempt, met in a group:
	 * step_retrying() takes it as attempt 1 (diagnostics from
	 * carried_before on are that attempt's). */
	int carried_rc;
	size_t carried_before;
};

static void emit(const struct run *r, ladder_event ev)
{
	if (r->on_event) {
		ev.total = r->total;
		r->on_event(&ev, r->event_ctx);
	}
}

/* One step in one direction: which file runs, and what the bookkeeping
 * does afterwards. */
struct stepdef {
	const ladder_migration *mig;
	const char *file; /* up: the migration's file; down: its `down` */
	const char *rel;  /* the same as the manifest writes it */
	const char *text; /* embedded: the SQL itself, else NULL */
	size_t text_len;
	const char *checksum; /* what `file` must still hash to; NULL: any */
	char sum[LDR_CHECKSUM_HEX]; /* a down file's, as check_sql read it */
	int down;
	size_t index;
	/* The statements check_sql scanned, kept to run (NULL: the run
	 * reads the file again), and the file's identity then. */
	ldr_sqlkept *kept;
	ldr_fileid id;
};

/* How much SQL check_sql keeps in memory for the run, over all the steps
 * of one: enough for a 10 MB file of 200,000 statements, little beside
 * the 64 MiB a 1 GB file may take (docs/performance.md). */
#define KEEP_MAX ((size_t)24 << 20)

static struct stepdef up_step(const ladder_migration *mig, size_t index)
{
	return (struct stepdef){.mig = mig,
				.file = mig->path,
				.rel = mig->file,
				.text = mig->text,
				.text_len = mig->text_len,
				.checksum = mig->checksum,
				.index = index};
}

/* Opens the step's file through path.c: beneath the manifest's directory,
 * a regular file, never blocking. */
static int open_file(const struct run *r, const struct stepdef *sd, int *fd)
{
	if (!r->root)
		return ldr_open_beneath(r->root_dir, sd->rel, fd, r->diags,
					sd->file);
	ldr_open_at at = {
		.file = sd->file, .display = sd->file, .shown = sd->rel};
	return ldr_root_open_file(r->root, sd->rel, &at, fd, r->diags);
}

/* Opens the step's SQL: its embedded text, or its file (its identity into
 * *id when wanted). */
static int open_step(const struct ldr_dialect *d, const struct run *r,
		     const struct stepdef *sd, ldr_sqlreader **rd,
		     ldr_fileid *id)
{
	*rd = NULL;
	if (sd->text)
		return ldr_sqlreader_open_mem(rd, d, sd->text, sd->text_len,
					      sd->file, r->diags);
	int fd = -1;
	int rc = open_file(r, sd, &fd);
	if (rc)
		return rc;
	if (id && ldr_fileid_of(fd, id)) {
		ldr_error(r->diags, "file", sd->file, 0, 0,
			  "cannot read '%s': %s", sd->file, strerror(errno));
		close(fd);
		return LADDER_EIO;
	}
	return ldr_sqlreader_open_fd(rd, d, fd, sd->file, r->diags);
}

static void changed(const struct run *r, const struct stepdef *sd)
{
	ldr_error(r->diags, "changed", sd->file, 0, 0,
		  "'%s' changed while ladder was applying it; "
		  "nothing of it was kept",
		  sd->file);
}

/* A step whose statements check_sql kept: its file is opened again as at
 * the check (contained, a regular file), and must be the file the check
 * read (the same identity), or else still hash to what it hashed then.
 * What runs is the kept statements, never these bytes, so a file changed
 * in a way its identity does not show still runs only what was checked. */
static int verify_kept(const struct run *r, const struct stepdef *sd)
{
	int fd = -1;
	ldr_fileid now;
	int rc = open_file(r, sd, &fd);
	if (rc)
		return rc;
	if (!ldr_fileid_of(fd, &now) && ldr_fileid_same(&now, &sd->id)) {
		close(fd);
		return 0;
	}
	char sum[LDR_CHECKSUM_HEX];
	if ((rc = ldr_sqlfile_checksum_fd(fd, sd->file, sum, r->diags)))
		return rc;
	if (sd->checksum && strcmp(sum, sd->checksum)) {
		changed(r, sd);
		return LADDER_EINVALID;
	}
	return 0;
}

/* Runs the step's file statement by statement, then checks that what ran
 * is what was validated (the checksum of the bytes just executed); or
 * the statements check_sql kept, once verify_kept() passed. For a
 * `transaction: false` file, `*own_tx` is the line of the statement that
 * opened a transaction of the file's own still open when it stopped, or 0.
 * A dry run runs nothing, but asks the driver what it would refuse. */
static int run_file(const struct run *r, const struct stepdef *sd,
		    unsigned *own_tx)
{
	ladder_db *db = r->db;
	ldr_sqlreader *rd = NULL;
	const ldr_sqlkept *kept = sd->text ? NULL : sd->kept;
	size_t next = 0;
	int rc = kept ? verify_kept(r, sd)
		      : open_step(LDR_MIGRATION_DIALECT(r->manifest), r, sd,
				  &rd, NULL);
	if (rc)
		return rc;
	const char *sql;
	size_t len;
	unsigned line, column;
	int more;
	if (own_tx)
		*own_tx = 0;
	while ((more = kept ? ldr_sqlkept_next(kept, &next, &sql, &len, &line,
					       &column)
			    : ldr_sqlreader_next(rd, &sql, &len, &line,
						 &column)) > 0) {
		if (db->interrupted) {
			rc = LADDER_EINTERRUPTED;
			goto out;
		}
		if (r->want_statements)
			emit(r, (ladder_event){.kind = LADDER_EVENT_STATEMENT,
					       .migration = sd->mig,
					       .index = sd->index,
					       .sql = sql,
					       .sql_len = len,
					       .line = line,
					       .file = sd->file});
		if (r->dry_run) {
			if (db->drv->probe &&
			    (rc = db->drv->probe(db->conn, sql, len, sd->file,
						 line, column, r->diags)))
				goto out;
			continue;
		}
		rc = db->drv->exec(db->conn, sql, len, sd->file, line, column,
				   r->diags);
		if (own_tx) {
			int open = db->drv->in_transaction(db->conn);
			if (open && !*own_tx)
				*own_tx = line;
			else if (!open)
				*own_tx = 0;
		}
		if (rc)
			goto out;
	}
	if (more < 0) {
		rc = LADDER_EINVALID;
		goto out;
	}
	char sum[LDR_CHECKSUM_HEX];
	if (!kept) {
		ldr_sqlreader_checksum(rd, sum);
		if (sd->checksum && strcmp(sum, sd->checksum)) {
			changed(r, sd);
			rc = LADDER_EINVALID;
		}
	}
out:
	ldr_sqlreader_free(rd);
	if (rc && db->interrupted)
		rc = LADDER_EINTERRUPTED;
	return rc;
}

/* Inside the step's transaction: has another runner done this step (or,
 * going up, recorded a higher id) since the plan was read? Sets *skip. */
static int recheck(const struct run *r, const struct stepdef *sd, int *skip)
{
	const ladder_migration *mig = sd->mig;
	int is_recorded = 0;
	int64_t max_id = 0;
	int rc = r->db->drv->recorded(r->db->conn, mig->id, &is_recorded,
				      &max_id, r->diags);
	if (rc)
		return rc;
	*skip = sd->down ? !is_recorded : is_recorded;
	if (!sd->down && !is_recorded && max_id > mig->id &&
	    !r->allow_out_of_order) {
		ldr_error(r->diags, "out-of-order", mig->path, 0, 0,
			  "migration %" PRId64 " '%s' is pending, but the "
			  "database now has %" PRId64
			  "; apply it anyway with --allow-out-of-order",
			  mig->id, mig->name, max_id);
		return LADDER_EREFUSED;
	}
	return 0;
}

static ldr_record record_of(const ladder_migration *mig, int64_t started)
{
	return (ldr_record){.id = mig->id,
			    .name = mig->name,
			    .checksum = mig->checksum,
			    .duration_ms = (ldrx_now_us() - started) / 1000};
}

/* The bookkeeping half of a step: insert the row going up, delete it going
 * down. */
static int book(const struct run *r, const struct stepdef *sd, int64_t started)
{
	const struct ldr_driver *drv = r->db->drv;
	if (sd->down)
		return drv->unrecord(r->db->conn, sd->mig->id, r->diags);
	ldr_record rec = record_of(sd->mig, started);
	return drv->record(r->db->conn, &rec, r->diags);
}

/* One transactional step: all of it and its row, or none of it. */
static int step_transactional(const struct run *r, const struct stepdef *sd,
			      int64_t started, int *skipped)
{
	const struct ldr_driver *drv = r->db->drv;
	int rc = drv->begin(r->db->conn, r->diags), ran = 0;
	if (rc)
		return rc;
	if ((rc = recheck(r, sd, skipped)) || *skipped)
		goto rollback;
	ran = 1;
	if (drv->step_limits &&
	    (rc = drv->step_limits(r->db->conn, sd->mig, r->diags)))
		goto rollback;
	if ((rc = run_file(r, sd, NULL)) || (rc = book(r, sd, started)))
		goto rollback;
	if ((rc = drv->step_verify(r->db->conn, sd->mig, sd->file, r->diags)))
		goto rollback;
	if (r->db->interrupted) {
		rc = LADDER_EINTERRUPTED;
		goto rollback;
	}
	/* A driver may report a queued statement's failure here. */
	if (!(rc = drv->commit(r->db->conn, r->diags)))
		return 0;
rollback:
	drv->rollback(r->db->conn);
	if (rc && ran)
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back", sd->file, 0,
			 0,
			 "migration %" PRId64 " '%s' was rolled back; nothing "
			 "of it was %s",
			 sd->mig->id, sd->mig->name,
			 sd->down ? "reverted" : "applied");
	return rc;
}

/* The first pause before a step runs again, and the longest. */
#define RETRY_FIRST_MS 100
#define RETRY_MAX_MS   5000

/* The pause before retry `n` (1, 2, ...): RETRY_FIRST_MS doubling up to
 * RETRY_MAX_MS, of which a random half (jitter, so that runners that
 * failed together do not come back together). */
static long backoff_ms(int n, uint64_t *seed)
{
	long ms = RETRY_FIRST_MS;
	for (int i = 1; i < n && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	if (ms > RETRY_MAX_MS)
		ms = RETRY_MAX_MS;
	*seed ^= *seed << 13; /* xorshift64 */
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return ms / 2 + (long)(*seed % (uint64_t)(ms / 2 + 1));
}

/* Sleeps `ms`, in short naps, ending early with LADDER_EINTERRUPTED when
 * the run is interrupted. */
static int pause_ms(const struct run *r, long ms)
{
	int64_t end = ldrx_now_us() + (int64_t)ms * 1000;
	for (;;) {
		if (r->db->interrupted)
			return LADDER_EINTERRUPTED;
		int64_t left = end - ldrx_now_us();
		if (left <= 0)
			return 0;
		struct timespec ts = {0, (left > 20000 ? 20000 : left) * 1000};
		nanosleep(&ts, NULL);
	}
}

/* Runs one transactional step; when it fails in a way the driver calls
 * retryable (a lock timeout, a deadlock: it was rolled back whole) and
 * the step's `retries:` are not spent, runs it again after a pause with
 * jitter. Each failed attempt becomes a `retry` note (its error, the
 * SQLSTATE kept); the last failure stays an error, followed by a
 * `retries-spent` note. The unit a group commit keeps too: "run one
 * transactional step, retrying on a retryable failure". */
static int step_retrying(const struct run *r, const struct stepdef *sd,
			 int64_t started, int *skipped)
{
	const struct ldr_driver *drv = r->db->drv;
	int retries = sd->mig->retries > 0 ? sd->mig->retries : 0;
	uint64_t seed = (uint64_t)ldrx_now_us() ^ ((uint64_t)getpid() << 32) ^
			(uint64_t)sd->mig->id;
	seed |= 1;
	for (int attempt = 1;; attempt++) {
		size_t before = ladder_diags_count(r->diags);
		int carried = attempt == 1 && r->carried_rc;
		if (carried)
			before = r->carried_before;
		int rc = carried ? r->carried_rc
				 : step_transactional(r, sd, started, skipped);
		int again = rc &&
			    (carried ||
			     (drv->retryable && drv->retryable(r->db->conn))) &&
			    !r->db->interrupted;
		if (!again || attempt > retries) {
			if (again && retries)
				ldr_diag(r->diags, LADDER_SEV_NOTE,
					 "retries-spent", sd->file, 0, 0,
					 "migration %" PRId64 " '%s' failed "
					 "%d times; its %d retries are spent",
					 sd->mig->id, sd->mig->name, attempt,
					 retries);
			return rc;
		}
		/* The failure, as a note: the step runs again. */
		const ladder_diag *why = ladder_diags_get(r->diags, before);
		char *msg =
			ldr_strdup(why ? why->message : ladder_strerror(rc));
		char *state =
			why && why->sqlstate ? ldr_strdup(why->sqlstate) : NULL;
		unsigned line = why ? why->line : 0;
		ldr_diags_truncate(r->diags, before);
		long ms = backoff_ms(attempt, &seed);
		ldr_diag(r->diags, LADDER_SEV_NOTE, "retry", sd->file, line, 0,
			 "migration %" PRId64 " '%s', attempt %d of %d: %s; "
			 "rolled back, runs again in %ld ms",
			 sd->mig->id, sd->mig->name, attempt, retries + 1,
			 msg ? msg : "failed", ms);
		ldr_diag_sqlstate(r->diags, state);
		free(msg);
		free(state);
		if (r->on_event)
			emit(r, (ladder_event){.kind = LADDER_EVENT_RETRY,
					       .migration = sd->mig,
					       .index = sd->index,
					       .file = sd->file,
					       .attempt = attempt,
					       .elapsed_us = ms * 1000});
		if ((rc = pause_ms(r, ms)) ||
		    (rc = drv->reset(r->db->conn, 0, r->diags)))
			return rc;
	}
}

/* After a `transaction: false` step ran: its row and the clearing of its
 * attempt note, in one transaction. */
static int finish_plain(const struct run *r, const struct stepdef *sd,
			int64_t started)
{
	const struct ldr_driver *drv = r->db->drv;
	int rc = drv->begin(r->db->conn, r->diags);
	if (rc)
		return rc;
	if ((rc = drv->step_verify(r->db->conn, sd->mig, sd->file, r->diags)) ||
	    (rc = book(r, sd, started)) ||
	    (rc = drv->forget(r->db->conn, sd->mig->id, r->diags))) {
		drv->rollback(r->db->conn);
		return rc;
	}
	return drv->commit(r->db->conn, r->diags);
}

/* After a `transaction: false` step failed: why, in its attempt note. */
static void note_failure(const struct run *r, const struct stepdef *sd,
			 const char *reason, int64_t started)
{
	const struct ldr_driver *drv = r->db->drv;
	ldr_record rec = record_of(sd->mig, started);
	if (drv->begin(r->db->conn, NULL))
		return;
	if (drv->attempt(r->db->conn, &rec, reason, NULL))
		drv->rollback(r->db->conn);
	else
		drv->commit(r->db->conn, NULL);
}

/* A `transaction: false` step cannot be rolled back, so its file is read
 * whole (through path.c) and its checksum compared before any statement
 * runs: an edit made during the run is refused with nothing of it done.
 * `buf` gets the bytes to run. */
static int read_plain(const struct run *r, const struct stepdef *sd,
		      ldr_buf *buf)
{
	int fd = -1;
	ldr_sqlreader *rd = NULL;
	int rc =
		ldr_open_beneath(r->root_dir, sd->rel, &fd, r->diags, sd->file);
	if (rc)
		return rc;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ldr_error(r->diags, "file", sd->file, 0, 0,
				  "cannot read '%s': %s", sd->file,
				  strerror(errno));
			rc = LADDER_EIO;
			goto out;
		}
		if (n == 0)
			break;
		if (buf->len + (size_t)n > LDR_PLAIN_MAX) {
			ldr_error(r->diags, "file", sd->file, 0, 0,
				  "'%s' is larger than %zu MiB, the most a "
				  "step with 'transaction: false' may hold",
				  sd->file, LDR_PLAIN_MAX >> 20);
			rc = LADDER_EINVALID;
			goto out;
		}
		if ((rc = ldr_buf_add(buf, chunk, (size_t)n)))
			goto out;
	}
	if ((rc = ldr_sqlreader_open_mem(
		     &rd, LDR_MIGRATION_DIALECT(r->manifest),
		     buf->data ? buf->data : "", buf->len, sd->file, r->diags)))
		goto out;
	char sum[LDR_CHECKSUM_HEX];
	ldr_sqlreader_checksum(rd, sum);
	if (sd->checksum && strcmp(sum, sd->checksum)) {
		ldr_error(r->diags, "changed", sd->file, 0, 0,
			  "'%s' changed since ladder checked it; nothing of "
			  "it was run",
			  sd->file);
		rc = LADDER_EINVALID;
	}
out:
	ldr_sqlreader_free(rd);
	close(fd);
	return rc;
}

/* A `transaction: false` step: the file runs in autocommit mode (for what
 * SQLite refuses inside a transaction). A note in the attempts table is
 * committed before it starts and cleared together with the row after it
 * succeeds, so a failure or a kill midway stays visible as `failed`. The
 * runner lock keeps other ladders out meanwhile. */
static int step_plain(const struct run *r, const struct stepdef *sd,
		      int64_t started, int *skipped)
{
	const struct ldr_driver *drv = r->db->drv;
	ldr_record rec = record_of(sd->mig, started);
	ldr_buf text = LDR_BUF_INIT;
	struct stepdef whole = *sd;
	/* The file is read (and checked) under the write lock, before its
	 * attempt note: a refusal leaves no note. */
	int rc = drv->begin(r->db->conn, r->diags);
	if (!rc && !(rc = recheck(r, sd, skipped)) && !*skipped && !sd->text &&
	    !(rc = read_plain(r, sd, &text))) {
		whole.text = text.data ? text.data : "";
		whole.text_len = text.len;
	}
	if (!rc && !*skipped)
		rc = drv->attempt(r->db->conn, &rec, NULL, r->diags);
	if (!rc)
		rc = drv->commit(r->db->conn, r->diags);
	else
		drv->rollback(r->db->conn);
	if (rc || *skipped)
		goto out;

	size_t before = ladder_diags_count(r->diags);
	unsigned own_tx = 0;
	rc = run_file(r, &whole, &own_tx);
	if (!rc && own_tx) {
		/* Committing what the file never committed would be a guess;
		 * it is rolled back below, like a failure inside it. */
		ldr_error(r->diags, "open-transaction", sd->file, own_tx, 0,
			  "'%s' ends inside the transaction it opened at line "
			  "%u, never committed",
			  sd->file, own_tx);
		rc = LADDER_EINVALID;
	}
	if (!rc && !(rc = finish_plain(r, sd, started)))
		goto out;

	const ladder_diag *why = ladder_diags_get(r->diags, before);
	ldr_buf reason = LDR_BUF_INIT;
	ldr_buf_addf(&reason, "%s",
		     rc == LADDER_EINTERRUPTED ? "interrupted"
		     : why		       ? why->message
					       : ladder_strerror(rc));
	/* The file's own transaction, still open: rolled back first, so that
	 * what it did inside goes and the note can be written. */
	if (own_tx && drv->in_transaction(r->db->conn)) {
		drv->rollback(r->db->conn);
		ldr_buf_addf(&reason,
			     "; the file's own transaction (from line %u) was "
			     "rolled back",
			     own_tx);
	}
	note_failure(r, sd, reason.data ? reason.data : ladder_strerror(rc),
		     started);
	ldr_buf_release(&reason);
	if (own_tx)
		ldr_error(r->diags, "partial", sd->file, 0, 0,
			  "migration %" PRId64 " '%s' runs without ladder's "
			  "transaction: the file's own transaction was rolled "
			  "back; statements before line %u that ran outside it "
			  "stay, and 'ladder status' shows the step as failed",
			  sd->mig->id, sd->mig->name, own_tx);
	else
		ldr_error(r->diags, "partial", sd->file, 0, 0,
			  "migration %" PRId64 " '%s' runs without a "
			  "transaction and stopped midway; the database may be "
			  "partly changed, and 'ladder status' shows the step "
			  "as failed",
			  sd->mig->id, sd->mig->name);
	rc = rc == LADDER_EINTERRUPTED ? rc : LADDER_EPARTIAL;
out:
	ldr_buf_release(&text);
	return rc;
}

/* Whether an `interrupted` error was added since diagnostic `from` (the
 * driver says so when the flag ended a wait): one line per interruption. */
static int said_interrupted(const ladder_diags *diags, size_t from)
{
	for (size_t i = from; i < ladder_diags_count(diags); i++)
		if (!strcmp(ladder_diags_get(diags, i)->code, "interrupted"))
			return 1;
	return 0;
}

static int run_step(const struct run *r, const struct stepdef *sd)
{
	size_t before = ladder_diags_count(r->diags);
	if (r->db->interrupted)
		return LADDER_EINTERRUPTED;
	emit(r, (ladder_event){.kind = LADDER_EVENT_STEP,
			       .migration = sd->mig,
			       .index = sd->index,
			       .file = sd->file});
	int64_t started = ldrx_now_us();
	int skipped = 0, rc;
	/* The driver's hooks around the step (driver.h says when). */
	int hooks = !r->dry_run;
	const struct ldr_driver *drv = r->db->drv;
	if (hooks && (rc = drv->step_prepare(r->db->conn, sd->mig, r->diags)))
		return rc;
	if (r->dry_run)
		rc = run_file(r, sd, NULL);
	else if (sd->mig->transactional)
		rc = step_retrying(r, sd, started, &skipped);
	else
		rc = step_plain(r, sd, started, &skipped);
	if (hooks) {
		int back = drv->step_restore(r->db->conn, sd->mig, r->diags);
		rc = rc ? rc : back;
	}
	/* What the step set on the connection (a PRAGMA, a TEMP table)
	 * never reaches the next one: one run or many, the same result. */
	if (!r->dry_run) {
		int reset = drv->reset(r->db->conn, 0, rc ? NULL : r->diags);
		rc = rc ? rc : reset;
	}
	if (rc == LADDER_EINTERRUPTED && !said_interrupted(r->diags, before))
		ldr_error(r->diags, "interrupted", sd->file, 0, 0,
			  "interrupted while %s migration %" PRId64 " '%s'",
			  sd->down ? "reverting" : "applying", sd->mig->id,
			  sd->mig->name);
	if (rc)
		return rc;
	emit(r, (ladder_event){.kind = skipped ? LADDER_EVENT_SKIPPED
					       : LADDER_EVENT_DONE,
			       .migration = sd->mig,
			       .index = sd->index,
			       .elapsed_us = ldrx_now_us() - started,
			       .file = sd->file});
	return 0;
}

/* Whether a step may share a transaction with its neighbours: a
 * `transaction: false` step runs outside any, and a `foreign_keys: off`
 * step needs the driver's hooks around a transaction of its own. */
static int groupable(const struct stepdef *sd)
{
	return sd->mig->transactional && !sd->mig->foreign_keys_off;
}

/* One step inside a group's transaction, in its own savepoint: all of it
 * and its row, or none of it. On failure the savepoint is rolled back;
 * *lost says the engine took the whole transaction with it. */
static int group_step(const struct run *r, const struct stepdef *sd,
		      int64_t started, int *skipped, int *lost)
{
	const struct ldr_driver *drv = r->db->drv;
	int ran = 0, rc = drv->savepoint(r->db->conn, r->diags);
	if (rc) {
		*lost = drv->rollback_to(r->db->conn) != 0;
		return rc;
	}
	if (!(rc = recheck(r, sd, skipped)) && !*skipped) {
		ran = 1;
		if (!(drv->step_limits &&
		      (rc = drv->step_limits(r->db->conn, sd->mig,
					     r->diags))) &&
		    !(rc = run_file(r, sd, NULL)) &&
		    !(rc = book(r, sd, started)))
			rc = drv->step_verify(r->db->conn, sd->mig, sd->file,
					      r->diags);
	}
	if (!rc && r->db->interrupted)
		rc = LADDER_EINTERRUPTED;
	/* A driver may report a queued statement's failure here. */
	if (!rc && !(rc = drv->release(r->db->conn, r->diags)))
		return 0;
	*lost = drv->rollback_to(r->db->conn) != 0;
	if (ran)
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back", sd->file, 0,
			 0,
			 "migration %" PRId64 " '%s' was rolled back; nothing "
			 "of it was %s",
			 sd->mig->id, sd->mig->name,
			 sd->down ? "reverted" : "applied");
	return rc;
}

/* Whether a failed commit was a constraint the server checks only at
 * commit (SQLSTATE class 23 at COMMIT: PostgreSQL's DEFERRABLE ones). */
static int deferred_violation(const ladder_diags *d)
{
	for (size_t i = 0; i < ladder_diags_count(d); i++) {
		const char *st = ladder_diags_get(d, i)->sqlstate;
		if (st && !strncmp(st, "23", 2))
			return 1;
	}
	return 0;
}

static void copy_diags(const ladder_diags *from, ladder_diags *to)
{
	for (size_t i = 0; i < ladder_diags_count(from); i++) {
		const ladder_diag *d = ladder_diags_get(from, i);
		ldr_diag(to, d->severity, d->code, d->file, d->line, d->column,
			 "%s", d->message);
		ldr_diag_sqlstate(to, d->sqlstate);
		if (d->migration)
			ldr_diag_migration(to, d->migration);
	}
}

/* The engine (SQLite) rolled back the whole transaction of a group with
 * its failing step `culprit`: an interruption inside a writing statement
 * (sqlite3_interrupt), or a statement that rolls back the transaction by
 * itself (INSERT OR ROLLBACK, RAISE(ROLLBACK)). The `n` steps that had
 * finished before it run again at once, each with a commit of its own
 * (run_step: the re-check inside it, its DONE only after that commit).
 * The interruption that caused the loss does not stop them (at most one
 * group's budget of work); a further one does, as anywhere, and what it
 * stopped is neither applied nor reported. The run's status stays the
 * culprit's. */
static void replay_lost(const struct run *r, const struct stepdef *sds,
			size_t n, const struct stepdef *culprit)
{
	struct run one = *r;
	one.group_us = 0;
	one.carried_rc = 0;
	int was = ldr_db_resume(r->db), rc = 0;
	size_t again = 0;
	while (again < n && !(rc = run_step(&one, &sds[again])))
		again++;
	if (was)
		r->db->interrupted = 1;
	if (n == 1)
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back",
			 culprit->file, 0, 0,
			 "the engine rolled back the whole transaction, the "
			 "step before this one with it; %s",
			 again ? "that step was applied again on its own"
			       : "it was not applied again");
	else
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back",
			 culprit->file, 0, 0,
			 "the engine rolled back the whole transaction, the "
			 "%zu steps before this one with it; %zu of them %s "
			 "applied again, each with a commit of its own",
			 n, again, again == 1 ? "was" : "were");
}

/* Group commit: the steps from *at on in one transaction, each in its own
 * savepoint, until the time budget is spent, the next step cannot share
 * it, or a step fails; then one commit for all that finished. Their DONE
 * events go out only after that commit, when they are true; a failing
 * step is rolled back alone, the steps before it are committed, and the
 * run stops as it would without groups. A commit that fails leaves none
 * of the group; when it failed on a deferred constraint (which the server
 * checks only there), the group runs again a commit per step, so that the
 * steps before the culprit stay applied and the culprit is named; any
 * other failure (a disk error) stops the run, as it would per step. */
static int run_group(struct run *r, const struct stepdef *sds, size_t n,
		     size_t *at, int *solo)
{
	const struct ldr_driver *drv = r->db->drv;
	size_t first = *at, done = 0, before = ladder_diags_count(r->diags);
	int64_t *took = calloc(n - first, sizeof(*took));
	int64_t group_start = ldrx_now_us();
	int rc = 0, lost = 0;
	if (!took)
		return LADDER_ENOMEM;
	if (r->db->interrupted) {
		rc = LADDER_EINTERRUPTED;
		goto out;
	}
	/* The first step is under way while begin() waits for a lock. */
	emit(r, (ladder_event){.kind = LADDER_EVENT_STEP,
			       .migration = sds[first].mig,
			       .index = sds[first].index,
			       .file = sds[first].file});
	if ((rc = drv->begin(r->db->conn, r->diags)))
		goto out;
	for (size_t i = first; i < n; i++) {
		const struct stepdef *sd = &sds[i];
		if (i > first && (!groupable(sd) ||
				  ldrx_now_us() - group_start >= r->group_us))
			break;
		if (r->db->interrupted) {
			rc = LADDER_EINTERRUPTED;
			break;
		}
		if (i > first)
			emit(r, (ladder_event){.kind = LADDER_EVENT_STEP,
					       .migration = sd->mig,
					       .index = sd->index,
					       .file = sd->file});
		int64_t started = ldrx_now_us();
		int skipped = 0;
		size_t step_before = ladder_diags_count(r->diags);
		rc = group_step(r, sd, started, &skipped, &lost);
		if (rc && !lost && drv->retryable && sd->mig->retries > 0 &&
		    drv->retryable(r->db->conn) && !r->db->interrupted) {
			/* A lock timeout or deadlock while the group holds
			 * the earlier steps' locks: they are committed, and
			 * this step runs again on its own, this failure its
			 * attempt 1 (step_retrying). */
			r->carried_rc = rc;
			r->carried_before = step_before;
			*solo = 1;
			rc = 0;
			break;
		}
		if (rc && !lost && i > first && drv->own_transaction &&
		    drv->own_transaction(r->db->conn) && !r->db->interrupted) {
			/* It failed only for sharing the transaction: the
			 * steps before it are committed, and it runs again on
			 * its own, as if it had never failed here. */
			ldr_diags_truncate(r->diags, step_before);
			*solo = 1;
			rc = 0;
			break;
		}
		/* What the step set on the connection never reaches the next
		 * one (PRAGMAs survive RELEASE). */
		if (!rc && !lost)
			rc = drv->reset(r->db->conn, 0, r->diags);
		if (rc) {
			if (rc == LADDER_EINTERRUPTED &&
			    !said_interrupted(r->diags, before))
				ldr_error(r->diags, "interrupted", sd->file, 0,
					  0,
					  "interrupted while %s migration "
					  "%" PRId64 " '%s'",
					  sd->down ? "reverting" : "applying",
					  sd->mig->id, sd->mig->name);
			break;
		}
		took[done++] = skipped ? -1 : ldrx_now_us() - started;
		/* what it made, a later step may use only once committed */
		if (drv->commit_before_next &&
		    drv->commit_before_next(r->db->conn))
			break;
	}
	if (lost) {
		drv->rollback(r->db->conn);
		if (done)
			replay_lost(r, &sds[first], done, &sds[first + done]);
		done = 0;
		goto out;
	}
	/* Nothing finished: nothing to commit (not even a new table). */
	if (!done) {
		drv->rollback(r->db->conn);
		goto out;
	}
	ladder_diags *quiet = NULL;
	int crc = ladder_diags_new(&quiet);
	if (!crc)
		crc = drv->commit(r->db->conn, quiet);
	else
		drv->rollback(r->db->conn);
	int replay = crc && !rc && done >= 2 && deferred_violation(quiet);
	if (!replay)
		copy_diags(quiet, r->diags);
	ladder_diags_free(quiet);
	if (replay) {
		/* Again, a commit per step: the culprit fails alone. */
		struct run one = *r;
		one.group_us = 0;
		crc = 0;
		for (size_t i = first; i < first + done && !crc; i++)
			crc = run_step(&one, &sds[i]);
		*at = first + done;
		rc = crc;
		done = 0;
		goto out;
	}
	if (crc) {
		rc = rc ? rc : crc;
		done = 0;
	}
out:
	for (size_t k = 0; k < done; k++)
		emit(r,
		     (ladder_event){.kind = took[k] < 0 ? LADDER_EVENT_SKIPPED
							: LADDER_EVENT_DONE,
				    .migration = sds[first + k].mig,
				    .index = sds[first + k].index,
				    .elapsed_us = took[k] < 0 ? 0 : took[k],
				    .file = sds[first + k].file});
	if (!lost && done)
		*at = first + done;
	free(took);
	return rc;
}

/* Every step of `sds` in order, grouped where the run allows it; stops at
 * the first failure. */
static int run_steps(struct run *r, const struct stepdef *sds, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		if (r->dry_run || r->group_us <= 0 || !groupable(&sds[i])) {
			rc = run_step(r, &sds[i]);
			i++;
			continue;
		}
		size_t at = i;
		int solo = 0;
		rc = run_group(r, sds, n, &at, &solo);
		if (!rc && solo && at < n) /* the step a group could not hold */
			rc = run_step(r, &sds[at++]);
		r->carried_rc = 0;
		i = at > i ? at : i + 1;
	}
	return rc;
}

/* The SQL rules of one step's file (or embedded text); with `sum`, the
 * checksum of the bytes scanned too; with `hook`, the server's rules
 * too. A transactional step's file keeps its statements for the run
 * while *budget allows (lowered by them). */
static int scan_step(const struct ldr_dialect *d, const struct run *r,
		     struct stepdef *sd, char *sum, const ldr_scan_hook *hook,
		     size_t *budget)
{
	ldr_sqlreader *rd = NULL;
	ldr_sqlinfo info;
	int keep = budget && !sd->text && sd->mig->transactional;
	/* the file's identity: a kept step's check before it runs, a plain
	 * step's size (check_plain_size) */
	int rc = open_step(d, r, sd, &rd, sd->text ? NULL : &sd->id);
	int scan = (sd->mig->transactional ? LDR_SCAN_TX : 0) |
		   (sd->mig->foreign_keys_off ? LDR_SCAN_FK_OFF : 0);
	if (keep) {
		rc = ldr_sqlscan_keep(rd, rc, sd->file, scan,
				      sum ? &info : NULL, r->diags, hook,
				      *budget, &sd->kept);
		*budget -= ldr_sqlkept_size(sd->kept);
	} else {
		rc = ldr_sqlscan_hooked(rd, rc, sd->file, scan,
					sum ? &info : NULL, r->diags, hook);
	}
	if (!rc && sum)
		memcpy(sum, info.checksum, LDR_CHECKSUM_HEX);
	return rc;
}

/* A `transaction: false` step's file is read whole before it runs
 * (read_plain): one past the cap is refused with the other rules, before
 * any step runs, not when its turn comes. Its size is the one scan_step
 * saw. */
static int check_plain_size(const struct stepdef *sd, ladder_diags *diags)
{
	if ((uint64_t)sd->id.size <= LDR_PLAIN_MAX)
		return 0;
	ldr_error(diags, "file", sd->file, 0, 0,
		  "'%s' is larger than %zu MiB, the most a step with "
		  "'transaction: false' may hold",
		  sd->file, LDR_PLAIN_MAX >> 20);
	return LADDER_EINVALID;
}

/* A manifest loaded for checksums only has not had its SQL rules checked;
 * the files about to run are checked now, all before any runs, so an
 * invalid one still stops the command with nothing done. A file must
 * still hash to what the plan was made with; a down file (which the
 * manifest does not hash) is hashed here, and must still hash to that
 * when it runs. */
static int check_sql(const struct run *r, struct stepdef *sds, size_t n,
		     ladder_diags *diags)
{
	int lazy = ldr_manifest_lazy(r->manifest), rc = 0;
	size_t budget = KEEP_MAX;
	const struct ldr_driver *drv = r->db->drv;
	for (size_t i = 0; i < n; i++) {
		struct stepdef *sd = &sds[i];
		/* the rules of the server itself, which validate cannot know */
		ldr_scan_hook server;
		int rules = drv->server_rules &&
			    drv->server_rules(r->db->conn,
					      sd->mig->transactional, &server);
		if (!lazy && !rules && (!sd->down || sd->text))
			continue;
		char sum[LDR_CHECKSUM_HEX];
		int one = scan_step(LDR_MIGRATION_DIALECT(r->manifest), r, sd,
				    sd->text ? NULL : sum,
				    rules ? &server : NULL, &budget);
		if (one == LADDER_ENOMEM)
			return one;
		if (!one && !sd->text && sd->down) {
			memcpy(sd->sum, sum, sizeof(sum));
			sd->checksum = sd->sum;
		} else if (!one && !sd->text && sd->checksum &&
			   strcmp(sum, sd->checksum)) {
			ldr_error(diags, "changed", sd->file, 0, 0,
				  "'%s' changed since ladder read it; nothing "
				  "was done",
				  sd->file);
			one = LADDER_EINVALID;
		}
		if (!one && !sd->text && !sd->mig->transactional)
			one = check_plain_size(sd, diags);
		if (one == LADDER_ENOMEM)
			return one;
		if (one)
			rc = LADDER_EINVALID;
	}
	return rc;
}

/* For a migration checked on its own: the directory its `file` is
 * relative to (its `path` without the `file` at its end) into *root, and
 * the relative path into *rel; else its `path`'s own directory and name. */
static int split_path(const ladder_migration *mig, char **root,
		      const char **rel)
{
	const char *path = mig->path, *slash = strrchr(path, '/');
	size_t p = strlen(path), f = strlen(mig->file);
	*rel = slash ? slash + 1 : path;
	size_t dir = slash ? (size_t)(slash - path) : 0;
	if (p > f && !strcmp(path + p - f, mig->file) &&
	    path[p - f - 1] == '/') {
		*rel = mig->file;
		dir = p - f - 1;
	}
	*root = slash ? ldr_strndup(path, dir ? dir : 1) : ldr_strdup(".");
	return *root ? 0 : LADDER_ENOMEM;
}

int ldr_migration_check(const struct ldr_dialect *d,
			const ladder_migration *mig, ladder_db *db,
			ladder_diags *diags)
{
	struct stepdef sd = up_step(mig, 0);
	struct run r = {.diags = diags};
	ldr_scan_hook server;
	int rules =
		db && db->drv->server_rules &&
		db->drv->server_rules(db->conn, mig->transactional, &server);
	int rc = mig->text ? 0 : split_path(mig, &r.root_dir, &sd.rel);
	if (!rc)
		rc = scan_step(d, &r, &sd, NULL, rules ? &server : NULL, NULL);
	free(r.root_dir);
	return rc;
}

int ladder_migration_check(const ladder_migration *mig, ladder_diags *diags)
{
	return ldr_migration_check(&ldr_dialect_sqlite, mig, NULL, diags);
}

/* Takes the runner lock (unless dry) and reads the plan under it. */
static int locked_plan(ladder_db *db, const ladder_manifest *m, int dry_run,
		       ladder_plan **plan, ladder_diags *diags)
{
	*plan = NULL;
	if (ldr_plan_refuse_errors(m, "nothing was done", diags))
		return LADDER_EINVALID;
	int rc = 0;
	if (!dry_run && (rc = db->drv->lock(db->conn, &db->interrupted, diags)))
		return rc;
	return ladder_plan_new(plan, db, m, diags);
}

/* What up and down share before their steps: the run's state, the lock
 * (unless dry), the plan read under it, the refusals, and room for the
 * steps. On failure the caller's `out` path frees what was made. */
static int start_run(struct run *r, ladder_db *db, const ladder_manifest *m,
		     int check_order, int64_t to, ladder_plan **plan,
		     struct stepdef **sds, ladder_diags *diags)
{
	r->db = db;
	r->manifest = m;
	r->diags = diags;
	if (!(r->root_dir = ldr_path_dirname(ladder_manifest_path(m))) ||
	    ldr_root_open(&r->root, r->root_dir))
		return LADDER_ENOMEM;
	int rc = locked_plan(db, m, r->dry_run, plan, diags);
	if (rc ||
	    (rc = ldr_plan_refuse_unsafe(*plan, m, check_order,
					 r->allow_out_of_order, to, diags)))
		return rc;
	*sds = calloc(ladder_plan_count(*plan) + 1, sizeof(**sds));
	return *sds ? 0 : LADDER_ENOMEM;
}

/* What start_run made, and the statements check_sql kept. */
static void end_run(struct run *r, struct stepdef *sds)
{
	for (size_t i = 0; sds && i < r->total; i++)
		ldr_sqlkept_free(sds[i].kept);
	free(sds);
	ldr_root_free(r->root);
	free(r->root_dir);
}

/* A verified snapshot, where the caller wants it or the driver chooses. */
static int backup(const struct run *r, const char *wanted)
{
	char *path = NULL;
	char hex[LDR_CHECKSUM_HEX];
	if (!(r->db->drv->caps & LDR_CAP_BACKUP)) {
		ldr_error(r->diags, "backup", r->db->display, 0, 0,
			  "the %s driver cannot make backups",
			  r->db->drv->name);
		return LADDER_EUNSUPPORTED;
	}
	int rc = r->db->drv->backup(r->db->conn, wanted, &path, hex, r->diags);
	if (!rc)
		emit(r, (ladder_event){.kind = LADDER_EVENT_BACKUP,
				       .file = path,
				       .checksum = hex});
	free(path);
	return rc;
}

/* --atomic cannot hold a `transaction: false` step; a dry run refuses
 * what the run would. */
static int atomic_possible(const struct stepdef *sds, size_t n,
			   ladder_diags *diags)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const ladder_migration *mig = sds[i].mig;
		if (!mig->transactional) {
			ldr_error(diags, "atomic", mig->path, 0, 0,
				  "migration %" PRId64 " '%s' runs without a "
				  "transaction, so --atomic cannot include "
				  "it; nothing was applied",
				  mig->id, mig->name);
			rc = LADDER_EREFUSED;
		}
	}
	/* A `foreign_keys: off` step would turn enforcement off for the
	 * whole transaction, so its neighbours' ON DELETE actions would
	 * not fire: it may only run with steps that are `off` too. */
	size_t off = 0;
	for (size_t i = 0; i < n; i++)
		off += sds[i].mig->foreign_keys_off != 0;
	for (size_t i = 0; off && off < n && i < n; i++) {
		const ladder_migration *mig = sds[i].mig;
		if (mig->foreign_keys_off) {
			ldr_error(diags, "atomic", mig->path, 0, 0,
				  "migration %" PRId64 " '%s' has "
				  "'foreign_keys: off', which would turn "
				  "foreign keys off for every step of the "
				  "transaction, so --atomic cannot mix it "
				  "with steps that enforce them; nothing was "
				  "applied",
				  mig->id, mig->name);
			rc = LADDER_EREFUSED;
		}
	}
	return rc;
}

/* --atomic: every step of `steps` in one transaction, all or nothing. The
 * DONE events go out only after the commit, when they are true. */
static int run_atomic(const struct run *r, const struct stepdef *sds, size_t n)
{
	const struct ldr_driver *drv = r->db->drv;
	int rc = 0;
	int64_t *took = calloc(n ? n : 1, sizeof(*took));
	size_t before = ladder_diags_count(r->diags);
	if (!took)
		return LADDER_ENOMEM;
	/* One transaction: every step's hooks are prepared before it, and
	 * verified once (mig NULL), before the commit. */
	for (size_t i = 0; i < n && !rc; i++)
		rc = drv->step_prepare(r->db->conn, sds[i].mig, r->diags);
	if (rc || (rc = drv->begin(r->db->conn, r->diags)))
		goto fk;
	for (size_t i = 0; i < n && !rc; i++) {
		struct stepdef sd = sds[i];
		int skipped = 0;
		int64_t started = ldrx_now_us();
		emit(r, (ladder_event){.kind = LADDER_EVENT_STEP,
				       .migration = sd.mig,
				       .index = i,
				       .file = sd.file});
		if (r->db->interrupted)
			rc = LADDER_EINTERRUPTED;
		if (!rc && !(rc = recheck(r, &sd, &skipped)) && !skipped &&
		    !(drv->step_limits &&
		      (rc = drv->step_limits(r->db->conn, sd.mig, r->diags))) &&
		    !(rc = run_file(r, &sd, NULL)))
			rc = book(r, &sd, started);
		/* Inside the one transaction: settings and TEMP objects. */
		if (!rc)
			rc = drv->reset(r->db->conn, 0, r->diags);
		took[i] = skipped ? -1 : ldrx_now_us() - started;
	}
	if (!rc)
		rc = drv->step_verify(r->db->conn, NULL,
				      ladder_manifest_path(r->manifest),
				      r->diags);
	if (!rc && r->db->interrupted)
		rc = LADDER_EINTERRUPTED;
	if (!rc)
		rc = drv->commit(r->db->conn, r->diags);
	else
		drv->rollback(r->db->conn);
	if (rc) {
		if (rc == LADDER_EINTERRUPTED &&
		    !said_interrupted(r->diags, before))
			ldr_error(r->diags, "interrupted",
				  ladder_manifest_path(r->manifest), 0, 0,
				  "interrupted");
		ldr_diag(r->diags, LADDER_SEV_NOTE, "rolled-back",
			 ladder_manifest_path(r->manifest), 0, 0,
			 "--atomic: all %zu steps were rolled back; the "
			 "database is as it was",
			 n);
	} else {
		for (size_t i = 0; i < n; i++)
			emit(r,
			     (ladder_event){
				     .kind = took[i] < 0 ? LADDER_EVENT_SKIPPED
							 : LADDER_EVENT_DONE,
				     .migration = sds[i].mig,
				     .index = i,
				     .elapsed_us = took[i] < 0 ? 0 : took[i],
				     .file = sds[i].file});
	}
fk:;
	int back = drv->step_restore(r->db->conn, NULL, r->diags);
	rc = rc ? rc : back;
	free(took);
	return rc;
}

int ladder_up(ladder_db *db, const ladder_manifest *m,
	      const ladder_up_options *opts, ladder_diags *diags)
{
	static const ladder_up_options defaults = LADDER_UP_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	if (opts->version != LADDER_UP_OPTIONS_VERSION && opts->version != 1) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "ladder_up_options version %u is not %u",
			  opts->version, LADDER_UP_OPTIONS_VERSION);
		return LADDER_EUSAGE;
	}
	/* Version 1 ends before group_ms. */
	int group_ms =
		opts->version >= 2 ? opts->group_ms : LADDER_GROUP_MS_DEFAULT;
	if (group_ms < 0) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "ladder_up_options group_ms %d is negative",
			  group_ms);
		return LADDER_EUSAGE;
	}
	ladder_plan *plan = NULL;
	struct stepdef *sds = NULL;
	struct run r = {.dry_run = opts->dry_run,
			.want_statements = opts->want_statements,
			.allow_out_of_order = opts->allow_out_of_order,
			.on_event = opts->on_event,
			.event_ctx = opts->event_ctx,
			.group_us = (int64_t)group_ms * 1000};
	int rc = start_run(&r, db, m, 1, opts->to, &plan, &sds, diags);
	if (rc)
		goto out;
	/* An application's database ladder never migrated: running step 1
	 * over it would fail midway ("table ... already exists"), or worse.
	 * Refused after the files' own problems are reported too. */
	int unmanaged = ladder_plan_unmanaged(plan, LADDER_SEV_ERROR, diags);
	for (size_t i = 0; i < ladder_plan_count(plan); i++) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state == LADDER_STATE_PENDING &&
		    (!opts->to || s->id <= opts->to)) {
			sds[r.total] = up_step(s->migration, r.total);
			r.total++;
		}
	}
	if ((rc = check_sql(&r, sds, r.total, diags)) ||
	    (unmanaged && (rc = LADDER_EREFUSED)) ||
	    (opts->atomic && (rc = atomic_possible(sds, r.total, diags))))
		goto out;
	emit(&r, (ladder_event){.kind = LADDER_EVENT_BEGIN});
	/* A first run with nothing to apply still leaves the table, so the
	 * database shows it is under ladder's care. */
	if (!r.total && !opts->dry_run && !ldr_plan_table_exists(plan)) {
		if (!(rc = db->drv->begin(db->conn, diags)))
			rc = db->drv->commit(db->conn, diags);
		goto out;
	}
	if (r.total && !opts->dry_run && opts->backup &&
	    (rc = backup(&r, opts->backup)))
		goto out;
	if (r.total && !opts->dry_run &&
	    (rc = db->drv->reset(db->conn, 1, diags)))
		goto out;
	if (opts->atomic && !opts->dry_run) {
		rc = run_atomic(&r, sds, r.total);
		goto out;
	}
	rc = run_steps(&r, sds, r.total);
out:
	end_run(&r, sds);
	ladder_plan_free(plan);
	return rc;
}

int ladder_down(ladder_db *db, const ladder_manifest *m,
		const ladder_down_options *opts, ladder_diags *diags)
{
	static const ladder_down_options defaults = LADDER_DOWN_OPTIONS_INIT;
	struct stepdef *sds = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != LADDER_DOWN_OPTIONS_VERSION || opts->to < -1) {
		ldr_error(diags, "usage", NULL, 0, 0,
			  "invalid ladder_down_options");
		return LADDER_EUSAGE;
	}
	ladder_plan *plan = NULL;
	struct run r = {.dry_run = opts->dry_run,
			.want_statements = opts->want_statements,
			.on_event = opts->on_event,
			.event_ctx = opts->event_ctx};
	int rc = start_run(&r, db, m, 0, 0, &plan, &sds, diags);
	if (rc)
		goto out;

	/* The steps to revert, newest first: all applied ids above `to`, or
	 * the newest one. Every one needs a down file before any runs. */
	int64_t to = opts->to;
	for (size_t i = ladder_plan_count(plan); i-- > 0;) {
		const ladder_step *s = ladder_plan_get(plan, i);
		if (s->state != LADDER_STATE_APPLIED)
			continue;
		if ((to >= 0 && s->id <= to) || (to < 0 && r.total))
			break;
		const ladder_migration *mig = s->migration;
		if (!mig->down_path) {
			ldr_error(diags, "no-down", mig->path, 0, 0,
				  "migration %" PRId64 " '%s' has no 'down' "
				  "file, so it cannot be reverted; nothing was "
				  "reverted",
				  s->id, s->name);
			rc = LADDER_EREFUSED;
		}
		sds[r.total] = (struct stepdef){.mig = mig,
						.file = mig->down_path,
						.rel = mig->down,
						.text = mig->down_text,
						.text_len = mig->down_text_len,
						.down = 1,
						.index = r.total};
		r.total++;
	}
	if (rc || (rc = check_sql(&r, sds, r.total, diags)))
		goto out;
	emit(&r, (ladder_event){.kind = LADDER_EVENT_BEGIN});
	if (r.total && !opts->dry_run &&
	    (rc = db->drv->reset(db->conn, 1, diags)))
		goto out;
	for (size_t i = 0; i < r.total && !rc; i++)
		rc = run_step(&r, &sds[i]);
out:
	end_run(&r, sds);
	ladder_plan_free(plan);
	return rc;
}
