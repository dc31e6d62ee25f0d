/*
 * Strict checking of request bodies against a field table. Unlike ARM,
 * which silently drops members it does not know, xroute refuses them:
 * a misspelt "peerAsn" is a 400 that names the property, not a peering
 * created without the value the user meant. Read-only members (what a GET
 * returned) are accepted and dropped, so GET-modify-PUT round trips work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

static const struct er_field *
field_find(const struct er_field *f, const char *name)
{
	for (; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void
value_text(json_t *v, char *out, size_t len)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	if (s == NULL) {
		snprintf(out, len, "(unprintable)");
		return;
	}
	if (strlen(s) > 80)
		snprintf(out, len, "%.77s...", s);
	else
		snprintf(out, len, "%s", s);
	free(s);
}

static void
expected_text(const struct er_field *f, char *out, size_t len)
{
	size_t n = 0;

	switch (f->t) {
	case FT_STR:
		if (f->max > 0)
			snprintf(out, len, "a string of %lld to %lld "
			    "characters", (long long)f->min,
			    (long long)f->max);
		else
			snprintf(out, len, "a string");
		break;
	case FT_INT:
		snprintf(out, len, "an integer between %lld and %lld",
		    (long long)f->min, (long long)f->max);
		break;
	case FT_BOOL:
		snprintf(out, len, "true or false");
		break;
	case FT_ENUM:
		n = (size_t)snprintf(out, len, "one of ");
		for (int i = 0; f->enums[i] != NULL && n < len; i++)
			n += (size_t)snprintf(out + n, len - n, "%s%s",
			    i ? ", " : "", f->enums[i]);
		break;
	case FT_OBJ:
		snprintf(out, len, "an object");
		break;
	case FT_ARR:
		snprintf(out, len, "an array");
		break;
	case FT_MAP:
		snprintf(out, len, "an object whose values are strings");
		break;
	}
}

static int
bad_value(const struct er_field *f, json_t *v, const char *path,
    struct er_err *err)
{
	char val[96], exp[512];

	value_text(v, val, sizeof(val));
	expected_text(f, exp, sizeof(exp));
	return er_fail(err, ER_E_BAD_VALUE, path, val, exp);
}

static int	check_obj(const struct er_field *, json_t *, const char *,
		    struct er_err *);

static int
check_value(const struct er_field *f, json_t *v, const char *path,
    struct er_err *err)
{
	char sub[512];
	size_t i, len;
	json_t *e;
	const char *k;

	switch (f->t) {
	case FT_STR:
		if (!json_is_string(v))
			return bad_value(f, v, path, err);
		len = json_string_length(v);
		if (f->max > 0 && ((int64_t)len < f->min ||
		    (int64_t)len > f->max))
			return bad_value(f, v, path, err);
		return 0;
	case FT_INT:
		if (!json_is_integer(v) || json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max)
			return bad_value(f, v, path, err);
		return 0;
	case FT_BOOL:
		return json_is_boolean(v) ? 0 : bad_value(f, v, path, err);
	case FT_ENUM:
		if (!json_is_string(v))
			return bad_value(f, v, path, err);
		for (i = 0; f->enums[i] != NULL; i++) {
			if (strcasecmp(f->enums[i], json_string_value(v)))
				continue;
			json_string_set(v, f->enums[i]);
			return 0;
		}
		return bad_value(f, v, path, err);
	case FT_OBJ:
		if (!json_is_object(v))
			return bad_value(f, v, path, err);
		return f->sub ? check_obj(f->sub, v, path, err) : 0;
	case FT_ARR:
		if (!json_is_array(v))
			return bad_value(f, v, path, err);
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (check_value(f->sub, e, sub, err) == -1)
				return -1;
		}
		return 0;
	case FT_MAP:
		if (!json_is_object(v))
			return bad_value(f, v, path, err);
		json_object_foreach(v, k, e)
			if (!json_is_string(e)) {
				snprintf(sub, sizeof(sub), "%s.%s", path, k);
				return bad_value(f, e, sub, err);
			}
		return 0;
	}
	return 0;
}

static int
check_obj(const struct er_field *fields, json_t *obj, const char *path,
    struct er_err *err)
{
	const struct er_field *f;
	const char *k;
	json_t *v;
	void *tmp;
	char sub[512], allowed[1024];
	size_t n;

	json_object_foreach_safe(obj, tmp, k, v) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
		if ((f = field_find(fields, k)) == NULL) {
			n = 0;
			allowed[0] = '\0';
			for (f = fields; f->name != NULL; f++)
				if (!(f->flags & ERF_RO))
					n += (size_t)snprintf(allowed + n,
					    n < sizeof(allowed) ?
					    sizeof(allowed) - n : 0, "%s%s",
					    n ? ", " : "", f->name);
			return er_fail(err, ER_E_UNKNOWN_PROP, sub, allowed);
		}
		if (f->flags & ERF_RO) {
			json_object_del(obj, k);
			continue;
		}
		if (json_is_null(v)) {	/* null means "not given" */
			json_object_del(obj, k);
			continue;
		}
		if (check_value(f, v, sub, err) == -1)
			return -1;
	}
	for (f = fields; f->name != NULL; f++) {
		if (!(f->flags & ERF_REQ) || json_object_get(obj, f->name))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
		    f->name);
		return er_fail(err, ER_E_MISSING_PROP, sub);
	}
	return 0;
}

int
er_schema_check(const struct er_field *fields, json_t *obj, const char *path,
    struct er_err *err)
{
	if (!json_is_object(obj))
		return er_fail(err, ER_E_BODY_REQUIRED);
	return check_obj(fields, obj, path, err);
}

void
er_schema_strip_wo(const struct er_field *fields, json_t *obj)
{
	const struct er_field *f;
	json_t *v, *e;
	size_t i;

	if (!json_is_object(obj))
		return;
	for (f = fields; f->name != NULL; f++) {
		if ((v = json_object_get(obj, f->name)) == NULL)
			continue;
		if (f->flags & ERF_WO)
			json_object_del(obj, f->name);
		else if (f->t == FT_OBJ && f->sub != NULL)
			er_schema_strip_wo(f->sub, v);
		else if (f->t == FT_ARR && f->sub->t == FT_OBJ &&
		    f->sub->sub != NULL)
			json_array_foreach(v, i, e)
				er_schema_strip_wo(f->sub->sub, e);
	}
}

static json_t *
openapi_field(const struct er_field *f)
{
	json_t *s = json_object(), *en;

	switch (f->t) {
	case FT_STR:
		json_object_set_new(s, "type", json_string("string"));
		if (f->max > 0) {
			json_object_set_new(s, "minLength",
			    json_integer(f->min));
			json_object_set_new(s, "maxLength",
			    json_integer(f->max));
		}
		break;
	case FT_INT:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "format", json_string("int64"));
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
		break;
	case FT_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		break;
	case FT_ENUM:
		json_object_set_new(s, "type", json_string("string"));
		en = json_array();
		for (int i = 0; f->enums[i] != NULL; i++)
			json_array_append_new(en, json_string(f->enums[i]));
		json_object_set_new(s, "enum", en);
		break;
	case FT_OBJ:
		if (f->sub == NULL) {
			json_object_set_new(s, "type", json_string("object"));
			break;
		}
		json_decref(s);
		s = er_schema_openapi(f->sub);
		break;
	case FT_ARR:
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(s, "items", openapi_field(f->sub));
		break;
	case FT_MAP:
		json_object_set_new(s, "type", json_string("object"));
		json_object_set_new(s, "additionalProperties",
		    json_pack("{s:s}", "type", "string"));
		break;
	}
	if (f->flags & ERF_RO)
		json_object_set_new(s, "readOnly", json_true());
	if (f->flags & ERF_WO)
		json_object_set_new(s, "writeOnly", json_true());
	if (f->doc != NULL)
		json_object_set_new(s, "description", json_string(f->doc));
	return s;
}

json_t *
er_schema_openapi(const struct er_field *fields)
{
	json_t *s = json_object(), *props = json_object(), *req = json_array();
	const struct er_field *f;

	json_object_set_new(s, "type", json_string("object"));
	json_object_set_new(s, "additionalProperties", json_false());
	for (f = fields; f->name != NULL; f++) {
		json_object_set_new(props, f->name, openapi_field(f));
		if (f->flags & ERF_REQ)
			json_array_append_new(req, json_string(f->name));
	}
	json_object_set_new(s, "properties", props);
	if (json_array_size(req) > 0)
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	return s;
}
