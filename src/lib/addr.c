/* Address and prefix parsing, printing and comparison; see addr.h. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

int
addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	return -1;
}

void
prefix_make(struct prefix *p, int af, const void *bytes, uint8_t len)
{
	size_t n = addr_bytes(af), full = len / 8;

	memset(p, 0, sizeof(*p));
	p->af = (uint8_t)af;
	p->len = len;
	memcpy(p->b, bytes, (size_t)(len + 7) / 8 > n ? n : (size_t)(len + 7) / 8);
	if (len % 8 && full < n)
		p->b[full] &= (uint8_t)(0xff << (8 - len % 8));
}

int
prefix_parse(const char *s, struct prefix *p, bool strict)
{
	char buf[PREFIX_STRLEN];
	struct addr a;
	const char *slash = strchr(s, '/');
	char *end;
	long len;
	size_t alen;

	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (addr_parse(buf, &a) == -1)
		return -1;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		len = strtol(slash + 1, &end, 10);
		if (*end != '\0' || len < 0 ||
		    len > (long)addr_bytes(a.af) * 8)
			return -1;
	} else
		len = (long)addr_bytes(a.af) * 8;
	prefix_make(p, a.af, a.b, (uint8_t)len);
	if (strict && memcmp(p->b, a.b, addr_bytes(a.af)) != 0)
		return -1;
	return 0;
}

const char *
addr_ntop(const struct addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->af == AF_INET6 ? AF_INET6 : AF_INET, a->b, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

const char *
prefix_ntop(const struct prefix *p, char *buf, size_t len)
{
	char ab[ADDR_STRLEN];

	if (inet_ntop(p->af == AF_INET6 ? AF_INET6 : AF_INET, p->b, ab,
	    sizeof(ab)) == NULL)
		snprintf(ab, sizeof(ab), "?");
	snprintf(buf, len, "%s/%u", ab, p->len);
	return buf;
}

int
addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(a->b, b->b, addr_bytes(a->af));
}

int
prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if ((c = memcmp(a->b, b->b, addr_bytes(a->af))) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static bool
bits_match(const uint8_t *x, const uint8_t *y, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(x, y, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((x[full] ^ y[full]) & (0xff << (8 - rest))) == 0;
}

bool
prefix_contains(const struct prefix *outer, const struct prefix *in)
{
	if (outer->af != in->af || outer->len > in->len)
		return false;
	return bits_match(outer->b, in->b, outer->len);
}

bool
prefix_has_addr(const struct prefix *p, const struct addr *a)
{
	return p->af == a->af && bits_match(p->b, a->b, p->len);
}

socklen_t
addr_to_sockaddr(const struct addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->b, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->b, 4);
	return sizeof(*s4);
}

int
addr_from_sockaddr(const struct sockaddr *sa, struct addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;
		a->af = AF_INET;
		memcpy(a->b, &s4->sin_addr, 4);
		if (port)
			*port = ntohs(s4->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		/* An IPv4-mapped peer is an IPv4 peer. */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a->af = AF_INET;
			memcpy(a->b, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			a->af = AF_INET6;
			memcpy(a->b, &s6->sin6_addr, 16);
		}
		if (port)
			*port = ntohs(s6->sin6_port);
		return 0;
	}
	return -1;
}
