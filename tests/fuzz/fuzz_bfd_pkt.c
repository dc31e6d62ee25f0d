/*
 * libFuzzer target for the BFD control packet codec (RFC 5880 4.1, 6.8.6).
 * Any input must decode without reading out of bounds; a packet that
 * decodes must re-encode to the same mandatory section (minus the bits we
 * never send) and decode again to the same fields.
 */
#include <stdlib.h>

#include "wire/bfd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_pkt p, q;
	struct rbuf r;
	struct wbuf w;
	uint8_t out[BFD_PKT_MAX];
	enum bfd_pkt_result res;

	rbuf_init(&r, data, size);
	res = bfd_pkt_decode(&r, &p);
	if ((unsigned int)res >= BFD_PKT_RESULT_MAX)
		abort();
	if (res != BFD_PKT_OK)
		return 0;
	if (p.length < BFD_HDR_LEN || p.length > size || p.detect_mult == 0 ||
	    p.my_discr == 0 || (p.flags & BFD_FLAG_M))
		abort();

	wbuf_init_fixed(&w, out, sizeof(out));
	if (bfd_pkt_encode(&w, &p) != 0 || w.len != BFD_HDR_LEN)
		abort();
	/* Bytes 4..23 are copied verbatim; flags lose A, D and M. */
	if (memcmp(out + 4, data + 4, 20) != 0 || out[0] != data[0] ||
	    out[2] != data[2])
		abort();
	if ((out[1] & 0xc0) != (data[1] & 0xc0))
		abort();
	rbuf_init(&r, out, w.len);
	if (bfd_pkt_decode(&r, &q) != BFD_PKT_OK)
		abort();
	if (q.state != p.state || q.diag != p.diag ||
	    q.my_discr != p.my_discr || q.your_discr != p.your_discr ||
	    q.des_min_tx != p.des_min_tx || q.req_min_rx != p.req_min_rx ||
	    q.flags != (p.flags & (BFD_FLAG_P | BFD_FLAG_F | BFD_FLAG_C)))
		abort();
	return 0;
}
