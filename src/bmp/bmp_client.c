/*
 * BMP client (RFC 7854 section 3.2): the monitored router connects to
 * each configured collector, sends Initiation, then Peer Up and the
 * pre-policy Adj-RIB-In (Route Monitoring, L flag clear) of every
 * Established peer, then live Route Monitoring, Peer Up/Down and Stats
 * Reports; Termination on shutdown.
 *
 * Non-blocking in the event loop: messages are queued in a per-collector
 * buffer and written when the socket can take them. A collector that
 * falls BMP_QUEUE_MAX bytes behind is dropped (the daemon never waits for
 * it) and reconnected with exponential backoff; a new connection starts
 * over with a full dump, so nothing is lost but time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bmp/bmp_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

static void	coll_io(struct ev_loop *, int, uint32_t, void *);
static void	coll_connect(struct bmp_coll *);
static void	reap(struct ev_loop *, struct ev_defer *, void *);

static const char *
coll_name(const struct bmp_coll *c, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "bmp collector %s port %u",
	    addr_ntop(&c->conf.addr, a, sizeof(a)), c->conf.port);
	return buf;
}

static void
coll_close(struct bmp_coll *c)
{
	if (c->fd != -1) {
		ev_io_del(c->b->loop, &c->io);
		close(c->fd);
	}
	c->fd = -1;
	c->up = c->connecting = false;
	bmp_sync_stop(c);
	wbuf_reset(&c->out);
	c->out_off = 0;
	ev_timer_stop(c->b->loop, &c->t_stats);
}

/* Close and try again after the backoff (1, 2, 4 ... 60 s). */
static void
coll_retry(struct bmp_coll *c, const char *why)
{
	char n[128];

	log_warn("%s: %s; reconnecting in %u s", coll_name(c, n, sizeof(n)),
	    why, c->backoff_s);
	coll_close(c);
	ev_timer_start(c->b->loop, &c->t_retry,
	    (uint64_t)c->backoff_s * USEC_PER_SEC);
	c->backoff_s = c->backoff_s * 2 > BMP_BACKOFF_MAX_S ?
	    BMP_BACKOFF_MAX_S : c->backoff_s * 2;
}

static void
coll_events(struct bmp_coll *c)
{
	uint32_t ev = EPOLLIN;

	if (c->connecting || c->out_off < c->out.len)
		ev |= EPOLLOUT;
	if (ev != c->io.events)
		ev_io_mod(c->b->loop, &c->io, ev);
}

static void
coll_flush(struct bmp_coll *c)
{
	struct wbuf *w = &c->out;

	if (wbuf_send(c->fd, w, &c->out_off) == -1) {
		coll_retry(c, strerror(errno));
		return;
	}
	if (c->out_off == w->len) {
		wbuf_reset(w);
		c->out_off = 0;
	} else if (c->out_off > w->len / 2) {
		memmove(w->p, w->p + c->out_off, w->len - c->out_off);
		w->len -= c->out_off;
		c->out_off = 0;
	}
	/* The dump waits for the collector: go on when it has room. */
	if (c->syncing && w->len - c->out_off < BMP_SYNC_LOW)
		ev_defer_schedule(c->b->loop, &c->d_sync);
	coll_events(c);
}

void
bmp_coll_kick(struct bmp_coll *c)
{
	if (c->fd != -1 && !c->connecting)
		coll_flush(c);
}

void
bmp_coll_commit(struct bmp_coll *c, size_t before, int rc, bool live)
{
	if (rc == -1 || c->out.err) {
		wbuf_truncate(&c->out, before);
		c->out.err = false;
		if (!live || c->out.len - c->out_off >= BMP_QUEUE_MAX / 2) {
			c->drops++;
			coll_retry(c, "output buffer full");
		}
		return;
	}
	if (live && c->out.len - c->out_off > BMP_QUEUE_MAX) {
		/* The collector cannot keep up: drop it, not the daemon;
		 * the next connection gets a full dump. */
		c->drops++;
		coll_retry(c, "collector too slow (output queue full)");
		return;
	}
	if (live)
		coll_flush(c);
}

static void
stats_timer(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct bmp_coll *c = arg;

	if (!c->up)
		return;
	bmp_stats(c);
	if (c->fd != -1 && c->up)
		ev_timer_start(l, &c->t_stats, (uint64_t)c->conf.stats_interval *
		    USEC_PER_SEC);
}

static void
coll_connected(struct bmp_coll *c)
{
	char n[128];
	socklen_t sl = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
		err = errno;
	if (err != 0) {
		coll_retry(c, strerror(err));
		return;
	}
	c->connecting = false;
	c->backoff_s = 1;
	log_info("%s: connected", coll_name(c, n, sizeof(n)));
	c->up = true;
	bmp_sync_start(c);
	if (c->fd == -1)
		return;
	if (c->conf.stats_interval > 0)
		ev_timer_start(c->b->loop, &c->t_stats,
		    (uint64_t)c->conf.stats_interval * USEC_PER_SEC);
	coll_flush(c);
}

static void
coll_io(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct bmp_coll *c = arg;
	uint8_t junk[512];
	ssize_t n;

	if (c->fd == -1)
		return;
	if (c->connecting) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			coll_connected(c);
		return;
	}
	if (events & EPOLLOUT)
		coll_flush(c);
	if (c->fd == -1 || !(events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		return;
	/* A collector sends nothing (RFC 7854 3.2); read to see EOF. */
	while ((n = read(c->fd, junk, sizeof(junk))) > 0)
		;
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		coll_retry(c, n == 0 ? "closed by the collector" :
		    strerror(errno));
}

static void
coll_connect(struct bmp_coll *c)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	sl = addr_to_sockaddr(&c->conf.addr, c->conf.port, &ss);
	fd = socket(c->conf.addr.af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		coll_retry(c, strerror(errno));
		return;
	}
	c->fd = fd;
	if (ev_io_add(c->b->loop, &c->io, fd, EPOLLOUT, coll_io, c) == -1) {
		close(fd);
		c->fd = -1;
		coll_retry(c, "cannot watch the socket");
		return;
	}
	c->connecting = true;
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS)
		coll_retry(c, strerror(errno));
}

static void
retry_timer(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	coll_connect(arg);
}

/* --- life cycle ---------------------------------------------------------- */

struct bmp *
bmp_new(struct ev_loop *l, struct rib *r, struct sess_mgr *sm)
{
	struct bmp *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->loop = l;
	b->rib = r;
	b->sm = sm;
	ev_defer_init(&b->reaper, reap, b);
	if (gethostname(b->name, sizeof(b->name) - 1) == -1)
		snprintf(b->name, sizeof(b->name), "xrouted");
	return b;
}

void
bmp_set_ids(struct bmp *b, uint32_t router_id, const char *name)
{
	b->router_id = router_id;
	if (name != NULL)
		snprintf(b->name, sizeof(b->name), "%s", name);
}

static struct sess_mon *
mon_desc(struct bmp *b, struct sess_mon *m)
{
	m->msg = bmp_mon_msg;
	m->state = bmp_mon_state;
	m->arg = b;
	return m;
}

static void
coll_free(struct bmp_coll *c, bool terminate)
{
	if (terminate && c->up && c->fd != -1) {
		/* Best effort: one non-blocking write of what is queued. */
		bmp_termination_encode(&c->out, BMP_TERM_ADMIN_CLOSE);
		if (!c->out.err)
			(void)send(c->fd, c->out.p + c->out_off,
			    c->out.len - c->out_off, MSG_NOSIGNAL |
			    MSG_DONTWAIT);
	}
	coll_close(c);
	ev_timer_stop(c->b->loop, &c->t_retry);
	wbuf_free(&c->out);
	/* Events for its socket may be in this turn's batch. */
	c->next = c->b->dead;
	c->b->dead = c;
	ev_defer_schedule(c->b->loop, &c->b->reaper);
}

static void
reap(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct bmp *b = arg;
	struct bmp_coll *c;

	while ((c = b->dead) != NULL) {
		b->dead = c->next;
		free(c);
	}
}

static void
mon_sync(struct bmp *b)
{
	struct sess_mon m;
	bool want = b->colls != NULL;

	if (b->sm == NULL || want == b->mon_on)
		return;
	if (want && sess_mgr_mon_add(b->sm, mon_desc(b, &m)) == -1) {
		log_err("bmp: too many session monitors");
		return;
	}
	if (!want)
		sess_mgr_mon_del(b->sm, mon_desc(b, &m));
	b->mon_on = want;
}

void
bmp_free(struct bmp *b)
{
	struct bmp_coll *c;

	if (b == NULL)
		return;
	while ((c = b->colls) != NULL) {
		b->colls = c->next;
		coll_free(c, true);
	}
	mon_sync(b);
	ev_defer_cancel(b->loop, &b->reaper);
	reap(b->loop, &b->reaper, b);
	free(b);
}

static bool
conf_same(const struct bmp_conf *a, const struct bmp_conf *b)
{
	return addr_cmp(&a->addr, &b->addr) == 0 && a->port == b->port &&
	    a->stats_interval == b->stats_interval;
}

int
bmp_set_conf(struct bmp *b, const struct bmp_conf *conf, size_t n, char *err,
    size_t errlen)
{
	struct bmp_coll *c, **pp, *keep = NULL;
	size_t i;

	while ((c = b->colls) != NULL) {
		b->colls = c->next;
		for (i = 0; i < n && !conf_same(&c->conf, &conf[i]); i++)
			;
		if (i == n) {
			coll_free(c, true);
			continue;
		}
		c->next = keep;
		keep = c;
	}
	b->colls = keep;
	for (i = 0; i < n; i++) {
		for (c = b->colls; c != NULL && !conf_same(&c->conf, &conf[i]);
		    c = c->next)
			;
		if (c != NULL)
			continue;
		if ((c = calloc(1, sizeof(*c))) == NULL ||
		    wbuf_init(&c->out, 64 * 1024, BMP_BUF_MAX) == -1) {
			free(c);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		c->b = b;
		c->conf = conf[i];
		c->fd = -1;
		c->backoff_s = 1;
		ev_timer_init(&c->t_retry, retry_timer, c);
		ev_defer_init(&c->d_sync, bmp_sync_job, c);
		ev_timer_init(&c->t_stats, stats_timer, c);
		for (pp = &b->colls; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = c;
		coll_connect(c);
	}
	mon_sync(b);
	return 0;
}
