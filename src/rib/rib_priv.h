/*
 * RIB internals shared by the files of src/rib/. Nothing here is part of
 * the contract with the session layer (that is rib.h).
 *
 * Memory layout, chosen for a full table in little memory:
 *   - a dest (one prefix) lives in a per-family slab, 12 bytes for IPv4
 *     and 24 for IPv6, found through an open-addressing index of 32-bit
 *     slab indices keyed by SipHash of the prefix;
 *   - a path (20 bytes) is both the Adj-RIB-In entry of its source and the
 *     Loc-RIB candidate: it holds the pre-policy and the post-policy
 *     interned attribute set by 32-bit id;
 *   - Adj-RIB-Out is kept per update group (peers whose export results are
 *     identical), 4 bytes per prefix, never per peer; the UPDATEs of a
 *     group are encoded once and the bytes shared by its members.
 * Indices, not pointers, so slabs grow in chunks without moving anything.
 */
#ifndef XR_RIB_PRIV_H
#define XR_RIB_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rib/rib.h"

/* --- chunked vectors, slabs, queues (rib_mem.c) ---------------------------- */

/*
 * Big arrays live in 2 MB chunks backed by transparent huge pages: a
 * full table touches a few dozen pages instead of tens of thousands, which
 * matters most under virtualisation where TLB misses and page faults are
 * expensive.
 */
#define RIB_HUGE	(2u << 20)

void	*rib_big_alloc(size_t);		/* zeroed; huge pages if >= 2 MB */
void	 rib_big_free(void *, size_t);

/*
 * Elements addressed by a 32-bit index, zero-filled when first touched.
 * Chunk 0 grows by doubling from a few elements so that thousands of small
 * routing contexts stay small; later chunks are whole 2 MB huge pages.
 */
struct rib_vec {
	uint8_t		**chunks;
	uint32_t	 nchunks;
	uint32_t	 cap0;		/* elements in chunk 0 */
	uint32_t	 elsize;
	uint32_t	 per;		/* elements per chunk */
};

void	 rib_vec_init(struct rib_vec *, uint32_t elsize);
void	 rib_vec_free(struct rib_vec *);
/* Pointer to element i, allocating (zero-filled) as needed; NULL on ENOMEM */
void	*rib_vec_get(struct rib_vec *, uint32_t i);
size_t	 rib_vec_mem(const struct rib_vec *);

/* Pointer to element i if it was ever allocated, else NULL. */
static inline void *
rib_vec_peek(const struct rib_vec *v, uint32_t i)
{
	uint32_t c = i / v->per;

	if (c >= v->nchunks || v->chunks[c] == NULL ||
	    (c == 0 && i >= v->cap0))
		return NULL;
	return v->chunks[c] + (size_t)(i - c * v->per) * v->elsize;
}

/* Element i that is known to exist. */
static inline void *
rib_vec_at(const struct rib_vec *v, uint32_t i)
{
	uint32_t c = i / v->per;

	return v->chunks[c] + (size_t)(i - c * v->per) * v->elsize;
}

/*
 * A slab of fixed-size records with a free list threaded through the first
 * 4 bytes of free records. Index 0 is never handed out (it means "none").
 */
struct rib_slab {
	struct rib_vec	 v;
	uint32_t	 hwm;		/* first never-used index */
	uint32_t	 freelist;
	uint32_t	 used;
};

void	 rib_slab_init(struct rib_slab *, uint32_t elsize);
void	 rib_slab_free(struct rib_slab *);
uint32_t rib_slab_alloc(struct rib_slab *);	/* 0 on ENOMEM */
void	 rib_slab_put(struct rib_slab *, uint32_t);

/* FIFO of 32-bit values in fixed blocks, freed as they drain. */
struct rib_qblk;
struct rib_u32q {
	struct rib_qblk	*head, *tail;
	uint32_t	 hpos, tpos;
	size_t		 count;
};
int	 rib_u32q_push(struct rib_u32q *, uint32_t);
bool	 rib_u32q_pop(struct rib_u32q *, uint32_t *);
void	 rib_u32q_free(struct rib_u32q *);

/* Bitmap over a rib_vec of uint64_t words. */
static inline bool
rib_bit_test(const struct rib_vec *v, uint32_t i)
{
	const uint64_t *w = rib_vec_peek(v, i >> 6);

	return w != NULL && (*w >> (i & 63)) & 1;
}

/* --- interned attributes (rib_attr.c) --------------------------------------- */

/* A shared byte string: AS path, communities, cluster list, unknowns. */
struct rib_blob {
	uint64_t	 hash;
	uint32_t	 refcnt;
	uint16_t	 len;
	uint8_t		 data[];
};

#define RIB_AF_NH_SELF	0x01	/* next hop is "ourselves", per session */

/*
 * Everything that makes two attribute sets different. Hashed and compared
 * as plain bytes, so it is always zeroed before being filled.
 */
struct rib_akey {
	uint64_t	 present;
	struct rib_blob	*aspath, *comm, *ext, *large, *cluster, *unknown;
	uint32_t	 nexthop;	/* network order */
	uint32_t	 med, local_pref, aggr_as, aggr_id, originator_id;
	struct addr	 mp_nh, mp_nh_ll;
	uint8_t		 origin;
	uint8_t		 flags;		/* RIB_AF_* */
};

/* Well-known community flags, derived once at intern time. */
#define RIB_WK_NO_EXPORT	0x01
#define RIB_WK_NO_ADVERTISE	0x02
#define RIB_WK_NO_EXPORT_SUB	0x04

struct rib_attrs {
	uint64_t	 hash;
	uint32_t	 refcnt;
	uint32_t	 id;
	uint32_t	 first_as;	/* neighbour AS, for MED comparison */
	uint16_t	 aspath_count;
	uint8_t		 wk;		/* RIB_WK_* */
	struct rib_akey	 k;
};

/* Open-addressing set of interned objects (all start with their hash). */
struct rib_itab {
	void		**slots;
	uint32_t	 mask;
	uint32_t	 count;
};

/* --- sources, dests, paths ------------------------------------------------- */

enum rib_src_kind { RIB_SK_LOCAL = 1, RIB_SK_EBGP = 2, RIB_SK_IBGP = 3 };

/*
 * One source of paths: a peer's session (a new one at each rib_peer_up, so
 * a flush of the old session's paths never races the new session) or a
 * context's local origination. Holds what best-path selection needs.
 */
struct rib_src {
	uint16_t	 id;
	uint8_t		 kind;		/* enum rib_src_kind */
	bool		 dead;		/* session gone, paths being flushed */
	uint32_t	 remote_as;
	uint32_t	 remote_id;
	struct addr	 addr;
	struct rib_ctx	*ctx;
	struct rib_peer	*peer;		/* NULL for local and dead sources */
	/* flush of a dead source, in slices */
	struct ev_defer	 flush;
	uint8_t		 ffam;
	uint32_t	 fidx;
	struct rib_src	*fnext;		/* rib's list of flushing sources */
};

/* A prefix. The address bytes follow: 4 for IPv4, 16 for IPv6. */
struct rib_dest {
	uint32_t	 paths;		/* first path, best first; freelist */
	uint16_t	 refs;		/* update groups holding it */
	uint8_t		 len;
	uint8_t		 flags;		/* RIB_DF_* */
	uint8_t		 key[];
};
#define RIB_DF_FREE	0x01
#define RIB_DF_BEST	0x02	/* has a best path (in Loc-RIB) */

struct rib_path {
	uint32_t	 next;
	uint32_t	 in;		/* attr id before import policy */
	uint32_t	 out;		/* attr id after, 0 = filtered */
	uint32_t	 time;		/* seconds since rib_new() */
	uint16_t	 src;
	uint8_t		 reason;	/* filter reason index */
	uint8_t		 flags;		/* RIB_PF_* */
};
#define RIB_PF_BEST	0x01
#define RIB_PF_ECMP	0x02

/* Prefixes of one family in one context. */
struct rib_tab {
	uint8_t		 fam;
	uint8_t		 af;
	uint8_t		 alen;		/* address bytes: 4 or 16 */
	struct rib_slab	 dests;
	uint32_t	*slots;		/* hash index of dest indices */
	uint32_t	 mask;
	uint32_t	 count;
	uint32_t	 tombs;		/* deleted slots not yet swept */
	uint32_t	 nbest;
};

/* --- update groups (rib_group.c) ------------------------------------------ */

/*
 * Adj-RIB-Out key: what a group committed for a prefix. Either the
 * post-import attribute id of the exported best path plus its source kind
 * (export is then a pure function of the two and the group, and is
 * encoded from a small cache), or, when an export hook rewrote the
 * attributes, the id of the interned final set.
 */
#define RIB_OK_FINAL		0x80000000u
#define RIB_OK_KIND_SHIFT	29
#define RIB_OK_ID_MASK		0x1fffffffu
#define RIB_OK_ID(k)		((k) & RIB_OK_ID_MASK)

struct rib_gkey {
	uint32_t	 local_as;
	uint8_t		 fams;
	bool		 ebgp;
	bool		 as4;
	bool		 ext_msg;
	bool		 nh4;		/* an IPv4 next-hop-self address */
	bool		 nh6;		/* an IPv6 next-hop-self address */
	void		*export_arg;
	enum rib_verdict (*export_fn)(void *, struct rib_peer *,
	    const struct prefix *, struct rib_attr_edit *);
	bool		 by_attrs;	/* export hook result per attr set */
};

/* Encoded attributes for one Adj-RIB-Out key, cached per group. */
struct rib_xattr {
	uint32_t	 key;
	uint8_t		 fam;
	bool		 nh_self;
	uint16_t	 len;
	struct addr	 nh;		/* MP_REACH next hop (IPv6) */
	uint8_t		*bytes;
};
#define RIB_XCACHE	256	/* largest cache, entries */

/* Export hook result per standard key (policy.export_by_attrs). */
struct rib_hmemo {
	uint32_t	 key;		/* standard key, held */
	uint32_t	 res;		/* resulting key, held; 0 = rejected */
	uint8_t		 fam;
};

/* A block of encoded messages shared by the members of a group. */
struct rib_blk {
	struct rib_blk	*next;
	uint32_t	 readers;	/* member cursors inside */
	struct wbuf	 w;
};

/* Record header in a block, before each message. */
struct rib_rec {
	uint32_t	 len;		/* message bytes that follow */
	uint16_t	 except;	/* src id of a member that skips it */
	uint16_t	 only;		/* src id of the only member taking it */
	uint16_t	 nh_off;	/* next-hop-self bytes to patch, or 0 */
	uint8_t		 nh_len;
	uint8_t		 type;		/* RIB_REC_* */
	uint32_t	 nann, nwd;	/* prefixes announced / withdrawn */
};
enum { RIB_REC_MSG = 0, RIB_REC_SCAN_DONE = 1 };

struct rib_group {
	struct rib_ctx	*ctx;
	struct rib_group *next;
	struct rib_gkey	 key;
	struct rib_peer	*members;
	unsigned	 nmembers;
	struct bgp_encode_ctx enc;
	/* Adj-RIB-Out, per family, indexed like the table's dests */
	struct rib_vec	 sent[BGP_FAM_MAX];	/* uint32_t key */
	struct rib_vec	 excl[BGP_FAM_MAX];	/* uint16_t src id skipped */
	struct rib_vec	 dirty[BGP_FAM_MAX];	/* bitmap */
	uint32_t	 nsent[BGP_FAM_MAX];
	struct rib_u32q	 fifo;		/* dirty dests: fam << 31 | index */
	/* first evaluation of the whole table for a new group */
	bool		 scanning;
	uint8_t		 sfam;
	uint32_t	 sidx;
	/* encoded messages not yet read by every member */
	struct rib_blk	*qhead, *qtail;
	size_t		 qbytes;
	bool		 stalled;
	/* caches sized to the group: small contexts stay small */
	struct rib_xattr *xcache;
	struct rib_hmemo *hmemo;
	uint32_t	 ncache;
};

/* --- peers ------------------------------------------------------------------ */

struct rib_peer {
	struct rib_ctx	*ctx;
	struct rib_peer	*next;		/* ctx list */
	struct rib_peer_conf conf;
	struct rib_peer_ops ops;
	void		*owner;
	bool		 up;
	bool		 removed;
	struct rib_peer_session sess;
	struct rib_src	*src;		/* current session's paths */
	struct rib_peer_stats st;
	bool		 maxpfx_fired[BGP_FAM_MAX];
	uint32_t	 filt_reason[256];	/* filtered paths by reason */
	uint8_t		 maxpfx_pending;	/* families to report */
	/* update group membership */
	struct rib_group *group;
	struct rib_peer	*gnext;
	struct rib_blk	*cur;		/* NULL = caught up */
	uint32_t	 cur_off;
	uint32_t	 nexcl[BGP_FAM_MAX];	/* group prefixes we skip */
	/* per-member work: initial dump or refresh, then End-of-RIB */
	uint8_t		 dump_fams;
	uint8_t		 dump_fam;
	uint32_t	 dump_idx;
	struct wbuf	 priv;		/* records for this member only */
	uint32_t	 priv_off;
	uint8_t		 eor_owed;
	bool		 wait_scan;
	bool		 regroup;	/* export conf changed: own group */
	/* wakeup bookkeeping */
	bool		 wake_queued;
	struct rib_peer	*wnext;
	struct ev_defer	 wake_defer;
};

/* --- engine and contexts ---------------------------------------------------- */

struct rib_ctx {
	struct rib	*rib;
	struct rib_ctx	*next;
	char		 name[64];
	struct rib_tab tab[BGP_FAM_MAX];
	struct rib_slab	 paths;
	struct rib_src	*local;
	struct rib_peer	*peers;
	size_t		 npeers;
	struct rib_group *groups;
	rib_fib_cb	*fib;
	void		*fib_arg;
};

/* Dests evaluated per batch; a batch holds at most twice as many items. */
#define RIB_BATCH	4096
/* Encoded bytes a group may hold for its slowest member before waiting. */
#define RIB_QLIMIT	(4u << 20)

/* One batch of Adj-RIB-Out changes, bucketed by attributes for packing. */
struct rib_bucket {
	uint32_t	 key;
	uint16_t	 except, only;
	uint8_t		 fam;
	bool		 wd;
	uint32_t	 slot;		/* in the batch's map */
	uint32_t	 first, last, n;
};
struct rib_item {
	struct prefix	 p;
	uint32_t	 next;
};
struct rib_batch {
	struct rib_bucket *b;
	uint32_t	 nb, capb;
	uint32_t	*map;		/* bucket index + 1, by hash */
	uint32_t	 mapmask;
	struct rib_item	*items;
	uint32_t	 ni, capi;
	struct prefix	*pfx;		/* gathered for one pack call */
	uint32_t	 cappfx;
};

#define RIB_MAX_SRC	65535

struct rib {
	struct ev_loop	*loop;
	uint32_t	 router_id;
	uint64_t	 epoch_us;
	struct rib_ctx	*ctxs;
	/* interning */
	struct rib_itab	 blobs;
	struct rib_itab	 attrs;
	struct rib_attrs **attr_by_id;
	uint32_t	 attr_cap;
	uint32_t	 attr_hwm;
	uint32_t	 attr_free;	/* free id list through attr_by_id */
	/* sources by id; ids are recycled oldest first */
	struct rib_src	**srcs;
	uint32_t	 src_cap, src_hwm;
	uint16_t	*src_ring;
	uint32_t	 src_rhead, src_rcount;
	struct rib_src	*flushing;
	/* filter reasons by index: static strings from the policy hooks, or
	 * copies (RFC 7606 texts) that stay filtered on re-import */
	const char	*reasons[256];
	unsigned	 nreasons;
	bool		 reason_sticky[256];	/* kept on re-import */
	bool		 reason_owned[256];	/* a copy: free it */
	unsigned	 ncopies;
	/* scratch */
	uint8_t		*scratch;	/* UPDATE decoding */
	size_t		 scratch_len;
	struct wbuf	 tmp;		/* export attribute building */
	struct rib_attr_edit *edit;
	struct rib_batch batch;
	/* last import hook rewrite: input set -> result (both held) */
	uint32_t	 imemo_post, imemo_res;
	/* members to wake up when the current API call returns */
	struct rib_peer	*wake;
	int		 depth;
	uint32_t	 now_sec;	/* rib_now_sec(), per API call */
};

/* --- function prototypes ---------------------------------------------------- */

/* rib.c */
uint32_t rib_now_sec(const struct rib *);
void	 rib_enter(struct rib *);
void	 rib_leave(struct rib *);
uint8_t	 rib_reason_idx(struct rib *, const char *);
/* A reason built at run time (copied); paths holding it keep it when
 * import policy runs again. */
uint8_t	 rib_reason_copy(struct rib *, const char *);
bool	 rib_reason_sticky(const struct rib *, uint8_t);
const char *rib_reason_str(const struct rib *, uint8_t);
int	 rib_fam_of_af(int af, enum bgp_fam *);

/* rib_attr.c */
void	 rib_attr_init(struct rib *);
void	 rib_attr_fini(struct rib *);
struct rib_attrs *rib_attrs_intern(struct rib *, const struct bgp_pattrs *,
	    uint8_t flags);
bool	 rib_attrs_match(const struct rib_attrs *, const struct bgp_pattrs *,
	    uint8_t flags);
void	 rib_attrs_ref(struct rib *, uint32_t id);
void	 rib_attrs_unref(struct rib *, uint32_t id);
static inline struct rib_attrs *
rib_attrs_get(const struct rib *r, uint32_t id)
{
	return r->attr_by_id[id];
}
void	 rib_attrs_pattrs(const struct rib_attrs *, struct bgp_pattrs *);
uint32_t rib_attrs_lp(const struct rib_attrs *);

/* rib_table.c */
void	 rib_table_init(struct rib_tab *, enum bgp_fam);
void	 rib_table_fini(struct rib_tab *);
uint32_t rib_table_find(const struct rib_tab *, const struct prefix *);
uint32_t rib_table_find_h(const struct rib_tab *, const struct prefix *,
	    uint64_t h);
uint32_t rib_table_get(struct rib_tab *, const struct prefix *);
uint32_t rib_table_get_h(struct rib_tab *, const struct prefix *, uint64_t h);
uint64_t rib_table_hash(const struct rib_tab *, const struct prefix *);
void	 rib_table_prefetch(const struct rib_tab *, uint64_t h);
void	 rib_table_release(struct rib_tab *, uint32_t idx);
void	 rib_dest_prefix(const struct rib_tab *, const struct rib_dest *,
	    struct prefix *);
size_t	 rib_table_mem(const struct rib_tab *);
static inline struct rib_dest *
rib_dest_at(const struct rib_tab *t, uint32_t idx)
{
	return rib_vec_at(&t->dests.v, idx);
}
static inline struct rib_path *
rib_path_at(const struct rib_ctx *c, uint32_t idx)
{
	return rib_vec_at(&c->paths.v, idx);
}
/* Sorted dest indices (address order) matching 'keep'; caller frees. */
uint32_t *rib_table_page(const struct rib_tab *, const struct prefix *after,
	    size_t max, size_t *n);

/* rib_decide.c */
#define RIB_MAXNH	32
/* What a dest exported and gave the FIB before a change. */
struct rib_dstate {
	uint16_t	 src;
	uint32_t	 out;
	size_t		 nnh;
	struct addr	 nh[RIB_MAXNH];
};
void	 rib_decide_begin(struct rib_ctx *, struct rib_tab *, uint32_t idx,
	    struct rib_dstate *);
void	 rib_decide(struct rib_ctx *, struct rib_tab *, uint32_t idx,
	    const struct rib_dstate *);

/* rib_in.c */
int	 rib_path_set(struct rib_ctx *, struct rib_tab *,
	    const struct prefix *, struct rib_src *, uint32_t in, uint32_t out,
	    uint8_t reason);
int	 rib_path_set_h(struct rib_ctx *, struct rib_tab *,
	    const struct prefix *, uint64_t h, struct rib_src *, uint32_t in,
	    uint32_t out, uint8_t reason);
bool	 rib_path_del(struct rib_ctx *, struct rib_tab *,
	    const struct prefix *, struct rib_src *);
void	 rib_path_unlink_src(struct rib_ctx *, struct rib_tab *,
	    uint32_t idx, uint16_t src);
void	 rib_src_count(struct rib_src *, enum bgp_fam, uint32_t out,
	    uint8_t reason, int d);
void	 rib_in_reimport(struct rib_peer *);
void	 rib_peer_maxpfx_report(struct rib_peer *);

/* rib_src.c */
struct rib_src *rib_src_new(struct rib_ctx *, enum rib_src_kind);
void	 rib_src_kill(struct rib_src *);
void	 rib_src_free_all(struct rib *);
static inline struct rib_src *
rib_src_get(const struct rib *r, uint16_t id)
{
	return r->srcs[id];
}

/* rib_export.c */
uint32_t rib_export_eval(struct rib_group *, enum bgp_fam,
	    const struct prefix *, const struct rib_dest *, uint16_t *excl);
const struct rib_xattr *rib_export_enc(struct rib_group *, enum bgp_fam,
	    uint32_t key);
bool	 rib_export_view(struct rib_group *, enum bgp_fam, uint32_t key,
	    struct bgp_pattrs *);
bool	 rib_peer_nh_self(const struct rib_peer *, enum bgp_fam,
	    struct addr *);
void	 rib_xcache_clear(struct rib_group *);
void	 rib_hmemo_clear(struct rib_group *);

/* rib_group.c */
void	 rib_group_join(struct rib_peer *);
void	 rib_group_leave(struct rib_peer *);
void	 rib_group_mark(struct rib_ctx *, enum bgp_fam, uint32_t idx);
bool	 rib_group_pending(const struct rib_group *);
int	 rib_group_produce(struct rib_group *, size_t *work);
void	 rib_group_advance(struct rib_peer *);
void	 rib_group_destroy(struct rib_group *, bool release);
void	 rib_group_rescan(struct rib_group *);
void	 rib_group_split(struct rib_peer *);
void	 rib_group_trim(struct rib_group *);
static inline uint32_t
rib_sent_get(const struct rib_group *g, enum bgp_fam f, uint32_t idx)
{
	const uint32_t *s = rib_vec_peek(&g->sent[f], idx);

	return s ? *s : 0;
}
static inline uint16_t
rib_excl_get(const struct rib_group *g, enum bgp_fam f, uint32_t idx)
{
	const uint16_t *s = rib_vec_peek(&g->excl[f], idx);

	return s ? *s : 0;
}

/* rib_pack.c */
void	 rib_batch_reset(struct rib_batch *);
void	 rib_batch_free(struct rib_batch *);
int	 rib_batch_add(struct rib_batch *, enum bgp_fam, bool wd, uint32_t key,
	    uint16_t except, uint16_t only, const struct prefix *);
int	 rib_batch_encode(struct rib_group *, struct rib_batch *,
	    struct wbuf *);

/* rib_peer.c */
void	 rib_wake(struct rib_peer *);
void	 rib_wake_group(struct rib_group *);
void	 rib_wake_flush(struct rib *);

#endif
