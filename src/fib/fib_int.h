/*
 * Internals shared by the files of src/fib: the desired-state tables
 * (fib.c), the batching and ACK machinery (fib_io.c), the resync and the
 * exit flush (fib_sync.c) and the synchronous netlink helpers
 * (fib_query.c). Not for other modules: they use fib.h.
 */
#ifndef XR_FIB_FIB_INT_H
#define XR_FIB_FIB_INT_H

#include <sys/queue.h>

#include "fib/fib.h"
#include "fib/nl.h"
#include "lib/evloop.h"

struct mnl_socket;

/* What we believe the kernel holds for an entry. */
enum fib_kstate {
	FIB_K_ABSENT = 0,
	FIB_K_PRESENT,
	FIB_K_UNKNOWN,		/* ACKs were lost: the next resync tells */
};

/* An interned, canonically sorted next-hop set, shared by every route
 * that uses it (100k routes over the same two links share one). */
struct fib_nhset {
	struct fib_nhset	*hnext;
	uint64_t		 hash;
	uint32_t		 refcnt;
	uint8_t			 n;
	struct fib_nexthop	 nh[];
};

/*
 * One (table, prefix, metric, tos): either desired by the caller, or a
 * route of ours the kernel has that must go (desired == false). Kept
 * until the kernel confirmed the last change.
 */
struct fib_route {
	struct fib_route	*hnext;
	TAILQ_ENTRY(fib_route)	 qlink;
	struct fib_nhset	*nh;	/* desired; the kernel's when stale */
	uint32_t		 table;
	uint32_t		 metric;
	uint32_t		 seen_gen;
	int			 err;	/* last refusal, positive errno */
	uint16_t		 inflight;
	struct prefix		 pfx;
	uint8_t			 tos;
	uint8_t			 kstate;
	bool			 desired;
	bool			 queued;
	bool			 stale_hold;
};

struct fib_rule {
	TAILQ_ENTRY(fib_rule)	 link;
	struct nl_rule		 r;
	uint32_t		 seen_gen;
	int			 err;
	uint16_t		 inflight;
	uint8_t			 kstate;
	bool			 desired;
	bool			 queued;
};

enum fib_pkind { FIB_P_NONE = 0, FIB_P_ROUTE, FIB_P_RULE };
enum fib_op { FIB_OP_ADD = 1, FIB_OP_DEL };

/* One message waiting for its ACK, found by seq in a ring. */
struct fib_pending {
	uint32_t	 seq;
	uint8_t		 kind;		/* enum fib_pkind */
	uint8_t		 op;		/* enum fib_op */
	void		*obj;
};

#define FIB_RING	4096		/* power of two; max window */
#define FIB_RBUF	65536		/* receive buffer */

enum fib_rs_state { FIB_RS_IDLE = 0, FIB_RS_DRAIN, FIB_RS_DUMP };

struct fib_linkstate {
	uint32_t	 ifindex;
	bool		 admin_up, oper_up;
};

struct fib {
	struct ev_loop		*loop;
	struct fib_conf		 conf;

	/* desired state */
	struct fib_route	**rt_tab;
	size_t			 rt_nbuckets, rt_count, rt_desired;
	struct fib_nhset	**nh_tab;
	size_t			 nh_nbuckets, nh_count;
	TAILQ_HEAD(, fib_route)	 queue;
	size_t			 nqueued;
	TAILQ_HEAD(, fib_rule)	 rules;
	size_t			 rules_queued;

	/* requests and ACKs */
	struct mnl_socket	*req;
	struct ev_io		 req_io;
	uint32_t		 seq;		/* last sent */
	uint32_t		 ack_seq;	/* oldest unanswered */
	struct fib_pending	*ring;
	size_t			 inflight;
	size_t			 window;
	uint8_t			*sbuf;
	size_t			 sbuf_len;
	uint8_t			*rbuf;
	struct ev_defer		 flush_job;

	/* notifications */
	struct mnl_socket	*evt;
	struct ev_io		 evt_io;
	struct fib_linkstate	*links;
	size_t			 nlinks, links_cap;

	/* resync */
	struct mnl_socket	*dump;
	struct ev_io		 dump_io;
	bool			 strict;	/* NETLINK_GET_STRICT_CHK */
	uint8_t			 rs_state;
	uint8_t			 rs_step;
	bool			 rs_wanted;
	bool			 rs_intr;
	bool			 rs_failed;
	uint32_t		 rs_seq;
	uint32_t		 gen;
	struct ev_timer		 rs_timer;
	bool			 hold;		/* restart hold active */
	struct ev_timer		 hold_timer;

	void			(*idle_cb)(void *);
	void			*idle_arg;
	uint64_t		 errlog_sec;
	unsigned		 errlog_n;
	struct fib_stats	 st;
};

/* fib.c */
struct fib_route *fib_rt_find(const struct fib *, uint32_t table,
	    const struct prefix *, uint32_t metric, uint8_t tos);
struct fib_route *fib_rt_get(struct fib *, uint32_t table,
	    const struct prefix *, uint32_t metric, uint8_t tos);
void	fib_rt_queue(struct fib *, struct fib_route *);
void	fib_rt_dequeue(struct fib *, struct fib_route *);
/* Free the entry if nothing needs it any more; true if freed. */
bool	fib_rt_release(struct fib *, struct fib_route *);
void	fib_rt_walk(struct fib *, void (*)(struct fib *, struct fib_route *,
	    void *), void *);
struct fib_nhset *fib_nhset_get(struct fib *, const struct fib_nexthop *,
	    size_t n);
void	fib_nhset_unref(struct fib *, struct fib_nhset *);
/* Same next hops; a desired next hop without ifindex matches any. */
bool	fib_nhset_match(const struct fib_nhset *want,
	    const struct fib_nhset *have);
void	fib_rule_queue(struct fib *, struct fib_rule *);
void	fib_rule_release(struct fib *, struct fib_rule *);
bool	fib_table_ours(const struct fib *, uint32_t table);
void	fib_check_idle(struct fib *);
void	fib_kick(struct fib *);
void	fib_report_err(struct fib *, const char *what, uint32_t table,
	    const struct prefix *, int err, const char *msg);

/* fib_io.c */
int	fib_io_open(struct fib *);
void	fib_io_close(struct fib *);
void	fib_flush_job(struct ev_loop *, struct ev_defer *, void *);
void	fib_rt_to_nl(const struct fib *, const struct fib_route *,
	    bool del, struct nl_route *);
/* Lost ACKs: forget what is in flight, the resync will tell. */
void	fib_pending_lost(struct fib *);
void	fib_link_event(struct fib *, const struct fib_link *);

/* fib_sync.c */
void	fib_resync_begin(struct fib *);
void	fib_dump_read(struct ev_loop *, int, uint32_t, void *);
int	fib_flush_kernel(struct fib *);

/* fib_query.c: blocking request/response on a private socket. */
struct mnl_socket *fib_nl_open(bool nonblock, bool strict, bool *strict_ok);
/* Send one dump request and call cb for every reply until NLMSG_DONE.
 * cb returns nonzero to stop early. 0 ok, -1 errno set. */
int	fib_nl_dump(const void *req, size_t len,
	    int (*cb)(const struct nl_msg *, void *), void *arg);
/* Send a batch of nmsgs requests (seq first_seq..) and wait for every
 * ACK; cb gets (arg, seq, err, msg) per ACK. 0 ok, -1 errno set. */
int	fib_nl_batch(struct mnl_socket *, const void *buf, size_t len,
	    uint32_t first_seq, size_t nmsgs,
	    void (*cb)(void *, uint32_t, int, const char *), void *arg);

#endif
