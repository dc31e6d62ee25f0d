/*
 * Inside the BFD module: the session and instance structs, shared by the
 * state machine (bfd_fsm.c), the session life cycle and timers (bfd.c) and
 * the sockets (bfd_sock.c). Nothing outside src/bfd/ includes this, except
 * the unit tests that check the tables and the jitter directly.
 */
#ifndef XR_BFD_BFD_INT_H
#define XR_BFD_BFD_INT_H

#include "bfd/bfd.h"

#define BFD_DISCR_BUCKETS	256

/* Events of the session state machine (RFC 5880 6.2, 6.8.6, 6.8.16). */
enum bfd_ev {
	BFD_EV_RX_ADMIN_DOWN = BFD_STATE_ADMIN_DOWN,	/* received state */
	BFD_EV_RX_DOWN = BFD_STATE_DOWN,
	BFD_EV_RX_INIT = BFD_STATE_INIT,
	BFD_EV_RX_UP = BFD_STATE_UP,
	BFD_EV_DETECT_EXPIRED,
	BFD_EV_ADMIN_DOWN,
	BFD_EV_ADMIN_UP,
	BFD_EV_MAX
};

/* One cell of the table: the next state and the diag to set with it. */
struct bfd_fsm_step {
	uint8_t		next;		/* enum bfd_state */
	int8_t		diag;		/* -1 = leave bfd.LocalDiag alone */
};

/* A receive socket: one per local address, bound to port 3784. */
struct bfd_rxsock {
	struct bfd_rxsock *next;
	struct bfd	*bfd;
	struct addr	 local;
	int		 fd;
	int		 refs;
	struct ev_io	 io;
};

struct bfd_session {
	struct bfd		*bfd;
	struct bfd_session	*next;		/* bfd->sessions */
	struct bfd_session	*dnext;		/* discriminator bucket */
	struct bfd_session_conf	 conf;
	int			 ifindex;	/* from conf.ifname; 0 = any */
	bfd_state_cb		*cb;
	void			*cb_arg;

	/* RFC 5880 6.8.1 state variables. */
	uint8_t		state, rstate;
	uint8_t		ldiag, rdiag;
	uint8_t		rmult;
	bool		rdemand;
	uint32_t	ldiscr, rdiscr;
	uint32_t	des_min_tx, req_min_rx;		/* advertised */
	uint32_t	rdes_min_tx, rmin_rx;		/* received */

	/*
	 * RFC 5880 6.8.3: while a Poll Sequence is outstanding, an increased
	 * DesiredMinTx and a reduced RequiredMinRx do not take effect yet;
	 * these hold the values in force.
	 */
	uint32_t	tx_des_used, rx_req_used;
	bool		poll;		/* sending P on periodic packets */
	bool		poll_pending;	/* more changes wait for this one */

	uint64_t	tx_intv;	/* negotiated transmit interval */
	uint64_t	detect_time;	/* 0 until the first packet */
	uint64_t	last_rx, last_tx;
	struct ev_timer	 tx_timer, detect_timer;

	/* I/O */
	int			 txfd;
	int			 tx_errno;	/* last send failure, 0 = ok */
	uint16_t		 sport;
	struct bfd_rxsock	*rxs;

	/* show output */
	uint64_t	rx_pkts, tx_pkts, rx_dropped, tx_errors;
	uint32_t	up_count, down_count;
	uint64_t	changed_at, up_at, down_at;
	uint8_t		last_down_diag;

	bool		dead;		/* deleted; freed by 'reap' */
	struct ev_defer	reap;
};

struct bfd {
	struct ev_loop		*loop;
	struct bfd_session	*sessions;
	struct bfd_session	*dead;		/* deleted, awaiting reap */
	struct bfd_session	*by_discr[BFD_DISCR_BUCKETS];
	struct bfd_rxsock	*rxsocks;
	bfd_output_fn		*out;
	void			*out_arg;
	uint64_t		 rng;
	struct bfd_stats	 stats;
};

/* bfd_fsm.c: the protocol, no I/O. */
struct bfd_fsm_step bfd_fsm_next(unsigned int state, enum bfd_ev);
/* Jittered interval (RFC 5880 6.8.7) from 'rnd', a uniform 32-bit draw. */
uint64_t bfd_jitter(uint64_t intv, uint8_t mult, uint32_t rnd);
bool	bfd_tx_allowed(const struct bfd_session *);
void	bfd_session_rx(struct bfd_session *, const struct bfd_pkt *);
void	bfd_session_event(struct bfd_session *, enum bfd_ev);
void	bfd_params_update(struct bfd_session *);
void	bfd_timers_update(struct bfd_session *);

/* bfd.c */
uint32_t bfd_random(struct bfd *);
void	bfd_xmit(struct bfd_session *, bool final);
void	bfd_tx_schedule(struct bfd_session *, bool soon);
void	bfd_detect_arm(struct bfd_session *);

/* bfd_sock.c */
int	bfd_sock_open(struct bfd_session *, char *err, size_t errlen);
void	bfd_sock_close(struct bfd_session *);
int	bfd_sock_send(struct bfd_session *, const uint8_t *, size_t);
int	bfd_ifindex(const char *ifname);

#endif
