/*
 * The control socket server: a UNIX stream socket (mode 0660), one
 * request per line, one JSON reply per line (protocol in ctl.h and
 * docs/xrctl.8). Clients are checked with SO_PEERCRED before a byte is
 * read: root, the daemon's own user, or the socket file's group.
 *
 * A client is served one request at a time: reading pauses while a reply
 * is being written, so a client that does not read cannot make the daemon
 * buffer without bound.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "lib/log.h"

#define CTL_MAX_CLIENTS	32
#define CTL_MAX_WORDS	64
#define CTL_IDLE_US	(60ULL * 1000000)	/* a silent client is dropped */

struct ctl_client {
	struct ctl_server	*srv;
	struct ctl_client	*next;
	int			 fd;
	struct ev_io		 io;
	struct ev_timer		 idle;
	char			*in;
	size_t			 inlen;
	char			*out;
	size_t			 outlen, outoff;
	bool			 close_after;
};

struct ctl_server {
	struct ev_loop		*loop;
	struct ctl_env		*env;
	int			 fd;
	struct ev_io		 io;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_client	*clients;
	unsigned		 nclients;
	struct ctl_client	*dead;
	struct ev_defer		 reaper;
};

static void	client_cb(struct ev_loop *, int, uint32_t, void *);

static void
reaper_cb(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct ctl_server *srv = arg;
	struct ctl_client *c;

	while ((c = srv->dead) != NULL) {
		srv->dead = c->next;
		free(c->in);
		free(c->out);
		free(c);
	}
}

static void
client_close(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	struct ctl_client **pp;

	ev_io_del(srv->loop, &c->io);
	ev_timer_stop(srv->loop, &c->idle);
	close(c->fd);
	for (pp = &srv->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	srv->nclients--;
	c->next = srv->dead;
	srv->dead = c;
	ev_defer_schedule(srv->loop, &srv->reaper);
}

static void
client_events(struct ctl_client *c)
{
	ev_io_mod(c->srv->loop, &c->io, c->outoff < c->outlen ? EPOLLOUT :
	    EPOLLIN);
}

/* Write what we can; 0 to go on, -1 if the client was closed. */
static int
client_flush(struct ctl_client *c)
{
	ssize_t n;

	while (c->outoff < c->outlen) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			c->outoff += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else {
			client_close(c);
			return -1;
		}
	}
	if (c->outoff == c->outlen) {
		free(c->out);
		c->out = NULL;
		c->outlen = c->outoff = 0;
		if (c->close_after) {
			client_close(c);
			return -1;
		}
	}
	client_events(c);
	return 0;
}

static void
client_reply(struct ctl_client *c, json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT);
	size_t n;

	json_decref(reply);
	if (s == NULL) {
		c->close_after = true;
		return;
	}
	n = strlen(s);
	free(c->out);
	c->out = s;
	s[n] = '\n';		/* json_dumps leaves room: replace the NUL */
	c->outlen = n + 1;
	c->outoff = 0;
}

static json_t *
error_reply(const char *msg)
{
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

/* Words of a request: a JSON object {"command": [...]} or a text line. */
static int
request_words(char *line, char **argv, json_t **doc, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *cmd, *w;
	size_t i;
	int n;

	*doc = NULL;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != '{') {
		if ((n = ctl_split(line, argv, CTL_MAX_WORDS)) == -1)
			snprintf(err, errlen, "bad request line (unbalanced "
			    "quote or more than %d words)", CTL_MAX_WORDS);
		return n;
	}
	if ((*doc = json_loads(line, 0, &je)) == NULL) {
		snprintf(err, errlen, "bad JSON request: %s", je.text);
		return -1;
	}
	cmd = json_object_get(*doc, "command");
	if (!json_is_array(cmd) || json_array_size(cmd) > CTL_MAX_WORDS) {
		snprintf(err, errlen, "a JSON request needs \"command\": an "
		    "array of at most %d strings", CTL_MAX_WORDS);
		return -1;
	}
	json_array_foreach(cmd, i, w) {
		if (!json_is_string(w)) {
			snprintf(err, errlen, "\"command\" must hold strings");
			return -1;
		}
		argv[i] = (char *)json_string_value(w);
	}
	return (int)json_array_size(cmd);
}

static void
client_request(struct ctl_client *c, char *line)
{
	char *argv[CTL_MAX_WORDS], err[512] = "";
	struct ctl_req req;
	json_t *doc, *res, *reply;
	int argc;

	argc = request_words(line, argv, &doc, err, sizeof(err));
	if (argc < 0 || ctl_cmd_parse(argc, argv, &req, err, sizeof(err)) ==
	    -1) {
		json_decref(doc);
		client_reply(c, error_reply(err));
		return;
	}
	json_decref(doc);
	if ((res = ctl_exec(c->srv->env, &req, err, sizeof(err))) == NULL) {
		client_reply(c, error_reply(err[0] ? err : "failed"));
		return;
	}
	reply = json_object();
	json_object_set_new(reply, "ok", json_true());
	json_object_set_new(reply, "kind", json_string(ctl_op_kind(req.op)));
	json_object_set_new(reply, "result", res);
	client_reply(c, reply);
}

/* Serve one buffered request line, if there is one. */
static bool
client_take_line(struct ctl_client *c)
{
	char *nl;

	if ((nl = memchr(c->in, '\n', c->inlen)) == NULL)
		return false;
	*nl = '\0';
	client_request(c, c->in);
	c->inlen -= (size_t)(nl + 1 - c->in);
	memmove(c->in, nl + 1, c->inlen);
	client_flush(c);
	return true;
}

static void
client_read(struct ctl_client *c)
{
	ssize_t n;

	n = read(c->fd, c->in + c->inlen, CTL_LINE_MAX - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->inlen += (size_t)n;
	if (client_take_line(c))
		return;
	if (c->inlen == CTL_LINE_MAX) {
		client_reply(c, error_reply("request line too long"));
		c->close_after = true;
		client_flush(c);
	}
}

static void
client_idle_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	client_close(arg);
}

static void
client_cb(struct ev_loop *l, int fd, uint32_t events, void *arg)
{
	struct ctl_client *c = arg;

	ev_timer_start(l, &c->idle, CTL_IDLE_US);

	if (events & EPOLLOUT) {
		if (client_flush(c) == -1)
			return;
		/* A pipelined request may wait in the buffer. */
		if (c->outoff == c->outlen && client_take_line(c))
			return;
	}
	if (c->outoff == c->outlen && (events & (EPOLLIN | EPOLLHUP |
	    EPOLLERR)))
		client_read(c);
}

static bool
peer_allowed(struct ctl_server *srv, int fd, char *why, size_t len)
{
	struct ucred cr;
	socklen_t sl = sizeof(cr);
	struct stat st;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &sl) == -1) {
		snprintf(why, len, "cannot read peer credentials");
		return false;
	}
	if (cr.uid == 0 || cr.uid == geteuid())
		return true;
	if (stat(srv->path, &st) == 0 && cr.gid == st.st_gid)
		return true;
	snprintf(why, len, "permission denied: uid %u is not root and gid %u "
	    "is not the socket's group", (unsigned)cr.uid, (unsigned)cr.gid);
	return false;
}

static void
accept_cb(struct ev_loop *l, int lfd, uint32_t events, void *arg)
{
	struct ctl_server *srv = arg;
	struct ctl_client *c;
	char why[160], msg[200];
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if (!peer_allowed(srv, fd, why, sizeof(why)) ||
		    srv->nclients >= CTL_MAX_CLIENTS) {
			if (srv->nclients >= CTL_MAX_CLIENTS)
				snprintf(why, sizeof(why), "too many clients");
			snprintf(msg, sizeof(msg),
			    "{\"ok\":false,\"error\":\"%s\"}\n", why);
			if (write(fd, msg, strlen(msg)) == -1)
				log_debug("control: %s", strerror(errno));
			close(fd);
			log_warn("control socket: refused a client: %s", why);
			continue;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL ||
		    (c->in = malloc(CTL_LINE_MAX)) == NULL) {
			free(c);
			close(fd);
			continue;
		}
		c->srv = srv;
		c->fd = fd;
		ev_timer_init(&c->idle, client_idle_cb, c);
		if (ev_io_add(l, &c->io, fd, EPOLLIN, client_cb, c) == -1) {
			free(c->in);
			free(c);
			close(fd);
			continue;
		}
		ev_timer_start(l, &c->idle, CTL_IDLE_US);
		c->next = srv->clients;
		srv->clients = c;
		srv->nclients++;
	}
}

/* Is a live daemon answering on this path? */
static bool
socket_in_use(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool used;

	if (fd == -1)
		return false;
	used = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return used;
}

struct ctl_server *
ctl_server_new(struct ev_loop *loop, const char *path, struct ctl_env *env,
    char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ctl_server *srv;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path %s is too long "
		    "(at most %zu bytes)", path, sizeof(sun.sun_path) - 1);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "control socket %s exists and "
			    "is not a socket", path);
			return NULL;
		}
		if (socket_in_use(&sun)) {
			snprintf(err, errlen, "control socket %s is in use "
			    "(is another xrouted running?)", path);
			return NULL;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, 16) == -1) {
		snprintf(err, errlen, "control socket %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	srv->loop = loop;
	srv->env = env;
	srv->fd = fd;
	memcpy(srv->path, path, strlen(path) + 1);
	ev_defer_init(&srv->reaper, reaper_cb, srv);
	if (ev_io_add(loop, &srv->io, fd, EPOLLIN, accept_cb, srv) == -1) {
		snprintf(err, errlen, "control socket: epoll: %s",
		    strerror(errno));
		close(fd);
		free(srv);
		return NULL;
	}
	return srv;
}

void
ctl_server_free(struct ctl_server *srv)
{
	if (srv == NULL)
		return;
	while (srv->clients != NULL)
		client_close(srv->clients);
	ev_io_del(srv->loop, &srv->io);
	close(srv->fd);
	unlink(srv->path);
	ev_defer_cancel(srv->loop, &srv->reaper);
	reaper_cb(srv->loop, &srv->reaper, srv);
	free(srv);
}
