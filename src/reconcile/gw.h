/*
 * The gateway role realised from the store (spec sections 3.2, 6.3 and
 * 7.1-7.5): an ExpressRoute virtual network gateway is a BGP speaker of
 * AS 65515 with one routing context, "vnet", that
 *   - originates the address spaces of its VNet and of every spoke that
 *     peers with it using useRemoteGateways (whole spaces, never subnets;
 *     summarizedGatewayPrefixes replace the spaces they cover), at most
 *     1,000 IPv4 and 100 IPv6 prefixes: above that every connection goes
 *     down and comes back once the count is under the cap again (3.2);
 *   - has one eBGP session to each edge (primary, secondary) of every
 *     connected circuit, and prefers routes by the connection's
 *     routingWeight (LOCAL_PREF 100 + weight, so before AS_PATH length),
 *     with ECMP across both edges and several circuits (6.3);
 *   - installs what it learns into a kernel table, so the namespace or
 *     host it runs in forwards towards on-premises.
 *
 * Gateway links. Connection k of a gateway (its link index, fixed when the
 * connection is created, see er_conn.c) uses two /31s of the gateway's
 * GatewaySubnet S: at S + 4k for the primary edge and S + 4k + 2 for the
 * secondary edge; the edge takes the even address, the gateway the odd
 * one (RFC 3021). A /27 carries 8 connections and a /26 16, the spec's
 * GatewaySubnet sizes (7.1). Both the edges (gw_edge.c) and the gateway
 * (gw_build.c) derive the addresses from the store, so nothing is
 * configured twice.
 */
#ifndef XR_RECONCILE_GW_H
#define XR_RECONCILE_GW_H

#include "reconcile/reconcile.h"

#define GW_AS			65515
#define GW_CTX			"vnet"
#define GW_MAXPFX_V4		1000	/* advertised per connection (3.2) */
#define GW_MAXPFX_V6		100
#define GW_DEFAULT_ID		0x0afffd01u	/* 10.255.253.1 */
#define GW_LP_BASE		100	/* LOCAL_PREF of routingWeight 0 */
#define GW_LINK_PLEN		31
#define GW_HOLD			180
#define GW_BFD_MS		300
#define GW_SHUT_CAP		"gateway advertises more prefixes than a " \
				"connection allows"
#define GW_SHUT_ADMIN		"gateway adminState Disabled"

#define CONNECTION_TYPE	"Microsoft.Network/connections"
#define GATEWAY_TYPE	"Microsoft.Network/virtualNetworkGateways"

struct gw_opts {
	const char	*db;
	const char	*gateway;		/* ARM id of the gateway */
	uint32_t	 router_id;		/* 0: GW_DEFAULT_ID */
	uint32_t	 kernel_table;		/* 0: main */
	char		 edge_if[2][IF_NAMESIZE];	/* per path; "" none */
};

/* One connection of the gateway and its two sessions. */
struct gw_conn {
	char		 id[RC_ID_MAX];
	char		 circuit[CONF_NAME_MAX];	/* circuit name */
	int		 index;			/* link index; -1 none */
	uint32_t	 weight;		/* routingWeight */
	bool		 realised;		/* sessions configured */
	char		 why[200];		/* not realised: why */
	struct addr	 edge[2], local[2];	/* per path */
};

struct gw_desired {
	struct xr_conf	*conf;
	struct gw_conn	*conns;
	size_t		 nconns;
	size_t		 nadv[2];		/* advertised: IPv4, IPv6 */
	bool		 over_cap;
	char		 cap_msg[160];		/* over_cap: the counts */
	bool		 admin_down;		/* adminState Disabled */
	struct rc_link	*links;			/* our link addresses */
	size_t		 nlinks;
};

/* The two addresses of connection 'index' on 'path'; -1 when the subnet
 * (IPv4, /29 or larger) has no room for it. */
int	gw_link_addrs(const struct prefix *subnet, int index, enum rc_path,
	    struct addr *edge, struct addr *gw);
/* The GatewaySubnet of a stored gateway document (its VNet's subnet). */
int	gw_subnet(struct store *, json_t *gw, struct prefix *, char *err,
	    size_t errlen);
/* Add a gateway link address (a /31) unless it is there already. */
int	gw_link_push(struct rc_link **, size_t *, const char *ifname,
	    const struct addr *);
/* Put each address on its interface (rc_addr_ensure; errors logged). */
void	gw_links_sync(const struct rc_link *, size_t);
/* store_rec_cb appending each document, with "_id" set, to a json array */
int	gw_collect(const struct store_rec *, void *array);
/* All documents of one store query, each with "_id" set; NULL on error. */
json_t	*gw_list_idx(struct store *, const char *type, const char *idx);
json_t	*gw_list_children(struct store *, const char *parent,
	    const char *type);
json_t	*gw_get(struct store *, const char *id);

/* Gateway desired state (gw_build.c). */
int	gw_build(struct store *, const struct gw_opts *, struct gw_desired *,
	    char *err, size_t errlen);
void	gw_desired_free(struct gw_desired *);
/* "primary=IF,secondary=IF"; -1 with err naming the bad item. */
int	gw_edge_map_parse(const char *, struct gw_opts *, char *err,
	    size_t errlen);

/* The edge's side (gw_edge.c): a neighbour for every gateway connected
 * to a private peering the edge realises, and its link address. */
int	gw_edge_build(struct store *, const struct rc_opts *,
	    struct rc_desired *, char *err, size_t errlen);

/* The running gateway (gw_run.c), as rc_* is for the edge. */
struct gw;
struct xrd;
struct gw	*gw_new(const struct gw_opts *, char *err, size_t errlen);
struct xr_conf	*gw_initial(struct gw *, char *err, size_t errlen);
void		 gw_attach(struct gw *, struct xrd *);
void		 gw_kick(struct gw *);
void		 gw_free(struct gw *);

#endif
