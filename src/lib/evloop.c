/*
 * epoll + timer heap + signalfd + deferred jobs. See evloop.h.
 *
 * Order inside one turn: deferred jobs queued before the turn, then expired
 * timers, then ready file descriptors. A turn with deferred work pending
 * polls with a zero timeout, so budgeted jobs interleave with I/O.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "lib/evloop.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define EV_MAX_EVENTS	64
#define EV_MAX_SIGNALS	8

struct ev_sig {
	int		 signo;
	ev_signal_cb	*cb;
	void		*arg;
};

struct ev_loop {
	int		  epfd;
	bool		  stop;
	uint64_t	  now;
	struct ev_timer	**heap;
	size_t		  nheap, heapcap;
	struct ev_defer	 *dhead, *dtail;
	int		  sigfd;
	struct ev_io	  sigio;
	sigset_t	  sigmask;
	struct ev_sig	  sigs[EV_MAX_SIGNALS];
	int		  nsigs;
};

struct ev_loop *
ev_loop_new(void)
{
	struct ev_loop *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(l);
		return NULL;
	}
	l->sigfd = -1;
	sigemptyset(&l->sigmask);
	l->now = mono_us();
	return l;
}

void
ev_loop_free(struct ev_loop *l)
{
	if (l == NULL)
		return;
	if (l->sigfd != -1)
		close(l->sigfd);
	close(l->epfd);
	free(l->heap);
	free(l);
}

uint64_t
ev_now(const struct ev_loop *l)
{
	return l->now;
}

void
ev_break(struct ev_loop *l)
{
	l->stop = true;
}

int
ev_io_add(struct ev_loop *l, struct ev_io *io, int fd, uint32_t events,
    ev_io_cb *cb, void *arg)
{
	struct epoll_event ee = { .events = events, .data.ptr = io };

	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return -1;
	io->active = true;
	return 0;
}

int
ev_io_mod(struct ev_loop *l, struct ev_io *io, uint32_t events)
{
	struct epoll_event ee = { .events = events, .data.ptr = io };

	if (!io->active)
		return -1;
	if (io->events == events)
		return 0;
	io->events = events;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ee);
}

void
ev_io_del(struct ev_loop *l, struct ev_io *io)
{
	if (!io->active)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->active = false;
}

/* Timer heap: a min-heap on due_us; heap_idx is 1-based, 0 = not armed. */

static void
heap_set(struct ev_loop *l, size_t i, struct ev_timer *t)
{
	l->heap[i] = t;
	t->heap_idx = i + 1;
}

static void
heap_up(struct ev_loop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (l->heap[p]->due_us <= t->due_us)
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void
heap_down(struct ev_loop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap &&
		    l->heap[c + 1]->due_us < l->heap[c]->due_us)
			c++;
		if (l->heap[c]->due_us >= t->due_us)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

void
ev_timer_init(struct ev_timer *t, ev_timer_cb *cb, void *arg)
{
	t->due_us = 0;
	t->heap_idx = 0;
	t->cb = cb;
	t->arg = arg;
}

void
ev_timer_stop(struct ev_loop *l, struct ev_timer *t)
{
	struct ev_timer *moved;
	size_t i;

	if (t->heap_idx == 0)
		return;
	i = t->heap_idx - 1;
	t->heap_idx = 0;
	l->nheap--;
	if (i == l->nheap)
		return;
	moved = l->heap[l->nheap];
	heap_set(l, i, moved);
	heap_up(l, i);
	heap_down(l, moved->heap_idx - 1);
}

void
ev_timer_start_at(struct ev_loop *l, struct ev_timer *t, uint64_t due_us)
{
	ev_timer_stop(l, t);
	if (l->nheap == l->heapcap) {
		size_t ncap = l->heapcap ? l->heapcap * 2 : 64;
		struct ev_timer **nh = realloc(l->heap, ncap * sizeof(*nh));
		if (nh == NULL)
			fatal_bug("ev_timer_start: out of memory");
		l->heap = nh;
		l->heapcap = ncap;
	}
	t->due_us = due_us;
	heap_set(l, l->nheap, t);
	l->nheap++;
	heap_up(l, l->nheap - 1);
}

void
ev_timer_start(struct ev_loop *l, struct ev_timer *t, uint64_t after_us)
{
	ev_timer_start_at(l, t, mono_us() + after_us);
}

void
ev_defer_init(struct ev_defer *d, ev_defer_cb *cb, void *arg)
{
	d->next = NULL;
	d->cb = cb;
	d->arg = arg;
	d->queued = false;
}

void
ev_defer_schedule(struct ev_loop *l, struct ev_defer *d)
{
	if (d->queued)
		return;
	d->queued = true;
	d->next = NULL;
	if (l->dtail)
		l->dtail->next = d;
	else
		l->dhead = d;
	l->dtail = d;
}

void
ev_defer_cancel(struct ev_loop *l, struct ev_defer *d)
{
	struct ev_defer **pp, *prev = NULL;

	if (!d->queued)
		return;
	for (pp = &l->dhead; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			if (l->dtail == d)
				l->dtail = prev;
			break;
		}
	}
	d->queued = false;
	d->next = NULL;
}

static void
sig_read(struct ev_loop *l, int fd, uint32_t ev, void *arg)
{
	struct signalfd_siginfo si;
	int i;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		for (i = 0; i < l->nsigs; i++)
			if (l->sigs[i].signo == (int)si.ssi_signo)
				l->sigs[i].cb(l, (int)si.ssi_signo,
				    l->sigs[i].arg);
	}
}

int
ev_signal(struct ev_loop *l, int signo, ev_signal_cb *cb, void *arg)
{
	if (l->nsigs == EV_MAX_SIGNALS)
		return -1;
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) == -1)
		return -1;
	if (l->sigfd != -1) {
		if (signalfd(l->sigfd, &l->sigmask, 0) == -1)
			return -1;
	} else {
		l->sigfd = signalfd(-1, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
		if (l->sigfd == -1 ||
		    ev_io_add(l, &l->sigio, l->sigfd, EPOLLIN, sig_read, NULL))
			return -1;
	}
	l->sigs[l->nsigs++] = (struct ev_sig){ signo, cb, arg };
	return 0;
}

static void
run_deferred(struct ev_loop *l)
{
	struct ev_defer *d, *last = l->dtail;

	/* Only jobs queued before this turn: a job that re-arms waits. */
	while ((d = l->dhead) != NULL) {
		l->dhead = d->next;
		if (l->dhead == NULL)
			l->dtail = NULL;
		d->queued = false;
		d->next = NULL;
		d->cb(l, d, d->arg);
		if (d == last)
			break;
	}
}

static void
run_timers(struct ev_loop *l)
{
	struct ev_timer *t;

	l->now = mono_us();
	while (l->nheap > 0 && (t = l->heap[0])->due_us <= l->now) {
		ev_timer_stop(l, t);
		t->cb(l, t, t->arg);
	}
}

int
ev_run_once(struct ev_loop *l, int64_t timeout_us)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	struct timespec ts, *tsp = NULL;
	int64_t wait = timeout_us;
	int n, i;

	run_deferred(l);
	run_timers(l);
	if (l->stop)
		return 0;
	if (l->dhead != NULL)
		wait = 0;
	else if (l->nheap > 0) {
		int64_t d = (int64_t)(l->heap[0]->due_us - l->now);
		if (d < 0)
			d = 0;
		if (wait < 0 || d < wait)
			wait = d;
	}
	if (wait >= 0) {
		ts.tv_sec = wait / (int64_t)USEC_PER_SEC;
		ts.tv_nsec = (wait % (int64_t)USEC_PER_SEC) * 1000;
		tsp = &ts;
	}
	n = epoll_pwait2(l->epfd, evs, EV_MAX_EVENTS, tsp, NULL);
	if (n == -1) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	l->now = mono_us();
	for (i = 0; i < n; i++) {
		struct ev_io *io = evs[i].data.ptr;
		if (io->active)
			io->cb(l, io->fd, evs[i].events, io->arg);
	}
	run_timers(l);
	return 0;
}

int
ev_run(struct ev_loop *l)
{
	l->stop = false;
	while (!l->stop)
		if (ev_run_once(l, -1) == -1)
			return -1;
	return 0;
}
