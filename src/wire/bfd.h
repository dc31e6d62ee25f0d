/*
 * BFD control packets: the wire format and the receive checks that do not
 * need a session (RFC 5880 section 4.1 mandatory section, 4.2-4.4 the
 * authentication section framing, 6.8.6 the ordered discard rules up to
 * the session lookup). Pure codec: no I/O, no sessions, no globals.
 *
 * Authentication is not implemented, but its section is framed and checked
 * so that an authenticated packet decodes (with auth_type/auth_len set) and
 * the session layer can refuse it by rule (A bit set, no auth configured).
 */
#ifndef XR_WIRE_BFD_H
#define XR_WIRE_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define BFD_PORT		3784	/* RFC 5881 section 4: single hop */
#define BFD_SRC_PORT_MIN	49152	/* RFC 5881 section 4 */
#define BFD_SRC_PORT_MAX	65535
#define BFD_TTL			255	/* RFC 5881 section 5: sent and required */
#define BFD_VERSION		1
#define BFD_HDR_LEN		24	/* mandatory section */
#define BFD_HDR_AUTH_MIN	26	/* with the A bit: type + len at least */
#define BFD_PKT_MAX		(BFD_HDR_LEN + 255)	/* auth len is a byte */

/* Session states as carried in the Sta field (RFC 5880 section 4.1). */
enum bfd_state {
	BFD_STATE_ADMIN_DOWN = 0,
	BFD_STATE_DOWN = 1,
	BFD_STATE_INIT = 2,
	BFD_STATE_UP = 3,
};
#define BFD_STATE_MAX	4

/* Diagnostic codes (RFC 5880 section 4.1). */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_DETECT_EXPIRED = 1,	/* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,	/* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
};
#define BFD_DIAG_MAX	31		/* the field is 5 bits */

/* Authentication types (RFC 5880 section 4.1, 4.2-4.4). */
enum bfd_auth_type {
	BFD_AUTH_NONE = 0,
	BFD_AUTH_SIMPLE = 1,
	BFD_AUTH_KEYED_MD5 = 2,
	BFD_AUTH_METIC_MD5 = 3,
	BFD_AUTH_KEYED_SHA1 = 4,
	BFD_AUTH_METIC_SHA1 = 5,
};

/* Flag bits of the second byte, below the 2-bit state. */
#define BFD_FLAG_P	0x20	/* Poll */
#define BFD_FLAG_F	0x10	/* Final */
#define BFD_FLAG_C	0x08	/* Control Plane Independent */
#define BFD_FLAG_A	0x04	/* Authentication Present */
#define BFD_FLAG_D	0x02	/* Demand */
#define BFD_FLAG_M	0x01	/* Multipoint, must be zero */

/* A decoded control packet. Intervals in microseconds, as on the wire. */
struct bfd_pkt {
	uint8_t		version;
	uint8_t		diag;
	uint8_t		state;		/* enum bfd_state */
	uint8_t		flags;		/* BFD_FLAG_* */
	uint8_t		detect_mult;
	uint8_t		length;
	uint32_t	my_discr;
	uint32_t	your_discr;
	uint32_t	des_min_tx;
	uint32_t	req_min_rx;
	uint32_t	req_min_echo_rx;
	uint8_t		auth_type;	/* 0 when the A bit is clear */
	uint8_t		auth_len;
};

/*
 * Decode results, one per RFC 5880 6.8.6 discard rule, in the order the
 * rules are applied (the first failing rule wins).
 */
enum bfd_pkt_result {
	BFD_PKT_OK = 0,
	BFD_PKT_SHORT,		/* fewer bytes than the mandatory section */
	BFD_PKT_BAD_VERSION,	/* version != 1 */
	BFD_PKT_BAD_LENGTH,	/* Length < 24, or < 26 with the A bit */
	BFD_PKT_LENGTH_PAYLOAD,	/* Length > UDP payload */
	BFD_PKT_ZERO_MULT,	/* Detect Mult == 0 */
	BFD_PKT_MULTIPOINT,	/* M bit set */
	BFD_PKT_ZERO_MY_DISCR,	/* My Discriminator == 0 */
	BFD_PKT_YOUR_DISCR,	/* Your Discriminator 0 outside Down/AdminDown */
	BFD_PKT_BAD_AUTH_LEN,	/* auth section does not fit in Length */
	BFD_PKT_RESULT_MAX
};

/*
 * Decode one UDP payload. Bytes past Length are ignored (padding); the
 * checks stop at the first failing rule and the result names it. 'pkt' is
 * filled as far as it was read.
 */
enum bfd_pkt_result bfd_pkt_decode(struct rbuf *, struct bfd_pkt *);
/* Encode the mandatory section (no auth); 0, or -1 if 'w' is too small. */
int	bfd_pkt_encode(struct wbuf *, const struct bfd_pkt *);

const char	*bfd_pkt_result_str(enum bfd_pkt_result);
/* "AdminDown", "Down", "Init", "Up". */
const char	*bfd_state_name(unsigned int);
/* "down", "up"... for JSON output. */
const char	*bfd_state_key(unsigned int);
const char	*bfd_diag_name(unsigned int);

#endif
