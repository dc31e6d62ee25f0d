/*
 * The edge's half of the connectivity test (spec section 9.3): a counting
 * ACL in nftables, a table of our own (inet xroute_conntest) with one pair
 * of base chains per tested peering:
 *
 *   chain tXXXXXXXX_rx  hook prerouting  priority -300 (raw, before
 *                       conntrack): iifname LINK, src -> dst  "received"
 *   chain tXXXXXXXX_tx  hook postrouting priority 300 (last): oifname
 *                       LINK, dst -> src                       "sent"
 *
 * Base chains of their own (not rules in a shared chain) make starting and
 * stopping one peering's test independent of every other: flush + delete
 * of two chains, no rule handles to track. The table goes when the last
 * test stops, and at start-up (a crashed edge leaves no stale counters).
 *
 * Why the nft command and not netlink with libmnl: nftables rules are
 * bytecode (payload/meta/cmp/counter expressions with their register
 * layout, set up in NFT_MSG_NEWRULE batches), which libnftnl exists to
 * build and which we do not have; encoding it by hand for a diagnostic
 * that runs a few times a day would be a large, fragile codec. nft is the
 * reference compiler, applies a whole -f script in one transaction, and
 * its JSON output (-j) is a documented, stable interface for reading the
 * counters. The cost is a fork+exec (a few ms, on the event loop) per
 * start, read and stop. Everything interpolated into the script is
 * re-rendered here from parsed values (addresses, integers, a fixed
 * protocol list, our own interface names), never copied from the store.
 *
 * When xrouted has dropped root it keeps CAP_NET_ADMIN; the child raises
 * it as an ambient capability so nft keeps it across exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <linux/capability.h>

#include "lib/log.h"
#include "reconcile/rc_views.h"

#define NFT_TABLE	"inet xroute_conntest"
#define NFT_OUT_MAX	(256 * 1024)

static void
keep_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (getuid() == 0 || syscall(SYS_capget, &h, d) == -1)
		return;
	d[0].inheritable |= 1u << CAP_NET_ADMIN;
	if (syscall(SYS_capset, &h, d) == 0)
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0,
		    0);
}

static void
child(int in, int out, char *const argv[])
{
	static const char *const nft[] = { "/usr/sbin/nft", "/sbin/nft",
	    "/usr/bin/nft", NULL };
	sigset_t none;

	/* the daemon blocks the signals it reads from a signalfd; nft
	 * should die of them normally */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);		/* nft's error text is what we report */
	keep_net_admin();
	for (int i = 0; nft[i] != NULL; i++)
		execv(nft[i], argv);
	execvp("nft", argv);
	{
		char msg[160];
		int n = snprintf(msg, sizeof(msg), "cannot run nft: %s "
		    "(install the nftables package)", strerror(errno));

		if (n > 0 && write(1, msg, (size_t)n) == -1)
			_exit(126);
	}
	_exit(127);
}

/*
 * Run nft with 'args' (NULL-terminated, after argv[0]) and 'input' on its
 * standard input; its output in *out (caller frees). 0 when nft succeeded.
 */
static int
nft_run(const char *const *args, const char *input, char **out)
{
	char *argv[8], *buf;
	int pin[2], pout[2], st, n = 0;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)"nft";
	while (*args != NULL && n < 7)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	*out = NULL;
	if (pipe2(pin, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(pout, O_CLOEXEC) == -1) {
		close(pin[0]);
		close(pin[1]);
		return -1;
	}
	if ((pid = fork()) == 0)
		child(pin[0], pout[1], argv);
	close(pin[0]);
	close(pout[1]);
	/* scripts are a few hundred bytes: far below the pipe's buffer */
	if (pid > 0 && input != NULL && write(pin[1], input,
	    strlen(input)) == -1)
		log_warn("conntest: writing to nft: %s", strerror(errno));
	close(pin[1]);
	buf = malloc(NFT_OUT_MAX + 1);
	while (buf != NULL && len < NFT_OUT_MAX && (r = read(pout[0],
	    buf + len, NFT_OUT_MAX - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			break;
		len += (size_t)r;
	}
	close(pout[0]);
	if (buf != NULL)
		buf[len] = '\0';
	*out = buf;
	if (pid == -1)
		return -1;
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void
trim(char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int
script(const char *text, char *err, size_t errlen)
{
	static const char *const args[] = { "-f", "-", NULL };
	char *out;
	int rc = nft_run(args, text, &out);

	if (rc == -1) {
		trim(out);
		snprintf(err, errlen, "nft: %s", out && *out ? out :
		    "failed");
	}
	free(out);
	return rc;
}

void
rc_nft_cleanup(bool quiet)
{
	char err[512];

	/* add is idempotent, so the delete cannot fail for want of it */
	if (script("add table " NFT_TABLE "\ndelete table " NFT_TABLE "\n",
	    err, sizeof(err)) == -1 && !quiet)
		log_warn("conntest: %s", err);
}

static void
match(char *buf, size_t len, const struct rc_conntest *t, bool reply)
{
	const char *fam = t->src.af == AF_INET6 ? "ip6" : "ip";
	const char *l4 = t->proto == RC_CT_TCP ? "tcp" : "udp";
	char s[PREFIX_STRLEN], d[PREFIX_STRLEN], ports[64] = "";
	uint16_t sp = reply ? t->dport : t->sport;
	uint16_t dp = reply ? t->sport : t->dport;
	size_t n;

	prefix_ntop(reply ? &t->dst : &t->src, s, sizeof(s));
	prefix_ntop(reply ? &t->src : &t->dst, d, sizeof(d));
	if (t->proto == RC_CT_TCP || t->proto == RC_CT_UDP) {
		n = (size_t)snprintf(ports, sizeof(ports), "meta l4proto %s",
		    l4);
		if (sp != 0)
			n += (size_t)snprintf(ports + n, sizeof(ports) - n,
			    " %s sport %u", l4, sp);
		if (dp != 0)
			snprintf(ports + n, sizeof(ports) - n, " %s dport %u",
			    l4, dp);
	} else if (t->proto == RC_CT_ICMP)
		snprintf(ports, sizeof(ports), "meta l4proto %s",
		    t->src.af == AF_INET6 ? "ipv6-icmp" : "icmp");
	snprintf(buf, len, "%s saddr %s %s daddr %s %s", fam, s, fam, d,
	    ports);
}

int
rc_nft_start(const struct rc_conntest *t, char *err, size_t errlen)
{
	char text[2048], rx[512], tx[512];

	match(rx, sizeof(rx), t, false);
	match(tx, sizeof(tx), t, true);
	snprintf(text, sizeof(text),
	    "table %s {\n"
	    "  chain %s_rx { type filter hook prerouting priority -300; "
	    "policy accept; }\n"
	    "  chain %s_tx { type filter hook postrouting priority 300; "
	    "policy accept; }\n"
	    "}\n"
	    "flush chain %s %s_rx\n"
	    "flush chain %s %s_tx\n"
	    "add rule %s %s_rx iifname \"%s\" %s counter\n"
	    "add rule %s %s_tx oifname \"%s\" %s counter\n",
	    NFT_TABLE, t->chain, t->chain, NFT_TABLE, t->chain, NFT_TABLE,
	    t->chain, NFT_TABLE, t->chain, t->ifname, rx, NFT_TABLE, t->chain,
	    t->ifname, tx);
	return script(text, err, errlen);
}

/* Sum of the counter expressions of one chain (nft -j list chain). */
static int
chain_packets(const char *chain, uint64_t *packets, char *err,
    size_t errlen)
{
	char name[64], *out;
	const char *args[] = { "-j", "list", "chain", "inet",
	    "xroute_conntest", name, NULL };
	json_t *j, *items, *it, *expr, *e;
	size_t i, k;

	snprintf(name, sizeof(name), "%s", chain);
	*packets = 0;
	if (nft_run(args, NULL, &out) == -1 || out == NULL ||
	    (j = json_loads(out, 0, NULL)) == NULL) {
		trim(out);
		snprintf(err, errlen, "nft: %s", out && *out ? out :
		    "cannot read the counters");
		free(out);
		return -1;
	}
	free(out);
	items = json_object_get(j, "nftables");
	json_array_foreach(items, i, it) {
		expr = json_object_get(json_object_get(it, "rule"), "expr");
		json_array_foreach(expr, k, e)
			*packets += (uint64_t)json_integer_value(
			    json_object_get(json_object_get(e, "counter"),
			    "packets"));
	}
	json_decref(j);
	return 0;
}

int
rc_nft_read(const struct rc_conntest *t, uint64_t *rx, uint64_t *tx,
    char *err, size_t errlen)
{
	char c[64];

	snprintf(c, sizeof(c), "%s_rx", t->chain);
	if (chain_packets(c, rx, err, errlen) == -1)
		return -1;
	snprintf(c, sizeof(c), "%s_tx", t->chain);
	return chain_packets(c, tx, err, errlen);
}

int
rc_nft_stop(const struct rc_conntest *t, bool last, char *err,
    size_t errlen)
{
	char text[512];

	if (last)
		snprintf(text, sizeof(text), "delete table %s\n", NFT_TABLE);
	else
		snprintf(text, sizeof(text), "flush chain %s %s_rx\n"
		    "flush chain %s %s_tx\ndelete chain %s %s_rx\n"
		    "delete chain %s %s_tx\n", NFT_TABLE, t->chain, NFT_TABLE,
		    t->chain, NFT_TABLE, t->chain, NFT_TABLE, t->chain);
	return script(text, err, errlen);
}
