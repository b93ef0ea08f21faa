/*
 * manifest_yaml.c — reads manifest.yaml with libyaml's event API and checks
 * every manifest rule (docs/manifest.md), reporting each problem with the
 * manifest's file:line:column and carrying on, like a compiler. What it
 * accepts it hands to the manifest object's builder (manifest.c); each
 * listed file is opened through path.c, which keeps it inside the
 * manifest's directory.
 *
 * The events are pulled one at a time by a fixed set of functions (stream,
 * top mapping, migrations sequence, entry, value); nothing recurses on the
 * input's depth. A value we do not understand is skipped by counting depth,
 * and that count is bounded, so hostile nesting cannot exhaust memory.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "dialect.h"
#ifdef LADDER_HAVE_PG_QUERY
#include "pg_lint.h"
#else
typedef struct ldr_pg_lint ldr_pg_lint;
#endif
#include "internal.h"
#include "ldrx.h"

#define MAX_BYTES	 ((size_t)64 << 20) /* the largest manifest read */
#define MAX_ENTRIES	 1000000	    /* the most migrations listed */
#define MAX_DEPTH	 1000		    /* nesting inside a skipped value */
#define SHOW_MAX	 60 /* bytes of a value quoted in a message */
#define SHOW_SIZE	 (SHOW_MAX * 4 + 4)
#define PATH_SHOWN_WHOLE 255 /* a longer path is cut like a value */
#define ID_MAX_TEXT	 "9223372036854775807"

/* Every valid id seen, with its line: duplicates are found in O(1). */
struct idslot {
	int64_t id; /* 0 = free; ids are >= 1 */
	unsigned line;
};

struct idset {
	struct idslot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t count;
};

struct parser {
	yaml_parser_t yp;
	yaml_event_t ev; /* the current event, valid when have_ev */
	int have_ev;
	int stop;   /* no more events: syntax error, limit or no memory */
	int unread; /* the YAML could not be read to its end */
	int nomem;
	const char *text; /* the input, for reader-error offsets */
	size_t len;
	const char *file; /* the manifest's path as given */
	char *dir;	  /* its directory */
	ldr_root *root;	  /* the same, where listed files must stay */
	ladder_diags *diags;
	size_t errors;
	int checksums_only; /* LADDER_LOAD_CHECKSUMS_ONLY: the SQL rules are
			     * left to up and down */
	ladder_manifest *m;
	struct idset ids;
	int have_max;
	int64_t max_id; /* the highest valid id so far */
	unsigned max_line;
	size_t entries; /* sequence items seen under 'migrations' */
	const struct ldr_dialect *dialect; /* `engine:`, SQLite's unless set */
	int seen_migrations; /* `engine:` must come before `migrations:` */
	char *table;	     /* `table:`, checked once the engine is known */
	yaml_mark_t table_at;
	int have_schema;
	yaml_mark_t schema_at;
	/* `lock_timeout:`, `statement_timeout:`, `retries:`: the manifest's
	 * defaults (as an entry holds them), and the first such key seen
	 * anywhere (PostgreSQL's: refused on SQLite) */
	int lock_timeout_ms, statement_timeout_ms, retries;
	const char *limit_key;
	yaml_mark_t limit_at;
	/* `postgresql:` (the target's major version, 0 unset) and the
	 * linter, made at the first entry of a full PostgreSQL load */
	int pg_target;
	yaml_mark_t pg_target_at;
	ldr_pg_lint *lint;
};

/* An entry while it is being read. */
struct entry_draft {
	unsigned line;
	int64_t id;
	char *name;
	char *file;
	char *down;
	char *path;
	char *down_path;
	yaml_mark_t file_mark;
	yaml_mark_t down_mark;
	int transactional;
	int foreign_keys_off;
	int lock_timeout_ms, statement_timeout_ms, retries;
	const char *limit_key; /* the first of them the entry sets */
	yaml_mark_t limit_at;
	int id_ok;
	int bad; /* a value was refused: the entry is not kept */
	char checksum[LDR_CHECKSUM_HEX];
	char **allow; /* `lint: {allow: [...]}` */
	size_t nallow;
};

static const char *const top_keys[] = {
	"table",     "database",     "migrations",	  "engine",
	"schema",    "lock_timeout", "statement_timeout", "retries",
	"postgresql"};
enum {
	TK_TABLE,
	TK_DATABASE,
	TK_MIGRATIONS,
	TK_ENGINE,
	TK_SCHEMA,
	TK_LOCK_TIMEOUT,
	TK_STATEMENT_TIMEOUT,
	TK_RETRIES,
	TK_POSTGRESQL,
	TK_N
};

static const char *const entry_keys[] = {
	"id",	   "name",	   "file",	   "transaction",
	"down",	   "foreign_keys", "lock_timeout", "statement_timeout",
	"retries", "lint"};
enum {
	EK_ID,
	EK_NAME,
	EK_FILE,
	EK_TRANSACTION,
	EK_DOWN,
	EK_FK,
	EK_LOCK_TIMEOUT,
	EK_STATEMENT_TIMEOUT,
	EK_RETRIES,
	EK_LINT,
	EK_N
};

/* ------------------------------------------------------------ messages -- */

/* Adds an error at `mark` (0-based, as libyaml gives it) and counts it. */
static void perr(struct parser *p, const char *code, const yaml_mark_t *mark,
		 const char *fmt, ...) LDR_PRINTF(4, 5);

static void perr(struct parser *p, const char *code, const yaml_mark_t *mark,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (ldr_diagv(p->diags, LADDER_SEV_ERROR, code, p->file,
		      (unsigned)mark->line + 1, (unsigned)mark->column + 1, fmt,
		      ap)) {
		p->nomem = 1;
		p->stop = 1;
	}
	va_end(ap);
	p->errors++;
}

/* Copies `len` bytes of `s` into `dst` (SHOW_SIZE bytes) for quoting in a
 * message: control bytes become \xNN, and a long value is cut (on a UTF-8
 * character boundary) and ends with "...". Returns `dst`. */
static const char *show(char *dst, const char *s, size_t len)
{
	size_t o = 0, i;
	for (i = 0; i < len && i < SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			static const char hex[] = "0123456789abcdef";
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			dst[o++] = (char)c;
		}
	}
	if (i < len) {
		while (o > 0 && ((unsigned char)dst[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0 && (unsigned char)dst[o - 1] >= 0xc0)
			o--;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

static int is_plain(const yaml_event_t *e)
{
	return e->type == YAML_SCALAR_EVENT &&
	       e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static const char *scalar(const yaml_event_t *e)
{
	return (const char *)e->data.scalar.value;
}

/* Whether a plain scalar reads as null in YAML. */
static int is_null(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (!strcmp(s, "null") || !strcmp(s, "Null") ||
			     !strcmp(s, "NULL")));
}

/* Whether a plain scalar reads as a boolean (any case). */
static int is_bool(const char *s, size_t len)
{
	return (len == 4 && !strcasecmp(s, "true")) ||
	       (len == 5 && !strcasecmp(s, "false"));
}

/* What a node is, for "must be X, not Y" messages. */
static const char *describe(const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SEQUENCE_START_EVENT: return "a sequence";
	case YAML_MAPPING_START_EVENT: return "a mapping";
	case YAML_ALIAS_EVENT: return "an alias";
	case YAML_SCALAR_EVENT:
		if (is_plain(e) && is_null(scalar(e), e->data.scalar.length))
			return "null";
		return "a scalar";
	default: return "nothing";
	}
}

/* ---------------------------------------------------------------- ids -- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static const struct idslot *idset_find(const struct idset *s, int64_t id)
{
	if (!s->cap)
		return NULL;
	size_t i = (size_t)mix((uint64_t)id) & (s->cap - 1);
	while (s->slots[i].id) {
		if (s->slots[i].id == id)
			return &s->slots[i];
		i = (i + 1) & (s->cap - 1);
	}
	return NULL;
}

/* Adds an id not yet in the set; returns LADDER_ENOMEM or 0. */
static int idset_add(struct idset *s, int64_t id, unsigned line)
{
	if ((s->count + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct idslot *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return LADDER_ENOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i].id)
				continue;
			size_t j = (size_t)mix((uint64_t)s->slots[i].id) &
				   (cap - 1);
			while (slots[j].id)
				j = (j + 1) & (cap - 1);
			slots[j] = s->slots[i];
		}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	size_t i = (size_t)mix((uint64_t)id) & (s->cap - 1);
	while (s->slots[i].id)
		i = (i + 1) & (s->cap - 1);
	s->slots[i] = (struct idslot){id, line};
	s->count++;
	return 0;
}

/* -------------------------------------------------------------- events -- */

/* Reports libyaml's error (syntax, reader or memory) and stops parsing. */
static void yaml_failed(struct parser *p)
{
	yaml_parser_t *y = &p->yp;
	p->stop = 1;
	p->unread = 1;
	if (y->error == YAML_MEMORY_ERROR) {
		p->nomem = 1;
		return;
	}
	const char *problem = y->problem ? y->problem : "invalid YAML";
	yaml_mark_t at = y->problem_mark;
	if (y->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		size_t off =
			y->problem_offset < p->len ? y->problem_offset : p->len;
		size_t line = 0, bol = 0;
		for (size_t i = 0; i < off; i++) {
			if (p->text[i] == '\n') {
				line++;
				bol = i + 1;
			}
		}
		at.line = line;
		at.column = off - bol;
		if (y->problem_value != -1) {
			perr(p, "yaml", &at, "%s (byte 0x%02x)", problem,
			     (unsigned)y->problem_value & 0xff);
			return;
		}
	}
	if (y->context)
		perr(p, "yaml", &at, "%s (%s at line %u)", problem, y->context,
		     (unsigned)y->context_mark.line + 1);
	else
		perr(p, "yaml", &at, "%s", problem);
}

/* Refuses anchors, aliases and tags on the current event; the event is
 * still used as it stands, so one mistake yields one diagnostic. */
static void refuse_properties(struct parser *p)
{
	const yaml_event_t *e = &p->ev;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	char a[SHOW_SIZE];
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		perr(p, "alias", &e->start_mark,
		     "alias '*%s' is not allowed; a manifest has no anchors or "
		     "aliases",
		     show(a, (const char *)e->data.alias.anchor,
			  strlen((const char *)e->data.alias.anchor)));
		return;
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = e->data.sequence_start.anchor;
		tag = e->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = e->data.mapping_start.anchor;
		tag = e->data.mapping_start.tag;
		break;
	default: return;
	}
	if (anchor)
		perr(p, "anchor", &e->start_mark,
		     "anchor '&%s' is not allowed; a manifest has no anchors "
		     "or aliases",
		     show(a, (const char *)anchor,
			  strlen((const char *)anchor)));
	if (tag)
		perr(p, "tag", &e->start_mark,
		     "tag '%s' is not allowed; write plain values",
		     show(a, (const char *)tag, strlen((const char *)tag)));
}

/* Makes the next event current. Returns 1, or 0 once parsing stopped. */
static int next(struct parser *p)
{
	if (p->have_ev) {
		yaml_event_delete(&p->ev);
		p->have_ev = 0;
	}
	if (p->stop)
		return 0;
	if (!yaml_parser_parse(&p->yp, &p->ev)) {
		yaml_failed(p);
		return 0;
	}
	p->have_ev = 1;
	refuse_properties(p);
	return !p->stop;
}

/* Skips the node whose first event is current, with all it holds, leaving
 * its last event current. Returns 1, or 0 once parsing stopped. */
static int skip_node(struct parser *p)
{
	size_t depth = 0;
	for (;;) {
		switch (p->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > MAX_DEPTH) {
				perr(p, "limit", &p->ev.start_mark,
				     "nesting deeper than %d levels",
				     MAX_DEPTH);
				p->stop = 1;
				p->unread = 1;
				return 0;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: depth--; break;
		default: break;
		}
		if (!depth)
			return 1;
		if (!next(p))
			return 0;
	}
}

/* ---------------------------------------------------------------- keys -- */

/* Levenshtein distance between s[0..len) and the short key `k`. */
static size_t distance(const char *s, size_t len, const char *k)
{
	/* one more than the longest key ("statement_timeout") */
	size_t kl = strlen(k), row[32];
	assert(kl < sizeof(row) / sizeof(row[0]));
	for (size_t j = 0; j <= kl; j++)
		row[j] = j;
	for (size_t i = 1; i <= len; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= kl; j++) {
			size_t up = row[j];
			size_t best = diag + (s[i - 1] != k[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[kl];
}

/* Reports an unknown key, with a hint when a known key is close: the same
 * but for case, or at most 2 edits away (and fewer edits than it has
 * letters, so "up" does not suggest "id"). */
static void unknown_key(struct parser *p, const char *s, size_t len,
			const char *const *keys, size_t nkeys,
			const char *expected)
{
	const char *best = NULL;
	size_t bestd = 3;
	char shown[SHOW_SIZE];
	for (size_t i = 0; i < nkeys; i++) {
		size_t kl = strlen(keys[i]);
		if (len == kl && !strncasecmp(s, keys[i], kl)) {
			best = keys[i];
			break;
		}
		if (len > kl + 2 || kl > len + 2)
			continue;
		size_t d = distance(s, len, keys[i]);
		if (d <= 2 && d < kl && d < bestd) {
			best = keys[i];
			bestd = d;
		}
	}
	show(shown, s, len);
	if (best)
		perr(p, "unknown-key", &p->ev.start_mark,
		     "unknown key '%s'; did you mean '%s'?", shown, best);
	else
		perr(p, "unknown-key", &p->ev.start_mark,
		     "unknown key '%s'; %s", shown, expected);
}

/* Reads the current event as a key of a mapping with `keys`. Returns the
 * key's index, or -1 when it was reported (unknown, duplicate, not a
 * string); the value is then the caller's to skip. `seen` holds the line
 * of each key's first occurrence. */
static int read_key(struct parser *p, const char *const *keys, size_t nkeys,
		    unsigned *seen, const char *expected)
{
	const yaml_event_t *e = &p->ev;
	if (e->type != YAML_SCALAR_EVENT) {
		if (e->type != YAML_ALIAS_EVENT) {
			perr(p, "type", &e->start_mark,
			     "a key must be a string, not %s", describe(e));
			skip_node(p);
		}
		return -1;
	}
	const char *s = scalar(e);
	size_t len = e->data.scalar.length;
	for (size_t i = 0; i < nkeys; i++) {
		if (strlen(keys[i]) != len || memcmp(keys[i], s, len))
			continue;
		if (seen[i]) {
			perr(p, "duplicate-key", &e->start_mark,
			     "duplicate key '%s' (first at line %u)", keys[i],
			     seen[i]);
			return -1;
		}
		seen[i] = (unsigned)e->start_mark.line + 1;
		return (int)i;
	}
	unknown_key(p, s, len, keys, nkeys, expected);
	return -1;
}

/* -------------------------------------------------------------- values -- */

/* Reads the current value as a non-empty string into *out (owned). A plain
 * null or boolean, a sequence or a mapping is a `type` error; an empty or
 * NUL-holding string is an error with `code`. Returns 1, or 0 when it
 * reported why not (or ran out of memory). */
static int get_string(struct parser *p, const char *key, const char *code,
		      char **out)
{
	const yaml_event_t *e = &p->ev;
	char shown[SHOW_SIZE];
	if (e->type == YAML_ALIAS_EVENT)
		return 0;
	if (e->type != YAML_SCALAR_EVENT) {
		perr(p, "type", &e->start_mark, "'%s' must be a string, not %s",
		     key, describe(e));
		skip_node(p);
		return 0;
	}
	const char *s = scalar(e);
	size_t len = e->data.scalar.length;
	if (is_plain(e) && !len) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be a string, not null (no value is given)",
		     key);
		return 0;
	}
	if (is_plain(e) && is_null(s, len)) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be a string, not null; quote it (\"%s\") to "
		     "mean the text",
		     key, s);
		return 0;
	}
	if (is_plain(e) && is_bool(s, len)) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be a string, not a boolean; quote it (\"%s\") "
		     "to mean the text",
		     key, s);
		return 0;
	}
	if (!len) {
		perr(p, code, &e->start_mark, "'%s' must not be empty", key);
		return 0;
	}
	if (memchr(s, '\0', len)) {
		perr(p, code, &e->start_mark,
		     "'%s' holds a NUL character: '%s'", key,
		     show(shown, s, len));
		return 0;
	}
	if (!(*out = ldr_strndup(s, len))) {
		p->nomem = 1;
		p->stop = 1;
		return 0;
	}
	return 1;
}

/* Checks the text of a plain `id` scalar; reports why it is not an id, or
 * stores it in *out and returns 1. */
static int parse_id_text(struct parser *p, const char *s, size_t len,
			 const yaml_mark_t *at, int64_t *out)
{
	char v[SHOW_SIZE];
	size_t digits = 0, dots = 0, i;
	show(v, s, len);
	if (is_null(s, len)) {
		perr(p, "id", at,
		     "id is %s; expected an integer from 1 to " ID_MAX_TEXT,
		     len ? "null" : "empty");
		return 0;
	}
	while (digits < len && isdigit((unsigned char)s[digits]))
		digits++;
	if (digits == len) {
		int64_t n = 0;
		for (i = 0; i < len; i++) {
			int d = s[i] - '0';
			if (n > (INT64_MAX - d) / 10) {
				perr(p, "id", at,
				     "id %s is larger than " ID_MAX_TEXT, v);
				return 0;
			}
			n = n * 10 + d;
		}
		if (!n) {
			perr(p, "id", at, "id must be at least 1, not %s", v);
			return 0;
		}
		*out = n;
		return 1;
	}
	if (s[0] == '+') {
		perr(p, "id", at, "id '%s' has a sign; write the plain number",
		     v);
		return 0;
	}
	if (s[0] == '-' && len > 1 && isdigit((unsigned char)s[1])) {
		perr(p, "id", at, "id %s is negative; ids start at 1", v);
		return 0;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		perr(p, "id", at, "id '%s' is hexadecimal; write it in decimal",
		     v);
		return 0;
	}
	/* [0-9.]* holding digits, then maybe e[+-]?[0-9]+ */
	for (i = 0, digits = 0;
	     i < len && (isdigit((unsigned char)s[i]) || s[i] == '.'); i++) {
		if (s[i] == '.')
			dots++;
		else
			digits++;
	}
	if (digits && dots <= 1 && i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		size_t exp = j;
		while (j < len && isdigit((unsigned char)s[j]))
			j++;
		if (j == len && j > exp) {
			perr(p, "id", at,
			     "id '%s' has an exponent; write all its digits",
			     v);
			return 0;
		}
	}
	if (digits && dots == 1 && i == len) {
		perr(p, "id", at, "id '%s' is not a whole number", v);
		return 0;
	}
	perr(p, "id", at, "id '%s' is not a decimal integer", v);
	return 0;
}

/* Reads `id:`'s value; a valid id is then checked against the earlier ones:
 * equal to any of them is `id-duplicate`, not above the highest so far is
 * `id-order`. Both are reported at this id and name the earlier line. */
static void parse_id(struct parser *p, struct entry_draft *w)
{
	const yaml_event_t *e = &p->ev;
	if (e->type == YAML_ALIAS_EVENT)
		return;
	if (e->type != YAML_SCALAR_EVENT) {
		perr(p, "type", &e->start_mark,
		     "'id' must be an integer, not %s", describe(e));
		skip_node(p);
		return;
	}
	if (!is_plain(e)) {
		perr(p, "id", &e->start_mark,
		     "id must be an unquoted integer (write it without "
		     "quotes)");
		return;
	}
	int64_t id;
	if (!parse_id_text(p, scalar(e), e->data.scalar.length, &e->start_mark,
			   &id))
		return;
	w->id = id;
	w->id_ok = 1;
	unsigned line = (unsigned)e->start_mark.line + 1;
	const struct idslot *dup = idset_find(&p->ids, id);
	if (dup) {
		perr(p, "id-duplicate", &e->start_mark,
		     "duplicate id %" PRId64 " (first at line %u)", id,
		     dup->line);
		return;
	}
	if (idset_add(&p->ids, id, line)) {
		p->nomem = 1;
		p->stop = 1;
		return;
	}
	if (p->have_max && id <= p->max_id) {
		perr(p, "id-order", &e->start_mark,
		     "id %" PRId64
		     " is not greater than the previous id %" PRId64
		     " (line %u)",
		     id, p->max_id, p->max_line);
		return;
	}
	p->have_max = 1;
	p->max_id = id;
	p->max_line = line;
}

/* Reads `name:`: a non-empty, single-line string. */
static void parse_name(struct parser *p, struct entry_draft *w)
{
	yaml_mark_t at = p->ev.start_mark;
	if (!get_string(p, "name", "name", &w->name))
		return;
	if (strpbrk(w->name, "\r\n")) {
		perr(p, "name", &at, "'name' must be a single line");
		free(w->name);
		w->name = NULL;
	}
}

/* Reads a flag whose value must be exactly the plain word `yes_word` or
 * `no_word` (`true`/`false`, `on`/`off`); *out gets 1 for `yes_word`.
 * Returns 0 when it reported why not. */
static int parse_flag(struct parser *p, const char *key, const char *yes_word,
		      const char *no_word, int *out)
{
	static const char *const yaml11[] = {"y",  "n",	  "yes",  "no",
					     "on", "off", "true", "false"};
	const yaml_event_t *e = &p->ev;
	char v[SHOW_SIZE];
	if (e->type == YAML_ALIAS_EVENT)
		return 0;
	if (e->type != YAML_SCALAR_EVENT) {
		perr(p, "type", &e->start_mark, "'%s' must be %s or %s, not %s",
		     key, yes_word, no_word, describe(e));
		skip_node(p);
		return 0;
	}
	const char *s = scalar(e);
	size_t len = e->data.scalar.length;
	show(v, s, len);
	if (!is_plain(e)) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be %s or %s, unquoted, not the string '%s'",
		     key, yes_word, no_word, v);
		return 0;
	}
	if (!strcmp(s, yes_word) || !strcmp(s, no_word)) {
		*out = !strcmp(s, yes_word);
		return 1;
	}
	if (!len) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be %s or %s; no value is given", key, yes_word,
		     no_word);
		return 0;
	}
	for (size_t i = 0; i < sizeof(yaml11) / sizeof(*yaml11); i++) {
		if (strcasecmp(s, yaml11[i]))
			continue;
		if (!strcasecmp(s, yes_word) || !strcasecmp(s, no_word))
			perr(p, "type", &e->start_mark,
			     "'%s' must be %s or %s, in lower case, not '%s'",
			     key, yes_word, no_word, v);
		else
			perr(p, "type", &e->start_mark,
			     "'%s' must be %s or %s; YAML 1.1's '%s' is not "
			     "accepted",
			     key, yes_word, no_word, v);
		return 0;
	}
	perr(p, "type", &e->start_mark, "'%s' must be %s or %s, not '%s'", key,
	     yes_word, no_word, v);
	return 0;
}

/* ----------------------------------------------- timeouts and retries -- */

/* Reads `lock_timeout:` or `statement_timeout:`: a plain integer of
 * milliseconds, or a number with a unit (ms, s, min, h), 0 .. a day.
 * *out gets the milliseconds, or -1 for 0 (off). Returns 0 when it
 * reported why not. */
static int parse_timeout(struct parser *p, const char *key, int *out)
{
	static const struct {
		const char *unit;
		long ms;
	} units[] = {{"", 1},
		     {"ms", 1},
		     {"s", 1000},
		     {"min", 60000},
		     {"h", 3600000}};
	const yaml_event_t *e = &p->ev;
	char v[SHOW_SIZE];
	if (e->type == YAML_ALIAS_EVENT)
		return 0;
	if (e->type != YAML_SCALAR_EVENT) {
		perr(p, "type", &e->start_mark,
		     "'%s' must be a duration (500ms, 5s, 1min; a plain "
		     "number is milliseconds), not %s",
		     key, describe(e));
		skip_node(p);
		return 0;
	}
	const char *s = scalar(e);
	size_t len = e->data.scalar.length, i = 0;
	show(v, s, len);
	long n = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		if (n <=
		    LDR_MAX_TIMEOUT_MS) /* saturates: too long either way */
			n = n * 10 + (s[i] - '0');
	for (size_t u = 0; i && u < sizeof(units) / sizeof(*units); u++) {
		if (strlen(units[u].unit) != len - i ||
		    memcmp(units[u].unit, s + i, len - i))
			continue;
		if (n > LDR_MAX_TIMEOUT_MS / units[u].ms) {
			perr(p, "timeout", &e->start_mark,
			     "'%s: %s' is longer than a day, the most ladder "
			     "takes",
			     key, v);
			return 0;
		}
		*out = n ? (int)(n * units[u].ms) : -1;
		return 1;
	}
	perr(p, "timeout", &e->start_mark,
	     "'%s' must be a duration (500ms, 5s, 1min, 1h; a plain number "
	     "is milliseconds; 0 is off), not '%s'",
	     key, v);
	return 0;
}

/* Reads `retries:`: a plain integer, 0 .. LDR_MAX_RETRIES. */
static int parse_retries(struct parser *p, int *out)
{
	const yaml_event_t *e = &p->ev;
	char v[SHOW_SIZE];
	if (e->type == YAML_ALIAS_EVENT)
		return 0;
	if (e->type != YAML_SCALAR_EVENT) {
		perr(p, "type", &e->start_mark,
		     "'retries' must be a number, not %s", describe(e));
		skip_node(p);
		return 0;
	}
	const char *s = scalar(e);
	size_t len = e->data.scalar.length, i = 0;
	show(v, s, len);
	int n = 0;
	while (i < len && i < 4 && s[i] >= '0' && s[i] <= '9')
		n = n * 10 + (s[i++] - '0');
	if (!len || i < len || !is_plain(e) || n > LDR_MAX_RETRIES) {
		perr(p, "retries", &e->start_mark,
		     "'retries' must be a whole number from 0 to %d, not '%s'",
		     LDR_MAX_RETRIES, v);
		return 0;
	}
	*out = n;
	return 1;
}

/* One of the three keys, for an entry (`w`) or the manifest (`w` NULL);
 * notes the first seen, which SQLite refuses. */
static int parse_limit(struct parser *p, int key, int *lock_ms, int *stmt_ms,
		       int *retries)
{
	yaml_mark_t at = p->ev.start_mark;
	const char *name = key == 0   ? "lock_timeout"
			   : key == 1 ? "statement_timeout"
				      : "retries";
	if (!p->limit_key) {
		p->limit_key = name;
		p->limit_at = at;
	}
	return key == 0	  ? parse_timeout(p, name, lock_ms)
	       : key == 1 ? parse_timeout(p, name, stmt_ms)
			  : parse_retries(p, retries);
}

/* Reads `file:` or `down:` as a relative path into *out; the place of the
 * value goes to *at for the checks made once the entry is read. */
static int parse_path(struct parser *p, const char *key, char **out,
		      yaml_mark_t *at)
{
	*at = p->ev.start_mark;
	if (!get_string(p, key, "path", out))
		return 0;
	if ((*out)[0] == '/') {
		char v[SHOW_SIZE];
		perr(p, "path", at,
		     "absolute path '%s' is refused; paths are relative to the "
		     "manifest's directory",
		     show(v, *out, strlen(*out)));
		free(*out);
		*out = NULL;
		return 0;
	}
	return 1;
}

/* Scans an open file (taken over) in the manifest's dialect; with the
 * linter when `hook` is set. */
static int scan_fd(struct parser *p, int fd, const char *display, int scan,
		   ldr_sqlinfo *info, const ldr_scan_hook *hook)
{
	ldr_sqlreader *r = NULL;
	int rc = ldr_sqlreader_open_fd(&r, p->dialect, fd, display, p->diags);
	return ldr_sqlscan_hooked(r, rc, display, scan, info, p->diags, hook);
}

/* Checks a migration file named `rel` (as written) and scans it: path.c
 * opens it only if it stays inside the manifest's directory once symlinks
 * are resolved, exists and is a regular file. *joined gets the path as
 * joined to the manifest's directory. Returns 0 when the path is refused
 * (the entry is dropped), 1 when the file could not be read (checksum ""),
 * 2 when it was scanned (its checksum in `checksum`, which may be NULL). */
static int check_file(struct parser *p, const char *rel, const yaml_mark_t *at,
		      int scan, char **joined, char *checksum,
		      const ldr_scan_hook *hook)
{
	char v[SHOW_SIZE];
	show(v, rel, strlen(rel));
	if (!(*joined = ldr_path_join(p->dir, rel))) {
		p->nomem = 1;
		p->stop = 1;
		return 0;
	}
	/* The path quoted in "cannot open '...'": whole when it is of a
	 * usual length, else cut like any quoted value (manifest.md). */
	char d[SHOW_SIZE];
	size_t jn = strlen(*joined);
	ldr_open_at where = {.file = p->file,
			     .line = (unsigned)at->line + 1,
			     .column = (unsigned)at->column + 1,
			     .display = jn > PATH_SHOWN_WHOLE
						? show(d, *joined, jn)
						: *joined,
			     .shown = v};
	int fd;
	size_t before = ladder_diags_errors(p->diags);
	int rc = ldr_root_open_file(p->root, rel, &where, &fd, p->diags);
	if (rc) {
		size_t n = ladder_diags_errors(p->diags) - before;
		p->errors += n ? n : 1;
		if (rc == LADDER_ENOMEM) {
			p->nomem = 1;
			p->stop = 1;
		}
		return rc == LADDER_EIO ? 1 : 0;
	}
	/* A `transaction: false` step's file is read whole before it runs
	 * (migrate.c): one past the cap is refused here, not midway. */
	struct stat st;
	if (!p->checksums_only && !(scan & LDR_SCAN_TX) && !fstat(fd, &st) &&
	    (uintmax_t)st.st_size > LDR_PLAIN_MAX)
		perr(p, "file", at,
		     "'%s' is larger than %zu MiB, the most a step with "
		     "'transaction: false' may hold (it is read whole before "
		     "it runs)",
		     v, LDR_PLAIN_MAX >> 20);
	ldr_sqlinfo info;
	before = ladder_diags_errors(p->diags);
	/* Both take the descriptor over. */
	rc = p->checksums_only ? ldr_sqlfile_checksum_fd(
					 fd, *joined, info.checksum, p->diags)
			       : scan_fd(p, fd, *joined, scan, &info, hook);
	if (rc == LADDER_ENOMEM) {
		p->nomem = 1;
		p->stop = 1;
		return 0;
	}
	if (rc) { /* the scan's own count, at least 1 */
		size_t n = ladder_diags_errors(p->diags) - before;
		p->errors += n ? n : 1;
	}
	if (rc == LADDER_EIO)
		return 1;
	if (checksum)
		memcpy(checksum, info.checksum, LDR_CHECKSUM_HEX);
	return 2;
}

/* ------------------------------------------------------------- entries -- */

/* Reads `lint:`, a mapping with `allow:`, a sequence of rule codes
 * (docs/lint.md); an unknown code is an error, so a typo silences
 * nothing unnoticed. */
static void parse_lint(struct parser *p, struct entry_draft *w)
{
	const yaml_event_t *e = &p->ev;
	if (e->type != YAML_MAPPING_START_EVENT) {
		perr(p, "type", &e->start_mark,
		     "'lint' must be a mapping ({allow: [code, ...]}), not %s",
		     describe(e));
		skip_node(p);
		w->bad = 1;
		return;
	}
	if (strcmp(p->dialect->name, "postgresql"))
		perr(p, "unsupported", &e->start_mark,
		     "'lint' is the PostgreSQL linter's (docs/lint.md); %s "
		     "has none: remove it",
		     p->dialect->name);
	static const char *const lint_keys[] = {"allow"};
	unsigned seen[1] = {0};
	while (next(p) && p->ev.type != YAML_MAPPING_END_EVENT) {
		int k = read_key(p, lint_keys, 1, seen, "'lint' takes allow");
		if (!next(p))
			return;
		if (k != 0) {
			skip_node(p);
			continue;
		}
		if (p->ev.type != YAML_SEQUENCE_START_EVENT) {
			perr(p, "type", &p->ev.start_mark,
			     "'allow' must be a sequence of rule codes, not %s",
			     describe(&p->ev));
			skip_node(p);
			w->bad = 1;
			continue;
		}
		while (next(p) && p->ev.type != YAML_SEQUENCE_END_EVENT) {
			yaml_mark_t at = p->ev.start_mark;
			char *code = NULL, v[SHOW_SIZE];
			if (!get_string(p, "allow", "lint", &code)) {
				w->bad = 1;
				continue;
			}
#ifdef LADDER_HAVE_PG_QUERY
			int known = ldr_pg_lint_code_known(code);
#else
			int known = !strncmp(code, "lint-", 5);
#endif
			if (!known) {
				perr(p, "lint", &at,
				     "unknown lint rule '%s' (docs/lint.md "
				     "lists them)",
				     show(v, code, strlen(code)));
				free(code);
				w->bad = 1;
				continue;
			}
			char **a =
				realloc(w->allow, (w->nallow + 1) * sizeof(*a));
			if (!a) {
				free(code);
				p->nomem = 1;
				p->stop = 1;
				return;
			}
			w->allow = a;
			a[w->nallow++] = code;
		}
	}
}

/* Scans the entry's up file with the linter when the manifest is
 * PostgreSQL's and loaded whole (validate & co). */
static int check_up_file(struct parser *p, struct entry_draft *w, int scan)
{
#ifdef LADDER_HAVE_PG_QUERY
	if (p->dialect == &ldr_dialect_pg && !p->checksums_only) {
		if (!p->lint && ldr_pg_lint_new(&p->lint, p->pg_target)) {
			p->nomem = p->stop = 1;
			return 0;
		}
		char *display = ldr_path_join(p->dir, w->file);
		ldr_scan_hook hook = {ldr_pg_lint_stmt, p->lint};
		int r = 0;
		/* the step's own lock_timeout, else the manifest's default
		 * (when that key came before the migrations) */
		int lock_timeout =
			w->lock_timeout_ms > 0 ||
			(!w->lock_timeout_ms && p->lock_timeout_ms > 0);
		if (!display ||
		    ldr_pg_lint_step(p->lint, display, w->transactional,
				     lock_timeout,
				     (const char *const *)w->allow, w->nallow))
			p->nomem = p->stop = 1;
		else
			r = check_file(p, w->file, &w->file_mark,
				       scan & ~LDR_SCAN_SYNTAX, &w->path,
				       w->checksum, &hook);
		if (!p->stop && ldr_pg_lint_step_end(p->lint, p->diags))
			p->nomem = p->stop = 1;
		free(display);
		return r;
	}
#endif
	return check_file(p, w->file, &w->file_mark, scan, &w->path,
			  w->checksum, NULL);
}

/* Reads one item of the `migrations` sequence (the current event) and,
 * when its id, name and paths are usable, appends it. Missing keys are
 * reported at the entry's start; files are checked once all keys are read,
 * since `transaction:` may come after `file:`. */
static void parse_entry(struct parser *p)
{
	struct entry_draft w = {.transactional = 1, .retries = -1};
	unsigned seen[EK_N] = {0};
	const yaml_event_t *e = &p->ev;
	if (e->type != YAML_MAPPING_START_EVENT) {
		if (e->type != YAML_ALIAS_EVENT) {
			perr(p, "type", &e->start_mark,
			     "a migration must be a mapping, not %s",
			     describe(e));
			skip_node(p);
		}
		return;
	}
	yaml_mark_t start = e->start_mark;
	w.line = (unsigned)start.line + 1;
	while (next(p) && p->ev.type != YAML_MAPPING_END_EVENT) {
		int k = read_key(p, entry_keys, EK_N, seen,
				 "a migration takes id, name, file, "
				 "transaction, down, foreign_keys, "
				 "lock_timeout, statement_timeout, retries "
				 "and lint");
		if (!next(p))
			goto out;
		switch (k) {
		case EK_ID: parse_id(p, &w); break;
		case EK_NAME: parse_name(p, &w); break;
		case EK_FILE:
			if (!parse_path(p, "file", &w.file, &w.file_mark))
				w.bad = 1;
			break;
		case EK_DOWN:
			if (!parse_path(p, "down", &w.down, &w.down_mark))
				w.bad = 1;
			break;
		case EK_TRANSACTION:
			/* Unknown intent: scan without the transaction rules
			 * rather than add guesses to the real error. */
			if (!parse_flag(p, "transaction", "true", "false",
					&w.transactional)) {
				w.transactional = 0;
				w.bad = 1;
			}
			break;
		case EK_FK: {
			int on = 1;
			yaml_mark_t fk_at = p->ev.start_mark;
			if (!parse_flag(p, "foreign_keys", "on", "off", &on))
				w.bad = 1;
			w.foreign_keys_off = !on;
			if (!on && !(p->dialect->caps & LDR_CAP_FK_OFF)) {
				perr(p, "unsupported", &fk_at,
				     "'foreign_keys: off' is SQLite's table "
				     "rebuild procedure; %s alters tables in "
				     "place (remove the key)",
				     p->dialect->name);
				w.bad = 1;
			}
			break;
		}
		case EK_LOCK_TIMEOUT:
		case EK_STATEMENT_TIMEOUT:
		case EK_RETRIES:
			if (!w.limit_key) {
				w.limit_key = entry_keys[k];
				w.limit_at = p->ev.start_mark;
			}
			if (!parse_limit(p, k - EK_LOCK_TIMEOUT,
					 &w.lock_timeout_ms,
					 &w.statement_timeout_ms, &w.retries))
				w.bad = 1;
			break;
		case EK_LINT: parse_lint(p, &w); break;
		default: skip_node(p); break;
		}
	}
	if (p->stop)
		goto out;
	if (w.limit_key && !w.transactional && !w.bad)
		perr(p, "unsupported", &w.limit_at,
		     "'%s' lives in ladder's transaction (SET LOCAL), and "
		     "this step runs without one ('transaction: false'): "
		     "remove it, or write SET %s in the file",
		     w.limit_key,
		     !strcmp(w.limit_key, "retries") ? "lock_timeout"
						     : w.limit_key);
	for (int i = EK_ID; i <= EK_FILE; i++) {
		if (!seen[i])
			perr(p, "missing-key", &start,
			     "migration at line %u is missing '%s'", w.line,
			     entry_keys[i]);
	}
	int scan = LDR_SCAN_SYNTAX | (w.transactional ? LDR_SCAN_TX : 0) |
		   (w.foreign_keys_off ? LDR_SCAN_FK_OFF : 0);
	if (w.file && !check_up_file(p, &w, scan))
		w.bad = 1;
	if (w.down && !check_file(p, w.down, &w.down_mark, scan, &w.down_path,
				  NULL, NULL))
		w.bad = 1;
	if (p->stop || w.bad || !w.id_ok || !w.name || !w.file)
		goto out;
	ladder_migration mig = {
		.id = w.id,
		.name = w.name,
		.file = w.file,
		.path = w.path,
		.checksum = w.checksum,
		.down = w.down,
		.down_path = w.down_path,
		.transactional = w.transactional,
		.foreign_keys_off = w.foreign_keys_off,
		.line = w.line,
		.lock_timeout_ms = w.lock_timeout_ms,
		.statement_timeout_ms = w.statement_timeout_ms,
		.retries = w.retries,
	};
	if (ldr_manifest_add(p->m, &mig)) {
		p->nomem = 1;
		p->stop = 1;
	}
out:
	for (size_t i = 0; i < w.nallow; i++)
		free(w.allow[i]);
	free(w.allow);
	free(w.name);
	free(w.file);
	free(w.down);
	free(w.path);
	free(w.down_path);
}

/* Reads `migrations:`'s value: a sequence of entries, at most MAX_ENTRIES
 * of them (the rest are skipped after one `limit` error). */
static void parse_migrations(struct parser *p)
{
	const yaml_event_t *e = &p->ev;
	if (e->type == YAML_ALIAS_EVENT)
		return;
	if (e->type != YAML_SEQUENCE_START_EVENT) {
		perr(p, "type", &e->start_mark,
		     "'migrations' must be a sequence (write [] for none), "
		     "not %s",
		     describe(e));
		skip_node(p);
		return;
	}
	while (next(p) && p->ev.type != YAML_SEQUENCE_END_EVENT) {
		if (++p->entries > MAX_ENTRIES) {
			if (p->entries == (size_t)MAX_ENTRIES + 1)
				perr(p, "limit", &p->ev.start_mark,
				     "more than %d migrations; the rest are "
				     "not read",
				     MAX_ENTRIES);
			skip_node(p);
			continue;
		}
		parse_entry(p);
	}
}

/* Reads `table:`; its name is checked by the engine's rule once the whole
 * manifest (and so `engine:`) is read: check_table(). */
static void parse_table(struct parser *p)
{
	char *s = NULL;
	p->table_at = p->ev.start_mark;
	if (!get_string(p, "table", "table", &s))
		return;
	free(p->table);
	p->table = s;
}

/* The table name by the rule of the manifest's engine: a plain SQL
 * identifier, not one of the engine's reserved names. */
static void check_table(struct parser *p)
{
	char v[SHOW_SIZE];
	const char *why = NULL;
	if (!p->table)
		return;
	show(v, p->table, strlen(p->table));
	if (p->dialect->table_name_ok(p->table, &why))
		perr(p, "table", &p->table_at, "table name '%s' %s", v, why);
	else if (ldr_manifest_set_table(p->m, p->table)) {
		p->nomem = 1;
		p->stop = 1;
	}
}

/* Reads `engine:`: sqlite or postgresql. It decides how every file is
 * read, so it must come before `migrations:`. */
static void parse_engine(struct parser *p)
{
	yaml_mark_t at = p->ev.start_mark;
	char *s = NULL, v[SHOW_SIZE];
	if (!get_string(p, "engine", "engine", &s))
		return;
	show(v, s, strlen(s));
	const struct ldr_dialect *d = NULL;
	if (!strcmp(s, "sqlite"))
		d = &ldr_dialect_sqlite;
#ifdef LADDER_HAVE_PG
	else if (!strcmp(s, "postgresql"))
		d = &ldr_dialect_pg;
#else
	else if (!strcmp(s, "postgresql"))
		perr(p, "engine", &at,
		     "engine 'postgresql': this ladder was built without "
		     "PostgreSQL");
#endif
	else
		perr(p, "engine", &at,
		     "unknown engine '%s': write sqlite or postgresql%s", v,
		     !strcmp(s, "postgres") ? " (did you mean postgresql?)"
					    : "");
	free(s);
	if (!d)
		return;
	if (p->seen_migrations) {
		perr(p, "engine", &at,
		     "'engine' must come before 'migrations' (the files are "
		     "read in its dialect)");
		return;
	}
	p->dialect = d;
	ldr_manifest_set_dialect(p->m, d);
}

/* Reads `postgresql:`: the target server's major version (9 to 99). The
 * linter's rules and the grammar's verdicts depend on it, so it must come
 * before `migrations:`. */
static void parse_pg_target(struct parser *p)
{
	const yaml_event_t *e = &p->ev;
	p->pg_target_at = e->start_mark;
	const char *s =
		e->type == YAML_SCALAR_EVENT && is_plain(e) ? scalar(e) : NULL;
	size_t len = s ? e->data.scalar.length : 0;
	int v = 0;
	for (size_t i = 0; s && i < len && i < 3; i++)
		v = isdigit((unsigned char)s[i]) ? v * 10 + (s[i] - '0')
						 : -1000;
	if (!s || len < 1 || len > 2 || v < 9 || v > 99) {
		perr(p, "type", &e->start_mark,
		     "'postgresql' must be the target server's major version, "
		     "a whole number such as 16");
		if (e->type != YAML_SCALAR_EVENT)
			skip_node(p);
		return;
	}
	if (p->seen_migrations) {
		perr(p, "postgresql", &e->start_mark,
		     "'postgresql' must come before 'migrations' (the files "
		     "are checked for that version)");
		return;
	}
	p->pg_target = v;
}

/* Reads `schema:`: PostgreSQL's schema for the bookkeeping tables, a
 * plain lower-case identifier. */
static void parse_schema(struct parser *p)
{
	yaml_mark_t at = p->ev.start_mark;
	char *s = NULL, v[SHOW_SIZE];
	if (!get_string(p, "schema", "schema", &s))
		return;
	show(v, s, strlen(s));
	const char *why = NULL;
	p->have_schema = 1;
	p->schema_at = at;
	if (ldr_schema_name_ok(s, &why))
		perr(p, "schema", &at, "schema name '%s' %s", v, why);
	else if (ldr_manifest_set_schema(p->m, s)) {
		p->nomem = 1;
		p->stop = 1;
	}
	free(s);
}

/* Reads `database:`. A relative path is joined to the manifest's directory
 * (also after a `sqlite:` prefix); a URL (`scheme://...`) is kept as it is,
 * for the database layer to accept or refuse. */
static void parse_database(struct parser *p)
{
	char *s = NULL, *joined = NULL;
	if (!get_string(p, "database", "path", &s))
		return;
	/* A SQLite target (a path, sqlite:PATH, sqlite://PATH: the rule -d
	 * follows) is a path relative to the manifest's directory. Another
	 * scheme is kept whole for the database layer to refuse. */
	const char *rest = NULL;
	if (!ldr_sqlite_target(s, &rest) || rest[0] == '/' || !rest[0]) {
		joined = s;
		s = NULL;
	} else {
		/* A scheme given stays, as sqlite:, before the joined path. */
		ldr_buf b = LDR_BUF_INIT;
		char *path = ldr_path_join(p->dir, rest);
		if (path && !ldr_buf_add(&b, "sqlite:", rest != s ? 7 : 0) &&
		    !ldr_buf_add(&b, path, strlen(path)))
			joined = ldr_buf_detach(&b);
		ldr_buf_release(&b);
		free(path);
		if (!joined) {
			p->nomem = 1;
			p->stop = 1;
		}
	}
	free(s);
	if (joined && ldr_manifest_set_database(p->m, joined)) {
		p->nomem = 1;
		p->stop = 1;
	}
	free(joined);
}

/* Reads the top mapping (the current event) and its keys. */
static void parse_top(struct parser *p)
{
	unsigned seen[TK_N] = {0};
	yaml_mark_t start = p->ev.start_mark;
	while (next(p) && p->ev.type != YAML_MAPPING_END_EVENT) {
		int k = read_key(p, top_keys, TK_N, seen,
				 "the manifest takes engine, postgresql, "
				 "table, schema, database, lock_timeout, "
				 "statement_timeout, retries and "
				 "migrations");
		if (!next(p))
			return;
		switch (k) {
		case TK_TABLE: parse_table(p); break;
		case TK_DATABASE: parse_database(p); break;
		case TK_MIGRATIONS:
			p->seen_migrations = 1;
			parse_migrations(p);
			break;
		case TK_ENGINE: parse_engine(p); break;
		case TK_SCHEMA: parse_schema(p); break;
		case TK_LOCK_TIMEOUT:
		case TK_STATEMENT_TIMEOUT:
		case TK_RETRIES:
			parse_limit(p, k - TK_LOCK_TIMEOUT, &p->lock_timeout_ms,
				    &p->statement_timeout_ms, &p->retries);
			break;
		case TK_POSTGRESQL: parse_pg_target(p); break;
		default: skip_node(p); break;
		}
	}
	ldr_manifest_set_limits(p->m, p->lock_timeout_ms,
				p->statement_timeout_ms, p->retries);
	if (p->stop)
		return;
	if (p->limit_key && p->dialect == &ldr_dialect_sqlite)
		perr(p, "unsupported", &p->limit_at,
		     "'%s' is PostgreSQL's (SET LOCAL in the step's "
		     "transaction, retried on a lock timeout); SQLite has "
		     "none: remove it, or set 'engine: postgresql'",
		     p->limit_key);
	check_table(p);
	if (p->have_schema && p->dialect == &ldr_dialect_sqlite)
		perr(p, "schema", &p->schema_at,
		     "'schema' is PostgreSQL's (where the bookkeeping tables "
		     "live); SQLite has none: remove it, or set 'engine: "
		     "postgresql'");
	if (p->pg_target && strcmp(p->dialect->name, "postgresql"))
		perr(p, "postgresql", &p->pg_target_at,
		     "'postgresql' is the target PostgreSQL version; this "
		     "manifest's engine is %s: remove it, or set 'engine: "
		     "postgresql'",
		     p->dialect->name);
	if (!p->stop && !seen[TK_MIGRATIONS])
		perr(p, "missing-key", &start,
		     "the manifest is missing 'migrations'");
}

/* Reads the whole stream: exactly one document holding a mapping. */
static void parse_stream(struct parser *p)
{
	static const yaml_mark_t origin = {0, 0, 0};
	if (!next(p) || !next(p)) /* STREAM-START, then a document or end */
		return;
	if (p->ev.type == YAML_STREAM_END_EVENT) {
		perr(p, "yaml", &origin,
		     "manifest is empty; expected a mapping with 'migrations'");
		return;
	}
	yaml_mark_t doc = p->ev.start_mark;
	if (!next(p)) /* the root node */
		return;
	const yaml_event_t *e = &p->ev;
	if (e->type == YAML_MAPPING_START_EVENT) {
		parse_top(p);
	} else if (is_plain(e) && !e->data.scalar.length &&
		   !e->data.scalar.tag) {
		perr(p, "yaml", &doc,
		     "manifest is empty; expected a mapping with 'migrations'");
	} else if (e->type != YAML_ALIAS_EVENT) {
		perr(p, "type", &e->start_mark,
		     "the manifest must be a mapping with 'migrations', not %s",
		     describe(e));
		skip_node(p);
	}
	if (!next(p) || !next(p)) /* DOCUMENT-END, then the next */
		return;
	if (p->ev.type == YAML_DOCUMENT_START_EVENT)
		perr(p, "yaml", &p->ev.start_mark,
		     "a second document is not allowed; a manifest is one "
		     "document");
}

/* --------------------------------------------------------------- load -- */

/* Refuses a manifest larger than MAX_BYTES before reading any of it. */
static int too_large(const char *path, ladder_diags *diags)
{
	if (ldr_error(diags, "limit", path, 1, 1,
		      "manifest is larger than 64 MiB"))
		return LADDER_ENOMEM;
	return LADDER_EINVALID;
}

/* Parses `text` as the manifest named `path`. Sets *out unless the YAML
 * could not be read to its end (a syntax error or a limit), or memory ran
 * out. */
static int load(ladder_manifest **out, const char *text, size_t len,
		const char *path, unsigned flags, ladder_diags *diags)
{
	assert(out && text && path);
	if (len > MAX_BYTES)
		return too_large(path, diags);
	struct parser p = {.dialect = &ldr_dialect_sqlite,
			   .text = text,
			   .len = len,
			   .file = path,
			   .diags = diags,
			   .checksums_only =
				   (flags & LADDER_LOAD_CHECKSUMS_ONLY) != 0};
	int rc = LADDER_ENOMEM, yaml_ready = 0;
	ladder_manifest *m = NULL;
	if (ldr_manifest_new(&m, path, NULL) ||
	    !(p.dir = ldr_path_dirname(path)) || ldr_root_open(&p.root, p.dir))
		goto out;
	if (p.checksums_only)
		ldr_manifest_set_checksums_only(m);
	p.m = m;
	if (!yaml_parser_initialize(&p.yp))
		goto out;
	yaml_ready = 1;
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, len);
	parse_stream(&p);
	if (p.nomem)
		goto out;
	ldr_manifest_add_errors(m, p.errors);
	rc = p.errors ? LADDER_EINVALID : LADDER_OK;
out:
	if (p.have_ev)
		yaml_event_delete(&p.ev);
	if (yaml_ready)
		yaml_parser_delete(&p.yp);
	ldr_root_free(p.root);
#ifdef LADDER_HAVE_PG_QUERY
	ldr_pg_lint_free(p.lint);
#endif
	free(p.dir);
	free(p.ids.slots);
	free(p.table);
	if (rc == LADDER_ENOMEM || p.unread)
		ladder_manifest_free(m);
	else
		*out = m;
	return rc;
}

int ladder_manifest_load_buffer(ladder_manifest **out, const char *text,
				size_t len, const char *path,
				ladder_diags *diags)
{
	*out = NULL;
	return load(out, text, len, path, 0, diags);
}

/* Reads the manifest file whole (it must be a regular file of at most
 * MAX_BYTES) and parses it. */
int ladder_manifest_load(ladder_manifest **out, const char *path,
			 ladder_diags *diags)
{
	return ladder_manifest_load_flags(out, path, 0, diags);
}

int ladder_manifest_load_flags(ladder_manifest **out, const char *path,
			       unsigned flags, ladder_diags *diags)
{
	static const char *const code = "file";
	char *buf = NULL;
	size_t got = 0;
	int rc = LADDER_EIO, err;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		ldr_error(diags, code, path, 0, 0, "cannot open '%s': %s", path,
			  strerror(errno));
		goto out;
	}
	struct stat st;
	if (fstat(fd, &st)) {
		ldr_error(diags, code, path, 0, 0, "cannot read '%s': %s", path,
			  strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ldr_error(diags, code, path, 0, 0,
			  "'%s' is not a regular file%s", path,
			  S_ISDIR(st.st_mode) ? " (it is a directory)" : "");
		goto out;
	}
	/* Nothing is read of a file over the limit; one that grows past it
	 * while it is read is refused by load(). */
	if ((uintmax_t)st.st_size > MAX_BYTES) {
		rc = too_large(path, diags);
		goto out;
	}
	if ((err = ldrx_read_fd(fd, &buf, &got))) {
		if (err == ENOMEM) {
			rc = LADDER_ENOMEM;
		} else {
			ldr_error(diags, code, path, 0, 0,
				  "cannot read '%s': %s", path, strerror(err));
		}
		goto out;
	}
	rc = load(out, buf, got, path, flags, diags);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int ldr_schema_name_ok(const char *s, const char **why)
{
	/* The table rule of PostgreSQL's dialect fits a schema name too,
	 * bar the length kept for "_attempts". */
	int bad = !(*s >= 'a' && *s <= 'z') && *s != '_';
	for (const char *c = s; !bad && *c; c++)
		bad = !((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			*c == '_');
	*why = NULL;
	if (bad || strlen(s) > 63)
		*why = bad ? "is not a plain lower-case identifier "
			     "([a-z_][a-z0-9_]*)"
			   : "is longer than 63 bytes";
	else if (!strncmp(s, "pg_", 3))
		*why = "is reserved by PostgreSQL (names starting with 'pg_')";
	return *why != NULL;
}
