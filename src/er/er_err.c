/*
 * The error catalogue (er_errors.h) as data, ARM error bodies
 * {"error":{"code":..,"message":..}}, and er_fail().
 */
#include <stdarg.h>
#include <stdio.h>

#include "er/er_int.h"

struct er_errdef {
	const char	*name;
	int		 status;
	const char	*code;
	const char	*fmt;
};

static const struct er_errdef er_errdefs[ER_E_MAX] = {
#define ER_X_DEF(n, s, c, f) [ER_E_##n] = { #n, s, c, f },
	ER_ERRORS(ER_X_DEF)
#undef ER_X_DEF
};

int
er_fail(struct er_err *err, enum er_ecode e, ...)
{
	va_list ap;

	err->status = er_errdefs[e].status;
	err->code = er_errdefs[e].code;
	va_start(ap, e);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(err->msg, sizeof(err->msg), er_errdefs[e].fmt, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return -1;
}

void
er_err_body(const struct er_err *err, json_t **out)
{
	*out = json_pack("{s:{s:s,s:s}}", "error", "code", err->code,
	    "message", err->msg);
}

size_t
er_err_count(void)
{
	return ER_E_MAX;
}

void
er_err_entry(size_t i, const char **name, int *status, const char **code,
    const char **fmt)
{
	*name = er_errdefs[i].name;
	*status = er_errdefs[i].status;
	*code = er_errdefs[i].code;
	*fmt = er_errdefs[i].fmt;
}
