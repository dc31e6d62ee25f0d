/*
 * libFuzzer target for the BFD session layer: a sequence of packets (and a
 * few local actions) is fed to one session through bfd_input(), so the
 * state machine, Poll/Final handling and timer negotiation of RFC 5880
 * 6.8.6 meet arbitrary remote behaviour. After every step the session must
 * satisfy the invariants below.
 *
 * Input: records of [len][ctl][len bytes]. ctl bit 0: TTL 254 instead of
 * 255; bit 1: write our discriminator into Your Discriminator; bit 2: wrong
 * source address; bits 4-5: 1 AdminDown, 2 AdminUp, 3 new timers taken
 * from the packet's interval fields.
 */
#include <stdlib.h>

#include "bfd/bfd_int.h"
#include "lib/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
out_nothing(void *arg, struct bfd_session *s, const uint8_t *p, size_t len)
{
	struct rbuf r;
	struct bfd_pkt pk;

	/* What we send must always pass our own receive checks. */
	rbuf_init(&r, p, len);
	if (bfd_pkt_decode(&r, &pk) != BFD_PKT_OK)
		abort();
	if ((pk.flags & BFD_FLAG_P) && (pk.flags & BFD_FLAG_F))
		abort();
}

static void
check(const struct bfd_session *s)
{
	uint64_t rx;

	if (s->state >= BFD_STATE_MAX)
		abort();
	/* 6.8.3: never faster than 1 s while not Up. */
	if (s->state != BFD_STATE_UP && s->des_min_tx < BFD_SLOW_TX_US)
		abort();
	if (s->tx_intv != (s->tx_des_used > s->rmin_rx ? s->tx_des_used :
	    s->rmin_rx))
		abort();
	rx = s->rx_req_used > s->rdes_min_tx ? s->rx_req_used : s->rdes_min_tx;
	if (s->detect_time != (uint64_t)s->rmult * rx)
		abort();
	if (s->state == BFD_STATE_UP && s->rdiscr == 0)
		abort();
}

static void
step(struct bfd *b, struct bfd_session *s, uint8_t ctl, uint8_t *pkt,
    size_t len)
{
	struct bfd_rx_meta m = { .ttl = (ctl & 1) ? 254 : 255 };
	uint32_t tx, rxi;

	addr_parse((ctl & 4) ? "10.0.0.3" : "10.0.0.2", &m.src);
	addr_parse("10.0.0.1", &m.dst);
	if ((ctl & 2) && len >= 12) {
		pkt[8] = s->ldiscr >> 24;
		pkt[9] = (s->ldiscr >> 16) & 0xff;
		pkt[10] = (s->ldiscr >> 8) & 0xff;
		pkt[11] = s->ldiscr & 0xff;
	}
	switch ((ctl >> 4) & 3) {
	case 1:
		bfd_session_set_admin_down(s, true);
		break;
	case 2:
		bfd_session_set_admin_down(s, false);
		break;
	case 3:
		if (len >= 20) {
			tx = (uint32_t)pkt[12] << 16 | (uint32_t)pkt[13] << 8;
			rxi = (uint32_t)pkt[16] << 16 | (uint32_t)pkt[17] << 8;
			bfd_session_set_timers(s, tx, rxi, pkt[2], NULL, 0);
		}
		break;
	}
	bfd_input(b, pkt, len, &m);
	check(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ev_loop *loop;
	struct bfd_session_conf c = { .min_tx_us = 300000,
	    .min_rx_us = 300000, .mult = 3 };
	struct bfd *b;
	struct bfd_session *s;
	uint8_t pkt[256];
	size_t pos = 0, len;
	uint8_t ctl;

	if (loop == NULL) {
		log_init("fuzz", true, LOG_LVL_ERR);
		loop = ev_loop_new();
	}
	b = bfd_new(loop);
	bfd_set_output(b, out_nothing, NULL);
	addr_parse("10.0.0.2", &c.peer);
	addr_parse("10.0.0.1", &c.local);
	if ((s = bfd_session_add(b, &c, NULL, NULL, NULL, 0)) == NULL)
		abort();
	while (pos + 2 <= size) {
		len = data[pos];
		ctl = data[pos + 1];
		pos += 2;
		if (len > size - pos)
			len = size - pos;
		memcpy(pkt, data + pos, len);
		pos += len;
		step(b, s, ctl, pkt, len);
	}
	bfd_free(b);
	return 0;
}
