/*
 * Bounded buffers: the only way untrusted bytes are read or wire bytes are
 * written in xroute.
 *
 * A reader (struct rbuf) is a view: base pointer, length and a read
 * position. Every getter checks the remaining length first; on a short read
 * it returns -1 and does not move. rbuf_sub() carves a sub-view of a declared
 * length (a TLV value, an attribute, a message) that cannot read past its own
 * end, so a parser handed a sub-view cannot overrun its parent.
 *
 * A writer (struct wbuf) appends in network byte order up to a hard maximum.
 * It grows on the heap (wbuf_init) or writes into caller memory that never
 * grows (wbuf_init_fixed). Any failed put sets a sticky error flag, so an
 * encoder may check once at the end; wbuf_set_u16() back-patches a length
 * reserved earlier with wbuf_reserve().
 */
#ifndef XR_LIB_BUF_H
#define XR_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rbuf {
	const uint8_t	*p;
	size_t		 len;
	size_t		 pos;
};

static inline void
rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
}

static inline size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->pos;
}

/* Pointer to the unread bytes; valid for rbuf_left() bytes. */
static inline const uint8_t *
rbuf_cur(const struct rbuf *r)
{
	return r->p + r->pos;
}

static inline int
rbuf_get_u8(struct rbuf *r, uint8_t *v)
{
	if (rbuf_left(r) < 1)
		return -1;
	*v = r->p[r->pos++];
	return 0;
}

static inline int
rbuf_get_u16(struct rbuf *r, uint16_t *v)
{
	if (rbuf_left(r) < 2)
		return -1;
	*v = (uint16_t)(r->p[r->pos] << 8 | r->p[r->pos + 1]);
	r->pos += 2;
	return 0;
}

static inline int
rbuf_get_u32(struct rbuf *r, uint32_t *v)
{
	const uint8_t *q;

	if (rbuf_left(r) < 4)
		return -1;
	q = r->p + r->pos;
	*v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
	r->pos += 4;
	return 0;
}

static inline int
rbuf_get_u64(struct rbuf *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (rbuf_left(r) < 8)
		return -1;
	rbuf_get_u32(r, &hi);
	rbuf_get_u32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

static inline int
rbuf_get_bytes(struct rbuf *r, void *dst, size_t n)
{
	if (rbuf_left(r) < n)
		return -1;
	memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

static inline int
rbuf_skip(struct rbuf *r, size_t n)
{
	if (rbuf_left(r) < n)
		return -1;
	r->pos += n;
	return 0;
}

/* Carve the next n bytes out as their own view and step over them. */
static inline int
rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	if (rbuf_left(r) < n)
		return -1;
	rbuf_init(sub, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

/* Pointer to the next n bytes without consuming them, or NULL. */
static inline const uint8_t *
rbuf_peek(const struct rbuf *r, size_t n)
{
	if (rbuf_left(r) < n)
		return NULL;
	return r->p + r->pos;
}

struct wbuf {
	uint8_t		*p;
	size_t		 len;		/* bytes written */
	size_t		 cap;		/* bytes allocated */
	size_t		 max;		/* hard limit; never grows past it */
	bool		 fixed;		/* caller memory: never realloc */
	bool		 err;		/* a put failed; sticky */
};

/* Heap writer starting at 'initial' bytes, never larger than 'max'. */
int	wbuf_init(struct wbuf *, size_t initial, size_t max);
/* Writer over caller memory of 'cap' bytes. */
void	wbuf_init_fixed(struct wbuf *, void *mem, size_t cap);
void	wbuf_free(struct wbuf *);
void	wbuf_reset(struct wbuf *);
/* Make room for n more bytes; -1 (and err set) if max would be passed. */
int	wbuf_grow(struct wbuf *, size_t n);
/*
 * Send the bytes of w from *off on a non-blocking socket, advancing *off,
 * until all are sent or the socket is full. 0 (possibly partial), or -1
 * with errno set when the connection failed.
 */
int	wbuf_send(int fd, const struct wbuf *, size_t *off);

static inline size_t
wbuf_room(const struct wbuf *w)
{
	return w->max - w->len;
}

static inline int
wbuf_ensure(struct wbuf *w, size_t n)
{
	if (w->cap - w->len >= n)
		return 0;
	return wbuf_grow(w, n);
}

static inline int
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	if (wbuf_ensure(w, 1) == -1)
		return -1;
	w->p[w->len++] = v;
	return 0;
}

static inline int
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	if (wbuf_ensure(w, 2) == -1)
		return -1;
	w->p[w->len] = v >> 8;
	w->p[w->len + 1] = v & 0xff;
	w->len += 2;
	return 0;
}

static inline int
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	if (wbuf_ensure(w, 4) == -1)
		return -1;
	w->p[w->len] = v >> 24;
	w->p[w->len + 1] = (v >> 16) & 0xff;
	w->p[w->len + 2] = (v >> 8) & 0xff;
	w->p[w->len + 3] = v & 0xff;
	w->len += 4;
	return 0;
}

static inline int
wbuf_put_u64(struct wbuf *w, uint64_t v)
{
	if (wbuf_put_u32(w, v >> 32) == -1)
		return -1;
	return wbuf_put_u32(w, v & 0xffffffffu);
}

static inline int
wbuf_put_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (n == 0)
		return 0;
	if (wbuf_ensure(w, n) == -1)
		return -1;
	memcpy(w->p + w->len, src, n);
	w->len += n;
	return 0;
}

/* Reserve n zero bytes (a length to patch later); returns their offset or -1. */
static inline long
wbuf_reserve(struct wbuf *w, size_t n)
{
	size_t off = w->len;

	if (wbuf_ensure(w, n) == -1)
		return -1;
	memset(w->p + off, 0, n);
	w->len += n;
	return (long)off;
}

static inline int
wbuf_set_u8(struct wbuf *w, size_t off, uint8_t v)
{
	if (off + 1 > w->len) {
		w->err = true;
		return -1;
	}
	w->p[off] = v;
	return 0;
}

static inline int
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (off + 2 > w->len) {
		w->err = true;
		return -1;
	}
	w->p[off] = v >> 8;
	w->p[off + 1] = v & 0xff;
	return 0;
}

static inline int
wbuf_set_u32(struct wbuf *w, size_t off, uint32_t v)
{
	if (off + 4 > w->len) {
		w->err = true;
		return -1;
	}
	w->p[off] = v >> 24;
	w->p[off + 1] = (v >> 16) & 0xff;
	w->p[off + 2] = (v >> 8) & 0xff;
	w->p[off + 3] = v & 0xff;
	return 0;
}

/* Drop everything after offset 'len' (undo a partial encode). */
static inline void
wbuf_truncate(struct wbuf *w, size_t len)
{
	if (len < w->len)
		w->len = len;
}

#endif
