/*
 * A strict HTTP/1.1 request-head parser for the metrics endpoint (RFC
 * 9112 sections 2-5, RFC 9110 for the status codes). Only GET is served;
 * anything unusual is refused rather than guessed at:
 *   - lines end in CRLF; a bare LF or CR, or a control byte, is 400;
 *   - request-line = method SP request-target SP HTTP-version, single
 *     spaces (RFC 9112 3); origin-form target only ("/..."), 414 when the
 *     line is longer than MX_HTTP_LINE_MAX;
 *   - a method other than GET is 405, a version other than HTTP/1.0 or
 *     HTTP/1.1 is 505;
 *   - header field = token ":" OWS value OWS; whitespace before the colon
 *     and obsolete line folding are 400 (RFC 9112 5.1, 5.2);
 *   - HTTP/1.1 needs exactly one Host (RFC 9112 3.2);
 *   - no body: Transfer-Encoding, or a Content-Length other than 0, is 400;
 *   - a head longer than MX_HTTP_HDR_MAX or with more than
 *     MX_HTTP_HEADERS_MAX fields is 431 (RFC 6585 5).
 * Input is read through the bounded reader (lib/buf.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "metrics/mx.h"

/* RFC 9110 5.6.2 tchar */
static bool
is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-.^_`|~",
	    c) != NULL);
}

/*
 * The next line (without CRLF) as a sub-view: 1, 0 when no CRLF yet, -1
 * on a bare CR or LF or a control byte other than HTAB.
 */
static int
next_line(struct rbuf *r, struct rbuf *line)
{
	const uint8_t *p = rbuf_cur(r);
	size_t n = rbuf_left(r), i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (i + 1 == n)
				return 0;
			if (p[i + 1] != '\n')
				return -1;
			rbuf_sub(r, i, line);
			rbuf_skip(r, 2);
			return 1;
		}
		if (p[i] == '\n' || p[i] == 0x7f ||
		    (p[i] < 0x20 && p[i] != '\t'))
			return -1;
	}
	return 0;
}

/* Bytes up to 'stop' (not included) as a sub-view; -1 if absent. */
static int
take_until(struct rbuf *r, uint8_t stop, struct rbuf *out)
{
	const uint8_t *p = rbuf_cur(r), *q;

	if ((q = memchr(p, stop, rbuf_left(r))) == NULL)
		return -1;
	rbuf_sub(r, (size_t)(q - p), out);
	rbuf_skip(r, 1);
	return 0;
}

static bool
view_eq(const struct rbuf *v, const char *s)
{
	return rbuf_left(v) == strlen(s) && memcmp(rbuf_cur(v), s,
	    rbuf_left(v)) == 0;
}

static int
parse_method(struct rbuf *m)
{
	size_t i;

	if (rbuf_left(m) == 0)
		return 400;
	for (i = 0; i < rbuf_left(m); i++)
		if (!is_tchar(rbuf_cur(m)[i]))
			return 400;
	return view_eq(m, "GET") ? 0 : 405;
}

static int
parse_version(const struct rbuf *v, int *minor)
{
	const uint8_t *p = rbuf_cur(v);

	if (rbuf_left(v) != 8 || memcmp(p, "HTTP/", 5) != 0 || p[6] != '.' ||
	    p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9')
		return 400;
	if (p[5] != '1' || p[7] > '1')
		return 505;
	*minor = p[7] - '0';
	return 0;
}

static int
parse_target(const struct rbuf *t, struct mx_http_req *req)
{
	const uint8_t *p = rbuf_cur(t);
	size_t n = rbuf_left(t), i;

	if (n == 0 || p[0] != '/')
		return 400;
	for (i = 0; i < n; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7f)
			return 400;
	for (i = 0; i < n && p[i] != '?' && p[i] != '#'; i++)
		req->path[i] = (char)p[i];
	req->path[i] = '\0';
	return 0;
}

static int
parse_request_line(struct rbuf line, struct mx_http_req *req)
{
	struct rbuf method, target;
	int rc;

	if (take_until(&line, ' ', &method) == -1)
		return 400;
	if ((rc = parse_method(&method)) != 0)
		return rc;
	if (take_until(&line, ' ', &target) == -1 ||
	    (rc = parse_target(&target, req)) != 0)
		return 400;
	return parse_version(&line, &req->minor);
}

static void
trim_ows(struct rbuf *v)
{
	while (rbuf_left(v) > 0 && (rbuf_cur(v)[0] == ' ' ||
	    rbuf_cur(v)[0] == '\t'))
		rbuf_skip(v, 1);
	while (rbuf_left(v) > 0 && (rbuf_cur(v)[rbuf_left(v) - 1] == ' ' ||
	    rbuf_cur(v)[rbuf_left(v) - 1] == '\t'))
		v->len--;
}

static bool
name_is(const struct rbuf *n, const char *s)
{
	return rbuf_left(n) == strlen(s) && strncasecmp((const char *)
	    rbuf_cur(n), s, rbuf_left(n)) == 0;
}

/* One header field; counts Host; 0 or a status. */
static int
parse_field(struct rbuf line, int *hosts)
{
	struct rbuf name;
	size_t i;

	if (rbuf_left(&line) > 0 && (rbuf_cur(&line)[0] == ' ' ||
	    rbuf_cur(&line)[0] == '\t'))
		return 400;			/* obs-fold */
	if (take_until(&line, ':', &name) == -1 || rbuf_left(&name) == 0)
		return 400;
	for (i = 0; i < rbuf_left(&name); i++)
		if (!is_tchar(rbuf_cur(&name)[i]))
			return 400;		/* includes space before ':' */
	trim_ows(&line);
	if (name_is(&name, "Host"))
		(*hosts)++;
	else if (name_is(&name, "Transfer-Encoding"))
		return 400;
	else if (name_is(&name, "Content-Length") && !view_eq(&line, "0"))
		return 400;
	return 0;
}

int
mx_http_parse(const uint8_t *buf, size_t len, struct mx_http_req *req,
    size_t *used)
{
	struct rbuf r, line;
	int rc, hosts = 0, nfields = 0;

	rbuf_init(&r, buf, len > MX_HTTP_HDR_MAX ? MX_HTTP_HDR_MAX : len);
	if ((rc = next_line(&r, &line)) <= 0) {
		if (rc == -1)
			return 400;
		return rbuf_left(&r) >= MX_HTTP_LINE_MAX ? 414 : 0;
	}
	if (rbuf_left(&line) >= MX_HTTP_LINE_MAX)
		return 414;
	if ((rc = parse_request_line(line, req)) != 0)
		return rc;
	for (;;) {
		if ((rc = next_line(&r, &line)) == -1)
			return 400;
		if (rc == 0)
			return len >= MX_HTTP_HDR_MAX ? 431 : 0;
		if (rbuf_left(&line) == 0)
			break;
		if (++nfields > MX_HTTP_HEADERS_MAX)
			return 431;
		if ((rc = parse_field(line, &hosts)) != 0)
			return rc;
	}
	if (hosts > 1 || (req->minor == 1 && hosts != 1))
		return 400;
	*used = r.pos;
	return 200;
}

int
mx_http_route(const struct mx_http_req *req)
{
	return strcmp(req->path, "/metrics") == 0 ? 200 : 404;
}

const char *
mx_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Internal Server Error";
	}
}

int
mx_http_response(struct wbuf *w, int status, const char *body, size_t len)
{
	char head[256], msg[128];
	int n;

	if (status != 200) {
		snprintf(msg, sizeof(msg), "%d %s%s\n", status,
		    mx_http_reason(status), status == 404 ?
		    ": metrics are at /metrics" : status == 405 ?
		    ": only GET is served" : "");
		body = msg;
		len = strlen(msg);
	}
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n%s"
	    "Cache-Control: no-store\r\nConnection: close\r\n\r\n", status,
	    mx_http_reason(status), status == 200 ?
	    "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8", len, status == 405 ?
	    "Allow: GET\r\n" : "");
	if (wbuf_put_bytes(w, head, (size_t)n) == -1 ||
	    wbuf_put_bytes(w, body, len) == -1)
		return -1;
	return 0;
}
