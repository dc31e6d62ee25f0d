/*
 * The ExpressRoute resource model: ARM-shaped resources (circuits,
 * peerings, route filters, authorizations, virtual networks, gateways,
 * connections, the provider's cross-connection view), their validation
 * rules and error catalogue, and the state machines (provider provisioning,
 * advertised public prefixes, long-running operations).
 *
 * er_handle() takes one request already authenticated and parsed (method,
 * path, api-version, JSON body) and answers with an HTTP status, a JSON
 * body and headers. It knows nothing of HTTP transport: the API role calls
 * it inside one store transaction per write; unit tests call it directly
 * on an SQLite store.
 */
#ifndef XR_ER_ER_H
#define XR_ER_ER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define ER_API_VERSION		"2025-07-01"
#define ER_MAX_BODY		(256 * 1024)
/* Observed session state an edge writes per peering and device path
 * (id "<peering id>/status/primary|secondary"); GET on the peering
 * shows it as properties.primaryStatus / secondaryStatus. */
#define ER_PEERING_STATUS_TYPE	"xroute/peeringStatus"
/* What the gateway role observes per connection (id "<connection
 * id>/status"): GET on the connection shows connectionStatus and
 * bgpPeerStatus from it. */
#define ER_CONN_STATUS_TYPE	"xroute/connectionStatus"
/* Link index of a connection: its sessions use the /31s at 4k and 4k+2
 * of the gateway's GatewaySubnet (docs/xrouted.8, GATEWAY LINKS). */
#define ER_CONN_LINKS_MAX	64

/*
 * Live views (er_views.c, src/reconcile/rc_views.c). The API and the edges
 * share only the store: a diagnostic POST stores one request record per
 * device path (id "<peering id>/viewRequests/<guid>-<path>", parent the
 * peering, secondary index the path while unanswered) in the same
 * transaction as its long-running operation; the edge owning the path
 * sees it through the change counter, answers in the same record
 * ("answer" or "error", index cleared), and the API's operation worker
 * completes the operation with the answer, or fails it after
 * er_config.view_timeout_ms. Edges also publish per-path byte counters
 * (id "<peering id>/stats/<path>") for GET .../stats.
 */
#define ER_VIEW_REQ_TYPE	"xroute/viewRequest"
#define ER_PEERING_STATS_TYPE	"xroute/peeringStats"
#define ER_CONNTEST_TYPE	"xroute/connectivityTest"
#define ER_VIEW_TIMEOUT_MS	10000
#define ER_VIEW_POLL_MS		200

/* Records the edges and the API write as observations, diagnostics or
 * operation bookkeeping: a change to them never changes desired state
 * (a PUT also writes the resource itself), so followers of the change
 * feed (edges, gateways) need not rebuild for them. */
bool	er_type_not_desired(const char *type);

enum er_role { ER_ROLE_NONE, ER_ROLE_TENANT, ER_ROLE_PROVIDER, ER_ROLE_ADMIN };

struct er_principal {
	enum er_role	 role;
	char		 sub[64];	/* tenant/provider: bound subscription */
	char		 provider[128];	/* provider: service provider name */
};

struct er_err {
	int		 status;
	const char	*code;
	char		 msg[1024];
};

/* The catalogue read from data files (peering locations, regions, BGP
 * service communities) plus defaults for the providers seeded into the
 * store. See data/README.md. */
struct er_cat {
	json_t		*locations;	/* name -> {geo, metro, localRegions[]} */
	json_t		*regions;	/* lower-case name -> {displayName, geo} */
	json_t		*services;	/* array of bgpServiceCommunities */
	json_t		*providers;	/* array of seed provider entries */
	json_t		*communities;	/* "12076:5010" -> {service, o365} */
};

struct er_config {
	uint64_t	 gateway_delay_ms;	/* LRO time for gateways */
	uint64_t	 default_delay_ms;	/* LRO time for the rest */
	const char	*api_versions;		/* comma separated */
	uint64_t	 view_timeout_ms;	/* 0: ER_VIEW_TIMEOUT_MS */
};

struct er_ctx {
	struct store		*st;
	const struct er_cat	*cat;
	const struct er_config	*cfg;
	struct er_principal	 who;
	int64_t			 now_ms;	/* wall clock, ms */
	int			 ops_started;	/* LROs started by this call */
};

struct er_req {
	const char	*method;
	const char	*path;		/* decoded URL path */
	const char	*api_version;	/* NULL if absent */
	const char	*if_match;
	const char	*if_none_match;
	const char	*since;		/* change feed ?since= */
	json_t		*body;		/* parsed body or NULL */
};

struct er_resp {
	int		 status;
	json_t		*body;		/* owned; may be NULL (204) */
	char		 etag[80];
	char		 async_op[768];	/* Azure-AsyncOperation path */
	char		 location[768];	/* Location path */
	bool		 write;		/* the request changed the store */
};

int	er_cat_load(struct er_cat *, const char *datadir, char *err,
	    size_t errlen);
void	er_cat_free(struct er_cat *);
/* Seed catalogue providers into an empty store (own transaction). */
int	er_cat_seed(struct store *, const struct er_cat *);

/* Handle one request; always fills resp (errors as ARM error bodies). */
void	er_handle(struct er_ctx *, const struct er_req *, struct er_resp *);
void	er_resp_clear(struct er_resp *);
/* Does this method/path change state (needs a write transaction)? */
bool	er_is_write(const char *method);

/* Complete due long-running operations (provisioningState Updating ->
 * Succeeded/Failed). Call inside a transaction. Returns the number
 * completed, and in *next_ms the wall time of the next due one (0 none). */
int	er_ops_complete(struct er_ctx *, int64_t *next_ms);
/* Delete finished operation records older than ER_OPS_KEEP_MS. */
#define ER_OPS_KEEP_MS	(3600 * 1000LL)
int64_t	er_ops_purge(struct er_ctx *);

/* Error catalogue. */
void	er_err_body(const struct er_err *, json_t **);
size_t	er_err_count(void);
/* i-th catalogue entry, for docs/errors.md and tests. */
void	er_err_entry(size_t i, const char **name, int *status,
	    const char **code, const char **fmt);

/* The OpenAPI 3 document built from the resource tables. */
json_t	*er_openapi(void);

/* Principal of a token created through the API; -1 if unknown. */
int	er_token_find(struct store *, const char *token, struct er_principal *);

/* Lowercase SHA-256 hex of a token (tokens are stored hashed). */
void	er_sha256_hex(const void *, size_t, char out[65]);

/* Reading stored documents (the reconcilers): "a.b.c" paths, ARM names
 * compared case-insensitively (er_util.c). */
const char *er_jstr(json_t *, const char *path);
int64_t	er_jint(json_t *, const char *path, int64_t dflt);
bool	er_jbool(json_t *, const char *path, bool dflt);
json_t	*er_jget(json_t *, const char *path);
bool	er_streq(const char *, const char *);
char	*er_strdup_lower(const char *);

#endif
