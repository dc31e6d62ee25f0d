/*
 * GET /metrics of the API role. It is served without authentication, as
 * node_exporter and GoBGP serve theirs: it holds no tenant data, only
 * process metrics and request counters by method and status (scrapers
 * rarely carry bearer tokens; restrict the listen address or a firewall
 * if even that is too much). The counters are updated from
 * libmicrohttpd's thread with atomic adds.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "metrics/mx.h"

static const char *const methods[] = { "GET", "PUT", "PATCH", "POST",
    "DELETE", "other" };
#define NMETHODS	(sizeof(methods) / sizeof(methods[0]))
#define STATUS_MIN	100
#define STATUS_MAX	599

static uint64_t	counts[NMETHODS][STATUS_MAX - STATUS_MIN + 1];

void
api_metrics_count(const char *method, int status)
{
	size_t m;

	if (status < STATUS_MIN || status > STATUS_MAX)
		return;
	for (m = 0; m < NMETHODS - 1; m++)
		if (method != NULL && strcmp(method, methods[m]) == 0)
			break;
	__atomic_fetch_add(&counts[m][status - STATUS_MIN], 1,
	    __ATOMIC_RELAXED);
}

/* The exposition; -1 when it could not be built. */
int
api_metrics_text(struct mx *m)
{
	char code[4];
	uint64_t v;
	size_t i, s;

	mx_family(m, "xroute_info", MX_GAUGE, "xrouted build and role "
	    "(value 1)");
	mx_u64(m, 1, "role", "api", NULL);
	mx_family(m, "xroute_api_requests_total", MX_COUNTER, "HTTP requests "
	    "answered, by method and status");
	for (i = 0; i < NMETHODS; i++)
		for (s = 0; s <= STATUS_MAX - STATUS_MIN; s++) {
			v = __atomic_load_n(&counts[i][s], __ATOMIC_RELAXED);
			if (v == 0)
				continue;
			snprintf(code, sizeof(code), "%zu", s + STATUS_MIN);
			mx_u64(m, v, "method", methods[i], "code", code, NULL);
		}
	mx_process(m);
	return m->err ? -1 : 0;
}

/* MHD_YES or MHD_NO, as an int so api.h needs no microhttpd.h */
int
api_metrics_serve(struct MHD_Connection *c)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	const char *t;
	struct mx m;
	size_t len;
	unsigned st = 200;

	if (mx_init(&m, MX_BODY_MAX) == -1)
		return MHD_NO;
	if (api_metrics_text(&m) == -1) {
		st = 500;
		resp = MHD_create_response_from_buffer(strlen(m.errmsg),
		    m.errmsg, MHD_RESPMEM_MUST_COPY);
	} else {
		t = mx_text(&m, &len);
		resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)t,
		    MHD_RESPMEM_MUST_COPY);
	}
	mx_free(&m);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", st == 200 ?
	    "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8");
	rc = MHD_queue_response(c, st, resp);
	MHD_destroy_response(resp);
	return rc;
}
