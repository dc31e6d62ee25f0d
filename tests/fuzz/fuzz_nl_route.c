/*
 * libFuzzer target for the rtnetlink reply parsers of src/fib (nl.h):
 * the input is a receive buffer of netlink messages. Every message is
 * handed to every parser (its type forced to one each parser takes), so
 * route, rule, neighbour, link and error parsing all see every shape.
 * A route that parses is built again and re-parsed; its key must
 * survive the round trip.
 */
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include "fib/nl.h"

static void
roundtrip(const struct nl_route *rt)
{
	uint8_t buf[2048];
	struct nl_route again;
	struct nl_msg m;
	struct rbuf r;
	int n;

	n = nl_route_build(buf, sizeof(buf), RTM_NEWROUTE, NLM_F_REQUEST, 1,
	    rt);
	if (n < 0)
		return;
	rbuf_init(&r, buf, (size_t)n);
	if (nl_msg_next(&r, &m) != 1 || nl_route_parse(&m, &again) != NL_OK)
		abort();
	if (prefix_cmp(&again.dst, &rt->dst) != 0 ||
	    again.table != rt->table || again.protocol != rt->protocol ||
	    again.priority != rt->priority)
		abort();
}

static void
one(const struct nl_msg *in)
{
	static const uint16_t types[] = { RTM_NEWROUTE, RTM_NEWRULE,
	    RTM_NEWNEIGH, RTM_NEWLINK, NLMSG_ERROR };
	struct nl_msg m = *in;
	struct nl_route rt;
	struct nl_rule ru;
	struct fib_neigh ne;
	struct fib_link li;
	char msg[128];
	size_t i;
	int err;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		m.type = types[i];
		switch (types[i]) {
		case RTM_NEWROUTE:
			if (nl_route_parse(&m, &rt) == NL_OK)
				roundtrip(&rt);
			break;
		case RTM_NEWRULE:
			nl_rule_parse(&m, &ru);
			break;
		case RTM_NEWNEIGH:
			nl_neigh_parse(&m, &ne, 100);
			break;
		case RTM_NEWLINK:
			nl_link_parse(&m, &li);
			break;
		case NLMSG_ERROR:
			m.flags = in->flags;
			nl_err_parse(&m, &err, msg, sizeof(msg));
			break;
		}
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rbuf r;
	struct nl_msg m;

	rbuf_init(&r, data, size);
	while (nl_msg_next(&r, &m) == 1)
		one(&m);
	return 0;
}
