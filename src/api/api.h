/*
 * The API role: ARM-shaped HTTP/JSON over libmicrohttpd, bearer tokens,
 * one store transaction per write, and the worker that completes
 * long-running operations. xrouted --role api calls api_role_main().
 */
#ifndef XR_API_API_H
#define XR_API_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "er/er.h"
#include "store/store.h"

#define API_RATE_DEFAULT	100	/* requests per second per token */
#define API_BURST_DEFAULT	1000

struct api_token {
	char			*token;
	struct er_principal	 who;
};

struct api {
	struct store		*st;
	struct er_cat		 cat;
	struct er_config	 cfg;
	pthread_mutex_t		 lock;		/* serialises the store */
	pthread_cond_t		 wake;		/* LRO worker */
	/* group commit (api_txn.c) */
	pthread_cond_t		 done;		/* a batch committed */
	int			 waiting;	/* threads queued on lock */
	int			 members;	/* requests in open batch */
	bool			 txn_open;
	uint64_t		 batch;		/* current batch number */
	uint64_t		 committed;	/* last committed batch */
#define API_BATCH_RING	64
	bool			 batch_ok[API_BATCH_RING];
	pthread_t		 worker;
	bool			 stop;
	struct api_token	*tokens;	/* file and environment */
	size_t			 ntokens;
	size_t			 max_body;
	/* per-token rate limit (api_limit.c); rate 0: off */
	double			 rate;		/* requests per second */
	unsigned		 burst;
	pthread_mutex_t		 rl_lock;
	struct api_bucket	*buckets;
	char			*openapi;	/* serialised document */
	void			*mhd;
};

int	api_role_main(int argc, char **argv);

/* api_auth.c */
int	api_tokens_load(struct api *, const char *file, char *err, size_t);
int	api_tokens_add(struct api *, const char *token, enum er_role,
	    const char *sub, const char *provider);
void	api_tokens_free(struct api *);
/* Principal for an Authorization header value; -1 missing/malformed,
 * -2 unknown token. Call with the lock held. */
int	api_authenticate(struct api *, const char *header,
	    struct er_principal *);

/* api_txn.c: join the open batch (lock held after), leave it (unlocks);
 * leave returns -1 when the batch failed to commit. */
int	api_txn_enter(struct api *, uint64_t *batch);
int	api_txn_leave(struct api *, uint64_t batch);

/* api_limit.c: take one request from the bucket of the token in an
 * Authorization header; 0 when it may go on, else the seconds to wait. */
int	api_limit_init(struct api *);
void	api_limit_free(struct api *);
unsigned api_limit_take(struct api *, const char *auth_hdr);

/* api_metrics.c: GET /metrics (unauthenticated: no tenant data) */
struct mx;
struct MHD_Connection;
void	api_metrics_count(const char *method, int status);
int	api_metrics_text(struct mx *);
int	api_metrics_serve(struct MHD_Connection *);

/* api_http.c */
int	api_http_start(struct api *, const char *listen, unsigned *port);
void	api_http_stop(struct api *);

#endif
