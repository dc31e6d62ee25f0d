/*
 * Logging by blame, after BIRD and OpenBGPD: 'remote' is what a peer or a
 * client did wrong (rate limited, it is attacker controlled), 'local' is our
 * configuration or environment, 'bug' is a broken invariant and aborts.
 * Messages go to stderr (foreground, tests) or syslog(LOG_DAEMON).
 */
#ifndef XR_LIB_LOG_H
#define XR_LIB_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERR };

void	log_init(const char *ident, bool foreground, enum log_level min);
void	log_set_level(enum log_level);
bool	log_enabled(enum log_level);

void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
/* A peer or client sent something bad: warn, at most ~10 lines/s. */
void	log_remote(const char *, ...) __attribute__((format(printf, 1, 2)));
/* An invariant broke: log and abort. */
void	fatal_bug(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#define XR_ASSERT(c) do { if (!(c)) \
	fatal_bug("%s:%d: assertion failed: %s", __FILE__, __LINE__, #c); \
	} while (0)

#endif
