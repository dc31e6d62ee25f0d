/*
 * libFuzzer target for the BGP codecs: one input is one BGP message. The
 * header is checked, then the body goes to the decoder of its type under
 * several session contexts (4-octet or 2-octet AS, eBGP or iBGP, which
 * families). An UPDATE that decodes has every NLRI section walked, its
 * attributes re-encoded and its prefixes packed again; when nothing was
 * wrong with it, decoding the packed message must give back the same
 * attributes. A decoded OPEN must survive encode and decode unchanged.
 * Any mismatch aborts, so the fuzzer reports it as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "wire/bgp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

#define MAXPFX	(65536 / 1)

static struct prefix pfx[MAXPFX];

static size_t
walk(struct rbuf r, enum bgp_fam fam, size_t n)
{
	struct prefix p;
	int rc;

	while ((rc = bgp_nlri_next(&r, fam, &p)) == 1) {
		CHECK(p.len <= (fam == BGP_FAM_V6U ? 128 : 32));
		if (n < MAXPFX)
			pfx[n++] = p;
	}
	/* the decoder validated every section it handed out */
	CHECK(rc == 0);
	return n;
}

static void
same_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	CHECK(alen == blen);
	CHECK(alen == 0 || memcmp(a, b, alen) == 0);
}

/*
 * MP_REACH/MP_UNREACH are rebuilt by the packer (or not at all), and
 * NEXT_HOP is only written for IPv4 unicast: leave those out.
 */
static void
same_attrs(const struct bgp_pattrs *a, const struct bgp_pattrs *b,
    enum bgp_fam fam)
{
	uint64_t mask = ~((uint64_t)1 << BGP_ATTR_MP_REACH |
	    (uint64_t)1 << BGP_ATTR_MP_UNREACH |
	    (fam == BGP_FAM_V4U ? 0 : (uint64_t)1 << BGP_ATTR_NEXT_HOP));

	CHECK((a->present & mask) == (b->present & mask));
	if (BGP_ATTR_HAS(a, BGP_ATTR_ORIGIN))
		CHECK(a->origin == b->origin);
	if (BGP_ATTR_HAS(a, BGP_ATTR_AS_PATH))
		same_bytes(a->aspath, a->aspath_len, b->aspath, b->aspath_len);
	if (BGP_ATTR_HAS(a, BGP_ATTR_MED))
		CHECK(a->med == b->med);
	if (BGP_ATTR_HAS(a, BGP_ATTR_LOCAL_PREF))
		CHECK(a->local_pref == b->local_pref);
	if (BGP_ATTR_HAS(a, BGP_ATTR_AGGREGATOR))
		CHECK(a->aggr_as == b->aggr_as && a->aggr_id == b->aggr_id);
	if (BGP_ATTR_HAS(a, BGP_ATTR_COMMUNITIES))
		same_bytes(a->comm, a->comm_len, b->comm, b->comm_len);
	if (BGP_ATTR_HAS(a, BGP_ATTR_EXT_COMMUNITIES))
		same_bytes(a->ext, a->ext_len, b->ext, b->ext_len);
	if (BGP_ATTR_HAS(a, BGP_ATTR_LARGE_COMMUNITIES))
		same_bytes(a->large, a->large_len, b->large, b->large_len);
	if (BGP_ATTR_HAS(a, BGP_ATTR_ORIGINATOR_ID))
		CHECK(a->originator_id == b->originator_id);
	if (BGP_ATTR_HAS(a, BGP_ATTR_CLUSTER_LIST))
		same_bytes(a->cluster, a->cluster_len, b->cluster,
		    b->cluster_len);
	same_bytes(a->unknown, a->unknown_len, b->unknown, b->unknown_len);
}

/*
 * Confederation segments anywhere but in front (RFC 5065 5 puts them
 * there), or holding 4-octet ASes: neither survives a 2-octet hop.
 */
static bool
confed_odd(const uint8_t *p, size_t len)
{
	size_t pos = 0, i;
	bool other = false;

	while (len - pos >= 2) {
		if (p[pos] == BGP_SEG_CONFED_SEQ || p[pos] == BGP_SEG_CONFED_SET) {
			if (other)
				return true;
			for (i = 0; i < p[pos + 1] && pos + 6 + i * 4 <= len; i++)
				if (p[pos + 2 + i * 4] || p[pos + 3 + i * 4])
					return true;
		} else
			other = true;
		pos += 2 + (size_t)p[pos + 1] * 4;
		if (pos > len)
			break;
	}
	return false;
}

/* Encode what was decoded, pack it, and when it was clean compare. */
static void
reencode(const struct bgp_update *u, const struct bgp_decode_ctx *dc,
    bool as4)
{
	struct bgp_encode_ctx ec = { .as4 = as4, .ext_msg = true };
	struct bgp_decode_ctx dc2 = *dc;
	enum bgp_fam fam = rbuf_left(&u->mp_reach) ? u->mp_reach_fam :
	    BGP_FAM_V4U;
	struct rbuf sect = rbuf_left(&u->mp_reach) ? u->mp_reach : u->nlri;
	struct bgp_update u2;
	struct bgp_err e;
	struct wbuf aw, w;
	size_t n, done;
	int r;
	uint8_t type;
	uint16_t len;
	uint8_t *scratch2;

	CHECK(wbuf_init(&aw, 256, BGP_MAX_EXT_MSG) == 0);
	CHECK(wbuf_init(&w, 4096, 1 << 24) == 0);
	/* encoding decoded data never fails unless it is too big */
	if (bgp_attrs_encode(&aw, &u->attrs, fam, &ec) == -1) {
		CHECK(aw.len + 64 > BGP_MAX_EXT_MSG);
		goto out;
	}
	n = walk(sect, fam, 0);
	if (n == 0 || aw.len + 80 + 17 > BGP_MAX_EXT_MSG)
		goto out;
	for (done = 0; done < n; done += (size_t)r) {
		r = bgp_update_pack(&w, &ec, fam, aw.p, aw.len,
		    &u->attrs.mp_nexthop, &u->attrs.mp_nexthop_ll,
		    pfx + done, n - done);
		CHECK(r > 0);
	}
	if (u->action != BGP_7606_NONE)
		goto out;
	/* the first packed message decodes to the same attributes */
	CHECK(bgp_hdr_check(w.p, BGP_MAX_EXT_MSG, &type, &len, &e) == 0);
	CHECK(type == BGP_UPDATE);
	dc2.as4 = as4;
	scratch2 = malloc(4 * (size_t)len);
	dc2.scratch = scratch2;
	dc2.scratch_len = 4 * (size_t)len;
	CHECK(bgp_update_decode(w.p + 19, len - 19u, &dc2, &u2, &e) == 0);
	if (u2.action == BGP_7606_NONE && dc->as4 && as4)
		same_attrs(&u->attrs, &u2.attrs, fam);
	/*
	 * Through a 2-octet encoding the path survives unless AGGREGATOR
	 * holds a 2-octet AS: then RFC 6793 4.2.3 makes the receiver
	 * ignore AS4_PATH, by design; and confederation segments are not
	 * carried by AS4_PATH (RFC 6793 3), so odd ones are not put back.
	 */
	if (!as4 && BGP_ATTR_HAS(&u->attrs, BGP_ATTR_AGGREGATOR) &&
	    u->attrs.aggr_as != BGP_AS_TRANS && u->attrs.aggr_as <= 0xffff)
		goto done;
	if (!as4 && confed_odd(u->attrs.aspath, u->attrs.aspath_len))
		goto done;
	if (u2.action == BGP_7606_NONE && BGP_ATTR_HAS(&u->attrs,
	    BGP_ATTR_AS_PATH))
		same_bytes(u->attrs.aspath, u->attrs.aspath_len,
		    u2.attrs.aspath, u2.attrs.aspath_len);
done:
	free(scratch2);
out:
	wbuf_free(&aw);
	wbuf_free(&w);
}

static void
fuzz_update(const uint8_t *body, size_t len)
{
	static const struct { bool as4, ebgp; uint8_t fams; } v[] = {
		{ true, true, 3 }, { false, true, 1 }, { true, false, 3 },
		{ false, false, 0 }, { false, true, 2 },
	};
	struct bgp_decode_ctx dc;
	struct bgp_update u;
	struct bgp_err e;
	uint8_t *scratch;
	size_t i;

	scratch = malloc(4 * len + 1);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&dc, 0, sizeof(dc));
		dc.as4 = v[i].as4;
		dc.ebgp = v[i].ebgp;
		dc.fams = v[i].fams;
		dc.scratch = scratch;
		dc.scratch_len = 4 * len;
		if (bgp_update_decode(body, len, &dc, &u, &e) == -1) {
			CHECK(u.action == BGP_7606_SESSION_RESET);
			CHECK(e.code == BGP_ERR_UPDATE || e.code == BGP_ERR_CEASE);
			CHECK(u.reason[0] != '\0');
			continue;
		}
		CHECK(u.action != BGP_7606_SESSION_RESET);
		CHECK(u.action == BGP_7606_NONE || u.reason[0] != '\0');
		walk(u.withdrawn, BGP_FAM_V4U, 0);
		walk(u.nlri, BGP_FAM_V4U, 0);
		walk(u.mp_reach, u.mp_reach_fam, 0);
		walk(u.mp_unreach, u.mp_unreach_fam, 0);
		if (BGP_ATTR_HAS(&u.attrs, BGP_ATTR_AS_PATH)) {
			char s[256];

			bgp_aspath_str(u.attrs.aspath, u.attrs.aspath_len, s,
			    sizeof(s));
			CHECK(strlen(s) < sizeof(s));
			(void)bgp_aspath_count(u.attrs.aspath,
			    u.attrs.aspath_len);
			(void)bgp_aspath_first(u.attrs.aspath,
			    u.attrs.aspath_len);
		}
		if (u.action != BGP_7606_WITHDRAW) {
			reencode(&u, &dc, true);
			reencode(&u, &dc, false);
		}
	}
	free(scratch);
}

static void
fuzz_open(const uint8_t *body, size_t len)
{
	struct bgp_open o, o2;
	struct bgp_err e;
	struct wbuf w;

	if (bgp_open_decode(body, len, &o, &e) == -1) {
		CHECK(e.code == BGP_ERR_OPEN || e.code == BGP_ERR_HEADER);
		return;
	}
	CHECK(wbuf_init(&w, 256, 4096) == 0);
	CHECK(bgp_open_encode(&w, &o) == 0);
	CHECK(bgp_open_decode(w.p + 19, w.len - 19, &o2, &e) == 0);
	CHECK(o.my_as == o2.my_as && o.hold == o2.hold &&
	    o.bgp_id == o2.bgp_id);
	CHECK(o.caps.fams == o2.caps.fams && o.caps.as4 == o2.caps.as4 &&
	    o.caps.as4_asn == o2.caps.as4_asn &&
	    o.caps.route_refresh == o2.caps.route_refresh &&
	    o.caps.enhanced_rr == o2.caps.enhanced_rr &&
	    o.caps.ext_msg == o2.caps.ext_msg && o.caps.gr == o2.caps.gr);
	if (o.caps.gr)
		CHECK(o.caps.gr_flags_time == o2.caps.gr_flags_time &&
		    o.caps.gr_fams == o2.caps.gr_fams);
	wbuf_free(&w);
}

static void
fuzz_notification(const uint8_t *body, size_t len)
{
	struct bgp_notification n;
	struct bgp_err e = { 0 };
	struct wbuf w;

	if (bgp_notification_decode(body, len, &n) == -1)
		return;
	CHECK(strlen(n.shutdown_msg) < sizeof(n.shutdown_msg));
	(void)bgp_err_code_name(n.code);
	(void)bgp_err_subcode_name(n.code, n.subcode);
	e.code = n.code;
	e.subcode = n.subcode;
	e.datalen = n.datalen > sizeof(e.data) ? sizeof(e.data) : n.datalen;
	if (e.datalen)
		memcpy(e.data, n.data, e.datalen);
	CHECK(wbuf_init(&w, 64, 4096) == 0);
	CHECK(bgp_notification_encode(&w, &e) == 0);
	if (n.shutdown_msg[0] != '\0')
		CHECK(bgp_shutdown_encode(&w, n.subcode, n.shutdown_msg) == 0);
	wbuf_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_err e;
	enum bgp_fam fam;
	uint8_t type, st;
	uint16_t len;

	if (size < BGP_HDR_LEN)
		return 0;
	if (bgp_hdr_check(data, BGP_MAX_EXT_MSG, &type, &len, &e) == -1) {
		CHECK(e.code == BGP_ERR_HEADER);
		return 0;
	}
	/* a short input stands for a message cut by the stream reader */
	if (len > size)
		return 0;
	data += BGP_HDR_LEN;
	size = len - BGP_HDR_LEN;
	switch (type) {
	case BGP_OPEN:
		fuzz_open(data, size);
		break;
	case BGP_UPDATE:
		fuzz_update(data, size);
		break;
	case BGP_NOTIFICATION:
		fuzz_notification(data, size);
		break;
	case BGP_ROUTE_REFRESH:
		if (bgp_rrefresh_decode(data, size, &fam, &st, &e) == -1)
			CHECK(e.code == BGP_ERR_RREFRESH ||
			    e.code == BGP_ERR_HEADER);
		break;
	case BGP_KEEPALIVE:
		CHECK(size == 0);
		break;
	}
	return 0;
}
