/*
 * Configuration parser: valid files produce the expected structures, and
 * every error names the file, the line, the value and what is allowed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/conf_lex.h"
#include "t.h"

static const char full_conf[] =
    "# comment\n"
    "router-id 192.0.2.1\n"
    "as 12076                        # local AS\n"
    "listen 127.0.0.1 port 1179\n"
    "listen ::1\n"
    "control \"/tmp/xr.sock\"\n"
    "context \"c1\" {\n"
    "    local-as 65010\n"
    "    route 10.1.0.0/16 { med 10 community 12076:50002 community 65000:1 }\n"
    "    route 2001:db8:100::/48\n"
    "    route 10.2.0.0/16 med 5 community no-export origin incomplete\n"
    "    neighbor 10.0.0.2 {\n"
    "        remote-as 65001\n"
    "        description \"customer primary\"\n"
    "        password \"secret\"\n"
    "        hold-time 90\n"
    "        keepalive 30\n"
    "        connect-retry 5\n"
    "        local-address 10.0.0.1\n"
    "        passive\n"
    "        max-prefix 4000\n"
    "        max-prefix ipv6 100\n"
    "        max-prefix-restart 30\n"
    "        ttl-security no\n"
    "        families ipv4\n"
    "        shutdown \"maintenance\"\n"
    "    }\n"
    "    neighbor 2001:db8::2 { remote-as 4200000000 }\n"
    "}\n"
    "context c2 { neighbor 10.0.0.2 { remote-as 65010 port 1790 } }\n";

static struct xr_conf *
parse_ok(const char *text)
{
	struct xr_conf *c = NULL;
	char err[CONF_ERR_MAX] = "";

	if (conf_parse_string("t.conf", text, &c, err, sizeof(err)) != 0)
		printf("#   unexpected error: %s\n", err);
	return c;
}

static void
test_full(void)
{
	struct xr_conf *c = parse_ok(full_conf);
	struct conf_ctx *c1, *c2;
	struct conf_neighbor *n;
	struct addr a;
	char buf[PREFIX_STRLEN];

	T_CHECK(c != NULL);
	if (c == NULL)
		return;
	T_EQ(c->router_id, 0xc0000201);
	T_EQ(c->as, 12076);
	T_STREQ(c->control, "/tmp/xr.sock");
	T_EQ(c->nlistens, 2);
	T_EQ(c->listens[0].port, 1179);
	T_EQ(c->listens[1].port, 179);
	T_EQ(c->listens[1].addr.af, AF_INET6);
	T_EQ(c->nctxs, 2);
	c1 = conf_ctx_find(c, "c1");
	c2 = conf_ctx_find(c, "c2");
	T_CHECK(c1 != NULL && c2 != NULL);
	if (c1 == NULL || c2 == NULL)
		goto out;
	T_EQ(c1->local_as, 65010);
	T_EQ(conf_ctx_as(c, c1), 65010);
	T_EQ(conf_ctx_as(c, c2), 12076);
	T_EQ(c1->nroutes, 3);
	T_STREQ(prefix_ntop(&c1->routes[0].prefix, buf, sizeof(buf)),
	    "10.1.0.0/16");
	T_CHECK(c1->routes[0].has_med);
	T_EQ(c1->routes[0].med, 10);
	T_EQ(c1->routes[0].ncommunities, 2);
	T_EQ(c1->routes[0].communities[0], (12076u << 16) | 50002);
	T_EQ(c1->routes[0].communities[1], (65000u << 16) | 1);
	T_EQ(c1->routes[0].origin, BGP_ORIGIN_IGP);
	T_STREQ(prefix_ntop(&c1->routes[1].prefix, buf, sizeof(buf)),
	    "2001:db8:100::/48");
	T_CHECK(!c1->routes[1].has_med);
	T_EQ(c1->routes[2].med, 5);
	T_EQ(c1->routes[2].communities[0], BGP_COMM_NO_EXPORT);
	T_EQ(c1->routes[2].origin, BGP_ORIGIN_INCOMPLETE);
	T_EQ(c1->routes[2].line, 11);
	T_EQ(c1->nneighbors, 2);
	addr_parse("10.0.0.2", &a);
	n = conf_neighbor_find(c1, &a);
	T_CHECK(n != NULL);
	if (n != NULL) {
		T_EQ(n->line, 12);
		T_EQ(n->remote_as, 65001);
		T_STREQ(n->descr, "customer primary");
		T_STREQ(n->password, "secret");
		T_EQ(n->hold, 90);
		T_EQ(n->keepalive, 30);
		T_EQ(n->connect_retry, 5);
		T_EQ(n->local_addr.af, AF_INET);
		T_CHECK(n->passive);
		T_EQ(n->max_prefix[BGP_FAM_V4U], 4000);
		T_EQ(n->max_prefix[BGP_FAM_V6U], 100);
		T_EQ(n->max_prefix_restart, 30);
		T_EQ(n->ttl_security, CONF_NO);
		T_CHECK(!conf_neighbor_gtsm(n, 65010));
		T_EQ(n->fams, BGP_FAM_BIT(BGP_FAM_V4U));
		T_CHECK(n->shutdown);
		T_STREQ(n->shutdown_msg, "maintenance");
		T_EQ(n->port, 179);
	}
	n = &c1->neighbors[1];
	T_EQ(n->remote_as, 4200000000u);
	T_EQ(n->hold, 180);
	T_EQ(n->keepalive, 0);
	T_EQ(n->connect_retry, 30);
	T_EQ(n->max_prefix_restart, 60);
	T_EQ(n->fams, 3);
	T_CHECK(!n->passive && !n->shutdown);
	T_CHECK(conf_neighbor_gtsm(n, 65010));	/* eBGP default */
	n = conf_neighbor_find(c2, &a);
	T_CHECK(n != NULL);
	if (n != NULL) {
		T_EQ(n->port, 1790);
		T_CHECK(!conf_neighbor_gtsm(n, 65010));	/* iBGP */
	}
out:
	conf_free(c);
}

static void
test_metrics_listen(void)
{
	char a[ADDR_STRLEN];
	struct xr_conf *c;

	c = parse_ok("router-id 10.0.0.1 as 1\nmetrics listen ::1 port 9100\n");
	T_CHECK(c != NULL && c->has_metrics);
	if (c != NULL) {
		T_STREQ(addr_ntop(&c->metrics.addr, a, sizeof(a)), "::1");
		T_EQ(c->metrics.port, 9100);
		conf_free(c);
	}
	c = parse_ok("router-id 10.0.0.1 as 1\nmetrics listen 127.0.0.1\n");
	T_CHECK(c != NULL && c->has_metrics);
	if (c != NULL) {
		T_EQ(c->metrics.port, CONF_METRICS_PORT);
		conf_free(c);
	}
}

static void
test_defaults(void)
{
	struct xr_conf *c = parse_ok("router-id 10.0.0.1 as 1.10\n"
	    "neighbor 10.0.0.2 { remote-as 2 }\nroute 10.9.0.0/24\n");

	T_CHECK(c != NULL);
	if (c == NULL)
		return;
	T_EQ(c->as, 65546);
	T_STREQ(c->control, CONF_DEFAULT_CONTROL);
	T_EQ(c->nlistens, 0);
	T_CHECK(!c->has_metrics);
	T_EQ(c->nctxs, 1);
	T_STREQ(c->ctxs[0].name, "default");
	T_EQ(c->ctxs[0].nneighbors, 1);
	T_EQ(c->ctxs[0].nroutes, 1);
	conf_free(c);
}

struct bad_case {
	const char	*text;
	const char	*msg;
};

#define HDR "router-id 1.1.1.1\nas 65000\n"

static const struct bad_case bad_cases[] = {
	{ HDR "context c1 {\nneighbor 10.0.0.2 {\nremote-as 0\n}\n}\n",
	  "t.conf:5: remote-as 0 is out of range (1-4294967295)" },
	{ HDR "context c1 {\nneighbor 10.0.0.2 {\nremote-as 4294967296\n}}\n",
	  "t.conf:5: remote-as 4294967296 is out of range (1-4294967295)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as abc } }\n",
	  "t.conf:3: remote-as abc is not an AS number (1-4294967295)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 23456 } }\n",
	  "t.conf:3: remote-as 23456 is AS_TRANS (RFC 6793), reserved for "
	  "2-octet compatibility; choose another AS" },
	{ HDR "context c1 {\n neighbor 10.0.0.2 { remote-as 1 }\n"
	  " neighbor 10.0.0.2 { remote-as 2 }\n}\n",
	  "t.conf:5: neighbor 10.0.0.2 is already defined in context \"c1\" "
	  "(line 4)" },
	{ HDR "context c1 {\n neighbor 10.0.0.2 {\n  remote-as 1\n"
	  "  colour blue\n }\n}\n",
	  "t.conf:6: unknown keyword 'colour' in neighbor block" },
	{ HDR "frobnicate 1\n",
	  "t.conf:3: unknown keyword 'frobnicate' (router-id, as, listen, "
	  "control, metrics, context, include, mrt, bmp)" },
	{ HDR "metrics serve 1.2.3.4\n",
	  "t.conf:3: metrics takes 'listen ADDR [port N]', not 'serve'" },
	{ HDR "metrics listen 1.2.3.4\nmetrics listen 1.2.3.5\n",
	  "t.conf:4: metrics listen is given twice" },
	{ HDR "metrics listen 1.2.3.4 port 70000\n",
	  "t.conf:3: port 70000 is out of range (0-65535)" },
	{ HDR "context c1 {\n bogus\n}\n",
	  "t.conf:4: unknown keyword 'bogus' in context \"c1\" (local-as, "
	  "route, neighbor, kernel-table)" },
	{ HDR "context c1 {\n neighbor 10.0.0.2 {\n }\n}\n",
	  "t.conf:4: neighbor 10.0.0.2: remote-as is missing" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 hold-time 2 }}",
	  "t.conf:3: hold-time 2 is out of range (0 or 3-65535)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 hold-time 70000 }}",
	  "t.conf:3: hold-time 70000 is out of range (0-65535)" },
	{ HDR "context c1 {\nneighbor 10.0.0.2 { remote-as 1 hold-time 30\n"
	  "keepalive 20 }}",
	  "t.conf:4: neighbor 10.0.0.2: keepalive 20 is too long for "
	  "hold-time 30 (at most hold-time / 3 = 10)" },
	/* a secret is never quoted back (it would land in logs) */
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 password "
	  "\"SECRET-0123456789-0123456789-0123456789-0123456789-0123456789-"
	  "0123456789-0123456789\" }}",
	  "t.conf:3: password is too long (83 bytes, at most 80); its value "
	  "is not shown" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 password \"\" }}",
	  "t.conf:3: password must not be empty" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 connect-retry 0 }}",
	  "t.conf:3: connect-retry 0 is out of range (1-65535)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 max-prefix 0 }}",
	  "t.conf:3: max-prefix 0 is out of range (1-4294967295)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 "
	  "ttl-security maybe }}",
	  "t.conf:3: ttl-security maybe is invalid (yes or no)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 families }}",
	  "t.conf:3: families needs at least one of ipv4, ipv6" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 "
	  "local-address ::1 }}",
	  "t.conf:3: neighbor 10.0.0.2: local-address ::1 is IPv6 but the "
	  "neighbor is IPv4" },
	{ HDR "context c1 { neighbor 10.0.0.300 { remote-as 1 }}",
	  "t.conf:3: neighbor 10.0.0.300 is not an IP address (IPv4 a.b.c.d "
	  "or IPv6)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { remote-as 1 password \"\" }}",
	  "t.conf:3: password must not be empty" },
	{ HDR "context c1 { route 10.1.0.1/16 }",
	  "t.conf:3: route 10.1.0.1/16 has host bits set; did you mean "
	  "10.1.0.0/16?" },
	{ HDR "context c1 { route 10.1.0.0 }",
	  "t.conf:3: route 10.1.0.0 is not a prefix (a.b.c.d/len or IPv6/len)" },
	{ HDR "context c1 {\nroute 10.1.0.0/16\nroute 10.1.0.0/16\n}",
	  "t.conf:5: route 10.1.0.0/16 is already defined in context \"c1\" "
	  "(line 4)" },
	{ HDR "context c1 { route 10.1.0.0/16 { community 65536:1 } }",
	  "t.conf:3: community 65536:1 is invalid (ASN:VALUE with each "
	  "0-65535, or no-export, no-advertise, no-export-subconfed, "
	  "blackhole)" },
	{ HDR "context c1 { route 10.1.0.0/16 { med -1 } }",
	  "t.conf:3: med -1 is not a number (0-4294967295)" },
	{ HDR "context c1 { route 10.1.0.0/16 { colour 1 } }",
	  "t.conf:3: unknown keyword 'colour' in route (med, community, "
	  "origin, next-hop)" },
	{ HDR "context c1 { route 10.1.0.0/16 next-hop ::1 }",
	  "t.conf:3: next-hop is IPv6 but route is IPv4; use a next hop of "
	  "the same family" },
	{ HDR "context c1 {\n neighbor 10.0.0.2 {\n  remote-as 1\n",
	  "t.conf:6: unexpected end of file: missing '}' for neighbor "
	  "10.0.0.2 (line 4)" },
	{ HDR "context c1 {\n",
	  "t.conf:4: unexpected end of file: missing '}' for context \"c1\" "
	  "(line 3)" },
	{ HDR "context c1 }\n",
	  "t.conf:3: expected '{' after context, got '}'" },
	{ HDR "context \"a b\" { }\n",
	  "t.conf:3: context name \"a b\" is invalid (1-63 characters of "
	  "A-Z a-z 0-9 . _ -)" },
	{ HDR "context c1 { }\ncontext c1 { }\n",
	  "t.conf:4: context \"c1\" is already defined (line 3)" },
	{ HDR "context c1 { neighbor 10.0.0.2 { description \"abc }}\n",
	  "t.conf:3: unterminated string (a string cannot span lines)" },
	{ "as 65000\n",
	  "t.conf:2: router-id is missing (add e.g. 'router-id 192.0.2.1')" },
	{ "router-id 1.1.1.1\n",
	  "t.conf:2: as is missing (add e.g. 'as 65000')" },
	{ "router-id 0.0.0.0\nas 1\n",
	  "t.conf:1: router-id 0.0.0.0 is not allowed (it must not be "
	  "0.0.0.0)" },
	{ "router-id ::1\nas 1\n",
	  "t.conf:1: router-id ::1 is invalid (an IPv4 address, e.g. "
	  "192.0.2.1)" },
	{ HDR "listen 127.0.0.1 port 0\n",
	  "t.conf:3: port 0 is out of range (1-65535)" },
	{ HDR "listen 127.0.0.1\nlisten 127.0.0.1 port 179\n",
	  "t.conf:4: listen 127.0.0.1 port 179 is given twice" },
	{ HDR "as\n",
	  "t.conf:4: unexpected end of file: as needs a value" },
	{ HDR "include \"/nonexistent/x.conf\"\n",
	  "t.conf:3: include: /nonexistent/x.conf: No such file or directory" },
};

static void
test_errors(void)
{
	char err[CONF_ERR_MAX];
	struct xr_conf *c;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		err[0] = '\0';
		T_EQ(conf_parse_string("t.conf", bad_cases[i].text, &c, err,
		    sizeof(err)), -1);
		T_CHECK(c == NULL);
		T_STREQ(err, bad_cases[i].msg);
	}
}

static void
test_include(void)
{
	char dir[] = "/tmp/xr-conf-XXXXXX", path[128], err[CONF_ERR_MAX];
	struct xr_conf *c = NULL;
	FILE *f;

	T_CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/peers.conf", dir);
	f = fopen(path, "w");
	T_CHECK(f != NULL);
	if (f == NULL)
		return;
	fprintf(f, "context c9 {\n  neighbor 10.9.9.9 { remote-as 0 }\n}\n");
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	f = fopen(path, "w");
	fprintf(f, "router-id 1.1.1.1\nas 1\ninclude \"peers.conf\"\n");
	fclose(f);
	T_EQ(conf_parse_file(path, &c, err, sizeof(err)), -1);
	snprintf(path, sizeof(path), "%s/peers.conf:2: remote-as 0 is out of "
	    "range (1-4294967295)", dir);
	T_STREQ(err, path);
	snprintf(path, sizeof(path), "%s/peers.conf", dir);
	f = fopen(path, "w");
	fprintf(f, "context c9 {\n  neighbor 10.9.9.9 { remote-as 9 }\n}\n");
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	T_EQ(conf_parse_file(path, &c, err, sizeof(err)), 0);
	T_CHECK(c != NULL && conf_ctx_find(c, "c9") != NULL);
	conf_free(c);
	snprintf(path, sizeof(path), "%s/peers.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	unlink(path);
	rmdir(dir);
}

static void
test_cmp(void)
{
	struct xr_conf *a = parse_ok(full_conf), *b;
	struct conf_neighbor *na, *nb;

	b = parse_ok(full_conf);
	if (a == NULL || b == NULL)
		return;
	na = &a->ctxs[0].neighbors[0];
	nb = &b->ctxs[0].neighbors[0];
	T_EQ(conf_neighbor_cmp(na, nb), CONF_SAME);
	snprintf(nb->descr, sizeof(nb->descr), "other");
	T_EQ(conf_neighbor_cmp(na, nb), CONF_SOFT);
	snprintf(nb->password, sizeof(nb->password), "changed");
	T_EQ(conf_neighbor_cmp(na, nb), CONF_RESET);
	T_CHECK(conf_route_equal(&a->ctxs[0].routes[0], &b->ctxs[0].routes[0]));
	b->ctxs[0].routes[0].communities[1] = 7;
	T_CHECK(!conf_route_equal(&a->ctxs[0].routes[0],
	    &b->ctxs[0].routes[0]));
	conf_free(a);
	conf_free(b);
}

static void
test_lexer(void)
{
	struct conf_lexer lx;
	const struct conf_tok *t;
	const char *s = "a \"b \\\" c\" { } # x\n;d";

	conf_lex_init(&lx, "x", s, strlen(s));
	t = conf_lex_next(&lx);
	T_EQ(t->type, CTOK_WORD);
	T_STREQ(t->s, "a");
	t = conf_lex_next(&lx);
	T_EQ(t->type, CTOK_STRING);
	T_STREQ(t->s, "b \" c");
	T_EQ(conf_lex_next(&lx)->type, CTOK_LBRACE);
	T_EQ(conf_lex_peek(&lx)->type, CTOK_RBRACE);
	T_EQ(conf_lex_next(&lx)->type, CTOK_RBRACE);
	t = conf_lex_next(&lx);
	T_STREQ(t->s, "d");
	T_EQ(t->line, 2);
	T_EQ(conf_lex_next(&lx)->type, CTOK_EOF);
	T_EQ(conf_lex_next(&lx)->type, CTOK_EOF);
}

int
main(void)
{
	T_RUN(test_full);
	T_RUN(test_defaults);
	T_RUN(test_metrics_listen);
	T_RUN(test_errors);
	T_RUN(test_include);
	T_RUN(test_cmp);
	T_RUN(test_lexer);
	return t_done();
}
