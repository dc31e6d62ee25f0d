/*
 * The kernel data path: routes and policy rules in the Linux FIB over
 * rtnetlink (libmnl). See docs/kernel-fib.md for the operator's view.
 *
 * - One kernel routing table per routing context; `ip rule iif IFNAME
 *   lookup TABLE` steers packets by ingress interface, so contexts with
 *   overlapping customer addresses stay apart.
 * - Every route and rule we install carries our route protocol number
 *   (FIB_PROTO_XROUTE = 200 unless configured), which is how we recognise
 *   our own state in the kernel after a restart.
 * - Equal-cost next hops become one multipath route (RTA_MULTIPATH); with
 *   set_hash_policy the kernel hashes flows on L4 ports too
 *   (net.ipv{4,6}.fib_multipath_hash_policy = 1).
 * - The caller states the desired state (fib_route_set/del); changes are
 *   queued, sent in batches once per loop turn (many messages per
 *   sendmsg) and every message's ACK is matched by sequence number, so a
 *   kernel refusal is reported for the route that caused it.
 * - A full resync (dump of our protocol's routes and rules, diff, fix)
 *   runs at start, after a netlink overrun and after link changes.
 * - fib_free(fib, true) removes our routes and rules (clean shutdown);
 *   after a crash they stay in the kernel (traffic keeps flowing, like
 *   graceful restart) and the next start reconciles them, optionally
 *   keeping stale routes for restart_hold_ms while the RIB reconverges.
 *
 * The read-only helpers at the end (neighbours, link counters) need no
 * struct fib: the troubleshooting views call them on their own.
 */
#ifndef XR_FIB_FIB_H
#define XR_FIB_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/evloop.h"

#define FIB_PROTO_XROUTE	200	/* rtm_protocol / FRA_PROTOCOL; unassigned in iproute2 */
#define FIB_METRIC_DEFAULT	20	/* RTA_PRIORITY of our routes */
#define FIB_NH_MAX		16	/* next hops per multipath route */
#define FIB_LLADDR_MAX		32	/* MAX_ADDR_LEN */
#define FIB_IFNAMSIZ		16	/* IFNAMSIZ; no <net/if.h> here, it clashes
				   with <linux/if.h> in includers */

struct fib;

struct fib_nexthop {
	struct addr	 gw;		/* af 0: no gateway (on-link via ifindex) */
	uint32_t	 ifindex;	/* 0: the kernel resolves the device */
	uint8_t		 weight;	/* 1..255; 0 is taken as 1 */
};

/* A route the kernel refused: err is a positive errno, msg the kernel's
 * extended-ACK text (or ""). */
typedef void	fib_route_err_cb(void *arg, uint32_t table,
		    const struct prefix *, int err, const char *msg);

struct fib_link_stats {
	uint64_t	 rx_packets, tx_packets;
	uint64_t	 rx_bytes, tx_bytes;
	uint64_t	 rx_errors, tx_errors;
	uint64_t	 rx_dropped, tx_dropped;
};

struct fib_link {
	uint32_t	 ifindex;
	char		 name[FIB_IFNAMSIZ];
	uint32_t	 flags;		/* IFF_* */
	bool		 admin_up;	/* IFF_UP */
	bool		 oper_up;	/* IF_OPER_UP (or IFF_RUNNING when unknown) */
	uint8_t		 operstate;	/* IF_OPER_* */
	uint32_t	 mtu;
	uint8_t		 mac[FIB_LLADDR_MAX];
	uint8_t		 maclen;
	bool		 has_stats;
	struct fib_link_stats stats;
	bool		 deleted;	/* RTM_DELLINK */
};

/* After fib_new: a link appeared, went admin/oper up or down, or was
 * deleted. */
typedef void	fib_link_cb(void *arg, const struct fib_link *);

struct fib_conf {
	uint8_t		 protocol;	/* 0: FIB_PROTO_XROUTE */
	uint32_t	 metric;	/* 0: FIB_METRIC_DEFAULT */
	/* Tables we own: routes of our protocol outside [min, max] are left
	 * alone. 0/0: every table. */
	uint32_t	 table_min, table_max;
	/* Set net.ipv4/ipv6.fib_multipath_hash_policy = 1 (L4 hashing) in
	 * the network namespace we run in. */
	bool		 set_hash_policy;
	/* What the daemon passes to fib_free() on a clean shutdown. */
	bool		 flush_on_exit;
	/* Keep routes of ours found at start that nobody wants yet for this
	 * long (or until fib_ready()); 0: reconcile at once. */
	uint32_t	 restart_hold_ms;
	/* NLM_F_ACK on every message instead of one per batch (slower;
	 * refusals are reported per route either way). */
	bool		 ack_each;
	fib_route_err_cb *route_err;
	fib_link_cb	*link_cb;
	void		*arg;
};

struct fib_stats {
	size_t		 routes;	/* desired routes */
	size_t		 queued;	/* changes not yet sent */
	size_t		 inflight;	/* sent, ACK pending */
	size_t		 nhsets;	/* interned next-hop sets */
	uint64_t	 adds, dels;	/* route messages sent */
	uint64_t	 rule_msgs;
	uint64_t	 batches;	/* sendmsg calls */
	uint64_t	 acks;		/* messages answered (ACK or refusal) */
	uint64_t	 errors;	/* refusals */
	uint64_t	 resyncs, overruns;
	uint64_t	 resync_fixes;	/* routes/rules the resync repaired */
	uint64_t	 events;	/* notifications read */
	uint64_t	 link_events, neigh_events;
	bool		 hash_policy_set;
};

/* A route's state as we know it, for show commands and tests. */
struct fib_route_info {
	bool		 desired;
	bool		 installed;	/* the kernel ACKed what we want */
	bool		 pending;	/* queued or in flight */
	int		 err;		/* last refusal (errno), 0 if none */
	size_t		 nnh;
	struct fib_nexthop nh[FIB_NH_MAX];
};

/* Opens the sockets, applies sysctls, starts the initial resync. NULL on
 * failure (logged). */
struct fib	*fib_new(struct ev_loop *, const struct fib_conf *);
/* flush: remove every route and rule of our protocol in our tables,
 * waiting for the kernel's ACKs; otherwise leave the kernel as it is. */
void		 fib_free(struct fib *, bool flush);

/* Desired state. 0 queued, -1 invalid (logged, errno EINVAL): wrong
 * family, next hop of another family, n > FIB_NH_MAX. n == 0 deletes. */
int	fib_route_set(struct fib *, uint32_t table, const struct prefix *,
	    const struct fib_nexthop *, size_t n);
/* The same for next hops given as bare gateway addresses (what the RIB's
 * rib_fib_cb hands over); the kernel resolves the devices. */
int	fib_route_set_gws(struct fib *, uint32_t table, const struct prefix *,
	    const struct addr *gws, size_t n);
int	fib_route_del(struct fib *, uint32_t table, const struct prefix *);
int	fib_route_find(const struct fib *, uint32_t table,
	    const struct prefix *, struct fib_route_info *);

/* `ip rule add iif IFNAME lookup TABLE priority PRIO` for IPv4 and IPv6. */
int	fib_rule_set(struct fib *, uint32_t table, const char *ifname,
	    uint32_t priority);
int	fib_rule_del(struct fib *, uint32_t table, const char *ifname,
	    uint32_t priority);

/* Schedule a full resync (coalesced). */
void	fib_resync(struct fib *);
/* A notification socket overran (ENOBUFS): count it, resync soon. */
void	fib_overrun(struct fib *);
/* End the restart hold now: remove stale routes nobody asked for. */
void	fib_ready(struct fib *);
/* Nothing queued, in flight or resyncing. */
bool	fib_idle(const struct fib *);
/* Call cb once the next time the FIB becomes idle (or at once if it is);
 * one callback at a time. */
void	fib_on_idle(struct fib *, void (*cb)(void *), void *arg);
void	fib_get_stats(const struct fib *, struct fib_stats *);
uint8_t	fib_protocol(const struct fib *);

/* --- read-only helpers for troubleshooting views (synchronous) --------- */

struct fib_neigh {
	uint32_t	 ifindex;
	struct addr	 ip;
	uint8_t		 mac[FIB_LLADDR_MAX];
	uint8_t		 maclen;
	uint16_t	 state;		/* NUD_* */
	uint8_t		 flags;		/* NTF_* */
	/* Seconds since the entry was last updated / confirmed / used
	 * (NDA_CACHEINFO); UINT32_MAX if the kernel did not say. */
	uint32_t	 age_sec, confirmed_sec, used_sec;
};
typedef int	fib_neigh_cb(void *arg, const struct fib_neigh *);

/* Dump the neighbour (ARP and ND) table of one interface (ifname, or
 * ifindex when ifname is NULL; both unset: all). The callback returns
 * nonzero to stop. 0 ok, -1 with errno (ENODEV: no such interface). */
int	fib_neigh_dump(const char *ifname, uint32_t ifindex, fib_neigh_cb *,
	    void *arg);
/* "reachable", "stale", "incomplete", "failed", "delay", "probe",
 * "permanent", "noarp", "none". */
const char *fib_neigh_state_name(uint16_t state);
int	fib_link_info(const char *ifname, struct fib_link *);
int	fib_link_stats(const char *ifname, struct fib_link_stats *);
/* "up", "down", "lowerlayerdown", "dormant", "testing", "notpresent",
 * "unknown". */
const char *fib_oper_name(uint8_t operstate);

#endif
