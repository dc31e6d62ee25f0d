/*
 * Packets arriving from the gateway (--gateway-interface) use the kernel
 * table of the circuit's context: an "iif IF lookup TABLE" rule (xrd
 * installs it at priority 1000), next to the customer side's rule
 * (rc_ingress_assign in rc_table.c). Without it the VNet's packets to
 * on-premises find no route on the edge.
 *
 * In a real deployment every peering and every gateway connection has its
 * own VLAN sub-interface, so an interface names one context. On a kernel
 * without 802.1Q devices the gateway links of all circuits share one
 * interface, and the kernel cannot tell which circuit a packet from the
 * gateway belongs to: the first context (by name) that has a gateway
 * neighbour gets the rule, and the others are named in a warning.
 */
#include <string.h>

#include "lib/log.h"
#include "reconcile/gw.h"
#include "reconcile/reconcile.h"

static void
ingress_add(struct conf_ctx *c, const char *ifname)
{
	size_t i;

	for (i = 0; i < c->ningress; i++)
		if (strcmp(c->ingress[i], ifname) == 0)
			return;
	if (c->ningress == CONF_MAX_INGRESS) {
		log_warn("reconcile: context %s: more than %d ingress "
		    "interfaces; %s not used", c->name, CONF_MAX_INGRESS,
		    ifname);
		return;
	}
	snprintf(c->ingress[c->ningress++], CONF_IFNAMSIZ, "%s", ifname);
}

static bool
has_gateway(const struct conf_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nneighbors; i++)
		if (c->neighbors[i].remote_as == GW_AS)
			return true;
	return false;
}

void
rc_gw_ingress_assign(struct rc_desired *d, const struct rc_opts *o)
{
	struct conf_ctx *c, *gw_ctx = NULL;
	size_t j;

	if (o->gw_ifname[0] == '\0')
		return;
	for (j = 0; j < d->conf->nctxs; j++) {
		c = &d->conf->ctxs[j];
		if (!has_gateway(c))
			continue;
		if (gw_ctx == NULL || strcmp(c->name, gw_ctx->name) < 0)
			gw_ctx = c;
	}
	if (gw_ctx == NULL)
		return;
	ingress_add(gw_ctx, o->gw_ifname);
	for (j = 0; j < d->conf->nctxs; j++) {
		c = &d->conf->ctxs[j];
		if (c != gw_ctx && has_gateway(c))
			log_warn("reconcile: context %s: traffic from the "
			    "gateway on %s follows context %s (one shared "
			    "gateway interface; give each connection its "
			    "own interface to keep them apart)", c->name,
			    o->gw_ifname, gw_ctx->name);
	}
}
