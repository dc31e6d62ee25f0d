/*
 * MRT record encoders (RFC 6396): the common header (4.1),
 * TABLE_DUMP_V2 PEER_INDEX_TABLE and RIB_IPV4_UNICAST/RIB_IPV6_UNICAST
 * (4.3.1, 4.3.2, 4.3.4) and BGP4MP MESSAGE_AS4 / STATE_CHANGE_AS4 (4.4).
 * Pure functions over a struct wbuf; the path attributes come from the BGP
 * codec (bgp_attrs_encode) so they are exactly what an UPDATE would carry.
 */
#include <string.h>
#include <sys/socket.h>

#include "mrt/mrt.h"

long
mrt_begin(struct wbuf *w, uint32_t ts, uint16_t type, uint16_t subtype)
{
	long off = (long)w->len;

	wbuf_put_u32(w, ts);
	wbuf_put_u16(w, type);
	wbuf_put_u16(w, subtype);
	wbuf_put_u32(w, 0);		/* length, patched by mrt_finish */
	return w->err ? -1 : off;
}

int
mrt_finish(struct wbuf *w, long off)
{
	if (off < 0 || w->err || w->len < (size_t)off + MRT_HDR_LEN)
		return -1;
	return wbuf_set_u32(w, (size_t)off + 8,
	    (uint32_t)(w->len - (size_t)off - MRT_HDR_LEN));
}

static void
put_addr(struct wbuf *w, const struct addr *a)
{
	wbuf_put_bytes(w, a->b, a->af == AF_INET6 ? 16 : 4);
}

int
mrt_peer_index_encode(struct wbuf *w, uint32_t ts, uint32_t collector,
    const char *view, const struct mrt_peer *p, size_t n)
{
	size_t vlen = strlen(view), i;
	long off;

	if (vlen > UINT16_MAX || n > UINT16_MAX)
		return -1;
	off = mrt_begin(w, ts, MRT_TABLE_DUMP_V2, MRT_PEER_INDEX_TABLE);
	wbuf_put_u32(w, collector);
	wbuf_put_u16(w, (uint16_t)vlen);
	wbuf_put_bytes(w, view, vlen);
	wbuf_put_u16(w, (uint16_t)n);
	for (i = 0; i < n; i++) {
		/* Always AS4: one format whatever the session negotiated. */
		wbuf_put_u8(w, MRT_PEER_AS4 |
		    (p[i].addr.af == AF_INET6 ? MRT_PEER_IPV6 : 0));
		wbuf_put_u32(w, p[i].bgp_id);
		put_addr(w, &p[i].addr);
		wbuf_put_u32(w, p[i].as);
	}
	return mrt_finish(w, off);
}

long
mrt_rib_begin(struct wbuf *w, uint32_t ts, uint32_t seq,
    const struct prefix *p)
{
	long off;

	off = mrt_begin(w, ts, MRT_TABLE_DUMP_V2, p->af == AF_INET6 ?
	    MRT_RIB_IPV6_UNICAST : MRT_RIB_IPV4_UNICAST);
	wbuf_put_u32(w, seq);
	wbuf_put_u8(w, p->len);
	wbuf_put_bytes(w, p->b, (p->len + 7u) / 8);
	wbuf_put_u16(w, 0);		/* entry count, patched */
	return w->err ? -1 : off;
}

/* RFC 6396 4.3.4: only the next hop (length and address) is kept. */
static void
put_mp_nexthop(struct wbuf *w, const struct bgp_pattrs *a)
{
	uint8_t nhlen = a->mp_nexthop_ll.af == AF_INET6 ? 32 : 16;

	if (a->mp_nexthop.af != AF_INET6)
		return;
	wbuf_put_u8(w, BGP_AF_OPTIONAL);
	wbuf_put_u8(w, BGP_ATTR_MP_REACH);
	wbuf_put_u8(w, (uint8_t)(1 + nhlen));
	wbuf_put_u8(w, nhlen);
	wbuf_put_bytes(w, a->mp_nexthop.b, 16);
	if (nhlen == 32)
		wbuf_put_bytes(w, a->mp_nexthop_ll.b, 16);
}

int
mrt_rib_entry(struct wbuf *w, uint16_t peer_idx, uint32_t orig_time,
    const struct bgp_pattrs *a, enum bgp_fam fam)
{
	const struct bgp_encode_ctx ec = { .as4 = true, .ext_msg = true };
	size_t start = w->len;
	long lenoff;

	wbuf_put_u16(w, peer_idx);
	wbuf_put_u32(w, orig_time);
	if ((lenoff = wbuf_reserve(w, 2)) == -1)
		return -1;
	if (bgp_attrs_encode(w, a, fam, &ec) == -1)
		w->err = true;
	if (fam == BGP_FAM_V6U)
		put_mp_nexthop(w, a);
	if (w->err || w->len - (size_t)lenoff - 2 > UINT16_MAX) {
		wbuf_truncate(w, start);
		return -1;
	}
	return wbuf_set_u16(w, (size_t)lenoff,
	    (uint16_t)(w->len - (size_t)lenoff - 2));
}

int
mrt_rib_finish(struct wbuf *w, long off, uint16_t count)
{
	size_t plen;

	if (off < 0 || w->len < (size_t)off + MRT_HDR_LEN + 5)
		return -1;
	plen = (w->p[off + MRT_HDR_LEN + 4] + 7u) / 8;
	if (wbuf_set_u16(w, (size_t)off + MRT_HDR_LEN + 5 + plen, count))
		return -1;
	return mrt_finish(w, off);
}

static long
bgp4mp_begin(struct wbuf *w, uint32_t ts, uint16_t subtype,
    const struct mrt_bgp4mp *e)
{
	long off;

	if (e->peer.af != e->local.af ||
	    (e->peer.af != AF_INET && e->peer.af != AF_INET6))
		return -1;
	off = mrt_begin(w, ts, MRT_BGP4MP, subtype);
	wbuf_put_u32(w, e->peer_as);
	wbuf_put_u32(w, e->local_as);
	wbuf_put_u16(w, e->ifindex);
	wbuf_put_u16(w, e->peer.af == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4);
	put_addr(w, &e->peer);
	put_addr(w, &e->local);
	return w->err ? -1 : off;
}

int
mrt_bgp4mp_msg_encode(struct wbuf *w, uint32_t ts, const struct mrt_bgp4mp *e,
    bool sent, const uint8_t *msg, size_t len)
{
	long off = bgp4mp_begin(w, ts, sent ? MRT_BGP4MP_MESSAGE_AS4_LOCAL :
	    MRT_BGP4MP_MESSAGE_AS4, e);

	if (off == -1)
		return -1;
	wbuf_put_bytes(w, msg, len);
	return mrt_finish(w, off);
}

int
mrt_bgp4mp_state_encode(struct wbuf *w, uint32_t ts, const struct mrt_bgp4mp *e,
    uint16_t old_state, uint16_t new_state)
{
	long off = bgp4mp_begin(w, ts, MRT_BGP4MP_STATE_CHANGE_AS4, e);

	if (off == -1)
		return -1;
	wbuf_put_u16(w, old_state);
	wbuf_put_u16(w, new_state);
	return mrt_finish(w, off);
}
