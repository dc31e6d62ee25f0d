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
#define BMP_SYNC_LOW		(1u << 20)	/* dump more below this */
#define BMP_SYNC_PAGE		1000		/* prefixes per loop turn */

/* A session as the initial dump knows it (pointers may not survive). */
struct bmp_sref {
	char		 ctx[64];
	struct addr	 remote;
};

struct bmp_coll {
	struct bmp		*b;
	struct bmp_coll		*next;
	struct bmp_conf		 conf;
	int			 fd;
	struct ev_io		 io;
	bool			 connecting;
	bool			 up;		/* Initiation sent */
	/*
	 * The initial dump (after Initiation): the sessions Established
	 * at its start, dumped in turn, a page per loop turn while less
	 * than BMP_SYNC_LOW bytes wait. Live messages go only for the
	 * sessions already reached, so the collector never sees a peer
	 * before its Peer Up.
	 */
	bool			 syncing;
	struct bmp_sref		*sync;
	size_t			 nsync, sync_pos;
	bool			 sync_up_sent;	/* Peer Up of sync[sync_pos] */
	bool			 sync_has_after;
	struct prefix		 sync_after;
	struct ev_defer		 d_sync;
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
/* Write what is queued (messages committed with live = false wait). */
void	bmp_coll_kick(struct bmp_coll *);

/* bmp_feed.c */
void	bmp_peer_of(struct bmp *, struct sess *, struct bmp_peer *);
/* Initiation, then start the dump of every Established peer. */
void	bmp_sync_start(struct bmp_coll *);
void	bmp_sync_stop(struct bmp_coll *);
void	bmp_sync_job(struct ev_loop *, struct ev_defer *, void *);
void	bmp_stats(struct bmp_coll *);
void	bmp_mon_msg(void *, struct sess *, bool, const uint8_t *, size_t);
void	bmp_mon_state(void *, struct sess *, enum sess_state, enum sess_state,
	    enum sess_event);

#endif
