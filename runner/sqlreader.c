/*
 * sqlreader.c — reading a migration file statement by statement, whatever
 * its dialect: the bytes (a descriptor or memory, 64 KiB at a time), the
 * UTF-8 BOM, the checksum, line:column and the one statement buffer.
 *
 * Where a statement starts and ends is the dialect's to say (dialect.h):
 * its lexer is called once per chunk, and again after each statement end,
 * and reports byte offsets, which the reader turns into line:column and
 * text. So memory stays one statement plus one chunk, and the checksum of
 * a file never depends on the dialect it is read in.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialect.h"
#include "sha256.h"

#define CHUNK_SIZE 65536

/* A position turned into line:column. */
struct pos {
	uint64_t off;
	unsigned line, col;
};

struct ldr_sqlreader {
	const struct ldr_dialect *d;
	void *lexer;		   /* d->lexer_size bytes */
	struct ldr_lexmarks marks; /* the current statement, as lexed */
	int fd;			   /* -1 for a memory reader */
	const char *mem;	   /* memory reader: the caller's bytes */
	size_t mem_len, mem_pos;
	char *display;
	ladder_diags *diags;

	unsigned char *rbuf;	    /* CHUNK_SIZE bytes, file readers only */
	const unsigned char *chunk; /* the bytes being lexed */
	size_t chunk_len, pos;	    /* pos: the next byte to lex */
	size_t lex_len;		    /* chunk_len, or where a NUL byte is */
	uint64_t base;		    /* absolute offset of chunk[0] */
	int started_reading;	    /* the first chunk (and its BOM) was seen */
	int eof;		    /* no more bytes to read */
	int io_failed;		    /* a read failed (and was reported) */
	int done;		    /* next() has nothing more to return */
	int status;		    /* sticky error from next(), or 0 */

	ldr_sha256 sha;
	int cr_pending; /* the last hashed byte was a held-back CR */
	int hashed;	/* the digest below is final */
	int no_hash;	/* the caller wants no checksum: skip SHA */
	char hex[LDR_CHECKSUM_HEX];

	/* line:column: newlines are counted up to `counted` (absolute);
	 * `line_start` is where the line holding it begins. */
	uint64_t counted, line_start;
	unsigned line;
	struct pos hold, start, open; /* the marks' offsets, placed */

	ldr_buf stmt;	   /* the current statement's bytes so far */
	uint64_t stmt_off; /* absolute offset of stmt.data[0] */
	int returned;	   /* `stmt` was handed out; clear before reuse */
};

/* ------------------------------------------------------------ checksum -- */

/* Hashes `n` bytes with every CR LF turned into LF. A CR that ends the chunk
 * is held back (*cr_pending) until the next byte (or the end of the file)
 * is known. */
void ldr_hash_lf(ldr_sha256 *sha, int *cr_pending, const unsigned char *p,
		 size_t n)
{
	if (!n)
		return;
	if (*cr_pending) {
		*cr_pending = 0;
		if (p[0] != '\n')
			ldr_sha256_update(sha, "\r", 1);
	}
	size_t start = 0, scan = 0;
	const unsigned char *cr;
	while (scan < n && (cr = memchr(p + scan, '\r', n - scan))) {
		size_t k = (size_t)(cr - p);
		if (k + 1 == n) {
			ldr_sha256_update(sha, p + start, k - start);
			*cr_pending = 1;
			return;
		}
		if (p[k + 1] == '\n') {
			ldr_sha256_update(sha, p + start, k - start);
			start = k + 1;
		}
		scan = k + 1;
	}
	ldr_sha256_update(sha, p + start, n - start);
}

static void hash_bytes(ldr_sqlreader *r, const unsigned char *p, size_t n)
{
	if (!r->no_hash)
		ldr_hash_lf(&r->sha, &r->cr_pending, p, n);
}

/* ------------------------------------------------------- line:column -- */

/* Counts the newlines of the current chunk up to absolute offset `to`. */
static void count_to(ldr_sqlreader *r, uint64_t to)
{
	assert(to <= r->base + r->chunk_len);
	/* A byte the lexer held back at the end of the previous chunk (a `-`
	 * or `/` that might start a comment) lies before this chunk: it is on
	 * the line being counted, so there is nothing more to count. */
	if (to <= r->counted)
		return;
	const unsigned char *p = r->chunk + (r->counted - r->base);
	const unsigned char *end = r->chunk + (to - r->base);
	const unsigned char *nl;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		r->line++;
		p = nl + 1;
		r->line_start = r->base + (uint64_t)(p - r->chunk);
	}
	r->counted = to;
}

static void place(ldr_sqlreader *r, struct pos *at, uint64_t off)
{
	count_to(r, off);
	at->off = off;
	at->line = r->line;
	at->col = (unsigned)(off - r->line_start + 1);
}

/* After a lex() call: places the offsets it reported for the first time,
 * in order (each lies in the bytes that call scanned). */
static void place_marks(ldr_sqlreader *r)
{
	const struct ldr_lexmarks *mk = &r->marks;
	struct mark_to_place {
		struct pos *at;
		uint64_t off;
	} marks[3];
	size_t n = 0;
	if (!mk->started && mk->hold != LDR_LEX_NONE && mk->hold != r->hold.off)
		marks[n++].at = &r->hold, marks[n - 1].off = mk->hold;
	if (mk->started && mk->start != r->start.off) {
		if (mk->start == r->hold.off)
			r->start = r->hold;
		else
			marks[n++].at = &r->start, marks[n - 1].off = mk->start;
	}
	if (mk->open_at != LDR_LEX_NONE && mk->open_at != r->open.off)
		marks[n++].at = &r->open, marks[n - 1].off = mk->open_at;
	for (size_t i = 0; i < n; i++) {
		size_t min = i;
		for (size_t j = i + 1; j < n; j++)
			if (marks[j].off < marks[min].off)
				min = j;
		if (min != i) {
			struct mark_to_place t = marks[i];
			marks[i] = marks[min];
			marks[min] = t;
		}
		place(r, marks[i].at, marks[i].off);
	}
}

/* --------------------------------------------------------------- input -- */

/* Loads the next chunk into r->chunk and hashes it. The first chunk holds
 * at least three bytes unless the file is shorter, so that a BOM is always
 * seen whole; it is skipped. Returns 0 (r->eof set when nothing is left) or
 * LADDER_EIO with a diagnostic. */
static int fill(ldr_sqlreader *r)
{
	if (r->chunk)
		count_to(r, r->base + r->chunk_len);
	r->base += r->chunk_len;
	r->counted = r->base;
	r->chunk_len = r->pos = r->lex_len = 0;
	if (r->io_failed)
		return LADDER_EIO;
	if (r->eof)
		return 0;
	if (r->fd < 0) {
		size_t n = r->mem_len - r->mem_pos;
		if (n > CHUNK_SIZE)
			n = CHUNK_SIZE;
		r->chunk = (const unsigned char *)r->mem + r->mem_pos;
		r->chunk_len = n;
		r->mem_pos += n;
	} else {
		size_t want = r->started_reading ? 1 : 3;
		r->chunk = r->rbuf;
		while (r->chunk_len < want) {
			ssize_t n = read(r->fd, r->rbuf + r->chunk_len,
					 CHUNK_SIZE - r->chunk_len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ldr_error(r->diags, "file", r->display, 0, 0,
					  "cannot read '%s': %s", r->display,
					  strerror(errno));
				r->io_failed = 1;
				return LADDER_EIO;
			}
			if (n == 0)
				break;
			r->chunk_len += (size_t)n;
		}
	}
	if (!r->chunk_len) {
		r->eof = 1;
		return 0;
	}
	if (!r->started_reading) {
		r->started_reading = 1;
		/* Offsets count from after the BOM. */
		if (r->chunk_len >= 3 && !memcmp(r->chunk, "\xEF\xBB\xBF", 3)) {
			r->chunk += 3;
			r->chunk_len -= 3;
		}
	}
	hash_bytes(r, r->chunk, r->chunk_len);
	const unsigned char *nul = memchr(r->chunk, '\0', r->chunk_len);
	r->lex_len = nul ? (size_t)(nul - r->chunk) : r->chunk_len;
	return 0;
}

static int reader_new(ldr_sqlreader **out, const struct ldr_dialect *d,
		      const char *display, ladder_diags *diags)
{
	assert(d && d->lex && d->lex_finish && d->lexer_size);
	ldr_sqlreader *r = calloc(1, sizeof(*r));
	if (!r)
		return LADDER_ENOMEM;
	r->d = d;
	r->fd = -1;
	r->diags = diags;
	r->line = 1;
	r->marks = (struct ldr_lexmarks){0, LDR_LEX_NONE, 0, LDR_LEX_NONE, 0};
	r->hold.off = r->start.off = r->open.off = LDR_LEX_NONE;
	r->display = ldr_strdup(display ? display : "");
	r->lexer = calloc(1, d->lexer_size);
	if (!r->display || !r->lexer) {
		free(r->display);
		free(r->lexer);
		free(r);
		return LADDER_ENOMEM;
	}
	if (d->lex_init)
		d->lex_init(r->lexer);
	ldr_sha256_init(&r->sha);
	*out = r;
	return 0;
}

int ldr_sqlreader_open(ldr_sqlreader **out, const struct ldr_dialect *d,
		       const char *path, const char *display,
		       ladder_diags *diags)
{
	*out = NULL;
	if (!display)
		display = path;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ldr_error(diags, "file", display, 0, 0, "cannot open '%s': %s",
			  display, strerror(errno));
		return LADDER_EIO;
	}
	return ldr_sqlreader_open_fd(out, d, fd, display, diags);
}

int ldr_sqlreader_open_fd(ldr_sqlreader **out, const struct ldr_dialect *d,
			  int fd, const char *display, ladder_diags *diags)
{
	*out = NULL;
	ldr_sqlreader *r = NULL;
	int rc = reader_new(&r, d, display, diags);
	if (rc) {
		close(fd);
		return rc;
	}
	r->fd = fd;
	r->rbuf = malloc(CHUNK_SIZE);
	if (!r->rbuf) {
		ldr_sqlreader_free(r);
		return LADDER_ENOMEM;
	}
	*out = r;
	return 0;
}

int ldr_sqlreader_open_mem(ldr_sqlreader **out, const struct ldr_dialect *d,
			   const char *data, size_t len, const char *display,
			   ladder_diags *diags)
{
	*out = NULL;
	int rc = reader_new(out, d, display, diags);
	if (rc)
		return rc;
	(*out)->mem = data;
	(*out)->mem_len = data ? len : 0;
	return 0;
}

int ldr_sqlreader_open_text(ldr_sqlreader **out, const struct ldr_dialect *d,
			    const char *text, size_t text_len,
			    const char *root_dir, const char *rel,
			    const char *display, ladder_diags *diags)
{
	*out = NULL;
	if (text)
		return ldr_sqlreader_open_mem(out, d, text, text_len, display,
					      diags);
	/* The one run-time open: beneath the manifest's directory, a
	 * regular file, never blocking (path.c). */
	int fd = -1;
	int rc = ldr_open_beneath(root_dir, rel, &fd, diags, display);
	if (rc)
		return rc;
	return ldr_sqlreader_open_fd(out, d, fd, display, diags);
}

void ldr_sqlreader_free(ldr_sqlreader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->rbuf);
	free(r->display);
	free(r->lexer);
	ldr_buf_release(&r->stmt);
	free(r);
}

void ldr_sqlreader_no_hash(ldr_sqlreader *r)
{
	r->no_hash = 1;
}

/* ------------------------------------------------------------ splitter -- */

/* Keeps in `stmt` the bytes the marks say belong to the statement, through
 * absolute offset `to` (the end of what lex() scanned). */
static int keep(ldr_sqlreader *r, uint64_t to)
{
	const struct ldr_lexmarks *mk = &r->marks;
	uint64_t from = mk->started ? mk->start : mk->hold;
	if (from == LDR_LEX_NONE || from >= to) {
		ldr_buf_reset(&r->stmt);
		return 0;
	}
	if (r->stmt.len && from > r->stmt_off) {
		/* held bytes that turned out to be a comment */
		size_t drop = (size_t)(from - r->stmt_off);
		if (drop >= r->stmt.len) {
			ldr_buf_reset(&r->stmt);
		} else {
			memmove(r->stmt.data, r->stmt.data + drop,
				r->stmt.len - drop + 1);
			r->stmt.len -= drop;
			r->stmt_off = from;
		}
	}
	if (!r->stmt.len)
		r->stmt_off = from;
	uint64_t have = r->stmt_off + r->stmt.len;
	assert(have >= r->base);
	if (to > have)
		return ldr_buf_add(&r->stmt,
				   (const char *)r->chunk + (have - r->base),
				   (size_t)(to - have));
	return 0;
}

static void hand_out(ldr_sqlreader *r, const char **sql, size_t *len,
		     unsigned *line, unsigned *column)
{
	assert(r->stmt.data && r->marks.started);
	r->returned = 1;
	*sql = r->stmt.data;
	*len = r->stmt.len;
	*line = r->start.line;
	*column = r->start.col;
}

/* The end of the input: returns what is left as the last statement (1),
 * nothing (0), or an error for text that never ends. */
static int finish(ldr_sqlreader *r, const char **sql, size_t *len,
		  unsigned *line, unsigned *column)
{
	struct ldr_lexmarks *mk = &r->marks;
	const char *what = r->d->lex_finish(r->lexer, r->base, mk);
	place_marks(r);
	if (what) {
		ldr_error(r->diags, "sql-incomplete", r->display, r->open.line,
			  r->open.col, "unterminated %s starting at line %u",
			  what, r->open.line);
		return LADDER_EINVALID;
	}
	r->done = 1;
	if (!mk->started)
		return 0;
	/* drop trailing blanks and comments */
	assert(mk->end > r->stmt_off && mk->end <= r->stmt_off + r->stmt.len);
	r->stmt.len = (size_t)(mk->end - r->stmt_off);
	r->stmt.data[r->stmt.len] = '\0';
	if (r->d->complete) {
		int complete =
			r->d->complete(r->lexer, r->stmt.data, r->stmt.len, 1);
		if (complete < 0)
			return complete;
		if (!complete) {
			ldr_error(r->diags, "sql-incomplete", r->display,
				  r->start.line, r->start.col,
				  "incomplete statement at end of file (%s)",
				  r->d->incomplete_hint);
			return LADDER_EINVALID;
		}
	}
	hand_out(r, sql, len, line, column);
	return 1;
}

/* Lexes the chunk from r->pos until a statement ends (1) or the chunk is
 * used up (0). */
static int lex_chunk(ldr_sqlreader *r)
{
	while (r->pos < r->lex_len) {
		size_t used = 0;
		int end = r->d->lex(r->lexer, r->chunk + r->pos,
				    r->lex_len - r->pos, r->base + r->pos,
				    &used, &r->marks);
		assert(used <= r->lex_len - r->pos);
		r->pos += used;
		place_marks(r);
		int rc = keep(r, r->base + r->pos);
		if (rc)
			return rc;
		if (end != LDR_LEX_END)
			continue;
		assert(r->marks.started);
		if (r->d->complete) {
			rc = r->d->complete(r->lexer, r->stmt.data, r->stmt.len,
					    0);
			if (rc <= 0)
				return rc;
		}
		return 1;
	}
	if (r->lex_len < r->chunk_len) {
		struct pos at;
		place(r, &at, r->base + r->lex_len);
		ldr_error(r->diags, "sql-binary", r->display, at.line, at.col,
			  "'%s' holds a NUL byte; a migration file must be "
			  "text",
			  r->display);
		return LADDER_EINVALID;
	}
	return 0;
}

int ldr_sqlreader_next(ldr_sqlreader *r, const char **sql, size_t *len,
		       unsigned *line, unsigned *column)
{
	if (r->status)
		return r->status;
	if (r->done)
		return 0;
	if (r->returned) {
		uint64_t at = r->base + r->pos;
		ldr_buf_reset(&r->stmt);
		r->returned = 0;
		r->marks.started = 0;
		r->marks.start = r->marks.end = at;
		r->marks.hold = LDR_LEX_NONE;
	}
	int rc;
	for (;;) {
		if (r->pos == r->chunk_len) {
			if ((rc = fill(r)))
				break;
			if (r->eof) {
				rc = finish(r, sql, len, line, column);
				break;
			}
		}
		rc = lex_chunk(r);
		if (rc == 1) {
			hand_out(r, sql, len, line, column);
			return 1;
		}
		if (rc)
			break;
	}
	if (rc < 0)
		r->status = rc;
	return rc;
}

void ldr_sqlreader_checksum(ldr_sqlreader *r, char hex[LDR_CHECKSUM_HEX])
{
	if (!r->hashed) {
		/* the rest of the file, should the caller have stopped early */
		while (!r->eof && !r->io_failed) {
			r->counted = r->base + r->chunk_len; /* lines unused */
			if (fill(r))
				r->status = LADDER_EIO;
			r->done = 1; /* the lexer lost its place */
		}
		if (r->cr_pending)
			ldr_sha256_update(&r->sha, "\r", 1);
		r->cr_pending = 0;
		ldr_sha256_hex(&r->sha, r->hex);
		r->hashed = 1;
	}
	memcpy(hex, r->hex, LDR_CHECKSUM_HEX);
}

int ldr_sqlreader_io_failed(const ldr_sqlreader *r)
{
	return r->io_failed;
}

const struct ldr_dialect *ldr_sqlreader_dialect(const ldr_sqlreader *r)
{
	return r->d;
}
