/*
 * The MRT engine of a daemon: configured dumps on a schedule, and BGP4MP
 * message dumps (RFC 6396 4.4.3, 4.4.4): every message a session sends or
 * receives becomes a BGP4MP_MESSAGE_AS4 record and every FSM state change
 * a BGP4MP_STATE_CHANGE_AS4 record, written to a file that rotates every
 * 'interval' seconds (a new name from the strftime pattern).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "mrt/mrt_int.h"
#include "session/sess.h"

static void	mon_msg(void *, struct sess *, bool, const uint8_t *, size_t);
static void	mon_state(void *, struct sess *, enum sess_state,
		    enum sess_state, enum sess_event);

static struct sess_mon *
mon_desc(struct mrt *m, struct sess_mon *mon)
{
	mon->msg = mon_msg;
	mon->state = mon_state;
	mon->arg = m;
	return mon;
}

struct mrt *
mrt_new(struct ev_loop *l, struct rib *r, struct sess_mgr *sm)
{
	struct mrt *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->loop = l;
	m->rib = r;
	m->sm = sm;
	return m;
}

void
mrt_set_ids(struct mrt *m, uint32_t router_id, uint32_t local_as)
{
	m->router_id = router_id;
	m->local_as = local_as;
}

size_t
mrt_busy(const struct mrt *m)
{
	const struct mrt_file *f;
	size_t n = 0;

	for (f = m->files; f != NULL; f = f->next)
		n++;
	return n;
}

static void
job_free(struct mrt_job *j)
{
	ev_timer_stop(j->m->loop, &j->t);
	if (j->f != NULL)
		mrt_file_close(j->f);
	free(j);
}

void
mrt_free(struct mrt *m)
{
	struct sess_mon mon;
	struct mrt_job *j;

	if (m == NULL)
		return;
	while ((j = m->jobs) != NULL) {
		m->jobs = j->next;
		job_free(j);
	}
	if (m->mon_on && m->sm != NULL)
		sess_mgr_mon_del(m->sm, mon_desc(m, &mon));
	mrt_dumps_abort(m);
	while (m->files != NULL)
		mrt_file_drain(m->files);
	free(m);
}

/* --- messages --------------------------------------------------------- */

static bool
job_wants(const struct mrt_job *j, struct sess *s)
{
	return j->conf.kind == MRT_KIND_MESSAGES && j->f != NULL &&
	    (j->conf.ctx[0] == '\0' || strcmp(j->conf.ctx, sess_conf(s)->ctx)
	    == 0);
}

static void
ends(struct sess *s, struct mrt_bgp4mp *e)
{
	struct sess_ep ep;

	sess_endpoints(s, &ep);
	memset(e, 0, sizeof(*e));
	e->peer_as = sess_conf(s)->remote_as;
	e->local_as = sess_conf(s)->local_as;
	e->peer = ep.remote;
	e->local = ep.local;
	if (e->local.af != e->peer.af) {
		memset(&e->local, 0, sizeof(e->local));
		e->local.af = e->peer.af;
	}
}

/* One event of a session: a message (msg != NULL) or a state change. */
struct mrt_ev {
	bool		 sent;
	const uint8_t	*msg;
	size_t		 len;
	enum sess_state	 from, to;
};

static void
emit(struct mrt *m, struct sess *s, const struct mrt_ev *ev)
{
	struct mrt_bgp4mp e;
	struct mrt_job *j;
	uint32_t now = (uint32_t)time(NULL);
	size_t before;
	int rc;

	ends(s, &e);
	for (j = m->jobs; j != NULL; j = j->next) {
		if (!job_wants(j, s))
			continue;
		before = j->f->buf.len;
		if (ev->msg != NULL)
			rc = mrt_bgp4mp_msg_encode(&j->f->buf, now, &e,
			    ev->sent, ev->msg, ev->len);
		else	/* MRT numbers the RFC 4271 states from Idle = 1. */
			rc = mrt_bgp4mp_state_encode(&j->f->buf, now, &e,
			    (uint16_t)(ev->from + 1), (uint16_t)(ev->to + 1));
		mrt_file_commit(j->f, before, rc);
	}
}

static void
mon_msg(void *arg, struct sess *s, bool sent, const uint8_t *msg, size_t len)
{
	struct mrt_ev ev = { .sent = sent, .msg = msg, .len = len };

	emit(arg, s, &ev);
}

static void
mon_state(void *arg, struct sess *s, enum sess_state from, enum sess_state to,
    enum sess_event why)
{
	struct mrt_ev ev = { .from = from, .to = to };

	emit(arg, s, &ev);
}

/* Register the session monitor only while a messages dump exists. */
void
mrt_msgs_sync(struct mrt *m)
{
	struct sess_mon mon;
	struct mrt_job *j;
	bool want = false;

	for (j = m->jobs; j != NULL; j = j->next)
		if (j->conf.kind == MRT_KIND_MESSAGES)
			want = true;
	if (m->sm == NULL || want == m->mon_on)
		return;
	if (want && sess_mgr_mon_add(m->sm, mon_desc(m, &mon)) == -1) {
		log_err("mrt: too many session monitors");
		return;
	}
	if (!want)
		sess_mgr_mon_del(m->sm, mon_desc(m, &mon));
	m->mon_on = want;
}

/* --- schedule ----------------------------------------------------------- */

static void
job_run(struct mrt_job *j)
{
	struct mrt_dump_info info;
	char path[PATH_MAX], err[512];

	if (mrt_path_expand(j->conf.path, path, sizeof(path)) == -1) {
		log_err("mrt: file name \"%s\" expands to nothing",
		    j->conf.path);
		return;
	}
	if (j->conf.kind == MRT_KIND_TABLE) {
		if (mrt_dump_table(j->m, path, j->conf.ctx, &info, err,
		    sizeof(err)) == -1)
			log_err("mrt: table dump to %s: %s", path, err);
		return;
	}
	if (j->f != NULL)
		mrt_file_close(j->f);
	if ((j->f = mrt_file_open(j->m, path, err, sizeof(err))) == NULL)
		log_err("mrt: messages dump: %s", err);
}

void
mrt_job_timer(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct mrt_job *j = arg;

	job_run(j);
	if (j->conf.interval > 0)
		ev_timer_start(l, &j->t, (uint64_t)j->conf.interval *
		    USEC_PER_SEC);
}

static bool
conf_same(const struct mrt_conf *a, const struct mrt_conf *b)
{
	return a->kind == b->kind && a->interval == b->interval &&
	    strcmp(a->path, b->path) == 0 && strcmp(a->ctx, b->ctx) == 0;
}

int
mrt_set_conf(struct mrt *m, const struct mrt_conf *c, size_t n, char *err,
    size_t errlen)
{
	struct mrt_job *j, **pp, *keep = NULL;
	size_t i;

	/* Keep the jobs that did not change, drop the others. */
	while ((j = m->jobs) != NULL) {
		m->jobs = j->next;
		for (i = 0; i < n && !conf_same(&j->conf, &c[i]); i++)
			;
		if (i == n) {
			job_free(j);
			continue;
		}
		j->next = keep;
		keep = j;
	}
	m->jobs = keep;
	for (i = 0; i < n; i++) {
		for (j = m->jobs; j != NULL && !conf_same(&j->conf, &c[i]);
		    j = j->next)
			;
		if (j != NULL)
			continue;
		if ((j = calloc(1, sizeof(*j))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		j->m = m;
		j->conf = c[i];
		ev_timer_init(&j->t, mrt_job_timer, j);
		for (pp = &m->jobs; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = j;
		/* A message dump starts now; a table dump after one period
		 * (at start the table is still empty). */
		if (j->conf.kind == MRT_KIND_MESSAGES)
			mrt_job_timer(m->loop, &j->t, j);
		else
			ev_timer_start(m->loop, &j->t, (uint64_t)(j->conf.interval
			    ? j->conf.interval : 1) * USEC_PER_SEC);
	}
	mrt_msgs_sync(m);
	return 0;
}
