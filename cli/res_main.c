/*
 * xrctl resource commands: option parsing, the request helpers (PUT with
 * waiting for the long-running operation, GET, LIST, DELETE), and the
 * command table. Shaped like `az network express-route`: --resource-group
 * (-g), --name (-n), --location (-l), -o json|table.
 *
 * Environment: XR_API (default http://127.0.0.1:8080), XR_TOKEN,
 * XR_SUBSCRIPTION; or --api, --token, --subscription.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "res.h"
#include "res_int.h"

#define MAXOPT	48

struct res_opts {
	int		 n;
	const char	*name[MAXOPT];
	char		*val[MAXOPT];
};

static const char *const bool_flags[] = { "no-wait", "allow-gateway-transit",
    "use-remote-gateways", "allow-forwarded-traffic", "allow-global-reach",
    "allow-classic-operations", "fastpath", "help", NULL };

static const struct { char s; const char *l; } shorts[] = {
	{ 'g', "resource-group" }, { 'n', "name" }, { 'l', "location" },
	{ 'o', "output" }, { 's', "subscription" }, { 'h', "help" },
	{ 0, NULL }
};

const char *
opt(struct res_opts *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0)
			return o->val[i];
	return NULL;
}

bool
opt_flag(struct res_opts *o, const char *name)
{
	const char *v = opt(o, name);

	return v != NULL && strcmp(v, "false") != 0 && strcmp(v, "0") != 0;
}

static bool
is_bool(const char *n)
{
	for (int i = 0; bool_flags[i]; i++)
		if (strcmp(bool_flags[i], n) == 0)
			return true;
	return false;
}

static int
add(struct res_opts *o, const char *name, const char *val)
{
	char *nv;

	for (int i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0) {
			/* repeated: append (lists) */
			if (asprintf(&nv, "%s,%s", o->val[i], val) < 0)
				return -1;
			free(o->val[i]);
			o->val[i] = nv;
			return 0;
		}
	if (o->n == MAXOPT)
		return -1;
	o->name[o->n] = name;
	o->val[o->n++] = strdup(val);
	return 0;
}

static int
parse(int argc, char **argv, struct res_opts *o)
{
	const char *a, *name, *eq;
	char buf[64];

	for (int i = 0; i < argc; i++) {
		a = argv[i];
		name = NULL;
		if (a[0] == '-' && a[1] != '-' && a[1] && !a[2]) {
			for (int k = 0; shorts[k].s; k++)
				if (shorts[k].s == a[1])
					name = shorts[k].l;
		} else if (a[0] == '-' && a[1] == '-')
			name = a + 2;
		if (name == NULL) {
			fprintf(stderr, "xrctl: unexpected argument '%s'\n", a);
			return -1;
		}
		if ((eq = strchr(name, '=')) != NULL) {
			snprintf(buf, sizeof(buf), "%.*s", (int)(eq - name),
			    name);
			name = strdup(buf);
			if (add(o, name, eq + 1) == -1)
				return -1;
			continue;
		}
		if (is_bool(name) && (i + 1 >= argc || (strcmp(argv[i + 1],
		    "true") && strcmp(argv[i + 1], "false")))) {
			add(o, name, "true");
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "xrctl: --%s needs a value\n", name);
			return -1;
		}
		if (add(o, name, argv[++i]) == -1)
			return -1;
	}
	return 0;
}

const char *
need(struct res_ctx *c, const char *name)
{
	const char *v = opt(c->o, name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "xrctl: %s %s: --%s is required\n", c->group,
		    c->verb, name);
		c->usage_error = true;
	}
	return v;
}

void
base_path(struct res_ctx *c, char *out, size_t len)
{
	snprintf(out, len, "/subscriptions/%s/resourceGroups/%s/providers/"
	    "Microsoft.Network", c->sub, opt(c->o, "resource-group") ?: "");
}

/* A name, or a full id passed as is. */
void
ref_id(struct res_ctx *c, const char *type, const char *v, char *out,
    size_t len)
{
	char b[512];

	if (v != NULL && v[0] == '/') {
		snprintf(out, len, "%s", v);
		return;
	}
	base_path(c, b, sizeof(b));
	snprintf(out, len, "%s/%s/%s", b, type, v ? v : "");
}

json_t *
split_list(const char *v)
{
	json_t *a = json_array();
	char *s = strdup(v ? v : ""), *tok, *save = NULL;

	for (tok = strtok_r(s, ", ", &save); tok; tok = strtok_r(NULL, ", ",
	    &save))
		json_array_append_new(a, json_string(tok));
	free(s);
	return a;
}

int
req(struct res_ctx *c, const char *method, const char *path, json_t *body,
    struct res_http_resp *r)
{
	if (res_http(c->api, c->token, method, path, body, r) == -1)
		return 69;
	if (r->status >= 400)
		return res_print_error(r);
	return 0;
}

/* Poll Azure-AsyncOperation until it leaves InProgress (as az waits). */
static int
wait_op(struct res_ctx *c, const char *op)
{
	struct res_http_resp r;
	const char *st;
	time_t end = time(NULL) + 1800;

	while (time(NULL) < end) {
		if (res_http(c->api, c->token, "GET", op, NULL, &r) == -1)
			return 69;
		st = json_string_value(json_object_get(r.body, "status"));
		if (st != NULL && strcmp(st, "InProgress") != 0) {
			if (strcmp(st, "Succeeded") != 0) {
				fprintf(stderr, "xrctl: operation %s\n", st);
				json_decref(r.body);
				return 1;
			}
			json_decref(r.body);
			return 0;
		}
		json_decref(r.body);
		usleep(100 * 1000);
	}
	fprintf(stderr, "xrctl: timed out waiting for %s\n", op);
	return 1;
}

void
print_res(struct res_ctx *c, json_t *j, int kind)
{
	const char *o = opt(c->o, "output");

	if (o != NULL && strcmp(o, "json") == 0)
		res_print_json(j);
	else if (kind == KIND_CIRCUIT && (o == NULL || strcmp(o, "ps") == 0))
		res_print_circuit_ps(j);
	else if (kind == KIND_PEERING && (o == NULL || strcmp(o, "ps") == 0))
		res_print_peering_ps(j);
	else if (o != NULL && strcmp(o, "table") == 0) {
		json_t *a = json_array();

		json_array_append(a, j);
		print_list(c, a, kind);
		json_decref(a);
	} else
		res_print_json(j);
}

/* PUT, wait for the operation, GET, print. */
int
put_show(struct res_ctx *c, const char *path, json_t *body, int kind)
{
	struct res_http_resp r;
	int rc;

	rc = req(c, "PUT", path, body, &r);
	json_decref(body);
	if (rc != 0) {
		json_decref(r.body);
		return rc;
	}
	if (r.async_op[0] && !opt_flag(c->o, "no-wait") &&
	    (rc = wait_op(c, r.async_op)) != 0) {
		json_decref(r.body);
		return rc;
	}
	if (r.async_op[0] && !opt_flag(c->o, "no-wait")) {
		json_decref(r.body);
		if ((rc = req(c, "GET", path, NULL, &r)) != 0)
			return rc;
	}
	print_res(c, r.body, kind);
	json_decref(r.body);
	return 0;
}

int
show(struct res_ctx *c, const char *path, int kind)
{
	struct res_http_resp r;
	int rc = req(c, "GET", path, NULL, &r);

	if (rc == 0)
		print_res(c, r.body, kind);
	json_decref(r.body);
	return rc;
}

int
list(struct res_ctx *c, const char *path, int kind)
{
	struct res_http_resp r;
	const char *o = opt(c->o, "output");
	int rc = req(c, "GET", path, NULL, &r);

	if (rc == 0) {
		if (o != NULL && strcmp(o, "table") == 0)
			print_list(c, json_object_get(r.body, "value"), kind);
		else
			res_print_json(json_object_get(r.body, "value"));
	}
	json_decref(r.body);
	return rc;
}

int
del(struct res_ctx *c, const char *path)
{
	struct res_http_resp r;
	int rc = req(c, "DELETE", path, NULL, &r);

	if (rc == 0 && r.async_op[0] && !opt_flag(c->o, "no-wait"))
		rc = wait_op(c, r.async_op);
	json_decref(r.body);
	return rc;
}

/* GET a resource for read-modify-write; NULL on error (printed). */
json_t *
fetch(struct res_ctx *c, const char *path, int *rc)
{
	struct res_http_resp r;

	*rc = req(c, "GET", path, NULL, &r);
	if (*rc != 0) {
		json_decref(r.body);
		return NULL;
	}
	return r.body;
}

static const char usage_text[] =
"usage: xrctl GROUP VERB [options]      (-o json|table, --api URL, --token T,\n"
"                                        --subscription S, --no-wait)\n"
"  group        create|delete|list      -n NAME -l LOCATION\n"
"  circuit      create|show|list|update|delete  -g RG -n NAME [-l LOC]\n"
"               --provider P --peering-location L --bandwidth MBPS\n"
"               [--sku-tier Standard|Premium|Local] [--sku-family MeteredData|UnlimitedData]\n"
"               [--allow-global-reach] [--allow-classic-operations]\n"
"  peering      create|update|show|list|delete  -g RG --circuit-name C\n"
"               --peering-type T (show/delete: or -n T)\n"
"               --peer-asn N --primary-peer-subnet P [--secondary-peer-subnet S]\n"
"               --vlan-id V [--shared-key K] [--ip-version IPv4|IPv6] [--state S]\n"
"               (update: only the options given change; IPv6: the\n"
"               ipv6PeeringConfig of an existing peering)\n"
"               [--advertised-public-prefixes P,..] [--customer-asn N]\n"
"               [--routing-registry-name R] [--route-filter F]\n"
"  authorization create|show|list|delete -g RG --circuit-name C -n NAME\n"
"  route-filter create|show|list|delete -g RG -n NAME -l LOC\n"
"  route-filter rule set|show  -g RG --filter-name F [-n RULE] --communities C,..\n"
"  route-filter attach|detach  -g RG --circuit-name C [--route-filter F]\n"
"  vnet         create|show|list|delete  -g RG -n NAME -l LOC --address-prefixes P,..\n"
"               [--subnets NAME=PREFIX,..]\n"
"  vnet peering create|show|list|delete  -g RG --vnet-name V -n NAME --remote-vnet R\n"
"               [--allow-gateway-transit] [--use-remote-gateways] [--allow-forwarded-traffic]\n"
"  gateway      create|show|list|delete  -g RG -n NAME -l LOC --vnet V [--sku S]\n"
"               [--gateway-type ExpressRoute|Vpn] [--min-scale N --max-scale N]\n"
"  connection   create|show|list|delete  -g RG -n NAME -l LOC --vnet-gateway G\n"
"               --circuit C [--authorization-key K] [--routing-weight W] [--fastpath]\n"
"  provider     list|provision|deprovision|approve  [--service-key K]\n"
"               [--state S] [--notes N] [--peering MicrosoftPeering]\n"
"  express-route list-arp-tables|list-route-tables|list-route-tables-summary\n"
"               -g RG -n CIRCUIT --peering-name P --path primary|secondary\n"
"  express-route get-stats  -g RG -n CIRCUIT [--peering-name P]\n"
"  express-route start-connectivity-test|show-connectivity-test|stop-connectivity-test\n"
"               -g RG -n CIRCUIT [--peering-name AzurePrivatePeering]\n"
"               --source-ip S --destination-ip D [--protocol Any|TCP|UDP|ICMP]\n"
"               [--source-port N] [--destination-port N]   (start only)\n";

static const struct res_cmd *
find_cmd(const char *group, const char *verb)
{
	for (const struct res_cmd *k = res_cmds; k->group; k++)
		if (strcmp(k->group, group) == 0 && strcmp(k->verb, verb) == 0)
			return k;
	return NULL;
}

int
res_main(int argc, char **argv)
{
	struct res_opts o;
	struct res_ctx c;
	const struct res_cmd *k;
	char verb[64];
	int skip = 2, rc, i = 1;
	bool json = false;

	/* xrctl's argv as is: skip the program name and global options
	 * (-j JSON, -s SOCKET) that precede the command group */
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '-') {
		if (strcmp(argv[i], "-j") == 0)
			json = true;
		else if (strcmp(argv[i], "-s") == 0)
			i++;
		i++;
	}
	argc -= i;
	argv += i;
	if (argc < 2 || strcmp(argv[0], "help") == 0 ||
	    strcmp(argv[0], "--help") == 0) {
		fputs(usage_text, argc < 1 ? stderr : stdout);
		return argc < 1 ? 64 : 0;
	}
	snprintf(verb, sizeof(verb), "%s", argv[1]);
	if (argc >= 3 && argv[2][0] != '-' && ((strcmp(argv[0], "vnet") == 0 &&
	    strcmp(argv[1], "peering") == 0) || (strcmp(argv[0],
	    "route-filter") == 0 && strcmp(argv[1], "rule") == 0))) {
		snprintf(verb, sizeof(verb), "%s %s", argv[1], argv[2]);
		skip = 3;
	}
	if ((k = find_cmd(argv[0], verb)) == NULL) {
		fprintf(stderr, "xrctl: unknown command '%s %s'\n", argv[0],
		    verb);
		fputs(usage_text, stderr);
		return 64;
	}
	memset(&o, 0, sizeof(o));
	if (parse(argc - skip, argv + skip, &o) == -1)
		return 64;
	if (json && opt(&o, "output") == NULL)
		add(&o, "output", "json");
	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.group = argv[0];
	c.verb = verb;
	c.api = opt(&o, "api") ?: getenv("XR_API") ?: "http://127.0.0.1:8080";
	c.token = opt(&o, "token") ?: getenv("XR_TOKEN");
	c.sub = opt(&o, "subscription") ?: getenv("XR_SUBSCRIPTION");
	if (c.sub == NULL) {
		fprintf(stderr, "xrctl: set --subscription or XR_SUBSCRIPTION\n");
		return 64;
	}
	if (c.token == NULL) {
		fprintf(stderr, "xrctl: set --token or XR_TOKEN\n");
		return 64;
	}
	rc = k->fn(&c);
	for (int j = 0; j < o.n; j++)
		free(o.val[j]);
	return c.usage_error ? 64 : rc;
}

/* Until cli/xrctl.c (the session helper's main) lands: a weak main that
 * the real one overrides at link time. */
__attribute__((weak)) int
main(int argc, char **argv)
{
	return res_main(argc, argv);
}
