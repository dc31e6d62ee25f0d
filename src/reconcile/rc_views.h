/*
 * The edge's side of the live views (src/er/er_views.c explains the
 * exchange through the store): answering view requests for this path
 * (ARP table, route table, route table summary, connectivity test) and
 * publishing the peerings' byte counters. rc_nft.c holds the nftables
 * counting ACL of the connectivity test.
 */
#ifndef XR_RECONCILE_RC_VIEWS_H
#define XR_RECONCILE_RC_VIEWS_H

#include "reconcile/reconcile.h"

#define RC_CT_MAX	64	/* connectivity tests at once per edge */

enum rc_ct_proto { RC_CT_ANY, RC_CT_TCP, RC_CT_UDP, RC_CT_ICMP };

/* One running connectivity test. */
struct rc_conntest {
	char		 peering[RC_ID_MAX];
	char		 chain[16];		/* "t" + 8 hex digits */
	char		 ifname[IF_NAMESIZE];
	struct prefix	 src, dst;
	enum rc_ct_proto proto;
	uint16_t	 sport, dport;		/* 0: any */
};

int	rc_nft_start(const struct rc_conntest *, char *err, size_t errlen);
int	rc_nft_read(const struct rc_conntest *, uint64_t *rx, uint64_t *tx,
	    char *err, size_t errlen);
/* last: no other test remains, so the whole table goes. */
int	rc_nft_stop(const struct rc_conntest *, bool last, char *err,
	    size_t errlen);
/* Remove our table if a previous run left it. */
void	rc_nft_cleanup(bool quiet);

struct rc_views;
struct xrd;
struct rc_views	*rc_views_new(struct store *, const struct rc_opts *);
/* Answer the pending requests for this path whose peering is ours. */
void		 rc_views_serve(struct rc_views *, struct xrd *,
		    const struct rc_peer *, size_t);
/* The last serve could not read or write the store: serve again on the
 * next poll even if the change counter did not move. */
bool		 rc_views_again(const struct rc_views *);
/* Publish changed byte counters (call it every RC_STATUS_MS); forget
 * peerings no longer served (their counters and connectivity tests). */
void		 rc_views_publish(struct rc_views *, const struct rc_peer *,
		    size_t);
/* Stops every test (the nftables table goes with it). */
void		 rc_views_free(struct rc_views *);

#endif
