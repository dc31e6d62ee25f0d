/*
 * The event loop: one epoll set, a binary heap of microsecond timers,
 * signals through signalfd, and deferred jobs that run once per loop turn
 * (the way budgeted, resumable work gets back control: a job that still has
 * work re-arms itself with ev_defer_schedule()).
 *
 * epoll_pwait2() takes a timespec, so timers fire with microsecond precision
 * (BFD needs tens of milliseconds with little jitter).
 *
 * A callback may delete any ev_io or timer, but the memory of a deleted
 * ev_io must stay valid until the turn ends (events for it may already be
 * in this turn's batch): free such objects from a deferred job.
 *
 * All structs are owned by the caller and embedded in its objects; the loop
 * never allocates per event.
 */
#ifndef XR_LIB_EVLOOP_H
#define XR_LIB_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

struct ev_loop;

typedef void	ev_io_cb(struct ev_loop *, int fd, uint32_t events, void *arg);
struct ev_io {
	int		 fd;
	uint32_t	 events;	/* EPOLLIN | EPOLLOUT ... */
	ev_io_cb	*cb;
	void		*arg;
	bool		 active;
};

struct ev_timer;
typedef void	ev_timer_cb(struct ev_loop *, struct ev_timer *, void *arg);
struct ev_timer {
	uint64_t	 due_us;	/* monotonic */
	size_t		 heap_idx;	/* 0 = not armed, else index + 1 */
	ev_timer_cb	*cb;
	void		*arg;
};

struct ev_defer;
typedef void	ev_defer_cb(struct ev_loop *, struct ev_defer *, void *arg);
struct ev_defer {
	struct ev_defer	*next;
	ev_defer_cb	*cb;
	void		*arg;
	bool		 queued;
};

typedef void	ev_signal_cb(struct ev_loop *, int signo, void *arg);

struct ev_loop	*ev_loop_new(void);
void		 ev_loop_free(struct ev_loop *);
/* Run until ev_break(); returns 0, or -1 on an epoll failure. */
int		 ev_run(struct ev_loop *);
/* Run one turn, waiting at most timeout_us (-1 = until an event). */
int		 ev_run_once(struct ev_loop *, int64_t timeout_us);
void		 ev_break(struct ev_loop *);
/* Monotonic time cached at the start of the current turn. */
uint64_t	 ev_now(const struct ev_loop *);

int	ev_io_add(struct ev_loop *, struct ev_io *, int fd, uint32_t events,
	    ev_io_cb *, void *arg);
int	ev_io_mod(struct ev_loop *, struct ev_io *, uint32_t events);
void	ev_io_del(struct ev_loop *, struct ev_io *);

void	ev_timer_init(struct ev_timer *, ev_timer_cb *, void *arg);
/* (Re)arm to fire after 'after_us' microseconds from now. */
void	ev_timer_start(struct ev_loop *, struct ev_timer *, uint64_t after_us);
void	ev_timer_start_at(struct ev_loop *, struct ev_timer *, uint64_t due_us);
void	ev_timer_stop(struct ev_loop *, struct ev_timer *);
static inline bool
ev_timer_armed(const struct ev_timer *t)
{
	return t->heap_idx != 0;
}

void	ev_defer_init(struct ev_defer *, ev_defer_cb *, void *arg);
/* Run cb once at the next turn; scheduling twice before it runs is a no-op. */
void	ev_defer_schedule(struct ev_loop *, struct ev_defer *);
void	ev_defer_cancel(struct ev_loop *, struct ev_defer *);

/* Block the signal and deliver it through the loop. */
int	ev_signal(struct ev_loop *, int signo, ev_signal_cb *, void *arg);

#endif
