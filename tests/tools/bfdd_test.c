/*
 * bfdd_test: run one BFD session (src/bfd) from the command line and print
 * what happens, for the interop tests against BIRD and FRR until xrouted
 * runs BFD itself.
 *
 *   bfdd_test --local 10.0.0.1 --peer 10.0.0.2 [--tx 300] [--rx 300]
 *       [--mult 3] [--ifname IF] [--passive] [--json-events]
 *       [--info-every MS] [--duration S]
 *
 * Events go to stdout, one per line (JSON with --json-events): "start",
 * "state" on every state change, "info" every --info-every ms and on
 * SIGUSR1. SIGUSR2 toggles AdminDown; SIGINT/SIGTERM stop. Logs go to
 * stderr.
 */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bfd/bfd.h"
#include "lib/log.h"
#include "lib/mtime.h"

struct tool {
	struct ev_loop		*loop;
	struct bfd		*bfd;
	struct bfd_session	*s;
	bool			 json;
	bool			 admin_down;
	uint64_t		 info_every_us;
	struct ev_timer		 info_timer, stop_timer;
};

static void
usage(void)
{
	fprintf(stderr, "usage: bfdd_test --local ADDR --peer ADDR [--tx MS] "
	    "[--rx MS] [--mult N]\n"
	    "           [--ifname IF] [--passive] [--json-events] "
	    "[--info-every MS] [--duration S]\n");
	exit(64);
}

static unsigned long
num_arg(const char *opt, const char *v, unsigned long lo, unsigned long hi,
    const char *unit)
{
	char *end;
	unsigned long n;

	n = strtoul(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "bfdd_test: %s '%s': want %s from %lu to %lu\n",
		    opt, v, unit, lo, hi);
		exit(64);
	}
	return n;
}

static uint64_t
epoch_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static void
emit(struct tool *t, json_t *o)
{
	char *line;

	json_object_set_new(o, "epochUs", json_integer((json_int_t)epoch_us()));
	if ((line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL) {
		puts(line);
		free(line);
	}
	fflush(stdout);
	json_decref(o);
}

static json_t *
info_json(const char *event, const struct bfd_session_info *i)
{
	char p[ADDR_STRLEN], l[ADDR_STRLEN];

	return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:i, s:I, s:I,"
	    " s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I,"
	    " s:I, s:I, s:i, s:i, s:I, s:I, s:i}",
	    "event", event,
	    "peer", addr_ntop(&i->peer, p, sizeof(p)),
	    "local", addr_ntop(&i->local, l, sizeof(l)),
	    "srcPort", i->src_port,
	    "state", bfd_state_key(i->state),
	    "remoteState", bfd_state_key(i->remote_state),
	    "localDiag", i->local_diag,
	    "remoteDiag", i->remote_diag,
	    "localDiscr", (json_int_t)i->local_discr,
	    "remoteDiscr", (json_int_t)i->remote_discr,
	    "mult", i->mult,
	    "remoteMult", i->remote_mult,
	    "desMinTxUs", (json_int_t)i->des_min_tx_us,
	    "reqMinRxUs", (json_int_t)i->req_min_rx_us,
	    "remoteDesMinTxUs", (json_int_t)i->remote_des_min_tx_us,
	    "remoteMinRxUs", (json_int_t)i->remote_min_rx_us,
	    "txIntervalUs", (json_int_t)i->tx_interval_us,
	    "rxIntervalUs", (json_int_t)i->rx_interval_us,
	    "detectTimeUs", (json_int_t)i->detect_time_us,
	    "lastRxAgoUs", (json_int_t)i->last_rx_ago_us,
	    "pollActive", i->poll_active,
	    "rxPkts", (json_int_t)i->rx_pkts,
	    "txPkts", (json_int_t)i->tx_pkts,
	    "rxDropped", (json_int_t)i->rx_dropped,
	    "upCount", (int)i->up_count,
	    "downCount", (int)i->down_count,
	    "uptimeUs", (json_int_t)i->uptime_us,
	    "sinceChangeUs", (json_int_t)i->since_change_us,
	    "lastDownDiag", i->last_down_diag);
}

/* Drops before a session was found, for all sessions. */
static void
add_stats(struct tool *t, json_t *o)
{
	struct bfd_stats st;
	json_int_t bad = 0;
	int k;

	bfd_stats(t->bfd, &st);
	for (k = 1; k < BFD_PKT_RESULT_MAX; k++)
		bad += (json_int_t)st.rx_bad[k];
	json_object_set_new(o, "rxBadDecode", json_integer(bad));
	json_object_set_new(o, "rxBadTtl", json_integer(
	    (json_int_t)st.rx_bad_ttl));
	json_object_set_new(o, "rxNoSession", json_integer(
	    (json_int_t)st.rx_no_session));
	json_object_set_new(o, "rxAuth", json_integer((json_int_t)st.rx_auth));
}

static void
print_info(struct tool *t, const char *event)
{
	struct bfd_session_info i;
	char p[ADDR_STRLEN];
	json_t *j;

	bfd_session_info(t->s, &i);
	if (t->json) {
		j = info_json(event, &i);
		add_stats(t, j);
		emit(t, j);
		return;
	}
	printf("%s peer %s %s remote %s tx %.1f ms detect %.1f ms rx %ju "
	    "tx %ju\n", event, addr_ntop(&i.peer, p, sizeof(p)),
	    bfd_state_name(i.state), bfd_state_name(i.remote_state),
	    i.tx_interval_us / 1e3, i.detect_time_us / 1e3,
	    (uintmax_t)i.rx_pkts, (uintmax_t)i.tx_pkts);
	fflush(stdout);
}

static void
on_state(void *arg, enum bfd_state o, enum bfd_state n, uint8_t diag)
{
	struct tool *t = arg;
	struct bfd_session_info i;
	json_t *j;

	bfd_session_info(t->s, &i);
	if (!t->json) {
		printf("state %s -> %s (%s) after %.1f ms without packets\n",
		    bfd_state_name(o), bfd_state_name(n), bfd_diag_name(diag),
		    i.last_rx_ago_us / 1e3);
		fflush(stdout);
		return;
	}
	j = info_json("state", &i);
	json_object_set_new(j, "old", json_string(bfd_state_key(o)));
	json_object_set_new(j, "new", json_string(bfd_state_key(n)));
	json_object_set_new(j, "diag", json_integer(diag));
	json_object_set_new(j, "diagText", json_string(bfd_diag_name(diag)));
	emit(t, j);
}

static void
info_tick(struct ev_loop *l, struct ev_timer *tm, void *arg)
{
	struct tool *t = arg;

	print_info(t, "info");
	ev_timer_start(l, tm, t->info_every_us);
}

static void
stop_tick(struct ev_loop *l, struct ev_timer *tm, void *arg)
{
	ev_break(l);
}

static void
on_signal(struct ev_loop *l, int signo, void *arg)
{
	struct tool *t = arg;

	switch (signo) {
	case SIGUSR1:
		print_info(t, "info");
		break;
	case SIGUSR2:
		t->admin_down = !t->admin_down;
		bfd_session_set_admin_down(t->s, t->admin_down);
		break;
	default:
		ev_break(l);
	}
}

static void
parse(int argc, char **argv, struct bfd_session_conf *c, struct tool *t,
    unsigned long *duration)
{
	static const struct option opts[] = {
		{ "local", required_argument, NULL, 'l' },
		{ "peer", required_argument, NULL, 'p' },
		{ "tx", required_argument, NULL, 't' },
		{ "rx", required_argument, NULL, 'r' },
		{ "mult", required_argument, NULL, 'm' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "passive", no_argument, NULL, 'P' },
		{ "json-events", no_argument, NULL, 'j' },
		{ "info-every", required_argument, NULL, 'I' },
		{ "duration", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
		case 'p':
			if (addr_parse(optarg, ch == 'l' ? &c->local :
			    &c->peer) == -1) {
				fprintf(stderr, "bfdd_test: '%s' is not an "
				    "IPv4 or IPv6 address\n", optarg);
				exit(64);
			}
			break;
		case 't':
		case 'r':
			*(ch == 't' ? &c->min_tx_us : &c->min_rx_us) =
			    (uint32_t)num_arg(ch == 't' ? "--tx" : "--rx",
			    optarg, 10, 60000, "milliseconds") * 1000;
			break;
		case 'm':
			c->mult = (uint8_t)num_arg("--mult", optarg, 1, 255,
			    "a multiplier");
			break;
		case 'i':
			snprintf(c->ifname, sizeof(c->ifname), "%s", optarg);
			break;
		case 'P':
			c->passive = true;
			break;
		case 'j':
			t->json = true;
			break;
		case 'I':
			t->info_every_us = num_arg("--info-every", optarg, 10,
			    3600000, "milliseconds") * 1000;
			break;
		case 'd':
			*duration = num_arg("--duration", optarg, 1, 86400,
			    "seconds");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || c->peer.af == 0 || c->local.af == 0)
		usage();
}

int
main(int argc, char **argv)
{
	struct bfd_session_conf c = { 0 };
	struct tool t = { 0 };
	unsigned long duration = 0;
	char err[256];

	parse(argc, argv, &c, &t, &duration);
	log_init("bfdd_test", true, LOG_LVL_INFO);
	if ((t.loop = ev_loop_new()) == NULL || (t.bfd = bfd_new(t.loop)) ==
	    NULL) {
		fprintf(stderr, "bfdd_test: out of memory\n");
		return 1;
	}
	if ((t.s = bfd_session_add(t.bfd, &c, on_state, &t, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "bfdd_test: %s\n", err);
		return 2;
	}
	ev_signal(t.loop, SIGINT, on_signal, &t);
	ev_signal(t.loop, SIGTERM, on_signal, &t);
	ev_signal(t.loop, SIGUSR1, on_signal, &t);
	ev_signal(t.loop, SIGUSR2, on_signal, &t);
	print_info(&t, "start");
	if (t.info_every_us) {
		ev_timer_init(&t.info_timer, info_tick, &t);
		ev_timer_start(t.loop, &t.info_timer, t.info_every_us);
	}
	if (duration) {
		ev_timer_init(&t.stop_timer, stop_tick, &t);
		ev_timer_start(t.loop, &t.stop_timer, duration * USEC_PER_SEC);
	}
	ev_run(t.loop);
	print_info(&t, "stop");
	bfd_free(t.bfd);
	ev_loop_free(t.loop);
	return 0;
}
