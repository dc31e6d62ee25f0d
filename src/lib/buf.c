/*
 * Heap management for struct wbuf; the getters and putters are inline in
 * buf.h because codecs call them per byte on the hot path.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>

#include "lib/buf.h"

int
wbuf_init(struct wbuf *w, size_t initial, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
	if (initial > max)
		initial = max;
	if (initial == 0)
		return 0;
	w->p = malloc(initial);
	if (w->p == NULL) {
		w->err = true;
		return -1;
	}
	w->cap = initial;
	return 0;
}

void
wbuf_init_fixed(struct wbuf *w, void *mem, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->p = mem;
	w->cap = cap;
	w->max = cap;
	w->fixed = true;
}

void
wbuf_free(struct wbuf *w)
{
	if (!w->fixed)
		free(w->p);
	memset(w, 0, sizeof(*w));
}

void
wbuf_reset(struct wbuf *w)
{
	w->len = 0;
	w->err = false;
}

int
wbuf_grow(struct wbuf *w, size_t n)
{
	size_t want, ncap;
	uint8_t *np;

	if (w->len + n > w->max || w->len + n < w->len) {
		w->err = true;
		return -1;
	}
	want = w->len + n;
	if (want <= w->cap)
		return 0;
	if (w->fixed) {
		w->err = true;
		return -1;
	}
	ncap = w->cap ? w->cap : 64;
	while (ncap < want)
		ncap *= 2;
	if (ncap > w->max)
		ncap = w->max;
	np = realloc(w->p, ncap);
	if (np == NULL) {
		w->err = true;
		return -1;
	}
	w->p = np;
	w->cap = ncap;
	return 0;
}

int
wbuf_send(int fd, const struct wbuf *w, size_t *off)
{
	ssize_t n;

	while (*off < w->len) {
		n = send(fd, w->p + *off, w->len - *off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			*off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n == 0)
			errno = EPIPE;
		return -1;
	}
	return 0;
}
