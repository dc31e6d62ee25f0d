/*
 * Pure rtnetlink codecs for src/fib: no sockets, no state, so unit tests
 * check them byte-wise and the fuzz target feeds them arbitrary bytes.
 *
 * Reading: every kernel reply is walked through the bounded reader
 * (lib/buf.h). Netlink is host-endian, so values are copied out with
 * rbuf_get_bytes() rather than the network-order getters. Framing
 * (nlmsghdr) is checked once in nl_msg_next(); each message type has an
 * attribute policy table (length rule per attribute type) and a message
 * with an attribute of the wrong size is rejected whole, as BIRD does.
 *
 * Writing: messages are built with libmnl's bounds-checked put functions
 * (mnl_attr_put_check and friends) into caller memory of a given size.
 */
#ifndef XR_FIB_NL_H
#define XR_FIB_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"
#include "lib/addr.h"
#include "lib/buf.h"

/* Parser results. */
#define NL_OK		0
#define NL_SKIP		1	/* well formed, not for us (other family...) */
#define NL_BAD		(-1)	/* malformed: log and drop */

/* One message out of a receive buffer. */
struct nl_msg {
	uint16_t	 type;
	uint16_t	 flags;
	uint32_t	 seq;
	uint32_t	 pid;
	struct rbuf	 body;		/* after the nlmsghdr */
};

/* Next message from a receive buffer. 1 got one, 0 end, NL_BAD bad
 * framing (the rest of the buffer is unusable). */
int	nl_msg_next(struct rbuf *, struct nl_msg *);

/* Attribute policy: one entry per attribute type. */
enum nl_pol_kind {
	NLP_IGNORE = 0,		/* not wanted: skipped */
	NLP_EXACT,		/* len bytes exactly */
	NLP_MIN,		/* at least len bytes */
	NLP_MAX,		/* at most len bytes (addresses, lladdr) */
	NLP_STR,		/* NUL-terminated within at most len bytes */
	NLP_NEST,		/* any length; parsed by the caller */
};
struct nl_pol {
	uint8_t		 kind;
	uint16_t	 len;
};
/* Walk attributes; tb[type] gets the value view of the last occurrence
 * (tb[t].p == NULL: absent). NL_BAD on a bad TLV or a policy breach. */
int	nl_attr_parse(struct rbuf *, const struct nl_pol *, size_t npol,
	    struct rbuf *tb);

/* A route as the kernel describes it, or as we want it built. */
struct nl_route {
	uint8_t		 family;
	uint8_t		 tos;
	uint8_t		 protocol;
	uint8_t		 scope;
	uint8_t		 type;		/* RTN_* */
	uint32_t	 rtm_flags;
	uint32_t	 table;
	uint32_t	 priority;
	bool		 has_priority;
	struct prefix	 dst;
	size_t		 nnh;
	struct fib_nexthop nh[FIB_NH_MAX];
	bool		 nh_truncated;	/* the kernel had more than FIB_NH_MAX */
};
int	nl_route_parse(const struct nl_msg *, struct nl_route *);

struct nl_rule {
	uint8_t		 family;
	uint8_t		 action;	/* FR_ACT_* */
	uint8_t		 protocol;
	uint32_t	 table;
	uint32_t	 priority;
	bool		 has_priority;
	char		 iif[FIB_IFNAMSIZ];	/* "" if none */
};
int	nl_rule_parse(const struct nl_msg *, struct nl_rule *);

/* user_hz converts NDA_CACHEINFO clock ticks to seconds (USER_HZ). */
int	nl_neigh_parse(const struct nl_msg *, struct fib_neigh *, long user_hz);
int	nl_link_parse(const struct nl_msg *, struct fib_link *);

/* NLMSG_ERROR: err is 0 (ACK) or a positive errno; msg the extended-ACK
 * text (truncated to msglen-1, "" if none). */
int	nl_err_parse(const struct nl_msg *, int *err, char *msg,
	    size_t msglen);

/* Builders: each returns the message length, or -1 if cap is too small
 * or the input cannot be encoded. */
int	nl_route_build(void *buf, size_t cap, uint16_t type, uint16_t flags,
	    uint32_t seq, const struct nl_route *);
int	nl_rule_build(void *buf, size_t cap, uint16_t type, uint16_t flags,
	    uint32_t seq, const struct nl_rule *);
/* Dump requests (NLM_F_DUMP): routes of one family and protocol (0 all),
 * rules of one family, neighbours of one interface (0 all), links. */
int	nl_route_dump_build(void *buf, size_t cap, uint32_t seq,
	    uint8_t family, uint8_t protocol);
int	nl_rule_dump_build(void *buf, size_t cap, uint32_t seq,
	    uint8_t family);
int	nl_neigh_dump_build(void *buf, size_t cap, uint32_t seq,
	    uint32_t ifindex);
int	nl_link_dump_build(void *buf, size_t cap, uint32_t seq);
/* One link by name (RTM_GETLINK with IFLA_IFNAME). */
int	nl_link_get_build(void *buf, size_t cap, uint32_t seq,
	    const char *ifname);

#endif
