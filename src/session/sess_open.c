/*
 * OPEN handling (RFC 4271 4.2 and 6.2): what we offer, what we refuse in
 * the peer's OPEN, and what the session ends up with.
 *
 * We offer: Multiprotocol for the configured families (RFC 4760), 4-octet
 * AS (RFC 6793), route refresh (RFC 2918), extended messages (RFC 8654),
 * and graceful restart with no families and restart flags 0 (RFC 4724:
 * "not restarting", no forwarding state kept), which lets a GR-aware peer
 * know we understand the procedure without promising to preserve anything.
 */
#include <string.h>

#include "session/sess_impl.h"

#define SESS_GR_TIME	120

void
sess_open_build(struct sess *s, struct bgp_open *o)
{
	uint32_t as = s->conf.local_as;

	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = as > 65535 ? BGP_AS_TRANS : (uint16_t)as;
	o->hold = s->conf.hold;
	o->bgp_id = s->mgr->router_id;
	o->caps.fams = sess_fams_offer(s);
	o->caps.mp_present = true;
	o->caps.as4 = true;
	o->caps.as4_asn = as;
	o->caps.route_refresh = true;
	o->caps.enhanced_rr = false;
	o->caps.ext_msg = true;
	o->caps.gr = true;
	o->caps.gr_flags_time = SESS_GR_TIME;
	o->caps.gr_fams = 0;
}

static int
open_fail(struct bgp_err *err, uint8_t subcode)
{
	memset(err, 0, sizeof(*err));
	err->code = BGP_ERR_OPEN;
	err->subcode = subcode;
	return -1;
}

static uint8_t
peer_fams(const struct bgp_open *o)
{
	/* RFC 4760 8: no MP capability at all means IPv4 unicast only. */
	return o->caps.mp_present ? o->caps.fams : BGP_FAM_BIT(BGP_FAM_V4U);
}

/* MP capabilities we offered, as NOTIFICATION data for 2/7. */
static void
open_mp_data(struct sess *s, struct bgp_err *err)
{
	enum bgp_fam f;
	uint16_t afi;
	uint8_t safi;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		if (!(sess_fams_offer(s) & BGP_FAM_BIT(f)) ||
		    (size_t)err->datalen + 6 > sizeof(err->data))
			continue;
		bgp_fam_to_afi(f, &afi, &safi);
		err->data[err->datalen++] = 1;		/* code: MP */
		err->data[err->datalen++] = 4;		/* length */
		err->data[err->datalen++] = afi >> 8;
		err->data[err->datalen++] = afi & 0xff;
		err->data[err->datalen++] = 0;
		err->data[err->datalen++] = safi;
	}
}

int
sess_open_check(struct sess *s, const struct bgp_open *o, struct bgp_err *err)
{
	bool ibgp = s->conf.remote_as == s->conf.local_as;

	if (o->version != BGP_VERSION) {
		/* RFC 4271 6.2: data is the largest version we support. */
		open_fail(err, BGP_OPEN_VERSION);
		err->datalen = 2;
		err->data[0] = 0;
		err->data[1] = BGP_VERSION;
		sess_set_reason(s, "peer sent version %u", o->version);
		return -1;
	}
	if (bgp_open_asn(o) != s->conf.remote_as) {
		sess_set_reason(s, "peer AS %u, expected %u", bgp_open_asn(o),
		    s->conf.remote_as);
		return open_fail(err, BGP_OPEN_BADAS);
	}
	if (o->hold != 0 && o->hold < BGP_MIN_HOLD) {
		sess_set_reason(s, "peer hold time %u (0 or 3-65535)",
		    o->hold);
		return open_fail(err, BGP_OPEN_HOLD);
	}
	/*
	 * RFC 6286 2.2: zero is never valid; our own identifier only
	 * between internal peers (eBGP peers may share one).
	 */
	if (o->bgp_id == 0 || (ibgp && o->bgp_id == s->mgr->router_id)) {
		sess_set_reason(s, "bad BGP identifier %u.%u.%u.%u",
		    o->bgp_id >> 24, (o->bgp_id >> 16) & 0xff,
		    (o->bgp_id >> 8) & 0xff, o->bgp_id & 0xff);
		return open_fail(err, BGP_OPEN_BADID);
	}
	if ((peer_fams(o) & sess_fams_offer(s)) == 0) {
		sess_set_reason(s, "no address family in common");
		open_fail(err, BGP_OPEN_CAPA);
		open_mp_data(s, err);
		return -1;
	}
	return 0;
}

void
sess_open_negotiate(struct sess *s, const struct bgp_open *o)
{
	uint16_t ka;

	s->peer_open = *o;
	s->open_rcvd = true;
	/* RFC 4271 4.2: the smaller hold time; keepalive a third of it. */
	s->hold = o->hold < s->conf.hold ? o->hold : s->conf.hold;
	ka = s->hold / 3;
	if (s->conf.keepalive != 0 && s->conf.keepalive < ka)
		ka = s->conf.keepalive;
	if (s->hold != 0 && ka == 0)
		ka = 1;
	s->keepalive = s->hold == 0 ? 0 : ka;
	s->fams = peer_fams(o) & sess_fams_offer(s);
	s->as4 = o->caps.as4;
	s->ext_msg = o->caps.ext_msg;
	s->route_refresh = o->caps.route_refresh;
	s->max_msg_in = s->ext_msg ? BGP_MAX_EXT_MSG : BGP_MAX_MSG;
}
