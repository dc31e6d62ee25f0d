/*
 * A small HTTP/1.1 client for xrctl: one request per connection
 * (Connection: close), bodies up to 64 MiB, JSON in and out. Only
 * http://HOST:PORT URLs; the API role listens on loopback or behind a
 * TLS-terminating proxy.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "res.h"

#define RES_MAX_RESP	(64u << 20)

static int
split_url(const char *api, char *host, size_t hl, char *port, size_t pl,
    char *prefix, size_t xl)
{
	const char *p = api, *slash, *colon;

	if (strncmp(p, "http://", 7) != 0)
		return -1;
	p += 7;
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = p + strlen(p);
	snprintf(prefix, xl, "%s", *slash ? slash : "");
	if (*p == '[') {
		const char *end = strchr(p, ']');

		if (end == NULL || end > slash)
			return -1;
		snprintf(host, hl, "%.*s", (int)(end - p - 1), p + 1);
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(slash - p));
		snprintf(host, hl, "%.*s", (int)((colon ? colon : slash) - p), p);
	}
	if (colon != NULL)
		snprintf(port, pl, "%.*s", (int)(slash - colon - 1), colon + 1);
	else
		snprintf(port, pl, "80");
	/* strip a trailing slash of the prefix */
	if (*prefix && prefix[strlen(prefix) - 1] == '/')
		prefix[strlen(prefix) - 1] = '\0';
	return 0;
}

static int
dial(const char *host, const char *port)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int
send_all(int fd, const char *b, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *
read_all(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *b = malloc(cap), *nb;
	ssize_t r;

	while (b != NULL) {
		if (n + 1 >= cap) {
			if (cap >= RES_MAX_RESP || (nb = realloc(b, cap * 2)) ==
			    NULL) {
				free(b);
				return NULL;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (b != NULL)
		b[n] = '\0';
	*len = n;
	return b;
}

/* Header value (case-insensitive name) from the raw head; NULL if none. */
static const char *
header(const char *head, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);
	const char *p = head;

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			p += nl + 1;
			while (*p == ' ')
				p++;
			snprintf(out, len, "%.*s", (int)strcspn(p, "\r\n"), p);
			return out;
		}
	}
	return NULL;
}

/* The path of an absolute URL header value, without the query. */
static void
url_path(const char *url, char *out, size_t len)
{
	const char *q;
	char *e;

	if (url == NULL || (q = strstr(url, "://")) == NULL ||
	    (q = strchr(q + 3, '/')) == NULL)
		return;
	snprintf(out, len, "%s", q);
	if ((e = strchr(out, '?')) != NULL)
		*e = '\0';
}

int
res_http(const char *api, const char *token, const char *method,
    const char *path, json_t *body, struct res_http_resp *r)
{
	char host[256], port[16], prefix[256], *req, *txt = NULL, *resp, *sep;
	char loc[1024];
	size_t blen = 0, rlen;
	int fd, n;

	memset(r, 0, sizeof(*r));
	if (split_url(api, host, sizeof(host), port, sizeof(port), prefix,
	    sizeof(prefix)) == -1) {
		fprintf(stderr, "xrctl: --api %s: expected http://HOST:PORT\n",
		    api);
		return -1;
	}
	if ((fd = dial(host, port)) == -1) {
		fprintf(stderr, "xrctl: cannot connect to the API at %s: %s\n",
		    api, strerror(errno));
		return -1;
	}
	if (body != NULL) {
		txt = json_dumps(body, JSON_COMPACT);
		blen = txt ? strlen(txt) : 0;
	}
	n = asprintf(&req, "%s %s%s%capi-version=2025-07-01 HTTP/1.1\r\n"
	    "Host: %s:%s\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", method, prefix, path,
	    strchr(path, '?') ? '&' : '?', host, port, token ? token : "",
	    blen);
	if (n < 0 || send_all(fd, req, (size_t)n) == -1 ||
	    (blen && send_all(fd, txt, blen) == -1)) {
		fprintf(stderr, "xrctl: sending to %s failed\n", api);
		free(txt);
		close(fd);
		return -1;
	}
	free(req);
	free(txt);
	resp = read_all(fd, &rlen);
	close(fd);
	if (resp == NULL || sscanf(resp, "HTTP/1.%*d %d", &r->status) != 1 ||
	    (sep = strstr(resp, "\r\n\r\n")) == NULL) {
		fprintf(stderr, "xrctl: malformed answer from %s\n", api);
		free(resp);
		return -1;
	}
	*sep = '\0';
	url_path(header(resp, "Azure-AsyncOperation", loc, sizeof(loc)),
	    r->async_op, sizeof(r->async_op));
	url_path(header(resp, "Location", loc, sizeof(loc)), r->location,
	    sizeof(r->location));
	if (sep[4] != '\0')
		r->body = json_loads(sep + 4, 0, NULL);
	free(resp);
	return 0;
}
