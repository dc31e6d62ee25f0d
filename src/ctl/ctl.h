/*
 * The control socket and its operations (docs/xrctl.8, "CONTROL
 * PROTOCOL"): one request per line on a UNIX stream socket, either a JSON
 * object {"command": ["show", "bgp", "summary"]} or the same words as a
 * text line; one reply per line, always JSON:
 *   {"ok": true, "kind": "bgp-summary", "result": {...}}
 *   {"ok": false, "error": "no neighbor 10.9.9.9"}
 *
 * Build data once, render twice: operations return jansson objects (keys
 * camelCase, fields only ever added, "schemaVersion" at the top); xrctl
 * prints them with -j or renders them as text with ctl_render_text().
 */
#ifndef XR_CTL_CTL_H
#define XR_CTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "lib/addr.h"
#include "lib/evloop.h"
#include "rib/rib.h"

#define CTL_SCHEMA_VERSION	1
#define CTL_LINE_MAX		(64 * 1024)
#define CTL_DEFAULT_SOCKET	"/run/xrouted.sock"

struct sess_mgr;
struct mrt;

/* --- commands ------------------------------------------------------------ */

enum ctl_op {
	CTL_OP_SUMMARY = 1,	/* show bgp summary */
	CTL_OP_ROUTE,		/* show route [CTX] [PREFIX] [--...] */
	CTL_OP_NEIGHBOR,	/* show neighbor [ADDR] */
	CTL_OP_NBR_UP,		/* neighbor ADDR up */
	CTL_OP_NBR_DOWN,	/* neighbor ADDR down [REASON] */
	CTL_OP_NBR_CLEAR,	/* neighbor ADDR clear [soft] [REASON] */
	CTL_OP_RELOAD,		/* reload */
	CTL_OP_DUMP_MRT,	/* dump mrt table FILE [--context C] */
};
#define CTL_OP_LAST	CTL_OP_DUMP_MRT	/* keep at the last one */

struct ctl_req {
	enum ctl_op	 op;
	char		 ctx[64];		/* "" = not given */
	bool		 has_prefix;
	struct prefix	 prefix;
	bool		 lpm;			/* an address: longest match */
	enum rib_table	 table;			/* RIB_LOC unless --... */
	bool		 filtered;		/* --filtered */
	bool		 has_nbr;
	struct addr	 nbr;
	bool		 soft;
	char		 reason[256];
	uint32_t	 limit;			/* show route: prefixes, 0 = all */
	bool		 has_after;		/* --after PREFIX: resume */
	struct prefix	 after;
	char		 path[1024];		/* dump: absolute file name */
};

/*
 * Prefixes "show route" returns unless --limit says otherwise, and the
 * most one request returns: a page costs the daemon one scan of the
 * table (about 60 ms for a million prefixes on a small machine) instead
 * of a sort and a JSON tree of everything, so BFD and keepalives keep
 * their timing. A reply that stops at a page gives "next"; xrctl asks
 * again with --after NEXT until it has what --limit asked for.
 */
#define CTL_ROUTE_LIMIT		10000
#define CTL_ROUTE_PAGE		10000

/*
 * Parse command words, accepting unique prefixes of keywords as bgpctl
 * does ("s b s" = "show bgp summary"). 0, or -1 with a message.
 */
int		 ctl_cmd_parse(int argc, char *const *argv, struct ctl_req *,
		    char *err, size_t errlen);
/* Is argv[0] a command of the control socket (show, neighbor, reload,
 * dump)? */
bool		 ctl_cmd_is_ours(const char *word);
/* Reply "kind" for an operation ("bgp-summary", "route", ...). */
const char	*ctl_op_kind(enum ctl_op);
/* Split a text request line into words ("..." groups words). */
int		 ctl_split(char *line, char **argv, int max);

/* --- operations (daemon side) ------------------------------------------- */

struct ctl_env {
	struct rib	*rib;
	struct sess_mgr	*sm;
	uint32_t	 router_id;
	uint32_t	 local_as;
	struct mrt	*mrt;			/* NULL: no MRT dumps */
	/* Re-read the configuration; 0, or -1 with a message. */
	int		(*reload)(void *arg, char *err, size_t errlen);
	void		*arg;
};

/* Run a request: the result object, or NULL with err set. */
json_t		*ctl_exec(struct ctl_env *, const struct ctl_req *, char *err,
		    size_t errlen);
/* The JSON builders behind ctl_exec, one per show command. */
json_t		*ctl_show_summary(struct ctl_env *);
json_t		*ctl_show_neighbors(struct ctl_env *, const struct ctl_req *,
		    char *err, size_t errlen);
json_t		*ctl_show_routes(struct ctl_env *, const struct ctl_req *,
		    char *err, size_t errlen);
/* "00:01:02", "1d02h03m", "3w2d04h" as FRR and Cisco show it. */
void		 ctl_fmt_updown(uint64_t ms, char *buf, size_t len);

struct ctl_server;
struct ctl_server *ctl_server_new(struct ev_loop *, const char *path,
		    struct ctl_env *, char *err, size_t errlen);
void		 ctl_server_free(struct ctl_server *);

/* --- client and text rendering (xrctl) ---------------------------------- */

/*
 * Send one request (the words of argv) and read the reply. Returns 0 with
 * *reply set, -1 with err set when the daemon cannot be reached.
 */
int		 ctl_call(const char *path, int argc, char *const *argv,
		    json_t **reply, char *err, size_t errlen);
/* Render a reply's result as text; 0, or -1 for an unknown kind. */
int		 ctl_render_text(FILE *, const char *kind, json_t *result);

#endif
