/*
 * libFuzzer target for the MRT codec (RFC 6396). The input is read as an
 * MRT stream: every record goes through each decoder without reading out
 * of bounds, and a record the decoder accepts in a form xroute writes
 * (PEER_INDEX_TABLE with AS4 peers, BGP4MP *_AS4 messages and state
 * changes, RIB entries) re-encodes to exactly the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "mrt/mrt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[1 << 17];

static void
same(const struct wbuf *w, const struct mrt_rec *rec)
{
	if (w->err || w->len != MRT_HDR_LEN + rec->body.len ||
	    memcmp(w->p + MRT_HDR_LEN, rec->body.p, rec->body.len) != 0)
		abort();
}

static void
peer_index(const struct mrt_rec *rec)
{
	struct mrt_peer_index pi;
	struct wbuf w;
	size_t i, off;

	/* A view name with a NUL in it cannot come back the same. */
	if (mrt_peer_index_decode(rec, &pi) == -1 || pi.npeers > 64 ||
	    strlen(pi.view) != (size_t)(rec->body.p[4] << 8 | rec->body.p[5]))
		return;
	/* Only the encodings we write: AS4 bit set, no unknown bits. */
	off = 4 + 2 + strlen(pi.view) + 2;
	for (i = 0; i < pi.npeers; i++) {
		uint8_t t = rec->body.p[off];

		if (t != (MRT_PEER_AS4 | (pi.peers[i].addr.af == 10 ?
		    MRT_PEER_IPV6 : 0)))
			return;
		off += 1 + 4 + (t & MRT_PEER_IPV6 ? 16 : 4) + 4;
	}
	wbuf_init_fixed(&w, out, sizeof(out));
	if (mrt_peer_index_encode(&w, rec->ts, pi.collector, pi.view,
	    pi.peers, pi.npeers) == -1)
		abort();
	same(&w, rec);
}

static void
bgp4mp(const struct mrt_rec *rec)
{
	struct mrt_bgp4mp_rec m;
	struct wbuf w;
	int rc;

	if (mrt_bgp4mp_decode(rec, &m) == -1)
		return;
	wbuf_init_fixed(&w, out, sizeof(out));
	if (rec->subtype == MRT_BGP4MP_STATE_CHANGE_AS4)
		rc = mrt_bgp4mp_state_encode(&w, rec->ts, &m.ends,
		    m.old_state, m.new_state);
	else if (rec->subtype == MRT_BGP4MP_MESSAGE_AS4 ||
	    rec->subtype == MRT_BGP4MP_MESSAGE_AS4_LOCAL)
		rc = mrt_bgp4mp_msg_encode(&w, rec->ts, &m.ends, m.local,
		    m.msg, m.msg_len);
	else
		return;
	if (rc == -1)
		abort();
	same(&w, rec);
}

/* A RIB record re-built from its decoded parts (attributes verbatim). */
static void
rib(const struct mrt_rec *rec)
{
	struct mrt_rib rb;
	struct wbuf w;
	long off;
	uint16_t i;

	if (mrt_rib_decode(rec, &rb) == -1 || rb.nentries > 16)
		return;
	wbuf_init_fixed(&w, out, sizeof(out));
	if ((off = mrt_rib_begin(&w, rec->ts, rb.seq, &rb.prefix)) == -1)
		abort();
	for (i = 0; i < rb.nentries; i++) {
		wbuf_put_u16(&w, rb.entries[i].peer_idx);
		wbuf_put_u32(&w, rb.entries[i].orig_time);
		wbuf_put_u16(&w, rb.entries[i].attrs_len);
		wbuf_put_bytes(&w, rb.entries[i].attrs,
		    rb.entries[i].attrs_len);
	}
	if (mrt_rib_finish(&w, off, rb.nentries) == -1)
		abort();
	/* The prefix bits past its length are not kept: compare the rest. */
	if (w.err || w.len != MRT_HDR_LEN + rec->body.len ||
	    memcmp(w.p + MRT_HDR_LEN, rec->body.p, 5) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrt_rec rec;
	struct rbuf r;
	int n = 0;

	rbuf_init(&r, data, size);
	while (n++ < 64 && mrt_rec_next(&r, &rec) == 1) {
		if (rec.type == MRT_TABLE_DUMP_V2 &&
		    rec.subtype == MRT_PEER_INDEX_TABLE)
			peer_index(&rec);
		else if (rec.type == MRT_TABLE_DUMP_V2)
			rib(&rec);
		else if (rec.type == MRT_BGP4MP)
			bgp4mp(&rec);
	}
	return 0;
}
