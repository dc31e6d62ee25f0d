/*
 * The session FSM table, checked pair by pair against an expectation
 * written independently from RFC 4271 8.2.2 (and our documented
 * departures), so a slip in either shows up as a mismatch.
 */
#include <stdio.h>

#include "session/sess.h"
#include "t.h"

#define ANY_OTHER	SACT_MAX	/* marker: the state's default */

struct expect {
	enum sess_state	 st;
	enum sess_event	 ev;
	enum sess_action act;
	enum sess_state	 next;
};

/* Explicit rows; every pair not listed takes the state's default. */
static const struct expect rows[] = {
	{ SESS_IDLE, SEV_START, SACT_CONNECT, SESS_CONNECT },
	{ SESS_IDLE, SEV_START_PASSIVE, SACT_LISTEN, SESS_ACTIVE },
	{ SESS_IDLE, SEV_TCP_ACCEPTED, SACT_REJECT, SESS_IDLE },

	{ SESS_CONNECT, SEV_START, SACT_NONE, SESS_CONNECT },
	{ SESS_CONNECT, SEV_START_PASSIVE, SACT_NONE, SESS_CONNECT },
	{ SESS_CONNECT, SEV_STOP, SACT_CLOSE, SESS_IDLE },
	{ SESS_CONNECT, SEV_CONNRETRY_EXP, SACT_RECONNECT, SESS_CONNECT },
	{ SESS_CONNECT, SEV_TCP_CONNECTED, SACT_OPEN_SEND, SESS_OPENSENT },
	{ SESS_CONNECT, SEV_TCP_ACCEPTED, SACT_ADOPT_OPEN_SEND, SESS_OPENSENT },
	{ SESS_CONNECT, SEV_TCP_FAIL, SACT_CONN_FAILED, SESS_ACTIVE },
	{ SESS_CONNECT, SEV_RESET, SACT_CEASE_RESET, SESS_IDLE },

	{ SESS_ACTIVE, SEV_START, SACT_NONE, SESS_ACTIVE },
	{ SESS_ACTIVE, SEV_START_PASSIVE, SACT_NONE, SESS_ACTIVE },
	{ SESS_ACTIVE, SEV_STOP, SACT_CLOSE, SESS_IDLE },
	{ SESS_ACTIVE, SEV_CONNRETRY_EXP, SACT_CONNECT, SESS_CONNECT },
	{ SESS_ACTIVE, SEV_TCP_ACCEPTED, SACT_ADOPT_OPEN_SEND, SESS_OPENSENT },
	{ SESS_ACTIVE, SEV_RESET, SACT_CEASE_RESET, SESS_IDLE },

	{ SESS_OPENSENT, SEV_START, SACT_NONE, SESS_OPENSENT },
	{ SESS_OPENSENT, SEV_START_PASSIVE, SACT_NONE, SESS_OPENSENT },
	{ SESS_OPENSENT, SEV_STOP, SACT_CEASE_ADMIN, SESS_IDLE },
	{ SESS_OPENSENT, SEV_HOLD_EXP, SACT_HOLD_EXPIRED, SESS_IDLE },
	{ SESS_OPENSENT, SEV_TCP_ACCEPTED, SACT_COLLISION_HOLD, SESS_OPENSENT },
	{ SESS_OPENSENT, SEV_TCP_FAIL, SACT_CONN_FAILED, SESS_ACTIVE },
	{ SESS_OPENSENT, SEV_OPEN, SACT_OPEN_ACCEPT, SESS_OPENCONFIRM },
	{ SESS_OPENSENT, SEV_OPEN_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_OPENSENT, SEV_HDR_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_OPENSENT, SEV_NOTIF, SACT_NOTIF_RCVD, SESS_IDLE },
	{ SESS_OPENSENT, SEV_COLLISION_DUMP, SACT_COLLISION_SWAP, SESS_OPENSENT },
	{ SESS_OPENSENT, SEV_RESET, SACT_CEASE_RESET, SESS_IDLE },

	{ SESS_OPENCONFIRM, SEV_START, SACT_NONE, SESS_OPENCONFIRM },
	{ SESS_OPENCONFIRM, SEV_START_PASSIVE, SACT_NONE, SESS_OPENCONFIRM },
	{ SESS_OPENCONFIRM, SEV_STOP, SACT_CEASE_ADMIN, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_HOLD_EXP, SACT_HOLD_EXPIRED, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_KEEPALIVE_EXP, SACT_KEEPALIVE_SEND,
	  SESS_OPENCONFIRM },
	{ SESS_OPENCONFIRM, SEV_TCP_ACCEPTED, SACT_COLLISION_HOLD,
	  SESS_OPENCONFIRM },
	{ SESS_OPENCONFIRM, SEV_TCP_FAIL, SACT_CLOSE_RESTART, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_OPEN_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_HDR_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_NOTIF, SACT_NOTIF_RCVD, SESS_IDLE },
	{ SESS_OPENCONFIRM, SEV_KEEPALIVE_MSG, SACT_ESTABLISH,
	  SESS_ESTABLISHED },
	{ SESS_OPENCONFIRM, SEV_COLLISION_DUMP, SACT_COLLISION_SWAP,
	  SESS_OPENSENT },
	{ SESS_OPENCONFIRM, SEV_RESET, SACT_CEASE_RESET, SESS_IDLE },

	{ SESS_ESTABLISHED, SEV_START, SACT_NONE, SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_START_PASSIVE, SACT_NONE, SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_STOP, SACT_CEASE_ADMIN, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_HOLD_EXP, SACT_HOLD_EXPIRED, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_KEEPALIVE_EXP, SACT_KEEPALIVE_SEND,
	  SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_TCP_ACCEPTED, SACT_REJECT_COLLISION,
	  SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_TCP_FAIL, SACT_CLOSE_RESTART, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_HDR_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_NOTIF, SACT_NOTIF_RCVD, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_KEEPALIVE_MSG, SACT_NONE, SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_UPDATE_MSG, SACT_UPDATE, SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_UPDATE_ERR, SACT_NOTIFY_ERR, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_RREFRESH_MSG, SACT_REFRESH, SESS_ESTABLISHED },
	{ SESS_ESTABLISHED, SEV_MAXPFX, SACT_CEASE_MAXPFX, SESS_IDLE },
	{ SESS_ESTABLISHED, SEV_RESET, SACT_CEASE_RESET, SESS_IDLE },
};

/*
 * RFC 4271 8.2.2 "any other event": Idle ignores it, Connect and Active
 * drop to Idle, and from OpenSent on it is an FSM Error NOTIFICATION.
 */
static const struct sess_fsm_entry defaults[SESS_STATE_MAX] = {
	[SESS_IDLE] = { SACT_NONE, SESS_IDLE },
	[SESS_CONNECT] = { SACT_DROP, SESS_IDLE },
	[SESS_ACTIVE] = { SACT_DROP, SESS_IDLE },
	[SESS_OPENSENT] = { SACT_FSM_ERR, SESS_IDLE },
	[SESS_OPENCONFIRM] = { SACT_FSM_ERR, SESS_IDLE },
	[SESS_ESTABLISHED] = { SACT_FSM_ERR, SESS_IDLE },
};

static void
test_every_pair(void)
{
	struct sess_fsm_entry want, got;
	int st, ev, n, checked = 0;
	size_t i;

	for (st = 0; st < SESS_STATE_MAX; st++) {
		for (ev = 0; ev < SEV_EVENT_MAX; ev++) {
			want = defaults[st];
			for (i = 0, n = 0; i < sizeof(rows) / sizeof(rows[0]);
			    i++)
				if ((int)rows[i].st == st &&
				    (int)rows[i].ev == ev) {
					want.action = rows[i].act;
					want.next = rows[i].next;
					n++;
				}
			T_CHECK(n <= 1);
			got = sess_fsm_lookup(st, ev);
			if (got.action != want.action || got.next != want.next)
				printf("#   %s + %s: got %s -> %s, want %s -> "
				    "%s\n", sess_state_name(st),
				    sess_event_name(ev),
				    sess_action_name(got.action),
				    sess_state_name(got.next),
				    sess_action_name(want.action),
				    sess_state_name(want.next));
			T_EQ(got.action, want.action);
			T_EQ(got.next, want.next);
			T_CHECK(got.action != SACT_DEFAULT);
			checked++;
		}
	}
	T_EQ(checked, SESS_STATE_MAX * SEV_EVENT_MAX);
}

/* Properties the RFC states for whole groups of events. */
static void
test_invariants(void)
{
	int st, ev;

	for (st = 0; st < SESS_STATE_MAX; st++) {
		/* A stop never leaves a session up. */
		T_EQ(sess_fsm_lookup(st, SEV_STOP).next, SESS_IDLE);
		/* Start is ignored once started. */
		if (st != SESS_IDLE)
			T_EQ(sess_fsm_lookup(st, SEV_START).action, SACT_NONE);
		/* Only OpenConfirm + KEEPALIVE enters Established. */
		for (ev = 0; ev < SEV_EVENT_MAX; ev++)
			if (sess_fsm_lookup(st, ev).next == SESS_ESTABLISHED)
				T_CHECK(st == SESS_ESTABLISHED ||
				    (st == SESS_OPENCONFIRM &&
				    ev == SEV_KEEPALIVE_MSG));
	}
	/* Only an OPEN in OpenSent reaches OpenConfirm. */
	for (st = 0; st < SESS_STATE_MAX; st++)
		for (ev = 0; ev < SEV_EVENT_MAX; ev++)
			if (st != SESS_OPENCONFIRM &&
			    sess_fsm_lookup(st, ev).next == SESS_OPENCONFIRM)
				T_CHECK(st == SESS_OPENSENT && ev == SEV_OPEN);
	/* An UPDATE before Established is an FSM error (RFC 6608). */
	T_EQ(sess_fsm_lookup(SESS_OPENCONFIRM, SEV_UPDATE_MSG).action,
	    SACT_FSM_ERR);
	T_EQ(sess_fsm_lookup(SESS_OPENSENT, SEV_KEEPALIVE_MSG).action,
	    SACT_FSM_ERR);
	T_EQ(sess_fsm_lookup(SESS_ESTABLISHED, SEV_OPEN).action, SACT_FSM_ERR);
}

static void
test_names(void)
{
	int i;

	for (i = 0; i < SESS_STATE_MAX; i++)
		T_CHECK(sess_state_name(i)[0] != '?');
	for (i = 0; i < SEV_EVENT_MAX; i++)
		T_CHECK(sess_event_name(i)[0] != '?');
	for (i = 0; i < SACT_MAX; i++)
		T_CHECK(sess_action_name(i)[0] != '?');
	T_STREQ(sess_state_name(SESS_OPENCONFIRM), "OpenConfirm");
	T_STREQ(sess_state_name(SESS_STATE_MAX), "?");
}

int
main(void)
{
	T_RUN(test_every_pair);
	T_RUN(test_invariants);
	T_RUN(test_names);
	return t_done();
}
