/*
 * Bearer tokens. Three roles: a tenant token is bound to one subscription,
 * a provider token to a service provider (and its own subscription), an
 * admin token manages subscriptions, tokens and the catalogue. Tokens come
 * from a file given with --tokens, from XR_ADMIN_TOKEN (bootstrap admin),
 * or are created through the API (stored as SHA-256 hashes).
 *
 * Token file: one token per line, '#' comments:
 *   ROLE SUBSCRIPTION|- TOKEN [PROVIDER NAME...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"

int
api_tokens_add(struct api *a, const char *token, enum er_role role,
    const char *sub, const char *provider)
{
	struct api_token *t;

	t = realloc(a->tokens, (a->ntokens + 1) * sizeof(*t));
	if (t == NULL)
		return -1;
	a->tokens = t;
	t = &a->tokens[a->ntokens];
	memset(t, 0, sizeof(*t));
	if ((t->token = strdup(token)) == NULL)
		return -1;
	t->who.role = role;
	snprintf(t->who.sub, sizeof(t->who.sub), "%s", sub ? sub : "");
	snprintf(t->who.provider, sizeof(t->who.provider), "%s",
	    provider ? provider : "");
	a->ntokens++;
	return 0;
}

static int
role_of(const char *s, enum er_role *r)
{
	if (strcasecmp(s, "admin") == 0)
		*r = ER_ROLE_ADMIN;
	else if (strcasecmp(s, "tenant") == 0)
		*r = ER_ROLE_TENANT;
	else if (strcasecmp(s, "provider") == 0)
		*r = ER_ROLE_PROVIDER;
	else
		return -1;
	return 0;
}

int
api_tokens_load(struct api *a, const char *file, char *err, size_t errlen)
{
	FILE *f = fopen(file, "r");
	char line[1024], role[32], sub[128], tok[256];
	int lineno = 0, n, off;
	enum er_role r;
	char *prov;

	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open", file);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '#' ||
		    line[strspn(line, " \t")] == '\0')
			continue;
		n = sscanf(line, "%31s %127s %255s %n", role, sub, tok, &off);
		if (n < 3 || role_of(role, &r) == -1) {
			snprintf(err, errlen, "%s:%d: expected 'ROLE "
			    "SUBSCRIPTION|- TOKEN [PROVIDER]' with ROLE one "
			    "of admin, tenant, provider", file, lineno);
			fclose(f);
			return -1;
		}
		prov = n >= 3 && off > 0 && (size_t)off <= strlen(line) ?
		    line + off : NULL;
		if (api_tokens_add(a, tok, r, strcmp(sub, "-") ? sub : NULL,
		    prov && *prov ? prov : NULL) == -1) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

void
api_tokens_free(struct api *a)
{
	for (size_t i = 0; i < a->ntokens; i++) {
		explicit_bzero(a->tokens[i].token, strlen(a->tokens[i].token));
		free(a->tokens[i].token);
	}
	free(a->tokens);
	a->tokens = NULL;
	a->ntokens = 0;
}

/* Compare without an early exit, so timing does not leak a prefix. */
static bool
token_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

int
api_authenticate(struct api *a, const char *hdr, struct er_principal *who)
{
	const char *tok;

	if (hdr == NULL || strncasecmp(hdr, "Bearer ", 7) != 0)
		return -1;
	tok = hdr + 7;
	while (*tok == ' ')
		tok++;
	if (*tok == '\0')
		return -1;
	for (size_t i = 0; i < a->ntokens; i++)
		if (token_eq(a->tokens[i].token, tok)) {
			*who = a->tokens[i].who;
			return 0;
		}
	if (er_token_find(a->st, tok, who) == 0)
		return 0;
	return -2;
}
