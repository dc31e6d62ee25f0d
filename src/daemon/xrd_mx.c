/*
 * The Prometheus endpoint of the speaker roles (docs/metrics.md): where it
 * listens comes from --metrics ADDR:PORT or, without it, the "metrics
 * listen" statement; a reload that changes the statement moves it. Each
 * scrape is answered from the event loop (src/metrics/mx_srv.c).
 */
#include <stdio.h>
#include <string.h>

#include "daemon/xrd.h"
#include "lib/log.h"
#include "metrics/mx_bgp.h"

#define XRD_MX_IFACES	16

static int
xrd_mx_collect(void *arg, struct mx *m)
{
	struct xrd *x = arg;
	const char *ifs[XRD_MX_IFACES];
	const struct conf_ctx *c;
	struct mx_bgp_src src;
	size_t i, j, k, n = 0;

	for (i = 0; x->conf != NULL && i < x->conf->nctxs; i++) {
		c = &x->conf->ctxs[i];
		for (j = 0; j < c->ningress && n < XRD_MX_IFACES; j++) {
			for (k = 0; k < n; k++)
				if (strcmp(ifs[k], c->ingress[j]) == 0)
					break;
			if (k == n)
				ifs[n++] = c->ingress[j];
		}
	}
	memset(&src, 0, sizeof(src));
	src.rib = x->rib;
	src.sm = x->sm;
	src.bfd = x->bfd;
	src.role = x->role ? x->role : "edge";
	src.path = x->path ? x->path : "";
	src.version = XRD_VERSION;
	src.router_id = x->env.router_id;
	src.local_as = x->env.local_as;
	src.ifnames = ifs;
	src.nifnames = n;
	return mx_bgp_collect(m, &src);
}

/* Where to listen: --metrics first, else the configuration; false: off. */
static bool
xrd_mx_where(const struct xrd *x, const struct xr_conf *c, struct addr *a,
    uint16_t *port)
{
	if (x->mx_forced) {
		*a = x->mx_addr;
		*port = x->mx_port;
		return true;
	}
	if (c == NULL || !c->has_metrics)
		return false;
	*a = c->metrics.addr;
	*port = c->metrics.port;
	return true;
}

int
xrd_mx_apply(struct xrd *x, const struct xr_conf *old,
    const struct xr_conf *nw, char *err, size_t errlen)
{
	struct addr oa, na;
	uint16_t op = 0, np = 0;
	bool had = x->mx != NULL, want;
	char as[ADDR_STRLEN];

	want = xrd_mx_where(x, nw, &na, &np);
	if (had && want && xrd_mx_where(x, old, &oa, &op) &&
	    addr_cmp(&oa, &na) == 0 && op == np)
		return 0;
	mx_srv_free(x->mx);
	x->mx = NULL;
	if (!want)
		return 0;
	if ((x->mx = mx_srv_new(x->loop, &na, np, xrd_mx_collect, x, err,
	    errlen)) == NULL)
		return -1;
	log_info("metrics on http://%s%s%s:%u/metrics", na.af == AF_INET6 ?
	    "[" : "", addr_ntop(&na, as, sizeof(as)), na.af == AF_INET6 ?
	    "]" : "", mx_srv_port(x->mx));
	return 0;
}

void
xrd_mx_stop(struct xrd *x)
{
	mx_srv_free(x->mx);
	x->mx = NULL;
}
