/*
 * The ExpressRoute and BFD configuration statements (src/daemon/conf_er.c):
 * parsed values, defaults, and the exact error messages.
 */
#include <stdlib.h>

#include "t.h"
#include "daemon/conf.h"

static struct xr_conf *
parse(const char *text, char *err, size_t errlen)
{
	struct xr_conf *c = NULL;

	if (conf_parse_string("t.conf", text, &c, err, errlen) == -1)
		return NULL;
	return c;
}

static void
test_edge_neighbor(void)
{
	char err[512] = "";
	struct xr_conf *c = parse(
	    "router-id 172.16.0.2\nas 12076\n"
	    "context \"p\" {\n"
	    "  kernel-table main\n"
	    "  ingress-interface ce ingress-interface ce2\n"
	    "  neighbor 172.16.0.1 {\n"
	    "    remote-as 65010 local-address 172.16.0.2\n"
	    "    remove-private-as strip-communities\n"
	    "    add-community 12076:50002 add-community no-export\n"
	    "    bfd 50 multiplier 5 strict\n"
	    "    prepend 2\n"
	    "  }\n"
	    "}\n", err, sizeof(err));
	const struct conf_neighbor *n;

	T_CHECK(c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	T_EQ(c->ctxs[0].kernel_table, CONF_KTABLE_MAIN);
	T_EQ(c->ctxs[0].ningress, 2);
	T_STREQ(c->ctxs[0].ingress[1], "ce2");
	n = &c->ctxs[0].neighbors[0];
	T_CHECK(n->has_policy);
	T_CHECK(n->policy.remove_private_as);
	T_CHECK(n->policy.strip_communities);
	T_CHECK(!n->policy.deny_bogons);
	T_EQ(n->policy.nadd_comm, 2);
	T_EQ(n->policy.add_comm[0], (12076u << 16) | 50002);
	T_EQ(n->policy.add_comm[1], 0xFFFFFF01u);
	T_EQ(n->policy.prepend, 2);
	T_EQ(n->bfd_interval_ms, 50);
	T_EQ(n->bfd_mult, 5);
	T_CHECK(n->bfd_strict);
	conf_free(c);
}

static void
test_microsoft_peering_and_defaults(void)
{
	char err[512] = "";
	struct xr_conf *c = parse(
	    "router-id 1.1.1.1\nas 12076\n"
	    "context \"m\" {\n"
	    "  kernel-table 1001\n"
	    "  neighbor 203.0.113.1 { remote-as 64500 local-address 203.0.113.2\n"
	    "    deny-bogons deny-default deny-documentation-asn\n"
	    "    strip-private-as-in\n"
	    "    allow-prefix 198.51.100.0/24 allow-prefix 203.0.113.0/24\n"
	    "    bfd }\n"
	    "  neighbor 203.0.113.5 { remote-as 64500 }\n"
	    "}\n", err, sizeof(err));
	const struct conf_neighbor *n;
	char buf[PREFIX_STRLEN];

	T_CHECK(c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	T_EQ(c->ctxs[0].kernel_table, 1001);
	n = &c->ctxs[0].neighbors[0];
	T_CHECK(n->policy.deny_bogons && n->policy.deny_default &&
	    n->policy.deny_doc_asn && n->policy.strip_private_as_in);
	T_EQ(n->policy.nallow, 2);
	T_STREQ(prefix_ntop(&n->policy.allow[1], buf, sizeof(buf)),
	    "203.0.113.0/24");
	/* bare 'bfd': ExpressRoute's 300 ms x 3 */
	T_EQ(n->bfd_interval_ms, 300);
	T_EQ(n->bfd_mult, 3);
	T_CHECK(!n->bfd_strict);
	/* a neighbour without any of it */
	n = &c->ctxs[0].neighbors[1];
	T_CHECK(!n->has_policy);
	T_EQ(n->bfd_interval_ms, 0);
	conf_free(c);
}

static void
test_reload_diff_is_soft(void)
{
	char err[512];
	struct xr_conf *a = parse("router-id 1.1.1.1\nas 1\ncontext \"c\" {"
	    " neighbor 10.0.0.1 { remote-as 2 local-address 10.0.0.2 } }\n",
	    err, sizeof(err));
	struct xr_conf *b = parse("router-id 1.1.1.1\nas 1\ncontext \"c\" {"
	    " neighbor 10.0.0.1 { remote-as 2 local-address 10.0.0.2"
	    " add-community 1:1 bfd } }\n", err, sizeof(err));

	T_CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	/* policy and BFD changes never reset the BGP session */
	T_EQ(conf_neighbor_cmp(&a->ctxs[0].neighbors[0],
	    &b->ctxs[0].neighbors[0]), CONF_SOFT);
	T_CHECK(conf_neighbor_policy_cmp(&a->ctxs[0].neighbors[0],
	    &b->ctxs[0].neighbors[0]) != 0);
	T_EQ(conf_neighbor_cmp(&b->ctxs[0].neighbors[0],
	    &b->ctxs[0].neighbors[0]), CONF_SAME);
	conf_free(a);
	conf_free(b);
}

static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n neighbor 10.0.0.1 {"
	  " remote-as 2 bfd }\n}\n",
	  "t.conf:4: neighbor 10.0.0.1: bfd needs local-address (the source "
	  "of the BFD packets)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n kernel-table 255\n}\n",
	  "t.conf:4: kernel-table 255 is invalid (main, or a table id "
	  "1-4294967294 other than 253 default and 255 local)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n kernel-table 7\n"
	  " ingress-interface ca ingress-interface ca\n}\n",
	  "t.conf:5: ingress-interface ca is given twice" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n"
	  " ingress-interface abcdefghijklmnopq\n}\n",
	  "t.conf:4: ingress-interface 'abcdefghijklmnopq' is not an "
	  "interface name (1-15 characters)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n neighbor 10.0.0.1 {"
	  " remote-as 2\n allow-prefix 10.0.0.1/8 }\n}\n",
	  "t.conf:5: allow-prefix 10.0.0.1/8 is not a prefix (ADDRESS/LENGTH "
	  "with no host bits set)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n neighbor 10.0.0.1 {"
	  " remote-as 2\n add-community 70000:1 }\n}\n",
	  "t.conf:5: add-community 70000:1 is invalid (ASN:VALUE with each "
	  "0-65535, or a well-known name)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n neighbor 10.0.0.1 {"
	  " remote-as 2 local-address 10.0.0.2\n bfd 5 }\n}\n",
	  "t.conf:5: bfd 5 is out of range (10-60000)" },
	{ "router-id 1.1.1.1\nas 1\ncontext \"c\" {\n neighbor 10.0.0.1 {"
	  " remote-as 2\n prepend 11 }\n}\n",
	  "t.conf:5: prepend 11 is out of range (0-10)" },
};

static void
test_errors(void)
{
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		T_CHECK(parse(bad[i].text, err, sizeof(err)) == NULL);
		T_STREQ(err, bad[i].err);
	}
}

int
main(void)
{
	T_RUN(test_edge_neighbor);
	T_RUN(test_microsoft_peering_and_defaults);
	T_RUN(test_reload_diff_is_soft);
	T_RUN(test_errors);
	return t_done();
}
