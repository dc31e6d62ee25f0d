/*
 * libFuzzer target for the metrics endpoint's input: the HTTP request
 * head parser (src/metrics/mx_http.c), fed the whole input and every
 * prefix a reader could see (bytes arrive in pieces), and the exposition
 * writer's escaping, fed the input as a label value and HELP text.
 * Invariants: the status is one of the documented ones; a prefix never
 * gets a final answer the whole input contradicts (except 0 = need more);
 * on 200 the head length is within the input and the path starts with
 * '/'; the written exposition holds exactly the lines it should (escaping
 * leaves no raw newline inside a sample).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/mx.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

static bool
known(int st)
{
	return st == 0 || st == 200 || st == 400 || st == 405 || st == 414 ||
	    st == 431 || st == 505;
}

static void
http(const uint8_t *data, size_t size)
{
	struct mx_http_req r;
	size_t used = 0, cut;
	int st, st2;

	st = mx_http_parse(data, size, &r, &used);
	CHECK(known(st));
	if (st == 200) {
		CHECK(used <= size && used >= 18);
		CHECK(r.path[0] == '/');
		CHECK(mx_http_route(&r) == 200 || mx_http_route(&r) == 404);
	}
	/* a shorter read: need more, or the same verdict reached earlier */
	cut = size / 2;
	st2 = mx_http_parse(data, cut, &r, &used);
	CHECK(known(st2));
	if (st2 != 0 && st2 != 414 && st2 != 431 && st != 414 && st != 431)
		CHECK(st2 == st);
}

static void
writer(const uint8_t *data, size_t size)
{
	char *s, *nl;
	const char *t;
	struct mx m;
	size_t len, lines = 0, i;

	if ((s = malloc(size + 1)) == NULL)
		return;
	memcpy(s, data, size);
	s[size] = '\0';		/* stops at the first NUL, as C strings do */
	if (mx_init(&m, 1 << 20) == -1) {
		free(s);
		return;
	}
	CHECK(mx_family(&m, "fuzz_total", MX_COUNTER, s) == 0);
	CHECK(mx_u64(&m, 1, "v", s, "w", "x", NULL) == 0);
	t = mx_text(&m, &len);
	for (i = 0; i < len; i++)
		if (t[i] == '\n')
			lines++;
	CHECK(lines == 3);	/* HELP, TYPE, one sample */
	nl = memchr(t, '\n', len);
	CHECK(nl != NULL && t[len - 1] == '\n');
	mx_free(&m);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 3 * MX_HTTP_HDR_MAX)
		return 0;
	http(data, size);
	writer(data, size);
	return 0;
}
