/*
 * Internals of the BMP client (bmp_client.c: connections and queues;
 * bmp_feed.c: what is sent, from session events and RIB walks).
 */
#ifndef XR_BMP_BMP_INT_H
#define XR_BMP_BMP_INT_H

#include "bmp/bmp.h"
#include "session/sess.h"

#define BMP_QUEUE_MAX		(32u << 20)	/* live backlog: drop above */
#define BMP_BUF_MAX		(512u << 20)	/* hard cap (initial dump) */
#define BMP_BACKOFF_MAX_S	60

struct bmp_coll {
	struct bmp		*b;
	struct bmp_coll		*next;
	struct bmp_conf		 conf;
	int			 fd;
	struct ev_io		 io;
	bool			 connecting;
	bool			 up;		/* Initiation and dump queued */
	struct wbuf		 out;
	size_t			 out_off;
	struct ev_timer		 t_retry, t_stats;
	uint32_t		 backoff_s;
	uint64_t		 drops;		/* connections dropped (slow) */
};

struct bmp {
	struct ev_loop		*loop;
	struct rib		*rib;
	struct sess_mgr		*sm;
	uint32_t		 router_id;
	char			 name[256];
	struct bmp_coll		*colls;
	struct bmp_coll		*dead;		/* freed next turn */
	struct ev_defer		 reaper;
	bool			 mon_on;
	/* The NOTIFICATION of the FSM step in progress (Peer Down reason). */
	struct sess		*notif_sess;
	bool			 notif_sent;
	uint8_t			 notif[BGP_MAX_MSG];
	size_t			 notif_len;
};

/* bmp_client.c */
/* An encoder appended a message to c->out from 'before' (rc its result):
 * keep and send it, or drop the collector if it cannot keep up. */
void	bmp_coll_commit(struct bmp_coll *, size_t before, int rc, bool live);

/* bmp_feed.c */
void	bmp_peer_of(struct bmp *, struct sess *, struct bmp_peer *);
/* Initiation, then Peer Up and the Adj-RIB-In of every Established peer. */
void	bmp_sync(struct bmp_coll *);
void	bmp_stats(struct bmp_coll *);
void	bmp_mon_msg(void *, struct sess *, bool, const uint8_t *, size_t);
void	bmp_mon_state(void *, struct sess *, enum sess_state, enum sess_state);

#endif
