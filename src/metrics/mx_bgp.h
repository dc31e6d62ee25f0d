/*
 * Metrics of a BGP speaker role (edge, gateway, plain speaker): GoBGP's
 * bgp_* names and labels for peers and routes, and xroute_* metrics per
 * context (circuit, peering), path and peer. docs/metrics.md lists them.
 */
#ifndef XR_METRICS_MX_BGP_H
#define XR_METRICS_MX_BGP_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/mx.h"

struct rib;
struct sess_mgr;
struct bfd;

struct mx_bgp_src {
	struct rib		*rib;
	struct sess_mgr		*sm;
	struct bfd		*bfd;		/* NULL: none */
	const char		*role;		/* "edge", "gateway" */
	const char		*path;		/* "primary", "secondary", "" */
	const char		*version;
	uint32_t		 router_id;
	uint32_t		 local_as;
	/* interfaces whose counters are exported (ingress of contexts) */
	const char *const	*ifnames;
	size_t			 nifnames;
};

/* Everything: sessions, routes, RIB sizes, BFD, interfaces, process. */
int	mx_bgp_collect(struct mx *, const struct mx_bgp_src *);
/*
 * "circuit" and "peering" of a context named SERVICEKEY/PEERINGTYPE (the
 * edge role's names); both "" for other names.
 */
void	mx_ctx_split(const char *ctx, char *circuit, size_t clen,
	    char *peering, size_t plen);

#endif
