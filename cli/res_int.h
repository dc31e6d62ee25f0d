/* Internals shared by the cli/res_*.c files. */
#ifndef XR_CLI_RES_INT_H
#define XR_CLI_RES_INT_H

#include <stddef.h>

#include "res.h"

enum { KIND_GENERIC, KIND_CIRCUIT, KIND_PEERING, KIND_XCONN, KIND_CONN,
    KIND_GATEWAY, KIND_VNET, KIND_FILTER, KIND_VPEER, KIND_AUTH };

struct res_ctx {
	struct res_opts	*o;
	const char	*group, *verb;
	const char	*api, *token, *sub;
	bool		 usage_error;
};

struct res_cmd {
	const char	*group;
	const char	*verb;
	int		(*fn)(struct res_ctx *);
};
extern const struct res_cmd res_cmds[];

const char	*need(struct res_ctx *, const char *name);
void	base_path(struct res_ctx *, char *, size_t);
void	ref_id(struct res_ctx *, const char *type, const char *v, char *,
	    size_t);
json_t	*split_list(const char *);
int	req(struct res_ctx *, const char *method, const char *path,
	    json_t *body, struct res_http_resp *);
int	put_show(struct res_ctx *, const char *path, json_t *body, int kind);
int	show(struct res_ctx *, const char *path, int kind);
int	list(struct res_ctx *, const char *path, int kind);
int	del(struct res_ctx *, const char *path);
json_t	*fetch(struct res_ctx *, const char *path, int *rc);
void	print_res(struct res_ctx *, json_t *, int kind);
void	print_list(struct res_ctx *, json_t *, int kind);

/* res_net.c */
int	net_filter(struct res_ctx *);
int	net_rule(struct res_ctx *);
int	net_attach(struct res_ctx *);
int	net_vnet(struct res_ctx *);
int	net_vpeer(struct res_ctx *);
int	net_gateway(struct res_ctx *);
int	net_connection(struct res_ctx *);

/* res_diag.c: express-route ARP/route/summary/stats, connectivity test */
int	res_diag(struct res_ctx *);

#endif
