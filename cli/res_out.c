/*
 * xrctl output: -o json (the resource as the API returns it), -o table
 * (columns), and the "show" layout of Get-AzExpressRouteCircuit and
 * Get-AzExpressRouteCircuitPeeringConfig that the troubleshooting guides
 * print, so runbooks written against Azure read the same here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "res.h"

static json_t *
jget(json_t *j, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (j != NULL && path && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		j = json_object_get(j, key);
		path = dot ? dot + 1 : NULL;
	}
	return j;
}

static void
scalar(json_t *v, char *out, size_t len)
{
	if (v == NULL || json_is_null(v))
		out[0] = '\0';
	else if (json_is_string(v))
		snprintf(out, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(out, len, "%s", json_is_true(v) ? "True" : "False");
	else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		snprintf(out, len, "%s", s ? s : "");
		free(s);
	}
}

void
res_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
}

/* "Label    : value" with the value column of PowerShell's list view. */
static void
kv(int width, const char *label, const char *val)
{
	if (val == NULL || *val == '\0')
		printf("%-*s :\n", width, label);
	else
		printf("%-*s : %s\n", width, label, val);
}

/* A JSON block under a label, indented like PowerShell prints objects. */
static void
kv_block(int width, const char *label, json_t *obj)
{
	char *s, *line, *save = NULL;
	int first = 1;

	if (obj == NULL || json_is_null(obj)) {
		kv(width, label, "null");
		return;
	}
	if ((json_is_array(obj) && json_array_size(obj) == 0)) {
		kv(width, label, "[]");
		return;
	}
	s = json_dumps(obj, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (first) {
			printf("%-*s : %s\n", width, label, line);
			first = 0;
		} else if (line[0] == '}' || line[0] == ']')
			printf("%*s%s\n", width + 3, "", line);
		else
			printf("%*s%s\n", width + 3, "", line);
	}
	free(s);
}

static json_t *
pascal(json_t *src, const char *const *keys, const char *const *names)
{
	json_t *o = json_object(), *v;

	for (int i = 0; keys[i] != NULL; i++) {
		v = jget(src, keys[i]);
		json_object_set(o, names[i], v ? v : json_null());
	}
	return o;
}

static const char *
rg_of(const char *id, char *out, size_t len)
{
	const char *p = strstr(id ? id : "", "/resourceGroups/"), *e;

	if (p == NULL) {
		out[0] = '\0';
		return out;
	}
	p += 16;
	e = strchr(p, '/');
	snprintf(out, len, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return out;
}

/* "1 of 2 Established" */
static void
path_count(int w, const char *label, json_t *cnt)
{
	char b[64];

	if (cnt == NULL) {
		kv(w, label, NULL);
		return;
	}
	snprintf(b, sizeof(b), "%lld of %lld Established",
	    (long long)json_integer_value(jget(cnt, "established")),
	    (long long)json_integer_value(jget(cnt, "configured")));
	kv(w, label, b);
}

/* FRR's Up/Down column: hh:mm:ss under a day, then 1d02h03m. */
static void
uptime_str(long long s, char *out, size_t len)
{
	if (s < 86400)
		snprintf(out, len, "%02lld:%02lld:%02lld", s / 3600,
		    s / 60 % 60, s % 60);
	else
		snprintf(out, len, "%lldd%02lldh%02lldm", s / 86400,
		    s / 3600 % 24, s / 60 % 60);
}

/*
 * One line per session as its edge reports it (primaryStatus, ...):
 *   Established, neighbor 172.16.0.1, up 00:05:12, 1 received,
 *   0 advertised, 0 flaps
 *   Active, neighbor 172.16.0.1, 2 flaps, last error: ...; hint: ...
 */
void
res_session_line(json_t *st, char *out, size_t len)
{
	const char *state = json_string_value(jget(st, "state"));
	const char *nbr = json_string_value(jget(st, "neighbor"));
	const char *err = json_string_value(jget(st, "lastError"));
	const char *adm = json_string_value(jget(st, "adminMessage"));
	const char *hint = json_string_value(jget(st, "hint"));
	long long flaps = json_integer_value(jget(st, "flaps"));
	char up[32];
	int n;

	if (state == NULL) {
		snprintf(out, len, "NotReported (no status from the edge)");
		return;
	}
	if (strcmp(state, "Established") == 0) {
		uptime_str(json_integer_value(jget(st, "uptimeSeconds")), up,
		    sizeof(up));
		snprintf(out, len, "Established, neighbor %s, up %s, %lld "
		    "received, %lld advertised, %lld flaps", nbr ? nbr : "",
		    up, (long long)json_integer_value(jget(st,
		    "prefixesReceived")), (long long)json_integer_value(
		    jget(st, "prefixesAdvertised")), flaps);
		return;
	}
	n = snprintf(out, len, "%s, neighbor %s, %lld flaps", state,
	    nbr ? nbr : "", flaps);
	if (json_is_true(jget(st, "adminDown")) && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, ", admin down: %s",
		    adm ? adm : "");
	if (err != NULL && *err != '\0' && n >= 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, ", last error: %s",
		    err);
	if (hint != NULL && n >= 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "; hint: %s", hint);
}

void
res_print_circuit_ps(json_t *c)
{
	static const char *const sk[] = { "name", "tier", "family", NULL };
	static const char *const sn[] = { "Name", "Tier", "Family", NULL };
	static const char *const pk[] = { "serviceProviderName",
	    "peeringLocation", "bandwidthInMbps", NULL };
	static const char *const pn[] = { "ServiceProviderName",
	    "PeeringLocation", "BandwidthInMbps", NULL };
	static const char *const ek[] = { "name", "properties.peeringType",
	    "properties.azureASN", "properties.peerASN",
	    "properties.primaryPeerAddressPrefix",
	    "properties.secondaryPeerAddressPrefix", "properties.vlanId",
	    "properties.state", "properties.provisioningState",
	    "properties.primaryStatus.state",
	    "properties.secondaryStatus.state", NULL };
	static const char *const en[] = { "Name", "PeeringType", "AzureASN",
	    "PeerASN", "PrimaryPeerAddressPrefix",
	    "SecondaryPeerAddressPrefix", "VlanId", "State",
	    "ProvisioningState", "PrimaryBgpState", "SecondaryBgpState",
	    NULL };
	static const char *const ak[] = { "name",
	    "properties.authorizationKey",
	    "properties.authorizationUseStatus",
	    "properties.provisioningState", NULL };
	static const char *const an[] = { "Name", "AuthorizationKey",
	    "AuthorizationUseStatus", "ProvisioningState", NULL };
	const int w = 32;
	char b[1024];
	json_t *o, *arr, *x;
	size_t i;

	kv(w, "Name", json_string_value(jget(c, "name")));
	kv(w, "ResourceGroupName", rg_of(json_string_value(jget(c, "id")), b,
	    sizeof(b)));
	kv(w, "Location", json_string_value(jget(c, "location")));
	kv(w, "Id", json_string_value(jget(c, "id")));
	kv(w, "Etag", json_string_value(jget(c, "etag")));
	kv(w, "ProvisioningState", json_string_value(jget(c,
	    "properties.provisioningState")));
	o = pascal(jget(c, "sku"), sk, sn);
	kv_block(w, "Sku", o);
	json_decref(o);
	kv(w, "CircuitProvisioningState", json_string_value(jget(c,
	    "properties.circuitProvisioningState")));
	kv(w, "ServiceProviderProvisioningState", json_string_value(jget(c,
	    "properties.serviceProviderProvisioningState")));
	kv(w, "ServiceProviderNotes", json_string_value(jget(c,
	    "properties.serviceProviderNotes")));
	o = pascal(jget(c, "properties.serviceProviderProperties"), pk, pn);
	kv_block(w, "ServiceProviderProperties", o);
	json_decref(o);
	kv(w, "ServiceKey", json_string_value(jget(c, "properties.serviceKey")));
	arr = json_array();
	json_array_foreach(jget(c, "properties.peerings"), i, x)
		json_array_append_new(arr, pascal(x, ek, en));
	kv_block(w, "Peerings", arr);
	json_decref(arr);
	arr = json_array();
	json_array_foreach(jget(c, "properties.authorizations"), i, x)
		json_array_append_new(arr, pascal(x, ak, an));
	kv_block(w, "Authorizations", arr);
	json_decref(arr);
	/* xroute: live sessions from the edges (after Azure's fields) */
	kv(w, "SessionState", json_string_value(jget(c,
	    "properties.sessionSummary.state")));
	path_count(w, "PrimarySessions", jget(c,
	    "properties.sessionSummary.primary"));
	path_count(w, "SecondarySessions", jget(c,
	    "properties.sessionSummary.secondary"));
}

void
res_print_peering_ps(json_t *p)
{
	static const char *const mk[] = { "advertisedPublicPrefixes",
	    "advertisedPublicPrefixesState", "customerASN",
	    "routingRegistryName", NULL };
	static const char *const mn[] = { "AdvertisedPublicPrefixes",
	    "AdvertisedPublicPrefixesState", "CustomerASN",
	    "RoutingRegistryName", NULL };
	static const char *const vk[] = { "primaryPeerAddressPrefix",
	    "secondaryPeerAddressPrefix", "state", NULL };
	static const char *const vn[] = { "PrimaryPeerAddressPrefix",
	    "SecondaryPeerAddressPrefix", "State", NULL };
	static const char *const sess[][2] = {
		{ "PrimarySession", "properties.primaryStatus" },
		{ "SecondarySession", "properties.secondaryStatus" },
		{ "PrimarySessionIPv6", "properties.primaryStatus.ipv6" },
		{ "SecondarySessionIPv6", "properties.secondaryStatus.ipv6" },
	};
	const int w = 26;
	char b[64], line[512];
	json_t *ms = jget(p, "properties.microsoftPeeringConfig"), *o, *v6;
	size_t i;

	kv(w, "Name", json_string_value(jget(p, "name")));
	kv(w, "Id", json_string_value(jget(p, "id")));
	kv(w, "Etag", json_string_value(jget(p, "etag")));
	kv(w, "PeeringType", json_string_value(jget(p,
	    "properties.peeringType")));
	scalar(jget(p, "properties.azureASN"), b, sizeof(b));
	kv(w, "AzureASN", b);
	scalar(jget(p, "properties.peerASN"), b, sizeof(b));
	kv(w, "PeerASN", b);
	kv(w, "PrimaryPeerAddressPrefix", json_string_value(jget(p,
	    "properties.primaryPeerAddressPrefix")));
	kv(w, "SecondaryPeerAddressPrefix", json_string_value(jget(p,
	    "properties.secondaryPeerAddressPrefix")));
	kv(w, "PrimaryAzurePort", json_string_value(jget(p,
	    "properties.primaryAzurePort")));
	kv(w, "SecondaryAzurePort", json_string_value(jget(p,
	    "properties.secondaryAzurePort")));
	kv(w, "SharedKey", NULL);	/* never displayed */
	scalar(jget(p, "properties.vlanId"), b, sizeof(b));
	kv(w, "VlanId", b);
	if (ms != NULL) {
		o = pascal(ms, mk, mn);
		kv_block(w, "MicrosoftPeeringConfig", o);
		json_decref(o);
	} else
		kv(w, "MicrosoftPeeringConfig", "null");
	kv(w, "ProvisioningState", json_string_value(jget(p,
	    "properties.provisioningState")));
	/* xroute: admin state, IPv6, live sessions (after Azure's fields) */
	kv(w, "State", json_string_value(jget(p, "properties.state")));
	v6 = jget(p, "properties.ipv6PeeringConfig");
	if (v6 != NULL) {
		o = pascal(v6, vk, vn);
		kv_block(w, "Ipv6PeeringConfig", o);
		json_decref(o);
	} else
		kv(w, "Ipv6PeeringConfig", "null");
	for (i = 0; i < (v6 != NULL ? 4 : 2); i++) {
		res_session_line(jget(p, sess[i][1]), line, sizeof(line));
		kv(w, sess[i][0], line);
	}
}

void
res_print_table(json_t *list, const char *const *cols,
    const char *const *paths)
{
	size_t ncol = 0, i, c, w[16] = { 0 };
	char cell[256];
	json_t *row;

	while (cols[ncol] != NULL && ncol < 16)
		ncol++;
	for (c = 0; c < ncol; c++)
		w[c] = strlen(cols[c]);
	json_array_foreach(list, i, row)
		for (c = 0; c < ncol; c++) {
			scalar(jget(row, paths[c]), cell, sizeof(cell));
			if (strlen(cell) > w[c])
				w[c] = strlen(cell);
		}
	for (c = 0; c < ncol; c++)
		printf("%-*s%s", (int)w[c], cols[c], c + 1 < ncol ? "  " : "\n");
	for (c = 0; c < ncol; c++) {
		for (size_t k = 0; k < w[c]; k++)
			putchar('-');
		printf("%s", c + 1 < ncol ? "  " : "\n");
	}
	json_array_foreach(list, i, row)
		for (c = 0; c < ncol; c++) {
			scalar(jget(row, paths[c]), cell, sizeof(cell));
			printf("%-*s%s", c + 1 < ncol ? (int)w[c] : 0, cell,
			    c + 1 < ncol ? "  " : "\n");
		}
}

/* az prints "(Code) message" and exits 1. */
int
res_print_error(const struct res_http_resp *r)
{
	json_t *e = jget(r->body, "error");
	const char *code = json_string_value(jget(e, "code"));
	const char *msg = json_string_value(jget(e, "message"));

	if (code != NULL)
		fprintf(stderr, "ERROR: (%s) %s\nCode: %s\nMessage: %s\n", code,
		    msg ? msg : "", code, msg ? msg : "");
	else
		fprintf(stderr, "ERROR: HTTP %d\n", r->status);
	return 1;
}
