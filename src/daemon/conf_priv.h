/*
 * Internals of the configuration parser shared by conf.c (blocks and
 * statements) and conf_val.c (values: numbers, AS numbers, addresses,
 * strings, with the range-naming error messages).
 */
#ifndef XR_DAEMON_CONF_PRIV_H
#define XR_DAEMON_CONF_PRIV_H

#include "daemon/conf.h"
#include "daemon/conf_lex.h"

struct conf_parser {
	struct xr_conf		*conf;
	struct conf_lexer	*lx;
	char			*err;
	size_t			 errlen;
	bool			 failed;
	int			 depth;		/* include nesting */
};

/* Record "NAME:LINE: message" (the first error wins); returns -1. */
int	conf_perr(struct conf_parser *, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
const struct conf_tok *conf_expect_value(struct conf_parser *, const char *after);
int	conf_expect_lbrace(struct conf_parser *, const char *what);
int	conf_parse_ulong(const char *, unsigned long long *);
int	conf_copy_short(char *buf, size_t size, const char *s);
int	conf_get_u32(struct conf_parser *, const char *kw, uint32_t lo, uint32_t hi,
	    uint32_t *);
int	conf_get_u16(struct conf_parser *, const char *kw, uint16_t lo, uint16_t hi,
	    uint16_t *);
int	conf_get_asn(struct conf_parser *, const char *kw, uint32_t *);
int	conf_get_addr(struct conf_parser *, const char *kw, struct addr *);
int	conf_get_string(struct conf_parser *, const char *kw, char *dst, size_t max,
	    bool empty_ok);
int	conf_get_yesno(struct conf_parser *, const char *kw, bool *);
bool	conf_name_ok(const char *);
/* Room for one more zeroed element at arr[n]; NULL (error set) if not. */
void	*conf_grow(struct conf_parser *, void *arr, size_t n, size_t size, int line);

#endif
