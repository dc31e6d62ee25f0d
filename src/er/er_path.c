/*
 * ARM request paths and resource ids:
 *
 *   /subscriptions/{s}
 *   /subscriptions/{s}/resourceGroups[/{rg}]
 *   /subscriptions/{s}/providers/Microsoft.Network/{type}
 *   /subscriptions/{s}/providers/Microsoft.Network/locations/{l}/operations/{id}
 *   /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/{type}
 *       [/{name}[/{childType}[/{childName}[/{action}[/{arg}]]]]]
 *   /providers/Microsoft.Network/expressRouteServiceProviders[/{name}]
 *   /providers/Xroute.Admin/tokens[/{name}]   /providers/Xroute.Admin/changes
 *
 * Fixed words compare case-insensitively, as in ARM; ids are rebuilt with
 * the canonical spelling of the type segments and the caller's names.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

#define MAXSEG	16

static int
split(const char *path, char segs[MAXSEG][ER_NAME_MAX])
{
	int n = 0;
	size_t len;
	const char *s = path, *e;

	while (*s != '\0') {
		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		e = strchr(s, '/');
		len = e ? (size_t)(e - s) : strlen(s);
		if (n == MAXSEG || len >= ER_NAME_MAX)
			return -1;
		memcpy(segs[n], s, len);
		segs[n][len] = '\0';
		n++;
		s += len;
	}
	return n;
}

static bool
is(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool
er_name_valid(const char *n)
{
	size_t len = strlen(n), i;

	if (len == 0 || len > 80)
		return false;
	if (!isalnum((unsigned char)n[0]) && n[0] != '_')
		return false;
	if (!isalnum((unsigned char)n[len - 1]) && n[len - 1] != '_')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && strchr("._-", n[i]) == NULL)
			return false;
	return true;
}

void
er_id_sub(char *out, size_t len, const char *sub)
{
	snprintf(out, len, "/subscriptions/%s", sub);
}

void
er_id_rg(char *out, size_t len, const char *sub, const char *rg)
{
	snprintf(out, len, "/subscriptions/%s/resourceGroups/%s", sub, rg);
}

void
er_id_res(char *out, size_t len, const char *sub, const char *rg,
    const struct er_rtype *rt, const char *name, const char *cname)
{
	if (rt->parent != NULL)
		snprintf(out, len, "/subscriptions/%s/resourceGroups/%s/"
		    "providers/Microsoft.Network/%s/%s/%s/%s", sub, rg,
		    rt->parent->seg, name, rt->seg, cname);
	else
		snprintf(out, len, "/subscriptions/%s/resourceGroups/%s/"
		    "providers/Microsoft.Network/%s/%s", sub, rg, rt->seg,
		    name);
}

static void
copy(char *dst, const char *src)
{
	snprintf(dst, ER_NAME_MAX, "%s", src);
}

/* /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/... */
static int
parse_rg_res(char s[MAXSEG][ER_NAME_MAX], int n, struct er_path *p)
{
	const struct er_rtype *rt, *crt;

	if (!is(s[4], "providers") || !is(s[5], "Microsoft.Network"))
		return -1;
	if (n < 7 || (rt = er_rtype_top(s[6])) == NULL)
		return -1;
	p->rt = rt;
	if (n == 7) {
		p->kind = P_RG_TYPE_LIST;
		er_id_rg(p->parent_id, sizeof(p->parent_id), p->sub, p->rg);
		return 0;
	}
	copy(p->name, s[7]);
	er_id_res(p->id, sizeof(p->id), p->sub, p->rg, rt, p->name, NULL);
	er_id_rg(p->parent_id, sizeof(p->parent_id), p->sub, p->rg);
	if (n == 8) {
		p->kind = P_RES;
		return 0;
	}
	if ((crt = er_rtype_child(rt, s[8])) == NULL) {
		/* an action on the top resource: circuits/{c}/stats */
		if (n > 10)
			return -1;
		p->kind = P_ACTION;
		snprintf(p->action, sizeof(p->action), "%s", s[8]);
		if (n == 10)
			copy(p->arg, s[9]);
		return 0;
	}
	p->rt = crt;
	snprintf(p->parent_id, sizeof(p->parent_id), "%s", p->id);
	if (n == 9) {
		p->kind = P_CHILD_LIST;
		return 0;
	}
	copy(p->cname, s[9]);
	er_id_res(p->id, sizeof(p->id), p->sub, p->rg, crt, p->name, p->cname);
	if (n == 10) {
		p->kind = P_RES;
		return 0;
	}
	if (n > 12)
		return -1;
	p->kind = P_ACTION;
	snprintf(p->action, sizeof(p->action), "%s", s[10]);
	if (n == 12)
		copy(p->arg, s[11]);
	return 0;
}

static int
parse_sub(char s[MAXSEG][ER_NAME_MAX], int n, struct er_path *p)
{
	copy(p->sub, s[1]);
	er_id_sub(p->id, sizeof(p->id), p->sub);
	if (n == 2) {
		p->kind = P_SUB;
		p->rt = &er_rt_sub;
		return 0;
	}
	if (is(s[2], "resourceGroups")) {
		snprintf(p->parent_id, sizeof(p->parent_id), "%s", p->id);
		p->rt = &er_rt_rg;
		if (n == 3) {
			p->kind = P_RG_LIST;
			return 0;
		}
		copy(p->rg, s[3]);
		er_id_rg(p->id, sizeof(p->id), p->sub, p->rg);
		if (n == 4) {
			p->kind = P_RG;
			return 0;
		}
		return parse_rg_res(s, n, p);
	}
	if (!is(s[2], "providers") || n < 5 || !is(s[3], "Microsoft.Network"))
		return -1;
	if (n == 8 && is(s[4], "locations") && (is(s[6], "operations") ||
	    is(s[6], "operationResults"))) {
		/* one record; operationResults answers its result */
		p->kind = P_OPERATION;
		p->rt = &er_rt_operation;
		snprintf(p->action, sizeof(p->action), "%s", is(s[6],
		    "operationResults") ? "result" : "");
		snprintf(p->id, sizeof(p->id), "/subscriptions/%s/providers/"
		    "Microsoft.Network/locations/%s/operations/%s", p->sub,
		    s[5], s[7]);
		return 0;
	}
	if (n != 5)
		return -1;
	if (is(s[4], "expressRouteServiceProviders")) {
		p->kind = P_CAT_PROVIDERS;
		p->rt = &er_rt_provider;
		return 0;
	}
	if (is(s[4], "bgpServiceCommunities")) {
		p->kind = P_COMMUNITIES;
		return 0;
	}
	if ((p->rt = er_rtype_top(s[4])) == NULL)
		return -1;
	p->kind = P_SUB_TYPE_LIST;
	return 0;
}

static int
parse_global(char s[MAXSEG][ER_NAME_MAX], int n, struct er_path *p)
{
	if (n >= 3 && is(s[1], "Microsoft.Network") &&
	    is(s[2], "expressRouteServiceProviders")) {
		p->rt = &er_rt_provider;
		if (n == 3) {
			p->kind = P_CAT_PROVIDERS;
			return 0;
		}
		if (n != 4)
			return -1;
		p->kind = P_CAT_PROVIDER;
		copy(p->name, s[3]);
		snprintf(p->id, sizeof(p->id), "/providers/Microsoft.Network/"
		    "expressRouteServiceProviders/%s", p->name);
		return 0;
	}
	if (n >= 3 && is(s[1], "Xroute.Admin") && is(s[2], "tokens")) {
		p->rt = &er_rt_token;
		if (n == 3) {
			p->kind = P_TOKENS;
			return 0;
		}
		if (n != 4)
			return -1;
		p->kind = P_TOKEN;
		copy(p->name, s[3]);
		snprintf(p->id, sizeof(p->id), "/providers/Xroute.Admin/"
		    "tokens/%s", p->name);
		return 0;
	}
	if (n == 3 && is(s[1], "Xroute.Admin") && is(s[2], "changes")) {
		p->kind = P_CHANGES;
		return 0;
	}
	return -1;
}

int
er_path_parse(const char *path, struct er_path *p)
{
	char s[MAXSEG][ER_NAME_MAX];
	int n;

	memset(p, 0, sizeof(*p));
	p->kind = P_BAD;
	if ((n = split(path, s)) < 2)
		return -1;
	if (is(s[0], "subscriptions")) {
		if (parse_sub(s, n, p) == -1) {
			p->kind = P_BAD;
			return -1;
		}
		return 0;
	}
	if (is(s[0], "providers") && parse_global(s, n, p) == 0)
		return 0;
	p->kind = P_BAD;
	return -1;
}

int
er_id_parse(const char *id, struct er_path *p)
{
	if (er_path_parse(id, p) == -1)
		return -1;
	return p->kind == P_RES || p->kind == P_RG || p->kind == P_SUB ? 0 :
	    -1;
}

int
er_id_parent(const struct er_rtype *rt, const char *id, char *out,
    size_t len)
{
	struct er_path p;

	out[0] = '\0';
	if (rt == &er_rt_sub || rt == &er_rt_provider || rt == &er_rt_token)
		return -1;
	if (rt == &er_rt_operation) {
		if (er_path_parse(id, &p) == -1)
			return -1;
		er_id_sub(out, len, p.sub);
		return 0;
	}
	if (er_path_parse(id, &p) == -1)
		return -1;
	snprintf(out, len, "%s", p.parent_id);
	return 0;
}
