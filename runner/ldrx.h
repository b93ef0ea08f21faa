/*
 * ldrx.h — small helpers compiled into both the library and the CLI.
 *
 * As curl's `curlx_` functions, these are written so that the tool may
 * borrow them without reaching into the library's internals: they take
 * and return plain C types, keep no state, and never print or exit. The
 * CLI compiles ldrx.c itself; nothing here is part of ladder.h.
 */
#ifndef LADDER_LDRX_H
#define LADDER_LDRX_H

#include <stddef.h>
#include <stdint.h>

/* Microseconds on the monotonic clock, for durations only. */
int64_t ldrx_now_us(void);

/* The current time as RFC 3339 UTC with whole seconds,
 * "YYYY-MM-DDTHH:MM:SSZ" (20 characters and a NUL), whatever TZ says.
 * Returns 0, or -1 when the clock cannot be read. */
#define LDRX_UTC_LEN 21
int ldrx_utc_now(char out[LDRX_UTC_LEN]);

/* Reads the whole file `path` into a malloc'd, NUL-terminated buffer
 * (*out, length *len, the NUL not counted). Returns 0, or an errno value
 * (*out NULL) when it cannot be opened or read, or does not fit in
 * memory. */
int ldrx_read_file(const char *path, char **out, size_t *len);

/* The same for an open descriptor, read from its current offset to its
 * end; the descriptor stays open. */
int ldrx_read_fd(int fd, char **out, size_t *len);

#endif
