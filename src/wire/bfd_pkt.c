/*
 * BFD control packet codec (RFC 5880 section 4.1; the authentication
 * section framing of 4.2-4.4; the session-independent receive checks of
 * 6.8.6, applied in the order the RFC lists them).
 */
#include "wire/bfd.h"

/*
 * Auth Len per type (RFC 5880 4.2: simple password 1-16 bytes + 3;
 * 4.3: MD5 24; 4.4: SHA1 28). Unknown types need only their own 2 bytes.
 */
static const struct {
	uint8_t	min, max;
} bfd_auth_lens[] = {
	[BFD_AUTH_SIMPLE] = { 4, 19 },
	[BFD_AUTH_KEYED_MD5] = { 24, 24 },
	[BFD_AUTH_METIC_MD5] = { 24, 24 },
	[BFD_AUTH_KEYED_SHA1] = { 28, 28 },
	[BFD_AUTH_METIC_SHA1] = { 28, 28 },
};

static bool
bfd_auth_len_ok(uint8_t type, uint8_t len)
{
	if (len < 2)
		return false;
	if (type == BFD_AUTH_NONE ||
	    type >= sizeof(bfd_auth_lens) / sizeof(bfd_auth_lens[0]))
		return true;
	return len >= bfd_auth_lens[type].min && len <= bfd_auth_lens[type].max;
}

/*
 * The authentication section must fill the rest of the packet exactly:
 * Length counts the mandatory section plus Auth Len.
 */
static enum bfd_pkt_result
bfd_pkt_decode_auth(struct rbuf *r, struct bfd_pkt *p)
{
	if (rbuf_get_u8(r, &p->auth_type) == -1 ||
	    rbuf_get_u8(r, &p->auth_len) == -1)
		return BFD_PKT_BAD_AUTH_LEN;
	if ((size_t)p->auth_len != (size_t)p->length - BFD_HDR_LEN ||
	    !bfd_auth_len_ok(p->auth_type, p->auth_len))
		return BFD_PKT_BAD_AUTH_LEN;
	return BFD_PKT_OK;
}

enum bfd_pkt_result
bfd_pkt_decode(struct rbuf *in, struct bfd_pkt *p)
{
	struct rbuf r;
	uint8_t b0, b1;

	memset(p, 0, sizeof(*p));
	/* The first checks need only the first four bytes. */
	if (rbuf_get_u8(in, &b0) == -1 || rbuf_get_u8(in, &b1) == -1 ||
	    rbuf_get_u8(in, &p->detect_mult) == -1 ||
	    rbuf_get_u8(in, &p->length) == -1)
		return BFD_PKT_SHORT;
	p->version = b0 >> 5;
	p->diag = b0 & 0x1f;
	p->state = b1 >> 6;
	p->flags = b1 & 0x3f;

	if (p->version != BFD_VERSION)
		return BFD_PKT_BAD_VERSION;
	if (p->length < ((p->flags & BFD_FLAG_A) ? BFD_HDR_AUTH_MIN :
	    BFD_HDR_LEN))
		return BFD_PKT_BAD_LENGTH;
	/* 'in' has consumed 4 bytes; Length counts from the start. */
	if (rbuf_sub(in, (size_t)p->length - 4, &r) == -1)
		return BFD_PKT_LENGTH_PAYLOAD;

	/* Length >= 24 and fits, so these reads cannot fail. */
	rbuf_get_u32(&r, &p->my_discr);
	rbuf_get_u32(&r, &p->your_discr);
	rbuf_get_u32(&r, &p->des_min_tx);
	rbuf_get_u32(&r, &p->req_min_rx);
	rbuf_get_u32(&r, &p->req_min_echo_rx);

	if (p->detect_mult == 0)
		return BFD_PKT_ZERO_MULT;
	if (p->flags & BFD_FLAG_M)
		return BFD_PKT_MULTIPOINT;
	if (p->my_discr == 0)
		return BFD_PKT_ZERO_MY_DISCR;
	if (p->your_discr == 0 && p->state != BFD_STATE_DOWN &&
	    p->state != BFD_STATE_ADMIN_DOWN)
		return BFD_PKT_YOUR_DISCR;
	if (p->flags & BFD_FLAG_A)
		return bfd_pkt_decode_auth(&r, p);
	return BFD_PKT_OK;
}

int
bfd_pkt_encode(struct wbuf *w, const struct bfd_pkt *p)
{
	/* We never send authentication, multipoint or demand. */
	uint8_t flags = p->flags & (BFD_FLAG_P | BFD_FLAG_F | BFD_FLAG_C);
	size_t start = w->len;

	wbuf_put_u8(w, (uint8_t)(BFD_VERSION << 5 | (p->diag & 0x1f)));
	wbuf_put_u8(w, (uint8_t)((p->state & 3) << 6 | flags));
	wbuf_put_u8(w, p->detect_mult);
	wbuf_put_u8(w, BFD_HDR_LEN);
	wbuf_put_u32(w, p->my_discr);
	wbuf_put_u32(w, p->your_discr);
	wbuf_put_u32(w, p->des_min_tx);
	wbuf_put_u32(w, p->req_min_rx);
	wbuf_put_u32(w, p->req_min_echo_rx);
	if (w->err) {
		wbuf_truncate(w, start);
		return -1;
	}
	return 0;
}

static const char *const bfd_pkt_results[BFD_PKT_RESULT_MAX] = {
	[BFD_PKT_OK] = "ok",
	[BFD_PKT_SHORT] = "shorter than 4 bytes",
	[BFD_PKT_BAD_VERSION] = "version is not 1",
	[BFD_PKT_BAD_LENGTH] = "Length below 24 (26 with authentication)",
	[BFD_PKT_LENGTH_PAYLOAD] = "Length exceeds the UDP payload",
	[BFD_PKT_ZERO_MULT] = "Detect Mult is 0",
	[BFD_PKT_MULTIPOINT] = "Multipoint bit set",
	[BFD_PKT_ZERO_MY_DISCR] = "My Discriminator is 0",
	[BFD_PKT_YOUR_DISCR] =
	    "Your Discriminator is 0 and State is not Down or AdminDown",
	[BFD_PKT_BAD_AUTH_LEN] = "authentication section length is wrong",
};

const char *
bfd_pkt_result_str(enum bfd_pkt_result r)
{
	if ((unsigned int)r >= BFD_PKT_RESULT_MAX)
		return "unknown";
	return bfd_pkt_results[r];
}

static const char *const bfd_state_names[BFD_STATE_MAX] = {
	"AdminDown", "Down", "Init", "Up"
};
static const char *const bfd_state_keys[BFD_STATE_MAX] = {
	"adminDown", "down", "init", "up"
};

const char *
bfd_state_name(unsigned int s)
{
	return s < BFD_STATE_MAX ? bfd_state_names[s] : "?";
}

const char *
bfd_state_key(unsigned int s)
{
	return s < BFD_STATE_MAX ? bfd_state_keys[s] : "unknown";
}

static const char *const bfd_diag_names[] = {
	[BFD_DIAG_NONE] = "No Diagnostic",
	[BFD_DIAG_DETECT_EXPIRED] = "Control Detection Time Expired",
	[BFD_DIAG_ECHO_FAILED] = "Echo Function Failed",
	[BFD_DIAG_NEIGHBOR_DOWN] = "Neighbor Signaled Session Down",
	[BFD_DIAG_FWD_RESET] = "Forwarding Plane Reset",
	[BFD_DIAG_PATH_DOWN] = "Path Down",
	[BFD_DIAG_CONCAT_DOWN] = "Concatenated Path Down",
	[BFD_DIAG_ADMIN_DOWN] = "Administratively Down",
	[BFD_DIAG_REV_CONCAT_DOWN] = "Reverse Concatenated Path Down",
};

const char *
bfd_diag_name(unsigned int d)
{
	if (d >= sizeof(bfd_diag_names) / sizeof(bfd_diag_names[0]))
		return "Unassigned";
	return bfd_diag_names[d];
}
