/*
 * util.c — small owned strings and a growable buffer, shared by the modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int buf_grow(ldr_buf *b, size_t extra)
{
	if (extra >= SIZE_MAX - b->len)
		return LADDER_ENOMEM;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return LADDER_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int ldr_buf_add(ldr_buf *b, const char *data, size_t len)
{
	if (buf_grow(b, len))
		return LADDER_ENOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ldr_buf_addc(ldr_buf *b, char c)
{
	return ldr_buf_add(b, &c, 1);
}

int ldr_buf_addf(ldr_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n))
		return LADDER_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void ldr_buf_reset(ldr_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ldr_buf_release(ldr_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *ldr_buf_detach(ldr_buf *b)
{
	if (!b->data && buf_grow(b, 0))
		return NULL;
	if (!b->len)
		b->data[0] = '\0';
	char *p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

char *ldr_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ldr_strdup(const char *s)
{
	return s ? ldr_strndup(s, strlen(s)) : NULL;
}

char *ldr_path_join(const char *dir, const char *rel)
{
	if (!dir || !*dir || !strcmp(dir, "."))
		return ldr_strdup(rel);
	ldr_buf b = LDR_BUF_INIT;
	size_t dl = strlen(dir);
	if (ldr_buf_add(&b, dir, dl) ||
	    (dir[dl - 1] != '/' && ldr_buf_addc(&b, '/')) ||
	    ldr_buf_add(&b, rel, strlen(rel))) {
		ldr_buf_release(&b);
		return NULL;
	}
	return ldr_buf_detach(&b);
}

char *ldr_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ldr_strdup(".");
	if (slash == path)
		return ldr_strdup("/");
	return ldr_strndup(path, (size_t)(slash - path));
}
