/*
 * Prometheus metrics: a writer for the text exposition format 0.0.4, a
 * strict HTTP/1.1 request parser (GET only, bounded), a responder that
 * runs inside the event loop, and process metrics. See docs/metrics.md
 * for the metric names (GoBGP's bgp_* plus xroute_*).
 *
 * Text format (Prometheus "Exposition formats", version 0.0.4): every
 * family is one contiguous block, "# HELP name text" then "# TYPE name
 * type" then samples "name{label="value",...} value". HELP text escapes
 * '\' and newline; label values escape '\', '"' and newline. Names match
 * [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and must
 * not start with "__". Our rule on top: a counter's name ends in _total.
 */
#ifndef XR_METRICS_MX_H
#define XR_METRICS_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/evloop.h"

#define MX_NAME_MAX	128
#define MX_LABELS_MAX	12
#define MX_BODY_MAX	(16u << 20)	/* a scrape larger than this fails */

enum mx_type { MX_GAUGE = 0, MX_COUNTER, MX_UNTYPED };

struct mx {
	struct wbuf	 w;
	char		 fam[MX_NAME_MAX + 1];	/* current family */
	const char	*help;
	enum mx_type	 type;
	bool		 in_fam;
	bool		 hdr_done;	/* HELP/TYPE written (first sample) */
	char		**names;	/* families begun, for uniqueness */
	size_t		 nnames, capnames;
	bool		 err;		/* sticky */
	char		 errmsg[192];
};

int	mx_init(struct mx *, size_t max);
void	mx_free(struct mx *);
/*
 * Begin a family. Its HELP and TYPE lines are written with the first
 * sample (no samples: no lines). -1 and err set on a bad or repeated name
 * or a counter not ending in _total: a bug of the caller.
 */
int	mx_family(struct mx *, const char *name, enum mx_type,
	    const char *help);
/*
 * One sample of the current family: value, then label name/value pairs
 * ending with NULL. -1 (sticky err) on a bad label name, too many labels,
 * no family, or a body past its maximum.
 */
int	mx_u64(struct mx *, uint64_t, ...) __attribute__((sentinel));
int	mx_f64(struct mx *, double, ...) __attribute__((sentinel));
/* The text so far (not NUL-terminated). */
const char *mx_text(const struct mx *, size_t *len);

bool	mx_name_ok(const char *);
bool	mx_label_name_ok(const char *);

/* mx_proc.c: process_* metrics of the calling process (Linux /proc). */
void	mx_process(struct mx *);

/* --- HTTP ------------------------------------------------------------------ */

#define MX_HTTP_LINE_MAX	2048	/* request line: 414 past it */
#define MX_HTTP_HDR_MAX		8192	/* whole head: 431 past it */
#define MX_HTTP_HEADERS_MAX	64	/* header lines: 431 past it */

struct mx_http_req {
	char	 path[MX_HTTP_LINE_MAX];	/* without the query */
	int	 minor;				/* HTTP/1.x */
};

/*
 * Parse a request head from the bytes received so far. Returns 0 when
 * more bytes are needed, 200 when the head is complete and acceptable
 * (*req filled), else the HTTP status to answer with: 400 (malformed:
 * bad request line, bare LF, control bytes, header syntax, missing Host
 * on HTTP/1.1, a body), 405 (a method other than GET), 414, 431, 505.
 * '*used' is set to the head's length on 200.
 */
int	mx_http_parse(const uint8_t *buf, size_t len, struct mx_http_req *,
	    size_t *used);
/* Status for a parsed request's path: 200 for /metrics, 404 else. */
int	mx_http_route(const struct mx_http_req *);
const char *mx_http_reason(int status);
/*
 * A complete response (Connection: close) into w: the body for 200
 * (Content-Type text/plain; version=0.0.4), a one-line text otherwise.
 */
int	mx_http_response(struct wbuf *w, int status, const char *body,
	    size_t len);

/* --- the responder in the event loop ---------------------------------------- */

/* Fill 'm' with every metric; -1 on failure (the scrape gets 500). */
typedef int	mx_collect_fn(void *arg, struct mx *m);

struct mx_srv;
struct mx_srv	*mx_srv_new(struct ev_loop *, const struct addr *,
		    uint16_t port, mx_collect_fn *, void *arg, char *err,
		    size_t errlen);
void		 mx_srv_free(struct mx_srv *);
/* The bound port (the kernel's choice when 0 was asked). */
uint16_t	 mx_srv_port(const struct mx_srv *);
/* "ADDR:PORT" or "[V6]:PORT"; 0, or -1 with a message naming the value. */
int		 mx_parse_listen(const char *, struct addr *, uint16_t *,
		    char *err, size_t errlen);

#endif
