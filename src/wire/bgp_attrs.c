/*
 * The path attribute section as a whole (RFC 4271 4.3, 5; RFC 7606
 * sections 3 and 4): walking it attribute by attribute through the
 * descriptor table of bgp_attr.c, and the section-level rules: flags that
 * contradict the attribute's kind, duplicates, unknown attributes (well-
 * known: session reset; optional transitive: kept with Partial set;
 * optional non-transitive: dropped), lengths that overrun the section.
 * Encoding writes a pattrs back in ascending type order.
 *
 * Unknown optional transitive attributes are copied to the front of the
 * caller's scratch area so they can be passed on as one block.
 */
#include <stdio.h>
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

#define TYPE_BIT(t)	(t < 64 ? (uint64_t)1 << (t) : 0)

/*
 * Apply the attribute's RFC 7606 action for a malformation; -1 when that
 * is a session reset (err carries the attribute, RFC 4271 6.3).
 */
static int
attr_malformed(struct bgp_adec *d, const struct bgp_attr_desc *a,
    uint8_t type, uint8_t subcode, const char *why)
{
	struct bgp_update *u = d->u;

	u->attrs.present &= ~TYPE_BIT(type);
	switch (a->on_error) {
	case BGP_7606_ATTR_DISCARD:
		u->discarded |= TYPE_BIT(type);
		if (type == BGP_ATTR_AS4_PATH)
			d->has_as4path = false;
		else if (type == BGP_ATTR_AS4_AGGREGATOR)
			d->has_as4aggr = false;
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "%s discarded: %s", a->name, why);
		return 0;
	case BGP_7606_SESSION_RESET:
		bgp_err_set(d->err, BGP_ERR_UPDATE, subcode, d->attr,
		    d->attr_len);
		bgp_update_raise(u, BGP_7606_SESSION_RESET, "%s malformed: %s",
		    a->name, why);
		return -1;
	default:
		bgp_update_raise(u, BGP_7606_WITHDRAW, "%s malformed: %s",
		    a->name, why);
		return 0;
	}
}

/*
 * Keep an unknown optional transitive attribute, Partial set (RFC 4271 5),
 * in the block of unknown attributes at the front of scratch, sorted by
 * type so that bgp_attrs_encode() can send them in order.
 */
static void
attr_unknown_keep(struct bgp_adec *d)
{
	struct bgp_pattrs *a = &d->u->attrs;
	uint8_t *blk = d->ctx->scratch, *at;
	size_t pos = 0, n;

	if (blk == NULL || d->ctx->scratch_len - d->scratch_used < d->attr_len ||
	    a->unknown_len + d->attr_len > 0xffff) {
		bgp_update_raise(d->u, BGP_7606_ATTR_DISCARD,
		    "unknown attribute %u dropped: no room to pass it on",
		    d->attr[1]);
		return;
	}
	/* entries were checked when stored; most messages have one */
	while (pos < a->unknown_len && blk[pos + 1] < d->attr[1]) {
		n = (blk[pos] & BGP_AF_EXTLEN) ? 4 + (size_t)bgp_get16(blk +
		    pos + 2) : 3 + (size_t)blk[pos + 2];
		pos += n;
	}
	at = blk + pos;
	memmove(at + d->attr_len, at, a->unknown_len - pos);
	memcpy(at, d->attr, d->attr_len);
	at[0] |= BGP_AF_PARTIAL;
	a->unknown = blk;
	a->unknown_len += (uint16_t)d->attr_len;
	d->scratch_used += d->attr_len;
}

static bool
attr_len_ok(const struct bgp_attr_desc *a, size_t len)
{
	switch (a->len_rule) {
	case ALEN_FIXED:
		return len == a->len;
	case ALEN_MULT:
		return len > 0 && len % a->len == 0;
	default:
		return true;
	}
}

/* One attribute whose header and value were read whole. */
static int
attr_one(struct bgp_adec *d, uint8_t flags, uint8_t type, struct rbuf *v)
{
	const struct bgp_attr_desc *a = bgp_attr_desc(type);
	struct bgp_update *u = d->u;
	char why[48];
	int rc;

	if (d->seen[type / 64] & (uint64_t)1 << (type % 64)) {
		/* RFC 7606 3.g */
		if (type == BGP_ATTR_MP_REACH || type == BGP_ATTR_MP_UNREACH) {
			bgp_err_set(d->err, BGP_ERR_UPDATE, BGP_UPD_ATTRLIST,
			    NULL, 0);
			bgp_update_raise(u, BGP_7606_SESSION_RESET,
			    "%s appears twice", a->name);
			return -1;
		}
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "duplicate %s (type %u) discarded", bgp_attr_name(type),
		    type);
		return 0;
	}
	d->seen[type / 64] |= (uint64_t)1 << (type % 64);
	if (a->name == NULL) {
		if (!(flags & BGP_AF_OPTIONAL)) {
			bgp_err_set(d->err, BGP_ERR_UPDATE, BGP_UPD_UNKWN_WK,
			    d->attr, d->attr_len);
			bgp_update_raise(u, BGP_7606_SESSION_RESET,
			    "unrecognized well-known attribute %u", type);
			return -1;
		}
		if (flags & BGP_AF_TRANSITIVE)
			attr_unknown_keep(d);
		return 0;
	}
	if (a->ebgp_discard && d->ctx->ebgp) {
		u->discarded |= TYPE_BIT(type);
		bgp_update_raise(u, BGP_7606_ATTR_DISCARD,
		    "%s from an external peer discarded", a->name);
		return 0;
	}
	/* RFC 7606 3.c: wrong Optional/Transitive bits are a malformation */
	if ((flags & (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)) != a->flags) {
		snprintf(why, sizeof(why), "flags 0x%02x, want 0x%02x",
		    flags & (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE), a->flags);
		return attr_malformed(d, a, type, BGP_UPD_ATTRFLAGS, why);
	}
	if (!attr_len_ok(a, rbuf_left(v))) {
		snprintf(why, sizeof(why), "length %zu", rbuf_left(v));
		return attr_malformed(d, a, type, BGP_UPD_ATTRLEN, why);
	}
	d->why = "bad value";
	d->subcode = a->subcode;
	rc = a->decode(d, v);
	if (rc == ADEC_BAD)
		return attr_malformed(d, a, type, d->subcode, d->why);
	if (rc == ADEC_KEEP)
		u->attrs.present |= TYPE_BIT(type);
	return 0;
}

int
bgp_attrs_decode(struct bgp_adec *d, struct rbuf *r)
{
	const uint8_t *start;
	struct rbuf v;
	uint16_t len16;
	uint8_t flags, type, len8;

	while (rbuf_left(r) > 0) {
		start = rbuf_cur(r);
		if (rbuf_get_u8(r, &flags) == -1 || rbuf_get_u8(r, &type) == -1)
			goto overrun;
		if (flags & BGP_AF_EXTLEN) {
			if (rbuf_get_u16(r, &len16) == -1)
				goto overrun;
		} else {
			if (rbuf_get_u8(r, &len8) == -1)
				goto overrun;
			len16 = len8;
		}
		if (rbuf_sub(r, len16, &v) == -1)
			goto overrun;
		d->attr = start;
		d->attr_len = (size_t)(rbuf_cur(r) - start);
		d->flags = flags;
		if (attr_one(d, flags, type, &v) == -1)
			return -1;
	}
	return 0;
overrun:
	/*
	 * RFC 7606 section 4: the attribute section's own length still
	 * locates the NLRI, so this is treat-as-withdraw, not a reset.
	 */
	bgp_update_raise(d->u, BGP_7606_WITHDRAW,
	    "attribute overruns the path attribute section");
	return 0;
}

/* Copy the passed-on unknown attributes with a type below 'below'. */
static const uint8_t *
unknown_flush(struct wbuf *w, const uint8_t *p, const uint8_t *end,
    unsigned below)
{
	size_t n;

	while (end - p >= 3 && p[1] < below) {
		n = (p[0] & BGP_AF_EXTLEN) ? 4 + (size_t)bgp_get16(p + 2) :
		    3 + (size_t)p[2];
		if (n > (size_t)(end - p))
			return end;
		wbuf_put_bytes(w, p, n);
		p += n;
	}
	return p;
}

int
bgp_attrs_encode(struct wbuf *w, const struct bgp_pattrs *a,
    enum bgp_fam fam, const struct bgp_encode_ctx *e)
{
	const uint8_t *up = NULL, *uend = NULL;
	const struct bgp_attr_desc *d;
	unsigned t;
	bool always;

	if (a->unknown != NULL) {
		up = a->unknown;
		uend = a->unknown + a->unknown_len;
	}
	for (t = 1; t < 256; t++) {
		d = bgp_attr_desc((uint8_t)t);
		if (d->encode == NULL)
			continue;
		/* AS4_* are derived from AS_PATH and AGGREGATOR */
		always = t == BGP_ATTR_AS4_PATH || t == BGP_ATTR_AS4_AGGREGATOR;
		if (!always && !BGP_ATTR_HAS(a, t))
			continue;
		up = unknown_flush(w, up, uend, t);
		d->encode(w, a, fam, e);
	}
	unknown_flush(w, up, uend, 256);
	return w->err ? -1 : 0;
}
