/* Unit tests for src/api/api_auth.c: the token file, Bearer parsing, and
 * tokens created through the API (hashed in the store). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "api/api.h"
#include "er/er_int.h"
#include "lib/log.h"

static char dir[64];

static void
test_token_file(void)
{
	struct api a;
	struct er_principal who;
	char path[128], err[256];
	FILE *f;

	memset(&a, 0, sizeof(a));
	snprintf(path, sizeof(path), "%s/tokens", dir);
	f = fopen(path, "w");
	fputs("# role sub token [provider]\n"
	    "tenant 11111111-1111-4111-8111-111111111111 tok-tenant\n"
	    "\n"
	    "provider 22222222-2222-4222-8222-222222222222 tok-prov Contoso "
	    "Networks\n"
	    "admin - tok-admin\n", f);
	fclose(f);
	T_EQ(api_tokens_load(&a, path, err, sizeof(err)), 0);
	T_EQ(a.ntokens, 3);
	T_EQ(api_authenticate(&a, "Bearer tok-tenant", &who), 0);
	T_EQ(who.role, ER_ROLE_TENANT);
	T_STREQ(who.sub, "11111111-1111-4111-8111-111111111111");
	T_EQ(api_authenticate(&a, "bearer   tok-prov", &who), 0);
	T_EQ(who.role, ER_ROLE_PROVIDER);
	T_STREQ(who.provider, "Contoso Networks");
	T_EQ(api_authenticate(&a, "Bearer tok-admin", &who), 0);
	T_EQ(who.role, ER_ROLE_ADMIN);
	T_EQ(api_authenticate(&a, NULL, &who), -1);
	T_EQ(api_authenticate(&a, "Basic dG9r", &who), -1);
	T_EQ(api_authenticate(&a, "Bearer ", &who), -1);
	api_tokens_free(&a);

	f = fopen(path, "w");
	fputs("superuser - x\n", f);
	fclose(f);
	T_EQ(api_tokens_load(&a, path, err, sizeof(err)), -1);
	T_CHECK(strstr(err, ":1: expected 'ROLE SUBSCRIPTION|- TOKEN "
	    "[PROVIDER]'") != NULL);
	api_tokens_free(&a);
	unlink(path);
}

static void
test_store_tokens(void)
{
	struct api a;
	struct er_principal who;
	struct er_cat cat;
	struct er_config cfg = { 0, 0, "2025-07-01", 0 };
	struct er_ctx ctx;
	struct er_req req = { .method = "PUT", .api_version = "2025-07-01" };
	struct er_resp resp;
	char path[128], err[256], tok[64];
	const char *t;

	memset(&a, 0, sizeof(a));
	snprintf(path, sizeof(path), "%s/db", dir);
	T_EQ(store_open_sqlite(path, &a.st), STORE_OK);
	T_EQ(er_cat_load(&cat, "data", err, sizeof(err)), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = a.st;
	ctx.cat = &cat;
	ctx.cfg = &cfg;
	ctx.who.role = ER_ROLE_ADMIN;
	store_begin(a.st);
	req.path = "/subscriptions/s1";
	req.body = json_pack("{s:{}}", "properties");
	er_handle(&ctx, &req, &resp);
	json_decref(req.body);
	er_resp_clear(&resp);
	req.path = "/providers/Xroute.Admin/tokens/t1";
	req.body = json_pack("{s:{s:s,s:s}}", "properties", "role", "tenant",
	    "subscriptionId", "s1");
	er_handle(&ctx, &req, &resp);
	json_decref(req.body);
	store_commit(a.st);
	T_EQ(resp.status, 201);
	t = er_jstr(resp.body, "properties.token");
	snprintf(tok, sizeof(tok), "Bearer %s", t ? t : "");
	/* the hash is stored, never the token */
	T_CHECK(er_jstr(resp.body, "properties.tokenHash") == NULL);
	er_resp_clear(&resp);
	T_EQ(api_authenticate(&a, tok, &who), 0);
	T_EQ(who.role, ER_ROLE_TENANT);
	T_STREQ(who.sub, "s1");
	T_EQ(api_authenticate(&a, "Bearer xr_0000", &who), -2);
	store_close(a.st);
	er_cat_free(&cat);
	unlink(path);
	snprintf(path, sizeof(path), "%s/db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/db-shm", dir);
	unlink(path);
}

int
main(void)
{
	log_init("test_api_auth", true, LOG_LVL_ERR);
	snprintf(dir, sizeof(dir), "/tmp/xr-test-auth-%d", getpid());
	mkdir(dir, 0700);
	T_RUN(test_token_file);
	T_RUN(test_store_tokens);
	rmdir(dir);
	return t_done();
}
