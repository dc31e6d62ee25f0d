/*
 * Monitoring statements of xrouted.conf (docs/xrouted.conf.5): MRT dumps
 * (RFC 6396) and BMP collectors (RFC 7854).
 *
 *   mrt table "FILE" [interval SECONDS] [context NAME]
 *   mrt messages "FILE" [interval SECONDS] [context NAME]
 *   bmp collector ADDRESS [port PORT] [stats-interval SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/conf_int.h"

#define MRT_INTERVAL_MAX	(7 * 86400)

static bool
next_is(struct conf_parser *P, const char *w)
{
	const struct conf_tok *t = conf_lex_peek(P->lx);

	if (t->type != CTOK_WORD || strcmp(t->s, w) != 0)
		return false;
	conf_lex_next(P->lx);
	return true;
}

static int
mrt_opts(struct conf_parser *P, struct mrt_conf *m)
{
	for (;;) {
		if (next_is(P, "interval")) {
			if (conf_get_u32(P, "interval", 1, MRT_INTERVAL_MAX,
			    &m->interval) == -1)
				return -1;
		} else if (next_is(P, "context")) {
			if (conf_get_string(P, "context", m->ctx,
			    sizeof(m->ctx), false) == -1)
				return -1;
		} else
			return 0;
	}
}

static int
parse_mrt(struct conf_parser *P, int line)
{
	const struct conf_tok *t = conf_expect_value(P, "mrt");
	struct mrt_conf m, *nm;
	size_t i;

	if (t == NULL)
		return -1;
	memset(&m, 0, sizeof(m));
	if (strcmp(t->s, "table") == 0)
		m.kind = MRT_KIND_TABLE;
	else if (strcmp(t->s, "messages") == 0)
		m.kind = MRT_KIND_MESSAGES;
	else
		return conf_perr(P, t->line, "mrt %s is invalid (table or "
		    "messages)", t->s);
	if (conf_get_string(P, "mrt", m.path, sizeof(m.path), false) == -1 ||
	    mrt_opts(P, &m) == -1)
		return -1;
	if (m.kind == MRT_KIND_TABLE && m.interval == 0)
		return conf_perr(P, line, "mrt table \"%s\" needs an interval "
		    "(seconds between dumps, 1-%u); use 'xrctl dump mrt "
		    "table' for a single dump", m.path, MRT_INTERVAL_MAX);
	for (i = 0; i < P->conf->nmrts; i++)
		if (strcmp(P->conf->mrts[i].path, m.path) == 0)
			return conf_perr(P, line, "mrt file \"%s\" is given "
			    "twice", m.path);
	if ((nm = conf_grow(P, P->conf->mrts, P->conf->nmrts, sizeof(*nm),
	    line)) == NULL)
		return -1;
	P->conf->mrts = nm;
	nm[P->conf->nmrts++] = m;
	return 0;
}

static int
parse_bmp(struct conf_parser *P, int line)
{
	const struct conf_tok *t = conf_expect_value(P, "bmp");
	struct bmp_conf b = { .port = BMP_PORT_DEFAULT }, *nb;
	char as[ADDR_STRLEN];
	size_t i;

	if (t == NULL)
		return -1;
	if (strcmp(t->s, "collector") != 0)
		return conf_perr(P, t->line, "bmp %s is invalid (expected "
		    "'bmp collector ADDRESS')", t->s);
	if (conf_get_addr(P, "bmp collector", &b.addr) == -1)
		return -1;
	for (;;) {
		if (next_is(P, "port")) {
			if (conf_get_u16(P, "port", 1, 65535, &b.port) == -1)
				return -1;
		} else if (next_is(P, "stats-interval")) {
			if (conf_get_u32(P, "stats-interval", 1, 86400,
			    &b.stats_interval) == -1)
				return -1;
		} else
			break;
	}
	for (i = 0; i < P->conf->nbmps; i++)
		if (addr_cmp(&P->conf->bmps[i].addr, &b.addr) == 0 &&
		    P->conf->bmps[i].port == b.port)
			return conf_perr(P, line, "bmp collector %s port %u is "
			    "given twice", addr_ntop(&b.addr, as, sizeof(as)),
			    b.port);
	if ((nb = conf_grow(P, P->conf->bmps, P->conf->nbmps, sizeof(*nb),
	    line)) == NULL)
		return -1;
	P->conf->bmps = nb;
	nb[P->conf->nbmps++] = b;
	return 0;
}

int
conf_mon_stmt(struct conf_parser *P, const struct conf_tok *kw)
{
	if (strcmp(kw->s, "mrt") == 0)
		return parse_mrt(P, kw->line);
	if (strcmp(kw->s, "bmp") == 0)
		return parse_bmp(P, kw->line);
	return 1;
}
