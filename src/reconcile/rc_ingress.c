/*
 * Which packets use a reconciled context's kernel table (rc_table.c): an
 * "iif IF lookup TABLE" rule each (xrd installs them at priority 1000) for
 * the peering's interface (--interface-map VLAN=IF, the customer's side)
 * and for the gateway's (--gateway-interface). Without them the context's
 * table holds the right routes and nothing uses it.
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

/* The customer's side: the interface a peering's VLAN maps to, unless
 * another peering maps there too (then no interface tells them apart). */
void
rc_ingress_assign(struct rc_desired *d, const struct rc_opts *o)
{
	const char *ifn;
	struct conf_ctx *c;
	size_t i, j, n;

	for (i = 0; i < d->npeers; i++) {
		if ((ifn = rc_ifname_of(o, d->peers[i].vlan)) == NULL)
			continue;
		for (j = n = 0; j < d->npeers; j++)
			if (d->peers[j].vlan == d->peers[i].vlan)
				n++;
		if (n == 1 && (c = conf_ctx_find(d->conf,
		    d->peers[i].ctx)) != NULL)
			ingress_add(c, ifn);
	}
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
