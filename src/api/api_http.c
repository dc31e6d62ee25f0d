/*
 * HTTP front of the API role (libmicrohttpd, one internal polling thread).
 * Per request: bounded body accumulation (413 past the limit), bearer
 * authentication, a per-token rate limit (429 with Retry-After), strict
 * JSON parsing, then er_handle() inside one store
 * transaction for writes, committed only when the answer is a success, so
 * a 2xx means the change is durable. ARM headers: ETag,
 * Azure-AsyncOperation and Location for long-running operations,
 * x-ms-request-id.
 */
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "api/api.h"
#include "er/er_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

struct reqst {
	char		*body;
	size_t		 len, cap;
	bool		 too_large;
	uint64_t	 t0;
	char		 method[8];	/* for the request counters */
	int		 status;
};

static int64_t
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static enum MHD_Result
send_json(struct MHD_Connection *c, int status, json_t *body,
    const struct er_resp *r, const char *host, const char *apiv)
{
	struct MHD_Response *resp;
	char *txt = NULL, url[1024], rid[37];
	size_t len = 0;
	enum MHD_Result rc;

	if (body != NULL) {
		txt = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
		len = txt ? strlen(txt) : 0;
	}
	resp = MHD_create_response_from_buffer(len, txt ? txt : (char *)"",
	    txt ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(txt);
		return MHD_NO;
	}
	if (body != NULL)
		MHD_add_response_header(resp, "Content-Type",
		    "application/json; charset=utf-8");
	er_guid(rid);
	MHD_add_response_header(resp, "x-ms-request-id", rid);
	if (r != NULL && r->etag[0] != '\0')
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r != NULL && r->async_op[0] != '\0') {
		snprintf(url, sizeof(url), "http://%s%s?api-version=%s",
		    host ? host : "localhost", r->async_op,
		    apiv ? apiv : ER_API_VERSION);
		MHD_add_response_header(resp, "Azure-AsyncOperation", url);
		if (r->location[0] != '\0' && strcmp(r->location,
		    r->async_op) != 0)
			snprintf(url, sizeof(url), "http://%s%s?api-version=%s",
			    host ? host : "localhost", r->location,
			    apiv ? apiv : ER_API_VERSION);
		MHD_add_response_header(resp, "Location", url);
		MHD_add_response_header(resp, "Retry-After", "1");
	}
	rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
send_err(struct MHD_Connection *c, const struct er_err *e)
{
	json_t *b;
	enum MHD_Result rc;

	er_err_body(e, &b);
	rc = send_json(c, e->status, b, NULL, NULL, NULL);
	json_decref(b);
	return rc;
}

/* 429 with Retry-After (RFC 6585 4), ARM's answer to throttling. */
static enum MHD_Result
send_throttled(struct api *a, struct MHD_Connection *c, unsigned wait)
{
	struct MHD_Response *resp;
	struct er_err e;
	char *txt, ra[16], rid[37];
	json_t *b;
	enum MHD_Result rc;

	er_fail(&e, ER_E_THROTTLED, (int)a->rate, (int)a->burst, (int)wait);
	er_err_body(&e, &b);
	txt = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(b);
	if (txt == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(txt), txt,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(txt);
		return MHD_NO;
	}
	snprintf(ra, sizeof(ra), "%u", wait);
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Retry-After", ra);
	er_guid(rid);
	MHD_add_response_header(resp, "x-ms-request-id", rid);
	rc = MHD_queue_response(c, (unsigned)e.status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static const char *
hdr(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, k);
}

static const char *
arg(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
}

static enum MHD_Result
serve_openapi(struct api *a, struct MHD_Connection *c)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(strlen(a->openapi), a->openapi,
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	rc = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* One request inside a savepoint of the open batch; the lock is held. */
static void
run_locked(struct api *a, struct er_ctx *ctx, const struct er_req *req,
    struct er_resp *resp)
{
	struct er_err err;

	if (store_savepoint(a->st) != STORE_OK) {
		er_fail(&err, ER_E_STORE, a->st->errmsg);
		resp->status = err.status;
		er_err_body(&err, &resp->body);
		return;
	}
	er_handle(ctx, req, resp);
	if (resp->status < 400 && resp->write)
		store_release(a->st);
	else
		store_undo(a->st);
	if (ctx->ops_started > 0)
		pthread_cond_signal(&a->wake);
}

static void
store_failed(struct api *a, struct er_resp *resp)
{
	struct er_err err;

	er_resp_clear(resp);
	er_fail(&err, ER_E_STORE, "the transaction could not be committed");
	resp->status = err.status;
	er_err_body(&err, &resp->body);
}

static enum MHD_Result
respond(struct api *a, struct MHD_Connection *c, const char *url,
    const char *method, struct reqst *rs)
{
	struct er_principal who;
	struct er_err err = { 0 };
	struct er_req req;
	struct er_resp resp;
	struct er_ctx ctx;
	json_error_t je;
	enum MHD_Result rc;
	uint64_t batch;
	unsigned wait;
	int arc;

	if (strcmp(url, "/openapi.json") == 0 && strcmp(method, "GET") == 0) {
		rs->status = 200;
		return serve_openapi(a, c);
	}
	if (strcmp(url, "/metrics") == 0 && strcmp(method, "GET") == 0) {
		rs->status = 200;
		return api_metrics_serve(c) ? MHD_YES : MHD_NO;
	}
	if (rs->too_large) {
		er_fail(&err, ER_E_TOO_LARGE, (long long)a->max_body);
		rs->status = err.status;
		return send_err(c, &err);
	}
	memset(&req, 0, sizeof(req));
	if (rs->len > 0) {
		req.body = json_loadb(rs->body, rs->len,
		    JSON_REJECT_DUPLICATES, &je);
		if (req.body == NULL) {
			er_fail(&err, ER_E_BAD_JSON, je.text);
			rs->status = err.status;
			return send_err(c, &err);
		}
	}
	req.method = method;
	req.path = url;
	req.api_version = arg(c, "api-version");
	req.if_match = hdr(c, "If-Match");
	req.if_none_match = hdr(c, "If-None-Match");
	req.since = arg(c, "since");
	memset(&resp, 0, sizeof(resp));
	if (api_txn_enter(a, &batch) == -1) {
		api_txn_leave(a, batch);
		store_failed(a, &resp);
		goto send;
	}
	arc = api_authenticate(a, hdr(c, "Authorization"), &who);
	if (arc != 0) {
		api_txn_leave(a, batch);
		json_decref(req.body);
		er_fail(&err, arc == -1 ? ER_E_AUTH_MISSING : ER_E_AUTH_INVALID);
		rs->status = err.status;
		return send_err(c, &err);
	}
	if (who.role != ER_ROLE_ADMIN &&
	    (wait = api_limit_take(a, hdr(c, "Authorization"))) > 0) {
		api_txn_leave(a, batch);
		json_decref(req.body);
		rs->status = 429;
		return send_throttled(a, c, wait);
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = a->st;
	ctx.cat = &a->cat;
	ctx.cfg = &a->cfg;
	ctx.who = who;
	ctx.now_ms = wall_ms();
	run_locked(a, &ctx, &req, &resp);
	if (api_txn_leave(a, batch) == -1)
		store_failed(a, &resp);
send:
	json_decref(req.body);
	rs->status = resp.status;
	rc = send_json(c, resp.status, resp.body, &resp, hdr(c, "Host"),
	    req.api_version);
	if (log_enabled(LOG_LVL_DEBUG))
		log_debug("%s %s -> %d (%llu us)", method, url, resp.status,
		    (unsigned long long)(mono_us() - rs->t0));
	er_resp_clear(&resp);
	return rc;
}

static int
body_append(struct api *a, struct reqst *rs, const char *d, size_t n)
{
	char *nb;
	size_t cap;

	if (rs->too_large)
		return 0;
	if (rs->len + n > a->max_body) {
		rs->too_large = true;
		free(rs->body);
		rs->body = NULL;
		rs->len = rs->cap = 0;
		return 0;
	}
	if (rs->len + n > rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 4096;
		while (cap < rs->len + n)
			cap *= 2;
		if ((nb = realloc(rs->body, cap)) == NULL)
			return -1;
		rs->body = nb;
		rs->cap = cap;
	}
	memcpy(rs->body + rs->len, d, n);
	rs->len += n;
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **cc)
{
	struct api *a = cls;
	struct reqst *rs = *cc;
	const char *cl;

	if (rs == NULL) {
		if ((rs = calloc(1, sizeof(*rs))) == NULL)
			return MHD_NO;
		rs->t0 = mono_us();
		snprintf(rs->method, sizeof(rs->method), "%s", method);
		cl = hdr(c, "Content-Length");
		*cc = rs;
		/*
		 * Answered before a byte of the body is read (and no
		 * "100 Continue" is sent): MHD closes the connection after
		 * it, so a client cannot make us read a huge upload.
		 */
		if (cl != NULL && strtoull(cl, NULL, 10) > a->max_body) {
			struct er_err err;

			rs->too_large = true;
			er_fail(&err, ER_E_TOO_LARGE, (long long)a->max_body);
			return send_err(c, &err);
		}
		return MHD_YES;
	}
	if (*size > 0) {
		if (body_append(a, rs, data, *size) == -1)
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	return respond(a, c, url, method, rs);
}

static void
on_done(void *cls, struct MHD_Connection *c, void **cc,
    enum MHD_RequestTerminationCode toe)
{
	struct reqst *rs = *cc;

	if (rs != NULL) {
		if (rs->status != 0)
			api_metrics_count(rs->method, rs->status);
		free(rs->body);
		free(rs);
		*cc = NULL;
	}
}

static int
parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	long port;
	char *end;

	if (colon == NULL || (size_t)(colon - s) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		host[strlen(host) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 :
		    -1;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*v6 = false;
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

int
api_http_start(struct api *a, const char *listen, unsigned *port)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	bool v6;

	if (parse_listen(listen, &ss, &v6) == -1) {
		log_err("api: --listen %s: expected ADDR:PORT, e.g. "
		    "127.0.0.1:8080 or [::1]:8080", listen);
		return -1;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL, on_request, a,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, a,
	    MHD_OPTION_THREAD_POOL_SIZE, 4U,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30U,
	    MHD_OPTION_CONNECTION_LIMIT, 512U,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 256U,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_err("api: cannot listen on %s", listen);
		return -1;
	}
	a->mhd = d;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : 0;
	return 0;
}

void
api_http_stop(struct api *a)
{
	if (a->mhd != NULL)
		MHD_stop_daemon(a->mhd);
	a->mhd = NULL;
}
