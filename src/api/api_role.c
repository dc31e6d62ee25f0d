/*
 * xrouted --role api: open the store (migrating it), seed the catalogue,
 * serve HTTP, and run the worker that completes long-running operations.
 * SIGTERM/SIGINT stop it cleanly; a kill -9 loses nothing acknowledged,
 * because every 2xx write was committed with a synchronous fsync first.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "lib/log.h"

static const char usage_text[] =
"usage: xrouted --role api --db FILE [--listen ADDR:PORT] [--tokens FILE]\n"
"           [--data DIR] [--port-file FILE] [--max-body BYTES]\n"
"           [--rate-limit N] [--rate-burst N]\n"
"           [--gateway-delay-ms MS] [--op-delay-ms MS]\n"
"           [--view-timeout-ms MS] [-d] [-v]\n"
"       xrouted --role api --dump-openapi\n"
"  --db FILE            SQLite store (created and migrated as needed)\n"
"  --listen ADDR:PORT   default 127.0.0.1:8080; port 0 picks a free one\n"
"  --tokens FILE        lines 'ROLE SUBSCRIPTION|- TOKEN [PROVIDER]'\n"
"  --data DIR           catalogue data (default $XR_DATA, ./data,\n"
"                       /usr/share/xroute/data)\n"
"  --port-file FILE     write the bound port there once serving\n"
"  --max-body BYTES     request body limit (default 262144); larger: 413\n"
"  --rate-limit N       requests per second per tenant or provider token\n"
"                       (default 100, 0: off); past it: 429, Retry-After\n"
"  --rate-burst N       requests such a token may send at once (default\n"
"                       1000); admin tokens are not limited\n"
"  --gateway-delay-ms   time a gateway stays 'Updating' (default 0)\n"
"  --op-delay-ms        time other writes stay 'Updating' (default 0)\n"
"  --view-timeout-ms    how long ARP/route/summary and connectivity-test\n"
"                       operations wait for the edges (default 10000)\n"
"  XR_ADMIN_TOKEN       environment: a bootstrap admin token\n"
"GET /metrics (Prometheus) is served without a token: no tenant data.\n";

static int64_t
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Complete due operations; sleep until the next one or a wake-up. */
static void *
worker(void *arg)
{
	struct api *a = arg;
	struct er_ctx ctx;
	struct timespec ts;
	int64_t next, now;

	uint64_t batch;
	int64_t last_purge = 0;
	int n;

	pthread_mutex_lock(&a->lock);
	while (!a->stop) {
		pthread_mutex_unlock(&a->lock);
		memset(&ctx, 0, sizeof(ctx));
		ctx.st = a->st;
		ctx.cat = &a->cat;
		ctx.cfg = &a->cfg;
		ctx.who.role = ER_ROLE_ADMIN;
		next = 0;
		if (api_txn_enter(a, &batch) == 0 &&
		    store_savepoint(a->st) == STORE_OK) {
			ctx.now_ms = wall_ms();
			n = er_ops_complete(&ctx, &next);
			if (n >= 0 && ctx.now_ms - last_purge > 60000) {
				er_ops_purge(&ctx);
				last_purge = ctx.now_ms;
			}
			if (n >= 0)
				store_release(a->st);
			else
				store_undo(a->st);
		}
		if (api_txn_leave(a, batch) == -1)
			log_err("api: completing operations failed");
		pthread_mutex_lock(&a->lock);
		now = wall_ms();
		if (next == 0 || next - now > 1000)
			next = now + 1000;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (next - now) / 1000;
		ts.tv_nsec += ((next - now) % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (next > now && !a->stop)
			pthread_cond_timedwait(&a->wake, &a->lock, &ts);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

static const char *
find_data(const char *opt)
{
	static const char *const cand[] = { "data", "/usr/share/xroute/data",
	    NULL };
	struct stat sb;
	const char *env = getenv("XR_DATA");

	if (opt != NULL)
		return opt;
	if (env != NULL)
		return env;
	for (int i = 0; cand[i] != NULL; i++)
		if (stat(cand[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			return cand[i];
	return "data";
}

static int
write_port(const char *file, unsigned port)
{
	char tmp[1024];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, file);
}

struct opts {
	const char	*db, *listen, *tokens, *data, *port_file;
	bool		 dump, verbose;
};

/* A whole decimal number in [lo, hi], or -1 after saying what is allowed. */
static int
num_opt(const char *name, const char *s, long long lo, long long hi,
    long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *v < lo || *v > hi) {
		fprintf(stderr, "xrouted: %s '%s': expected an integer from "
		    "%lld to %lld\n", name, s, lo, hi);
		return -1;
	}
	return 0;
}

static int
parse(int argc, char **argv, struct opts *o, struct api *a)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "listen", required_argument, NULL, 'l' },
		{ "tokens", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'a' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "max-body", required_argument, NULL, 'm' },
		{ "rate-limit", required_argument, NULL, 'L' },
		{ "rate-burst", required_argument, NULL, 'B' },
		{ "gateway-delay-ms", required_argument, NULL, 'g' },
		{ "op-delay-ms", required_argument, NULL, 'o' },
		{ "view-timeout-ms", required_argument, NULL, 'V' },
		{ "dump-openapi", no_argument, NULL, 'O' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long long v;
	int c;

	a->rate = API_RATE_DEFAULT;
	a->burst = API_BURST_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "dvh", lo, NULL)) != -1) {
		switch (c) {
		case 'D': o->db = optarg; break;
		case 'l': o->listen = optarg; break;
		case 't': o->tokens = optarg; break;
		case 'a': o->data = optarg; break;
		case 'p': o->port_file = optarg; break;
		case 'm':
			if (num_opt("--max-body", optarg, 1, 1LL << 30,
			    &v) == -1)
				return -1;
			a->max_body = (size_t)v;
			break;
		case 'L':
			if (num_opt("--rate-limit", optarg, 0, 1000000,
			    &v) == -1)
				return -1;
			a->rate = (double)v;
			break;
		case 'B':
			if (num_opt("--rate-burst", optarg, 1, 1000000,
			    &v) == -1)
				return -1;
			a->burst = (unsigned)v;
			break;
		case 'g': a->cfg.gateway_delay_ms = strtoull(optarg, NULL, 10);
			break;
		case 'o': a->cfg.default_delay_ms = strtoull(optarg, NULL, 10);
			break;
		case 'V': a->cfg.view_timeout_ms = strtoull(optarg, NULL, 10);
			break;
		case 'O': o->dump = true; break;
		case 'v': o->verbose = true; break;
		case 'r': case 'd': break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (!o->dump && o->db == NULL) {
		fputs("xrouted: --db FILE is required for --role api\n",
		    stderr);
		fputs(usage_text, stderr);
		return -1;
	}
	if (a->max_body == 0)
		a->max_body = ER_MAX_BODY;
	return 0;
}

static int
setup(struct api *a, struct opts *o)
{
	char err[512];
	const char *adm = getenv("XR_ADMIN_TOKEN");

	if (er_cat_load(&a->cat, find_data(o->data), err, sizeof(err)) == -1) {
		log_err("api: catalogue: %s", err);
		return -1;
	}
	if (store_open_sqlite(o->db, &a->st) != STORE_OK)
		return -1;
	if (er_cat_seed(a->st, &a->cat) == -1) {
		log_err("api: cannot seed the provider catalogue");
		return -1;
	}
	if (o->tokens && api_tokens_load(a, o->tokens, err, sizeof(err))) {
		log_err("api: tokens: %s", err);
		return -1;
	}
	if (adm != NULL && *adm != '\0' &&
	    api_tokens_add(a, adm, ER_ROLE_ADMIN, NULL, NULL) == -1)
		return -1;
	if (a->ntokens == 0)
		log_warn("api: no --tokens file and no XR_ADMIN_TOKEN: only "
		    "tokens already in the store will work");
	return 0;
}

int
api_role_main(int argc, char **argv)
{
	struct api a;
	struct opts o;
	sigset_t set;
	unsigned port = 0;
	int sig, rc = 1;
	json_t *doc;

	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	a.cfg.api_versions = ER_API_VERSION ",2024-05-01,2023-09-01";
	if (parse(argc, argv, &o, &a) == -1)
		return 64;
	log_init("xrouted-api", true, o.verbose ? LOG_LVL_DEBUG :
	    LOG_LVL_INFO);
	doc = er_openapi();
	a.openapi = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (o.dump) {
		printf("%s\n", a.openapi);
		free(a.openapi);
		return 0;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&a.lock, NULL);
	pthread_cond_init(&a.wake, NULL);
	pthread_cond_init(&a.done, NULL);
	if (setup(&a, &o) == -1 || api_limit_init(&a) == -1)
		goto out;
	if (pthread_create(&a.worker, NULL, worker, &a) != 0)
		goto out;
	if (api_http_start(&a, o.listen ? o.listen : "127.0.0.1:8080",
	    &port) == -1) {
		a.stop = true;
		pthread_cond_signal(&a.wake);
		pthread_join(a.worker, NULL);
		goto out;
	}
	log_info("api: serving on port %u, store %s", port, o.db);
	if (o.port_file != NULL && write_port(o.port_file, port) == -1)
		log_err("api: cannot write %s: %s", o.port_file,
		    strerror(errno));
	do
		sigwait(&set, &sig);
	while (sig == SIGHUP);
	log_info("api: signal %d, stopping", sig);
	api_http_stop(&a);
	pthread_mutex_lock(&a.lock);
	a.stop = true;
	pthread_cond_signal(&a.wake);
	pthread_mutex_unlock(&a.lock);
	pthread_join(a.worker, NULL);
	rc = 0;
out:
	if (a.st != NULL)
		store_close(a.st);
	er_cat_free(&a.cat);
	api_tokens_free(&a);
	api_limit_free(&a);
	free(a.openapi);
	return rc;
}
