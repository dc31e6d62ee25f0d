/*
 * BFD as a client of the BGP session (RFC 5882 section 4.3, RFC 9384).
 *
 * A neighbour configured with 'bfd' gets a single-hop BFD session from its
 * local address to the neighbour. When BFD leaves Up (detection time
 * expired, or the neighbour signalled Down) the path is dead: the BGP
 * session is closed at once, sending Cease / BFD Down (subcode 10), and it
 * is held Idle until BFD is Up again, so BGP never runs over a path BFD
 * calls broken. A neighbour that goes AdminDown in BFD is not a dead path
 * (RFC 5882 3.2) and keeps BGP.
 *
 * At the first start BGP is not held back, because a customer router may
 * not run BFD at all (ExpressRoute's edge has BFD on but does not require
 * it); 'bfd strict' holds BGP until BFD has been Up once.
 */
#include <stdio.h>
#include <string.h>

#include "bfd/bfd.h"
#include "lib/log.h"
#include "session/sess_impl.h"

static void
bfd_block(struct sess *s, bool block, const char *why)
{
	char a[ADDR_STRLEN];

	addr_ntop(&s->conf.remote, a, sizeof(a));
	if (block == s->bfd_block)
		return;
	s->bfd_block = block;
	if (!block) {
		log_info("neighbor %s: BFD is up, BGP may start", a);
		/* A restart hold still running (the max-prefix retry
		 * interval, the idle back-off) starts the session itself. */
		if (s->state == SESS_IDLE && !s->admin_down && !s->deleted &&
		    !ev_timer_armed(&s->t_idle))
			sess_event(s, s->conf.passive ? SEV_START_PASSIVE :
			    SEV_START);
		return;
	}
	log_warn("neighbor %s: %s: closing the BGP session", a, why);
	if (s->state == SESS_IDLE)
		return;		/* the idle timer does nothing while blocked */
	s->cease_subcode = BGP_CEASE_BFD_DOWN;
	snprintf(s->cease_msg, sizeof(s->cease_msg), "%s", why);
	sess_set_reason(s, "%s", why);
	sess_event(s, SEV_RESET);
}

static void
on_bfd_state(void *arg, enum bfd_state old, enum bfd_state new, uint8_t diag)
{
	struct sess *s = arg;
	struct bfd_session_info bi;
	char why[96];

	if (new == BFD_STATE_UP) {
		bfd_block(s, false, NULL);
		return;
	}
	if (old != BFD_STATE_UP)
		return;
	bfd_session_info(s->bfd, &bi);
	if (bi.remote_state == BFD_STATE_ADMIN_DOWN)
		return;		/* the neighbour turned BFD off: not a failure */
	snprintf(why, sizeof(why), "BFD session down (%s)",
	    bfd_diag_name(diag));
	bfd_block(s, true, why);
}

void
sess_bfd_del(struct sess *s)
{
	if (s->bfd != NULL)
		bfd_session_del(s->bfd);
	s->bfd = NULL;
	s->bfd_block = false;
}

void
sess_bfd_sync(struct sess *s)
{
	struct bfd_session_conf bc;
	char err[160], a[ADDR_STRLEN];
	uint32_t us = s->conf.bfd_interval_ms * 1000;

	addr_ntop(&s->conf.remote, a, sizeof(a));
	if (s->conf.bfd_interval_ms == 0 || s->mgr->bfd == NULL) {
		if (s->bfd != NULL) {
			sess_bfd_del(s);
			if (s->state == SESS_IDLE && !s->admin_down)
				sess_event(s, s->conf.passive ?
				    SEV_START_PASSIVE : SEV_START);
		}
		return;
	}
	if (s->bfd != NULL) {
		if (bfd_session_set_timers(s->bfd, us, us, s->conf.bfd_mult,
		    err, sizeof(err)) == -1)
			log_err("neighbor %s: bfd: %s", a, err);
		return;
	}
	memset(&bc, 0, sizeof(bc));
	bc.peer = s->conf.remote;
	bc.local = s->conf.local;
	bc.min_tx_us = bc.min_rx_us = us;
	bc.mult = s->conf.bfd_mult;
	if (bfd_session_conf_check(&bc, err, sizeof(err)) == -1 ||
	    (s->bfd = bfd_session_add(s->mgr->bfd, &bc, on_bfd_state, s, err,
	    sizeof(err))) == NULL) {
		log_err("neighbor %s: cannot start BFD: %s", a, err);
		return;
	}
	s->bfd_block = s->conf.bfd_strict;
}

void
sess_bfd_info(struct sess *s, struct sess_info *i)
{
	struct bfd_session_info bi;

	i->bfd = s->bfd != NULL;
	i->bfd_block = s->bfd_block;
	if (s->bfd == NULL)
		return;
	bfd_session_info(s->bfd, &bi);
	i->bfd_state = bi.state;
	i->bfd_remote_state = bi.remote_state;
	i->bfd_diag = bi.last_down_diag;
	i->bfd_tx_ms = (uint32_t)(bi.tx_interval_us / 1000);
	i->bfd_rx_ms = (uint32_t)(bi.rx_interval_us / 1000);
	i->bfd_detect_ms = bi.detect_time_us / 1000;
}
