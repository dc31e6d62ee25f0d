/* Helpers shared by the wire unit tests: hex fixtures and message framing. */
#ifndef XR_TESTS_WIRE_UTIL_H
#define XR_TESTS_WIRE_UTIL_H

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* Hex digits to bytes; spaces, newlines and '|' (field separators) skip. */
static inline size_t
hex2bin(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s; s++) {
		if (!isxdigit((unsigned char)*s))
			continue;
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0)
			hi = v;
		else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

/* Frame a body as a BGP message of 'type' into out; returns the length. */
static inline size_t
frame_msg(uint8_t type, const uint8_t *body, size_t len, uint8_t *out)
{
	size_t n = len + 19;

	memset(out, 0xff, 16);
	out[16] = (uint8_t)(n >> 8);
	out[17] = (uint8_t)n;
	out[18] = type;
	memcpy(out + 19, body, len);
	return n;
}

#endif
