/*
 * MRT files: records are appended to a memory buffer and written to
 * NAME.tmp in slices of MRT_SLICE bytes per event-loop turn, so a slow
 * disk or a huge table never holds the loop for long; the file is renamed
 * to NAME only once complete, so a reader never sees half a dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "mrt/mrt_int.h"

static void	file_job(struct ev_loop *, struct ev_defer *, void *);

int
mrt_path_expand(const char *pattern, char *out, size_t outlen)
{
	struct tm tm;
	time_t now = time(NULL);

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(out, outlen, pattern, &tm) == 0)
		return -1;
	return 0;
}

struct mrt_file *
mrt_file_open(struct mrt *m, const char *path, char *err, size_t errlen)
{
	struct mrt_file *f;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    wbuf_init(&f->buf, 64 * 1024, MRT_BUF_MAX) == -1) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->m = m;
	snprintf(f->path, sizeof(f->path), "%s", path);
	snprintf(f->tmp, sizeof(f->tmp), "%s.tmp", path);
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->fd == -1) {
		snprintf(err, errlen, "cannot create %s: %s", f->tmp,
		    strerror(errno));
		wbuf_free(&f->buf);
		free(f);
		return NULL;
	}
	ev_defer_init(&f->d, file_job, f);
	f->next = m->files;
	m->files = f;
	return f;
}

static void
file_unlink(struct mrt_file *f)
{
	struct mrt_file **pp;

	for (pp = &f->m->files; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
}

static void
file_done(struct mrt_file *f)
{
	if (f->fd != -1 && close(f->fd) == -1 && !f->failed) {
		log_err("mrt: %s: %s", f->tmp, strerror(errno));
		f->failed = true;
	}
	f->fd = -1;
	if (f->failed)
		unlink(f->tmp);
	else if (rename(f->tmp, f->path) == -1)
		log_err("mrt: cannot rename %s to %s: %s", f->tmp, f->path,
		    strerror(errno));
	else if (f->dropped > 0)
		log_warn("mrt: %s: %llu records dropped (buffer full)",
		    f->path, (unsigned long long)f->dropped);
	ev_defer_cancel(f->m->loop, &f->d);
	file_unlink(f);
	wbuf_free(&f->buf);
	free(f);
}

/* Write at most 'max' bytes; false on an error (the file is discarded). */
static bool
file_write(struct mrt_file *f, size_t max)
{
	struct wbuf *w = &f->buf;
	size_t n;
	ssize_t k;

	while (max > 0 && f->off < w->len) {
		n = w->len - f->off < max ? w->len - f->off : max;
		k = write(f->fd, w->p + f->off, n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0) {
			log_err("mrt: %s: %s", f->tmp, k == 0 ? "short write" :
			    strerror(errno));
			f->failed = true;
			return false;
		}
		f->off += (size_t)k;
		max -= (size_t)k;
	}
	if (f->off == w->len) {
		wbuf_reset(w);
		f->off = 0;
	} else if (f->off > w->len / 2) {
		memmove(w->p, w->p + f->off, w->len - f->off);
		w->len -= f->off;
		f->off = 0;
	}
	return true;
}

static void
file_job(struct ev_loop *l, struct ev_defer *d, void *arg)
{
	struct mrt_file *f = arg;

	if (!f->failed)
		file_write(f, MRT_SLICE);
	if (f->failed || f->off < f->buf.len) {
		if (f->failed && f->closing) {
			file_done(f);
			return;
		}
		if (!f->failed)
			ev_defer_schedule(l, &f->d);
		return;
	}
	if (f->closing)
		file_done(f);
}

void
mrt_file_commit(struct mrt_file *f, size_t before, int rc)
{
	if (rc == -1 || f->buf.err) {
		/* Cut the record that did not fit: the file stays whole. */
		wbuf_truncate(&f->buf, before);
		f->buf.err = false;
		f->dropped++;
	}
	ev_defer_schedule(f->m->loop, &f->d);
}

void
mrt_file_close(struct mrt_file *f)
{
	f->closing = true;
	ev_defer_schedule(f->m->loop, &f->d);
}

void
mrt_file_drain(struct mrt_file *f)
{
	f->closing = true;
	if (!f->failed)
		file_write(f, SIZE_MAX);
	file_done(f);
}
