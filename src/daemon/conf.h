/*
 * The xrouted configuration file (docs/xrouted.conf.5): a small block
 * language read by a hand-written lexer and a recursive descent parser.
 * Every error carries FILE:LINE and names the offending value and what is
 * allowed, so "xrouted -n" is a usable config checker.
 *
 * The parsed form is plain data; the daemon diffs two of these on reload
 * (conf_neighbor_cmp) to touch only what changed.
 */
#ifndef XR_DAEMON_CONF_H
#define XR_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmp/bmp.h"
#include "lib/addr.h"
#include "mrt/mrt.h"
#include "policy/er_policy.h"
#include "wire/bgp.h"

#define CONF_NAME_MAX		64	/* context names, descriptions */
#define CONF_PASSWORD_MAX	80	/* TCP_MD5SIG_MAXKEYLEN */
#define CONF_SHUTDOWN_MAX	255	/* RFC 8203 as updated by RFC 9003 */
#define CONF_PATH_MAX		108	/* sun_path */
#define CONF_ERR_MAX		512

#define CONF_DEFAULT_HOLD	180
#define CONF_DEFAULT_RETRY	30
#define CONF_DEFAULT_MAXPFX_RESTART 60
#define CONF_DEFAULT_CONTROL	"/run/xrouted.sock"
#define CONF_DEFAULT_FILE	"/etc/xroute/xrouted.conf"

/* ttl-security: not given, no, yes */
enum conf_tristate { CONF_UNSET = -1, CONF_NO = 0, CONF_YES = 1 };

struct conf_route {
	struct prefix	 prefix;
	uint8_t		 origin;		/* BGP_ORIGIN_* */
	bool		 has_med;
	uint32_t	 med;
	uint32_t	*communities;
	size_t		 ncommunities;
	struct addr	 nexthop;		/* af 0: next-hop self */
	int		 line;
};

struct conf_neighbor {
	struct addr	 addr;
	uint16_t	 port;			/* where we connect to */
	uint32_t	 remote_as;
	char		 descr[CONF_NAME_MAX];
	char		 password[CONF_PASSWORD_MAX + 1];
	uint16_t	 hold;
	uint16_t	 keepalive;		/* 0: hold / 3 */
	uint16_t	 connect_retry;
	struct addr	 local_addr;		/* af 0: any */
	bool		 passive;
	uint32_t	 max_prefix[BGP_FAM_MAX];	/* 0: no limit */
	uint32_t	 max_prefix_restart;
	enum conf_tristate ttl_security;
	uint8_t		 fams;			/* BGP_FAM_BIT() set */
	bool		 shutdown;
	char		 shutdown_msg[CONF_SHUTDOWN_MAX + 1];
	/* ExpressRoute edge rules (src/policy); any set => has_policy */
	bool		 has_policy;
	struct er_policy policy;
	/* BFD (RFC 5880/5881): 0 = off */
	uint32_t	 bfd_interval_ms;
	uint8_t		 bfd_mult;
	bool		 bfd_strict;		/* BGP waits for BFD Up at start */
	int		 line;
};

#define CONF_KTABLE_NONE	0	/* routes stay out of the kernel */
#define CONF_MAX_INGRESS	8	/* ingress interfaces per context */
#define CONF_IFNAMSIZ		16
#define CONF_KTABLE_MAIN	254	/* RT_TABLE_MAIN */

struct conf_ctx {
	char			 name[CONF_NAME_MAX];
	uint32_t		 local_as;	/* 0: the global 'as' */
	uint32_t		 kernel_table;	/* CONF_KTABLE_NONE or a table id */
	/* Packets arriving on these interfaces use kernel_table (ip rule
	 * iif IF lookup TABLE), so overlapping customer spaces stay apart. */
	char			 ingress[CONF_MAX_INGRESS][CONF_IFNAMSIZ];
	size_t			 ningress;
	struct conf_route	*routes;
	size_t			 nroutes;
	struct conf_neighbor	*neighbors;
	size_t			 nneighbors;
	int			 line;
};

#define CONF_METRICS_PORT	9179	/* metrics listen ADDR: default port */

struct conf_listen {
	struct addr	 addr;
	uint16_t	 port;
};

struct xr_conf {
	uint32_t		 router_id;	/* host order */
	uint32_t		 as;
	char			 control[CONF_PATH_MAX];
	struct conf_listen	*listens;	/* none given: 0.0.0.0, :: */
	size_t			 nlistens;
	bool			 has_metrics;	/* metrics listen ... */
	struct conf_listen	 metrics;
	struct conf_ctx		*ctxs;
	size_t			 nctxs;
	struct mrt_conf		*mrts;		/* MRT dumps (RFC 6396) */
	size_t			 nmrts;
	struct bmp_conf		*bmps;		/* BMP collectors (RFC 7854) */
	size_t			 nbmps;
};

/*
 * Parse a file or an in-memory text ('name' is used in messages). On
 * error, returns -1 and writes "NAME:LINE: message" into err.
 */
int	conf_parse_file(const char *path, struct xr_conf **, char *err,
	    size_t errlen);
int	conf_parse_string(const char *name, const char *text,
	    struct xr_conf **, char *err, size_t errlen);
void	conf_free(struct xr_conf *);

struct conf_ctx	*conf_ctx_find(const struct xr_conf *, const char *name);
struct conf_neighbor *conf_neighbor_find(const struct conf_ctx *,
	    const struct addr *);
/* The local AS a context uses. */
uint32_t conf_ctx_as(const struct xr_conf *, const struct conf_ctx *);
/* Effective GTSM setting: the default is on for (single hop) eBGP. */
bool	conf_neighbor_gtsm(const struct conf_neighbor *, uint32_t local_as);

/* How two versions of one neighbour differ, for reload. */
enum conf_diff {
	CONF_SAME = 0,
	CONF_SOFT,		/* description, limits, shutdown: no reset */
	CONF_RESET,		/* session parameters: reset the session */
};
enum conf_diff conf_neighbor_cmp(const struct conf_neighbor *,
	    const struct conf_neighbor *);
/* Non-zero when the ExpressRoute policy differs (re-import/re-export). */
int	conf_neighbor_policy_cmp(const struct conf_neighbor *,
	    const struct conf_neighbor *);
bool	conf_route_equal(const struct conf_route *, const struct conf_route *);

/*
 * A context's routes by prefix (then by line), for lookups and duplicate
 * checks in O(log n): tens of thousands of routes must not make a reload
 * quadratic. NULL only when out of memory (n > 0); free() the array.
 */
const struct conf_route **conf_routes_sorted(const struct conf_ctx *);
const struct conf_route	 *conf_route_lookup(const struct conf_route **,
			    size_t n, const struct prefix *);

#endif
