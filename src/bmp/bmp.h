/*
 * BGP Monitoring Protocol (RFC 7854): pure encoders of the messages a
 * monitored router sends (common header 4.1, per-peer header 4.2,
 * Initiation 4.3, Termination 4.5, Route Monitoring 4.6, Stats Report 4.8,
 * Peer Down 4.9, Peer Up 4.10), a small decoder for tests and fuzzing, and
 * the client that streams them to a collector over TCP.
 */
#ifndef XR_BMP_BMP_H
#define XR_BMP_BMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/evloop.h"
#include "wire/bgp.h"

#define BMP_VERSION		3
#define BMP_HDR_LEN		6
#define BMP_PEER_HDR_LEN	42
#define BMP_PORT_DEFAULT	11019	/* no IANA port; pmacct's default */

enum bmp_type {
	BMP_ROUTE_MONITORING = 0,
	BMP_STATS_REPORT = 1,
	BMP_PEER_DOWN = 2,
	BMP_PEER_UP = 3,
	BMP_INITIATION = 4,
	BMP_TERMINATION = 5,
};
/* Information TLVs of Initiation (4.4) and Termination (4.5). */
enum { BMP_INFO_STRING = 0, BMP_INFO_SYSDESCR = 1, BMP_INFO_SYSNAME = 2 };
enum { BMP_TERM_STRING = 0, BMP_TERM_REASON = 1 };
enum { BMP_TERM_ADMIN_CLOSE = 0, BMP_TERM_UNSPEC = 1,
	BMP_TERM_RESOURCES = 2 };
/* Peer types (4.2) and flags. */
enum { BMP_PEER_GLOBAL = 0, BMP_PEER_RD = 1 };
#define BMP_PF_V		0x80	/* IPv6 peer address */
#define BMP_PF_L		0x40	/* post-policy Adj-RIB-In */
#define BMP_PF_A		0x20	/* legacy 2-octet AS_PATH */
/* Peer Down reasons (4.9). */
enum {
	BMP_DOWN_LOCAL_NOTIF = 1,	/* + the NOTIFICATION we sent */
	BMP_DOWN_LOCAL_NONOTIF = 2,	/* + 2-byte FSM event code */
	BMP_DOWN_REMOTE_NOTIF = 3,	/* + the NOTIFICATION received */
	BMP_DOWN_REMOTE_NONOTIF = 4,	/* closed without one */
	BMP_DOWN_DECONFIGURED = 5,
};
/* Stats Report counters (4.8). */
enum { BMP_STAT_ADJ_RIB_IN = 7, BMP_STAT_ADJ_RIB_IN_AF = 9,
	BMP_STAT_LOC_RIB = 8 };

/* The per-peer header's variable parts. */
struct bmp_peer {
	uint8_t		 type;		/* BMP_PEER_* */
	uint8_t		 flags;		/* BMP_PF_*; V is set from addr */
	uint64_t	 distinguisher;
	struct addr	 addr;
	uint32_t	 as;
	uint32_t	 bgp_id;	/* host order */
	uint32_t	 ts_sec, ts_usec;
};

/* --- bmp_enc.c ---------------------------------------------------------- */

/* Common header; returns its offset for bmp_finish(), or -1. */
long	bmp_begin(struct wbuf *, enum bmp_type);
int	bmp_finish(struct wbuf *, long off);
int	bmp_peer_hdr(struct wbuf *, const struct bmp_peer *);
/* Initiation with sysDescr and sysName (both mandatory, 4.3). */
int	bmp_initiation_encode(struct wbuf *, const char *sys_descr,
	    const char *sys_name);
int	bmp_termination_encode(struct wbuf *, uint16_t reason);
/* Route Monitoring around one complete BGP UPDATE (header included). */
int	bmp_route_mon_encode(struct wbuf *, const struct bmp_peer *,
	    const uint8_t *update, size_t len);
/* Peer Up: local address and ports, then both OPENs (sent, received). */
int	bmp_peer_up_encode(struct wbuf *, const struct bmp_peer *,
	    const struct addr *local, uint16_t lport, uint16_t rport,
	    const uint8_t *open_sent, size_t slen,
	    const uint8_t *open_rcvd, size_t rlen);
/* Peer Down: 'data' is the NOTIFICATION (reasons 1, 3) or the FSM event
 * code (2 bytes, reason 2), else empty. */
int	bmp_peer_down_encode(struct wbuf *, const struct bmp_peer *,
	    uint8_t reason, const uint8_t *data, size_t len);
/* Stats Report: Adj-RIB-In routes, total and per family (64-bit gauges). */
int	bmp_stats_encode(struct wbuf *, const struct bmp_peer *,
	    const uint64_t adj_in[BGP_FAM_MAX]);

/* --- bmp_dec.c ---------------------------------------------------------- */

struct bmp_msg {
	uint8_t		 version;
	uint8_t		 type;
	bool		 has_peer;
	struct bmp_peer	 peer;
	struct rbuf	 body;		/* after the per-peer header */
};
/* Next message of a stream: 1 and *m set, 0 at the end, -1 malformed. */
int	bmp_msg_next(struct rbuf *, struct bmp_msg *);
/* Information TLVs (Initiation/Termination): calls cb for each. */
int	bmp_tlv_walk(struct rbuf, int (*cb)(uint16_t type,
	    const uint8_t *v, uint16_t len, void *), void *);
struct bmp_peer_up {
	struct addr	 local;
	uint16_t	 lport, rport;
	const uint8_t	*open_sent, *open_rcvd;
	size_t		 slen, rlen;
};
int	bmp_peer_up_decode(const struct bmp_msg *, struct bmp_peer_up *);

/* --- bmp_client.c ------------------------------------------------------- */

struct rib;
struct sess_mgr;
struct bmp;

struct bmp_conf {
	struct addr	 addr;
	uint16_t	 port;
	uint32_t	 stats_interval;	/* seconds, 0 = none */
};

struct bmp	*bmp_new(struct ev_loop *, struct rib *, struct sess_mgr *);
/* Send Termination to every collector (best effort) and free. */
void		 bmp_free(struct bmp *);
void		 bmp_set_ids(struct bmp *, uint32_t router_id, const char *name);
/* Replace the collectors; unchanged ones keep their connection. */
int		 bmp_set_conf(struct bmp *, const struct bmp_conf *, size_t n,
		    char *err, size_t errlen);

#endif
