/*
 * The monitoring statements of xrouted.conf: mrt table|messages and
 * bmp collector, with their error messages.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "daemon/conf.h"
#include "t.h"

#define HDR	"router-id 192.0.2.1\nas 65001\n"

static void
test_good(void)
{
	struct xr_conf *c;
	char err[CONF_ERR_MAX] = "";
	struct addr a;

	T_EQ(conf_parse_string("t.conf", HDR
	    "mrt table \"/var/x/rib-%Y%m%d%H%M\" interval 300 context c1\n"
	    "mrt messages \"/var/x/upd.mrt\"\n"
	    "bmp collector 10.0.0.9 port 1790 stats-interval 30\n"
	    "bmp collector 2001:db8::9\n", &c, err, sizeof(err)), 0);
	T_STREQ(err, "");
	if (c == NULL)
		return;
	T_EQ(c->nmrts, 2);
	T_EQ(c->mrts[0].kind, MRT_KIND_TABLE);
	T_STREQ(c->mrts[0].path, "/var/x/rib-%Y%m%d%H%M");
	T_EQ(c->mrts[0].interval, 300);
	T_STREQ(c->mrts[0].ctx, "c1");
	T_EQ(c->mrts[1].kind, MRT_KIND_MESSAGES);
	T_EQ(c->mrts[1].interval, 0);
	T_STREQ(c->mrts[1].ctx, "");
	T_EQ(c->nbmps, 2);
	T_EQ(addr_parse("10.0.0.9", &a), 0);
	T_EQ(addr_cmp(&c->bmps[0].addr, &a), 0);
	T_EQ(c->bmps[0].port, 1790);
	T_EQ(c->bmps[0].stats_interval, 30);
	T_EQ(c->bmps[1].port, BMP_PORT_DEFAULT);
	T_EQ(c->bmps[1].addr.af, AF_INET6);
	conf_free(c);
}

static void
test_errors(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ HDR "mrt rib \"/x\"\n",
		  "t.conf:3: mrt rib is invalid (table or messages)" },
		{ HDR "mrt table \"/x\"\n",
		  "t.conf:3: mrt table \"/x\" needs an interval (seconds "
		  "between dumps, 1-604800); use 'xrctl dump mrt table' for a "
		  "single dump" },
		{ HDR "mrt messages \"/x\"\nmrt table \"/x\" interval 5\n",
		  "t.conf:4: mrt file \"/x\" is given twice" },
		{ HDR "bmp station 10.0.0.1\n",
		  "t.conf:3: bmp station is invalid (expected 'bmp collector "
		  "ADDRESS')" },
		{ HDR "bmp collector 10.0.0.1\nbmp collector 10.0.0.1\n",
		  "t.conf:4: bmp collector 10.0.0.1 port 11019 is given "
		  "twice" },
	};
	struct xr_conf *c;
	char err[CONF_ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		T_EQ(conf_parse_string("t.conf", bad[i].text, &c, err,
		    sizeof(err)), -1);
		T_CHECK(c == NULL);
		T_STREQ(err, bad[i].msg);
	}
	/* Range errors come from the shared value readers. */
	T_EQ(conf_parse_string("t.conf", HDR "mrt table \"/x\" interval 0\n",
	    &c, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "interval") != NULL);
	T_EQ(conf_parse_string("t.conf", HDR "bmp collector 10.0.0.1 port "
	    "0\n", &c, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "port") != NULL);
}

int
main(void)
{
	T_RUN(test_good);
	T_RUN(test_errors);
	return t_done();
}
