/*
 * The BFD session protocol, without sockets: the state machine as a table
 * (RFC 5880 6.2 and the state rules of 6.8.6), reception of a control
 * packet (6.8.6), timer negotiation and the Poll Sequence (6.5, 6.8.2,
 * 6.8.3), the detection time (6.8.4) and transmit jitter (6.8.7).
 */
#include "bfd/bfd_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define KEEP		(-1)		/* leave bfd.LocalDiag alone */
#define STAY(s)		{ .next = (s), .diag = KEEP }
#define GO(s, d)	{ .next = (s), .diag = (d) }

/*
 * [state][event] -> next state and diag. Received-state columns are RFC
 * 5880 6.8.6 verbatim; Up clears the diag (nothing went wrong), every way
 * out of Up or Init says why. AdminDown ignores everything but AdminUp:
 * 6.8.6 discards all packets in AdminDown.
 */
static const struct bfd_fsm_step bfd_fsm[BFD_STATE_MAX][BFD_EV_MAX] = {
	[BFD_STATE_ADMIN_DOWN] = {
		[BFD_EV_RX_ADMIN_DOWN] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_RX_DOWN] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_RX_INIT] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_RX_UP] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_DETECT_EXPIRED] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_ADMIN_DOWN] = STAY(BFD_STATE_ADMIN_DOWN),
		[BFD_EV_ADMIN_UP] = GO(BFD_STATE_DOWN, BFD_DIAG_NONE),
	},
	[BFD_STATE_DOWN] = {
		[BFD_EV_RX_ADMIN_DOWN] = STAY(BFD_STATE_DOWN),
		[BFD_EV_RX_DOWN] = GO(BFD_STATE_INIT, KEEP),
		[BFD_EV_RX_INIT] = GO(BFD_STATE_UP, BFD_DIAG_NONE),
		[BFD_EV_RX_UP] = STAY(BFD_STATE_DOWN),
		[BFD_EV_DETECT_EXPIRED] = STAY(BFD_STATE_DOWN),
		[BFD_EV_ADMIN_DOWN] = GO(BFD_STATE_ADMIN_DOWN,
		    BFD_DIAG_ADMIN_DOWN),
		[BFD_EV_ADMIN_UP] = STAY(BFD_STATE_DOWN),
	},
	[BFD_STATE_INIT] = {
		[BFD_EV_RX_ADMIN_DOWN] = GO(BFD_STATE_DOWN,
		    BFD_DIAG_NEIGHBOR_DOWN),
		[BFD_EV_RX_DOWN] = GO(BFD_STATE_INIT, KEEP),
		[BFD_EV_RX_INIT] = GO(BFD_STATE_UP, BFD_DIAG_NONE),
		[BFD_EV_RX_UP] = GO(BFD_STATE_UP, BFD_DIAG_NONE),
		[BFD_EV_DETECT_EXPIRED] = GO(BFD_STATE_DOWN,
		    BFD_DIAG_DETECT_EXPIRED),
		[BFD_EV_ADMIN_DOWN] = GO(BFD_STATE_ADMIN_DOWN,
		    BFD_DIAG_ADMIN_DOWN),
		[BFD_EV_ADMIN_UP] = STAY(BFD_STATE_INIT),
	},
	[BFD_STATE_UP] = {
		[BFD_EV_RX_ADMIN_DOWN] = GO(BFD_STATE_DOWN,
		    BFD_DIAG_NEIGHBOR_DOWN),
		[BFD_EV_RX_DOWN] = GO(BFD_STATE_DOWN, BFD_DIAG_NEIGHBOR_DOWN),
		[BFD_EV_RX_INIT] = STAY(BFD_STATE_UP),
		[BFD_EV_RX_UP] = STAY(BFD_STATE_UP),
		[BFD_EV_DETECT_EXPIRED] = GO(BFD_STATE_DOWN,
		    BFD_DIAG_DETECT_EXPIRED),
		[BFD_EV_ADMIN_DOWN] = GO(BFD_STATE_ADMIN_DOWN,
		    BFD_DIAG_ADMIN_DOWN),
		[BFD_EV_ADMIN_UP] = STAY(BFD_STATE_UP),
	},
};

struct bfd_fsm_step
bfd_fsm_next(unsigned int state, enum bfd_ev ev)
{
	if (state >= BFD_STATE_MAX || (unsigned int)ev >= BFD_EV_MAX)
		fatal_bug("bfd_fsm_next: state %u event %d", state, (int)ev);
	return bfd_fsm[state][ev];
}

/*
 * RFC 5880 6.8.7: reduce each interval by 0-25 %; with a multiplier of 1
 * the packet must come at 75-90 % so the remote's single-interval
 * detection time cannot pass before it.
 */
uint64_t
bfd_jitter(uint64_t intv, uint8_t mult, uint32_t rnd)
{
	uint64_t lo = 750, span = 250;	/* per mille */

	if (mult == 1)
		span = 150;
	return intv * (lo + (uint64_t)rnd % (span + 1)) / 1000;
}

bool
bfd_tx_allowed(const struct bfd_session *s)
{
	/* 6.8.7: a passive system waits for the remote discriminator, and
	 * nobody sends periodically to a peer that asked for nothing. */
	if (s->conf.passive && s->rdiscr == 0)
		return false;
	if (s->rmin_rx == 0)
		return false;
	/* 6.8.6: the remote runs Demand mode; only a Poll goes out. */
	if (s->rdemand && s->state == BFD_STATE_UP &&
	    s->rstate == BFD_STATE_UP && !s->poll)
		return false;
	return true;
}

/*
 * Recompute the negotiated intervals (6.8.2, 6.8.4) and keep the transmit
 * timer in step: a peer lowering its Required Min RX is honoured from the
 * last packet we sent (6.8.3), not after the next long interval; a peer
 * raising it gets no packet before the new interval.
 */
void
bfd_timers_update(struct bfd_session *s)
{
	struct ev_loop *loop = s->bfd->loop;
	uint64_t old = s->tx_intv, rx, due;

	s->tx_intv = s->tx_des_used > s->rmin_rx ? s->tx_des_used : s->rmin_rx;
	rx = s->rx_req_used > s->rdes_min_tx ? s->rx_req_used : s->rdes_min_tx;
	s->detect_time = (uint64_t)s->rmult * rx;
	if (s->dead)
		return;
	if (!bfd_tx_allowed(s)) {
		ev_timer_stop(loop, &s->tx_timer);
		return;
	}
	if (!ev_timer_armed(&s->tx_timer)) {
		bfd_tx_schedule(s, true);
		return;
	}
	/* Re-pace from the last packet: sooner if faster, later if slower
	 * (6.8.7: never more often than the negotiated interval). */
	if (s->tx_intv != old && s->last_tx != 0) {
		due = s->last_tx + bfd_jitter(s->tx_intv, s->conf.mult,
		    bfd_random(s->bfd));
		if (s->tx_intv < old ? due < s->tx_timer.due_us :
		    due > s->tx_timer.due_us)
			ev_timer_start_at(loop, &s->tx_timer, due);
	}
}

/*
 * Bring the advertised intervals to what the state calls for: the
 * configured ones when Up, at least 1 s otherwise (6.8.3). A change starts
 * a Poll Sequence (6.5); while one is out, further changes wait for it to
 * end and for one more packet without Final, so each Final is unambiguous.
 */
void
bfd_params_update(struct bfd_session *s)
{
	uint32_t tx = s->conf.min_tx_us, rx = s->conf.min_rx_us;
	bool up = s->state == BFD_STATE_UP;

	if (!up && tx < BFD_SLOW_TX_US)
		tx = BFD_SLOW_TX_US;
	if (tx == s->des_min_tx && rx == s->req_min_rx) {
		s->poll_pending = false;
		return;
	}
	if (s->poll) {
		s->poll_pending = true;
		return;
	}
	/* 6.8.3: a slower tx and a faster rx wait for the Final. */
	s->tx_des_used = up && tx > s->des_min_tx ? s->des_min_tx : tx;
	s->rx_req_used = up && rx < s->req_min_rx ? s->req_min_rx : rx;
	s->des_min_tx = tx;
	s->req_min_rx = rx;
	s->poll = true;
	s->poll_pending = false;
	bfd_timers_update(s);
}

static void
bfd_poll_done(struct bfd_session *s)
{
	s->poll = false;
	s->tx_des_used = s->des_min_tx;
	s->rx_req_used = s->req_min_rx;
}

static void
bfd_state_bookkeep(struct bfd_session *s, uint8_t old)
{
	uint64_t now = mono_us();

	s->changed_at = now;
	if (s->state == BFD_STATE_UP) {
		s->up_count++;
		s->up_at = now;
	} else if (old == BFD_STATE_UP) {
		s->down_count++;
		s->down_at = now;
		s->last_down_diag = s->ldiag;
	}
}

static void
bfd_state_log(const struct bfd_session *s, uint8_t old)
{
	char p[ADDR_STRLEN], l[ADDR_STRLEN];

	log_info("bfd: peer %s local %s: %s -> %s (%s)",
	    addr_ntop(&s->conf.peer, p, sizeof(p)),
	    addr_ntop(&s->conf.local, l, sizeof(l)), bfd_state_name(old),
	    bfd_state_name(s->state), bfd_diag_name(s->ldiag));
}

/*
 * Apply one table step. A state change re-paces the session, announces
 * itself at once (6.8.7: a packet whose contents changed should not wait
 * for the timer; it carries the Final if one is owed) and tells the client
 * last, because the client may delete the session.
 */
static void
bfd_session_step(struct bfd_session *s, struct bfd_fsm_step st, bool final)
{
	uint8_t old = s->state;

	if (st.next == old) {
		if (final)
			bfd_xmit(s, true);
		return;
	}
	s->state = st.next;
	if (st.diag >= 0)
		s->ldiag = (uint8_t)st.diag;
	bfd_state_bookkeep(s, old);
	/* A Final owed to an older Poll would be ambiguous: start afresh. */
	s->poll = false;
	s->poll_pending = false;
	bfd_params_update(s);
	bfd_xmit(s, final);
	bfd_tx_schedule(s, false);
	bfd_state_log(s, old);
	if (s->cb != NULL)
		s->cb(s->cb_arg, old, s->state, s->ldiag);
}

void
bfd_session_event(struct bfd_session *s, enum bfd_ev ev)
{
	bfd_session_step(s, bfd_fsm_next(s->state, ev), false);
}

/*
 * RFC 5880 6.8.6 from "If the A bit is set" on: the packet has passed the
 * codec checks and was matched to this session with TTL 255.
 */
void
bfd_session_rx(struct bfd_session *s, const struct bfd_pkt *p)
{
	bool final = (p->flags & BFD_FLAG_F) != 0;

	if (p->flags & BFD_FLAG_A) {
		/* No authentication is configured on any session. */
		s->bfd->stats.rx_auth++;
		s->rx_dropped++;
		return;
	}
	s->rx_pkts++;
	s->rdiscr = p->my_discr;
	s->rstate = p->state;
	s->rdiag = p->diag;
	s->rdemand = (p->flags & BFD_FLAG_D) != 0;
	s->rmin_rx = p->req_min_rx;
	s->rdes_min_tx = p->des_min_tx;
	s->rmult = p->detect_mult;
	s->last_rx = mono_us();

	if (final && s->poll)
		bfd_poll_done(s);
	bfd_timers_update(s);
	if (!final && !s->poll && s->poll_pending)
		bfd_params_update(s);
	if (s->state == BFD_STATE_ADMIN_DOWN)
		return;
	bfd_detect_arm(s);
	bfd_session_step(s, bfd_fsm_next(s->state, (enum bfd_ev)p->state),
	    (p->flags & BFD_FLAG_P) != 0);
}
