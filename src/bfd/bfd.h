/*
 * BFD sessions: RFC 5880 asynchronous mode over RFC 5881 single hop IPv4
 * and IPv6, on the xroute event loop. This is the whole interface BGP (or
 * any other client) uses: add a session for a peer, get told when its state
 * changes, read its state and counters for show output.
 *
 * Client rules (RFC 5882): a transition out of Up with diag 1 (detection
 * time expired) or 3 (neighbour signalled down) means the path is dead and
 * the client tears its session down at once. When the remote system went
 * AdminDown (info.remote_state == BFD_STATE_ADMIN_DOWN) the path is not
 * known to be dead and the client may keep its session.
 *
 * Not implemented: demand mode, the echo function, authentication (packets
 * with the A bit are counted and discarded, as RFC 5880 6.8.6 requires of
 * a session without authentication), multihop (RFC 5883).
 */
#ifndef XR_BFD_BFD_H
#define XR_BFD_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/evloop.h"
#include "wire/bfd.h"

#define BFD_DEF_INTERVAL_US	300000	/* ExpressRoute: 300 ms x 3 */
#define BFD_DEF_MULT		3
#define BFD_SLOW_TX_US		1000000	/* RFC 5880 6.8.3: not Up => >= 1 s */
#define BFD_MIN_INTERVAL_US	10000	/* we refuse to run faster */
#define BFD_MAX_INTERVAL_US	60000000
#define BFD_IFNAMSIZ		16

struct bfd;
struct bfd_session;

struct bfd_session_conf {
	struct addr	peer;
	struct addr	local;		/* required: the source we bind */
	char		ifname[BFD_IFNAMSIZ];	/* optional: "" = any */
	uint32_t	min_tx_us;	/* 0 = 300 ms */
	uint32_t	min_rx_us;	/* 0 = 300 ms */
	uint8_t		mult;		/* 0 = 3 */
	bool		passive;	/* wait for the peer to speak first */
};

/* Called from the loop after a state change; may delete the session. */
typedef void	bfd_state_cb(void *arg, enum bfd_state old_state,
		    enum bfd_state new_state, uint8_t diag);

struct bfd_session_info {
	struct addr	peer, local;
	char		ifname[BFD_IFNAMSIZ];
	bool		passive;
	uint16_t	src_port;
	uint8_t		state, remote_state;	/* enum bfd_state */
	uint8_t		local_diag, remote_diag;
	uint32_t	local_discr, remote_discr;
	uint8_t		mult, remote_mult;
	/* configured; as advertised now (1 s while not Up); the remote's */
	uint32_t	conf_min_tx_us, conf_min_rx_us;
	uint32_t	des_min_tx_us, req_min_rx_us;
	uint32_t	remote_des_min_tx_us, remote_min_rx_us;
	/* negotiated: max(our desired tx, their required rx) */
	uint64_t	tx_interval_us;
	/* the other way: max(our required rx, their desired tx) */
	uint64_t	rx_interval_us;
	/* their mult x rx_interval_us; 0 before the first packet */
	uint64_t	detect_time_us;
	bool		poll_active;
	uint64_t	rx_pkts, tx_pkts, rx_dropped, tx_errors;
	uint32_t	up_count, down_count;	/* transitions into/out of Up */
	uint64_t	uptime_us;		/* 0 unless Up */
	uint64_t	since_change_us;	/* time in the current state */
	uint64_t	last_rx_ago_us;		/* 0 = nothing received yet */
	uint8_t		last_down_diag;		/* why it last left Up */
	uint64_t	last_down_ago_us;	/* 0 = never went down */
};

/* Packets the loop refused before or at session lookup. */
struct bfd_stats {
	uint64_t	rx_pkts;
	uint64_t	rx_bad[BFD_PKT_RESULT_MAX];	/* by decode result */
	uint64_t	rx_no_session;
	uint64_t	rx_bad_ttl;
	uint64_t	rx_auth;		/* A bit: unsupported */
	uint64_t	tx_pkts, tx_errors;
};

struct bfd	*bfd_new(struct ev_loop *);
/* Deletes every session without calling back. */
void		 bfd_free(struct bfd *);

/*
 * Validate and fill in defaults; 0, or -1 with 'err' naming the value and
 * what is allowed.
 */
int	bfd_session_conf_check(struct bfd_session_conf *, char *err,
	    size_t errlen);
/* Start a session (Down, sending at 1 s); NULL with 'err' on failure. */
struct bfd_session *bfd_session_add(struct bfd *,
	    const struct bfd_session_conf *, bfd_state_cb *, void *arg,
	    char *err, size_t errlen);
/* Safe from inside the session's own callback. */
void	bfd_session_del(struct bfd_session *);
/* RFC 5880 6.8.16: AdminDown (diag 7) or back to Down. */
void	bfd_session_set_admin_down(struct bfd_session *, bool down);
/* Change intervals/multiplier (0 = keep); runs a Poll Sequence. */
int	bfd_session_set_timers(struct bfd_session *, uint32_t min_tx_us,
	    uint32_t min_rx_us, uint8_t mult, char *err, size_t errlen);
enum bfd_state bfd_session_state(const struct bfd_session *);
void	bfd_session_info(const struct bfd_session *, struct bfd_session_info *);
/* Sessions in insertion order; NULL at the end. */
struct bfd_session *bfd_session_next(struct bfd *, struct bfd_session *);
struct bfd_session *bfd_session_find(struct bfd *, const struct addr *peer,
	    const struct addr *local);
void	bfd_stats(const struct bfd *, struct bfd_stats *);

/*
 * I/O seam. Normally each session sends through its own UDP socket and the
 * loop reads one socket per local address. bfd_set_output(), called before
 * the first session is added, replaces the sockets: nothing is opened and
 * every packet is handed to 'fn' (tests; a BFD process behind a pipe).
 * bfd_input() is where received payloads enter, from either path.
 */
struct bfd_rx_meta {
	struct addr	src;		/* IP source */
	struct addr	dst;		/* IP destination (IP_PKTINFO) */
	uint16_t	sport;
	int		ifindex;	/* 0 = unknown */
	int		ttl;		/* TTL or hop limit; -1 = unknown */
};
typedef void	bfd_output_fn(void *arg, struct bfd_session *,
		    const uint8_t *pkt, size_t len);
void	bfd_set_output(struct bfd *, bfd_output_fn *, void *arg);
void	bfd_input(struct bfd *, const uint8_t *, size_t,
	    const struct bfd_rx_meta *);

#endif
