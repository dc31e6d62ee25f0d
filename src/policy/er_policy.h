/*
 * ExpressRoute edge policy: the import and export rules an MSEE applies to
 * a customer session, as RIB policy hooks (struct rib_policy). One struct
 * er_policy per neighbour; the configuration (later: the reconciler) fills
 * it and points rib_policy.arg at it.
 *
 * Behaviour reproduced (shared/docs/expressroute-spec.md):
 *   - communities attached by the customer are ignored (3.5);
 *   - every route advertised by the edge carries the regional (and, on
 *     Microsoft peering, service) communities (3.5, 4.5);
 *   - private ASNs (65515 and the rest of RFC 6996) are stripped from paths
 *     advertised to customers (3.5);
 *   - Microsoft peering: private ASNs stripped from received paths,
 *     documentation ASNs 64496-64511 refused, RFC 1918 and the default
 *     route refused, and only prefixes inside the validated
 *     advertisedPublicPrefixes accepted (2.4, 2.5, 2.6);
 *   - a LOCAL_PREF set on import (the gateway's routingWeight, 6.3);
 *   - AS-path prepend on export, used to drain a link for maintenance and
 *     by the ASPathPrepend failover test (6.5, 6.6).
 */
#ifndef XR_POLICY_ER_POLICY_H
#define XR_POLICY_ER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "rib/rib.h"

#define ER_POLICY_MAX_COMM	16
#define ER_POLICY_MAX_ALLOW	256

struct er_policy {
	/* import: routes received from this neighbour */
	bool		 strip_communities;	/* ignore customer communities */
	bool		 strip_private_as_in;	/* Microsoft peering */
	bool		 deny_doc_asn;		/* 64496-64511 in the path */
	bool		 deny_bogons;		/* RFC 1918, ULA, link-local */
	bool		 deny_default;		/* 0.0.0.0/0 and ::/0 */
	size_t		 nallow;		/* 0 = no allow-list */
	struct prefix	 allow[ER_POLICY_MAX_ALLOW];
	/* LOCAL_PREF given to accepted routes: the gateway realises a
	 * connection's routingWeight with it (6.3: weight before AS_PATH) */
	bool		 set_local_pref;
	uint32_t	 local_pref;

	/* export: routes advertised to this neighbour */
	bool		 remove_private_as;
	unsigned	 prepend;		/* extra copies of our AS */
	uint32_t	 local_as;		/* for prepend */
	size_t		 nadd_comm;
	uint32_t	 add_comm[ER_POLICY_MAX_COMM];
};

/* The RIB hooks; 'arg' is a struct er_policy. */
enum rib_verdict er_policy_import(void *arg, struct rib_peer *,
	    const struct prefix *, struct rib_attr_edit *, const char **reason);
enum rib_verdict er_policy_export(void *arg, struct rib_peer *,
	    const struct prefix *, struct rib_attr_edit *);
/* Fill a struct rib_policy that runs 'p'. */
void	er_policy_bind(struct er_policy *p, struct rib_policy *out);

/* RFC 6996 private ranges (and the RFC 7300 last ASNs). */
bool	er_asn_is_private(uint32_t asn);
/* Prefixes never accepted on Microsoft peering, with the reason. */
const char *er_prefix_bogon(const struct prefix *);

/*
 * Rewrite an AS path (4-octet segments) without the ASNs 'drop' says to
 * remove; empty segments vanish. Writes into 'out'; returns the new length
 * or -1 if 'out' is too small.
 */
long	er_aspath_filter(const uint8_t *path, size_t len, uint8_t *out,
	    size_t outlen, bool (*drop)(uint32_t));

#endif
