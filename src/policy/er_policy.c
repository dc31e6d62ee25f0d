/*
 * ExpressRoute import/export rules; see er_policy.h for the behaviour and
 * its sources. Attributes are rewritten into the edit buffer the RIB hands
 * us (struct rib_attr_edit); the RIB interns the result.
 */
#include <string.h>
#include <sys/socket.h>

#include "lib/log.h"
#include "policy/er_policy.h"
#include "wire/bgp.h"

bool
er_asn_is_private(uint32_t asn)
{
	return (asn >= 64512 && asn <= 65535) ||
	    (asn >= 4200000000u);
}

static bool
asn_is_doc(uint32_t asn)
{
	return asn >= 64496 && asn <= 64511;
}

/* 'filter' is the reason a refused route shows (show route --filtered,
 * xroute_bgp_filtered_routes): "bogon" first, so it can be searched. */
static const struct {
	const char	*pfx;
	const char	*why;
	const char	*filter;
} bogons[] = {
	{ "10.0.0.0/8", "private address space (RFC 1918)",
	    "bogon: private address space (RFC 1918)" },
	{ "172.16.0.0/12", "private address space (RFC 1918)",
	    "bogon: private address space (RFC 1918)" },
	{ "192.168.0.0/16", "private address space (RFC 1918)",
	    "bogon: private address space (RFC 1918)" },
	{ "fc00::/7", "unique local address space (RFC 4193)",
	    "bogon: unique local address space (RFC 4193)" },
	{ "fe80::/10", "link-local address space",
	    "bogon: link-local address space" },
};

#define NBOGONS	(sizeof(bogons) / sizeof(bogons[0]))

/* Parsed once: this runs for every prefix a Microsoft peering sends. */
static struct prefix	bogon_pfx[NBOGONS];
static bool		bogon_ready;

static int
bogon_find(const struct prefix *p)
{
	size_t i;

	if (!bogon_ready) {
		for (i = 0; i < NBOGONS; i++)
			if (prefix_parse(bogons[i].pfx, &bogon_pfx[i], true))
				fatal_bug("bad bogon prefix %s", bogons[i].pfx);
		bogon_ready = true;
	}
	for (i = 0; i < NBOGONS; i++)
		if (prefix_contains(&bogon_pfx[i], p))
			return (int)i;
	return -1;
}

const char *
er_prefix_bogon(const struct prefix *p)
{
	int i = bogon_find(p);

	return i < 0 ? NULL : bogons[i].why;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

long
er_aspath_filter(const uint8_t *path, size_t len, uint8_t *out, size_t outlen,
    bool (*drop)(uint32_t))
{
	size_t in = 0, o = 0;

	while (in + 2 <= len) {
		uint8_t type = path[in], cnt = path[in + 1];
		size_t hdr = o, kept = 0, k;

		if (in + 2 + (size_t)cnt * 4 > len)
			return -1;	/* not a validated path */
		if (o + 2 > outlen)
			return -1;
		o += 2;
		for (k = 0; k < cnt; k++) {
			uint32_t asn = get32(path + in + 2 + k * 4);
			if (drop(asn))
				continue;
			if (o + 4 > outlen)
				return -1;
			put32(out + o, asn);
			o += 4;
			kept++;
		}
		if (kept == 0)
			o = hdr;	/* the whole segment went away */
		else {
			out[hdr] = type;
			out[hdr + 1] = (uint8_t)kept;
		}
		in += 2 + (size_t)cnt * 4;
	}
	return (long)o;
}

static bool
path_has(const uint8_t *path, size_t len, bool (*pred)(uint32_t))
{
	size_t in = 0, k;

	while (in + 2 <= len) {
		uint8_t cnt = path[in + 1];
		for (k = 0; k < cnt && in + 6 + k * 4 <= len; k++)
			if (pred(get32(path + in + 2 + k * 4)))
				return true;
		in += 2 + (size_t)cnt * 4;
	}
	return false;
}

/* Room in the edit buffer, or NULL. */
static uint8_t *
edit_alloc(struct rib_attr_edit *e, size_t n)
{
	uint8_t *p;

	if (e->used + n > sizeof(e->buf))
		return NULL;
	p = e->buf + e->used;
	e->used += n;
	return p;
}

static int
strip_private(struct rib_attr_edit *e)
{
	uint8_t *out;
	long n;

	if (!BGP_ATTR_HAS(&e->a, BGP_ATTR_AS_PATH) || e->a.aspath_len == 0)
		return 0;
	if (!path_has(e->a.aspath, e->a.aspath_len, er_asn_is_private))
		return 0;
	if ((out = edit_alloc(e, e->a.aspath_len)) == NULL)
		return -1;
	n = er_aspath_filter(e->a.aspath, e->a.aspath_len, out,
	    e->a.aspath_len, er_asn_is_private);
	if (n < 0)
		return -1;
	e->a.aspath = out;
	e->a.aspath_len = (uint16_t)n;
	return 0;
}

static bool
in_allow_list(const struct er_policy *p, const struct prefix *pfx)
{
	size_t i;

	for (i = 0; i < p->nallow; i++)
		if (prefix_contains(&p->allow[i], pfx))
			return true;
	return false;
}

enum rib_verdict
er_policy_import(void *arg, struct rib_peer *peer, const struct prefix *pfx,
    struct rib_attr_edit *e, const char **reason)
{
	const struct er_policy *p = arg;
	int b;

	if (p->deny_default && pfx->len == 0) {
		*reason = "default route not accepted on this peering";
		return RIB_REJECT;
	}
	if (p->deny_bogons && (b = bogon_find(pfx)) >= 0) {
		*reason = bogons[b].filter;
		return RIB_REJECT;
	}
	if (p->nallow > 0 && !in_allow_list(p, pfx)) {
		*reason = "not in advertisedPublicPrefixes";
		return RIB_REJECT;
	}
	if (p->deny_doc_asn && BGP_ATTR_HAS(&e->a, BGP_ATTR_AS_PATH) &&
	    path_has(e->a.aspath, e->a.aspath_len, asn_is_doc)) {
		*reason = "documentation ASN (64496-64511) in AS_PATH";
		return RIB_REJECT;
	}
	if (p->strip_private_as_in && strip_private(e) == -1) {
		*reason = "AS_PATH too long to rewrite";
		return RIB_REJECT;
	}
	if (p->strip_communities) {
		e->a.present &= ~((1ULL << BGP_ATTR_COMMUNITIES) |
		    (1ULL << BGP_ATTR_EXT_COMMUNITIES) |
		    (1ULL << BGP_ATTR_LARGE_COMMUNITIES));
		e->a.comm_len = e->a.ext_len = e->a.large_len = 0;
		e->a.comm = e->a.ext = e->a.large = NULL;
	}
	if (p->set_local_pref) {
		e->a.present |= 1ULL << BGP_ATTR_LOCAL_PREF;
		e->a.local_pref = p->local_pref;
	}
	return RIB_ACCEPT;
}

static bool
comm_has(const uint8_t *c, size_t len, uint32_t v)
{
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		if (get32(c + i) == v)
			return true;
	return false;
}

static int
add_communities(const struct er_policy *p, struct rib_attr_edit *e)
{
	size_t have = BGP_ATTR_HAS(&e->a, BGP_ATTR_COMMUNITIES) ?
	    e->a.comm_len : 0, i, n = have;
	uint8_t *out;

	if (p->nadd_comm == 0)
		return 0;
	if ((out = edit_alloc(e, have + p->nadd_comm * 4)) == NULL)
		return -1;
	if (have)
		memcpy(out, e->a.comm, have);
	for (i = 0; i < p->nadd_comm; i++) {
		if (comm_has(out, n, p->add_comm[i]))
			continue;
		put32(out + n, p->add_comm[i]);
		n += 4;
	}
	e->a.comm = out;
	e->a.comm_len = (uint16_t)n;
	e->a.present |= 1ULL << BGP_ATTR_COMMUNITIES;
	return 0;
}

static int
prepend(const struct er_policy *p, struct rib_attr_edit *e)
{
	struct wbuf w;
	uint8_t *out;
	size_t room = sizeof(e->buf) - e->used;

	if (p->prepend == 0)
		return 0;
	out = e->buf + e->used;
	wbuf_init_fixed(&w, out, room);
	if (bgp_aspath_prepend(&w, e->a.aspath, e->a.aspath_len, p->local_as,
	    p->prepend) == -1 || w.err)
		return -1;
	e->used += w.len;
	e->a.aspath = out;
	e->a.aspath_len = (uint16_t)w.len;
	e->a.present |= 1ULL << BGP_ATTR_AS_PATH;
	return 0;
}

enum rib_verdict
er_policy_export(void *arg, struct rib_peer *to, const struct prefix *pfx,
    struct rib_attr_edit *e)
{
	const struct er_policy *p = arg;

	if (p->remove_private_as && strip_private(e) == -1)
		return RIB_REJECT;
	if (prepend(p, e) == -1)
		return RIB_REJECT;
	if (add_communities(p, e) == -1)
		return RIB_REJECT;
	return RIB_ACCEPT;
}

void
er_policy_bind(struct er_policy *p, struct rib_policy *out)
{
	out->import = er_policy_import;
	out->export = er_policy_export;
	out->arg = p;
	/* The export rules read only the attributes, never the prefix. */
	out->export_by_attrs = true;
}
