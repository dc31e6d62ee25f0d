/*
 * API benchmark client in C (bench/api_bench.sh): creates N circuits, has
 * the provider provision each, then creates two peerings per circuit, over
 * C keep-alive HTTP/1.1 connections from C threads, and prints throughput
 * and latency percentiles per phase. Loopback only.
 *
 *   api_load PORT ADMIN_TOKEN [CIRCUITS] [CONCURRENCY]
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SUB	"50000000-0000-4000-8000-000000000001"
#define PSUB	"50000000-0000-4000-8000-0000000000ff"
#define RG	"/subscriptions/" SUB "/resourceGroups/bench"
#define NET	"/providers/Microsoft.Network"

static int	port;

struct conn {
	int	 fd;
	char	*buf;
	size_t	 have, cap;
};

/* Read more into the buffer, growing it (list answers are large). */
static int
fill(struct conn *c)
{
	ssize_t n;

	if (c->have + 1 >= c->cap) {
		c->cap = c->cap ? c->cap * 2 : 65536;
		if ((c->buf = realloc(c->buf, c->cap)) == NULL)
			return -1;
	}
	n = read(c->fd, c->buf + c->have, c->cap - 1 - c->have);
	if (n <= 0)
		return -1;
	c->have += (size_t)n;
	c->buf[c->have] = '\0';
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
conn_open(struct conn *c)
{
	struct sockaddr_in sa;
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->cap = 65536;
	if ((c->buf = malloc(c->cap)) == NULL)
		return -1;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return connect(c->fd, (struct sockaddr *)&sa, sizeof(sa));
}

/* One request on a keep-alive connection; returns the status, the body
 * in *body (caller frees). */
static int
call(struct conn *c, const char *tok, const char *m, const char *path,
    const char *body, char **out)
{
	char head[2048], *e, *p;
	size_t bl = body ? strlen(body) : 0, need;
	long cl = 0;
	int st = 0, n;

	n = snprintf(head, sizeof(head), "%s %s?api-version=2025-07-01 "
	    "HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    m, path, tok, bl);
	if (write(c->fd, head, (size_t)n) != n ||
	    (bl && write(c->fd, body, bl) != (ssize_t)bl))
		return -1;
	for (;;) {
		c->buf[c->have] = '\0';
		if ((e = strstr(c->buf, "\r\n\r\n")) != NULL)
			break;
		if (fill(c) == -1)
			return -1;
	}
	sscanf(c->buf, "HTTP/1.1 %d", &st);
	for (p = c->buf; p < e; p = strstr(p, "\r\n") + 2)
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			cl = strtol(p + 15, NULL, 10);
	need = (size_t)(e + 4 - c->buf) + (size_t)cl;
	while (c->have < need)
		if (fill(c) == -1)
			return -1;
	if (out != NULL)
		*out = strndup(c->buf + need - (size_t)cl, (size_t)cl);
	memmove(c->buf, c->buf + need, c->have - need);
	c->have -= need;
	return st;
}

struct phase {
	const char	*name;
	const char	*tok;
	int		 n, conc, next, errors;
	void		(*mk)(int, char *, size_t, char *, size_t);
	double		*lat;
	pthread_mutex_t	 mu;
};

static char	**keys;

static void
mk_circuit(int i, char *p, size_t pl, char *b, size_t bl)
{
	snprintf(p, pl, RG NET "/expressRouteCircuits/c%d", i);
	snprintf(b, bl, "{\"location\":\"westus\",\"sku\":{\"tier\":\"Standard"
	    "\",\"family\":\"MeteredData\"},\"properties\":{"
	    "\"serviceProviderProperties\":{\"serviceProviderName\":\"Contoso "
	    "Networks\",\"peeringLocation\":\"Silicon Valley\","
	    "\"bandwidthInMbps\":1000}}}");
}

static void
mk_provision(int i, char *p, size_t pl, char *b, size_t bl)
{
	snprintf(p, pl, "/subscriptions/" PSUB "/resourceGroups/CrossConnection-"
	    "SiliconValley" NET "/expressRouteCrossConnections/%s", keys[i]);
	snprintf(b, bl, "{\"properties\":{\"serviceProviderProvisioningState\":"
	    "\"Provisioned\"}}");
}

static void
mk_private(int i, char *p, size_t pl, char *b, size_t bl)
{
	snprintf(p, pl, RG NET "/expressRouteCircuits/c%d/peerings/"
	    "AzurePrivatePeering", i);
	snprintf(b, bl, "{\"properties\":{\"peerASN\":65001,\"vlanId\":100,"
	    "\"primaryPeerAddressPrefix\":\"10.%d.%d.0/29\"}}", i / 256,
	    i % 256);
}

static void
mk_microsoft(int i, char *p, size_t pl, char *b, size_t bl)
{
	snprintf(p, pl, RG NET "/expressRouteCircuits/c%d/peerings/"
	    "MicrosoftPeering", i);
	snprintf(b, bl, "{\"properties\":{\"peerASN\":8075,\"vlanId\":200,"
	    "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\","
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"198.51.100.0/24\"]}}}");
}

static void *
worker(void *arg)
{
	struct phase *ph = arg;
	struct conn c;
	char path[512], body[1024];
	double t0, dt;
	int i, st;

	if (conn_open(&c) == -1)
		return NULL;
	for (;;) {
		pthread_mutex_lock(&ph->mu);
		i = ph->next++;
		pthread_mutex_unlock(&ph->mu);
		if (i >= ph->n)
			break;
		ph->mk(i, path, sizeof(path), body, sizeof(body));
		t0 = now_s();
		st = call(&c, ph->tok, "PUT", path, body, NULL);
		dt = now_s() - t0;
		pthread_mutex_lock(&ph->mu);
		ph->lat[i] = dt;
		if (st < 200 || st >= 300)
			ph->errors++;
		pthread_mutex_unlock(&ph->mu);
	}
	close(c.fd);
	free(c.buf);
	return NULL;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *name, double *lat, int n, double wall, int errors)
{
	double *s = malloc(sizeof(double) * (size_t)n);

	memcpy(s, lat, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), dcmp);
	printf("%-22s %6d req %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  max "
	    "%6.2f ms  errors %d\n", name, n, n / wall, s[n / 2] * 1e3,
	    s[(int)(n * 0.99)] * 1e3, s[n - 1] * 1e3, errors);
	free(s);
}

static double
run(struct phase *ph)
{
	pthread_t th[64];
	double t0 = now_s(), wall;

	pthread_mutex_init(&ph->mu, NULL);
	for (int i = 0; i < ph->conc; i++)
		pthread_create(&th[i], NULL, worker, ph);
	for (int i = 0; i < ph->conc; i++)
		pthread_join(th[i], NULL);
	wall = now_s() - t0;
	report(ph->name, ph->lat, ph->n, wall, ph->errors);
	return wall;
}

static char *
token(struct conn *c, const char *adm, const char *name, const char *props)
{
	char path[256], body[512], *out = NULL, *t;
	json_t *j;

	snprintf(path, sizeof(path), "/providers/Xroute.Admin/tokens/%s", name);
	snprintf(body, sizeof(body), "{\"properties\":%s}", props);
	call(c, adm, "PUT", path, body, &out);
	j = json_loads(out ? out : "", 0, NULL);
	t = strdup(json_string_value(json_object_get(json_object_get(j,
	    "properties"), "token")) ?: "");
	json_decref(j);
	free(out);
	return t;
}

int
main(int argc, char **argv)
{
	struct conn c;
	struct phase ph[4];
	char *tenant, *prov, *out = NULL;
	int n, conc;
	double *all, wall = 0;
	int errors = 0;
	json_t *j, *v;
	size_t k;

	if (argc < 3) {
		fprintf(stderr, "usage: api_load PORT ADMIN_TOKEN [CIRCUITS] "
		    "[CONCURRENCY]\n");
		return 64;
	}
	port = atoi(argv[1]);
	n = argc > 3 ? atoi(argv[3]) : 1000;
	conc = argc > 4 ? atoi(argv[4]) : 4;
	if (conc < 1 || conc > 64 || n < 1)
		return 64;
	if (conn_open(&c) == -1) {
		perror("connect");
		return 69;
	}
	call(&c, argv[2], "PUT", "/subscriptions/" SUB, "{\"properties\":{"
	    "\"circuitQuota\":100000,\"circuitQuotaPerRegion\":100000}}", NULL);
	call(&c, argv[2], "PUT", "/subscriptions/" PSUB, "{}", NULL);
	tenant = token(&c, argv[2], "bench-t", "{\"role\":\"tenant\","
	    "\"subscriptionId\":\"" SUB "\"}");
	prov = token(&c, argv[2], "bench-p", "{\"role\":\"provider\","
	    "\"subscriptionId\":\"" PSUB "\",\"providerName\":\"Contoso "
	    "Networks\"}");
	call(&c, tenant, "PUT", RG, "{\"location\":\"westus\"}", NULL);
	printf("# %d circuits, 2 peerings each, %d client connections (C "
	    "client)\n", n, conc);
	all = calloc((size_t)n * 3, sizeof(double));
	keys = calloc((size_t)n, sizeof(char *));
	memset(ph, 0, sizeof(ph));
	ph[0] = (struct phase){ "create circuit", tenant, n, conc, 0, 0,
	    mk_circuit, all, PTHREAD_MUTEX_INITIALIZER };
	wall += run(&ph[0]);
	errors += ph[0].errors;
	call(&c, tenant, "GET", RG NET "/expressRouteCircuits", NULL, &out);
	j = json_loads(out ? out : "", 0, NULL);
	json_array_foreach(json_object_get(j, "value"), k, v) {
		int i = atoi(json_string_value(json_object_get(v, "name")) + 1);

		if (i >= 0 && i < n)
			keys[i] = strdup(json_string_value(json_object_get(
			    json_object_get(v, "properties"), "serviceKey")));
	}
	json_decref(j);
	free(out);
	ph[1] = (struct phase){ "provider provision", prov, n, conc, 0, 0,
	    mk_provision, calloc((size_t)n, sizeof(double)),
	    PTHREAD_MUTEX_INITIALIZER };
	run(&ph[1]);
	ph[2] = (struct phase){ "private peering", tenant, n, conc, 0, 0,
	    mk_private, all + n, PTHREAD_MUTEX_INITIALIZER };
	wall += run(&ph[2]);
	ph[3] = (struct phase){ "microsoft peering", tenant, n, conc, 0, 0,
	    mk_microsoft, all + 2 * n, PTHREAD_MUTEX_INITIALIZER };
	wall += run(&ph[3]);
	errors += ph[2].errors + ph[3].errors;
	report("ALL customer writes", all, 3 * n, wall, errors);
	qsort(all, (size_t)n * 3, sizeof(double), dcmp);
	printf("# goal p99 < 10 ms: %s (%.2f ms)\n", all[(int)(n * 3 * 0.99)] *
	    1e3 < 10 ? "met" : "NOT met", all[(int)(n * 3 * 0.99)] * 1e3);
	return errors ? 1 : 0;
}
