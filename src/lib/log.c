/*
 * Logging backends: stderr with a monotonic-free wall clock stamp when in the
 * foreground, syslog otherwise. log_remote() has a token bucket so a flood
 * of garbage from a peer cannot flood the log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#include "lib/log.h"
#include "lib/mtime.h"

static const char	*log_ident = "xroute";
static bool		 log_fg = true;
static enum log_level	 log_min = LOG_LVL_INFO;

void
log_init(const char *ident, bool foreground, enum log_level min)
{
	log_ident = ident;
	log_fg = foreground;
	log_min = min;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level l)
{
	log_min = l;
}

bool
log_enabled(enum log_level l)
{
	return l >= log_min;
}

static void
log_emit(enum log_level l, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
	static const char *name[] = { "debug", "info", "warn", "error" };
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	if (l < log_min)
		return;
	if (!log_fg) {
		vsyslog(prio[l], fmt, ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s: ", stamp, ts.tv_nsec / 1000000,
	    log_ident, name[l]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(fn, lvl) \
void fn(const char *fmt, ...) { va_list ap; va_start(ap, fmt); \
	log_emit(lvl, fmt, ap); va_end(ap); }
LOG_FN(log_debug, LOG_LVL_DEBUG)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_err, LOG_LVL_ERR)

void
log_remote(const char *fmt, ...)
{
	static uint64_t last_us;
	static double tokens = 10;
	static unsigned suppressed;
	uint64_t now = mono_us();
	va_list ap;

	tokens += (double)(now - last_us) / 100000.0;	/* 10 per second */
	if (tokens > 10)
		tokens = 10;
	last_us = now;
	if (tokens < 1) {
		suppressed++;
		return;
	}
	tokens -= 1;
	if (suppressed) {
		log_warn("(%u remote-error messages suppressed)", suppressed);
		suppressed = 0;
	}
	va_start(ap, fmt);
	log_emit(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}

void
fatal_bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	abort();
}
