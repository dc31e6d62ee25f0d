/*
 * The edge's answers to the live views of spec section 9.1 and the
 * connectivity test of 9.3 (src/er/er_views.c has the exchange: request
 * records in the store, one per device path, answered in place).
 *
 * - ARP table: the kernel neighbour table of the interface the peering's
 *   VLAN maps to (--interface-map), restricted to the peering's subnet:
 *   one "On-Prem" row per neighbour (MAC "Incomplete" while ARP has no
 *   answer, as the troubleshooting guide shows it) and the "Microsoft"
 *   row, our own address and MAC. Ages are minutes, as Azure gives them.
 * - Route table: the Loc-RIB of the peering's routing context, through
 *   the same builder as `xrctl show route` (so both agree).
 * - Route table summary: the context's neighbours from the builder behind
 *   `xrctl show bgp summary`; statePfxRcd is the received prefix count
 *   when Established and the state name otherwise.
 * - Byte counters: rx/tx bytes of the mapped interface, published per
 *   peering and path on the status timer (RC_STATUS_MS), only when they
 *   changed, all in one transaction.
 * - Connectivity test: rc_nft.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <linux/neighbour.h>

#include "daemon/xrd.h"
#include "fib/fib.h"
#include "lib/log.h"
#include "reconcile/rc_views.h"

struct rc_views {
	struct store		*st;
	const struct rc_opts	*o;
	json_t			*published;	/* stats id -> doc */
	bool			 again;	/* a write failed: retry */
	struct rc_conntest	 ct[RC_CT_MAX];
	size_t			 nct;
};

struct rc_views *
rc_views_new(struct store *st, const struct rc_opts *o)
{
	struct rc_views *v = calloc(1, sizeof(*v));

	if (v == NULL || (v->published = json_object()) == NULL) {
		free(v);
		return NULL;
	}
	v->st = st;
	v->o = o;
	rc_nft_cleanup(true);
	return v;
}

void
rc_views_free(struct rc_views *v)
{
	char err[512];

	if (v == NULL)
		return;
	if (v->nct > 0 && rc_nft_stop(&v->ct[0], true, err, sizeof(err)))
		log_warn("conntest: %s", err);
	json_decref(v->published);
	free(v);
}

/* --- ARP ----------------------------------------------------------------- */

static void
mac_dotted(const uint8_t *m, size_t len, char *buf, size_t blen)
{
	if (len != 6)
		snprintf(buf, blen, "Incomplete");
	else
		snprintf(buf, blen, "%02x%02x.%02x%02x.%02x%02x", m[0], m[1],
		    m[2], m[3], m[4], m[5]);
}

struct arp_acc {
	const struct rc_peer	*p;
	struct prefix		 net;
	json_t			*rows;
};

static int
arp_cb(void *arg, const struct fib_neigh *n)
{
	struct arp_acc *a = arg;
	char ip[ADDR_STRLEN], mac[32];
	bool gone = n->state & (NUD_INCOMPLETE | NUD_FAILED);

	if (!prefix_has_addr(&a->net, &n->ip) ||
	    addr_cmp(&n->ip, &a->p->local) == 0)
		return 0;
	mac_dotted(n->mac, gone ? 0 : n->maclen, mac, sizeof(mac));
	json_array_append_new(a->rows, json_pack("{s:I,s:s,s:s,s:s}", "age",
	    (json_int_t)(n->age_sec == UINT32_MAX ? 0 : n->age_sec / 60),
	    "interface", "On-Prem", "ipAddress", addr_ntop(&n->ip, ip,
	    sizeof(ip)), "macAddress", mac));
	return 0;
}

static json_t *
view_arp(const struct rc_peer *p, const char *ifn, char *err, size_t errlen)
{
	struct arp_acc a = { .p = p };
	struct fib_link l;
	char ip[ADDR_STRLEN], mac[32];

	if (ifn == NULL) {
		snprintf(err, errlen, "no --interface-map entry for VLAN %u on "
		    "this edge", p->vlan);
		return NULL;
	}
	if (fib_link_info(ifn, &l) == -1) {
		snprintf(err, errlen, "interface %s: not found", ifn);
		return NULL;
	}
	prefix_make(&a.net, p->nbr.af, p->nbr.b, p->plen);
	a.rows = json_array();
	if (fib_neigh_dump(ifn, 0, arp_cb, &a) == -1) {
		snprintf(err, errlen, "interface %s: cannot read the neighbour "
		    "table", ifn);
		json_decref(a.rows);
		return NULL;
	}
	mac_dotted(l.mac, l.maclen, mac, sizeof(mac));
	json_array_append_new(a.rows, json_pack("{s:i,s:s,s:s,s:s}", "age", 0,
	    "interface", "Microsoft", "ipAddress", addr_ntop(&p->local, ip,
	    sizeof(ip)), "macAddress", mac));
	return a.rows;
}

/* --- routes and summary -------------------------------------------------- */

static json_t *
view_routes(struct xrd *x, const struct rc_peer *p, char *err, size_t errlen)
{
	struct ctl_req q;
	json_t *all, *rows, *r;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.op = CTL_OP_ROUTE;
	q.table = RIB_LOC;
	q.limit = CTL_ROUTE_LIMIT;
	snprintf(q.ctx, sizeof(q.ctx), "%s", p->ctx);
	if ((all = ctl_show_routes(&x->env, &q, err, errlen)) == NULL)
		return NULL;
	rows = json_array();
	json_array_foreach(json_object_get(all, "routes"), i, r)
		json_array_append_new(rows, json_pack("{s:O,s:O,s:O,s:O,s:O}",
		    "network", json_object_get(r, "network"), "nextHop",
		    json_object_get(r, "nextHop"), "locPrf",
		    json_object_get(r, "locPrf"), "weight",
		    json_object_get(r, "weight"), "path",
		    json_object_get(r, "path")));
	json_decref(all);
	return rows;
}

static json_t *
view_summary(struct xrd *x, const struct rc_peer *p)
{
	json_t *all = ctl_show_summary(&x->env), *peers, *n, *rows;
	const char *addr, *state;
	char spr[32];

	peers = json_object_get(json_object_get(json_object_get(all,
	    "contexts"), p->ctx), "peers");
	rows = json_array();
	json_object_foreach(peers, addr, n) {
		state = json_string_value(json_object_get(n, "state"));
		if (state != NULL && strcmp(state, "Established") == 0)
			snprintf(spr, sizeof(spr), "%lld", (long long)
			    json_integer_value(json_object_get(n, "pfxRcd")));
		else
			snprintf(spr, sizeof(spr), "%s", state ? state : "");
		json_array_append_new(rows, json_pack("{s:s,s:i,s:O,s:O,s:s}",
		    "neighbor", addr, "v", 4, "as", json_object_get(n,
		    "remoteAs"), "upDown", json_object_get(n, "upDown"),
		    "statePfxRcd", spr));
	}
	json_decref(all);
	return rows;
}

/* --- connectivity test --------------------------------------------------- */

static struct rc_conntest *
ct_find(struct rc_views *v, const char *peering)
{
	for (size_t i = 0; i < v->nct; i++)
		if (strcasecmp(v->ct[i].peering, peering) == 0)
			return &v->ct[i];
	return NULL;
}

/* The test as the API stored it, parsed again: only parsed values go
 * into the nft script. */
static int
ct_parse(json_t *def, struct rc_conntest *t, char *err, size_t errlen)
{
	static const char *const pn[] = { "Any", "TCP", "UDP", "ICMP" };
	const char *s = json_string_value(json_object_get(def,
	    "sourceIpAddress"));
	const char *d = json_string_value(json_object_get(def,
	    "destinationIpAddress"));
	const char *pr = json_string_value(json_object_get(def, "protocol"));
	json_int_t sp = json_integer_value(json_object_get(def, "sourcePort"));
	json_int_t dp = json_integer_value(json_object_get(def,
	    "destinationPort"));

	if (s == NULL || d == NULL || prefix_parse(s, &t->src, false) == -1 ||
	    prefix_parse(d, &t->dst, false) == -1 || t->src.af != t->dst.af ||
	    sp < 0 || sp > 65535 || dp < 0 || dp > 65535) {
		snprintf(err, errlen, "malformed test definition");
		return -1;
	}
	t->proto = RC_CT_ANY;
	for (int i = 0; pr != NULL && i < 4; i++)
		if (strcasecmp(pr, pn[i]) == 0)
			t->proto = (enum rc_ct_proto)i;
	t->sport = (uint16_t)sp;
	t->dport = (uint16_t)dp;
	return 0;
}

static void
ct_chain(const char *id, char *buf, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a over the lower-case id */

	for (const char *c = id; *c; c++)
		h = (h ^ (uint8_t)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c)) *
		    16777619u;
	snprintf(buf, len, "t%08x", h);
}

static json_t *
ct_answer(const char *state, uint64_t rx, uint64_t tx)
{
	return json_pack("{s:s,s:I,s:I}", "state", state, "received",
	    (json_int_t)rx, "sent", (json_int_t)tx);
}

static json_t *
view_conntest(struct rc_views *v, const char *kind, const struct rc_peer *p,
    const char *ifn, json_t *def, char *err, size_t errlen)
{
	struct rc_conntest t, *cur = ct_find(v, p->id);
	uint64_t rx = 0, tx = 0;

	if (strcmp(kind, "conntestStart") == 0) {
		memset(&t, 0, sizeof(t));
		if (ifn == NULL) {
			snprintf(err, errlen, "no --interface-map entry for "
			    "VLAN %u on this edge", p->vlan);
			return NULL;
		}
		if (ct_parse(def, &t, err, errlen) == -1)
			return NULL;
		if (cur == NULL && v->nct == RC_CT_MAX) {
			snprintf(err, errlen, "%d tests already run on this "
			    "edge", RC_CT_MAX);
			return NULL;
		}
		snprintf(t.peering, sizeof(t.peering), "%s", p->id);
		snprintf(t.ifname, sizeof(t.ifname), "%s", ifn);
		ct_chain(p->id, t.chain, sizeof(t.chain));
		if (rc_nft_start(&t, err, errlen) == -1)
			return NULL;
		*(cur != NULL ? cur : &v->ct[v->nct++]) = t;
		log_info("conntest: started on %s (%s)", p->ctx, ifn);
		return ct_answer("Running", 0, 0);
	}
	if (cur == NULL)	/* e.g. this edge restarted since */
		return ct_answer("NotRunning", 0, 0);
	if (rc_nft_read(cur, &rx, &tx, err, errlen) == -1)
		return NULL;
	if (strcmp(kind, "conntestStop") != 0)
		return ct_answer("Running", rx, tx);
	if (rc_nft_stop(cur, v->nct == 1, err, errlen) == -1)
		log_warn("conntest: %s", err);
	*cur = v->ct[--v->nct];
	log_info("conntest: stopped on %s", p->ctx);
	return ct_answer("Stopped", rx, tx);
}

/* Tests of peerings this path no longer serves (deleted, moved,
 * deprovisioned) stop here: nobody could stop them through the API. */
static void
ct_forget(struct rc_views *v, const struct rc_peer *peers, size_t n)
{
	char err[512];
	size_t i = 0, k;

	while (i < v->nct) {
		for (k = 0; k < n; k++)
			if (strcasecmp(peers[k].id, v->ct[i].peering) == 0)
				break;
		if (k < n) {
			i++;
			continue;
		}
		if (rc_nft_stop(&v->ct[i], v->nct == 1, err, sizeof(err)))
			log_warn("conntest: %s", err);
		log_info("conntest: stopped (peering gone): %s",
		    v->ct[i].peering);
		v->ct[i] = v->ct[--v->nct];
	}
}

/* --- requests ------------------------------------------------------------ */

static int
req_cb(const struct store_rec *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:s?,s:s?,s:s}", "id",
	    r->id, "parent", r->parent, "sub", r->sub, "doc", r->doc));
	return 0;
}

static const struct rc_peer *
peer_of(const char *id, const struct rc_peer *peers, size_t n)
{
	for (size_t i = 0; id != NULL && i < n; i++)
		if (strcasecmp(peers[i].id, id) == 0)
			return &peers[i];
	return NULL;
}

static json_t *
answer(struct rc_views *v, struct xrd *x, const struct rc_peer *p,
    json_t *doc, char *err, size_t errlen)
{
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	const char *ifn = rc_ifname_of(v->o, p->vlan);

	if (kind == NULL)
		kind = "";
	if (strcmp(kind, "arpTable") == 0)
		return view_arp(p, ifn, err, errlen);
	if (strcmp(kind, "routeTable") == 0)
		return view_routes(x, p, err, errlen);
	if (strcmp(kind, "routeTableSummary") == 0)
		return view_summary(x, p);
	if (strncmp(kind, "conntest", 8) == 0)
		return view_conntest(v, kind, p, ifn, json_object_get(doc,
		    "args"), err, errlen);
	snprintf(err, errlen, "this edge does not know the view '%s'", kind);
	return NULL;
}

static int
put_answer(struct rc_views *v, json_t *req, json_t *doc)
{
	struct store_rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.id = (char *)json_string_value(json_object_get(req, "id"));
	r.type = (char *)ER_VIEW_REQ_TYPE;
	r.parent = (char *)json_string_value(json_object_get(req, "parent"));
	r.sub = (char *)json_string_value(json_object_get(req, "sub"));
	if ((r.doc = json_dumps(doc, JSON_COMPACT)) == NULL)
		return -1;
	rc = store_put(v->st, &r);	/* idx NULL: no longer pending */
	free(r.doc);
	return rc == STORE_OK ? 0 : -1;
}

void
rc_views_serve(struct rc_views *v, struct xrd *x, const struct rc_peer *peers,
    size_t n)
{
	json_t *reqs, *req, *doc, *a;
	const struct rc_peer *p;
	char err[512];
	size_t i;
	bool open = false;

	if (v == NULL)
		return;
	reqs = json_array();
	v->again = false;
	if (store_list_idx(v->st, ER_VIEW_REQ_TYPE, rc_path_name(v->o->path),
	    req_cb, reqs) != STORE_OK)
		v->again = true;
	json_array_foreach(reqs, i, req) {
		doc = json_loads(json_string_value(json_object_get(req, "doc")),
		    0, NULL);
		p = peer_of(json_string_value(json_object_get(doc, "peering")),
		    peers, n);
		if (p == NULL) {	/* not ours (yet) */
			json_decref(doc);
			continue;
		}
		err[0] = '\0';
		if ((a = answer(v, x, p, doc, err, sizeof(err))) != NULL)
			json_object_set_new(doc, "answer", a);
		else
			json_object_set_new(doc, "error", json_string(err));
		if (!open && store_begin(v->st) == STORE_OK)
			open = true;
		if (!open || put_answer(v, req, doc) == -1) {
			log_warn("views: cannot answer %s: %s",
			    json_string_value(json_object_get(req, "id")),
			    v->st->errmsg);
			v->again = true;
		}
		json_decref(doc);
	}
	if (open && store_commit(v->st) != STORE_OK) {
		log_warn("views: cannot commit answers: %s", v->st->errmsg);
		v->again = true;
	}
	json_decref(reqs);
}

bool
rc_views_again(const struct rc_views *v)
{
	return v != NULL && v->again;
}

/* --- byte counters ------------------------------------------------------- */

static bool
stats_put(struct rc_views *v, const char *id, const char *parent, json_t *doc,
    bool *open)
{
	struct store_rec r;
	int rc;

	if (!*open && store_begin(v->st) != STORE_OK)
		return false;
	*open = true;
	memset(&r, 0, sizeof(r));
	r.id = (char *)id;
	r.type = (char *)ER_PEERING_STATS_TYPE;
	r.parent = (char *)parent;
	if ((r.doc = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return false;
	rc = store_put(v->st, &r);
	free(r.doc);
	return rc == STORE_OK;
}

static void
stats_forget(struct rc_views *v, json_t *now, bool *open)
{
	const char *id;
	json_t *doc;
	void *tmp;

	json_object_foreach_safe(v->published, tmp, id, doc) {
		if (json_object_get(now, id) != NULL)
			continue;
		if (!*open && store_begin(v->st) != STORE_OK)
			return;
		*open = true;
		store_del(v->st, id);
		json_object_del(v->published, id);
	}
}

void
rc_views_publish(struct rc_views *v, const struct rc_peer *peers, size_t n)
{
	struct fib_link_stats ls;
	json_t *now = json_object(), *doc;
	const char *ifn;
	char id[RC_ID_MAX + 32];
	bool open = false;

	if (v == NULL) {
		json_decref(now);
		return;
	}
	ct_forget(v, peers, n);
	for (size_t i = 0; i < n; i++) {
		if ((ifn = rc_ifname_of(v->o, peers[i].vlan)) == NULL ||
		    fib_link_stats(ifn, &ls) == -1)
			continue;
		snprintf(id, sizeof(id), "%s/stats/%s", peers[i].id,
		    rc_path_name(v->o->path));
		doc = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "path",
		    rc_path_name(v->o->path), "interface", ifn, "bytesIn",
		    (json_int_t)ls.rx_bytes, "bytesOut",
		    (json_int_t)ls.tx_bytes, "packetsIn",
		    (json_int_t)ls.rx_packets, "packetsOut",
		    (json_int_t)ls.tx_packets);
		json_object_set_new(now, id, json_true());
		if (json_equal(doc, json_object_get(v->published, id)) ||
		    !stats_put(v, id, peers[i].id, doc, &open)) {
			json_decref(doc);
			continue;
		}
		json_object_set_new(v->published, id, doc);
	}
	stats_forget(v, now, &open);
	json_decref(now);
	if (open && store_commit(v->st) != STORE_OK) {
		log_warn("views: cannot publish counters: %s", v->st->errmsg);
		json_object_clear(v->published);
	}
}
