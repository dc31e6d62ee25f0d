/*
 * Per-token request rate limit of the API role: a token bucket per bearer
 * token (rate tokens per second, burst deep), like ARM's throttling that
 * answers 429 with Retry-After. Buckets live in a fixed, direct-mapped
 * table keyed by a keyed hash of the token (lib/hash.h), so memory stays
 * bounded whatever clients send and the table never holds a token itself;
 * two tokens sharing a slot only reset each other's bucket to full, which
 * errs towards letting requests through. Only authenticated tenant and
 * provider requests are counted (the caller checks the role), so an
 * unknown token cannot drain a real tenant's bucket and the operator's
 * admin tokens (edges, tooling) are never throttled.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "lib/hash.h"
#include "lib/mtime.h"

#define API_RL_SLOTS	4096

struct api_bucket {
	uint64_t	 key;		/* 0: free */
	double		 level;		/* requests left */
	uint64_t	 t_us;		/* last refill */
};

int
api_limit_init(struct api *a)
{
	if (a->rate <= 0)
		return 0;
	if (a->burst == 0)
		a->burst = 1;
	a->buckets = calloc(API_RL_SLOTS, sizeof(*a->buckets));
	if (a->buckets == NULL)
		return -1;
	pthread_mutex_init(&a->rl_lock, NULL);
	return 0;
}

void
api_limit_free(struct api *a)
{
	if (a->buckets == NULL)
		return;
	free(a->buckets);
	a->buckets = NULL;
	pthread_mutex_destroy(&a->rl_lock);
}

/* The bearer token of an Authorization header (api_authenticate's rule). */
static const char *
bearer(const char *hdr)
{
	if (hdr == NULL || strlen(hdr) < 7)
		return "";
	hdr += 7;
	while (*hdr == ' ')
		hdr++;
	return hdr;
}

unsigned
api_limit_take(struct api *a, const char *auth_hdr)
{
	const char *tok;
	struct api_bucket *b;
	uint64_t key, now;
	unsigned wait = 0;

	if (a->buckets == NULL)
		return 0;
	tok = bearer(auth_hdr);
	key = hash_bytes(tok, strlen(tok)) | 1;
	now = mono_us();
	pthread_mutex_lock(&a->rl_lock);
	b = &a->buckets[key % API_RL_SLOTS];
	if (b->key != key) {
		b->key = key;
		b->level = a->burst;
		b->t_us = now;
	}
	b->level += (double)(now - b->t_us) / 1e6 * a->rate;
	if (b->level > a->burst)
		b->level = a->burst;
	b->t_us = now;
	if (b->level >= 1.0)
		b->level -= 1.0;
	else
		wait = (unsigned)ceil((1.0 - b->level) / a->rate);
	pthread_mutex_unlock(&a->rl_lock);
	return wait;
}
