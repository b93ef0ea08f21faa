/*
 * sha256.c — the hex digest and a file's hash (sha256.h).
 */
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

void ldr_sha256_hex(ldr_sha256 *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(s, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * sizeof(d)] = '\0';
}

int ldr_sha256_file(const char *path, char hex[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ldr_sha256 s;
	ldr_sha256_init(&s);
	static const size_t size = 1 << 16;
	uint8_t buf[1 << 16];
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, buf, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		ldr_sha256_update(&s, buf, (size_t)n);
	}
	int saved = errno;
	close(fd);
	errno = saved;
	if (!rc)
		ldr_sha256_hex(&s, hex);
	return rc;
}
