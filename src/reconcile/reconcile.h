/*
 * The reconciler: an edge instance of xrouted reads desired state from the
 * store (circuits at its peering location that the provider has
 * Provisioned, and their peerings), turns it into a struct xr_conf and
 * applies it through xrd_apply() exactly like a configuration reload, so
 * the reload's minimal-change rules hold (adding a peering never resets
 * another session; a changed sharedKey resets only that neighbour).
 * Spec (shared/docs/expressroute-spec.md) sections 2-4.
 *
 * It follows the store's change counter (polled every RC_POLL_MS), and
 * writes the observed state of each session back to the store as a
 * record of type ER_PEERING_STATUS_TYPE, id "<peering id>/status/<path>",
 * which the API merges into GET on the peering.
 */
#ifndef XR_RECONCILE_RECONCILE_H
#define XR_RECONCILE_RECONCILE_H

#include <jansson.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/conf.h"
#include "er/er.h"
#include "store/store.h"

#define RC_POLL_MS		500	/* change counter poll */
#define RC_STATUS_MS		2000	/* status write-back */
#define RC_ID_MAX		768
#define RC_IFMAP_MAX		64

/* Microsoft's edge, as the spec fixes it. */
#define RC_AZURE_AS		12076
#define RC_HOLD			180	/* offered; keepalive hold / 3 */
#define RC_CONNECT_RETRY	5
#define RC_BFD_MS		300	/* x3, not strict (MSEE default) */
#define RC_MAXPFX_STANDARD	4000	/* private peering, IPv4 */
#define RC_MAXPFX_PREMIUM	10000
#define RC_MAXPFX_V6		100
/* After Cease/Maximum Number of Prefixes Reached the session comes
 * back by itself after this many seconds. */
#define RC_MAXPFX_RESTART	60
#define RC_REGION_BASE		50000	/* 12076:50RRR, private peering */
#define RC_REGION_FALLBACK	50002	/* region not in the catalogue */
/* Microsoft peering (spec 2.5, 3.1, 4): 200 prefixes per session, the
 * regional community 12076:51RRR, session held until the advertised
 * public prefixes are Configured. */
#define RC_MAXPFX_MSFT		200
#define RC_MSFT_REGION_BASE	51000
#define RC_MSFT_REGION_FALLBACK	51002
#define RC_SHUTDOWN_MSG		"peering disabled"

enum rc_path { RC_PRIMARY = 0, RC_SECONDARY = 1 };

struct rc_ifmap {
	uint16_t	 vlan;
	char		 ifname[IF_NAMESIZE];
};

struct rc_opts {
	const char	*db;
	enum rc_path	 path;
	const char	*location;	/* peering location served */
	uint32_t	 router_id;	/* 0: RC_DEFAULT_ID + path */
	const char	*data;		/* catalogue dir; NULL: search */
	struct rc_ifmap	 ifmap[RC_IFMAP_MAX];
	size_t		 nifmap;
	/* --gateway-interface: where the links to gateways are (gw.h) */
	char		 gw_ifname[IF_NAMESIZE];
};

/* One peering realised on this path. */
struct rc_peer {
	char		 id[RC_ID_MAX];		/* the peering's ARM id */
	char		 ctx[CONF_NAME_MAX];	/* context name */
	struct addr	 nbr;			/* customer: first address */
	struct addr	 local;			/* us: second address */
	uint8_t		 plen;
	uint16_t	 vlan;
	uint32_t	 peer_as;
	uint32_t	 table;			/* kernel table (rc_table.c) */
	bool		 has_v6;		/* ipv6PeeringConfig realised */
	struct addr	 nbr6, local6;		/* the path's /126 */
	uint8_t		 plen6;
};

/* An address this instance puts on one of its interfaces. */
struct rc_link {
	char		 ifname[IF_NAMESIZE];
	struct addr	 addr;
	uint8_t		 plen;
};

struct rc_desired {
	struct xr_conf	*conf;
	struct rc_peer	*peers;
	size_t		 npeers;
	struct rc_link	*links;		/* gateway links (gw_edge.c) */
	size_t		 nlinks;
};

const char	*rc_path_name(enum rc_path);
/* "primary"/"secondary" -> path; -1 otherwise. */
int		 rc_path_parse(const char *, enum rc_path *);
/* The interface --interface-map gives a VLAN; NULL if none. */
const char	*rc_ifname_of(const struct rc_opts *, uint16_t vlan);
/* "200=eth1,201=eth2"; -1 with err naming the bad item. */
int		 rc_ifmap_parse(const char *, struct rc_opts *, char *err,
		    size_t errlen);

/* 12076:<base + regionCode> of an ARM region; fallback when the
 * catalogue does not know it (cat may be NULL). */
uint32_t	 rc_region_community(const struct er_cat *, const char *region,
		    uint32_t base, uint32_t fallback);

/* Desired state from the store; cat may be NULL (fallback community). */
int	rc_build(struct store *, const struct rc_opts *, const struct er_cat *,
	    struct rc_desired *, char *err, size_t errlen);
void	rc_desired_free(struct rc_desired *);

/*
 * Microsoft peering (rc_msft.c). The routes a route filter selects: every
 * catalogue prefix of family 'af' whose service community one of the
 * filter's Allow rules lists (rules: an array of routeFilterRule
 * documents), within the circuit's reach (scope), each tagged with its
 * service community and the regional community 12076:51RRR. Sorted by
 * prefix; *routes is the caller's (free each .communities, then it).
 */
struct rc_msft_scope {
	const char	*region;	/* circuit's ARM region (51RRR tag) */
	const char	*location;	/* peering location: its geo bounds a
					 * Standard circuit's regions */
	bool		 premium;	/* Premium: every region */
	int		 af;
};
int	rc_msft_routes(const struct er_cat *, json_t *rules,
	    const struct rc_msft_scope *, struct conf_route **routes,
	    size_t *nroutes);
/* Turn the neighbour neighbor_fill() made for a MicrosoftPeering into one
 * (policy, limits, hold until Configured) and fill the context's routes
 * from the attached route filter. -1 only when out of memory. */
int	rc_msft_fill(struct store *, json_t *circ, json_t *peering,
	    const struct er_cat *, struct conf_ctx *, struct conf_neighbor *);

/*
 * Kernel tables (rc_table.c): every context gets table
 *   RC_TABLE_BASE + FNV-1a-32(context name) mod RC_TABLE_SPAN,
 * derived, not stored, so an edge restarted on the same store installs
 * into the same tables; a collision in one desired state moves the
 * context that sorts later by name to the next free id (wrapping).
 */
#define RC_TABLE_BASE		1000
#define RC_TABLE_SPAN		1000000		/* ids 1000 .. 1000999 */
uint32_t	rc_table_of(const char *ctx);
void		rc_tables_assign(struct rc_desired *);
/* The mapped interface of a peering's VLAN becomes its context's ingress
 * (ip rule iif IF lookup TABLE) unless another peering maps there too. */
void		rc_ingress_assign(struct rc_desired *, const struct rc_opts *);
/* --gateway-interface becomes the ingress of the context that has the
 * gateway's neighbours. Both in rc_ingress.c. */
void		rc_gw_ingress_assign(struct rc_desired *, const struct rc_opts *);

/* The local address on the mapped interface (netlink; idempotent), and
 * its removal when the peering goes (absent already: 0). */
int	rc_addr_ensure(const char *ifname, const struct addr *, uint8_t plen,
	    char *err, size_t errlen);
int	rc_addr_del(const char *ifname, const struct addr *, uint8_t plen,
	    char *err, size_t errlen);

/* Status hints (rc_hint.c): the kernel's TCP-MD5 drop counters of this
 * namespace (-1: unreadable), and why a session may not be up (NULL when
 * it is, or is down on purpose). */
struct sess_info;
#define RC_MD5_WINDOW_MS	30000	/* failures this recent count */
int64_t		 rc_md5_failures(void);
const char	*rc_hint(const struct sess_info *, bool md5_failing);

/* The running reconciler (rc_run.c). */
struct rc;
struct xrd;
struct rc	*rc_new(const struct rc_opts *, char *err, size_t errlen);
/* First desired configuration, before xrd_start(). */
struct xr_conf	*rc_initial(struct rc *, char *err, size_t errlen);
/* After xrd_start(): follow the store and report status. */
void		 rc_attach(struct rc *, struct xrd *);
/* Re-read the store now (SIGHUP). */
void		 rc_kick(struct rc *);
void		 rc_free(struct rc *);
/* Did anything but status records change between 'seen' and 'now'? */
bool		 rc_store_changed(struct store *, int64_t seen, int64_t now);
/* Write one status record (its own transaction); 0 or -1 (logged). */
int		 rc_status_put(struct store *, const char *type, const char *id,
		    const char *parent, json_t *doc);

#endif
