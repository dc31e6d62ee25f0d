/*
 * Configuration statements for the ExpressRoute edge rules and BFD, kept
 * apart from the core grammar in conf.c.
 *
 * In a neighbor block:
 *   remove-private-as          strip private ASNs from advertised paths
 *   strip-communities          ignore communities the neighbour attaches
 *   strip-private-as-in        strip private ASNs from received paths
 *   deny-bogons                refuse RFC 1918, ULA and link-local prefixes
 *   deny-default               refuse 0.0.0.0/0 and ::/0
 *   deny-documentation-asn     refuse paths with ASNs 64496-64511
 *   allow-prefix PREFIX        accept only prefixes inside these (repeatable)
 *   add-community ASN:VALUE    tag every advertised route (repeatable)
 *   prepend N                  prepend our AS N more times (0-10)
 *   bfd [MS] [multiplier N] [strict] | bfd off
 *                              BFD on the session (default 300 ms x 3)
 * In a context block:
 *   kernel-table main|ID       install best routes in that kernel table
 *   ingress-interface IF       packets arriving on IF look up that table
 *                              (repeatable; ignored with kernel-table main)
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "daemon/conf_int.h"

#define BFD_MS_MIN	10
#define BFD_MS_MAX	60000
#define BFD_MS_DEFAULT	300

static int
nb_allow_prefix(struct conf_parser *P, struct conf_neighbor *n)
{
	const struct conf_tok *t = conf_expect_value(P, "allow-prefix");
	struct er_policy *p = &n->policy;

	if (t == NULL)
		return -1;
	if (p->nallow == ER_POLICY_MAX_ALLOW)
		return conf_perr(P, t->line, "allow-prefix: at most %d prefixes per "
		    "neighbor", ER_POLICY_MAX_ALLOW);
	if (prefix_parse(t->s, &p->allow[p->nallow], true) == -1)
		return conf_perr(P, t->line, "allow-prefix %s is not a prefix "
		    "(ADDRESS/LENGTH with no host bits set)", t->s);
	p->nallow++;
	return 0;
}

static int
nb_add_community(struct conf_parser *P, struct conf_neighbor *n)
{
	const struct conf_tok *t = conf_expect_value(P, "add-community");
	struct er_policy *p = &n->policy;
	uint32_t v;

	if (t == NULL)
		return -1;
	if (conf_community_value(t->s, &v) == -1)
		return conf_perr(P, t->line, "add-community %s is invalid (ASN:VALUE "
		    "with each 0-65535, or a well-known name)", t->s);
	if (p->nadd_comm == ER_POLICY_MAX_COMM)
		return conf_perr(P, t->line, "add-community: at most %d per "
		    "neighbor", ER_POLICY_MAX_COMM);
	p->add_comm[p->nadd_comm++] = v;
	return 0;
}

/* bfd [MS] [multiplier N] [strict] | bfd off */
static int
nb_bfd(struct conf_parser *P, struct conf_neighbor *n, int line)
{
	const struct conf_tok *t;
	uint32_t v;

	n->bfd_interval_ms = BFD_MS_DEFAULT;
	n->bfd_mult = 3;
	for (;;) {
		t = conf_lex_peek(P->lx);
		if (t->type != CTOK_WORD)
			return 0;
		if (strcmp(t->s, "off") == 0) {
			conf_lex_next(P->lx);
			n->bfd_interval_ms = 0;
			return 0;
		}
		if (strcmp(t->s, "strict") == 0) {
			conf_lex_next(P->lx);
			n->bfd_strict = true;
			continue;
		}
		if (strcmp(t->s, "multiplier") == 0) {
			conf_lex_next(P->lx);
			if (conf_get_u32(P, "bfd multiplier", 1, 255, &v) == -1)
				return -1;
			n->bfd_mult = (uint8_t)v;
			continue;
		}
		if (t->s[0] >= '0' && t->s[0] <= '9') {
			if (conf_get_u32(P, "bfd", BFD_MS_MIN, BFD_MS_MAX,
			    &n->bfd_interval_ms) == -1)
				return -1;
			continue;
		}
		return 0;	/* the next statement */
	}
	(void)line;
}

static const struct {
	const char	*kw;
	size_t		 off;	/* offset of a bool in struct er_policy */
} er_flags[] = {
	{ "remove-private-as", offsetof(struct er_policy, remove_private_as) },
	{ "strip-communities", offsetof(struct er_policy, strip_communities) },
	{ "strip-private-as-in",
	    offsetof(struct er_policy, strip_private_as_in) },
	{ "deny-bogons", offsetof(struct er_policy, deny_bogons) },
	{ "deny-default", offsetof(struct er_policy, deny_default) },
	{ "deny-documentation-asn", offsetof(struct er_policy, deny_doc_asn) },
};

int
conf_er_nb_stmt(struct conf_parser *P, struct conf_neighbor *n,
    const struct conf_tok *kw)
{
	const char *k = kw->s;
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(er_flags) / sizeof(er_flags[0]); i++)
		if (strcmp(k, er_flags[i].kw) == 0) {
			*(bool *)((char *)&n->policy + er_flags[i].off) = true;
			n->has_policy = true;
			return 0;
		}
	if (strcmp(k, "allow-prefix") == 0) {
		n->has_policy = true;
		return nb_allow_prefix(P, n);
	}
	if (strcmp(k, "add-community") == 0) {
		n->has_policy = true;
		return nb_add_community(P, n);
	}
	if (strcmp(k, "prepend") == 0) {
		n->has_policy = true;
		if (conf_get_u32(P, k, 0, 10, &v) == -1)
			return -1;
		n->policy.prepend = v;
		return 0;
	}
	if (strcmp(k, "bfd") == 0)
		return nb_bfd(P, n, kw->line);
	return 1;
}

int
conf_er_nb_check(struct conf_parser *P, struct conf_neighbor *n, const char *a)
{
	if (n->bfd_interval_ms != 0 && n->local_addr.af == 0)
		return conf_perr(P, n->line, "neighbor %s: bfd needs local-address "
		    "(the source of the BFD packets)", a);
	return 0;
}

static int
ctx_ingress(struct conf_parser *P, struct conf_ctx *c)
{
	const struct conf_tok *t = conf_expect_value(P, "ingress-interface");
	size_t i;

	if (t == NULL)
		return -1;
	if (c->ningress == CONF_MAX_INGRESS)
		return conf_perr(P, t->line, "ingress-interface: at most %d per "
		    "context", CONF_MAX_INGRESS);
	if (t->s[0] == '\0' || conf_copy_short(c->ingress[c->ningress],
	    CONF_IFNAMSIZ, t->s) == -1)
		return conf_perr(P, t->line, "ingress-interface '%s' is not an "
		    "interface name (1-%d characters)", t->s,
		    CONF_IFNAMSIZ - 1);
	for (i = 0; i < c->ningress; i++)
		if (strcmp(c->ingress[i], t->s) == 0)
			return conf_perr(P, t->line, "ingress-interface %s is "
			    "given twice", t->s);
	c->ningress++;
	return 0;
}

int
conf_er_ctx_stmt(struct conf_parser *P, struct conf_ctx *c,
    const struct conf_tok *kw)
{
	const struct conf_tok *t;
	unsigned long long v;

	if (strcmp(kw->s, "ingress-interface") == 0)
		return ctx_ingress(P, c);
	if (strcmp(kw->s, "kernel-table") != 0)
		return 1;
	if ((t = conf_expect_value(P, "kernel-table")) == NULL)
		return -1;
	if (strcmp(t->s, "main") == 0) {
		c->kernel_table = CONF_KTABLE_MAIN;
		return 0;
	}
	if (conf_parse_ulong(t->s, &v) == -1 || v < 1 || v > 0xfffffffeULL ||
	    v == 253 || v == 255)
		return conf_perr(P, t->line, "kernel-table %s is invalid (main, or a "
		    "table id 1-4294967294 other than 253 default and 255 "
		    "local)", t->s);
	c->kernel_table = (uint32_t)v;
	return 0;
}
