/*
 * A small MRT reader (RFC 6396 4.1, 4.3.1, 4.3.2, 4.4): enough to check
 * what xroute writes byte by byte in unit tests and to round-trip the
 * encoders under the fuzzer. Every byte goes through the bounded reader.
 */
#include <string.h>
#include <sys/socket.h>

#include "mrt/mrt.h"

int
mrt_rec_next(struct rbuf *r, struct mrt_rec *rec)
{
	uint32_t len;
	size_t save = r->pos;

	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_get_u32(r, &rec->ts) == -1 ||
	    rbuf_get_u16(r, &rec->type) == -1 ||
	    rbuf_get_u16(r, &rec->subtype) == -1 ||
	    rbuf_get_u32(r, &len) == -1 ||
	    rbuf_sub(r, len, &rec->body) == -1) {
		r->pos = save;
		return -1;
	}
	return 1;
}

static int
get_addr(struct rbuf *r, int af, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	a->af = (uint8_t)af;
	return rbuf_get_bytes(r, a->b, af == AF_INET6 ? 16 : 4);
}

int
mrt_peer_index_decode(const struct mrt_rec *rec, struct mrt_peer_index *pi)
{
	struct rbuf r = rec->body;
	struct mrt_peer p;
	uint16_t vlen, n, i;
	uint8_t type;

	memset(pi, 0, sizeof(*pi));
	if (rec->type != MRT_TABLE_DUMP_V2 ||
	    rec->subtype != MRT_PEER_INDEX_TABLE ||
	    rbuf_get_u32(&r, &pi->collector) == -1 ||
	    rbuf_get_u16(&r, &vlen) == -1 || vlen >= sizeof(pi->view) ||
	    rbuf_get_bytes(&r, pi->view, vlen) == -1 ||
	    rbuf_get_u16(&r, &n) == -1)
		return -1;
	pi->npeers = n;
	for (i = 0; i < n; i++) {
		uint16_t as2;

		if (rbuf_get_u8(&r, &type) == -1 ||
		    rbuf_get_u32(&r, &p.bgp_id) == -1 ||
		    get_addr(&r, type & MRT_PEER_IPV6 ? AF_INET6 : AF_INET,
		    &p.addr) == -1)
			return -1;
		if (type & MRT_PEER_AS4) {
			if (rbuf_get_u32(&r, &p.as) == -1)
				return -1;
		} else {
			if (rbuf_get_u16(&r, &as2) == -1)
				return -1;
			p.as = as2;
		}
		if (i < sizeof(pi->peers) / sizeof(pi->peers[0]))
			pi->peers[i] = p;
	}
	return rbuf_left(&r) == 0 ? 0 : -1;
}

int
mrt_rib_decode(const struct mrt_rec *rec, struct mrt_rib *rib)
{
	struct rbuf r = rec->body;
	struct mrt_rib_entry e;
	uint8_t b[16];
	uint16_t i;
	int af;

	memset(rib, 0, sizeof(*rib));
	if (rec->type != MRT_TABLE_DUMP_V2)
		return -1;
	if (rec->subtype == MRT_RIB_IPV4_UNICAST)
		af = AF_INET;
	else if (rec->subtype == MRT_RIB_IPV6_UNICAST)
		af = AF_INET6;
	else
		return -1;
	memset(b, 0, sizeof(b));
	if (rbuf_get_u32(&r, &rib->seq) == -1 ||
	    rbuf_get_u8(&r, &rib->prefix.len) == -1 ||
	    rib->prefix.len > addr_bytes(af) * 8 ||
	    rbuf_get_bytes(&r, b, (rib->prefix.len + 7u) / 8) == -1 ||
	    rbuf_get_u16(&r, &rib->nentries) == -1)
		return -1;
	prefix_make(&rib->prefix, af, b, rib->prefix.len);
	for (i = 0; i < rib->nentries; i++) {
		if (rbuf_get_u16(&r, &e.peer_idx) == -1 ||
		    rbuf_get_u32(&r, &e.orig_time) == -1 ||
		    rbuf_get_u16(&r, &e.attrs_len) == -1 ||
		    (e.attrs = rbuf_peek(&r, e.attrs_len)) == NULL)
			return -1;
		rbuf_skip(&r, e.attrs_len);
		if (i < sizeof(rib->entries) / sizeof(rib->entries[0]))
			rib->entries[i] = e;
	}
	return rbuf_left(&r) == 0 ? 0 : -1;
}

int
mrt_bgp4mp_decode(const struct mrt_rec *rec, struct mrt_bgp4mp_rec *m)
{
	struct rbuf r = rec->body;
	bool as4 = rec->subtype == MRT_BGP4MP_MESSAGE_AS4 ||
	    rec->subtype == MRT_BGP4MP_STATE_CHANGE_AS4 ||
	    rec->subtype == MRT_BGP4MP_MESSAGE_AS4_LOCAL;
	bool state = rec->subtype == MRT_BGP4MP_STATE_CHANGE ||
	    rec->subtype == MRT_BGP4MP_STATE_CHANGE_AS4;
	uint16_t afi, as2;
	int af;

	memset(m, 0, sizeof(*m));
	if (rec->type != MRT_BGP4MP || rec->subtype > 7 || rec->subtype == 2 ||
	    rec->subtype == 3)
		return -1;
	m->local = rec->subtype >= MRT_BGP4MP_MESSAGE_LOCAL;
	if (as4) {
		if (rbuf_get_u32(&r, &m->ends.peer_as) == -1 ||
		    rbuf_get_u32(&r, &m->ends.local_as) == -1)
			return -1;
	} else {
		if (rbuf_get_u16(&r, &as2) == -1)
			return -1;
		m->ends.peer_as = as2;
		if (rbuf_get_u16(&r, &as2) == -1)
			return -1;
		m->ends.local_as = as2;
	}
	if (rbuf_get_u16(&r, &m->ends.ifindex) == -1 ||
	    rbuf_get_u16(&r, &afi) == -1 ||
	    (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6))
		return -1;
	af = afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET;
	if (get_addr(&r, af, &m->ends.peer) == -1 ||
	    get_addr(&r, af, &m->ends.local) == -1)
		return -1;
	if (state)
		return rbuf_get_u16(&r, &m->old_state) == -1 ||
		    rbuf_get_u16(&r, &m->new_state) == -1 ||
		    rbuf_left(&r) != 0 ? -1 : 0;
	m->msg = rbuf_cur(&r);
	m->msg_len = rbuf_left(&r);
	return m->msg_len >= BGP_HDR_LEN ? 0 : -1;
}
