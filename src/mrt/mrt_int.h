/*
 * Internals of the MRT writers (mrt_file.c, mrt_dump.c, mrt_msgs.c).
 */
#ifndef XR_MRT_MRT_INT_H
#define XR_MRT_MRT_INT_H

#include <limits.h>

#include "mrt/mrt.h"

#define MRT_SLICE		(1u << 20)	/* bytes written per loop turn */
#define MRT_BUF_MAX		(256u << 20)	/* a file's buffer; records
						 * beyond are dropped */

/*
 * A file being written: records go into 'buf'; a deferred job writes
 * MRT_SLICE bytes per loop turn to NAME.tmp, and once the file is closed
 * and everything is written, renames it to NAME.
 */
struct mrt_file {
	struct mrt		*m;
	struct mrt_file		*next;
	int			 fd;
	char			 path[PATH_MAX];
	char			 tmp[PATH_MAX + 8];
	struct wbuf		 buf;
	size_t			 off;		/* bytes of buf written */
	bool			 closing;	/* no more records */
	bool			 failed;	/* write error: discard */
	uint64_t		 dropped;	/* records over MRT_BUF_MAX */
	struct ev_defer		 d;
};

/* A configured dump and its running state. */
struct mrt_job {
	struct mrt		*m;
	struct mrt_job		*next;
	struct mrt_conf		 conf;
	struct ev_timer		 t;
	struct mrt_file		*f;		/* messages: the open file */
};

#define MRT_PAGE		2000		/* prefixes walked per loop turn */

/* The encoding state of one context's TABLE_DUMP_V2 (mrt_dump.c). */
struct mrt_tctx {
	struct wbuf		 body;		/* RIB records, index first */
	struct mrt_peer		*peers;
	size_t			 npeers, cap, last;
	uint32_t		 seq;
	bool			 open;		/* a RIB record is open */
	struct prefix		 cur;
	long			 rec;
	uint16_t		 count;
	uint32_t		 local_as;
};

/* A table dump in progress: one page of one context per loop turn. */
struct mrt_tdump {
	struct mrt		*m;
	struct mrt_tdump	*next;
	struct mrt_file		*f;
	bool			 one;		/* only 'c' */
	struct rib_ctx		*c;		/* context being walked */
	bool			 has_after;
	struct prefix		 after;
	struct mrt_tctx		 t;
	uint32_t		 now;		/* wall clock at the start */
	bool			 failed;
	size_t			 contexts, prefixes, paths, peers;
	struct ev_defer		 d;
};

struct mrt {
	struct ev_loop		*loop;
	struct rib		*rib;
	struct sess_mgr		*sm;
	uint32_t		 router_id, local_as;
	struct mrt_file		*files;		/* being written */
	struct mrt_job		*jobs;
	struct mrt_tdump	*dumps;		/* table dumps running */
	bool			 mon_on;	/* session monitor registered */
};

/* mrt_file.c */
struct mrt_file *mrt_file_open(struct mrt *, const char *path, char *err,
	    size_t errlen);
/* No more records: write the rest, rename, free (later). */
void	mrt_file_close(struct mrt_file *);
/*
 * A record was appended to f->buf from offset 'before' by an encoder that
 * returned rc: keep it and schedule writing, or cut it if it failed.
 */
void	mrt_file_commit(struct mrt_file *, size_t before, int rc);
/* Write everything now (shutdown). */
void	mrt_file_drain(struct mrt_file *);
/* strftime(pattern, now); -1 with a message if the result is empty. */
int	mrt_path_expand(const char *pattern, char *out, size_t outlen);

/* mrt_dump.c */
void	mrt_dumps_abort(struct mrt *);

/* mrt_msgs.c */
void	mrt_msgs_sync(struct mrt *);
void	mrt_job_timer(struct ev_loop *, struct ev_timer *, void *);

#endif
