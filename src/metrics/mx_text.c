/*
 * The Prometheus text exposition format 0.0.4 writer (see mx.h). It
 * refuses what would make a scrape invalid instead of writing it: bad
 * metric or label names, a family given twice (its samples would not be
 * contiguous), a counter without the _total suffix, duplicate labels.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/mx.h"

int
mx_init(struct mx *m, size_t max)
{
	memset(m, 0, sizeof(*m));
	return wbuf_init(&m->w, 4096 < max ? 4096 : max, max);
}

void
mx_free(struct mx *m)
{
	size_t i;

	for (i = 0; i < m->nnames; i++)
		free(m->names[i]);
	free(m->names);
	wbuf_free(&m->w);
	memset(m, 0, sizeof(*m));
}

const char *
mx_text(const struct mx *m, size_t *len)
{
	*len = m->w.len;
	return (const char *)m->w.p;
}

static int
mx_fail(struct mx *m, const char *fmt, const char *what)
{
	if (!m->err)
		snprintf(m->errmsg, sizeof(m->errmsg), fmt, what);
	m->err = true;
	return -1;
}

static bool
is_alpha_(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

bool
mx_name_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > MX_NAME_MAX ||
	    (!is_alpha_(s[0]) && s[0] != ':'))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!is_alpha_(s[i]) && !is_digit(s[i]) && s[i] != ':')
			return false;
	return true;
}

bool
mx_label_name_ok(const char *s)
{
	size_t i;

	if (s == NULL || !is_alpha_(s[0]) || strncmp(s, "__", 2) == 0 ||
	    strlen(s) > MX_NAME_MAX)
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!is_alpha_(s[i]) && !is_digit(s[i]))
			return false;
	return true;
}

static void
put_str(struct mx *m, const char *s)
{
	wbuf_put_bytes(&m->w, s, strlen(s));
}

/* HELP escapes '\' and newline; label values also '"'. */
static void
put_escaped(struct mx *m, const char *s, bool quote)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			put_str(m, "\\\\");
		else if (*s == '\n')
			put_str(m, "\\n");
		else if (*s == '"' && quote)
			put_str(m, "\\\"");
		else
			wbuf_put_u8(&m->w, (uint8_t)*s);
	}
}

static const char *
type_name(enum mx_type t)
{
	switch (t) {
	case MX_COUNTER:
		return "counter";
	case MX_GAUGE:
		return "gauge";
	default:
		return "untyped";
	}
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
remember(struct mx *m, const char *name)
{
	char **nn;
	size_t i, cap;

	for (i = 0; i < m->nnames; i++)
		if (strcmp(m->names[i], name) == 0)
			return mx_fail(m, "metric family %s is given twice",
			    name);
	if (m->nnames == m->capnames) {
		cap = m->capnames ? m->capnames * 2 : 32;
		if ((nn = realloc(m->names, cap * sizeof(*nn))) == NULL)
			return mx_fail(m, "out of memory at %s", name);
		m->names = nn;
		m->capnames = cap;
	}
	if ((m->names[m->nnames] = strdup(name)) == NULL)
		return mx_fail(m, "out of memory at %s", name);
	m->nnames++;
	return 0;
}

int
mx_family(struct mx *m, const char *name, enum mx_type type,
    const char *help)
{
	m->in_fam = false;
	if (m->err)
		return -1;
	if (!mx_name_ok(name))
		return mx_fail(m, "bad metric name '%s'", name ? name : "");
	if (type == MX_COUNTER && !ends_with(name, "_total"))
		return mx_fail(m, "counter %s must end in _total", name);
	if (remember(m, name) == -1)
		return -1;
	snprintf(m->fam, sizeof(m->fam), "%s", name);
	m->type = type;
	m->help = help;
	m->in_fam = true;
	m->hdr_done = false;
	return 0;
}

static void
put_header(struct mx *m)
{
	put_str(m, "# HELP ");
	put_str(m, m->fam);
	wbuf_put_u8(&m->w, ' ');
	put_escaped(m, m->help ? m->help : "", false);
	put_str(m, "\n# TYPE ");
	put_str(m, m->fam);
	wbuf_put_u8(&m->w, ' ');
	put_str(m, type_name(m->type));
	wbuf_put_u8(&m->w, '\n');
	m->hdr_done = true;
}

/* name{a="x",b="y"} for the pairs in ap; -1 on a bad label. */
static int
put_labels(struct mx *m, va_list ap)
{
	const char *names[MX_LABELS_MAX], *k, *v;
	size_t n = 0, i;

	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (!mx_label_name_ok(k))
			return mx_fail(m, "bad label name '%s'", k);
		if (n == MX_LABELS_MAX)
			return mx_fail(m, "too many labels on %s", m->fam);
		for (i = 0; i < n; i++)
			if (strcmp(names[i], k) == 0)
				return mx_fail(m, "label %s given twice", k);
		names[n] = k;
		wbuf_put_u8(&m->w, n++ == 0 ? '{' : ',');
		put_str(m, k);
		put_str(m, "=\"");
		put_escaped(m, v ? v : "", true);
		wbuf_put_u8(&m->w, '"');
	}
	if (n > 0)
		wbuf_put_u8(&m->w, '}');
	return 0;
}

static int
sample_begin(struct mx *m, va_list ap)
{
	if (m->err)
		return -1;
	if (!m->in_fam)
		return mx_fail(m, "sample outside a family%s", "");
	if (!m->hdr_done)
		put_header(m);
	put_str(m, m->fam);
	return put_labels(m, ap);
}

static int
sample_end(struct mx *m, const char *value)
{
	wbuf_put_u8(&m->w, ' ');
	put_str(m, value);
	wbuf_put_u8(&m->w, '\n');
	if (m->w.err)
		return mx_fail(m, "the scrape is larger than its limit%s", "");
	return 0;
}

int
mx_u64(struct mx *m, uint64_t v, ...)
{
	char buf[24];
	va_list ap;
	int rc;

	va_start(ap, v);
	rc = sample_begin(m, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return sample_end(m, buf);
}

int
mx_f64(struct mx *m, double v, ...)
{
	char buf[40];
	va_list ap;
	int rc;

	va_start(ap, v);
	rc = sample_begin(m, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	if (isnan(v))
		snprintf(buf, sizeof(buf), "NaN");
	else if (isinf(v))
		snprintf(buf, sizeof(buf), "%s", v > 0 ? "+Inf" : "-Inf");
	else
		snprintf(buf, sizeof(buf), "%.17g", v);
	return sample_end(m, buf);
}
