/*
 * Addresses and prefixes. One small struct for both families; IPv4 lives in
 * the first 4 bytes of 'b' in network order. Host bits beyond 'len' are
 * always zero (prefix_make() masks them), so prefixes compare and hash as
 * plain bytes.
 */
#ifndef XR_LIB_ADDR_H
#define XR_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */
#define PREFIX_STRLEN	(ADDR_STRLEN + 4)

struct addr {
	uint8_t		af;		/* AF_INET or AF_INET6 */
	uint8_t		b[16];
};

struct prefix {
	uint8_t		af;
	uint8_t		len;
	uint8_t		b[16];
};

static inline size_t
addr_bytes(int af)
{
	return af == AF_INET6 ? 16 : 4;
}

/* Parse "a.b.c.d" or an IPv6 literal; 0 ok, -1 bad. */
int	addr_parse(const char *, struct addr *);
/* Parse "a.b.c.d/n" or "x::/n"; a bare address is a host prefix. With
 * 'strict', set host bits are an error; otherwise they are cleared. */
int	prefix_parse(const char *, struct prefix *, bool strict);
const char *addr_ntop(const struct addr *, char *, size_t);
const char *prefix_ntop(const struct prefix *, char *, size_t);
/* Build a prefix from len and address bytes, clearing host bits. */
void	prefix_make(struct prefix *, int af, const void *bytes, uint8_t len);
int	addr_cmp(const struct addr *, const struct addr *);
int	prefix_cmp(const struct prefix *, const struct prefix *);
bool	prefix_contains(const struct prefix *outer, const struct prefix *in);
bool	prefix_has_addr(const struct prefix *, const struct addr *);
/* sockaddr conversion; the port is in host order. */
socklen_t addr_to_sockaddr(const struct addr *, uint16_t port,
	    struct sockaddr_storage *);
int	addr_from_sockaddr(const struct sockaddr *, struct addr *,
	    uint16_t *port);

#endif
