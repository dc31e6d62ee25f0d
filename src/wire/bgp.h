/*
 * BGP-4 wire format: constants and the decoded forms the rest of xroute
 * consumes. Pure codecs, no I/O, no peers, no globals (RFC 4271 section 4;
 * capabilities RFC 5492; MP-BGP RFC 4760; 4-octet AS RFC 6793; route
 * refresh RFC 2918; extended messages RFC 8654; graceful restart RFC 4724;
 * communities RFC 1997, extended RFC 4360, large RFC 8092; error handling
 * RFC 7606; shutdown communication RFC 8203).
 *
 * Decoding never copies a variable-length attribute: struct bgp_pattrs
 * points into the message (or into a caller-provided scratch area when the
 * decoder must rewrite, as when merging AS_PATH with AS4_PATH from a
 * 2-octet speaker). The RIB interns what it keeps.
 *
 * Every decoder reports failure through struct bgp_err: the NOTIFICATION to
 * send (code, subcode, data) when the session must reset, or an RFC 7606
 * action on struct bgp_update when it must not.
 */
#ifndef XR_WIRE_BGP_H
#define XR_WIRE_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"

#define BGP_PORT		179
#define BGP_VERSION		4
#define BGP_HDR_LEN		19
#define BGP_MARKER_LEN		16
#define BGP_MAX_MSG		4096
#define BGP_MAX_EXT_MSG		65535
#define BGP_AS_TRANS		23456
#define BGP_MIN_HOLD		3	/* a non-zero hold below 3 s is refused */

enum bgp_msg_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_ROUTE_REFRESH = 5,
};

enum bgp_afi { BGP_AFI_IPV4 = 1, BGP_AFI_IPV6 = 2 };
enum bgp_safi { BGP_SAFI_UNICAST = 1 };

/* Dense family ids used in bitmasks and per-family arrays. */
enum bgp_fam { BGP_FAM_V4U = 0, BGP_FAM_V6U = 1, BGP_FAM_MAX };
#define BGP_FAM_BIT(f)	(1u << (f))

/* NOTIFICATION error codes and subcodes (RFC 4271 4.5, RFC 4486, 8203). */
enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7,		/* RFC 7313 */
};
enum { BGP_HDR_SYNC = 1, BGP_HDR_BADLEN = 2, BGP_HDR_BADTYPE = 3 };
enum {
	BGP_OPEN_VERSION = 1, BGP_OPEN_BADAS = 2, BGP_OPEN_BADID = 3,
	BGP_OPEN_OPTPARAM = 4, BGP_OPEN_HOLD = 6, BGP_OPEN_CAPA = 7,
	BGP_OPEN_ROLE = 11,
};
enum {
	BGP_UPD_ATTRLIST = 1, BGP_UPD_UNKWN_WK = 2, BGP_UPD_MISS_WK = 3,
	BGP_UPD_ATTRFLAGS = 4, BGP_UPD_ATTRLEN = 5, BGP_UPD_ORIGIN = 6,
	BGP_UPD_NEXTHOP = 8, BGP_UPD_OPTATTR = 9, BGP_UPD_NETWORK = 10,
	BGP_UPD_ASPATH = 11,
};
enum {
	BGP_CEASE_MAXPFX = 1, BGP_CEASE_ADMIN_DOWN = 2, BGP_CEASE_PEER_UNCONF = 3,
	BGP_CEASE_ADMIN_RESET = 4, BGP_CEASE_REJECT = 5, BGP_CEASE_CONFCHG = 6,
	BGP_CEASE_COLLISION = 7, BGP_CEASE_RESOURCES = 8, BGP_CEASE_HARDRESET = 9,
	BGP_CEASE_BFD_DOWN = 10,
};

/* What a decoder says went wrong: the NOTIFICATION to send. */
struct bgp_err {
	uint8_t		code;
	uint8_t		subcode;
	uint16_t	datalen;
	uint8_t		data[64];	/* offending bytes, truncated */
};

/* Path attribute type codes. */
enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGR = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_ORIGINATOR_ID = 9,
	BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH = 14,
	BGP_ATTR_MP_UNREACH = 15,
	BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
	BGP_ATTR_LARGE_COMMUNITIES = 32,
};
#define BGP_AF_OPTIONAL		0x80
#define BGP_AF_TRANSITIVE	0x40
#define BGP_AF_PARTIAL		0x20
#define BGP_AF_EXTLEN		0x10

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };
enum bgp_seg { BGP_SEG_SET = 1, BGP_SEG_SEQUENCE = 2,
	BGP_SEG_CONFED_SEQ = 3, BGP_SEG_CONFED_SET = 4 };

/* Well-known communities (RFC 1997, RFC 7999). */
#define BGP_COMM_NO_EXPORT		0xFFFFFF01u
#define BGP_COMM_NO_ADVERTISE		0xFFFFFF02u
#define BGP_COMM_NO_EXPORT_SUBCONFED	0xFFFFFF03u
#define BGP_COMM_BLACKHOLE		0xFFFF029Au

/*
 * Capabilities (RFC 5492). What we put in an OPEN and what the peer sent;
 * session code negotiates from two of these.
 */
struct bgp_caps {
	uint8_t		fams;		/* BGP_FAM_BIT() of MP families */
	bool		mp_present;	/* any MP capability was sent */
	bool		as4;		/* 4-octet AS (RFC 6793) */
	uint32_t	as4_asn;
	bool		route_refresh;	/* RFC 2918 (code 2, or 128 old) */
	bool		enhanced_rr;	/* RFC 7313 */
	bool		ext_msg;	/* RFC 8654 */
	bool		gr;		/* RFC 4724 capability present */
	uint16_t	gr_flags_time;	/* restart flags (4 bits) + time */
	uint8_t		gr_fams;	/* families with forwarding state */
	uint8_t		gr_fam_flags[BGP_FAM_MAX];
};

struct bgp_open {
	uint8_t		version;
	uint16_t	my_as;		/* 2-octet field: AS or AS_TRANS */
	uint16_t	hold;
	uint32_t	bgp_id;		/* host order */
	struct bgp_caps	caps;
};

/*
 * Decoded path attributes. 'present' has bit (1 << type) set for each
 * attribute type < 64 that was in the message and kept. Variable parts
 * point into the message or the decoder's scratch area.
 *
 * AS_PATH is always in 4-octet form: a sequence of segments, each
 * {type u8, count u8, count x u32 big-endian}. For a 2-octet peer the
 * decoder widens AS_PATH and merges AS4_PATH (RFC 6793 4.2.3) into scratch.
 */
struct bgp_pattrs {
	uint64_t	 present;
	uint8_t		 origin;
	const uint8_t	*aspath;	/* 4-octet segments */
	uint16_t	 aspath_len;	/* bytes */
	uint32_t	 nexthop;	/* IPv4 NEXT_HOP, network byte order */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggr_as;	/* AGGREGATOR (4-octet after merge) */
	uint32_t	 aggr_id;
	const uint8_t	*comm;		/* n x 4 bytes, big-endian */
	uint16_t	 comm_len;
	const uint8_t	*ext;		/* n x 8 bytes */
	uint16_t	 ext_len;
	const uint8_t	*large;		/* n x 12 bytes */
	uint16_t	 large_len;
	uint32_t	 originator_id;
	const uint8_t	*cluster;	/* n x 4 bytes */
	uint16_t	 cluster_len;
	/*
	 * Unknown optional transitive attributes, re-encoded as complete
	 * attributes (flags with PARTIAL set, type, length, value) back to
	 * back, ready to be copied into an outgoing UPDATE.
	 */
	const uint8_t	*unknown;
	uint16_t	 unknown_len;
	/* MP_REACH next hop: global, and link-local when 32 bytes were sent */
	struct addr	 mp_nexthop;
	struct addr	 mp_nexthop_ll;
};

#define BGP_ATTR_HAS(a, t)	(((a)->present >> (t)) & 1)

/* RFC 7606 outcome of decoding one UPDATE, worst action wins. */
enum bgp_7606 {
	BGP_7606_NONE = 0,
	BGP_7606_ATTR_DISCARD,		/* attribute dropped, route kept */
	BGP_7606_WITHDRAW,		/* treat all NLRI as withdrawn */
	BGP_7606_SESSION_RESET,		/* send err, close the session */
};

/*
 * One decoded UPDATE. NLRI sections are left as views to be walked with
 * bgp_nlri_next(), so a 4,000-prefix UPDATE costs no allocation.
 */
struct bgp_update {
	struct rbuf	 withdrawn;	/* IPv4 withdrawn routes */
	struct rbuf	 nlri;		/* IPv4 NLRI */
	enum bgp_fam	 mp_reach_fam;
	struct rbuf	 mp_reach;	/* MP_REACH NLRI (len 0 if none) */
	enum bgp_fam	 mp_unreach_fam;
	struct rbuf	 mp_unreach;	/* MP_UNREACH withdrawn NLRI */
	bool		 has_attrs;	/* path attributes were present */
	bool		 eor;		/* End-of-RIB marker (RFC 4724) */
	enum bgp_fam	 eor_fam;
	struct bgp_pattrs attrs;
	enum bgp_7606	 action;
	uint64_t	 discarded;	/* types dropped under ATTR_DISCARD */
	char		 reason[96];	/* why, for logs and 'show filtered' */
};

/*
 * What the decoder needs to know about the session. MP_REACH/MP_UNREACH of
 * a family not in 'fams' are ignored (0 means IPv4 unicast only). The
 * scratch area receives unknown transitive attributes (passed on with
 * Partial set) and, for 2-octet sessions, the widened AS_PATH; what
 * bgp_pattrs points to there stays valid until the next decode with it.
 */
struct bgp_decode_ctx {
	bool		 as4;		/* both sides sent the as4 capability */
	bool		 ebgp;
	uint8_t		 fams;		/* negotiated families */
	uint8_t		*scratch;	/* for AS_PATH rewriting */
	size_t		 scratch_len;	/* >= 3 * message size is enough */
};

/* What the encoder needs to know about the receiving session. */
struct bgp_encode_ctx {
	bool		 as4;		/* write 4-octet AS_PATH (else +AS4_PATH) */
	bool		 ext_msg;	/* may use messages up to 65535 bytes */
};

/* --- bgp_msg.c: framing ------------------------------------------------ */

/*
 * Check a header (marker, length within [19, max], known type, per-type
 * length rules) before any dispatch. Returns 0 and sets type and total
 * length, or -1 with err set (Message Header Error).
 */
int	bgp_hdr_check(const uint8_t *hdr, size_t maxlen, uint8_t *type,
	    uint16_t *len, struct bgp_err *err);
/* Append a header for 'type'; returns its offset so the length can be
 * patched by bgp_msg_finish(). */
long	bgp_msg_begin(struct wbuf *, enum bgp_msg_type);
int	bgp_msg_finish(struct wbuf *, long off);
int	bgp_keepalive_encode(struct wbuf *);

/* --- bgp_open.c --------------------------------------------------------- */

int	bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *,
	    struct bgp_err *);
int	bgp_open_encode(struct wbuf *, const struct bgp_open *);
/* Our ASN as seen in the peer's OPEN: caps.as4_asn if present, else my_as */
uint32_t bgp_open_asn(const struct bgp_open *);

/* --- bgp_notify.c ------------------------------------------------------- */

struct bgp_notification {
	uint8_t		 code;
	uint8_t		 subcode;
	const uint8_t	*data;
	uint16_t	 datalen;
	char		 shutdown_msg[256];	/* RFC 8203, UTF-8, or "" */
};
int	bgp_notification_decode(const uint8_t *body, size_t len,
	    struct bgp_notification *);
int	bgp_notification_encode(struct wbuf *, const struct bgp_err *);
/* Cease with an RFC 8203 shutdown communication (at most 255 bytes). */
int	bgp_shutdown_encode(struct wbuf *, uint8_t subcode, const char *msg);
const char *bgp_err_code_name(uint8_t code);
const char *bgp_err_subcode_name(uint8_t code, uint8_t subcode);

/*
 * ROUTE-REFRESH body: 0 and fam/subtype set; 1 when the message must be
 * ignored (unknown subtype or family, RFC 7313 section 5 / RFC 2918 4);
 * -1 with err set when the session must reset.
 */
int	bgp_rrefresh_decode(const uint8_t *body, size_t len, enum bgp_fam *,
	    uint8_t *subtype, struct bgp_err *);
int	bgp_rrefresh_encode(struct wbuf *, enum bgp_fam, uint8_t subtype);

/* --- bgp_update.c ------------------------------------------------------- */

/*
 * Decode an UPDATE body (after the header). Returns 0 when the UPDATE may
 * be applied (u->action says how: NONE, ATTR_DISCARD or WITHDRAW), -1 when
 * the session must reset (u->action = SESSION_RESET, err filled).
 */
int	bgp_update_decode(const uint8_t *body, size_t len,
	    const struct bgp_decode_ctx *, struct bgp_update *,
	    struct bgp_err *);
/*
 * Walk one NLRI section: 1 and *p filled, 0 at the end, -1 on a malformed
 * prefix (length beyond 32/128 or truncated).
 */
int	bgp_nlri_next(struct rbuf *, enum bgp_fam, struct prefix *);

/*
 * Encoding is split so one attribute set is encoded once and then packed
 * with as many prefixes as fit, message after message.
 *
 * bgp_attrs_encode() writes every attribute of 'a' except MP_REACH and
 * MP_UNREACH into 'w' (for the given receiving session), in type order.
 * The NEXT_HOP attribute is written for IPv4 unicast only.
 */
int	bgp_attrs_encode(struct wbuf *, const struct bgp_pattrs *,
	    enum bgp_fam, const struct bgp_encode_ctx *);

/*
 * Append one UPDATE message to 'w' that announces prefixes pfx[0..n) with
 * the pre-encoded attributes 'attrs' (from bgp_attrs_encode). For IPv6 an
 * MP_REACH_NLRI carrying 'nh' (and 'nh_ll' if af != 0) is built around the
 * prefixes. Returns how many prefixes fit (>= 1), or -1 if none fit.
 */
int	bgp_update_pack(struct wbuf *, const struct bgp_encode_ctx *,
	    enum bgp_fam, const uint8_t *attrs, size_t attrs_len,
	    const struct addr *nh, const struct addr *nh_ll,
	    const struct prefix *pfx, size_t n);
/* Same for withdrawals (IPv4 in Withdrawn Routes, IPv6 in MP_UNREACH). */
int	bgp_withdraw_pack(struct wbuf *, const struct bgp_encode_ctx *,
	    enum bgp_fam, const struct prefix *pfx, size_t n);
/* End-of-RIB marker for the family (RFC 4724 section 2). */
int	bgp_eor_encode(struct wbuf *, enum bgp_fam);

/* --- bgp_aspath.c ------------------------------------------------------- */

/* Number of ASes for path selection (a SET counts 1, confed segments 0). */
unsigned bgp_aspath_count(const uint8_t *path, size_t len);
bool	bgp_aspath_contains(const uint8_t *path, size_t len, uint32_t asn);
/* First AS of the leftmost SEQUENCE (the neighbour AS), or 0. */
uint32_t bgp_aspath_first(const uint8_t *path, size_t len);
/* Write 'asn' prepended 'times' times in front of path into w. */
int	bgp_aspath_prepend(struct wbuf *, const uint8_t *path, size_t len,
	    uint32_t asn, unsigned times);
/* Render "65001 65002 {65003,65004}" into buf. */
const char *bgp_aspath_str(const uint8_t *path, size_t len, char *buf,
	    size_t buflen);

/* --- bgp_attr.c --------------------------------------------------------- */

/* "AS_PATH", "COMMUNITIES", ... or "unknown". */
const char *bgp_attr_name(uint8_t type);

/* Family helpers. */
int	bgp_fam_from_afi(uint16_t afi, uint8_t safi, enum bgp_fam *);
void	bgp_fam_to_afi(enum bgp_fam, uint16_t *afi, uint8_t *safi);
const char *bgp_fam_name(enum bgp_fam);	/* "ipv4-unicast" */

#endif
