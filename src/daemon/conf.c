/*
 * Recursive descent parser for xrouted.conf (grammar in docs/xrouted.conf.5).
 *
 * One function per block (top level, context, route, neighbor); each
 * statement is looked up in a keyword table of the block it appears in, so
 * an unknown keyword is reported with the block it was found in. Values are
 * range-checked where they are read, and cross-field rules (remote-as
 * present, keepalive below hold time, address families match) are checked
 * when a block closes, with the line of the block.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/conf_int.h"

#define CONF_MAX_FILE		(16u << 20)
#define CONF_MAX_INCLUDE	8

static int	parse_stmts(struct conf_parser *);

static bool
name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONF_NAME_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == n;
}

/* --- route ------------------------------------------------------------- */

static int
parse_community(struct conf_parser *P, struct conf_route *r)
{
	const struct conf_tok *t = conf_expect_value(P, "community");
	uint32_t v = 0, *nc;

	if (t == NULL)
		return -1;
	if (conf_community_value(t->s, &v) == -1)
		goto bad;
	if ((nc = conf_grow(P, r->communities, r->ncommunities, sizeof(*nc),
	    t->line)) == NULL)
		return -1;
	r->communities = nc;
	nc[r->ncommunities++] = v;
	return 0;
bad:
	return conf_perr(P, t->line, "community %s is invalid (ASN:VALUE with "
	    "each 0-65535, or no-export, no-advertise, no-export-subconfed, "
	    "blackhole)", t->s);
}

static int
parse_origin(struct conf_parser *P, struct conf_route *r)
{
	const struct conf_tok *t = conf_expect_value(P, "origin");

	if (t == NULL)
		return -1;
	if (strcmp(t->s, "igp") == 0)
		r->origin = BGP_ORIGIN_IGP;
	else if (strcmp(t->s, "egp") == 0)
		r->origin = BGP_ORIGIN_EGP;
	else if (strcmp(t->s, "incomplete") == 0)
		r->origin = BGP_ORIGIN_INCOMPLETE;
	else
		return conf_perr(P, t->line, "origin %s is invalid "
		    "(igp, egp or incomplete)", t->s);
	return 0;
}

/* One route attribute if the next word is one; 1 parsed, 0 not ours. */
static int
route_attr(struct conf_parser *P, struct conf_route *r)
{
	const struct conf_tok *t = conf_lex_peek(P->lx);

	if (t->type != CTOK_WORD)
		return 0;
	if (strcmp(t->s, "med") == 0) {
		conf_lex_next(P->lx);
		r->has_med = true;
		return conf_get_u32(P, "med", 0, UINT32_MAX, &r->med) ? -1 : 1;
	}
	if (strcmp(t->s, "community") == 0) {
		conf_lex_next(P->lx);
		return parse_community(P, r) ? -1 : 1;
	}
	if (strcmp(t->s, "origin") == 0) {
		conf_lex_next(P->lx);
		return parse_origin(P, r) ? -1 : 1;
	}
	if (strcmp(t->s, "next-hop") == 0) {
		conf_lex_next(P->lx);
		if (conf_get_addr(P, "next-hop", &r->nexthop) == -1)
			return -1;
		if (r->nexthop.af != r->prefix.af)
			return conf_perr(P, t->line, "next-hop is %s but route is "
			    "%s; use a next hop of the same family",
			    r->nexthop.af == AF_INET ? "IPv4" : "IPv6",
			    r->prefix.af == AF_INET ? "IPv4" : "IPv6");
		return 1;
	}
	return 0;
}

static int
parse_route(struct conf_parser *P, struct conf_ctx *c, int line)
{
	const struct conf_tok *t = conf_expect_value(P, "route");
	struct conf_route *r;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	int rc;

	if (t == NULL)
		return -1;
	if (prefix_parse(t->s, &p, false) == -1 || strchr(t->s, '/') == NULL)
		return conf_perr(P, t->line, "route %s is not a prefix "
		    "(a.b.c.d/len or IPv6/len)", t->s);
	if (prefix_parse(t->s, &p, true) == -1)
		return conf_perr(P, t->line, "route %s has host bits set; did you "
		    "mean %s?", t->s, prefix_ntop(&p, buf, sizeof(buf)));
	if ((r = conf_grow(P, c->routes, c->nroutes, sizeof(*r), line)) == NULL)
		return -1;
	c->routes = r;
	r = &c->routes[c->nroutes++];
	r->prefix = p;
	r->line = line;
	r->origin = BGP_ORIGIN_IGP;
	if (conf_lex_peek(P->lx)->type == CTOK_LBRACE) {
		conf_lex_next(P->lx);
		while ((rc = route_attr(P, r)) == 1)
			;
		if (rc == -1)
			return -1;
		t = conf_lex_next(P->lx);
		if (t->type == CTOK_RBRACE)
			return 0;
		if (t->type == CTOK_EOF)
			return conf_perr(P, t->line, "unexpected end of file: "
			    "missing '}' for route at line %d", line);
		if (t->type == CTOK_ERROR)
			return conf_perr(P, t->line, "%s", P->lx->err);
		return conf_perr(P, t->line, "unknown keyword '%s' in route "
		    "(med, community, origin, next-hop)", t->s);
	}
	while ((rc = route_attr(P, r)) == 1)
		;
	return rc;
}

/* --- neighbor ---------------------------------------------------------- */

static int
nb_max_prefix(struct conf_parser *P, struct conf_neighbor *n)
{
	const struct conf_tok *t = conf_lex_peek(P->lx);
	enum bgp_fam f = BGP_FAM_V4U;

	if (t->type == CTOK_WORD && strcmp(t->s, "ipv4") == 0)
		conf_lex_next(P->lx);
	else if (t->type == CTOK_WORD && strcmp(t->s, "ipv6") == 0) {
		conf_lex_next(P->lx);
		f = BGP_FAM_V6U;
	}
	return conf_get_u32(P, "max-prefix", 1, UINT32_MAX, &n->max_prefix[f]);
}

static int
nb_families(struct conf_parser *P, struct conf_neighbor *n, int line)
{
	const struct conf_tok *t;

	n->fams = 0;
	for (;;) {
		t = conf_lex_peek(P->lx);
		if (t->type != CTOK_WORD)
			break;
		if (strcmp(t->s, "ipv4") == 0)
			n->fams |= BGP_FAM_BIT(BGP_FAM_V4U);
		else if (strcmp(t->s, "ipv6") == 0)
			n->fams |= BGP_FAM_BIT(BGP_FAM_V6U);
		else
			break;
		conf_lex_next(P->lx);
	}
	if (n->fams == 0)
		return conf_perr(P, line, "families needs at least one of ipv4, "
		    "ipv6");
	return 0;
}

static int
nb_shutdown(struct conf_parser *P, struct conf_neighbor *n)
{
	n->shutdown = true;
	if (conf_lex_peek(P->lx)->type != CTOK_STRING)
		return 0;
	return conf_get_string(P, "shutdown", n->shutdown_msg,
	    sizeof(n->shutdown_msg), true);
}

static int
nb_stmt(struct conf_parser *P, struct conf_neighbor *n, const struct conf_tok *t)
{
	/* Own copy: reading the value replaces the lexer's token. */
	struct conf_tok kw_copy = *t, *kw = &kw_copy;
	const char *k = kw->s;
	bool yes = false;

	if (strcmp(k, "remote-as") == 0)
		return conf_get_asn(P, k, &n->remote_as);
	if (strcmp(k, "description") == 0)
		return conf_get_string(P, k, n->descr, sizeof(n->descr), true);
	if (strcmp(k, "password") == 0)
		return conf_get_secret(P, k, n->password,
		    sizeof(n->password));
	if (strcmp(k, "hold-time") == 0) {
		if (conf_get_u16(P, k, 0, 65535, &n->hold) == -1)
			return -1;
		if (n->hold != 0 && n->hold < BGP_MIN_HOLD)
			return conf_perr(P, kw->line, "hold-time %u is out of "
			    "range (0 or 3-65535)", n->hold);
		return 0;
	}
	if (strcmp(k, "keepalive") == 0)
		return conf_get_u16(P, k, 1, 21845, &n->keepalive);
	if (strcmp(k, "connect-retry") == 0)
		return conf_get_u16(P, k, 1, 65535, &n->connect_retry);
	if (strcmp(k, "local-address") == 0)
		return conf_get_addr(P, k, &n->local_addr);
	if (strcmp(k, "passive") == 0) {
		n->passive = true;
		return 0;
	}
	if (strcmp(k, "max-prefix") == 0)
		return nb_max_prefix(P, n);
	if (strcmp(k, "max-prefix-restart") == 0)
		return conf_get_u32(P, k, 1, 86400, &n->max_prefix_restart);
	if (strcmp(k, "ttl-security") == 0) {
		if (conf_get_yesno(P, k, &yes) == -1)
			return -1;
		n->ttl_security = yes ? CONF_YES : CONF_NO;
		return 0;
	}
	if (strcmp(k, "families") == 0)
		return nb_families(P, n, kw->line);
	if (strcmp(k, "shutdown") == 0)
		return nb_shutdown(P, n);
	if (strcmp(k, "port") == 0)
		return conf_get_u16(P, k, 1, 65535, &n->port);
	{
		int rc = conf_er_nb_stmt(P, n, kw);
		if (rc != 1)
			return rc;
	}
	return conf_perr(P, kw->line, "unknown keyword '%s' in neighbor block", k);
}

static int
nb_check(struct conf_parser *P, struct conf_neighbor *n, const char *a)
{
	char la[ADDR_STRLEN];

	if (n->remote_as == 0)
		return conf_perr(P, n->line, "neighbor %s: remote-as is missing", a);
	if (n->local_addr.af != 0 && n->local_addr.af != n->addr.af)
		return conf_perr(P, n->line, "neighbor %s: local-address %s is "
		    "%s but the neighbor is %s", a,
		    addr_ntop(&n->local_addr, la, sizeof(la)),
		    n->local_addr.af == AF_INET ? "IPv4" : "IPv6",
		    n->addr.af == AF_INET ? "IPv4" : "IPv6");
	if (n->keepalive != 0 && n->hold == 0)
		return conf_perr(P, n->line, "neighbor %s: keepalive %u is set but "
		    "hold-time is 0 (no keepalives are sent)", a,
		    n->keepalive);
	if (conf_er_nb_check(P, n, a) == -1)
		return -1;
	if (n->keepalive != 0 && n->keepalive * 3u > n->hold)
		return conf_perr(P, n->line, "neighbor %s: keepalive %u is too "
		    "long for hold-time %u (at most hold-time / 3 = %u)", a,
		    n->keepalive, n->hold, n->hold / 3);
	return 0;
}

static int
parse_neighbor(struct conf_parser *P, struct conf_ctx *c, int line)
{
	const struct conf_tok *t;
	struct conf_neighbor *n, *old;
	struct addr a;
	char as[ADDR_STRLEN];

	if (conf_get_addr(P, "neighbor", &a) == -1)
		return -1;
	addr_ntop(&a, as, sizeof(as));
	if ((old = conf_neighbor_find(c, &a)) != NULL)
		return conf_perr(P, line, "neighbor %s is already defined in "
		    "context \"%s\" (line %d)", as, c->name, old->line);
	if ((n = conf_grow(P, c->neighbors, c->nneighbors, sizeof(*n), line)) ==
	    NULL)
		return -1;
	c->neighbors = n;
	n = &c->neighbors[c->nneighbors++];
	n->addr = a;
	n->line = line;
	n->port = BGP_PORT;
	n->hold = CONF_DEFAULT_HOLD;
	n->connect_retry = CONF_DEFAULT_RETRY;
	n->max_prefix_restart = CONF_DEFAULT_MAXPFX_RESTART;
	n->ttl_security = CONF_UNSET;
	n->fams = BGP_FAM_BIT(BGP_FAM_V4U) | BGP_FAM_BIT(BGP_FAM_V6U);
	if (conf_expect_lbrace(P, "neighbor") == -1)
		return -1;
	for (;;) {
		t = conf_lex_next(P->lx);
		if (t->type == CTOK_RBRACE)
			break;
		if (t->type == CTOK_ERROR)
			return conf_perr(P, t->line, "%s", P->lx->err);
		if (t->type == CTOK_EOF)
			return conf_perr(P, t->line, "unexpected end of file: "
			    "missing '}' for neighbor %s (line %d)", as, line);
		if (t->type != CTOK_WORD)
			return conf_perr(P, t->line, "unexpected '%s' in neighbor "
			    "block", t->s);
		if (nb_stmt(P, n, t) == -1)
			return -1;
	}
	return nb_check(P, n, as);
}

/* --- context ----------------------------------------------------------- */

static struct conf_ctx *
ctx_add(struct conf_parser *P, const char *name, int line)
{
	struct conf_ctx *c;

	if ((c = conf_grow(P, P->conf->ctxs, P->conf->nctxs, sizeof(*c), line)) ==
	    NULL)
		return NULL;
	P->conf->ctxs = c;
	c = &P->conf->ctxs[P->conf->nctxs++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->line = line;
	return c;
}

static int
ctx_stmt(struct conf_parser *P, struct conf_ctx *c, const struct conf_tok *t)
{
	struct conf_tok kw_copy = *t, *kw = &kw_copy;
	int line = kw->line;

	if (strcmp(kw->s, "local-as") == 0)
		return conf_get_asn(P, "local-as", &c->local_as);
	if (strcmp(kw->s, "route") == 0)
		return parse_route(P, c, line);
	if (strcmp(kw->s, "neighbor") == 0 || strcmp(kw->s, "neighbour") == 0)
		return parse_neighbor(P, c, line);
	{
		int rc = conf_er_ctx_stmt(P, c, kw);
		if (rc != 1)
			return rc;
	}
	return conf_perr(P, line, "unknown keyword '%s' in context \"%s\" "
	    "(local-as, route, neighbor, kernel-table)", kw->s, c->name);
}

/* A prefix given twice: reported at its second line, once the context is
 * read (sorting beats a scan per route for big tables). */
static int
check_routes(struct conf_parser *P, const struct conf_ctx *c)
{
	const struct conf_route **v = conf_routes_sorted(c), *dup = NULL;
	char buf[PREFIX_STRLEN];
	size_t i;
	int first = 0;

	if (v == NULL && c->nroutes > 0)
		return conf_perr(P, c->line, "out of memory");
	for (i = 1; i < c->nroutes; i++)
		if (prefix_cmp(&v[i]->prefix, &v[i - 1]->prefix) == 0 &&
		    (dup == NULL || v[i]->line < dup->line)) {
			dup = v[i];
			first = v[i - 1]->line;
		}
	free(v);
	if (dup == NULL)
		return 0;
	return conf_perr(P, dup->line, "route %s is already defined in "
	    "context \"%s\" (line %d)", prefix_ntop(&dup->prefix, buf,
	    sizeof(buf)), c->name, first);
}

static int
parse_context(struct conf_parser *P, int line)
{
	const struct conf_tok *t = conf_expect_value(P, "context");
	struct conf_ctx *c;

	if (t == NULL)
		return -1;
	if (!name_ok(t->s))
		return conf_perr(P, t->line, "context name \"%s\" is invalid "
		    "(1-63 characters of A-Z a-z 0-9 . _ -)", t->s);
	if ((c = conf_ctx_find(P->conf, t->s)) != NULL)
		return conf_perr(P, t->line, "context \"%s\" is already defined "
		    "(line %d)", t->s, c->line);
	if ((c = ctx_add(P, t->s, line)) == NULL)
		return -1;
	if (conf_expect_lbrace(P, "context") == -1)
		return -1;
	for (;;) {
		t = conf_lex_next(P->lx);
		if (t->type == CTOK_RBRACE)
			return check_routes(P, c);
		if (t->type == CTOK_ERROR)
			return conf_perr(P, t->line, "%s", P->lx->err);
		if (t->type == CTOK_EOF)
			return conf_perr(P, t->line, "unexpected end of file: "
			    "missing '}' for context \"%s\" (line %d)",
			    c->name, line);
		if (t->type != CTOK_WORD)
			return conf_perr(P, t->line, "unexpected '%s' in context "
			    "\"%s\"", t->s, c->name);
		if (ctx_stmt(P, c, t) == -1)
			return -1;
	}
}

/* --- top level --------------------------------------------------------- */

static int
parse_router_id(struct conf_parser *P)
{
	const struct conf_tok *t = conf_expect_value(P, "router-id");
	struct addr a;

	if (t == NULL)
		return -1;
	if (addr_parse(t->s, &a) == -1 || a.af != AF_INET)
		return conf_perr(P, t->line, "router-id %s is invalid (an IPv4 "
		    "address, e.g. 192.0.2.1)", t->s);
	P->conf->router_id = (uint32_t)a.b[0] << 24 | (uint32_t)a.b[1] << 16 |
	    (uint32_t)a.b[2] << 8 | a.b[3];
	if (P->conf->router_id == 0)
		return conf_perr(P, t->line, "router-id %s is not allowed (it must "
		    "not be 0.0.0.0)", t->s);
	return 0;
}

static int
parse_listen(struct conf_parser *P, int line)
{
	struct conf_listen l = { .port = BGP_PORT }, *nl;
	const struct conf_tok *t;
	char as[ADDR_STRLEN];
	size_t i;

	if (conf_get_addr(P, "listen", &l.addr) == -1)
		return -1;
	t = conf_lex_peek(P->lx);
	if (t->type == CTOK_WORD && strcmp(t->s, "port") == 0) {
		conf_lex_next(P->lx);
		if (conf_get_u16(P, "port", 1, 65535, &l.port) == -1)
			return -1;
	}
	for (i = 0; i < P->conf->nlistens; i++)
		if (addr_cmp(&P->conf->listens[i].addr, &l.addr) == 0 &&
		    P->conf->listens[i].port == l.port)
			return conf_perr(P, line, "listen %s port %u is given twice",
			    addr_ntop(&l.addr, as, sizeof(as)), l.port);
	if ((nl = conf_grow(P, P->conf->listens, P->conf->nlistens, sizeof(*nl),
	    line)) == NULL)
		return -1;
	P->conf->listens = nl;
	nl[P->conf->nlistens++] = l;
	return 0;
}

/* metrics listen ADDR [port N]: the Prometheus endpoint (docs/metrics.md) */
static int
parse_metrics(struct conf_parser *P, int line)
{
	const struct conf_tok *t = conf_lex_next(P->lx);

	if (t->type != CTOK_WORD || strcmp(t->s, "listen") != 0)
		return conf_perr(P, t->line, "metrics takes 'listen ADDR [port "
		    "N]', not '%s'", t->s);
	if (P->conf->has_metrics)
		return conf_perr(P, line, "metrics listen is given twice");
	P->conf->metrics.port = CONF_METRICS_PORT;
	if (conf_get_addr(P, "metrics listen", &P->conf->metrics.addr) == -1)
		return -1;
	t = conf_lex_peek(P->lx);
	if (t->type == CTOK_WORD && strcmp(t->s, "port") == 0) {
		conf_lex_next(P->lx);
		if (conf_get_u16(P, "port", 0, 65535,
		    &P->conf->metrics.port) == -1)
			return -1;
	}
	P->conf->has_metrics = true;
	return 0;
}

static int	parse_include(struct conf_parser *, int);

/* Neighbours and routes outside a context go to context "default". */
static struct conf_ctx *
default_ctx(struct conf_parser *P, int line)
{
	struct conf_ctx *c = conf_ctx_find(P->conf, "default");

	return c ? c : ctx_add(P, "default", line);
}

static int
top_stmt(struct conf_parser *P, const struct conf_tok *t)
{
	struct conf_tok kw_copy = *t, *kw = &kw_copy;
	int line = kw->line;
	struct conf_ctx *c;
	int rc;

	if ((rc = conf_mon_stmt(P, kw)) != 1)
		return rc;
	if (strcmp(kw->s, "router-id") == 0)
		return parse_router_id(P);
	if (strcmp(kw->s, "as") == 0)
		return conf_get_asn(P, "as", &P->conf->as);
	if (strcmp(kw->s, "listen") == 0)
		return parse_listen(P, line);
	if (strcmp(kw->s, "control") == 0)
		return conf_get_string(P, "control", P->conf->control,
		    sizeof(P->conf->control), false);
	if (strcmp(kw->s, "metrics") == 0)
		return parse_metrics(P, line);
	if (strcmp(kw->s, "context") == 0)
		return parse_context(P, line);
	if (strcmp(kw->s, "include") == 0)
		return parse_include(P, line);
	if (strcmp(kw->s, "neighbor") == 0 || strcmp(kw->s, "neighbour") == 0 ||
	    strcmp(kw->s, "route") == 0) {
		if ((c = default_ctx(P, line)) == NULL)
			return -1;
		return ctx_stmt(P, c, kw);
	}
	return conf_perr(P, line, "unknown keyword '%s' (router-id, as, listen, "
	    "control, metrics, context, include, mrt, bmp)", kw->s);
}

static int
parse_stmts(struct conf_parser *P)
{
	const struct conf_tok *t;

	for (;;) {
		t = conf_lex_next(P->lx);
		if (t->type == CTOK_EOF)
			return 0;
		if (t->type == CTOK_ERROR)
			return conf_perr(P, t->line, "%s", P->lx->err);
		if (t->type != CTOK_WORD)
			return conf_perr(P, t->line, "unexpected '%s'", t->s);
		if (top_stmt(P, t) == -1)
			return -1;
	}
}

static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > CONF_MAX_FILE) {
		snprintf(err, errlen, "%s: not a regular file of at most "
		    "16 MiB", path);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static int
parse_text(struct conf_parser *P, const char *name, const char *text, size_t len)
{
	struct conf_lexer lx, *saved = P->lx;
	int rc;

	conf_lex_init(&lx, name, text, len);
	P->lx = &lx;
	rc = parse_stmts(P);
	P->lx = saved;
	return rc;
}

static int
parse_include(struct conf_parser *P, int line)
{
	const struct conf_tok *t = conf_expect_value(P, "include");
	char path[PATH_MAX], dir[PATH_MAX], *text;
	size_t len;
	int rc;

	if (t == NULL)
		return -1;
	if (P->depth >= CONF_MAX_INCLUDE)
		return conf_perr(P, line, "include \"%s\" nests too deep "
		    "(at most %d levels)", t->s, CONF_MAX_INCLUDE);
	if (t->s[0] == '/')
		snprintf(path, sizeof(path), "%s", t->s);
	else {
		snprintf(dir, sizeof(dir), "%s", P->lx->name);
		snprintf(path, sizeof(path), "%s/%s", dirname(dir), t->s);
	}
	if ((text = read_file(path, &len, P->err, P->errlen)) == NULL) {
		char why[CONF_ERR_MAX];

		snprintf(why, sizeof(why), "%s", P->err);
		return conf_perr(P, line, "include: %s", why);
	}
	P->depth++;
	rc = parse_text(P, path, text, len);
	P->depth--;
	free(text);
	return rc;
}

static int
conf_finish(struct conf_parser *P, int line)
{
	if (P->conf->router_id == 0)
		return conf_perr(P, line, "router-id is missing (add e.g. "
		    "'router-id 192.0.2.1')");
	if (P->conf->as == 0)
		return conf_perr(P, line, "as is missing (add e.g. 'as 65000')");
	if (P->conf->control[0] == '\0')
		snprintf(P->conf->control, sizeof(P->conf->control), "%s",
		    CONF_DEFAULT_CONTROL);
	return 0;
}

int
conf_parse_string(const char *name, const char *text, struct xr_conf **out,
    char *err, size_t errlen)
{
	struct conf_parser P = { .err = err, .errlen = errlen };
	struct conf_lexer lx;

	*out = NULL;
	if ((P.conf = calloc(1, sizeof(*P.conf))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	conf_lex_init(&lx, name, text, strlen(text));
	P.lx = &lx;
	if (parse_stmts(&P) == -1 || conf_finish(&P, lx.line) == -1) {
		conf_free(P.conf);
		return -1;
	}
	*out = P.conf;
	return 0;
}

int
conf_parse_file(const char *path, struct xr_conf **out, char *err,
    size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((text = read_file(path, &len, err, errlen)) == NULL)
		return -1;
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte (is this a "
		    "text file?)", path);
		free(text);
		return -1;
	}
	rc = conf_parse_string(path, text, out, err, errlen);
	free(text);
	return rc;
}

void
conf_free(struct xr_conf *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nctxs; i++) {
		for (j = 0; j < c->ctxs[i].nroutes; j++)
			free(c->ctxs[i].routes[j].communities);
		free(c->ctxs[i].routes);
		free(c->ctxs[i].neighbors);
	}
	free(c->ctxs);
	free(c->listens);
	free(c->mrts);
	free(c->bmps);
	free(c);
}
