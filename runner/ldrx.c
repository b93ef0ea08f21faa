/*
 * ldrx.c — helpers shared by the library and the CLI (see ldrx.h).
 */
#include "ldrx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t ldrx_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int ldrx_utc_now(char out[LDRX_UTC_LEN])
{
	struct timespec ts;
	struct tm tm;
	out[0] = '\0';
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 ||
	    !gmtime_r(&ts.tv_sec, &tm))
		return -1;
	if (strftime(out, LDRX_UTC_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) !=
	    LDRX_UTC_LEN - 1) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int ldrx_read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 65536, used = 0;
	char *buf = malloc(cap + 1);
	*out = NULL;
	*len = 0;
	if (!buf)
		return ENOMEM;
	for (;;) {
		if (used == cap) {
			char *bigger;
			if (cap > ((size_t)-1 - 1) / 2) {
				free(buf);
				return ENOMEM;
			}
			bigger = realloc(buf, cap * 2 + 1);
			if (!bigger) {
				free(buf);
				return ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + used, cap - used);
		if (got < 0) {
			int err = errno;
			if (err == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (got == 0)
			break;
		used += (size_t)got;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

int ldrx_read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;
	*out = NULL;
	*len = 0;
	if (fd < 0)
		return errno;
	err = ldrx_read_fd(fd, out, len);
	close(fd);
	return err;
}
