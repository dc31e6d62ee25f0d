/*
 * libFuzzer target for control-socket requests as the daemon sees them:
 * one input is one request line, split into words (text form) and parsed
 * into a request. Parsing must succeed with a consistent request or fail
 * with a non-empty message; it never reads outside the words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *argv[64], err[512];
	struct ctl_req r;
	int argc;

	if (size > CTL_LINE_MAX || (line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = ctl_split(line, argv, 64);
	if (argc >= 0) {
		err[0] = '\0';
		if (ctl_cmd_parse(argc, argv, &r, err, sizeof(err)) == -1)
			CHECK(err[0] != '\0');
		else {
			CHECK(r.op >= CTL_OP_SUMMARY && r.op <= CTL_OP_LAST);
			CHECK(strlen(r.reason) <= 255);
			CHECK(!r.has_prefix || r.prefix.len <=
			    (r.prefix.af == AF_INET6 ? 128 : 32));
			CHECK(ctl_op_kind(r.op)[0] != '\0');
		}
	}
	free(line);
	return 0;
}
