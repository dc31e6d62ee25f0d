/*
 * Internals shared by the files of src/er: the schema checker, the ARM
 * path, the resource-type table and the per-request operation state.
 */
#ifndef XR_ER_INT_H
#define XR_ER_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "er/er.h"
#include "er/er_errors.h"
#include "lib/addr.h"

/* Fill err from the catalogue entry 'e' and the format arguments;
 * returns -1 so callers can 'return er_fail(...)'. */
int	er_fail(struct er_err *, enum er_ecode, ...);

/* --- strict JSON schema (er_schema.c) --- */
enum er_ft { FT_STR, FT_INT, FT_BOOL, FT_ENUM, FT_OBJ, FT_ARR, FT_MAP };
#define ERF_RO		0x01	/* read-only: ignored and dropped on input */
#define ERF_REQ		0x02	/* required on input */
#define ERF_WO		0x04	/* write-only: stored, never returned */

struct er_field {
	const char		*name;
	enum er_ft		 t;
	unsigned		 flags;
	int64_t			 min, max;	/* int range / string length */
	const char *const	*enums;		/* FT_ENUM, NULL terminated */
	const struct er_field	*sub;		/* FT_OBJ fields / FT_ARR elem */
	const char		*doc;		/* one line for OpenAPI */
};

/* The read-only identity every ARM resource schema starts with. */
#define ER_F_ARM_IDS \
	{ "id", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL }, \
	{ "name", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL }, \
	{ "type", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL }, \
	{ "etag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL }

/* Check obj against fields: unknown members and wrong types are errors
 * naming the full property path; read-only members are removed; enum
 * values are rewritten to their canonical case. */
int	er_schema_check(const struct er_field *, json_t *obj, const char *path,
	    struct er_err *);
/* Remove write-only members (recursively) before output. */
void	er_schema_strip_wo(const struct er_field *, json_t *obj);
json_t	*er_schema_openapi(const struct er_field *);

/* --- resource types (er_types.c) --- */
struct er_op;
#define RT_LOCATION	0x01	/* has a required ARM location */
#define RT_LRO		0x02	/* PUT is a long-running operation */
#define RT_VIRTUAL	0x04	/* a view computed from other resources */
#define RT_NOSTORE	0x08	/* never stored under its own path */

struct er_rtype {
	const char		*seg;		/* path segment, e.g. peerings */
	const char		*type;		/* ARM type */
	const struct er_rtype	*parent;	/* NULL: top level in a group */
	const struct er_field	*schema;
	unsigned		 flags;
	int	(*put)(struct er_op *);
	int	(*del)(struct er_op *);
	void	(*render)(struct er_ctx *, json_t *);
	int	(*absent)(struct er_op *);
	int	(*complete)(struct er_ctx *, json_t *, struct er_err *);
	int	(*action)(struct er_op *);
	const char *(*ukey)(json_t *);
	/* secondary index value, allocated (er_save frees it), or NULL */
	char *(*idx)(json_t *);
};

extern const struct er_rtype er_rt_sub, er_rt_rg, er_rt_circuit,
    er_rt_peering, er_rt_authorization, er_rt_filter, er_rt_rule,
    er_rt_vnet, er_rt_vnet_peering, er_rt_gateway, er_rt_connection,
    er_rt_xconn, er_rt_xconn_peering, er_rt_provider, er_rt_token,
    er_rt_operation;
const struct er_rtype	*er_rtype_by_type(const char *type);
const struct er_rtype	*er_rtype_child(const struct er_rtype *parent,
			    const char *seg);
const struct er_rtype	*er_rtype_top(const char *seg);
const struct er_rtype *const *er_rtypes(void);

/* --- ARM paths (er_path.c) --- */
enum er_pkind {
	P_BAD, P_SUB, P_RG_LIST, P_RG, P_SUB_TYPE_LIST, P_RG_TYPE_LIST,
	P_RES, P_CHILD_LIST, P_ACTION, P_OPERATION, P_CAT_PROVIDERS,
	P_CAT_PROVIDER, P_COMMUNITIES, P_TOKENS, P_TOKEN, P_CHANGES
};

#define ER_NAME_MAX	128
#define ER_ID_MAX	768

struct er_path {
	enum er_pkind		 kind;
	const struct er_rtype	*rt;		/* type addressed or listed */
	char			 sub[ER_NAME_MAX];
	char			 rg[ER_NAME_MAX];
	char			 name[ER_NAME_MAX];	/* top resource */
	char			 cname[ER_NAME_MAX];	/* child */
	char			 action[64];
	char			 arg[ER_NAME_MAX];
	char			 id[ER_ID_MAX];		/* addressed id */
	char			 parent_id[ER_ID_MAX];	/* parent of id */
};

int	er_path_parse(const char *, struct er_path *);
/* Build ids. */
void	er_id_sub(char *, size_t, const char *sub);
void	er_id_rg(char *, size_t, const char *sub, const char *rg);
void	er_id_res(char *, size_t, const char *sub, const char *rg,
	    const struct er_rtype *, const char *name, const char *cname);
/* Split an id into its parts; -1 if it is not a resource id we know. */
int	er_id_parse(const char *id, struct er_path *);
/* Parent id of a stored resource id (NULL result: none). */
int	er_id_parent(const struct er_rtype *, const char *id, char *, size_t);
bool	er_name_valid(const char *);

/* --- one request's state (er_core.c) --- */
struct er_op {
	struct er_ctx		*ctx;
	const struct er_req	*req;
	struct er_path		*p;
	const struct er_rtype	*rt;
	json_t			*old;	/* stored doc before, or NULL */
	json_t			*doc;	/* doc being written */
	json_t			*parent; /* parent doc for child types */
	json_t			*result; /* action output */
	int			 status; /* action status (default 200) */
	json_t			*view;	/* action asks the edges (er_views.c) */
	struct er_err		*err;
};

/* Store helpers working on JSON documents. */
json_t	*er_get(struct er_ctx *, const char *id);
int	er_save(struct er_ctx *, const struct er_rtype *, json_t *doc,
	    struct er_err *);
int	er_remove(struct er_ctx *, const char *id, struct er_err *);
json_t	*er_children(struct er_ctx *, const char *parent,
	    const struct er_rtype *);
json_t	*er_by_type(struct er_ctx *, const struct er_rtype *, const char *sub);
json_t	*er_by_ukey(struct er_ctx *, const struct er_rtype *, const char *k);
json_t	*er_by_idx(struct er_ctx *, const struct er_rtype *, const char *k);
/* Resolve a SubResource id the caller may see; NULL if absent or hidden. */
json_t	*er_ref(struct er_ctx *, const char *id, const struct er_rtype *);
/* er_ref() for a body member at 'path': a malformed id is
 * LinkedInvalidPropertyId, an absent or hidden one InvalidResourceReference. */
json_t	*er_ref_check(struct er_op *, const char *id, const struct er_rtype *,
	    const char *path);
/* Render a stored doc for output (strip write-only, add computed). */
json_t	*er_render(struct er_ctx *, const struct er_rtype *, json_t *doc);

/* --- small helpers (er_util.c) --- */
/* A lower-case copy (ARM names compare case-insensitively); free() it. */
char	*er_strdup_lower(const char *);
/* er_strdup_lower() of the string at 'path' in doc, or NULL if absent. */
char	*er_idx_lower(json_t *doc, const char *path);
void	er_guid(char out[37]);
void	er_etag(char out[40]);
void	er_time_iso(int64_t ms, char out[32]);
const char *er_jstr(json_t *, const char *path);	/* "a.b.c" */
int64_t	er_jint(json_t *, const char *path, int64_t dflt);
bool	er_jbool(json_t *, const char *path, bool dflt);
json_t	*er_jget(json_t *, const char *path);
void	er_jset_str(json_t *obj, const char *key, const char *val);
const char *er_props_state(json_t *doc);
bool	er_streq(const char *, const char *);	/* case-insensitive */
const char *er_last_seg(const char *id);
/* Classify an address range: NULL when public, else why it is not. */
const char *er_prefix_special(const struct prefix *, bool *documentation);
bool	er_prefix_overlap(const struct prefix *, const struct prefix *);
/* Join array of strings (or object keys) for messages. */
void	er_join(json_t *arr, char *, size_t);
bool	er_asn_private(int64_t);

/* --- catalogue (er_catalog.c) --- */
json_t	*er_cat_provider(struct er_ctx *, const char *name);
const char *er_cat_geo_of_location(const struct er_cat *, const char *ploc);
const char *er_cat_geo_of_region(const struct er_cat *, const char *region);
bool	er_cat_region_local(const struct er_cat *, const char *ploc,
	    const char *region);
const char *er_cat_region_norm(const struct er_cat *, const char *);
void	er_cat_region_list(const struct er_cat *, char *, size_t);
/* community value -> entry, NULL if unknown */
json_t	*er_cat_community(const struct er_cat *, const char *value);
bool	er_cat_community_o365(const struct er_cat *, const char *value);
json_t	*er_cat_services_view(struct er_ctx *, const char *sub);
bool	er_sub_o365(struct er_ctx *, const char *sub);

/* --- resource modules --- */
/* er_circuit.c */
int	er_circuit_is_premium(json_t *circuit);
const char *er_circuit_tier(json_t *circuit);
int	er_circuit_link_limit(json_t *circuit);
json_t	*er_circuit_connections(struct er_ctx *, const char *circuit_id);
/* er_filter.c */
bool	er_filter_has_o365(struct er_ctx *, json_t *filter, const char **rule);
int	er_filter_attach_check(struct er_ctx *, json_t *filter,
	    json_t *circuit, const char *sub, struct er_err *);
json_t	*er_filter_attached(struct er_ctx *, const char *filter_id);
/* er_gw.c */
int	er_gw_conn_limit(json_t *gw);
bool	er_gw_fastpath(json_t *gw);
json_t	*er_gw_connections(struct er_ctx *, json_t *gw);

/* --- handlers of special paths --- */
int	er_xconn_handle(struct er_op *, struct er_resp *);
int	er_ops_get(struct er_op *, struct er_resp *);
int	er_changes_get(struct er_op *, struct er_resp *);
int	er_communities_get(struct er_op *, struct er_resp *);

/* --- long-running operations (er_ops.c) --- */
int	er_op_start(struct er_op *, const char *resource_id, json_t *doc,
	    uint64_t delay_ms, bool done, struct er_resp *);
int	er_op_complete_id(struct er_ctx *, const char *op_id);
int	er_op_result(struct er_op *, const char *resource_id, json_t *result,
	    struct er_resp *);
/* Location = the operationResults URL of resp->async_op. */
void	er_op_result_location(struct er_resp *);

/* --- live views (er_views.c, er_conntest.c) --- */
/* Actions set op->view {kind, paths[], args}; do_action then starts it. */
int	er_view_list(struct er_op *, const char *kind);
int	er_view_start(struct er_op *, struct er_resp *);
int	er_view_collect(struct er_ctx *, json_t *op_rec, json_t **result,
	    struct er_err *);
int	er_view_stats(struct er_op *, const char *circuit_id, json_t *peering);
int	er_conntest_action(struct er_op *);
json_t	*er_conntest_schema(void);
int	er_conntest_result(json_t *view, json_t *answers, json_t **result,
	    struct er_err *);

#endif
