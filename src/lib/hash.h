/*
 * Keyed hashing. SipHash-2-4 with a per-process random key for every table
 * an outsider can fill (prefixes, attribute sets, AS paths from peers), so a
 * peer cannot choose colliding inputs. hash_init() draws the key once.
 */
#ifndef XR_LIB_HASH_H
#define XR_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

void		hash_init(void);
uint64_t	siphash24(const void *data, size_t len, const uint8_t key[16]);
/* SipHash-2-4 with the process key. */
uint64_t	hash_bytes(const void *data, size_t len);
/* Fast mix for integer keys that come from us, not from peers. */
static inline uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif
