/*
 * MRT routing information export format (RFC 6396): pure encoders for the
 * records xroute writes, a small decoder (unit tests, fuzzing, tools), and
 * the writers that dump the RIB (TABLE_DUMP_V2, section 4.3) and the
 * messages and state changes of every session (BGP4MP, section 4.4) to
 * files, on demand and on a schedule.
 *
 * Everything xroute writes uses 4-octet AS numbers: PEER_INDEX_TABLE peer
 * entries with the AS4 bit, RIB entry attributes with a 4-octet AS_PATH,
 * BGP4MP_MESSAGE_AS4 and BGP4MP_STATE_CHANGE_AS4.
 */
#ifndef XR_MRT_MRT_H
#define XR_MRT_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/evloop.h"
#include "wire/bgp.h"

#define MRT_HDR_LEN		12
#define MRT_TABLE_DUMP_V2	13
#define MRT_BGP4MP		16
enum {
	MRT_PEER_INDEX_TABLE = 1,
	MRT_RIB_IPV4_UNICAST = 2,
	MRT_RIB_IPV6_UNICAST = 4,
};
enum {
	MRT_BGP4MP_STATE_CHANGE = 0,
	MRT_BGP4MP_MESSAGE = 1,
	MRT_BGP4MP_MESSAGE_AS4 = 4,
	MRT_BGP4MP_STATE_CHANGE_AS4 = 5,
	MRT_BGP4MP_MESSAGE_LOCAL = 6,
	MRT_BGP4MP_MESSAGE_AS4_LOCAL = 7,
};
/* PEER_INDEX_TABLE peer type bits (RFC 6396 4.3.1). */
#define MRT_PEER_IPV6		0x01
#define MRT_PEER_AS4		0x02

/* BGP FSM states as BGP4MP_STATE_CHANGE numbers them (RFC 6396 4.4.1). */
enum {
	MRT_ST_IDLE = 1, MRT_ST_CONNECT, MRT_ST_ACTIVE, MRT_ST_OPENSENT,
	MRT_ST_OPENCONFIRM, MRT_ST_ESTABLISHED,
};

struct mrt_peer {
	uint32_t	 bgp_id;		/* host order */
	struct addr	 addr;
	uint32_t	 as;
};

/* The two ends of a BGP4MP record. */
struct mrt_bgp4mp {
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint16_t	 ifindex;
	struct addr	 peer;			/* same family as local */
	struct addr	 local;
};

/* --- mrt_enc.c ------------------------------------------------------------ */

/* Common header (4.1); returns its offset for mrt_finish(), or -1. */
long	mrt_begin(struct wbuf *, uint32_t ts, uint16_t type, uint16_t subtype);
/* Patch the record length; 0, or -1 if the writer overflowed. */
int	mrt_finish(struct wbuf *, long off);
int	mrt_peer_index_encode(struct wbuf *, uint32_t ts, uint32_t collector,
	    const char *view, const struct mrt_peer *, size_t n);
/*
 * A RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record: begin with the prefix,
 * add entries, finish with their count. Returns the record offset or -1.
 */
long	mrt_rib_begin(struct wbuf *, uint32_t ts, uint32_t seq,
	    const struct prefix *);
/*
 * One RIB entry: the path attributes with a 4-octet AS_PATH; for IPv6 the
 * next hop goes into an abbreviated MP_REACH_NLRI (4.3.4).
 */
int	mrt_rib_entry(struct wbuf *, uint16_t peer_idx, uint32_t orig_time,
	    const struct bgp_pattrs *, enum bgp_fam);
int	mrt_rib_finish(struct wbuf *, long off, uint16_t count);
/*
 * BGP4MP_MESSAGE_AS4 with a complete BGP message (header included), or
 * BGP4MP_MESSAGE_AS4_LOCAL (4.4.7) for one we sent: the record has no
 * direction field, readers tell sent from received by the subtype.
 */
int	mrt_bgp4mp_msg_encode(struct wbuf *, uint32_t ts,
	    const struct mrt_bgp4mp *, bool sent, const uint8_t *msg,
	    size_t len);
int	mrt_bgp4mp_state_encode(struct wbuf *, uint32_t ts,
	    const struct mrt_bgp4mp *, uint16_t old_state, uint16_t new_state);

/* --- mrt_dec.c ------------------------------------------------------------ */

struct mrt_rec {
	uint32_t	 ts;
	uint16_t	 type, subtype;
	struct rbuf	 body;
};
/* Next record of a stream: 1 and *rec set, 0 at the end, -1 truncated. */
int	mrt_rec_next(struct rbuf *, struct mrt_rec *);

struct mrt_peer_index {
	uint32_t	 collector;
	char		 view[256];
	size_t		 npeers;		/* as the record says */
	struct mrt_peer	 peers[64];		/* the first 64 */
};
int	mrt_peer_index_decode(const struct mrt_rec *, struct mrt_peer_index *);

struct mrt_rib_entry {
	uint16_t	 peer_idx;
	uint32_t	 orig_time;
	const uint8_t	*attrs;			/* points into the record */
	uint16_t	 attrs_len;
};
struct mrt_rib {
	uint32_t	 seq;
	struct prefix	 prefix;
	uint16_t	 nentries;		/* as the record says */
	struct mrt_rib_entry entries[16];	/* the first 16 */
};
int	mrt_rib_decode(const struct mrt_rec *, struct mrt_rib *);

struct mrt_bgp4mp_rec {
	struct mrt_bgp4mp ends;
	uint16_t	 old_state, new_state;	/* STATE_CHANGE */
	const uint8_t	*msg;			/* MESSAGE: the BGP message */
	size_t		 msg_len;
	bool		 local;			/* a *_LOCAL subtype: sent */
};
/* Either AS4 subtype (or the 2-octet ones); -1 if malformed. */
int	mrt_bgp4mp_decode(const struct mrt_rec *, struct mrt_bgp4mp_rec *);

/* --- mrt_file.c, mrt_dump.c: the writers ------------------------------ */

struct rib;
struct sess_mgr;
struct mrt;

enum mrt_kind { MRT_KIND_TABLE = 0, MRT_KIND_MESSAGES };

/* One configured dump ("mrt table|messages FILE [interval S] [context C]"). */
struct mrt_conf {
	enum mrt_kind	 kind;
	char		 path[4096];	/* strftime(3) pattern */
	uint32_t	 interval;	/* seconds; 0 = once / no rotation */
	char		 ctx[64];	/* "" = every context */
};

/* What an on-demand table dump will hold, as the RIB stands at its start. */
struct mrt_dump_info {
	char		 path[4096];	/* final name */
	size_t		 contexts, prefixes, paths;
};

struct mrt	*mrt_new(struct ev_loop *, struct rib *, struct sess_mgr *);
/* Finish every file (writes what is buffered, renames) and free. */
void		 mrt_free(struct mrt *);
void		 mrt_set_ids(struct mrt *, uint32_t router_id, uint32_t local_as);
/*
 * Replace the configured dumps. Dumps that stay the same keep running
 * (a message file keeps its rotation), removed ones finish their file.
 */
int		 mrt_set_conf(struct mrt *, const struct mrt_conf *, size_t n,
		    char *err, size_t errlen);
/*
 * Start dumping the Loc-RIB of one context ("" or NULL: all) to 'path':
 * the RIB is walked a page per loop turn, the file written in slices to
 * PATH.tmp and renamed to PATH when complete (a failure is logged and
 * leaves no file).
 */
int		 mrt_dump_table(struct mrt *, const char *path, const char *ctx,
		    struct mrt_dump_info *, char *err, size_t errlen);
/* Files still being written (tests, shutdown). */
size_t		 mrt_busy(const struct mrt *);

#endif
