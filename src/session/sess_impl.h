/*
 * Internals of the session module, shared by its files only:
 *   sess_fsm.c   the state/event table and its actions
 *   sess_conn.c  one TCP connection: framing, reading, writing, lingering
 *   sess_open.c  our OPEN, checking the peer's, negotiation
 *   sess_sock.c  socket options (TCP-MD5, GTSM), listening, accepting
 *   sess_mgr.c   the manager, session life cycle, operator commands, views
 */
#ifndef XR_SESSION_SESS_IMPL_H
#define XR_SESSION_SESS_IMPL_H

#include "session/sess.h"

#define SESS_IN_SMALL		(4 * BGP_MAX_MSG)
#define SESS_IN_LARGE		(2 * BGP_MAX_EXT_MSG)
#define SESS_OUT_LOW		(32 * 1024)	/* pull more below this */
#define SESS_OUT_HIGH		(128 * 1024)	/* pull up to this */
#define SESS_OUT_MAX		(SESS_OUT_HIGH + 2 * BGP_MAX_EXT_MSG)
#define SESS_MSG_BUDGET		64	/* messages per peer per loop turn */
#define SESS_OPEN_HOLD_S	240	/* hold time in OpenSent (RFC 4271 8) */
#define SESS_IDLE_HOLD_MAX_S	120
#define SESS_LINGER_MS		2000	/* time to flush a last NOTIFICATION */

enum sess_restart {
	SRESTART_BACKOFF = 0,	/* after the (growing) idle hold time */
	SRESTART_NONE,		/* stay down until told */
	SRESTART_AFTER,		/* after restart_after_s */
};

struct sess_conn {
	struct sess		*s;		/* NULL once detached */
	struct sess_mgr		*mgr;
	int			 fd;
	struct ev_io		 io;
	bool			 outgoing;	/* we initiated it */
	bool			 connecting;	/* non-blocking connect */
	bool			 in_on;		/* reading enabled */
	bool			 backlog;	/* complete messages wait */
	bool			 eof;		/* read hit EOF or an error */
	int			 rerr;		/* errno of that error */
	uint8_t			*in;
	size_t			 inlen, incap;
	struct wbuf		 out;
	size_t			 out_off;	/* bytes of out written */
	size_t			 out_msg;	/* start of the message at out_off */
	struct ev_timer		 linger;
	bool			 lingering;
	struct sess_conn	*next_dead;
	struct sess_conn	*lnext, **lprev;	/* mgr->conns */
	struct addr		 local, remote;
	uint16_t		 lport, rport;
};

struct sess {
	struct sess_mgr		*mgr;
	struct sess		*next;
	struct sess_conf	 conf;
	struct rib_ctx		*ctx;
	struct rib_peer		*rp;
	enum sess_state		 state;
	struct sess_conn	*conn;		/* the FSM's connection */
	struct sess_conn	*alt;		/* collision candidate */

	struct ev_timer		 t_connretry, t_hold, t_keepalive, t_idle;
	struct ev_defer		 d_out, d_in;

	/* negotiated (valid from OpenConfirm) */
	struct bgp_open		 peer_open;
	bool			 open_rcvd;
	struct bgp_caps		 caps_sent;
	uint16_t		 hold, keepalive;
	uint8_t			 fams;
	bool			 as4, ext_msg, route_refresh;
	size_t			 max_msg_in;

	/* FSM plumbing: event payloads and queued follow-up events */
	bool			 in_fsm;
	enum sess_event		 pend[8];
	unsigned		 npend;
	struct sess_conn	*ev_conn;	/* TCP_ACCEPTED */
	struct bgp_open		 ev_open;	/* OPEN */
	const uint8_t		*ev_body;	/* UPDATE, ROUTE-REFRESH */
	size_t			 ev_len;
	struct bgp_err		 err_out;	/* *_ERR: what to send */
	bool			 swap_silent;	/* peer already closed it */
	uint8_t			 cease_subcode;	/* STOP / RESET */
	char			 cease_msg[SESS_SHUTDOWN_MAX + 1];
	enum bgp_fam		 maxpfx_fam;
	uint32_t		 maxpfx_limit;
	enum sess_restart	 restart;
	uint32_t		 restart_after_s;
	uint32_t		 idle_hold_s;	/* next backoff */
	char			 reason[96];	/* for the history entry */

	bool			 admin_down;
	bool			 bfd_block;	/* held down by BFD */
	struct bfd_session	*bfd;
	bool			 deleted;
	uint64_t		 est_at, change_at;	/* monotonic us */
	bool			 ever_up;
	uint32_t		 flaps;
	uint32_t		 established, maxpfx_events;
	uint64_t		 msg_in[6], msg_out[6];
	struct sess_err_rec	 last_sent, last_rcvd;
	uint32_t		 notif_out[SESS_NOTIF_CODES][SESS_NOTIF_SUBCODES];
	uint32_t		 notif_in[SESS_NOTIF_CODES][SESS_NOTIF_SUBCODES];
	/* the NOTIFICATION of the current FSM step, for its history entry */
	struct sess_err_rec	 step_notif;
	bool			 step_notif_sent;
	char			 last_reason[96];
	struct sess_hist	 hist[SESS_HISTORY];
	size_t			 hist_head, nhist;
	struct sess_hist	 hist_lin[SESS_HISTORY];
	struct sess		*next_dead;
	/* for monitors: last connection's endpoints, last OPENs (malloc) */
	struct sess_ep		 ep;
	uint8_t			*open_out, *open_in;
	size_t			 open_out_len, open_in_len;
};

struct sess_listener {
	struct sess_mgr		*mgr;
	struct sess_listener	*next;
	int			 fd;
	struct ev_io		 io;
	struct addr		 addr;
	uint16_t		 port;
};

struct sess_mgr {
	struct bfd		*bfd;		/* NULL: no BFD */
	struct ev_loop		*loop;
	struct rib		*rib;
	uint32_t		 router_id;
	struct sess		*sessions;
	struct sess_listener	*listeners;
	struct sess_conn	*conns;		/* open connections */
	struct sess_conn	*dead_conns;
	struct sess		*dead_sess;
	struct sess_listener	*dead_listeners;
	struct ev_defer		 reaper;
	unsigned		 nlinger;
	uint64_t		 nrefused;	/* accepts from no neighbour */
	struct sess_mon		 mon[SESS_MON_MAX];
	unsigned		 nmon;
};

/* Initial idle hold (backoff start): short, for fast recovery. */
static inline uint32_t
sess_idle_hold_initial(const struct sess_conf *c)
{
	return c->connect_retry < 5 ? c->connect_retry : 5;
}

/* Count a NOTIFICATION in a [code][subcode] table (out of range: not). */
static inline void
sess_notif_count(uint32_t t[SESS_NOTIF_CODES][SESS_NOTIF_SUBCODES],
    uint8_t code, uint8_t subcode)
{
	if (code < SESS_NOTIF_CODES && subcode < SESS_NOTIF_SUBCODES)
		t[code][subcode]++;
}

/* sess_fsm.c */
void	sess_fsm_enter_idle(struct sess *);
void	sess_set_reason(struct sess *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	sess_send_err(struct sess *, struct sess_conn *, const struct bgp_err *);
uint8_t	sess_fams_offer(const struct sess *);

/* sess_conn.c */
struct sess_conn *sess_conn_new(struct sess_mgr *, struct sess *, int fd,
	    bool outgoing, bool connecting);
/* Close now, without waiting for output. */
void	sess_conn_close(struct sess_conn *);
/* Detach from the session and close once output is written (or after
 * SESS_LINGER_MS). */
void	sess_conn_close_flush(struct sess_conn *);
/* Queue complete messages written by 'enc' and count them. */
int	sess_conn_send_open(struct sess_conn *, const struct bgp_open *);
int	sess_conn_send_keepalive(struct sess_conn *);
int	sess_conn_send_notification(struct sess_conn *, const struct bgp_err *);
int	sess_conn_send_shutdown(struct sess_conn *, uint8_t subcode, const char *);
int	sess_conn_send_rrefresh(struct sess_conn *, enum bgp_fam);
void	sess_conn_flush(struct sess_conn *);
/* Start reading (after the FSM adopted the connection). */
void	sess_conn_watch(struct sess_conn *);
void	sess_output(struct sess *);
void	sess_input_resume(struct sess *);
uint32_t sess_conn_count_msgs(const uint8_t *, size_t);
void	sess_reap(struct ev_loop *, struct ev_defer *, void *);

/* sess_open.c */
void	sess_open_build(struct sess *, struct bgp_open *);
int	sess_open_check(struct sess *, const struct bgp_open *,
	    struct bgp_err *);
void	sess_open_negotiate(struct sess *, const struct bgp_open *);

/* sess_sock.c */
int	sess_sock_connect(struct sess *);
void	sess_sock_setup(struct sess *, int fd);
void	sess_sock_md5_sync(struct sess_mgr *, const struct addr *, const char *pw);
void	sess_sock_local_v6(const struct addr *v4, struct addr *out);
int	sess_sock_listener_md5(struct sess_listener *, const struct addr *,
	    const char *pw);

/* sess_mgr.c: tell the monitors */
void	sess_mon_msg(struct sess_conn *, bool sent, const uint8_t *msg,
	    size_t len);
void	sess_mon_state(struct sess *, enum sess_state from, enum sess_state to,
	    enum sess_event why);

/* sess_bfd.c */
void	sess_bfd_sync(struct sess *);
void	sess_bfd_del(struct sess *);
void	sess_bfd_info(struct sess *, struct sess_info *);
#endif
