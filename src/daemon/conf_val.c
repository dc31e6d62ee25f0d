/*
 * Values in the configuration file: each reader consumes one token, checks
 * it against the allowed range or form, and on failure records an error
 * naming the keyword, the value and what is allowed
 * ("hold-time 2 is out of range (0 or 3-65535)").
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/conf_int.h"

#define ASN_RANGE		"1-4294967295"

int
conf_perr(struct conf_parser *P, int line, const char *fmt, ...)
{
	char msg[CONF_ERR_MAX];
	va_list ap;

	if (P->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(P->err, P->errlen, "%s:%d: %s", P->lx->name, line, msg);
	P->failed = true;
	return -1;
}

/* The next token, which must be a value (word or string). */
const struct conf_tok *
conf_expect_value(struct conf_parser *P, const char *after)
{
	const struct conf_tok *t = conf_lex_next(P->lx);

	if (t->type == CTOK_ERROR) {
		conf_perr(P, t->line, "%s", P->lx->err);
		return NULL;
	}
	if (t->type == CTOK_EOF) {
		conf_perr(P, t->line, "unexpected end of file: %s needs a value",
		    after);
		return NULL;
	}
	if (t->type != CTOK_WORD && t->type != CTOK_STRING) {
		conf_perr(P, t->line, "%s needs a value, got '%s'", after, t->s);
		return NULL;
	}
	return t;
}

int
conf_expect_lbrace(struct conf_parser *P, const char *what)
{
	const struct conf_tok *t = conf_lex_next(P->lx);

	if (t->type == CTOK_LBRACE)
		return 0;
	if (t->type == CTOK_ERROR)
		return conf_perr(P, t->line, "%s", P->lx->err);
	if (t->type == CTOK_EOF)
		return conf_perr(P, t->line, "unexpected end of file: expected "
		    "'{' after %s", what);
	return conf_perr(P, t->line, "expected '{' after %s, got '%s'", what,
	    t->s);
}

/* --- values ---------------------------------------------------------- */

int
conf_parse_ulong(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return -1;
	return 0;
}

/* Copy a short token into buf; -1 if it does not fit. */
int
conf_copy_short(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		return -1;
	memcpy(buf, s, n + 1);
	return 0;
}

int
conf_get_u32(struct conf_parser *P, const char *kw, uint32_t lo, uint32_t hi,
    uint32_t *out)
{
	const struct conf_tok *t = conf_expect_value(P, kw);
	unsigned long long v;

	if (t == NULL)
		return -1;
	if (conf_parse_ulong(t->s, &v) == -1)
		return conf_perr(P, t->line, "%s %s is not a number (%u-%u)", kw,
		    t->s, lo, hi);
	if (v < lo || v > hi)
		return conf_perr(P, t->line, "%s %s is out of range (%u-%u)", kw,
		    t->s, lo, hi);
	*out = (uint32_t)v;
	return 0;
}

int
conf_get_u16(struct conf_parser *P, const char *kw, uint16_t lo, uint16_t hi,
    uint16_t *out)
{
	uint32_t v;

	if (conf_get_u32(P, kw, lo, hi, &v) == -1)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* 1..4294967295 in plain or asdot ("1.10") notation; AS_TRANS refused. */
int
conf_get_asn(struct conf_parser *P, const char *kw, uint32_t *out)
{
	const struct conf_tok *t = conf_expect_value(P, kw);
	unsigned long long v, hi, lo;
	char buf[32], *dot;

	if (t == NULL)
		return -1;
	if ((dot = strchr(t->s, '.')) != NULL &&
	    conf_copy_short(buf, sizeof(buf), t->s) == 0) {
		buf[dot - t->s] = '\0';
		if (conf_parse_ulong(buf, &hi) == -1 ||
		    conf_parse_ulong(buf + (dot - t->s) + 1, &lo) == -1 ||
		    hi > 65535 || lo > 65535)
			return conf_perr(P, t->line, "%s %s is not an AS number "
			    "(" ASN_RANGE ", or asdot 0.1-65535.65535)", kw,
			    t->s);
		v = hi << 16 | lo;
	} else if (conf_parse_ulong(t->s, &v) == -1)
		return conf_perr(P, t->line, "%s %s is not an AS number "
		    "(" ASN_RANGE ")", kw, t->s);
	if (v < 1 || v > UINT32_MAX)
		return conf_perr(P, t->line, "%s %s is out of range (" ASN_RANGE
		    ")", kw, t->s);
	if (v == BGP_AS_TRANS)
		return conf_perr(P, t->line, "%s %s is AS_TRANS (RFC 6793), "
		    "reserved for 2-octet compatibility; choose another AS",
		    kw, t->s);
	*out = (uint32_t)v;
	return 0;
}

int
conf_get_addr(struct conf_parser *P, const char *kw, struct addr *a)
{
	const struct conf_tok *t = conf_expect_value(P, kw);

	if (t == NULL)
		return -1;
	if (addr_parse(t->s, a) == -1)
		return conf_perr(P, t->line, "%s %s is not an IP address "
		    "(IPv4 a.b.c.d or IPv6)", kw, t->s);
	return 0;
}

/* A secret (the TCP-MD5 password): errors never quote its value, since
 * they end up in logs and on terminals. */
int
conf_get_secret(struct conf_parser *P, const char *kw, char *dst, size_t max)
{
	const struct conf_tok *t = conf_expect_value(P, kw);

	if (t == NULL)
		return -1;
	if (strlen(t->s) >= max)
		return conf_perr(P, t->line, "%s is too long (%zu bytes, at "
		    "most %zu); its value is not shown", kw, strlen(t->s),
		    max - 1);
	if (t->s[0] == '\0')
		return conf_perr(P, t->line, "%s must not be empty", kw);
	snprintf(dst, max, "%s", t->s);
	return 0;
}

int
conf_get_string(struct conf_parser *P, const char *kw, char *dst, size_t max,
    bool empty_ok)
{
	const struct conf_tok *t = conf_expect_value(P, kw);

	if (t == NULL)
		return -1;
	if (strlen(t->s) >= max)
		return conf_perr(P, t->line, "%s \"%.40s...\" is too long "
		    "(at most %zu bytes)", kw, t->s, max - 1);
	if (!empty_ok && t->s[0] == '\0')
		return conf_perr(P, t->line, "%s must not be empty", kw);
	snprintf(dst, max, "%s", t->s);
	return 0;
}

int
conf_get_yesno(struct conf_parser *P, const char *kw, bool *v)
{
	const struct conf_tok *t = conf_expect_value(P, kw);

	if (t == NULL)
		return -1;
	if (strcmp(t->s, "yes") == 0)
		*v = true;
	else if (strcmp(t->s, "no") == 0)
		*v = false;
	else
		return conf_perr(P, t->line, "%s %s is invalid (yes or no)", kw,
		    t->s);
	return 0;
}

/* --- growing arrays ---------------------------------------------------- */

void *
conf_grow(struct conf_parser *P, void *arr, size_t n, size_t size, int line)
{
	size_t cap;
	void *p;

	/* Capacity doubles from 4, so n elements always fit in the next
	 * power of two: a table of 100,000 routes costs 16 reallocs, not
	 * 100,000 (quadratic copying, minutes under ASan). */
	if (n != 0 && (n < 4 || (n & (n - 1)) != 0)) {
		memset((char *)arr + n * size, 0, size);
		return arr;
	}
	cap = n == 0 ? 4 : 2 * n;
	if (cap > SIZE_MAX / size || (p = realloc(arr, cap * size)) == NULL) {
		conf_perr(P, line, "out of memory");
		return NULL;
	}
	memset((char *)p + n * size, 0, size);
	return p;
}

static const struct {
	const char	*name;
	uint32_t	 value;
} well_known_comm[] = {
	{ "no-export", BGP_COMM_NO_EXPORT },
	{ "no-advertise", BGP_COMM_NO_ADVERTISE },
	{ "no-export-subconfed", BGP_COMM_NO_EXPORT_SUBCONFED },
	{ "blackhole", BGP_COMM_BLACKHOLE },
};

int
conf_community_value(const char *s, uint32_t *v)
{
	unsigned long long hi, lo;
	char buf[32], *colon;
	size_t i;

	for (i = 0; i < sizeof(well_known_comm) / sizeof(well_known_comm[0]);
	    i++)
		if (strcmp(s, well_known_comm[i].name) == 0) {
			*v = well_known_comm[i].value;
			return 0;
		}
	if (conf_copy_short(buf, sizeof(buf), s) == -1 ||
	    (colon = strchr(buf, ':')) == NULL)
		return -1;
	*colon = '\0';
	if (conf_parse_ulong(buf, &hi) == -1 || conf_parse_ulong(colon + 1, &lo) == -1 ||
	    hi > 65535 || lo > 65535)
		return -1;
	*v = (uint32_t)(hi << 16 | lo);
	return 0;
}
