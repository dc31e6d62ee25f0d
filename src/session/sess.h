/*
 * BGP sessions: one object per configured neighbour, owning its TCP
 * connection(s), the RFC 4271 finite state machine (section 8), its timers
 * (section 10), connection collision detection (section 6.8) and the
 * framing of the byte stream into messages. Received UPDATEs go to the RIB
 * (rib_peer_update); outgoing UPDATEs are pulled from the RIB when the
 * socket can take more (rib_peer_pull).
 *
 * A session manager (struct sess_mgr) holds the listening sockets and every
 * session, so an accepted connection is matched to its neighbour before a
 * byte is read from it, and the control socket can list sessions.
 *
 * The session's types are its own: the configured neighbour (daemon/conf.h)
 * and the RIB's peer (rib/rib.h) are different structs.
 */
#ifndef XR_SESSION_SESS_H
#define XR_SESSION_SESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/evloop.h"
#include "policy/er_policy.h"
#include "rib/rib.h"
#include "wire/bgp.h"

#define SESS_PASSWORD_MAX	80	/* TCP_MD5SIG_MAXKEYLEN */
#define SESS_SHUTDOWN_MAX	255	/* RFC 8203 / RFC 9003 */
#define SESS_HISTORY		32
/* NOTIFICATIONs counted by code (0-7, RFC 4271 4.5 and RFC 7313) and
 * subcode (0-15); others count only in the message totals. */
#define SESS_NOTIF_CODES	8
#define SESS_NOTIF_SUBCODES	16

/* RFC 4271 section 8.2.2 states. */
enum sess_state {
	SESS_IDLE = 0,
	SESS_CONNECT,
	SESS_ACTIVE,
	SESS_OPENSENT,
	SESS_OPENCONFIRM,
	SESS_ESTABLISHED,
	SESS_STATE_MAX
};

/*
 * FSM events (RFC 4271 section 8.1, merged where the RFC splits them by
 * optional attributes we do not implement: DelayOpen, damping flags).
 */
enum sess_event {
	SEV_START = 0,		/* 1/3 ManualStart, AutomaticStart */
	SEV_START_PASSIVE,	/* 4/5 ... with PassiveTcpEstablishment */
	SEV_STOP,		/* 2/8 ManualStop (admin down), AutomaticStop */
	SEV_CONNRETRY_EXP,	/* 9 */
	SEV_HOLD_EXP,		/* 10 */
	SEV_KEEPALIVE_EXP,	/* 11 */
	SEV_TCP_CONNECTED,	/* 16/17 our connection is up */
	SEV_TCP_ACCEPTED,	/* 14 a valid incoming connection */
	SEV_TCP_FAIL,		/* 18 */
	SEV_OPEN,		/* 19 a valid OPEN */
	SEV_OPEN_ERR,		/* 22 */
	SEV_HDR_ERR,		/* 21 */
	SEV_NOTIF,		/* 24/25 */
	SEV_KEEPALIVE_MSG,	/* 26 */
	SEV_UPDATE_MSG,		/* 27 */
	SEV_UPDATE_ERR,		/* 28 */
	SEV_RREFRESH_MSG,	/* RFC 2918 */
	SEV_COLLISION_DUMP,	/* 23: this connection lost the collision */
	SEV_MAXPFX,		/* RFC 4486 Cease subcode 1 */
	SEV_RESET,		/* operator "clear": Cease/Administrative Reset */
	SEV_EVENT_MAX
};

/* FSM actions; the table maps (state, event) to one of these. */
enum sess_action {
	SACT_DEFAULT = 0,	/* not in the table: the state's default */
	SACT_NONE,		/* ignore the event */
	SACT_CONNECT,		/* start ConnectRetry, open a connection */
	SACT_LISTEN,		/* passive: wait for the peer */
	SACT_RECONNECT,		/* drop the attempt, connect again */
	SACT_CONN_FAILED,	/* drop the connection, wait for ConnectRetry */
	SACT_OPEN_SEND,		/* connected: send OPEN, hold 4 minutes */
	SACT_ADOPT_OPEN_SEND,	/* use the accepted connection, send OPEN */
	SACT_REJECT,		/* close a new incoming connection */
	SACT_COLLISION_HOLD,	/* keep a second connection until its OPEN */
	SACT_REJECT_COLLISION,	/* Cease/Connection Collision on the new one */
	SACT_COLLISION_SWAP,	/* Cease the current one, use the other */
	SACT_OPEN_ACCEPT,	/* negotiate, send KEEPALIVE */
	SACT_ESTABLISH,		/* announce the peer to the RIB */
	SACT_KEEPALIVE_SEND,
	SACT_UPDATE,		/* hand the UPDATE to the RIB */
	SACT_REFRESH,		/* re-advertise for ROUTE-REFRESH */
	SACT_CLOSE,		/* close without NOTIFICATION, stay down */
	SACT_CLOSE_RESTART,	/* close, restart after the idle hold time */
	SACT_DROP,		/* unexpected event before OpenSent */
	SACT_NOTIFY_ERR,	/* send the pending error NOTIFICATION */
	SACT_NOTIF_RCVD,	/* peer sent NOTIFICATION */
	SACT_HOLD_EXPIRED,	/* NOTIFICATION Hold Timer Expired */
	SACT_FSM_ERR,		/* NOTIFICATION FSM Error (RFC 6608) */
	SACT_CEASE_ADMIN,	/* Cease/Administrative Shutdown + text */
	SACT_CEASE_RESET,	/* Cease/Administrative Reset + text */
	SACT_CEASE_MAXPFX,	/* Cease/Maximum Number of Prefixes Reached */
	SACT_MAX
};

struct sess_fsm_entry {
	enum sess_action	action;
	enum sess_state		next;
};

/* What the table says for one pair (defaults resolved). */
struct sess_fsm_entry sess_fsm_lookup(enum sess_state, enum sess_event);
const char	*sess_state_name(enum sess_state);
const char	*sess_event_name(enum sess_event);
const char	*sess_action_name(enum sess_action);

/* --- configuration of one session ------------------------------------- */

struct sess_conf {
	char		 ctx[64];		/* routing context name */
	char		 descr[64];
	struct addr	 remote;
	uint16_t	 remote_port;		/* default 179 */
	struct addr	 local;			/* af 0: any */
	uint32_t	 local_as;
	uint32_t	 remote_as;
	char		 password[SESS_PASSWORD_MAX + 1];	/* "" none */
	uint16_t	 hold;			/* proposed hold time */
	uint16_t	 keepalive;		/* 0: hold / 3 */
	uint16_t	 connect_retry;		/* seconds */
	bool		 passive;
	bool		 gtsm;			/* TTL 255 out, >= 254 in */
	uint8_t		 fams;			/* families to offer */
	uint32_t	 max_prefix[BGP_FAM_MAX];
	uint32_t	 max_prefix_restart;	/* seconds */
	bool		 shutdown;		/* administratively down */
	char		 shutdown_msg[SESS_SHUTDOWN_MAX + 1];
	/* ExpressRoute import/export rules; bound to the RIB peer */
	bool		 has_policy;
	struct er_policy policy;
	/* BFD: 0 = off. After BFD leaves Up the session is closed and held
	 * down until BFD is Up again; 'bfd_strict' also holds the first
	 * start until BFD is Up. */
	uint32_t	 bfd_interval_ms;
	uint8_t		 bfd_mult;
	bool		 bfd_strict;
};

struct sess;
struct sess_mgr;

struct bfd;
struct sess_mgr	*sess_mgr_new(struct ev_loop *, struct rib *);
/* BFD engine for neighbours configured with bfd (before sess_new). */
void		 sess_mgr_set_bfd(struct sess_mgr *, struct bfd *);
/* Closes every session (Cease/Administrative Shutdown) and listener. */
void		 sess_mgr_free(struct sess_mgr *);
void		 sess_mgr_set_router_id(struct sess_mgr *, uint32_t);
uint32_t	 sess_mgr_router_id(const struct sess_mgr *);
/* Connections closed at accept: the source is no configured neighbour. */
uint64_t	 sess_mgr_refused(const struct sess_mgr *);
/* Open a listening socket; -1 with a message in err. */
int		 sess_mgr_listen(struct sess_mgr *, const struct addr *,
		    uint16_t port, char *err, size_t errlen);
void		 sess_mgr_listen_close(struct sess_mgr *);
/* Port of the listener opened last (the kernel's choice for port 0). */
uint16_t	 sess_mgr_listen_port(const struct sess_mgr *);
/*
 * Send Cease/Administrative Shutdown (with 'msg') to every peer and run
 * the loop until the NOTIFICATIONs are written or 'timeout_ms' passes.
 */
void		 sess_mgr_shutdown(struct sess_mgr *, const char *msg,
		    unsigned timeout_ms);
/* Iterate sessions: pass NULL for the first. */
struct sess	*sess_next(struct sess_mgr *, struct sess *);
struct sess	*sess_find(struct sess_mgr *, const char *ctx,
		    const struct addr *);

/*
 * Create a session for a neighbour in 'ctx' (its RIB peer is created
 * too) and start it unless the configuration says shutdown.
 */
struct sess	*sess_new(struct sess_mgr *, struct rib_ctx *,
		    const struct sess_conf *);
/* Deconfigure: Cease with 'subcode' (Peer De-configured, usually),
 * remove the RIB peer, free. */
void		 sess_delete(struct sess *, uint8_t subcode);
/*
 * Apply a new configuration. 'reset' says whether the session must be
 * re-established (Cease/Other Configuration Change); otherwise the change
 * is applied in place (description, limits, admin state).
 */
void		 sess_set_conf(struct sess *, const struct sess_conf *,
		    bool reset);
const struct sess_conf *sess_conf(const struct sess *);
struct rib_peer	*sess_rib_peer(const struct sess *);
enum sess_state	 sess_state(const struct sess *);

/* Operator commands. */
void	sess_admin_down(struct sess *, const char *msg);
void	sess_admin_up(struct sess *);
void	sess_clear(struct sess *, const char *msg);
/* Soft clear: ask for ROUTE-REFRESH (in) and re-advertise (out). */
int	sess_clear_soft(struct sess *);

/* Feed an FSM event by hand (tests, and the modules above). */
void	sess_event(struct sess *, enum sess_event);

/* --- monitoring (MRT message dumps, BMP) -------------------------------- */

/*
 * Observers of every session: each complete BGP message received or sent
 * (header included; sent UPDATEs as the RIB packed them), and every FSM
 * state change. Called synchronously from the session code, so a monitor
 * must only copy what it needs and never call back into the session.
 */
struct sess_mon {
	void	(*msg)(void *arg, struct sess *, bool sent,
		    const uint8_t *msg, size_t len);
	void	(*state)(void *arg, struct sess *, enum sess_state from,
		    enum sess_state to, enum sess_event why);
	void	*arg;
};
#define SESS_MON_MAX	4
/* 0, or -1 when SESS_MON_MAX monitors are already registered. */
int	sess_mgr_mon_add(struct sess_mgr *, const struct sess_mon *);
void	sess_mgr_mon_del(struct sess_mgr *, const struct sess_mon *);

/* The TCP endpoints of the session's connection (or the last one). */
struct sess_ep {
	struct addr	 local, remote;
	uint16_t	 lport, rport;
	bool		 as4;		/* negotiated 4-octet AS */
	uint32_t	 remote_id;	/* from the peer's OPEN, host order */
};
void	sess_endpoints(const struct sess *, struct sess_ep *);
/*
 * The OPEN messages (header included) last sent to and received from the
 * peer, for BMP Peer Up; *len 0 when none yet.
 */
void	sess_opens(const struct sess *, const uint8_t **sent, size_t *slen,
	    const uint8_t **rcvd, size_t *rlen);

/* --- read-only view for output ------------------------------------------ */

struct sess_hist {
	int64_t			 wall_ms;	/* epoch milliseconds */
	enum sess_state		 from, to;
	enum sess_event		 event;
	char			 reason[96];
	/* The NOTIFICATION sent or received in this step, if any. */
	bool			 notif;
	bool			 notif_sent;	/* false: received */
	uint8_t			 code, subcode;
	char			 text[96];	/* RFC 8203 text, cut */
	/* A retry loop repeats the same few changes: they are counted on
	 * the entry instead of pushing older ones out of the ring. */
	uint32_t		 count;		/* times seen, >= 1 */
	int64_t			 last_ms;	/* the last of them */
};

struct sess_err_rec {
	bool		 set;
	uint8_t		 code, subcode;
	char		 text[SESS_SHUTDOWN_MAX + 1];	/* RFC 8203 message */
	int64_t		 wall_ms;
};

struct sess_info {
	enum sess_state	 state;
	bool		 admin_down;
	char		 admin_msg[SESS_SHUTDOWN_MAX + 1];	/* why down */
	bool		 idle_restart;		/* restart timer running */
	uint64_t	 idle_restart_ms;	/* time left */
	uint64_t	 last_change_ms;	/* ms since last up/down */
	bool		 ever_up;
	uint64_t	 uptime_ms;		/* 0 unless Established */
	uint32_t	 flaps;
	uint32_t	 established;		/* times Established */
	uint32_t	 maxpfx_events;		/* prefix-limit tear-downs */
	uint32_t	 remote_id;
	struct addr	 local_addr;
	uint16_t	 local_port, remote_port;
	uint16_t	 hold, keepalive;	/* negotiated */
	uint16_t	 peer_hold;		/* what the peer proposed */
	bool		 collision_pending;
	struct bgp_caps	 caps_sent, caps_rcvd;
	bool		 open_rcvd;
	uint8_t		 fams;			/* negotiated */
	bool		 as4, ext_msg, route_refresh;
	uint64_t	 msg_in[6], msg_out[6];	/* by type, [0] = total */
	uint32_t	 inq, outq;		/* messages buffered */
	struct sess_err_rec last_sent, last_rcvd;
	/* NOTIFICATIONs by [code][subcode] */
	uint32_t	 notif_out[SESS_NOTIF_CODES][SESS_NOTIF_SUBCODES];
	uint32_t	 notif_in[SESS_NOTIF_CODES][SESS_NOTIF_SUBCODES];
	char		 last_reason[96];	/* why the session last went down */
	const struct sess_hist *hist;		/* oldest first */
	size_t		 nhist;
	struct rib_peer	*rib_peer;
	/* BFD: configured, its state (enum bfd_state), held down by it */
	bool		 bfd;
	uint8_t		 bfd_state, bfd_remote_state, bfd_diag;
	uint32_t	 bfd_tx_ms, bfd_rx_ms;	/* negotiated */
	uint64_t	 bfd_detect_ms;
	bool		 bfd_block;
};
/* Fills 'i'; i->hist points into a buffer in the session, valid until the
 * next loop turn. */
void	sess_info(struct sess *, struct sess_info *);

#endif
