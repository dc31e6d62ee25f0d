/*
 * Client side of the control socket: send one request, read one reply
 * line. Used by xrctl, and by anything else that wants live data from a
 * running xrouted (the API reads route tables this way).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "lib/mtime.h"

#define CTL_CALL_TIMEOUT_MS	60000

static int
ctl_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path %s is too long", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errlen, "cannot reach xrouted at %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read up to the first newline into a growing buffer. */
static char *
read_line(int fd, char *err, size_t errlen)
{
	uint64_t deadline = mono_us() + CTL_CALL_TIMEOUT_MS * USEC_PER_MSEC;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap), *nb;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int left;

	while (buf != NULL) {
		left = (int)((deadline - mono_us()) / USEC_PER_MSEC);
		if (mono_us() >= deadline || poll(&pfd, 1, left) == 0) {
			snprintf(err, errlen, "no reply from xrouted within "
			    "%d s", CTL_CALL_TIMEOUT_MS / 1000);
			break;
		}
		if (len + 1 >= cap) {
			if ((nb = realloc(buf, cap * 2)) == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "xrouted closed the connection "
			    "without a reply");
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf + len - (size_t)n, '\n', (size_t)n) != NULL)
			return buf;
	}
	free(buf);
	return NULL;
}

int
ctl_call(const char *path, int argc, char *const *argv, json_t **reply,
    char *err, size_t errlen)
{
	json_t *req = json_object(), *words = json_array();
	json_error_t je;
	char *s, *line;
	int fd, i, rc;

	*reply = NULL;
	for (i = 0; i < argc; i++)
		json_array_append_new(words, json_string(argv[i]));
	json_object_set_new(req, "command", words);
	s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (s == NULL) {
		snprintf(err, errlen, "cannot encode the request (is it "
		    "valid UTF-8?)");
		return -1;
	}
	if ((fd = ctl_connect(path, err, errlen)) == -1) {
		free(s);
		return -1;
	}
	rc = send_all(fd, s, strlen(s));
	free(s);
	if (rc == -1 || send_all(fd, "\n", 1) == -1) {
		snprintf(err, errlen, "cannot send to xrouted: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	line = read_line(fd, err, errlen);
	close(fd);
	if (line == NULL)
		return -1;
	*reply = json_loads(line, JSON_DISABLE_EOF_CHECK, &je);
	free(line);
	if (*reply == NULL) {
		snprintf(err, errlen, "bad reply from xrouted: %s", je.text);
		return -1;
	}
	return 0;
}
