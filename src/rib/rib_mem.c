/*
 * Storage primitives of the RIB: chunked vectors addressed by 32-bit
 * indices, slabs with a free list, and a FIFO of 32-bit values. A million
 * prefixes cost a million small records and no per-record malloc.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rib/rib_priv.h"

#define RIB_VMIN	16	/* first allocation of chunk 0, in elements */

void *
rib_big_alloc(size_t len)
{
	uint8_t *p, *a;
	size_t lead;

	if (len < RIB_HUGE)
		return calloc(1, len);
	len = (len + RIB_HUGE - 1) & ~(size_t)(RIB_HUGE - 1);
	/* over-allocate to cut a 2 MB aligned piece out of it */
	p = mmap(NULL, len + RIB_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)(((uintptr_t)p + RIB_HUGE - 1) &
	    ~(uintptr_t)(RIB_HUGE - 1));
	lead = (size_t)(a - p);
	if (lead > 0)
		munmap(p, lead);
	munmap(a + len, RIB_HUGE - lead);
	(void)madvise(a, len, MADV_HUGEPAGE);	/* a hint: fine if refused */
	return a;
}

void
rib_big_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	if (len < RIB_HUGE) {
		free(p);
		return;
	}
	len = (len + RIB_HUGE - 1) & ~(size_t)(RIB_HUGE - 1);
	munmap(p, len);
}

void
rib_vec_init(struct rib_vec *v, uint32_t elsize)
{
	memset(v, 0, sizeof(*v));
	v->elsize = elsize;
	v->per = RIB_HUGE / elsize;
}

static size_t
chunk_bytes(const struct rib_vec *v)
{
	return (size_t)v->per * v->elsize;
}

void
rib_vec_free(struct rib_vec *v)
{
	uint32_t i;

	for (i = 0; i < v->nchunks; i++) {
		if (i == 0 && v->cap0 < v->per)
			free(v->chunks[0]);
		else
			rib_big_free(v->chunks[i], RIB_HUGE);
	}
	free(v->chunks);
	v->chunks = NULL;
	v->nchunks = 0;
	v->cap0 = 0;
}

size_t
rib_vec_mem(const struct rib_vec *v)
{
	size_t n = v->nchunks * sizeof(void *);
	uint32_t i;

	for (i = 0; i < v->nchunks; i++)
		if (v->chunks[i] != NULL)
			n += i == 0 && v->cap0 < v->per ?
			    (size_t)v->cap0 * v->elsize : RIB_HUGE;
	return n;
}

/* Grow chunk 0 so that it holds element i; at full size it is huge. */
static int
vec_grow0(struct rib_vec *v, uint32_t i)
{
	uint32_t ncap = v->cap0 ? v->cap0 : RIB_VMIN;
	uint8_t *p;

	while (ncap <= i)
		ncap *= 2;
	if (ncap * 2 > v->per)
		ncap = v->per;
	if (ncap == v->per) {
		if ((p = rib_big_alloc(RIB_HUGE)) == NULL)
			return -1;
		if (v->chunks[0] != NULL)
			memcpy(p, v->chunks[0], (size_t)v->cap0 * v->elsize);
		free(v->chunks[0]);
	} else {
		p = realloc(v->chunks[0], (size_t)ncap * v->elsize);
		if (p == NULL)
			return -1;
		memset(p + (size_t)v->cap0 * v->elsize, 0,
		    (size_t)(ncap - v->cap0) * v->elsize);
	}
	v->chunks[0] = p;
	v->cap0 = ncap;
	return 0;
}

void *
rib_vec_get(struct rib_vec *v, uint32_t i)
{
	uint32_t c = i / v->per, n;
	uint8_t **np;

	if (c >= v->nchunks) {
		n = v->nchunks ? v->nchunks : 1;
		while (n <= c)
			n *= 2;
		np = realloc(v->chunks, n * sizeof(*np));
		if (np == NULL)
			return NULL;
		memset(np + v->nchunks, 0, (n - v->nchunks) * sizeof(*np));
		v->chunks = np;
		v->nchunks = n;
	}
	if (c == 0) {
		if (i >= v->cap0 && vec_grow0(v, i) == -1)
			return NULL;
	} else {
		/* a later chunk exists only once chunk 0 is full size */
		if (v->cap0 < v->per && vec_grow0(v, v->per - 1) == -1)
			return NULL;
		if (v->chunks[c] == NULL &&
		    (v->chunks[c] = rib_big_alloc(chunk_bytes(v) < RIB_HUGE ?
		    RIB_HUGE : chunk_bytes(v))) == NULL)
			return NULL;
	}
	return rib_vec_at(v, i);
}

void
rib_slab_init(struct rib_slab *s, uint32_t elsize)
{
	memset(s, 0, sizeof(*s));
	rib_vec_init(&s->v, elsize);
	s->hwm = 1;
}

void
rib_slab_free(struct rib_slab *s)
{
	rib_vec_free(&s->v);
	s->hwm = 1;
	s->freelist = 0;
	s->used = 0;
}

uint32_t
rib_slab_alloc(struct rib_slab *s)
{
	uint32_t i;
	uint8_t *p;

	if (s->freelist != 0) {
		i = s->freelist;
		p = rib_vec_at(&s->v, i);
		memcpy(&s->freelist, p, sizeof(uint32_t));
		memset(p, 0, s->v.elsize);
	} else {
		if (s->hwm == UINT32_MAX >> 1)
			return 0;
		i = s->hwm;
		if (rib_vec_get(&s->v, i) == NULL)
			return 0;
		s->hwm++;
	}
	s->used++;
	return i;
}

void
rib_slab_put(struct rib_slab *s, uint32_t i)
{
	uint8_t *p = rib_vec_at(&s->v, i);

	memcpy(p, &s->freelist, sizeof(uint32_t));
	s->freelist = i;
	s->used--;
}

/* --- FIFO ---------------------------------------------------------------- */

#define RIB_QBLK	4096

struct rib_qblk {
	struct rib_qblk	*next;
	uint32_t	 v[RIB_QBLK];
};

int
rib_u32q_push(struct rib_u32q *q, uint32_t x)
{
	struct rib_qblk *b;

	if (q->tail == NULL || q->tpos == RIB_QBLK) {
		if ((b = malloc(sizeof(*b))) == NULL)
			return -1;
		b->next = NULL;
		if (q->tail)
			q->tail->next = b;
		else {
			q->head = b;
			q->hpos = 0;
		}
		q->tail = b;
		q->tpos = 0;
	}
	q->tail->v[q->tpos++] = x;
	q->count++;
	return 0;
}

bool
rib_u32q_pop(struct rib_u32q *q, uint32_t *x)
{
	struct rib_qblk *b;

	if (q->count == 0)
		return false;
	b = q->head;
	*x = b->v[q->hpos++];
	q->count--;
	if (q->hpos == RIB_QBLK || q->count == 0) {
		if (b == q->tail && q->count == 0) {
			/* empty: keep nothing */
			free(b);
			q->head = q->tail = NULL;
			q->hpos = q->tpos = 0;
		} else if (q->hpos == RIB_QBLK) {
			q->head = b->next;
			q->hpos = 0;
			free(b);
		}
	}
	return true;
}

void
rib_u32q_free(struct rib_u32q *q)
{
	struct rib_qblk *b, *n;

	for (b = q->head; b; b = n) {
		n = b->next;
		free(b);
	}
	memset(q, 0, sizeof(*q));
}
