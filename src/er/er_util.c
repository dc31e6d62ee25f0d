/*
 * Small helpers of the resource model: GUIDs and ETags from getrandom(),
 * timestamps, dotted-path JSON access, and the address-range classes that
 * decide what counts as "public" (RFC 1918, RFC 6598, RFC 5737, RFC 3849,
 * RFC 4193 and the other special-purpose blocks of RFC 6890).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "er/er_int.h"
#include "lib/log.h"

static void
rand_bytes(uint8_t *b, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = getrandom(b + got, n - got, 0);
		if (r <= 0)
			fatal_bug("getrandom failed");
		got += (size_t)r;
	}
}

void
er_guid(char out[37])
{
	uint8_t b[16];

	rand_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 (RFC 9562) */
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Weak ETags like ARM's: W/"<32 hex digits>". */
void
er_etag(char out[40])
{
	uint8_t b[16];
	int n;

	rand_bytes(b, sizeof(b));
	n = snprintf(out, 40, "W/\"");
	for (int i = 0; i < 16; i++)
		n += snprintf(out + n, 40 - (size_t)n, "%02x", b[i]);
	snprintf(out + n, 40 - (size_t)n, "\"");
}

void
er_time_iso(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char b[24];

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%s.%03dZ", b, (int)(ms % 1000));
}

json_t *
er_jget(json_t *j, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (j != NULL && path != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_is_object(j) ? json_object_get(j, key) : NULL;
		path = dot ? dot + 1 : NULL;
	}
	return j;
}

const char *
er_jstr(json_t *j, const char *path)
{
	return json_string_value(er_jget(j, path));
}

int64_t
er_jint(json_t *j, const char *path, int64_t dflt)
{
	json_t *v = er_jget(j, path);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

bool
er_jbool(json_t *j, const char *path, bool dflt)
{
	json_t *v = er_jget(j, path);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

void
er_jset_str(json_t *obj, const char *key, const char *val)
{
	json_object_set_new(obj, key, val ? json_string(val) : json_null());
}

const char *
er_props_state(json_t *doc)
{
	return er_jstr(doc, "properties.provisioningState");
}

bool
er_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

const char *
er_last_seg(const char *id)
{
	const char *s = strrchr(id, '/');

	return s ? s + 1 : id;
}

void
er_join(json_t *arr, char *out, size_t len)
{
	size_t i, n = 0;
	json_t *v;
	const char *k;

	out[0] = '\0';
	if (json_is_array(arr)) {
		json_array_foreach(arr, i, v) {
			char num[32];
			const char *s = json_string_value(v);

			if (s == NULL && json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(v));
				s = num;
			}
			if (s == NULL)
				continue;
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
			    "%s%s", n ? ", " : "", s);
		}
	} else if (json_is_object(arr)) {
		json_object_foreach(arr, k, v)
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
			    "%s%s", n ? ", " : "", k);
	}
}

bool
er_asn_private(int64_t asn)
{
	return (asn >= 64512 && asn <= 65534) ||
	    (asn >= 4200000000LL && asn <= 4294967294LL);
}

struct special {
	const char	*pfx;
	const char	*why;
	bool		 doc;
};

static const struct special specials[] = {
	{ "0.0.0.0/8", "RFC 1122 'this network'", false },
	{ "10.0.0.0/8", "RFC 1918 private", false },
	{ "100.64.0.0/10", "RFC 6598 shared address space", false },
	{ "127.0.0.0/8", "loopback", false },
	{ "169.254.0.0/16", "link-local", false },
	{ "172.16.0.0/12", "RFC 1918 private", false },
	{ "192.0.0.0/24", "IETF protocol assignments", false },
	{ "192.0.2.0/24", "RFC 5737 documentation", true },
	{ "192.168.0.0/16", "RFC 1918 private", false },
	{ "198.18.0.0/15", "RFC 2544 benchmarking", false },
	{ "198.51.100.0/24", "RFC 5737 documentation", true },
	{ "203.0.113.0/24", "RFC 5737 documentation", true },
	{ "224.0.0.0/4", "multicast", false },
	{ "240.0.0.0/4", "reserved", false },
	{ "::/8", "IPv6 reserved", false },
	{ "fc00::/7", "RFC 4193 unique local", false },
	{ "fe80::/10", "link-local", false },
	{ "ff00::/8", "multicast", false },
	{ "2001:db8::/32", "RFC 3849 documentation", true },
};

bool
er_prefix_overlap(const struct prefix *a, const struct prefix *b)
{
	return a->af == b->af &&
	    (prefix_contains(a, b) || prefix_contains(b, a));
}

/*
 * NULL when the range is public. A default route or a range that covers a
 * special block is not public either. Documentation ranges are reported
 * with *documentation set: they are not registered to anyone, so the
 * Microsoft-peering validation sends them to manual approval instead of
 * refusing them (the lab uses them).
 */
const char *
er_prefix_special(const struct prefix *p, bool *documentation)
{
	struct prefix s;
	size_t i;

	*documentation = false;
	if (p->len == 0)
		return "a default route";
	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		if (prefix_parse(specials[i].pfx, &s, true) == -1 ||
		    s.af != p->af)
			continue;
		if (prefix_contains(&s, p) || prefix_contains(p, &s)) {
			if (specials[i].doc && prefix_contains(&s, p)) {
				*documentation = true;
				return NULL;
			}
			return specials[i].why;
		}
	}
	return NULL;
}

char *
er_strdup_lower(const char *s)
{
	char *d = strdup(s ? s : "");

	for (char *p = d; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

char *
er_idx_lower(json_t *doc, const char *path)
{
	const char *v = er_jstr(doc, path);

	return v != NULL ? er_strdup_lower(v) : NULL;
}
