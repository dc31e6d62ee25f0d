/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012), written from the paper's description: 64-bit state v0..v3 from
 * the key, 2 compression rounds per 8-byte word, 4 finalisation rounds.
 */
#include <endian.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

#include "lib/hash.h"

static uint8_t	hash_key[16];
static bool	hash_ready;

void
hash_init(void)
{
	if (hash_ready)
		return;
	if (getrandom(hash_key, sizeof(hash_key), 0) != sizeof(hash_key)) {
		/* No entropy yet: fall back to something process-unique. */
		uint64_t a = (uint64_t)(uintptr_t)&hash_key, b = (uint64_t)
		    (uintptr_t)hash_init;
		memcpy(hash_key, &a, 8);
		memcpy(hash_key + 8, &b, 8);
	}
	hash_ready = true;
}

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t
load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

uint64_t
siphash24(const void *data, size_t len, const uint8_t key[16])
{
	const uint8_t *p = data;
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = load_le64(p + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	switch (left) {
	case 7: b |= (uint64_t)p[i + 6] << 48;	/* FALLTHROUGH */
	case 6: b |= (uint64_t)p[i + 5] << 40;	/* FALLTHROUGH */
	case 5: b |= (uint64_t)p[i + 4] << 32;	/* FALLTHROUGH */
	case 4: b |= (uint64_t)p[i + 3] << 24;	/* FALLTHROUGH */
	case 3: b |= (uint64_t)p[i + 2] << 16;	/* FALLTHROUGH */
	case 2: b |= (uint64_t)p[i + 1] << 8;	/* FALLTHROUGH */
	case 1: b |= (uint64_t)p[i];		/* FALLTHROUGH */
	case 0: break;
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
hash_bytes(const void *data, size_t len)
{
	if (!hash_ready)
		hash_init();
	return siphash24(data, len, hash_key);
}
