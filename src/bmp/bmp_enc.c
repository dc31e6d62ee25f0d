/*
 * BMP message encoders (RFC 7854): common header (4.1), per-peer header
 * (4.2), Initiation (4.3) with Information TLVs (4.4), Termination (4.5),
 * Route Monitoring (4.6), Stats Report (4.8), Peer Down (4.9), Peer Up
 * (4.10). Pure functions over a struct wbuf; the BGP PDUs inside come
 * from the session (as sent and received) or from the BGP codec.
 */
#include <string.h>
#include <sys/socket.h>

#include "bmp/bmp.h"

long
bmp_begin(struct wbuf *w, enum bmp_type type)
{
	long off = (long)w->len;

	wbuf_put_u8(w, BMP_VERSION);
	wbuf_put_u32(w, 0);		/* length, patched by bmp_finish */
	wbuf_put_u8(w, (uint8_t)type);
	return w->err ? -1 : off;
}

int
bmp_finish(struct wbuf *w, long off)
{
	if (off < 0 || w->err || w->len < (size_t)off + BMP_HDR_LEN)
		return -1;
	return wbuf_set_u32(w, (size_t)off + 1, (uint32_t)(w->len - (size_t)off));
}

/* An IPv4 address sits in the last 4 of 16 bytes, zeros before (4.2). */
static void
put_addr16(struct wbuf *w, const struct addr *a)
{
	static const uint8_t zero[12];

	if (a->af == AF_INET6)
		wbuf_put_bytes(w, a->b, 16);
	else {
		wbuf_put_bytes(w, zero, 12);
		wbuf_put_bytes(w, a->b, 4);
	}
}

int
bmp_peer_hdr(struct wbuf *w, const struct bmp_peer *p)
{
	uint8_t flags = p->flags & ~BMP_PF_V;

	if (p->addr.af == AF_INET6)
		flags |= BMP_PF_V;
	wbuf_put_u8(w, p->type);
	wbuf_put_u8(w, flags);
	wbuf_put_u64(w, p->distinguisher);
	put_addr16(w, &p->addr);
	wbuf_put_u32(w, p->as);
	wbuf_put_u32(w, p->bgp_id);
	wbuf_put_u32(w, p->ts_sec);
	wbuf_put_u32(w, p->ts_usec);
	return w->err ? -1 : 0;
}

static void
put_tlv(struct wbuf *w, uint16_t type, const void *v, size_t len)
{
	if (len > UINT16_MAX) {
		w->err = true;
		return;
	}
	wbuf_put_u16(w, type);
	wbuf_put_u16(w, (uint16_t)len);
	wbuf_put_bytes(w, v, len);
}

int
bmp_initiation_encode(struct wbuf *w, const char *descr, const char *name)
{
	long off = bmp_begin(w, BMP_INITIATION);

	put_tlv(w, BMP_INFO_SYSDESCR, descr, strlen(descr));
	put_tlv(w, BMP_INFO_SYSNAME, name, strlen(name));
	return bmp_finish(w, off);
}

int
bmp_termination_encode(struct wbuf *w, uint16_t reason)
{
	long off = bmp_begin(w, BMP_TERMINATION);
	uint8_t v[2] = { reason >> 8, reason & 0xff };

	put_tlv(w, BMP_TERM_REASON, v, sizeof(v));
	return bmp_finish(w, off);
}

int
bmp_route_mon_encode(struct wbuf *w, const struct bmp_peer *p,
    const uint8_t *update, size_t len)
{
	long off = bmp_begin(w, BMP_ROUTE_MONITORING);

	bmp_peer_hdr(w, p);
	wbuf_put_bytes(w, update, len);
	return bmp_finish(w, off);
}

int
bmp_peer_up_encode(struct wbuf *w, const struct bmp_peer *p,
    const struct addr *local, uint16_t lport, uint16_t rport,
    const uint8_t *os, size_t slen, const uint8_t *orc, size_t rlen)
{
	long off;

	if (slen < BGP_HDR_LEN || rlen < BGP_HDR_LEN)
		return -1;
	off = bmp_begin(w, BMP_PEER_UP);
	bmp_peer_hdr(w, p);
	put_addr16(w, local);
	wbuf_put_u16(w, lport);
	wbuf_put_u16(w, rport);
	wbuf_put_bytes(w, os, slen);
	wbuf_put_bytes(w, orc, rlen);
	return bmp_finish(w, off);
}

int
bmp_peer_down_encode(struct wbuf *w, const struct bmp_peer *p, uint8_t reason,
    const uint8_t *data, size_t len)
{
	long off = bmp_begin(w, BMP_PEER_DOWN);

	bmp_peer_hdr(w, p);
	wbuf_put_u8(w, reason);
	wbuf_put_bytes(w, data, len);
	return bmp_finish(w, off);
}

int
bmp_stats_encode(struct wbuf *w, const struct bmp_peer *p,
    const uint64_t adj_in[BGP_FAM_MAX])
{
	long off = bmp_begin(w, BMP_STATS_REPORT);
	uint64_t total = 0;
	uint16_t afi;
	uint8_t safi;
	unsigned f;

	bmp_peer_hdr(w, p);
	wbuf_put_u32(w, 1 + BGP_FAM_MAX);
	for (f = 0; f < BGP_FAM_MAX; f++)
		total += adj_in[f];
	wbuf_put_u16(w, BMP_STAT_ADJ_RIB_IN);
	wbuf_put_u16(w, 8);
	wbuf_put_u64(w, total);
	for (f = 0; f < BGP_FAM_MAX; f++) {
		bgp_fam_to_afi((enum bgp_fam)f, &afi, &safi);
		wbuf_put_u16(w, BMP_STAT_ADJ_RIB_IN_AF);
		wbuf_put_u16(w, 11);
		wbuf_put_u16(w, afi);
		wbuf_put_u8(w, safi);
		wbuf_put_u64(w, adj_in[f]);
	}
	return bmp_finish(w, off);
}
