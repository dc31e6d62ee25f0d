/*
 * AS paths (RFC 4271 4.3 and 9.1.2.2, RFC 5065 section 3 for confederation
 * segments, RFC 6793 for 4-octet ASes, RFC 7606 7.2 for what is malformed,
 * RFC 7607 for AS 0). Paths held by xroute are always 4-octet segments
 * {type, count, count x u32}; the 2-octet form exists only on the wire to
 * old speakers and is converted here.
 */
#include <stdio.h>
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_priv.h"

static inline uint32_t
as_get(const uint8_t *p, unsigned asz)
{
	return asz == 4 ? bgp_get32(p) : bgp_get16(p);
}

static inline bool
seg_confed(uint8_t t)
{
	return t == BGP_SEG_CONFED_SEQ || t == BGP_SEG_CONFED_SET;
}

/*
 * RFC 7606 7.2: malformed when a segment type is unknown, a count is zero,
 * a segment overruns the attribute or the attribute ends inside a header.
 * RFC 7607: AS 0 makes the path malformed too.
 */
int
bgp_aspath_check(const uint8_t *p, size_t len, unsigned asz, bool no_confed,
    const char **why)
{
	size_t pos = 0, i, n;

	while (pos < len) {
		if (len - pos < 2) {
			*why = "attribute ends inside a segment header";
			return -1;
		}
		if (p[pos] < BGP_SEG_SET || p[pos] > BGP_SEG_CONFED_SET) {
			*why = "unknown segment type";
			return -1;
		}
		if (no_confed && seg_confed(p[pos])) {
			*why = "confederation segment from an external peer";
			return -1;
		}
		n = p[pos + 1];
		if (n == 0) {
			*why = "empty segment";
			return -1;
		}
		pos += 2;
		if (len - pos < n * asz) {
			*why = "segment overruns attribute";
			return -1;
		}
		for (i = 0; i < n; i++, pos += asz) {
			if (as_get(p + pos, asz) == 0) {
				*why = "AS 0 in path";
				return -1;
			}
		}
	}
	return 0;
}

unsigned
bgp_aspath_count_sz(const uint8_t *p, size_t len, unsigned asz)
{
	size_t pos = 0;
	unsigned n = 0;

	while (len - pos >= 2) {
		if (p[pos] == BGP_SEG_SEQUENCE)
			n += p[pos + 1];
		else if (p[pos] == BGP_SEG_SET)
			n++;
		pos += 2 + (size_t)p[pos + 1] * asz;
		if (pos > len)
			break;
	}
	return n;
}

unsigned
bgp_aspath_count(const uint8_t *path, size_t len)
{
	return bgp_aspath_count_sz(path, len, 4);
}

bool
bgp_aspath_contains(const uint8_t *p, size_t len, uint32_t asn)
{
	size_t pos = 0, end;

	while (len - pos >= 2) {
		end = pos + 2 + (size_t)p[pos + 1] * 4;
		if (end > len)
			break;
		for (pos += 2; pos < end; pos += 4)
			if (bgp_get32(p + pos) == asn)
				return true;
	}
	return false;
}

uint32_t
bgp_aspath_first(const uint8_t *p, size_t len)
{
	size_t pos = 0;

	while (len - pos >= 2) {
		if (p[pos + 1] == 0 || len - pos - 2 < (size_t)p[pos + 1] * 4)
			return 0;
		if (p[pos] == BGP_SEG_SEQUENCE)
			return bgp_get32(p + pos + 2);
		if (!seg_confed(p[pos]))
			return 0;
		pos += 2 + (size_t)p[pos + 1] * 4;
	}
	return 0;
}

int
bgp_aspath_prepend(struct wbuf *w, const uint8_t *p, size_t len,
    uint32_t asn, unsigned times)
{
	unsigned n;

	/* fold into a leading SEQUENCE when it has room for them all */
	if (times > 0 && len >= 2 && p[0] == BGP_SEG_SEQUENCE &&
	    p[1] + times <= 255) {
		wbuf_put_u8(w, BGP_SEG_SEQUENCE);
		wbuf_put_u8(w, (uint8_t)(p[1] + times));
		while (times-- > 0)
			wbuf_put_u32(w, asn);
		wbuf_put_bytes(w, p + 2, len - 2);
		return w->err ? -1 : 0;
	}
	while (times > 0) {
		n = times > 255 ? 255 : times;
		times -= n;
		wbuf_put_u8(w, BGP_SEG_SEQUENCE);
		wbuf_put_u8(w, (uint8_t)n);
		while (n-- > 0)
			wbuf_put_u32(w, asn);
	}
	wbuf_put_bytes(w, p, len);
	return w->err ? -1 : 0;
}

size_t
bgp_aspath_widen(const uint8_t *p, size_t len, uint8_t *out)
{
	size_t pos = 0, o = 0, n;

	while (len - pos >= 2) {
		n = p[pos + 1];
		if (len - pos - 2 < n * 2)
			break;
		out[o++] = p[pos];
		out[o++] = p[pos + 1];
		for (pos += 2; n > 0; n--, pos += 2, o += 4)
			bgp_put32(out + o, bgp_get16(p + pos));
	}
	return o;
}

/* Append one segment, joining it to the SEQUENCE at 'last' if it has room. */
static size_t
seg_append(uint8_t *out, size_t o, size_t *last, uint8_t type,
    const uint8_t *as4, size_t n)
{
	if (*last != (size_t)-1 && out[*last] == type &&
	    type == BGP_SEG_SEQUENCE && out[*last + 1] + n <= 255) {
		out[*last + 1] += (uint8_t)n;
	} else {
		*last = o;
		out[o++] = type;
		out[o++] = (uint8_t)n;
	}
	memcpy(out + o, as4, n * 4);
	return o + n * 4;
}

size_t
bgp_aspath_merge(const uint8_t *p2, size_t len2, const uint8_t *p4,
    size_t len4, uint8_t *out)
{
	unsigned n2, n4, keep;
	size_t pos = 0, o = 0, last = (size_t)-1, n, take, i;
	uint8_t wide[255 * 4];
	uint8_t type;
	bool leading = true;		/* only confederation segments so far */

	n2 = bgp_aspath_count_sz(p2, len2, 2);
	n4 = bgp_aspath_count_sz(p4, len4, 4);
	if (n2 < n4)
		return bgp_aspath_widen(p2, len2, out);
	keep = n2 - n4;
	/*
	 * Take ASes from the front of AS_PATH until as many remain as
	 * AS4_PATH holds; confederation segments come along when they
	 * lead (all of them, however many) or sit among the ASes taken
	 * (RFC 6793 4.2.3).
	 */
	while (len2 - pos >= 2) {
		type = p2[pos];
		n = p2[pos + 1];
		if (len2 - pos - 2 < n * 2)
			break;
		if (!seg_confed(type))
			leading = false;
		if (keep == 0 && !(seg_confed(type) && leading))
			break;
		if (type == BGP_SEG_SEQUENCE)
			take = n < keep ? n : keep;
		else
			take = n;
		for (i = 0; i < take; i++)
			bgp_put32(wide + i * 4, bgp_get16(p2 + pos + 2 + i * 2));
		last = (size_t)-1;
		o = seg_append(out, o, &last, type, wide, take);
		if (type == BGP_SEG_SEQUENCE)
			keep -= (unsigned)take;
		else if (type == BGP_SEG_SET)
			keep--;
		pos += 2 + n * 2;
	}
	/* join only at the seam: AS4_PATH's own segments stay as sent */
	for (pos = 0; len4 - pos >= 2; pos += 2 + n * 4) {
		n = p4[pos + 1];
		if (len4 - pos - 2 < n * 4)
			break;
		o = seg_append(out, o, &last, p4[pos], p4 + pos + 2, n);
		last = (size_t)-1;
	}
	return o;
}

size_t
bgp_aspath_narrow(const uint8_t *p, size_t len, uint8_t *out, bool *wide)
{
	size_t pos = 0, o = 0, n;
	uint32_t as;

	*wide = false;
	while (len - pos >= 2) {
		n = p[pos + 1];
		if (len - pos - 2 < n * 4)
			break;
		out[o++] = p[pos];
		out[o++] = p[pos + 1];
		for (pos += 2; n > 0; n--, pos += 4, o += 2) {
			as = bgp_get32(p + pos);
			if (as > 0xffff) {
				as = BGP_AS_TRANS;
				*wide = true;
			}
			bgp_put16(out + o, (uint16_t)as);
		}
	}
	return o;
}

bool
bgp_aspath_wide(const uint8_t *p, size_t len)
{
	size_t pos = 0, end;

	while (len - pos >= 2) {
		end = pos + 2 + (size_t)p[pos + 1] * 4;
		if (end > len)
			break;
		/* AS4_PATH cannot carry confederation segments anyway */
		if (seg_confed(p[pos])) {
			pos = end;
			continue;
		}
		for (pos += 2; pos < end; pos += 4)
			if (p[pos] != 0 || p[pos + 1] != 0)
				return true;
	}
	return false;
}

size_t
bgp_aspath_noconfed(const uint8_t *p, size_t len, uint8_t *out)
{
	size_t pos = 0, o = 0, seg;

	while (len - pos >= 2) {
		seg = 2 + (size_t)p[pos + 1] * 4;
		if (seg > len - pos)
			break;
		if (!seg_confed(p[pos])) {
			if (out != NULL)
				memcpy(out + o, p + pos, seg);
			o += seg;
		}
		pos += seg;
	}
	return o;
}

const char *
bgp_aspath_str(const uint8_t *p, size_t len, char *buf, size_t buflen)
{
	static const char open_c[] = { 0, '{', 0, '(', '[' };
	static const char close_c[] = { 0, '}', 0, ')', ']' };
	size_t pos = 0, o = 0, n, i;
	uint8_t t;
	char sep;
	int k;

	if (buflen == 0)
		return buf;
	buf[0] = '\0';
	while (len - pos >= 2) {
		t = p[pos];
		n = p[pos + 1];
		if (t < BGP_SEG_SET || t > BGP_SEG_CONFED_SET ||
		    len - pos - 2 < n * 4)
			break;
		sep = (t == BGP_SEG_SET || t == BGP_SEG_CONFED_SET) ? ',' : ' ';
		k = snprintf(buf + o, buflen - o, "%s%.1s", o ? " " : "",
		    open_c[t] ? &open_c[t] : "");
		if (k < 0 || (size_t)k >= buflen - o)
			goto trunc;
		o += (size_t)k;
		for (i = 0, pos += 2; i < n; i++, pos += 4) {
			k = snprintf(buf + o, buflen - o, "%s%u",
			    i ? (sep == ',' ? "," : " ") : "",
			    bgp_get32(p + pos));
			if (k < 0 || (size_t)k >= buflen - o)
				goto trunc;
			o += (size_t)k;
		}
		k = snprintf(buf + o, buflen - o, "%.1s",
		    close_c[t] ? &close_c[t] : "");
		if (k < 0 || (size_t)k >= buflen - o)
			goto trunc;
		o += (size_t)k;
	}
	return buf;
trunc:
	/* mark the cut so a truncated path is never mistaken for a path */
	if (buflen >= 4)
		memcpy(buf + buflen - 4, "...", 4);
	else
		buf[buflen - 1] = '\0';
	return buf;
}
