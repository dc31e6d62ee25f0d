/*
 * A minimal unit-test harness. Each test is a function; T_RUN() runs it and
 * prints a TAP line ("ok N - name" / "not ok N - name"); tests/run counts
 * those lines across all test programs. Checks report file:line and the
 * values compared, and let the test continue so one run shows every failure.
 */
#ifndef XR_TESTS_T_H
#define XR_TESTS_T_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int	t_fail_cur, t_num, t_failed;

#define T_CHECK(c) do { if (!(c)) { t_fail_cur++; \
	printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); } \
	} while (0)
#define T_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) { t_fail_cur++; \
	printf("#   %s:%d: %s == %s: got %lld, want %lld\n", __FILE__, \
	    __LINE__, #a, #b, _a, _b); } } while (0)
#define T_STREQ(a, b) do { const char *_a = (a), *_b = (b); \
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) { t_fail_cur++; \
	printf("#   %s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, \
	    __LINE__, #a, _a ? _a : "(null)", _b ? _b : "(null)"); } } while (0)
#define T_MEMEQ(a, b, n) do { if (memcmp((a), (b), (n)) != 0) { \
	t_fail_cur++; printf("#   %s:%d: bytes differ: %s vs %s\n", \
	__FILE__, __LINE__, #a, #b); } } while (0)

#define T_RUN(fn) t_run(fn, #fn)

static inline void
t_run(void (*fn)(void), const char *name)
{
	t_fail_cur = 0;
	fn();
	t_num++;
	if (t_fail_cur) {
		t_failed++;
		printf("not ok %d - %s\n", t_num, name);
	} else
		printf("ok %d - %s\n", t_num, name);
	fflush(stdout);
}

static inline int
t_done(void)
{
	printf("1..%d\n", t_num);
	return t_failed ? 1 : 0;
}

#endif
