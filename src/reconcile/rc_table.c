/*
 * One kernel routing table per reconciled context (ARCHITECTURE.md: "one
 * kernel table per routing context"). The id is derived from the context
 * name "<serviceKey>/<peeringType>", never stored: an edge restarted on
 * the same store, or the other path's edge, computes the same id, and the
 * FIB's resync at start adopts the routes already in it.
 *
 *   table = RC_TABLE_BASE + FNV-1a-32(name) mod RC_TABLE_SPAN
 *
 * FNV-1a (not the keyed SipHash of lib/hash.h) because the id must be the
 * same in every process. Two contexts of one desired state on the same id
 * (about 1 in 20,000 for 200 contexts): in name order, the later one takes
 * the next free id; the id shows in the peering's status (kernelTable).
 *
 * Packets arriving from the customer use the context's table first
 * (ip rule iif IFNAME lookup TABLE, installed by the daemon for the
 * context's ingress interfaces), so two tenants with the same address
 * space stay apart; a destination the table lacks falls through to the
 * next rule. Only an interface that --interface-map gives one peering is
 * bound that way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile/reconcile.h"

uint32_t
rc_table_of(const char *ctx)
{
	uint32_t h = 2166136261u;

	for (; *ctx != '\0'; ctx++) {
		h ^= (uint8_t)*ctx;
		h *= 16777619u;
	}
	return RC_TABLE_BASE + h % RC_TABLE_SPAN;
}

static int
by_name(const void *a, const void *b)
{
	const struct conf_ctx *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static bool
taken(struct conf_ctx **v, size_t n, uint32_t t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i]->kernel_table == t)
			return true;
	return false;
}

void
rc_tables_assign(struct rc_desired *d)
{
	struct conf_ctx **v;
	size_t i, j, n = d->conf->nctxs;
	uint32_t t;

	if (n == 0 || (v = calloc(n, sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = &d->conf->ctxs[i];
	qsort(v, n, sizeof(*v), by_name);
	for (i = 0; i < n; i++) {
		t = rc_table_of(v[i]->name);
		while (taken(v, i, t))
			t = t + 1 < RC_TABLE_BASE + RC_TABLE_SPAN ? t + 1 :
			    RC_TABLE_BASE;
		v[i]->kernel_table = t;
	}
	free(v);
	for (i = 0; i < d->npeers; i++)
		for (j = 0; j < n; j++)
			if (strcmp(d->peers[i].ctx, d->conf->ctxs[j].name) == 0)
				d->peers[i].table = d->conf->ctxs[j].kernel_table;
}
