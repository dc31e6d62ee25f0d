/*
 * The metrics responder inside the event loop: one non-blocking listening
 * socket, at most MX_CONNS connections, one request per connection
 * (Connection: close). A connection that has not sent a complete head
 * within MX_TIMEOUT_MS, or not taken its answer by then, is dropped, so a
 * slow or silent client costs a few kilobytes and never blocks the loop.
 * Collection runs in the loop thread, between other events: it reads the
 * RIB and the sessions without locks because nothing else touches them.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "metrics/mx.h"

#define MX_CONNS	16
#define MX_TIMEOUT_MS	5000

struct mx_conn {
	struct mx_srv	*srv;
	struct mx_conn	*next;
	int		 fd;
	struct ev_io	 io;
	struct ev_timer	 tmo;
	struct ev_defer	 reap;
	uint8_t		 in[MX_HTTP_HDR_MAX];
	size_t		 inlen;
	struct wbuf	 out;
	size_t		 off;
	bool		 writing;
};

struct mx_srv {
	struct ev_loop	*loop;
	int		 fd;
	struct ev_io	 io;
	uint16_t	 port;
	mx_collect_fn	*collect;
	void		*arg;
	struct mx_conn	*conns;
	unsigned	 nconns;
	uint64_t	 scrapes, errors;
};

static void
conn_reap(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct mx_conn *c = arg;

	wbuf_free(&c->out);
	free(c);
}

/* Close now; the memory goes at the next turn (events may be pending). */
static void
conn_close(struct mx_conn *c)
{
	struct mx_srv *s = c->srv;
	struct mx_conn **pp;

	for (pp = &s->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	s->nconns--;
	ev_io_del(s->loop, &c->io);
	ev_timer_stop(s->loop, &c->tmo);
	close(c->fd);
	c->fd = -1;
	ev_defer_schedule(s->loop, &c->reap);
}

static void
conn_write(struct mx_conn *c)
{
	ssize_t n;

	while (c->off < c->out.len) {
		n = send(c->fd, c->out.p + c->off, c->out.len - c->off,
		    MSG_NOSIGNAL);
		if (n > 0) {
			c->off += (size_t)n;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		break;
	}
	shutdown(c->fd, SHUT_WR);
	conn_close(c);
}

static int
collect_body(struct mx_srv *s, struct mx *m)
{
	if (mx_init(m, MX_BODY_MAX) == -1)
		return -1;
	if (s->collect(s->arg, m) == -1 || m->err) {
		log_warn("metrics: scrape failed: %s", m->err ? m->errmsg :
		    "collector error");
		return -1;
	}
	return 0;
}

/* Build the whole answer, then write it as the socket takes it. */
static void
conn_answer(struct mx_conn *c, int status)
{
	struct mx_srv *s = c->srv;
	const char *body = NULL;
	size_t len = 0;
	struct mx m;

	memset(&m, 0, sizeof(m));
	if (status == 200) {
		s->scrapes++;
		if (collect_body(s, &m) == 0)
			body = mx_text(&m, &len);
		else {
			s->errors++;
			status = 500;
		}
	}
	if (wbuf_init(&c->out, len + 512, len + 512) == -1 ||
	    mx_http_response(&c->out, status, body, len) == -1) {
		mx_free(&m);
		conn_close(c);
		return;
	}
	mx_free(&m);
	c->writing = true;
	/* a client that does not read its answer is dropped as well */
	ev_timer_start(s->loop, &c->tmo, (uint64_t)MX_TIMEOUT_MS * 1000);
	ev_io_mod(s->loop, &c->io, EPOLLOUT);
	conn_write(c);
}

static void
conn_read(struct mx_conn *c)
{
	struct mx_http_req req;
	size_t used;
	ssize_t n;
	int st;

	n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->inlen += (size_t)n;
	memset(&req, 0, sizeof(req));
	st = mx_http_parse(c->in, c->inlen, &req, &used);
	if (st == 0)
		return;
	if (st == 200)
		st = mx_http_route(&req);
	conn_answer(c, st);
}

static void
conn_io(struct ev_loop *l, int fd, uint32_t ev, void *arg)
{
	struct mx_conn *c = arg;

	if (c->fd == -1)
		return;
	if (c->writing)
		conn_write(c);
	else if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(c);
}

static void
conn_timeout(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct mx_conn *c = arg;

	if (!c->writing && c->inlen > 0) {
		conn_answer(c, 408);
		return;
	}
	conn_close(c);
}

static void
srv_accept(struct ev_loop *l, int fd, uint32_t ev, void *arg)
{
	struct mx_srv *s = arg;
	struct mx_conn *c;
	int cfd;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd == -1)
		return;
	if (s->nconns >= MX_CONNS || (c = calloc(1, sizeof(*c))) == NULL) {
		close(cfd);		/* busy: the scraper retries */
		return;
	}
	c->srv = s;
	c->fd = cfd;
	ev_defer_init(&c->reap, conn_reap, c);
	ev_timer_init(&c->tmo, conn_timeout, c);
	if (ev_io_add(l, &c->io, cfd, EPOLLIN, conn_io, c) == -1) {
		close(cfd);
		free(c);
		return;
	}
	ev_timer_start(l, &c->tmo, (uint64_t)MX_TIMEOUT_MS * 1000);
	c->next = s->conns;
	s->conns = c;
	s->nconns++;
}

static int
srv_bind(struct mx_srv *s, const struct addr *a, uint16_t port, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char as[ADDR_STRLEN];
	int one = 1;

	sl = addr_to_sockaddr(a, port, &ss);
	if ((s->fd = socket(a->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(s->fd, 16) == -1) {
		snprintf(err, errlen, "metrics: cannot listen on %s port %u: "
		    "%s", addr_ntop(a, as, sizeof(as)), port, strerror(errno));
		if (s->fd != -1)
			close(s->fd);
		return -1;
	}
	sl = sizeof(ss);
	if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) == 0)
		s->port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

struct mx_srv *
mx_srv_new(struct ev_loop *l, const struct addr *a, uint16_t port,
    mx_collect_fn *collect, void *arg, char *err, size_t errlen)
{
	struct mx_srv *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->loop = l;
	s->collect = collect;
	s->arg = arg;
	if (srv_bind(s, a, port, err, errlen) == -1) {
		free(s);
		return NULL;
	}
	if (ev_io_add(l, &s->io, s->fd, EPOLLIN, srv_accept, s) == -1) {
		snprintf(err, errlen, "metrics: %s", strerror(errno));
		close(s->fd);
		free(s);
		return NULL;
	}
	return s;
}

void
mx_srv_free(struct mx_srv *s)
{
	struct mx_conn *c;

	if (s == NULL)
		return;
	while ((c = s->conns) != NULL) {
		s->conns = c->next;
		ev_io_del(s->loop, &c->io);
		ev_timer_stop(s->loop, &c->tmo);
		close(c->fd);
		wbuf_free(&c->out);
		free(c);
	}
	ev_io_del(s->loop, &s->io);
	close(s->fd);
	free(s);
}

uint16_t
mx_srv_port(const struct mx_srv *s)
{
	return s->port;
}

int
mx_parse_listen(const char *str, struct addr *a, uint16_t *port, char *err,
    size_t errlen)
{
	char host[ADDR_STRLEN + 2];
	const char *colon = strrchr(str, ':'), *h = host;
	unsigned long p;
	char *end;
	size_t n;

	if (colon == NULL || colon == str)
		goto bad;
	n = (size_t)(colon - str);
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, str, n);
	host[n] = '\0';
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			goto bad;
		host[n - 1] = '\0';
		h = host + 1;
	}
	p = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || p > 65535 ||
	    addr_parse(h, a) == -1 || (a->af == AF_INET6 && h == host))
		goto bad;
	*port = (uint16_t)p;
	return 0;
bad:
	snprintf(err, errlen, "metrics address '%s' is not ADDR:PORT "
	    "(e.g. 127.0.0.1:9179 or [::1]:9179, port 0-65535)", str);
	return -1;
}
