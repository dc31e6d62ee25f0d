/*
 * Internals shared by the BGP codec files in src/wire/ and nothing else:
 * the attribute parser state, the AS path helpers that work on 2-octet
 * paths, and small byte helpers. Not part of the wire interface.
 */
#ifndef XR_WIRE_BGP_PRIV_H
#define XR_WIRE_BGP_PRIV_H

#include "wire/bgp.h"

static inline uint16_t
bgp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
bgp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
bgp_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
bgp_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Fill err; data is truncated to what struct bgp_err holds. */
void	bgp_err_set(struct bgp_err *, uint8_t code, uint8_t subcode,
	    const void *data, size_t datalen);

/*
 * State of one UPDATE's path attribute parse (bgp_attr.c), filled in
 * attribute by attribute and finished by bgp_update.c.
 */
struct bgp_adec {
	const struct bgp_decode_ctx *ctx;
	struct bgp_update	*u;
	struct bgp_err		*err;
	uint64_t		 seen[4];	/* 256 type bits, duplicates */
	const uint8_t		*attr;		/* current attribute, whole */
	size_t			 attr_len;
	uint8_t			 flags;
	uint8_t			 subcode;	/* override for session reset */
	const char		*why;		/* set by a failing decoder */
	/* from a 2-octet speaker: merged after all attributes are seen */
	const uint8_t		*aspath2;
	uint16_t		 aspath2_len;
	bool			 has_aspath2;
	const uint8_t		*as4path;
	uint16_t		 as4path_len;
	bool			 has_as4path;
	bool			 has_as4aggr;
	uint32_t		 as4aggr_as;
	uint32_t		 as4aggr_id;
	bool			 mp_seen;	/* MP_REACH or MP_UNREACH parsed */
	size_t			 scratch_used;
};

/* Per-attribute descriptors (bgp_attr.c). */
enum { ALEN_ANY, ALEN_FIXED, ALEN_MULT };

/* What a decoder says: keep the attribute, drop it quietly, or malformed. */
enum { ADEC_KEEP = 0, ADEC_IGNORE = 1, ADEC_BAD = -1 };

typedef int	attr_dec_fn(struct bgp_adec *, struct rbuf *);
typedef void	attr_enc_fn(struct wbuf *, const struct bgp_pattrs *,
		    enum bgp_fam, const struct bgp_encode_ctx *);

struct bgp_attr_desc {
	const char	*name;
	uint8_t		 flags;		/* required Optional|Transitive */
	uint8_t		 len_rule;	/* ALEN_* */
	uint8_t		 len;		/* the fixed length or the multiple */
	uint8_t		 subcode;	/* NOTIFICATION subcode on reset */
	enum bgp_7606	 on_error;	/* RFC 7606 section 7 */
	bool		 ebgp_discard;	/* never accepted from eBGP */
	attr_dec_fn	*decode;
	attr_enc_fn	*encode;
};

/* The descriptor of a type; name is NULL for types we do not know. */
const struct bgp_attr_desc *bgp_attr_desc(uint8_t type);

/* Parse the path attribute section; -1 means session reset (err set). */
int	bgp_attrs_decode(struct bgp_adec *, struct rbuf *attrs);
/* Raise u->action to 'a' (worst wins), keeping the reason of the worst. */
void	bgp_update_raise(struct bgp_update *, enum bgp_7606 a,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Check an NLRI section is a clean sequence of prefixes of <= maxbits. */
int	bgp_nlri_check(const uint8_t *p, size_t len, unsigned maxbits);

/* AS paths with 'asz'-octet ASes (2 or 4). */
int	bgp_aspath_check(const uint8_t *p, size_t len, unsigned asz,
	    bool no_confed, const char **why);
unsigned bgp_aspath_count_sz(const uint8_t *p, size_t len, unsigned asz);
/* Widen a 2-octet path into out (2 * len bytes); returns the new length. */
size_t	bgp_aspath_widen(const uint8_t *p, size_t len, uint8_t *out);
/*
 * RFC 6793 4.2.3: rebuild the path from a 2-octet AS_PATH and a 4-octet
 * AS4_PATH into out (room for 2 * len2 + len4 bytes); returns the length.
 */
size_t	bgp_aspath_merge(const uint8_t *p2, size_t len2, const uint8_t *p4,
	    size_t len4, uint8_t *out);
/*
 * Write a 4-octet path as 2-octet ASes (AS_TRANS for wide ones) into out
 * (len / 2 bytes at most); *wide tells whether AS4_PATH is needed.
 * Confederation segments are kept.
 */
size_t	bgp_aspath_narrow(const uint8_t *p, size_t len, uint8_t *out,
	    bool *wide);
/* Does an AS outside confederation segments need more than 2 octets? */
bool	bgp_aspath_wide(const uint8_t *p, size_t len);
/* The path without confederation segments (for AS4_PATH); out may be
 * NULL to learn the length. */
size_t	bgp_aspath_noconfed(const uint8_t *p, size_t len, uint8_t *out);

#endif
