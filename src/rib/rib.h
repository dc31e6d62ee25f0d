/*
 * The routing information base: named routing contexts, and per context the
 * Adj-RIB-In of every peer (pre-policy, always kept), the Loc-RIB with best
 * path selection (RFC 4271 9.1 plus the usual tie-breaks), and Adj-RIB-Out
 * with pending updates grouped by interned attribute set so one UPDATE
 * carries many prefixes.
 *
 * The session layer drives it through this interface only:
 *   - rib_peer_up/down when a session reaches/leaves Established;
 *   - rib_peer_update with the body of every UPDATE received;
 *   - rib_peer_pull to fetch ready-to-send BGP messages when the socket can
 *     take more (a pull model: the RIB never queues unboundedly for a slow
 *     peer; it keeps "what is pending" as state and encodes on demand);
 *   - the ops->wakeup callback tells the session there is something to pull.
 *
 * Contexts are isolated: a route never leaves its context except through an
 * explicit, modelled feature (none yet). Long jobs (peer down with a full
 * table, initial dumps to a new peer) are resumable and run in budgeted
 * slices from the event loop.
 */
#ifndef XR_RIB_RIB_H
#define XR_RIB_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/evloop.h"
#include "wire/bgp.h"

struct rib;
struct rib_ctx;
struct rib_peer;

/* --- policy hooks --------------------------------------------------------- */

/*
 * Import and export policy are functions, so the ExpressRoute rules in
 * src/policy/ (prefix limits, community handling, private-AS stripping,
 * bogon refusal, route filters) plug in without the RIB knowing them.
 * A hook may rewrite attributes through the editable copy it is given.
 */
enum rib_verdict { RIB_ACCEPT = 0, RIB_REJECT = 1 };

struct rib_attr_edit {
	struct bgp_pattrs	 a;		/* start: the input attributes */
	uint8_t			 buf[4096];	/* room for rewritten parts */
	size_t			 used;
};

struct rib_policy {
	/* Returns RIB_REJECT and sets *reason (static string) to filter. */
	enum rib_verdict (*import)(void *arg, struct rib_peer *,
	    const struct prefix *, struct rib_attr_edit *,
	    const char **reason);
	/*
	 * Runs after the standard eBGP/iBGP export rules. Peers with the
	 * same export settings share an update group (same local AS, eBGP or
	 * iBGP, AS4, extended messages, families, next-hop-self address
	 * families, and this hook with this arg): the hook runs once per
	 * prefix for the whole group with one member as 'to', so its result
	 * must depend on 'arg', not on which member 'to' is. The next hop it
	 * sees is that member's address; left unchanged, every member gets
	 * its own.
	 */
	enum rib_verdict (*export)(void *arg, struct rib_peer *to,
	    const struct prefix *, struct rib_attr_edit *);
	void	*arg;
	/*
	 * The export hook looks only at the attributes, never at the prefix
	 * or the peer beyond what its arg says: the RIB then runs it once
	 * per attribute set and reuses the result (a full table with a
	 * handful of sets costs a handful of calls).
	 */
	bool	 export_by_attrs;
};

/* --- peers ---------------------------------------------------------------- */

struct rib_peer_conf {
	char		 name[64];	/* description for output */
	uint32_t	 local_as;
	uint32_t	 remote_as;
	struct addr	 remote_addr;
	/* Maximum prefixes accepted per family; 0 = unlimited. */
	uint32_t	 max_prefix[BGP_FAM_MAX];
	struct rib_policy policy;	/* zeroed = accept all, standard export */
};

/* What the session negotiated, passed at rib_peer_up(). */
struct rib_peer_session {
	bool		 as4;
	bool		 ext_msg;
	bool		 route_refresh;
	uint8_t		 fams;		/* negotiated families */
	uint32_t	 remote_id;	/* peer BGP identifier, host order */
	struct addr	 local_addr;	/* our address on this session */
	struct addr	 local_addr6;	/* our IPv6 for next-hop self, if any */
};

struct rib_peer_ops {
	/* There are messages to pull for this peer. */
	void	(*wakeup)(void *owner);
	/*
	 * The peer went over max_prefix for a family: the session must close
	 * with Cease / Maximum Number of Prefixes Reached (RFC 4486).
	 */
	void	(*max_prefix)(void *owner, enum bgp_fam, uint32_t limit);
};

struct rib_peer_stats {
	uint32_t	 pfx_rcvd[BGP_FAM_MAX];	/* in Adj-RIB-In (pre-policy) */
	uint32_t	 pfx_accepted[BGP_FAM_MAX];	/* passed import */
	uint32_t	 pfx_filtered[BGP_FAM_MAX];	/* refused by import */
	uint32_t	 pfx_sent[BGP_FAM_MAX];	/* in Adj-RIB-Out */
	uint64_t	 updates_in, withdraws_in;
	uint64_t	 updates_out, withdraws_out;
	uint64_t	 treat_as_withdraw;	/* RFC 7606 events */
	uint64_t	 attr_discard;
};

/* --- engine and contexts -------------------------------------------------- */

struct rib	*rib_new(struct ev_loop *);
void		 rib_free(struct rib *);
/* Find or create the named context. */
struct rib_ctx	*rib_ctx_get(struct rib *, const char *name);
struct rib_ctx	*rib_ctx_find(struct rib *, const char *name);
const char	*rib_ctx_name(const struct rib_ctx *);
/* Iterate contexts: pass NULL for the first. */
struct rib_ctx	*rib_ctx_next(struct rib *, struct rib_ctx *);
/* Router id of this node: used for our own routes and for tie-breaks. */
void		 rib_set_router_id(struct rib *, uint32_t id);
/* Background work (flushes of sessions that went down) is still running. */
bool		 rib_busy(const struct rib *);

struct rib_peer	*rib_peer_add(struct rib_ctx *, const struct rib_peer_conf *,
		    const struct rib_peer_ops *, void *owner);
/* Withdraws everything it contributed, then frees it (may finish later). */
void		 rib_peer_remove(struct rib_peer *);
/*
 * New configuration. Import side (policy.import/arg, max_prefix) applies
 * at once by re-running import over the kept Adj-RIB-In; an export-side
 * change (policy.export/arg) re-evaluates what the peer is sent and sends
 * only the differences.
 */
void		 rib_peer_set_conf(struct rib_peer *, const struct rib_peer_conf *);
const struct rib_peer_conf *rib_peer_conf(const struct rib_peer *);

void	rib_peer_up(struct rib_peer *, const struct rib_peer_session *);
void	rib_peer_down(struct rib_peer *);
/*
 * Apply one received UPDATE body. Returns 0, or -1 with 'err' set when the
 * session must be reset (RFC 7606 session-reset cases). Treat-as-withdraw
 * and attribute-discard are handled inside and counted in the stats.
 */
int	rib_peer_update(struct rib_peer *, const uint8_t *body, size_t len,
	    struct bgp_err *err);
/*
 * The same with already decoded input, for one family: withdraw wd[0..nwd)
 * then announce ann[0..nann) with attributes 'a' (the peer's, as the
 * decoder would give them). For tests and internal feeds; -1 if the peer
 * is down or the family was not negotiated.
 */
int	rib_peer_apply(struct rib_peer *, enum bgp_fam,
	    const struct bgp_pattrs *a, const struct prefix *ann, size_t nann,
	    const struct prefix *wd, size_t nwd);
/* ROUTE-REFRESH received: re-advertise our Adj-RIB-Out for the family. */
void	rib_peer_refresh(struct rib_peer *, enum bgp_fam);
/*
 * The import policy behind the same hook changed: re-run it over the
 * peer's Adj-RIB-In (kept pre-policy, so no route refresh is needed).
 */
void	rib_peer_reimport(struct rib_peer *);
/*
 * The export policy behind the same hook changed (e.g. a route filter was
 * edited): re-evaluate every prefix for this peer and the peers sharing
 * its update group, and send the differences.
 */
void	rib_peer_reexport(struct rib_peer *);
/*
 * Append complete BGP messages (UPDATEs, End-of-RIB) for this peer to 'w',
 * at most 'budget' bytes, except that the first message is always added
 * when one is pending (so progress never depends on the budget). Returns
 * the bytes added; 0 = none ready now (see rib_peer_pending; a long walk
 * that produced nothing yet calls ops->wakeup again next loop turn).
 */
size_t	rib_peer_pull(struct rib_peer *, struct wbuf *w, size_t budget);
bool	rib_peer_pending(const struct rib_peer *);
void	rib_peer_stats(const struct rib_peer *, struct rib_peer_stats *);
/* Filtered paths in the peer's Adj-RIB-In by reason: cb once per reason
 * with a non-zero count. */
void	rib_peer_filtered(const struct rib_peer *,
	    void (*cb)(void *arg, const char *reason, uint32_t n), void *arg);

/* --- locally originated routes ------------------------------------------- */

struct rib_orig {
	uint8_t		 origin;	/* BGP_ORIGIN_* */
	bool		 has_med;
	uint32_t	 med;
	const uint32_t	*communities;
	size_t		 ncommunities;
	struct addr	 nexthop;	/* af 0 = next-hop self */
};
int	rib_originate(struct rib_ctx *, const struct prefix *,
	    const struct rib_orig *);
int	rib_unoriginate(struct rib_ctx *, const struct prefix *);

/* --- reading the RIB (control socket, API, tests) ------------------------ */

enum rib_table { RIB_LOC = 0, RIB_ADJ_IN, RIB_ADJ_OUT };

/* One path as output wants it: plain values, strings already rendered. */
struct rib_route_view {
	struct prefix	 prefix;
	bool		 best;
	bool		 ecmp;		/* equal to best for multipath */
	bool		 filtered;	/* Adj-RIB-In: refused by import */
	const char	*reason;	/* why filtered, or NULL */
	bool		 local;		/* originated by this node */
	struct addr	 from;		/* peer address (af 0 if local) */
	uint32_t	 from_as;
	uint32_t	 from_id;
	bool		 ebgp;
	struct addr	 nexthop;
	uint8_t		 origin;
	const uint8_t	*aspath;
	uint16_t	 aspath_len;
	bool		 has_med;
	uint32_t	 med;
	bool		 has_local_pref;
	uint32_t	 local_pref;
	const uint8_t	*comm;
	uint16_t	 comm_len;
	const uint8_t	*ext;
	uint16_t	 ext_len;
	const uint8_t	*large;
	uint16_t	 large_len;
	uint64_t	 age_us;	/* monotonic time learned */
	/* Every attribute of the path, for re-encoding (MRT, BMP); valid
	 * during the callback only. */
	const struct bgp_pattrs *attrs;
};

struct rib_query {
	enum rib_table	 table;
	int		 af;		/* 0 = both families */
	struct rib_peer	*peer;		/* ADJ_IN / ADJ_OUT: which peer */
	bool		 has_prefix;
	struct prefix	 prefix;	/* exact, or longest match if 'lpm' */
	bool		 lpm;
	bool		 filtered_only;	/* ADJ_IN: only refused paths */
	/*
	 * Paging (no 'has_prefix'): start strictly after 'after' (IPv4
	 * before IPv6, address order within), visit at most 'max_dests'
	 * prefixes (0: all). A page costs one scan of the table, so
	 * callers on the event loop keep pages small.
	 */
	bool		 has_after;
	struct prefix	 after;
	size_t		 max_dests;
};

/*
 * Call cb for every path matching q, best path first within a prefix,
 * prefixes in address order. cb returns non-zero to stop. Returns the
 * number of paths visited.
 */
size_t	rib_walk(struct rib_ctx *, const struct rib_query *,
	    int (*cb)(const struct rib_route_view *, void *), void *arg);

/* What a paged walk covered: resume with 'after' = 'last' when 'full'. */
struct rib_page {
	size_t		 dests;		/* prefixes visited */
	struct prefix	 last;		/* the last one visited */
	bool		 full;		/* max_dests reached: there may be more */
};
size_t	rib_walk_page(struct rib_ctx *, const struct rib_query *,
	    int (*cb)(const struct rib_route_view *, void *), void *arg,
	    struct rib_page *);

struct rib_ctx_stats {
	size_t		 prefixes[BGP_FAM_MAX];	/* in Loc-RIB */
	size_t		 paths;
	size_t		 peers;
	size_t		 attr_sets;		/* interned */
	size_t		 mem_bytes;		/* estimate */
};
void	rib_ctx_stats(const struct rib_ctx *, struct rib_ctx_stats *);

/* --- FIB hook (used by src/fib later) ------------------------------------- */

/* Best path (and its ECMP set) changed for a prefix; n == 0: unreachable. */
typedef void rib_fib_cb(void *arg, struct rib_ctx *, const struct prefix *,
    const struct addr *nexthops, size_t n);
void	rib_ctx_set_fib(struct rib_ctx *, rib_fib_cb *, void *arg);

#endif
