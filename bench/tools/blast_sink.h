/*
 * bgpblast's sink side: UPDATE decoding (RFC 4271 section 4.3, IPv4 NLRI
 * also inside MP_REACH/MP_UNREACH, RFC 4760 section 3-4) and the per-sink
 * count of distinct prefixes of the set. Included by bgpblast.c only (each
 * C file in bench/tools becomes a program of its own).
 */
#ifndef XR_BENCH_BLAST_SINK_H
#define XR_BENCH_BLAST_SINK_H

/* One prefix seen by a sink: 'ann' true for an announcement. */
static inline void
sink_prefix(struct sess *s, uint32_t a, uint8_t len, bool ann)
{
	long i;
	uint8_t bit;

	if (s->role == R_INJECT) {	/* an echo: count, no more */
		if (ann)
			s->ann_rx++;
		else
			s->wd_rx++;
		return;
	}
	if ((i = pset_find(&B.set, a, len)) < 0) {
		s->foreign++;
		return;
	}
	bit = (uint8_t)(1u << (i & 7));
	if (ann) {
		s->ann_rx++;
		if (s->bits[i >> 3] & bit)
			s->dup++;
		else {
			s->bits[i >> 3] |= bit;
			s->have++;
		}
	} else {
		s->wd_rx++;
		if (s->bits[i >> 3] & bit) {
			s->bits[i >> 3] &= (uint8_t)~bit;
			s->have--;
		}
	}
}

/* A run of IPv4 NLRI (RFC 4271 section 4.3 encoding); -1 if malformed. */
static int
sink_nlri(struct sess *s, struct rbuf *r, bool ann)
{
	uint8_t len, b[4];

	while (rbuf_left(r) > 0) {
		size_t nb;

		if (rbuf_get_u8(r, &len) == -1 || len > 32)
			return -1;
		nb = (len + 7u) / 8;
		memset(b, 0, sizeof(b));
		if (rbuf_get_bytes(r, b, nb) == -1)
			return -1;
		sink_prefix(s, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3], len, ann);
	}
	return 0;
}

/* MP_REACH / MP_UNREACH for IPv4 unicast (RFC 4760), should a peer use it. */
static int
sink_mp(struct sess *s, struct rbuf *a, uint8_t type)
{
	uint16_t afi;
	uint8_t safi, nhlen, rsv;

	if (rbuf_get_u16(a, &afi) == -1 || rbuf_get_u8(a, &safi) == -1)
		return -1;
	if (afi != 1 || safi != 1)
		return 0;
	if (type == 14 && (rbuf_get_u8(a, &nhlen) == -1 ||
	    rbuf_skip(a, nhlen) == -1 || rbuf_get_u8(a, &rsv) == -1))
		return -1;
	return sink_nlri(s, a, type == 14);
}

/* First AS of an AS_PATH (4-octet, as negotiated); 0 if empty or bad. */
static uint32_t
aspath_first(struct rbuf *a)
{
	uint8_t type, cnt;
	uint32_t as;

	if (rbuf_get_u8(a, &type) == -1 || rbuf_get_u8(a, &cnt) == -1 ||
	    cnt == 0 || rbuf_get_u32(a, &as) == -1)
		return 0;
	return as;
}

static int
handle_update(struct sess *s, struct rbuf *r)
{
	uint16_t wlen, alen;
	struct rbuf wr, ar, a;
	uint8_t flags, type;
	uint32_t first_as = 0;
	size_t before = s->ann_rx + s->foreign;

	s->upd_rx++;		/* injectors count what they are sent too */
	if (s->t_first == 0)
		s->t_first = mono_us();
	if (rbuf_get_u16(r, &wlen) == -1 || rbuf_sub(r, wlen, &wr) == -1 ||
	    rbuf_get_u16(r, &alen) == -1 || rbuf_sub(r, alen, &ar) == -1 ||
	    sink_nlri(s, &wr, false) == -1)
		return -1;
	while (rbuf_left(&ar) > 0) {
		uint16_t l16;
		uint8_t l8;

		if (rbuf_get_u8(&ar, &flags) == -1 ||
		    rbuf_get_u8(&ar, &type) == -1)
			return -1;
		if (flags & 0x10) {
			if (rbuf_get_u16(&ar, &l16) == -1)
				return -1;
		} else {
			if (rbuf_get_u8(&ar, &l8) == -1)
				return -1;
			l16 = l8;
		}
		if (rbuf_sub(&ar, l16, &a) == -1)
			return -1;
		if ((type == 14 || type == 15) && sink_mp(s, &a, type) == -1)
			return -1;
		if (type == 2)
			first_as = aspath_first(&a);
	}
	if (sink_nlri(s, r, true) == -1)
		return -1;
	/* eBGP: what the daemon announces must start with its own AS. */
	if (s->ann_rx + s->foreign > before && first_as != s->peer_as)
		s->bad_path++;
	if (s->have == B.n && s->t_full == 0)
		s->t_full = mono_us();
	if (s->have == 0 && B.phase == P_WITHDRAW)
		s->t_empty = mono_us();
	return 0;
}

#endif
