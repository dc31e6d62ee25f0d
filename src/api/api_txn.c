/*
 * Group commit. Every request (and the operation worker) runs inside a
 * savepoint of a shared store transaction; the last of the concurrent
 * requests commits for all of them, so one fsync makes a whole batch
 * durable. A request answers only after its batch is committed, so a 2xx
 * still means "on disk". With one client nothing changes: each request is
 * its own batch. A batch is closed after API_BATCH_MAX members so a steady
 * stream of requests cannot postpone the commit forever.
 */
#include <stdio.h>

#include "api/api.h"
#include "lib/log.h"

#define API_BATCH_MAX	32

int
api_txn_enter(struct api *a, uint64_t *my)
{
	__atomic_add_fetch(&a->waiting, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&a->lock);
	__atomic_sub_fetch(&a->waiting, 1, __ATOMIC_SEQ_CST);
	if (!a->txn_open) {
		if (store_begin(a->st) != STORE_OK) {
			*my = 0;
			return -1;
		}
		a->txn_open = true;
		a->members = 0;
		a->batch++;
	}
	a->members++;
	*my = a->batch;
	return 0;
}

static void
commit_batch(struct api *a)
{
	bool ok = store_commit(a->st) == STORE_OK;

	if (!ok)
		log_err("api: commit of batch %llu failed: %s",
		    (unsigned long long)a->batch, a->st->errmsg);
	a->batch_ok[a->batch % API_BATCH_RING] = ok;
	a->txn_open = false;
	a->committed = a->batch;
	pthread_cond_broadcast(&a->done);
}

int
api_txn_leave(struct api *a, uint64_t my)
{
	bool ok;

	if (my == 0) {		/* begin failed */
		pthread_mutex_unlock(&a->lock);
		return -1;
	}
	if (__atomic_load_n(&a->waiting, __ATOMIC_SEQ_CST) > 0 &&
	    a->members < API_BATCH_MAX) {
		/* someone queued behind us will commit our batch */
		while (a->committed < my)
			pthread_cond_wait(&a->done, &a->lock);
	} else if (a->txn_open && a->batch == my)
		commit_batch(a);
	ok = a->batch_ok[my % API_BATCH_RING];
	pthread_mutex_unlock(&a->lock);
	return ok ? 0 : -1;
}
