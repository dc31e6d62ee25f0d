/*
 * Monotonic time in microseconds. Timers, hold times, BFD detection and
 * uptimes all use this clock; wall-clock time only appears in output.
 */
#ifndef XR_LIB_MTIME_H
#define XR_LIB_MTIME_H

#include <stdint.h>
#include <time.h>

#define USEC_PER_MSEC	1000ULL
#define USEC_PER_SEC	1000000ULL

static inline uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

/* Wall clock, seconds since the epoch (for RFC 3339 stamps in output). */
static inline int64_t
wall_sec(void)
{
	return (int64_t)time(NULL);
}

#endif
