/*
 * xrouted: one binary, one role per instance (edge and gateway speak BGP
 * from a configuration file; api is the REST control plane, linked in from
 * src/api/ when built). Exit codes follow sysexits(3): 64 usage, 69 role
 * not available, 71 an operating system error at start, 78 configuration.
 *
 * Signals: SIGTERM/SIGINT shut down cleanly (Cease/Administrative Shutdown
 * to every peer, RFC 8203 text "xrouted shutting down"), SIGHUP reloads the
 * configuration (an invalid file leaves the running state alone).
 */
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/conf.h"
#include "daemon/privdrop.h"
#include "daemon/roles.h"
#include "daemon/xrd.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "reconcile/gw.h"
#include "reconcile/reconcile.h"

#define XR_VERSION	XRD_VERSION
#define EX_USAGE	64
#define EX_UNAVAILABLE	69
#define EX_OSERR	71
#define EX_CONFIG	78

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: xrouted [-dnv] [-f FILE] [-s SOCKET] [-u USER [-g GROUP]] "
	    "[--role edge|gateway|api] [--version]\n"
	    "       xrouted --role edge --db FILE --path primary|secondary\n"
	    "               --peering-location LOC [--router-id A]\n"
	    "               [--interface-map VLAN=IF[,...]] [--data DIR] "
	    "[-dv] [-s SOCKET]\n"
	    "               [--gateway-interface IF]\n"
	    "       xrouted --role gateway --db FILE --gateway ID [--router-id A]\n"
	    "               [--edge-map primary=IF,secondary=IF] "
	    "[--kernel-table T]\n"
	    "               [-dv] [-s SOCKET]\n"
	    "  -d          stay in the foreground and log to stderr\n"
	    "  -n          check the configuration and exit (0 ok, 78 error)\n"
	    "  -f FILE     configuration file (default %s)\n"
	    "  -s SOCKET   control socket (default: 'control' in the file, "
	    "else %s)\n"
	    "  -u USER     after binding, run as USER (CAP_NET_ADMIN and\n"
	    "              CAP_NET_BIND_SERVICE kept)\n"
	    "  -g GROUP    with -u: run as GROUP instead of USER's primary "
	    "group\n"
	    "  -v          verbose: log debug messages\n"
	    "  --role R    edge (default), gateway, or api\n"
	    "  --version   print the version and exit\n"
	    "  --db FILE   edge, gateway: desired state from the store, not a file\n"
	    "  --path P    edge: device path served, primary or secondary\n"
	    "  --peering-location LOC  edge: circuits served\n"
	    "  --router-id A           edge, gateway: BGP identifier\n"
	    "  --interface-map VLAN=IF  edge: interface of a peering VLAN\n"
	    "  --gateway-interface IF   edge: interface of the gateway links\n"
	    "  --gateway ID            gateway: ARM id of the "
	    "virtualNetworkGateway\n"
	    "  --edge-map P=IF          gateway: interface to the edges of "
	    "path P\n"
	    "  --kernel-table T        gateway: kernel table of learned routes "
	    "(main)\n"
	    "  --data DIR  catalogue data (regional communities)\n"
	    "  --metrics ADDR:PORT  Prometheus endpoint (GET /metrics)\n"
	    "See xrouted.conf(5) and xrctl(8).\n",
	    CONF_DEFAULT_FILE, CONF_DEFAULT_CONTROL);
}

static int
parse_router_id(const char *s, uint32_t *id)
{
	struct addr a;

	if (addr_parse(s, &a) == -1 || a.af != AF_INET ||
	    (a.b[0] | a.b[1] | a.b[2] | a.b[3]) == 0) {
		fprintf(stderr, "xrouted: --router-id '%s' is not a non-zero "
		    "IPv4 address\n", s);
		return -1;
	}
	*id = (uint32_t)a.b[0] << 24 | (uint32_t)a.b[1] << 16 |
	    (uint32_t)a.b[2] << 8 | a.b[3];
	return 0;
}

/* --db: the edge or the gateway follows the store instead of a file. */
static int
check_store_opts(const char *role, const struct rc_opts *o,
    const struct gw_opts *g, bool have_path, bool have_file)
{
	bool gw = strcmp(role, "gateway") == 0;
	const char *why = NULL;

	if (have_file)
		why = "-f and --db exclude each other";
	else if (gw && (have_path || o->location != NULL || o->nifmap > 0 ||
	    o->gw_ifname[0] != '\0'))
		why = "--path, --peering-location, --interface-map and "
		    "--gateway-interface are edge options";
	else if (gw && (g->gateway == NULL || *g->gateway == '\0'))
		why = "--role gateway --db needs --gateway (the ARM id of an "
		    "ExpressRoute virtualNetworkGateway)";
	else if (!gw && (g->gateway != NULL || g->edge_if[0][0] != '\0' ||
	    g->edge_if[1][0] != '\0' || g->kernel_table != 0))
		why = "--gateway, --edge-map and --kernel-table are gateway "
		    "options";
	else if (!gw && !have_path)
		why = "--db needs --path primary|secondary";
	else if (!gw && (o->location == NULL || *o->location == '\0'))
		why = "--db needs --peering-location (e.g. \"Silicon Valley\")";
	if (why == NULL)
		return 0;
	fprintf(stderr, "xrouted: %s\n", why);
	return -1;
}

static int
parse_table(const char *s, uint32_t *t)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (strcmp(s, "main") == 0) {
		*t = CONF_KTABLE_MAIN;
		return 0;
	}
	if (*s == '\0' || *end != '\0' || v < 1 || v > 4294967295UL ||
	    v == 255) {
		fprintf(stderr, "xrouted: --kernel-table '%s' is not main or a "
		    "table id 1-4294967295 other than 255 (local)\n", s);
		return -1;
	}
	*t = (uint32_t)v;
	return 0;
}

/* --role api hands the whole command line to the API role. */
static const char *
find_role(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--role=", 7) == 0)
			return argv[i] + 7;
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	return "edge";
}

static void
on_stop(struct ev_loop *loop, int sig, void *arg)
{
	log_info("signal %d: shutting down", sig);
	ev_break(loop);
}

static struct rc *the_rc;	/* --db edge: the reconciler, else NULL */
static struct gw *the_gw;	/* --db gateway */

static void
on_hup(struct ev_loop *loop, int sig, void *arg)
{
	char err[CONF_ERR_MAX];

	if (the_rc != NULL || the_gw != NULL) {
		log_info("SIGHUP: re-reading the store");
		if (the_rc != NULL)
			rc_kick(the_rc);
		else
			gw_kick(the_gw);
		return;
	}
	log_info("SIGHUP: reloading the configuration");
	xrd_reload(arg, err, sizeof(err));
}

/*
 * Hand the control socket to 'user' (and 'group'), then become them, as
 * BIRD does with -u/-g: the listeners and the control socket are already
 * bound, so only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE are kept.
 */
static int
drop_to(struct xrd *x, const char *user, const char *group)
{
	char err[256];
	struct passwd *pw;
	struct group *gr;
	gid_t gid;

	if ((pw = getpwnam(user)) == NULL) {
		log_err("-u %s: no such user", user);
		return -1;
	}
	gid = pw->pw_gid;
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			log_err("-g %s: no such group", group);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (chown(x->ctl_path, pw->pw_uid, gid) == -1)
		log_warn("chown %s: %m", x->ctl_path);
	if (priv_drop(user, group, PRIV_KEEP_DEFAULT, err, sizeof(err)) == -1) {
		log_err("-u %s: %s", user, err);
		return -1;
	}
	log_info("running as user %s, group %s (uid %u, gid %u), capabilities "
	    "%#llx", user, group ? group : "(primary)", (unsigned)getuid(),
	    (unsigned)getgid(), (unsigned long long)priv_cap_effective());
	return 0;
}

static int
run(struct xrd *x, struct xr_conf *conf, bool foreground, const char *user,
    const char *group)
{
	char err[CONF_ERR_MAX];

	if (!foreground && daemon(0, 0) == -1) {
		perror("xrouted: daemon");
		conf_free(conf);
		return EX_OSERR;
	}
	if (xrd_start(x, conf, err, sizeof(err)) == -1) {
		log_err("%s", err);
		if (x->conf == NULL)
			conf_free(conf);
		xrd_stop(x, "");
		return EX_OSERR;
	}
	if (user != NULL && drop_to(x, user, group) == -1) {
		xrd_stop(x, "");
		return EX_OSERR;
	}
	if (the_rc != NULL)
		rc_attach(the_rc, x);
	if (the_gw != NULL)
		gw_attach(the_gw, x);
	signal(SIGPIPE, SIG_IGN);
	if (ev_signal(x->loop, SIGTERM, on_stop, x) == -1 ||
	    ev_signal(x->loop, SIGINT, on_stop, x) == -1 ||
	    ev_signal(x->loop, SIGHUP, on_hup, x) == -1) {
		log_err("cannot set up signal handling");
		xrd_stop(x, "");
		return EX_OSERR;
	}
	log_info("xrouted %s (role %s) started: router-id %u.%u.%u.%u, AS %u, "
	    "control %s", XR_VERSION, x->role, conf->router_id >> 24,
	    (conf->router_id >> 16) & 0xff, (conf->router_id >> 8) & 0xff,
	    conf->router_id & 0xff, conf->as, x->ctl_path);
	ev_run(x->loop);
	xrd_stop(x, "xrouted shutting down");
	rc_free(the_rc);
	the_rc = NULL;
	gw_free(the_gw);
	the_gw = NULL;
	log_info("stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "role", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, 'D' },
		{ "path", required_argument, NULL, 'P' },
		{ "peering-location", required_argument, NULL, 'L' },
		{ "router-id", required_argument, NULL, 'I' },
		{ "interface-map", required_argument, NULL, 'M' },
		{ "data", required_argument, NULL, 'A' },
		{ "gateway", required_argument, NULL, 'G' },
		{ "edge-map", required_argument, NULL, 'E' },
		{ "kernel-table", required_argument, NULL, 'T' },
		{ "gateway-interface", required_argument, NULL, 'N' },
		{ "metrics", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct xrd x;
	struct xr_conf *conf;
	struct rc_opts ro;
	struct gw_opts go;
	bool have_path = false, have_file = false, foreground_done = false;
	const char *role = find_role(argc, argv);
	const char *file = CONF_DEFAULT_FILE, *user = NULL;
	const char *group = NULL;
	char err[CONF_ERR_MAX];
	bool foreground = false, check = false;
	int ch, verbose = 0;

	if (strcmp(role, "api") == 0) {
		if (api_role_main == NULL) {
			fprintf(stderr, "xrouted: role api is not built in\n");
			return EX_UNAVAILABLE;
		}
		return api_role_main(argc, argv);
	}
	memset(&x, 0, sizeof(x));
	memset(&ro, 0, sizeof(ro));
	memset(&go, 0, sizeof(go));
	while ((ch = getopt_long(argc, argv, "dnf:s:u:g:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			foreground = true;
			break;
		case 'n':
			check = true;
			break;
		case 'f':
			file = optarg;
			have_file = true;
			break;
		case 'D':
			ro.db = optarg;
			break;
		case 'P':
			if (rc_path_parse(optarg, &ro.path) == -1) {
				fprintf(stderr, "xrouted: --path '%s' is not "
				    "one of: primary, secondary\n", optarg);
				return EX_USAGE;
			}
			have_path = true;
			break;
		case 'L':
			ro.location = optarg;
			break;
		case 'I':
			if (parse_router_id(optarg, &ro.router_id) == -1)
				return EX_USAGE;
			break;
		case 'M':
			if (rc_ifmap_parse(optarg, &ro, err, sizeof(err))) {
				fprintf(stderr, "xrouted: %s\n", err);
				return EX_USAGE;
			}
			break;
		case 'A':
			ro.data = optarg;
			break;
		case 'X':
			if (mx_parse_listen(optarg, &x.mx_addr, &x.mx_port, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "xrouted: --metrics: %s\n", err);
				return EX_USAGE;
			}
			x.mx_forced = true;
			break;
		case 'G':
			go.gateway = optarg;
			break;
		case 'E':
			if (gw_edge_map_parse(optarg, &go, err, sizeof(err))) {
				fprintf(stderr, "xrouted: %s\n", err);
				return EX_USAGE;
			}
			break;
		case 'T':
			if (parse_table(optarg, &go.kernel_table) == -1)
				return EX_USAGE;
			break;
		case 'N':
			if (*optarg == '\0' || strlen(optarg) >= IF_NAMESIZE) {
				fprintf(stderr, "xrouted: --gateway-interface "
				    "'%s' is not an interface name (1-%d "
				    "characters)\n", optarg, IF_NAMESIZE - 1);
				return EX_USAGE;
			}
			snprintf(ro.gw_ifname, IF_NAMESIZE, "%s", optarg);
			break;
		case 's':
			snprintf(x.ctl_path, sizeof(x.ctl_path), "%s", optarg);
			x.ctl_path_forced = true;
			break;
		case 'u':
			user = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("xrouted " XR_VERSION "\n");
			printf("roles: edge gateway%s\n",
			    api_role_main ? " api" : "");
			return 0;
		case 'R':
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "xrouted: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return EX_USAGE;
	}
	if (group != NULL && user == NULL) {
		fprintf(stderr, "xrouted: -g %s needs -u USER\n", group);
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(role, "edge") != 0 && strcmp(role, "gateway") != 0) {
		fprintf(stderr, "xrouted: unknown role '%s' (edge, gateway or "
		    "api)\n", role);
		return EX_USAGE;
	}
	if (ro.db == NULL && (have_path || ro.location != NULL ||
	    ro.nifmap > 0 || ro.router_id != 0 || ro.data != NULL ||
	    ro.gw_ifname[0] != '\0' || go.gateway != NULL ||
	    go.edge_if[0][0] != '\0' || go.edge_if[1][0] != '\0' ||
	    go.kernel_table != 0)) {
		fprintf(stderr, "xrouted: --path, --peering-location, "
		    "--router-id, --interface-map, --gateway-interface, "
		    "--data, --gateway, --edge-map and --kernel-table need "
		    "--db\n");
		return EX_USAGE;
	}
	if (ro.db != NULL) {
		if (check_store_opts(role, &ro, &go, have_path,
		    have_file) == -1)
			return EX_USAGE;
		/* the store starts a thread: detach before opening it */
		if (!foreground && !check && daemon(0, 0) == -1) {
			perror("xrouted: daemon");
			return EX_OSERR;
		}
		log_init("xrouted", foreground || check, verbose ?
		    LOG_LVL_DEBUG : LOG_LVL_INFO);
		if (!check)
			foreground_done = true;
		if (strcmp(role, "gateway") == 0) {
			go.db = ro.db;
			go.router_id = ro.router_id;
			if ((the_gw = gw_new(&go, err, sizeof(err))) == NULL ||
			    (conf = gw_initial(the_gw, err, sizeof(err))) ==
			    NULL) {
				log_err("%s", err);
				gw_free(the_gw);
				return EX_CONFIG;
			}
		} else if ((the_rc = rc_new(&ro, err, sizeof(err))) == NULL ||
		    (conf = rc_initial(the_rc, err, sizeof(err))) == NULL) {
			log_err("%s", err);
			rc_free(the_rc);
			return EX_CONFIG;
		}
		file = ro.db;
	} else if (conf_parse_file(file, &conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return EX_CONFIG;
	}
	if (check) {
		printf("%s: configuration OK\n", file);
		conf_free(conf);
		rc_free(the_rc);
		gw_free(the_gw);
		return 0;
	}
	x.role = role;
	if (ro.db != NULL)
		x.path = rc_path_name(ro.path);
	snprintf(x.conf_path, sizeof(x.conf_path), "%s", ro.db ? "" : file);
	log_init("xrouted", foreground, verbose ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	hash_init();
	return run(&x, conf, foreground || foreground_done, user, group);
}
