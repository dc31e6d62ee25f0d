/*
 * src/metrics: the exposition writer (exact text, escaping, HELP/TYPE,
 * the refusals), the HTTP request parser (every status it can return),
 * the response framing, ADDR:PORT parsing, and the responder end to end
 * on loopback through the event loop.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics/mx.h"
#include "metrics/mx_bgp.h"
#include "t.h"

static const char *
text_of(struct mx *m)
{
	static char buf[4096];
	size_t n;
	const char *p = mx_text(m, &n);

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static void
test_writer_exact(void)
{
	struct mx m;

	T_EQ(mx_init(&m, 1 << 16), 0);
	T_EQ(mx_family(&m, "bgp_peer_state", MX_GAUGE, "State of\nthe \\ "
	    "peer"), 0);
	T_EQ(mx_u64(&m, 6, "peer", "10.0.0.1", "session_state",
	    "ESTABLISHED", NULL), 0);
	T_EQ(mx_u64(&m, 1, "peer", "a\"b\\c\nd", NULL), 0);
	T_EQ(mx_family(&m, "x_total", MX_COUNTER, "c"), 0);
	T_EQ(mx_u64(&m, 18446744073709551615ull, NULL), 0);
	T_EQ(mx_family(&m, "x_f", MX_UNTYPED, ""), 0);
	T_EQ(mx_f64(&m, 0.5, NULL), 0);
	T_EQ(mx_f64(&m, INFINITY, "k", "v", NULL), 0);
	T_EQ(mx_f64(&m, NAN, "k", "w", NULL), 0);
	T_STREQ(text_of(&m),
	    "# HELP bgp_peer_state State of\\nthe \\\\ peer\n"
	    "# TYPE bgp_peer_state gauge\n"
	    "bgp_peer_state{peer=\"10.0.0.1\",session_state=\"ESTABLISHED\"} 6\n"
	    "bgp_peer_state{peer=\"a\\\"b\\\\c\\nd\"} 1\n"
	    "# HELP x_total c\n# TYPE x_total counter\n"
	    "x_total 18446744073709551615\n"
	    "# HELP x_f \n# TYPE x_f untyped\n"
	    "x_f 0.5\nx_f{k=\"v\"} +Inf\nx_f{k=\"w\"} NaN\n");
	T_CHECK(!m.err);
	mx_free(&m);
}

/* A family without samples writes nothing; a value empty label is kept. */
static void
test_writer_empty_family(void)
{
	struct mx m;

	mx_init(&m, 4096);
	T_EQ(mx_family(&m, "a", MX_GAUGE, "h"), 0);
	T_EQ(mx_family(&m, "b", MX_GAUGE, "h"), 0);
	T_EQ(mx_u64(&m, 0, "path", "", NULL), 0);
	T_STREQ(text_of(&m), "# HELP b h\n# TYPE b gauge\nb{path=\"\"} 0\n");
	mx_free(&m);
}

static void
test_writer_refusals(void)
{
	static const char *const bad_names[] = { "", "1abc", "a-b", "a b",
	    "é" };
	struct mx m;
	size_t i;

	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		mx_init(&m, 4096);
		T_EQ(mx_family(&m, bad_names[i], MX_GAUGE, "h"), -1);
		T_CHECK(m.err);
		mx_free(&m);
	}
	T_CHECK(mx_name_ok("a:b_c9"));
	T_CHECK(mx_label_name_ok("_x1"));
	T_CHECK(!mx_label_name_ok("__reserved"));
	T_CHECK(!mx_label_name_ok("a:b"));

	mx_init(&m, 4096);
	T_EQ(mx_family(&m, "bgp_received_update", MX_COUNTER, "h"), -1);
	T_STREQ(m.errmsg, "counter bgp_received_update must end in _total");
	mx_free(&m);

	mx_init(&m, 4096);
	T_EQ(mx_family(&m, "a", MX_GAUGE, "h"), 0);
	T_EQ(mx_family(&m, "b", MX_GAUGE, "h"), 0);
	T_EQ(mx_family(&m, "a", MX_GAUGE, "h"), -1);
	T_STREQ(m.errmsg, "metric family a is given twice");
	/* sticky: nothing more is written */
	T_EQ(mx_u64(&m, 1, NULL), -1);
	mx_free(&m);

	mx_init(&m, 4096);
	T_EQ(mx_u64(&m, 1, NULL), -1);		/* no family */
	mx_free(&m);

	mx_init(&m, 4096);
	mx_family(&m, "a", MX_GAUGE, "h");
	T_EQ(mx_u64(&m, 1, "x", "1", "x", "2", NULL), -1);
	T_STREQ(m.errmsg, "label x given twice");
	mx_free(&m);

	mx_init(&m, 4096);
	mx_family(&m, "a", MX_GAUGE, "h");
	T_EQ(mx_u64(&m, 1, "__name__", "1", NULL), -1);
	mx_free(&m);

	/* past the maximum: refused, not cut */
	mx_init(&m, 64);
	mx_family(&m, "a", MX_GAUGE, "h");
	T_EQ(mx_u64(&m, 1, "k", "0123456789012345678901234567890123456789",
	    NULL), -1);
	T_CHECK(m.err);
	mx_free(&m);
}

static int
parse(const char *s, struct mx_http_req *r)
{
	size_t used = 0;

	memset(r, 0, sizeof(*r));
	return mx_http_parse((const uint8_t *)s, strlen(s), r, &used);
}

static void
test_http_parse(void)
{
	static const struct {
		const char	*req;
		int		 status;
	} cases[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200 },
		{ "GET /metrics?a=1 HTTP/1.0\r\n\r\n", 200 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n"
		    "Content-Length: 0\r\n\r\n", 200 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0 },
		{ "GET /met", 0 },
		{ "", 0 },
		{ "GET /metrics HTTP/1.1\r", 0 },
		/* 400: malformed */
		{ "GET /metrics HTTP/1.1\n\n", 400 },
		{ "GET /metrics HTTP/1.1\rX", 400 },
		{ "GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET /metrics\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1 \r\nHost: x\r\n\r\n", 400 },
		{ "GET /metrics HTTQ/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET /me\x01trics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\n\r\n", 400 },	/* no Host */
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		    "\r\nhello", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
		    "chunked\r\n\r\n", 400 },
		{ " GET /metrics HTTP/1.1\r\n\r\n", 400 },
		/* 405: other methods, decided from the request line */
		{ "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 405 },
		{ "HEAD /metrics HTTP/1.1\r\n", 405 },
		{ "get /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 405 },
		/* 505 */
		{ "GET /metrics HTTP/2.0\r\n\r\n", 505 },
		{ "GET /metrics HTTP/1.2\r\n\r\n", 505 },
	};
	struct mx_http_req r;
	size_t i;
	int st;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = parse(cases[i].req, &r);
		if (st != cases[i].status)
			printf("#   case %zu: %s\n", i, cases[i].req);
		T_EQ(st, cases[i].status);
	}
	T_EQ(parse("GET /metrics?x=1#f HTTP/1.1\r\nHost: h\r\n\r\n", &r), 200);
	T_STREQ(r.path, "/metrics");
	T_EQ(r.minor, 1);
	T_EQ(mx_http_route(&r), 200);
	T_EQ(parse("GET /metricsx HTTP/1.0\r\n\r\n", &r), 200);
	T_EQ(mx_http_route(&r), 404);
	T_EQ(parse("GET / HTTP/1.0\r\n\r\n", &r), 200);
	T_EQ(mx_http_route(&r), 404);
}

static void
test_http_limits(void)
{
	struct mx_http_req r;
	char *big = malloc(MX_HTTP_HDR_MAX + 512);
	size_t n, used;
	int i;

	/* a request line past MX_HTTP_LINE_MAX: 414, complete or not */
	n = (size_t)snprintf(big, MX_HTTP_HDR_MAX, "GET /");
	memset(big + n, 'a', MX_HTTP_LINE_MAX);
	big[n + MX_HTTP_LINE_MAX] = '\0';
	T_EQ(parse(big, &r), 414);
	strcat(big, " HTTP/1.1\r\nHost: x\r\n\r\n");
	T_EQ(parse(big, &r), 414);
	/* headers past MX_HTTP_HDR_MAX without an end: 431 */
	n = (size_t)snprintf(big, MX_HTTP_HDR_MAX, "GET /metrics HTTP/1.1\r\n");
	while (n < MX_HTTP_HDR_MAX + 100)
		n += (size_t)sprintf(big + n, "X-Filler: 0123456789\r\n");
	T_EQ(mx_http_parse((uint8_t *)big, n, &r, &used), 431);
	/* more than MX_HTTP_HEADERS_MAX fields: 431 */
	n = (size_t)sprintf(big, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
	for (i = 0; i < MX_HTTP_HEADERS_MAX; i++)
		n += (size_t)sprintf(big + n, "A: b\r\n");
	strcpy(big + n, "\r\n");
	T_EQ(parse(big, &r), 431);
	free(big);
}

static void
test_http_response(void)
{
	struct wbuf w;
	char *s;

	wbuf_init(&w, 256, 4096);
	T_EQ(mx_http_response(&w, 200, "a 1\n", 4), 0);
	wbuf_put_u8(&w, 0);
	s = (char *)w.p;
	T_CHECK(strncmp(s, "HTTP/1.1 200 OK\r\n", 17) == 0);
	T_CHECK(strstr(s, "Content-Type: text/plain; version=0.0.4; "
	    "charset=utf-8\r\n") != NULL);
	T_CHECK(strstr(s, "Content-Length: 4\r\n") != NULL);
	T_CHECK(strstr(s, "Connection: close\r\n\r\na 1\n") != NULL);
	wbuf_reset(&w);
	T_EQ(mx_http_response(&w, 405, NULL, 0), 0);
	wbuf_put_u8(&w, 0);
	s = (char *)w.p;
	T_CHECK(strncmp(s, "HTTP/1.1 405 Method Not Allowed\r\n", 33) == 0);
	T_CHECK(strstr(s, "Allow: GET\r\n") != NULL);
	T_CHECK(strstr(s, "\r\n\r\n405 Method Not Allowed: only GET is "
	    "served\n") != NULL);
	wbuf_free(&w);
}

static void
test_parse_listen(void)
{
	char err[256], as[ADDR_STRLEN];
	struct addr a;
	uint16_t port;

	T_EQ(mx_parse_listen("127.0.0.1:9179", &a, &port, err, sizeof(err)),
	    0);
	T_STREQ(addr_ntop(&a, as, sizeof(as)), "127.0.0.1");
	T_EQ(port, 9179);
	T_EQ(mx_parse_listen("[::1]:0", &a, &port, err, sizeof(err)), 0);
	T_STREQ(addr_ntop(&a, as, sizeof(as)), "::1");
	T_EQ(port, 0);
	T_EQ(mx_parse_listen("::1:80", &a, &port, err, sizeof(err)), -1);
	T_EQ(mx_parse_listen("127.0.0.1", &a, &port, err, sizeof(err)), -1);
	T_STREQ(err, "metrics address '127.0.0.1' is not ADDR:PORT (e.g. "
	    "127.0.0.1:9179 or [::1]:9179, port 0-65535)");
	T_EQ(mx_parse_listen("127.0.0.1:65536", &a, &port, err, sizeof(err)),
	    -1);
	T_EQ(mx_parse_listen("host:80", &a, &port, err, sizeof(err)), -1);
	T_EQ(mx_parse_listen("1.2.3.4:", &a, &port, err, sizeof(err)), -1);
}

static void
test_ctx_split(void)
{
	char c[64], p[64];

	mx_ctx_split("b6f5c2a0-skey/AzurePrivatePeering", c, sizeof(c), p,
	    sizeof(p));
	T_STREQ(c, "b6f5c2a0-skey");
	T_STREQ(p, "AzurePrivatePeering");
	mx_ctx_split("c1", c, sizeof(c), p, sizeof(p));
	T_STREQ(c, "");
	T_STREQ(p, "");
	mx_ctx_split("a/b/c", c, sizeof(c), p, sizeof(p));
	T_STREQ(c, "");
}

/* --- the responder through a real loop and socket ------------------------ */

static int ncollect;

static int
collect(void *arg, struct mx *m)
{
	ncollect++;
	mx_family(m, "t_up", MX_GAUGE, "test");
	return mx_u64(m, 1, "who", (const char *)arg, NULL);
}

/* Send 'req' and run the loop until the server closes; the answer. */
static void
exchange(struct ev_loop *l, uint16_t port, const char *req, char *out,
    size_t outlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_port = htons(port) };
	size_t got = 0;
	ssize_t n;
	int fd, i;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	for (i = 0; i < 50; i++)
		ev_run_once(l, 1000);
	send(fd, req, strlen(req), MSG_NOSIGNAL);
	for (i = 0; i < 200; i++) {
		ev_run_once(l, 1000);
		n = recv(fd, out + got, outlen - 1 - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0)
			break;
	}
	out[got] = '\0';
	close(fd);
}

static void
test_responder(void)
{
	struct ev_loop *l = ev_loop_new();
	struct mx_srv *s;
	struct addr a;
	char err[256], out[4096];

	addr_parse("127.0.0.1", &a);
	s = mx_srv_new(l, &a, 0, collect, (void *)"me", err, sizeof(err));
	T_CHECK(s != NULL);
	if (s == NULL)
		return;
	T_CHECK(mx_srv_port(s) != 0);
	exchange(l, mx_srv_port(s), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n",
	    out, sizeof(out));
	T_CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
	T_CHECK(strstr(out, "\r\n\r\n# HELP t_up test\n# TYPE t_up gauge\n"
	    "t_up{who=\"me\"} 1\n") != NULL);
	T_EQ(ncollect, 1);
	exchange(l, mx_srv_port(s), "DELETE /metrics HTTP/1.1\r\n", out,
	    sizeof(out));
	T_CHECK(strncmp(out, "HTTP/1.1 405 ", 13) == 0);
	exchange(l, mx_srv_port(s), "GET /x HTTP/1.0\r\n\r\n", out,
	    sizeof(out));
	T_CHECK(strncmp(out, "HTTP/1.1 404 ", 13) == 0);
	T_EQ(ncollect, 1);	/* errors never collect */
	mx_srv_free(s);
	/* a port in use: a clear error */
	s = mx_srv_new(l, &a, 0, collect, NULL, err, sizeof(err));
	T_CHECK(s != NULL);
	if (s != NULL) {
		struct mx_srv *s2 = mx_srv_new(l, &a, mx_srv_port(s), collect,
		    NULL, err, sizeof(err));
		T_CHECK(s2 == NULL);
		T_CHECK(strstr(err, "metrics: cannot listen on 127.0.0.1 "
		    "port") != NULL);
		mx_srv_free(s2);
		mx_srv_free(s);
	}
	ev_run_once(l, 0);	/* reap deferred frees */
	ev_loop_free(l);
}

static void
test_process(void)
{
	struct mx m;
	const char *t;

	mx_init(&m, 1 << 16);
	mx_process(&m);
	t = text_of(&m);
	T_CHECK(!m.err);
	T_CHECK(strstr(t, "# TYPE process_resident_memory_bytes gauge\n"
	    "process_resident_memory_bytes ") != NULL);
	T_CHECK(strstr(t, "# TYPE process_cpu_seconds_total counter\n") !=
	    NULL);
	T_CHECK(strstr(t, "process_open_fds ") != NULL);
	mx_free(&m);
}

int
main(void)
{
	T_RUN(test_writer_exact);
	T_RUN(test_writer_empty_family);
	T_RUN(test_writer_refusals);
	T_RUN(test_http_parse);
	T_RUN(test_http_limits);
	T_RUN(test_http_response);
	T_RUN(test_parse_listen);
	T_RUN(test_ctx_split);
	T_RUN(test_responder);
	T_RUN(test_process);
	return t_done();
}
