/*
 * Internal to the configuration parser (conf.c, conf_er.c): the parser
 * state and the value readers every block uses. Each reader consumes one
 * value token, checks it, and on error records "FILE:LINE: message" naming
 * the value and what is allowed.
 */
#ifndef XR_DAEMON_CONF_INT_H
#define XR_DAEMON_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

int	conf_perr(struct conf_parser *, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
const struct conf_tok *conf_expect_value(struct conf_parser *, const char *after);
int	conf_expect_lbrace(struct conf_parser *, const char *what);
int	conf_parse_ulong(const char *, unsigned long long *);
int	conf_copy_short(char *buf, size_t size, const char *s);
int	conf_get_u32(struct conf_parser *, const char *kw, uint32_t lo, uint32_t hi,
	    uint32_t *out);
int	conf_get_u16(struct conf_parser *, const char *kw, uint16_t lo, uint16_t hi,
	    uint16_t *out);
int	conf_get_asn(struct conf_parser *, const char *kw, uint32_t *out);
int	conf_get_addr(struct conf_parser *, const char *kw, struct addr *);
int	conf_get_secret(struct conf_parser *, const char *kw, char *dst,
	    size_t max);
int	conf_get_string(struct conf_parser *, const char *kw, char *dst, size_t max,
	    bool empty_ok);
int	conf_get_yesno(struct conf_parser *, const char *kw, bool *);
/* Room for element n of arr (n elements so far, all added through here);
 * the new element is zeroed. */
void	*conf_grow(struct conf_parser *, void *arr, size_t n, size_t size, int line);

/* conf_er.c: neighbor statements for ExpressRoute policy and BFD.
 * Returns 1 if 'kw' is not one of them, else 0 or -1. */
int	conf_er_nb_stmt(struct conf_parser *, struct conf_neighbor *,
	    const struct conf_tok *kw);
int	conf_er_nb_check(struct conf_parser *, struct conf_neighbor *,
	    const char *addr);
/* Context statements (kernel-table, ingress-interface); same return
 * convention. */
int	conf_er_ctx_stmt(struct conf_parser *, struct conf_ctx *,
	    const struct conf_tok *kw);
/* conf_mon.c: mrt and bmp statements; same return convention. */
int	conf_mon_stmt(struct conf_parser *, const struct conf_tok *kw);
/* Parse "ASN:VALUE" or a well-known name; -1 if neither. */
int	conf_community_value(const char *, uint32_t *);

#endif
