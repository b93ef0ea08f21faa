/*
 * sha256.h — SHA-256 for checksums and backups, from nettle: its sha256
 * uses the CPU's SHA extensions (SHA-NI, ARMv8 SHA2) where it has them, and
 * costs nothing at start-up (OpenSSL's libcrypto measured about 7 ms a
 * process more here; docs/performance.md).
 */
#ifndef LADDER_SHA256_H
#define LADDER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

typedef struct sha256_ctx ldr_sha256;

static inline void ldr_sha256_init(ldr_sha256 *s)
{
	sha256_init(s);
}

static inline void ldr_sha256_update(ldr_sha256 *s, const void *p, size_t n)
{
	sha256_update(s, n, (const uint8_t *)p);
}

/* The digest as 64 lowercase hex digits and a NUL. */
void ldr_sha256_hex(ldr_sha256 *s, char hex[65]);

/* The SHA-256 of a whole file, as hex; -1 with errno on failure. */
int ldr_sha256_file(const char *path, char hex[65]);

#endif
