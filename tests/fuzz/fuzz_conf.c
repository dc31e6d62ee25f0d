/*
 * libFuzzer target for the configuration parser: one input is one file.
 * Whatever the bytes, parsing must either succeed or fail with a message
 * of the form "NAME:LINE: text" (line >= 1); a configuration that parses
 * must parse again identically from the same text (no hidden state), and
 * every parsed value must respect the ranges the grammar promises.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

static void
check_ranges(const struct xr_conf *c)
{
	const struct conf_neighbor *n;
	size_t i, j;

	CHECK(c->router_id != 0 && c->as != 0 && c->as != BGP_AS_TRANS);
	CHECK(c->control[0] != '\0');
	for (i = 0; i < c->nctxs; i++) {
		CHECK(c->ctxs[i].name[0] != '\0');
		for (j = 0; j < c->ctxs[i].nneighbors; j++) {
			n = &c->ctxs[i].neighbors[j];
			CHECK(n->remote_as != 0);
			CHECK(n->hold == 0 || n->hold >= 3);
			CHECK(n->keepalive == 0 || n->keepalive * 3u <= n->hold);
			CHECK(n->connect_retry >= 1 && n->fams != 0);
			CHECK(n->local_addr.af == 0 ||
			    n->local_addr.af == n->addr.af);
		}
		for (j = 0; j < c->ctxs[i].nroutes; j++)
			CHECK(c->ctxs[i].routes[j].prefix.len <=
			    (c->ctxs[i].routes[j].prefix.af == AF_INET ? 32 : 128));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONF_ERR_MAX], err2[CONF_ERR_MAX], *text, *colon;
	struct xr_conf *c = NULL, *c2 = NULL;
	int rc, line;

	/* 'include' would read the file system: not part of this target. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (strstr(text, "include") != NULL) {
		free(text);
		return 0;
	}
	rc = conf_parse_string("f.conf", text, &c, err, sizeof(err));
	if (rc == -1) {
		CHECK(c == NULL);
		CHECK(strncmp(err, "f.conf:", 7) == 0);
		line = atoi(err + 7);
		CHECK(line >= 1);
		colon = strchr(err + 7, ':');
		CHECK(colon != NULL && colon[1] == ' ');
	} else {
		CHECK(c != NULL);
		check_ranges(c);
		CHECK(conf_parse_string("f.conf", text, &c2, err2,
		    sizeof(err2)) == 0);
		CHECK(c2->nctxs == c->nctxs && c2->as == c->as &&
		    c2->router_id == c->router_id);
		conf_free(c2);
		conf_free(c);
	}
	free(text);
	return 0;
}
