/*
 * The BGP speaker role of xrouted (edge and gateway): owns the event
 * loop, the RIB, the session manager and the control socket, and turns a
 * parsed configuration into running state. Reload diffs the old and new
 * configuration so unchanged neighbours keep their sessions.
 */
#ifndef XR_DAEMON_XRD_H
#define XR_DAEMON_XRD_H

#include <limits.h>
#include <stdbool.h>

#include "ctl/ctl.h"
#include "daemon/conf.h"
#include "lib/evloop.h"
#include "metrics/mx.h"
#include "rib/rib.h"
#include "session/sess.h"

struct xrd {
	struct ev_loop		*loop;
	struct rib		*rib;
	struct sess_mgr		*sm;
	struct bfd		*bfd;
	struct fib		*fib;		/* NULL: no kernel-table used */
	struct mrt		*mrt;		/* MRT dumps (RFC 6396) */
	struct bmp		*bmp;		/* BMP export (RFC 7854) */
	struct xr_conf		*conf;
	struct ctl_server	*ctl;
	struct ctl_env		 env;
	char			 conf_path[PATH_MAX];
	char			 ctl_path[CONF_PATH_MAX];
	bool			 ctl_path_forced;	/* -s given */
	const char		*role;
	const char		*path;		/* edge --path, or NULL */
	/* Prometheus endpoint: --metrics (forced) or "metrics listen" */
	struct mx_srv		*mx;
	bool			 mx_forced;
	struct addr		 mx_addr;
	uint16_t		 mx_port;
};

#define XRD_VERSION	"0.1.0"


/* Build everything from 'conf' (taken over); 0, or -1 with err. */
int	xrd_start(struct xrd *, struct xr_conf *, char *err, size_t errlen);
/* Apply a new configuration (taken over on success). */
int	xrd_apply(struct xrd *, struct xr_conf *, char *err, size_t errlen);
/* Re-read conf_path and apply it. */
int	xrd_reload(struct xrd *, char *err, size_t errlen);
/* Cease to every peer, close sockets, free everything. */
void	xrd_stop(struct xrd *, const char *msg);
/*
 * Open, move or close the metrics endpoint for a new configuration ('old'
 * NULL at start); 0, or -1 with err when it cannot listen.
 */
int	xrd_mx_apply(struct xrd *, const struct xr_conf *old,
	    const struct xr_conf *nw, char *err, size_t errlen);
void	xrd_mx_stop(struct xrd *);
/* Translate one configured neighbour into a session configuration. */
void	xrd_sess_conf(const struct xr_conf *, const struct conf_ctx *,
	    const struct conf_neighbor *, struct sess_conf *);

#endif
