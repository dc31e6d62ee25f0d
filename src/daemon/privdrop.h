/*
 * Dropping root: after the sockets are bound, the daemon switches to an
 * unprivileged user and keeps only the capabilities it needs at run time
 * (CAP_NET_ADMIN for routes, TCP-MD5 keys and nftables counters;
 * CAP_NET_BIND_SERVICE to rebind port 179 on reload). Everything else is
 * also removed from the bounding set, so no exec can get it back.
 */
#ifndef XR_DAEMON_PRIVDROP_H
#define XR_DAEMON_PRIVDROP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Switch to 'user' (and its primary group, or 'group' if not NULL) keeping
 * the capabilities in 'keep' (a bit mask of CAP_* numbers). Returns 0, or
 * -1 with a message in 'err'.
 */
int	priv_drop(const char *user, const char *group, uint64_t keep,
	    char *err, size_t errlen);
/* The effective capability mask of this process (from /proc/self/status). */
uint64_t priv_cap_effective(void);

#define PRIV_KEEP_DEFAULT \
	((1ULL << 12 /* CAP_NET_ADMIN */) | (1ULL << 10 /* CAP_NET_BIND_SERVICE */))

#endif
