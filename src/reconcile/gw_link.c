/*
 * What the edges and the gateway both derive from the store: the
 * addresses of a gateway link (gw.h: connection k, path p -> the /31 at
 * GatewaySubnet + 4k + 2p, the edge on the even address, RFC 3021) and
 * the gateway's GatewaySubnet, plus the small store queries both use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/log.h"
#include "reconcile/gw.h"

#define VNET_TYPE	"Microsoft.Network/virtualNetworks"

int
gw_link_addrs(const struct prefix *s, int index, enum rc_path path,
    struct addr *edge, struct addr *gw)
{
	uint32_t base, off;

	if (s->af != AF_INET || s->len > 29 || index < 0 ||
	    index >= ER_CONN_LINKS_MAX)
		return -1;
	off = (uint32_t)index * 4 + (uint32_t)path * 2;
	if (off + 2 > (1u << (32 - s->len)))
		return -1;
	base = (uint32_t)s->b[0] << 24 | (uint32_t)s->b[1] << 16 |
	    (uint32_t)s->b[2] << 8 | s->b[3];
	base += off;
	memset(edge, 0, sizeof(*edge));
	edge->af = AF_INET;
	edge->b[0] = base >> 24;
	edge->b[1] = (base >> 16) & 0xff;
	edge->b[2] = (base >> 8) & 0xff;
	edge->b[3] = base & 0xff;
	*gw = *edge;
	gw->b[3] |= 1;
	return 0;
}

int
gw_link_push(struct rc_link **links, size_t *n, const char *ifname,
    const struct addr *a)
{
	struct rc_link *l;
	size_t i;

	for (i = 0; i < *n; i++)
		if (addr_cmp(&(*links)[i].addr, a) == 0)
			return 0;
	if ((l = realloc(*links, (*n + 1) * sizeof(*l))) == NULL)
		return -1;
	*links = l;
	l = &l[(*n)++];
	memset(l, 0, sizeof(*l));
	snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	l->addr = *a;
	l->plen = GW_LINK_PLEN;
	return 0;
}

void
gw_links_sync(const struct rc_link *l, size_t n)
{
	char err[256];
	size_t i;

	for (i = 0; i < n; i++)
		if (rc_addr_ensure(l[i].ifname, &l[i].addr, l[i].plen, err,
		    sizeof(err)) == -1)
			log_err("reconcile: gateway link: %s", err);
}

int
gw_collect(const struct store_rec *r, void *arg)
{
	json_t *doc = json_loads(r->doc, 0, NULL);

	if (doc == NULL)
		return 0;
	json_object_set_new(doc, "_id", json_string(r->id));
	json_array_append_new(arg, doc);
	return 0;
}

json_t *
gw_list_idx(struct store *st, const char *type, const char *idx)
{
	json_t *a = json_array();
	char *k = er_strdup_lower(idx);
	int rc = k ? store_list_idx(st, type, k, gw_collect, a) : -1;

	free(k);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
gw_list_children(struct store *st, const char *parent, const char *type)
{
	json_t *a = json_array();

	if (store_list_children(st, parent, type, gw_collect, a) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
gw_get(struct store *st, const char *id)
{
	struct store_rec r;
	json_t *doc;

	if (id == NULL || store_get(st, id, &r) != STORE_OK)
		return NULL;
	doc = json_loads(r.doc, 0, NULL);
	if (doc != NULL)
		json_object_set_new(doc, "_id", json_string(r.id));
	store_rec_free(&r);
	return doc;
}

int
gw_subnet(struct store *st, json_t *gw, struct prefix *p, char *err,
    size_t errlen)
{
	const char *vid = er_jstr(gw, "properties.xrVirtualNetwork");
	json_t *vnet = gw_get(st, vid), *s;
	const char *a = NULL;
	size_t i;

	json_array_foreach(er_jget(vnet, "properties.subnets"), i, s)
		if (er_streq(er_jstr(s, "name"), "GatewaySubnet"))
			a = er_jstr(s, "properties.addressPrefix");
	if (a == NULL || prefix_parse(a, p, false) == -1 ||
	    p->af != AF_INET) {
		snprintf(err, errlen, "gateway %s: no IPv4 GatewaySubnet in "
		    "virtual network %s", er_jstr(gw, "name"),
		    vid ? vid : "(none)");
		json_decref(vnet);
		return -1;
	}
	json_decref(vnet);
	return 0;
}
